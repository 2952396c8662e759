/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_params.c -- method parameters: mlg_method_params_init, _validate,
 * mlg_method_from_name, mlg_method_name, mlg_method_params_set and the
 * presets (mlg_preset_init, mlg_preset_name). */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, setenv */

#include "mlg.h"
#include "mlg_test.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* The pinned names (mlg.h comments next to each MLG_METHOD_*) and the
 * default n of each method (mlg.h, mlg_method_params.n: recent_* 3,
 * highest_mean 3, n_mastery 5, consistent_recent 2; 3 where unused). */
static const struct {
    int32_t method;
    const char *name;
    int32_t n;
} methods[] = {
    {MLG_METHOD_MEAN, "mean", 3},
    {MLG_METHOD_MEDIAN, "median", 3},
    {MLG_METHOD_MODE, "mode", 3},
    {MLG_METHOD_MOST_RECENT, "most_recent", 3},
    {MLG_METHOD_HIGHEST, "highest", 3},
    {MLG_METHOD_LOWEST, "lowest", 3},
    {MLG_METHOD_RECENT_MEAN, "recent_mean", 3},
    {MLG_METHOD_RECENT_MEDIAN, "recent_median", 3},
    {MLG_METHOD_RECENT_MODE, "recent_mode", 3},
    {MLG_METHOD_HIGHEST_MEAN, "highest_mean", 3},
    {MLG_METHOD_DECAYING_AVERAGE, "decaying_average", 3},
    {MLG_METHOD_WEIGHTED_AVERAGE, "weighted_average", 3},
    {MLG_METHOD_N_MASTERY, "n_mastery", 5},
    {MLG_METHOD_POWER_LAW, "power_law", 3},
    {MLG_METHOD_LINEAR_TREND, "linear_trend", 3},
    {MLG_METHOD_BEST_FIT, "best_fit", 3},
    {MLG_METHOD_MAX_MEAN_POWER_LAW, "max_mean_power_law", 3},
    {MLG_METHOD_TIME_DECAY, "time_decay", 3},
    {MLG_METHOD_CONSISTENT_RECENT, "consistent_recent", 2},
};
#define N_METHODS (sizeof methods / sizeof methods[0])

/* Assert every field other than method and n holds the mlg.h default. */
static void assert_other_defaults(const char *name, const mlg_method_params *p)
{
    assert_status_case(name, p->tie, MLG_TIE_RECENT);
    assert_status_case(name, p->missing, MLG_MISSING_IGNORE);
    assert_double_near_case(name, p->weight, 0.65, 0.0);
    assert_double_near_case(name, p->mastery, 3.0, 0.0);
    assert_double_near_case(name, p->half_life_days, 30.0, 0.0);
    assert_int_equal(p->as_of, MLG_DAY_NONE);
    assert_int_equal(p->arith, MLG_ARITH_LIBMLG);
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(p->reserved_i[i], 0);
        assert_true(p->reserved_d[i] == 0.0);
    }
    assert_double_near_case(name, p->log_shift, 0.0, 0.0);
}

/* mlg.h, mlg_method_params: every default as documented. */
static void test_init_defaults(void **state)
{
    (void)state;
    assert_int_equal(N_METHODS, MLG_METHOD_COUNT);
    for (size_t k = 0; k < N_METHODS; k++) {
        mlg_method_params p;
        fill(&p, sizeof p);
        assert_status_case(methods[k].name,
                           mlg_method_params_init(&p, methods[k].method),
                           MLG_OK);
        assert_int_equal(p.method, methods[k].method);
        assert_int_equal(p.n, methods[k].n);
        assert_int_equal(p.rounding, MLG_ROUND_HALF_UP);
        assert_int_equal(p.decimals, 6);
        assert_other_defaults(methods[k].name, &p);
        assert_status_case(methods[k].name, mlg_method_params_validate(&p),
                           MLG_OK);
    }
}

/* Ensure mlg_method_params_init returns MLG_ENULL / MLG_ENOTFOUND and
 * leaves *p untouched. */
static void test_init_errors(void **state)
{
    (void)state;
    mlg_method_params p;
    fill(&p, sizeof p);
    assert_int_equal(mlg_method_params_init(NULL, MLG_METHOD_MEAN),
                     MLG_ENULL);
    assert_int_equal(mlg_method_params_init(&p, -1), MLG_ENOTFOUND);
    assert_int_equal(mlg_method_params_init(&p, MLG_METHOD_COUNT),
                     MLG_ENOTFOUND);
    assert_int_equal(mlg_method_params_init(&p, INT32_MIN), MLG_ENOTFOUND);
    assert_true(untouched(&p, sizeof p));
}

/* Ensure mlg_method_params_validate reports each field out of range,
 * whether or not the method uses it (mean is the method throughout). */
typedef void (*breaker)(mlg_method_params *p);
static void b_method_neg(mlg_method_params *p) { p->method = -1; }
static void b_method_big(mlg_method_params *p) { p->method = MLG_METHOD_COUNT; }
static void b_n0(mlg_method_params *p) { p->n = 0; }
static void b_nneg(mlg_method_params *p) { p->n = -3; }
static void b_tie(mlg_method_params *p) { p->tie = 3; }
static void b_tie_neg(mlg_method_params *p) { p->tie = -1; }
static void b_missing(mlg_method_params *p) { p->missing = 2; }
static void b_rounding(mlg_method_params *p) { p->rounding = 4; }
static void b_rounding_neg(mlg_method_params *p) { p->rounding = -1; }
static void b_w0(mlg_method_params *p) { p->weight = 0.0; }
static void b_w15(mlg_method_params *p) { p->weight = 1.5; }
static void b_wneg(mlg_method_params *p) { p->weight = -0.25; }
static void b_wnan(mlg_method_params *p) { p->weight = NAN; }
static void b_winf(mlg_method_params *p) { p->weight = INFINITY; }
static void b_mastery_nan(mlg_method_params *p) { p->mastery = NAN; }
static void b_mastery_inf(mlg_method_params *p) { p->mastery = -INFINITY; }
static void b_hl0(mlg_method_params *p) { p->half_life_days = 0.0; }
static void b_hlneg(mlg_method_params *p) { p->half_life_days = -7.0; }
static void b_hlinf(mlg_method_params *p) { p->half_life_days = INFINITY; }
static void b_hlnan(mlg_method_params *p) { p->half_life_days = NAN; }
static void b_dec_lo(mlg_method_params *p) { p->decimals = -2; }
static void b_dec_hi(mlg_method_params *p) { p->decimals = 10; }
static void b_shift_nan(mlg_method_params *p) { p->log_shift = NAN; }
static void b_shift_inf(mlg_method_params *p) { p->log_shift = INFINITY; }
/* valid edges */
static void v_w1(mlg_method_params *p) { p->weight = 1.0; }
static void v_wtiny(mlg_method_params *p) { p->weight = 1e-300; }
static void v_mastery_neg(mlg_method_params *p) { p->mastery = -2.385; }
static void v_hl_tiny(mlg_method_params *p) { p->half_life_days = 1e-9; }
static void v_dec_m1(mlg_method_params *p) { p->decimals = -1; }
static void v_dec_9(mlg_method_params *p) { p->decimals = 9; }
static void v_as_of(mlg_method_params *p) { p->as_of = INT32_MAX; }
static void v_n_big(mlg_method_params *p) { p->n = INT32_MAX; }
static void v_shift_neg(mlg_method_params *p) { p->log_shift = -0.5; }
static void v_missing_lowest(mlg_method_params *p) { p->missing = 1; }
static void v_tie_lowest(mlg_method_params *p) { p->tie = 2; }
static void v_rounding_cuts(mlg_method_params *p) { p->rounding = 3; }

static void test_validate_table(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        breaker f;
        int want;
    } cases[] = {
        {"method -1", b_method_neg, MLG_ENOTFOUND},
        {"method COUNT", b_method_big, MLG_ENOTFOUND},
        {"n 0", b_n0, MLG_EINVAL},
        {"n -3", b_nneg, MLG_EINVAL},
        {"tie 3", b_tie, MLG_EINVAL},
        {"tie -1", b_tie_neg, MLG_EINVAL},
        {"missing 2", b_missing, MLG_EINVAL},
        {"rounding 4", b_rounding, MLG_EINVAL},
        {"rounding -1", b_rounding_neg, MLG_EINVAL},
        {"weight 0", b_w0, MLG_EINVAL},
        {"weight 1.5", b_w15, MLG_EINVAL},
        {"weight -0.25", b_wneg, MLG_EINVAL},
        {"weight NaN", b_wnan, MLG_ENAN},
        {"weight inf", b_winf, MLG_ENAN},
        {"mastery NaN", b_mastery_nan, MLG_ENAN},
        {"mastery -inf", b_mastery_inf, MLG_ENAN},
        {"half_life 0", b_hl0, MLG_EINVAL},
        {"half_life -7", b_hlneg, MLG_EINVAL},
        {"half_life inf", b_hlinf, MLG_ENAN},
        {"half_life NaN", b_hlnan, MLG_ENAN},
        {"decimals -2", b_dec_lo, MLG_EINVAL},
        {"decimals 10", b_dec_hi, MLG_EINVAL},
        {"log_shift NaN", b_shift_nan, MLG_ENAN},
        {"log_shift inf", b_shift_inf, MLG_ENAN},
        {"weight 1 (closed end)", v_w1, MLG_OK},
        {"weight 1e-300", v_wtiny, MLG_OK},
        {"mastery -2.385", v_mastery_neg, MLG_OK},
        {"half_life 1e-9", v_hl_tiny, MLG_OK},
        {"decimals -1", v_dec_m1, MLG_OK},
        {"decimals 9", v_dec_9, MLG_OK},
        {"as_of INT32_MAX", v_as_of, MLG_OK},
        {"n INT32_MAX", v_n_big, MLG_OK},
        {"log_shift -0.5", v_shift_neg, MLG_OK},
        {"missing lowest", v_missing_lowest, MLG_OK},
        {"tie lowest", v_tie_lowest, MLG_OK},
        {"rounding cuts", v_rounding_cuts, MLG_OK},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        mlg_method_params p;
        assert_int_equal(mlg_method_params_init(&p, MLG_METHOD_MEAN), MLG_OK);
        cases[k].f(&p);
        assert_status_case(cases[k].name, mlg_method_params_validate(&p),
                           cases[k].want);
    }
    assert_int_equal(mlg_method_params_validate(NULL), MLG_ENULL);
}

/* mlg.h: names are pinned with the constants and round-trip. */
static void test_names(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_METHODS; k++) {
        assert_string_equal(mlg_method_name(methods[k].method),
                            methods[k].name);
        int32_t m = -7;
        assert_status_case(methods[k].name,
                           mlg_method_from_name(methods[k].name, &m), MLG_OK);
        assert_int_equal(m, methods[k].method);
    }
    assert_null(mlg_method_name(-1));
    assert_null(mlg_method_name(MLG_METHOD_COUNT));
    assert_null(mlg_method_name(INT32_MAX));
}

/* Ensure mlg_method_from_name returns MLG_ENULL / MLG_ENOTFOUND and leaves
 * *method untouched. */
static void test_from_name_errors(void **state)
{
    (void)state;
    int32_t m = -7;
    assert_int_equal(mlg_method_from_name(NULL, &m), MLG_ENULL);
    assert_int_equal(mlg_method_from_name("mean", NULL), MLG_ENULL);
    static const char *const bad[] = {"Mean",      "",          "power law",
                                      "mean ",     "decaying",  "canvas_default",
                                      "MLG_METHOD_MEAN"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_status_case(bad[i], mlg_method_from_name(bad[i], &m),
                           MLG_ENOTFOUND);
    assert_int_equal(m, -7);
}

/* mlg.h, mlg_method_params_set(): one key from text, parsed strictly. */
enum field { F_N, F_TIE, F_MISSING, F_WEIGHT, F_MASTERY, F_HALF_LIFE,
             F_AS_OF, F_ROUNDING, F_DECIMALS, F_LOG_SHIFT };

static const struct {
    const char *key;
    const char *value;
    enum field field;
    double expect; /* the field's new value (ints compared exactly) */
    const char *why;
} set_ok[] = {
    {"n", "5", F_N, 5, ""},
    {"n", "+7", F_N, 7, "explicit sign"},
    {"n", "1", F_N, 1, "smallest"},
    {"n", "2147483647", F_N, 2147483647.0, "INT32_MAX"},
    {"tie", "recent", F_TIE, MLG_TIE_RECENT, ""},
    {"tie", "highest", F_TIE, MLG_TIE_HIGHEST, ""},
    {"tie", "lowest", F_TIE, MLG_TIE_LOWEST, ""},
    {"missing", "ignore", F_MISSING, MLG_MISSING_IGNORE, ""},
    {"missing", "lowest", F_MISSING, MLG_MISSING_LOWEST, ""},
    {"weight", "0.75", F_WEIGHT, 0.75, "Schoology's default"},
    {"weight", "1", F_WEIGHT, 1.0, "closed end of (0,1]"},
    {"weight", "1e-3", F_WEIGHT, 0.001, "exponent"},
    {"weight", "0x1p-2", F_WEIGHT, 0.25, "hexadecimal, as strtod reads it"},
    {"weight", ".65", F_WEIGHT, 0.65, "no leading digit"},
    {"mastery", "2.385", F_MASTERY, 2.385, ""},
    {"mastery", "-1", F_MASTERY, -1.0, "any finite value"},
    {"half_life_days", "14", F_HALF_LIFE, 14.0, ""},
    {"half_life_days", "0.5", F_HALF_LIFE, 0.5, ""},
    {"as_of", "19000", F_AS_OF, 19000, "day number"},
    {"as_of", "-5", F_AS_OF, -5, "negative day number"},
    {"as_of", "1970-01-01", F_AS_OF, 0, "the epoch"},
    {"as_of", "1969-12-31", F_AS_OF, -1, "the day before"},
    /* 1970..1999: 30*365 + 7 leap days (72..96) = 10957 = 2000-01-01;
     * + 31 (Jan) + 29 (Feb 2000: divisible by 400, leap) = 11017 */
    {"as_of", "2000-03-01", F_AS_OF, 11017, "after a 400-year leap day"},
    {"as_of", "2000-02-29", F_AS_OF, 11016, "the 400-year leap day"},
    /* 1970..2017: 48*365 + 12 leap days = 17532; + 212 (Jan-Jul) + 2 */
    {"as_of", "2018-08-03", F_AS_OF, 17746, "BUL-2332.7's date"},
    /* 1970..2023: 54*365 + 13 leap days (72..2020) = 19723; + 31 + 28 */
    {"as_of", "2024-02-29", F_AS_OF, 19782, "leap day"},
    /* 1900-01-01 is -25567 (70*365 + 17 leap days 1904..1968); 1900 is not
     * a leap year: + 31 + 28 = -25508 */
    {"as_of", "1900-03-01", F_AS_OF, -25508, "century, not leap"},
    /* 0000-03-01 is the algorithm's own epoch, 719468 days before 1970 */
    {"as_of", "0000-03-01", F_AS_OF, -719468, "year 0 (proleptic)"},
    {"as_of", "9999-12-31", F_AS_OF, 2932896, "largest date"},
    {"rounding", "half_up", F_ROUNDING, MLG_ROUND_HALF_UP, ""},
    {"rounding", "half_even", F_ROUNDING, MLG_ROUND_HALF_EVEN, ""},
    {"rounding", "floor", F_ROUNDING, MLG_ROUND_FLOOR, ""},
    {"rounding", "cuts", F_ROUNDING, MLG_ROUND_CUTS, ""},
    {"decimals", "-1", F_DECIMALS, -1, "no rounding"},
    {"decimals", "0", F_DECIMALS, 0, ""},
    {"decimals", "9", F_DECIMALS, 9, "largest"},
    {"log_shift", "0.5", F_LOG_SHIFT, 0.5, ""},
    {"log_shift", "-0.25", F_LOG_SHIFT, -0.25, ""},
};

static double field_value(const mlg_method_params *p, enum field f)
{
    switch (f) {
    case F_N: return p->n;
    case F_TIE: return p->tie;
    case F_MISSING: return p->missing;
    case F_WEIGHT: return p->weight;
    case F_MASTERY: return p->mastery;
    case F_HALF_LIFE: return p->half_life_days;
    case F_AS_OF: return p->as_of;
    case F_ROUNDING: return p->rounding;
    case F_DECIMALS: return p->decimals;
    case F_LOG_SHIFT: return p->log_shift;
    }
    return NAN;
}

static void test_set_ok(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof set_ok / sizeof set_ok[0]; k++) {
        char name[64];
        snprintf(name, sizeof name, "%s=%s", set_ok[k].key, set_ok[k].value);
        mlg_method_params p, before;
        assert_int_equal(mlg_method_params_init(&p, MLG_METHOD_TIME_DECAY),
                         MLG_OK);
        before = p;
        assert_status_case(name,
                           mlg_method_params_set(&p, set_ok[k].key,
                                                 set_ok[k].value),
                           MLG_OK);
        assert_double_near_case(name, field_value(&p, set_ok[k].field),
                                set_ok[k].expect, 0.0);
        /* Only that field changed. */
        for (int f = F_N; f <= F_LOG_SHIFT; f++)
            if (f != (int)set_ok[k].field)
                assert_double_near_case(name, field_value(&p, (enum field)f),
                                        field_value(&before, (enum field)f),
                                        0.0);
        assert_int_equal(p.method, MLG_METHOD_TIME_DECAY);
        assert_status_case(name, mlg_method_params_validate(&p), MLG_OK);
    }
}

/* Ensure mlg_method_params_set returns the documented error and leaves *p
 * untouched for bad keys, bad words, malformed numbers (trailing garbage,
 * blanks, empty), out-of-range and non-finite values and invalid dates. */
static const struct {
    const char *key;
    const char *value;
    int want;
} set_bad[] = {
    {"N", "3", MLG_ENOTFOUND},            /* keys are case-sensitive */
    {"method", "mean", MLG_ENOTFOUND},    /* not a parameter key */
    {"", "3", MLG_ENOTFOUND},
    {"weight ", "0.5", MLG_ENOTFOUND},
    {"n", "0", MLG_EINVAL},
    {"n", "-1", MLG_EINVAL},
    {"n", "2147483648", MLG_EINVAL},      /* INT32_MAX + 1 */
    {"n", "99999999999999999999", MLG_EINVAL}, /* overflows long */
    {"n", "3x", MLG_EFORMAT},
    {"n", "", MLG_EFORMAT},
    {"n", " 3", MLG_EFORMAT},
    {"n", "3 ", MLG_EFORMAT},
    {"n", "3.0", MLG_EFORMAT},
    {"n", "0x10", MLG_EFORMAT},
    {"n", "-", MLG_EFORMAT},
    {"n", "three", MLG_EFORMAT},
    {"tie", "Highest", MLG_ENOTFOUND},
    {"tie", "", MLG_ENOTFOUND},
    {"tie", "1", MLG_ENOTFOUND},
    {"missing", "zero", MLG_ENOTFOUND},
    /* The sentinel MLG_DAY_NONE is spelt "none", never as its number
     * (issue 14, finding 13: --as_of -2147483648 switched the day off). */
    {"as_of", "-2147483648", MLG_EINVAL},
    {"weight", "0", MLG_EINVAL},
    {"weight", "1.5", MLG_EINVAL},
    {"weight", "-0.5", MLG_EINVAL},
    {"weight", "1e-400", MLG_EINVAL},     /* underflows to 0 */
    {"weight", "nan", MLG_ENAN},
    {"weight", "inf", MLG_ENAN},
    {"weight", "1e999", MLG_ENAN},        /* overflows to inf */
    {"weight", "0.65abc", MLG_EFORMAT},
    {"weight", "0.65 ", MLG_EFORMAT},
    {"weight", " 0.65", MLG_EFORMAT},
    {"weight", "\t0.65", MLG_EFORMAT},
    {"weight", "", MLG_EFORMAT},
    {"weight", "abc", MLG_EFORMAT},
    {"weight", "0,65", MLG_EFORMAT},
    {"weight", "65%", MLG_EFORMAT},
    {"mastery", "x", MLG_EFORMAT},
    {"mastery", "nan", MLG_ENAN},
    {"mastery", "-inf", MLG_ENAN},
    {"half_life_days", "0", MLG_EINVAL},
    {"half_life_days", "-3", MLG_EINVAL},
    {"half_life_days", "inf", MLG_ENAN},
    {"half_life_days", "30d", MLG_EFORMAT},
    {"as_of", "2023-02-30", MLG_EFORMAT},  /* no such day */
    {"as_of", "2023-02-29", MLG_EFORMAT},  /* 2023 is not a leap year */
    {"as_of", "1900-02-29", MLG_EFORMAT},  /* 1900 is not a leap year */
    {"as_of", "2023-04-31", MLG_EFORMAT},
    {"as_of", "2023-13-01", MLG_EFORMAT},
    {"as_of", "2023-00-10", MLG_EFORMAT},
    {"as_of", "2023-01-00", MLG_EFORMAT},
    {"as_of", "2023-1-01", MLG_EFORMAT},
    {"as_of", "2023-01-1", MLG_EFORMAT},
    {"as_of", "2023-02-3x", MLG_EFORMAT},
    {"as_of", "2023/02/03", MLG_EFORMAT},
    {"as_of", "2023-01x01", MLG_EFORMAT},
    {"as_of", "abcd-ef-gh", MLG_EFORMAT},
    {"as_of", "-100-01-01", MLG_EFORMAT},
    {"as_of", "2023-01-01T00", MLG_EFORMAT},
    {"as_of", "12x", MLG_EFORMAT},
    {"as_of", "", MLG_EFORMAT},
    {"as_of", "2147483648", MLG_EINVAL},
    {"rounding", "nearest", MLG_ENOTFOUND},
    {"rounding", "HALF_UP", MLG_ENOTFOUND},
    {"decimals", "10", MLG_EINVAL},
    {"decimals", "-2", MLG_EINVAL},
    {"decimals", "2.5", MLG_EFORMAT},
    {"log_shift", "nan", MLG_ENAN},
    {"log_shift", "1e999", MLG_ENAN},
    {"log_shift", "0.5.5", MLG_EFORMAT},
};

static void test_set_errors(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof set_bad / sizeof set_bad[0]; k++) {
        char name[64];
        snprintf(name, sizeof name, "%s='%s'", set_bad[k].key,
                 set_bad[k].value);
        mlg_method_params p, before;
        assert_int_equal(mlg_method_params_init(&p, MLG_METHOD_MEAN), MLG_OK);
        before = p;
        assert_status_case(name,
                           mlg_method_params_set(&p, set_bad[k].key,
                                                 set_bad[k].value),
                           set_bad[k].want);
        assert_memory_equal(&p, &before, sizeof p);
    }
}

/* Ensure mlg_method_params_set returns MLG_ENULL for each NULL pointer. */
static void test_set_null(void **state)
{
    (void)state;
    mlg_method_params p, before;
    assert_int_equal(mlg_method_params_init(&p, MLG_METHOD_MEAN), MLG_OK);
    before = p;
    assert_int_equal(mlg_method_params_set(NULL, "n", "3"), MLG_ENULL);
    assert_int_equal(mlg_method_params_set(&p, NULL, "3"), MLG_ENULL);
    assert_int_equal(mlg_method_params_set(&p, "n", NULL), MLG_ENULL);
    assert_memory_equal(&p, &before, sizeof p);
}

/* mlg.h, presets: what each product reports (sources in docs/levels.md). */
static const struct {
    const char *name;
    int32_t method;
    int32_t tie;
    int32_t rounding;
    int32_t decimals;
    double weight;
    const char *source;
} presets[] = {
    {"canvas_default", MLG_METHOD_HIGHEST, MLG_TIE_RECENT, MLG_ROUND_FLOOR, 2,
     0.65, "Canvas RollupScore: method || 'highest', PRECISION = 2"},
    {"canvas_outcome", MLG_METHOD_WEIGHTED_AVERAGE, MLG_TIE_RECENT,
     MLG_ROUND_FLOOR, 2, 0.65, "Canvas guides: 65/35 by default"},
    {"schoology", MLG_METHOD_DECAYING_AVERAGE, MLG_TIE_RECENT,
     MLG_ROUND_HALF_UP, 6, 0.75, "Schoology: default decay rate 75%"},
    {"masteryconnect_mode", MLG_METHOD_MODE, MLG_TIE_HIGHEST,
     MLG_ROUND_HALF_UP, 6, 0.65, "methods-in-the-field.md: ties higher"},
    {"jumprope_power", MLG_METHOD_POWER_LAW, MLG_TIE_RECENT,
     MLG_ROUND_HALF_UP, 6, 0.65, "methods-in-the-field.md"},
    {"educate_mode", MLG_METHOD_MODE, MLG_TIE_RECENT, MLG_ROUND_HALF_UP, 6,
     0.65, "methods-in-the-field.md: ties most recent"},
    {"empower_true_score", MLG_METHOD_BEST_FIT, MLG_TIE_RECENT,
     MLG_ROUND_HALF_UP, 6, 0.65, "methods-in-the-field.md"},
    {"ascender", MLG_METHOD_MAX_MEAN_POWER_LAW, MLG_TIE_RECENT,
     MLG_ROUND_HALF_UP, 6, 0.65, "methods-in-the-field.md"},
};
#define N_PRESETS (sizeof presets / sizeof presets[0])

static void test_presets(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_PRESETS; k++) {
        const char *name = presets[k].name;
        mlg_method_params p;
        fill(&p, sizeof p);
        assert_status_case(name, mlg_preset_init(name, &p), MLG_OK);
        assert_int_equal(p.method, presets[k].method);
        assert_int_equal(p.tie, presets[k].tie);
        assert_int_equal(p.rounding, presets[k].rounding);
        assert_int_equal(p.decimals, presets[k].decimals);
        assert_double_near_case(name, p.weight, presets[k].weight, 0.0);
        /* everything else is the method's default */
        mlg_method_params d;
        assert_int_equal(mlg_method_params_init(&d, presets[k].method),
                         MLG_OK);
        assert_int_equal(p.n, d.n);
        assert_int_equal(p.missing, d.missing);
        assert_double_near_case(name, p.mastery, d.mastery, 0.0);
        assert_double_near_case(name, p.half_life_days, d.half_life_days,
                                0.0);
        assert_int_equal(p.as_of, d.as_of);
        for (size_t i = 0; i < 6; i++) {
            assert_int_equal(p.reserved_i[i], 0);
            assert_true(p.reserved_d[i] == 0.0);
        }
        assert_double_near_case(name, p.log_shift, d.log_shift, 0.0);
        assert_status_case(name, mlg_method_params_validate(&p), MLG_OK);
    }
}

/* mlg.h, mlg_preset_name(): the i-th preset, NULL past the end; every
 * listed name is accepted by mlg_preset_init(). */
static void test_preset_names(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_PRESETS; k++) {
        assert_non_null(mlg_preset_name(k));
        assert_string_equal(mlg_preset_name(k), presets[k].name);
    }
    assert_null(mlg_preset_name(N_PRESETS));
    assert_null(mlg_preset_name(SIZE_MAX));
}

/* Ensure mlg_preset_init returns MLG_ENULL / MLG_ENOTFOUND, *p untouched. */
/* ------------------------------------------------- key listing (mlg.h) -- */

/* mlg.h, mlg_method_param_info(): eleven keys in a stable order; weight is
 * a real in (0, 1], default "0.65", read by weighted_average and not by
 * mean; n_mastery's n defaults to 5, consistent_recent's to 2. */
static void test_param_info(void **state)
{
    (void)state;
    assert_int_equal(mlg_method_param_count(), 11);
    mlg_param_info pi;
    assert_int_equal(mlg_method_param_info(MLG_METHOD_WEIGHTED_AVERAGE, 3, &pi),
                     MLG_OK);
    assert_string_equal(pi.key, "weight");
    assert_int_equal(pi.kind, MLG_PARAM_REAL);
    assert_int_equal(pi.used, 1);
    assert_true(pi.min == 0.0 && pi.max == 1.0);
    assert_int_equal(pi.min_open, 1);
    assert_int_equal(pi.max_open, 0);
    assert_string_equal(pi.default_text, "0.65");
    assert_true(pi.default_value == 0.65);
    assert_int_equal(mlg_method_param_info(MLG_METHOD_MEAN, 3, &pi), MLG_OK);
    assert_int_equal(pi.used, 0);
    assert_int_equal(mlg_method_param_info(MLG_METHOD_N_MASTERY, 0, &pi),
                     MLG_OK);
    assert_string_equal(pi.key, "n");
    assert_string_equal(pi.default_text, "5");
    assert_int_equal(mlg_method_param_info(MLG_METHOD_CONSISTENT_RECENT, 0,
                                           &pi), MLG_OK);
    assert_string_equal(pi.default_text, "2");
    assert_int_equal(mlg_method_param_info(MLG_METHOD_MODE, 1, &pi), MLG_OK);
    assert_string_equal(pi.key, "tie");
    assert_string_equal(pi.words, "recent|highest|lowest");
    assert_int_equal(pi.used, 1);
    assert_int_equal(mlg_method_param_info(MLG_METHOD_POWER_LAW, 9, &pi),
                     MLG_OK);
    assert_string_equal(pi.key, "log_shift");
    assert_true(pi.min == -1000.0 && pi.max == 1000.0);

    /* Every key, for every method: its default text read back through
     * mlg_method_params_set() leaves the defaults as they are, and the
     * numeric default is the field's. */
    for (int32_t m = 0; m < MLG_METHOD_COUNT; m++) {
        mlg_method_params d, q;
        assert_int_equal(mlg_method_params_init(&d, m), MLG_OK);
        q = d;
        for (size_t i = 0; i < mlg_method_param_count(); i++) {
            assert_int_equal(mlg_method_param_info(m, i, &pi), MLG_OK);
            const int rc = mlg_method_params_set(&q, pi.key, pi.default_text);
            if (rc != MLG_OK)
                fail_msg("%s %s=%s: %d", mlg_method_name(m), pi.key,
                         pi.default_text, rc);
        }
        if (memcmp(&d, &q, sizeof d) != 0)
            fail_msg("%s: defaults as text do not read back",
                     mlg_method_name(m));
    }
}

/* Ensure mlg_method_param_info() returns errors for a NULL out, an unknown
 * method and an index past the end, leaving *out untouched. */
static void test_param_info_errors(void **state)
{
    (void)state;
    mlg_param_info pi;
    assert_int_equal(mlg_method_param_info(MLG_METHOD_MEAN, 0, NULL),
                     MLG_ENULL);
    fill(&pi, sizeof pi);
    assert_int_equal(mlg_method_param_info(-1, 0, &pi), MLG_ENOTFOUND);
    assert_int_equal(mlg_method_param_info(MLG_METHOD_COUNT, 0, &pi),
                     MLG_ENOTFOUND);
    assert_int_equal(mlg_method_param_info(MLG_METHOD_MEAN,
                                           mlg_method_param_count(), &pi),
                     MLG_ENOTFOUND);
    assert_true(untouched(&pi, sizeof pi));
}

/* mlg.h, ABI policy: a nonzero reserved field is refused (MLG_EINVAL). */
static void test_reserved_must_be_zero(void **state)
{
    (void)state;
    mlg_method_params p;
    assert_int_equal(mlg_method_params_init(&p, MLG_METHOD_MEAN), MLG_OK);
    p.reserved_i[5] = 1;
    assert_int_equal(mlg_method_params_validate(&p), MLG_EINVAL);
    assert_int_equal(mlg_method_params_init(&p, MLG_METHOD_MEAN), MLG_OK);
    p.reserved_d[0] = 0.5;
    assert_int_equal(mlg_method_params_validate(&p), MLG_EINVAL);
}

/* Issue 14, finding 11: power_law with log_shift 1e17 on 3,3,3 gave 4
 * (ln(3 + 1e17) == ln(1e17)).  mlg.h: log_shift lies in [-1000, 1000];
 * at the bound, 3,3,3 still gives 3 (hand-worked: every y is equal, so the
 * slope is 0 and the fit is ln(1003), whose exp less 1000 is 3 to about
 * 1e-12, rounded to 6 decimals). */
static void test_log_shift_bounded(void **state)
{
    (void)state;
    mlg_method_params p;
    assert_int_equal(mlg_method_params_init(&p, MLG_METHOD_POWER_LAW), MLG_OK);
    assert_int_equal(mlg_method_params_set(&p, "log_shift", "1e17"),
                     MLG_EINVAL);
    assert_int_equal(mlg_method_params_set(&p, "log_shift", "-1000.5"),
                     MLG_EINVAL);
    assert_true(p.log_shift == 0.0);
    p.log_shift = 1e17;
    assert_int_equal(mlg_method_params_validate(&p), MLG_EINVAL);
    const double s[3] = {3, 3, 3};
    mlg_result r;
    assert_int_equal(mlg_series_compute(3, NULL, s, NULL, NULL, NULL, &p, &r,
                                        NULL), MLG_EINVAL);
    assert_int_equal(mlg_method_params_set(&p, "log_shift", "1000"), MLG_OK);
    assert_int_equal(mlg_series_compute(3, NULL, s, NULL, NULL, NULL, &p, &r,
                                        NULL), MLG_OK);
    assert_double_near(r.rounded, 3.0, 0.0);
    assert_int_equal(r.level, 2); /* CCS level "3" */
}

/* mlg.h, MLG_ARITH_CANVAS: Canvas's ranges (OutcomeCalculationMethod
 * VALID_CALCULATION_INTS: weighted_average 1..99, standard decaying average
 * 50..99, n_mastery 1..10), whole percents, decimals 2, Canvas's methods
 * only; mastery "none" (NaN) only under canvas. */
static void test_canvas_ranges(void **state)
{
    (void)state;
    static const struct { const char *name; int32_t method; double weight;
                          int32_t n, decimals; int expect; } cases[] = {
        {"weighted 65%", MLG_METHOD_WEIGHTED_AVERAGE, 0.65, 3, 2, MLG_OK},
        {"weighted 1%", MLG_METHOD_WEIGHTED_AVERAGE, 0.01, 3, 2, MLG_OK},
        {"weighted 100%", MLG_METHOD_WEIGHTED_AVERAGE, 1.0, 3, 2, MLG_EINVAL},
        {"weighted 65.5%", MLG_METHOD_WEIGHTED_AVERAGE, 0.655, 3, 2,
         MLG_EINVAL},
        {"decaying 50%", MLG_METHOD_DECAYING_AVERAGE, 0.5, 3, 2, MLG_OK},
        {"decaying 49%", MLG_METHOD_DECAYING_AVERAGE, 0.49, 3, 2, MLG_EINVAL},
        {"decaying 99%", MLG_METHOD_DECAYING_AVERAGE, 0.99, 3, 2, MLG_OK},
        {"n_mastery 10", MLG_METHOD_N_MASTERY, 0.65, 10, 2, MLG_OK},
        {"n_mastery 11", MLG_METHOD_N_MASTERY, 0.65, 11, 2, MLG_EINVAL},
        {"mean", MLG_METHOD_MEAN, 0.65, 3, 2, MLG_OK},
        {"mean 6 decimals", MLG_METHOD_MEAN, 0.65, 3, 6, MLG_EINVAL},
        {"median", MLG_METHOD_MEDIAN, 0.65, 3, 2, MLG_EINVAL},
        {"power_law", MLG_METHOD_POWER_LAW, 0.65, 3, 2, MLG_EINVAL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mlg_method_params p;
        assert_int_equal(mlg_method_params_init(&p, cases[i].method), MLG_OK);
        assert_int_equal(mlg_method_params_set(&p, "arith", "canvas"), MLG_OK);
        p.weight = cases[i].weight;
        p.n = cases[i].n;
        p.decimals = cases[i].decimals;
        assert_status_case(cases[i].name, mlg_method_params_validate(&p),
                           cases[i].expect);
    }
    mlg_method_params p;
    assert_int_equal(mlg_method_params_init(&p, MLG_METHOD_N_MASTERY), MLG_OK);
    assert_int_equal(mlg_method_params_set(&p, "mastery", "none"), MLG_OK);
    assert_true(isnan(p.mastery));
    assert_int_equal(mlg_method_params_validate(&p), MLG_ENAN);
    p.decimals = 2;
    assert_int_equal(mlg_method_params_set(&p, "arith", "canvas"), MLG_OK);
    assert_int_equal(mlg_method_params_validate(&p), MLG_OK);
    assert_int_equal(mlg_method_params_set(&p, "arith", "ruby"),
                     MLG_ENOTFOUND);
    p.arith = 2;
    assert_int_equal(mlg_method_params_validate(&p), MLG_EINVAL);
}

/* A locale whose decimal separator is a comma: an installed one, else one
 * compiled here with localedef into a temporary LOCPATH.  Returns its name
 * or NULL (the caller then skips, saying why). */
static char locale_dir[32]; /* the temporary LOCPATH, if one was made */

static const char *comma_locale(void)
{
    static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8",
                                        "fr_FR.UTF-8", "nl_NL.UTF-8"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (setlocale(LC_NUMERIC, names[i]))
            return names[i];
    char *const dir = locale_dir;
    snprintf(dir, sizeof locale_dir, "/tmp/mlg_locale_XXXXXX");
    if (!mkdtemp(dir)) {
        dir[0] = '\0';
        return NULL;
    }
    char cmd[256];
    snprintf(cmd, sizeof cmd,
             "localedef -i de_DE -f UTF-8 %s/de_DE.UTF-8 >/dev/null 2>&1",
             dir);
    if (system(cmd) != 0)
        return NULL;
    setenv("LOCPATH", dir, 1);
    return setlocale(LC_NUMERIC, "de_DE.UTF-8") ? "de_DE.UTF-8" : NULL;
}

/* Issue 11: under LC_NUMERIC=de_DE.UTF-8, `weight=0.75` failed and `0,75`
 * succeeded.  mlg.h, mlg_method_params_set(): numbers are read as in the
 * "C" locale whatever LC_NUMERIC says. */
static void test_set_locale_independent(void **state)
{
    (void)state;
    const char *loc = comma_locale();
    if (!loc) {
        printf("SKIP test_set_locale_independent: no comma locale is "
               "installed and localedef could not build de_DE.UTF-8\n");
        return;
    }
    /* The locale really uses a comma (else the test proves nothing). */
    assert_string_equal(localeconv()->decimal_point, ",");
    mlg_method_params p;
    assert_int_equal(mlg_method_params_init(&p, MLG_METHOD_DECAYING_AVERAGE),
                     MLG_OK);
    assert_int_equal(mlg_method_params_set(&p, "weight", "0.75"), MLG_OK);
    assert_true(p.weight == 0.75);
    assert_int_equal(mlg_method_params_set(&p, "weight", "0,5"), MLG_EFORMAT);
    assert_true(p.weight == 0.75);
    assert_int_equal(mlg_method_params_set(&p, "half_life_days", "12.5"),
                     MLG_OK);
    assert_true(p.half_life_days == 12.5);
    /* Formatting too: a scale label and an error message print 2.5 and
     * 9.5, not 2,5 and 9,5. */
    mlg_scale sc;
    const double vals[3] = {1, 2.5, 4};
    assert_int_equal(mlg_scale_init(&sc, 3, vals), MLG_OK);
    assert_string_equal(sc.label[1], "2.5");
    const double s[2] = {2, 9.5};
    mlg_result r;
    mlg_errinfo e;
    assert_int_equal(mlg_series_compute(2, NULL, s, NULL, NULL, NULL, &p, &r,
                                        &e), MLG_ESCALE);
    assert_non_null(strstr(e.message, "score 9.5 is outside"));
    setlocale(LC_NUMERIC, "C");
    if (locale_dir[0]) {
        char cmd[64];
        snprintf(cmd, sizeof cmd, "rm -rf %s", locale_dir);
        if (system(cmd) != 0)
            printf("note: could not remove %s\n", locale_dir);
    }
}

static void test_preset_errors(void **state)
{
    (void)state;
    mlg_method_params p;
    fill(&p, sizeof p);
    assert_int_equal(mlg_preset_init(NULL, &p), MLG_ENULL);
    assert_int_equal(mlg_preset_init("schoology", NULL), MLG_ENULL);
    static const char *const bad[] = {"canvas", "Schoology", "", "mean",
                                      "schoology "};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_status_case(bad[i], mlg_preset_init(bad[i], &p),
                           MLG_ENOTFOUND);
    assert_true(untouched(&p, sizeof p));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_defaults),
        cmocka_unit_test(test_init_errors),
        cmocka_unit_test(test_validate_table),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_from_name_errors),
        cmocka_unit_test(test_set_ok),
        cmocka_unit_test(test_set_errors),
        cmocka_unit_test(test_set_null),
        cmocka_unit_test(test_presets),
        cmocka_unit_test(test_preset_names),
        cmocka_unit_test(test_preset_errors),
        cmocka_unit_test(test_param_info),
        cmocka_unit_test(test_param_info_errors),
        cmocka_unit_test(test_reserved_must_be_zero),
        cmocka_unit_test(test_log_shift_bounded),
        cmocka_unit_test(test_canvas_ranges),
        cmocka_unit_test(test_set_locale_independent),
    };
    return cmocka_run_group_tests_name("params", tests, NULL, NULL);
}
