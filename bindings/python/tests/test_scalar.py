# SPDX-License-Identifier: GPL-3.0-or-later
"""Scalar API: mlg.proficiency/result/explain/level, names and presets."""
import datetime
import math
import os
import re

import pytest

from conftest import REPO
import mlg

ZOEY = [1, 2, 3, 3]   # BUL-2332.7 Attachment A, Learning Target 1


def _ols(x, y):
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    b = (sum((a - mx) * (c - my) for a, c in zip(x, y))
         / sum((a - mx) ** 2 for a in x))
    return my - b * mx, b


# name, kwargs, expected value, expected label, where it comes from
ZOEY_CASES = [
    ("most_recent", {}, 3.0, "3", "BUL-2332.7 Att. A: current level 3"),
    ("mean", {}, 2.25, "2", "BUL-2332.7 Att. A: 'averaging ... 2.25'"),
    ("median", {}, 2.5, "3", "(2+3)/2; 2.5 rounds half up to 3"),
    ("mode", {}, 3.0, "3", "3 occurs twice"),
    ("highest", {}, 3.0, "3", "max"),
    ("lowest", {}, 1.0, "1", "min"),
    ("recent_mean", {}, 8 / 3, "3", "(2+3+3)/3, n = 3"),
    ("recent_mean", {"n": 2}, 3.0, "3", "(3+3)/2"),
    ("highest_mean", {}, 8 / 3, "3", "top 3: (3+3+2)/3"),
    ("decaying_average", {}, 2.834625, "3",
     "d=0.65: 1 -> .35*1+.65*2=1.65 -> .35*1.65+.65*3=2.5275 -> "
     ".35*2.5275+.65*3=2.834625"),
    ("weighted_average", {}, 2.65, "3",
     "Canvas: .65*3 + .35*mean(1,2,3) = 1.95 + .7"),
    ("n_mastery", {"n": 2}, 3.0, "3", "scores >= 3: 3,3 -> mean 3"),
    ("linear_trend", {}, 3.3, "3",
     "OLS s on i: b = 3.5/5 = 0.7; 2.25 + 0.7*1.5 = 3.3"),
    ("consistent_recent", {}, 3.0, "3", "mlg.h: Zoey gives 3"),
]


@pytest.mark.parametrize("method,kw,value,label,source", ZOEY_CASES,
                         ids=["%s%s" % (c[0], c[1] or "") for c in
                              ZOEY_CASES])
def test_zoey(method, kw, value, label, source):
    r = mlg.result(ZOEY, method, **kw)
    assert r.value == pytest.approx(value, abs=1e-12), source
    assert r.label == label, source
    assert mlg.proficiency(ZOEY, method, **kw) == r.value


def test_zoey_power_law_is_her_bulletin_level():
    """mlg.h: 1,2,3,3 gives 3 under power_law; the value is a*k^b of the
    OLS of ln(s) on ln(i) at the last position k = 4
    (methods-in-the-field.md)."""
    a, b = _ols([math.log(i) for i in range(1, 5)],
                [math.log(s) for s in ZOEY])
    expect = math.exp(a) * 4 ** b
    r = mlg.result(ZOEY, "power_law")
    assert r.value == pytest.approx(expect, rel=1e-12)
    assert r.label == "3"


def test_decaying_average_readme_example():
    # 2 -> .35*2+.65*3 = 2.65 -> .35*2.65+.65*4 = 3.5275 (README)
    assert mlg.proficiency([2, 3, 4], method="decaying_average",
                           weight=0.65) == pytest.approx(3.5275, abs=1e-12)


def test_default_method_is_decaying_average():
    assert mlg.proficiency([2, 3, 4]) == pytest.approx(3.5275, abs=1e-12)


def test_time_decay_half_life():
    """Weights 2^-(as_of - day)/h, h = 30: days 0, 30, 60 -> 1/4, 1/2, 1;
    (1*.25 + 2*.5 + 4*1) / 1.75 = 5.25/1.75 = 3."""
    v = mlg.proficiency([1, 2, 4], "time_decay", days=[0, 30, 60],
                        half_life_days=30)
    assert v == pytest.approx(3.0, abs=1e-12)
    # as_of as a date string: day 60 is 1970-03-02.
    w = mlg.proficiency([1, 2, 4], "time_decay", days=[0, 30, 60],
                        half_life_days=30, as_of="1970-03-02")
    assert w == pytest.approx(3.0, abs=1e-12)


# ------------------------------------------------------------------ N/A ---
def test_empty_series_is_none():
    assert mlg.proficiency([], "mean") is None
    r = mlg.result([], "mean")
    assert r.value is None and r.level is None and r.label is None
    assert r.n_used == 0


def test_all_excused_is_none():
    assert mlg.proficiency([1, 2], "mean",
                           status=["excused", "excused"]) is None


def test_n_mastery_with_too_few_results_is_none():
    # Canvas: N/A if fewer than n results (n defaults to 5).
    assert mlg.proficiency(ZOEY, "n_mastery") is None


def test_missing_as_lowest_counts_score_min():
    # "missing" rows count as the scale's score_min (1) with missing=lowest:
    # mean(3, 1) = 2; ignored by default: mean(3) = 3.
    assert mlg.proficiency([3, 4], "mean", status=["counted", "missing"],
                           missing="lowest") == 2.0
    assert mlg.proficiency([3, 4], "mean",
                           status=["counted", "missing"]) == 3.0


def test_weights_apply_to_the_mean():
    # (1*1 + 4*3) / 4 = 3.25
    assert mlg.proficiency([1, 4], "mean", weights=[1, 3]) == 3.25


def test_days_accept_dates_and_iso_strings():
    ints = [19967, 19969, 19976]
    dates = [datetime.date(1970, 1, 1) + datetime.timedelta(days=d)
             for d in ints]
    iso = [d.isoformat() for d in dates]
    a = mlg.proficiency([1, 2, 3], "time_decay", days=ints)
    assert mlg.proficiency([1, 2, 3], "time_decay", days=dates) == a
    assert mlg.proficiency([1, 2, 3], "time_decay", days=iso) == a
    assert mlg.day_number("2024-09-01") == 19967


# ---------------------------------------------------------------- level ---
@pytest.mark.parametrize("value,kw,label", [
    (2.5, {}, "3"),                               # half up (default)
    (2.5, {"rounding": "half_even"}, "2"),        # D2L
    (3.5, {"rounding": "half_even"}, "4"),
    (2.83, {"rounding": "floor"}, "2"),           # Canvas: 2.83 -> 2
    (2.4999999999, {}, "3"),                      # decimals 6 first
    (2.4999999999, {"decimals": -1}, "2"),
    (3.0, {"scale": "tk"}, "D"),                  # E B D I = 1..4
    (0.2, {}, "1"),                               # below the scale
    (9.0, {}, "4"),
])
def test_level(value, kw, label):
    assert mlg.level(value, **kw) == label


def test_level_of_none_or_nan_is_none():
    assert mlg.level(None) is None
    assert mlg.level(math.nan) is None


# -------------------------------------------------------------- explain ---
def test_explain_recent_mean_window():
    e = mlg.explain(ZOEY, "recent_mean", days=[10, 20, 30, 40])
    assert e.result.value == pytest.approx(8 / 3)
    assert [r.row for r in e.rows] == [0, 1, 2, 3]
    assert [r.day for r in e.rows] == [10, 20, 30, 40]
    assert [r.reason for r in e.rows] == ["outside_window", "used", "used",
                                          "used"]
    assert sum(r.influence for r in e.rows) == pytest.approx(1.0)
    # value == sum(influence * score) for the linear methods (mlg.h)
    assert sum(r.influence * r.score for r in e.rows) == \
        pytest.approx(e.result.value)
    assert "outside_window" in str(e)


def test_explain_excused_and_zero_weight():
    e = mlg.explain([1, 2, 3], "mean", weights=[1, 0, 1],
                    status=["counted", "counted", "excused"])
    assert [r.reason for r in e.rows] == ["used", "zero_weight", "excused"]
    assert e.result.n_used == 1 and e.result.n_ignored == 2


def test_explain_to_frame():
    pytest.importorskip("pandas")
    f = mlg.explain(ZOEY, "decaying_average").to_frame()
    assert list(f.columns) == ["row", "day", "reason", "score", "weight",
                               "influence", "fitted"]
    assert len(f) == 4


# ------------------------------------------------------ names, presets ---
def _header_names(prefix):
    with open(os.path.join(REPO, "include", "mlg.h")) as f:
        text = f.read()
    found = re.findall(r"#define %s\w+\s+(\d+)\s*/\* \"(\w+)\"" % prefix,
                       text)
    return [name for _, name in sorted(found, key=lambda t: int(t[0]))]


def test_methods_are_the_header_names_in_order():
    assert mlg.methods() == _header_names("MLG_METHOD_")
    assert len(mlg.methods()) == 19


def test_presets_are_the_header_list():
    with open(os.path.join(REPO, "include", "mlg.h")) as f:
        text = f.read()
    block = text[text.index("Presets:"):text.index("mlg_preset_init(): fill")]
    names = re.findall(r"^ \*   (\w+)\s", block, re.M)
    assert mlg.presets() == names


def test_preset_equals_its_definition():
    # mlg.h: schoology = decaying_average 0.75
    assert (mlg.proficiency(ZOEY, preset="schoology") ==
            mlg.proficiency(ZOEY, "decaying_average", weight=0.75))
    # canvas_default = highest, 2 decimals, floor
    r = mlg.result([2.834, 1], preset="canvas_default")
    assert r.value == 2.834 and r.rounded == 2.83 and r.label == "2"


def test_preset_with_parameter_override():
    assert (mlg.proficiency(ZOEY, preset="schoology", weight=0.65) ==
            mlg.proficiency(ZOEY, "decaying_average", weight=0.65))


def test_custom_scale():
    s = mlg.scale([0, 1, 2, 3, 4], labels=["0", "1", "2", "3", "4"],
                  scale_id="zero4")
    assert s.scale_id == "zero4"
    r = mlg.result([0, 4, 4], "mean", scale=s)
    assert r.value == pytest.approx(8 / 3) and r.label == "3"


def test_numpy_scores_are_accepted():
    np = pytest.importorskip("numpy")
    assert mlg.proficiency(np.array(ZOEY, dtype=np.int64), "mean") == 2.25
