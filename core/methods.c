/* methods.c -- the proficiency methods: one kernel (mlg__series_run) behind
 * mlg_series_compute(), mlg_series_explain() and the batch engine.
 *
 * Shape of the kernel.
 *  1. Validate the rows in input order (status, day order, score, weight,
 *     power-law domain) and gather the rows that count into scratch arrays
 *     (s = score used, w = weight, d = day).  When the caller passes no
 *     weights, no statuses and wants no explanation, a fast path checks the
 *     whole series with branch-light loops and works on the caller's arrays
 *     directly; only if that check finds a problem does the exact in-order
 *     validation run, so both paths report the same first error.
 *  2. Compute the method on (s, w, d, k).  w == NULL means "all weights 1"
 *     and selects the unweighted arithmetic, so a series with excused rows
 *     gives bitwise the same value as the same series without them.
 *  3. Convert to a level with mlg__level_of() (level.c), the unchecked
 *     step of mlg_value_to_level().
 *  4. For an explanation, scatter the per-row reasons, influences and
 *     fitted values back to input positions.
 *
 * The kernel never allocates: its caller hands it mlg__scratch_bytes(n, p)
 * bytes.  GSL is called only on validated, finite input, and its status is
 * still checked (MLG_ENUMERIC); GSL's error handler is never touched.
 * Every sum runs in a fixed order, so results are deterministic.
 * Definitions and sources: docs/methods.md. */
#include "mlg_internal.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sort_double.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Scratch layout                                                             */
/* ------------------------------------------------------------------------ */

/* Per row: six doubles (gathered score and weight, two work arrays for
 * sorting or fitting, explanation influence and fitted value), one int32
 * (gathered day) and one byte (explanation reason).  Doubles come first so
 * a double-aligned buffer keeps every array aligned. */
#define SCRATCH_DOUBLES 6
#define SCRATCH_ROW_BYTES (SCRATCH_DOUBLES * sizeof(double) + sizeof(int32_t) + 1)

/* Rows the public wrappers handle with a stack buffer. */
#define STACK_ROWS 256

size_t mlg__scratch_bytes(size_t n, const mlg_method_params *p)
{
    (void)p; /* every method shares the layout: the general path gathers */
    if (n > SIZE_MAX / SCRATCH_ROW_BYTES)
        return SIZE_MAX;
    return n * SCRATCH_ROW_BYTES;
}

typedef struct scratch {
    double  *s, *w, *a, *b, *infl, *fit;
    int32_t *d;
    uint8_t *why;
} scratch;

static void scratch_carve(void *buf, size_t n, scratch *sc)
{
    double *const base = buf;
    sc->s = base;
    sc->w = base + n;
    sc->a = base + 2 * n;
    sc->b = base + 3 * n;
    sc->infl = base + 4 * n;
    sc->fit = base + 5 * n;
    sc->d = (int32_t *)(void *)(base + 6 * n);
    sc->why = (uint8_t *)(sc->d + n);
}

/* ------------------------------------------------------------------------ */
/* Method context                                                             */
/* ------------------------------------------------------------------------ */

typedef struct mctx {
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
} mctx;

static double wt(const mctx *c, size_t j) { return c->w ? c->w[j] : 1.0; }

static double clamp(const mctx *c, double v)
{
    return v < c->lo ? c->lo : (v > c->hi ? c->hi : v);
}

static int is_power_method(int32_t m)
{
    return m == MLG_METHOD_POWER_LAW || m == MLG_METHOD_MAX_MEAN_POWER_LAW;
}

/* Mark rows [a, b) with reason r (explanations only). */
static void mark(const mctx *c, size_t a, size_t b, uint8_t r)
{
    if (c->why)
        for (size_t j = a; j < b; j++)
            c->why[j] = r;
}

/* Start of the window of the last n rows (all if fewer). */
static size_t window_start(const mctx *c)
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
static double sum4(const double *x, size_t m)
{
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
static void wsum4(const double *x, const double *w, size_t m, double *swx,
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

/* (Weighted) mean of rows [a, b), b > a; explains influence w_j / W. */
static double mean_range(const mctx *c, size_t a, size_t b)
{
    const size_t m = b - a;
    double v, sw;
    if (c->w) {
        double swx;
        wsum4(c->s + a, c->w + a, m, &swx, &sw);
        v = swx / sw;
    } else {
        sw = (double)m;
        v = sum4(c->s + a, m) / sw;
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
static void sorted_view(const mctx *c, size_t lo, size_t m)
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

static size_t pos_at(const mctx *c, size_t j) { return (size_t)c->b[j]; }

/* End (one past) of the run of equal scores that starts at g. */
static size_t run_end(const mctx *c, size_t g, size_t m)
{
    size_t e = g + 1;
    while (e < m && c->a[e] == c->a[g])
        e++;
    return e;
}

/* Explanation for order statistics: rows [lo, hi) are NOT_SELECTED except
 * the chosen ones, which get 1/nsel each (the most recent row of each chosen
 * run of equal scores). */
static void select_rows(const mctx *c, size_t lo, size_t hi,
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

/* Weighted median of rows [lo, lo+m): the smallest score whose cumulative
 * weight reaches half the total; if it equals half exactly, the mean of that
 * score and the next larger one.  With all weights 1 this is the ordinary
 * median (the two middle values averaged when m is even). */
static double median_range(const mctx *c, size_t lo, size_t m)
{
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
static double mode_range(const mctx *c, size_t lo, size_t m)
{
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
static double highest_mean(const mctx *c)
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
static double extreme(const mctx *c, size_t lo, int want_max)
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
static double decay_alpha(double w, double q)
{
    return q == 1.0 ? w : 1.0 - pow(1.0 - w, q);
}

/* d1 = s1; dk = w*sk + (1-w)*d(k-1)  (PowerSchool, Schoology, Otus, ...). */
static double decaying_average(const mctx *c)
{
    const double w = c->p->weight, om = 1.0 - w;
    const double *s = c->s;
    double v = s[0];
    if (!c->w) {
        for (size_t j = 1; j < c->k; j++)
            v = w * s[j] + om * v;
    } else {
        for (size_t j = 1; j < c->k; j++) {
            const double al = decay_alpha(w, c->w[j]);
            v = al * s[j] + (1.0 - al) * v;
        }
    }
    if (c->infl) {
        /* Running values, then each row's coefficient: alpha_j times the
         * product of (1 - alpha) of every later row; row 1 keeps the whole
         * remaining product. */
        double r = s[0];
        c->fit[0] = r;
        for (size_t j = 1; j < c->k; j++) {
            const double al = decay_alpha(w, wt(c, j));
            r = al * s[j] + (1.0 - al) * r;
            c->fit[j] = r;
        }
        double tail = 1.0;
        for (size_t j = c->k - 1; j >= 1; j--) {
            const double al = decay_alpha(w, wt(c, j));
            c->infl[j] = al * tail;
            tail *= 1.0 - al;
        }
        c->infl[0] = tail;
    }
    return v;
}

/* Canvas's legacy "decaying average": w*latest + (1-w)*mean(earlier). */
static double weighted_average(const mctx *c)
{
    const size_t k = c->k;
    if (k == 1) {
        if (c->infl)
            c->infl[0] = 1.0;
        return c->s[0];
    }
    const double w = c->p->weight;
    const double earlier = mean_range(c, 0, k - 1); /* infl = w_j/W */
    if (c->infl) {
        for (size_t j = 0; j + 1 < k; j++)
            c->infl[j] *= 1.0 - w;
        c->infl[k - 1] = w;
    }
    return w * c->s[k - 1] + (1.0 - w) * earlier;
}

/* Canvas "n number of times": N/A with fewer than n results; keep the scores
 * >= mastery; N/A with fewer than n kept; else their (weighted) mean. */
static double n_mastery(const mctx *c, int *na)
{
    const size_t k = c->k, n = (size_t)c->p->n;
    const double m = c->p->mastery;
    size_t kept = 0;
    double swx = 0, sw = 0;
    for (size_t j = 0; j < k; j++) {
        if (c->s[j] >= m) {
            const double wj = wt(c, j);
            kept++;
            swx += wj * c->s[j];
            sw += wj;
        } else if (c->why) {
            c->why[j] = MLG_WHY_BELOW_MASTERY;
        }
    }
    if (k < n || kept < n) {
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
static double time_decay(const mctx *c, size_t k)
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

static int gsl_failed(int st, double c0, double c1)
{
    return st != GSL_SUCCESS || !isfinite(c0) || !isfinite(c1);
}

/* Least squares of s on i = 1..k (k >= 2).  Unweighted: the closed form
 * slope = sum((i - (k+1)/2) s_i) / (k(k^2-1)/12), value at k = mean +
 * slope*(k-1)/2, which equals gsl_fit_linear's fit (tests check 1e-12).
 * Weighted: gsl_fit_wlinear. */
static int fit_line(const mctx *c, line_fit *f)
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

static double line_at(const line_fit *f, size_t k, size_t i)
{
    return f->base + f->slope * ((double)i - (double)k);
}

/* Least squares of ln(s_i + shift) on ln(i), i = 1..k (k >= 2).
 * Unweighted: one pass over x = ln(i) - ln(k!)/k (ln i minus its exact
 * mean, from GSL's gsl_sf_lnfact, so the sums do not cancel) and
 * y = ln(s_i + shift) - ln(s_1 + shift); equals gsl_fit_linear's fit (tests
 * check 1e-12, also at 100,000 rows).  Weighted: gsl_fit_wlinear on
 * x = ln(i), y = ln(s_i + shift). */
static int fit_power(const mctx *c, power_fit *f)
{
    const size_t k = c->k;
    const double shift = c->p->log_shift;
    const double lk = log((double)k);
    f->lk = lk;
    if (!c->w) {
        const double kd = (double)k;
        const double xc = gsl_sf_lnfact((unsigned int)k) / kd;
        const double y1 = log(c->s[0] + shift);
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (size_t a = 0; a < k; a += SUM_BLOCK) {
            const size_t e = k - a < SUM_BLOCK ? k : a + SUM_BLOCK;
            double bx = 0, by = 0, bxx = 0, bxy = 0;
            for (size_t j = a; j < e; j++) {
                const double x = log((double)(j + 1)) - xc;
                const double y = log(c->s[j] + shift) - y1;
                bx += x;
                by += y;
                bxx += x * x;
                bxy += x * y;
            }
            sx += bx;
            sy += by;
            sxx += bxx;
            sxy += bxy;
        }
        const double mx = sx / kd, my = sy / kd;
        const double b = (sxy - sx * my) / (sxx - sx * mx);
        f->b = b;
        f->base = y1 + my + b * ((lk - xc) - mx);
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

static double power_at(const mctx *c, const power_fit *f, size_t i)
{
    return exp(f->base + f->b * (log((double)i) - f->lk)) - c->p->log_shift;
}

static double power_last(const mctx *c, const power_fit *f)
{
    return exp(f->base) - c->p->log_shift;
}

/* Influence for the fitted methods: the regression weight normalised. */
static void fit_influence(const mctx *c)
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
static void line_influence(const mctx *c)
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

static int power_law(const mctx *c, double *v)
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

static int linear_trend(const mctx *c, double *v)
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

static int best_fit(const mctx *c, double *v)
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
static int max_mean_power_law(const mctx *c, double *v)
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
/* Dispatch                                                                   */
/* ------------------------------------------------------------------------ */

/* The value of c's method over its k >= 1 rows.  *na is set (and *value is
 * NaN) when the method's own rules say N/A: n_mastery's counts, time_decay
 * with every row after as_of.  A NaN value without *na is an arithmetic
 * failure, never N/A.  *k_used receives the rows that entered (time_decay
 * drops rows after as_of). */
static int method_value(const mctx *c, double *value, size_t *k_used,
                        int *na)
{
    const size_t k = c->k;
    *k_used = k;
    *na = 0;
    switch (c->p->method) {
    case MLG_METHOD_MEAN:
        *value = mean_range(c, 0, k);
        return MLG_OK;
    case MLG_METHOD_MEDIAN:
        *value = median_range(c, 0, k);
        return MLG_OK;
    case MLG_METHOD_MODE:
        *value = mode_range(c, 0, k);
        return MLG_OK;
    case MLG_METHOD_MOST_RECENT: {
        size_t last = k - 1;
        select_rows(c, 0, k, &last, 1);
        *value = c->s[last];
        return MLG_OK;
    }
    case MLG_METHOD_HIGHEST:
        *value = extreme(c, 0, 1);
        return MLG_OK;
    case MLG_METHOD_LOWEST:
        *value = extreme(c, 0, 0);
        return MLG_OK;
    case MLG_METHOD_RECENT_MEAN: {
        const size_t a = window_start(c);
        mark(c, 0, a, MLG_WHY_OUTSIDE_WINDOW);
        *value = mean_range(c, a, k);
        return MLG_OK;
    }
    case MLG_METHOD_RECENT_MEDIAN: {
        const size_t a = window_start(c);
        mark(c, 0, a, MLG_WHY_OUTSIDE_WINDOW);
        *value = median_range(c, a, k - a);
        return MLG_OK;
    }
    case MLG_METHOD_RECENT_MODE: {
        const size_t a = window_start(c);
        mark(c, 0, a, MLG_WHY_OUTSIDE_WINDOW);
        *value = mode_range(c, a, k - a);
        return MLG_OK;
    }
    case MLG_METHOD_HIGHEST_MEAN:
        *value = highest_mean(c);
        return MLG_OK;
    case MLG_METHOD_DECAYING_AVERAGE:
        *value = decaying_average(c);
        return MLG_OK;
    case MLG_METHOD_WEIGHTED_AVERAGE:
        *value = weighted_average(c);
        return MLG_OK;
    case MLG_METHOD_N_MASTERY:
        *value = n_mastery(c, na);
        return MLG_OK;
    case MLG_METHOD_POWER_LAW:
        return power_law(c, value);
    case MLG_METHOD_LINEAR_TREND:
        return linear_trend(c, value);
    case MLG_METHOD_BEST_FIT:
        return best_fit(c, value);
    case MLG_METHOD_MAX_MEAN_POWER_LAW:
        return max_mean_power_law(c, value);
    case MLG_METHOD_TIME_DECAY: {
        /* Days never decrease, so the rows after as_of are a suffix. */
        const int32_t as_of = c->p->as_of == MLG_DAY_NONE ? c->d[k - 1]
                                                          : c->p->as_of;
        size_t kk = k;
        while (kk > 0 && c->d[kk - 1] > as_of)
            kk--;
        mark(c, kk, k, MLG_WHY_AFTER_AS_OF);
        *k_used = kk;
        *na = kk == 0;
        *value = kk ? time_decay(c, kk) : NAN;
        return MLG_OK;
    }
    case MLG_METHOD_CONSISTENT_RECENT: {
        const size_t a = window_start(c);
        mark(c, 0, a, MLG_WHY_OUTSIDE_WINDOW);
        *value = extreme(c, a, 0);
        return MLG_OK;
    }
    default:
        /* params were validated by the caller */
        return MLG_ENOTFOUND;
    }
}

/* ------------------------------------------------------------------------ */
/* Validation                                                                 */
/* ------------------------------------------------------------------------ */

typedef struct rowin {
    size_t n;
    const int32_t *day;
    const double  *score, *weight;
    const uint8_t *status;
    const mlg_scale *scale;
    const mlg_method_params *p;
    mlg_errinfo *err;
    int64_t group, row_base;
} rowin;

/* The exact, in-order validation of every row; gathers the rows that count
 * into sc (may be NULL to validate only).  Per row: status known; day not
 * earlier than the previous row's (every row, excused ones too); for counted
 * rows the score finite and within the scale; the weight finite and >= 0;
 * for the power-law methods score + log_shift > 0 (rows that count only). */
static int validate_gather(const rowin *in, scratch *sc, size_t *k_out,
                           size_t *ignored_out)
{
    const double lo = in->scale->score_min, hi = in->scale->score_max;
    const double shift = in->p->log_shift;
    const int power = is_power_method(in->p->method);
    size_t k = 0, ignored = 0;
    for (size_t i = 0; i < in->n; i++) {
        const long long row = (long long)(in->row_base + (int64_t)i);
        const unsigned st = in->status ? in->status[i] : MLG_EVIDENCE_COUNTED;
        if (st > MLG_EVIDENCE_MISSING)
            return mlg__fail(in->err, MLG_ESTATUS, in->group, (int64_t)row,
                             "row %lld: status %u is not an MLG_EVIDENCE_* "
                             "code", row, st);
        if (in->day && i > 0 && in->day[i] < in->day[i - 1])
            return mlg__fail(in->err, MLG_EORDER, in->group, (int64_t)row,
                             "row %lld: day %ld is earlier than day %ld of "
                             "the row before", row, (long)in->day[i],
                             (long)in->day[i - 1]);
        double s;
        if (st == MLG_EVIDENCE_EXCUSED) {
            ignored++;
            continue;
        }
        if (st == MLG_EVIDENCE_MISSING) {
            if (in->p->missing == MLG_MISSING_IGNORE) {
                ignored++;
                continue;
            }
            s = lo;
        } else {
            s = in->score[i];
            if (!isfinite(s))
                return mlg__fail(in->err, MLG_ENAN, in->group, (int64_t)row,
                                 "row %lld: score %g is not finite", row, s);
            if (s < lo || s > hi)
                return mlg__fail(in->err, MLG_ESCALE, in->group,
                                 (int64_t)row,
                                 "row %lld: score %g is outside the scale's "
                                 "range [%g, %g]", row, s, lo, hi);
        }
        double q = 1.0;
        if (in->weight) {
            q = in->weight[i];
            if (!isfinite(q))
                return mlg__fail(in->err, MLG_ENAN, in->group, (int64_t)row,
                                 "row %lld: weight %g is not finite", row, q);
            if (q < 0)
                return mlg__fail(in->err, MLG_EWEIGHT, in->group,
                                 (int64_t)row,
                                 "row %lld: weight %g is negative", row, q);
            if (q == 0) {
                ignored++;
                continue;
            }
        }
        if (power && !(s + shift > 0))
            return mlg__fail(in->err, MLG_EDOMAIN, in->group, (int64_t)row,
                             "row %lld: the power law takes ln(score + "
                             "log_shift) and score %g + log_shift %g <= 0; "
                             "set log_shift > %g or use another method",
                             row, s, shift, -s);
        if (sc) {
            sc->s[k] = s;
            sc->w[k] = q;
            if (in->day)
                sc->d[k] = in->day[i];
        }
        k++;
    }
    *k_out = k;
    *ignored_out = ignored;
    return MLG_OK;
}

/* Methods whose value is NaN whenever a score is NaN (every score enters
 * a sum, a product or a fit), so the fast path may leave NaN detection to
 * the value itself.  Clamping keeps NaN (clamp compares, and NaN fails).
 * Not time_decay: a NaN dated after as_of never reaches its sum. */
static int nan_propagates(int32_t m)
{
    switch (m) {
    case MLG_METHOD_MEAN:
    case MLG_METHOD_DECAYING_AVERAGE:
    case MLG_METHOD_WEIGHTED_AVERAGE:
    case MLG_METHOD_POWER_LAW:
    case MLG_METHOD_LINEAR_TREND:
    case MLG_METHOD_BEST_FIT:
    case MLG_METHOD_MAX_MEAN_POWER_LAW:
        return 1;
    default:
        return 0;
    }
}

/* Fast path check (no weights, no statuses): nonzero when some row might
 * fail validation.  One pass keeps the minimum and maximum in two lanes
 * (out-of-range and infinite scores fail the range test); NaN, which
 * min/max skip, is caught here only for methods that do not propagate it
 * (nan_propagates: the caller then checks the value).  Days are checked in
 * a second, integer pass.  Any hit sends the caller to the exact in-order
 * validation, so errors are reported identically on both paths. */
static int fast_bad(const rowin *in)
{
    const double lo = in->scale->score_min, hi = in->scale->score_max;
    const double *s = in->score;
    const size_t n = in->n;
    double mn0 = hi, mn1 = hi, mx0 = lo, mx1 = lo;
    size_t i = 0;
    for (; i + 2 <= n; i += 2) {
        const double a = s[i], b = s[i + 1];
        mn0 = a < mn0 ? a : mn0;
        mn1 = b < mn1 ? b : mn1;
        mx0 = a > mx0 ? a : mx0;
        mx1 = b > mx1 ? b : mx1;
    }
    if (i < n) {
        const double a = s[i];
        mn0 = a < mn0 ? a : mn0;
        mx0 = a > mx0 ? a : mx0;
    }
    const double mn = mn0 < mn1 ? mn0 : mn1, mx = mx0 > mx1 ? mx0 : mx1;
    int bad = !(mn >= lo) || !(mx <= hi);
    if (is_power_method(in->p->method))
        bad |= !(mn + in->p->log_shift > 0);
    if (!nan_propagates(in->p->method)) {
        int nan = 0;
        for (size_t j = 0; j < n; j++)
            nan |= s[j] != s[j];
        bad |= nan;
    }
    if (in->day) {
        const int32_t *d = in->day;
        int order = 0;
        for (size_t j = 1; j < n; j++)
            order |= d[j] < d[j - 1];
        bad |= order;
    }
    return bad;
}

/* ------------------------------------------------------------------------ */
/* The kernel                                                                 */
/* ------------------------------------------------------------------------ */

int mlg__series_run(size_t n, const int32_t *day, const double *score,
                    const double *weight, const uint8_t *status,
                    const mlg_scale *scale, const mlg_method_params *p,
                    void *scratch_buf, mlg_result *out, mlg_explain_row *rows,
                    mlg_errinfo *err, int64_t group, int64_t row_base)
{
    const rowin in = {n, day, score, weight, status, scale, p, err, group,
                      row_base};
    if (n > (size_t)INT32_MAX)
        return mlg__fail(err, MLG_EOVERFLOW, group, -1,
                         "a series of %zu rows is longer than INT32_MAX", n);
    if (p->method == MLG_METHOD_TIME_DECAY && !day && n > 0)
        return mlg__fail(err, MLG_ENULL, group, -1,
                         "time_decay needs days (day is NULL)");

    scratch sc = {0};
    if (n > 0)
        scratch_carve(scratch_buf, n, &sc);
    mctx c = {0};
    c.p = p;
    c.lo = scale->score_min;
    c.hi = scale->score_max;
    c.a = sc.a;
    c.b = sc.b;
    size_t k = 0, ignored = 0;
    int st;

    int fast = !weight && !status && !rows && !fast_bad(&in);
retry:
    if (fast) {
        c.s = score;
        c.d = day;
        k = n;
    } else {
        st = validate_gather(&in, &sc, &k, &ignored);
        if (st)
            return st;
        c.s = sc.s;
        c.w = weight ? sc.w : NULL;
        c.d = day ? sc.d : NULL;
    }
    c.k = k;
    if (rows && k > 0) {
        c.infl = sc.infl;
        c.fit = sc.fit;
        c.why = sc.why;
        for (size_t j = 0; j < k; j++) {
            c.infl[j] = 0;
            c.fit[j] = NAN;
            c.why[j] = MLG_WHY_USED;
        }
    }

    double value = NAN;
    size_t k_used = 0;
    int na = k == 0;
    if (k > 0) {
        st = method_value(&c, &value, &k_used, &na);
        if (fast && (st != MLG_OK || (!na && !isfinite(value)))) {
            /* A NaN score may have slipped past the min/max scan (and made
             * the value NaN or a fit fail): validate exactly, in order,
             * which reports it.  At most one retry. */
            fast = 0;
            goto retry;
        }
        if (st)
            return mlg__fail(err, st, group, -1,
                             st == MLG_ENUMERIC
                                 ? "the least-squares fit failed"
                                 : "unknown method %ld", (long)p->method);
        if (!na && !isfinite(value))
            return mlg__fail(err, MLG_ENUMERIC, group, -1,
                             "the method's value %g is not finite (overflow "
                             "in the scores or weights)", value);
    }

    mlg_result r;
    r.value = na ? NAN : value;
    r.rounded = NAN;
    r.level = MLG_LEVEL_NA;
    r.n_used = (int32_t)k_used;
    r.n_ignored = (int32_t)ignored;
    r.reserved = 0;
    if (!na) {
        /* Scale and params were validated by our caller, so the unchecked
         * level step of mlg_value_to_level() (level.c) is enough; it saves
         * re-validating both on every group of a batch. */
        r.level = mlg__level_of(value, scale, p->rounding, p->decimals,
                                &r.rounded);
    }

    if (rows) {
        /* Explanation: replay the gathering so gathered row j maps back to
         * its input row.  Window and selection reasons take precedence over
         * MLG_WHY_MISSING_LOWEST, which marks a missing row that was used. */
        size_t j = 0;
        for (size_t i = 0; i < n; i++) {
            mlg_explain_row *e = &rows[i];
            const unsigned s_ = status ? status[i] : MLG_EVIDENCE_COUNTED;
            e->row = (int64_t)i;
            e->day = day ? day[i] : (int32_t)i;
            e->weight = weight ? weight[i] : 1.0;
            e->influence = 0;
            e->fitted = NAN;
            if (s_ == MLG_EVIDENCE_EXCUSED) {
                e->reason = MLG_WHY_EXCUSED;
                e->score = NAN;
                continue;
            }
            if (s_ == MLG_EVIDENCE_MISSING &&
                p->missing == MLG_MISSING_IGNORE) {
                e->reason = MLG_WHY_MISSING_IGNORED;
                e->score = NAN;
                continue;
            }
            e->score = s_ == MLG_EVIDENCE_MISSING ? scale->score_min
                                                  : score[i];
            if (weight && weight[i] == 0) {
                e->reason = MLG_WHY_ZERO_WEIGHT;
                continue;
            }
            e->reason = c.why[j];
            if (e->reason == MLG_WHY_USED && s_ == MLG_EVIDENCE_MISSING)
                e->reason = MLG_WHY_MISSING_LOWEST;
            e->influence = na ? 0.0 : c.infl[j];
            e->fitted = c.fit[j];
            j++;
        }
    }
    *out = r;
    return MLG_OK;
}

/* ------------------------------------------------------------------------ */
/* Public wrappers                                                            */
/* ------------------------------------------------------------------------ */

/* Shared by both wrappers: argument checks, scratch (stack for n <= 256 rows,
 * heap above), then the kernel. */
static int series_call(size_t n, const int32_t *day, const double *score,
                       const double *weight, const uint8_t *status,
                       const mlg_scale *scale, const mlg_method_params *params,
                       mlg_result *out, mlg_explain_row *rows, int explain,
                       mlg_errinfo *err)
{
    if (!params)
        return mlg__fail(err, MLG_ENULL, -1, -1, "params is NULL");
    if (!out)
        return mlg__fail(err, MLG_ENULL, -1, -1, "out is NULL");
    if (n > 0 && !score)
        return mlg__fail(err, MLG_ENULL, -1, -1, "score is NULL");
    if (explain && n > 0 && !rows)
        return mlg__fail(err, MLG_ENULL, -1, -1, "rows is NULL");
    int st;
    if (!scale) {
        scale = mlg__default_scale();
    } else if ((st = mlg_scale_validate(scale)) != MLG_OK) {
        return mlg__fail(err, st, -1, -1, "invalid scale: %s",
                         mlg_strerror(st));
    }
    if ((st = mlg_method_params_validate(params)) != MLG_OK)
        return mlg__fail(err, st, -1, -1, "invalid method parameters: %s",
                         mlg_strerror(st));
    if (n > (size_t)INT32_MAX)
        return mlg__fail(err, MLG_EOVERFLOW, -1, -1,
                         "a series of %zu rows is longer than INT32_MAX", n);

    /* Doubles keep the buffer aligned for the scratch layout. */
    double stack_buf[(STACK_ROWS * SCRATCH_ROW_BYTES + sizeof(double) - 1) /
                     sizeof(double)];
    const size_t bytes = mlg__scratch_bytes(n, params);
    void *buf = stack_buf;
    if (bytes > sizeof stack_buf) {
        buf = bytes == SIZE_MAX ? NULL : malloc(bytes);
        if (!buf)
            return mlg__fail(err, MLG_ENOMEM, -1, -1,
                             "cannot allocate %zu bytes of scratch", bytes);
    }
    st = mlg__series_run(n, day, score, weight, status, scale, params, buf,
                         out, rows, err, -1, 0);
    if (buf != stack_buf)
        free(buf);
    return st;
}

int mlg_series_compute(size_t n, const int32_t *day, const double *score,
                       const double *weight, const uint8_t *status,
                       const mlg_scale *scale, const mlg_method_params *params,
                       mlg_result *out, mlg_errinfo *err)
{
    return series_call(n, day, score, weight, status, scale, params, out, NULL,
                       0, err);
}

int mlg_series_explain(size_t n, const int32_t *day, const double *score,
                       const double *weight, const uint8_t *status,
                       const mlg_scale *scale, const mlg_method_params *params,
                       mlg_result *out, mlg_explain_row *rows,
                       mlg_errinfo *err)
{
    return series_call(n, day, score, weight, status, scale, params, out, rows,
                       1, err);
}
