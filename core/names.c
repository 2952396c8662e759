/* SPDX-License-Identifier: GPL-3.0-or-later */
/* names.c -- the words front ends print and read for the library's codes:
 * evidence status words (with the synonyms the gradebook exports use),
 * explanation reasons (MLG_WHY_*), roll-up node flags (MLG_NODE_* bits),
 * and the ABI facts a binding checks at load time (mlg_abi_version(),
 * mlg_struct_size()).  One table per fact, so the CLI, the Python binding
 * and C callers can never disagree. */
#include "mlg.h"
#include "mlg_policy.h"
#include "mlg_rollup.h"

#include <string.h>

/* Every accepted status word; the first three are the canonical names in
 * code order.  "exempt", "fully graded" and "not submitted" are OneRoster
 * 1.2 scoreStatus values (1EdTech OneRoster 1.2 CSV binding, results.csv);
 * "E" and "M" are the gradebook shorthands the mlg command has always
 * accepted; the empty word is counted, as docs/cli.md and docs/python.md
 * say. */
static const struct {
    const char *word;
    int32_t status;
} status_words[] = {
    {"counted", MLG_EVIDENCE_COUNTED},
    {"excused", MLG_EVIDENCE_EXCUSED},
    {"missing", MLG_EVIDENCE_MISSING},
    {"", MLG_EVIDENCE_COUNTED},
    {"graded", MLG_EVIDENCE_COUNTED},
    {"fully graded", MLG_EVIDENCE_COUNTED},
    {"exempt", MLG_EVIDENCE_EXCUSED},
    {"E", MLG_EVIDENCE_EXCUSED},
    {"not submitted", MLG_EVIDENCE_MISSING},
    {"M", MLG_EVIDENCE_MISSING},
};
#define N_STATUS_WORDS (sizeof status_words / sizeof status_words[0])
#define N_STATUS_CODES 3

const char *mlg_evidence_status_name(int32_t status)
{
    if (status < 0 || status >= N_STATUS_CODES)
        return NULL;
    return status_words[status].word;
}

const char *mlg_evidence_status_word(size_t i, int32_t *status)
{
    if (i >= N_STATUS_WORDS)
        return NULL;
    if (status)
        *status = status_words[i].status;
    return status_words[i].word;
}

static int is_blank(char c) { return c == ' ' || c == '\t'; }

static char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

int mlg_evidence_status_from_name(const char *word, int32_t *status)
{
    if (!word || !status)
        return MLG_ENULL;
    while (is_blank(*word))
        word++;
    size_t len = strlen(word);
    while (len > 0 && is_blank(word[len - 1]))
        len--;
    for (size_t i = 0; i < N_STATUS_WORDS; i++) {
        const char *w = status_words[i].word;
        if (strlen(w) != len)
            continue;
        size_t k = 0;
        while (k < len && ascii_lower(w[k]) == ascii_lower(word[k]))
            k++;
        if (k == len) {
            *status = status_words[i].status;
            return MLG_OK;
        }
    }
    return MLG_ENOTFOUND;
}

/* Indexed by MLG_WHY_*. */
static const char *const why_names[] = {
    [MLG_WHY_USED] = "used",
    [MLG_WHY_EXCUSED] = "excused",
    [MLG_WHY_MISSING_IGNORED] = "missing_ignored",
    [MLG_WHY_MISSING_LOWEST] = "missing_lowest",
    [MLG_WHY_ZERO_WEIGHT] = "zero_weight",
    [MLG_WHY_OUTSIDE_WINDOW] = "outside_window",
    [MLG_WHY_BELOW_MASTERY] = "below_mastery",
    [MLG_WHY_AFTER_AS_OF] = "after_as_of",
    [MLG_WHY_NOT_SELECTED] = "not_selected",
};

const char *mlg_why_name(int32_t why)
{
    if (why < 0 || (size_t)why >= sizeof why_names / sizeof why_names[0])
        return NULL;
    return why_names[why];
}

/* The words the mlg command has always written in its `flags` column
 * (docs/cli.md): a violation is "N/A where N/A is not allowed". */
static const struct {
    int32_t bit;
    const char *name;
} node_flags[] = {
    {MLG_NODE_NA, "na"},
    {MLG_NODE_VIOLATION, "na_not_allowed"},
    {MLG_NODE_PARTIAL, "partial"},
    {MLG_NODE_GAP, "gap"},
    {MLG_NODE_BELOW_VIOLATION, "below_na_not_allowed"},
    {MLG_NODE_REVIEW, "review"},
};

const char *mlg_node_flag_name(int32_t flag)
{
    for (size_t i = 0; i < sizeof node_flags / sizeof node_flags[0]; i++)
        if (node_flags[i].bit == flag)
            return node_flags[i].name;
    return NULL;
}

int mlg_abi_version(void) { return MLG_ABI_VERSION; }

#define STRUCT_ROW(t) {#t, sizeof(t)}
static const struct {
    const char *name;
    size_t size;
} struct_sizes[] = {
    STRUCT_ROW(mlg_errinfo),        STRUCT_ROW(mlg_scale),
    STRUCT_ROW(mlg_method_params),  STRUCT_ROW(mlg_result),
    STRUCT_ROW(mlg_explain_row),    STRUCT_ROW(mlg_period),
    STRUCT_ROW(mlg_entry_minimums), STRUCT_ROW(mlg_entry_summary),
    STRUCT_ROW(mlg_notice_area),    STRUCT_ROW(mlg_rollup_rule),
    STRUCT_ROW(mlg_node_info),      STRUCT_ROW(mlg_rollup_step),
    STRUCT_ROW(mlg_rollup_child),   STRUCT_ROW(mlg_percent_table),
    STRUCT_ROW(mlg_letter_table),   STRUCT_ROW(mlg_param_info),
    STRUCT_ROW(mlg_policy_settings), STRUCT_ROW(mlg_policy_subject),
    STRUCT_ROW(mlg_sufficiency_summary),
};

size_t mlg_struct_size(const char *name)
{
    if (!name)
        return 0;
    for (size_t i = 0; i < sizeof struct_sizes / sizeof struct_sizes[0]; i++)
        if (strcmp(struct_sizes[i].name, name) == 0)
            return struct_sizes[i].size;
    return 0;
}
