/* SPDX-License-Identifier: GPL-3.0-or-later */
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
 *     Weights used only as ratios are rescaled by a power of two when
 *     they lie far from 1 (rescale_weights).
 *  2. Compute the method on (s, w, d, k) with its kernel from the method
 *     table (kernels.h, method_table.c).  w == NULL means "all weights 1"
 *     and selects the unweighted arithmetic, so a series with excused rows
 *     gives bitwise the same value as the same series without them.
 *  3. Keep the value on the scale (kern_on_scale) and convert it to a
 *     level with mlg__level_of() (level.c), the unchecked step of
 *     mlg_value_to_level().
 *  4. For an explanation, scatter the per-row reasons, influences and
 *     fitted values back to input positions.
 *
 * The kernel never allocates: its caller hands it mlg__scratch_bytes(n, p)
 * bytes.  GSL is called only on validated, finite input, and its status is
 * still checked (MLG_ENUMERIC); GSL's error handler is never touched.
 * Every sum runs in a fixed order, so results are deterministic.
 * Definitions and sources: docs/methods.md. */
#include "kernels.h"

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
    const int power =
        (mlg__method_table[in->p->method].flags & MLG__MF_LOG_DOMAIN) != 0;
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

/* Weights far from 1 (a subnormal 5e-324, or 1e308 whose sum overflows)
 * lose the value: the mean of a single 2.4 of weight 5e-324 came out 2
 * (5e-324 * 2.4 rounds to 1e-323).  The methods that use weights only
 * through their ratios get them multiplied by a power of two, which is
 * exact, so that the largest lies in [1, 2); weights within 2^-500..2^500
 * are left alone, so ordinary weights keep their bits.  Not decaying_average
 * (MLG__MF_ABS_WEIGHTS): there a weight is a count of sightings. */
static void rescale_weights(double *w, size_t k)
{
    double mx = 0;
    for (size_t j = 0; j < k; j++)
        mx = w[j] > mx ? w[j] : mx;
    if (mx >= 0x1p-500 && mx <= 0x1p500)
        return;
    /* scalbn, not a multiplication by 2^e: 2^1074 itself overflows. */
    const int e = ilogb(mx);
    for (size_t j = 0; j < k; j++)
        w[j] = scalbn(w[j], -e);
}

/* Fast path check (no weights, no statuses): nonzero when some row might
 * fail validation.  One pass keeps the minimum and maximum in two lanes
 * (out-of-range and infinite scores fail the range test); NaN, which
 * min/max skip, is caught here only for methods that do not propagate it
 * (MLG__MF_NAN_PROPAGATES: the caller then checks the value).  Days are checked in
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
    const uint32_t flags = mlg__method_table[in->p->method].flags;
    if (flags & MLG__MF_LOG_DOMAIN)
        bad |= !(mn + in->p->log_shift > 0);
    if (!(flags & MLG__MF_NAN_PROPAGATES)) {
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
    if ((mlg__method_table[p->method].flags & MLG__MF_NEEDS_DAYS) && !day &&
        n > 0)
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
        if (weight && k > 0 &&
            !(mlg__method_table[p->method].flags & MLG__MF_ABS_WEIGHTS))
            rescale_weights(sc.w, k);
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
        k_used = k;
        st = mlg__method_table[p->method].kernel(&c, &value, &k_used, &na);
        if (fast && (st != MLG_OK || (!na && !isfinite(value)))) {
            /* A NaN score may have slipped past the min/max scan (and made
             * the value NaN or a fit fail): validate exactly, in order,
             * which reports it.  At most one retry. */
            fast = 0;
            goto retry;
        }
        if (st)
            return mlg__fail(err, st, group, -1,
                             "the least-squares fit failed");
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
        value = kern_on_scale(value, scale->score_min, scale->score_max);
        r.value = value;
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
