/* SPDX-License-Identifier: GPL-3.0-or-later */
/* strtab.h -- string -> int32 hash map with its own string storage. */
#ifndef MLG_CLI_STRTAB_H
#define MLG_CLI_STRTAB_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct strtab_front;

typedef struct strtab {
    char   **key;   /* slot keys (NULL = empty) */
    size_t  *klen;  /* slot key lengths (a key may hold any bytes) */
    int32_t *val;
    size_t   cap;   /* power of two */
    size_t   n;
    char   **names; /* names[i] = key of the i-th inserted (for index lookups) */
    size_t   ncap;
    struct strtab_front *front; /* strtab_find()'s cache; NULL until used */
} strtab;

void strtab_init(strtab *t);
void strtab_free(strtab *t);
/* Value for key or -1. */
int32_t strtab_get(const strtab *t, const char *key, size_t len);
/* strtab_get() through a small direct-mapped cache in front of the table,
 * for a hot loop over a few keys (the targets of evidence rows): a cached
 * key costs two loads and a multiply instead of hashing every byte.  When
 * found and stored is not NULL, *stored is the table's copy of the key
 * (valid until strtab_free). */
int32_t strtab_find(strtab *t, const char *key, size_t len, const char **stored);
/* Insert key with value (the caller ensures it is absent); returns the
 * stored copy of the key. */
const char *strtab_put(strtab *t, const char *key, size_t len, int32_t val);
/* The index of key, inserting it as the next index if absent; *added set. */
int32_t strtab_intern(strtab *t, const char *key, size_t len, int *added);

/* The len bytes at a equal the len bytes at b (any bytes, NUL included).
 * Inline, with 8-byte loads: the one-entry caches of the reader compare an
 * id on every row, and ids are short (a call to memcmp costs more than the
 * compare).  Reads only a[0..len) and b[0..len). */
static inline int strtab_bytes_eq(const char *a, const char *b, size_t len)
{
    if (len >= 8) {
        uint64_t x, y, x1, y1;
        if (len <= 16) {
            /* the first and the last 8 bytes (overlapping below 16) */
            memcpy(&x, a, 8);
            memcpy(&y, b, 8);
            memcpy(&x1, a + len - 8, 8);
            memcpy(&y1, b + len - 8, 8);
            return ((x ^ y) | (x1 ^ y1)) == 0;
        }
        size_t i = 0;
        for (; i + 8 <= len; i += 8) {
            memcpy(&x, a + i, 8);
            memcpy(&y, b + i, 8);
            if (x != y)
                return 0;
        }
        if (i == len)
            return 1;
        /* the last 8 bytes, overlapping bytes already compared */
        memcpy(&x, a + len - 8, 8);
        memcpy(&y, b + len - 8, 8);
        return x == y;
    }
    if (len >= 4) {
        uint32_t x0, y0, x1, y1;
        memcpy(&x0, a, 4);
        memcpy(&y0, b, 4);
        memcpy(&x1, a + len - 4, 4);
        memcpy(&y1, b + len - 4, 4);
        return ((x0 ^ y0) | (x1 ^ y1)) == 0;
    }
    if (len == 0)
        return 1;
    /* 1 to 3 bytes: the first, the middle and the last cover them all */
    return a[0] == b[0] && a[len / 2] == b[len / 2] && a[len - 1] == b[len - 1];
}

#endif
