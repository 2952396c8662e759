# SPDX-License-Identifier: GPL-3.0-or-later
"""A declared district policy (include/mlg_policy.h, docs/policy.md).

    >>> import mlg.district_policy as dp
    >>> p = dp.load()                  # the shipped lausd-bul-2332.7
    >>> p.name
    'lausd-bul-2332.7'

load() takes a shipped policy's name, a path to a JSON file, or the JSON
text itself; the library parses and validates it (an unknown key raises
NotFoundError, a wrong type FormatError) and hashes its canonical text.
mlg.compute(df, policy=p) uses the policy's method and records
"NAME sha256:HASH" in the result's attrs["policy"].
"""
import ctypes
import os
from ctypes import byref

from . import _native
from .errors import check


def _fn(name):
    return _native.function(name)


class Policy:
    """A parsed, validated policy (immutable)."""

    def __init__(self, handle):
        self._h = handle

    def __del__(self):
        h, self._h = getattr(self, "_h", None), None
        if h:
            _fn("mlg_policy_free")(h)

    @property
    def name(self):
        return _native.cstr(_fn("mlg_policy_name")(self._h))

    @property
    def hash(self):
        """SHA-256 (hex) of the canonical text."""
        return _native.cstr(_fn("mlg_policy_hash")(self._h))

    @property
    def canonical(self):
        """The canonical JSON text (what `mlg policy show` prints)."""
        return _native.cstr(_fn("mlg_policy_canonical")(self._h))

    @property
    def label(self):
        """'NAME sha256:HASH', as every output records it."""
        return "%s sha256:%s" % (self.name, self.hash)

    def method_params(self):
        """The policy's MethodParams (method, parameters, rounding)."""
        p = _native.MethodParams()
        check(_fn("mlg_policy_method")(self._h, byref(p)))
        return p

    def settings(self):
        """The mlg_policy_settings fields as a dict."""
        s = _native.STRUCTS["mlg_policy_settings"]()
        check(_fn("mlg_policy_settings_get")(self._h, byref(s)))
        return {f: getattr(s, f) for f, _ in s._fields_ if f != "reserved"}

    def notice_threshold(self, scale_id):
        """The warning-notice threshold of a scale id, None when the policy
        gives that scale no notices (TK)."""
        t = ctypes.c_double()
        st = _fn("mlg_policy_notice_threshold")(self._h, scale_id.encode(),
                                                byref(t))
        if st == 11:  # MLG_ENOTFOUND: no notices on this scale
            return None
        check(st)
        return t.value


def load(spec=None):
    """A Policy from a shipped name (default lausd-bul-2332.7), a path to a
    JSON file, or JSON text."""
    if isinstance(spec, Policy):
        return spec
    spec = "lausd-bul-2332.7" if spec is None else spec
    h = ctypes.c_void_p()
    err = _native.ErrInfo()
    if _fn("mlg_policy_builtin_text")(spec.encode()):
        check(_fn("mlg_policy_builtin")(spec.encode(), byref(h), byref(err)),
              err)
        return Policy(h)
    if not spec.lstrip().startswith("{") and os.path.exists(spec):
        with open(spec, "rb") as f:
            text = f.read()
    else:
        text = spec.encode()
    check(_fn("mlg_policy_parse")(text, len(text), byref(h), byref(err)), err)
    return Policy(h)


__all__ = ["Policy", "load"]
