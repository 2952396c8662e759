#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""perf_breakdown.py -- where `mlg compute` spends its time, by stage.

Reads the text of `perf script -F comm,tid,period,ip,sym,dso --inline` for a
`perf record --call-graph dwarf` of `mlg compute` (bench/profile_cli.sh runs
both) and sorts every sample into one stage of the command, by the innermost
frame of the call chain (inlined frames included) that belongs to a known
function of the reader, the engine or the writer:

  scan       records and fields: csv.c (csv_next, next_plain, the general path, memchr for
             newlines, quotes and commas, refill) and read_long_csv's loop
  read(2)    the kernel copying the input from the page cache (fread)
  date       parse_date
  number     parse_double
  id lookup  strtab (hash, compare, strtab_find's cache), find_target, the one-entry caches'
             memcmp in take/accept_row
  row        take's and accept_row's own checks and the row append
  grouping   group_student(), engine_process(): order check, duplicates, the CSR arrays
  kernels    every frame in libmlg (mlg_batch_compute, its threads)
  format     the writer: marks.c (on_student, write_mark, the text caches), text_*/out_*
  write(2)   the kernel copying the output into the page cache (fwrite)
  other      start-up, exit, page faults outside the above, unknown

Prints a table: stage, samples, share of all samples (CPU time of every
thread), and the top symbols of each stage.

  perf script -i perf.data -F comm,tid,period,ip,sym,dso --inline | \\
      python3 bench/perf_breakdown.py
"""
import collections
import re
import sys

STAGE_OF = {}
for names, stage in [
    (["csv_next", "next_plain", "next_general", "split_simple", "split_quoted", "scan_quoted",
      "count_nl", "refill", "skip_huge", "csv_open", "csv_restart", "read_long_csv",
      "engine_read_csv"], "scan"),
    (["parse_date", "days_from_civil", "is_leap"], "date"),
    (["parse_double"], "number"),
    (["strtab_get", "strtab_find", "find_slow", "strtab_intern", "strtab_put", "grow", "keyeq",
      "hash", "find_target", "engine_find_target", "engine_target_id_raw", "strtab_bytes_eq"],
     "id lookup"),
    (["take", "engine_take", "accept_row", "engine_accept", "parse_status", "engine_reject"],
     "row"),
    (["process", "engine_process", "engine_group", "group_student", "drop_duplicate",
      "drop_duplicates", "dup_effects", "fill_cols", "grow_groups", "grow_cols", "ev_sort",
      "ev_less", "finish", "engine_finish"], "grouping"),
    (["on_student", "marks_on_student", "write_mark", "level_piece", "flags_piece", "node_piece",
      "memo_target", "memo_keep", "tbuf_room", "text_num", "text_i64", "text_csv",
      "text_json_str", "out_reserve_slow", "out_num", "out_str", "out_mem", "out_ch",
      "out_i64", "out_csv", "out_flush", "needs_neutralising", "day_to_iso", "flags_text",
      "level_label", "engine_level_label", "engine_target_id", "engine_student_id"],
     "format"),
]:
    for n in names:
        STAGE_OF[n] = stage

ORDER = ["scan", "read(2)", "date", "number", "id lookup", "row", "grouping", "kernels",
         "format", "write(2)", "other"]
COMPARE = {"__memcmp_evex_movbe", "memcmp", "bcmp", "__memcmp_avx2_movbe", "__strncmp_evex",
           "strncmp", "__strncmp_avx2", "__memcmp_sse4_1"}
FRAME = re.compile(r"^\s+([0-9a-f]+)\s+(.*?)\s+\((.*)\)\s*$")


def classify(frames):
    """frames: innermost first, each (sym, dso)."""
    syms = [s for s, _ in frames]
    if any(s in ("ksys_write", "__GI___libc_write", "__libc_write") for s in syms):
        return "write(2)"
    if any(s in ("ksys_read", "__GI___libc_read", "__libc_read") for s in syms):
        return "read(2)"
    for s, dso in frames:
        if "libmlg" in dso:
            return "kernels"
    for i, (s, _) in enumerate(frames):
        base = s.split(".")[0]
        if base in STAGE_OF:
            st = STAGE_OF[base]
            # The one-entry caches: take() compares the target id, accept_row()
            # the student id, with memcmp before any table lookup.
            if st == "row" and i > 0 and frames[0][0] in COMPARE:
                return "id lookup"
            return st
    return "other"


def main():
    count = collections.Counter()
    tops = collections.defaultdict(collections.Counter)
    frames, total, in_sample = [], 0, False

    def flush():
        nonlocal total
        if not frames:
            return
        st = classify(frames)
        count[st] += 1
        total += 1
        tops[st][frames[0][0]] += 1

    for line in sys.stdin:
        if not line.strip():
            flush()
            frames = []
            in_sample = False
            continue
        m = FRAME.match(line)
        if m:
            frames.append((m.group(2), m.group(3)))
        else:
            flush()
            frames = []
            in_sample = True
    flush()
    if not total:
        print("perf_breakdown: no samples", file=sys.stderr)
        return 1
    print(f"{'stage':<10} {'samples':>8} {'share':>7}  top innermost symbols")
    for st in ORDER:
        n = count.get(st, 0)
        top = ", ".join(f"{s} {100.0 * k / total:.1f}%" for s, k in tops[st].most_common(4))
        print(f"{st:<10} {n:>8} {100.0 * n / total:>6.1f}%  {top}")
    print(f"{'total':<10} {total:>8} {100.0:>6.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
