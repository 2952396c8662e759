# SPDX-License-Identifier: GPL-3.0-or-later
"""Exceptions for libmlg status codes.

One checker, :func:`check`, turns every non-zero status into an exception
(xgboost's ``_check_call``).  Every exception derives from :class:`MlgError`
and carries:

``status``   the MLG_E* code (int)
``name``     its macro name from ``mlg_errname()`` ("MLG_EORDER")
``group``    the failing group of a batch call, or None
``row``      the failing evidence row (0-based; absolute in a batch), or None
``message``  the library's message from ``mlg_errinfo`` (or ``mlg_strerror()``)

Each class also derives from the natural built-in exception, so callers can
catch what they would catch anyway:

=================  ========================  ===============================
status             class                     also a
=================  ========================  ===============================
MLG_ENULL          NullError                 ValueError
MLG_EINVAL         InvalidError              ValueError
MLG_ENAN           NanError                  ValueError
MLG_ESCALE         ScaleError                ValueError
MLG_EORDER         OrderError                ValueError
MLG_EEMPTY         EmptyError                ValueError
MLG_EOVERFLOW      OverflowError_            OverflowError
MLG_ENOMEM         OutOfMemoryError          MemoryError
MLG_ENUMERIC       NumericError              ArithmeticError
MLG_EFORMAT        FormatError               ValueError
MLG_ENOTFOUND      NotFoundError             LookupError and ValueError
MLG_EPOLICY        PolicyError               ValueError
MLG_EWEIGHT        WeightError               ValueError
MLG_EDOMAIN        DomainError               ValueError
MLG_ESIZE          SizeError                 (MlgError only: a binding bug)
MLG_EDUPLICATE     DuplicateError            ValueError
MLG_ECYCLE         CycleError                ValueError
MLG_ESTATUS        StatusError               ValueError
unknown code       MlgError                  -
=================  ========================  ===============================

MLG_ENOTFOUND is a LookupError (an unknown method, preset, scale or id is a
failed look-up) and a ValueError (it is also a bad argument), but not a
KeyError, whose str() would quote the message.
"""

from . import _native


class MlgError(Exception):
    """A libmlg call failed.  See the module docstring for the attributes."""

    def __init__(self, status, message=None, group=None, row=None,
                 name=None):
        self.status = int(status)
        self.name = name if name is not None else errname(status)
        self.group = group
        self.row = row
        self.message = message if message else strerror(status)
        super().__init__(self.message)

    def __str__(self):
        where = []
        # The library's messages often name the row already.
        if self.group is not None and "group" not in self.message:
            where.append("group %d" % self.group)
        if self.row is not None and "row" not in self.message:
            where.append("row %d" % self.row)
        extra = getattr(self, "context", None)
        if extra:
            where.append(extra)
        suffix = (" (" + ", ".join(where) + ")") if where else ""
        return "%s: %s%s" % (self.name, self.message, suffix)

    def __reduce__(self):
        # Picklable, so errors cross dask/multiprocessing boundaries intact.
        return (_rebuild, (type(self), self.status, self.message, self.group,
                           self.row, self.name, getattr(self, "context",
                                                        None)))


def _rebuild(cls, status, message, group, row, name, context):
    e = cls(status, message, group, row, name)
    if context:
        e.context = context
    return e


class NullError(MlgError, ValueError):
    """MLG_ENULL: a required pointer was NULL (a missing argument)."""


class InvalidError(MlgError, ValueError):
    """MLG_EINVAL: an argument or parameter is out of its range."""


class NanError(MlgError, ValueError):
    """MLG_ENAN: a score, weight or parameter is NaN or infinite."""


class ScaleError(MlgError, ValueError):
    """MLG_ESCALE: a score lies outside the scale's range."""


class OrderError(MlgError, ValueError):
    """MLG_EORDER: a day is earlier than the one before it."""


class EmptyError(MlgError, ValueError):
    """MLG_EEMPTY: an input that must be non-empty is empty."""


class OverflowError_(MlgError, OverflowError):
    """MLG_EOVERFLOW: a count or size is too large."""


class OutOfMemoryError(MlgError, MemoryError):
    """MLG_ENOMEM: the library could not allocate memory."""


class NumericError(MlgError, ArithmeticError):
    """MLG_ENUMERIC: a numerical routine failed."""


class FormatError(MlgError, ValueError):
    """MLG_EFORMAT: malformed text (e.g. a parameter value)."""


class NotFoundError(MlgError, LookupError, ValueError):
    """MLG_ENOTFOUND: an unknown method, preset, scale, parameter or id."""


class PolicyError(MlgError, ValueError):
    """MLG_EPOLICY: a report-card policy is violated."""


class WeightError(MlgError, ValueError):
    """MLG_EWEIGHT: an evidence weight is negative."""


class DomainError(MlgError, ValueError):
    """MLG_EDOMAIN: input outside a method's domain (power law of <= 0)."""


class SizeError(MlgError):
    """MLG_ESIZE: an output buffer is too small (a bug in the caller)."""


class DuplicateError(MlgError, ValueError):
    """MLG_EDUPLICATE: a duplicate id or key."""


class CycleError(MlgError, ValueError):
    """MLG_ECYCLE: a catalogue's parent links form a cycle."""


class StatusError(MlgError, ValueError):
    """MLG_ESTATUS: an evidence status code is not MLG_EVIDENCE_*."""


#: status code -> exception class (codes pinned in include/mlg.h).
BY_STATUS = {
    1: NullError, 2: InvalidError, 3: NanError, 4: ScaleError,
    5: OrderError, 6: EmptyError, 7: OverflowError_, 8: OutOfMemoryError,
    9: NumericError, 10: FormatError, 11: NotFoundError, 12: PolicyError,
    13: WeightError, 14: DomainError, 15: SizeError, 16: DuplicateError,
    17: CycleError, 18: StatusError,
}

#: "MLG_EORDER" -> OrderError, and so on.
BY_NAME = {}


def errname(status):
    """mlg_errname(): "MLG_EORDER" for 5, "MLG_UNKNOWN" for unknown codes."""
    return _native.cstr(_native.function("mlg_errname")(int(status)))


def strerror(status):
    """mlg_strerror(): the library's phrase for a status code."""
    return _native.cstr(_native.function("mlg_strerror")(int(status)))


def error_for(status, err=None):
    """The exception for `status`, with detail from an ErrInfo if given."""
    cls = BY_STATUS.get(int(status), MlgError)
    message = group = row = None
    if err is not None and err.status == status:
        message = _native.cstr(bytes(err.message)) or None
        group = err.group if err.group >= 0 else None
        row = err.row if err.row >= 0 else None
    return cls(status, message, group, row)


def check(status, err=None):
    """Raise the matching MlgError subclass if status is not MLG_OK."""
    if status != 0:
        raise error_for(status, err)
    return status


def _fill_names():
    for code, cls in BY_STATUS.items():
        BY_NAME[errname(code)] = cls


__all__ = ["MlgError", "check", "error_for", "errname", "strerror",
           "BY_STATUS", "BY_NAME"] + [c.__name__ for c in BY_STATUS.values()]
