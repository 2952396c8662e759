/* SPDX-License-Identifier: GPL-3.0-or-later */
/* csv_scan_diff.c -- cli/csv.c's fast path (next_plain) against its general
 * path alone, on random CSV-ish input.
 *
 * cli/csv.c is built several times (tests/CMakeLists.txt), its functions
 * renamed: csvref_* with MLG_CSV_NO_FAST (the reader as it was before the
 * fast path: the reference), csvfast_* as shipped, and with a 61-byte block
 * (a refill every few records) csvrefs_*, csvfasts_* and csvports_* (the
 * portable version, MLG_CSV_NO_SIMD).  Each random input is read by every
 * variant with the same delimiter, record limit and restarts, and every
 * csv_next() must agree with its reference: the return value, the fields
 * (bytes, lengths, NUL-terminated), rec_line, rec_end, line, blank, the
 * reason of a bad record and the file offset of the next unread byte.
 *
 *   csv_scan_diff [CASES [SEED]]
 */
#define _POSIX_C_SOURCE 200809L
#include "../cli/csv.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

typedef struct {
    const char *name;
    int (*open)(csv_reader *, FILE *, size_t);
    void (*restart)(csv_reader *, int64_t);
    void (*close)(csv_reader *);
    int (*next)(csv_reader *);
} variant;

#define DECL(p)                                                                               \
    int p##_open(csv_reader *, FILE *, size_t);                                               \
    void p##_restart(csv_reader *, int64_t);                                                  \
    void p##_close(csv_reader *);                                                             \
    int p##_next(csv_reader *);
DECL(csvref)
DECL(csvfast)
DECL(csvrefs)
DECL(csvfasts)
DECL(csvports)
#define V(p) {#p, p##_open, p##_restart, p##_close, p##_next}

/* {variant, its reference} */
static const variant pairs[][2] = {
    {V(csvfast), V(csvref)},
    {V(csvfasts), V(csvrefs)},
    {V(csvports), V(csvrefs)},
};

static uint64_t rng_state;
static unsigned rnd(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return n ? (unsigned)((rng_state >> 11) % n) : 0;
}

typedef struct {
    char  *b;
    size_t n, cap;
} text;

static void put(text *t, const char *s, size_t k)
{
    if (t->n + k > t->cap) {
        t->cap = (t->n + k) * 2;
        t->b = realloc(t->b, t->cap);
        if (!t->b)
            abort();
    }
    memcpy(t->b + t->n, s, k);
    t->n += k;
}
static void putc1(text *t, char c)
{
    put(t, &c, 1);
}

/* A CSV-ish file: records of short fields with one delimiter, LF or CRLF,
 * with, now and then, every byte the reader treats specially. */
static void gen(text *t, size_t target, size_t max_record)
{
    static const char delims[] = ",;\t|";
    static const char plain[] = "abcXYZ0123456789 -_.:/";
    char d = delims[rnd(4)];
    int crlf = rnd(3) == 0;
    unsigned noise = rnd(4) == 0 ? 2 + rnd(40) : 0; /* 1 in `noise`: a special */
    t->n = 0;
    if (rnd(10) == 0)
        put(t, "\xEF\xBB\xBF", 3);
    while (t->n < target) {
        unsigned kind = rnd(60);
        if (kind == 0) { /* blank line(s) */
            put(t, crlf ? "\r\n" : "\n", crlf ? 2 : 1);
            continue;
        }
        if (kind == 1) { /* near CSV_MAX_FIELDS fields */
            unsigned k = CSV_MAX_FIELDS - 3 + rnd(5);
            for (unsigned i = 0; i < k; i++) {
                if (rnd(8) == 0)
                    putc1(t, 'x');
                putc1(t, d);
            }
            put(t, "\n", 1);
            continue;
        }
        if (kind == 3 && max_record < 20000) { /* about max_record bytes */
            size_t k = max_record - 2 + rnd(5);
            for (size_t i = 0; i < k; i++)
                putc1(t, rnd(6) ? plain[rnd(sizeof plain - 1)] : d);
            if (crlf)
                putc1(t, '\r');
            put(t, "\n", 1);
            continue;
        }
        if (kind == 2) { /* a long line */
            unsigned k = 50 + rnd(3000);
            for (unsigned i = 0; i < k; i++)
                putc1(t, rnd(10) ? plain[rnd(sizeof plain - 1)] : d);
            put(t, "\n", 1);
            continue;
        }
        unsigned nf = 1 + rnd(6);
        for (unsigned f = 0; f < nf; f++) {
            if (f)
                putc1(t, d);
            if (rnd(25) == 0) { /* a quoted field, maybe with "" or a line break */
                putc1(t, '"');
                unsigned k = rnd(8);
                for (unsigned i = 0; i < k; i++) {
                    unsigned c = rnd(12);
                    putc1(t, c == 0 ? d : c == 1 ? '\n' : plain[rnd(sizeof plain - 1)]);
                    if (c == 2)
                        put(t, "\"\"", 2);
                }
                if (rnd(8))
                    putc1(t, '"');
                continue;
            }
            unsigned k = rnd(4) == 0 ? rnd(40) : rnd(12);
            for (unsigned i = 0; i < k; i++) {
                if (noise && rnd(noise) == 0) {
                    static const char special[] = {'"', '\0', '\r', '\n', ',', ';', '\t', '|'};
                    putc1(t, special[rnd(sizeof special)]);
                } else {
                    putc1(t, plain[rnd(sizeof plain - 1)]);
                }
            }
        }
        if (crlf)
            putc1(t, '\r');
        putc1(t, '\n');
    }
    if (t->n && rnd(3) == 0) /* no line break at the end, or a cut record */
        t->n -= 1 + rnd(t->n < 8 ? (unsigned)t->n : 8u);
}

typedef struct {
    char    delim;
    size_t  max_record;
    int     unseekable;
    long    restart_after; /* records; -1: none */
    int64_t restart_at, restart_limit;
} plan;

typedef struct {
    int     rc;
    size_t  nfields;
    int64_t rec_line, rec_end, line, blank, next_off;
    char    reason[160];
    size_t  flen[CSV_MAX_FIELDS];
    char   *copy; /* fields, each with its NUL */
    size_t  ncopy;
} outcome;

static void take(const csv_reader *r, int rc, outcome *o)
{
    o->rc = rc;
    o->nfields = rc == CSV_OK ? r->nfields : 0;
    o->rec_line = r->rec_line;
    o->rec_end = r->rec_end;
    o->line = r->line;
    o->blank = r->blank;
    o->next_off = r->pos0 >= 0 ? r->pos0 + (int64_t)r->start : -1;
    snprintf(o->reason, sizeof o->reason, "%s",
             rc == CSV_BAD || rc == CSV_FATAL ? r->reason : "");
    o->ncopy = 0;
    for (size_t k = 0; k < o->nfields; k++) {
        o->flen[k] = r->flen[k];
        if (r->field[k][r->flen[k]] != '\0') {
            fprintf(stderr, "field %zu not NUL-terminated\n", k);
            exit(1);
        }
        o->ncopy += r->flen[k] + 1;
    }
    o->copy = realloc(o->copy, o->ncopy ? o->ncopy : 1);
    size_t at = 0;
    for (size_t k = 0; k < o->nfields; k++) {
        memcpy(o->copy + at, r->field[k], r->flen[k] + 1);
        at += r->flen[k] + 1;
    }
}

static int same(const outcome *a, const outcome *b)
{
    return a->rc == b->rc && a->nfields == b->nfields && a->rec_line == b->rec_line &&
           a->rec_end == b->rec_end && a->line == b->line && a->blank == b->blank &&
           a->next_off == b->next_off && !strcmp(a->reason, b->reason) &&
           a->ncopy == b->ncopy && !memcmp(a->flen, b->flen, a->nfields * sizeof a->flen[0]) &&
           !memcmp(a->copy, b->copy, a->ncopy);
}

static void dump(const char *who, const outcome *o)
{
    fprintf(stderr, "  %s: rc %d, %zu fields, rec_line %" PRId64 ", rec_end %" PRId64
                    ", line %" PRId64 ", blank %" PRId64 ", next %" PRId64 ", reason '%s'\n",
            who, o->rc, o->nfields, o->rec_line, o->rec_end, o->line, o->blank, o->next_off,
            o->reason);
}

/* Read t with both variants of a pair, side by side; 0 when they agree. */
static int run(const variant *v, const text *t, const plan *pl, uint64_t seed)
{
    FILE *f[2];
    csv_reader *r[2];
    outcome o[2] = {{0}, {0}};
    int ret = 0;
    for (int i = 0; i < 2; i++) {
        f[i] = fmemopen(t->b, t->n, "r");
        r[i] = malloc(sizeof *r[i]);
        if (!f[i] || !r[i] || v[i].open(r[i], f[i], pl->max_record) != 0) {
            fprintf(stderr, "cannot open\n");
            exit(1);
        }
        r[i]->delim = pl->delim;
        if (pl->unseekable)
            r[i]->pos0 = -1;
    }
    for (long rec = 0; rec < 1000000; rec++) {
        if (rec == pl->restart_after) {
            for (int i = 0; i < 2; i++) {
                if (fseeko(f[i], (off_t)pl->restart_at, SEEK_SET) != 0)
                    exit(1);
                v[i].restart(r[i], pl->restart_limit);
            }
        }
        for (int i = 0; i < 2; i++)
            take(r[i], v[i].next(r[i]), &o[i]);
        if (!same(&o[0], &o[1])) {
            fprintf(stderr, "%s and %s differ at record %ld (seed %" PRIu64 ", %zu bytes, "
                            "delim %d, max_record %zu)\n",
                    v[0].name, v[1].name, rec, seed, t->n, pl->delim, pl->max_record);
            dump(v[0].name, &o[0]);
            dump(v[1].name, &o[1]);
            ret = 1;
            break;
        }
        if (o[0].rc == CSV_EOF || o[0].rc == CSV_IOERR || o[0].rc == CSV_FATAL)
            break;
    }
    for (int i = 0; i < 2; i++) {
        v[i].close(r[i]);
        free(r[i]);
        fclose(f[i]);
        free(o[i].copy);
    }
    return ret;
}

int main(int argc, char **argv)
{
    long cases = argc > 1 ? atol(argv[1]) : 3000;
    uint64_t seed0 = argc > 2 ? strtoull(argv[2], NULL, 10) : 15;
    text t = {0};
    long failed = 0;
    for (long c = 0; c < cases && failed < 5; c++) {
        uint64_t seed = seed0 * 1000003u + (uint64_t)c;
        rng_state = seed * 0x9E3779B97F4A7C15ull + 1;
        size_t target = c % 500 == 7 ? ((size_t)1 << 20) + rnd(1u << 20) /* > a block */
                        : rnd(4) == 0 ? rnd(20000) : rnd(400);
        static const size_t maxrec[] = {64, 78, 79, 94, 95, 100, 300, 4000, 9000,
                                        CSV_DEFAULT_MAX_RECORD};
        static const char delim[] = {',', ';', '\t', '|', 0};
        plan pl = {.restart_after = -1};
        pl.delim = delim[rnd(5)];
        pl.max_record = maxrec[rnd(10)];
        pl.unseekable = rnd(8) == 0;
        gen(&t, target, pl.max_record);
        if (rnd(4) == 0 && t.n) {
            pl.restart_after = (long)rnd(20);
            pl.restart_at = rnd((unsigned)t.n + 1);
            pl.restart_limit = rnd(2) ? -1 : (int64_t)rnd((unsigned)(t.n - pl.restart_at) + 1);
        }
        if (!t.n)
            continue; /* fmemopen wants a size */
        for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++)
            failed += run(pairs[k], &t, &pl, seed);
    }
    free(t.b);
    if (failed) {
        fprintf(stderr, "csv_scan_diff: %ld disagreements\n", failed);
        return 1;
    }
    printf("csv_scan_diff: %ld cases, every record the same\n", cases);
    return 0;
}
