/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_explain.c -- mlg_series_explain(): one mlg_explain_row per input row
 * with the reason, score used, weight, influence and fitted value that
 * mlg.h's mlg_explain_row documents.  Expected values are worked by hand in
 * the comments; Zoey's series is BUL-2332.7 Attachment A. */
#include "mlg.h"
#include "mlg_test.h"

#include <string.h>

#define MAXR 8
#define TOL 1e-12
#define NAN_EXP (-777.0) /* expected fitted/score: NaN */

typedef struct xcase {
    const char *name;
    int32_t method;
    int32_t n;          /* 0: default */
    int32_t as_of;      /* 0: default */
    int32_t missing;
    size_t k;
    double score[MAXR];
    int has_w;
    double w[MAXR];
    int has_st;
    uint8_t st[MAXR];
    int has_day;
    int32_t day[MAXR];
    double value;                 /* NaN_EXP for N/A */
    int32_t reason[MAXR];
    double exp_score[MAXR];       /* NAN_EXP where NaN */
    double influence[MAXR];
    int check_fitted;
    double fitted[MAXR];
} xcase;

#define U MLG_WHY_USED
#define NS MLG_WHY_NOT_SELECTED
#define OW MLG_WHY_OUTSIDE_WINDOW
#define X NAN_EXP

static const xcase xcases[] = {
    {"zoey_mean", MLG_METHOD_MEAN, 0, 0, 0, 4, {1, 2, 3, 3}, 0,{0},0,{0},
     1,{100, 101, 102, 103}, 2.25, {U, U, U, U}, {1, 2, 3, 3},
     {.25, .25, .25, .25}, 1, {X, X, X, X}},
    /* coefficients: row 4 .65; row 3 .65*.35 = .2275; row 2 .65*.35^2 =
     * .079625; row 1 .35^3 = .042875 (sum 1).  Running values 1, 1.65,
     * 2.5275, 2.834625. */
    {"zoey_decaying", MLG_METHOD_DECAYING_AVERAGE, 0, 0, 0, 4, {1, 2, 3, 3},
     0,{0},0,{0},0,{0}, 2.834625, {U, U, U, U}, {1, 2, 3, 3},
     {.042875, .079625, .2275, .65}, 1, {1, 1.65, 2.5275, 2.834625}},
    /* excused, missing (ignored), weight 0: (2.5 + 3.5)/2 = 3 */
    {"statuses_and_zero_weight", MLG_METHOD_MEAN, 0, 0, 0, 5,
     {2.5, NAN, NAN, 3, 3.5}, 1,{1, 2, 1, 0, 1},
     1,{0, MLG_EVIDENCE_EXCUSED, MLG_EVIDENCE_MISSING, 0, 0}, 0,{0}, 3,
     {U, MLG_WHY_EXCUSED, MLG_WHY_MISSING_IGNORED, MLG_WHY_ZERO_WEIGHT, U},
     {2.5, X, X, 3, 3.5}, {.5, 0, 0, 0, .5}, 1, {X, X, X, X, X}},
    /* missing counted as score_min 1: (3 + 1 + 2.5)/3 */
    {"missing_lowest", MLG_METHOD_MEAN, 0, 0, MLG_MISSING_LOWEST, 3,
     {3, NAN, 2.5}, 0,{0}, 1,{0, MLG_EVIDENCE_MISSING, 0}, 0,{0}, 6.5 / 3,
     {U, MLG_WHY_MISSING_LOWEST, U}, {3, 1, 2.5},
     {1.0 / 3, 1.0 / 3, 1.0 / 3}, 0, {0}},
    /* window of the last 2 counted rows: (3 + 3)/2 */
    {"recent_mean_window", MLG_METHOD_RECENT_MEAN, 2, 0, 0, 4, {1, 2, 3, 3},
     0,{0},0,{0},0,{0}, 3, {OW, OW, U, U}, {1, 2, 3, 3}, {0, 0, .5, .5},
     0, {0}},
    {"zoey_mode", MLG_METHOD_MODE, 0, 0, 0, 4, {1, 2, 3, 3}, 0,{0},0,{0},
     0,{0}, 3, {NS, NS, U, U}, {1, 2, 3, 3}, {0, 0, .5, .5}, 0, {0}},
    /* median (2+3)/2: the 2 and the most recent 3 are selected */
    {"zoey_median", MLG_METHOD_MEDIAN, 0, 0, 0, 4, {1, 2, 3, 3}, 0,{0},0,{0},
     0,{0}, 2.5, {NS, U, NS, U}, {1, 2, 3, 3}, {0, .5, 0, .5}, 0, {0}},
    /* top 2 of 3,2,3,3: equal scores, the more recent rows are taken */
    {"highest_mean_ties_recent", MLG_METHOD_HIGHEST_MEAN, 2, 0, 0, 4,
     {3, 2, 3, 3}, 0,{0},0,{0},0,{0}, 3, {OW, OW, U, U}, {3, 2, 3, 3},
     {0, 0, .5, .5}, 0, {0}},
    {"n_mastery_below", MLG_METHOD_N_MASTERY, 2, 0, 0, 4,
     {2.385, 3.1, 1.75, 3.6}, 0,{0},0,{0},0,{0}, 3.35,
     {MLG_WHY_BELOW_MASTERY, U, MLG_WHY_BELOW_MASTERY, U},
     {2.385, 3.1, 1.75, 3.6}, {0, .5, 0, .5}, 0, {0}},
    /* N/A: every influence 0 */
    {"n_mastery_na", MLG_METHOD_N_MASTERY, 3, 0, 0, 4,
     {2.385, 3.1, 1.75, 3.6}, 0,{0},0,{0},0,{0}, X,
     {MLG_WHY_BELOW_MASTERY, U, MLG_WHY_BELOW_MASTERY, U},
     {2.385, 3.1, 1.75, 3.6}, {0, 0, 0, 0}, 0, {0}},
    /* h = 30 (default), as_of 30: factors .5, 1; row 3 after as_of */
    {"time_decay_after_as_of", MLG_METHOD_TIME_DECAY, 0, 30, 0, 3, {2, 4, 1},
     0,{0},0,{0}, 1,{0, 30, 60}, 10.0 / 3, {U, U, MLG_WHY_AFTER_AS_OF},
     {2, 4, 1}, {1.0 / 3, 2.0 / 3, 0}, 1, {X, X, X}},
    {"consistent_recent_2", MLG_METHOD_CONSISTENT_RECENT, 2, 0, 0, 4,
     {2.385, 3.1, 1.75, 3.6}, 0,{0},0,{0},0,{0}, 1.75, {OW, OW, U, NS},
     {2.385, 3.1, 1.75, 3.6}, {0, 0, 1, 0}, 0, {0}},
    {"most_recent", MLG_METHOD_MOST_RECENT, 0, 0, 0, 3, {2.5, 3.5, 1.25},
     0,{0},0,{0},0,{0}, 1.25, {NS, NS, U}, {2.5, 3.5, 1.25}, {0, 0, 1},
     0, {0}},
    /* highest with a tie: the most recent 3.5 is the selected row */
    {"highest_tie_recent", MLG_METHOD_HIGHEST, 0, 0, 0, 3, {3.5, 2, 3.5},
     0,{0},0,{0},0,{0}, 3.5, {NS, NS, U}, {3.5, 2, 3.5}, {0, 0, 1}, 0, {0}},
    {"lowest", MLG_METHOD_LOWEST, 0, 0, 0, 3, {2.5, 1.25, 3.5}, 0,{0},0,{0},
     0,{0}, 1.25, {NS, U, NS}, {2.5, 1.25, 3.5}, {0, 1, 0}, 0, {0}},
    /* power law: fitted a*i^b with ln a .052835814208, b .842977697697 */
    {"zoey_power_fitted", MLG_METHOD_POWER_LAW, 0, 0, 0, 4, {1, 2, 3, 3},
     0,{0},0,{0},0,{0}, 3.392106256557, {U, U, U, U}, {1, 2, 3, 3},
     {.25, .25, .25, .25}, 1,
     {1.054256536965, 1.891071176623, 2.661637332526, 3.392106256557}},
    /* weighted power law: influence = w / W = w / 5 */
    {"weighted_power_influence", MLG_METHOD_POWER_LAW, 0, 0, 0, 4,
     {2.385, 3.1, 1.75, 3.6}, 1,{1, 2, .5, 1.5},0,{0},0,{0},
     3.284297536589518, {U, U, U, U}, {2.385, 3.1, 1.75, 3.6},
     {.2, .4, .1, .3}, 0, {0}},
    /* best fit picks the line for H: fitted 3.053 + .2295 (i - 4) */
    {"best_fit_line_fitted", MLG_METHOD_BEST_FIT, 0, 0, 0, 4,
     {2.385, 3.1, 1.75, 3.6}, 0,{0},0,{0},0,{0}, 3.053, {U, U, U, U},
     {2.385, 3.1, 1.75, 3.6}, {.25, .25, .25, .25}, 1,
     {2.3645, 2.594, 2.8235, 3.053}},
    /* linear trend Zoey: influence 1/4 + 1.5 (i - 2.5)/5 = -.2, .1, .4,
     * .7; fitted 1.2, 1.9, 2.6, 3.3 */
    {"zoey_linear_influence", MLG_METHOD_LINEAR_TREND, 0, 0, 0, 4,
     {1, 2, 3, 3}, 0,{0},0,{0},0,{0}, 3.3, {U, U, U, U}, {1, 2, 3, 3},
     {-.2, .1, .4, .7}, 1, {1.2, 1.9, 2.6, 3.3}},
    /* weighted_average: .65 on the latest, .35 * 1/3 on each earlier */
    {"weighted_average_influence", MLG_METHOD_WEIGHTED_AVERAGE, 0, 0, 0, 4,
     {1, 2, 3, 3}, 0,{0},0,{0},0,{0}, 2.65, {U, U, U, U}, {1, 2, 3, 3},
     {.35 / 3, .35 / 3, .35 / 3, .65}, 0, {0}},
};

static void test_explain_table(void **state)
{
    (void)state;
    for (size_t t = 0; t < sizeof xcases / sizeof xcases[0]; t++) {
        const xcase *c = &xcases[t];
        mlg_method_params p;
        mlg_method_params_init(&p, c->method);
        if (c->n)
            p.n = c->n;
        if (c->as_of)
            p.as_of = c->as_of;
        p.missing = c->missing;
        if (c->method == MLG_METHOD_N_MASTERY)
            p.mastery = 3;
        mlg_result r, rc;
        mlg_explain_row rows[MAXR];
        mlg_errinfo e;
        const int32_t *day = c->has_day ? c->day : NULL;
        const double *w = c->has_w ? c->w : NULL;
        const uint8_t *st = c->has_st ? c->st : NULL;
        const int s = mlg_series_explain(c->k, day, c->score, w, st, NULL, &p,
                                         &r, rows, &e);
        if (s != MLG_OK)
            fail_msg("case %s: %s: %s", c->name, mlg_errname(s), e.message);
        assert_int_equal(mlg_series_compute(c->k, day, c->score, w, st, NULL,
                                            &p, &rc, NULL), MLG_OK);
        assert_memory_equal(&r, &rc, sizeof r);
        if (c->value == X)
            assert_true(isnan(r.value));
        else
            assert_double_near_case(c->name, r.value, c->value, TOL);
        for (size_t i = 0; i < c->k; i++) {
            const mlg_explain_row *x = &rows[i];
            if (x->row != (int64_t)i)
                fail_msg("case %s row %zu: row field %lld", c->name, i,
                         (long long)x->row);
            const int32_t want_day = day ? day[i] : (int32_t)i;
            if (x->day != want_day)
                fail_msg("case %s row %zu: day %d, expected %d", c->name, i,
                         x->day, want_day);
            if (x->reason != c->reason[i])
                fail_msg("case %s row %zu: reason %d, expected %d", c->name,
                         i, x->reason, c->reason[i]);
            if (c->exp_score[i] == X) {
                if (!isnan(x->score))
                    fail_msg("case %s row %zu: score %g, expected NaN",
                             c->name, i, x->score);
            } else {
                assert_double_near_case(c->name, x->score, c->exp_score[i],
                                        0);
            }
            assert_double_near_case(c->name, x->weight, w ? w[i] : 1.0, 0);
            assert_double_near_case(c->name, x->influence, c->influence[i],
                                    TOL);
            if (c->check_fitted) {
                if (c->fitted[i] == X) {
                    if (!isnan(x->fitted))
                        fail_msg("case %s row %zu: fitted %g, expected NaN",
                                 c->name, i, x->fitted);
                } else {
                    assert_double_near_case(c->name, x->fitted, c->fitted[i],
                                            TOL);
                }
            }
        }
    }
}

/* mlg.h: for the methods linear in the scores (and for order statistics and
 * modes, whose selected rows share 1/k) value == sum(influence * score);
 * for every method the influences sum to 1.  Checked on a weighted,
 * partly excused series under every method. */
static void test_linear_identity(void **state)
{
    (void)state;
    const double s[7] = {2.385, 3.1, NAN, 1.75, 3.6, 2.2, 3.05};
    const double w[7] = {1, 2, 1, 0.5, 1.5, 1, 0.75};
    const uint8_t st[7] = {0, 0, MLG_EVIDENCE_EXCUSED, 0, 0, 0, 0};
    const int32_t d[7] = {1, 8, 9, 15, 22, 29, 40};
    for (int32_t m = 0; m < MLG_METHOD_COUNT; m++) {
        mlg_method_params p;
        mlg_method_params_init(&p, m);
        p.n = 3;
        p.mastery = 2.2;
        p.half_life_days = 14;
        mlg_result r;
        mlg_explain_row rows[7];
        assert_int_equal(mlg_series_explain(7, d, s, w, st, NULL, &p, &r, rows,
                                            NULL), MLG_OK);
        double sum = 0, total = 0;
        for (size_t i = 0; i < 7; i++) {
            total += rows[i].influence;
            if (rows[i].influence != 0)
                sum += rows[i].influence * rows[i].score;
        }
        assert_double_near(total, 1.0, 1e-12);
        if (m == MLG_METHOD_POWER_LAW || m == MLG_METHOD_BEST_FIT ||
            m == MLG_METHOD_MAX_MEAN_POWER_LAW)
            continue; /* influence is the normalised regression weight */
        if (fabs(sum - r.value) > 1e-12)
            fail_msg("method %s: sum(influence*score) %.17g != value %.17g",
                     mlg_method_name(m), sum, r.value);
    }
}

/* Rows are untouched when the call fails (here MLG_EDOMAIN on row 1). */
static void test_rows_untouched_on_error(void **state)
{
    (void)state;
    mlg_scale sc;
    const double v[5] = {0, 1, 2, 3, 4};
    mlg_scale_init(&sc, 5, v);
    const double s[3] = {2, 0, 3};
    mlg_method_params p;
    mlg_method_params_init(&p, MLG_METHOD_POWER_LAW);
    mlg_result r, rs;
    mlg_explain_row rows[3], sent[3];
    memset(rows, 0x3C, sizeof rows);
    memset(sent, 0x3C, sizeof sent);
    memset(&r, 0x3C, sizeof r);
    memset(&rs, 0x3C, sizeof rs);
    mlg_errinfo e;
    assert_int_equal(mlg_series_explain(3, NULL, s, NULL, NULL, &sc, &p, &r,
                                        rows, &e), MLG_EDOMAIN);
    assert_int_equal(e.row, 1);
    assert_memory_equal(rows, sent, sizeof rows);
    assert_memory_equal(&r, &rs, sizeof r);
    /* with log_shift 1 the same series explains */
    p.log_shift = 1;
    assert_int_equal(mlg_series_explain(3, NULL, s, NULL, NULL, &sc, &p, &r,
                                        rows, &e), MLG_OK);
    assert_int_equal(rows[1].reason, MLG_WHY_USED);
    assert_double_near(rows[1].score, 0, 0);
}

/* n == 0: rows may be NULL; N/A. */
static void test_explain_empty(void **state)
{
    (void)state;
    mlg_method_params p;
    mlg_method_params_init(&p, MLG_METHOD_MEAN);
    mlg_result r;
    assert_int_equal(mlg_series_explain(0, NULL, NULL, NULL, NULL, NULL, &p,
                                        &r, NULL, NULL), MLG_OK);
    assert_int_equal(r.level, MLG_LEVEL_NA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_explain_table),
        cmocka_unit_test(test_linear_identity),
        cmocka_unit_test(test_rows_untouched_on_error),
        cmocka_unit_test(test_explain_empty),
    };
    return cmocka_run_group_tests_name("explain", tests, NULL, NULL);
}
