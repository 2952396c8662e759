# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared fixtures.  The suite runs against the library named by MLG_LIBRARY
(ctest sets it to the freshly built one); without it, mlg's own discovery
applies (build trees of this checkout first)."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PKG_ROOT = os.path.dirname(HERE)                  # bindings/python
REPO = os.path.dirname(os.path.dirname(PKG_ROOT))  # the checkout
DATA = os.path.join(HERE, "data")

if PKG_ROOT not in sys.path:
    sys.path.insert(0, PKG_ROOT)

#: True under the ASan build (the library runs much slower there).
SANITIZED = os.environ.get("MLG_TEST_SANITIZED") == "1"


def subprocess_env(**extra):
    """Environment for child interpreters: same library, this package."""
    env = dict(os.environ)
    import mlg
    env.setdefault("MLG_LIBRARY", mlg.library_path())
    env["PYTHONPATH"] = PKG_ROOT + (os.pathsep + env["PYTHONPATH"]
                                    if env.get("PYTHONPATH") else "")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env
