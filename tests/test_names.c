/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_names.c -- the name tables front ends share (core/names.c): status
 * words and their synonyms, explanation reasons, node flags, and the ABI
 * facts a binding checks at load time. */
#include "mlg.h"
#include "mlg_policy.h"
#include "mlg_rollup.h"
#include "mlg_test.h"

/* mlg.h: "mlg_evidence_status_name(): counted, excused or missing ...;
 * NULL for any other code". */
static void test_status_name(void **state)
{
    (void)state;
    assert_string_equal(mlg_evidence_status_name(MLG_EVIDENCE_COUNTED), "counted");
    assert_string_equal(mlg_evidence_status_name(MLG_EVIDENCE_EXCUSED), "excused");
    assert_string_equal(mlg_evidence_status_name(MLG_EVIDENCE_MISSING), "missing");
    assert_null(mlg_evidence_status_name(-1));
    assert_null(mlg_evidence_status_name(3));
    assert_null(mlg_evidence_status_name(INT32_MAX));
}

/* mlg.h: every accepted word, case-insensitively and ignoring surrounding
 * blanks.  The words come from docs/cli.md (E, M, exempt), the OneRoster 1.2
 * scoreStatus values (exempt, fully graded, not submitted) and docs/python.md
 * ("empty means counted"). */
static void test_status_from_name_accepts(void **state)
{
    (void)state;
    static const struct { const char *word; int32_t status; } cases[] = {
        {"counted", MLG_EVIDENCE_COUNTED},   {"", MLG_EVIDENCE_COUNTED},
        {"   ", MLG_EVIDENCE_COUNTED},       {"graded", MLG_EVIDENCE_COUNTED},
        {"Fully Graded", MLG_EVIDENCE_COUNTED}, {"COUNTED", MLG_EVIDENCE_COUNTED},
        {"excused", MLG_EVIDENCE_EXCUSED},   {"exempt", MLG_EVIDENCE_EXCUSED},
        {"E", MLG_EVIDENCE_EXCUSED},         {"e", MLG_EVIDENCE_EXCUSED},
        {" Excused\t", MLG_EVIDENCE_EXCUSED}, {"missing", MLG_EVIDENCE_MISSING},
        {"M", MLG_EVIDENCE_MISSING},         {"not submitted", MLG_EVIDENCE_MISSING},
        {"NOT SUBMITTED", MLG_EVIDENCE_MISSING},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int32_t st = -7;
        int rc = mlg_evidence_status_from_name(cases[i].word, &st);
        if (rc != MLG_OK || st != cases[i].status)
            fail_msg("'%s': rc %d status %d, expected %d", cases[i].word, rc,
                     (int)st, (int)cases[i].status);
    }
}

/* Ensure mlg_evidence_status_from_name() returns MLG_ENOTFOUND for words
 * that are not in the table (inner blanks, prefixes, other OneRoster
 * statuses) and leaves *status untouched. */
static void test_status_from_name_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {"x", "exc", "excusedd", "not  submitted",
                                      "notsubmitted", "submitted", "partially graded",
                                      "0", "1", "EM"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int32_t st = 99;
        int rc = mlg_evidence_status_from_name(bad[i], &st);
        if (rc != MLG_ENOTFOUND || st != 99)
            fail_msg("'%s': rc %d status %d", bad[i], rc, (int)st);
    }
}

/* Ensure mlg_evidence_status_from_name() returns MLG_ENULL for a NULL word
 * or output. */
static void test_status_from_name_null(void **state)
{
    (void)state;
    int32_t st = 5;
    assert_int_equal(mlg_evidence_status_from_name(NULL, &st), MLG_ENULL);
    assert_int_equal(st, 5);
    assert_int_equal(mlg_evidence_status_from_name("counted", NULL), MLG_ENULL);
}

/* mlg.h: "the i-th accepted status word (... the first three are the
 * canonical names in code order) ... NULL past the end"; every listed word
 * parses back to the code listed with it. */
static void test_status_words_listing(void **state)
{
    (void)state;
    size_t i = 0;
    const char *w;
    int32_t st;
    while ((w = mlg_evidence_status_word(i, &st)) != NULL) {
        int32_t back = -1;
        assert_int_equal(mlg_evidence_status_from_name(w, &back), MLG_OK);
        assert_int_equal(back, st);
        if (i < 3) {
            assert_int_equal(st, (int32_t)i);
            assert_string_equal(w, mlg_evidence_status_name(st));
        }
        i++;
    }
    assert_int_equal(i, 10); /* 3 names + 7 synonyms, as listed in mlg.h */
    assert_non_null(mlg_evidence_status_word(0, NULL));
    assert_null(mlg_evidence_status_word(10, NULL));
    assert_null(mlg_evidence_status_word((size_t)-1, &st));
}

/* mlg.h: the MLG_WHY_* names, in code order; NULL outside. */
static void test_why_names(void **state)
{
    (void)state;
    static const struct { int32_t code; const char *name; } why[] = {
        {MLG_WHY_USED, "used"},
        {MLG_WHY_EXCUSED, "excused"},
        {MLG_WHY_MISSING_IGNORED, "missing_ignored"},
        {MLG_WHY_MISSING_LOWEST, "missing_lowest"},
        {MLG_WHY_ZERO_WEIGHT, "zero_weight"},
        {MLG_WHY_OUTSIDE_WINDOW, "outside_window"},
        {MLG_WHY_BELOW_MASTERY, "below_mastery"},
        {MLG_WHY_AFTER_AS_OF, "after_as_of"},
        {MLG_WHY_NOT_SELECTED, "not_selected"},
    };
    for (size_t i = 0; i < sizeof why / sizeof why[0]; i++)
        assert_string_equal(mlg_why_name(why[i].code), why[i].name);
    assert_null(mlg_why_name(-1));
    assert_null(mlg_why_name(9));
    assert_null(mlg_why_name(INT32_MIN));
}

/* mlg_rollup.h: one word per flag bit, the words of docs/cli.md's `flags`
 * column; NULL for 0, unknown bits and combinations. */
static void test_node_flag_names(void **state)
{
    (void)state;
    assert_string_equal(mlg_node_flag_name(MLG_NODE_NA), "na");
    assert_string_equal(mlg_node_flag_name(MLG_NODE_VIOLATION), "na_not_allowed");
    assert_string_equal(mlg_node_flag_name(MLG_NODE_PARTIAL), "partial");
    assert_string_equal(mlg_node_flag_name(MLG_NODE_GAP), "gap");
    assert_string_equal(mlg_node_flag_name(MLG_NODE_BELOW_VIOLATION),
                        "below_na_not_allowed");
    assert_null(mlg_node_flag_name(0));
    assert_string_equal(mlg_node_flag_name(MLG_NODE_REVIEW), "review");
    assert_null(mlg_node_flag_name(64));
    assert_null(mlg_node_flag_name(MLG_NODE_NA | MLG_NODE_GAP));
    assert_null(mlg_node_flag_name(-1));
}

/* mlg.h: "mlg_abi_version(): MLG_ABI_VERSION of the library actually
 * loaded"; "mlg_struct_size(): sizeof the public struct named ...; 0 for
 * NULL or an unknown name". */
static void test_abi(void **state)
{
    (void)state;
    assert_int_equal(mlg_abi_version(), MLG_ABI_VERSION);
    static const struct { const char *name; size_t size; } s[] = {
        {"mlg_errinfo", sizeof(mlg_errinfo)},
        {"mlg_scale", sizeof(mlg_scale)},
        {"mlg_method_params", sizeof(mlg_method_params)},
        {"mlg_result", sizeof(mlg_result)},
        {"mlg_explain_row", sizeof(mlg_explain_row)},
        {"mlg_period", sizeof(mlg_period)},
        {"mlg_entry_minimums", sizeof(mlg_entry_minimums)},
        {"mlg_entry_summary", sizeof(mlg_entry_summary)},
        {"mlg_notice_area", sizeof(mlg_notice_area)},
        {"mlg_rollup_rule", sizeof(mlg_rollup_rule)},
        {"mlg_node_info", sizeof(mlg_node_info)},
        {"mlg_rollup_step", sizeof(mlg_rollup_step)},
        {"mlg_rollup_child", sizeof(mlg_rollup_child)},
        {"mlg_percent_table", sizeof(mlg_percent_table)},
        {"mlg_letter_table", sizeof(mlg_letter_table)},
    };
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        if (mlg_struct_size(s[i].name) != s[i].size)
            fail_msg("%s: %zu, expected %zu", s[i].name,
                     mlg_struct_size(s[i].name), s[i].size);
    /* Hand-counted on the fixed-width fields of mlg.h: mlg_result is two
     * doubles and four int32_t (32 bytes); mlg_errinfo two int32_t, two
     * int64_t and a 160-byte message (184 bytes). */
    assert_int_equal(mlg_struct_size("mlg_result"), 32);
    assert_int_equal(mlg_struct_size("mlg_errinfo"), 184);
    assert_int_equal(mlg_struct_size(NULL), 0);
    assert_int_equal(mlg_struct_size(""), 0);
    assert_int_equal(mlg_struct_size("mlg_catalogue"), 0); /* opaque */
    assert_int_equal(mlg_struct_size("mlg_scal"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_name),
        cmocka_unit_test(test_status_from_name_accepts),
        cmocka_unit_test(test_status_from_name_rejects),
        cmocka_unit_test(test_status_from_name_null),
        cmocka_unit_test(test_status_words_listing),
        cmocka_unit_test(test_why_names),
        cmocka_unit_test(test_node_flag_names),
        cmocka_unit_test(test_abi),
    };
    return cmocka_run_group_tests_name("names", tests, NULL, NULL);
}
