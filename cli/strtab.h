/* SPDX-License-Identifier: GPL-3.0-or-later */
/* strtab.h -- string -> int32 hash map with its own string storage. */
#ifndef MLG_CLI_STRTAB_H
#define MLG_CLI_STRTAB_H

#include <stddef.h>
#include <stdint.h>

typedef struct strtab {
    char   **key;   /* slot keys (NULL = empty) */
    int32_t *val;
    size_t   cap;   /* power of two */
    size_t   n;
    char   **names; /* names[i] = key of the i-th inserted (for index lookups) */
    size_t   ncap;
} strtab;

void strtab_init(strtab *t);
void strtab_free(strtab *t);
/* Value for key or -1. */
int32_t strtab_get(const strtab *t, const char *key, size_t len);
/* Insert key with value (the caller ensures it is absent); returns the
 * stored copy of the key. */
const char *strtab_put(strtab *t, const char *key, size_t len, int32_t val);
/* The index of key, inserting it as the next index if absent; *added set. */
int32_t strtab_intern(strtab *t, const char *key, size_t len, int *added);

#endif
