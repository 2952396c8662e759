/* SPDX-License-Identifier: GPL-3.0-or-later */
/* policy.c -- report-card policy checks for a reporting period
 * (BUL-2332.7 sec. I.F, I.I, VII, IX; Attachments B and C). */
#include "mlg_internal.h"
#include "mlg_policy.h"
#include "mlg_rollup.h"

#include <assert.h>
#include <math.h>
#include <string.h>

/* ------------------------------------------------------------ period -- */

int mlg_period_validate(const mlg_period *p)
{
    if (!p)
        return MLG_ENULL;
    if (p->start == MLG_DAY_NONE || p->midpoint == MLG_DAY_NONE ||
        p->end == MLG_DAY_NONE)
        return MLG_EINVAL;
    if (p->midpoint < p->start || p->end < p->midpoint)
        return MLG_EINVAL;
    return MLG_OK;
}

/* ------------------------------------------------- minimum grade entry -- */

/* Attachment B, one row per school year.  Columns: ELA/Math/ALD required
 * by midpoint and end (the ELA, Mathematics and ALD rows: "RP Midpoint" and
 * "RP End"), Other required by end ("All Other Academic Progress Report
 * Areas", "RP End") and Other recommended per half ("... by the midpoint
 * and ... by the end is highly recommended").  2018-19 also matches sec.
 * VII.A (one by the midpoint), VII.B (three by the end) and VII.C (one by
 * the end for the other subjects). */
static const struct {
    int32_t year;
    int32_t core_mid, core_end, other_end, other_rec_half;
} entry_presets[] = {
    {2018, 1, 3, 1, 1},
    {2019, 2, 4, 2, 2},
    {2020, 3, 6, 3, 3},
};

int mlg_entry_minimums_preset(int32_t year, mlg_entry_minimums *out)
{
    if (!out)
        return MLG_ENULL;
    for (size_t i = 0; i < sizeof entry_presets / sizeof entry_presets[0];
         i++) {
        if (entry_presets[i].year != year)
            continue;
        mlg_entry_minimums m;
        memset(&m, 0, sizeof m);
        m.year = year;
        m.count_missing = 0;
        for (int c = MLG_SUBJECT_ELA; c <= MLG_SUBJECT_ALD; c++) {
            m.req_midpoint[c] = entry_presets[i].core_mid;
            m.req_end[c] = entry_presets[i].core_end;
            m.rec_midpoint[c] = entry_presets[i].core_mid;
            m.rec_end[c] = entry_presets[i].core_end;
        }
        m.req_midpoint[MLG_SUBJECT_OTHER] = 0;
        m.req_end[MLG_SUBJECT_OTHER] = entry_presets[i].other_end;
        /* "One by the midpoint and one by the end": one mark in each half,
         * so cumulatively 2 * r by the end (docs/policy.md). */
        m.rec_midpoint[MLG_SUBJECT_OTHER] = entry_presets[i].other_rec_half;
        m.rec_end[MLG_SUBJECT_OTHER] = 2 * entry_presets[i].other_rec_half;
        *out = m;
        return MLG_OK;
    }
    return MLG_ENOTFOUND;
}

int mlg_entry_minimums_from_name(const char *name, mlg_entry_minimums *out)
{
    static const struct {
        const char *name;
        int32_t year;
    } names[] = {
        {"2018-19", 2018}, {"2018-2019", 2018}, {"2019-20", 2019},
        {"2019-2020", 2019}, {"2020-21", 2020}, {"2020-2021", 2020},
    };
    if (!name || !out)
        return MLG_ENULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].name, name) == 0)
            return mlg_entry_minimums_preset(names[i].year, out);
    return MLG_ENOTFOUND;
}

int mlg_entry_minimums_validate(const mlg_entry_minimums *m)
{
    if (!m)
        return MLG_ENULL;
    if (m->count_missing != 0 && m->count_missing != 1)
        return MLG_EINVAL;
    for (int c = 0; c < MLG_SUBJECT_COUNT; c++) {
        if (m->req_midpoint[c] < 0 || m->req_end[c] < 0 ||
            m->rec_midpoint[c] < 0 || m->rec_end[c] < 0)
            return MLG_EINVAL;
        if (m->req_midpoint[c] > m->req_end[c] ||
            m->rec_midpoint[c] > m->rec_end[c])
            return MLG_EINVAL;
    }
    return MLG_OK;
}

int mlg_entry_check(size_t n_groups, const int64_t *offsets,
                    const int32_t *day, const uint8_t *status,
                    const int64_t *group_slot, size_t n_slots,
                    const int32_t *slot_category, const mlg_period *period,
                    const mlg_entry_minimums *m, int64_t *by_midpoint_out,
                    int64_t *by_end_out, uint32_t *flags_out,
                    mlg_entry_summary *summary, mlg_errinfo *err)
{
    if (!offsets || !period || !m || !by_midpoint_out || !by_end_out ||
        !flags_out ||
        (n_slots > 0 && !slot_category))
        return mlg__fail(err, MLG_ENULL, -1, -1, "required pointer is NULL");
    if (mlg_period_validate(period) != MLG_OK)
        return mlg__fail(err, MLG_EINVAL, -1, -1,
                         "period needs start <= midpoint <= end");
    if (mlg_entry_minimums_validate(m) != MLG_OK)
        return mlg__fail(err, MLG_EINVAL, -1, -1, "invalid minimums table");
    if (!group_slot && n_slots != n_groups)
        return mlg__fail(err, MLG_EINVAL, -1, -1,
                         "n_slots must equal n_groups without group_slot");
    if (offsets[0] != 0)
        return mlg__fail(err, MLG_EINVAL, 0, -1, "offsets[0] must be 0");
    for (size_t g = 0; g < n_groups; g++)
        if (offsets[g + 1] < offsets[g])
            return mlg__fail(err, MLG_EINVAL, (int64_t)g, -1,
                             "offsets decrease at group %zu", g);
    const int64_t n_rows = offsets[n_groups];
    if (n_rows > 0 && !day)
        return mlg__fail(err, MLG_ENULL, -1, -1, "day is NULL");

    /* Check everything before writing anything: outputs stay untouched on
     * error. */
    for (size_t s = 0; s < n_slots; s++)
        if (slot_category[s] < 0 || slot_category[s] >= MLG_SUBJECT_COUNT)
            return mlg__fail(err, MLG_EINVAL, (int64_t)s, -1,
                             "slot %zu: category %d is not MLG_SUBJECT_*", s,
                             (int)slot_category[s]);
    for (size_t g = 0; g < n_groups; g++) {
        if (group_slot &&
            (group_slot[g] < 0 || (uint64_t)group_slot[g] >= n_slots))
            return mlg__fail(err, MLG_EINVAL, (int64_t)g, -1,
                             "group %zu: slot %lld out of range", g,
                             (long long)group_slot[g]);
        for (int64_t r = offsets[g]; r < offsets[g + 1]; r++) {
            if (day[r] == MLG_DAY_NONE)
                return mlg__fail(err, MLG_EINVAL, (int64_t)g, r,
                                 "row %lld has no day", (long long)r);
            if (status && status[r] > MLG_EVIDENCE_MISSING)
                return mlg__fail(err, MLG_ESTATUS, (int64_t)g, r,
                                 "row %lld: status %u is not MLG_EVIDENCE_*",
                                 (long long)r, (unsigned)status[r]);
        }
    }

    memset(by_midpoint_out, 0, n_slots * sizeof *by_midpoint_out);
    memset(by_end_out, 0, n_slots * sizeof *by_end_out);
    for (size_t g = 0; g < n_groups; g++) {
        const size_t s = group_slot ? (size_t)group_slot[g] : g;
        for (int64_t r = offsets[g]; r < offsets[g + 1]; r++) {
            /* Excused evidence never counts; missing evidence counts only
             * when the table says so (mlg_policy.h, docs/policy.md). */
            if (status && !(status[r] == MLG_EVIDENCE_COUNTED ||
                            (status[r] == MLG_EVIDENCE_MISSING &&
                             m->count_missing)))
                continue;
            /* All three bounds inclusive (mlg_period). */
            if (day[r] < period->start || day[r] > period->end)
                continue;
            by_end_out[s]++;
            if (day[r] <= period->midpoint)
                by_midpoint_out[s]++;
        }
    }

    mlg_entry_summary sum;
    memset(&sum, 0, sizeof sum);
    sum.n_slots = (int64_t)n_slots;
    for (size_t s = 0; s < n_slots; s++) {
        const int32_t c = slot_category[s];
        uint32_t f = 0;
        if (by_midpoint_out[s] < m->req_midpoint[c])
            f |= MLG_ENTRY_SHORT_MIDPOINT;
        if (by_end_out[s] < m->req_end[c])
            f |= MLG_ENTRY_SHORT_END;
        if (by_midpoint_out[s] < m->rec_midpoint[c])
            f |= MLG_ENTRY_REC_MIDPOINT;
        if (by_end_out[s] < m->rec_end[c])
            f |= MLG_ENTRY_REC_END;
        flags_out[s] = f;
        sum.n_short_midpoint += (f & MLG_ENTRY_SHORT_MIDPOINT) != 0;
        sum.n_short_end += (f & MLG_ENTRY_SHORT_END) != 0;
        sum.n_short_any += (f & MLG_ENTRY_SHORT_ANY) != 0;
        sum.n_rec_midpoint += (f & MLG_ENTRY_REC_MIDPOINT) != 0;
        sum.n_rec_end += (f & MLG_ENTRY_REC_END) != 0;
    }
    if (summary)
        *summary = sum;
    return MLG_OK;
}

/* ----------------------------------------------------- warning notices -- */

/* Is a notice due for (student s, area a) with value v?  At risk when
 * v <= the area's threshold (NaN, N/A or not assessed, compares false: never
 * at risk), and not already in the earlier list.  Both lists run in
 * (student, area) order, so *p, the cursor into the earlier list, only moves
 * forward across calls of one pass. */
static int notice_due(double v, const double *threshold, size_t a,
                      size_t n_prev, const int64_t *prev_student,
                      const int64_t *prev_area, size_t *p, size_t s)
{
    const double t = threshold ? threshold[a] : MLG_NOTICE_THRESHOLD_CCS;
    if (!(v <= t))
        return 0;
    size_t q = *p;
    while (q < n_prev &&
           ((uint64_t)prev_student[q] < s ||
            ((uint64_t)prev_student[q] == s && (uint64_t)prev_area[q] < a)))
        q++;
    *p = q;
    /* Equal: a notice was already sent. */
    return !(q < n_prev && (uint64_t)prev_student[q] == s &&
             (uint64_t)prev_area[q] == a);
}

/* Shared by mlg_notice_list() and mlg_notice_list_new(): with n_prev == 0
 * it is the midpoint list (sec. IX.A), otherwise the notices newly due
 * (sec. IX.C).  Two passes: count, then write only if everything fits, so
 * the lists are untouched on MLG_ESIZE. */
static int notice_run(size_t n_students, size_t n_areas, const double *value,
                      const double *threshold, size_t n_prev,
                      const int64_t *prev_student, const int64_t *prev_area,
                      size_t capacity, int64_t *student_out,
                      int64_t *area_out, size_t *n_required, mlg_errinfo *err)
{
    if (!n_required)
        return mlg__fail(err, MLG_ENULL, -1, -1, "n_required is NULL");
    if (n_areas != 0 && n_students > SIZE_MAX / n_areas)
        return mlg__fail(err, MLG_EOVERFLOW, -1, -1,
                         "n_students * n_areas overflows");
    const size_t n_cells = n_students * n_areas;
    if (n_cells > 0 && !value)
        return mlg__fail(err, MLG_ENULL, -1, -1, "value is NULL");
    if (capacity > 0 && (!student_out || !area_out))
        return mlg__fail(err, MLG_ENULL, -1, -1, "output list is NULL");
    if (n_prev > 0 && (!prev_student || !prev_area))
        return mlg__fail(err, MLG_ENULL, -1, -1, "earlier list is NULL");
    if (threshold)
        for (size_t a = 0; a < n_areas; a++)
            if (!isfinite(threshold[a]))
                return mlg__fail(err, MLG_ENAN, -1, (int64_t)a,
                                 "threshold of area %zu is not finite", a);
    for (size_t i = 0; i < n_prev; i++) {
        if (prev_student[i] < 0 || (uint64_t)prev_student[i] >= n_students ||
            prev_area[i] < 0 || (uint64_t)prev_area[i] >= n_areas)
            return mlg__fail(err, MLG_EINVAL, -1, (int64_t)i,
                             "earlier notice %zu is out of range", i);
        if (i > 0 && (prev_student[i] < prev_student[i - 1] ||
                      (prev_student[i] == prev_student[i - 1] &&
                       prev_area[i] <= prev_area[i - 1])))
            return mlg__fail(err, MLG_EINVAL, -1, (int64_t)i,
                             "earlier notices not strictly ascending at %zu",
                             i);
    }

    /* Pass 1: validate values and count. */
    size_t k = 0, p = 0;
    for (size_t s = 0; s < n_students; s++) {
        for (size_t a = 0; a < n_areas; a++) {
            const double v = value[s * n_areas + a];
            if (isinf(v))
                return mlg__fail(err, MLG_ENAN, (int64_t)s, (int64_t)a,
                                 "student %zu area %zu: infinite value", s,
                                 a);
            k += notice_due(v, threshold, a, n_prev, prev_student, prev_area,
                            &p, s);
        }
    }
    *n_required = k;
    if (k > capacity)
        return mlg__fail(err, MLG_ESIZE, -1, -1,
                         "%zu notices, capacity %zu", k, capacity);

    /* Pass 2: write. */
    size_t j = 0;
    p = 0;
    for (size_t s = 0; s < n_students; s++) {
        for (size_t a = 0; a < n_areas; a++) {
            if (!notice_due(value[s * n_areas + a], threshold, a, n_prev,
                            prev_student, prev_area, &p, s))
                continue;
            student_out[j] = (int64_t)s;
            area_out[j] = (int64_t)a;
            j++;
        }
    }
    return MLG_OK;
}

int mlg_notice_list(size_t n_students, size_t n_areas, const double *value,
                    const double *threshold, size_t capacity,
                    int64_t *student_out, int64_t *area_out,
                    size_t *n_required, mlg_errinfo *err)
{
    return notice_run(n_students, n_areas, value, threshold, 0, NULL, NULL,
                      capacity, student_out, area_out, n_required, err);
}

int mlg_notice_list_new(size_t n_students, size_t n_areas,
                        const double *value, const double *threshold,
                        size_t n_prev, const int64_t *prev_student,
                        const int64_t *prev_area, size_t capacity,
                        int64_t *student_out, int64_t *area_out,
                        size_t *n_required, mlg_errinfo *err)
{
    return notice_run(n_students, n_areas, value, threshold, n_prev,
                      prev_student, prev_area, capacity, student_out,
                      area_out, n_required, err);
}

/* The suggested at-risk threshold of a scale (mlg_policy.h): "a 1 or 2"
 * on scales of four or more levels (sec. IX.E), the lowest level on the
 * three-level behaviour scale (R, Rarely). */
static double scale_threshold(const mlg_scale *sc)
{
    return sc->n_levels >= 4 ? sc->value[1] : sc->value[0];
}

int mlg_notice_inputs_from_rollup(const struct mlg_catalogue *cat,
                                  size_t n_students, const int32_t *node_level,
                                  int32_t include_targets, double *value_out,
                                  double *threshold_out, mlg_errinfo *err)
{
    if (!cat || !value_out || !threshold_out ||
        (n_students > 0 && !node_level))
        return mlg__fail(err, MLG_ENULL, -1, -1, "required pointer is NULL");
    const size_t n = mlg_catalogue_node_count(cat);
    if (n == 0)
        return mlg__fail(err, MLG_EINVAL, -1, -1,
                         "catalogue is not finalised");
    if (include_targets != 0 && include_targets != 1)
        return mlg__fail(err, MLG_EINVAL, -1, -1,
                         "include_targets must be 0 or 1");
    if (n_students > SIZE_MAX / n)
        return mlg__fail(err, MLG_EOVERFLOW, -1, -1,
                         "n_students * nodes overflows");
    mlg_scale sc;
    /* Pass 1, node by node (one scale copy each): validate the levels so
     * that the outputs stay untouched on error. */
    for (size_t k = 0; k < n; k++) {
        /* Cannot fail: the catalogue is finalised and k < N. */
        const int rc = mlg_catalogue_node_scale(cat, k, &sc);
        assert(rc == MLG_OK);
        (void)rc;
        for (size_t s = 0; s < n_students; s++) {
            const int32_t lv = node_level[s * n + k];
            if (lv != MLG_LEVEL_NA && (lv < 0 || lv >= sc.n_levels))
                return mlg__fail(err, MLG_ESCALE, (int64_t)s, (int64_t)k,
                                 "student %zu node %zu: level %d is not on "
                                 "the node's scale",
                                 s, k, (int)lv);
        }
    }
    /* Pass 2: write. */
    for (size_t k = 0; k < n; k++) {
        mlg_node_info info;
        (void)mlg_catalogue_node_scale(cat, k, &sc);
        const int skip = mlg_catalogue_node_info(cat, k, &info) == MLG_OK &&
                         info.kind == MLG_NODE_TARGET && !include_targets;
        threshold_out[k] = scale_threshold(&sc);
        for (size_t s = 0; s < n_students; s++) {
            const int32_t lv = node_level[s * n + k];
            value_out[s * n + k] =
                (skip || lv == MLG_LEVEL_NA) ? NAN : sc.value[lv];
        }
    }
    return MLG_OK;
}

/* The Attachment C K-5 letter, in its order.  The academic column lists
 * ELA domains, Math domains and Math Practices, then Science,
 * History/S.S., Arts, Physical Ed., Health and ELD; the behaviour column
 * lists five headings with their check-box lines. */
#define CCS MLG_SCALE_CCS4
#define BEH MLG_SCALE_BEHAVIOR
static const struct {
    const char *heading;
    const char *label;
    int32_t behavior, scale;
} notice_areas[MLG_NOTICE_AREA_COUNT] = {
    {"English Language Arts", "Foundational Skills", 0, CCS},
    {"English Language Arts", "Making Meaning from Text", 0, CCS},
    {"English Language Arts", "Conventions & Vocabulary", 0, CCS},
    {"English Language Arts", "Effective Expression through Writing", 0, CCS},
    {"English Language Arts",
     "Effective Expression through Speaking/Listening", 0, CCS},
    {"Mathematics", "Counting & Cardinality (kinder only)", 0, CCS},
    {"Mathematics", "Operations & Algebraic Thinking", 0, CCS},
    {"Mathematics", "Number & Operations in Base Ten", 0, CCS},
    {"Mathematics", "Measurement & Data", 0, CCS},
    {"Mathematics", "Geometry", 0, CCS},
    {"Mathematics", "Number & Operations Fractions (3rd-5th)", 0, CCS},
    {"Mathematics", "Math Practices", 0, CCS},
    {"", "Science", 0, CCS},
    {"", "History/S.S.", 0, CCS},
    {"", "Arts", 0, CCS},
    {"", "Physical Ed.", 0, CCS},
    {"", "Health", 0, CCS},
    {"", "ELD", 0, MLG_SCALE_ELD4},
    {"Effectively communicates & collaborates",
     "communicates clearly through speaking & writing", 1, BEH},
    {"Effectively communicates & collaborates",
     "works productively in collaborative groups", 1, BEH},
    {"Effectively communicates & collaborates",
     "listens to, interprets, & uses information", 1, BEH},
    {"Understands other perspectives",
     "shows respect & recognizes the opinions & feelings of others", 1, BEH},
    {"Understands other perspectives", "solves problems in different ways", 1,
     BEH},
    {"Thinks Critically, solves problems creatively, values evidence",
     "applies knowledge & experiences to solve problems", 1, BEH},
    {"Thinks Critically, solves problems creatively, values evidence",
     "evaluates answers, explains reasoning", 1, BEH},
    {"Thinks Critically, solves problems creatively, values evidence",
     "generates new & creative ideas", 1, BEH},
    {"Acts responsibly, ethically, & is productive citizen",
     "works independently & asks for assistance when needed", 1, BEH},
    {"Acts responsibly, ethically, & is productive citizen",
     "follows school & classroom rules", 1, BEH},
    {"Acts responsibly, ethically, & is productive citizen",
     "respects the rights & property of school and others", 1, BEH},
    {"Acts responsibly, ethically, & is productive citizen",
     "organizes workplace & materials", 1, BEH},
    {"Acts responsibly, ethically, & is productive citizen",
     "makes productive use of class time & stays on task", 1, BEH},
    {"Uses technology & Digital Media strategically & Capably",
     "presents information effectively in a variety of formats", 1, BEH},
    {"Uses technology & Digital Media strategically & Capably",
     "uses appropriate technologies effectively when communicating", 1, BEH},
    {"Uses technology & Digital Media strategically & Capably",
     "adheres to the guidelines found in the district AUP", 1, BEH},
};
#undef CCS
#undef BEH

int mlg_notice_area_builtin(size_t i, mlg_notice_area *out)
{
    if (!out)
        return MLG_ENULL;
    if (i >= MLG_NOTICE_AREA_COUNT)
        return MLG_ENOTFOUND;
    mlg_notice_area a;
    memset(&a, 0, sizeof a);
    /* The table's strings are shorter than the fields (a test checks). */
    strncpy(a.heading, notice_areas[i].heading, sizeof a.heading - 1);
    strncpy(a.label, notice_areas[i].label, sizeof a.label - 1);
    a.behavior = notice_areas[i].behavior;
    a.scale = notice_areas[i].scale;
    /* Behaviours: R (Rarely, value 1) is the level that fails to meet the
     * expectation; academic scales: 1 or 2 (sec. IX.E). */
    a.threshold = a.behavior ? 1.0 : MLG_NOTICE_THRESHOLD_CCS;
    *out = a;
    return MLG_OK;
}

/* The 6th-grade letter's Mathematics column (Att. C), in its order; the
 * other areas are the K-5 letter's (ELA 0..4, then Science onwards). */
static const char *const grade6_math[] = {
    "Ratios & Proportional Relationships", "The Number System",
    "Expressions & Equations", "Geometry", "Statistics & Probability",
    "Math Practices"};
#define K5_MATH_FIRST 5   /* K-5 index of "Counting & Cardinality" */
#define K5_MATH_COUNT 7

int mlg_notice_area_grade(int32_t grade, size_t i, mlg_notice_area *out)
{
    if (!out)
        return MLG_ENULL;
    if (grade < 0 || grade > 6)
        return MLG_ENOTFOUND;
    if (grade < 6)
        return mlg_notice_area_builtin(i, out);
    if (i >= MLG_NOTICE_AREA_COUNT_GRADE6)
        return MLG_ENOTFOUND;
    const size_t n_math = sizeof grade6_math / sizeof grade6_math[0];
    if (i < K5_MATH_FIRST)
        return mlg_notice_area_builtin(i, out);
    if (i >= K5_MATH_FIRST + n_math)
        return mlg_notice_area_builtin(i - n_math + K5_MATH_COUNT, out);
    mlg_notice_area a;
    mlg_notice_area_builtin(K5_MATH_FIRST + 1, &a); /* a Mathematics row */
    memset(a.label, 0, sizeof a.label);
    strncpy(a.label, grade6_math[i - K5_MATH_FIRST], sizeof a.label - 1);
    *out = a;
    return MLG_OK;
}

int mlg_notice_format(size_t n, const int64_t *area,
                      const char *const *labels, size_t n_labels, char *buf,
                      size_t size, size_t *required)
{
    static const char sep[] = "; ";
    if ((n > 0 && (!area || !labels)) || (size > 0 && !buf))
        return MLG_ENULL;
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (area[i] < 0 || (uint64_t)area[i] >= n_labels)
            return MLG_EINVAL;
        if (!labels[area[i]])
            return MLG_ENULL;
        len += strlen(labels[area[i]]) + (i > 0 ? sizeof sep - 1 : 0);
    }
    if (required)
        *required = len;
    if (size <= len)
        return MLG_ESIZE;
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            memcpy(buf + pos, sep, sizeof sep - 1);
            pos += sizeof sep - 1;
        }
        const size_t l = strlen(labels[area[i]]);
        memcpy(buf + pos, labels[area[i]], l);
        pos += l;
    }
    buf[pos] = '\0';
    return MLG_OK;
}

/* ------------------------------------------------- attendance (I.F) -- */

int mlg_attendance_check(size_t n_students, const int32_t *days_enrolled,
                         const uint8_t *override_marks, int32_t min_days,
                         int32_t *decision_out, size_t *n_ag14,
                         mlg_errinfo *err)
{
    if ((n_students > 0 && (!days_enrolled || !decision_out)))
        return mlg__fail(err, MLG_ENULL, -1, -1, "required pointer is NULL");
    if (min_days < 0)
        return mlg__fail(err, MLG_EINVAL, -1, -1, "min_days is negative");
    for (size_t s = 0; s < n_students; s++) {
        if (days_enrolled[s] < 0)
            return mlg__fail(err, MLG_EINVAL, (int64_t)s, -1,
                             "student %zu: negative days enrolled", s);
        if (override_marks && override_marks[s] > 1)
            return mlg__fail(err, MLG_EINVAL, (int64_t)s, -1,
                             "student %zu: override flag is not 0 or 1", s);
    }
    size_t k = 0;
    for (size_t s = 0; s < n_students; s++) {
        /* Sec. I.F: "fifteen or more instructional days" get marks. */
        if (days_enrolled[s] >= min_days)
            decision_out[s] = MLG_ATTEND_MARKS;
        else if (override_marks && override_marks[s])
            decision_out[s] = MLG_ATTEND_OVERRIDE;
        else {
            decision_out[s] = MLG_ATTEND_AG14;
            k++;
        }
    }
    if (n_ag14)
        *n_ag14 = k;
    return MLG_OK;
}

/* ------------------------------------------- evidence sufficiency (VII.E) -- */

/* Batch-layout checks shared by the two functions below. */
static int check_groups(size_t n_groups, const int64_t *offsets,
                        const uint8_t *status, mlg_errinfo *err)
{
    if (offsets[0] != 0)
        return mlg__fail(err, MLG_EINVAL, 0, -1, "offsets[0] must be 0");
    for (size_t g = 0; g < n_groups; g++)
        if (offsets[g + 1] < offsets[g])
            return mlg__fail(err, MLG_EINVAL, (int64_t)g, -1,
                             "offsets decrease at group %zu", g);
    if (status)
        for (int64_t r = 0; r < offsets[n_groups]; r++)
            if (status[r] > MLG_EVIDENCE_MISSING)
                return mlg__fail(err, MLG_ESTATUS, -1, r,
                                 "row %lld: status %u is not MLG_EVIDENCE_*",
                                 (long long)r, (unsigned)status[r]);
    return MLG_OK;
}

int mlg_evidence_sufficiency(size_t n_groups, const int64_t *offsets,
                             const int32_t *day, const uint8_t *status,
                             const mlg_period *period, int32_t min_rows,
                             int32_t span, uint32_t *flags_out,
                             mlg_sufficiency_summary *summary,
                             mlg_errinfo *err)
{
    if (!offsets || !period || (n_groups > 0 && !flags_out))
        return mlg__fail(err, MLG_ENULL, -1, -1, "required pointer is NULL");
    if (mlg_period_validate(period) != MLG_OK)
        return mlg__fail(err, MLG_EINVAL, -1, -1,
                         "period needs start <= midpoint <= end");
    if (min_rows < 0 || (span != 0 && span != 1))
        return mlg__fail(err, MLG_EINVAL, -1, -1,
                         "min_rows < 0 or span not 0/1");
    int s = check_groups(n_groups, offsets, status, err);
    if (s != MLG_OK)
        return s;
    if (offsets[n_groups] > 0 && !day)
        return mlg__fail(err, MLG_ENULL, -1, -1, "day is NULL");
    for (int64_t r = 0; r < offsets[n_groups]; r++)
        if (day[r] == MLG_DAY_NONE)
            return mlg__fail(err, MLG_EINVAL, -1, r, "row %lld has no day",
                             (long long)r);
    mlg_sufficiency_summary sum;
    memset(&sum, 0, sizeof sum);
    sum.n_groups = (int64_t)n_groups;
    for (size_t g = 0; g < n_groups; g++) {
        int64_t n = 0, first = 0, second = 0;
        for (int64_t r = offsets[g]; r < offsets[g + 1]; r++) {
            if ((status && status[r] != MLG_EVIDENCE_COUNTED) ||
                day[r] < period->start || day[r] > period->end)
                continue;
            n++;
            if (day[r] <= period->midpoint)
                first++;
            else
                second++;
        }
        uint32_t f = n == 0 ? MLG_SUFFICIENCY_NOT_ASSESSED : 0u;
        if (n == 0)
            sum.n_empty++;
        if (n == 1)
            sum.n_one++;
        if (n > 0 && n < min_rows)
            f |= MLG_SUFFICIENCY_FEW;
        if (n > 0 && span && (first == 0 || second == 0))
            f |= MLG_SUFFICIENCY_NO_SPAN;
        sum.n_few += (f & MLG_SUFFICIENCY_FEW) != 0;
        sum.n_no_span += (f & MLG_SUFFICIENCY_NO_SPAN) != 0;
        flags_out[g] = f;
    }
    if (summary)
        *summary = sum;
    return MLG_OK;
}

int mlg_level_supersede(size_t n_groups, const int64_t *offsets,
                        const uint8_t *kind, const uint8_t *status_in,
                        uint8_t *status_out, int64_t *n_superseded,
                        mlg_errinfo *err)
{
    if (!offsets)
        return mlg__fail(err, MLG_ENULL, -1, -1, "offsets is NULL");
    int s = check_groups(n_groups, offsets, status_in, err);
    if (s != MLG_OK)
        return s;
    const int64_t rows = offsets[n_groups];
    if (rows > 0 && (!kind || !status_out))
        return mlg__fail(err, MLG_ENULL, -1, -1, "required pointer is NULL");
    for (int64_t r = 0; r < rows; r++)
        if (kind[r] > MLG_KIND_LEVEL)
            return mlg__fail(err, MLG_EINVAL, -1, r,
                             "row %lld: kind %u is not MLG_KIND_*",
                             (long long)r, (unsigned)kind[r]);
    int64_t k = 0;
    for (size_t g = 0; g < n_groups; g++) {
        int64_t last = -1;
        for (int64_t r = offsets[g]; r < offsets[g + 1]; r++)
            if (kind[r] == MLG_KIND_LEVEL &&
                (!status_in || status_in[r] == MLG_EVIDENCE_COUNTED))
                last = r;
        for (int64_t r = offsets[g]; r < offsets[g + 1]; r++) {
            const uint8_t st = status_in ? status_in[r] : MLG_EVIDENCE_COUNTED;
            if (r < last && st != MLG_EVIDENCE_EXCUSED) {
                status_out[r] = MLG_EVIDENCE_EXCUSED;
                k++;
            } else {
                status_out[r] = st;
            }
        }
    }
    if (n_superseded)
        *n_superseded = k;
    return MLG_OK;
}

/* ------------------------------------- coverage (sec. II.A * and **) -- */

int mlg_coverage_check(size_t n_periods, size_t n_students, size_t n_nodes,
                       const int32_t *node_level, const int32_t *node_group,
                       size_t n_groups, uint32_t *period_missing_out,
                       int32_t *never_out, mlg_errinfo *err)
{
    if (n_periods == 0 || n_periods > 32)
        return mlg__fail(err, MLG_EINVAL, -1, -1, "n_periods must be 1..32");
    if ((n_nodes > 0 && !node_group) ||
        (n_students > 0 && n_groups > 0 &&
         (!period_missing_out || !never_out)) ||
        (n_students > 0 && n_nodes > 0 && !node_level))
        return mlg__fail(err, MLG_ENULL, -1, -1, "required pointer is NULL");
    if (n_nodes > 0 && n_students > SIZE_MAX / n_nodes / n_periods / 4)
        return mlg__fail(err, MLG_EOVERFLOW, -1, -1, "sizes overflow");
    if (n_groups > 0 && n_students > SIZE_MAX / n_groups / 4)
        return mlg__fail(err, MLG_EOVERFLOW, -1, -1, "sizes overflow");
    for (size_t k = 0; k < n_nodes; k++)
        if (node_group[k] < -1 || (node_group[k] >= 0 &&
                                   (size_t)node_group[k] >= n_groups))
            return mlg__fail(err, MLG_EINVAL, -1, (int64_t)k,
                             "node %zu: group %d out of range", k,
                             (int)node_group[k]);
    for (size_t s = 0; s < n_students; s++) {
        uint32_t *miss = period_missing_out + s * n_groups;
        int32_t *never = never_out + s * n_groups;
        for (size_t g = 0; g < n_groups; g++) {
            miss[g] = 0;
            never[g] = 0;
        }
        /* A group with nodes starts "missing" in every period; a graded
         * node clears its period's bit. */
        for (size_t k = 0; k < n_nodes; k++)
            if (node_group[k] >= 0)
                miss[node_group[k]] = n_periods == 32
                                          ? 0xffffffffu
                                          : (1u << n_periods) - 1u;
        for (size_t k = 0; k < n_nodes; k++) {
            if (node_group[k] < 0)
                continue;
            int graded = 0;
            for (size_t p = 0; p < n_periods; p++) {
                if (node_level[(p * n_students + s) * n_nodes + k] ==
                    MLG_LEVEL_NA)
                    continue;
                graded = 1;
                miss[node_group[k]] &= ~(1u << p);
            }
            never[node_group[k]] += !graded;
        }
    }
    return MLG_OK;
}
