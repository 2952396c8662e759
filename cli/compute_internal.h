/* SPDX-License-Identifier: GPL-3.0-or-later */
/* compute_internal.h -- what `mlg compute`'s files (compute.c, marks.c,
 * split.c) share: the command's state and their entry points; not for the
 * other subcommands. */
#ifndef MLG_CLI_COMPUTE_INTERNAL_H
#define MLG_CLI_COMPUTE_INTERNAL_H

#include "attendance.h"
#include "engine.h"
#include "oneroster.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>

typedef struct cstate {
    int      format;
    int      neutralise;
    int      kinds;      /* bit mask of 1 << MLG_NODE_* */
    out_t    out;        /* results.csv for oneroster */
    out_t    lo;         /* resultLearningObjectiveIds.csv */
    int      first;      /* JSON: no mark written yet */
    int64_t  marks;
    const char *method;
    const char *out_path;
    char        policy[300]; /* "NAME sha256:HASH" of --policy, or "none" */
    att_table   att;         /* --attendance (sec. I.F) */
    /* oneroster: */
    char     now[32];    /* dateLastModified */
    or_refs  refs;       /* class, school, category, session ids */
    int32_t  max_day;    /* latest evidence day: the line items' dates */
    /* The rendered texts of this cstate's marks (marks.c), made by its first
     * student: NULL until then, so split_read()'s copies for its workers
     * each make their own; freed by marks_free(). */
    struct mark_cache *mc;
} cstate;

/* marks.c */
/* The engine's per-student callback (ep->on_student, ep->user a cstate):
 * the student's marks written to c->out (and c->lo for oneroster). */
void marks_on_student(engine *e, int32_t s, const ev_t *rows, size_t nrows, const double *tv,
                      const int32_t *tl, const int32_t *tn, const double *nv,
                      const int32_t *nl, const int32_t *nf);
/* Free c's rendered mark texts (c->mc), if any. */
void marks_free(cstate *c);
/* oneroster: lineItems.csv and lineItemLearningObjectiveIds.csv, then
 * manifest.csv. */
void marks_write_line_items(engine *ep, cstate *c, FILE *lif, FILE *llf, FILE *manf);

/* split.c */
/* Below this a file is read by one reader (measured: docs/cli.md). */
#define SPLIT_MIN_DEFAULT ((int64_t)64 << 20)
/* Read `input` in byte ranges by parallel workers when it can be (a regular
 * file of split_min bytes or more; split_min < 0: never).  Returns -1 when
 * the file is to be read by one reader (the caller reads it normally: not
 * split, or split and dropped), else an exit code. */
int split_read(engine *ep, cstate *c, const char *input, const char *cat_path,
               int64_t split_min);

#endif
