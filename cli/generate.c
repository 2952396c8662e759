/* SPDX-License-Identifier: GPL-3.0-or-later */
/* generate.c -- `mlg generate`: a synthetic district as long CSV. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifdef MLG_HAVE_GEN
#include "gen.h"
#include "outfile.h"

static const char usage_generate[] =
    "usage: mlg generate [--preset NAME] [--students N] [--targets N] [--seed N]\n"
    "                    [--weights] [--status] [-o FILE] [--catalogue-out FILE]\n"
    "\n"
    "Write a seeded synthetic district as long CSV (student_id,target_id,\n"
    "assessed_at,score[,weight][,status]) sorted by student, target and day:\n"
    "the input `mlg compute` streams.  Presets (bench/gen.h): tiny, small,\n"
    "lausd-period (~70M rows, ~2 GB), lausd-year (~220M rows).  The same\n"
    "options always give the same bytes; the seed is printed on stderr.\n"
    "--catalogue-out FILE writes a flat catalogue listing the targets.\n";

int cmd_generate(int argc, char **argv)
{
    const char *preset = "tiny", *outp = NULL, *catp = NULL, *val;
    long long students = -1, targets = -1, seed = -1;
    int weights = 0, status = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_generate, stdout);
            fputs("presets:", stdout);
            for (size_t k = 0; mlg_gen_preset_name(k); k++)
                printf(" %s", mlg_gen_preset_name(k));
            putchar('\n');
            return EXIT_OK;
        } else if (opt_val(argc, argv, &i, "--preset", &val)) {
            preset = val;
        } else if (opt_val(argc, argv, &i, "--students", &val) ||
                   opt_val(argc, argv, &i, "--targets", &val) ||
                   opt_val(argc, argv, &i, "--seed", &val)) {
            char *end;
            long long v = strtoll(val, &end, 10);
            if (*end || v < 0) {
                diag("%s: want a whole number >= 0, got '%s'", a, val);
                return EXIT_USAGE;
            }
            if (!strncmp(a, "--students", 10))
                students = v;
            else if (!strncmp(a, "--targets", 9))
                targets = v;
            else
                seed = v;
        } else if (!strcmp(a, "--weights")) {
            weights = 1;
        } else if (!strcmp(a, "--status")) {
            status = 1;
        } else if (opt_val(argc, argv, &i, "--output", &val) ||
                   opt_val(argc, argv, &i, "-o", &val)) {
            outp = val;
        } else if (opt_val(argc, argv, &i, "--catalogue-out", &val)) {
            catp = val;
        } else {
            diag("unknown argument %s (see mlg generate --help)", a);
            return EXIT_USAGE;
        }
    }
    mlg_gen_config cfg;
    if (mlg_gen_preset(preset, &cfg) != MLG_OK) {
        fprintf(stderr, "mlg: unknown preset '%s'; presets:", preset);
        for (size_t k = 0; mlg_gen_preset_name(k); k++)
            fprintf(stderr, " %s", mlg_gen_preset_name(k));
        fputc('\n', stderr);
        return EXIT_USAGE;
    }
    if (students >= 0)
        cfg.students = students;
    if (targets >= 0)
        cfg.targets = (int32_t)targets;
    if (seed >= 0)
        cfg.seed = (uint64_t)seed;
    cfg.with_weight = weights;
    cfg.with_status = status;
    int rc = mlg_gen_validate(&cfg);
    if (rc != MLG_OK) {
        diag("generator configuration: %s", mlg_strerror(rc));
        return EXIT_USAGE;
    }
    diag("generate: preset %s, %lld students x %d targets, seed %llu", preset,
         (long long)cfg.students, cfg.targets, (unsigned long long)cfg.seed);
    mlg_gen_data d;
    rc = mlg_gen_generate(&cfg, &d);
    if (rc != MLG_OK) {
        diag("generate: %s", mlg_strerror(rc));
        return rc == MLG_ENOMEM ? EXIT_NOMEM : EXIT_INTERNAL;
    }
    /* written to temporary files renamed into place on success (outfile.h) */
    outfile of;
    const char *other[1] = {catp};
    if ((rc = outfile_open(&of, outp, other, 1)) != EXIT_OK) {
        mlg_gen_free(&d);
        return rc;
    }
    static char big[1 << 20];
    setvbuf(of.f, big, _IOFBF, sizeof big);
    int wrc = mlg_gen_write_csv(&d, of.f);
    if (wrc != MLG_OK && ferror(of.f) && errno == EPIPE) {
        /* the reader went away (SIGPIPE ignored): quiet, like head(1) */
        outfile_abort(&of);
        mlg_gen_free(&d);
        return EXIT_OK;
    }
    if (wrc != MLG_OK && !ferror(of.f)) {
        diag("generate: cannot write the evidence");
        outfile_abort(&of);
        mlg_gen_free(&d);
        return EXIT_INTERNAL;
    }
    if ((rc = outfile_commit(&of, outp)) != EXIT_OK) {
        mlg_gen_free(&d);
        return rc;
    }
    if (catp) {
        if ((rc = outfile_open(&of, catp, NULL, 0)) != EXIT_OK) {
            mlg_gen_free(&d);
            return rc;
        }
        fputs("id,parent,label,rule,weight,na_allowed\n", of.f);
        char buf[64];
        for (int32_t t = 0; t < d.targets; t++)
            fprintf(of.f, "%s,,,,1,1\n", mlg_gen_target_code(t, buf, sizeof buf));
        if ((rc = outfile_commit(&of, catp)) != EXIT_OK) {
            mlg_gen_free(&d);
            return rc;
        }
    }
    diag("generate: %zu rows, %zu series", d.n_rows, d.n_groups);
    mlg_gen_free(&d);
    return EXIT_OK;
}
#else
int cmd_generate(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    diag("generate: this mlg was built without the generator (bench/ with "
         "MLG_BUILD_BENCH=ON)");
    return EXIT_USAGE;
}
#endif
