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
