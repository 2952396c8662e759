# SPDX-License-Identifier: GPL-3.0-or-later
"""Policy checks from Python (include/mlg_policy.h examples)."""
import math

import pytest

np = pytest.importorskip("numpy")

import mlg  # noqa: E402
from mlg import errors, policy  # noqa: E402


def test_attendance_sec_I_F():
    """Sec. I.F: 15 or more instructional days -> marks; fewer -> no marks
    and AG-14, unless the teacher overrides."""
    decisions, n = policy.attendance([15, 14, 3, 40], override=[0, 0, 1, 1])
    assert decisions == ["marks", "ag14", "override", "marks"]
    assert n == 1
    assert policy.attendance([10], min_days=10) == (["marks"], 0)
    with pytest.raises(errors.InvalidError):
        policy.attendance([-1])
    with pytest.raises(errors.InvalidError):
        policy.attendance([5], override=[2])


def test_notices_sec_IX_E():
    """mlg_policy.h: levels 4,3,2,1 in four areas give notices for the
    areas with levels 2 and 1; NaN (N/A) is never at risk."""
    assert policy.notices([[4, 3, 2, 1]]) == [(0, 2), (0, 3)]
    assert policy.notices([[math.nan, 1], [3, 3]]) == [(0, 1)]
    assert policy.notices([[3, 3]]) == []
    # A behaviour area with threshold 1 (R, Rarely).
    assert policy.notices([[2, 2]], thresholds=[2, 1]) == [(0, 0)]
    # Sec. IX.C: only notices not already sent.
    assert policy.notices([[1, 1, 3]], previous=[(0, 0)]) == [(0, 1)]
    with pytest.raises(errors.NanError):
        policy.notices([[math.inf]])
    with pytest.raises(errors.InvalidError):
        policy.notices([[1, 1]], previous=[(0, 5)])


def test_entry_check_attachment_b():
    """mlg_policy.h, Attachment B 2018-19: ELA marks on days start,
    midpoint and end give by_midpoint 2, by_end 3, no flag; two marks after
    the midpoint give SHORT_MIDPOINT and SHORT_END."""
    period = ("2024-09-03", "2024-10-15", "2024-11-22")
    d = [mlg.day_number(x) for x in period]
    r = policy.entry_check([0, 3, 5], d + [d[1] + 1, d[2]],
                           ["ela", "ela"], period)
    assert r.by_midpoint.tolist() == [2, 0]
    assert r.by_end.tolist() == [3, 2]
    assert "short_midpoint" not in r.flags[0]
    assert "short_end" not in r.flags[0]
    assert {"short_midpoint", "short_end"} <= r.flags[1]
    assert r.summary["n_slots"] == 2 and r.summary["n_short_any"] == 1
    m = policy.entry_minimums(2018)
    assert (m.req_midpoint[0], m.req_end[0]) == (1, 3)
    with pytest.raises(errors.NotFoundError):
        policy.entry_minimums(2017)
    with pytest.raises(errors.InvalidError):     # midpoint before start
        policy.entry_check([0, 1], [d[0]], ["ela"],
                           (period[1], period[0], period[2]))
