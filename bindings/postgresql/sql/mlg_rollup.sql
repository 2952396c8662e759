-- SPDX-License-Identifier: GPL-3.0-or-later
-- mlg_rollup(): target values -> domains and composites, from a catalogue
-- table or a CASE 1.1 CFPackage.
-- Each test file works in its own schema (pg_regress shares one database).
CREATE SCHEMA t_rollup;
SET search_path = t_rollup, public;

-- Zoey's Operations and Algebraic Thinking domain (BUL-2332.7 Att. A):
-- "mostly proficient and doesn't have any significant gaps" is
-- mostly_proficient p=0.75 gap=1.
CREATE TABLE oa (id text, parent text, label text, rule text, weight float8,
                 na_allowed boolean);
INSERT INTO oa VALUES
  ('3.OA', NULL, 'Operations and Algebraic Thinking', 'mostly_proficient p=0.75 gap=1', NULL, false),
  ('3.OA.A.1', '3.OA', 'OA 1', NULL, NULL, true),
  ('3.OA.A.3', '3.OA', 'OA 2', NULL, NULL, true),
  ('3.OA.B.5', '3.OA', 'OA 3', NULL, NULL, true),
  ('3.OA.D.8', '3.OA', 'OA 4', NULL, NULL, true);
-- Targets 3, 2, 3, 3: 3/4 = 75% at 3 or above, none below 3-1 = 2: domain 3.
SELECT * FROM mlg_rollup('oa', array['3.OA.A.1', '3.OA.A.3', '3.OA.B.5', '3.OA.D.8'],
                         array[3, 2, 3, 3]);
-- 3, 3, 3, 1: 75% at 3 but a 1 is below 2 (a gap): level 2, flag gap.
-- 4, 4, 4, 1 (mean 3.25): 75% at 4 and at 3, but the 1 is a gap: level 2.
SELECT v, r.level, r.flags
FROM (VALUES (array[3, 3, 3, 1]::float8[]), (array[4, 4, 4, 1]::float8[])) x(v),
     mlg_rollup('oa', array['3.OA.A.1', '3.OA.A.3', '3.OA.B.5', '3.OA.D.8'], v) r
WHERE r.kind = 'composite';
-- Why 3, 3, 3, 1 is a 2 (an appeal): 75% of the targets are at 3 or above
-- (statistic 0.75, enough for p=0.75), but 3.OA.D.8's 1 is below 3-1, so
-- level 3 is refused for a gap and that child is the blocking one.
SELECT child, value, level, used, blocking, rule, node_level, node_flags, refused,
       refused_level, statistic, message
FROM mlg_rollup_explain('oa', array['3.OA.A.1', '3.OA.A.3', '3.OA.B.5', '3.OA.D.8'],
                        array[3, 3, 3, 1], '3.OA');
-- A target has no children: one row, child columns NULL.
SELECT child, rule, node_value, node_level, refused
FROM mlg_rollup_explain('oa', array['3.OA.A.1'], array[3.3], '3.OA.A.1');

-- A target not given (or NULL) is N/A: the domain uses the other three
-- (3, 3, 3 -> 3) and is flagged partial.  Short ids resolve (3.OA.1 is
-- 3.OA.A.1 without its cluster letter).
SELECT id, kind, value, level, label, flags
FROM mlg_rollup('oa', array['3.OA.1', '3.OA.A.3', '3.OA.B.5'], array[3, 3, NULL]);
-- No target assessed: the domain is N/A where N/A is not allowed.
SELECT id, level, label, flags FROM mlg_rollup('oa', '{}', '{}') WHERE kind = 'composite';

-- The sample school: catalogue and evidence as shipped in data/school.
CREATE TABLE catalogue (id text, parent text, label text, rule text, weight float8,
                        na_allowed text);
\copy catalogue FROM '../../data/school/catalogue.csv' WITH (FORMAT csv, HEADER true)
CREATE TABLE evidence (line serial, student_id text, target_id text, assessed_at date,
                       score float8, status text);
\copy evidence (student_id, target_id, assessed_at, score, status) FROM '../../data/school/evidence.csv' WITH (FORMAT csv, HEADER true)
SELECT count(*) AS rows, count(DISTINCT student_id) AS students FROM evidence;

-- S3A01's progress report in one query: a mark per target (same-day
-- evidence in file order), then the roll-up.  The CLI prints the same
-- marks: build/cli/mlg compute data/school/evidence.csv -c
-- data/school/catalogue.csv (ELA 3, RF.3.3 3.3, RF.3.4 3.607125, ...).
WITH marks AS (
  SELECT target_id,
         (mlg_proficiency(score, assessed_at, 1, status, 'decaying_average', '{}'
                          ORDER BY assessed_at, line)).value
  FROM evidence WHERE student_id = 'S3A01' GROUP BY target_id)
SELECT r.id, r.kind, round(r.value::numeric, 6) AS value, r.level, r.label, r.flags
FROM (SELECT array_agg(target_id) AS ids, array_agg(value) AS vals FROM marks) m,
     mlg_rollup('catalogue', m.ids, m.vals) r;

-- The same catalogue as a CASE 1.1 CFPackage gives the same report.
\set case `cat ../../data/school/catalogue.json`
CREATE TABLE case_doc AS SELECT :'case'::jsonb AS doc;
WITH marks AS (
  SELECT student_id, target_id,
         (mlg_proficiency(score, assessed_at, 1, status, 'decaying_average', '{}'
                          ORDER BY assessed_at, line)).value
  FROM evidence GROUP BY student_id, target_id),
per_student AS (
  SELECT student_id, array_agg(target_id) AS ids, array_agg(value) AS vals
  FROM marks GROUP BY student_id),
from_table AS (
  SELECT s.student_id, r.* FROM per_student s, mlg_rollup('catalogue', s.ids, s.vals) r),
from_case AS (
  SELECT s.student_id, r.* FROM per_student s, case_doc, mlg_rollup_case(case_doc.doc, s.ids, s.vals) r)
SELECT (SELECT count(*) FROM from_table) AS table_rows,
       (SELECT count(*) FROM (SELECT * FROM from_table EXCEPT SELECT * FROM from_case) d) AS only_table,
       (SELECT count(*) FROM (SELECT * FROM from_case EXCEPT SELECT * FROM from_table) d) AS only_case;

-- One call site, several catalogues and settings: the cached catalogue is
-- rebuilt whenever the table or the settings change from one row to the
-- next.  The target's 2.5 levels to 3 under half_up and to 2 under floor;
-- the domain is partial in oa (three of its four targets missing) but not
-- in oa_one, whose only target is given.
CREATE TABLE oa_one (id text, parent text);
INSERT INTO oa_one VALUES ('3.OA', NULL), ('3.OA.A.1', '3.OA');
SELECT x.ord, x.cat, x.p,
       max(r.level) FILTER (WHERE r.id = '3.OA.A.1') AS target_level,
       max(r.flags::text) FILTER (WHERE r.id = '3.OA') AS domain_flags
FROM (VALUES (1, 'oa'::regclass, '{}'::jsonb), (2, 'oa_one', '{}'),
             (3, 'oa', '{"rounding": "floor"}'), (4, 'oa', '{}')) x(ord, cat, p),
     mlg_rollup(x.cat, array['3.OA.A.1'], array[2.5], params => x.p) r
GROUP BY 1, 2, 3 ORDER BY 1;

-- A temporary catalogue under forced parallel query: mlg_rollup is
-- PARALLEL RESTRICTED, so it runs in the leader, which sees the table.
CREATE TEMP TABLE oa_tmp AS SELECT * FROM oa;
SET force_parallel_mode = on;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SELECT id, level, flags FROM mlg_rollup('oa_tmp', array['3.OA.A.1', '3.OA.A.3', '3.OA.B.5', '3.OA.D.8'],
                                        array[3, 2, 3, 3]) WHERE kind = 'composite';
RESET ALL;
SET search_path = t_rollup, public;

-- Method settings reach the targets' levels: under rounding floor, RF.3.3's
-- 3.3 is still 3 but RF.3.4's 3.607125 drops from 4 to 3.
SELECT id, level FROM mlg_rollup('catalogue', array['RF.3.3', 'RF.3.4'], array[3.3, 3.607125],
                                 params => '{"rounding": "floor"}')
WHERE kind = 'target' AND id LIKE 'RF%';
