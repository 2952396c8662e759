/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mlg_test.h -- helpers shared by the cmocka tests. */
#ifndef MLG_TEST_H
#define MLG_TEST_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

/* A byte pattern for "untouched" checks: outputs are pre-filled with it and
 * must still hold it after a failing call. */
#define SENTINEL 0xA5

static inline void fill(void *p, size_t n) { memset(p, SENTINEL, n); }

/* 1 if all n bytes at p still hold SENTINEL. */
static inline int untouched(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i] != SENTINEL)
            return 0;
    return 1;
}

/* cmocka 1.1.5 has no assert_double_equal and its assert_float_equal casts to
 * float: compare doubles here and print both at full precision. */
#define assert_double_near(a, b, tol)                                          \
    do {                                                                       \
        const double a_ = (a), b_ = (b), t_ = (tol);                           \
        if (!(fabs(a_ - b_) <= t_))                                            \
            fail_msg("%s = %.17g, expected %s = %.17g (tol %g)", #a, a_, #b,   \
                     b_, t_);                                                  \
    } while (0)

/* Same, naming the table case that failed. */
#define assert_double_near_case(name, a, b, tol)                               \
    do {                                                                       \
        const double a_ = (a), b_ = (b), t_ = (tol);                           \
        if (!(fabs(a_ - b_) <= t_))                                            \
            fail_msg("case %s: %s = %.17g, expected %.17g (tol %g)", (name),   \
                     #a, a_, b_, t_);                                          \
    } while (0)

/* Assert an int status and name the case on failure. */
#define assert_status_case(name, got, want)                                    \
    do {                                                                       \
        const int g_ = (got), w_ = (want);                                     \
        if (g_ != w_)                                                          \
            fail_msg("case %s: status %d (%s), expected %d (%s)", (name), g_,  \
                     mlg_errname(g_), w_, mlg_errname(w_));                    \
    } while (0)

#endif
