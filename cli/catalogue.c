/* SPDX-License-Identifier: GPL-3.0-or-later */
/* catalogue.c -- read a catalogue file (CSV or CASE 1.1 JSON) into the
 * library's mlg_catalogue.  The file is parsed into a flat list of nodes and
 * links (text only, freed before returning), which is handed to the library
 * twice: once with MLG_NODE_AUTO kinds to learn each node's kind from the
 * links (the library resolves ids, aliases and CASE identifiers), then with
 * those kinds, the rules and the scales.  No second model of the catalogue
 * is kept here. */
#include "catalogue.h"

#include "csv.h"
#include "options.h"
#include "strtab.h"
#include "util.h"

#include <mlg_policy.h>

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

typedef struct spec_node {
    char   *id, *label, *rule, *scale;
    char   *subject;  /* CSV subject column (a policy subject code), or NULL */
    char  **alias;
    size_t  n_alias;
    int32_t kind;     /* MLG_NODE_AUTO unless the file names it */
    int32_t na;       /* -1 unset (default 1), 0 or 1 */
    int64_t line;     /* CSV line; CASE: CFItems index */
} spec_node;

typedef struct spec_link {
    char   *parent, *child;
    double  weight;
    size_t  node;     /* the child's spec node, for diagnostics */
} spec_link;

typedef struct spec {
    const char *path;
    int         is_case;
    spec_node  *n;
    size_t      nn, capn;
    spec_link  *l;
    size_t      nl, capl;
} spec;

static void spec_free(spec *s)
{
    for (size_t i = 0; i < s->nn; i++) {
        spec_node *n = &s->n[i];
        free(n->id);
        free(n->label);
        free(n->rule);
        free(n->scale);
        free(n->subject);
        for (size_t k = 0; k < n->n_alias; k++)
            free(n->alias[k]);
        free(n->alias);
    }
    for (size_t i = 0; i < s->nl; i++) {
        free(s->l[i].parent);
        free(s->l[i].child);
    }
    free(s->n);
    free(s->l);
}

static spec_node *spec_add(spec *s, const char *id, int64_t line)
{
    if (s->nn == s->capn) {
        s->capn = s->capn ? 2 * s->capn : 64;
        s->n = xrealloc(s->n, s->capn * sizeof *s->n);
    }
    spec_node *n = &s->n[s->nn++];
    memset(n, 0, sizeof *n);
    n->id = xstrdup(id);
    n->kind = MLG_NODE_AUTO;
    n->na = -1;
    n->line = line;
    return n;
}

static void spec_alias(spec_node *n, const char *a)
{
    n->alias = xrealloc(n->alias, (n->n_alias + 1) * sizeof *n->alias);
    n->alias[n->n_alias++] = xstrdup(a);
}

static void spec_link_add(spec *s, const char *parent, const char *child, double w, size_t node)
{
    if (s->nl == s->capl) {
        s->capl = s->capl ? 2 * s->capl : 64;
        s->l = xrealloc(s->l, s->capl * sizeof *s->l);
    }
    spec_link *l = &s->l[s->nl++];
    l->parent = xstrdup(parent);
    l->child = xstrdup(child);
    l->weight = w;
    l->node = node;
}

/* "FILE:LINE: node 'ID': " for CSV, "FILE: CFItems[i] 'ID': " for CASE. */
static void node_diag(const spec *s, size_t i, const char *fmt, const char *a, const char *b)
{
    char msg[1200];
    snprintf(msg, sizeof msg, fmt, a, b);
    if (i >= s->nn)
        diag_at(s->path, 0, "%s", msg);
    else if (s->is_case)
        diag_at(s->path, 0, "CFItems[%lld] '%s': %s", (long long)s->n[i].line, s->n[i].id, msg);
    else
        diag_at(s->path, s->n[i].line, "node '%s': %s", s->n[i].id, msg);
}

static int status_exit(int st) { return st == MLG_ENOMEM ? EXIT_NOMEM : EXIT_DATA; }

/* Hand the spec to the library.  kinds == NULL: pass 1 (file kinds or
 * MLG_NODE_AUTO, default rules); else pass 2 with kinds[i] per node. */
static int build(const spec *s, const int32_t *kinds, const mlg_scale *scale,
                 const mlg_method_params *p, const mlg_policy *pol, mlg_catalogue **out)
{
    mlg_catalogue *c = NULL;
    if (mlg_catalogue_create(&c) != MLG_OK)
        return EXIT_NOMEM;
    mlg_errinfo err;
    int st;
    for (size_t i = 0; i < s->nn; i++) {
        const spec_node *n = &s->n[i];
        int32_t kind = kinds ? kinds[i] : n->kind;
        mlg_rollup_rule rule;
        (void)mlg_rollup_rule_init(&rule, MLG_RULE_MEAN);
        mlg_scale own;
        const mlg_scale *sc = scale;
        if (kinds && n->scale && n->scale[0]) {
            if (scale_parse(n->scale, &own) != 0) {
                node_diag(s, i, "unknown scale '%s'%s", n->scale,
                          " (ccs4, tk, eld4, tk_eld, behavior, or values such as 1=B,2=P,3=A)");
                mlg_catalogue_free(c);
                return EXIT_DATA;
            }
            /* a target's own scale is its evidence's (per-node scales:
             * C/S/R behaviours beside 4..1 targets, TK E/B/D/I) */
            sc = &own;
        }
        if (kinds && kind != MLG_NODE_TARGET && n->rule && n->rule[0]) {
            memset(&err, 0, sizeof err);
            st = mlg_rollup_rule_parse(n->rule, &rule, &err);
            if (st != MLG_OK) {
                node_diag(s, i, "rule '%s': %s", n->rule,
                          err.message[0] ? err.message : mlg_strerror(st));
                mlg_catalogue_free(c);
                return EXIT_DATA;
            }
        } else if (kinds && kind != MLG_NODE_TARGET && pol) {
            (void)mlg_policy_rule(pol, kind, &rule); /* the declared policy's rule */
        }
        if (kind == MLG_NODE_TARGET || kind == MLG_NODE_AUTO) {
            /* targets are levelled exactly as the method levels them */
            rule.rounding = p->rounding;
            rule.decimals = p->decimals;
        }
        int32_t na = n->na < 0 ? 1 : n->na;
        if (kinds && kind != MLG_NODE_TARGET && !sc->na_allowed)
            na = 0; /* the scale allows no N/A (TK, sec. II.A) */
        memset(&err, 0, sizeof err);
        st = mlg_catalogue_add(c, n->id, n->label ? n->label : "", kind, sc,
                               &rule, na, &err);
        if (st == MLG_EDUPLICATE && !s->is_case && err.group >= 0 && (size_t)err.group < i) {
            /* err.group: the node already holding this id or alias */
            diag_at(s->path, n->line, "duplicate id '%s' (the same node as '%s' on line %lld)",
                    n->id, s->n[err.group].id, (long long)s->n[err.group].line);
            mlg_catalogue_free(c);
            return EXIT_DATA;
        }
        if (st != MLG_OK) {
            node_diag(s, i, "%s%s", st == MLG_EDUPLICATE ? "duplicate id: " : "",
                      err.message[0] ? err.message : mlg_strerror(st));
            mlg_catalogue_free(c);
            return status_exit(st);
        }
    }
    for (size_t i = 0; i < s->nn; i++) {
        for (size_t k = 0; k < s->n[i].n_alias; k++) {
            memset(&err, 0, sizeof err);
            st = mlg_catalogue_alias(c, s->n[i].id, s->n[i].alias[k], &err);
            if (st != MLG_OK) {
                node_diag(s, i, "identifier '%s': %s", s->n[i].alias[k],
                          err.message[0] ? err.message : mlg_strerror(st));
                mlg_catalogue_free(c);
                return status_exit(st);
            }
        }
    }
    for (size_t k = 0; k < s->nl; k++) {
        memset(&err, 0, sizeof err);
        st = mlg_catalogue_link(c, s->l[k].parent, s->l[k].child, s->l[k].weight, &err);
        if (st != MLG_OK) {
            node_diag(s, s->l[k].node, "link to parent '%s': %s", s->l[k].parent,
                      err.message[0] ? err.message : mlg_strerror(st));
            mlg_catalogue_free(c);
            return status_exit(st);
        }
    }
    memset(&err, 0, sizeof err);
    st = mlg_catalogue_finalize(c, &err);
    if (st != MLG_OK) {
        size_t at = s->nn;
        if (st == MLG_ENOTFOUND && err.row >= 0 && (size_t)err.row < s->nl)
            at = s->l[err.row].node;
        else if (err.group >= 0 && (size_t)err.group < s->nn)
            at = (size_t)err.group;
        if (st == MLG_ENOTFOUND && at < s->nn)
            node_diag(s, at, "unknown parent '%s'%s", s->l[err.row].parent, "");
        else if (st == MLG_ECYCLE && at < s->nn)
            node_diag(s, at, "its parent links form a cycle (%s)%s", err.message, "");
        else if (st == MLG_EEMPTY)
            diag_at(s->path, 0, "%s", s->nn ? err.message : "the catalogue is empty");
        else
            node_diag(s, at, "%s%s", err.message[0] ? err.message : mlg_strerror(st), "");
        mlg_catalogue_free(c);
        return status_exit(st);
    }
    *out = c;
    return EXIT_OK;
}

static int parse_na(const char *v, int32_t *na)
{
    if (!strcmp(v, "1") || !strcmp(v, "yes") || !strcmp(v, "true"))
        *na = 1;
    else if (!strcmp(v, "0") || !strcmp(v, "no") || !strcmp(v, "false"))
        *na = 0;
    else
        return -1;
    return 0;
}

/* Split `text` on '|' and call f for each non-empty part. */
static void each_part(const char *text, void (*f)(void *, const char *), void *arg)
{
    char *d = xstrdup(text), *save = NULL;
    for (char *t = strtok_r(d, "|", &save); t; t = strtok_r(NULL, "|", &save))
        f(arg, t);
    free(d);
}

typedef struct csv_link_arg {
    spec       *s;
    const char *child;
    double      w;
} csv_link_arg;

static void add_parent(void *a, const char *parent)
{
    csv_link_arg *x = a;
    spec_link_add(x->s, parent, x->child, x->w, x->s->nn - 1);
}

static void add_alias(void *a, const char *alias) { spec_alias(a, alias); }

/* CSV: id,parent[,label,rule,weight,na_allowed,kind,scale,aliases,subject]; parent
 * and aliases may list several ids separated by '|'. */
static int load_csv(spec *s, FILE *f)
{
    csv_reader r;
    if (csv_open(&r, f, CSV_DEFAULT_MAX_RECORD) != 0)
        return EXIT_NOMEM;
    r.delim = 0; /* the header's: ',' else tab else ';' */
    int rc = csv_next(&r);
    if (rc != CSV_OK) {
        if (rc == CSV_IOERR)
            diag_at(s->path, 0, "read error: %s", strerror(errno));
        else
            diag_at(s->path, rc == CSV_BAD ? r.rec_line : 0, "%s",
                    rc == CSV_BAD ? r.reason : "empty catalogue (no header)");
        csv_close(&r);
        return rc == CSV_IOERR ? EXIT_IO : EXIT_DATA;
    }
    enum { C_ID, C_PARENT, C_LABEL, C_RULE, C_WEIGHT, C_NA, C_KIND, C_SCALE, C_ALIAS, C_SUBJ,
           C_N };
    static const char *names[C_N] = {"id",         "parent", "label", "rule",   "weight",
                                     "na_allowed", "kind",   "scale", "aliases", "subject"};
    int col[C_N];
    for (int c = 0; c < C_N; c++)
        col[c] = -1;
    size_t ncols = r.nfields;
    for (size_t k = 0; k < r.nfields; k++)
        for (int c = 0; c < C_N; c++)
            if (strcmp(r.field[k], names[c]) == 0)
                col[c] = (int)k;
    if (col[C_ID] < 0 || col[C_PARENT] < 0) {
        diag_at(s->path, r.rec_line, "catalogue header must name the columns id and parent "
                                     "(and optionally label, rule, weight, na_allowed, kind, "
                                     "scale, aliases, subject)");
        csv_close(&r);
        return EXIT_DATA;
    }
    int ret = EXIT_OK;
    while ((rc = csv_next(&r)) != CSV_EOF) {
        if (rc == CSV_IOERR) {
            diag_at(s->path, r.line, "read error: %s", strerror(errno));
            ret = EXIT_IO;
            break;
        }
        if (rc == CSV_BAD) {
            diag_at(s->path, r.rec_line, "%s", r.reason);
            ret = EXIT_DATA;
            break;
        }
        int empty = 1; /* a spreadsheet's empty row: skipped */
        for (size_t k = 0; k < r.nfields; k++)
            empty &= r.flen[k] == 0;
        if (empty)
            continue;
        if (r.nfields != ncols) {
            diag_at(s->path, r.rec_line, "expected %zu fields, got %zu", ncols, r.nfields);
            ret = EXIT_DATA;
            break;
        }
        const char *id = r.field[col[C_ID]];
        if (!id[0]) {
            diag_at(s->path, r.rec_line, "empty id");
            ret = EXIT_DATA;
            break;
        }
        spec_node *n = spec_add(s, id, r.rec_line);
        if (col[C_LABEL] >= 0)
            n->label = xstrdup(r.field[col[C_LABEL]]);
        if (col[C_RULE] >= 0)
            n->rule = xstrdup(r.field[col[C_RULE]]);
        if (col[C_SCALE] >= 0)
            n->scale = xstrdup(r.field[col[C_SCALE]]);
        if (col[C_SUBJ] >= 0 && r.field[col[C_SUBJ]][0])
            n->subject = xstrdup(r.field[col[C_SUBJ]]);
        double w = 1.0;
        if (col[C_WEIGHT] >= 0 && r.field[col[C_WEIGHT]][0] &&
            parse_double(r.field[col[C_WEIGHT]], r.flen[col[C_WEIGHT]], &w) != 0) {
            diag_at(s->path, r.rec_line, "weight '%s' is not a finite number",
                    r.field[col[C_WEIGHT]]);
            ret = EXIT_DATA;
            break;
        }
        if (col[C_NA] >= 0 && r.field[col[C_NA]][0] && parse_na(r.field[col[C_NA]], &n->na)) {
            diag_at(s->path, r.rec_line, "na_allowed '%s' is not 0/1/yes/no/true/false",
                    r.field[col[C_NA]]);
            ret = EXIT_DATA;
            break;
        }
        if (col[C_KIND] >= 0 && r.field[col[C_KIND]][0] &&
            mlg_node_kind_from_name(r.field[col[C_KIND]], &n->kind) != MLG_OK) {
            diag_at(s->path, r.rec_line,
                    "kind '%s' is not target, domain, subject or composite",
                    r.field[col[C_KIND]]);
            ret = EXIT_DATA;
            break;
        }
        if (col[C_ALIAS] >= 0)
            each_part(r.field[col[C_ALIAS]], add_alias, n);
        csv_link_arg a = {s, n->id, w};
        each_part(r.field[col[C_PARENT]], add_parent, &a);
    }
    csv_close(&r);
    return ret;
}

/* The library's canonical form of a CASE identifier (urn:uuid: removed,
 * a UUID in lower case) in buf; the text itself when it is not a valid id
 * (the library reports it later). */
static const char *canon(const char *id, char *buf, size_t cap)
{
    return mlg_id_canonical(id, buf, cap) == MLG_OK ? buf : id;
}

static const char *jstr(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* CASE 1.1 CFPackage: CFItems become nodes (id = humanCodingScheme, else
 * identifier, with the identifier as an alias; label = abbreviatedStatement,
 * else fullStatement); each isChildOf association links its origin under
 * its destination (the CFDocument as destination makes a root).  Optional
 * extension keys on a CFItem: mlgRule (text), mlgWeight (number > 0, on
 * each of the item's links), mlgNaAllowed (boolean, 0/1 or "true"/"false"/
 * "yes"/"no"), mlgScale (a scale name). */
static int load_case(spec *s, FILE *f)
{
    json_error_t je;
    json_t *root = json_loadf(f, 0, &je);
    if (!root) {
        diag_at(s->path, je.line, "JSON: %s (column %d)", je.text, je.column);
        return EXIT_DATA;
    }
    json_t *items = json_object_get(root, "CFItems");
    json_t *assocs = json_object_get(root, "CFAssociations");
    json_t *doc = json_object_get(root, "CFDocument");
    const char *doc_id = doc ? jstr(doc, "identifier") : NULL;
    if (!json_is_array(items)) {
        diag_at(s->path, 0, "not a CASE CFPackage: no CFItems array");
        json_decref(root);
        return EXIT_DATA;
    }
    strtab ident; /* item identifier -> spec node (which items exist) */
    strtab_init(&ident);
    double *weight = xcalloc(json_array_size(items) + 1, sizeof *weight);
    size_t i;
    json_t *it;
    int ret = EXIT_OK;
    char cb[MLG_ID_MAX + 1], cb2[MLG_ID_MAX + 1];
    char *doc_own = doc_id ? xstrdup(canon(doc_id, cb, sizeof cb)) : NULL;
    doc_id = doc_own;
    json_array_foreach(items, i, it) {
        const char *id_ = jstr(it, "identifier");
        const char *code = jstr(it, "humanCodingScheme");
        const char *label = jstr(it, "abbreviatedStatement");
        if (!label)
            label = jstr(it, "fullStatement");
        if (!id_ || !id_[0]) {
            diag_at(s->path, 0, "CFItems[%zu] has no identifier", i);
            ret = EXIT_DATA;
            break;
        }
        const char *key = canon(id_, cb, sizeof cb);
        if (strtab_get(&ident, key, strlen(key)) >= 0) {
            diag_at(s->path, 0, "CFItems[%zu]: identifier '%s' appears twice", i, id_);
            ret = EXIT_DATA;
            break;
        }
        spec_node *n = spec_add(s, code && code[0] ? code : id_, (int64_t)i);
        if (code && code[0])
            spec_alias(n, id_);
        n->label = xstrdup(label ? label : "");
        const char *rule = jstr(it, "mlgRule");
        n->rule = xstrdup(rule ? rule : "");
        const char *sc = jstr(it, "mlgScale");
        n->scale = xstrdup(sc ? sc : "");
        weight[s->nn - 1] = 1.0;
        json_t *w = json_object_get(it, "mlgWeight");
        if (w) {
            if (!json_is_number(w)) {
                diag_at(s->path, 0, "CFItems[%zu] '%s': mlgWeight is not a number", i, n->id);
                ret = EXIT_DATA;
                break;
            }
            weight[s->nn - 1] = json_number_value(w);
        }
        json_t *na = json_object_get(it, "mlgNaAllowed");
        if (na) {
            if (json_is_boolean(na))
                n->na = json_is_true(na);
            else if (json_is_integer(na) &&
                     (json_integer_value(na) == 0 || json_integer_value(na) == 1))
                n->na = (int32_t)json_integer_value(na);
            else if (!json_is_string(na) || parse_na(json_string_value(na), &n->na) != 0) {
                diag_at(s->path, 0,
                        "CFItems[%zu] '%s': mlgNaAllowed is not true/false, 0/1 or "
                        "\"yes\"/\"no\"",
                        i, n->id);
                ret = EXIT_DATA;
                break;
            }
        }
        strtab_put(&ident, key, strlen(key), (int32_t)(s->nn - 1));
    }
    json_t *a;
    if (ret == EXIT_OK && json_is_array(assocs)) {
        json_array_foreach(assocs, i, a) {
            const char *type = jstr(a, "associationType");
            if (!type || strcmp(type, "isChildOf") != 0)
                continue;
            json_t *o = json_object_get(a, "originNodeURI");
            json_t *d = json_object_get(a, "destinationNodeURI");
            const char *oi = o ? jstr(o, "identifier") : NULL;
            const char *di = d ? jstr(d, "identifier") : NULL;
            if (!oi || !di) {
                diag_at(s->path, 0, "CFAssociations[%zu]: isChildOf without origin or "
                                    "destination identifier", i);
                ret = EXIT_DATA;
                break;
            }
            const char *ok = canon(oi, cb, sizeof cb), *dk = canon(di, cb2, sizeof cb2);
            int32_t c = strtab_get(&ident, ok, strlen(ok));
            if (c < 0)
                continue; /* the origin is not an item of this package */
            if (strtab_get(&ident, dk, strlen(dk)) < 0) {
                if (!doc_id || !strcmp(dk, doc_id))
                    continue; /* under the document: a root */
                diag_at(s->path, 0,
                        "CFAssociations[%zu]: isChildOf destination '%s' is neither an item "
                        "nor the CFDocument",
                        i, di);
                ret = EXIT_DATA;
                break;
            }
            spec_link_add(s, di, oi, weight[c], (size_t)c);
        }
    }
    free(weight);
    free(doc_own);
    strtab_free(&ident);
    json_decref(root);
    return ret;
}

/* The first parent of node i in the pass-1 catalogue, or -1 for a root. */
static int64_t first_parent(const mlg_catalogue *c, size_t i)
{
    size_t np = 0;
    (void)mlg_catalogue_node_parents(c, i, 0, NULL, &np); /* a size query */
    if (np == 0)
        return -1;
    int64_t *par = xmalloc(np * sizeof *par);
    int64_t p = -1;
    if (mlg_catalogue_node_parents(c, i, np, par, &np) == MLG_OK && np > 0)
        p = par[0];
    free(par);
    return p;
}

/* N/A by subject when the file says nothing (BUL-2332.7 sec. II.A, the
 * reading of mlg_policy_subject_guess(): ELA and Math composites never
 * N/A): every node above the targets without a declared na_allowed takes
 * its subject's value; the subject is named by the root reached through
 * first parents.  kinds: pass 1's kinds of the nodes of `first`. */
static void na_defaults(spec *s, const mlg_catalogue *first, const int32_t *kinds)
{
    const size_t n = s->nn;
    int need = 0;
    for (size_t i = 0; i < n && !need; i++)
        need = s->n[i].na < 0 && kinds[i] != MLG_NODE_TARGET;
    if (!need)
        return;
    int64_t *parent = xmalloc(n * sizeof *parent);
    int64_t *root = xmalloc(n * sizeof *root);
    for (size_t i = 0; i < n; i++) {
        parent[i] = first_parent(first, i);
        root[i] = -1;
    }
    /* each node's root, memoised; steps bounded (the catalogue is acyclic
     * once finalised, this is only a guard) */
    for (size_t i = 0; i < n; i++) {
        int64_t a = (int64_t)i;
        size_t steps = 0;
        while (root[a] < 0 && parent[a] >= 0 && steps++ < n)
            a = parent[a];
        const int64_t r = root[a] >= 0 ? root[a] : a;
        steps = 0;
        for (int64_t b = (int64_t)i; b >= 0 && root[b] < 0 && steps++ <= n; b = parent[b])
            root[b] = r;
    }
    for (size_t i = 0; i < n; i++) {
        spec_node *nd = &s->n[i];
        if (nd->na >= 0 || kinds[i] == MLG_NODE_TARGET)
            continue;
        const spec_node *rt = &s->n[root[i]];
        const spec_node *pa = parent[i] >= 0 ? &s->n[parent[i]] : NULL;
        const int32_t kind = kinds[i] == MLG_NODE_DOMAIN ? MLG_NODE_DOMAIN : MLG_NODE_COMPOSITE;
        const char *code = NULL;
        int32_t na = 1;
        if (mlg_policy_subject_guess(rt->id, rt->label ? rt->label : "", nd->id,
                                     nd->label ? nd->label : "", pa ? pa->id : NULL,
                                     pa ? (pa->label ? pa->label : "") : NULL, kind,
                                     &code) == MLG_OK &&
            mlg_bulletin_subject_na_allowed(code, &na) == MLG_OK)
            nd->na = na;
    }
    free(root);
    free(parent);
}

int catalogue_load(const char *path, const mlg_scale *scale, const mlg_method_params *params,
                   const mlg_policy *policy, mlg_catalogue **out, char ***subjects)
{
    *out = NULL;
    if (subjects)
        *subjects = NULL;
    spec s;
    memset(&s, 0, sizeof s);
    s.path = path;
    FILE *f = open_in(path);
    /* a UTF-8 byte-order mark, then white space, then '{' for JSON */
    int c = getc(f);
    if (c == 0xEF) {
        int c2 = getc(f), c3 = getc(f);
        if (c2 != 0xBB || c3 != 0xBF) {
            diag_at(path, 1, "starts with a broken UTF-8 byte-order mark");
            if (f != stdin)
                fclose(f);
            return EXIT_DATA;
        }
        c = getc(f);
    }
    while (c == ' ' || c == '\n' || c == '\r' || c == '\t')
        c = getc(f);
    if (c != EOF)
        ungetc(c, f);
    size_t len = strlen(path);
    s.is_case = c == '{' || (len > 5 && strcmp(path + len - 5, ".json") == 0);
    int rc = s.is_case ? load_case(&s, f) : load_csv(&s, f);
    if (f != stdin)
        fclose(f);
    if (rc == EXIT_OK && s.nn == 0) {
        diag_at(path, 0, "the catalogue is empty");
        rc = EXIT_DATA;
    }
    mlg_catalogue *first = NULL;
    if (rc == EXIT_OK)
        rc = build(&s, NULL, scale, params, NULL, &first);
    if (rc == EXIT_OK) {
        int32_t *kinds = xmalloc(s.nn * sizeof *kinds);
        for (size_t i = 0; i < s.nn; i++) {
            mlg_node_info info;
            (void)mlg_catalogue_node_info(first, i, &info);
            kinds[i] = info.kind;
        }
        na_defaults(&s, first, kinds);
        mlg_catalogue_free(first);
        rc = build(&s, kinds, scale, params, policy, out);
        free(kinds);
    }
    if (rc == EXIT_OK && subjects) {
        /* build() adds the nodes in file order: node i is s.n[i] */
        *subjects = xmalloc(s.nn * sizeof **subjects);
        for (size_t i = 0; i < s.nn; i++) {
            (*subjects)[i] = s.n[i].subject;
            s.n[i].subject = NULL;
        }
    }
    spec_free(&s);
    return rc;
}
