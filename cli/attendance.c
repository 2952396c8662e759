/* SPDX-License-Identifier: GPL-3.0-or-later */
/* attendance.c -- the --attendance file (BUL-2332.7 sec. I.F): days enrolled
 * and the teacher's override, decided by mlg_attendance_check(). */
#include "attendance.h"
#include "csv.h"
#include "util.h"

#include <mlg.h>
#include <mlg_policy.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int att_cmp(const void *a, const void *b)
{
    return strcmp(((const att_row *)a)->id, ((const att_row *)b)->id);
}

static int att_line_cmp(const void *a, const void *b)
{
    const att_row *x = a, *y = b;
    return (x->line > y->line) - (x->line < y->line);
}

att_row *att_find(att_table *t, const char *id)
{
    if (!t->n)
        return NULL;
    att_row key;
    key.id = (char *)(uintptr_t)id;
    return bsearch(&key, t->row, t->n, sizeof *t->row, att_cmp);
}

void att_sort_by_line(att_table *t)
{
    if (t->n)
        qsort(t->row, t->n, sizeof *t->row, att_line_cmp);
}

void att_free(att_table *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->row[i].id);
    free(t->row);
    memset(t, 0, sizeof *t);
}

/* The override column: 0 or 1, or -1 for anything else. */
static int parse_override(const char *v)
{
    static const char *const yes[] = {"1", "yes", "y", "true"};
    static const char *const no[] = {"", "0", "no", "n", "false"};
    char low[8];
    size_t n = strlen(v);
    if (n >= sizeof low)
        return -1;
    for (size_t i = 0; i <= n; i++)
        low[i] = (char)((v[i] >= 'A' && v[i] <= 'Z') ? v[i] + 32 : v[i]);
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (!strcmp(low, yes[i]))
            return 1;
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (!strcmp(low, no[i]))
            return 0;
    return -1;
}

int32_t att_parse_grade(const char *v)
{
    if (!v[0])
        return -1;
    if (!v[1] && (v[0] == 'K' || v[0] == 'k'))
        return 0;
    if (!v[1] && v[0] >= '0' && v[0] <= '6')
        return v[0] - '0';
    return -2;
}

int att_read(att_table *t, const char *path, int32_t min_days, int override_ok)
{
    FILE *f = open_in(path);
    csv_reader r;
    if (csv_open(&r, f, CSV_DEFAULT_MAX_RECORD) != 0)
        return EXIT_NOMEM;
    int rc = csv_next(&r), ret = EXIT_OK;
    int cs = -1, cd = -1, co = -1, cg = -1;
    for (size_t q = 0; rc == CSV_OK && q < r.nfields; q++) {
        if (!strcmp(r.field[q], "student_id"))
            cs = (int)q;
        if (!strcmp(r.field[q], "days_enrolled"))
            cd = (int)q;
        if (!strcmp(r.field[q], "override"))
            co = (int)q;
        if (!strcmp(r.field[q], "grade"))
            cg = (int)q;
    }
    if (cs < 0 || cd < 0) {
        diag_at(path, 1, "header must name student_id and days_enrolled");
        csv_close(&r);
        if (f != stdin)
            fclose(f);
        return EXIT_DATA;
    }
    while ((rc = csv_next(&r)) != CSV_EOF) {
        if (rc != CSV_OK || (size_t)cd >= r.nfields || (size_t)cs >= r.nfields) {
            diag_at(path, r.rec_line, "%s", rc == CSV_BAD ? r.reason : "bad row");
            ret = EXIT_DATA;
            break;
        }
        double d;
        if (parse_double(r.field[cd], r.flen[cd], &d) != 0 || d < 0 || d != floor(d) || d > 1e6) {
            diag_at(path, r.rec_line, "days_enrolled '%s' is not a whole number >= 0",
                    r.field[cd]);
            ret = EXIT_DATA;
            break;
        }
        int32_t days = (int32_t)d, decision;
        const int ovp = co >= 0 && (size_t)co < r.nfields ? parse_override(r.field[co]) : 0;
        if (ovp < 0) {
            diag_at(path, r.rec_line, "override '%s' is not yes/no (or 1/0, true/false)",
                    r.field[co]);
            ret = EXIT_DATA;
            break;
        }
        const int32_t grade =
            cg >= 0 && (size_t)cg < r.nfields ? att_parse_grade(r.field[cg]) : -1;
        if (grade < -1) {
            diag_at(path, r.rec_line, "grade '%s' is not K or 0..6 (Attachment C letters)",
                    r.field[cg]);
            ret = EXIT_DATA;
            break;
        }
        /* The policy may forbid the override (sec. I.F allows it). */
        uint8_t ov = (uint8_t)(ovp && override_ok);
        if (mlg_attendance_check(1, &days, &ov, min_days, &decision, NULL, NULL) != MLG_OK)
            continue;
        if (t->n == t->cap) {
            t->cap = t->cap ? 2 * t->cap : 64;
            t->row = xrealloc(t->row, t->cap * sizeof *t->row);
        }
        att_row *a = &t->row[t->n++];
        const size_t idl = strlen(r.field[cs]);
        a->id = xmalloc(idl + 1);
        memcpy(a->id, r.field[cs], idl + 1);
        a->days = days;
        a->decision = decision;
        a->grade = grade;
        a->seen = 0;
        a->line = r.rec_line;
    }
    csv_close(&r);
    if (f != stdin)
        fclose(f);
    if (ret == EXIT_OK && t->n) {
        qsort(t->row, t->n, sizeof *t->row, att_cmp);
        for (size_t i = 1; i < t->n; i++)
            if (!strcmp(t->row[i].id, t->row[i - 1].id)) {
                diag_at(path, t->row[i].line, "student '%s' listed twice", t->row[i].id);
                return EXIT_DATA;
            }
    }
    return ret;
}
