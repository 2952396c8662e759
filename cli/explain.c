/* explain.c -- `mlg explain STUDENT [TARGET]`: from a mark down to evidence. */
#include "cli.h"
#include "engine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char usage_explain[] =
    "usage: mlg explain STUDENT [ID] -i EVIDENCE [-c CATALOGUE] [OPTIONS]\n"
    "\n"
    "Print how STUDENT's mark for ID (a composite, domain or learning target;\n"
    "default: every top-level node, or every target without a catalogue) was\n"
    "reached: each roll-up rule with its children, why the next level was\n"
    "refused, and at the targets every evidence row with its date, score,\n"
    "weight, whether it counted and its share of the value.\n"
    "\n"
    "options: -i, --input EVIDENCE (long CSV or OneRoster directory; default\n"
    "stdin), -c/--catalogue, -m/--method, --PARAM VALUE, --scale, --until, as\n"
    "for mlg compute; -h, --help.\n";

static const char *why_name(int32_t r)
{
    static const char *n[] = {"used",        "excused",       "missing_ignored",
                              "missing_lowest", "zero_weight", "outside_window",
                              "below_mastery", "after_as_of", "not_selected"};
    return r >= 0 && r < 9 ? n[r] : "?";
}

typedef struct xstate {
    const char *student;
    const char *node_id;
    int         found;
    int         rc;
} xstate;

static void fmt_val(char *b, size_t n, double v)
{
    if (isnan(v))
        snprintf(b, n, "N/A");
    else
        snprintf(b, n, "%.6g", v);
}

static void explain_target(engine *e, int32_t t, const ev_t *rows, size_t nrows, int indent)
{
    size_t m = 0, first = 0;
    for (size_t i = 0; i < nrows; i++)
        if (rows[i].target == t) {
            if (!m)
                first = i;
            m++;
        }
    const char *id = engine_target_id(e, t);
    const char *label = e->have_cat ? e->cat.node[e->t2node[t]].label : "";
    if (m == 0) {
        printf("%*starget %s %s: N/A (no evidence)\n", indent, "", id, label);
        return;
    }
    int32_t *day = xmalloc(m * sizeof *day);
    double *score = xmalloc(m * sizeof *score), *weight = xmalloc(m * sizeof *weight);
    uint8_t *status = xmalloc(m);
    for (size_t k = 0; k < m; k++) {
        const ev_t *r = &rows[first + k];
        day[k] = r->day;
        score[k] = r->score;
        weight[k] = r->weight;
        status[k] = (uint8_t)r->status;
    }
    mlg_result res;
    mlg_errinfo err;
    mlg_explain_row *xr = xmalloc(m * sizeof *xr);
    int rc = mlg_series_explain(m, day, score, weight, status, &e->scale, &e->params, &res, xr,
                                &err);
    if (rc != MLG_OK) {
        printf("%*starget %s: error %s: %s\n", indent, "", id, mlg_errname(rc), err.message);
    } else {
        char v[32];
        fmt_val(v, sizeof v, res.value);
        printf("%*starget %s %s: level %s, value %s, method %s, %d used, %d ignored\n", indent,
               "", id, label, res.level == MLG_LEVEL_NA ? "N/A" : e->scale.label[res.level], v,
               mlg_method_name(e->params.method), res.n_used, res.n_ignored);
        printf("%*s  %-8s %-10s %6s %6s %-15s %9s %9s\n", indent, "", "line", "date", "score",
               "weight", "reason", "influence", "running");
        for (size_t k = 0; k < m; k++) {
            char d[16], sc[32], f[32];
            day_to_iso(xr[k].day, d);
            fmt_val(sc, sizeof sc, rows[first + k].score);
            fmt_val(f, sizeof f, xr[k].fitted);
            printf("%*s  %-8lld %-10s %6s %6g %-15s %9.6f %9s\n", indent, "",
                   (long long)rows[first + k].line, d, sc, xr[k].weight,
                   why_name(xr[k].reason), xr[k].influence, isnan(xr[k].fitted) ? "" : f);
        }
    }
    free(xr);
    free(day);
    free(score);
    free(weight);
    free(status);
}

static void explain_node(engine *e, size_t node, const ev_t *rows, size_t nrows,
                         const double *tv, int indent)
{
    const cat_node *nd = &e->cat.node[node];
    if (nd->kind == KIND_TARGET) {
        for (size_t t = 0; t < e->T; t++)
            if ((size_t)e->t2node[t] == node)
                explain_target(e, (int32_t)t, rows, nrows, indent);
        return;
    }
    mlg_node_info info;
    (void)mlg_catalogue_node_info(e->mcat, node, &info);
    size_t cap = (size_t)info.n_children;
    mlg_rollup_child *ch = xmalloc((cap ? cap : 1) * sizeof *ch);
    mlg_rollup_step st;
    mlg_errinfo err;
    int rc = mlg_rollup_explain(e->mcat, tv, node, &st, ch, cap, &err);
    if (rc != MLG_OK) {
        printf("%*s%s %s: error %s\n", indent, "", kind_name(nd->kind), nd->id,
               mlg_errname(rc));
        free(ch);
        return;
    }
    char v[32], s[32];
    fmt_val(v, sizeof v, st.value);
    fmt_val(s, sizeof s, st.statistic);
    printf("%*s%s %s %s: level %s, value %s, rule %s (statistic %s), %lld of %lld children "
           "used",
           indent, "", kind_name(nd->kind), nd->id, nd->label,
           st.level == MLG_LEVEL_NA ? "N/A" : e->scale.label[st.level], v,
           mlg_rollup_rule_name(st.rule), s, (long long)st.n_used, (long long)st.n_children);
    if (st.reason != MLG_REFUSE_NONE)
        printf("; level %s refused (%s): %s",
               st.refused_level >= 0 && st.refused_level < e->scale.n_levels
                   ? e->scale.label[st.refused_level]
                   : "?",
               mlg_rollup_refuse_name(st.reason), st.message);
    if (st.flags & MLG_NODE_VIOLATION)
        printf("; N/A is not allowed here (BUL-2332.7 sec. II.A)");
    printf("\n");
    for (size_t k = 0; k < cap; k++) {
        char cv[32];
        fmt_val(cv, sizeof cv, ch[k].value);
        printf("%*s  - %s: level %s, value %s, weight %g%s%s\n", indent, "",
               e->cat.node[ch[k].node].id,
               ch[k].level == MLG_LEVEL_NA ? "N/A" : e->scale.label[ch[k].level], cv,
               ch[k].weight, ch[k].used ? "" : ", skipped (N/A)",
               ch[k].blocking ? ", held the level down" : "");
    }
    for (size_t k = 0; k < cap; k++)
        explain_node(e, (size_t)ch[k].node, rows, nrows, tv, indent + 4);
    free(ch);
}

static void on_student(engine *e, int32_t s, const ev_t *rows, size_t nrows, const double *tv,
                       const int32_t *tl, const int32_t *tn, const double *nv,
                       const int32_t *nl, const int32_t *nf)
{
    (void)tl;
    (void)tn;
    (void)nv;
    (void)nl;
    (void)nf;
    xstate *x = e->user;
    if (strcmp(engine_student_id(e, s), x->student) != 0)
        return;
    x->found = 1;
    printf("student %s\n", x->student);
    if (x->node_id) {
        if (e->have_cat) {
            size_t node;
            if (mlg_catalogue_find(e->mcat, x->node_id, &node) != MLG_OK) {
                diag("unknown id '%s' in the catalogue", x->node_id);
                x->rc = EXIT_USAGE;
                return;
            }
            explain_node(e, node, rows, nrows, tv, 2);
        } else {
            int32_t t = strtab_get(&e->tids, x->node_id, strlen(x->node_id));
            if (t < 0) {
                diag("student '%s' has no evidence for '%s'", x->student, x->node_id);
                x->rc = EXIT_DATA;
                return;
            }
            explain_target(e, t, rows, nrows, 2);
        }
        return;
    }
    if (e->have_cat) {
        for (size_t k = 0; k < e->cat.n; k++)
            if (e->cat.node[k].parent_idx < 0)
                explain_node(e, k, rows, nrows, tv, 2);
    } else {
        for (size_t t = 0; t < e->tids.n; t++)
            for (size_t i = 0; i < nrows; i++)
                if (rows[i].target == (int32_t)t) {
                    explain_target(e, (int32_t)t, rows, nrows, 2);
                    break;
                }
    }
}

static int cmd_explain_main(engine *ep, int argc, char **argv)
{
    xstate x;
    memset(&x, 0, sizeof x);
    const char *input = "-", *cat_path = NULL, *method = "decaying_average", *val;
    const char *pkeys[64], *pvals[64];
    size_t np = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_explain, stdout);
            return EXIT_OK;
        } else if (opt_val(argc, argv, &i, "--input", &val) ||
                   opt_val(argc, argv, &i, "-i", &val)) {
            input = val;
        } else if (opt_val(argc, argv, &i, "--catalogue", &val) ||
                   opt_val(argc, argv, &i, "-c", &val)) {
            cat_path = val;
        } else if (opt_val(argc, argv, &i, "--method", &val) ||
                   opt_val(argc, argv, &i, "-m", &val)) {
            method = val;
        } else if (opt_val(argc, argv, &i, "--scale", &val)) {
            if (mlg_scale_from_name(val, &ep->scale) != MLG_OK) {
                diag("unknown scale '%s'", val);
                return EXIT_USAGE;
            }
        } else if (opt_val(argc, argv, &i, "--until", &val)) {
            if (parse_date(val, strlen(val), &ep->day_max) != 0) {
                diag("--until: '%s' is not a date YYYY-MM-DD", val);
                return EXIT_USAGE;
            }
        } else if (!strcmp(a, "--unsorted")) {
            ep->unsorted = 1;
        } else if (a[0] == '-' && a[1] == '-' && a[2]) {
            const char *key = method_param_key(a);
            if (!key || np == 64 || i + 1 >= argc) {
                diag("unknown option or missing value: %s (see mlg explain --help)", a);
                return EXIT_USAGE;
            }
            pkeys[np] = key;
            pvals[np++] = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            diag("unknown option %s (see mlg explain --help)", a);
            return EXIT_USAGE;
        } else if (!x.student) {
            x.student = a;
        } else if (!x.node_id) {
            x.node_id = a;
        } else {
            diag("too many arguments: '%s'", a);
            return EXIT_USAGE;
        }
    }
    if (!x.student) {
        fputs(usage_explain, stderr);
        return EXIT_USAGE;
    }
    if (method_or_preset(method, &ep->params) != 0)
        return EXIT_USAGE;
    for (size_t k = 0; k < np; k++)
        if (method_param(&ep->params, pkeys[k], pvals[k]) < 0)
            return EXIT_USAGE;
    if (cat_path) {
        int rc = engine_load_catalogue(ep, cat_path);
        if (rc != EXIT_OK)
            return rc;
    }
    int rc = engine_prepare(ep);
    if (rc != EXIT_OK)
        return rc;
    ep->only_student = x.student;
    ep->unsorted = 1; /* only this student's rows are kept, so order does not matter */
    ep->on_student = on_student;
    ep->user = &x;
    rc = engine_read(ep, input);
    int wrc = stdout_check_errors();
    if (rc == EXIT_OK)
        rc = wrc;
    if (rc == EXIT_OK && !x.found) {
        diag("%s: no evidence for student '%s'", ep->in_label, x.student);
        rc = EXIT_DATA;
    }
    if (rc == EXIT_OK)
        rc = x.rc;
    return rc;
}

int cmd_explain(int argc, char **argv)
{
    engine eng;
    engine_init(&eng);
    int rc = cmd_explain_main(&eng, argc, argv);
    engine_free(&eng);
    return rc;
}
