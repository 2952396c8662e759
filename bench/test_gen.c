/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_gen.c -- the synthetic district generator (bench/gen.h).
 *
 * Checks what gen.h promises: presets and validation, the same
 * configuration gives the same arrays and the same CSV bytes, the CSR
 * invariants mlg_batch_compute() needs (offsets from 0, non-decreasing;
 * days non-decreasing within a series and inside the period), scores on the
 * CCS 1..4 scale (whole or two decimals), weights 1 or 2, statuses
 * MLG_EVIDENCE_* with NaN scores exactly on excused/missing rows, and the
 * id and date helpers.  Dates are checked against Python's datetime
 * (date(1970,1,1) + timedelta(days=n)).
 */
#include "gen.h"
#include "mlg.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static void test_presets(void **state)
{
    (void)state;
    mlg_gen_config c;
    size_t n = 0;
    for (const char *name; (name = mlg_gen_preset_name(n)) != NULL; n++) {
        assert_int_equal(mlg_gen_preset(name, &c), MLG_OK);
        assert_int_equal(mlg_gen_validate(&c), MLG_OK);
        assert_int_equal((int)c.seed, (int)MLG_GEN_DEFAULT_SEED);
    }
    assert_int_equal(n, 4);
    assert_int_equal(mlg_gen_preset("lausd-year", &c), MLG_OK);
    assert_int_equal(c.students, 408000);
    assert_int_equal(c.targets, 60);
    assert_int_equal(mlg_gen_preset("nope", &c), MLG_ENOTFOUND);
    assert_int_equal(mlg_gen_preset(NULL, &c), MLG_ENULL);
    assert_int_equal(mlg_gen_preset("small", NULL), MLG_ENULL);
}

/* Ensure out-of-range configurations are refused (MLG_EINVAL) and a NULL
 * one is MLG_ENULL; *out is zeroed on error. */
static void test_validate(void **state)
{
    (void)state;
    mlg_gen_config base, c;
    assert_int_equal(mlg_gen_preset("tiny", &base), MLG_OK);
    c = base; c.students = 0;
    assert_int_equal(mlg_gen_validate(&c), MLG_EINVAL);
    c = base; c.targets = 0;
    assert_int_equal(mlg_gen_validate(&c), MLG_EINVAL);
    c = base; c.evidence_mean = 0.5;
    assert_int_equal(mlg_gen_validate(&c), MLG_EINVAL);
    c = base; c.evidence_mean = NAN;
    assert_int_equal(mlg_gen_validate(&c), MLG_EINVAL);
    c = base; c.empty_rate = 1.0;
    assert_int_equal(mlg_gen_validate(&c), MLG_EINVAL);
    c = base; c.excused_rate = 0.6; c.missing_rate = 0.5;
    assert_int_equal(mlg_gen_validate(&c), MLG_EINVAL);
    c = base; c.period_days = 0;
    assert_int_equal(mlg_gen_validate(&c), MLG_EINVAL);
    c = base; c.with_status = 2;
    assert_int_equal(mlg_gen_validate(&c), MLG_EINVAL);
    c = base; c.students = INT64_MAX / 2;
    assert_int_equal(mlg_gen_validate(&c), MLG_EOVERFLOW);
    assert_int_equal(mlg_gen_validate(NULL), MLG_ENULL);
    mlg_gen_data d;
    memset(&d, 0x5A, sizeof d);
    c = base; c.students = 0;
    assert_int_equal(mlg_gen_generate(&c, &d), MLG_EINVAL);
    assert_null(d.offsets);
    assert_int_equal(d.n_rows, 0);
    assert_int_equal(mlg_gen_generate(NULL, &d), MLG_ENULL);
    assert_int_equal(mlg_gen_generate(&base, NULL), MLG_ENULL);
    mlg_gen_free(NULL); /* allowed */
}

static void check_invariants(const mlg_gen_config *c, const mlg_gen_data *d)
{
    assert_int_equal(d->n_groups, (size_t)c->students * (size_t)c->targets);
    assert_int_equal(d->offsets[0], 0);
    for (size_t g = 0; g < d->n_groups; g++) {
        assert_true(d->offsets[g + 1] >= d->offsets[g]);
        for (int64_t r = d->offsets[g]; r < d->offsets[g + 1]; r++) {
            assert_true(d->day[r] >= c->start_day);
            assert_true(d->day[r] < c->start_day + c->period_days);
            if (r > d->offsets[g])
                assert_true(d->day[r] >= d->day[r - 1]);
            const uint8_t st = d->status ? d->status[r] : MLG_EVIDENCE_COUNTED;
            assert_true(st <= MLG_EVIDENCE_MISSING);
            const double s = d->score[r];
            if (st != MLG_EVIDENCE_COUNTED) {
                assert_true(isnan(s));
                continue;
            }
            assert_true(s >= 1.0 && s <= 4.0);
            if (c->continuous)
                assert_true(fabs(s * 100.0 - floor(s * 100.0 + 0.5)) < 1e-9);
            else
                assert_true(s == floor(s));
            if (d->weight)
                assert_true(d->weight[r] == 1.0 || d->weight[r] == 2.0);
        }
    }
    assert_int_equal((size_t)d->offsets[d->n_groups], d->n_rows);
}

/* Ensure every shape keeps the CSR and scale invariants, and row counts
 * follow evidence_mean: with 2000 series of mean 4 (1% empty) the mean rows
 * per series is 0.99 * 4 = 3.96 with statuses, 0.99 * (1 + 3 * 0.96) = 3.84
 * without (excused and missing rows dropped), give or take sampling noise
 * (Poisson sd 1.7 / sqrt(2000) = 0.04): [3.7, 4.2] cannot fail by chance. */
static void test_invariants(void **state)
{
    (void)state;
    for (int shape = 0; shape < 4; shape++) {
        mlg_gen_config c;
        assert_int_equal(mlg_gen_preset("tiny", &c), MLG_OK);
        c.students = 250;
        c.continuous = shape & 1;
        c.with_weight = shape >= 2;
        c.with_status = shape >= 2;
        mlg_gen_data d;
        assert_int_equal(mlg_gen_generate(&c, &d), MLG_OK);
        check_invariants(&c, &d);
        const double per = (double)d.n_rows / (double)d.n_groups;
        assert_true(per > 3.7 && per < 4.2);
        /* Statuses: 2% excused, 2% missing of ~8000 rows. */
        if (d.status) {
            size_t ex = 0, mi = 0;
            for (size_t r = 0; r < d.n_rows; r++) {
                ex += d.status[r] == MLG_EVIDENCE_EXCUSED;
                mi += d.status[r] == MLG_EVIDENCE_MISSING;
            }
            assert_true(ex > 0 && ex < d.n_rows / 10);
            assert_true(mi > 0 && mi < d.n_rows / 10);
        }
        assert_int_equal(mlg_gen_input_bytes(&d),
                         (d.n_groups + 1) * 8 + d.n_rows * (12 + (d.weight ? 8 : 0) +
                                                            (d.status ? 1 : 0)));
        mlg_gen_free(&d);
        assert_null(d.offsets);
    }
}

static char *csv_of(const mlg_gen_data *d, size_t *len)
{
    char *buf = NULL;
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(mlg_gen_write_csv(d, f), MLG_OK);
    *len = (size_t)ftell(f);
    rewind(f);
    buf = malloc(*len + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, *len, f), *len);
    buf[*len] = 0;
    fclose(f);
    return buf;
}

/* Ensure the same configuration gives the same arrays and CSV bytes, and
 * another seed gives other data (gen.h). */
static void test_deterministic(void **state)
{
    (void)state;
    mlg_gen_config c;
    assert_int_equal(mlg_gen_preset("tiny", &c), MLG_OK);
    c.with_weight = c.with_status = 1;
    mlg_gen_data a, b;
    assert_int_equal(mlg_gen_generate(&c, &a), MLG_OK);
    assert_int_equal(mlg_gen_generate(&c, &b), MLG_OK);
    assert_int_equal(a.n_rows, b.n_rows);
    assert_memory_equal(a.offsets, b.offsets, (a.n_groups + 1) * 8);
    assert_memory_equal(a.day, b.day, a.n_rows * 4);
    assert_memory_equal(a.score, b.score, a.n_rows * 8);
    assert_memory_equal(a.weight, b.weight, a.n_rows * 8);
    assert_memory_equal(a.status, b.status, a.n_rows);
    size_t la, lb;
    char *ca = csv_of(&a, &la), *cb = csv_of(&b, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(ca, cb, la);
    /* Header and row shape. */
    static const char header[] =
        "student_id,target_id,assessed_at,score,weight,status\n";
    const size_t hl = sizeof header - 1;
    assert_true(strncmp(ca, header, hl) == 0);
    assert_true(strncmp(ca + hl, "S0000001,3.OA.A.1,2025-", 23) == 0);
    size_t lines = 0;
    for (size_t i = 0; i < la; i++)
        lines += ca[i] == '\n';
    assert_int_equal(lines, a.n_rows + 1);
    free(ca);
    free(cb);
    mlg_gen_free(&b);
    c.seed++;
    assert_int_equal(mlg_gen_generate(&c, &b), MLG_OK);
    assert_true(a.n_rows != b.n_rows ||
                memcmp(a.score, b.score, a.n_rows * 8) != 0);
    mlg_gen_free(&a);
    mlg_gen_free(&b);
    assert_int_equal(mlg_gen_write_csv(NULL, stdout), MLG_ENULL);
}

/* Dates from Python: date(1970,1,1) + timedelta(days=n). */
static void test_helpers(void **state)
{
    (void)state;
    static const struct {
        int32_t day;
        const char *iso;
    } dates[] = {
        {0, "1970-01-01"},     {-1, "1969-12-31"},
        {11016, "2000-02-29"}, {20314, "2025-08-14"},
    };
    char buf[32];
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++)
        assert_string_equal(mlg_gen_day_to_iso(dates[i].day, buf), dates[i].iso);
    assert_string_equal(mlg_gen_target_code(0, buf, sizeof buf), "3.OA.A.1");
    assert_string_equal(mlg_gen_target_code(25, buf, sizeof buf), "RL.3.1");
    assert_string_equal(mlg_gen_target_code(67, buf, sizeof buf), "T67");
    assert_string_equal(mlg_gen_student_id(0, buf, sizeof buf), "S0000001");
    assert_string_equal(mlg_gen_student_id(407999, buf, sizeof buf), "S0408000");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_presets),     cmocka_unit_test(test_validate),
        cmocka_unit_test(test_invariants),  cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_helpers),
    };
    return cmocka_run_group_tests_name("gen", tests, NULL, NULL);
}
