/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rollup_internal.h -- the catalogue's private layout, shared by
 * catalogue.c (building, queries) and rollup.c (running, explaining).
 * Never installed. */
#ifndef MLG_ROLLUP_INTERNAL_H
#define MLG_ROLLUP_INTERNAL_H

#include "mlg_internal.h"
#include "mlg_rollup.h"

typedef struct mlg__cnode {
    char *id;        /* canonical id; id, short id and label share one block */
    char *sid;       /* short form (== id when there is no cluster letter) */
    char *label;
    int32_t kind;
    int32_t auto_kind; /* added as MLG_NODE_AUTO: kind set by finalise */
    int32_t na_allowed;
    int64_t target;  /* target index or -1 (set by finalise) */
    int64_t n_parents;
    int64_t depth;
    mlg_scale scale;
    mlg_rollup_rule rule;
} mlg__cnode;

/* What the run reads per node, packed (about 330 bytes instead of the
 * 1.4 kB of an mlg__cnode with its full scale), so a student's pass over
 * the catalogue stays in the L1/L2 cache. */
typedef struct mlg__fast {
    mlg_rollup_rule rule;
    int32_t n_levels;
    int32_t na_allowed;
    double score_min, score_max;
    double value[MLG_SCALE_MAX_LEVELS];
    double cut[MLG_SCALE_MAX_LEVELS];
} mlg__fast;

typedef struct mlg__plink {
    char *parent;    /* as given; resolved by finalise */
    char *child;
    double weight;
} mlg__plink;

struct mlg_catalogue {
    int32_t finalised;
    size_t n_nodes, cap_nodes;
    mlg__cnode *nodes;
    size_t n_links, cap_links;
    mlg__plink *links;
    /* Hash on the short form: slot -> node index or -1 (open addressing,
     * linear probing, size a power of two, load <= 1/2). */
    size_t hcap;
    int64_t *hslot;
    /* Extra names (mlg_catalogue_alias()): canonical alias -> node, in a
     * table of the same kind hashed on the alias itself. */
    size_t n_alias, cap_alias, acap;
    char **alias_key;
    int64_t *alias_node;
    int64_t *aslot;
    /* Set by finalise. */
    size_t n_targets;
    int64_t *target_node;  /* T: target -> node */
    int64_t *child_off;    /* N + 1: CSR offsets into child_idx/child_w */
    int64_t *child_idx;    /* links: child node, in link order per parent */
    double *child_w;       /* links: weight */
    int64_t *order;        /* N: topological order, children first */
    int64_t *par_off;      /* N + 1: CSR offsets into par_idx */
    int64_t *par_idx;      /* links: parent node, in link order per child */
    int64_t *alias_off;    /* N + 1: CSR offsets into alias_by_node */
    int64_t *alias_by_node; /* aliases (indices into alias_key) by node */
    size_t max_children;   /* largest number of children of one node */
    mlg__fast *fast;       /* N: packed copies of scale and rule */
};

#endif
