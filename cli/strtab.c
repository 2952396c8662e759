/* SPDX-License-Identifier: GPL-3.0-or-later */
/* strtab.c -- open-addressing string map (FNV-1a, linear probing). */
#include "strtab.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h ^ (h >> 29);
}

void strtab_init(strtab *t)
{
    memset(t, 0, sizeof *t);
    t->cap = 64;
    t->key = xcalloc(t->cap, sizeof *t->key);
    t->val = xcalloc(t->cap, sizeof *t->val);
}

void strtab_free(strtab *t)
{
    for (size_t i = 0; i < t->cap; i++)
        free(t->key[i]);
    free(t->key);
    free(t->val);
    free(t->names);
    memset(t, 0, sizeof *t);
}

/* Stored key k (NUL-terminated) equals the len bytes at s.  strnlen first:
 * never read past k's terminator, whatever s holds (a NUL inside s must not
 * make "A\0B" equal "A", nor read beyond a shorter k). */
static int keyeq(const char *k, const char *s, size_t len)
{
    return strnlen(k, len + 1) == len && memcmp(k, s, len) == 0;
}

int32_t strtab_get(const strtab *t, const char *key, size_t len)
{
    size_t m = t->cap - 1;
    for (size_t i = hash(key, len) & m;; i = (i + 1) & m) {
        if (!t->key[i])
            return -1;
        if (keyeq(t->key[i], key, len))
            return t->val[i];
    }
}

static void grow(strtab *t)
{
    size_t oc = t->cap;
    char **ok = t->key;
    int32_t *ov = t->val;
    t->cap = oc * 2;
    t->key = xcalloc(t->cap, sizeof *t->key);
    t->val = xcalloc(t->cap, sizeof *t->val);
    size_t m = t->cap - 1;
    for (size_t j = 0; j < oc; j++) {
        if (!ok[j])
            continue;
        size_t i = hash(ok[j], strlen(ok[j])) & m;
        while (t->key[i])
            i = (i + 1) & m;
        t->key[i] = ok[j];
        t->val[i] = ov[j];
    }
    free(ok);
    free(ov);
}

const char *strtab_put(strtab *t, const char *key, size_t len, int32_t val)
{
    if ((t->n + 1) * 2 > t->cap)
        grow(t);
    size_t m = t->cap - 1;
    size_t i = hash(key, len) & m;
    while (t->key[i])
        i = (i + 1) & m;
    char *k = xmalloc(len + 1);
    memcpy(k, key, len);
    k[len] = '\0';
    t->key[i] = k;
    t->val[i] = val;
    if (t->n == t->ncap) {
        t->ncap = t->ncap ? t->ncap * 2 : 64;
        t->names = xrealloc(t->names, t->ncap * sizeof *t->names);
    }
    t->names[t->n++] = k;
    return k;
}

int32_t strtab_intern(strtab *t, const char *key, size_t len, int *added)
{
    int32_t v = strtab_get(t, key, len);
    if (v >= 0) {
        *added = 0;
        return v;
    }
    v = (int32_t)t->n;
    strtab_put(t, key, len, v);
    *added = 1;
    return v;
}
