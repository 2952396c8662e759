# SPDX-License-Identifier: GPL-3.0-or-later
"""The docs/python.md research walk-through runs as written."""
import os
import subprocess
import sys

import pytest

from conftest import PKG_ROOT, subprocess_env

pytest.importorskip("pandas")
SCRIPT = os.path.join(PKG_ROOT, "examples", "walkthrough.py")


def test_walkthrough_runs_and_plots(tmp_path):
    png = tmp_path / "zoey.png"
    p = subprocess.run([sys.executable, SCRIPT, "--plot", str(png)],
                       env=subprocess_env(MPLBACKEND="Agg"),
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    out = p.stdout
    assert "522 evidence rows, 24 students, 4 targets" in out
    # Zoey's Learning Target 1 (BUL-2332.7 Att. A): mean 2.25 -> 2, the
    # decaying average 2.834625 -> 3.
    assert "current level: mean 2 (2.250), decaying_average 3 (2.835)" in out
    import importlib.util
    if importlib.util.find_spec("matplotlib") is None:
        assert "no plot" in out
    else:
        assert png.stat().st_size > 1000
        assert png.read_bytes()[:4] == b"\x89PNG"
