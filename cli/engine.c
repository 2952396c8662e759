/* SPDX-License-Identifier: GPL-3.0-or-later */
/* engine.c -- the engine's life cycle: defaults, the catalogue (read into
 * the library, plus the per-node facts the output loops need), rejects,
 * progress, reading an input (dispatch) and the closing tally.  The work
 * itself: reader.c (long CSV rows), reader_oneroster.c (OneRoster sets),
 * grouper.c (students, duplicates, groups) and runner.c (batch, roll-up,
 * callbacks). */
#include "engine_internal.h"

#include <mlg_policy.h>

#include "bundle.h"
#include "options.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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
    mlg_policy_free(e->policy);
    mlg_catalogue_free(e->mcat);
    free(e->t2node);
    free(e->node_kind);
    free(e->node_scale);
    free(e->scales);
    free(e->node_depth);
    if (e->node_subject)
        for (size_t q = 0; q < e->N; q++)
            free(e->node_subject[q]);
    free(e->node_subject);
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
    free(e->dup_ev);
    free(e->tv);
    free(e->tl);
    free(e->tn);
    free(e->nv);
    free(e->nl);
    free(e->nf);
    free(e->stamp);
    free(e->rank);
    free(e->inv);
    free(e->label_owned);
    for (int c = 0; c < 7; c++)
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

const mlg_scale *engine_target_scale(const engine *e, int32_t t)
{
    if (!e->have_cat || !e->node_scale || !e->t2node || t < 0 || (size_t)t >= e->T)
        return &e->scale;
    return &e->scales[e->node_scale[e->t2node[t]]];
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
    /* N/A by subject and the TK rule are catalogue_load()'s; --policy's
     * rules for nodes without one when policy_rules is set */
    int rc = catalogue_load(e->cat_path, &e->scale, &e->params,
                            e->policy_rules ? e->policy : NULL, &e->mcat, &e->node_subject);
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
        /* only needed for a diagnostic: count the newlines before the range
         * (a parallel reader's later range: up to a gigabyte, on the worker's
         * way, so mapped rather than copied, a window at a time to keep it
         * out of the peak RSS, and counted a word at a time) */
        const size_t win = (size_t)8 << 20; /* a multiple of the page size */
        const uint64_t lo7 = 0x7F7F7F7F7F7F7F7Full, nl = 0x0A0A0A0A0A0A0A0Aull;
        int fd = open(e->in_label, O_RDONLY);
        int64_t n = 0;
        for (int64_t off = 0; fd >= 0 && off < e->range_begin; off += (int64_t)win) {
            size_t len = e->range_begin - off < (int64_t)win ? (size_t)(e->range_begin - off) : win;
            void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, (off_t)off);
            unsigned char *buf = NULL;
            if (map == MAP_FAILED) {
                /* (a file system that cannot map: read it) */
                buf = xmalloc(len);
                ssize_t got = pread(fd, buf, len, (off_t)off);
                if (got <= 0) {
                    free(buf);
                    break;
                }
                len = (size_t)got;
            }
            const unsigned char *m = buf ? buf : map;
            size_t i = 0;
            for (; i + 8 <= len; i += 8) {
                uint64_t x;
                memcpy(&x, m + i, 8);
                x ^= nl; /* a newline byte is now 0 */
                /* high bit set exactly in the zero bytes (no carries) */
                uint64_t t = ~(((x & lo7) + lo7) | x | lo7);
                n += (int64_t)(((t >> 7) * 0x0101010101010101ull) >> 56);
            }
            for (; i < len; i++)
                n += m[i] == '\n';
            if (buf)
                free(buf);
            else
                munmap(map, len);
        }
        if (fd >= 0)
            close(fd);
        e->line_base = n;
        e->line_base_known = 1;
    }
    return line + e->line_base;
}

/* What a rejection is, for the parallel reader's merge: a row as it is
 * read, an exact duplicate found when a chunk is grouped (grouper.c), or a
 * piece of a row found when it is computed (not counted as a row). */
enum { REJ_READ, REJ_DUP, REJ_PART };

static void reject_v(engine *e, int kind, int64_t line, const char *fmt, va_list ap)
{
    const int counted = kind != REJ_PART;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    line = engine_abs_line(e, line);
    if (counted)
        e->n_rejected++;
    if (e->split_diag) {
        if (kind == REJ_PART)
            e->split_rej_part++;
        else if (kind == REJ_DUP)
            e->split_rej_dup++;
        else
            e->split_rej_read++;
        if (e->strict) {
            e->split_strict = 1;
            return;
        }
    }
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
        if (e->split_diag)
            out_ch(e->split_diag, 'R');
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

void engine_reject(engine *e, int64_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    reject_v(e, REJ_READ, line, fmt, ap);
    va_end(ap);
}

/* --duplicates error: an exact copy of an earlier row, rejected. */
static void reject_dup(engine *e, int64_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void reject_dup(engine *e, int64_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    reject_v(e, REJ_DUP, line, fmt, ap);
    va_end(ap);
}

void engine_reject_duplicate(engine *e, int64_t line, int64_t first)
{
    reject_dup(e, line, "duplicate of line %lld (--duplicates error)",
               (long long)engine_abs_line(e, first));
}

/* A rejected piece of a row counted elsewhere (one objective of a OneRoster
 * result): the message and the --rejects line, no count. */
void engine_reject_part(engine *e, int64_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    reject_v(e, REJ_PART, line, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------- the parallel reader's merge -- */
/* A worker's captured diagnostics (engine.split_diag): lines "R..." are
 * shown rejects, the others duplicate warnings.  1 when they are what one
 * reader would have shown of the worker's range: its first SHOW_REJECTS of
 * each (a worker that saw anything else is not merged). */
int engine_split_check(const engine *w, const char *buf, size_t len)
{
    int64_t r = 0, d = 0;
    for (const char *p = buf, *end = buf + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return 0;
        if (*p == 'R')
            r++;
        else
            d++;
        p = nl + 1;
    }
    return r == w->n_shown &&
           d == (w->n_duplicates < SHOW_REJECTS ? w->n_duplicates : SHOW_REJECTS);
}

/* Print a worker's captured diagnostics, the ranges in order, under the
 * limits of one reader: ep->n_shown rejects and *dups duplicate warnings
 * so far. */
void engine_split_emit(engine *ep, const char *buf, size_t len, int64_t *dups)
{
    for (const char *p = buf, *end = buf + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        int show = *p == 'R' ? ep->n_shown < SHOW_REJECTS : (*dups)++ < SHOW_REJECTS;
        if (show && ep->progress_shown) {
            fputc('\n', stderr); /* as reject_v() does */
            ep->progress_shown = 0;
        }
        if (show && *p == 'R') {
            fwrite(p + 1, 1, (size_t)(nl - p), stderr);
            ep->n_shown++;
        } else if (show) {
            fwrite(p, 1, (size_t)(nl + 1 - p), stderr);
        }
        p = nl + 1;
    }
}

/* The progress line on stderr: rows and rate, and when the input's size is
 * known (a regular file) the share read and the time left at this rate.
 * done/total are bytes (total <= 0: unknown). */
void engine_progress(engine *e, int64_t done, int64_t total, int force)
{
    if (e->split_diag) {
        /* a worker of the parallel reader: the main thread shows the sum */
        atomic_store_explicit(&e->split_done, done, memory_order_relaxed);
        atomic_store_explicit(&e->split_rows, e->n_read, memory_order_relaxed);
        return;
    }
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

int engine_read(engine *e, const char *path)
{
    struct stat st;
    e->t0 = e->t_last = now_seconds();
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return engine_read_oneroster(e, path);
    if (bundle_is_zip(path)) {
        char dir[4096];
        int rc = bundle_extract(path, dir, sizeof dir);
        if (rc != EXIT_OK)
            return rc;
        e->or_shown = path;
        rc = engine_read_oneroster(e, dir);
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
        in = engine_utf16_to_utf8(e, f, u16 == 2);
        if (!in) {
            if (f != stdin)
                fclose(f);
            return EXIT_DATA;
        }
    }
    int rc = engine_read_csv(e, in);
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
    int rc = engine_read_csv(e, f);
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
