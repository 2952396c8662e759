/* SPDX-License-Identifier: GPL-3.0-or-later */
/* explain.c -- `mlg explain STUDENT [TARGET]`: from a mark down to evidence. */
#include "cli.h"
#include "engine.h"
#include "options.h"

#include <mlg_policy.h>

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
    "stdin), --policy FILE|NAME (its method unless -m is given; its name and\n"
    "hash are printed first, \"policy none\" without), and the evidence options of mlg compute (-c/--catalogue,\n"
    "-m/--method, --PARAM VALUE, --scale, --until, --duplicates, --columns,\n"
    "--delimiter, ...); -h, --help.  32 levels below ID are expanded; deeper\n"
    "nodes are named with the command that explains them.\n";

static const char *why_name(int32_t r)
{
    const char *n = mlg_why_name(r);
    return n ? n : "?";
}

typedef struct xstate {
    const char *student;
    const char *node_id;
    int         found;
    int         rc;
    char        policy[300]; /* "NAME sha256:HASH" of --policy, or "none" */
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
    const char *label = e->have_cat ? mlg_catalogue_node_label(e->mcat, (size_t)e->t2node[t]) : "";
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
    const mlg_scale *tsc = engine_target_scale(e, t); /* the target's own scale */
    int rc = mlg_series_explain(m, day, score, weight, status, tsc, &e->params, &res, xr,
                                &err);
    if (rc != MLG_OK) {
        printf("%*starget %s: error %s: %s\n", indent, "", id, mlg_errname(rc), err.message);
    } else {
        char v[32];
        fmt_val(v, sizeof v, res.value);
        printf("%*starget %s %s: level %s, value %s, method %s, %d used, %d ignored\n", indent,
               "", id, label, res.level == MLG_LEVEL_NA ? "N/A" : tsc->label[res.level], v,
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

/* Indentation: 2 + 4 per level, capped so a very deep catalogue (a chain
 * of thousands of levels) prints one line per node, not megabytes of
 * spaces; a capped line names its depth. */
#define EXPLAIN_MAX_INDENT 66

/* Explain one node (not its children); returns the number of children
 * written to *ch_out (caller frees), 0 for a target. */
static size_t explain_one(engine *e, size_t node, const ev_t *rows, size_t nrows,
                          const double *tv, int indent, int64_t depth, mlg_rollup_child **ch_out)
{
    *ch_out = NULL;
    mlg_node_info info;
    (void)mlg_catalogue_node_info(e->mcat, node, &info);
    const char *id = mlg_catalogue_node_id(e->mcat, node);
    const char *label = mlg_catalogue_node_label(e->mcat, node);
    char deep[40] = "";
    if (indent >= EXPLAIN_MAX_INDENT)
        snprintf(deep, sizeof deep, "[depth %lld] ", (long long)depth);
    if (info.kind == MLG_NODE_TARGET) {
        if (deep[0])
            printf("%*s%s\n", indent, "", deep);
        explain_target(e, (int32_t)info.target, rows, nrows, indent);
        return 0;
    }
    size_t cap = (size_t)info.n_children;
    mlg_rollup_child *ch = xmalloc((cap ? cap : 1) * sizeof *ch);
    mlg_rollup_step st;
    mlg_errinfo err;
    int rc = mlg_rollup_explain(e->mcat, tv, node, &st, ch, cap, &err);
    if (rc != MLG_OK) {
        printf("%*s%s%s %s: error %s\n", indent, "", deep, engine_kind_name(info.kind), id,
               mlg_errname(rc));
        free(ch);
        return 0;
    }
    char v[32], s[32];
    fmt_val(v, sizeof v, st.value);
    fmt_val(s, sizeof s, st.statistic);
    printf("%*s%s%s %s %s: level %s, value %s, rule %s (statistic %s), %lld of %lld children "
           "used",
           indent, "", deep, engine_kind_name(info.kind), id, label,
           engine_level_label(e, (int32_t)node, st.level), v, mlg_rollup_rule_name(st.rule), s,
           (long long)st.n_used, (long long)st.n_children);
    if (st.reason != MLG_REFUSE_NONE)
        printf("; level %s refused (%s): %s",
               st.refused_level >= 0 ? engine_level_label(e, (int32_t)node, st.refused_level)
                                     : "?",
               mlg_rollup_refuse_name(st.reason), st.message);
    if (st.flags & MLG_NODE_VIOLATION)
        printf("; N/A is not allowed here (BUL-2332.7 sec. II.A)");
    printf("\n");
    for (size_t k = 0; k < cap; k++) {
        char cv[32];
        fmt_val(cv, sizeof cv, ch[k].value);
        printf("%*s  - %s: level %s, value %s, weight %g%s%s\n", indent, "",
               mlg_catalogue_node_id(e->mcat, (size_t)ch[k].node),
               engine_level_label(e, (int32_t)ch[k].node, ch[k].level), cv, ch[k].weight,
               ch[k].used ? "" : ", skipped (N/A)",
               ch[k].blocking ? ", held the level down" : "");
    }
    *ch_out = ch;
    return cap;
}

/* Levels below the explained node that are expanded: each node's
 * explanation runs the student's roll-up (linear in the catalogue), so a
 * chain of thousands of levels would take quadratic time; deeper nodes are
 * named with the command that explains them. */
#define EXPLAIN_MAX_DEPTH 32

/* Explain node and everything below it, depth first in child order, with
 * an explicit stack (no recursion: the depth of a catalogue is unbounded),
 * down to EXPLAIN_MAX_DEPTH levels. */
static void explain_node(engine *e, size_t node, const ev_t *rows, size_t nrows,
                         const double *tv, int indent)
{
    typedef struct frame { size_t node; int64_t depth; } frame;
    size_t cap = 64, top = 0;
    frame *stack = xmalloc(cap * sizeof *stack);
    stack[top++] = (frame){node, 0};
    while (top > 0) {
        frame f = stack[--top];
        int64_t in = indent + 4 * f.depth;
        if (f.depth > EXPLAIN_MAX_DEPTH) {
            printf("%*s[depth %lld] %s: not expanded (more than %d levels down); explain it "
                   "with: mlg explain %s %s\n",
                   (int)(in < EXPLAIN_MAX_INDENT ? in : EXPLAIN_MAX_INDENT), "",
                   (long long)f.depth, mlg_catalogue_node_id(e->mcat, f.node),
                   EXPLAIN_MAX_DEPTH, ((const xstate *)e->user)->student,
                   mlg_catalogue_node_id(e->mcat, f.node));
            continue;
        }
        mlg_rollup_child *ch = NULL;
        size_t n = explain_one(e, f.node, rows, nrows, tv,
                               in < EXPLAIN_MAX_INDENT ? (int)in : EXPLAIN_MAX_INDENT, f.depth,
                               &ch);
        if (top + n > cap) {
            while (top + n > cap)
                cap *= 2;
            stack = xrealloc(stack, cap * sizeof *stack);
        }
        for (size_t k = n; k-- > 0;)
            stack[top++] = (frame){(size_t)ch[k].node, f.depth + 1};
        free(ch);
    }
    free(stack);
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
    printf("policy %s\n", x->policy);
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
        for (size_t k = 0; k < e->N; k++) {
            mlg_node_info info;
            (void)mlg_catalogue_node_info(e->mcat, k, &info);
            if (info.n_parents == 0)
                explain_node(e, k, rows, nrows, tv, 2);
        }
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
    snprintf(x.policy, sizeof x.policy, "none"); /* until --policy names one */
    const char *input = "-", *val;
    const char *policy_arg = NULL;
    ev_opts o;
    ev_opts_init(&o, "explain");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int r;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_explain, stdout);
            return EXIT_OK;
        } else if (opt_val(argc, argv, &i, "--input", &val) ||
                   opt_val(argc, argv, &i, "-i", &val)) {
            input = val;
        } else if (opt_val(argc, argv, &i, "--policy", &val)) {
            policy_arg = val;
        } else if ((r = ev_option(ep, &o, argc, argv, &i)) != 0) {
            if (r < 0)
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
    if (policy_arg) {
        int prc = cli_policy_apply(policy_arg, ep, &o, x.policy, sizeof x.policy);
        if (prc != EXIT_OK)
            return prc;
    }
    int rc0 = ev_opts_apply(ep, &o);
    if (rc0 != EXIT_OK)
        return rc0;
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
