-- SPDX-License-Identifier: GPL-3.0-or-later
-- mlg_explain(): one row per evidence row, for a grade appeal.
-- Each test file works in its own schema (pg_regress shares one database).
CREATE SCHEMA t_explain;
SET search_path = t_explain, public;

-- Zoey under the decaying average 0.65: influence of row i is
-- 0.65 * 0.35^(n-i) for i > 1 and 0.35^(n-1) for the first:
-- 0.35^3 = 0.042875, 0.65*0.35^2 = 0.079625, 0.65*0.35 = 0.2275, 0.65;
-- fitted is the running value 1, 1.65, 2.5275, 2.834625.
SELECT * FROM mlg_explain(array[1, 2, 3, 3],
                          array[date '2024-09-01', '2024-09-15', '2024-09-29', '2024-10-13']);
-- sum(influence * score) is the value (docs: linear methods).
SELECT round(sum(influence * score)::numeric, 12) AS value
FROM mlg_explain(array[1, 2, 3, 3],
                 array[date '2024-09-01', '2024-09-15', '2024-09-29', '2024-10-13']);
-- recent_mean n=2: the two latest rows count 1/2 each, the others are
-- outside the window; an excused row and a NULL score (missing) say why.
SELECT ord, day, score, reason, influence
FROM mlg_explain(array[1, 2, 4, NULL, 3, 3],
                 array[date '2024-09-01', '2024-09-15', '2024-09-20', '2024-09-21',
                       '2024-09-29', '2024-10-13'],
                 status => array['counted', 'counted', 'excused', NULL, 'counted', 'counted'],
                 method => 'recent_mean', params => '{"n": 2}');
-- Weights: weighted mean of 1 (w 1) and 3 (w 3) = 2.5; a weight 0 row is ignored.
SELECT ord, weight, reason, influence
FROM mlg_explain(array[1, 3, 4], array[date '2024-09-01', '2024-09-02', '2024-09-03'],
                 weight => array[1, 3, 0], method => 'mean');
-- No evidence: no rows.
SELECT count(*) FROM mlg_explain('{}', '{}');
