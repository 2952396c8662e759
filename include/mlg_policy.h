/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mlg_policy.h -- report-card policy checks for one reporting period.
 *
 * Three checks from LAUSD bulletin BUL-2332.7 (Aug 2018), each a plain
 * function over flat caller-owned arrays, usable with or without a roll-up
 * catalogue (mlg_rollup.h):
 *
 *  - Minimum grade entry (sec. VII A-C, Attachment B): how many marks each
 *    student has in each report area by the period's midpoint and by its
 *    end, against a per-year table of minimums and recommendations.
 *  - Warning notices (sec. I.I, IX A, C, E; Attachment C): which students
 *    are at risk of a "1" or "2" in which areas, as of the midpoint, and
 *    which notices become due later in the period.
 *  - Insufficient attendance (sec. I.F): fewer than 15 instructional days
 *    enrolled means no academic marks and the comment AG-14, unless the
 *    teacher overrides (foster students, students experiencing
 *    homelessness).
 *
 * docs/policy.md gives the exact rules, the bulletin citations and worked
 * examples.  Conventions, status codes, mlg_errinfo and thread safety are
 * those of mlg.h: no global state, every function reentrant, outputs
 * untouched on error unless stated.
 */
#ifndef MLG_POLICY_H
#define MLG_POLICY_H

#include "mlg.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Reporting period                                                           */
/* ------------------------------------------------------------------------ */

/* A reporting period: three day numbers (days since 1970-01-01), all
 * inclusive.  Evidence dated d belongs to the period when
 * start <= d <= end; it counts "by the midpoint" when
 * start <= d <= midpoint (evidence dated ON the midpoint counts by the
 * midpoint: the bulletin asks for marks entered "by the mid-point", sec.
 * VII.A).  Evidence dated before start belongs to an earlier period and
 * evidence dated after end to a later one; neither counts. */
typedef struct mlg_period {
    int32_t start;      /* first day of the period, inclusive */
    int32_t midpoint;   /* midpoint day, inclusive (REF-6302.1 dates) */
    int32_t end;        /* last day of the period, inclusive */
    int32_t reserved;   /* zero */
} mlg_period;

/* mlg_period_validate(): check start <= midpoint <= end and that no field
 * is MLG_DAY_NONE.  A zero-length half (midpoint == start or end ==
 * midpoint) is allowed.
 * @return MLG_OK; MLG_ENULL if p is NULL; MLG_EINVAL if midpoint < start,
 *         end < midpoint, or a day is MLG_DAY_NONE.
 * Thread-safe. */
MLG_API int mlg_period_validate(const mlg_period *p);

/* ------------------------------------------------------------------------ */
/* Minimum grade entry (sec. VII A-C, Attachment B)                           */
/* ------------------------------------------------------------------------ */

/* Report-area categories of Attachment B.  ELA, Math and ALD have a
 * required minimum by the midpoint and by the end; every other progress
 * report area (Science, History/Social Studies, Visual and Performing
 * Arts, Health, Physical Education, and the remaining sub-scores of ELA,
 * ALD and Math) has a required minimum by the end only, and a
 * "highly recommended" count by the midpoint and by the end. */
#define MLG_SUBJECT_ELA    0  /* Foundational Reading Skills, Making Meaning
                                 from Text, Effective Expression Through
                                 Writing */
#define MLG_SUBJECT_MATH   1  /* Math domains and Math Practices taught */
#define MLG_SUBJECT_ALD    2  /* iELD, MELD, ALD */
#define MLG_SUBJECT_OTHER  3  /* all other progress report areas */
#define MLG_SUBJECT_COUNT  4

/* Minimum-entry table.  All counts are cumulative from the period's start:
 * req_end[c] = 3 means at least three counted marks dated start..end (not
 * three after the midpoint).  A count of 0 means "no minimum".  Required
 * counts produce MLG_ENTRY_SHORT_* flags, recommended counts
 * MLG_ENTRY_REC_* flags (advice, never a shortfall). */
typedef struct mlg_entry_minimums {
    int32_t year;           /* first calendar year of the school year the
                               table comes from (2018 = 2018-19), or 0 for
                               a custom table; informational */
    int32_t count_missing;  /* 1: evidence with status MLG_EVIDENCE_MISSING
                               counts as an entered mark; 0 (default): it
                               does not.  Excused evidence never counts. */
    int32_t req_midpoint[MLG_SUBJECT_COUNT];  /* required by the midpoint */
    int32_t req_end[MLG_SUBJECT_COUNT];       /* required by the end */
    int32_t rec_midpoint[MLG_SUBJECT_COUNT];  /* recommended by midpoint */
    int32_t rec_end[MLG_SUBJECT_COUNT];       /* recommended by the end */
} mlg_entry_minimums;

/* mlg_entry_minimums_preset(): fill *out with the bulletin's table for the
 * school year beginning in `year` (Attachment B; sec. VII A-C for 2018-19):
 *
 *   year  ELA/Math/ALD req  Other req  Other recommended
 *         midpoint  end     end        midpoint  end
 *   2018     1       3       1            1       2
 *   2019     2       4       2            2       4
 *   2020     3       6       3            3       6
 *
 * ELA/Math/ALD recommended counts equal their required counts.  "One by the
 * midpoint and one by the end is highly recommended" is read as one mark in
 * each half, cumulatively two by the end: the required count already asks
 * for one by the end, and sec. VII.E asks that marks "span the duration of
 * the reporting period" (docs/policy.md discusses the reading).
 * count_missing is 0.
 * @param year  2018, 2019 or 2020.
 * @return MLG_OK; MLG_ENULL if out is NULL; MLG_ENOTFOUND for another year
 *         (*out untouched).
 * Thread-safe. */
MLG_API int mlg_entry_minimums_preset(int32_t year, mlg_entry_minimums *out);

/* mlg_entry_minimums_from_name(): as mlg_entry_minimums_preset() for the
 * names "2018-19", "2019-20", "2020-21" (also "2018-2019" etc.).
 * @return MLG_OK; MLG_ENULL; MLG_ENOTFOUND for any other name. */
MLG_API int mlg_entry_minimums_from_name(const char *name,
                                         mlg_entry_minimums *out);

/* mlg_entry_minimums_validate(): check a (custom) table: every count >= 0,
 * req_midpoint[c] <= req_end[c] and rec_midpoint[c] <= rec_end[c] (counts
 * are cumulative), count_missing 0 or 1.
 * @return MLG_OK; MLG_ENULL; MLG_EINVAL. */
MLG_API int mlg_entry_minimums_validate(const mlg_entry_minimums *m);

/* Per-slot flags (mlg_entry_check flags_out). */
#define MLG_ENTRY_SHORT_MIDPOINT 0x01u /* fewer than req_midpoint by midpoint */
#define MLG_ENTRY_SHORT_END      0x02u /* fewer than req_end by the end */
#define MLG_ENTRY_REC_MIDPOINT   0x04u /* fewer than rec_midpoint by the
                                          midpoint (recommendation only) */
#define MLG_ENTRY_REC_END        0x08u /* fewer than rec_end by the end
                                          (recommendation only) */
#define MLG_ENTRY_SHORT_ANY (MLG_ENTRY_SHORT_MIDPOINT | MLG_ENTRY_SHORT_END)

/* Totals of one mlg_entry_check() call (number of slots with each flag). */
typedef struct mlg_entry_summary {
    int64_t n_slots;          /* slots checked */
    int64_t n_short_midpoint; /* slots flagged MLG_ENTRY_SHORT_MIDPOINT */
    int64_t n_short_end;      /* slots flagged MLG_ENTRY_SHORT_END */
    int64_t n_short_any;      /* slots with a required shortfall */
    int64_t n_rec_midpoint;   /* slots flagged MLG_ENTRY_REC_MIDPOINT */
    int64_t n_rec_end;        /* slots flagged MLG_ENTRY_REC_END */
} mlg_entry_summary;

/* mlg_entry_check(): minimum grade entry for one reporting period.
 *
 * A slot is one student x one report area whose marks are counted together
 * (e.g. "Zoey, ELA" gathering her Foundational Reading, Making Meaning and
 * Writing targets; "Zoey, Science").  Evidence arrives in the batch layout
 * of mlg_batch_compute(): group g is rows offsets[g] .. offsets[g+1]-1 of
 * day/status, offsets[0] == 0, offsets non-decreasing.  Groups may be finer
 * than slots (one student x one learning target): group_slot[g] names the
 * slot group g's rows count towards.  Each counted evidence row is one
 * entered mark, so an assignment scored on k targets of one slot counts k
 * times (dedupe first to count assignments).
 *
 * A row counts when its status is MLG_EVIDENCE_COUNTED (or
 * MLG_EVIDENCE_MISSING with m->count_missing == 1; MLG_EVIDENCE_EXCUSED
 * never counts) and start <= day <= end; it also counts by the midpoint
 * when day <= midpoint (see mlg_period).  Days need not be sorted.
 *
 * @param n_groups       number of evidence groups (0 allowed).
 * @param offsets        n_groups + 1 row offsets (int64).
 * @param day            offsets[n_groups] days; MLG_DAY_NONE is rejected.
 *                       May be NULL only when there are no rows.
 * @param status         offsets[n_groups] MLG_EVIDENCE_* codes, or NULL for
 *                       all counted.
 * @param group_slot     n_groups slot indices in [0, n_slots), or NULL for
 *                       the identity (then n_slots must equal n_groups).
 * @param n_slots        number of slots (student x area).
 * @param slot_category  n_slots MLG_SUBJECT_* codes.
 * @param period         the reporting period (mlg_period_validate()).
 * @param m              the minimums (mlg_entry_minimums_preset()).
 * @param by_midpoint_out  n_slots counts by the midpoint; required.
 * @param by_end_out     n_slots counts by the end; required.
 * @param flags_out      n_slots MLG_ENTRY_* bit sets; required.
 * @param summary        receives the totals, or NULL.
 * @param err            optional; group = failing group (or slot for a bad
 *                       category, then row = -1), row = absolute row.
 * @return MLG_OK; MLG_ENULL (a required pointer, or day with rows);
 *         MLG_EINVAL (bad period or table, offsets[0] != 0, decreasing
 *         offsets, n_slots != n_groups without group_slot, a slot index out
 *         of range, a category not MLG_SUBJECT_*, a day equal to
 *         MLG_DAY_NONE); MLG_ESTATUS (a status not MLG_EVIDENCE_*).
 *         Every input is checked before any output is written: on error
 *         all outputs are untouched.
 * Thread-safe.  O(rows + groups + slots) time, no allocation.
 * Attachment B, 2018-19: ELA marks on days start, midpoint and end give
 * by_midpoint 2, by_end 3, no flag; two marks after the midpoint give
 * MLG_ENTRY_SHORT_MIDPOINT and MLG_ENTRY_SHORT_END. */
MLG_API int mlg_entry_check(size_t n_groups, const int64_t *offsets,
                            const int32_t *day, const uint8_t *status,
                            const int64_t *group_slot, size_t n_slots,
                            const int32_t *slot_category,
                            const mlg_period *period,
                            const mlg_entry_minimums *m,
                            int64_t *by_midpoint_out, int64_t *by_end_out,
                            uint32_t *flags_out, mlg_entry_summary *summary,
                            mlg_errinfo *err);

/* ------------------------------------------------------------------------ */
/* Warning notices (sec. I.I, IX A, C, E; Attachment C)                       */
/* ------------------------------------------------------------------------ */

/* Default at-risk threshold: a level value <= 2 on the CCS 4/3/2/1 scale is
 * "at risk of receiving a 1 or 2" (sec. IX.E).  The same value suits the
 * ELD 4-level scale.  For the 3-level behaviour scale (R/S/C = 1/2/3) the
 * bulletin gives no cut; docs/policy.md suggests 1.0 (R, Rarely) and the
 * caller decides. */
#define MLG_NOTICE_THRESHOLD_CCS 2.0

/* mlg_notice_list(): the warning-notice list as of the midpoint: every
 * (student, area) whose level value is at or below the area's threshold.
 *
 * value is row-major by student: value[s * n_areas + a] is student s's
 * level value in area a (a composite or any sub-score: the Attachment C
 * letter's ELA and Math domains, Math Practices, Science, HSS, Arts, PE,
 * Health, ELD, behaviours) computed from the evidence dated up to the
 * midpoint: pass the scale's value of the reported level
 * (scale.value[level]), not an unrounded mean, so "at risk of a 2" agrees
 * with the mark a report would show.  NaN means N/A or not assessed and is
 * never at risk.
 *
 * Pairs are written in (student, area) ascending order to
 * student_out[0..k-1] and area_out[0..k-1], k = *n_required.
 * @param n_students, n_areas  dimensions of value (0 allowed).
 * @param value      n_students * n_areas values; NaN = N/A.  May be NULL
 *                   only when the product is 0.
 * @param threshold  n_areas thresholds (finite), or NULL for
 *                   MLG_NOTICE_THRESHOLD_CCS everywhere; a value v is at
 *                   risk when v <= threshold[a].
 * @param capacity   entries available in student_out and area_out (both
 *                   may be NULL when capacity is 0).
 * @param n_required receives the number of pairs (also on MLG_ESIZE).
 * @param err        optional; group = student, row = area of a bad value.
 * @return MLG_OK; MLG_ENULL; MLG_ENAN for an infinite value or a NaN or
 *         infinite threshold; MLG_EOVERFLOW if n_students * n_areas
 *         overflows size_t; MLG_ESIZE when capacity < *n_required (then
 *         only *n_required is written: call with capacity 0 to size the
 *         buffers).  On other errors every output is untouched.
 * Thread-safe.  O(n_students * n_areas), no allocation.
 * Sec. IX.E: levels 4,3,2,1 in four areas give notices for the areas with
 * levels 2 and 1. */
MLG_API int mlg_notice_list(size_t n_students, size_t n_areas,
                            const double *value, const double *threshold,
                            size_t capacity, int64_t *student_out,
                            int64_t *area_out, size_t *n_required,
                            mlg_errinfo *err);

/* mlg_notice_list_new(): notices newly due at a later day (sec. IX.C: "If a
 * student is not at risk at the midpoint of the reporting period but later
 * becomes at risk, teachers should send the warning notice to parents at
 * that time").  value holds level values computed from the evidence up to
 * the later day; the result is every at-risk (student, area) that is NOT in
 * the earlier list (prev_student, prev_area), in ascending order.
 * Run with end-of-period values and the list of every notice sent, it gives
 * the 1s and 2s that sec. I.I forbids issuing (no prior notice).
 * @param n_prev       entries in the earlier list (0 allowed, then the
 *                     prev arrays may be NULL).
 * @param prev_student, prev_area  the earlier list, strictly ascending by
 *                     (student, area), e.g. as mlg_notice_list() wrote it;
 *                     entries must lie inside n_students x n_areas.
 * Other parameters and returns as mlg_notice_list(), plus MLG_EINVAL
 * (err->row = index into the earlier list) when the earlier list is out of
 * range, unsorted or has duplicates.
 * Thread-safe.  O(n_students * n_areas + n_prev), no allocation. */
MLG_API int mlg_notice_list_new(size_t n_students, size_t n_areas,
                                const double *value, const double *threshold,
                                size_t n_prev, const int64_t *prev_student,
                                const int64_t *prev_area, size_t capacity,
                                int64_t *student_out, int64_t *area_out,
                                size_t *n_required, mlg_errinfo *err);

/* mlg_notice_inputs_from_rollup(): the value matrix and thresholds that
 * mlg_notice_list() takes, from the level matrix of mlg_rollup_run()
 * (mlg_rollup.h), with one area per catalogue node (N nodes):
 *   value_out[s * N + k] = the value of node_level[s * N + k] on node k's
 *     scale; NaN when the level is MLG_LEVEL_NA, and NaN for learning-target
 *     nodes unless include_targets is 1 (notices concern progress-report
 *     areas: domains, subjects, composites, sec. IX.C);
 *   threshold_out[k] = a suggested threshold for node k's scale: the value
 *     of its second-lowest level when it has 4 or more levels ("a 1 or 2"
 *     on CCS, ELD and TK scales: 2.0), else the value of its lowest level
 *     (behaviours: R = 1.0).  Overwrite entries to change the policy.
 * Pass n_areas = N to mlg_notice_list(); area k of a notice is node k
 * (mlg_catalogue_node_label() names it).
 * @param cat            a finalised catalogue.
 * @param n_students     rows of node_level (0 allowed).
 * @param node_level     n_students x N levels (MLG_LEVEL_NA allowed), as
 *                       mlg_rollup_run() writes them; may be NULL only
 *                       when n_students is 0.
 * @param include_targets 0 or 1.
 * @param value_out      n_students x N values.
 * @param threshold_out  N thresholds.
 * @param err            optional; on MLG_ESCALE group = student, row =
 *                       node.
 * @return MLG_OK; MLG_ENULL; MLG_EINVAL (catalogue not finalised,
 *         include_targets not 0/1); MLG_EOVERFLOW (n_students x N does not
 *         fit size_t); MLG_ESCALE (a level that is neither MLG_LEVEL_NA
 *         nor a level of the node's scale).  Outputs untouched on error.
 * Thread-safe.  O(n_students x N), no allocation. */
struct mlg_catalogue;
MLG_API int mlg_notice_inputs_from_rollup(const struct mlg_catalogue *cat,
                                          size_t n_students,
                                          const int32_t *node_level,
                                          int32_t include_targets,
                                          double *value_out,
                                          double *threshold_out,
                                          mlg_errinfo *err);

/* The areas of the Attachment C K-5 warning-notice letter, in the letter's
 * order: 18 academic areas, then 16 behaviours.  Callers may use them as
 * the `area` axis of mlg_notice_list(). */
#define MLG_NOTICE_AREA_COUNT 34

/* One area of the Attachment C letter. */
typedef struct mlg_notice_area {
    char    heading[MLG_NAME_SIZE]; /* "English Language Arts", "Mathematics",
                                       "" for stand-alone subjects, or the
                                       behaviour group heading */
    char    label[MLG_NAME_SIZE * 2]; /* the check-box line, as printed */
    int32_t behavior;               /* 1 for the behaviour areas, else 0 */
    int32_t scale;                  /* MLG_SCALE_* the area is marked on */
    double  threshold;              /* suggested at-risk threshold: 2.0 for
                                       academic areas, 1.0 for behaviours */
} mlg_notice_area;

/* mlg_notice_area_builtin(): fill *out with Attachment C area i (0-based).
 * @return MLG_OK; MLG_ENULL; MLG_ENOTFOUND if i >= MLG_NOTICE_AREA_COUNT. */
MLG_API int mlg_notice_area_builtin(size_t i, mlg_notice_area *out);

/* The 6th-grade letter (Attachment C, "6th Grade Warning Notice"): the
 * K-5 areas with the letter's own Mathematics list (Ratios & Proportional
 * Relationships, The Number System, Expressions & Equations, Geometry,
 * Statistics & Probability, Math Practices): 5 ELA areas, 6 Math areas, 6
 * other subjects, 16 behaviours. */
#define MLG_NOTICE_AREA_COUNT_GRADE6 33

/* mlg_notice_area_grade(): area i (0-based) of the letter for `grade`:
 * 0..5 (K = 0) use the K-5 letter (as mlg_notice_area_builtin()), 6 the
 * 6th-grade letter.  Counts: MLG_NOTICE_AREA_COUNT, and
 * MLG_NOTICE_AREA_COUNT_GRADE6.
 * @return MLG_OK; MLG_ENULL; MLG_ENOTFOUND (a grade outside 0..6, or i past
 *         the letter's end). */
MLG_API int mlg_notice_area_grade(int32_t grade, size_t i,
                                  mlg_notice_area *out);

/* mlg_notice_format(): build one student's notice line, the area labels
 * joined by "; " in list order (e.g. "Operations & Algebraic Thinking;
 * Geometry"), into buf.  Core never prints; the caller does.
 * @param n        number of areas to list (0 gives "").
 * @param area     n area indices into labels.
 * @param labels   n_labels NUL-terminated labels.
 * @param buf      size bytes, or NULL when size is 0.
 * @param required receives the length of the full line without the NUL
 *                 (also on MLG_ESIZE), or NULL.
 * @return MLG_OK; MLG_ENULL; MLG_EINVAL for an index outside labels;
 *         MLG_ESIZE when size <= the line's length (buf untouched).
 * Thread-safe. */
MLG_API int mlg_notice_format(size_t n, const int64_t *area,
                              const char *const *labels, size_t n_labels,
                              char *buf, size_t size, size_t *required);

/* ------------------------------------------------------------------------ */
/* Insufficient attendance (sec. I.F)                                         */
/* ------------------------------------------------------------------------ */

/* Sec. I.F: marks must be assigned to students enrolled fifteen or more
 * instructional days during the reporting period. */
#define MLG_ATTENDANCE_MIN_DAYS 15
/* The Academic General Comment for too few days, and its text (sec. I.F). */
#define MLG_COMMENT_AG14 "AG-14"
#define MLG_COMMENT_AG14_TEXT "Insufficient attendance to determine performance."

/* Per-student outcomes (mlg_attendance_check decision_out). */
#define MLG_ATTEND_MARKS    0  /* enough days: assign academic and
                                  behaviour marks */
#define MLG_ATTEND_AG14     1  /* too few days: no marks, comment AG-14 */
#define MLG_ATTEND_OVERRIDE 2  /* too few days, but the teacher chose to
                                  assign marks (foster students, students
                                  experiencing homelessness) */

/* mlg_attendance_check(): sec. I.F for each student.
 * @param n_students     number of students (0 allowed).
 * @param days_enrolled  n_students instructional days enrolled in the
 *                       reporting period (>= 0).
 * @param override_marks n_students flags (0 or 1): 1 = assign marks even
 *                       below min_days; or NULL for none.  Ignored for
 *                       students with enough days.
 * @param min_days       MLG_ATTENDANCE_MIN_DAYS (15), or a district's own
 *                       count (>= 0); a student with days_enrolled >=
 *                       min_days gets marks.
 * @param decision_out   n_students MLG_ATTEND_* codes.
 * @param n_ag14         receives the number of MLG_ATTEND_AG14, or NULL.
 * @param err            optional; group = the failing student.
 * @return MLG_OK; MLG_ENULL; MLG_EINVAL (min_days < 0, a negative day
 *         count, an override flag other than 0/1).  Outputs untouched on
 *         error.
 * Thread-safe.  O(n_students). */
MLG_API int mlg_attendance_check(size_t n_students,
                                 const int32_t *days_enrolled,
                                 const uint8_t *override_marks,
                                 int32_t min_days, int32_t *decision_out,
                                 size_t *n_ag14, mlg_errinfo *err);

/* ------------------------------------------------------------------------ */
/* Evidence sufficiency (sec. VII.D-E, Attachment B) and level entries        */
/* ------------------------------------------------------------------------ */

/* Per-group flags (mlg_evidence_sufficiency flags_out). */
#define MLG_SUFFICIENCY_FEW     0x01u /* 1 .. min_rows-1 counted rows in the
                                         period: "multiple assignments" */
#define MLG_SUFFICIENCY_NO_SPAN 0x02u /* counted rows, but none in one half
                                         of the period: "that span the
                                         duration of the reporting period" */
#define MLG_SUFFICIENCY_NOT_ASSESSED 0x04u /* no counted row in the period:
                                         the mark is N/A, "not assessed in
                                         current reporting period" (sec.
                                         II.A); never FEW or NO_SPAN */

/* Totals of one mlg_evidence_sufficiency() call. */
typedef struct mlg_sufficiency_summary {
    int64_t n_groups;   /* groups checked */
    int64_t n_empty;    /* groups flagged MLG_SUFFICIENCY_NOT_ASSESSED */
    int64_t n_one;      /* groups with exactly one counted row */
    int64_t n_few;      /* groups flagged MLG_SUFFICIENCY_FEW */
    int64_t n_no_span;  /* groups flagged MLG_SUFFICIENCY_NO_SPAN */
} mlg_sufficiency_summary;

/* mlg_evidence_sufficiency(): "Progress report marks must be based on
 * multiple assignments that span the duration of the reporting period"
 * (sec. VII.E; Att. B), per group (one student x one target) in the batch
 * layout of mlg_entry_check().  Rows count as in mlg_entry_check() with
 * count_missing 0 (status counted, start <= day <= end).  The halves are
 * start..midpoint and midpoint+1..end (mlg_period).
 * @param min_rows  flag groups with 1 .. min_rows-1 counted rows (2 in
 *                  lausd-bul-2332.7; 0 or 1 = never).
 * @param span      1: flag groups with counted rows in only one half.
 * @param flags_out n_groups MLG_SUFFICIENCY_* bit sets; required.
 * @param summary   totals, or NULL.
 * @return MLG_OK; MLG_ENULL; MLG_EINVAL (bad period, offsets, min_rows < 0,
 *         span not 0/1, a day MLG_DAY_NONE); MLG_ESTATUS.  Outputs
 *         untouched on error.
 * Thread-safe.  O(rows), no allocation.
 * Example: rows on start and end: no flag; one row on the midpoint: FEW
 * and NO_SPAN; rows only before start: NOT_ASSESSED (set the target's
 * value to NaN for this period's report). */
MLG_API int mlg_evidence_sufficiency(size_t n_groups, const int64_t *offsets,
                                     const int32_t *day,
                                     const uint8_t *status,
                                     const mlg_period *period,
                                     int32_t min_rows, int32_t span,
                                     uint32_t *flags_out,
                                     mlg_sufficiency_summary *summary,
                                     mlg_errinfo *err);

/* mlg_coverage_check(): the bulletin's "at least one each period, every one
 * by the final period" rules (sec. II.A footnotes * and **): "Students are
 * to receive a grade in at least one math domain and one mathematical
 * practice per reporting period so that by the final reporting period,
 * students have received a grade in each of the math domains and the
 * mathematical practices", and the same for the four arts disciplines.
 * Nodes are put in groups (group 0 = the math domains, 1 = the practices,
 * 2 = the arts disciplines, as the caller chooses); for each student and
 * group the function reports the periods in which no node of the group was
 * graded, and how many nodes of the group were graded in none of the
 * periods given (pass the periods of the year so far; after the final
 * period every such node breaks the rule).
 * @param n_periods   1..32 periods, in order.
 * @param node_level  n_periods x n_students x n_nodes levels (period p,
 *                    student s, node k at (p * n_students + s) * n_nodes +
 *                    k), MLG_LEVEL_NA = not graded, as mlg_rollup_run()
 *                    writes one period's levels.
 * @param node_group  n_nodes group indices in [0, n_groups), or -1 for a
 *                    node that is not checked.
 * @param period_missing_out  n_students x n_groups bit sets: bit p is set
 *                    when no node of the group was graded in period p (a
 *                    group without nodes is never missing).
 * @param never_out   n_students x n_groups counts of nodes never graded.
 * @return MLG_OK; MLG_ENULL; MLG_EINVAL (n_periods 0 or above 32, a group
 *         index out of range); MLG_EOVERFLOW (sizes).  Outputs untouched on
 *         error.
 * Thread-safe.  O(n_periods x n_students x n_nodes), no allocation. */
MLG_API int mlg_coverage_check(size_t n_periods, size_t n_students,
                               size_t n_nodes, const int32_t *node_level,
                               const int32_t *node_group, size_t n_groups,
                               uint32_t *period_missing_out,
                               int32_t *never_out, mlg_errinfo *err);

/* Evidence kinds (the `kind` array of mlg_level_supersede()). */
#define MLG_KIND_MARK  0  /* an assignment mark */
#define MLG_KIND_LEVEL 1  /* a teacher-entered current proficiency level
                             (Att. A; Att. B footnote "Current Proficiency
                             Level is used in Mastery Learning and
                             Grading") */

/* mlg_level_supersede(): a current proficiency level supersedes the
 * evidence before it: in each group (rows in day order, as the batch
 * layout requires), every row before the group's last counted
 * MLG_KIND_LEVEL row gets status MLG_EVIDENCE_EXCUSED in status_out (so
 * every method ignores it); the level row and later marks keep theirs.
 * A level update 1 -> 3 then reads 3 under any method, where
 * decaying_average over both entries gives 2.3.
 * @param kind        rows MLG_KIND_* codes (required when rows exist).
 * @param status_in   rows MLG_EVIDENCE_* codes, or NULL for all counted.
 * @param status_out  rows codes (may equal status_in).
 * @param n_superseded  rows newly excused, or NULL.
 * @return MLG_OK; MLG_ENULL; MLG_EINVAL (offsets, a kind not MLG_KIND_*);
 *         MLG_ESTATUS.  Outputs untouched on error.
 * Thread-safe.  O(rows), no allocation. */
MLG_API int mlg_level_supersede(size_t n_groups, const int64_t *offsets,
                                const uint8_t *kind, const uint8_t *status_in,
                                uint8_t *status_out, int64_t *n_superseded,
                                mlg_errinfo *err);

/* ------------------------------------------------------------------------ */
/* A declared district policy (JSON)                                          */
/* ------------------------------------------------------------------------ */

/* Every choice that decides a mark, declared in one JSON document and
 * recorded by name and content hash next to every output: the scales per
 * subject, the method and its parameters, rounding and decimals, the
 * domain/subject/composite roll-up rules, the N/A table, TK's N/A rule,
 * the reporting periods, the Attachment B year, the evidence-sufficiency
 * rule, notice thresholds per scale and the attendance rule.  The format
 * and every field of the shipped policy "lausd-bul-2332.7" (with the
 * bulletin line it comes from) are in docs/policy.md; the shipped text is
 * data/policy/lausd-bul-2332.7.json, compiled into the library.
 *
 * mlg_policy_parse() is the one place the library reads JSON text: the
 * caller reads the file and passes its text (core does no file I/O).
 * A parsed policy is immutable and may be shared between threads. */
typedef struct mlg_policy mlg_policy;

/* The name of the shipped policy (BUL-2332.7). */
#define MLG_POLICY_DEFAULT "lausd-bul-2332.7"
/* Characters of a content hash (SHA-256 in hex) plus the NUL. */
#define MLG_POLICY_HASH_SIZE 65

/* mlg_policy_parse(): parse and validate a policy from `len` bytes of JSON
 * text (need not be NUL-terminated).  Every field is checked: unknown keys
 * at any level are refused (a misspelt key never silently falls back to a
 * default), rule and method text is parsed as mlg_rollup_rule_parse() and
 * mlg_method_params_set() do, scale ids must be built-in scales, dates are
 * YYYY-MM-DD and periods valid and in order.  "basis" keys (free text: the
 * bulletin line a field comes from) are allowed in every object.
 * @return MLG_OK; MLG_ENULL; MLG_EFORMAT (not JSON, or a field of the wrong
 *         type; err->row = the JSON line, err->message names the field);
 *         MLG_ENOTFOUND (an unknown key, scale, method or rule name);
 *         MLG_EINVAL (a value out of range); MLG_ENOMEM.  *out is NULL on
 *         error. */
MLG_API int mlg_policy_parse(const char *text, size_t len, mlg_policy **out,
                             mlg_errinfo *err);

/* mlg_policy_builtin(): the shipped policy `name` (MLG_POLICY_DEFAULT).
 * @return as mlg_policy_parse(); MLG_ENOTFOUND for an unknown name. */
MLG_API int mlg_policy_builtin(const char *name, mlg_policy **out,
                               mlg_errinfo *err);

/* mlg_policy_builtin_text(): the JSON text of shipped policy `name`, NULL
 * if unknown (the bytes of data/policy/<name>.json). */
MLG_API const char *mlg_policy_builtin_text(const char *name);

/* mlg_policy_free(): release a policy; NULL is a no-op. */
MLG_API void mlg_policy_free(mlg_policy *p);

/* mlg_policy_name(): the policy's "policy" field; NULL if p is NULL. */
MLG_API const char *mlg_policy_name(const mlg_policy *p);

/* mlg_policy_hash(): SHA-256 (hex, 64 characters) of the policy's
 * canonical text (mlg_policy_canonical()), so whitespace and key order do
 * not change it but any value does.  NULL if p is NULL. */
MLG_API const char *mlg_policy_hash(const mlg_policy *p);

/* mlg_policy_canonical(): the policy as canonical JSON: keys sorted,
 * two-space indent, one trailing newline.  `mlg policy show` prints it.
 * NULL if p is NULL. */
MLG_API const char *mlg_policy_canonical(const mlg_policy *p);

/* mlg_policy_method(): the policy's method and parameters for learning
 * targets, with the policy's rounding and decimals.
 * @return MLG_OK; MLG_ENULL. */
MLG_API int mlg_policy_method(const mlg_policy *p, mlg_method_params *out);

/* mlg_policy_rule(): the roll-up rule for nodes of `kind`
 * (MLG_NODE_DOMAIN, MLG_NODE_SUBJECT, MLG_NODE_COMPOSITE; MLG_NODE_TARGET
 * gives mean with only the policy's rounding and decimals, which is what a
 * target uses), with the policy's rounding and decimals.
 * @return MLG_OK; MLG_ENULL; MLG_EINVAL for another kind. */
struct mlg_rollup_rule;
MLG_API int mlg_policy_rule(const mlg_policy *p, int32_t kind,
                            struct mlg_rollup_rule *out);

/* One subject code of the policy (the codes of
 * mlg_bulletin_subject_na_allowed(): "ela", "math_domain", ...). */
typedef struct mlg_policy_subject {
    int32_t na_allowed;  /* 1: N/A may be reported (sec. II.A table) */
    int32_t reserved;    /* zero */
    mlg_scale scale;     /* the subject's scale; its na_allowed is the
                            subject's */
} mlg_policy_subject;

/* mlg_policy_subject_find(): the entry for subject `code`.
 * @return MLG_OK; MLG_ENULL; MLG_ENOTFOUND. */
MLG_API int mlg_policy_subject_find(const mlg_policy *p, const char *code,
                               mlg_policy_subject *out);

/* mlg_policy_subject_method(): the method and parameters for the targets
 * of subject `code`: the subject's own "method" when the policy gives one
 * (a district may, say, use most_recent for teacher-entered levels in one
 * subject), else the policy's method; rounding and decimals are always the
 * policy's.  lausd-bul-2332.7 gives no subject its own method.
 * @return MLG_OK; MLG_ENULL; MLG_ENOTFOUND (unknown code). */
MLG_API int mlg_policy_subject_method(const mlg_policy *p, const char *code,
                                      mlg_method_params *out);

/* mlg_policy_subject_guess(): the subject code of sec. II.A's table for a
 * catalogue node that declares none, from the ids and labels (a reading,
 * docs/policy.md): the subject is named by the node's top-level ancestor
 * (`root_id`, `root_label`; the node itself when it is the root): an id or
 * label starting "ELA"/"English Language Arts" is ELA, "MATH"/"Math" Math,
 * "ELD"/"English Language Development" ELD, "VAPA"/"Visual and Performing"
 * or "Arts" VAPA, "SCI"/"Science", "HSS"/"History", "PE"/"Physical",
 * "HEALTH"/"Health", "BEH"/"Behavio", "DL"/"Dual"; otherwise not found.  The
 * root of ELA and Math is the composite ("ela_composite",
 * "math_composite"), of VAPA "vapa"; below it ELA nodes are "ela", Math
 * nodes "math_practices" when the node or its parent (`parent_id`,
 * `parent_label`, may be NULL) has an id ending ".MP" or a label with
 * "Practice", else "math_domain", and VAPA nodes "vapa_discipline"; other
 * subjects keep their code.  Targets are not classified (MLG_ENOTFOUND):
 * an unassessed target is simply skipped by its parent's rule.
 * @return MLG_OK (*code static); MLG_ENULL; MLG_ENOTFOUND. */
MLG_API int mlg_policy_subject_guess(const char *root_id,
                                     const char *root_label, const char *id,
                                     const char *label, const char *parent_id,
                                     const char *parent_label, int32_t kind,
                                     const char **code);

/* mlg_policy_subject_code(): the i-th subject code in the policy (0-based,
 * sorted), NULL past the end. */
MLG_API const char *mlg_policy_subject_code(const mlg_policy *p, size_t i);

/* mlg_policy_scale(): the scale the policy names `role` ("academic",
 * "eld", "behaviors", "tk", "tk_eld"), or, if `role` is not a role, the
 * built-in scale with that id.  A TK scale gets na_allowed from the "tk"
 * section (0 in lausd-bul-2332.7, sec. II.A).
 * @return MLG_OK; MLG_ENULL; MLG_ENOTFOUND. */
MLG_API int mlg_policy_scale(const mlg_policy *p, const char *role,
                             mlg_scale *out);

/* Settings without a struct of their own. */
typedef struct mlg_policy_settings {
    int32_t entry_year;          /* Attachment B column (2018, 2019, 2020) */
    int32_t periods_per_year;    /* sec. I.K: 3 */
    int32_t n_periods;           /* dated periods (mlg_policy_period()) */
    int32_t tk_na_allowed;       /* 0: TK allows no N/A (sec. II.A) */
    int32_t level_supersede;     /* 1: a teacher-entered current level
                                    replaces the evidence before it */
    int32_t evidence_min;        /* evidence rows below this count are
                                    flagged (sec. VII.E "multiple") */
    int32_t evidence_span;       /* 1: evidence must fall in both halves of
                                    the period ("span the duration") */
    int32_t attendance_min_days; /* sec. I.F: 15 */
    int32_t attendance_override; /* 1: the teacher may assign marks below
                                    min_days (sec. I.F foster/homeless) */
    int32_t entry_recommended;   /* marks per subject area per period
                                    recommended (sec. VII.F: 6); 0 = none */
    int32_t reserved;            /* zero */
} mlg_policy_settings;

/* mlg_policy_settings_get(): the settings above.  @return MLG_OK; MLG_ENULL. */
MLG_API int mlg_policy_settings_get(const mlg_policy *p,
                                mlg_policy_settings *out);

/* mlg_policy_period(): dated reporting period i (0-based, in date order)
 * and its name (NUL-terminated, may be NULL).
 * @return MLG_OK; MLG_ENULL; MLG_ENOTFOUND past the end. */
MLG_API int mlg_policy_period(const mlg_policy *p, size_t i, mlg_period *out,
                              char name[MLG_LABEL_SIZE]);

/* mlg_policy_entry_minimums(): mlg_entry_minimums_preset() of the policy's
 * Attachment B year.  @return MLG_OK; MLG_ENULL. */
MLG_API int mlg_policy_entry_minimums(const mlg_policy *p,
                                      mlg_entry_minimums *out);

/* mlg_policy_notice_threshold(): the warning-notice threshold of scale
 * `scale_id` ("ccs4" 2, "eld4" 2, "behavior" 1 in lausd-bul-2332.7).
 * @return MLG_OK; MLG_ENULL; MLG_ENOTFOUND when the policy gives that
 *         scale no notices (TK: "tk", "tk_eld"); *threshold untouched. */
MLG_API int mlg_policy_notice_threshold(const mlg_policy *p,
                                        const char *scale_id,
                                        double *threshold);

/* mlg_policy_notice_inputs(): mlg_notice_inputs_from_rollup() with the
 * policy's thresholds per scale: node k's threshold is the policy's
 * threshold for the scale id of node k's scale, and a node whose scale has
 * none (TK in lausd-bul-2332.7) gets value NaN (never a notice) and
 * threshold 0.  Parameters and returns as mlg_notice_inputs_from_rollup(),
 * plus p (required).
 * Sec. IX.E: a behaviour "S" (2) gets no notice, "R" (1) does; a TK "B"
 * gets none. */
MLG_API int mlg_policy_notice_inputs(const mlg_policy *p,
                                     const struct mlg_catalogue *cat,
                                     size_t n_students,
                                     const int32_t *node_level,
                                     int32_t include_targets,
                                     double *value_out, double *threshold_out,
                                     mlg_errinfo *err);

#ifdef __cplusplus
}
#endif

#endif /* MLG_POLICY_H */
