/* SPDX-License-Identifier: GPL-3.0-or-later */
/* method_table.c -- the method table: one row per method (name, flags,
 * the parameter keys it reads, its default n, its kernel).  The kernels'
 * arithmetic lives in kernels.h; this file instantiates them once for the
 * single-series path (mlg__series_run in methods.c), and batch.c
 * instantiates the same source in its block loop. */
#include "kernels.h"

#define PK(k) MLG__PK_BIT(MLG__PK_##k)
#define NO_CANVAS {MLG__CANVAS_NONE, 0, 0}

const mlg__method_desc mlg__method_table[MLG_METHOD_COUNT] = {
    /* Canvas ranges: OutcomeCalculationMethod::VALID_CALCULATION_INTS
     * (instructure/canvas-lms); names mapped in docs/levels.md. */
    [MLG_METHOD_MEAN] = {"mean", MLG__MF_NAN_PROPAGATES, MLG__PK_COMMON, 3,
                         kern_mean, {MLG__CANVAS_PLAIN, 0, 0}},
    [MLG_METHOD_MEDIAN] = {"median", 0, MLG__PK_COMMON, 3, kern_median,
                           NO_CANVAS},
    [MLG_METHOD_MODE] = {"mode", 0, MLG__PK_COMMON | PK(TIE), 3, kern_mode,
                         NO_CANVAS},
    [MLG_METHOD_MOST_RECENT] = {"most_recent", 0, MLG__PK_COMMON, 3,
                                kern_most_recent, {MLG__CANVAS_PLAIN, 0, 0}},
    [MLG_METHOD_HIGHEST] = {"highest", 0, MLG__PK_COMMON, 3, kern_highest,
                            {MLG__CANVAS_PLAIN, 0, 0}},
    [MLG_METHOD_LOWEST] = {"lowest", 0, MLG__PK_COMMON, 3, kern_lowest,
                           NO_CANVAS},
    /* n = 3: Educate's "average of 3 highest" and the recent windows. */
    [MLG_METHOD_RECENT_MEAN] = {"recent_mean", 0, MLG__PK_COMMON | PK(N), 3,
                                kern_recent_mean, NO_CANVAS},
    [MLG_METHOD_RECENT_MEDIAN] = {"recent_median", 0, MLG__PK_COMMON | PK(N),
                                  3, kern_recent_median, NO_CANVAS},
    [MLG_METHOD_RECENT_MODE] = {"recent_mode", 0,
                                MLG__PK_COMMON | PK(N) | PK(TIE), 3,
                                kern_recent_mode, NO_CANVAS},
    [MLG_METHOD_HIGHEST_MEAN] = {"highest_mean", 0, MLG__PK_COMMON | PK(N), 3,
                                 kern_highest_mean, NO_CANVAS},
    [MLG_METHOD_DECAYING_AVERAGE] = {"decaying_average",
                                     MLG__MF_NAN_PROPAGATES |
                                         MLG__MF_ABS_WEIGHTS,
                                     MLG__PK_COMMON | PK(WEIGHT), 3,
                                     kern_decaying_average,
                                     {MLG__CANVAS_PERCENT, 50, 99}},
    [MLG_METHOD_WEIGHTED_AVERAGE] = {"weighted_average",
                                     MLG__MF_NAN_PROPAGATES,
                                     MLG__PK_COMMON | PK(WEIGHT), 3,
                                     kern_weighted_average,
                                     {MLG__CANVAS_PERCENT, 1, 99}},
    /* n = 5: Canvas's default for "n number of times". */
    [MLG_METHOD_N_MASTERY] = {"n_mastery", 0,
                              MLG__PK_COMMON | PK(N) | PK(MASTERY), 5,
                              kern_n_mastery, {MLG__CANVAS_N, 1, 10}},
    [MLG_METHOD_POWER_LAW] = {"power_law",
                              MLG__MF_NAN_PROPAGATES | MLG__MF_LOG_DOMAIN,
                              MLG__PK_COMMON | PK(LOG_SHIFT), 3,
                              kern_power_law, NO_CANVAS},
    [MLG_METHOD_LINEAR_TREND] = {"linear_trend", MLG__MF_NAN_PROPAGATES,
                                 MLG__PK_COMMON, 3, kern_linear_trend,
                                 NO_CANVAS},
    /* best_fit skips the power curve when a score is outside its domain,
     * so it has no MLG__MF_LOG_DOMAIN. */
    [MLG_METHOD_BEST_FIT] = {"best_fit", MLG__MF_NAN_PROPAGATES,
                             MLG__PK_COMMON | PK(LOG_SHIFT), 3,
                             kern_best_fit, NO_CANVAS},
    [MLG_METHOD_MAX_MEAN_POWER_LAW] = {"max_mean_power_law",
                                       MLG__MF_NAN_PROPAGATES |
                                           MLG__MF_LOG_DOMAIN,
                                       MLG__PK_COMMON | PK(LOG_SHIFT), 3,
                                       kern_max_mean_power_law, NO_CANVAS},
    /* Not NaN-propagating: a NaN dated after as_of never reaches its sum. */
    [MLG_METHOD_TIME_DECAY] = {"time_decay", MLG__MF_NEEDS_DAYS,
                               MLG__PK_COMMON | PK(HALF_LIFE_DAYS) |
                                   PK(AS_OF),
                               3, kern_time_decay, NO_CANVAS},
    /* n = 2: the bulletin's "more recent or consistent performance". */
    [MLG_METHOD_CONSISTENT_RECENT] = {"consistent_recent", 0,
                                      MLG__PK_COMMON | PK(N), 2,
                                      kern_consistent_recent, NO_CANVAS},
};

void mlg__pow_tab_fill(mlg__pow_tab *t)
{
    for (size_t k = 2; k <= MLG__POW_TAB_K; k++)
        pow_row(k, t->x[k], &t->sx[k], &t->den[k], &t->shift_x[k]);
}
