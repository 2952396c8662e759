#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Run the libFuzzer harnesses of tests/fuzz (docs/security.md).
#
#   tests/fuzz/run.sh [--seconds N] [--build DIR] [--pending] [NAME ...]
#
# Builds DIR (default build-fuzz) with clang and -DMLG_FUZZ=ON, then runs each
# harness NAME (default: all eight) for N seconds (default 30), one after the
# other, on a scratch corpus seeded from tests/fuzz/corpus/NAME; the checked-in
# corpus is never modified.  New inputs stay in DIR/fuzz-work/NAME; a crash or
# oracle failure is saved as DIR/fuzz-work/crash-NAME-* and the script exits 1
# after naming it.  --pending also checks the findings fixed on other branches
# (MLG_FUZZ_PENDING=1, see docs/security.md).  CI runs 20 s each; the
# documented long run is `tests/fuzz/run.sh --seconds 3600`.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH=30
BUILD=build-fuzz
NAMES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_EACH="$2"; shift 2 ;;
    --build) BUILD="$2"; shift 2 ;;
    --pending) export MLG_FUZZ_PENDING=1; shift ;;
    -h|--help) sed -n '3,15p' "$0"; exit 0 ;;
    *) NAMES+=("$1"); shift ;;
  esac
done
if [ ${#NAMES[@]} -eq 0 ]; then
  NAMES=(cli_csv cli_oneroster catalogue_csv catalogue_case params series batch rollup)
fi
CC=clang cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMLG_FUZZ=ON \
      -DMLG_BUILD_BENCH=OFF >/dev/null
cmake --build "$BUILD" -j"$(nproc 2>/dev/null || echo 2)" --target fuzz >/dev/null
WORK="$BUILD/fuzz-work"
mkdir -p "$WORK"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
declare -A DICT=([cli_csv]=csv [catalogue_csv]=catalogue [catalogue_case]=case
                 [cli_oneroster]=oneroster [params]=params)
status=0
for n in "${NAMES[@]}"; do
  bin="$BUILD/tests/fuzz/fuzz_$n"
  [ -x "$bin" ] || { echo "run.sh: no harness $bin" >&2; exit 2; }
  mkdir -p "$WORK/$n"
  # fuzz_batch starts threads on every input, and ASan's per-thread state
  # grows the process (about 2 GB after 45 minutes): more room for it.
  rss=2048; [ "$n" = batch ] && rss=4096
  args=(-max_total_time="$SECONDS_EACH" -timeout=20 -rss_limit_mb="$rss"
        -close_fd_mask=3 -print_final_stats=1 -artifact_prefix="$WORK/crash-$n-")
  if [ -n "${DICT[$n]:-}" ]; then args+=(-dict="tests/fuzz/dict/${DICT[$n]}.dict"); fi
  log="$WORK/$n.log"
  if "$bin" "${args[@]}" "$WORK/$n" "tests/fuzz/corpus/$n" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    echo "fuzz $n: ${runs:-?} runs in ${SECONDS_EACH}s, no failure"
  else
    status=1
    echo "fuzz $n: FAILED; log $log" >&2
    grep -E "oracle failed|ERROR: |runtime error|Test unit written" "$log" | head -5 >&2 || true
  fi
done
exit $status
