/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mlg_pg.c -- the PostgreSQL extension "mlg": libmlg's proficiency methods,
 * roll-ups and explanations as SQL functions (docs/sql.md).
 *
 * This file is a front end: it converts SQL values to the library's flat
 * arrays and structs, calls the public API (mlg.h, mlg_rollup.h,
 * mlg_policy.h) and turns
 * results and status codes back into SQL values and errors.  It computes
 * nothing itself, so SQL results are bitwise those of the C API and the CLI.
 *
 * Backend rules this code keeps:
 *  - the library runs single-threaded here (threads = 1, mlg_series_*):
 *    no thread is ever started inside a backend;
 *  - every status is checked; an error becomes ereport(ERROR) with a
 *    SQLSTATE from mlg_sqlstate() and the library's message, after any
 *    library object has been freed (the library allocates with malloc,
 *    which an ERROR's longjmp would otherwise leak);
 *  - GSL's default error handler aborts the process.  The library validates
 *    its inputs before every GSL call, but a backend must never abort, so
 *    _PG_init() switches the handler off (as the CLI does): a GSL failure
 *    then surfaces as MLG_ENUMERIC.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <string.h>

#include "mlg.h"
#include "mlg_policy.h"
#include "mlg_rollup.h"

PG_MODULE_MAGIC;

void _PG_init(void);

void
_PG_init(void)
{
	gsl_set_error_handler_off();
}

/* Days between 1970-01-01 (libmlg's epoch) and 2000-01-01 (PostgreSQL's). */
#define MLG_PG_EPOCH_SHIFT (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE)

/* ------------------------------------------------------------------------ */
/* Errors                                                                     */
/* ------------------------------------------------------------------------ */

/* The SQLSTATE for each libmlg status (docs/sql.md, "Errors"). */
static int
mlg_sqlstate(int status)
{
	switch (status)
	{
		case MLG_ENULL:
			return ERRCODE_NULL_VALUE_NOT_ALLOWED;	/* 22004 */
		case MLG_EINVAL:
		case MLG_EEMPTY:
		case MLG_EWEIGHT:
		case MLG_ESTATUS:
			return ERRCODE_INVALID_PARAMETER_VALUE; /* 22023 */
		case MLG_ENAN:
			return ERRCODE_FLOATING_POINT_EXCEPTION;	/* 22P01 */
		case MLG_ESCALE:
			return ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;	/* 22003 */
		case MLG_EORDER:
		case MLG_ENUMERIC:
		case MLG_EPOLICY:
			return ERRCODE_DATA_EXCEPTION;	/* 22000 */
		case MLG_EOVERFLOW:
		case MLG_ESIZE:
			return ERRCODE_PROGRAM_LIMIT_EXCEEDED;	/* 54000 */
		case MLG_ENOMEM:
			return ERRCODE_OUT_OF_MEMORY;	/* 53200 */
		case MLG_EFORMAT:
			return ERRCODE_INVALID_TEXT_REPRESENTATION; /* 22P02 */
		case MLG_ENOTFOUND:
			return ERRCODE_UNDEFINED_OBJECT;	/* 42704 */
		case MLG_EDOMAIN:
			return ERRCODE_INVALID_ARGUMENT_FOR_LOG;	/* 2201E */
		case MLG_EDUPLICATE:
			return ERRCODE_DUPLICATE_OBJECT;	/* 42710 */
		case MLG_ECYCLE:
			return ERRCODE_INVALID_OBJECT_DEFINITION;	/* 42P17 */
		default:
			return ERRCODE_INTERNAL_ERROR;	/* XX000 */
	}
}

/* Raise a libmlg status as an SQL error: "<fn>: <what>: <library message>",
 * with the status name in the detail. */
static void
mlg_raise(const char *fn, const char *what, int status, const mlg_errinfo *err)
	pg_attribute_noreturn();

static void
mlg_raise(const char *fn, const char *what, int status, const mlg_errinfo *err)
{
	const char *msg = err && err->message[0] ? err->message : mlg_strerror(status);

	/* The library's message starts with its own position ("row 2: ", 0-based,
	 * "student 0, target T1: " or "target T1: "); `what` already names it in
	 * SQL's terms, so that prefix is dropped rather than shown twice. */
	if (what && err && (strncmp(msg, "row ", 4) == 0 || strncmp(msg, "student ", 8) == 0 ||
						strncmp(msg, "target ", 7) == 0))
	{
		const char *colon = strstr(msg, ": ");

		if (colon)
			msg = colon + 2;
	}

	ereport(ERROR,
			(errcode(mlg_sqlstate(status)),
			 errmsg("%s: %s%s%s", fn, what ? what : "", what ? ": " : "", msg),
			 errdetail("libmlg status %s (%d): %s.", mlg_errname(status), status,
					   mlg_strerror(status))));
	pg_unreachable();
}

static char *
text_arg(FunctionCallInfo fcinfo, int i, const char *fn, const char *name)
{
	if (PG_ARGISNULL(i))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: %s must not be NULL", fn, name)));
	return text_to_cstring(PG_GETARG_TEXT_PP(i));
}

/* ------------------------------------------------------------------------ */
/* Method, parameters and scale from SQL arguments                            */
/* ------------------------------------------------------------------------ */

/* `name` is a method (mlg_method_from_name) or else a preset
 * (mlg_preset_init). */
static void
config_method(const char *fn, const char *name, mlg_method_params *p)
{
	int32_t		m;

	if (mlg_method_from_name(name, &m) == MLG_OK)
	{
		(void) mlg_method_params_init(p, m);
		return;
	}
	if (mlg_preset_init(name, p) == MLG_OK)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_OBJECT),
			 errmsg("%s: unknown method or preset \"%s\"", fn, name),
			 errhint("Methods are listed by mlg_methods(), presets by mlg_presets().")));
}

/* Apply a jsonb object of parameters, {"weight": 0.65, "tie": "highest"},
 * with mlg_method_params_set(): numbers and strings become the text the
 * library parses; anything else is an error. */
static void
config_params(const char *fn, Jsonb *jb, mlg_method_params *p)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	char	   *key = NULL;

	if (!JB_ROOT_IS_OBJECT(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: params must be a JSON object such as {\"weight\": 0.65}", fn)));
	it = JsonbIteratorInit(&jb->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		char	   *val;
		int			rc;

		if (tok == WJB_KEY)
		{
			key = pnstrdup(v.val.string.val, v.val.string.len);
			continue;
		}
		if (tok != WJB_VALUE)
			continue;
		if (v.type == jbvNumeric)
			val = DatumGetCString(DirectFunctionCall1(numeric_out,
													  NumericGetDatum(v.val.numeric)));
		else if (v.type == jbvString)
			val = pnstrdup(v.val.string.val, v.val.string.len);
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: parameter \"%s\" must be a number or a string", fn,
							key ? key : "")));
		rc = mlg_method_params_set(p, key, val);
		if (rc != MLG_OK)
			ereport(ERROR,
					(errcode(mlg_sqlstate(rc)),
					 errmsg("%s: parameter \"%s\" = \"%s\": %s", fn, key, val,
							mlg_strerror(rc)),
					 errdetail("libmlg status %s (%d).", mlg_errname(rc), rc),
					 errhint("Keys: n, tie, missing, weight, mastery, half_life_days, "
							 "as_of, rounding, decimals, log_shift (docs/methods.md).")));
	}
}

static void
config_scale(const char *fn, const char *name, mlg_scale *s)
{
	if (mlg_scale_from_name(name, s) != MLG_OK)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("%s: unknown scale \"%s\"", fn, name),
				 errhint("Scales: ccs4, tk, eld4, tk_eld, behavior.")));
}

/* Read method (text), params (jsonb) and scale (text) from arguments
 * imethod, iparams, iscale (-1 = not given: decaying_average, {}, ccs4). */
static void
config_from_args(FunctionCallInfo fcinfo, const char *fn, int imethod, int iparams,
				 int iscale, mlg_method_params *p, mlg_scale *s)
{
	config_method(fn, imethod >= 0 ? text_arg(fcinfo, imethod, fn, "method")
				  : "decaying_average", p);
	if (iparams >= 0)
	{
		if (PG_ARGISNULL(iparams))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s: params must not be NULL (use '{}')", fn)));
		config_params(fn, PG_GETARG_JSONB_P(iparams), p);
	}
	config_scale(fn, iscale >= 0 ? text_arg(fcinfo, iscale, fn, "scale") : "ccs4", s);
}

/* ------------------------------------------------------------------------ */
/* A declared district policy (mlg_policy.h) from SQL arguments               */
/* ------------------------------------------------------------------------ */

/* What the extension takes from a policy: the method and parameters, the
 * scale (of a subject, or the "academic" role), the roll-up rules for
 * domains and composites whose catalogue gives none, and the name, hash and
 * canonical text.  The parsed mlg_policy itself is freed at once: only
 * these plain values are kept (and cached per call site). */
typedef struct pol_conf
{
	mlg_method_params params;
	mlg_scale	scale;
	mlg_rollup_rule rule_domain;
	mlg_rollup_rule rule_composite;
	char		hash[MLG_POLICY_HASH_SIZE];
	char	   *name;			/* in the caller's context, or NULL */
	char	   *canonical;		/* in the caller's context, or NULL */
} pol_conf;

/* Parse argument ipol (text: a shipped policy name, or JSON text starting
 * with '{'; jsonb: a policy document) and, when isubj >= 0 and the argument
 * is not NULL, apply subject isubj (a subject code of the policy, or a scale
 * role such as "tk").  Strings are copied into cx when cx is not NULL. */
static void
policy_load(FunctionCallInfo fcinfo, const char *fn, int ipol, int isubj,
			MemoryContext cx, pol_conf *out)
{
	mlg_policy *pol = NULL;
	mlg_errinfo err;
	char	   *subject = NULL;
	int			rc;

	if (PG_ARGISNULL(ipol))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: policy must not be NULL", fn),
				 errhint("Give a shipped policy name ('%s') or a policy document (jsonb).",
						 MLG_POLICY_DEFAULT)));
	if (isubj >= 0 && !PG_ARGISNULL(isubj))
		subject = text_to_cstring(PG_GETARG_TEXT_PP(isubj));
	memset(&err, 0, sizeof err);
	if (get_fn_expr_argtype(fcinfo->flinfo, ipol) == JSONBOID)
	{
		Jsonb	   *jb = PG_GETARG_JSONB_P(ipol);
		char	   *doc = JsonbToCString(NULL, &jb->root, (int) VARSIZE(jb));

		rc = mlg_policy_parse(doc, strlen(doc), &pol, &err);
	}
	else
	{
		char	   *doc = text_to_cstring(PG_GETARG_TEXT_PP(ipol));
		const char *q = doc;

		while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
			q++;
		if (*q == '{')
			rc = mlg_policy_parse(doc, strlen(doc), &pol, &err);
		else
			rc = mlg_policy_builtin(doc, &pol, &err);
	}
	if (rc != MLG_OK)
	{
		/* the library's message names the policy, the field and the line */
		mlg_policy_free(pol);
		mlg_raise(fn, NULL, rc, &err);
	}

	/* From here every library object is freed before any error. */
	rc = MLG_OK;
	if (subject != NULL)
	{
		mlg_policy_subject ps;

		if (mlg_policy_subject_find(pol, subject, &ps) == MLG_OK)
		{
			rc = mlg_policy_subject_method(pol, subject, &out->params);
			out->scale = ps.scale;
		}
		else if (mlg_policy_scale(pol, subject, &out->scale) == MLG_OK)
			rc = mlg_policy_method(pol, &out->params);
		else
			rc = MLG_ENOTFOUND;
	}
	else
	{
		rc = mlg_policy_method(pol, &out->params);
		if (rc == MLG_OK)
			rc = mlg_policy_scale(pol, "academic", &out->scale);
	}
	if (rc == MLG_OK)
		rc = mlg_policy_rule(pol, MLG_NODE_DOMAIN, &out->rule_domain);
	if (rc == MLG_OK)
		rc = mlg_policy_rule(pol, MLG_NODE_COMPOSITE, &out->rule_composite);
	if (rc != MLG_OK)
	{
		char		pname[MLG_ID_MAX + 1];
		StringInfoData codes;
		const char *code;

		snprintf(pname, sizeof pname, "%s", mlg_policy_name(pol));
		initStringInfo(&codes);
		for (size_t i = 0; (code = mlg_policy_subject_code(pol, i)) != NULL; i++)
			appendStringInfo(&codes, "%s%s", i ? ", " : "", code);
		mlg_policy_free(pol);
		if (rc == MLG_ENOTFOUND && subject != NULL)
			ereport(ERROR,
					(errcode(mlg_sqlstate(rc)),
					 errmsg("%s: policy %s has no subject \"%s\"", fn, pname, subject),
					 errdetail("libmlg status %s (%d): %s.", mlg_errname(rc), rc,
							   mlg_strerror(rc)),
					 errhint("Subjects: %s; or a scale role: academic, eld, behaviors, tk, "
							 "tk_eld.", codes.data)));
		mlg_raise(fn, "policy", rc, NULL);
	}
	snprintf(out->hash, sizeof out->hash, "%s", mlg_policy_hash(pol));
	out->name = NULL;
	out->canonical = NULL;
	if (cx != NULL)
	{
		PG_TRY();
		{
			out->name = MemoryContextStrdup(cx, mlg_policy_name(pol));
			out->canonical = MemoryContextStrdup(cx, mlg_policy_canonical(pol));
		}
		PG_FINALLY();
		{
			mlg_policy_free(pol);
		}
		PG_END_TRY();
	}
	else
		mlg_policy_free(pol);
}

/* Evidence status words (the CLI's three canonical words). */
static uint8_t
status_from_text(const char *fn, const char *s, int64 row)
{
	if (strcmp(s, "counted") == 0)
		return MLG_EVIDENCE_COUNTED;
	if (strcmp(s, "excused") == 0)
		return MLG_EVIDENCE_EXCUSED;
	if (strcmp(s, "missing") == 0)
		return MLG_EVIDENCE_MISSING;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: input row %lld: unknown status \"%s\" (counted, excused, missing)",
					fn, (long long) row, s)));
	pg_unreachable();
}

static int32_t
day_from_date(const char *fn, DateADT d, int64 row)
{
	if (DATE_NOT_FINITE(d))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s: input row %lld: day must be a finite date", fn, (long long) row)));
	return (int32_t) d + MLG_PG_EPOCH_SHIFT;
}

static DateADT
date_from_day(int32_t day)
{
	return (DateADT) (day - MLG_PG_EPOCH_SHIFT);
}

/* A day as YYYY-MM-DD for messages, whatever the session's DateStyle. */
static char *
day_text(int32_t day)
{
	int			y,
				m,
				d;

	j2date((int) date_from_day(day) + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	return psprintf("%04d-%02d-%02d", y, m, d);
}

/* Days must not go backwards: name both rows (1-based) and their days. */
static void
check_order(const char *fn, const int32_t *day, int64 i)
{
	if (i > 0 && day[i] < day[i - 1])
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s: input row %lld (day %s) is earlier than row %lld (day %s)",
						fn, (long long) i + 1, day_text(day[i]), (long long) i,
						day_text(day[i - 1])),
				 errdetail("libmlg status %s (%d): %s.", mlg_errname(MLG_EORDER), MLG_EORDER,
						   mlg_strerror(MLG_EORDER)),
				 errhint("Order the input by day: mlg_proficiency(score, day ORDER BY day), "
						 "array_agg(... ORDER BY day).")));
}

/* The node's flags as words: every set bit the library names
 * (mlg_node_flag_name(), the words the mlg command writes), so the
 * extension holds no word list of its own. */
static Datum
flags_array(int32_t flags)
{
	Datum		d[32];
	int			n = 0;

	for (int b = 0; b < 31; b++)
	{
		const char *name;

		if (!(flags & (INT32_C(1) << b)))
			continue;
		name = mlg_node_flag_name(INT32_C(1) << b);
		if (name)
			d[n++] = CStringGetTextDatum(name);
	}
	return PointerGetDatum(construct_array(d, n, TEXTOID, -1, false, TYPALIGN_INT));
}

/* ------------------------------------------------------------------------ */
/* mlg_proficiency(): the aggregate                                           */
/* ------------------------------------------------------------------------ */

/* Parsed settings (method, params, scale) of one aggregate call site, kept in
 * the transition function's fn_extra as a list keyed by the arguments' bytes:
 * parsed once per query, not once per group, and shared by every group's
 * state (so a hash aggregate over many groups keeps one copy). */
typedef struct agg_conf
{
	struct agg_conf *next;
	mlg_method_params params;
	mlg_scale	scale;
	bytea	   *raw[3];			/* method, params, scale as given; or policy,
								 * subject (the _policy aggregates) */
	bool		pol;			/* settings from a policy */
} agg_conf;

/* Rows kept inside the state itself before the first allocation: most
 * (student, target) groups of a reporting period are this short. */
#define AGG_INLINE 8

/* One group's evidence in input order, grown in the aggregate's context. */
typedef struct agg_state
{
	const agg_conf *conf;
	MemoryContext mcxt;
	int64		n;
	int64		cap;
	int32_t    *day;
	double	   *score;
	double	   *weight;			/* NULL until a row has a weight != 1 */
	uint8_t    *status;			/* NULL until a row is not counted */
	int32_t		day_inline[AGG_INLINE];
	double		score_inline[AGG_INLINE];
} agg_state;

static const char *const conf_names[3] = {"method", "params", "scale"};
static const char *const pol_names[3] = {"policy", "subject", ""};

static void *
agg_grow(MemoryContext cx, void *p, int64 cap, size_t elem)
{
	if (p == NULL)
		return MemoryContextAllocHuge(cx, (Size) cap * elem);
	return repalloc_huge(p, (Size) cap * elem);
}

static void
agg_reserve(agg_state *st)
{
	int64		cap;

	if (st->n < st->cap)
		return;
	if (st->cap >= (int64) (MaxAllocHugeSize / sizeof(double)) / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("mlg_proficiency: too many rows in one group")));
	cap = st->cap * 2;
	if (st->day == st->day_inline)
	{
		st->day = MemoryContextAllocHuge(st->mcxt, (Size) cap * sizeof *st->day);
		st->score = MemoryContextAllocHuge(st->mcxt, (Size) cap * sizeof *st->score);
		memcpy(st->day, st->day_inline, sizeof st->day_inline);
		memcpy(st->score, st->score_inline, sizeof st->score_inline);
	}
	else
	{
		st->day = agg_grow(st->mcxt, st->day, cap, sizeof *st->day);
		st->score = agg_grow(st->mcxt, st->score, cap, sizeof *st->score);
	}
	if (st->weight)
		st->weight = agg_grow(st->mcxt, st->weight, cap, sizeof *st->weight);
	if (st->status)
		st->status = agg_grow(st->mcxt, st->status, cap, sizeof *st->status);
	st->cap = cap;
}

/* Whether argument datum d (NULL if isnull) has the bytes of a.  (PostgreSQL's
 * varlena macros take non-const pointers, hence none here.) */
static bool
conf_same(bytea *a, Datum d, bool isnull)
{
	struct varlena *v;

	if (isnull)
		return a == NULL;
	if (a == NULL)
		return false;
	v = (struct varlena *) DatumGetPointer(d);
	if (VARATT_IS_EXTENDED(v))
		v = pg_detoast_datum_packed(v);
	return VARSIZE_ANY_EXHDR(v) == VARSIZE_ANY_EXHDR(a) &&
		memcmp(VARDATA_ANY(v), VARDATA_ANY(a), VARSIZE_ANY_EXHDR(a)) == 0;
}

/* Whether argument i (-1: none) has the bytes of a. */
static bool
key_same_arg(bytea *a, FunctionCallInfo fcinfo, int i)
{
	if (i < 0)
		return a == NULL;
	return conf_same(a, PG_GETARG_DATUM(i), PG_ARGISNULL(i));
}

/* The parsed settings for this row's configuration arguments (ic[k] = the
 * argument index of method, params, scale, or -1; with pol, of policy and
 * subject). */
static const agg_conf *
agg_conf_get(FunctionCallInfo fcinfo, const char *fn, const int ic[3], bool pol)
{
	agg_conf   *c;
	MemoryContext old;

	for (c = (agg_conf *) fcinfo->flinfo->fn_extra; c != NULL; c = c->next)
	{
		bool		same = true;

		for (int k = 0; k < 3 && same; k++)
			if (ic[k] >= 0)
				same = conf_same(c->raw[k], PG_GETARG_DATUM(ic[k]), PG_ARGISNULL(ic[k]));
		if (same)
			return c;
	}
	c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof *c);
	/* raises an error (NULL or bad settings) before c joins the list */
	if (pol)
	{
		pol_conf	pc;

		policy_load(fcinfo, fn, ic[0], ic[1], NULL, &pc);
		c->pol = true;
		c->params = pc.params;
		c->scale = pc.scale;
	}
	else
		config_from_args(fcinfo, fn, ic[0], ic[1], ic[2], &c->params, &c->scale);
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	for (int k = 0; k < 3; k++)
		if (ic[k] >= 0 && !PG_ARGISNULL(ic[k]))	/* a NULL subject: no key */
			c->raw[k] = (bytea *) pg_detoast_datum_copy((struct varlena *)
														DatumGetPointer(PG_GETARG_DATUM(ic[k])));
	MemoryContextSwitchTo(old);
	c->next = (agg_conf *) fcinfo->flinfo->fn_extra;
	fcinfo->flinfo->fn_extra = c;
	return c;
}

/*
 * The transition function behind every mlg_proficiency() signature.
 * Arguments after the state: score, day, then (when iweight >= 0) weight and
 * status, then the configuration arguments at imethod/iparams/iscale (-1 when
 * the signature has none); with pol (mlg_proficiency_policy), imethod is the
 * policy and iparams the subject.
 */
static Datum
agg_step(FunctionCallInfo fcinfo, int iweight, int imethod, int iparams, int iscale,
		 bool pol)
{
	const char *fn = pol ? "mlg_proficiency_policy" : "mlg_proficiency";
	MemoryContext aggcx;
	agg_state  *st;
	const int	ic[3] = {imethod, iparams, iscale};
	int64		row;
	double		w = 1.0;
	uint8_t		status = MLG_EVIDENCE_COUNTED;
	bool		status_given = false;

	if (!AggCheckCallContext(fcinfo, &aggcx))
		elog(ERROR, "%s transition function called in non-aggregate context", fn);

	if (PG_ARGISNULL(0))
	{
		const agg_conf *conf = agg_conf_get(fcinfo, fn, ic, pol);

		st = MemoryContextAllocZero(aggcx, sizeof *st);
		st->conf = conf;
		st->mcxt = aggcx;
		st->day = st->day_inline;
		st->score = st->score_inline;
		st->cap = AGG_INLINE;
	}
	else
	{
		st = (agg_state *) PG_GETARG_POINTER(0);
		for (int k = 0; k < 3; k++)
			if (ic[k] >= 0 &&
				!conf_same(st->conf->raw[k], PG_GETARG_DATUM(ic[k]), PG_ARGISNULL(ic[k])))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: input row %lld: %s differs from the group's first row",
								fn, (long long) st->n + 1, pol ? pol_names[k] : conf_names[k]),
						 errhint(pol ? "The policy and subject arguments are settings of the "
								 "whole group: pass constants."
								 : "The method, params and scale arguments are settings of the "
								 "whole group: pass constants.")));
	}
	row = st->n + 1;				/* 1-based position in the aggregate's input */

	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: input row %lld: day must not be NULL", fn, (long long) row)));
	if (iweight >= 0)
	{
		if (!PG_ARGISNULL(iweight))
			w = PG_GETARG_FLOAT8(iweight);
		if (!PG_ARGISNULL(iweight + 1))
		{
			char	   *s = text_to_cstring(PG_GETARG_TEXT_PP(iweight + 1));

			status = status_from_text(fn, s, row);
			status_given = true;
			pfree(s);
		}
	}
	/* A NULL score is evidence not submitted: status missing (which
	 * params.missing then ignores or counts as the scale's lowest score).
	 * An explicit 'counted' status needs a score. */
	if (PG_ARGISNULL(1))
	{
		if (status_given && status == MLG_EVIDENCE_COUNTED)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s: input row %lld: a counted score must not be NULL",
							fn, (long long) row),
					 errhint("Give the status 'missing' or 'excused', or a NULL status.")));
		if (!status_given)
			status = MLG_EVIDENCE_MISSING;
	}

	agg_reserve(st);
	st->day[st->n] = day_from_date(fn, PG_GETARG_DATEADT(2), row);
	check_order(fn, st->day, st->n);
	st->score[st->n] = PG_ARGISNULL(1) ? NAN : PG_GETARG_FLOAT8(1);
	if (w != 1.0 && st->weight == NULL)
	{
		st->weight = MemoryContextAllocHuge(st->mcxt, (Size) st->cap * sizeof(double));
		for (int64 i = 0; i < st->n; i++)
			st->weight[i] = 1.0;
	}
	if (st->weight)
		st->weight[st->n] = w;
	if (status != MLG_EVIDENCE_COUNTED && st->status == NULL)
	{
		st->status = MemoryContextAllocHuge(st->mcxt, (Size) st->cap);
		memset(st->status, MLG_EVIDENCE_COUNTED, (size_t) st->cap);
	}
	if (st->status)
		st->status[st->n] = status;
	st->n++;
	PG_RETURN_POINTER(st);
}

#define AGG_ENTRY_(name, iw, im, ip, is, pol) \
	PG_FUNCTION_INFO_V1(name); \
	Datum name(PG_FUNCTION_ARGS); \
	Datum name(PG_FUNCTION_ARGS) { return agg_step(fcinfo, iw, im, ip, is, pol); }
#define AGG_ENTRY(name, iw, im, ip, is) AGG_ENTRY_(name, iw, im, ip, is, false)

/* (score, day [, method [, params [, scale]]]) */
AGG_ENTRY(mlg_pg_agg_step, -1, -1, -1, -1)
AGG_ENTRY(mlg_pg_agg_step_m, -1, 3, -1, -1)
AGG_ENTRY(mlg_pg_agg_step_mp, -1, 3, 4, -1)
AGG_ENTRY(mlg_pg_agg_step_mps, -1, 3, 4, 5)
/* (score, day, weight, status, method, params [, scale]) */
AGG_ENTRY(mlg_pg_agg_step_wsmp, 3, 5, 6, -1)
AGG_ENTRY(mlg_pg_agg_step_wsmps, 3, 5, 6, 7)
/* mlg_proficiency_policy: (score, day, policy [, subject]) and
 * (score, day, weight, status, policy [, subject]); policy text or jsonb */
AGG_ENTRY_(mlg_pg_agg_step_pol, -1, 3, -1, -1, true)
AGG_ENTRY_(mlg_pg_agg_step_pol_s, -1, 3, 4, -1, true)
AGG_ENTRY_(mlg_pg_agg_step_ws_pol, 3, 5, -1, -1, true)
AGG_ENTRY_(mlg_pg_agg_step_ws_pol_s, 3, 5, 6, -1, true)

/* A mark as the composite type mlg_mark (value, level, label, n_used,
 * flags); level is 1-based on the scale, value and level NULL for N/A. */
static Datum
mark_datum(FunctionCallInfo fcinfo, const mlg_result *r, const mlg_scale *s)
{
	TupleDesc	td = (TupleDesc) fcinfo->flinfo->fn_extra;
	Datum		v[5];
	bool		nulls[5] = {false, false, false, false, false};
	bool		na = r->level == MLG_LEVEL_NA;

	/* The blessed row type, looked up once per call site. */
	if (td == NULL)
	{
		MemoryContext old;

		if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "mlg: return type must be the composite mlg_mark");
		old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		td = BlessTupleDesc(CreateTupleDescCopy(td));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = td;
	}
	v[0] = Float8GetDatum(r->value);
	nulls[0] = na;
	v[1] = Int32GetDatum(r->level + 1);
	nulls[1] = na;
	v[2] = CStringGetTextDatum(na ? "N/A" : s->label[r->level]);
	v[3] = Int32GetDatum(r->n_used);
	v[4] = flags_array(na ? MLG_NODE_NA : 0);
	return HeapTupleGetDatum(heap_form_tuple(td, v, nulls));
}

PG_FUNCTION_INFO_V1(mlg_pg_agg_final);
Datum		mlg_pg_agg_final(PG_FUNCTION_ARGS);

/* Read-only on the state (FINALFUNC_MODIFY = READ_ONLY): a window may call
 * it again after more rows. */
Datum
mlg_pg_agg_final(PG_FUNCTION_ARGS)
{
	agg_state  *st;
	mlg_result	r;
	mlg_errinfo err;
	int			rc;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (agg_state *) PG_GETARG_POINTER(0);
	memset(&err, 0, sizeof err);
	rc = mlg_series_compute((size_t) st->n, st->day, st->score, st->weight, st->status,
							&st->conf->scale, &st->conf->params, &r, &err);
	if (rc != MLG_OK)
	{
		char		what[64];

		snprintf(what, sizeof what, "input row %lld", (long long) err.row + 1);
		mlg_raise(st->conf->pol ? "mlg_proficiency_policy" : "mlg_proficiency",
				  err.row >= 0 ? what : NULL, rc, &err);
	}
	PG_RETURN_DATUM(mark_datum(fcinfo, &r, &st->conf->scale));
}

/* ------------------------------------------------------------------------ */
/* Arrays                                                                     */
/* ------------------------------------------------------------------------ */

/* A one-dimensional array argument as Datums and null flags (n 0 for an
 * empty array); NULL arguments are handled by the caller. */
static void
array_arg(FunctionCallInfo fcinfo, int i, Oid elem, const char *fn, const char *name,
		  Datum **d, bool **nulls, int *n)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(i);
	int16		len;
	bool		byval;
	char		align;

	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s: %s must be a one-dimensional array", fn, name)));
	get_typlenbyvalalign(elem, &len, &byval, &align);
	deconstruct_array(a, elem, len, byval, align, d, nulls, n);
}

/* ------------------------------------------------------------------------ */
/* mlg_explain()                                                              */
/* ------------------------------------------------------------------------ */

/* Parsed policy settings of one call site (fn_extra of mlg_explain_policy,
 * mlg_policy_hash, mlg_policy_show), keyed by the arguments' bytes and
 * replaced when they change. */
typedef struct pol_cache
{
	MemoryContext mcxt;			/* reset on a miss */
	bytea	   *raw[2];			/* policy, subject as given */
	pol_conf	conf;
} pol_cache;

static const pol_conf *
pol_cache_get(FunctionCallInfo fcinfo, const char *fn, int ipol, int isubj)
{
	pol_cache  *c = (pol_cache *) fcinfo->flinfo->fn_extra;
	const int	ik[2] = {ipol, isubj};
	MemoryContext old;

	if (c != NULL && c->conf.name != NULL &&
		key_same_arg(c->raw[0], fcinfo, ik[0]) && key_same_arg(c->raw[1], fcinfo, ik[1]))
		return &c->conf;
	if (c == NULL)
	{
		MemoryContext cx = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "mlg policy",
												 ALLOCSET_SMALL_SIZES);

		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof *c);
		c->mcxt = cx;
		fcinfo->flinfo->fn_extra = c;
	}
	else
	{
		MemoryContextReset(c->mcxt);
		memset(c->raw, 0, sizeof c->raw);
		c->conf.name = NULL;
	}
	policy_load(fcinfo, fn, ipol, isubj, c->mcxt, &c->conf);
	old = MemoryContextSwitchTo(c->mcxt);
	for (int k = 0; k < 2; k++)
		if (ik[k] >= 0 && !PG_ARGISNULL(ik[k]))
			c->raw[k] = (bytea *) pg_detoast_datum_copy((struct varlena *)
														DatumGetPointer(PG_GETARG_DATUM(ik[k])));
	MemoryContextSwitchTo(old);
	return &c->conf;
}

static Datum explain_common(FunctionCallInfo fcinfo, const char *fn,
							const mlg_method_params *pp, const mlg_scale *sp,
							int iweight, int istatus);

PG_FUNCTION_INFO_V1(mlg_pg_explain);
Datum		mlg_pg_explain(PG_FUNCTION_ARGS);

/* mlg_explain(score float8[], day date[], weight float8[], status text[],
 * method text, params jsonb, scale text): one row per evidence row. */
Datum
mlg_pg_explain(PG_FUNCTION_ARGS)
{
	const char *fn = "mlg_explain";
	mlg_method_params p;
	mlg_scale	s;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: score and day must not be NULL", fn)));
	config_from_args(fcinfo, fn, 4, 5, 6, &p, &s);
	return explain_common(fcinfo, fn, &p, &s, 2, 3);
}

PG_FUNCTION_INFO_V1(mlg_pg_explain_policy);
Datum		mlg_pg_explain_policy(PG_FUNCTION_ARGS);

/* mlg_explain_policy(score float8[], day date[], policy text|jsonb,
 * subject text, weight float8[], status text[]). */
Datum
mlg_pg_explain_policy(PG_FUNCTION_ARGS)
{
	const char *fn = "mlg_explain_policy";
	const pol_conf *pc;
	mlg_method_params p;
	mlg_scale	s;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: score and day must not be NULL", fn)));
	pc = pol_cache_get(fcinfo, fn, 2, 3);
	p = pc->params;
	s = pc->scale;
	return explain_common(fcinfo, fn, &p, &s, 4, 5);
}

/* The rows of mlg_explain: arguments 0 (score) and 1 (day), weight and
 * status at iweight and istatus. */
static Datum
explain_common(FunctionCallInfo fcinfo, const char *fn, const mlg_method_params *pp,
			   const mlg_scale *sp, int iweight, int istatus)
{
	ReturnSetInfo *rsi = (ReturnSetInfo *) fcinfo->resultinfo;
	Datum	   *sd,
			   *dd,
			   *wd = NULL,
			   *xd = NULL;
	bool	   *sn,
			   *dn,
			   *wn = NULL,
			   *xn = NULL;
	int			n,
				nd,
				nw = 0,
				nx = 0;
	int32_t    *day;
	double	   *score,
			   *weight = NULL;
	uint8_t    *status = NULL;
	mlg_explain_row *rows;
	mlg_result	r;
	mlg_errinfo err;
	int			rc;

	array_arg(fcinfo, 0, FLOAT8OID, fn, "score", &sd, &sn, &n);
	array_arg(fcinfo, 1, DATEOID, fn, "day", &dd, &dn, &nd);
	if (!PG_ARGISNULL(iweight))
		array_arg(fcinfo, iweight, FLOAT8OID, fn, "weight", &wd, &wn, &nw);
	if (!PG_ARGISNULL(istatus))
		array_arg(fcinfo, istatus, TEXTOID, fn, "status", &xd, &xn, &nx);
	if (nd != n || (wd && nw != n) || (xd && nx != n))
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s: score, day, weight and status must have the same length "
						"(%d, %d, %d, %d)", fn, n, nd, wd ? nw : n, xd ? nx : n)));

	day = palloc((size_t) Max(n, 1) * sizeof *day);
	score = palloc((size_t) Max(n, 1) * sizeof *score);
	status = palloc((size_t) Max(n, 1));
	if (wd)
		weight = palloc((size_t) Max(n, 1) * sizeof *weight);
	for (int i = 0; i < n; i++)
	{
		bool		given = false;

		if (dn[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s: input row %d: day must not be NULL", fn, i + 1)));
		day[i] = day_from_date(fn, DatumGetDateADT(dd[i]), i + 1);
		check_order(fn, day, i);
		score[i] = sn[i] ? NAN : DatumGetFloat8(sd[i]);
		if (weight)
			weight[i] = wn[i] ? 1.0 : DatumGetFloat8(wd[i]);
		status[i] = MLG_EVIDENCE_COUNTED;
		if (xd && !xn[i])
		{
			status[i] = status_from_text(fn, TextDatumGetCString(xd[i]), i + 1);
			given = true;
		}
		if (sn[i])
		{
			if (given && status[i] == MLG_EVIDENCE_COUNTED)
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("%s: input row %d: a counted score must not be NULL", fn, i + 1)));
			if (!given)
				status[i] = MLG_EVIDENCE_MISSING;
		}
	}
	rows = palloc((size_t) Max(n, 1) * sizeof *rows);
	memset(&err, 0, sizeof err);
	rc = mlg_series_explain((size_t) n, day, score, weight, status, sp, pp, &r, rows, &err);
	if (rc != MLG_OK)
	{
		char		what[64];

		snprintf(what, sizeof what, "input row %lld", (long long) err.row + 1);
		mlg_raise(fn, err.row >= 0 ? what : NULL, rc, &err);
	}

	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i < n; i++)
	{
		const mlg_explain_row *x = &rows[i];
		Datum		v[7];
		bool		nulls[7] = {false, false, false, false, false, false, false};

		v[0] = Int32GetDatum((int32) x->row + 1);
		v[1] = DateADTGetDatum(date_from_day(x->day));
		v[2] = Float8GetDatum(x->score);
		nulls[2] = isnan(x->score);
		v[3] = Float8GetDatum(x->weight);
		v[4] = CStringGetTextDatum(mlg_why_name(x->reason) ? mlg_why_name(x->reason)
								   : "unknown");
		v[5] = Float8GetDatum(x->influence);
		v[6] = Float8GetDatum(x->fitted);
		nulls[6] = isnan(x->fitted);
		tuplestore_putvalues(rsi->setResult, rsi->setDesc, v, nulls);
	}
	return (Datum) 0;
}

/* ------------------------------------------------------------------------ */
/* mlg_rollup(): a catalogue from a table or a CASE document                  */
/* ------------------------------------------------------------------------ */

/* One catalogue node as the table (or document) gives it: the columns of
 * data/school/catalogue.csv.  weight < 0 means "not given" (1). */
typedef struct cat_row
{
	char	   *id;
	char	   *parent;			/* NULL or "" for a root */
	char	   *label;			/* NULL or "" = the id */
	char	   *rule;			/* NULL or "" = mean */
	double		weight;
	bool		weight_given;
	int32_t		na_allowed;		/* -1 not given (1), 0 or 1 */
} cat_row;

/* A finalised catalogue kept for the life of the calling expression
 * (fn_extra), rebuilt when its source or settings change. */
typedef struct rollup_cache
{
	MemoryContext mcxt;
	MemoryContext rows_cx;		/* rows and keys, reset on a rebuild */
	MemoryContextCallback cb;
	Oid			relid;			/* InvalidOid for a CASE document */
	bytea	   *key[4];			/* document, method, params, scale */
	mlg_catalogue *cat;
	mlg_scale	scale;
	cat_row    *rows;
	size_t		n;				/* nodes */
	size_t		T;				/* targets */
} rollup_cache;

static void
rollup_cache_free(void *arg)
{
	rollup_cache *c = (rollup_cache *) arg;

	mlg_catalogue_free(c->cat);
	c->cat = NULL;
}

static const char *const *sort_ids;

static int
cmp_id(const void *a, const void *b)
{
	return strcmp(sort_ids[*(const int *) a], sort_ids[*(const int *) b]);
}

static bool
str_empty(const char *s)
{
	return s == NULL || s[0] == '\0';
}

/* Build and finalise the library catalogue from rows[0..n): node i is row i.
 * A node nobody names as parent is a learning target; a node with children
 * and no parent a composite; any other a domain (the CLI's reading of the
 * same columns, docs/cli.md).  With a policy (pol not NULL), a domain or
 * composite without a rule takes the policy's, and when the scale allows no
 * N/A neither does any domain or composite (as mlg compute --policy). */
static mlg_catalogue *
catalogue_build(const char *fn, const cat_row *rows, int n, const mlg_scale *scale,
				const mlg_method_params *params, const pol_conf *pol)
{
	const char **ids = palloc((size_t) Max(n, 1) * sizeof *ids);
	int		   *order = palloc((size_t) Max(n, 1) * sizeof *order);
	int		   *nchild = palloc0((size_t) Max(n, 1) * sizeof *nchild);
	mlg_catalogue *cat = NULL;
	mlg_errinfo err;
	int			rc;

	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the catalogue is empty", fn)));
	for (int i = 0; i < n; i++)
	{
		if (str_empty(rows[i].id))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s: catalogue row %d: empty or NULL id", fn, i + 1)));
		ids[i] = rows[i].id;
		order[i] = i;
	}
	sort_ids = ids;
	qsort(order, (size_t) n, sizeof *order, cmp_id);
	for (int i = 1; i < n; i++)
		if (strcmp(ids[order[i]], ids[order[i - 1]]) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_OBJECT),
					 errmsg("%s: catalogue: duplicate id \"%s\"", fn, ids[order[i]])));
	for (int i = 0; i < n; i++)
	{
		int			lo = 0,
					hi = n - 1,
					found = -1;

		if (str_empty(rows[i].parent))
			continue;
		while (lo <= hi)
		{
			int			mid = lo + (hi - lo) / 2;
			int			c = strcmp(rows[i].parent, ids[order[mid]]);

			if (c == 0)
			{
				found = order[mid];
				break;
			}
			if (c < 0)
				hi = mid - 1;
			else
				lo = mid + 1;
		}
		if (found < 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("%s: catalogue: node \"%s\": unknown parent \"%s\"", fn,
							rows[i].id, rows[i].parent)));
		nchild[found]++;
	}

	rc = mlg_catalogue_create(&cat);
	if (rc != MLG_OK)
		mlg_raise(fn, "catalogue", rc, NULL);
	for (int i = 0; i < n; i++)
	{
		const cat_row *r = &rows[i];
		int32_t		kind = nchild[i] == 0 ? MLG_NODE_TARGET
			: str_empty(r->parent) ? MLG_NODE_COMPOSITE : MLG_NODE_DOMAIN;
		mlg_rollup_rule rule;
		char		what[MLG_ID_MAX + 64];
		int32_t		na;

		(void) mlg_rollup_rule_init(&rule, MLG_RULE_MEAN);
		memset(&err, 0, sizeof err);
		snprintf(what, sizeof what, "catalogue node \"%.*s\"", MLG_ID_MAX, r->id);
		if (kind != MLG_NODE_TARGET && str_empty(r->rule) && pol != NULL)
			rule = kind == MLG_NODE_DOMAIN ? pol->rule_domain : pol->rule_composite;
		if (kind != MLG_NODE_TARGET && !str_empty(r->rule))
		{
			rc = mlg_rollup_rule_parse(r->rule, &rule, &err);
			if (rc != MLG_OK)
			{
				mlg_catalogue_free(cat);
				mlg_raise(fn, what, rc, &err);
			}
		}
		if (kind == MLG_NODE_TARGET)
		{
			/* targets are levelled exactly as the method levels them */
			rule.rounding = params->rounding;
			rule.decimals = params->decimals;
		}
		na = r->na_allowed < 0 ? 1 : r->na_allowed;
		if (pol != NULL && !scale->na_allowed && kind != MLG_NODE_TARGET)
			na = 0;				/* the scale allows no N/A (TK, ELD, sec. II.A) */
		rc = mlg_catalogue_add(cat, r->id, str_empty(r->label) ? NULL : r->label, kind,
							   scale, &rule, na, &err);
		if (rc != MLG_OK)
		{
			mlg_catalogue_free(cat);
			mlg_raise(fn, what, rc, &err);
		}
	}
	for (int i = 0; i < n; i++)
	{
		const cat_row *r = &rows[i];

		if (str_empty(r->parent))
			continue;
		memset(&err, 0, sizeof err);
		rc = mlg_catalogue_link(cat, r->parent, r->id, r->weight_given ? r->weight : 1.0, &err);
		if (rc != MLG_OK)
		{
			char		what[2 * MLG_ID_MAX + 64];

			mlg_catalogue_free(cat);
			snprintf(what, sizeof what, "catalogue link \"%.*s\" -> \"%.*s\"",
					 MLG_ID_MAX, r->id, MLG_ID_MAX, r->parent);
			mlg_raise(fn, what, rc, &err);
		}
	}
	memset(&err, 0, sizeof err);
	rc = mlg_catalogue_finalize(cat, &err);
	if (rc != MLG_OK)
	{
		mlg_catalogue_free(cat);
		mlg_raise(fn, "catalogue", rc, &err);
	}
	pfree(ids);
	pfree(order);
	pfree(nchild);
	return cat;
}

static int32_t
na_from_text(const char *fn, const char *s, int row)
{
	if (s == NULL || s[0] == '\0')
		return -1;
	if (!strcmp(s, "1") || !strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "t"))
		return 1;
	if (!strcmp(s, "0") || !strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "f"))
		return 0;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("%s: catalogue row %d: na_allowed \"%s\" is not 0/1/yes/no/true/false",
					fn, row, s)));
	pg_unreachable();
}

/* Read the catalogue table's rows with SPI into memory of context cx.
 * Columns id and parent are required; label, rule, weight and na_allowed
 * are optional.  Rows come in physical order for a plain table (the order
 * \copy loaded them), so node order, and link order for mode's "recent"
 * tie, follow the file. */
static cat_row *
catalogue_read_table(const char *fn, Oid relid, MemoryContext cx, int *n_out)
{
	static const char *const opt[4] = {"label", "rule", "weight", "na_allowed"};
	static const char *const cast[4] = {"::text", "::text", "::float8", "::text"};
	char		relkind = get_rel_relkind(relid);
	char	   *relname = get_rel_name(relid);
	StringInfoData q;
	cat_row    *rows;
	int			rc;
	uint64		n;

	if (relname == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("%s: catalogue relation %u does not exist", fn, relid)));
	if (get_attnum(relid, "id") == InvalidAttrNumber ||
		get_attnum(relid, "parent") == InvalidAttrNumber)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("%s: catalogue table \"%s\" needs the columns id and parent", fn, relname),
				 errhint("The columns are those of data/school/catalogue.csv: id, parent, "
						 "label, rule, weight, na_allowed.")));
	initStringInfo(&q);
	appendStringInfoString(&q, "SELECT id::text, parent::text");
	for (int k = 0; k < 4; k++)
	{
		if (get_attnum(relid, opt[k]) != InvalidAttrNumber)
			appendStringInfo(&q, ", %s%s", quote_identifier(opt[k]), cast[k]);
		else
			appendStringInfo(&q, ", NULL%s", cast[k]);
	}
	appendStringInfo(&q, " FROM %s",
					 quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
												relname));
	if (relkind == RELKIND_RELATION)
		appendStringInfoString(&q, " ORDER BY ctid");

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "%s: SPI_connect failed", fn);
	rc = SPI_execute(q.data, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "%s: reading the catalogue failed: %s", fn, SPI_result_code_string(rc));
	n = SPI_processed;
	if (n > (uint64) INT_MAX / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: catalogue too large", fn)));
	rows = MemoryContextAllocZero(cx, (Size) Max(n, 1) * sizeof *rows);
	for (uint64 i = 0; i < n; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	td = SPI_tuptable->tupdesc;
		cat_row    *r = &rows[i];
		bool		isnull;
		char	   *na;
		Datum		w;

		r->id = SPI_getvalue(tup, td, 1);
		r->parent = SPI_getvalue(tup, td, 2);
		r->label = SPI_getvalue(tup, td, 3);
		r->rule = SPI_getvalue(tup, td, 4);
		w = SPI_getbinval(tup, td, 5, &isnull);
		r->weight_given = !isnull;
		r->weight = isnull ? 1.0 : DatumGetFloat8(w);
		na = SPI_getvalue(tup, td, 6);
		r->na_allowed = na_from_text(fn, na, (int) i + 1);
		r->id = r->id ? MemoryContextStrdup(cx, r->id) : NULL;
		r->parent = r->parent ? MemoryContextStrdup(cx, r->parent) : NULL;
		r->label = r->label ? MemoryContextStrdup(cx, r->label) : NULL;
		r->rule = r->rule ? MemoryContextStrdup(cx, r->rule) : NULL;
	}
	SPI_finish();
	*n_out = (int) n;
	return rows;
}


/* A string member of a JSON object container, or NULL. */
static char *
json_str(JsonbContainer *obj, const char *key, MemoryContext cx)
{
	JsonbValue	v;

	if (getKeyJsonValueFromContainer(obj, key, (uint32) strlen(key), &v) == NULL ||
		v.type != jbvString)
		return NULL;
	return MemoryContextStrdup(cx, pnstrdup(v.val.string.val, v.val.string.len));
}

/* The container of object member `key` (an array or object), or NULL. */
static JsonbContainer *
json_container(JsonbContainer *obj, const char *key)
{
	JsonbValue	v;

	if (getKeyJsonValueFromContainer(obj, key, (uint32) strlen(key), &v) == NULL ||
		v.type != jbvBinary)
		return NULL;
	return v.val.binary.data;
}

/* Element i of an array container if it is an object, else NULL. */
static JsonbContainer *
json_object_at(JsonbContainer *arr, uint32 i)
{
	JsonbValue *v = getIthJsonbValueFromContainer(arr, i);

	if (v == NULL || v->type != jbvBinary || !JsonContainerIsObject(v->val.binary.data))
		return NULL;
	return v->val.binary.data;
}

static int
find_sorted(const char *key, const int *order, const char *const *keys, int n)
{
	int			lo = 0,
				hi = n - 1;

	while (lo <= hi)
	{
		int			mid = lo + (hi - lo) / 2;
		int			c = strcmp(key, keys[order[mid]]);

		if (c == 0)
			return order[mid];
		if (c < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return -1;
}

/* Catalogue rows from a CASE 1.1 CFPackage, read as the CLI reads a .json
 * catalogue (docs/cli.md): each CFItem is a node (id = humanCodingScheme,
 * else identifier; label = abbreviatedStatement, else fullStatement;
 * optional mlgRule, mlgWeight, mlgNaAllowed); each isChildOf association
 * makes its origin item a child of its destination item (a destination that
 * is not an item, such as the CFDocument, leaves a root). */
static cat_row *
catalogue_read_case(const char *fn, Jsonb *jb, MemoryContext cx, int *n_out)
{
	JsonbContainer *items,
			   *assocs;
	cat_row    *rows;
	char	  **uuid;
	int		   *order;
	int			n;

	if (!JB_ROOT_IS_OBJECT(jb) || (items = json_container(&jb->root, "CFItems")) == NULL ||
		!JsonContainerIsArray(items))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: not a CASE CFPackage: no CFItems array", fn)));
	n = (int) JsonContainerSize(items);
	rows = MemoryContextAllocZero(cx, (Size) Max(n, 1) * sizeof *rows);
	uuid = palloc((size_t) Max(n, 1) * sizeof *uuid);
	order = palloc((size_t) Max(n, 1) * sizeof *order);
	for (int i = 0; i < n; i++)
	{
		JsonbContainer *it = json_object_at(items, (uint32) i);
		cat_row    *r = &rows[i];
		char	   *code;
		JsonbValue	v;

		if (it == NULL || (uuid[i] = json_str(it, "identifier", cx)) == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: CFItems[%d] is not an object with an identifier", fn, i)));
		code = json_str(it, "humanCodingScheme", cx);
		r->id = !str_empty(code) ? code : uuid[i];
		r->label = json_str(it, "abbreviatedStatement", cx);
		if (r->label == NULL)
			r->label = json_str(it, "fullStatement", cx);
		r->rule = json_str(it, "mlgRule", cx);
		r->na_allowed = -1;
		r->weight = 1.0;
		if (getKeyJsonValueFromContainer(it, "mlgWeight", 9, &v) != NULL && v.type == jbvNumeric)
		{
			r->weight = DatumGetFloat8(DirectFunctionCall1(numeric_float8,
														   NumericGetDatum(v.val.numeric)));
			r->weight_given = true;
		}
		if (getKeyJsonValueFromContainer(it, "mlgNaAllowed", 12, &v) != NULL && v.type == jbvBool)
			r->na_allowed = v.val.boolean ? 1 : 0;
		order[i] = i;
	}
	sort_ids = (const char *const *) uuid;
	qsort(order, (size_t) n, sizeof *order, cmp_id);
	for (int i = 1; i < n; i++)
		if (strcmp(uuid[order[i]], uuid[order[i - 1]]) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_OBJECT),
					 errmsg("%s: CFItems: duplicate identifier \"%s\"", fn, uuid[order[i]])));
	assocs = json_container(&jb->root, "CFAssociations");
	if (assocs != NULL && JsonContainerIsArray(assocs))
	{
		int			na = (int) JsonContainerSize(assocs);

		for (int i = 0; i < na; i++)
		{
			JsonbContainer *a = json_object_at(assocs, (uint32) i);
			JsonbContainer *o,
					   *d;
			char	   *type,
					   *oi,
					   *di;
			int			ci,
						pi;

			if (a == NULL || (type = json_str(a, "associationType", cx)) == NULL ||
				strcmp(type, "isChildOf") != 0)
				continue;
			o = json_container(a, "originNodeURI");
			d = json_container(a, "destinationNodeURI");
			oi = o && JsonContainerIsObject(o) ? json_str(o, "identifier", cx) : NULL;
			di = d && JsonContainerIsObject(d) ? json_str(d, "identifier", cx) : NULL;
			if (oi == NULL || di == NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: CFAssociations[%d]: isChildOf without origin or "
								"destination identifier", fn, i)));
			ci = find_sorted(oi, order, (const char *const *) uuid, n);
			pi = find_sorted(di, order, (const char *const *) uuid, n);
			if (ci < 0 || pi < 0)
				continue;		/* not an item, or a child of the document */
			if (!str_empty(rows[ci].parent) && strcmp(rows[ci].parent, rows[pi].id) != 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: item \"%s\" is a child of both \"%s\" and \"%s\"", fn,
								rows[ci].id, rows[ci].parent, rows[pi].id)));
			rows[ci].parent = rows[pi].id;
		}
	}
	pfree(uuid);
	pfree(order);
	*n_out = n;
	return rows;
}

/* The cached catalogue for this call site, (re)built when the table, the
 * document or the settings differ from the last call's.  The settings are
 * arguments iconf.. : method, params, scale; or with pol, policy, subject. */
static rollup_cache *
rollup_get(FunctionCallInfo fcinfo, const char *fn, Oid relid, int idoc, int iconf, bool pol)
{
	rollup_cache *c = (rollup_cache *) fcinfo->flinfo->fn_extra;
	const int	ik[4] = {idoc, iconf, iconf + 1, pol ? -1 : iconf + 2};
	pol_conf	pc;
	MemoryContext old;
	mlg_method_params p;
	mlg_scale	s;
	cat_row    *rows;
	int			n;

	if (c != NULL && c->cat != NULL && c->relid == relid &&
		key_same_arg(c->key[0], fcinfo, ik[0]) && key_same_arg(c->key[1], fcinfo, ik[1]) &&
		key_same_arg(c->key[2], fcinfo, ik[2]) && key_same_arg(c->key[3], fcinfo, ik[3]))
		return c;
	if (c == NULL)
	{
		MemoryContext cx = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "mlg catalogue",
												 ALLOCSET_SMALL_SIZES);

		c = MemoryContextAllocZero(cx, sizeof *c);
		c->mcxt = cx;
		c->rows_cx = AllocSetContextCreate(cx, "mlg catalogue rows", ALLOCSET_SMALL_SIZES);
		c->cb.func = rollup_cache_free;
		c->cb.arg = c;
		MemoryContextRegisterResetCallback(cx, &c->cb);
		fcinfo->flinfo->fn_extra = c;
	}
	else
	{
		mlg_catalogue_free(c->cat);
		c->cat = NULL;
		MemoryContextReset(c->rows_cx);
		memset(c->key, 0, sizeof c->key);
		c->rows = NULL;
	}

	if (pol)
	{
		policy_load(fcinfo, fn, iconf, iconf + 1, NULL, &pc);
		p = pc.params;
		s = pc.scale;
	}
	else
		config_from_args(fcinfo, fn, iconf, iconf + 1, iconf + 2, &p, &s);
	if (idoc >= 0)
		rows = catalogue_read_case(fn, PG_GETARG_JSONB_P(idoc), c->rows_cx, &n);
	else
		rows = catalogue_read_table(fn, relid, c->rows_cx, &n);
	c->cat = catalogue_build(fn, rows, n, &s, &p, pol ? &pc : NULL);
	c->rows = rows;
	c->n = (size_t) n;
	c->T = mlg_catalogue_target_count(c->cat);
	c->scale = s;
	c->relid = relid;
	old = MemoryContextSwitchTo(c->rows_cx);
	for (int k = 0; k < 4; k++)
		if (ik[k] >= 0 && !PG_ARGISNULL(ik[k]))
			c->key[k] = (bytea *) pg_detoast_datum_copy((struct varlena *)
														DatumGetPointer(PG_GETARG_DATUM(ik[k])));
	MemoryContextSwitchTo(old);
	return c;
}

/* One student's target values from arguments 1 (target_id text[]) and 2
 * (target_value float8[]): NaN (N/A) for every target not given. */
static double *
rollup_targets(FunctionCallInfo fcinfo, const char *fn, const rollup_cache *c)
{
	Datum	   *idd,
			   *vd;
	bool	   *idn,
			   *vn;
	int			nid,
				nv;
	double	   *tv;
	bool	   *seen;

	array_arg(fcinfo, 1, TEXTOID, fn, "target_id", &idd, &idn, &nid);
	array_arg(fcinfo, 2, FLOAT8OID, fn, "target_value", &vd, &vn, &nv);
	if (nid != nv)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s: target_id and target_value must have the same length (%d, %d)",
						fn, nid, nv)));
	tv = palloc(Max(c->T, 1) * sizeof *tv);
	seen = palloc0(Max(c->T, 1) * sizeof *seen);
	for (size_t t = 0; t < c->T; t++)
		tv[t] = NAN;			/* not assessed: N/A */
	for (int i = 0; i < nid; i++)
	{
		char	   *id;
		size_t		t;
		int			rc;

		if (idn[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s: target_id[%d] must not be NULL", fn, i + 1)));
		id = TextDatumGetCString(idd[i]);
		rc = mlg_catalogue_find_target(c->cat, id, &t);
		if (rc != MLG_OK)
			ereport(ERROR,
					(errcode(mlg_sqlstate(rc)),
					 errmsg("%s: target_id[%d] \"%s\": %s", fn, i + 1, id,
							rc == MLG_EINVAL ? "not a learning target (a domain or composite)"
							: rc == MLG_EDUPLICATE ? "ambiguous short id"
							: "not in the catalogue"),
					 errdetail("libmlg status %s (%d).", mlg_errname(rc), rc)));
		if (seen[t])
			ereport(ERROR,
					(errcode(ERRCODE_CARDINALITY_VIOLATION),
					 errmsg("%s: target \"%s\" is given twice", fn, id)));
		seen[t] = true;
		tv[t] = vn[i] ? NAN : DatumGetFloat8(vd[i]);
	}
	pfree(seen);
	return tv;
}

/* Raise a roll-up error, naming the failing target when there is one. */
static void
rollup_raise(const char *fn, const rollup_cache *c, int rc, const mlg_errinfo *err)
	pg_attribute_noreturn();

static void
rollup_raise(const char *fn, const rollup_cache *c, int rc, const mlg_errinfo *err)
{
	char		what[MLG_ID_MAX + 32];
	size_t		node;

	if (err->row >= 0 && mlg_catalogue_target_node(c->cat, (size_t) err->row, &node) == MLG_OK)
	{
		snprintf(what, sizeof what, "target \"%.*s\"", MLG_ID_MAX, c->rows[node].id);
		mlg_raise(fn, what, rc, err);
	}
	mlg_raise(fn, NULL, rc, err);
}

/* The roll-up of one student: arguments (catalogue, target_id text[],
 * target_value float8[], method, params, scale); one row per node. */
static Datum
rollup_common(FunctionCallInfo fcinfo, const char *fn, Oid relid, int idoc, bool pol)
{
	ReturnSetInfo *rsi = (ReturnSetInfo *) fcinfo->resultinfo;
	rollup_cache *c;
	double	   *tv,
			   *node_value;
	int32_t    *node_level,
			   *node_flags;
	mlg_errinfo err;
	int			rc;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: catalogue, target_id and target_value must not be NULL", fn)));
	c = rollup_get(fcinfo, fn, relid, idoc, 3, pol);
	tv = rollup_targets(fcinfo, fn, c);
	node_value = palloc(c->n * sizeof *node_value);
	node_level = palloc(c->n * sizeof *node_level);
	node_flags = palloc(c->n * sizeof *node_flags);
	memset(&err, 0, sizeof err);
	rc = mlg_rollup_run(c->cat, 1, tv, 1, node_value, node_level, node_flags, &err);
	if (rc != MLG_OK)
		rollup_raise(fn, c, rc, &err);

	InitMaterializedSRF(fcinfo, 0);
	for (size_t i = 0; i < c->n; i++)
	{
		Datum		v[7];
		bool		nulls[7] = {false, false, false, false, false, false, false};
		mlg_node_info info;
		const char *label = mlg_catalogue_node_label(c->cat, i);
		bool		na = node_level[i] == MLG_LEVEL_NA;

		if (mlg_catalogue_node_info(c->cat, i, &info) != MLG_OK)
			elog(ERROR, "%s: node %zu has no info", fn, i);
		v[0] = CStringGetTextDatum(c->rows[i].id);
		v[1] = CStringGetTextDatum(mlg_node_kind_name(info.kind));
		v[2] = CStringGetTextDatum(label ? label : c->rows[i].id);
		v[3] = Float8GetDatum(node_value[i]);
		nulls[3] = na;
		v[4] = Int32GetDatum(node_level[i] + 1);
		nulls[4] = na;
		v[5] = CStringGetTextDatum(na ? "N/A" : c->scale.label[node_level[i]]);
		v[6] = flags_array(node_flags[i]);
		tuplestore_putvalues(rsi->setResult, rsi->setDesc, v, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(mlg_pg_rollup_table);
Datum		mlg_pg_rollup_table(PG_FUNCTION_ARGS);

Datum
mlg_pg_rollup_table(PG_FUNCTION_ARGS)
{
	return rollup_common(fcinfo, "mlg_rollup", PG_ARGISNULL(0) ? InvalidOid : PG_GETARG_OID(0), -1,
						 false);
}

PG_FUNCTION_INFO_V1(mlg_pg_rollup_table_policy);
Datum		mlg_pg_rollup_table_policy(PG_FUNCTION_ARGS);

Datum
mlg_pg_rollup_table_policy(PG_FUNCTION_ARGS)
{
	return rollup_common(fcinfo, "mlg_rollup_policy",
						 PG_ARGISNULL(0) ? InvalidOid : PG_GETARG_OID(0), -1, true);
}

PG_FUNCTION_INFO_V1(mlg_pg_rollup_case);
Datum		mlg_pg_rollup_case(PG_FUNCTION_ARGS);

Datum
mlg_pg_rollup_case(PG_FUNCTION_ARGS)
{
	return rollup_common(fcinfo, "mlg_rollup_case", InvalidOid, 0, false);
}

PG_FUNCTION_INFO_V1(mlg_pg_rollup_case_policy);
Datum		mlg_pg_rollup_case_policy(PG_FUNCTION_ARGS);

Datum
mlg_pg_rollup_case_policy(PG_FUNCTION_ARGS)
{
	return rollup_common(fcinfo, "mlg_rollup_case_policy", InvalidOid, 0, true);
}

PG_FUNCTION_INFO_V1(mlg_pg_rollup_explain);
Datum		mlg_pg_rollup_explain(PG_FUNCTION_ARGS);

/* mlg_rollup_explain(catalogue regclass, target_id text[], target_value
 * float8[], node text, method, params, scale): how one node got its mark
 * for one student (mlg_rollup_explain()), one row per child in link order;
 * a target, which has no children, gives one row with the child columns
 * NULL. */
static Datum rollup_explain_common(FunctionCallInfo fcinfo, const char *fn, bool pol);

Datum
mlg_pg_rollup_explain(PG_FUNCTION_ARGS)
{
	return rollup_explain_common(fcinfo, "mlg_rollup_explain", false);
}

PG_FUNCTION_INFO_V1(mlg_pg_rollup_explain_policy);
Datum		mlg_pg_rollup_explain_policy(PG_FUNCTION_ARGS);

/* mlg_rollup_explain_policy(catalogue, target_id, target_value, node,
 * policy text|jsonb, subject text). */
Datum
mlg_pg_rollup_explain_policy(PG_FUNCTION_ARGS)
{
	return rollup_explain_common(fcinfo, "mlg_rollup_explain_policy", true);
}

static Datum
rollup_explain_common(FunctionCallInfo fcinfo, const char *fn, bool pol)
{
	ReturnSetInfo *rsi = (ReturnSetInfo *) fcinfo->resultinfo;
	rollup_cache *c;
	double	   *tv;
	char	   *node_id;
	size_t		node;
	mlg_node_info info;
	mlg_rollup_step step;
	mlg_rollup_child *ch;
	mlg_errinfo err;
	int			rc;
	const char *rule,
			   *reason;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: catalogue, target_id, target_value and node must not be NULL", fn)));
	c = rollup_get(fcinfo, fn, PG_GETARG_OID(0), -1, 4, pol);
	tv = rollup_targets(fcinfo, fn, c);
	node_id = text_to_cstring(PG_GETARG_TEXT_PP(3));
	rc = mlg_catalogue_find(c->cat, node_id, &node);
	if (rc != MLG_OK)
		ereport(ERROR,
				(errcode(mlg_sqlstate(rc)),
				 errmsg("%s: node \"%s\": %s", fn, node_id,
						rc == MLG_EDUPLICATE ? "ambiguous short id" : "not in the catalogue"),
				 errdetail("libmlg status %s (%d).", mlg_errname(rc), rc)));
	if (mlg_catalogue_node_info(c->cat, node, &info) != MLG_OK)
		elog(ERROR, "%s: node %zu has no info", fn, node);
	ch = palloc((size_t) Max(info.n_children, 1) * sizeof *ch);
	memset(&err, 0, sizeof err);
	rc = mlg_rollup_explain(c->cat, tv, node, &step, ch, (size_t) info.n_children, &err);
	if (rc != MLG_OK)
		rollup_raise(fn, c, rc, &err);
	rule = mlg_rollup_rule_name(step.rule);
	reason = mlg_rollup_refuse_name(step.reason);

	InitMaterializedSRF(fcinfo, 0);
	for (int64 i = 0; i < Max(info.n_children, 1); i++)
	{
		Datum		v[15];
		bool		nulls[15];
		bool		has_child = i < info.n_children;
		const mlg_rollup_child *k = &ch[i];
		bool		node_na = step.level == MLG_LEVEL_NA;

		memset(nulls, 0, sizeof nulls);
		/* the child */
		v[0] = has_child ? CStringGetTextDatum(c->rows[k->node].id) : (Datum) 0;
		v[1] = has_child ? Float8GetDatum(k->weight) : (Datum) 0;
		v[2] = has_child ? Float8GetDatum(k->value) : (Datum) 0;
		v[3] = has_child ? Float8GetDatum(k->number) : (Datum) 0;
		v[4] = has_child ? Int32GetDatum(k->level + 1) : (Datum) 0;
		v[5] = has_child ? BoolGetDatum(k->used != 0) : (Datum) 0;
		v[6] = has_child ? BoolGetDatum(k->blocking != 0) : (Datum) 0;
		for (int j = 0; j <= 6; j++)
			nulls[j] = !has_child;
		if (has_child)
		{
			nulls[2] = isnan(k->value);
			nulls[3] = isnan(k->number);
			nulls[4] = k->level == MLG_LEVEL_NA;
		}
		/* the node */
		v[7] = CStringGetTextDatum(rule ? rule : "unknown");
		v[8] = Float8GetDatum(step.value);
		nulls[8] = node_na;
		v[9] = Int32GetDatum(step.level + 1);
		nulls[9] = node_na;
		v[10] = flags_array(step.flags);
		v[11] = CStringGetTextDatum(reason ? reason : "unknown");
		v[12] = Int32GetDatum(step.refused_level + 1);
		nulls[12] = step.refused_level < 0;
		v[13] = Float8GetDatum(step.statistic);
		nulls[13] = isnan(step.statistic);
		v[14] = CStringGetTextDatum(step.message);
		tuplestore_putvalues(rsi->setResult, rsi->setDesc, v, nulls);
	}
	return (Datum) 0;
}

/* ------------------------------------------------------------------------ */
/* Names and version                                                          */
/* ------------------------------------------------------------------------ */

PG_FUNCTION_INFO_V1(mlg_pg_version);
Datum		mlg_pg_version(PG_FUNCTION_ARGS);

Datum
mlg_pg_version(PG_FUNCTION_ARGS)
{
	(void) fcinfo;
	PG_RETURN_TEXT_P(cstring_to_text(mlg_version_string()));
}

PG_FUNCTION_INFO_V1(mlg_pg_policy_hash);
Datum		mlg_pg_policy_hash(PG_FUNCTION_ARGS);

/* mlg_policy_hash(policy text|jsonb): the SHA-256 of the policy's canonical
 * text (mlg_policy_hash()), 64 hex digits. */
Datum
mlg_pg_policy_hash(PG_FUNCTION_ARGS)
{
	const pol_conf *pc = pol_cache_get(fcinfo, "mlg_policy_hash", 0, -1);

	PG_RETURN_TEXT_P(cstring_to_text(pc->hash));
}

PG_FUNCTION_INFO_V1(mlg_pg_policy_show);
Datum		mlg_pg_policy_show(PG_FUNCTION_ARGS);

/* mlg_policy_show(policy text|jsonb, OUT name text, OUT hash text, OUT
 * document jsonb): the policy's name, hash and canonical document
 * (mlg_policy_canonical(), as mlg policy show prints it). */
Datum
mlg_pg_policy_show(PG_FUNCTION_ARGS)
{
	const pol_conf *pc = pol_cache_get(fcinfo, "mlg_policy_show", 0, -1);
	TupleDesc	td;
	Datum		v[3];
	bool		nulls[3] = {false, false, false};

	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "mlg_policy_show: return type must be a row type");
	td = BlessTupleDesc(td);
	v[0] = CStringGetTextDatum(pc->name);
	v[1] = CStringGetTextDatum(pc->hash);
	v[2] = DirectFunctionCall1(jsonb_in, CStringGetDatum(pc->canonical));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(td, v, nulls)));
}

PG_FUNCTION_INFO_V1(mlg_pg_methods);
Datum		mlg_pg_methods(PG_FUNCTION_ARGS);

/* The method names, then the preset names, with their kind. */
Datum
mlg_pg_methods(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsi = (ReturnSetInfo *) fcinfo->resultinfo;
	const char *name;

	InitMaterializedSRF(fcinfo, 0);
	for (int32_t m = 0; (name = mlg_method_name(m)) != NULL; m++)
	{
		Datum		v[2] = {CStringGetTextDatum(name), CStringGetTextDatum("method")};
		bool		nulls[2] = {false, false};

		tuplestore_putvalues(rsi->setResult, rsi->setDesc, v, nulls);
	}
	for (size_t i = 0; (name = mlg_preset_name(i)) != NULL; i++)
	{
		Datum		v[2] = {CStringGetTextDatum(name), CStringGetTextDatum("preset")};
		bool		nulls[2] = {false, false};

		tuplestore_putvalues(rsi->setResult, rsi->setDesc, v, nulls);
	}
	return (Datum) 0;
}
