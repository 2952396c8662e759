/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_rollup.c -- roll-up rules, the district run and explanations
 * (include/mlg_rollup.h).  Expected values are worked by hand in the
 * comments or cited from BUL-2332.7. */
#include "mlg.h"
#include "mlg_rollup.h"
#include "mlg_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* core/rollup.c's levelling, reachable through the static library. */
int32_t mlg__rollup_level_of(double value, const mlg_scale *sc,
                             int32_t rounding, int32_t decimals);

#define NA NAN

/* A catalogue "D" (a domain under `rule`, CCS scale) over k targets T0..
 * T(k-1) (CCS, N/A allowed), linked with weights w (NULL = all 1). */
static mlg_catalogue *one_domain(size_t k, const mlg_rollup_rule *rule,
                                 const double *w, int32_t na_allowed)
{
    mlg_catalogue *c = NULL;
    assert_int_equal(mlg_catalogue_create(&c), MLG_OK);
    assert_int_equal(mlg_catalogue_add(c, "D", "Domain", MLG_NODE_DOMAIN, NULL,
                                       rule, na_allowed, NULL),
                     MLG_OK);
    for (size_t i = 0; i < k; i++) {
        char id[32];
        snprintf(id, sizeof id, "T%zu", i);
        assert_int_equal(mlg_catalogue_add(c, id, NULL, MLG_NODE_TARGET, NULL,
                                           NULL, 1, NULL),
                         MLG_OK);
        assert_int_equal(mlg_catalogue_link(c, "D", id, w ? w[i] : 1.0, NULL),
                         MLG_OK);
    }
    assert_int_equal(mlg_catalogue_finalize(c, NULL), MLG_OK);
    return c;
}

/* ------------------------------------------------------------ rule table */

/* Levels are indices: on the CCS scale level 0 is "1" ... level 3 is "4". */
static const struct {
    const char *name;
    const char *rule;      /* mlg_rollup_rule_parse() text */
    size_t k;
    double x[8];           /* target values, NA = not assessed */
    double w[8];           /* link weights; all 0 = all 1 */
    int32_t na_allowed;    /* of the domain */
    double value;          /* expected (NaN for N/A) */
    int32_t level;
    int32_t flags;
    int32_t reason;
} rule_cases[] = {
    /* BUL-2332.7 Att. A: Zoey's Operations and Algebraic Thinking targets
     * 3,2,3,3 -> 3 ("mostly proficient and doesn't have any significant
     * gaps").  L=4: share(>=4) 0 < .75; L=3: share(>=3) 3/4 >= .75 and the
     * lowest 2 >= 3-1.  Level 4 refused for the share. */
    {"zoey_mostly_proficient", "mostly_proficient p=0.75 gap=1", 4,
     {3, 2, 3, 3}, {0}, 1, 3.0, 2, 0, MLG_REFUSE_SHARE},
    /* The issue: 3,3,3,1 must not give 3.  L=3: share 3/4 but 1 < 3-1=2;
     * L=2: share(>=2) 3/4, lowest 1 >= 2-1.  -> 2, refused by the gap. */
    {"gap_3331", "mostly_proficient p=0.75 gap=1", 4, {3, 3, 3, 1}, {0}, 1,
     2.0, 1, MLG_NODE_GAP, MLG_REFUSE_GAP},
    /* 4,4,4,1 (mean 3.25) -> 2: L=4 and L=3 fail the gap (1 < 3, 1 < 2),
     * L=2 passes (1 >= 1).  The share alone would give 4: GAP flag. */
    {"gap_4441", "mostly_proficient", 4, {4, 4, 4, 1}, {0}, 1, 2.0, 1,
     MLG_NODE_GAP, MLG_REFUSE_GAP},
    {"mostly_all_4", "mostly_proficient", 4, {4, 4, 4, 4}, {0}, 1, 4.0, 3, 0,
     MLG_REFUSE_NONE},
    /* 1,1,1,1: no level above 1 has the share; level 0 is the fallback. */
    {"mostly_all_1", "mostly_proficient", 4, {1, 1, 1, 1}, {0}, 1, 1.0, 0, 0,
     MLG_REFUSE_SHARE},
    /* gap 0: 3,3,3,2: L=3 needs every child >= 3 (2 fails); L=2 passes.
     * Share alone gives 3: GAP flag. */
    {"mostly_gap0", "mostly_proficient gap=0", 4, {3, 3, 3, 2}, {0}, 1, 2.0,
     1, MLG_NODE_GAP, MLG_REFUSE_GAP},
    /* p=1: 3,2,3,3: L=3 share 3/4 < 1; L=2 share 1, lowest 2 >= 1. */
    {"mostly_p1", "mostly_proficient p=1", 4, {3, 2, 3, 3}, {0}, 1, 2.0, 1, 0,
     MLG_REFUSE_SHARE},
    /* Pivotal weight 3 on the child at 2: share(>=3) = 3/6 = .5 < .75;
     * share(>=2) = 1 -> 2. */
    {"mostly_weighted", "mostly_proficient", 4, {3, 2, 3, 3}, {1, 3, 1, 1}, 1,
     2.0, 1, 0, MLG_REFUSE_SHARE},
    /* N/A target skipped: 3,3,2 -> share(>=3) 2/3 < .75 -> L=2. */
    {"mostly_partial", "mostly_proficient", 4, {3, NA, 3, 2}, {0}, 1, 2.0, 1,
     MLG_NODE_PARTIAL, MLG_REFUSE_SHARE},

    /* mean: (3+2+3+3)/4 = 2.75 -> 3 (half up). */
    {"mean_zoey", "mean", 4, {3, 2, 3, 3}, {0}, 1, 2.75, 2, 0,
     MLG_REFUSE_VALUE},
    /* Weighted mean with a pivotal standard (sec. II.B): x 1,4,2,2 with
     * weights 1,3,1,1: (1 + 12 + 2 + 2)/6 = 17/6 = 2.8333 -> 3, where the
     * plain mean 9/4 = 2.25 gives 2. */
    {"mean_pivotal", "mean", 4, {1, 4, 2, 2}, {1, 3, 1, 1}, 1, 17.0 / 6.0, 2,
     0, MLG_REFUSE_VALUE},
    {"mean_plain", "mean", 4, {1, 4, 2, 2}, {0}, 1, 2.25, 1, 0,
     MLG_REFUSE_VALUE},
    /* Continuous values: (2.4 + 3.7 + 3.35)/3 = 9.45/3 = 3.15 -> 3. */
    {"mean_continuous", "mean", 3, {2.4, 3.7, 3.35}, {0}, 1, 3.15, 2, 0,
     MLG_REFUSE_VALUE},
    /* N/A skipped: (3 + 2)/2 = 2.5 -> 3 (half up), PARTIAL. */
    {"mean_partial", "mean", 3, {3, NA, 2}, {0}, 1, 2.5, 2, MLG_NODE_PARTIAL,
     MLG_REFUSE_VALUE},
    {"mean_half_even", "mean rounding=half_even", 2, {3, 2}, {0}, 1, 2.5, 1,
     0, MLG_REFUSE_VALUE},
    {"mean_top", "mean", 2, {4, 3.5}, {0}, 1, 3.75, 3, 0, MLG_REFUSE_NONE},

    /* median: sorted 1,2,3,4 -> (2+3)/2 = 2.5 -> 3; odd 1,2,3 -> 2. */
    {"median_even", "median", 4, {3, 2, 4, 1}, {0}, 1, 2.5, 2, 0,
     MLG_REFUSE_VALUE},
    {"median_odd", "median", 3, {3, 1, 2}, {0}, 1, 2.0, 1, 0,
     MLG_REFUSE_VALUE},
    /* Weights are ignored by the median. */
    {"median_weights_ignored", "median", 3, {3, 1, 2}, {1, 9, 1}, 1, 2.0, 1,
     0, MLG_REFUSE_VALUE},

    /* mode: 2,3,2,3 ties; highest 3, lowest 2, recent = the tied number
     * linked last (3); 3,2,3,2 recent -> 2. */
    {"mode_tie_highest", "mode", 4, {2, 3, 2, 3}, {0}, 1, 3.0, 2, 0,
     MLG_REFUSE_VALUE},
    {"mode_tie_lowest", "mode tie=lowest", 4, {2, 3, 2, 3}, {0}, 1, 2.0, 1, 0,
     MLG_REFUSE_VALUE},
    {"mode_tie_recent", "mode tie=recent", 4, {2, 3, 2, 3}, {0}, 1, 3.0, 2, 0,
     MLG_REFUSE_VALUE},
    {"mode_tie_recent2", "mode tie=recent", 4, {3, 2, 3, 2}, {0}, 1, 2.0, 1,
     0, MLG_REFUSE_VALUE},
    {"mode_clear", "mode", 5, {1, 4, 4, 2, 3}, {0}, 1, 4.0, 3, 0,
     MLG_REFUSE_NONE},
    /* source=level (the default): 2.6 and 3.4 both level 3. */
    {"mode_levels", "mode", 3, {2.6, 3.4, 1}, {0}, 1, 3.0, 2, 0,
     MLG_REFUSE_VALUE},
    {"mode_values", "mode source=value tie=lowest", 3, {2.6, 3.4, 1}, {0}, 1,
     1.0, 0, 0, MLG_REFUSE_VALUE},

    /* min and max (MasteryConnect's "weakest child"). */
    {"min", "min", 4, {3, 2.2, 3, 3}, {0}, 1, 2.2, 1, 0, MLG_REFUSE_VALUE},
    {"max", "max", 4, {3, 2.2, 3.6, 3}, {0}, 1, 3.6, 3, 0, MLG_REFUSE_NONE},

    /* percent_at_or_above level 3, p .7 ("pass if >= 70% of power
     * standards are met"): 3,3,2,4: share(>=3) 3/4 -> 3, capped. */
    {"percent_met", "percent_at_or_above level=3 p=0.7", 4, {3, 3, 2, 4}, {0},
     1, 3.0, 2, 0, MLG_REFUSE_CAP},
    /* 3,2,2,4: share(>=3) 2/4 < .7; share(>=2) 1 -> 2. */
    {"percent_not_met", "percent_at_or_above level=3 p=0.7", 4, {3, 2, 2, 4},
     {0}, 1, 2.0, 1, 0, MLG_REFUSE_SHARE},
    /* 7 of 10 at 3: share exactly .7 counts. */
    {"percent_exact_share", "percent_at_or_above level=3 p=0.7", 8,
     {3, 3, 3, 3, 3, 3, 3, 1}, {1, 1, 1, 1, 1, 1, 1, 3}, 1, 3.0, 2, 0,
     MLG_REFUSE_CAP},
    /* No cap (level top): 4,4,4,3: share(>=4) 3/4 >= .7 -> 4. */
    {"percent_top", "percent_at_or_above", 4, {4, 4, 4, 3}, {0}, 1, 4.0, 3, 0,
     MLG_REFUSE_NONE},
    /* 1,1,1,2: nothing above 1 reaches .7. */
    {"percent_floor", "percent_at_or_above", 4, {1, 1, 1, 2}, {0}, 1, 1.0, 0,
     0, MLG_REFUSE_SHARE},

    /* all_met level 3: every child >= 3 -> 3 (capped); a 2 -> 2. */
    {"all_met", "all_met level=3", 3, {3, 4, 3}, {0}, 1, 3.0, 2, 0,
     MLG_REFUSE_CAP},
    {"all_met_not", "all_met level=3", 3, {3, 4, 2}, {0}, 1, 2.0, 1, 0,
     MLG_REFUSE_SHARE},
    {"all_met_top", "all_met", 3, {4, 4, 4}, {0}, 1, 4.0, 3, 0,
     MLG_REFUSE_NONE},

    /* band_with_floor, level 4, cut 3.5, floor 3 ("an A needs > 3.5 and no
     * 1 or 2"): 4,4,4,3: mean 3.75 -> 4, no child below 3 -> 4. */
    {"band_ok", "band_with_floor", 4, {4, 4, 4, 3}, {0}, 1, 4.0, 3, 0,
     MLG_REFUSE_NONE},
    /* 4,4,4,2: mean 3.5 -> 4 by the mean, but a 2 is below the floor -> 3. */
    {"band_floor", "band_with_floor", 4, {4, 4, 4, 2}, {0}, 1, 3.0, 2,
     MLG_NODE_GAP, MLG_REFUSE_FLOOR},
    /* 4,4,3,3: mean 3.5 >= cut 3.5 and no child below 3 -> 4. */
    {"band_at_cut", "band_with_floor", 4, {4, 4, 3, 3}, {0}, 1, 4.0, 3, 0,
     MLG_REFUSE_NONE},
    /* cut 3.6: 4,4,3,3 mean 3.5 levels to 4 but is below the cut -> 3. */
    {"band_cut", "band_with_floor cut=3.6", 4, {4, 4, 3, 3}, {0}, 1, 3.0, 2, 0,
     MLG_REFUSE_CUT},
    /* 4,4,4,1: mean 3.25 -> 3, below the guarded level: no guard. */
    {"band_below_guard", "band_with_floor", 4, {4, 4, 4, 1}, {0}, 1, 3.0, 2, 0,
     MLG_REFUSE_VALUE},
    /* Guard at 3 with floor 2: 3,3,1 mean 2.333 -> 2, unguarded. 3,4,1:
     * mean 2.667 -> 3, guarded, 1 < 2 -> 2. */
    {"band_guard3", "band_with_floor level=3 cut=2.5 floor=2", 3, {3, 4, 1},
     {0}, 1, 2.0, 1, MLG_NODE_GAP, MLG_REFUSE_FLOOR},
    /* Guard at the lowest level cannot demote. */
    {"band_guard_lowest", "band_with_floor level=1 cut=4 floor=4", 2, {1, 1},
     {0}, 1, 1.0, 0, 0, MLG_REFUSE_VALUE},

    /* source: 3, 2.9, 3, 3 under mostly_proficient p=1.  Levels: 2.9 is
     * level 3, all at 3 -> 3.  Values: share(>=3) 3/4 < 1 -> 2. */
    {"source_level", "mostly_proficient p=1", 4, {3, 2.9, 3, 3}, {0}, 1, 3.0,
     2, 0, MLG_REFUSE_SHARE},
    {"source_value", "mostly_proficient p=1 source=value", 4, {3, 2.9, 3, 3},
     {0}, 1, 2.0, 1, 0, MLG_REFUSE_SHARE},

    /* capped_median (the default domain rule): the median of the target
     * levels, rounded down between two levels, at most gap levels above
     * the lowest target.  lo/hi = highest level held by > 1/2 / >= 1/2 of
     * the weight.  Zoey 3,2,3,3 (Att. A): shares >=3 3/4, >=4 0: lo = hi =
     * 3; lowest 2, cap 2+1 = 3 -> 3; 4 refused, 0% at 4. */
    {"capped_zoey", "capped_median", 4, {3, 2, 3, 3}, {0}, 1, 3.0, 2, 0,
     MLG_REFUSE_SHARE},
    /* 3,3,3,1: median 3, lowest 1, cap 2 -> 2; the cap lowered it:
     * GAP and REVIEW. */
    {"capped_3331", "capped_median", 4, {3, 3, 3, 1}, {0}, 1, 2.0, 1,
     MLG_NODE_GAP | MLG_NODE_REVIEW, MLG_REFUSE_GAP},
    /* {4,1}: share >=4 is 1/2: lo = 1, hi = 4, floor(2.5) = 2; cap 2 ->
     * 2.  Only half the weight is at 2 or above: REVIEW. */
    {"capped_41", "capped_median", 2, {4, 1}, {0}, 1, 2.0, 1,
     MLG_NODE_REVIEW, MLG_REFUSE_SHARE},
    /* {4,4,1}: median 4, cap 2 -> 2 (was 1 under mostly_proficient). */
    {"capped_441", "capped_median", 3, {4, 4, 1}, {0}, 1, 2.0, 1,
     MLG_NODE_GAP | MLG_NODE_REVIEW, MLG_REFUSE_GAP},
    /* {3,3,2}: median 3, lowest 2, cap 3 -> 3 (was 2). */
    {"capped_332", "capped_median", 3, {3, 3, 2}, {0}, 1, 3.0, 2, 0,
     MLG_REFUSE_SHARE},
    /* 3,3,2,2: lo 2, hi 3, floor(2.5) = 2; no review (2 is held by all). */
    {"capped_3322", "capped_median", 4, {3, 3, 2, 2}, {0}, 1, 2.0, 1, 0,
     MLG_REFUSE_SHARE},
    /* Pivotal weight 3 on the 2 (sec. II.B): share >=3 = 3/6: lo 2, hi 3
     * -> 2. */
    {"capped_weighted", "capped_median", 4, {3, 2, 3, 3}, {1, 3, 1, 1}, 1,
     2.0, 1, 0, MLG_REFUSE_SHARE},
    /* gap 0: 3,3,3,2: median 3, cap = lowest 2 -> 2, GAP and REVIEW. */
    {"capped_gap0", "capped_median gap=0", 4, {3, 3, 3, 2}, {0}, 1, 2.0, 1,
     MLG_NODE_GAP | MLG_NODE_REVIEW, MLG_REFUSE_GAP},
    /* N/A skipped: {4,1} as above, PARTIAL too. */
    {"capped_partial", "capped_median", 3, {4, NA, 1}, {0}, 1, 2.0, 1,
     MLG_NODE_PARTIAL | MLG_NODE_REVIEW, MLG_REFUSE_SHARE},
    /* All at 4: top, nothing refused. */
    {"capped_top", "capped_median", 2, {4, 4}, {0}, 1, 4.0, 3, 0,
     MLG_REFUSE_NONE},

    /* Every child N/A: N/A where allowed (math domains, sec. II.A), a
     * violation where not (ELA): never a silent 0. */
    {"all_na_allowed", "mean", 3, {NA, NA, NA}, {0}, 1, NA, MLG_LEVEL_NA,
     MLG_NODE_NA, MLG_REFUSE_NONE},
    {"all_na_forbidden", "mostly_proficient", 3, {NA, NA, NA}, {0}, 0, NA,
     MLG_LEVEL_NA, MLG_NODE_VIOLATION, MLG_REFUSE_NONE},
};

static void test_rule_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rule_cases / sizeof rule_cases[0]; i++) {
        const char *name = rule_cases[i].name;
        mlg_rollup_rule r;
        assert_status_case(name, mlg_rollup_rule_parse(rule_cases[i].rule, &r,
                                                        NULL),
                           MLG_OK);
        const size_t k = rule_cases[i].k;
        const double *w = rule_cases[i].w[0] > 0 ? rule_cases[i].w : NULL;
        mlg_catalogue *c = one_domain(k, &r, w, rule_cases[i].na_allowed);
        const size_t N = mlg_catalogue_node_count(c);
        assert_int_equal(N, k + 1);
        double val[9];
        int32_t lev[9], flg[9];
        assert_status_case(name,
                           mlg_rollup_run(c, 1, rule_cases[i].x, 1, val, lev,
                                          flg, NULL),
                           MLG_OK);
        /* Node 0 is D. */
        if (isnan(rule_cases[i].value)) {
            if (!isnan(val[0]))
                fail_msg("case %s: value %g, expected NaN", name, val[0]);
        } else {
            assert_double_near_case(name, val[0], rule_cases[i].value, 1e-12);
        }
        if (lev[0] != rule_cases[i].level)
            fail_msg("case %s: level %d, expected %d", name, lev[0],
                     rule_cases[i].level);
        if (flg[0] != rule_cases[i].flags)
            fail_msg("case %s: flags %d, expected %d", name, flg[0],
                     rule_cases[i].flags);
        /* The explanation agrees with the run. */
        mlg_rollup_step st;
        mlg_rollup_child ch[8];
        assert_status_case(name,
                           mlg_rollup_explain(c, rule_cases[i].x, 0, &st, ch,
                                              8, NULL),
                           MLG_OK);
        if (st.reason != rule_cases[i].reason)
            fail_msg("case %s: reason %s, expected %s", name,
                     mlg_rollup_refuse_name(st.reason),
                     mlg_rollup_refuse_name(rule_cases[i].reason));
        assert_int_equal(st.level, lev[0]);
        assert_int_equal(st.flags, flg[0]);
        assert_int_equal(st.n_children, (int64_t)k);
        assert_int_equal(st.refused_level,
                         st.reason == MLG_REFUSE_NONE ? -1 : st.level + 1);
        assert_int_equal(st.message[0] == '\0',
                         st.reason == MLG_REFUSE_NONE);
        int64_t used = 0;
        for (size_t j = 0; j < k; j++) {
            assert_int_equal(ch[j].used, !isnan(rule_cases[i].x[j]));
            used += ch[j].used;
        }
        assert_int_equal(st.n_used, used);
        mlg_catalogue_free(c);
    }
}

/* ------------------------------------------- capped_median properties */

/* Every multiset of 1..5 levels (indices 0..3), non-increasing: the 125
 * rows of docs/rollups.md's decision table. */
#define PM_K 5
#define PM_ROWS 125
typedef struct pm_row {
    int k;
    int lev[PM_K];
} pm_row;

static void pm_gen(pm_row *rows, size_t *n, int k, int pos, int hi, int *cur)
{
    if (pos == k) {
        rows[*n].k = k;
        memcpy(rows[*n].lev, cur, sizeof rows[*n].lev);
        (*n)++;
        return;
    }
    for (int l = hi; l >= 0; l--) {
        cur[pos] = l;
        pm_gen(rows, n, k, pos + 1, l, cur);
    }
}

/* The capped_median mark (level index) and flags of each multiset, each
 * repeated `copies` times (a domain of up to 15 targets, N/A padding). */
static void pm_marks(const pm_row *rows, size_t n, int copies, int32_t *mark,
                     int32_t *flags)
{
    mlg_rollup_rule r;
    assert_int_equal(mlg_rollup_rule_init(&r, MLG_RULE_CAPPED_MEDIAN), MLG_OK);
    const size_t T = (size_t)PM_K * (size_t)copies;
    mlg_catalogue *c = one_domain(T, &r, NULL, 1);
    const size_t N = T + 1;
    double *in = malloc(n * T * sizeof *in);
    double *val = malloc(n * N * sizeof *val);
    int32_t *lev = malloc(n * N * sizeof *lev);
    int32_t *flg = malloc(n * N * sizeof *flg);
    assert_non_null(in);
    assert_non_null(val);
    assert_non_null(lev);
    assert_non_null(flg);
    for (size_t i = 0; i < n; i++)
        for (size_t t = 0; t < T; t++) {
            const size_t j = t % PM_K;
            in[i * T + t] = (int)j < rows[i].k ? rows[i].lev[j] + 1.0 : NA;
        }
    assert_int_equal(mlg_rollup_run(c, n, in, 1, val, lev, flg, NULL), MLG_OK);
    for (size_t i = 0; i < n; i++) {
        mark[i] = lev[i * N];
        flags[i] = flg[i * N] & (MLG_NODE_GAP | MLG_NODE_REVIEW);
    }
    free(in);
    free(val);
    free(lev);
    free(flg);
    mlg_catalogue_free(c);
}

/* Index of the multiset (sorted non-increasing) in rows. */
static size_t pm_find(const pm_row *rows, size_t n, int k, const int *lev)
{
    int s[PM_K] = {0};
    memcpy(s, lev, (size_t)k * sizeof *s);
    for (int i = 1; i < k; i++)
        for (int j = i; j > 0 && s[j - 1] < s[j]; j--) {
            const int t = s[j];
            s[j] = s[j - 1];
            s[j - 1] = t;
        }
    for (size_t i = 0; i < n; i++)
        if (rows[i].k == k && memcmp(rows[i].lev, s, sizeof s) == 0)
            return i;
    fail_msg("multiset not found");
    return 0;
}

/* Issue 9's properties of the domain rule, checked on every row of the
 * decision table. */
static void test_capped_median_properties(void **state)
{
    (void)state;
    pm_row rows[PM_ROWS];
    size_t n = 0;
    int cur[PM_K] = {0};
    for (int k = 1; k <= PM_K; k++)
        pm_gen(rows, &n, k, 0, 3, cur);
    /* 4 + 10 + 20 + 35 + 56 multisets of sizes 1..5 over 4 levels. */
    assert_int_equal(n, 125);
    int32_t mark[PM_ROWS], flags[PM_ROWS], mark2[PM_ROWS], flags2[PM_ROWS],
        mark3[PM_ROWS], flags3[PM_ROWS];
    pm_marks(rows, n, 1, mark, flags);
    pm_marks(rows, n, 2, mark2, flags2);
    pm_marks(rows, n, 3, mark3, flags3);
    size_t n_review = 0;
    for (size_t i = 0; i < n; i++) {
        const pm_row *r = &rows[i];
        const int hi = r->lev[0], lo = r->lev[r->k - 1];
        /* 1. Bounds. */
        if (mark[i] < lo || mark[i] > hi)
            fail_msg("row %zu: mark %d outside [%d, %d]", i + 1, mark[i], lo,
                     hi);
        /* 3. Proportions, not counts: doubling and tripling every target
         * keeps the mark and the flags. */
        assert_int_equal(mark2[i], mark[i]);
        assert_int_equal(mark3[i], mark[i]);
        assert_int_equal(flags2[i], flags[i]);
        assert_int_equal(flags3[i], flags[i]);
        /* 2. Monotone: raise each target by one level. */
        for (int j = 0; j < r->k; j++) {
            if (r->lev[j] == 3)
                continue;
            int up[PM_K];
            memcpy(up, r->lev, sizeof up);
            up[j]++;
            const size_t u = pm_find(rows, n, r->k, up);
            if (mark[u] < mark[i])
                fail_msg("row %zu: raising a target lowers %d to %d", i + 1,
                         mark[i], mark[u]);
        }
        for (int L = 0; L <= 3; L++) {
            int at_or_above = 0;
            for (int j = 0; j < r->k; j++)
                at_or_above += r->lev[j] >= L;
            /* 5. More than half at L or above and none more than one level
             * below L: the mark is at least L. */
            if (2 * at_or_above > r->k && lo >= L - 1 && mark[i] < L)
                fail_msg("row %zu: mark %d below %d", i + 1, mark[i], L);
            /* 6. A target two or more levels below L keeps the mark under
             * L. */
            if (lo <= L - 2 && mark[i] >= L)
                fail_msg("row %zu: mark %d with a target at %d", i + 1,
                         mark[i], lo);
        }
        /* Review never on targets within one level of each other; always
         * when the cap lowered the mark (GAP). */
        if (hi - lo <= 1)
            assert_int_equal(flags[i], 0);
        if (flags[i] & MLG_NODE_GAP)
            assert_true(flags[i] & MLG_NODE_REVIEW);
        n_review += (flags[i] & MLG_NODE_REVIEW) != 0;
    }
    /* 4. Zoey, BUL-2332.7 Att. A: 3,2,3,3 -> 3 (level index 2); and the
     * issue's cases: 3,3,3,1 -> 2; {4,1} -> 2 with review. */
    const int zoey[] = {2, 1, 2, 2}, g3331[] = {2, 2, 2, 0}, f41[] = {3, 0};
    assert_int_equal(mark[pm_find(rows, n, 4, zoey)], 2);
    assert_int_equal(flags[pm_find(rows, n, 4, zoey)], 0);
    assert_int_equal(mark[pm_find(rows, n, 4, g3331)], 1);
    assert_int_equal(mark[pm_find(rows, n, 2, f41)], 1);
    assert_true(flags[pm_find(rows, n, 2, f41)] & MLG_NODE_REVIEW);
    /* docs/rollups.md: 33 of the 125 rows are flagged for review. */
    assert_int_equal(n_review, 33);
}

/* The wording for the refusal: "lowest child 1 is below 3-1". */
static void test_explain_messages(void **state)
{
    (void)state;
    mlg_rollup_rule r;
    mlg_rollup_rule_init(&r, MLG_RULE_MOSTLY_PROFICIENT);
    mlg_catalogue *c = one_domain(4, &r, NULL, 1);
    mlg_rollup_step st;
    mlg_rollup_child ch[4];

    const double gap[4] = {4, 4, 4, 1};
    assert_int_equal(mlg_rollup_explain(c, gap, 0, &st, ch, 4, NULL), MLG_OK);
    assert_string_equal(st.message, "lowest child 1 is below 3-1");
    assert_int_equal(st.refused_level, 2);
    /* share(>=3) = 3/4 */
    assert_double_near(st.statistic, 0.75, 0);
    assert_int_equal(ch[3].blocking, 1);
    assert_int_equal(ch[0].blocking + ch[1].blocking + ch[2].blocking, 0);
    assert_double_near(ch[3].number, 1.0, 0);
    assert_int_equal(ch[3].node, 4);
    assert_double_near(ch[3].weight, 1.0, 0);

    const double zoey[4] = {3, 2, 3, 3};
    assert_int_equal(mlg_rollup_explain(c, zoey, 0, &st, ch, 4, NULL), MLG_OK);
    assert_string_equal(st.message,
                        "0% of children at 4 or above, needs 75%");
    /* Every child is below 4, so every child blocks 4. */
    for (int j = 0; j < 4; j++)
        assert_int_equal(ch[j].blocking, 1);
    assert_int_equal(st.rule, MLG_RULE_MOSTLY_PROFICIENT);
    assert_int_equal(st.source, MLG_SOURCE_LEVEL);
    mlg_catalogue_free(c);

    struct {
        const char *rule;
        double x[4];
        const char *msg;
    } m[] = {
        {"mean", {3, 2, 3, 2}, "value 2.5 levels to 3, below 4"},
        {"all_met level=3", {3, 4, 3, 3}, "the rule awards at most 3"},
        {"all_met", {3, 4, 2, 3}, "75% of children at 3 or above, needs 100%"},
        {"band_with_floor cut=3.6", {4, 4, 3, 3},
         "mean 3.5 is below the cut 3.6 for 4"},
        {"band_with_floor", {4, 4, 4, 2},
         "lowest child 2 is below the floor 3 for 4"},
        {"max", {4, 1, 1, 1}, ""},
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
        assert_int_equal(mlg_rollup_rule_parse(m[i].rule, &r, NULL), MLG_OK);
        c = one_domain(4, &r, NULL, 1);
        assert_int_equal(mlg_rollup_explain(c, m[i].x, 0, &st, ch, 4, NULL),
                         MLG_OK);
        if (strcmp(st.message, m[i].msg) != 0)
            fail_msg("rule %s: message \"%s\", expected \"%s\"", m[i].rule,
                     st.message, m[i].msg);
        mlg_catalogue_free(c);
    }
}

/* A target's own step: no children, its value levelled. */
static void test_explain_target(void **state)
{
    (void)state;
    mlg_catalogue *c = one_domain(2, NULL, NULL, 1);
    const double x[2] = {2.25, NA};
    mlg_rollup_step st;
    assert_int_equal(mlg_rollup_explain(c, x, 1, &st, NULL, 0, NULL), MLG_OK);
    assert_int_equal(st.n_children, 0);
    assert_int_equal(st.level, 1);
    assert_double_near(st.value, 2.25, 0);
    assert_int_equal(st.reason, MLG_REFUSE_VALUE);
    assert_string_equal(st.message, "value 2.25 levels to 2, below 3");
    assert_int_equal(mlg_rollup_explain(c, x, 2, &st, NULL, 0, NULL), MLG_OK);
    assert_int_equal(st.level, MLG_LEVEL_NA);
    assert_int_equal(st.flags, MLG_NODE_NA);
    assert_int_equal(st.reason, MLG_REFUSE_NONE);
    assert_true(isnan(st.statistic));
    mlg_catalogue_free(c);
}

/* BUL-2332.7 Attachment A end to end: LT1's evidence 1,2,3,3 gives 3 under
 * most_recent (mlg_series_compute), LT2..LT4 are 2, 3, 3, and the
 * Operations and Algebraic Thinking domain is 3 under mostly_proficient; the
 * plain mean of the evidence would give 2.25 for LT1. */
static void test_zoey_full_domain(void **state)
{
    (void)state;
    mlg_method_params mp;
    assert_int_equal(mlg_method_params_init(&mp, MLG_METHOD_MOST_RECENT),
                     MLG_OK);
    const int32_t day[4] = {10, 20, 30, 40};
    const double ev[4] = {1, 2, 3, 3};
    mlg_result lt1;
    assert_int_equal(mlg_series_compute(4, day, ev, NULL, NULL, NULL, &mp,
                                        &lt1, NULL),
                     MLG_OK);
    assert_double_near(lt1.value, 3.0, 0);

    mlg_catalogue *c = NULL;
    assert_int_equal(mlg_catalogue_create(&c), MLG_OK);
    assert_int_equal(mlg_catalogue_add_bulletin_grade3(c, NULL, NULL, NULL),
                     MLG_OK);
    const char *lt[4] = {"3.OA.A.1", "3.OA.A.2", "3.OA.A.3", "3.OA.A.4"};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(mlg_catalogue_add(c, lt[i], NULL, MLG_NODE_TARGET,
                                           NULL, NULL, 1, NULL),
                         MLG_OK);
        assert_int_equal(mlg_catalogue_link(c, "3.OA", lt[i], 1.0, NULL),
                         MLG_OK);
    }
    assert_int_equal(mlg_catalogue_finalize(c, NULL), MLG_OK);
    const size_t N = mlg_catalogue_node_count(c);
    assert_int_equal(mlg_catalogue_target_count(c), 4);
    const double x[4] = {lt1.value, 2, 3, 3};
    double *val = malloc(N * sizeof *val);
    int32_t *lev = malloc(N * sizeof *lev);
    int32_t *flg = malloc(N * sizeof *flg);
    assert_int_equal(mlg_rollup_run(c, 1, x, 1, val, lev, flg, NULL), MLG_OK);
    size_t oa = 0, math = 0, ela = 0, nbt = 0, mp_ = 0, vapa = 0;
    assert_int_equal(mlg_catalogue_find(c, "3.OA", &oa), MLG_OK);
    assert_int_equal(mlg_catalogue_find(c, "MATH", &math), MLG_OK);
    assert_int_equal(mlg_catalogue_find(c, "ELA", &ela), MLG_OK);
    assert_int_equal(mlg_catalogue_find(c, "3.NBT", &nbt), MLG_OK);
    assert_int_equal(mlg_catalogue_find(c, "MATH.MP", &mp_), MLG_OK);
    assert_int_equal(mlg_catalogue_find(c, "VAPA", &vapa), MLG_OK);
    assert_double_near(val[oa], 3.0, 0);
    assert_int_equal(lev[oa], 2);
    assert_int_equal(flg[oa], 0);
    /* Math composite = mean of its assessed domains: only 3.OA -> 3; the
     * other math domains are N/A, which sec. II.A allows. */
    assert_double_near(val[math], 3.0, 0);
    assert_int_equal(flg[math], MLG_NODE_PARTIAL);
    assert_int_equal(flg[nbt], MLG_NODE_NA);
    assert_int_equal(flg[mp_], MLG_NODE_NA);
    /* ELA has no evidence: its domains and composite are violations. */
    assert_int_equal(flg[ela], MLG_NODE_VIOLATION | MLG_NODE_BELOW_VIOLATION);
    assert_int_equal(lev[ela], MLG_LEVEL_NA);
    /* VAPA disciplines may be N/A, the subject line may not (note **). */
    assert_int_equal(flg[vapa], MLG_NODE_VIOLATION);
    /* Aliases reach the same targets. */
    size_t t = 99;
    assert_int_equal(mlg_catalogue_find_target(c, "CCSS.Math.Content.3.OA.A.1",
                                               &t),
                     MLG_OK);
    assert_int_equal(t, 0);
    assert_int_equal(mlg_catalogue_find_target(c, "3.OA.4", &t), MLG_OK);
    assert_int_equal(t, 3);
    free(val);
    free(lev);
    free(flg);
    mlg_catalogue_free(c);
}

/* ------------------------------------------------------------ DAG, deep */

/* A shared child counts in both parents; N/A and violations propagate as
 * documented.  Catalogue: S (subject, mean, no N/A) <- A, B (domains);
 * A <- t1, t2; B <- t2, t3 (t2 shared, weight 2 under B). */
static mlg_catalogue *dag(void)
{
    mlg_catalogue *c = NULL;
    mlg_rollup_rule mean;
    mlg_rollup_rule_init(&mean, MLG_RULE_MEAN);
    assert_int_equal(mlg_catalogue_create(&c), MLG_OK);
    /* Targets first, parents later, links before the nodes exist. */
    assert_int_equal(mlg_catalogue_link(c, "S", "A", 1.0, NULL), MLG_OK);
    assert_int_equal(mlg_catalogue_link(c, "S", "B", 1.0, NULL), MLG_OK);
    assert_int_equal(mlg_catalogue_add(c, "t1", NULL, MLG_NODE_TARGET, NULL,
                                       NULL, 1, NULL),
                     MLG_OK);
    assert_int_equal(mlg_catalogue_add(c, "t2", NULL, MLG_NODE_TARGET, NULL,
                                       NULL, 1, NULL),
                     MLG_OK);
    assert_int_equal(mlg_catalogue_add(c, "t3", NULL, MLG_NODE_TARGET, NULL,
                                       NULL, 1, NULL),
                     MLG_OK);
    assert_int_equal(mlg_catalogue_add(c, "S", "Subject", MLG_NODE_SUBJECT,
                                       NULL, &mean, 0, NULL),
                     MLG_OK);
    assert_int_equal(mlg_catalogue_add(c, "A", NULL, MLG_NODE_DOMAIN, NULL,
                                       &mean, 1, NULL),
                     MLG_OK);
    assert_int_equal(mlg_catalogue_add(c, "B", NULL, MLG_NODE_DOMAIN, NULL,
                                       &mean, 0, NULL),
                     MLG_OK);
    assert_int_equal(mlg_catalogue_link(c, "A", "t1", 1.0, NULL), MLG_OK);
    assert_int_equal(mlg_catalogue_link(c, "A", "t2", 1.0, NULL), MLG_OK);
    assert_int_equal(mlg_catalogue_link(c, "B", "t2", 2.0, NULL), MLG_OK);
    assert_int_equal(mlg_catalogue_link(c, "B", "t3", 1.0, NULL), MLG_OK);
    assert_int_equal(mlg_catalogue_finalize(c, NULL), MLG_OK);
    return c;
}

static void test_dag_shared_child(void **state)
{
    (void)state;
    mlg_catalogue *c = dag();
    /* Nodes: t1 0, t2 1, t3 2, S 3, A 4, B 5. */
    const double x[3 * 3] = {
        /* A = (1.5 + 3.5)/2 = 2.5; B = (2*3.5 + 2)/3 = 3; S = 2.75 */
        1.5, 3.5, 2.0,
        /* t2, t3 N/A: A = 4 (partial); B N/A where forbidden: violation;
         * S = mean of A only = 4, partial, below a violation. */
        4.0, NA, NA,
        /* all N/A: A N/A (allowed), B violation, S violation. */
        NA, NA, NA,
    };
    double val[18];
    int32_t lev[18], flg[18];
    assert_int_equal(mlg_rollup_run(c, 3, x, 1, val, lev, flg, NULL), MLG_OK);
    assert_double_near(val[4], 2.5, 1e-15);
    assert_double_near(val[5], 3.0, 1e-15);
    assert_double_near(val[3], 2.75, 1e-15);
    assert_int_equal(lev[3], 2);
    for (int i = 0; i < 6; i++)
        assert_int_equal(flg[i], 0);

    assert_double_near(val[6 + 4], 4.0, 0);
    assert_int_equal(flg[6 + 4], MLG_NODE_PARTIAL);
    assert_int_equal(flg[6 + 5], MLG_NODE_VIOLATION);
    assert_int_equal(lev[6 + 5], MLG_LEVEL_NA);
    assert_double_near(val[6 + 3], 4.0, 0);
    assert_int_equal(flg[6 + 3], MLG_NODE_PARTIAL | MLG_NODE_BELOW_VIOLATION);
    assert_int_equal(flg[6 + 1], MLG_NODE_NA);

    assert_int_equal(flg[12 + 4], MLG_NODE_NA);
    assert_int_equal(flg[12 + 5], MLG_NODE_VIOLATION);
    assert_int_equal(flg[12 + 3],
                     MLG_NODE_VIOLATION | MLG_NODE_BELOW_VIOLATION);
    assert_true(isnan(val[12 + 3]));

    /* Optional outputs may be NULL; the values are the same. */
    double val2[18];
    assert_int_equal(mlg_rollup_run(c, 3, x, 2, val2, NULL, NULL, NULL),
                     MLG_OK);
    assert_memory_equal(val, val2, sizeof val);

    /* Explaining B for student 0: t2 weight 2. */
    mlg_rollup_step st;
    mlg_rollup_child ch[2];
    assert_int_equal(mlg_rollup_explain(c, x, 5, &st, ch, 2, NULL), MLG_OK);
    assert_int_equal(ch[0].node, 1);
    assert_double_near(ch[0].weight, 2.0, 0);
    assert_double_near(ch[0].value, 3.5, 0);
    assert_int_equal(ch[0].level, 3); /* 3.5 -> 4 half up */
    assert_double_near(ch[0].number, 3.5, 0); /* mean reads values */
    assert_double_near(st.statistic, 3.0, 1e-15);
    mlg_catalogue_free(c);
}

/* A violation's parent on a level-reading rule and a skipped child. */
static void test_explain_skipped_child(void **state)
{
    (void)state;
    mlg_catalogue *c = dag();
    const double x[3] = {4.0, NA, NA};
    mlg_rollup_step st;
    mlg_rollup_child ch[2];
    assert_int_equal(mlg_rollup_explain(c, x, 3, &st, ch, 2, NULL), MLG_OK);
    assert_int_equal(st.n_used, 1);
    assert_int_equal(ch[1].used, 0);
    assert_true(isnan(ch[1].number));
    assert_int_equal(ch[1].flags, MLG_NODE_VIOLATION);
    assert_int_equal(ch[1].blocking, 0);
    mlg_catalogue_free(c);
}

/* ----------------------------------------------------- determinism, scale */

/* Deterministic pseudo-random numbers (a 64-bit LCG, Knuth MMIX). */
static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 11;
}

/* Identical outputs for every thread count, on a 3-level DAG with every
 * rule, 3000 students, 10% N/A. */
static void test_threads_deterministic(void **state)
{
    (void)state;
    mlg_catalogue *c = NULL;
    assert_int_equal(mlg_catalogue_create(&c), MLG_OK);
    const size_t T = 24, D = 9;
    for (size_t i = 0; i < T; i++) {
        char id[32];
        snprintf(id, sizeof id, "t%zu", i);
        assert_int_equal(mlg_catalogue_add(c, id, NULL, MLG_NODE_TARGET, NULL,
                                           NULL, 1, NULL),
                         MLG_OK);
    }
    for (size_t d = 0; d < D; d++) {
        char id[32];
        snprintf(id, sizeof id, "d%zu", d);
        mlg_rollup_rule r;
        mlg_rollup_rule_init(&r, (int32_t)(d % MLG_RULE_COUNT));
        assert_int_equal(mlg_catalogue_add(c, id, NULL, MLG_NODE_DOMAIN, NULL,
                                           &r, (int32_t)(d % 2), NULL),
                         MLG_OK);
        /* Domain d takes targets 2d .. 2d+5 (overlapping: a DAG). */
        for (size_t j = 0; j < 6; j++) {
            char tid[32];
            snprintf(tid, sizeof tid, "t%zu", (2 * d + j) % T);
            assert_int_equal(mlg_catalogue_link(c, id, tid,
                                                1.0 + (double)(j % 3), NULL),
                             MLG_OK);
        }
        assert_int_equal(mlg_catalogue_link(c, "top", id, 1.0, NULL), MLG_OK);
    }
    mlg_rollup_rule top;
    mlg_rollup_rule_init(&top, MLG_RULE_MEDIAN);
    assert_int_equal(mlg_catalogue_add(c, "top", NULL, MLG_NODE_COMPOSITE,
                                       NULL, &top, 0, NULL),
                     MLG_OK);
    assert_int_equal(mlg_catalogue_finalize(c, NULL), MLG_OK);
    const size_t N = mlg_catalogue_node_count(c), S = 3000;
    double *x = malloc(S * T * sizeof *x);
    uint64_t seed = 12345;
    for (size_t i = 0; i < S * T; i++) {
        const uint64_t r = lcg(&seed);
        x[i] = r % 10 == 0 ? NA : 1.0 + (double)(r % 301) / 100.0;
    }
    double *v1 = malloc(S * N * sizeof *v1), *v2 = malloc(S * N * sizeof *v2);
    int32_t *l1 = malloc(S * N * sizeof *l1), *l2 = malloc(S * N * sizeof *l2);
    int32_t *f1 = malloc(S * N * sizeof *f1), *f2 = malloc(S * N * sizeof *f2);
    assert_int_equal(mlg_rollup_run(c, S, x, 1, v1, l1, f1, NULL), MLG_OK);
    const int32_t counts[] = {2, 3, 7, 0};
    for (size_t k = 0; k < 4; k++) {
        memset(v2, 0, S * N * sizeof *v2);
        assert_int_equal(mlg_rollup_run(c, S, x, counts[k], v2, l2, f2, NULL),
                         MLG_OK);
        assert_memory_equal(v1, v2, S * N * sizeof *v1);
        assert_memory_equal(l1, l2, S * N * sizeof *l1);
        assert_memory_equal(f1, f2, S * N * sizeof *f1);
    }
    /* Every row agrees with the per-student explanation. */
    for (size_t s = 0; s < S; s += 97) {
        for (size_t n = 0; n < N; n++) {
            mlg_rollup_step st;
            mlg_rollup_child ch[16];
            assert_int_equal(mlg_rollup_explain(c, x + s * T, n, &st, ch, 16,
                                                NULL),
                             MLG_OK);
            assert_int_equal(st.level, l1[s * N + n]);
            assert_int_equal(st.flags, f1[s * N + n]);
            assert_memory_equal(&st.value, &v1[s * N + n], sizeof(double));
        }
    }
    free(x);
    free(v1);
    free(v2);
    free(l1);
    free(l2);
    free(f1);
    free(f2);
    mlg_catalogue_free(c);
}

/* rollup.c repeats mlg_value_to_level()'s levelling for speed: both must
 * agree on every value, rounding and precision. */
static void test_levelling_matches_value_to_level(void **state)
{
    (void)state;
    mlg_scale scales[3];
    mlg_scale_builtin(MLG_SCALE_CCS4, &scales[0]);
    mlg_scale_builtin(MLG_SCALE_BEHAVIOR, &scales[1]);
    const double odd[5] = {0.5, 1.5, 2.25, 3.0, 5.0};
    assert_int_equal(mlg_scale_init(&scales[2], 5, odd), MLG_OK);
    const int32_t dec[] = {-1, 0, 1, 2, 6};
    for (int si = 0; si < 3; si++)
        for (int32_t rnd = 0; rnd <= MLG_ROUND_CUTS; rnd++)
            for (size_t di = 0; di < 5; di++)
                for (int i = -10; i <= 560; i++) {
                    const double x = i / 100.0 + (i % 7 == 0 ? 0.005 : 0.0);
                    mlg_method_params p;
                    mlg_method_params_init(&p, MLG_METHOD_MEAN);
                    p.rounding = rnd;
                    p.decimals = dec[di];
                    int32_t want = -5;
                    assert_int_equal(mlg_value_to_level(x, &scales[si], &p,
                                                        &want, NULL),
                                     MLG_OK);
                    const int32_t got = mlg__rollup_level_of(
                        x, &scales[si], rnd, dec[di]);
                    if (got != want)
                        fail_msg("scale %d rounding %d decimals %d x %.17g: "
                                 "%d vs %d",
                                 si, rnd, dec[di], x, got, want);
                }
}

/* ----------------------------------------------------------- error paths */

/* Ensure mlg_rollup_run() returns MLG_ENULL for each required pointer and
 * leaves outputs untouched. */
static void test_run_null(void **state)
{
    (void)state;
    mlg_catalogue *c = one_domain(2, NULL, NULL, 1);
    const double x[2] = {3, 2};
    double val[3] = {-7, -7, -7};
    int32_t lev[3] = {-7, -7, -7};
    mlg_errinfo e;
    memset(&e, 0, sizeof e);
    assert_int_equal(mlg_rollup_run(NULL, 1, x, 1, val, lev, NULL, &e),
                     MLG_ENULL);
    assert_int_equal(e.status, MLG_ENULL);
    assert_int_equal(mlg_rollup_run(c, 1, NULL, 1, val, lev, NULL, NULL),
                     MLG_ENULL);
    assert_int_equal(mlg_rollup_run(c, 1, x, 1, NULL, lev, NULL, NULL),
                     MLG_ENULL);
    assert_double_near(val[0], -7, 0);
    assert_int_equal(lev[0], -7);
    mlg_catalogue_free(c);
}

/* Ensure mlg_rollup_run() rejects an unfinalised catalogue, threads < 0
 * and an output size that overflows; n_students 0 does nothing. */
static void test_run_args(void **state)
{
    (void)state;
    mlg_catalogue *c = NULL;
    assert_int_equal(mlg_catalogue_create(&c), MLG_OK);
    const double x[2] = {3, 2};
    double val[3] = {-7, -7, -7};
    mlg_errinfo e;
    assert_int_equal(mlg_rollup_run(c, 1, x, 1, val, NULL, NULL, &e),
                     MLG_EINVAL);
    assert_int_equal(e.status, MLG_EINVAL);
    mlg_catalogue_free(c);

    c = one_domain(2, NULL, NULL, 1);
    assert_int_equal(mlg_rollup_run(c, 1, x, -1, val, NULL, NULL, &e),
                     MLG_EINVAL);
    assert_int_equal(mlg_rollup_run(c, SIZE_MAX / 8, x, 1, val, NULL, NULL,
                                    &e),
                     MLG_EOVERFLOW);
    assert_int_equal(e.status, MLG_EOVERFLOW);
    assert_int_equal(mlg_rollup_run(c, 0, x, 1, val, NULL, NULL, &e), MLG_OK);
    assert_double_near(val[0], -7, 0);
    mlg_catalogue_free(c);
}

/* Ensure an infinite or out-of-scale target value fails with the first
 * failing student and its target in errinfo; other students are written,
 * the failing student's row is NaN / N/A / 0. */
static void test_run_bad_values(void **state)
{
    (void)state;
    mlg_catalogue *c = one_domain(2, NULL, NULL, 1);
    static const struct {
        const char *name;
        double bad;
        int status;
    } cases[] = {
        {"inf", INFINITY, MLG_ENAN},
        {"-inf", -INFINITY, MLG_ENAN},
        {"above", 4.01, MLG_ESCALE},
        {"below", 0.99, MLG_ESCALE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        /* 600 students so that two threads get work; students 400 and 500
         * are bad, 400 is reported. */
        const size_t S = 600;
        double *x = malloc(S * 2 * sizeof *x);
        for (size_t s = 0; s < S * 2; s++)
            x[s] = 3.0;
        x[400 * 2 + 1] = cases[i].bad;
        x[500 * 2 + 0] = cases[i].bad;
        double *val = malloc(S * 3 * sizeof *val);
        int32_t *lev = malloc(S * 3 * sizeof *lev);
        int32_t *flg = malloc(S * 3 * sizeof *flg);
        mlg_errinfo e;
        memset(&e, 0, sizeof e);
        assert_status_case(cases[i].name,
                           mlg_rollup_run(c, S, x, 2, val, lev, flg, &e),
                           cases[i].status);
        assert_int_equal(e.status, cases[i].status);
        assert_int_equal(e.group, 400);
        assert_int_equal(e.row, 1);
        assert_true(strstr(e.message, "T1") != NULL);
        assert_true(isnan(val[400 * 3]));
        assert_int_equal(lev[400 * 3 + 1], MLG_LEVEL_NA);
        assert_int_equal(flg[400 * 3 + 2], 0);
        assert_double_near(val[0], 3.0, 0);
        assert_double_near(val[399 * 3], 3.0, 0);

        /* explain reports the same error, row = target. */
        mlg_rollup_step st;
        st.level = -7;
        mlg_rollup_child ch[2];
        assert_status_case(cases[i].name,
                           mlg_rollup_explain(c, x + 400 * 2, 0, &st, ch, 2,
                                              &e),
                           cases[i].status);
        assert_int_equal(e.row, 1);
        assert_int_equal(st.level, -7);
        free(x);
        free(val);
        free(lev);
        free(flg);
    }
    mlg_catalogue_free(c);
}

/* Ensure mlg_rollup_explain() checks its arguments and leaves outputs
 * untouched. */
static void test_explain_errors(void **state)
{
    (void)state;
    mlg_catalogue *c = one_domain(3, NULL, NULL, 1);
    const double x[3] = {3, 2, 1};
    mlg_rollup_step st;
    st.level = -7;
    mlg_rollup_child ch[3];
    mlg_errinfo e;
    assert_int_equal(mlg_rollup_explain(NULL, x, 0, &st, ch, 3, &e),
                     MLG_ENULL);
    assert_int_equal(mlg_rollup_explain(c, NULL, 0, &st, ch, 3, &e),
                     MLG_ENULL);
    assert_int_equal(mlg_rollup_explain(c, x, 0, NULL, ch, 3, &e), MLG_ENULL);
    assert_int_equal(mlg_rollup_explain(c, x, 0, &st, NULL, 3, &e),
                     MLG_ENULL);
    assert_int_equal(mlg_rollup_explain(c, x, 4, &st, ch, 3, &e), MLG_EINVAL);
    assert_int_equal(mlg_rollup_explain(c, x, 0, &st, ch, 2, &e), MLG_ESIZE);
    assert_int_equal(e.status, MLG_ESIZE);
    assert_int_equal(st.level, -7);
    mlg_catalogue_free(c);

    assert_int_equal(mlg_catalogue_create(&c), MLG_OK);
    assert_int_equal(mlg_rollup_explain(c, x, 0, &st, ch, 3, &e), MLG_EINVAL);
    mlg_catalogue_free(c);
}

static void test_refuse_names(void **state)
{
    (void)state;
    static const char *const want[] = {"none", "value", "share", "gap",
                                       "cap",  "cut",   "floor"};
    assert_int_equal(MLG_REFUSE_FLOOR, 6);
    for (int32_t i = 0; i <= MLG_REFUSE_FLOOR; i++)
        assert_string_equal(mlg_rollup_refuse_name(i), want[i]);
    assert_null(mlg_rollup_refuse_name(-1));
    assert_null(mlg_rollup_refuse_name(7));
}

/* A node whose children are on another scale reads their level values:
 * behaviours C/S/R (values 3/2/1) under a CCS node. */
static void test_mixed_scales(void **state)
{
    (void)state;
    mlg_catalogue *c = NULL;
    mlg_scale beh;
    mlg_scale_builtin(MLG_SCALE_BEHAVIOR, &beh);
    mlg_rollup_rule r;
    mlg_rollup_rule_init(&r, MLG_RULE_MODE);
    assert_int_equal(mlg_catalogue_create(&c), MLG_OK);
    assert_int_equal(mlg_catalogue_add(c, "B", NULL, MLG_NODE_SUBJECT, &beh,
                                       &r, 0, NULL),
                     MLG_OK);
    for (int i = 0; i < 3; i++) {
        char id[32];
        snprintf(id, sizeof id, "b%d", i);
        assert_int_equal(mlg_catalogue_add(c, id, NULL, MLG_NODE_TARGET, &beh,
                                           NULL, 0, NULL),
                         MLG_OK);
        assert_int_equal(mlg_catalogue_link(c, "B", id, 1, NULL), MLG_OK);
    }
    assert_int_equal(mlg_catalogue_finalize(c, NULL), MLG_OK);
    /* 3 = C, 2.6 rounds to C, 1 = R: mode of levels C, C, R -> C. */
    const double x[3] = {3, 2.6, 1};
    double val[4];
    int32_t lev[4];
    assert_int_equal(mlg_rollup_run(c, 1, x, 1, val, lev, NULL, NULL), MLG_OK);
    assert_int_equal(lev[0], 2);
    /* 3.5 is outside the behaviour scale [1, 3]. */
    const double y[3] = {3, 3.5, 1};
    assert_int_equal(mlg_rollup_run(c, 1, y, 1, val, lev, NULL, NULL),
                     MLG_ESCALE);
    mlg_catalogue_free(c);
}

/* A node with 41 children takes the sorting path of median; a huge thread
 * count is capped and gives the same result. */
static void test_many_children(void **state)
{
    (void)state;
    mlg_rollup_rule r;
    mlg_rollup_rule_init(&r, MLG_RULE_MEDIAN);
    mlg_catalogue *c = one_domain(41, &r, NULL, 1);
    double x[41];
    /* x_i = 1 + ((i * 17) mod 41) * 0.075: a permutation of
     * 1, 1.075, ..., 4; the median is the 21st smallest, 1 + 20 * 0.075
     * = 2.5 -> level 3 (index 2). */
    for (int i = 0; i < 41; i++)
        x[i] = 1.0 + ((i * 17) % 41) * 0.075;
    double val[42], val2[42];
    int32_t lev[42];
    assert_int_equal(mlg_rollup_run(c, 1, x, 1, val, lev, NULL, NULL), MLG_OK);
    assert_double_near(val[0], 2.5, 1e-12);
    assert_int_equal(lev[0], 2);
    assert_int_equal(mlg_rollup_run(c, 1, x, 1000, val2, NULL, NULL, NULL),
                     MLG_OK);
    assert_memory_equal(val, val2, sizeof val);
    mlg_catalogue_free(c);
}

/* Ensure extreme link weights never give an infinite or NaN value with a
 * finite level (issue 14, finding 5: two weights of 1e308 made the domain
 * mean inf/inf = NaN, which the CLI printed as an empty CSV value and as
 * "value":, in JSON).  Only the weights' ratios matter, so each case equals
 * the same catalogue with ordinary weights. */
static void test_huge_link_weights(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        const char *rule;
        size_t k;
        double x[4], w[4];
        double value;   /* worked by hand from the weight ratios */
        int32_t level;
    } cases[] = {
        /* ratios 1:1: (3 + 2) / 2 = 2.5, the midpoint of 2 and 3, half up
         * -> "3" (index 2). */
        {"mean_1e308_twice", "mean", 2, {3, 2}, {1e308, 1e308}, 2.5, 2},
        /* ratios 2:1: (2*3 + 2) / 3 = 8/3 = 2.6667 -> "3". */
        {"mean_1e308_5e307", "mean", 2, {3, 2}, {1e308, 5e307}, 8.0 / 3.0, 2},
        /* DBL_MAX on all four: (4 + 3 + 3 + 1) / 4 = 2.75 -> "3". */
        {"mean_dbl_max", "mean", 4, {4, 3, 3, 1},
         {1.7976931348623157e308, 1.7976931348623157e308,
          1.7976931348623157e308, 1.7976931348623157e308}, 2.75, 2},
        /* one child with the smallest subnormal weight: its own value 2.4
         * (5e-324 * 2.4 alone rounds to 1e-323, and 1e-323 / 5e-324 = 2). */
        {"mean_subnormal", "mean", 1, {2.4}, {5e-324}, 2.4, 1},
        /* shares with weights 1e308: Zoey's 3,2,3,3 -> share(>=3) 3/4 >=
         * .75 and no gap -> "3" (BUL-2332.7 Att. A). */
        {"mostly_1e308", "mostly_proficient", 4, {3, 2, 3, 3},
         {1e308, 1e308, 1e308, 1e308}, 3.0, 2},
        /* band_with_floor on 4,4,4,3 (weights 1e308): mean 3.75 >= cut 3.5,
         * no child below 3 -> "4". */
        {"band_1e308", "band_with_floor", 4, {4, 4, 4, 3},
         {1e308, 1e308, 1e308, 1e308}, 4.0, 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mlg_rollup_rule r;
        assert_status_case(cases[i].name,
                           mlg_rollup_rule_parse(cases[i].rule, &r, NULL),
                           MLG_OK);
        mlg_catalogue *c = one_domain(cases[i].k, &r, cases[i].w, 1);
        double val[5];
        int32_t lev[5], flg[5];
        assert_status_case(cases[i].name,
                           mlg_rollup_run(c, 1, cases[i].x, 1, val, lev, flg,
                                          NULL),
                           MLG_OK);
        assert_double_near_case(cases[i].name, val[0], cases[i].value, 1e-15);
        if (lev[0] != cases[i].level)
            fail_msg("%s: level %d, want %d", cases[i].name, (int)lev[0],
                     (int)cases[i].level);
        mlg_rollup_step st;
        mlg_rollup_child ch[4];
        assert_status_case(cases[i].name,
                           mlg_rollup_explain(c, cases[i].x, 0, &st, ch, 4,
                                              NULL),
                           MLG_OK);
        assert_double_near_case(cases[i].name, st.value, cases[i].value, 1e-15);
        mlg_catalogue_free(c);
    }
}

/* Ensure a weighted mean of values near DBL_MAX (a custom scale) is finite:
 * the sum of weight x value overflows, the mean does not. */
static void test_mean_of_huge_values(void **state)
{
    (void)state;
    const double v[2] = {1e307, 1.5e308};
    mlg_scale sc;
    assert_int_equal(mlg_scale_init(&sc, 2, v), MLG_OK);
    mlg_rollup_rule r;
    mlg_rollup_rule_init(&r, MLG_RULE_MEAN);
    mlg_catalogue *c = NULL;
    assert_int_equal(mlg_catalogue_create(&c), MLG_OK);
    assert_int_equal(mlg_catalogue_add(c, "D", NULL, MLG_NODE_DOMAIN, &sc, &r,
                                       1, NULL), MLG_OK);
    assert_int_equal(mlg_catalogue_add(c, "A", NULL, MLG_NODE_TARGET, &sc,
                                       NULL, 1, NULL), MLG_OK);
    assert_int_equal(mlg_catalogue_add(c, "B", NULL, MLG_NODE_TARGET, &sc,
                                       NULL, 1, NULL), MLG_OK);
    assert_int_equal(mlg_catalogue_link(c, "D", "A", 1, NULL), MLG_OK);
    assert_int_equal(mlg_catalogue_link(c, "D", "B", 1, NULL), MLG_OK);
    assert_int_equal(mlg_catalogue_finalize(c, NULL), MLG_OK);
    /* (1.5e308 + 1.5e308) overflows; the mean is 1.5e308 -> the top level
     * (index 1). */
    const double x[2] = {1.5e308, 1.5e308};
    double val[3];
    int32_t lev[3];
    assert_int_equal(mlg_rollup_run(c, 1, x, 1, val, lev, NULL, NULL), MLG_OK);
    assert_double_near(val[0], 1.5e308, 0);
    assert_int_equal(lev[0], 1);
    mlg_catalogue_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_table),
        cmocka_unit_test(test_capped_median_properties),
        cmocka_unit_test(test_explain_messages),
        cmocka_unit_test(test_explain_target),
        cmocka_unit_test(test_zoey_full_domain),
        cmocka_unit_test(test_dag_shared_child),
        cmocka_unit_test(test_explain_skipped_child),
        cmocka_unit_test(test_threads_deterministic),
        cmocka_unit_test(test_levelling_matches_value_to_level),
        cmocka_unit_test(test_run_null),
        cmocka_unit_test(test_run_args),
        cmocka_unit_test(test_run_bad_values),
        cmocka_unit_test(test_explain_errors),
        cmocka_unit_test(test_refuse_names),
        cmocka_unit_test(test_mixed_scales),
        cmocka_unit_test(test_many_children),
        cmocka_unit_test(test_huge_link_weights),
        cmocka_unit_test(test_mean_of_huge_values),
    };
    return cmocka_run_group_tests_name("rollup", tests, NULL, NULL);
}
