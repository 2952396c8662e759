-- SPDX-License-Identifier: GPL-3.0-or-later
-- Marks under a declared district policy (docs/policy.md, docs/sql.md).
-- Expected values are worked by hand in the comments.  The shipped policy
-- lausd-bul-2332.7 declares: method consistent_recent n=2 (the minimum of
-- the last two counted scores, docs/methods.md), rounding half_up with 6
-- decimals, the academic scale ccs4, domain rule "capped_median gap=1",
-- composite rule "mean".
CREATE SCHEMA t_policy;
SET search_path = t_policy, public;

-- Zoey (BUL-2332.7 Att. A): 1, 2, 3, 3.  consistent_recent n=2: the last
-- two counted scores are 3 and 3, their minimum is 3 -> level 3 on ccs4
-- (the bulletin's "most likely a 3"); four rows entered the computation.
CREATE TABLE zoey (score float8, day date);
INSERT INTO zoey VALUES (3, '2024-09-29'), (1, '2024-09-01'), (3, '2024-10-13'), (2, '2024-09-15');
SELECT (mlg_proficiency_policy(score, day, 'lausd-bul-2332.7' ORDER BY day)).* FROM zoey;
-- The same as the policy's method spelt out by hand.
SELECT (mlg_proficiency_policy(score, day, 'lausd-bul-2332.7' ORDER BY day))
     = mlg_proficiency(score, day, 'consistent_recent',
                       '{"n": 2, "rounding": "half_up", "decimals": 6}' ORDER BY day)
       AS same_as_spelt_out
FROM zoey;
-- A later 2 (1, 2, 3, 3, 2): the last two are 3 and 2, min 2 -> level 2;
-- five rows used.
SELECT (mlg_proficiency_policy(score, day, 'lausd-bul-2332.7' ORDER BY day)).*
FROM (SELECT * FROM zoey UNION ALL SELECT 2, '2024-10-27') z;
-- A subject: its scale.  eld (eld4) and tk (TK's E/B/D/I: level 3 = D)
-- keep the method: 3 -> level 3.
SELECT s, (mlg_proficiency_policy(score, day, 'lausd-bul-2332.7', s ORDER BY day)).*
FROM zoey, unnest(array['ela', 'eld', 'tk', 'academic']) s GROUP BY s ORDER BY s;
-- Weights and statuses: the last 3 excused leaves 1, 2, 3; min(2, 3) = 2.
SELECT (mlg_proficiency_policy(score, day, 1, CASE WHEN day = '2024-10-13' THEN 'excused' END,
                               'lausd-bul-2332.7' ORDER BY day)).*
FROM zoey;
-- A NULL score is missing, ignored by default: the same 2 as above.
SELECT (mlg_proficiency_policy(CASE WHEN day = '2024-10-13' THEN NULL ELSE score END, day, 1, NULL,
                               'lausd-bul-2332.7', 'math_domain' ORDER BY day)).*
FROM zoey;

-- The policy as a document: jsonb, or JSON text.  The shipped document
-- gives the same marks and the same hash (the hash is of the canonical
-- text, so key order and whitespace do not count).
SELECT (mlg_proficiency_policy(score, day, (mlg_policy_show('lausd-bul-2332.7')).document
                               ORDER BY day)).value AS from_jsonb,
       (mlg_proficiency_policy(score, day, (mlg_policy_show('lausd-bul-2332.7')).document::text
                               ORDER BY day)).value AS from_text
FROM zoey;
SELECT name, length(hash) AS hash_length, hash = mlg_policy_hash('lausd-bul-2332.7') AS same_hash,
       document->'method'->>'name' AS method, document->'rules'->>'domain' AS domain_rule
FROM mlg_policy_show('lausd-bul-2332.7');
SELECT mlg_policy_hash((mlg_policy_show('lausd-bul-2332.7')).document)
     = mlg_policy_hash('lausd-bul-2332.7') AS jsonb_same_hash;
-- A district's own policy: the shipped one with the mean as its method.
-- Zoey's mean (1+2+3+3)/4 = 2.25 -> level 2; a new hash records it.
CREATE TABLE district (policy jsonb);
INSERT INTO district
SELECT jsonb_set(jsonb_set(document, '{policy}', '"my-district"'),
                 '{method}', '{"name": "mean", "params": {}}')
FROM mlg_policy_show('lausd-bul-2332.7');
SELECT (mlg_proficiency_policy(score, day, d.policy ORDER BY day)).*,
       mlg_policy_hash(d.policy) <> mlg_policy_hash('lausd-bul-2332.7') AS new_hash,
       (mlg_policy_show(d.policy)).name
FROM zoey, district d GROUP BY d.policy;

-- mlg_explain_policy: consistent_recent uses one row, the latest minimum of
-- the last two (row 4: influence 1); rows 1-2 are before the window of two,
-- row 3 is in it but not the one selected.
SELECT * FROM mlg_explain_policy(array[1, 2, 3, 3],
                                 array[date '2024-09-01', '2024-09-15', '2024-09-29', '2024-10-13'],
                                 'lausd-bul-2332.7');

-- Roll-ups: nodes without a rule take the policy's.  MATH (composite) ->
-- 3.OA (domain) -> four targets.
CREATE TABLE math (id text, parent text, rule text);
INSERT INTO math VALUES ('MATH', NULL, NULL), ('3.OA', 'MATH', NULL),
  ('3.OA.A.1', '3.OA', NULL), ('3.OA.A.3', '3.OA', NULL),
  ('3.OA.B.5', '3.OA', NULL), ('3.OA.D.8', '3.OA', NULL);
-- Zoey's domain 3, 2, 3, 3: capped_median gap=1: median 3, lowest 2 is not
-- below 3-1 -> 3; the composite's mean of its one child 3 -> 3.
SELECT * FROM mlg_rollup_policy('math', array['3.OA.A.1', '3.OA.A.3', '3.OA.B.5', '3.OA.D.8'],
                                array[3, 2, 3, 3], 'lausd-bul-2332.7');
-- 3, 3, 3, 1: median 3, but the lowest 1 is below 3-1: capped at 1+1 = 2,
-- flagged gap and review (docs/rollups.md); the composite follows: 2.
SELECT * FROM mlg_rollup_policy('math', array['3.OA.A.1', '3.OA.A.3', '3.OA.B.5', '3.OA.D.8'],
                                array[3, 3, 3, 1], 'lausd-bul-2332.7', 'math_domain');
SELECT child, value, blocking, rule, node_level, refused, refused_level, message
FROM mlg_rollup_explain_policy('math', array['3.OA.A.1', '3.OA.A.3', '3.OA.B.5', '3.OA.D.8'],
                               array[3, 3, 3, 1], '3.OA', 'lausd-bul-2332.7');
-- A rule in the catalogue wins over the policy's: mean of 3, 3, 3, 1 = 2.5
-- -> half up to 3.
UPDATE math SET rule = 'mean' WHERE id = '3.OA';
SELECT id, value, level, flags
FROM mlg_rollup_policy('math', array['3.OA.A.1', '3.OA.A.3', '3.OA.B.5', '3.OA.D.8'],
                       array[3, 3, 3, 1], 'lausd-bul-2332.7') WHERE id = '3.OA';
-- ELD allows no N/A (sec. II.A): with no target assessed, the domain and
-- composite are N/A where it is not allowed (value NULL, never a 0).
SELECT id, value, label, flags
FROM mlg_rollup_policy('math', '{}', '{}', 'lausd-bul-2332.7', 'eld') WHERE id IN ('MATH', '3.OA');
-- The CASE form, two targets 3 and 1: their median falls between 1 and 3,
-- rounded down to 2, and the lowest 1 allows at most 1+1 = 2 -> 2, flagged
-- review (a mark not held by more than half of the targets); the
-- composite's mean of 2 -> 2.
SELECT id, kind, value, level, flags
FROM mlg_rollup_case_policy(
  '{"CFItems": [{"identifier": "u0", "humanCodingScheme": "MATH"},
                {"identifier": "u1", "humanCodingScheme": "3.OA"},
                {"identifier": "u2", "humanCodingScheme": "3.OA.A.1"},
                {"identifier": "u3", "humanCodingScheme": "3.OA.A.3"}],
    "CFAssociations": [
      {"associationType": "isChildOf", "originNodeURI": {"identifier": "u1"}, "destinationNodeURI": {"identifier": "u0"}},
      {"associationType": "isChildOf", "originNodeURI": {"identifier": "u2"}, "destinationNodeURI": {"identifier": "u1"}},
      {"associationType": "isChildOf", "originNodeURI": {"identifier": "u3"}, "destinationNodeURI": {"identifier": "u1"}}]}',
  array['3.OA.A.1', '3.OA.A.3'], array[3, 1], 'lausd-bul-2332.7');

-- Recording the policy with the marks: one query, every (student, mark,
-- policy, hash).
SELECT 'zoey' AS student, (m).label, p.name AS policy, p.hash = mlg_policy_hash('lausd-bul-2332.7') AS hash_ok
FROM (SELECT mlg_proficiency_policy(score, day, 'lausd-bul-2332.7' ORDER BY day) AS m FROM zoey) x,
     mlg_policy_show('lausd-bul-2332.7') p;

-- Errors: the library's message, with an SQLSTATE (err() prints both).
CREATE FUNCTION err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT err($$SELECT mlg_policy_hash('no-such-policy')$$) AS unknown_name;
SELECT err($$SELECT mlg_policy_hash('{"policy": "x", "bogus": 1}')$$) AS unknown_key;
SELECT err($$SELECT mlg_policy_hash('{"policy": "x", "bogus": 1}'::jsonb)$$) AS unknown_key_jsonb;
SELECT err($$SELECT mlg_policy_hash('{"policy": 1}')$$) AS wrong_type;
SELECT err($$SELECT mlg_policy_hash('{"policy": ')$$) AS not_json;
SELECT err($$SELECT mlg_policy_hash(NULL::text)$$) AS null_policy;
SELECT err($$SELECT * FROM mlg_rollup_policy('math', '{}', '{}', '{"policy": "x"}'::jsonb)$$)
       AS missing_field;
SELECT err($$SELECT mlg_proficiency_policy(score, day, 'lausd-bul-2332.7', 'chemistry' ORDER BY day)
             FROM zoey$$) AS unknown_subject;
SELECT err($$SELECT mlg_proficiency_policy(score, day, 'nope' ORDER BY day) FROM zoey$$)
       AS agg_unknown_name;
-- The policy is a setting of the whole group.
SELECT err($$SELECT mlg_proficiency_policy(score, day,
               CASE WHEN day > '2024-09-20' THEN 'nope' ELSE 'lausd-bul-2332.7' END ORDER BY day)
             FROM zoey$$) AS differs;
-- A policy's method that the library does not know.
SELECT err(format($$SELECT mlg_policy_hash(%L::jsonb)$$,
                  jsonb_set(document, '{method,name}', '"avg"')))
       AS unknown_method
FROM mlg_policy_show('lausd-bul-2332.7');
