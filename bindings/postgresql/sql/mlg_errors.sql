-- SPDX-License-Identifier: GPL-3.0-or-later
-- Errors: every library status reaches SQL as an error with a SQLSTATE and
-- the library's message (docs/sql.md, "Errors").  try() runs a statement
-- and prints SQLSTATE: message, so the codes are part of the expected output.
-- Each test file works in its own schema (pg_regress shares one database).
CREATE SCHEMA t_errors;
SET search_path = t_errors, public;
CREATE FUNCTION try(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
CREATE TABLE z (score float8, day date, w float8, st text);
INSERT INTO z VALUES (1, '2024-09-01', 1, NULL), (2, '2024-09-15', 1, NULL),
                     (3, '2024-09-29', 1, NULL), (3, '2024-10-13', 1, NULL);

-- Days going backwards name the row (input order without ORDER BY).
SELECT try($$SELECT mlg_proficiency(score, day) FROM (VALUES (1.0, date '2024-09-02'),
  (2, '2024-09-01')) v(score, day)$$);
-- Unknown method, preset, scale; bad parameters.
SELECT try($$SELECT mlg_proficiency(score, day, 'average' ORDER BY day) FROM z$$);
SELECT try($$SELECT mlg_proficiency(score, day, 'mean', '{}', 'ccs5' ORDER BY day) FROM z$$);
SELECT try($$SELECT mlg_proficiency(score, day, 'decaying_average', '{"weight": 1.5}' ORDER BY day) FROM z$$);
SELECT try($$SELECT mlg_proficiency(score, day, 'decaying_average', '{"weight": "heavy"}' ORDER BY day) FROM z$$);
SELECT try($$SELECT mlg_proficiency(score, day, 'mean', '{"colour": 1}' ORDER BY day) FROM z$$);
SELECT try($$SELECT mlg_proficiency(score, day, 'mean', '[1, 2]' ORDER BY day) FROM z$$);
SELECT try($$SELECT mlg_proficiency(score, day, 'mean', '{"n": true}' ORDER BY day) FROM z$$);
-- Scores outside the scale, NaN and infinite scores, negative weights.
SELECT try($$SELECT mlg_proficiency(score * 2, day ORDER BY day) FROM z$$);
SELECT try($$SELECT mlg_proficiency(score + 'NaN', day ORDER BY day) FROM z$$);
SELECT try($$SELECT mlg_proficiency(score * 'Infinity', day ORDER BY day) FROM z$$);
SELECT try($$SELECT mlg_proficiency(score, day, -w, st, 'mean', '{}' ORDER BY day) FROM z$$);
-- Power law of log(score + log_shift) with a score + shift <= 0.
SELECT try($$SELECT mlg_proficiency(score, day, 'power_law', '{"log_shift": -1}' ORDER BY day) FROM z$$);
-- NULL day, infinite day, unknown status, a counted NULL score.
SELECT try($$SELECT mlg_proficiency(score, NULL::date) FROM z$$);
SELECT try($$SELECT mlg_proficiency(score, 'infinity'::date) FROM z$$);
SELECT try($$SELECT mlg_proficiency(score, day, w, 'late', 'mean', '{}' ORDER BY day) FROM z$$);
SELECT try($$SELECT mlg_proficiency(NULL, day, w, 'counted', 'mean', '{}' ORDER BY day) FROM z$$);
-- Settings must not change within a group.
SELECT try($$SELECT mlg_proficiency(score, day, CASE WHEN score > 2 THEN 'mean' ELSE 'median' END ORDER BY day) FROM z$$);
SELECT try($$SELECT mlg_proficiency(score, day, NULL::text ORDER BY day) FROM z$$);

-- mlg_explain()'s own checks.
SELECT try($$SELECT * FROM mlg_explain(array[1, 2], array[date '2024-09-01'])$$);
SELECT try($$SELECT * FROM mlg_explain(array[1, 2], array[date '2024-09-02', '2024-09-01'])$$);
SELECT try($$SELECT * FROM mlg_explain(array[[1, 2]], array[[date '2024-09-02', '2024-09-01']])$$);
SELECT try($$SELECT * FROM mlg_explain(NULL, array[date '2024-09-01'])$$);

-- mlg_rollup(): bad catalogues and bad inputs.
CREATE TABLE c (id text, parent text, rule text);
INSERT INTO c VALUES ('D', NULL, 'mostly_proficient p=0.75 gap=1'), ('T1', 'D', NULL),
                     ('T2', 'D', NULL);
SELECT try($$SELECT * FROM mlg_rollup('c', array['T3'], array[3])$$);
SELECT try($$SELECT * FROM mlg_rollup('c', array['D'], array[3])$$);
SELECT try($$SELECT * FROM mlg_rollup('c', array['T1', 'T1'], array[3, 2])$$);
SELECT try($$SELECT * FROM mlg_rollup('c', array['T1'], array[3, 2])$$);
SELECT try($$SELECT * FROM mlg_rollup('c', array['T1'], array[5])$$);
SELECT try($$SELECT * FROM mlg_rollup('c', array['T1'], array['Infinity'::float8])$$);
SELECT try($$SELECT * FROM mlg_rollup('c', array[NULL], array[3])$$);
SELECT try($$SELECT * FROM mlg_rollup('no_such_table', array['T1'], array[3])$$);
SELECT try($$SELECT * FROM mlg_rollup('z', array['T1'], array[3])$$);
SELECT try($$SELECT * FROM mlg_rollup_explain('c', array['T1'], array[3], 'X')$$);
SELECT try($$SELECT * FROM mlg_rollup_explain('c', array['T1'], array[3], NULL)$$);
SELECT try($$SELECT * FROM mlg_rollup_explain('c', array['T1'], array[7], 'D')$$);
CREATE TABLE bad_rule (id text, parent text, rule text);
INSERT INTO bad_rule VALUES ('D', NULL, 'mostly_proficient p=1.5'), ('T', 'D', NULL);
SELECT try($$SELECT * FROM mlg_rollup('bad_rule', array['T'], array[3])$$);
CREATE TABLE orphan (id text, parent text);
INSERT INTO orphan VALUES ('D', NULL), ('T', 'X');
SELECT try($$SELECT * FROM mlg_rollup('orphan', array['T'], array[3])$$);
CREATE TABLE cycle (id text, parent text);
INSERT INTO cycle VALUES ('A', 'B'), ('B', 'A'), ('T', 'A');
SELECT try($$SELECT * FROM mlg_rollup('cycle', array['T'], array[3])$$);
CREATE TABLE dup (id text, parent text);
INSERT INTO dup VALUES ('D', NULL), ('T', 'D'), ('T', 'D');
SELECT try($$SELECT * FROM mlg_rollup('dup', array['T'], array[3])$$);
CREATE TABLE empty_cat (id text, parent text);
SELECT try($$SELECT * FROM mlg_rollup('empty_cat', array['T'], array[3])$$);
CREATE TABLE bad_na (id text, parent text, na_allowed text);
INSERT INTO bad_na VALUES ('D', NULL, 'maybe'), ('T', 'D', NULL);
SELECT try($$SELECT * FROM mlg_rollup('bad_na', array['T'], array[3])$$);
CREATE TABLE bad_weight (id text, parent text, weight float8);
INSERT INTO bad_weight VALUES ('D', NULL, NULL), ('T', 'D', -1);
SELECT try($$SELECT * FROM mlg_rollup('bad_weight', array['T'], array[3])$$);
-- CASE documents that are not CFPackages.
SELECT try($$SELECT * FROM mlg_rollup_case('[]', array['T'], array[3])$$);
SELECT try($$SELECT * FROM mlg_rollup_case('{"CFItems": [{"humanCodingScheme": "T"}]}', array['T'], array[3])$$);
SELECT try($$SELECT * FROM mlg_rollup_case('{"CFItems": []}', '{}', '{}')$$);
-- The backend is still alive.
SELECT 'alive' AS status;
