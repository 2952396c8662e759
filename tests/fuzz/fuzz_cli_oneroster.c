/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_cli_oneroster.c -- a OneRoster 1.2 CSV set through `mlg compute`.
 *
 * Input: one option byte (bit 0 --until 2024-10-15, bit 1 power_law with
 * --log_shift -1, bit 2 --skip-exempt, bit 3 --keep-deleted), then up to
 * four files separated by a line "#####": results.csv,
 * resultLearningObjectiveIds.csv, lineItemLearningObjectiveIds.csv and
 * lineItems.csv; an empty part leaves that file out.  The school catalogue
 * names the learning targets.
 * Oracles: exit status 0, 1 or 3; on 1 the output is untouched; on 0/3 the
 * JSON parses, value is null exactly when level is, and read = used +
 * skipped + rejected (finding 7; regression input
 * corpus/cli_oneroster/finding7_until_two_objectives). */
#include "fuzz.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const FILES[4] = {"results.csv", "resultLearningObjectiveIds.csv",
                                     "lineItemLearningObjectiveIds.csv", "lineItems.csv"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const uint8_t opt = data[0];
    data++;
    size--;
    const char *dir = fuzz_path(0, "or");
    mkdir(dir, 0700);
    const char *p = (const char *)data, *end = p + size;
    for (int k = 0; k < 4; k++) {
        char name[600];
        snprintf(name, sizeof name, "%s/%s", dir, FILES[k]);
        const char *sep = NULL;
        for (const char *q = p; q + 6 <= end; q++)
            if (!memcmp(q, "#####\n", 6) && (q == p || q[-1] == '\n')) {
                sep = q;
                break;
            }
        const char *stop = sep ? sep : end;
        unlink(name);
        if (stop > p)
            fuzz_write(name, p, (size_t)(stop - p));
        p = sep ? sep + 6 : end;
    }
    const char *out = fuzz_path(1, "out.json");
    fuzz_write(out, FUZZ_SENTINEL, sizeof FUZZ_SENTINEL - 1);
    const char *argv[24];
    int a = 0;
    argv[a++] = "mlg";
    argv[a++] = "compute";
    argv[a++] = dir;
    argv[a++] = "-c";
    argv[a++] = MLG_FUZZ_SOURCE "/data/school/catalogue.csv";
    argv[a++] = "-f";
    argv[a++] = "json";
    argv[a++] = "-o";
    argv[a++] = out;
    argv[a++] = "--threads";
    argv[a++] = "1";
    argv[a++] = "--no-progress";
    if (opt & 1) {
        argv[a++] = "--until";
        argv[a++] = "2024-10-15";
    }
    if (opt & 2) {
        argv[a++] = "-m";
        argv[a++] = "power_law";
        argv[a++] = "--log_shift";
        argv[a++] = "-1";
    }
    if (opt & 4)
        argv[a++] = "--skip-exempt";
    if (opt & 8)
        argv[a++] = "--keep-deleted";
    argv[a] = NULL;
    fuzz_check_json_run(fuzz_cli(argv), out);
    return 0;
}
