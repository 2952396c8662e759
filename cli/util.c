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

/* Howard Hinnant's days_from_civil (public domain algorithm). */
int32_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + (int64_t)doe - 719468);
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

int parse_date(const char *s, size_t len, int32_t *day)
{
    if (len < 10)
        return -1;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-')
                return -1;
        } else if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
    }
    if (len > 10 && s[10] != 'T' && s[10] != ' ')
        return -1;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    unsigned m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
    unsigned d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
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

void out_i64(out_t *o, int64_t v)
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
    out_mem(o, r, (size_t)n);
}

void out_num(out_t *o, double v, int dec)
{
    char tmp[40];
    if (!isfinite(v)) {
        out_str(o, "");
        return;
    }
    if (dec < 0 || dec > 9 || fabs(v) >= 1e9) {
        int n = snprintf(tmp, sizeof tmp, "%.17g", v);
        out_mem(o, tmp, (size_t)n);
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
        out_ch(o, '-');
    out_i64(o, (int64_t)ip);
    if (d > 0) {
        int n = 0;
        char f[12];
        for (int i = d - 1; i >= 0; i--) {
            f[i] = (char)('0' + fp % 10);
            fp /= 10;
            n++;
        }
        out_ch(o, '.');
        out_mem(o, f, (size_t)n);
    }
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

void out_csv(out_t *o, const char *s, int neutralise)
{
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    int neut = neutralise && needs_neutralising(s);
    if (!quote && !neut) {
        out_str(o, s);
        return;
    }
    if (quote)
        out_ch(o, '"');
    if (neut)
        out_ch(o, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            out_ch(o, '"');
        out_ch(o, *p);
    }
    if (quote)
        out_ch(o, '"');
}

void out_json_str(out_t *o, const char *s)
{
    out_ch(o, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': out_mem(o, "\\\"", 2); break;
        case '\\': out_mem(o, "\\\\", 2); break;
        case '\n': out_mem(o, "\\n", 2); break;
        case '\r': out_mem(o, "\\r", 2); break;
        case '\t': out_mem(o, "\\t", 2); break;
        default:
            if (*p < 0x20) {
                char t[8];
                snprintf(t, sizeof t, "\\u%04x", *p);
                out_mem(o, t, 6);
            } else if (*p < 0x80) {
                out_ch(o, (char)*p);
            } else {
                const size_t n = utf8_seq_len(p);
                if (n == 0) {
                    out_mem(o, "\\ufffd", 6); /* not UTF-8: the replacement character */
                } else if (n == 3 && p[0] == 0xE2 && p[1] == 0x80 &&
                           (p[2] == 0xA8 || p[2] == 0xA9)) {
                    /* U+2028/U+2029 are valid JSON but end a JavaScript line */
                    out_mem(o, p[2] == 0xA8 ? "\\u2028" : "\\u2029", 6);
                    p += n - 1;
                } else {
                    out_mem(o, (const char *)p, n);
                    p += n - 1;
                }
            }
        }
    }
    out_ch(o, '"');
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
