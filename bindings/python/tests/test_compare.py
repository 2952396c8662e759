# SPDX-License-Identifier: GPL-3.0-or-later
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


def test_series_is_each_methods_value_after_every_piece_of_evidence():
    """Zoey's LT1 (Att. A, 1, 2, 3, 3): the mean after each piece is 1,
    1.5, 2, 2.25; most recent 1, 2, 3, 3; the decaying average (0.65)
    1, 1.65, 2.5275, 2.834625 (docs/methods.md, worked example)."""
    c = mlg.compare(zoey_frame(), methods=["mean", "most_recent",
                                           "decaying_average"])
    t = c.series("zoey", "LT1")
    assert list(t.columns) == ["date", "score", "status", "mean",
                               "most_recent", "decaying_average"]
    assert t.score.tolist() == [1, 2, 3, 3]
    assert t.status.tolist() == ["counted"] * 4
    assert t["mean"].tolist() == [1, 1.5, 2, 2.25]
    assert t.most_recent.tolist() == [1, 2, 3, 3]
    assert t.decaying_average.tolist() == pytest.approx(
        [1, 1.65, 2.5275, 2.834625])
    assert str(t.date.iloc[0].date()) == "2024-09-09"
    assert c.methods == ["mean", "most_recent", "decaying_average"]
    with pytest.raises(ValueError, match="holds 5 series"):
        c.series()
    with pytest.raises(KeyError, match="no series"):
        c.series("zoey", "LT9")


def test_changes_and_shifts_count_the_marks_that_move():
    """Levels under mean: 2, 2, 3, 3, 4; under most_recent 3, 2, 3, 3, 4
    (test_zoey_lt1_depends_on_the_method): one mark moves from 2 to 3."""
    c = mlg.compare(zoey_frame(), methods=["mean", "most_recent"])
    t = c.changes()
    assert list(t.index) == ["1", "2", "3", "4", "N/A"]
    assert t.index.name == "mean" and t.columns.name == "most_recent"
    assert t.loc["2", "2"] == 1 and t.loc["2", "3"] == 1
    assert t.loc["3", "3"] == 2 and t.loc["4", "4"] == 1
    assert int(t.to_numpy().sum()) == 5
    s = c.shifts()
    assert s.to_dict("records") == [{"method": "most_recent", "lower": 0,
                                     "same": 4, "higher": 1,
                                     "na_changed": 0, "n_marks": 5}]
    s = c.shifts("most_recent")
    assert (s.lower.iloc[0], s.higher.iloc[0]) == (1, 0)
    with pytest.raises(mlg.errors.NotFoundError, match="'median'"):
        c.shifts("median")


def test_plots_draw_what_the_tables_say():
    pytest.importorskip("matplotlib")
    import matplotlib
    matplotlib.use("Agg")
    c = mlg.compare(zoey_frame(), methods=["mean", "most_recent"])
    fig = c.plot(student_id="zoey", target_id="LT1")
    ax = fig.axes[0]
    assert ax.get_title() == "zoey, LT1"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["evidence", "mean: 2.25 -> 2", "most_recent: 3.00 -> 3"]
    fig = c.plot()                               # several series: changes
    assert fig.axes[0].get_title() == "1 of 5 marks change level"
    fig = c.plot("shifts")
    assert "against mean" in fig.axes[0].get_title()
    many = mlg.compare(zoey_frame(), methods=mlg.methods())
    fig = many.plot("series", "zoey", "LT1")
    titles = [a.get_title() for a in fig.axes if a.get_visible()]
    assert len(titles) == len(mlg.methods())
    assert "mean: 2.25 -> 2" in titles and "n_mastery: N/A" in titles
    with pytest.raises(ValueError, match="kind='pie'"):
        c.plot("pie")


def test_plot_without_matplotlib_says_what_to_install():
    import subprocess
    import sys
    from conftest import subprocess_env
    code = ("import sys; sys.modules['matplotlib'] = None\n"
            "import mlg, pandas as pd\n"
            "df = pd.DataFrame({'student_id': ['a'] * 2,"
            " 'target_id': ['t'] * 2, 'assessed_at': [1, 2],"
            " 'score': [1.0, 2.0]})\n"
            "mlg.compare(df, methods=['mean', 'highest']).plot()\n")
    p = subprocess.run([sys.executable, "-c", code], env=subprocess_env(),
                       capture_output=True, text=True)
    assert p.returncode != 0
    assert "needs matplotlib" in p.stderr and "python3-matplotlib" in p.stderr
