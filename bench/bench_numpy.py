#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bench_numpy.py -- the Python baselines of bench_batch (optional).

Run by bench_batch (which dumps a subset of the generated district as raw
little-endian arrays: offsets.i64, day.i32, score.f64) or by hand:

    /usr/bin/python3 bench/bench_numpy.py --dir DIR --scale-rows 210348914

Prints one line per baseline, whitespace separated:
    kind name rows seconds scaled_seconds
where `seconds` is the best of a few rounds on the subset and
`scaled_seconds` that time scaled linearly to --scale-rows rows (the full
preset).  Baselines:
  numpy  mean_reduceat         np.add.reduceat over the CSR offsets / counts
  pandas mean_groupby          DataFrame.groupby(group).score.mean()
  pandas decaying_apply        groupby(group).score.apply(python recursion),
                               on the first --apply-groups groups only
None of them validates the data (NaN, scale, day order) as libmlg does, and
none maps values to levels, so they are lower bounds for a real pipeline.
Needs numpy and pandas (Debian: python3-numpy, python3-pandas); exits 0
with a note on stderr when they are missing.
"""
import argparse
import os
import sys
import time


def best_of(fn, rounds):
    best = float("inf")
    out = None
    for _ in range(rounds):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", required=True)
    ap.add_argument("--scale-rows", type=int, default=0)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--apply-groups", type=int, default=20000)
    ap.add_argument("--weight", type=float, default=0.65)
    a = ap.parse_args()
    try:
        import numpy as np
        import pandas as pd
    except ImportError as e:  # optional baseline
        print("bench_numpy.py: skipped (%s)" % e, file=sys.stderr)
        return 0

    off = np.fromfile(os.path.join(a.dir, "offsets.i64"), dtype="<i8")
    score = np.fromfile(os.path.join(a.dir, "score.f64"), dtype="<f8")
    n_rows = int(off[-1])
    ng = len(off) - 1
    scale = (a.scale_rows / n_rows) if a.scale_rows and n_rows else 1.0
    counts = np.diff(off)
    nonempty = counts > 0

    def numpy_mean():
        out = np.full(ng, np.nan)
        sums = np.add.reduceat(score, off[:-1][nonempty])
        out[nonempty] = sums / counts[nonempty]
        return out

    t, _ = best_of(numpy_mean, a.rounds)
    print("numpy mean_reduceat %d %.6f %.6f" % (n_rows, t, t * scale))
    sys.stdout.flush()

    group = np.repeat(np.arange(ng, dtype=np.int64), counts)
    df = pd.DataFrame({"group": group, "score": score})

    def pandas_mean():
        return df.groupby("group", sort=False)["score"].mean()

    t, _ = best_of(pandas_mean, a.rounds)
    print("pandas mean_groupby %d %.6f %.6f" % (n_rows, t, t * scale))
    sys.stdout.flush()

    # The obvious per-series Python: groupby().apply of the recursion
    # v1 = s1, vk = w*sk + (1-w)*v(k-1), on a smaller subset.
    g_apply = min(ng, a.apply_groups)
    r_apply = int(off[g_apply])
    sub = df.iloc[:r_apply]
    w = a.weight

    def decay(s):
        v = None
        for x in s.to_numpy():
            v = x if v is None else w * x + (1.0 - w) * v
        return v

    def pandas_apply():
        return sub.groupby("group", sort=False)["score"].apply(decay)

    t, _ = best_of(pandas_apply, 1)
    sc = (a.scale_rows / r_apply) if a.scale_rows and r_apply else 1.0
    print("pandas decaying_apply %d %.6f %.6f" % (r_apply, t, t * sc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
