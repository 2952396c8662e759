/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gen.h -- seeded synthetic district evidence for benchmarks and the CLI.
 *
 * A district is `students` x `targets` series (one per student and learning
 * target), each a time-ordered list of evidence rows: a day, a score on the
 * CCS 1..4 scale, and optionally a weight and an MLG_EVIDENCE_* status.  The
 * scores follow a learning curve per student and target: each student has an
 * ability, each target a difficulty and a learning rate; the true score rises
 * from a starting level toward a ceiling over the period, and each piece of
 * evidence is that curve plus Gaussian noise, clamped to [1, 4] and rounded
 * to whole levels (or kept continuous).  Low scores are sometimes reassessed
 * a few days later; a few percent of rows are excused or missing (their score
 * is NaN) when a status column is requested, and dropped otherwise; a few
 * series are empty; some evidence falls on the same day as the one before.
 *
 * Random numbers come from GSL's gsl_rng_mt19937 seeded with `seed` only, so
 * the same configuration gives the same arrays and the same CSV bytes on
 * every run and machine.  Series counts are drawn first (one stream) and the
 * rows second (another stream) so the arrays are allocated once at their
 * exact size: memory is exactly the CSR arrays, which keeps benchmark peak
 * memory measurements honest.
 *
 * This is a front-end helper (bench/ and cli/), not part of libmlg.  It
 * prints nothing; errors are returned as MLG_* status codes.
 */
#ifndef MLG_GEN_H
#define MLG_GEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The default seed (always printed by the tools that use it). */
#define MLG_GEN_DEFAULT_SEED 20180803u /* BUL-2332.7's date */

/* Shape of a synthetic district.  Start from mlg_gen_preset(). */
typedef struct mlg_gen_config {
    uint64_t seed;            /* GSL mt19937 seed (low 32 bits + mixing) */
    int64_t  students;        /* >= 1 */
    int32_t  targets;         /* learning targets per student, 1..10000 */
    int32_t  reserved;        /* zero */
    double   evidence_mean;   /* mean evidence rows per series, >= 1 */
    double   empty_rate;      /* share of series with no evidence [0, 1) */
    double   reassess_rate;   /* chance a score <= 2 is reassessed [0, 1] */
    double   same_day_rate;   /* chance a row shares the previous day [0,1] */
    double   excused_rate;    /* share of rows excused [0, 1) */
    double   missing_rate;    /* share of rows missing [0, 1) */
    double   noise_sd;        /* score noise standard deviation, >= 0 */
    int32_t  start_day;       /* first day of the period (days since epoch) */
    int32_t  period_days;     /* length of the period in days, >= 1 */
    int32_t  continuous;      /* 1: keep continuous scores in [1,4] (two
                                 decimals); 0: whole levels 1..4 */
    int32_t  with_weight;     /* 1: generate weights (1 or 2 summative) */
    int32_t  with_status;     /* 1: generate status; 0: drop excused and
                                 missing rows instead */
    int32_t  reserved2;       /* zero */
} mlg_gen_config;

/* A generated district in CSR form (see mlg_batch_compute() in mlg.h):
 * series g = student g / targets, target g % targets, rows
 * offsets[g] .. offsets[g+1]-1. */
typedef struct mlg_gen_data {
    int64_t  students;
    int32_t  targets;
    int32_t  reserved;
    size_t   n_groups;        /* students * targets */
    size_t   n_rows;          /* offsets[n_groups] */
    int64_t *offsets;         /* n_groups + 1 */
    int32_t *day;             /* n_rows, non-decreasing within a series */
    double  *score;           /* n_rows; NaN for excused/missing rows */
    double  *weight;          /* n_rows or NULL */
    uint8_t *status;          /* n_rows or NULL */
} mlg_gen_data;

/* mlg_gen_preset(): fill *cfg with a named preset:
 *   tiny         20 students x 8 targets x ~4 rows (tests, smoke runs)
 *   small        500 students (a school) x 60 targets x ~3 rows
 *   lausd-period 408,000 students x 60 targets x ~3 rows (~70 M rows)
 *   lausd-year   408,000 students x 60 targets x ~9 rows (~220 M rows)
 * All use the default seed, whole-level scores, no weight, no status.
 * @return MLG_OK; MLG_ENULL; MLG_ENOTFOUND for an unknown name. */
int mlg_gen_preset(const char *name, mlg_gen_config *cfg);

/* mlg_gen_preset_name(): the i-th preset name, NULL past the end. */
const char *mlg_gen_preset_name(size_t i);

/* mlg_gen_validate(): check a configuration's ranges.
 * @return MLG_OK; MLG_ENULL; MLG_EINVAL; MLG_EOVERFLOW (students*targets or
 *         the expected rows overflow). */
int mlg_gen_validate(const mlg_gen_config *cfg);

/* mlg_gen_generate(): generate a district into freshly malloc'ed arrays.
 * @return MLG_OK; MLG_ENULL; MLG_EINVAL; MLG_EOVERFLOW; MLG_ENOMEM.  *out
 *         is zeroed on error.  Free with mlg_gen_free(). */
int mlg_gen_generate(const mlg_gen_config *cfg, mlg_gen_data *out);

/* mlg_gen_free(): free the arrays of *data (NULL allowed) and zero it. */
void mlg_gen_free(mlg_gen_data *data);

/* mlg_gen_input_bytes(): bytes of the arrays a batch reads (offsets, day,
 * score and, when present, weight and status). */
size_t mlg_gen_input_bytes(const mlg_gen_data *data);

/* mlg_gen_target_code(): the id of target t (0-based): grade-3 Common Core
 * codes ("3.OA.A.1", "RL.3.1", ...) for the first targets, then "T<n>".
 * Writes a NUL-terminated string of at most size bytes into buf.
 * @return buf. */
char *mlg_gen_target_code(int32_t t, char *buf, size_t size);

/* mlg_gen_student_id(): the id of student s, "S0000001"-style (1-based). */
char *mlg_gen_student_id(int64_t s, char *buf, size_t size);

/* mlg_gen_day_to_iso(): day number -> "YYYY-MM-DD" (proleptic Gregorian).
 * buf must hold at least 11 bytes. */
char *mlg_gen_day_to_iso(int32_t day, char *buf);

/* mlg_gen_write_csv(): write the district as long-format CSV with a header
 * line: student_id,target_id,assessed_at,score[,weight][,status]
 * (weight and status columns only when the arrays exist).  Scores print with
 * %.17g-free short forms ("3", "2.75"); excused/missing rows have an empty
 * score and status "excused" / "missing"; counted rows have status
 * "counted".  Rows appear in series order (student, then target, then day).
 * @return MLG_OK; MLG_ENULL; MLG_EFORMAT if a write fails. */
int mlg_gen_write_csv(const mlg_gen_data *data, FILE *f);

#ifdef __cplusplus
}
#endif

#endif
