/* csv.c -- streaming RFC 4180 CSV reader (see csv.h). */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

#define CSV_BLOCK ((size_t)1 << 20)

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
    return 0;
}

void csv_restart(csv_reader *r, int64_t limit)
{
    r->start = r->len = 0;
    r->eof = 0;
    r->first = 0;
    r->line = 1;
    r->limit = limit;
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

/* Discard input up to and including the next line break (a record that is
 * too long).  Returns CSV_BAD, or CSV_IOERR. */
static int skip_huge(csv_reader *r)
{
    for (;;) {
        char *p = r->buf + r->start;
        size_t avail = r->len - r->start;
        char *nl = memchr(p, '\n', avail);
        if (nl) {
            r->line += count_nl(p, (size_t)(nl - p)) + 1;
            r->start = (size_t)(nl - r->buf) + 1;
            break;
        }
        r->line += count_nl(p, avail);
        r->start = r->len;
        if (r->eof)
            break;
        if (refill(r) < 0)
            return CSV_IOERR;
        if (r->eof && r->start == r->len)
            break;
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
        char *c = memchr(p, ',', (size_t)(e - p));
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
            if (p < e && *p != ',') {
                snprintf(r->reason, sizeof r->reason,
                         "unexpected text after the closing quote of field %zu", n + 1);
                return CSV_BAD;
            }
        } else {
            while (p < e && *p != ',') {
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

/* Find the end of a record that contains a quote, quote-aware.  Returns the
 * offset (from r->start) of its terminating '\n' or of the end of the data at
 * EOF in *end; 1 found, 0 need more data. */
static int scan_quoted(const csv_reader *r, size_t *end)
{
    const char *b = r->buf + r->start;
    size_t n = r->len - r->start;
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
        } else if (c == ',') {
            fstart = 1;
        } else if (c == '\n') {
            *end = i;
            return 1;
        } else {
            fstart = 0;
        }
    }
    if (!r->eof)
        return 0;
    *end = n;
    return 1;
}

int csv_next(csv_reader *r)
{
    for (;;) {
        if (r->start >= r->len || r->first) {
            long got = refill(r);
            if (got < 0)
                return CSV_IOERR;
            if (r->start >= r->len && r->eof)
                return CSV_EOF;
        }
        char *p = r->buf + r->start;
        size_t avail = r->len - r->start;
        char *nl = memchr(p, '\n', avail);
        if (!nl && !r->eof) {
            if (avail > r->max_record) {
                r->rec_line = r->line;
                return skip_huge(r);
            }
            long got = refill(r);
            if (got < 0)
                return CSV_IOERR;
            continue;
        }
        char *e = nl ? nl : r->buf + r->len;
        r->rec_line = r->line;
        if ((size_t)(e - p) > r->max_record)
            return skip_huge(r);
        if (!memchr(p, '"', (size_t)(e - p))) {
            r->start = nl ? (size_t)(nl - r->buf) + 1 : r->len;
            r->line++;
            char *fe = e;
            if (fe > p && fe[-1] == '\r')
                fe--;
            if (fe == p)
                continue; /* blank line */
            return split_simple(r, p, fe);
        }
        size_t off;
        if (!scan_quoted(r, &off)) {
            if (avail > r->max_record)
                return skip_huge(r);
            long got = refill(r);
            if (got < 0)
                return CSV_IOERR;
            continue;
        }
        if (off > r->max_record) {
            return skip_huge(r);
        }
        p = r->buf + r->start;
        e = p + off;
        int has_nl = (r->start + off < r->len);
        r->line += count_nl(p, off) + (has_nl ? 1 : 0);
        r->start += off + (has_nl ? 1 : 0);
        return split_quoted(r, p, e);
    }
}
