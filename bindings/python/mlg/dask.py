# SPDX-License-Identifier: GPL-3.0-or-later
"""mlg.compute() over a dask.dataframe, one partition at a time.

Every student must sit in one partition, or a (student, target) split
across two partitions would get two different marks.  compute() therefore
checks, before any result is returned, that no student has rows in two
partitions, and raises StudentSplitError naming the student and the
partitions if one has (split="error", the default).  Partition the evidence
by student first (partition_by_student() below, or set_index on the student
column), or pass split="shuffle" to have compute() shuffle by student
itself.  Each partition is computed by mlg.compute() in whichever worker
holds it; the task carries only names and parameters, never a library
handle, so each worker process loads libmlg itself the first time it runs a
task (set MLG_LIBRARY in the workers' environment, or install the package
with the library next to it).

    import mlg.dask
    ddf = mlg.dask.partition_by_student(ddf, "student_id")
    out = mlg.dask.compute(ddf, method="decaying_average", weight=0.65)
    out.compute()
"""

import numpy as np
import pandas as pd

from . import _pandas

__all__ = ["compute", "partition_by_student", "meta", "StudentSplitError"]

#: The split= policies of compute().
SPLITS = ("error", "shuffle")


class StudentSplitError(ValueError):
    """A student's evidence is in more than one partition, so compute()
    would return two marks for one (student, target)."""


def _student_column(columns):
    return (columns or {}).get("student_id", "student_id")


def _students_of(part, sid):
    """The distinct student ids of one partition (runs in the worker)."""
    col = part[sid] if sid in part.columns else part.index.to_series()
    return pd.unique(col.dropna())


def _check_disjoint(per_partition):
    """Raise StudentSplitError if a student appears in two partitions."""
    seen = {}
    for k, students in enumerate(per_partition):
        for s in students:
            first = seen.setdefault(s, k)
            if first != k:
                raise StudentSplitError(
                    "student_id %r has evidence in partitions %d and %d: "
                    "computed per partition, a (student, target) split "
                    "between them would get two marks.  Partition by "
                    "student first (mlg.dask.partition_by_student(ddf) or "
                    "ddf.set_index(<student column>)), or pass "
                    "split='shuffle'" % (s, first, k))
    return len(seen)


def _after_check(part, checked):
    # `checked` is the check's result: this task runs only once every
    # partition's students were found disjoint.
    return part


def _partition(part, method, columns, threads, scale, preset, params):
    # Runs in the worker: `part` is a pandas DataFrame.  Importing here
    # would be the same; mlg is already imported with this module, and the
    # library is loaded once per worker process.
    from . import _pandas as pdmod
    sid = _student_column(columns)
    if sid not in part.columns and part.index.name == sid:
        part = part.reset_index()
    out = pdmod.compute(part, method=method, columns=columns,
                        threads=threads, scale=scale, preset=preset,
                        **params)
    out.index = pd.RangeIndex(len(out))
    return out


def meta(ddf, columns=None, scale=None):
    """The empty DataFrame describing compute()'s output for ddf."""
    from . import _core
    names = dict((c, c) for c in _pandas.COLUMNS)
    names.update(columns or {})

    def dtype_of(canon):
        col = names[canon]
        if col in ddf.columns:
            return ddf[col].dtype
        if ddf.index.name == col:
            return ddf.index.dtype
        raise KeyError("column %r (%s) not in the dask DataFrame"
                       % (col, canon))

    _, s = _core._scale_arg(scale)
    return pd.DataFrame({
        "student_id": pd.Series([], dtype=dtype_of("student_id")),
        "target_id": pd.Series([], dtype=dtype_of("target_id")),
        "value": pd.Series([], dtype=np.float64),
        "level": pd.Series(pd.Categorical([], categories=s.labels,
                                          ordered=True)),
        "n_evidence": pd.Series([], dtype=np.int32),
    })


def compute(ddf, method=None, columns=None, threads=1, scale=None,
            preset=None, split="error", **params):
    """A lazy dask DataFrame of mlg.compute() over every partition of ddf.

    split  "error" (default): computing the result first checks that no
           student has rows in two partitions and raises
           StudentSplitError (naming the student and both partitions)
           if one has, so one (student, target) never gets two marks;
           "shuffle": shuffle ddf by student first
           (partition_by_student()), which costs a shuffle but always
           works.
    threads defaults to 1 per task, since dask already runs one task per
    worker thread.  Other arguments (date_format, duplicates, ...) as
    mlg.compute(); no catalogue: roll up the collected result instead."""
    import dask
    from . import _core
    if split not in SPLITS:
        raise ValueError("split=%r; the valid policies are: %s"
                         % (split, ", ".join(map(repr, SPLITS))))
    if scale is not None and not isinstance(scale, str):
        raise TypeError("mlg.dask.compute: pass the scale by name so tasks "
                        "stay picklable")
    dup = params.get("duplicates", "warn")
    if dup not in _pandas.DUPLICATES:
        raise ValueError("duplicates=%r; the valid policies are: %s"
                         % (dup, ", ".join(map(repr, _pandas.DUPLICATES))))
    # Fail early, in the client, on bad method names or parameters.
    own = {k: v for k, v in params.items()
           if k not in ("date_format", "duplicates")}
    _core.params(method, preset, **own)
    sid = _student_column(columns)
    if split == "shuffle":
        ddf = partition_by_student(ddf, sid)
    out_meta = meta(ddf, columns, scale)
    out = ddf.map_partitions(
        _partition, method, columns, threads, scale, preset, dict(params),
        meta=out_meta, align_dataframes=False)
    if ddf.npartitions < 2:
        return out
    # Share the input partitions' keys with `out` (no graph optimisation),
    # so each partition is read once for both.
    students = [dask.delayed(_students_of)(p, sid)
                for p in ddf.to_delayed(optimize_graph=False)]
    checked = dask.delayed(_check_disjoint)(students)
    return out.map_partitions(_after_check, checked, meta=out_meta,
                              align_dataframes=False)


def partition_by_student(ddf, column="student_id", npartitions=None):
    """ddf shuffled so that each student's rows share one partition.  An
    index of students with known divisions (set_index) is already so."""
    if column not in ddf.columns and ddf.index.name == column:
        if ddf.known_divisions:
            return ddf
        ddf = ddf.reset_index()
    return ddf.shuffle(on=column, npartitions=npartitions)
