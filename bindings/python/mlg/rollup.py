# SPDX-License-Identifier: GPL-3.0-or-later
"""Roll-ups (include/mlg_rollup.h): learning targets -> domains -> subjects
and composites, for every student at once.

    cat = mlg.rollup.Catalogue.from_frame(pd.read_csv("catalogue.csv"))
    r = mlg.compute(evidence, method="most_recent", catalogue=cat)
    r.targets        # one row per student x target (as without catalogue)
    r.nodes          # one row per student x domain/subject/composite
    r.explain("zoey", "3.OA")   # how her domain mark was reached

A catalogue table has one row per node and link: columns id and parent
(empty for a root), optionally label, kind (target/domain/subject/
composite; inferred when absent: a node without children is a target, a
root with children a composite, anything else a domain, as the mlg command
does), rule (text such as "mostly_proficient p=0.75 gap=1", parsed by
mlg_rollup_rule_parse()), weight (of the link to parent, default 1),
na_allowed (1/0) and scale (a built-in scale id).  A node with several
parents repeats its id on one row per parent.  Which ids name one node
(CCSS prefixes, short forms without the cluster letter) is decided by the
library (mlg_catalogue_add/find), never by comparing strings here: this
module only reads the table and feeds the library's catalogue.
"""

import collections
import math
import os
import warnings
import weakref
from ctypes import POINTER, byref, c_double, c_int32, c_int64, c_size_t, \
    c_void_p

from . import _core, _native
from ._rollup_types import NodeInfo, RollupChild, RollupRule, RollupStep
from .errors import DuplicateError, NotFoundError, check

try:
    import numpy as np
except ImportError:  # pragma: no cover
    np = None

def _fn(name):
    return _native.function(name)


#: {word: MLG_NODE_* bit} of the node flags, the library's words (the same
#: the mlg command writes): na, na_not_allowed, partial, gap,
#: below_na_not_allowed.
NODE_FLAGS = _core.node_flag_names()


def _kinds():
    out = []
    for i in range(64):
        w = _fn("mlg_node_kind_name")(i)
        if w is None:
            break
        out.append(_native.cstr(w))
    return tuple(out)


#: Node kind names in MLG_NODE_* order (mlg_node_kind_name).
KINDS = _kinds()


def _b(s):
    return None if s is None else str(s).encode()


def rule(spec=None, **params):
    """A RollupRule from a name or a text line ("mostly_proficient p=0.75
    gap=1"), with keyword overrides set through mlg_rollup_rule_set()."""
    r = RollupRule()
    if isinstance(spec, RollupRule):
        r = RollupRule.from_buffer_copy(spec)
    elif spec is None or (isinstance(spec, float) and math.isnan(spec)) \
            or str(spec).strip() == "":
        check(_fn("mlg_rollup_rule_init")(byref(r), 0))
    else:
        err = _native.ErrInfo()
        rc = _fn("mlg_rollup_rule_parse")(_b(spec), byref(r), byref(err))
        name = str(spec).replace(",", " ").split()[0]
        if rc == _native.MLG_ENOTFOUND and name not in rule_names():
            raise _core.unknown_name("roll-up rule", name, rule_names())
        check(rc, err)
    for k, v in params.items():
        if v is None:
            continue
        check(_fn("mlg_rollup_rule_set")(byref(r), _b(k),
                                         _b(_core._param_text(k, v))))
    return r


def rule_names():
    """Every roll-up rule name, in MLG_RULE_* order."""
    out = []
    for i in range(64):
        s = _fn("mlg_rollup_rule_name")(i)
        if s is None:
            break
        out.append(_native.cstr(s))
    return out


class Catalogue:
    """An mlg_catalogue handle: add nodes, link them, finalize(), then run.
    Freed automatically (mlg_catalogue_free) when garbage-collected."""

    def __init__(self):
        h = c_void_p()
        check(_fn("mlg_catalogue_create")(byref(h)))
        self._h = h
        self._free = weakref.finalize(self, _fn("mlg_catalogue_free"), h)
        self.finalized = False

    # ------------------------------------------------------------ build --
    def add(self, id, label=None, kind="target", scale=None, rule=None,
            na_allowed=True):
        """mlg_catalogue_add(): kind is a name or MLG_NODE_*; scale a
        built-in id or mlg.Scale (None = CCS); rule a rule() or its text."""
        if isinstance(kind, str):
            k = c_int32()
            rc = _fn("mlg_node_kind_from_name")(_b(kind), byref(k))
            if rc == _native.MLG_ENOTFOUND:
                raise _core.unknown_name("node kind", kind, KINDS)
            check(rc)
            kind = k.value
        scale_p = None
        if scale is not None:
            s = _core.scale(scale)
            scale_p = byref(s)
        rule_p = None
        if rule is not None:
            r = rule if isinstance(rule, RollupRule) else globals()["rule"](
                rule)
            rule_p = byref(r)
        err = _native.ErrInfo()
        check(_fn("mlg_catalogue_add")(self._h, _b(id), _b(label), int(kind),
                                       scale_p, rule_p,
                                       1 if na_allowed else 0, byref(err)),
              err)
        return self

    def link(self, parent, child, weight=1.0):
        """mlg_catalogue_link(): child under parent with a link weight."""
        err = _native.ErrInfo()
        check(_fn("mlg_catalogue_link")(self._h, _b(parent), _b(child),
                                        float(weight), byref(err)), err)
        return self

    def add_bulletin_grade3(self, domain_rule=None, composite_rule=None):
        """The grade-3 progress report's domains, subjects and composites
        (mlg_catalogue_add_bulletin_grade3); add and link targets to them."""
        d = None if domain_rule is None else byref(rule(domain_rule))
        c = None if composite_rule is None else byref(rule(composite_rule))
        err = _native.ErrInfo()
        check(_fn("mlg_catalogue_add_bulletin_grade3")(self._h, d, c,
                                                       byref(err)), err)
        return self

    def finalize(self):
        err = _native.ErrInfo()
        check(_fn("mlg_catalogue_finalize")(self._h, byref(err)), err)
        self.finalized = True
        self._cache()
        return self

    def _cache(self):
        n = _fn("mlg_catalogue_node_count")(self._h)
        self.ids = [_native.cstr(_fn("mlg_catalogue_node_id")(self._h, k))
                    for k in range(n)]
        self.labels = [_native.cstr(_fn("mlg_catalogue_node_label")(self._h,
                                                                     k))
                       for k in range(n)]
        self.info = []
        self.scales = []
        for k in range(n):
            info = NodeInfo()
            check(_fn("mlg_catalogue_node_info")(self._h, k, byref(info)))
            self.info.append(info)
            s = _native.Scale()
            check(_fn("mlg_catalogue_node_scale")(self._h, k, byref(s)))
            self.scales.append(s)
        self.kinds = [KINDS[i.kind] if 0 <= i.kind < len(KINDS) else
                      str(i.kind) for i in self.info]
        t = _fn("mlg_catalogue_target_count")(self._h)
        self.target_nodes = []
        for j in range(t):
            node = c_size_t()
            check(_fn("mlg_catalogue_target_node")(self._h, j, byref(node)))
            self.target_nodes.append(node.value)

    # ------------------------------------------------------------ query --
    @property
    def n_nodes(self):
        return len(self.ids)

    @property
    def n_targets(self):
        return len(self.target_nodes)

    def find(self, id):
        """Node index of an id or alias (mlg_catalogue_find)."""
        out = c_size_t()
        check(_fn("mlg_catalogue_find")(self._h, _b(id), byref(out)))
        return out.value

    def find_target(self, id):
        """Target index (column of run()'s input) of a target id or alias."""
        out = c_size_t()
        check(_fn("mlg_catalogue_find_target")(self._h, _b(id), byref(out)))
        return out.value

    def children(self, node):
        """[(child node index, link weight)] in link order."""
        n = c_size_t()
        check(_fn("mlg_catalogue_node_children")(self._h, node, 0, None,
                                                 None, byref(n)))
        child = (c_int64 * max(n.value, 1))()
        weight = (c_double * max(n.value, 1))()
        check(_fn("mlg_catalogue_node_children")(
            self._h, node, n.value, child, weight, byref(n)))
        return [(child[i], weight[i]) for i in range(n.value)]

    # -------------------------------------------------------------- run --
    def run(self, target_values, threads=0):
        """mlg_rollup_run() over an (n_students x n_targets) float64 array
        (NaN = not assessed): (values, levels, flags), each n_students x
        n_nodes."""
        tv = np.ascontiguousarray(target_values, dtype=np.float64)
        if tv.ndim != 2 or tv.shape[1] != self.n_targets:
            raise ValueError("target_values must be n_students x %d"
                             % self.n_targets)
        n_s = tv.shape[0]
        shape = (n_s, self.n_nodes)
        values = np.empty(shape, dtype=np.float64)
        levels = np.empty(shape, dtype=np.int32)
        flags = np.empty(shape, dtype=np.int32)
        err = _native.ErrInfo()
        check(_fn("mlg_rollup_run")(
            self._h, n_s, tv.ctypes.data_as(POINTER(c_double)), int(threads),
            values.ctypes.data_as(POINTER(c_double)),
            levels.ctypes.data_as(POINTER(c_int32)),
            flags.ctypes.data_as(POINTER(c_int32)), byref(err)), err)
        return values, levels, flags

    def explain(self, target_values_row, node):
        """How `node` (index or id) got its mark for one student whose
        target values are target_values_row (mlg_rollup_explain)."""
        if not isinstance(node, int):
            node = self.find(node)
        tv = (c_double * max(self.n_targets, 1))(
            *[float(v) for v in target_values_row])
        cap = max(int(self.info[node].n_children), 1)
        step = RollupStep()
        kids = (RollupChild * cap)()
        err = _native.ErrInfo()
        check(_fn("mlg_rollup_explain")(self._h, tv, node, byref(step), kids,
                                        cap, byref(err)), err)
        return self._step(step, kids)

    def _step(self, step, kids):
        def lab(node, level):
            if level < 0:
                return None
            return self.scales[node].labels[level]
        children = [RollupChildRow(
            node=self.ids[c.node], value=_nan_none(c.value),
            number=_nan_none(c.number), level=lab(c.node, c.level),
            weight=c.weight, used=bool(c.used), blocking=bool(c.blocking),
            flags=c.flags) for c in kids[:step.n_children]]
        reason = _native.cstr(_fn("mlg_rollup_refuse_name")(step.reason))
        return RollupExplanation(
            node=self.ids[step.node], label=self.labels[step.node],
            rule=_native.cstr(_fn("mlg_rollup_rule_name")(step.rule)),
            value=_nan_none(step.value), level=lab(step.node, step.level),
            flags=step.flags, refused=reason,
            refused_level=lab(step.node, step.refused_level),
            statistic=_nan_none(step.statistic),
            message=_native.cstr(step.message), children=children)

    # ------------------------------------------------------- from tables --
    @classmethod
    def from_frame(cls, df, scale=None):
        """A finalised catalogue from a table (see the module docstring)."""
        import pandas as pd
        if "id" not in df.columns or "parent" not in df.columns:
            raise KeyError("a catalogue table needs the columns id and "
                           "parent")
        df = df.reset_index(drop=True)
        ids = df["id"].astype(str).tolist()
        parents = ["" if (p is None or (isinstance(p, float) and
                                        math.isnan(p))) else str(p)
                   for p in df["parent"].tolist()]
        # Which rows name the same node (aliases, prefixes, short forms)
        # is the library's answer, never a string comparison here.
        node_of = _same_nodes(ids + [p for p in parents if p])

        def node(name):
            # An id the library cannot resolve stays itself, for
            # mlg_catalogue_add() to report.
            return node_of.get(name, name)

        has_child = set(node(p) for p in parents if p)
        is_root = {}
        for i, p in zip(ids, parents):
            is_root[node(i)] = is_root.get(node(i), True) and not p

        def col(name, default):
            if name in df.columns:
                return [default if (v is None or (isinstance(v, float) and
                                                  math.isnan(v))) else v
                        for v in df[name].tolist()]
            return [default] * len(df)

        labels = col("label", None)
        kinds = col("kind", None)
        rules = col("rule", None)
        weights = col("weight", 1.0)
        na = col("na_allowed", None)
        scales = col("scale", None)
        cat = cls()
        seen = set()
        for k, i in enumerate(ids):
            if node(i) in seen:
                continue
            seen.add(node(i))
            kind = kinds[k]
            if kind is None:
                kind = ("target" if node(i) not in has_child else
                        "composite" if is_root[node(i)] else "domain")
            cat.add(i, label=labels[k], kind=kind,
                    scale=scales[k] if scales[k] is not None else scale,
                    rule=rules[k],
                    na_allowed=True if na[k] is None else int(na[k]) != 0)
        for k, (i, p) in enumerate(zip(ids, parents)):
            if p:
                cat.link(p, i, float(weights[k]))
        del pd
        return cat.finalize()

    @classmethod
    def from_csv(cls, path, scale=None):
        import pandas as pd
        return cls.from_frame(pd.read_csv(path, dtype=str,
                                          keep_default_na=False,
                                          na_values=[""]), scale=scale)


def _same_nodes(names):
    """{name: node number}: names the library takes for one node share a
    number.  A scratch catalogue holds every distinct name (a name the
    library calls a duplicate of one already added is the same node), and
    mlg_catalogue_find() maps every name to its node.  Names it cannot
    resolve (a parent never defined) are left out, for mlg_catalogue_link()
    to report."""
    scratch = Catalogue()
    for name in dict.fromkeys(names):
        try:
            scratch.add(name, kind="target")
        except DuplicateError:
            pass
    scratch.finalize()
    out = {}
    for name in dict.fromkeys(names):
        try:
            out[name] = scratch.find(name)
        except (NotFoundError, DuplicateError):
            pass
    return out


def _nan_none(v):
    return None if v is None or math.isnan(v) else v


RollupChildRow = collections.namedtuple(
    "RollupChildRow", "node value number level weight used blocking flags")
RollupExplanation = collections.namedtuple(
    "RollupExplanation", "node label rule value level flags refused "
    "refused_level statistic message children")


class Rollup(collections.namedtuple("Rollup", "targets nodes")):
    """mlg.compute(..., catalogue=...)'s answer.

    targets  the per-target table of mlg.compute().
    nodes    one row per student x non-target node: student_id, node_id,
             label, kind, value (NaN = N/A), level (the node scale's label,
             None for N/A), flags (MLG_NODE_* bits) and one boolean
             column per flag, named by the library as the mlg command
             writes them: na, na_not_allowed (N/A where the bulletin
             forbids it), partial, gap, below_na_not_allowed.
    """

    def wide(self, what="level"):
        """Students x nodes table of `what` (level or value)."""
        return self.nodes.pivot(index="student_id", columns="node_id",
                                values=what)

    def explain(self, student_id, node_id):
        """How one student's node mark was reached (mlg_rollup_explain)."""
        ctx = self._ctx
        s = ctx["student_index"][student_id]
        return ctx["catalogue"].explain(ctx["matrix"][s], node_id)


def _as_catalogue(catalogue, scale):
    if isinstance(catalogue, Catalogue):
        if not catalogue.finalized:
            catalogue.finalize()
        return catalogue
    if isinstance(catalogue, (str, os.PathLike)):
        return Catalogue.from_csv(catalogue)
    return Catalogue.from_frame(catalogue)


def rollup_frame(out, levels, prep, catalogue, scale=None, threads=0):
    """Roll the per-target results of mlg.compute() up the catalogue."""
    import pandas as pd
    cat = _as_catalogue(catalogue, scale)
    # Target ids of the evidence -> catalogue target columns (aliases
    # resolved by the library).
    tmap = np.full(len(prep.targets), -1, dtype=np.int64)
    unknown = []
    for j, t in enumerate(prep.targets):
        try:
            tmap[j] = cat.find_target(str(t))
        except NotFoundError:
            unknown.append(t)
    if unknown:
        warnings.warn("%d target id(s) are not in the catalogue and are "
                      "left out of the roll-ups: %s"
                      % (len(unknown), ", ".join(map(str, unknown[:10]))),
                      stacklevel=3)
    n_s = len(prep.students)
    matrix = np.full((n_s, cat.n_targets), np.nan)
    cols = tmap[prep.group_target]
    ok = cols >= 0
    matrix[prep.group_student[ok], cols[ok]] = out["value"].to_numpy()[ok]
    values, lv, flags = cat.run(matrix, threads=threads)

    nodes = [k for k in range(cat.n_nodes) if cat.kinds[k] != "target"]
    m = len(nodes)
    sel = np.asarray(nodes, dtype=np.int64)
    v = values[:, sel].reshape(-1)
    L = lv[:, sel]
    F = flags[:, sel].reshape(-1)
    label_cols = np.empty((n_s, m), dtype=object)
    for c, k in enumerate(nodes):
        labs = np.array(cat.scales[k].labels + [None], dtype=object)
        label_cols[:, c] = labs[L[:, c]]
    table = pd.DataFrame({
        "student_id": np.repeat(np.asarray(prep.students, dtype=object), m)
        if n_s else np.array([], dtype=object),
        "node_id": np.tile(np.array([cat.ids[k] for k in nodes],
                                    dtype=object), n_s),
        "label": np.tile(np.array([cat.labels[k] for k in nodes],
                                  dtype=object), n_s),
        "kind": np.tile(np.array([cat.kinds[k] for k in nodes],
                                 dtype=object), n_s),
        "value": v,
        "level": label_cols.reshape(-1),
        "flags": F,
    })
    for name, bit in NODE_FLAGS.items():
        table[name] = (F & bit) != 0
    r = Rollup(out, table)
    r._ctx = {"catalogue": cat, "matrix": matrix,
              "student_index": {s: i for i, s in enumerate(prep.students)}}
    return r
