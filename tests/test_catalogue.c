/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_catalogue.c -- building and querying catalogues, id aliases, the
 * bulletin's subject table and grade-3 skeleton, rule parameters from text
 * (include/mlg_rollup.h). */
#include "mlg.h"
#include "mlg_rollup.h"
#include "mlg_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static mlg_catalogue *new_cat(void)
{
    mlg_catalogue *c = NULL;
    assert_int_equal(mlg_catalogue_create(&c), MLG_OK);
    assert_non_null(c);
    return c;
}

static void add(mlg_catalogue *c, const char *id, int32_t kind)
{
    assert_int_equal(mlg_catalogue_add(c, id, NULL, kind, NULL, NULL, 1, NULL),
                     MLG_OK);
}

static void link_(mlg_catalogue *c, const char *p, const char *ch)
{
    assert_int_equal(mlg_catalogue_link(c, p, ch, 1.0, NULL), MLG_OK);
}

/* ------------------------------------------------------------------ ids */

/* mlg_rollup.h, mlg_catalogue_add(): the prefix is removed, the short
 * form drops a one-letter cluster as the third of >= 4 parts. */
static void test_id_forms(void **state)
{
    (void)state;
    static const struct {
        const char *id, *canonical, *shortform;
    } cases[] = {
        {"3.OA.A.1", "3.OA.A.1", "3.OA.1"},
        {"3.OA.1", "3.OA.1", "3.OA.1"},
        {"CCSS.Math.Content.3.OA.A.1", "3.OA.A.1", "3.OA.1"},
        {"ccss.math.content.3.OA.A.1", "3.OA.A.1", "3.OA.1"},
        {"CCSS.Math.Content.3.NF.A.3.a", "3.NF.A.3.a", "3.NF.3.a"},
        {"CCSS.ELA-Literacy.RL.3.1", "RL.3.1", "RL.3.1"},
        {"CCSS.ELA-Literacy.L.3.1.a", "L.3.1.a", "L.3.1.a"},
        {"CCSS.Math.Practice.MP1", "MP1", "MP1"},
        {"K.CC.A.1", "K.CC.A.1", "K.CC.1"},
        /* lower-case or two-letter third part is not a cluster */
        {"3.OA.a.1", "3.OA.a.1", "3.OA.a.1"},
        {"3.OA.AB.1", "3.OA.AB.1", "3.OA.AB.1"},
        {"3.OA.A", "3.OA.A", "3.OA.A"},
        {"HSA-SSE.A.1", "HSA-SSE.A.1", "HSA-SSE.A.1"},
        {"ELA", "ELA", "ELA"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[64];
        assert_int_equal(mlg_id_canonical(cases[i].id, buf, sizeof buf),
                         MLG_OK);
        assert_string_equal(buf, cases[i].canonical);
        assert_int_equal(mlg_id_short(cases[i].id, buf, sizeof buf), MLG_OK);
        assert_string_equal(buf, cases[i].shortform);
    }
    char small[4];
    memcpy(small, "xyz", 4);
    assert_int_equal(mlg_id_canonical("3.OA.A.1", small, sizeof small),
                     MLG_ESIZE);
    assert_int_equal(mlg_id_short("3.OA.A.1", small, sizeof small), MLG_ESIZE);
    assert_string_equal(small, "xyz");
    char ok[7];
    assert_int_equal(mlg_id_short("3.OA.A.1", ok, sizeof ok), MLG_OK);
    assert_int_equal(mlg_id_canonical(NULL, ok, 7), MLG_ENULL);
    assert_int_equal(mlg_id_canonical("x", NULL, 7), MLG_ENULL);
    assert_int_equal(mlg_id_short(NULL, ok, 7), MLG_ENULL);
    assert_int_equal(mlg_id_short("x", NULL, 7), MLG_ENULL);
    assert_int_equal(mlg_id_canonical("", ok, 7), MLG_EINVAL);
    assert_int_equal(mlg_id_short("", ok, 7), MLG_EINVAL);
    /* nothing left after the prefix */
    assert_int_equal(mlg_id_canonical("CCSS.Math.Content.", ok, 7),
                     MLG_EINVAL);
    assert_int_equal(mlg_id_canonical("a\tb", ok, 7), MLG_EINVAL);
    char longid[MLG_ID_MAX + 2];
    memset(longid, 'x', sizeof longid - 1);
    longid[sizeof longid - 1] = '\0';
    assert_int_equal(mlg_id_canonical(longid, ok, 7), MLG_EINVAL);
}

/* The three spellings of the issue resolve to one node, whichever was
 * added; the target index comes back for each. */
static void test_aliases_resolve(void **state)
{
    (void)state;
    static const char *const stored[] = {"3.OA.A.1", "3.OA.1",
                                         "CCSS.Math.Content.3.OA.A.1"};
    static const char *const query[] = {"3.OA.A.1", "3.OA.1",
                                        "CCSS.Math.Content.3.OA.A.1",
                                        "CCSS.MATH.CONTENT.3.OA.A.1"};
    for (size_t i = 0; i < 3; i++) {
        mlg_catalogue *c = new_cat();
        add(c, "D", MLG_NODE_DOMAIN);
        add(c, "other", MLG_NODE_TARGET);
        add(c, stored[i], MLG_NODE_TARGET);
        link_(c, "D", "other");
        /* the link may use another alias than the node */
        link_(c, "D", query[(i + 1) % 4]);
        assert_int_equal(mlg_catalogue_finalize(c, NULL), MLG_OK);
        for (size_t j = 0; j < 4; j++) {
            size_t node = 99, t = 99;
            assert_int_equal(mlg_catalogue_find(c, query[j], &node), MLG_OK);
            assert_int_equal(node, 2);
            assert_int_equal(mlg_catalogue_find_target(c, query[j], &t),
                             MLG_OK);
            assert_int_equal(t, 1);
        }
        size_t node = 99;
        assert_int_equal(mlg_catalogue_find(c, "3.OA.B.1", &node),
                         i == 1 ? MLG_OK : MLG_ENOTFOUND);
        assert_int_equal(mlg_catalogue_find(c, "3.OA.2", &node),
                         MLG_ENOTFOUND);
        assert_int_equal(mlg_catalogue_find(c, "", &node), MLG_ENOTFOUND);
        mlg_catalogue_free(c);
    }
}

/* Two long forms differing only in the cluster are distinct nodes; the
 * short form is then ambiguous (MLG_EDUPLICATE), a link through it fails
 * to finalise, and a short form added after them is a duplicate. */
static void test_aliases_ambiguous(void **state)
{
    (void)state;
    mlg_catalogue *c = new_cat();
    add(c, "D", MLG_NODE_DOMAIN);
    add(c, "9.XX.A.1", MLG_NODE_TARGET);
    add(c, "9.XX.B.1", MLG_NODE_TARGET);
    mlg_errinfo e;
    assert_int_equal(mlg_catalogue_add(c, "9.XX.1", NULL, MLG_NODE_TARGET,
                                       NULL, NULL, 1, &e),
                     MLG_EDUPLICATE);
    assert_int_equal(e.status, MLG_EDUPLICATE);
    link_(c, "D", "9.XX.A.1");
    link_(c, "D", "9.XX.1");
    assert_int_equal(mlg_catalogue_finalize(c, &e), MLG_EDUPLICATE);
    assert_int_equal(e.row, 1);
    assert_true(strstr(e.message, "ambiguous child") != NULL);
    mlg_catalogue_free(c);

    c = new_cat();
    add(c, "D", MLG_NODE_DOMAIN);
    add(c, "9.XX.A.1", MLG_NODE_TARGET);
    add(c, "9.XX.B.1", MLG_NODE_TARGET);
    link_(c, "D", "9.XX.A.1");
    link_(c, "D", "9.XX.B.1");
    assert_int_equal(mlg_catalogue_finalize(c, NULL), MLG_OK);
    size_t node = 99;
    assert_int_equal(mlg_catalogue_find(c, "9.XX.1", &node), MLG_EDUPLICATE);
    assert_int_equal(node, 99);
    assert_int_equal(mlg_catalogue_find(c, "9.XX.B.1", &node), MLG_OK);
    assert_int_equal(node, 2);
    mlg_catalogue_free(c);

    /* The same through an ambiguous parent id. */
    c = new_cat();
    add(c, "9.XX.A.1", MLG_NODE_DOMAIN);
    add(c, "9.XX.B.1", MLG_NODE_DOMAIN);
    add(c, "t", MLG_NODE_TARGET);
    link_(c, "9.XX.1", "t");
    assert_int_equal(mlg_catalogue_finalize(c, &e), MLG_EDUPLICATE);
    assert_true(strstr(e.message, "ambiguous parent") != NULL);
    mlg_catalogue_free(c);
}

/* Duplicates at add: same canonical id, a prefix alias, a short/long
 * pair in either order. */
static void test_duplicate_ids(void **state)
{
    (void)state;
    static const struct {
        const char *first, *second;
    } cases[] = {
        {"3.OA.A.1", "3.OA.A.1"},
        {"3.OA.A.1", "CCSS.Math.Content.3.OA.A.1"},
        {"3.OA.A.1", "3.OA.1"},
        {"3.OA.1", "3.OA.A.1"},
        {"ELA", "ELA"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mlg_catalogue *c = new_cat();
        add(c, cases[i].first, MLG_NODE_TARGET);
        mlg_errinfo e;
        assert_int_equal(mlg_catalogue_add(c, cases[i].second, NULL,
                                           MLG_NODE_TARGET, NULL, NULL, 1, &e),
                         MLG_EDUPLICATE);
        assert_int_equal(e.group, 0);
        /* ids are case-sensitive beyond the prefix */
        add(c, "ela", MLG_NODE_DOMAIN);
        mlg_catalogue_free(c);
    }
}

/* ------------------------------------------------------------- finalise */

static void test_finalize_errors(void **state)
{
    (void)state;
    mlg_errinfo e;
    /* empty */
    mlg_catalogue *c = new_cat();
    assert_int_equal(mlg_catalogue_finalize(c, &e), MLG_EEMPTY);
    assert_int_equal(e.status, MLG_EEMPTY);
    /* no target */
    add(c, "D", MLG_NODE_DOMAIN);
    assert_int_equal(mlg_catalogue_finalize(c, &e), MLG_EEMPTY);
    mlg_catalogue_free(c);

    /* unknown parent and unknown child, with the link index */
    c = new_cat();
    add(c, "D", MLG_NODE_DOMAIN);
    add(c, "t", MLG_NODE_TARGET);
    link_(c, "D", "t");
    link_(c, "NOPE", "t");
    assert_int_equal(mlg_catalogue_finalize(c, &e), MLG_ENOTFOUND);
    assert_int_equal(e.row, 1);
    assert_true(strstr(e.message, "unknown parent id NOPE") != NULL);
    /* still unfinalised: queries refuse, fixing is possible */
    assert_int_equal(mlg_catalogue_node_count(c), 0);
    add(c, "NOPE", MLG_NODE_SUBJECT);
    assert_int_equal(mlg_catalogue_finalize(c, &e), MLG_OK);
    assert_int_equal(mlg_catalogue_node_count(c), 3);
    mlg_catalogue_free(c);

    c = new_cat();
    add(c, "D", MLG_NODE_DOMAIN);
    add(c, "t", MLG_NODE_TARGET);
    link_(c, "D", "t2");
    assert_int_equal(mlg_catalogue_finalize(c, &e), MLG_ENOTFOUND);
    assert_true(strstr(e.message, "unknown child id t2") != NULL);
    assert_int_equal(e.row, 0);
    mlg_catalogue_free(c);

    /* a target as a parent */
    c = new_cat();
    add(c, "t", MLG_NODE_TARGET);
    add(c, "u", MLG_NODE_TARGET);
    link_(c, "t", "u");
    assert_int_equal(mlg_catalogue_finalize(c, &e), MLG_EINVAL);
    assert_int_equal(e.group, 0);
    mlg_catalogue_free(c);

    /* a link to itself */
    c = new_cat();
    add(c, "D", MLG_NODE_DOMAIN);
    add(c, "t", MLG_NODE_TARGET);
    link_(c, "D", "D");
    assert_int_equal(mlg_catalogue_finalize(c, &e), MLG_ECYCLE);
    mlg_catalogue_free(c);

    /* the same link twice (also through an alias) */
    c = new_cat();
    add(c, "D", MLG_NODE_DOMAIN);
    add(c, "3.OA.A.1", MLG_NODE_TARGET);
    link_(c, "D", "3.OA.A.1");
    link_(c, "D", "3.OA.1");
    assert_int_equal(mlg_catalogue_finalize(c, &e), MLG_EDUPLICATE);
    assert_int_equal(e.group, 0);
    mlg_catalogue_free(c);

    /* a cycle D -> E -> F -> D above a target; a node on it is named */
    c = new_cat();
    add(c, "top", MLG_NODE_COMPOSITE);
    add(c, "D", MLG_NODE_DOMAIN);
    add(c, "E", MLG_NODE_DOMAIN);
    add(c, "F", MLG_NODE_DOMAIN);
    add(c, "t", MLG_NODE_TARGET);
    link_(c, "top", "D");
    link_(c, "D", "E");
    link_(c, "E", "F");
    link_(c, "F", "D");
    link_(c, "F", "t");
    assert_int_equal(mlg_catalogue_finalize(c, &e), MLG_ECYCLE);
    assert_true(e.group >= 1 && e.group <= 3);
    assert_true(strstr(e.message, "cycle through") != NULL);
    mlg_catalogue_free(c);

    /* finalise twice; add and link after finalising */
    c = new_cat();
    add(c, "t", MLG_NODE_TARGET);
    assert_int_equal(mlg_catalogue_finalize(c, &e), MLG_OK);
    assert_int_equal(mlg_catalogue_finalize(c, &e), MLG_EINVAL);
    assert_int_equal(mlg_catalogue_add(c, "u", NULL, MLG_NODE_TARGET, NULL,
                                       NULL, 1, &e),
                     MLG_EINVAL);
    assert_int_equal(mlg_catalogue_link(c, "t", "u", 1, &e), MLG_EINVAL);
    mlg_catalogue_free(c);

    assert_int_equal(mlg_catalogue_finalize(NULL, &e), MLG_ENULL);
}

/* Ensure mlg_catalogue_add() and _link() reject each bad argument. */
static void test_add_link_errors(void **state)
{
    (void)state;
    mlg_catalogue *c = new_cat();
    mlg_errinfo e;
    mlg_rollup_rule r;
    mlg_rollup_rule_init(&r, MLG_RULE_MEAN);
    mlg_scale bad;
    mlg_scale_builtin(MLG_SCALE_CCS4, &bad);
    bad.n_levels = 0;
    char longid[MLG_ID_MAX + 2], longlabel[MLG_LABEL_MAX + 2];
    memset(longid, 'x', sizeof longid - 1);
    longid[sizeof longid - 1] = '\0';
    memset(longlabel, 'y', sizeof longlabel - 1);
    longlabel[sizeof longlabel - 1] = '\0';

    assert_int_equal(mlg_catalogue_add(NULL, "a", NULL, 0, NULL, NULL, 1, &e),
                     MLG_ENULL);
    assert_int_equal(mlg_catalogue_add(c, NULL, NULL, 0, NULL, NULL, 1, &e),
                     MLG_ENULL);
    assert_int_equal(mlg_catalogue_add(c, "", NULL, 0, NULL, NULL, 1, &e),
                     MLG_EINVAL);
    assert_int_equal(mlg_catalogue_add(c, longid, NULL, 0, NULL, NULL, 1, &e),
                     MLG_EINVAL);
    assert_int_equal(mlg_catalogue_add(c, "a\nb", NULL, 0, NULL, NULL, 1, &e),
                     MLG_EINVAL);
    assert_int_equal(mlg_catalogue_add(c, "a", longlabel, 0, NULL, NULL, 1,
                                       &e),
                     MLG_EINVAL);
    assert_int_equal(mlg_catalogue_add(c, "a", NULL, -1, NULL, NULL, 1, &e),
                     MLG_EINVAL);
    assert_int_equal(mlg_catalogue_add(c, "a", NULL, MLG_NODE_KIND_COUNT, NULL,
                                       NULL, 1, &e),
                     MLG_EINVAL);
    assert_int_equal(mlg_catalogue_add(c, "a", NULL, 0, NULL, NULL, 2, &e),
                     MLG_EINVAL);
    assert_int_equal(mlg_catalogue_add(c, "a", NULL, 0, &bad, NULL, 1, &e),
                     MLG_EINVAL);
    r.p = 0.0;
    assert_int_equal(mlg_catalogue_add(c, "a", NULL, 0, NULL, &r, 1, &e),
                     MLG_EINVAL);
    r.p = NAN;
    assert_int_equal(mlg_catalogue_add(c, "a", NULL, 0, NULL, &r, 1, &e),
                     MLG_ENAN);
    mlg_rollup_rule_init(&r, MLG_RULE_ALL_MET);
    r.level = 0.5; /* below the CCS scale's lowest value 1 */
    assert_int_equal(mlg_catalogue_add(c, "a", NULL, 0, NULL, &r, 1, &e),
                     MLG_EINVAL);
    assert_true(strstr(e.message, "below the scale") != NULL);
    r.level = 1.0;
    assert_int_equal(mlg_catalogue_add(c, "a", NULL, 1, NULL, &r, 1, &e),
                     MLG_OK);

    assert_int_equal(mlg_catalogue_link(NULL, "a", "b", 1, &e), MLG_ENULL);
    assert_int_equal(mlg_catalogue_link(c, NULL, "b", 1, &e), MLG_ENULL);
    assert_int_equal(mlg_catalogue_link(c, "a", NULL, 1, &e), MLG_ENULL);
    assert_int_equal(mlg_catalogue_link(c, "", "b", 1, &e), MLG_EINVAL);
    assert_int_equal(mlg_catalogue_link(c, "a", longid, 1, &e), MLG_EINVAL);
    assert_int_equal(mlg_catalogue_link(c, "a", "b", NAN, &e), MLG_ENAN);
    assert_int_equal(mlg_catalogue_link(c, "a", "b", INFINITY, &e), MLG_ENAN);
    assert_int_equal(mlg_catalogue_link(c, "a", "b", 0.0, &e), MLG_EWEIGHT);
    assert_int_equal(mlg_catalogue_link(c, "a", "b", -1.0, &e), MLG_EWEIGHT);
    assert_int_equal(e.status, MLG_EWEIGHT);
    mlg_catalogue_free(c);

    assert_int_equal(mlg_catalogue_create(NULL), MLG_ENULL);
    mlg_catalogue_free(NULL);
}

/* ---------------------------------------------------------------- queries */

/* S (subject) <- A, B; A <- t1, t2; B <- t2 (shared), t3; plus a childless
 * domain E. */
static mlg_catalogue *small(void)
{
    mlg_catalogue *c = new_cat();
    mlg_scale beh;
    mlg_scale_builtin(MLG_SCALE_BEHAVIOR, &beh);
    mlg_rollup_rule r;
    mlg_rollup_rule_init(&r, MLG_RULE_MOSTLY_PROFICIENT);
    assert_int_equal(mlg_catalogue_add(c, "S", "Subject S",
                                       MLG_NODE_SUBJECT, NULL, NULL, 0, NULL),
                     MLG_OK);
    assert_int_equal(mlg_catalogue_add(c, "A", NULL, MLG_NODE_DOMAIN, NULL,
                                       &r, 1, NULL),
                     MLG_OK);
    add(c, "t1", MLG_NODE_TARGET);
    add(c, "B", MLG_NODE_DOMAIN);
    assert_int_equal(mlg_catalogue_add(c, "t2", "Target two", MLG_NODE_TARGET,
                                       &beh, NULL, 0, NULL),
                     MLG_OK);
    add(c, "t3", MLG_NODE_TARGET);
    add(c, "E", MLG_NODE_DOMAIN);
    link_(c, "S", "A");
    assert_int_equal(mlg_catalogue_link(c, "S", "B", 2.5, NULL), MLG_OK);
    link_(c, "A", "t1");
    link_(c, "A", "t2");
    link_(c, "B", "t3");
    link_(c, "B", "t2");
    assert_int_equal(mlg_catalogue_finalize(c, NULL), MLG_OK);
    return c;
}

static void test_queries(void **state)
{
    (void)state;
    mlg_catalogue *c = small();
    assert_int_equal(mlg_catalogue_node_count(c), 7);
    assert_int_equal(mlg_catalogue_target_count(c), 3);
    assert_string_equal(mlg_catalogue_node_id(c, 0), "S");
    assert_string_equal(mlg_catalogue_node_label(c, 0), "Subject S");
    assert_string_equal(mlg_catalogue_node_label(c, 2), "t1"); /* default */
    assert_string_equal(mlg_catalogue_node_label(c, 4), "Target two");
    assert_null(mlg_catalogue_node_id(c, 7));
    assert_null(mlg_catalogue_node_label(c, 7));
    assert_null(mlg_catalogue_node_id(NULL, 0));
    assert_null(mlg_catalogue_node_label(NULL, 0));
    assert_int_equal(mlg_catalogue_node_count(NULL), 0);
    assert_int_equal(mlg_catalogue_target_count(NULL), 0);

    mlg_node_info info;
    assert_int_equal(mlg_catalogue_node_info(c, 0, &info), MLG_OK);
    assert_int_equal(info.kind, MLG_NODE_SUBJECT);
    assert_int_equal(info.na_allowed, 0);
    assert_int_equal(info.target, -1);
    assert_int_equal(info.n_children, 2);
    assert_int_equal(info.n_parents, 0);
    assert_int_equal(info.depth, 2);
    assert_int_equal(info.rule.rule, MLG_RULE_MEAN); /* NULL rule = mean */
    assert_int_equal(mlg_catalogue_node_info(c, 1, &info), MLG_OK);
    assert_int_equal(info.rule.rule, MLG_RULE_MOSTLY_PROFICIENT);
    assert_int_equal(info.depth, 1);
    /* t2: target 1 (targets numbered in add order), two parents */
    assert_int_equal(mlg_catalogue_node_info(c, 4, &info), MLG_OK);
    assert_int_equal(info.kind, MLG_NODE_TARGET);
    assert_int_equal(info.target, 1);
    assert_int_equal(info.n_parents, 2);
    assert_int_equal(info.depth, 0);
    /* the childless domain E */
    assert_int_equal(mlg_catalogue_node_info(c, 6, &info), MLG_OK);
    assert_int_equal(info.n_children, 0);
    assert_int_equal(info.depth, 0);
    assert_int_equal(mlg_catalogue_node_info(c, 7, &info), MLG_EINVAL);
    assert_int_equal(mlg_catalogue_node_info(NULL, 0, &info), MLG_ENULL);
    assert_int_equal(mlg_catalogue_node_info(c, 0, NULL), MLG_ENULL);

    mlg_scale sc;
    assert_int_equal(mlg_catalogue_node_scale(c, 4, &sc), MLG_OK);
    assert_string_equal(sc.id, "behavior");
    assert_int_equal(mlg_catalogue_node_scale(c, 0, &sc), MLG_OK);
    assert_string_equal(sc.id, "ccs4");
    assert_int_equal(mlg_catalogue_node_scale(c, 9, &sc), MLG_EINVAL);
    assert_int_equal(mlg_catalogue_node_scale(NULL, 0, &sc), MLG_ENULL);
    assert_int_equal(mlg_catalogue_node_scale(c, 0, NULL), MLG_ENULL);

    /* children in link order, with weights; size query */
    size_t n = 0;
    int64_t ch[4] = {-9, -9, -9, -9};
    double w[4];
    assert_int_equal(mlg_catalogue_node_children(c, 0, 0, NULL, NULL, &n),
                     MLG_ESIZE);
    assert_int_equal(n, 2);
    assert_int_equal(mlg_catalogue_node_children(c, 0, 1, ch, w, &n),
                     MLG_ESIZE);
    assert_int_equal(ch[0], -9);
    assert_int_equal(mlg_catalogue_node_children(c, 0, 4, ch, w, &n), MLG_OK);
    assert_int_equal(ch[0], 1);
    assert_int_equal(ch[1], 3);
    assert_double_near(w[1], 2.5, 0);
    assert_int_equal(mlg_catalogue_node_children(c, 3, 4, ch, NULL, &n),
                     MLG_OK);
    assert_int_equal(ch[0], 5);
    assert_int_equal(ch[1], 4);
    assert_int_equal(mlg_catalogue_node_children(c, 2, 0, NULL, NULL, &n),
                     MLG_OK);
    assert_int_equal(n, 0);
    assert_int_equal(mlg_catalogue_node_children(c, 7, 4, ch, w, &n),
                     MLG_EINVAL);
    assert_int_equal(mlg_catalogue_node_children(NULL, 0, 4, ch, w, &n),
                     MLG_ENULL);
    assert_int_equal(mlg_catalogue_node_children(c, 0, 4, ch, w, NULL),
                     MLG_ENULL);

    /* targets under a node: a shared child once, ascending */
    int64_t t[4] = {-9, -9, -9, -9};
    assert_int_equal(mlg_catalogue_node_targets(c, 0, 4, t, &n), MLG_OK);
    assert_int_equal(n, 3);
    assert_int_equal(t[0], 0);
    assert_int_equal(t[1], 1);
    assert_int_equal(t[2], 2);
    assert_int_equal(mlg_catalogue_node_targets(c, 3, 4, t, &n), MLG_OK);
    assert_int_equal(n, 2);
    assert_int_equal(t[0], 1);
    assert_int_equal(t[1], 2);
    assert_int_equal(mlg_catalogue_node_targets(c, 4, 4, t, &n), MLG_OK);
    assert_int_equal(n, 1);
    assert_int_equal(t[0], 1);
    assert_int_equal(mlg_catalogue_node_targets(c, 6, 4, t, &n), MLG_OK);
    assert_int_equal(n, 0);
    t[0] = -9;
    assert_int_equal(mlg_catalogue_node_targets(c, 0, 2, t, &n), MLG_ESIZE);
    assert_int_equal(n, 3);
    assert_int_equal(t[0], -9);
    assert_int_equal(mlg_catalogue_node_targets(c, 0, 3, NULL, &n), MLG_OK);
    assert_int_equal(mlg_catalogue_node_targets(c, 7, 4, t, &n), MLG_EINVAL);
    assert_int_equal(mlg_catalogue_node_targets(NULL, 0, 4, t, &n),
                     MLG_ENULL);
    assert_int_equal(mlg_catalogue_node_targets(c, 0, 4, t, NULL), MLG_ENULL);

    /* find, find_target, target_node */
    size_t node = 99, tt = 99;
    assert_int_equal(mlg_catalogue_find(c, "B", &node), MLG_OK);
    assert_int_equal(node, 3);
    assert_int_equal(mlg_catalogue_find(c, "Z", &node), MLG_ENOTFOUND);
    assert_int_equal(mlg_catalogue_find(NULL, "B", &node), MLG_ENULL);
    assert_int_equal(mlg_catalogue_find(c, NULL, &node), MLG_ENULL);
    assert_int_equal(mlg_catalogue_find(c, "B", NULL), MLG_ENULL);
    assert_int_equal(mlg_catalogue_find_target(c, "t3", &tt), MLG_OK);
    assert_int_equal(tt, 2);
    tt = 99;
    assert_int_equal(mlg_catalogue_find_target(c, "B", &tt), MLG_EINVAL);
    assert_int_equal(mlg_catalogue_find_target(c, "Z", &tt), MLG_ENOTFOUND);
    assert_int_equal(mlg_catalogue_find_target(c, "B", NULL), MLG_ENULL);
    assert_int_equal(tt, 99);
    assert_int_equal(mlg_catalogue_target_node(c, 1, &node), MLG_OK);
    assert_int_equal(node, 4);
    assert_int_equal(mlg_catalogue_target_node(c, 3, &node), MLG_EINVAL);
    assert_int_equal(mlg_catalogue_target_node(NULL, 0, &node), MLG_ENULL);
    assert_int_equal(mlg_catalogue_target_node(c, 0, NULL), MLG_ENULL);
    mlg_catalogue_free(c);

    /* every query refuses an unfinalised catalogue */
    c = new_cat();
    add(c, "t", MLG_NODE_TARGET);
    assert_int_equal(mlg_catalogue_node_count(c), 0);
    assert_int_equal(mlg_catalogue_target_count(c), 0);
    assert_null(mlg_catalogue_node_id(c, 0));
    assert_null(mlg_catalogue_node_label(c, 0));
    assert_int_equal(mlg_catalogue_node_info(c, 0, &info), MLG_EINVAL);
    assert_int_equal(mlg_catalogue_node_scale(c, 0, &sc), MLG_EINVAL);
    assert_int_equal(mlg_catalogue_node_children(c, 0, 4, ch, w, &n),
                     MLG_EINVAL);
    assert_int_equal(mlg_catalogue_node_targets(c, 0, 4, t, &n), MLG_EINVAL);
    assert_int_equal(mlg_catalogue_find(c, "t", &node), MLG_EINVAL);
    assert_int_equal(mlg_catalogue_find_target(c, "t", &tt), MLG_EINVAL);
    assert_int_equal(mlg_catalogue_target_node(c, 0, &node), MLG_EINVAL);
    mlg_catalogue_free(c);
}

/* Many nodes: the hash table grows and every id stays findable. */
static void test_many_nodes(void **state)
{
    (void)state;
    mlg_catalogue *c = new_cat();
    add(c, "root", MLG_NODE_COMPOSITE);
    const size_t n = 5000;
    for (size_t i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "CCSS.Math.Content.%zu.OA.C.%zu", i % 13, i);
        add(c, id, MLG_NODE_TARGET);
        link_(c, "root", id);
    }
    assert_int_equal(mlg_catalogue_finalize(c, NULL), MLG_OK);
    for (size_t i = 0; i < n; i += 7) {
        char id[32];
        snprintf(id, sizeof id, "%zu.OA.%zu", i % 13, i);
        size_t t = 0;
        assert_int_equal(mlg_catalogue_find_target(c, id, &t), MLG_OK);
        assert_int_equal(t, i);
    }
    mlg_node_info info;
    assert_int_equal(mlg_catalogue_node_info(c, 0, &info), MLG_OK);
    assert_int_equal(info.n_children, (int64_t)n);
    mlg_catalogue_free(c);
}

/* ------------------------------------------------------------- bulletin */

/* BUL-2332.7 sec. II.A, the N/A table and its notes. */
static void test_bulletin_table(void **state)
{
    (void)state;
    static const struct {
        const char *code;
        int32_t na;
    } want[] = {
        {"ela", 0},           {"ela_composite", 0},  {"math_domain", 1},
        {"math_practices", 1}, {"math_composite", 0}, {"science", 0},
        {"hss", 0},           {"vapa_discipline", 1}, {"vapa", 0},
        {"pe", 0},            {"health", 0},         {"behaviors", 0},
        {"eld", 0},           {"dual_language", 0},
    };
    size_t n = 0;
    while (mlg_bulletin_subject_code(n))
        n++;
    assert_int_equal(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(mlg_bulletin_subject_code(i), want[i].code);
        int32_t na = -1;
        assert_int_equal(mlg_bulletin_subject_na_allowed(want[i].code, &na),
                         MLG_OK);
        if (na != want[i].na)
            fail_msg("subject %s: na_allowed %d, expected %d", want[i].code,
                     na, want[i].na);
    }
    int32_t na = -1;
    assert_int_equal(mlg_bulletin_subject_na_allowed("art", &na),
                     MLG_ENOTFOUND);
    assert_int_equal(na, -1);
    assert_int_equal(mlg_bulletin_subject_na_allowed(NULL, &na), MLG_ENULL);
    assert_int_equal(mlg_bulletin_subject_na_allowed("ela", NULL), MLG_ENULL);
}

static void test_bulletin_grade3(void **state)
{
    (void)state;
    mlg_catalogue *c = new_cat();
    assert_int_equal(mlg_catalogue_add_bulletin_grade3(c, NULL, NULL, NULL),
                     MLG_OK);
    /* One target so that it finalises. */
    add(c, "RF.3.3", MLG_NODE_TARGET);
    link_(c, "ELA.RF", "RF.3.3");
    assert_int_equal(mlg_catalogue_finalize(c, NULL), MLG_OK);
    /* 24 skeleton nodes + 1 target */
    assert_int_equal(mlg_catalogue_node_count(c), 25);
    static const struct {
        const char *id;
        int32_t kind, na, rule, n_children;
        const char *scale;
    } want[] = {
        {"ELA", MLG_NODE_COMPOSITE, 0, MLG_RULE_MEAN, 5, "ccs4"},
        {"ELA.RF", MLG_NODE_DOMAIN, 0, MLG_RULE_CAPPED_MEDIAN, 1, "ccs4"},
        {"ELA.SL", MLG_NODE_DOMAIN, 0, MLG_RULE_CAPPED_MEDIAN, 0, "ccs4"},
        {"MATH", MLG_NODE_COMPOSITE, 0, MLG_RULE_MEAN, 6, "ccs4"},
        {"3.OA", MLG_NODE_DOMAIN, 1, MLG_RULE_CAPPED_MEDIAN, 0, "ccs4"},
        {"3.G", MLG_NODE_DOMAIN, 1, MLG_RULE_CAPPED_MEDIAN, 0, "ccs4"},
        {"MATH.MP", MLG_NODE_DOMAIN, 1, MLG_RULE_CAPPED_MEDIAN, 0, "ccs4"},
        {"SCI", MLG_NODE_SUBJECT, 0, MLG_RULE_CAPPED_MEDIAN, 0, "ccs4"},
        {"HSS", MLG_NODE_SUBJECT, 0, MLG_RULE_CAPPED_MEDIAN, 0, "ccs4"},
        {"VAPA", MLG_NODE_SUBJECT, 0, MLG_RULE_MEAN, 4, "ccs4"},
        {"VAPA.MUSIC", MLG_NODE_DOMAIN, 1, MLG_RULE_CAPPED_MEDIAN, 0,
         "ccs4"},
        {"PE", MLG_NODE_SUBJECT, 0, MLG_RULE_CAPPED_MEDIAN, 0, "ccs4"},
        {"HEALTH", MLG_NODE_SUBJECT, 0, MLG_RULE_CAPPED_MEDIAN, 0, "ccs4"},
        {"ELD", MLG_NODE_SUBJECT, 0, MLG_RULE_CAPPED_MEDIAN, 0, "eld4"},
        {"BEHAVIORS", MLG_NODE_SUBJECT, 0, MLG_RULE_CAPPED_MEDIAN, 0,
         "behavior"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        size_t node = 0;
        assert_int_equal(mlg_catalogue_find(c, want[i].id, &node), MLG_OK);
        mlg_node_info info;
        mlg_scale sc;
        assert_int_equal(mlg_catalogue_node_info(c, node, &info), MLG_OK);
        assert_int_equal(mlg_catalogue_node_scale(c, node, &sc), MLG_OK);
        if (info.kind != want[i].kind || info.na_allowed != want[i].na ||
            info.rule.rule != want[i].rule ||
            info.n_children != want[i].n_children ||
            strcmp(sc.id, want[i].scale) != 0)
            fail_msg("node %s: kind %d na %d rule %d children %lld scale %s",
                     want[i].id, info.kind, info.na_allowed, info.rule.rule,
                     (long long)info.n_children, sc.id);
    }
    size_t node = 0;
    assert_int_equal(mlg_catalogue_find(c, "ELA.LV", &node), MLG_OK);
    assert_string_equal(mlg_catalogue_node_label(c, node),
                        "Language Conventions/Effective Use of Vocabulary");
    mlg_catalogue_free(c);

    /* Caller rules are used; a bad one is reported and the call stops. */
    c = new_cat();
    mlg_rollup_rule d, k;
    mlg_rollup_rule_init(&d, MLG_RULE_MEDIAN);
    mlg_rollup_rule_init(&k, MLG_RULE_BAND_WITH_FLOOR);
    assert_int_equal(mlg_catalogue_add_bulletin_grade3(c, &d, &k, NULL),
                     MLG_OK);
    add(c, "t", MLG_NODE_TARGET);
    assert_int_equal(mlg_catalogue_finalize(c, NULL), MLG_OK);
    mlg_node_info info;
    assert_int_equal(mlg_catalogue_find(c, "MATH", &node), MLG_OK);
    assert_int_equal(mlg_catalogue_node_info(c, node, &info), MLG_OK);
    assert_int_equal(info.rule.rule, MLG_RULE_BAND_WITH_FLOOR);
    assert_int_equal(mlg_catalogue_find(c, "3.NF", &node), MLG_OK);
    assert_int_equal(mlg_catalogue_node_info(c, node, &info), MLG_OK);
    assert_int_equal(info.rule.rule, MLG_RULE_MEDIAN);
    mlg_catalogue_free(c);

    c = new_cat();
    mlg_errinfo e;
    d.p = 2.0;
    assert_int_equal(mlg_catalogue_add_bulletin_grade3(c, &d, NULL, &e),
                     MLG_EINVAL);
    assert_int_equal(e.status, MLG_EINVAL);
    assert_int_equal(mlg_catalogue_add_bulletin_grade3(NULL, NULL, NULL, &e),
                     MLG_ENULL);
    mlg_catalogue_free(c);

    /* Twice into one catalogue: duplicates, reported by the link step or
     * the add step. */
    c = new_cat();
    assert_int_equal(mlg_catalogue_add_bulletin_grade3(c, NULL, NULL, NULL),
                     MLG_OK);
    assert_int_equal(mlg_catalogue_add_bulletin_grade3(c, NULL, NULL, &e),
                     MLG_EDUPLICATE);
    mlg_catalogue_free(c);
}

/* --------------------------------------------------------------- rules */

/* mlg_rollup_rule_init(): the documented defaults. */
static void test_rule_defaults(void **state)
{
    (void)state;
    for (int32_t k = 0; k < MLG_RULE_COUNT; k++) {
        mlg_rollup_rule r;
        assert_int_equal(mlg_rollup_rule_init(&r, k), MLG_OK);
        assert_int_equal(r.rule, k);
        const int values = k == MLG_RULE_MEAN || k == MLG_RULE_MEDIAN ||
                           k == MLG_RULE_MIN || k == MLG_RULE_MAX;
        assert_int_equal(r.source,
                         values ? MLG_SOURCE_VALUE : MLG_SOURCE_LEVEL);
        assert_int_equal(r.gap, 1);
        assert_int_equal(r.tie, MLG_TIE_HIGHEST);
        assert_int_equal(r.rounding, MLG_ROUND_HALF_UP);
        assert_int_equal(r.decimals, 6);
        assert_double_near(r.p,
                           k == MLG_RULE_PERCENT_AT_OR_ABOVE ? 0.7
                           : k == MLG_RULE_ALL_MET           ? 1.0
                                                             : 0.75,
                           0);
        assert_true(isnan(r.level));
        assert_double_near(r.cut, 3.5, 0);
        assert_double_near(r.floor, 3.0, 0);
        assert_int_equal(mlg_rollup_rule_validate(&r), MLG_OK);
        int32_t back = -1;
        assert_int_equal(mlg_rollup_rule_from_name(mlg_rollup_rule_name(k),
                                                   &back),
                         MLG_OK);
        assert_int_equal(back, k);
    }
    mlg_rollup_rule r;
    r.rule = 77;
    assert_int_equal(mlg_rollup_rule_init(&r, MLG_RULE_COUNT), MLG_ENOTFOUND);
    assert_int_equal(mlg_rollup_rule_init(&r, -1), MLG_ENOTFOUND);
    assert_int_equal(r.rule, 77);
    assert_int_equal(mlg_rollup_rule_init(NULL, 0), MLG_ENULL);
    assert_null(mlg_rollup_rule_name(-1));
    assert_null(mlg_rollup_rule_name(MLG_RULE_COUNT));
    assert_string_equal(mlg_rollup_rule_name(MLG_RULE_MOSTLY_PROFICIENT),
                        "mostly_proficient");
    int32_t k = -1;
    assert_int_equal(mlg_rollup_rule_from_name("Mean", &k), MLG_ENOTFOUND);
    assert_int_equal(mlg_rollup_rule_from_name(NULL, &k), MLG_ENULL);
    assert_int_equal(mlg_rollup_rule_from_name("mean", NULL), MLG_ENULL);
    assert_int_equal(k, -1);
}

/* mlg_rollup_rule_validate(): each field out of range. */
static void test_rule_validate(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int field;
        double bad;
        int status;
    } cases[] = {
        {"rule", 0, MLG_RULE_COUNT, MLG_ENOTFOUND}, {"rule_neg", 0, -1, MLG_ENOTFOUND},
        {"source", 1, 2, MLG_EINVAL},    {"gap", 2, -1, MLG_EINVAL},
        {"tie", 3, 3, MLG_EINVAL},       {"rounding", 4, 4, MLG_EINVAL},
        {"decimals_lo", 5, -2, MLG_EINVAL}, {"decimals_hi", 5, 10, MLG_EINVAL},
        {"p0", 6, 0, MLG_EINVAL},        {"p_big", 6, 1.01, MLG_EINVAL},
        {"p_nan", 6, NAN, MLG_ENAN},     {"level_inf", 7, INFINITY, MLG_ENAN},
        {"cut_nan", 8, NAN, MLG_ENAN},   {"floor_inf", 9, -INFINITY, MLG_ENAN},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mlg_rollup_rule r;
        mlg_rollup_rule_init(&r, MLG_RULE_MOSTLY_PROFICIENT);
        switch (cases[i].field) {
        case 0: r.rule = (int32_t)cases[i].bad; break;
        case 1: r.source = (int32_t)cases[i].bad; break;
        case 2: r.gap = (int32_t)cases[i].bad; break;
        case 3: r.tie = (int32_t)cases[i].bad; break;
        case 4: r.rounding = (int32_t)cases[i].bad; break;
        case 5: r.decimals = (int32_t)cases[i].bad; break;
        case 6: r.p = cases[i].bad; break;
        case 7: r.level = cases[i].bad; break;
        case 8: r.cut = cases[i].bad; break;
        default: r.floor = cases[i].bad; break;
        }
        assert_status_case(cases[i].name, mlg_rollup_rule_validate(&r),
                           cases[i].status);
    }
    assert_int_equal(mlg_rollup_rule_validate(NULL), MLG_ENULL);
}

/* mlg_rollup_rule_set() and _parse(): the CLI's text forms. */
static void test_rule_text(void **state)
{
    (void)state;
    mlg_rollup_rule r;
    assert_int_equal(mlg_rollup_rule_parse("mostly_proficient p=0.8 gap=2",
                                           &r, NULL),
                     MLG_OK);
    assert_int_equal(r.rule, MLG_RULE_MOSTLY_PROFICIENT);
    assert_double_near(r.p, 0.8, 0);
    assert_int_equal(r.gap, 2);
    assert_int_equal(mlg_rollup_rule_parse(
                         " band_with_floor,level=4, cut=3.25 ,floor=2.5 ", &r,
                         NULL),
                     MLG_OK);
    assert_int_equal(r.rule, MLG_RULE_BAND_WITH_FLOOR);
    assert_double_near(r.level, 4, 0);
    assert_double_near(r.cut, 3.25, 0);
    assert_double_near(r.floor, 2.5, 0);
    assert_int_equal(mlg_rollup_rule_parse("mode tie=lowest source=value "
                                           "rounding=cuts decimals=-1 level=top",
                                           &r, NULL),
                     MLG_OK);
    assert_int_equal(r.tie, MLG_TIE_LOWEST);
    assert_int_equal(r.source, MLG_SOURCE_VALUE);
    assert_int_equal(r.rounding, MLG_ROUND_CUTS);
    assert_int_equal(r.decimals, -1);
    assert_true(isnan(r.level));
    static const struct {
        const char *key, *value;
        int status;
    } set[] = {
        {"source", "values", MLG_ENOTFOUND}, {"tie", "median", MLG_ENOTFOUND},
        {"rounding", "up", MLG_ENOTFOUND},   {"gap", "1.5", MLG_EFORMAT},
        {"gap", "-1", MLG_EINVAL},           {"gap", "99999999999", MLG_EINVAL},
        {"gap", "", MLG_EFORMAT},            {"gap", "x", MLG_EFORMAT},
        {"decimals", "10", MLG_EINVAL},      {"decimals", "2x", MLG_EFORMAT},
        {"p", "0", MLG_EINVAL},              {"p", "nan", MLG_ENAN},
        {"p", " 0.5", MLG_EFORMAT},          {"p", "0.5 ", MLG_EFORMAT},
        {"level", "inf", MLG_ENAN},          {"level", "four", MLG_EFORMAT},
        {"cut", "inf", MLG_ENAN},            {"cut", "", MLG_EFORMAT},
        {"floor", "-inf", MLG_ENAN},         {"floor", "3,", MLG_EFORMAT},
        {"weight", "1", MLG_ENOTFOUND},      {"P", "0.5", MLG_ENOTFOUND},
    };
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++) {
        mlg_rollup_rule_init(&r, MLG_RULE_MEAN);
        const mlg_rollup_rule before = r;
        char name[48];
        snprintf(name, sizeof name, "%s=%s", set[i].key, set[i].value);
        assert_status_case(name, mlg_rollup_rule_set(&r, set[i].key,
                                                     set[i].value),
                           set[i].status);
        assert_memory_equal(&r, &before, sizeof r);
    }
    assert_int_equal(mlg_rollup_rule_set(&r, "gap", "+3"), MLG_OK);
    assert_int_equal(r.gap, 3);
    assert_int_equal(mlg_rollup_rule_set(&r, "level", "2.5"), MLG_OK);
    assert_double_near(r.level, 2.5, 0);
    assert_int_equal(mlg_rollup_rule_set(NULL, "p", "1"), MLG_ENULL);
    assert_int_equal(mlg_rollup_rule_set(&r, NULL, "1"), MLG_ENULL);
    assert_int_equal(mlg_rollup_rule_set(&r, "p", NULL), MLG_ENULL);

    static const struct {
        const char *text;
        int status;
        int64_t row;
    } parse[] = {
        {"", MLG_EEMPTY, -1},
        {" , ", MLG_EEMPTY, -1},
        {"average", MLG_ENOTFOUND, 0},
        {"mean p", MLG_EFORMAT, 5},
        {"mean  p=2", MLG_EINVAL, 6},
        {"mean x=2", MLG_ENOTFOUND, 5},
        {"mean p=abc", MLG_EFORMAT, 5},
        {"mean level=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
         "xxxxxxxxxxxx",
         MLG_EFORMAT, 5},
    };
    for (size_t i = 0; i < sizeof parse / sizeof parse[0]; i++) {
        mlg_rollup_rule_init(&r, MLG_RULE_MIN);
        const mlg_rollup_rule before = r;
        mlg_errinfo e;
        memset(&e, 0, sizeof e);
        assert_status_case(parse[i].text,
                           mlg_rollup_rule_parse(parse[i].text, &r, &e),
                           parse[i].status);
        assert_int_equal(e.status, parse[i].status);
        assert_int_equal(e.row, parse[i].row);
        assert_memory_equal(&r, &before, sizeof r);
    }
    mlg_errinfo e;
    assert_int_equal(mlg_rollup_rule_parse(NULL, &r, &e), MLG_ENULL);
    assert_int_equal(mlg_rollup_rule_parse("mean", NULL, NULL), MLG_ENULL);
}

static void test_kind_names(void **state)
{
    (void)state;
    static const char *const names[] = {"target", "domain", "subject",
                                        "composite"};
    for (int32_t k = 0; k < MLG_NODE_KIND_COUNT; k++) {
        assert_string_equal(mlg_node_kind_name(k), names[k]);
        int32_t back = -1;
        assert_int_equal(mlg_node_kind_from_name(names[k], &back), MLG_OK);
        assert_int_equal(back, k);
    }
    assert_null(mlg_node_kind_name(-1));
    assert_null(mlg_node_kind_name(MLG_NODE_KIND_COUNT));
    int32_t k = -1;
    assert_int_equal(mlg_node_kind_from_name("strand", &k), MLG_ENOTFOUND);
    assert_int_equal(mlg_node_kind_from_name(NULL, &k), MLG_ENULL);
    assert_int_equal(mlg_node_kind_from_name("target", NULL), MLG_ENULL);
    assert_int_equal(k, -1);
}

/* mlg_rollup.h, mlg_catalogue_add()/mlg_catalogue_alias(): a CASE item is
 * found by its code, its identifier (RFC 4122 sec. 3: any case) and the
 * identifier's urn:uuid: form; ids come from the sample CASE package
 * data/school/catalogue.json (item RF.3.3). */
static void test_case_identifiers(void **state)
{
    (void)state;
    mlg_catalogue *c = new_cat();
    add(c, "ELA.RF", MLG_NODE_DOMAIN);
    add(c, "RF.3.3", MLG_NODE_TARGET);
    /* an item without a code keeps its identifier as its id */
    add(c, "urn:uuid:09DF292C-2A25-5D55-86F1-0F570C6A57C3", MLG_NODE_TARGET);
    assert_int_equal(mlg_catalogue_alias(c, "RF.3.3",
                                         "fda56f57-ac8c-5d0f-876c-f91c96a393c2",
                                         NULL),
                     MLG_OK);
    /* the same alias again is a no-op; the alias of another node is not */
    assert_int_equal(mlg_catalogue_alias(c, "RF.3.3",
                                         "urn:uuid:FDA56F57-AC8C-5D0F-876C-F91C96A393C2",
                                         NULL),
                     MLG_OK);
    mlg_errinfo e;
    assert_int_equal(mlg_catalogue_alias(c, "ELA.RF",
                                         "fda56f57-ac8c-5d0f-876c-f91c96a393c2",
                                         &e),
                     MLG_EDUPLICATE);
    assert_int_equal(mlg_catalogue_alias(c, "ELA.RF", "RF.3.3", NULL),
                     MLG_EDUPLICATE);
    assert_int_equal(mlg_catalogue_alias(c, "nope", "x", NULL), MLG_ENOTFOUND);
    assert_int_equal(mlg_catalogue_alias(c, "ELA.RF", "", NULL), MLG_EINVAL);
    /* an id equal to an existing alias is a duplicate */
    assert_int_equal(mlg_catalogue_add(c, "FDA56F57-AC8C-5D0F-876C-F91C96A393C2",
                                       NULL, MLG_NODE_TARGET, NULL, NULL, 1,
                                       NULL),
                     MLG_EDUPLICATE);
    /* links may use identifiers */
    assert_int_equal(mlg_catalogue_link(c, "ELA.RF",
                                        "urn:uuid:fda56f57-ac8c-5d0f-876c-f91c96a393c2",
                                        1.0, NULL),
                     MLG_OK);
    link_(c, "ELA.RF", "09df292c-2a25-5d55-86f1-0f570c6a57c3");
    assert_int_equal(mlg_catalogue_finalize(c, NULL), MLG_OK);
    size_t n = 99, t = 99;
    assert_int_equal(mlg_catalogue_find(c, "fda56f57-ac8c-5d0f-876c-f91c96a393c2", &n),
                     MLG_OK);
    assert_int_equal(n, 1);
    assert_int_equal(mlg_catalogue_find(c, "urn:uuid:FDA56F57-ac8c-5d0f-876c-f91c96a393c2",
                                        &n),
                     MLG_OK);
    assert_int_equal(n, 1);
    assert_int_equal(mlg_catalogue_find_target(c, "URN:UUID:09df292c-2a25-5d55-86f1-0f570c6a57c3",
                                               &t),
                     MLG_OK);
    assert_int_equal(t, 1);
    assert_string_equal(mlg_catalogue_node_id(c, 2),
                        "09df292c-2a25-5d55-86f1-0f570c6a57c3");
    /* aliases by node, canonical, in call order */
    assert_string_equal(mlg_catalogue_node_alias(c, 1, 0),
                        "fda56f57-ac8c-5d0f-876c-f91c96a393c2");
    assert_null(mlg_catalogue_node_alias(c, 1, 1));
    assert_null(mlg_catalogue_node_alias(c, 0, 0));
    assert_null(mlg_catalogue_node_alias(c, 3, 0));
    assert_null(mlg_catalogue_node_alias(NULL, 1, 0));
    /* not a UUID: case is kept */
    assert_int_equal(mlg_catalogue_find(c, "rf.3.3", &n), MLG_ENOTFOUND);
    /* finalised: no more aliases */
    mlg_catalogue *big = new_cat();
    add(big, "D", MLG_NODE_DOMAIN);
    char a[32];
    for (int k = 0; k < 100; k++) { /* the alias table grows past 16 and 64 */
        snprintf(a, sizeof a, "T%d", k);
        add(big, a, MLG_NODE_TARGET);
        link_(big, "D", a);
        snprintf(a, sizeof a, "alias-%d", k);
        char id[32];
        snprintf(id, sizeof id, "T%d", k);
        assert_int_equal(mlg_catalogue_alias(big, id, a, NULL), MLG_OK);
    }
    assert_int_equal(mlg_catalogue_finalize(big, NULL), MLG_OK);
    for (int k = 0; k < 100; k++) {
        snprintf(a, sizeof a, "alias-%d", k);
        assert_int_equal(mlg_catalogue_find_target(big, a, &t), MLG_OK);
        assert_int_equal(t, (size_t)k);
    }
    mlg_catalogue_free(big);

    assert_int_equal(mlg_catalogue_alias(c, "RF.3.3", "x", NULL), MLG_EINVAL);
    mlg_catalogue_free(c);
}

/* mlg_rollup.h, MLG_NODE_AUTO: leaves are targets, parentless inner nodes
 * composites, the rest domains; a DAG with a shared target (3.OA.A.1 under
 * both 3.OA and a "power standards" line) and four levels. */
static void test_auto_kinds_dag(void **state)
{
    (void)state;
    mlg_catalogue *c = new_cat();
    const char *ids[] = {"MATH", "3.OA", "3.OA.A", "3.OA.A.1", "3.OA.A.2", "POWER"};
    for (size_t i = 0; i < 6; i++)
        add(c, ids[i], MLG_NODE_AUTO);
    link_(c, "MATH", "3.OA");
    link_(c, "3.OA", "3.OA.A");
    link_(c, "3.OA.A", "3.OA.A.1");
    link_(c, "3.OA.A", "3.OA.A.2");
    link_(c, "POWER", "3.OA.A.1");
    assert_int_equal(mlg_catalogue_finalize(c, NULL), MLG_OK);
    static const int32_t want[] = {MLG_NODE_COMPOSITE, MLG_NODE_DOMAIN, MLG_NODE_DOMAIN,
                                   MLG_NODE_TARGET, MLG_NODE_TARGET, MLG_NODE_COMPOSITE};
    static const int64_t depth[] = {3, 2, 1, 0, 0, 1};
    for (size_t i = 0; i < 6; i++) {
        mlg_node_info info;
        assert_int_equal(mlg_catalogue_node_info(c, i, &info), MLG_OK);
        assert_int_equal(info.kind, want[i]);
        assert_int_equal(info.depth, depth[i]);
    }
    assert_int_equal(mlg_catalogue_target_count(c), 2);
    int64_t par[4] = {-1, -1, -1, -1};
    size_t np = 0;
    assert_int_equal(mlg_catalogue_node_parents(c, 3, 4, par, &np), MLG_OK);
    assert_int_equal(np, 2);
    assert_int_equal(par[0], 2); /* link order: 3.OA.A first, then POWER */
    assert_int_equal(par[1], 5);
    assert_int_equal(mlg_catalogue_node_parents(c, 3, 1, par, &np), MLG_ESIZE);
    assert_int_equal(np, 2);
    assert_int_equal(mlg_catalogue_node_parents(c, 0, 0, NULL, &np), MLG_OK);
    assert_int_equal(np, 0);
    assert_int_equal(mlg_catalogue_node_parents(c, 6, 0, NULL, &np), MLG_EINVAL);
    mlg_catalogue_free(c);

    /* no leaf at all: a cycle of AUTO nodes has no target */
    c = new_cat();
    add(c, "a", MLG_NODE_AUTO);
    add(c, "b", MLG_NODE_AUTO);
    link_(c, "a", "b");
    link_(c, "b", "a");
    assert_int_equal(mlg_catalogue_finalize(c, NULL), MLG_EEMPTY);
    mlg_catalogue_free(c);
}

/* Ensure link weights are never rewritten: every weight that is not a
 * positive finite number is refused with its own status, and any positive
 * finite weight is kept exactly (issue 14, finding 6: the CLI turned a CSV
 * weight of 0 and a CASE weight of -5 into 1). */
static void test_link_weights_kept_or_refused(void **state)
{
    (void)state;
    static const struct { double w; int status; } cases[] = {
        {0.0, MLG_EWEIGHT},   {-0.0, MLG_EWEIGHT},    {-5.0, MLG_EWEIGHT},
        {-1e308, MLG_EWEIGHT}, {-INFINITY, MLG_ENAN}, {INFINITY, MLG_ENAN},
        {NAN, MLG_ENAN},
    };
    mlg_catalogue *c = new_cat();
    mlg_errinfo e;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memset(&e, 0, sizeof e);
        assert_int_equal(mlg_catalogue_link(c, "D", "T", cases[i].w, &e),
                         cases[i].status);
        assert_int_equal(e.status, cases[i].status);
    }
    /* the extremes that are allowed come back bit for bit */
    static const double ok[] = {5e-324, 2.2250738585072014e-308, 1.0, 1e308,
                                1.7976931348623157e308};
    add(c, "D", MLG_NODE_DOMAIN);
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char id[16];
        snprintf(id, sizeof id, "T%zu", i);
        add(c, id, MLG_NODE_TARGET);
        assert_int_equal(mlg_catalogue_link(c, "D", id, ok[i], NULL), MLG_OK);
    }
    assert_int_equal(mlg_catalogue_finalize(c, NULL), MLG_OK);
    double w[5];
    size_t n = 0;
    assert_int_equal(mlg_catalogue_node_children(c, 0, 5, NULL, w, &n), MLG_OK);
    assert_int_equal(n, 5);
    assert_memory_equal(w, ok, sizeof ok);
    mlg_catalogue_free(c);
}

/* Ensure a 100,000-level chain (issue 14, finding 12: the command's own
 * loader walked to the root from every node, 11 s for this shape) builds,
 * runs and explains without recursion: depth is the longest path down, so
 * node "L0" (the top) has depth 99,999 and the one target 0; a mean of one
 * child passes the target's 2.6 up unchanged to every level, "3". */
static void test_deep_chain(void **state)
{
    (void)state;
    enum { DEPTH = 100000 };
    mlg_catalogue *c = new_cat();
    char id[32], parent[32];
    for (int i = 0; i < DEPTH; i++) {
        snprintf(id, sizeof id, "L%d", i);
        add(c, id, i == DEPTH - 1 ? MLG_NODE_TARGET : MLG_NODE_DOMAIN);
        if (i > 0) {
            snprintf(parent, sizeof parent, "L%d", i - 1);
            link_(c, parent, id);
        }
    }
    assert_int_equal(mlg_catalogue_finalize(c, NULL), MLG_OK);
    assert_int_equal(mlg_catalogue_node_count(c), DEPTH);
    assert_int_equal(mlg_catalogue_target_count(c), 1);
    mlg_node_info info;
    assert_int_equal(mlg_catalogue_node_info(c, 0, &info), MLG_OK);
    assert_int_equal(info.depth, DEPTH - 1);
    assert_int_equal(mlg_catalogue_node_info(c, DEPTH - 1, &info), MLG_OK);
    assert_int_equal(info.depth, 0);
    assert_int_equal(info.target, 0);
    double *val = malloc(DEPTH * sizeof *val);
    int32_t *lev = malloc(DEPTH * sizeof *lev);
    assert_non_null(val);
    assert_non_null(lev);
    const double x = 2.6;
    assert_int_equal(mlg_rollup_run(c, 1, &x, 1, val, lev, NULL, NULL), MLG_OK);
    assert_double_near(val[0], 2.6, 0);
    assert_int_equal(lev[0], 2);
    mlg_rollup_step st;
    mlg_rollup_child ch[1];
    assert_int_equal(mlg_rollup_explain(c, &x, 0, &st, ch, 1, NULL), MLG_OK);
    assert_int_equal(st.n_children, 1);
    assert_int_equal(ch[0].node, 1);
    free(val);
    free(lev);
    mlg_catalogue_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_forms),
        cmocka_unit_test(test_aliases_resolve),
        cmocka_unit_test(test_aliases_ambiguous),
        cmocka_unit_test(test_duplicate_ids),
        cmocka_unit_test(test_finalize_errors),
        cmocka_unit_test(test_add_link_errors),
        cmocka_unit_test(test_queries),
        cmocka_unit_test(test_many_nodes),
        cmocka_unit_test(test_bulletin_table),
        cmocka_unit_test(test_bulletin_grade3),
        cmocka_unit_test(test_rule_defaults),
        cmocka_unit_test(test_rule_validate),
        cmocka_unit_test(test_rule_text),
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_case_identifiers),
        cmocka_unit_test(test_auto_kinds_dag),
        cmocka_unit_test(test_link_weights_kept_or_refused),
        cmocka_unit_test(test_deep_chain),
    };
    return cmocka_run_group_tests_name("catalogue", tests, NULL, NULL);
}
