/* SPDX-License-Identifier: GPL-3.0-or-later */
/* text.c -- strict text-to-value parsing and the range checks shared by the
 * method parameters (params.c) and the roll-up rules (catalogue.c), so that
 * `--decimals 3x` or `tie=newest` is refused the same way everywhere. */
#define _POSIX_C_SOURCE 200809L /* newlocale, uselocale */

#include "mlg_internal.h"

#include <errno.h>
#include <locale.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const mlg__tie_words[3] = {"recent", "highest", "lowest"};
const char *const mlg__rounding_words[4] = {"half_up", "half_even", "floor",
                                            "cuts"};

int mlg__parse_int32(const char *text, int32_t *out)
{
    if (!(text[0] >= '0' && text[0] <= '9') && text[0] != '-' &&
        text[0] != '+')
        return MLG_EFORMAT;
    char *end = NULL;
    errno = 0;
    const long v = strtol(text, &end, 10);
    if (end == text || *end != '\0')
        return MLG_EFORMAT;
    if (errno == ERANGE || v < INT32_MIN || v > INT32_MAX)
        return MLG_EINVAL;
    *out = (int32_t)v;
    return MLG_OK;
}

int mlg__parse_double(const char *text, double *out)
{
    if (text[0] == '\0' || text[0] == ' ' || text[0] == '\t' ||
        text[0] == '\n' || text[0] == '\v' || text[0] == '\f' ||
        text[0] == '\r')
        return MLG_EFORMAT;
    /* strtod follows LC_NUMERIC ("0,75" under de_DE); read in the "C"
     * locale instead, for this thread only (uselocale), so the text means
     * the same whatever the process's locale. */
    const locale_t c_loc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (c_loc == (locale_t)0)
        return MLG_ENOMEM; /* GCOVR_EXCL_LINE: glibc's "C" never fails */
    const locale_t old = uselocale(c_loc);
    char *end = NULL;
    const double v = strtod(text, &end);
    uselocale(old);
    freelocale(c_loc);
    if (end == text || *end != '\0')
        return MLG_EFORMAT;
    *out = v;
    return MLG_OK;
}

int mlg__vsnprintf_c(char *buf, size_t size, const char *fmt, va_list ap)
{
    /* As mlg__parse_double: this thread in the "C" locale for the call.
     * Should the locale object be unavailable, format in the caller's
     * locale rather than not at all (messages and labels, never data). */
    const locale_t c_loc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    const locale_t old = c_loc ? uselocale(c_loc) : (locale_t)0;
    const int n = vsnprintf(buf, size, fmt, ap);
    if (c_loc) {
        uselocale(old);
        freelocale(c_loc);
    }
    return n;
}

int mlg__snprintf_c(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const int n = mlg__vsnprintf_c(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int32_t mlg__find_word(const char *word, const char *const *list, int32_t n)
{
    for (int32_t i = 0; i < n; i++)
        if (strcmp(list[i], word) == 0)
            return i;
    return -1;
}

int mlg__check_tie(int32_t t)
{
    return t >= MLG_TIE_RECENT && t <= MLG_TIE_LOWEST ? MLG_OK : MLG_EINVAL;
}

int mlg__check_rounding(int32_t r)
{
    return r >= MLG_ROUND_HALF_UP && r <= MLG_ROUND_CUTS ? MLG_OK
                                                         : MLG_EINVAL;
}

int mlg__check_decimals(int32_t d)
{
    return d >= -1 && d <= 9 ? MLG_OK : MLG_EINVAL;
}

int mlg__check_finite(double x) { return isfinite(x) ? MLG_OK : MLG_ENAN; }
