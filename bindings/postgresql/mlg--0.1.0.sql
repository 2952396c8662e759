-- SPDX-License-Identifier: GPL-3.0-or-later
-- mlg--0.1.0.sql: the first version of the mlg extension (docs/sql.md).
-- A later version adds an upgrade script mlg--0.1.0--<new>.sql next to this
-- one (as contrib/pg_stat_statements does) and never edits this file.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION mlg" to load this file. \quit

-- Volatility and parallel safety.  Every function but mlg_rollup() is a pure
-- computation of its arguments (libmlg has no global state), so they are
-- IMMUTABLE PARALLEL SAFE.  mlg_rollup() reads the catalogue table, so it is
-- STABLE (the table may change between statements) and PARALLEL RESTRICTED:
-- the catalogue may be a temporary table, which a parallel worker cannot
-- see; it runs in the leader, and the rest of the plan may still go parallel.
-- Only mlg_version() and mlg_methods() are STRICT: the others are called on
-- NULL input so that a NULL gets a clear error (or, for a score, the status
-- rules) instead of a silent NULL result.  The aggregate is PARALLEL SAFE
-- but has no combine function on purpose: partial aggregation would hand it
-- two separately ordered runs of evidence, and the methods depend on order,
-- so PostgreSQL always runs it over each whole group.

CREATE TYPE mlg_mark AS (
    value  float8,   -- proficiency value on the score scale; NULL if N/A
    level  int,      -- 1-based level on the scale (1 = lowest); NULL if N/A
    label  text,     -- the level's label ('3', 'D', ...) or 'N/A'
    n_used int,      -- evidence rows that counted
    flags  text[]    -- {na} when N/A, else {}
);

CREATE FUNCTION mlg_version() RETURNS text
AS 'MODULE_PATHNAME', 'mlg_pg_version'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION mlg_methods(OUT name text, OUT kind text) RETURNS SETOF record
AS 'MODULE_PATHNAME', 'mlg_pg_methods'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- ------------------------------------------------------------------------
-- mlg_proficiency(score, day [, method [, params [, scale]]] ORDER BY day)
-- mlg_proficiency(score, day, weight, status, method, params [, scale]
--                 ORDER BY day)
-- PostgreSQL does not accept named arguments (method => ...) in aggregate
-- calls, so the settings are positional.  SSPACE is the state's size for a
-- group of up to 8 rows (kept inline), so the planner does not assume 8 kB
-- per group of an internal state when it sizes a hash aggregate.  The weight/status forms always
-- take method and params: (score, day, weight, status) would be ambiguous
-- with (score, day, method, params) for two quoted literals.  The transition functions are not
-- STRICT: a NULL score is evidence not submitted (status missing).
-- ------------------------------------------------------------------------

CREATE FUNCTION mlg_proficiency_final(internal) RETURNS mlg_mark
AS 'MODULE_PATHNAME', 'mlg_pg_agg_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION mlg_proficiency_step(internal, float8, date) RETURNS internal
AS 'MODULE_PATHNAME', 'mlg_pg_agg_step'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mlg_proficiency_step(internal, float8, date, text) RETURNS internal
AS 'MODULE_PATHNAME', 'mlg_pg_agg_step_m'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mlg_proficiency_step(internal, float8, date, text, jsonb) RETURNS internal
AS 'MODULE_PATHNAME', 'mlg_pg_agg_step_mp'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mlg_proficiency_step(internal, float8, date, text, jsonb, text) RETURNS internal
AS 'MODULE_PATHNAME', 'mlg_pg_agg_step_mps'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mlg_proficiency_step(internal, float8, date, float8, text, text, jsonb)
RETURNS internal
AS 'MODULE_PATHNAME', 'mlg_pg_agg_step_wsmp'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mlg_proficiency_step(internal, float8, date, float8, text, text, jsonb, text)
RETURNS internal
AS 'MODULE_PATHNAME', 'mlg_pg_agg_step_wsmps'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE mlg_proficiency(score float8, day date) (
    SFUNC = mlg_proficiency_step, STYPE = internal, SSPACE = 200,
    FINALFUNC = mlg_proficiency_final, FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE);
CREATE AGGREGATE mlg_proficiency(score float8, day date, method text) (
    SFUNC = mlg_proficiency_step, STYPE = internal, SSPACE = 200,
    FINALFUNC = mlg_proficiency_final, FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE);
CREATE AGGREGATE mlg_proficiency(score float8, day date, method text, params jsonb) (
    SFUNC = mlg_proficiency_step, STYPE = internal, SSPACE = 200,
    FINALFUNC = mlg_proficiency_final, FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE);
CREATE AGGREGATE mlg_proficiency(score float8, day date, method text, params jsonb,
                                 scale text) (
    SFUNC = mlg_proficiency_step, STYPE = internal, SSPACE = 200,
    FINALFUNC = mlg_proficiency_final, FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE);
CREATE AGGREGATE mlg_proficiency(score float8, day date, weight float8, status text,
                                 method text, params jsonb) (
    SFUNC = mlg_proficiency_step, STYPE = internal, SSPACE = 200,
    FINALFUNC = mlg_proficiency_final, FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE);
CREATE AGGREGATE mlg_proficiency(score float8, day date, weight float8, status text,
                                 method text, params jsonb, scale text) (
    SFUNC = mlg_proficiency_step, STYPE = internal, SSPACE = 200,
    FINALFUNC = mlg_proficiency_final, FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE);

-- ------------------------------------------------------------------------
-- mlg_explain(): how each evidence row shaped one series' value.
-- ------------------------------------------------------------------------
CREATE FUNCTION mlg_explain(
    score float8[], day date[],
    weight float8[] DEFAULT NULL, status text[] DEFAULT NULL,
    method text DEFAULT 'decaying_average', params jsonb DEFAULT '{}',
    scale text DEFAULT 'ccs4',
    OUT ord int, OUT day date, OUT score float8, OUT weight float8,
    OUT reason text, OUT influence float8, OUT fitted float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'mlg_pg_explain'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- ------------------------------------------------------------------------
-- mlg_rollup(): one student's target values -> every node of a catalogue.
-- The catalogue is a table with the columns of data/school/catalogue.csv
-- (id, parent [, label, rule, weight, na_allowed]); mlg_rollup_case() takes
-- a CASE 1.1 CFPackage instead (a separate name: a quoted literal would be
-- ambiguous between regclass and jsonb).
-- ------------------------------------------------------------------------
CREATE FUNCTION mlg_rollup(
    catalogue regclass, target_id text[], target_value float8[],
    method text DEFAULT 'decaying_average', params jsonb DEFAULT '{}',
    scale text DEFAULT 'ccs4',
    OUT id text, OUT kind text, OUT node_label text, OUT value float8,
    OUT level int, OUT label text, OUT flags text[])
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'mlg_pg_rollup_table'
LANGUAGE C STABLE PARALLEL RESTRICTED;

CREATE FUNCTION mlg_rollup_case(
    document jsonb, target_id text[], target_value float8[],
    method text DEFAULT 'decaying_average', params jsonb DEFAULT '{}',
    scale text DEFAULT 'ccs4',
    OUT id text, OUT kind text, OUT node_label text, OUT value float8,
    OUT level int, OUT label text, OUT flags text[])
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'mlg_pg_rollup_case'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON TYPE mlg_mark IS
  'a mark: value on the score scale, 1-based level, level label, rows used, flags ({na})';
COMMENT ON FUNCTION mlg_version() IS 'the libmlg version this extension carries';
COMMENT ON FUNCTION mlg_methods() IS 'method and preset names accepted as the method argument';
COMMENT ON AGGREGATE mlg_proficiency(float8, date) IS
  'current proficiency of a day-ordered evidence series (decaying_average 0.65, ccs4)';
COMMENT ON AGGREGATE mlg_proficiency(float8, date, text, jsonb, text) IS
  'current proficiency: method or preset, parameters (JSON object), scale';
COMMENT ON AGGREGATE mlg_proficiency(float8, date, float8, text, text, jsonb, text) IS
  'current proficiency with evidence weights and statuses (counted, excused, missing)';
COMMENT ON FUNCTION mlg_explain(float8[], date[], float8[], text[], text, jsonb, text) IS
  'one row per evidence row: whether and how much it counted (for an appeal)';
COMMENT ON FUNCTION mlg_rollup(regclass, text[], float8[], text, jsonb, text) IS
  'one student''s target values rolled up through a catalogue table: one row per node';
COMMENT ON FUNCTION mlg_rollup_case(jsonb, text[], float8[], text, jsonb, text) IS
  'as mlg_rollup, with the catalogue given as a CASE 1.1 CFPackage';

-- ------------------------------------------------------------------------
-- mlg_rollup_explain(): how one node got its mark for one student (the
-- rule, each child and whether it counted or blocked the next level).
-- ------------------------------------------------------------------------
CREATE FUNCTION mlg_rollup_explain(
    catalogue regclass, target_id text[], target_value float8[], node text,
    method text DEFAULT 'decaying_average', params jsonb DEFAULT '{}',
    scale text DEFAULT 'ccs4',
    OUT child text, OUT weight float8, OUT value float8, OUT number float8,
    OUT level int, OUT used boolean, OUT blocking boolean,
    OUT rule text, OUT node_value float8, OUT node_level int, OUT node_flags text[],
    OUT refused text, OUT refused_level int, OUT statistic float8, OUT message text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'mlg_pg_rollup_explain'
LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION mlg_rollup_explain(regclass, text[], float8[], text, text, jsonb, text) IS
  'how one catalogue node got its mark for one student: one row per child';

-- ------------------------------------------------------------------------
-- A declared district policy (docs/policy.md): marks under its method,
-- parameters, rounding, scale and roll-up rules.  A policy is a shipped
-- name ('lausd-bul-2332.7') or a policy document: text starting with '{',
-- or jsonb.  subject is a subject code of the policy ('ela',
-- 'math_domain', ...: its method and scale) or a scale role ('academic',
-- 'eld', 'behaviors', 'tk', 'tk_eld'); NULL or absent = the policy's
-- method on its academic scale.  The policy forms have their own names: a
-- quoted literal would be ambiguous between a policy name and a method name.
-- ------------------------------------------------------------------------
CREATE FUNCTION mlg_policy_hash(policy text) RETURNS text
AS 'MODULE_PATHNAME', 'mlg_pg_policy_hash'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mlg_policy_hash(policy jsonb) RETURNS text
AS 'MODULE_PATHNAME', 'mlg_pg_policy_hash'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mlg_policy_show(policy text, OUT name text, OUT hash text, OUT document jsonb)
AS 'MODULE_PATHNAME', 'mlg_pg_policy_show'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mlg_policy_show(policy jsonb, OUT name text, OUT hash text, OUT document jsonb)
AS 'MODULE_PATHNAME', 'mlg_pg_policy_show'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION mlg_proficiency_policy_step(internal, float8, date, text) RETURNS internal
AS 'MODULE_PATHNAME', 'mlg_pg_agg_step_pol'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mlg_proficiency_policy_step(internal, float8, date, jsonb) RETURNS internal
AS 'MODULE_PATHNAME', 'mlg_pg_agg_step_pol'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mlg_proficiency_policy_step(internal, float8, date, text, text) RETURNS internal
AS 'MODULE_PATHNAME', 'mlg_pg_agg_step_pol_s'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mlg_proficiency_policy_step(internal, float8, date, jsonb, text) RETURNS internal
AS 'MODULE_PATHNAME', 'mlg_pg_agg_step_pol_s'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mlg_proficiency_policy_step(internal, float8, date, float8, text, text)
RETURNS internal
AS 'MODULE_PATHNAME', 'mlg_pg_agg_step_ws_pol'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mlg_proficiency_policy_step(internal, float8, date, float8, text, jsonb)
RETURNS internal
AS 'MODULE_PATHNAME', 'mlg_pg_agg_step_ws_pol'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mlg_proficiency_policy_step(internal, float8, date, float8, text, text, text)
RETURNS internal
AS 'MODULE_PATHNAME', 'mlg_pg_agg_step_ws_pol_s'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mlg_proficiency_policy_step(internal, float8, date, float8, text, jsonb, text)
RETURNS internal
AS 'MODULE_PATHNAME', 'mlg_pg_agg_step_ws_pol_s'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE mlg_proficiency_policy(score float8, day date, policy text) (
    SFUNC = mlg_proficiency_policy_step, STYPE = internal, SSPACE = 200,
    FINALFUNC = mlg_proficiency_final, FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE);
CREATE AGGREGATE mlg_proficiency_policy(score float8, day date, policy jsonb) (
    SFUNC = mlg_proficiency_policy_step, STYPE = internal, SSPACE = 200,
    FINALFUNC = mlg_proficiency_final, FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE);
CREATE AGGREGATE mlg_proficiency_policy(score float8, day date, policy text, subject text) (
    SFUNC = mlg_proficiency_policy_step, STYPE = internal, SSPACE = 200,
    FINALFUNC = mlg_proficiency_final, FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE);
CREATE AGGREGATE mlg_proficiency_policy(score float8, day date, policy jsonb, subject text) (
    SFUNC = mlg_proficiency_policy_step, STYPE = internal, SSPACE = 200,
    FINALFUNC = mlg_proficiency_final, FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE);
CREATE AGGREGATE mlg_proficiency_policy(score float8, day date, weight float8, status text,
                                        policy text) (
    SFUNC = mlg_proficiency_policy_step, STYPE = internal, SSPACE = 200,
    FINALFUNC = mlg_proficiency_final, FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE);
CREATE AGGREGATE mlg_proficiency_policy(score float8, day date, weight float8, status text,
                                        policy jsonb) (
    SFUNC = mlg_proficiency_policy_step, STYPE = internal, SSPACE = 200,
    FINALFUNC = mlg_proficiency_final, FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE);
CREATE AGGREGATE mlg_proficiency_policy(score float8, day date, weight float8, status text,
                                        policy text, subject text) (
    SFUNC = mlg_proficiency_policy_step, STYPE = internal, SSPACE = 200,
    FINALFUNC = mlg_proficiency_final, FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE);
CREATE AGGREGATE mlg_proficiency_policy(score float8, day date, weight float8, status text,
                                        policy jsonb, subject text) (
    SFUNC = mlg_proficiency_policy_step, STYPE = internal, SSPACE = 200,
    FINALFUNC = mlg_proficiency_final, FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE);

CREATE FUNCTION mlg_explain_policy(
    score float8[], day date[], policy text, subject text DEFAULT NULL,
    weight float8[] DEFAULT NULL, status text[] DEFAULT NULL,
    OUT ord int, OUT day date, OUT score float8, OUT weight float8,
    OUT reason text, OUT influence float8, OUT fitted float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'mlg_pg_explain_policy'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mlg_explain_policy(
    score float8[], day date[], policy jsonb, subject text DEFAULT NULL,
    weight float8[] DEFAULT NULL, status text[] DEFAULT NULL,
    OUT ord int, OUT day date, OUT score float8, OUT weight float8,
    OUT reason text, OUT influence float8, OUT fitted float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'mlg_pg_explain_policy'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION mlg_rollup_policy(
    catalogue regclass, target_id text[], target_value float8[],
    policy text, subject text DEFAULT NULL,
    OUT id text, OUT kind text, OUT node_label text, OUT value float8,
    OUT level int, OUT label text, OUT flags text[])
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'mlg_pg_rollup_table_policy'
LANGUAGE C STABLE PARALLEL RESTRICTED;
CREATE FUNCTION mlg_rollup_policy(
    catalogue regclass, target_id text[], target_value float8[],
    policy jsonb, subject text DEFAULT NULL,
    OUT id text, OUT kind text, OUT node_label text, OUT value float8,
    OUT level int, OUT label text, OUT flags text[])
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'mlg_pg_rollup_table_policy'
LANGUAGE C STABLE PARALLEL RESTRICTED;
CREATE FUNCTION mlg_rollup_case_policy(
    document jsonb, target_id text[], target_value float8[],
    policy text, subject text DEFAULT NULL,
    OUT id text, OUT kind text, OUT node_label text, OUT value float8,
    OUT level int, OUT label text, OUT flags text[])
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'mlg_pg_rollup_case_policy'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mlg_rollup_case_policy(
    document jsonb, target_id text[], target_value float8[],
    policy jsonb, subject text DEFAULT NULL,
    OUT id text, OUT kind text, OUT node_label text, OUT value float8,
    OUT level int, OUT label text, OUT flags text[])
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'mlg_pg_rollup_case_policy'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mlg_rollup_explain_policy(
    catalogue regclass, target_id text[], target_value float8[], node text,
    policy text, subject text DEFAULT NULL,
    OUT child text, OUT weight float8, OUT value float8, OUT number float8,
    OUT level int, OUT used boolean, OUT blocking boolean,
    OUT rule text, OUT node_value float8, OUT node_level int, OUT node_flags text[],
    OUT refused text, OUT refused_level int, OUT statistic float8, OUT message text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'mlg_pg_rollup_explain_policy'
LANGUAGE C STABLE PARALLEL RESTRICTED;
CREATE FUNCTION mlg_rollup_explain_policy(
    catalogue regclass, target_id text[], target_value float8[], node text,
    policy jsonb, subject text DEFAULT NULL,
    OUT child text, OUT weight float8, OUT value float8, OUT number float8,
    OUT level int, OUT used boolean, OUT blocking boolean,
    OUT rule text, OUT node_value float8, OUT node_level int, OUT node_flags text[],
    OUT refused text, OUT refused_level int, OUT statistic float8, OUT message text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'mlg_pg_rollup_explain_policy'
LANGUAGE C STABLE PARALLEL RESTRICTED;

COMMENT ON FUNCTION mlg_policy_hash(text) IS
  'SHA-256 of a policy''s canonical text (a shipped name or a JSON document): record it with the marks';
COMMENT ON FUNCTION mlg_policy_show(text) IS
  'a policy''s name, hash and canonical document';
COMMENT ON AGGREGATE mlg_proficiency_policy(float8, date, text, text) IS
  'current proficiency under a declared policy (its method, rounding and scale; a subject''s own)';
COMMENT ON FUNCTION mlg_explain_policy(float8[], date[], text, text, float8[], text[]) IS
  'mlg_explain under a declared policy';
COMMENT ON FUNCTION mlg_rollup_policy(regclass, text[], float8[], text, text) IS
  'mlg_rollup under a declared policy: its rules for nodes without one';
COMMENT ON FUNCTION mlg_rollup_case_policy(jsonb, text[], float8[], text, text) IS
  'mlg_rollup_case under a declared policy';
COMMENT ON FUNCTION mlg_rollup_explain_policy(regclass, text[], float8[], text, text, text) IS
  'mlg_rollup_explain under a declared policy';
