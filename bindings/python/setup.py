# SPDX-License-Identifier: GPL-3.0-or-later
"""Build hooks for the mlg package; the metadata is in pyproject.toml.

The package is pure Python (ctypes), so its wheel is ``py3-none-any`` and
finds libmlg at run time (docs/python.md, "How the library is found").  A
wheel that *bundles* the shared library is no longer platform-independent:
set ``MLG_BUNDLE_LIBRARY`` to the built ``libmlg.so.<SOVERSION>`` and the
library is copied into the package as ``mlg/libmlg.so.<SOVERSION>`` and the
wheel is tagged for this platform (``py3-none-linux_x86_64``): any Python 3,
but only this OS and architecture.  A library copied into ``mlg/`` by hand
is treated the same way.
"""
import glob
import os
import re
import shutil

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

try:
    from wheel.bdist_wheel import bdist_wheel
except ImportError:  # no wheel package: pip install still works
    bdist_wheel = None

HERE = os.path.dirname(os.path.abspath(__file__))


def _soversion():
    with open(os.path.join(HERE, "mlg", "_native.py")) as f:
        return int(re.search(r"^SOVERSION = (\d+)$", f.read(), re.M).group(1))


def _bundle_source():
    """The library to copy into the package, or None."""
    path = os.environ.get("MLG_BUNDLE_LIBRARY")
    if not path:
        return None
    if not os.path.isfile(path):
        raise SystemExit("MLG_BUNDLE_LIBRARY=%s: no such file" % path)
    return path


def _bundles_library():
    return (_bundle_source() is not None or
            bool(glob.glob(os.path.join(HERE, "mlg", "libmlg.so*"))))


class BuildPy(build_py):
    def run(self):
        super().run()
        src = _bundle_source()
        if src is not None:
            dest = os.path.join(self.build_lib, "mlg",
                                "libmlg.so.%d" % _soversion())
            shutil.copyfile(src, dest)
            os.chmod(dest, 0o755)


cmdclass = {"build_py": BuildPy}

class MlgDistribution(Distribution):
    """Not pure when it carries the library: setuptools then installs it
    into platlib and the wheel's root is not purelib."""

    def has_ext_modules(self):
        return _bundles_library()


if bdist_wheel is not None:
    class BdistWheel(bdist_wheel):
        def get_tag(self):
            tag = super().get_tag()
            if _bundles_library():
                # Any Python 3 (ctypes, no extension module), this platform.
                return "py3", "none", tag[2]
            return tag

    cmdclass["bdist_wheel"] = BdistWheel

setup(cmdclass=cmdclass, distclass=MlgDistribution)
