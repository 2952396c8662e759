# SPDX-License-Identifier: GPL-3.0-or-later
"""Loading, prototypes and struct layouts (STYLE.md section 11)."""
import ctypes
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import REPO, subprocess_env
import mlg
from mlg import _native


def _exports():
    with open(os.path.join(REPO, "tests", "exports.txt")) as f:
        return {ln.strip() for ln in f if re.match(r"^[A-Za-z]", ln)}


def _header_functions():
    names = set()
    inc = os.path.join(REPO, "include")
    for h in os.listdir(inc):
        if h.endswith(".h"):
            with open(os.path.join(inc, h)) as f:
                names |= set(re.findall(r"MLG_API\s+[^;(]*?\b(mlg_\w+)\s*\(",
                                        f.read()))
    return names


def test_prototype_table_covers_exactly_the_exported_symbols():
    """STYLE.md 11: one table applied to every exported function; a symbol
    without a prototype would fall back to ctypes' int conversions."""
    exports = _exports()
    table = set(_native.PROTOTYPES)
    assert exports - table == set(), (
        "exported without a prototype: add (restype, argtypes) to "
        "PROTOTYPES in bindings/python/mlg/_native.py (mlg.h) or "
        "_rollup_types.py (mlg_rollup.h, mlg_policy.h)")
    assert table - exports == set(), "prototype for a symbol not exported"


def test_prototype_table_matches_the_public_headers():
    assert set(_native.PROTOTYPES) == _header_functions()


def test_every_exported_function_got_its_prototype_at_load():
    lib = _native.load()
    for name in _exports():
        fn = getattr(lib, name)
        restype, argtypes = _native.PROTOTYPES[name]
        assert fn.argtypes == argtypes, name
        assert fn.restype == restype, name


def test_version_matches_header():
    with open(os.path.join(REPO, "include", "mlg.h")) as f:
        m = re.search(r'#define MLG_VERSION_STRING "([^"]+)"', f.read())
    assert mlg.version() == m.group(1)
    assert _native.load().mlg_version_number() // 10000 == \
        _native.VERSION_MAJOR


def _c_layout(cc, tmp_path):
    """sizeof/offsetof of every mirrored struct and field, from C."""
    lines = ['#include "mlg.h"', '#include "mlg_rollup.h"',
             '#include "mlg_policy.h"', "#include <stddef.h>",
             "#include <stdio.h>", "int main(void) {"]
    for cname, cls in _native.STRUCTS.items():
        lines.append('printf("%%s %%zu\\n", "%s", sizeof(%s));'
                     % (cname, cname))
        for field, _ in cls._fields_:
            lines.append('printf("%%s.%%s %%zu %%zu\\n", "%s", "%s", '
                         'offsetof(%s, %s), sizeof(((%s *)0)->%s));'
                         % (cname, field, cname, field, cname, field))
    lines.append("return 0; }")
    src = tmp_path / "layout.c"
    src.write_text("\n".join(lines))
    exe = tmp_path / "layout"
    subprocess.run([cc, "-std=c11", "-I", os.path.join(REPO, "include"),
                    str(src), "-o", str(exe)], check=True)
    out = subprocess.run([str(exe)], check=True, capture_output=True,
                         text=True).stdout
    return dict((ln.split(" ", 1)[0], ln.split(" ", 1)[1])
                for ln in out.splitlines())


def test_struct_layouts_match_the_c_compiler(tmp_path):
    """Every ctypes mirror has the C struct's size and every field its
    offset and size (a compiled probe; skipped without a C compiler)."""
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler to probe the layouts")
    c = _c_layout(cc, tmp_path)
    for cname, cls in _native.STRUCTS.items():
        assert c[cname] == str(ctypes.sizeof(cls)), cname
        for field, _ in cls._fields_:
            d = getattr(cls, field)
            assert c["%s.%s" % (cname, field)] == "%d %d" % (d.offset,
                                                             d.size), \
                (cname, field)


def test_method_params_init_writes_every_field_where_the_mirror_expects():
    """mlg_method_params_init() defaults (mlg.h) read back through the
    mirror: a shifted field would read garbage."""
    for name, n in (("recent_mean", 3), ("highest_mean", 3),
                    ("n_mastery", 5), ("consistent_recent", 2)):
        p = mlg.params(name)
        assert p.method == mlg.method_id(name)
        assert p.n == n
        assert p.tie == 0 and p.missing == 0
        assert p.weight == 0.65
        assert p.mastery == 3.0
        assert p.half_life_days == 30.0
        assert p.as_of == _native.MLG_DAY_NONE
        assert p.rounding == 0
        assert p.decimals == 6
        assert p.arith == 0
        assert list(p.reserved_i) == [0] * 6
        assert list(p.reserved_d) == [0.0] * 6
        assert p.log_shift == 0.0


def test_builtin_scale_reads_back_through_the_mirror():
    """The CCS 4/3/2/1 scale (BUL-2332.7 sec. II.A): the last field (id)
    sits after the 16x16 labels and 16x64 names."""
    s = mlg.scale("ccs4")
    assert s.n_levels == 4
    assert s.values == [1.0, 2.0, 3.0, 4.0]
    assert s.labels == ["1", "2", "3", "4"]
    assert (s.score_min, s.score_max) == (1.0, 4.0)
    assert s.scale_id == "ccs4"
    tk = mlg.scale("tk")
    assert tk.labels == ["E", "B", "D", "I"]


def test_result_and_errinfo_read_back_through_the_mirror():
    r = mlg.result([1, 2, 3, 3], "mean")
    # BUL-2332.7 Att. A: averaging Zoey's scores gives 2.25.
    assert (r.value, r.rounded, r.level, r.n_used, r.n_ignored) == \
        (2.25, 2.25, 1, 4, 0)
    with pytest.raises(mlg.errors.ScaleError) as e:
        mlg.proficiency([1, 2, 9], "mean")
    assert e.value.row == 2 and e.value.group is None
    assert "9" in e.value.message


# ------------------------------------------------------------ discovery ---
def test_candidates_order_without_env(monkeypatch):
    monkeypatch.delenv("MLG_LIBRARY", raising=False)
    c = _native.candidates()
    wheres = [w for w, _ in c]
    assert wheres[0] == "package"
    assert wheres[-1] == "find_library"
    pkg = [p for w, p in c if w == "package"]
    assert pkg[0].endswith("libmlg.so.%d" % _native.SOVERSION)
    assert pkg[1].endswith("libmlg.so")
    build = [p for w, p in c if w == "build tree"]
    # <root>/build first, versioned name first within each directory.
    assert build[0] == os.path.join(REPO, "build",
                                    "libmlg.so.%d" % _native.SOVERSION)
    assert build[1] == os.path.join(REPO, "build", "libmlg.so")
    assert all(os.path.basename(os.path.dirname(p)).startswith("build")
               for p in build)


def test_candidates_with_env_is_only_that_path(monkeypatch):
    monkeypatch.setenv("MLG_LIBRARY", "/x/libmlg.so.0")
    assert _native.candidates() == [("MLG_LIBRARY", "/x/libmlg.so.0")]


def test_import_error_lists_every_path_tried(tmp_path):
    env = subprocess_env(MLG_LIBRARY=str(tmp_path / "nope" / "libmlg.so.0"))
    p = subprocess.run([sys.executable, "-c", "import mlg"], env=env,
                       capture_output=True, text=True)
    assert p.returncode != 0
    assert "ImportError" in p.stderr
    assert str(tmp_path / "nope" / "libmlg.so.0") in p.stderr
    assert "MLG_LIBRARY" in p.stderr


def test_discovery_without_env_lists_paths_when_nothing_loads(tmp_path):
    """Outside a checkout with no library anywhere, the error names the
    package directory and find_library."""
    pkg = tmp_path / "mlg"
    shutil.copytree(os.path.dirname(mlg.__file__), pkg,
                    ignore=shutil.ignore_patterns("__pycache__", "*.so*"))
    env = subprocess_env(PYTHONPATH=str(tmp_path), LD_LIBRARY_PATH="")
    env.pop("MLG_LIBRARY")
    code = "import mlg"
    p = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path,
                       capture_output=True, text=True)
    if p.returncode == 0:
        pytest.skip("a system-wide libmlg is installed")
    assert str(pkg / ("libmlg.so.%d" % _native.SOVERSION)) in p.stderr
    assert "find_library" in p.stderr


def test_library_next_to_the_package_is_found(tmp_path):
    pkg = tmp_path / "mlg"
    shutil.copytree(os.path.dirname(mlg.__file__), pkg,
                    ignore=shutil.ignore_patterns("__pycache__", "*.so*"))
    shutil.copy(mlg.library_path(), pkg / "libmlg.so.0")
    env = subprocess_env(PYTHONPATH=str(tmp_path))
    env.pop("MLG_LIBRARY")
    code = "import mlg; print(mlg.library_path())"
    p = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path,
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == str(pkg / "libmlg.so.0")


def test_major_version_mismatch_fails_clearly():
    code = ("import mlg._native as n\n"
            "n._lib = None\n"
            "n.VERSION_MAJOR = 99\n"
            "n.load()\n")
    p = subprocess.run([sys.executable, "-c", code], env=subprocess_env(),
                       capture_output=True, text=True)
    assert p.returncode != 0
    assert "ImportError" in p.stderr and "major version 99" in p.stderr


def test_asan_library_is_refused_with_a_hint(tmp_path, monkeypatch):
    fake = tmp_path / "libmlg.so.0"
    fake.write_bytes(b"\x7fELF....libasan.so.8\x00....")
    monkeypatch.setattr(_native, "_asan_loaded", lambda: False)
    with pytest.raises(OSError, match="AddressSanitizer"):
        _native._try_load(str(fake))


def test_unexported_function_raises_not_implemented():
    with pytest.raises(NotImplementedError, match="mlg_no_such_function"):
        _native.function("mlg_no_such_function")


def test_abi_number_mismatch_fails_clearly():
    """mlg.h: MLG_ABI_VERSION moves on every layout or signature change in
    0.x, where the major version stays 0; the binding refuses a library
    whose ABI is not the one it mirrors."""
    assert _native.load().mlg_abi_version() == _native.ABI_VERSION
    code = ("import mlg._native as n\n"
            "n._lib = None\n"
            "n.ABI_VERSION = 2\n"
            "n.load()\n")
    p = subprocess.run([sys.executable, "-c", code], env=subprocess_env(),
                       capture_output=True, text=True)
    assert p.returncode != 0
    assert "ImportError" in p.stderr
    assert "has ABI 1 but this binding was written for ABI 2" in p.stderr
    assert "Rebuild libmlg" in p.stderr


def test_struct_size_mismatch_fails_clearly():
    """A mirror whose size differs from mlg_struct_size() is refused at
    import, naming the struct and both sizes (mlg_result: 32 bytes, two
    doubles and four int32_t)."""
    code = ("import ctypes, mlg._native as n\n"
            "class Wider(ctypes.Structure):\n"
            "    _fields_ = n.Result._fields_ + [('extra', ctypes.c_double)]\n"
            "n._lib = None\n"
            "n.STRUCTS['mlg_result'] = Wider\n"
            "n.load()\n")
    p = subprocess.run([sys.executable, "-c", code], env=subprocess_env(),
                       capture_output=True, text=True)
    assert p.returncode != 0
    assert "mlg_result is 32 bytes there, 40 here" in p.stderr


def test_library_older_than_the_abi_check_is_refused(tmp_path):
    """A libmlg 0.1.0 without mlg_abi_version() (every build before it was
    added) cannot be checked, so it is refused rather than trusted."""
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler to build a stand-in library")
    src = tmp_path / "old.c"
    src.write_text("int mlg_version_number(void) { return 100; }\n")
    lib = tmp_path / "libmlg.so.0"
    subprocess.run([cc, "-shared", "-fPIC", str(src), "-o", str(lib)],
                   check=True)
    env = subprocess_env(MLG_LIBRARY=str(lib))
    env.pop("LD_PRELOAD", None)
    p = subprocess.run([sys.executable, "-c", "import mlg"], env=env,
                       capture_output=True, text=True)
    assert p.returncode != 0
    assert "ImportError" in p.stderr
    assert "exports no mlg_abi_version()" in p.stderr
    assert str(lib) in p.stderr


def test_every_public_struct_has_a_size():
    """mlg_struct_size() knows every struct the public headers define, so a
    struct added later cannot escape the binding's layout check."""
    lib = _native.load()
    inc = os.path.join(REPO, "include")
    names = set()
    for h in os.listdir(inc):
        if h.endswith(".h"):
            with open(os.path.join(inc, h)) as f:
                names |= set(re.findall(r"typedef struct (mlg_\w+) \{",
                                        f.read()))
    assert "mlg_param_info" in names
    missing = sorted(n for n in names if lib.mlg_struct_size(n.encode()) == 0)
    assert missing == []
