/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_convert.c -- conversion tables: level/value -> percent and score
 * bands -> letters (include/mlg_rollup.h). */
#include "mlg.h"
#include "mlg_rollup.h"
#include "mlg_test.h"

#include <string.h>

/* The "common" table (methods-in-the-field.md: 4 -> 100, 3.5 -> 95,
 * 3 -> 90, 2.5 -> 80, 2 -> 70, 1.5 -> 65, 1 -> 60); between entries the
 * highest entry <= the value. */
static void test_percent_common(void **state)
{
    (void)state;
    mlg_percent_table t;
    assert_int_equal(mlg_percent_table_builtin("common", &t), MLG_OK);
    assert_int_equal(t.n, 7);
    assert_int_equal(t.decimals, 6);
    static const struct {
        double value, percent;
    } cases[] = {
        {4.0, 100}, {3.5, 95}, {3.0, 90}, {2.5, 80}, {2.0, 70}, {1.5, 65},
        {1.0, 60},
        /* between entries: the highest entry <= the value */
        {3.99, 95}, {3.25, 90}, {2.75, 80}, {2.49, 70}, {1.2, 60},
        /* above the last entry: the last percent */
        {4.5, 100},
        /* floating-point noise is rounded away at 6 decimals: a computed
         * 3.4999999999 reads as 3.5, 2.4999999 as 2.5 */
        {3.4999999999, 95}, {2.4999999, 80},
        /* but a real 3.4999 stays in the 3 row */
        {3.4999, 90},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double p = -1;
        assert_int_equal(mlg_percent_lookup(&t, cases[i].value, &p), MLG_OK);
        if (p != cases[i].percent)
            fail_msg("value %.17g: percent %g, expected %g", cases[i].value,
                     p, cases[i].percent);
    }
    /* decimals -1: no rounding, 3.4999999999 is in the 3 row */
    t.decimals = -1;
    double p = -1;
    assert_int_equal(mlg_percent_lookup(&t, 3.4999999999, &p), MLG_OK);
    assert_double_near(p, 90, 0);
}

/* Ensure mlg_percent_lookup() reports each error and leaves *percent
 * untouched. */
static void test_percent_errors(void **state)
{
    (void)state;
    mlg_percent_table t;
    assert_int_equal(mlg_percent_table_builtin("common", &t), MLG_OK);
    double p = -1;
    assert_int_equal(mlg_percent_lookup(&t, 0.99, &p), MLG_ESCALE);
    assert_int_equal(mlg_percent_lookup(&t, NAN, &p), MLG_ENAN);
    assert_int_equal(mlg_percent_lookup(&t, INFINITY, &p), MLG_ENAN);
    assert_int_equal(mlg_percent_lookup(&t, -INFINITY, &p), MLG_ENAN);
    assert_int_equal(mlg_percent_lookup(NULL, 3, &p), MLG_ENULL);
    assert_int_equal(mlg_percent_lookup(&t, 3, NULL), MLG_ENULL);
    t.value[2] = t.value[1]; /* not strictly ascending */
    assert_int_equal(mlg_percent_lookup(&t, 3, &p), MLG_EINVAL);
    assert_double_near(p, -1, 0);

    assert_int_equal(mlg_percent_table_builtin("lausd", &t), MLG_ENOTFOUND);
    assert_int_equal(mlg_percent_table_builtin(NULL, &t), MLG_ENULL);
    assert_int_equal(mlg_percent_table_builtin("common", NULL), MLG_ENULL);
}

static void test_percent_init_validate(void **state)
{
    (void)state;
    const double v[3] = {0.0, 50.5, 75.25};
    const double pc[3] = {0.0, 55.0, 88.8};
    mlg_percent_table t, before;
    memset(&t, 0x5a, sizeof t);
    before = t;
    assert_int_equal(mlg_percent_table_init(&t, 0, v, pc), MLG_EINVAL);
    assert_int_equal(mlg_percent_table_init(&t, MLG_TABLE_MAX_ENTRIES + 1, v,
                                            pc),
                     MLG_EINVAL);
    assert_int_equal(mlg_percent_table_init(NULL, 3, v, pc), MLG_ENULL);
    assert_int_equal(mlg_percent_table_init(&t, 3, NULL, pc), MLG_ENULL);
    assert_int_equal(mlg_percent_table_init(&t, 3, v, NULL), MLG_ENULL);
    const double vdesc[3] = {0.0, 75.25, 50.5};
    assert_int_equal(mlg_percent_table_init(&t, 3, vdesc, pc), MLG_EINVAL);
    const double vnan[3] = {0.0, NAN, 75.25};
    assert_int_equal(mlg_percent_table_init(&t, 3, vnan, pc), MLG_ENAN);
    const double pinf[3] = {0.0, INFINITY, 1};
    assert_int_equal(mlg_percent_table_init(&t, 3, v, pinf), MLG_ENAN);
    assert_memory_equal(&t, &before, sizeof t);

    assert_int_equal(mlg_percent_table_init(&t, 3, v, pc), MLG_OK);
    double p = 0;
    assert_int_equal(mlg_percent_lookup(&t, 60.0, &p), MLG_OK);
    assert_double_near(p, 55.0, 0);
    assert_int_equal(mlg_percent_lookup(&t, -0.0, &p), MLG_OK);
    assert_double_near(p, 0.0, 0);

    assert_int_equal(mlg_percent_table_validate(NULL), MLG_ENULL);
    t.n = 0;
    assert_int_equal(mlg_percent_table_validate(&t), MLG_EINVAL);
    t.n = 3;
    t.decimals = 10;
    assert_int_equal(mlg_percent_table_validate(&t), MLG_EINVAL);
    t.decimals = -2;
    assert_int_equal(mlg_percent_table_validate(&t), MLG_EINVAL);
    t.decimals = 2;
    assert_int_equal(mlg_percent_table_validate(&t), MLG_OK);
    t.percent[2] = NAN;
    assert_int_equal(mlg_percent_table_validate(&t), MLG_ENAN);
}

/* "percent_af": F from 0, D 60, C 70, B 80, A 90. */
static void test_letter_builtin(void **state)
{
    (void)state;
    mlg_letter_table t;
    assert_int_equal(mlg_letter_table_builtin("percent_af", &t), MLG_OK);
    static const struct {
        double score;
        const char *letter;
    } cases[] = {
        {0, "F"},      {59.99, "F"}, {60, "D"},   {69.5, "D"}, {70, "C"},
        {79.9999999999, "B"}, /* rounded to 6 decimals: 80 */
        {80, "B"},     {89.999, "B"}, {90, "A"},  {100, "A"}, {104, "A"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int32_t band = -1;
        assert_int_equal(mlg_letter_lookup(&t, cases[i].score, &band), MLG_OK);
        if (strcmp(t.letter[band], cases[i].letter) != 0)
            fail_msg("score %.17g: %s, expected %s", cases[i].score,
                     t.letter[band], cases[i].letter);
    }
    /* Chained: level 3 -> 90 percent (common) -> A. */
    mlg_percent_table pt;
    assert_int_equal(mlg_percent_table_builtin("common", &pt), MLG_OK);
    double p = 0;
    int32_t band = -1;
    assert_int_equal(mlg_percent_lookup(&pt, 3.0, &p), MLG_OK);
    assert_int_equal(mlg_letter_lookup(&t, p, &band), MLG_OK);
    assert_string_equal(t.letter[band], "A");
    assert_int_equal(mlg_percent_lookup(&pt, 2.0, &p), MLG_OK);
    assert_int_equal(mlg_letter_lookup(&t, p, &band), MLG_OK);
    assert_string_equal(t.letter[band], "C");
}

/* A user table on the 4-point scale (a district's band table), and every
 * error. */
static void test_letter_user(void **state)
{
    (void)state;
    const double min[4] = {1.0, 2.0, 2.5, 3.26};
    const char *const letters[4] = {"Beginning", "Developing", "Proficient",
                                    "Advanced"};
    mlg_letter_table t, before;
    memset(&t, 0x5a, sizeof t);
    before = t;
    const char *const bad_null[4] = {"a", NULL, "c", "d"};
    const char *const bad_empty[4] = {"a", "", "c", "d"};
    const char *const bad_long[4] = {"a", "0123456789abcdef", "c", "d"};
    const double desc[4] = {1.0, 2.5, 2.0, 3.26};
    const double nan_[4] = {1.0, 2.0, NAN, 3.26};
    assert_int_equal(mlg_letter_table_init(&t, 4, min, bad_null), MLG_ENULL);
    assert_int_equal(mlg_letter_table_init(&t, 4, min, bad_empty), MLG_EINVAL);
    assert_int_equal(mlg_letter_table_init(&t, 4, min, bad_long), MLG_EINVAL);
    assert_int_equal(mlg_letter_table_init(&t, 4, desc, letters), MLG_EINVAL);
    assert_int_equal(mlg_letter_table_init(&t, 4, nan_, letters), MLG_ENAN);
    assert_int_equal(mlg_letter_table_init(&t, 0, min, letters), MLG_EINVAL);
    assert_int_equal(mlg_letter_table_init(&t, 33, min, letters), MLG_EINVAL);
    assert_int_equal(mlg_letter_table_init(NULL, 4, min, letters), MLG_ENULL);
    assert_int_equal(mlg_letter_table_init(&t, 4, NULL, letters), MLG_ENULL);
    assert_int_equal(mlg_letter_table_init(&t, 4, min, NULL), MLG_ENULL);
    assert_memory_equal(&t, &before, sizeof t);

    assert_int_equal(mlg_letter_table_init(&t, 4, min, letters), MLG_OK);
    static const struct {
        double score;
        int32_t band;
    } cases[] = {
        {1.0, 0}, {1.99, 0}, {2.0, 1}, {2.49, 1}, {2.5, 2},
        {3.25, 2}, {3.26, 3}, {4.0, 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int32_t band = -1;
        assert_int_equal(mlg_letter_lookup(&t, cases[i].score, &band), MLG_OK);
        if (band != cases[i].band)
            fail_msg("score %g: band %d, expected %d", cases[i].score, band,
                     cases[i].band);
    }
    int32_t band = -7;
    assert_int_equal(mlg_letter_lookup(&t, 0.5, &band), MLG_ESCALE);
    assert_int_equal(mlg_letter_lookup(&t, NAN, &band), MLG_ENAN);
    assert_int_equal(mlg_letter_lookup(NULL, 1, &band), MLG_ENULL);
    assert_int_equal(mlg_letter_lookup(&t, 1, NULL), MLG_ENULL);
    assert_int_equal(band, -7);
    t.letter[1][0] = '\0';
    assert_int_equal(mlg_letter_lookup(&t, 1, &band), MLG_EINVAL);
    assert_int_equal(mlg_letter_table_validate(&t), MLG_EINVAL);
    memset(t.letter[1], 'x', MLG_LABEL_SIZE); /* unterminated */
    assert_int_equal(mlg_letter_table_validate(&t), MLG_EINVAL);
    t.letter[1][1] = '\0';
    assert_int_equal(mlg_letter_table_validate(&t), MLG_OK);
    t.decimals = 11;
    assert_int_equal(mlg_letter_table_validate(&t), MLG_EINVAL);
    assert_int_equal(mlg_letter_table_validate(NULL), MLG_ENULL);
    assert_int_equal(band, -7);

    assert_int_equal(mlg_letter_table_builtin("gpa", &t), MLG_ENOTFOUND);
    assert_int_equal(mlg_letter_table_builtin(NULL, &t), MLG_ENULL);
    assert_int_equal(mlg_letter_table_builtin("percent_af", NULL), MLG_ENULL);
}

/* The full-size table: 32 entries, binary search at both ends. */
static void test_max_entries(void **state)
{
    (void)state;
    double v[MLG_TABLE_MAX_ENTRIES], p[MLG_TABLE_MAX_ENTRIES];
    for (int i = 0; i < MLG_TABLE_MAX_ENTRIES; i++) {
        v[i] = i * 0.125;
        p[i] = 100.0 - i;
    }
    mlg_percent_table t;
    assert_int_equal(mlg_percent_table_init(&t, MLG_TABLE_MAX_ENTRIES, v, p),
                     MLG_OK);
    for (int i = 0; i < MLG_TABLE_MAX_ENTRIES; i++) {
        double out = -1;
        assert_int_equal(mlg_percent_lookup(&t, i * 0.125 + 0.0625, &out),
                         MLG_OK);
        assert_double_near(out, 100.0 - i, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_percent_common),
        cmocka_unit_test(test_percent_errors),
        cmocka_unit_test(test_percent_init_validate),
        cmocka_unit_test(test_letter_builtin),
        cmocka_unit_test(test_letter_user),
        cmocka_unit_test(test_max_entries),
    };
    return cmocka_run_group_tests_name("convert", tests, NULL, NULL);
}
