/* SPDX-License-Identifier: GPL-3.0-or-later */
/* grouper.c -- rows into students and groups: accepting a row (streaming
 * sorted input in chunks at student boundaries), grouping unsorted input by
 * student, sorting each student's rows by (target, day), dropping exact
 * duplicates, and the groups' CSR arrays for the batch. */
#include "engine_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int ev_less(const ev_t *a, const ev_t *b)
{
    return a->target < b->target || (a->target == b->target && a->day < b->day);
}

/* Stable merge sort by (target, day): same-day evidence keeps input order. */
static void ev_sort(ev_t *a, size_t n, ev_t *tmp)
{
    if (n < 24) {
        for (size_t i = 1; i < n; i++) {
            ev_t x = a[i];
            size_t j = i;
            while (j > 0 && ev_less(&x, &a[j - 1])) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = x;
        }
        return;
    }
    size_t h = n / 2;
    ev_sort(a, h, tmp);
    ev_sort(a + h, n - h, tmp);
    if (!ev_less(&a[h], &a[h - 1]))
        return;
    memcpy(tmp, a, h * sizeof *a);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        a[k++] = ev_less(&a[j], &tmp[i]) ? a[j++] : tmp[i++];
    while (i < h)
        a[k++] = tmp[i++];
}


static int same_row(const ev_t *a, const ev_t *b)
{
    return a->student == b->student && a->target == b->target && a->day == b->day &&
           a->status == b->status && a->weight == b->weight && a->extra == b->extra &&
           a->kind == b->kind &&
           (a->score == b->score || (isnan(a->score) && isnan(b->score)));
}

/* rows[q] against the kept rows rows[key..w) of its student, target and
 * day (in input order): when it is an exact duplicate of one, keep the first
 * (--duplicates warn counts the copy as skipped, error as rejected) and
 * return 1. */
static int drop_duplicate(engine *e, const ev_t *rows, size_t key, size_t w, size_t q)
{
    size_t d = key;
    while (d < w && !same_row(&rows[d], &rows[q]))
        d++;
    if (d == w)
        return 0;
    e->n_used--;
    if (e->duplicates == DUP_ERROR) {
        engine_reject(e, rows[q].line, "duplicate of line %lld (--duplicates error)",
                      (long long)engine_abs_line(e, rows[d].line));
        return 1;
    }
    e->n_skipped++;
    e->n_duplicates++;
    if (e->n_duplicates <= SHOW_REJECTS) {
        if (e->progress_shown) {
            fputc('\n', stderr);
            e->progress_shown = 0;
        }
        diag_at(e->in_label, engine_abs_line(e, rows[q].line),
                "duplicate of line %lld: skipped (see --duplicates)",
                (long long)engine_abs_line(e, rows[d].line));
    }
    return 1;
}

/* Room for need groups in the CSR arrays g_* (doubling). */
static void grow_groups(engine *e, size_t need)
{
    if (need <= e->cap_groups)
        return;
    size_t c = e->cap_groups ? e->cap_groups : 1024;
    while (c < need)
        c *= 2;
    e->cap_groups = c;
    e->g_off = xrealloc(e->g_off, c * sizeof *e->g_off);
    e->g_run = xrealloc(e->g_run, c * sizeof *e->g_run);
    e->g_target = xrealloc(e->g_target, c * sizeof *e->g_target);
    e->g_count = xrealloc(e->g_count, c * sizeof *e->g_count);
    e->g_level = xrealloc(e->g_level, c * sizeof *e->g_level);
    e->g_value = xrealloc(e->g_value, c * sizeof *e->g_value);
}

/* Group the rows of whole students rows[0..*n): sort each student's rows by
 * (target, day), drop exact duplicates (*n shrinks), and build the batch's
 * groups (one per student x target) in CSR form in e->g_* and e->s_*.
 * *nruns: the number of students, *ng the number of groups.
 *
 * One student at a time, so that the chunk (larger than the cache) is read
 * once: its rows are checked (and sorted when out of order), then copied
 * down over dropped duplicates and into the CSR arrays while still in the
 * cache.  Duplicate diagnostics come out in row order, as one pass over the
 * chunk gives them. */
void engine_group(engine *e, ev_t *rows, size_t *n_io, size_t *nruns_out, size_t *ng_out)
{
    size_t n = *n_io;
    ev_t *tmp = NULL;
    size_t tmpcap = 0;
    size_t T_all = e->have_cat ? e->T : e->tids.n;
    if (T_all > e->cap_stamp) {
        e->stamp = xrealloc(e->stamp, T_all * 2 * sizeof *e->stamp);
        e->rank = xrealloc(e->rank, T_all * 2 * sizeof *e->rank);
        for (size_t k = e->cap_stamp; k < T_all * 2; k++)
            e->stamp[k] = -1;
        e->cap_stamp = T_all * 2;
    }
    e->s_day = xrealloc(e->s_day, n * sizeof *e->s_day);
    e->s_score = xrealloc(e->s_score, n * sizeof *e->s_score);
    if (e->any_weight)
        e->s_weight = xrealloc(e->s_weight, n * sizeof *e->s_weight);
    if (e->any_status)
        e->s_status = xrealloc(e->s_status, n * sizeof *e->s_status);
    const int dedup = e->dedup_rows && e->duplicates != DUP_KEEP;
    size_t w = 0;     /* rows kept so far: rows[0..w) is the output */
    size_t g = 0;     /* groups so far */
    size_t nruns = 0; /* students so far */
    for (size_t i = 0; i < n;) {
        /* 1. the student's rows rows[i..j); already grouped when every
         * target forms one contiguous run with non-decreasing days (the
         * group order itself does not matter) */
        size_t j = i + 1;
        int sorted = 1;
        int64_t stamp = ++e->stamp_gen;
        e->stamp[rows[i].target] = stamp;
        while (j < n && rows[j].student == rows[i].student) {
            if (rows[j].target != rows[j - 1].target) {
                if (e->stamp[rows[j].target] == stamp)
                    sorted = 0;
                e->stamp[rows[j].target] = stamp;
            } else if (rows[j].day < rows[j - 1].day) {
                sorted = 0;
            }
            j++;
        }
        if (!sorted) {
            /* Sort by (first appearance of the target in this student's
             * rows, day): the order depends only on the student's own rows,
             * not on targets seen earlier in the file. */
            GROW(tmp, tmpcap, j - i);
            GROW(e->inv, e->cap_inv, j - i);
            int64_t st2 = ++e->stamp_gen;
            int32_t nr = 0;
            for (size_t q = i; q < j; q++) {
                int32_t t = rows[q].target;
                if (e->stamp[t] != st2) {
                    e->stamp[t] = st2;
                    e->rank[t] = nr;
                    e->inv[nr++] = t;
                }
                rows[q].target = e->rank[t];
            }
            ev_sort(rows + i, j - i, tmp);
            for (size_t q = i; q < j; q++)
                rows[q].target = e->inv[rows[q].target];
        }
        /* 2. keep the rows that are not exact duplicates (rows of one
         * target on one day are now adjacent, in input order), and put them
         * in groups (one per student x target) */
        grow_groups(e, g + (j - i) + 1);
        size_t key = w; /* first kept row with the key of rows[q] */
        for (size_t q = i; q < j; q++) {
            /* rows[q - 1] is intact here: writes go to w <= q - 1 only as
             * copies of the row at q - 1 itself */
            if (q == i || rows[q].target != rows[q - 1].target) {
                e->g_off[g] = (int64_t)w;
                e->g_run[g] = (int32_t)nruns;
                e->g_target[g] = rows[q].target;
                g++;
                key = w;
            } else if (rows[q].day != rows[q - 1].day) {
                key = w;
            } else if (dedup && drop_duplicate(e, rows, key, w, q)) {
                continue;
            }
            if (w != q)
                rows[w] = rows[q];
            e->s_day[w] = rows[w].day;
            e->s_score[w] = rows[w].score;
            if (e->any_weight)
                e->s_weight[w] = rows[w].weight;
            if (e->any_status)
                e->s_status[w] = (uint8_t)rows[w].status;
            w++;
        }
        nruns++;
        i = j;
    }
    free(tmp);
    e->g_off[g] = (int64_t)w;
    *n_io = w;
    *nruns_out = nruns;
    *ng_out = g;
}

/* Accept one row: append it; compute finished students when the buffer is
 * large (sorted input).  Returns an exit code (EXIT_OK to go on). */
int engine_accept(engine *e, const char *sid, size_t slen, const ev_t *ev)
{
    int32_t s;
    if (e->cur_student >= 0) {
        const char *cur = e->students.names[e->cur_student];
        if (slen == e->cur_len && memcmp(cur, sid, slen) == 0)
            s = e->cur_student;
        else
            goto lookup;
    } else {
    lookup:;
        int added;
        s = strtab_intern(&e->students, sid, slen, &added);
        if (!added && !e->unsorted) {
            if (e->progress_shown)
                fputc('\n', stderr);
            diag_at(e->in_label, engine_abs_line(e, ev->line),
                    "student '%s' appears again after other students: the input is not "
                    "grouped by student; sort it (e.g. `sort -t, -k1,1 -s`) or use "
                    "--unsorted (loads the whole file into memory)",
                    e->students.names[s]);
            e->n_rejected++; /* read, not used: the tally still balances */
            e->n_shown++;
            return EXIT_DATA;
        }
        if (!e->unsorted && e->nrows >= CHUNK_ROWS) {
            int rc = engine_process(e, e->rows, e->nrows);
            if (rc != EXIT_OK)
                return rc;
            e->nrows = 0;
        }
        e->cur_student = s;
        e->cur_len = slen;
    }
    if (e->only_student && strcmp(e->students.names[s], e->only_student) != 0) {
        e->n_used++;
        return EXIT_OK;
    }
    GROW(e->rows, e->caprows, e->nrows + 1);
    ev_t *r = &e->rows[e->nrows++];
    *r = *ev;
    r->student = s;
    e->n_used++;
    return EXIT_OK;
}

int engine_finish(engine *e)
{
    int rc = EXIT_OK;
    if (e->unsorted && e->nrows) {
        /* counting sort by student (stable): first-appearance order */
        size_t ns = e->students.n;
        size_t *cnt = xcalloc(ns + 1, sizeof *cnt);
        for (size_t i = 0; i < e->nrows; i++)
            cnt[e->rows[i].student + 1]++;
        for (size_t s = 0; s < ns; s++)
            cnt[s + 1] += cnt[s];
        ev_t *sorted = xmalloc(e->nrows * sizeof *sorted);
        for (size_t i = 0; i < e->nrows; i++)
            sorted[cnt[e->rows[i].student]++] = e->rows[i];
        free(cnt);
        free(e->rows);
        e->rows = sorted;
        e->caprows = e->nrows;
        size_t i = 0;
        while (i < e->nrows && rc == EXIT_OK) {
            size_t j = i + CHUNK_ROWS < e->nrows ? i + CHUNK_ROWS : e->nrows;
            while (j < e->nrows && e->rows[j].student == e->rows[j - 1].student)
                j++;
            rc = engine_process(e, e->rows + i, j - i);
            i = j;
        }
    } else {
        rc = engine_process(e, e->rows, e->nrows);
    }
    e->nrows = 0;
    return rc;
}

