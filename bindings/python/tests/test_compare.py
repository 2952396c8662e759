"""mlg.compare(): method sensitivity."""
import pytest

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")

import mlg  # noqa: E402
from test_pandas import zoey_frame  # noqa: E402


def test_zoey_lt1_depends_on_the_method():
    """Att. A: Zoey's LT1 is 3 under MLG (most recent) but 2.25 -> 2 under
    the mean; her other targets and Ann's agree."""
    c = mlg.compare(zoey_frame(), methods=["mean", "most_recent"])
    t = c.table
    assert t.depends_on_method.tolist() == [True, False, False, False, False]
    assert t.level_mean.astype(str).tolist() == ["2", "2", "3", "3", "4"]
    assert t.level_most_recent.astype(str).tolist() == ["3", "2", "3", "3",
                                                        "4"]
    assert t.value_mean.iloc[0] == 2.25
    assert t.n_rows.tolist() == [4, 4, 3, 4, 1]
    assert t.n_levels.tolist() == [2, 1, 1, 1, 1]
    assert t.level_spread.tolist() == [1, 0, 0, 0, 0]
    s = c.summary
    assert len(s) == 1
    row = s.iloc[0]
    assert (row.method_a, row.method_b) == ("mean", "most_recent")
    assert row.n_groups == 5 and row.n_disagree == 1
    assert row.rate == pytest.approx(0.2)
    # |2.25-3| + |2.25-2| + |8/3-3| + |2.75-3| + 0, over 5
    assert row.mean_abs_diff == pytest.approx(
        (0.75 + 0.25 + 1 / 3 + 0.25) / 5)
    assert row.max_level_gap == 1
    m = c.matrix()
    assert m.loc["mean", "most_recent"] == pytest.approx(0.2)
    assert m.loc["most_recent", "mean"] == pytest.approx(0.2)


def test_three_methods_presets_and_labelled_specs():
    c = mlg.compare(zoey_frame(), methods=[
        "mean", "schoology",
        ("decay_50", {"method": "decaying_average", "weight": 0.5})])
    assert len(c.summary) == 3
    assert {"value_schoology", "value_decay_50"} <= set(c.table.columns)
    direct = mlg.compute(zoey_frame(), method="decaying_average", weight=0.5)
    np.testing.assert_array_equal(c.table.value_decay_50, direct.value)


def test_na_counts_as_a_different_level():
    # n_mastery n=5 is N/A for every group here; mean is not.
    c = mlg.compare(zoey_frame(), methods=["mean", "n_mastery"])
    assert c.table.depends_on_method.all()
    assert (c.table.level_spread == 0).all()
    assert np.isnan(c.summary.mean_abs_diff.iloc[0])


def test_compare_argument_errors():
    with pytest.raises(ValueError):
        mlg.compare(zoey_frame(), methods=["mean"])
    with pytest.raises(ValueError):
        mlg.compare(zoey_frame(), methods=["mean", "mean"])
    with pytest.raises(mlg.errors.NotFoundError):
        mlg.compare(zoey_frame(), methods=["mean", "avg"])
