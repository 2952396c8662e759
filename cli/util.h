/* SPDX-License-Identifier: GPL-3.0-or-later */
/* util.h -- shared pieces of the mlg command: exit codes, diagnostics, date
 * and number parsing, a fast buffered writer with CSV/JSON escaping. */
#ifndef MLG_CLI_UTIL_H
#define MLG_CLI_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes (documented in docs/cli.md). */
#define EXIT_OK        0 /* success, every row used */
#define EXIT_DATA      1 /* bad data: fatal input error, or a reject under --strict */
#define EXIT_USAGE     2 /* bad command line */
#define EXIT_REJECTS   3 /* finished, but some rows were rejected (see --rejects) */
#define EXIT_IO        4 /* a file could not be opened, read or written */
#define EXIT_NOMEM     5 /* out of memory */
#define EXIT_INTERNAL  6 /* the library returned an unexpected error */

/* Diagnostics: "mlg: message" / "mlg: FILE:LINE: message" on stderr. */
void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void diag_at(const char *file, int64_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

struct out_t;
/* diag_capture(): append the calling thread's diagnostics to o instead of
 * writing them to stderr (NULL: stderr again). */
void diag_capture(struct out_t *o);

/* Print "mlg: out of memory" and exit(EXIT_NOMEM) when p is NULL. */
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
void *xcalloc(size_t n, size_t size);
char *xstrdup(const char *s);

/* parse_date(): "YYYY-MM-DD" (optionally followed by 'T' or ' ' and a time,
 * which is ignored) to days since 1970-01-01, proleptic Gregorian.  Rejects
 * impossible dates (2023-02-29, month 13).  0 ok, -1 bad. */
int parse_date(const char *s, size_t len, int32_t *day);
/* day_to_iso(): day number to "YYYY-MM-DD" in buf (>= 11 bytes). */
char *day_to_iso(int32_t day, char *buf);
int32_t days_from_civil(int64_t y, unsigned m, unsigned d);

/* parse_double(): a finite decimal number, whole string, no spaces.
 * 0 ok, -1 not a number, -2 NaN or infinite. */
int parse_double(const char *s, size_t len, double *out);

/* ------------------------------------------------------------ writer -- */
typedef struct out_t {
    FILE  *f;
    char  *buf;
    size_t len, cap;
    int    err;    /* a write failed */
} out_t;

void out_init(out_t *o, FILE *f);
void out_flush(out_t *o);
void out_free(out_t *o);
void out_mem(out_t *o, const char *s, size_t n);
void out_str(out_t *o, const char *s);
void out_ch(out_t *o, char c);
void out_i64(out_t *o, int64_t v);
/* out_num(): a double with at most `dec` decimals, trailing zeros trimmed
 * ("3", "2.25", "3.5275"); dec < 0 prints %.17g (full precision). */
void out_num(out_t *o, double v, int dec);
/* CSV field: quoted when it holds , " CR or LF; a field that
 * needs_neutralising() gets a leading apostrophe (spreadsheet
 * neutralisation) when `neutralise` is set. */
void out_csv(out_t *o, const char *s, int neutralise);
/* JSON string literal with escapes: " \ and control characters escaped,
 * U+2028/U+2029 as \u2028/\u2029, and every byte that is not part of a
 * valid UTF-8 sequence (RFC 3629: no overlong forms, surrogates or code
 * points above U+10FFFF) written as \ufffd, so the output always parses. */
void out_json_str(out_t *o, const char *s);

/* Reserve then store: out_reserve() returns room for n more bytes (it
 * flushes, or grows the buffer for an n larger than it); write at most n
 * bytes there and hand the end to out_commit().  A mark is then a few
 * memcpy and one length update instead of a checked call per field. */
char *out_reserve_slow(out_t *o, size_t n);
static inline char *out_reserve(out_t *o, size_t n)
{
    return o->cap - o->len >= n ? o->buf + o->len : out_reserve_slow(o, n);
}
static inline void out_commit(out_t *o, char *end) { o->len = (size_t)(end - o->buf); }

/* The text of the out_* functions above, stored at p; each returns the end
 * (no NUL).  The out_* functions are these through out_reserve(), so there
 * is one implementation of each rendering.  Room needed: */
#define TEXT_I64_MAX 20                  /* text_i64 */
#define TEXT_NUM_MAX 32                  /* text_num */
#define TEXT_CSV_MAX(len) (2 * (len) + 3) /* text_csv, len = strlen(s) */
#define TEXT_JSON_MAX(len) (6 * (len) + 2) /* text_json_str */
char *text_i64(char *p, int64_t v);
char *text_num(char *p, double v, int dec);
char *text_csv(char *p, const char *s, int neutralise);
char *text_json_str(char *p, const char *s);

/* Is this a string a spreadsheet would treat as a formula?  It is when it
 * starts with = + - @ TAB or CR, with their full-width forms (U+FF1D =,
 * U+FF0B +, U+FF0D -, U+FF20 @), or with a UTF-8 byte order mark (which a
 * spreadsheet may strip before looking at the next character). */
int needs_neutralising(const char *s);

/* utf8_seq_len(): length (1..4) of the valid UTF-8 sequence at s, 0 when the
 * byte at s does not start one (or s points at the terminating NUL). */
size_t utf8_seq_len(const unsigned char *s);

/* stdout_check_errors(): flush stdout; EXIT_OK, or EXIT_IO after a
 * diagnostic when a write to it failed (a closed pipe is quiet: EXIT_OK). */
int stdout_check_errors(void);

/* FILE* for a path or "-" (stdin).  Exits with EXIT_IO on failure.  Every
 * output is an outfile (outfile.h). */
FILE *open_in(const char *path);

/* Exit quietly when a write fails because the reader closed the pipe. */
void check_write_errors(out_t *o, const char *what);

#endif
