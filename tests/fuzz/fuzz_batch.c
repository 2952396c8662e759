/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_batch.c -- mlg_batch_compute() against mlg_series_compute() on
 * every group, bit for bit, with one and with three threads.
 * Input: parameters, a scale, then up to 12 groups of hostile evidence.
 * Oracles: the status is documented; the same for 1 and 3 threads; on
 * success every group's value, level and count equal the series result
 * exactly (memcmp on the value), and the outputs of 1 and 3 threads are
 * identical; on a data error err.group names the first group whose series
 * fails, with the same status, and its outputs are NaN / N/A / 0; on bad
 * params or a bad scale the batch returns the series' status for them and
 * writes no output. */
#include "fuzz_gen.h"

#define MAX_GROUPS 12
#define MAX_ROWS   24

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_in in = {data, size};
    mlg_method_params p;
    mlg_scale sc;
    gen_params(&in, &p);
    gen_scale(&in, &sc);
    const size_t ng = fuzz_u8(&in) % (MAX_GROUPS + 1);
    static int32_t day[MAX_GROUPS * MAX_ROWS];
    static double score[MAX_GROUPS * MAX_ROWS], weight[MAX_GROUPS * MAX_ROWS];
    static uint8_t status[MAX_GROUPS * MAX_ROWS];
    int64_t off[MAX_GROUPS + 1];
    int any_w = 0, any_s = 0;
    off[0] = 0;
    for (size_t k = 0; k < ng; k++) {
        gen_rows g;
        const size_t n = gen_evidence(&in, &g, MAX_ROWS);
        for (size_t i = 0; i < n; i++) {
            const size_t at = (size_t)off[k] + i;
            day[at] = g.day[i];
            score[at] = g.score[i];
            weight[at] = g.has_weight ? g.weight[i] : 1.0;
            status[at] = g.has_status ? g.status[i] : MLG_EVIDENCE_COUNTED;
        }
        any_w |= g.has_weight;
        any_s |= g.has_status;
        off[k + 1] = off[k] + (int64_t)n;
    }
    const double *w = any_w ? weight : NULL;
    const uint8_t *st = any_s ? status : NULL;
    double v1[MAX_GROUPS + 1], v3[MAX_GROUPS + 1];
    int32_t l1[MAX_GROUPS + 1], l3[MAX_GROUPS + 1], c1[MAX_GROUPS + 1], c3[MAX_GROUPS + 1];
    memset(v1, 0, sizeof v1);
    memset(v3, 0, sizeof v3);
    memset(l1, 0, sizeof l1);
    memset(l3, 0, sizeof l3);
    memset(c1, 0, sizeof c1);
    memset(c3, 0, sizeof c3);
    mlg_errinfo e1, e3;
    const int s1 = mlg_batch_compute(ng, off, day, score, w, st, &sc, &p, 1, v1, l1, c1, &e1);
    const int s3 = mlg_batch_compute(ng, off, day, score, w, st, &sc, &p, 3, v3, l3, c3, &e3);
    FUZZ_CHECK(s1 == s3, "1 thread: %s, 3 threads: %s", mlg_errname(s1), mlg_errname(s3));
    if (s1 == MLG_OK) {
        FUZZ_CHECK(!memcmp(v1, v3, sizeof v1) && !memcmp(l1, l3, sizeof l1) &&
                       !memcmp(c1, c3, sizeof c1),
                   "1 and 3 threads differ");
    } else {
        FUZZ_CHECK(e1.status == s1 && e3.status == s1 && e1.group == e3.group &&
                       e1.row == e3.row,
                   "errinfo differs between thread counts");
    }
    if (mlg_method_params_validate(&p) != MLG_OK || mlg_scale_validate(&sc) != MLG_OK) {
        /* bad params or scale, an argument error: the batch returns the
         * status mlg_series_compute() returns for them (mlg.h: MLG_EINVAL,
         * MLG_ENAN or MLG_ENOTFOUND) and leaves its outputs untouched */
        mlg_result r;
        const int s = mlg_series_compute(0, NULL, NULL, NULL, NULL, &sc, &p, &r, NULL);
        FUZZ_CHECK(s == MLG_EINVAL || s == MLG_ENAN || s == MLG_ENOTFOUND,
                   "series %s on bad arguments", mlg_errname(s));
        FUZZ_CHECK(s1 == s, "batch %s on bad arguments, series %s", mlg_errname(s1),
                   mlg_errname(s));
        for (size_t k = 0; k < ng; k++)
            FUZZ_CHECK(v1[k] == 0.0 && l1[k] == 0 && c1[k] == 0,
                       "outputs written on an argument error");
        return 0;
    }
    for (size_t k = 0; k < ng; k++) {
        const size_t o = (size_t)off[k], n = (size_t)(off[k + 1] - off[k]);
        mlg_result r;
        const int s = mlg_series_compute(n, day + o, score + o, w ? w + o : NULL,
                                         st ? st + o : NULL, &sc, &p, &r, NULL);
        if (s1 != MLG_OK && (int64_t)k == e1.group) {
            FUZZ_CHECK(s == s1, "group %zu: batch %s, series %s", k, mlg_errname(s1),
                       mlg_errname(s));
            FUZZ_CHECK(isnan(v1[k]) && l1[k] == MLG_LEVEL_NA && c1[k] == 0,
                       "failing group %zu's outputs", k);
            break;
        }
        FUZZ_CHECK(s == MLG_OK, "group %zu: series %s before the batch's first failure",
                   k, mlg_errname(s));
        if (s1 != MLG_OK)
            continue;
        FUZZ_CHECK(!memcmp(&v1[k], &r.value, sizeof r.value) && l1[k] == r.level &&
                       c1[k] == r.n_used,
                   "group %zu: batch %.17g/%d/%d, series %.17g/%d/%d", k, v1[k], (int)l1[k],
                   (int)c1[k], r.value, (int)r.level, (int)r.n_used);
    }
    return 0;
}
