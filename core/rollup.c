/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rollup.c -- running a finalised catalogue: the roll-up rules
 * (mlg_rollup_rule), the district-wide run (mlg_rollup_run, pthreads) and
 * one student's explanation (mlg_rollup_explain). */
#define _POSIX_C_SOURCE 200809L
#include "rollup_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Shares are sums of link weights divided by their total; a tolerance
 * keeps floating-point noise in those sums (0.1 + 0.2 ...) from refusing a
 * level whose share equals p exactly in decimal terms.  Shares lie in
 * [0, 1], so an absolute tolerance is enough. */
#define SHARE_EPS 1e-12

/* ------------------------------------------------------------ levelling -- */

/* Level of a finite value on a validated scale: the step of
 * mlg_value_to_level() without its per-call validation (core/level.c). */
static int32_t level_of(double value, const mlg__fast *sc, int32_t rounding,
                        int32_t decimals)
{
    return mlg__level_of_values(value, sc->n_levels, sc->value, sc->cut,
                                rounding, decimals, NULL);
}

/* Exposed to the tests through this prototype only (not in any header). */
int32_t mlg__rollup_level_of(double value, const mlg_scale *sc,
                             int32_t rounding, int32_t decimals);
int32_t mlg__rollup_level_of(double value, const mlg_scale *sc,
                             int32_t rounding, int32_t decimals)
{
    mlg__fast f;
    memset(&f, 0, sizeof f);
    f.n_levels = sc->n_levels;
    memcpy(f.value, sc->value, sizeof f.value);
    memcpy(f.cut, sc->cut, sizeof f.cut);
    return level_of(value, &f, rounding, decimals);
}

/* ---------------------------------------------------------------- rules -- */

/* What a rule decided for one node. */
typedef struct outcome {
    double value;
    int32_t level;
    int32_t reason;       /* MLG_REFUSE_* for level + 1 */
    int32_t gapflag;      /* MLG_NODE_GAP applies */
    int32_t review;       /* MLG_NODE_REVIEW applies */
    double stat;          /* mlg_rollup_step.statistic */
    double block_below;   /* children with number < this block (NaN: none) */
    double lo;            /* lowest child number */
} outcome;

/* Link weights are any positive finite doubles and the rules use only their
 * ratios.  Outside [2^-500, 2^500) the sums of weights and of weight x value
 * could overflow (two weights of 1e308) or lose their digits in the
 * subnormal range (5e-324 x 2.4), so such weights are divided by the largest
 * first; weights inside the range are used as given, bit for bit. */
#define WEIGHT_SCALE_LO 0x1p-500
#define WEIGHT_SCALE_HI 0x1p+500

static void scale_weights(double *w, size_t k)
{
    double m = 0.0;
    for (size_t i = 0; i < k; i++)
        if (w[i] > m)
            m = w[i];
    if (m >= WEIGHT_SCALE_LO && m < WEIGHT_SCALE_HI)
        return;
    for (size_t i = 0; i < k; i++)
        w[i] /= m;
}

/* Weighted mean of x[0..k-1] (weights w, tot = their sum, sum = the sum of
 * w x): sum / tot, or, when sum overflowed (values near DBL_MAX on a custom
 * scale), the sum of (w / tot) x, which cannot. */
static double weighted_mean(const double *x, const double *w, size_t k,
                            double sum, double tot)
{
    if (isfinite(sum))
        return sum / tot;
    double m = 0.0;
    for (size_t i = 0; i < k; i++)
        m += w[i] / tot * x[i];
    return m;
}

/* Weighted share of x[0..k-1] at or above t (tot = sum of w). */
static double share_at(const double *x, const double *w, size_t k, double t,
                       double tot)
{
    double a = 0.0;
    for (size_t i = 0; i < k; i++)
        if (x[i] >= t)
            a += w[i];
    return a / tot;
}

static void sort_small(double *a, size_t k)
{
    for (size_t i = 1; i < k; i++) {
        const double t = a[i];
        size_t j = i;
        while (j > 0 && a[j - 1] > t) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = t;
    }
}

static int cmp_double(const void *pa, const void *pb)
{
    const double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* Applies node n's rule to the k >= 1 numbers x (weights w); tmp has room
 * for k doubles. */
static void apply_rule(const mlg__fast *n, const double *x, const double *w,
                       size_t k, double *tmp, outcome *o)
{
    const mlg_rollup_rule *r = &n->rule;
    const mlg__fast *sc = n;
    const int32_t top = sc->n_levels - 1;
    const double *v = sc->value;
    double lo = x[0], hi = x[0], tot = 0.0, sum = 0.0;
    for (size_t i = 0; i < k; i++) {
        if (x[i] < lo)
            lo = x[i];
        if (x[i] > hi)
            hi = x[i];
        tot += w[i];
        sum += w[i] * x[i];
    }
    o->lo = lo;
    o->gapflag = 0;
    o->review = 0;
    o->block_below = NAN;

    int continuous = 1;
    double value = 0.0;
    switch (r->rule) {
    case MLG_RULE_MEAN:
        value = weighted_mean(x, w, k, sum, tot);
        break;
    case MLG_RULE_MEDIAN:
        memcpy(tmp, x, k * sizeof *tmp);
        if (k <= 32)
            sort_small(tmp, k);
        else
            qsort(tmp, k, sizeof *tmp, cmp_double);
        value = k % 2 ? tmp[k / 2] : tmp[k / 2 - 1] / 2 + tmp[k / 2] / 2;
        break;
    case MLG_RULE_MODE: {
        /* O(k^2): nodes have a handful of children. */
        size_t best_count = 0;
        double best = x[0];
        for (size_t i = 0; i < k; i++) {
            size_t c = 0;
            for (size_t j = 0; j < k; j++)
                c += x[j] == x[i];
            int take;
            if (c != best_count)
                take = c > best_count;
            else if (r->tie == MLG_TIE_HIGHEST)
                take = x[i] > best;
            else if (r->tie == MLG_TIE_LOWEST)
                take = x[i] < best;
            else /* MLG_TIE_RECENT: the tied number linked last */
                take = 1;
            if (take) {
                best_count = c;
                best = x[i];
            }
        }
        value = best;
        break;
    }
    case MLG_RULE_MIN:
        value = lo;
        break;
    case MLG_RULE_MAX:
        value = hi;
        break;
    default:
        continuous = 0;
        break;
    }
    if (continuous) {
        o->value = value;
        o->level = level_of(value, sc, r->rounding, r->decimals);
        o->reason = o->level < top ? MLG_REFUSE_VALUE : MLG_REFUSE_NONE;
        o->stat = value;
        return;
    }

    int32_t L = 0;
    switch (r->rule) {
    case MLG_RULE_PERCENT_AT_OR_ABOVE:
    case MLG_RULE_ALL_MET: {
        const double p = r->rule == MLG_RULE_ALL_MET ? 1.0 : r->p;
        int32_t cap = top;
        if (!isnan(r->level))
            while (cap > 0 && v[cap] > r->level)
                cap--;
        for (L = cap; L > 0; L--)
            if (share_at(x, w, k, v[L], tot) >= p - SHARE_EPS)
                break;
        o->stat = share_at(x, w, k, v[L], tot);
        if (L == top) {
            o->reason = MLG_REFUSE_NONE;
        } else if (L == cap) {
            o->reason = MLG_REFUSE_CAP;
        } else {
            o->reason = MLG_REFUSE_SHARE;
            o->stat = share_at(x, w, k, v[L + 1], tot);
            o->block_below = v[L + 1];
        }
        break;
    }
    case MLG_RULE_MOSTLY_PROFICIENT: {
        int32_t share_only = 0;
        for (int32_t i = top; i > 0; i--) {
            if (share_at(x, w, k, v[i], tot) >= r->p - SHARE_EPS) {
                share_only = i;
                break;
            }
        }
        /* Above share_only the share fails; below it the share only grows
         * (fewer children are below a lower level), so the answer is the
         * first level from share_only down whose gap floor holds.
         * L - gap < 0 has no floor. */
        for (L = share_only; L > 0; L--)
            if ((int64_t)L - r->gap < 0 || lo >= v[L - r->gap])
                break;
        o->gapflag = share_only > L;
        if (L == top) {
            o->reason = MLG_REFUSE_NONE;
            o->stat = share_at(x, w, k, v[L], tot);
        } else {
            o->stat = share_at(x, w, k, v[L + 1], tot);
            if (o->stat < r->p - SHARE_EPS) {
                o->reason = MLG_REFUSE_SHARE;
                o->block_below = v[L + 1];
            } else {
                o->reason = MLG_REFUSE_GAP;
                o->block_below = v[L + 1 - r->gap];
            }
        }
        break;
    }
    case MLG_RULE_CAPPED_MEDIAN: {
        /* Lower median level: the highest level held by more than half of
         * the weight; upper: by at least half.  Level 0 is held by all
         * children at or above v_0 (every child on a matching scale). */
        int32_t med_lo = 0, med_hi = 0, low = 0;
        for (int32_t i = top; i > 0; i--) {
            if (share_at(x, w, k, v[i], tot) > 0.5 + SHARE_EPS) {
                med_lo = i;
                break;
            }
        }
        for (int32_t i = top; i > 0; i--) {
            if (share_at(x, w, k, v[i], tot) >= 0.5 - SHARE_EPS) {
                med_hi = i;
                break;
            }
        }
        for (int32_t i = top; i > 0; i--) {
            if (lo >= v[i]) {
                low = i;
                break;
            }
        }
        const int32_t mid = (med_lo + med_hi) / 2;
        const int64_t cap = (int64_t)low + r->gap;
        L = (int64_t)mid > cap ? (int32_t)cap : mid;
        o->gapflag = (int64_t)mid > cap;
        /* Review: the cap lowered the median, or the mark is not held by
         * more than half of the children (lo < L). */
        o->review = o->gapflag || L > med_lo;
        if (L == top) {
            o->reason = MLG_REFUSE_NONE;
            o->stat = share_at(x, w, k, v[L], tot);
        } else if (o->gapflag) {
            o->reason = MLG_REFUSE_GAP;
            o->stat = share_at(x, w, k, v[L + 1], tot);
            o->block_below = v[L + 1 - r->gap];
        } else {
            /* m < L + 1 means at most half of the weight is at L + 1 or
             * above (else med_lo >= L + 1 > m). */
            o->reason = MLG_REFUSE_SHARE;
            o->stat = share_at(x, w, k, v[L + 1], tot);
            o->block_below = v[L + 1];
        }
        break;
    }
    default: { /* MLG_RULE_BAND_WITH_FLOOR */
        const double m = weighted_mean(x, w, k, sum, tot);
        const int32_t kl = level_of(m, sc, r->rounding, r->decimals);
        int32_t guard = 0; /* lowest level with v >= r->level */
        if (isnan(r->level))
            guard = top;
        else
            while (guard <= top && v[guard] < r->level)
                guard++;
        o->stat = m;
        if (kl >= guard && guard > 0 && (m < r->cut || lo < r->floor)) {
            L = guard - 1;
            o->reason = m < r->cut ? MLG_REFUSE_CUT : MLG_REFUSE_FLOOR;
            o->gapflag = lo < r->floor;
            if (o->reason == MLG_REFUSE_FLOOR)
                o->block_below = r->floor;
        } else {
            L = kl;
            o->reason = L < top ? MLG_REFUSE_VALUE : MLG_REFUSE_NONE;
        }
        break;
    }
    }
    o->level = L;
    o->value = v[L];
}

/* -------------------------------------------------------- one student -- */

/* Per-thread scratch. */
typedef struct scratch {
    double *x, *w, *tmp;  /* max_children each */
    int32_t *lev, *flg;   /* N each: used when the caller passes NULL */
} scratch;

/* Levels target t's value xv into (value, level, flags).  Returns MLG_OK,
 * MLG_ENAN or MLG_ESCALE. */
static int eval_target(const mlg__fast *n, double xv, double *val,
                       int32_t *lev, int32_t *flg)
{
    if (isnan(xv)) {
        *val = NAN;
        *lev = MLG_LEVEL_NA;
        *flg = n->na_allowed ? MLG_NODE_NA : MLG_NODE_VIOLATION;
        return MLG_OK;
    }
    if (!isfinite(xv))
        return MLG_ENAN;
    if (xv < n->score_min || xv > n->score_max)
        return MLG_ESCALE;
    *val = xv;
    *lev = level_of(xv, n, n->rule.rounding, n->rule.decimals);
    *flg = 0;
    return MLG_OK;
}

/* Computes interior node v from its children's row entries; fills the
 * outcome o (and returns the node's k = children used). */
static size_t eval_inner(const mlg_catalogue *c, int64_t v, double *val,
                         int32_t *lev, int32_t *flg, const scratch *s,
                         outcome *o)
{
    const mlg__fast *n = &c->fast[v];
    const mlg__fast *fast = c->fast;
    const int64_t a = c->child_off[v], b = c->child_off[v + 1];
    size_t k = 0;
    int32_t flags = 0;
    const int by_level = n->rule.source == MLG_SOURCE_LEVEL;
    for (int64_t j = a; j < b; j++) {
        const int64_t ch = c->child_idx[j];
        const int32_t cl = lev[ch];
        if (flg[ch] & (MLG_NODE_VIOLATION | MLG_NODE_BELOW_VIOLATION))
            flags |= MLG_NODE_BELOW_VIOLATION;
        if (cl == MLG_LEVEL_NA) {
            flags |= MLG_NODE_PARTIAL;
            continue;
        }
        s->x[k] = by_level ? fast[ch].value[cl] : val[ch];
        s->w[k] = c->child_w[j];
        k++;
    }
    scale_weights(s->w, k);
    if (k == 0) {
        val[v] = NAN;
        lev[v] = MLG_LEVEL_NA;
        flg[v] = (flags & MLG_NODE_BELOW_VIOLATION) |
                 (n->na_allowed ? MLG_NODE_NA : MLG_NODE_VIOLATION);
        o->value = NAN;
        o->level = MLG_LEVEL_NA;
        o->reason = MLG_REFUSE_NONE;
        o->gapflag = 0;
        o->review = 0;
        o->stat = NAN;
        o->block_below = NAN;
        o->lo = NAN;
        return 0;
    }
    apply_rule(n, s->x, s->w, k, s->tmp, o);
    if (o->gapflag)
        flags |= MLG_NODE_GAP;
    if (o->review)
        flags |= MLG_NODE_REVIEW;
    val[v] = o->value;
    lev[v] = o->level;
    flg[v] = flags;
    return k;
}

/* Rolls up one student: row pointers into the outputs (or scratch).
 * Returns MLG_OK or a target error with *bad_target set. */
static int eval_student(const mlg_catalogue *c, const int64_t *inner,
                        size_t n_inner, const double *in, double *val,
                        int32_t *lev, int32_t *flg, const scratch *s,
                        size_t *bad_target)
{
    for (size_t t = 0; t < c->n_targets; t++) {
        const int64_t v = c->target_node[t];
        const int st = eval_target(&c->fast[v], in[t], &val[v], &lev[v],
                                   &flg[v]);
        if (st != MLG_OK) {
            *bad_target = t;
            return st;
        }
    }
    outcome o;
    for (size_t i = 0; i < n_inner; i++)
        eval_inner(c, inner[i], val, lev, flg, s, &o);
    return MLG_OK;
}

/* ------------------------------------------------------------------ run -- */

typedef struct job {
    const mlg_catalogue *cat;
    const int64_t *inner;
    size_t n_inner;
    const double *in;
    double *val;
    int32_t *lev, *flg;   /* NULL: use scratch */
    size_t s0, s1;        /* students [s0, s1) */
    scratch sc;
    int status;
    size_t bad_student, bad_target;
} job;

static void *run_job(void *arg)
{
    job *j = arg;
    const mlg_catalogue *c = j->cat;
    const size_t N = c->n_nodes, T = c->n_targets;
    j->status = MLG_OK;
    for (size_t s = j->s0; s < j->s1; s++) {
        double *val = j->val + s * N;
        int32_t *lev = j->lev ? j->lev + s * N : j->sc.lev;
        int32_t *flg = j->flg ? j->flg + s * N : j->sc.flg;
        size_t bt = 0;
        const int st = eval_student(c, j->inner, j->n_inner, j->in + s * T,
                                    val, lev, flg, &j->sc, &bt);
        if (st != MLG_OK) {
            for (size_t i = 0; i < N; i++) {
                val[i] = NAN;
                lev[i] = MLG_LEVEL_NA;
                flg[i] = 0;
            }
            j->status = st;
            j->bad_student = s;
            j->bad_target = bt;
            break;
        }
    }
    return NULL;
}

static void free_scratch(scratch *s)
{
    free(s->x);
    free(s->w);
    free(s->tmp);
    free(s->lev);
    free(s->flg);
}

static int alloc_scratch(scratch *s, size_t max_children, size_t N)
{
    const size_t m = max_children ? max_children : 1;
    s->x = malloc(m * sizeof *s->x);
    s->w = malloc(m * sizeof *s->w);
    s->tmp = malloc(m * sizeof *s->tmp);
    s->lev = malloc(N * sizeof *s->lev);
    s->flg = malloc(N * sizeof *s->flg);
    if (!s->x || !s->w || !s->tmp || !s->lev || !s->flg) {
        free_scratch(s);
        memset(s, 0, sizeof *s);
        return MLG_ENOMEM;
    }
    return MLG_OK;
}

/* Non-target nodes in topological order (children first). */
static int64_t *inner_order(const mlg_catalogue *c, size_t *n_inner)
{
    int64_t *inner = malloc(c->n_nodes * sizeof *inner);
    if (!inner)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < c->n_nodes; i++) {
        const int64_t v = c->order[i];
        if (c->nodes[v].kind != MLG_NODE_TARGET)
            inner[k++] = v;
    }
    *n_inner = k;
    return inner;
}

/* Students per thread below which more threads do not pay. */
#define MIN_STUDENTS_PER_THREAD 256
#define MAX_THREADS 256

int mlg_rollup_run(const mlg_catalogue *cat, size_t n_students,
                   const double *target_value, int32_t threads,
                   double *node_value, int32_t *node_level,
                   int32_t *node_flags, mlg_errinfo *err)
{
    if (!cat || !target_value || !node_value)
        return mlg__fail(err, MLG_ENULL, -1, -1, "NULL argument");
    if (!cat->finalised)
        return mlg__fail(err, MLG_EINVAL, -1, -1, "catalogue not finalised");
    if (threads < 0)
        return mlg__fail(err, MLG_EINVAL, -1, -1, "threads < 0");
    const size_t N = cat->n_nodes, T = cat->n_targets;
    if (n_students > SIZE_MAX / N / sizeof(double) ||
        n_students > SIZE_MAX / T / sizeof(double))
        return mlg__fail(err, MLG_EOVERFLOW, -1, -1,
                         "n_students x nodes does not fit in memory");
    if (n_students == 0)
        return MLG_OK;

    size_t nt = (size_t)threads;
    if (threads == 0) {
        const long on = sysconf(_SC_NPROCESSORS_ONLN);
        nt = on > 0 ? (size_t)on : 1;
    }
    if (nt > MAX_THREADS)
        nt = MAX_THREADS;
    const size_t useful =
        (n_students + MIN_STUDENTS_PER_THREAD - 1) / MIN_STUDENTS_PER_THREAD;
    if (nt > useful)
        nt = useful; /* >= 1: n_students >= 1 */

    size_t n_inner = 0;
    int64_t *inner = inner_order(cat, &n_inner);
    job *jobs = calloc(nt, sizeof *jobs);
    pthread_t *tid = calloc(nt, sizeof *tid);
    unsigned char *started = calloc(nt, 1);
    int status = MLG_OK;
    if (!inner || !jobs || !tid || !started) {
        status = mlg__fail(err, MLG_ENOMEM, -1, -1, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nt; i++) {
        if (alloc_scratch(&jobs[i].sc, cat->max_children, N) != MLG_OK) {
            status = mlg__fail(err, MLG_ENOMEM, -1, -1, "out of memory");
            goto done;
        }
        jobs[i].cat = cat;
        jobs[i].inner = inner;
        jobs[i].n_inner = n_inner;
        jobs[i].in = target_value;
        jobs[i].val = node_value;
        jobs[i].lev = node_level;
        jobs[i].flg = node_flags;
        jobs[i].s0 = n_students / nt * i + (i < n_students % nt ? i : n_students % nt);
        jobs[i].s1 = jobs[i].s0 + n_students / nt + (i < n_students % nt);
    }
    /* Thread 0 is the caller's; a thread that cannot start runs here. */
    for (size_t i = 1; i < nt; i++)
        started[i] = pthread_create(&tid[i], NULL, run_job, &jobs[i]) == 0;
    run_job(&jobs[0]);
    for (size_t i = 1; i < nt; i++) {
        if (started[i])
            pthread_join(tid[i], NULL);
        else
            run_job(&jobs[i]);
    }
    /* Chunks are contiguous and ascending, so the first failing chunk holds
     * the first failing student. */
    for (size_t i = 0; i < nt; i++) {
        if (jobs[i].status != MLG_OK) {
            const mlg__cnode *tn =
                &cat->nodes[cat->target_node[jobs[i].bad_target]];
            status = mlg__fail(
                err, jobs[i].status, (int64_t)jobs[i].bad_student,
                (int64_t)jobs[i].bad_target,
                jobs[i].status == MLG_ENAN
                    ? "student %zu, target %s: value is infinite"
                    : "student %zu, target %s: value outside the scale",
                jobs[i].bad_student, tn->id);
            break;
        }
    }

done:
    if (jobs)
        for (size_t i = 0; i < nt; i++)
            free_scratch(&jobs[i].sc);
    free(jobs);
    free(tid);
    free(started);
    free(inner);
    return status;
}

/* -------------------------------------------------------------- explain -- */

static const char *const refuse_names[] = {"none", "value", "share", "gap",
                                           "cap",  "cut",   "floor"};

const char *mlg_rollup_refuse_name(int32_t reason)
{
    if (reason < 0 ||
        (size_t)reason >= sizeof refuse_names / sizeof refuse_names[0])
        return NULL;
    return refuse_names[reason];
}

/* The step's message for outcome o of node n (level L refused L + 1). */
static void step_message(const mlg__cnode *n, const outcome *o, char *buf,
                         size_t size)
{
    const mlg_scale *sc = &n->scale;
    const mlg_rollup_rule *r = &n->rule;
    buf[0] = '\0';
    if (o->level == MLG_LEVEL_NA || o->reason == MLG_REFUSE_NONE)
        return;
    const char *next = sc->label[o->level + 1];
    switch (o->reason) {
    case MLG_REFUSE_VALUE:
        snprintf(buf, size, "value %g levels to %s, below %s", o->stat,
                 sc->label[o->level], next);
        break;
    case MLG_REFUSE_SHARE:
        if (r->rule == MLG_RULE_CAPPED_MEDIAN)
            snprintf(buf, size,
                     "%g%% of children at %s or above, the median needs "
                     "more than half", o->stat * 100.0, next);
        else
            snprintf(buf, size, "%g%% of children at %s or above, needs %g%%",
                     o->stat * 100.0, next,
                     (r->rule == MLG_RULE_ALL_MET ? 1.0 : r->p) * 100.0);
        break;
    case MLG_REFUSE_GAP:
        snprintf(buf, size, "lowest child %g is below %s-%d", o->lo, next,
                 (int)r->gap);
        break;
    case MLG_REFUSE_CAP:
        snprintf(buf, size, "the rule awards at most %s",
                 sc->label[o->level]);
        break;
    case MLG_REFUSE_CUT:
        snprintf(buf, size, "mean %g is below the cut %g for %s", o->stat,
                 r->cut, next);
        break;
    default: /* MLG_REFUSE_FLOOR */
        snprintf(buf, size, "lowest child %g is below the floor %g for %s",
                 o->lo, r->floor, next);
        break;
    }
}

int mlg_rollup_explain(const mlg_catalogue *cat, const double *target_value,
                       size_t node, mlg_rollup_step *step,
                       mlg_rollup_child *children, size_t cap,
                       mlg_errinfo *err)
{
    if (!cat || !target_value || !step)
        return mlg__fail(err, MLG_ENULL, -1, -1, "NULL argument");
    if (!cat->finalised || node >= cat->n_nodes)
        return mlg__fail(err, MLG_EINVAL, -1, -1,
                         "catalogue not finalised or node out of range");
    const int64_t a = cat->child_off[node], b = cat->child_off[node + 1];
    const size_t nch = (size_t)(b - a);
    if (cap < nch)
        return mlg__fail(err, MLG_ESIZE, (int64_t)node, -1,
                         "node has %zu children, buffer holds %zu", nch, cap);
    if (nch > 0 && !children)
        return mlg__fail(err, MLG_ENULL, -1, -1, "NULL children buffer");

    const size_t N = cat->n_nodes;
    scratch s;
    memset(&s, 0, sizeof s);
    size_t n_inner = 0;
    int64_t *inner = inner_order(cat, &n_inner);
    double *val = malloc(N * sizeof *val);
    if (!inner || !val || alloc_scratch(&s, cat->max_children, N) != MLG_OK) {
        free(inner);
        free(val);
        return mlg__fail(err, MLG_ENOMEM, -1, -1, "out of memory");
    }
    size_t bt = 0;
    int status = eval_student(cat, inner, n_inner, target_value, val, s.lev,
                              s.flg, &s, &bt);
    if (status != MLG_OK) {
        status = mlg__fail(err, status, 0, (int64_t)bt,
                           status == MLG_ENAN
                               ? "target %s: value is infinite"
                               : "target %s: value outside the scale",
                           cat->nodes[cat->target_node[bt]].id);
        goto done;
    }

    const mlg__cnode *n = &cat->nodes[node];
    mlg_rollup_step st;
    memset(&st, 0, sizeof st);
    outcome o;
    size_t used = 0;
    if (n->kind == MLG_NODE_TARGET) {
        o.value = val[node];
        o.level = s.lev[node];
        o.stat = val[node];
        o.reason = o.level != MLG_LEVEL_NA && o.level < n->scale.n_levels - 1
                       ? MLG_REFUSE_VALUE
                       : MLG_REFUSE_NONE;
        o.block_below = NAN;
        o.lo = NAN;
    } else {
        /* Recompute with the children's final entries: the same result the
         * pass above stored, plus the outcome's detail. */
        used = eval_inner(cat, (int64_t)node, val, s.lev, s.flg, &s, &o);
    }
    st.node = (int64_t)node;
    st.rule = n->rule.rule;
    st.source = n->rule.source;
    st.value = val[node];
    st.level = s.lev[node];
    st.flags = s.flg[node];
    st.reason = o.reason;
    st.refused_level = o.reason != MLG_REFUSE_NONE ? o.level + 1 : -1;
    st.n_children = (int64_t)nch;
    st.n_used = (int64_t)used;
    st.statistic = o.stat;
    step_message(n, &o, st.message, sizeof st.message);

    const int by_level = n->rule.source == MLG_SOURCE_LEVEL;
    for (size_t j = 0; j < nch; j++) {
        const int64_t ch = cat->child_idx[a + (int64_t)j];
        mlg_rollup_child c;
        memset(&c, 0, sizeof c);
        c.node = ch;
        c.weight = cat->child_w[a + (int64_t)j];
        c.value = val[ch];
        c.level = s.lev[ch];
        c.flags = s.flg[ch];
        c.used = c.level != MLG_LEVEL_NA;
        c.number = !c.used ? NAN
                   : by_level ? cat->nodes[ch].scale.value[c.level]
                              : val[ch];
        c.blocking = c.used && !isnan(o.block_below) &&
                     c.number < o.block_below;
        children[j] = c;
    }
    *step = st;

done:
    free(inner);
    free(val);
    free_scratch(&s);
    return status;
}
