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
 */
#define _POSIX_C_SOURCE 200809L

#include "mlg_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
static size_t fast_range(const batch_job *j, size_t g);

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

    batch_job jobs[BATCH_MAX_THREADS];
    memset(jobs, 0, nt * sizeof jobs[0]);
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
    for (size_t t = 0; t < nt; t++) {
        const batch_job *j = &jobs[t];
        if (j->rc == MLG_EINVAL)
            return mlg__fail(err, MLG_EINVAL, (int64_t)j->bad_group, -1,
                             "offsets decrease at group %zu (%lld < %lld)",
                             j->bad_group,
                             (long long)offsets[j->bad_group + 1],
                             (long long)offsets[j->bad_group]);
        if (j->rc == MLG_EOVERFLOW)
            return mlg__fail(err, MLG_EOVERFLOW, (int64_t)j->bad_group, -1,
                             "group %zu has more than INT32_MAX rows",
                             j->bad_group);
    }

    /* Scratch, allocated before any output is written. */
    for (size_t t = 0; t < nt; t++) {
        batch_job *j = &jobs[t];
        j->scratch_bytes = mlg__scratch_bytes(j->max_n, params);
        if (j->scratch_bytes) {
            j->scratch = malloc(j->scratch_bytes);
            if (!j->scratch) {
                for (size_t u = 0; u < t; u++)
                    free(jobs[u].scratch);
                return mlg__fail(err, MLG_ENOMEM, -1, -1,
                                 "cannot allocate %zu scratch bytes",
                                 j->scratch_bytes);
            }
        }
    }

    /* Phase 2: compute. */
    run_jobs(jobs, nt, phase2_main);
    rc = MLG_OK;
    for (size_t t = 0; t < nt; t++) {
        if (jobs[t].rc != MLG_OK && rc == MLG_OK) {
            rc = jobs[t].rc;
            if (err)
                *err = jobs[t].err;
        }
        free(jobs[t].scratch);
    }
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Fast kernels                                                               */
/* ------------------------------------------------------------------------ */

/* Compute groups g.. of j's range while they fit a fast kernel; return the
 * first group not computed (j->g1 when all were). */
static size_t fast_range(const batch_job *j, size_t g)
{
    (void)j;
    return g;
}
