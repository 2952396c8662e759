# SPDX-License-Identifier: GPL-3.0-or-later
"""pandas front end: a long evidence table in, one row per student x target
out, computed by one mlg_batch_compute() call (no Python loop per group).

The work is split so mlg.compare() and the roll-ups can reuse it:
prepare() factorises the ids, converts dates to day numbers, sorts (stably)
only when the input is not already in (student, target, day) order and
builds the CSR offsets; run() calls the batch kernel; frame() builds the
result table.
"""

import ctypes
import warnings

import numpy as np
import pandas as pd

from . import _core, _native
from .errors import DuplicateError, MlgError


class DuplicateEvidenceWarning(UserWarning):
    """Exact duplicate evidence rows were found and all but one of each
    were dropped (mlg.compute(..., duplicates="warn"), the default)."""


#: The duplicates= policies: the mlg command's --duplicates words.
DUPLICATES = ("warn", "error", "keep")

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
                 "order", "index", "n_rows", "n_duplicates_dropped")

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


_NS_PER_DAY = 86_400_000_000_000

ISO_DATE = _core.ISO_DATE

_DATE_HELP = ("Accepted without date_format=: datetime64 columns, Python "
              "dates and datetimes, ISO 8601 strings (YYYY-MM-DD, "
              "optionally with a time) and integer day numbers since "
              "1970-01-01.  Anything else needs an explicit date_format=, "
              "e.g. date_format='%m/%d/%Y' for 12/09/2024 = 9 December "
              "(month first) or '%d/%m/%Y' for 12 September (day first); "
              "mlg never guesses")


def _parse_strings(values, index_of, date_format):
    """datetime64[ns] of an array of distinct strings (the column's distinct
    values, so the work is per distinct date, not per row)."""
    text = pd.Series(values, dtype=object).str.strip()
    if date_format is None:
        ok = text.str.fullmatch(ISO_DATE).to_numpy(dtype=bool)
        if not ok.all():
            v = values[int(np.argmin(ok))]
            raise ValueError("assessed_at %r (input row %r) is not an ISO "
                             "8601 date. %s." % (v, index_of(v), _DATE_HELP))
        text = text.str.slice(0, 10)
        fmt = "%Y-%m-%d"
    else:
        fmt = date_format
    parsed = pd.to_datetime(text, format=fmt, exact=True, errors="coerce")
    bad = parsed.isna().to_numpy()
    if bad.any():
        v = values[int(np.argmax(bad))]
        raise ValueError(
            "assessed_at %r (input row %r) is not %s" % (
                v, index_of(v), "a date in date_format=%r" % date_format
                if date_format else "a real calendar date"))
    return parsed.to_numpy(dtype="datetime64[ns]")


def _days(col, date_format=None):
    """Day numbers (int64) of a column of dates: datetime64 (tz-aware
    columns use their local wall-clock date), Python dates and datetimes,
    ISO 8601 strings, or integers already counting days since 1970-01-01.
    Any other text needs date_format= (a strptime format), or raises:
    "12/09/2024" is never guessed to be a month or a day first."""
    if date_format is not None and not (
            pd.api.types.is_object_dtype(col.dtype)
            or pd.api.types.is_string_dtype(col.dtype)
            or isinstance(col.dtype, pd.CategoricalDtype)):
        raise TypeError("date_format= applies to text dates, but assessed_at "
                        "holds %s" % (col.dtype,))
    if pd.api.types.is_bool_dtype(col.dtype):
        raise TypeError("assessed_at holds booleans, not dates")
    if pd.api.types.is_integer_dtype(col.dtype):
        return col.to_numpy(dtype=np.int64)
    if not pd.api.types.is_datetime64_any_dtype(col.dtype):
        if pd.api.types.is_float_dtype(col.dtype):
            raise TypeError("assessed_at holds floats; give day numbers as "
                            "integers, or dates")
        col = _text_or_objects_to_datetime(col, date_format)
    if getattr(col.dt, "tz", None) is not None:
        col = col.dt.tz_localize(None)
    ns = col.to_numpy(dtype="datetime64[ns]")
    nat = np.isnat(ns)
    if nat.any():
        raise ValueError("assessed_at is missing at row %r"
                         % (col.index[nat][0],))
    # Floor division: dates before 1970 get negative day numbers.
    return ns.view(np.int64) // _NS_PER_DAY


def _wall_clock(v):
    """datetime64[ns] of a date or datetime (tz-aware: its own wall-clock
    time, as for tz-aware columns)."""
    t = pd.Timestamp(v)
    if t.tzinfo is not None:
        t = t.tz_localize(None)
    return t.to_datetime64()


def _text_or_objects_to_datetime(col, date_format):
    """A datetime64 Series from an object/string/categorical column of
    strings (ISO 8601, or date_format), or of Python dates/datetimes."""
    codes, uniques = pd.factorize(col, sort=False)
    if (codes < 0).any():
        raise ValueError("assessed_at is missing at row %r"
                         % (col.index[int(np.argmax(codes < 0))],))
    values = np.asarray(uniques, dtype=object)
    kind = pd.api.types.infer_dtype(values, skipna=False)

    def index_of(v):
        for k, u in enumerate(values):
            if u is v:
                return col.index[int(np.argmax(codes == k))]
        return None

    if values.shape[0] == 0:
        parsed = np.empty(0, dtype="datetime64[ns]")
    elif kind == "string":
        parsed = _parse_strings(values, index_of, date_format)
    elif date_format is None and kind in ("date", "datetime", "datetime64"):
        parsed = np.array([_wall_clock(v) for v in values],
                          dtype="datetime64[ns]")
    else:
        raise TypeError("assessed_at holds %s values (e.g. %r). %s."
                        % (kind, values[0], _DATE_HELP))
    return pd.Series(parsed[codes], index=col.index)


def _status(col):
    """uint8 status codes of a column: integers as they are; words read by
    the library (mlg_evidence_status_from_name: any case, "" and a missing
    value are counted, exempt/E and M are excused and missing), each
    distinct word once."""
    if pd.api.types.is_integer_dtype(col.dtype):
        return col.to_numpy()
    codes, uniques = pd.factorize(col, sort=False)
    table = np.empty(len(uniques) + 1, dtype=np.uint8)
    table[-1] = _native.MLG_EVIDENCE_COUNTED      # code -1: None / NaN
    for k, word in enumerate(uniques):
        try:
            table[k] = _core._status_code(word)
        except MlgError as e:
            row = col.index[int(np.argmax(codes == k))]
            e.context = "input row %r" % (row,)
            raise
    return table[codes]


def _change(values):
    """Boolean array: values[i+1] != values[i]."""
    return values[1:] != values[:-1]


def _starts(change):
    """Start positions of the runs described by a _change() array."""
    starts = np.empty(int(np.count_nonzero(change)) + 1, dtype=np.int64)
    starts[0] = 0
    starts[1:] = np.flatnonzero(change) + 1
    return starts


def _runs(values):
    """Start positions of the runs of equal adjacent values."""
    if values.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    return _starts(_change(values))


def _stable_argsort(key):
    """np.argsort(key, kind="stable") for non-negative int64 keys, as an
    LSD radix sort on 16-bit digits (numpy radix-sorts 16-bit integers):
    several times faster than the timsort numpy uses for int64."""
    kmax = int(key.max()) if key.shape[0] else 0
    order = None
    shift = 0
    while True:
        digit = ((key >> shift) & 0xFFFF).astype(np.uint16)
        if order is None:
            order = np.argsort(digit, kind="stable")
        else:
            order = order[np.argsort(digit[order], kind="stable")]
        shift += 16
        if (kmax >> shift) == 0:
            return order


def _id_keys(col):
    """Integer keys standing for a column of ids, cheap to compare and to
    hash: (keys, exact, categories, values) or None.

    - categorical: the codes (exact; categories decode them, -1 = missing);
    - integers: the values themselves (exact);
    - objects (strings...): the addresses of the Python objects, read
      through ctypes without a copy.  Equal keys mean the same object, so
      the same id; equal ids in different objects get different keys, which
      _decode() merges by value.  `values` keeps the objects alive.
    Other dtypes return None (plain pd.factorize)."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        return col.cat.codes.to_numpy(), True, col.cat.categories, None
    values = col.to_numpy()
    if values.ndim != 1:
        return None
    if values.dtype.kind in "iub":
        return values, True, None, values
    if values.dtype == object:
        values = np.ascontiguousarray(values)
        n = values.shape[0]
        if n == 0:
            return np.zeros(0, dtype=np.intp), False, None, values
        ptrs = np.ctypeslib.as_array(
            (ctypes.c_ssize_t * n).from_address(values.ctypes.data))
        return ptrs, False, None, values
    return None


def _missing(col, positions, codes, what):
    if codes.shape[0] and codes.min() < 0:
        i = int(np.argmax(codes < 0))
        row = i if positions is None else int(positions[i])
        raise ValueError("%s is missing at row %r" % (what, col.index[row]))


def _decode(col, spec, positions, what):
    """Factorise the ids at `positions` (None = every row) from their keys:
    (codes int64, uniques Index), uniques in order of first appearance."""
    keys, exact, categories, values = spec
    k = keys if positions is None else keys[positions]
    codes, uk = pd.factorize(k, sort=False)
    codes = codes.astype(np.int64, copy=False)
    if categories is not None:
        if uk.shape[0] and uk.min() < 0:
            _missing(col, positions, np.where(k < 0, -1, 0), what)
        return codes, categories.take(uk)
    if exact:
        return codes, pd.Index(uk)
    # Object addresses: merge distinct objects holding equal ids.
    if codes.shape[0]:
        m = np.maximum.accumulate(codes)
        first = np.flatnonzero(np.concatenate(([True],
                                               codes[1:] > m[:-1])))
    else:
        first = np.zeros(0, dtype=np.int64)
    pos = first if positions is None else positions[first]
    vcodes, vuniques = pd.factorize(values[pos], sort=False)
    codes = vcodes.astype(np.int64, copy=False)[codes]
    _missing(col, positions, codes, what)
    if not isinstance(vuniques, pd.Index):
        vuniques = pd.Index(vuniques)
    return codes, vuniques


def _factorize(col, what):
    """(codes int64, uniques) with uniques in order of first appearance.
    Ids are hashed through integer keys (_id_keys), and sorted or grouped
    columns (few runs of equal keys) only at the run heads."""
    n = len(col)
    spec = _id_keys(col)
    if spec is None:
        codes, uniques = pd.factorize(col, sort=False)
        codes = codes.astype(np.int64, copy=False)
        _missing(col, None, codes, what)
        if not isinstance(uniques, pd.Index):
            uniques = pd.Index(uniques)
        return codes, uniques
    if n == 0:
        return np.zeros(0, dtype=np.int64), pd.Index([])
    change = _change(spec[0])
    if np.count_nonzero(change) < n // 4:
        starts = _starts(change)
        head_codes, uniques = _decode(col, spec, starts, what)
        lengths = np.diff(np.append(starts, n))
        return np.repeat(head_codes, lengths), uniques
    return _decode(col, spec, None, what)


def _grouped_fast_path(df, names, days):
    """For input whose (student, target) groups are already contiguous and
    dated in order (the usual export order), the CSR structure straight
    from the changes between adjacent rows: only the group heads are
    factorised.  Returns (starts, group_student, group_target, students,
    targets) or None when the input needs the general path."""
    n = len(df)
    if n < 2:
        return None
    s_col = df[names["student_id"]]
    t_col = df[names["target_id"]]
    s_spec = _id_keys(s_col)
    t_spec = _id_keys(t_col)
    if s_spec is None or t_spec is None:
        return None
    change_s = _change(s_spec[0])
    change = change_s | _change(t_spec[0])
    n_runs = int(np.count_nonzero(change)) + 1
    if n_runs > n // 2:
        return None
    if bool((~change & (days[1:] < days[:-1])).any()):
        return None
    starts = _starts(change)
    # Students change less often than groups: factorise the student runs
    # and spread each run's code over the groups it contains.
    s_starts = _starts(change_s)
    s_codes, students = _decode(s_col, s_spec, s_starts, "student_id")
    first_group = np.searchsorted(starts, s_starts)
    gs = np.repeat(s_codes, np.diff(np.append(first_group, starts.shape[0])))
    gt, targets = _decode(t_col, t_spec, starts, "target_id")
    n_t = max(len(targets), 1)
    n_keys = len(students) * n_t
    gkey = gs * n_t + gt
    # Each (student, target) in one run only?  (Equal ids held by distinct
    # objects can split a run; the general path then handles them.)
    if n_keys <= 4 * n + 1024:
        if int(np.bincount(gkey, minlength=n_keys).max()) > 1:
            return None
    else:
        k = np.sort(gkey)
        if not bool((k[1:] != k[:-1]).all()):
            return None
    return starts, gs, gt, students, targets


def prepare(df, columns=None, date_format=None, duplicates="warn"):
    """Factorise, convert and (only if needed) sort `df` into a Prepared.

    Input whose (student, target) groups are already contiguous with days
    non-decreasing inside each is used as it is: no permutation and no
    copy, groups in input order.  Anything else is sorted stably by
    (student, target, day): students in order of first appearance, then
    targets in order of first appearance; same-day evidence keeps input
    order.  date_format and duplicates: see compute()."""
    if duplicates not in DUPLICATES:
        raise ValueError("duplicates=%r; the valid policies are: %s"
                         % (duplicates, ", ".join(map(repr, DUPLICATES))))
    names = _resolve_columns(df, columns)
    n = len(df)
    days = _days(df[names["assessed_at"]], date_format)
    if n and (days.min() <= -2 ** 31 or days.max() > 2 ** 31 - 1):
        raise OverflowError("assessed_at outside the int32 day range")
    scores = df[names["score"]].to_numpy(dtype=np.float64)
    weights = None
    if names["weight"] in df.columns:
        weights = df[names["weight"]].to_numpy(dtype=np.float64)
    status = None
    if names["status"] in df.columns:
        status = _status(df[names["status"]])

    fast = _grouped_fast_path(df, names, days)
    if fast is not None:
        starts, gs, gt, students, targets = fast
        return _prepared(starts, days, scores, weights, status, gs, gt,
                         students, targets, None, df.index, n, duplicates)

    s_codes, students = _factorize(df[names["student_id"]], "student_id")
    t_codes, targets = _factorize(df[names["target_id"]], "target_id")
    n_t = max(len(targets), 1)
    if len(students) and (len(students) - 1) > (2 ** 62) // n_t:
        raise OverflowError("too many students x targets")
    key = s_codes * n_t + t_codes

    order = None
    grouped = True
    if n > 1:
        # Already grouped?  Each key in one run (so no more runs than
        # distinct keys, and no key heading two runs) and days
        # non-decreasing inside runs.
        change = _change(key)
        n_runs = int(np.count_nonzero(change)) + 1
        n_keys = len(students) * n_t
        grouped = n_runs <= n_keys
        if grouped:
            starts = _starts(change)
            heads = key[starts]
            if n_keys <= 4 * n + 1024:
                grouped = int(np.bincount(heads, minlength=n_keys).max()) <= 1
            else:
                heads = np.sort(heads)
                grouped = bool((heads[1:] != heads[:-1]).all())
        if grouped:
            grouped = not bool((~change & (days[1:] < days[:-1])).any())
    else:
        starts = _runs(key)
    if not grouped:
        dmin = int(days.min())
        span = int(days.max()) - dmin + 1
        if int(key.max()) < (2 ** 62) // span:
            # One int64 composite key; a stable sort keeps same-day
            # evidence in input order, as mlg.h requires.
            order = _stable_argsort(key * span + (days - dmin))
        else:
            order = np.lexsort((days, key))
        key = key[order]
        days = days[order]
        scores = scores[order]
        if weights is not None:
            weights = weights[order]
        if status is not None:
            status = status[order]
        starts = _runs(key)

    gkey = key[starts]
    return _prepared(starts, days, scores, weights, status, gkey // n_t,
                     gkey % n_t, students, targets, order, df.index, n,
                     duplicates)


#: Longest same-day run compared row against row; longer runs (rare: many
#: pieces of evidence of one student on one target on one day) are hashed.
_PAIRWISE_RUN_MAX = 64


def _same(col, i, j):
    """col[i] == col[j] elementwise, NaN equal to NaN (an excused row's
    empty score equals another's)."""
    a, b = col[i], col[j]
    eq = a == b
    if col.dtype.kind == "f":
        eq |= np.isnan(a) & np.isnan(b)
    return eq


def _duplicate_rows(starts, days, scores, weights, status):
    """Exact duplicates in CSR order: (dup, first), the positions of every
    row equal in day, score, weight and status to an earlier row of its
    group (same student and target), and of the earliest such row.  Days
    are sorted within a group, so only rows in a run of same-day rows can
    be duplicates: input without same-day evidence costs one comparison per
    row, and each row of a run is compared with the rows before it."""
    n = days.shape[0]
    if n < 2:
        return None
    # same[p]: rows p and p + 1 are of one group and one day.
    same = days[1:] == days[:-1]
    same[starts[1:] - 1] = False
    if not same.any():
        return None
    cols = [c for c in (scores, weights, status) if c is not None]
    first = np.full(n, -1, dtype=np.int64)
    active = np.flatnonzero(same) + 1       # rows with >= 1 predecessor
    k = 1
    while active.shape[0]:
        if k > _PAIRWISE_RUN_MAX:
            return _duplicate_rows_hashed(same, starts, days, cols)
        j = active - k
        eq = np.ones(active.shape[0], dtype=bool)
        for c in cols:
            eq &= _same(c, active, j)
        first[active[eq]] = j[eq]           # larger k: an earlier row
        k += 1
        keep = active - k >= 0
        active = active[keep]
        active = active[same[active - k]]
    dup = np.flatnonzero(first >= 0)
    if dup.shape[0] == 0:
        return None
    return dup, first[dup]


def _duplicate_rows_hashed(same, starts, days, cols):
    """_duplicate_rows() for long same-day runs, by hashing the rows."""
    n = days.shape[0]
    cand = np.zeros(n, dtype=bool)
    cand[1:] |= same
    cand[:-1] |= same
    idx = np.flatnonzero(cand)
    f = pd.DataFrame({"g": np.searchsorted(starts, idx, side="right"),
                      "d": days[idx]})
    for k, c in enumerate(cols):
        f["c%d" % k] = c[idx]
    dup = f.duplicated(keep="first").to_numpy()
    if not dup.any():
        return None
    key = f.groupby(list(f.columns), sort=False,
                    dropna=False).ngroup().to_numpy()
    ukey, ufirst = np.unique(key, return_index=True)
    first_pos = np.empty(int(key.max()) + 1, dtype=np.int64)
    first_pos[ukey] = idx[ufirst]
    return idx[dup], first_pos[key[dup]]


def _duplicates(policy, found, order, index, starts, group_student,
                group_target, students, targets, days):
    """Apply the duplicates= policy to _duplicate_rows()'s answer."""
    dup, first = found

    def where(pos):
        return index[int(order[pos]) if order is not None else int(pos)]

    g = int(np.searchsorted(starts, dup[0], side="right")) - 1
    msg = ("%d exact duplicate evidence row(s) (same student_id, target_id, "
           "assessed_at, score, weight and status); the first: input row %r "
           "repeats input row %r (student_id=%r, target_id=%r, "
           "assessed_at %s)"
           % (dup.shape[0], where(dup[0]), where(first[0]),
              students[group_student[g]], targets[group_target[g]],
              np.datetime64(int(days[dup[0]]), "D")))
    if policy == "error":
        raise DuplicateError(_native.MLG_EDUPLICATE,
                             msg + ". duplicates='warn' keeps one of "
                             "each, duplicates='keep' counts them all")
    warnings.warn(DuplicateEvidenceWarning(
        msg + "; all but one of each were dropped (duplicates='keep' counts "
        "them all, duplicates='error' refuses them)"), stacklevel=5)


def _prepared(starts, days, scores, weights, status, group_student,
              group_target, students, targets, order, index, n,
              duplicates="keep"):
    n_dropped = 0
    if duplicates != "keep" and n:
        found = _duplicate_rows(starts, days, scores, weights, status)
        if found is not None:
            _duplicates(duplicates, found, order, index, starts,
                        group_student, group_target, students, targets, days)
            keep = np.ones(n, dtype=bool)
            keep[found[0]] = False
            starts = starts - np.searchsorted(found[0], starts)
            days, scores = days[keep], scores[keep]
            weights = None if weights is None else weights[keep]
            status = None if status is None else status[keep]
            order = (np.flatnonzero(keep) if order is None
                     else order[keep])
            n_dropped = int(found[0].shape[0])
            n -= n_dropped
    offsets = np.empty(starts.shape[0] + 1, dtype=np.int64)
    offsets[:-1] = starts
    offsets[-1] = n
    p = Prepared()
    p.offsets = offsets if n else np.zeros(1, dtype=np.int64)
    p.days = days.astype(np.int32)
    p.scores = np.ascontiguousarray(scores)
    p.weights = None if weights is None else np.ascontiguousarray(weights)
    p.status = (None if status is None
                else np.ascontiguousarray(status, dtype=np.uint8))
    p.group_student = group_student
    p.group_target = group_target
    p.students = students
    p.targets = targets
    p.order = order
    p.index = index
    p.n_rows = n
    p.n_duplicates_dropped = n_dropped
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
            scale=None, preset=None, date_format=None, duplicates="warn",
            policy=None, **params):
    """Proficiency of every student x target in a long evidence table.

    df         one row per piece of evidence with columns student_id,
               target_id, assessed_at, score, and optionally weight and
               status (a status word of mlg.status_words(): counted,
               excused, missing, exempt, E, M, ...; empty = counted; or
               0/1/2).
    assessed_at  datetime64 (tz-aware: the local date), Python dates or
               datetimes, ISO 8601 strings ("2024-09-03", with or without
               a time) or integer day numbers since 1970-01-01.  Any other
               text needs date_format= (a strptime format such as
               "%m/%d/%Y"), or raises: "12/09/2024" is never guessed.
    duplicates "warn" (default): exact duplicate rows (same student,
               target, assessed_at, score, weight and status) are counted
               once, with a DuplicateEvidenceWarning giving how many were
               dropped and the first one's input row; "error": raise
               mlg.errors.DuplicateError; "keep": count every row.  The
               result's .attrs["duplicates_dropped"] is the number dropped.
    columns    maps canonical names to df's, e.g. {"student_id": "sid"}.
    method, preset, scale, **params   as mlg.proficiency().
    threads    batch threads: 0 = all cores, 1 = the calling thread.
    policy     a district policy (mlg.district_policy.load(): a shipped
               name such as "lausd-bul-2332.7", a JSON path or text): its
               method when none is given; recorded in attrs["policy"].
    catalogue  roll-up catalogue: see mlg.rollup (targets -> domains ->
               composites); when given, returns mlg.rollup.Rollup with the
               target table and the roll-up tables.

    Unsorted input is sorted stably by (student, target, day), never
    rejected; same-day evidence keeps input order.  Returns a DataFrame
    with columns student_id, target_id, value (NaN = N/A), level (ordered
    Categorical of the scale's labels) and n_evidence (rows the method
    used), one row per (student, target): in input order when each
    (student, target)'s rows are already contiguous and dated in order,
    else students in order of first appearance, then targets in order of
    first appearance.
    """
    p = _core.params(method, preset, **params)
    if policy is not None:  # a district policy: mlg.district_policy.load()
        from . import district_policy
        policy = district_policy.load(policy)
        if method is None and preset is None and not params:
            p = policy.method_params()
    scale_p, s = _core._scale_arg(scale)
    prep = prepare(df, columns, date_format, duplicates)
    values, levels, counts = run(prep, p, scale_p, threads)
    out = frame(prep, values, levels, counts, s)
    out.attrs["duplicates_dropped"] = prep.n_duplicates_dropped
    if policy is not None:
        out.attrs["policy"] = policy.label
    if catalogue is None:
        return out
    from . import rollup
    return rollup.rollup_frame(out, levels, prep, catalogue, scale=s,
                               threads=threads)


def explain_group(df, student_id, target_id, method=None, columns=None,
                  scale=None, preset=None, date_format=None,
                  duplicates="warn", **params):
    """mlg.explain() for one (student, target) of a long evidence table:
    the rows are taken in (day, input) order, and the result's rows carry
    the DataFrame's index label of each piece of evidence in `.labels`.
    date_format and duplicates as mlg.compute().  The basis for answering
    a grade appeal from a gradebook export."""
    names = _resolve_columns(df, columns)
    sel = df[(df[names["student_id"]] == student_id) &
             (df[names["target_id"]] == target_id)]
    if sel.empty:
        raise KeyError("no evidence for student_id=%r, target_id=%r"
                       % (student_id, target_id))
    prep = prepare(sel, columns, date_format, duplicates)
    kw = {}
    if prep.weights is not None:
        kw["weights"] = prep.weights
    if prep.status is not None:
        kw["status"] = prep.status
    e = _core.explain(prep.scores, method, days=prep.days.tolist(),
                      scale=scale, preset=preset, **kw, **params)
    rows = (np.arange(prep.n_rows) if prep.order is None else prep.order)
    e.labels = [sel.index[int(r)] for r in rows]
    return e
