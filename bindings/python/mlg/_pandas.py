"""pandas front end: a long evidence table in, one row per student x target
out, computed by one mlg_batch_compute() call (no Python loop per group).

The work is split so mlg.compare() and the roll-ups can reuse it:
prepare() factorises the ids, converts dates to day numbers, sorts (stably)
only when the input is not already in (student, target, day) order and
builds the CSR offsets; run() calls the batch kernel; frame() builds the
result table.
"""

import numpy as np
import pandas as pd

from . import _core, _native
from .errors import MlgError

#: Canonical column names; `columns=` maps them to the caller's names.
COLUMNS = ("student_id", "target_id", "assessed_at", "score", "weight",
           "status")
REQUIRED = ("student_id", "target_id", "assessed_at", "score")


class Prepared:
    """Evidence in CSR form plus what is needed to label the groups.

    offsets, days, scores, weights, status   the batch columns (sorted)
    group_student, group_target              codes of each group
    students, targets                        the unique ids (codes index them)
    order                                    the sorting permutation, or
                                             None when the input was sorted
    index                                    the input's index (for errors)
    """

    __slots__ = ("offsets", "days", "scores", "weights", "status",
                 "group_student", "group_target", "students", "targets",
                 "order", "index", "n_rows")

    @property
    def n_groups(self):
        return self.offsets.shape[0] - 1


def _resolve_columns(df, columns):
    names = {c: c for c in COLUMNS}
    if columns:
        unknown = set(columns) - set(COLUMNS)
        if unknown:
            raise ValueError("columns: unknown keys %s (expected some of %s)"
                             % (sorted(unknown), ", ".join(COLUMNS)))
        names.update(columns)
    for c in REQUIRED:
        if names[c] not in df.columns:
            raise KeyError("column %r (%s) not in the DataFrame; columns= "
                           "maps the canonical names to yours"
                           % (names[c], c))
    return names


def _days(col):
    """Day numbers (int64) of a column of dates: datetime64 (tz-aware
    columns use their local wall-clock date), ISO date strings, Python
    dates, or integers already counting days since 1970-01-01."""
    if pd.api.types.is_integer_dtype(col.dtype):
        return col.to_numpy(dtype=np.int64)
    if not pd.api.types.is_datetime64_any_dtype(col.dtype):
        if pd.api.types.is_float_dtype(col.dtype):
            raise TypeError("assessed_at holds floats; give day numbers as "
                            "integers, or dates")
        col = pd.to_datetime(col, errors="raise")
    if getattr(col.dt, "tz", None) is not None:
        col = col.dt.tz_localize(None)
    if col.isna().any():
        bad = col.index[col.isna().to_numpy()][0]
        raise ValueError("assessed_at is missing at row %r" % (bad,))
    return col.to_numpy(dtype="datetime64[ns]").astype(
        "datetime64[D]").astype(np.int64)


def _status(col):
    if pd.api.types.is_integer_dtype(col.dtype):
        return col.to_numpy()
    # Words (any case); a missing status means counted.
    words = col.astype("string").str.strip().str.lower()
    codes = words.map(_core.STATUS_CODES)
    missing = words.isna()
    bad = codes.isna() & ~missing
    if bad.any():
        raise ValueError("unknown evidence status %r at row %r (counted, "
                         "excused, missing)"
                         % (col[bad].iloc[0], col.index[bad.to_numpy()][0]))
    return codes.fillna(_native.MLG_EVIDENCE_COUNTED).to_numpy(
        dtype=np.uint8)


def _factorize(col, what):
    codes, uniques = pd.factorize(col, sort=False)
    if (codes < 0).any():
        bad = col.index[codes < 0][0]
        raise ValueError("%s is missing at row %r" % (what, bad))
    return codes.astype(np.int64, copy=False), uniques


def prepare(df, columns=None):
    """Factorise, convert and (only if needed) sort `df` into a Prepared."""
    names = _resolve_columns(df, columns)
    n = len(df)
    s_codes, students = _factorize(df[names["student_id"]], "student_id")
    t_codes, targets = _factorize(df[names["target_id"]], "target_id")
    n_t = max(len(targets), 1)
    if len(students) and (len(students) - 1) > (2 ** 62) // n_t:
        raise OverflowError("too many students x targets")
    key = s_codes * n_t + t_codes
    days = _days(df[names["assessed_at"]])
    if n and (days.min() <= -2 ** 31 or days.max() > 2 ** 31 - 1):
        raise OverflowError("assessed_at outside the int32 day range")
    scores = df[names["score"]].to_numpy(dtype=np.float64)
    weights = None
    if names["weight"] in df.columns:
        weights = df[names["weight"]].to_numpy(dtype=np.float64)
    status = None
    if names["status"] in df.columns:
        status = _status(df[names["status"]])

    # Sorted already?  (key non-decreasing, days non-decreasing within a
    # key.)  Then no permutation and no copies.
    order = None
    if n > 1:
        dk = np.diff(key)
        ok = bool((dk >= 0).all())
        if ok:
            dd = np.diff(days)
            ok = bool(((dd >= 0) | (dk != 0)).all())
        if not ok:
            dmin = int(days.min())
            span = int(days.max()) - dmin + 1
            if int(key.max()) < (2 ** 62) // span:
                # One int64 composite key; a stable sort keeps same-day
                # evidence in input order, as mlg.h requires.
                order = np.argsort(key * span + (days - dmin),
                                   kind="stable")
            else:
                order = np.lexsort((days, key))
            key = key[order]
            days = days[order]
            scores = scores[order]
            if weights is not None:
                weights = weights[order]
            if status is not None:
                status = status[order]

    if n:
        starts = np.flatnonzero(np.diff(key)) + 1
        offsets = np.empty(starts.shape[0] + 2, dtype=np.int64)
        offsets[0] = 0
        offsets[1:-1] = starts
        offsets[-1] = n
        gkey = key[offsets[:-1]]
    else:
        offsets = np.zeros(1, dtype=np.int64)
        gkey = np.zeros(0, dtype=np.int64)

    p = Prepared()
    p.offsets = offsets
    p.days = days.astype(np.int32)
    p.scores = np.ascontiguousarray(scores)
    p.weights = None if weights is None else np.ascontiguousarray(weights)
    p.status = (None if status is None
                else np.ascontiguousarray(status, dtype=np.uint8))
    p.group_student = gkey // n_t
    p.group_target = gkey % n_t
    p.students = students
    p.targets = targets
    p.order = order
    p.index = df.index
    p.n_rows = n
    return p


def _locate(prep, e):
    """Add the student, target and input row of a batch error."""
    where = []
    if e.group is not None and 0 <= e.group < prep.n_groups:
        where.append("student_id=%r, target_id=%r" % (
            prep.students[prep.group_student[e.group]],
            prep.targets[prep.group_target[e.group]]))
    if e.row is not None and 0 <= e.row < prep.n_rows:
        r = int(prep.order[e.row]) if prep.order is not None else e.row
        where.append("input row %r" % (prep.index[r],))
    if where:
        e.context = ", ".join(where)


def run(prep, p, scale_p, threads=0, levels=True, counts=True):
    """mlg_batch_compute() over a Prepared: (values, levels, counts)."""
    try:
        return _core.batch_raw(prep.offsets, prep.scores, prep.days,
                               prep.weights, prep.status, p, scale_p,
                               threads, levels, counts)
    except MlgError as e:
        _locate(prep, e)
        raise


def level_column(levels, scale):
    """An ordered Categorical of the scale's labels (N/A = NaN)."""
    return pd.Categorical.from_codes(levels, categories=scale.labels,
                                     ordered=True)


def group_ids(prep):
    """(student_id, target_id) arrays labelling each group."""
    return (prep.students.take(prep.group_student),
            prep.targets.take(prep.group_target))


def frame(prep, values, levels, counts, scale):
    students, targets = group_ids(prep)
    return pd.DataFrame({
        "student_id": students,
        "target_id": targets,
        "value": values,
        "level": level_column(levels, scale),
        "n_evidence": counts,
    })


def compute(df, method=None, columns=None, catalogue=None, threads=0,
            scale=None, preset=None, **params):
    """Proficiency of every student x target in a long evidence table.

    df         one row per piece of evidence with columns student_id,
               target_id, assessed_at (datetime64, ISO date strings or int
               day numbers), score, and optionally weight and status
               ("counted"/"excused"/"missing" or 0/1/2; empty = counted).
    columns    maps canonical names to df's, e.g. {"student_id": "sid"}.
    method, preset, scale, **params   as mlg.proficiency().
    threads    batch threads: 0 = all cores, 1 = the calling thread.
    catalogue  roll-up catalogue: see mlg.rollup (targets -> domains ->
               composites); when given, returns mlg.rollup.Rollup with the
               target table and the roll-up tables.

    Unsorted input is sorted stably by (student, target, day), never
    rejected; same-day evidence keeps input order.  Returns a DataFrame
    with columns student_id, target_id, value (NaN = N/A), level (ordered
    Categorical of the scale's labels) and n_evidence (rows the method
    used), one row per (student, target), students in order of first
    appearance and each student's targets likewise.
    """
    p = _core.params(method, preset, **params)
    scale_p, s = _core._scale_arg(scale)
    prep = prepare(df, columns)
    values, levels, counts = run(prep, p, scale_p, threads)
    out = frame(prep, values, levels, counts, s)
    if catalogue is None:
        return out
    from . import rollup
    return rollup.rollup_frame(out, levels, prep, catalogue, scale=s,
                               threads=threads)
