/* SPDX-License-Identifier: GPL-3.0-or-later */
/* convert.c -- conversion tables for systems that take only percentages or
 * letters: level/value -> percent and score bands -> letters. */
#include "mlg_internal.h"
#include "mlg_rollup.h"

#include <math.h>
#include <string.h>

/* Index of the highest key[i] <= x among n ascending keys, or -1. */
static int32_t highest_at_or_below(const double *key, int32_t n, double x)
{
    int32_t lo = 0, hi = n; /* answer in [lo-1, hi-1] */
    while (lo < hi) {
        const int32_t mid = lo + (hi - lo) / 2;
        if (key[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo - 1;
}

/* Shared checks: n in range, decimals in range, keys finite and strictly
 * ascending. */
static int check_keys(int32_t n, int32_t decimals, const double *key)
{
    if (n < 1 || n > MLG_TABLE_MAX_ENTRIES)
        return MLG_EINVAL;
    if (decimals < -1 || decimals > 9)
        return MLG_EINVAL;
    for (int32_t i = 0; i < n; i++)
        if (!isfinite(key[i]))
            return MLG_ENAN;
    for (int32_t i = 1; i < n; i++)
        if (!(key[i - 1] < key[i]))
            return MLG_EINVAL;
    return MLG_OK;
}

/* ------------------------------------------------------------- percent -- */

int mlg_percent_table_validate(const mlg_percent_table *t)
{
    if (!t)
        return MLG_ENULL;
    const int s = check_keys(t->n, t->decimals, t->value);
    if (s != MLG_OK)
        return s;
    for (int32_t i = 0; i < t->n; i++)
        if (!isfinite(t->percent[i]))
            return MLG_ENAN;
    return MLG_OK;
}

int mlg_percent_table_init(mlg_percent_table *out, size_t n,
                           const double *value, const double *percent)
{
    if (!out || !value || !percent)
        return MLG_ENULL;
    if (n == 0 || n > MLG_TABLE_MAX_ENTRIES)
        return MLG_EINVAL;
    mlg_percent_table t;
    memset(&t, 0, sizeof t);
    t.n = (int32_t)n;
    t.decimals = 6;
    memcpy(t.value, value, n * sizeof *value);
    memcpy(t.percent, percent, n * sizeof *percent);
    const int s = mlg_percent_table_validate(&t);
    if (s != MLG_OK)
        return s;
    *out = t;
    return MLG_OK;
}

int mlg_percent_table_builtin(const char *name, mlg_percent_table *out)
{
    if (!name || !out)
        return MLG_ENULL;
    if (strcmp(name, "common") == 0) {
        /* methods-in-the-field.md, "Ordering and rounding": "4 -> 100,
         * 3.5 -> 95, 3 -> 90, 2.5 -> 80, 2 -> 70, 1.5 -> 65, 1 -> 60 for
         * percentage-only report cards". */
        static const double v[] = {1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0};
        static const double p[] = {60, 65, 70, 80, 90, 95, 100};
        return mlg_percent_table_init(out, 7, v, p);
    }
    return MLG_ENOTFOUND;
}

int mlg_percent_lookup(const mlg_percent_table *t, double value,
                       double *percent)
{
    if (!t || !percent)
        return MLG_ENULL;
    if (mlg_percent_table_validate(t) != MLG_OK)
        return MLG_EINVAL;
    if (!isfinite(value))
        return MLG_ENAN;
    const double r = mlg__round_decimals(value, t->decimals);
    const int32_t i = highest_at_or_below(t->value, t->n, r);
    if (i < 0)
        return MLG_ESCALE;
    *percent = t->percent[i];
    return MLG_OK;
}

/* -------------------------------------------------------------- letter -- */

int mlg_letter_table_validate(const mlg_letter_table *t)
{
    if (!t)
        return MLG_ENULL;
    const int s = check_keys(t->n, t->decimals, t->min);
    if (s != MLG_OK)
        return s;
    for (int32_t i = 0; i < t->n; i++)
        if (t->letter[i][0] == '\0' ||
            !memchr(t->letter[i], '\0', MLG_LABEL_SIZE))
            return MLG_EINVAL;
    return MLG_OK;
}

int mlg_letter_table_init(mlg_letter_table *out, size_t n, const double *min,
                          const char *const *letters)
{
    if (!out || !min || !letters)
        return MLG_ENULL;
    if (n == 0 || n > MLG_TABLE_MAX_ENTRIES)
        return MLG_EINVAL;
    mlg_letter_table t;
    memset(&t, 0, sizeof t);
    t.n = (int32_t)n;
    t.decimals = 6;
    for (size_t i = 0; i < n; i++) {
        if (!letters[i])
            return MLG_ENULL;
        const size_t len = strlen(letters[i]);
        if (len == 0 || len >= MLG_LABEL_SIZE)
            return MLG_EINVAL;
        memcpy(t.letter[i], letters[i], len + 1);
        t.min[i] = min[i];
    }
    const int s = mlg_letter_table_validate(&t);
    if (s != MLG_OK)
        return s;
    *out = t;
    return MLG_OK;
}

int mlg_letter_table_builtin(const char *name, mlg_letter_table *out)
{
    if (!name || !out)
        return MLG_ENULL;
    if (strcmp(name, "percent_af") == 0) {
        /* The conventional US percentage bands: 90 A, 80 B, 70 C, 60 D,
         * below 60 F. */
        static const double m[] = {0, 60, 70, 80, 90};
        static const char *const l[] = {"F", "D", "C", "B", "A"};
        return mlg_letter_table_init(out, 5, m, l);
    }
    return MLG_ENOTFOUND;
}

int mlg_letter_lookup(const mlg_letter_table *t, double score, int32_t *band)
{
    if (!t || !band)
        return MLG_ENULL;
    if (mlg_letter_table_validate(t) != MLG_OK)
        return MLG_EINVAL;
    if (!isfinite(score))
        return MLG_ENAN;
    const double r = mlg__round_decimals(score, t->decimals);
    const int32_t i = highest_at_or_below(t->min, t->n, r);
    if (i < 0)
        return MLG_ESCALE;
    *band = i;
    return MLG_OK;
}
