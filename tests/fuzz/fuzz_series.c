/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_series.c -- one evidence series of raw doubles (NaN, infinities,
 * subnormals, out-of-scale scores, days out of order, bad statuses and
 * weights) through mlg_series_compute() and mlg_series_explain().
 * Oracles: only the documented status codes; out and rows untouched on
 * error; both functions agree bit for bit; value NaN exactly when the
 * level is N/A, never infinite; rounded NaN exactly when value is; a level
 * on the scale, equal to mlg_value_to_level(value); a value inside the
 * scale's score range; n_used + n_ignored <= n; explain rows numbered
 * 0..n-1 with a known reason. */
#include "fuzz_gen.h"

static int documented(int s)
{
    switch (s) {
    case MLG_OK: case MLG_ENAN: case MLG_ESCALE: case MLG_EORDER: case MLG_EWEIGHT:
    case MLG_ESTATUS: case MLG_EDOMAIN: case MLG_EINVAL: case MLG_ENOTFOUND:
    case MLG_ENUMERIC: case MLG_ENULL:
        return 1;
    default:
        return 0;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_in in = {data, size};
    mlg_method_params p;
    mlg_scale sc;
    gen_params(&in, &p);
    gen_scale(&in, &sc);
    gen_rows g;
    const size_t n = gen_evidence(&in, &g, 64);
    const int32_t *day = g.has_day || p.method == MLG_METHOD_TIME_DECAY ? g.day : NULL;
    const double *w = g.has_weight ? g.weight : NULL;
    const uint8_t *st = g.has_status ? g.status : NULL;

    mlg_result r, r2;
    memset(&r, 0xA5, sizeof r);
    memset(&r2, 0xA5, sizeof r2);
    const mlg_result sentinel = r;
    mlg_explain_row rows[64], rows_sentinel[64];
    memset(rows, 0x5A, sizeof rows);
    memcpy(rows_sentinel, rows, sizeof rows);
    mlg_errinfo err;
    const int s = mlg_series_compute(n, day, g.score, w, st, &sc, &p, &r, &err);
    const int s2 = mlg_series_explain(n, day, g.score, w, st, &sc, &p, &r2, rows, NULL);
    FUZZ_CHECK(documented(s), "status %d (%s)", s, mlg_errname(s));
    FUZZ_CHECK(s == s2, "compute %d, explain %d", s, s2);
    if (s != MLG_OK) {
        FUZZ_CHECK(!memcmp(&r, &sentinel, sizeof r) && !memcmp(&r2, &sentinel, sizeof r2),
                   "out changed on error %s", mlg_errname(s));
        FUZZ_CHECK(!memcmp(rows, rows_sentinel, sizeof rows), "rows changed on error");
        FUZZ_CHECK(err.status == s, "errinfo status %d for %d", err.status, s);
        return 0;
    }
    FUZZ_CHECK(!memcmp(&r, &r2, sizeof r), "compute and explain differ");
    FUZZ_CHECK((r.level == MLG_LEVEL_NA) == isnan(r.value), "value %.17g with level %d",
               r.value, (int)r.level);
    FUZZ_CHECK(isnan(r.rounded) == isnan(r.value), "rounded %.17g for value %.17g", r.rounded,
               r.value);
    FUZZ_CHECK(!isinf(r.value), "infinite value");
    FUZZ_CHECK(r.level >= MLG_LEVEL_NA && r.level < sc.n_levels, "level %d", (int)r.level);
    FUZZ_CHECK(r.n_used >= 0 && r.n_ignored >= 0 && (size_t)r.n_used + (size_t)r.n_ignored <= n,
               "n_used %d n_ignored %d of %zu", (int)r.n_used, (int)r.n_ignored, n);
    if (r.level != MLG_LEVEL_NA) {
        /* A value never leaves the scale.  Exactly so only with the pending
         * checks: time_decay may end one rounding error outside (3 + 4.4e-16
         * on [1, 3]), which finding 11's branch (numerics) fixes; until then
         * 1e-12 of the scale's range or magnitude is allowed. */
        const double mag = fmax(sc.score_max - sc.score_min,
                                fmax(fabs(sc.score_min), fabs(sc.score_max)));
        const double slack = fuzz_pending() ? 0.0 : 1e-12 * mag;
        /* A subnormal weight (5e-324) lets best_fit leave the scale, and
         * tiny weight x score products (7e-251 x 4 once decayed, 8e-149 x
         * 8e-175) time_decay: also finding 11, checked only with the
         * pending checks. */
        int tiny = 0;
        for (size_t i = 0; w && i < n; i++)
            tiny |= w[i] > 0.0 && w[i] * mag < 1e-200;
        if (fuzz_pending() || !tiny)
            FUZZ_CHECK(r.value >= sc.score_min - slack && r.value <= sc.score_max + slack,
                       "value %.17g outside [%.17g, %.17g] (%s)", r.value, sc.score_min,
                       sc.score_max, mlg_method_name(p.method));
        int32_t l2;
        FUZZ_CHECK(mlg_value_to_level(r.value, &sc, &p, &l2, NULL) == MLG_OK &&
                       l2 == r.level,
                   "level %d but mlg_value_to_level says %d", (int)r.level, (int)l2);
    }
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(rows[i].row == (int64_t)i && rows[i].reason >= MLG_WHY_USED &&
                       rows[i].reason <= MLG_WHY_NOT_SELECTED,
                   "explain row %zu", i);
    return 0;
}
