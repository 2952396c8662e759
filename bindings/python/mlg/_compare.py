# SPDX-License-Identifier: GPL-3.0-or-later
"""Method sensitivity: does a student's level depend on the method chosen?

mlg.compare(df, methods=[...]) prepares the evidence once (factorising,
sorting, CSR offsets) and runs one batch per method, then flags each
(student, target) whose level differs between methods and summarises how
often each pair of methods disagrees.
"""

import collections
import itertools

import numpy as np
import pandas as pd

from . import _core, _pandas


class Comparison(collections.namedtuple("Comparison", "table summary")):
    # _ctx (set by compare()): the prepared evidence, each method's label
    # and parameters, and the scale, for series() and the plots.
    """mlg.compare()'s answer.

    table    one row per (student, target): student_id, target_id, n_rows
             (evidence rows), then value_<m> and level_<m> for each method
             label m, then n_levels (distinct levels, N/A counting as one),
             level_spread (highest minus lowest level index, N/A ignored)
             and depends_on_method (True when the methods give different
             levels, N/A included).
    summary  one row per pair of methods: method_a, method_b, n_groups,
             n_disagree (levels differ, N/A included), rate (n_disagree /
             n_groups), mean_abs_diff (of the values, where both exist) and
             max_level_gap.

    Also: series() (one student-target's value after each piece of
    evidence, per method), changes() and shifts() (class-level counts of
    marks that change level), and plot() to draw any of them.
    """

    @property
    def methods(self):
        """The method labels, in the order given to compare()."""
        return [label for label, _ in self._ctx["params"]]

    def _group(self, student_id, target_id):
        prep = self._ctx["prep"]
        students, targets = _pandas.group_ids(prep)
        if student_id is None and target_id is None:
            if prep.n_groups != 1:
                raise ValueError("this comparison holds %d series: name one "
                                 "with student_id= and target_id="
                                 % prep.n_groups)
            return 0
        hit = np.ones(prep.n_groups, dtype=bool)
        if student_id is not None:
            hit &= np.asarray(students == student_id)
        if target_id is not None:
            hit &= np.asarray(targets == target_id)
        found = np.flatnonzero(hit)
        if found.shape[0] != 1:
            raise KeyError("%s series for student_id=%r, target_id=%r"
                           % ("no" if found.shape[0] == 0 else
                              "%d" % found.shape[0], student_id, target_id))
        return int(found[0])

    def series(self, student_id=None, target_id=None):
        """One (student, target)'s evidence and every method's value after
        each piece of it: a DataFrame with columns date, score, status (the
        evidence in time order) and one column per method label (NaN =
        N/A).  Prefix k of the series is group k of one batch per method,
        so the last row equals the comparison's value."""
        prep = self._ctx["prep"]
        g = self._group(student_id, target_id)
        lo, hi = int(prep.offsets[g]), int(prep.offsets[g + 1])
        k = hi - lo
        idx = lo + np.concatenate([np.arange(i + 1) for i in range(k)])
        offsets = np.concatenate([[0], np.cumsum(np.arange(1, k + 1))])
        offsets = offsets.astype(np.int64)

        def take(col):
            return None if col is None else np.ascontiguousarray(col[idx])

        out = pd.DataFrame({
            "date": prep.days[lo:hi].astype("datetime64[D]"),
            "score": prep.scores[lo:hi],
            "status": ([_core.status_name(c) for c in prep.status[lo:hi]]
                       if prep.status is not None else ["counted"] * k)})
        for label, p in self._ctx["params"]:
            v, _, _ = _core.batch_raw(offsets, take(prep.scores),
                                      take(prep.days), take(prep.weights),
                                      take(prep.status), p,
                                      self._ctx["scale_p"], 1, False, False)
            out[label] = v
        return out

    def changes(self, a=None, b=None):
        """How the level of each mark moves from method a to method b
        (default: the first two): a count table with a's levels as rows and
        b's as columns, the scale's labels plus "N/A", so the cells off the
        diagonal are the marks that change level."""
        a, b = self._pair(a, b)
        labels = list(self._ctx["scale"].labels) + ["N/A"]
        n = len(labels)
        la = np.asarray(self._ctx["levels"][a], dtype=np.int64)
        lb = np.asarray(self._ctx["levels"][b], dtype=np.int64)
        ia = np.where(la < 0, n - 1, la)
        ib = np.where(lb < 0, n - 1, lb)
        counts = np.bincount(ia * n + ib, minlength=n * n).reshape(n, n)
        return pd.DataFrame(counts, index=pd.Index(labels, name=a),
                            columns=pd.Index(labels, name=b))

    def shifts(self, baseline=None):
        """For every other method, how many marks are lower, the same or
        higher than under `baseline` (default: the first method), and how
        many become or stop being N/A: one row per method."""
        labels = self.methods
        baseline = labels[0] if baseline is None else baseline
        if baseline not in labels:
            raise _core.unknown_name("method label", baseline, labels)
        lb = np.asarray(self._ctx["levels"][baseline])
        rows = []
        for m in labels:
            if m == baseline:
                continue
            lm = np.asarray(self._ctx["levels"][m])
            both = (lb >= 0) & (lm >= 0)
            rows.append({"method": m,
                         "lower": int((both & (lm < lb)).sum()),
                         "same": int((both & (lm == lb)).sum()),
                         "higher": int((both & (lm > lb)).sum()),
                         "na_changed": int(((lb < 0) != (lm < 0)).sum()),
                         "n_marks": int(lb.shape[0])})
        out = pd.DataFrame(rows, columns=["method", "lower", "same", "higher",
                                          "na_changed", "n_marks"])
        out.attrs["baseline"] = baseline
        return out

    def _pair(self, a, b):
        labels = self.methods
        a = labels[0] if a is None else a
        b = labels[1] if b is None else b
        for x in (a, b):
            if x not in labels:
                raise _core.unknown_name("method label", x, labels)
        return a, b

    def plot(self, kind=None, student_id=None, target_id=None, a=None,
             b=None, baseline=None, ax=None):
        """Pictures of the comparison (needs matplotlib):

        kind="series"   one (student, target): the evidence and each
                        method's value after every piece of it (series());
                        the default when the comparison holds one series or
                        student_id/target_id is given.  With more than six
                        methods, one small panel per method.
        kind="changes"  class level, two methods a and b (default the first
                        two): the changes() table as a heat map; the cells
                        off the diagonal are marks that change level.  The
                        default otherwise.
        kind="shifts"   class level, every method against `baseline`: how
                        many marks go lower, stay, go higher (shifts()).

        Returns the matplotlib Figure; `ax` draws "changes" or "shifts" into
        an existing Axes."""
        from . import _plot
        if kind is None:
            one = self._ctx["prep"].n_groups == 1
            kind = ("series" if one or student_id is not None or
                    target_id is not None else "changes")
        if kind == "series":
            return _plot.series(self, student_id, target_id)
        if kind == "changes":
            return _plot.changes(self, *self._pair(a, b), ax=ax)
        if kind == "shifts":
            return _plot.shifts(self, self.shifts(baseline), ax=ax)
        raise ValueError("kind=%r; the valid kinds are: 'series', "
                         "'changes', 'shifts'" % (kind,))

    def matrix(self):
        """The pairwise disagreement rates as a square DataFrame."""
        labels = list(dict.fromkeys(list(self.summary.method_a) +
                                    list(self.summary.method_b)))
        m = pd.DataFrame(0.0, index=labels, columns=labels)
        for a, b, r in zip(self.summary.method_a, self.summary.method_b,
                           self.summary.rate):
            m.loc[a, b] = r
            m.loc[b, a] = r
        return m


def _specs(methods):
    """[(label, method, preset, params)] from names or (label, dict)."""
    known_methods = set(_core.methods())
    known_presets = set(_core.presets())
    out = []
    for spec in methods:
        if isinstance(spec, str):
            if spec in known_methods:
                out.append((spec, spec, None, {}))
            elif spec in known_presets:
                out.append((spec, None, spec, {}))
            else:
                raise _core.unknown_name(
                    "method or preset", spec,
                    list(_core.methods()) + list(_core.presets()),
                    plural="methods and presets")
        else:
            label, d = spec
            d = dict(d)
            out.append((str(label), d.pop("method", None),
                        d.pop("preset", None), d))
    labels = [s[0] for s in out]
    if len(set(labels)) != len(labels):
        raise ValueError("method labels must be unique: %s" % labels)
    if len(out) < 2:
        raise ValueError("compare needs at least two methods")
    return out


def compare(df, methods=("mean", "decaying_average", "power_law"),
            columns=None, threads=0, scale=None, date_format=None,
            duplicates="warn", **params_):
    """Compute several methods over the same evidence and flag the
    student-targets whose level depends on the method.

    methods   method or preset names, or (label, {"method": ..., params})
              pairs, e.g. ("decay_0.75", {"method": "decaying_average",
              "weight": 0.75}).  **params apply to every method (each
              method ignores the parameters it does not use).
    Other arguments (date_format, duplicates, ...) as mlg.compute().
    Returns a Comparison(table,
    summary); see its docstring.
    """
    specs = _specs(methods)
    scale_p, s = _core._scale_arg(scale)
    prep = _pandas.prepare(df, columns, date_format, duplicates)
    students, targets = _pandas.group_ids(prep)
    cols = {"student_id": students, "target_id": targets,
            "n_rows": np.diff(prep.offsets).astype(np.int64)}
    levels = {}
    values = {}
    params = []
    for label, method, preset, own in specs:
        kw = dict(params_)
        kw.update(own)
        p = _core.params(method, preset, **kw)
        params.append((label, p))
        v, lv, _ = _pandas.run(prep, p, scale_p, threads, levels=True,
                               counts=False)
        values[label] = v
        levels[label] = lv
        cols["value_" + label] = v
        cols["level_" + label] = _pandas.level_column(lv, s)
    table = pd.DataFrame(cols)

    L = np.stack([levels[x[0]] for x in specs], axis=1)   # groups x methods
    # Distinct levels per row, N/A (-1) counting as its own level.
    srt = np.sort(L, axis=1)
    n_levels = 1 + (np.diff(srt, axis=1) != 0).sum(axis=1)
    L64 = L.astype(np.int64)
    lo = np.where(L64 >= 0, L64, np.iinfo(np.int64).max).min(axis=1)
    hi = np.where(L64 >= 0, L64, -1).max(axis=1)
    spread = np.where(hi >= 0, hi - np.minimum(lo, hi), 0)
    table["n_levels"] = n_levels
    table["level_spread"] = spread
    table["depends_on_method"] = n_levels > 1

    rows = []
    n = L.shape[0]
    for (a, _, _, _), (b, _, _, _) in itertools.combinations(specs, 2):
        la, lb = levels[a], levels[b]
        dis = la != lb
        both = (la >= 0) & (lb >= 0)
        vd = np.abs(values[a][both] - values[b][both])
        gap = np.abs(la[both] - lb[both])
        rows.append({
            "method_a": a, "method_b": b, "n_groups": n,
            "n_disagree": int(dis.sum()),
            "rate": float(dis.mean()) if n else 0.0,
            "mean_abs_diff": float(vd.mean()) if vd.size else float("nan"),
            "max_level_gap": int(gap.max()) if gap.size else 0,
        })
    summary = pd.DataFrame(rows, columns=["method_a", "method_b", "n_groups",
                                          "n_disagree", "rate",
                                          "mean_abs_diff", "max_level_gap"])
    c = Comparison(table, summary)
    c._ctx = {"prep": prep, "params": params, "levels": levels,
              "scale": s, "scale_p": scale_p}
    return c
