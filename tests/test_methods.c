/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_methods.c -- mlg_series_compute(): every method's value, weights,
 * statuses, N/A, clamping, and every error path.
 *
 * Expected values are worked by hand in the comments (or cited: BUL-2332.7
 * Attachment A for Zoey; the published decaying-average check 2,3,4 ->
 * 3.5275 from issue 2 / PowerSchool-Otus documentation; Canvas's
 * app/models/rollup_score.rb for n_mastery and weighted_average).  Power-law
 * values come from the least-squares normal equations, worked to 12 digits
 * with numpy (/usr/bin/python3) as an independent calculator, and the
 * closed forms the kernel uses are also checked against GSL's own fits. */
#include "mlg.h"
#include "mlg_internal.h"
#include "mlg_test.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <stdlib.h>
#include <string.h>

#define MAXR 8
#define TOL 1e-12
#define NA_VALUE (-999.0) /* expected value meaning "N/A" */
#define ANY (-99)         /* do not check this count / level */

typedef struct vcase {
    const char *name;
    int32_t method;
    int32_t n;            /* 0: keep the default */
    int32_t tie;
    double  weight;       /* 0: keep the default */
    double  mastery;      /* 0: keep the default */
    double  log_shift;
    double  half_life;    /* 0: keep the default */
    int32_t as_of;        /* 0 = MLG_DAY_NONE (default) */
    int32_t scale01234;   /* 1: use the 0..4 scale instead of CCS 1..4 */
    size_t  k;
    double  score[MAXR];
    int     has_w;
    double  w[MAXR];
    int     has_st;
    uint8_t st[MAXR];
    int     has_day;
    int32_t day[MAXR];
    double  expect;       /* NA_VALUE for N/A */
    int32_t level;        /* expected level index or ANY */
    int32_t n_used, n_ignored;
    const char *source;
} vcase;

#define Z {1, 2, 3, 3}                 /* Zoey, BUL-2332.7 Attachment A */
#define H {2.385, 3.1, 1.75, 3.6}      /* a high-entropy series */

static const vcase cases[] = {
    /* ---- Zoey (BUL-2332.7 Att. A): 1,2,3,3 -> level 3 (index 2) under
     * most_recent, decaying_average, power_law, consistent_recent 2;
     * 2.25 under mean. */
    {"zoey_mean", MLG_METHOD_MEAN, 0,0,0,0,0,0,0,0, 4, Z, 0,{0},0,{0},0,{0},
     2.25, 1, 4, 0, "BUL-2332.7 Att. A: (1+2+3+3)/4 = 2.25"},
    {"zoey_most_recent", MLG_METHOD_MOST_RECENT, 0,0,0,0,0,0,0,0, 4, Z,
     0,{0},0,{0},0,{0}, 3, 2, 4, 0, "BUL-2332.7 Att. A"},
    /* d1 = 1; d2 = .65*2 + .35*1 = 1.65; d3 = .65*3 + .35*1.65 = 1.95 +
     * .5775 = 2.5275; d4 = .65*3 + .35*2.5275 = 1.95 + .884625 = 2.834625
     * -> half up -> 3. */
    {"zoey_decaying", MLG_METHOD_DECAYING_AVERAGE, 0,0,0,0,0,0,0,0, 4, Z,
     0,{0},0,{0},0,{0}, 2.834625, 2, 4, 0, "BUL-2332.7 Att. A; hand"},
    /* x = ln 1..ln 4, y = ln 1, ln 2, ln 3, ln 3: ln a = 0.052835814208,
     * b = 0.842977697697; a*4^b = 3.392106256557 -> 3. */
    {"zoey_power_law", MLG_METHOD_POWER_LAW, 0,0,0,0,0,0,0,0, 4, Z,
     0,{0},0,{0},0,{0}, 3.392106256557, 2, 4, 0, "BUL-2332.7 Att. A; LS"},
    {"zoey_consistent_recent_2", MLG_METHOD_CONSISTENT_RECENT, 2,0,0,0,0,0,0,
     0, 4, Z, 0,{0},0,{0},0,{0}, 3, 2, 4, 0, "BUL-2332.7: min(3,3) = 3"},
    {"zoey_median", MLG_METHOD_MEDIAN, 0,0,0,0,0,0,0,0, 4, Z, 0,{0},0,{0},
     0,{0}, 2.5, 2, 4, 0, "hand: (2+3)/2; 2.5 half up -> 3"},
    {"zoey_mode", MLG_METHOD_MODE, 0,0,0,0,0,0,0,0, 4, Z, 0,{0},0,{0},0,{0},
     3, 2, 4, 0, "hand: 3 twice"},
    {"zoey_highest", MLG_METHOD_HIGHEST, 0,0,0,0,0,0,0,0, 4, Z, 0,{0},0,{0},
     0,{0}, 3, 2, 4, 0, "hand"},
    {"zoey_lowest", MLG_METHOD_LOWEST, 0,0,0,0,0,0,0,0, 4, Z, 0,{0},0,{0},
     0,{0}, 1, 0, 4, 0, "hand"},
    {"zoey_recent_mean_3", MLG_METHOD_RECENT_MEAN, 3,0,0,0,0,0,0,0, 4, Z,
     0,{0},0,{0},0,{0}, 8.0 / 3, 2, 4, 0, "hand: (2+3+3)/3"},
    {"zoey_recent_median_3", MLG_METHOD_RECENT_MEDIAN, 3,0,0,0,0,0,0,0, 4, Z,
     0,{0},0,{0},0,{0}, 3, 2, 4, 0, "hand: median(2,3,3)"},
    {"zoey_recent_mode_3", MLG_METHOD_RECENT_MODE, 3,0,0,0,0,0,0,0, 4, Z,
     0,{0},0,{0},0,{0}, 3, 2, 4, 0, "hand"},
    {"zoey_highest_mean_3", MLG_METHOD_HIGHEST_MEAN, 3,0,0,0,0,0,0,0, 4, Z,
     0,{0},0,{0},0,{0}, 8.0 / 3, 2, 4, 0, "hand: (3+3+2)/3"},
    /* Canvas: .65*3 + .35*mean(1,2,3) = 1.95 + .7 = 2.65 */
    {"zoey_weighted_average", MLG_METHOD_WEIGHTED_AVERAGE, 0,0,0,0,0,0,0,0,
     4, Z, 0,{0},0,{0},0,{0}, 2.65, 2, 4, 0, "Canvas rollup_score.rb; hand"},
    {"zoey_n_mastery_2", MLG_METHOD_N_MASTERY, 2,0,0,3,0,0,0,0, 4, Z,
     0,{0},0,{0},0,{0}, 3, 2, 4, 0, "Canvas: kept 3,3 -> mean 3"},
    {"zoey_n_mastery_default_5_na", MLG_METHOD_N_MASTERY, 0,0,0,0,0,0,0,0,
     4, Z, 0,{0},0,{0},0,{0}, NA_VALUE, MLG_LEVEL_NA, 4, 0,
     "Canvas: 4 results < n = 5 -> N/A"},
    /* mx = 2.5; sum (i-2.5)s = -1.5 - 1 + 1.5 + 4.5 = 3.5; Sxx = 5;
     * slope .7; 2.25 + .7*1.5 = 3.3 */
    {"zoey_linear_trend", MLG_METHOD_LINEAR_TREND, 0,0,0,0,0,0,0,0, 4, Z,
     0,{0},0,{0},0,{0}, 3.3, 2, 4, 0, "hand"},
    /* |errors|: mean 1.25+.25+.75+.75 = 3; line (1.2,1.9,2.6,3.3)
     * .2+.1+.4+.3 = 1.0; power .893654 -> power wins. */
    {"zoey_best_fit_power", MLG_METHOD_BEST_FIT, 0,0,0,0,0,0,0,0, 4, Z,
     0,{0},0,{0},0,{0}, 3.392106256557, 2, 4, 0, "hand + LS"},
    {"zoey_max_mean_power", MLG_METHOD_MAX_MEAN_POWER_LAW, 0,0,0,0,0,0,0,0,
     4, Z, 0,{0},0,{0},0,{0}, 3.392106256557, 2, 4, 0,
     "max(2.25, 3.392106)"},
    /* days 0,10,20,30, h = 30: factors 2^-1, 2^-2/3, 2^-1/3, 1 = .5,
     * .629960524947, .793700525984, 1; sum 2.923661050931; sum f*s =
     * .5 + 1.259921049894 + 2.381101577952 + 3 = 7.141022627846;
     * ratio 2.442493334024 */
    {"zoey_time_decay_30", MLG_METHOD_TIME_DECAY, 0,0,0,0,0,30,0,0, 4, Z,
     0,{0},0,{0},1,{0, 10, 20, 30}, 2.442493334024442, 1, 4, 0, "hand"},

    /* ---- Published decaying-average check (issue 2; PowerSchool/Otus):
     * 2,3,4 at 0.65: 2.65, then .65*4 + .35*2.65 = 3.5275. */
    {"published_decaying_234", MLG_METHOD_DECAYING_AVERAGE, 0,0,0.65,0,0,0,
     0,0, 3, {2, 3, 4}, 0,{0},0,{0},0,{0}, 3.5275, 3, 3, 0,
     "published 3.5275"},
    /* Schoology default 0.75: 2 -> .75*3+.25*2 = 2.75 -> .75*4 + .25*2.75
     * = 3.6875 */
    {"decaying_075", MLG_METHOD_DECAYING_AVERAGE, 0,0,0.75,0,0,0,0,0, 3,
     {2, 3, 4}, 0,{0},0,{0},0,{0}, 3.6875, 3, 3, 0, "hand"},
    {"decaying_weight_1_is_most_recent", MLG_METHOD_DECAYING_AVERAGE, 0,0,1,
     0,0,0,0,0, 3, {2, 3.7, 1.25}, 0,{0},0,{0},0,{0}, 1.25, 0, 3, 0, "hand"},

    /* ---- High-entropy H = 2.385, 3.1, 1.75, 3.6 */
    {"H_mean", MLG_METHOD_MEAN, 0,0,0,0,0,0,0,0, 4, H, 0,{0},0,{0},0,{0},
     2.70875, 2, 4, 0, "10.835/4"},
    {"H_median", MLG_METHOD_MEDIAN, 0,0,0,0,0,0,0,0, 4, H, 0,{0},0,{0},
     0,{0}, 2.7425, 2, 4, 0, "(2.385+3.1)/2"},
    {"H_median_odd", MLG_METHOD_MEDIAN, 0,0,0,0,0,0,0,0, 3, {2.385, 3.1, 1.75},
     0,{0},0,{0},0,{0}, 2.385, 1, 3, 0, "middle of 1.75,2.385,3.1"},
    {"H_most_recent", MLG_METHOD_MOST_RECENT, 0,0,0,0,0,0,0,0, 4, H, 0,{0},
     0,{0},0,{0}, 3.6, 3, 4, 0, "last"},
    {"H_highest", MLG_METHOD_HIGHEST, 0,0,0,0,0,0,0,0, 4, H, 0,{0},0,{0},
     0,{0}, 3.6, 3, 4, 0, "max"},
    {"H_lowest", MLG_METHOD_LOWEST, 0,0,0,0,0,0,0,0, 4, H, 0,{0},0,{0},0,{0},
     1.75, 1, 4, 0, "min; 1.75 half up -> 2"},
    {"H_recent_mean_3", MLG_METHOD_RECENT_MEAN, 3,0,0,0,0,0,0,0, 4, H, 0,{0},
     0,{0},0,{0}, 8.45 / 3, 2, 4, 0, "(3.1+1.75+3.6)/3"},
    {"H_recent_median_3", MLG_METHOD_RECENT_MEDIAN, 3,0,0,0,0,0,0,0, 4, H,
     0,{0},0,{0},0,{0}, 3.1, 2, 4, 0, "median(3.1,1.75,3.6)"},
    {"H_highest_mean_2", MLG_METHOD_HIGHEST_MEAN, 2,0,0,0,0,0,0,0, 4, H,
     0,{0},0,{0},0,{0}, 3.35, 2, 4, 0, "(3.6+3.1)/2"},
    /* d: 2.385; .65*3.1+.35*2.385 = 2.015+.83475 = 2.84975;
     * .65*1.75+.35*2.84975 = 1.1375+.9974125 = 2.1349125;
     * .65*3.6+.35*2.1349125 = 2.34+.747219375 = 3.087219375 */
    {"H_decaying", MLG_METHOD_DECAYING_AVERAGE, 0,0,0,0,0,0,0,0, 4, H, 0,{0},
     0,{0},0,{0}, 3.087219375, 2, 4, 0, "hand"},
    /* .65*3.6 + .35*(7.235/3) = 2.34 + .844083333... */
    {"H_weighted_average", MLG_METHOD_WEIGHTED_AVERAGE, 0,0,0,0,0,0,0,0, 4, H,
     0,{0},0,{0},0,{0}, 2.34 + 0.35 * 7.235 / 3, 2, 4, 0, "Canvas; hand"},
    {"H_n_mastery_2", MLG_METHOD_N_MASTERY, 2,0,0,3,0,0,0,0, 4, H, 0,{0},
     0,{0},0,{0}, 3.35, 2, 4, 0, "Canvas: kept 3.1, 3.6"},
    {"H_n_mastery_3_na", MLG_METHOD_N_MASTERY, 3,0,0,3,0,0,0,0, 4, H, 0,{0},
     0,{0},0,{0}, NA_VALUE, MLG_LEVEL_NA, 4, 0,
     "Canvas: 2 kept < n = 3 -> N/A"},
    /* sum (i-2.5)s = -3.5775 - 1.55 + .875 + 5.4 = 1.1475; slope .2295;
     * 2.70875 + .2295*1.5 = 3.053 */
    {"H_linear_trend", MLG_METHOD_LINEAR_TREND, 0,0,0,0,0,0,0,0, 4, H, 0,{0},
     0,{0},0,{0}, 3.053, 2, 4, 0, "hand"},
    {"H_power_law", MLG_METHOD_POWER_LAW, 0,0,0,0,0,0,0,0, 4, H, 0,{0},0,{0},
     0,{0}, 2.793757777271, 2, 4, 0, "LS: ln a .870200777639, b .113386298"},
    /* errors: mean .32375+.39125+.95875+.89125 = 2.565; line (2.3645,
     * 2.594, 2.8235, 3.053) .0205+.506+1.0735+.547 = 2.147; power
     * 2.280137 -> line */
    {"H_best_fit_line", MLG_METHOD_BEST_FIT, 0,0,0,0,0,0,0,0, 4, H, 0,{0},
     0,{0},0,{0}, 3.053, 2, 4, 0, "hand"},
    /* 3,2,3,2,3: mean 2.6, slope 0 so line error = mean error = 2.4 (tie ->
     * simpler: mean); power error 2.412 */
    {"best_fit_mean", MLG_METHOD_BEST_FIT, 0,0,0,0,0,0,0,0, 5, {3, 2, 3, 2, 3},
     0,{0},0,{0},0,{0}, 2.6, 2, 5, 0, "hand"},
    {"H_max_mean_power", MLG_METHOD_MAX_MEAN_POWER_LAW, 0,0,0,0,0,0,0,0, 4, H,
     0,{0},0,{0},0,{0}, 2.793757777271, 2, 4, 0, "max(2.70875, 2.793758)"},
    {"max_mean_power_mean_wins", MLG_METHOD_MAX_MEAN_POWER_LAW, 0,0,0,0,0,0,
     0,0, 3, {3.6, 2.385, 1.75}, 0,{0},0,{0},0,{0}, 7.735 / 3, 2, 3, 0,
     "falling series: power < mean 2.578333"},
    {"H_consistent_recent_2", MLG_METHOD_CONSISTENT_RECENT, 2,0,0,0,0,0,0,0,
     4, H, 0,{0},0,{0},0,{0}, 1.75, 1, 4, 0, "min(1.75,3.6)"},
    {"H_consistent_recent_1", MLG_METHOD_CONSISTENT_RECENT, 1,0,0,0,0,0,0,0,
     4, H, 0,{0},0,{0},0,{0}, 3.6, 3, 4, 0, "min(3.6)"},

    /* ---- Windows shorter than n: all rows. */
    {"recent_mean_n_10", MLG_METHOD_RECENT_MEAN, 10,0,0,0,0,0,0,0, 4, Z,
     0,{0},0,{0},0,{0}, 2.25, 1, 4, 0, "all 4 rows"},
    {"recent_median_n_10", MLG_METHOD_RECENT_MEDIAN, 10,0,0,0,0,0,0,0, 4, Z,
     0,{0},0,{0},0,{0}, 2.5, 2, 4, 0, "all 4 rows"},
    {"recent_mode_n_10", MLG_METHOD_RECENT_MODE, 10,0,0,0,0,0,0,0, 4, Z,
     0,{0},0,{0},0,{0}, 3, 2, 4, 0, "all 4 rows"},
    {"highest_mean_n_10", MLG_METHOD_HIGHEST_MEAN, 10,0,0,0,0,0,0,0, 4, Z,
     0,{0},0,{0},0,{0}, 2.25, 1, 4, 0, "all 4 rows"},
    {"consistent_recent_n_10", MLG_METHOD_CONSISTENT_RECENT, 10,0,0,0,0,0,0,
     0, 4, Z, 0,{0},0,{0},0,{0}, 1, 0, 4, 0, "all 4 rows"},
    {"recent_mode_window_3", MLG_METHOD_RECENT_MODE, 3,0,0,0,0,0,0,0, 5,
     {2, 2, 2, 3.5, 3.5}, 0,{0},0,{0},0,{0}, 3.5, 3, 5, 0,
     "window 2,3.5,3.5 -> 3.5 (the full mode would be 2)"},

    /* ---- Mode ties: 3.25, 1.75, 2.5, 3.25, 1.75, 2.5 all twice. */
    {"mode_tie_recent", MLG_METHOD_MODE, 0, MLG_TIE_RECENT, 0,0,0,0,0,0, 6,
     {3.25, 1.75, 2.5, 3.25, 1.75, 2.5}, 0,{0},0,{0},0,{0}, 2.5, ANY, 6, 0,
     "Educate: latest tied value (row 6)"},
    {"mode_tie_highest", MLG_METHOD_MODE, 0, MLG_TIE_HIGHEST, 0,0,0,0,0,0, 6,
     {3.25, 1.75, 2.5, 3.25, 1.75, 2.5}, 0,{0},0,{0},0,{0}, 3.25, ANY, 6, 0,
     "MasteryConnect: higher"},
    {"mode_tie_lowest", MLG_METHOD_MODE, 0, MLG_TIE_LOWEST, 0,0,0,0,0,0, 6,
     {3.25, 1.75, 2.5, 3.25, 1.75, 2.5}, 0,{0},0,{0},0,{0}, 1.75, ANY, 6, 0,
     "D2L option: lower"},
    {"mode_tie_recent_2", MLG_METHOD_MODE, 0, MLG_TIE_RECENT, 0,0,0,0,0,0, 4,
     {3, 2, 3, 2}, 0,{0},0,{0},0,{0}, 2, 1, 4, 0, "2 seen last"},
    {"mode_tie_recent_3", MLG_METHOD_MODE, 0, MLG_TIE_RECENT, 0,0,0,0,0,0, 4,
     {2, 3, 2, 3}, 0,{0},0,{0},0,{0}, 3, 2, 4, 0, "3 seen last"},
    {"recent_mode_tie_lowest", MLG_METHOD_RECENT_MODE, 2, MLG_TIE_LOWEST, 0,0,
     0,0,0,0, 4, {1, 1, 3.5, 2.25}, 0,{0},0,{0},0,{0}, 2.25, ANY, 4, 0,
     "window 3.5,2.25 tie -> lower"},

    /* ---- Evidence weights. */
    /* (2.385 + 2*3.1 + .5*1.75)/3.5 = 9.46/3.5 */
    {"w_mean", MLG_METHOD_MEAN, 0,0,0,0,0,0,0,0, 3, {2.385, 3.1, 1.75},
     1,{1, 2, 0.5},0,{0},0,{0}, 9.46 / 3.5, 2, 3, 0, "hand"},
    /* sorted 1.75(1) 2.385(1) 3.1(1) 3.6(3): total 6, half 3, cum hits 3
     * exactly at 3.1 -> (3.1+3.6)/2 */
    {"w_median_exact_half", MLG_METHOD_MEDIAN, 0,0,0,0,0,0,0,0, 4, H,
     1,{1, 1, 1, 3},0,{0},0,{0}, 3.35, 2, 4, 0, "hand"},
    {"w_median_past_half", MLG_METHOD_MEDIAN, 0,0,0,0,0,0,0,0, 4, H,
     1,{1, 1, 1, 4},0,{0},0,{0}, 3.6, 3, 4, 0, "cum 1,2,3,7; half 3.5"},
    /* weights in row order 2, .5, 1, .5 -> sorted 1.75(1) 2.385(2) 3.1(.5)
     * 3.6(.5): total 4, half 2, cum 1 then 3 > 2 -> 2.385 */
    {"w_median_low", MLG_METHOD_MEDIAN, 0,0,0,0,0,0,0,0, 4, H,
     1,{2, 0.5, 1, 0.5},0,{0},0,{0}, 2.385, 1, 4, 0, "hand"},
    {"w_mode", MLG_METHOD_MODE, 0,0,0,0,0,0,0,0, 3, {3, 2, 2},
     1,{2.5, 1, 1},0,{0},0,{0}, 3, 2, 3, 0, "3 weighs 2.5 > 2 weighs 2"},
    /* recent 3 of Z with weights 1,1,.5,2: (2 + 1.5 + 6)/3.5 */
    {"w_recent_mean", MLG_METHOD_RECENT_MEAN, 3,0,0,0,0,0,0,0, 4, Z,
     1,{1, 1, 0.5, 2},0,{0},0,{0}, 9.5 / 3.5, 2, 4, 0, "hand"},
    /* top 2 of H: 3.6 (w .5) and 3.1 (w 3): (1.8 + 9.3)/3.5 */
    {"w_highest_mean", MLG_METHOD_HIGHEST_MEAN, 2,0,0,0,0,0,0,0, 4, H,
     1,{1, 3, 1, 0.5},0,{0},0,{0}, 11.1 / 3.5, 2, 4, 0, "hand"},
    /* row 3 weighs 2: alpha = 1 - .35^2 = .8775; d3 = .8775*3 + .1225*1.65
     * = 2.834625 (= seeing 3 twice); d4 = .65*3 + .35*2.834625 =
     * 2.94211875 */
    {"w_decaying", MLG_METHOD_DECAYING_AVERAGE, 0,0,0,0,0,0,0,0, 4, Z,
     1,{1, 1, 2, 1},0,{0},0,{0}, 2.94211875, 2, 4, 0, "hand"},
    /* earlier weighted mean (2*1 + 2 + 3)/4 = 1.75; .65*3 + .35*1.75 */
    {"w_weighted_average", MLG_METHOD_WEIGHTED_AVERAGE, 0,0,0,0,0,0,0,0, 4, Z,
     1,{2, 1, 1, 1},0,{0},0,{0}, 2.5625, 2, 4, 0, "hand"},
    /* kept 3.1 (w 2), 3.6 (w 1): 9.8/3 */
    {"w_n_mastery", MLG_METHOD_N_MASTERY, 2,0,0,3,0,0,0,0, 4, H,
     1,{1, 2, 1, 1},0,{0},0,{0}, 9.8 / 3, 2, 4, 0, "hand"},
    /* W = 5, xbar 2.5, ybar 14.86/5 = 2.972; Sxy = .8805 - .128 - .3055 +
     * 1.413 = 1.86; Sxx = 6.25; slope .2976; 2.972 + .2976*1.5 */
    {"w_linear_trend", MLG_METHOD_LINEAR_TREND, 0,0,0,0,0,0,0,0, 4, H,
     1,{1, 2, 0.5, 1.5},0,{0},0,{0}, 3.4184, 2, 4, 0, "hand"},
    {"w_power_law", MLG_METHOD_POWER_LAW, 0,0,0,0,0,0,0,0, 4, H,
     1,{1, 2, 0.5, 1.5},0,{0},0,{0}, 3.284297536589518, 2, 4, 0,
     "weighted LS normal equations (numpy)"},
    /* factors 3*.5 = 1.5 and 1: (1.5*2 + 4)/2.5 */
    {"w_time_decay", MLG_METHOD_TIME_DECAY, 0,0,0,0,0,30,0,0, 2, {2, 4},
     1,{3, 1},0,{0},1,{0, 30}, 2.8, 2, 2, 0, "hand"},
    {"w_most_recent_ignores_weight", MLG_METHOD_MOST_RECENT, 0,0,0,0,0,0,0,0,
     3, {3.5, 2.25, 1.5}, 1,{9, 9, 0.01},0,{0},0,{0}, 1.5, 1, 3, 0, "last"},
    {"w_consistent_ignores_weight", MLG_METHOD_CONSISTENT_RECENT, 2,0,0,0,0,0,
     0,0, 3, {3.5, 2.25, 3.75}, 1,{1, 0.01, 9},0,{0},0,{0}, 2.25, 1, 3, 0,
     "min of last 2"},

    /* ---- time_decay as_of: rows after as_of are excluded. */
    {"time_decay_as_of", MLG_METHOD_TIME_DECAY, 0,0,0,0,0,30,30,0, 3,
     {2, 4, 1}, 0,{0},0,{0},1,{0, 30, 60}, 10.0 / 3, 2, 2, 0,
     "(.5*2 + 1*4)/1.5; row 3 after as_of"},
    {"time_decay_as_of_late", MLG_METHOD_TIME_DECAY, 0,0,0,0,0,30,900,0, 2,
     {2, 4}, 0,{0},0,{0},1,{0, 30}, 10.0 / 3, 2, 2, 0,
     "normalised: a later as_of alone changes nothing"},
    {"time_decay_as_of_before_all", MLG_METHOD_TIME_DECAY, 0,0,0,0,0,30,-5,
     0, 2, {2, 4}, 0,{0},0,{0},1,{0, 30}, NA_VALUE, MLG_LEVEL_NA, 0, 0,
     "every row after as_of -> N/A"},

    /* ---- Statuses: excused and missing (scores of those rows are NaN and
     * must not be read). */
    {"excused_ignored", MLG_METHOD_MEAN, 0,0,0,0,0,0,0,0, 5,
     {1, 2, NAN, 3, 3}, 0,{0},1,{0, 0, MLG_EVIDENCE_EXCUSED, 0, 0},0,{0},
     2.25, 1, 4, 1, "Zoey + an excused row"},
    {"missing_ignored", MLG_METHOD_MEAN, 0,0,0,0,0,0,0,0, 5,
     {1, 2, NAN, 3, 3}, 0,{0},1,{0, 0, MLG_EVIDENCE_MISSING, 0, 0},0,{0},
     2.25, 1, 4, 1, "missing = ignore (default)"},
    {"missing_excused_most_recent", MLG_METHOD_MOST_RECENT, 0,0,0,0,0,0,0,0,
     4, {2.5, 3.25, NAN, NAN}, 0,{0},1,{0, 0, 2, 1},0,{0}, 3.25, 2, 2, 2,
     "trailing missing/excused rows do not count"},
    {"all_excused_na", MLG_METHOD_MEAN, 0,0,0,0,0,0,0,0, 2, {NAN, NAN},
     0,{0},1,{1, 1},0,{0}, NA_VALUE, MLG_LEVEL_NA, 0, 2, "no row counts"},

    /* ---- Weight 0 rows are ignored. */
    {"weight_zero_ignored", MLG_METHOD_MEAN, 0,0,0,0,0,0,0,0, 5,
     {1, 2, 4, 3, 3}, 1,{1, 1, 0, 1, 1},0,{0},0,{0}, 2.25, 1, 4, 1, "hand"},
    {"weight_zero_not_recent", MLG_METHOD_MOST_RECENT, 0,0,0,0,0,0,0,0, 3,
     {2, 3.5, 1}, 1,{1, 1, 0},0,{0},0,{0}, 3.5, 3, 2, 1, "hand"},
    {"weight_all_zero_na", MLG_METHOD_DECAYING_AVERAGE, 0,0,0,0,0,0,0,0, 2,
     {2, 3}, 1,{0, 0},0,{0},0,{0}, NA_VALUE, MLG_LEVEL_NA, 0, 2, "hand"},

    /* ---- Clamping of fitted methods to [score_min, score_max]. */
    {"power_clamps_high", MLG_METHOD_POWER_LAW, 0,0,0,0,0,0,0,0, 4,
     {1, 1.5, 3.5, 4}, 0,{0},0,{0},0,{0}, 4, 3, 4, 0,
     "fit 4.032613 > 4 -> 4"},
    /* mean 8/3, slope 1.5: 2.6667 + 1.5 = 4.1667 -> 4 */
    {"line_clamps_high", MLG_METHOD_LINEAR_TREND, 0,0,0,0,0,0,0,0, 3,
     {1, 3, 4}, 0,{0},0,{0},0,{0}, 4, 3, 3, 0, "hand"},
    /* mean 7/3, slope -1.5: .8333 -> 1 */
    {"line_clamps_low", MLG_METHOD_LINEAR_TREND, 0,0,0,0,0,0,0,0, 3,
     {4, 2, 1}, 0,{0},0,{0},0,{0}, 1, 0, 3, 0, "hand"},
    {"power_single_score", MLG_METHOD_POWER_LAW, 0,0,0,0,0,0,0,0, 1, {2.385},
     0,{0},0,{0},0,{0}, 2.385, 1, 1, 0, "fewer than 2 -> the score"},
    {"line_single_score", MLG_METHOD_LINEAR_TREND, 0,0,0,0,0,0,0,0, 1, {3.1},
     0,{0},0,{0},0,{0}, 3.1, 2, 1, 0, "fewer than 2 -> the score"},
    {"best_fit_single", MLG_METHOD_BEST_FIT, 0,0,0,0,0,0,0,0, 1, {1.75},
     0,{0},0,{0},0,{0}, 1.75, 1, 1, 0, "one score"},
    {"max_mean_power_single", MLG_METHOD_MAX_MEAN_POWER_LAW, 0,0,0,0,0,0,0,0,
     1, {1.75}, 0,{0},0,{0},0,{0}, 1.75, 1, 1, 0, "one score"},
    {"weighted_average_single", MLG_METHOD_WEIGHTED_AVERAGE, 0,0,0,0,0,0,0,0,
     1, {2.385}, 0,{0},0,{0},0,{0}, 2.385, 1, 1, 0, "Canvas: one -> it"},

    /* ---- Scale 0..4: the power law needs score + log_shift > 0. */
    /* y = ln 1, ln 3, ln 4 on ln 1..ln 3: fit at 3 = 4.385880858971 - 1 */
    {"power_log_shift_1", MLG_METHOD_POWER_LAW, 0,0,0,0,1,0,0,1, 3, {0, 2, 3},
     0,{0},0,{0},0,{0}, 3.385880858971447, ANY, 3, 0, "LS (numpy)"},
    /* 0,2,3,4: power skipped; line: mean 2.25, slope 6.5/5 = 1.3 -> 4.2 ->
     * 4; errors line .3+.4+.1+.2 = 1 < mean 5 */
    {"best_fit_skips_power", MLG_METHOD_BEST_FIT, 0,0,0,0,0,0,0,1, 4,
     {0, 2, 3, 4}, 0,{0},0,{0},0,{0}, 4, ANY, 4, 0, "hand"},
    {"missing_lowest_counts_min", MLG_METHOD_MEAN, 0,0,0,0,0,0,0,1, 5,
     {1, 2, NAN, 3, 3}, 0,{0},1,{0, 0, MLG_EVIDENCE_MISSING, 0, 0},0,{0},
     9.0 / 5, ANY, 5, 0, "missing = lowest (set below): (1+2+0+3+3)/5"},
};

static void params_for(const vcase *c, mlg_method_params *p)
{
    assert_int_equal(mlg_method_params_init(p, c->method), MLG_OK);
    if (c->n)
        p->n = c->n;
    p->tie = c->tie;
    if (c->weight > 0)
        p->weight = c->weight;
    if (c->mastery > 0)
        p->mastery = c->mastery;
    p->log_shift = c->log_shift;
    if (c->half_life > 0)
        p->half_life_days = c->half_life;
    if (c->as_of)
        p->as_of = c->as_of;
    if (strcmp(c->name, "missing_lowest_counts_min") == 0)
        p->missing = MLG_MISSING_LOWEST;
}

static mlg_scale scale_0_4(void)
{
    mlg_scale s;
    const double v[5] = {0, 1, 2, 3, 4};
    assert_int_equal(mlg_scale_init(&s, 5, v), MLG_OK);
    return s;
}

static void check_case(const vcase *c, const mlg_result *r)
{
    if (c->expect == NA_VALUE) {
        if (!isnan(r->value) || !isnan(r->rounded))
            fail_msg("case %s: expected N/A, value %.17g", c->name, r->value);
        if (r->level != MLG_LEVEL_NA)
            fail_msg("case %s: level %d, expected N/A", c->name, r->level);
    } else {
        assert_double_near_case(c->name, r->value, c->expect, TOL);
        if (c->level != ANY && r->level != c->level)
            fail_msg("case %s: level %d, expected %d", c->name, r->level,
                     c->level);
    }
    if (r->n_used != c->n_used || r->n_ignored != c->n_ignored)
        fail_msg("case %s: n_used %d n_ignored %d, expected %d %d", c->name,
                 r->n_used, r->n_ignored, c->n_used, c->n_ignored);
    assert_int_equal(r->reserved, 0);
}

/* Each table case through mlg_series_compute, and through
 * mlg_series_explain, which must give bitwise the same result. */
static void test_value_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const vcase *c = &cases[i];
        mlg_method_params p;
        params_for(c, &p);
        const mlg_scale s04 = scale_0_4();
        const mlg_scale *sc = c->scale01234 ? &s04 : NULL;
        mlg_result r, r2;
        mlg_errinfo e;
        const int st = mlg_series_compute(c->k, c->has_day ? c->day : NULL,
                                          c->score, c->has_w ? c->w : NULL,
                                          c->has_st ? c->st : NULL, sc, &p,
                                          &r, &e);
        if (st != MLG_OK)
            fail_msg("case %s: status %s: %s", c->name, mlg_errname(st),
                     e.message);
        check_case(c, &r);
        mlg_explain_row rows[MAXR];
        assert_status_case(c->name,
                           mlg_series_explain(c->k, c->has_day ? c->day : NULL,
                                              c->score, c->has_w ? c->w : NULL,
                                              c->has_st ? c->st : NULL, sc, &p,
                                              &r2, rows, NULL),
                           MLG_OK);
        if (memcmp(&r, &r2, sizeof r) != 0)
            fail_msg("case %s: explain's result differs from compute's "
                     "(%.17g vs %.17g)", c->name, r2.value, r.value);
    }
}

/* A weight of 2 counts as if the evidence were seen twice (decaying
 * average), and all-ones weights reproduce the unweighted arithmetic bit
 * for bit. */
static void test_decay_weights(void **state)
{
    (void)state;
    mlg_method_params p;
    mlg_method_params_init(&p, MLG_METHOD_DECAYING_AVERAGE);
    const double s1[4] = {1, 2, 3, 3}, w1[4] = {1, 1, 2, 1};
    const double s2[5] = {1, 2, 3, 3, 3};
    mlg_result a, b;
    assert_int_equal(mlg_series_compute(4, NULL, s1, w1, NULL, NULL, &p, &a,
                                        NULL), MLG_OK);
    assert_int_equal(mlg_series_compute(5, NULL, s2, NULL, NULL, NULL, &p, &b,
                                        NULL), MLG_OK);
    assert_double_near(a.value, b.value, 1e-15);

    const double ones[4] = {1, 1, 1, 1}, h[4] = H;
    for (int32_t m = 0; m < MLG_METHOD_COUNT; m++) {
        if (m == MLG_METHOD_POWER_LAW || m == MLG_METHOD_LINEAR_TREND ||
            m == MLG_METHOD_BEST_FIT || m == MLG_METHOD_MAX_MEAN_POWER_LAW ||
            m == MLG_METHOD_TIME_DECAY)
            continue; /* GSL's weighted fit vs the closed form: below */
        mlg_method_params_init(&p, m);
        p.n = 2;
        assert_int_equal(mlg_series_compute(4, NULL, h, ones, NULL, NULL, &p,
                                            &a, NULL), MLG_OK);
        assert_int_equal(mlg_series_compute(4, NULL, h, NULL, NULL, NULL, &p,
                                            &b, NULL), MLG_OK);
        if (memcmp(&a.value, &b.value, sizeof a.value) != 0 &&
            !(isnan(a.value) && isnan(b.value)))
            fail_msg("method %s: weights 1 give %.17g, none %.17g",
                     mlg_method_name(m), a.value, b.value);
    }
}

/* The unweighted fits are closed forms; they must equal GSL's
 * gsl_fit_linear within 1e-12, and the weighted path (gsl_fit_wlinear with
 * weights 1) must agree too. */
static void test_fits_match_gsl(void **state)
{
    (void)state;
    static const double series[][6] = {
        {1, 2, 3, 3, 0, 0},          {2.385, 3.1, 1.75, 3.6, 0, 0},
        {3.9, 1.2, 2.2, 2.7, 3.3, 0}, {1.05, 1.1, 1.4, 2.9, 3.05, 3.95},
        {4, 3.5, 3.25, 1.5, 1.25, 1},
    };
    static const size_t len[] = {4, 4, 5, 6, 6};
    for (size_t t = 0; t < 5; t++) {
        const size_t k = len[t];
        const double *s = series[t];
        double x[6], lx[6], ly[6], ones[6];
        for (size_t j = 0; j < k; j++) {
            x[j] = (double)(j + 1);
            lx[j] = log(x[j]);
            ly[j] = log(s[j]);
            ones[j] = 1;
        }
        double c0, c1, v0, v1, v2, ss;
        mlg_method_params p;
        mlg_result r, rw;
        /* power law */
        assert_int_equal(gsl_fit_linear(lx, 1, ly, 1, k, &c0, &c1, &v0, &v1,
                                        &v2, &ss), GSL_SUCCESS);
        double want = exp(c0 + c1 * log((double)k));
        want = want > 4 ? 4 : (want < 1 ? 1 : want);
        mlg_method_params_init(&p, MLG_METHOD_POWER_LAW);
        assert_int_equal(mlg_series_compute(k, NULL, s, NULL, NULL, NULL, &p,
                                            &r, NULL), MLG_OK);
        assert_int_equal(mlg_series_compute(k, NULL, s, ones, NULL, NULL, &p,
                                            &rw, NULL), MLG_OK);
        assert_double_near(r.value, want, 1e-12);
        assert_double_near(rw.value, want, 1e-12);
        /* linear trend */
        assert_int_equal(gsl_fit_linear(x, 1, s, 1, k, &c0, &c1, &v0, &v1,
                                        &v2, &ss), GSL_SUCCESS);
        want = c0 + c1 * (double)k;
        want = want > 4 ? 4 : (want < 1 ? 1 : want);
        mlg_method_params_init(&p, MLG_METHOD_LINEAR_TREND);
        assert_int_equal(mlg_series_compute(k, NULL, s, NULL, NULL, NULL, &p,
                                            &r, NULL), MLG_OK);
        assert_int_equal(mlg_series_compute(k, NULL, s, ones, NULL, NULL, &p,
                                            &rw, NULL), MLG_OK);
        assert_double_near(r.value, want, 1e-12);
        assert_double_near(rw.value, want, 1e-12);
    }
}

/* A 100,000-row series goes through the heap path and matches an
 * independent computation. */
static void test_long_series(void **state)
{
    (void)state;
    enum { N = 100000 };
    double *s = malloc(N * sizeof *s), *x = malloc(N * sizeof *x),
           *y = malloc(N * sizeof *y);
    int32_t *d = malloc(N * sizeof *d);
    assert_non_null(s);
    assert_non_null(x);
    assert_non_null(y);
    assert_non_null(d);
    for (size_t i = 0; i < N; i++) {
        s[i] = (double)(i % 4) + 1; /* 1,2,3,4,1,2,... */
        d[i] = (int32_t)(i / 3);
        x[i] = log((double)(i + 1));
        y[i] = log(s[i]);
    }
    mlg_method_params p;
    mlg_result r;
    /* mean of 25,000 copies of 1,2,3,4 = 2.5 exactly */
    mlg_method_params_init(&p, MLG_METHOD_MEAN);
    assert_int_equal(mlg_series_compute(N, d, s, NULL, NULL, NULL, &p, &r,
                                        NULL), MLG_OK);
    assert_double_near(r.value, 2.5, 0);
    assert_int_equal(r.n_used, N);
    mlg_method_params_init(&p, MLG_METHOD_MEDIAN);
    assert_int_equal(mlg_series_compute(N, d, s, NULL, NULL, NULL, &p, &r,
                                        NULL), MLG_OK);
    assert_double_near(r.value, 2.5, 0); /* middle values 2 and 3 */
    mlg_method_params_init(&p, MLG_METHOD_MOST_RECENT);
    assert_int_equal(mlg_series_compute(N, d, s, NULL, NULL, NULL, &p, &r,
                                        NULL), MLG_OK);
    assert_double_near(r.value, 4, 0); /* row 99999: 99999 % 4 = 3 -> 4 */
    /* all four values tie 25,000 times: the most recent tied value is 4 */
    mlg_method_params_init(&p, MLG_METHOD_MODE);
    assert_int_equal(mlg_series_compute(N, d, s, NULL, NULL, NULL, &p, &r,
                                        NULL), MLG_OK);
    assert_double_near(r.value, 4, 0);
    mlg_method_params_init(&p, MLG_METHOD_POWER_LAW);
    double c0, c1, v0, v1, v2, ss;
    assert_int_equal(gsl_fit_linear(x, 1, y, 1, N, &c0, &c1, &v0, &v1, &v2,
                                    &ss), GSL_SUCCESS);
    assert_int_equal(mlg_series_compute(N, d, s, NULL, NULL, NULL, &p, &r,
                                        NULL), MLG_OK);
    assert_double_near(r.value, exp(c0 + c1 * log((double)N)), 1e-12);
    /* explanation over the heap path too */
    mlg_explain_row *rows = malloc(N * sizeof *rows);
    assert_non_null(rows);
    mlg_method_params_init(&p, MLG_METHOD_MEAN);
    assert_int_equal(mlg_series_explain(N, d, s, NULL, NULL, NULL, &p, &r,
                                        rows, NULL), MLG_OK);
    assert_int_equal(rows[N - 1].row, N - 1);
    assert_double_near(rows[N - 1].influence, 1.0 / N, 1e-18);
    free(rows);
    free(s);
    free(x);
    free(y);
    free(d);
}

/* n == 0 gives N/A with NULL arrays allowed. */
static void test_empty(void **state)
{
    (void)state;
    mlg_method_params p;
    mlg_result r;
    for (int32_t m = 0; m < MLG_METHOD_COUNT; m++) {
        mlg_method_params_init(&p, m);
        assert_int_equal(mlg_series_compute(0, NULL, NULL, NULL, NULL, NULL,
                                            &p, &r, NULL), MLG_OK);
        assert_true(isnan(r.value));
        assert_true(isnan(r.rounded));
        assert_int_equal(r.level, MLG_LEVEL_NA);
        assert_int_equal(r.n_used, 0);
        assert_int_equal(r.n_ignored, 0);
    }
    assert_int_equal(mlg__scratch_bytes(0, &p), 0);
}

/* ---------------------------------------------------------------- errors */

typedef struct ecase {
    const char *name;
    int32_t method;
    size_t k;
    double score[MAXR];
    int has_w;
    double w[MAXR];
    int has_st;
    uint8_t st[MAXR];
    int has_day;
    int32_t day[MAXR];
    int scale01234;
    int status;
    int64_t row;
    const char *msg_part; /* a substring the message must contain */
} ecase;

static const ecase ecases[] = {
    {"nan_score", MLG_METHOD_MEAN, 3, {1, NAN, 2}, 0,{0},0,{0},0,{0}, 0,
     MLG_ENAN, 1, "not finite"},
    {"inf_score", MLG_METHOD_MEAN, 3, {1, 2, INFINITY}, 0,{0},0,{0},0,{0}, 0,
     MLG_ENAN, 2, "not finite"},
    {"minus_inf_score_weighted", MLG_METHOD_MEAN, 2, {-INFINITY, 2}, 1,{1, 1},
     0,{0},0,{0}, 0, MLG_ENAN, 0, "not finite"},
    /* the fast path's NaN checks: a lane check for selection methods, the
     * value for methods that propagate NaN, never as_of */
    {"nan_score_most_recent", MLG_METHOD_MOST_RECENT, 3, {1, NAN, 2}, 0,{0},
     0,{0},0,{0}, 0, MLG_ENAN, 1, "not finite"},
    {"nan_score_median", MLG_METHOD_MEDIAN, 2, {NAN, 2}, 0,{0},0,{0},0,{0},
     0, MLG_ENAN, 0, "not finite"},
    {"nan_score_power", MLG_METHOD_POWER_LAW, 3, {1, 2, NAN}, 0,{0},0,{0},
     0,{0}, 0, MLG_ENAN, 2, "not finite"},
    {"nan_score_best_fit", MLG_METHOD_BEST_FIT, 3, {1, NAN, 2}, 0,{0},0,{0},
     0,{0}, 0, MLG_ENAN, 1, "not finite"},
    {"nan_score_decaying", MLG_METHOD_DECAYING_AVERAGE, 3, {NAN, 2, 3}, 0,{0},
     0,{0},0,{0}, 0, MLG_ENAN, 0, "not finite"},
    {"nan_score_time_decay", MLG_METHOD_TIME_DECAY, 2, {2, NAN}, 0,{0},
     0,{0}, 1,{1, 2}, 0, MLG_ENAN, 1, "not finite"},
    {"score_above_scale", MLG_METHOD_MEAN, 3, {1, 4.5, 2}, 0,{0},0,{0},0,{0},
     0, MLG_ESCALE, 1, "[1, 4]"},
    {"score_below_scale", MLG_METHOD_MOST_RECENT, 2, {1, 0.5}, 0,{0},0,{0},
     0,{0}, 0, MLG_ESCALE, 1, "0.5"},
    {"inf_weight", MLG_METHOD_MEAN, 2, {1, 2}, 1,{1, INFINITY},0,{0},0,{0}, 0,
     MLG_ENAN, 1, "weight"},
    {"nan_weight", MLG_METHOD_MEAN, 2, {1, 2}, 1,{NAN, 1},0,{0},0,{0}, 0,
     MLG_ENAN, 0, "weight"},
    {"negative_weight", MLG_METHOD_MEAN, 3, {1, 2, 3}, 1,{1, 1, -0.5},0,{0},
     0,{0}, 0, MLG_EWEIGHT, 2, "negative"},
    {"day_backwards", MLG_METHOD_MEAN, 3, {1, 2, 3}, 0,{0},0,{0},
     1,{10, 12, 11}, 0, MLG_EORDER, 2, "day 11 is earlier than day 12"},
    {"day_backwards_across_excused", MLG_METHOD_MEAN, 3, {1, NAN, 3}, 0,{0},
     1,{0, 1, 0}, 1,{10, 20, 15}, 0, MLG_EORDER, 2, "day 15"},
    {"day_backwards_weighted", MLG_METHOD_TIME_DECAY, 2, {1, 2}, 1,{1, 1},
     0,{0}, 1,{5, 4}, 0, MLG_EORDER, 1, "day 4"},
    {"bad_status", MLG_METHOD_MEAN, 3, {1, 2, 3}, 0,{0},1,{0, 3, 0},0,{0}, 0,
     MLG_ESTATUS, 1, "status 3"},
    {"power_zero_score", MLG_METHOD_POWER_LAW, 3, {1, 0, 2}, 0,{0},0,{0},
     0,{0}, 1, MLG_EDOMAIN, 1, "log_shift"},
    {"power_zero_score_single", MLG_METHOD_POWER_LAW, 1, {0}, 0,{0},0,{0},
     0,{0}, 1, MLG_EDOMAIN, 0, "log_shift"},
    {"max_mean_power_zero", MLG_METHOD_MAX_MEAN_POWER_LAW, 2, {2, 0},
     1,{1, 1},0,{0},0,{0}, 1, MLG_EDOMAIN, 1, "log_shift"},
    /* first failing row wins; within a row: status, day, score, weight */
    {"first_row_wins", MLG_METHOD_MEAN, 3, {1, 9, 2}, 0,{0},1,{0, 0, 7},
     0,{0}, 0, MLG_ESCALE, 1, "9"},
    {"status_before_day", MLG_METHOD_MEAN, 2, {1, 2}, 0,{0},1,{0, 9},
     1,{5, 1}, 0, MLG_ESTATUS, 1, "status 9"},
    {"day_before_score", MLG_METHOD_MEAN, 2, {1, NAN}, 0,{0},0,{0},
     1,{5, 1}, 0, MLG_EORDER, 1, "day 1"},
    {"score_before_weight", MLG_METHOD_MEAN, 2, {1, 7}, 1,{1, -1},0,{0},
     0,{0}, 0, MLG_ESCALE, 1, "7"},
    {"zero_weight_row_score_still_checked", MLG_METHOD_MEAN, 2, {1, NAN},
     1,{1, 0},0,{0},0,{0}, 0, MLG_ENAN, 1, "not finite"},
    {"zero_weight_row_no_domain_error", MLG_METHOD_POWER_LAW, 3, {1, 0, 2},
     1,{1, 0, 1},0,{0},0,{0}, 1, MLG_OK, -1, ""},
};

static void fill_sentinel(mlg_result *r, mlg_explain_row *rows, size_t n)
{
    memset(r, 0xA5, sizeof *r);
    if (rows)
        memset(rows, 0x5A, n * sizeof *rows);
}

static void test_error_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof ecases / sizeof ecases[0]; i++) {
        const ecase *c = &ecases[i];
        mlg_method_params p;
        mlg_method_params_init(&p, c->method);
        const mlg_scale s04 = scale_0_4();
        const mlg_scale *sc = c->scale01234 ? &s04 : NULL;
        for (int ex = 0; ex < 2; ex++) {
            mlg_result r, sentinel;
            mlg_explain_row rows[MAXR], rsent[MAXR];
            mlg_errinfo e;
            memset(&e, 0, sizeof e);
            fill_sentinel(&r, rows, MAXR);
            fill_sentinel(&sentinel, rsent, MAXR);
            const int st =
                ex ? mlg_series_explain(c->k, c->has_day ? c->day : NULL,
                                        c->score, c->has_w ? c->w : NULL,
                                        c->has_st ? c->st : NULL, sc, &p, &r,
                                        rows, &e)
                   : mlg_series_compute(c->k, c->has_day ? c->day : NULL,
                                        c->score, c->has_w ? c->w : NULL,
                                        c->has_st ? c->st : NULL, sc, &p, &r,
                                        &e);
            assert_status_case(c->name, st, c->status);
            if (c->status == MLG_OK)
                continue;
            assert_int_equal(e.status, c->status);
            assert_int_equal(e.group, -1);
            if (e.row != c->row)
                fail_msg("case %s: errinfo row %lld, expected %lld", c->name,
                         (long long)e.row, (long long)c->row);
            if (!strstr(e.message, c->msg_part))
                fail_msg("case %s: message \"%s\" lacks \"%s\"", c->name,
                         e.message, c->msg_part);
            assert_memory_equal(&r, &sentinel, sizeof r);
            assert_memory_equal(rows, rsent, sizeof rows);
        }
    }
}

/* Validation precedes the as_of cut: a NaN score dated after as_of is still
 * MLG_ENAN (the fast path cannot rely on the value to reveal it). */
static void test_nan_after_as_of(void **state)
{
    (void)state;
    const double s[3] = {2, 3, NAN};
    const int32_t d[3] = {1, 2, 50};
    mlg_method_params p;
    mlg_method_params_init(&p, MLG_METHOD_TIME_DECAY);
    p.as_of = 10;
    mlg_result r;
    mlg_errinfo e;
    assert_int_equal(mlg_series_compute(3, d, s, NULL, NULL, NULL, &p, &r, &e),
                     MLG_ENAN);
    assert_int_equal(e.row, 2);
}

/* A method whose arithmetic overflows (two scores of 1e308 summed, on a
 * scale that allows them; or weights of 1e308) reports MLG_ENUMERIC instead
 * of a level or a false N/A. */
static void test_overflow_value(void **state)
{
    (void)state;
    mlg_scale sc;
    const double v[2] = {-1e308, 1e308};
    assert_int_equal(mlg_scale_init(&sc, 2, v), MLG_OK);
    const double s[2] = {1e308, 1e308};
    mlg_method_params p;
    mlg_method_params_init(&p, MLG_METHOD_MEAN);
    mlg_result r, sentinel;
    fill_sentinel(&r, NULL, 0);
    fill_sentinel(&sentinel, NULL, 0);
    mlg_errinfo e;
    assert_int_equal(mlg_series_compute(2, NULL, s, NULL, NULL, &sc, &p, &r,
                                        &e), MLG_ENUMERIC);
    assert_non_null(strstr(e.message, "not finite"));
    assert_memory_equal(&r, &sentinel, sizeof r);
    /* Weights whose sum would overflow (1e308 + 1e308 = inf, inf/inf NaN)
     * are rescaled by a power of two first (methods.c, rescale_weights), so
     * equal weights give the plain mean: (2 + 3) / 2 = 2.5. */
    const double s2[2] = {2, 3}, w2[2] = {1e308, 1e308};
    assert_int_equal(mlg_series_compute(2, NULL, s2, w2, NULL, NULL, &p, &r,
                                        &e), MLG_OK);
    assert_double_near(r.value, 2.5, 0.0);
    mlg_method_params_init(&p, MLG_METHOD_N_MASTERY);
    p.n = 1;
    p.mastery = 2.0;
    assert_int_equal(mlg_series_compute(2, NULL, s2, w2, NULL, NULL, &p, &r,
                                        &e), MLG_OK);
    assert_double_near(r.value, 2.5, 0.0);
}

/* Issue 14, finding 11: a subnormal weight (5e-324) made the mean of a
 * single 2.4 come out 2 (5e-324 * 2.4 rounds to 1e-323, / 5e-324 = 2) and
 * let best_fit leave the scale.  Weights used only as ratios are rescaled
 * exactly, and no value leaves [score_min, score_max].  Hand-worked: one
 * row gives its own score whatever its weight; equal weights give the plain
 * mean (2.4 + 3.6) / 2 = 3 and the exact line through 2.4, 3.6 ends at 3.6. */
static void test_tiny_weights(void **state)
{
    (void)state;
    const double s1[1] = {2.4}, w1[1] = {5e-324};
    const double s3[3] = {2.4, 3.6, 3.6}, w3[3] = {5e-324, 5e-324, 5e-324};
    static const int32_t methods[] = {
        MLG_METHOD_MEAN, MLG_METHOD_MEDIAN, MLG_METHOD_HIGHEST_MEAN,
        MLG_METHOD_WEIGHTED_AVERAGE, MLG_METHOD_LINEAR_TREND,
        MLG_METHOD_BEST_FIT, MLG_METHOD_POWER_LAW, MLG_METHOD_TIME_DECAY,
        MLG_METHOD_MAX_MEAN_POWER_LAW};
    const int32_t d3[3] = {10, 20, 30};
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        mlg_method_params p;
        mlg_result r;
        assert_int_equal(mlg_method_params_init(&p, methods[i]), MLG_OK);
        assert_int_equal(mlg_series_compute(1, d3, s1, w1, NULL, NULL, &p, &r,
                                            NULL), MLG_OK);
        if (r.value != 2.4)
            fail_msg("%s: one row of weight 5e-324 gives %.17g, not 2.4",
                     mlg_method_name(methods[i]), r.value);
        assert_int_equal(mlg_series_compute(3, d3, s3, w3, NULL, NULL, &p, &r,
                                            NULL), MLG_OK);
        if (!(r.value >= 1.0 && r.value <= 4.0))
            fail_msg("%s: value %.17g leaves the scale",
                     mlg_method_name(methods[i]), r.value);
    }
    mlg_method_params p;
    mlg_result r;
    assert_int_equal(mlg_method_params_init(&p, MLG_METHOD_MEAN), MLG_OK);
    const double s2[2] = {2.4, 3.6}, w2[2] = {5e-324, 5e-324};
    assert_int_equal(mlg_series_compute(2, NULL, s2, w2, NULL, NULL, &p, &r,
                                        NULL), MLG_OK);
    assert_double_near(r.value, 3.0, 1e-15);
    assert_int_equal(mlg_method_params_init(&p, MLG_METHOD_LINEAR_TREND),
                     MLG_OK);
    assert_int_equal(mlg_series_compute(2, NULL, s2, w2, NULL, NULL, &p, &r,
                                        NULL), MLG_OK);
    assert_double_near(r.value, 3.6, 1e-12);
}

/* Ensure each NULL pointer gives MLG_ENULL and leaves out untouched. */
static void test_null_pointers(void **state)
{
    (void)state;
    const double s[2] = {1, 2};
    const int32_t d[2] = {1, 2};
    mlg_method_params p;
    mlg_method_params_init(&p, MLG_METHOD_MEAN);
    mlg_result r, sentinel;
    mlg_explain_row rows[2];
    mlg_errinfo e;
    fill_sentinel(&sentinel, NULL, 0);

    fill_sentinel(&r, NULL, 0);
    assert_int_equal(mlg_series_compute(2, d, s, NULL, NULL, NULL, NULL, &r,
                                        &e), MLG_ENULL);
    assert_int_equal(e.status, MLG_ENULL);
    assert_non_null(strstr(e.message, "params"));
    assert_memory_equal(&r, &sentinel, sizeof r);

    assert_int_equal(mlg_series_compute(2, d, s, NULL, NULL, NULL, &p, NULL,
                                        &e), MLG_ENULL);
    assert_non_null(strstr(e.message, "out"));

    assert_int_equal(mlg_series_compute(2, d, NULL, NULL, NULL, NULL, &p, &r,
                                        &e), MLG_ENULL);
    assert_non_null(strstr(e.message, "score"));
    assert_memory_equal(&r, &sentinel, sizeof r);

    assert_int_equal(mlg_series_explain(2, d, s, NULL, NULL, NULL, &p, &r,
                                        NULL, &e), MLG_ENULL);
    assert_non_null(strstr(e.message, "rows"));
    assert_memory_equal(&r, &sentinel, sizeof r);
    assert_int_equal(mlg_series_explain(2, d, s, NULL, NULL, NULL, NULL, &r,
                                        rows, NULL), MLG_ENULL);
    assert_int_equal(mlg_series_explain(2, d, s, NULL, NULL, NULL, &p, NULL,
                                        rows, NULL), MLG_ENULL);

    mlg_method_params_init(&p, MLG_METHOD_TIME_DECAY);
    assert_int_equal(mlg_series_compute(2, NULL, s, NULL, NULL, NULL, &p, &r,
                                        &e), MLG_ENULL);
    assert_non_null(strstr(e.message, "day"));
    assert_memory_equal(&r, &sentinel, sizeof r);
    /* err may be NULL */
    assert_int_equal(mlg_series_compute(2, NULL, s, NULL, NULL, NULL, &p, &r,
                                        NULL), MLG_ENULL);
}

/* Bad parameters and scales: the validators' status comes back. */
static void test_bad_params_and_scale(void **state)
{
    (void)state;
    const double s[2] = {1, 2};
    mlg_method_params p;
    mlg_result r, sentinel;
    mlg_errinfo e;
    fill_sentinel(&sentinel, NULL, 0);
    fill_sentinel(&r, NULL, 0);
    static const struct {
        const char *name; int32_t method; int field; double v; int status;
    } pc[] = {
        {"n_zero", MLG_METHOD_RECENT_MEAN, 0, 0, MLG_EINVAL},
        {"n_negative", MLG_METHOD_N_MASTERY, 0, -3, MLG_EINVAL},
        {"weight_above_1", MLG_METHOD_DECAYING_AVERAGE, 1, 1.5, MLG_EINVAL},
        {"weight_zero", MLG_METHOD_WEIGHTED_AVERAGE, 1, 0, MLG_EINVAL},
        {"mastery_nan", MLG_METHOD_N_MASTERY, 2, NAN, MLG_ENAN},
        {"half_life_zero", MLG_METHOD_TIME_DECAY, 3, 0, MLG_EINVAL},
        {"method_unknown", 99, 4, 0, MLG_ENOTFOUND},
        {"log_shift_inf", MLG_METHOD_POWER_LAW, 5, INFINITY, MLG_ENAN},
    };
    for (size_t i = 0; i < sizeof pc / sizeof pc[0]; i++) {
        mlg_method_params_init(&p, pc[i].method == 99 ? 0 : pc[i].method);
        switch (pc[i].field) {
        case 0: p.n = (int32_t)pc[i].v; break;
        case 1: p.weight = pc[i].v; break;
        case 2: p.mastery = pc[i].v; break;
        case 3: p.half_life_days = pc[i].v; break;
        case 4: p.method = 99; break;
        default: p.log_shift = pc[i].v; break;
        }
        assert_status_case(pc[i].name,
                           mlg_series_compute(2, NULL, s, NULL, NULL, NULL,
                                              &p, &r, &e), pc[i].status);
        assert_int_equal(e.status, pc[i].status);
        assert_int_equal(e.row, -1);
        assert_memory_equal(&r, &sentinel, sizeof r);
    }
    mlg_method_params_init(&p, MLG_METHOD_MEAN);
    mlg_scale bad;
    mlg_scale_builtin(MLG_SCALE_CCS4, &bad);
    bad.n_levels = 0;
    assert_int_equal(mlg_series_compute(2, NULL, s, NULL, NULL, &bad, &p, &r,
                                        &e), MLG_EINVAL);
    assert_non_null(strstr(e.message, "scale"));
    mlg_scale_builtin(MLG_SCALE_CCS4, &bad);
    bad.score_max = NAN;
    assert_int_equal(mlg_series_compute(2, NULL, s, NULL, NULL, &bad, &p, &r,
                                        &e), MLG_ENAN);
    assert_memory_equal(&r, &sentinel, sizeof r);
}

/* The kernel reports absolute rows (row_base + i) and the group. */
static void test_kernel_row_base(void **state)
{
    (void)state;
    const double s[3] = {1, 2, 5};
    mlg_method_params p;
    mlg_method_params_init(&p, MLG_METHOD_MEAN);
    double buf[64];
    assert_true(mlg__scratch_bytes(3, &p) <= sizeof buf);
    mlg_result r;
    mlg_errinfo e;
    assert_int_equal(mlg__series_run(3, NULL, s, NULL, NULL,
                                     mlg__default_scale(), &p, buf, &r, NULL,
                                     &e, 7, 1000), MLG_ESCALE);
    assert_int_equal(e.group, 7);
    assert_int_equal(e.row, 1002);
    assert_non_null(strstr(e.message, "row 1002"));
    /* a valid group through the kernel equals the public wrapper */
    mlg_result r2;
    assert_int_equal(mlg__series_run(2, NULL, s, NULL, NULL,
                                     mlg__default_scale(), &p, buf, &r, NULL,
                                     &e, 0, 0), MLG_OK);
    assert_int_equal(mlg_series_compute(2, NULL, s, NULL, NULL, NULL, &p, &r2,
                                        NULL), MLG_OK);
    assert_memory_equal(&r, &r2, sizeof r);
    /* scratch is sized per row and saturates instead of overflowing */
    assert_true(mlg__scratch_bytes(10, &p) >= 10 * sizeof(double));
    assert_int_equal(mlg__scratch_bytes(SIZE_MAX / 2, &p), SIZE_MAX);
}

/* Huge counts: more than INT32_MAX rows cannot be represented in n_used. */
static void test_huge_count(void **state)
{
    (void)state;
    const double s[1] = {2};
    mlg_method_params p;
    mlg_method_params_init(&p, MLG_METHOD_MEAN);
    mlg_result r, sentinel;
    mlg_errinfo e;
    fill_sentinel(&r, NULL, 0);
    fill_sentinel(&sentinel, NULL, 0);
    /* The size check comes before any row is read. */
    assert_int_equal(mlg_series_compute((size_t)INT32_MAX + 1, NULL, s, NULL,
                                        NULL, NULL, &p, &r, &e),
                     MLG_EOVERFLOW);
    assert_int_equal(e.status, MLG_EOVERFLOW);
    assert_memory_equal(&r, &sentinel, sizeof r);
    double buf[8];
    assert_int_equal(mlg__series_run((size_t)INT32_MAX + 1, NULL, s, NULL,
                                     NULL, mlg__default_scale(), &p, buf, &r,
                                     NULL, &e, 3, 0), MLG_EOVERFLOW);
    assert_int_equal(e.group, 3);
}

/* Rounding goes through mlg_value_to_level with params.rounding: Canvas's
 * floor shows Zoey's decaying 2.834625 as level 2 (index 1). */
/* kernels.h: the order statistics and the power fit take shortcuts when
 * unweighted and unexplained (counting whole scores, an insertion sort of
 * short series, power-law constants from a row computed apart), and the
 * long way otherwise (the explanation).  Ensure both give the same double:
 * mlg_series_compute() and mlg_series_explain() agree bit for bit on random
 * series of whole scores 0..4 (zero included), continuous scores and
 * lengths 1..40 (past the insertion sort's 32), for every method. */
static void test_shortcuts_match_long_way(void **state)
{
    (void)state;
    uint64_t seed = 0x5EEDF00Dull;
    mlg_scale sc;
    const double v5[5] = {0, 1, 2, 3, 4};
    assert_int_equal(mlg_scale_init(&sc, 5, v5), MLG_OK);
    enum { N = 40 };
    double s[N];
    int32_t d[N];
    mlg_explain_row rows[N];
    for (int trial = 0; trial < 400; trial++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        const size_t n = 1 + (size_t)((seed >> 33) % N);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            const uint32_t r = (uint32_t)(seed >> 32);
            s[i] = trial % 2 ? (double)(r % 5) : (double)(r % 401) / 100.0;
            d[i] = (int32_t)(100 + i);
        }
        for (int32_t m = 0; m < MLG_METHOD_COUNT; m++) {
            mlg_method_params p;
            assert_int_equal(mlg_method_params_init(&p, m), MLG_OK);
            p.log_shift = 1.0; /* scores 0 stay inside the log's domain */
            mlg_result a, b;
            const int ra = mlg_series_compute(n, d, s, NULL, NULL, &sc, &p,
                                              &a, NULL);
            const int rb = mlg_series_explain(n, d, s, NULL, NULL, &sc, &p,
                                              &b, rows, NULL);
            if (ra != rb || (ra == MLG_OK && memcmp(&a, &b, sizeof a) != 0))
                fail_msg("trial %d, %s, n %zu: compute %d %.17g, explain %d "
                         "%.17g", trial, mlg_method_name(m), n, ra, a.value,
                         rb, b.value);
        }
    }
}

/* ------------------------------------------------- Canvas, to the digit -- */

/* An independent re-implementation of Canvas's outcome arithmetic, written
 * from instructure/canvas-lms app/models/rollup_score.rb (RollupScore:
 * average_set, decaying_average_set = Canvas's weighted_average,
 * standard_decaying_average = Canvas's decaying_average, n_mastery_set,
 * highest, latest; PRECISION = 2) and the Ruby it runs on: Array#sum
 * (array.c rb_ary_sum, Kahan-Babuska compensated summation) and
 * Float#round(2) (numeric.c, round_half_up: f = round(x*100), then f += 1
 * when (f + 0.5)/100 <= x, result f/100). */
static double ruby_sum(const double *x, size_t n)
{
    double sum = 0.0, comp = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double t = sum + x[i];
        comp += fabs(sum) >= fabs(x[i]) ? (sum - t) + x[i] : (x[i] - t) + sum;
        sum = t;
    }
    return sum + comp;
}

static double ruby_round2(double x)
{
    const double xs = x * 100.0;
    double f = round(xs);
    if (x > 0 && (f + 0.5) / 100.0 <= x)
        f += 1;
    else if (x < 0 && (f - 0.5) / 100.0 >= x)
        f -= 1;
    return f / 100.0;
}

enum { CV_AVERAGE, CV_WEIGHTED, CV_DECAYING, CV_N_MASTERY, CV_HIGHEST,
       CV_LATEST, CV_COUNT };

/* Canvas's score for scores s[0..n) (oldest first), or NaN for nil. */
static double canvas_score(int how, const double *s, size_t n, int k,
                           int n_int, double mastery)
{
    switch (how) {
    case CV_AVERAGE:
        return ruby_round2(ruby_sum(s, n) / (double)n);
    /* Each Ruby operation rounds on its own (a method call per operator),
     * so every product gets its own statement here: a compiler may fuse
     * a*b + c within one expression into an FMA (clang does by default),
     * never across statements. */
    case CV_WEIGHTED: {
        if (n == 1)
            return ruby_round2(s[0]);
        const double latest = s[n - 1] * (0.01 * k);
        const double older = (ruby_sum(s, n - 1) / (double)(n - 1)) *
                             (0.01 * (100 - k));
        return ruby_round2(latest + older);
    }
    case CV_DECAYING: {
        if (n == 1)
            return ruby_round2(s[0]);
        const double keep = 0.01 * (100 - k), rate = 0.01 * k;
        double a = s[0] * keep;
        double b = s[1] * rate;
        double d = a + b;
        for (size_t i = 2; i < n; i++) {
            a = d * keep;
            b = s[i] * rate;
            d = a + b;
        }
        return ruby_round2(d);
    }
    case CV_N_MASTERY: {
        if ((int)n < n_int || isnan(mastery))
            return NAN;
        double kept[16];
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (s[i] >= mastery)
                kept[m++] = s[i];
        if ((int)m < n_int)
            return NAN;
        return ruby_round2(ruby_sum(kept, m) / (double)m);
    }
    case CV_HIGHEST: {
        double v = s[0];
        for (size_t i = 1; i < n; i++)
            v = s[i] > v ? s[i] : v;
        return ruby_round2(v);
    }
    default:
        return ruby_round2(s[n - 1]);
    }
}

/* Issue 11's two rounding ties.  canvas_outcome on 2, 3.5: Canvas computes
 * 3.5*(0.01*65) + 2*(0.01*35) = 2.975000000000000089 -> 2.98, where
 * 0.65*3.5 + (1-0.65)*2 = 2.9749999999999996 -> 2.97.  The mean of
 * 2.8, 2.4, 1.5, 3.2 with Ruby's compensated sum is 9.9/4 -> 2.475 -> 2.48;
 * libmlg's blocked sum gives 2.4749999999999996 -> 2.47. */
static void test_canvas_ties(void **state)
{
    (void)state;
    mlg_method_params p;
    mlg_result r;
    const double s1[2] = {2, 3.5};
    assert_int_equal(mlg_preset_init("canvas_outcome", &p), MLG_OK);
    assert_int_equal(mlg_series_compute(2, NULL, s1, NULL, NULL, NULL, &p, &r,
                                        NULL), MLG_OK);
    assert_double_near(r.rounded, 2.98, 0.0);
    assert_int_equal(r.level, 1); /* floor: 2 <= 2.98 < 3, level "2" */
    p.arith = MLG_ARITH_LIBMLG;
    assert_int_equal(mlg_series_compute(2, NULL, s1, NULL, NULL, NULL, &p, &r,
                                        NULL), MLG_OK);
    assert_double_near(r.rounded, 2.97, 0.0);

    const double s2[4] = {2.8, 2.4, 1.5, 3.2};
    assert_int_equal(mlg_method_params_init(&p, MLG_METHOD_MEAN), MLG_OK);
    p.decimals = 2;
    p.arith = MLG_ARITH_CANVAS;
    assert_int_equal(mlg_series_compute(4, NULL, s2, NULL, NULL, NULL, &p, &r,
                                        NULL), MLG_OK);
    assert_double_near(r.rounded, 2.48, 0.0);
    p.arith = MLG_ARITH_LIBMLG;
    assert_int_equal(mlg_series_compute(4, NULL, s2, NULL, NULL, NULL, &p, &r,
                                        NULL), MLG_OK);
    assert_double_near(r.rounded, 2.47, 0.0);

    /* n_mastery without mastery points (mastery "none") is N/A in Canvas
     * (RollupScore#n_mastery_set: nil without a rubric criterion). */
    const double s3[3] = {4, 4, 4};
    assert_int_equal(mlg_method_params_init(&p, MLG_METHOD_N_MASTERY), MLG_OK);
    p.arith = MLG_ARITH_CANVAS;
    p.decimals = 2;
    p.n = 2;
    assert_int_equal(mlg_method_params_set(&p, "mastery", "none"), MLG_OK);
    assert_int_equal(mlg_series_compute(3, NULL, s3, NULL, NULL, NULL, &p, &r,
                                        NULL), MLG_OK);
    assert_int_equal(r.level, MLG_LEVEL_NA);
    assert_true(isnan(r.value));
}

/* Canvas's arithmetic on random series, rounding ties included: the
 * canvas arithmetic's 2-decimal score equals the independent
 * re-implementation above bit for bit (N/A exactly when Canvas says nil),
 * in the series and the batch path.  Scores are multiples of 0.05 in
 * [0, 4], so sums land on ties often; the test also counts series where
 * libmlg's own arithmetic rounds differently, and requires some, so it
 * could not pass with the Canvas arithmetic switched off. */
static void test_canvas_random(void **state)
{
    (void)state;
    static const int32_t methods[CV_COUNT] = {
        MLG_METHOD_MEAN, MLG_METHOD_WEIGHTED_AVERAGE,
        MLG_METHOD_DECAYING_AVERAGE, MLG_METHOD_N_MASTERY,
        MLG_METHOD_HIGHEST, MLG_METHOD_MOST_RECENT};
    mlg_scale sc;
    const double v5[5] = {0, 1, 2, 3, 4};
    assert_int_equal(mlg_scale_init(&sc, 5, v5), MLG_OK);
    uint64_t seed = 0xCA17A5ull;
    size_t differ = 0, compared = 0;
    enum { TRIALS = 20000, MAXN = 8 };
    int64_t *off = malloc((TRIALS + 1) * sizeof *off);
    double *all = malloc(TRIALS * MAXN * sizeof *all);
    double *bv = malloc(TRIALS * sizeof *bv);
    double *want = malloc(TRIALS * sizeof *want);
    assert_non_null(off);
    assert_non_null(all);
    assert_non_null(bv);
    assert_non_null(want);
    for (int how = 0; how < CV_COUNT; how++) {
        mlg_method_params p;
        assert_int_equal(mlg_method_params_init(&p, methods[how]), MLG_OK);
        p.arith = MLG_ARITH_CANVAS;
        p.decimals = 2;
        p.rounding = MLG_ROUND_FLOOR;
        int k = how == CV_DECAYING ? 80 : 65;
        off[0] = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            if (trial % 16 == 0) /* a new weight every 16 series */
                k = how == CV_DECAYING ? 50 + (int)((seed >> 40) % 50)
                                       : 1 + (int)((seed >> 40) % 99);
            const size_t n = 1 + (size_t)((seed >> 33) % MAXN);
            double *s = all + off[trial];
            for (size_t i = 0; i < n; i++) {
                seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                s[i] = (double)((seed >> 33) % 81) * 0.05;
            }
            off[trial + 1] = off[trial] + (int64_t)n;
            p.weight = k / 100.0;
            p.n = 1 + (int32_t)((seed >> 20) % 4);
            p.mastery = (double)((seed >> 24) % 5);
            const double w = canvas_score(how, s, n, k, p.n, p.mastery);
            mlg_result r;
            assert_int_equal(mlg_series_compute(n, NULL, s, NULL, NULL, &sc,
                                                &p, &r, NULL), MLG_OK);
            if (isnan(w) ? r.level != MLG_LEVEL_NA
                         : memcmp(&w, &r.rounded, sizeof w) != 0)
                fail_msg("method %s k %d n %zu trial %d: libmlg %.17g, "
                         "Canvas %.17g", mlg_method_name(methods[how]), k, n,
                         trial, r.rounded, w);
            compared++;
            mlg_method_params q = p;
            q.arith = MLG_ARITH_LIBMLG;
            mlg_result rl;
            assert_int_equal(mlg_series_compute(n, NULL, s, NULL, NULL, &sc,
                                                &q, &rl, NULL), MLG_OK);
            differ += !isnan(w) && rl.rounded != r.rounded;
            want[trial] = r.value;
        }
        /* The batch path on the same series, one parameter set (n_mastery
         * parameters and the weight as of the last series). */
        if (how == CV_AVERAGE || how == CV_HIGHEST || how == CV_LATEST) {
            assert_int_equal(mlg_batch_compute(TRIALS, off, NULL, all, NULL,
                                               NULL, &sc, &p, 2, bv, NULL,
                                               NULL, NULL), MLG_OK);
            if (memcmp(bv, want, TRIALS * sizeof *bv) != 0)
                fail_msg("%s: batch differs from series",
                         mlg_method_name(methods[how]));
        }
    }
    free(off);
    free(all);
    free(bv);
    free(want);
    printf("canvas: %zu series compared, %zu where libmlg's arithmetic rounds "
           "differently\n", compared, differ);
    assert_true(differ > 0);
}

static void test_rounding_applied(void **state)
{
    (void)state;
    const double z[4] = Z;
    mlg_method_params p;
    mlg_method_params_init(&p, MLG_METHOD_DECAYING_AVERAGE);
    p.rounding = MLG_ROUND_FLOOR;
    p.decimals = 2;
    mlg_result r;
    assert_int_equal(mlg_series_compute(4, NULL, z, NULL, NULL, NULL, &p, &r,
                                        NULL), MLG_OK);
    assert_double_near(r.value, 2.834625, TOL);
    assert_double_near(r.rounded, 2.83, 1e-15);
    assert_int_equal(r.level, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_value_table),
        cmocka_unit_test(test_decay_weights),
        cmocka_unit_test(test_fits_match_gsl),
        cmocka_unit_test(test_long_series),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_error_table),
        cmocka_unit_test(test_nan_after_as_of),
        cmocka_unit_test(test_overflow_value),
        cmocka_unit_test(test_tiny_weights),
        cmocka_unit_test(test_null_pointers),
        cmocka_unit_test(test_bad_params_and_scale),
        cmocka_unit_test(test_kernel_row_base),
        cmocka_unit_test(test_huge_count),
        cmocka_unit_test(test_rounding_applied),
        cmocka_unit_test(test_shortcuts_match_long_way),
        cmocka_unit_test(test_canvas_ties),
        cmocka_unit_test(test_canvas_random),
    };
    return cmocka_run_group_tests_name("methods", tests, NULL, NULL);
}
