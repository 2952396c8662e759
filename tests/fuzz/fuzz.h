/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz.h -- shared pieces of the libFuzzer harnesses (tests/fuzz/).
 *
 * Each harness defines LLVMFuzzerTestOneInput().  Built with -DMLG_FUZZ=ON
 * (clang) it links libFuzzer; otherwise fuzz_main.c supplies a main() that
 * replays the files and directories named on the command line, so every
 * build runs the corpora as regression tests.  An oracle that fails prints
 * "oracle: ..." and aborts, which both modes report as a crash. */
#ifndef MLG_FUZZ_H
#define MLG_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...)                                                  \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "oracle failed at %s:%d: ", __FILE__, __LINE__);    \
            fprintf(stderr, __VA_ARGS__);                                      \
            fputc('\n', stderr);                                               \
            abort();                                                           \
        }                                                                      \
    } while (0)

/* What an output file holds before a run: a failed run must leave it so. */
#define FUZZ_SENTINEL "sentinel: must survive a failed run\n"

/* The oracle of an `mlg compute -f json -o out` run whose output held
 * FUZZ_SENTINEL before: exit status 0, 1 or 3; on 1 the output is
 * untouched; on 0 or 3 the JSON parses, its tally balances (read = used +
 * skipped + rejected), value is null exactly when level is, and the status
 * says whether rows were rejected. */
void fuzz_check_json_run(int rc, const char *out);

/* Reading the input as a stream of typed values; past the end every read
 * gives zeros, so a short input is still a valid one. */
typedef struct fuzz_in {
    const uint8_t *p;
    size_t n;
} fuzz_in;

uint8_t fuzz_u8(fuzz_in *in);
uint32_t fuzz_u32(fuzz_in *in);
double fuzz_f64(fuzz_in *in);          /* raw bits: NaN, inf, subnormals */
/* A "useful" double: small integers and halves most of the time, raw bits
 * when the selector byte says so. */
double fuzz_score(fuzz_in *in);
/* One of the extreme doubles (1e308, DBL_MAX, 5e-324, DBL_MIN, -0, ...). */
double fuzz_special(fuzz_in *in);

/* Checks that apply to findings another branch fixes are enabled by setting
 * MLG_FUZZ_PENDING=1 (docs/security.md lists them), so CI stays green while
 * those fixes are merged. */
int fuzz_pending(void);

/* A private scratch directory (under /dev/shm when it exists), created on
 * first use and removed at exit; fuzz_path() names a file in it (static
 * buffer per slot, slots 0..7). */
const char *fuzz_dir(void);
const char *fuzz_path(int slot, const char *name);
void fuzz_write(const char *path, const void *data, size_t n);
/* The whole file in a NUL-terminated malloc'd buffer (NULL if absent). */
char *fuzz_read(const char *path, size_t *n);

/* Directory of the checked-in harness data (tests/fuzz/data). */
#ifndef MLG_FUZZ_DATA
#define MLG_FUZZ_DATA "tests/fuzz/data"
#endif

/* The mlg command's main() (cli/main.c compiled with -Dmain=mlg_cli_main):
 * the stable entry point for the command-line surfaces. */
int mlg_cli_main(int argc, char **argv);
/* Run it with a NULL-terminated argument list; returns its exit status. */
int fuzz_cli(const char *const *argv);

/* The mlg compute oracle on a JSON output (-f json): it parses (jansson),
 * it records the policy (a string), every mark's value is null exactly when its level is null, every value is
 * a finite number, and the summary balances read = used + skipped +
 * rejected (the last only when check_accounting).  Returns the number of
 * rejected rows; *marks gets the number of marks. */
long long fuzz_check_compute_json(const char *path, int check_accounting, size_t *marks);

/* Records in a CSV file (quoted fields may hold newlines). */
size_t fuzz_csv_records(const char *text);

#endif
