-- SPDX-License-Identifier: GPL-3.0-or-later
-- mlg_proficiency(): the aggregate.  Expected values are worked by hand in
-- the comments (BUL-2332.7 Attachment A's Zoey: evidence 1, 2, 3, 3).
-- pg_regress loads the extension (--load-extension=mlg).
-- Each test file works in its own schema (pg_regress shares one database).
CREATE SCHEMA t_aggregate;
SET search_path = t_aggregate, public;

-- The extension's version is the library's (include/mlg.h).
SELECT extversion = mlg_version() AS version_matches FROM pg_extension WHERE extname = 'mlg';

CREATE TABLE zoey (score float8, day date);
INSERT INTO zoey VALUES (3, '2024-09-29'), (1, '2024-09-01'), (3, '2024-10-13'), (2, '2024-09-15');

-- Default method decaying_average, weight 0.65: 1 -> 0.35*1 + 0.65*2 = 1.65
-- -> 0.35*1.65 + 0.65*3 = 2.5275 -> 0.35*2.5275 + 0.65*3 = 2.834625, level 3
-- (README's "value 2.8346 level 3").
SELECT (mlg_proficiency(score, day ORDER BY day)).* FROM zoey;
-- The same, named explicitly.
SELECT (mlg_proficiency(score, day, 'decaying_average' ORDER BY day)).* FROM zoey;
-- mean (1+2+3+3)/4 = 2.25 -> level 2; most_recent 3; highest 3; lowest 1.
SELECT m, (mlg_proficiency(score, day, m ORDER BY day)).*
FROM zoey, unnest(array['mean', 'most_recent', 'highest', 'lowest', 'median']) m
GROUP BY m ORDER BY m;
-- median of 1,2,3,3 = (2+3)/2 = 2.5 -> half up to level 3 (shown above).
-- Parameters: decaying weight 0.5: 1 -> 1.5 -> 2.25 -> 2.625, level 3.
SELECT (mlg_proficiency(score, day, 'decaying_average', '{"weight": 0.5}' ORDER BY day)).*
FROM zoey;
-- recent_mean n=2: (3+3)/2 = 3; n given as a JSON string works too.
SELECT (mlg_proficiency(score, day, 'recent_mean', '{"n": 2}' ORDER BY day)).value AS n_num,
       (mlg_proficiency(score, day, 'recent_mean', '{"n": "2"}' ORDER BY day)).value AS n_str
FROM zoey;
-- Presets: canvas_outcome = weighted_average 0.65, floor, 2 decimals:
-- 0.65*3 + 0.35*mean(1,2,3) = 2.65 -> floor level 2.
SELECT (mlg_proficiency(score, day, 'canvas_outcome' ORDER BY day)).* FROM zoey;
-- A preset with a parameter overridden: rounding half_up takes 2.65 to 3.
SELECT (mlg_proficiency(score, day, 'canvas_outcome', '{"rounding": "half_up"}' ORDER BY day)).level
FROM zoey;
-- Scale tk (E, B, D, I on 1..4): mean 2.25 -> level 2, label B.
SELECT (mlg_proficiency(score, day, 'mean', '{}', 'tk' ORDER BY day)).* FROM zoey;

-- Weights and status.  Rows: 1 (w 1), 2 (w 3), 4 (excused), NULL score.
CREATE TABLE ev (score float8, day date, w float8, st text);
INSERT INTO ev VALUES (1, '2024-09-01', 1, 'counted'), (2, '2024-09-02', 3, NULL),
                      (4, '2024-09-03', 1, 'excused'), (NULL, '2024-09-04', NULL, NULL);
-- Weighted mean (1*1 + 2*3)/4 = 1.75 -> level 2; the excused row and the
-- NULL score (missing, ignored by default) do not count: n_used 2.
SELECT (mlg_proficiency(score, day, w, st, 'mean', '{}' ORDER BY day)).* FROM ev;
-- missing = lowest counts the NULL score as 1: (1 + 6 + 1)/5 = 1.6 -> 2, n_used 3.
SELECT (mlg_proficiency(score, day, w, st, 'mean', '{"missing": "lowest"}' ORDER BY day)).*
FROM ev;
-- The two-argument form treats the NULL score as missing too: (1+2+4)/3.
SELECT (mlg_proficiency(score, day, 'mean' ORDER BY day)).* FROM ev;
-- A NULL weight is 1 and a NULL status with a score is counted: Zoey's
-- mean stays (1+2+3+3)/4 = 2.25.
SELECT (mlg_proficiency(score, day, NULL, NULL, 'mean', '{}' ORDER BY day)).value FROM zoey;
-- Weight 0 ignores a row: mean of 2, 3, 3 = 2.6666666666666665 (n_used 3).
SELECT (mlg_proficiency(score, day, CASE WHEN score = 1 THEN 0 END, NULL, 'mean', '{}'
                        ORDER BY day)).* FROM zoey;
-- Only missing evidence: N/A (value and level NULL, flags {na}).
SELECT (mlg_proficiency(score, day ORDER BY day)).* FROM ev WHERE score IS NULL;
-- No rows at all: NULL, like avg().
SELECT mlg_proficiency(score, day ORDER BY day) IS NULL AS empty_is_null FROM ev WHERE false;

-- Many groups at once: one mark per (student, target).
CREATE TABLE evidence (student text, target text, score float8, day date);
INSERT INTO evidence VALUES
  ('s1', 't1', 1, '2024-09-01'), ('s1', 't1', 2, '2024-09-15'),
  ('s1', 't1', 3, '2024-09-29'), ('s1', 't1', 3, '2024-10-13'),
  ('s1', 't2', 4, '2024-09-10'), ('s2', 't1', 2, '2024-09-10'),
  ('s2', 't1', 2, '2024-09-10');
-- s1/t1 is Zoey (2.834625); s1/t2 one score 4; s2/t1 two same-day 2s -> 2.
SELECT student, target, (mlg_proficiency(score, day ORDER BY day)).*
FROM evidence GROUP BY student, target ORDER BY student, target;
-- As a window function: the running mark after each assessment
-- (1, 1.65, 2.5275, 2.834625: the decaying average's steps).
SELECT day, (mlg_proficiency(score, day) OVER (ORDER BY day)).value
FROM evidence WHERE student = 's1' AND target = 't1' ORDER BY day;
-- Input already sorted by a subquery needs no ORDER BY in the call (a
-- backward day would be an error, never a silent wrong mark).
SELECT (mlg_proficiency(score, day)).value
FROM (SELECT * FROM zoey ORDER BY day) z;

-- The catalogue entries: mlg_rollup reads a table, which may be temporary:
-- STABLE and PARALLEL RESTRICTED; everything else IMMUTABLE PARALLEL SAFE.
SELECT p.proname, p.provolatile, p.proparallel, count(*)
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'mlg'
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
-- Under parallel query (workers forced even for this small table) the
-- answer is the same: the aggregate runs above the Gather, over whole groups.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET force_parallel_mode = on;
SELECT student, target, (mlg_proficiency(score, day ORDER BY day)).value
FROM evidence GROUP BY student, target ORDER BY student, target;
RESET ALL;
SELECT name, kind FROM mlg_methods() WHERE name IN ('mean', 'power_law', 'canvas_outcome')
ORDER BY name;
