/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_cli_strtab.c -- the mlg command's string table (cli/strtab.c):
 * strtab_bytes_eq() against memcmp for every length to 40 and a difference
 * at each position; strtab_find() (through its cache) against strtab_get()
 * for many keys, keys with NUL bytes inside, keys that are prefixes of one
 * another and keys that share the cache's first and last bytes. */
#include "strtab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long n_failed;

#define CHECK(c)                                                                                 \
    do {                                                                                         \
        if (!(c) && n_failed++ < 20)                                                             \
            fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c);                              \
    } while (0)

int main(void)
{
    char a[64], b[64];
    for (size_t len = 0; len <= 40; len++) {
        for (size_t i = 0; i < len; i++)
            a[i] = b[i] = (char)('a' + i % 26);
        CHECK(strtab_bytes_eq(a, b, len));
        for (size_t i = 0; i < len; i++) {
            b[i] = '\0';
            CHECK(!strtab_bytes_eq(a, b, len));
            CHECK(!strtab_bytes_eq(b, a, len));
            b[i] = a[i];
        }
    }

    strtab t;
    strtab_init(&t);
    /* 3000 keys: ids of every length to 40 with middles that differ only
     * away from the first and last 8 bytes, and NUL bytes inside */
    enum { N = 3000 };
    static char key[N][48];
    static size_t klen[N];
    for (int k = 0; k < N; k++) {
        size_t len = (size_t)(k % 41);
        for (size_t i = 0; i < len; i++)
            key[k][i] = (char)('A' + (i * 7 + (size_t)k / 41) % 26);
        if (len > 20)
            key[k][len / 2] = (char)(k & 0xFF);
        if (len > 2 && k % 3 == 0)
            key[k][1] = '\0'; /* "A\0B...": not the same key as "A" */
        klen[k] = len;
        int dup = 0;
        for (int j = 0; j < k && !dup; j++)
            dup = klen[j] == len && memcmp(key[j], key[k], len) == 0;
        if (dup) {
            klen[k] = (size_t)-1;
            continue;
        }
        const char *stored = strtab_put(&t, key[k], len, k);
        CHECK(memcmp(stored, key[k], len) == 0 && stored[len] == '\0');
    }
    for (int round = 0; round < 3; round++)
        for (int k = 0; k < N; k++) {
            if (klen[k] == (size_t)-1)
                continue;
            const char *stored = NULL;
            int32_t g = strtab_get(&t, key[k], klen[k]);
            int32_t f = strtab_find(&t, key[k], klen[k], &stored);
            CHECK(g == k && f == k);
            CHECK(stored && memcmp(stored, key[k], klen[k]) == 0);
        }
    /* absent: one byte more or less, a NUL appended, another byte */
    for (int k = 0; k < N; k++) {
        if (klen[k] == (size_t)-1 || klen[k] == 0)
            continue;
        char tmp[64];
        memcpy(tmp, key[k], klen[k]);
        tmp[klen[k]] = '\0';
        int32_t g = strtab_get(&t, tmp, klen[k] + 1);
        CHECK(g == -1 || (klen[g] == klen[k] + 1 && memcmp(key[g], tmp, klen[k] + 1) == 0));
        CHECK(strtab_find(&t, tmp, klen[k] + 1, NULL) == g);
        tmp[klen[k] - 1] ^= 0x40;
        g = strtab_get(&t, tmp, klen[k]);
        CHECK(g == -1 || (klen[g] == klen[k] && memcmp(key[g], tmp, klen[k]) == 0));
        CHECK(strtab_find(&t, tmp, klen[k], NULL) == g);
    }
    strtab_free(&t);
    printf("strtab: %ld failed\n", n_failed);
    return n_failed != 0;
}
