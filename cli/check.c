/* check.c -- `mlg check`: report-card policy checks for a reporting period
 * (BUL-2332.7 sec. VII and Att. B minimum grade entry, sec. IX warning
 * notices, sec. I.F insufficient attendance). */
#include "cli.h"
#include "engine.h"
#include "csv.h"
#include "outfile.h"

#include <mlg_policy.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char usage_check[] =
    "usage: mlg check EVIDENCE -c CATALOGUE --start DATE --mid DATE --end DATE\n"
    "                 [--policy-year 2018|2019|2020] [--attendance FILE] [OPTIONS]\n"
    "\n"
    "Policy reports for one reporting period, as CSV student_id,check,area,detail:\n"
    "  entry_short_midpoint / entry_short_end   fewer marks than Attachment B\n"
    "      requires in a subject (ELA, Math, ALD; others by the end only)\n"
    "  warning_notice       at risk of a 1 or 2 in a domain or composite at the\n"
    "      midpoint (marks from the evidence dated up to --mid; sec. IX)\n"
    "  warning_notice_late  at risk at the end but not at the midpoint (IX.C)\n"
    "  insufficient_attendance  fewer than 15 days enrolled: AG-14 (sec. I.F),\n"
    "      from --attendance FILE (CSV student_id,days_enrolled[,override])\n"
    "A subject is the top-level node of the catalogue: ids or labels starting\n"
    "with ELA/English are ELA, MATH/Math are Math, ALD/ELD are ALD, others are\n"
    "'other' areas.\n"
    "\n"
    "options: -c/--catalogue (required), -m/--method, --PARAM VALUE, --scale,\n"
    "--unsorted, --rejects FILE, --strict, -o FILE, --policy-year (default 2018),\n"
    "-h/--help.  Exit status 0 (also when students are flagged), 1 bad data,\n"
    "2 usage, 3 rows rejected.\n";

typedef struct kstate {
    mlg_period          period;
    mlg_entry_minimums  mins;
    int32_t            *root_cat;  /* per node: MLG_SUBJECT_* of its root */
    int32_t            *node_root; /* per node: root node index */
    size_t              n_roots;
    int32_t            *roots;     /* root node indices */
    out_t               out;
    int64_t             flagged;
} kstate;

static int32_t subject_of(const cat_node *nd)
{
    const char *s[2] = {nd->id, nd->label};
    for (int k = 0; k < 2; k++) {
        if (!strncmp(s[k], "ELA", 3) || !strncmp(s[k], "English", 7))
            return MLG_SUBJECT_ELA;
        if (!strncmp(s[k], "MATH", 4) || !strncmp(s[k], "Math", 4))
            return MLG_SUBJECT_MATH;
        if (!strncmp(s[k], "ALD", 3) || !strncmp(s[k], "ELD", 3))
            return MLG_SUBJECT_ALD;
    }
    return MLG_SUBJECT_OTHER;
}

static void row(kstate *k, const char *student, const char *check, const char *area,
                const char *detail)
{
    out_csv(&k->out, student, 1);
    out_ch(&k->out, ',');
    out_str(&k->out, check);
    out_ch(&k->out, ',');
    out_csv(&k->out, area, 1);
    out_ch(&k->out, ',');
    out_csv(&k->out, detail, 0);
    out_ch(&k->out, '\n');
    k->flagged++;
}

/* Node level values of one student from the rows dated <= until. */
static void marks_until(engine *e, const ev_t *rows, size_t n, int32_t until, double *nodeval)
{
    double *tv = xmalloc(e->T * sizeof *tv);
    for (size_t t = 0; t < e->T; t++)
        tv[t] = NAN;
    int32_t *day = xmalloc((n ? n : 1) * sizeof *day);
    double *sc = xmalloc((n ? n : 1) * sizeof *sc), *w = xmalloc((n ? n : 1) * sizeof *w);
    uint8_t *st = xmalloc(n ? n : 1);
    for (size_t i = 0; i < n;) {
        size_t j = i, m = 0;
        while (j < n && rows[j].target == rows[i].target) {
            if (rows[j].day <= until) {
                day[m] = rows[j].day;
                sc[m] = rows[j].score;
                w[m] = rows[j].weight;
                st[m] = (uint8_t)rows[j].status;
                m++;
            }
            j++;
        }
        mlg_result r;
        if (m && mlg_series_compute(m, day, sc, w, st, &e->scale, &e->params, &r, NULL) == MLG_OK)
            tv[rows[i].target] = r.value;
        i = j;
    }
    int32_t *lv = xmalloc(e->N * sizeof *lv);
    double *nv = xmalloc(e->N * sizeof *nv);
    if (mlg_rollup_run(e->mcat, 1, tv, 1, nv, lv, NULL, NULL) == MLG_OK) {
        for (size_t k = 0; k < e->N; k++)
            nodeval[k] = lv[k] == MLG_LEVEL_NA ? NAN : e->scale.value[lv[k]];
    } else {
        for (size_t k = 0; k < e->N; k++)
            nodeval[k] = NAN;
    }
    free(tv);
    free(day);
    free(sc);
    free(w);
    free(st);
    free(lv);
    free(nv);
}

static void on_student(engine *e, int32_t s, const ev_t *rows, size_t n, const double *tv,
                       const int32_t *tl, const int32_t *tn, const double *nv,
                       const int32_t *nl, const int32_t *nf)
{
    (void)tv;
    (void)tl;
    (void)tn;
    (void)nv;
    (void)nl;
    (void)nf;
    kstate *k = e->user;
    const char *sid = engine_student_id(e, s);
    char detail[256];
    /* 1. minimum grade entry: groups = runs of one target, slot = its root */
    size_t ng = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || rows[i].target != rows[i - 1].target)
            ng++;
    int64_t *off = xmalloc((ng + 1) * sizeof *off), *slot = xmalloc((ng ? ng : 1) * sizeof *slot);
    int32_t *day = xmalloc((n ? n : 1) * sizeof *day);
    uint8_t *st = xmalloc(n ? n : 1);
    size_t g = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || rows[i].target != rows[i - 1].target) {
            off[g] = (int64_t)i;
            int32_t node = e->t2node[rows[i].target];
            int32_t root = k->node_root[node];
            size_t r = 0;
            while (r < k->n_roots && k->roots[r] != root)
                r++;
            slot[g++] = (int64_t)r;
        }
        day[i] = rows[i].day;
        st[i] = (uint8_t)rows[i].status;
    }
    off[ng] = (int64_t)n;
    int32_t *cat = xmalloc(k->n_roots * sizeof *cat);
    for (size_t r = 0; r < k->n_roots; r++)
        cat[r] = k->root_cat[k->roots[r]];
    int64_t *bym = xmalloc(k->n_roots * sizeof *bym), *bye = xmalloc(k->n_roots * sizeof *bye);
    uint32_t *fl = xmalloc(k->n_roots * sizeof *fl);
    mlg_errinfo err;
    int rc = mlg_entry_check(ng, off, day, st, slot, k->n_roots, cat, &k->period, &k->mins, bym,
                             bye, fl, NULL, &err);
    if (rc == MLG_OK) {
        for (size_t r = 0; r < k->n_roots; r++) {
            int32_t c = cat[r];
            const cat_node *nd = &e->cat.node[k->roots[r]];
            if (fl[r] & MLG_ENTRY_SHORT_MIDPOINT) {
                snprintf(detail, sizeof detail, "%lld marks by the midpoint, %d required",
                         (long long)bym[r], k->mins.req_midpoint[c]);
                row(k, sid, "entry_short_midpoint", nd->id, detail);
            }
            if (fl[r] & MLG_ENTRY_SHORT_END) {
                snprintf(detail, sizeof detail, "%lld marks by the end, %d required",
                         (long long)bye[r], k->mins.req_end[c]);
                row(k, sid, "entry_short_end", nd->id, detail);
            }
        }
    } else {
        diag("%s: student %s: minimum entry check: %s", e->in_label, sid, err.message);
    }
    /* 2. warning notices: areas are every domain and composite */
    double *mid = xmalloc(e->N * sizeof *mid), *end = xmalloc(e->N * sizeof *end);
    marks_until(e, rows, n, k->period.midpoint, mid);
    marks_until(e, rows, n, k->period.end, end);
    for (size_t a = 0; a < e->N; a++)
        if (e->cat.node[a].kind == KIND_TARGET)
            mid[a] = end[a] = NAN; /* targets are not report-card areas */
    size_t need = 0;
    int64_t *ss = xmalloc(e->N * sizeof *ss), *aa = xmalloc(e->N * sizeof *aa);
    if (mlg_notice_list(1, e->N, mid, NULL, e->N, ss, aa, &need, &err) == MLG_OK) {
        for (size_t q = 0; q < need; q++) {
            snprintf(detail, sizeof detail, "level %g at the midpoint", mid[aa[q]]);
            row(k, sid, "warning_notice", e->cat.node[aa[q]].id, detail);
        }
        size_t need2 = 0;
        int64_t *s2 = xmalloc(e->N * sizeof *s2), *a2 = xmalloc(e->N * sizeof *a2);
        if (mlg_notice_list_new(1, e->N, end, NULL, need, ss, aa, e->N, s2, a2, &need2, &err) ==
            MLG_OK) {
            for (size_t q = 0; q < need2; q++) {
                snprintf(detail, sizeof detail,
                         "level %g at the end, not at risk at the midpoint: send a notice now",
                         end[a2[q]]);
                row(k, sid, "warning_notice_late", e->cat.node[a2[q]].id, detail);
            }
        }
        free(s2);
        free(a2);
    }
    free(ss);
    free(aa);
    free(mid);
    free(end);
    free(off);
    free(slot);
    free(day);
    free(st);
    free(cat);
    free(bym);
    free(bye);
    free(fl);
    if (k->out.err)
        check_write_errors(&k->out, "output");
}

static int attendance(kstate *k, const char *path)
{
    FILE *f = open_in(path);
    csv_reader r;
    if (csv_open(&r, f, CSV_DEFAULT_MAX_RECORD) != 0)
        return EXIT_NOMEM;
    int rc = csv_next(&r), ret = EXIT_OK;
    int cs = -1, cd = -1, co = -1;
    for (size_t q = 0; rc == CSV_OK && q < r.nfields; q++) {
        if (!strcmp(r.field[q], "student_id"))
            cs = (int)q;
        if (!strcmp(r.field[q], "days_enrolled"))
            cd = (int)q;
        if (!strcmp(r.field[q], "override"))
            co = (int)q;
    }
    if (cs < 0 || cd < 0) {
        diag_at(path, 1, "header must name student_id and days_enrolled");
        csv_close(&r);
        if (f != stdin)
            fclose(f);
        return EXIT_DATA;
    }
    while ((rc = csv_next(&r)) != CSV_EOF) {
        if (rc != CSV_OK || (size_t)cd >= r.nfields || (size_t)cs >= r.nfields) {
            diag_at(path, r.rec_line, "%s", rc == CSV_BAD ? r.reason : "bad row");
            ret = EXIT_DATA;
            break;
        }
        double d;
        if (parse_double(r.field[cd], r.flen[cd], &d) != 0 || d < 0 || d != floor(d) || d > 1e6) {
            diag_at(path, r.rec_line, "days_enrolled '%s' is not a whole number >= 0",
                    r.field[cd]);
            ret = EXIT_DATA;
            break;
        }
        int32_t days = (int32_t)d, decision;
        uint8_t ov = co >= 0 && (size_t)co < r.nfields && !strcmp(r.field[co], "1");
        if (mlg_attendance_check(1, &days, &ov, MLG_ATTENDANCE_MIN_DAYS, &decision, NULL,
                                 NULL) != MLG_OK)
            continue;
        char detail[160];
        if (decision == MLG_ATTEND_AG14) {
            snprintf(detail, sizeof detail, "%d days enrolled (< %d): no marks; comment %s %s",
                     days, MLG_ATTENDANCE_MIN_DAYS, MLG_COMMENT_AG14, MLG_COMMENT_AG14_TEXT);
            row(k, r.field[cs], "insufficient_attendance", "", detail);
        } else if (decision == MLG_ATTEND_OVERRIDE) {
            snprintf(detail, sizeof detail, "%d days enrolled (< %d): marks assigned by override",
                     days, MLG_ATTENDANCE_MIN_DAYS);
            row(k, r.field[cs], "attendance_override", "", detail);
        }
    }
    csv_close(&r);
    if (f != stdin)
        fclose(f);
    return ret;
}

static int cmd_check_main(engine *ep, int argc, char **argv)
{
    kstate k;
    memset(&k, 0, sizeof k);
    const char *input = NULL, *cat_path = NULL, *method = "decaying_average", *val;
    const char *att = NULL, *outp = NULL, *rejects = NULL;
    const char *ds[3] = {NULL, NULL, NULL};
    int32_t year = 2018;
    const char *pkeys[64], *pvals[64];
    size_t np = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_check, stdout);
            return EXIT_OK;
        } else if (opt_val(argc, argv, &i, "--catalogue", &val) ||
                   opt_val(argc, argv, &i, "-c", &val)) {
            cat_path = val;
        } else if (opt_val(argc, argv, &i, "--method", &val) ||
                   opt_val(argc, argv, &i, "-m", &val)) {
            method = val;
        } else if (opt_val(argc, argv, &i, "--start", &val)) {
            ds[0] = val;
        } else if (opt_val(argc, argv, &i, "--mid", &val) ||
                   opt_val(argc, argv, &i, "--midpoint", &val)) {
            ds[1] = val;
        } else if (opt_val(argc, argv, &i, "--end", &val)) {
            ds[2] = val;
        } else if (opt_val(argc, argv, &i, "--policy-year", &val)) {
            year = (int32_t)atoi(val);
        } else if (opt_val(argc, argv, &i, "--attendance", &val)) {
            att = val;
        } else if (opt_val(argc, argv, &i, "--output", &val) ||
                   opt_val(argc, argv, &i, "-o", &val)) {
            outp = val;
        } else if (opt_val(argc, argv, &i, "--rejects", &val)) {
            rejects = val;
        } else if (opt_val(argc, argv, &i, "--scale", &val)) {
            if (mlg_scale_from_name(val, &ep->scale) != MLG_OK) {
                diag("unknown scale '%s'", val);
                return EXIT_USAGE;
            }
        } else if (!strcmp(a, "--strict")) {
            ep->strict = 1;
        } else if (!strcmp(a, "--unsorted")) {
            ep->unsorted = 1;
        } else if (a[0] == '-' && a[1] == '-' && a[2]) {
            const char *key = method_param_key(a);
            if (!key || np == 64 || i + 1 >= argc) {
                diag("unknown option or missing value: %s (see mlg check --help)", a);
                return EXIT_USAGE;
            }
            pkeys[np] = key;
            pvals[np++] = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            diag("unknown option %s (see mlg check --help)", a);
            return EXIT_USAGE;
        } else if (!input) {
            input = a;
        } else {
            diag("more than one input");
            return EXIT_USAGE;
        }
    }
    if (!input)
        input = "-";
    if (!cat_path || !ds[0] || !ds[1] || !ds[2]) {
        diag("mlg check needs --catalogue, --start, --mid and --end (see --help)");
        return EXIT_USAGE;
    }
    int32_t d[3];
    for (int q = 0; q < 3; q++)
        if (parse_date(ds[q], strlen(ds[q]), &d[q]) != 0) {
            diag("'%s' is not a date YYYY-MM-DD", ds[q]);
            return EXIT_USAGE;
        }
    k.period.start = d[0];
    k.period.midpoint = d[1];
    k.period.end = d[2];
    if (mlg_period_validate(&k.period) != MLG_OK) {
        diag("the period needs --start <= --mid <= --end");
        return EXIT_USAGE;
    }
    if (mlg_entry_minimums_preset(year, &k.mins) != MLG_OK) {
        diag("--policy-year: 2018, 2019 or 2020 (Attachment B)");
        return EXIT_USAGE;
    }
    if (method_or_preset(method, &ep->params) != 0)
        return EXIT_USAGE;
    for (size_t q = 0; q < np; q++)
        if (method_param(&ep->params, pkeys[q], pvals[q]) < 0)
            return EXIT_USAGE;
    int rc = engine_load_catalogue(ep, cat_path);
    if (rc == EXIT_OK)
        rc = engine_prepare(ep);
    if (rc != EXIT_OK)
        return rc;
    k.root_cat = xmalloc(ep->N * sizeof *k.root_cat);
    k.node_root = xmalloc(ep->N * sizeof *k.node_root);
    k.roots = xmalloc(ep->N * sizeof *k.roots);
    for (size_t q = 0; q < ep->N; q++) {
        int32_t r = (int32_t)q;
        while (ep->cat.node[r].parent_idx >= 0)
            r = ep->cat.node[r].parent_idx;
        k.node_root[q] = r;
        k.root_cat[q] = subject_of(&ep->cat.node[r]);
        if (r == (int32_t)q)
            k.roots[k.n_roots++] = r;
    }
    /* outputs: temporary files renamed into place on success (outfile.h) */
    outfile rej_f, out_f;
    memset(&rej_f, 0, sizeof rej_f);
    const char *ins[4] = {input, cat_path, att, outp};
    if (rejects) {
        rc = outfile_open(&rej_f, rejects, ins, 4);
        if (rc != EXIT_OK)
            goto fail;
        ep->rejects = rej_f.f;
        fputs("file,line,reason\n", ep->rejects);
    }
    rc = outfile_open(&out_f, outp, ins, 3);
    if (rc != EXIT_OK) {
        outfile_abort(&rej_f);
        goto fail;
    }
    out_init(&k.out, out_f.f);
    out_str(&k.out, "student_id,check,area,detail\n");
    ep->on_student = on_student;
    ep->user = &k;
    rc = engine_read(ep, input);
    if (rc == EXIT_OK && att)
        rc = attendance(&k, att);
    check_write_errors(&k.out, outp ? outp : "stdout");
    out_free(&k.out);
    if (rc == EXIT_OK) {
        /* both written completely before either is renamed */
        rc = outfile_close(&out_f, outp);
        if (rc == EXIT_OK)
            rc = outfile_close(&rej_f, rejects);
        if (rc == EXIT_OK)
            rc = outfile_commit(&out_f, NULL);
        if (rc == EXIT_OK)
            rc = outfile_commit(&rej_f, NULL);
        if (rc != EXIT_OK)
            ep->rejects = NULL; /* not "all are in the --rejects file" */
    }
    outfile_abort(&out_f);
    outfile_abort(&rej_f);
    int rs = engine_summary(ep);
    diag("%lld policy findings", (long long)k.flagged);
    free(k.root_cat);
    free(k.node_root);
    free(k.roots);
    return rc != EXIT_OK ? rc : rs;
fail:
    free(k.root_cat);
    free(k.node_root);
    free(k.roots);
    return rc;
}

int cmd_check(int argc, char **argv)
{
    engine eng;
    engine_init(&eng);
    int rc = cmd_check_main(&eng, argc, argv);
    engine_free(&eng);
    return rc;
}
