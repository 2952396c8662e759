/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_gen.h -- hostile evidence and parameters from fuzz input, shared by
 * fuzz_series.c and fuzz_batch.c (static: each includes it once). */
#ifndef MLG_FUZZ_GEN_H
#define MLG_FUZZ_GEN_H

#include "fuzz.h"

#include <math.h>
#include <string.h>

#include <mlg.h>

/* Parameters: a method's defaults, then some fields replaced by raw values
 * (which mlg_method_params_validate() may refuse: that is part of the
 * surface). */
static void gen_params(fuzz_in *in, mlg_method_params *p)
{
    const uint8_t m = fuzz_u8(in);
    (void)mlg_method_params_init(p, m % MLG_METHOD_COUNT);
    const uint8_t tweak = fuzz_u8(in);
    if (tweak & 1)
        p->n = (int32_t)(fuzz_u8(in) % 8) - 1;
    if (tweak & 2)
        p->weight = fuzz_score(in) / 4.0;
    if (tweak & 4)
        p->log_shift = fuzz_score(in) - 1.0;
    if (tweak & 8)
        p->mastery = fuzz_score(in);
    if (tweak & 16)
        p->decimals = (int32_t)(fuzz_u8(in) % 12) - 1;
    if (tweak & 32)
        p->rounding = fuzz_u8(in) % 5;
    if (tweak & 64) {
        p->half_life_days = fuzz_score(in) * 10.0;
        p->as_of = (int32_t)fuzz_u32(in);
    }
    if (tweak & 128) {
        p->tie = fuzz_u8(in) % 4;
        p->missing = fuzz_u8(in) % 3;
    }
}

/* A scale: usually built-in, sometimes user-made from raw values. */
static void gen_scale(fuzz_in *in, mlg_scale *sc)
{
    const uint8_t k = fuzz_u8(in);
    if (k < 240) {
        (void)mlg_scale_builtin(k % MLG_SCALE_BUILTIN_COUNT, sc);
        return;
    }
    double v[8];
    const size_t n = 1 + fuzz_u8(in) % 8;
    for (size_t i = 0; i < n; i++)
        v[i] = (k & 1) ? fuzz_f64(in) : (double)i + fuzz_score(in) / 8.0;
    if (mlg_scale_init(sc, n, v) != MLG_OK)
        (void)mlg_scale_builtin(MLG_SCALE_CCS4, sc);
}

/* n rows of evidence: days (non-decreasing unless the input says not),
 * scores, weights and statuses; the optional columns may be NULL. */
typedef struct gen_rows {
    int32_t day[64];
    double score[64], weight[64];
    uint8_t status[64];
    int has_day, has_weight, has_status;
} gen_rows;

static size_t gen_evidence(fuzz_in *in, gen_rows *g, size_t max)
{
    const uint8_t f = fuzz_u8(in);
    const size_t n = fuzz_u8(in) % (max + 1);
    g->has_day = !(f & 1);
    g->has_weight = (f & 2) != 0;
    g->has_status = (f & 4) != 0;
    int32_t d = (f & 8) ? (int32_t)fuzz_u32(in) : 19600;
    for (size_t i = 0; i < n; i++) {
        const uint8_t step = fuzz_u8(in);
        if (step == 255 && (f & 16) && d > INT32_MIN)
            d -= 1; /* out of order */
        else if (step < 250 && d < INT32_MAX - 8)
            d += step % 8;
        g->day[i] = d;
        g->score[i] = fuzz_score(in);
        g->weight[i] = (f & 32) ? fuzz_f64(in) : (double)(fuzz_u8(in) % 4) / 2.0;
        g->status[i] = fuzz_u8(in) % ((f & 64) ? 4 : 3);
    }
    return n;
}

#endif
