# SPDX-License-Identifier: GPL-3.0-or-later
"""Report-card policy checks (include/mlg_policy.h, BUL-2332.7): minimum
grade entry (sec. VII, Attachment B), warning notices (sec. IX, Attachment
C) and insufficient attendance (sec. I.F).  Thin wrappers over the C
functions on numpy arrays; docs/policy.md states the rules.

    mlg.policy.attendance([20, 14, 9], override=[0, 0, 1])
    # (['marks', 'ag14', 'override'], 1)
    mlg.policy.notices([[4, 3, 2, 1]])          # [(0, 2), (0, 3)]
"""

import collections
from ctypes import POINTER, byref, c_double, c_int32, c_int64, c_size_t, \
    c_uint8, c_uint32

import numpy as np

from . import _native
from ._rollup_types import EntryMinimums, EntrySummary, Period
from .errors import check

ATTEND = ("marks", "ag14", "override")   # MLG_ATTEND_*
SUBJECTS = {"ela": 0, "math": 1, "ald": 2, "other": 3}   # MLG_SUBJECT_*
ENTRY_FLAGS = {"short_midpoint": 0x01, "short_end": 0x02,
               "rec_midpoint": 0x04, "rec_end": 0x08}
NOTICE_THRESHOLD_CCS = 2.0


def _fn(name):
    return _native.function(name)


def _p(a, ctype):
    return None if a is None else a.ctypes.data_as(POINTER(ctype))


def attendance(days_enrolled, override=None, min_days=15):
    """Sec. I.F for each student: (decisions, n_ag14), decisions being
    "marks", "ag14" (fewer than min_days: no marks, comment AG-14) or
    "override" (fewer days, marks assigned by the teacher's choice)."""
    d = np.ascontiguousarray(days_enrolled, dtype=np.int32)
    o = (None if override is None else
         np.ascontiguousarray(override, dtype=np.uint8))
    if o is not None and o.shape != d.shape:
        raise ValueError("override must have one flag per student")
    out = np.empty(d.shape[0], dtype=np.int32)
    n = c_size_t()
    err = _native.ErrInfo()
    check(_fn("mlg_attendance_check")(d.shape[0], _p(d, c_int32),
                                      _p(o, c_uint8), int(min_days),
                                      _p(out, c_int32), byref(n),
                                      byref(err)), err)
    return [ATTEND[k] for k in out], n.value


def _pairs(call):
    """Run a notice-list call twice: size query, then fill."""
    need = c_size_t()
    rc = call(0, None, None, byref(need))
    if rc not in (0, 15):            # MLG_ESIZE is the size answer
        check(rc)
    if need.value == 0:
        return []
    s = np.empty(need.value, dtype=np.int64)
    a = np.empty(need.value, dtype=np.int64)
    err = _native.ErrInfo()
    check(call(need.value, _p(s, c_int64), _p(a, c_int64), byref(need),
               err=err), err)
    return list(zip(s.tolist(), a.tolist()))


def notices(values, thresholds=None, previous=None):
    """Warning notices (sec. IX): every (student, area) whose level value
    (values[s][a], NaN = N/A) is at or below the area's threshold (default
    2.0, "at risk of a 1 or 2"), as (student, area) index pairs.  With
    `previous` (the pairs already notified), only the new ones (sec. IX.C,
    mlg_notice_list_new)."""
    v = np.ascontiguousarray(values, dtype=np.float64)
    if v.ndim != 2:
        raise ValueError("values must be students x areas")
    n_s, n_a = v.shape
    t = (None if thresholds is None else
         np.ascontiguousarray(thresholds, dtype=np.float64))
    if t is not None and t.shape != (n_a,):
        raise ValueError("thresholds must have one entry per area")
    if previous is None:
        def call(cap, so, ao, need, err=None):
            return _fn("mlg_notice_list")(
                n_s, n_a, _p(v, c_double), _p(t, c_double), cap, so, ao,
                need, None if err is None else byref(err))
    else:
        prev = np.asarray(sorted(previous), dtype=np.int64).reshape(-1, 2)
        ps = np.ascontiguousarray(prev[:, 0])
        pa = np.ascontiguousarray(prev[:, 1])

        def call(cap, so, ao, need, err=None):
            return _fn("mlg_notice_list_new")(
                n_s, n_a, _p(v, c_double), _p(t, c_double), prev.shape[0],
                _p(ps, c_int64), _p(pa, c_int64), cap, so, ao, need,
                None if err is None else byref(err))
    return _pairs(call)


def entry_minimums(year="2018-19"):
    """The Attachment B minimum-entry table: a year (2018, 2019, 2020) or
    a name ("2018-19", ...)."""
    m = EntryMinimums()
    if isinstance(year, int):
        check(_fn("mlg_entry_minimums_preset")(year, byref(m)))
    else:
        check(_fn("mlg_entry_minimums_from_name")(str(year).encode(),
                                                  byref(m)))
    return m


EntryCheck = collections.namedtuple(
    "EntryCheck", "by_midpoint by_end flags summary")


def entry_check(offsets, days, slot_category, period, status=None,
                group_slot=None, minimums="2018-19"):
    """Minimum grade entry for one reporting period (mlg_entry_check).

    offsets/days/status  evidence in the batch layout (group g = rows
                         offsets[g]..offsets[g+1]-1); days need not be
                         sorted.
    slot_category        per slot: "ela", "math", "ald", "other" or 0..3.
    period               (start, midpoint, end) day numbers or dates.
    group_slot           slot of each group (None: one slot per group).
    Returns EntryCheck(by_midpoint, by_end, flags, summary) with flags as
    sets of names (short_midpoint, short_end, rec_midpoint, rec_end) and
    summary a dict of the totals."""
    from ._core import day_number
    off = np.ascontiguousarray(offsets, dtype=np.int64)
    dy = np.ascontiguousarray(days, dtype=np.int32)
    st = (None if status is None else
          np.ascontiguousarray(status, dtype=np.uint8))
    cats = np.ascontiguousarray(
        [SUBJECTS[c] if isinstance(c, str) else int(c)
         for c in slot_category], dtype=np.int32)
    gs = (None if group_slot is None else
          np.ascontiguousarray(group_slot, dtype=np.int64))
    if off.shape[0] < 1 or int(off[-1]) != dy.shape[0]:
        raise ValueError("offsets[-1] must equal len(days)")
    if st is not None and st.shape != dy.shape:
        raise ValueError("status must have one entry per day")
    n_groups = off.shape[0] - 1
    if gs is not None and gs.shape != (n_groups,):
        raise ValueError("group_slot must have one entry per group")
    per = Period(*[day_number(x) for x in period], 0)
    m = minimums if isinstance(minimums, EntryMinimums) else \
        entry_minimums(minimums)
    n_slots = cats.shape[0]
    by_mid = np.empty(n_slots, dtype=np.int64)
    by_end = np.empty(n_slots, dtype=np.int64)
    flags = np.empty(n_slots, dtype=np.uint32)
    summ = EntrySummary()
    err = _native.ErrInfo()
    check(_fn("mlg_entry_check")(
        n_groups, _p(off, c_int64), _p(dy, c_int32), _p(st, c_uint8),
        _p(gs, c_int64), n_slots, _p(cats, c_int32), byref(per), byref(m),
        _p(by_mid, c_int64), _p(by_end, c_int64), _p(flags, c_uint32),
        byref(summ), byref(err)), err)
    named = [{k for k, bit in ENTRY_FLAGS.items() if f & bit}
             for f in flags.tolist()]
    summary = {name: getattr(summ, name) for name, _ in summ._fields_}
    return EntryCheck(by_mid, by_end, named, summary)
