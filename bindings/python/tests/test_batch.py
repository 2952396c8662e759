# SPDX-License-Identifier: GPL-3.0-or-later
"""Batch API: equivalence with the scalar C results for every method,
zero-copy inputs, argument checks, and the GIL released in C."""
import statistics
import threading
import time

import pytest

np = pytest.importorskip("numpy")

from conftest import SANITIZED  # noqa: E402
import mlg  # noqa: E402
from mlg import _core, errors  # noqa: E402


def random_batch(rng, n_groups, max_rows=12, weights=True, status=True,
                 scale_min=1.0, scale_max=4.0):
    sizes = rng.integers(0, max_rows + 1, size=n_groups)
    offsets = np.zeros(n_groups + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    n = int(offsets[-1])
    scores = np.round(rng.uniform(scale_min, scale_max, size=n) * 4) / 4
    days = np.empty(n, dtype=np.int32)
    for g in range(n_groups):
        a, b = offsets[g], offsets[g + 1]
        days[a:b] = np.sort(rng.integers(19900, 20000, size=b - a))
    w = (rng.choice([0.0, 0.5, 1.0, 1.0, 2.0], size=n) if weights else None)
    st = (rng.choice([0, 0, 0, 0, 1, 2], size=n).astype(np.uint8)
          if status else None)
    return offsets, scores, days, w, st


def method_kwargs(method, rng):
    """A random but valid parameter set for a method."""
    kw = {}
    if method in ("recent_mean", "recent_median", "recent_mode",
                  "highest_mean", "n_mastery", "consistent_recent"):
        kw["n"] = int(rng.integers(1, 6))
    if method in ("mode", "recent_mode"):
        kw["tie"] = str(rng.choice(["recent", "highest", "lowest"]))
    if method in ("decaying_average", "weighted_average"):
        kw["weight"] = float(rng.choice([0.5, 0.65, 0.75, 1.0]))
    if method == "n_mastery":
        kw["mastery"] = float(rng.choice([2.5, 3.0]))
    if method == "time_decay":
        kw["half_life_days"] = float(rng.choice([7.0, 30.0]))
    kw["missing"] = str(rng.choice(["ignore", "lowest"]))
    kw["rounding"] = str(rng.choice(["half_up", "half_even", "floor"]))
    return kw


def scalar_reference(offsets, scores, days, w, st, method, kw):
    """Each group through mlg.result() (mlg_series_compute)."""
    g = len(offsets) - 1
    values = np.empty(g)
    levels = np.empty(g, dtype=np.int32)
    counts = np.empty(g, dtype=np.int32)
    for i in range(g):
        a, b = int(offsets[i]), int(offsets[i + 1])
        r = mlg.result(scores[a:b].tolist(), method,
                       days=days[a:b].tolist(),
                       weights=None if w is None else w[a:b].tolist(),
                       status=None if st is None else st[a:b].tolist(), **kw)
        values[i] = np.nan if r.value is None else r.value
        levels[i] = -1 if r.level is None else r.level
        counts[i] = r.n_used
    return values, levels, counts


@pytest.mark.parametrize("method", mlg.methods())
def test_batch_equals_scalar_for_every_method(method):
    """mlg.h: batch results are bitwise identical to mlg_series_compute()
    on each group, for every thread count."""
    rng = np.random.default_rng(abs(hash(method)) % 2 ** 32)
    for trial in range(3):
        cols = random_batch(rng, 60)
        kw = method_kwargs(method, rng)
        ref = scalar_reference(*cols, method, kw)
        for threads in (1, 2, 0):
            out = mlg.proficiency_batch(*cols, method=method,
                                        threads=threads, levels=True,
                                        counts=True, **kw)
            np.testing.assert_array_equal(out.values, ref[0])
            np.testing.assert_array_equal(out.levels, ref[1])
            np.testing.assert_array_equal(out.counts, ref[2])


# A plain-Python reference for the methods with a one-line definition
# (methods-in-the-field.md), unweighted, all counted, no N/A.
def _decay(xs, d):
    v = xs[0]
    for s in xs[1:]:
        v = d * s + (1 - d) * v
    return v


REFERENCE = {
    "mean": lambda xs: statistics.fmean(xs),
    "median": lambda xs: statistics.median(xs),
    "most_recent": lambda xs: xs[-1],
    "highest": max,
    "lowest": min,
    "recent_mean": lambda xs: statistics.fmean(xs[-3:]),
    "recent_median": lambda xs: statistics.median(xs[-3:]),
    "highest_mean": lambda xs: statistics.fmean(sorted(xs)[-3:]),
    "decaying_average": lambda xs: _decay(xs, 0.65),
    "weighted_average": lambda xs: (xs[0] if len(xs) == 1 else
                                    0.65 * xs[-1] +
                                    0.35 * statistics.fmean(xs[:-1])),
}


@pytest.mark.parametrize("method", sorted(REFERENCE))
def test_batch_matches_the_definition(method):
    rng = np.random.default_rng(7)
    offsets, scores, days, _, _ = random_batch(rng, 200, weights=False,
                                               status=False)
    sizes = np.diff(offsets)
    v = mlg.proficiency_batch(offsets, scores, days, method=method)
    for g in range(200):
        xs = scores[offsets[g]:offsets[g + 1]].tolist()
        if not xs:
            assert np.isnan(v[g])
            continue
        assert v[g] == pytest.approx(REFERENCE[method](xs), abs=1e-12), \
            (method, xs, sizes[g])


def test_zoey_in_a_batch():
    # Zoey's four targets (Att. A): levels 3, 2, 3, 3 under most_recent.
    offsets = [0, 4, 8, 11, 15]
    scores = [1, 2, 3, 3, 2, 3, 2, 2, 2, 3, 3, 3, 2, 3, 3]
    out = mlg.proficiency_batch(offsets, scores, method="most_recent",
                                levels=True)
    np.testing.assert_array_equal(out.values, [3, 2, 3, 3])
    np.testing.assert_array_equal(out.levels, [2, 1, 2, 2])
    assert out.counts is None


def test_returns_plain_array_unless_asked():
    v = mlg.proficiency_batch([0, 3], [2, 3, 4], weight=0.65)
    assert isinstance(v, np.ndarray) and v.dtype == np.float64
    assert v[0] == pytest.approx(3.5275, abs=1e-12)


def test_empty_groups_are_nan():
    v = mlg.proficiency_batch([0, 0, 2, 2], [3, 4], method="mean")
    assert np.isnan(v[0]) and v[1] == 3.5 and np.isnan(v[2])


def test_zero_groups():
    v = mlg.proficiency_batch(np.zeros(1, dtype=np.int64),
                              np.zeros(0), method="mean")
    assert v.shape == (0,)


def test_right_dtypes_are_not_copied():
    """np.ascontiguousarray is free when the array is already right."""
    a = np.arange(10, dtype=np.float64)
    assert _core._np_column(a, np.float64, "scores") is a
    o = np.arange(3, dtype=np.int64)
    assert _core._np_column(o, np.int64, "offsets") is o
    d = np.arange(5, dtype=np.int32)
    assert _core._np_column(d, np.int32, "days") is d
    # a strided view is made contiguous (one copy)
    b = np.arange(20, dtype=np.float64)[::2]
    c = _core._np_column(b, np.float64, "scores")
    assert c.flags.c_contiguous and not np.shares_memory(b, c)


def test_days_as_datetime64():
    d = np.array(["2024-09-01", "2024-10-01", "2024-10-31"],
                 dtype="datetime64[D]")
    a = mlg.proficiency_batch([0, 3], [1, 2, 4], days=d, method="time_decay",
                              half_life_days=30)
    b = mlg.proficiency_batch([0, 3], [1, 2, 4],
                              days=d.astype(np.int64), method="time_decay",
                              half_life_days=30)
    assert a[0] == b[0]


def test_status_words_in_a_batch():
    v = mlg.proficiency_batch([0, 3], [1, 4, 4], method="mean",
                              status=np.array(["counted", "excused",
                                               "counted"]))
    assert v[0] == 2.5
    with pytest.raises(ValueError, match="unknown evidence status"):
        mlg.proficiency_batch([0, 1], [1], status=np.array(["late"]))


@pytest.mark.parametrize("kw,exc", [
    (dict(offsets=[0, 2], scores=[1, 2, 3]), ValueError),   # rows != last
    (dict(offsets=[0.0, 3.0], scores=[1, 2, 3]), TypeError),  # float offs
    (dict(offsets=[], scores=[]), ValueError),
    (dict(offsets=[0, 3], scores=[1, 2, 3], days=[1, 2]), ValueError),
    (dict(offsets=[0, 3], scores=[1, 2, 3], days=[1, 2, 2 ** 40]),
     OverflowError),
    (dict(offsets=[[0, 3]], scores=[1, 2, 3]), ValueError),  # 2-D
    (dict(offsets=[0, 3], scores=["a", "b", "c"]), TypeError),
])
def test_batch_argument_checks_in_python(kw, exc):
    with pytest.raises(exc):
        mlg.proficiency_batch(**kw)


def test_batch_library_errors_carry_group_and_absolute_row():
    offsets = [0, 2, 5]
    scores = [1, 2, 3, 9, 1]          # row 3 is off the CCS scale
    with pytest.raises(errors.ScaleError) as e:
        mlg.proficiency_batch(offsets, scores, method="mean")
    assert e.value.group == 1 and e.value.row == 3
    with pytest.raises(errors.InvalidError):      # offsets[0] != 0
        mlg.proficiency_batch([1, 2, 5], scores, method="mean")
    with pytest.raises(errors.InvalidError):      # decreasing offsets
        mlg.proficiency_batch([0, 4, 2, 5], scores, method="mean")
    with pytest.raises(errors.InvalidError):      # threads < 0
        mlg.proficiency_batch(offsets, [1, 2, 3, 3, 1], threads=-1)
    with pytest.raises(errors.OrderError) as e:
        mlg.proficiency_batch([0, 3], [1, 2, 3], days=[5, 4, 6])
    assert e.value.group == 0 and e.value.row == 1


def _big(n_groups, per):
    rng = np.random.default_rng(3)
    offsets = np.arange(0, (n_groups + 1) * per, per, dtype=np.int64)
    scores = rng.integers(1, 5, size=n_groups * per).astype(np.float64)
    days = np.tile(np.arange(per, dtype=np.int32), n_groups)
    return offsets, scores, days


def test_gil_is_released_during_the_c_call():
    """ctypes.CDLL releases the GIL around mlg_batch_compute: while a
    worker thread is inside one long C call, the main thread keeps running
    Python code.  The switch interval is raised to 5 s so that, were the
    GIL held, the main thread could not run again before the worker
    finished (no time-slice hand-offs)."""
    import sys
    offsets, scores, days = _big(100_000, 8)
    # Time a warm call (the first one also pays for page faults and lazy
    # set-up, which made the calibration overshoot), then size the real
    # call to last about 0.5 s whatever the machine's speed.
    mlg.proficiency_batch(offsets, scores, days, method="power_law",
                          threads=1)
    t0 = time.perf_counter()
    mlg.proficiency_batch(offsets, scores, days, method="power_law",
                          threads=1)
    one = time.perf_counter() - t0
    reps = max(1, int(0.5 / max(one, 1e-4)))
    offsets, scores, days = _big(100_000 * reps, 8)
    started = threading.Event()
    took = []

    def work():
        started.set()
        a = time.perf_counter()
        mlg.proficiency_batch(offsets, scores, days, method="power_law",
                              threads=1)
        took.append(time.perf_counter() - a)

    old = sys.getswitchinterval()
    sys.setswitchinterval(5.0)
    try:
        t = threading.Thread(target=work)
        t.start()
        started.wait()
        spins = 0
        while t.is_alive():
            spins += 1
            time.sleep(0.001)
        t.join()
    finally:
        sys.setswitchinterval(old)
    assert took and took[0] > 0.05
    # About one spin per millisecond of the call; with the GIL held, none.
    assert spins >= 10, (spins, took)


def test_two_python_threads_give_identical_results():
    n_groups = 50_000 if SANITIZED else 200_000
    offsets, scores, days = _big(n_groups, 8)
    expect = mlg.proficiency_batch(offsets, scores, days,
                                   method="power_law", threads=1)
    results, failures = {}, []

    def work(k):
        try:
            results[k] = mlg.proficiency_batch(offsets, scores, days,
                                               method="power_law", threads=1)
        except Exception as e:  # pragma: no cover - reported below
            failures.append(e)

    ts = [threading.Thread(target=work, args=(k,)) for k in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not failures
    for k in range(2):
        np.testing.assert_array_equal(results[k], expect)


def test_threads_many_small_calls_agree():
    offsets, scores, days = _big(2000, 5)
    expect = mlg.proficiency_batch(offsets, scores, days, method="mean")
    bad = []

    def work():
        for _ in range(20):
            v = mlg.proficiency_batch(offsets, scores, days, method="mean",
                                      threads=1)
            if not np.array_equal(v, expect):
                bad.append(1)

    ts = [threading.Thread(target=work) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not bad


def test_out_buffers_are_reused():
    offsets, scores, days = _big(1000, 5)
    expect = mlg.proficiency_batch(offsets, scores, days, method="mean",
                                   levels=True, counts=True)
    buf = mlg.Batch(np.full(1000, -7.0), np.zeros(1000, dtype=np.int32),
                    np.zeros(1000, dtype=np.int32))
    got = mlg.proficiency_batch(offsets, scores, days, method="mean",
                                out=buf)
    assert got.values is buf.values and got.levels is buf.levels
    np.testing.assert_array_equal(buf.values, expect.values)
    np.testing.assert_array_equal(buf.levels, expect.levels)
    np.testing.assert_array_equal(buf.counts, expect.counts)
    v = np.empty(1000)
    got = mlg.proficiency_batch(offsets, scores, days, method="mean",
                                out=(v, None, None))
    assert got is v          # no levels or counts: the values array itself
    for bad in [(np.empty(999), None, None),
                (np.empty(1000, dtype=np.float32), None, None),
                (np.empty(2000)[::2], None, None),
                (v, np.empty(1000, dtype=np.int64), None)]:
        with pytest.raises(ValueError, match="out:"):
            mlg.proficiency_batch(offsets, scores, days, method="mean",
                                  out=bad)
