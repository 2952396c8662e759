/* SPDX-License-Identifier: GPL-3.0-or-later */
/* util.c -- diagnostics, allocation, dates, numbers and the output writer. */
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Each diagnostic is formatted first and written with one call, so lines
 * from parallel readers never interleave.  A thread may divert its own into
 * a buffer (diag_capture(): the parallel reader's workers, whose
 * diagnostics are printed in input order after the join). */
static _Thread_local out_t *diag_sink;

void diag_capture(out_t *o) { diag_sink = o; }

static void diag_put(const char *msg)
{
    if (diag_sink)
        out_str(diag_sink, msg);
    else
        fputs(msg, stderr);
}

void diag(const char *fmt, ...)
{
    char msg[1200];
    va_list ap;
    va_start(ap, fmt);
    int n = snprintf(msg, sizeof msg, "mlg: ");
    vsnprintf(msg + n, sizeof msg - (size_t)n - 1, fmt, ap);
    va_end(ap);
    strcat(msg, "\n");
    diag_put(msg);
}

void diag_at(const char *file, int64_t line, const char *fmt, ...)
{
    char msg[1600];
    va_list ap;
    va_start(ap, fmt);
    int n;
    if (line > 0)
        n = snprintf(msg, 400, "mlg: %s:%lld: ", file, (long long)line);
    else
        n = snprintf(msg, 400, "mlg: %s: ", file);
    if (n < 0 || n >= 400)
        n = 399;
    vsnprintf(msg + n, sizeof msg - (size_t)n - 1, fmt, ap);
    va_end(ap);
    strcat(msg, "\n");
    diag_put(msg);
}

static void *nomem(void *p)
{
    if (!p) {
        fputs("mlg: out of memory\n", stderr);
        exit(EXIT_NOMEM);
    }
    return p;
}

void *xmalloc(size_t n) { return nomem(malloc(n ? n : 1)); }
void *xrealloc(void *p, size_t n) { return nomem(realloc(p, n ? n : 1)); }
void *xcalloc(size_t n, size_t size) { return nomem(calloc(n ? n : 1, size ? size : 1)); }
char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

/* ------------------------------------------------------------- dates -- */

/* Howard Hinnant's days_from_civil (public domain algorithm), with the
 * day of the year (from March 1) of each month's first day from a table
 * instead of (153 * m' + 2) / 5, and without the 400-year eras for the
 * years 0 to 1,000,000 (every year of a date parse_date reads): there
 * 365 * y + y / 4 - y / 100 + y / 400 is the same number of days (an era
 * is 146097 days), in unsigned 32-bit arithmetic. */
int32_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    static const uint16_t mar_doy[12] = {306, 337, 0, 31, 61, 92, 122, 153, 184, 214, 245, 275};
    y -= m <= 2;
    int64_t era = 0;
    if (y < 0 || y > 1000000) {
        era = (y >= 0 ? y : y - 399) / 400;
        y -= era * 400;
    }
    const uint32_t yy = (uint32_t)y;
    const uint32_t doy = mar_doy[(m - 1) % 12] + d - 1;
    const uint32_t days = yy * 365 + yy / 4 - yy / 100 + yy / 400 + doy;
    return (int32_t)(era * 146097 + (int64_t)days - 719468);
}

char *day_to_iso(int32_t z32, char *buf)
{
    int64_t z = (int64_t)z32 + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = (int64_t)yoe + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%04lld-%02u-%02u", (long long)y, m % 100, d % 100);
    memcpy(buf, tmp, 10);
    buf[10] = '\0';
    return buf;
}

static int is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* The 8 bytes at p as a little-endian number, whatever the machine's byte
 * order (compilers turn this into one load on little-endian machines). */
static uint64_t load_le64(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return (uint64_t)u[0] | (uint64_t)u[1] << 8 | (uint64_t)u[2] << 16 | (uint64_t)u[3] << 24 |
           (uint64_t)u[4] << 32 | (uint64_t)u[5] << 40 | (uint64_t)u[6] << 48 |
           (uint64_t)u[7] << 56;
}

/* Called for every evidence row: "YYYY-MM-" is checked in one 8-byte word
 * rather than a loop with two tests per character. */
int parse_date(const char *s, size_t len, int32_t *day)
{
    if (len < 10)
        return -1;
    if (len > 10 && s[10] != 'T' && s[10] != ' ')
        return -1;
    /* XOR with "0000-00-" leaves each digit's value (0..9) in its byte and
     * 0 in the dashes' bytes exactly when the bytes are right; adding 0x76
     * to a digit byte (0x7F to a dash byte) sets its top bit exactly when
     * it is out of range.  A byte with its top bit already set is caught by
     * "| v" (only such a byte can carry into the next). */
    const uint64_t v = load_le64(s) ^ 0x2D30302D30303030ull;
    if (((v + 0x7F76767F76767676ull) | v) & 0x8080808080808080ull)
        return -1;
    unsigned d1 = (unsigned)(unsigned char)s[8] - '0', d0 = (unsigned)(unsigned char)s[9] - '0';
    if (d1 > 9 || d0 > 9)
        return -1;
    /* Byte k of t: 10 * digit k + digit k + 1 (at most 99: no carries), so
     * bytes 0 and 2 are the two halves of the year and byte 5 the month. */
    const uint64_t t = v * 10 + (v >> 8);
    int y = (int)((t & 0xFF) * 100 + (t >> 16 & 0xFF));
    unsigned m = (unsigned)(t >> 40 & 0xFF);
    unsigned d = d1 * 10 + d0;
    static const unsigned char mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1)
        return -1;
    unsigned lim = mdays[m - 1] + (m == 2 && is_leap(y) ? 1u : 0u);
    if (d > lim)
        return -1;
    *day = days_from_civil(y, m, d);
    return 0;
}

int parse_double(const char *s, size_t len, double *out)
{
    if (len == 0)
        return -1;
    /* Fast path: small whole numbers and one-decimal-place scores, which is
     * nearly all gradebook evidence.  Exact: the result is the correctly
     * rounded double of the decimal text. */
    if (len <= 4) {
        size_t i = 0;
        int ip = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            ip = ip * 10 + (s[i++] - '0');
        if (i == len && i > 0) {
            *out = ip;
            return 0;
        }
    }
    char tmp[64];
    if (len >= sizeof tmp)
        return -1;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    if (tmp[0] == ' ' || tmp[0] == '\t' || tmp[len - 1] == ' ' || tmp[len - 1] == '\t')
        return -1;
    char *end;
    errno = 0;
    double v = strtod(tmp, &end);
    if (end != tmp + len)
        return -1;
    if (!isfinite(v))
        return -2;
    /* Decimal only: strtod also reads hexadecimal ("0x3", "0x1p1"). */
    for (size_t i = 0; i < len; i++)
        if (!((tmp[i] >= '0' && tmp[i] <= '9') || tmp[i] == '.' || tmp[i] == '-' ||
              tmp[i] == '+' || tmp[i] == 'e' || tmp[i] == 'E'))
            return -1;
    *out = v;
    return 0;
}

/* ------------------------------------------------------------ writer -- */
#define OUT_CAP ((size_t)1 << 16)

void out_init(out_t *o, FILE *f)
{
    o->f = f;
    o->cap = OUT_CAP;
    o->buf = xmalloc(o->cap);
    o->len = 0;
    o->err = 0;
}

void out_flush(out_t *o)
{
    if (o->len && !o->err) {
        if (fwrite(o->buf, 1, o->len, o->f) != o->len)
            o->err = errno ? errno : EIO;
    }
    o->len = 0;
}

void out_free(out_t *o)
{
    free(o->buf);
    o->buf = NULL;
}

char *out_reserve_slow(out_t *o, size_t n)
{
    out_flush(o);
    if (n > o->cap) {
        /* one field longer than the buffer (an id near --max-record) */
        o->buf = xrealloc(o->buf, n);
        o->cap = n;
    }
    return o->buf + o->len;
}

void out_mem(out_t *o, const char *s, size_t n)
{
    if (o->len + n > o->cap) {
        out_flush(o);
        if (n > o->cap) {
            if (!o->err && fwrite(s, 1, n, o->f) != n)
                o->err = errno ? errno : EIO;
            return;
        }
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

void out_str(out_t *o, const char *s) { out_mem(o, s, strlen(s)); }

void out_ch(out_t *o, char c)
{
    if (o->len + 1 > o->cap)
        out_flush(o);
    o->buf[o->len++] = c;
}

/* "00" "01" .. "99": two digits per division by 100. */
static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

static char *text_u64(char *p, uint64_t u)
{
    if (u < 10) {
        *p = (char)('0' + u);
        return p + 1;
    }
    int n = 2;
    for (uint64_t t = u / 100; t; t /= 10)
        n++;
    char *e = p + n;
    while (u >= 100) {
        e -= 2;
        memcpy(e, digit_pairs + 2 * (u % 100), 2);
        u /= 100;
    }
    if (u >= 10) {
        e -= 2;
        memcpy(e, digit_pairs + 2 * u, 2);
    } else {
        *--e = (char)('0' + u);
    }
    return p + n;
}

char *text_i64(char *p, int64_t v)
{
    if (v < 0)
        *p++ = '-';
    return text_u64(p, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
}

void out_i64(out_t *o, int64_t v)
{
    out_commit(o, text_i64(out_reserve(o, TEXT_I64_MAX), v));
}

/* The value times 10^dec rounded half away from zero (llround's rule),
 * then written as integer digits with trailing zeros trimmed: no printf, so
 * no locale.  The rounding is done without llround: for |s| < 2^52 the
 * difference s - trunc(s) is exact, and at or above 2^52 every double is a
 * whole number, so "add one away from zero when the fraction is at least
 * one half" is llround exactly (tests/cli/test_cli_writer.c compares the
 * two, and this function with the digit loop it replaced, over millions of
 * values). */
char *text_num(char *p, double v, int dec)
{
    if (!isfinite(v))
        return p;
    if (dec < 0 || dec > 9 || fabs(v) >= 1e9) {
        char tmp[40];
        int n = snprintf(tmp, sizeof tmp, "%.17g", v);
        memcpy(p, tmp, (size_t)n);
        return p + n;
    }
    static const double p10[10] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    const double scaled = v * p10[dec]; /* |scaled| < 1e18: fits int64_t */
    int64_t q = (int64_t)scaled;
    const double frac = scaled - (double)q;
    if (frac >= 0.5)
        q++;
    else if (frac <= -0.5)
        q--;
    uint64_t u = (uint64_t)q;
    if (q < 0) {
        *p++ = '-';
        u = (uint64_t)0 - u;
    }
    /* whole and fractional part; constant divisors are multiplications */
    uint64_t ip, fp;
    switch (dec) {
#define SPLIT(d, pow)  \
    case d:            \
        ip = u / pow;  \
        fp = u % pow;  \
        break;
        SPLIT(1, 10u) SPLIT(2, 100u) SPLIT(3, 1000u) SPLIT(4, 10000u) SPLIT(5, 100000u)
        SPLIT(6, 1000000u) SPLIT(7, 10000000u) SPLIT(8, 100000000u) SPLIT(9, 1000000000u)
#undef SPLIT
    default:
        ip = u;
        fp = 0;
        break;
    }
    p = text_u64(p, ip);
    if (fp) {
        /* dec digits, zero-padded, then the trailing zeros trimmed (fp is
         * not 0: a digit other than 0 stops the trim) */
        *p++ = '.';
        char *end = p + dec, *f = end;
        int i = dec;
        for (; i >= 2; i -= 2) {
            f -= 2;
            memcpy(f, digit_pairs + 2 * (fp % 100), 2);
            fp /= 100;
        }
        if (i)
            *--f = (char)('0' + fp);
        while (end[-1] == '0')
            end--;
        p = end;
    }
    return p;
}

void out_num(out_t *o, double v, int dec)
{
    out_commit(o, text_num(out_reserve(o, TEXT_NUM_MAX), v, dec));
}

int needs_neutralising(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] == '=' || u[0] == '+' || u[0] == '-' || u[0] == '@' || u[0] == '\t' ||
        u[0] == '\r')
        return 1;
    if (u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
        return 1; /* U+FEFF, the byte order mark */
    /* U+FF0B + (EF BC 8B), U+FF0D - (EF BC 8D), U+FF1D = (EF BC 9D),
     * U+FF20 @ (EF BC A0) */
    return u[0] == 0xEF && u[1] == 0xBC &&
           (u[2] == 0x8B || u[2] == 0x8D || u[2] == 0x9D || u[2] == 0xA0);
}

size_t utf8_seq_len(const unsigned char *s)
{
    const unsigned c = s[0];
    if (c == 0)
        return 0;
    if (c < 0x80)
        return 1;
    /* second-byte range by lead byte (RFC 3629, section 4) */
    unsigned lo = 0x80, hi = 0xBF;
    size_t n;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0; /* no overlong forms */
        else if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        return 0;
    }
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return n;
}

char *text_csv(char *p, const char *s, int neutralise)
{
    const size_t len = strlen(s);
    const int quote = strpbrk(s, ",\"\r\n") != NULL;
    const int neut = neutralise && needs_neutralising(s);
    if (!quote && !neut) {
        memcpy(p, s, len);
        return p + len;
    }
    if (quote)
        *p++ = '"';
    if (neut)
        *p++ = '\'';
    for (const char *q = s; *q; q++) {
        if (*q == '"')
            *p++ = '"';
        *p++ = *q;
    }
    if (quote)
        *p++ = '"';
    return p;
}

void out_csv(out_t *o, const char *s, int neutralise)
{
    out_commit(o, text_csv(out_reserve(o, TEXT_CSV_MAX(strlen(s))), s, neutralise));
}

char *text_json_str(char *p, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    *p++ = '"';
    for (const unsigned char *q = (const unsigned char *)s; *q; q++) {
        switch (*q) {
        case '"': *p++ = '\\'; *p++ = '"'; break;
        case '\\': *p++ = '\\'; *p++ = '\\'; break;
        case '\n': *p++ = '\\'; *p++ = 'n'; break;
        case '\r': *p++ = '\\'; *p++ = 'r'; break;
        case '\t': *p++ = '\\'; *p++ = 't'; break;
        default:
            if (*q < 0x20) {
                memcpy(p, "\\u00", 4);
                p[4] = hex[*q >> 4];
                p[5] = hex[*q & 15];
                p += 6;
            } else if (*q < 0x80) {
                *p++ = (char)*q;
            } else {
                const size_t n = utf8_seq_len(q);
                if (n == 0) {
                    memcpy(p, "\\ufffd", 6); /* not UTF-8: the replacement character */
                    p += 6;
                } else if (n == 3 && q[0] == 0xE2 && q[1] == 0x80 &&
                           (q[2] == 0xA8 || q[2] == 0xA9)) {
                    /* U+2028/U+2029 are valid JSON but end a JavaScript line */
                    memcpy(p, q[2] == 0xA8 ? "\\u2028" : "\\u2029", 6);
                    p += 6;
                    q += n - 1;
                } else {
                    memcpy(p, q, n);
                    p += n;
                    q += n - 1;
                }
            }
        }
    }
    *p++ = '"';
    return p;
}

void out_json_str(out_t *o, const char *s)
{
    out_commit(o, text_json_str(out_reserve(o, TEXT_JSON_MAX(strlen(s))), s));
}

int stdout_check_errors(void)
{
    errno = 0;
    int err = 0;
    if (fflush(stdout) != 0)
        err = errno ? errno : EIO;
    else if (ferror(stdout))
        err = EIO;
    if (!err || err == EPIPE)
        return EXIT_OK; /* a closed pipe: quiet, like head(1) */
    diag("stdout: write error: %s", strerror(err));
    return EXIT_IO;
}

void check_write_errors(out_t *o, const char *what)
{
    out_flush(o);
    if (!o->err && fflush(o->f) != 0)
        o->err = errno ? errno : EIO;
    if (o->err) {
        if (o->err == EPIPE)
            exit(EXIT_OK); /* the reader went away: quiet, like head(1) */
        diag("%s: write error: %s", what, strerror(o->err));
        exit(EXIT_IO);
    }
}

FILE *open_in(const char *path)
{
    if (strcmp(path, "-") == 0)
        return stdin;
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag("%s: cannot open: %s", path, strerror(errno));
        exit(EXIT_IO);
    }
    return f;
}
