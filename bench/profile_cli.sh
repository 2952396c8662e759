#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# profile_cli.sh -- where `mlg compute` spends its time: perf record with
# DWARF call chains on a generated district CSV, then the samples sorted into
# the command's stages (scan, read(2), date, number, id lookup, row,
# grouping, kernels, format, write(2), other) by bench/perf_breakdown.py, and
# the top symbols by self time.  Then a wall-clock ladder (--rounds rounds,
# default 3, A B A B, medians) that switches stages off one at a time:
#   wc -l                                   the file in the page cache
#   mlg ... --until 1900-01-01 -o /dev/null read, split, target id, date and
#                                           score parsed; every row skipped
#   mlg ... --kinds composite -o /dev/null  + student ids, grouping, kernels
#                                           (no catalogue: nothing written)
#   mlg ... -o /dev/null                    + formatting every target mark
#   mlg ... -o FILE                         + write(2) into the page cache
#
#   bench/profile_cli.sh [--mlg PATH] [--students N] [--method M]
#                        [--dir DIR] [--freq HZ] [--rounds N] [--no-perf]
#                        [--no-ladder] [-- EXTRA mlg ARGS]
#
# Default: the build-prof binary (the Release flags plus -g, so the code is
# the same as the measured one and inlined functions keep their names):
#   cmake -S . -B build-prof -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS=-g \
#         -DMLG_BUILD_TESTS=OFF && cmake --build build-prof --target mlg_cli
# --students 60000 of lausd-period (~10.4 M rows; the file bench_cli.sh
# generates, in the same --dir, default /tmp/mlg-bench), method mean, output
# to a file in --dir as bench_cli.sh does.  Needs perf (apt-get install
# linux-perf) and python3; perf_event_paranoid <= 2 is enough (user space
# and kernel samples of one's own process with the cpu-clock event).
set -euo pipefail
MLG="" STUDENTS=60000 METHOD=mean DIR=/tmp/mlg-bench FREQ=1999 PRESET=lausd-period
ROUNDS=3 PERF=1 LADDER=1
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --mlg) MLG="$2"; shift 2 ;;
    --students) STUDENTS="$2"; shift 2 ;;
    --method) METHOD="$2"; shift 2 ;;
    --dir) DIR="$2"; shift 2 ;;
    --freq) FREQ="$2"; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --no-perf) PERF=0; shift ;;
    --no-ladder) LADDER=0; shift ;;
    -h|--help) sed -n '4,32p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "profile_cli.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
HERE="$(cd "$(dirname "$0")/.." && pwd)"
if [ -z "$MLG" ]; then
  for c in "$HERE/build-prof/cli/mlg" "$HERE/build/cli/mlg"; do
    if [ -x "$c" ]; then MLG="$c"; break; fi
  done
fi
[ -x "$MLG" ] || { echo "profile_cli.sh: no mlg binary (see --help)" >&2; exit 2; }
[ "$PERF" = 0 ] || command -v perf >/dev/null || { echo "profile_cli.sh: needs perf (apt-get install linux-perf)" >&2; exit 2; }
# As bench_cli.sh: every row used where mlg has --duplicates.
MLG_HELP=$("$MLG" compute --help 2>&1 || true)
if [[ "$MLG_HELP" == *--duplicates* ]]; then EXTRA=(--duplicates keep "${EXTRA[@]}"); fi
mkdir -p "$DIR"
CSV="$DIR/evidence-$PRESET${STUDENTS:+-$STUDENTS}.csv"
if [ ! -s "$CSV" ]; then
  echo "# generating $CSV" >&2
  "$MLG" generate --preset "$PRESET" ${STUDENTS:+--students "$STUDENTS"} -o "$CSV.tmp" 2> /dev/null
  mv "$CSV.tmp" "$CSV"
fi
cat "$CSV" > /dev/null   # page cache
DATA="$DIR/perf-$METHOD.data"
OUT="$DIR/profile-out-$METHOD.csv"
echo "# profile_cli.sh  $(date -u +%Y-%m-%dT%H:%M:%SZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $("$MLG" --version) ($MLG), commit $(git -C "$HERE" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "# file: $CSV ($(stat -c %s "$CSV") bytes)"
if [ "$PERF" = 1 ]; then
  echo "# mlg compute FILE -m $METHOD ${EXTRA[*]} -o $OUT; perf -e cpu-clock -F $FREQ --call-graph dwarf"
  perf record -q -e cpu-clock -F "$FREQ" --call-graph dwarf,16384 -o "$DATA" -- \
    "$MLG" compute "$CSV" -m "$METHOD" --no-progress "${EXTRA[@]}" -o "$OUT" 2> "$DIR/profile.stderr" \
    || { cat "$DIR/profile.stderr" >&2; exit 1; }
  grep -v '^\[ perf' "$DIR/profile.stderr" | tail -1 | sed 's/^/# /'
  rm -f "$OUT"
  perf script -i "$DATA" -F comm,tid,period,ip,sym,dso --inline 2> /dev/null |
    python3 "$HERE/bench/perf_breakdown.py"
  echo "# top symbols by self time (all threads)"
  perf report -i "$DATA" --no-children --sort dso,sym --stdio -g none 2> /dev/null |
    grep -v '^#' | grep -v '^$' | head -25
fi
[ "$LADDER" = 1 ] || exit 0
STEPS=("wc -l" "--until 1900-01-01 -o /dev/null" "--kinds composite -o /dev/null" "-o /dev/null" "-o FILE")
declare -A SECS
for ((r = 1; r <= ROUNDS; r++)); do
  for k in "${!STEPS[@]}"; do
    st="${STEPS[$k]}"
    t0=$(date +%s%N)
    case "$st" in
      "wc -l") wc -l "$CSV" > /dev/null ;;
      "-o FILE") "$MLG" compute "$CSV" -m "$METHOD" --no-progress "${EXTRA[@]}" -o "$OUT" 2> /dev/null ;;
      *) # shellcheck disable=SC2086
         "$MLG" compute "$CSV" -m "$METHOD" --no-progress "${EXTRA[@]}" $st 2> /dev/null ;;
    esac
    t1=$(date +%s%N)
    SECS[$k]+="$(( (t1 - t0) / 1000000 )) "
    rm -f "$OUT"
  done
done
echo "# ladder: median of $ROUNDS wall times (ms), load average now $(cut -d' ' -f1-3 /proc/loadavg)"
full=$(echo "${SECS[4]}" | tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
prev=0
for k in "${!STEPS[@]}"; do
  med=$(echo "${SECS[$k]}" | tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  awk -v st="${STEPS[$k]}" -v m="$med" -v p="$prev" -v f="$full" -v k="$k" 'BEGIN {
    printf "%-36s %7d ms  %5.1f%% of the full run", st, m, 100 * m / f
    if (k > 1) printf "  (step %+d ms)", m - p
    printf "\n" }'
  prev=$med
done
