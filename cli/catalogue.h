/* catalogue.h -- learning-target catalogues for the mlg command: a CSV
 * (id,parent,label,rule,weight,na_allowed) or a CASE 1.1 CFPackage JSON. */
#ifndef MLG_CLI_CATALOGUE_H
#define MLG_CLI_CATALOGUE_H

#include <stddef.h>
#include <stdint.h>

#include "strtab.h"

#define KIND_TARGET    0
#define KIND_DOMAIN    1
#define KIND_COMPOSITE 2

typedef struct cat_node {
    char   *id;
    char   *parent;     /* "" for a root */
    char   *label;
    char   *rule;       /* "" = the default rule */
    double  weight;     /* weight among its siblings (default 1) */
    int32_t na_allowed; /* -1 unset (default), 0 or 1 */
    int32_t parent_idx; /* -1 for a root */
    int32_t kind;       /* KIND_* */
    int32_t n_children;
    int32_t depth;
} cat_node;

typedef struct catalogue {
    size_t    n;
    cat_node *node;     /* in file order */
    strtab    ids;      /* id (and CASE identifier aliases) -> node index */
    size_t    n_targets;
} catalogue;

/* catalogue_load(): read a CSV or (when the file starts with '{' or the
 * name ends in .json) a CASE CFPackage.  Prints diagnostics and returns
 * EXIT_OK or an exit code. */
int catalogue_load(const char *path, catalogue *cat);
void catalogue_free(catalogue *cat);
const char *kind_name(int32_t kind);

#endif
