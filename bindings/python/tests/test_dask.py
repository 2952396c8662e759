# SPDX-License-Identifier: GPL-3.0-or-later
"""mlg.dask.compute() on a local distributed cluster (two worker
processes), each loading libmlg itself from MLG_LIBRARY."""
import os

import pytest

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from conftest import DATA, PKG_ROOT, SANITIZED  # noqa: E402
import mlg  # noqa: E402
import mlg.dask  # noqa: E402

pytestmark = pytest.mark.skipif(
    SANITIZED, reason="worker processes under LD_PRELOAD=libasan are too "
                      "slow; the dask path adds no C code")


@pytest.fixture(scope="module")
def client():
    env = {"MLG_LIBRARY": mlg.library_path(),
           "PYTHONPATH": PKG_ROOT + os.pathsep +
           os.environ.get("PYTHONPATH", ""),
           "PYTHONDONTWRITEBYTECODE": "1"}
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1,
                                       processes=True, dashboard_address=None,
                                       env=env, silence_logs=40)
    c = distributed.Client(cluster)
    try:
        yield c
    finally:
        c.close()
        cluster.close()


def test_dask_equals_pandas(client):
    df = pd.read_csv(os.path.join(DATA, "gradebook.csv"))
    expect = mlg.compute(df, method="power_law")
    ddf = dd.from_pandas(df, npartitions=3)
    ddf = mlg.dask.partition_by_student(ddf, "student_id", npartitions=2)
    lazy = mlg.dask.compute(ddf, method="power_law")
    # meta is explicit: the output schema is known before anything runs
    assert list(lazy.columns) == ["student_id", "target_id", "value",
                                  "level", "n_evidence"]
    got = lazy.compute()
    key = ["student_id", "target_id"]
    a = expect.sort_values(key).reset_index(drop=True)
    b = got.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_categorical=False)
    # the work ran in the worker processes, which loaded the library
    paths = client.run(lambda: __import__("mlg").library_path())
    assert len(paths) == 2
    assert set(paths.values()) == {mlg.library_path()}


def test_dask_student_index_and_errors(client):
    df = pd.read_csv(os.path.join(DATA, "gradebook.csv"))
    ddf = dd.from_pandas(df, npartitions=2).set_index("student_id")
    got = mlg.dask.compute(ddf, method="mean").compute()
    assert len(got) == len(mlg.compute(df, method="mean"))
    with pytest.raises(mlg.errors.NotFoundError):
        mlg.dask.compute(ddf, method="avg")          # checked in the client
    bad = df.copy()
    bad.loc[0, "score"] = 9.0
    with pytest.raises(mlg.errors.ScaleError):
        mlg.dask.compute(dd.from_pandas(bad, npartitions=1),
                         method="mean").compute()


def _split_frame():
    """Zoey's LT1 (BUL-2332.7 Att. A: 1, 2, 3, 3 -> most recent 3) with her
    first two rows in one partition and the last two in another, plus a
    second student.  Computed per partition, zoey/LT1 would get two marks:
    2 (from 1, 2) and 3 (from 3, 3)."""
    return pd.DataFrame({
        "student_id": ["zoey", "zoey", "ann", "zoey", "zoey"],
        "target_id": ["LT1"] * 5,
        "assessed_at": ["2024-09-09", "2024-09-16", "2024-09-16",
                        "2024-09-23", "2024-09-30"],
        "score": [1.0, 2.0, 4.0, 3.0, 3.0],
    })


def test_student_split_across_partitions_raises(client):
    df = _split_frame()
    ddf = dd.from_pandas(df, npartitions=2, sort=False)
    assert ddf.npartitions == 2
    parts = [ddf.get_partition(k).compute().student_id.tolist()
             for k in range(2)]
    assert "zoey" in parts[0] and "zoey" in parts[1]
    lazy = mlg.dask.compute(ddf, method="most_recent")
    with pytest.raises(mlg.dask.StudentSplitError,
                       match=r"student_id 'zoey' has evidence in partitions "
                             r"0 and 1"):
        lazy.compute()


def test_student_split_shuffle_gives_one_mark_each(client):
    df = _split_frame()
    ddf = dd.from_pandas(df, npartitions=2, sort=False)
    got = mlg.dask.compute(ddf, method="most_recent",
                           split="shuffle").compute()
    got = got.sort_values("student_id").reset_index(drop=True)
    # One row per (student, target): ann 4; zoey 3 (Att. A), n_evidence 4.
    assert got.student_id.tolist() == ["ann", "zoey"]
    assert got.value.tolist() == [4.0, 3.0]
    assert got.n_evidence.tolist() == [1, 4]
    # An unsorted student index is shuffled too.
    idx = dd.from_pandas(df.set_index("student_id"), npartitions=2,
                         sort=False)
    assert not idx.known_divisions
    got = mlg.dask.compute(idx, method="most_recent",
                           split="shuffle").compute()
    assert sorted(got.value.tolist()) == [3.0, 4.0]
    with pytest.raises(ValueError, match="split='split'"):
        mlg.dask.compute(ddf, split="split")


def test_dask_dates_and_duplicates_follow_compute(client):
    """date_format= and duplicates= reach every partition's mlg.compute."""
    df = _split_frame()
    df["assessed_at"] = ["09/09/2024", "09/16/2024", "09/16/2024",
                         "09/23/2024", "09/30/2024"]
    ddf = dd.from_pandas(df, npartitions=1)
    with pytest.raises(ValueError, match="not an ISO 8601 date"):
        mlg.dask.compute(ddf, method="most_recent").compute()
    got = mlg.dask.compute(ddf, method="mean",
                           date_format="%m/%d/%Y").compute()
    assert got.value.tolist() == [2.25, 4.0]      # Att. A mean of 1,2,3,3
    dup = pd.concat([df, df.iloc[[3]]], ignore_index=True)
    with pytest.raises(mlg.errors.DuplicateError):
        mlg.dask.compute(dd.from_pandas(dup, npartitions=1), method="mean",
                         date_format="%m/%d/%Y",
                         duplicates="error").compute()
