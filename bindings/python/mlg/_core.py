# SPDX-License-Identifier: GPL-3.0-or-later
"""Scalar and batch API over libmlg.  Needs only the standard library; numpy
is used when it is installed (the batch API then takes and returns numpy
arrays without copying them)."""

import array
import collections
import ctypes
import datetime
import difflib
import functools
import math
import numbers
import re
from ctypes import POINTER, byref, c_double, c_int32, c_int64, c_uint8

from . import _native
from ._native import ErrInfo, ExplainRow, MethodParams, Result, Scale
from .errors import NotFoundError, check, error_for, strerror

try:  # optional
    import numpy as _np
except ImportError:  # pragma: no cover - exercised by a subprocess test
    _np = None

_EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()
_INT32_MIN, _INT32_MAX = -2 ** 31, 2 ** 31 - 1

DEFAULT_METHOD = "decaying_average"


def _fn(name):
    return _native.function(name)


# ------------------------------------------------------------- names ------
# Every vocabulary below is read from the library, so C, the mlg command and
# Python can never disagree about a name.
def _listing(fn, limit=256):
    out = []
    for i in range(limit):
        s = fn(i)
        if s is None:
            break
        out.append(_native.cstr(s))
    return out


@functools.lru_cache(maxsize=None)
def _methods():
    return tuple(_listing(_fn("mlg_method_name")))


@functools.lru_cache(maxsize=None)
def _presets():
    return tuple(_listing(_fn("mlg_preset_name")))


def methods():
    """Every method name the library knows, in MLG_METHOD_* order."""
    return list(_methods())


def presets():
    """Every preset name (see docs/levels.md), in the library's order."""
    return list(_presets())


@functools.lru_cache(maxsize=None)
def _scales():
    out = []
    for i in range(64):
        s = Scale()
        if _fn("mlg_scale_builtin")(i, byref(s)) != 0:
            break
        out.append(s.scale_id)
    return tuple(out)


def scales():
    """Every built-in scale id ("ccs4", "tk", ...), in MLG_SCALE_* order."""
    return list(_scales())


def unknown_name(what, value, valid, hint=None, plural=None):
    """The NotFoundError for an unknown name: names the bad value and lists
    the valid ones (as scikit-learn's parameter validation does), with the
    closest match when there is one."""
    shown = ", ".join(repr(v) for v in valid)
    msg = "unknown %s %r; the valid %s are: %s" % (
        what, value, plural or what + "s", shown)
    close = difflib.get_close_matches(str(value), [str(v) for v in valid],
                                      n=1)
    if close:
        msg += " (did you mean %r?)" % close[0]
    if hint:
        msg += ". " + hint
    return NotFoundError(_native.MLG_ENOTFOUND, msg)


@functools.lru_cache(maxsize=None)
def _status_table():
    """[(word, code)] of every status word the library accepts
    (mlg_evidence_status_word), canonical names first."""
    out = []
    code = c_int32()
    word = _fn("mlg_evidence_status_word")
    for i in range(256):
        w = word(i, byref(code))
        if w is None:
            break
        out.append((_native.cstr(w), code.value))
    return tuple(out)


def status_words():
    """{word: MLG_EVIDENCE_* code} of every status word the library accepts
    (any case, surrounding blanks ignored): counted, excused, missing, and
    the synonyms "" / graded / fully graded (counted), exempt / E
    (excused), not submitted / M (missing)."""
    return dict(_status_table())


def status_name(code):
    """The canonical word of an MLG_EVIDENCE_* code (mlg_evidence_status_
    name), or None."""
    return _native.cstr(_fn("mlg_evidence_status_name")(int(code)))


def status_code(word):
    """The MLG_EVIDENCE_* code of a status word, as the library reads it
    (mlg_evidence_status_from_name); an unknown word raises NotFoundError
    listing the vocabulary."""
    out = c_int32()
    rc = _fn("mlg_evidence_status_from_name")(str(word).encode(), byref(out))
    if rc == _native.MLG_ENOTFOUND:
        raise unknown_name("evidence status", word,
                           [w for w, _ in _status_table()],
                           "The empty word means counted; case and "
                           "surrounding blanks are ignored",
                           plural="evidence statuses")
    check(rc)
    return out.value


def why_name(code):
    """The word of an MLG_WHY_* reason (mlg_why_name); the number itself
    for a code this library does not name."""
    w = _fn("mlg_why_name")(int(code))
    return int(code) if w is None else _native.cstr(w)


def node_flag_names():
    """{word: bit} of every roll-up node flag (mlg_node_flag_name)."""
    out = {}
    for k in range(31):
        w = _native.function("mlg_node_flag_name")(1 << k)
        if w is not None:
            out[_native.cstr(w)] = 1 << k
    return out


#: Evidence status words accepted wherever a status is given (the library's
#: vocabulary: see status_words()).
STATUS_CODES = status_words()


def method_id(name):
    """MLG_METHOD_* of a method name (ints pass through, checked).  An
    unknown name raises NotFoundError listing the library's methods."""
    if isinstance(name, numbers.Integral) and not isinstance(name, bool):
        if _fn("mlg_method_name")(int(name)) is None:
            raise unknown_name("method", int(name), list(range(
                len(_methods()))))
        return int(name)
    if not isinstance(name, str):
        raise TypeError("method must be a name such as 'mean', not %r"
                        % (type(name).__name__,))
    out = c_int32()
    rc = _fn("mlg_method_from_name")(name.encode(), byref(out))
    if rc == _native.MLG_ENOTFOUND:
        hint = None
        if name in _presets():
            hint = "%r is a preset: pass preset=%r" % (name, name)
        raise unknown_name("method", name, _methods(), hint)
    check(rc)
    return out.value


# ----------------------------------------------------------- parameters ---
def _param_text(key, value):
    """A Python value as the text mlg_method_params_set() parses."""
    if isinstance(value, bool):
        raise TypeError("parameter %s: expected a number or a word, not a "
                        "bool" % key)
    if isinstance(value, str):
        return value
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))
    if _np is not None and isinstance(value, _np.datetime64):
        return str(value.astype("datetime64[D]"))
    raise TypeError("parameter %s: cannot pass a %s" % (key,
                                                         type(value).__name__))


#: mlg_param_info.kind values (include/mlg.h MLG_PARAM_*).
_PARAM_KINDS = {0: "int", 1: "real", 2: "word", 3: "day"}


@functools.lru_cache(maxsize=None)
def _param_table(method):
    """The library's key listing for MLG_METHOD_* `method`, as a tuple of
    dicts (mlg_method_param_count / mlg_method_param_info): the binding
    keeps no key list of its own."""
    info = _fn("mlg_method_param_info")
    out = []
    for i in range(_fn("mlg_method_param_count")()):
        pi = _native.ParamInfo()
        check(info(method, i, byref(pi)))
        words = pi.words.decode()
        out.append({
            "key": pi.key.decode(),
            "kind": _PARAM_KINDS.get(pi.kind, str(pi.kind)),
            "words": tuple(words.split("|")) if words else (),
            "default": pi.default_text.decode(),
            "used": bool(pi.used),
            "min": pi.min, "max": pi.max,
            "min_open": bool(pi.min_open), "max_open": bool(pi.max_open),
            "help": pi.help.decode(),
        })
    return tuple(out)


def param_info(method):
    """The parameter keys of `method` (a name or MLG_METHOD_* id), straight
    from the library: a list of dicts with key, kind ("int", "real", "word",
    "day"), words, default (as text), used (whether the method reads it),
    min, max, min_open, max_open and help."""
    m = method if isinstance(method, int) else method_id(method)
    return [dict(d) for d in _param_table(m)]


def _bounds_text(d):
    """"(0, 1]", "-1..9" or the words, for an error message."""
    if d["kind"] == "word":
        return "one of " + ", ".join(d["words"])
    if d["kind"] == "day":
        return "a day number, YYYY-MM-DD or none"
    lo, hi = d["min"], d["max"]
    if d["kind"] == "int":
        lo_t = "%d" % lo if math.isfinite(lo) else "-inf"
        hi_t = "%d" % hi if math.isfinite(hi) else "inf"
        return "an integer in %s..%s" % (lo_t, hi_t)
    return "a number in %s%r, %r%s" % ("(" if d["min_open"] else "[", lo, hi,
                                      ")" if d["max_open"] else "]")


def params(method=None, preset=None, **kwargs):
    """A filled mlg_method_params: `preset` (a name from presets()) or
    `method` (default "decaying_average"), then every keyword set through
    mlg_method_params_set(), so names, words and range checks are exactly
    the C library's; param_info() lists the keys with their bounds and
    defaults.  An unknown key raises NotFoundError naming it and the valid
    keys; a value out of range raises the library's error naming the key and
    its bounds.  A keyword whose value is None is left at its default."""
    p = MethodParams()
    if preset is not None:
        if method is not None:
            raise TypeError("give either method= or preset=, not both")
        if isinstance(preset, MethodParams):
            ctypes.pointer(p)[0] = preset
        else:
            rc = _fn("mlg_preset_init")(str(preset).encode(), byref(p))
            if rc == _native.MLG_ENOTFOUND:
                hint = None
                if str(preset) in _methods():
                    hint = "%r is a method: pass method=%r" % (preset, preset)
                raise unknown_name("preset", preset, _presets(), hint)
            check(rc)
    elif isinstance(method, MethodParams):
        ctypes.memmove(byref(p), byref(method), ctypes.sizeof(p))
    else:
        m = method_id(DEFAULT_METHOD if method is None else method)
        check(_fn("mlg_method_params_init")(byref(p), m))
    table = {d["key"]: d for d in _param_table(p.method)}
    setp = _fn("mlg_method_params_set")
    for key, value in kwargs.items():
        if value is None:
            continue
        if key not in table:
            raise NotFoundError(
                11, "unknown parameter %r; valid keys: %s"
                % (key, ", ".join(table)))
        status = setp(byref(p), key.encode(),
                      _param_text(key, value).encode())
        if status != 0:
            cls = error_for(status).__class__
            raise cls(status, "parameter %s = %r: %s; expected %s"
                      % (key, value, strerror(status),
                         _bounds_text(table[key])))
    return p


# --------------------------------------------------------------- scales ---
@functools.lru_cache(maxsize=None)
def _builtin_scale(name):
    s = Scale()
    rc = _fn("mlg_scale_from_name")(name.encode(), byref(s))
    if rc == _native.MLG_ENOTFOUND:
        raise unknown_name("scale", name, _scales(),
                           "A custom scale is a list of level values, "
                           "e.g. mlg.scale([1, 2, 3, 4, 5])")
    check(rc)
    return s


def scale(spec="ccs4", *, labels=None, names=None, cuts=None,
          score_min=None, score_max=None, na_allowed=None, scale_id=None):
    """An mlg.Scale: a built-in by id ("ccs4", "tk", "eld4", "tk_eld",
    "behavior") or a custom one from ascending level values (mlg_scale_init
    defaults: labels "%g" of the values, midpoint cuts, range [first, last]),
    with any field overridden and the result validated."""
    if isinstance(spec, Scale):
        return spec
    if isinstance(spec, str):
        s = Scale()
        ctypes.memmove(byref(s), byref(_builtin_scale(spec)),
                       ctypes.sizeof(s))
    else:
        values = [float(v) for v in spec]
        s = Scale()
        check(_fn("mlg_scale_init")(byref(s), len(values),
                                    (c_double * max(1, len(values)))(
                                        *values)))
    n = s.n_levels

    def _strings(field, items, size, what):
        if len(items) != n:
            raise ValueError("%s: expected %d entries, got %d"
                             % (what, n, len(items)))
        for i, t in enumerate(items):
            b = str(t).encode()
            if len(b) >= size:
                raise ValueError("%s[%d] longer than %d bytes"
                                 % (what, i, size - 1))
            field[i].value = b

    if labels is not None:
        _strings(s.label, labels, _native.MLG_LABEL_SIZE, "labels")
    if names is not None:
        _strings(s.name, names, _native.MLG_NAME_SIZE, "names")
    if cuts is not None:
        if len(cuts) != n:
            raise ValueError("cuts: expected %d entries" % n)
        for i, c in enumerate(cuts):
            s.cut[i] = float(c)
    if score_min is not None:
        s.score_min = float(score_min)
    if score_max is not None:
        s.score_max = float(score_max)
    if na_allowed is not None:
        s.na_allowed = 1 if na_allowed else 0
    if scale_id is not None:
        b = str(scale_id).encode()
        if len(b) >= _native.MLG_LABEL_SIZE:
            raise ValueError("scale_id too long")
        s.id = b
    check(_fn("mlg_scale_validate")(byref(s)))
    return s


def _scale_arg(spec):
    """(pointer or None, Scale) for a scale argument (None = CCS 4)."""
    if spec is None:
        s = _builtin_scale("ccs4")
        return None, s
    s = spec if isinstance(spec, Scale) else scale(spec)
    return byref(s), s


# ---------------------------------------------------- input conversions ---
#: ISO 8601 calendar date, optionally with a time and a UTC offset
#: ("2024-09-03", "2024-09-03T10:15:00Z", "2024-09-03 10:15+02:00").  The
#: day is the date as written (the local wall-clock date), as for
#: tz-aware datetime64 columns.
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}"
                      r"(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?")


def day_number(x, date_format=None):
    """Days since 1970-01-01 for an int, a date/datetime, an ISO 8601 date
    string ("2024-09-03", a time part ignored) or a numpy datetime64.  Any
    other text needs date_format= (a strptime format such as "%m/%d/%Y")
    or raises ValueError: "12/09/2024" is never guessed."""
    if isinstance(x, bool):
        raise TypeError("a day cannot be a bool")
    if isinstance(x, numbers.Integral):
        return int(x)
    if isinstance(x, datetime.datetime):
        return x.date().toordinal() - _EPOCH_ORDINAL
    if isinstance(x, datetime.date):
        return x.toordinal() - _EPOCH_ORDINAL
    if isinstance(x, str):
        t = x.strip()
        if date_format is not None:
            d = datetime.datetime.strptime(t, date_format).date()
        elif ISO_DATE.fullmatch(t):
            d = datetime.date.fromisoformat(t[:10])
        else:
            raise ValueError("day %r is not an ISO 8601 date (YYYY-MM-DD); "
                             "pass date_format= for other forms" % (x,))
        return d.toordinal() - _EPOCH_ORDINAL
    if _np is not None and isinstance(x, _np.datetime64):
        return int(x.astype("datetime64[D]").astype(_np.int64))
    raise TypeError("cannot read a day from %r" % (x,))


def _status_code(x):
    if isinstance(x, str):
        return status_code(x)
    if x is None:
        return _native.MLG_EVIDENCE_COUNTED
    v = int(x)
    if not 0 <= v <= 255:
        raise ValueError("evidence status %r out of range" % (x,))
    return v


def _c_array(values, ctype, n):
    """A ctypes array of n ctype items from a sequence, or a pointer into a
    numpy array when one of the right type is given (no copy)."""
    if values is None:
        return None, None
    if _np is not None and isinstance(values, _np.ndarray):
        dtype = {c_double: _np.float64, c_int32: _np.int32,
                 c_uint8: _np.uint8, c_int64: _np.int64}[ctype]
        a = _np.ascontiguousarray(values, dtype=dtype)
        if a.shape != (n,):
            raise ValueError("expected %d entries, got shape %s"
                             % (n, a.shape))
        return a.ctypes.data_as(POINTER(ctype)), a
    seq = list(values)
    if len(seq) != n:
        raise ValueError("expected %d entries, got %d" % (n, len(seq)))
    arr = (ctype * max(n, 1))(*seq)
    return ctypes.cast(arr, POINTER(ctype)), arr


def _series_inputs(scores, days, weights, status):
    """ctypes pointers (and the objects keeping them alive) for one series."""
    if _np is not None and isinstance(scores, _np.ndarray):
        sc = [float(v) for v in scores.ravel()]
    else:
        sc = [float(v) for v in scores]
    n = len(sc)
    keep = []
    score_p, k = _c_array(sc, c_double, n)
    keep.append(k)
    day_p = weight_p = status_p = None
    if days is not None:
        dl = [day_number(d) for d in days]
        for d in dl:
            if not _INT32_MIN < d <= _INT32_MAX:
                raise OverflowError("day %d outside int32" % d)
        day_p, k = _c_array(dl, c_int32, n)
        keep.append(k)
    if weights is not None:
        weight_p, k = _c_array([float(w) for w in weights], c_double, n)
        keep.append(k)
    if status is not None:
        status_p, k = _c_array([_status_code(s) for s in status], c_uint8, n)
        keep.append(k)
    return n, day_p, score_p, weight_p, status_p, keep


# --------------------------------------------------------- scalar API -----
#: The result of one series (mlg_result), with the level's label.
SeriesResult = collections.namedtuple(
    "SeriesResult", "value rounded level label n_used n_ignored method")
SeriesResult.__doc__ = """\
value      proficiency value on the score scale, None if N/A
rounded    value rounded to params.decimals, None if N/A
level      level index (0 = lowest), None if N/A
label      the scale's label of that level ("3", "D", ...), None if N/A
n_used     evidence rows that entered the method
n_ignored  rows excused, missing-ignored or of weight 0
method     the method's name"""

#: One row of an explanation (mlg_explain_row); reason is a word such as
#: "used" or "outside_window" (MLG_WHY_*).
ExplainedRow = collections.namedtuple(
    "ExplainedRow", "row day reason score weight influence fitted")


class Explanation(collections.namedtuple("Explanation", "result rows")):
    """mlg.explain()'s answer: the SeriesResult and one ExplainedRow per
    input row (in input order)."""

    #: For mlg.explain_group(): the DataFrame index label of each row.
    labels = None

    def to_frame(self):
        """The rows as a pandas DataFrame (needs pandas), indexed by the
        input's labels when mlg.explain_group() produced it."""
        import pandas as pd
        return pd.DataFrame(self.rows, columns=ExplainedRow._fields,
                            index=self.labels)

    def __str__(self):
        r = self.result
        lines = ["%s: value %s, level %s (%d used, %d ignored)"
                 % (r.method, r.value, r.label, r.n_used, r.n_ignored),
                 "  row   day  reason           score  weight  influence"]
        for x in self.rows:
            lines.append("  %3d %5d  %-15s %6.3f %7.3f %10.4f"
                         % (x.row, x.day, x.reason, x.score, x.weight,
                            x.influence))
        return "\n".join(lines)


def _nan_to_none(v):
    return None if math.isnan(v) else v


def _make_result(res, s, p):
    na = res.level == _native.MLG_LEVEL_NA
    return SeriesResult(
        value=None if na else _nan_to_none(res.value),
        rounded=None if na else _nan_to_none(res.rounded),
        level=None if na else res.level,
        label=None if na else s.labels[res.level],
        n_used=res.n_used, n_ignored=res.n_ignored,
        method=_native.cstr(_fn("mlg_method_name")(p.method)))


def _series(explain, scores, method, days, weights, status, scale_, preset,
            kw):
    p = params(method, preset, **kw)
    scale_p, s = _scale_arg(scale_)
    n, day_p, score_p, weight_p, status_p, keep = _series_inputs(
        scores, days, weights, status)
    res = Result()
    err = ErrInfo()
    if explain:
        rows = (ExplainRow * max(n, 1))()
        rc = _fn("mlg_series_explain")(n, day_p, score_p, weight_p, status_p,
                                       scale_p, byref(p), byref(res),
                                       ctypes.cast(rows, POINTER(ExplainRow)),
                                       byref(err))
    else:
        rows = None
        rc = _fn("mlg_series_compute")(n, day_p, score_p, weight_p, status_p,
                                       scale_p, byref(p), byref(res),
                                       byref(err))
    del keep
    check(rc, err)
    r = _make_result(res, s, p)
    if not explain:
        return r
    out = []
    for i in range(n):
        x = rows[i]
        out.append(ExplainedRow(
            row=x.row, day=x.day, reason=why_name(x.reason),
            score=x.score, weight=x.weight, influence=x.influence,
            fitted=_nan_to_none(x.fitted)))
    return Explanation(r, out)


def proficiency(scores, method=None, *, days=None, weights=None, status=None,
                scale=None, preset=None, **params):
    """Current proficiency value of one evidence series, or None for N/A.

    scores   scores in time order (or ordered by `days`).
    method   a name from mlg.methods(); None means "decaying_average" (or
             the preset's method).
    days     optional day numbers (int), dates or ISO strings, never
             decreasing; None means input order.
    weights  optional weights >= 0 (0 = ignored).
    status   optional per-row status words ("counted", "excused",
             "missing", or a synonym of status_words(): "" = counted,
             exempt/E, M) or codes 0/1/2.
    scale    a scale id ("ccs4" default, "tk", ...) or an mlg.Scale.
    preset   a name from mlg.presets() instead of method.
    **params the C parameter names: n, tie, missing, weight, mastery,
             half_life_days, as_of, rounding, decimals, log_shift.

    >>> proficiency([1, 2, 3, 3], "most_recent")
    3.0
    """
    return _series(False, scores, method, days, weights, status, scale,
                   preset, params).value


def result(scores, method=None, *, days=None, weights=None, status=None,
           scale=None, preset=None, **params):
    """Like proficiency() but returns the full SeriesResult (value, rounded,
    level index, label, n_used, n_ignored, method)."""
    return _series(False, scores, method, days, weights, status, scale,
                   preset, params)


def explain(scores, method=None, *, days=None, weights=None, status=None,
            scale=None, preset=None, **params):
    """The SeriesResult plus one ExplainedRow per input row: why each row did
    or did not count and its share of the value (mlg_series_explain)."""
    return _series(True, scores, method, days, weights, status, scale,
                   preset, params)


def level(value, scale="ccs4", rounding="half_up", decimals=6):
    """The label of the level a value maps to (mlg_value_to_level), or None
    for None/NaN.  rounding: half_up, half_even, floor or cuts."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    p = params("mean", rounding=rounding, decimals=decimals)
    scale_p, s = _scale_arg(scale)
    lv = c_int32()
    check(_fn("mlg_value_to_level")(float(value), scale_p, byref(p),
                                    byref(lv), None))
    return s.labels[lv.value]


# ------------------------------------------------------------ batch API ---
Batch = collections.namedtuple("Batch", "values levels counts")
Batch.__doc__ = ("proficiency_batch() output when levels or counts are "
                 "requested; fields not requested are None.")


def _np_column(x, dtype, name, n=None):
    """x as a C-contiguous numpy array of dtype: no copy when it already is
    one; integer targets refuse floats and out-of-range values instead of
    wrapping them."""
    a = _np.asarray(x)
    if a.ndim != 1:
        raise ValueError("%s must be one-dimensional, got shape %s"
                         % (name, a.shape))
    if n is not None and a.shape[0] != n:
        raise ValueError("%s has %d entries, expected %d"
                         % (name, a.shape[0], n))
    target = _np.dtype(dtype)
    if a.dtype == target:
        return _np.ascontiguousarray(a)
    if target.kind in "iu":
        if a.dtype.kind == "M" and name == "days":
            a = a.astype("datetime64[D]").astype(_np.int64)
        elif a.size and (a.dtype.kind == "b" or a.dtype.kind not in "iu"):
            raise TypeError("%s must hold integers, not %s"
                            % (name, a.dtype))
        if a.size:
            info = _np.iinfo(target)
            lo, hi = a.min(), a.max()
            if lo < info.min or hi > info.max:
                raise OverflowError("%s: values outside %s" % (name, target))
    elif a.dtype.kind not in "iuf":
        raise TypeError("%s must hold numbers, not %s" % (name, a.dtype))
    return _np.ascontiguousarray(a, dtype=target)


def status_array(a):
    """uint8 codes of a numpy array of status words (or codes): each
    distinct entry is read once, words by the library (status_code());
    None and NaN are counted."""
    a = _np.asarray(a)
    if a.dtype.kind in "US":
        uniq, inverse = _np.unique(a, return_inverse=True)
        uniq = uniq.tolist()
    else:
        seen = {}
        inverse = _np.empty(a.shape[0], dtype=_np.int64)
        for i, v in enumerate(a.tolist()):
            inverse[i] = seen.setdefault(None if _is_blank(v) else v,
                                         len(seen))
        uniq = list(seen)
    codes = _np.array([_status_code(u) for u in uniq], dtype=_np.uint8)
    return codes[inverse] if a.shape[0] else _np.zeros(0, dtype=_np.uint8)


def _is_blank(v):
    return v is None or (isinstance(v, float) and math.isnan(v))


def _status_column(status, n):
    a = _np.asarray(status)
    if a.dtype.kind in "OUS":
        codes = status_array(a)
        if codes.shape[0] != n:
            raise ValueError("status has %d entries, expected %d"
                             % (codes.shape[0], n))
        return codes
    return _np_column(a, _np.uint8, "status", n)


def _ptr(a, ctype):
    return None if a is None else a.ctypes.data_as(POINTER(ctype))


def _out_array(a, dtype, n, name):
    if not (isinstance(a, _np.ndarray) and a.dtype == dtype and
            a.shape == (n,) and a.flags.c_contiguous and a.flags.writeable):
        raise ValueError("out: %s must be a writeable C-contiguous %s array "
                         "of %d entries" % (name, _np.dtype(dtype).name, n))
    return a


def batch_raw(offsets, scores, days, weights, status, p, scale_p, threads,
              want_levels, want_counts, out=None):
    """The numpy core of proficiency_batch(): inputs already converted;
    returns (values, levels or None, counts or None), written into `out`
    (values, levels, counts; None entries allocated) when given."""
    n_groups = offsets.shape[0] - 1
    ov, ol, oc = (None, None, None) if out is None else tuple(out)
    values = (_np.empty(n_groups, dtype=_np.float64) if ov is None else
              _out_array(ov, _np.float64, n_groups, "values"))
    levels = None
    if want_levels or ol is not None:
        levels = (_np.empty(n_groups, dtype=_np.int32) if ol is None else
                  _out_array(ol, _np.int32, n_groups, "levels"))
    counts = None
    if want_counts or oc is not None:
        counts = (_np.empty(n_groups, dtype=_np.int32) if oc is None else
                  _out_array(oc, _np.int32, n_groups, "counts"))
    err = ErrInfo()
    rc = _fn("mlg_batch_compute")(
        n_groups, _ptr(offsets, c_int64), _ptr(days, c_int32),
        _ptr(scores, c_double), _ptr(weights, c_double),
        _ptr(status, c_uint8), scale_p, byref(p), int(threads),
        _ptr(values, c_double), _ptr(levels, c_int32), _ptr(counts, c_int32),
        byref(err))
    check(rc, err)
    return values, levels, counts


def _batch_inputs_numpy(offsets, scores, days, weights, status):
    offsets = _np_column(offsets, _np.int64, "offsets")
    if offsets.shape[0] < 1:
        raise ValueError("offsets needs n_groups + 1 >= 1 entries")
    scores = _np_column(scores, _np.float64, "scores")
    n = scores.shape[0]
    if int(offsets[-1]) != n:
        raise ValueError("offsets[-1] is %d but there are %d score rows"
                         % (int(offsets[-1]), n))
    if days is not None:
        days = _np_column(days, _np.int32, "days", n)
    if weights is not None:
        weights = _np_column(weights, _np.float64, "weights", n)
    if status is not None:
        status = _status_column(status, n)
    return offsets, scores, days, weights, status


def proficiency_batch(offsets, scores, days=None, weights=None, status=None,
                      method=None, threads=0, scale=None, preset=None,
                      levels=False, counts=False, out=None, **params_):
    """Proficiency of many series at once (mlg_batch_compute), in CSR form:
    group g is rows offsets[g] .. offsets[g+1]-1 of scores/days/weights/
    status; offsets[0] == 0, non-decreasing, offsets[-1] == len(scores).

    With numpy, inputs that are already contiguous int64 offsets, float64
    scores/weights, int32 days and uint8 status are passed without a copy
    (others are converted once); days may also be datetime64.  Returns a
    float64 array of values (NaN = N/A), or, when levels/counts is true, a
    Batch(values, levels, counts) of arrays (level -1 = N/A; counts = rows
    used).  threads: 0 = all cores, 1 = the calling thread.  The GIL is
    released during the C call, so Python threads run batches in parallel.

    out: optional preallocated outputs to reuse across calls, a
    (values, levels, counts) tuple or Batch of float64/int32/int32 arrays of
    n_groups entries (levels and counts may be None); saves the allocation
    and first-touch page faults of fresh arrays in a loop (numpy only).

    Without numpy, any sequences work and array.array objects come back.
    """
    p = params(method, preset, **params_)
    scale_p, _ = _scale_arg(scale)
    if _np is not None:
        cols = _batch_inputs_numpy(offsets, scores, days, weights, status)
        v, lv, c = batch_raw(*cols, p, scale_p, threads, levels, counts,
                             out)
        if out is not None:
            levels = levels or lv is not None
            counts = counts or c is not None
    else:
        if out is not None:
            raise TypeError("out= needs numpy")
        v, lv, c = _batch_stdlib(offsets, scores, days, weights, status, p,
                                 scale_p, threads, levels, counts)
    if levels or counts:
        return Batch(v, lv, c)
    return v


def _batch_stdlib(offsets, scores, days, weights, status, p, scale_p,
                  threads, want_levels, want_counts):
    off = array.array("q", [int(o) for o in offsets])
    if len(off) < 1:
        raise ValueError("offsets needs n_groups + 1 >= 1 entries")
    sc = array.array("d", [float(s) for s in scores])
    n = len(sc)
    if off[-1] != n:
        raise ValueError("offsets[-1] is %d but there are %d score rows"
                         % (off[-1], n))

    def col(x, code, conv, name):
        if x is None:
            return None
        a = array.array(code, [conv(v) for v in x])
        if len(a) != n:
            raise ValueError("%s has %d entries, expected %d"
                             % (name, len(a), n))
        return a

    dy = col(days, "i", day_number, "days")
    wt = col(weights, "d", float, "weights")
    st = col(status, "B", _status_code, "status")
    g = len(off) - 1
    values = array.array("d", bytes(8 * g))
    levels = array.array("i", bytes(4 * g)) if want_levels else None
    counts = array.array("i", bytes(4 * g)) if want_counts else None

    def ptr(a, ctype):
        if a is None:
            return None
        if len(a) == 0:
            return ctypes.cast((ctype * 1)(), POINTER(ctype))
        return ctypes.cast((ctype * len(a)).from_buffer(a), POINTER(ctype))

    err = ErrInfo()
    rc = _fn("mlg_batch_compute")(
        g, ptr(off, c_int64), ptr(dy, c_int32), ptr(sc, c_double),
        ptr(wt, c_double), ptr(st, c_uint8), scale_p, byref(p), int(threads),
        ptr(values, c_double), ptr(levels, c_int32), ptr(counts, c_int32),
        byref(err))
    check(rc, err)
    return values, levels, counts
