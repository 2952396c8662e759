#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bench_python.py -- cost of the Python binding over libmlg.

Two side-by-side measurements (docs/python.md records the results):

1. mlg.proficiency_batch() on N rows (default 10M) against the C batch
   itself: the same mlg_batch_compute() called through a bare ctypes
   function pointer with every argument prepared in advance (outputs
   preallocated, parameters filled), so that row times only the C call.
   The binding's row adds what a user pays: argument checks and dtype
   checks (no copies when the arrays are already int64/float64/int32),
   parameter parsing, output allocation and the result wrapping.
   ratio = binding / C; the issue's target is <= 1.05.  The out= column
   reuses preallocated outputs as the C row does (no fresh pages to fault
   in), isolating the binding's own overhead.

2. mlg.compute() on an N-row DataFrame (student_id int64, target_id
   strings, assessed_at datetime64, score) against pandas
   groupby().apply() with a Python loop computing the same decaying
   average per (student, target).  The pandas baseline is timed once on
   the first --subset rows (default 2M, about 7 s) and scaled linearly to
   N rows (--subset 0 times all N rows: about 30 s at 10M); its results are
   checked against mlg's on those rows.  Its cost per group grows a little
   with the frame's size (24 us at 200k rows, 28 us at 1M on the build
   machine), so a small subset flatters mlg less, not more.
   ratio = pandas (scaled) / mlg; target >= 100.

Data are synthetic and seeded (--seed, default 20240903): groups of 1..19
rows (mean 10), days increasing within a group, scores 1..4 in half points.

    MLG_LIBRARY=build/libmlg.so.0 /usr/bin/python3 bench/bench_python.py
    /usr/bin/python3 bench/bench_python.py --rows 1000000 --rounds 3
"""
import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import mlg  # noqa: E402
from mlg import _native  # noqa: E402
from ctypes import POINTER, byref, c_double, c_int32, c_int64  # noqa: E402


def make_data(n_rows, seed):
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 20, size=n_rows // 5 + 10)
    cum = np.cumsum(sizes)
    n_groups = int(np.searchsorted(cum, n_rows)) + 1
    sizes = sizes[:n_groups].copy()
    sizes[-1] -= int(cum[n_groups - 1]) - n_rows
    offsets = np.zeros(n_groups + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    assert offsets[-1] == n_rows and (sizes >= 1).all()
    gaps = rng.integers(1, 8, size=n_rows).astype(np.int64)
    c = np.cumsum(gaps)
    starts = np.repeat(c[offsets[:-1]] - gaps[offsets[:-1]], sizes)
    days = (19967 + c - starts).astype(np.int32)   # from 2024-09-01
    scores = rng.integers(2, 9, size=n_rows).astype(np.float64) / 2
    return offsets, days, scores


def timeit(fn, rounds):
    ts = []
    out = None
    for _ in range(rounds):
        t0 = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t0)
    return min(ts), statistics.median(ts), out


def header(args):
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for ln in f:
                if ln.startswith("model name"):
                    cpu = ln.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short",
                                 "HEAD"], capture_output=True, text=True,
                                check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    print("# bench_python.py  %s" % datetime.datetime.now(
        datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    print("# cpu: %s, %d cores; python %s, numpy %s, pandas %s"
          % (cpu, os.cpu_count(), platform.python_version(), np.__version__,
             pd.__version__))
    print("# libmlg %s from %s; commit %s" % (mlg.version(),
                                              mlg.library_path(), commit))
    print("# rows %d, seed %d, rounds %d (best and median seconds)"
          % (args.rows, args.seed, args.rounds))


def bench_batch(args, offsets, days, scores):
    print("\n## 1. proficiency_batch vs the C batch (mlg_batch_compute "
          "via bare ctypes)")
    print("method\tthreads\tgroups\trows\tC best\tC median\tpy best\t"
          "py median\tratio(best)\tout= best\tratio(out=)\trows/s(py)\t"
          "max|diff|")
    fn = _native.function("mlg_batch_compute")
    n_groups = offsets.shape[0] - 1
    values = np.empty(n_groups)
    levels = np.empty(n_groups, dtype=np.int32)
    counts = np.empty(n_groups, dtype=np.int32)
    err = _native.ErrInfo()
    po = offsets.ctypes.data_as(POINTER(c_int64))
    pd_ = days.ctypes.data_as(POINTER(c_int32))
    ps = scores.ctypes.data_as(POINTER(c_double))
    pv = values.ctypes.data_as(POINTER(c_double))
    pl = levels.ctypes.data_as(POINTER(c_int32))
    pc = counts.ctypes.data_as(POINTER(c_int32))
    ratios = []
    for method in args.methods:
        p = mlg.params(method)
        for threads in args.threads:
            def c_call():
                rc = fn(n_groups, po, pd_, ps, None, None, None, byref(p),
                        threads, pv, pl, pc, byref(err))
                assert rc == 0, rc

            def py_call():
                return mlg.proficiency_batch(offsets, scores, days,
                                             method=method, threads=threads,
                                             levels=True, counts=True)
            bufs = mlg.Batch(np.empty(n_groups),
                             np.empty(n_groups, dtype=np.int32),
                             np.empty(n_groups, dtype=np.int32))

            def py_out():
                return mlg.proficiency_batch(offsets, scores, days,
                                             method=method, threads=threads,
                                             out=bufs)
            c_call()       # warm up (page in, thread start-up)
            py_call()
            py_out()
            # Interleave the three so drift affects all alike.
            cb, pb, ob = [], [], []
            for _ in range(args.rounds):
                b, _, _ = timeit(c_call, 1)
                cb.append(b)
                b, _, out = timeit(py_call, 1)
                pb.append(b)
                b, _, _ = timeit(py_out, 1)
                ob.append(b)
            assert np.array_equal(bufs.levels, levels)
            diff = float(np.nanmax(np.abs(out.values - values))) \
                if n_groups else 0.0
            same_na = bool((np.isnan(out.values) == np.isnan(values)).all())
            assert same_na and (out.levels == levels).all()
            r = min(pb) / min(cb)
            ratios.append(r)
            print("%s\t%d\t%d\t%d\t%.4f\t%.4f\t%.4f\t%.4f\t%.3f\t%.4f\t"
                  "%.3f\t%.3g\t%.3g"
                  % (method, threads, n_groups, offsets[-1], min(cb),
                     statistics.median(cb), min(pb), statistics.median(pb),
                     r, min(ob), min(ob) / min(cb), offsets[-1] / min(pb),
                     diff))
    return ratios


def frame(offsets, days, scores, n_targets=20):
    n_groups = offsets.shape[0] - 1
    sizes = np.diff(offsets)
    g = np.repeat(np.arange(n_groups, dtype=np.int64), sizes)
    names = np.array(["3.OA.A.%d" % (k + 1) for k in range(n_targets)],
                     dtype=object)
    return pd.DataFrame({
        "student_id": g // n_targets,
        "target_id": names[g % n_targets],
        "assessed_at": days.astype("datetime64[D]").astype("datetime64[ns]"),
        "score": scores,
    })


def py_decay(g, d=0.65):
    """The decaying average written straight from its definition
    (methods-in-the-field.md): v1 = s1, vk = d*sk + (1-d)*v(k-1)."""
    v = None
    for s in g["score"].to_numpy():
        v = s if v is None else d * s + (1 - d) * v
    return v


def pandas_baseline(df):
    srt = df.sort_values(["student_id", "target_id", "assessed_at"],
                         kind="stable")
    return srt.groupby(["student_id", "target_id"], sort=False).apply(
        py_decay)


def bench_compute(args, offsets, days, scores):
    print("\n## 2. mlg.compute vs pandas groupby().apply with a Python loop "
          "(decaying_average)")
    df = frame(offsets, days, scores)
    n = len(df)
    print("candidate\trows\tbest s\tmedian s\trows/s")
    rows = {}
    b, m, out = timeit(lambda: mlg.compute(df, method="decaying_average"),
                       args.rounds)
    rows["mlg.compute (sorted input)"] = b
    print("mlg.compute (sorted input)\t%d\t%.3f\t%.3f\t%.3g"
          % (n, b, m, n / b))
    cat = df.assign(target_id=df.target_id.astype("category"))
    b3, m3, _ = timeit(lambda: mlg.compute(cat, method="decaying_average"),
                       args.rounds)
    rows["mlg.compute (sorted, categorical target_id)"] = b3
    print("mlg.compute (sorted, categorical target_id)\t%d\t%.3f\t%.3f\t%.3g"
          % (n, b3, m3, n / b3))
    shuffled = df.sample(frac=1.0, random_state=args.seed)
    b2, m2, out2 = timeit(
        lambda: mlg.compute(shuffled, method="decaying_average"),
        max(1, args.rounds // 2))
    rows["mlg.compute (shuffled input)"] = b2
    print("mlg.compute (shuffled input)\t%d\t%.3f\t%.3f\t%.3g"
          % (n, b2, m2, n / b2))
    key = ["student_id", "target_id"]
    a = out.sort_values(key).reset_index(drop=True)
    c = out2.sort_values(key).reset_index(drop=True)
    assert np.array_equal(a.value.to_numpy(), c.value.to_numpy())

    # pandas on a prefix of whole groups, scaled to n rows.
    subset = args.subset if 0 < args.subset < n else n
    sub_groups = int(np.searchsorted(offsets, subset))
    sub_rows = int(offsets[sub_groups])
    sub = df.iloc[:sub_rows]
    tb, tm, base = timeit(lambda: pandas_baseline(sub), 1)
    scaled = tb * n / sub_rows
    print("pandas groupby.apply (python loop)\t%d\t%.3f\t%.3f\t%.3g"
          % (sub_rows, tb, tm, sub_rows / tb))
    print("pandas, scaled to %d rows\t%d\t%.1f\t-\t-" % (n, n, scaled))
    mine = mlg.compute(sub, method="decaying_average")
    both = mine.merge(base.rename("pandas").reset_index(),
                      on=["student_id", "target_id"], validate="1:1")
    assert len(both) == len(base) == len(mine)
    diff = float(np.max(np.abs(both.value - both.pandas)))
    print("# max |mlg - pandas| on the subset: %.3g (%d groups)"
          % (diff, len(base)))
    assert diff < 1e-9
    return scaled / b, scaled / b3, scaled / b2


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--seed", type=int, default=20240903)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--subset", type=int, default=2_000_000,
                    help="rows for the pandas baseline, scaled up to --rows "
                         "(0 = all rows)")
    ap.add_argument("--methods", default="decaying_average,power_law")
    ap.add_argument("--threads", default="1,0")
    ap.add_argument("--skip-compute", action="store_true")
    args = ap.parse_args(argv)
    args.methods = args.methods.split(",")
    args.threads = [int(t) for t in args.threads.split(",")]
    header(args)
    offsets, days, scores = make_data(args.rows, args.seed)
    ratios = bench_batch(args, offsets, days, scores)
    print("\nproficiency_batch / C batch time: %s (target <= 1.05)"
          % ", ".join("%.3f" % r for r in ratios))
    if not args.skip_compute:
        r_sorted, r_cat, r_shuffled = bench_compute(args, offsets, days,
                                                    scores)
        print("pandas groupby.apply (scaled) / mlg.compute: %.0fx sorted "
              "input, %.0fx sorted with categorical target_id, %.0fx "
              "shuffled input (target >= 100x)"
              % (r_sorted, r_cat, r_shuffled))
    return 0


if __name__ == "__main__":
    sys.exit(main())
