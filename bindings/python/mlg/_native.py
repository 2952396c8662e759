# SPDX-License-Identifier: GPL-3.0-or-later
"""Loading libmlg and declaring every exported C function (STYLE.md section 11).

Discovery order (the first that loads wins):

1. ``MLG_LIBRARY``: a full path to the shared library.  When it is set, it is
   the only candidate: a bad path is an error, never a silent fallback to some
   other copy of the library.
2. A library next to this package (``mlg/libmlg.so.<SOVERSION>``,
   ``mlg/libmlg.so``), as an installer that bundles it would place it.
3. The build trees of the source checkout this package sits in:
   ``<root>/build`` first, then every other ``<root>/build-*`` directory,
   newest first.
4. ``ctypes.util.find_library("mlg")`` (the system's library path).

Within a directory the versioned ``libmlg.so.<SOVERSION>`` is preferred to
the development symlink ``libmlg.so``.  A library built with AddressSanitizer
is skipped unless the ASan runtime is already loaded into the process (loading
one otherwise kills the interpreter); ``ImportError`` lists every path tried
and why each failed.

After loading, the library must be the one this binding mirrors: the same
major version (``mlg_version_number()``), the same ABI number
(``mlg_abi_version()``, which moves on every layout or signature change in
0.x too) and, for every struct mirrored here, the same size
(``mlg_struct_size()``).  Anything else raises ``ImportError`` naming the
library, what differs, and how to fix it, instead of reading garbage later.

Every exported function gets ``restype``/``argtypes`` from :data:`PROTOTYPES`
at load time, so no call ever falls back to ctypes' default int conversions.
"""

import ctypes
import ctypes.util
import os
import threading

from ctypes import (POINTER, Structure, c_char, c_char_p, c_double, c_int,
                    c_int32, c_int64, c_size_t, c_uint8, c_void_p)

#: The ABI this binding mirrors (include/mlg.h MLG_SOVERSION,
#: MLG_VERSION_MAJOR and MLG_ABI_VERSION).
SOVERSION = 0
VERSION_MAJOR = 0
ABI_VERSION = 1

# --------------------------------------------------------------- constants --
# Mirrors of include/mlg.h.  Status codes are pinned there.
MLG_OK = 0
MLG_ENOTFOUND = 11
MLG_EDUPLICATE = 16
MLG_LEVEL_NA = -1
MLG_DAY_NONE = -2147483648
MLG_ERRINFO_MESSAGE_SIZE = 160
MLG_SCALE_MAX_LEVELS = 16
MLG_LABEL_SIZE = 16
MLG_NAME_SIZE = 64

MLG_EVIDENCE_COUNTED = 0
MLG_EVIDENCE_EXCUSED = 1
MLG_EVIDENCE_MISSING = 2

# The words for MLG_WHY_* codes, status codes and node flags come from the
# library (mlg_why_name, mlg_evidence_status_*, mlg_node_flag_name): see
# mlg._core.why_name() and friends.


# ----------------------------------------------------------------- structs --
class Scale(Structure):
    """Mirror of ``mlg_scale``."""
    _fields_ = [
        ("n_levels", c_int32),
        ("na_allowed", c_int32),
        ("score_min", c_double),
        ("score_max", c_double),
        ("value", c_double * MLG_SCALE_MAX_LEVELS),
        ("cut", c_double * MLG_SCALE_MAX_LEVELS),
        ("label", (c_char * MLG_LABEL_SIZE) * MLG_SCALE_MAX_LEVELS),
        ("name", (c_char * MLG_NAME_SIZE) * MLG_SCALE_MAX_LEVELS),
        ("id", c_char * MLG_LABEL_SIZE),
    ]

    # Read-only conveniences; the fields themselves stay the C layout.
    @property
    def values(self):
        """The level values, lowest first."""
        return [self.value[i] for i in range(self.n_levels)]

    @property
    def cuts(self):
        """The cut scores of MLG_ROUND_CUTS, lowest first."""
        return [self.cut[i] for i in range(self.n_levels)]

    @property
    def labels(self):
        """The short level labels ("1".."4", "E", ...), lowest first."""
        return [cstr(self.label[i].value) for i in range(self.n_levels)]

    @property
    def names(self):
        """The long level names, lowest first."""
        return [cstr(self.name[i].value) for i in range(self.n_levels)]

    @property
    def scale_id(self):
        """The scale's id ("ccs4", "custom", ...)."""
        return cstr(self.id)

    def __repr__(self):
        return "<mlg.Scale %s %s>" % (self.scale_id, self.labels)


class MethodParams(Structure):
    """Mirror of ``mlg_method_params``."""
    _fields_ = [
        ("method", c_int32),
        ("n", c_int32),
        ("tie", c_int32),
        ("missing", c_int32),
        ("weight", c_double),
        ("mastery", c_double),
        ("half_life_days", c_double),
        ("as_of", c_int32),
        ("rounding", c_int32),
        ("decimals", c_int32),
        ("arith", c_int32),
        ("log_shift", c_double),
        ("reserved_i", c_int32 * 6),
        ("reserved_d", c_double * 6),
    ]


class ParamInfo(Structure):
    """Mirror of ``mlg_param_info`` (static strings: never freed)."""
    _fields_ = [
        ("key", c_char_p),
        ("words", c_char_p),
        ("default_text", c_char_p),
        ("help", c_char_p),
        ("kind", c_int32),
        ("used", c_int32),
        ("min", c_double),
        ("max", c_double),
        ("min_open", c_int32),
        ("max_open", c_int32),
        ("default_value", c_double),
        ("reserved_i", c_int32 * 4),
        ("reserved_d", c_double * 2),
    ]


class Result(Structure):
    """Mirror of ``mlg_result``."""
    _fields_ = [
        ("value", c_double),
        ("rounded", c_double),
        ("level", c_int32),
        ("n_used", c_int32),
        ("n_ignored", c_int32),
        ("reserved", c_int32),
    ]


class ErrInfo(Structure):
    """Mirror of ``mlg_errinfo``."""
    _fields_ = [
        ("status", c_int32),
        ("reserved", c_int32),
        ("group", c_int64),
        ("row", c_int64),
        ("message", c_char * MLG_ERRINFO_MESSAGE_SIZE),
    ]


class ExplainRow(Structure):
    """Mirror of ``mlg_explain_row``."""
    _fields_ = [
        ("row", c_int64),
        ("day", c_int32),
        ("reason", c_int32),
        ("score", c_double),
        ("weight", c_double),
        ("influence", c_double),
        ("fitted", c_double),
    ]


#: Every struct mirrored here, by its C name (the layout test walks this).
STRUCTS = {
    "mlg_scale": Scale,
    "mlg_method_params": MethodParams,
    "mlg_param_info": ParamInfo,
    "mlg_result": Result,
    "mlg_errinfo": ErrInfo,
    "mlg_explain_row": ExplainRow,
}

# ------------------------------------------------------------- prototypes --
_P = POINTER
_i32p = _P(c_int32)
_i64p = _P(c_int64)
_dblp = _P(c_double)
_u8p = _P(c_uint8)
_scalep = _P(Scale)
_paramsp = _P(MethodParams)
_errp = _P(ErrInfo)

#: name -> (restype, argtypes) for every function libmlg exports.  c_char_p
#: results are only used for static strings the library owns (never freed).
PROTOTYPES = {
    # version and status text
    "mlg_version_number": (c_int, []),
    "mlg_version_string": (c_char_p, []),
    "mlg_strerror": (c_char_p, [c_int]),
    "mlg_errname": (c_char_p, [c_int]),
    # names and ABI
    "mlg_evidence_status_name": (c_char_p, [c_int32]),
    "mlg_evidence_status_from_name": (c_int, [c_char_p, _i32p]),
    "mlg_evidence_status_word": (c_char_p, [c_size_t, _i32p]),
    "mlg_why_name": (c_char_p, [c_int32]),
    "mlg_abi_version": (c_int, []),
    "mlg_struct_size": (c_size_t, [c_char_p]),
    # scales
    "mlg_scale_builtin": (c_int, [c_int32, _scalep]),
    "mlg_scale_from_name": (c_int, [c_char_p, _scalep]),
    "mlg_scale_init": (c_int, [_scalep, c_size_t, _dblp]),
    "mlg_scale_validate": (c_int, [_scalep]),
    "mlg_scale_find_label": (c_int, [_scalep, c_char_p, _i32p]),
    # methods, parameters, presets
    "mlg_method_params_init": (c_int, [_paramsp, c_int32]),
    "mlg_method_params_validate": (c_int, [_paramsp]),
    "mlg_method_from_name": (c_int, [c_char_p, _i32p]),
    "mlg_method_name": (c_char_p, [c_int32]),
    "mlg_method_params_set": (c_int, [_paramsp, c_char_p, c_char_p]),
    "mlg_preset_init": (c_int, [c_char_p, _paramsp]),
    "mlg_preset_name": (c_char_p, [c_size_t]),
    "mlg_method_param_count": (c_size_t, []),
    "mlg_method_param_info": (c_int, [c_int32, c_size_t, _P(ParamInfo)]),
    # one series
    "mlg_series_compute": (c_int, [c_size_t, _i32p, _dblp, _dblp, _u8p,
                                   _scalep, _paramsp, _P(Result), _errp]),
    "mlg_series_explain": (c_int, [c_size_t, _i32p, _dblp, _dblp, _u8p,
                                   _scalep, _paramsp, _P(Result),
                                   _P(ExplainRow), _errp]),
    "mlg_value_to_level": (c_int, [c_double, _scalep, _paramsp, _i32p,
                                   _dblp]),
    # batches
    "mlg_batch_compute": (c_int, [c_size_t, _i64p, _i32p, _dblp, _dblp, _u8p,
                                  _scalep, _paramsp, c_int32, _dblp, _i32p,
                                  _i32p, _errp]),
    "mlg_batch_compute_ex": (c_int, [c_size_t, _i64p, _i32p, _dblp, _dblp,
                                     _u8p, _scalep, _paramsp, c_int32, _dblp,
                                     _i32p, _i32p, _i32p, c_void_p, _errp]),
    "mlg_batch_workspace_create": (c_int, [_P(c_void_p)]),
    "mlg_batch_workspace_free": (None, [c_void_p]),
}

# Roll-up and policy prototypes live with their structs in _rollup_types so
# this file stays readable; they are merged into PROTOTYPES here.
from . import _rollup_types  # noqa: E402  (needs the names above)

PROTOTYPES.update(_rollup_types._prototypes(ErrInfo, Scale))
STRUCTS.update(_rollup_types.STRUCTS)

# ----------------------------------------------------------------- loading --
_lock = threading.Lock()
_lib = None
_path = None


def _package_dir():
    return os.path.dirname(os.path.abspath(__file__))


def _checkout_root():
    """The source checkout containing this package, or None."""
    root = os.path.abspath(os.path.join(_package_dir(), os.pardir, os.pardir,
                                        os.pardir))
    if os.path.isfile(os.path.join(root, "include", "mlg.h")):
        return root
    return None


def _names():
    return ("libmlg.so.%d" % SOVERSION, "libmlg.so")


def candidates():
    """Every path (or name) the loader would try, in order, as
    (where, path) pairs.  Exposed for the tests and for error messages."""
    env = os.environ.get("MLG_LIBRARY")
    if env:
        return [("MLG_LIBRARY", env)]
    out = []
    for name in _names():
        out.append(("package", os.path.join(_package_dir(), name)))
    root = _checkout_root()
    if root is not None:
        dirs = []
        try:
            entries = os.listdir(root)
        except OSError:
            entries = []
        others = []
        for e in entries:
            d = os.path.join(root, e)
            if e.startswith("build-") and os.path.isdir(d):
                try:
                    others.append((-os.path.getmtime(d), e, d))
                except OSError:
                    pass
        dirs.append(os.path.join(root, "build"))
        dirs.extend(d for _, _, d in sorted(others))
        for d in dirs:
            for name in _names():
                out.append(("build tree", os.path.join(d, name)))
    found = ctypes.util.find_library("mlg")
    out.append(("find_library", found if found else "libmlg (not found)"))
    return out


def _asan_loaded():
    try:
        with open("/proc/self/maps", "r") as f:
            return "libasan" in f.read()
    except OSError:
        return False


def _needs_asan(path):
    """True if the ELF file at path links the ASan runtime (its dynamic
    string table names libasan.so)."""
    try:
        with open(path, "rb") as f:
            return b"libasan.so" in f.read()
    except OSError:
        return False


def apply_prototypes(lib):
    """Set restype/argtypes of every function in PROTOTYPES that lib has.
    Returns the names the library does not export (normally none)."""
    missing = []
    for name, (restype, argtypes) in PROTOTYPES.items():
        try:
            fn = getattr(lib, name)
        except AttributeError:
            missing.append(name)
            continue
        fn.restype = restype
        fn.argtypes = argtypes
    return missing


def _try_load(path):
    if os.path.sep in path:
        if not os.path.exists(path):
            raise OSError("no such file")
        if _needs_asan(path) and not _asan_loaded():
            raise OSError("built with AddressSanitizer; run python with "
                          "LD_PRELOAD=$(gcc -print-file-name=libasan.so)")
    return ctypes.CDLL(path)


def load():
    """Load libmlg once per process (thread-safe) and return the CDLL."""
    global _lib, _path
    if _lib is not None:
        return _lib
    with _lock:
        if _lib is not None:
            return _lib
        tried = []
        lib = None
        for where, path in candidates():
            if where == "find_library" and path.startswith("libmlg ("):
                tried.append("%s: %s" % (where, path))
                continue
            try:
                lib = _try_load(path)
            except OSError as e:
                tried.append("%s: %s (%s)" % (where, path, e))
                continue
            _path = path
            break
        if lib is None:
            raise ImportError(
                "mlg: cannot load libmlg; tried, in order:\n  " +
                "\n  ".join(tried) +
                "\nBuild it (cmake -B build && cmake --build build) or set "
                "MLG_LIBRARY to the full path of libmlg.so.%d" % SOVERSION)
        check_abi(lib, _path)
        apply_prototypes(lib)
        _lib = lib
        return lib


def _abi_hint():
    return ("Rebuild libmlg from the same checkout as this package, or point "
            "MLG_LIBRARY at a matching libmlg.so.%d." % SOVERSION)


def check_abi(lib, path):
    """Refuse a library whose ABI differs from the one mirrored here:
    ImportError naming the library, what differs and how to fix it.
    (The binding's own mirrors are what matter, so this checks the ABI
    number and the size of every mirrored struct, not just the version.)"""
    lib.mlg_version_number.restype = c_int
    lib.mlg_version_number.argtypes = []
    version = lib.mlg_version_number()
    shown = "%d.%d.%d" % (version // 10000, version // 100 % 100,
                          version % 100)
    if version // 10000 != VERSION_MAJOR:
        raise ImportError(
            "mlg: %s is libmlg %s but this binding needs major version %d. "
            "%s" % (path, shown, VERSION_MAJOR, _abi_hint()))
    try:
        abi_fn = lib.mlg_abi_version
        size_fn = lib.mlg_struct_size
    except AttributeError:
        raise ImportError(
            "mlg: %s (libmlg %s) exports no mlg_abi_version(): it is older "
            "than the ABI %d this binding mirrors. %s"
            % (path, shown, ABI_VERSION, _abi_hint())) from None
    abi_fn.restype = c_int
    abi_fn.argtypes = []
    size_fn.restype = c_size_t
    size_fn.argtypes = [c_char_p]
    abi = abi_fn()
    if abi != ABI_VERSION:
        raise ImportError(
            "mlg: %s (libmlg %s) has ABI %d but this binding was written for "
            "ABI %d: its struct mirrors and prototypes would misread the "
            "library. %s" % (path, shown, abi, ABI_VERSION, _abi_hint()))
    bad = []
    for cname, cls in sorted(STRUCTS.items()):
        theirs = size_fn(cname.encode())
        if theirs != ctypes.sizeof(cls):
            bad.append("%s is %d bytes there, %d here"
                       % (cname, theirs, ctypes.sizeof(cls)))
    if bad:
        raise ImportError(
            "mlg: %s (libmlg %s, ABI %d) lays out its structs differently "
            "from this binding: %s. %s"
            % (path, shown, abi, "; ".join(bad), _abi_hint()))


def library_path():
    """The path (or name) the library was loaded from."""
    load()
    return _path


def function(name):
    """The prototyped C function `name`; a clear error if this libmlg does
    not export it (an older or partial build)."""
    lib = load()
    try:
        return getattr(lib, name)
    except AttributeError:
        raise NotImplementedError(
            "mlg: %s does not export %s (library too old or incomplete)"
            % (_path, name)) from None


def cstr(b):
    """Decode a C string (bytes or None) from the library."""
    return None if b is None else b.decode("utf-8", "replace")


__all__ = ["load", "function", "PROTOTYPES", "STRUCTS", "Scale",
           "MethodParams", "Result", "ErrInfo", "ExplainRow", "c_void_p"]
