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
    q.reserved = 0;
    q.log_shift = 0.0;
    *p = q;
    return MLG_OK;
}

/* Range checks shared by validate and set, one field at a time. */
static int check_n(int32_t n) { return n >= 1 ? MLG_OK : MLG_EINVAL; }
static int check_missing(int32_t m)
{
    return m == MLG_MISSING_IGNORE || m == MLG_MISSING_LOWEST ? MLG_OK
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

int mlg_method_params_validate(const mlg_method_params *p)
{
    if (!p)
        return MLG_ENULL;
    if (p->method < 0 || p->method >= MLG_METHOD_COUNT)
        return MLG_ENOTFOUND;
    int s;
    if ((s = check_n(p->n)) != MLG_OK ||
        (s = mlg__check_tie(p->tie)) != MLG_OK ||
        (s = check_missing(p->missing)) != MLG_OK ||
        (s = mlg__check_rounding(p->rounding)) != MLG_OK ||
        (s = check_weight(p->weight)) != MLG_OK ||
        (s = mlg__check_finite(p->mastery)) != MLG_OK ||
        (s = check_half_life(p->half_life_days)) != MLG_OK ||
        (s = mlg__check_decimals(p->decimals)) != MLG_OK ||
        (s = mlg__check_finite(p->log_shift)) != MLG_OK)
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

static int check_any_day(int32_t d)
{
    (void)d;
    return MLG_OK;
}

int mlg_method_params_set(mlg_method_params *p, const char *key,
                          const char *value)
{
    if (!p || !key || !value)
        return MLG_ENULL;
    /* Work on a copy: *p is untouched on error. */
    mlg_method_params q = *p;
    int s;
    if (strcmp(key, "n") == 0)
        s = set_int(&q.n, value, check_n);
    else if (strcmp(key, "tie") == 0)
        s = set_word(&q.tie, value, mlg__tie_words, 3);
    else if (strcmp(key, "missing") == 0)
        s = set_word(&q.missing, value, missing_words, 2);
    else if (strcmp(key, "weight") == 0)
        s = set_double(&q.weight, value, check_weight);
    else if (strcmp(key, "mastery") == 0)
        s = set_double(&q.mastery, value, mlg__check_finite);
    else if (strcmp(key, "half_life_days") == 0)
        s = set_double(&q.half_life_days, value, check_half_life);
    else if (strcmp(key, "as_of") == 0) {
        /* Ten characters with a '-' at position 4 can only be a date: a
         * day number never has a '-' after its first character. */
        if (strlen(value) == 10 && value[4] == '-')
            s = parse_iso_date(value, &q.as_of);
        else
            s = set_int(&q.as_of, value, check_any_day);
    } else if (strcmp(key, "rounding") == 0)
        s = set_word(&q.rounding, value, mlg__rounding_words, 4);
    else if (strcmp(key, "decimals") == 0)
        s = set_int(&q.decimals, value, mlg__check_decimals);
    else if (strcmp(key, "log_shift") == 0)
        s = set_double(&q.log_shift, value, mlg__check_finite);
    else
        s = MLG_ENOTFOUND;
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
} preset;

static const preset presets[] = {
    /* Canvas: the account default calculation is "highest score"; scores
     * are shown rounded to 2 decimals and the rating is the highest one
     * whose points are <= the score. */
    {"canvas_default", MLG_METHOD_HIGHEST, MLG_TIE_RECENT, MLG_ROUND_FLOOR, 2,
     0.65},
    /* Canvas "weighted average" (formerly "decaying average"), default
     * 65% on the latest score. */
    {"canvas_outcome", MLG_METHOD_WEIGHTED_AVERAGE, MLG_TIE_RECENT,
     MLG_ROUND_FLOOR, 2, 0.65},
    /* Schoology's recursive decaying average, default 75%. */
    {"schoology", MLG_METHOD_DECAYING_AVERAGE, MLG_TIE_RECENT,
     MLG_ROUND_HALF_UP, 6, 0.75},
    /* MasteryConnect's mode: ties go to the higher score. */
    {"masteryconnect_mode", MLG_METHOD_MODE, MLG_TIE_HIGHEST,
     MLG_ROUND_HALF_UP, 6, 0.65},
    /* JumpRope's power law (Marzano). */
    {"jumprope_power", MLG_METHOD_POWER_LAW, MLG_TIE_RECENT,
     MLG_ROUND_HALF_UP, 6, 0.65},
    /* Educate's mode: ties go to the most recent score. */
    {"educate_mode", MLG_METHOD_MODE, MLG_TIE_RECENT, MLG_ROUND_HALF_UP, 6,
     0.65},
    /* Empower's "true score": the best of mean, trend line, power law. */
    {"empower_true_score", MLG_METHOD_BEST_FIT, MLG_TIE_RECENT,
     MLG_ROUND_HALF_UP, 6, 0.65},
    /* ASCENDER: the larger of mean and power law. */
    {"ascender", MLG_METHOD_MAX_MEAN_POWER_LAW, MLG_TIE_RECENT,
     MLG_ROUND_HALF_UP, 6, 0.65},
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
