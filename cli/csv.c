/* SPDX-License-Identifier: GPL-3.0-or-later */
/* csv.c -- streaming RFC 4180 CSV reader (see csv.h). */
#include "csv.h"

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* SSE2 is part of x86-64; MLG_CSV_NO_SIMD builds the portable version (the
 * tests build both: they must give the same results). */
#if defined(__SSE2__) && !defined(MLG_CSV_NO_SIMD)
#include <emmintrin.h>
#define CSV_SSE2 1
#endif

/* MLG_CSV_NO_FAST: the tests' reference, the general path alone. */
#if defined(MLG_CSV_NO_FAST)
enum { csv_fast = 0 };
#else
enum { csv_fast = 1 };
#endif

#ifndef CSV_BLOCK /* the tests also build it with a tiny block: refills */
#define CSV_BLOCK ((size_t)1 << 20)
#endif

int csv_open(csv_reader *r, FILE *f, size_t max_record)
{
    memset(r, 0, sizeof *r);
    if (max_record < 64)
        max_record = 64;
    r->f = f;
    r->max_record = max_record;
    r->cap = max_record + CSV_BLOCK;
    r->buf = malloc(r->cap + 1);
    if (!r->buf)
        return -1;
    r->first = 1;
    r->line = 1;
    r->limit = -1;
    r->pos0 = (int64_t)ftello(f);
    r->delim = ',';
    return 0;
}

void csv_restart(csv_reader *r, int64_t limit)
{
    r->start = r->len = 0;
    r->eof = 0;
    r->first = 0;
    r->line = 1;
    r->limit = limit;
    r->pos0 = (int64_t)ftello(r->f);
}

void csv_close(csv_reader *r)
{
    free(r->buf);
    r->buf = NULL;
}

/* Move the unread bytes to the front and read more.  Returns the number of
 * bytes added (0 at EOF or when the buffer is full); -1 on a read error. */
static long refill(csv_reader *r)
{
    if (r->eof)
        return 0;
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->len - r->start);
        r->len -= r->start;
        if (r->pos0 >= 0)
            r->pos0 += (int64_t)r->start;
        r->start = 0;
    }
    if (r->len >= r->cap)
        return 0;
    size_t want = r->cap - r->len;
    if (r->limit >= 0 && (int64_t)want > r->limit)
        want = (size_t)r->limit;
    size_t got = want ? fread(r->buf + r->len, 1, want, r->f) : 0;
    if (r->limit >= 0)
        r->limit -= (int64_t)got;
    if (got == 0) {
        if (ferror(r->f))
            return -1;
        r->eof = 1;
    }
    r->len += got;
    if (r->first && r->len >= 3) {
        r->first = 0;
        if ((unsigned char)r->buf[0] == 0xEF && (unsigned char)r->buf[1] == 0xBB &&
            (unsigned char)r->buf[2] == 0xBF)
            r->start = 3;
    } else if (r->first && r->eof) {
        r->first = 0;
    }
    return (long)got;
}

static int64_t count_nl(const char *p, size_t n)
{
    int64_t k = 0;
    const char *e = p + n;
    while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
        k++;
        p++;
    }
    return k;
}

/* Go back to file offset `abs` (a line start) after the reader has passed
 * it.  0 ok, -1 when the input cannot seek. */
static int rewind_to(csv_reader *r, int64_t abs)
{
    if (r->pos0 < 0)
        return -1;
    int64_t here = r->pos0 + (int64_t)r->len; /* the file position */
    if (fseeko(r->f, (off_t)abs, SEEK_SET) != 0)
        return -1;
    if (r->limit >= 0)
        r->limit += here - abs;
    r->start = r->len = 0;
    r->pos0 = abs;
    r->eof = 0;
    return 0;
}

/* Discard the record at r->start, which is longer than max_record, up to
 * and including its terminating line break, quote-aware (a line break
 * inside a quoted field does not end it).  Returns CSV_BAD; or, for a quote
 * that is never closed, CSV_BAD after going back to the line after the one
 * where it opened (CSV_FATAL when the input cannot seek); CSV_IOERR. */
static int skip_record(csv_reader *r)
{
    int inq = 0, fstart = 1;
    int64_t q_line = 0, q_nl_abs = -1; /* last opening quote: its line, the
                                          first line break after it */
    int q_nl = 0;                      /* that line break was seen */
    int64_t line = r->line;
    for (;;) {
        const char *b = r->buf + r->start;
        size_t n = r->len - r->start, i = 0;
        for (; i < n; i++) {
            char c = b[i];
            if (c == '\n') {
                line++;
                if (inq == 1 && !q_nl) {
                    q_nl = 1;
                    if (r->pos0 >= 0)
                        q_nl_abs = r->pos0 + (int64_t)(r->start + i);
                }
            }
            if (inq == 1) { /* inside quotes */
                if (c == '"')
                    inq = 2;
                continue;
            }
            if (inq == 2) { /* after a quote inside quotes: "" or the end */
                if (c == '"') {
                    inq = 1;
                    continue;
                }
                inq = 0;
            }
            if (c == '"' && fstart) {
                inq = 1;
                q_line = line;
                q_nl_abs = -1;
                q_nl = 0;
                fstart = 0;
            } else if (c == r->delim) {
                fstart = 1;
            } else if (c == '\n') {
                r->start += i + 1;
                r->line = line;
                snprintf(r->reason, sizeof r->reason,
                         "record longer than %zu bytes (the limit; see --max-record)",
                         r->max_record);
                return CSV_BAD;
            } else {
                fstart = 0;
            }
        }
        r->start = r->len;
        if (r->eof)
            break;
        if (refill(r) < 0)
            return CSV_IOERR;
        if (r->eof && r->start == r->len)
            break;
    }
    r->line = line;
    if (inq == 1) {
        if (q_nl_abs >= 0 && rewind_to(r, q_nl_abs + 1) == 0) {
            r->line = q_line + 1;
            snprintf(r->reason, sizeof r->reason,
                     "unterminated quoted field: the quote opened on line %lld is never "
                     "closed; reading resumes on line %lld",
                     (long long)q_line, (long long)(q_line + 1));
            return CSV_BAD;
        }
        if (q_nl) {
            snprintf(r->reason, sizeof r->reason,
                     "unterminated quoted field: the quote opened on line %lld is never "
                     "closed, and the input cannot be read again from line %lld",
                     (long long)q_line, (long long)(q_line + 1));
            return CSV_FATAL;
        }
    }
    snprintf(r->reason, sizeof r->reason,
             "record longer than %zu bytes (the limit; see --max-record)", r->max_record);
    return CSV_BAD;
}

/* Split the unquoted record [p, e) in place. */
static int split_simple(csv_reader *r, char *p, char *e)
{
    size_t n = 0;
    for (;;) {
        char *c = memchr(p, r->delim, (size_t)(e - p));
        char *fe = c ? c : e;
        if (n == CSV_MAX_FIELDS) {
            snprintf(r->reason, sizeof r->reason, "more than %d fields", CSV_MAX_FIELDS);
            return CSV_BAD;
        }
        r->field[n] = p;
        r->flen[n] = (size_t)(fe - p);
        n++;
        *fe = '\0';
        if (!c)
            break;
        p = c + 1;
    }
    r->nfields = n;
    return CSV_OK;
}

/* Parse the record [p, e) that contains quotes, unescaping in place. */
static int split_quoted(csv_reader *r, char *p, char *e)
{
    size_t n = 0;
    for (;;) {
        if (n == CSV_MAX_FIELDS) {
            snprintf(r->reason, sizeof r->reason, "more than %d fields", CSV_MAX_FIELDS);
            return CSV_BAD;
        }
        char *w = p;
        char *fstart = p;
        if (p < e && *p == '"') {
            p++;
            for (;;) {
                if (p >= e) {
                    snprintf(r->reason, sizeof r->reason,
                             "unterminated quoted field in field %zu", n + 1);
                    return CSV_BAD;
                }
                if (*p == '"') {
                    if (p + 1 < e && p[1] == '"') {
                        *w++ = '"';
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                *w++ = *p++;
            }
            if (p < e && *p == '\r' && p + 1 == e)
                p++;
            if (p < e && *p != r->delim) {
                snprintf(r->reason, sizeof r->reason,
                         "unexpected text after the closing quote of field %zu", n + 1);
                return CSV_BAD;
            }
        } else {
            while (p < e && *p != r->delim) {
                if (*p == '"') {
                    snprintf(r->reason, sizeof r->reason,
                             "quote inside unquoted field %zu (quote the whole field and "
                             "double inner quotes)", n + 1);
                    return CSV_BAD;
                }
                *w++ = *p++;
            }
            if (p == e && w > fstart && w[-1] == '\r')
                w--;
        }
        r->field[n] = fstart;
        r->flen[n] = (size_t)(w - fstart);
        n++;
        int last = (p >= e);
        *w = '\0';
        if (last)
            break;
        p++; /* the comma */
        if (p == e) { /* trailing comma: one more empty field */
            if (n == CSV_MAX_FIELDS) {
                snprintf(r->reason, sizeof r->reason, "more than %d fields", CSV_MAX_FIELDS);
                return CSV_BAD;
            }
            r->field[n] = p;
            r->flen[n] = 0;
            n++;
            *p = '\0';
            break;
        }
    }
    r->nfields = n;
    return CSV_OK;
}

/* Find the end of a record that contains a quote, quote-aware.  Returns 1
 * with the offset (from r->start) of its terminating '\n', or of the end of
 * the data at EOF, in *end; 0 when more data is needed; 2 when the data ends
 * inside a quoted field: *end is then the offset of the first '\n' after
 * the quote that opened it (or of the end of the data), *qoff the quote's
 * offset and *qfield its 1-based field number. */
static int scan_quoted(const csv_reader *r, size_t *end, size_t *qoff, size_t *qfield)
{
    const char *b = r->buf + r->start;
    size_t n = r->len - r->start, field = 1;
    int inq = 0, fstart = 1;
    for (size_t i = 0; i < n; i++) {
        char c = b[i];
        if (inq) {
            if (c == '"') {
                if (i + 1 >= n) {
                    if (!r->eof)
                        return 0;
                    inq = 0;
                } else if (b[i + 1] == '"') {
                    i++;
                } else {
                    inq = 0;
                }
            }
        } else if (c == '"' && fstart) {
            inq = 1;
            fstart = 0;
            *qoff = i;
            *qfield = field;
        } else if (c == r->delim) {
            fstart = 1;
            field++;
        } else if (c == '\n') {
            *end = i;
            return 1;
        } else {
            fstart = 0;
        }
    }
    if (!r->eof)
        return 0;
    if (inq) {
        const char *nl = memchr(b + *qoff, '\n', n - *qoff);
        *end = nl ? (size_t)(nl - b) : n;
        return 2;
    }
    *end = n;
    return 1;
}

/* CSV_BAD if the record [p, e) holds a NUL byte (an id "A\0B" must not be
 * read as "A"), else CSV_OK. */
static int check_nul(csv_reader *r, const char *p, const char *e)
{
    const char *z = memchr(p, '\0', (size_t)(e - p));
    if (!z)
        return CSV_OK;
    size_t field = 1;
    for (const char *q = p; q < z; q++)
        field += *q == r->delim;
    snprintf(r->reason, sizeof r->reason, "NUL byte in field %zu (not a text file?)", field);
    return CSV_BAD;
}

/* The delimiter of the first line (the header): ',' when it has one,
 * else a tab, else ';', else ','. */
static char detect_delim(const csv_reader *r)
{
    const char *p = r->buf + r->start;
    size_t n = r->len - r->start;
    const char *nl = memchr(p, '\n', n);
    size_t m = nl ? (size_t)(nl - p) : n;
    if (memchr(p, ',', m))
        return ',';
    if (memchr(p, '\t', m))
        return '\t';
    if (memchr(p, ';', m))
        return ';';
    return ',';
}

/* The bytes of one 32-byte chunk at q that matter to next_plain(): bit i of
 * *md is set when q[i] is the delimiter, bit i of *ms when q[i] is a line
 * break, a quote or a NUL (the bytes that end a plain record or leave it to
 * the general path).  32 bytes: most evidence records fit in one. */
static inline void chunk_masks(const char *q, char delim, uint32_t *md, uint32_t *ms)
{
#if defined(CSV_SSE2)
    const __m128i vd = _mm_set1_epi8(delim), vn = _mm_set1_epi8('\n'),
                  vq = _mm_set1_epi8('"'), vz = _mm_setzero_si128();
    uint32_t d = 0, s = 0;
    for (int h = 0; h < 2; h++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(q + 16 * h));
        __m128i x = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, vn), _mm_cmpeq_epi8(v, vq)),
                                 _mm_cmpeq_epi8(v, vz));
        d |= (uint32_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vd)) << (16 * h);
        s |= (uint32_t)(unsigned)_mm_movemask_epi8(x) << (16 * h);
    }
    *md = d;
    *ms = s;
#else
    uint32_t d = 0, s = 0;
    for (unsigned i = 0; i < 32; i++) {
        char c = q[i];
        d |= (uint32_t)(c == delim) << i;
        s |= (uint32_t)(c == '\n' || c == '"' || c == '\0') << i;
    }
    *md = d;
    *ms = s;
#endif
}

static inline unsigned low_bit(uint32_t m) /* m != 0 */
{
#if defined(__GNUC__)
    return (unsigned)__builtin_ctz(m);
#else
    unsigned i = 0;
    while (!(m & 1u)) {
        m >>= 1;
        i++;
    }
    return i;
#endif
}

/* The fast path of csv_next() for the common record: a whole line already in
 * the buffer, without a quote or a NUL, not blank, at most max_record bytes
 * and CSV_MAX_FIELDS fields.  One pass over 32-byte chunks finds its line
 * break and every delimiter (memchr per field costs more to set up than it
 * searches on short fields).  Returns CSV_OK with the record split and the
 * reader advanced exactly as csv_next()'s unquoted branch and split_simple()
 * would; with the buffer as it was, -2 for a record with a quote or a NUL,
 * -1 for anything else (or a line that reaches into the last 32 bytes of
 * the data): the general path then reads it, so every error, line number
 * and count stays its own.  The delimiter
 * is not a line break, a carriage return, a quote or a NUL (the caller
 * checks). */
static int next_plain(csv_reader *r)
{
    char *const p = r->buf + r->start;
    size_t avail = r->len - r->start;
    if (avail > r->max_record + 1) /* a line break further on: too long */
        avail = r->max_record + 1;
    const char delim = r->delim;
    char **field = r->field;
    size_t *flen = r->flen;
    char *fs = p; /* the current field */
    size_t n = 0; /* fields before it */
    int quote = 0;
    for (size_t off = 0; avail - off >= 32; off += 32) {
        char *q = p + off;
        uint32_t md, ms;
        unsigned j = 32;
        chunk_masks(q, delim, &md, &ms);
        if (ms) {
            j = low_bit(ms);
            if (q[j] != '\n') {
                quote = 1; /* or a NUL */
                goto undo;
            }
            md &= ((uint32_t)1 << j) - 1u;
        }
        /* fields are cut as they are found; undo puts the delimiters back */
        for (; md; md &= md - 1u) {
            char *d = q + low_bit(md);
            if (n == CSV_MAX_FIELDS - 1) /* and one more after this one */
                goto undo;
            field[n] = fs;
            flen[n] = (size_t)(d - fs);
            n++;
            *d = '\0';
            fs = d + 1;
        }
        if (j == 32)
            continue;
        char *nl = q + j, *fe = nl;
        if (fe > p && fe[-1] == '\r')
            fe--;
        if (fe == p)
            return -1; /* blank (no field was cut): counted by the general path */
        field[n] = fs;
        flen[n] = (size_t)(fe - fs);
        *fe = '\0';
        r->nfields = n + 1;
        r->rec_line = r->rec_end = r->line;
        r->line++;
        r->start = (size_t)(nl - r->buf) + 1;
        return CSV_OK;
    }
undo:
    for (size_t k = 0; k < n; k++)
        field[k][flen[k]] = delim;
    return quote ? -2 : -1;
}

/* csv_next() for every record next_plain() leaves, and for the first
 * after a refill or a blank line.  Kept out of line so that the fast path
 * does not pay for its stack frame. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int next_general(csv_reader *r)
{
    for (;;) {
        if (r->start >= r->len || r->first) {
            long got = refill(r);
            if (got < 0)
                return CSV_IOERR;
            if (r->start >= r->len && r->eof)
                return CSV_EOF;
        }
        if (r->delim == 0)
            r->delim = detect_delim(r);
        char *p = r->buf + r->start;
        size_t avail = r->len - r->start;
        char *nl = memchr(p, '\n', avail);
        if (!nl && !r->eof) {
            if (avail > r->max_record) {
                r->rec_line = r->rec_end = r->line;
                return skip_record(r);
            }
            long got = refill(r);
            if (got < 0)
                return CSV_IOERR;
            continue;
        }
        char *e = nl ? nl : r->buf + r->len;
        r->rec_line = r->rec_end = r->line;
        if ((size_t)(e - p) > r->max_record)
            return skip_record(r);
        if (!memchr(p, '"', (size_t)(e - p))) {
            r->start = nl ? (size_t)(nl - r->buf) + 1 : r->len;
            r->line++;
            char *fe = e;
            if (fe > p && fe[-1] == '\r')
                fe--;
            if (fe == p) {
                r->blank++;
                continue; /* blank line */
            }
            if (check_nul(r, p, fe) != CSV_OK)
                return CSV_BAD;
            return split_simple(r, p, fe);
        }
        size_t off = 0, qoff = 0, qfield = 0;
        int sq = scan_quoted(r, &off, &qoff, &qfield);
        if (!sq) {
            if (avail > r->max_record)
                return skip_record(r);
            long got = refill(r);
            if (got < 0)
                return CSV_IOERR;
            continue;
        }
        if (off > r->max_record)
            return skip_record(r);
        p = r->buf + r->start;
        e = p + off;
        int has_nl = (r->start + off < r->len);
        int64_t nls = count_nl(p, off);
        r->rec_end = r->line + nls;
        r->line += nls + (has_nl ? 1 : 0);
        r->start += off + (has_nl ? 1 : 0);
        if (sq == 2) {
            /* the record ends at the line break after the stray quote; the
             * lines after it are read as records of their own */
            int64_t qline = r->rec_line + count_nl(p, qoff);
            snprintf(r->reason, sizeof r->reason,
                     "unterminated quoted field %zu: the quote opened on line %lld is never "
                     "closed; reading resumes on line %lld",
                     qfield, (long long)qline, (long long)(qline + 1));
            return CSV_BAD;
        }
        if (check_nul(r, p, e) != CSV_OK)
            return CSV_BAD;
        return split_quoted(r, p, e);
    }
}

int csv_next(csv_reader *r)
{
    if (r->plain_skip) {
        r->plain_skip--;
    } else if (csv_fast && r->start < r->len && !r->first && r->delim != 0 &&
               r->delim != '\n' && r->delim != '\r' && r->delim != '"') {
        int rc = next_plain(r);
        if (rc >= 0) {
            r->plain_fails = 0;
            return rc;
        }
        /* In a file that quotes every record the fast path would only add
         * its scan: after k quoted records in a row, leave the next 2^k - 1
         * (at most 63) to the general path before trying again. */
        if (rc == -2) {
            if (r->plain_fails < 6)
                r->plain_fails++;
            r->plain_skip = (1u << r->plain_fails) - 1u;
        }
    }
    return next_general(r);
}
