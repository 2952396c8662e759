# SPDX-License-Identifier: GPL-3.0-or-later
"""mlg.compute(): pandas round trip, sorting, dates, status, errors."""
import os

import pytest

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")

from conftest import DATA  # noqa: E402
import mlg  # noqa: E402
from mlg import errors  # noqa: E402


def zoey_frame():
    """BUL-2332.7 Att. A: Zoey's four Operations and Algebraic Thinking
    targets; current levels 3, 2, 3, 3 (most recent evidence)."""
    rows = []
    day = pd.Timestamp("2024-09-09")
    for t, scores in (("LT1", [1, 2, 3, 3]), ("LT2", [2, 3, 2, 2]),
                      ("LT3", [2, 3, 3]), ("LT4", [3, 2, 3, 3])):
        for i, s in enumerate(scores):
            rows.append(("zoey", t, day + pd.Timedelta(days=7 * i), s))
    rows.append(("ann", "LT1", day, 4))
    return pd.DataFrame(rows, columns=["student_id", "target_id",
                                       "assessed_at", "score"])


def test_round_trip_zoey():
    out = mlg.compute(zoey_frame(), method="most_recent")
    assert list(out.columns) == ["student_id", "target_id", "value", "level",
                                 "n_evidence"]
    assert out.student_id.tolist() == ["zoey"] * 4 + ["ann"]
    assert out.target_id.tolist() == ["LT1", "LT2", "LT3", "LT4", "LT1"]
    assert out.value.tolist() == [3, 2, 3, 3, 4]
    assert out.level.astype(str).tolist() == ["3", "2", "3", "3", "4"]
    assert out.level.cat.ordered
    assert list(out.level.cat.categories) == ["1", "2", "3", "4"]
    assert out.n_evidence.tolist() == [4, 4, 3, 4, 1]


def test_mean_of_zoey_lt1():
    out = mlg.compute(zoey_frame(), method="mean")
    assert out.value.iloc[0] == 2.25          # Att. A: "would be 2.25"


def test_unsorted_input_is_sorted_not_rejected():
    df = zoey_frame()
    shuffled = df.sample(frac=1.0, random_state=4)
    a = mlg.compute(df, method="decaying_average")
    b = mlg.compute(shuffled, method="decaying_average")
    key = ["student_id", "target_id"]
    pd.testing.assert_frame_equal(
        a.sort_values(key).reset_index(drop=True),
        b.sort_values(key).reset_index(drop=True))


def test_same_day_evidence_keeps_input_order():
    """mlg.h: same-day evidence keeps the order the caller passed it in;
    the stable sort must preserve it even when other rows move."""
    df = pd.DataFrame({
        "student_id": ["a", "a", "a", "a"],
        "target_id": ["t", "t", "t", "t"],
        "assessed_at": ["2024-09-05", "2024-09-02", "2024-09-05",
                        "2024-09-01"],
        "score": [2, 1, 4, 3],
    })
    # sorted: 09-01 (3), 09-02 (1), 09-05 (2), 09-05 (4): most recent 4
    out = mlg.compute(df, method="most_recent")
    assert out.value.tolist() == [4.0]
    df2 = df.iloc[[2, 1, 0, 3]]         # now 4 before 2 on 09-05
    assert mlg.compute(df2, method="most_recent").value.tolist() == [2.0]


@pytest.mark.parametrize("convert", [
    lambda s: s,                                        # datetime64[ns]
    lambda s: s.dt.strftime("%Y-%m-%d"),                # ISO strings
    lambda s: s.dt.tz_localize("America/Los_Angeles"),  # tz-aware
    lambda s: (s - pd.Timestamp("1970-01-01")).dt.days,  # int day numbers
    lambda s: s.dt.date,                                # Python dates
], ids=["datetime64", "iso", "tz", "int_days", "date_objects"])
def test_assessed_at_forms_agree(convert):
    df = zoey_frame()
    expect = mlg.compute(df, method="time_decay")
    df2 = df.assign(assessed_at=convert(df.assessed_at))
    got = mlg.compute(df2, method="time_decay")
    pd.testing.assert_frame_equal(expect, got)


def test_column_remapping_and_extra_columns():
    df = zoey_frame().rename(columns={"student_id": "sid",
                                      "target_id": "standard",
                                      "assessed_at": "date",
                                      "score": "mark"})
    df["comment"] = "x"
    out = mlg.compute(df, method="mean",
                      columns={"student_id": "sid", "target_id": "standard",
                               "assessed_at": "date", "score": "mark"})
    assert out.value.iloc[0] == 2.25
    with pytest.raises(KeyError, match="student_id"):
        mlg.compute(zoey_frame().rename(columns={"student_id": "sid"}))
    with pytest.raises(ValueError, match="unknown keys"):
        mlg.compute(zoey_frame(), columns={"learner": "x"})


def test_weight_and_status_columns():
    df = pd.DataFrame({
        "student_id": [1, 1, 1, 1],
        "target_id": [7, 7, 7, 7],
        "assessed_at": pd.to_datetime(["2024-09-01", "2024-09-02",
                                       "2024-09-03", "2024-09-04"]),
        "score": [1.0, 4.0, np.nan, 2.0],
        "weight": [1.0, 3.0, 1.0, 0.0],
        "status": ["counted", "Counted", "excused", None],
    })
    # rows used: 1 (w 1) and 4 (w 3); row 3 excused (NaN score not read);
    # row 4 weight 0.  (1 + 12) / 4 = 3.25
    out = mlg.compute(df, method="mean")
    assert out.value.tolist() == [3.25]
    assert out.n_evidence.tolist() == [2]
    assert out.student_id.tolist() == [1] and out.target_id.tolist() == [7]
    # "missing" with missing=lowest counts as 1: (1 + 12 + 1) / 5 = 2.8
    df.loc[2, "status"] = "missing"
    assert mlg.compute(df, method="mean",
                       missing="lowest").value.tolist() == [2.8]
    df.loc[2, "status"] = "late"
    with pytest.raises(ValueError, match="late"):
        mlg.compute(df, method="mean")


def test_errors_name_the_student_target_and_row():
    df = zoey_frame()
    df.loc[6, "score"] = 7.0                 # zoey LT2, off the scale
    df = df.sample(frac=1.0, random_state=1)  # errors survive the sort
    with pytest.raises(errors.ScaleError) as e:
        mlg.compute(df, method="mean")
    msg = str(e.value)
    assert "student_id='zoey'" in msg and "target_id='LT2'" in msg
    assert "input row 6" in msg


def test_missing_ids_or_dates_are_rejected():
    df = zoey_frame()
    df.loc[2, "student_id"] = None
    with pytest.raises(ValueError, match="student_id is missing"):
        mlg.compute(df)
    df = zoey_frame()
    df.loc[3, "assessed_at"] = pd.NaT
    with pytest.raises(ValueError, match="assessed_at is missing"):
        mlg.compute(df)
    df = zoey_frame()
    df["assessed_at"] = 1.5
    with pytest.raises(TypeError):
        mlg.compute(df)


def test_empty_frame():
    df = zoey_frame().iloc[:0]
    out = mlg.compute(df, method="mean")
    assert len(out) == 0
    assert list(out.columns) == ["student_id", "target_id", "value", "level",
                                 "n_evidence"]


def test_compute_equals_per_group_scalar_on_the_gradebook():
    """The vectorised path agrees with mlg.result() run group by group on
    the shipped gradebook, for a few methods."""
    df = pd.read_csv(os.path.join(DATA, "gradebook.csv"))
    for method in ("mean", "decaying_average", "power_law", "n_mastery"):
        out = mlg.compute(df, method=method, n=2)
        df["day"] = pd.to_datetime(df.assessed_at)
        srt = df.sort_values(["student_id", "target_id", "day"],
                             kind="stable")
        for (s, t), g in srt.groupby(["student_id", "target_id"],
                                     sort=False):
            r = mlg.result(g.score.tolist(), method, n=2,
                           days=g.assessed_at.tolist(),
                           weights=g.weight.tolist(),
                           status=g.status.tolist())
            row = out[(out.student_id == s) & (out.target_id == t)]
            assert len(row) == 1
            v = row.value.iloc[0]
            if r.value is None:
                assert np.isnan(v)
            else:
                assert v == r.value, (method, s, t)
            assert row.n_evidence.iloc[0] == r.n_used


def test_categorical_and_integer_ids():
    df = zoey_frame()
    df["student_id"] = df.student_id.astype("category")
    out = mlg.compute(df, method="most_recent")
    assert out.student_id.tolist()[0] == "zoey"


def test_threads_argument_gives_identical_results():
    df = pd.read_csv(os.path.join(DATA, "gradebook.csv"))
    a = mlg.compute(df, method="power_law", threads=1)
    b = mlg.compute(df, method="power_law", threads=2)
    pd.testing.assert_frame_equal(a, b)


def _fresh(s):
    """An equal string in a new object (ids hashed by object address must
    still merge by value)."""
    return "".join(list(s))


@pytest.mark.parametrize("shuffle", [False, True])
def test_equal_ids_in_distinct_objects_are_one_id(shuffle):
    df = zoey_frame()
    df["student_id"] = [_fresh(x) for x in df.student_id]
    df["target_id"] = [_fresh(x) for x in df.target_id]
    assert df.student_id.iloc[0] is not df.student_id.iloc[1]
    if shuffle:
        df = df.sample(frac=1.0, random_state=3)
    out = mlg.compute(df, method="most_recent")
    ref = mlg.compute(zoey_frame(), method="most_recent")
    key = ["student_id", "target_id"]
    pd.testing.assert_frame_equal(
        out.sort_values(key).reset_index(drop=True),
        ref.sort_values(key).reset_index(drop=True))


def test_ids_of_mixed_and_other_types():
    df = zoey_frame()
    df["student_id"] = df.student_id.map({"zoey": 7, "ann": "ann"})
    out = mlg.compute(df, method="most_recent")
    assert out.student_id.tolist() == [7, 7, 7, 7, "ann"]
    df["student_id"] = df.student_id.map({7: 1.5, "ann": 2.5}).astype(float)
    out = mlg.compute(df, method="most_recent")
    assert out.student_id.tolist() == [1.5] * 4 + [2.5]
    df = zoey_frame()
    df["student_id"] = df.student_id.astype("string")
    assert len(mlg.compute(df, method="mean")) == 5


@pytest.mark.parametrize("missing", [None, np.nan])
@pytest.mark.parametrize("shuffle", [False, True])
def test_missing_object_id_is_reported_with_its_row(missing, shuffle):
    df = zoey_frame()
    df["target_id"] = df.target_id.astype(object)
    df.loc[5, "target_id"] = missing
    if shuffle:
        df = df.sample(frac=1.0, random_state=2)
    with pytest.raises(ValueError, match="target_id is missing at row 5"):
        mlg.compute(df, method="mean")


def test_missing_categorical_id_is_reported():
    df = zoey_frame()
    df["student_id"] = df.student_id.astype("category")
    df.loc[3, "student_id"] = np.nan
    with pytest.raises(ValueError, match="student_id is missing at row 3"):
        mlg.compute(df, method="mean")
    df = df.sample(frac=1.0, random_state=5)
    with pytest.raises(ValueError, match="student_id is missing at row 3"):
        mlg.compute(df, method="mean")


def test_explain_group_from_a_frame():
    df = zoey_frame().sample(frac=1.0, random_state=7)
    e = mlg.explain_group(df, "zoey", "LT1", method="recent_mean")
    # evidence 1,2,3,3 by date; the window of 3 leaves out the first
    assert [r.score for r in e.rows] == [1, 2, 3, 3]
    assert [r.reason for r in e.rows] == ["outside_window", "used", "used",
                                          "used"]
    assert e.labels == [0, 1, 2, 3]            # input index labels
    f = e.to_frame()
    assert list(f.index) == [0, 1, 2, 3]
    assert e.result.value == pytest.approx(8 / 3)
    with pytest.raises(KeyError):
        mlg.explain_group(df, "zoey", "LT9")
