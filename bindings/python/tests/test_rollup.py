# SPDX-License-Identifier: GPL-3.0-or-later
"""Roll-ups from Python: catalogues, mlg.compute(catalogue=...), explain."""
import os
import warnings

import pytest

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")

from conftest import DATA  # noqa: E402
import mlg  # noqa: E402
from mlg import errors, rollup  # noqa: E402

CATALOGUE = os.path.join(DATA, "catalogue.csv")


def gradebook():
    return pd.read_csv(os.path.join(DATA, "gradebook.csv"))


def test_zoey_domain_is_3():
    """BUL-2332.7 Att. A: targets 3, 2, 3, 3 -> Operations and Algebraic
    Thinking 3 ("mostly proficient and doesn't have any significant
    gaps"), with mostly_proficient p 0.75 gap 1."""
    r = mlg.compute(gradebook(), method="most_recent", catalogue=CATALOGUE)
    z = r.targets[r.targets.student_id == "zoey"]
    assert z.level.astype(str).tolist() == ["3", "2", "3", "3"]
    oa = r.nodes[(r.nodes.student_id == "zoey") & (r.nodes.node_id == "3.OA")]
    assert oa.level.tolist() == ["3"] and oa.value.tolist() == [3.0]
    assert oa.kind.tolist() == ["domain"]
    assert not oa.na_not_allowed.iloc[0]
    math_ = r.nodes[(r.nodes.student_id == "zoey") &
                    (r.nodes.node_id == "MATH")]
    assert math_.kind.tolist() == ["composite"]
    assert math_.level.tolist() == ["3"]   # mean of one domain at 3
    # one row per student x non-target node
    assert len(r.nodes) == 24 * 2
    w = r.wide()
    assert w.loc["zoey", "3.OA"] == "3"


def test_explain_names_the_refusal():
    r = mlg.compute(gradebook(), method="most_recent", catalogue=CATALOGUE)
    e = r.explain("zoey", "3.OA")
    assert e.rule == "mostly_proficient" and e.level == "3"
    # 4 refused: no child is at 4, so the share at 4 is 0 < 0.75.
    assert e.refused == "share" and e.refused_level == "4"
    assert e.statistic == 0.0
    assert [c.node for c in e.children] == ["3.OA.A.1", "3.OA.A.3",
                                            "3.OA.B.5", "3.OA.D.8"]
    assert [c.level for c in e.children] == ["3", "2", "3", "3"]
    assert all(c.used for c in e.children)


def test_catalogue_built_in_python_with_aliases():
    cat = rollup.Catalogue()
    cat.add("OA", "Operations", kind="domain",
            rule="mostly_proficient p=0.75 gap=1", na_allowed=False)
    for t in ("3.OA.A.1", "3.OA.A.3", "3.OA.B.5", "3.OA.D.8"):
        cat.add(t)
        cat.link("OA", t)
    cat.finalize()
    assert cat.n_targets == 4 and cat.n_nodes == 5
    # CCSS prefix and the short form without the cluster letter
    assert cat.find_target("CCSS.Math.Content.3.OA.A.1") == 0
    assert cat.find_target("3.OA.3") == 1
    df = gradebook()
    df["target_id"] = "CCSS.Math.Content." + df.target_id
    r = mlg.compute(df, method="most_recent", catalogue=cat)
    oa = r.nodes[r.nodes.student_id == "zoey"]
    assert oa.level.tolist() == ["3"]


def test_na_where_forbidden_is_a_violation_not_a_zero():
    """BUL-2332.7 II.A: no N/A for ELA/Math composites; the run flags it
    (MLG_NODE_VIOLATION) with NaN/None, never a silent 0."""
    df = pd.DataFrame({"student_id": ["bo"], "target_id": ["9.ZZ.1"],
                       "assessed_at": ["2024-09-03"], "score": [3]})
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        r = mlg.compute(df, method="mean", catalogue=CATALOGUE)
    assert any("not in the catalogue" in str(x.message) for x in w)
    oa = r.nodes[r.nodes.node_id == "3.OA"]
    assert oa.na_not_allowed.tolist() == [True]
    assert oa.level.tolist() == [None]
    assert np.isnan(oa.value.iloc[0])


def test_bulletin_grade3_skeleton():
    cat = rollup.Catalogue().add_bulletin_grade3()
    for t in ("3.OA.A.1", "3.OA.A.3", "3.OA.B.5", "3.OA.D.8"):
        cat.add(t)
        cat.link("3.OA", t)
    cat.finalize()
    r = mlg.compute(gradebook(), method="most_recent", catalogue=cat)
    z = r.nodes[(r.nodes.student_id == "zoey") & (r.nodes.node_id == "3.OA")]
    assert z.level.tolist() == ["3"]
    # ELA has no evidence and N/A is not allowed there: a violation.
    ela = r.nodes[(r.nodes.student_id == "zoey") & (r.nodes.node_id == "ELA")]
    assert ela.na_not_allowed.tolist() == [True]


def test_catalogue_errors():
    cat = rollup.Catalogue()
    cat.add("A", kind="domain").add("B", kind="domain").add("t")
    cat.link("A", "B").link("B", "A").link("A", "t")
    with pytest.raises(errors.CycleError):
        cat.finalize()
    cat = rollup.Catalogue().add("t")
    with pytest.raises(errors.DuplicateError):
        cat.add("t")
    cat.link("NOPE", "t")
    with pytest.raises(errors.NotFoundError):
        cat.finalize()
    with pytest.raises(errors.WeightError):
        rollup.Catalogue().link("a", "b", -1.0)
    with pytest.raises(errors.NotFoundError):
        rollup.rule("most_proficient")
    with pytest.raises(errors.FormatError):
        rollup.rule("mostly_proficient p")


def test_rule_text_and_overrides():
    r = rollup.rule("band_with_floor,level=4,cut=3.5", floor=3)
    assert (r.level, r.cut, r.floor) == (4.0, 3.5, 3.0)
    assert rollup.rule_names()[0] == "mean"


def test_run_matrix_directly():
    cat = rollup.Catalogue.from_csv(CATALOGUE)
    tv = np.array([[3, 2, 3, 3], [3, 3, 3, 1], [4, 4, 4, 1]], dtype=float)
    values, levels, flags = cat.run(tv)
    oa = cat.find("3.OA")
    # mlg_rollup.h: 3,2,3,3 -> 3; 3,3,3,1 -> 2; 4,4,4,1 -> 2
    assert levels[:, oa].tolist() == [2, 1, 1]      # level indices
    with pytest.raises(ValueError):
        cat.run(np.zeros((2, 3)))


def test_catalogue_table_ids_are_resolved_by_the_library():
    """A table that names one node in two forms (mlg_rollup.h: a
    "CCSS.Math.Content." prefix is dropped, "3.OA.1" is the short form of
    "3.OA.A.1") is one node: the parent written with the prefix still makes
    3.OA a domain, and a target repeated in another form under a second
    parent is the same target with two parents, not a duplicate."""
    import pandas as pd
    df = pd.DataFrame({
        "id": ["MATH", "3.OA", "3.OA.A.1", "3.OA.A.2",
               "CCSS.Math.Content.3.OA.A.2"],
        "parent": ["", "MATH", "CCSS.Math.Content.3.OA", "3.OA", "MATH"]})
    cat = rollup.Catalogue.from_frame(df)
    assert cat.ids == ["MATH", "3.OA", "3.OA.A.1", "3.OA.A.2"]
    assert cat.kinds == ["composite", "domain", "target", "target"]
    assert cat.info[cat.find("3.OA.2")].n_parents == 2
    # Targets 2, 4 -> 3.OA mean 3; MATH = mean(3.OA, 3.OA.A.2) = (3+4)/2.
    values, _, _ = cat.run(np.array([[2.0, 4.0]]))
    assert values[0, cat.find("3.OA")] == 3.0
    assert values[0, cat.find("MATH")] == 3.5


def test_unknown_rule_and_kind_list_the_librarys_names():
    with pytest.raises(mlg.errors.NotFoundError) as e:
        rollup.rule("avg p=0.5")
    msg = str(e.value)
    assert "unknown roll-up rule 'avg'" in msg
    assert all(repr(n) in msg for n in rollup.rule_names())
    with pytest.raises(mlg.errors.NotFoundError,
                       match="unknown node kind 'leaf'.*'target', 'domain', "
                             "'subject', 'composite'"):
        rollup.Catalogue().add("x", kind="leaf")
