/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_level.c -- mlg_value_to_level: decimal rounding, then the level
 * under half_up, half_even, floor and cuts, on built-in and user scales. */
#include "mlg.h"
#include "mlg_test.h"

#include <string.h>

/* Scales the cases refer to. */
enum scale_id {
    S_NULL,     /* NULL: the CCS 4/3/2/1 default */
    S_CCS4,     /* BUL-2332.7 sec. II.A, values 1..4 */
    S_TK_ELD,   /* BUL-2332.7 sec. VI, B/M/L = 1..3 */
    S_ZERO4,    /* user 0-4 scale, values 0..4 */
    S_ODD,      /* values 1, 3, 5: no even value */
    S_HALVES,   /* values 0.5, 1.5, 2.5, 3.5: no integer value */
    S_NEG,      /* values -2, -1 */
    S_POINTS,   /* 0-100 points, cuts 0/60/70/80 */
    S_DISTRICT, /* a district's cut table on the 1-4 scale */
    S_COUNT
};

static mlg_scale scales[S_COUNT];

static void init_values(mlg_scale *s, size_t n, const double *v)
{
    assert_int_equal(mlg_scale_init(s, n, v), MLG_OK);
}

static int setup(void **state)
{
    (void)state;
    static const double zero4[] = {0, 1, 2, 3, 4};
    static const double odd[] = {1, 3, 5};
    static const double halves[] = {0.5, 1.5, 2.5, 3.5};
    static const double neg[] = {-2, -1};
    if (mlg_scale_builtin(MLG_SCALE_CCS4, &scales[S_CCS4]) != MLG_OK ||
        mlg_scale_builtin(MLG_SCALE_TK_ELD, &scales[S_TK_ELD]) != MLG_OK)
        return -1;
    init_values(&scales[S_ZERO4], 5, zero4);
    init_values(&scales[S_ODD], 3, odd);
    init_values(&scales[S_HALVES], 4, halves);
    init_values(&scales[S_NEG], 2, neg);

    /* 0-100 points with cut scores 0/60/70/80 (the issue: "0-100 points
     * with cut scores"): four levels F/D/C/B, each valued at a typical
     * score of its band; scores are accepted over the whole 0..100. */
    static const double points[] = {50, 65, 75, 90};
    static const double point_cuts[] = {0, 60, 70, 80};
    mlg_scale *p = &scales[S_POINTS];
    init_values(p, 4, points);
    memcpy(p->cut, point_cuts, sizeof point_cuts);
    p->score_min = 0;
    p->score_max = 100;
    static const char *const letters[] = {"F", "D", "C", "B"};
    for (int i = 0; i < 4; i++)
        strcpy(p->label[i], letters[i]);
    if (mlg_scale_validate(p) != MLG_OK)
        return -1;

    /* A district's average-to-band table.  methods-in-the-field.md
     * ("Ordering and rounding"): "3.75-4.00, 3.26-3.74, 3.00-3.25, ..."
     * bands; the issue: "1.0-1.74 / 1.75-2.49 / ..."; 2.50-2.99 closes the
     * gap.  Each band's lower edge is its cut and its value. */
    static const double edges[] = {1.0, 1.75, 2.5, 3.0, 3.26, 3.75};
    static const char *const bands[] = {"1.00-1.74", "1.75-2.49",
                                        "2.50-2.99", "3.00-3.25",
                                        "3.26-3.74", "3.75-4.00"};
    mlg_scale *d = &scales[S_DISTRICT];
    init_values(d, 6, edges);
    memcpy(d->cut, edges, sizeof edges);
    d->score_max = 4.0;
    for (int i = 0; i < 6; i++)
        strcpy(d->label[i], bands[i]);
    return mlg_scale_validate(d) == MLG_OK ? 0 : -1;
}

/* (1.9 + 2.3 + 3.3) / 3 is 2.5 in decimal arithmetic and
 * 2.4999999999999996 in doubles; so is Schoology's decaying average
 * (weight 0.75) of 1.6 then 2.8: 0.75*2.8 + 0.25*1.6 = 2.1 + 0.4 = 2.5. */
#define NOISY_2_5 0x1.3ffffffffffffp+1 /* 2.4999999999999996 */

static const struct {
    const char *name;
    enum scale_id scale;
    int32_t rounding;
    int32_t decimals;
    double value;
    int32_t level;   /* expected level index */
    double rounded;  /* expected rounded value */
} cases[] = {
    /* ---- half_up on CCS4 (levels 0..3 hold values 1..4) -------------- */
    /* mlg.h: "nearest level value, midpoint upward: 2.5 -> 3" (index 2) */
    {"ccs4 2.5 -> 3", S_CCS4, MLG_ROUND_HALF_UP, 6, 2.5, 2, 2.5},
    {"NULL scale is CCS4", S_NULL, MLG_ROUND_HALF_UP, 6, 2.5, 2, 2.5},
    {"ccs4 2.49 -> 2", S_CCS4, MLG_ROUND_HALF_UP, 6, 2.49, 1, 2.49},
    {"ccs4 3.5 -> 4", S_CCS4, MLG_ROUND_HALF_UP, 6, 3.5, 3, 3.5},
    {"ccs4 1.5 -> 2", S_CCS4, MLG_ROUND_HALF_UP, 6, 1.5, 1, 1.5},
    {"ccs4 1.4999 -> 1", S_CCS4, MLG_ROUND_HALF_UP, 6, 1.4999, 0, 1.4999},
    /* BUL-2332.7 Att. A: Zoey's mean of 1,2,3,3 is 2.25, level 2 */
    {"zoey mean 2.25 -> 2", S_CCS4, MLG_ROUND_HALF_UP, 6, 2.25, 1, 2.25},
    {"ccs4 3.2474 -> 3", S_CCS4, MLG_ROUND_HALF_UP, 6, 3.2474, 2, 3.2474},
    /* outside the scale: end levels */
    {"ccs4 0.2 below", S_CCS4, MLG_ROUND_HALF_UP, 6, 0.2, 0, 0.2},
    {"ccs4 -3 below", S_CCS4, MLG_ROUND_HALF_UP, 6, -3.0, 0, -3.0},
    {"ccs4 7.385 above", S_CCS4, MLG_ROUND_HALF_UP, 6, 7.385, 3, 7.385},
    /* ---- floating-point noise at a band edge ------------------------- */
    /* decimals 6 (default) turns 2.4999999999999996 into 2.5 -> level 3;
     * without rounding it stays below the midpoint -> level 2 */
    {"noisy 2.5, decimals 6", S_CCS4, MLG_ROUND_HALF_UP, 6, NOISY_2_5, 2,
     2.5},
    {"noisy 2.5, decimals -1", S_CCS4, MLG_ROUND_HALF_UP, -1, NOISY_2_5, 1,
     NOISY_2_5},
    /* decimals 0: the noisy value is 2.49999..., and 2 is the nearest
     * integer; only a precision finer than the noise absorbs it */
    {"noisy 2.5, decimals 0", S_CCS4, MLG_ROUND_HALF_UP, 0, NOISY_2_5, 1,
     2.0},
    {"noisy 2.5, decimals 9", S_CCS4, MLG_ROUND_HALF_UP, 9, NOISY_2_5, 2,
     2.5},
    /* 2.4999999995 -> 9 decimals: 2499999999.5 rounds away from zero */
    {"2.4999999995 d9", S_CCS4, MLG_ROUND_HALF_UP, 9, 2.4999999995, 2, 2.5},
    {"2.4999999994 d9", S_CCS4, MLG_ROUND_HALF_UP, 9, 2.4999999994, 1,
     2.499999999},
    /* ---- the decimal step: ties judged on the decimal value ---------- */
    /* 1.005 is stored as 1.00499999999999989...; 1.005*100 computes to
     * 100.49999999999999, so round(x*100)/100 would give 1.00.  The
     * decimal 1.005 rounds half up to 1.01 (Ruby's Float#round, which
     * Canvas uses, gives 1.01 too). */
    {"1.005 d2 -> 1.01", S_CCS4, MLG_ROUND_HALF_UP, 2, 1.005, 0, 1.01},
    /* 2.385 * 100 computes to 238.49999999999997: 2.39, not 2.38 */
    {"2.385 d2 -> 2.39", S_CCS4, MLG_ROUND_HALF_UP, 2, 2.385, 1, 2.39},
    {"2.675 d2 -> 2.68", S_CCS4, MLG_ROUND_HALF_UP, 2, 2.675, 2, 2.68},
    {"2.674 d2 -> 2.67", S_CCS4, MLG_ROUND_HALF_UP, 2, 2.674, 2, 2.67},
    /* 0.125 is exact in binary: a true tie, away from zero */
    {"0.125 d2 -> 0.13", S_CCS4, MLG_ROUND_HALF_UP, 2, 0.125, 0, 0.13},
    /* negative values mirror: -2.675 -> -2.68 (below the scale: level 0) */
    {"-2.675 d2 -> -2.68", S_CCS4, MLG_ROUND_HALF_UP, 2, -2.675, 0, -2.68},
    /* -1.005 * 100 computes to -100.49999999999999: -1.01, not -1.00 */
    {"-1.005 d2 -> -1.01", S_CCS4, MLG_ROUND_HALF_UP, 2, -1.005, 0, -1.01},
    {"-0.125 d2 -> -0.13", S_CCS4, MLG_ROUND_HALF_UP, 2, -0.125, 0, -0.13},
    {"2.5 d0 -> 3", S_CCS4, MLG_ROUND_HALF_UP, 0, 2.5, 2, 3.0},
    {"1.45 d1 -> 1.5", S_CCS4, MLG_ROUND_HALF_UP, 1, 1.45, 1, 1.5},
    /* |x * 10^d| >= 2^52: nothing left to round, x itself */
    {"1e300 d6 unchanged", S_CCS4, MLG_ROUND_HALF_UP, 6, 1e300, 3, 1e300},
    {"-1e17 d1 unchanged", S_CCS4, MLG_ROUND_HALF_UP, 1, -1e17, 0, -1e17},
    {"0 d9", S_CCS4, MLG_ROUND_HALF_UP, 9, 0.0, 0, 0.0},
    /* ---- half_even ---------------------------------------------------- */
    /* mlg.h: "midpoint to the even value (2.5 -> 2, 3.5 -> 4), as D2L" */
    {"even 2.5 -> 2", S_CCS4, MLG_ROUND_HALF_EVEN, 6, 2.5, 1, 2.5},
    {"even 3.5 -> 4", S_CCS4, MLG_ROUND_HALF_EVEN, 6, 3.5, 3, 3.5},
    {"even 1.5 -> 2", S_CCS4, MLG_ROUND_HALF_EVEN, 6, 1.5, 1, 1.5},
    {"even 2.51 -> 3", S_CCS4, MLG_ROUND_HALF_EVEN, 6, 2.51, 2, 2.51},
    {"even 2.49 -> 2", S_CCS4, MLG_ROUND_HALF_EVEN, 6, 2.49, 1, 2.49},
    {"even 3.2 -> 3", S_CCS4, MLG_ROUND_HALF_EVEN, 6, 3.2, 2, 3.2},
    {"even 3.51 -> 4", S_CCS4, MLG_ROUND_HALF_EVEN, 6, 3.51, 3, 3.51},
    {"even 9 above", S_CCS4, MLG_ROUND_HALF_EVEN, 6, 9.0, 3, 9.0},
    {"even 0 below", S_CCS4, MLG_ROUND_HALF_EVEN, 6, 0.0, 0, 0.0},
    {"even noisy 2.5 d6 -> 2", S_CCS4, MLG_ROUND_HALF_EVEN, 6, NOISY_2_5, 1,
     2.5},
    /* TK ELD B/M/L = 1/2/3: 1.5 -> M (2), 2.5 -> M (2) */
    {"tk_eld even 1.5 -> M", S_TK_ELD, MLG_ROUND_HALF_EVEN, 6, 1.5, 1, 1.5},
    {"tk_eld even 2.5 -> M", S_TK_ELD, MLG_ROUND_HALF_EVEN, 6, 2.5, 1, 2.5},
    /* 0-4 scale: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, 3.5 -> 4 */
    {"0-4 even 0.5 -> 0", S_ZERO4, MLG_ROUND_HALF_EVEN, 6, 0.5, 0, 0.5},
    {"0-4 even 1.5 -> 2", S_ZERO4, MLG_ROUND_HALF_EVEN, 6, 1.5, 2, 1.5},
    {"0-4 even 2.5 -> 2", S_ZERO4, MLG_ROUND_HALF_EVEN, 6, 2.5, 2, 2.5},
    {"0-4 even 3.5 -> 4", S_ZERO4, MLG_ROUND_HALF_EVEN, 6, 3.5, 4, 3.5},
    /* values 1, 3, 5 (no even value): midpoint 2 -> index 0 (even index),
     * midpoint 4 -> index 2 */
    {"odd even 2 -> idx0", S_ODD, MLG_ROUND_HALF_EVEN, 6, 2.0, 0, 2.0},
    {"odd even 4 -> idx2", S_ODD, MLG_ROUND_HALF_EVEN, 6, 4.0, 2, 4.0},
    {"odd even 4.01 -> idx2", S_ODD, MLG_ROUND_HALF_EVEN, 6, 4.01, 2, 4.01},
    {"odd even 3.99 -> idx1", S_ODD, MLG_ROUND_HALF_EVEN, 6, 3.99, 1, 3.99},
    /* values 0.5, 1.5, 2.5, 3.5 (no integer): midpoints 1, 2, 3 go to the
     * even index of the two: 0, 2, 2 */
    {"halves even 1 -> idx0", S_HALVES, MLG_ROUND_HALF_EVEN, 6, 1.0, 0, 1.0},
    {"halves even 2 -> idx2", S_HALVES, MLG_ROUND_HALF_EVEN, 6, 2.0, 2, 2.0},
    {"halves even 3 -> idx2", S_HALVES, MLG_ROUND_HALF_EVEN, 6, 3.0, 2, 3.0},
    /* values -2, -1: midpoint -1.5 -> -2 (even) */
    {"neg even -1.5 -> -2", S_NEG, MLG_ROUND_HALF_EVEN, 6, -1.5, 0, -1.5},
    {"neg half_up -1.5 -> -1", S_NEG, MLG_ROUND_HALF_UP, 6, -1.5, 1, -1.5},
    /* ---- floor (Canvas) ----------------------------------------------- */
    /* methods-in-the-field.md: "a decaying 2.83 shows as level 2" */
    {"floor 2.83 -> 2", S_CCS4, MLG_ROUND_FLOOR, 2, 2.83, 1, 2.83},
    /* rounding comes first: 2.999 -> 3.00 -> level 3; 2.994 -> 2.99 */
    {"floor 2.999 d2 -> 3", S_CCS4, MLG_ROUND_FLOOR, 2, 2.999, 2, 3.0},
    {"floor 2.994 d2 -> 2", S_CCS4, MLG_ROUND_FLOOR, 2, 2.994, 1, 2.99},
    {"floor 2.999 d-1 -> 2", S_CCS4, MLG_ROUND_FLOOR, -1, 2.999, 1, 2.999},
    {"floor 3 -> 3", S_CCS4, MLG_ROUND_FLOOR, 2, 3.0, 2, 3.0},
    {"floor 4 -> 4", S_CCS4, MLG_ROUND_FLOOR, 2, 4.0, 3, 4.0},
    {"floor 0.5 below", S_CCS4, MLG_ROUND_FLOOR, 2, 0.5, 0, 0.5},
    {"floor 4.7 above", S_CCS4, MLG_ROUND_FLOOR, 2, 4.7, 3, 4.7},
    {"floor noisy 2.5 d6", S_CCS4, MLG_ROUND_FLOOR, 6, NOISY_2_5, 1, 2.5},
    {"floor noisy 3 d6", S_CCS4, MLG_ROUND_FLOOR, 6, 0x1.7ffffffffffffp+1,
     2, 3.0},
    {"floor noisy 3 d-1", S_CCS4, MLG_ROUND_FLOOR, -1, 0x1.7ffffffffffffp+1,
     1, 0x1.7ffffffffffffp+1},
    /* ---- cuts: default cuts are the midpoints, like half_up ----------- */
    {"cuts ccs4 2.5 -> 3", S_CCS4, MLG_ROUND_CUTS, 6, 2.5, 2, 2.5},
    {"cuts ccs4 2.4 -> 2", S_CCS4, MLG_ROUND_CUTS, 6, 2.4, 1, 2.4},
    {"cuts ccs4 0.9 below", S_CCS4, MLG_ROUND_CUTS, 6, 0.9, 0, 0.9},
    /* ---- 0-100 points, cuts 0/60/70/80 -------------------------------- */
    {"points 59.99 -> F", S_POINTS, MLG_ROUND_CUTS, 6, 59.99, 0, 59.99},
    {"points 60 -> D", S_POINTS, MLG_ROUND_CUTS, 6, 60.0, 1, 60.0},
    {"points 69.9 -> D", S_POINTS, MLG_ROUND_CUTS, 6, 69.9, 1, 69.9},
    /* 69.9999995 at 6 decimals is 70.000000: rounded before the cut */
    {"points 69.9999995 d6 -> C", S_POINTS, MLG_ROUND_CUTS, 6, 69.9999995,
     2, 70.0},
    {"points 69.9999995 d-1 -> D", S_POINTS, MLG_ROUND_CUTS, -1, 69.9999995,
     1, 69.9999995},
    {"points 79.4 -> C", S_POINTS, MLG_ROUND_CUTS, 0, 79.4, 2, 79.0},
    {"points 79.5 d0 -> B", S_POINTS, MLG_ROUND_CUTS, 0, 79.5, 3, 80.0},
    {"points 80 -> B", S_POINTS, MLG_ROUND_CUTS, 6, 80.0, 3, 80.0},
    {"points 100 -> B", S_POINTS, MLG_ROUND_CUTS, 6, 100.0, 3, 100.0},
    {"points 120 above", S_POINTS, MLG_ROUND_CUTS, 6, 120.0, 3, 120.0},
    {"points -5 below", S_POINTS, MLG_ROUND_CUTS, 6, -5.0, 0, -5.0},
    {"points 12.5 -> F", S_POINTS, MLG_ROUND_CUTS, 6, 12.5, 0, 12.5},
    /* the same scale under half_up uses its values 50/65/75/90:
     * midpoints 57.5, 70, 82.5 */
    {"points half_up 57.5 -> D", S_POINTS, MLG_ROUND_HALF_UP, 6, 57.5, 1,
     57.5},
    {"points half_up 57.49 -> F", S_POINTS, MLG_ROUND_HALF_UP, 6, 57.49, 0,
     57.49},
    {"points floor 64.9 -> F", S_POINTS, MLG_ROUND_FLOOR, 6, 64.9, 0, 64.9},
    {"points floor 65 -> D", S_POINTS, MLG_ROUND_FLOOR, 6, 65.0, 1, 65.0},
    /* ---- the district cut table, 2 decimals --------------------------- */
    {"district 1.0", S_DISTRICT, MLG_ROUND_CUTS, 2, 1.0, 0, 1.0},
    {"district 1.74", S_DISTRICT, MLG_ROUND_CUTS, 2, 1.74, 0, 1.74},
    {"district 1.7449 -> 1.74", S_DISTRICT, MLG_ROUND_CUTS, 2, 1.7449, 0,
     1.74},
    {"district 1.745 -> 1.75", S_DISTRICT, MLG_ROUND_CUTS, 2, 1.745, 1,
     1.75},
    {"district 2.49", S_DISTRICT, MLG_ROUND_CUTS, 2, 2.49, 1, 2.49},
    {"district 2.50", S_DISTRICT, MLG_ROUND_CUTS, 2, 2.5, 2, 2.5},
    {"district noisy 2.5", S_DISTRICT, MLG_ROUND_CUTS, 2, NOISY_2_5, 2, 2.5},
    /* 2.995 is stored just below 2.995; as a decimal it rounds to 3.00 */
    {"district 2.995 -> 3.00", S_DISTRICT, MLG_ROUND_CUTS, 2, 2.995, 3, 3.0},
    {"district 2.99", S_DISTRICT, MLG_ROUND_CUTS, 2, 2.99, 2, 2.99},
    {"district 3.00", S_DISTRICT, MLG_ROUND_CUTS, 2, 3.0, 3, 3.0},
    {"district 3.25", S_DISTRICT, MLG_ROUND_CUTS, 2, 3.25, 3, 3.25},
    {"district 3.2549 -> 3.25", S_DISTRICT, MLG_ROUND_CUTS, 2, 3.2549, 3,
     3.25},
    /* the gap between 3.25 and 3.26 closes at 2 decimals: 3.255 -> 3.26 */
    {"district 3.255 -> 3.26", S_DISTRICT, MLG_ROUND_CUTS, 2, 3.255, 4,
     3.26},
    {"district 3.255 unrounded", S_DISTRICT, MLG_ROUND_CUTS, -1, 3.255, 3,
     3.255},
    {"district 3.26", S_DISTRICT, MLG_ROUND_CUTS, 2, 3.26, 4, 3.26},
    {"district 3.74", S_DISTRICT, MLG_ROUND_CUTS, 2, 3.74, 4, 3.74},
    {"district 3.745 -> 3.75", S_DISTRICT, MLG_ROUND_CUTS, 2, 3.745, 5,
     3.75},
    {"district 3.75", S_DISTRICT, MLG_ROUND_CUTS, 2, 3.75, 5, 3.75},
    {"district 4.00", S_DISTRICT, MLG_ROUND_CUTS, 2, 4.0, 5, 4.0},
    {"district 0.99 below", S_DISTRICT, MLG_ROUND_CUTS, 2, 0.99, 0, 0.99},
};

static const mlg_scale *scale_of(enum scale_id id)
{
    return id == S_NULL ? NULL : &scales[id];
}

static void test_table(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        mlg_method_params p;
        assert_int_equal(mlg_method_params_init(&p, MLG_METHOD_MEAN), MLG_OK);
        p.rounding = cases[k].rounding;
        p.decimals = cases[k].decimals;
        int32_t level = -99;
        double rounded = -99.0;
        assert_status_case(cases[k].name,
                           mlg_value_to_level(cases[k].value,
                                              scale_of(cases[k].scale), &p,
                                              &level, &rounded),
                           MLG_OK);
        if (level != cases[k].level)
            fail_msg("case %s: level %d, expected %d", cases[k].name, level,
                     cases[k].level);
        /* the rounded value is the double nearest the rounded decimal:
         * exact equality */
        assert_double_near_case(cases[k].name, rounded, cases[k].rounded,
                                0.0);
        /* rounded is optional and does not change the level */
        int32_t level2 = -99;
        assert_int_equal(mlg_value_to_level(cases[k].value,
                                            scale_of(cases[k].scale), &p,
                                            &level2, NULL),
                         MLG_OK);
        assert_int_equal(level2, level);
    }
}

/* The noisy 2.5 really is what double arithmetic produces (so the cases
 * above test a real situation, not an invented constant). */
static void test_noisy_value_is_real(void **state)
{
    (void)state;
    volatile double a = 1.9, b = 2.3, c = 3.3, w = 0.75, s1 = 1.6, s2 = 2.8;
    const double mean = (a + b + c) / 3;
    const double decay = w * s2 + (1 - w) * s1;
    assert_true(mean == NOISY_2_5);
    assert_true(decay == NOISY_2_5);
    assert_true(mean != 2.5);
}

/* The Canvas preset reproduces Canvas: scores 2, 3, 2.5, 3 under its
 * weighted ("decaying") average, computed as Canvas's RollupScore does,
 * latest*(0.01*65) + mean(earlier)*(0.01*35) = 3*0.65 + 2.5*0.35 = 1.95 +
 * 0.875 = 2.825, which Ruby's round(2) shows as 2.83, and the rating is
 * the highest whose points are <= 2.83: 2 (floor). */
static void test_canvas_preset(void **state)
{
    (void)state;
    mlg_method_params p;
    assert_int_equal(mlg_preset_init("canvas_outcome", &p), MLG_OK);
    volatile double latest = 3.0, earlier_mean = (2.0 + 3.0 + 2.5) / 3;
    const double value =
        latest * (0.01 * 65) + earlier_mean * (0.01 * (100 - 65));
    int32_t level = -1;
    double rounded = 0;
    assert_int_equal(mlg_value_to_level(value, NULL, &p, &level, &rounded),
                     MLG_OK);
    assert_double_near(rounded, 2.83, 0.0);
    assert_int_equal(level, 1);
}

/* Ensure mlg_value_to_level returns MLG_ENAN for a non-finite value,
 * MLG_ENULL for a NULL params or level, MLG_EINVAL for bad params or a bad
 * scale, and leaves *level and *rounded untouched. */
static void test_errors(void **state)
{
    (void)state;
    mlg_method_params p;
    assert_int_equal(mlg_method_params_init(&p, MLG_METHOD_MEAN), MLG_OK);
    int32_t level = -99;
    double rounded = -99.0;

    static const double bad_values[] = {NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(mlg_value_to_level(bad_values[i], NULL, &p, &level,
                                            &rounded),
                         MLG_ENAN);
    }
    assert_int_equal(mlg_value_to_level(2.5, NULL, NULL, &level, &rounded),
                     MLG_ENULL);
    assert_int_equal(mlg_value_to_level(2.5, NULL, &p, NULL, &rounded),
                     MLG_ENULL);

    /* bad params: every failure of mlg_method_params_validate is EINVAL */
    static const struct {
        const char *name;
        int32_t rounding, decimals, method;
        double weight;
    } bad_params[] = {
        {"rounding 4", 4, 6, MLG_METHOD_MEAN, 0.65},
        {"rounding -1", -1, 6, MLG_METHOD_MEAN, 0.65},
        {"decimals 10", 0, 10, MLG_METHOD_MEAN, 0.65},
        {"decimals -2", 0, -2, MLG_METHOD_MEAN, 0.65},
        {"method 99", 0, 6, 99, 0.65},
        {"weight NaN", 0, 6, MLG_METHOD_MEAN, NAN},
        {"weight 0", 0, 6, MLG_METHOD_MEAN, 0.0},
    };
    for (size_t i = 0; i < sizeof bad_params / sizeof bad_params[0]; i++) {
        mlg_method_params q = p;
        q.rounding = bad_params[i].rounding;
        q.decimals = bad_params[i].decimals;
        q.method = bad_params[i].method;
        q.weight = bad_params[i].weight;
        assert_status_case(bad_params[i].name,
                           mlg_value_to_level(2.5, NULL, &q, &level, &rounded),
                           MLG_EINVAL);
    }

    /* bad scales */
    mlg_scale s;
    assert_int_equal(mlg_scale_builtin(MLG_SCALE_CCS4, &s), MLG_OK);
    s.n_levels = 0;
    assert_int_equal(mlg_value_to_level(2.5, &s, &p, &level, &rounded),
                     MLG_EINVAL);
    assert_int_equal(mlg_scale_builtin(MLG_SCALE_CCS4, &s), MLG_OK);
    s.value[1] = NAN;
    assert_int_equal(mlg_value_to_level(2.5, &s, &p, &level, &rounded),
                     MLG_EINVAL);
    assert_int_equal(mlg_scale_builtin(MLG_SCALE_CCS4, &s), MLG_OK);
    s.cut[3] = 1.2; /* cuts not ascending */
    assert_int_equal(mlg_value_to_level(2.5, &s, &p, &level, &rounded),
                     MLG_EINVAL);

    /* a NaN value is reported before a bad scale or bad params */
    assert_int_equal(mlg_value_to_level(NAN, &s, &p, &level, &rounded),
                     MLG_ENAN);
    assert_int_equal(level, -99);
    assert_double_near(rounded, -99.0, 0.0);
}

/* A small negative value rounds to +0, never -0 (front ends would print
 * "-0.00"): -0.004 at 2 decimals is 0.00. */
static void test_no_negative_zero(void **state)
{
    (void)state;
    mlg_method_params p;
    assert_int_equal(mlg_method_params_init(&p, MLG_METHOD_MEAN), MLG_OK);
    p.decimals = 2;
    int32_t level = -1;
    double rounded = 1.0;
    assert_int_equal(mlg_value_to_level(-0.004, NULL, &p, &level, &rounded),
                     MLG_OK);
    assert_true(rounded == 0.0);
    assert_false(signbit(rounded));
    assert_int_equal(level, 0);
    /* without rounding the value is passed through, sign and all */
    p.decimals = -1;
    assert_int_equal(mlg_value_to_level(-0.0, NULL, &p, &level, &rounded),
                     MLG_OK);
    assert_true(signbit(rounded));
}

/* A one-level scale maps everything to level 0 under every mode. */
static void test_single_level(void **state)
{
    (void)state;
    const double v = 2.385;
    mlg_scale s;
    assert_int_equal(mlg_scale_init(&s, 1, &v), MLG_OK);
    mlg_method_params p;
    assert_int_equal(mlg_method_params_init(&p, MLG_METHOD_MEAN), MLG_OK);
    for (int32_t r = MLG_ROUND_HALF_UP; r <= MLG_ROUND_CUTS; r++) {
        p.rounding = r;
        static const double xs[] = {-10.0, 2.385, 99.0};
        for (size_t i = 0; i < 3; i++) {
            int32_t level = -1;
            assert_int_equal(mlg_value_to_level(xs[i], &s, &p, &level, NULL),
                             MLG_OK);
            assert_int_equal(level, 0);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_noisy_value_is_real),
        cmocka_unit_test(test_canvas_preset),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_no_negative_zero),
        cmocka_unit_test(test_single_level),
    };
    return cmocka_run_group_tests_name("level", tests, setup, NULL);
}
