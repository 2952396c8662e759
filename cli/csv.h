/* SPDX-License-Identifier: GPL-3.0-or-later */
/* csv.h -- a streaming RFC 4180 CSV reader for the mlg command.
 *
 * Records are read from a FILE in large blocks and split in place, so memory
 * is one buffer of at most `max_record` bytes plus a block, whatever the file
 * size.  Supported: quoted fields with "" escapes, embedded commas and line
 * breaks inside quotes, LF and CRLF line ends, a UTF-8 byte-order mark at the
 * start, a last line without a line break.  Blank lines are skipped.
 *
 * Malformed records (a quote inside an unquoted field, text after a closing
 * quote, a NUL byte, a record longer than max_record) are returned as CSV_BAD
 * with a reason and the line number, and reading goes on after the record:
 * an over-long record is skipped quote-aware, to its real end.  A quote that
 * is never closed is rejected with the line where it opened, and reading
 * resumes on the next line, so nothing after a stray quote is swallowed
 * (when the rest of the file has already been passed and the input cannot
 * seek back, as on a pipe, the reader returns CSV_FATAL instead).  Blank
 * lines are skipped and counted in `blank`.
 */
#ifndef MLG_CLI_CSV_H
#define MLG_CLI_CSV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CSV_DEFAULT_MAX_RECORD (1u << 20) /* 1 MiB */
#define CSV_MAX_FIELDS 4096

enum { CSV_EOF = 0, CSV_OK = 1, CSV_BAD = 2, CSV_IOERR = 3, CSV_FATAL = 4 };

typedef struct csv_reader {
    FILE    *f;
    char    *buf;         /* block buffer */
    size_t   cap;         /* allocated bytes */
    size_t   start;       /* first unconsumed byte */
    size_t   len;         /* bytes valid in buf */
    size_t   max_record;  /* longest accepted record, bytes */
    int      eof;         /* no more input from f */
    int      first;       /* BOM not yet checked */
    int64_t  limit;       /* bytes still allowed from f; -1 = no limit */
    int64_t  line;        /* 1-based line number of the next unread byte */
    int64_t  rec_line;    /* line where the last returned record started */
    int64_t  rec_end;     /* line where it ended (> rec_line: line breaks
                             inside quotes) */
    int64_t  blank;       /* blank lines skipped so far */
    int64_t  pos0;        /* file offset of buf[0] (-1: unknown, cannot seek) */
    char     delim;       /* field separator (default ','); set 0 before the
                             first csv_next() to take the header's: ',' if
                             it has one, else a tab, else ';' */
    size_t   nfields;
    char    *field[CSV_MAX_FIELDS];
    size_t   flen[CSV_MAX_FIELDS];
    char     reason[160]; /* why the last record was CSV_BAD */
    unsigned plain_fails; /* records in a row with a quote (csv.c's fast path) */
    unsigned plain_skip;  /* records left to the general path before trying it */
} csv_reader;

/* csv_open(): start reading f (not closed by the reader).  0 or -1 (ENOMEM). */
int csv_open(csv_reader *r, FILE *f, size_t max_record);
/* csv_restart(): forget buffered input and read from f's current position
 * (already set by the caller with fseek) at most `limit` bytes (-1 = all),
 * counting lines from 1 again; no byte-order mark is looked for. */
void csv_restart(csv_reader *r, int64_t limit);
void csv_close(csv_reader *r);

/* csv_next(): the next record.  CSV_OK: r->nfields fields in r->field[]
 * (NUL-terminated, valid until the next call), r->rec_line its first line.
 * CSV_BAD: r->reason, r->rec_line.  CSV_EOF at the end, CSV_IOERR on a read
 * error, CSV_FATAL (r->reason) when an unterminated quote cannot be undone. */
int csv_next(csv_reader *r);

#endif
