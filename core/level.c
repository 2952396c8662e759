/* SPDX-License-Identifier: GPL-3.0-or-later */
/* level.c -- from a proficiency value to a reported level
 * (mlg_value_to_level): decimal rounding, then one of four level mappings.
 * docs/levels.md explains both steps with examples. */
#include "mlg_internal.h"

#include <math.h>

/* Exact powers of ten 10^0 .. 10^9 (all exactly representable). */
static const double pow10_table[10] = {1e0, 1e1, 1e2, 1e3, 1e4,
                                       1e5, 1e6, 1e7, 1e8, 1e9};

/* x rounded to d decimals, half away from zero, with ties judged on the
 * decimal number x stands for rather than on its exact binary expansion.
 * Scores are decimals (2.675 typed by a teacher, or the mean 2.675 of 2.5 and
 * 2.85), but the double nearest 2.675 is 2.67499999999999982236431605997...,
 * so a plain round(x * 100) / 100 gives 2.67.  Here, after r = round(x*10^d),
 * x is moved up to r + 1 when the double nearest the halfway decimal
 * (r + 0.5) / 10^d is <= x (mirrored for x < 0): 2.675 -> 2.68, 1.005 ->
 * 1.01, 3.745 -> 3.75.  This is the rule of Ruby's Float#round
 * (numeric.c, round_half_up), which Canvas applies to outcome scores
 * (RollupScore, PRECISION = 2), so the canvas_* presets reproduce Canvas.
 * The result is the double nearest the rounded decimal r / 10^d (zero is
 * always +0).  d < 0
 * returns x unchanged; so does any x with no fractional digits left at this
 * precision (|x * 10^d| >= 2^52). */
double mlg__round_decimals(double x, int32_t d)
{
    if (d < 0)
        return x;
    const double p = pow10_table[d];
    const double y = x * p;
    if (!(fabs(y) < 4503599627370496.0)) /* 2^52 */
        return x;
    double r = round(y);
    if (x > 0.0 && (r + 0.5) / p <= x)
        r += 1.0;
    else if (x < 0.0 && (r - 0.5) / p >= x)
        r -= 1.0;
    /* A small negative value rounds to -0.0; report +0 so that front ends
     * never print "-0.00". */
    return r == 0.0 ? 0.0 : r / p;
}

/* 1 if v is an even integer (…, -2, 0, 2, 4, …). */
static int even_integer(double v)
{
    return fmod(v, 2.0) == 0.0;
}

int32_t mlg__level_of_values(double value, int32_t n, const double *v,
                             const double *cut, int32_t rounding,
                             int32_t decimals, double *rounded)
{
    const double r = mlg__round_decimals(value, decimals);
    int32_t lv = 0;

    switch (rounding) {
    case MLG_ROUND_HALF_UP:
        /* Nearest level value; at the exact midpoint (computed as
         * v[i-1]/2 + v[i]/2, the same formula mlg_scale_init() uses for
         * cuts) the upper level wins. */
        for (int32_t i = 1; i < n; i++)
            if (r >= v[i - 1] / 2 + v[i] / 2)
                lv = i;
        break;
    case MLG_ROUND_HALF_EVEN:
        /* Nearest level value; at the exact midpoint, the level whose value
         * is an even integer, else (neither is) the level of even index. */
        for (int32_t i = 1; i < n; i++) {
            const double mid = v[i - 1] / 2 + v[i] / 2;
            if (r > mid) {
                lv = i;
            } else if (r == mid) {
                if (even_integer(v[i - 1]))
                    lv = i - 1;
                else if (even_integer(v[i]))
                    lv = i;
                else
                    lv = (i % 2 == 0) ? i : i - 1;
                break;
            } else {
                break;
            }
        }
        break;
    case MLG_ROUND_FLOOR:
        /* Highest level whose value is <= r; below the lowest, level 0. */
        for (int32_t i = 1; i < n; i++)
            if (v[i] <= r)
                lv = i;
        break;
    default: /* MLG_ROUND_CUTS (validated above) */
        /* Highest i with cut[i] <= r; below cut[1], level 0. */
        for (int32_t i = 1; i < n; i++)
            if (cut[i] <= r)
                lv = i;
        break;
    }

    if (rounded)
        *rounded = r;
    return lv;
}

int32_t mlg__level_of(double value, const mlg_scale *scale, int32_t rounding,
                      int32_t decimals, double *rounded)
{
    return mlg__level_of_values(value, scale->n_levels, scale->value,
                                scale->cut, rounding, decimals, rounded);
}

void mlg__level_plan_init(mlg__level_plan *lp, const mlg_scale *scale,
                          int32_t rounding, int32_t decimals)
{
    const int32_t n = scale->n_levels;
    lp->scale = scale;
    lp->rounding = rounding;
    lp->decimals = decimals;
    lp->n_thr = n - 1;
    for (int32_t i = 0; i < MLG_SCALE_MAX_LEVELS; i++)
        lp->thr[i] = INFINITY; /* padding: see mlg__level_plan_of() */
    for (int32_t i = 1; i < n; i++) {
        switch (rounding) {
        case MLG_ROUND_HALF_UP:
        case MLG_ROUND_HALF_EVEN:
            lp->thr[i - 1] = scale->value[i - 1] / 2 + scale->value[i] / 2;
            break;
        case MLG_ROUND_FLOOR:
            lp->thr[i - 1] = scale->value[i];
            break;
        default:
            lp->thr[i - 1] = scale->cut[i];
            break;
        }
    }
    /* Rounding to d decimals moves a value by at most half a unit of the
     * d-th decimal (level.c's tie rule included); 1.5 units leaves margin
     * for the rounding of x * 10^d itself. */
    double band = 0.0;
    if (decimals >= 0)
        band = 1.5 / pow10_table[decimals];
    lp->band = band;
}

int mlg_value_to_level(double value, const mlg_scale *scale,
                       const mlg_method_params *params, int32_t *level,
                       double *rounded)
{
    if (!params || !level)
        return MLG_ENULL;
    if (!scale)
        scale = mlg__default_scale();
    if (!isfinite(value))
        return MLG_ENAN;
    /* Any invalid parameter or scale field is a bad argument here. */
    if (mlg_method_params_validate(params) != MLG_OK ||
        mlg_scale_validate(scale) != MLG_OK)
        return MLG_EINVAL;
    *level = mlg__level_of(value, scale, params->rounding, params->decimals,
                           rounded);
    return MLG_OK;
}
