/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check.c -- `mlg check`: report-card policy checks for a reporting period
 * (BUL-2332.7 sec. VII and Att. B minimum grade entry, sec. IX warning
 * notices, sec. I.F insufficient attendance). */
#include "cli.h"
#include "engine.h"
#include "options.h"
#include "csv.h"
#include "attendance.h"
#include "outfile.h"

#include <mlg_policy.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_check[] =
    "usage: mlg check EVIDENCE -c CATALOGUE (--start DATE --mid DATE --end DATE |\n"
    "                 --period NAME)\n"
    "                 [--policy-year 2018|2019|2020] [--attendance FILE]\n"
    "                 [--grade K|1..6] [OPTIONS]\n"
    "\n"
    "Policy reports for one reporting period, as CSV student_id,check,area,detail:\n"
    "  entry_short_midpoint / entry_short_end   fewer marks than Attachment B\n"
    "      requires in a subject (ELA, Math, ALD; others by the end only); the\n"
    "      ELA minimum counts Foundational Reading, Making Meaning and Writing,\n"
    "      and each other ELA domain needs one mark by the end\n"
    "  entry_recommended    fewer than six marks in a subject (sec. VII.F)\n"
    "  warning_notice       at risk of a 1 or 2 in a domain or composite at the\n"
    "      midpoint (marks from the evidence dated up to --mid; sec. IX)\n"
    "  warning_notice_late  at risk at the end but not at the midpoint (IX.C)\n"
    "      With a grade (the attendance file's grade column, else --grade),\n"
    "      the detail names the line of the Attachment C letter for it (K-5\n"
    "      letter for K..5, 6th-grade letter for 6) matched by the node's label,\n"
    "      or says the node is not a line of that letter; with no grade the\n"
    "      rows are as before and the K-5 letter is assumed\n"
    "  insufficient_attendance  fewer than 15 days enrolled: AG-14 (sec. I.F),\n"
    "      from --attendance FILE (CSV student_id,days_enrolled[,override]\n"
    "      [,grade]; grade K or 0..6, empty = not given);\n"
    "      override is yes/no (also 1/0, true/false); an AG-14 student gets no\n"
    "      other finding (no academic marks, no notices)\n"
    "  no_evidence          enrolled 15+ days (or overridden) with no evidence\n"
    "  evidence_few / evidence_no_span  a target mark from fewer rows than the\n"
    "      policy asks (one assessment), or from rows in one half of the\n"
    "      period only (sec. VII.E \"span the duration of the reporting period\")\n"
    "  math_footnote        no math domain, or no mathematical practice, graded\n"
    "      this period (sec. II.A footnote *); arts_footnote: no arts discipline\n"
    "      (footnote **)\n"
    "  year_not_graded      with --year-start DATE (the final period): a math\n"
    "      domain, practice or arts discipline without a mark this school year\n"
    "  policy               the policy applied: its name and SHA-256 hash\n"
    "A target with no evidence dated in the period is N/A for it (\"not\n"
    "assessed in current reporting period\").  Notice thresholds are the\n"
    "policy's per scale: 1 or 2 on CCS and ELD, R on behaviours, none on TK.\n"
    "A subject is the top-level node of the catalogue.  Its Attachment B row\n"
    "is the one its catalogue `subject` column declares (a policy subject\n"
    "code: ela*, math_* -> ELA, Math; eld -> ALD; others 'other' areas); when\n"
    "none is declared, ids or labels starting with ELA/English are ELA,\n"
    "MATH/Math are Math, ALD/ELD are ALD, others are 'other' areas.\n"
    "\n"
    "options: -c/--catalogue (required), -o FILE, --policy FILE|NAME (default\n"
    "lausd-bul-2332.7; its method applies when -m is not given),\n"
    "--policy-year 2018|2019|2020 (default: the policy's Attachment B year),\n"
    "--period NAME (a dated period of the policy's periods.dates),\n"
    "--year-start DATE, --attendance FILE, --grade K|0..6 (every student\n"
    "without a grade in the attendance file), and the evidence options of mlg\n"
    "compute (-m/--method, --PARAM VALUE, --scale, --until, --unsorted,\n"
    "--rejects FILE, --strict, --duplicates, --columns, --delimiter,\n"
    "--progress, ...),\n"
    "-h/--help.  Exit status 0 (also when students are flagged), 1 bad data,\n"
    "2 usage, 3 rows rejected.\n";

typedef struct kstate {
    mlg_policy         *pol;
    mlg_policy_settings set;
    att_table           att;       /* --attendance, sorted by id */
    int32_t            *cov_group; /* per node: 0 math domain, 1 practice,
                                      2 arts discipline, -1 */
    int32_t             year_start;/* --year-start day, or INT32_MIN */
    int32_t            *slot_cat;  /* per slot (roots[]): MLG_SUBJECT_* */
    int32_t            *node_slot; /* per node: its Attachment B slot */
    size_t              n_subjects;/* roots[0..n_subjects) are subjects; the
                                      rest are ELA "remaining sub scores" */
    int64_t             n_few, n_no_span, n_not_assessed, n_ag14;
    mlg_period          period;
    mlg_entry_minimums  mins;
    int32_t            *root_cat;  /* per node: MLG_SUBJECT_* of its root */
    int32_t            *node_root; /* per node: root node index */
    size_t              n_roots;
    int32_t            *roots;     /* root node indices */
    out_t               out;
    int64_t             flagged;
    int32_t             grade;     /* --grade: 0 (K) .. 6, or -1 (none) */
} kstate;

static int32_t subject_of(const char *id, const char *label)
{
    const char *s[2] = {id, label};
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

/* The Attachment B row of a policy subject code the catalogue declares
 * (its `subject` column): ela, ela_composite -> ELA; math_domain,
 * math_practices, math_composite -> Math; eld -> ALD (the row "iELD/ALD/
 * MELD"); any other code -> other areas. */
static int32_t subject_of_code(const char *code)
{
    if (!strncmp(code, "ela", 3))
        return MLG_SUBJECT_ELA;
    if (!strncmp(code, "math_", 5))
        return MLG_SUBJECT_MATH;
    if (!strcmp(code, "eld"))
        return MLG_SUBJECT_ALD;
    return MLG_SUBJECT_OTHER;
}

/* One of the three ELA areas the Attachment B ELA row names. */
static int ela_named_area(const char *id, const char *label)
{
    static const char *const suffix[] = {".RF", ".MM", ".WR"};
    static const char *const words[] = {"Foundational", "Making Meaning", "Writing"};
    const size_t il = strlen(id);
    for (int i = 0; i < 3; i++)
        if ((il >= 3 && !strcmp(id + il - 3, suffix[i])) || strstr(label, words[i]))
            return 1;
    return 0;
}

/* Node q's first parent in the catalogue, or -1 for a root. */
static int32_t first_parent(const engine *e, size_t q)
{
    size_t np = 0;
    (void)mlg_catalogue_node_parents(e->mcat, q, 0, NULL, &np); /* a size query */
    if (np == 0)
        return -1;
    int64_t *par = xmalloc(np * sizeof *par);
    int32_t p = -1;
    if (mlg_catalogue_node_parents(e->mcat, q, np, par, &np) == MLG_OK && np > 0)
        p = (int32_t)par[0];
    free(par);
    return p;
}

/* A label lower-cased, letters and digits only, '&' spelt "and". */
static void norm_label(const char *s, char *out, size_t size)
{
    size_t n = 0;
    for (; *s && n + 4 < size; s++) {
        const char c = (char)((*s >= 'A' && *s <= 'Z') ? *s + 32 : *s);
        if (c == '&') {
            memcpy(out + n, "and", 3);
            n += 3;
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            out[n++] = c;
        }
    }
    out[n] = '\0';
}

/* One normalised label the start of the other (at least 4 characters). */
static int label_match(const char *a, const char *b)
{
    const size_t la = strlen(a), lb = strlen(b), m = la < lb ? la : lb;
    return m >= 4 && !strncmp(a, b, m);
}

/* The line of the Attachment C letter for `grade` (0..5 the K-5 letter, 6
 * the 6th-grade letter) that a notice on a node labelled `label` checks:
 * ", <letter>: <heading> <line>" when the label matches a line (or a
 * heading, for a composite), else ", not a line of the <letter>". */
static void letter_note(const char *label, int32_t grade, char *buf, size_t size)
{
    const char *letter = grade == 6 ? "grade-6 letter" : "K-5 letter";
    char nl[MLG_NAME_SIZE * 2], al[MLG_NAME_SIZE * 2];
    norm_label(label, nl, sizeof nl);
    mlg_notice_area a;
    for (size_t i = 0; mlg_notice_area_grade(grade, i, &a) == MLG_OK; i++) {
        norm_label(a.label, al, sizeof al);
        if (!a.behavior && label_match(nl, al)) {
            snprintf(buf, size, "; Att. C %s: %s%s%s", letter, a.heading,
                     a.heading[0] ? " - " : "", a.label);
            return;
        }
        norm_label(a.heading, al, sizeof al);
        if (!a.behavior && a.heading[0] && label_match(nl, al)) {
            snprintf(buf, size, "; Att. C %s: %s", letter, a.heading);
            return;
        }
    }
    snprintf(buf, size, "; not a line of the Att. C %s", letter);
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

/* Node level values of one student from the rows dated <= until (NaN =
 * N/A), and the at-risk thresholds of the policy (NULL: not wanted);
 * levels in lev_out when not NULL.  A target without a counted row dated
 * from..until is N/A: "not assessed in current reporting period". */
static void marks_until(engine *e, const ev_t *rows, size_t n, int32_t from, int32_t until,
                        double *nodeval, double *thr, int32_t *lev_out)
{
    const kstate *k = e->user;
    double *tv = xmalloc(e->T * sizeof *tv);
    for (size_t t = 0; t < e->T; t++)
        tv[t] = NAN;
    int32_t *day = xmalloc((n ? n : 1) * sizeof *day);
    double *sc = xmalloc((n ? n : 1) * sizeof *sc), *w = xmalloc((n ? n : 1) * sizeof *w);
    uint8_t *st = xmalloc(n ? n : 1);
    for (size_t i = 0; i < n;) {
        size_t j = i, m = 0;
        int in_period = 0;
        while (j < n && rows[j].target == rows[i].target) {
            if (rows[j].day >= from && rows[j].day <= until &&
                rows[j].status == MLG_EVIDENCE_COUNTED)
                in_period = 1;
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
        if (m && in_period &&
            mlg_series_compute(m, day, sc, w, st, engine_target_scale(e, rows[i].target),
                               &e->params, &r, NULL) == MLG_OK)
            tv[rows[i].target] = r.value;
        i = j;
    }
    int32_t *lv = xmalloc(e->N * sizeof *lv);
    double *nv = xmalloc(e->N * sizeof *nv);
    double *thr_tmp = thr ? thr : xmalloc(e->N * sizeof *thr_tmp);
    if (mlg_rollup_run(e->mcat, 1, tv, 1, nv, lv, NULL, NULL) != MLG_OK ||
        mlg_policy_notice_inputs(k->pol, e->mcat, 1, lv, 0, nodeval, thr_tmp, NULL) !=
            MLG_OK) {
        for (size_t q = 0; q < e->N; q++) {
            nodeval[q] = NAN;
            thr_tmp[q] = 0;
            lv[q] = MLG_LEVEL_NA;
        }
    }
    if (lev_out)
        memcpy(lev_out, lv, e->N * sizeof *lv);
    if (!thr)
        free(thr_tmp);
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
    char detail[768];
    /* Sec. I.F: an AG-14 student gets no academic marks, so no finding. */
    att_row *ar = att_find(&k->att, sid);
    /* The student's grade picks the Attachment C letter: the attendance
     * file's grade column, else --grade, else none (the K-5 areas). */
    const int32_t grade = ar && ar->grade >= 0 ? ar->grade : k->grade;
    char note[MLG_NAME_SIZE * 5];
    note[0] = '\0';
    if (ar) {
        ar->seen = 1;
        if (ar->decision == MLG_ATTEND_AG14)
            return;
    }
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
            slot[g++] = k->node_slot[e->t2node[rows[i].target]];
        }
        day[i] = rows[i].day;
        st[i] = (uint8_t)rows[i].status;
    }
    off[ng] = (int64_t)n;
    int32_t *cat = xmalloc(k->n_roots * sizeof *cat);
    for (size_t r = 0; r < k->n_roots; r++)
        cat[r] = k->slot_cat[r];
    int64_t *bym = xmalloc(k->n_roots * sizeof *bym), *bye = xmalloc(k->n_roots * sizeof *bye);
    uint32_t *fl = xmalloc(k->n_roots * sizeof *fl);
    mlg_errinfo err;
    int rc = mlg_entry_check(ng, off, day, st, slot, k->n_roots, cat, &k->period, &k->mins, bym,
                             bye, fl, NULL, &err);
    if (rc == MLG_OK) {
        for (size_t r = 0; r < k->n_roots; r++) {
            int32_t c = cat[r];
            const char *root_id = mlg_catalogue_node_id(e->mcat, (size_t)k->roots[r]);
            if (fl[r] & MLG_ENTRY_SHORT_MIDPOINT) {
                snprintf(detail, sizeof detail, "%lld marks by the midpoint, %d required",
                         (long long)bym[r], k->mins.req_midpoint[c]);
                row(k, sid, "entry_short_midpoint", root_id, detail);
            }
            if (fl[r] & MLG_ENTRY_SHORT_END) {
                snprintf(detail, sizeof detail, "%lld marks by the end, %d required",
                         (long long)bye[r], k->mins.req_end[c]);
                row(k, sid, "entry_short_end", root_id, detail);
            }
            /* Sec. VII.F: six per subject area recommended (advice). */
            if (r < k->n_subjects && bye[r] < k->set.entry_recommended) {
                snprintf(detail, sizeof detail,
                         "%lld marks by the end, %d per subject area recommended (sec. VII.F)",
                         (long long)bye[r], (int)k->set.entry_recommended);
                row(k, sid, "entry_recommended", root_id, detail);
            }
        }
    } else {
        diag("%s: student %s: minimum entry check: %s", e->in_label, sid, err.message);
    }
    /* 2. evidence sufficiency per target (sec. VII.E) */
    uint32_t *sf = xmalloc((ng ? ng : 1) * sizeof *sf);
    mlg_sufficiency_summary sum;
    if (mlg_evidence_sufficiency(ng, off, day, st, &k->period, k->set.evidence_min,
                                 k->set.evidence_span, sf, &sum, &err) == MLG_OK) {
        for (size_t q = 0; q < ng; q++) {
            const char *tid =
                mlg_catalogue_node_id(e->mcat, (size_t)e->t2node[rows[off[q]].target]);
            if (sf[q] & MLG_SUFFICIENCY_FEW) {
                snprintf(detail, sizeof detail,
                         "fewer than %d assessments in the period (sec. VII.E: multiple)",
                         (int)k->set.evidence_min);
                row(k, sid, "evidence_few", tid, detail);
            }
            if (sf[q] & MLG_SUFFICIENCY_NO_SPAN)
                row(k, sid, "evidence_no_span", tid,
                    "evidence in one half of the period only (sec. VII.E: span the period)");
        }
        k->n_few += sum.n_few;
        k->n_no_span += sum.n_no_span;
        k->n_not_assessed += sum.n_empty;
    } else {
        diag("%s: student %s: evidence check: %s", e->in_label, sid, err.message);
    }
    free(sf);
    /* 3. warning notices: areas are every domain and composite, with the
     * policy's threshold for each node's scale (targets excluded). */
    double *mid = xmalloc(e->N * sizeof *mid), *end = xmalloc(e->N * sizeof *end);
    double *thr = xmalloc(e->N * sizeof *thr);
    int32_t *lend = xmalloc(e->N * sizeof *lend);
    marks_until(e, rows, n, k->period.start, k->period.midpoint, mid, thr, NULL);
    marks_until(e, rows, n, k->period.start, k->period.end, end, NULL, lend);
    size_t need = 0;
    int64_t *ss = xmalloc(e->N * sizeof *ss), *aa = xmalloc(e->N * sizeof *aa);
    if (mlg_notice_list(1, e->N, mid, thr, e->N, ss, aa, &need, &err) == MLG_OK) {
        for (size_t q = 0; q < need; q++) {
            if (grade >= 0)
                letter_note(mlg_catalogue_node_label(e->mcat, (size_t)aa[q]), grade, note,
                            sizeof note);
            snprintf(detail, sizeof detail, "level %g at the midpoint%s", mid[aa[q]], note);
            row(k, sid, "warning_notice", mlg_catalogue_node_id(e->mcat, (size_t)aa[q]), detail);
        }
        size_t need2 = 0;
        int64_t *s2 = xmalloc(e->N * sizeof *s2), *a2 = xmalloc(e->N * sizeof *a2);
        if (mlg_notice_list_new(1, e->N, end, thr, need, ss, aa, e->N, s2, a2, &need2, &err) ==
            MLG_OK) {
            for (size_t q = 0; q < need2; q++) {
                if (grade >= 0)
                    letter_note(mlg_catalogue_node_label(e->mcat, (size_t)a2[q]), grade, note,
                                sizeof note);
                snprintf(detail, sizeof detail,
                         "level %g at the end, not at risk at the midpoint: send a notice "
                         "now%s",
                         end[a2[q]], note);
                row(k, sid, "warning_notice_late", mlg_catalogue_node_id(e->mcat, (size_t)a2[q]),
                    detail);
            }
        }
        free(s2);
        free(a2);
    }
    /* 4. the footnotes of sec. II.A: a math domain and a practice (*) and
     * an arts discipline (**) graded this period ... */
    uint32_t miss[3];
    int32_t never[3];
    if (mlg_coverage_check(1, 1, e->N, lend, k->cov_group, 3, miss, never, &err) == MLG_OK) {
        if (miss[0] & 1u)
            row(k, sid, "math_footnote", "MATH",
                "no math domain graded this period (sec. II.A *)");
        if (miss[1] & 1u)
            row(k, sid, "math_footnote", "MATH.MP",
                "no mathematical practice graded this period (sec. II.A *)");
        if (miss[2] & 1u)
            row(k, sid, "arts_footnote", "VAPA",
                "no arts discipline graded this period (sec. II.A **)");
    }
    /* ... so that by the final period each is graded: with --year-start,
     * every math domain, practice and arts discipline without a mark from
     * the year's start to the end of this period. */
    if (k->year_start != INT32_MIN) {
        double *yv = xmalloc(e->N * sizeof *yv);
        int32_t *ylev = xmalloc(e->N * sizeof *ylev);
        marks_until(e, rows, n, k->year_start, k->period.end, yv, NULL, ylev);
        for (size_t q = 0; q < e->N; q++)
            if (k->cov_group[q] >= 0 && ylev[q] == MLG_LEVEL_NA)
                row(k, sid, "year_not_graded", mlg_catalogue_node_id(e->mcat, q),
                    "no mark this school year: by the final period each math domain, "
                    "practice and arts discipline is graded (sec. II.A * and **)");
        free(yv);
        free(ylev);
    }
    free(ss);
    free(aa);
    free(mid);
    free(end);
    free(thr);
    free(lend);
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

/* The attendance findings, in file order, after the evidence. */
static void attendance_report(kstate *k)
{
    att_sort_by_line(&k->att);
    const int32_t md = k->set.attendance_min_days;
    for (size_t i = 0; i < k->att.n; i++) {
        const att_row *a = &k->att.row[i];
        char detail[160];
        if (a->decision == MLG_ATTEND_AG14) {
            snprintf(detail, sizeof detail, "%d days enrolled (< %d): no marks; comment %s %s",
                     a->days, md, MLG_COMMENT_AG14, MLG_COMMENT_AG14_TEXT);
            row(k, a->id, "insufficient_attendance", "", detail);
            k->n_ag14++;
            continue;
        }
        if (a->decision == MLG_ATTEND_OVERRIDE) {
            snprintf(detail, sizeof detail, "%d days enrolled (< %d): marks assigned by override",
                     a->days, md);
            row(k, a->id, "attendance_override", "", detail);
        }
        if (!a->seen) {
            snprintf(detail, sizeof detail,
                     "%d days enrolled, no evidence: marks are required (sec. I.F)", a->days);
            row(k, a->id, "no_evidence", "", detail);
        }
    }
}

static void check_free(kstate *k)
{
    att_free(&k->att);
    free(k->root_cat);
    free(k->node_root);
    free(k->roots);
    free(k->cov_group);
    free(k->slot_cat);
    free(k->node_slot);
}

static int cmd_check_main(engine *ep, int argc, char **argv)
{
    kstate k;
    memset(&k, 0, sizeof k);
    const char *input = NULL, *val;
    const char *att = NULL, *outp = NULL;
    const char *ds[3] = {NULL, NULL, NULL};
    const char *year_arg = NULL, *policy_arg = NULL, *ys = NULL, *period_name = NULL;
    k.grade = -1;
    ev_opts o;
    ev_opts_init(&o, "check");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int r;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_check, stdout);
            return EXIT_OK;
        } else if (opt_val(argc, argv, &i, "--policy", &val)) {
            policy_arg = val;
        } else if (opt_val(argc, argv, &i, "--start", &val)) {
            ds[0] = val;
        } else if (opt_val(argc, argv, &i, "--mid", &val) ||
                   opt_val(argc, argv, &i, "--midpoint", &val)) {
            ds[1] = val;
        } else if (opt_val(argc, argv, &i, "--end", &val)) {
            ds[2] = val;
        } else if (opt_val(argc, argv, &i, "--period", &val)) {
            period_name = val;
        } else if (opt_val(argc, argv, &i, "--year-start", &val)) {
            ys = val;
        } else if (opt_val(argc, argv, &i, "--policy-year", &val)) {
            year_arg = val;
        } else if (opt_val(argc, argv, &i, "--grade", &val)) {
            k.grade = att_parse_grade(val);
            if (k.grade < 0) {
                diag("--grade '%s': K or 0..6 (the Attachment C letters)", val);
                return EXIT_USAGE;
            }
        } else if (opt_val(argc, argv, &i, "--attendance", &val)) {
            att = val;
        } else if (opt_val(argc, argv, &i, "--output", &val) ||
                   opt_val(argc, argv, &i, "-o", &val)) {
            outp = val;
        } else if ((r = ev_option(ep, &o, argc, argv, &i)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
        } else if (!input) {
            input = a;
        } else {
            diag("more than one input");
            return EXIT_USAGE;
        }
    }
    const char *cat_path = o.cat_path, *rejects = o.rejects;
    if (!input)
        input = "-";
    int rc = cli_policy_load(policy_arg, &k.pol);
    if (rc != EXIT_OK)
        return rc;
    ep->policy = k.pol; /* owned by the engine from here */
    ep->policy_rules = policy_arg != NULL;
    mlg_policy_settings_get(k.pol, &k.set);
    int32_t d[3];
    if (period_name) {
        /* A dated reporting period of the policy (its "periods.dates"). */
        mlg_period pp;
        char nm[MLG_LABEL_SIZE];
        size_t q = 0;
        while (mlg_policy_period(k.pol, q, &pp, nm) == MLG_OK && strcmp(nm, period_name))
            q++;
        if (mlg_policy_period(k.pol, q, &pp, nm) != MLG_OK || ds[0] || ds[1] || ds[2]) {
            diag("--period '%s': not a dated period of policy %s (or given with --start, "
                 "--mid, --end)", period_name, mlg_policy_name(k.pol));
            return EXIT_USAGE;
        }
        d[0] = pp.start;
        d[1] = pp.midpoint;
        d[2] = pp.end;
    } else {
        if (!ds[0] || !ds[1] || !ds[2]) {
            diag("mlg check needs --catalogue, and --start, --mid and --end or --period "
                 "(see --help)");
            return EXIT_USAGE;
        }
        for (int q = 0; q < 3; q++)
            if (parse_date(ds[q], strlen(ds[q]), &d[q]) != 0) {
                diag("'%s' is not a date YYYY-MM-DD", ds[q]);
                return EXIT_USAGE;
            }
    }
    if (!cat_path) {
        diag("mlg check needs --catalogue (see --help)");
        return EXIT_USAGE;
    }
    k.period.start = d[0];
    k.period.midpoint = d[1];
    k.period.end = d[2];
    k.year_start = INT32_MIN;
    if (ys && (parse_date(ys, strlen(ys), &k.year_start) != 0 || k.year_start > d[0])) {
        diag("--year-start '%s': a date YYYY-MM-DD on or before --start", ys);
        return EXIT_USAGE;
    }
    if (mlg_period_validate(&k.period) != MLG_OK) {
        diag("the period needs --start <= --mid <= --end");
        return EXIT_USAGE;
    }
    /* --policy-year: exactly 2018, 2019, 2020 or a name such as 2019-20;
     * "2018abc" is refused. */
    int yok = 1;
    if (!year_arg) {
        yok = mlg_policy_entry_minimums(k.pol, &k.mins) == MLG_OK;
    } else if (mlg_entry_minimums_from_name(year_arg, &k.mins) != MLG_OK) {
        char *endp = NULL;
        const long y = strtol(year_arg, &endp, 10);
        yok = endp != year_arg && *endp == '\0' && y >= 2018 && y <= 2020 &&
              mlg_entry_minimums_preset((int32_t)y, &k.mins) == MLG_OK;
    }
    if (!yok) {
        diag("--policy-year '%s': 2018, 2019 or 2020 (Attachment B)", year_arg ? year_arg : "");
        return EXIT_USAGE;
    }
    o.policy = policy_arg ? k.pol : NULL; /* its method unless -m */
    rc = ev_opts_apply(ep, &o);
    if (rc == EXIT_OK)
        rc = engine_prepare(ep);
    if (rc == EXIT_OK && att)
        rc = att_read(&k.att, att, k.set.attendance_min_days, k.set.attendance_override);
    if (rc != EXIT_OK) {
        check_free(&k);
        return rc;
    }
    /* A subject the catalogue declares (its root's `subject` column) must
     * be one of the policy's subject codes. */
    for (size_t q = 0; q < ep->N && ep->node_subject; q++) {
        mlg_policy_subject ps;
        const char *code = ep->node_subject[q];
        if (code && ep->node_root[q] == (int32_t)q &&
            mlg_policy_subject_find(k.pol, code, &ps) != MLG_OK) {
            diag("%s: subject '%s' of %s is not a subject code of policy %s", cat_path, code,
                 mlg_catalogue_node_id(ep->mcat, q), mlg_policy_name(k.pol));
            check_free(&k);
            return EXIT_DATA;
        }
    }
    k.root_cat = xmalloc(ep->N * sizeof *k.root_cat);
    k.node_root = xmalloc(ep->N * sizeof *k.node_root);
    k.roots = xmalloc(ep->N * sizeof *k.roots);
    for (size_t q = 0; q < ep->N; q++) {
        int32_t r = ep->node_root[q]; /* the root reached by first parents */
        k.node_root[q] = r;
        /* the root's declared subject, else the guess from its id/label */
        const char *code = ep->node_subject ? ep->node_subject[r] : NULL;
        k.root_cat[q] = code ? subject_of_code(code)
                             : subject_of(mlg_catalogue_node_id(ep->mcat, (size_t)r),
                                          mlg_catalogue_node_label(ep->mcat, (size_t)r));
        if (r == (int32_t)q)
            k.roots[k.n_roots++] = r;
    }
    /* Attachment B slots: each subject (a root), and each ELA domain other
     * than the three the ELA row names (Foundational Reading Skills, Making
     * Meaning from Text, Effective Expression Through Writing), which is a
     * "remaining sub score" needing one mark by the end. */
    k.n_subjects = k.n_roots;
    k.slot_cat = xmalloc((ep->N ? ep->N : 1) * sizeof *k.slot_cat);
    k.node_slot = xmalloc((ep->N ? ep->N : 1) * sizeof *k.node_slot);
    for (size_t r = 0; r < k.n_roots; r++)
        k.slot_cat[r] = k.root_cat[k.roots[r]];
    /* first parents, and ids and labels, of the library's catalogue */
    int32_t *par = xmalloc((ep->N ? ep->N : 1) * sizeof *par);
    for (size_t q = 0; q < ep->N; q++)
        par[q] = first_parent(ep, q);
#define NID(q) mlg_catalogue_node_id(ep->mcat, (size_t)(q))
#define NLABEL(q) mlg_catalogue_node_label(ep->mcat, (size_t)(q))
    for (size_t q = 0; q < ep->N; q++) {
        if (k.root_cat[q] != MLG_SUBJECT_ELA || ep->node_kind[q] != MLG_NODE_DOMAIN ||
            par[q] < 0 || ela_named_area(NID(q), NLABEL(q)))
            continue;
        k.slot_cat[k.n_roots] = MLG_SUBJECT_OTHER;
        k.roots[k.n_roots++] = (int32_t)q;
    }
    for (size_t q = 0; q < ep->N; q++) {
        int32_t slot = -1;
        for (int32_t a = (int32_t)q; a >= 0 && slot < 0; a = par[a])
            for (size_t r = k.n_subjects; r < k.n_roots; r++)
                if (k.roots[r] == a)
                    slot = (int32_t)r;
        for (size_t r = 0; r < k.n_subjects && slot < 0; r++)
            if (k.roots[r] == k.node_root[q])
                slot = (int32_t)r;
        k.node_slot[q] = slot;
    }
    /* The Math footnote's groups: domains under the Math subject (0), and
     * the practices (1): the targets of a Math domain named for the
     * Mathematical Practices (id ending ".MP" or a label with "Practice"). */
    k.cov_group = xmalloc((ep->N ? ep->N : 1) * sizeof *k.cov_group);
    for (size_t q = 0; q < ep->N; q++) {
        k.cov_group[q] = -1;
        if (k.root_cat[q] != MLG_SUBJECT_MATH || par[q] < 0)
            continue;
        const char *id = NID(q), *pid = NID(par[q]);
        const size_t il = strlen(id), pl = strlen(pid);
        const int mp = (il >= 3 && !strcmp(id + il - 3, ".MP")) ||
                       strstr(NLABEL(q), "Practice") != NULL;
        const int pmp = (pl >= 3 && !strcmp(pid + pl - 3, ".MP")) ||
                        strstr(NLABEL(par[q]), "Practice") != NULL;
        if (ep->node_kind[q] == MLG_NODE_DOMAIN && !mp)
            k.cov_group[q] = 0;
        else if (ep->node_kind[q] == MLG_NODE_TARGET && pmp)
            k.cov_group[q] = 1;
    }
    /* The arts disciplines (2): domains of the Visual and Performing Arts. */
    for (size_t q = 0; q < ep->N; q++) {
        const int32_t rt = k.node_root[q];
        const char *code = NULL;
        if (ep->node_kind[q] == MLG_NODE_DOMAIN && par[q] >= 0 &&
            mlg_policy_subject_guess(NID(rt), NLABEL(rt), NID(q), NLABEL(q), NULL, NULL,
                                     MLG_NODE_DOMAIN, &code) == MLG_OK &&
            !strcmp(code, "vapa_discipline"))
            k.cov_group[q] = 2;
    }
#undef NID
#undef NLABEL
    free(par);
    /* outputs: temporary files renamed into place on success (outfile.h) */
    outfile rej_f, out_f;
    memset(&rej_f, 0, sizeof rej_f);
    /* inputs: the evidence, the catalogue, the attendance file, a policy
     * file (not a built-in policy's name), then -o for --rejects */
    const char *pol_file = policy_arg && access(policy_arg, F_OK) == 0 ? policy_arg : NULL;
    const char *ins[5] = {input, cat_path, att, pol_file, outp};
    if (rejects) {
        rc = outfile_open(&rej_f, rejects, ins, 5);
        if (rc != EXIT_OK)
            goto fail;
        ep->rejects = rej_f.f;
        fputs("file,line,reason\n", ep->rejects);
    }
    rc = outfile_open(&out_f, outp, ins, 4);
    if (rc != EXIT_OK) {
        outfile_abort(&rej_f);
        goto fail;
    }
    out_init(&k.out, out_f.f);
    out_str(&k.out, "student_id,check,area,detail\n");
    {
        char hb[96];
        snprintf(hb, sizeof hb, "sha256:%s", mlg_policy_hash(k.pol));
        out_str(&k.out, ",policy,");
        out_csv(&k.out, mlg_policy_name(k.pol), 1);
        out_ch(&k.out, ',');
        out_str(&k.out, hb);
        out_ch(&k.out, '\n');
    }
    ep->on_student = on_student;
    ep->user = &k;
    rc = engine_read(ep, input);
    if (rc == EXIT_OK && att)
        attendance_report(&k);
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
    diag("policy %s sha256:%s: %lld findings; %lld target marks from too few assessments, "
         "%lld not spanning the period, %lld targets not assessed this period, %lld AG-14",
         mlg_policy_name(k.pol), mlg_policy_hash(k.pol), (long long)k.flagged,
         (long long)k.n_few, (long long)k.n_no_span, (long long)k.n_not_assessed,
         (long long)k.n_ag14);
    check_free(&k);
    return rc != EXIT_OK ? rc : rs;
fail:
    check_free(&k);
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
