/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mlg_rollup.h -- libmlg roll-ups: learning targets -> domains -> subjects
 * and composites, the bulletin's subject table, and conversion tables.
 *
 * A report card is not one target.  LAUSD Policy Bulletin BUL-2332.7 reports
 * a mark per domain or strand ("Operations and Algebraic Thinking") and an
 * overall composite for ELA and Math, each built from one to five learning
 * targets per domain (Attachment A).  This header builds that layer:
 *
 *  - a catalogue (mlg_catalogue, an opaque handle): nodes with an id, a
 *    label, a kind, a scale, a roll-up rule and an N/A policy, linked
 *    child -> parent with a weight per link.  A node may have several
 *    parents (a DAG: a district report line may group targets from several
 *    code families).  Learning targets are the leaves; their values come
 *    from the caller (usually mlg_batch_compute()).
 *  - roll-up rules (mlg_rollup_rule): child numbers -> node value -> level.
 *  - a district-wide run (mlg_rollup_run()) over many students at once, and
 *    a per-student explanation (mlg_rollup_explain()).
 *  - the bulletin's subject table and a grade-3 progress-report skeleton.
 *  - conversion tables: level/value -> percent, score -> letter.
 *
 * Everything here follows mlg.h's conventions: status codes, optional
 * mlg_errinfo, caller-owned arrays, no global state.  A finalised catalogue
 * is read-only and may be shared between threads; building one (add, link,
 * finalise) belongs to one thread at a time.  docs/rollups.md has worked
 * examples (Zoey's Operations and Algebraic Thinking domain).
 */
#ifndef MLG_ROLLUP_H
#define MLG_ROLLUP_H

#include "mlg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Roll-up rules                                                              */
/* ------------------------------------------------------------------------ */

/* Rule identifiers (pinned).  Names are the strings accepted by
 * mlg_rollup_rule_from_name().  Each rule turns the numbers of the node's
 * children that are not N/A (x_1..x_k, with link weights w_1..w_k) into the
 * node's value and level.  v_0 < v_1 < ... are the values of the node's
 * scale levels (CCS: 1, 2, 3, 4).  "Continuous" rules compute a value and
 * level it with rule.rounding/decimals exactly as mlg_value_to_level() does;
 * "level-choosing" rules pick a level L directly and report value v_L.
 *
 *   mean                 continuous: sum(w x) / sum(w) (weighted mean; all
 *                        weights default to 1).  BUL-2332.7 sec. II.B
 *                        "pivotal" standards get larger link weights.
 *   median               continuous: the middle x; for an even k the mean
 *                        of the two middle ones.  Weights ignored.
 *   mode                 continuous: the most frequent x (exact equality);
 *                        ties by rule.tie: MLG_TIE_HIGHEST (default),
 *                        MLG_TIE_LOWEST, or MLG_TIE_RECENT = the tied number
 *                        of the child linked last.  Weights ignored.
 *   min, max             continuous: the lowest / highest x.  Weights
 *                        ignored.
 *   percent_at_or_above  level-choosing: the highest level L with
 *                        v_L <= rule.level (the cap; NaN = no cap) such that
 *                        the weighted share of children with x >= v_L is at
 *                        least rule.p; level 0 if none.  "Pass if >= 70% of
 *                        the power standards are met" is level 3, p 0.7.
 *   mostly_proficient    level-choosing: the highest level L such that the
 *                        weighted share of children with x >= v_L is at
 *                        least rule.p AND no child is below v_(L-gap)
 *                        (no floor when L - gap < 0); level 0 if none.
 *                        BUL-2332.7 Att. A: Zoey's targets 3,2,3,3 give 3
 *                        with p 0.75, gap 1 ("mostly proficient and doesn't
 *                        have any significant gaps"); 3,3,3,1 gives 2 and
 *                        4,4,4,1 (mean 3.25) gives 2.
 *   all_met              level-choosing: percent_at_or_above with p = 1:
 *                        the highest L <= the cap with every x >= v_L.
 *   capped_median        level-choosing, the default domain rule of the
 *                        policy lausd-bul-2332.7: "the mark is the median
 *                        of the target levels, rounded down when it falls
 *                        between two levels, and never more than `gap`
 *                        levels above the lowest target".  With weighted
 *                        shares s(L) = share of children with x >= v_L:
 *                        lo = the highest L with s(L) > 1/2, hi = the
 *                        highest L with s(L) >= 1/2 (the lower and upper
 *                        median levels), m = floor((lo + hi) / 2), and
 *                        L = min(m, lowest child's level + rule.gap).
 *                        Zoey's 3,2,3,3 gives 3; 3,3,3,1 gives 2; {4,1}
 *                        gives 2.  The node is flagged MLG_NODE_REVIEW
 *                        when the bulletin's own reasoning does not back
 *                        L: the cap lowered the median (a target more
 *                        than gap levels below it), or no more than half
 *                        of the children are at L or above (the median
 *                        falls between levels far apart, as {4,1}).
 *                        docs/rollups.md has the decision table.
 *   band_with_floor      level-choosing: m = weighted mean, L = m's level
 *                        under rule.rounding/decimals; if v_L >= rule.level
 *                        (the guarded level; NaN = the top level) the level
 *                        is kept only when m >= rule.cut AND every
 *                        x >= rule.floor, otherwise it drops to the highest
 *                        level whose value is below rule.level.  "An A (4)
 *                        needs an average of 3.5 and no 1 or 2": level 4,
 *                        cut 3.5, floor 3.
 *
 * Numbers come from rule.source: MLG_SOURCE_VALUE uses each child's
 * continuous value, MLG_SOURCE_LEVEL the value of each child's level on the
 * child's own scale (a child valued 2.9 whose level is "3" counts as 3). */
#define MLG_RULE_MEAN                0  /* "mean" */
#define MLG_RULE_MEDIAN              1  /* "median" */
#define MLG_RULE_MODE                2  /* "mode" (tie) */
#define MLG_RULE_MIN                 3  /* "min" */
#define MLG_RULE_MAX                 4  /* "max" */
#define MLG_RULE_PERCENT_AT_OR_ABOVE 5  /* "percent_at_or_above" (level, p) */
#define MLG_RULE_MOSTLY_PROFICIENT   6  /* "mostly_proficient" (p, gap) */
#define MLG_RULE_ALL_MET             7  /* "all_met" (level) */
#define MLG_RULE_BAND_WITH_FLOOR     8  /* "band_with_floor" (level, cut,
                                           floor) */
#define MLG_RULE_CAPPED_MEDIAN       9  /* "capped_median" (gap) */
#define MLG_RULE_COUNT              10

/* What a rule rolls up (mlg_rollup_rule.source). */
#define MLG_SOURCE_VALUE 0  /* children's continuous values */
#define MLG_SOURCE_LEVEL 1  /* the values of the children's levels */

/* A node's rule and its parameters.  Always start from
 * mlg_rollup_rule_init(): fields a rule does not use are ignored (but still
 * validated).  Defaults are given per field. */
typedef struct mlg_rollup_rule {
    int32_t rule;      /* MLG_RULE_* */
    int32_t source;    /* MLG_SOURCE_*: MLG_SOURCE_VALUE for mean, median,
                          min, max; MLG_SOURCE_LEVEL for mode and the
                          level-choosing rules */
    int32_t gap;       /* mostly_proficient: levels a child may sit below
                          the awarded level; capped_median: levels the
                          mark may sit above the lowest child; >= 0 (1) */
    int32_t tie;       /* mode: MLG_TIE_* (MLG_TIE_HIGHEST) */
    int32_t rounding;  /* MLG_ROUND_*: continuous rules and band_with_floor
                          level their value with it; target nodes level
                          the caller's values with it (MLG_ROUND_HALF_UP) */
    int32_t decimals;  /* -1..9, as mlg_method_params.decimals (6) */
    double  p;         /* share in (0, 1]: percent_at_or_above (0.7),
                          mostly_proficient (0.75); all_met forces 1 */
    double  level;     /* a level's value on the node's scale.
                          percent_at_or_above, all_met: the highest level
                          awarded (cap); band_with_floor: the guarded level.
                          NaN (default) = the scale's top level.  Must not
                          be below the scale's lowest value. */
    double  cut;       /* band_with_floor: mean needed for the guarded level
                          and above (3.5) */
    double  floor;     /* band_with_floor: every child number must be >= this
                          for the guarded level and above (3.0) */
} mlg_rollup_rule;

/* mlg_rollup_rule_init(): set *r to `rule` with every default above.
 * @return MLG_OK; MLG_ENULL; MLG_ENOTFOUND if rule is not MLG_RULE_*.
 * Thread-safe. */
MLG_API int mlg_rollup_rule_init(mlg_rollup_rule *r, int32_t rule);

/* mlg_rollup_rule_validate(): check r's fields: rule known; source, tie,
 * rounding known; gap >= 0; decimals in -1..9; p in (0, 1]; cut and floor
 * finite; level NaN or finite.  Scale-dependent checks (level not below the
 * scale) happen in mlg_catalogue_add().
 * @return MLG_OK; MLG_ENULL; MLG_ENOTFOUND (rule); MLG_EINVAL; MLG_ENAN
 *         (p, cut, floor NaN/infinite, or level infinite). */
MLG_API int mlg_rollup_rule_validate(const mlg_rollup_rule *r);

/* mlg_rollup_rule_from_name(): MLG_RULE_* for a name such as
 * "mostly_proficient" (exact, lower case).
 * @return MLG_OK; MLG_ENULL; MLG_ENOTFOUND. */
MLG_API int mlg_rollup_rule_from_name(const char *name, int32_t *rule);

/* mlg_rollup_rule_name(): the name of MLG_RULE_* `rule`, NULL if unknown. */
MLG_API const char *mlg_rollup_rule_name(int32_t rule);

/* mlg_rollup_rule_set(): set one parameter from text, as the CLI and the
 * bindings do: key is one of "source" (value|level), "gap", "tie"
 * (recent|highest|lowest), "rounding" (half_up|half_even|floor|cuts),
 * "decimals", "p", "level" (a number, or "top" for NaN), "cut", "floor".
 * Numbers are parsed strictly (no trailing text) and range-checked as in
 * mlg_rollup_rule_validate().
 * @return MLG_OK; MLG_ENULL; MLG_ENOTFOUND (key or enum word); MLG_EFORMAT
 *         (not a number); MLG_EINVAL or MLG_ENAN (out of range).  *r is
 *         untouched on error. */
MLG_API int mlg_rollup_rule_set(mlg_rollup_rule *r, const char *key,
                                const char *value);

/* mlg_rollup_rule_parse(): a whole rule from one line of text: a rule name
 * followed by key=value pairs separated by spaces and/or commas, e.g.
 * "mostly_proficient p=0.75 gap=1" or "band_with_floor,level=4,cut=3.5".
 * Starts from mlg_rollup_rule_init() defaults, then applies each pair with
 * mlg_rollup_rule_set().
 * @return MLG_OK; MLG_ENULL; MLG_EEMPTY (blank text); MLG_ENOTFOUND (rule,
 *         key or word); MLG_EFORMAT (a pair without '=' or a bad number);
 *         MLG_EINVAL; MLG_ENAN.  *out is untouched on error; err->row is
 *         the 0-based byte offset of the failing token. */
MLG_API int mlg_rollup_rule_parse(const char *text, mlg_rollup_rule *out,
                                  mlg_errinfo *err);

/* ------------------------------------------------------------------------ */
/* Catalogue                                                                  */
/* ------------------------------------------------------------------------ */

/* Node kinds (pinned); names "target", "domain", "subject", "composite".
 * Only targets take values from the caller; only targets may be leaves that
 * carry data (a domain without children is always N/A). */
#define MLG_NODE_TARGET     0  /* learning target / standard (a leaf) */
#define MLG_NODE_DOMAIN     1  /* domain, strand, discipline, practice */
#define MLG_NODE_SUBJECT    2  /* academic subject */
#define MLG_NODE_COMPOSITE  3  /* overall subject score (ELA, Math) */
#define MLG_NODE_KIND_COUNT 4
/* For mlg_catalogue_add() only: let mlg_catalogue_finalize() choose the
 * kind from the links: a node without children is a target, a node with
 * children and no parent a composite, any other node a domain.  Node
 * queries after finalising report the chosen kind. */
#define MLG_NODE_AUTO       64  /* outside 0..MLG_NODE_KIND_COUNT-1 */

/* Limits on ids and labels (bytes, without the terminating NUL). */
#define MLG_ID_MAX    255
#define MLG_LABEL_MAX 1023

/* An opaque catalogue.  Build: create, add nodes, link, finalise; then it
 * is read-only.  Node indices 0..N-1 follow the order of mlg_catalogue_add()
 * calls; target indices 0..T-1 follow the order in which targets were added
 * and number the columns of mlg_rollup_run()'s input. */
typedef struct mlg_catalogue mlg_catalogue;

/* mlg_catalogue_create(): a new, empty catalogue in *out (*out is set to
 * NULL on error).
 * @return MLG_OK; MLG_ENULL; MLG_ENOMEM. */
MLG_API int mlg_catalogue_create(mlg_catalogue **out);

/* mlg_catalogue_free(): release a catalogue; NULL is a no-op. */
MLG_API void mlg_catalogue_free(mlg_catalogue *cat);

/* mlg_catalogue_add(): add a node (before mlg_catalogue_finalize()).
 * Id aliases.  An id is stored canonically: a leading "CCSS.Math.Content.",
 * "CCSS.Math.Practice." or "CCSS.ELA-Literacy." (matched without regard to
 * case) is removed, so "CCSS.Math.Content.3.OA.A.1" is stored as
 * "3.OA.A.1".  Its short form drops a cluster letter: when the canonical id
 * has at least four '.'-separated parts and the third is one upper-case
 * letter A-Z, that part is removed ("3.OA.A.1" -> "3.OA.1",
 * "3.NF.A.3.a" -> "3.NF.3.a").  Two ids are the same node when their
 * canonical forms are equal, or when one has no cluster letter and equals
 * the other's short form; adding such a second node is MLG_EDUPLICATE.
 * CASE identifiers: a leading "urn:uuid:" (any case) is removed too, and an
 * id that is then a UUID (8-4-4-4-12 hex digits) is stored in lower case
 * (RFC 4122 sec. 3: UUIDs compare without regard to case), so
 * "urn:uuid:9F3C...", "9F3C..." and "9f3c..." name one node.
 * Comparison is otherwise exact and case-sensitive.
 * @param id          1..MLG_ID_MAX bytes, no control characters.
 * @param label       display name (NULL = the id), <= MLG_LABEL_MAX bytes.
 * @param kind        MLG_NODE_*, or MLG_NODE_AUTO (chosen by finalise).
 * @param scale       the node's scale (copied), NULL = CCS 4/3/2/1.
 * @param rule        the node's rule (copied), NULL = mean defaults.  For a
 *                    target only rounding and decimals are used (to level
 *                    the caller's values).
 * @param na_allowed  1 if the node may be reported N/A, 0 if an N/A result
 *                    is a policy violation (MLG_NODE_VIOLATION).
 * @param err         optional detail.
 * @return MLG_OK; MLG_ENULL (cat, id); MLG_EINVAL (catalogue finalised,
 *         empty or overlong id or label, control characters, kind or
 *         na_allowed out of range, rule.level below the scale, bad scale);
 *         MLG_ENOTFOUND / MLG_ENAN (bad rule, see
 *         mlg_rollup_rule_validate()); MLG_EDUPLICATE; MLG_ENOMEM. */
MLG_API int mlg_catalogue_add(mlg_catalogue *cat, const char *id,
                              const char *label, int32_t kind,
                              const mlg_scale *scale,
                              const mlg_rollup_rule *rule, int32_t na_allowed,
                              mlg_errinfo *err);

/* mlg_catalogue_link(): make `child_id` a child of `parent_id` with link
 * weight `weight` (used by mean, band_with_floor and the shares of
 * percent_at_or_above and mostly_proficient).  Ids may use any alias and
 * may name nodes not added yet: they are resolved by
 * mlg_catalogue_finalize().
 * @return MLG_OK; MLG_ENULL; MLG_EINVAL (finalised, or an id that is empty
 *         or longer than MLG_ID_MAX); MLG_ENAN (weight NaN/infinite);
 *         MLG_EWEIGHT (weight <= 0); MLG_ENOMEM. */
MLG_API int mlg_catalogue_link(mlg_catalogue *cat, const char *parent_id,
                               const char *child_id, double weight,
                               mlg_errinfo *err);

/* mlg_catalogue_alias(): give node `id` (any of its names; the node must
 * have been added) the extra name `alias`, e.g. a CASE CFItem's identifier
 * next to its humanCodingScheme code.  Aliases are canonicalised as ids
 * are (prefixes, urn:uuid:, UUID case) and resolve in mlg_catalogue_find(),
 * mlg_catalogue_find_target() and mlg_catalogue_link() after an exact id
 * and before a short form.  Giving a node the same alias twice, or an alias
 * equal to its own id, is a no-op.
 * @return MLG_OK; MLG_ENULL; MLG_EINVAL (finalised; bad alias as for ids);
 *         MLG_ENOTFOUND (no node `id`); MLG_EDUPLICATE (the alias is the
 *         id or alias of another node); MLG_ENOMEM.  An id added after an
 *         alias that equals it is MLG_EDUPLICATE in mlg_catalogue_add(). */
MLG_API int mlg_catalogue_alias(mlg_catalogue *cat, const char *id,
                                const char *alias, mlg_errinfo *err);

/* mlg_catalogue_finalize(): validate and freeze the catalogue: resolve the
 * links, find a topological order, number the targets.  After it, add and
 * link fail with MLG_EINVAL and the query and run functions work.  On error
 * the catalogue stays unfinalised, so the caller may fix it and retry.
 * @return MLG_OK; MLG_ENULL; MLG_EEMPTY (no nodes, or no target after
 *         MLG_NODE_AUTO kinds are chosen);
 *         MLG_ENOTFOUND (a link names an unknown id; err->row = link index,
 *         0-based in link order); MLG_EDUPLICATE (the same parent-child
 *         link twice, or an alias lookup that matches two nodes);
 *         MLG_EINVAL (a target used as a parent; finalised already);
 *         MLG_ECYCLE (parent links form a cycle, including a node linked
 *         to itself; err->group is a node on it, named in err->message);
 *         MLG_ENOMEM. */
MLG_API int mlg_catalogue_finalize(mlg_catalogue *cat, mlg_errinfo *err);

/* Facts about one node (mlg_catalogue_node_info()). */
typedef struct mlg_node_info {
    int32_t kind;          /* MLG_NODE_* */
    int32_t na_allowed;    /* 0 or 1 */
    int64_t target;        /* target index, or -1 if not a target */
    int64_t n_children;    /* links to children */
    int64_t n_parents;     /* links to parents */
    int64_t depth;         /* longest path down to a leaf (targets 0) */
    mlg_rollup_rule rule;  /* the node's rule */
} mlg_node_info;

/* mlg_catalogue_node_count(): N, the number of nodes of a finalised
 * catalogue; 0 if cat is NULL or not finalised. */
MLG_API size_t mlg_catalogue_node_count(const mlg_catalogue *cat);

/* mlg_catalogue_target_count(): T, the number of learning targets (leaves)
 * of a finalised catalogue, the column count of mlg_rollup_run()'s input;
 * 0 if cat is NULL or not finalised. */
MLG_API size_t mlg_catalogue_target_count(const mlg_catalogue *cat);

/* mlg_catalogue_node_id(), mlg_catalogue_node_label(): the canonical id and
 * the label of node `node`, owned by the catalogue (valid until it is
 * freed); NULL if cat is NULL, not finalised or node >= N. */
MLG_API const char *mlg_catalogue_node_id(const mlg_catalogue *cat,
                                          size_t node);
MLG_API const char *mlg_catalogue_node_label(const mlg_catalogue *cat,
                                             size_t node);

/* mlg_catalogue_node_info(): facts about node `node` in *out.
 * @return MLG_OK; MLG_ENULL; MLG_EINVAL (not finalised, node >= N). */
MLG_API int mlg_catalogue_node_info(const mlg_catalogue *cat, size_t node,
                                    mlg_node_info *out);

/* mlg_catalogue_node_scale(): a copy of node `node`'s scale.
 * @return MLG_OK; MLG_ENULL; MLG_EINVAL (not finalised, node >= N). */
MLG_API int mlg_catalogue_node_scale(const mlg_catalogue *cat, size_t node,
                                     mlg_scale *out);

/* mlg_catalogue_node_children(): node `node`'s children in link order:
 * child node indices in child[] and link weights in weight[] (either may be
 * NULL), *n_out = the number of children.  With cap too small nothing is
 * written but *n_out (a size query: pass cap 0).
 * @return MLG_OK; MLG_ENULL (cat, n_out); MLG_EINVAL (not finalised, node
 *         >= N); MLG_ESIZE (cap < number of children). */
MLG_API int mlg_catalogue_node_children(const mlg_catalogue *cat, size_t node,
                                        size_t cap, int64_t *child,
                                        double *weight, size_t *n_out);

/* mlg_catalogue_node_parents(): node `node`'s parents in link order (node
 * indices; a root has none).  Size query and errors as
 * mlg_catalogue_node_children(). */
MLG_API int mlg_catalogue_node_parents(const mlg_catalogue *cat, size_t node,
                                       size_t cap, int64_t *parent,
                                       size_t *n_out);

/* mlg_catalogue_node_alias(): the k-th alias (0-based, in the order of the
 * mlg_catalogue_alias() calls) of node `node`, canonical (a CASE identifier
 * as a bare lower-case UUID), owned by the catalogue; NULL if cat is NULL,
 * not finalised, node >= N or k >= the node's number of aliases.  O(1). */
MLG_API const char *mlg_catalogue_node_alias(const mlg_catalogue *cat,
                                             size_t node, size_t k);

/* mlg_catalogue_node_targets(): the target indices (ascending) of every
 * target at or below node `node` (a target lists itself), for per-subject
 * evidence counts.  Size query and errors as mlg_catalogue_node_children().
 * O(N) time, allocates a visited set. */
MLG_API int mlg_catalogue_node_targets(const mlg_catalogue *cat, size_t node,
                                       size_t cap, int64_t *target,
                                       size_t *n_out);

/* mlg_catalogue_find(): the node index for an id or any of its aliases
 * (see mlg_catalogue_add()): first an exact match of the canonical form,
 * then a match of short forms, which must be unique.
 * @return MLG_OK; MLG_ENULL; MLG_EINVAL (not finalised); MLG_ENOTFOUND;
 *         MLG_EDUPLICATE (the short form matches several nodes, e.g.
 *         "3.OA.1" when both 3.OA.A.1 and 3.OA.B.1 exist).
 * O(length of id) expected time (hash tables). */
MLG_API int mlg_catalogue_find(const mlg_catalogue *cat, const char *id,
                               size_t *node);

/* mlg_catalogue_find_target(): as mlg_catalogue_find(), but the target
 * index; MLG_EINVAL also when the node is not a target. */
MLG_API int mlg_catalogue_find_target(const mlg_catalogue *cat,
                                      const char *id, size_t *target);

/* mlg_catalogue_target_node(): the node index of target `target`.
 * @return MLG_OK; MLG_ENULL; MLG_EINVAL (not finalised, target >= T). */
MLG_API int mlg_catalogue_target_node(const mlg_catalogue *cat, size_t target,
                                      size_t *node);

/* mlg_id_canonical(): write id's canonical form (prefix removed) to buf.
 * @return MLG_OK; MLG_ENULL; MLG_EINVAL (empty or overlong id); MLG_ESIZE
 *         (cap too small: needs strlen(canonical) + 1). */
MLG_API int mlg_id_canonical(const char *id, char *buf, size_t cap);

/* mlg_id_short(): write id's short form (canonical, cluster letter
 * removed; equal to the canonical form when there is none) to buf.
 * @return as mlg_id_canonical(). */
MLG_API int mlg_id_short(const char *id, char *buf, size_t cap);

/* mlg_node_kind_from_name(): the MLG_NODE_* kind named `name` in *kind.
 * @return MLG_OK, MLG_ENULL or MLG_ENOTFOUND. */
MLG_API int mlg_node_kind_from_name(const char *name, int32_t *kind);

/* mlg_node_kind_name(): the name of MLG_NODE_* `kind` (static), or NULL for
 * an unknown kind. */
MLG_API const char *mlg_node_kind_name(int32_t kind);

/* ------------------------------------------------------------------------ */
/* The bulletin's subject table and the grade-3 skeleton                      */
/* ------------------------------------------------------------------------ */

/* BUL-2332.7 sec. II.A, "when N/A can be assigned within an academic
 * subject or content standards domain", as subject codes:
 *   code             N/A  meaning
 *   ela              no   ELA domains / strands
 *   ela_composite    no   ELA composite ("N/A is not an option for the
 *                         English Language Arts and Math composite scores")
 *   math_domain      yes  Mathematics content domains (YES*)
 *   math_practices   yes  Mathematical Practices (YES*)
 *   math_composite   no   Math composite (same note)
 *   science          no
 *   hss              no   History-Social Science
 *   vapa_discipline  yes  one of the 4 arts disciplines (YES**)
 *   vapa             no   the VAPA subject line: ** "students are to
 *                         receive a grade in at least one arts discipline
 *                         in each reporting period"
 *   pe               no   Physical Education
 *   health           no   Health Education
 *   behaviors        no   Behaviors of a College-Prepared and Career-Ready
 *                         Learner
 *   eld              no   ELD
 *   dual_language    no   Dual Language
 * TK report cards allow no N/A at all (sec. II.A); use na_allowed 0 there. */

/* mlg_bulletin_subject_na_allowed(): 1 or 0 in *na_allowed for a code above.
 * @return MLG_OK; MLG_ENULL; MLG_ENOTFOUND. */
MLG_API int mlg_bulletin_subject_na_allowed(const char *code,
                                            int32_t *na_allowed);

/* mlg_bulletin_subject_code(): the i-th code of the table (0-based), NULL
 * past the end. */
MLG_API const char *mlg_bulletin_subject_code(size_t i);

/* mlg_catalogue_add_bulletin_grade3(): add the grade-3 progress report's
 * non-target nodes (ids below; labels from the progress report), linked,
 * with the N/A policy of the table above, so a caller only adds targets
 * and links them to these ids (then finalises):
 *   ELA (composite) <- ELA.RF Foundational Reading Skills, ELA.MM Making
 *     Meaning from Text, ELA.LV Language Conventions/Effective Use of
 *     Vocabulary, ELA.WR Effective Expression Through Writing, ELA.SL
 *     Effective Expression Through Speaking and Listening (Att. A);
 *   MATH (composite) <- 3.OA, 3.NBT, 3.NF, 3.MD, 3.G (domains), MATH.MP
 *     Mathematical Practices;
 *   SCI, HSS, PE, HEALTH (subjects); VAPA (subject) <- VAPA.DANCE,
 *   VAPA.MUSIC, VAPA.THEATRE, VAPA.VISUAL (disciplines); ELD (subject, ELD
 *   4-point scale, sec. III.A); BEHAVIORS (subject, C/S/R scale, II.C).
 * @param domain_rule     rule of domains, disciplines and subjects without
 *                        sub-areas (NULL = capped_median gap 1, the Att. A
 *                        reading; see MLG_RULE_CAPPED_MEDIAN).
 * @param composite_rule  rule of the ELA and MATH composites and the VAPA
 *                        subject (NULL = mean, the sec. II.B "simple
 *                        average").
 * @return as mlg_catalogue_add() (the catalogue may hold some of the nodes
 *         after an error: free it). */
MLG_API int mlg_catalogue_add_bulletin_grade3(mlg_catalogue *cat,
                                              const mlg_rollup_rule *domain_rule,
                                              const mlg_rollup_rule *composite_rule,
                                              mlg_errinfo *err);

/* ------------------------------------------------------------------------ */
/* Running roll-ups                                                           */
/* ------------------------------------------------------------------------ */

/* Per-node flags (bits of mlg_rollup_run()'s node_flags). */
#define MLG_NODE_NA        1  /* N/A, and N/A is allowed here */
#define MLG_NODE_VIOLATION 2  /* N/A where the node's policy forbids it:
                                 value NaN and level MLG_LEVEL_NA as for
                                 N/A, never a silent 0 (BUL-2332.7 II.A) */
#define MLG_NODE_PARTIAL   4  /* the node has a value, but some children
                                 were N/A or violations and were skipped */
#define MLG_NODE_GAP       8  /* a gap or floor condition (mostly_proficient,
                                 capped_median, band_with_floor) held the
                                 level below what the share, median or mean
                                 alone would give */
#define MLG_NODE_BELOW_VIOLATION 16 /* some descendant is a violation */
#define MLG_NODE_REVIEW    32  /* capped_median: the mark is a suggestion
                                  that needs the teacher's professional
                                  judgement (targets far apart, or a target
                                  more than `gap` levels below the median;
                                  BUL-2332.7 Att. A) */

/* mlg_rollup_run(): roll up every student's target values through the
 * catalogue.  A target node's value is copied from the input and levelled
 * with its scale and rule.rounding/decimals; every other node is computed
 * from its children in topological order.  A child that is N/A (or a
 * violation) is skipped; a node with no child left is N/A: flag
 * MLG_NODE_NA where N/A is allowed, MLG_NODE_VIOLATION otherwise (the run
 * goes on).  Results are identical for every thread count.
 * @param cat           a finalised catalogue.
 * @param n_students    rows (0 is allowed and does nothing).
 * @param target_value  n_students x T values, row-major (student s, target
 *                      t at s*T + t); NaN = N/A (not assessed).  Other
 *                      values must lie in the target's scale range.
 * @param threads       worker threads; 0 = all online cores; 1 = the
 *                      caller's thread.
 * @param node_value    n_students x N outputs (NaN for N/A); required.
 * @param node_level    n_students x N levels or MLG_LEVEL_NA; may be NULL.
 * @param node_flags    n_students x N MLG_NODE_* bit sets; may be NULL.
 * @param err           optional; on a data error group = the first failing
 *                      student (lowest index), row = its target index.
 * @return MLG_OK; MLG_ENULL; MLG_EINVAL (not finalised, threads < 0);
 *         MLG_EOVERFLOW (n_students x N does not fit size_t); MLG_ENAN (an
 *         infinite target value); MLG_ESCALE (outside the target's scale);
 *         MLG_ENOMEM.  On argument errors outputs are untouched; on a data
 *         error other students' rows may have been written and the failing
 *         student's row is NaN / MLG_LEVEL_NA / 0.
 * Thread-safe.  O(n_students x (N + links)) time; allocates per-thread
 * scratch once, never per student. */
MLG_API int mlg_rollup_run(const mlg_catalogue *cat, size_t n_students,
                           const double *target_value, int32_t threads,
                           double *node_value, int32_t *node_level,
                           int32_t *node_flags, mlg_errinfo *err);

/* Why the next higher level was refused (mlg_rollup_step.reason). */
#define MLG_REFUSE_NONE   0  /* nothing refused: top level, or N/A */
#define MLG_REFUSE_VALUE  1  /* continuous rule: the value levels lower */
#define MLG_REFUSE_SHARE  2  /* too small a share of children at or above */
#define MLG_REFUSE_GAP    3  /* mostly_proficient, capped_median: a child
                                below L + 1 - gap */
#define MLG_REFUSE_CAP    4  /* percent_at_or_above/all_met: above the cap */
#define MLG_REFUSE_CUT    5  /* band_with_floor: mean below the cut */
#define MLG_REFUSE_FLOOR  6  /* band_with_floor: a child below the floor */

/* One node's roll-up step for one student (mlg_rollup_explain()). */
#define MLG_EXPLAIN_MESSAGE_SIZE 128
typedef struct mlg_rollup_step {
    int64_t node;           /* node index */
    int32_t rule;           /* MLG_RULE_* (the node's) */
    int32_t source;         /* MLG_SOURCE_* */
    double  value;          /* node value, NaN if N/A */
    int32_t level;          /* node level or MLG_LEVEL_NA */
    int32_t flags;          /* MLG_NODE_* */
    int32_t reason;         /* MLG_REFUSE_* for level + 1 */
    int32_t refused_level;  /* level + 1 when reason != NONE, else -1 */
    int64_t n_children;     /* links */
    int64_t n_used;         /* children that entered the rule */
    double  statistic;      /* the rule's key number: the mean for mean and
                               band_with_floor, the share at refused_level
                               for the share rules, else the value; NaN if
                               N/A */
    char    message[MLG_EXPLAIN_MESSAGE_SIZE]; /* e.g. "lowest child 1 is
                               below 3-1"; "" when nothing was refused */
} mlg_rollup_step;

/* One child's part in a step. */
typedef struct mlg_rollup_child {
    int64_t node;      /* child node index */
    double  weight;    /* link weight */
    double  value;     /* child's value, NaN if N/A */
    double  number;    /* what the rule used (value or level value), NaN if
                          skipped */
    int32_t level;     /* child's level or MLG_LEVEL_NA */
    int32_t flags;     /* child's MLG_NODE_* flags */
    int32_t used;      /* 1 if it entered the rule, 0 if skipped as N/A */
    int32_t blocking;  /* 1 if it caused the refusal (below the gap floor,
                          below the band floor, or below refused_level for
                          the share rules) */
} mlg_rollup_child;

/* mlg_rollup_explain(): how node `node` got its mark for one student: the
 * rule, each child's value/level and whether it counted, the result and why
 * the next level was refused.  Trace further down with this function on the
 * children, and at the targets with mlg_series_explain() on the evidence.
 * @param target_value  the student's T target values (one row of
 *                      mlg_rollup_run()'s input).
 * @param node          node index (< N).
 * @param step          receives the step.
 * @param children      cap entries (in link order); may be NULL if cap 0.
 * @param cap           >= the node's number of children (see
 *                      mlg_node_info.n_children).
 * @return MLG_OK; MLG_ENULL; MLG_EINVAL (not finalised, node >= N);
 *         MLG_ESIZE (cap too small); MLG_ENAN, MLG_ESCALE (as
 *         mlg_rollup_run()); MLG_ENOMEM.  Outputs untouched on error.
 * Thread-safe; allocates O(N) scratch per call. */
MLG_API int mlg_rollup_explain(const mlg_catalogue *cat,
                               const double *target_value, size_t node,
                               mlg_rollup_step *step,
                               mlg_rollup_child *children, size_t cap,
                               mlg_errinfo *err);

/* mlg_rollup_refuse_name(): "none", "value", "share", "gap", "cap", "cut",
 * "floor" for MLG_REFUSE_*; NULL if unknown. */
MLG_API const char *mlg_rollup_refuse_name(int32_t reason);

/* ------------------------------------------------------------------------ */
/* Conversion tables                                                          */
/* ------------------------------------------------------------------------ */

#define MLG_TABLE_MAX_ENTRIES 32

/* Level/value -> percent, for systems that take only percentages.  Entry i
 * maps value[i] (strictly ascending) to percent[i].  A value looks up the
 * highest entry with value[i] <= the value, after rounding the value to
 * `decimals` (as mlg_method_params.decimals, default 6) so that a computed
 * 3.4999999999 reads as 3.5.  Values below value[0] are outside the table
 * (MLG_ESCALE); values above the last entry get the last percent. */
typedef struct mlg_percent_table {
    int32_t n;                               /* 1..MLG_TABLE_MAX_ENTRIES */
    int32_t decimals;                        /* -1..9 (6) */
    double  value[MLG_TABLE_MAX_ENTRIES];    /* strictly ascending */
    double  percent[MLG_TABLE_MAX_ENTRIES];  /* finite */
} mlg_percent_table;

/* mlg_percent_table_init(): a table of n (value, percent) pairs, decimals 6.
 * @return MLG_OK; MLG_ENULL; MLG_EINVAL (n 0 or above the maximum, values
 *         not strictly ascending); MLG_ENAN (a non-finite entry).  *out is
 *         untouched on error. */
MLG_API int mlg_percent_table_init(mlg_percent_table *out, size_t n,
                                   const double *value,
                                   const double *percent);

/* mlg_percent_table_builtin(): "common": 1 -> 60, 1.5 -> 65, 2 -> 70,
 * 2.5 -> 80, 3 -> 90, 3.5 -> 95, 4 -> 100 (the district table quoted in
 * methods-in-the-field.md for percentage-only report cards).
 * @return MLG_OK; MLG_ENULL; MLG_ENOTFOUND. */
MLG_API int mlg_percent_table_builtin(const char *name,
                                      mlg_percent_table *out);

/* mlg_percent_table_validate(): n in range, decimals -1..9, finite entries,
 * strictly ascending values.  @return MLG_OK; MLG_ENULL; MLG_EINVAL;
 * MLG_ENAN. */
MLG_API int mlg_percent_table_validate(const mlg_percent_table *t);

/* mlg_percent_lookup(): the percent for `value` (see mlg_percent_table).
 * @return MLG_OK; MLG_ENULL; MLG_ENAN (value not finite); MLG_ESCALE (below
 *         the first entry); MLG_EINVAL (invalid table).  *percent is
 *         untouched on error. */
MLG_API int mlg_percent_lookup(const mlg_percent_table *t, double value,
                               double *percent);

/* Score bands -> letters.  Band i covers scores from min[i] (strictly
 * ascending) up to min[i+1]; the last band is open above.  A score gets the
 * band of the highest min[i] <= the score (after rounding to decimals);
 * below min[0] is MLG_ESCALE. */
typedef struct mlg_letter_table {
    int32_t n;                                        /* 1..MAX */
    int32_t decimals;                                 /* -1..9 (6) */
    double  min[MLG_TABLE_MAX_ENTRIES];               /* strictly ascending */
    char    letter[MLG_TABLE_MAX_ENTRIES][MLG_LABEL_SIZE]; /* non-empty */
} mlg_letter_table;

/* mlg_letter_table_init(): a table of n bands (min[i], letters[i]),
 * decimals 6.  Letters are copied (1..MLG_LABEL_SIZE-1 bytes).
 * @return MLG_OK; MLG_ENULL (also a NULL letter); MLG_EINVAL (n, order,
 *         empty or overlong letter); MLG_ENAN.  *out untouched on error. */
MLG_API int mlg_letter_table_init(mlg_letter_table *out, size_t n,
                                  const double *min,
                                  const char *const *letters);

/* mlg_letter_table_builtin(): "percent_af": F from 0, D from 60, C from 70,
 * B from 80, A from 90 (the conventional percentage bands).
 * @return MLG_OK; MLG_ENULL; MLG_ENOTFOUND. */
MLG_API int mlg_letter_table_builtin(const char *name, mlg_letter_table *out);

/* mlg_letter_table_validate(): as mlg_percent_table_validate(), plus each
 * letter non-empty and NUL-terminated.  @return MLG_OK; MLG_ENULL;
 * MLG_EINVAL; MLG_ENAN. */
MLG_API int mlg_letter_table_validate(const mlg_letter_table *t);

/* mlg_letter_lookup(): the band index for `score` in *band (the letter is
 * t->letter[*band]).
 * @return MLG_OK; MLG_ENULL; MLG_ENAN; MLG_ESCALE (below min[0]);
 *         MLG_EINVAL (invalid table).  *band untouched on error. */
MLG_API int mlg_letter_lookup(const mlg_letter_table *t, double score,
                              int32_t *band);

/* mlg_node_flag_name(): the word for one MLG_NODE_* flag bit, as the mlg
 * command writes it: "na", "na_not_allowed" (MLG_NODE_VIOLATION), "partial",
 * "gap", "below_na_not_allowed" (MLG_NODE_BELOW_VIOLATION), "review"
 * (MLG_NODE_REVIEW); NULL for 0, an
 * unknown bit or a combination of bits. */
MLG_API const char *mlg_node_flag_name(int32_t flag);

#ifdef __cplusplus
}
#endif

#endif /* MLG_ROLLUP_H */
