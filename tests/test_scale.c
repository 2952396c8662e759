/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_scale.c -- built-in and user scales: mlg_scale_builtin,
 * mlg_scale_from_name, mlg_scale_init, mlg_scale_validate,
 * mlg_scale_find_label and the private mlg__default_scale. */
#include "mlg.h"
#include "mlg_internal.h"
#include "mlg_test.h"

#include <string.h>


/* The bulletin's scales, level by level (index 0 = lowest). */
static const struct {
    int32_t which;
    const char *id;
    int32_t n;
    int32_t na_allowed;
    const char *label[4];
    const char *name[4];
    const char *source;
} builtins[] = {
    {MLG_SCALE_CCS4, "ccs4", 4, 1, {"1", "2", "3", "4"},
     {"Minimal progress toward grade-level standards",
      "Progressing toward meeting grade-level standards",
      "Meets grade-level standards", "Exceeds grade-level standards"},
     "BUL-2332.7 sec. II.A (N/A allowed for math domains and practices, "
     "VAPA: per-subject policy, so the scale allows it)"},
    {MLG_SCALE_TK, "tk", 4, 0, {"E", "B", "D", "I"},
     {"Exploring (48 months)", "Building (60 months)",
      "Developing (emerging kinder skills)", "Integrating (kinder skills)"},
     "BUL-2332.7 sec. VI; sec. II.A: N/A is not an option on the TK report "
     "card"},
    {MLG_SCALE_ELD4, "eld4", 4, 0, {"1", "2", "3", "4"},
     {"Limited Progress", "Partial Progress", "Average Progress",
      "Advanced Progress"},
     "BUL-2332.7 sec. III.A; sec. II.A table: ELD, N/A allowed NO"},
    {MLG_SCALE_TK_ELD, "tk_eld", 3, 0, {"B", "M", "L"},
     {"Beginning", "Middle", "Later"},
     "BUL-2332.7 sec. VI (TK ELD key); no N/A on the TK report card"},
    {MLG_SCALE_BEHAVIOR, "behavior", 3, 0, {"R", "S", "C"},
     {"Rarely", "Sometimes", "Consistently"},
     "BUL-2332.7 sec. II.C; sec. II.A table: Characteristics and Behaviors, "
     "N/A allowed NO"},
};
#define N_BUILTINS (sizeof builtins / sizeof builtins[0])

/* mlg.h: built-in scales have values 1..n, cuts at the midpoints with
 * cut[0] = value[0], score range [value[0], value[n-1]]; labels and names
 * from the bulletin. */
static void test_builtin_contents(void **state)
{
    (void)state;
    assert_int_equal(N_BUILTINS, MLG_SCALE_BUILTIN_COUNT);
    for (size_t k = 0; k < N_BUILTINS; k++) {
        mlg_scale s;
        fill(&s, sizeof s);
        assert_status_case(builtins[k].id,
                           mlg_scale_builtin(builtins[k].which, &s), MLG_OK);
        assert_string_equal(s.id, builtins[k].id);
        assert_int_equal(s.n_levels, builtins[k].n);
        assert_int_equal(s.na_allowed, builtins[k].na_allowed);
        assert_double_near_case(builtins[k].id, s.score_min, 1.0, 0.0);
        assert_double_near_case(builtins[k].id, s.score_max,
                                (double)builtins[k].n, 0.0);
        for (int32_t i = 0; i < builtins[k].n; i++) {
            assert_string_equal(s.label[i], builtins[k].label[i]);
            assert_string_equal(s.name[i], builtins[k].name[i]);
            /* level i has value i + 1 */
            assert_double_near_case(builtins[k].id, s.value[i], i + 1.0, 0.0);
            /* cuts: 1, 1.5, 2.5, 3.5 (midpoints; cut[0] = value[0]) */
            assert_double_near_case(builtins[k].id, s.cut[i],
                                    i == 0 ? 1.0 : i + 0.5, 0.0);
        }
        assert_status_case(builtins[k].id, mlg_scale_validate(&s), MLG_OK);
    }
}

/* mlg.h: mlg_scale_from_name() accepts "ccs4", "tk", "eld4", "tk_eld",
 * "behavior" and gives the same scale as mlg_scale_builtin(). */
static void test_from_name(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_BUILTINS; k++) {
        mlg_scale a, b;
        memset(&a, 0, sizeof a);
        memset(&b, 0xFF, sizeof b);
        assert_status_case(builtins[k].id,
                           mlg_scale_builtin(builtins[k].which, &a), MLG_OK);
        assert_status_case(builtins[k].id,
                           mlg_scale_from_name(builtins[k].id, &b), MLG_OK);
        assert_memory_equal(&a, &b, sizeof a);
    }
}

/* mlg_internal.h: the default wherever a caller passes NULL is CCS 4/3/2/1. */
static void test_default_scale_is_ccs4(void **state)
{
    (void)state;
    mlg_scale ccs;
    assert_int_equal(mlg_scale_builtin(MLG_SCALE_CCS4, &ccs), MLG_OK);
    const mlg_scale *d = mlg__default_scale();
    assert_non_null(d);
    assert_memory_equal(d, &ccs, sizeof ccs);
    assert_int_equal(mlg_scale_validate(d), MLG_OK);
}

/* Ensure mlg_scale_builtin returns MLG_ENULL / MLG_ENOTFOUND and leaves
 * *out untouched on a NULL out or an unknown constant. */
static void test_builtin_errors(void **state)
{
    (void)state;
    assert_int_equal(mlg_scale_builtin(MLG_SCALE_CCS4, NULL), MLG_ENULL);
    static const int32_t bad[] = {-1, MLG_SCALE_BUILTIN_COUNT, 99, INT32_MIN,
                                  INT32_MAX};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mlg_scale s;
        fill(&s, sizeof s);
        assert_int_equal(mlg_scale_builtin(bad[i], &s), MLG_ENOTFOUND);
        assert_true(untouched(&s, sizeof s));
    }
    /* NULL wins over an unknown constant. */
    assert_int_equal(mlg_scale_builtin(-1, NULL), MLG_ENULL);
}

/* Ensure mlg_scale_from_name returns MLG_ENULL for each NULL pointer and
 * MLG_ENOTFOUND for unknown (and wrongly cased) names, *out untouched. */
static void test_from_name_errors(void **state)
{
    (void)state;
    mlg_scale s;
    fill(&s, sizeof s);
    assert_int_equal(mlg_scale_from_name(NULL, &s), MLG_ENULL);
    assert_true(untouched(&s, sizeof s));
    assert_int_equal(mlg_scale_from_name("ccs4", NULL), MLG_ENULL);
    static const char *const bad[] = {"CCS4", "ccs",    "ccs4 ", "",
                                      "custom", "tk-eld", "behaviour"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_status_case(bad[i], mlg_scale_from_name(bad[i], &s),
                           MLG_ENOTFOUND);
        assert_true(untouched(&s, sizeof s));
    }
}

/* mlg.h, mlg_scale_init(): labels "%g", names "", cuts at midpoints with
 * cut[0] = value[0], range [value[0], value[n-1]], na_allowed 1, id
 * "custom".  Cases are user scales named in the issue: 0-4, 1-5 and
 * 0-100 points. */
static const struct {
    const char *name;
    size_t n;
    double value[6];
    double cut[6];              /* worked: (v[i-1] + v[i]) / 2 */
    const char *label[6];
} init_cases[] = {
    {"0-4", 5, {0, 1, 2, 3, 4}, {0, 0.5, 1.5, 2.5, 3.5},
     {"0", "1", "2", "3", "4"}},
    {"1-5", 5, {1, 2, 3, 4, 5}, {1, 1.5, 2.5, 3.5, 4.5},
     {"1", "2", "3", "4", "5"}},
    /* 0-100 points, representative values 50/65/75/90: cuts (50+65)/2 =
     * 57.5, (65+75)/2 = 70, (75+90)/2 = 82.5 */
    {"points", 4, {50, 65, 75, 90}, {50, 57.5, 70, 82.5},
     {"50", "65", "75", "90"}},
    /* non-integers: (0.5+1.25)/2 = 0.875, (1.25+2.125)/2 = 1.6875 */
    {"fractions", 3, {0.5, 1.25, 2.125}, {0.5, 0.875, 1.6875},
     {"0.5", "1.25", "2.125"}},
    /* negative and one level */
    {"negative", 2, {-2.385, -1}, {-2.385, -1.6925}, {"-2.385", "-1"}},
    {"single", 1, {3.5}, {3.5}, {"3.5"}},
    /* midpoint of the extremes must not overflow: -1e308/2 + 1e308/2 = 0 */
    {"huge", 2, {-1e308, 1e308}, {-1e308, 0}, {"-1e+308", "1e+308"}},
};

static void test_init(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof init_cases / sizeof init_cases[0]; k++) {
        const char *cn = init_cases[k].name;
        const size_t n = init_cases[k].n;
        mlg_scale s;
        fill(&s, sizeof s);
        assert_status_case(cn, mlg_scale_init(&s, n, init_cases[k].value),
                           MLG_OK);
        assert_int_equal(s.n_levels, (int32_t)n);
        assert_int_equal(s.na_allowed, 1);
        assert_string_equal(s.id, "custom");
        assert_double_near_case(cn, s.score_min, init_cases[k].value[0], 0.0);
        assert_double_near_case(cn, s.score_max, init_cases[k].value[n - 1],
                                0.0);
        for (size_t i = 0; i < n; i++) {
            assert_double_near_case(cn, s.value[i], init_cases[k].value[i],
                                    0.0);
            assert_double_near_case(cn, s.cut[i], init_cases[k].cut[i], 1e-15);
            assert_string_equal(s.label[i], init_cases[k].label[i]);
            assert_string_equal(s.name[i], "");
        }
        /* Unused slots are zeroed, not left as garbage. */
        for (size_t i = n; i < MLG_SCALE_MAX_LEVELS; i++) {
            assert_true(s.value[i] == 0.0 && s.cut[i] == 0.0);
            assert_int_equal(s.label[i][0], 0);
            assert_int_equal(s.name[i][0], 0);
        }
        assert_status_case(cn, mlg_scale_validate(&s), MLG_OK);
    }
}

/* The largest scale: MLG_SCALE_MAX_LEVELS levels 0..15. */
static void test_init_max_levels(void **state)
{
    (void)state;
    double v[MLG_SCALE_MAX_LEVELS];
    for (int i = 0; i < MLG_SCALE_MAX_LEVELS; i++)
        v[i] = i;
    mlg_scale s;
    assert_int_equal(mlg_scale_init(&s, MLG_SCALE_MAX_LEVELS, v), MLG_OK);
    assert_int_equal(s.n_levels, MLG_SCALE_MAX_LEVELS);
    assert_string_equal(s.label[15], "15");
    assert_double_near(s.cut[15], 14.5, 0.0);
    assert_int_equal(mlg_scale_validate(&s), MLG_OK);
}

/* Ensure mlg_scale_init returns an error and leaves *out untouched when
 * a pointer is NULL, n is 0 or too large, a value is not finite or values
 * are not strictly ascending. */
static void test_init_errors(void **state)
{
    (void)state;
    static const double ok[3] = {1, 2, 3};
    static const double seventeen[17] = {0, 1, 2,  3,  4,  5,  6,  7, 8,
                                         9, 10, 11, 12, 13, 14, 15, 16};
    static const struct {
        const char *name;
        size_t n;
        double v[3];
        int want;
    } cases[] = {
        {"equal", 3, {1, 2, 2}, MLG_EINVAL},
        {"descending", 3, {3, 2, 1}, MLG_EINVAL},
        {"first_pair_equal", 2, {1, 1, 0}, MLG_EINVAL},
        {"nan", 3, {1, NAN, 3}, MLG_ENAN},
        {"inf", 3, {1, 2, INFINITY}, MLG_ENAN},
        {"minus_inf", 3, {-INFINITY, 2, 3}, MLG_ENAN},
        /* a non-finite value is reported even when order is also wrong */
        {"nan_and_descending", 3, {3, 2, NAN}, MLG_ENAN},
    };
    mlg_scale s;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        fill(&s, sizeof s);
        assert_status_case(cases[k].name,
                           mlg_scale_init(&s, cases[k].n, cases[k].v),
                           cases[k].want);
        assert_true(untouched(&s, sizeof s));
    }
    fill(&s, sizeof s);
    assert_int_equal(mlg_scale_init(&s, 0, ok), MLG_EINVAL);
    assert_true(untouched(&s, sizeof s));
    assert_int_equal(mlg_scale_init(&s, 17, seventeen), MLG_EINVAL);
    assert_true(untouched(&s, sizeof s));
    assert_int_equal(mlg_scale_init(&s, SIZE_MAX, ok), MLG_EINVAL);
    assert_true(untouched(&s, sizeof s));
    assert_int_equal(mlg_scale_init(&s, 3, NULL), MLG_ENULL);
    assert_true(untouched(&s, sizeof s));
    assert_int_equal(mlg_scale_init(NULL, 3, ok), MLG_ENULL);
}

/* Ensure mlg_scale_validate reports each broken invariant: one field of a
 * valid CCS4 scale is broken per case. */
typedef void (*breaker)(mlg_scale *s);
static void b_n0(mlg_scale *s) { s->n_levels = 0; }
static void b_nneg(mlg_scale *s) { s->n_levels = -4; }
static void b_n17(mlg_scale *s) { s->n_levels = MLG_SCALE_MAX_LEVELS + 1; }
static void b_na2(mlg_scale *s) { s->na_allowed = 2; }
static void b_naneg(mlg_scale *s) { s->na_allowed = -1; }
static void b_value_nan(mlg_scale *s) { s->value[2] = NAN; }
static void b_value_inf(mlg_scale *s) { s->value[3] = INFINITY; }
static void b_cut_nan(mlg_scale *s) { s->cut[1] = NAN; }
static void b_cut0_inf(mlg_scale *s) { s->cut[0] = -INFINITY; }
static void b_min_nan(mlg_scale *s) { s->score_min = NAN; }
static void b_max_inf(mlg_scale *s) { s->score_max = -INFINITY; }
static void b_value_equal(mlg_scale *s) { s->value[1] = s->value[0]; }
static void b_value_desc(mlg_scale *s) { s->value[3] = 2.5; }
static void b_cut_equal(mlg_scale *s) { s->cut[2] = s->cut[1]; }
static void b_cut0_above(mlg_scale *s) { s->cut[0] = 1.6; }
static void b_range(mlg_scale *s) { s->score_min = 4.5; }
static void b_label(mlg_scale *s) { memset(s->label[1], 'x', MLG_LABEL_SIZE); }
static void b_name(mlg_scale *s) { memset(s->name[3], 'x', MLG_NAME_SIZE); }
static void b_id(mlg_scale *s) { memset(s->id, 'x', MLG_LABEL_SIZE); }

static void test_validate_errors(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        breaker f;
        int want;
    } cases[] = {
        {"n_levels 0", b_n0, MLG_EINVAL},
        {"n_levels -4", b_nneg, MLG_EINVAL},
        {"n_levels 17", b_n17, MLG_EINVAL},
        {"na_allowed 2", b_na2, MLG_EINVAL},
        {"na_allowed -1", b_naneg, MLG_EINVAL},
        {"value NaN", b_value_nan, MLG_ENAN},
        {"value inf", b_value_inf, MLG_ENAN},
        {"cut NaN", b_cut_nan, MLG_ENAN},
        {"cut[0] -inf", b_cut0_inf, MLG_ENAN},
        {"score_min NaN", b_min_nan, MLG_ENAN},
        {"score_max -inf", b_max_inf, MLG_ENAN},
        {"values equal", b_value_equal, MLG_EINVAL},
        {"values descending", b_value_desc, MLG_EINVAL},
        {"cuts equal", b_cut_equal, MLG_EINVAL},
        {"cut[0] above cut[1]", b_cut0_above, MLG_EINVAL},
        {"score_min > score_max", b_range, MLG_EINVAL},
        {"label unterminated", b_label, MLG_EINVAL},
        {"name unterminated", b_name, MLG_EINVAL},
        {"id unterminated", b_id, MLG_EINVAL},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        mlg_scale s;
        assert_int_equal(mlg_scale_builtin(MLG_SCALE_CCS4, &s), MLG_OK);
        cases[k].f(&s);
        assert_status_case(cases[k].name, mlg_scale_validate(&s),
                           cases[k].want);
    }
    assert_int_equal(mlg_scale_validate(NULL), MLG_ENULL);
}

/* mlg.h: validate checks the first n_levels levels only; slots past
 * n_levels are never read, and score_min == score_max is allowed. */
static void test_validate_ignores_unused_slots(void **state)
{
    (void)state;
    mlg_scale s;
    assert_int_equal(mlg_scale_builtin(MLG_SCALE_TK_ELD, &s), MLG_OK);
    s.value[3] = NAN;
    s.cut[3] = -1.0;
    memset(s.label[3], 'x', MLG_LABEL_SIZE);
    memset(s.name[15], 'x', MLG_NAME_SIZE);
    assert_int_equal(mlg_scale_validate(&s), MLG_OK);
    /* a degenerate but valid range: one level with value 2.385 */
    const double v = 2.385;
    assert_int_equal(mlg_scale_init(&s, 1, &v), MLG_OK);
    assert_true(s.score_min == s.score_max);
    assert_int_equal(mlg_scale_validate(&s), MLG_OK);
}

/* mlg.h, mlg_scale_find_label(): exact, case-sensitive match. */
static void test_find_label(void **state)
{
    (void)state;
    static const struct {
        int32_t which;
        const char *label;
        int want;
        int32_t level;
    } cases[] = {
        {MLG_SCALE_TK, "E", MLG_OK, 0},
        {MLG_SCALE_TK, "I", MLG_OK, 3},
        {MLG_SCALE_TK, "D", MLG_OK, 2},
        {MLG_SCALE_BEHAVIOR, "C", MLG_OK, 2},
        {MLG_SCALE_BEHAVIOR, "R", MLG_OK, 0},
        {MLG_SCALE_TK_ELD, "M", MLG_OK, 1},
        {MLG_SCALE_CCS4, "3", MLG_OK, 2},
        {MLG_SCALE_ELD4, "4", MLG_OK, 3},
        {MLG_SCALE_TK, "e", MLG_ENOTFOUND, -7},  /* case-sensitive */
        {MLG_SCALE_TK, "", MLG_ENOTFOUND, -7},
        {MLG_SCALE_TK, "EB", MLG_ENOTFOUND, -7},
        {MLG_SCALE_CCS4, "N/A", MLG_ENOTFOUND, -7}, /* N/A is not a level */
        {MLG_SCALE_CCS4, "3 ", MLG_ENOTFOUND, -7},
        {MLG_SCALE_CCS4, "0123456789abcdefghij", MLG_ENOTFOUND, -7},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        mlg_scale s;
        assert_int_equal(mlg_scale_builtin(cases[k].which, &s), MLG_OK);
        int32_t level = -7;
        assert_status_case(cases[k].label,
                           mlg_scale_find_label(&s, cases[k].label, &level),
                           cases[k].want);
        assert_int_equal(level, cases[k].level);
    }
}

/* A 15-character label (the longest that fits) is found; an unvalidated
 * scale is never read out of bounds. */
static void test_find_label_bounds(void **state)
{
    (void)state;
    static const double v[2] = {0, 1};
    mlg_scale s;
    assert_int_equal(mlg_scale_init(&s, 2, v), MLG_OK);
    memcpy(s.label[1], "abcdefghijklmno", 16);
    int32_t level = -7;
    assert_int_equal(mlg_scale_find_label(&s, "abcdefghijklmno", &level),
                     MLG_OK);
    assert_int_equal(level, 1);
    /* unterminated label: compared within its 16 bytes, never matches */
    memset(s.label[0], 'z', MLG_LABEL_SIZE);
    level = -7;
    assert_int_equal(mlg_scale_find_label(&s, "zzzzzzzzzzzzzzzz", &level),
                     MLG_ENOTFOUND);
    assert_int_equal(level, -7);
    /* n_levels out of range: bounded to MLG_SCALE_MAX_LEVELS / nothing */
    s.n_levels = 1000;
    assert_int_equal(mlg_scale_find_label(&s, "abcdefghijklmno", &level),
                     MLG_OK);
    assert_int_equal(mlg_scale_find_label(&s, "nowhere", &level),
                     MLG_ENOTFOUND);
    s.n_levels = -3;
    level = -7;
    assert_int_equal(mlg_scale_find_label(&s, "abcdefghijklmno", &level),
                     MLG_ENOTFOUND);
    assert_int_equal(level, -7);
}

/* Ensure mlg_scale_find_label returns MLG_ENULL for each NULL pointer and
 * leaves *level untouched. */
static void test_find_label_null(void **state)
{
    (void)state;
    mlg_scale s;
    assert_int_equal(mlg_scale_builtin(MLG_SCALE_TK, &s), MLG_OK);
    int32_t level = -7;
    assert_int_equal(mlg_scale_find_label(NULL, "E", &level), MLG_ENULL);
    assert_int_equal(mlg_scale_find_label(&s, NULL, &level), MLG_ENULL);
    assert_int_equal(mlg_scale_find_label(&s, "E", NULL), MLG_ENULL);
    assert_int_equal(level, -7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin_contents),
        cmocka_unit_test(test_from_name),
        cmocka_unit_test(test_default_scale_is_ccs4),
        cmocka_unit_test(test_builtin_errors),
        cmocka_unit_test(test_from_name_errors),
        cmocka_unit_test(test_init),
        cmocka_unit_test(test_init_max_levels),
        cmocka_unit_test(test_init_errors),
        cmocka_unit_test(test_validate_errors),
        cmocka_unit_test(test_validate_ignores_unused_slots),
        cmocka_unit_test(test_find_label),
        cmocka_unit_test(test_find_label_bounds),
        cmocka_unit_test(test_find_label_null),
    };
    return cmocka_run_group_tests_name("scale", tests, NULL, NULL);
}
