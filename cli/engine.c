/* engine.c -- evidence ingestion (long CSV, OneRoster) and per-student
 * computation: group by target, sort by day (stable), mlg_batch_compute(),
 * mlg_rollup_run(), then hand each student to a callback. */
#include "engine.h"

#include "csv.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Rows buffered before the students seen so far are computed (sorted
 * input): bounds memory at about CHUNK_ROWS * sizeof(ev_t) plus one student. */
#define CHUNK_ROWS ((size_t)1 << 18)
#define SHOW_REJECTS 20

double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

void engine_init(engine *e)
{
    memset(e, 0, sizeof *e);
    (void)mlg_scale_builtin(MLG_SCALE_CCS4, &e->scale);
    (void)mlg_method_params_init(&e->params, MLG_METHOD_DECAYING_AVERAGE);
    e->threads = 0;
    e->max_record = CSV_DEFAULT_MAX_RECORD;
    e->oneroster_exempt = 1;
    e->cur_student = -1;
    e->day_max = INT32_MAX;
    e->range_end = -1;
    strtab_init(&e->students);
    strtab_init(&e->tids);
}

void engine_free(engine *e)
{
    catalogue_free(&e->cat);
    mlg_catalogue_free(e->mcat);
    free(e->t2node);
    strtab_free(&e->tids);
    strtab_free(&e->students);
    free(e->rows);
    free(e->g_off);
    free(e->g_run);
    free(e->g_target);
    free(e->g_count);
    free(e->g_level);
    free(e->g_value);
    free(e->s_day);
    free(e->s_score);
    free(e->s_weight);
    free(e->s_status);
    free(e->tv);
    free(e->tl);
    free(e->tn);
    free(e->nv);
    free(e->nl);
    free(e->nf);
    free(e->stamp);
    free(e->rank);
    free(e->inv);
    free(e->last_buf);
    free(e->label_owned);
}

const char *engine_target_id(const engine *e, int32_t t)
{
    if (e->have_cat)
        return e->cat.node[e->t2node[t]].id;
    return e->tids.names[t];
}

const char *engine_student_id(const engine *e, int32_t s) { return e->students.names[s]; }

int engine_load_catalogue(engine *e, const char *path)
{
    int rc = catalogue_load(path, &e->cat);
    if (rc != EXIT_OK)
        return rc;
    e->have_cat = 1;
    return EXIT_OK;
}

/* Build the library catalogue from the file's nodes: node i of the file is
 * node i of mlg_catalogue (added in file order). */
int engine_prepare(engine *e)
{
    if (!e->have_cat)
        return EXIT_OK;
    const char *path = "catalogue";
    mlg_errinfo err;
    int rc = mlg_catalogue_create(&e->mcat);
    if (rc != MLG_OK)
        return EXIT_NOMEM;
    for (size_t i = 0; i < e->cat.n; i++) {
        const cat_node *nd = &e->cat.node[i];
        mlg_rollup_rule rule;
        (void)mlg_rollup_rule_init(&rule, MLG_RULE_MEAN);
        if (nd->rule[0] && nd->kind != KIND_TARGET) {
            memset(&err, 0, sizeof err);
            rc = mlg_rollup_rule_parse(nd->rule, &rule, &err);
            if (rc != MLG_OK) {
                diag("%s: node '%s': rule '%s': %s", path, nd->id, nd->rule,
                     err.message[0] ? err.message : mlg_strerror(rc));
                return EXIT_DATA;
            }
        }
        if (nd->kind == KIND_TARGET) {
            /* targets are levelled exactly as the method levels them */
            rule.rounding = e->params.rounding;
            rule.decimals = e->params.decimals;
        }
        int32_t kind = nd->kind == KIND_TARGET   ? MLG_NODE_TARGET
                       : nd->kind == KIND_DOMAIN ? MLG_NODE_DOMAIN
                                                 : MLG_NODE_COMPOSITE;
        int32_t na = nd->na_allowed < 0 ? 1 : nd->na_allowed;
        memset(&err, 0, sizeof err);
        rc = mlg_catalogue_add(e->mcat, nd->id, nd->label[0] ? nd->label : NULL, kind,
                               &e->scale, &rule, na, &err);
        if (rc != MLG_OK) {
            diag("%s: node '%s': %s", path, nd->id,
                 err.message[0] ? err.message : mlg_strerror(rc));
            return rc == MLG_ENOMEM ? EXIT_NOMEM : EXIT_DATA;
        }
    }
    for (size_t i = 0; i < e->cat.n; i++) {
        const cat_node *nd = &e->cat.node[i];
        if (nd->parent_idx < 0)
            continue;
        memset(&err, 0, sizeof err);
        /* the file's weight as given: the library refuses 0, negatives and
         * non-finite weights with a clear error (never a silent 1) */
        rc = mlg_catalogue_link(e->mcat, e->cat.node[nd->parent_idx].id, nd->id,
                                nd->weight, &err);
        if (rc != MLG_OK) {
            diag("%s: link '%s' -> '%s': %s", path, nd->id, nd->parent,
                 err.message[0] ? err.message : mlg_strerror(rc));
            return EXIT_DATA;
        }
    }
    memset(&err, 0, sizeof err);
    rc = mlg_catalogue_finalize(e->mcat, &err);
    if (rc != MLG_OK) {
        diag("%s: %s", path, err.message[0] ? err.message : mlg_strerror(rc));
        return EXIT_DATA;
    }
    e->T = mlg_catalogue_target_count(e->mcat);
    e->N = mlg_catalogue_node_count(e->mcat);
    if (e->N != e->cat.n) {
        diag("%s: internal: %zu nodes in the library, %zu in the file", path, e->N, e->cat.n);
        return EXIT_INTERNAL;
    }
    e->t2node = xmalloc(e->T * sizeof *e->t2node);
    for (size_t t = 0; t < e->T; t++) {
        size_t node;
        if (mlg_catalogue_target_node(e->mcat, t, &node) != MLG_OK)
            return EXIT_INTERNAL;
        e->t2node[t] = (int32_t)node;
    }
    return EXIT_OK;
}

/* ----------------------------------------------------------- rejects -- */
int64_t engine_abs_line(engine *e, int64_t line)
{
    if (e->range_begin <= 0 || line <= 0)
        return line;
    if (!e->line_base_known) {
        /* only needed for a diagnostic: count the newlines before the range */
        FILE *f = fopen(e->in_label, "rb");
        int64_t left = e->range_begin, n = 0;
        char buf[1 << 16];
        while (f && left > 0) {
            size_t want = left < (int64_t)sizeof buf ? (size_t)left : sizeof buf;
            size_t got = fread(buf, 1, want, f);
            if (got == 0)
                break;
            for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + got - p))) != NULL; p++)
                n++;
            left -= (int64_t)got;
        }
        if (f)
            fclose(f);
        e->line_base = n;
        e->line_base_known = 1;
    }
    return line + e->line_base;
}

void engine_reject(engine *e, int64_t line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    line = engine_abs_line(e, line);
    e->n_rejected++;
    if (e->strict) {
        if (e->progress_shown)
            fputc('\n', stderr);
        diag_at(e->in_label, line, "%s", msg);
        diag("--strict: stopping at the first rejected row");
        exit(EXIT_DATA);
    }
    if (e->n_shown < SHOW_REJECTS) {
        if (e->progress_shown) {
            fputc('\n', stderr);
            e->progress_shown = 0;
        }
        diag_at(e->in_label, line, "%s (row rejected)", msg);
        e->n_shown++;
    }
    if (e->rejects) {
        out_t o;
        out_init(&o, e->rejects);
        out_csv(&o, e->in_label, 1);
        out_ch(&o, ',');
        out_i64(&o, line);
        out_ch(&o, ',');
        out_csv(&o, msg, 1);
        out_ch(&o, '\n');
        out_flush(&o);
        out_free(&o);
    }
}

static void progress(engine *e)
{
    double t = now_seconds();
    if (t - e->t_last < 0.5)
        return;
    e->t_last = t;
    fprintf(stderr, "\rmlg: %s: %lld rows, %.2f M rows/s   ", e->in_label, (long long)e->n_read,
            e->n_read / (t - e->t0) / 1e6);
    e->progress_shown = 1;
}

/* ------------------------------------------------------ computation -- */
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

/* Compute the students whose rows are rows[0..n) (grouped by student). */
static int process(engine *e, ev_t *rows, size_t n)
{
    if (n == 0)
        return EXIT_OK;
    /* 1. runs of students; sort each run by (target, day) */
    size_t nruns = 0;
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
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        int sorted = 1;
        /* Already grouped when every target forms one contiguous run with
         * non-decreasing days (the group order itself does not matter). */
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
        nruns++;
        i = j;
    }
    free(tmp);
    /* 2. groups (one per student x target) in CSR form */
    size_t cap_rows_needed = n;
    size_t ng = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || rows[i].student != rows[i - 1].student ||
            rows[i].target != rows[i - 1].target)
            ng++;
    if (ng + 1 > e->cap_groups) {
        e->cap_groups = (ng + 1) * 2;
        e->g_off = xrealloc(e->g_off, e->cap_groups * sizeof *e->g_off);
        e->g_run = xrealloc(e->g_run, e->cap_groups * sizeof *e->g_run);
        e->g_target = xrealloc(e->g_target, e->cap_groups * sizeof *e->g_target);
        e->g_count = xrealloc(e->g_count, e->cap_groups * sizeof *e->g_count);
        e->g_level = xrealloc(e->g_level, e->cap_groups * sizeof *e->g_level);
        e->g_value = xrealloc(e->g_value, e->cap_groups * sizeof *e->g_value);
    }
    e->s_day = xrealloc(e->s_day, cap_rows_needed * sizeof *e->s_day);
    e->s_score = xrealloc(e->s_score, cap_rows_needed * sizeof *e->s_score);
    if (e->any_weight)
        e->s_weight = xrealloc(e->s_weight, cap_rows_needed * sizeof *e->s_weight);
    if (e->any_status)
        e->s_status = xrealloc(e->s_status, cap_rows_needed * sizeof *e->s_status);
    size_t g = 0, run = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && rows[i].student != rows[i - 1].student)
            run++;
        if (i == 0 || rows[i].student != rows[i - 1].student ||
            rows[i].target != rows[i - 1].target) {
            e->g_off[g] = (int64_t)i;
            e->g_run[g] = (int32_t)run;
            e->g_target[g] = rows[i].target;
            g++;
        }
        e->s_day[i] = rows[i].day;
        e->s_score[i] = rows[i].score;
        if (e->any_weight)
            e->s_weight[i] = rows[i].weight;
        if (e->any_status)
            e->s_status[i] = (uint8_t)rows[i].status;
    }
    e->g_off[ng] = (int64_t)n;
    /* 3. the batch */
    mlg_errinfo err;
    int rc = mlg_batch_compute(ng, e->g_off, e->s_day, e->s_score,
                               e->any_weight ? e->s_weight : NULL,
                               e->any_status ? e->s_status : NULL, &e->scale, &e->params,
                               e->threads, e->g_value, e->g_level, e->g_count, &err);
    if (rc == MLG_ENOMEM)
        return EXIT_NOMEM;
    if (rc == MLG_EINVAL || rc == MLG_ENULL || rc == MLG_ENOTFOUND) {
        diag("internal: mlg_batch_compute: %s", err.message);
        return EXIT_INTERNAL;
    }
    if (rc != MLG_OK) {
        /* A data error (e.g. power law of a score <= 0): recompute each group
         * alone so only the failing series are rejected, never a neighbour. */
        for (size_t k = 0; k < ng; k++) {
            mlg_result r;
            mlg_errinfo e1;
            size_t o = (size_t)e->g_off[k], m = (size_t)(e->g_off[k + 1] - e->g_off[k]);
            int rc1 = mlg_series_compute(m, e->s_day + o, e->s_score + o,
                                         e->any_weight ? e->s_weight + o : NULL,
                                         e->any_status ? e->s_status + o : NULL, &e->scale,
                                         &e->params, &r, &e1);
            if (rc1 == MLG_OK) {
                e->g_value[k] = r.value;
                e->g_level[k] = r.level;
                e->g_count[k] = r.n_used;
                continue;
            }
            for (size_t i = o; i < o + m; i++) {
                e->n_used--; /* re-counted as rejected */
                engine_reject(e, rows[i].line, "student '%s', target '%s': %s: %s",
                              engine_student_id(e, rows[i].student),
                              engine_target_id(e, rows[i].target), mlg_errname(rc1),
                              e1.message);
            }
            e->g_value[k] = NAN;
            e->g_level[k] = MLG_LEVEL_NA;
            e->g_count[k] = 0;
        }
    }
    /* 4. per student: target arrays (+ roll-up) and the callback */
    size_t T = e->have_cat ? e->T : e->tids.n;
    size_t gi = 0;
    size_t ri = 0;
    double *tv = NULL;
    int32_t *tl = NULL, *tn = NULL;
    if (e->have_cat) {
        /* one roll-up call for all students of the chunk */
        if (nruns > e->cap_runs) {
            e->cap_runs = nruns;
            e->tv = xrealloc(e->tv, nruns * T * sizeof *e->tv);
            e->tl = xrealloc(e->tl, nruns * T * sizeof *e->tl);
            e->tn = xrealloc(e->tn, nruns * T * sizeof *e->tn);
            e->nv = xrealloc(e->nv, nruns * e->N * sizeof *e->nv);
            e->nl = xrealloc(e->nl, nruns * e->N * sizeof *e->nl);
            e->nf = xrealloc(e->nf, nruns * e->N * sizeof *e->nf);
        }
        for (size_t k = 0; k < nruns * T; k++) {
            e->tv[k] = NAN;
            e->tl[k] = MLG_LEVEL_NA;
            e->tn[k] = 0;
        }
        for (size_t k = 0; k < ng; k++) {
            size_t at = (size_t)e->g_run[k] * T + (size_t)e->g_target[k];
            e->tv[at] = e->g_value[k];
            e->tl[at] = e->g_level[k];
            e->tn[at] = e->g_count[k];
        }
        rc = mlg_rollup_run(e->mcat, nruns, e->tv, e->threads, e->nv, e->nl, e->nf, &err);
        if (rc != MLG_OK) {
            diag("mlg_rollup_run: %s: %s", mlg_errname(rc), err.message);
            return rc == MLG_ENOMEM ? EXIT_NOMEM : EXIT_INTERNAL;
        }
    } else {
        tv = xmalloc((T ? T : 1) * sizeof *tv);
        tl = xmalloc((T ? T : 1) * sizeof *tl);
        tn = xmalloc((T ? T : 1) * sizeof *tn);
        for (size_t k = 0; k < T; k++) {
            tv[k] = NAN;
            tl[k] = MLG_LEVEL_NA;
            tn[k] = 0;
        }
    }
    for (size_t r = 0; r < nruns; r++) {
        size_t start = ri;
        while (ri < n && rows[ri].student == rows[start].student)
            ri++;
        size_t gstart = gi;
        while (gi < ng && e->g_run[gi] == (int32_t)r)
            gi++;
        if (e->have_cat) {
            e->on_student(e, rows[start].student, rows + start, ri - start, e->tv + r * T,
                          e->tl + r * T, e->tn + r * T, e->nv + r * e->N, e->nl + r * e->N,
                          e->nf + r * e->N);
        } else {
            for (size_t k = gstart; k < gi; k++) {
                tv[e->g_target[k]] = e->g_value[k];
                tl[e->g_target[k]] = e->g_level[k];
                tn[e->g_target[k]] = e->g_count[k];
            }
            e->on_student(e, rows[start].student, rows + start, ri - start, tv, tl, tn, NULL,
                          NULL, NULL);
            for (size_t k = gstart; k < gi; k++) {
                tv[e->g_target[k]] = NAN;
                tl[e->g_target[k]] = MLG_LEVEL_NA;
                tn[e->g_target[k]] = 0;
            }
        }
        e->n_students_done++;
    }
    free(tv);
    free(tl);
    free(tn);
    return EXIT_OK;
}

/* Accept one row: append it; compute finished students when the buffer is
 * large (sorted input).  Returns an exit code (EXIT_OK to go on). */
static int accept_row(engine *e, const char *sid, size_t slen, const ev_t *ev)
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
            return EXIT_DATA;
        }
        if (!e->unsorted && e->nrows >= CHUNK_ROWS) {
            int rc = process(e, e->rows, e->nrows);
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

/* Evidence id -> target index; -1 unknown (reason in why), -2 not a leaf. */
static int32_t find_target(engine *e, const char *id, size_t len, int *not_target)
{
    *not_target = 0;
    int32_t t = strtab_get(&e->tids, id, len);
    if (t >= 0)
        return t;
    if (!e->have_cat) {
        int added;
        return strtab_intern(&e->tids, id, len, &added);
    }
    size_t tt;
    char *tmp = xmalloc(len + 1);
    memcpy(tmp, id, len);
    tmp[len] = '\0';
    int rc = mlg_catalogue_find_target(e->mcat, tmp, &tt);
    if (rc == MLG_OK) {
        strtab_put(&e->tids, id, len, (int32_t)tt);
        free(tmp);
        return (int32_t)tt;
    }
    if (rc == MLG_EINVAL)
        *not_target = 1;
    else if (rc == MLG_EDUPLICATE)
        *not_target = 2;
    free(tmp);
    return -1;
}

static int parse_status(const char *s, int32_t *st)
{
    if (!s[0] || !strcmp(s, "counted") || !strcmp(s, "fully graded") || !strcmp(s, "graded"))
        *st = MLG_EVIDENCE_COUNTED;
    else if (!strcmp(s, "excused") || !strcmp(s, "exempt") || !strcmp(s, "E"))
        *st = MLG_EVIDENCE_EXCUSED;
    else if (!strcmp(s, "missing") || !strcmp(s, "not submitted") || !strcmp(s, "M"))
        *st = MLG_EVIDENCE_MISSING;
    else
        return -1;
    return 0;
}

/* A stable copy of the evidence id just resolved (for the one-entry cache
 * of take()): the interned key in tids. */
static const char *engine_target_id_raw(engine *e, const char *tid, size_t tlen, int32_t t)
{
    (void)t;
    size_t need = tlen + 1;
    if (need > e->last_cap) {
        e->last_buf = xrealloc(e->last_buf, need);
        e->last_cap = need;
    }
    memcpy(e->last_buf, tid, tlen);
    e->last_buf[tlen] = '\0';
    return e->last_buf;
}

/* Validate and accept one evidence row given as text fields. */
static int take(engine *e, int64_t line, const char *sid, size_t slen, const char *tid,
                size_t tlen, const char *date, size_t dlen, const char *score, size_t sclen,
                const char *weight, size_t wlen, const char *status)
{
    ev_t ev;
    ev.line = line;
    ev.weight = 1.0;
    ev.status = MLG_EVIDENCE_COUNTED;
    if (slen == 0) {
        engine_reject(e, line, "empty student_id");
        return EXIT_OK;
    }
    if (tlen == 0) {
        engine_reject(e, line, "empty target_id");
        return EXIT_OK;
    }
    int nt = 0;
    if (e->last_tid && tlen == e->last_tlen && memcmp(tid, e->last_tid, tlen) == 0) {
        ev.target = e->last_target;
    } else {
        ev.target = find_target(e, tid, tlen, &nt);
        if (ev.target >= 0) {
            e->last_tid = engine_target_id_raw(e, tid, tlen, ev.target);
            e->last_tlen = tlen;
            e->last_target = ev.target;
        }
    }
    if (ev.target < 0) {
        engine_reject(e, line, "%s target '%.*s'",
                      nt == 1   ? "not a learning target (a domain or composite):"
                      : nt == 2 ? "ambiguous short id for"
                                : "unknown",
                      (int)tlen, tid);
        return EXIT_OK;
    }
    if (parse_date(date, dlen, &ev.day) != 0) {
        engine_reject(e, line, "bad date '%.*s' (want a real calendar date YYYY-MM-DD)",
                      (int)(dlen > 40 ? 40 : dlen), date);
        return EXIT_OK;
    }
    if (status && parse_status(status, &ev.status) != 0) {
        engine_reject(e, line, "unknown status '%.40s' (counted, excused, missing)", status);
        return EXIT_OK;
    }
    if (sclen == 0 && ev.status != MLG_EVIDENCE_COUNTED) {
        ev.score = NAN;
    } else {
        int rc = parse_double(score, sclen, &ev.score);
        if (rc != 0) {
            engine_reject(e, line, rc == -2 ? "score '%.*s' is NaN or infinite"
                                            : "score '%.*s' is not a number",
                          (int)(sclen > 40 ? 40 : sclen), score);
            return EXIT_OK;
        }
        if (ev.status == MLG_EVIDENCE_COUNTED &&
            (ev.score < e->scale.score_min || ev.score > e->scale.score_max)) {
            engine_reject(e, line, "score %.*s outside the scale %s [%g, %g]", (int)sclen, score,
                          e->scale.id, e->scale.score_min, e->scale.score_max);
            return EXIT_OK;
        }
    }
    if (weight && wlen) {
        int rc = parse_double(weight, wlen, &ev.weight);
        if (rc != 0 || ev.weight < 0) {
            engine_reject(e, line, "weight '%.*s' is not a finite number >= 0",
                          (int)(wlen > 40 ? 40 : wlen), weight);
            return EXIT_OK;
        }
        if (ev.weight != 1.0)
            e->any_weight = 1;
    }
    if (ev.status != MLG_EVIDENCE_COUNTED)
        e->any_status = 1;
    if (ev.day > e->day_max) {
        e->n_skipped++;
        return EXIT_OK;
    }
    return accept_row(e, sid, slen, &ev);
}

static int finish(engine *e)
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
            rc = process(e, e->rows + i, j - i);
            i = j;
        }
    } else {
        rc = process(e, e->rows, e->nrows);
    }
    e->nrows = 0;
    return rc;
}

/* ------------------------------------------------------- long CSV -- */
static int read_long_csv(engine *e, FILE *f)
{
    csv_reader r;
    if (csv_open(&r, f, e->max_record) != 0)
        return EXIT_NOMEM;
    if (e->range_begin == 0 && e->range_end >= 0)
        r.limit = e->range_end;
    int rc = csv_next(&r);
    if (rc == CSV_EOF) {
        diag_at(e->in_label, 0, "empty input: no header line (want "
                                "student_id,target_id,assessed_at,score[,weight,status])");
        csv_close(&r);
        return EXIT_DATA;
    }
    if (rc != CSV_OK) {
        diag_at(e->in_label, r.rec_line, "%s", rc == CSV_BAD ? r.reason : "read error");
        csv_close(&r);
        return rc == CSV_IOERR ? EXIT_IO : EXIT_DATA;
    }
    enum { C_STUDENT, C_TARGET, C_DATE, C_SCORE, C_WEIGHT, C_STATUS, C_N };
    static const char *names[C_N] = {"student_id", "target_id", "assessed_at",
                                     "score",      "weight",    "status"};
    int col[C_N];
    for (int c = 0; c < C_N; c++)
        col[c] = -1;
    for (size_t k = 0; k < r.nfields; k++)
        for (int c = 0; c < C_N; c++)
            if (strcmp(r.field[k], names[c]) == 0)
                col[c] = (int)k;
    if (col[C_DATE] < 0)
        for (size_t k = 0; k < r.nfields; k++)
            if (!strcmp(r.field[k], "date") || !strcmp(r.field[k], "day"))
                col[C_DATE] = (int)k;
    for (int c = 0; c < 4; c++) {
        if (col[c] < 0) {
            diag_at(e->in_label, r.rec_line,
                    "header has no column '%s' (want student_id,target_id,assessed_at,score"
                    "[,weight,status])",
                    names[c]);
            csv_close(&r);
            return EXIT_DATA;
        }
    }
    size_t ncols = r.nfields;
    int ret = EXIT_OK;
    int show = e->progress;
    if (e->range_begin > 0) {
        if (fseeko(f, (off_t)e->range_begin, SEEK_SET) != 0) {
            diag_at(e->in_label, 0, "cannot seek: %s", strerror(errno));
            csv_close(&r);
            return EXIT_IO;
        }
        csv_restart(&r, e->range_end >= 0 ? e->range_end - e->range_begin : -1);
    }
    while ((rc = csv_next(&r)) != CSV_EOF) {
        e->n_read++;
        if (show && (e->n_read & 0xFFFF) == 0)
            progress(e);
        if (rc == CSV_IOERR) {
            diag_at(e->in_label, r.line, "read error: %s", strerror(errno));
            ret = EXIT_IO;
            break;
        }
        if (rc == CSV_BAD) {
            engine_reject(e, r.rec_line, "%s", r.reason);
            continue;
        }
        if (r.nfields != ncols) {
            engine_reject(e, r.rec_line, "expected %zu fields, got %zu", ncols, r.nfields);
            continue;
        }
        ret = take(e, r.rec_line, r.field[col[C_STUDENT]], r.flen[col[C_STUDENT]],
                   r.field[col[C_TARGET]], r.flen[col[C_TARGET]], r.field[col[C_DATE]],
                   r.flen[col[C_DATE]], r.field[col[C_SCORE]], r.flen[col[C_SCORE]],
                   col[C_WEIGHT] >= 0 ? r.field[col[C_WEIGHT]] : NULL,
                   col[C_WEIGHT] >= 0 ? r.flen[col[C_WEIGHT]] : 0,
                   col[C_STATUS] >= 0 ? r.field[col[C_STATUS]] : NULL);
        if (ret != EXIT_OK)
            break;
    }
    csv_close(&r);
    if (ret == EXIT_OK)
        ret = finish(e);
    return ret;
}

/* ------------------------------------------------------ OneRoster -- */
/* A small id -> list-of-strings multimap. */
typedef struct multimap {
    strtab   keys;
    int32_t *head;  /* per key: first entry or -1 */
    size_t   hcap;
    int32_t *next;
    char   **val;
    size_t   n, cap;
} multimap;

static void mm_init(multimap *m)
{
    memset(m, 0, sizeof *m);
    strtab_init(&m->keys);
}

static void mm_free(multimap *m)
{
    strtab_free(&m->keys);
    for (size_t i = 0; i < m->n; i++)
        free(m->val[i]);
    free(m->val);
    free(m->next);
    free(m->head);
}

static void mm_add(multimap *m, const char *k, const char *v)
{
    int added;
    int32_t ki = strtab_intern(&m->keys, k, strlen(k), &added);
    if ((size_t)ki >= m->hcap) {
        size_t old = m->hcap;
        m->hcap = m->hcap ? m->hcap * 2 : 256;
        while ((size_t)ki >= m->hcap)
            m->hcap *= 2;
        m->head = xrealloc(m->head, m->hcap * sizeof *m->head);
        for (size_t i = old; i < m->hcap; i++)
            m->head[i] = -1;
    }
    GROW(m->val, m->cap, m->n + 1);
    m->next = xrealloc(m->next, m->cap * sizeof *m->next);
    m->val[m->n] = xstrdup(v);
    /* append at the tail to keep file order */
    m->next[m->n] = -1;
    if (m->head[ki] < 0) {
        m->head[ki] = (int32_t)m->n;
    } else {
        int32_t p = m->head[ki];
        while (m->next[p] >= 0)
            p = m->next[p];
        m->next[p] = (int32_t)m->n;
    }
    m->n++;
}

static int32_t mm_first(const multimap *m, const char *k)
{
    int32_t ki = strtab_get(&m->keys, k, strlen(k));
    return ki < 0 ? -1 : m->head[ki];
}

static int col_of(const csv_reader *r, const char *name)
{
    for (size_t k = 0; k < r->nfields; k++)
        if (strcmp(r->field[k], name) == 0)
            return (int)k;
    return -1;
}

/* Load a two-column mapping file (key column, value column) into m.
 * Missing file: 0.  Returns an exit code. */
static int load_map(engine *e, const char *dir, const char *file, const char *kcol,
                    const char *vcol, multimap *m, int *present)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    *present = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return EXIT_OK;
    *present = 1;
    csv_reader r;
    if (csv_open(&r, f, e->max_record) != 0) {
        fclose(f);
        return EXIT_NOMEM;
    }
    int rc = csv_next(&r);
    int kc = rc == CSV_OK ? col_of(&r, kcol) : -1, vc = rc == CSV_OK ? col_of(&r, vcol) : -1;
    int sc = rc == CSV_OK ? col_of(&r, "status") : -1;
    int ret = EXIT_OK;
    if (kc >= 0 && vc < 0 && !strcmp(vcol, "dueDate")) {
        vc = col_of(&r, "assignDate"); /* dates are optional: scoreDate wins */
        if (vc < 0) {
            csv_close(&r);
            fclose(f);
            *present = 0;
            return EXIT_OK;
        }
    }
    if (kc < 0 || vc < 0) {
        diag_at(path, 1, "header must name the columns %s and %s", kcol, vcol);
        ret = EXIT_DATA;
    } else {
        size_t ncols = r.nfields;
        while ((rc = csv_next(&r)) != CSV_EOF) {
            if (rc != CSV_OK || r.nfields != ncols) {
                diag_at(path, r.rec_line, "%s",
                        rc == CSV_BAD ? r.reason : rc == CSV_IOERR ? "read error"
                                                                   : "wrong number of fields");
                ret = rc == CSV_IOERR ? EXIT_IO : EXIT_DATA;
                break;
            }
            if (sc >= 0 && !strcmp(r.field[sc], "tobedeleted") && !e->oneroster_keep_deleted)
                continue;
            mm_add(m, r.field[kc], r.field[vc]);
        }
    }
    csv_close(&r);
    fclose(f);
    return ret;
}

static int read_oneroster(engine *e, const char *dir)
{
    multimap li_lo, res_lo, li_date;
    mm_init(&li_lo);
    mm_init(&res_lo);
    mm_init(&li_date);
    int p1, p2, p3;
    int ret = load_map(e, dir, "lineItemLearningObjectiveIds.csv", "lineItemSourcedId",
                       "learningObjectiveId", &li_lo, &p1);
    if (ret == EXIT_OK)
        ret = load_map(e, dir, "resultLearningObjectiveIds.csv", "resultSourcedId",
                       "learningObjectiveId", &res_lo, &p2);
    if (ret == EXIT_OK)
        ret = load_map(e, dir, "lineItems.csv", "sourcedId", "dueDate", &li_date, &p3);
    if (ret == EXIT_OK && !p1 && !p2) {
        diag("%s: neither lineItemLearningObjectiveIds.csv nor resultLearningObjectiveIds.csv: "
             "cannot tell which learning target a result is evidence for", dir);
        ret = EXIT_DATA;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/results.csv", dir);
    FILE *f = ret == EXIT_OK ? fopen(path, "rb") : NULL;
    if (ret == EXIT_OK && !f) {
        diag("%s: cannot open: %s", path, strerror(errno));
        ret = EXIT_IO;
    }
    csv_reader r;
    if (f && csv_open(&r, f, e->max_record) != 0)
        ret = EXIT_NOMEM;
    free(e->label_owned);
    e->label_owned = xstrdup(path);
    e->in_label = e->label_owned;
    e->unsorted = 1; /* results are ordered by line item, not by student */
    if (ret == EXIT_OK) {
        int rc = csv_next(&r);
        int c_id = col_of(&r, "sourcedId"), c_st = col_of(&r, "status"),
            c_li = col_of(&r, "lineItemSourcedId"), c_stu = col_of(&r, "studentSourcedId"),
            c_ss = col_of(&r, "scoreStatus"), c_sc = col_of(&r, "score"),
            c_dt = col_of(&r, "scoreDate");
        if (rc != CSV_OK || c_id < 0 || c_li < 0 || c_stu < 0 || c_sc < 0) {
            diag_at(path, 1, "header must name sourcedId, lineItemSourcedId, studentSourcedId "
                             "and score (OneRoster 1.2 results.csv)");
            ret = EXIT_DATA;
        }
        size_t ncols = r.nfields;
        while (ret == EXIT_OK && (rc = csv_next(&r)) != CSV_EOF) {
            e->n_read++;
            if (rc == CSV_IOERR) {
                ret = EXIT_IO;
                break;
            }
            if (rc == CSV_BAD) {
                engine_reject(e, r.rec_line, "%s", r.reason);
                continue;
            }
            if (r.nfields != ncols) {
                engine_reject(e, r.rec_line, "expected %zu fields, got %zu", ncols, r.nfields);
                continue;
            }
            if (c_st >= 0 && !strcmp(r.field[c_st], "tobedeleted") &&
                !e->oneroster_keep_deleted) {
                e->n_skipped++;
                continue;
            }
            const char *ss = c_ss >= 0 ? r.field[c_ss] : "";
            const char *status = "counted";
            if (!strcmp(ss, "exempt")) {
                if (!e->oneroster_exempt) {
                    e->n_skipped++;
                    continue;
                }
                status = "excused";
            } else if (!strcmp(ss, "not submitted")) {
                status = "missing";
            } else if (ss[0] && strcmp(ss, "fully graded") && strcmp(ss, "submitted") &&
                       strcmp(ss, "partially graded")) {
                engine_reject(e, r.rec_line, "unknown scoreStatus '%.40s'", ss);
                continue;
            }
            const char *date = c_dt >= 0 ? r.field[c_dt] : "";
            if (!date[0]) {
                int32_t d = mm_first(&li_date, r.field[c_li]);
                date = d >= 0 ? li_date.val[d] : "";
            }
            if (!date[0]) {
                engine_reject(e, r.rec_line, "no scoreDate and no lineItem dueDate");
                continue;
            }
            int32_t lo = mm_first(&res_lo, r.field[c_id]);
            multimap *src = &res_lo;
            if (lo < 0) {
                lo = mm_first(&li_lo, r.field[c_li]);
                src = &li_lo;
            }
            if (lo < 0) {
                engine_reject(e, r.rec_line,
                              "result '%s' has no learning objective (neither in "
                              "resultLearningObjectiveIds.csv nor, for line item '%s', in "
                              "lineItemLearningObjectiveIds.csv)",
                              r.field[c_id], r.field[c_li]);
                continue;
            }
            /* one evidence row per learning objective; all or nothing */
            int bad = 0;
            for (int32_t k = lo; k >= 0; k = src->next[k]) {
                int nt;
                if (find_target(e, src->val[k], strlen(src->val[k]), &nt) < 0) {
                    engine_reject(e, r.rec_line, "unknown target '%s'", src->val[k]);
                    bad = 1;
                    break;
                }
            }
            if (bad)
                continue;
            int64_t before_rej = e->n_rejected, before_used = e->n_used;
            for (int32_t k = lo; k >= 0 && e->n_rejected == before_rej; k = src->next[k]) {
                const char *sc = r.field[c_sc];
                ret = take(e, r.rec_line, r.field[c_stu], r.flen[c_stu], src->val[k],
                           strlen(src->val[k]), date, strlen(date), sc, strlen(sc), NULL, 0,
                           status);
                if (ret != EXIT_OK)
                    break;
            }
            /* a result counts once, however many objectives it feeds */
            if (e->n_rejected == before_rej)
                e->n_used = before_used + 1;
            else
                e->n_used = before_used; /* (rows already appended stay: same data) */
        }
        if (f)
            csv_close(&r);
    }
    if (f)
        fclose(f);
    mm_free(&li_lo);
    mm_free(&res_lo);
    mm_free(&li_date);
    if (ret == EXIT_OK)
        ret = finish(e);
    return ret;
}

int engine_read(engine *e, const char *path)
{
    struct stat st;
    e->t0 = e->t_last = now_seconds();
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return read_oneroster(e, path);
    e->in_label = strcmp(path, "-") == 0 ? "<stdin>" : path;
    FILE *f = open_in(path);
    int rc = read_long_csv(e, f);
    if (f != stdin)
        fclose(f);
    return rc;
}

int engine_read_range(engine *e, const char *path, int64_t begin, int64_t end)
{
    e->t0 = e->t_last = now_seconds();
    e->in_label = path;
    e->range_begin = begin;
    e->range_end = end;
    FILE *f = open_in(path);
    int rc = read_long_csv(e, f);
    fclose(f);
    return rc;
}

int engine_summary(engine *e)
{
    if (e->progress_shown)
        fputc('\n', stderr);
    if (e->n_rejected > e->n_shown)
        diag("%lld more rejected rows not shown%s", (long long)(e->n_rejected - e->n_shown),
             e->rejects ? " (all are in the --rejects file)" : " (use --rejects FILE)");
    double t = now_seconds() - e->t0;
    if (e->n_skipped)
        diag("%s: %lld rows read = %lld used + %lld skipped + %lld rejected; %lld students "
             "(%.2fs)",
             e->in_label, (long long)e->n_read, (long long)e->n_used, (long long)e->n_skipped,
             (long long)e->n_rejected, (long long)e->n_students_done, t);
    else
        diag("%s: %lld rows read = %lld used + %lld rejected; %lld students (%.2fs)",
             e->in_label, (long long)e->n_read, (long long)e->n_used, (long long)e->n_rejected,
             (long long)e->n_students_done, t);
    return e->n_rejected ? EXIT_REJECTS : EXIT_OK;
}
