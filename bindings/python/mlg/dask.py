"""mlg.compute() over a dask.dataframe, one partition at a time.

Every (student, target) must sit in one partition: partition the evidence
by student first (partition_by_student() below, or set_index on the student
column).  Each partition is computed by mlg.compute() in whichever worker
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

__all__ = ["compute", "partition_by_student", "meta"]


def _student_column(columns):
    return (columns or {}).get("student_id", "student_id")


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
            preset=None, **params):
    """A lazy dask DataFrame of mlg.compute() over every partition of ddf
    (which must be partitioned by student).  threads defaults to 1 per
    task, since dask already runs one task per worker thread.  Other
    arguments as mlg.compute() (no catalogue: roll up the collected
    result instead)."""
    from . import _core
    if scale is not None and not isinstance(scale, str):
        raise TypeError("mlg.dask.compute: pass the scale by name so tasks "
                        "stay picklable")
    # Fail early, in the client, on bad method names or parameters.
    _core.params(method, preset, **params)
    return ddf.map_partitions(
        _partition, method, columns, threads, scale, preset, dict(params),
        meta=meta(ddf, columns, scale), align_dataframes=False)


def partition_by_student(ddf, column="student_id", npartitions=None):
    """ddf shuffled so that each student's rows share one partition."""
    if column not in ddf.columns and ddf.index.name == column:
        return ddf
    return ddf.shuffle(on=column, npartitions=npartitions)
