# SPDX-License-Identifier: GPL-3.0-or-later
"""Research walk-through (docs/python.md): does a student's mark depend on
the proficiency method?

    /usr/bin/python3 bindings/python/examples/walkthrough.py \
        [gradebook.csv] [--student zoey] [--plot evidence.png]

1. load a gradebook CSV (one row per piece of evidence);
2. compute mean, decaying average and power law for every student x target
   in one call (mlg.compare) and list where the level depends on the method;
3. summarise per student;
4. follow one student's learning target over time: each method's value
   after every piece of evidence, plotted with matplotlib if it is
   installed (the numbers are printed either way).
"""
import argparse
import os
import sys

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))          # bindings/python
import mlg  # noqa: E402

METHODS = ["mean", "decaying_average", "power_law"]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("csv", nargs="?", default=os.path.join(
        os.path.dirname(HERE), "tests", "data", "gradebook.csv"))
    ap.add_argument("--student", default="zoey")
    ap.add_argument("--target", default=None)
    ap.add_argument("--plot", default=None, help="write a PNG here")
    args = ap.parse_args(argv)

    # 1. Load.  assessed_at is an ISO date; weight and status are optional.
    df = pd.read_csv(args.csv)
    print("%d evidence rows, %d students, %d targets"
          % (len(df), df.student_id.nunique(), df.target_id.nunique()))

    # 2. Three methods in one pass over the evidence.
    c = mlg.compare(df, methods=METHODS)
    print("\nHow often each pair of methods gives a different level:")
    print(c.summary[["method_a", "method_b", "n_disagree", "rate",
                     "mean_abs_diff"]].to_string(index=False))
    flagged = c.table[c.table.depends_on_method]
    print("\n%d of %d student-targets change level with the method, e.g.:"
          % (len(flagged), len(c.table)))
    cols = ["student_id", "target_id"] + ["level_" + m for m in METHODS]
    print(flagged[cols].head(8).to_string(index=False))

    # 3. Per student: mean value over targets, and targets that flip.
    per_student = c.table.groupby("student_id", sort=False).agg(
        **{m: ("value_" + m, "mean") for m in METHODS},
        flips=("depends_on_method", "sum"))
    print("\nPer student (mean value over targets; targets that flip):")
    print(per_student.round(2).head(10).to_string())

    # 4. One student's target over time: each method's value after every
    # piece of evidence (Comparison.series), and its picture.
    mine = c.table[c.table.student_id == args.student]
    if mine.empty:
        raise SystemExit("no student %r in %s" % (args.student, args.csv))
    target = args.target or mine.target_id.iloc[0]
    table = c.series(args.student, target)
    print("\n%s, %s: evidence and each method's value after it" %
          (args.student, target))
    table["date"] = table.date.dt.strftime("%Y-%m-%d")
    print(table.drop(columns="status").round(3).to_string(index=False))
    last = mine[mine.target_id == target].iloc[0]
    print("current level: " + ", ".join(
        "%s %s (%.3f)" % (m, last["level_" + m], last["value_" + m])
        for m in METHODS))

    if args.plot:
        try:
            fig = c.plot(student_id=args.student, target_id=target)
        except ImportError:
            print("matplotlib is not installed: no plot")
            return 0
        fig.savefig(args.plot, dpi=100)
        print("plot written to %s" % args.plot)
    return 0

if __name__ == "__main__":
    sys.exit(main())
