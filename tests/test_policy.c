/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_policy.c -- report-card policy checks (mlg_policy.h): minimum grade
 * entry (BUL-2332.7 sec. VII A-C, Attachment B), warning notices (sec. I.I,
 * IX A/C/E, Attachment C) and insufficient attendance (sec. I.F). */
#include "mlg_policy.h"
#include "mlg_rollup.h"
#include "mlg_test.h"

#include <stdint.h>
#include <string.h>

/* An illustrative reporting period (not REF-6302.1's dates):
 * 2018-08-14 .. 2018-11-02 with midpoint 2018-09-21, as day numbers. */
enum { S = 17757, M = 17795, E = 17837 };
static const mlg_period period = {S, M, E, 0};

/* Sentinels: outputs must keep them on error. */
#define SENT64 INT64_C(0x5A5A5A5A5A5A5A5A)
#define SENT32 0xA5A5A5A5u

static void errinfo_reset(mlg_errinfo *e)
{
    memset(e, 0, sizeof *e);
    e->status = -77;
    e->group = -77;
    e->row = -77;
}

/* ------------------------------------------------------------- period -- */

/* mlg_policy.h: "mlg_period_validate(): check start <= midpoint <= end and
 * that no field is MLG_DAY_NONE.  A zero-length half ... is allowed." */
static void test_period_validate(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        mlg_period p;
        int expect;
    } cases[] = {
        {"ordinary", {S, M, E, 0}, MLG_OK},
        {"mid == start", {S, S, E, 0}, MLG_OK},
        {"end == mid", {S, M, M, 0}, MLG_OK},
        {"one day", {S, S, S, 0}, MLG_OK},
        {"mid < start", {S, S - 1, E, 0}, MLG_EINVAL},
        {"end < mid", {S, M, M - 1, 0}, MLG_EINVAL},
        {"start none", {MLG_DAY_NONE, M, E, 0}, MLG_EINVAL},
        {"mid none", {S, MLG_DAY_NONE, E, 0}, MLG_EINVAL},
        {"end none", {S, M, MLG_DAY_NONE, 0}, MLG_EINVAL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_status_case(cases[i].name, mlg_period_validate(&cases[i].p),
                           cases[i].expect);
    assert_int_equal(mlg_period_validate(NULL), MLG_ENULL);
}

/* ---------------------------------------------------- minimum presets -- */

/* Attachment B, read column by column (VII.A-C for 2018-19):
 * ELA/Math/ALD "RP Midpoint" / "RP End": One/Three, Two/Four, Three/Six;
 * "All Other Academic Progress Report Areas" "RP End": One, Two, Three,
 * with "One by the midpoint and one by the end is highly recommended"
 * (Two/Two, Three/Three) read as r by the midpoint and r more by the end. */
static void test_entry_presets(void **state)
{
    (void)state;
    static const struct {
        int32_t year;
        int32_t core_mid, core_end, other_end, other_rec_mid, other_rec_end;
    } rows[] = {
        {2018, 1, 3, 1, 1, 2},
        {2019, 2, 4, 2, 2, 4},
        {2020, 3, 6, 3, 3, 6},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        mlg_entry_minimums m;
        memset(&m, 0x7f, sizeof m);
        assert_int_equal(mlg_entry_minimums_preset(rows[i].year, &m), MLG_OK);
        assert_int_equal(m.year, rows[i].year);
        assert_int_equal(m.count_missing, 0);
        for (int c = MLG_SUBJECT_ELA; c <= MLG_SUBJECT_ALD; c++) {
            assert_int_equal(m.req_midpoint[c], rows[i].core_mid);
            assert_int_equal(m.req_end[c], rows[i].core_end);
            assert_int_equal(m.rec_midpoint[c], rows[i].core_mid);
            assert_int_equal(m.rec_end[c], rows[i].core_end);
        }
        assert_int_equal(m.req_midpoint[MLG_SUBJECT_OTHER], 0);
        assert_int_equal(m.req_end[MLG_SUBJECT_OTHER], rows[i].other_end);
        assert_int_equal(m.rec_midpoint[MLG_SUBJECT_OTHER],
                         rows[i].other_rec_mid);
        assert_int_equal(m.rec_end[MLG_SUBJECT_OTHER], rows[i].other_rec_end);
        assert_int_equal(mlg_entry_minimums_validate(&m), MLG_OK);
    }
}

/* "MLG_ENOTFOUND for another year (*out untouched)"; "MLG_ENULL if out is
 * NULL". */
static void test_entry_presets_errors(void **state)
{
    (void)state;
    static const int32_t bad_years[] = {2017, 2021, 0, -1, 20182019};
    mlg_entry_minimums m, before;
    memset(&m, 0x3c, sizeof m);
    before = m;
    for (size_t i = 0; i < sizeof bad_years / sizeof bad_years[0]; i++) {
        assert_int_equal(mlg_entry_minimums_preset(bad_years[i], &m),
                         MLG_ENOTFOUND);
        assert_memory_equal(&m, &before, sizeof m);
    }
    assert_int_equal(mlg_entry_minimums_preset(2018, NULL), MLG_ENULL);

    static const struct {
        const char *name;
        int32_t year;
    } names[] = {{"2018-19", 2018}, {"2018-2019", 2018}, {"2019-20", 2019},
                 {"2019-2020", 2019}, {"2020-21", 2020}, {"2020-2021", 2020}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        assert_int_equal(mlg_entry_minimums_from_name(names[i].name, &m),
                         MLG_OK);
        assert_int_equal(m.year, names[i].year);
    }
    memset(&m, 0x3c, sizeof m);
    static const char *const bad_names[] = {"2018", "2021-22", "", "2018-19 "};
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        assert_int_equal(mlg_entry_minimums_from_name(bad_names[i], &m),
                         MLG_ENOTFOUND);
        assert_memory_equal(&m, &before, sizeof m);
    }
    assert_int_equal(mlg_entry_minimums_from_name(NULL, &m), MLG_ENULL);
    assert_int_equal(mlg_entry_minimums_from_name("2018-19", NULL), MLG_ENULL);
}

/* mlg_entry_minimums_validate(): "every count >= 0, req_midpoint[c] <=
 * req_end[c] and rec_midpoint[c] <= rec_end[c], count_missing 0 or 1". */
static void test_entry_minimums_validate(void **state)
{
    (void)state;
    mlg_entry_minimums base;
    assert_int_equal(mlg_entry_minimums_preset(2019, &base), MLG_OK);
    for (int c = 0; c < MLG_SUBJECT_COUNT; c++) {
        mlg_entry_minimums m = base;
        m.req_midpoint[c] = -1;
        assert_int_equal(mlg_entry_minimums_validate(&m), MLG_EINVAL);
        m = base;
        m.req_end[c] = -1;
        assert_int_equal(mlg_entry_minimums_validate(&m), MLG_EINVAL);
        m = base;
        m.rec_midpoint[c] = -1;
        assert_int_equal(mlg_entry_minimums_validate(&m), MLG_EINVAL);
        m = base;
        m.rec_end[c] = -1;
        m.rec_midpoint[c] = -1;
        assert_int_equal(mlg_entry_minimums_validate(&m), MLG_EINVAL);
        m = base;
        m.req_midpoint[c] = m.req_end[c] + 1;
        assert_int_equal(mlg_entry_minimums_validate(&m), MLG_EINVAL);
        m = base;
        m.rec_midpoint[c] = m.rec_end[c] + 1;
        assert_int_equal(mlg_entry_minimums_validate(&m), MLG_EINVAL);
    }
    mlg_entry_minimums m = base;
    m.count_missing = 2;
    assert_int_equal(mlg_entry_minimums_validate(&m), MLG_EINVAL);
    m.count_missing = -1;
    assert_int_equal(mlg_entry_minimums_validate(&m), MLG_EINVAL);
    m.count_missing = 1;
    assert_int_equal(mlg_entry_minimums_validate(&m), MLG_OK);
    /* An all-zero custom table (no minimums) is valid. */
    memset(&m, 0, sizeof m);
    assert_int_equal(mlg_entry_minimums_validate(&m), MLG_OK);
    assert_int_equal(mlg_entry_minimums_validate(NULL), MLG_ENULL);
}

/* ------------------------------------------------- minimum grade entry -- */

#define SM MLG_ENTRY_SHORT_MIDPOINT
#define SE MLG_ENTRY_SHORT_END
#define RM MLG_ENTRY_REC_MIDPOINT
#define RE MLG_ENTRY_REC_END
#define C0 MLG_EVIDENCE_COUNTED
#define EX MLG_EVIDENCE_EXCUSED
#define MI MLG_EVIDENCE_MISSING

/* One slot (one student x one area) per case.  Working: count the rows with
 * a counted status and S <= day <= E (by_end) and those also <= M
 * (by_midpoint), then compare with the year's Attachment B row. */
static const struct {
    const char *name;
    int32_t year, category, count_missing;
    size_t n;
    int32_t day[8];
    uint8_t status[8];
    int64_t mid, end;
    uint32_t flags;
} entry_cases[] = {
    /* 2018-19, ELA: 1 by midpoint, 3 by end (Att. B ELA row; VII.A, B). */
    {"2018 ELA exactly 1/3, mark on the midpoint day", 2018, MLG_SUBJECT_ELA,
     0, 3, {M, M + 1, E}, {C0, C0, C0}, 1, 3, 0},
    {"2018 ELA none by midpoint", 2018, MLG_SUBJECT_ELA, 0, 3,
     {M + 1, M + 2, E}, {C0, C0, C0}, 0, 3, SM | RM},
    {"2018 ELA one below at end", 2018, MLG_SUBJECT_ELA, 0, 2, {S, M + 1},
     {C0, C0}, 1, 2, SE | RE},
    {"2018 ELA day before start not counted", 2018, MLG_SUBJECT_ELA, 0, 3,
     {S - 1, M + 1, E}, {C0, C0, C0}, 0, 2, SM | SE | RM | RE},
    {"2018 ELA start day counted", 2018, MLG_SUBJECT_ELA, 0, 3,
     {S, M + 1, E}, {C0, C0, C0}, 1, 3, 0},
    {"2018 ELA day after end not counted", 2018, MLG_SUBJECT_ELA, 0, 3,
     {S, M, E + 1}, {C0, C0, C0}, 2, 2, SE | RE},
    {"2018 ELA excused not counted", 2018, MLG_SUBJECT_ELA, 0, 3, {S, M, E},
     {C0, EX, C0}, 1, 2, SE | RE},
    {"2018 ELA excused by midpoint", 2018, MLG_SUBJECT_ELA, 0, 4,
     {S, M, M + 1, E}, {EX, EX, C0, C0}, 0, 2, SM | SE | RM | RE},
    {"2018 ELA missing not counted by default", 2018, MLG_SUBJECT_ELA, 0, 3,
     {S, M, E}, {C0, C0, MI}, 2, 2, SE | RE},
    {"2018 ELA missing counted when asked", 2018, MLG_SUBJECT_ELA, 1, 3,
     {S, M, E}, {C0, C0, MI}, 2, 3, 0},
    {"2018 ELA excused never counted even with count_missing", 2018,
     MLG_SUBJECT_ELA, 1, 3, {S, M, E}, {C0, C0, EX}, 2, 2, SE | RE},
    {"2018 Math exactly 1/3", 2018, MLG_SUBJECT_MATH, 0, 3, {M, E, E},
     {C0, C0, C0}, 1, 3, 0},
    {"2018 ALD one below at end", 2018, MLG_SUBJECT_ALD, 0, 2, {M, E},
     {C0, C0}, 1, 2, SE | RE},
    {"2018 ALD none at all", 2018, MLG_SUBJECT_ALD, 0, 0, {0}, {0}, 0, 0,
     SM | SE | RM | RE},
    /* 2018-19, other areas: 1 by end required; 1 by midpoint and 1 by end
     * recommended (Att. B "All Other" row; VII.C). */
    {"2018 Other exactly 1 after midpoint", 2018, MLG_SUBJECT_OTHER, 0, 1,
     {M + 1}, {C0}, 0, 1, RM | RE},
    {"2018 Other 1 on midpoint day", 2018, MLG_SUBJECT_OTHER, 0, 1, {M},
     {C0}, 1, 1, RE},
    {"2018 Other recommendation met", 2018, MLG_SUBJECT_OTHER, 0, 2,
     {M, E}, {C0, C0}, 1, 2, 0},
    {"2018 Other none", 2018, MLG_SUBJECT_OTHER, 0, 0, {0}, {0}, 0, 0,
     SE | RM | RE},
    {"2018 Other only before start", 2018, MLG_SUBJECT_OTHER, 0, 1, {S - 1},
     {C0}, 0, 0, SE | RM | RE},
    {"2018 Other only after end", 2018, MLG_SUBJECT_OTHER, 0, 1, {E + 1},
     {C0}, 0, 0, SE | RM | RE},
    {"2018 Other only excused", 2018, MLG_SUBJECT_OTHER, 0, 1, {M}, {EX}, 0,
     0, SE | RM | RE},
    /* 2019-20: ELA/Math/ALD 2 by midpoint, 4 by end; other 2 by end, 2 + 2
     * recommended (Att. B, 2019-2020 column). */
    {"2019 ELA exactly 2/4", 2019, MLG_SUBJECT_ELA, 0, 4,
     {S, M, M + 1, E}, {C0, C0, C0, C0}, 2, 4, 0},
    {"2019 ELA one below at midpoint", 2019, MLG_SUBJECT_ELA, 0, 4,
     {S, M + 1, M + 2, E}, {C0, C0, C0, C0}, 1, 4, SM | RM},
    {"2019 Math one below at end", 2019, MLG_SUBJECT_MATH, 0, 3, {S, M, E},
     {C0, C0, C0}, 2, 3, SE | RE},
    {"2019 ALD excused drops below", 2019, MLG_SUBJECT_ALD, 0, 4,
     {S, M, M + 1, E}, {C0, C0, EX, C0}, 2, 3, SE | RE},
    {"2019 Other exactly 2 by end", 2019, MLG_SUBJECT_OTHER, 0, 2,
     {M + 1, E}, {C0, C0}, 0, 2, RM | RE},
    {"2019 Other one below", 2019, MLG_SUBJECT_OTHER, 0, 1, {E}, {C0}, 0, 1,
     SE | RM | RE},
    {"2019 Other recommendation met", 2019, MLG_SUBJECT_OTHER, 0, 4,
     {S, M, M + 1, E}, {C0, C0, C0, C0}, 2, 4, 0},
    {"2019 Other recommendation one short at end", 2019, MLG_SUBJECT_OTHER,
     0, 3, {S, M, E}, {C0, C0, C0}, 2, 3, RE},
    /* 2020-21: ELA/Math/ALD 3 by midpoint, 6 by end; other 3 by end, 3 + 3
     * recommended (Att. B, 2020-21 column). */
    {"2020 ELA exactly 3/6", 2020, MLG_SUBJECT_ELA, 0, 6,
     {S, S + 1, M, M + 1, E - 1, E}, {C0, C0, C0, C0, C0, C0}, 3, 6, 0},
    {"2020 Math one below at midpoint, same-day marks", 2020,
     MLG_SUBJECT_MATH, 0, 6, {S, M, M + 1, E - 1, E, E},
     {C0, C0, C0, C0, C0, C0}, 2, 6, SM | RM},
    {"2020 ALD one below at end", 2020, MLG_SUBJECT_ALD, 0, 5,
     {S, S + 1, M, M + 1, E - 1}, {C0, C0, C0, C0, C0}, 3, 5, SE | RE},
    {"2020 ELA after end pushes below", 2020, MLG_SUBJECT_ELA, 0, 6,
     {S, S + 1, M, M + 1, E, E + 1}, {C0, C0, C0, C0, C0, C0}, 3, 5,
     SE | RE},
    {"2020 Other exactly 3", 2020, MLG_SUBJECT_OTHER, 0, 3,
     {M + 1, M + 2, E}, {C0, C0, C0}, 0, 3, RM | RE},
    {"2020 Other one below", 2020, MLG_SUBJECT_OTHER, 0, 2, {M + 1, E},
     {C0, C0}, 0, 2, SE | RM | RE},
    {"2020 Other recommendation met", 2020, MLG_SUBJECT_OTHER, 0, 6,
     {S, S + 1, M, M + 1, M + 2, E}, {C0, C0, C0, C0, C0, C0}, 3, 6, 0},
    /* Days need not be sorted: the 2019 "exactly 2/4" case reversed. */
    {"2019 ELA unsorted days", 2019, MLG_SUBJECT_ELA, 0, 4,
     {E, M + 1, M, S}, {C0, C0, C0, C0}, 2, 4, 0},
};

static void test_entry_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof entry_cases / sizeof entry_cases[0]; i++) {
        const char *name = entry_cases[i].name;
        mlg_entry_minimums m;
        assert_int_equal(mlg_entry_minimums_preset(entry_cases[i].year, &m),
                         MLG_OK);
        m.count_missing = entry_cases[i].count_missing;
        const int64_t offsets[2] = {0, (int64_t)entry_cases[i].n};
        const int32_t cat = entry_cases[i].category;
        int64_t mid = SENT64, end = SENT64;
        uint32_t flags = SENT32;
        mlg_entry_summary sum;
        memset(&sum, 0x11, sizeof sum);
        int st = mlg_entry_check(1, offsets, entry_cases[i].day,
                                 entry_cases[i].status, NULL, 1, &cat,
                                 &period, &m, &mid, &end, &flags, &sum, NULL);
        assert_status_case(name, st, MLG_OK);
        if (mid != entry_cases[i].mid || end != entry_cases[i].end ||
            flags != entry_cases[i].flags)
            fail_msg("case %s: mid %lld end %lld flags 0x%x, expected %lld "
                     "%lld 0x%x",
                     name, (long long)mid, (long long)end, flags,
                     (long long)entry_cases[i].mid,
                     (long long)entry_cases[i].end, entry_cases[i].flags);
        const uint32_t f = entry_cases[i].flags;
        if (sum.n_slots != 1 || sum.n_short_midpoint != ((f & SM) != 0) ||
            sum.n_short_end != ((f & SE) != 0) ||
            sum.n_short_any != ((f & (SM | SE)) != 0) ||
            sum.n_rec_midpoint != ((f & RM) != 0) ||
            sum.n_rec_end != ((f & RE) != 0))
            fail_msg("case %s: summary does not match the flags", name);
        /* status NULL means every row counted: same as an all-C0 case. */
        int all_counted = 1;
        for (size_t r = 0; r < entry_cases[i].n; r++)
            all_counted &= entry_cases[i].status[r] == C0;
        if (all_counted) {
            int64_t mid2 = SENT64, end2 = SENT64;
            uint32_t flags2 = SENT32;
            st = mlg_entry_check(1, offsets, entry_cases[i].day, NULL, NULL,
                                 1, &cat, &period, &m, &mid2, &end2, &flags2,
                                 NULL, NULL);
            assert_status_case(name, st, MLG_OK);
            if (mid2 != mid || end2 != end || flags2 != flags)
                fail_msg("case %s: status NULL differs", name);
        }
    }
}

/* Zoey's class, 2018-19 (docs/policy.md): groups are student x learning
 * target, as mlg_batch_compute() takes them; group_slot gathers them into
 * student x area slots.
 *   Slots: 0 Zoey ELA, 1 Zoey Math, 2 Zoey Science,
 *          3 Ana  ELA, 4 Ana  Math, 5 Ana  Science.
 *   g0 Zoey OA target 1 (Math): S+3, S+10, M+5, E-2 (Attachment A's four
 *      assessments 1,2,3,3) -> Math by mid 2, by end 4.
 *   g1 Zoey OA target 2 (Math): M+8 -> Math total mid 2, end 5: no flag.
 *   g2 Zoey FRS target (ELA): M, M+1, E -> ELA 1 / 3: meets 1/3 exactly.
 *   g3 Zoey Science: E+1 (next period) -> 0 / 0: SE | RM | RE.
 *   g4 Ana FRS target (ELA): M+1, E -> 0 / 2: SM | SE | RM | RE.
 *   g5 Ana OA target 1 (Math): S, S+1 excused, M+1 -> 1 / 2: SE | RE.
 *   g6 Ana Science: M -> 1 / 1: RE (recommended 2 by the end).
 *   Summary: short_mid 1 (Ana ELA), short_end 3 (Zoey Sci, Ana ELA, Ana
 *   Math), short_any 3, rec_mid 2 (Zoey Sci, Ana ELA), rec_end 4. */
static void test_entry_zoey_class(void **state)
{
    (void)state;
    static const int64_t offsets[] = {0, 4, 5, 8, 9, 11, 14, 15};
    static const int32_t day[] = {S + 3, S + 10, M + 5, E - 2, M + 8,
                                  M,     M + 1,  E,     E + 1, M + 1,
                                  E,     S,      S + 1, M + 1, M};
    static const uint8_t status[] = {C0, C0, C0, C0, C0, C0, C0, C0,
                                     C0, C0, C0, C0, EX, C0, C0};
    static const int64_t group_slot[] = {1, 1, 0, 2, 3, 4, 5};
    static const int32_t cat[] = {MLG_SUBJECT_ELA,   MLG_SUBJECT_MATH,
                                  MLG_SUBJECT_OTHER, MLG_SUBJECT_ELA,
                                  MLG_SUBJECT_MATH,  MLG_SUBJECT_OTHER};
    static const int64_t want_mid[] = {1, 2, 0, 0, 1, 1};
    static const int64_t want_end[] = {3, 5, 0, 2, 2, 1};
    static const uint32_t want_flags[] = {0, 0, SE | RM | RE,
                                          SM | SE | RM | RE, SE | RE, RE};
    mlg_entry_minimums m;
    assert_int_equal(mlg_entry_minimums_preset(2018, &m), MLG_OK);
    int64_t mid[6], end[6];
    uint32_t flags[6];
    mlg_entry_summary sum;
    assert_int_equal(mlg_entry_check(7, offsets, day, status, group_slot, 6,
                                     cat, &period, &m, mid, end, flags, &sum,
                                     NULL),
                     MLG_OK);
    for (size_t s = 0; s < 6; s++) {
        assert_int_equal(mid[s], want_mid[s]);
        assert_int_equal(end[s], want_end[s]);
        assert_int_equal(flags[s], want_flags[s]);
    }
    assert_int_equal(sum.n_slots, 6);
    assert_int_equal(sum.n_short_midpoint, 1);
    assert_int_equal(sum.n_short_end, 3);
    assert_int_equal(sum.n_short_any, 3);
    assert_int_equal(sum.n_rec_midpoint, 2);
    assert_int_equal(sum.n_rec_end, 4);
}

/* docs/policy.md: per-row data (one group per row, group_slot per row).
 * Rows (slot, day): (0,S) (1,M) (0,M+1) (1,E+1) (0,E), 2019-20, both
 * slots Math (2 by midpoint, 4 by end):
 *   slot 0: S, M+1, E -> mid 1, end 3: SM | SE | RM | RE
 *   slot 1: M, E+1    -> mid 1, end 1: SM | SE | RM | RE */
static void test_entry_per_row(void **state)
{
    (void)state;
    static const int64_t offsets[] = {0, 1, 2, 3, 4, 5};
    static const int32_t day[] = {S, M, M + 1, E + 1, E};
    static const int64_t slot[] = {0, 1, 0, 1, 0};
    static const int32_t cat[] = {MLG_SUBJECT_MATH, MLG_SUBJECT_MATH};
    mlg_entry_minimums m;
    assert_int_equal(mlg_entry_minimums_preset(2019, &m), MLG_OK);
    int64_t mid[2], end[2];
    uint32_t flags[2];
    assert_int_equal(mlg_entry_check(5, offsets, day, NULL, slot, 2, cat,
                                     &period, &m, mid, end, flags, NULL,
                                     NULL),
                     MLG_OK);
    assert_int_equal(mid[0], 1);
    assert_int_equal(end[0], 3);
    assert_int_equal(mid[1], 1);
    assert_int_equal(end[1], 1);
    assert_int_equal(flags[0], SM | SE | RM | RE);
    assert_int_equal(flags[1], SM | SE | RM | RE);
}

/* Empty input: no groups and no slots is fine (day may be NULL without
 * rows); groups with no rows leave their slots at zero. */
static void test_entry_empty(void **state)
{
    (void)state;
    mlg_entry_minimums m;
    assert_int_equal(mlg_entry_minimums_preset(2019, &m), MLG_OK);
    const int64_t off0[] = {0};
    int64_t mid = SENT64, end = SENT64;
    uint32_t flags = SENT32;
    mlg_entry_summary sum;
    assert_int_equal(mlg_entry_check(0, off0, NULL, NULL, NULL, 0, NULL,
                                     &period, &m, &mid, &end, &flags, &sum,
                                     NULL),
                     MLG_OK);
    assert_int_equal(sum.n_slots, 0);
    assert_int_equal(sum.n_short_any, 0);
    assert_int_equal(mid, SENT64); /* nothing written for 0 slots */

    const int64_t off2[] = {0, 0, 0};
    const int64_t slot[] = {0, 0};
    const int32_t cat = MLG_SUBJECT_MATH;
    assert_int_equal(mlg_entry_check(2, off2, NULL, NULL, slot, 1, &cat,
                                     &period, &m, &mid, &end, &flags, &sum,
                                     NULL),
                     MLG_OK);
    assert_int_equal(mid, 0);
    assert_int_equal(end, 0);
    assert_int_equal(flags, SM | SE | RM | RE);
    assert_int_equal(sum.n_short_any, 1);
    /* A custom all-zero table asks for nothing: no flags. */
    memset(&m, 0, sizeof m);
    assert_int_equal(mlg_entry_check(2, off2, NULL, NULL, slot, 1, &cat,
                                     &period, &m, &mid, &end, &flags, NULL,
                                     NULL),
                     MLG_OK);
    assert_int_equal(flags, 0);
}

/* Every documented error of mlg_entry_check(), with errinfo and untouched
 * outputs ("Every input is checked before any output is written"). */
static void test_entry_errors(void **state)
{
    (void)state;
    /* Two groups into two slots, three rows. */
    int64_t offsets[] = {0, 2, 3};
    int32_t day[] = {S, M, E};
    uint8_t status[] = {C0, C0, C0};
    int64_t slot[] = {1, 0};
    int32_t cat[] = {MLG_SUBJECT_ELA, MLG_SUBJECT_OTHER};
    mlg_period per = period;
    mlg_entry_minimums m;
    assert_int_equal(mlg_entry_minimums_preset(2018, &m), MLG_OK);
    int64_t mid[2], end[2];
    uint32_t flags[2];
    mlg_entry_summary sum;
    mlg_errinfo err;

#define RESET_OUT()                                                            \
    do {                                                                       \
        mid[0] = mid[1] = end[0] = end[1] = SENT64;                            \
        flags[0] = flags[1] = SENT32;                                          \
        memset(&sum, 0x11, sizeof sum);                                        \
        errinfo_reset(&err);                                                   \
    } while (0)
#define CHECK_UNTOUCHED(name)                                                  \
    do {                                                                       \
        if (mid[0] != SENT64 || mid[1] != SENT64 || end[0] != SENT64 ||        \
            end[1] != SENT64 || flags[0] != SENT32 || flags[1] != SENT32 ||    \
            sum.n_slots != 0x1111111111111111)                                 \
            fail_msg("case %s: outputs written on error", (name));             \
    } while (0)

    struct {
        const char *name;
        const int64_t *offsets;
        const int32_t *day;
        const int64_t *slot;
        const int32_t *cat;
        const mlg_period *per;
        const mlg_entry_minimums *m;
        int64_t *mid, *end;
        uint32_t *flags;
    } nulls[] = {
        {"offsets NULL", NULL, day, slot, cat, &per, &m, mid, end, flags},
        {"day NULL with rows", offsets, NULL, slot, cat, &per, &m, mid, end,
         flags},
        {"slot_category NULL", offsets, day, slot, NULL, &per, &m, mid, end,
         flags},
        {"period NULL", offsets, day, slot, cat, NULL, &m, mid, end, flags},
        {"minimums NULL", offsets, day, slot, cat, &per, NULL, mid, end,
         flags},
        {"by_midpoint_out NULL", offsets, day, slot, cat, &per, &m, NULL, end,
         flags},
        {"by_end_out NULL", offsets, day, slot, cat, &per, &m, mid, NULL,
         flags},
        {"flags_out NULL", offsets, day, slot, cat, &per, &m, mid, end, NULL},
    };
    for (size_t i = 0; i < sizeof nulls / sizeof nulls[0]; i++) {
        RESET_OUT();
        const int st = mlg_entry_check(2, nulls[i].offsets, nulls[i].day,
                                       status, nulls[i].slot, 2, nulls[i].cat,
                                       nulls[i].per, nulls[i].m, nulls[i].mid,
                                       nulls[i].end, nulls[i].flags, &sum,
                                       &err);
        assert_status_case(nulls[i].name, st, MLG_ENULL);
        assert_int_equal(err.status, MLG_ENULL);
        assert_int_equal(err.group, -1);
        CHECK_UNTOUCHED(nulls[i].name);
    }

    /* Argument and data errors: (mutation, expected status, group, row). */
    static const struct {
        const char *name;
        int what;
        int status;
        int64_t group, row;
    } bad[] = {
        {"mid < start", 0, MLG_EINVAL, -1, -1},
        {"end < mid", 1, MLG_EINVAL, -1, -1},
        {"table count negative", 2, MLG_EINVAL, -1, -1},
        {"offsets[0] != 0", 3, MLG_EINVAL, 0, -1},
        {"offsets decrease", 4, MLG_EINVAL, 1, -1},
        {"n_slots != n_groups without group_slot", 5, MLG_EINVAL, -1, -1},
        {"slot index negative", 6, MLG_EINVAL, 1, -1},
        {"slot index == n_slots", 7, MLG_EINVAL, 0, -1},
        {"category unknown", 8, MLG_EINVAL, 1, -1},
        {"category negative", 9, MLG_EINVAL, 0, -1},
        {"day MLG_DAY_NONE", 10, MLG_EINVAL, 1, 2},
        {"status unknown", 11, MLG_ESTATUS, 0, 1},
        {"period start MLG_DAY_NONE", 12, MLG_EINVAL, -1, -1},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t o[3] = {0, 2, 3};
        int32_t d[3] = {S, M, E};
        uint8_t stt[3] = {C0, C0, C0};
        int64_t sl[2] = {1, 0};
        int32_t ct[2] = {MLG_SUBJECT_ELA, MLG_SUBJECT_OTHER};
        mlg_period p = period;
        mlg_entry_minimums mm = m;
        size_t n_slots = 2;
        const int64_t *slp = sl;
        switch (bad[i].what) {
        case 0: p.midpoint = p.start - 1; break;
        case 1: p.end = p.midpoint - 1; break;
        case 2: mm.req_end[MLG_SUBJECT_OTHER] = -3; break;
        case 3: o[0] = 1; break;
        case 4: o[2] = 1; break;
        case 5: slp = NULL; n_slots = 1; break;
        case 6: sl[1] = -1; break;
        case 7: sl[0] = 2; break;
        case 8: ct[1] = MLG_SUBJECT_COUNT; break;
        case 9: ct[0] = -1; break;
        case 10: d[2] = MLG_DAY_NONE; break;
        case 11: stt[1] = 3; break;
        case 12: p.start = MLG_DAY_NONE; break;
        }
        RESET_OUT();
        const int st = mlg_entry_check(2, o, d, stt, slp, n_slots, ct, &p,
                                       &mm, mid, end, flags, &sum, &err);
        assert_status_case(bad[i].name, st, bad[i].status);
        if (err.status != bad[i].status || err.group != bad[i].group ||
            err.row != bad[i].row)
            fail_msg("case %s: errinfo status %d group %lld row %lld",
                     bad[i].name, err.status, (long long)err.group,
                     (long long)err.row);
        assert_true(strlen(err.message) > 0);
        CHECK_UNTOUCHED(bad[i].name);
        /* NULL errinfo is allowed on every path. */
        RESET_OUT();
        assert_int_equal(mlg_entry_check(2, o, d, stt, slp, n_slots, ct, &p,
                                         &mm, mid, end, flags, &sum, NULL),
                         bad[i].status);
        CHECK_UNTOUCHED(bad[i].name);
    }
#undef RESET_OUT
#undef CHECK_UNTOUCHED
    (void)offsets;
    (void)day;
}

/* ----------------------------------------------------- warning notices -- */

/* Sec. IX.E: notices go to students "at risk of receiving a '1' or '2' in
 * any progress report area"; default threshold 2.0 on the CCS scale.
 * Sec. IX.C: "any student not meeting the grade level standards in the
 * composite score or any sub-score". */
static void test_notice_ix_e(void **state)
{
    (void)state;
    /* One student, levels 4, 3, 2, 1 in four areas -> areas 2 and 3. */
    const double v[] = {4, 3, 2, 1};
    int64_t st[4], ar[4];
    size_t k = 99;
    assert_int_equal(mlg_notice_list(1, 4, v, NULL, 4, st, ar, &k, NULL),
                     MLG_OK);
    assert_int_equal(k, 2);
    assert_int_equal(st[0], 0);
    assert_int_equal(ar[0], 2);
    assert_int_equal(st[1], 0);
    assert_int_equal(ar[1], 3);
}

/* Zoey's class at the midpoint (docs/policy.md).  Areas: 0 Operations &
 * Algebraic Thinking, 1 Number & Operations in Base Ten, 2 Foundational
 * Skills, 3 Science, 4 "follows school & classroom rules" (behaviour,
 * threshold 1.0 = R).  Values are level values as of the midpoint:
 *   Zoey  3 2 3 3 3   -> (0,1): NBT is a 2
 *   Ana   1 N 3 2 1   -> (1,0), (1,3), (1,4); N/A in NBT is never at risk
 *   Ben   3 3 3 3 2   -> none: S (Sometimes, 2) is above the behaviour
 *                        threshold 1.0; 2.5 would also be above 2.0 */
static const double zoey_mid[] = {3, 2, 3, 3, 3, 1, NAN, 3, 2, 1,
                                  3, 3, 3, 3, 2};
static const double zoey_thr[] = {2, 2, 2, 2, 1};

static void test_notice_zoey_class(void **state)
{
    (void)state;
    int64_t st[8], ar[8];
    size_t k = 0;
    assert_int_equal(mlg_notice_list(3, 5, zoey_mid, zoey_thr, 8, st, ar, &k,
                                     NULL),
                     MLG_OK);
    static const int64_t want_s[] = {0, 1, 1, 1}, want_a[] = {1, 0, 3, 4};
    assert_int_equal(k, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(st[i], want_s[i]);
        assert_int_equal(ar[i], want_a[i]);
    }
    /* With the default threshold 2.0 everywhere, Ben's behaviour S (2)
     * becomes a notice too. */
    assert_int_equal(mlg_notice_list(3, 5, zoey_mid, NULL, 8, st, ar, &k,
                                     NULL),
                     MLG_OK);
    assert_int_equal(k, 5);
    assert_int_equal(st[4], 2);
    assert_int_equal(ar[4], 4);
}

/* Threshold edges: v <= t is at risk, so 2.0 is and 2.5 and 2.0000001 are
 * not; a threshold of 3.0 catches a 3. */
static void test_notice_threshold_edges(void **state)
{
    (void)state;
    const double v[] = {2.0, 2.5, 2.0000001, 3.0};
    const double t[] = {2.0, 2.0, 2.0, 3.0};
    int64_t st[4], ar[4];
    size_t k = 0;
    assert_int_equal(mlg_notice_list(1, 4, v, t, 4, st, ar, &k, NULL),
                     MLG_OK);
    assert_int_equal(k, 2);
    assert_int_equal(ar[0], 0);
    assert_int_equal(ar[1], 3);
}

/* "MLG_ESIZE when capacity < *n_required (then only *n_required is
 * written: call with capacity 0 to size the buffers)". */
static void test_notice_capacity(void **state)
{
    (void)state;
    int64_t st[4] = {SENT64, SENT64, SENT64, SENT64};
    int64_t ar[4] = {SENT64, SENT64, SENT64, SENT64};
    size_t k = 0;
    mlg_errinfo err;
    errinfo_reset(&err);
    assert_int_equal(mlg_notice_list(3, 5, zoey_mid, zoey_thr, 3, st, ar, &k,
                                     &err),
                     MLG_ESIZE);
    assert_int_equal(k, 4);
    assert_int_equal(err.status, MLG_ESIZE);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(st[i], SENT64);
        assert_int_equal(ar[i], SENT64);
    }
    k = 0;
    assert_int_equal(mlg_notice_list(3, 5, zoey_mid, zoey_thr, 0, NULL, NULL,
                                     &k, NULL),
                     MLG_ESIZE);
    assert_int_equal(k, 4);
    /* Exactly enough. */
    assert_int_equal(mlg_notice_list(3, 5, zoey_mid, zoey_thr, 4, st, ar, &k,
                                     NULL),
                     MLG_OK);
    /* Nobody at risk: capacity 0 and NULL lists succeed. */
    const double fine[] = {3, 4, 3};
    k = 99;
    assert_int_equal(mlg_notice_list(1, 3, fine, NULL, 0, NULL, NULL, &k,
                                     NULL),
                     MLG_OK);
    assert_int_equal(k, 0);
    /* Empty class. */
    assert_int_equal(mlg_notice_list(0, 5, NULL, NULL, 0, NULL, NULL, &k,
                                     NULL),
                     MLG_OK);
    assert_int_equal(k, 0);
    assert_int_equal(mlg_notice_list(4, 0, NULL, NULL, 0, NULL, NULL, &k,
                                     NULL),
                     MLG_OK);
    assert_int_equal(k, 0);
}

static void test_notice_errors(void **state)
{
    (void)state;
    int64_t st[8] = {0}, ar[8] = {0};
    size_t k = 77;
    mlg_errinfo err;
    const double vinf[] = {3, 3, 3, INFINITY, 1, 3};
    const double vninf[] = {3, -INFINITY};
    const double tnan[] = {2, NAN};
    const double tinf[] = {INFINITY, 2};

    static const struct {
        const char *name;
        int what;
        int status;
        int64_t group, row;
    } cases[] = {
        {"value NULL", 0, MLG_ENULL, -1, -1},
        {"n_required NULL", 1, MLG_ENULL, -1, -1},
        {"student_out NULL with capacity", 2, MLG_ENULL, -1, -1},
        {"area_out NULL with capacity", 3, MLG_ENULL, -1, -1},
        {"infinite value", 4, MLG_ENAN, 1, 0},
        {"minus infinite value", 5, MLG_ENAN, 0, 1},
        {"NaN threshold", 6, MLG_ENAN, -1, 1},
        {"infinite threshold", 7, MLG_ENAN, -1, 0},
        {"size overflow", 8, MLG_EOVERFLOW, -1, -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        errinfo_reset(&err);
        k = 77;
        int s = -1;
        switch (cases[i].what) {
        case 0: s = mlg_notice_list(2, 3, NULL, NULL, 8, st, ar, &k, &err);
            break;
        case 1: s = mlg_notice_list(2, 3, vinf, NULL, 8, st, ar, NULL, &err);
            break;
        case 2: s = mlg_notice_list(2, 3, vinf, NULL, 8, NULL, ar, &k, &err);
            break;
        case 3: s = mlg_notice_list(2, 3, vinf, NULL, 8, st, NULL, &k, &err);
            break;
        case 4: s = mlg_notice_list(2, 3, vinf, NULL, 8, st, ar, &k, &err);
            break;
        case 5: s = mlg_notice_list(1, 2, vninf, NULL, 8, st, ar, &k, &err);
            break;
        case 6: s = mlg_notice_list(1, 2, vninf, tnan, 8, st, ar, &k, &err);
            break;
        case 7: s = mlg_notice_list(1, 2, vninf, tinf, 8, st, ar, &k, &err);
            break;
        case 8: s = mlg_notice_list(SIZE_MAX / 2 + 1, 2, vinf, NULL, 8, st,
                                    ar, &k, &err);
            break;
        }
        assert_status_case(cases[i].name, s, cases[i].status);
        if (err.status != cases[i].status || err.group != cases[i].group ||
            err.row != cases[i].row)
            fail_msg("case %s: errinfo %d group %lld row %lld", cases[i].name,
                     err.status, (long long)err.group, (long long)err.row);
        if (k != 77)
            fail_msg("case %s: n_required written on error", cases[i].name);
        for (size_t j = 0; j < 8; j++)
            if (st[j] != 0 || ar[j] != 0)
                fail_msg("case %s: list written on error", cases[i].name);
    }
}

/* Sec. IX.C: "If a student is not at risk at the midpoint ... but later
 * becomes at risk, teachers should send the warning notice ... at that
 * time."  Later values (day M+20) for Zoey's class:
 *   Zoey  2 3 3 3 3   -> OA fell to 2: new (0,0); NBT recovered to 3 (the
 *                        midpoint notice stays sent, nothing new)
 *   Ana   1 2 3 2 1   -> NBT now assessed at 2: new (1,1); (1,0), (1,3),
 *                        (1,4) were already sent
 *   Ben   3 3 2 3 2   -> FRS fell to 2: new (2,2)
 * Newly due: (0,0), (1,1), (2,2). */
static const double zoey_late[] = {2, 3, 3, 3, 3, 1, 2, 3, 2, 1,
                                   3, 3, 2, 3, 2};

static void test_notice_new(void **state)
{
    (void)state;
    int64_t ps[8], pa[8], ns[8], na[8];
    size_t np = 0, nn = 0;
    assert_int_equal(mlg_notice_list(3, 5, zoey_mid, zoey_thr, 8, ps, pa, &np,
                                     NULL),
                     MLG_OK);
    assert_int_equal(np, 4);
    assert_int_equal(mlg_notice_list_new(3, 5, zoey_late, zoey_thr, np, ps,
                                         pa, 8, ns, na, &nn, NULL),
                     MLG_OK);
    static const int64_t ws[] = {0, 1, 2}, wa[] = {0, 1, 2};
    assert_int_equal(nn, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(ns[i], ws[i]);
        assert_int_equal(na[i], wa[i]);
    }
    /* With no earlier list it is mlg_notice_list(): 6 at risk now
     * ((0,0), (1,0), (1,1), (1,3), (1,4), (2,2)). */
    assert_int_equal(mlg_notice_list_new(3, 5, zoey_late, zoey_thr, 0, NULL,
                                         NULL, 8, ns, na, &nn, NULL),
                     MLG_OK);
    assert_int_equal(nn, 6);
    /* Sec. I.I at the end: merge the sent lists (midpoint 4 + later 3, in
     * order) and check end-of-period values.  End values equal the later
     * ones except Ben's Science now 1: that 1 had no prior notice. */
    static const int64_t sent_s[] = {0, 0, 1, 1, 1, 1, 2};
    static const int64_t sent_a[] = {0, 1, 0, 1, 3, 4, 2};
    double end_v[15];
    memcpy(end_v, zoey_late, sizeof end_v);
    end_v[2 * 5 + 3] = 1;
    assert_int_equal(mlg_notice_list_new(3, 5, end_v, zoey_thr, 7, sent_s,
                                         sent_a, 8, ns, na, &nn, NULL),
                     MLG_OK);
    assert_int_equal(nn, 1);
    assert_int_equal(ns[0], 2);
    assert_int_equal(na[0], 3);
    /* Capacity: 3 new notices into 2 slots. */
    int64_t cs[2] = {SENT64, SENT64}, ca[2] = {SENT64, SENT64};
    assert_int_equal(mlg_notice_list_new(3, 5, zoey_late, zoey_thr, np, ps,
                                         pa, 2, cs, ca, &nn, NULL),
                     MLG_ESIZE);
    assert_int_equal(nn, 3);
    assert_int_equal(cs[0], SENT64);
    assert_int_equal(ca[1], SENT64);
}

/* mlg_notice_list_new(): "MLG_EINVAL (err->row = index into the earlier
 * list) when the earlier list is out of range, unsorted or has
 * duplicates"; NULL earlier list with n_prev > 0 is MLG_ENULL. */
static void test_notice_new_errors(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        size_t n;
        int64_t s[3], a[3];
        int64_t row;
    } cases[] = {
        {"student out of range", 2, {0, 3}, {1, 0}, 1},
        {"student negative", 1, {-1}, {0}, 0},
        {"area out of range", 1, {0}, {5}, 0},
        {"area negative", 2, {0, 1}, {1, -2}, 1},
        {"unsorted students", 2, {1, 0}, {0, 1}, 1},
        {"unsorted areas", 3, {0, 1, 1}, {1, 3, 0}, 2},
        {"duplicate", 2, {1, 1}, {0, 0}, 1},
    };
    int64_t ns[8], na[8];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mlg_errinfo err;
        errinfo_reset(&err);
        size_t nn = 77;
        memset(ns, 0, sizeof ns);
        const int st = mlg_notice_list_new(3, 5, zoey_late, zoey_thr,
                                           cases[i].n, cases[i].s,
                                           cases[i].a, 8, ns, na, &nn, &err);
        assert_status_case(cases[i].name, st, MLG_EINVAL);
        if (err.row != cases[i].row || err.group != -1 ||
            err.status != MLG_EINVAL)
            fail_msg("case %s: errinfo row %lld", cases[i].name,
                     (long long)err.row);
        if (nn != 77 || ns[0] != 0)
            fail_msg("case %s: outputs written on error", cases[i].name);
    }
    const int64_t one[] = {0};
    size_t nn = 77;
    assert_int_equal(mlg_notice_list_new(3, 5, zoey_late, zoey_thr, 1, NULL,
                                         one, 8, ns, na, &nn, NULL),
                     MLG_ENULL);
    assert_int_equal(mlg_notice_list_new(3, 5, zoey_late, zoey_thr, 1, one,
                                         NULL, 8, ns, na, &nn, NULL),
                     MLG_ENULL);
    assert_int_equal(nn, 77);
}

/* mlg_notice_inputs_from_rollup() on the grade-3 skeleton of mlg_rollup.h
 * plus one target 3.OA.A.1 under 3.OA.  Levels are indices: on CCS index 1
 * is "2" (value 2.0), on the behaviour scale index 0 is R (value 1.0).
 *   student 0: 3.OA level 1 -> value 2, threshold 2: notice
 *              BEHAVIORS level 0 (R) -> value 1, threshold 1: notice
 *              3.OA.A.1 level 0 -> NaN (targets excluded): no notice
 *              SCI level 3 -> value 4: no notice
 *   student 1: ELD level 1 -> value 2 on the ELD 4-level scale: notice
 *              BEHAVIORS level 1 (S) -> value 2 > 1: no notice
 *   every other node MLG_LEVEL_NA -> NaN. */
static void test_notice_from_rollup(void **state)
{
    (void)state;
    mlg_catalogue *cat = NULL;
    assert_int_equal(mlg_catalogue_create(&cat), MLG_OK);
    assert_int_equal(mlg_catalogue_add_bulletin_grade3(cat, NULL, NULL, NULL),
                     MLG_OK);
    assert_int_equal(mlg_catalogue_add(cat, "3.OA.A.1", NULL, MLG_NODE_TARGET,
                                       NULL, NULL, 0, NULL),
                     MLG_OK);
    assert_int_equal(mlg_catalogue_link(cat, "3.OA", "3.OA.A.1", 1.0, NULL),
                     MLG_OK);
    /* Not finalised yet: no nodes to report on. */
    double v1[1], t1[1];
    assert_int_equal(mlg_notice_inputs_from_rollup(cat, 0, NULL, 0, v1, t1,
                                                   NULL),
                     MLG_EINVAL);
    assert_int_equal(mlg_catalogue_finalize(cat, NULL), MLG_OK);
    const size_t n = mlg_catalogue_node_count(cat);
    size_t oa, beh, tgt, sci, eld;
    assert_int_equal(mlg_catalogue_find(cat, "3.OA", &oa), MLG_OK);
    assert_int_equal(mlg_catalogue_find(cat, "BEHAVIORS", &beh), MLG_OK);
    assert_int_equal(mlg_catalogue_find(cat, "3.OA.A.1", &tgt), MLG_OK);
    assert_int_equal(mlg_catalogue_find(cat, "SCI", &sci), MLG_OK);
    assert_int_equal(mlg_catalogue_find(cat, "ELD", &eld), MLG_OK);

    int32_t *lv = test_malloc(2 * n * sizeof *lv);
    double *val = test_malloc(2 * n * sizeof *val);
    double *thr = test_malloc(n * sizeof *thr);
    for (size_t i = 0; i < 2 * n; i++)
        lv[i] = MLG_LEVEL_NA;
    lv[oa] = 1;
    lv[beh] = 0;
    lv[tgt] = 0;
    lv[sci] = 3;
    lv[n + eld] = 1;
    lv[n + beh] = 1;
    assert_int_equal(mlg_notice_inputs_from_rollup(cat, 2, lv, 0, val, thr,
                                                   NULL),
                     MLG_OK);
    assert_double_near(val[oa], 2.0, 0.0);
    assert_double_near(thr[oa], 2.0, 0.0);
    assert_double_near(val[beh], 1.0, 0.0);
    assert_double_near(thr[beh], 1.0, 0.0);
    assert_true(isnan(val[tgt]));
    assert_double_near(thr[tgt], 2.0, 0.0);
    assert_double_near(val[sci], 4.0, 0.0);
    assert_double_near(val[n + eld], 2.0, 0.0);
    assert_double_near(thr[eld], 2.0, 0.0);
    assert_double_near(val[n + beh], 2.0, 0.0);

    int64_t st[8], ar[8];
    size_t k = 0;
    assert_int_equal(mlg_notice_list(2, n, val, thr, 8, st, ar, &k, NULL),
                     MLG_OK);
    assert_int_equal(k, 3);
    const size_t lo = oa < beh ? oa : beh, hi = oa < beh ? beh : oa;
    assert_int_equal(st[0], 0);
    assert_int_equal(ar[0], lo);
    assert_int_equal(st[1], 0);
    assert_int_equal(ar[1], hi);
    assert_int_equal(st[2], 1);
    assert_int_equal(ar[2], eld);

    /* include_targets 1: the target's level 0 (value 1.0 <= 2.0) counts. */
    assert_int_equal(mlg_notice_inputs_from_rollup(cat, 2, lv, 1, val, thr,
                                                   NULL),
                     MLG_OK);
    assert_double_near(val[tgt], 1.0, 0.0);

    /* Errors; outputs untouched. */
    for (size_t i = 0; i < n; i++)
        thr[i] = -5.0;
    val[0] = -5.0;
    mlg_errinfo err;
    errinfo_reset(&err);
    lv[n + sci] = 4; /* CCS has levels 0..3 */
    assert_int_equal(mlg_notice_inputs_from_rollup(cat, 2, lv, 0, val, thr,
                                                   &err),
                     MLG_ESCALE);
    assert_int_equal(err.group, 1);
    assert_int_equal(err.row, (int64_t)sci);
    lv[n + sci] = -2;
    assert_int_equal(mlg_notice_inputs_from_rollup(cat, 2, lv, 0, val, thr,
                                                   NULL),
                     MLG_ESCALE);
    lv[n + sci] = MLG_LEVEL_NA;
    assert_int_equal(mlg_notice_inputs_from_rollup(cat, 2, lv, 2, val, thr,
                                                   NULL),
                     MLG_EINVAL);
    assert_int_equal(mlg_notice_inputs_from_rollup(cat, SIZE_MAX / 2, lv, 0,
                                                   val, thr, NULL),
                     MLG_EOVERFLOW);
    assert_int_equal(mlg_notice_inputs_from_rollup(NULL, 2, lv, 0, val, thr,
                                                   NULL),
                     MLG_ENULL);
    assert_int_equal(mlg_notice_inputs_from_rollup(cat, 2, NULL, 0, val, thr,
                                                   NULL),
                     MLG_ENULL);
    assert_int_equal(mlg_notice_inputs_from_rollup(cat, 2, lv, 0, NULL, thr,
                                                   NULL),
                     MLG_ENULL);
    assert_int_equal(mlg_notice_inputs_from_rollup(cat, 2, lv, 0, val, NULL,
                                                   NULL),
                     MLG_ENULL);
    assert_double_near(val[0], -5.0, 0.0);
    for (size_t i = 0; i < n; i++)
        assert_double_near(thr[i], -5.0, 0.0);
    /* No students: only the thresholds are written. */
    assert_int_equal(mlg_notice_inputs_from_rollup(cat, 0, NULL, 0, val, thr,
                                                   NULL),
                     MLG_OK);
    assert_double_near(thr[beh], 1.0, 0.0);
    assert_double_near(val[0], -5.0, 0.0);
    test_free(lv);
    test_free(val);
    test_free(thr);
    mlg_catalogue_free(cat);
}

/* Attachment C, K-5 letter: 18 academic areas then 16 behaviours, in the
 * letter's order. */
static void test_notice_areas(void **state)
{
    (void)state;
    static const struct {
        size_t i;
        const char *heading, *label;
        int32_t behavior, scale;
        double threshold;
    } cases[] = {
        {0, "English Language Arts", "Foundational Skills", 0,
         MLG_SCALE_CCS4, 2.0},
        {4, "English Language Arts",
         "Effective Expression through Speaking/Listening", 0, MLG_SCALE_CCS4,
         2.0},
        {6, "Mathematics", "Operations & Algebraic Thinking", 0,
         MLG_SCALE_CCS4, 2.0},
        {11, "Mathematics", "Math Practices", 0, MLG_SCALE_CCS4, 2.0},
        {12, "", "Science", 0, MLG_SCALE_CCS4, 2.0},
        {17, "", "ELD", 0, MLG_SCALE_ELD4, 2.0},
        {18, "Effectively communicates & collaborates",
         "communicates clearly through speaking & writing", 1,
         MLG_SCALE_BEHAVIOR, 1.0},
        {23, "Thinks Critically, solves problems creatively, values evidence",
         "applies knowledge & experiences to solve problems", 1,
         MLG_SCALE_BEHAVIOR, 1.0},
        {32, "Uses technology & Digital Media strategically & Capably",
         "uses appropriate technologies effectively when communicating", 1,
         MLG_SCALE_BEHAVIOR, 1.0},
        {33, "Uses technology & Digital Media strategically & Capably",
         "adheres to the guidelines found in the district AUP", 1,
         MLG_SCALE_BEHAVIOR, 1.0},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        mlg_notice_area a;
        assert_int_equal(mlg_notice_area_builtin(cases[c].i, &a), MLG_OK);
        assert_string_equal(a.heading, cases[c].heading);
        assert_string_equal(a.label, cases[c].label);
        assert_int_equal(a.behavior, cases[c].behavior);
        assert_int_equal(a.scale, cases[c].scale);
        assert_double_near(a.threshold, cases[c].threshold, 0.0);
    }
    size_t n_beh = 0;
    for (size_t i = 0; i < MLG_NOTICE_AREA_COUNT; i++) {
        mlg_notice_area a;
        assert_int_equal(mlg_notice_area_builtin(i, &a), MLG_OK);
        assert_true(strlen(a.label) > 0);
        assert_true(strlen(a.label) < sizeof a.label - 1);
        assert_true(strlen(a.heading) < sizeof a.heading - 1);
        n_beh += (size_t)a.behavior;
        /* Behaviours come after every academic area. */
        assert_int_equal(a.behavior, i >= 18);
    }
    assert_int_equal(n_beh, 16);
    mlg_notice_area a;
    memset(&a, 0x5a, sizeof a);
    const mlg_notice_area before = a;
    assert_int_equal(mlg_notice_area_builtin(MLG_NOTICE_AREA_COUNT, &a),
                     MLG_ENOTFOUND);
    assert_memory_equal(&a, &before, sizeof a);
    assert_int_equal(mlg_notice_area_builtin(0, NULL), MLG_ENULL);
}

/* mlg_notice_format(): labels joined by "; ". */
static void test_notice_format(void **state)
{
    (void)state;
    static const char *const labels[] = {"Operations & Algebraic Thinking",
                                         "Number & Operations in Base Ten",
                                         "Foundational Skills", "Science"};
    const int64_t areas[] = {0, 3};
    const char *want = "Operations & Algebraic Thinking; Science";
    const size_t len = strlen(want); /* 31 + 2 + 7 = 40 */
    assert_int_equal(len, 40);
    char buf[64];
    size_t req = 0;
    assert_int_equal(mlg_notice_format(2, areas, labels, 4, buf, sizeof buf,
                                       &req),
                     MLG_OK);
    assert_string_equal(buf, want);
    assert_int_equal(req, len);
    /* size == length: no room for the NUL -> MLG_ESIZE, buf untouched. */
    memset(buf, 'x', sizeof buf);
    req = 0;
    assert_int_equal(mlg_notice_format(2, areas, labels, 4, buf, len, &req),
                     MLG_ESIZE);
    assert_int_equal(req, len);
    assert_int_equal(buf[0], 'x');
    /* size == length + 1 fits exactly; required may be NULL. */
    assert_int_equal(mlg_notice_format(2, areas, labels, 4, buf, len + 1,
                                       NULL),
                     MLG_OK);
    assert_string_equal(buf, want);
    /* Size query with a NULL buffer. */
    assert_int_equal(mlg_notice_format(2, areas, labels, 4, NULL, 0, &req),
                     MLG_ESIZE);
    assert_int_equal(req, len);
    /* One area, and none. */
    assert_int_equal(mlg_notice_format(1, areas + 1, labels, 4, buf, 8, &req),
                     MLG_OK);
    assert_string_equal(buf, "Science");
    assert_int_equal(mlg_notice_format(0, NULL, NULL, 0, buf, 1, &req),
                     MLG_OK);
    assert_string_equal(buf, "");
    assert_int_equal(req, 0);
    /* Errors. */
    memset(buf, 'x', sizeof buf);
    const int64_t bad_hi[] = {0, 4}, bad_lo[] = {-1};
    assert_int_equal(mlg_notice_format(2, bad_hi, labels, 4, buf, 64, &req),
                     MLG_EINVAL);
    assert_int_equal(mlg_notice_format(1, bad_lo, labels, 4, buf, 64, &req),
                     MLG_EINVAL);
    assert_int_equal(mlg_notice_format(2, NULL, labels, 4, buf, 64, &req),
                     MLG_ENULL);
    assert_int_equal(mlg_notice_format(2, areas, NULL, 4, buf, 64, &req),
                     MLG_ENULL);
    assert_int_equal(mlg_notice_format(2, areas, labels, 4, NULL, 64, &req),
                     MLG_ENULL);
    /* docs/policy.md: Ana's line from the Attachment C labels (areas 6
     * Operations & Algebraic Thinking, 12 Science, 27 follows school &
     * classroom rules). */
    mlg_notice_area all[MLG_NOTICE_AREA_COUNT];
    const char *all_labels[MLG_NOTICE_AREA_COUNT];
    for (size_t i = 0; i < MLG_NOTICE_AREA_COUNT; i++) {
        assert_int_equal(mlg_notice_area_builtin(i, &all[i]), MLG_OK);
        all_labels[i] = all[i].label;
    }
    const int64_t ana[] = {6, 12, 27};
    char line[160];
    assert_int_equal(mlg_notice_format(3, ana, all_labels,
                                       MLG_NOTICE_AREA_COUNT, line,
                                       sizeof line, NULL),
                     MLG_OK);
    assert_string_equal(line, "Operations & Algebraic Thinking; Science; "
                              "follows school & classroom rules");
    static const char *const with_null[] = {"A", NULL};
    const int64_t second[] = {1};
    assert_int_equal(mlg_notice_format(1, second, with_null, 2, buf, 64, &req),
                     MLG_ENULL);
    assert_int_equal(buf[0], 'x');
}

/* ---------------------------------------------------- attendance (I.F) -- */

/* Sec. I.F: marks for students "enrolled at a school for fifteen or more
 * instructional days"; fewer -> AG-14 "Insufficient attendance to
 * determine performance."; foster students / homelessness: "teachers
 * should consider assigning marks ... whether or not they have been
 * enrolled a minimum of 15 instructional days". */
static void test_attendance(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int32_t days;
        uint8_t override_marks;
        int32_t expect;
    } cases[] = {
        {"14 days", 14, 0, MLG_ATTEND_AG14},
        {"15 days", 15, 0, MLG_ATTEND_MARKS},
        {"14 days, foster override", 14, 1, MLG_ATTEND_OVERRIDE},
        {"15 days, override irrelevant", 15, 1, MLG_ATTEND_MARKS},
        {"0 days", 0, 0, MLG_ATTEND_AG14},
        {"0 days, override", 0, 1, MLG_ATTEND_OVERRIDE},
        {"60 days", 60, 0, MLG_ATTEND_MARKS},
    };
    enum { N = sizeof cases / sizeof cases[0] };
    int32_t days[N], dec[N];
    uint8_t ov[N];
    size_t want_ag14 = 0;
    for (size_t i = 0; i < N; i++) {
        days[i] = cases[i].days;
        ov[i] = cases[i].override_marks;
        want_ag14 += cases[i].expect == MLG_ATTEND_AG14;
    }
    size_t n_ag14 = 99;
    assert_int_equal(mlg_attendance_check(N, days, ov,
                                          MLG_ATTENDANCE_MIN_DAYS, dec,
                                          &n_ag14, NULL),
                     MLG_OK);
    assert_int_equal(n_ag14, 2);
    assert_int_equal(want_ag14, 2);
    for (size_t i = 0; i < N; i++)
        if (dec[i] != cases[i].expect)
            fail_msg("case %s: decision %d, expected %d", cases[i].name,
                     dec[i], cases[i].expect);
    /* No override array: every short student gets AG-14. */
    assert_int_equal(mlg_attendance_check(N, days, NULL, 15, dec, &n_ag14,
                                          NULL),
                     MLG_OK);
    assert_int_equal(n_ag14, 4);
    assert_int_equal(dec[2], MLG_ATTEND_AG14);
    /* A district's own minimum; 0 gives everyone marks; n_ag14 optional. */
    assert_int_equal(mlg_attendance_check(N, days, NULL, 0, dec, NULL, NULL),
                     MLG_OK);
    for (size_t i = 0; i < N; i++)
        assert_int_equal(dec[i], MLG_ATTEND_MARKS);
    assert_int_equal(mlg_attendance_check(0, NULL, NULL, 15, NULL, &n_ag14,
                                          NULL),
                     MLG_OK);
    assert_int_equal(n_ag14, 0);
    assert_string_equal(MLG_COMMENT_AG14, "AG-14");
    assert_string_equal(MLG_COMMENT_AG14_TEXT,
                        "Insufficient attendance to determine performance.");
    assert_int_equal(MLG_ATTENDANCE_MIN_DAYS, 15);
}

static void test_attendance_errors(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int what;
        int status;
        int64_t group;
    } cases[] = {
        {"days NULL", 0, MLG_ENULL, -1},
        {"decision NULL", 1, MLG_ENULL, -1},
        {"min_days negative", 2, MLG_EINVAL, -1},
        {"days negative", 3, MLG_EINVAL, 1},
        {"override 2", 4, MLG_EINVAL, 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int32_t days[3] = {20, 14, 3};
        uint8_t ov[3] = {0, 0, 1};
        int32_t dec[3] = {-9, -9, -9};
        size_t n_ag14 = 77;
        int32_t min_days = 15;
        const int32_t *dp = days;
        int32_t *decp = dec;
        switch (cases[i].what) {
        case 0: dp = NULL; break;
        case 1: decp = NULL; break;
        case 2: min_days = -1; break;
        case 3: days[1] = -1; break;
        case 4: ov[2] = 2; break;
        }
        mlg_errinfo err;
        errinfo_reset(&err);
        const int st = mlg_attendance_check(3, dp, ov, min_days, decp,
                                            &n_ag14, &err);
        assert_status_case(cases[i].name, st, cases[i].status);
        if (err.status != cases[i].status || err.group != cases[i].group)
            fail_msg("case %s: errinfo %d group %lld", cases[i].name,
                     err.status, (long long)err.group);
        if (dec[0] != -9 || dec[1] != -9 || dec[2] != -9 || n_ag14 != 77)
            fail_msg("case %s: outputs written on error", cases[i].name);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_period_validate),
        cmocka_unit_test(test_entry_presets),
        cmocka_unit_test(test_entry_presets_errors),
        cmocka_unit_test(test_entry_minimums_validate),
        cmocka_unit_test(test_entry_cases),
        cmocka_unit_test(test_entry_zoey_class),
        cmocka_unit_test(test_entry_per_row),
        cmocka_unit_test(test_entry_empty),
        cmocka_unit_test(test_entry_errors),
        cmocka_unit_test(test_notice_ix_e),
        cmocka_unit_test(test_notice_zoey_class),
        cmocka_unit_test(test_notice_threshold_edges),
        cmocka_unit_test(test_notice_capacity),
        cmocka_unit_test(test_notice_errors),
        cmocka_unit_test(test_notice_new),
        cmocka_unit_test(test_notice_new_errors),
        cmocka_unit_test(test_notice_from_rollup),
        cmocka_unit_test(test_notice_areas),
        cmocka_unit_test(test_notice_format),
        cmocka_unit_test(test_attendance),
        cmocka_unit_test(test_attendance_errors),
    };
    return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
