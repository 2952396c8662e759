# SPDX-License-Identifier: GPL-3.0-or-later
"""mlg: mastery-learning proficiency (libmlg) from Python.

Pure ctypes over libmlg.so; only the standard library is required.  numpy
makes the batch API zero-copy; pandas enables mlg.compute() and
mlg.compare(); dask enables mlg.dask.compute().

    >>> import mlg
    >>> mlg.proficiency([1, 2, 3, 3], method="most_recent")
    3.0
    >>> mlg.proficiency([2, 3, 4], method="decaying_average", weight=0.65)
    3.5275

Method and parameter names are the C library's (see docs/methods.md).
Errors raise subclasses of mlg.MlgError (see mlg.errors).
"""

from . import _native

_native.load()  # ImportError naming every path tried if libmlg is missing

from . import errors  # noqa: E402
from .errors import MlgError  # noqa: E402,F401
from ._native import Scale, MethodParams  # noqa: E402,F401
from ._core import (  # noqa: E402,F401
    methods, presets, scales, method_id, params, param_info, scale,
    day_number,
    proficiency, result, explain, level, proficiency_batch,
    SeriesResult, ExplainedRow, Explanation, Batch, STATUS_CODES,
    status_words, status_code, status_name, why_name, node_flag_names)

errors._fill_names()


def version():
    """The loaded library's version string ("0.1.0")."""
    return _native.cstr(_native.function("mlg_version_string")())


def library_path():
    """Where libmlg was loaded from."""
    return _native.library_path()


__version__ = version()


def __getattr__(name):
    # pandas-based helpers are imported on first use so that `import mlg`
    # works without pandas.
    if name in ("compute", "prepare", "explain_group",
                "DuplicateEvidenceWarning"):
        from . import _pandas
        return getattr(_pandas, name)
    if name == "compare":
        from ._compare import compare
        return compare
    if name == "dask":
        import importlib
        return importlib.import_module(".dask", __name__)
    if name in ("rollup", "policy"):
        import importlib
        return importlib.import_module("." + name, __name__)
    raise AttributeError("module 'mlg' has no attribute %r" % (name,))


# compute and compare (pandas) are provided lazily by __getattr__ and left
# out of __all__ so that `from mlg import *` works without pandas.
__all__ = ["methods", "presets", "scales", "status_words", "status_code",
           "status_name", "why_name", "node_flag_names", "method_id",
           "params", "param_info", "scale",
           "day_number", "proficiency", "result", "explain", "level",
           "proficiency_batch", "STATUS_CODES", "SeriesResult",
           "ExplainedRow", "Explanation", "Batch", "Scale", "MethodParams",
           "MlgError", "errors", "version", "library_path"]
