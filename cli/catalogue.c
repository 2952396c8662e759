/* catalogue.c -- load a learning-target catalogue (CSV or CASE 1.1 JSON). */
#include "catalogue.h"

#include "csv.h"
#include "util.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

const char *kind_name(int32_t kind)
{
    switch (kind) {
    case KIND_TARGET: return "target";
    case KIND_DOMAIN: return "domain";
    default: return "composite";
    }
}

void catalogue_free(catalogue *cat)
{
    for (size_t i = 0; i < cat->n; i++) {
        free(cat->node[i].id);
        free(cat->node[i].parent);
        free(cat->node[i].label);
        free(cat->node[i].rule);
    }
    free(cat->node);
    if (cat->ids.key)
        strtab_free(&cat->ids);
    memset(cat, 0, sizeof *cat);
}

static cat_node *add_node(catalogue *cat, size_t *cap)
{
    if (cat->n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        cat->node = xrealloc(cat->node, *cap * sizeof *cat->node);
    }
    cat_node *nd = &cat->node[cat->n++];
    memset(nd, 0, sizeof *nd);
    nd->weight = 1.0;
    nd->na_allowed = -1;
    nd->parent_idx = -1;
    return nd;
}

/* Resolve parents, check for cycles, assign kinds.  0 ok, else exit code. */
static int link_tree(const char *path, catalogue *cat)
{
    for (size_t i = 0; i < cat->n; i++) {
        cat_node *nd = &cat->node[i];
        if (!nd->parent[0])
            continue;
        int32_t p = strtab_get(&cat->ids, nd->parent, strlen(nd->parent));
        if (p < 0) {
            diag_at(path, 0, "node '%s': unknown parent '%s'", nd->id, nd->parent);
            return EXIT_DATA;
        }
        nd->parent_idx = p;
        cat->node[p].n_children++;
    }
    for (size_t i = 0; i < cat->n; i++) {
        int32_t depth = 0;
        for (int32_t p = cat->node[i].parent_idx; p >= 0; p = cat->node[p].parent_idx) {
            if (++depth > (int32_t)cat->n) {
                diag_at(path, 0, "node '%s': its parent links form a cycle", cat->node[i].id);
                return EXIT_DATA;
            }
        }
        cat->node[i].depth = depth;
    }
    cat->n_targets = 0;
    for (size_t i = 0; i < cat->n; i++) {
        cat_node *nd = &cat->node[i];
        if (nd->n_children == 0) {
            nd->kind = KIND_TARGET;
            cat->n_targets++;
        } else {
            nd->kind = nd->parent_idx < 0 ? KIND_COMPOSITE : KIND_DOMAIN;
        }
    }
    if (cat->n == 0) {
        diag_at(path, 0, "the catalogue is empty");
        return EXIT_DATA;
    }
    return EXIT_OK;
}

static int load_csv(const char *path, FILE *f, catalogue *cat)
{
    csv_reader r;
    if (csv_open(&r, f, CSV_DEFAULT_MAX_RECORD) != 0)
        return EXIT_NOMEM;
    int rc = csv_next(&r);
    if (rc != CSV_OK) {
        diag_at(path, rc == CSV_BAD ? r.rec_line : 0, "%s",
                rc == CSV_BAD ? r.reason : rc == CSV_EOF ? "empty catalogue (no header)"
                                                         : "read error");
        csv_close(&r);
        return rc == CSV_IOERR ? EXIT_IO : EXIT_DATA;
    }
    int col[6] = {-1, -1, -1, -1, -1, -1};
    static const char *names[6] = {"id", "parent", "label", "rule", "weight", "na_allowed"};
    size_t ncols = r.nfields;
    for (size_t k = 0; k < r.nfields; k++)
        for (int c = 0; c < 6; c++)
            if (strcmp(r.field[k], names[c]) == 0)
                col[c] = (int)k;
    if (col[0] < 0 || col[1] < 0) {
        diag_at(path, r.rec_line, "catalogue header must name the columns id and parent "
                                  "(and optionally label, rule, weight, na_allowed)");
        csv_close(&r);
        return EXIT_DATA;
    }
    size_t cap = 0;
    int ret = EXIT_OK;
    strtab_init(&cat->ids);
    while ((rc = csv_next(&r)) != CSV_EOF) {
        if (rc == CSV_IOERR) {
            diag_at(path, 0, "read error");
            ret = EXIT_IO;
            break;
        }
        if (rc == CSV_BAD) {
            diag_at(path, r.rec_line, "%s", r.reason);
            ret = EXIT_DATA;
            break;
        }
        if (r.nfields != ncols) {
            diag_at(path, r.rec_line, "expected %zu fields, got %zu", ncols, r.nfields);
            ret = EXIT_DATA;
            break;
        }
        const char *id = r.field[col[0]];
        if (!id[0]) {
            diag_at(path, r.rec_line, "empty id");
            ret = EXIT_DATA;
            break;
        }
        if (strtab_get(&cat->ids, id, strlen(id)) >= 0) {
            diag_at(path, r.rec_line, "duplicate id '%s'", id);
            ret = EXIT_DATA;
            break;
        }
        cat_node *nd = add_node(cat, &cap);
        nd->id = xstrdup(id);
        nd->parent = xstrdup(r.field[col[1]]);
        nd->label = xstrdup(col[2] >= 0 ? r.field[col[2]] : "");
        nd->rule = xstrdup(col[3] >= 0 ? r.field[col[3]] : "");
        if (col[4] >= 0 && r.field[col[4]][0]) {
            if (parse_double(r.field[col[4]], r.flen[col[4]], &nd->weight) != 0 ||
                nd->weight < 0) {
                diag_at(path, r.rec_line, "weight '%s' is not a number >= 0", r.field[col[4]]);
                ret = EXIT_DATA;
                break;
            }
        }
        if (col[5] >= 0 && r.field[col[5]][0]) {
            const char *v = r.field[col[5]];
            if (!strcmp(v, "1") || !strcmp(v, "yes") || !strcmp(v, "true"))
                nd->na_allowed = 1;
            else if (!strcmp(v, "0") || !strcmp(v, "no") || !strcmp(v, "false"))
                nd->na_allowed = 0;
            else {
                diag_at(path, r.rec_line, "na_allowed '%s' is not 0/1/yes/no/true/false", v);
                ret = EXIT_DATA;
                break;
            }
        }
        strtab_put(&cat->ids, nd->id, strlen(nd->id), (int32_t)(cat->n - 1));
    }
    csv_close(&r);
    if (ret == EXIT_OK)
        ret = link_tree(path, cat);
    return ret;
}

static const char *jstr(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* CASE 1.1 CFPackage: CFItems become nodes (id = humanCodingScheme, else
 * identifier; label = abbreviatedStatement, else fullStatement); each
 * isChildOf association makes its origin a child of its destination (a
 * destination that is not an item, such as the CFDocument, makes a root).
 * Optional extension keys on a CFItem: mlgRule, mlgWeight, mlgNaAllowed. */
static int load_case(const char *path, FILE *f, catalogue *cat)
{
    json_error_t je;
    json_t *root = json_loadf(f, 0, &je);
    if (!root) {
        diag_at(path, je.line, "JSON: %s", je.text);
        return EXIT_DATA;
    }
    json_t *items = json_object_get(root, "CFItems");
    json_t *assocs = json_object_get(root, "CFAssociations");
    if (!json_is_array(items)) {
        diag_at(path, 0, "not a CASE CFPackage: no CFItems array");
        json_decref(root);
        return EXIT_DATA;
    }
    strtab_init(&cat->ids);
    strtab uuid;
    strtab_init(&uuid);
    size_t cap = 0, i;
    json_t *it;
    int ret = EXIT_OK;
    json_array_foreach(items, i, it) {
        const char *ident = jstr(it, "identifier");
        const char *code = jstr(it, "humanCodingScheme");
        const char *label = jstr(it, "abbreviatedStatement");
        if (!label)
            label = jstr(it, "fullStatement");
        if (!ident) {
            diag_at(path, 0, "CFItems[%zu] has no identifier", i);
            ret = EXIT_DATA;
            break;
        }
        const char *id = code && code[0] ? code : ident;
        if (strtab_get(&cat->ids, id, strlen(id)) >= 0 ||
            strtab_get(&uuid, ident, strlen(ident)) >= 0) {
            diag_at(path, 0, "CFItems[%zu]: duplicate id '%s'", i, id);
            ret = EXIT_DATA;
            break;
        }
        cat_node *nd = add_node(cat, &cap);
        nd->id = xstrdup(id);
        nd->parent = xstrdup("");
        nd->label = xstrdup(label ? label : "");
        const char *rule = jstr(it, "mlgRule");
        nd->rule = xstrdup(rule ? rule : "");
        json_t *w = json_object_get(it, "mlgWeight");
        if (json_is_number(w))
            nd->weight = json_number_value(w);
        json_t *na = json_object_get(it, "mlgNaAllowed");
        if (json_is_boolean(na))
            nd->na_allowed = json_is_true(na);
        int32_t idx = (int32_t)(cat->n - 1);
        strtab_put(&cat->ids, nd->id, strlen(nd->id), idx);
        strtab_put(&uuid, ident, strlen(ident), idx);
        if (strcmp(id, ident) != 0 && strtab_get(&cat->ids, ident, strlen(ident)) < 0)
            strtab_put(&cat->ids, ident, strlen(ident), idx); /* alias */
    }
    if (ret == EXIT_OK && json_is_array(assocs)) {
        json_t *a;
        json_array_foreach(assocs, i, a) {
            const char *type = jstr(a, "associationType");
            if (!type || strcmp(type, "isChildOf") != 0)
                continue;
            json_t *o = json_object_get(a, "originNodeURI");
            json_t *d = json_object_get(a, "destinationNodeURI");
            const char *oi = o ? jstr(o, "identifier") : NULL;
            const char *di = d ? jstr(d, "identifier") : NULL;
            if (!oi || !di) {
                diag_at(path, 0, "CFAssociations[%zu]: isChildOf without origin or "
                                 "destination identifier", i);
                ret = EXIT_DATA;
                break;
            }
            int32_t c = strtab_get(&uuid, oi, strlen(oi));
            int32_t p = strtab_get(&uuid, di, strlen(di));
            if (c < 0)
                continue; /* the origin is not an item of this package */
            if (p < 0)
                continue; /* the destination is the document: c is a root */
            if (cat->node[c].parent[0] && strcmp(cat->node[c].parent, cat->node[p].id) != 0) {
                diag_at(path, 0, "item '%s' is a child of both '%s' and '%s'",
                        cat->node[c].id, cat->node[c].parent, cat->node[p].id);
                ret = EXIT_DATA;
                break;
            }
            free(cat->node[c].parent);
            cat->node[c].parent = xstrdup(cat->node[p].id);
        }
    }
    strtab_free(&uuid);
    json_decref(root);
    if (ret == EXIT_OK)
        ret = link_tree(path, cat);
    return ret;
}

int catalogue_load(const char *path, catalogue *cat)
{
    memset(cat, 0, sizeof *cat);
    FILE *f = open_in(path);
    int c = getc(f);
    while (c == ' ' || c == '\n' || c == '\r' || c == '\t')
        c = getc(f);
    if (c != EOF)
        ungetc(c, f);
    int rc;
    size_t len = strlen(path);
    if (c == '{' || (len > 5 && strcmp(path + len - 5, ".json") == 0))
        rc = load_case(path, f, cat);
    else
        rc = load_csv(path, f, cat);
    if (f != stdin)
        fclose(f);
    return rc;
}
