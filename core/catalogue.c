/* SPDX-License-Identifier: GPL-3.0-or-later */
/* catalogue.c -- roll-up rules (defaults, validation, names, text), the
 * catalogue (building, id aliases, finalising, queries) and the bulletin's
 * subject table and grade-3 skeleton (BUL-2332.7 sec. II.A, Att. A). */
#include "rollup_internal.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ============================================================== rules == */

/* Indexed by MLG_RULE_*; the names are pinned with the constants. */
static const char *const rule_names[MLG_RULE_COUNT] = {
    [MLG_RULE_MEAN] = "mean",
    [MLG_RULE_MEDIAN] = "median",
    [MLG_RULE_MODE] = "mode",
    [MLG_RULE_MIN] = "min",
    [MLG_RULE_MAX] = "max",
    [MLG_RULE_PERCENT_AT_OR_ABOVE] = "percent_at_or_above",
    [MLG_RULE_MOSTLY_PROFICIENT] = "mostly_proficient",
    [MLG_RULE_ALL_MET] = "all_met",
    [MLG_RULE_BAND_WITH_FLOOR] = "band_with_floor",
    [MLG_RULE_CAPPED_MEDIAN] = "capped_median",
};

int mlg_rollup_rule_init(mlg_rollup_rule *r, int32_t rule)
{
    if (!r)
        return MLG_ENULL;
    if (rule < 0 || rule >= MLG_RULE_COUNT)
        return MLG_ENOTFOUND;
    mlg_rollup_rule q;
    memset(&q, 0, sizeof q);
    q.rule = rule;
    /* Order statistics and means of continuous values keep the information
     * in the children's values; the rules that count children "at or
     * above a level" read levels, as the bulletin does for Zoey (Att. A:
     * "current proficiency levels" 3, 2, 3, 3). */
    switch (rule) {
    case MLG_RULE_MEAN:
    case MLG_RULE_MEDIAN:
    case MLG_RULE_MIN:
    case MLG_RULE_MAX:
        q.source = MLG_SOURCE_VALUE;
        break;
    default:
        q.source = MLG_SOURCE_LEVEL;
        break;
    }
    q.gap = 1;
    q.tie = MLG_TIE_HIGHEST;
    q.rounding = MLG_ROUND_HALF_UP;
    q.decimals = 6;
    /* 0.75: Zoey is proficient in "three of the four learning targets"
     * (Att. A); 0.7: "pass if >= 70% of power standards are met"
     * (methods-in-the-field.md, roll-ups). */
    q.p = rule == MLG_RULE_PERCENT_AT_OR_ABOVE ? 0.7 : 0.75;
    if (rule == MLG_RULE_ALL_MET)
        q.p = 1.0;
    q.level = NAN;
    /* "an A needs > 3.5 and no 1 or 2" (methods-in-the-field.md). */
    q.cut = 3.5;
    q.floor = 3.0;
    *r = q;
    return MLG_OK;
}

static int check_source(int32_t s)
{
    return s == MLG_SOURCE_VALUE || s == MLG_SOURCE_LEVEL ? MLG_OK
                                                          : MLG_EINVAL;
}
static int check_gap(int32_t g) { return g >= 0 ? MLG_OK : MLG_EINVAL; }
static int check_p(double p)
{
    if (!isfinite(p))
        return MLG_ENAN;
    return p > 0.0 && p <= 1.0 ? MLG_OK : MLG_EINVAL;
}
static int check_level(double x)
{
    return isnan(x) || isfinite(x) ? MLG_OK : MLG_ENAN;
}

int mlg_rollup_rule_validate(const mlg_rollup_rule *r)
{
    if (!r)
        return MLG_ENULL;
    if (r->rule < 0 || r->rule >= MLG_RULE_COUNT)
        return MLG_ENOTFOUND;
    int s;
    if ((s = check_source(r->source)) != MLG_OK ||
        (s = check_gap(r->gap)) != MLG_OK ||
        (s = mlg__check_tie(r->tie)) != MLG_OK ||
        (s = mlg__check_rounding(r->rounding)) != MLG_OK ||
        (s = mlg__check_decimals(r->decimals)) != MLG_OK ||
        (s = check_p(r->p)) != MLG_OK || (s = check_level(r->level)) != MLG_OK ||
        (s = mlg__check_finite(r->cut)) != MLG_OK ||
        (s = mlg__check_finite(r->floor)) != MLG_OK)
        return s;
    return MLG_OK;
}

int mlg_rollup_rule_from_name(const char *name, int32_t *rule)
{
    if (!name || !rule)
        return MLG_ENULL;
    for (int32_t i = 0; i < MLG_RULE_COUNT; i++) {
        if (strcmp(rule_names[i], name) == 0) {
            *rule = i;
            return MLG_OK;
        }
    }
    return MLG_ENOTFOUND;
}

const char *mlg_rollup_rule_name(int32_t rule)
{
    if (rule < 0 || rule >= MLG_RULE_COUNT)
        return NULL;
    return rule_names[rule];
}

/* Index of `word` in `words` (n entries) in *out, else MLG_ENOTFOUND. */
static int parse_word(const char *word, const char *const *words, int32_t n,
                      int32_t *out)
{
    const int32_t i = mlg__find_word(word, words, n);
    if (i < 0)
        return MLG_ENOTFOUND;
    *out = i;
    return MLG_OK;
}

static const char *const source_words[] = {"value", "level"};

int mlg_rollup_rule_set(mlg_rollup_rule *r, const char *key,
                        const char *value)
{
    if (!r || !key || !value)
        return MLG_ENULL;
    mlg_rollup_rule q = *r;
    int s;
    int32_t i = 0;
    double d = 0.0;
    if (strcmp(key, "source") == 0) {
        if ((s = parse_word(value, source_words, 2, &i)) != MLG_OK)
            return s;
        q.source = i;
    } else if (strcmp(key, "tie") == 0) {
        if ((s = parse_word(value, mlg__tie_words, 3, &i)) != MLG_OK)
            return s;
        q.tie = i;
    } else if (strcmp(key, "rounding") == 0) {
        if ((s = parse_word(value, mlg__rounding_words, 4, &i)) != MLG_OK)
            return s;
        q.rounding = i;
    } else if (strcmp(key, "gap") == 0) {
        if ((s = mlg__parse_int32(value, &i)) != MLG_OK ||
            (s = check_gap(i)) != MLG_OK)
            return s;
        q.gap = i;
    } else if (strcmp(key, "decimals") == 0) {
        if ((s = mlg__parse_int32(value, &i)) != MLG_OK ||
            (s = mlg__check_decimals(i)) != MLG_OK)
            return s;
        q.decimals = i;
    } else if (strcmp(key, "p") == 0) {
        if ((s = mlg__parse_double(value, &d)) != MLG_OK ||
            (s = check_p(d)) != MLG_OK)
            return s;
        q.p = d;
    } else if (strcmp(key, "level") == 0) {
        if (strcmp(value, "top") == 0)
            d = NAN;
        else if ((s = mlg__parse_double(value, &d)) != MLG_OK ||
                 (s = check_level(d)) != MLG_OK)
            return s;
        q.level = d;
    } else if (strcmp(key, "cut") == 0) {
        if ((s = mlg__parse_double(value, &d)) != MLG_OK ||
            (s = mlg__check_finite(d)) != MLG_OK)
            return s;
        q.cut = d;
    } else if (strcmp(key, "floor") == 0) {
        if ((s = mlg__parse_double(value, &d)) != MLG_OK ||
            (s = mlg__check_finite(d)) != MLG_OK)
            return s;
        q.floor = d;
    } else {
        return MLG_ENOTFOUND;
    }
    *r = q;
    return MLG_OK;
}

static int is_sep(char c) { return c == ' ' || c == ',' || c == '\t'; }

int mlg_rollup_rule_parse(const char *text, mlg_rollup_rule *out,
                          mlg_errinfo *err)
{
    if (!text || !out)
        return mlg__fail(err, MLG_ENULL, -1, -1, "NULL argument");
    char tok[128];
    size_t pos = 0;
    int first = 1;
    mlg_rollup_rule q;
    memset(&q, 0, sizeof q);
    for (;;) {
        while (is_sep(text[pos]))
            pos++;
        if (text[pos] == '\0')
            break;
        const size_t start = pos;
        while (text[pos] != '\0' && !is_sep(text[pos]))
            pos++;
        const size_t len = pos - start;
        if (len >= sizeof tok)
            return mlg__fail(err, MLG_EFORMAT, -1, (int64_t)start,
                             "token too long at offset %zu", start);
        memcpy(tok, text + start, len);
        tok[len] = '\0';
        int s;
        if (first) {
            int32_t rule = 0;
            if ((s = mlg_rollup_rule_from_name(tok, &rule)) != MLG_OK)
                return mlg__fail(err, s, -1, (int64_t)start,
                                 "unknown rule \"%s\"", tok);
            mlg_rollup_rule_init(&q, rule);
            first = 0;
            continue;
        }
        char *eq = strchr(tok, '=');
        if (!eq)
            return mlg__fail(err, MLG_EFORMAT, -1, (int64_t)start,
                             "expected key=value, got \"%s\"", tok);
        *eq = '\0';
        if ((s = mlg_rollup_rule_set(&q, tok, eq + 1)) != MLG_OK)
            return mlg__fail(err, s, -1, (int64_t)start,
                             "bad parameter %s=%s (%s)", tok, eq + 1,
                             mlg_errname(s));
    }
    if (first)
        return mlg__fail(err, MLG_EEMPTY, -1, -1, "empty rule text");
    *out = q;
    return MLG_OK;
}

/* ================================================================ kinds == */

static const char *const kind_names[MLG_NODE_KIND_COUNT] = {
    [MLG_NODE_TARGET] = "target",
    [MLG_NODE_DOMAIN] = "domain",
    [MLG_NODE_SUBJECT] = "subject",
    [MLG_NODE_COMPOSITE] = "composite",
};

int mlg_node_kind_from_name(const char *name, int32_t *kind)
{
    if (!name || !kind)
        return MLG_ENULL;
    return parse_word(name, kind_names, MLG_NODE_KIND_COUNT, kind);
}

const char *mlg_node_kind_name(int32_t kind)
{
    if (kind < 0 || kind >= MLG_NODE_KIND_COUNT)
        return NULL;
    return kind_names[kind];
}

/* ================================================================== ids == */

/* Prefixes of the Common Core's published identifiers
 * (corestandards.org URNs such as CCSS.Math.Content.3.OA.A.1). */
static const char *const id_prefixes[] = {
    "CCSS.Math.Content.",
    "CCSS.Math.Practice.",
    "CCSS.ELA-Literacy.",
    "urn:uuid:", /* RFC 4122 sec. 3; CASE 1.1 CFItem URIs */
};

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Length of the removable prefix of id (0 if none), compared without regard
 * to ASCII case. */
static size_t prefix_len(const char *id)
{
    for (size_t k = 0; k < sizeof id_prefixes / sizeof id_prefixes[0]; k++) {
        const char *p = id_prefixes[k];
        size_t i = 0;
        while (p[i] && id[i] && ascii_lower((unsigned char)p[i]) ==
                                    ascii_lower((unsigned char)id[i]))
            i++;
        if (p[i] == '\0')
            return i;
    }
    return 0;
}

/* Checks an id: 1..MLG_ID_MAX bytes, no control characters, and something
 * left after the prefix.  Returns MLG_OK or MLG_EINVAL. */
static int check_id(const char *id)
{
    const size_t n = strlen(id);
    if (n == 0 || n > MLG_ID_MAX)
        return MLG_EINVAL;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)id[i] < 0x20 || id[i] == 0x7f)
            return MLG_EINVAL;
    if (id[prefix_len(id)] == '\0')
        return MLG_EINVAL;
    return MLG_OK;
}

static int is_hex(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
}

/* 1 if s is a UUID in the 8-4-4-4-12 hex-digit form. */
static int is_uuid(const char *s)
{
    for (int i = 0; i < 36; i++) {
        const int dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !is_hex((unsigned char)s[i]))
            return 0;
    }
    return s[36] == '\0';
}

/* Writes the canonical form of id (checked) to buf (>= MLG_ID_MAX + 1):
 * prefix removed, a UUID in lower case. */
static void canon_into(const char *id, char *buf)
{
    const char *c = id + prefix_len(id);
    memcpy(buf, c, strlen(c) + 1);
    if (is_uuid(buf))
        for (char *p = buf; *p; p++)
            *p = (char)ascii_lower((unsigned char)*p);
}

/* Writes the short form of canonical id c to buf (>= strlen(c) + 1): the
 * third '.'-part removed when there are >= 4 parts and it is one letter
 * A-Z. */
static void short_into(const char *c, char *buf)
{
    size_t dots = 0;
    const char *d1 = NULL, *d2 = NULL, *d3 = NULL;
    for (const char *p = c; *p; p++) {
        if (*p != '.')
            continue;
        dots++;
        if (dots == 1)
            d1 = p;
        else if (dots == 2)
            d2 = p;
        else if (dots == 3)
            d3 = p;
    }
    (void)d1;
    if (dots >= 3 && d3 == d2 + 2 && d2[1] >= 'A' && d2[1] <= 'Z') {
        /* c = "<a>.<b>" + ".X" + ".<rest>": drop ".X". */
        const size_t head = (size_t)(d2 - c);
        memcpy(buf, c, head);
        memcpy(buf + head, d3, strlen(d3) + 1);
        return;
    }
    memcpy(buf, c, strlen(c) + 1);
}

static int write_out(const char *s, char *buf, size_t cap)
{
    const size_t n = strlen(s);
    if (cap < n + 1)
        return MLG_ESIZE;
    memcpy(buf, s, n + 1);
    return MLG_OK;
}

int mlg_id_canonical(const char *id, char *buf, size_t cap)
{
    if (!id || !buf)
        return MLG_ENULL;
    if (check_id(id) != MLG_OK)
        return MLG_EINVAL;
    char c[MLG_ID_MAX + 1];
    canon_into(id, c);
    return write_out(c, buf, cap);
}

int mlg_id_short(const char *id, char *buf, size_t cap)
{
    if (!id || !buf)
        return MLG_ENULL;
    if (check_id(id) != MLG_OK)
        return MLG_EINVAL;
    char c[MLG_ID_MAX + 1], s[MLG_ID_MAX + 1];
    canon_into(id, c);
    short_into(c, s);
    return write_out(s, buf, cap);
}

/* ============================================================ catalogue == */

int mlg_catalogue_create(mlg_catalogue **out)
{
    if (!out)
        return MLG_ENULL;
    *out = NULL;
    mlg_catalogue *c = calloc(1, sizeof *c);
    if (!c)
        return MLG_ENOMEM;
    *out = c;
    return MLG_OK;
}

/* Releases what finalise built (also on a failed finalise). */
static void drop_final(mlg_catalogue *c)
{
    free(c->target_node);
    free(c->child_off);
    free(c->child_idx);
    free(c->child_w);
    free(c->order);
    free(c->fast);
    free(c->par_off);
    free(c->par_idx);
    free(c->alias_off);
    free(c->alias_by_node);
    c->fast = NULL;
    c->par_off = c->par_idx = NULL;
    c->alias_off = c->alias_by_node = NULL;
    c->target_node = c->child_off = c->child_idx = c->order = NULL;
    c->child_w = NULL;
    c->n_targets = 0;
    c->max_children = 0;
}

void mlg_catalogue_free(mlg_catalogue *cat)
{
    if (!cat)
        return;
    for (size_t i = 0; i < cat->n_nodes; i++)
        free(cat->nodes[i].id);
    for (size_t i = 0; i < cat->n_links; i++)
        free(cat->links[i].parent);
    for (size_t i = 0; i < cat->n_alias; i++)
        free(cat->alias_key[i]);
    free(cat->alias_key);
    free(cat->alias_node);
    free(cat->aslot);
    free(cat->nodes);
    free(cat->links);
    free(cat->hslot);
    drop_final(cat);
    free(cat);
}

/* FNV-1a, 64-bit. */
static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

/* Inserts node i (its short id) into the table; the table has room. */
static void hash_put(int64_t *slot, size_t cap, const char *sid, int64_t i)
{
    size_t h = (size_t)hash_str(sid) & (cap - 1);
    while (slot[h] >= 0)
        h = (h + 1) & (cap - 1);
    slot[h] = i;
}

/* Grows the table so that it holds n entries at load <= 1/2. */
static int hash_reserve(mlg_catalogue *c, size_t n)
{
    if (c->hcap >= 2 * n && c->hcap > 0)
        return MLG_OK;
    size_t cap = c->hcap ? c->hcap : 64;
    while (cap < 2 * n) {
        if (cap > SIZE_MAX / 4 / sizeof(int64_t))
            return MLG_ENOMEM;
        cap *= 2;
    }
    int64_t *slot = malloc(cap * sizeof *slot);
    if (!slot)
        return MLG_ENOMEM;
    for (size_t i = 0; i < cap; i++)
        slot[i] = -1;
    for (size_t i = 0; i < c->n_nodes; i++)
        hash_put(slot, cap, c->nodes[i].sid, (int64_t)i);
    free(c->hslot);
    c->hslot = slot;
    c->hcap = cap;
    return MLG_OK;
}

/* 1 if ids (canonical a, short sa) and (b, sb) with DIFFERENT canonical
 * forms name the same node: one has no cluster letter and equals the
 * other's short form (see mlg_catalogue_add()).  Equal canonical forms are
 * the same node too; lookup() tests that first. */
static int same_node(const char *a, const char *sa, const char *b,
                     const char *sb)
{
    if (strcmp(sa, sb) != 0)
        return 0;
    return strcmp(a, sa) == 0 || strcmp(b, sb) == 0;
}

/* The node aliased by canonical name a, or -1. */
static int64_t alias_lookup(const mlg_catalogue *c, const char *a)
{
    if (c->acap == 0)
        return -1;
    size_t h = (size_t)hash_str(a) & (c->acap - 1);
    for (; c->aslot[h] >= 0; h = (h + 1) & (c->acap - 1))
        if (strcmp(c->alias_key[c->aslot[h]], a) == 0)
            return c->alias_node[c->aslot[h]];
    return -1;
}

/* Looks up canonical id cid (short form sid).  Returns MLG_OK with *node,
 * MLG_ENOTFOUND, or MLG_EDUPLICATE when only short-form matches exist and
 * there are several.  An exact canonical match always wins, then an exact
 * alias (mlg_catalogue_alias()), then short forms. */
static int lookup(const mlg_catalogue *c, const char *cid, const char *sid,
                  size_t *node)
{
    if (c->hcap == 0) /* no node yet, so no alias either */
        return MLG_ENOTFOUND;
    const int64_t a = alias_lookup(c, cid);
    size_t h = (size_t)hash_str(sid) & (c->hcap - 1);
    int64_t found = -1;
    int64_t n_found = 0;
    for (; c->hslot[h] >= 0; h = (h + 1) & (c->hcap - 1)) {
        const mlg__cnode *x = &c->nodes[c->hslot[h]];
        if (strcmp(x->id, cid) == 0) {
            *node = (size_t)c->hslot[h];
            return MLG_OK;
        }
        if (same_node(cid, sid, x->id, x->sid)) {
            /* Several may match only when the query has no cluster letter
             * and nodes differ only in theirs; keep the lowest index so
             * the answer does not depend on the table layout. */
            if (found < 0 || c->hslot[h] < found)
                found = c->hslot[h];
            n_found++;
        }
    }
    if (a >= 0) {
        *node = (size_t)a;
        return MLG_OK;
    }
    if (n_found == 0)
        return MLG_ENOTFOUND;
    if (n_found > 1)
        return MLG_EDUPLICATE;
    *node = (size_t)found;
    return MLG_OK;
}

static int scale_level_ok(const mlg_scale *s, const mlg_rollup_rule *r)
{
    /* A cap or guard below the lowest level would leave no level to give. */
    return isnan(r->level) || r->level >= s->value[0];
}

int mlg_catalogue_add(mlg_catalogue *cat, const char *id, const char *label,
                      int32_t kind, const mlg_scale *scale,
                      const mlg_rollup_rule *rule, int32_t na_allowed,
                      mlg_errinfo *err)
{
    if (!cat || !id)
        return mlg__fail(err, MLG_ENULL, -1, -1, "NULL argument");
    if (cat->finalised)
        return mlg__fail(err, MLG_EINVAL, -1, -1,
                         "catalogue is finalised: no more nodes");
    if (check_id(id) != MLG_OK)
        return mlg__fail(err, MLG_EINVAL, -1, -1,
                         "bad id (empty, over %d bytes or control "
                         "characters)",
                         MLG_ID_MAX);
    if (!label)
        label = id;
    const size_t label_len = strlen(label);
    if (label_len > MLG_LABEL_MAX)
        return mlg__fail(err, MLG_EINVAL, -1, -1, "label over %d bytes",
                         MLG_LABEL_MAX);
    if ((kind < 0 || kind >= MLG_NODE_KIND_COUNT) && kind != MLG_NODE_AUTO)
        return mlg__fail(err, MLG_EINVAL, -1, -1, "unknown node kind %d",
                         (int)kind);
    if (na_allowed != 0 && na_allowed != 1)
        return mlg__fail(err, MLG_EINVAL, -1, -1, "na_allowed must be 0 or 1");
    if (!scale)
        scale = mlg__default_scale();
    if (mlg_scale_validate(scale) != MLG_OK)
        return mlg__fail(err, MLG_EINVAL, -1, -1, "invalid scale for %s", id);
    mlg_rollup_rule r;
    if (rule) {
        const int s = mlg_rollup_rule_validate(rule);
        if (s != MLG_OK)
            return mlg__fail(err, s, -1, -1, "invalid rule for %s", id);
        r = *rule;
    } else {
        mlg_rollup_rule_init(&r, MLG_RULE_MEAN);
    }
    if (!scale_level_ok(scale, &r))
        return mlg__fail(err, MLG_EINVAL, -1, -1,
                         "rule level %g is below the scale of %s", r.level,
                         id);

    char cid[MLG_ID_MAX + 1], sid[MLG_ID_MAX + 1];
    canon_into(id, cid);
    short_into(cid, sid);
    size_t other = 0;
    const int ls = lookup(cat, cid, sid, &other);
    if (ls == MLG_OK || ls == MLG_EDUPLICATE)
        return mlg__fail(err, MLG_EDUPLICATE, (int64_t)other, -1,
                         "duplicate id %s", cid);

    if (cat->n_nodes == cat->cap_nodes) {
        const size_t cap = cat->cap_nodes ? 2 * cat->cap_nodes : 16;
        if (cap > SIZE_MAX / sizeof *cat->nodes)
            return mlg__fail(err, MLG_ENOMEM, -1, -1, "out of memory");
        mlg__cnode *nodes = realloc(cat->nodes, cap * sizeof *nodes);
        if (!nodes)
            return mlg__fail(err, MLG_ENOMEM, -1, -1, "out of memory");
        cat->nodes = nodes;
        cat->cap_nodes = cap;
    }
    if (hash_reserve(cat, cat->n_nodes + 1) != MLG_OK)
        return mlg__fail(err, MLG_ENOMEM, -1, -1, "out of memory");
    const size_t lc = strlen(cid), ls2 = strlen(sid);
    char *block = malloc(lc + 1 + ls2 + 1 + label_len + 1);
    if (!block)
        return mlg__fail(err, MLG_ENOMEM, -1, -1, "out of memory");
    memcpy(block, cid, lc + 1);
    memcpy(block + lc + 1, sid, ls2 + 1);
    memcpy(block + lc + 1 + ls2 + 1, label, label_len + 1);

    mlg__cnode *n = &cat->nodes[cat->n_nodes];
    memset(n, 0, sizeof *n);
    n->id = block;
    n->sid = block + lc + 1;
    n->label = block + lc + 1 + ls2 + 1;
    n->auto_kind = kind == MLG_NODE_AUTO;
    n->kind = n->auto_kind ? MLG_NODE_DOMAIN : kind;
    n->na_allowed = na_allowed;
    n->target = -1;
    n->scale = *scale;
    n->rule = r;
    hash_put(cat->hslot, cat->hcap, n->sid, (int64_t)cat->n_nodes);
    cat->n_nodes++;
    return MLG_OK;
}

int mlg_catalogue_link(mlg_catalogue *cat, const char *parent_id,
                       const char *child_id, double weight, mlg_errinfo *err)
{
    if (!cat || !parent_id || !child_id)
        return mlg__fail(err, MLG_ENULL, -1, -1, "NULL argument");
    if (cat->finalised)
        return mlg__fail(err, MLG_EINVAL, -1, -1,
                         "catalogue is finalised: no more links");
    if (check_id(parent_id) != MLG_OK || check_id(child_id) != MLG_OK)
        return mlg__fail(err, MLG_EINVAL, -1, -1, "bad id in link");
    if (!isfinite(weight))
        return mlg__fail(err, MLG_ENAN, -1, -1, "link weight is not finite");
    if (!(weight > 0.0))
        return mlg__fail(err, MLG_EWEIGHT, -1, -1,
                         "link weight %g is not positive", weight);
    if (cat->n_links == cat->cap_links) {
        const size_t cap = cat->cap_links ? 2 * cat->cap_links : 16;
        if (cap > SIZE_MAX / sizeof *cat->links)
            return mlg__fail(err, MLG_ENOMEM, -1, -1, "out of memory");
        mlg__plink *links = realloc(cat->links, cap * sizeof *links);
        if (!links)
            return mlg__fail(err, MLG_ENOMEM, -1, -1, "out of memory");
        cat->links = links;
        cat->cap_links = cap;
    }
    const size_t lp = strlen(parent_id), lc = strlen(child_id);
    char *block = malloc(lp + 1 + lc + 1);
    if (!block)
        return mlg__fail(err, MLG_ENOMEM, -1, -1, "out of memory");
    memcpy(block, parent_id, lp + 1);
    memcpy(block + lp + 1, child_id, lc + 1);
    mlg__plink *l = &cat->links[cat->n_links++];
    l->parent = block;
    l->child = block + lp + 1;
    l->weight = weight;
    return MLG_OK;
}

/* Resolves an id given by the caller (any alias). */
static int resolve(const mlg_catalogue *c, const char *id, size_t *node)
{
    char cid[MLG_ID_MAX + 1], sid[MLG_ID_MAX + 1];
    canon_into(id, cid);
    short_into(cid, sid);
    return lookup(c, cid, sid, node);
}

/* Grows the alias table so that it holds n entries at load <= 1/2. */
static int alias_reserve(mlg_catalogue *c, size_t n)
{
    if (n > c->cap_alias) {
        size_t cap = c->cap_alias ? 2 * c->cap_alias : 16;
        while (cap < n)
            cap *= 2;
        if (cap > SIZE_MAX / sizeof(char *) / 4)
            return MLG_ENOMEM;
        char **k = realloc(c->alias_key, cap * sizeof *k);
        if (!k)
            return MLG_ENOMEM;
        c->alias_key = k;
        int64_t *v = realloc(c->alias_node, cap * sizeof *v);
        if (!v)
            return MLG_ENOMEM;
        c->alias_node = v;
        c->cap_alias = cap;
    }
    if (c->acap >= 2 * n && c->acap > 0)
        return MLG_OK;
    size_t cap = c->acap ? c->acap : 64;
    while (cap < 2 * n)
        cap *= 2;
    int64_t *slot = malloc(cap * sizeof *slot);
    if (!slot)
        return MLG_ENOMEM;
    for (size_t i = 0; i < cap; i++)
        slot[i] = -1;
    for (size_t i = 0; i < c->n_alias; i++)
        hash_put(slot, cap, c->alias_key[i], (int64_t)i);
    free(c->aslot);
    c->aslot = slot;
    c->acap = cap;
    return MLG_OK;
}

int mlg_catalogue_alias(mlg_catalogue *cat, const char *id, const char *alias,
                        mlg_errinfo *err)
{
    if (!cat || !id || !alias)
        return mlg__fail(err, MLG_ENULL, -1, -1, "NULL argument");
    if (cat->finalised)
        return mlg__fail(err, MLG_EINVAL, -1, -1,
                         "catalogue is finalised: no more aliases");
    if (check_id(id) != MLG_OK || check_id(alias) != MLG_OK)
        return mlg__fail(err, MLG_EINVAL, -1, -1,
                         "bad id or alias (empty, over %d bytes or control "
                         "characters)",
                         MLG_ID_MAX);
    size_t node = 0;
    int s = resolve(cat, id, &node);
    if (s != MLG_OK)
        return mlg__fail(err, s == MLG_EDUPLICATE ? MLG_EDUPLICATE
                                                  : MLG_ENOTFOUND,
                         -1, -1, "alias %s: %s id %s", alias,
                         s == MLG_EDUPLICATE ? "ambiguous" : "unknown", id);
    char cid[MLG_ID_MAX + 1], sid[MLG_ID_MAX + 1];
    canon_into(alias, cid);
    short_into(cid, sid);
    size_t other = 0;
    s = lookup(cat, cid, sid, &other);
    if (s == MLG_OK && other == node)
        return MLG_OK;
    if (s == MLG_OK || s == MLG_EDUPLICATE)
        return mlg__fail(err, MLG_EDUPLICATE, (int64_t)other, -1,
                         "alias %s of %s already names %s", cid,
                         cat->nodes[node].id, cat->nodes[other].id);
    if (alias_reserve(cat, cat->n_alias + 1) != MLG_OK)
        return mlg__fail(err, MLG_ENOMEM, -1, -1, "out of memory");
    const size_t len = strlen(cid);
    char *key = malloc(len + 1);
    if (!key)
        return mlg__fail(err, MLG_ENOMEM, -1, -1, "out of memory");
    memcpy(key, cid, len + 1);
    cat->alias_key[cat->n_alias] = key;
    cat->alias_node[cat->n_alias] = (int64_t)node;
    hash_put(cat->aslot, cat->acap, key, (int64_t)cat->n_alias);
    cat->n_alias++;
    return MLG_OK;
}

int mlg_catalogue_finalize(mlg_catalogue *cat, mlg_errinfo *err)
{
    if (!cat)
        return mlg__fail(err, MLG_ENULL, -1, -1, "NULL catalogue");
    if (cat->finalised)
        return mlg__fail(err, MLG_EINVAL, -1, -1, "already finalised");
    const size_t N = cat->n_nodes, L = cat->n_links;
    if (N == 0)
        return mlg__fail(err, MLG_EEMPTY, -1, -1, "catalogue has no nodes");
    size_t T = 0;
    int any_auto = 0;
    for (size_t i = 0; i < N; i++) {
        T += cat->nodes[i].kind == MLG_NODE_TARGET && !cat->nodes[i].auto_kind;
        any_auto |= cat->nodes[i].auto_kind;
    }
    if (T == 0 && !any_auto)
        return mlg__fail(err, MLG_EEMPTY, -1, -1,
                         "catalogue has no learning target");

    int status = MLG_OK;
    int64_t *par = malloc((L ? L : 1) * sizeof *par);
    int64_t *chi = malloc((L ? L : 1) * sizeof *chi);
    int64_t *remaining = calloc(N, sizeof *remaining);
    int64_t *mark = malloc(N * sizeof *mark);
    int64_t *queue = malloc(N * sizeof *queue);
    int64_t *par_off = calloc(N + 1, sizeof *par_off);
    int64_t *par_idx = malloc((L ? L : 1) * sizeof *par_idx);
    cat->target_node = malloc(N * sizeof *cat->target_node);
    cat->child_off = calloc(N + 1, sizeof *cat->child_off);
    cat->child_idx = malloc((L ? L : 1) * sizeof *cat->child_idx);
    cat->child_w = malloc((L ? L : 1) * sizeof *cat->child_w);
    cat->order = malloc(N * sizeof *cat->order);
    cat->fast = calloc(N, sizeof *cat->fast);
    if (!cat->fast || !par || !chi || !remaining || !mark || !queue || !par_off ||
        !par_idx || !cat->target_node || !cat->child_off ||
        !cat->child_idx || !cat->child_w || !cat->order) {
        status = mlg__fail(err, MLG_ENOMEM, -1, -1, "out of memory");
        goto done;
    }

    /* MLG_NODE_AUTO kinds, from the resolved links (remaining[] counts
     * children, mark[] parents here). */
    if (any_auto) {
        for (size_t i = 0; i < N; i++)
            mark[i] = 0;
        for (size_t k = 0; k < L; k++) {
            size_t p = 0, ch = 0;
            if (resolve(cat, cat->links[k].parent, &p) == MLG_OK)
                remaining[p]++;
            if (resolve(cat, cat->links[k].child, &ch) == MLG_OK)
                mark[ch]++;
        }
        T = 0;
        for (size_t i = 0; i < N; i++) {
            mlg__cnode *n = &cat->nodes[i];
            if (n->auto_kind)
                n->kind = remaining[i] == 0 ? MLG_NODE_TARGET
                          : mark[i] == 0    ? MLG_NODE_COMPOSITE
                                            : MLG_NODE_DOMAIN;
            T += n->kind == MLG_NODE_TARGET;
            remaining[i] = 0;
        }
        if (T == 0) {
            status = mlg__fail(err, MLG_EEMPTY, -1, -1,
                               "catalogue has no learning target");
            goto done;
        }
    }

    /* Resolve every link. */
    for (size_t k = 0; k < L; k++) {
        size_t p = 0, ch = 0;
        int s = resolve(cat, cat->links[k].parent, &p);
        if (s != MLG_OK) {
            status = mlg__fail(err, s, -1, (int64_t)k,
                               s == MLG_ENOTFOUND
                                   ? "link %zu: unknown parent id %s"
                                   : "link %zu: ambiguous parent id %s",
                               k, cat->links[k].parent);
            goto done;
        }
        s = resolve(cat, cat->links[k].child, &ch);
        if (s != MLG_OK) {
            status = mlg__fail(err, s, -1, (int64_t)k,
                               s == MLG_ENOTFOUND
                                   ? "link %zu: unknown child id %s"
                                   : "link %zu: ambiguous child id %s",
                               k, cat->links[k].child);
            goto done;
        }
        if (cat->nodes[p].kind == MLG_NODE_TARGET) {
            status = mlg__fail(err, MLG_EINVAL, (int64_t)p, (int64_t)k,
                               "link %zu: target %s cannot be a parent", k,
                               cat->nodes[p].id);
            goto done;
        }
        if (p == ch) {
            status = mlg__fail(err, MLG_ECYCLE, (int64_t)p, (int64_t)k,
                               "link %zu: %s is linked to itself", k,
                               cat->nodes[p].id);
            goto done;
        }
        par[k] = (int64_t)p;
        chi[k] = (int64_t)ch;
    }

    /* Children in CSR form, in link order per parent (a stable counting
     * sort); parents likewise, for the topological order. */
    for (size_t k = 0; k < L; k++) {
        cat->child_off[par[k] + 1]++;
        par_off[chi[k] + 1]++;
    }
    for (size_t i = 0; i < N; i++) {
        cat->child_off[i + 1] += cat->child_off[i];
        par_off[i + 1] += par_off[i];
    }
    for (size_t i = 0; i < N; i++) {
        mark[i] = cat->child_off[i];
        queue[i] = par_off[i];
    }
    for (size_t k = 0; k < L; k++) {
        const int64_t at = mark[par[k]]++;
        cat->child_idx[at] = chi[k];
        cat->child_w[at] = cat->links[k].weight;
        par_idx[queue[chi[k]]++] = par[k];
    }

    /* The same parent-child link twice. */
    for (size_t i = 0; i < N; i++)
        mark[i] = -1;
    cat->max_children = 0;
    for (size_t p = 0; p < N; p++) {
        const int64_t a = cat->child_off[p], b = cat->child_off[p + 1];
        if ((size_t)(b - a) > cat->max_children)
            cat->max_children = (size_t)(b - a);
        for (int64_t j = a; j < b; j++) {
            const int64_t ch = cat->child_idx[j];
            if (mark[ch] == (int64_t)p) {
                status = mlg__fail(err, MLG_EDUPLICATE, (int64_t)p, -1,
                                   "%s is linked to %s twice",
                                   cat->nodes[ch].id, cat->nodes[p].id);
                goto done;
            }
            mark[ch] = (int64_t)p;
        }
    }

    /* Kahn's algorithm, children before parents; the queue starts with the
     * childless nodes in index order, so the order is deterministic. */
    size_t head = 0, tail = 0;
    for (size_t i = 0; i < N; i++) {
        remaining[i] = cat->child_off[i + 1] - cat->child_off[i];
        if (remaining[i] == 0)
            queue[tail++] = (int64_t)i;
    }
    while (head < tail) {
        const int64_t v = queue[head++];
        for (int64_t j = par_off[v]; j < par_off[v + 1]; j++) {
            const int64_t p = par_idx[j];
            if (--remaining[p] == 0)
                queue[tail++] = p;
        }
    }
    if (tail < N) {
        /* Walk down unfinished children: every unfinished node has one,
         * and after N steps the walk is on a cycle. */
        int64_t v = -1;
        for (size_t i = 0; i < N && v < 0; i++)
            if (remaining[i] > 0)
                v = (int64_t)i;
        for (size_t step = 0; step < N; step++) {
            for (int64_t j = cat->child_off[v]; j < cat->child_off[v + 1];
                 j++) {
                if (remaining[cat->child_idx[j]] > 0) {
                    v = cat->child_idx[j];
                    break;
                }
            }
        }
        status = mlg__fail(err, MLG_ECYCLE, v, -1,
                           "parent links form a cycle through %s",
                           cat->nodes[v].id);
        goto done;
    }
    memcpy(cat->order, queue, N * sizeof *queue);

    /* Depths, parent counts, target numbers. */
    for (size_t k = 0; k < N; k++) {
        const int64_t v = cat->order[k];
        int64_t d = 0;
        for (int64_t j = cat->child_off[v]; j < cat->child_off[v + 1]; j++) {
            const int64_t cd = cat->nodes[cat->child_idx[j]].depth + 1;
            if (cd > d)
                d = cd;
        }
        cat->nodes[v].depth = d;
        cat->nodes[v].n_parents = par_off[v + 1] - par_off[v];
    }
    size_t t = 0;
    for (size_t i = 0; i < N; i++) {
        if (cat->nodes[i].kind == MLG_NODE_TARGET) {
            cat->nodes[i].target = (int64_t)t;
            cat->target_node[t++] = (int64_t)i;
        } else {
            cat->nodes[i].target = -1;
        }
    }
    for (size_t i = 0; i < N; i++) {
        const mlg__cnode *n = &cat->nodes[i];
        mlg__fast *f = &cat->fast[i];
        f->rule = n->rule;
        f->n_levels = n->scale.n_levels;
        f->na_allowed = n->na_allowed;
        f->score_min = n->scale.score_min;
        f->score_max = n->scale.score_max;
        memcpy(f->value, n->scale.value, sizeof f->value);
        memcpy(f->cut, n->scale.cut, sizeof f->cut);
    }
    /* aliases by node (a stable counting sort: call order per node) */
    cat->alias_off = calloc(N + 1, sizeof *cat->alias_off);
    cat->alias_by_node = malloc((cat->n_alias ? cat->n_alias : 1) *
                                sizeof *cat->alias_by_node);
    if (!cat->alias_off || !cat->alias_by_node) {
        status = mlg__fail(err, MLG_ENOMEM, -1, -1, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < cat->n_alias; k++)
        cat->alias_off[cat->alias_node[k] + 1]++;
    for (size_t i = 0; i < N; i++)
        cat->alias_off[i + 1] += cat->alias_off[i];
    for (size_t i = 0; i < N; i++)
        mark[i] = cat->alias_off[i];
    for (size_t k = 0; k < cat->n_alias; k++)
        cat->alias_by_node[mark[cat->alias_node[k]]++] = (int64_t)k;
    cat->n_targets = T;
    cat->finalised = 1;

done:
    free(par);
    free(chi);
    free(remaining);
    free(mark);
    free(queue);
    if (status == MLG_OK) {
        cat->par_off = par_off;
        cat->par_idx = par_idx;
    } else {
        free(par_off);
        free(par_idx);
        drop_final(cat);
    }
    return status;
}

/* ============================================================== queries == */

size_t mlg_catalogue_node_count(const mlg_catalogue *cat)
{
    return cat && cat->finalised ? cat->n_nodes : 0;
}

size_t mlg_catalogue_target_count(const mlg_catalogue *cat)
{
    return cat && cat->finalised ? cat->n_targets : 0;
}

const char *mlg_catalogue_node_id(const mlg_catalogue *cat, size_t node)
{
    if (!cat || !cat->finalised || node >= cat->n_nodes)
        return NULL;
    return cat->nodes[node].id;
}

const char *mlg_catalogue_node_label(const mlg_catalogue *cat, size_t node)
{
    if (!cat || !cat->finalised || node >= cat->n_nodes)
        return NULL;
    return cat->nodes[node].label;
}

int mlg_catalogue_node_info(const mlg_catalogue *cat, size_t node,
                            mlg_node_info *out)
{
    if (!cat || !out)
        return MLG_ENULL;
    if (!cat->finalised || node >= cat->n_nodes)
        return MLG_EINVAL;
    const mlg__cnode *n = &cat->nodes[node];
    mlg_node_info info;
    memset(&info, 0, sizeof info);
    info.kind = n->kind;
    info.na_allowed = n->na_allowed;
    info.target = n->target;
    info.n_children = cat->child_off[node + 1] - cat->child_off[node];
    info.n_parents = n->n_parents;
    info.depth = n->depth;
    info.rule = n->rule;
    *out = info;
    return MLG_OK;
}

int mlg_catalogue_node_scale(const mlg_catalogue *cat, size_t node,
                             mlg_scale *out)
{
    if (!cat || !out)
        return MLG_ENULL;
    if (!cat->finalised || node >= cat->n_nodes)
        return MLG_EINVAL;
    *out = cat->nodes[node].scale;
    return MLG_OK;
}

int mlg_catalogue_node_children(const mlg_catalogue *cat, size_t node,
                                size_t cap, int64_t *child, double *weight,
                                size_t *n_out)
{
    if (!cat || !n_out)
        return MLG_ENULL;
    if (!cat->finalised || node >= cat->n_nodes)
        return MLG_EINVAL;
    const int64_t a = cat->child_off[node], b = cat->child_off[node + 1];
    const size_t n = (size_t)(b - a);
    *n_out = n;
    if (cap < n)
        return MLG_ESIZE;
    for (size_t j = 0; j < n; j++) {
        if (child)
            child[j] = cat->child_idx[a + (int64_t)j];
        if (weight)
            weight[j] = cat->child_w[a + (int64_t)j];
    }
    return MLG_OK;
}

int mlg_catalogue_node_parents(const mlg_catalogue *cat, size_t node,
                               size_t cap, int64_t *parent, size_t *n_out)
{
    if (!cat || !n_out)
        return MLG_ENULL;
    if (!cat->finalised || node >= cat->n_nodes)
        return MLG_EINVAL;
    const int64_t a = cat->par_off[node], b = cat->par_off[node + 1];
    const size_t n = (size_t)(b - a);
    *n_out = n;
    if (cap < n)
        return MLG_ESIZE;
    if (parent)
        for (size_t j = 0; j < n; j++)
            parent[j] = cat->par_idx[a + (int64_t)j];
    return MLG_OK;
}

const char *mlg_catalogue_node_alias(const mlg_catalogue *cat, size_t node,
                                     size_t k)
{
    if (!cat || !cat->finalised || node >= cat->n_nodes)
        return NULL;
    const int64_t a = cat->alias_off[node], b = cat->alias_off[node + 1];
    if ((int64_t)k >= b - a)
        return NULL;
    return cat->alias_key[cat->alias_by_node[a + (int64_t)k]];
}

int mlg_catalogue_node_targets(const mlg_catalogue *cat, size_t node,
                               size_t cap, int64_t *target, size_t *n_out)
{
    if (!cat || !n_out)
        return MLG_ENULL;
    if (!cat->finalised || node >= cat->n_nodes)
        return MLG_EINVAL;
    const size_t N = cat->n_nodes;
    unsigned char *seen = calloc(N, 1);
    int64_t *stack = malloc(N * sizeof *stack);
    if (!seen || !stack) {
        free(seen);
        free(stack);
        return MLG_ENOMEM;
    }
    /* Depth-first over the DAG, each node once (a shared child is listed
     * once). */
    size_t top = 0, n = 0;
    stack[top++] = (int64_t)node;
    seen[node] = 1;
    while (top > 0) {
        const int64_t v = stack[--top];
        if (cat->nodes[v].kind == MLG_NODE_TARGET)
            n++;
        for (int64_t j = cat->child_off[v]; j < cat->child_off[v + 1]; j++) {
            const int64_t ch = cat->child_idx[j];
            if (!seen[ch]) {
                seen[ch] = 1;
                stack[top++] = ch;
            }
        }
    }
    *n_out = n;
    int status = MLG_OK;
    if (cap < n) {
        status = MLG_ESIZE;
    } else if (target) {
        /* Ascending target order: targets are numbered in node order. */
        size_t k = 0;
        for (size_t t = 0; t < cat->n_targets; t++)
            if (seen[cat->target_node[t]])
                target[k++] = (int64_t)t;
    }
    free(seen);
    free(stack);
    return status;
}

int mlg_catalogue_find(const mlg_catalogue *cat, const char *id, size_t *node)
{
    if (!cat || !id || !node)
        return MLG_ENULL;
    if (!cat->finalised)
        return MLG_EINVAL;
    if (check_id(id) != MLG_OK)
        return MLG_ENOTFOUND;
    return resolve(cat, id, node);
}

int mlg_catalogue_find_target(const mlg_catalogue *cat, const char *id,
                              size_t *target)
{
    if (!target)
        return MLG_ENULL;
    size_t node = 0;
    const int s = mlg_catalogue_find(cat, id, &node);
    if (s != MLG_OK)
        return s;
    if (cat->nodes[node].kind != MLG_NODE_TARGET)
        return MLG_EINVAL;
    *target = (size_t)cat->nodes[node].target;
    return MLG_OK;
}

int mlg_catalogue_target_node(const mlg_catalogue *cat, size_t target,
                              size_t *node)
{
    if (!cat || !node)
        return MLG_ENULL;
    if (!cat->finalised || target >= cat->n_targets)
        return MLG_EINVAL;
    *node = (size_t)cat->target_node[target];
    return MLG_OK;
}

/* ======================================================= the bulletin == */

/* BUL-2332.7 sec. II.A, the table "when N/A can be assigned within an
 * academic subject or content standards domain", and its two notes. */
static const struct {
    const char *code;
    int32_t na_allowed;
} subject_table[] = {
    {"ela", 0},             /* English Language Arts: NO */
    {"ela_composite", 0},   /* "N/A is not an option for the ... composite" */
    {"math_domain", 1},     /* Mathematics Content: YES* */
    {"math_practices", 1},  /* Mathematical Practices: YES* */
    {"math_composite", 0},  /* "... and Math composite scores" */
    {"science", 0},         /* NO */
    {"hss", 0},             /* History-Social Science: NO */
    {"vapa_discipline", 1}, /* Visual and Performing Arts: YES** */
    {"vapa", 0},            /* **"at least one arts discipline in each
                               reporting period" */
    {"pe", 0},              /* Physical Education: NO */
    {"health", 0},          /* Health Education: NO */
    {"behaviors", 0},       /* Characteristics and Behaviors ...: NO */
    {"eld", 0},             /* ELD: NO */
    {"dual_language", 0},   /* Dual Language: NO */
};
#define SUBJECT_COUNT (sizeof subject_table / sizeof subject_table[0])

int mlg_bulletin_subject_na_allowed(const char *code, int32_t *na_allowed)
{
    if (!code || !na_allowed)
        return MLG_ENULL;
    for (size_t i = 0; i < SUBJECT_COUNT; i++) {
        if (strcmp(subject_table[i].code, code) == 0) {
            *na_allowed = subject_table[i].na_allowed;
            return MLG_OK;
        }
    }
    return MLG_ENOTFOUND;
}

const char *mlg_bulletin_subject_code(size_t i)
{
    return i < SUBJECT_COUNT ? subject_table[i].code : NULL;
}

/* Which rule a skeleton node takes. */
#define SK_DOMAIN 0
#define SK_COMPOSITE 1

/* The grade-3 progress report's non-target nodes, parents before children.
 * ELA domains: BUL-2332.7 Att. A ("the five domains: Foundational Reading
 * Skills, Making Meaning from the Text, Language Conventions/Effective Use
 * of Vocabulary, Effective Expression Through Writing, Effective Expression
 * Through Speaking and Listening").  Math domains: the CCSS grade-3
 * domains.  VAPA: "the 4 arts disciplines" (sec. II.A note **).  N/A
 * policy from subject_table by code. */
static const struct {
    const char *id;
    const char *label;
    int32_t kind;
    const char *parent; /* NULL for a top-level node */
    const char *code;   /* subject_table code */
    int32_t scale;      /* MLG_SCALE_* */
    int32_t rule;       /* SK_* */
} grade3[] = {
    {"ELA", "English Language Arts", MLG_NODE_COMPOSITE, NULL,
     "ela_composite", MLG_SCALE_CCS4, SK_COMPOSITE},
    {"ELA.RF", "Foundational Reading Skills", MLG_NODE_DOMAIN, "ELA", "ela",
     MLG_SCALE_CCS4, SK_DOMAIN},
    {"ELA.MM", "Making Meaning from Text", MLG_NODE_DOMAIN, "ELA", "ela",
     MLG_SCALE_CCS4, SK_DOMAIN},
    {"ELA.LV", "Language Conventions/Effective Use of Vocabulary",
     MLG_NODE_DOMAIN, "ELA", "ela", MLG_SCALE_CCS4, SK_DOMAIN},
    {"ELA.WR", "Effective Expression Through Writing", MLG_NODE_DOMAIN,
     "ELA", "ela", MLG_SCALE_CCS4, SK_DOMAIN},
    {"ELA.SL", "Effective Expression Through Speaking and Listening",
     MLG_NODE_DOMAIN, "ELA", "ela", MLG_SCALE_CCS4, SK_DOMAIN},
    {"MATH", "Mathematics", MLG_NODE_COMPOSITE, NULL, "math_composite",
     MLG_SCALE_CCS4, SK_COMPOSITE},
    {"3.OA", "Operations and Algebraic Thinking", MLG_NODE_DOMAIN, "MATH",
     "math_domain", MLG_SCALE_CCS4, SK_DOMAIN},
    {"3.NBT", "Number and Operations in Base Ten", MLG_NODE_DOMAIN, "MATH",
     "math_domain", MLG_SCALE_CCS4, SK_DOMAIN},
    {"3.NF", "Number and Operations - Fractions", MLG_NODE_DOMAIN, "MATH",
     "math_domain", MLG_SCALE_CCS4, SK_DOMAIN},
    {"3.MD", "Measurement and Data", MLG_NODE_DOMAIN, "MATH", "math_domain",
     MLG_SCALE_CCS4, SK_DOMAIN},
    {"3.G", "Geometry", MLG_NODE_DOMAIN, "MATH", "math_domain",
     MLG_SCALE_CCS4, SK_DOMAIN},
    {"MATH.MP", "Mathematical Practices", MLG_NODE_DOMAIN, "MATH",
     "math_practices", MLG_SCALE_CCS4, SK_DOMAIN},
    {"SCI", "Science", MLG_NODE_SUBJECT, NULL, "science", MLG_SCALE_CCS4,
     SK_DOMAIN},
    {"HSS", "History-Social Science", MLG_NODE_SUBJECT, NULL, "hss",
     MLG_SCALE_CCS4, SK_DOMAIN},
    {"VAPA", "Visual and Performing Arts", MLG_NODE_SUBJECT, NULL, "vapa",
     MLG_SCALE_CCS4, SK_COMPOSITE},
    {"VAPA.DANCE", "Dance", MLG_NODE_DOMAIN, "VAPA", "vapa_discipline",
     MLG_SCALE_CCS4, SK_DOMAIN},
    {"VAPA.MUSIC", "Music", MLG_NODE_DOMAIN, "VAPA", "vapa_discipline",
     MLG_SCALE_CCS4, SK_DOMAIN},
    {"VAPA.THEATRE", "Theatre", MLG_NODE_DOMAIN, "VAPA", "vapa_discipline",
     MLG_SCALE_CCS4, SK_DOMAIN},
    {"VAPA.VISUAL", "Visual Arts", MLG_NODE_DOMAIN, "VAPA",
     "vapa_discipline", MLG_SCALE_CCS4, SK_DOMAIN},
    {"PE", "Physical Education", MLG_NODE_SUBJECT, NULL, "pe",
     MLG_SCALE_CCS4, SK_DOMAIN},
    {"HEALTH", "Health Education", MLG_NODE_SUBJECT, NULL, "health",
     MLG_SCALE_CCS4, SK_DOMAIN},
    {"ELD", "English Language Development", MLG_NODE_SUBJECT, NULL, "eld",
     MLG_SCALE_ELD4, SK_DOMAIN},
    {"BEHAVIORS", "Behaviors of a College-Prepared and Career-Ready Learner",
     MLG_NODE_SUBJECT, NULL, "behaviors", MLG_SCALE_BEHAVIOR, SK_DOMAIN},
};

int mlg_catalogue_add_bulletin_grade3(mlg_catalogue *cat,
                                      const mlg_rollup_rule *domain_rule,
                                      const mlg_rollup_rule *composite_rule,
                                      mlg_errinfo *err)
{
    if (!cat)
        return mlg__fail(err, MLG_ENULL, -1, -1, "NULL catalogue");
    mlg_rollup_rule dr, cr;
    if (domain_rule) {
        dr = *domain_rule;
    } else {
        /* Att. A: "mostly proficient and doesn't have any significant
         * gaps", as a rule that holds for one to five targets. */
        mlg_rollup_rule_init(&dr, MLG_RULE_CAPPED_MEDIAN);
    }
    if (composite_rule) {
        cr = *composite_rule;
    } else {
        /* Sec. II.B: "simple averages may be used to compute the composite
         * scores". */
        mlg_rollup_rule_init(&cr, MLG_RULE_MEAN);
    }
    for (size_t i = 0; i < sizeof grade3 / sizeof grade3[0]; i++) {
        mlg_scale sc;
        int32_t na = 0;
        mlg_scale_builtin(grade3[i].scale, &sc);
        mlg_bulletin_subject_na_allowed(grade3[i].code, &na);
        int s = mlg_catalogue_add(cat, grade3[i].id, grade3[i].label,
                                  grade3[i].kind, &sc,
                                  grade3[i].rule == SK_DOMAIN ? &dr : &cr, na,
                                  err);
        if (s != MLG_OK)
            return s;
        if (grade3[i].parent) {
            s = mlg_catalogue_link(cat, grade3[i].parent, grade3[i].id, 1.0,
                                   err);
            if (s != MLG_OK)
                return s;
        }
    }
    return MLG_OK;
}
