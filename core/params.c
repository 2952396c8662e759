/* SPDX-License-Identifier: GPL-3.0-or-later */
/* params.c -- method parameters: defaults, validation, names, text
 * parsing (mlg_method_params_set) and product presets. */
#include "mlg_internal.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int mlg_method_params_init(mlg_method_params *p, int32_t method)
{
    if (!p)
        return MLG_ENULL;
    if (method < 0 || method >= MLG_METHOD_COUNT)
        return MLG_ENOTFOUND;
    mlg_method_params q;
    memset(&q, 0, sizeof q);
    q.method = method;
    /* n is >= 1 for every method (validate checks it whatever the method);
     * each row of the method table says its default. */
    q.n = mlg__method_table[method].default_n;
    q.tie = MLG_TIE_RECENT;
    q.missing = MLG_MISSING_IGNORE;
    q.weight = 0.65;
    q.mastery = 3.0;
    q.half_life_days = 30.0;
    q.as_of = MLG_DAY_NONE;
    q.rounding = MLG_ROUND_HALF_UP;
    q.decimals = 6;
    q.arith = MLG_ARITH_LIBMLG;
    q.log_shift = 0.0;
    *p = q;
    return MLG_OK;
}

/* Range checks shared by validate and set, one field at a time.  The
 * bounds are also the key table's (below), which lists them. */
#define LOG_SHIFT_MAX 1000.0
static int check_n(int32_t n) { return n >= 1 ? MLG_OK : MLG_EINVAL; }
static int check_missing(int32_t m)
{
    return m == MLG_MISSING_IGNORE || m == MLG_MISSING_LOWEST ? MLG_OK
                                                              : MLG_EINVAL;
}
static int check_arith(int32_t a)
{
    return a == MLG_ARITH_LIBMLG || a == MLG_ARITH_CANVAS ? MLG_OK
                                                          : MLG_EINVAL;
}
static int check_weight(double w)
{
    if (!isfinite(w))
        return MLG_ENAN;
    return w > 0.0 && w <= 1.0 ? MLG_OK : MLG_EINVAL;
}
static int check_half_life(double h)
{
    if (!isfinite(h))
        return MLG_ENAN;
    return h > 0.0 ? MLG_OK : MLG_EINVAL;
}
/* Finding: with log_shift 1e17, ln(3 + 1e17) == ln(1e17) and the power law
 * of 3,3,3 came out 4; within +-1000 a score on any sane scale keeps about
 * 13 significant digits inside the logarithm. */
static int check_log_shift(double s)
{
    if (!isfinite(s))
        return MLG_ENAN;
    return s >= -LOG_SHIFT_MAX && s <= LOG_SHIFT_MAX ? MLG_OK : MLG_EINVAL;
}

/* Canvas's methods and ranges, from the method table's rows (Canvas's
 * OutcomeCalculationMethod VALID_CALCULATION_INTS), and its fixed
 * PRECISION = 2 (RollupScore). */
static int check_canvas(const mlg_method_params *p)
{
    if (p->decimals != 2)
        return MLG_EINVAL;
    const mlg__canvas_int *ci = &mlg__method_table[p->method].canvas;
    int32_t v;
    switch (ci->kind) {
    case MLG__CANVAS_PLAIN:
        return MLG_OK;
    case MLG__CANVAS_N:
        v = p->n;
        break;
    case MLG__CANVAS_PERCENT:
        v = mlg__canvas_percent(p->weight);
        break;
    default:
        return MLG_EINVAL; /* Canvas has no such method */
    }
    return v >= ci->lo && v <= ci->hi ? MLG_OK : MLG_EINVAL;
}

int32_t mlg__canvas_percent(double w)
{
    /* Canvas's calculation_int is a whole percent; 0.65 * 100 is
     * 65.00000000000001, so allow a hair of binary noise, no more. */
    const double k = w * 100.0;
    const double r = round(k);
    return fabs(k - r) <= 1e-9 && r >= 0 && r <= 100 ? (int32_t)r : -1;
}

int mlg_method_params_validate(const mlg_method_params *p)
{
    if (!p)
        return MLG_ENULL;
    if (p->method < 0 || p->method >= MLG_METHOD_COUNT)
        return MLG_ENOTFOUND;
    for (size_t i = 0; i < sizeof p->reserved_i / sizeof p->reserved_i[0];
         i++)
        if (p->reserved_i[i] != 0)
            return MLG_EINVAL;
    for (size_t i = 0; i < sizeof p->reserved_d / sizeof p->reserved_d[0];
         i++)
        if (p->reserved_d[i] != 0.0)
            return MLG_EINVAL;
    int s;
    /* Canvas: mastery NaN means the outcome has no mastery points. */
    const int canvas = p->arith == MLG_ARITH_CANVAS;
    if ((s = check_n(p->n)) != MLG_OK ||
        (s = mlg__check_tie(p->tie)) != MLG_OK ||
        (s = check_missing(p->missing)) != MLG_OK ||
        (s = mlg__check_rounding(p->rounding)) != MLG_OK ||
        (s = check_arith(p->arith)) != MLG_OK ||
        (s = check_weight(p->weight)) != MLG_OK ||
        (!(canvas && isnan(p->mastery)) &&
         (s = mlg__check_finite(p->mastery)) != MLG_OK) ||
        (s = check_half_life(p->half_life_days)) != MLG_OK ||
        (s = mlg__check_decimals(p->decimals)) != MLG_OK ||
        (s = check_log_shift(p->log_shift)) != MLG_OK ||
        (canvas && (s = check_canvas(p)) != MLG_OK))
        return s;
    return MLG_OK;
}

int mlg_method_from_name(const char *name, int32_t *method)
{
    if (!name || !method)
        return MLG_ENULL;
    for (int32_t i = 0; i < MLG_METHOD_COUNT; i++) {
        if (strcmp(mlg__method_table[i].name, name) == 0) {
            *method = i;
            return MLG_OK;
        }
    }
    return MLG_ENOTFOUND;
}

const char *mlg_method_name(int32_t method)
{
    if (method < 0 || method >= MLG_METHOD_COUNT)
        return NULL;
    return mlg__method_table[method].name;
}

/* ---------------------------------------------------------------- text -- */

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (H. Hinnant's days_from_civil, exact for every year representable here:
 * eras of 400 years, March-based years so the leap day ends the year). */
static int32_t days_from_civil(int32_t y, int32_t m, int32_t d)
{
    y -= m <= 2;
    const int32_t era = (y >= 0 ? y : y - 399) / 400;
    const int32_t yoe = y - era * 400;                               /* 0..399 */
    const int32_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* 0..365 */
    const int32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;      /* 0..146096 */
    return era * 146097 + doe - 719468;
}

static int is_leap(int32_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* "YYYY-MM-DD" exactly (four-digit year 0000..9999), a real calendar date.
 * The caller has checked that t is 10 characters long.  Returns MLG_EFORMAT
 * for anything else, including 2023-02-30. */
static int parse_iso_date(const char *t, int32_t *day)
{
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (t[i] != '-')
                return MLG_EFORMAT;
        } else if (!(t[i] >= '0' && t[i] <= '9')) {
            return MLG_EFORMAT;
        }
    }
    const int32_t y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 +
                      (t[2] - '0') * 10 + (t[3] - '0');
    const int32_t m = (t[5] - '0') * 10 + (t[6] - '0');
    const int32_t d = (t[8] - '0') * 10 + (t[9] - '0');
    static const int32_t mdays[12] = {31, 28, 31, 30, 31, 30,
                                      31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return MLG_EFORMAT;
    const int32_t last = mdays[m - 1] + (m == 2 && is_leap(y));
    if (d < 1 || d > last)
        return MLG_EFORMAT;
    *day = days_from_civil(y, m, d);
    return MLG_OK;
}

static const char *const missing_words[] = {"ignore", "lowest"};

/* Parse an enum word into *field (MLG_ENOTFOUND if unknown). */
static int set_word(int32_t *field, const char *value,
                    const char *const *list, int32_t n)
{
    const int32_t i = mlg__find_word(value, list, n);
    if (i < 0)
        return MLG_ENOTFOUND;
    *field = i;
    return MLG_OK;
}

/* Parse an int32 into *field and range-check it with check. */
static int set_int(int32_t *field, const char *value, int (*check)(int32_t))
{
    int32_t v = 0;
    int s = mlg__parse_int32(value, &v);
    if (s == MLG_OK)
        s = check(v);
    if (s == MLG_OK)
        *field = v;
    return s;
}

/* Parse a double into *field and range-check it with check. */
static int set_double(double *field, const char *value, int (*check)(double))
{
    double v = 0.0;
    int s = mlg__parse_double(value, &v);
    if (s == MLG_OK)
        s = check(v);
    if (s == MLG_OK)
        *field = v;
    return s;
}

/* Any day number but MLG_DAY_NONE itself, which means "no reference day"
 * and is spelt "none": a number that happens to equal the sentinel would
 * otherwise switch the reference day off silently. */
static int check_any_day(int32_t d)
{
    return d == MLG_DAY_NONE ? MLG_EINVAL : MLG_OK;
}

static const char *const arith_words[] = {"libmlg", "canvas"};

/* ------------------------------------------------------------ key table -- */

/* Every key of mlg_method_params_set(), indexed by MLG__PK_* (the bits the
 * method table's rows use), with what mlg_method_param_info() lists. */
typedef struct key_desc {
    const char *key, *words, *default_text, *help;
    int32_t kind;
    double min, max;
    int32_t min_open, max_open;
} key_desc;

static const key_desc keys[MLG__PK_COUNT] = {
    [MLG__PK_N] = {"n", "", NULL,
                   "window or count (recent_*, highest_mean, n_mastery, "
                   "consistent_recent)",
                   MLG_PARAM_INT, 1, INT32_MAX, 0, 0},
    [MLG__PK_TIE] = {"tie", "recent|highest|lowest", "recent",
                     "which tied value a mode reports",
                     MLG_PARAM_WORD, -INFINITY, INFINITY, 0, 0},
    [MLG__PK_MISSING] = {"missing", "ignore|lowest", "ignore",
                         "missing evidence ignored or counted as the "
                         "scale's lowest score",
                         MLG_PARAM_WORD, -INFINITY, INFINITY, 0, 0},
    [MLG__PK_WEIGHT] = {"weight", "", "0.65",
                        "weight of the newest score (decaying and weighted "
                        "averages)",
                        MLG_PARAM_REAL, 0, 1, 1, 0},
    [MLG__PK_MASTERY] = {"mastery", "", "3",
                         "n_mastery threshold score (none: no mastery "
                         "points, arith canvas only)",
                         MLG_PARAM_REAL, -INFINITY, INFINITY, 0, 0},
    [MLG__PK_HALF_LIFE_DAYS] = {"half_life_days", "", "30",
                                "time_decay half-life in days",
                                MLG_PARAM_REAL, 0, INFINITY, 1, 1},
    [MLG__PK_AS_OF] = {"as_of", "", "none",
                       "time_decay reference day (day number or "
                       "YYYY-MM-DD; none: the last evidence's day)",
                       MLG_PARAM_DAY, INT32_MIN + 1.0, INT32_MAX, 0, 0},
    [MLG__PK_ROUNDING] = {"rounding", "half_up|half_even|floor|cuts",
                          "half_up", "how a value becomes a level",
                          MLG_PARAM_WORD, -INFINITY, INFINITY, 0, 0},
    [MLG__PK_DECIMALS] = {"decimals", "", "6",
                          "decimals the value is rounded to first (-1: none)",
                          MLG_PARAM_INT, -1, 9, 0, 0},
    [MLG__PK_LOG_SHIFT] = {"log_shift", "", "0",
                           "power law fits ln(score + log_shift)",
                           MLG_PARAM_REAL, -LOG_SHIFT_MAX, LOG_SHIFT_MAX, 0,
                           0},
    [MLG__PK_ARITH] = {"arith", "libmlg|canvas", "libmlg",
                       "arithmetic conventions (canvas: Canvas's to the last "
                       "digit)",
                       MLG_PARAM_WORD, -INFINITY, INFINITY, 0, 0},
};

/* Whole numbers as text for n's per-method default (the table's rows). */
static const char *const small_ints[] = {"0", "1", "2", "3", "4", "5",
                                         "6", "7", "8", "9", "10"};

size_t mlg_method_param_count(void) { return MLG__PK_COUNT; }

int mlg_method_param_info(int32_t method, size_t i, mlg_param_info *out)
{
    if (!out)
        return MLG_ENULL;
    if (method < 0 || method >= MLG_METHOD_COUNT || i >= MLG__PK_COUNT)
        return MLG_ENOTFOUND;
    const key_desc *k = &keys[i];
    mlg_method_params d;
    (void)mlg_method_params_init(&d, method);
    mlg_param_info r;
    memset(&r, 0, sizeof r);
    r.key = k->key;
    r.words = k->words;
    r.help = k->help;
    r.kind = k->kind;
    r.used = (mlg__method_table[method].keys & MLG__PK_BIT(i)) != 0;
    r.min = k->min;
    r.max = k->max;
    r.min_open = k->min_open;
    r.max_open = k->max_open;
    r.default_text = k->default_text;
    switch (i) {
    case MLG__PK_N:
        r.default_value = d.n;
        r.default_text = small_ints[d.n]; /* rows keep n in 1..10 */
        break;
    case MLG__PK_TIE: r.default_value = d.tie; break;
    case MLG__PK_MISSING: r.default_value = d.missing; break;
    case MLG__PK_WEIGHT: r.default_value = d.weight; break;
    case MLG__PK_MASTERY: r.default_value = d.mastery; break;
    case MLG__PK_HALF_LIFE_DAYS: r.default_value = d.half_life_days; break;
    case MLG__PK_AS_OF: r.default_value = d.as_of; break;
    case MLG__PK_ROUNDING: r.default_value = d.rounding; break;
    case MLG__PK_DECIMALS: r.default_value = d.decimals; break;
    case MLG__PK_LOG_SHIFT: r.default_value = d.log_shift; break;
    default: r.default_value = d.arith; break;
    }
    *out = r;
    return MLG_OK;
}

/* mastery: a number, or "none" (NaN: no mastery points). */
static int set_mastery(double *field, const char *value)
{
    if (strcmp(value, "none") == 0) {
        *field = NAN;
        return MLG_OK;
    }
    return set_double(field, value, mlg__check_finite);
}

int mlg_method_params_set(mlg_method_params *p, const char *key,
                          const char *value)
{
    if (!p || !key || !value)
        return MLG_ENULL;
    int32_t i = 0;
    while (i < MLG__PK_COUNT && strcmp(key, keys[i].key) != 0)
        i++;
    if (i == MLG__PK_COUNT)
        return MLG_ENOTFOUND;
    /* Work on a copy: *p is untouched on error. */
    mlg_method_params q = *p;
    int s;
    switch (i) {
    case MLG__PK_N:
        s = set_int(&q.n, value, check_n);
        break;
    case MLG__PK_TIE:
        s = set_word(&q.tie, value, mlg__tie_words, 3);
        break;
    case MLG__PK_MISSING:
        s = set_word(&q.missing, value, missing_words, 2);
        break;
    case MLG__PK_WEIGHT:
        s = set_double(&q.weight, value, check_weight);
        break;
    case MLG__PK_MASTERY:
        s = set_mastery(&q.mastery, value);
        break;
    case MLG__PK_HALF_LIFE_DAYS:
        s = set_double(&q.half_life_days, value, check_half_life);
        break;
    case MLG__PK_AS_OF:
        /* Ten characters with a '-' at position 4 can only be a date: a
         * day number never has a '-' after its first character. */
        if (strcmp(value, "none") == 0) {
            q.as_of = MLG_DAY_NONE;
            s = MLG_OK;
        } else if (strlen(value) == 10 && value[4] == '-') {
            s = parse_iso_date(value, &q.as_of);
        } else {
            s = set_int(&q.as_of, value, check_any_day);
        }
        break;
    case MLG__PK_ROUNDING:
        s = set_word(&q.rounding, value, mlg__rounding_words, 4);
        break;
    case MLG__PK_DECIMALS:
        s = set_int(&q.decimals, value, mlg__check_decimals);
        break;
    case MLG__PK_LOG_SHIFT:
        s = set_double(&q.log_shift, value, check_log_shift);
        break;
    default:
        s = set_word(&q.arith, value, arith_words, 2);
        break;
    }
    if (s == MLG_OK)
        *p = q;
    return s;
}

/* ------------------------------------------------------------- presets -- */

/* What each product reports; sources in docs/levels.md ("Presets"). */
typedef struct preset {
    const char *name;
    int32_t method;
    int32_t tie;
    int32_t rounding;
    int32_t decimals;
    double weight;
    int32_t arith;
} preset;

static const preset presets[] = {
    /* Canvas: the account default calculation is "highest score"; scores
     * are shown rounded to 2 decimals and the rating is the highest one
     * whose points are <= the score. */
    {"canvas_default", MLG_METHOD_HIGHEST, MLG_TIE_RECENT, MLG_ROUND_FLOOR, 2,
     0.65, MLG_ARITH_CANVAS},
    /* Canvas "weighted average" (formerly "decaying average"), default
     * 65% on the latest score. */
    {"canvas_outcome", MLG_METHOD_WEIGHTED_AVERAGE, MLG_TIE_RECENT,
     MLG_ROUND_FLOOR, 2, 0.65, MLG_ARITH_CANVAS},
    /* Schoology's recursive decaying average, default 75%. */
    {"schoology", MLG_METHOD_DECAYING_AVERAGE, MLG_TIE_RECENT,
     MLG_ROUND_HALF_UP, 6, 0.75, MLG_ARITH_LIBMLG},
    /* MasteryConnect's mode: ties go to the higher score. */
    {"masteryconnect_mode", MLG_METHOD_MODE, MLG_TIE_HIGHEST,
     MLG_ROUND_HALF_UP, 6, 0.65, MLG_ARITH_LIBMLG},
    /* JumpRope's power law (Marzano). */
    {"jumprope_power", MLG_METHOD_POWER_LAW, MLG_TIE_RECENT,
     MLG_ROUND_HALF_UP, 6, 0.65, MLG_ARITH_LIBMLG},
    /* Educate's mode: ties go to the most recent score. */
    {"educate_mode", MLG_METHOD_MODE, MLG_TIE_RECENT, MLG_ROUND_HALF_UP, 6,
     0.65, MLG_ARITH_LIBMLG},
    /* Empower's "true score": the best of mean, trend line, power law. */
    {"empower_true_score", MLG_METHOD_BEST_FIT, MLG_TIE_RECENT,
     MLG_ROUND_HALF_UP, 6, 0.65, MLG_ARITH_LIBMLG},
    /* ASCENDER: the larger of mean and power law. */
    {"ascender", MLG_METHOD_MAX_MEAN_POWER_LAW, MLG_TIE_RECENT,
     MLG_ROUND_HALF_UP, 6, 0.65, MLG_ARITH_LIBMLG},
};
#define PRESET_COUNT (sizeof presets / sizeof presets[0])

int mlg_preset_init(const char *name, mlg_method_params *p)
{
    if (!name || !p)
        return MLG_ENULL;
    for (size_t i = 0; i < PRESET_COUNT; i++) {
        if (strcmp(presets[i].name, name) == 0) {
            mlg_method_params q;
            (void)mlg_method_params_init(&q, presets[i].method);
            q.tie = presets[i].tie;
            q.rounding = presets[i].rounding;
            q.decimals = presets[i].decimals;
            q.weight = presets[i].weight;
            q.arith = presets[i].arith;
            *p = q;
            return MLG_OK;
        }
    }
    return MLG_ENOTFOUND;
}

const char *mlg_preset_name(size_t i)
{
    return i < PRESET_COUNT ? presets[i].name : NULL;
}
