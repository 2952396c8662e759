/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_cli_writer.c -- the command's writer (cli/util.c) against the code it
 * replaced, kept here verbatim as the reference: out_num() (llround and a
 * digit loop), out_i64(), out_csv() and out_json_str() through checked
 * one-byte writes.  Every output byte of `mlg compute` goes through these,
 * so the new text_* functions must give the same bytes for every input:
 * millions of random and edge doubles at every number of decimals, and
 * random strings full of the characters that need quoting, neutralising or
 * escaping.  Also writes through out_t (out_reserve(), its growth for a
 * field larger than the buffer, out_flush()) into a memory stream.
 *
 * usage: test_cli_writer [ROUNDS]   (default 1: 3.6 M checks; each more
 * round adds 2.9 M numbers) */
#include "util.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------- the reference -- */
typedef struct ref_t {
    char  *buf;
    size_t len, cap;
} ref_t;

static void ref_mem(ref_t *o, const char *s, size_t n)
{
    /* always a buffer, even for nothing: memcpy and memcmp with a NULL
     * pointer are undefined whatever the length (UBSan says so) */
    if (o->len + n > o->cap || !o->buf) {
        o->cap = (o->len + n) * 2;
        o->buf = xrealloc(o->buf, o->cap);
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static void ref_str(ref_t *o, const char *s) { ref_mem(o, s, strlen(s)); }
static void ref_ch(ref_t *o, char c) { ref_mem(o, &c, 1); }

static void ref_i64(ref_t *o, int64_t v)
{
    char tmp[24];
    int n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        tmp[n++] = '-';
    char r[24];
    for (int i = 0; i < n; i++)
        r[i] = tmp[n - 1 - i];
    ref_mem(o, r, (size_t)n);
}

static void ref_num(ref_t *o, double v, int dec)
{
    char tmp[40];
    if (!isfinite(v)) {
        ref_str(o, "");
        return;
    }
    if (dec < 0 || dec > 9 || fabs(v) >= 1e9) {
        int n = snprintf(tmp, sizeof tmp, "%.17g", v);
        ref_mem(o, tmp, (size_t)n);
        return;
    }
    static const double p10[10] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    double scaled = v * p10[dec];
    int64_t q = (int64_t)llround(scaled);
    int neg = q < 0;
    uint64_t u = neg ? (uint64_t)0 - (uint64_t)q : (uint64_t)q;
    uint64_t ip = u / (uint64_t)p10[dec], fp = u % (uint64_t)p10[dec];
    int d = dec;
    while (d > 0 && fp % 10 == 0) {
        fp /= 10;
        d--;
    }
    if (neg && (ip || fp))
        ref_ch(o, '-');
    ref_i64(o, (int64_t)ip);
    if (d > 0) {
        int n = 0;
        char f[12];
        for (int i = d - 1; i >= 0; i--) {
            f[i] = (char)('0' + fp % 10);
            fp /= 10;
            n++;
        }
        ref_ch(o, '.');
        ref_mem(o, f, (size_t)n);
    }
}

static void ref_csv(ref_t *o, const char *s, int neutralise)
{
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    int neut = neutralise && needs_neutralising(s);
    if (!quote && !neut) {
        ref_str(o, s);
        return;
    }
    if (quote)
        ref_ch(o, '"');
    if (neut)
        ref_ch(o, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            ref_ch(o, '"');
        ref_ch(o, *p);
    }
    if (quote)
        ref_ch(o, '"');
}

static void ref_json_str(ref_t *o, const char *s)
{
    ref_ch(o, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': ref_mem(o, "\\\"", 2); break;
        case '\\': ref_mem(o, "\\\\", 2); break;
        case '\n': ref_mem(o, "\\n", 2); break;
        case '\r': ref_mem(o, "\\r", 2); break;
        case '\t': ref_mem(o, "\\t", 2); break;
        default:
            if (*p < 0x20) {
                char t[8];
                snprintf(t, sizeof t, "\\u%04x", *p);
                ref_mem(o, t, 6);
            } else if (*p < 0x80) {
                ref_ch(o, (char)*p);
            } else {
                const size_t n = utf8_seq_len(p);
                if (n == 0) {
                    ref_mem(o, "\\ufffd", 6);
                } else if (n == 3 && p[0] == 0xE2 && p[1] == 0x80 &&
                           (p[2] == 0xA8 || p[2] == 0xA9)) {
                    ref_mem(o, p[2] == 0xA8 ? "\\u2028" : "\\u2029", 6);
                    p += n - 1;
                } else {
                    ref_mem(o, (const char *)p, n);
                    p += n - 1;
                }
            }
        }
    }
    ref_ch(o, '"');
}

/* ------------------------------------------------------------ checks -- */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t rnd(void) /* splitmix64 */
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}
static double rnd01(void) { return (double)(rnd() >> 11) / 9007199254740992.0; }

static long n_checked, n_failed;

static void check_num(double v, int dec)
{
    ref_t r = {0};
    ref_num(&r, v, dec);
    char got[TEXT_NUM_MAX + 8];
    memset(got, 0x55, sizeof got);
    char *end = text_num(got, v, dec);
    const size_t n = (size_t)(end - got);
    n_checked++;
    if (n > TEXT_NUM_MAX || n != r.len || memcmp(got, r.buf, n) != 0) {
        if (n_failed++ < 20)
            fprintf(stderr, "text_num(%.17g, %d): '%.*s', want '%.*s'\n", v, dec,
                    (int)(n <= TEXT_NUM_MAX ? n : 0), got, (int)r.len, r.buf ? r.buf : "");
    }
    free(r.buf);
}

/* every decimals the command can be given, and some it cannot */
static void check_num_all(double v)
{
    for (int dec = -1; dec <= 10; dec++) {
        check_num(v, dec);
        check_num(-v, dec);
    }
}

static void check_numbers(long rounds)
{
    static const double p10[10] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    /* edges */
    const double edge[] = {0.0, -0.0, 0.5, 1.5, 2.5, 0.49999999999999994, 1e9, 1e9 - 0.5,
                           999999999.49999994, 999999999.5, 999999999.99999988, 1e-9,
                           5e-10, 4.9999999999999995e-10, 5e-324, DBL_MIN, DBL_MAX, 1e18,
                           9.2233720368547758e18, 4503599627370496.0, 4503599627370495.5,
                           9007199254740992.0, 2.3199875, 2.31998749999, 3.5275, 0.125,
                           1.0 / 3, 2.0 / 3, 0.1, 0.2, 0.3, 1.005, 2.675, 1.15, 8.345,
                           HUGE_VAL, NAN};
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++) {
        check_num_all(edge[i]);
        check_num_all(nextafter(edge[i], INFINITY));
        check_num_all(nextafter(edge[i], -INFINITY));
    }
    /* every exact boundary k/10^dec + half a unit, and its neighbours, on
     * the grid and above it */
    for (int dec = 0; dec <= 9; dec++)
        for (int k = 0; k < 2000; k++) {
            const double v = (k + 0.5) / p10[dec];
            for (int s = -1; s <= 1; s++) {
                const double w = s < 0 ? nextafter(v, 0) : s > 0 ? nextafter(v, 2 * v + 1) : v;
                check_num(w, dec);
                check_num(-w, dec);
            }
        }
    /* whole numbers */
    for (int k = -3000; k <= 3000; k++)
        for (int dec = 0; dec <= 9; dec++)
            check_num(k, dec);
    for (long r = 0; r < rounds; r++) {
        for (int i = 0; i < 100000; i++) {
            /* means of a few small scores: the typical mark */
            const int cnt = 1 + (int)(rnd() % 40);
            int64_t sum = 0;
            for (int j = 0; j < cnt; j++)
                sum += (int64_t)(rnd() % 9);
            const double mean = (double)sum / 2.0 / cnt;
            /* 2.3199875-like: short decimals, exact text times a power */
            const double dv = (double)(int64_t)(rnd() % 100000000) / p10[rnd() % 10];
            /* random bits: every exponent, subnormals, NaN and infinity */
            uint64_t bits = rnd();
            double raw;
            memcpy(&raw, &bits, sizeof raw);
            /* uniform over the fast range and near its end */
            const double uni = (rnd01() * 2 - 1) * 1e9;
            const double small = (rnd01() * 2 - 1) * 10;
            const double nearend = 1e9 - rnd01() * 1e-3;
            /* half-way values at a random decimal and their neighbours */
            const int hd = (int)(rnd() % 10);
            const double half = ((double)(int64_t)(rnd() % 1000000000) + 0.5) / p10[hd];
            const double vals[] = {mean, dv, raw, uni, small, nearend, half,
                                   nextafter(half, 0), nextafter(half, 1e10)};
            for (size_t k = 0; k < sizeof vals / sizeof vals[0]; k++) {
                const int dec = (int)(rnd() % 12) - 1; /* -1 .. 10 */
                check_num(vals[k], dec);
                check_num(-vals[k], dec);
                check_num(vals[k], hd);
            }
            check_num(mean, 6);
            check_num(dv, 6);
        }
    }
}

static void check_i64(void)
{
    const int64_t edge[] = {0, 1, -1, 9, 10, -10, 99, 100, INT64_MAX, INT64_MIN, INT64_MIN + 1,
                            INT32_MAX, INT32_MIN};
    for (size_t i = 0; i < sizeof edge / sizeof edge[0] + 200000; i++) {
        const int64_t v = i < sizeof edge / sizeof edge[0]
                              ? edge[i]
                              : (int64_t)(rnd() >> (rnd() % 64)) * (rnd() & 1 ? -1 : 1);
        ref_t r = {0};
        ref_i64(&r, v);
        char got[TEXT_I64_MAX];
        const size_t n = (size_t)(text_i64(got, v) - got);
        n_checked++;
        if (n != r.len || memcmp(got, r.buf, n) != 0) {
            if (n_failed++ < 20)
                fprintf(stderr, "text_i64(%lld): '%.*s', want '%.*s'\n", (long long)v, (int)n,
                        got, (int)r.len, r.buf);
        }
        free(r.buf);
    }
}

/* A random string of the bytes that matter to CSV and JSON. */
static size_t rnd_string(char *s, size_t max)
{
    static const char *const piece[] = {
        "a", "Z", "0", ",", "\"", "\r", "\n", "\t", "=", "+", "-", "@", "'", "\\", "/",
        "\xEF\xBB\xBF", "\xEF\xBC\x9D", "\xEF\xBC\x8B", "\xEF\xBC\x8D", "\xEF\xBC\xA0",
        "\xEF\xBC", "\xE2\x80\xA8", "\xE2\x80\xA9", "\xC3\xA9", "\xF0\x9F\x98\x80", "\x80",
        "\xFF", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\x01", "\x1F", "\x7F", " ",
        "S0000001", "3.OA.A.1"};
    const size_t np = sizeof piece / sizeof piece[0];
    size_t n = 0;
    const size_t want = rnd() % 5 == 0 ? (size_t)(rnd() % max) : (size_t)(rnd() % 12);
    while (n < want) {
        const char *p = piece[rnd() % np];
        const size_t k = strlen(p);
        if (n + k >= max)
            break;
        memcpy(s + n, p, k);
        n += k;
    }
    s[n] = '\0';
    return n;
}

static void check_strings(void)
{
    /* through out_t into a memory stream, with a small buffer so that
     * fields cross flushes and some are larger than the whole buffer */
    char *mem = NULL;
    size_t memlen = 0;
    FILE *f = open_memstream(&mem, &memlen);
    if (!f) {
        perror("open_memstream");
        exit(1);
    }
    out_t o;
    out_init(&o, f);
    o.cap = 64; /* the buffer stays larger; out_reserve_slow() grows cap */
    ref_t all = {0};
    const size_t max = 300;
    char *s = xmalloc(max);
    for (int i = 0; i < 300000; i++) {
        rnd_string(s, max);
        const int neut = (int)(rnd() & 1);
        ref_t r = {0};
        char *got = xmalloc(TEXT_JSON_MAX(max) + TEXT_CSV_MAX(max));
        size_t n;
        if (i & 1) {
            ref_csv(&r, s, neut);
            n = (size_t)(text_csv(got, s, neut) - got);
            out_csv(&o, s, neut);
            ref_csv(&all, s, neut);
        } else {
            ref_json_str(&r, s);
            n = (size_t)(text_json_str(got, s) - got);
            out_json_str(&o, s);
            ref_json_str(&all, s);
        }
        n_checked++;
        if (n != r.len || memcmp(got, r.buf, n) != 0 ||
            n > (i & 1 ? TEXT_CSV_MAX(strlen(s)) : TEXT_JSON_MAX(strlen(s)))) {
            if (n_failed++ < 20)
                fprintf(stderr, "%s of '%s': '%.*s', want '%.*s'\n",
                        i & 1 ? "text_csv" : "text_json_str", s, (int)n, got, (int)r.len,
                        r.buf);
        }
        free(got);
        free(r.buf);
        /* the other writers, interleaved */
        const double v = (double)(int64_t)(rnd() % 100000) / 1000;
        out_num(&o, v, 3);
        ref_num(&all, v, 3);
        const int64_t k = (int64_t)rnd();
        out_i64(&o, k);
        ref_i64(&all, k);
    }
    free(s);
    check_write_errors(&o, "memstream");
    out_free(&o);
    fclose(f);
    n_checked++;
    if (memlen != all.len || memcmp(mem, all.buf, memlen) != 0) {
        n_failed++;
        fprintf(stderr, "out_t stream: %zu bytes, want %zu, or they differ\n", memlen, all.len);
    }
    free(all.buf);
    free(mem);
}

int main(int argc, char **argv)
{
    const long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 1;
    check_i64();
    check_strings();
    check_numbers(rounds);
    printf("%ld checked, %ld differ\n", n_checked, n_failed);
    return n_failed ? 1 : 0;
}
