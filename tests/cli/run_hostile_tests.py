#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hostile-input and output-safety tests of the `mlg` command (issue 14).

Each case names the finding it pins (docs/security.md lists them).  Inputs are
built in a scratch directory so the tests may overwrite, fill and race them;
expected values are worked by hand in the comments.

    run_hostile_tests.py --mlg build/cli/mlg --source . --work /tmp/w [-k NAME]
"""
import argparse
import csv
import io
import json
import os
import shutil
import subprocess
import sys

ARGS = None
FAILS = []

EVIDENCE_HEADER = "student_id,target_id,assessed_at,score\n"


def run(args, stdin=None, stdout=subprocess.PIPE, cwd=None):
    p = subprocess.run([ARGS.mlg] + args, cwd=cwd or ARGS.work, input=stdin,
                       stdout=stdout, stderr=subprocess.PIPE, timeout=120)
    out = p.stdout if p.stdout is not None else b""
    return p.returncode, out, p.stderr.decode("utf-8", "replace")


def check(name, cond, msg):
    if not cond:
        FAILS.append(name)
        print("FAIL %s: %s" % (name, msg))
    return cond


def case(name):
    """Decorator: run the case unless -k filters it out; report ok once."""
    def wrap(fn):
        def go():
            if ARGS.k and ARGS.k not in name:
                return
            before = len(FAILS)
            setup()  # fresh inputs: a failing case must not break the next
            fn(name)
            if len(FAILS) == before:
                print("ok   %s" % name)
        go.__name__ = fn.__name__
        CASES.append(go)
        return go
    return wrap


CASES = []


def path(*p):
    return os.path.join(ARGS.work, *p)


def write(name, data, mode="w"):
    with open(path(name), mode) as f:
        f.write(data)
    return name


def read(name, mode="r"):
    with open(path(name), mode) as f:
        return f.read()


def leftovers():
    """Temporary output files left in the work directory."""
    return [f for f in os.listdir(ARGS.work) if f.startswith(".") and len(f) > 8]


def setup():
    shutil.rmtree(ARGS.work, ignore_errors=True)
    os.makedirs(ARGS.work)
    src = ARGS.source
    shutil.copy(os.path.join(src, "data/zoey/evidence.csv"), path("zoey.csv"))
    shutil.copy(os.path.join(src, "data/zoey/catalogue.csv"), path("zoey_cat.csv"))
    shutil.copy(os.path.join(src, "data/school/evidence.csv"), path("school.csv"))
    shutil.copy(os.path.join(src, "data/school/catalogue.csv"), path("school_cat.csv"))
    shutil.copytree(os.path.join(src, "data/school/oneroster"), path("or"))


# ------------------------------------------------ finding 3: -o names input --
@case("f3_output_is_input")
def _(name):
    before = read("zoey.csv")
    rc, _, er = run(["compute", "zoey.csv", "-c", "zoey_cat.csv", "-o", "zoey.csv"])
    check(name, rc == 2, "exit %d, want 2 (usage)" % rc)
    check(name, "refusing to write over" in er, er)
    check(name, read("zoey.csv") == before, "the input was changed")


@case("f3_rejects_is_input")
def _(name):
    before = read("zoey.csv")
    rc, _, er = run(["compute", "zoey.csv", "-c", "zoey_cat.csv", "--rejects", "zoey.csv"])
    check(name, rc == 2 and "refusing to write over" in er, "exit %d: %s" % (rc, er))
    check(name, read("zoey.csv") == before, "the input was changed")
    # the same file under another name (./) and the catalogue are inputs too
    rc, _, er = run(["compute", "zoey.csv", "-c", "zoey_cat.csv", "-o", "./zoey_cat.csv"])
    check(name, rc == 2 and "refusing" in er, "catalogue: exit %d: %s" % (rc, er))
    os.link(path("zoey.csv"), path("zoey_hardlink.csv"))
    rc, _, er = run(["compute", "zoey.csv", "-c", "zoey_cat.csv",
                     "--rejects", "zoey_hardlink.csv"])
    check(name, rc == 2 and "refusing" in er, "hard link: exit %d: %s" % (rc, er))
    check(name, read("zoey.csv") == before, "the input was changed")


@case("f3_output_is_rejects")
def _(name):
    rc, _, er = run(["compute", "zoey.csv", "-c", "zoey_cat.csv", "-o", "same.csv",
                     "--rejects", "same.csv"])
    check(name, rc == 2 and "refusing" in er, "exit %d: %s" % (rc, er))
    check(name, not os.path.exists(path("same.csv")), "same.csv was created")


@case("f3_oneroster_into_input_dir")
def _(name):
    before = read("or/results.csv")
    rc, _, er = run(["compute", "or", "-c", "school_cat.csv", "-f", "oneroster", "-o", "or"])
    check(name, rc == 2 and "refusing" in er, "exit %d: %s" % (rc, er))
    rc, _, er = run(["compute", "or", "-c", "school_cat.csv", "-o", "or/results.csv"])
    check(name, rc == 2 and "refusing" in er, "exit %d: %s" % (rc, er))
    check(name, read("or/results.csv") == before, "results.csv was changed")


@case("f3_failed_run_keeps_old_output")
def _(name):
    # A run that stops with an error (input not grouped by student: exit 1)
    # leaves the old output and rejects files exactly as they were.
    write("old.csv", "old output\n")
    write("old_rej.csv", "old rejects\n")
    write("ungrouped.csv", EVIDENCE_HEADER + "A,3.OA.A.1,2024-09-02,3\n"
          "B,3.OA.A.1,2024-09-02,3\nA,3.OA.A.1,2024-09-03,3\n")
    rc, _, er = run(["compute", "ungrouped.csv", "-c", "zoey_cat.csv", "-o", "old.csv",
                     "--rejects", "old_rej.csv"])
    check(name, rc == 1, "exit %d, want 1: %s" % (rc, er))
    check(name, read("old.csv") == "old output\n", "the output was changed")
    check(name, read("old_rej.csv") == "old rejects\n", "the rejects file was changed")
    check(name, not leftovers(), "temporary files left: %s" % leftovers())


@case("f3_failed_oneroster_run_keeps_every_file")
def _(name):
    # A OneRoster output set is five files (results, resultLearningObjectiveIds,
    # lineItems, lineItemLearningObjectiveIds, manifest); a run that stops with
    # an error (input not grouped by student: exit 1) leaves every one as it
    # was, and a run that succeeds replaces all five.
    files = ["results.csv", "resultLearningObjectiveIds.csv", "lineItems.csv",
             "lineItemLearningObjectiveIds.csv", "manifest.csv"]
    os.makedirs(path("set"))
    for f in files:
        write(os.path.join("set", f), "old %s\n" % f)
    write("ungrouped.csv", EVIDENCE_HEADER + "A,3.OA.A.1,2024-09-02,3\n"
          "B,3.OA.A.1,2024-09-02,3\nA,3.OA.A.1,2024-09-03,3\n")
    rc, _, er = run(["compute", "ungrouped.csv", "-c", "zoey_cat.csv", "-f", "oneroster",
                     "-o", "set"])
    check(name, rc == 1, "exit %d, want 1: %s" % (rc, er))
    for f in files:
        check(name, read(os.path.join("set", f)) == "old %s\n" % f, "%s was changed" % f)
    check(name, not [f for f in os.listdir(path("set")) if f.startswith(".")],
          "temporary files left in set/")
    rc, _, er = run(["compute", "zoey.csv", "-c", "zoey_cat.csv", "-f", "oneroster",
                     "-o", "set"])
    check(name, rc == 0, "exit %d: %s" % (rc, er))
    for f in files:
        check(name, not read(os.path.join("set", f)).startswith("old "), "%s not written" % f)
    check(name, "oneroster.version,1.2" in read("set/manifest.csv"), "manifest")


@case("f3_attendance_and_policy_are_inputs")
def _(name):
    # -o or --rejects naming the attendance file or a policy file is refused.
    shutil.copy(os.path.join(ARGS.source, "data/school/attendance.csv"), path("att.csv"))
    shutil.copy(os.path.join(ARGS.source, "data/policy/lausd-bul-2332.7.json"),
                path("pol.json"))
    before_att, before_pol = read("att.csv"), read("pol.json")
    for sub in (["compute", "school.csv", "-c", "school_cat.csv"],
                ["check", "school.csv", "-c", "school_cat.csv", "--start", "2024-08-15",
                 "--mid", "2024-10-15", "--end", "2024-12-15"]):
        for out in (["-o", "att.csv"], ["--rejects", "att.csv"], ["-o", "pol.json"]):
            rc, _, er = run(sub + ["--attendance", "att.csv", "--policy", "pol.json"] + out)
            check(name, rc == 2 and "refusing" in er,
                  "%s %s: exit %d: %s" % (sub[0], " ".join(out), rc, er))
    check(name, read("att.csv") == before_att, "the attendance file was changed")
    check(name, read("pol.json") == before_pol, "the policy file was changed")


@case("f3_success_replaces_and_keeps_mode")
def _(name):
    write("keep.csv", "old\n")
    os.chmod(path("keep.csv"), 0o640)
    rc, _, er = run(["compute", "zoey.csv", "-c", "zoey_cat.csv", "-o", "keep.csv"])
    check(name, rc == 0, "exit %d: %s" % (rc, er))
    text = read("keep.csv")
    check(name, text.startswith("student_id,id,kind,label,value,level,n,flags,policy\n"), text[:80])
    check(name, os.stat(path("keep.csv")).st_mode & 0o777 == 0o640,
          "mode %o" % (os.stat(path("keep.csv")).st_mode & 0o777))
    check(name, not leftovers(), "temporary files left: %s" % leftovers())


@case("f3_symlink_written_through")
def _(name):
    # -o naming a symbolic link replaces the file it points to; the link stays.
    write("target.csv", "old\n")
    os.symlink("target.csv", path("link.csv"))
    rc, _, er = run(["compute", "zoey.csv", "-c", "zoey_cat.csv", "-o", "link.csv"])
    check(name, rc == 0, "exit %d: %s" % (rc, er))
    check(name, os.path.islink(path("link.csv")), "the link was replaced")
    check(name, read("target.csv").startswith("student_id,"), "target not written")
    # and a link to an input is that input
    os.symlink("zoey.csv", path("alias.csv"))
    rc, _, er = run(["compute", "zoey.csv", "-c", "zoey_cat.csv", "-o", "alias.csv"])
    check(name, rc == 2 and "refusing" in er, "alias: exit %d: %s" % (rc, er))


# ------------------------------------------ finding 4: concurrent writers --
@case("f4_concurrent_runs_never_tear")
def _(name):
    # Two runs write the same -o at the same time, eight times over: the
    # file must always be exactly one run's output.  The input is a district
    # of 1000 students (about 2 MB of output, many buffer flushes), or
    # the shipped school when this mlg has no generator.
    rc, _, er = run(["generate", "--preset", "small", "--students", "1000", "-o", "big.csv",
                     "--catalogue-out", "big_cat.csv"])
    args = ["big.csv", "-c", "big_cat.csv"] if rc == 0 else ["school.csv", "-c",
                                                             "school_cat.csv"]
    outs = []
    for m in ("mean", "most_recent"):
        rc, out, er = run(["compute"] + args + ["-m", m, "--threads", "1"])
        check(name, rc == 0, "%s alone: exit %d: %s" % (m, rc, er))
        outs.append(out)
    for i in range(8):
        procs = [subprocess.Popen([ARGS.mlg, "compute"] + args +
                                  ["-m", m, "--threads", "1", "-o", "race.csv"],
                                  cwd=ARGS.work, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
                 for m in ("mean", "most_recent")]
        codes = [p.wait(timeout=120) for p in procs]
        got = read("race.csv", "rb")
        if not check(name, codes == [0, 0] and got in outs,
                     "round %d: exit %s, output of %d bytes is neither run's" %
                     (i, codes, len(got))):
            break
    check(name, not leftovers(), "temporary files left: %s" % leftovers())


# ------------------------------------------------- finding 9: write errors --
@case("f9_rejects_dev_full")
def _(name):
    # 25 rejected rows: more than the 20 shown, so the summary would say
    # where the rest are.
    write("bad25.csv", EVIDENCE_HEADER + "S1,nope,2024-09-02,3\n" * 25)
    rc, _, er = run(["compute", "bad25.csv", "-c", "zoey_cat.csv", "--rejects", "/dev/full",
                     "-o", "f9.csv"])
    check(name, rc == 4, "exit %d, want 4 (I/O): %s" % (rc, er))
    check(name, "/dev/full: write error" in er, er)
    check(name, "all are in the --rejects file" not in er, er)
    check(name, not os.path.exists(path("f9.csv")), "the output was committed")


@case("f9_output_dev_full")
def _(name):
    rc, _, er = run(["compute", "zoey.csv", "-c", "zoey_cat.csv", "-o", "/dev/full"])
    check(name, rc == 4 and "write error" in er, "exit %d: %s" % (rc, er))
    with open("/dev/full", "wb") as full:
        rc, _, er = run(["compute", "zoey.csv", "-c", "zoey_cat.csv"], stdout=full)
    check(name, rc == 4 and "write error" in er, "stdout: exit %d: %s" % (rc, er))


@case("f9_explain_dev_full")
def _(name):
    with open("/dev/full", "wb") as full:
        rc, _, er = run(["explain", "ZOEY", "-i", "zoey.csv", "-c", "zoey_cat.csv"],
                        stdout=full)
    check(name, rc == 4, "exit %d, want 4: %s" % (rc, er))
    check(name, "stdout: write error" in er, er)


@case("f9_check_rejects_dev_full")
def _(name):
    write("one_bad.csv", EVIDENCE_HEADER + "S1,nope,2024-09-02,3\n")
    rc, _, er = run(["check", "one_bad.csv", "-c", "zoey_cat.csv", "--start", "2024-08-15",
                     "--mid", "2024-10-15", "--end", "2024-12-15", "--rejects", "/dev/full"])
    check(name, rc == 4 and "/dev/full: write error" in er, "exit %d: %s" % (rc, er))


# --------------------------------------------- finding 10: invalid UTF-8 --
@case("f10_invalid_utf8_json")
def _(name):
    # Student ids: a lone continuation byte, a truncated 3-byte sequence, an
    # overlong '/' (C0 AF), a surrogate (ED A0 80), and a valid "é" (C3 A9),
    # plus U+2028 which JSON allows but JavaScript does not.
    raw = (EVIDENCE_HEADER.encode() +
           b"\x80bad,T1,2024-09-02,3\n"
           b"cut\xe2\x82,T1,2024-09-02,3\n"
           b"over\xc0\xaf,T1,2024-09-02,3\n"
           b"sur\xed\xa0\x80,T1,2024-09-02,3\n"
           b"caf\xc3\xa9,T1,2024-09-02,3\n"
           b"ls\xe2\x80\xa8,T1,2024-09-02,3\n")
    write("utf8.csv", raw, "wb")
    rc, out, er = run(["compute", "utf8.csv", "-f", "json"])
    check(name, rc == 0, "exit %d: %s" % (rc, er))
    try:
        doc = json.loads(out.decode("utf-8"))  # strict: invalid UTF-8 raises
    except (UnicodeDecodeError, ValueError) as e:
        check(name, False, "JSON does not parse: %s" % e)
        return
    ids = [m["student_id"] for m in doc["marks"]]
    want = ["\ufffdbad", "cut\ufffd\ufffd", "over\ufffd\ufffd", "sur\ufffd\ufffd\ufffd",
            "caf\u00e9", "ls\u2028"]
    check(name, ids == want, "ids %r, want %r" % (ids, want))
    check(name, b"\\u2028" in out, "U+2028 not escaped")
    rc, out, er = run(["compute", "utf8.csv", "-f", "jsonl"])
    try:
        rows = [json.loads(x) for x in out.decode("utf-8").splitlines()]
        check(name, len(rows) == 6, "%d JSONL rows" % len(rows))
    except (UnicodeDecodeError, ValueError) as e:
        check(name, False, "JSONL does not parse: %s" % e)


# ------------------------------------------ finding 5: huge link weights --
@case("f5_huge_link_weights")
def _(name):
    # Domain D = mean of T1 (3) and T2 (2), link weights 1e308 each: the
    # ratios are 1:1, so D = 2.5 -> level 3 (half up), as with weights 1.
    write("huge_cat.csv", "id,parent,label,rule,weight,na_allowed\n"
          "D,,Domain,mean,1,1\nT1,D,,,1e308,1\nT2,D,,,1e308,1\n")
    write("huge_ev.csv", EVIDENCE_HEADER + "S1,T1,2024-09-02,3\nS1,T2,2024-09-02,2\n")
    rc, out, er = run(["compute", "huge_ev.csv", "-c", "huge_cat.csv", "-m", "most_recent"])
    check(name, rc == 0, "exit %d: %s" % (rc, er))
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out.decode()))}
    check(name, rows.get("D", {}).get("value") == "2.5" and rows["D"]["level"] == "3",
          "D: %r" % rows.get("D"))
    rc, out, er = run(["compute", "huge_ev.csv", "-c", "huge_cat.csv", "-m", "most_recent",
                       "-f", "json"])
    try:
        doc = json.loads(out)
        d = [m for m in doc["marks"] if m["id"] == "D"][0]
        check(name, d["value"] == 2.5 and d["level"] == "3", "D: %r" % d)
    except ValueError as e:
        check(name, False, "JSON does not parse: %s" % e)


# ------------------------------------ finding 6: weights never rewritten --
@case("f6_csv_weight_zero_rejected")
def _(name):
    write("w0_cat.csv", "id,parent,label,rule,weight,na_allowed\n"
          "D,,Domain,mean,1,1\nT1,D,,,0,1\nT2,D,,,1,1\n")
    write("w_ev.csv", EVIDENCE_HEADER + "S1,T1,2024-09-02,3\nS1,T2,2024-09-02,2\n")
    rc, out, er = run(["compute", "w_ev.csv", "-c", "w0_cat.csv"])
    check(name, rc == 1, "exit %d, want 1: %s" % (rc, er))
    check(name, "weight" in er and "not positive" in er, er)
    check(name, out == b"", "output written: %r" % out[:200])


@case("f6_case_weight_negative_rejected")
def _(name):
    doc = {"CFDocument": {"identifier": "doc"},
           "CFItems": [{"identifier": "d", "humanCodingScheme": "D", "mlgRule": "mean"},
                       {"identifier": "t1", "humanCodingScheme": "T1", "mlgWeight": -5},
                       {"identifier": "t2", "humanCodingScheme": "T2"}],
           "CFAssociations": [
               {"associationType": "isChildOf", "originNodeURI": {"identifier": o},
                "destinationNodeURI": {"identifier": "d"}} for o in ("t1", "t2")]}
    write("wneg.json", json.dumps(doc))
    write("w_ev.csv", EVIDENCE_HEADER + "S1,T1,2024-09-02,3\nS1,T2,2024-09-02,2\n")
    rc, out, er = run(["compute", "w_ev.csv", "-c", "wneg.json"])
    check(name, rc == 1, "exit %d, want 1: %s" % (rc, er))
    check(name, "-5" in er and "not positive" in er, er)


# ------------------------- finding 13 (output): spreadsheet neutralisation --
@case("f13_neutralise_bom_fullwidth")
def _(name):
    # ids beginning with a byte order mark or a full-width ＝ ＋ － ＠ get the
    # apostrophe like an ASCII '='.
    ids = ["\ufeff=1+1", "\uff1dSUM(A1)", "\uff0b1", "\uff0d1", "\uff20A", "plain"]
    write("neut.csv", EVIDENCE_HEADER +
          "".join("%s,T1,2024-09-02,3\n" % i for i in ids), "w")
    rc, out, er = run(["compute", "neut.csv"])
    check(name, rc == 0, "exit %d: %s" % (rc, er))
    got = [r["student_id"] for r in csv.DictReader(io.StringIO(out.decode("utf-8")))]
    want = ["'" + i for i in ids[:-1]] + ["plain"]
    check(name, got == want, "got %r, want %r" % (got, want))


@case("f13_rejects_file_column_neutralised")
def _(name):
    # The rejects file's `file` column is the input's name, which a user
    # controls: "=cmd.csv" is written as "'=cmd.csv".
    write("=cmd.csv", EVIDENCE_HEADER + "S1,T1,2024-09-02,9\n")
    rc, _, er = run(["compute", "=cmd.csv", "-c", "zoey_cat.csv", "--rejects", "rej13.csv"])
    check(name, rc == 3, "exit %d, want 3: %s" % (rc, er))
    if not check(name, os.path.exists(path("rej13.csv")), "no rejects file"):
        return
    rows = list(csv.reader(io.StringIO(read("rej13.csv"))))
    check(name, rows[0] == ["file", "line", "reason"] and rows[1][0] == "'=cmd.csv"
          and rows[1][1] == "2", "rows %r" % rows)


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--mlg", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("-k", default="")
    ARGS = ap.parse_args()
    ARGS.mlg = os.path.abspath(ARGS.mlg)
    ARGS.source = os.path.abspath(ARGS.source)
    ARGS.work = os.path.abspath(ARGS.work)
    for c in CASES:
        c()
    print("%d failed" % len(set(FAILS)))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
