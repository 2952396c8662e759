#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# bench_cli.sh -- time `mlg compute` on a synthetic district CSV against
# DuckDB (one query per method), Miller and `wc -l` on the same file, and
# report medians, ratios and the peak memory of each (/usr/bin/time).
#
#   bench/bench_cli.sh [--mlg PATH] [--preset NAME] [--students N] [--dir DIR]
#                      [--methods LIST] [--tools LIST] [--rounds N]
#                      [--mlr-rounds N] [--threads N] [--check-students N]
#                      [--no-check] [--no-file-check] [--no-mlr] [--no-duckdb]
#                      [--smoke]
#
# The file is `mlg generate --preset NAME [--students N]` (default: the full
# lausd-period preset, ~70.8 M rows, 2.1 GB; --students 60000 is ~10.4 M
# rows), generated once into --dir (default /tmp/mlg-bench) and kept; it is
# read once beforehand so every tool sees it in the page cache.
#
# Tools (--tools, comma-separated; default all that are installed):
#   wc       wc -l FILE
#   mlg      mlg compute FILE -m METHOD --threads T -o OUT  (the default:
#            parallel reading of a regular file of at least 64 MiB)
#   mlg1     the same with --no-parallel: one reader (checked: output bytes
#            identical to mlg's)
#   duckdb   node bench/duckdb/mlg_duckdb.mjs --threads T METHOD FILE OUT:
#            SELECT student_id, target_id, <agg> ... GROUP BY ALL, COPY to CSV
#   duckdbx  the same with --exact (same-day rows in file order, mlg's rule);
#            only for the order-dependent methods
#   mlr      mlr stats1 -a mean per student and target (mean only; Miller
#            holds every group in memory: ~1.4 GB per million rows)
#   scan     bench/scan_bound.c --threads T (built here with cc): finds the
#            fields 64 bytes at a time, compares the ids with the previous
#            row's, parses date and score, and stops: a lower bound for the
#            reading part of the command (checked: its row and group counts)
# Methods (--methods): mean, most_recent, median, decaying_average, power_law.
# Every tool writes its result to a file in --dir (deleted after each run).
#
# Before anything is timed, every (tool, method) is run on a small file of
# the same preset (--check-students, default 2000) and its values compared
# with mlg's to mlg's printed precision (bench/compare_marks.awk); the
# `same` column says whether they agreed; the first timed round compares
# again on the timed file (--no-file-check skips that for the other tools:
# awk needs ~100 bytes per mark; mlg --no-parallel is always compared with
# mlg's default output byte for byte).  Then the timed runs go round by
# round (A B A B: every tool once per round, --rounds rounds, default 3) and
# each row reports the median, the 1-minute load average before its median
# run, the peak RSS and the ratios.  --smoke: a 300-student file, 1 round,
# for CI (correctness of the harness only; the timings mean nothing).
# DuckDB needs `npm ci --prefix bench/duckdb` once (Node.js >= 18).
# Targets (issue 15): mlg >= 5x faster than DuckDB for every method;
# mlg within 3x of wc -l on the full lausd-period file.
set -euo pipefail
MLG="" PRESET="lausd-period" STUDENTS="" DIR="/tmp/mlg-bench" THREADS=2
METHODS="mean,most_recent,median,decaying_average,power_law"
TOOLS="" ROUNDS=3 MLR_ROUNDS=1 CHECK=1 FILECHECK=1 CHECK_STUDENTS=2000 NO_MLR=0 NO_DUCK=0 SMOKE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --mlg) MLG="$2"; shift 2 ;;
    --preset) PRESET="$2"; shift 2 ;;
    --students|--rows) STUDENTS="$2"; shift 2 ;;
    --dir) DIR="$2"; shift 2 ;;
    --methods) METHODS="$2"; shift 2 ;;
    --tools) TOOLS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --mlr-rounds) MLR_ROUNDS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --check-students) CHECK_STUDENTS="$2"; shift 2 ;;
    --no-check) CHECK=0; shift ;;
    --no-file-check) FILECHECK=0; shift ;;
    --no-mlr) NO_MLR=1; shift ;;
    --no-duckdb) NO_DUCK=1; shift ;;
    --smoke) SMOKE=1; shift ;;
    --keep) shift ;;   # accepted for compatibility: the file is always kept
    -h|--help) sed -n '4,40p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench_cli.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
HERE="$(cd "$(dirname "$0")/.." && pwd)"
if [ -z "$MLG" ]; then
  for c in "$HERE/build/cli/mlg" "$HERE"/build*/cli/mlg; do
    if [ -x "$c" ]; then MLG="$c"; break; fi
  done
fi
[ -x "$MLG" ] || { echo "bench_cli.sh: no mlg binary (build first or pass --mlg)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench_cli.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
if [ "$SMOKE" = 1 ]; then
  STUDENTS=300 CHECK_STUDENTS=300 ROUNDS=1 MLR_ROUNDS=1
fi
# Every tool uses every row: where mlg has --duplicates (it skips repeated
# rows by default there; mlg generate repeats some rows on purpose), pass
# --duplicates keep, as DuckDB and Miller use every row.
MLG_ROWS=()
MLG_HELP=$("$MLG" compute --help 2>&1 || true)
if [[ "$MLG_HELP" == *--duplicates* ]]; then MLG_ROWS=(--duplicates keep); fi
DUCKJS="$HERE/bench/duckdb/mlg_duckdb.mjs"
have_duck=0
if command -v node >/dev/null && [ -d "$HERE/bench/duckdb/node_modules/@duckdb/node-api" ]; then
  have_duck=1
fi
have_mlr=0; command -v mlr >/dev/null && have_mlr=1
if [ -z "$TOOLS" ]; then
  TOOLS="wc,scan,mlg,mlg1"
  if [ "$have_duck" = 1 ] && [ "$NO_DUCK" = 0 ]; then TOOLS="$TOOLS,duckdb,duckdbx"; fi
  if [ "$have_mlr" = 1 ] && [ "$NO_MLR" = 0 ]; then TOOLS="$TOOLS,mlr"; fi
  if [ "$have_duck" = 0 ] && [ "$NO_DUCK" = 0 ]; then
    echo "bench_cli.sh: DuckDB skipped (run: npm ci --prefix bench/duckdb)" >&2
  fi
fi
IFS=, read -r -a TOOL_LIST <<< "$TOOLS"
IFS=, read -r -a METHOD_LIST <<< "$METHODS"
for t in "${TOOL_LIST[@]}"; do
  case "$t" in
    wc|mlg|mlg1) ;;
    scan) command -v cc >/dev/null || { echo "bench_cli.sh: scan needs cc" >&2; exit 2; } ;;
    duckdb|duckdbx) [ "$have_duck" = 1 ] || { echo "bench_cli.sh: $t needs node and npm ci --prefix bench/duckdb" >&2; exit 2; } ;;
    mlr) [ "$have_mlr" = 1 ] || { echo "bench_cli.sh: mlr not found (apt-get install miller)" >&2; exit 2; } ;;
    *) echo "bench_cli.sh: unknown tool $t" >&2; exit 2 ;;
  esac
done
for m in "${METHOD_LIST[@]}"; do
  case "$m" in
    mean|most_recent|median|decaying_average|power_law) ;;
    *) echo "bench_cli.sh: unknown method $m (mean most_recent median decaying_average power_law)" >&2; exit 2 ;;
  esac
done
mkdir -p "$DIR"
SCAN="$DIR/scan_bound"
if [[ ",$TOOLS," == *,scan,* ]] && { [ ! -x "$SCAN" ] || [ "$HERE/bench/scan_bound.c" -nt "$SCAN" ]; }; then
  cc -O2 -std=c11 -o "$SCAN" "$HERE/bench/scan_bound.c" -lpthread
fi

gen() {   # gen STUDENTS_OR_EMPTY -> path of the generated file
  local n="$1" f="$DIR/evidence-$PRESET${1:+-$1}.csv"
  if [ ! -s "$f" ]; then
    echo "# generating $f" >&2
    "$MLG" generate --preset "$PRESET" ${n:+--students "$n"} -o "$f.tmp" 2> /dev/null
    mv "$f.tmp" "$f"
  fi
  echo "$f"
}

# The (tool, method) pairs: wc once; mlr for mean only; duckdbx only where
# the evidence order matters (DuckDB's plain queries order by date alone).
JOBS=()
for t in "${TOOL_LIST[@]}"; do
  case "$t" in
    wc) JOBS+=("wc:-") ;;
    scan) JOBS+=("scan:-") ;;
    mlr) case ",$METHODS," in *,mean,*) JOBS+=("mlr:mean") ;; esac ;;
    duckdbx) for m in "${METHOD_LIST[@]}"; do
               case "$m" in most_recent|decaying_average|power_law) JOBS+=("duckdbx:$m") ;; esac
             done ;;
    *) for m in "${METHOD_LIST[@]}"; do JOBS+=("$t:$m"); done ;;
  esac
done

# cmd_of TOOL METHOD CSV OUT -> the command in CMD (an array)
cmd_of() {
  local t="$1" m="$2" csv="$3" out="$4"
  case "$t" in
    wc) CMD=(wc -l "$csv") ;;
    scan) CMD=("$SCAN" --threads "$THREADS" "$csv") ;;
    mlg) CMD=("$MLG" compute "$csv" -m "$m" "${MLG_ROWS[@]}" --threads "$THREADS" --no-progress -o "$out") ;;
    mlg1) CMD=("$MLG" compute "$csv" -m "$m" "${MLG_ROWS[@]}" --threads "$THREADS" --no-parallel --no-progress -o "$out") ;;
    duckdb) CMD=(node "$DUCKJS" --threads "$THREADS" "$m" "$csv" "$out") ;;
    duckdbx) CMD=(node "$DUCKJS" --threads "$THREADS" --exact "$m" "$csv" "$out") ;;
    mlr) CMD=(mlr --icsv --ocsv stats1 -a mean -f score -g student_id,target_id "$csv") ;;
  esac
}

# run1 NAME CSV OUT -> LAST_SEC LAST_KB LAST_LOAD (fails the script on error)
run1() {
  local job="$1" csv="$2" out="$3" t="${1%%:*}" m="${1#*:}" tf t0 t1 rc
  cmd_of "$t" "$m" "$csv" "$out"
  tf=$(mktemp)
  LAST_LOAD=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(date +%s%N)
  rc=0
  if [ "$t" = mlr ] || [ "$t" = wc ] || [ "$t" = scan ]; then
    /usr/bin/time -f "%M" -o "$tf" "${CMD[@]}" > "$out" 2> "$DIR/last.stderr" || rc=$?
  else
    /usr/bin/time -f "%M" -o "$tf" "${CMD[@]}" > /dev/null 2> "$DIR/last.stderr" || rc=$?
  fi
  t1=$(date +%s%N)
  if [ "$rc" != 0 ]; then
    echo "bench_cli.sh: $job failed (status $rc): ${CMD[*]}" >&2; cat "$DIR/last.stderr" >&2; exit 1
  fi
  LAST_SEC=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  LAST_KB=$(tail -1 "$tf"); rm -f "$tf"
}

# ---- correctness before timing: every (tool, method) against mlg ------------
declare -A SAME
if [ "$CHECK" = 1 ]; then
  SMALL=$(gen "$CHECK_STUDENTS")
  echo "# checking every tool against mlg on $SMALL" >&2
  for job in "${JOBS[@]}"; do
    t="${job%%:*}" m="${job#*:}"
    case "$t" in wc) SAME[$job]="-"; continue ;; esac
    if [ "$t" = scan ]; then
      ref="$DIR/check-ref-mean.csv"
      "$MLG" compute "$SMALL" -m mean "${MLG_ROWS[@]}" --threads "$THREADS" --no-progress -o "$ref" 2> /dev/null || true
      out="$DIR/check-scan.txt"
      run1 "$job" "$SMALL" "$out"
      want="rows $(( $(wc -l < "$SMALL") - 1 )) students $(cut -d, -f1 "$ref" | uniq | tail -n +2 | wc -l) groups $(grep -c ',target,' "$ref")"
      got=$(awk '{ print $1, $2, $3, $4, $5, $6 }' "$out")
      if [ "$want" = "$got" ]; then SAME[$job]=yes; else SAME[$job]=NO; fi
      echo "#   $job: $got (mlg: $want)" >&2
      rm -f "$out"
      continue
    fi
    ref="$DIR/check-ref-$m.csv"
    "$MLG" compute "$SMALL" -m "$m" "${MLG_ROWS[@]}" --threads "$THREADS" --no-progress -o "$ref" 2> /dev/null || true
    out="$DIR/check-$t-$m.csv"
    run1 "$job" "$SMALL" "$out"
    if [ "$t" = mlg ] || [ "$t" = mlg1 ]; then
      if cmp -s "$ref" "$out"; then SAME[$job]=yes; else SAME[$job]=NO; fi
      res="bytes $( [ "${SAME[$job]}" = yes ] && echo identical || echo differ )"
    else
      if res=$(awk -F, -f "$HERE/bench/compare_marks.awk" "$ref" "$out" 2> "$DIR/check-$t-$m.diff"); then
        SAME[$job]=yes
      else
        SAME[$job]=NO
      fi
    fi
    echo "#   $job: $res" >&2
    rm -f "$out"
  done
fi

# ---- the timed runs -------------------------------------------------------------
CSV=$(gen "$STUDENTS")
cat "$CSV" > /dev/null   # page cache
ROWS=$(( $(wc -l < "$CSV") - 1 ))
BYTES=$(stat -c %s "$CSV")
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A SECS LOADS KB PAREQ FILESAME QSECS
for ((r = 1; r <= ROUNDS; r++)); do
  for job in "${JOBS[@]}"; do
    t="${job%%:*}" m="${job#*:}"
    if [ "$t" = mlr ] && [ "$r" -gt "$MLR_ROUNDS" ]; then continue; fi
    out="$DIR/out-$t-$m.csv"
    run1 "$job" "$CSV" "$out"
    SECS[$job]+="$LAST_SEC " LOADS[$job]+="$LAST_LOAD "
    case "$t" in duckdb*) QSECS[$job]+="$(sed -n 's/.* query \([0-9.]*\) s$/\1/p' "$DIR/last.stderr" | tail -1) " ;; esac
    if [ -z "${KB[$job]:-}" ] || [ "$LAST_KB" -gt "${KB[$job]}" ]; then KB[$job]=$LAST_KB; fi
    # First round: mlg --no-parallel must write the bytes of the default run, and
    # the other tools' values must equal mlg's on this file too (FILESAME).
    if [ "$r" = 1 ] && [ "$CHECK" = 1 ] && [ -s "$DIR/out-mlg-$m.first" ]; then
      case "$t" in
        mlg1)
          if cmp -s "$DIR/out-mlg-$m.first" "$out"; then PAREQ[$m]=identical; FILESAME[$job]=yes
          else PAREQ[$m]=DIFFER; FILESAME[$job]=NO; fi ;;
        duckdb|duckdbx|mlr)
          if [ "$FILECHECK" = 1 ]; then
            if res=$(awk -F, -f "$HERE/bench/compare_marks.awk" "$DIR/out-mlg-$m.first" "$out" 2> /dev/null)
            then FILESAME[$job]=yes; else FILESAME[$job]=NO; fi
            echo "#   $job on $(basename "$CSV"): $res" >&2
          fi ;;
      esac
    fi
    if [ "$t" = mlg ] && [ "$r" = 1 ]; then
      FILESAME[$job]=yes
      mv "$out" "$DIR/out-mlg-$m.first"
    else
      rm -f "$out"
    fi
  done
  echo "# round $r of $ROUNDS done ($(cut -d' ' -f1-3 /proc/loadavg))" >&2
done
rm -f "$DIR"/out-mlg-*.first
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# median of the values in $1 (space-separated), then the index of that run
median() {
  echo "$1" | tr ' ' '\n' | awk 'NF { v[++n] = $1; i[n] = n }
    END { for (a = 1; a <= n; a++) for (b = a + 1; b <= n; b++)
            if (v[b] < v[a]) { t = v[a]; v[a] = v[b]; v[b] = t; t = i[a]; i[a] = i[b]; i[b] = t }
          k = int((n + 1) / 2); printf "%s %d\n", v[k], i[k] }'
}
declare -A MED
for job in "${JOBS[@]}"; do
  [ -n "${SECS[$job]:-}" ] || continue
  read -r MED[$job] idx < <(median "${SECS[$job]}")
  LOADS[$job]=$(echo "${LOADS[$job]}" | awk -v k="$idx" '{ print $k }')
done

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
echo "# bench_cli.sh  $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "# cpu: $cpu, $(nproc) cores; load average $LOAD_START at the start, $LOAD_END at the end"
echo "# mlg: $("$MLG" --version), commit $(git -C "$HERE" rev-parse --short HEAD 2>/dev/null || echo '?'), --threads $THREADS ${MLG_ROWS[*]}"
if [[ ",$TOOLS," == *,duckdb* ]]; then
  echo "# duckdb: $(node -e "console.log(require('$HERE/bench/duckdb/node_modules/@duckdb/node-api/package.json').version)") (@duckdb/node-api), node $(node --version), $THREADS threads"
fi
if [[ ",$TOOLS," == *,mlr,* ]]; then echo "# $(mlr --version)"; fi
echo "# file: $CSV ($ROWS rows, $BYTES bytes), preset $PRESET${STUDENTS:+, $STUDENTS students}, in the page cache"
echo "# rounds: $ROUNDS (A B A B; mlr: $MLR_ROUNDS); seconds = median wall time; load = 1-min load average before that run"
echo "# same = values equal mlg's to its printed precision (mlg: output bytes equal) on the ${CHECK_STUDENTS}-student"
echo "#        check file / on this file (first round); - = not checked"
printf "%-8s %-17s %-7s %9s %13s %9s %9s %6s %9s %9s\n" \
  tool method same seconds rows_per_s MB_per_s peak_MB load vs_wc vs_mlg
for job in "${JOBS[@]}"; do
  [ -n "${MED[$job]:-}" ] || continue
  t="${job%%:*}" m="${job#*:}"
  ref="${MED[mlg:$m]:-}"
  awk -v t="$t" -v m="$m" -v same="${SAME[$job]:--}/${FILESAME[$job]:--}" -v s="${MED[$job]}" -v kb="${KB[$job]}" \
      -v load="${LOADS[$job]}" -v rows="$ROWS" -v bytes="$BYTES" -v w="${MED[wc:-]:-}" -v g="$ref" 'BEGIN {
    if (s <= 0) s = 0.001
    vw = (w != "" && w > 0) ? sprintf("%.2f", s / w) : "-"
    vg = (g != "" && g > 0) ? sprintf("%.2f", s / g) : "-"
    printf "%-8s %-17s %-7s %9.3f %13.0f %9.1f %9.1f %6.2f %9s %9s\n",
           t, m, same, s, rows / s, bytes / s / 1e6, kb / 1024, load, vw, vg }'
done
for m in "${!PAREQ[@]}"; do
  echo "# mlg --no-parallel output vs the default ($m): ${PAREQ[$m]}"
done
declare -A QMED
for job in "${JOBS[@]}"; do
  [ -n "${QSECS[$job]:-}" ] || continue
  read -r q _ < <(median "${QSECS[$job]}")
  QMED[$job]=$q
  echo "# $job: the query alone (without starting node and DuckDB): median $q s"
done
# Summary per target.
for m in "${METHOD_LIST[@]}"; do
  for d in duckdb duckdbx; do
    [ -n "${MED[$d:$m]:-}" ] || continue
    for g in mlg mlg1; do
      [ -n "${MED[$g:$m]:-}" ] || continue
      awk -v d="$d" -v g="$g" -v m="$m" -v ds="${MED[$d:$m]}" -v gs="${MED[$g:$m]}" \
          -v qs="${QMED[$d:$m]:-}" -v same="${SAME[$d:$m]:--}${FILESAME[$d:$m]:--}" 'BEGIN {
        r = ds / gs
        q = qs != "" ? sprintf(" (query alone: %.2fx)", qs / gs) : ""
        printf "# target >= 5x DuckDB: %-16s %-7s / %-6s = %5.2fx  %s%s%s\n", m, d, g, r,
               (r >= 5 ? "met" : "NOT met"), q, (same ~ /NO/ ? " (DuckDB output differs from mlg)" : "") }'
    done
  done
done
if [ -n "${MED[wc:-]:-}" ]; then
  for g in mlg mlg1; do
    for m in "${METHOD_LIST[@]}"; do
      [ -n "${MED[$g:$m]:-}" ] || continue
      awk -v g="$g" -v m="$m" -v gs="${MED[$g:$m]}" -v w="${MED[wc:-]}" 'BEGIN {
        if (w <= 0) w = 0.001; r = gs / w
        printf "# target <= 3x wc -l:    %-16s %-6s / wc -l = %6.2fx  %s\n", m, g, r, (r <= 3 ? "met" : "NOT met") }'
    done
  done
fi
if [ -n "${MED[mlr:mean]:-}" ] && [ -n "${MED[mlg:mean]:-}" ]; then
  awk -v l="${MED[mlr:mean]}" -v g="${MED[mlg:mean]}" 'BEGIN { printf "# Miller / mlg (mean) = %.1fx\n", l / g }'
fi
bad=0
for job in "${JOBS[@]}"; do
  t="${job%%:*}"
  case "$t:${SAME[$job]:-}:${FILESAME[$job]:-}" in mlg*:NO:*|mlg*:*:NO) bad=1 ;; esac
done
for m in "${!PAREQ[@]}"; do [ "${PAREQ[$m]}" = identical ] || bad=1; done
exit "$bad"
