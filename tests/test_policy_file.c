/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_policy_file.c -- the declared district policy (include/mlg_policy.h,
 * "A declared district policy"): the shipped lausd-bul-2332.7 policy read
 * field by field against the bulletin, the content hash, and every kind of
 * bad policy text. */
#include "mlg.h"
#include "mlg_policy.h"
#include "mlg_rollup.h"
#include "mlg_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* core/sha256.c */
void mlg__sha256_hex(const void *data, size_t n, char out[65]);

/* The shipped text with the first `from` replaced by `to` (malloc'd). */
static char *variant(const char *from, const char *to)
{
    const char *t = mlg_policy_builtin_text(MLG_POLICY_DEFAULT);
    assert_non_null(t);
    const char *at = strstr(t, from);
    if (!at)
        fail_msg("variant: \"%s\" not in the shipped policy", from);
    const size_t a = (size_t)(at - t), fl = strlen(from), tl = strlen(to);
    char *r = malloc(strlen(t) - fl + tl + 1);
    assert_non_null(r);
    memcpy(r, t, a);
    memcpy(r + a, to, tl);
    strcpy(r + a + tl, at + fl);
    return r;
}

static int parse_text(const char *text, mlg_policy **p, mlg_errinfo *e)
{
    return mlg_policy_parse(text, strlen(text), p, e);
}

/* FIPS 180-4 / NIST example vectors. */
static void test_sha256(void **state)
{
    (void)state;
    char h[65];
    mlg__sha256_hex("abc", 3, h);
    assert_string_equal(
        h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    mlg__sha256_hex("", 0, h);
    assert_string_equal(
        h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    /* 56 bytes: the padding needs a second block. */
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    mlg__sha256_hex(m, strlen(m), h);
    assert_string_equal(
        h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* The shipped policy, field by field, against BUL-2332.7. */
static void test_builtin_fields(void **state)
{
    (void)state;
    mlg_policy *p = NULL;
    mlg_errinfo e;
    assert_int_equal(mlg_policy_builtin(MLG_POLICY_DEFAULT, &p, &e), MLG_OK);
    assert_string_equal(mlg_policy_name(p), "lausd-bul-2332.7");
    assert_int_equal(strlen(mlg_policy_hash(p)), 64);

    /* Method: sec. VII.E / Att. A "more recent or consistent" ->
     * consistent_recent n 2; rounding half_up, decimals 6. */
    mlg_method_params mp;
    assert_int_equal(mlg_policy_method(p, &mp), MLG_OK);
    assert_int_equal(mp.method, MLG_METHOD_CONSISTENT_RECENT);
    assert_int_equal(mp.n, 2);
    assert_int_equal(mp.rounding, MLG_ROUND_HALF_UP);
    assert_int_equal(mp.decimals, 6);

    /* Rules: domain capped_median gap 1 (Att. A), composite mean (II.B). */
    mlg_rollup_rule r;
    assert_int_equal(mlg_policy_rule(p, MLG_NODE_DOMAIN, &r), MLG_OK);
    assert_int_equal(r.rule, MLG_RULE_CAPPED_MEDIAN);
    assert_int_equal(r.gap, 1);
    assert_int_equal(mlg_policy_rule(p, MLG_NODE_SUBJECT, &r), MLG_OK);
    assert_int_equal(r.rule, MLG_RULE_CAPPED_MEDIAN);
    assert_int_equal(mlg_policy_rule(p, MLG_NODE_COMPOSITE, &r), MLG_OK);
    assert_int_equal(r.rule, MLG_RULE_MEAN);
    assert_int_equal(r.rounding, MLG_ROUND_HALF_UP);
    assert_int_equal(mlg_policy_rule(p, MLG_NODE_TARGET, &r), MLG_OK);
    assert_int_equal(r.decimals, 6);
    assert_int_equal(mlg_policy_rule(p, 7, &r), MLG_EINVAL);

    /* The N/A table (sec. II.A) agrees with the library's compiled subject
     * table for every code, and the policy has no other code. */
    size_t n = 0;
    for (const char *code; (code = mlg_bulletin_subject_code(n)); n++) {
        mlg_policy_subject s;
        int32_t na = -1;
        assert_int_equal(mlg_bulletin_subject_na_allowed(code, &na), MLG_OK);
        if (mlg_policy_subject_find(p, code, &s) != MLG_OK)
            fail_msg("subject %s missing from the policy", code);
        if (s.na_allowed != na)
            fail_msg("subject %s: policy N/A %d, table %d", code,
                     s.na_allowed, na);
    }
    assert_int_equal(n, 14);
    assert_non_null(mlg_policy_subject_code(p, 13));
    assert_null(mlg_policy_subject_code(p, 14));
    /* Sorted codes: "behaviors" first. */
    assert_string_equal(mlg_policy_subject_code(p, 0), "behaviors");

    /* Scales per subject: behaviours C/S/R (II.C), ELD 4-point (III.A),
     * the rest CCS (II). */
    mlg_policy_subject s;
    assert_int_equal(mlg_policy_subject_find(p, "behaviors", &s), MLG_OK);
    assert_string_equal(s.scale.id, "behavior");
    assert_int_equal(mlg_policy_subject_find(p, "eld", &s), MLG_OK);
    assert_string_equal(s.scale.id, "eld4");
    assert_int_equal(mlg_policy_subject_find(p, "math_domain", &s), MLG_OK);
    assert_string_equal(s.scale.id, "ccs4");
    assert_int_equal(s.scale.na_allowed, 1);
    assert_int_equal(mlg_policy_subject_find(p, "ela", &s), MLG_OK);
    assert_int_equal(s.scale.na_allowed, 0);
    assert_int_equal(mlg_policy_subject_find(p, "art", &s), MLG_ENOTFOUND);

    /* TK: no N/A at all (sec. II.A), on both TK scales. */
    mlg_scale sc;
    assert_int_equal(mlg_policy_scale(p, "tk", &sc), MLG_OK);
    assert_string_equal(sc.id, "tk");
    assert_int_equal(sc.na_allowed, 0);
    assert_int_equal(mlg_policy_scale(p, "tk_eld", &sc), MLG_OK);
    assert_int_equal(sc.na_allowed, 0);
    assert_int_equal(mlg_policy_scale(p, "academic", &sc), MLG_OK);
    assert_string_equal(sc.id, "ccs4");
    assert_int_equal(mlg_policy_scale(p, "eld4", &sc), MLG_OK);
    assert_int_equal(mlg_policy_scale(p, "nope", &sc), MLG_ENOTFOUND);

    /* Notices: "1" or "2" on CCS and ELD (I.I, IX.E), R only on behaviours,
     * none on the TK scales. */
    double t = -1;
    assert_int_equal(mlg_policy_notice_threshold(p, "ccs4", &t), MLG_OK);
    assert_double_near(t, 2.0, 0);
    assert_int_equal(mlg_policy_notice_threshold(p, "eld4", &t), MLG_OK);
    assert_double_near(t, 2.0, 0);
    assert_int_equal(mlg_policy_notice_threshold(p, "behavior", &t), MLG_OK);
    assert_double_near(t, 1.0, 0);
    t = -1;
    assert_int_equal(mlg_policy_notice_threshold(p, "tk", &t), MLG_ENOTFOUND);
    assert_int_equal(mlg_policy_notice_threshold(p, "tk_eld", &t),
                     MLG_ENOTFOUND);
    assert_double_near(t, -1.0, 0);

    /* Settings: Att. B 2018-19, three periods (I.K) without dates, 15
     * days (I.F) with the override, evidence 2 rows spanning both halves
     * (VII.E), level entries supersede. */
    mlg_policy_settings st;
    assert_int_equal(mlg_policy_settings_get(p, &st), MLG_OK);
    assert_int_equal(st.entry_year, 2018);
    assert_int_equal(st.periods_per_year, 3);
    assert_int_equal(st.n_periods, 0);
    assert_int_equal(st.tk_na_allowed, 0);
    assert_int_equal(st.level_supersede, 1);
    assert_int_equal(st.evidence_min, 2);
    assert_int_equal(st.evidence_span, 1);
    assert_int_equal(st.attendance_min_days, MLG_ATTENDANCE_MIN_DAYS);
    assert_int_equal(st.attendance_override, 1);
    assert_int_equal(st.entry_recommended, 6); /* sec. VII.F */
    mlg_entry_minimums m, want;
    assert_int_equal(mlg_policy_entry_minimums(p, &m), MLG_OK);
    assert_int_equal(mlg_entry_minimums_preset(2018, &want), MLG_OK);
    assert_memory_equal(&m, &want, sizeof m);
    mlg_period per;
    assert_int_equal(mlg_policy_period(p, 0, &per, NULL), MLG_ENOTFOUND);
    mlg_policy_free(p);
    mlg_policy_free(NULL);
}

/* The hash follows the content, not the layout. */
static void test_hash(void **state)
{
    (void)state;
    mlg_policy *a = NULL, *b = NULL, *c = NULL;
    assert_int_equal(mlg_policy_builtin(MLG_POLICY_DEFAULT, &a, NULL), MLG_OK);
    /* The canonical text parses to the same policy and hash. */
    const char *canon = mlg_policy_canonical(a);
    assert_int_equal(parse_text(canon, &b, NULL), MLG_OK);
    assert_string_equal(mlg_policy_hash(a), mlg_policy_hash(b));
    assert_string_equal(canon, mlg_policy_canonical(b));
    /* Canonical: sorted keys, so "attendance" comes before "entry_minimums"
     * and the text ends in one newline. */
    assert_true(strstr(canon, "\"attendance\"") <
                strstr(canon, "\"entry_minimums\""));
    assert_int_equal(canon[strlen(canon) - 1], '\n');
    mlg_policy_free(b);
    /* Whitespace does not change it. */
    char *w = variant("{\n  \"policy\"", "{ \n\n\t  \"policy\"");
    assert_int_equal(parse_text(w, &b, NULL), MLG_OK);
    assert_string_equal(mlg_policy_hash(a), mlg_policy_hash(b));
    free(w);
    /* Any value does. */
    w = variant("\"min_days\": 15", "\"min_days\": 10");
    assert_int_equal(parse_text(w, &c, NULL), MLG_OK);
    assert_true(strcmp(mlg_policy_hash(a), mlg_policy_hash(c)) != 0);
    mlg_policy_settings st;
    mlg_policy_settings_get(c, &st);
    assert_int_equal(st.attendance_min_days, 10);
    free(w);
    mlg_policy_free(a);
    mlg_policy_free(b);
    mlg_policy_free(c);
}

/* A district's own policy: dated periods, another Att. B year, another
 * domain rule. */
static void test_custom(void **state)
{
    (void)state;
    char *w = variant(
        "\"dates\": []",
        "\"dates\": [{\"name\": \"RP1\", \"start\": \"2018-08-14\", "
        "\"midpoint\": \"2018-09-28\", \"end\": \"2018-11-09\"}, "
        "{\"name\": \"RP2\", \"start\": \"2018-11-13\", \"midpoint\": "
        "\"2019-01-18\", \"end\": \"2019-03-22\"}]");
    mlg_policy *p = NULL;
    mlg_errinfo e;
    assert_int_equal(parse_text(w, &p, &e), MLG_OK);
    mlg_period per;
    char name[MLG_LABEL_SIZE];
    assert_int_equal(mlg_policy_period(p, 1, &per, name), MLG_OK);
    assert_string_equal(name, "RP2");
    /* 2018-11-13 is day 17848 (2018-01-01 is 17532; + 316). */
    assert_int_equal(per.start, 17848);
    assert_int_equal(per.end - per.start, 129); /* Nov 13 -> Mar 22 */
    mlg_policy_settings st;
    mlg_policy_settings_get(p, &st);
    assert_int_equal(st.n_periods, 2);
    mlg_policy_free(p);
    free(w);

    w = variant("\"year\": 2018", "\"year\": 2020");
    assert_int_equal(parse_text(w, &p, &e), MLG_OK);
    mlg_entry_minimums m;
    mlg_policy_entry_minimums(p, &m);
    assert_int_equal(m.req_end[MLG_SUBJECT_ELA], 6); /* Att. B 2020-21 */
    mlg_policy_free(p);
    free(w);

    w = variant("\"domain\": \"capped_median gap=1\"",
                "\"domain\": \"mostly_proficient p=0.75 gap=1\"");
    assert_int_equal(parse_text(w, &p, &e), MLG_OK);
    mlg_rollup_rule r;
    mlg_policy_rule(p, MLG_NODE_DOMAIN, &r);
    assert_int_equal(r.rule, MLG_RULE_MOSTLY_PROFICIENT);
    assert_double_near(r.p, 0.75, 0);
    mlg_policy_free(p);
    free(w);

    /* A subject with its own method; the others keep the policy's. */
    w = variant("\"science\":         {\"na_allowed\": false, ",
                "\"science\":         {\"method\": {\"name\": \"most_recent\", "
                "\"params\": {}}, \"na_allowed\": false, ");
    assert_int_equal(parse_text(w, &p, &e), MLG_OK);
    mlg_method_params sm;
    assert_int_equal(mlg_policy_subject_method(p, "science", &sm), MLG_OK);
    assert_int_equal(sm.method, MLG_METHOD_MOST_RECENT);
    assert_int_equal(sm.decimals, 6);
    assert_int_equal(mlg_policy_subject_method(p, "ela", &sm), MLG_OK);
    assert_int_equal(sm.method, MLG_METHOD_CONSISTENT_RECENT);
    assert_int_equal(mlg_policy_subject_method(p, "art", &sm), MLG_ENOTFOUND);
    assert_int_equal(mlg_policy_subject_method(NULL, "ela", &sm), MLG_ENULL);
    mlg_policy_free(p);
    free(w);
    w = variant("\"science\":         {\"na_allowed\": false, ",
                "\"science\":         {\"method\": {\"name\": \"mean\", "
                "\"params\": {\"n\": 0}}, \"na_allowed\": false, ");
    assert_int_equal(parse_text(w, &p, &e), MLG_EINVAL);
    assert_non_null(strstr(e.message, "subjects.science.method.params.n"));
    free(w);
    w = variant("\"science\":         {\"na_allowed\": false, ",
                "\"science\":         {\"method\": 3, \"na_allowed\": false, ");
    assert_int_equal(parse_text(w, &p, &e), MLG_EFORMAT);
    free(w);

    /* Method parameters as numbers or strings; rounding applies. */
    w = variant("\"name\": \"consistent_recent\",\n    \"params\": {\"n\": \"2\"}",
                "\"name\": \"decaying_average\",\n    \"params\": {\"weight\": 0.75}");
    assert_int_equal(parse_text(w, &p, &e), MLG_OK);
    mlg_method_params mp;
    mlg_policy_method(p, &mp);
    assert_int_equal(mp.method, MLG_METHOD_DECAYING_AVERAGE);
    assert_double_near(mp.weight, 0.75, 0);
    mlg_policy_free(p);
    free(w);
}

/* Bad policies: a clear status and message, never a silent default. */
static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *name, *from, *to;
        int status;
        const char *msg; /* substring of err.message */
    } cases[] = {
        {"not_json", "{\n  \"policy\"", "{\n  policy", MLG_EFORMAT, "line 2"},
        {"unknown_top", "\"format\": 1", "\"format\": 1, \"colour\": 1",
         MLG_ENOTFOUND, "unknown key \"colour\""},
        {"misspelt", "\"min_days\": 15", "\"min_day\": 15", MLG_ENOTFOUND,
         "min_day"},
        {"duplicate", "\"format\": 1", "\"format\": 1, \"format\": 1",
         MLG_EFORMAT, "duplicate"},
        {"format_2", "\"format\": 1", "\"format\": 2", MLG_EINVAL, "format"},
        {"name_type", "\"policy\": \"lausd-bul-2332.7\"", "\"policy\": 7",
         MLG_EFORMAT, "policy.policy"},
        {"scale", "\"academic\": \"ccs4\"", "\"academic\": \"ccs5\"",
         MLG_ENOTFOUND, "ccs5"},
        {"subject_scale", "\"ela\":             {\"na_allowed\": false, \"scale\": \"academic\"",
         "\"ela\":             {\"na_allowed\": false, \"scale\": \"acad\"",
         MLG_ENOTFOUND, "subjects.ela.scale"},
        {"na_type", "\"ela\":             {\"na_allowed\": false",
         "\"ela\":             {\"na_allowed\": 0", MLG_EFORMAT,
         "subjects.ela.na_allowed"},
        {"method", "\"consistent_recent\"", "\"newest\"", MLG_ENOTFOUND,
         "newest"},
        {"method_param", "{\"n\": \"2\"}", "{\"n\": \"0\"}", MLG_EINVAL,
         "method.params.n"},
        {"method_rounding", "{\"n\": \"2\"}", "{\"decimals\": 2}", MLG_EINVAL,
         "rounding"},
        {"method_param_long", "{\"n\": \"2\"}",
         "{\"n\": \"2                                                              "
         "                x\"}",
         MLG_EINVAL, "longer than"},
        {"rule", "\"domain\": \"capped_median gap=1\"",
         "\"domain\": \"capped_median gap=-1\"", MLG_EINVAL, "rules.domain"},
        {"rule_name", "\"composite\": \"mean\"", "\"composite\": \"average\"",
         MLG_ENOTFOUND, "rules.composite"},
        {"rule_rounding", "\"composite\": \"mean\"",
         "\"composite\": \"mean rounding=floor\"", MLG_EINVAL, "rounding"},
        {"rounding_word", "\"rounding\": \"half_up\"",
         "\"rounding\": \"up\"", MLG_ENOTFOUND, "rounding.rounding"},
        {"decimals", "\"decimals\": 6", "\"decimals\": 12", MLG_EINVAL,
         "decimals"},
        {"year", "\"year\": 2018", "\"year\": 2017", MLG_EINVAL,
         "entry_minimums.year"},
        {"threshold_scale", "\"ccs4\": 2", "\"ccs\": 2", MLG_ENOTFOUND,
         "ccs"},
        {"threshold_range", "\"ccs4\": 2", "\"ccs4\": 5", MLG_EINVAL,
         "outside the scale"},
        {"days", "\"min_days\": 15", "\"min_days\": -1", MLG_EINVAL,
         "min_days"},
        {"override", "\"override\": true", "\"override\": \"yes\"",
         MLG_EFORMAT, "attendance.override"},
        {"missing", "\"tk\": {", "\"tq\": {", MLG_ENOTFOUND, "tq"},
        {"periods_many", "\"count\": 3", "\"count\": 0", MLG_EINVAL,
         "periods.count"},
        {"date", "\"dates\": []",
         "\"dates\": [{\"name\": \"RP1\", \"start\": \"2018-13-01\", "
         "\"midpoint\": \"2018-09-28\", \"end\": \"2018-11-09\"}]",
         MLG_EFORMAT, "2018-13-01"},
        {"date_order", "\"dates\": []",
         "\"dates\": [{\"name\": \"RP1\", \"start\": \"2018-10-01\", "
         "\"midpoint\": \"2018-09-28\", \"end\": \"2018-11-09\"}]",
         MLG_EINVAL, "start <= midpoint"},
        {"periods_overlap", "\"dates\": []",
         "\"dates\": [{\"name\": \"RP1\", \"start\": \"2018-08-14\", "
         "\"midpoint\": \"2018-09-28\", \"end\": \"2018-11-09\"}, "
         "{\"name\": \"RP2\", \"start\": \"2018-11-01\", \"midpoint\": "
         "\"2019-01-18\", \"end\": \"2019-03-22\"}]",
         MLG_EINVAL, "before the previous"},
        {"basis_type", "\"basis\": \"sec. I.F", "\"basis\": 1, \"x\": \"",
         MLG_EFORMAT, "basis"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *w = variant(cases[i].from, cases[i].to);
        mlg_policy *p = (mlg_policy *)&p; /* not NULL: must be cleared */
        mlg_errinfo e;
        memset(&e, 0, sizeof e);
        assert_status_case(cases[i].name, parse_text(w, &p, &e),
                           cases[i].status);
        if (p != NULL)
            fail_msg("case %s: *out not NULL", cases[i].name);
        if (!strstr(e.message, cases[i].msg))
            fail_msg("case %s: message \"%s\" lacks \"%s\"", cases[i].name,
                     e.message, cases[i].msg);
        free(w);
    }
    mlg_policy *p = NULL;
    assert_int_equal(mlg_policy_parse(NULL, 0, &p, NULL), MLG_ENULL);
    assert_int_equal(mlg_policy_parse("{}", 2, NULL, NULL), MLG_ENULL);
    assert_int_equal(mlg_policy_parse("[]", 2, &p, NULL), MLG_EFORMAT);
    assert_int_equal(mlg_policy_parse("{}", 2, &p, NULL), MLG_EFORMAT);
    assert_int_equal(mlg_policy_builtin("lausd", &p, NULL), MLG_ENOTFOUND);
    assert_int_equal(mlg_policy_builtin(NULL, &p, NULL), MLG_ENULL);
    assert_null(mlg_policy_builtin_text("lausd"));
    assert_null(mlg_policy_name(NULL));
    assert_null(mlg_policy_hash(NULL));
    assert_null(mlg_policy_canonical(NULL));
    assert_null(mlg_policy_subject_code(NULL, 0));
    mlg_method_params mp;
    assert_int_equal(mlg_policy_method(NULL, &mp), MLG_ENULL);
    assert_int_equal(mlg_policy_settings_get(NULL, NULL), MLG_ENULL);
    assert_int_equal(mlg_policy_entry_minimums(NULL, NULL), MLG_ENULL);
    assert_int_equal(mlg_policy_period(NULL, 0, NULL, NULL), MLG_ENULL);
    assert_int_equal(mlg_policy_notice_threshold(NULL, "ccs4", NULL),
                     MLG_ENULL);
    assert_int_equal(mlg_policy_subject_find(NULL, "ela", NULL), MLG_ENULL);
    assert_int_equal(mlg_policy_scale(NULL, "tk", NULL), MLG_ENULL);
    assert_int_equal(mlg_policy_rule(NULL, 0, NULL), MLG_ENULL);
    /* An embedded NUL ends nothing: the length decides, and jansson
     * refuses the NUL. */
    assert_int_equal(mlg_policy_parse("{}\0x", 4, &p, NULL), MLG_EFORMAT);
}

/* Sec. VII.E: "multiple assignments that span the duration of the
 * reporting period".  Period days 100..110..120. */
static void test_sufficiency(void **state)
{
    (void)state;
    const mlg_period per = {100, 110, 120, 0};
    /* g0: 100, 120 -> one row per half: no flag.  g1: 110 only -> FEW and
     * NO_SPAN.  g2: 101, 105, 109 -> all in the first half: NO_SPAN.
     * g3: 90, 130 outside -> empty.  g4: 111 excused, 115 -> one row. */
    const int64_t off[] = {0, 2, 3, 6, 8, 10};
    const int32_t day[] = {100, 120, 110, 101, 105, 109, 90, 130, 111, 115};
    const uint8_t st[] = {0, 0, 0, 0, 0, 0, 0, 0, MLG_EVIDENCE_EXCUSED, 0};
    uint32_t fl[5];
    mlg_sufficiency_summary sum;
    assert_int_equal(mlg_evidence_sufficiency(5, off, day, st, &per, 2, 1, fl,
                                              &sum, NULL),
                     MLG_OK);
    assert_int_equal(fl[0], 0);
    assert_int_equal(fl[1], MLG_SUFFICIENCY_FEW | MLG_SUFFICIENCY_NO_SPAN);
    assert_int_equal(fl[2], MLG_SUFFICIENCY_NO_SPAN);
    assert_int_equal(fl[3], MLG_SUFFICIENCY_NOT_ASSESSED);
    assert_int_equal(fl[4], MLG_SUFFICIENCY_FEW | MLG_SUFFICIENCY_NO_SPAN);
    assert_int_equal(sum.n_groups, 5);
    assert_int_equal(sum.n_empty, 1);
    assert_int_equal(sum.n_one, 2);
    assert_int_equal(sum.n_few, 2);
    assert_int_equal(sum.n_no_span, 3);
    /* min_rows 0 and span 0: only the unassessed group is flagged. */
    assert_int_equal(mlg_evidence_sufficiency(5, off, day, NULL, &per, 0, 0,
                                              fl, NULL, NULL),
                     MLG_OK);
    for (int g = 0; g < 5; g++)
        assert_int_equal(fl[g], g == 3 ? MLG_SUFFICIENCY_NOT_ASSESSED : 0u);
    /* Errors leave the flags untouched. */
    fill(fl, sizeof fl);
    const mlg_period bad = {120, 110, 100, 0};
    assert_int_equal(mlg_evidence_sufficiency(5, off, day, st, &bad, 2, 1, fl,
                                              NULL, NULL),
                     MLG_EINVAL);
    assert_int_equal(mlg_evidence_sufficiency(5, off, day, st, &per, -1, 1,
                                              fl, NULL, NULL),
                     MLG_EINVAL);
    assert_int_equal(mlg_evidence_sufficiency(5, off, day, st, &per, 2, 2, fl,
                                              NULL, NULL),
                     MLG_EINVAL);
    const uint8_t bst[] = {0, 0, 0, 0, 0, 0, 0, 0, 9, 0};
    assert_int_equal(mlg_evidence_sufficiency(5, off, day, bst, &per, 2, 1,
                                              fl, NULL, NULL),
                     MLG_ESTATUS);
    const int64_t boff[] = {1, 2};
    assert_int_equal(mlg_evidence_sufficiency(1, boff, day, NULL, &per, 2, 1,
                                              fl, NULL, NULL),
                     MLG_EINVAL);
    const int32_t nday[] = {MLG_DAY_NONE, 100};
    assert_int_equal(mlg_evidence_sufficiency(1, off, nday, NULL, &per, 2, 1,
                                              fl, NULL, NULL),
                     MLG_EINVAL);
    assert_true(untouched(fl, sizeof fl));
    assert_int_equal(mlg_evidence_sufficiency(5, off, NULL, st, &per, 2, 1,
                                              fl, NULL, NULL),
                     MLG_ENULL);
    assert_int_equal(mlg_evidence_sufficiency(5, NULL, day, st, &per, 2, 1,
                                              fl, NULL, NULL),
                     MLG_ENULL);
}

/* A current proficiency level supersedes the evidence before it (Att. A,
 * Att. B footnote). */
static void test_level_supersede(void **state)
{
    (void)state;
    /* g0: M L M L M -> rows 0..2 superseded.  g1: M M -> unchanged.
     * g2: an excused L does not supersede. */
    const int64_t off[] = {0, 5, 7, 9};
    const uint8_t kind[] = {0, 1, 0, 1, 0, 0, 0, 1, 0};
    const uint8_t st[] = {0, 0, 0, 0, 0, 0, 0, MLG_EVIDENCE_EXCUSED, 0};
    uint8_t out[9];
    int64_t k = -1;
    assert_int_equal(mlg_level_supersede(3, off, kind, st, out, &k, NULL),
                     MLG_OK);
    const uint8_t want[] = {1, 1, 1, 0, 0, 0, 0, 1, 0};
    assert_memory_equal(out, want, sizeof want);
    assert_int_equal(k, 3);

    /* The issue's case: level entries 1 then 3.  decaying_average (0.65)
     * over both: 0.35 * 1 + 0.65 * 3 = 2.3 -> level "2"; with the first
     * superseded: 3. */
    const int64_t o1[] = {0, 2};
    const uint8_t k1[] = {MLG_KIND_LEVEL, MLG_KIND_LEVEL};
    const int32_t d1[] = {17800, 17830};
    const double s1[] = {1, 3};
    uint8_t st1[2];
    assert_int_equal(mlg_level_supersede(1, o1, k1, NULL, st1, NULL, NULL),
                     MLG_OK);
    mlg_method_params mp;
    mlg_result r;
    mlg_method_params_init(&mp, MLG_METHOD_DECAYING_AVERAGE);
    assert_int_equal(mlg_series_compute(2, d1, s1, NULL, NULL, NULL, &mp, &r,
                                        NULL),
                     MLG_OK);
    assert_double_near(r.value, 2.3, 1e-12);
    assert_int_equal(r.level, 1);
    assert_int_equal(mlg_series_compute(2, d1, s1, NULL, st1, NULL, &mp, &r,
                                        NULL),
                     MLG_OK);
    assert_double_near(r.value, 3.0, 1e-12);
    assert_int_equal(r.level, 2);

    /* Errors: outputs untouched. */
    fill(out, sizeof out);
    const uint8_t bk[] = {0, 2, 0, 0, 0, 0, 0, 0, 0};
    assert_int_equal(mlg_level_supersede(3, off, bk, st, out, NULL, NULL),
                     MLG_EINVAL);
    const uint8_t bs[] = {0, 0, 0, 0, 0, 0, 0, 3, 0};
    assert_int_equal(mlg_level_supersede(3, off, kind, bs, out, NULL, NULL),
                     MLG_ESTATUS);
    assert_int_equal(mlg_level_supersede(3, off, NULL, st, out, NULL, NULL),
                     MLG_ENULL);
    assert_int_equal(mlg_level_supersede(3, NULL, kind, st, out, NULL, NULL),
                     MLG_ENULL);
    assert_true(untouched(out, sizeof out));
}

/* Notices per scale under the policy: behaviour R only, TK none, CCS 1-2
 * (sec. I.I, IX.E; VI). */
static void test_policy_notices(void **state)
{
    (void)state;
    mlg_policy *p = NULL;
    assert_int_equal(mlg_policy_builtin(MLG_POLICY_DEFAULT, &p, NULL), MLG_OK);
    mlg_catalogue *c = NULL;
    assert_int_equal(mlg_catalogue_create(&c), MLG_OK);
    static const struct {
        const char *id;
        int32_t scale;
    } dom[] = {{"BEH", MLG_SCALE_BEHAVIOR}, {"TKD", MLG_SCALE_TK},
               {"D", MLG_SCALE_CCS4}};
    for (int i = 0; i < 3; i++) {
        mlg_scale sc;
        mlg_scale_builtin(dom[i].scale, &sc);
        char tid[8];
        snprintf(tid, sizeof tid, "T%d", i);
        assert_int_equal(mlg_catalogue_add(c, dom[i].id, NULL,
                                           MLG_NODE_DOMAIN, &sc, NULL, 1,
                                           NULL),
                         MLG_OK);
        assert_int_equal(mlg_catalogue_add(c, tid, NULL, MLG_NODE_TARGET, &sc,
                                           NULL, 1, NULL),
                         MLG_OK);
        assert_int_equal(mlg_catalogue_link(c, dom[i].id, tid, 1.0, NULL),
                         MLG_OK);
    }
    assert_int_equal(mlg_catalogue_finalize(c, NULL), MLG_OK);
    assert_int_equal(mlg_catalogue_node_count(c), 6);
    size_t nb = 0, nt = 0, nd = 0;
    mlg_catalogue_find(c, "BEH", &nb);
    mlg_catalogue_find(c, "TKD", &nt);
    mlg_catalogue_find(c, "D", &nd);
    /* Student 0: BEH "S" (index 1), TK "B" (1), D "2" (1).  Student 1:
     * BEH "R" (0), TK "E" (0), D "3" (2). */
    int32_t lev[12];
    for (int i = 0; i < 12; i++)
        lev[i] = MLG_LEVEL_NA;
    lev[nb] = 1;
    lev[nt] = 1;
    lev[nd] = 1;
    lev[6 + nb] = 0;
    lev[6 + nt] = 0;
    lev[6 + nd] = 2;
    double val[12], thr[6];
    assert_int_equal(mlg_policy_notice_inputs(p, c, 2, lev, 0, val, thr,
                                              NULL),
                     MLG_OK);
    int64_t ss[12], aa[12];
    size_t need = 0;
    assert_int_equal(mlg_notice_list(2, 6, val, thr, 12, ss, aa, &need, NULL),
                     MLG_OK);
    /* Notices: student 0 in D (2 <= 2), student 1 in BEH (R = 1 <= 1).
     * Not: S (2 > 1), either TK mark, D 3. */
    assert_int_equal(need, 2);
    assert_int_equal(ss[0], 0);
    assert_int_equal((size_t)aa[0], nd);
    assert_int_equal(ss[1], 1);
    assert_int_equal((size_t)aa[1], nb);
    /* Without the policy, the suggested thresholds give the TK "B" and
     * "E" notices too (second-lowest level of a 4-level scale). */
    assert_int_equal(mlg_notice_inputs_from_rollup(c, 2, lev, 0, val, thr,
                                                   NULL),
                     MLG_OK);
    assert_int_equal(mlg_notice_list(2, 6, val, thr, 12, ss, aa, &need, NULL),
                     MLG_OK);
    assert_int_equal(need, 4);
    assert_int_equal(mlg_policy_notice_inputs(NULL, c, 2, lev, 0, val, thr,
                                              NULL),
                     MLG_ENULL);
    mlg_catalogue_free(c);
    mlg_policy_free(p);
}

/* Sec. II.A footnote *: a math domain and a practice each period, every
 * one by the final period. */
static void test_coverage(void **state)
{
    (void)state;
    /* Nodes: 0 3.OA, 1 3.G (group 0, domains), 2 MP1, 3 MP2 (group 1,
     * practices), 4 MATH (not checked).  Period 0: 3.OA graded only.
     * Period 1: 3.G and MP1.  Domains: graded in both periods, none
     * missed.  Practices: none in period 0 (bit 0), MP2 never. */
    const int32_t NA = MLG_LEVEL_NA;
    const int32_t lev[] = {1, NA, NA, NA, 1, /* period 0 */
                           NA, 0, 1, NA, 1}; /* period 1 */
    const int32_t group[] = {0, 0, 1, 1, -1};
    uint32_t miss[2];
    int32_t never[2];
    assert_int_equal(mlg_coverage_check(2, 1, 5, lev, group, 2, miss, never,
                                        NULL),
                     MLG_OK);
    assert_int_equal(miss[0], 0);
    assert_int_equal(never[0], 0);
    assert_int_equal(miss[1], 0x1u);
    assert_int_equal(never[1], 1);
    /* Period 0 alone: domains fine, practices missing in period 0 and both
     * practices and 3.G not graded yet. */
    assert_int_equal(mlg_coverage_check(1, 1, 5, lev, group, 2, miss, never,
                                        NULL),
                     MLG_OK);
    assert_int_equal(miss[0], 0);
    assert_int_equal(never[0], 1);
    assert_int_equal(miss[1], 0x1u);
    assert_int_equal(never[1], 2);
    /* Errors leave outputs untouched. */
    fill(miss, sizeof miss);
    fill(never, sizeof never);
    const int32_t bad[] = {0, 0, 2, 1, -1};
    assert_int_equal(mlg_coverage_check(2, 1, 5, lev, bad, 2, miss, never,
                                        NULL),
                     MLG_EINVAL);
    assert_int_equal(mlg_coverage_check(0, 1, 5, lev, group, 2, miss, never,
                                        NULL),
                     MLG_EINVAL);
    assert_int_equal(mlg_coverage_check(33, 1, 5, lev, group, 2, miss, never,
                                        NULL),
                     MLG_EINVAL);
    assert_int_equal(mlg_coverage_check(2, 1, 5, NULL, group, 2, miss, never,
                                        NULL),
                     MLG_ENULL);
    assert_true(untouched(miss, sizeof miss));
    assert_true(untouched(never, sizeof never));
}

/* Attachment C: the 6th-grade letter's areas (l. 1128-1160). */
static void test_grade6_letter(void **state)
{
    (void)state;
    mlg_notice_area a, b;
    size_t n = 0;
    while (mlg_notice_area_grade(6, n, &a) == MLG_OK)
        n++;
    assert_int_equal(n, MLG_NOTICE_AREA_COUNT_GRADE6);
    static const struct {
        size_t i;
        const char *heading, *label;
    } want[] = {
        {0, "English Language Arts", "Foundational Skills"},
        {4, "English Language Arts",
         "Effective Expression through Speaking/Listening"},
        {5, "Mathematics", "Ratios & Proportional Relationships"},
        {6, "Mathematics", "The Number System"},
        {7, "Mathematics", "Expressions & Equations"},
        {8, "Mathematics", "Geometry"},
        {9, "Mathematics", "Statistics & Probability"},
        {10, "Mathematics", "Math Practices"},
        {11, "", "Science"},
        {16, "", "ELD"},
        {32, "Uses technology & Digital Media strategically & Capably",
         "adheres to the guidelines found in the district AUP"},
    };
    for (size_t c = 0; c < sizeof want / sizeof want[0]; c++) {
        assert_int_equal(mlg_notice_area_grade(6, want[c].i, &a), MLG_OK);
        assert_string_equal(a.heading, want[c].heading);
        assert_string_equal(a.label, want[c].label);
    }
    /* No K-5 math line on the grade-6 letter. */
    for (size_t i = 0; i < n; i++) {
        mlg_notice_area_grade(6, i, &a);
        assert_null(strstr(a.label, "Counting"));
        assert_null(strstr(a.label, "Base Ten"));
    }
    /* Grades 0..5 are the K-5 letter. */
    assert_int_equal(mlg_notice_area_grade(3, 6, &a), MLG_OK);
    assert_int_equal(mlg_notice_area_builtin(6, &b), MLG_OK);
    assert_memory_equal(&a, &b, sizeof a);
    assert_int_equal(mlg_notice_area_grade(0, MLG_NOTICE_AREA_COUNT, &a),
                     MLG_ENOTFOUND);
    assert_int_equal(mlg_notice_area_grade(7, 0, &a), MLG_ENOTFOUND);
    assert_int_equal(mlg_notice_area_grade(-1, 0, &a), MLG_ENOTFOUND);
    assert_int_equal(mlg_notice_area_grade(6, 0, NULL), MLG_ENULL);
}

/* Sec. II.A's N/A table for catalogue nodes that declare none. */
static void test_subject_guess(void **state)
{
    (void)state;
    static const struct {
        const char *root_id, *root_label, *id, *label, *parent_id;
        int32_t kind;
        const char *code;  /* NULL = not found */
        int32_t na;
    } cases[] = {
        /* The composites are never N/A (l. 280-281). */
        {"ELA", "English Language Arts", "ELA", "English Language Arts", NULL,
         MLG_NODE_COMPOSITE, "ela_composite", 0},
        {"MATH", "Mathematics", "MATH", "Mathematics", NULL,
         MLG_NODE_COMPOSITE, "math_composite", 0},
        {"ELA", "English Language Arts", "ELA.RF", "Foundational Reading",
         "ELA", MLG_NODE_DOMAIN, "ela", 0},
        {"MATH", "Mathematics", "3.OA", "Operations", "MATH",
         MLG_NODE_DOMAIN, "math_domain", 1},
        {"MATH", "Mathematics", "MATH.MP", "Mathematical Practices", "MATH",
         MLG_NODE_DOMAIN, "math_practices", 1},
        {"ELD", "English Language Development", "ELD", "English Language "
         "Development", NULL, MLG_NODE_SUBJECT, "eld", 0},
        {"VAPA", "Visual and Performing Arts", "VAPA.MUSIC", "Music", "VAPA",
         MLG_NODE_DOMAIN, "vapa_discipline", 1},
        {"VAPA", "Visual and Performing Arts", "VAPA", "Visual and "
         "Performing Arts", NULL, MLG_NODE_SUBJECT, "vapa", 0},
        {"SCI", "Science", "SCI", "Science", NULL, MLG_NODE_SUBJECT,
         "science", 0},
        {"BEHAVIORS", "Behaviors", "B.1", "works independently", "BEHAVIORS",
         MLG_NODE_DOMAIN, "behaviors", 0},
        {"X", "Something else", "X", "Something else", NULL,
         MLG_NODE_SUBJECT, NULL, 0},
        {"MATH", "Mathematics", "3.OA.A.1", "target", "3.OA",
         MLG_NODE_TARGET, NULL, 0},
    };
    mlg_policy *p = NULL;
    assert_int_equal(mlg_policy_builtin(MLG_POLICY_DEFAULT, &p, NULL), MLG_OK);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *code = NULL;
        const int st = mlg_policy_subject_guess(
            cases[i].root_id, cases[i].root_label, cases[i].id,
            cases[i].label, cases[i].parent_id, NULL, cases[i].kind, &code);
        if (!cases[i].code) {
            assert_int_equal(st, MLG_ENOTFOUND);
            continue;
        }
        assert_int_equal(st, MLG_OK);
        assert_string_equal(code, cases[i].code);
        mlg_policy_subject sj;
        assert_int_equal(mlg_policy_subject_find(p, code, &sj), MLG_OK);
        assert_int_equal(sj.na_allowed, cases[i].na);
    }
    const char *code;
    assert_int_equal(mlg_policy_subject_guess(NULL, NULL, "x", NULL, NULL,
                                              NULL, 0, &code),
                     MLG_ENULL);
    mlg_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256),
        cmocka_unit_test(test_builtin_fields),
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_custom),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_sufficiency),
        cmocka_unit_test(test_level_supersede),
        cmocka_unit_test(test_policy_notices),
        cmocka_unit_test(test_coverage),
        cmocka_unit_test(test_grade6_letter),
        cmocka_unit_test(test_subject_guess),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
