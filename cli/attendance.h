/* SPDX-License-Identifier: GPL-3.0-or-later */
/* attendance.h -- the --attendance file of `mlg check` and `mlg compute`
 * (BUL-2332.7 sec. I.F): student_id,days_enrolled[,override][,grade]. */
#ifndef MLG_CLI_ATTENDANCE_H
#define MLG_CLI_ATTENDANCE_H

#include <stddef.h>
#include <stdint.h>

typedef struct att_row {
    char   *id;
    int32_t days, decision; /* decision: MLG_ATTEND_* */
    int32_t grade;          /* grade column: 0 (K) .. 6, or -1 (none) */
    int     seen;           /* the student has evidence */
    int64_t line;
} att_row;

typedef struct att_table {
    att_row *row;  /* sorted by id after att_read() */
    size_t   n, cap;
} att_table;

/* att_read(): read the file; each student's decision under min_days and
 * (when override_ok) the override column: yes/no, 1/0, true/false, y/n (any
 * case), empty = no; anything else is an error.  A student listed twice is
 * an error.  The optional grade column: K (or 0) .. 6, empty = none;
 * anything else is an error.  Returns an exit code (diagnostic printed). */
/* att_parse_grade(): "K"/"k"/"0" .. "6" -> 0..6; "" -> -1; else -2. */
int32_t att_parse_grade(const char *v);
int att_read(att_table *t, const char *path, int32_t min_days, int override_ok);
/* att_find(): the row of student `id`, or NULL (the table sorted by id). */
att_row *att_find(att_table *t, const char *id);
/* att_sort_by_line(): file order (att_find() no longer works). */
void att_sort_by_line(att_table *t);
void att_free(att_table *t);

#endif
