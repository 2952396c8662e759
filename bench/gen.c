/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gen.c -- seeded synthetic district evidence (see gen.h). */
#include "gen.h"

#include "mlg.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Grade-3 Common Core codes: mathematics, then English language arts. */
static const char *const target_codes[] = {
    "3.OA.A.1",  "3.OA.A.2",  "3.OA.A.3",  "3.OA.A.4",  "3.OA.B.5",
    "3.OA.B.6",  "3.OA.C.7",  "3.OA.D.8",  "3.OA.D.9",  "3.NBT.A.1",
    "3.NBT.A.2", "3.NBT.A.3", "3.NF.A.1",  "3.NF.A.2",  "3.NF.A.3",
    "3.MD.A.1",  "3.MD.A.2",  "3.MD.B.3",  "3.MD.B.4",  "3.MD.C.5",
    "3.MD.C.6",  "3.MD.C.7",  "3.MD.D.8",  "3.G.A.1",   "3.G.A.2",
    "RL.3.1",    "RL.3.2",    "RL.3.3",    "RL.3.4",    "RL.3.5",
    "RL.3.6",    "RL.3.7",    "RL.3.9",    "RL.3.10",   "RI.3.1",
    "RI.3.2",    "RI.3.3",    "RI.3.4",    "RI.3.5",    "RI.3.6",
    "RI.3.7",    "RI.3.8",    "RI.3.9",    "RI.3.10",   "RF.3.3",
    "RF.3.4",    "W.3.1",     "W.3.2",     "W.3.3",     "W.3.4",
    "W.3.5",     "W.3.6",     "W.3.7",     "W.3.8",     "W.3.10",
    "SL.3.1",    "SL.3.2",    "SL.3.3",    "SL.3.4",    "SL.3.5",
    "SL.3.6",    "L.3.1",     "L.3.2",     "L.3.3",     "L.3.4",
    "L.3.5",     "L.3.6",
};
#define N_TARGET_CODES (sizeof target_codes / sizeof target_codes[0])

static const char *const preset_names[] = {"tiny", "small", "lausd-period",
                                           "lausd-year"};

/* 2025-08-14, the first day of LAUSD's 2025-26 school year. */
#define GEN_YEAR_START 20314
#define GEN_MAX_TARGETS 10000
#define GEN_MAX_SERIES_ROWS 4096

int mlg_gen_preset(const char *name, mlg_gen_config *cfg)
{
    if (!name || !cfg)
        return MLG_ENULL;
    mlg_gen_config c;
    memset(&c, 0, sizeof c);
    c.seed = MLG_GEN_DEFAULT_SEED;
    c.targets = 60;
    c.empty_rate = 0.01;
    c.reassess_rate = 0.15;
    c.same_day_rate = 0.05;
    c.excused_rate = 0.02;
    c.missing_rate = 0.02;
    c.noise_sd = 0.45;
    c.start_day = GEN_YEAR_START;
    if (strcmp(name, "tiny") == 0) {
        c.students = 20;
        c.targets = 8;
        c.evidence_mean = 4.0;
        c.period_days = 120;
    } else if (strcmp(name, "small") == 0) {
        c.students = 500;
        c.evidence_mean = 3.0;
        c.period_days = 90;
    } else if (strcmp(name, "lausd-period") == 0) {
        c.students = 408000;
        c.evidence_mean = 3.0;
        c.period_days = 90;
    } else if (strcmp(name, "lausd-year") == 0) {
        c.students = 408000;
        c.evidence_mean = 9.0;
        c.period_days = 300;
    } else {
        return MLG_ENOTFOUND;
    }
    *cfg = c;
    return MLG_OK;
}

const char *mlg_gen_preset_name(size_t i)
{
    return i < sizeof preset_names / sizeof preset_names[0] ? preset_names[i]
                                                            : NULL;
}

static int rate_ok(double r, int closed)
{
    return r >= 0.0 && (closed ? r <= 1.0 : r < 1.0);
}

int mlg_gen_validate(const mlg_gen_config *cfg)
{
    if (!cfg)
        return MLG_ENULL;
    if (cfg->students < 1 || cfg->targets < 1 ||
        cfg->targets > GEN_MAX_TARGETS || !(cfg->evidence_mean >= 1.0) ||
        !(cfg->evidence_mean <= 1000.0) || !rate_ok(cfg->empty_rate, 0) ||
        !rate_ok(cfg->reassess_rate, 1) || !rate_ok(cfg->same_day_rate, 1) ||
        !rate_ok(cfg->excused_rate, 0) || !rate_ok(cfg->missing_rate, 0) ||
        !(cfg->excused_rate + cfg->missing_rate < 1.0) ||
        !(cfg->noise_sd >= 0.0 && cfg->noise_sd <= 10.0) ||
        cfg->period_days < 1 || cfg->period_days > 100000 ||
        cfg->start_day > INT32_MAX - cfg->period_days ||
        (cfg->continuous != 0 && cfg->continuous != 1) ||
        (cfg->with_weight != 0 && cfg->with_weight != 1) ||
        (cfg->with_status != 0 && cfg->with_status != 1))
        return MLG_EINVAL;
    if (cfg->students > (int64_t)(SIZE_MAX / 16) / cfg->targets)
        return MLG_EOVERFLOW;
    const double expect = (double)cfg->students * cfg->targets *
                          cfg->evidence_mean;
    if (expect > (double)(SIZE_MAX / 32))
        return MLG_EOVERFLOW;
    return MLG_OK;
}

/* Two independent mt19937 streams from one 64-bit seed (splitmix64). */
static unsigned long mix_seed(uint64_t seed, uint64_t stream)
{
    uint64_t z = seed + 0x9E3779B97F4A7C15ull * (stream + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return (unsigned long)(z & 0xffffffffu);
}

static double logistic(double x) { return 1.0 / (1.0 + exp(-x)); }

void mlg_gen_free(mlg_gen_data *data)
{
    if (!data)
        return;
    free(data->offsets);
    free(data->day);
    free(data->score);
    free(data->weight);
    free(data->status);
    memset(data, 0, sizeof *data);
}

int mlg_gen_generate(const mlg_gen_config *cfg, mlg_gen_data *out)
{
    if (!cfg || !out)
        return MLG_ENULL;
    memset(out, 0, sizeof *out);
    int rc = mlg_gen_validate(cfg);
    if (rc != MLG_OK)
        return rc;

    const size_t n_groups = (size_t)cfg->students * (size_t)cfg->targets;
    gsl_rng *rc_count = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    double *difficulty = malloc(sizeof(double) * (size_t)cfg->targets);
    double *rate = malloc(sizeof(double) * (size_t)cfg->targets);
    int64_t *offsets = malloc(sizeof(int64_t) * (n_groups + 1));
    if (!rc_count || !rng || !difficulty || !rate || !offsets) {
        rc = MLG_ENOMEM;
        goto fail;
    }
    gsl_rng_set(rc_count, mix_seed(cfg->seed, 0));
    gsl_rng_set(rng, mix_seed(cfg->seed, 1));

    /* Pass 1: rows per series (kept rows only when there is no status). */
    const double keep = cfg->with_status
                            ? 1.0
                            : 1.0 - cfg->excused_rate - cfg->missing_rate;
    const double mu = (cfg->evidence_mean - 1.0) * keep;
    offsets[0] = 0;
    for (size_t g = 0; g < n_groups; g++) {
        int64_t k = 0;
        if (!(gsl_rng_uniform(rc_count) < cfg->empty_rate)) {
            k = 1 + (int64_t)gsl_ran_poisson(rc_count, mu);
            if (k > GEN_MAX_SERIES_ROWS)
                k = GEN_MAX_SERIES_ROWS;
        }
        offsets[g + 1] = offsets[g] + k;
    }
    const size_t n_rows = (size_t)offsets[n_groups];

    out->offsets = offsets;
    offsets = NULL;
    out->students = cfg->students;
    out->targets = cfg->targets;
    out->n_groups = n_groups;
    out->n_rows = n_rows;
    /* malloc(0) may return NULL: allocate at least one element. */
    const size_t alloc_rows = n_rows ? n_rows : 1;
    out->day = malloc(sizeof(int32_t) * alloc_rows);
    out->score = malloc(sizeof(double) * alloc_rows);
    if (cfg->with_weight)
        out->weight = malloc(sizeof(double) * alloc_rows);
    if (cfg->with_status)
        out->status = malloc(alloc_rows);
    if (!out->day || !out->score || (cfg->with_weight && !out->weight) ||
        (cfg->with_status && !out->status)) {
        rc = MLG_ENOMEM;
        goto fail;
    }

    /* Per-target difficulty and learning rate. */
    for (int32_t t = 0; t < cfg->targets; t++) {
        difficulty[t] = gsl_ran_gaussian_ziggurat(rng, 0.8);
        rate[t] = exp(0.7 + gsl_ran_gaussian_ziggurat(rng, 0.35));
    }

    /* Pass 2: the rows, student by student. */
    const int32_t start = cfg->start_day;
    const int32_t period = cfg->period_days;
    const int32_t end = start + period - 1;
    size_t g = 0;
    for (int64_t s = 0; s < cfg->students; s++) {
        const double ability = gsl_ran_gaussian_ziggurat(rng, 1.0);
        const double pace = exp(gsl_ran_gaussian_ziggurat(rng, 0.25));
        for (int32_t t = 0; t < cfg->targets; t++, g++) {
            const int64_t lo = out->offsets[g], hi = out->offsets[g + 1];
            const size_t k = (size_t)(hi - lo);
            if (k == 0)
                continue;
            const double a = ability - difficulty[t];
            const double p0 = logistic(a - 1.0);
            const double ceil_ = logistic(a + 2.0);
            const double r = rate[t] * pace;
            int32_t *day = out->day + lo;
            double *score = out->score + lo;
            /* Sorted uniform days over the period (insertion sort: k small). */
            for (size_t i = 0; i < k; i++) {
                const int32_t d =
                    start + (int32_t)gsl_rng_uniform_int(rng, (unsigned long)period);
                size_t j = i;
                while (j > 0 && day[j - 1] > d) {
                    day[j] = day[j - 1];
                    j--;
                }
                day[j] = d;
            }
            for (size_t i = 0; i < k; i++) {
                if (i > 0) {
                    const double u = gsl_rng_uniform(rng);
                    if (u < cfg->same_day_rate) {
                        day[i] = day[i - 1];
                    } else if (score[i - 1] <= 2.0 &&
                               u < cfg->same_day_rate + cfg->reassess_rate) {
                        /* A reassessment 1..7 days after a low score. */
                        int32_t d = day[i - 1] + 1 +
                                    (int32_t)gsl_rng_uniform_int(rng, 7);
                        if (d > end)
                            d = end;
                        if (d > day[i - 1])
                            day[i] = d < day[i] ? d : day[i];
                    }
                    if (day[i] < day[i - 1])
                        day[i] = day[i - 1];
                }
                const double x = (double)(day[i] - start) / (double)period;
                const double truth =
                    1.0 + 3.0 * (ceil_ - (ceil_ - p0) * exp(-r * x));
                double v = truth + gsl_ran_gaussian_ziggurat(rng, cfg->noise_sd);
                if (v < 1.0)
                    v = 1.0;
                if (v > 4.0)
                    v = 4.0;
                v = cfg->continuous ? floor(v * 100.0 + 0.5) / 100.0
                                    : floor(v + 0.5);
                score[i] = v;
                if (cfg->with_weight)
                    out->weight[lo + (int64_t)i] =
                        gsl_rng_uniform(rng) < 0.2 ? 2.0 : 1.0;
                if (cfg->with_status) {
                    const double u = gsl_rng_uniform(rng);
                    uint8_t st = MLG_EVIDENCE_COUNTED;
                    if (u < cfg->excused_rate)
                        st = MLG_EVIDENCE_EXCUSED;
                    else if (u < cfg->excused_rate + cfg->missing_rate)
                        st = MLG_EVIDENCE_MISSING;
                    out->status[lo + (int64_t)i] = st;
                }
            }
            /* Excused/missing rows carry no score (after the loop so the
             * reassessment rule above still sees the drawn score). */
            if (cfg->with_status)
                for (size_t i = 0; i < k; i++)
                    if (out->status[lo + (int64_t)i] != MLG_EVIDENCE_COUNTED)
                        score[i] = NAN;
        }
    }
    rc = MLG_OK;
    goto done;
fail:
    mlg_gen_free(out);
done:
    free(offsets);
    free(difficulty);
    free(rate);
    gsl_rng_free(rc_count);
    gsl_rng_free(rng);
    return rc;
}

size_t mlg_gen_input_bytes(const mlg_gen_data *data)
{
    if (!data)
        return 0;
    size_t per_row = sizeof(int32_t) + sizeof(double);
    if (data->weight)
        per_row += sizeof(double);
    if (data->status)
        per_row += 1;
    return (data->n_groups + 1) * sizeof(int64_t) + data->n_rows * per_row;
}

char *mlg_gen_target_code(int32_t t, char *buf, size_t size)
{
    if (!buf || size == 0)
        return buf;
    if (t >= 0 && (size_t)t < N_TARGET_CODES)
        snprintf(buf, size, "%s", target_codes[t]);
    else
        snprintf(buf, size, "T%d", (int)t);
    return buf;
}

char *mlg_gen_student_id(int64_t s, char *buf, size_t size)
{
    if (buf && size)
        snprintf(buf, size, "S%07lld", (long long)(s + 1));
    return buf;
}

/* Howard Hinnant's civil_from_days. */
char *mlg_gen_day_to_iso(int32_t day, char *buf)
{
    int64_t z = (int64_t)day + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const int64_t m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2)
        y++;
    /* Years outside 0..9999 would not fit: format wide, keep 10 chars. */
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
    memcpy(buf, tmp, 10);
    buf[10] = 0;
    return buf;
}

int mlg_gen_write_csv(const mlg_gen_data *data, FILE *f)
{
    if (!data || !f || (data->n_rows && (!data->day || !data->score)) ||
        (data->n_groups && !data->offsets))
        return MLG_ENULL;
    if (fprintf(f, "student_id,target_id,assessed_at,score%s%s\n",
                data->weight ? ",weight" : "",
                data->status ? ",status" : "") < 0)
        return MLG_EFORMAT;
    char sid[32], tid[32], date[16];
    int32_t last_day = INT32_MIN;
    size_t g = 0;
    for (int64_t s = 0; s < data->students; s++) {
        mlg_gen_student_id(s, sid, sizeof sid);
        for (int32_t t = 0; t < data->targets; t++, g++) {
            mlg_gen_target_code(t, tid, sizeof tid);
            for (int64_t r = data->offsets[g]; r < data->offsets[g + 1]; r++) {
                if (data->day[r] != last_day) {
                    mlg_gen_day_to_iso(data->day[r], date);
                    last_day = data->day[r];
                }
                const uint8_t st =
                    data->status ? data->status[r] : MLG_EVIDENCE_COUNTED;
                int w;
                if (st == MLG_EVIDENCE_COUNTED)
                    w = fprintf(f, "%s,%s,%s,%.10g", sid, tid, date,
                                data->score[r]);
                else
                    w = fprintf(f, "%s,%s,%s,", sid, tid, date);
                if (w < 0)
                    return MLG_EFORMAT;
                if (data->weight && fprintf(f, ",%.10g", data->weight[r]) < 0)
                    return MLG_EFORMAT;
                if (data->status &&
                    fprintf(f, ",%s",
                            st == MLG_EVIDENCE_COUNTED
                                ? "counted"
                                : st == MLG_EVIDENCE_EXCUSED ? "excused"
                                                             : "missing") < 0)
                    return MLG_EFORMAT;
                if (fputc('\n', f) == EOF)
                    return MLG_EFORMAT;
            }
        }
    }
    return ferror(f) ? MLG_EFORMAT : MLG_OK;
}
