/* SPDX-License-Identifier: GPL-3.0-or-later */
/* engine.h -- evidence ingestion and per-student computation shared by
 * `mlg compute`, `mlg explain` and `mlg check`. */
#ifndef MLG_CLI_ENGINE_H
#define MLG_CLI_ENGINE_H

#include <mlg.h>
#include <mlg_rollup.h>

#include <stdatomic.h>

#include "catalogue.h"
#include "strtab.h"
#include "util.h"

/* One accepted evidence row: 48 bytes (the chunk of rows is larger than
 * the cache and is written, grouped and read again: keep it small). */
typedef struct ev_t {
    int32_t student;  /* index into engine.students */
    int32_t target;   /* target index (catalogue target, or interned id) */
    int32_t day;
    int16_t status;   /* MLG_EVIDENCE_* */
    int16_t kind;     /* MLG_KIND_MARK, or MLG_KIND_LEVEL: a teacher-entered
                         current proficiency level ("kind" column) */
    double  score;    /* NaN for excused/missing rows without a score */
    double  weight;   /* 1 when the column is absent */
    int64_t line;     /* input line (diagnostics, explain) */
    uint64_t extra;   /* hash of the columns not read (0 if none): rows
                         that differ there are not duplicates */
} ev_t;

/* --duplicates: what an exact duplicate evidence row (same student, target,
 * date, score, weight and status as an earlier row) does. */
#define DUP_WARN  0 /* default: keep the first, skip the copy with a warning */
#define DUP_ERROR 1 /* reject the copy */
#define DUP_KEEP  2 /* use both */

#define FMT_CSV       0
#define FMT_JSON      1
#define FMT_JSONL     2
#define FMT_ONEROSTER 3
#define FMT_TEXT      4

typedef struct engine engine;

/* Called with each student's rows, sorted by (target, day, input order),
 * after the marks are computed: tv[t] target values (NaN = N/A), tl[t]
 * levels, tn[t] rows used; for a catalogue also nv/nl/nf per node. */
typedef void (*student_fn)(engine *e, int32_t student, const ev_t *rows, size_t n,
                           const double *tv, const int32_t *tl, const int32_t *tn,
                           const double *nv, const int32_t *nl, const int32_t *nf);

struct engine {
    /* configuration */
    const char         *in_label;    /* file name used in diagnostics */
    const char         *cat_path;    /* catalogue file, read by engine_prepare() */
    int                 have_cat;
    mlg_catalogue      *mcat;        /* the one catalogue (library) */
    size_t              T, N;        /* targets, nodes (catalogue) */
    int32_t            *t2node;      /* target index -> node index */
    /* Derived from mcat by engine_prepare() for the per-student loops: */
    int32_t            *node_kind;   /* N: MLG_NODE_* */
    int32_t            *node_scale;  /* N: index into scales */
    mlg_scale          *scales;      /* distinct node scales */
    size_t              n_scales;
    int32_t            *node_depth;  /* N: longest path up from a root */
    int32_t            *node_root;   /* N: the root reached by first parents */
    char              **node_subject;/* N: the catalogue's subject column, or NULL */
    int64_t            *anc_off;     /* T + 1: CSR offsets into anc */
    int32_t            *anc;         /* per target: itself and every ancestor, once */
    strtab              tids;        /* evidence id -> target index (+ cache) */
    mlg_scale           scale;
    mlg_method_params   params;
    int32_t             threads;
    int                 strict;
    int                 unsorted;
    int                 progress;
    size_t              max_record;
    int                 duplicates;         /* DUP_*: exact duplicate rows */
    int                 dedup_rows;         /* long CSV: look for them */
    char                delim;              /* long CSV separator; 0 = the header's */
    char               *col_name[7];        /* --columns: header names of
                                               student_id, target_id,
                                               assessed_at, score, weight,
                                               status, kind (NULL = those
                                               names) */
    uint64_t            row_extra;          /* extra-column hash of the row
                                               being taken */
    int                 oneroster_keep_deleted;
    const char         *or_shown;           /* a .zip bundle's name, for diagnostics */
    int                 oneroster_exempt;   /* 1: exempt rows excused; 0: skipped */
    const char         *only_student;       /* explain: keep only this one */
    int32_t             day_max;            /* drop evidence after this day */
    FILE               *rejects;
    student_fn          on_student;
    void               *user;
    /* state */
    strtab              students;
    ev_t               *rows;
    size_t              nrows, caprows;
    int32_t             cur_student;
    size_t              cur_len;     /* strlen of its id */
    int                 any_weight, any_status;
    int                 any_level;   /* some row has kind "level" */
    struct mlg_policy  *policy;      /* --policy (owned), or NULL */
    int                 policy_rules;/* 1: nodes without a rule take the
                                        policy's rule for their kind */
    int64_t             n_read, n_used, n_rejected, n_skipped, n_shown;
    int64_t             n_duplicates;       /* skipped as duplicates */
    int64_t             n_students_done;
    double              t0, t_last;
    int                 progress_shown;
    /* the chunk grouped so far (grouper.c: sorted input is grouped one
     * student at a time as it ends) */
    size_t              chunk_rows;  /* rows accepted into the chunk */
    size_t              grp_rows;    /* rows[0..grp_rows) grouped */
    size_t              grp_n;       /* groups */
    size_t              grp_runs;    /* students */
    size_t              s_weight_n, s_status_n; /* s_weight, s_status set */
    int64_t            *dup_ev;      /* duplicates found, their effects due:
                                        (line, line of the row kept) */
    size_t              n_dup_ev, cap_dup_ev;
    size_t              cap_cols;    /* of s_day, s_score, s_weight, s_status */
    /* scratch for process() */
    size_t              cap_groups;
    int64_t            *g_off;
    int32_t            *g_run, *g_target, *g_count, *g_level;
    double             *g_value;
    int32_t            *s_day;
    double             *s_score, *s_weight;
    uint8_t            *s_status;
    double             *tv;
    int32_t            *tl, *tn;
    double             *nv;
    int32_t            *nl, *nf;
    size_t              cap_runs;
    int64_t            *stamp;       /* per target: last student run seen */
    size_t              cap_stamp;
    int64_t             stamp_gen;
    int32_t            *rank;        /* per target: rank in the student */
    int32_t            *inv;         /* rank -> target */
    size_t              cap_inv;
    const char         *last_tid;    /* one-entry cache of take() */
    size_t              last_tlen;
    int32_t             last_target;
    char               *label_owned;
    int64_t             range_begin;  /* engine_read_range(): byte range */
    int64_t             range_end;    /* -1 = to the end */
    int64_t             line_base;    /* newlines before range_begin */
    int                 line_base_known;
    /* A worker of the parallel reader (split.c split_read()): its shown
     * rejects go to split_diag, each line marked by a leading 'R' (the other
     * diagnostics arrive there unmarked through diag_capture()), and what it
     * saw is noted for the merge; under --strict a reject does not exit but
     * sets split_strict (the file is then read again by one reader). */
    struct out_t       *split_diag;
    int64_t             split_rej_read;  /* counted rejects, not duplicates */
    int64_t             split_rej_dup;   /* --duplicates error rejects */
    int64_t             split_rej_part;  /* engine_reject_part() */
    int                 split_strict;
    /* its progress (bytes of its range, rows), for the main thread's line */
    _Atomic int64_t     split_done, split_rows;
};

/* engine_init(): defaults (ccs4 scale, decaying_average, strict off). */
void engine_init(engine *e);
void engine_free(engine *e);
/* engine_load_catalogue(): register the catalogue file; engine_prepare()
 * reads it (its targets' rounding follows the final method). exit code. */
int engine_load_catalogue(engine *e, const char *path);
/* engine_prepare(): after params/scale are final.  exit code. */
int engine_prepare(engine *e);
/* engine_read(): ingest a long CSV file or a OneRoster directory and call
 * on_student for every student.  Returns an exit code. */
int engine_read(engine *e, const char *path);
/* engine_read_range(): as engine_read() for the records of a regular long
 * CSV file between byte offsets begin (a line start; the header is read from
 * offset 0) and end (-1 = the end).  Line numbers in diagnostics stay those
 * of the whole file. */
int engine_read_range(engine *e, const char *path, int64_t begin, int64_t end);
/* The parallel reader's merge (split.c split_read()): does a worker's
 * captured diagnostics (engine.split_diag) hold what one reader would have
 * shown of its range, and print them in order under one reader's limits
 * (ep->n_shown rejects, *dups duplicate warnings so far). */
int engine_split_check(const engine *w, const char *buf, size_t len);
void engine_split_emit(engine *ep, const char *buf, size_t len, int64_t *dups);
/* engine_abs_line(): the file line of a line number counted in the range. */
int64_t engine_abs_line(engine *e, int64_t line);
/* The progress line (done/total bytes, total <= 0 unknown; force: now);
 * also the parallel reader's, from the main thread. */
void engine_progress(engine *e, int64_t done, int64_t total, int force);
/* engine_summary(): "read = used + rejected" on stderr; exit code. */
int engine_summary(engine *e);

/* The label of a node's level on the node's own scale ("N/A" for
 * MLG_LEVEL_NA); node < 0 means the evidence scale. */
const char *engine_level_label(const engine *e, int32_t node, int32_t level);
const char *engine_kind_name(int32_t kind);
/* The scale of target t: its catalogue node's own scale (the catalogue's
 * `scale` column; --scale when the column is empty), or --scale without a
 * catalogue.  Evidence of t is read, computed and levelled on it. */
const mlg_scale *engine_target_scale(const engine *e, int32_t t);

/* Name of target t. */
const char *engine_target_id(const engine *e, int32_t t);
const char *engine_student_id(const engine *e, int32_t s);

/* Report a rejected row (counts it; fatal under --strict). */
void engine_reject(engine *e, int64_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

double now_seconds(void);

#endif
