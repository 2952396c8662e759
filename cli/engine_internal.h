/* SPDX-License-Identifier: GPL-3.0-or-later */
/* engine_internal.h -- what the engine's files (engine.c, reader.c,
 * reader_oneroster.c, grouper.c, runner.c) share; not for the subcommands. */
#ifndef MLG_CLI_ENGINE_INTERNAL_H
#define MLG_CLI_ENGINE_INTERNAL_H

#include "csv.h"
#include "engine.h"

#include <stdio.h>

/* Rows buffered before the students seen so far are computed (sorted
 * input): bounds memory at about CHUNK_ROWS * sizeof(ev_t) plus one student. */
#define CHUNK_ROWS ((size_t)1 << 18)
/* Rejects and duplicate warnings printed before "N more ... not shown". */
#define SHOW_REJECTS 20

#define GROW(ptr, cap, need)                                       \
    do {                                                           \
        if ((need) > (cap)) {                                      \
            size_t nc_ = (cap) ? (cap) : 1024;                     \
            while (nc_ < (need))                                   \
                nc_ *= 2;                                          \
            (ptr) = xrealloc((ptr), nc_ * sizeof *(ptr));          \
            (cap) = nc_;                                           \
        }                                                          \
    } while (0)

/* engine.c */
/* A rejected piece of a row counted elsewhere (one objective of a OneRoster
 * result): the message and the --rejects line, no count. */
void engine_reject_part(engine *e, int64_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* --duplicates error: line is an exact copy of line first (both counted in
 * the range), rejected with the words "duplicate of line N". */
void engine_reject_duplicate(engine *e, int64_t line, int64_t first);

/* reader.c */
int engine_read_csv(engine *e, FILE *f);
FILE *engine_utf16_to_utf8(engine *e, FILE *f, int big);
/* Evidence id -> target index, or -1 (*not_target: 1 a domain, 2 an
 * ambiguous short id). */
int32_t engine_find_target(engine *e, const char *id, size_t len, int *not_target);
/* Validate one evidence row given as text fields and accept it (or reject,
 * or skip it after --until).  status and kind (mark|level) may be NULL
 * (column absent).  Returns an exit code. */
int engine_take(engine *e, int64_t line, const char *sid, size_t slen, const char *tid,
                size_t tlen, const char *date, size_t dlen, const char *score, size_t sclen,
                const char *weight, size_t wlen, const char *status, const char *kind);

/* reader_oneroster.c */
int engine_read_oneroster(engine *e, const char *dir);

/* grouper.c */
int engine_accept(engine *e, const char *sid, size_t slen, const ev_t *ev);
int engine_finish(engine *e);
/* Group whole students rows[0..n) (unsorted input, after the sort by
 * student); sorted input is grouped one student at a time as it ends. */
void engine_group(engine *e, ev_t *rows, size_t n);
/* The chunk grouped so far (rows[0..*n)), for engine_process(). */
void engine_take_groups(engine *e, const ev_t *rows, size_t *n, size_t *nruns, size_t *ng);

/* runner.c */
/* Compute the chunk grouped so far (rows[0..) as grouped). */
int engine_process(engine *e, ev_t *rows);

#endif
