/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_batch.c -- district-scale benchmark of mlg_batch_compute().
 *
 * One command (see docs/performance.md):
 *     build/bench/bench_batch --preset lausd-year --json perf.json
 * (about 2.5 minutes on the 2-core development machine; --help for flags)
 *
 * Generates a synthetic district (bench/gen.c, seeded), holds it in memory
 * and prints a tab-separated table: for each method, mlg_batch_compute() at
 * 1 and 2 threads (best and median of k rounds, rows/s, GB/s of input read),
 * side by side with
 *   (a) a plain streaming read of the same arrays (the bandwidth bound), and
 *   (b) the naive baseline: a loop calling mlg_series_compute() per series;
 *       every batch result is compared with it (max abs difference, level
 *       mismatches) before any speed-up is printed, and the results of all
 *       thread counts are compared bit for bit.
 * Then the peak RSS against the input + output bytes, and optionally the
 * numpy/pandas comparison (bench/bench_numpy.py on a subset, scaled).
 * Exits non-zero if any result differs from the baseline or between thread
 * counts, so the ctest smoke run checks correctness, never timing.
 *
 * A front end: uses only include/mlg.h and the generator.
 */
#define _POSIX_C_SOURCE 200809L

#include "gen.h"
#include "mlg.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include("mlg_rollup.h")
#include "mlg_rollup.h"
#define BENCH_HAVE_ROLLUP_HEADER 1
#endif
#endif

#ifndef MLG_SOURCE_DIR
#define MLG_SOURCE_DIR "."
#endif
#ifndef MLG_BUILD_FLAGS
#define MLG_BUILD_FLAGS "unknown"
#endif
#ifndef MLG_BENCH_NUMPY_SCRIPT
#define MLG_BENCH_NUMPY_SCRIPT "bench/bench_numpy.py"
#endif

#define MAX_THREAD_COUNTS 8
#define MAX_ROUNDS 50

/* ------------------------------------------------------------- options -- */

typedef struct options {
    const char *preset;
    mlg_gen_config cfg;
    int have_seed;
    uint64_t seed;
    int rounds;
    int n_threads;
    int threads[MAX_THREAD_COUNTS];
    const char *methods;     /* comma list, "hot" or "all" */
    const char *json;
    const char *python;      /* interpreter for bench_numpy.py, NULL = off */
    int naive;
    int rollup;
    size_t python_rows;
} options;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: bench_batch [--preset tiny|small|lausd-period|lausd-year]\n"
            "                   [--students N] [--targets N] [--evidence X]\n"
            "                   [--seed S] [--continuous] [--weights] [--status]\n"
            "                   [--rounds K] [--threads 1,2] [--methods hot|all|m1,m2]\n"
            "                   [--json FILE] [--no-naive] [--no-rollup]\n"
            "                   [--python /usr/bin/python3 | --no-python]\n"
            "                   [--python-rows N]\n");
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* ---------------------------------------------------- streaming read -- */

typedef struct stream_job {
    const mlg_gen_data *d;
    size_t r0, r1, g0, g1;
    double sum;
} stream_job;

/* One pass over every input column, as a batch must read them: the
 * memory-bandwidth reference. */
static void *stream_worker(void *arg)
{
    stream_job *j = arg;
    const mlg_gen_data *d = j->d;
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int64_t di0 = 0, di1 = 0;
    size_t r = j->r0;
    for (; r + 4 <= j->r1; r += 4) {
        s0 += d->score[r];
        s1 += d->score[r + 1];
        s2 += d->score[r + 2];
        s3 += d->score[r + 3];
        di0 += d->day[r] + d->day[r + 1];
        di1 += d->day[r + 2] + d->day[r + 3];
    }
    for (; r < j->r1; r++) {
        s0 += d->score[r];
        di0 += d->day[r];
    }
    if (d->weight)
        for (r = j->r0; r < j->r1; r++)
            s1 += d->weight[r];
    if (d->status)
        for (r = j->r0; r < j->r1; r++)
            di1 += d->status[r];
    int64_t o = 0;
    for (size_t g = j->g0; g < j->g1; g++)
        o += d->offsets[g];
    j->sum = s0 + s1 + s2 + s3 + (double)(di0 + di1) + (double)o;
    return NULL;
}

static double stream_read(const mlg_gen_data *d, int threads, double *sink)
{
    stream_job job[64];
    pthread_t tid[64];
    if (threads < 1)
        threads = 1;
    if (threads > 64)
        threads = 64;
    const double t0 = now_s();
    for (int t = 0; t < threads; t++) {
        job[t].d = d;
        job[t].r0 = d->n_rows * (size_t)t / (size_t)threads;
        job[t].r1 = d->n_rows * (size_t)(t + 1) / (size_t)threads;
        job[t].g0 = (d->n_groups + 1) * (size_t)t / (size_t)threads;
        job[t].g1 = (d->n_groups + 1) * (size_t)(t + 1) / (size_t)threads;
        if (t > 0 && pthread_create(&tid[t], NULL, stream_worker, &job[t]) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            exit(2);
        }
    }
    stream_worker(&job[0]);
    for (int t = 1; t < threads; t++)
        pthread_join(tid[t], NULL);
    const double sec = now_s() - t0;
    for (int t = 0; t < threads; t++)
        *sink += job[t].sum;
    return sec;
}

/* -------------------------------------------------------------- output -- */

typedef struct row {
    char kind[16];        /* stream, batch, naive, numpy, pandas, rollup */
    char name[48];
    int threads;
    size_t groups, rows, bytes;
    double best, median;
    double speedup;       /* vs naive, NaN if none */
    double max_diff;      /* vs naive, NaN if none */
    int64_t level_mismatch;
    int bitwise_equal;    /* across thread counts: 1, 0, or -1 n/a */
    int status;
    double stream_share;  /* batch: the same run's streaming bound's time
                             over this time (1 = as fast as one read of the
                             input), NaN otherwise */
} row;

static row *rows_tab;
static size_t n_rows_tab, cap_rows_tab;

static row *add_row(void)
{
    if (n_rows_tab == cap_rows_tab) {
        cap_rows_tab = cap_rows_tab ? 2 * cap_rows_tab : 64;
        rows_tab = realloc(rows_tab, cap_rows_tab * sizeof *rows_tab);
        if (!rows_tab) {
            fprintf(stderr, "out of memory\n");
            exit(2);
        }
    }
    row *r = &rows_tab[n_rows_tab++];
    memset(r, 0, sizeof *r);
    r->speedup = NAN;
    r->max_diff = NAN;
    r->level_mismatch = -1;
    r->bitwise_equal = -1;
    r->stream_share = NAN;
    return r;
}

static void print_row_header(void)
{
    printf("kind\tname\tthreads\tgroups\trows\tinput_bytes\tbest_s\tmedian_s\t"
           "rows_per_s\tGB_per_s\tspeedup_vs_naive\tmax_abs_diff\t"
           "level_mismatch\tbitwise_equal_threads\tstatus\tns_per_series\t"
           "pct_of_stream\n");
}

static void print_row(const row *r)
{
    const double rps = r->best > 0 ? (double)r->rows / r->best : NAN;
    const double gbs = r->best > 0 ? (double)r->bytes / r->best / 1e9 : NAN;
    const double nsps = r->best > 0 && r->groups ? r->best * 1e9 / (double)r->groups
                                                 : NAN;
    printf("%s\t%s\t%d\t%zu\t%zu\t%zu\t%.4f\t%.4f\t%.4g\t%.3f\t%.3g\t%.3g\t"
           "%lld\t%s\t%s\t%.3g\t%.1f\n",
           r->kind, r->name, r->threads, r->groups, r->rows, r->bytes,
           r->best, r->median, rps, gbs, r->speedup, r->max_diff,
           (long long)r->level_mismatch,
           r->bitwise_equal < 0 ? "-" : r->bitwise_equal ? "yes" : "NO",
           mlg_errname(r->status), nsps, 100.0 * r->stream_share);
    fflush(stdout);
}

static void json_num(FILE *f, double x)
{
    if (isfinite(x))
        fprintf(f, "%.6g", x);
    else
        fputs("null", f);
}

/* ----------------------------------------------------------- machine -- */

static void cpu_model(char *buf, size_t size)
{
    snprintf(buf, size, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) == 0) {
            const char *c = strchr(line, ':');
            if (c) {
                c++;
                while (*c == ' ' || *c == '\t')
                    c++;
                snprintf(buf, size, "%s", c);
                buf[strcspn(buf, "\n")] = 0;
            }
            break;
        }
    }
    fclose(f);
}

static void git_commit(char *buf, size_t size)
{
    snprintf(buf, size, "unknown");
    FILE *p = popen("git -C '" MLG_SOURCE_DIR "' rev-parse --short HEAD 2>/dev/null"
                    " && git -C '" MLG_SOURCE_DIR "' status --porcelain"
                    " --untracked-files=no 2>/dev/null | head -1",
                    "r");
    if (!p)
        return;
    char line[128];
    if (fgets(line, sizeof line, p)) {
        line[strcspn(line, "\n")] = 0;
        char dirty[128];
        const int is_dirty = fgets(dirty, sizeof dirty, p) != NULL;
        snprintf(buf, size, "%s%s", line, is_dirty ? "-dirty" : "");
    }
    pclose(p);
}

/* /proc/loadavg's first three fields: other work on the machine skews the
 * 2-thread figures, so the table records it. */
static void loadavg(char *buf, size_t size)
{
    snprintf(buf, size, "unknown");
    FILE *f = fopen("/proc/loadavg", "r");
    if (!f)
        return;
    double a = 0, b = 0, c = 0;
    if (fscanf(f, "%lf %lf %lf", &a, &b, &c) == 3)
        snprintf(buf, size, "%.2f %.2f %.2f", a, b, c);
    fclose(f);
}

static double maxrss_bytes(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss * 1024.0; /* Linux: kilobytes */
}

/* ------------------------------------------------------------- batch -- */

static uint64_t hash_outputs(size_t n, const double *v, const int32_t *l,
                             const int32_t *c)
{
    /* FNV-1a over the bytes of all three outputs. */
    uint64_t h = 1469598103934665603ull;
    const unsigned char *p[3] = {(const unsigned char *)v,
                                 (const unsigned char *)l,
                                 (const unsigned char *)c};
    const size_t len[3] = {n * sizeof *v, n * sizeof *l, n * sizeof *c};
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < len[k]; i++) {
            h ^= p[k][i];
            h *= 1099511628211ull;
        }
    return h;
}

/* The naive baseline a user would write: mlg_series_compute() per series.
 * Compares each result with the batch outputs as it goes (no extra memory). */
static int naive_run(const mlg_gen_data *d, const mlg_method_params *p,
                     const double *value, const int32_t *level,
                     double *seconds, double *max_diff, int64_t *mismatch)
{
    double md = 0.0;
    int64_t mm = 0;
    const double t0 = now_s();
    for (size_t g = 0; g < d->n_groups; g++) {
        const int64_t lo = d->offsets[g], n = d->offsets[g + 1] - lo;
        mlg_result r;
        const int rc = mlg_series_compute(
            (size_t)n, d->day + lo, d->score + lo,
            d->weight ? d->weight + lo : NULL,
            d->status ? d->status + lo : NULL, NULL, p, &r, NULL);
        if (rc != MLG_OK)
            return rc;
        const double v = value[g];
        if (isnan(r.value) != isnan(v))
            md = INFINITY;
        else if (!isnan(v) && fabs(v - r.value) > md)
            md = fabs(v - r.value);
        mm += r.level != level[g];
    }
    *seconds = now_s() - t0;
    *max_diff = md;
    *mismatch = mm;
    return MLG_OK;
}

static const int32_t hot_methods[] = {
    MLG_METHOD_MEAN,          MLG_METHOD_MOST_RECENT,
    MLG_METHOD_DECAYING_AVERAGE, MLG_METHOD_POWER_LAW,
    MLG_METHOD_MEDIAN,        MLG_METHOD_MODE,
    MLG_METHOD_RECENT_MEDIAN, MLG_METHOD_RECENT_MODE,
};

static int method_selected(const char *list, int32_t m)
{
    if (strcmp(list, "all") == 0)
        return 1;
    if (strcmp(list, "hot") == 0) {
        for (size_t i = 0; i < sizeof hot_methods / sizeof *hot_methods; i++)
            if (hot_methods[i] == m)
                return 1;
        return 0;
    }
    const char *name = mlg_method_name(m);
    const size_t len = strlen(name);
    for (const char *s = list; *s;) {
        const size_t l = strcspn(s, ",");
        if (l == len && strncmp(s, name, len) == 0)
            return 1;
        s += l;
        if (*s == ',')
            s++;
    }
    return 0;
}

/* --------------------------------------------------------- numpy/pandas -- */

static int write_file(const char *path, const void *p, size_t bytes)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    const size_t w = fwrite(p, 1, bytes, f);
    const int rc = fclose(f);
    return (w == bytes && rc == 0) ? 0 : -1;
}

/* Dump the first series holding about max_rows rows as raw little-endian
 * arrays and run bench_numpy.py on them; relay its TSV rows. */
static void run_python(const options *o, const mlg_gen_data *d, FILE *json,
                       int *first)
{
    size_t ng = 0;
    while (ng < d->n_groups && (size_t)d->offsets[ng + 1] <= o->python_rows)
        ng++;
    if (ng == 0)
        return;
    const size_t nr = (size_t)d->offsets[ng];
    char dir[] = "/tmp/mlg_bench_XXXXXX";
    if (!mkdtemp(dir)) {
        fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
        return;
    }
    char path[256];
    int ok = 1;
    snprintf(path, sizeof path, "%s/offsets.i64", dir);
    ok &= write_file(path, d->offsets, (ng + 1) * sizeof(int64_t)) == 0;
    snprintf(path, sizeof path, "%s/day.i32", dir);
    ok &= write_file(path, d->day, nr * sizeof(int32_t)) == 0;
    snprintf(path, sizeof path, "%s/score.f64", dir);
    ok &= write_file(path, d->score, nr * sizeof(double)) == 0;
    if (ok) {
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "'%s' '%s' --dir '%s' --scale-rows %zu",
                 o->python, MLG_BENCH_NUMPY_SCRIPT, dir, d->n_rows);
        FILE *p = popen(cmd, "r");
        if (p) {
            char line[1024];
            while (fgets(line, sizeof line, p)) {
                /* kind name rows seconds scaled_seconds */
                char kind[16], name[48];
                double sec = 0, scaled = 0;
                size_t r = 0;
                if (sscanf(line, "%15s %47s %zu %lf %lf", kind, name, &r, &sec,
                           &scaled) == 5) {
                    row *x = add_row();
                    snprintf(x->kind, sizeof x->kind, "%s", kind);
                    snprintf(x->name, sizeof x->name, "%s", name);
                    x->threads = 1;
                    x->groups = ng;
                    x->rows = r;
                    x->bytes = (ng + 1) * 8 + r * 12;
                    x->best = x->median = sec;
                    print_row(x);
                    if (json) {
                        fprintf(json, "%s\n    {\"kind\": \"%s\", \"name\": \"%s\", "
                                      "\"rows\": %zu, \"seconds\": ",
                                *first ? "" : ",", kind, name, r);
                        json_num(json, sec);
                        fprintf(json, ", \"scaled_seconds_full_preset\": ");
                        json_num(json, scaled);
                        fprintf(json, "}");
                        *first = 0;
                    }
                } else {
                    fprintf(stderr, "python: %s", line);
                }
            }
            const int rc = pclose(p);
            if (rc != 0)
                fprintf(stderr, "# bench_numpy.py exited with %d (skipped)\n", rc);
        }
    }
    snprintf(path, sizeof path, "%s/offsets.i64", dir);
    remove(path);
    snprintf(path, sizeof path, "%s/day.i32", dir);
    remove(path);
    snprintf(path, sizeof path, "%s/score.f64", dir);
    remove(path);
    rmdir(dir);
}


#ifdef BENCH_HAVE_ROLLUP_HEADER
/* District roll-up: the bulletin's grade-3 catalogue (targets -> domains ->
 * ELA/MATH composites, BUL-2332.7 Att. A) run over every student, from the
 * target values of one batch (mean).  Generator targets are matched to
 * catalogue targets by id; catalogue targets the generator lacks take the
 * value of generator target (t mod targets), clamped to their scale. */
static void run_rollup(const options *o, const mlg_gen_data *d,
                       const double *value)
{
    mlg_catalogue *cat = NULL;
    mlg_errinfo e;
    int rc = mlg_catalogue_create(&cat);
    if (rc == MLG_OK)
        rc = mlg_catalogue_add_bulletin_grade3(cat, NULL, NULL, &e);
    /* The generator's targets, linked to their domain or ELA strand. */
    for (int32_t g = 0; rc == MLG_OK && g < d->targets; g++) {
        char code[32], parent[32];
        mlg_gen_target_code(g, code, sizeof code);
        if (code[0] == '3') { /* 3.OA.A.1 -> 3.OA */
            const size_t n = strcspn(code + 2, ".");
            snprintf(parent, sizeof parent, "%.*s", (int)(n + 2), code);
        } else {
            snprintf(parent, sizeof parent, "%s",
                     strncmp(code, "RF", 2) == 0  ? "ELA.RF"
                     : code[0] == 'R'             ? "ELA.MM"
                     : code[0] == 'W'             ? "ELA.WR"
                     : strncmp(code, "SL", 2) == 0 ? "ELA.SL"
                     : code[0] == 'L'             ? "ELA.LV"
                                                  : "ELA.MM");
        }
        rc = mlg_catalogue_add(cat, code, NULL, MLG_NODE_TARGET, NULL, NULL, 1,
                               &e);
        if (rc == MLG_OK)
            rc = mlg_catalogue_link(cat, parent, code, 1.0, &e);
    }
    if (rc == MLG_OK)
        rc = mlg_catalogue_finalize(cat, &e);
    if (rc != MLG_OK) {
        printf("# rollup\tskipped: catalogue: %s: %s\n", mlg_errname(rc),
               e.message);
        mlg_catalogue_free(cat);
        return;
    }
    const size_t T = mlg_catalogue_target_count(cat);
    const size_t N = mlg_catalogue_node_count(cat);
    const size_t ns = (size_t)d->students, gt = (size_t)d->targets;
    size_t *src = malloc(T * sizeof *src);
    double *lo = malloc(T * sizeof *lo), *hi = malloc(T * sizeof *hi);
    double *tv = malloc(ns * T * sizeof *tv);
    double *nv = malloc(ns * N * sizeof *nv);
    int32_t *nl = malloc(ns * N * sizeof *nl), *nf = malloc(ns * N * sizeof *nf);
    if (!src || !lo || !hi || !tv || !nv || !nl || !nf) {
        printf("# rollup\tskipped: out of memory\n");
        goto done;
    }
    for (size_t t = 0; t < T; t++) {
        src[t] = t % gt;
        lo[t] = 1;
        hi[t] = 4;
        size_t node;
        mlg_scale sc;
        if (mlg_catalogue_target_node(cat, t, &node) == MLG_OK &&
            mlg_catalogue_node_scale(cat, node, &sc) == MLG_OK) {
            lo[t] = sc.score_min;
            hi[t] = sc.score_max;
        }
    }
    for (size_t g = 0; g < gt; g++) {
        char code[32];
        size_t t;
        mlg_gen_target_code((int32_t)g, code, sizeof code);
        if (mlg_catalogue_find_target(cat, code, &t) == MLG_OK)
            src[t] = g;
    }
    for (size_t st = 0; st < ns; st++)
        for (size_t t = 0; t < T; t++) {
            double v = value[st * gt + src[t]];
            if (!isnan(v))
                v = v < lo[t] ? lo[t] : v > hi[t] ? hi[t] : v;
            tv[st * T + t] = v;
        }
    memset(nv, 0, ns * N * sizeof *nv);
    memset(nl, 0, ns * N * sizeof *nl);
    memset(nf, 0, ns * N * sizeof *nf);
    printf("# rollup_catalogue\tbulletin grade 3: %zu nodes, %zu targets, "
           "%zu students\n", N, T, ns);
    double times[MAX_ROUNDS];
    uint64_t h0 = 0;
    int same = 1;
    for (int ti = 0; ti < o->n_threads; ti++) {
        const int th = o->threads[ti];
        rc = mlg_rollup_run(cat, ns, tv, th, nv, nl, nf, &e);
        for (int k = 0; k < o->rounds && rc == MLG_OK; k++) {
            const double t0 = now_s();
            rc = mlg_rollup_run(cat, ns, tv, th, nv, nl, nf, &e);
            times[k] = now_s() - t0;
        }
        row *r = add_row();
        snprintf(r->kind, sizeof r->kind, "rollup");
        snprintf(r->name, sizeof r->name, "bulletin_grade3");
        r->threads = th;
        r->groups = ns;
        r->rows = ns * T;
        r->bytes = ns * T * sizeof(double);
        r->status = rc;
        if (rc == MLG_OK) {
            qsort(times, (size_t)o->rounds, sizeof *times, cmp_double);
            r->best = times[0];
            r->median = times[o->rounds / 2];
            const uint64_t h = hash_outputs(ns * N, nv, nl, nf);
            if (ti == 0)
                h0 = h;
            else if (h != h0)
                same = 0;
            r->bitwise_equal = o->n_threads > 1 ? same : -1;
        } else {
            fprintf(stderr, "rollup: %s: %s\n", mlg_errname(rc), e.message);
        }
        print_row(r);
    }
done:
    free(src);
    free(lo);
    free(hi);
    free(tv);
    free(nv);
    free(nl);
    free(nf);
    mlg_catalogue_free(cat);
}
#endif

/* --------------------------------------------------------------- main -- */

static int parse_threads(const char *s, options *o)
{
    o->n_threads = 0;
    while (*s && o->n_threads < MAX_THREAD_COUNTS) {
        char *end;
        const long v = strtol(s, &end, 10);
        if (end == s || v < 0 || v > 1024)
            return -1;
        o->threads[o->n_threads++] = (int)v;
        s = end;
        if (*s == ',')
            s++;
        else if (*s)
            return -1;
    }
    return o->n_threads > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    options o;
    memset(&o, 0, sizeof o);
    o.preset = "small";
    o.rounds = 5;
    o.n_threads = 2;
    o.threads[0] = 1;
    o.threads[1] = 2;
    o.methods = "hot";
    o.naive = 1;
    o.rollup = 1;
    o.python = "/usr/bin/python3";
    o.python_rows = 2000000;
    long long students = -1, targets = -1;
    double evidence = -1;
    int continuous = 0, weights = 0, status = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED_ARG                                                               \
    do {                                                                       \
        if (!v) {                                                              \
            usage(stderr);                                                     \
            return 2;                                                          \
        }                                                                      \
        i++;                                                                   \
    } while (0)
        if (strcmp(a, "--preset") == 0) {
            NEED_ARG;
            o.preset = v;
        } else if (strcmp(a, "--students") == 0) {
            NEED_ARG;
            students = atoll(v);
        } else if (strcmp(a, "--targets") == 0) {
            NEED_ARG;
            targets = atoll(v);
        } else if (strcmp(a, "--evidence") == 0) {
            NEED_ARG;
            evidence = atof(v);
        } else if (strcmp(a, "--seed") == 0) {
            NEED_ARG;
            o.have_seed = 1;
            o.seed = strtoull(v, NULL, 10);
        } else if (strcmp(a, "--rounds") == 0) {
            NEED_ARG;
            o.rounds = atoi(v);
            if (o.rounds < 1 || o.rounds > MAX_ROUNDS) {
                fprintf(stderr, "--rounds must be 1..%d\n", MAX_ROUNDS);
                return 2;
            }
        } else if (strcmp(a, "--threads") == 0) {
            NEED_ARG;
            if (parse_threads(v, &o) != 0) {
                fprintf(stderr, "bad --threads list\n");
                return 2;
            }
        } else if (strcmp(a, "--methods") == 0) {
            NEED_ARG;
            o.methods = v;
        } else if (strcmp(a, "--json") == 0) {
            NEED_ARG;
            o.json = v;
        } else if (strcmp(a, "--python") == 0) {
            NEED_ARG;
            o.python = v;
        } else if (strcmp(a, "--python-rows") == 0) {
            NEED_ARG;
            o.python_rows = (size_t)atoll(v);
        } else if (strcmp(a, "--no-python") == 0) {
            o.python = NULL;
        } else if (strcmp(a, "--no-rollup") == 0) {
            o.rollup = 0;
        } else if (strcmp(a, "--no-naive") == 0) {
            o.naive = 0;
        } else if (strcmp(a, "--continuous") == 0) {
            continuous = 1;
        } else if (strcmp(a, "--weights") == 0) {
            weights = 1;
        } else if (strcmp(a, "--status") == 0) {
            status = 1;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
#undef NEED_ARG
    }
    if (mlg_gen_preset(o.preset, &o.cfg) != MLG_OK) {
        fprintf(stderr, "unknown preset '%s'\n", o.preset);
        return 2;
    }
    if (o.have_seed)
        o.cfg.seed = o.seed;
    if (students > 0)
        o.cfg.students = students;
    if (targets > 0)
        o.cfg.targets = (int32_t)targets;
    if (evidence > 0)
        o.cfg.evidence_mean = evidence;
    o.cfg.continuous = continuous;
    o.cfg.with_weight = weights;
    o.cfg.with_status = status;
    if (mlg_gen_validate(&o.cfg) != MLG_OK) {
        fprintf(stderr, "bad generator configuration\n");
        return 2;
    }

    /* Header. */
    char cpu[256], commit[160], date[64];
    cpu_model(cpu, sizeof cpu);
    git_commit(commit, sizeof commit);
    const time_t t_now = time(NULL);
    struct tm tm_now;
    gmtime_r(&t_now, &tm_now);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm_now);
    const long cores = sysconf(_SC_NPROCESSORS_ONLN);
    char load0[64];
    loadavg(load0, sizeof load0);
    printf("# libmlg bench_batch %s\n", mlg_version_string());
    printf("# loadavg_start\t%s\n", load0);
    printf("# date\t%s\n# cpu\t%s\n# cores\t%ld\n# compiler\tgcc %s\n"
           "# flags\t%s\n# commit\t%s\n",
           date, cpu, cores, __VERSION__, MLG_BUILD_FLAGS, commit);
    printf("# preset\t%s\n# seed\t%llu\n# students\t%lld\n# targets\t%d\n"
           "# evidence_mean\t%g\n# continuous\t%d\n# weights\t%d\n# status\t%d\n"
           "# rounds\t%d (best and median; one warm-up run first)\n",
           o.preset, (unsigned long long)o.cfg.seed, (long long)o.cfg.students,
           (int)o.cfg.targets, o.cfg.evidence_mean, continuous, weights, status,
           o.rounds);
    fflush(stdout);

    mlg_gen_data d;
    double t0 = now_s();
    int rc = mlg_gen_generate(&o.cfg, &d);
    if (rc != MLG_OK) {
        fprintf(stderr, "generator: %s\n", mlg_strerror(rc));
        return 2;
    }
    const double gen_s = now_s() - t0;
    const size_t in_bytes = mlg_gen_input_bytes(&d);
    const size_t ng = d.n_groups;
    const size_t out_bytes = ng * (sizeof(double) + 2 * sizeof(int32_t));
    printf("# groups\t%zu\n# rows\t%zu\n# input_bytes\t%zu\n# output_bytes\t%zu\n"
           "# generate_s\t%.2f\n",
           ng, d.n_rows, in_bytes, out_bytes, gen_s);

    double *value = malloc(ng ? ng * sizeof *value : 1);
    int32_t *level = malloc(ng ? ng * sizeof *level : 1);
    int32_t *count = malloc(ng ? ng * sizeof *count : 1);
    if (!value || !level || !count) {
        fprintf(stderr, "out of memory for outputs\n");
        return 2;
    }
    /* Touch the outputs once so page faults are not timed. */
    memset(value, 0, ng * sizeof *value);
    memset(level, 0, ng * sizeof *level);
    memset(count, 0, ng * sizeof *count);

    FILE *json = NULL;
    if (o.json) {
        json = fopen(o.json, "w");
        if (!json) {
            fprintf(stderr, "cannot write %s\n", o.json);
            return 2;
        }
        fprintf(json,
                "{\n  \"tool\": \"bench_batch\", \"version\": \"%s\",\n"
                "  \"date\": \"%s\", \"cpu\": \"%s\", \"cores\": %ld,\n"
                "  \"compiler\": \"gcc %s\", \"flags\": \"%s\", \"commit\": \"%s\",\n"
                "  \"preset\": \"%s\", \"seed\": %llu, \"students\": %lld,"
                " \"targets\": %d, \"evidence_mean\": %g,\n"
                "  \"continuous\": %d, \"weights\": %d, \"status\": %d,"
                " \"rounds\": %d,\n"
                "  \"groups\": %zu, \"rows\": %zu, \"input_bytes\": %zu,"
                " \"output_bytes\": %zu, \"generate_s\": %.3f,\n"
                "  \"results\": [",
                mlg_version_string(), date, cpu, cores, __VERSION__,
                MLG_BUILD_FLAGS, commit, o.preset,
                (unsigned long long)o.cfg.seed, (long long)o.cfg.students,
                (int)o.cfg.targets, o.cfg.evidence_mean, continuous, weights,
                status, o.rounds, ng, d.n_rows, in_bytes, out_bytes, gen_s);
    }

    print_row_header();
    int failures = 0;
    double times[MAX_ROUNDS];
    double sink = 0;

    /* (a) Streaming read. */
    double stream_best[MAX_THREAD_COUNTS];
    for (int ti = 0; ti < o.n_threads; ti++) {
        const int th = o.threads[ti] ? o.threads[ti] : (int)cores;
        stream_read(&d, th, &sink); /* warm-up */
        for (int k = 0; k < o.rounds; k++)
            times[k] = stream_read(&d, th, &sink);
        qsort(times, (size_t)o.rounds, sizeof *times, cmp_double);
        row *r = add_row();
        snprintf(r->kind, sizeof r->kind, "stream");
        snprintf(r->name, sizeof r->name, "read_all_columns");
        r->threads = th;
        r->groups = ng;
        r->rows = d.n_rows;
        r->bytes = in_bytes;
        r->best = times[0];
        r->median = times[o.rounds / 2];
        stream_best[ti] = times[0];
        print_row(r);
    }

    /* Batch per method, then the naive baseline. */
    for (int32_t m = 0; m < MLG_METHOD_COUNT; m++) {
        if (!method_selected(o.methods, m))
            continue;
        mlg_method_params p;
        mlg_method_params_init(&p, m);
        uint64_t h_first = 0;
        int bitwise = 1;
        size_t first_row = n_rows_tab;
        for (int ti = 0; ti < o.n_threads; ti++) {
            const int th = o.threads[ti];
            mlg_errinfo e;
            rc = mlg_batch_compute(ng, d.offsets, d.day, d.score, d.weight,
                                   d.status, NULL, &p, th, value, level, count,
                                   &e);
            for (int k = 0; k < o.rounds && rc == MLG_OK; k++) {
                t0 = now_s();
                rc = mlg_batch_compute(ng, d.offsets, d.day, d.score, d.weight,
                                       d.status, NULL, &p, th, value, level,
                                       count, &e);
                times[k] = now_s() - t0;
            }
            row *r = add_row();
            snprintf(r->kind, sizeof r->kind, "batch");
            snprintf(r->name, sizeof r->name, "%s", mlg_method_name(m));
            r->threads = th ? th : (int)cores;
            r->groups = ng;
            r->rows = d.n_rows;
            r->bytes = in_bytes;
            r->status = rc;
            if (rc != MLG_OK) {
                fprintf(stderr, "%s: %s (group %lld row %lld): %s\n",
                        mlg_method_name(m), mlg_errname(rc), (long long)e.group,
                        (long long)e.row, e.message);
                failures++;
                print_row(r);
                break;
            }
            qsort(times, (size_t)o.rounds, sizeof *times, cmp_double);
            r->best = times[0];
            r->median = times[o.rounds / 2];
            r->stream_share = stream_best[ti] / r->best;
            const uint64_t h = hash_outputs(ng, value, level, count);
            if (ti == 0)
                h_first = h;
            else if (h != h_first)
                bitwise = 0;
        }
        if (rc != MLG_OK)
            continue;
        double naive_s = NAN, md = NAN;
        int64_t mm = -1;
        if (o.naive) {
            rc = naive_run(&d, &p, value, level, &naive_s, &md, &mm);
            row *r = add_row();
            snprintf(r->kind, sizeof r->kind, "naive");
            snprintf(r->name, sizeof r->name, "%s", mlg_method_name(m));
            r->threads = 1;
            r->groups = ng;
            r->rows = d.n_rows;
            r->bytes = in_bytes;
            r->best = r->median = naive_s;
            r->status = rc;
            if (rc != MLG_OK || md != 0.0 || mm != 0)
                failures++;
        }
        for (size_t i = first_row; i < n_rows_tab; i++) {
            row *r = &rows_tab[i];
            if (strcmp(r->kind, "batch") == 0) {
                r->bitwise_equal = o.n_threads > 1 ? bitwise : -1;
                r->speedup = naive_s / r->best;
                r->max_diff = md;
                r->level_mismatch = mm;
            }
            print_row(r);
        }
        if (!bitwise)
            failures++;
    }

    /* Peak memory. */
    const double rss = maxrss_bytes();
    const double need = (double)(in_bytes + out_bytes);
    char load1[64];
    loadavg(load1, sizeof load1);
    printf("# loadavg_end_of_batch\t%s\n", load1);
    printf("# peak_rss_bytes\t%.0f\n# input_plus_output_bytes\t%.0f\n"
           "# overhead\t%.2f%%\n",
           rss, need, 100.0 * (rss - need) / need);
    for (int ti = 0; ti < o.n_threads; ti++)
        printf("# stream_bound_rows_per_s_%dthreads\t%.4g\n", o.threads[ti],
               (double)d.n_rows / stream_best[ti]);
    fflush(stdout);
#ifndef BENCH_HAVE_ROLLUP_HEADER
    printf("# rollup\tskipped: include/mlg_rollup.h not present at build time\n");
#else
    if (o.rollup) {
        /* Target values: the mean method, all cores (not timed). */
        mlg_method_params pm;
        mlg_method_params_init(&pm, MLG_METHOD_MEAN);
        if (mlg_batch_compute(ng, d.offsets, d.day, d.score, d.weight,
                              d.status, NULL, &pm, 0, value, level, count,
                              NULL) == MLG_OK)
            run_rollup(&o, &d, value);
    }
#endif

    int first = 1;
    if (json) {
        for (size_t i = 0; i < n_rows_tab; i++) {
            const row *r = &rows_tab[i];
            fprintf(json, "%s\n    {\"kind\": \"%s\", \"name\": \"%s\", "
                          "\"threads\": %d, \"groups\": %zu, \"rows\": %zu, "
                          "\"input_bytes\": %zu, \"best_s\": ",
                    first ? "" : ",", r->kind, r->name, r->threads, r->groups,
                    r->rows, r->bytes);
            first = 0;
            json_num(json, r->best);
            fprintf(json, ", \"median_s\": ");
            json_num(json, r->median);
            fprintf(json, ", \"rows_per_s\": ");
            json_num(json, r->best > 0 ? (double)r->rows / r->best : NAN);
            fprintf(json, ", \"GB_per_s\": ");
            json_num(json, r->best > 0 ? (double)r->bytes / r->best / 1e9 : NAN);
            fprintf(json, ", \"speedup_vs_naive\": ");
            json_num(json, r->speedup);
            fprintf(json, ", \"max_abs_diff\": ");
            json_num(json, r->max_diff);
            fprintf(json, ", \"ns_per_series\": ");
            json_num(json, r->best > 0 && r->groups
                               ? r->best * 1e9 / (double)r->groups : NAN);
            fprintf(json, ", \"pct_of_stream\": ");
            json_num(json, 100.0 * r->stream_share);
            fprintf(json, ", \"level_mismatch\": %lld, \"bitwise_equal_threads\": %s,"
                          " \"status\": \"%s\"}",
                    (long long)r->level_mismatch,
                    r->bitwise_equal < 0 ? "null"
                                         : r->bitwise_equal ? "true" : "false",
                    mlg_errname(r->status));
        }
    }

    if (o.python && access(o.python, X_OK) == 0 &&
        access(MLG_BENCH_NUMPY_SCRIPT, R_OK) == 0)
        run_python(&o, &d, json, &first);
    else if (o.python)
        printf("# python\tskipped: %s or %s not found\n", o.python,
               MLG_BENCH_NUMPY_SCRIPT);

    if (json) {
        fprintf(json, "\n  ],\n  \"loadavg_start\": \"%s\", \"loadavg_end_of_batch\": \"%s\",\n"
                      "  \"peak_rss_bytes\": %.0f, "
                      "\"input_plus_output_bytes\": %.0f,\n"
                      "  \"failures\": %d\n}\n",
                load0, load1, rss, need, failures);
        fclose(json);
    }
    if (sink == 42.4242)
        printf("#\n"); /* keep the streaming sums alive */
    free(value);
    free(level);
    free(count);
    mlg_gen_free(&d);
    free(rows_tab);
    if (failures) {
        fprintf(stderr, "bench_batch: %d check(s) failed\n", failures);
        return 1;
    }
    return 0;
}
