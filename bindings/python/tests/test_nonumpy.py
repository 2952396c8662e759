# SPDX-License-Identifier: GPL-3.0-or-later
"""The scalar API (and a list-based batch) with the standard library only:
numpy and pandas are blocked in a child interpreter."""
import subprocess
import sys

from conftest import subprocess_env

CODE = r'''
import sys
sys.modules["numpy"] = None      # makes "import numpy" raise ImportError
sys.modules["pandas"] = None
import mlg
assert mlg._core._np is None
assert mlg.proficiency([1, 2, 3, 3], method="most_recent") == 3.0
assert mlg.proficiency([1, 2, 3, 3], method="mean") == 2.25
assert abs(mlg.proficiency([2, 3, 4], weight=0.65) - 3.5275) < 1e-12
assert mlg.proficiency([]) is None
assert mlg.level(2.5) == "3"
assert mlg.explain([1, 2, 3, 3], "recent_mean").rows[0].reason == \
    "outside_window"
import array
out = mlg.proficiency_batch([0, 4, 7], [1, 2, 3, 3, 2, 3, 4],
                            method="most_recent", levels=True, counts=True)
assert isinstance(out.values, array.array)
assert list(out.values) == [3.0, 4.0]
assert list(out.levels) == [2, 3] and list(out.counts) == [4, 3]
v = mlg.proficiency_batch(array.array("q", [0, 3]), [2, 3, 4],
                          days=["2024-09-01", "2024-09-02", "2024-09-03"],
                          status=["counted", "counted", "counted"])
assert abs(v[0] - 3.5275) < 1e-12
try:
    mlg.proficiency_batch([0, 2], [1, 2, 9], method="mean")
except ValueError:
    pass
else:
    raise SystemExit("length mismatch not caught")
try:
    mlg.proficiency_batch([0, 3], [1, 2, 9], method="mean")
except mlg.errors.ScaleError as e:
    assert e.group == 0 and e.row == 2
try:
    mlg.compute
except ImportError:
    pass
else:
    raise SystemExit("mlg.compute without pandas should raise ImportError")
print("ok")
'''


def test_scalar_api_without_numpy_or_pandas():
    p = subprocess.run([sys.executable, "-c", CODE], env=subprocess_env(),
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "ok"
