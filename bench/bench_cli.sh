#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench_cli.sh -- time `mlg compute` on a synthetic district CSV against
# Miller (mlr stats1 mean per student and target) and `wc -l` on the same
# file, and report the ratios and the peak memory of each (/usr/bin/time).
#
#   bench/bench_cli.sh [--mlg PATH] [--preset NAME] [--students N]
#                      [--dir DIR] [--no-mlr] [--threads N] [--keep]
#
# Default: preset lausd-period (408,000 students x 60 targets, ~70 M rows,
# ~2 GB), generated once with `mlg generate` into --dir (default
# /tmp/mlg-bench) and kept for later runs.  --students N runs a smaller
# district of the same shape (e.g. --students 30000 is ~5 M rows).  The file
# is read once beforehand so every tool sees it in the page cache.
# Targets (issue 6): mlg >= 20x faster than Miller, within 3x of wc -l.
set -euo pipefail
MLG="" PRESET="lausd-period" STUDENTS="" DIR="/tmp/mlg-bench" RUN_MLR=1 THREADS=0 KEEP=1
while [ $# -gt 0 ]; do
  case "$1" in
    --mlg) MLG="$2"; shift 2 ;;
    --preset) PRESET="$2"; shift 2 ;;
    --students|--rows) STUDENTS="$2"; shift 2 ;;
    --dir) DIR="$2"; shift 2 ;;
    --no-mlr) RUN_MLR=0; shift ;;
    --threads) THREADS="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
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
command -v /usr/bin/time >/dev/null || { echo "bench_cli.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
mkdir -p "$DIR"
TAG="$PRESET${STUDENTS:+-$STUDENTS}"
CSV="$DIR/evidence-$TAG.csv"
if [ ! -s "$CSV" ]; then
  echo "# generating $CSV" >&2
  "$MLG" generate --preset "$PRESET" ${STUDENTS:+--students "$STUDENTS"} -o "$CSV.tmp"
  mv "$CSV.tmp" "$CSV"
fi
cat "$CSV" > /dev/null   # page cache
ROWS=$(( $(wc -l < "$CSV") - 1 ))
BYTES=$(stat -c %s "$CSV")

# run NAME CMD...: best of 1 run, elapsed seconds and peak RSS (KB)
declare -A SEC RSS
run() {
  local name="$1"; shift
  local t; t=$(mktemp)
  /usr/bin/time -f "%e %M" -o "$t" "$@" > /dev/null 2> "$DIR/$name.stderr" || {
    echo "bench_cli.sh: $name failed:" >&2; cat "$DIR/$name.stderr" >&2; exit 1; }
  read -r SEC[$name] RSS[$name] < "$t"
  rm -f "$t"
}
run wc wc -l "$CSV"
# --duplicates keep: every generated row is used, as Miller uses every row
# (mlg generate repeats some rows on purpose; the default skips them)
run mlg "$MLG" compute "$CSV" --no-progress --duplicates keep --threads "$THREADS"
if [ "$RUN_MLR" = 1 ]; then
  command -v mlr >/dev/null || { echo "bench_cli.sh: mlr not found (apt-get install miller) or use --no-mlr" >&2; exit 2; }
  run mlr mlr --icsv --ocsv stats1 -a mean -f score -g student_id,target_id "$CSV"
fi

echo "# bench_cli.sh  $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
echo "# mlg: $("$MLG" --version), commit $(git -C "$HERE" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "# file: $CSV ($ROWS rows, $BYTES bytes), preset $PRESET${STUDENTS:+, $STUDENTS students}"
echo "# $(tail -1 "$DIR/mlg.stderr")"
printf "%-6s %10s %14s %10s %14s\n" tool seconds rows_per_s peak_MB "vs_mlg"
for n in wc mlg mlr; do
  [ -n "${SEC[$n]:-}" ] || continue
  s=${SEC[$n]}; m=${RSS[$n]}
  awk -v n="$n" -v s="$s" -v m="$m" -v r="$ROWS" -v g="${SEC[mlg]}" 'BEGIN {
    if (s <= 0) s = 0.005;
    printf "%-6s %10.2f %14.0f %10.1f %13.2fx\n", n, s, r / s, m / 1024, s / (g > 0 ? g : 0.005) }'
done
awk -v w="${SEC[wc]}" -v g="${SEC[mlg]}" -v l="${SEC[mlr]:-0}" 'BEGIN {
  if (w <= 0) w = 0.005;
  printf "# mlg / wc -l = %.2f (target <= 3)\n", g / w;
  if (l > 0) printf "# mlr / mlg    = %.1f (target >= 20)\n", l / g }'
