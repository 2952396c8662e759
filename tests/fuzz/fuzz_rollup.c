/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_rollup.c -- hostile catalogues through the roll-up and policy APIs:
 * nodes with any kind, rule, raw rule parameters, scale and N/A policy;
 * ids from a small alias-rich dictionary; links with raw weights (0,
 * negatives, NaN, 1e308, subnormals); then mlg_rollup_run() on raw target
 * values, mlg_rollup_explain() on every node, and the warning-notice
 * inputs and list (mlg_policy.h).
 * Oracles: only documented status codes at every step; with 1 and 3
 * threads the run gives the same status and bit-identical outputs; on
 * success every node's value is NaN exactly when its level is N/A, never
 * infinite, its level on the node's scale; explain agrees with the run on
 * every node; the notice inputs are OK and the notice list's size query
 * and list agree. */
#include "fuzz.h"

#include <math.h>
#include <string.h>

#include <mlg.h>
#include <mlg_policy.h>
#include <mlg_rollup.h>

#define MAX_NODES 16
#define MAX_STUDENTS 4

static const char *const IDS[] = {
    "ELA", "MATH", "3.OA", "3.OA.A.1", "CCSS.Math.Content.3.OA.A.1", "3.OA.1", "3.OA.B.1",
    "3.NF.A.3.a", "3.NF.3.a", "ccss.math.content.3.NF.A.1", "RF.3.3", "T", "D", "C", "x.y.Z.1",
    "x.y.1"};

static int one_of(int s, const int *ok, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s == ok[i])
            return 1;
    return 0;
}
#define ONE_OF(s, ...)                                                         \
    one_of((s), (const int[]){__VA_ARGS__}, sizeof((const int[]){__VA_ARGS__}) / sizeof(int))

static double raw_or_small(fuzz_in *in)
{
    const uint8_t k = fuzz_u8(in);
    if (k < 160)
        return (k % 9) * 0.5;
    if (k < 200)
        return (double)(k % 5) * 0.25;
    if (k < 228)
        return fuzz_special(in);
    return fuzz_f64(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_in in = {data, size};
    mlg_catalogue *cat = NULL;
    FUZZ_CHECK(mlg_catalogue_create(&cat) == MLG_OK, "create");
    const size_t nn = 1 + fuzz_u8(&in) % MAX_NODES;
    char ids[MAX_NODES][64];
    mlg_errinfo err;
    for (size_t i = 0; i < nn; i++) {
        const uint8_t b = fuzz_u8(&in);
        if (b < 128)
            snprintf(ids[i], sizeof ids[i], "%s", IDS[b % (sizeof IDS / sizeof IDS[0])]);
        else
            snprintf(ids[i], sizeof ids[i], "n%u", (unsigned)(b % 32));
        const int32_t kind = fuzz_u8(&in) % 5; /* 4 is not a kind */
        mlg_rollup_rule r;
        (void)mlg_rollup_rule_init(&r, fuzz_u8(&in) % MLG_RULE_COUNT);
        const uint8_t t = fuzz_u8(&in);
        if (t & 1)
            r.p = raw_or_small(&in);
        if (t & 2)
            r.gap = (int32_t)(fuzz_u8(&in) % 5) - 1;
        if (t & 4)
            r.level = raw_or_small(&in);
        if (t & 8)
            r.cut = raw_or_small(&in);
        if (t & 16)
            r.floor = raw_or_small(&in);
        if (t & 32)
            r.source = fuzz_u8(&in) % 3;
        if (t & 64)
            r.decimals = (int32_t)(fuzz_u8(&in) % 12) - 1;
        if (t & 128)
            r.rounding = fuzz_u8(&in) % 5;
        mlg_scale sc;
        (void)mlg_scale_builtin(fuzz_u8(&in) % MLG_SCALE_BUILTIN_COUNT, &sc);
        const int32_t na = (int32_t)(fuzz_u8(&in) % 3);
        const int s = mlg_catalogue_add(cat, ids[i], NULL, kind, &sc, &r, na, &err);
        FUZZ_CHECK(ONE_OF(s, MLG_OK, MLG_EINVAL, MLG_ENOTFOUND, MLG_ENAN, MLG_EDUPLICATE),
                   "add: %s", mlg_errname(s));
    }
    const size_t nl = fuzz_u8(&in) % 24;
    for (size_t k = 0; k < nl; k++) {
        const char *pa = ids[fuzz_u8(&in) % nn], *ch = ids[fuzz_u8(&in) % nn];
        const double w = raw_or_small(&in);
        const int s = mlg_catalogue_link(cat, pa, ch, w, &err);
        FUZZ_CHECK(ONE_OF(s, MLG_OK, MLG_ENAN, MLG_EWEIGHT), "link: %s", mlg_errname(s));
        FUZZ_CHECK(s != MLG_OK || (isfinite(w) && w > 0), "link accepted weight %g", w);
    }
    const int sf = mlg_catalogue_finalize(cat, &err);
    FUZZ_CHECK(ONE_OF(sf, MLG_OK, MLG_EEMPTY, MLG_ENOTFOUND, MLG_EDUPLICATE, MLG_EINVAL,
                      MLG_ECYCLE),
               "finalize: %s", mlg_errname(sf));
    if (sf != MLG_OK) {
        FUZZ_CHECK(mlg_catalogue_node_count(cat) == 0, "unfinalised catalogue has nodes");
        mlg_catalogue_free(cat);
        return 0;
    }
    const size_t N = mlg_catalogue_node_count(cat), T = mlg_catalogue_target_count(cat);
    FUZZ_CHECK(N >= 1 && T >= 1 && T <= N, "N %zu T %zu", N, T);
    const size_t S = 1 + fuzz_u8(&in) % MAX_STUDENTS;
    double tv[MAX_STUDENTS * MAX_NODES];
    for (size_t i = 0; i < S * T; i++) {
        const uint8_t k = fuzz_u8(&in);
        tv[i] = k < 32 ? NAN : k < 230 ? 1.0 + (k % 13) * 0.25 : fuzz_f64(&in);
    }
    double v1[MAX_STUDENTS * MAX_NODES], v3[MAX_STUDENTS * MAX_NODES];
    int32_t l1[MAX_STUDENTS * MAX_NODES], l3[MAX_STUDENTS * MAX_NODES];
    int32_t f1[MAX_STUDENTS * MAX_NODES], f3[MAX_STUDENTS * MAX_NODES];
    memset(v1, 0, sizeof v1);
    memset(v3, 0, sizeof v3);
    memset(l1, 0, sizeof l1);
    memset(l3, 0, sizeof l3);
    memset(f1, 0, sizeof f1);
    memset(f3, 0, sizeof f3);
    const int s1 = mlg_rollup_run(cat, S, tv, 1, v1, l1, f1, &err);
    const int s3 = mlg_rollup_run(cat, S, tv, 3, v3, l3, f3, NULL);
    FUZZ_CHECK(ONE_OF(s1, MLG_OK, MLG_ENAN, MLG_ESCALE), "run: %s", mlg_errname(s1));
    FUZZ_CHECK(s1 == s3, "run: 1 thread %s, 3 threads %s", mlg_errname(s1), mlg_errname(s3));
    if (s1 != MLG_OK) {
        mlg_catalogue_free(cat);
        return 0;
    }
    FUZZ_CHECK(!memcmp(v1, v3, sizeof v1) && !memcmp(l1, l3, sizeof l1) &&
                   !memcmp(f1, f3, sizeof f1),
               "1 and 3 threads differ");
    for (size_t s = 0; s < S; s++) {
        for (size_t k = 0; k < N; k++) {
            const double v = v1[s * N + k];
            const int32_t l = l1[s * N + k];
            mlg_scale sc;
            FUZZ_CHECK(mlg_catalogue_node_scale(cat, k, &sc) == MLG_OK, "node_scale");
            FUZZ_CHECK((l == MLG_LEVEL_NA) == isnan(v), "student %zu node %zu: value %.17g, "
                       "level %d", s, k, v, (int)l);
            FUZZ_CHECK(!isinf(v), "node %zu: infinite value", k);
            FUZZ_CHECK(l >= MLG_LEVEL_NA && l < sc.n_levels, "node %zu: level %d", k, (int)l);
            mlg_rollup_step st;
            mlg_rollup_child ch[64];
            size_t nch = 0;
            FUZZ_CHECK(mlg_catalogue_node_children(cat, k, 0, NULL, NULL, &nch) == MLG_ESIZE ||
                           nch == 0,
                       "children size query");
            if (nch > 64)
                continue;
            const int se = mlg_rollup_explain(cat, tv + s * T, k, &st, ch, 64, NULL);
            FUZZ_CHECK(se == MLG_OK, "explain: %s", mlg_errname(se));
            FUZZ_CHECK((isnan(st.value) && isnan(v)) || st.value == v,
                       "node %zu: explain %.17g, run %.17g", k, st.value, v);
            FUZZ_CHECK(st.level == l, "node %zu: explain level %d, run %d", k, (int)st.level,
                       (int)l);
        }
    }
    /* policy: warning-notice inputs from the levels, and the list */
    double nv[MAX_STUDENTS * MAX_NODES], thr[MAX_NODES];
    int sp = mlg_notice_inputs_from_rollup(cat, S, l1, fuzz_u8(&in) & 1, nv, thr, NULL);
    FUZZ_CHECK(sp == MLG_OK, "notice inputs: %s", mlg_errname(sp));
    size_t need = 0;
    sp = mlg_notice_list(S, N, nv, thr, 0, NULL, NULL, &need, NULL);
    FUZZ_CHECK(sp == MLG_OK || sp == MLG_ESIZE, "notice size query: %s", mlg_errname(sp));
    FUZZ_CHECK(need <= S * N, "%zu notices for %zu areas", need, S * N);
    int64_t stu[MAX_STUDENTS * MAX_NODES], area[MAX_STUDENTS * MAX_NODES];
    size_t got = 0;
    sp = mlg_notice_list(S, N, nv, thr, S * N, stu, area, &got, NULL);
    FUZZ_CHECK(sp == MLG_OK && got == need, "notice list: %s, %zu of %zu", mlg_errname(sp),
               got, need);
    for (size_t i = 0; i < got; i++)
        FUZZ_CHECK(nv[stu[i] * (int64_t)N + area[i]] <= thr[area[i]], "notice %zu not at risk",
                   i);
    mlg_catalogue_free(cat);
    return 0;
}
