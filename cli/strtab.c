/* SPDX-License-Identifier: GPL-3.0-or-later */
/* strtab.c -- open-addressing string map (FNV-1a, linear probing), with an
 * optional direct-mapped cache in front (strtab_find). */
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

/* strtab_find()'s cache: 256 sets of 2 entries, so that the 60 or so
 * targets of a school's evidence each keep one (with one entry per index,
 * 3 pairs of those 60 collided, and a pair alternating in a student's rows
 * missed on every change). */
#define FRONT_BITS 8
struct strtab_front {
    struct {
        const char *key; /* the table's copy; NULL = empty */
        size_t      len;
        int32_t     val;
    } e[2u << FRONT_BITS];
};

void strtab_init(strtab *t)
{
    memset(t, 0, sizeof *t);
    t->cap = 64;
    t->key = xcalloc(t->cap, sizeof *t->key);
    t->klen = xcalloc(t->cap, sizeof *t->klen);
    t->val = xcalloc(t->cap, sizeof *t->val);
}

void strtab_free(strtab *t)
{
    for (size_t i = 0; i < t->cap; i++)
        free(t->key[i]);
    free(t->key);
    free(t->klen);
    free(t->val);
    free(t->names);
    free(t->front);
    memset(t, 0, sizeof *t);
}

/* The slot of key, or of the empty slot where it would go. */
static size_t slot(const strtab *t, const char *key, size_t len)
{
    size_t m = t->cap - 1;
    size_t i = hash(key, len) & m;
    /* lengths first: a stored key matches only with the same length, then
     * the same bytes (a NUL inside an id is just a byte) */
    while (t->key[i] && !(t->klen[i] == len && memcmp(t->key[i], key, len) == 0))
        i = (i + 1) & m;
    return i;
}

int32_t strtab_get(const strtab *t, const char *key, size_t len)
{
    size_t i = slot(t, key, len);
    return t->key[i] ? t->val[i] : -1;
}

/* The cache's index for key: its length and its first and last 8 bytes
 * (all of a key up to 16 bytes; longer keys differing only in the middle
 * share an entry, which costs a miss, never a wrong answer). */
static size_t front_index(const char *key, size_t len)
{
    uint64_t a, b;
    if (len >= 8) {
        memcpy(&a, key, 8);
        memcpy(&b, key + len - 8, 8);
    } else if (len >= 4) {
        uint32_t x, y;
        memcpy(&x, key, 4);
        memcpy(&y, key + len - 4, 4);
        a = x;
        b = y;
    } else {
        a = len ? (unsigned char)key[0] : 0;
        b = len ? (unsigned char)key[len - 1] | (uint64_t)(unsigned char)key[len / 2] << 8 : 0;
    }
    uint64_t h = (a ^ (b << 29 | b >> 35) ^ len) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ull;
    return (size_t)(h >> (64 - FRONT_BITS));
}

/* strtab_find() past its cache: the table, then the cache filled.  Out of
 * line so that the cached path stays a short leaf. */
static __attribute__((noinline)) int32_t find_slow(strtab *t, const char *key, size_t len,
                                                   size_t f, const char **stored)
{
    if (!t->front)
        t->front = xcalloc(1, sizeof *t->front);
    size_t i = slot(t, key, len);
    if (!t->key[i])
        return -1;
    /* keys never move nor change value: the entry stays right until
     * strtab_free (grow() moves only the slot arrays).  A full set loses
     * its second entry. */
    size_t w = t->front->e[f].key ? f + 1 : f;
    t->front->e[w].key = t->key[i];
    t->front->e[w].len = len;
    t->front->e[w].val = t->val[i];
    if (stored)
        *stored = t->key[i];
    return t->val[i];
}

int32_t strtab_find(strtab *t, const char *key, size_t len, const char **stored)
{
    size_t f = 2 * front_index(key, len);
    if (t->front)
        for (size_t w = f; w < f + 2; w++) {
            const char *fk = t->front->e[w].key;
            if (fk && t->front->e[w].len == len && strtab_bytes_eq(fk, key, len)) {
                if (stored)
                    *stored = fk;
                return t->front->e[w].val;
            }
        }
    return find_slow(t, key, len, f, stored);
}

static void grow(strtab *t)
{
    size_t oc = t->cap;
    char **ok = t->key;
    size_t *ol = t->klen;
    int32_t *ov = t->val;
    t->cap = oc * 2;
    t->key = xcalloc(t->cap, sizeof *t->key);
    t->klen = xcalloc(t->cap, sizeof *t->klen);
    t->val = xcalloc(t->cap, sizeof *t->val);
    size_t m = t->cap - 1;
    for (size_t j = 0; j < oc; j++) {
        if (!ok[j])
            continue;
        size_t i = hash(ok[j], ol[j]) & m;
        while (t->key[i])
            i = (i + 1) & m;
        t->key[i] = ok[j];
        t->klen[i] = ol[j];
        t->val[i] = ov[j];
    }
    free(ok);
    free(ol);
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
    t->klen[i] = len;
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
