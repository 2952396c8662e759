/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c -- the mlg command: dispatch, method helpers, `mlg score`.  The
 * option parser shared by the subcommands is in options.c. */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const char usage_main[] =
    "usage: mlg COMMAND [OPTIONS] ...\n"
    "\n"
    "Mastery-learning proficiency (standards-based grading) from gradebook files.\n"
    "\n"
    "commands:\n"
    "  compute   evidence + catalogue -> marks for targets, domains, composites\n"
    "  check     report-card policy checks for a reporting period\n"
    "  explain   the trace from a student's mark down to its evidence\n"
    "  score     one evidence series from the command line\n"
    "  generate  write a synthetic district as CSV\n"
    "  policy    show the effective district policy and its hash\n"
    "\n"
    "  mlg COMMAND --help   options of one command\n"
    "  mlg --version        library and tool version\n"
    "\n"
    "Data goes to stdout (or -o FILE), diagnostics to stderr as\n"
    "'mlg: FILE:LINE: message'.  Exit status: 0 ok, 1 bad data, 2 usage,\n"
    "3 finished with rejected rows, 4 I/O error, 5 out of memory, 6 internal\n"
    "error.  See docs/cli.md.\n";

/* Shortest decimal text that reads back as exactly v. */
static void print_full(FILE *f, double v)
{
    char buf[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    fputs(buf, f);
}

/* ------------------------------------------------------------- score -- */
static const char usage_score[] =
    "usage: mlg score METHOD|PRESET [--PARAM VALUE ...] [OPTIONS] SCORE ...\n"
    "       mlg score --all [OPTIONS] SCORE ...\n"
    "\n"
    "Compute one evidence series given on the command line, oldest first, and\n"
    "print its value (shortest text that reads back exactly) and level label,\n"
    "tab-separated: e.g. `mlg score decaying_average --weight 0.65 2 3 4`\n"
    "prints 3.5275<TAB>4.  A SCORE may also be E (excused) or M (missing).\n"
    "\n"
    "method parameters (see docs/methods.md): --n --tie --missing --weight\n"
    "  --mastery --half_life_days --as_of --rounding --decimals --log_shift\n"
    "options:\n"
    "  --all            every method and preset side by side (method TAB value\n"
    "                   TAB level); parameters apply to the methods that use them\n"
    "  --scale NAME     ccs4 (default), tk, eld4, tk_eld, behavior\n"
    "  --days D,D,...   one day per score (YYYY-MM-DD or day numbers); default\n"
    "                   one day apart, in the order given\n"
    "  --weights W,...  one weight per score (default all 1)\n"
    "  -h, --help       this help\n";

static int split_list(const char *s, char ***out)
{
    char *dup = xstrdup(s);
    size_t n = 1;
    for (const char *p = s; *p; p++)
        n += *p == ',';
    char **v = xmalloc(n * sizeof *v);
    size_t k = 0;
    char *save = dup;
    for (;;) {
        char *c = strchr(save, ',');
        v[k++] = save;
        if (!c)
            break;
        *c = '\0';
        save = c + 1;
    }
    *out = v;
    return (int)k;
}

static int score_one(const char *name, const mlg_method_params *p, size_t n,
                     const int32_t *day, const double *score, const double *weight,
                     const uint8_t *status, const mlg_scale *scale, int all)
{
    mlg_result r;
    mlg_errinfo err;
    int rc = mlg_series_compute(n, day, score, weight, status, scale, p, &r, &err);
    if (all)
        printf("%s\t", name);
    if (rc != MLG_OK) {
        if (all) {
            printf("error\t%s\n", mlg_errname(rc));
            return 0;
        }
        diag("%s: %s", name, err.message[0] ? err.message : mlg_strerror(rc));
        return rc == MLG_EINVAL || rc == MLG_ENOTFOUND ? EXIT_USAGE : EXIT_DATA;
    }
    if (r.level == MLG_LEVEL_NA) {
        printf("NA\tN/A\n");
    } else {
        print_full(stdout, r.value);
        printf("\t%s\n", scale->label[r.level]);
    }
    return 0;
}

/* Buffers of one `mlg score` run, freed by cmd_score() on every path. */
typedef struct score_bufs {
    double  *score, *weight;
    uint8_t *status;
    int32_t *day;
} score_bufs;

static int score_main(score_bufs *b, int argc, char **argv)
{
    mlg_method_params p;
    int have_method = 0, all = 0;
    const char *scale_name = "ccs4", *days_s = NULL, *weights_s = NULL, *val;
    const char *method_name = NULL;
    /* parameters are remembered and applied after the method is known */
    const char *pkeys[64], *pvals[64];
    size_t np = 0;
    double *score = b->score = xmalloc((size_t)argc * sizeof *score);
    uint8_t *status = b->status = xcalloc((size_t)argc, 1);
    size_t n = 0;
    int any_status = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage_score, stdout);
            return EXIT_OK;
        } else if (strcmp(a, "--all") == 0) {
            all = 1;
        } else if (opt_val(argc, argv, &i, "--scale", &val)) {
            scale_name = val;
        } else if (opt_val(argc, argv, &i, "--days", &val)) {
            days_s = val;
        } else if (opt_val(argc, argv, &i, "--weights", &val)) {
            weights_s = val;
        } else if (a[0] == '-' && a[1] == '-' && a[2]) {
            const char *key = a + 2;
            const char *eq = strchr(key, '=');
            char kbuf[64];
            if (eq) {
                snprintf(kbuf, sizeof kbuf, "%.*s", (int)(eq - key), key);
                val = eq + 1;
            } else {
                snprintf(kbuf, sizeof kbuf, "%s", key);
                if (i + 1 >= argc) {
                    diag("option %s needs a value (see mlg score --help)", a);
                    return EXIT_USAGE;
                }
                val = argv[++i];
            }
            const char *pk = param_key_lookup(kbuf);
            if (!pk || np == 64) {
                diag("unknown option --%s (see mlg score --help)", kbuf);
                return EXIT_USAGE;
            }
            pkeys[np] = pk;
            pvals[np++] = val;
        } else if (!have_method && !all) {
            method_name = a;
            have_method = 1;
        } else {
            size_t len = strlen(a);
            int32_t word_status; /* E, M, exempt, ...: the library's words */
            if (mlg_evidence_status_from_name(a, &word_status) == MLG_OK &&
                word_status != MLG_EVIDENCE_COUNTED) {
                status[n] = (uint8_t)word_status;
                score[n++] = NAN;
                any_status = 1;
                continue;
            }
            int rc = parse_double(a, len, &score[n]);
            if (rc != 0) {
                diag("score '%s': %s", a,
                     rc == -2 ? "NaN and infinities are not scores" : "not a number");
                return EXIT_DATA;
            }
            n++;
        }
    }
    if (!have_method && !all) {
        fputs(usage_score, stderr);
        return EXIT_USAGE;
    }
    mlg_scale scale;
    if (mlg_scale_from_name(scale_name, &scale) != MLG_OK) {
        diag("unknown scale '%s' (ccs4, tk, eld4, tk_eld, behavior)", scale_name);
        return EXIT_USAGE;
    }
    int32_t *day = b->day = xmalloc((n ? n : 1) * sizeof *day);
    for (size_t k = 0; k < n; k++)
        day[k] = (int32_t)k;
    if (days_s) {
        char **v;
        int m = split_list(days_s, &v);
        if ((size_t)m != n) {
            diag("--days has %d entries for %zu scores", m, n);
            free(v[0]);
            free(v);
            return EXIT_USAGE;
        }
        for (int k = 0; k < m; k++) {
            double d;
            if (parse_date(v[k], strlen(v[k]), &day[k]) != 0) {
                if (parse_double(v[k], strlen(v[k]), &d) != 0 || d != floor(d) ||
                    fabs(d) > 2e9) {
                    diag("--days: '%s' is not a date or day number", v[k]);
                    free(v[0]);
                    free(v);
                    return EXIT_USAGE;
                }
                day[k] = (int32_t)d;
            }
        }
        free(v[0]);
        free(v);
    }
    double *weight = NULL;
    if (weights_s) {
        char **v;
        int m = split_list(weights_s, &v);
        if ((size_t)m != n) {
            diag("--weights has %d entries for %zu scores", m, n);
            free(v[0]);
            free(v);
            return EXIT_USAGE;
        }
        weight = b->weight = xmalloc((size_t)m * sizeof *weight);
        for (int k = 0; k < m; k++)
            if (parse_double(v[k], strlen(v[k]), &weight[k]) != 0) {
                diag("--weights: '%s' is not a number", v[k]);
                free(v[0]);
                free(v);
                return EXIT_USAGE;
            }
        free(v[0]);
        free(v);
    }
    const uint8_t *st = any_status ? status : NULL;
    int rc = EXIT_OK;
    if (!all) {
        if (method_or_preset(method_name, &p) != 0)
            return EXIT_USAGE;
        for (size_t k = 0; k < np; k++)
            if (method_param(&p, pkeys[k], pvals[k]) < 0)
                return EXIT_USAGE;
        rc = score_one(method_name, &p, n, day, score, weight, st, &scale, 0);
    } else {
        /* A bad value is refused before any method runs (it used to be
         * ignored silently): the library checks each key's range the same
         * way for every method. */
        if (mlg_method_params_init(&p, MLG_METHOD_MEAN) != MLG_OK)
            return EXIT_INTERNAL;
        for (size_t k = 0; k < np; k++)
            if (method_param(&p, pkeys[k], pvals[k]) < 0)
                return EXIT_USAGE;
        for (int32_t m = 0; m < MLG_METHOD_COUNT; m++) {
            if (mlg_method_params_init(&p, m) != MLG_OK)
                continue;
            for (size_t k = 0; k < np; k++)
                (void)mlg_method_params_set(&p, pkeys[k], pvals[k]);
            score_one(mlg_method_name(m), &p, n, day, score, weight, st, &scale, 1);
        }
        for (size_t k = 0; mlg_preset_name(k); k++) {
            if (mlg_preset_init(mlg_preset_name(k), &p) != MLG_OK)
                continue;
            score_one(mlg_preset_name(k), &p, n, day, score, weight, st, &scale, 1);
        }
    }
    if (fflush(stdout) != 0 && errno != EPIPE) {
        diag("stdout: write error: %s", strerror(errno));
        return EXIT_IO;
    }
    return rc;
}

int cmd_score(int argc, char **argv)
{
    score_bufs b = {NULL, NULL, NULL, NULL};
    int rc = score_main(&b, argc, argv);
    free(b.score);
    free(b.weight);
    free(b.status);
    free(b.day);
    return rc;
}

/* -------------------------------------------------------------- main -- */
int main(int argc, char **argv)
{
    /* SIGPIPE keeps the disposition mlg was started with: by default a closed
     * pipe ends it quietly, like head(1) users expect; when the parent chose
     * to ignore it, writes fail with EPIPE and check_write_errors() exits 0. */
    if (argc < 2) {
        fputs(usage_main, stderr);
        return EXIT_USAGE;
    }
    const char *c = argv[1];
    if (strcmp(c, "-h") == 0 || strcmp(c, "--help") == 0 || strcmp(c, "help") == 0) {
        fputs(usage_main, stdout);
        return EXIT_OK;
    }
    if (strcmp(c, "--version") == 0 || strcmp(c, "-V") == 0) {
        printf("mlg %s (libmlg %s)\n", MLG_VERSION_STRING, mlg_version_string());
        return EXIT_OK;
    }
    if (strcmp(c, "score") == 0)
        return cmd_score(argc - 1, argv + 1);
    if (strcmp(c, "compute") == 0)
        return cmd_compute(argc - 1, argv + 1);
    if (strcmp(c, "check") == 0)
        return cmd_check(argc - 1, argv + 1);
    if (strcmp(c, "explain") == 0)
        return cmd_explain(argc - 1, argv + 1);
    if (strcmp(c, "generate") == 0)
        return cmd_generate(argc - 1, argv + 1);
    if (strcmp(c, "policy") == 0)
        return cmd_policy(argc - 1, argv + 1);
    diag("unknown command '%s' (see mlg --help)", c);
    return EXIT_USAGE;
}
