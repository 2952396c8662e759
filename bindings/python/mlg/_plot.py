# SPDX-License-Identifier: GPL-3.0-or-later
"""matplotlib pictures of an mlg.compare() result (Comparison.plot()).

matplotlib is imported here, on first use only, so mlg works without it.
Every number drawn comes from the Comparison (series(), changes(),
shifts()); this module only draws."""

import math

import numpy as np


def _pyplot():
    try:
        import matplotlib
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError("mlg: Comparison.plot() needs matplotlib "
                          "(Debian: apt-get install python3-matplotlib)") \
            from None
    del matplotlib
    return plt


def _evidence(ax, t):
    counted = (t.status == "counted").to_numpy()
    ax.scatter(t.date[counted], t.score[counted], color="black", zorder=3,
               s=22, label="evidence")
    if (~counted).any():
        # Excused or missing rows carry no score of their own: mark the day.
        y = np.where(np.isnan(t.score[~counted]), ax.get_ylim()[0] + 0.1,
                     t.score[~counted])
        ax.scatter(t.date[~counted], y, marker="x", color="grey", zorder=3,
                   s=22, label="excused/missing")


def _steps(t, column):
    """x, y of a step line that holds each value until the next evidence
    and the last one a little past the last evidence, so the current value
    reads as a level, not as a tick."""
    x = t.date.to_numpy()
    y = t[column].to_numpy(dtype=float)
    span = (x[-1] - x[0]) if x.shape[0] > 1 else np.timedelta64(7, "D")
    pad = max(span / 12, np.timedelta64(1, "D"))
    return np.append(x, x[-1] + pad), np.append(y, y[-1])


def _scale_axis(ax, scale):
    values = scale.values
    pad = 0.2 * (values[-1] - values[0]) / max(len(values) - 1, 1)
    ax.set_ylim(scale.score_min - pad, scale.score_max + pad)
    ax.set_yticks(values)
    ax.set_yticklabels(scale.labels)


def series(comp, student_id, target_id):
    """Each method's value after every piece of evidence of one series."""
    plt = _pyplot()
    t = comp.series(student_id, target_id)
    methods = comp.methods
    scale = comp._ctx["scale"]
    g = comp._group(student_id, target_id)
    row = comp.table.iloc[g]
    title = "%s, %s" % (row.student_id, row.target_id)
    if len(methods) <= 6:
        fig, ax = plt.subplots(figsize=(7.5, 4.2))
        _scale_axis(ax, scale)
        _evidence(ax, t)
        for m in methods:
            ax.step(*_steps(t, m), where="post", label="%s: %s" % (
                m, _final(row, m)), linewidth=1.6)
        ax.set_ylabel("score / value (level labels)")
        ax.set_title(title)
        ax.legend(loc="lower right", fontsize=8)
        fig.autofmt_xdate()
        fig.tight_layout()
        return fig
    ncol = 4
    nrow = int(math.ceil(len(methods) / ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(3.1 * ncol, 2.2 * nrow),
                             sharex=True, sharey=True, squeeze=False)
    for k, m in enumerate(methods):
        ax = axes[k // ncol][k % ncol]
        _scale_axis(ax, scale)
        _evidence(ax, t)
        ax.step(*_steps(t, m), where="post", color="tab:blue",
                linewidth=1.8)
        ax.set_title("%s: %s" % (m, _final(row, m)), fontsize=9)
        if np.isnan(t[m].to_numpy(dtype=float)).all():
            ax.text(0.5, 0.5, "N/A throughout", transform=ax.transAxes,
                    ha="center", va="center", color="tab:blue")
        ax.grid(axis="y", linewidth=0.4, alpha=0.5)
        ax.tick_params(labelsize=7)
    for k in range(len(methods), nrow * ncol):
        axes[k // ncol][k % ncol].set_visible(False)
    fig.suptitle("%s: evidence (dots) and each method's value after it "
                 "(line); final value -> level" % title, fontsize=10)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def _final(row, m):
    v = row["value_" + m]
    if v != v:  # NaN: N/A
        return "N/A"
    return "%.2f -> %s" % (v, row["level_" + m])


def changes(comp, a, b, ax=None):
    """Heat map of changes(a, b): marks by level under a (rows) and b."""
    plt = _pyplot()
    tab = comp.changes(a, b)
    counts = tab.to_numpy()
    keep = (counts.sum(axis=0) + counts.sum(axis=1)) > 0
    keep[:-1] = True                     # always the scale's levels
    tab = tab.loc[keep, keep]
    counts = tab.to_numpy()
    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=(4.6, 4.0))
    ax.imshow(counts, cmap="Blues")
    n = counts.shape[0]
    for i in range(n):
        for j in range(n):
            ax.text(j, i, str(counts[i, j]), ha="center", va="center",
                    fontsize=9, fontweight="bold" if i != j else "normal",
                    color="white" if counts[i, j] > counts.max() / 2
                    else "black")
    ax.set_xticks(range(n))
    ax.set_xticklabels(tab.columns)
    ax.set_yticks(range(n))
    ax.set_yticklabels(tab.index)
    ax.set_xlabel("level under %s" % b)
    ax.set_ylabel("level under %s" % a)
    moved = int(counts.sum() - np.trace(counts))
    ax.set_title("%d of %d marks change level" % (moved, int(counts.sum())),
                 fontsize=10)
    if fig is not None:
        fig.tight_layout()
        return fig
    return ax.figure


def shifts(comp, table, ax=None):
    """Horizontal bars: per method, marks lower / same / higher than under
    the baseline (and N/A changes)."""
    plt = _pyplot()
    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(table) + 1.4))
    y = np.arange(len(table))[::-1]
    left = np.zeros(len(table))
    for col, color, name in (("lower", "tab:red", "lower"),
                             ("same", "lightgrey", "same level"),
                             ("higher", "tab:green", "higher"),
                             ("na_changed", "tab:purple", "N/A changed")):
        v = table[col].to_numpy(dtype=float)
        ax.barh(y, v, left=left, color=color, label=name)
        for yi, li, vi in zip(y, left, v):
            if vi >= 0.06 * table.n_marks.iloc[0]:
                ax.text(li + vi / 2, yi, "%d" % vi, ha="center",
                        va="center", fontsize=8)
        left += v
    ax.set_yticks(y)
    ax.set_yticklabels(table.method)
    ax.set_xlabel("marks (student x target), level compared with %s"
                  % table.attrs.get("baseline", "the baseline"))
    ax.set_xlim(0, table.n_marks.iloc[0])
    ax.set_title("How many of %d marks change level against %s"
                 % (table.n_marks.iloc[0], table.attrs.get("baseline", "the "
                                                           "baseline")),
                 fontsize=10)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18 if len(table) > 3
                                                  else -0.3),
              ncol=4, fontsize=8, frameon=False)
    if fig is not None:
        fig.tight_layout()
        return fig
    return ax.figure
