/* engine.c -- evidence ingestion (long CSV, OneRoster) and per-student
 * computation: group by target, sort by day (stable), mlg_batch_compute(),
 * mlg_rollup_run(), then hand each student to a callback. */
#include "engine.h"

#include "bundle.h"
#include "csv.h"
#include "options.h"

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
    mlg_catalogue_free(e->mcat);
    free(e->t2node);
    free(e->node_kind);
    free(e->node_scale);
    free(e->scales);
    free(e->node_depth);
    free(e->node_root);
    free(e->anc_off);
    free(e->anc);
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
    for (int c = 0; c < 6; c++)
        free(e->col_name[c]);
}

const char *engine_target_id(const engine *e, int32_t t)
{
    if (e->have_cat)
        return mlg_catalogue_node_id(e->mcat, (size_t)e->t2node[t]);
    return e->tids.names[t];
}

const char *engine_student_id(const engine *e, int32_t s) { return e->students.names[s]; }

const char *engine_kind_name(int32_t kind)
{
    const char *n = mlg_node_kind_name(kind);
    return n ? n : "?";
}

const char *engine_level_label(const engine *e, int32_t node, int32_t level)
{
    if (level == MLG_LEVEL_NA)
        return "N/A";
    const mlg_scale *sc = node >= 0 && e->node_scale ? &e->scales[e->node_scale[node]] : &e->scale;
    return level >= 0 && level < sc->n_levels ? sc->label[level] : "?";
}

int engine_load_catalogue(engine *e, const char *path)
{
    e->cat_path = path;
    e->have_cat = 1;
    return EXIT_OK;
}

/* Per-node facts the output loops need, asked of the library once: kind,
 * scale, depth from the top and root (parents before children, Kahn's
 * order over parent counts), and each target's ancestors (a DAG node is
 * counted once however many paths lead to it). */
static void derive(engine *e)
{
    size_t N = e->N, T = e->T;
    e->node_kind = xmalloc(N * sizeof *e->node_kind);
    e->node_scale = xmalloc(N * sizeof *e->node_scale);
    e->node_depth = xcalloc(N, sizeof *e->node_depth);
    e->node_root = xmalloc(N * sizeof *e->node_root);
    int64_t *npar = xmalloc(N * sizeof *npar);
    int64_t *queue = xmalloc(N * sizeof *queue);
    size_t cap = 16;
    int64_t *buf = xmalloc(cap * sizeof *buf);
    size_t head = 0, tail = 0;
    for (size_t k = 0; k < N; k++) {
        mlg_node_info info;
        mlg_scale sc;
        (void)mlg_catalogue_node_info(e->mcat, k, &info);
        (void)mlg_catalogue_node_scale(e->mcat, k, &sc);
        e->node_kind[k] = info.kind;
        npar[k] = info.n_parents;
        if (info.n_parents == 0) {
            queue[tail++] = (int64_t)k;
            e->node_root[k] = (int32_t)k;
        }
        size_t q = 0;
        while (q < e->n_scales && !scale_same(&e->scales[q], &sc))
            q++;
        if (q == e->n_scales) {
            e->scales = xrealloc(e->scales, (q + 1) * sizeof *e->scales);
            e->scales[q] = sc;
            e->n_scales++;
        }
        e->node_scale[k] = (int32_t)q;
    }
    while (head < tail) {
        int64_t v = queue[head++];
        size_t nc = 0;
        if (mlg_catalogue_node_children(e->mcat, (size_t)v, cap, buf, NULL, &nc) == MLG_ESIZE) {
            cap = nc;
            buf = xrealloc(buf, cap * sizeof *buf);
            (void)mlg_catalogue_node_children(e->mcat, (size_t)v, cap, buf, NULL, &nc);
        }
        for (size_t j = 0; j < nc; j++) {
            int64_t ch = buf[j];
            if (e->node_depth[ch] < e->node_depth[v] + 1)
                e->node_depth[ch] = e->node_depth[v] + 1;
            if (--npar[ch] == 0)
                queue[tail++] = ch;
        }
    }
    /* roots by first parents, in the order just found (parents first) */
    for (size_t q = 0; q < tail; q++) {
        size_t v = (size_t)queue[q], np = 0;
        int64_t p1;
        if (mlg_catalogue_node_parents(e->mcat, v, 1, &p1, &np) == MLG_OK && np == 1)
            e->node_root[v] = e->node_root[p1];
        else if (np > 1) {
            int64_t *pp = xmalloc(np * sizeof *pp);
            (void)mlg_catalogue_node_parents(e->mcat, v, np, pp, &np);
            e->node_root[v] = e->node_root[pp[0]];
            free(pp);
        }
    }
    /* ancestors of each target: a walk up with a visited stamp */
    int64_t *seen = xmalloc(N * sizeof *seen);
    for (size_t k = 0; k < N; k++)
        seen[k] = -1;
    e->anc_off = xmalloc((T + 1) * sizeof *e->anc_off);
    size_t n_anc = 0, cap_anc = T + 16;
    e->anc = xmalloc(cap_anc * sizeof *e->anc);
    int64_t *stack = queue; /* reused: at most N entries */
    for (size_t t = 0; t < T; t++) {
        e->anc_off[t] = (int64_t)n_anc;
        size_t top = 0;
        stack[top++] = e->t2node[t];
        seen[e->t2node[t]] = (int64_t)t;
        while (top > 0) {
            size_t v = (size_t)stack[--top], np = 0;
            if (n_anc == cap_anc) {
                cap_anc *= 2;
                e->anc = xrealloc(e->anc, cap_anc * sizeof *e->anc);
            }
            e->anc[n_anc++] = (int32_t)v;
            if (mlg_catalogue_node_parents(e->mcat, v, cap, buf, &np) == MLG_ESIZE) {
                cap = np;
                buf = xrealloc(buf, cap * sizeof *buf);
                (void)mlg_catalogue_node_parents(e->mcat, v, cap, buf, &np);
            }
            for (size_t j = 0; j < np; j++)
                if (seen[buf[j]] != (int64_t)t) {
                    seen[buf[j]] = (int64_t)t;
                    stack[top++] = buf[j];
                }
        }
    }
    e->anc_off[T] = (int64_t)n_anc;
    free(seen);
    free(npar);
    free(queue);
    free(buf);
}

/* Read the catalogue into the library (the only catalogue there is). */
int engine_prepare(engine *e)
{
    if (!e->have_cat)
        return EXIT_OK;
    int rc = catalogue_load(e->cat_path, &e->scale, &e->params, &e->mcat);
    if (rc != EXIT_OK)
        return rc;
    e->T = mlg_catalogue_target_count(e->mcat);
    e->N = mlg_catalogue_node_count(e->mcat);
    e->t2node = xmalloc(e->T * sizeof *e->t2node);
    for (size_t t = 0; t < e->T; t++) {
        size_t node;
        if (mlg_catalogue_target_node(e->mcat, t, &node) != MLG_OK)
            return EXIT_INTERNAL;
        e->t2node[t] = (int32_t)node;
    }
    derive(e);
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

static void reject_v(engine *e, int counted, int64_t line, const char *fmt, va_list ap)
{
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    line = engine_abs_line(e, line);
    if (counted)
        e->n_rejected++;
    if (e->strict) {
        if (e->progress_shown)
            fputc('\n', stderr);
        diag_at(e->in_label, line, "%s", msg);
        diag("--strict: stopping at the first rejected row");
        (void)engine_summary(e);
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
        out_csv(&o, e->in_label, 0);
        out_ch(&o, ',');
        out_i64(&o, line);
        out_ch(&o, ',');
        out_csv(&o, msg, 0);
        out_ch(&o, '\n');
        out_flush(&o);
        out_free(&o);
    }
}

void engine_reject(engine *e, int64_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    reject_v(e, 1, line, fmt, ap);
    va_end(ap);
}

/* A rejected piece of a row counted elsewhere (one objective of a OneRoster
 * result): the message and the --rejects line, no count. */
static void reject_part(engine *e, int64_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void reject_part(engine *e, int64_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    reject_v(e, 0, line, fmt, ap);
    va_end(ap);
}

/* The progress line on stderr: rows and rate, and when the input's size is
 * known (a regular file) the share read and the time left at this rate.
 * done/total are bytes (total <= 0: unknown). */
static void progress(engine *e, int64_t done, int64_t total, int force)
{
    double t = now_seconds();
    if (t - e->t_last < 0.5 && !force)
        return;
    e->t_last = t;
    double el = t - e->t0 > 1e-9 ? t - e->t0 : 1e-9;
    if (total > 0 && done > 0 && done <= total) {
        double left = el * (double)(total - done) / (double)done;
        fprintf(stderr, "\rmlg: %s: %3.0f%%, %lld rows, %.2f M rows/s, ETA %.0fs   ",
                e->in_label, 100.0 * (double)done / (double)total, (long long)e->n_read,
                e->n_read / el / 1e6, left);
    } else {
        fprintf(stderr, "\rmlg: %s: %lld rows, %.2f M rows/s   ", e->in_label,
                (long long)e->n_read, e->n_read / el / 1e6);
    }
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

static int same_row(const ev_t *a, const ev_t *b)
{
    return a->student == b->student && a->target == b->target && a->day == b->day &&
           a->status == b->status && a->weight == b->weight && a->extra == b->extra &&
           (a->score == b->score || (isnan(a->score) && isnan(b->score)));
}

/* Remove the exact duplicates from rows[0..n) (sorted so that equal rows are
 * in one run of equal student, target and day), keeping the first of each;
 * --duplicates warn counts a copy as skipped, error as rejected.  Returns
 * the new row count. */
static size_t drop_duplicates(engine *e, ev_t *rows, size_t n)
{
    size_t w = 0;   /* rows kept so far (rows[0..w) is the output) */
    size_t run = 0; /* first kept row with the key of rows[q] */
    for (size_t q = 0; q < n; q++) {
        /* rows[q - 1] is intact here: writes go to w <= q - 1 only as
         * copies of the row at q - 1 itself */
        if (q == 0 || rows[q].day != rows[q - 1].day || rows[q].target != rows[q - 1].target ||
            rows[q].student != rows[q - 1].student) {
            run = w;
        } else {
            size_t d = run;
            while (d < w && !same_row(&rows[d], &rows[q]))
                d++;
            if (d < w) {
                e->n_used--;
                if (e->duplicates == DUP_ERROR) {
                    engine_reject(e, rows[q].line, "duplicate of line %lld (--duplicates error)",
                                  (long long)engine_abs_line(e, rows[d].line));
                    continue;
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
                continue;
            }
        }
        if (w != q)
            rows[w] = rows[q];
        w++;
    }
    return w;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Count rows of failed series as rejected, one per input line whose every
 * row failed: a OneRoster result feeding two objectives is one input row
 * (counted once), and it stays used when one of its objectives computed. */
static void count_failed_lines(engine *e, const ev_t *rows, size_t n, int64_t *failed,
                               size_t n_failed)
{
    if (n_failed == 0)
        return;
    int64_t *all = xmalloc(n * sizeof *all);
    for (size_t i = 0; i < n; i++)
        all[i] = rows[i].line;
    qsort(all, n, sizeof *all, cmp_i64);
    qsort(failed, n_failed, sizeof *failed, cmp_i64);
    size_t a = 0;
    for (size_t f = 0; f < n_failed;) {
        size_t g = f;
        while (g < n_failed && failed[g] == failed[f])
            g++;
        while (a < n && all[a] < failed[f])
            a++;
        size_t b = a;
        while (b < n && all[b] == failed[f])
            b++;
        if (g - f == b - a) { /* every row of this line failed */
            e->n_used--;
            e->n_rejected++;
        }
        f = g;
    }
    free(all);
}

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
    /* 1b. exact duplicates: rows of one student and target on one day are
     * now adjacent, in input order */
    if (e->dedup_rows && e->duplicates != DUP_KEEP)
        n = drop_duplicates(e, rows, n);
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
    int64_t *failed = NULL; /* input lines of the rows of failed series */
    size_t n_failed = 0, cap_failed = 0;
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
                reject_part(e, rows[i].line, "student '%s', target '%s': %s: %s",
                            engine_student_id(e, rows[i].student),
                            engine_target_id(e, rows[i].target), mlg_errname(rc1), e1.message);
                GROW(failed, cap_failed, n_failed + 1);
                failed[n_failed++] = rows[i].line;
            }
            e->g_value[k] = NAN;
            e->g_level[k] = MLG_LEVEL_NA;
            e->g_count[k] = 0;
        }
        count_failed_lines(e, rows, n, failed, n_failed);
        free(failed);
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
            e->n_rejected++; /* read, not used: the tally still balances */
            e->n_shown++;
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
    ev.extra = e->row_extra;
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
/* 1 if every field of the record is empty. */
static int record_empty(const csv_reader *r)
{
    for (size_t k = 0; k < r->nfields; k++)
        if (r->flen[k])
            return 0;
    return 1;
}

static int read_long_csv(engine *e, FILE *f)
{
    e->dedup_rows = 1;
    csv_reader r;
    if (csv_open(&r, f, e->max_record) != 0)
        return EXIT_NOMEM;
    r.delim = e->delim;
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
            if (strcmp(r.field[k], e->col_name[c] ? e->col_name[c] : names[c]) == 0)
                col[c] = (int)k;
    if (col[C_DATE] < 0 && !e->col_name[C_DATE])
        for (size_t k = 0; k < r.nfields; k++)
            if (!strcmp(r.field[k], "date") || !strcmp(r.field[k], "day"))
                col[C_DATE] = (int)k;
    for (int c = 0; c < C_N; c++) {
        if (col[c] < 0 && (c < 4 || e->col_name[c])) {
            if (e->col_name[c])
                diag_at(e->in_label, r.rec_line,
                        "header has no column '%s' (named for %s by --columns)",
                        e->col_name[c], names[c]);
            else
                diag_at(e->in_label, r.rec_line,
                        "header has no column '%s' (want student_id,target_id,assessed_at,"
                        "score[,weight,status], or map yours with --columns "
                        "student_id=...,target_id=...)",
                        names[c]);
            csv_close(&r);
            return EXIT_DATA;
        }
    }
    size_t ncols = r.nfields;
    /* columns the evidence does not use (an assignment id, a comment) */
    size_t *extra = xmalloc((ncols ? ncols : 1) * sizeof *extra), n_extra = 0;
    for (size_t k = 0; k < ncols; k++) {
        int used = 0;
        for (int c = 0; c < C_N; c++)
            used |= col[c] == (int)k;
        if (!used)
            extra[n_extra++] = k;
    }
    int ret = EXIT_OK;
    int show = e->progress;
    int64_t total = -1, base = 0; /* input bytes, when known */
    struct stat st;
    if (show && fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
        base = e->range_begin > 0 ? e->range_begin : 0;
        total = (e->range_end >= 0 ? e->range_end : (int64_t)st.st_size) - base;
    }
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
            progress(e, r.pos0 >= 0 ? r.pos0 + (int64_t)r.start - base : -1, total, 0);
        if (rc == CSV_IOERR) {
            diag_at(e->in_label, r.line, "read error: %s", strerror(errno));
            e->n_rejected++; /* the row being read: read, not used */
            ret = EXIT_IO;
            break;
        }
        if (rc == CSV_FATAL) {
            diag_at(e->in_label, engine_abs_line(e, r.rec_line), "%s", r.reason);
            e->n_rejected++;
            ret = EXIT_DATA;
            break;
        }
        if (rc == CSV_BAD) {
            engine_reject(e, r.rec_line, "%s", r.reason);
            continue;
        }
        if (r.nfields != ncols) {
            if (r.nfields == 1 && r.flen[0] == 0) {
                e->n_skipped++; /* "\"\"" alone: an empty record */
                continue;
            }
            engine_reject(e, r.rec_line, "expected %zu fields, got %zu%s", ncols, r.nfields,
                          r.rec_end > r.rec_line ? " (the record spans several lines: a stray "
                                                   "quote?)"
                                                 : "");
            continue;
        }
        if (record_empty(&r)) {
            e->n_skipped++; /* a spreadsheet's empty row: ",,,," */
            continue;
        }
        if (n_extra) {
            /* FNV-1a over the columns not read, each with its length */
            uint64_t h = 1469598103934665603ull;
            for (size_t q = 0; q < n_extra; q++) {
                size_t k = extra[q], len = r.flen[k];
                for (size_t b = 0; b < sizeof len; b++)
                    h = (h ^ ((len >> (8 * b)) & 0xFF)) * 1099511628211ull;
                for (size_t b = 0; b < len; b++)
                    h = (h ^ (unsigned char)r.field[k][b]) * 1099511628211ull;
            }
            e->row_extra = h;
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
    if (show && ret == EXIT_OK)
        progress(e, total, total, 1); /* the last state: 100% */
    free(extra);
    /* blank lines: read and skipped */
    e->n_read += r.blank;
    e->n_skipped += r.blank;
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
    int32_t *tail;  /* per key: last entry (appends in O(1)) */
    size_t   hcap;
    int32_t *next;
    char   **val;
    char   **val2;  /* a second value column (NULL when none) */
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
    for (size_t i = 0; i < m->n; i++) {
        free(m->val[i]);
        free(m->val2[i]);
    }
    free(m->val);
    free(m->val2);
    free(m->next);
    free(m->head);
    free(m->tail);
}

static void mm_add(multimap *m, const char *k, const char *v, const char *v2)
{
    int added;
    int32_t ki = strtab_intern(&m->keys, k, strlen(k), &added);
    if ((size_t)ki >= m->hcap) {
        size_t old = m->hcap;
        m->hcap = m->hcap ? m->hcap * 2 : 256;
        while ((size_t)ki >= m->hcap)
            m->hcap *= 2;
        m->head = xrealloc(m->head, m->hcap * sizeof *m->head);
        m->tail = xrealloc(m->tail, m->hcap * sizeof *m->tail);
        for (size_t i = old; i < m->hcap; i++)
            m->head[i] = m->tail[i] = -1;
    }
    GROW(m->val, m->cap, m->n + 1);
    m->next = xrealloc(m->next, m->cap * sizeof *m->next);
    m->val2 = xrealloc(m->val2, m->cap * sizeof *m->val2);
    m->val[m->n] = xstrdup(v);
    m->val2[m->n] = v2 && v2[0] ? xstrdup(v2) : NULL;
    /* append at the tail to keep file order */
    m->next[m->n] = -1;
    if (m->head[ki] < 0)
        m->head[ki] = (int32_t)m->n;
    else
        m->next[m->tail[ki]] = (int32_t)m->n;
    m->tail[ki] = (int32_t)m->n;
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

/* Load a mapping file of OneRoster set `dir` into m: key column -> value
 * column (and vcol2, when given and present, as the second value).  Rows
 * with `status` tobedeleted are left out (unless --keep-deleted), and so
 * are rows whose column `only_col` is not `only_val` (enrollments: role
 * student).  A malformed row is reported and ignored (one bad row does not
 * stop the run; *n_bad counts them).  A missing file: *present = 0 and
 * EXIT_OK.  A header without the columns: EXIT_DATA. */
static int load_map(engine *e, const char *dir, const char *file, const char *kcol,
                    const char *vcol, const char *vcol2, const char *only_col,
                    const char *only_val, multimap *m, int *present, int64_t *n_bad)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    *present = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return EXIT_OK;
    if (e->or_shown) /* name files inside a bundle as BUNDLE.zip:FILE */
        snprintf(path, sizeof path, "%s:%s", e->or_shown, file);
    *present = 1;
    csv_reader r;
    if (csv_open(&r, f, e->max_record) != 0) {
        fclose(f);
        return EXIT_NOMEM;
    }
    int rc = csv_next(&r);
    int kc = rc == CSV_OK ? col_of(&r, kcol) : -1, vc = rc == CSV_OK ? col_of(&r, vcol) : -1;
    int v2 = rc == CSV_OK && vcol2 ? col_of(&r, vcol2) : -1;
    int oc = rc == CSV_OK && only_col ? col_of(&r, only_col) : -1;
    int sc = rc == CSV_OK ? col_of(&r, "status") : -1;
    int ret = EXIT_OK;
    if (kc >= 0 && v2 < 0 && vcol2 && !strcmp(vcol2, "dueDate"))
        v2 = col_of(&r, "assignDate"); /* sets without dueDate */
    int v_empty = 0; /* lineItems.csv without classSourcedId: class unknown */
    if (kc >= 0 && vc < 0 && !strcmp(vcol, "classSourcedId")) {
        vc = kc;
        v_empty = 1;
    }
    if (kc < 0 || vc < 0) {
        diag_at(path, 1, "header must name the columns %s and %s", kcol, vcol);
        ret = EXIT_DATA;
    } else {
        size_t ncols = r.nfields;
        while ((rc = csv_next(&r)) != CSV_EOF) {
            if (rc == CSV_IOERR || rc == CSV_FATAL) {
                diag_at(path, r.rec_line, "%s", rc == CSV_IOERR ? "read error" : r.reason);
                ret = rc == CSV_IOERR ? EXIT_IO : EXIT_DATA;
                break;
            }
            if (rc != CSV_OK || r.nfields != ncols || !r.field[kc][0] || !r.field[vc][0]) {
                diag_at(path, r.rec_line, "%s (mapping row ignored)",
                        rc == CSV_BAD           ? r.reason
                        : r.nfields != ncols    ? "wrong number of fields"
                        : !r.field[kc][0]       ? "empty key"
                                                : "empty value");
                (*n_bad)++;
                continue;
            }
            if (sc >= 0 && !strcmp(r.field[sc], "tobedeleted") && !e->oneroster_keep_deleted)
                continue;
            if (oc >= 0 && strcmp(r.field[oc], only_val) != 0)
                continue;
            mm_add(m, r.field[kc], v_empty ? "" : r.field[vc], v2 >= 0 ? r.field[v2] : NULL);
        }
    }
    csv_close(&r);
    fclose(f);
    return ret;
}

/* Is (key, val) in m? */
static int mm_has(const multimap *m, const char *k, const char *v)
{
    for (int32_t i = mm_first(m, k); i >= 0; i = m->next[i])
        if (!strcmp(m->val[i], v))
            return 1;
    return 0;
}

static int read_oneroster(engine *e, const char *dir)
{
    enum { M_LI_LO, M_RES_LO, M_LI, M_USERS, M_CLASSES, M_ENROL, M_N };
    multimap mm[M_N];
    int present[M_N];
    for (int k = 0; k < M_N; k++)
        mm_init(&mm[k]);
    int64_t n_bad = 0;
    int ret = load_map(e, dir, "lineItemLearningObjectiveIds.csv", "lineItemSourcedId",
                       "learningObjectiveId", NULL, NULL, NULL, &mm[M_LI_LO],
                       &present[M_LI_LO], &n_bad);
    if (ret == EXIT_OK) /* per-objective scores in the second value */
        ret = load_map(e, dir, "resultLearningObjectiveIds.csv", "resultSourcedId",
                       "learningObjectiveId", "score", NULL, NULL, &mm[M_RES_LO],
                       &present[M_RES_LO], &n_bad);
    if (ret == EXIT_OK) /* line item -> its class, with its due date */
        ret = load_map(e, dir, "lineItems.csv", "sourcedId", "classSourcedId", "dueDate", NULL,
                       NULL, &mm[M_LI], &present[M_LI], &n_bad);
    if (ret == EXIT_OK)
        ret = load_map(e, dir, "users.csv", "sourcedId", "sourcedId", NULL, NULL, NULL,
                       &mm[M_USERS], &present[M_USERS], &n_bad);
    if (ret == EXIT_OK)
        ret = load_map(e, dir, "classes.csv", "sourcedId", "sourcedId", NULL, NULL, NULL,
                       &mm[M_CLASSES], &present[M_CLASSES], &n_bad);
    if (ret == EXIT_OK)
        ret = load_map(e, dir, "enrollments.csv", "userSourcedId", "classSourcedId", NULL,
                       "role", "student", &mm[M_ENROL], &present[M_ENROL], &n_bad);
    multimap man; /* manifest.csv: propertyName -> value */
    int man_present = 0;
    mm_init(&man);
    if (ret == EXIT_OK)
        ret = load_map(e, dir, "manifest.csv", "propertyName", "value", NULL, NULL, NULL, &man,
                       &man_present, &n_bad);
    if (ret == EXIT_OK && man_present) {
        int32_t v = mm_first(&man, "oneroster.version");
        if (v < 0 || strncmp(man.val[v], "1.2", 3) != 0)
            diag("%s: manifest.csv: oneroster.version is %s%s%s, not 1.2: read as 1.2",
                 e->or_shown ? e->or_shown : dir, v < 0 ? "missing" : "'",
                 v < 0 ? "" : man.val[v], v < 0 ? "" : "'");
        int32_t r = mm_first(&man, "file.results");
        if (r >= 0 && !strcmp(man.val[r], "absent")) {
            diag("%s: manifest.csv: file.results is absent: no results to read",
                 e->or_shown ? e->or_shown : dir);
            ret = EXIT_DATA;
        }
    }
    mm_free(&man);
    if (ret == EXIT_OK && !present[M_LI_LO] && !present[M_RES_LO]) {
        diag("%s: neither lineItemLearningObjectiveIds.csv nor resultLearningObjectiveIds.csv: "
             "cannot tell which learning target a result is evidence for",
             e->or_shown ? e->or_shown : dir);
        ret = EXIT_DATA;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/results.csv", dir);
    FILE *f = ret == EXIT_OK ? fopen(path, "rb") : NULL;
    if (e->or_shown)
        snprintf(path, sizeof path, "%s:results.csv", e->or_shown);
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
    strtab seen;     /* result sourcedId -> its line */
    strtab_init(&seen);
    if (ret == EXIT_OK) {
        int rc = csv_next(&r);
        int c_id = col_of(&r, "sourcedId"), c_st = col_of(&r, "status"),
            c_li = col_of(&r, "lineItemSourcedId"), c_stu = col_of(&r, "studentSourcedId"),
            c_ss = col_of(&r, "scoreStatus"), c_sc = col_of(&r, "score"),
            c_dt = col_of(&r, "scoreDate"), c_cl = col_of(&r, "classSourcedId"),
            c_miss = col_of(&r, "missing");
        if (rc != CSV_OK || c_id < 0 || c_li < 0 || c_stu < 0 || c_sc < 0) {
            diag_at(path, 1, "header must name sourcedId, lineItemSourcedId, studentSourcedId "
                             "and score (OneRoster 1.2 results.csv)");
            ret = EXIT_DATA;
        }
        size_t ncols = r.nfields;
        while (ret == EXIT_OK && (rc = csv_next(&r)) != CSV_EOF) {
            e->n_read++;
            if (rc == CSV_IOERR || rc == CSV_FATAL) {
                diag_at(path, r.rec_line, "%s", rc == CSV_IOERR ? "read error" : r.reason);
                e->n_rejected++;
                ret = rc == CSV_IOERR ? EXIT_IO : EXIT_DATA;
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
            const char *st = c_st >= 0 ? r.field[c_st] : "";
            if (!strcmp(st, "tobedeleted") && !e->oneroster_keep_deleted) {
                e->n_skipped++;
                continue;
            }
            if (st[0] && strcmp(st, "active") && strcmp(st, "tobedeleted")) {
                engine_reject(e, r.rec_line, "status '%.40s' is not active or tobedeleted", st);
                continue;
            }
            const char *rid = r.field[c_id], *li = r.field[c_li], *stu = r.field[c_stu];
            if (!rid[0]) {
                engine_reject(e, r.rec_line, "empty sourcedId");
                continue;
            }
            int32_t first = strtab_get(&seen, rid, strlen(rid));
            if (first >= 0 && e->duplicates != DUP_KEEP) {
                if (e->duplicates == DUP_ERROR) {
                    engine_reject(e, r.rec_line, "sourcedId '%s' again (first on line %d)", rid,
                                  first);
                } else {
                    e->n_skipped++;
                    if (++e->n_duplicates <= SHOW_REJECTS)
                        diag_at(path, r.rec_line,
                                "sourcedId '%s' again (first on line %d): skipped (see "
                                "--duplicates)",
                                rid, first);
                }
                continue;
            }
            if (first < 0)
                strtab_put(&seen, rid, strlen(rid), (int32_t)r.rec_line);
            /* referential checks, each only when its file is in the set */
            int32_t lirow = mm_first(&mm[M_LI], li);
            if (present[M_LI] && lirow < 0) {
                engine_reject(e, r.rec_line, "lineItemSourcedId '%s' is not in lineItems.csv",
                              li);
                continue;
            }
            if (present[M_USERS] && mm_first(&mm[M_USERS], stu) < 0) {
                engine_reject(e, r.rec_line, "studentSourcedId '%s' is not in users.csv", stu);
                continue;
            }
            const char *cls = c_cl >= 0 && r.field[c_cl][0] ? r.field[c_cl]
                              : lirow >= 0                  ? mm[M_LI].val[lirow]
                                                            : "";
            if (cls[0] && present[M_CLASSES] && mm_first(&mm[M_CLASSES], cls) < 0) {
                engine_reject(e, r.rec_line, "class '%s' is not in classes.csv", cls);
                continue;
            }
            if (cls[0] && present[M_ENROL] && !mm_has(&mm[M_ENROL], stu, cls)) {
                engine_reject(e, r.rec_line,
                              "student '%s' is not enrolled in class '%s' (enrollments.csv)", stu,
                              cls);
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
            const char *miss = c_miss >= 0 ? r.field[c_miss] : "";
            if (!strcmp(miss, "true")) {
                if (strcmp(status, "excused") != 0)
                    status = "missing"; /* OneRoster 1.2: the work is missing */
            } else if (miss[0] && strcmp(miss, "false") != 0) {
                engine_reject(e, r.rec_line, "missing '%.40s' is not true or false", miss);
                continue;
            }
            const char *date = c_dt >= 0 ? r.field[c_dt] : "";
            if (!date[0] && lirow >= 0 && mm[M_LI].val2[lirow])
                date = mm[M_LI].val2[lirow];
            if (!date[0]) {
                engine_reject(e, r.rec_line, "no scoreDate and no lineItem dueDate");
                continue;
            }
            int32_t lo = mm_first(&mm[M_RES_LO], rid);
            multimap *src = &mm[M_RES_LO];
            if (lo < 0) {
                lo = mm_first(&mm[M_LI_LO], li);
                src = &mm[M_LI_LO];
            }
            if (lo < 0) {
                engine_reject(e, r.rec_line,
                              "result '%s' has no learning objective (neither in "
                              "resultLearningObjectiveIds.csv nor, for line item '%s', in "
                              "lineItemLearningObjectiveIds.csv)",
                              rid, li);
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
            int64_t before_rej = e->n_rejected, before_used = e->n_used,
                    before_skip = e->n_skipped;
            size_t before_rows = e->nrows;
            for (int32_t k = lo; k >= 0 && e->n_rejected == before_rej; k = src->next[k]) {
                /* resultLearningObjectiveIds' own score, else the result's */
                const char *sc = src->val2[k] ? src->val2[k] : r.field[c_sc];
                ret = take(e, r.rec_line, stu, strlen(stu), src->val[k], strlen(src->val[k]),
                           date, strlen(date), sc, strlen(sc), NULL, 0, status);
                if (ret != EXIT_OK)
                    break;
            }
            /* a result counts once, however many objectives it feeds:
             * rejected (and none of its rows kept), skipped by --until, or
             * used */
            int used = e->n_used > before_used, until = e->n_skipped > before_skip;
            e->n_used = before_used;
            e->n_skipped = before_skip;
            if (e->n_rejected != before_rej) {
                e->n_rejected = before_rej + 1;
                e->nrows = before_rows; /* all or nothing (rows are only
                                           appended here: unsorted mode) */
            } else if (!used && until) {
                e->n_skipped++;
            } else {
                e->n_used++;
            }
        }
        e->n_read += r.blank;
        e->n_skipped += r.blank;
        if (f)
            csv_close(&r);
    }
    if (f)
        fclose(f);
    strtab_free(&seen);
    for (int k = 0; k < M_N; k++)
        mm_free(&mm[k]);
    if (n_bad)
        diag("%s: %lld mapping rows ignored (see above)", e->or_shown ? e->or_shown : dir,
             (long long)n_bad);
    if (ret == EXIT_OK)
        ret = finish(e);
    return ret;
}

/* UTF-16 input with a byte-order mark (what spreadsheet programs save as
 * "Unicode text"): the rest of f converted to UTF-8 in a temporary file.
 * big: 1 for FE FF.  NULL after a diagnostic on bad UTF-16. */
static FILE *utf16_to_utf8(engine *e, FILE *f, int big)
{
    FILE *t = tmpfile();
    if (!t) {
        diag("cannot create a temporary file: %s", strerror(errno));
        return NULL;
    }
    int64_t unit = 1; /* after the BOM */
    for (;;) {
        int a = getc(f);
        if (a == EOF)
            break;
        int b = getc(f);
        if (b == EOF) {
            diag_at(e->in_label, 0, "UTF-16 input ends in half a character (byte %lld)",
                    (long long)(2 * unit));
            fclose(t);
            return NULL;
        }
        uint32_t c = big ? (uint32_t)(a << 8 | b) : (uint32_t)(b << 8 | a);
        if (c >= 0xD800 && c <= 0xDBFF) {
            int a2 = getc(f), b2 = getc(f);
            uint32_t lo = a2 == EOF || b2 == EOF ? 0
                          : big ? (uint32_t)(a2 << 8 | b2) : (uint32_t)(b2 << 8 | a2);
            if (lo < 0xDC00 || lo > 0xDFFF) {
                diag_at(e->in_label, 0, "invalid UTF-16: unpaired surrogate at byte %lld",
                        (long long)(2 * unit));
                fclose(t);
                return NULL;
            }
            c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
            unit++;
        } else if (c >= 0xDC00 && c <= 0xDFFF) {
            diag_at(e->in_label, 0, "invalid UTF-16: unpaired surrogate at byte %lld",
                    (long long)(2 * unit));
            fclose(t);
            return NULL;
        }
        unit++;
        if (c < 0x80) {
            putc((int)c, t);
        } else if (c < 0x800) {
            putc((int)(0xC0 | c >> 6), t);
            putc((int)(0x80 | (c & 0x3F)), t);
        } else if (c < 0x10000) {
            putc((int)(0xE0 | c >> 12), t);
            putc((int)(0x80 | ((c >> 6) & 0x3F)), t);
            putc((int)(0x80 | (c & 0x3F)), t);
        } else {
            putc((int)(0xF0 | c >> 18), t);
            putc((int)(0x80 | ((c >> 12) & 0x3F)), t);
            putc((int)(0x80 | ((c >> 6) & 0x3F)), t);
            putc((int)(0x80 | (c & 0x3F)), t);
        }
    }
    if (ferror(f) || ferror(t) || fflush(t) != 0) {
        diag_at(e->in_label, 0, "read error: %s", strerror(errno));
        fclose(t);
        return NULL;
    }
    rewind(t);
    return t;
}

int engine_read(engine *e, const char *path)
{
    struct stat st;
    e->t0 = e->t_last = now_seconds();
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return read_oneroster(e, path);
    if (bundle_is_zip(path)) {
        char dir[4096];
        int rc = bundle_extract(path, dir, sizeof dir);
        if (rc != EXIT_OK)
            return rc;
        e->or_shown = path;
        rc = read_oneroster(e, dir);
        bundle_remove(dir);
        return rc;
    }
    e->in_label = strcmp(path, "-") == 0 ? "<stdin>" : path;
    FILE *f = open_in(path);
    /* a UTF-16 byte-order mark? (glibc takes back two bytes on any stream) */
    int b0 = getc(f), b1 = b0 == EOF ? EOF : getc(f);
    int u16 = (b0 == 0xFF && b1 == 0xFE) ? 1 : (b0 == 0xFE && b1 == 0xFF) ? 2 : 0;
    if (!u16) {
        if (b1 != EOF)
            ungetc(b1, f);
        if (b0 != EOF)
            ungetc(b0, f);
    }
    FILE *in = f;
    if (u16) {
        in = utf16_to_utf8(e, f, u16 == 2);
        if (!in) {
            if (f != stdin)
                fclose(f);
            return EXIT_DATA;
        }
    }
    int rc = read_long_csv(e, in);
    if (in != f)
        fclose(in);
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
    if (e->n_duplicates > SHOW_REJECTS)
        diag("%lld more duplicate rows skipped, not shown", (long long)(e->n_duplicates - SHOW_REJECTS));
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
