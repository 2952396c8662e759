/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_cli_csv.c -- long CSV evidence through `mlg compute` (the whole
 * command: reader, engine, batch, roll-up, JSON writer, rejects file).
 *
 * Input: one option byte, then the evidence file.  Option bits: 0 with the
 * school catalogue, 1 --unsorted, 2 --until 2024-10-15, 3-4 the method
 * (decaying_average, most_recent, mean, power_law).
 * Oracles: the exit status is 0, 1 or 3; on 1 the -o and --rejects files
 * are untouched; on 0/3 the JSON parses, value is null exactly when level
 * is, read = used + skipped + rejected, status 3 exactly when rows were
 * rejected, and the rejects file holds one record per rejected row. */
#include "fuzz.h"

#include <string.h>

static const char SENTINEL[] = "sentinel: must survive a failed run\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const uint8_t opt = data[0];
    data++;
    size--;
    /* A NUL inside a field reads past a shorter stored id (finding 1, fixed
     * in the reader on another branch): checked only when pending fixes are. */
    if (!fuzz_pending() && memchr(data, 0, size))
        return 0;
    const char *ev = fuzz_path(0, "evidence.csv");
    const char *out = fuzz_path(1, "out.json");
    const char *rej = fuzz_path(2, "rejects.csv");
    fuzz_write(ev, data, size);
    fuzz_write(out, SENTINEL, sizeof SENTINEL - 1);
    fuzz_write(rej, SENTINEL, sizeof SENTINEL - 1);
    static const char *const methods[] = {"decaying_average", "most_recent", "mean",
                                          "power_law"};
    const char *argv[32];
    int a = 0;
    argv[a++] = "mlg";
    argv[a++] = "compute";
    argv[a++] = ev;
    argv[a++] = "-f";
    argv[a++] = "json";
    argv[a++] = "-o";
    argv[a++] = out;
    argv[a++] = "--rejects";
    argv[a++] = rej;
    argv[a++] = "--threads";
    argv[a++] = "1";
    argv[a++] = "--no-progress";
    argv[a++] = "-m";
    argv[a++] = methods[(opt >> 3) & 3];
    if (opt & 1) {
        argv[a++] = "-c";
        argv[a++] = MLG_FUZZ_SOURCE "/data/school/catalogue.csv";
    }
    if (opt & 2)
        argv[a++] = "--unsorted";
    if (opt & 4) {
        argv[a++] = "--until";
        argv[a++] = "2024-10-15";
    }
    argv[a] = NULL;
    const int rc = fuzz_cli(argv);
    FUZZ_CHECK(rc == 0 || rc == 1 || rc == 3, "exit status %d", rc);
    size_t n_out = 0, n_rej = 0;
    char *o = fuzz_read(out, &n_out), *r = fuzz_read(rej, &n_rej);
    FUZZ_CHECK(o && r, "an output file vanished");
    if (rc == 1) {
        FUZZ_CHECK(!strcmp(o, SENTINEL) && !strcmp(r, SENTINEL),
                   "a failed run changed its outputs");
    } else {
        size_t marks = 0;
        const long long rejected = fuzz_check_compute_json(out, 1, &marks);
        FUZZ_CHECK((rc == 3) == (rejected > 0), "exit %d with %lld rejected", rc, rejected);
        FUZZ_CHECK(!strncmp(r, "file,line,reason\n", 17), "rejects file header");
        FUZZ_CHECK(fuzz_csv_records(r) == (size_t)rejected + 1,
                   "%zu records in the rejects file for %lld rejected rows",
                   fuzz_csv_records(r), rejected);
    }
    free(o);
    free(r);
    return 0;
}
