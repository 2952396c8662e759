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

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))          # bindings/python
import mlg  # noqa: E402

METHODS = ["mean", "decaying_average", "power_law"]


def running_values(scores, days, method):
    """The method's value after each piece of evidence: prefix i of the
    series is group i of one batch (k(k+1)/2 rows for k pieces)."""
    k = len(scores)
    idx = np.concatenate([np.arange(i + 1) for i in range(k)])
    offsets = np.concatenate([[0], np.cumsum(np.arange(1, k + 1))])
    return mlg.proficiency_batch(offsets, scores[idx], days[idx],
                                 method=method)


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

    # 4. One student's target over time.
    s = df[df.student_id == args.student].copy()
    if s.empty:
        raise SystemExit("no student %r in %s" % (args.student, args.csv))
    target = args.target or s.target_id.iloc[0]
    s = s[(s.target_id == target) & (s.status.fillna("counted") == "counted")
          if "status" in s else (s.target_id == target)]
    s["day"] = pd.to_datetime(s.assessed_at)
    s = s.sort_values("day", kind="stable")
    scores = s.score.to_numpy(dtype=np.float64)
    days = ((s.day - pd.Timestamp("1970-01-01")).dt.days
            .to_numpy(dtype=np.int32))
    print("\n%s, %s: evidence and each method's value after it" %
          (args.student, target))
    table = pd.DataFrame({"date": s.assessed_at.to_numpy(), "score": scores})
    for m in METHODS:
        table[m] = running_values(scores, days, m)
    print(table.round(3).to_string(index=False))
    final = {m: mlg.result(scores, m, days=days.tolist()) for m in METHODS}
    print("current level: " + ", ".join("%s %s (%.3f)" % (m, r.label, r.value)
                                        for m, r in final.items()))

    if args.plot:
        try:
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            print("matplotlib is not installed: no plot")
            return 0
        fig, ax = plt.subplots(figsize=(7, 4))
        ax.scatter(s.day, scores, color="black", zorder=3, label="evidence")
        for m in METHODS:
            ax.step(s.day, table[m], where="post", label=m)
        ax.set_ylim(0.8, 4.2)
        ax.set_yticks([1, 2, 3, 4])
        ax.set_ylabel("score / proficiency")
        ax.set_title("%s, %s" % (args.student, target))
        ax.legend(loc="lower right")
        fig.autofmt_xdate()
        fig.tight_layout()
        fig.savefig(args.plot, dpi=100)
        print("plot written to %s" % args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
