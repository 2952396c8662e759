# SPDX-License-Identifier: GPL-3.0-or-later
"""Regenerate gradebook.csv (seeded; the same bytes every run).

A small grade-3 Math gradebook: 24 students x the four Operations and
Algebraic Thinking learning targets of BUL-2332.7 Attachment A, 3 to 8
pieces of evidence each over the fall reporting period, with a few excused
and missing rows and some double-weight unit tests.  The first student is
the bulletin's Zoey: 1, 2, 3, 3 on Learning Target 1 (3.OA.A.1) and
current levels 3, 2, 3, 3 across the four targets (Attachment A).

    /usr/bin/python3 bindings/python/tests/data/make_gradebook.py
"""
import csv
import datetime
import os
import random

TARGETS = ["3.OA.A.1", "3.OA.A.3", "3.OA.B.5", "3.OA.D.8"]
START = datetime.date(2024, 9, 3)


def school_day(k):
    """The k-th school day (Mon-Fri) from START."""
    d = START
    n = 0
    while n < k:
        d += datetime.timedelta(days=1)
        if d.weekday() < 5:
            n += 1
    return d


def main():
    rng = random.Random(20240903)
    rows = []
    zoey = {"3.OA.A.1": [1, 2, 3, 3], "3.OA.A.3": [2, 3, 2, 2],
            "3.OA.B.5": [2, 3, 3], "3.OA.D.8": [3, 2, 3, 3]}
    for t, scores in zoey.items():
        for i, s in enumerate(scores):
            rows.append(("zoey", t, school_day(5 + 12 * i + TARGETS.index(t)),
                         s, 1, "counted"))
    for k in range(1, 24):
        sid = "s%02d" % k
        ability = rng.uniform(1.3, 3.6)
        growth = rng.uniform(-0.2, 0.5)
        for t in TARGETS:
            n = rng.randint(3, 8)
            days = sorted(rng.sample(range(0, 60), n))
            for i, day in enumerate(days):
                mu = ability + growth * i / max(n - 1, 1) * 2
                s = min(4.0, max(1.0, round(rng.gauss(mu, 0.6) * 2) / 2))
                weight = 2 if rng.random() < 0.15 else 1
                u = rng.random()
                status = ("excused" if u < 0.04 else
                          "missing" if u < 0.07 else "counted")
                rows.append((sid, t, school_day(day), s, weight, status))
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "gradebook.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["student_id", "target_id", "assessed_at", "score",
                    "weight", "status"])
        for sid, t, d, s, wt, st in rows:
            w.writerow([sid, t, d.isoformat(), ("%g" % s), wt, st])


if __name__ == "__main__":
    main()
