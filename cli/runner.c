/* SPDX-License-Identifier: GPL-3.0-or-later */
/* runner.c -- computing grouped students: mlg_batch_compute() (failed
 * series recomputed alone and rejected), mlg_rollup_run(), and the
 * per-student callback. */
#include "engine_internal.h"
#include "options.h"

#include <mlg_policy.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Count rows of failed series as rejected, one per input line whose every
 * row failed: a OneRoster result feeding two objectives is one input row
 * (counted once), and it stays used when one of its objectives computed. */
static void count_failed_lines(engine *e, const ev_t *rows, size_t n, int64_t *failed,
                               size_t n_failed)
{
    if (n_failed == 0)
        return;
    int64_t *all = xmalloc(n * sizeof *all);
    for (size_t i = 0; i < n; i++)
        all[i] = rows[i].line;
    qsort(all, n, sizeof *all, cmp_i64);
    qsort(failed, n_failed, sizeof *failed, cmp_i64);
    size_t a = 0;
    for (size_t f = 0; f < n_failed;) {
        size_t g = f;
        while (g < n_failed && failed[g] == failed[f])
            g++;
        while (a < n && all[a] < failed[f])
            a++;
        size_t b = a;
        while (b < n && all[b] == failed[f])
            b++;
        if (g - f == b - a) { /* every row of this line failed */
            e->n_used--;
            e->n_rejected++;
        }
        f = g;
    }
    free(all);
}

/* The scale of group k (its target's; engine_target_scale()). */
static const mlg_scale *group_scale(const engine *e, size_t k)
{
    return engine_target_scale(e, e->g_target[k]);
}

/* The batch over the ng groups, one mlg_batch_compute() call per target
 * scale: a catalogue whose targets carry different scales (behaviours on
 * C/S/R beside academic targets on 4..1, TK on E/B/D/I) computes each target
 * on its own scale.  When every target shares one scale the call is the
 * single one it always was.  Returns the first status that is not MLG_OK. */
static int batch_by_scale(engine *e, size_t ng, mlg_errinfo *err)
{
    const double *w = e->any_weight ? e->s_weight : NULL;
    const uint8_t *st = e->any_status ? e->s_status : NULL;
    size_t nsc = e->have_cat ? e->n_scales : 0;
    int32_t one = -1; /* the scale index every group shares, or -2 */
    for (size_t k = 0; k < ng && nsc > 1 && one != -2; k++) {
        const int32_t q = e->node_scale[e->t2node[e->g_target[k]]];
        one = one == -1 || one == q ? q : -2;
    }
    if (one != -2) {
        const mlg_scale *sc = one >= 0 ? &e->scales[one] : ng ? group_scale(e, 0) : &e->scale;
        if (scale_same(sc, &e->scale))
            sc = &e->scale; /* the run's scale, exactly as before per-node scales */
        return mlg_batch_compute(ng, e->g_off, e->s_day, e->s_score, w, st, sc, &e->params,
                                 e->threads, e->g_value, e->g_level, e->g_count, err);
    }
    /* Several scales: gather each scale's groups into CSR arrays of their
     * own, compute them, and scatter the results back. */
    size_t nrows = (size_t)e->g_off[ng];
    int64_t *off = xmalloc((ng + 1) * sizeof *off);
    size_t *gk = xmalloc((ng ? ng : 1) * sizeof *gk);
    int32_t *day = xmalloc((nrows ? nrows : 1) * sizeof *day);
    double *score = xmalloc((nrows ? nrows : 1) * sizeof *score);
    double *wt = w ? xmalloc((nrows ? nrows : 1) * sizeof *wt) : NULL;
    uint8_t *sts = st ? xmalloc(nrows ? nrows : 1) : NULL;
    double *val = xmalloc((ng ? ng : 1) * sizeof *val);
    int32_t *lev = xmalloc((ng ? ng : 1) * sizeof *lev);
    int32_t *cnt = xmalloc((ng ? ng : 1) * sizeof *cnt);
    int rc = MLG_OK;
    for (size_t q = 0; q < nsc; q++) {
        size_t m = 0, r = 0;
        off[0] = 0;
        for (size_t k = 0; k < ng; k++) {
            if ((size_t)e->node_scale[e->t2node[e->g_target[k]]] != q)
                continue;
            const size_t a = (size_t)e->g_off[k], b = (size_t)e->g_off[k + 1];
            memcpy(day + r, e->s_day + a, (b - a) * sizeof *day);
            memcpy(score + r, e->s_score + a, (b - a) * sizeof *score);
            if (wt)
                memcpy(wt + r, w + a, (b - a) * sizeof *wt);
            if (sts)
                memcpy(sts + r, st + a, b - a);
            r += b - a;
            gk[m++] = k;
            off[m] = (int64_t)r;
        }
        if (m == 0)
            continue;
        mlg_errinfo e1;
        const int rq = mlg_batch_compute(m, off, day, score, wt, sts, &e->scales[q],
                                         &e->params, e->threads, val, lev, cnt, &e1);
        if (rq != MLG_OK) {
            if (rc == MLG_OK) {
                rc = rq;
                *err = e1;
            }
            continue; /* a data error: the caller recomputes every group alone */
        }
        for (size_t i = 0; i < m; i++) {
            e->g_value[gk[i]] = val[i];
            e->g_level[gk[i]] = lev[i];
            e->g_count[gk[i]] = cnt[i];
        }
    }
    free(off);
    free(gk);
    free(day);
    free(score);
    free(wt);
    free(sts);
    free(val);
    free(lev);
    free(cnt);
    return rc;
}

/* Compute the students grouped so far (engine_take_groups(): their rows
 * rows[0..n), groups in e->g_* and e->s_*): run the batch (recomputing
 * failed series alone), roll up and hand each student to the callback. */
int engine_process(engine *e, ev_t *rows)
{
    size_t n = 0, nruns = 0, ng = 0;
    engine_take_groups(e, rows, &n, &nruns, &ng);
    if (n == 0)
        return EXIT_OK;
    /* A current proficiency level supersedes the evidence before it in its
     * group (policy level_entries; mlg_level_supersede()): those rows are
     * excused here, so compute, check and explain all see it. */
    if (e->any_level) {
        uint8_t *kind = xmalloc(n ? n : 1);
        for (size_t i = 0; i < n; i++)
            kind[i] = (uint8_t)rows[i].kind;
        if (mlg_level_supersede(ng, e->g_off, kind, e->s_status, e->s_status, NULL, NULL) !=
            MLG_OK) {
            free(kind);
            diag("internal: mlg_level_supersede failed");
            return EXIT_INTERNAL;
        }
        for (size_t i = 0; i < n; i++)
            rows[i].status = e->s_status[i];
        free(kind);
    }
    /* 3. the batch */
    mlg_errinfo err;
    int rc = batch_by_scale(e, ng, &err);
    if (rc == MLG_ENOMEM)
        return EXIT_NOMEM;
    if (rc == MLG_EINVAL || rc == MLG_ENULL || rc == MLG_ENOTFOUND) {
        diag("internal: mlg_batch_compute: %s", err.message);
        return EXIT_INTERNAL;
    }
    int64_t *failed = NULL; /* input lines of the rows of failed series */
    size_t n_failed = 0, cap_failed = 0;
    if (rc != MLG_OK) {
        /* A data error (e.g. power law of a score <= 0): recompute each group
         * alone so only the failing series are rejected, never a neighbour. */
        for (size_t k = 0; k < ng; k++) {
            mlg_result r;
            mlg_errinfo e1;
            size_t o = (size_t)e->g_off[k], m = (size_t)(e->g_off[k + 1] - e->g_off[k]);
            int rc1 = mlg_series_compute(m, e->s_day + o, e->s_score + o,
                                         e->any_weight ? e->s_weight + o : NULL,
                                         e->any_status ? e->s_status + o : NULL,
                                         group_scale(e, k), &e->params, &r, &e1);
            if (rc1 == MLG_OK) {
                e->g_value[k] = r.value;
                e->g_level[k] = r.level;
                e->g_count[k] = r.n_used;
                continue;
            }
            for (size_t i = o; i < o + m; i++) {
                engine_reject_part(e, rows[i].line, "student '%s', target '%s': %s: %s",
                            engine_student_id(e, rows[i].student),
                            engine_target_id(e, rows[i].target), mlg_errname(rc1), e1.message);
                GROW(failed, cap_failed, n_failed + 1);
                failed[n_failed++] = rows[i].line;
            }
            e->g_value[k] = NAN;
            e->g_level[k] = MLG_LEVEL_NA;
            e->g_count[k] = 0;
        }
        count_failed_lines(e, rows, n, failed, n_failed);
        free(failed);
    }
    /* 4. per student: target arrays (+ roll-up) and the callback */
    size_t T = e->have_cat ? e->T : e->tids.n;
    size_t gi = 0;
    double *tv = NULL;
    int32_t *tl = NULL, *tn = NULL;
    if (e->have_cat) {
        /* one roll-up call for all students of the chunk */
        if (nruns > e->cap_runs) {
            e->cap_runs = nruns;
            e->tv = xrealloc(e->tv, nruns * T * sizeof *e->tv);
            e->tl = xrealloc(e->tl, nruns * T * sizeof *e->tl);
            e->tn = xrealloc(e->tn, nruns * T * sizeof *e->tn);
            e->nv = xrealloc(e->nv, nruns * e->N * sizeof *e->nv);
            e->nl = xrealloc(e->nl, nruns * e->N * sizeof *e->nl);
            e->nf = xrealloc(e->nf, nruns * e->N * sizeof *e->nf);
        }
        for (size_t k = 0; k < nruns * T; k++) {
            e->tv[k] = NAN;
            e->tl[k] = MLG_LEVEL_NA;
            e->tn[k] = 0;
        }
        for (size_t k = 0; k < ng; k++) {
            size_t at = (size_t)e->g_run[k] * T + (size_t)e->g_target[k];
            e->tv[at] = e->g_value[k];
            e->tl[at] = e->g_level[k];
            e->tn[at] = e->g_count[k];
        }
        rc = mlg_rollup_run(e->mcat, nruns, e->tv, e->threads, e->nv, e->nl, e->nf, &err);
        if (rc != MLG_OK) {
            diag("mlg_rollup_run: %s: %s", mlg_errname(rc), err.message);
            return rc == MLG_ENOMEM ? EXIT_NOMEM : EXIT_INTERNAL;
        }
    } else {
        tv = xmalloc((T ? T : 1) * sizeof *tv);
        tl = xmalloc((T ? T : 1) * sizeof *tl);
        tn = xmalloc((T ? T : 1) * sizeof *tn);
        for (size_t k = 0; k < T; k++) {
            tv[k] = NAN;
            tl[k] = MLG_LEVEL_NA;
            tn[k] = 0;
        }
    }
    for (size_t r = 0; r < nruns; r++) {
        /* the student's groups, and so its rows (not read again here: the
         * chunk is larger than the cache) */
        size_t gstart = gi;
        while (gi < ng && e->g_run[gi] == (int32_t)r)
            gi++;
        size_t start = (size_t)e->g_off[gstart], ri = (size_t)e->g_off[gi];
        if (e->have_cat) {
            e->on_student(e, rows[start].student, rows + start, ri - start, e->tv + r * T,
                          e->tl + r * T, e->tn + r * T, e->nv + r * e->N, e->nl + r * e->N,
                          e->nf + r * e->N);
        } else {
            for (size_t k = gstart; k < gi; k++) {
                tv[e->g_target[k]] = e->g_value[k];
                tl[e->g_target[k]] = e->g_level[k];
                tn[e->g_target[k]] = e->g_count[k];
            }
            e->on_student(e, rows[start].student, rows + start, ri - start, tv, tl, tn, NULL,
                          NULL, NULL);
            for (size_t k = gstart; k < gi; k++) {
                tv[e->g_target[k]] = NAN;
                tl[e->g_target[k]] = MLG_LEVEL_NA;
                tn[e->g_target[k]] = 0;
            }
        }
        e->n_students_done++;
    }
    free(tv);
    free(tl);
    free(tn);
    return EXIT_OK;
}

