-- SPDX-License-Identifier: GPL-3.0-or-later
-- Malformed arguments: every call either answers or raises an SQL error;
-- none may crash the backend (the closing query proves it is alive).
-- try() prints the SQLSTATE only: the point is "error, not crash".
-- Each test file works in its own schema (pg_regress shares one database).
CREATE SCHEMA t_fuzz;
SET search_path = t_fuzz, public;
CREATE FUNCTION try(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;

-- NULLs in every position of every signature.
SELECT try($$SELECT mlg_proficiency(NULL::float8, NULL::date)$$) AS agg2_nulls;
SELECT try($$SELECT mlg_proficiency(NULL::float8, current_date, NULL::text, NULL::jsonb, NULL::text)$$) AS agg5_nulls;
SELECT try($$SELECT mlg_proficiency(NULL::float8, current_date, NULL::float8, NULL::text, 'mean', NULL::jsonb)$$) AS agg6_null_params;
SELECT try($$SELECT mlg_proficiency(NULL::float8, current_date, NULL::float8, NULL::text, 'mean', '{}', NULL)$$) AS agg7_null_scale;
SELECT try($$SELECT * FROM mlg_explain(NULL, NULL, NULL, NULL, NULL, NULL, NULL)$$) AS explain_nulls;
SELECT try($$SELECT * FROM mlg_explain('{1}', array[current_date], NULL, NULL, NULL)$$) AS explain_null_method;
SELECT try($$SELECT * FROM mlg_explain(array[NULL]::float8[], array[NULL]::date[])$$) AS explain_null_elems;
SELECT try($$SELECT * FROM mlg_rollup(NULL, NULL, NULL)$$) AS rollup_nulls;
SELECT try($$SELECT * FROM mlg_rollup_case(NULL, NULL, NULL, NULL, NULL, NULL)$$) AS case_nulls;
SELECT try($$SELECT * FROM mlg_rollup_explain(NULL, NULL, NULL, NULL, NULL, NULL, NULL)$$) AS rexplain_nulls;

-- NaN and infinities as scores, weights and parameters.
SELECT s, w, try(format($$SELECT mlg_proficiency(%s::float8, current_date, %s::float8, NULL, 'mean', '{}')$$, s, w))
FROM (VALUES ('''NaN''', '1'), ('''Infinity''', '1'), ('''-Infinity''', '1'),
             ('2', '''NaN'''), ('2', '''Infinity'''), ('2', '-0.0'), ('2', '1e308'),
             ('1e-320', '1'), ('-0.0', '1')) v(s, w);
SELECT p, try(format($$SELECT mlg_proficiency(2.0, current_date, 'decaying_average', %L)$$, p))
FROM (VALUES ('{"weight": 1e400}'), ('{"weight": -1e-400}'), ('{"weight": 0}'),
             ('{"weight": "NaN"}'), ('{"weight": "inf"}'), ('{"n": 1e20}'), ('{"n": -1}'),
             ('{"n": 2.5}'), ('{"decimals": 10}'), ('{"as_of": "2024-02-30"}'),
             ('{"as_of": "x"}'), ('{"half_life_days": 0}'), ('{"": 1}'),
             ('{"weight": {"a": 1}}'), ('{"weight": [1]}'), ('{"weight": null}'),
             ('"just a string"'), ('12'), ('null')) v(p);

-- Unknown and odd names.
SELECT left(m, 24) AS m, length(m), try(format($$SELECT mlg_proficiency(2.0, current_date, %L)$$, m))
FROM (VALUES (''), ('MEAN'), ('mean '), (repeat('q', 100000)), (E'mean\u00e9'),
             ('power_law; DROP TABLE x')) v(m);
SELECT left(sc, 24) AS sc, length(sc), try(format($$SELECT mlg_proficiency(2.0, current_date, 'mean', '{}', %L)$$, sc))
FROM (VALUES (''), ('CCS4'), (repeat('s', 5000))) v(sc);

-- Dates at the ends of PostgreSQL's range.
SELECT d, try(format($$SELECT mlg_proficiency(2.0, %L::date)$$, d))
FROM (VALUES ('4713-01-01 BC'), ('5874897-12-31'), ('-infinity')) v(d);

-- Huge inputs: 200000 rows in one group and one explanation (same day).
SELECT (mlg_proficiency(1 + (i % 4), date '2024-09-01' ORDER BY i)).level AS big_group
FROM generate_series(1, 200000) i;
SELECT count(*) AS big_explain
FROM mlg_explain(array(SELECT 1.0 + (i % 4) FROM generate_series(1, 200000) i),
                 array(SELECT date '2024-09-01' + (i / 1000) FROM generate_series(1, 200000) i),
                 method => 'median');
-- Arrays with non-default lower bounds are read in order.
SELECT ord, score FROM mlg_explain('[5:6]={1,3}'::float8[], '[0:1]={2024-09-01,2024-09-02}'::date[],
                                   method => 'mean');

-- Catalogue tables with odd content.
CREATE TABLE odd (id text, parent text, label text, rule text, weight float8, na_allowed text);
INSERT INTO odd VALUES (repeat('a', 300), NULL, NULL, NULL, NULL, NULL),
                       ('T', repeat('a', 300), NULL, NULL, NULL, NULL);
SELECT try($$SELECT * FROM mlg_rollup('odd', array['T'], array[3])$$) AS long_id;
TRUNCATE odd;
INSERT INTO odd VALUES ('D', NULL, NULL, 'no_such_rule', NULL, NULL), ('T', 'D', NULL, NULL, NULL, NULL);
SELECT try($$SELECT * FROM mlg_rollup('odd', array['T'], array[3])$$) AS bad_rule_name;
TRUNCATE odd;
INSERT INTO odd VALUES ('D', NULL, NULL, 'mean p=', NULL, NULL), ('T', 'D', NULL, NULL, 'NaN', NULL);
SELECT try($$SELECT * FROM mlg_rollup('odd', array['T'], array[3])$$) AS bad_rule_text;
TRUNCATE odd;
INSERT INTO odd VALUES ('D', NULL, NULL, NULL, NULL, NULL), ('T', 'D', NULL, NULL, 'NaN', NULL);
SELECT try($$SELECT * FROM mlg_rollup('odd', array['T'], array[3])$$) AS nan_weight;
TRUNCATE odd;
INSERT INTO odd VALUES ('', NULL, NULL, NULL, NULL, NULL);
SELECT try($$SELECT * FROM mlg_rollup('odd', array['T'], array[3])$$) AS empty_id;
TRUNCATE odd;
INSERT INTO odd VALUES (E'a\tb', NULL, NULL, NULL, NULL, NULL), ('T', E'a\tb', NULL, NULL, NULL, NULL);
SELECT try($$SELECT * FROM mlg_rollup('odd', array['T'], array[3])$$) AS control_char;
TRUNCATE odd;
INSERT INTO odd VALUES ('X', 'X', NULL, NULL, NULL, NULL), ('T', 'X', NULL, NULL, NULL, NULL);
SELECT try($$SELECT * FROM mlg_rollup('odd', array['T'], array[3])$$) AS self_parent;
SELECT try($$SELECT * FROM mlg_rollup('pg_class', array['T'], array[3])$$) AS system_table;
SELECT try($$SELECT * FROM mlg_rollup_explain('odd', array['T'], array[3], 'X', params => '{"decimals": "x"}')$$) AS rexplain_bad_params;
SELECT try($$SELECT * FROM mlg_rollup_explain('odd', array['T'], array[3], '')$$) AS rexplain_empty_node;
SELECT try($$SELECT * FROM mlg_rollup(0, array['T'], array[3])$$) AS oid_zero;
-- Large target arrays: 100000 unknown ids fail on the first.
TRUNCATE odd;
INSERT INTO odd VALUES ('D', NULL, NULL, NULL, NULL, NULL), ('T', 'D', NULL, NULL, NULL, NULL);
SELECT try($$SELECT * FROM mlg_rollup('odd', array(SELECT 'id' || i FROM generate_series(1, 100000) i),
                                      array(SELECT 3.0 FROM generate_series(1, 100000) i))$$) AS many_ids;

-- CASE documents: wrong shapes everywhere.
SELECT left(d, 40) AS d, try(format($$SELECT * FROM mlg_rollup_case(%L, array['T'], array[3])$$, d))
FROM (VALUES ('{"CFItems": {}}'), ('{"CFItems": [1, "x", null]}'),
             ('{"CFItems": [{"identifier": 5}]}'),
             ('{"CFItems": [{"identifier": "u1"}, {"identifier": "u1"}]}'),
             ('{"CFItems": [{"identifier": "u1", "humanCodingScheme": "T"}], "CFAssociations": 7}'),
             ('{"CFItems": [{"identifier": "u1", "humanCodingScheme": "T"}], "CFAssociations": [{"associationType": "isChildOf"}]}'),
             ('{"CFItems": [{"identifier": "u1", "humanCodingScheme": "T"}, {"identifier": "u2", "humanCodingScheme": "D"}],
                "CFAssociations": [{"associationType": "isChildOf", "originNodeURI": {"identifier": "u1"}, "destinationNodeURI": {"identifier": "u2"}},
                                   {"associationType": "isChildOf", "originNodeURI": {"identifier": "u2"}, "destinationNodeURI": {"identifier": "u1"}}]}'),
             ('{"CFItems": [{"identifier": "u1", "humanCodingScheme": "T", "mlgWeight": "heavy", "mlgNaAllowed": "yes"}]}')
     ) v(d);

-- Malformed policies: NULLs, wrong shapes, unknown keys at every level,
-- bad values, huge and odd text, as text and as jsonb, through every
-- function that takes one.
SELECT try($$SELECT mlg_proficiency_policy(NULL::float8, NULL::date, NULL::text)$$) AS pagg_nulls;
SELECT try($$SELECT mlg_proficiency_policy(NULL::float8, current_date, NULL::jsonb, NULL)$$) AS pagg_null_jsonb;
SELECT try($$SELECT mlg_proficiency_policy(2.0, current_date, NULL, NULL, 'lausd-bul-2332.7', NULL)$$) AS pagg_null_subject;
SELECT try($$SELECT * FROM mlg_explain_policy(NULL, NULL, NULL::text)$$) AS pexplain_nulls;
SELECT try($$SELECT * FROM mlg_rollup_policy(NULL, NULL, NULL, NULL::text)$$) AS prollup_nulls;
SELECT try($$SELECT * FROM mlg_rollup_case_policy(NULL, NULL, NULL, NULL::jsonb, NULL)$$) AS pcase_nulls;
SELECT try($$SELECT * FROM mlg_rollup_explain_policy(NULL, NULL, NULL, NULL, NULL::text, NULL)$$) AS prexplain_nulls;
SELECT try($$SELECT mlg_policy_show(NULL::jsonb)$$) AS show_null;
CREATE TABLE policies AS
SELECT v.p FROM (VALUES ('lausd-bul-2332.7'), (''), (' '), ('{'), ('}'), ('[]'), ('null'), ('12'),
             ('"lausd-bul-2332.7"'), ('{}'), ('{"policy": null}'), ('{"policy": ""}'),
             (repeat('x', 100000)), ('{"policy": "' || repeat('x', 100000) || '"}'),
             (repeat('{"a":', 5000) || repeat('}', 5000)), ('{"policy": "a\u0000b"}'),
             ('lausd-bul-2332.7' || chr(10)), (E'\x01\x02')) v(p)
UNION ALL
SELECT (jsonb_set(s.document, k.path, k.val))::text
FROM mlg_policy_show('lausd-bul-2332.7') s,
     (VALUES ('{bogus}'::text[], '1'::jsonb), ('{method,bogus}', '1'), ('{method,name}', '"nope"'),
             ('{method,name}', '7'), ('{method,params}', '{"n": "0"}'), ('{method,params}', '{"n": -1}'),
             ('{method,params}', '{"weight": "NaN"}'), ('{method,params}', '[1]'),
             ('{method}', 'null'), ('{rules,domain}', '"nope gap=1"'),
             ('{rules,domain}', '"capped_median gap=-5"'), ('{rules,bogus}', '"mean"'),
             ('{rounding,decimals}', '99'), ('{rounding,rounding}', '"sideways"'),
             ('{scales,academic}', '"ccs9"'), ('{subjects,ela,scale}', '"nope"'),
             ('{subjects,ela,bogus}', 'true'), ('{subjects,new_subject}', '{}'),
             ('{tk,na_allowed}', '"no"'), ('{periods,count}', '-3'),
             ('{periods,dates}', '[{"name": "P1", "start": "2024-02-30", "midpoint": "2024-03-01", "end": "2024-03-02"}]'),
             ('{periods,dates}', '[{"name": "P1", "start": "2024-03-02", "midpoint": "2024-03-01", "end": "2024-03-01"}]'),
             ('{entry_minimums,year}', '1999'), ('{evidence,min_assessments}', '-1'),
             ('{notices,thresholds,ccs4}', '"NaN"'), ('{notices,thresholds,nope}', '1'),
             ('{attendance,min_days}', '1e300'), ('{format}', '2'), ('{format}', '1.5'),
             ('{policy}', '{"a": 1}')) k(path, val);
-- Every policy through every function, as text and (when it is JSON) as
-- jsonb: each an answer or an error, never a crash.
SELECT count(*) AS calls,
       count(*) FILTER (WHERE r = 'ok' OR r IN ('22004', '22023', '22P02', '42704', '22000',
                                                 '22003', '22P01', '54000', '2202E', '22P05'))
       AS answered_or_expected_error
FROM (SELECT try(format(q, p)) AS r
      FROM policies,
           unnest(array[
             $$SELECT mlg_policy_hash(%L::text)$$,
             $$SELECT mlg_policy_show(%L::text)$$,
             $$SELECT mlg_proficiency_policy(score, day, %L::text ORDER BY day) FROM (VALUES (1.0, date '2024-09-01'), (3.0, date '2024-09-02')) v(score, day)$$,
             $$SELECT mlg_proficiency_policy(score, day, %L::text, 'tk' ORDER BY day) FROM (VALUES (1.0, date '2024-09-01')) v(score, day)$$,
             $$SELECT * FROM mlg_explain_policy('{1,2}', '{2024-09-01,2024-09-02}', %L::text, 'ela')$$,
             $$SELECT * FROM mlg_rollup_case_policy('{"CFItems": [{"identifier": "u1", "humanCodingScheme": "T"}]}', '{T}', '{3}', %L::text)$$,
             $$SELECT mlg_policy_hash(%L::jsonb)$$,
             $$SELECT mlg_proficiency_policy(score, day, %L::jsonb ORDER BY day) FROM (VALUES (1.0, date '2024-09-01')) v(score, day)$$]) q) x;
-- The shipped policy's subject codes and scale roles, and wrong ones.
SELECT left(s, 10) AS subject, length(s),
       try(format($$SELECT mlg_proficiency_policy(2.0, current_date, 'lausd-bul-2332.7', %L)$$, s))
FROM unnest(array['ela', 'eld', 'tk', 'tk_eld', 'behaviors', 'ccs4', '', 'ELA',
                  repeat('s', 100000)]) s;

-- Random series (scores in and out of the scale, NaN, NULLs, shuffled
-- days, random statuses and weights) under every method and preset, with
-- parameters good and bad: 2 x 27 x 12 calls, each an answer or an error.
SELECT setseed(0.13);
CREATE TABLE rnd AS
SELECT g, i,
       CASE WHEN random() < 0.05 THEN NULL WHEN random() < 0.03 THEN 'NaN'::float8
            ELSE round((random() * 5.5 - 0.5)::numeric, 2)::float8 END AS score,
       date '2024-09-01' + (random() * 60)::int AS day,
       CASE WHEN random() < 0.1 THEN (random() * 3 - 0.5) END AS w,
       (array['counted', 'excused', 'missing', NULL])[1 + (random() * 3.99)::int] AS st
FROM generate_series(1, 12) g, generate_series(1, (random() * 30)::int) i;
SELECT count(*) AS calls, count(*) FILTER (WHERE r IN ('ok', '22P01', '22003', '22000', '22023',
                                                          '2201E', '22P02', '42704', '22004'))
                          AS answered_or_expected_error
FROM (SELECT try(format($$SELECT mlg_proficiency(score, day, w, st, %L, %L ORDER BY day, i)
                          FROM rnd WHERE g = %s$$, m.name, p, g)) AS r
      FROM mlg_methods() m, generate_series(1, 12) g,
           unnest(array['{}', '{"n": 1, "weight": 0.3, "missing": "lowest"}']) p) x;
SELECT 'alive' AS status;
