/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_status.c -- status codes, their text, and the version twins. */
#include "mlg.h"
#include "mlg_test.h"

#include <string.h>

/* mlg.h: "mlg_strerror(): ... 'unknown status code' for anything else.
 * Never NULL". */
static void test_strerror_every_code(void **state)
{
    (void)state;
    for (int s = 0; s < MLG_STATUS_COUNT; s++) {
        const char *t = mlg_strerror(s);
        assert_non_null(t);
        assert_true(strlen(t) > 0);
        assert_string_not_equal(t, "unknown status code");
    }
    assert_string_equal(mlg_strerror(-1), "unknown status code");
    assert_string_equal(mlg_strerror(MLG_STATUS_COUNT), "unknown status code");
    assert_string_equal(mlg_strerror(1 << 30), "unknown status code");
}

/* mlg.h: "mlg_errname(): the code's macro name ... 'MLG_UNKNOWN' for an
 * unknown code".  The pinned values are checked one by one: renumbering a
 * code breaks the ABI. */
static void test_errname_pinned(void **state)
{
    (void)state;
    static const struct { int code; const char *name; } pinned[] = {
        {0, "MLG_OK"},         {1, "MLG_ENULL"},      {2, "MLG_EINVAL"},
        {3, "MLG_ENAN"},       {4, "MLG_ESCALE"},     {5, "MLG_EORDER"},
        {6, "MLG_EEMPTY"},     {7, "MLG_EOVERFLOW"},  {8, "MLG_ENOMEM"},
        {9, "MLG_ENUMERIC"},   {10, "MLG_EFORMAT"},   {11, "MLG_ENOTFOUND"},
        {12, "MLG_EPOLICY"},   {13, "MLG_EWEIGHT"},   {14, "MLG_EDOMAIN"},
        {15, "MLG_ESIZE"},     {16, "MLG_EDUPLICATE"}, {17, "MLG_ECYCLE"},
        {18, "MLG_ESTATUS"},
    };
    assert_int_equal(sizeof pinned / sizeof pinned[0], MLG_STATUS_COUNT);
    for (size_t i = 0; i < sizeof pinned / sizeof pinned[0]; i++)
        assert_string_equal(mlg_errname(pinned[i].code), pinned[i].name);
    assert_string_equal(mlg_errname(-3), "MLG_UNKNOWN");
    assert_string_equal(mlg_errname(MLG_STATUS_COUNT), "MLG_UNKNOWN");
}

/* mlg.h: the runtime twins match the header the caller compiled with. */
static void test_version(void **state)
{
    (void)state;
    assert_int_equal(mlg_version_number(), MLG_VERSION_NUMBER);
    assert_string_equal(mlg_version_string(), MLG_VERSION_STRING);
    assert_int_equal(MLG_VERSION_NUMBER, MLG_VERSION_MAJOR * 10000 +
                                             MLG_VERSION_MINOR * 100 +
                                             MLG_VERSION_PATCH);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strerror_every_code),
        cmocka_unit_test(test_errname_pinned),
        cmocka_unit_test(test_version),
    };
    return cmocka_run_group_tests_name("status", tests, NULL, NULL);
}
