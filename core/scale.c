/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scale.c -- built-in and user scales (mlg_scale_*), mlg__default_scale.
 *
 * The built-in scales are the marks of LAUSD Policy Bulletin BUL-2332.7
 * (K-5/6 and TK progress reports).  Every built-in scale has values 1..n
 * (level i has value i+1), cuts at the midpoints (cut[0] = value[0]) and
 * score range [1, n], exactly what mlg_scale_init() would build from those
 * values, plus the bulletin's labels and names. */
#include "mlg_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* BUL-2332.7 sec. II.A (K-5/6 progress report, academic subjects):
 * "4 = Exceeds grade-level standards ... 1 = Minimal progress toward
 * grade-level standards".  N/A ("Not assessed in current reporting period")
 * is allowed for some subjects and domains only (the sec. II.A table: math
 * domains and practices, visual and performing arts); that is a per-subject
 * policy carried by catalogue nodes, so the scale itself allows N/A. */
static const mlg_scale scale_ccs4 = {
    .n_levels = 4,
    .na_allowed = 1,
    .score_min = 1.0,
    .score_max = 4.0,
    .value = {1.0, 2.0, 3.0, 4.0},
    .cut = {1.0, 1.5, 2.5, 3.5},
    .label = {"1", "2", "3", "4"},
    .name = {"Minimal progress toward grade-level standards",
             "Progressing toward meeting grade-level standards",
             "Meets grade-level standards",
             "Exceeds grade-level standards"},
    .id = "ccs4",
};

/* BUL-2332.7 sec. VI (TK academic scores key): "E = Exploring (48 months),
 * B = Building (60 months), D = Developing (emerging kinder skills),
 * I = Integrating (kinder skills)".  Sec. II.A: "N/A is not an option for
 * any academic subject, including social emotional development, on the TK
 * report card." */
static const mlg_scale scale_tk = {
    .n_levels = 4,
    .na_allowed = 0,
    .score_min = 1.0,
    .score_max = 4.0,
    .value = {1.0, 2.0, 3.0, 4.0},
    .cut = {1.0, 1.5, 2.5, 3.5},
    .label = {"E", "B", "D", "I"},
    .name = {"Exploring (48 months)", "Building (60 months)",
             "Developing (emerging kinder skills)",
             "Integrating (kinder skills)"},
    .id = "tk",
};

/* BUL-2332.7 sec. III.A (K-5/6 ELD scoring guide): 4 Advanced Progress,
 * 3 Average Progress, 2 Partial Progress, 1 Limited Progress.  The sec. II.A
 * table says N/A is not allowed for ELD. */
static const mlg_scale scale_eld4 = {
    .n_levels = 4,
    .na_allowed = 0,
    .score_min = 1.0,
    .score_max = 4.0,
    .value = {1.0, 2.0, 3.0, 4.0},
    .cut = {1.0, 1.5, 2.5, 3.5},
    .label = {"1", "2", "3", "4"},
    .name = {"Limited Progress", "Partial Progress", "Average Progress",
             "Advanced Progress"},
    .id = "eld4",
};

/* BUL-2332.7 sec. VI (TK English Language Development key): B = Beginning,
 * M = Middle, L = Later.  No N/A on the TK report card (sec. II.A). */
static const mlg_scale scale_tk_eld = {
    .n_levels = 3,
    .na_allowed = 0,
    .score_min = 1.0,
    .score_max = 3.0,
    .value = {1.0, 2.0, 3.0},
    .cut = {1.0, 1.5, 2.5},
    .label = {"B", "M", "L"},
    .name = {"Beginning", "Middle", "Later"},
    .id = "tk_eld",
};

/* BUL-2332.7 sec. II.C (Behaviors of a College-Prepared and Career-Ready
 * Learner, also sec. VI for TK): C = Consistently, S = Sometimes,
 * R = Rarely.  The sec. II.A table says N/A is not allowed for them. */
static const mlg_scale scale_behavior = {
    .n_levels = 3,
    .na_allowed = 0,
    .score_min = 1.0,
    .score_max = 3.0,
    .value = {1.0, 2.0, 3.0},
    .cut = {1.0, 1.5, 2.5},
    .label = {"R", "S", "C"},
    .name = {"Rarely", "Sometimes", "Consistently"},
    .id = "behavior",
};

/* Indexed by MLG_SCALE_*. */
static const mlg_scale *const builtin_scales[MLG_SCALE_BUILTIN_COUNT] = {
    [MLG_SCALE_CCS4] = &scale_ccs4,
    [MLG_SCALE_TK] = &scale_tk,
    [MLG_SCALE_ELD4] = &scale_eld4,
    [MLG_SCALE_TK_ELD] = &scale_tk_eld,
    [MLG_SCALE_BEHAVIOR] = &scale_behavior,
};

const mlg_scale *mlg__default_scale(void)
{
    return &scale_ccs4;
}

int mlg_scale_builtin(int32_t which, mlg_scale *out)
{
    if (!out)
        return MLG_ENULL;
    if (which < 0 || which >= MLG_SCALE_BUILTIN_COUNT)
        return MLG_ENOTFOUND;
    *out = *builtin_scales[which];
    return MLG_OK;
}

int mlg_scale_from_name(const char *name, mlg_scale *out)
{
    if (!name || !out)
        return MLG_ENULL;
    for (int32_t i = 0; i < MLG_SCALE_BUILTIN_COUNT; i++) {
        if (strcmp(builtin_scales[i]->id, name) == 0) {
            *out = *builtin_scales[i];
            return MLG_OK;
        }
    }
    return MLG_ENOTFOUND;
}

int mlg_scale_init(mlg_scale *out, size_t n, const double *values)
{
    if (!out || !values)
        return MLG_ENULL;
    if (n == 0 || n > MLG_SCALE_MAX_LEVELS)
        return MLG_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(values[i]))
            return MLG_ENAN;
    for (size_t i = 1; i < n; i++)
        if (!(values[i - 1] < values[i]))
            return MLG_EINVAL;

    /* Build in a local so *out is untouched on error and every unused
     * slot is zero (a deterministic struct for bindings that copy it). */
    mlg_scale s;
    memset(&s, 0, sizeof s);
    s.n_levels = (int32_t)n;
    s.na_allowed = 1;
    s.score_min = values[0];
    s.score_max = values[n - 1];
    for (size_t i = 0; i < n; i++) {
        s.value[i] = values[i];
        /* Midpoint (a + b) / 2 written as a/2 + b/2 so that two huge finite
         * values cannot overflow to infinity. */
        s.cut[i] = i == 0 ? values[0] : values[i - 1] / 2 + values[i] / 2;
        /* "%g" prints at most 13 characters ("-1.23457e+308"), which fits
         * MLG_LABEL_SIZE. */
        mlg__snprintf_c(s.label[i], sizeof s.label[i], "%g", values[i]);
    }
    memcpy(s.id, "custom", sizeof "custom");
    *out = s;
    return MLG_OK;
}

/* 1 if buf holds a NUL within its size bytes. */
static int terminated(const char *buf, size_t size)
{
    return memchr(buf, '\0', size) != NULL;
}

int mlg_scale_validate(const mlg_scale *scale)
{
    if (!scale)
        return MLG_ENULL;
    if (scale->n_levels < 1 || scale->n_levels > MLG_SCALE_MAX_LEVELS)
        return MLG_EINVAL;
    if (scale->na_allowed != 0 && scale->na_allowed != 1)
        return MLG_EINVAL;
    const int32_t n = scale->n_levels;
    for (int32_t i = 0; i < n; i++)
        if (!isfinite(scale->value[i]) || !isfinite(scale->cut[i]))
            return MLG_ENAN;
    if (!isfinite(scale->score_min) || !isfinite(scale->score_max))
        return MLG_ENAN;
    for (int32_t i = 1; i < n; i++) {
        if (!(scale->value[i - 1] < scale->value[i]))
            return MLG_EINVAL;
        /* Cuts are strictly ascending: an equal pair would make a level
         * unreachable under MLG_ROUND_CUTS. */
        if (!(scale->cut[i - 1] < scale->cut[i]))
            return MLG_EINVAL;
    }
    if (!(scale->score_min <= scale->score_max))
        return MLG_EINVAL;
    for (int32_t i = 0; i < n; i++)
        if (!terminated(scale->label[i], MLG_LABEL_SIZE) ||
            !terminated(scale->name[i], MLG_NAME_SIZE))
            return MLG_EINVAL;
    if (!terminated(scale->id, MLG_LABEL_SIZE))
        return MLG_EINVAL;
    return MLG_OK;
}

int mlg_scale_find_label(const mlg_scale *scale, const char *label,
                         int32_t *level)
{
    if (!scale || !label || !level)
        return MLG_ENULL;
    /* Bounded so that an unvalidated scale (n_levels out of range, an
     * unterminated label) is never read past its arrays. */
    const size_t len = strlen(label);
    if (len >= MLG_LABEL_SIZE)
        return MLG_ENOTFOUND;
    int32_t n = scale->n_levels;
    if (n > MLG_SCALE_MAX_LEVELS)
        n = MLG_SCALE_MAX_LEVELS;
    for (int32_t i = 0; i < n; i++) {
        if (memcmp(scale->label[i], label, len + 1) == 0) {
            *level = i;
            return MLG_OK;
        }
    }
    return MLG_ENOTFOUND;
}
