#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Three-way equality on data/school: the CLI, the SQL extension and the C API.

Every mark of the sample school (every student's learning targets, domains
and composites) is computed three ways:

  1. the CLI:  build/cli/mlg compute data/school/evidence.csv
               -c data/school/catalogue.csv --format csv --decimals -1
     (--decimals -1 makes the CLI print values with %.17g);
  2. SQL:      mlg_proficiency() per (student, target), ordered by day and
               file line, then mlg_rollup() per student, through psql
               (PostgreSQL prints float8 as the shortest text that reads
               back to the same double);
  3. the C API, called with ctypes on build/libmlg.so:
               mlg_series_compute() per (student, target), then a catalogue
               built with mlg_catalogue_add/link/finalize and
               mlg_rollup_run() per student.

Values must be bitwise identical (compared as IEEE-754 bit patterns), and the
levels, N/A flags and evidence counts equal.

Then the same marks under the shipped district policy are computed two ways
and compared: the CLI with --policy lausd-bul-2332.7, and SQL with
mlg_proficiency_policy() and mlg_rollup_policy().  The CLI prints values
with the policy's 6 decimals, so SQL's values are compared as the same
%.6f text; levels, N/A flags and evidence counts must be equal.  Run it where psql reaches a
server with the extension installed (CI: inside pg_virtualenv).
Exit status 0 when all three agree, 1 otherwise.
"""
import argparse
import csv
import ctypes
import datetime
import io
import math
import os
import struct
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
DATA = os.path.join(ROOT, "data", "school")
PARAMS = {"decimals": "-1"}  # the same settings for all three ways


def bits(x):
    """IEEE-754 bit pattern of a value; None (N/A) stays None."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return struct.pack("<d", x)


def fmt(x):
    return "N/A" if x is None or math.isnan(x) else "%.17g" % x


# ------------------------------------------------------------------ CLI --
def via_cli(build, policy=None):
    cmd = [os.path.join(build, "cli", "mlg"), "compute", os.path.join(DATA, "evidence.csv"),
           "-c", os.path.join(DATA, "catalogue.csv"), "--format", "csv", "--no-progress"]
    if policy:
        cmd += ["--policy", policy]  # the policy's method, rounding and decimals
    else:
        for k, v in PARAMS.items():
            cmd += ["--" + k, v]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    marks = {}
    for r in csv.DictReader(io.StringIO(out)):
        value = float(r["value"]) if r["value"] else None
        level = None if r["level"] == "N/A" else r["level"]
        n = int(r["n"]) if r["kind"] == "target" else None
        marks[(r["student_id"], r["id"])] = (bits(value), value, level, n,
                                            "na" in r["flags"].split("|"))
    return marks, " ".join(cmd)


# ------------------------------------------------------------------ SQL --
SQL = r"""
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS mlg;
CREATE TEMP TABLE catalogue (id text, parent text, label text, rule text, weight float8,
                             na_allowed text);
\copy catalogue FROM '{data}/catalogue.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE evidence (line serial, student_id text, target_id text, assessed_at date,
                            score float8, status text);
\copy evidence (student_id, target_id, assessed_at, score, status) FROM '{data}/evidence.csv' WITH (FORMAT csv, HEADER true)
\pset format unaligned
\pset fieldsep ','
\pset tuples_only on
WITH marks AS (
  SELECT student_id, target_id,
         mlg_proficiency(score, assessed_at, 1, status, 'decaying_average', '{params}'
                         ORDER BY assessed_at, line) AS m
  FROM evidence GROUP BY student_id, target_id),
per_student AS (
  SELECT student_id, array_agg(target_id) AS ids, array_agg((m).value) AS vals
  FROM marks GROUP BY student_id)
SELECT s.student_id, r.id, r.kind, r.value, r.label, (mk.m).n_used, 'na' = ANY (r.flags)
FROM per_student s
CROSS JOIN LATERAL mlg_rollup('catalogue', s.ids, s.vals, 'decaying_average', '{params}') r
LEFT JOIN marks mk ON mk.student_id = s.student_id AND mk.target_id = r.id;
"""


SQL_POLICY = SQL[:SQL.index("WITH marks")] + r"""
WITH marks AS (
  SELECT student_id, target_id,
         mlg_proficiency_policy(score, assessed_at, 1, status, '{policy}'
                                ORDER BY assessed_at, line) AS m
  FROM evidence GROUP BY student_id, target_id),
per_student AS (
  SELECT student_id, array_agg(target_id) AS ids, array_agg((m).value) AS vals
  FROM marks GROUP BY student_id)
SELECT s.student_id, r.id, r.kind, r.value, r.label, (mk.m).n_used, 'na' = ANY (r.flags)
FROM per_student s
CROSS JOIN LATERAL mlg_rollup_policy('catalogue', s.ids, s.vals, '{policy}') r
LEFT JOIN marks mk ON mk.student_id = s.student_id AND mk.target_id = r.id;
"""


def via_sql(policy=None):
    import json
    if policy:
        script = SQL_POLICY.replace("{data}", DATA).replace("{policy}", policy)
    else:
        script = SQL.replace("{data}", DATA).replace("{params}", json.dumps(
            {k: int(v) for k, v in PARAMS.items()}))
    out = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-"], input=script,
                         check=True, capture_output=True, text=True).stdout
    marks = {}
    for line in out.splitlines():
        if not line:
            continue
        student, node, kind, value, label, n_used, na = line.split(",")
        v = float(value) if value else None
        n = int(n_used) if kind == "target" and n_used else None
        if kind == "target" and n is None:
            n = 0  # a target without evidence: the CLI counts 0 rows
        marks[(student, node)] = (bits(v), v, None if label == "N/A" else label, n, na == "t")
    return marks


# ---------------------------------------------------------------- C API --
class Result(ctypes.Structure):
    _fields_ = [("value", ctypes.c_double), ("rounded", ctypes.c_double),
                ("level", ctypes.c_int32), ("n_used", ctypes.c_int32),
                ("n_ignored", ctypes.c_int32), ("reserved", ctypes.c_int32)]


def via_c(build):
    lib = ctypes.CDLL(os.path.join(build, "libmlg.so"))
    P = ctypes.c_void_p
    lib.mlg_strerror.restype = ctypes.c_char_p
    lib.mlg_catalogue_node_id.restype = ctypes.c_char_p
    lib.mlg_catalogue_node_id.argtypes = [P, ctypes.c_size_t]
    lib.mlg_catalogue_node_count.restype = ctypes.c_size_t
    lib.mlg_catalogue_node_count.argtypes = [P]
    lib.mlg_catalogue_target_count.restype = ctypes.c_size_t
    lib.mlg_catalogue_target_count.argtypes = [P]
    lib.mlg_catalogue_free.argtypes = [P]
    lib.mlg_series_compute.argtypes = [ctypes.c_size_t, P, P, P, P, P, P, P, P]
    lib.mlg_catalogue_add.argtypes = [P, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int32, P, P,
                                      ctypes.c_int32, P]
    lib.mlg_catalogue_link.argtypes = [P, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_double, P]
    lib.mlg_catalogue_finalize.argtypes = [P, P]
    lib.mlg_catalogue_find_target.argtypes = [P, ctypes.c_char_p, P]
    lib.mlg_rollup_run.argtypes = [P, ctypes.c_size_t, P, ctypes.c_int32, P, P, P, P]
    lib.mlg_rollup_rule_init.argtypes = [P, ctypes.c_int32]
    lib.mlg_rollup_rule_parse.argtypes = [ctypes.c_char_p, P, P]
    lib.mlg_rollup_rule_set.argtypes = [P, ctypes.c_char_p, ctypes.c_char_p]
    lib.mlg_method_params_init.argtypes = [P, ctypes.c_int32]
    lib.mlg_method_params_set.argtypes = [P, ctypes.c_char_p, ctypes.c_char_p]
    lib.mlg_method_from_name.argtypes = [ctypes.c_char_p, P]

    def ok(rc, what):
        if rc != 0:
            raise RuntimeError("%s: %s" % (what, lib.mlg_strerror(rc).decode()))

    # Method parameters: decaying_average defaults, then PARAMS (as the CLI).
    params = ctypes.create_string_buffer(256)  # >= sizeof(mlg_method_params)
    m = ctypes.c_int32()
    ok(lib.mlg_method_from_name(b"decaying_average", ctypes.byref(m)), "method")
    ok(lib.mlg_method_params_init(params, m), "params")
    for k, v in PARAMS.items():
        ok(lib.mlg_method_params_set(params, k.encode(), v.encode()), "param " + k)

    # Evidence grouped by (student, target) in file order, stably sorted by day.
    groups, order = {}, []
    with open(os.path.join(DATA, "evidence.csv"), newline="") as f:
        for r in csv.DictReader(f):
            key = (r["student_id"], r["target_id"])
            if key not in groups:
                groups[key] = []
                order.append(key)
            y, mo, d = (int(x) for x in r["assessed_at"].split("-"))
            day = (datetime.date(y, mo, d) - datetime.date(1970, 1, 1)).days
            st = {"counted": 0, "": 0, "excused": 1, "missing": 2}[r["status"]]
            groups[key].append((day, float(r["score"]) if r["score"] else math.nan, st))
    target_marks = {}
    for key in order:
        rows = sorted(groups[key], key=lambda t: t[0])  # stable: same day keeps file order
        n = len(rows)
        day = (ctypes.c_int32 * n)(*[t[0] for t in rows])
        score = (ctypes.c_double * n)(*[t[1] for t in rows])
        status = (ctypes.c_uint8 * n)(*[t[2] for t in rows])
        res = Result()
        ok(lib.mlg_series_compute(n, day, score, None, status, None, params, ctypes.byref(res),
                                  None), "series %s" % (key,))
        target_marks[key] = res

    # The catalogue, read the way the CLI and SQL read it: a node nobody names
    # as parent is a target, a root with children a composite, else a domain.
    with open(os.path.join(DATA, "catalogue.csv"), newline="") as f:
        nodes = list(csv.DictReader(f))
    parents = {r["parent"] for r in nodes if r["parent"]}
    cat = P()
    ok(lib.mlg_catalogue_create(ctypes.byref(cat)), "catalogue")
    for r in nodes:
        kind = 0 if r["id"] not in parents else (3 if not r["parent"] else 1)
        rule = ctypes.create_string_buffer(256)  # >= sizeof(mlg_rollup_rule)
        ok(lib.mlg_rollup_rule_init(rule, 0), "rule")
        if r["rule"] and kind != 0:
            ok(lib.mlg_rollup_rule_parse(r["rule"].encode(), rule, None), "rule " + r["rule"])
        if kind == 0:
            for k in ("decimals",):
                if k in PARAMS:
                    ok(lib.mlg_rollup_rule_set(rule, k.encode(), PARAMS[k].encode()), "rule " + k)
        na = 1 if r["na_allowed"] in ("", "1", "yes", "true") else 0
        ok(lib.mlg_catalogue_add(cat, r["id"].encode(), r["label"].encode() or None, kind, None,
                                 rule, na, None), "add " + r["id"])
    for r in nodes:
        if r["parent"]:
            ok(lib.mlg_catalogue_link(cat, r["parent"].encode(), r["id"].encode(),
                                      float(r["weight"] or 1), None), "link " + r["id"])
    ok(lib.mlg_catalogue_finalize(cat, None), "finalize")
    N = lib.mlg_catalogue_node_count(cat)
    T = lib.mlg_catalogue_target_count(cat)
    ids = [lib.mlg_catalogue_node_id(cat, i).decode() for i in range(N)]
    students = []
    for s, _ in order:
        if s not in students:
            students.append(s)
    marks = {}
    for s in students:
        tv = (ctypes.c_double * T)(*([math.nan] * T))
        for (s2, t), res in target_marks.items():
            if s2 != s:
                continue
            ti = ctypes.c_size_t()
            ok(lib.mlg_catalogue_find_target(cat, t.encode(), ctypes.byref(ti)), "target " + t)
            tv[ti.value] = res.value
        nv = (ctypes.c_double * N)()
        nl = (ctypes.c_int32 * N)()
        nf = (ctypes.c_int32 * N)()
        ok(lib.mlg_rollup_run(cat, 1, tv, 1, nv, nl, nf, None), "rollup " + s)
        for i in range(N):
            v = None if math.isnan(nv[i]) else nv[i]
            res = target_marks.get((s, ids[i]))
            n = (res.n_used if res else 0) if ids[i] not in parents else None
            marks[(s, ids[i])] = (bits(v), v, None if nl[i] < 0 else str(nl[i] + 1), n,
                                  bool(nf[i] & 1))
    lib.mlg_catalogue_free(cat)
    return marks


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"),
                    help="CMake build directory with cli/mlg and libmlg.so")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    cli, cmd = via_cli(build)
    sql = via_sql()
    capi = via_c(build)
    print("three-way equality on data/school (%s)" % cmd)
    bad = 0
    keys = sorted(set(cli) | set(sql) | set(capi))
    for k in keys:
        a3 = (cli.get(k), sql.get(k), capi.get(k))
        if any(x is None for x in a3):
            print("MISSING %s/%s: cli %s sql %s c %s" % (k + tuple(x is not None for x in a3)))
            bad += 1
            continue
        # (bits, value, level label, n_used, na) must agree; value compared as bits.
        if len({(x[0], x[2], x[3], x[4]) for x in a3}) != 1:
            print("DIFF %s/%s: cli %s sql %s c %s" % (k[0], k[1], *[
                "%s L%s n%s na%s" % (fmt(x[1] if x[1] is not None else math.nan), x[2], x[3], x[4])
                for x in a3]))
            bad += 1
    n_targets = sum(1 for k in keys if cli[k][3] is not None)
    print("%d marks (%d target marks), %d differences" % (len(keys), n_targets, bad))
    if len(keys) == 0:
        print("no marks compared")
        return 1

    # Under the shipped policy: the CLI and SQL.
    policy = "lausd-bul-2332.7"
    cli, cmd = via_cli(build, policy)
    sql = via_sql(policy)
    print("under policy %s: CLI and SQL (%s)" % (policy, cmd))
    pbad = 0
    pkeys = sorted(set(cli) | set(sql))
    for k in pkeys:
        a2 = (cli.get(k), sql.get(k))
        if any(x is None for x in a2):
            print("MISSING %s/%s: cli %s sql %s" % (k + tuple(x is not None for x in a2)))
            pbad += 1
            continue
        # the CLI printed the value with %.6f (the policy's decimals)
        if len({(None if x[1] is None else "%.6f" % x[1], x[2], x[3], x[4]) for x in a2}) != 1:
            print("DIFF %s/%s: cli %s sql %s" % (k[0], k[1], *[
                "%s L%s n%s na%s" % (fmt(x[1] if x[1] is not None else math.nan), x[2], x[3], x[4])
                for x in a2]))
            pbad += 1
    print("%d marks, %d differences" % (len(pkeys), pbad))
    if len(pkeys) == 0:
        print("no marks compared")
        return 1
    return 1 if bad or pbad else 0


if __name__ == "__main__":
    sys.exit(main())
