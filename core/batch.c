/* SPDX-License-Identifier: GPL-3.0-or-later */
/* batch.c -- mlg_batch_compute(): many series in CSR form, on threads.
 *
 * This file holds threading, blocking and dispatch; the arithmetic of every
 * method is its kernel in kernels.h, which the block loop below inlines
 * (one instantiation per method, picked from block_loops[] by method) and
 * mlg__series_run() calls through the method table.  The same source under
 * the same flags (-ffp-contract=off) gives the same bits, so results equal
 * mlg_series_compute()'s by construction; tests/test_batch.c still checks
 * every bit.
 *
 * Work is split statically: thread t of T gets the contiguous run of groups
 * whose cost (rows + groups, read from the offsets) falls in the t-th T-th of
 * the total.  Every group is computed by the same code whatever the split,
 * so results are bitwise identical for every thread count.  Each thread owns
 * one scratch buffer sized for its largest group (allocated before any
 * output is written); nothing is allocated per group.
 *
 * The call runs in two phases, each on the same threads' ranges:
 *  1. check the offsets (offsets[g+1] >= offsets[g], group sizes <=
 *     INT32_MAX) and find each range's largest group, so argument errors
 *     leave every output untouched;
 *  2. compute.  Each thread stops at its first failing group; the error
 *     reported is that of the lowest-numbered failing range, hence the first
 *     failing group in group order, whatever the thread count.
 *
 * Without weights and statuses, groups run in the block loop: a block of
 * VALIDATE_BLOCK series is validated in one pass (scores in range, days in
 * order), then each series goes straight to its kernel.  Any group the loop
 * cannot finish -- weights or statuses, a row that fails validation, a fit
 * that is not finite -- goes to mlg__series_run(), which computes it with
 * the same kernel or reports the exact error.  Measured speed:
 * docs/performance.md.
 */
#define _POSIX_C_SOURCE 200809L

#include "kernels.h"

#include <math.h>
#if defined(__SSE2__) && !defined(MLG_BATCH_NO_SIMD)
#include <emmintrin.h>
/* AVX2 versions of the block validation, chosen at run time (the build
 * targets baseline x86-64).  Validation is a yes/no, so vector code cannot
 * change a value. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(MLG_BATCH_NO_AVX2)
#include <immintrin.h>
#define BATCH_AVX2 1
#endif
#endif
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The block loop must inline into each instantiation. */
#if defined(__GNUC__)
#define FORCE_INLINE inline __attribute__((always_inline))
#else
#define FORCE_INLINE inline
#endif

/* More threads than this are never useful here and only cost stacks. */
#define BATCH_MAX_THREADS 256
/* Series validated per pass (block_valid): about 200 KB of rows, which stay
 * in the cache for the compute loop. */
#define VALIDATE_BLOCK 2048

typedef struct batch_job {
    /* Shared, read-only inputs. */
    const int64_t *offsets;
    const int32_t *day;
    const double *score;
    const double *weight;
    const uint8_t *status;
    const mlg_scale *scale;
    const mlg_method_params *params;
    double *value_out;
    int32_t *level_out;
    int32_t *count_out;
    int32_t *status_out;    /* NULL: stop at the first failing group */
    /* This thread's range and results. */
    size_t g0, g1;
    size_t max_n;       /* phase 1: largest group in the range */
    size_t bad_group;   /* phase 1: first bad offset pair, if status != OK */
    void *scratch;
    size_t scratch_bytes;
    const mlg__pow_tab *pt; /* power-law tables (shared, read-only) */
    const double *ln_s;
    int avx2;           /* the CPU has AVX2 (block_valid_avx2) */
    int rc;             /* this range's status */
    mlg_errinfo err;
} batch_job;

/* Phase 1: validate offsets[g0..g1] pairwise and find the largest group. */
static void check_offsets(batch_job *j)
{
    const int64_t *o = j->offsets;
    size_t max_n = 0;
    for (size_t g = j->g0; g < j->g1; g++) {
        /* A negative offset (only possible after a decrease, which an
         * earlier range reports first) is refused before subtracting so the
         * difference cannot overflow. */
        if (o[g] < 0 || o[g + 1] < o[g]) {
            j->rc = MLG_EINVAL;
            j->bad_group = g;
            return;
        }
        const int64_t d = o[g + 1] - o[g];
        if (d > INT32_MAX) {
            j->rc = MLG_EOVERFLOW;
            j->bad_group = g;
            return;
        }
        if ((size_t)d > max_n)
            max_n = (size_t)d;
    }
    j->max_n = max_n;
    j->rc = MLG_OK;
}

static void mark_failed(batch_job *j, size_t g)
{
    j->value_out[g] = NAN;
    if (j->level_out)
        j->level_out[g] = MLG_LEVEL_NA;
    if (j->count_out)
        j->count_out[g] = 0;
}

/* ------------------------------------------------------------------------ */
/* Validation of a block (yes/no)                                             */
/* ------------------------------------------------------------------------ */

/* 1 if rows [0, n), n >= 1, would all pass validation (no weights, no statuses):
 * scores within [lo, hi] (NaN fails), days non-decreasing. */
static inline int rows_ok(const double *s, const int32_t *d, size_t n,
                          double lo, double hi)
{
#if defined(__SSE2__) && !defined(MLG_BATCH_NO_SIMD)
    /* Two scores and four days per step (SSE2 is part of x86-64).  The
     * result is a yes/no, so SIMD cannot change any value. */
    const __m128d vlo = _mm_set1_pd(lo), vhi = _mm_set1_pd(hi);
    __m128d ok = _mm_cmpeq_pd(vlo, vlo); /* all ones (lo is finite) */
    size_t i = 0;
    for (; i + 2 <= n; i += 2) {
        const __m128d x = _mm_loadu_pd(s + i);
        ok = _mm_and_pd(ok, _mm_and_pd(_mm_cmpge_pd(x, vlo),
                                       _mm_cmple_pd(x, vhi)));
    }
    int bad = _mm_movemask_pd(ok) != 3;
    if (i < n)
        bad |= !(s[i] >= lo) | !(s[i] <= hi);
    if (d) {
        __m128i dec = _mm_setzero_si128();
        size_t t = 1;
        for (; t + 4 <= n; t += 4) {
            const __m128i cur = _mm_loadu_si128((const __m128i *)(const void *)(d + t));
            const __m128i prev =
                _mm_loadu_si128((const __m128i *)(const void *)(d + t - 1));
            dec = _mm_or_si128(dec, _mm_cmplt_epi32(cur, prev));
        }
        bad |= _mm_movemask_epi8(dec) != 0;
        for (; t < n; t++)
            bad |= d[t] < d[t - 1];
    }
    return !bad;
#else
    int bad = !(s[0] >= lo) | !(s[0] <= hi);
    if (d)
        for (size_t i = 1; i < n; i++)
            bad |= !(s[i] >= lo) | !(s[i] <= hi) | (d[i] < d[i - 1]);
    else
        for (size_t i = 1; i < n; i++)
            bad |= !(s[i] >= lo) | !(s[i] <= hi);
    return !bad;
#endif
}

#if defined(__SSE2__) && !defined(MLG_BATCH_NO_SIMD)
/* Day decreases at the series' first rows r0 < o[h] < r1 of block [g, ge)
 * (each row once): they are series boundaries, not errors, so a block whose
 * decreases all sit there is in order. */
static int64_t boundary_decreases(const int64_t *o, const int32_t *day,
                                  size_t g, size_t ge)
{
    const int64_t r0 = o[g], r1 = o[ge];
    int64_t nb = 0, prev_r = r0;
    for (size_t h = g + 1; h < ge; h++) {
        const int64_t r = o[h];
        if (r != prev_r && r < r1)
            nb += day[r] < day[r - 1];
        prev_r = r;
    }
    return nb;
}
#endif

/* Validation of a block of series [g, ge) in one pass over its rows, so the
 * per-series code need not loop to check (a loop whose length changes from
 * one series to the next costs a mispredicted branch per series): every
 * score within [lo, hi] (NaN fails), and every day decrease on a series
 * boundary (the number of decreases over the block's rows equals the
 * number at its series' first rows).  1 if every series of the block is
 * valid; 0 sends each of them through rows_ok().  VALIDATE_BLOCK series
 * (about 200 KB of rows) stay in the cache for the compute loop. */
#if defined(__SSE2__) && !defined(MLG_BATCH_NO_SIMD)
static int block_valid(const int64_t *o, const int32_t *day,
                       const double *score, size_t g, size_t ge, double lo,
                       double hi)
{
    const int64_t r0 = o[g], r1 = o[ge];
    if (r1 <= r0)
        return 1;
    const __m128d vlo = _mm_set1_pd(lo), vhi = _mm_set1_pd(hi);
    __m128d ok0 = _mm_cmpeq_pd(vlo, vlo), ok1 = ok0;
    int64_t i = r0;
    for (; i + 4 <= r1; i += 4) {
        const __m128d x0 = _mm_loadu_pd(score + i);
        const __m128d x1 = _mm_loadu_pd(score + i + 2);
        ok0 = _mm_and_pd(ok0, _mm_and_pd(_mm_cmpge_pd(x0, vlo),
                                         _mm_cmple_pd(x0, vhi)));
        ok1 = _mm_and_pd(ok1, _mm_and_pd(_mm_cmpge_pd(x1, vlo),
                                         _mm_cmple_pd(x1, vhi)));
    }
    int bad = _mm_movemask_pd(_mm_and_pd(ok0, ok1)) != 3;
    for (; i < r1; i++)
        bad |= !(score[i] >= lo) | !(score[i] <= hi);
    if (bad)
        return 0;
    if (!day)
        return 1;
    __m128i cnt = _mm_setzero_si128();
    i = r0 + 1;
    for (; i + 4 <= r1; i += 4) {
        const __m128i cur = _mm_loadu_si128((const __m128i *)(const void *)(day + i));
        const __m128i prev =
            _mm_loadu_si128((const __m128i *)(const void *)(day + i - 1));
        cnt = _mm_sub_epi32(cnt, _mm_cmplt_epi32(cur, prev));
    }
    int32_t lane[4];
    _mm_storeu_si128((__m128i *)(void *)lane, cnt);
    int64_t ndec = (int64_t)lane[0] + lane[1] + lane[2] + lane[3];
    for (; i < r1; i++)
        ndec += day[i] < day[i - 1];
    return ndec == 0 || ndec == boundary_decreases(o, day, g, ge);
}
#if defined(BATCH_AVX2)
/* block_valid() four scores and eight days per step: the same yes/no. */
__attribute__((target("avx2")))
static int block_valid_avx2(const int64_t *o, const int32_t *day,
                            const double *score, size_t g, size_t ge,
                            double lo, double hi)
{
    const int64_t r0 = o[g], r1 = o[ge];
    if (r1 <= r0)
        return 1;
    const __m256d vlo = _mm256_set1_pd(lo), vhi = _mm256_set1_pd(hi);
    __m256d ok0 = _mm256_cmp_pd(vlo, vlo, _CMP_EQ_OQ), ok1 = ok0;
    int64_t i = r0;
    for (; i + 8 <= r1; i += 8) {
        const __m256d x0 = _mm256_loadu_pd(score + i);
        const __m256d x1 = _mm256_loadu_pd(score + i + 4);
        ok0 = _mm256_and_pd(ok0, _mm256_and_pd(_mm256_cmp_pd(x0, vlo, _CMP_GE_OQ),
                                               _mm256_cmp_pd(x0, vhi, _CMP_LE_OQ)));
        ok1 = _mm256_and_pd(ok1, _mm256_and_pd(_mm256_cmp_pd(x1, vlo, _CMP_GE_OQ),
                                               _mm256_cmp_pd(x1, vhi, _CMP_LE_OQ)));
    }
    int bad = _mm256_movemask_pd(_mm256_and_pd(ok0, ok1)) != 15;
    for (; i < r1; i++)
        bad |= !(score[i] >= lo) | !(score[i] <= hi);
    if (bad)
        return 0;
    if (!day)
        return 1;
    __m256i cnt = _mm256_setzero_si256();
    i = r0 + 1;
    for (; i + 8 <= r1; i += 8) {
        const __m256i cur = _mm256_loadu_si256((const __m256i *)(const void *)(day + i));
        const __m256i prev =
            _mm256_loadu_si256((const __m256i *)(const void *)(day + i - 1));
        cnt = _mm256_sub_epi32(cnt, _mm256_cmpgt_epi32(prev, cur));
    }
    int32_t lane[8];
    _mm256_storeu_si256((__m256i *)(void *)lane, cnt);
    int64_t ndec = 0;
    for (int l = 0; l < 8; l++)
        ndec += lane[l];
    for (; i < r1; i++)
        ndec += day[i] < day[i - 1];
    return ndec == 0 || ndec == boundary_decreases(o, day, g, ge);
}
#endif
#else
static int block_valid(const int64_t *o, const int32_t *day,
                       const double *score, size_t g, size_t ge, double lo,
                       double hi)
{
    (void)o; (void)day; (void)score; (void)g; (void)ge; (void)lo; (void)hi;
    return 0; /* rows_ok() per series */
}
#endif

/* ------------------------------------------------------------------------ */
/* The block loop, one instantiation per method                              */
/* ------------------------------------------------------------------------ */

/* Groups g.. of j's range through `kernel` (a constant after inlining, so
 * each instantiation inlines its method's kernel); returns the first group
 * it could not finish, for mlg__series_run().  Per group this is
 * mlg__series_run()'s fast path: validation (here a block's at once), the
 * kernel on the caller's arrays, kern_on_scale(), the level. */
static FORCE_INLINE size_t block_loop(batch_job *j, size_t g,
                                      mlg__kernel_fn kernel)
{
    const int64_t *o = j->offsets;
    const int32_t *day = j->day;
    const double *score = j->score;
    const mlg_method_params *p = j->params;
    const double lo = j->scale->score_min, hi = j->scale->score_max;
    const double shift = p->log_shift;
    /* With log_shift + score_min <= 0 some valid scores are outside the
     * log's domain: each series is checked (MLG__MF_LOG_DOMAIN). */
    const int check_domain =
        (mlg__method_table[p->method].flags & MLG__MF_LOG_DOMAIN) &&
        !(shift + lo > 0);
    double *vo = j->value_out;
    int32_t *lvo = j->level_out, *co = j->count_out, *so = j->status_out;
    mlg__level_plan lp;
    mlg__level_plan_init(&lp, j->scale, p->rounding, p->decimals);
    /* Levels of near-threshold values; the key UINT64_MAX is a NaN
     * pattern, which no value (finite here) has. */
    uint64_t memo_key[64];
    int32_t memo_level[64];
    for (size_t i = 0; i < 64; i++) {
        memo_key[i] = UINT64_MAX;
        memo_level[i] = 0;
    }
    mctx c;
    memset(&c, 0, sizeof c);
    c.p = p;
    c.lo = lo;
    c.hi = hi;
    c.a = j->scratch;
    c.b = c.a ? c.a + j->max_n : NULL;
    c.pt = j->pt;
    c.ln_s = j->ln_s;
    size_t block_end = g;
    int block_ok = 0;
    for (; g < j->g1; g++) {
        if (g == block_end) {
            block_end = j->g1 - g > VALIDATE_BLOCK ? g + VALIDATE_BLOCK : j->g1;
#if defined(BATCH_AVX2)
            if (j->avx2)
                block_ok = block_valid_avx2(o, day, score, g, block_end, lo,
                                            hi);
            else
#endif
                block_ok = block_valid(o, day, score, g, block_end, lo, hi);
        }
        const int64_t r0 = o[g];
        const size_t k = (size_t)(o[g + 1] - r0);
        if (k == 0) {
            vo[g] = NAN;
            if (lvo)
                lvo[g] = MLG_LEVEL_NA;
            if (co)
                co[g] = 0;
            if (so)
                so[g] = MLG_OK;
            continue;
        }
        const double *s = score + r0;
        const int32_t *d = day ? day + r0 : NULL;
        if (!block_ok && !rows_ok(s, d, k, lo, hi))
            return g;
        if (check_domain)
            for (size_t i = 0; i < k; i++)
                if (!(s[i] + shift > 0))
                    return g;
        c.s = s;
        c.d = d;
        c.k = k;
        double v = NAN;
        size_t ku = k;
        int na = 0;
        if (kernel(&c, &v, &ku, &na) != MLG_OK)
            return g;
        if (na) {
            vo[g] = NAN;
            if (lvo)
                lvo[g] = MLG_LEVEL_NA;
            if (co)
                co[g] = (int32_t)ku;
            if (so)
                so[g] = MLG_OK;
            continue;
        }
        if (!isfinite(v))
            return g;
        v = kern_on_scale(v, lo, hi);
        vo[g] = v;
        if (lvo) {
            int32_t lv = mlg__level_plan_of(&lp, v);
            if (lv < 0) {
                /* Near a threshold: mlg__level_of() itself, remembered by
                 * the value's bits (means land on 2.5 again and again). */
                uint64_t key;
                memcpy(&key, &v, sizeof key);
                const size_t h = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 58);
                if (memo_key[h] == key) {
                    lv = memo_level[h];
                } else {
                    lv = mlg__level_of(v, j->scale, p->rounding, p->decimals,
                                       NULL);
                    memo_key[h] = key;
                    memo_level[h] = lv;
                }
            }
            lvo[g] = lv;
        }
        if (co)
            co[g] = (int32_t)ku;
        if (so)
            so[g] = MLG_OK;
    }
    return g;
}

#define BLOCK_LOOP(method)                                                     \
    static size_t block_##method(batch_job *j, size_t g)                       \
    {                                                                          \
        return block_loop(j, g, kern_##method);                                \
    }
BLOCK_LOOP(mean)
BLOCK_LOOP(median)
BLOCK_LOOP(mode)
BLOCK_LOOP(most_recent)
BLOCK_LOOP(highest)
BLOCK_LOOP(lowest)
BLOCK_LOOP(recent_mean)
BLOCK_LOOP(recent_median)
BLOCK_LOOP(recent_mode)
BLOCK_LOOP(highest_mean)
BLOCK_LOOP(decaying_average)
BLOCK_LOOP(weighted_average)
BLOCK_LOOP(n_mastery)
BLOCK_LOOP(power_law)
BLOCK_LOOP(linear_trend)
BLOCK_LOOP(best_fit)
BLOCK_LOOP(max_mean_power_law)
BLOCK_LOOP(time_decay)
BLOCK_LOOP(consistent_recent)
#undef BLOCK_LOOP

/* Indexed by MLG_METHOD_*, like the method table. */
static size_t (*const block_loops[MLG_METHOD_COUNT])(batch_job *, size_t) = {
    [MLG_METHOD_MEAN] = block_mean,
    [MLG_METHOD_MEDIAN] = block_median,
    [MLG_METHOD_MODE] = block_mode,
    [MLG_METHOD_MOST_RECENT] = block_most_recent,
    [MLG_METHOD_HIGHEST] = block_highest,
    [MLG_METHOD_LOWEST] = block_lowest,
    [MLG_METHOD_RECENT_MEAN] = block_recent_mean,
    [MLG_METHOD_RECENT_MEDIAN] = block_recent_median,
    [MLG_METHOD_RECENT_MODE] = block_recent_mode,
    [MLG_METHOD_HIGHEST_MEAN] = block_highest_mean,
    [MLG_METHOD_DECAYING_AVERAGE] = block_decaying_average,
    [MLG_METHOD_WEIGHTED_AVERAGE] = block_weighted_average,
    [MLG_METHOD_N_MASTERY] = block_n_mastery,
    [MLG_METHOD_POWER_LAW] = block_power_law,
    [MLG_METHOD_LINEAR_TREND] = block_linear_trend,
    [MLG_METHOD_BEST_FIT] = block_best_fit,
    [MLG_METHOD_MAX_MEAN_POWER_LAW] = block_max_mean_power_law,
    [MLG_METHOD_TIME_DECAY] = block_time_decay,
    [MLG_METHOD_CONSISTENT_RECENT] = block_consistent_recent,
};

/* Phase 2: compute the range.  Without status_out, stop at the first
 * failing group; with it, mark the group and go on.  j->err keeps the
 * range's first failure either way. */
static void compute_range(batch_job *j)
{
    const int64_t *o = j->offsets;
    const mlg_method_params *p = j->params;
    const mlg_scale *s = j->scale;
    const int fast = !j->weight && !j->status;
    int32_t *so = j->status_out;
    size_t g = j->g0;
#if defined(BATCH_AVX2)
    __builtin_cpu_init();
    j->avx2 = __builtin_cpu_supports("avx2") != 0;
#endif
    j->rc = MLG_OK;
    while (g < j->g1) {
        if (fast) {
            g = block_loops[p->method](j, g);
            if (g >= j->g1)
                break;
        }
        const int64_t lo = o[g];
        const size_t n = (size_t)(o[g + 1] - lo);
        mlg_result r;
        mlg_errinfo later;
        const int rc = mlg__series_run(
            n, j->day ? j->day + lo : NULL, j->score + lo,
            j->weight ? j->weight + lo : NULL,
            j->status ? j->status + lo : NULL, s, p, j->scratch, &r, NULL,
            j->rc == MLG_OK ? &j->err : &later, (int64_t)g, lo);
        if (rc != MLG_OK) {
            mark_failed(j, g);
            if (j->rc == MLG_OK)
                j->rc = rc;
            if (!so)
                return;
            so[g] = rc;
            g++;
            continue;
        }
        j->value_out[g] = r.value;
        if (j->level_out)
            j->level_out[g] = r.level;
        if (j->count_out)
            j->count_out[g] = r.n_used;
        if (so)
            so[g] = MLG_OK;
        g++;
    }
}

static void *phase1_main(void *arg)
{
    check_offsets(arg);
    return NULL;
}

static void *phase2_main(void *arg)
{
    compute_range(arg);
    return NULL;
}

/* Run fn on jobs[0..n): jobs 1.. on new threads, job 0 on the caller's.
 * A job whose thread cannot be created runs on the caller's thread after
 * job 0, so every range is still processed exactly once (results do not
 * depend on which thread computes a range). */
static void run_jobs(batch_job *jobs, size_t n, void *(*fn)(void *))
{
    pthread_t tid[BATCH_MAX_THREADS];
    unsigned char started[BATCH_MAX_THREADS];
    for (size_t t = 1; t < n; t++)
        started[t] = pthread_create(&tid[t], NULL, fn, &jobs[t]) == 0;
    fn(&jobs[0]);
    for (size_t t = 1; t < n; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        else
            fn(&jobs[t]); /* could not start a thread: do it here */
    }
}

/* First group whose cost key offsets[g] + g reaches `target` (lower bound);
 * the key is non-decreasing when the offsets are valid. */
static size_t split_point(const int64_t *o, size_t n_groups, uint64_t target)
{
    size_t lo = 0, hi = n_groups;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if ((uint64_t)o[mid] + mid < target)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ------------------------------------------------------------------------ */
/* Workspace                                                                  */
/* ------------------------------------------------------------------------ */

/* What a call allocates, kept between calls: thread states, one scratch
 * buffer per thread slot (grown, never shrunk) and the power-law tables
 * (filled once; their ln(v + log_shift) part each call). */
struct mlg_batch_workspace {
    batch_job *jobs;
    size_t jobs_cap;
    void *scratch[BATCH_MAX_THREADS];
    size_t scratch_cap[BATCH_MAX_THREADS];
    mlg__pow_tab *pt;
};

int mlg_batch_workspace_create(mlg_batch_workspace **out)
{
    if (!out)
        return MLG_ENULL;
    mlg_batch_workspace *ws = calloc(1, sizeof *ws);
    if (!ws)
        return MLG_ENOMEM; /* GCOVR_EXCL_LINE: calloc of a few KB */
    *out = ws;
    return MLG_OK;
}

void mlg_batch_workspace_free(mlg_batch_workspace *ws)
{
    if (!ws)
        return;
    for (size_t t = 0; t < BATCH_MAX_THREADS; t++)
        free(ws->scratch[t]);
    free(ws->jobs);
    free(ws->pt);
    free(ws);
}

int mlg_batch_compute(size_t n_groups, const int64_t *offsets,
                      const int32_t *day, const double *score,
                      const double *weight, const uint8_t *status,
                      const mlg_scale *scale, const mlg_method_params *params,
                      int32_t threads, double *value_out, int32_t *level_out,
                      int32_t *count_out, mlg_errinfo *err)
{
    return mlg_batch_compute_ex(n_groups, offsets, day, score, weight, status,
                                scale, params, threads, value_out, level_out,
                                count_out, NULL, NULL, err);
}

int mlg_batch_compute_ex(size_t n_groups, const int64_t *offsets,
                         const int32_t *day, const double *score,
                         const double *weight, const uint8_t *status,
                         const mlg_scale *scale,
                         const mlg_method_params *params, int32_t threads,
                         double *value_out, int32_t *level_out,
                         int32_t *count_out, int32_t *status_out,
                         mlg_batch_workspace *ws, mlg_errinfo *err)
{
    if (!offsets)
        return mlg__fail(err, MLG_ENULL, -1, -1, "offsets is NULL");
    if (!score)
        return mlg__fail(err, MLG_ENULL, -1, -1, "score is NULL");
    if (!params)
        return mlg__fail(err, MLG_ENULL, -1, -1, "params is NULL");
    if (!value_out)
        return mlg__fail(err, MLG_ENULL, -1, -1, "value_out is NULL");
    /* Bad parameters or scale: the status mlg_series_compute() gives. */
    int rc = mlg_method_params_validate(params);
    if (rc != MLG_OK)
        return mlg__fail(err, rc, -1, -1, "invalid method parameters: %s",
                         mlg_strerror(rc));
    if (!day && (mlg__method_table[params->method].flags & MLG__MF_NEEDS_DAYS))
        return mlg__fail(err, MLG_ENULL, -1, -1,
                         "day is NULL (%s needs days)",
                         mlg__method_table[params->method].name);
    if (!scale)
        scale = mlg__default_scale();
    rc = mlg_scale_validate(scale);
    if (rc != MLG_OK)
        return mlg__fail(err, rc, -1, -1, "invalid scale: %s",
                         mlg_strerror(rc));
    if (threads < 0)
        return mlg__fail(err, MLG_EINVAL, -1, -1, "threads %d < 0",
                         (int)threads);
    if (offsets[0] != 0)
        return mlg__fail(err, MLG_EINVAL, 0, -1, "offsets[0] is %lld, not 0",
                         (long long)offsets[0]);
    if (n_groups > (size_t)INT64_MAX - 1)
        return mlg__fail(err, MLG_EOVERFLOW, -1, -1, "too many groups");
    if (n_groups == 0)
        return MLG_OK;

    size_t nt = threads;
    if (nt == 0) {
        const long c = sysconf(_SC_NPROCESSORS_ONLN);
        nt = c > 0 ? (size_t)c : 1;
    }
    if (nt > BATCH_MAX_THREADS)
        nt = BATCH_MAX_THREADS;
    if (nt > n_groups)
        nt = n_groups;

    /* Per-thread state, allocated before any output is written. */
    batch_job *jobs;
    if (ws) {
        if (ws->jobs_cap < nt) {
            batch_job *grown = realloc(ws->jobs, nt * sizeof *grown);
            if (!grown)
                return mlg__fail(err, MLG_ENOMEM, -1, -1,
                                 "cannot allocate %zu thread states", nt);
            ws->jobs = grown;
            ws->jobs_cap = nt;
        }
        jobs = ws->jobs;
        memset(jobs, 0, nt * sizeof *jobs);
    } else {
        jobs = calloc(nt, sizeof *jobs);
        if (!jobs)
            return mlg__fail(err, MLG_ENOMEM, -1, -1,
                             "cannot allocate %zu thread states", nt);
    }
    /* Static partition by cost = rows + groups. */
    const uint64_t total = (uint64_t)offsets[n_groups] + n_groups;
    size_t prev = 0;
    for (size_t t = 0; t < nt; t++) {
        batch_job *j = &jobs[t];
        j->offsets = offsets;
        j->day = day;
        j->score = score;
        j->weight = weight;
        j->status = status;
        j->scale = scale;
        j->params = params;
        j->value_out = value_out;
        j->level_out = level_out;
        j->count_out = count_out;
        j->status_out = status_out;
        j->g0 = prev;
        size_t end = n_groups;
        if (t + 1 < nt) {
            /* offsets[n_groups] may be garbage until phase 1 ran: the split
             * is clamped into [prev, n_groups] whatever it reads. */
            const uint64_t target =
                total / nt * (t + 1) + total % nt * (t + 1) / nt;
            end = split_point(offsets, n_groups, target);
            if (end < prev)
                end = prev;
        }
        j->g1 = end;
        prev = end;
    }

    /* Phase 1: offsets. */
    run_jobs(jobs, nt, phase1_main);
    rc = MLG_OK;
    for (size_t t = 0; t < nt && rc == MLG_OK; t++) {
        const batch_job *j = &jobs[t];
        if (j->rc == MLG_EINVAL)
            rc = mlg__fail(err, MLG_EINVAL, (int64_t)j->bad_group, -1,
                           "offsets decrease at group %zu (%lld < %lld)",
                           j->bad_group, (long long)offsets[j->bad_group + 1],
                           (long long)offsets[j->bad_group]);
        else if (j->rc == MLG_EOVERFLOW)
            rc = mlg__fail(err, MLG_EOVERFLOW, (int64_t)j->bad_group, -1,
                           "group %zu has more than INT32_MAX rows",
                           j->bad_group);
    }

    /* Scratch and tables, allocated before any output is written.  The
     * power-law tables serve the fitted methods of the block loop. */
    mlg__pow_tab *pt = NULL;
    double *ln_s = NULL;
    const int want_tab = !weight && !status &&
        (mlg__method_table[params->method].keys &
         MLG__PK_BIT(MLG__PK_LOG_SHIFT)) != 0;
    if (rc == MLG_OK && want_tab) {
        pt = ws ? ws->pt : NULL;
        if (!pt) {
            pt = malloc(sizeof *pt + KERN_COUNT_VALUES * sizeof(double));
            if (pt) {
                mlg__pow_tab_fill(pt);
                if (ws)
                    ws->pt = pt;
            }
        }
        if (!pt) {
            rc = mlg__fail(err, MLG_ENOMEM, -1, -1,
                           "cannot allocate the power-law tables");
        } else {
            /* The same double ln_shifted() would compute. */
            ln_s = (double *)(void *)(pt + 1);
            for (int v = 0; v < KERN_COUNT_VALUES; v++)
                ln_s[v] = log((double)v + params->log_shift);
        }
    }
    for (size_t t = 0; t < nt && rc == MLG_OK; t++) {
        batch_job *j = &jobs[t];
        j->pt = pt;
        j->ln_s = ln_s;
        j->scratch_bytes = mlg__scratch_bytes(j->max_n, params);
        if (!j->scratch_bytes)
            continue;
        if (ws && ws->scratch_cap[t] >= j->scratch_bytes) {
            j->scratch = ws->scratch[t];
            continue;
        }
        j->scratch = j->scratch_bytes == SIZE_MAX
                         ? NULL : malloc(j->scratch_bytes);
        if (!j->scratch) {
            rc = mlg__fail(err, MLG_ENOMEM, -1, -1,
                           "cannot allocate %zu scratch bytes",
                           j->scratch_bytes);
        } else if (ws) {
            free(ws->scratch[t]);
            ws->scratch[t] = j->scratch;
            ws->scratch_cap[t] = j->scratch_bytes;
        }
    }

    /* Phase 2: compute. */
    if (rc == MLG_OK) {
        run_jobs(jobs, nt, phase2_main);
        for (size_t t = 0; t < nt; t++)
            if (jobs[t].rc != MLG_OK) {
                rc = jobs[t].rc;
                if (err)
                    *err = jobs[t].err;
                break;
            }
    }
    if (!ws) {
        for (size_t t = 0; t < nt; t++)
            free(jobs[t].scratch);
        free(jobs);
        free(pt);
    }
    return rc;
}

