// SPDX-License-Identifier: GPL-3.0-or-later
//
// mlg_duckdb.mjs -- the competitor of `mlg compute` in bench/bench_cli.sh:
// one proficiency method per (student, target) of a long evidence CSV,
// computed by DuckDB (the @duckdb/node-api package) and written to a CSV
// with COPY.
//
//   npm ci --prefix bench/duckdb
//   node bench/duckdb/mlg_duckdb.mjs [--threads N] [--exact] [--print-sql]
//        [--weight W] METHOD IN.csv OUT.csv
//
// METHOD: mean, most_recent, median, power_law, decaying_average.
// Output: header student_id,target_id,value; one row per (student, target)
// in no particular order.  stderr: the DuckDB version, the thread count and
// the query time in seconds (without the start of node and DuckDB).
//
// Evidence order.  mlg orders a target's evidence by date and keeps the file
// order of same-day rows (docs/cli.md, "Evidence input").  The plain queries
// (the default) order by assessed_at only, as an analyst would write them:
// arg_max(score, assessed_at) then picks one of the same-day rows without a
// rule, and the ordered list of the decaying average and the positions of the
// power law are in no defined order within a day.  --exact adds the file
// ordinal (row_number() OVER () over the scan, which DuckDB keeps in file
// order while preserve_insertion_order is on, its default) as the tie-breaker,
// which is mlg's rule.  mean and median do not depend on the order.
import { DuckDBInstance } from '@duckdb/node-api';

function usage(msg) {
  if (msg) process.stderr.write(`mlg_duckdb: ${msg}\n`);
  process.stderr.write('usage: node mlg_duckdb.mjs [--threads N] [--exact] [--print-sql] ' +
                       '[--weight W] METHOD IN.csv OUT.csv\n');
  process.exit(2);
}

let threads = 2, exact = false, printSql = false, weight = 0.65;
const pos = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--threads') threads = Number(argv[++i]);
  else if (a === '--exact') exact = true;
  else if (a === '--print-sql') printSql = true;
  else if (a === '--weight') weight = Number(argv[++i]);
  else if (a === '-h' || a === '--help') usage();
  else if (a.startsWith('--')) usage(`unknown option ${a}`);
  else pos.push(a);
}
if (pos.length !== 3) usage();
if (!(threads >= 1)) usage('--threads must be >= 1');
if (!(weight > 0 && weight <= 1)) usage('--weight must be in (0, 1]');
const [method, input, output] = pos;
const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;

// The columns are typed, not sniffed: assessed_at a DATE, score a DOUBLE
// (as mlg reads it), so that no tool pays for detection.
const scan = `read_csv(${lit(input)}, header = true, auto_detect = false, delim = ',', ` +
  `quote = '"', columns = {'student_id': 'VARCHAR', 'target_id': 'VARCHAR', ` +
  `'assessed_at': 'DATE', 'score': 'DOUBLE'})`;
// With --exact, rn is the 1-based file order of the data row.
const src = exact ? `(SELECT *, row_number() OVER () AS rn FROM ${scan})` : scan;
const order = exact ? 'assessed_at, rn' : 'assessed_at';
// Weights as DOUBLE: a bare 0.65 is a DECIMAL in DuckDB.  (1 - w) is computed
// in double as mlg does (1 - 0.65 is exact in binary).
const w = `CAST(${weight} AS DOUBLE)`;

let sql;
switch (method) {
  case 'mean':
    sql = `SELECT student_id, target_id, avg(score) AS value FROM ${scan} GROUP BY ALL`;
    break;
  case 'median':
    sql = `SELECT student_id, target_id, median(score) AS value FROM ${scan} GROUP BY ALL`;
    break;
  case 'most_recent':
    // --exact: the latest (date, file order), packed in one BIGINT key
    // (days since 1970 times 2^32 plus the row number).
    sql = exact
      ? `SELECT student_id, target_id, ` +
        `arg_max(score, (date_diff('day', DATE '1970-01-01', assessed_at)::BIGINT << 32) + rn) ` +
        `AS value FROM ${src} GROUP BY ALL`
      : `SELECT student_id, target_id, arg_max(score, assessed_at) AS value FROM ${src} GROUP BY ALL`;
    break;
  case 'decaying_average':
    // d1 = s1; dk = w*sk + (1 - w)*d(k-1) (docs/methods.md): list_reduce
    // starts from the first element, as the definition does.
    sql = `SELECT student_id, target_id, ` +
      `list_reduce(list(score ORDER BY ${order}), (d, s) -> ${w} * s + (1 - ${w}) * d) AS value ` +
      `FROM ${src} GROUP BY ALL`;
    break;
  case 'power_law':
    // Marzano's power law (docs/methods.md, log_shift 0): the least-squares
    // fit of ln(s_i) = ln a + b ln i over the positions i = 1..k in evidence
    // order, evaluated at the last position k: value = a k^b, clamped to the
    // scale (ccs4: 1..4).  One score: that score (the fit is undefined).
    sql = `SELECT student_id, target_id, ` +
      `CASE WHEN count(*) = 1 THEN any_value(score) ELSE ` +
      `least(4.0, greatest(1.0, exp(regr_intercept(ln(score), ln(i)) + ` +
      `regr_slope(ln(score), ln(i)) * ln(count(*))))) END AS value ` +
      `FROM (SELECT student_id, target_id, score, ` +
      `row_number() OVER (PARTITION BY student_id, target_id ORDER BY ${order}) AS i ` +
      `FROM ${src}) GROUP BY ALL`;
    break;
  default:
    usage(`unknown method ${method}`);
}
const copy = `COPY (${sql}) TO ${lit(output)} (HEADER, DELIMITER ',')`;
if (printSql) {
  process.stdout.write(copy + ';\n');
  process.exit(0);
}

const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const con = await instance.connect();
const version = (await con.runAndReadAll('SELECT version()')).getRows()[0][0];
const t0 = process.hrtime.bigint();
await con.run(copy);
const sec = Number(process.hrtime.bigint() - t0) / 1e9;
process.stderr.write(`duckdb ${version}: ${method}${exact ? ' (exact order)' : ''}, ` +
                     `${threads} threads, query ${sec.toFixed(3)} s\n`);
