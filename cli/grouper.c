/* SPDX-License-Identifier: GPL-3.0-or-later */
/* grouper.c -- rows into students and groups: accepting a row (streaming
 * sorted input in chunks at student boundaries, each student grouped as it
 * ends, while its rows are in the cache), grouping unsorted input by
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
 * day (in input order): 1 when it is an exact duplicate of one (the first
 * such row is kept).  Its effects (counts, diagnostic, reject) wait in
 * e->dup_ev until engine_process() (dup_effects()): they come after the
 * rejects of the rest of the chunk, as they always have. */
static int drop_duplicate(engine *e, const ev_t *rows, size_t key, size_t w, size_t q)
{
    size_t d = key;
    while (d < w && !same_row(&rows[d], &rows[q]))
        d++;
    if (d == w)
        return 0;
    GROW(e->dup_ev, e->cap_dup_ev, e->n_dup_ev + 2);
    e->dup_ev[e->n_dup_ev++] = rows[q].line;
    e->dup_ev[e->n_dup_ev++] = rows[d].line;
    return 1;
}

/* The chunk's duplicates, in row order: --duplicates warn counts a copy as
 * skipped (a warning for the first ones), error as rejected. */
static void dup_effects(engine *e)
{
    for (size_t k = 0; k < e->n_dup_ev; k += 2) {
        const int64_t line = e->dup_ev[k], first = e->dup_ev[k + 1];
        e->n_used--;
        if (e->duplicates == DUP_ERROR) {
            engine_reject_duplicate(e, line, first);
            continue;
        }
        e->n_skipped++;
        e->n_duplicates++;
        if (e->n_duplicates <= SHOW_REJECTS) {
            if (e->progress_shown) {
                fputc('\n', stderr);
                e->progress_shown = 0;
            }
            diag_at(e->in_label, engine_abs_line(e, line),
                    "duplicate of line %lld: skipped (see --duplicates)",
                    (long long)engine_abs_line(e, first));
        }
    }
    e->n_dup_ev = 0;
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

/* Room for need rows in the CSR arrays s_* (doubling); s_weight and
 * s_status exist once a row needs them. */
static void grow_cols(engine *e, size_t need)
{
    if (need > e->cap_cols) {
        size_t c = e->cap_cols ? e->cap_cols : 1024;
        while (c < need)
            c *= 2;
        e->cap_cols = c;
        e->s_day = xrealloc(e->s_day, c * sizeof *e->s_day);
        e->s_score = xrealloc(e->s_score, c * sizeof *e->s_score);
        if (e->s_weight)
            e->s_weight = xrealloc(e->s_weight, c * sizeof *e->s_weight);
        if (e->s_status)
            e->s_status = xrealloc(e->s_status, c * sizeof *e->s_status);
    }
    if (e->any_weight && !e->s_weight)
        e->s_weight = xmalloc(e->cap_cols * sizeof *e->s_weight);
    if (e->any_status && !e->s_status)
        e->s_status = xmalloc(e->cap_cols * sizeof *e->s_status);
}

/* s_weight and s_status for the grouped rows rows[0..upto) once a row needs
 * them: the chunk's earlier rows were grouped before the first weight other
 * than 1 (or the first status or level) was read, so they are filled here
 * from the rows; the batch gets the columns for the whole chunk, as it did
 * when the chunk was grouped at once. */
static void fill_cols(engine *e, const ev_t *rows, size_t upto)
{
    grow_cols(e, upto);
    if (e->any_weight)
        for (; e->s_weight_n < upto; e->s_weight_n++)
            e->s_weight[e->s_weight_n] = rows[e->s_weight_n].weight;
    if (e->any_status)
        for (; e->s_status_n < upto; e->s_status_n++)
            e->s_status[e->s_status_n] = (uint8_t)rows[e->s_status_n].status;
}

/* Group one student's rows rows[i..j) (i >= e->grp_rows): sort them by
 * (target, day) unless they already are, drop exact duplicates, and append
 * the kept rows at rows[e->grp_rows..) and as groups (one per target) to the
 * CSR arrays g_* and s_*.  Called when the student ends, while its rows
 * are in the cache (sorted input), or for each student of a chunk
 * (engine_group()). */
static void group_student(engine *e, ev_t *rows, size_t i, size_t j)
{
    if (i >= j)
        return;
    size_t T_all = e->have_cat ? e->T : e->tids.n;
    if (T_all > e->cap_stamp) {
        e->stamp = xrealloc(e->stamp, T_all * 2 * sizeof *e->stamp);
        e->rank = xrealloc(e->rank, T_all * 2 * sizeof *e->rank);
        for (size_t k = e->cap_stamp; k < T_all * 2; k++)
            e->stamp[k] = -1;
        e->cap_stamp = T_all * 2;
    }
    size_t w = e->grp_rows; /* rows kept so far: rows[0..w) is the output */
    size_t g = e->grp_n;    /* groups so far */
    fill_cols(e, rows, w);
    grow_cols(e, w + (j - i));
    grow_groups(e, g + (j - i) + 1);
    /* Local copies: the stores below could alias the engine's fields, and
     * the loops run once per row. */
    int64_t *stamps = e->stamp;
    /* 1. already grouped when every target forms one contiguous run with
     * non-decreasing days (the group order itself does not matter) */
    int32_t t_prev = rows[i].target, d_prev = rows[i].day;
    int sorted = 1;
    int64_t stamp = ++e->stamp_gen;
    stamps[t_prev] = stamp;
    for (size_t q = i + 1; q < j; q++) {
        /* Without branches (the target changes every few rows, in no
         * pattern): a new target must not have been seen (stamps[t] is
         * stamp only for targets seen, so it decides for a new target and
         * is false for the current one), the current one must not go back
         * in time. */
        const int32_t t = rows[q].target, d = rows[q].day;
        sorted &= (stamps[t] != stamp) | ((t == t_prev) & (d >= d_prev));
        stamps[t] = stamp;
        t_prev = t;
        d_prev = d;
    }
    if (!sorted) {
        /* Sort by (first appearance of the target in this student's rows,
         * day): the order depends only on the student's own rows, not on
         * targets seen earlier in the file. */
        ev_t *tmp = xmalloc((j - i) * sizeof *tmp);
        GROW(e->inv, e->cap_inv, j - i);
        int64_t st2 = ++e->stamp_gen;
        int32_t nr = 0;
        for (size_t q = i; q < j; q++) {
            int32_t t = rows[q].target;
            if (stamps[t] != st2) {
                stamps[t] = st2;
                e->rank[t] = nr;
                e->inv[nr++] = t;
            }
            rows[q].target = e->rank[t];
        }
        ev_sort(rows + i, j - i, tmp);
        for (size_t q = i; q < j; q++)
            rows[q].target = e->inv[rows[q].target];
        free(tmp);
    }
    /* 2. keep the rows that are not exact duplicates (rows of one target on
     * one day are now adjacent, in input order), and put them in groups */
    const int dedup = e->dedup_rows && e->duplicates != DUP_KEEP;
    int32_t *s_day = e->s_day;
    double *s_score = e->s_score;
    double *s_weight = e->any_weight ? e->s_weight : NULL;
    uint8_t *s_status = e->any_status ? e->s_status : NULL;
    int64_t *g_off = e->g_off;
    int32_t *g_run = e->g_run, *g_target = e->g_target;
    const int32_t run = (int32_t)e->grp_runs;
    size_t key = w; /* first kept row with the key of rows[q] */
    t_prev = -1;
    for (size_t q = i; q < j; q++) {
        /* rows[q - 1] is intact here: writes go to w <= q - 1 only as
         * copies of the row at q - 1 itself */
        const int32_t t = rows[q].target, d = rows[q].day;
        /* targets are >= 0: a new group for q == i */
        const int new_group = t != t_prev, new_key = new_group | (d != d_prev);
        if (dedup && !new_key && drop_duplicate(e, rows, key, w, q))
            continue;
        /* Without a branch on new_group (no pattern to predict): the slot
         * g is written for every row and kept for the first of a group. */
        g_off[g] = (int64_t)w;
        g_run[g] = run;
        g_target[g] = t;
        g += (size_t)new_group;
        key = new_key ? w : key;
        t_prev = t;
        d_prev = d;
        if (w != q)
            rows[w] = rows[q];
        s_day[w] = d;
        s_score[w] = rows[w].score;
        if (s_weight)
            s_weight[w] = rows[w].weight;
        if (s_status)
            s_status[w] = (uint8_t)rows[w].status;
        w++;
    }
    if (s_weight)
        e->s_weight_n = w;
    if (s_status)
        e->s_status_n = w;
    e->grp_rows = w;
    e->grp_n = g;
    e->grp_runs++;
}

/* Group the rows of whole students rows[0..n) (grouped by student, in
 * any order within a student): group_student() for each. */
void engine_group(engine *e, ev_t *rows, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && rows[j].student == rows[i].student)
            j++;
        group_student(e, rows, i, j);
        i = j;
    }
}

/* The chunk grouped so far, for the batch: *n rows (rows[0..*n), duplicates
 * dropped), *nruns students, *ng groups in e->g_* (g_off[*ng] = *n) and
 * e->s_* (s_weight and s_status whole when the run needs them); the
 * duplicates' effects happen here.  The next chunk starts empty. */
void engine_take_groups(engine *e, const ev_t *rows, size_t *n, size_t *nruns, size_t *ng)
{
    dup_effects(e);
    fill_cols(e, rows, e->grp_rows);
    grow_groups(e, e->grp_n + 1);
    e->g_off[e->grp_n] = (int64_t)e->grp_rows;
    *n = e->grp_rows;
    *nruns = e->grp_runs;
    *ng = e->grp_n;
    e->grp_rows = e->grp_n = e->grp_runs = 0;
    e->s_weight_n = e->s_status_n = 0;
}

/* Accept one row: append it; compute finished students when the buffer is
 * large (sorted input).  Returns an exit code (EXIT_OK to go on). */
int engine_accept(engine *e, const char *sid, size_t slen, const ev_t *ev)
{
    int32_t s;
    if (e->cur_student >= 0) {
        const char *cur = e->students.names[e->cur_student];
        if (slen == e->cur_len && strtab_bytes_eq(cur, sid, slen))
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
        if (!e->unsorted) {
            /* the student that just ended, while its rows are in the cache */
            group_student(e, e->rows, e->grp_rows, e->nrows);
            e->nrows = e->grp_rows;
            if (e->chunk_rows >= CHUNK_ROWS) {
                int rc = engine_process(e, e->rows);
                if (rc != EXIT_OK)
                    return rc;
                e->nrows = 0;
                e->chunk_rows = 0;
            }
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
    e->chunk_rows++;
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
            engine_group(e, e->rows + i, j - i);
            rc = engine_process(e, e->rows + i);
            i = j;
        }
    } else {
        group_student(e, e->rows, e->grp_rows, e->nrows);
        rc = engine_process(e, e->rows);
    }
    e->chunk_rows = 0;
    e->nrows = 0;
    return rc;
}

