/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_cli_csv.c -- long CSV evidence through `mlg compute` (the whole
 * command: reader, engine, batch, roll-up, JSON writer, rejects file).
 *
 * Input: one option byte, then the evidence file.  Option bits: 0 with the
 * school catalogue, 1 --unsorted, 2 --until 2024-10-15, 3-4 the method
 * (decaying_average, most_recent, mean, power_law), 5 CSV output instead of
 * JSON, 6 the parallel reader (two byte ranges read by two threads), 7
 * `mlg check` (policy checks for a period, school catalogue) instead of
 * `mlg compute` (bits 0, 5 and 6 then unused).
 * Oracles: the exit status is 0, 1 or 3; on 1 the -o and --rejects files
 * are untouched; on 0/3 the rejects file holds one record per rejected row
 * and status 3 means rows were rejected; JSON output parses, value is null
 * exactly when level is, read = used + skipped + rejected; CSV output has
 * nine fields a record, the value empty exactly when the level is N/A and
 * otherwise a finite number, and the same policy (the last field: "none"
 * without --policy) in every record; `mlg check` output has four fields a
 * record. */
#include "fuzz.h"

#include <math.h>
#include <string.h>


/* The next field of a CSV record at *p (RFC 4180 quoting) into buf;
 * returns the character after it: ',' '\n' or '\0'. */
static char csv_field(const char **p, char *buf, size_t cap)
{
    const char *s = *p;
    size_t n = 0;
    int quoted = *s == '"';
    if (quoted)
        s++;
    for (;; s++) {
        if (quoted && *s == '"' && s[1] == '"') {
            s++;
        } else if (quoted && *s == '"') {
            quoted = 0;
            continue;
        } else if (!quoted && (*s == ',' || *s == '\n' || !*s)) {
            break;
        }
        FUZZ_CHECK(*s, "CSV output: unterminated quoted field");
        if (n + 1 < cap)
            buf[n++] = *s;
    }
    buf[n] = '\0';
    *p = *s ? s + 1 : s;
    return *s;
}

/* `mlg check` output: a header and four fields a record. */
static void check_check_output(const char *text)
{
    static const char header[] = "student_id,check,area,detail\n";
    FUZZ_CHECK(!strncmp(text, header, sizeof header - 1), "check output header");
    const char *p = text + sizeof header - 1;
    static char f[4096];
    while (*p) {
        size_t k = 0;
        char end;
        do {
            end = csv_field(&p, f, sizeof f);
            k++;
        } while (end == ',');
        FUZZ_CHECK(k == 4, "check output: %zu fields", k);
    }
}

static void check_csv_output(const char *text)
{
    static const char header[] = "student_id,id,kind,label,value,level,n,flags,policy\n";
    FUZZ_CHECK(!strncmp(text, header, sizeof header - 1), "CSV output header");
    const char *p = text + sizeof header - 1;
    static char f[9][4096];
    while (*p) {
        size_t k = 0;
        char end;
        do {
            FUZZ_CHECK(k < 9, "CSV output: more than 9 fields");
            end = csv_field(&p, f[k++], sizeof f[0]);
        } while (end == ',');
        FUZZ_CHECK(k == 9, "CSV output: %zu fields", k);
        const int na = !strcmp(f[5], "N/A");
        FUZZ_CHECK(na == (f[4][0] == '\0'), "CSV value '%s' with level '%s'", f[4], f[5]);
        if (!na) {
            char *e;
            const double v = strtod(f[4], &e);
            FUZZ_CHECK(*e == '\0' && isfinite(v), "CSV value '%s' is not a number", f[4]);
        }
        FUZZ_CHECK(!strcmp(f[8], "none"), "CSV policy '%s' without --policy", f[8]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const uint8_t opt = data[0];
    data++;
    size--;
    /* A NUL inside a field is a reject with a reason (finding 1; regression
     * input corpus/cli_csv/finding1_nul_in_id). */
    const char *ev = fuzz_path(0, "evidence.csv");
    const char *out = fuzz_path(1, "out.json");
    const char *rej = fuzz_path(2, "rejects.csv");
    fuzz_write(ev, data, size);
    fuzz_write(out, FUZZ_SENTINEL, sizeof FUZZ_SENTINEL - 1);
    fuzz_write(rej, FUZZ_SENTINEL, sizeof FUZZ_SENTINEL - 1);
    static const char *const methods[] = {"decaying_average", "most_recent", "mean",
                                          "power_law"};
    const char *argv[32];
    int a = 0;
    argv[a++] = "mlg";
    if (opt & 128) {
        argv[a++] = "check";
        argv[a++] = ev;
        argv[a++] = "-c";
        argv[a++] = MLG_FUZZ_SOURCE "/data/school/catalogue.csv";
        argv[a++] = "--start";
        argv[a++] = "2024-08-15";
        argv[a++] = "--mid";
        argv[a++] = "2024-10-15";
        argv[a++] = "--end";
        argv[a++] = "2024-12-15";
        argv[a++] = "-o";
        argv[a++] = out;
        argv[a++] = "--rejects";
        argv[a++] = rej;
        argv[a++] = "-m";
        argv[a++] = methods[(opt >> 3) & 3];
        if (opt & 2)
            argv[a++] = "--unsorted";
        if (opt & 4) {
            argv[a++] = "--attendance";
            argv[a++] = MLG_FUZZ_SOURCE "/data/school/attendance.csv";
        }
        argv[a] = NULL;
        goto run;
    }
    argv[a++] = "compute";
    argv[a++] = ev;
    argv[a++] = "-f";
    argv[a++] = opt & 32 ? "csv" : "json";
    argv[a++] = "-o";
    argv[a++] = out;
    argv[a++] = "--rejects";
    argv[a++] = rej;
    argv[a++] = "--threads";
    if (opt & 64) {
        argv[a++] = "2";
        argv[a++] = "--split-min-bytes";
        argv[a++] = "1";
    } else {
        argv[a++] = "1";
    }
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
run:;
    const int rc = fuzz_cli(argv);
    FUZZ_CHECK(rc == 0 || rc == 1 || rc == 3, "exit status %d", rc);
    size_t n_out = 0, n_rej = 0;
    char *o = fuzz_read(out, &n_out), *r = fuzz_read(rej, &n_rej);
    FUZZ_CHECK(o && r, "an output file vanished");
    if (rc == 1) {
        FUZZ_CHECK(!strcmp(o, FUZZ_SENTINEL) && !strcmp(r, FUZZ_SENTINEL),
                   "a failed run changed its outputs");
    } else {
        FUZZ_CHECK(!strncmp(r, "file,line,reason\n", 17), "rejects file header");
        const long long rejected = (long long)fuzz_csv_records(r) - 1;
        FUZZ_CHECK((rc == 3) == (rejected > 0), "exit %d with %lld rejected", rc, rejected);
        if (opt & 128) {
            check_check_output(o);
        } else if (opt & 32) {
            check_csv_output(o);
        } else {
            const long long in_json = fuzz_check_compute_json(out, 1, NULL);
            FUZZ_CHECK(in_json == rejected,
                       "%lld records in the rejects file for %lld rejected rows", rejected,
                       in_json);
        }
    }
    free(o);
    free(r);
    return 0;
}
