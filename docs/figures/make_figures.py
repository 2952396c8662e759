#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Make the figures of docs/python.md from the shipped sample data.

    PYTHONPATH=bindings/python /usr/bin/python3 docs/figures/make_figures.py

zoey_methods.png         BUL-2332.7 Attachment A: Zoey's 1, 2, 3, 3 on
                         3.OA.A.1 (data/zoey) under every method, each
                         method's value after every piece of evidence.
school_level_changes.png the sample school (data/school, 60 students):
                         how many marks change level when a vendor preset
                         replaces mlg's default (decaying_average, weight
                         0.65), and where the Canvas default's changes go.

Every number comes from mlg.compare() (Comparison.series/shifts/changes);
the script only chooses the data and the layout.  It needs matplotlib.
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))

import matplotlib  # noqa: E402
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import mlg  # noqa: E402

#: mlg's default method (mlg_method_params_init, the mlg command's -m
#: default): the decaying average with weight 0.65, which follows the
#: bulletin's advice to base marks on "the more recent/consistent evidence"
#: (BUL-2332.7 VII.E).
BASELINE = "decaying_average"


def zoey(out_dir):
    ev = pd.read_csv(os.path.join(ROOT, "data", "zoey", "evidence.csv"))
    c = mlg.compare(ev, methods=mlg.methods())
    fig = c.plot("series", student_id="ZOEY", target_id="3.OA.A.1")
    path = os.path.join(out_dir, "zoey_methods.png")
    fig.savefig(path, dpi=80)
    plt.close(fig)
    t = c.series("ZOEY", "3.OA.A.1")
    print("%s: Zoey 3.OA.A.1, final values: %s" % (path, ", ".join(
        "%s %.4g" % (m, t[m].iloc[-1]) for m in c.methods)))


def school(out_dir):
    ev = pd.read_csv(os.path.join(ROOT, "data", "school", "evidence.csv"))
    c = mlg.compare(ev, methods=[BASELINE] + mlg.presets())
    shifts = c.shifts(BASELINE)
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(12, 4.4), gridspec_kw={"width_ratios": [1.7, 1]})
    c.plot("shifts", baseline=BASELINE, ax=left)
    c.plot("changes", a=BASELINE, b="canvas_default", ax=right)
    right.set_title("%s -> canvas_default\n%s" % (BASELINE,
                                                   right.get_title()),
                    fontsize=10)
    fig.suptitle("Sample school (data/school): %d marks, mlg's default "
                 "against each vendor preset" % shifts.n_marks.iloc[0],
                 fontsize=11)
    fig.tight_layout()
    path = os.path.join(out_dir, "school_level_changes.png")
    fig.savefig(path, dpi=80)
    plt.close(fig)
    print("%s:\n%s" % (path, shifts.to_string(index=False)))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=HERE, help="directory for the PNGs")
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    zoey(args.out)
    school(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
