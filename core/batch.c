/* batch.c -- mlg_batch_compute(): many series in CSR form, on threads.
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
 * Each group goes through mlg__series_run() (core/methods.c), except that
 * without weights and statuses the hot methods run in the fast kernels at
 * the end of this file: bit-for-bit replicas of methods.c's arithmetic,
 * checked against mlg_series_compute() by tests/test_batch.c.  When
 * methods.c changes its arithmetic those tests fail until the replicas
 * follow.  Measured speed: docs/performance.md.
 */
#define _POSIX_C_SOURCE 200809L

#include "mlg_internal.h"

#include <gsl/gsl_sf_gamma.h>

#include <math.h>
#if defined(__SSE2__) && !defined(MLG_BATCH_NO_SIMD)
#include <emmintrin.h>
/* AVX2 versions of the block validation, chosen at run time (the build
 * targets baseline x86-64). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(MLG_BATCH_NO_AVX2)
#include <immintrin.h>
#define BATCH_AVX2 1
#endif
#endif
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The hot per-group helpers must inline into the group loop. */
#if defined(__GNUC__)
#define FORCE_INLINE inline __attribute__((always_inline))
#else
#define FORCE_INLINE inline
#endif

/* More threads than this are never useful here and only cost stacks. */
#define BATCH_MAX_THREADS 256

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
    /* This thread's range and results. */
    size_t g0, g1;
    size_t max_n;       /* phase 1: largest group in the range */
    size_t bad_group;   /* phase 1: first bad offset pair, if status != OK */
    void *scratch;
    size_t scratch_bytes;
    const double *pl_tab; /* power-law log tables (shared, read-only) */
    int64_t *prefix;      /* means: PREFIX_ROWS + 1 integer prefix sums,
                             then PREFIX_ROWS int32 scores */
    /* Level conversion state of the fast kernels (per thread). */
    int32_t n_thr;
    int fast_ok;
    int avx2;           /* the CPU has AVX2 (block_valid_avx2) */
    double thr[MLG_SCALE_MAX_LEVELS];
    double band;
    uint64_t cache_key[64];
    int32_t cache_level[64];
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

/* Fast kernels: see below. */
#define COUNT_VALUES 16 /* counting kernels: whole scores 0..15 */
#define VALIDATE_BLOCK 2048 /* series validated per pass (block_valid) */
#define PREFIX_ROWS 32768   /* rows of a block's integer prefix sums */
#define POW_TAB_K 64    /* power-law tables cover series of up to 64 rows */
typedef struct pow_tab {
    double x[POW_TAB_K + 1][POW_TAB_K];
    double sx[POW_TAB_K + 1], mx[POW_TAB_K + 1], den[POW_TAB_K + 1];
    double shift_x[POW_TAB_K + 1];
} pow_tab;
static size_t fast_range(batch_job *j, size_t g);
static void fast_init(batch_job *j);
static void pow_tab_fill(pow_tab *t);

static void mark_failed(batch_job *j, size_t g)
{
    j->value_out[g] = NAN;
    if (j->level_out)
        j->level_out[g] = MLG_LEVEL_NA;
    if (j->count_out)
        j->count_out[g] = 0;
}

/* Phase 2: compute the range; stop at the first failing group. */
static void compute_range(batch_job *j)
{
    const int64_t *o = j->offsets;
    const mlg_method_params *p = j->params;
    const mlg_scale *s = j->scale;
    size_t g = j->g0;

    fast_init(j);
    /* Fast kernels for the hot methods (below).  They return the
     * first group they could not finish (bad data, or a case they do not
     * handle); the general kernel takes that group, which also produces the
     * exact error. */
    while (g < j->g1) {
        g = fast_range(j, g);
        if (g >= j->g1)
            break;
        const int64_t lo = o[g];
        const size_t n = (size_t)(o[g + 1] - lo);
        mlg_result r;
        const int rc = mlg__series_run(
            n, j->day ? j->day + lo : NULL, j->score + lo,
            j->weight ? j->weight + lo : NULL,
            j->status ? j->status + lo : NULL, s, p, j->scratch, &r, NULL,
            &j->err, (int64_t)g, lo);
        if (rc != MLG_OK) {
            j->rc = rc;
            mark_failed(j, g);
            return;
        }
        j->value_out[g] = r.value;
        if (j->level_out)
            j->level_out[g] = r.level;
        if (j->count_out)
            j->count_out[g] = r.n_used;
        g++;
    }
    j->rc = MLG_OK;
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

int mlg_batch_compute(size_t n_groups, const int64_t *offsets,
                      const int32_t *day, const double *score,
                      const double *weight, const uint8_t *status,
                      const mlg_scale *scale, const mlg_method_params *params,
                      int32_t threads, double *value_out, int32_t *level_out,
                      int32_t *count_out, mlg_errinfo *err)
{
    if (!offsets)
        return mlg__fail(err, MLG_ENULL, -1, -1, "offsets is NULL");
    if (!score)
        return mlg__fail(err, MLG_ENULL, -1, -1, "score is NULL");
    if (!params)
        return mlg__fail(err, MLG_ENULL, -1, -1, "params is NULL");
    if (!value_out)
        return mlg__fail(err, MLG_ENULL, -1, -1, "value_out is NULL");
    if (!day && params->method == MLG_METHOD_TIME_DECAY)
        return mlg__fail(err, MLG_ENULL, -1, -1,
                         "day is NULL (time_decay needs days)");
    int rc = mlg_method_params_validate(params);
    if (rc != MLG_OK)
        return mlg__fail(err, MLG_EINVAL, -1, -1,
                         "invalid method parameters (%s)", mlg_errname(rc));
    if (!scale)
        scale = mlg__default_scale();
    rc = mlg_scale_validate(scale);
    if (rc != MLG_OK)
        return mlg__fail(err, MLG_EINVAL, -1, -1, "invalid scale (%s)",
                         mlg_errname(rc));
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
    batch_job *jobs = calloc(nt, sizeof *jobs);
    if (!jobs)
        return mlg__fail(err, MLG_ENOMEM, -1, -1,
                         "cannot allocate %zu thread states", nt);
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

    /* Scratch and tables, allocated before any output is written. */
    double *pl_tab = NULL;
    /* Means of whole scores use exact integer prefix sums (see fast_range);
     * |score| < 2^31 keeps PREFIX_ROWS of them far below 2^53. */
    const double mag = fabs(scale->score_min) > fabs(scale->score_max)
                           ? fabs(scale->score_min) : fabs(scale->score_max);
    const int want_prefix =
        !weight && !status && mag < 2147483647.0 &&
        (params->method == MLG_METHOD_MEAN ||
         params->method == MLG_METHOD_RECENT_MEAN ||
         params->method == MLG_METHOD_WEIGHTED_AVERAGE ||
         params->method == MLG_METHOD_POWER_LAW);
    if (rc == MLG_OK && params->method == MLG_METHOD_POWER_LAW && !weight &&
        !status) {
        pl_tab = malloc(sizeof(pow_tab) + COUNT_VALUES * sizeof(double));
        if (!pl_tab) {
            rc = mlg__fail(err, MLG_ENOMEM, -1, -1,
                           "cannot allocate the power-law tables");
        } else {
            memset(pl_tab, 0, sizeof(pow_tab));
            pow_tab_fill((pow_tab *)(void *)pl_tab);
            double *ln_s = pl_tab + sizeof(pow_tab) / sizeof(double);
            for (int v = 0; v < COUNT_VALUES; v++)
                ln_s[v] = log((double)v + params->log_shift);
        }
    }
    for (size_t t = 0; t < nt && rc == MLG_OK; t++) {
        batch_job *j = &jobs[t];
        j->pl_tab = pl_tab;
        if (want_prefix) {
            /* int64 prefix sums, then the int32 scores of a block. */
            j->prefix = malloc((PREFIX_ROWS + 1) * sizeof *j->prefix +
                               PREFIX_ROWS * sizeof(int32_t));
            if (!j->prefix) {
                rc = mlg__fail(err, MLG_ENOMEM, -1, -1,
                               "cannot allocate prefix sums");
                break;
            }
        }
        j->scratch_bytes = mlg__scratch_bytes(j->max_n, params);
        if (j->scratch_bytes) {
            j->scratch = j->scratch_bytes == SIZE_MAX
                             ? NULL : malloc(j->scratch_bytes);
            if (!j->scratch)
                rc = mlg__fail(err, MLG_ENOMEM, -1, -1,
                               "cannot allocate %zu scratch bytes",
                               j->scratch_bytes);
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
    for (size_t t = 0; t < nt; t++) {
        free(jobs[t].scratch);
        free(jobs[t].prefix);
    }
    free(jobs);
    free(pl_tab);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Fast kernels                                                               */
/* ------------------------------------------------------------------------ */

/* When the caller passes no weights and no statuses, the hot methods run
 * here instead of mlg__series_run().  They are exact replicas of the
 * arithmetic in core/methods.c (same operations in the same order; the
 * build uses no -ffast-math and ISO C mode, so no contraction into FMA), and
 * tests/test_batch.c compares every output bit with mlg_series_compute().
 * Any group they cannot finish -- a row that fails validation, a score that
 * is not a small whole number for the counting kernels, a fit that is not
 * finite, a value whose level needs the exact rounding step and cannot get
 * it -- goes to mlg__series_run(), which then also reports the exact error.
 *
 * Levels.  mlg_value_to_level() first rounds the value to params.decimals,
 * then counts the thresholds (midpoints, level values or cuts) the rounded
 * value reaches.  Rounding moves a value by at most half a unit in the last
 * kept decimal, so a value farther than one unit (`band`) from every
 * threshold has the level of its unrounded self: count directly.  Values
 * inside the band (2.5 exactly, for instance) ask mlg_value_to_level() itself
 * -- the very function mlg__series_run() calls -- through a small per-thread
 * cache keyed by the value's bits, since such values repeat. */


static void fast_init(batch_job *j)
{
    const mlg_scale *sc = j->scale;
    const mlg_method_params *p = j->params;
    const int32_t n = sc->n_levels;
    j->n_thr = n - 1;
    for (int32_t i = 1; i < n; i++) {
        switch (p->rounding) {
        case MLG_ROUND_HALF_UP:
        case MLG_ROUND_HALF_EVEN:
            j->thr[i - 1] = sc->value[i - 1] / 2 + sc->value[i] / 2;
            break;
        case MLG_ROUND_FLOOR:
            j->thr[i - 1] = sc->value[i];
            break;
        default:
            j->thr[i - 1] = sc->cut[i];
            break;
        }
    }
    double band = 0.0;
    if (p->decimals >= 0) {
        band = 1.0;
        for (int32_t d = 0; d < p->decimals; d++)
            band /= 10.0;
        band *= 1.5; /* margin over the half unit rounding can move */
    }
    j->band = band;
    for (size_t i = 0; i < 64; i++) {
        j->cache_key[i] = UINT64_MAX; /* a NaN pattern no value has */
        j->cache_level[i] = 0;
    }
    j->fast_ok = !j->weight && !j->status;
#if defined(BATCH_AVX2)
    __builtin_cpu_init();
    j->avx2 = __builtin_cpu_supports("avx2") != 0;
#endif
}

static uint64_t dbits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

/* Level of a finite value, or -2 if it could not be had (the caller then
 * hands the group to mlg__series_run()). */
static int32_t level_slow(batch_job *j, double x)
{
    const uint64_t key = dbits(x);
    const size_t h = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 58);
    if (j->cache_key[h] == key)
        return j->cache_level[h];
    int32_t lv;
    if (mlg_value_to_level(x, j->scale, j->params, &lv, NULL) != MLG_OK)
        return -2;
    j->cache_key[h] = key;
    j->cache_level[h] = lv;
    return lv;
}

/* thr, n_thr and band are the caller's local copies of j's (locals cannot
 * alias the output arrays, so they stay in registers). */
static FORCE_INLINE int32_t level_of(batch_job *j, const double *thr,
                                     int32_t n_thr, double band, double x)
{
    int32_t lv = 0;
    int near = 0;
    for (int32_t i = 0; i < n_thr; i++) {
        lv += x >= thr[i];
        near |= fabs(x - thr[i]) <= band;
    }
    /* The cache is probed every time so that whether a value is near a
     * threshold (often, for means: 2.5) costs a select, not a branch; only
     * a near value missing from the cache takes the call. */
    const uint64_t key = dbits(x);
    const size_t h = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 58);
    const int hit = j->cache_key[h] == key;
    const int32_t cached = j->cache_level[h];
    if (near & !hit)
        return level_slow(j, x);
    return near ? cached : lv;
}

#if defined(__SSE2__) && !defined(MLG_BATCH_NO_SIMD)
/* level_of() for scales of up to 5 levels: the thresholds in t01, t23
 * (padded with +inf, which no finite value reaches or comes near), all
 * compared at once.  Each lane makes level_of()'s comparisons (x >= thr,
 * |x - thr| <= band) on the same doubles, so the level is the same. */
static FORCE_INLINE int32_t level_of4(batch_job *j, __m128d t01, __m128d t23,
                                      __m128d vband, double x)
{
    static const int8_t ones[16] = {0, 1, 1, 2, 1, 2, 2, 3,
                                    1, 2, 2, 3, 2, 3, 3, 4};
    const __m128d vx = _mm_set1_pd(x);
    const __m128d mag = _mm_castsi128_pd(_mm_set1_epi64x(INT64_MAX));
    const int reach = _mm_movemask_pd(_mm_cmpge_pd(vx, t01)) |
                      _mm_movemask_pd(_mm_cmpge_pd(vx, t23)) << 2;
    const int near =
        (_mm_movemask_pd(_mm_cmple_pd(_mm_and_pd(_mm_sub_pd(vx, t01), mag),
                                      vband)) |
         _mm_movemask_pd(_mm_cmple_pd(_mm_and_pd(_mm_sub_pd(vx, t23), mag),
                                      vband))) != 0;
    const uint64_t key = dbits(x);
    const size_t h = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 58);
    const int hit = j->cache_key[h] == key;
    const int32_t cached = j->cache_level[h];
    if (near & !hit)
        return level_slow(j, x);
    return near ? cached : ones[reach];
}
#endif
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

/* methods.c sum4(): blocks of SUM_BLOCK rows, each summed in four lanes
 * combined as (l0+l1)+(l2+l3), the block sums added to a running total. */
#define SUM_BLOCK 64
static inline double fsum4(const double *x, size_t m)
{
    double total = 0;
    for (size_t a = 0; a < m; a += SUM_BLOCK) {
        const size_t e = m - a < SUM_BLOCK ? m : a + SUM_BLOCK;
        double l0 = 0, l1 = 0, l2 = 0, l3 = 0;
        size_t i = a;
        for (; i + 4 <= e; i += 4) {
            l0 += x[i];
            l1 += x[i + 1];
            l2 += x[i + 2];
            l3 += x[i + 3];
        }
        for (; i < e; i++)
            l0 += x[i];
        total += (l0 + l1) + (l2 + l3);
    }
    return total;
}

/* methods.c extreme(): the loop keeps ties' later row (>= / <=), which only
 * matters for -0.0 vs 0.0, and is copied as is. */
static inline double fextreme(const double *s, size_t lo, size_t k,
                              int want_max)
{
    double v = s[lo];
    for (size_t i = lo + 1; i < k; i++) {
        const double x = s[i];
        if (want_max ? x >= v : x <= v)
            v = x;
    }
    return v;
}

/* Histogram of whole scores 0..15 over s[a, k); 0 if some score is not
 * one (or is -0.0, whose sign the sorting path would keep). */
static inline int histogram(const double *s, size_t a, size_t k,
                            uint32_t *cnt, uint32_t *last, int nb)
{
    memset(cnt, 0, (size_t)nb * sizeof *cnt);
    for (size_t i = a; i < k; i++) {
        const double x = s[i];
        if (!(x >= 0.0 && x < (double)nb))
            return 0;
        const int v = (int)x;
        if ((double)v != x || (v == 0 && signbit(x)))
            return 0;
        cnt[v]++;
        if (last)
            last[v] = (uint32_t)i;
    }
    return 1;
}

/* methods.c median_range() without weights: with the m scores sorted into
 * a[], a[m/2] when m is odd or a[m/2-1] == a[m/2], else the mean of those
 * two (a run of equal scores ending exactly at half the count). */
static inline double count_median(const uint32_t *cnt, size_t m)
{
    const size_t r2 = m / 2;
    size_t cum = 0;
    int v = 0;
    while (cum + cnt[v] <= r2)
        cum += cnt[v++];
    /* v holds rank r2; rank r2 - 1 is v too unless cum == r2. */
    if (m % 2 == 1 || cum < r2)
        return (double)v;
    int u = v - 1;
    while (cnt[u] == 0)
        u--;
    return ((double)u + (double)v) / 2;
}

/* methods.c mode_range() without weights: the most frequent score; equal
 * counts broken by params.tie (the runs are visited in ascending score
 * order, as after sorting). */
static inline double count_mode(const uint32_t *cnt, const uint32_t *last,
                                int32_t tie, int nb)
{
    int64_t best_w = -1;
    uint32_t best_last = 0;
    int best_v = 0;
    for (int v = 0; v < nb; v++) {
        if (!cnt[v])
            continue;
        const int64_t gw = cnt[v];
        int take = gw > best_w;
        if (!take && gw == best_w) {
            switch (tie) {
            case MLG_TIE_HIGHEST: take = 1; break;
            case MLG_TIE_LOWEST:  take = 0; break;
            default:              take = last[v] > best_last; break;
            }
        }
        if (take) {
            best_w = gw;
            best_v = v;
            best_last = last[v];
        }
    }
    return (double)best_v;
}

/* Short series of other scores (continuous, or beyond 15): an insertion
 * sort of at most SORT_MAX scores, stable, so equal scores keep their row
 * order as methods.c's sorted_view() leaves them.  A score of 0 (whose
 * -0.0 twin compares equal but prints differently) sends the series to the
 * general kernel.  Return 0 to do so. */
#define SORT_MAX 32

static int sort_small(const double *s, size_t m, double *a, uint32_t *pos)
{
    if (m > SORT_MAX)
        return 0;
    for (size_t i = 0; i < m; i++) {
        const double x = s[i];
        if (x == 0.0)
            return 0;
        size_t j = i;
        while (j > 0 && a[j - 1] > x) {
            a[j] = a[j - 1];
            if (pos)
                pos[j] = pos[j - 1];
            j--;
        }
        a[j] = x;
        if (pos)
            pos[j] = (uint32_t)i;
    }
    return 1;
}

/* median_range() unweighted, from the sorted scores (see count_median). */
static int sort_median(const double *s, size_t m, double *out)
{
    double a[SORT_MAX];
    if (!sort_small(s, m, a, NULL))
        return 0;
    const size_t h = m / 2;
    *out = (m % 2 == 1 || a[h - 1] == a[h]) ? a[h] : (a[h - 1] + a[h]) / 2;
    return 1;
}

/* mode_range() unweighted, over the runs of equal sorted scores. */
static int sort_mode(const double *s, size_t m, int32_t tie, double *out)
{
    double a[SORT_MAX];
    uint32_t pos[SORT_MAX];
    if (!sort_small(s, m, a, pos))
        return 0;
    size_t best_w = 0;
    uint32_t best_last = 0;
    double best_v = NAN;
    for (size_t g = 0; g < m;) {
        size_t e = g + 1;
        while (e < m && a[e] == a[g])
            e++;
        const size_t gw = e - g;
        const uint32_t last_pos = pos[e - 1];
        int take = gw > best_w;
        if (!take && gw == best_w) {
            switch (tie) {
            case MLG_TIE_HIGHEST: take = 1; break;
            case MLG_TIE_LOWEST:  take = 0; break;
            default:              take = last_pos > best_last; break;
            }
        }
        if (take) {
            best_w = gw;
            best_v = a[g];
            best_last = last_pos;
        }
        g = e;
    }
    *out = best_v;
    return 1;
}

/* Power-law tables (pow_tab, declared above), for k = 2..POW_TAB_K (one
 * SUM_BLOCK, so each sum is 0 + its single block sum, as in methods.c):
 * xc = ln(k!)/k, x[k][j] = ln(j+1) - xc, sx, sxx, mx = sx/k, the slope's
 * denominator sxx - sx*mx, and (ln k - xc) - mx. */
static void pow_tab_fill(pow_tab *t)
{
    for (size_t k = 2; k <= POW_TAB_K; k++) {
        const double kd = (double)k;
        const double lk = log(kd);
        const double xc = gsl_sf_lnfact((unsigned int)k) / kd;
        double bx = 0, bxx = 0;
        for (size_t j = 0; j < k; j++) {
            const double x = log((double)(j + 1)) - xc;
            t->x[k][j] = x;
            bx += x;
            bxx += x * x;
        }
        double sx = 0, sxx = 0;
        sx += bx;
        sxx += bxx;
        const double mx = sx / kd;
        t->sx[k] = sx;
        t->mx[k] = mx;
        t->den[k] = sxx - sx * mx;
        t->shift_x[k] = (lk - xc) - mx;
    }
}

/* methods.c fit_power() + power_law() without weights, 2 <= k <= 64, via
 * the tables; ln(s + shift) of whole scores 0..15 from ln_s[].  Returns 0
 * when the fit is not finite. */
static inline int fast_power(const pow_tab *t, const double *ln_s,
                             const double *s, size_t k, double shift,
                             double lo, double hi, double *out)
{
#define LN_OF(val)                                                             \
    ((val) >= 0.0 && (val) < (double)COUNT_VALUES &&                           \
             (double)(int)(val) == (val) && !((val) == 0.0 && signbit(val))    \
         ? ln_s[(int)(val)]                                                    \
         : log((val) + shift))
    const double y1 = LN_OF(s[0]);
    const double *x = t->x[k];
    double by = 0, bxy = 0;
    for (size_t j = 0; j < k; j++) {
        const double y = LN_OF(s[j]) - y1;
        by += y;
        bxy += x[j] * y;
    }
#undef LN_OF
    double sy = 0, sxy = 0;
    sy += by;
    sxy += bxy;
    const double kd = (double)k, sx = t->sx[k], my = sy / kd;
    const double b = (sxy - sx * my) / t->den[k];
    const double base = y1 + my + b * t->shift_x[k];
    if (!(isfinite(base) && isfinite(b)))
        return 0;
    const double v = exp(base) - shift;
    *out = v < lo ? lo : (v > hi ? hi : v);
    return 1;
}

/* fast_power() on whole scores 0..15 already converted to int32 (iv) by
 * the block pass, which checked the range for the whole block:
 * ln(score + shift) is always a table lookup. */
static inline int power_int(const pow_tab *t, const double *ln_s,
                            const int32_t *iv, size_t k, double shift,
                            double lo, double hi, double *out)
{
    const double y1 = ln_s[iv[0]];
    const double *x = t->x[k];
    double by = 0, bxy = 0;
    for (size_t j = 0; j < k; j++) {
        const double y = ln_s[iv[j]] - y1;
        by += y;
        bxy += x[j] * y;
    }
    double sy = 0, sxy = 0;
    sy += by;
    sxy += bxy;
    const double kd = (double)k, sx = t->sx[k], my = sy / kd;
    const double b = (sxy - sx * my) / t->den[k];
    const double base = y1 + my + b * t->shift_x[k];
    if (!(isfinite(base) && isfinite(b)))
        return 0;
    const double v = exp(base) - shift;
    *out = v < lo ? lo : (v > hi ? hi : v);
    return 1;
}

#if defined(BATCH_AVX2)
/* The block pass's conversion of n scores to int32 (see fast_range), four
 * per step; returns how many it converted (a multiple of 4) and clears
 * *whole if one of them is not a whole number. */
__attribute__((target("avx2")))
static int64_t to_int_avx2(const double *sb, int64_t n, int32_t *iv,
                           int *whole)
{
    __m256d same = _mm256_castsi256_pd(_mm256_set1_epi64x(-1));
    int64_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const __m256d x = _mm256_loadu_pd(sb + i);
        const __m128i t = _mm256_cvttpd_epi32(x);
        same = _mm256_and_pd(same, _mm256_cmp_pd(_mm256_cvtepi32_pd(t), x,
                                                 _CMP_EQ_OQ));
        _mm_storeu_si128((__m128i *)(void *)(iv + i), t);
    }
    if (_mm256_movemask_pd(same) != 15)
        *whole = 0;
    return i;
}
#endif

/* methods.c's decaying average, v = s[0] then v = w * s[i] + om * v, for
 * the series [g, ge) of a validated block, into out[0 .. ge - g) (empty
 * series: left unset). */
static void da_block(const int64_t *o, const double *score, size_t g,
                     size_t ge, double w, double om, double *out)
{
    for (size_t h = g; h < ge; h++) {
        const int64_t r = o[h], k = o[h + 1] - r;
        if (k == 0)
            continue;
        const double *s = score + r;
        double v = s[0];
        for (int64_t i = 1; i < k; i++)
            v = w * s[i] + om * v;
        out[h - g] = v;
    }
}

#if defined(BATCH_AVX2)
/* da_block() for four series at a time, one per lane of an AVX2 register:
 * each lane performs exactly the scalar operations in the same order
 * (vmulpd and vaddpd round each lane as mulsd and addsd do, and no FMA is
 * enabled), so the bits are the same, while four recursions overlap and
 * four series cost one loop exit instead of four.  The loop runs to the
 * longest of the four; a lane past its series' end takes w = 0, om = 1 and
 * a score of -1 (a masked gather reads nothing there), so it adds -0.0 to
 * 1 * v, which leaves every v, even +-0.0, unchanged. */
__attribute__((target("avx2")))
static void da_block_avx2(const int64_t *o, const double *score, size_t g,
                          size_t ge, double w, double om, double *out)
{
    const __m256d vw = _mm256_set1_pd(w), vom = _mm256_set1_pd(om);
    const __m256d one = _mm256_set1_pd(1.0), neg = _mm256_set1_pd(-1.0);
    const __m256i inc = _mm256_set1_epi64x(1);
    size_t h = g;
    for (; h + 4 <= ge; h += 4) {
        const __m256i r = _mm256_loadu_si256((const __m256i *)(const void *)(o + h));
        const __m256i k = _mm256_sub_epi64(
            _mm256_loadu_si256((const __m256i *)(const void *)(o + h + 1)), r);
        int64_t kl[4];
        _mm256_storeu_si256((__m256i *)(void *)kl, k);
        int64_t kmax = kl[0];
        for (int l = 1; l < 4; l++)
            kmax = kl[l] > kmax ? kl[l] : kmax;
        __m256i i = _mm256_setzero_si256();
        __m256d v = _mm256_mask_i64gather_pd(
            _mm256_setzero_pd(), score, r,
            _mm256_castsi256_pd(_mm256_cmpgt_epi64(k, i)), 8);
        for (int64_t step = 1; step < kmax; step++) {
            i = _mm256_add_epi64(i, inc);
            const __m256d act = _mm256_castsi256_pd(_mm256_cmpgt_epi64(k, i));
            const __m256d x = _mm256_mask_i64gather_pd(
                neg, score, _mm256_add_epi64(r, i), act, 8);
            const __m256d wl = _mm256_and_pd(act, vw);
            const __m256d oml = _mm256_blendv_pd(one, vom, act);
            v = _mm256_add_pd(_mm256_mul_pd(wl, x), _mm256_mul_pd(oml, v));
        }
        _mm256_storeu_pd(out + (h - g), v);
    }
    da_block(o, score, h, ge, w, om, out + (h - g));
}
#endif

static size_t fast_range(batch_job *j, size_t g)
{
    if (!j->fast_ok)
        return g;
    const mlg_method_params *p = j->params;
    const int32_t m = p->method;
    switch (m) {
    case MLG_METHOD_MEAN:
    case MLG_METHOD_RECENT_MEAN:
    case MLG_METHOD_MOST_RECENT:
    case MLG_METHOD_HIGHEST:
    case MLG_METHOD_LOWEST:
    case MLG_METHOD_CONSISTENT_RECENT:
    case MLG_METHOD_DECAYING_AVERAGE:
    case MLG_METHOD_WEIGHTED_AVERAGE:
    case MLG_METHOD_MEDIAN:
    case MLG_METHOD_RECENT_MEDIAN:
    case MLG_METHOD_MODE:
    case MLG_METHOD_RECENT_MODE:
        break;
    case MLG_METHOD_POWER_LAW:
        if (!j->pl_tab)
            return g;
        break;
    default:
        return g;
    }
    const int64_t *o = j->offsets;
    const int32_t *day = j->day;
    const double *score = j->score;
    const double lo_s = j->scale->score_min, hi_s = j->scale->score_max;
    const size_t win = (size_t)p->n;
    const double w = p->weight, om = 1.0 - w;
    const double shift = p->log_shift;
    const pow_tab *pt = (const pow_tab *)(const void *)j->pl_tab;
    const double *ln_s = j->pl_tab ? j->pl_tab + sizeof(pow_tab) / sizeof(double)
                                   : NULL;
    uint32_t cnt[COUNT_VALUES], last[COUNT_VALUES];
    double *vo = j->value_out;
    int32_t *lvo = j->level_out, *co = j->count_out;
    double thr[MLG_SCALE_MAX_LEVELS];
    memcpy(thr, j->thr, sizeof thr);
    const int32_t n_thr = j->n_thr;
    const double band = j->band;
#if defined(__SSE2__) && !defined(MLG_BATCH_NO_SIMD)
    double thr4[4];
    for (int i = 0; i < 4; i++)
        thr4[i] = i < n_thr ? thr[i] : INFINITY;
    const __m128d t01 = _mm_loadu_pd(thr4), t23 = _mm_loadu_pd(thr4 + 2);
    const __m128d vband = _mm_set1_pd(band);
    /* Measured on lausd-year (docs/performance.md): level_of4() took the
     * mean from 0.391 to 0.371 s on one thread but slowed the decaying
     * average from 0.451 to 0.476 s, so that one keeps level_of(). */
    const int simd_level = n_thr <= 4 && m != MLG_METHOD_DECAYING_AVERAGE;
#endif
    /* Counting kernels: buckets 0..nb-1 cover every whole score <= hi. */
    const int nb = hi_s >= (double)(COUNT_VALUES - 1) ? COUNT_VALUES
                   : hi_s >= 0.0                     ? (int)hi_s + 1
                                                     : 1;
    size_t block_end = g, block_start = g;
    double da_v[VALIDATE_BLOCK]; /* decaying averages of a valid block */
    int block_ok = 0, block_int = 0, block_small = 0;
    int64_t base = 0;
    int64_t *const P = j->prefix;
    for (; g < j->g1; g++) {
        if (g == block_end) {
            block_end = j->g1 - g > VALIDATE_BLOCK ? g + VALIDATE_BLOCK : j->g1;
            if (P && o[block_end] - o[g] > PREFIX_ROWS) {
                /* Fewer series, so the block's rows fit the prefix buffer. */
                size_t lo_g = g + 1, hi_g = block_end;
                while (lo_g < hi_g) {
                    const size_t mid = lo_g + (hi_g - lo_g + 1) / 2;
                    if (o[mid] - o[g] <= PREFIX_ROWS)
                        lo_g = mid;
                    else
                        hi_g = mid - 1;
                }
                block_end = lo_g;
            }
#if defined(BATCH_AVX2)
            if (j->avx2)
                block_ok = block_valid_avx2(o, day, score, g, block_end, lo_s,
                                            hi_s);
            else
#endif
                block_ok = block_valid(o, day, score, g, block_end, lo_s, hi_s);
            block_start = g;
            if (block_ok && m == MLG_METHOD_DECAYING_AVERAGE) {
#if defined(BATCH_AVX2)
                if (j->avx2)
                    da_block_avx2(o, score, g, block_end, w, om, da_v);
                else
#endif
                    da_block(o, score, g, block_end, w, om, da_v);
            }
            block_int = 0;
            block_small = 0;
            base = o[g];
            if (P && block_ok && o[block_end] - base <= PREFIX_ROWS) {
                /* Whole scores sum exactly in any order (every partial sum
                 * is an integer below 2^53), so methods.c's four-lane sum
                 * equals the difference of two exact prefix sums.  The
                 * scores are validated, so within +-2^31: the conversion to
                 * int32 is defined. */
                const int64_t n_b = o[block_end] - base;
                const double *sb = score + base;
                int32_t *const iv = (int32_t *)(void *)(P + PREFIX_ROWS + 1);
                int whole = 1;
                int64_t i = 0;
#if defined(BATCH_AVX2)
                if (j->avx2)
                    i = to_int_avx2(sb, n_b, iv, &whole);
#endif
#if defined(__SSE2__) && !defined(MLG_BATCH_NO_SIMD)
                __m128d same = _mm_cmpeq_pd(_mm_setzero_pd(), _mm_setzero_pd());
                for (; i + 2 <= n_b; i += 2) {
                    const __m128d x = _mm_loadu_pd(sb + i);
                    const __m128i t = _mm_cvttpd_epi32(x);
                    same = _mm_and_pd(same, _mm_cmpeq_pd(_mm_cvtepi32_pd(t), x));
                    _mm_storel_epi64((__m128i *)(void *)(iv + i), t);
                }
                whole &= _mm_movemask_pd(same) == 3;
#endif
                for (; i < n_b; i++) {
                    iv[i] = (int32_t)sb[i];
                    whole &= (double)iv[i] == sb[i];
                }
                int64_t acc = 0;
                uint32_t bits = 0;
                P[0] = 0;
                for (i = 0; i < n_b; i++) {
                    acc += iv[i];
                    bits |= (uint32_t)iv[i];
                    P[i + 1] = acc;
                }
                block_int = whole;
                /* Every score 0..15 (a negative one sets the high bits). */
                block_small = whole && bits < COUNT_VALUES;
            }
        }
        const int64_t r0 = o[g];
        const size_t k = (size_t)(o[g + 1] - r0);
        if (k == 0) {
            vo[g] = NAN;
            if (lvo)
                lvo[g] = MLG_LEVEL_NA;
            if (co)
                co[g] = 0;
            continue;
        }
        const double *s = score + r0;
        const int32_t *d = day ? day + r0 : NULL;
        double v;

        if (!block_ok && !rows_ok(s, d, k, lo_s, hi_s))
            return g;
        const size_t a = k > win ? k - win : 0; /* window start */
        switch (m) {
        case MLG_METHOD_MEAN:
            v = block_int ? (double)(P[r0 - base + (int64_t)k] - P[r0 - base]) /
                                (double)k
                          : fsum4(s, k) / (double)k;
            break;
        case MLG_METHOD_RECENT_MEAN:
            v = block_int ? (double)(P[r0 - base + (int64_t)k] -
                                     P[r0 - base + (int64_t)a]) /
                                (double)(k - a)
                          : fsum4(s + a, k - a) / (double)(k - a);
            break;
        case MLG_METHOD_MOST_RECENT:
            v = s[k - 1];
            break;
        case MLG_METHOD_HIGHEST:
            v = fextreme(s, 0, k, 1);
            break;
        case MLG_METHOD_LOWEST:
            v = fextreme(s, 0, k, 0);
            break;
        case MLG_METHOD_CONSISTENT_RECENT:
            v = fextreme(s, a, k, 0);
            break;
        case MLG_METHOD_DECAYING_AVERAGE:
            if (block_ok) {
                v = da_v[g - block_start];
                break;
            }
            v = s[0];
            for (size_t i = 1; i < k; i++)
                v = w * s[i] + om * v;
            break;
        case MLG_METHOD_WEIGHTED_AVERAGE:
            if (k == 1)
                v = s[0];
            else if (block_int)
                v = w * s[k - 1] +
                    (1.0 - w) * ((double)(P[r0 - base + (int64_t)k - 1] -
                                          P[r0 - base]) /
                                 (double)(k - 1));
            else
                v = w * s[k - 1] + (1.0 - w) * (fsum4(s, k - 1) / (double)(k - 1));
            break;
        case MLG_METHOD_MEDIAN:
        case MLG_METHOD_RECENT_MEDIAN: {
            const size_t from = m == MLG_METHOD_MEDIAN ? 0 : a;
            if (histogram(s, from, k, cnt, NULL, nb))
                v = count_median(cnt, k - from);
            else if (!sort_median(s + from, k - from, &v))
                return g;
            break;
        }
        case MLG_METHOD_MODE:
        case MLG_METHOD_RECENT_MODE: {
            const size_t from = m == MLG_METHOD_MODE ? 0 : a;
            if (histogram(s, from, k, cnt, last, nb))
                v = count_mode(cnt, last, p->tie, nb);
            else if (!sort_mode(s + from, k - from, p->tie, &v))
                return g;
            break;
        }
        default: /* MLG_METHOD_POWER_LAW */
            if (!(shift + lo_s > 0))
                return g; /* the domain check is per row: leave it to the
                             general kernel */
            if (k == 1)
                v = s[0];
            else if (k <= POW_TAB_K && block_small &&
                     power_int(pt, ln_s,
                               (const int32_t *)(const void *)(P + PREFIX_ROWS + 1) +
                                   (r0 - base),
                               k, shift, lo_s, hi_s, &v))
                ; /* whole scores 0..15, converted by the block pass */
            else if (k > POW_TAB_K ||
                     !fast_power(pt, ln_s, s, k, shift, lo_s, hi_s, &v))
                return g;
            break;
        }
#if defined(__SSE2__) && !defined(MLG_BATCH_NO_SIMD)
        const int32_t lv = simd_level ? level_of4(j, t01, t23, vband, v)
                           : n_thr == 3 ? level_of(j, thr, 3, band, v)
                                        : level_of(j, thr, n_thr, band, v);
#else
        const int32_t lv = n_thr == 3 ? level_of(j, thr, 3, band, v)
                                      : level_of(j, thr, n_thr, band, v);
#endif
        if (lv == -2)
            return g;
        vo[g] = v;
        if (lvo)
            lvo[g] = lv;
        if (co)
            co[g] = (int32_t)k;
    }
    return g;
}
