/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_batch.c -- mlg_batch_compute() (include/mlg.h, "Batches").
 *
 * The header's contract checked here:
 *  - "Results are bitwise identical to mlg_series_compute() on each group and
 *    for every thread count": for every method, several parameter variants
 *    and input shapes (whole and continuous scores, weights, status, days
 *    NULL, groups past the 256-row stack buffer, empty groups) the batch
 *    outputs are memcmp-equal to a loop over mlg_series_compute(), with
 *    threads 0 (all cores), 1, 2, 3 and 7.
 *  - every documented status, with errinfo and the state of the outputs:
 *    argument errors leave outputs untouched; a data error names the first
 *    failing group in group order and its absolute row, whatever the thread
 *    count, and writes NaN / MLG_LEVEL_NA / 0 for that group.
 * The expected values are those of mlg_series_compute() (tested against the
 * bulletin and vendor examples in test_methods.c); two hand-worked groups
 * pin the batch plumbing independently of it.
 */
#include "mlg.h"
#include "mlg_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ datasets -- */

typedef struct dataset {
    size_t ng, nr;
    int64_t *off;
    int32_t *day;
    double *score;
    double *weight;   /* NULL unless requested */
    uint8_t *status;  /* NULL unless requested */
} dataset;

static uint64_t next_u64(uint64_t *s) /* splitmix64 */
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint32_t below(uint64_t *s, uint32_t n)
{
    return (uint32_t)(next_u64(s) % n);
}

enum { SHAPE_WHOLE, SHAPE_CONTINUOUS, SHAPE_WEIGHT, SHAPE_STATUS,
       SHAPE_WEIGHT_STATUS, SHAPE_COUNT };
static const char *const shape_name[SHAPE_COUNT] = {
    "whole", "continuous", "weight", "status", "weight+status"};

/* ng random groups: sizes mostly 0..14, sometimes 257..300 (past the stack
 * buffer of the single-series API); days ascending with ties; scores whole
 * 1..4 or continuous with two decimals; weights in {0, 0.5, 1, 1.37, 2};
 * status about 90% counted, 5% excused, 5% missing (score NaN). */
static dataset make_data(uint64_t seed, size_t ng, int shape)
{
    dataset d;
    memset(&d, 0, sizeof d);
    uint64_t s = seed;
    d.ng = ng;
    d.off = malloc((ng + 1) * sizeof *d.off);
    assert_non_null(d.off);
    d.off[0] = 0;
    for (size_t g = 0; g < ng; g++) {
        const uint32_t u = below(&s, 100);
        const int64_t k = u < 3 ? 257 + below(&s, 44) : u < 8 ? 0 : below(&s, 15);
        d.off[g + 1] = d.off[g] + k;
    }
    d.nr = (size_t)d.off[ng];
    const size_t alloc = d.nr ? d.nr : 1;
    d.day = malloc(alloc * sizeof *d.day);
    d.score = malloc(alloc * sizeof *d.score);
    assert_non_null(d.day);
    assert_non_null(d.score);
    const int want_w = shape == SHAPE_WEIGHT || shape == SHAPE_WEIGHT_STATUS;
    const int want_s = shape == SHAPE_STATUS || shape == SHAPE_WEIGHT_STATUS;
    if (want_w) {
        d.weight = malloc(alloc * sizeof *d.weight);
        assert_non_null(d.weight);
    }
    if (want_s) {
        d.status = malloc(alloc);
        assert_non_null(d.status);
    }
    static const double wv[5] = {0.0, 0.5, 1.0, 1.37, 2.0};
    for (size_t g = 0; g < ng; g++) {
        int32_t day = 20000 + (int32_t)below(&s, 30);
        for (int64_t r = d.off[g]; r < d.off[g + 1]; r++) {
            day += below(&s, 3) == 0 ? 0 : (int32_t)below(&s, 9);
            d.day[r] = day;
            d.score[r] = shape == SHAPE_CONTINUOUS
                             ? 1.0 + below(&s, 301) / 100.0
                             : 1.0 + below(&s, 4);
            if (want_w)
                d.weight[r] = wv[below(&s, 5)];
            if (want_s) {
                const uint32_t u = below(&s, 100);
                d.status[r] = u < 90 ? MLG_EVIDENCE_COUNTED
                              : u < 95 ? MLG_EVIDENCE_EXCUSED
                                       : MLG_EVIDENCE_MISSING;
                if (d.status[r] != MLG_EVIDENCE_COUNTED)
                    d.score[r] = NAN; /* never read */
            }
        }
    }
    return d;
}

static void free_data(dataset *d)
{
    free(d->off);
    free(d->day);
    free(d->score);
    free(d->weight);
    free(d->status);
    memset(d, 0, sizeof *d);
}

/* ------------------------------------------------- parameter variants -- */

/* Variant v of method m: 0 = defaults; 1..3 change the parameters the
 * method reads (window, tie, decay, missing policy, rounding, decimals). */
static void variant_params(int32_t m, int v, mlg_method_params *p)
{
    assert_int_equal(mlg_method_params_init(p, m), MLG_OK);
    switch (v) {
    case 1:
        p->n = 1;
        p->tie = MLG_TIE_HIGHEST;
        p->weight = 0.75;
        p->missing = MLG_MISSING_LOWEST;
        p->rounding = MLG_ROUND_FLOOR;
        p->decimals = 2;
        p->log_shift = 0.5;
        p->half_life_days = 7.5;
        p->mastery = 2.5;
        break;
    case 2:
        p->n = 4;
        p->tie = MLG_TIE_LOWEST;
        p->weight = 0.5;
        p->rounding = MLG_ROUND_HALF_EVEN;
        p->decimals = -1;
        p->as_of = 20100;
        break;
    case 3:
        p->n = 2;
        p->weight = 1.0;
        p->rounding = MLG_ROUND_CUTS;
        p->decimals = 0;
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------- equivalence -- */

typedef struct expected {
    int status;
    int64_t group, row;
    double *value;
    int32_t *level;
    int32_t *count;
} expected;

/* mlg_series_compute() on each group: the reference. */
static expected reference(const dataset *d, int use_day,
                          const mlg_scale *scale, const mlg_method_params *p)
{
    expected e;
    memset(&e, 0, sizeof e);
    e.group = e.row = -1;
    e.value = malloc((d->ng + 1) * sizeof *e.value);
    e.level = malloc((d->ng + 1) * sizeof *e.level);
    e.count = malloc((d->ng + 1) * sizeof *e.count);
    assert_non_null(e.value);
    assert_non_null(e.level);
    assert_non_null(e.count);
    for (size_t g = 0; g < d->ng; g++) {
        const int64_t lo = d->off[g];
        mlg_result r;
        mlg_errinfo ei;
        const int rc = mlg_series_compute(
            (size_t)(d->off[g + 1] - lo), use_day ? d->day + lo : NULL,
            d->score + lo, d->weight ? d->weight + lo : NULL,
            d->status ? d->status + lo : NULL, scale, p, &r, &ei);
        if (rc != MLG_OK) {
            e.status = rc;
            e.group = (int64_t)g;
            e.row = ei.row < 0 ? -1 : lo + ei.row;
            break;
        }
        e.value[g] = r.value;
        e.level[g] = r.level;
        e.count[g] = r.n_used;
    }
    return e;
}

static void free_expected(expected *e)
{
    free(e->value);
    free(e->level);
    free(e->count);
}

static const int32_t thread_counts[] = {1, 2, 3, 7, 0};

static void check_equivalence_scale(const dataset *d, int use_day,
                                    const mlg_scale *scale,
                                    const mlg_method_params *p,
                                    const char *what)
{
    expected e = reference(d, use_day, scale, p);
    double *v = malloc(d->ng * sizeof *v);
    int32_t *l = malloc(d->ng * sizeof *l);
    int32_t *c = malloc(d->ng * sizeof *c);
    assert_non_null(v);
    assert_non_null(l);
    assert_non_null(c);
    for (size_t ti = 0; ti < sizeof thread_counts / sizeof *thread_counts; ti++) {
        memset(v, 0xA5, d->ng * sizeof *v);
        memset(l, 0xA5, d->ng * sizeof *l);
        memset(c, 0xA5, d->ng * sizeof *c);
        mlg_errinfo ei;
        memset(&ei, 0, sizeof ei);
        const int rc = mlg_batch_compute(d->ng, d->off, use_day ? d->day : NULL,
                                         d->score, d->weight, d->status, scale,
                                         p, thread_counts[ti], v, l, c, &ei);
        if (rc != e.status)
            fail_msg("%s threads %d: status %s, series API gave %s", what,
                     thread_counts[ti], mlg_errname(rc), mlg_errname(e.status));
        if (rc != MLG_OK) {
            /* The series API failed on this data: the batch must name the
             * same (first) group and absolute row. */
            if (ei.group != e.group || ei.row != e.row)
                fail_msg("%s threads %d: error at group %lld row %lld, "
                         "expected group %lld row %lld",
                         what, thread_counts[ti], (long long)ei.group,
                         (long long)ei.row, (long long)e.group,
                         (long long)e.row);
            continue;
        }
        for (size_t g = 0; g < d->ng; g++) {
            if (memcmp(&v[g], &e.value[g], sizeof v[g]) != 0 ||
                l[g] != e.level[g] || c[g] != e.count[g])
                fail_msg("%s threads %d group %zu (%lld rows): batch "
                         "%.17g/%d/%d, series %.17g/%d/%d",
                         what, thread_counts[ti], g,
                         (long long)(d->off[g + 1] - d->off[g]), v[g], l[g],
                         c[g], e.value[g], e.level[g], e.count[g]);
        }
        /* The whole arrays, bit for bit (also catches NaN payloads). */
        assert_memory_equal(v, e.value, d->ng * sizeof *v);
        assert_memory_equal(l, e.level, d->ng * sizeof *l);
        assert_memory_equal(c, e.count, d->ng * sizeof *c);
    }
    free(v);
    free(l);
    free(c);
    free_expected(&e);
}

static void check_equivalence(const dataset *d, int use_day,
                              const mlg_method_params *p, const char *what)
{
    check_equivalence_scale(d, use_day, NULL, p, what);
}

/* Ensure batch == series, bitwise, for every method, variant, shape and
 * thread count (mlg.h: "Results are bitwise identical ..."). */
static void test_equivalence_all_methods(void **state)
{
    (void)state;
    for (int shape = 0; shape < SHAPE_COUNT; shape++) {
        dataset d = make_data(0x5eed0000u + (uint64_t)shape, 240, shape);
        for (int32_t m = 0; m < MLG_METHOD_COUNT; m++) {
            for (int v = 0; v < 4; v++) {
                mlg_method_params p;
                variant_params(m, v, &p);
                char what[128];
                snprintf(what, sizeof what, "%s variant %d shape %s",
                         mlg_method_name(m), v, shape_name[shape]);
                check_equivalence(&d, 1, &p, what);
                if (m != MLG_METHOD_TIME_DECAY && v == 0) {
                    snprintf(what, sizeof what, "%s day=NULL shape %s",
                             mlg_method_name(m), shape_name[shape]);
                    check_equivalence(&d, 0, &p, what);
                }
            }
        }
        free_data(&d);
    }
}

/* Bigger batch, hot methods only, so every thread gets many groups and the
 * fast kernels run long stretches. */
static void test_equivalence_large(void **state)
{
    (void)state;
    static const int32_t hot[] = {
        MLG_METHOD_MEAN,          MLG_METHOD_MOST_RECENT,
        MLG_METHOD_DECAYING_AVERAGE, MLG_METHOD_POWER_LAW,
        MLG_METHOD_MEDIAN,        MLG_METHOD_MODE,
        MLG_METHOD_RECENT_MEDIAN, MLG_METHOD_RECENT_MODE,
        MLG_METHOD_HIGHEST,       MLG_METHOD_LOWEST};
    for (int shape = 0; shape < 2; shape++) {
        dataset d = make_data(0xb16b00b5u + (uint64_t)shape, 20000, shape);
        for (size_t i = 0; i < sizeof hot / sizeof *hot; i++)
            for (int v = 0; v < 4; v++) {
                mlg_method_params p;
                variant_params(hot[i], v, &p);
                char what[128];
                snprintf(what, sizeof what, "large %s variant %d shape %s",
                         mlg_method_name(hot[i]), v, shape_name[shape]);
                check_equivalence(&d, 1, &p, what);
            }
        free_data(&d);
    }
}

/* Other scales change the fast kernels' thresholds and counting buckets:
 * the 3-level behaviour scale (scores 1..3: the data's 4s become 3s, except
 * in the last group, so that MLG_ESCALE is also compared), and a
 * 5-level 0..4 scale with district cuts 0, 0.9, 1.75, 2.6, 3.5 (whole
 * scores include 0, the counting kernels' bucket 0). */
static void test_equivalence_scales(void **state)
{
    (void)state;
    mlg_scale beh, five;
    assert_int_equal(mlg_scale_builtin(MLG_SCALE_BEHAVIOR, &beh), MLG_OK);
    const double vals[5] = {0, 1, 2, 3, 4};
    assert_int_equal(mlg_scale_init(&five, 5, vals), MLG_OK);
    const double cuts[5] = {0, 0.9, 1.75, 2.6, 3.5};
    memcpy(five.cut, cuts, sizeof cuts);
    assert_int_equal(mlg_scale_validate(&five), MLG_OK);
    const mlg_scale *scales[2] = {&beh, &five};
    for (int si = 0; si < 2; si++)
        for (int shape = 0; shape < 2; shape++) {
            dataset d = make_data(0xca1e0000u + (uint64_t)(2 * si + shape),
                                  400, shape);
            if (si == 0)
                for (size_t r = 0; r < (size_t)d.off[d.ng - 1]; r++)
                    d.score[r] = d.score[r] > 3.0 ? 3.0 : d.score[r];
            if (si == 1) /* shift 1..4 down to 0..3 (and 0..4 continuous) */
                for (size_t r = 0; r < d.nr; r++)
                    d.score[r] = shape == SHAPE_WHOLE ? d.score[r] - 1.0
                                                      : (d.score[r] - 1.0) * 4.0 / 3.0;
            for (int32_t m = 0; m < MLG_METHOD_COUNT; m++)
                for (int v = 0; v < 4; v++) {
                    mlg_method_params p;
                    variant_params(m, v, &p);
                    if (si == 1 && (m == MLG_METHOD_POWER_LAW ||
                                    m == MLG_METHOD_BEST_FIT ||
                                    m == MLG_METHOD_MAX_MEAN_POWER_LAW))
                        p.log_shift = 0.5; /* ln(0 + 0.5): in the domain */
                    if (si == 1 && v != 1)
                        p.rounding = MLG_ROUND_CUTS;
                    char what[128];
                    snprintf(what, sizeof what, "%s variant %d shape %s scale %s",
                             mlg_method_name(m), v, shape_name[shape],
                             si ? "five" : "behavior");
                    check_equivalence_scale(&d, 1, scales[si], &p, what);
                }
            free_data(&d);
        }
}

/* Two groups worked by hand, so the plumbing is pinned independently of
 * mlg_series_compute().  Group 0 is Zoey's target from BUL-2332.7
 * Attachment A: 1, 2, 3, 3 -> mean (1+2+3+3)/4 = 2.25, level index 1 (the
 * level valued 2: 2.25 < 2.5); most_recent 3 (index 2).  Group 1 is empty:
 * N/A, count 0.  Group 2 is 4, 2: mean 3 (index 2), most_recent 2 (index 1). */
static void test_hand_worked(void **state)
{
    (void)state;
    const int64_t off[4] = {0, 4, 4, 6};
    const int32_t day[6] = {10, 20, 30, 40, 5, 6};
    const double score[6] = {1, 2, 3, 3, 4, 2};
    static const struct {
        int32_t method;
        double value[3];
        int32_t level[3];
        int32_t count[3];
    } cases[] = {
        {MLG_METHOD_MEAN, {2.25, NAN, 3.0}, {1, MLG_LEVEL_NA, 2}, {4, 0, 2}},
        {MLG_METHOD_MOST_RECENT, {3.0, NAN, 2.0}, {2, MLG_LEVEL_NA, 1}, {4, 0, 2}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        for (size_t ti = 0; ti < sizeof thread_counts / sizeof *thread_counts;
             ti++) {
            mlg_method_params p;
            assert_int_equal(mlg_method_params_init(&p, cases[i].method), MLG_OK);
            double v[3];
            int32_t l[3], c[3];
            assert_status_case(mlg_method_name(cases[i].method),
                               mlg_batch_compute(3, off, day, score, NULL, NULL,
                                                 NULL, &p, thread_counts[ti], v,
                                                 l, c, NULL),
                               MLG_OK);
            for (int g = 0; g < 3; g++) {
                if (isnan(cases[i].value[g]))
                    assert_true(isnan(v[g]));
                else
                    assert_double_near_case(mlg_method_name(cases[i].method),
                                            v[g], cases[i].value[g], 0.0);
                assert_int_equal(l[g], cases[i].level[g]);
                /* count_out is "counts of rows used": n_used. */
                assert_int_equal(c[g], cases[i].count[g]);
            }
        }
}

/* level_out and count_out may be NULL; value_out alone is the same. */
static void test_optional_outputs(void **state)
{
    (void)state;
    dataset d = make_data(77, 500, SHAPE_WHOLE);
    mlg_method_params p;
    assert_int_equal(mlg_method_params_init(&p, MLG_METHOD_DECAYING_AVERAGE),
                     MLG_OK);
    double *v1 = malloc(d.ng * sizeof *v1), *v2 = malloc(d.ng * sizeof *v2);
    int32_t *l = malloc(d.ng * sizeof *l), *c = malloc(d.ng * sizeof *c);
    assert_int_equal(mlg_batch_compute(d.ng, d.off, d.day, d.score, NULL, NULL,
                                       NULL, &p, 2, v1, l, c, NULL),
                     MLG_OK);
    assert_int_equal(mlg_batch_compute(d.ng, d.off, d.day, d.score, NULL, NULL,
                                       NULL, &p, 2, v2, NULL, NULL, NULL),
                     MLG_OK);
    assert_memory_equal(v1, v2, d.ng * sizeof *v1);
    free(v1);
    free(v2);
    free(l);
    free(c);
    free_data(&d);
}

/* An explicit scale is used, not the default: on the behaviour scale
 * (BUL-2332.7 sec. II.C: R, S, C valued 1..3) the most recent of 1, 3 is 3,
 * level index 2 (C); a score of 4, valid on CCS, is outside it: MLG_ESCALE
 * at group 0, row 1. */
static void test_explicit_scale(void **state)
{
    (void)state;
    mlg_scale beh;
    assert_int_equal(mlg_scale_builtin(MLG_SCALE_BEHAVIOR, &beh), MLG_OK);
    const int64_t off[2] = {0, 2};
    const int32_t day[2] = {1, 2};
    const double ok_score[2] = {1, 3};
    const double bad_score[2] = {1, 4};
    mlg_method_params p;
    assert_int_equal(mlg_method_params_init(&p, MLG_METHOD_MOST_RECENT), MLG_OK);
    double v = 0;
    int32_t l = 0, c = 0;
    assert_int_equal(mlg_batch_compute(1, off, day, ok_score, NULL, NULL, &beh,
                                       &p, 1, &v, &l, &c, NULL),
                     MLG_OK);
    assert_double_near(v, 3.0, 0.0);
    assert_int_equal(l, 2);
    mlg_errinfo e;
    assert_int_equal(mlg_batch_compute(1, off, day, bad_score, NULL, NULL, &beh,
                                       &p, 1, &v, &l, &c, &e),
                     MLG_ESCALE);
    assert_int_equal(e.status, MLG_ESCALE);
    assert_int_equal(e.group, 0);
    assert_int_equal(e.row, 1);
}

/* ------------------------------------------------------- error paths -- */

#define NG 16
/* 16 groups of 3 rows each: day 1,2,3; scores 2,3,4. */
typedef struct small_batch {
    int64_t off[NG + 1];
    int32_t day[NG * 3];
    double score[NG * 3];
    double v[NG];
    int32_t l[NG], c[NG];
} small_batch;

static void small_init(small_batch *b)
{
    for (int g = 0; g <= NG; g++)
        b->off[g] = 3 * g;
    for (int r = 0; r < NG * 3; r++) {
        b->day[r] = 1 + r % 3;
        b->score[r] = 2 + r % 3;
    }
    for (int g = 0; g < NG; g++) {
        b->v[g] = -7.5;
        b->l[g] = -7;
        b->c[g] = -7;
    }
}

static void assert_untouched(const small_batch *b)
{
    for (int g = 0; g < NG; g++) {
        assert_double_near(b->v[g], -7.5, 0.0);
        assert_int_equal(b->l[g], -7);
        assert_int_equal(b->c[g], -7);
    }
}

/* Ensure each required pointer being NULL gives MLG_ENULL, errinfo filled
 * with group/row -1, outputs untouched; errinfo itself may be NULL. */
static void test_null_pointers(void **state)
{
    (void)state;
    small_batch b;
    small_init(&b);
    mlg_method_params p;
    assert_int_equal(mlg_method_params_init(&p, MLG_METHOD_MEAN), MLG_OK);
    for (int which = 0; which < 4; which++) {
        mlg_errinfo e;
        memset(&e, 0, sizeof e);
        const int rc = mlg_batch_compute(
            NG, which == 0 ? NULL : b.off, b.day, which == 1 ? NULL : b.score,
            NULL, NULL, NULL, which == 2 ? NULL : &p, 1,
            which == 3 ? NULL : b.v, b.l, b.c, &e);
        assert_int_equal(rc, MLG_ENULL);
        assert_int_equal(e.status, MLG_ENULL);
        assert_int_equal(e.group, -1);
        assert_int_equal(e.row, -1);
        assert_true(strlen(e.message) > 0);
        assert_untouched(&b);
        /* errinfo NULL is allowed. */
        assert_int_equal(mlg_batch_compute(
                             NG, which == 0 ? NULL : b.off, b.day,
                             which == 1 ? NULL : b.score, NULL, NULL, NULL,
                             which == 2 ? NULL : &p, 1, which == 3 ? NULL : b.v,
                             b.l, b.c, NULL),
                         MLG_ENULL);
    }
    /* time_decay needs days (as mlg_series_compute()). */
    assert_int_equal(mlg_method_params_init(&p, MLG_METHOD_TIME_DECAY), MLG_OK);
    assert_int_equal(mlg_batch_compute(NG, b.off, NULL, b.score, NULL, NULL,
                                       NULL, &p, 1, b.v, b.l, b.c, NULL),
                     MLG_ENULL);
    assert_untouched(&b);
}

/* Ensure offsets[0] != 0, decreasing offsets, threads < 0, a group of more
 * than INT32_MAX rows, bad params and a bad scale are refused before any
 * output is written (MLG_EINVAL / MLG_EOVERFLOW). */
static void test_argument_errors(void **state)
{
    (void)state;
    mlg_method_params p;
    assert_int_equal(mlg_method_params_init(&p, MLG_METHOD_MEAN), MLG_OK);
    for (size_t ti = 0; ti < sizeof thread_counts / sizeof *thread_counts; ti++) {
        const int32_t th = thread_counts[ti];
        small_batch b;
        mlg_errinfo e;

        small_init(&b);
        b.off[0] = 1;
        assert_int_equal(mlg_batch_compute(NG, b.off, b.day, b.score, NULL, NULL,
                                           NULL, &p, th, b.v, b.l, b.c, &e),
                         MLG_EINVAL);
        assert_int_equal(e.status, MLG_EINVAL);
        assert_untouched(&b);

        /* Decrease between groups 11 and 12 (late in the batch, so a later
         * thread finds it while earlier ranges are fine). */
        small_init(&b);
        b.off[12] = b.off[11] - 1;
        assert_int_equal(mlg_batch_compute(NG, b.off, b.day, b.score, NULL, NULL,
                                           NULL, &p, th, b.v, b.l, b.c, &e),
                         MLG_EINVAL);
        assert_int_equal(e.group, 11);
        assert_int_equal(e.row, -1);
        assert_untouched(&b);

        /* Two decreases: the first in group order is reported. */
        small_init(&b);
        b.off[3] = 100;
        b.off[14] = 0;
        assert_int_equal(mlg_batch_compute(NG, b.off, b.day, b.score, NULL, NULL,
                                           NULL, &p, th, b.v, b.l, b.c, &e),
                         MLG_EINVAL);
        assert_int_equal(e.group, 3);
        assert_untouched(&b);

        /* A group of INT32_MAX + 1 rows: the arrays are never read. */
        small_init(&b);
        const int64_t huge[3] = {0, 3, 3 + (int64_t)INT32_MAX + 1};
        assert_int_equal(mlg_batch_compute(2, huge, b.day, b.score, NULL, NULL,
                                           NULL, &p, th, b.v, b.l, b.c, &e),
                         MLG_EOVERFLOW);
        assert_int_equal(e.status, MLG_EOVERFLOW);
        assert_int_equal(e.group, 1);
        assert_untouched(&b);
    }

    small_batch b;
    mlg_errinfo e;
    small_init(&b);
    assert_int_equal(mlg_batch_compute(NG, b.off, b.day, b.score, NULL, NULL,
                                       NULL, &p, -1, b.v, b.l, b.c, &e),
                     MLG_EINVAL);
    assert_int_equal(e.status, MLG_EINVAL);
    assert_untouched(&b);

    /* Bad params: weight outside (0,1], unknown method, NaN mastery.  The
     * batch reports the status mlg_series_compute() reports for the same
     * parameters (include/mlg.h, mlg_batch_compute). */
    static const struct { const char *name; int field; double x; } bad_cases[] = {
        {"weight 1.5", 0, 1.5}, {"method COUNT", 1, 0}, {"mastery NaN", 2, NAN}};
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        mlg_method_params bad = p;
        if (bad_cases[i].field == 0)
            bad.weight = bad_cases[i].x;
        else if (bad_cases[i].field == 1)
            bad.method = MLG_METHOD_COUNT;
        else
            bad.mastery = bad_cases[i].x;
        mlg_result r1;
        mlg_errinfo es;
        const int want = mlg_series_compute(3, b.day, b.score, NULL, NULL, NULL,
                                            &bad, &r1, &es);
        const int got = mlg_batch_compute(NG, b.off, b.day, b.score, NULL,
                                          NULL, NULL, &bad, 1, b.v, b.l, b.c,
                                          &e);
        if (got != want || e.status != want)
            fail_msg("%s: batch %d, series %d", bad_cases[i].name, got, want);
    }
    /* Hand-checked: weight 1.5 is out of range, an unknown method is not
     * found, NaN mastery is not finite. */
    {
        mlg_method_params bad = p;
        bad.weight = 1.5;
        assert_int_equal(mlg_batch_compute(NG, b.off, b.day, b.score, NULL,
                                           NULL, NULL, &bad, 1, b.v, b.l, b.c,
                                           &e), MLG_EINVAL);
        bad = p;
        bad.method = MLG_METHOD_COUNT;
        assert_int_equal(mlg_batch_compute(NG, b.off, b.day, b.score, NULL,
                                           NULL, NULL, &bad, 1, b.v, b.l, b.c,
                                           &e), MLG_ENOTFOUND);
        bad = p;
        bad.mastery = NAN;
        assert_int_equal(mlg_batch_compute(NG, b.off, b.day, b.score, NULL,
                                           NULL, NULL, &bad, 1, b.v, b.l, b.c,
                                           &e), MLG_ENAN);
    }
    assert_untouched(&b);

    /* Bad scale: no levels. */
    mlg_scale s;
    assert_int_equal(mlg_scale_builtin(MLG_SCALE_CCS4, &s), MLG_OK);
    s.n_levels = 0;
    assert_int_equal(mlg_batch_compute(NG, b.off, b.day, b.score, NULL, NULL,
                                       &s, &p, 1, b.v, b.l, b.c, &e),
                     MLG_EINVAL);
    assert_int_equal(e.status, MLG_EINVAL);
    assert_untouched(&b);
}

/* ------------------------------------------- keep going (status_out) -- */

/* mlg.h, mlg_batch_compute_ex(): with status_out, a bad series marks its own
 * group and every other group is computed.  Bad groups are scattered through
 * a large batch (score above the scale, NaN, a day going back, a
 * score below the scale); each group's status equals
 * mlg_series_compute()'s on that group, the good groups' outputs equal its
 * results bit for bit, failing groups hold NaN / MLG_LEVEL_NA / 0, and the
 * call returns the first failing group's status, which err names -- for
 * every thread count, with and without a reused workspace. */
static void test_keep_going(void **state)
{
    (void)state;
    enum { KG = 60000 };
    dataset d = make_data(0xBADB0A7ull, KG, SHAPE_WHOLE);
    uint64_t s = 99;
    size_t first_bad = KG;
    for (size_t g = 0; g < KG; g++) {
        const int64_t lo = d.off[g], k = d.off[g + 1] - lo;
        if (k < 2 || below(&s, 50) != 0)
            continue;
        const int64_t r = lo + (int64_t)below(&s, (uint32_t)k);
        switch (below(&s, 4)) {
        case 0: d.score[r] = 9.0; break;     /* MLG_ESCALE */
        case 1: d.score[r] = NAN; break;     /* MLG_ENAN */
        case 2: d.day[lo + k - 1] = d.day[lo] - 5; break; /* MLG_EORDER */
        default: d.score[r] = 0.5; break;    /* below the scale: MLG_ESCALE */
        }
        if (g < first_bad)
            first_bad = g;
    }
    assert_true(first_bad < KG);
    static const int32_t methods[] = {MLG_METHOD_MEAN, MLG_METHOD_POWER_LAW,
                                      MLG_METHOD_MEDIAN, MLG_METHOD_TIME_DECAY};
    mlg_batch_workspace *ws = NULL;
    assert_int_equal(mlg_batch_workspace_create(&ws), MLG_OK);
    double *v = malloc(KG * sizeof *v);
    int32_t *l = malloc(KG * sizeof *l), *c = malloc(KG * sizeof *c);
    int32_t *so = malloc(KG * sizeof *so);
    assert_non_null(v);
    assert_non_null(l);
    assert_non_null(c);
    assert_non_null(so);
    for (size_t mi = 0; mi < sizeof methods / sizeof methods[0]; mi++) {
        mlg_method_params p;
        assert_int_equal(mlg_method_params_init(&p, methods[mi]), MLG_OK);
        /* the series' statuses and results: the reference */
        int32_t *want_st = malloc(KG * sizeof *want_st);
        mlg_result *want = malloc(KG * sizeof *want);
        assert_non_null(want_st);
        assert_non_null(want);
        int first_rc = MLG_OK;
        size_t first_g = KG, n_bad = 0;
        for (size_t g = 0; g < KG; g++) {
            const int64_t lo = d.off[g];
            want_st[g] = mlg_series_compute((size_t)(d.off[g + 1] - lo),
                                            d.day + lo, d.score + lo, NULL,
                                            NULL, NULL, &p, &want[g], NULL);
            if (want_st[g] != MLG_OK) {
                n_bad++;
                if (first_g == KG) {
                    first_g = g;
                    first_rc = want_st[g];
                }
            }
        }
        assert_true(n_bad > 100); /* scattered through the batch */
        for (size_t ti = 0; ti < 3; ti++) {
            const int32_t threads = (int32_t)(ti + 1);
            for (int use_ws = 0; use_ws < 2; use_ws++) {
                mlg_errinfo e;
                memset(so, 0x7f, KG * sizeof *so);
                const int rc = mlg_batch_compute_ex(
                    KG, d.off, d.day, d.score, NULL, NULL, NULL, &p, threads,
                    v, l, c, so, use_ws ? ws : NULL, &e);
                if (rc != first_rc || e.group != (int64_t)first_g)
                    fail_msg("%s threads %d: rc %d group %lld, want %d %zu",
                             mlg_method_name(p.method), threads, rc,
                             (long long)e.group, first_rc, first_g);
                for (size_t g = 0; g < KG; g++) {
                    if (so[g] != want_st[g])
                        fail_msg("%s group %zu: status %d, series %d",
                                 mlg_method_name(p.method), g, so[g],
                                 want_st[g]);
                    if (want_st[g] == MLG_OK) {
                        if (memcmp(&v[g], &want[g].value, sizeof v[g]) != 0 ||
                            l[g] != want[g].level || c[g] != want[g].n_used)
                            fail_msg("%s group %zu: %.17g/%d/%d, series "
                                     "%.17g/%d/%d", mlg_method_name(p.method),
                                     g, v[g], l[g], c[g], want[g].value,
                                     want[g].level, want[g].n_used);
                    } else if (!isnan(v[g]) || l[g] != MLG_LEVEL_NA ||
                               c[g] != 0) {
                        fail_msg("%s failing group %zu not NaN/NA/0",
                                 mlg_method_name(p.method), g);
                    }
                }
            }
        }
        free(want_st);
        free(want);
    }
    /* Argument errors leave status_out untouched. */
    memset(so, 0x7f, KG * sizeof *so);
    mlg_method_params p;
    assert_int_equal(mlg_method_params_init(&p, MLG_METHOD_MEAN), MLG_OK);
    p.weight = 2.0;
    assert_int_equal(mlg_batch_compute_ex(KG, d.off, d.day, d.score, NULL,
                                          NULL, NULL, &p, 1, v, l, c, so, ws,
                                          NULL), MLG_EINVAL);
    for (size_t g = 0; g < KG; g++)
        assert_int_equal(so[g], 0x7f7f7f7f);
    assert_int_equal(mlg_batch_workspace_create(NULL), MLG_ENULL);
    mlg_batch_workspace_free(ws);
    mlg_batch_workspace_free(NULL);
    free(v);
    free(l);
    free(c);
    free(so);
    free_data(&d);
}

/* Ensure an empty batch (n_groups 0, offsets {0}) succeeds and writes
 * nothing; errinfo stays untouched on success. */
static void test_empty_batch(void **state)
{
    (void)state;
    small_batch b;
    small_init(&b);
    mlg_method_params p;
    assert_int_equal(mlg_method_params_init(&p, MLG_METHOD_MEAN), MLG_OK);
    mlg_errinfo e;
    memset(&e, 0x5A, sizeof e);
    mlg_errinfo e0 = e;
    assert_int_equal(mlg_batch_compute(0, b.off, b.day, b.score, NULL, NULL,
                                       NULL, &p, 0, b.v, b.l, b.c, &e),
                     MLG_OK);
    assert_memory_equal(&e, &e0, sizeof e);
    assert_untouched(&b);
    assert_int_equal(mlg_batch_compute(NG, b.off, b.day, b.score, NULL, NULL,
                                       NULL, &p, 2, b.v, b.l, b.c, &e),
                     MLG_OK);
    assert_memory_equal(&e, &e0, sizeof e);
}

/* Data errors: the first failing group in group order is reported with its
 * absolute row for every thread count; its outputs are NaN / N/A / 0;
 * groups before it are computed. */
static void test_data_errors(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int32_t method;
        int status;
        int group, row_in_group;  /* the first error */
        int group2, row2;         /* a second, later error (-1: none) */
    } cases[] = {
        {"nan_group5", MLG_METHOD_MEAN, MLG_ENAN, 5, 1, 13, 0},
        {"nan_group5_decaying", MLG_METHOD_DECAYING_AVERAGE, MLG_ENAN, 5, 2, 9, 1},
        {"inf_group0", MLG_METHOD_MOST_RECENT, MLG_ENAN, 0, 0, -1, -1},
        {"scale_group15", MLG_METHOD_MEDIAN, MLG_ESCALE, 15, 2, -1, -1},
        {"scale_group7_power", MLG_METHOD_POWER_LAW, MLG_ESCALE, 7, 0, 8, 0},
        {"order_group3", MLG_METHOD_MEAN, MLG_EORDER, 3, 2, 12, 1},
        {"order_group3_mode", MLG_METHOD_MODE, MLG_EORDER, 3, 1, -1, -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        for (size_t ti = 0; ti < sizeof thread_counts / sizeof *thread_counts;
             ti++) {
            small_batch b;
            small_init(&b);
            const int r1 = 3 * cases[i].group + cases[i].row_in_group;
            const int r2 = 3 * cases[i].group2 + cases[i].row2;
            switch (cases[i].status) {
            case MLG_ENAN:
                b.score[r1] = cases[i].group == 0 ? INFINITY : NAN;
                if (cases[i].group2 >= 0)
                    b.score[r2] = NAN;
                break;
            case MLG_ESCALE:
                b.score[r1] = 4.5;
                if (cases[i].group2 >= 0)
                    b.score[r2] = 0.5;
                break;
            default: /* EORDER: the row's day is before the previous one */
                b.day[r1] = 0;
                if (cases[i].group2 >= 0)
                    b.day[r2 + 1] = 0;
                break;
            }
            mlg_method_params p;
            assert_int_equal(mlg_method_params_init(&p, cases[i].method), MLG_OK);
            mlg_errinfo e;
            const int rc =
                mlg_batch_compute(NG, b.off, b.day, b.score, NULL, NULL, NULL,
                                  &p, thread_counts[ti], b.v, b.l, b.c, &e);
            assert_status_case(cases[i].name, rc, cases[i].status);
            assert_int_equal(e.status, cases[i].status);
            assert_int_equal(e.group, cases[i].group);
            assert_int_equal(e.row, r1); /* absolute row */
            const int g = cases[i].group;
            assert_true(isnan(b.v[g]));
            assert_int_equal(b.l[g], MLG_LEVEL_NA);
            assert_int_equal(b.c[g], 0);
            /* Groups before the failing one are computed (scores 2,3,4 ->
             * mean 3, most_recent 4, ...: never the -7.5 sentinel). */
            for (int h = 0; h < g; h++) {
                assert_false(b.v[h] == -7.5);
                assert_int_equal(b.c[h], 3);
            }
        }
}

/* The same in a batch of many blocks (the fast kernels validate 2048
 * series at a time): a day decrease inside series 15000 and a NaN in series
 * 17000 of 20000; series 15000 is reported for every thread count, with
 * the absolute row. */
static void test_data_errors_large(void **state)
{
    (void)state;
    dataset d = make_data(0xe44042u, 20000, SHAPE_WHOLE);
    size_t ga = 15000, gb = 17000;
    while (d.off[ga + 1] - d.off[ga] < 2)
        ga++;
    while (d.off[gb + 1] - d.off[gb] < 1)
        gb++;
    const int64_t ra = d.off[ga] + 1;
    d.day[ra] = d.day[ra - 1] - 1;
    d.score[d.off[gb]] = NAN;
    double *v = malloc(d.ng * sizeof *v);
    assert_non_null(v);
    static const int32_t methods[] = {MLG_METHOD_MEAN, MLG_METHOD_MOST_RECENT,
                                      MLG_METHOD_MEDIAN, MLG_METHOD_MODE};
    for (size_t mi = 0; mi < 4; mi++)
        for (size_t ti = 0; ti < sizeof thread_counts / sizeof *thread_counts;
             ti++) {
            mlg_method_params p;
            assert_int_equal(mlg_method_params_init(&p, methods[mi]), MLG_OK);
            mlg_errinfo e;
            assert_int_equal(mlg_batch_compute(d.ng, d.off, d.day, d.score,
                                               NULL, NULL, NULL, &p,
                                               thread_counts[ti], v, NULL,
                                               NULL, &e),
                             MLG_EORDER);
            assert_int_equal(e.group, (int64_t)ga);
            assert_int_equal(e.row, ra);
            assert_true(isnan(v[ga]));
        }
    free(v);
    free_data(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_equivalence_all_methods),
        cmocka_unit_test(test_equivalence_large),
        cmocka_unit_test(test_equivalence_scales),
        cmocka_unit_test(test_optional_outputs),
        cmocka_unit_test(test_explicit_scale),
        cmocka_unit_test(test_null_pointers),
        cmocka_unit_test(test_argument_errors),
        cmocka_unit_test(test_empty_batch),
        cmocka_unit_test(test_data_errors),
        cmocka_unit_test(test_data_errors_large),
        cmocka_unit_test(test_keep_going),
    };
    return cmocka_run_group_tests_name("batch", tests, NULL, NULL);
}
