/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_catalogue.c -- a catalogue file through `mlg compute`: built twice,
 * as fuzz_catalogue_csv (the input is a CSV catalogue) and
 * fuzz_catalogue_case (FUZZ_CASE: a CASE 1.1 CFPackage JSON).  The
 * evidence is fixed (tests/fuzz/data/evidence.csv: school and Zoey rows).
 * Oracles: exit status 0, 1 or 3 (a bad catalogue is 1, never a crash or
 * an internal error); on 1 the output is untouched; on 0/3 the JSON
 * parses, value is null exactly when level is, and read = used + skipped +
 * rejected. */
#include "fuzz.h"

#include <string.h>


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#ifdef FUZZ_CASE
    const char *cat = fuzz_path(0, "catalogue.json");
#else
    const char *cat = fuzz_path(0, "catalogue.csv");
#endif
    const char *out = fuzz_path(1, "out.json");
    fuzz_write(cat, data, size);
    fuzz_write(out, FUZZ_SENTINEL, sizeof FUZZ_SENTINEL - 1);
    const char *argv[] = {"mlg", "compute", MLG_FUZZ_SOURCE "/tests/fuzz/data/evidence.csv",
                          "-c",  cat,       "-f", "json", "-o", out, "--threads", "1",
                          "--no-progress", NULL};
    fuzz_check_json_run(fuzz_cli(argv), out);
    return 0;
}
