# SPDX-License-Identifier: GPL-3.0-or-later
"""mlg.district_policy and compute(policy=) (include/mlg_policy.h)."""
import json

import pytest

import mlg
import mlg.district_policy as dp
from mlg.errors import FormatError, NotFoundError


def test_shipped_policy():
    p = dp.load()
    assert p.name == "lausd-bul-2332.7"
    assert len(p.hash) == 64
    doc = json.loads(p.canonical)
    assert doc["rules"]["domain"] == "capped_median gap=1"
    # BUL-2332.7 sec. I.F: 15 days; Att. B 2018-19.
    s = p.settings()
    assert s["attendance_min_days"] == 15 and s["entry_year"] == 2018
    # Sec. IX.E: notices at 1 or 2 on CCS, R on behaviours, none on TK.
    assert p.notice_threshold("ccs4") == 2.0
    assert p.notice_threshold("behavior") == 1.0
    assert p.notice_threshold("tk") is None
    assert mlg.method_id("consistent_recent") == p.method_params().method


def test_text_and_errors():
    p = dp.load()
    q = dp.load(p.canonical)
    assert q.hash == p.hash
    with pytest.raises(NotFoundError, match="min_day"):
        dp.load(p.canonical.replace('"min_days"', '"min_day"'))
    with pytest.raises(FormatError):
        dp.load("{not json")


def test_compute_policy():
    pd = pytest.importorskip("pandas")
    # Zoey's target (Att. A): 1, 2, 3, 3.  The policy's consistent_recent
    # n 2 gives min(3, 3) = 3; the default decaying_average 0.65 gives
    # 2.8346 (README).
    df = pd.DataFrame({"student_id": ["Z"] * 4, "target_id": ["T"] * 4,
                       "assessed_at": [19610, 19624, 19638, 19652],
                       "score": [1, 2, 3, 3]})
    out = mlg.compute(df, policy="lausd-bul-2332.7")
    assert out["value"].iloc[0] == 3.0
    assert out.attrs["policy"] == dp.load().label
    out = mlg.compute(df, policy="lausd-bul-2332.7", method="mean")
    assert out["value"].iloc[0] == 2.25
