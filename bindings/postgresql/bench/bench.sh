#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmark the mlg extension on a lausd-period subset (docs/performance.md):
# mlg_proficiency() per (student, target) against PostgreSQL's avg() on the
# same GROUP BY, and the decaying average against the same recursion written
# as a PL/pgSQL aggregate and as a recursive CTE.
#
#   bash bindings/postgresql/bench/bench.sh [STUDENTS] [ROUNDS]
#
# Needs the extension installed (make -C bindings/postgresql install) and
# build/cli/mlg.  It starts its own throwaway server with pg_virtualenv.
# Times are PostgreSQL's "Execution Time" of EXPLAIN (ANALYZE, TIMING OFF),
# best of ROUNDS, with parallel query off (mlg_proficiency has no combine
# function, so only avg() could use workers) and work_mem large enough that
# no sort spills.
set -euo pipefail
cd "$(dirname "$0")/../../.."
STUDENTS=${1:-20000}
ROUNDS=${2:-3}
CSV=$(mktemp --suffix=.csv)
SQL=$(mktemp --suffix=.sql)
trap 'rm -f "$CSV" "$SQL"' EXIT
build/cli/mlg generate --preset lausd-period --students "$STUDENTS" -o "$CSV"

cat > "$SQL" <<EOF
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS mlg;
CREATE TABLE ev (student_id text, target_id text, assessed_at date, score float8);
\copy ev FROM '$CSV' WITH (FORMAT csv, HEADER true)
VACUUM ANALYZE ev;
SET max_parallel_workers_per_gather = 0;
SET work_mem = '512MB';
SET jit = off;

-- The decaying average (weight w on the newest score) as a PL/pgSQL
-- aggregate and, below, as a recursive CTE: the same recursion as
-- libmlg's decaying_average, v1 = x1, vk = (1 - w) v(k-1) + w xk.
CREATE FUNCTION decay_step(v float8, x float8, w float8) RETURNS float8
LANGUAGE plpgsql IMMUTABLE AS \$\$
BEGIN
  IF v IS NULL THEN RETURN x; END IF;
  RETURN (1 - w) * v + w * x;
END \$\$;
CREATE AGGREGATE decay_plpgsql(float8, float8) (SFUNC = decay_step, STYPE = float8);

CREATE FUNCTION exec_ms(q text) RETURNS float8 LANGUAGE plpgsql AS \$\$
DECLARE line text; ms float8;
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) ' || q LOOP
    IF line LIKE 'Execution Time:%' THEN
      ms := substring(line FROM '([0-9.]+) ms')::float8;
    END IF;
  END LOOP;
  RETURN ms;
END \$\$;

CREATE TABLE q (name text, sql text);
INSERT INTO q VALUES
 ('avg()',
  \$\$SELECT student_id, target_id, avg(score) FROM ev GROUP BY 1, 2\$\$),
 ('mlg_proficiency mean, ORDER BY day',
  \$\$SELECT student_id, target_id, mlg_proficiency(score, assessed_at, 'mean' ORDER BY assessed_at)
     FROM ev GROUP BY 1, 2\$\$),
 ('mlg_proficiency decaying_average, ORDER BY day',
  \$\$SELECT student_id, target_id, mlg_proficiency(score, assessed_at, 'decaying_average' ORDER BY assessed_at)
     FROM ev GROUP BY 1, 2\$\$),
 ('mlg_proficiency mean, table in day order (no ORDER BY)',
  \$\$SELECT student_id, target_id, mlg_proficiency(score, assessed_at, 'mean')
     FROM ev GROUP BY 1, 2\$\$),
 ('mlg_proficiency decaying_average, table in day order (no ORDER BY)',
  \$\$SELECT student_id, target_id, mlg_proficiency(score, assessed_at, 'decaying_average')
     FROM ev GROUP BY 1, 2\$\$),
 ('avg(), input sorted by (student, target, day)',
  \$\$SELECT student_id, target_id, avg(score)
     FROM (SELECT * FROM ev ORDER BY 1, 2, 3) s GROUP BY 1, 2\$\$),
 ('mlg_proficiency mean, input sorted',
  \$\$SELECT student_id, target_id, mlg_proficiency(score, assessed_at, 'mean')
     FROM (SELECT * FROM ev ORDER BY 1, 2, 3) s GROUP BY 1, 2\$\$),
 ('mlg_proficiency decaying_average, input sorted',
  \$\$SELECT student_id, target_id, mlg_proficiency(score, assessed_at, 'decaying_average')
     FROM (SELECT * FROM ev ORDER BY 1, 2, 3) s GROUP BY 1, 2\$\$),
 ('PL/pgSQL decaying average, ORDER BY day',
  \$\$SELECT student_id, target_id, decay_plpgsql(score, 0.65 ORDER BY assessed_at)
     FROM ev GROUP BY 1, 2\$\$),
 ('PL/pgSQL decaying average, table in day order (no ORDER BY)',
  \$\$SELECT student_id, target_id, decay_plpgsql(score, 0.65)
     FROM ev GROUP BY 1, 2\$\$),
 ('recursive CTE decaying average',
  \$\$WITH RECURSIVE n AS MATERIALIZED (
       SELECT student_id, target_id, score,
              row_number() OVER (PARTITION BY student_id, target_id ORDER BY assessed_at) AS k
       FROM ev),
     r AS (SELECT student_id, target_id, k, score AS v FROM n WHERE k = 1
           UNION ALL
           SELECT n.student_id, n.target_id, n.k, 0.35 * r.v + 0.65 * n.score
           FROM r JOIN n ON n.student_id = r.student_id AND n.target_id = r.target_id
                        AND n.k = r.k + 1)
     SELECT DISTINCT ON (student_id, target_id) student_id, target_id, v
     FROM r ORDER BY student_id, target_id, k DESC\$\$);

CREATE TABLE t (name text, round int, ms float8);
SELECT count(*) AS rows, count(DISTINCT (student_id, target_id)) AS groups FROM ev \gset
DO \$\$
DECLARE r record;
BEGIN
  FOR i IN 1..$ROUNDS LOOP
    FOR r IN SELECT * FROM q LOOP
      INSERT INTO t VALUES (r.name, i, exec_ms(r.sql));
    END LOOP;
  END LOOP;
END \$\$;

-- The three decaying averages must agree (to rounding: PL/pgSQL and SQL
-- evaluate (1 - w) v + w x in their own order).
WITH m AS (SELECT student_id, target_id,
                  (mlg_proficiency(score, assessed_at ORDER BY assessed_at)).value AS v
           FROM ev GROUP BY 1, 2),
     p AS (SELECT student_id, target_id, decay_plpgsql(score, 0.65 ORDER BY assessed_at) AS v
           FROM ev GROUP BY 1, 2)
SELECT max(abs(m.v - p.v)) AS max_abs_diff_mlg_vs_plpgsql
FROM m JOIN p USING (student_id, target_id);

\echo rows :rows groups :groups rounds $ROUNDS
SELECT name AS candidate, round(min(ms)::numeric, 1) AS best_ms,
       round((min(ms) / (SELECT min(ms) FROM t WHERE name = 'avg()'))::numeric, 2)
         AS vs_avg,
       round((min(ms) / (SELECT min(ms) FROM t
                          WHERE name = 'mlg_proficiency decaying_average, ORDER BY day'))::numeric, 2)
         AS vs_mlg_decay
FROM t GROUP BY name ORDER BY min(ms);
EOF

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(nproc) cores"
echo "# $(pg_config --version); libmlg $(git rev-parse --short HEAD 2>/dev/null || echo '?'); students $STUDENTS"
pg_virtualenv psql -X -q -f "$SQL"
