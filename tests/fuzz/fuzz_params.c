/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_params.c -- the text parsers of the library: method parameters
 * (mlg_method_params_set), rule text (mlg_rollup_rule_parse, _set), names
 * (methods, presets, rules, scales, node kinds, minimum tables) and id
 * canonicalisation (mlg_id_canonical, mlg_id_short).
 *
 * Input: one byte choosing the method, then lines: "rule TEXT" parses a
 * rule, "r:KEY=VALUE" sets a rule parameter, "KEY=VALUE" a method
 * parameter, "id:TEXT" canonicalises an id, anything else is looked up as
 * a name.  Oracles: only the documented status codes; the target struct is
 * untouched on error and valid (its validate() says MLG_OK) on success,
 * apart from Canvas combinations that depend on other keys (arith canvas,
 * mastery none), which the final series must then refuse;
 * ids fit the buffer; a series computed with the final parameters obeys
 * the result invariants (value NaN exactly when the level is N/A, a level
 * on the scale, a value inside the scale). */
#include "fuzz.h"

#include <math.h>
#include <string.h>

#include <mlg.h>
#include <mlg_policy.h>
#include <mlg_rollup.h>

/* Is p valid apart from the combinations only mlg_method_params_validate()
 * checks?  mlg_method_params_set() range-checks one key at a time
 * (mlg.h); MLG_ARITH_CANVAS's methods and ranges, and mastery "none" (valid
 * only under canvas), depend on other keys that may be set later. */
static int valid_but_for_canvas(const mlg_method_params *p)
{
    mlg_method_params q = *p;
    q.arith = MLG_ARITH_LIBMLG;
    if (isnan(q.mastery))
        q.mastery = 3.0;
    return mlg_method_params_validate(&q) == MLG_OK;
}

static int one_of(int s, const int *ok, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s == ok[i])
            return 1;
    return 0;
}
#define ONE_OF(s, ...)                                                         \
    one_of((s), (const int[]){__VA_ARGS__}, sizeof((const int[]){__VA_ARGS__}) / sizeof(int))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    mlg_method_params p;
    FUZZ_CHECK(mlg_method_params_init(&p, data[0] % MLG_METHOD_COUNT) == MLG_OK, "init");
    mlg_rollup_rule r;
    FUZZ_CHECK(mlg_rollup_rule_init(&r, MLG_RULE_MEAN) == MLG_OK, "rule init");
    char *text = malloc(size);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    char *save = text;
    for (char *line = text; line; line = save) {
        char *nl = strchr(line, '\n');
        save = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        mlg_errinfo err;
        if (!strncmp(line, "rule ", 5)) {
            mlg_rollup_rule before = r;
            const int s = mlg_rollup_rule_parse(line + 5, &r, &err);
            FUZZ_CHECK(ONE_OF(s, MLG_OK, MLG_EEMPTY, MLG_ENOTFOUND, MLG_EFORMAT, MLG_EINVAL,
                              MLG_ENAN),
                       "rule_parse: status %d", s);
            if (s != MLG_OK)
                FUZZ_CHECK(!memcmp(&before, &r, sizeof r), "rule_parse changed *out on error");
            else
                FUZZ_CHECK(mlg_rollup_rule_validate(&r) == MLG_OK, "parsed rule is invalid");
        } else if (!strncmp(line, "id:", 3) && line[3]) {
            char buf[300];
            const size_t cap = (size_t)(unsigned char)line[3] % sizeof buf;
            for (int k = 0; k < 2; k++) {
                const int s = k ? mlg_id_short(line + 4, buf, cap)
                                : mlg_id_canonical(line + 4, buf, cap);
                FUZZ_CHECK(ONE_OF(s, MLG_OK, MLG_EINVAL, MLG_ESIZE, MLG_ENULL),
                           "id: status %d", s);
                if (s == MLG_OK)
                    FUZZ_CHECK(strlen(buf) < cap && strlen(buf) <= strlen(line + 4),
                               "id: result too long");
            }
        } else if (strchr(line, '=')) {
            char *eq = strchr(line, '=');
            *eq = '\0';
            const int rule_key = !strncmp(line, "r:", 2);
            if (rule_key) {
                mlg_rollup_rule before = r;
                const int s = mlg_rollup_rule_set(&r, line + 2, eq + 1);
                FUZZ_CHECK(ONE_OF(s, MLG_OK, MLG_ENOTFOUND, MLG_EFORMAT, MLG_EINVAL, MLG_ENAN),
                           "rule_set: status %d", s);
                if (s != MLG_OK)
                    FUZZ_CHECK(!memcmp(&before, &r, sizeof r), "rule_set changed *r on error");
                else
                    FUZZ_CHECK(mlg_rollup_rule_validate(&r) == MLG_OK, "rule_set: invalid");
            } else {
                mlg_method_params before = p;
                const int s = mlg_method_params_set(&p, line, eq + 1);
                FUZZ_CHECK(ONE_OF(s, MLG_OK, MLG_ENOTFOUND, MLG_EFORMAT, MLG_EINVAL, MLG_ENAN),
                           "params_set: status %d", s);
                if (s != MLG_OK)
                    FUZZ_CHECK(!memcmp(&before, &p, sizeof p), "params_set changed *p on error");
                else
                    FUZZ_CHECK(mlg_method_params_validate(&p) == MLG_OK ||
                                   valid_but_for_canvas(&p),
                               "params_set: invalid result");
            }
        } else {
            int32_t v;
            mlg_method_params q;
            mlg_scale sc;
            mlg_entry_minimums em;
            int s = mlg_method_from_name(line, &v);
            FUZZ_CHECK(ONE_OF(s, MLG_OK, MLG_ENOTFOUND), "method_from_name %d", s);
            if (s == MLG_OK)
                FUZZ_CHECK(!strcmp(mlg_method_name(v), line), "method name round trip");
            s = mlg_preset_init(line, &q);
            FUZZ_CHECK(ONE_OF(s, MLG_OK, MLG_ENOTFOUND), "preset_init %d", s);
            if (s == MLG_OK)
                FUZZ_CHECK(mlg_method_params_validate(&q) == MLG_OK, "preset invalid");
            s = mlg_rollup_rule_from_name(line, &v);
            FUZZ_CHECK(ONE_OF(s, MLG_OK, MLG_ENOTFOUND), "rule_from_name %d", s);
            s = mlg_scale_from_name(line, &sc);
            FUZZ_CHECK(ONE_OF(s, MLG_OK, MLG_ENOTFOUND), "scale_from_name %d", s);
            if (s == MLG_OK)
                FUZZ_CHECK(mlg_scale_validate(&sc) == MLG_OK, "built-in scale invalid");
            s = mlg_node_kind_from_name(line, &v);
            FUZZ_CHECK(ONE_OF(s, MLG_OK, MLG_ENOTFOUND), "kind_from_name %d", s);
            s = mlg_entry_minimums_from_name(line, &em);
            FUZZ_CHECK(ONE_OF(s, MLG_OK, MLG_ENOTFOUND, MLG_EINVAL), "minimums_from_name %d",
                       s);
        }
    }
    free(text);

    /* the final parameters on a fixed series: 1, 2, 3, 3 (BUL-2332.7 Att. A) */
    static const int32_t day[4] = {19610, 19624, 19638, 19652};
    static const double score[4] = {1, 2, 3, 3};
    mlg_result res;
    const int s = mlg_series_compute(4, day, score, NULL, NULL, NULL, &p, &res, NULL);
    const int pv = mlg_method_params_validate(&p);
    if (pv != MLG_OK) {
        /* a canvas combination left invalid: the series refuses it alike */
        FUZZ_CHECK(s == pv, "series %d on params the validator refuses with %d", s, pv);
        return 0;
    }
    FUZZ_CHECK(ONE_OF(s, MLG_OK, MLG_EDOMAIN, MLG_ENUMERIC), "series: status %d", s);
    if (s == MLG_OK) {
        FUZZ_CHECK((res.level == MLG_LEVEL_NA) == isnan(res.value), "NaN iff N/A");
        FUZZ_CHECK(res.level >= MLG_LEVEL_NA && res.level < 4, "level %d", (int)res.level);
        if (res.level != MLG_LEVEL_NA)
            FUZZ_CHECK(res.value >= 1.0 && res.value <= 4.0, "value %.17g leaves the scale",
                       res.value);
    }
    return 0;
}
