/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mlg_internal.h -- private interfaces shared by core files (never installed).
 * Private non-static functions are named mlg__* and are hidden from the
 * shared library by the visibility preset; tests reach them through the
 * static library. */
#ifndef MLG_INTERNAL_H
#define MLG_INTERNAL_H

#include "mlg.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Fill *err (if not NULL) with status, group, row and a printf-style message;
 * returns status so callers can write `return mlg__fail(err, ...)`. */
int mlg__fail(mlg_errinfo *err, int status, int64_t group, int64_t row,
              const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* The CCS 4/3/2/1 scale, the default wherever a caller passes NULL. */
const mlg_scale *mlg__default_scale(void);

/* Strict text parsing (text.c), shared by mlg_method_params_set() and
 * mlg_rollup_rule_set().  mlg__parse_int32: optional sign and decimal digits,
 * nothing else (MLG_EFORMAT), within int32_t (else MLG_EINVAL).
 * mlg__parse_double: what strtod reads in the "C" locale (decimal, exponent,
 * hexadecimal, "nan", "inf"), with no leading blanks and no trailing text
 * (MLG_EFORMAT); overflow gives an infinity, left to the range checks.
 * mlg__find_word: index of word in list[0..n), or -1.  *out is written only
 * on success. */
int mlg__parse_int32(const char *text, int32_t *out);
/* vsnprintf/snprintf with numbers formatted as in the "C" locale (a point
 * before the decimals) whatever LC_NUMERIC says: error messages and scale
 * labels read the same everywhere. */
int mlg__vsnprintf_c(char *buf, size_t size, const char *fmt, va_list ap);
int mlg__snprintf_c(char *buf, size_t size, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
int mlg__parse_double(const char *text, double *out);
int32_t mlg__find_word(const char *word, const char *const *list, int32_t n);

/* Words indexed by MLG_TIE_* and MLG_ROUND_*. */
extern const char *const mlg__tie_words[3];
extern const char *const mlg__rounding_words[4];

/* Range checks (MLG_OK, MLG_EINVAL, or MLG_ENAN for a non-finite double). */
int mlg__check_tie(int32_t t);
int mlg__check_rounding(int32_t r);
int mlg__check_decimals(int32_t d); /* -1..9 */
int mlg__check_finite(double x);

/* x rounded to d decimals (d < 0: unchanged), half away from zero with ties
 * judged on the decimal x stands for (level.c explains): the first step of
 * mlg_value_to_level(), also used by the conversion tables. */
double mlg__round_decimals(double x, int32_t d);

/* The level of a finite value on a validated scale with a validated rounding
 * mode and decimals: mlg_value_to_level() without its argument checks, for
 * the hot loops (batch, roll-ups) that validated once up front.  *rounded
 * (if not NULL) receives the value rounded to `decimals`. */
int32_t mlg__level_of(double value, const mlg_scale *scale, int32_t rounding,
                      int32_t decimals, double *rounded);

/* The same step on bare arrays (n level values ascending, n cuts), for
 * callers that keep packed copies of their scales (the roll-up plan). */
int32_t mlg__level_of_values(double value, int32_t n, const double *value_of,
                             const double *cut, int32_t rounding,
                             int32_t decimals, double *rounded);

/* A level plan: the thresholds mlg__level_of() compares the rounded value
 * with (midpoints, level values or cuts, by rounding mode) and the band
 * (1.5 units of the last kept decimal; 0 without rounding) within which
 * rounding could move a value across one.  mlg__level_plan_of() counts the
 * thresholds a value reaches when it lies outside every band, which is
 * then its level, and otherwise returns -1: the caller asks mlg__level_of()
 * itself.  The same level without the rounding step on most values (the
 * batch engine's loop). */
typedef struct mlg__level_plan {
    const mlg_scale *scale;
    int32_t rounding, decimals;
    int32_t n_thr;
    double  thr[MLG_SCALE_MAX_LEVELS];
    double  band;
} mlg__level_plan;

void mlg__level_plan_init(mlg__level_plan *lp, const mlg_scale *scale,
                          int32_t rounding, int32_t decimals);


/* Scratch bytes mlg__series_run() needs for a series of n rows under p
 * (0 for the methods that need none).  Batch callers size one buffer per
 * thread for their largest group. */
size_t mlg__scratch_bytes(size_t n, const mlg_method_params *p);

/* The one kernel behind mlg_series_compute(), mlg_series_explain() and
 * mlg_batch_compute().  `scale` and `p` are non-NULL and already validated;
 * `scratch` holds at least mlg__scratch_bytes(n, p) bytes (may be NULL when
 * that is 0).  `rows` may be NULL (no explanation).  Errors are reported
 * with `group` and with row numbers offset by `row_base`, so a batch can
 * report absolute rows.  *out is written only on success. */
int mlg__series_run(size_t n, const int32_t *day, const double *score,
                    const double *weight, const uint8_t *status,
                    const mlg_scale *scale, const mlg_method_params *p,
                    void *scratch, mlg_result *out, mlg_explain_row *rows,
                    mlg_errinfo *err, int64_t group, int64_t row_base);



/* ---------------------------------------------------------- methods -- */

/* The method table (method_table.c): everything that asks "which methods
 * propagate NaN / need days / take log_shift / read n" reads a row of it
 * instead of its own switch.  Adding a method is one row plus one kernel
 * (kernels.h); CONTRIBUTING.md has the recipe. */
struct mlg__mctx;
struct mlg__pow_tab;

/* A kernel: the value of a method over a gathered series (kernels.h). */
typedef int (*mlg__kernel_fn)(const struct mlg__mctx *c, double *value,
                              size_t *k_used, int *na);

/* Method flags. */
#define MLG__MF_NAN_PROPAGATES 1u /* every score enters a sum, product or
                                     fit, so a NaN score makes the value NaN
                                     (the fast validation relies on it) */
#define MLG__MF_LOG_DOMAIN     2u /* takes ln(score + log_shift): every
                                     counted score + log_shift must be > 0 */
#define MLG__MF_NEEDS_DAYS     4u /* reads the days (day NULL: MLG_ENULL) */
#define MLG__MF_ABS_WEIGHTS    8u /* a weight's size matters, not only its
                                     ratio to the others (the series path
                                     rescales the other methods' weights) */

/* The parameter keys of mlg_method_params_set(), as bits for a row's
 * `keys` (which keys the method reads).  Indexed like the key table in
 * params.c. */
#define MLG__PK_N              0
#define MLG__PK_TIE            1
#define MLG__PK_MISSING        2
#define MLG__PK_WEIGHT         3
#define MLG__PK_MASTERY        4
#define MLG__PK_HALF_LIFE_DAYS 5
#define MLG__PK_AS_OF          6
#define MLG__PK_ROUNDING       7
#define MLG__PK_DECIMALS       8
#define MLG__PK_LOG_SHIFT      9
#define MLG__PK_ARITH         10
#define MLG__PK_COUNT         11
#define MLG__PK_BIT(k) (1u << (k))
/* Keys every method reads: how rows count and how the value becomes a
 * level. */
#define MLG__PK_COMMON (MLG__PK_BIT(MLG__PK_MISSING) | \
                        MLG__PK_BIT(MLG__PK_ROUNDING) | \
                        MLG__PK_BIT(MLG__PK_DECIMALS) | \
                        MLG__PK_BIT(MLG__PK_ARITH))

/* A method's place in Canvas (MLG_ARITH_CANVAS): absent, present without
 * an integer parameter, or present with one (Canvas's calculation_int),
 * which is params.n or the weight as a whole percent, within lo..hi. */
#define MLG__CANVAS_NONE    0
#define MLG__CANVAS_PLAIN   1
#define MLG__CANVAS_N       2
#define MLG__CANVAS_PERCENT 3
typedef struct mlg__canvas_int {
    int32_t kind;              /* MLG__CANVAS_* */
    int32_t lo, hi;
} mlg__canvas_int;

typedef struct mlg__method_desc {
    const char    *name;       /* mlg_method_name(); pinned */
    uint32_t       flags;      /* MLG__MF_* */
    uint32_t       keys;       /* MLG__PK_BIT()s the method reads */
    int32_t        default_n;  /* params.n after mlg_method_params_init() */
    mlg__kernel_fn kernel;     /* kernels.h */
    mlg__canvas_int canvas;    /* Canvas's method and range, if any */
} mlg__method_desc;

/* Indexed by MLG_METHOD_*. */
extern const mlg__method_desc mlg__method_table[MLG_METHOD_COUNT];

/* Canvas's whole-percent weight k for weight w (0.65 -> 65), or -1 if
 * w * 100 is not a whole number 0..100 (params.c). */
int32_t mlg__canvas_percent(double w);

/* Fill the batch engine's power-law tables (kernels.h, mlg__pow_tab). */
void mlg__pow_tab_fill(struct mlg__pow_tab *t);

#endif
