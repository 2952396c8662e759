/* SPDX-License-Identifier: GPL-3.0-or-later */
/* district_policy.c -- a declared district policy (include/mlg_policy.h,
 * "A declared district policy"): parsing and validating its JSON, the
 * content hash, and the queries.
 *
 * This is the one place the library reads JSON text, and it reads only
 * text the caller passes (core does no file I/O).  The JSON is parsed with
 * jansson, linked privately into libmlg.  The shipped policy
 * "lausd-bul-2332.7" is data/policy/lausd-bul-2332.7.json, embedded at build
 * time (CMake generates mlg_policy_builtin.c from it), so the data file is
 * the one source of truth. */
#include "mlg_internal.h"
#include "mlg_policy.h"
#include "mlg_rollup.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* core/sha256.c */
void mlg__sha256_hex(const void *data, size_t n, char out[65]);
/* The generated mlg_policy_builtin.c: the shipped policy's bytes. */
extern const char mlg__policy_lausd_text[];

#define MAX_CODE 64
#define MAX_SUBJECTS 64
#define MAX_PERIODS 16
#define MAX_THRESHOLDS MLG_SCALE_BUILTIN_COUNT

/* Scale roles of the "scales" object, in this order. */
static const char *const roles[] = {"academic", "eld", "behaviors", "tk",
                                    "tk_eld"};
#define N_ROLES 5
#define ROLE_TK 3
#define ROLE_TK_ELD 4

struct mlg_policy {
    char *name;
    char *canonical;
    char hash[MLG_POLICY_HASH_SIZE];
    mlg_method_params method;
    mlg_rollup_rule rule_domain, rule_subject, rule_composite, rule_target;
    char role_scale[N_ROLES][MLG_LABEL_SIZE];
    size_t n_subjects;
    struct {
        char code[MAX_CODE];
        int32_t na_allowed;
        char scale[MAX_CODE]; /* a role or a scale id */
        int32_t has_method;   /* 1: its own method, else the policy's */
        mlg_method_params method;
    } subject[MAX_SUBJECTS];
    mlg_policy_settings settings;
    size_t n_periods;
    struct {
        char name[MLG_LABEL_SIZE];
        mlg_period p;
    } period[MAX_PERIODS];
    size_t n_thresholds;
    struct {
        char scale[MLG_LABEL_SIZE];
        double t;
    } threshold[MAX_THRESHOLDS];
};

/* ----------------------------------------------------------- helpers -- */

typedef struct ctx {
    mlg_errinfo *err;
} ctx;

/* Refuses keys of object o not in `allowed` (NULL-terminated); "basis" is
 * always allowed. */
static int only_keys(const ctx *c, json_t *o, const char *where,
                     const char *const *allowed)
{
    json_t *b = json_object_get(o, "basis");
    if (b && !json_is_string(b))
        return mlg__fail(c->err, MLG_EFORMAT, -1, -1,
                         "policy: %s.basis must be a string", where);
    const char *key;
    json_t *v = NULL;
    json_object_foreach(o, key, v) {
        (void)v;
        int ok = strcmp(key, "basis") == 0;
        for (size_t i = 0; !ok && allowed[i]; i++)
            ok = strcmp(key, allowed[i]) == 0;
        if (!ok)
            return mlg__fail(c->err, MLG_ENOTFOUND, -1, -1,
                             "policy: unknown key \"%s\" in %s", key, where);
    }
    return MLG_OK;
}

/* A required member of type `type` (JSON_OBJECT, JSON_STRING, ...; integer
 * members are JSON_INTEGER, booleans JSON_TRUE for either). */
static int member(const ctx *c, json_t *o, const char *where, const char *key,
                  json_type type, json_t **out)
{
    json_t *v = json_object_get(o, key);
    if (!v)
        return mlg__fail(c->err, MLG_EFORMAT, -1, -1,
                         "policy: %s.%s is missing", where, key);
    const int ok = type == JSON_TRUE ? json_is_boolean(v)
                                     : json_typeof(v) == type;
    if (!ok)
        return mlg__fail(c->err, MLG_EFORMAT, -1, -1,
                         "policy: %s.%s has the wrong type (want %s)", where,
                         key,
                         type == JSON_OBJECT    ? "an object"
                         : type == JSON_ARRAY   ? "an array"
                         : type == JSON_STRING  ? "a string"
                         : type == JSON_INTEGER ? "an integer"
                                                : "true or false");
    *out = v;
    return MLG_OK;
}

static int int_member(const ctx *c, json_t *o, const char *where,
                      const char *key, int32_t lo, int32_t hi, int32_t *out)
{
    json_t *v = NULL;
    int s = member(c, o, where, key, JSON_INTEGER, &v);
    if (s != MLG_OK)
        return s;
    const json_int_t x = json_integer_value(v);
    if (x < lo || x > hi)
        return mlg__fail(c->err, MLG_EINVAL, -1, -1,
                         "policy: %s.%s = %lld is outside %d..%d", where, key,
                         (long long)x, (int)lo, (int)hi);
    *out = (int32_t)x;
    return MLG_OK;
}

static int bool_member(const ctx *c, json_t *o, const char *where,
                       const char *key, int32_t *out)
{
    json_t *v = NULL;
    int s = member(c, o, where, key, JSON_TRUE, &v);
    if (s == MLG_OK)
        *out = json_is_true(v) ? 1 : 0;
    return s;
}

/* A string member copied into buf (size bytes, non-empty, fits). */
static int str_member(const ctx *c, json_t *o, const char *where,
                      const char *key, char *buf, size_t size)
{
    json_t *v = NULL;
    int s = member(c, o, where, key, JSON_STRING, &v);
    if (s != MLG_OK)
        return s;
    const size_t n = json_string_length(v);
    const char *t = json_string_value(v);
    if (n == 0 || n >= size || strlen(t) != n)
        return mlg__fail(c->err, MLG_EINVAL, -1, -1,
                         "policy: %s.%s must be 1..%zu characters without "
                         "NUL", where, key, size - 1);
    memcpy(buf, t, n + 1);
    return MLG_OK;
}

/* A date "YYYY-MM-DD" as a day number, through the one date parser of the
 * library (mlg_method_params_set(), key as_of). */
static int parse_date(const ctx *c, const char *where, const char *text,
                      int32_t *day)
{
    mlg_method_params q;
    mlg_method_params_init(&q, MLG_METHOD_TIME_DECAY);
    if (strlen(text) != 10 || text[4] != '-' ||
        mlg_method_params_set(&q, "as_of", text) != MLG_OK ||
        q.as_of == MLG_DAY_NONE)
        return mlg__fail(c->err, MLG_EFORMAT, -1, -1,
                         "policy: %s: \"%s\" is not a date YYYY-MM-DD", where,
                         text);
    *day = q.as_of;
    return MLG_OK;
}

/* ------------------------------------------------------------ sections -- */

static int parse_scales(const ctx *c, json_t *root, mlg_policy *p)
{
    static const char *const keys[] = {"academic", "eld", "behaviors", "tk",
                                       "tk_eld", NULL};
    json_t *o = NULL;
    int s = member(c, root, "policy", "scales", JSON_OBJECT, &o);
    if (s == MLG_OK)
        s = only_keys(c, o, "scales", keys);
    for (int i = 0; i < N_ROLES && s == MLG_OK; i++) {
        s = str_member(c, o, "scales", roles[i], p->role_scale[i],
                       sizeof p->role_scale[i]);
        mlg_scale sc;
        if (s == MLG_OK && mlg_scale_from_name(p->role_scale[i], &sc) != MLG_OK)
            s = mlg__fail(c->err, MLG_ENOTFOUND, -1, -1,
                          "policy: scales.%s: unknown scale \"%s\"", roles[i],
                          p->role_scale[i]);
    }
    return s;
}

/* One method parameter or rule parameter value as text. */
static int value_text(const ctx *c, json_t *v, const char *where,
                      const char *key, char *buf, size_t size)
{
    if (json_is_string(v) && json_string_length(v) >= size)
        return mlg__fail(c->err, MLG_EINVAL, -1, -1,
                         "policy: %s.%s is longer than %zu characters", where,
                         key, size - 1);
    if (json_is_string(v))
        snprintf(buf, size, "%s", json_string_value(v));
    else if (json_is_integer(v))
        snprintf(buf, size, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(buf, size, "%.17g", json_real_value(v));
    else
        return mlg__fail(c->err, MLG_EFORMAT, -1, -1,
                         "policy: %s.%s must be a number or a string", where,
                         key);
    return MLG_OK;
}

static int parse_rounding(const ctx *c, json_t *root, mlg_policy *p,
                          char *rounding, size_t rsize, int32_t *decimals)
{
    static const char *const keys[] = {"rounding", "decimals", NULL};
    json_t *o = NULL;
    int s = member(c, root, "policy", "rounding", JSON_OBJECT, &o);
    if (s == MLG_OK)
        s = only_keys(c, o, "rounding", keys);
    if (s == MLG_OK)
        s = str_member(c, o, "rounding", "rounding", rounding, rsize);
    if (s == MLG_OK)
        s = int_member(c, o, "rounding", "decimals", -1, 9, decimals);
    if (s == MLG_OK && mlg__find_word(rounding, mlg__rounding_words, 4) < 0)
        s = mlg__fail(c->err, MLG_ENOTFOUND, -1, -1,
                      "policy: rounding.rounding: unknown word \"%s\"",
                      rounding);
    (void)p;
    return s;
}

/* A method object {"name": ..., "params": {...}} at `where` into *out,
 * with the policy's rounding and decimals. */
static int parse_method_obj(const ctx *c, json_t *o, const char *where,
                            const char *rounding, int32_t decimals,
                            mlg_method_params *out)
{
    static const char *const keys[] = {"name", "params", NULL};
    json_t *params = NULL;
    char name[MAX_CODE];
    int32_t m = 0;
    int s = only_keys(c, o, where, keys);
    if (s == MLG_OK)
        s = str_member(c, o, where, "name", name, sizeof name);
    if (s == MLG_OK && mlg_method_from_name(name, &m) != MLG_OK)
        s = mlg__fail(c->err, MLG_ENOTFOUND, -1, -1,
                      "policy: %s.name: unknown method \"%s\"", where, name);
    if (s == MLG_OK)
        s = member(c, o, where, "params", JSON_OBJECT, &params);
    if (s != MLG_OK)
        return s;
    mlg_method_params q;
    mlg_method_params_init(&q, m);
    const char *key;
    json_t *v = NULL;
    char pw[128];
    snprintf(pw, sizeof pw, "%s.params", where);
    json_object_foreach(params, key, v) {
        char text[64];
        if ((s = value_text(c, v, pw, key, text, sizeof text)) != MLG_OK)
            return s;
        if (!strcmp(key, "rounding") || !strcmp(key, "decimals"))
            return mlg__fail(c->err, MLG_EINVAL, -1, -1,
                             "policy: %s.%s: set it in \"rounding\" (one "
                             "value for every mark)", pw, key);
        s = mlg_method_params_set(&q, key, text);
        if (s != MLG_OK)
            return mlg__fail(c->err, s, -1, -1,
                             "policy: %s.%s = \"%s\": %s", pw, key, text,
                             mlg_errname(s));
    }
    char d[16];
    snprintf(d, sizeof d, "%d", (int)decimals);
    mlg_method_params_set(&q, "rounding", rounding);
    mlg_method_params_set(&q, "decimals", d);
    *out = q;
    return MLG_OK;
}

static int parse_method(const ctx *c, json_t *root, mlg_policy *p,
                        const char *rounding, int32_t decimals)
{
    json_t *o = NULL;
    int s = member(c, root, "policy", "method", JSON_OBJECT, &o);
    if (s != MLG_OK)
        return s;
    return parse_method_obj(c, o, "method", rounding, decimals, &p->method);
}

static int parse_rules(const ctx *c, json_t *root, mlg_policy *p,
                       const char *rounding, int32_t decimals)
{
    static const char *const keys[] = {"domain", "subject", "composite", NULL};
    mlg_rollup_rule *dst[] = {&p->rule_domain, &p->rule_subject,
                              &p->rule_composite};
    json_t *o = NULL;
    int s = member(c, root, "policy", "rules", JSON_OBJECT, &o);
    if (s == MLG_OK)
        s = only_keys(c, o, "rules", keys);
    char d[16];
    snprintf(d, sizeof d, "%d", (int)decimals);
    for (int i = 0; i < 3 && s == MLG_OK; i++) {
        char text[256];
        s = str_member(c, o, "rules", keys[i], text, sizeof text);
        if (s != MLG_OK)
            break;
        mlg_errinfo e;
        s = mlg_rollup_rule_parse(text, dst[i], &e);
        if (s != MLG_OK)
            return mlg__fail(c->err, s, -1, -1, "policy: rules.%s: %s",
                             keys[i], e.message);
        if (strstr(text, "rounding=") || strstr(text, "decimals="))
            return mlg__fail(c->err, MLG_EINVAL, -1, -1,
                             "policy: rules.%s: set rounding and decimals in "
                             "\"rounding\"", keys[i]);
        mlg_rollup_rule_set(dst[i], "rounding", rounding);
        mlg_rollup_rule_set(dst[i], "decimals", d);
    }
    if (s == MLG_OK) {
        mlg_rollup_rule_init(&p->rule_target, MLG_RULE_MEAN);
        mlg_rollup_rule_set(&p->rule_target, "rounding", rounding);
        mlg_rollup_rule_set(&p->rule_target, "decimals", d);
    }
    return s;
}

static int cmp_subject(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* A subject's scale: a role of "scales" or a built-in scale id. */
static int resolve_scale(const mlg_policy *p, const char *role, mlg_scale *out)
{
    const char *id = role;
    int r = -1;
    for (int i = 0; i < N_ROLES; i++)
        if (strcmp(role, roles[i]) == 0) {
            id = p->role_scale[i];
            r = i;
        }
    mlg_scale sc;
    if (mlg_scale_from_name(id, &sc) != MLG_OK)
        return MLG_ENOTFOUND;
    if (r == ROLE_TK || r == ROLE_TK_ELD || !strcmp(id, "tk") ||
        !strcmp(id, "tk_eld"))
        sc.na_allowed = p->settings.tk_na_allowed;
    *out = sc;
    return MLG_OK;
}

static int parse_subjects(const ctx *c, json_t *root, mlg_policy *p,
                          const char *rounding, int32_t decimals)
{
    static const char *const keys[] = {"na_allowed", "scale", "method", NULL};
    json_t *o = NULL;
    int s = member(c, root, "policy", "subjects", JSON_OBJECT, &o);
    if (s != MLG_OK)
        return s;
    const char *code;
    json_t *v = NULL;
    json_object_foreach(o, code, v) {
        if (!strcmp(code, "basis"))
            continue;
        char where[96];
        snprintf(where, sizeof where, "subjects.%.60s", code);
        if (p->n_subjects == MAX_SUBJECTS)
            return mlg__fail(c->err, MLG_EINVAL, -1, -1,
                             "policy: more than %d subjects", MAX_SUBJECTS);
        if (strlen(code) == 0 || strlen(code) >= MAX_CODE)
            return mlg__fail(c->err, MLG_EINVAL, -1, -1,
                             "policy: subject code of 1..%d characters",
                             MAX_CODE - 1);
        if (!json_is_object(v))
            return mlg__fail(c->err, MLG_EFORMAT, -1, -1,
                             "policy: %s must be an object", where);
        if ((s = only_keys(c, v, where, keys)) != MLG_OK)
            return s;
        size_t k = p->n_subjects;
        memcpy(p->subject[k].code, code, strlen(code) + 1);
        if ((s = bool_member(c, v, where, "na_allowed",
                             &p->subject[k].na_allowed)) != MLG_OK ||
            (s = str_member(c, v, where, "scale", p->subject[k].scale,
                            sizeof p->subject[k].scale)) != MLG_OK)
            return s;
        mlg_scale sc;
        if (resolve_scale(p, p->subject[k].scale, &sc) != MLG_OK)
            return mlg__fail(c->err, MLG_ENOTFOUND, -1, -1,
                             "policy: %s.scale: unknown scale or role \"%s\"",
                             where, p->subject[k].scale);
        json_t *mo = json_object_get(v, "method");
        p->subject[k].has_method = mo != NULL;
        if (mo) {
            char mw[128];
            snprintf(mw, sizeof mw, "%s.method", where);
            if (!json_is_object(mo))
                return mlg__fail(c->err, MLG_EFORMAT, -1, -1,
                                 "policy: %s must be an object", mw);
            if ((s = parse_method_obj(c, mo, mw, rounding, decimals,
                                      &p->subject[k].method)) != MLG_OK)
                return s;
        }
        p->n_subjects++;
    }
    if (p->n_subjects == 0)
        return mlg__fail(c->err, MLG_EEMPTY, -1, -1,
                         "policy: subjects is empty");
    qsort(p->subject, p->n_subjects, sizeof p->subject[0], cmp_subject);
    return MLG_OK;
}

static int parse_periods(const ctx *c, json_t *root, mlg_policy *p)
{
    static const char *const keys[] = {"count", "dates", NULL};
    static const char *const dkeys[] = {"name", "start", "midpoint", "end",
                                        NULL};
    json_t *o = NULL, *dates = NULL;
    int s = member(c, root, "policy", "periods", JSON_OBJECT, &o);
    if (s == MLG_OK)
        s = only_keys(c, o, "periods", keys);
    if (s == MLG_OK)
        s = int_member(c, o, "periods", "count", 1, MAX_PERIODS,
                       &p->settings.periods_per_year);
    if (s == MLG_OK)
        s = member(c, o, "periods", "dates", JSON_ARRAY, &dates);
    if (s != MLG_OK)
        return s;
    if (json_array_size(dates) > (size_t)p->settings.periods_per_year)
        return mlg__fail(c->err, MLG_EINVAL, -1, -1,
                         "policy: periods.dates has more entries than "
                         "periods.count");
    size_t i;
    json_t *d;
    json_array_foreach(dates, i, d) {
        char where[64];
        snprintf(where, sizeof where, "periods.dates[%zu]", i);
        if (!json_is_object(d))
            return mlg__fail(c->err, MLG_EFORMAT, -1, -1,
                             "policy: %s must be an object", where);
        if ((s = only_keys(c, d, where, dkeys)) != MLG_OK)
            return s;
        char t[3][MLG_LABEL_SIZE];
        int32_t day[3];
        static const char *const f[] = {"start", "midpoint", "end"};
        if ((s = str_member(c, d, where, "name", p->period[i].name,
                            sizeof p->period[i].name)) != MLG_OK)
            return s;
        for (int j = 0; j < 3; j++)
            if ((s = str_member(c, d, where, f[j], t[j], sizeof t[j])) !=
                    MLG_OK ||
                (s = parse_date(c, where, t[j], &day[j])) != MLG_OK)
                return s;
        mlg_period q = {day[0], day[1], day[2], 0};
        if (mlg_period_validate(&q) != MLG_OK)
            return mlg__fail(c->err, MLG_EINVAL, -1, -1,
                             "policy: %s: start <= midpoint <= end is "
                             "required", where);
        if (i > 0 && q.start <= p->period[i - 1].p.end)
            return mlg__fail(c->err, MLG_EINVAL, -1, -1,
                             "policy: %s starts before the previous period "
                             "ends", where);
        p->period[i].p = q;
    }
    p->n_periods = json_array_size(dates);
    p->settings.n_periods = (int32_t)p->n_periods;
    return MLG_OK;
}

static int parse_notices(const ctx *c, json_t *root, mlg_policy *p)
{
    static const char *const keys[] = {"thresholds", NULL};
    json_t *o = NULL, *t = NULL;
    int s = member(c, root, "policy", "notices", JSON_OBJECT, &o);
    if (s == MLG_OK)
        s = only_keys(c, o, "notices", keys);
    if (s == MLG_OK)
        s = member(c, o, "notices", "thresholds", JSON_OBJECT, &t);
    if (s != MLG_OK)
        return s;
    const char *id;
    json_t *v = NULL;
    json_object_foreach(t, id, v) {
        mlg_scale sc;
        if (mlg_scale_from_name(id, &sc) != MLG_OK)
            return mlg__fail(c->err, MLG_ENOTFOUND, -1, -1,
                             "policy: notices.thresholds: unknown scale "
                             "\"%s\"", id);
        if (!json_is_number(v))
            return mlg__fail(c->err, MLG_EFORMAT, -1, -1,
                             "policy: notices.thresholds.%s must be a number",
                             id);
        const double x = json_number_value(v);
        if (!isfinite(x) || x < sc.value[0] || x > sc.value[sc.n_levels - 1])
            return mlg__fail(c->err, MLG_EINVAL, -1, -1,
                             "policy: notices.thresholds.%s = %g is outside "
                             "the scale", id, x);
        size_t k = p->n_thresholds++;
        memcpy(p->threshold[k].scale, sc.id, sizeof p->threshold[k].scale);
        p->threshold[k].t = x;
    }
    return MLG_OK;
}

static int parse_root(const ctx *c, json_t *root, mlg_policy *p)
{
    static const char *const keys[] = {
        "policy",   "format",  "title",          "scales",   "method",
        "level_entries", "rounding", "rules",    "subjects", "tk",
        "periods",  "entry_minimums", "evidence", "notices", "attendance",
        NULL};
    if (!json_is_object(root))
        return mlg__fail(c->err, MLG_EFORMAT, -1, -1,
                         "policy: the text is not a JSON object");
    int s = only_keys(c, root, "policy", keys);
    if (s != MLG_OK)
        return s;
    json_t *v = NULL, *o = NULL;
    if ((s = member(c, root, "policy", "policy", JSON_STRING, &v)) != MLG_OK)
        return s;
    if (json_string_length(v) == 0 || json_string_length(v) > MLG_ID_MAX ||
        strlen(json_string_value(v)) != json_string_length(v))
        return mlg__fail(c->err, MLG_EINVAL, -1, -1,
                         "policy: the name must be 1..%d characters",
                         MLG_ID_MAX);
    p->name = malloc(json_string_length(v) + 1);
    if (p->name)
        memcpy(p->name, json_string_value(v), json_string_length(v) + 1);
    if (!p->name)
        return mlg__fail(c->err, MLG_ENOMEM, -1, -1, "out of memory");
    int32_t format = 0;
    if ((s = int_member(c, root, "policy", "format", 1, 1, &format)) != MLG_OK)
        return s;
    if ((v = json_object_get(root, "title")) && !json_is_string(v))
        return mlg__fail(c->err, MLG_EFORMAT, -1, -1,
                         "policy: title must be a string");
    if ((s = parse_scales(c, root, p)) != MLG_OK)
        return s;
    /* tk before subjects: a TK scale's na_allowed comes from it. */
    static const char *const tk_keys[] = {"na_allowed", NULL};
    if ((s = member(c, root, "policy", "tk", JSON_OBJECT, &o)) != MLG_OK ||
        (s = only_keys(c, o, "tk", tk_keys)) != MLG_OK ||
        (s = bool_member(c, o, "tk", "na_allowed",
                         &p->settings.tk_na_allowed)) != MLG_OK)
        return s;
    char rounding[MLG_LABEL_SIZE];
    int32_t decimals = 6;
    if ((s = parse_rounding(c, root, p, rounding, sizeof rounding,
                            &decimals)) != MLG_OK ||
        (s = parse_method(c, root, p, rounding, decimals)) != MLG_OK ||
        (s = parse_rules(c, root, p, rounding, decimals)) != MLG_OK ||
        (s = parse_subjects(c, root, p, rounding, decimals)) != MLG_OK ||
        (s = parse_periods(c, root, p)) != MLG_OK ||
        (s = parse_notices(c, root, p)) != MLG_OK)
        return s;
    static const char *const le_keys[] = {"supersede", NULL};
    if ((s = member(c, root, "policy", "level_entries", JSON_OBJECT, &o)) !=
            MLG_OK ||
        (s = only_keys(c, o, "level_entries", le_keys)) != MLG_OK ||
        (s = bool_member(c, o, "level_entries", "supersede",
                         &p->settings.level_supersede)) != MLG_OK)
        return s;
    static const char *const em_keys[] = {"year", "recommended_per_area",
                                          NULL};
    mlg_entry_minimums m;
    if ((s = member(c, root, "policy", "entry_minimums", JSON_OBJECT, &o)) !=
            MLG_OK ||
        (s = only_keys(c, o, "entry_minimums", em_keys)) != MLG_OK ||
        (s = int_member(c, o, "entry_minimums", "year", 2018, 2020,
                        &p->settings.entry_year)) != MLG_OK ||
        (s = int_member(c, o, "entry_minimums", "recommended_per_area", 0,
                        1000, &p->settings.entry_recommended)) != MLG_OK)
        return s;
    if (mlg_entry_minimums_preset(p->settings.entry_year, &m) != MLG_OK)
        return mlg__fail(c->err, MLG_ENOTFOUND, -1, -1,
                         "policy: entry_minimums.year: no Attachment B "
                         "column for %d", (int)p->settings.entry_year);
    static const char *const ev_keys[] = {"min_assessments", "span_halves",
                                          NULL};
    if ((s = member(c, root, "policy", "evidence", JSON_OBJECT, &o)) !=
            MLG_OK ||
        (s = only_keys(c, o, "evidence", ev_keys)) != MLG_OK ||
        (s = int_member(c, o, "evidence", "min_assessments", 0, 1000,
                        &p->settings.evidence_min)) != MLG_OK ||
        (s = bool_member(c, o, "evidence", "span_halves",
                         &p->settings.evidence_span)) != MLG_OK)
        return s;
    static const char *const at_keys[] = {"min_days", "override", NULL};
    if ((s = member(c, root, "policy", "attendance", JSON_OBJECT, &o)) !=
            MLG_OK ||
        (s = only_keys(c, o, "attendance", at_keys)) != MLG_OK ||
        (s = int_member(c, o, "attendance", "min_days", 0, 366,
                        &p->settings.attendance_min_days)) != MLG_OK ||
        (s = bool_member(c, o, "attendance", "override",
                         &p->settings.attendance_override)) != MLG_OK)
        return s;
    return MLG_OK;
}

/* ------------------------------------------------------------- public -- */

void mlg_policy_free(mlg_policy *p)
{
    if (!p)
        return;
    free(p->name);
    free(p->canonical);
    free(p);
}

int mlg_policy_parse(const char *text, size_t len, mlg_policy **out,
                     mlg_errinfo *err)
{
    if (out)
        *out = NULL;
    if (!text || !out)
        return mlg__fail(err, MLG_ENULL, -1, -1, "NULL argument");
    ctx c = {err};
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return mlg__fail(err, MLG_EFORMAT, -1, je.line > 0 ? je.line - 1 : -1,
                         "policy: line %d: %s", je.line, je.text);
    mlg_policy *p = calloc(1, sizeof *p);
    if (!p) {
        json_decref(root);
        return mlg__fail(err, MLG_ENOMEM, -1, -1, "out of memory");
    }
    int s = parse_root(&c, root, p);
    if (s == MLG_OK) {
        char *canon =
            json_dumps(root, JSON_SORT_KEYS | JSON_INDENT(2) |
                                 JSON_REAL_PRECISION(17));
        const size_t n = canon ? strlen(canon) : 0;
        p->canonical = canon ? malloc(n + 2) : NULL;
        if (!p->canonical) {
            s = mlg__fail(err, MLG_ENOMEM, -1, -1, "out of memory");
        } else {
            memcpy(p->canonical, canon, n);
            p->canonical[n] = '\n';
            p->canonical[n + 1] = '\0';
            mlg__sha256_hex(p->canonical, n + 1, p->hash);
        }
        free(canon);
    }
    json_decref(root);
    if (s != MLG_OK) {
        mlg_policy_free(p);
        return s;
    }
    *out = p;
    return MLG_OK;
}

const char *mlg_policy_builtin_text(const char *name)
{
    if (name && strcmp(name, MLG_POLICY_DEFAULT) == 0)
        return mlg__policy_lausd_text;
    return NULL;
}

int mlg_policy_builtin(const char *name, mlg_policy **out, mlg_errinfo *err)
{
    if (out)
        *out = NULL;
    if (!name || !out)
        return mlg__fail(err, MLG_ENULL, -1, -1, "NULL argument");
    const char *t = mlg_policy_builtin_text(name);
    if (!t)
        return mlg__fail(err, MLG_ENOTFOUND, -1, -1,
                         "no shipped policy \"%s\"", name);
    return mlg_policy_parse(t, strlen(t), out, err);
}

const char *mlg_policy_name(const mlg_policy *p) { return p ? p->name : NULL; }
const char *mlg_policy_hash(const mlg_policy *p) { return p ? p->hash : NULL; }
const char *mlg_policy_canonical(const mlg_policy *p)
{
    return p ? p->canonical : NULL;
}

int mlg_policy_method(const mlg_policy *p, mlg_method_params *out)
{
    if (!p || !out)
        return MLG_ENULL;
    *out = p->method;
    return MLG_OK;
}

int mlg_policy_rule(const mlg_policy *p, int32_t kind, mlg_rollup_rule *out)
{
    if (!p || !out)
        return MLG_ENULL;
    switch (kind) {
    case MLG_NODE_TARGET: *out = p->rule_target; return MLG_OK;
    case MLG_NODE_DOMAIN: *out = p->rule_domain; return MLG_OK;
    case MLG_NODE_SUBJECT: *out = p->rule_subject; return MLG_OK;
    case MLG_NODE_COMPOSITE: *out = p->rule_composite; return MLG_OK;
    default: return MLG_EINVAL;
    }
}

int mlg_policy_subject_find(const mlg_policy *p, const char *code,
                       mlg_policy_subject *out)
{
    if (!p || !code || !out)
        return MLG_ENULL;
    for (size_t i = 0; i < p->n_subjects; i++) {
        if (strcmp(p->subject[i].code, code) != 0)
            continue;
        mlg_policy_subject r;
        memset(&r, 0, sizeof r);
        if (resolve_scale(p, p->subject[i].scale, &r.scale) != MLG_OK)
            return MLG_ENOTFOUND; /* checked by the parser */
        r.na_allowed = p->subject[i].na_allowed && r.scale.na_allowed;
        r.scale.na_allowed = r.na_allowed;
        *out = r;
        return MLG_OK;
    }
    return MLG_ENOTFOUND;
}

int mlg_policy_subject_method(const mlg_policy *p, const char *code,
                              mlg_method_params *out)
{
    if (!p || !code || !out)
        return MLG_ENULL;
    for (size_t i = 0; i < p->n_subjects; i++)
        if (strcmp(p->subject[i].code, code) == 0) {
            *out = p->subject[i].has_method ? p->subject[i].method
                                            : p->method;
            return MLG_OK;
        }
    return MLG_ENOTFOUND;
}

const char *mlg_policy_subject_code(const mlg_policy *p, size_t i)
{
    return p && i < p->n_subjects ? p->subject[i].code : NULL;
}

int mlg_policy_scale(const mlg_policy *p, const char *role, mlg_scale *out)
{
    if (!p || !role || !out)
        return MLG_ENULL;
    return resolve_scale(p, role, out);
}

int mlg_policy_settings_get(const mlg_policy *p, mlg_policy_settings *out)
{
    if (!p || !out)
        return MLG_ENULL;
    *out = p->settings;
    return MLG_OK;
}

int mlg_policy_period(const mlg_policy *p, size_t i, mlg_period *out,
                      char name[MLG_LABEL_SIZE])
{
    if (!p || !out)
        return MLG_ENULL;
    if (i >= p->n_periods)
        return MLG_ENOTFOUND;
    *out = p->period[i].p;
    if (name)
        memcpy(name, p->period[i].name, MLG_LABEL_SIZE);
    return MLG_OK;
}

int mlg_policy_entry_minimums(const mlg_policy *p, mlg_entry_minimums *out)
{
    if (!p || !out)
        return MLG_ENULL;
    return mlg_entry_minimums_preset(p->settings.entry_year, out);
}

int mlg_policy_notice_threshold(const mlg_policy *p, const char *scale_id,
                                double *threshold)
{
    if (!p || !scale_id || !threshold)
        return MLG_ENULL;
    for (size_t i = 0; i < p->n_thresholds; i++)
        if (strcmp(p->threshold[i].scale, scale_id) == 0) {
            *threshold = p->threshold[i].t;
            return MLG_OK;
        }
    return MLG_ENOTFOUND;
}

int mlg_policy_notice_inputs(const mlg_policy *p,
                             const struct mlg_catalogue *cat,
                             size_t n_students, const int32_t *node_level,
                             int32_t include_targets, double *value_out,
                             double *threshold_out, mlg_errinfo *err)
{
    if (!p)
        return mlg__fail(err, MLG_ENULL, -1, -1, "NULL policy");
    int s = mlg_notice_inputs_from_rollup(cat, n_students, node_level,
                                          include_targets, value_out,
                                          threshold_out, err);
    if (s != MLG_OK)
        return s;
    const size_t N = mlg_catalogue_node_count(cat);
    for (size_t k = 0; k < N; k++) {
        mlg_scale sc;
        double t = 0.0;
        mlg_catalogue_node_scale(cat, k, &sc);
        if (mlg_policy_notice_threshold(p, sc.id, &t) == MLG_OK) {
            threshold_out[k] = t;
            continue;
        }
        threshold_out[k] = 0.0;
        for (size_t st = 0; st < n_students; st++)
            value_out[st * N + k] = NAN;
    }
    return MLG_OK;
}

/* ------------------------------------------------ subject of a node -- */

static int starts(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static int is_practice(const char *id, const char *label)
{
    const size_t n = id ? strlen(id) : 0;
    return (n >= 3 && strcmp(id + n - 3, ".MP") == 0) ||
           (label && strstr(label, "Practice") != NULL);
}

int mlg_policy_subject_guess(const char *root_id, const char *root_label,
                             const char *id, const char *label,
                             const char *parent_id, const char *parent_label,
                             int32_t kind, const char **code)
{
    if (!root_id || !id || !code)
        return MLG_ENULL;
    if (kind == MLG_NODE_TARGET)
        return MLG_ENOTFOUND;
    /* Order matters: "English Language Development" before "English". */
    static const struct {
        const char *id, *label, *root, *below;
    } subj[] = {
        {"ELD", "English Language Development", "eld", "eld"},
        {"ELA", "English Language Arts", "ela_composite", "ela"},
        {"MATH", "Math", "math_composite", NULL},
        {"VAPA", "Visual and Performing", "vapa", "vapa_discipline"},
        {"ARTS", "Arts", "vapa", "vapa_discipline"},
        {"SCI", "Science", "science", "science"},
        {"HSS", "History", "hss", "hss"},
        {"PE", "Physical", "pe", "pe"},
        {"HEALTH", "Health", "health", "health"},
        {"BEH", "Behavio", "behaviors", "behaviors"},
        {"DL", "Dual", "dual_language", "dual_language"},
    };
    const int is_root = strcmp(root_id, id) == 0;
    for (size_t i = 0; i < sizeof subj / sizeof subj[0]; i++) {
        if (!starts(root_id, subj[i].id) && !starts(root_label, subj[i].label))
            continue;
        if (is_root)
            *code = subj[i].root;
        else if (subj[i].below)
            *code = subj[i].below;
        else
            *code = is_practice(id, label) ||
                            is_practice(parent_id, parent_label)
                        ? "math_practices"
                        : "math_domain";
        return MLG_OK;
    }
    return MLG_ENOTFOUND;
}
