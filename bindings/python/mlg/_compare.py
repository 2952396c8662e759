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
    """

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
            duplicates="warn", **params):
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
    for label, method, preset, own in specs:
        kw = dict(params)
        kw.update(own)
        p = _core.params(method, preset, **kw)
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
    return Comparison(table, summary)
