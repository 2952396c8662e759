/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kernels.h -- the arithmetic of every method, written once.
 *
 * Each method is one kernel, kern_<method>(), over a method context (mctx):
 * the k scores that count, their weights (NULL = all 1, which selects the
 * unweighted arithmetic), days, the parameters and scratch.  The kernels are
 * `static inline`, so each file that includes this header instantiates them
 * in its own loops, the way GSL includes one statistics source per element
 * type (statistics/mean_source.c) and zstd stamps out its block compressors
 * (ZSTD_GEN_FAST_FN):
 *  - method_table.c takes their addresses for the method table
 *    (mlg__method_table), which mlg__series_run() (methods.c) calls;
 *  - batch.c inlines them into one block loop per method.
 * Both instantiations compile the same source with the same flags, and the
 * build pins floating-point contraction off (-ffp-contract=off, never
 * -ffast-math), so a series gives the same bits on either path by
 * construction.  Shortcuts that only one caller can use (the power-law
 * tables, the explanation arrays) are optional inputs of the one kernel, and
 * each shortcut produces the very doubles of the long way (comments below
 * say why).
 *
 * Never include this header from a file that is not core/.
 * Definitions and sources of the methods: docs/methods.md. */
#ifndef MLG_KERNELS_H
#define MLG_KERNELS_H

#include "mlg_internal.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sort_double.h>

#include <math.h>
#include <string.h>

/* Power-law tables for series of 2..MLG__POW_TAB_K rows (batch.c fills one
 * per call with mlg__pow_tab_fill()): x[k][j] = ln(j+1) - ln(k!)/k, and the
 * sums fit_power() derives from them; pow_row() computes one row the same
 * way for the series path, so both give the same doubles. */
#define MLG__POW_TAB_K 64
typedef struct mlg__pow_tab {
    double x[MLG__POW_TAB_K + 1][MLG__POW_TAB_K];
    double sx[MLG__POW_TAB_K + 1], den[MLG__POW_TAB_K + 1];
    double shift_x[MLG__POW_TAB_K + 1];
} mlg__pow_tab;

/* ------------------------------------------------------------------------ */
/* Method context                                                             */
/* ------------------------------------------------------------------------ */

typedef struct mlg__mctx {
    const double  *s;       /* k scores used, evidence order */
    const double  *w;       /* k weights > 0, or NULL for all 1 */
    const int32_t *d;       /* k days, or NULL */
    size_t         k;       /* rows that count */
    const mlg_method_params *p;
    double         lo, hi;  /* the scale's score range */
    double        *a, *b;   /* k-row work arrays */
    double        *infl;    /* explanation (NULL when not explaining) */
    double        *fit;
    uint8_t       *why;
    const struct mlg__pow_tab *pt; /* power-law tables, or NULL */
    const double  *ln_s;    /* ln(v + log_shift) for whole v 0..15, or NULL */
} mctx;

static inline double wt(const mctx *c, size_t j) { return c->w ? c->w[j] : 1.0; }

static inline double clamp(const mctx *c, double v)
{
    return v < c->lo ? c->lo : (v > c->hi ? c->hi : v);
}

/* Mark rows [a, b) with reason r (explanations only). */
static inline void mark(const mctx *c, size_t a, size_t b, uint8_t r)
{
    if (c->why)
        for (size_t j = a; j < b; j++)
            c->why[j] = r;
}

/* Start of the window of the last n rows (all if fewer). */
static inline size_t window_start(const mctx *c)
{
    const size_t n = (size_t)c->p->n;
    return c->k > n ? c->k - n : 0;
}

/* ------------------------------------------------------------------------ */
/* Means                                                                      */
/* ------------------------------------------------------------------------ */

/* Sums run in blocks of SUM_BLOCK rows whose partial sums are added to the
 * total: a fixed order (deterministic) whose rounding error grows with the
 * block count rather than the row count (at 100,000 rows a plain running
 * sum loses ~1e-12 relative; blocked, ~1e-15). */
#define SUM_BLOCK 64

/* Sum of x[0..m): four interleaved lanes per block, combined as
 * (l0+l1)+(l2+l3), so the CPU can overlap the adds. */
static inline double sum4(const double *x, size_t m)
{
    /* Below four rows no lane but l0 is touched: the result is
     * 0 + ((l0 + 0) + (0 + 0)) with l0 = ((0 + x0) + x1) + ..., and l0 is
     * never -0 (it starts at +0, and x + -x rounds to +0), so adding the
     * zeros changes no bit: the same double without the block loop. */
    if (m < 4) {
        double l0 = 0;
        for (size_t j = 0; j < m; j++)
            l0 += x[j];
        return l0;
    }
    double total = 0;
    for (size_t a = 0; a < m; a += SUM_BLOCK) {
        const size_t e = m - a < SUM_BLOCK ? m : a + SUM_BLOCK;
        double l0 = 0, l1 = 0, l2 = 0, l3 = 0;
        size_t j = a;
        for (; j + 4 <= e; j += 4) {
            l0 += x[j];
            l1 += x[j + 1];
            l2 += x[j + 2];
            l3 += x[j + 3];
        }
        for (; j < e; j++)
            l0 += x[j];
        total += (l0 + l1) + (l2 + l3);
    }
    return total;
}

/* Weighted sums sum(w*x) and sum(w) over [0, m), same scheme. */
static inline void wsum4(const double *x, const double *w, size_t m, double *swx,
                  double *sw)
{
    double tx = 0, tw = 0;
    for (size_t a = 0; a < m; a += SUM_BLOCK) {
        const size_t e = m - a < SUM_BLOCK ? m : a + SUM_BLOCK;
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
        size_t j = a;
        for (; j + 4 <= e; j += 4) {
            a0 += w[j] * x[j];
            a1 += w[j + 1] * x[j + 1];
            a2 += w[j + 2] * x[j + 2];
            a3 += w[j + 3] * x[j + 3];
            b0 += w[j];
            b1 += w[j + 1];
            b2 += w[j + 2];
            b3 += w[j + 3];
        }
        for (; j < e; j++) {
            a0 += w[j] * x[j];
            b0 += w[j];
        }
        tx += (a0 + a1) + (a2 + a3);
        tw += (b0 + b1) + (b2 + b3);
    }
    *swx = tx;
    *sw = tw;
}

/* MLG_ARITH_CANVAS (Canvas's outcome rollups run in Ruby). */
static inline int canvas(const mctx *c)
{
    return c->p->arith == MLG_ARITH_CANVAS;
}

/* One step of Ruby's Array#sum over Floats (array.c, rb_ary_sum: "Kahan-
 * Babuska balancing compensated summation"): the running sum *f and the
 * compensation *cp, which the caller adds at the end (f + c). */
static inline void kb_add(double *f, double *cp, double x)
{
    const double t = *f + x;
    if (fabs(*f) >= fabs(x))
        *cp += (*f - t) + x;
    else
        *cp += (x - t) + *f;
    *f = t;
}

/* Ruby's [x0, .., x(m-1)].sum for finite Floats. */
static inline double kb_sum(const double *x, size_t m)
{
    double f = 0.0, cp = 0.0;
    for (size_t i = 0; i < m; i++)
        kb_add(&f, &cp, x[i]);
    return f + cp;
}

/* Canvas's weights: an integer percent k as 0.01*k and 0.01*(100-k)
 * (RollupScore: `latest * (0.01 * weight)`); otherwise w and 1 - w.  The
 * two differ in the last bit (1 - 0.65 != 0.01 * 35). */
static inline void decay_pair(const mctx *c, double *w, double *om)
{
    if (canvas(c)) {
        const int32_t k = mlg__canvas_percent(c->p->weight);
        *w = 0.01 * (double)k;
        *om = 0.01 * (double)(100 - k);
    } else {
        *w = c->p->weight;
        *om = 1.0 - *w;
    }
}

/* (Weighted) mean of rows [a, b), b > a; explains influence w_j / W. */
static inline double mean_range(const mctx *c, size_t a, size_t b)
{
    const size_t m = b - a;
    double v, sw;
    if (c->w) {
        double swx;
        wsum4(c->s + a, c->w + a, m, &swx, &sw);
        v = swx / sw;
    } else {
        /* Canvas: `(tmp_scores.sum.to_f / tmp_scores.size)`. */
        sw = (double)m;
        v = (canvas(c) ? kb_sum(c->s + a, m) : sum4(c->s + a, m)) / sw;
    }
    if (c->infl)
        for (size_t j = a; j < b; j++)
            c->infl[j] = wt(c, j) / sw;
    return v;
}

/* ------------------------------------------------------------------------ */
/* Sorted views (median, mode, highest_mean)                                 */
/* ------------------------------------------------------------------------ */

/* Fill a[0..m) with the scores of rows [lo, lo+m) and b[0..m) with their
 * row positions, sorted by (score, position) ascending.  gsl_sort2 (a heap
 * sort) orders by score; each run of equal scores then has its positions
 * sorted, so the order is fully determined by the data. */
static inline void sorted_view(const mctx *c, size_t lo, size_t m)
{
    for (size_t j = 0; j < m; j++) {
        c->a[j] = c->s[lo + j];
        c->b[j] = (double)(lo + j);
    }
    gsl_sort2(c->a, 1, c->b, 1, m);
    for (size_t g = 0; g < m;) {
        size_t e = g + 1;
        while (e < m && c->a[e] == c->a[g])
            e++;
        if (e - g > 1)
            gsl_sort(c->b + g, 1, e - g);
        g = e;
    }
}

static inline size_t pos_at(const mctx *c, size_t j) { return (size_t)c->b[j]; }

/* End (one past) of the run of equal scores that starts at g. */
static inline size_t run_end(const mctx *c, size_t g, size_t m)
{
    size_t e = g + 1;
    while (e < m && c->a[e] == c->a[g])
        e++;
    return e;
}

/* Explanation for order statistics: rows [lo, hi) are NOT_SELECTED except
 * the chosen ones, which get 1/nsel each (the most recent row of each chosen
 * run of equal scores). */
static inline void select_rows(const mctx *c, size_t lo, size_t hi,
                        const size_t *chosen, size_t nsel)
{
    if (!c->why)
        return;
    mark(c, lo, hi, MLG_WHY_NOT_SELECTED);
    for (size_t i = 0; i < nsel; i++) {
        c->why[chosen[i]] = MLG_WHY_USED;
        c->infl[chosen[i]] = 1.0 / (double)nsel;
    }
}

/* Unweighted order statistics without an explanation take one of two
 * shortcuts before the sort below; each gives the double the sort would.
 * Whole scores 0..15 are counted (histogram); other short series are
 * insertion-sorted (stable, so equal scores keep their row order as
 * sorted_view() leaves them).  A score of zero (whose -0.0 twin compares
 * equal but prints differently) takes the long way. */
#define KERN_COUNT_VALUES 16
#define KERN_SORT_MAX 32

/* Buckets 0..nb-1 cover every whole score <= the scale's top. */
static inline int count_buckets(const mctx *c)
{
    return c->hi >= (double)(KERN_COUNT_VALUES - 1) ? KERN_COUNT_VALUES
         : c->hi >= 0.0                             ? (int)c->hi + 1
                                                    : 1;
}

/* Histogram of whole scores over s[a, b); 0 if some score is not one (or
 * is -0.0). last[v] (if not NULL) receives the last row holding v. */
static inline int histogram(const double *s, size_t a, size_t b,
                            uint32_t *cnt, uint32_t *last, int nb)
{
    memset(cnt, 0, (size_t)nb * sizeof *cnt);
    for (size_t i = a; i < b; i++) {
        const double x = s[i];
        if (!(x >= 0.0 && x < (double)nb))
            return 0;
        const int v = (int)x;
        if ((double)v != x || (v == 0 && signbit(x)))
            return 0;
        cnt[v]++;
        if (last)
            last[v] = (uint32_t)i;
    }
    return 1;
}

/* The median of m counted scores: with them sorted into a[], a[m/2] when m
 * is odd or a[m/2-1] == a[m/2], else the mean of those two. */
static inline double count_median(const uint32_t *cnt, size_t m)
{
    const size_t r2 = m / 2;
    size_t cum = 0;
    int v = 0;
    while (cum + cnt[v] <= r2)
        cum += cnt[v++];
    if (m % 2 == 1 || cum < r2)
        return (double)v;
    int u = v - 1;
    while (cnt[u] == 0)
        u--;
    return ((double)u + (double)v) / 2;
}

/* The most frequent counted score; equal counts broken by tie, visiting the
 * values in ascending order as mode_range() visits its sorted runs. */
static inline double count_mode(const uint32_t *cnt, const uint32_t *last,
                                int32_t tie, int nb)
{
    int64_t best_w = -1;
    uint32_t best_last = 0;
    int best_v = 0;
    for (int v = 0; v < nb; v++) {
        if (!cnt[v])
            continue;
        const int64_t gw = cnt[v];
        int take = gw > best_w;
        if (!take && gw == best_w) {
            switch (tie) {
            case MLG_TIE_HIGHEST: take = 1; break;
            case MLG_TIE_LOWEST:  take = 0; break;
            default:              take = last[v] > best_last; break;
            }
        }
        if (take) {
            best_w = gw;
            best_v = v;
            best_last = last[v];
        }
    }
    return (double)best_v;
}

/* Stable insertion sort of s[0..m), m <= KERN_SORT_MAX, into a[] with the
 * rows in pos[] (may be NULL); 0 (do not use) if m is larger or a score is
 * zero. */
static inline int sort_small(const double *s, size_t m, double *a,
                             uint32_t *pos)
{
    if (m > KERN_SORT_MAX)
        return 0;
    for (size_t i = 0; i < m; i++) {
        const double x = s[i];
        if (x == 0.0)
            return 0;
        size_t j = i;
        while (j > 0 && a[j - 1] > x) {
            a[j] = a[j - 1];
            if (pos)
                pos[j] = pos[j - 1];
            j--;
        }
        a[j] = x;
        if (pos)
            pos[j] = (uint32_t)i;
    }
    return 1;
}

/* The shortcuts of median_range(); 1 and *v set if one applied. */
static inline int median_short(const mctx *c, size_t lo, size_t m, double *v)
{
    uint32_t cnt[KERN_COUNT_VALUES];
    if (histogram(c->s, lo, lo + m, cnt, NULL, count_buckets(c))) {
        *v = count_median(cnt, m);
        return 1;
    }
    double a[KERN_SORT_MAX];
    if (!sort_small(c->s + lo, m, a, NULL))
        return 0;
    const size_t h = m / 2;
    *v = (m % 2 == 1 || a[h - 1] == a[h]) ? a[h] : (a[h - 1] + a[h]) / 2;
    return 1;
}

/* The shortcuts of mode_range(); 1 and *v set if one applied. */
static inline int mode_short(const mctx *c, size_t lo, size_t m, double *v)
{
    uint32_t cnt[KERN_COUNT_VALUES], last[KERN_COUNT_VALUES];
    const int nb = count_buckets(c);
    if (histogram(c->s, lo, lo + m, cnt, last, nb)) {
        *v = count_mode(cnt, last, c->p->tie, nb);
        return 1;
    }
    double a[KERN_SORT_MAX];
    uint32_t pos[KERN_SORT_MAX];
    if (!sort_small(c->s + lo, m, a, pos))
        return 0;
    size_t best_w = 0;
    uint32_t best_last = 0;
    double best_v = NAN;
    for (size_t g = 0; g < m;) {
        size_t e = g + 1;
        while (e < m && a[e] == a[g])
            e++;
        const size_t gw = e - g;
        const uint32_t last_pos = pos[e - 1];
        int take = gw > best_w;
        if (!take && gw == best_w) {
            switch (c->p->tie) {
            case MLG_TIE_HIGHEST: take = 1; break;
            case MLG_TIE_LOWEST:  take = 0; break;
            default:              take = last_pos > best_last; break;
            }
        }
        if (take) {
            best_w = gw;
            best_v = a[g];
            best_last = last_pos;
        }
        g = e;
    }
    *v = best_v;
    return 1;
}

/* Weighted median of rows [lo, lo+m): the smallest score whose cumulative
 * weight reaches half the total; if it equals half exactly, the mean of that
 * score and the next larger one.  With all weights 1 this is the ordinary
 * median (the two middle values averaged when m is even). */
static inline double median_range(const mctx *c, size_t lo, size_t m)
{
    double quick;
    if (!c->w && !c->why && median_short(c, lo, m, &quick))
        return quick;
    sorted_view(c, lo, m);
    double total = 0;
    for (size_t j = 0; j < m; j++)
        total += wt(c, pos_at(c, j));
    const double half = total / 2;
    double cum = 0, v = NAN;
    size_t chosen[2], nsel = 0;
    for (size_t g = 0; g < m;) {
        const size_t e = run_end(c, g, m);
        for (size_t j = g; j < e; j++)
            cum += wt(c, pos_at(c, j));
        if (cum > half || e == m) {
            v = c->a[g];
            chosen[nsel++] = pos_at(c, e - 1);
            break;
        }
        if (cum == half) {
            const size_t e2 = run_end(c, e, m);
            v = (c->a[g] + c->a[e]) / 2;
            chosen[nsel++] = pos_at(c, e - 1);
            chosen[nsel++] = pos_at(c, e2 - 1);
            break;
        }
        g = e;
    }
    select_rows(c, lo, lo + m, chosen, nsel);
    return v;
}

/* Mode of rows [lo, lo+m): the score with the largest total weight (the
 * count when unweighted); equal totals are broken by params.tie. */
static inline double mode_range(const mctx *c, size_t lo, size_t m)
{
    double quick;
    if (!c->w && !c->why && mode_short(c, lo, m, &quick))
        return quick;
    sorted_view(c, lo, m);
    double best_w = -1, best_v = NAN;
    size_t best_last = 0, best_g = 0, best_e = 0;
    for (size_t g = 0; g < m;) {
        const size_t e = run_end(c, g, m);
        double gw = 0;
        if (c->w)
            for (size_t j = g; j < e; j++)
                gw += c->w[pos_at(c, j)];
        else
            gw = (double)(e - g);
        const size_t last = pos_at(c, e - 1);
        int take = gw > best_w;
        if (!take && gw == best_w) {
            switch (c->p->tie) {
            case MLG_TIE_HIGHEST: take = 1; break;  /* runs ascend */
            case MLG_TIE_LOWEST:  take = 0; break;
            default:              take = last > best_last; break;
            }
        }
        if (take) {
            best_w = gw;
            best_v = c->a[g];
            best_last = last;
            best_g = g;
            best_e = e;
        }
        g = e;
    }
    if (c->why) {
        mark(c, lo, lo + m, MLG_WHY_NOT_SELECTED);
        const double share = 1.0 / (double)(best_e - best_g);
        for (size_t j = best_g; j < best_e; j++) {
            c->why[pos_at(c, j)] = MLG_WHY_USED;
            c->infl[pos_at(c, j)] = share;
        }
    }
    return best_v;
}

/* (Weighted) mean of the n highest scores; among equal scores the more
 * recent rows are taken first. */
static inline double highest_mean(const mctx *c)
{
    const size_t k = c->k, n = (size_t)c->p->n;
    const size_t m = k < n ? k : n;
    sorted_view(c, 0, k);
    double swx = 0, sw = 0;
    for (size_t j = k - m; j < k; j++) {
        const double wj = wt(c, pos_at(c, j));
        swx += wj * c->a[j];
        sw += wj;
    }
    const double v = swx / sw;
    if (c->why) {
        mark(c, 0, k, MLG_WHY_OUTSIDE_WINDOW);
        for (size_t j = k - m; j < k; j++) {
            const size_t r = pos_at(c, j);
            c->why[r] = MLG_WHY_USED;
            c->infl[r] = wt(c, r) / sw;
        }
    }
    return v;
}

/* ------------------------------------------------------------------------ */
/* Selections that ignore weights                                             */
/* ------------------------------------------------------------------------ */

/* Extreme of rows [lo, k): want_max picks the highest, else the lowest; the
 * most recent row reaching it is the one explained as selected. */
static inline double extreme(const mctx *c, size_t lo, int want_max)
{
    size_t r = lo;
    double v = c->s[lo];
    for (size_t j = lo + 1; j < c->k; j++) {
        const double x = c->s[j];
        if (want_max ? x >= v : x <= v) {
            v = x;
            r = j;
        }
    }
    select_rows(c, lo, c->k, &r, 1);
    return v;
}

/* ------------------------------------------------------------------------ */
/* Recursive and Canvas averages                                              */
/* ------------------------------------------------------------------------ */

/* Weighted decay factor: an evidence of weight q counts as if seen q times,
 * alpha = 1 - (1-w)^q; q == 1 uses w itself so unweighted series match the
 * published formula bit for bit. */
static inline double decay_alpha(double w, double q)
{
    return q == 1.0 ? w : 1.0 - pow(1.0 - w, q);
}

/* d1 = s1; dk = w*sk + (1-w)*d(k-1)  (PowerSchool, Schoology, Otus, ...). */
static inline double decaying_average(const mctx *c)
{
    /* Canvas's "decaying_average" (standard_decaying_average) computes
     * (prev * 0.01*(100-k)) + (score * 0.01*k): the same sum, as IEEE
     * addition commutes. */
    double w, om;
    decay_pair(c, &w, &om);
    const double *s = c->s;
    double v = s[0];
    if (!c->w) {
        for (size_t j = 1; j < c->k; j++)
            v = w * s[j] + om * v;
    } else {
        /* A weight of 1 takes the unweighted pair, so all-1 weights give
         * the unweighted bits. */
        for (size_t j = 1; j < c->k; j++) {
            const double q = c->w[j];
            const double al = decay_alpha(w, q);
            v = al * s[j] + (q == 1.0 ? om : 1.0 - al) * v;
        }
    }
    if (c->infl) {
        /* Running values, then each row's coefficient: alpha_j times the
         * product of (1 - alpha) of every later row; row 1 keeps the whole
         * remaining product. */
        double r = s[0];
        c->fit[0] = r;
        for (size_t j = 1; j < c->k; j++) {
            const double q = wt(c, j);
            const double al = decay_alpha(w, q);
            r = al * s[j] + (q == 1.0 ? om : 1.0 - al) * r;
            c->fit[j] = r;
        }
        double tail = 1.0;
        for (size_t j = c->k - 1; j >= 1; j--) {
            const double q = wt(c, j);
            const double al = decay_alpha(w, q);
            c->infl[j] = al * tail;
            tail *= q == 1.0 ? om : 1.0 - al;
        }
        c->infl[0] = tail;
    }
    return v;
}

/* Canvas's legacy "decaying average": w*latest + (1-w)*mean(earlier). */
static inline double weighted_average(const mctx *c)
{
    const size_t k = c->k;
    if (k == 1) {
        if (c->infl)
            c->infl[0] = 1.0;
        return c->s[0];
    }
    /* Canvas (RollupScore#decaying_average_set): latest * (0.01 * k) +
     * (older.sum / older.length) * (0.01 * (100 - k)), the sum Ruby's. */
    double w, om;
    decay_pair(c, &w, &om);
    const double earlier = mean_range(c, 0, k - 1); /* infl = w_j/W */
    if (c->infl) {
        for (size_t j = 0; j + 1 < k; j++)
            c->infl[j] *= om;
        c->infl[k - 1] = w;
    }
    return w * c->s[k - 1] + om * earlier;
}

/* Canvas "n number of times": N/A with fewer than n results; keep the scores
 * >= mastery; N/A with fewer than n kept; else their (weighted) mean. */
static inline double n_mastery(const mctx *c, int *na)
{
    const size_t k = c->k, n = (size_t)c->p->n;
    const double m = c->p->mastery;
    /* Canvas: no mastery points (NaN), no mastery count: N/A
     * (RollupScore#n_mastery_set returns nil without a rubric criterion);
     * the kept scores are summed as Ruby's Array#sum. */
    const int kb = canvas(c) && !c->w;
    size_t kept = 0;
    double swx = 0, sw = 0, comp = 0;
    for (size_t j = 0; j < k; j++) {
        if (c->s[j] >= m) {
            const double wj = wt(c, j);
            kept++;
            if (kb)
                kb_add(&swx, &comp, c->s[j]);
            else
                swx += wj * c->s[j];
            sw += wj;
        } else if (c->why) {
            c->why[j] = MLG_WHY_BELOW_MASTERY;
        }
    }
    swx += comp;
    if (k < n || kept < n || isnan(m)) {
        *na = 1;
        return NAN;
    }
    if (c->infl)
        for (size_t j = 0; j < k; j++)
            if (c->s[j] >= m)
                c->infl[j] = wt(c, j) / sw;
    return swx / sw;
}

/* Time decay: weights halve every half_life_days of age.  Ages are measured
 * from the newest included day rather than from as_of: the common factor
 * 0.5^((as_of - newest)/h) cancels in the normalised mean, and this way the
 * newest row always has factor 1 (no underflow however far as_of lies). */
static inline double time_decay(const mctx *c, size_t k)
{
    const double h = c->p->half_life_days;
    const double anchor = (double)c->d[k - 1];
    double swx = 0, sw = 0;
    for (size_t j = 0; j < k; j++) {
        const double f = wt(c, j) * exp2(-(anchor - (double)c->d[j]) / h);
        swx += f * c->s[j];
        sw += f;
        if (c->infl)
            c->infl[j] = f;
    }
    if (c->infl)
        for (size_t j = 0; j < k; j++)
            c->infl[j] /= sw;
    return swx / sw;
}

/* ------------------------------------------------------------------------ */
/* Fits                                                                       */
/* ------------------------------------------------------------------------ */

/* A fitted line, value(i) = base + slope*(i - k) at position i = 1..k. */
typedef struct line_fit { double base, slope; } line_fit;
/* A fitted power curve, value(i) = exp(base + b*(ln i - ln k)) - shift. */
typedef struct power_fit { double base, b, lk; } power_fit;

static inline int gsl_failed(int st, double c0, double c1)
{
    return st != GSL_SUCCESS || !isfinite(c0) || !isfinite(c1);
}

/* Least squares of s on i = 1..k (k >= 2).  Unweighted: the closed form
 * slope = sum((i - (k+1)/2) s_i) / (k(k^2-1)/12), value at k = mean +
 * slope*(k-1)/2, which equals gsl_fit_linear's fit (tests check 1e-12).
 * Weighted: gsl_fit_wlinear. */
static inline int fit_line(const mctx *c, line_fit *f)
{
    const size_t k = c->k;
    const double kd = (double)k;
    if (!c->w) {
        const double mx = (kd + 1) / 2;
        double sy = 0, sxy = 0;
        for (size_t a = 0; a < k; a += SUM_BLOCK) {
            const size_t e = k - a < SUM_BLOCK ? k : a + SUM_BLOCK;
            double by = 0, bxy = 0;
            for (size_t j = a; j < e; j++) {
                by += c->s[j];
                bxy += ((double)(j + 1) - mx) * c->s[j];
            }
            sy += by;
            sxy += bxy;
        }
        const double sxx = kd * (kd * kd - 1) / 12;
        f->slope = sxy / sxx;
        f->base = sy / kd + f->slope * (kd - 1) / 2;
        return MLG_OK;
    }
    for (size_t j = 0; j < k; j++)
        c->a[j] = (double)(j + 1);
    double c0, c1, v00, v01, v11, chisq;
    const int st = gsl_fit_wlinear(c->a, 1, c->w, 1, c->s, 1, k, &c0, &c1,
                                   &v00, &v01, &v11, &chisq);
    if (gsl_failed(st, c0, c1))
        return MLG_ENUMERIC;
    f->slope = c1;
    f->base = c0 + c1 * kd;
    return MLG_OK;
}

static inline double line_at(const line_fit *f, size_t k, size_t i)
{
    return f->base + f->slope * ((double)i - (double)k);
}

/* One row of the power-law constants for k >= 2 rows: x[j] = ln(j+1) -
 * ln(k!)/k (ln i minus its exact mean, from GSL's gsl_sf_lnfact, so the
 * sums do not cancel), sx = sum(x) and sxx = sum(x^2) in SUM_BLOCK blocks,
 * the slope's denominator sxx - sx*mx and (ln k - ln(k!)/k) - mx, with
 * mx = sx/k.  The batch tables (mlg__pow_tab_fill) are rows of this. */
static inline void pow_row(size_t k, double *x, double *sx_out,
                           double *den_out, double *shift_x_out)
{
    const double kd = (double)k;
    const double xc = gsl_sf_lnfact((unsigned int)k) / kd;
    double sx = 0, sxx = 0;
    for (size_t a = 0; a < k; a += SUM_BLOCK) {
        const size_t e = k - a < SUM_BLOCK ? k : a + SUM_BLOCK;
        double bx = 0, bxx = 0;
        for (size_t j = a; j < e; j++) {
            x[j] = log((double)(j + 1)) - xc;
            bx += x[j];
            bxx += x[j] * x[j];
        }
        sx += bx;
        sxx += bxx;
    }
    const double mx = sx / kd;
    *sx_out = sx;
    *den_out = sxx - sx * mx;
    *shift_x_out = (log(kd) - xc) - mx;
}

/* ln(v + log_shift), from c->ln_s for whole v in 0..15 (the table holds
 * log((double)v + shift), the same double). */
static inline double ln_shifted(const mctx *c, double v)
{
    if (c->ln_s && v >= 0.0 && v < (double)KERN_COUNT_VALUES &&
        (double)(int)v == v && !(v == 0.0 && signbit(v)))
        return c->ln_s[(int)v];
    return log(v + c->p->log_shift);
}

/* Least squares of ln(s_i + shift) on ln(i), i = 1..k (k >= 2).
 * Unweighted: one pass over x (pow_row) and y = ln(s_i + shift) -
 * ln(s_1 + shift); equals gsl_fit_linear's fit (tests check 1e-12, also at
 * 100,000 rows).  The x constants come from c->pt when it covers k, else
 * from pow_row() into c->a.  Weighted: gsl_fit_wlinear on x = ln(i),
 * y = ln(s_i + shift). */
static inline int fit_power(const mctx *c, power_fit *f)
{
    const size_t k = c->k;
    const double shift = c->p->log_shift;
    const double lk = log((double)k);
    f->lk = lk;
    if (!c->w) {
        const double kd = (double)k;
        const double *x;
        double sx, den, shift_x;
        if (c->pt && k <= MLG__POW_TAB_K) {
            x = c->pt->x[k];
            sx = c->pt->sx[k];
            den = c->pt->den[k];
            shift_x = c->pt->shift_x[k];
        } else {
            pow_row(k, c->a, &sx, &den, &shift_x);
            x = c->a;
        }
        const double y1 = ln_shifted(c, c->s[0]);
        double sy = 0, sxy = 0;
        for (size_t a = 0; a < k; a += SUM_BLOCK) {
            const size_t e = k - a < SUM_BLOCK ? k : a + SUM_BLOCK;
            double by = 0, bxy = 0;
            for (size_t j = a; j < e; j++) {
                const double y = ln_shifted(c, c->s[j]) - y1;
                by += y;
                bxy += x[j] * y;
            }
            sy += by;
            sxy += bxy;
        }
        const double my = sy / kd;
        const double b = (sxy - sx * my) / den;
        f->b = b;
        f->base = y1 + my + b * shift_x;
        return isfinite(f->base) && isfinite(b) ? MLG_OK : MLG_ENUMERIC;
    }
    for (size_t j = 0; j < k; j++) {
        c->a[j] = log((double)(j + 1));
        c->b[j] = log(c->s[j] + shift);
    }
    double c0, c1, v00, v01, v11, chisq;
    const int st = gsl_fit_wlinear(c->a, 1, c->w, 1, c->b, 1, k, &c0, &c1,
                                   &v00, &v01, &v11, &chisq);
    if (gsl_failed(st, c0, c1))
        return MLG_ENUMERIC;
    f->b = c1;
    f->base = c0 + c1 * lk;
    return MLG_OK;
}

static inline double power_at(const mctx *c, const power_fit *f, size_t i)
{
    return exp(f->base + f->b * (log((double)i) - f->lk)) - c->p->log_shift;
}

static inline double power_last(const mctx *c, const power_fit *f)
{
    return exp(f->base) - c->p->log_shift;
}

/* Influence for the fitted methods: the regression weight normalised. */
static inline void fit_influence(const mctx *c)
{
    if (!c->infl)
        return;
    double sw = 0;
    for (size_t j = 0; j < c->k; j++)
        sw += wt(c, j);
    for (size_t j = 0; j < c->k; j++)
        c->infl[j] = wt(c, j) / sw;
}

/* Linear trend influence: the fit is linear in the scores, value at k =
 * sum_j w_j (1/W + (k - xbar)(x_j - xbar)/Sxx) s_j with weighted xbar. */
static inline void line_influence(const mctx *c)
{
    if (!c->infl)
        return;
    const size_t k = c->k;
    double sw = 0, swx = 0;
    for (size_t j = 0; j < k; j++) {
        sw += wt(c, j);
        swx += wt(c, j) * (double)(j + 1);
    }
    const double xb = swx / sw;
    double sxx = 0;
    for (size_t j = 0; j < k; j++) {
        const double dx = (double)(j + 1) - xb;
        sxx += wt(c, j) * dx * dx;
    }
    for (size_t j = 0; j < k; j++)
        c->infl[j] = wt(c, j) * (1.0 / sw + ((double)k - xb) *
                                 ((double)(j + 1) - xb) / sxx);
}

static inline int power_law(const mctx *c, double *v)
{
    if (c->k == 1) {
        if (c->infl) {
            c->infl[0] = 1.0;
            c->fit[0] = c->s[0];
        }
        *v = c->s[0];
        return MLG_OK;
    }
    power_fit f;
    const int st = fit_power(c, &f);
    if (st)
        return st;
    *v = clamp(c, power_last(c, &f));
    if (c->fit)
        for (size_t j = 0; j < c->k; j++)
            c->fit[j] = power_at(c, &f, j + 1);
    fit_influence(c);
    return MLG_OK;
}

static inline int linear_trend(const mctx *c, double *v)
{
    if (c->k == 1) {
        if (c->infl) {
            c->infl[0] = 1.0;
            c->fit[0] = c->s[0];
        }
        *v = c->s[0];
        return MLG_OK;
    }
    line_fit f;
    const int st = fit_line(c, &f);
    if (st)
        return st;
    *v = clamp(c, f.base);
    if (c->fit)
        for (size_t j = 0; j < c->k; j++)
            c->fit[j] = line_at(&f, c->k, j + 1);
    line_influence(c);
    return MLG_OK;
}

/* Empower's "true score": of the constant (mean), the line and the power
 * curve, the one with the least total (weighted) absolute error; a more
 * complex model must beat the simpler ones by more than a tolerance of
 * 1e-12 * W * max(1, score range), so rounding noise never decides a tie.
 * The power curve is skipped when some score + log_shift <= 0. */
#define BEST_FIT_TIE_REL 1e-12

static inline int best_fit(const mctx *c, double *v)
{
    const size_t k = c->k;
    double sw = 0;
    for (size_t j = 0; j < k; j++)
        sw += wt(c, j);
    const double mean = mean_range(c, 0, k);
    if (k == 1) {
        if (c->fit)
            c->fit[0] = mean;
        *v = mean;
        return MLG_OK;
    }
    line_fit lf;
    int st = fit_line(c, &lf);
    if (st)
        return st;
    int power_ok = 1;
    for (size_t j = 0; j < k; j++)
        if (!(c->s[j] + c->p->log_shift > 0))
            power_ok = 0;
    power_fit pf = {0, 0, 0};
    if (power_ok && (st = fit_power(c, &pf)) != MLG_OK)
        return st;
    double e_mean = 0, e_line = 0, e_pow = 0;
    for (size_t j = 0; j < k; j++) {
        const double q = wt(c, j), s = c->s[j];
        e_mean += q * fabs(s - mean);
        e_line += q * fabs(s - line_at(&lf, k, j + 1));
        if (power_ok)
            e_pow += q * fabs(s - power_at(c, &pf, j + 1));
    }
    const double range = c->hi - c->lo;
    const double tol = BEST_FIT_TIE_REL * sw * (range > 1 ? range : 1);
    int model = 0; /* 0 mean, 1 line, 2 power */
    double best = e_mean;
    if (e_line < best - tol) {
        model = 1;
        best = e_line;
    }
    if (power_ok && e_pow < best - tol)
        model = 2;
    *v = model == 0 ? mean
       : model == 1 ? clamp(c, lf.base) : clamp(c, power_last(c, &pf));
    if (c->fit)
        for (size_t j = 0; j < k; j++)
            c->fit[j] = model == 0 ? mean
                      : model == 1 ? line_at(&lf, k, j + 1)
                                   : power_at(c, &pf, j + 1);
    fit_influence(c);
    return MLG_OK;
}

/* ASCENDER: the larger of the mean and the (clamped) power law; a tie
 * reports the mean. */
static inline int max_mean_power_law(const mctx *c, double *v)
{
    const double mean = mean_range(c, 0, c->k);
    double pw = mean;
    power_fit f = {0, 0, 0};
    if (c->k >= 2) {
        const int st = fit_power(c, &f);
        if (st)
            return st;
        pw = clamp(c, power_last(c, &f));
    }
    const int use_power = pw > mean;
    *v = use_power ? pw : mean;
    if (c->fit)
        for (size_t j = 0; j < c->k; j++)
            c->fit[j] = use_power ? power_at(c, &f, j + 1) : mean;
    fit_influence(c);
    return MLG_OK;
}


/* ------------------------------------------------------------------------ */
/* The kernels: one per method (the method table's `kernel`)                  */
/* ------------------------------------------------------------------------ */

/* Every kernel has the shape of mlg__kernel_fn (mlg_internal.h): the value
 * of c's method over its k >= 1 rows.  The caller sets *k_used = k and
 * *na = 0 first; a kernel sets *na (and a NaN value) when the method's own
 * rules say N/A (n_mastery's counts, time_decay with every row after
 * as_of), and *k_used when rows drop out (time_decay).  A NaN value without
 * *na is an arithmetic failure, never N/A.  Returns MLG_OK or
 * MLG_ENUMERIC (a fit failed). */

static inline int kern_mean(const mctx *c, double *v, size_t *ku, int *na)
{
    (void)ku; (void)na;
    *v = mean_range(c, 0, c->k);
    return MLG_OK;
}

static inline int kern_median(const mctx *c, double *v, size_t *ku, int *na)
{
    (void)ku; (void)na;
    *v = median_range(c, 0, c->k);
    return MLG_OK;
}

static inline int kern_mode(const mctx *c, double *v, size_t *ku, int *na)
{
    (void)ku; (void)na;
    *v = mode_range(c, 0, c->k);
    return MLG_OK;
}

static inline int kern_most_recent(const mctx *c, double *v, size_t *ku,
                                   int *na)
{
    (void)ku; (void)na;
    size_t last = c->k - 1;
    select_rows(c, 0, c->k, &last, 1);
    *v = c->s[last];
    return MLG_OK;
}

static inline int kern_highest(const mctx *c, double *v, size_t *ku, int *na)
{
    (void)ku; (void)na;
    *v = extreme(c, 0, 1);
    return MLG_OK;
}

static inline int kern_lowest(const mctx *c, double *v, size_t *ku, int *na)
{
    (void)ku; (void)na;
    *v = extreme(c, 0, 0);
    return MLG_OK;
}

static inline int kern_recent_mean(const mctx *c, double *v, size_t *ku,
                                   int *na)
{
    (void)ku; (void)na;
    const size_t a = window_start(c);
    mark(c, 0, a, MLG_WHY_OUTSIDE_WINDOW);
    *v = mean_range(c, a, c->k);
    return MLG_OK;
}

static inline int kern_recent_median(const mctx *c, double *v, size_t *ku,
                                     int *na)
{
    (void)ku; (void)na;
    const size_t a = window_start(c);
    mark(c, 0, a, MLG_WHY_OUTSIDE_WINDOW);
    *v = median_range(c, a, c->k - a);
    return MLG_OK;
}

static inline int kern_recent_mode(const mctx *c, double *v, size_t *ku,
                                   int *na)
{
    (void)ku; (void)na;
    const size_t a = window_start(c);
    mark(c, 0, a, MLG_WHY_OUTSIDE_WINDOW);
    *v = mode_range(c, a, c->k - a);
    return MLG_OK;
}

static inline int kern_highest_mean(const mctx *c, double *v, size_t *ku,
                                    int *na)
{
    (void)ku; (void)na;
    *v = highest_mean(c);
    return MLG_OK;
}

static inline int kern_decaying_average(const mctx *c, double *v, size_t *ku,
                                        int *na)
{
    (void)ku; (void)na;
    *v = decaying_average(c);
    return MLG_OK;
}

static inline int kern_weighted_average(const mctx *c, double *v, size_t *ku,
                                        int *na)
{
    (void)ku; (void)na;
    *v = weighted_average(c);
    return MLG_OK;
}

static inline int kern_n_mastery(const mctx *c, double *v, size_t *ku,
                                 int *na)
{
    (void)ku;
    *v = n_mastery(c, na);
    return MLG_OK;
}

static inline int kern_power_law(const mctx *c, double *v, size_t *ku,
                                 int *na)
{
    (void)ku; (void)na;
    return power_law(c, v);
}

static inline int kern_linear_trend(const mctx *c, double *v, size_t *ku,
                                    int *na)
{
    (void)ku; (void)na;
    return linear_trend(c, v);
}

static inline int kern_best_fit(const mctx *c, double *v, size_t *ku, int *na)
{
    (void)ku; (void)na;
    return best_fit(c, v);
}

static inline int kern_max_mean_power_law(const mctx *c, double *v,
                                          size_t *ku, int *na)
{
    (void)ku; (void)na;
    return max_mean_power_law(c, v);
}

/* Days never decrease, so the rows after as_of are a suffix. */
static inline int kern_time_decay(const mctx *c, double *v, size_t *ku,
                                  int *na)
{
    const size_t k = c->k;
    const int32_t as_of = c->p->as_of == MLG_DAY_NONE ? c->d[k - 1]
                                                      : c->p->as_of;
    size_t kk = k;
    while (kk > 0 && c->d[kk - 1] > as_of)
        kk--;
    mark(c, kk, k, MLG_WHY_AFTER_AS_OF);
    *ku = kk;
    *na = kk == 0;
    *v = kk ? time_decay(c, kk) : NAN;
    return MLG_OK;
}

static inline int kern_consistent_recent(const mctx *c, double *v,
                                         size_t *ku, int *na)
{
    (void)ku; (void)na;
    const size_t a = window_start(c);
    mark(c, 0, a, MLG_WHY_OUTSIDE_WINDOW);
    *v = extreme(c, a, 0);
    return MLG_OK;
}

/* mlg__level_plan (mlg_internal.h): the level of x, or -1 when x lies
 * within the band of a threshold and only mlg__level_of() can tell. */
static inline int32_t mlg__level_plan_of(const mlg__level_plan *lp,
                                         double x)
{
    int32_t lv = 0;
    int near = 0;
    const double band = lp->band;
    if (lp->n_thr <= 4) {
        /* Scales of up to five levels: thr[] is padded with +inf, which no
         * finite value reaches or comes near, so four straight-line steps
         * make the same comparisons. */
        double md = INFINITY; /* distance to the nearest threshold */
        for (int32_t i = 0; i < 4; i++) {
            const double dx = x - lp->thr[i];
            const double ad = fabs(dx);
            lv += x >= lp->thr[i];
            md = ad < md ? ad : md;
        }
        return md <= band ? -1 : lv;
    }
    for (int32_t i = 0; i < lp->n_thr; i++) {
        const double dx = x - lp->thr[i];
        lv += x >= lp->thr[i];
        near |= (dx <= band) & (-dx <= band);
    }
    return near ? -1 : lv;
}

/* The last step of every method on both paths: a value never leaves the
 * scale's score range (rounding in a weighted sum could nudge it past an
 * end by an ulp); NaN stays NaN. */
static inline double kern_on_scale(double v, double lo, double hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

#endif
