/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mlg.h -- libmlg, mastery-learning proficiency for standards-based grading.
 *
 * libmlg turns one learning target's time-ordered evidence (scores with days,
 * weights and a status) into a current proficiency value and a reported level,
 * with every method standards-based gradebooks offer (mean, mode, decaying
 * averages, Marzano's power law, ...), and rolls targets up to domains and
 * composites (see mlg_rollup.h).  This header is the reference: every
 * statement in it is meant to be testable, and the tests cite it.
 *
 * Thread safety.  libmlg has no mutable global state and takes no locks; every
 * function is reentrant.  Read-only objects (scales, parameter structs, input
 * arrays, catalogues) may be shared between threads; an output buffer, an
 * mlg_errinfo or an mlg_batch_workspace belongs to one thread at a time.
 * The library never touches GSL's process-wide error handler: inputs are
 * validated before any GSL call.  Nor does it change the process's locale:
 * it reads and prints numbers in the "C" locale by switching only the
 * calling thread, for the duration of the call (uselocale).
 *
 * Conventions.
 *  - Every fallible function returns an int status: MLG_OK (0) or a positive
 *    MLG_E* code.  Codes are pinned: new ones are appended, none renumbered.
 *  - `day` is a day number (days since 1970-01-01, int32).  Evidence is
 *    ordered by day, then by input position: same-day evidence keeps the
 *    order in which the caller passed it.  Days must never decrease.
 *  - `score` is raw evidence on the target's scale; `level` is an index into
 *    the scale's levels (0 = lowest) or MLG_LEVEL_NA.
 *  - The caller owns every array; the library never frees caller memory and
 *    outputs never alias inputs.  Outputs are left untouched on error unless
 *    a function says otherwise.
 */
#ifndef MLG_H
#define MLG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(MLG_BUILDING_SHARED)
#define MLG_API __declspec(dllexport)
#elif defined(__GNUC__) && __GNUC__ >= 4
#define MLG_API __attribute__((visibility("default")))
#else
#define MLG_API
#endif

/* ------------------------------------------------------------------------ */
/* Version                                                                    */
/* ------------------------------------------------------------------------ */

#define MLG_VERSION_MAJOR 0
#define MLG_VERSION_MINOR 1
#define MLG_VERSION_PATCH 0
#define MLG_VERSION_NUMBER \
    (MLG_VERSION_MAJOR * 10000 + MLG_VERSION_MINOR * 100 + MLG_VERSION_PATCH)
#define MLG_VERSION_STRING "0.1.0"
/* The shared library's SONAME number.  Bump it (and only then) when the ABI
 * breaks: a removed or changed function, a changed struct layout or a
 * renumbered constant.  Appending functions or constants does not bump it. */
#define MLG_SOVERSION 0

/* mlg_version_number(): MLG_VERSION_NUMBER of the library actually loaded,
 * so callers can compare it with the header they compiled against. */
MLG_API int mlg_version_number(void);

/* mlg_version_string(): MLG_VERSION_STRING of the loaded library (static). */
MLG_API const char *mlg_version_string(void);

/* ------------------------------------------------------------------------ */
/* Status codes (pinned)                                                      */
/* ------------------------------------------------------------------------ */

#define MLG_OK          0  /* success */
#define MLG_ENULL       1  /* a required pointer argument was NULL */
#define MLG_EINVAL      2  /* an argument or parameter is out of its range */
#define MLG_ENAN        3  /* a score, weight or parameter is NaN or infinite */
#define MLG_ESCALE      4  /* a score lies outside the scale's range */
#define MLG_EORDER      5  /* a day is earlier than the one before it */
#define MLG_EEMPTY      6  /* an input that must be non-empty is empty */
#define MLG_EOVERFLOW   7  /* a count or size is too large to represent */
#define MLG_ENOMEM      8  /* memory allocation failed */
#define MLG_ENUMERIC    9  /* a numerical routine failed */
#define MLG_EFORMAT    10  /* malformed text or file (parsers, front ends) */
#define MLG_ENOTFOUND  11  /* an unknown name: method, preset, scale, id */
#define MLG_EPOLICY    12  /* a report-card policy is violated (e.g. N/A
                              where the bulletin forbids it) */
#define MLG_EWEIGHT    13  /* an evidence weight is negative */
#define MLG_EDOMAIN    14  /* input outside a method's mathematical domain
                              (power law of a score <= 0) */
#define MLG_ESIZE      15  /* an output buffer is too small */
#define MLG_EDUPLICATE 16  /* a duplicate id or key */
#define MLG_ECYCLE     17  /* a catalogue's parent links form a cycle */
#define MLG_ESTATUS    18  /* an evidence status code is not MLG_EVIDENCE_* */
#define MLG_STATUS_COUNT 19 /* one past the largest code (for tables) */

/* mlg_strerror(): a static English phrase for a status code; "unknown status
 * code" for anything else.  Never NULL, never allocates. */
MLG_API const char *mlg_strerror(int status);

/* mlg_errname(): the code's macro name ("MLG_EORDER"), or "MLG_UNKNOWN" for
 * an unknown code.  Never NULL, never allocates. */
MLG_API const char *mlg_errname(int status);

/* Error detail for batch and series calls: caller-owned, optional (NULL is
 * allowed everywhere), filled only when a call fails; untouched on success.
 * `group` and `row` are -1 when the error is not tied to one. */
#define MLG_ERRINFO_MESSAGE_SIZE 160
typedef struct mlg_errinfo {
    int32_t status;                         /* the status returned */
    int32_t reserved;                       /* zero */
    int64_t group;                          /* failing group (batch) or -1 */
    int64_t row;                            /* failing row, 0-based, or -1 */
    char    message[MLG_ERRINFO_MESSAGE_SIZE]; /* NUL-terminated */
} mlg_errinfo;

/* ------------------------------------------------------------------------ */
/* Scales                                                                     */
/* ------------------------------------------------------------------------ */

/* A scale is an ordered set of levels.  Level i (0 = lowest) has a numeric
 * value value[i] (strictly ascending), a short label ("3", "E", "C") and a
 * longer name ("Meets grade-level standards").  Scores are accepted in
 * [score_min, score_max]; fitted methods clamp to that range.  cut[i] is the
 * lowest score that maps to level i under MLG_ROUND_CUTS (ascending; cut[0]
 * is informational: every score below cut[1] maps to level 0).  na_allowed
 * says whether N/A may be reported on this scale. */
#define MLG_SCALE_MAX_LEVELS 16
#define MLG_LABEL_SIZE 16
#define MLG_NAME_SIZE 64

typedef struct mlg_scale {
    int32_t n_levels;                       /* 1..MLG_SCALE_MAX_LEVELS */
    int32_t na_allowed;                     /* 0 or 1 */
    double  score_min;                      /* lowest valid score */
    double  score_max;                      /* highest valid score */
    double  value[MLG_SCALE_MAX_LEVELS];    /* strictly ascending */
    double  cut[MLG_SCALE_MAX_LEVELS];      /* ascending; see above */
    char    label[MLG_SCALE_MAX_LEVELS][MLG_LABEL_SIZE];
    char    name[MLG_SCALE_MAX_LEVELS][MLG_NAME_SIZE];
    char    id[MLG_LABEL_SIZE];             /* e.g. "ccs4" */
} mlg_scale;

/* Built-in scales (BUL-2332.7). */
#define MLG_SCALE_CCS4        0  /* 1 Minimal progress .. 4 Exceeds (sec. II.A) */
#define MLG_SCALE_TK          1  /* E Exploring, B Building, D Developing,
                                    I Integrating, values 1..4 (sec. VI) */
#define MLG_SCALE_ELD4        2  /* 1 Limited .. 4 Advanced Progress (III.A) */
#define MLG_SCALE_TK_ELD      3  /* B Beginning, M Middle, L Later, 1..3 (VI) */
#define MLG_SCALE_BEHAVIOR    4  /* R Rarely, S Sometimes, C Consistently,
                                    1..3 (sec. II.C) */
#define MLG_SCALE_BUILTIN_COUNT 5

/* mlg_scale_builtin(): fill *out with built-in scale `which`.
 * @return MLG_OK; MLG_ENULL if out is NULL; MLG_ENOTFOUND if which is not a
 *         MLG_SCALE_* constant. */
MLG_API int mlg_scale_builtin(int32_t which, mlg_scale *out);

/* mlg_scale_from_name(): fill *out with the built-in scale whose id is
 * `name` ("ccs4", "tk", "eld4", "tk_eld", "behavior").
 * @return MLG_OK; MLG_ENULL; MLG_ENOTFOUND for an unknown name. */
MLG_API int mlg_scale_from_name(const char *name, mlg_scale *out);

/* mlg_scale_init(): build a user scale of n levels with the given ascending
 * values; labels default to the values printed with %g, names to "", cuts to
 * the midpoints between adjacent values (cut[0] = value[0]), the score range
 * to [value[0], value[n-1]], na_allowed to 1 and id to "custom".  Adjust the
 * fields afterwards and call mlg_scale_validate().
 * @return MLG_OK; MLG_ENULL; MLG_EINVAL if n is 0 or above
 *         MLG_SCALE_MAX_LEVELS or values are not strictly ascending;
 *         MLG_ENAN if a value is not finite. */
MLG_API int mlg_scale_init(mlg_scale *out, size_t n, const double *values);

/* mlg_scale_validate(): check a scale's invariants: 1 <= n_levels <= max,
 * finite strictly ascending values, finite ascending cuts, finite
 * score_min <= score_max, na_allowed 0 or 1, NUL-terminated strings.
 * @return MLG_OK; MLG_ENULL; MLG_EINVAL; MLG_ENAN. */
MLG_API int mlg_scale_validate(const mlg_scale *scale);

/* mlg_scale_find_label(): index of the level labelled `label` (exact,
 * case-sensitive match) in *level.
 * @return MLG_OK; MLG_ENULL; MLG_ENOTFOUND. */
MLG_API int mlg_scale_find_label(const mlg_scale *scale, const char *label,
                                 int32_t *level);

/* ------------------------------------------------------------------------ */
/* Methods and their parameters                                               */
/* ------------------------------------------------------------------------ */

/* Method identifiers (pinned).  Names are the strings accepted by
 * mlg_method_from_name() and used by the CLI and the Python binding. */
#define MLG_METHOD_MEAN               0  /* "mean" */
#define MLG_METHOD_MEDIAN             1  /* "median" */
#define MLG_METHOD_MODE               2  /* "mode" (param tie) */
#define MLG_METHOD_MOST_RECENT        3  /* "most_recent" */
#define MLG_METHOD_HIGHEST            4  /* "highest" */
#define MLG_METHOD_LOWEST             5  /* "lowest" */
#define MLG_METHOD_RECENT_MEAN        6  /* "recent_mean" (param n) */
#define MLG_METHOD_RECENT_MEDIAN      7  /* "recent_median" (n) */
#define MLG_METHOD_RECENT_MODE        8  /* "recent_mode" (n, tie) */
#define MLG_METHOD_HIGHEST_MEAN       9  /* "highest_mean" (n) */
#define MLG_METHOD_DECAYING_AVERAGE  10  /* "decaying_average" (weight) */
#define MLG_METHOD_WEIGHTED_AVERAGE  11  /* "weighted_average" (weight) */
#define MLG_METHOD_N_MASTERY         12  /* "n_mastery" (n, mastery) */
#define MLG_METHOD_POWER_LAW         13  /* "power_law" (log_shift) */
#define MLG_METHOD_LINEAR_TREND      14  /* "linear_trend" */
#define MLG_METHOD_BEST_FIT          15  /* "best_fit" (log_shift) */
#define MLG_METHOD_MAX_MEAN_POWER_LAW 16 /* "max_mean_power_law" */
#define MLG_METHOD_TIME_DECAY        17  /* "time_decay" (half_life_days, as_of) */
#define MLG_METHOD_CONSISTENT_RECENT 18  /* "consistent_recent" (n) */
#define MLG_METHOD_COUNT             19

/* Mode tie-breaks. */
#define MLG_TIE_RECENT   0  /* the tied value seen most recently (Educate) */
#define MLG_TIE_HIGHEST  1  /* the highest tied value (MasteryConnect) */
#define MLG_TIE_LOWEST   2  /* the lowest tied value (a D2L option) */

/* What "missing" evidence means. */
#define MLG_MISSING_IGNORE 0  /* ignored, like excused (default) */
#define MLG_MISSING_LOWEST 1  /* counted as the scale's score_min */

/* Converting a value to a level. */
#define MLG_ROUND_HALF_UP   0  /* nearest level value, midpoint upward:
                                  2.5 -> 3 (default) */
#define MLG_ROUND_HALF_EVEN 1  /* nearest level value, midpoint to the even
                                  value (2.5 -> 2, 3.5 -> 4), as D2L */
#define MLG_ROUND_FLOOR     2  /* highest level whose value <= the score
                                  (Canvas: 2.83 -> 2) */
#define MLG_ROUND_CUTS      3  /* highest level i with scale.cut[i] <= the
                                  score (district cut tables) */

/* Evidence status codes (the `status` array). */
#define MLG_EVIDENCE_COUNTED 0
#define MLG_EVIDENCE_EXCUSED 1  /* always ignored */
#define MLG_EVIDENCE_MISSING 2  /* per params.missing */

/* The N/A level. */
#define MLG_LEVEL_NA (-1)
/* "No day": params.as_of default, meaning the last evidence's day. */
#define MLG_DAY_NONE INT32_MIN

/* Arithmetic conventions (params.arith). */
#define MLG_ARITH_LIBMLG 0  /* libmlg's: fixed-order blocked sums (default) */
#define MLG_ARITH_CANVAS 1  /* Canvas's outcome rollups to the last digit
                               (instructure/canvas-lms, RollupScore,
                               app/models/rollup_score.rb): sums compensated
                               as Ruby's Array#sum (Kahan-Babuska); the
                               weight an integer percent k, applied as
                               0.01*k and 0.01*(100-k); Canvas's parameter
                               ranges (weighted_average k 1..99,
                               decaying_average k 50..99, n_mastery n
                               1..10); mastery NaN = no mastery points, so
                               n_mastery is N/A; decimals must be 2
                               (Canvas's PRECISION, rounded half up as
                               Ruby's Float#round).  Only mean, highest,
                               most_recent, weighted_average,
                               decaying_average and n_mastery exist in
                               Canvas; other methods are MLG_EINVAL.
                               Weighted series keep libmlg's weighted
                               arithmetic (Canvas has no result weights). */

/* Everything that decides a mark: the method, its parameters, and how the
 * value becomes a level.  Always start from mlg_method_params_init() or
 * mlg_preset_init(): fields a method does not use are ignored.
 *
 * ABI policy.  The struct has reserved room (reserved_i, reserved_d): a
 * parameter added later takes a reserved slot, so the size and every offset
 * stay and MLG_SOVERSION does not change.  Reserved fields must be zero
 * (mlg_method_params_init() zeroes them); mlg_method_params_validate()
 * refuses any other value with MLG_EINVAL, so a program built against a
 * newer header that sets a newer parameter gets an error from an older
 * library instead of a silently different mark.  Set parameters by key
 * (mlg_method_params_set()) and list them with mlg_method_param_info() to
 * stay independent of the layout altogether. */
typedef struct mlg_method_params {
    int32_t method;          /* MLG_METHOD_* */
    int32_t n;               /* window/count: recent_* (default 3),
                                highest_mean (3), n_mastery (5),
                                consistent_recent (2); must be >= 1 */
    int32_t tie;             /* MLG_TIE_* for mode methods (MLG_TIE_RECENT) */
    int32_t missing;         /* MLG_MISSING_* (MLG_MISSING_IGNORE) */
    double  weight;          /* decay weight in (0,1]: decaying_average and
                                weighted_average (0.65) */
    double  mastery;         /* n_mastery threshold score (3.0) */
    double  half_life_days;  /* time_decay, > 0 (30.0) */
    int32_t as_of;           /* time_decay reference day; MLG_DAY_NONE =
                                the last evidence's day (default) */
    int32_t rounding;        /* MLG_ROUND_* (MLG_ROUND_HALF_UP) */
    int32_t decimals;        /* round the value to this many decimals before
                                choosing the level, 0..9; -1 = do not round.
                                Default 6: removes floating-point noise so a
                                true 2.5 is never seen as 2.4999999999 */
    int32_t arith;           /* MLG_ARITH_* (MLG_ARITH_LIBMLG) */
    double  log_shift;       /* power-law fits ln(score + log_shift), in
                                [-1000, 1000]; default 0.  Every score +
                                log_shift must be > 0, else MLG_EDOMAIN.
                                Larger shifts would flatten every score into
                                the same logarithm (3,3,3 would not fit 3) */
    int32_t reserved_i[6];   /* zero: room for later parameters */
    double  reserved_d[6];   /* zero: room for later parameters */
} mlg_method_params;

/* mlg_method_params_init(): set *p to `method` with every default above.
 * @return MLG_OK; MLG_ENULL; MLG_ENOTFOUND if method is not MLG_METHOD_*. */
MLG_API int mlg_method_params_init(mlg_method_params *p, int32_t method);

/* mlg_method_params_validate(): check p's fields for the method it names:
 * method known; n >= 1 where used; tie, missing, rounding, arith known;
 * weight in (0,1]; mastery finite; half_life_days > 0 and finite; decimals
 * in -1..9; log_shift in [-1000, 1000]; reserved fields zero; under
 * MLG_ARITH_CANVAS also Canvas's method and ranges (see MLG_ARITH_CANVAS).
 * Checks every field, whether the method uses it or not.  These are the
 * bounds mlg_method_param_info() lists.
 * @return MLG_OK; MLG_ENULL; MLG_ENOTFOUND (method); MLG_EINVAL; MLG_ENAN. */
MLG_API int mlg_method_params_validate(const mlg_method_params *p);

/* mlg_method_from_name(): MLG_METHOD_* for a name such as "power_law".
 * @return MLG_OK; MLG_ENULL; MLG_ENOTFOUND. */
MLG_API int mlg_method_from_name(const char *name, int32_t *method);

/* mlg_method_name(): the name of MLG_METHOD_* `method`, or NULL if unknown. */
MLG_API const char *mlg_method_name(int32_t method);

/* mlg_method_params_set(): set one parameter from text, as the CLI and
 * bindings do: key is one of "n", "tie" (recent|highest|lowest), "missing"
 * (ignore|lowest), "weight", "mastery", "half_life_days", "as_of" (a day
 * number or YYYY-MM-DD), "rounding" (half_up|half_even|floor|cuts),
 * "decimals", "log_shift", "arith" (libmlg|canvas); mlg_method_param_info()
 * lists them.  Any method accepts every key.  Numbers are read as in the
 * "C" locale whatever LC_NUMERIC says ("0.75", never "0,75"), strictly (no
 * leading blanks, no trailing text), and range-checked as in
 * mlg_method_params_validate().
 * @return MLG_OK; MLG_ENULL; MLG_ENOTFOUND (key or enum word); MLG_EFORMAT
 *         (not a number); MLG_EINVAL or MLG_ENAN (out of range); MLG_ENOMEM
 *         (no "C" locale object could be made).  *p is untouched on error. */
MLG_API int mlg_method_params_set(mlg_method_params *p, const char *key,
                                  const char *value);

/* Kinds of parameter value (mlg_param_info.kind). */
#define MLG_PARAM_INT  0  /* an integer */
#define MLG_PARAM_REAL 1  /* a number */
#define MLG_PARAM_WORD 2  /* one of the words in mlg_param_info.words */
#define MLG_PARAM_DAY  3  /* a day number or YYYY-MM-DD */

/* One parameter key, as listed by mlg_method_param_info().  Strings are
 * static; never free them.  Reserved fields are zero. */
typedef struct mlg_param_info {
    const char *key;          /* "weight": what mlg_method_params_set() takes */
    const char *words;        /* MLG_PARAM_WORD: the words, '|'-separated
                                 ("recent|highest|lowest"); else "" */
    const char *default_text; /* the default for this method, as text that
                                 mlg_method_params_set() reads back ("0.65",
                                 "3", "none" for as_of's MLG_DAY_NONE) */
    const char *help;         /* one line of English */
    int32_t kind;             /* MLG_PARAM_* */
    int32_t used;             /* 1 if the method reads it, 0 if it is
                                 accepted and ignored */
    double  min, max;         /* bounds of INT/REAL values (inclusive unless
                                 the *_open flag is 1); -inf/+inf if none */
    int32_t min_open, max_open;
    double  default_value;    /* the default as a number (WORD: its index,
                                 DAY: MLG_DAY_NONE) */
    int32_t reserved_i[4];    /* zero */
    double  reserved_d[2];    /* zero */
} mlg_param_info;

/* mlg_method_param_count(): how many parameter keys there are (the same for
 * every method: every method accepts every key). */
MLG_API size_t mlg_method_param_count(void);

/* mlg_method_param_info(): key i (0-based, stable order) for `method`:
 * name, kind, bounds and the method's default, and whether it reads it.
 * The bounds are libmlg's (MLG_ARITH_LIBMLG).
 * @return MLG_OK; MLG_ENULL if out is NULL; MLG_ENOTFOUND if method is not
 *         MLG_METHOD_* or i >= mlg_method_param_count().  *out is untouched
 *         on error. */
MLG_API int mlg_method_param_info(int32_t method, size_t i,
                                  mlg_param_info *out);

/* Presets: what a product would report, by name (see docs/methods.md).
 *   canvas_default      highest, 2 decimals, floor, MLG_ARITH_CANVAS
 *   canvas_outcome      weighted_average 0.65, 2 decimals, floor,
 *                       MLG_ARITH_CANVAS
 *   schoology           decaying_average 0.75
 *   masteryconnect_mode mode, ties to the higher level
 *   jumprope_power      power_law
 *   educate_mode        mode, ties to the most recent
 *   empower_true_score  best_fit
 *   ascender            max_mean_power_law
 * mlg_preset_init(): fill *p with preset `name`.
 * @return MLG_OK; MLG_ENULL; MLG_ENOTFOUND. */
MLG_API int mlg_preset_init(const char *name, mlg_method_params *p);

/* mlg_preset_name(): the i-th preset's name (0-based), NULL past the end. */
MLG_API const char *mlg_preset_name(size_t i);

/* ------------------------------------------------------------------------ */
/* One series                                                                 */
/* ------------------------------------------------------------------------ */

/* The result for one series. */
typedef struct mlg_result {
    double  value;      /* proficiency value on the score scale; NaN if N/A */
    double  rounded;    /* value rounded to params.decimals; NaN if N/A */
    int32_t level;      /* level index, or MLG_LEVEL_NA */
    int32_t n_used;     /* evidence rows that count (status counted or
                           missing-as-lowest, weight > 0, not after
                           time_decay's as_of), before any window or
                           selection: recent_mean n=3 over 4 such rows has
                           n_used 4; mlg_series_explain() shows which rows
                           the window kept */
    int32_t n_ignored;  /* rows excused, missing-ignored or of weight 0 */
    int32_t reserved;   /* zero */
} mlg_result;

/* mlg_series_compute(): current proficiency of one time-ordered evidence
 * series.
 * @param n       number of evidence rows (0 gives N/A).
 * @param day     n days, non-decreasing (same-day rows keep input order);
 *                NULL means input order, except for time_decay (MLG_ENULL).
 * @param score   n scores within [scale->score_min, scale->score_max]; the
 *                scores of excused rows, and of missing rows, are not read.
 * @param weight  n finite weights >= 0, or NULL for all 1; weight 0 rows are
 *                ignored like excused rows.  Only ratios matter (except for
 *                decaying_average, where a weight q counts as q sightings):
 *                weights as small as 5e-324 or as large as 1e308 give the
 *                value of the same ratios near 1.  The value never leaves
 *                [scale->score_min, scale->score_max].
 * @param status  n MLG_EVIDENCE_* codes, or NULL for all counted.
 * @param scale   the target's scale, or NULL for the CCS 4/3/2/1 scale.
 * @param params  method, parameters and rounding.
 * @param out     receives the result; untouched on error.
 * @param err     optional error detail (row is the offending row).
 * @return MLG_OK (also for N/A: out->level == MLG_LEVEL_NA when no evidence
 *         counts, or n_mastery has fewer than n results); MLG_ENULL; MLG_ENAN
 *         for a NaN/infinite counted score or weight; MLG_ESCALE; MLG_EORDER
 *         when a day is earlier than the one before; MLG_EWEIGHT; MLG_ESTATUS;
 *         MLG_EDOMAIN (power law); MLG_EINVAL/MLG_ENOTFOUND for bad params
 *         or scale; MLG_ENUMERIC.
 * Thread-safe.  O(n) time for the linear methods, O(n log n) for the order
 * statistics; no heap allocation for n <= 256.
 * BUL-2332.7 Attachment A: Zoey's 1,2,3,3 gives 3 under most_recent,
 * decaying_average, power_law and consistent_recent 2; 2.25 under mean. */
MLG_API int mlg_series_compute(size_t n, const int32_t *day,
                               const double *score, const double *weight,
                               const uint8_t *status, const mlg_scale *scale,
                               const mlg_method_params *params,
                               mlg_result *out, mlg_errinfo *err);

/* Why one evidence row did or did not count (mlg_explain_row.reason). */
#define MLG_WHY_USED            0  /* entered the computation */
#define MLG_WHY_EXCUSED         1  /* status excused */
#define MLG_WHY_MISSING_IGNORED 2  /* status missing, params.missing ignore */
#define MLG_WHY_MISSING_LOWEST  3  /* status missing, counted as score_min */
#define MLG_WHY_ZERO_WEIGHT     4  /* weight 0 */
#define MLG_WHY_OUTSIDE_WINDOW  5  /* not among the rows the method looks at
                                      (recent_* window, highest_mean top n,
                                      consistent_recent window) */
#define MLG_WHY_BELOW_MASTERY   6  /* n_mastery: below the mastery score */
#define MLG_WHY_AFTER_AS_OF     7  /* time_decay: dated after as_of */
#define MLG_WHY_NOT_SELECTED    8  /* order statistic or mode chose others */

/* One row of an explanation: how evidence row `row` shaped the value. */
typedef struct mlg_explain_row {
    int64_t row;        /* input position, 0-based */
    int32_t day;        /* the row's day (its position if day was NULL) */
    int32_t reason;     /* MLG_WHY_* */
    double  score;      /* the score used (score_min for missing-lowest) */
    double  weight;     /* the caller's weight (1 if none) */
    double  influence;  /* share of the value: for the methods linear in
                           the scores (means, decaying and weighted
                           averages, time_decay, n_mastery, linear_trend)
                           value == sum(influence * score); for order
                           statistics and modes 1/k on each of the k rows
                           selected; for power_law/best_fit the row's
                           regression weight normalised to sum 1; 0 for rows
                           that did not count */
    double  fitted;     /* the fitted curve at this row (fitted methods),
                           the running value (decaying_average), else NaN */
} mlg_explain_row;

/* mlg_series_explain(): mlg_series_compute() plus one mlg_explain_row per
 * input row (rows[i].row == i), the basis for a grade-change appeal.
 * @param rows  n caller-owned entries (may be NULL only when n == 0).
 * Other parameters, returns and errors as mlg_series_compute(); *out and
 * rows are untouched on error. */
MLG_API int mlg_series_explain(size_t n, const int32_t *day,
                               const double *score, const double *weight,
                               const uint8_t *status, const mlg_scale *scale,
                               const mlg_method_params *params,
                               mlg_result *out, mlg_explain_row *rows,
                               mlg_errinfo *err);

/* mlg_value_to_level(): the level for a value under params->rounding and
 * params->decimals (the step mlg_series_compute() ends with).  Values
 * outside the scale map to its end levels.
 * @param rounded  optional: receives the value rounded to params->decimals.
 * @return MLG_OK; MLG_ENULL (scale may be NULL for CCS); MLG_ENAN; MLG_EINVAL
 *         for bad params or scale. */
MLG_API int mlg_value_to_level(double value, const mlg_scale *scale,
                               const mlg_method_params *params,
                               int32_t *level, double *rounded);

/* ------------------------------------------------------------------------ */
/* Batches: many series at once                                               */
/* ------------------------------------------------------------------------ */

/* mlg_batch_compute(): the same computation as mlg_series_compute() for many
 * series in compressed sparse row form.  Group g (one student x one target)
 * is rows offsets[g] .. offsets[g+1]-1 of day/score/weight/status;
 * offsets[0] == 0 and offsets is non-decreasing, so offsets has n_groups+1
 * entries and offsets[n_groups] rows in all.  Days never decrease within a
 * group.  Results are bitwise identical to mlg_series_compute() on each group
 * and for every thread count.
 * @param threads    worker threads; 0 = all online cores; 1 = caller's thread.
 * @param value_out  n_groups values (NaN for N/A); required.
 * @param level_out  n_groups levels or MLG_LEVEL_NA; may be NULL.
 * @param count_out  n_groups counts of rows used; may be NULL.
 * @param err        optional; on a data error, group and row (absolute row
 *                   index) name the first failing group in group order.
 * @return MLG_OK; MLG_ENULL; MLG_EINVAL (offsets[0] != 0, decreasing offsets,
 *         threads < 0); for bad params or scale the status
 *         mlg_series_compute() returns for them (MLG_EINVAL, MLG_ENAN,
 *         MLG_ENOTFOUND); MLG_EOVERFLOW (a group of more than INT32_MAX
 *         rows); MLG_ENOMEM; or any per-series error of
 *         mlg_series_compute().  On argument errors (NULL, params, scale,
 *         offsets) outputs are untouched; on a data error outputs of other
 *         groups may have been written, and those of the failing group are
 *         NaN / MLG_LEVEL_NA / 0.
 * Thread-safe; allocates only per-thread scratch, never per group. */
MLG_API int mlg_batch_compute(size_t n_groups, const int64_t *offsets,
                              const int32_t *day, const double *score,
                              const double *weight, const uint8_t *status,
                              const mlg_scale *scale,
                              const mlg_method_params *params, int32_t threads,
                              double *value_out, int32_t *level_out,
                              int32_t *count_out, mlg_errinfo *err);

/* ------------------------------------------------------------------------ */
/* Names and ABI (for front ends and bindings)                                */
/* ------------------------------------------------------------------------ */

/* mlg_evidence_status_name(): "counted", "excused" or "missing" for
 * MLG_EVIDENCE_* `status` (static); NULL for any other code. */
MLG_API const char *mlg_evidence_status_name(int32_t status);

/* mlg_evidence_status_from_name(): the MLG_EVIDENCE_* code of a status word
 * in *status.  Accepted, ASCII case-insensitively and ignoring surrounding
 * blanks: the canonical names; "" (empty), "graded" and "fully graded"
 * (counted); "exempt" and "E" (excused); "not submitted" and "M" (missing).
 * "exempt", "fully graded" and "not submitted" are OneRoster 1.2
 * scoreStatus values.
 * @return MLG_OK; MLG_ENULL (word or status NULL); MLG_ENOTFOUND for any
 *         other word (*status untouched).  Since 0.1. */
MLG_API int mlg_evidence_status_from_name(const char *word, int32_t *status);

/* mlg_evidence_status_word(): the i-th accepted status word (0-based; the
 * first three are the canonical names in code order), its code in *status
 * (status may be NULL); NULL past the end.  For listing the vocabulary in
 * help and error messages. */
MLG_API const char *mlg_evidence_status_word(size_t i, int32_t *status);

/* mlg_why_name(): "used", "excused", "missing_ignored", "missing_lowest",
 * "zero_weight", "outside_window", "below_mastery", "after_as_of" or
 * "not_selected" for MLG_WHY_* `why` (static); NULL for any other code. */
MLG_API const char *mlg_why_name(int32_t why);

/* The ABI number of this header: bumped whenever a public struct's layout,
 * a constant's value or a function's signature changes, in 0.x as well
 * (where MLG_SOVERSION stays 0).  Appending functions or constants does
 * not bump it.  Bindings that mirror structs compare it at load time. */
#define MLG_ABI_VERSION 1

/* mlg_abi_version(): MLG_ABI_VERSION of the library actually loaded. */
MLG_API int mlg_abi_version(void);

/* mlg_struct_size(): sizeof the public struct named `name` ("mlg_scale",
 * "mlg_method_params", "mlg_rollup_step", ... every typedef'd struct of
 * mlg.h, mlg_rollup.h and mlg_policy.h) as the library was compiled; 0 for
 * NULL or an unknown name.  Lets a binding check its mirrors' layouts. */
MLG_API size_t mlg_struct_size(const char *name);

/* A batch workspace: what mlg_batch_compute_ex() allocates (thread states,
 * per-thread scratch, tables), kept for the next call, so repeated calls
 * on batches of similar shape allocate nothing.  Opaque; one call at a
 * time (a workspace belongs to one thread at a time). */
typedef struct mlg_batch_workspace mlg_batch_workspace;

/* mlg_batch_workspace_create(): an empty workspace in *out.
 * @return MLG_OK; MLG_ENULL; MLG_ENOMEM. */
MLG_API int mlg_batch_workspace_create(mlg_batch_workspace **out);

/* mlg_batch_workspace_free(): free ws and everything it holds; NULL is
 * allowed. */
MLG_API void mlg_batch_workspace_free(mlg_batch_workspace *ws);

/* mlg_batch_compute_ex(): mlg_batch_compute() with two options.
 * @param status_out  n_groups statuses, or NULL.  Given, the batch keeps
 *                    going: a group whose series fails gets the status
 *                    mlg_series_compute() returns for it (MLG_ESCALE,
 *                    MLG_EORDER, ...) and NaN / MLG_LEVEL_NA / 0 outputs,
 *                    and every other group is computed (status MLG_OK).
 *                    Without it, the call stops at the first failing group
 *                    as mlg_batch_compute() does.
 * @param ws          a workspace to allocate from and keep, or NULL.
 * @return as mlg_batch_compute(): on data errors, the status of the first
 *         failing group in group order, which err names; with status_out
 *         every group's outputs have then been written.  Argument errors
 *         leave every output, status_out included, untouched.
 * Results and statuses are the same for every thread count and with or
 * without a workspace. */
MLG_API int mlg_batch_compute_ex(size_t n_groups, const int64_t *offsets,
                                 const int32_t *day, const double *score,
                                 const double *weight, const uint8_t *status,
                                 const mlg_scale *scale,
                                 const mlg_method_params *params,
                                 int32_t threads, double *value_out,
                                 int32_t *level_out, int32_t *count_out,
                                 int32_t *status_out, mlg_batch_workspace *ws,
                                 mlg_errinfo *err);

#ifdef __cplusplus
}
#endif

#endif /* MLG_H */
