#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests of `mlg policy` and the policy-driven parts of `mlg check`
(BUL-2332.7; docs/policy.md).  Standard library only; run by ctest:

    run_policy_cli_tests.py --mlg build/cli/mlg --source . --work /tmp/w
"""
import argparse
import json
import os
import re
import subprocess
import sys

ARGS = None
FAILS = []
IN = "tests/cli/inputs/"
# Period 2024-09-01 .. 2024-09-15 .. 2024-09-30 (hand-made inputs).
PERIOD = ["--start", "2024-09-01", "--mid", "2024-09-15", "--end", "2024-09-30"]
CHECK = ["check", IN + "policy_ev.csv", "-c", IN + "policy_cat.csv"] + PERIOD


def run(args):
    p = subprocess.run([ARGS.mlg] + args, cwd=ARGS.source, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def case(name, args, code, has=(), lacks=(), err=()):
    rc, out, er = run(args)
    ok = rc == code
    if not ok:
        FAILS.append(name)
        print("FAIL %s: exit %d, want %d\n%s" % (name, rc, code, er))
    for s in has:
        if s not in out:
            ok = False
            FAILS.append(name)
            print("FAIL %s: stdout lacks %r\n%s" % (name, s, out))
    for s in lacks:
        if s in out:
            ok = False
            FAILS.append(name)
            print("FAIL %s: stdout has %r\n%s" % (name, s, out))
    for s in err:
        if s not in er:
            ok = False
            FAILS.append(name)
            print("FAIL %s: stderr lacks %r\n%s" % (name, s, er))
    if ok:
        print("ok   %s" % name)
    return out


def recorded(args, fmt):
    """The policy every output of `args` records, one set per output:
    compute's CSV column, JSON header, JSON Lines field, report header and
    OneRoster results.csv metadata column; explain's first line; check's
    policy row."""
    import csv
    import io
    if fmt == "oneroster":
        d = os.path.join(ARGS.work, "or_policy")
        import shutil
        shutil.rmtree(d, ignore_errors=True)
        rc, out, er = run(args + ["-f", "oneroster", "-o", d])
        with open(os.path.join(d, "results.csv")) as f:
            return {r["metadata.mlg.policy"] for r in csv.DictReader(f)}
    rc, out, er = run(args + (["-f", fmt] if fmt else []))
    if fmt == "csv":
        return {r["policy"] for r in csv.DictReader(io.StringIO(out))}
    if fmt == "json":
        return {json.loads(out)["policy"]}
    if fmt == "jsonl":
        return {json.loads(line)["policy"] for line in out.splitlines()}
    if fmt == "report":
        return set(re.findall(r"^Progress report: .*, policy (.*)$", out, re.M))
    if args[0] == "explain":
        return set(re.findall(r"^policy (.*)$", out, re.M))
    return {r["area"] + " " + r["detail"] for r in csv.DictReader(io.StringIO(out))
            if r["check"] == "policy"}


def every_output(shown, hashv):
    """Every output records the effective policy (name and hash), or "none"
    when compute or explain run without --policy; a policy file changed by
    one byte (one letter of a "basis" text, which is part of the hash)
    changes the recorded hash in each of them."""
    a = os.path.join(ARGS.work, "policy_a.json")
    b = os.path.join(ARGS.work, "policy_b.json")
    with open(a, "w") as f:
        f.write(shown)
    i = shown.index('"basis": "sec.') + len('"basis": "')
    with open(b, "w") as f:
        f.write(shown[:i] + "S" + shown[i + 1:])
    rc, hb, er = run(["policy", "hash", "--policy", b])
    hb = hb.strip()
    want_a = "lausd-bul-2332.7 sha256:" + hashv
    if not re.match(r"lausd-bul-2332\.7 sha256:[0-9a-f]{64}$", hb) or hb == want_a:
        FAILS.append("policy_one_byte")
        print("FAIL policy_one_byte: %r" % hb)
    zoey = ["data/zoey/evidence.csv", "-c", "data/zoey/catalogue.csv"]
    runs = [("compute_" + f, ["compute"] + zoey, f)
            for f in ("csv", "json", "jsonl", "report", "oneroster")]
    runs += [("explain", ["explain", "ZOEY", "-i", "data/zoey/evidence.csv", "-c",
                          "data/zoey/catalogue.csv"], None),
             ("check", CHECK, None)]
    for name, args, fmt in runs:
        for tag, extra, want in (("none", [], "none"), ("a", ["--policy", a], want_a),
                                 ("b", ["--policy", b], hb)):
            if name == "check" and tag == "none":
                want = want_a  # check always applies a policy: the default
            got = recorded(args + extra, fmt)
            if got != {want}:
                FAILS.append("policy_recorded_" + name)
                print("FAIL policy_recorded_%s (%s): %r, want %r" % (name, tag, got, want))
                break
        else:
            print("ok   policy_recorded_%s" % name)


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--mlg", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    ARGS = ap.parse_args()
    os.makedirs(ARGS.work, exist_ok=True)

    # mlg policy hash / show: the shipped policy, and show's canonical text
    # read back through --policy FILE gives the same hash.
    out = case("policy_hash", ["policy", "hash"], 0, has=["lausd-bul-2332.7 sha256:"])
    m = re.match(r"lausd-bul-2332\.7 sha256:([0-9a-f]{64})\n$", out)
    if not m:
        FAILS.append("policy_hash_format")
        print("FAIL policy_hash_format: %r" % out)
    shown = case("policy_show", ["policy", "show"], 0, has=['"policy": "lausd-bul-2332.7"'])
    doc = json.loads(shown)
    if doc["rules"]["domain"] != "capped_median gap=1" or doc["attendance"]["min_days"] != 15:
        FAILS.append("policy_show_fields")
        print("FAIL policy_show_fields")
    path = os.path.join(ARGS.work, "shown.json")
    with open(path, "w") as f:
        f.write(shown)
    case("policy_reload", ["policy", "hash", "--policy", path], 0,
         has=[m.group(1) if m else "?"])
    # A misspelt key is refused with its name, never defaulted.
    bad = os.path.join(ARGS.work, "bad.json")
    with open(bad, "w") as f:
        f.write(shown.replace('"min_days"', '"min_day"'))
    case("policy_bad_key", ["policy", "show", "--policy", bad], 1, err=['unknown key "min_day"'])
    case("policy_no_file", ["policy", "show", "--policy", "nope.json"], 4, err=["cannot open"])
    case("policy_usage", ["policy"], 2, err=["show or hash"])

    # mlg check records the policy, and finding 13: --policy-year is exact.
    case("check_policy_row", CHECK, 0, has=[",policy,lausd-bul-2332.7,sha256:"])
    case("check_year_junk", CHECK + ["--policy-year", "2018abc"], 2, err=["2018abc"])
    case("check_year_name", CHECK + ["--policy-year", "2019-20"], 0)
    case("check_year_number", CHECK + ["--policy-year", "2020"], 0)
    # Notices per scale (sec. I.I, IX.E): on CCS S1's 2 is at risk.  On the
    # behaviour scale only R (S2's 1) is; S1's S (2) is not.  On TK none.
    case("check_notice_ccs", CHECK, 0, has=["S1,warning_notice,AREA,", "S2,warning_notice,AREA,"])
    case("check_notice_behavior", CHECK + ["--scale", "behavior"], 0,
         has=["S2,warning_notice,AREA,level 1 at the midpoint"],
         lacks=["S1,warning_notice"])
    case("check_notice_tk", CHECK + ["--scale", "tk"], 0, lacks=["warning_notice"])
    # Evidence sufficiency (sec. VII.E): S4 has one assessment on T.1.
    case("check_evidence", CHECK, 0,
         has=["S4,evidence_few,T.1,", "S4,evidence_no_span,T.1,"],
         lacks=["S1,evidence_few", "S1,evidence_no_span"],
         err=["1 target marks from too few assessments"])
    # Attendance (sec. I.F): override "yes" honoured for S1; S2 (10 days,
    # "no") gets AG-14 and no other finding; S3 (20 days, no evidence) is
    # reported; "2" is refused.
    att = CHECK + ["--attendance", IN + "policy_att.csv"]
    case("check_override_yes", att, 0,
         has=["S1,attendance_override,,", "S1,warning_notice,AREA,",
              "S2,insufficient_attendance,,", "S3,no_evidence,,"],
         lacks=["S2,warning_notice", "S2,evidence", "S4,no_evidence"])
    case("check_override_bad", CHECK + ["--attendance", IN + "policy_att_bad.csv"], 1,
         err=["override '2' is not yes/no"])
    # A policy that forbids the override: S1 gets AG-14 too.
    nov = os.path.join(ARGS.work, "no_override.json")
    with open(nov, "w") as f:
        f.write(shown.replace('"override": true', '"override": false'))
    case("check_override_forbidden", att + ["--policy", nov], 0,
         has=["S1,insufficient_attendance,,"], lacks=["S1,attendance_override"])

    # Attachment B as worded (2018-19: ELA 1 by the midpoint, 3 by the end,
    # counting Foundational Reading, Making Meaning and Writing only; every
    # other ELA domain one mark by the end).  E1: 3 RF marks -> ELA met, but
    # ELA.SL has none.  E2: 1 RF + 2 SL marks -> ELA short (1 of 3), SL met.
    ela = ["check", IN + "policy_ela_ev.csv", "-c", IN + "policy_ela_cat.csv"] + PERIOD
    case("check_ela_areas", ela, 0,
         has=['E1,entry_short_end,ELA.SL,"0 marks by the end, 1 required"',
              'E2,entry_short_end,ELA,"1 marks by the end, 3 required"'],
         lacks=["E1,entry_short_end,ELA,", "E2,entry_short_end,ELA.SL"])
    # Sec. VII.F: six marks per subject area recommended: E1 has 3 in ELA.
    case("check_recommended_six", ela, 0,
         has=['E1,entry_recommended,ELA,"3 marks by the end, 6 per subject area recommended'])

    # A catalogue without an na_allowed column takes sec. II.A's table: the
    # Math composite with no graded domain is a violation (never N/A, l.
    # 280-281); the math domain itself may be N/A.
    case("compute_na_table", ["compute", IN + "policy_nona_ev.csv", "-c",
                              IN + "policy_nona_cat.csv"], 0,
         has=["N1,MATH,composite,Mathematics,,N/A,0,na_not_allowed",
              "N1,3.OA,domain,Operations and Algebraic Thinking,,N/A,0,na,none\n"])

    # Letters of the run's scale are scores (sec. VI: TK E/B/D/I); a status
    # "E" is refused on TK, where E is Exploring.  most_recent: T.1 E then B
    # -> B, T.2 I then D -> D.  On CCS the letters are not numbers.
    tk = ["compute", IN + "policy_tk_letters.csv", "-c", IN + "policy_cat.csv", "-m",
          "most_recent"]
    case("compute_tk_letters", tk + ["--scale", "tk"], 3,
         has=["S1,T.1,target,Target 1,2,B,2,", "S1,T.2,target,Target 2,3,D,2,"],
         err=["status 'E' is also a level of the scale tk: write excused"])
    case("compute_letters_ccs", tk, 3, err=["score 'B' is not a number"])
    # TK allows no N/A (sec. II.A): a domain with every target unassessed is
    # a violation on the TK scale even where the catalogue allows N/A.
    case("compute_tk_no_na", ["compute", IN + "policy_nona_ev.csv", "-c",
                              IN + "policy_nona_cat.csv", "--scale", "tk"], 0,
         has=["N1,3.OA,domain,Operations and Algebraic Thinking,,N/A,0,na_not_allowed"])

    # Per-node scales in one run: the catalogue's scale column puts academic
    # targets on 4..1 (empty: --scale, ccs4), behaviours on C/S/R (sec. II.C,
    # R=1 S=2 C=3) and TK mathematics on E/B/D/I (sec. VI, E=1 .. I=4).
    # Each target's evidence is read and computed on its own scale (-m mean,
    # levels by the scale's cuts, half up):
    #   G3 3.OA.A.1: 2, 4 ("C" is not a number on ccs4: rejected) -> 3 "3"
    #   G3 3.OA.A.3: 2, (1 excused: status E on ccs4), 2      -> 2 "2"
    #   G3 3.OA = MATH: mean(3, 2) = 2.5                      -> "3"
    #   G3 BEH.1: C, C, S = 3, 3, 2 -> 2.666667 (>= 2.5)      -> "C"
    #   G3 BEH.2: R, R, S = 1, 1, 2 ("4" outside behavior [1, 3]: rejected)
    #             -> 1.333333 (< 1.5)                          -> "R"
    #   G3 BEH: mean(2.666667, 1.333333) = 2                   -> "S"
    #   T0 TKM.1: E, B, D = 1, 2, 3 -> 2                       -> "B"
    #   T0 TKM.2: I, I, D = 4, 4, 3 -> 3.666667 (status E is Exploring on
    #             tk: rejected)                                -> "I"
    #   T0 TKM: mean(2, 3.666667) = 2.833333                   -> "D"
    #   T0 BEH.1: S -> 2 "S"; BEH.2 N/A (not allowed); BEH 2 "S", partial.
    mixed = ["compute", IN + "mixed_scale_ev.csv", "-c", IN + "mixed_scale_cat.csv", "-m",
             "mean"]
    case("compute_mixed_scales", mixed, 3,
         has=["G3,MATH,composite,Mathematics,2.5,3,4,,none\n",
              "G3,3.OA,domain,Operations and Algebraic Thinking,2.5,3,4,,none\n",
              "G3,3.OA.A.1,target,OA target 1,3,3,2,,none\n",
              "G3,3.OA.A.3,target,OA target 2,2,2,2,,none\n",
              "G3,BEH,composite,Behaviors That Support Learning,2,S,6,,none\n",
              "G3,BEH.1,target,Respects self and others,2.666667,C,3,,none\n",
              "G3,BEH.2,target,Follows rules,1.333333,R,3,,none\n",
              "T0,BEH,composite,Behaviors That Support Learning,2,S,1,partial|",
              "T0,BEH.1,target,Respects self and others,2,S,1,,none\n",
              "T0,TKM,composite,TK Mathematics,2.833333,D,6,,none\n",
              "T0,TKM.1,target,Counts to ten,2,B,3,,none\n",
              "T0,TKM.2,target,Names shapes,3.666667,I,3,,none\n"],
         err=["mixed_scale_ev.csv:4: score 'C' is not a number",
              "mixed_scale_ev.csv:13: score 4 outside the scale behavior [1, 3]",
              "mixed_scale_ev.csv:21: status 'E' is also a level of the scale tk",
              "21 rows read = 18 used + 3 rejected"])
    case("explain_mixed_scales", ["explain", "T0", "TKM.2", "-i", IN + "mixed_scale_ev.csv",
                                  "-c", IN + "mixed_scale_cat.csv", "-m", "mean"], 0,
         has=["target TKM.2 Names shapes: level I, value 3.66667, method mean, 3 used"])

    # Sec. II.A footnotes * and **: a math domain, a practice and an arts
    # discipline each period, and each graded by the final period.  Y1:
    # 3.G in August only, 3.OA, MP.1 and Music this period, never Dance.
    # Y2: 3.OA only.
    year = ["check", IN + "policy_year_ev.csv", "-c", IN + "policy_year_cat.csv"] + PERIOD
    case("check_footnotes", year, 0,
         has=["Y2,math_footnote,MATH.MP,", "Y2,arts_footnote,VAPA,"],
         lacks=["Y1,math_footnote", "Y1,arts_footnote", "Y2,math_footnote,MATH,",
                "year_not_graded"])
    case("check_year", year + ["--year-start", "2024-08-14"], 0,
         has=["Y1,year_not_graded,VAPA.DANCE,", "Y2,year_not_graded,3.G,",
              "Y2,year_not_graded,MP.1,", "Y2,year_not_graded,VAPA.MUSIC,"],
         lacks=["Y1,year_not_graded,3.G", "Y1,year_not_graded,MP.1",
                "Y1,year_not_graded,VAPA.MUSIC", "year_not_graded,3.OA"])
    case("check_year_bad", year + ["--year-start", "2024-09-02"], 2,
         err=["--year-start '2024-09-02'"])

    # A "kind" column: a teacher-entered current level supersedes the
    # evidence before it (Att. A, Att. B footnote).  T.1: levels 1 then 3 ->
    # 3 (decaying_average over both would give 0.35 + 1.95 = 2.3 -> 2).
    # T.2: level 2, mark 4, level 3, mark 3 -> the last two: 0.35*3 +
    # 0.65*3 = 3.
    lev = ["compute", IN + "policy_levels.csv", "-c", IN + "policy_cat.csv"]
    case("compute_levels", lev, 0,
         has=["L1,T.1,target,Target 1,3,3,1,", "L1,T.2,target,Target 2,3,3,2,"])
    case("explain_levels", ["explain", "L1", "T.2", "-i", IN + "policy_levels.csv", "-c",
                            IN + "policy_cat.csv"], 0, has=["2 used, 2 ignored"])
    case("compute_levels_bad", ["compute", IN + "policy_levels_bad.csv", "-c",
                                IN + "policy_cat.csv"], 3, err=["unknown kind 'guess'"])
    # The kind column under another header name (--columns kind=...), and a
    # level row and a mark row of the same day and score are not duplicates.
    renamed = os.path.join(ARGS.work, "levels_type.csv")
    with open(os.path.join(ARGS.source, IN + "policy_levels.csv")) as f:
        text = f.read()
    with open(renamed, "w") as f:
        f.write(text.replace(",kind\n", ",Type\n", 1))
    case("compute_levels_columns", ["compute", renamed, "-c", IN + "policy_cat.csv",
                                    "--columns", "kind=Type"], 0,
         has=["L1,T.1,target,Target 1,3,3,1,", "L1,T.2,target,Target 2,3,3,2,"])
    same_day = os.path.join(ARGS.work, "levels_same_day.csv")
    with open(same_day, "w") as f:
        f.write("student_id,target_id,assessed_at,score,kind\n"
                "L1,T.1,2024-09-02,2,mark\nL1,T.1,2024-09-02,2,level\n")
    case("compute_levels_not_duplicates", ["compute", same_day, "-c", IN + "policy_cat.csv"],
         0, has=["L1,T.1,target,Target 1,2,2,1,"], err=["2 rows read = 2 used"])

    # Sec. I.F in compute: S2 (10 days, no override) gets no marks (every
    # mark N/A, flagged ag14); S1 (10 days, override yes) and S4 (16 days)
    # keep theirs; "2" as an override is refused.
    comp = ["compute", IN + "policy_ev.csv", "-c", IN + "policy_cat.csv"]
    case("compute_ag14", comp + ["--attendance", IN + "policy_att.csv"], 0,
         has=["S2,AREA,composite,Area,,N/A,0,ag14", "S2,T.1,target,Target 1,,N/A,0,ag14",
              "S1,AREA,composite,Area,2,2,4,", "S4,T.1,target,Target 1,3,3,1,"])
    case("compute_ag14_bad", comp + ["--attendance", IN + "policy_att_bad.csv"], 1,
         err=["override '2' is not yes/no"])

    # The Attachment C letter by grade (BUL-2332.7 l. 1000-1020: the K-5
    # letter lists "Operations & Algebraic Thinking", l. 1020; l. 1127-1146:
    # the 6th-grade letter lists "Ratios & Proportional Relationships",
    # l. 1146, and no Operations & Algebraic Thinking).  Every student has
    # two 2s on each target, so each domain and the Math composite is 2 at
    # the midpoint: at risk (sec. IX.E).  G5 (grade 5) gets the K-5 lines,
    # G6 (grade 6) the 6th-grade lines; GN (no grade) keeps the rows of
    # before; --grade 6 gives GN the 6th-grade letter, and G5's column wins.
    grade = ["check", IN + "policy_grade_ev.csv", "-c", IN + "policy_grade_cat.csv"] + PERIOD
    gatt = grade + ["--attendance", IN + "policy_grade_att.csv"]
    k5 = "; Att. C K-5 letter: "
    g6 = "; Att. C grade-6 letter: "
    case("check_grade_letter", gatt, 0,
         has=["G5,warning_notice,MATH.OA,level 2 at the midpoint" + k5 +
              "Mathematics - Operations & Algebraic Thinking\n",
              "G5,warning_notice,MATH.RP,level 2 at the midpoint; not a line of the "
              "Att. C K-5 letter\n",
              "G5,warning_notice,MATH,level 2 at the midpoint" + k5 + "Mathematics\n",
              "G6,warning_notice,MATH.RP,level 2 at the midpoint" + g6 +
              "Mathematics - Ratios & Proportional Relationships\n",
              "G6,warning_notice,MATH.OA,level 2 at the midpoint; not a line of the "
              "Att. C grade-6 letter\n",
              "GN,warning_notice,MATH.OA,level 2 at the midpoint\n"])
    case("check_grade_option", gatt + ["--grade", "6"], 0,
         has=["GN,warning_notice,MATH.RP,level 2 at the midpoint" + g6 +
              "Mathematics - Ratios & Proportional Relationships\n",
              "G5,warning_notice,MATH.OA,level 2 at the midpoint" + k5 +
              "Mathematics - Operations & Algebraic Thinking\n"])
    case("check_grade_none", grade, 0,
         has=["G6,warning_notice,MATH.RP,level 2 at the midpoint\n"], lacks=["Att. C"])
    case("check_grade_bad", grade + ["--grade", "7"], 2, err=["--grade '7'"])
    case("check_grade_column_bad", grade + ["--attendance", IN + "policy_grade_att_bad.csv"],
         1, err=["grade '7' is not K or 0..6"])

    # The catalogue declares the subject (its `subject` column, a policy
    # subject code) and the declared subject picks the Attachment B row; the
    # id/label prefix is the guess only when nothing is declared.  2018-19
    # (BUL-2332.7 Att. B): ALD ("iELD/ALD/MELD", l. 934-937) one mark by the
    # midpoint and three by the end (l. 943-944, 952-954); all other areas
    # one by the end (l. 961-971).  D1 has one mark, dated after the
    # midpoint, in LANG (declared eld: ALD) and in ELDX (declared science:
    # other).  So LANG is short 0 of 1 and 1 of 3, ELDX is met.  Without the
    # column the guess makes LANG "other" (met) and ELDX (prefix ELD) ALD.
    subj = ["check", IN + "policy_subject_ev.csv", "-c"]
    case("check_subject_declared", subj + [IN + "policy_subject_cat.csv"] + PERIOD, 0,
         has=['D1,entry_short_midpoint,LANG,"0 marks by the midpoint, 1 required"',
              'D1,entry_short_end,LANG,"1 marks by the end, 3 required"'],
         lacks=["D1,entry_short_midpoint,ELDX", "D1,entry_short_end,ELDX"])
    case("check_subject_guess", subj + [IN + "policy_subject_none_cat.csv"] + PERIOD, 0,
         has=['D1,entry_short_midpoint,ELDX,"0 marks by the midpoint, 1 required"',
              'D1,entry_short_end,ELDX,"1 marks by the end, 3 required"'],
         lacks=["D1,entry_short_midpoint,LANG", "D1,entry_short_end,LANG"])
    case("check_subject_unknown", subj + [IN + "policy_subject_bad_cat.csv"] + PERIOD, 1,
         err=["subject 'ald' of LANG is not a subject code of policy lausd-bul-2332.7"])

    # --period NAME takes the dates from the policy's periods.dates: RP1 is
    # 2024-09-01 .. 09-15 .. 09-30, the PERIOD above, so the findings match.
    dated = os.path.join(ARGS.work, "dated.json")
    with open(dated, "w") as f:
        f.write(shown.replace('"dates": []', '"dates": [{"end": "2024-09-30", '
                              '"midpoint": "2024-09-15", "name": "RP1", '
                              '"start": "2024-09-01"}]'))
    base = ["check", IN + "policy_ev.csv", "-c", IN + "policy_cat.csv"]
    want = run(CHECK + ["--policy", dated])[1]
    out = case("check_period_name", base + ["--policy", dated, "--period", "RP1"], 0,
               has=["S4,evidence_few,T.1,"])
    if out != want:
        FAILS.append("check_period_same")
        print("FAIL check_period_same: --period RP1 differs from the dates given")
    case("check_period_unknown", base + ["--policy", dated, "--period", "RP9"], 2,
         err=["--period 'RP9'"])
    case("check_period_missing", base, 2, err=["--period"])

    # compute and explain take --policy: its method (consistent_recent n 2)
    # unless -m is given, and its name and hash in the outputs.
    zoey = ["data/zoey/evidence.csv", "-c", "data/zoey/catalogue.csv"]
    hashv = m.group(1) if m else "?"
    out = case("compute_policy_json", ["compute"] + zoey + ["--policy", "lausd-bul-2332.7",
                                                          "-f", "json"], 0,
               has=['{"method":"consistent_recent","policy":"lausd-bul-2332.7 sha256:' + hashv],
               err=["policy lausd-bul-2332.7 sha256:" + hashv])
    if out:
        json.loads(out)
    case("compute_policy_report", ["compute"] + zoey + ["--policy", path, "-f", "report"], 0,
         has=["Progress report: method consistent_recent, scale ccs4, policy lausd-bul-2332.7 "
              "sha256:" + hashv])
    case("compute_policy_method_wins", ["compute"] + zoey + ["--policy", path, "-m", "mean",
                                                            "-f", "json"], 0,
         has=['{"method":"mean","policy":'])
    # Catalogue nodes without a rule take the policy's rule for their kind:
    # domain {4, 1} -> capped_median 2 with review (mean 2.5 -> 3 without).
    norule = ["compute", IN + "policy_norule_ev.csv", "-c", IN + "policy_norule_cat.csv"]
    case("compute_policy_rules", norule + ["--policy", "lausd-bul-2332.7"], 0,
         has=["R1,ELA.RF,domain,Foundational Reading Skills,2,2,2,review"])
    case("compute_no_policy_rules", norule, 0,
         has=["R1,ELA.RF,domain,Foundational Reading Skills,2.5,3,2,,none\n"])
    case("compute_policy_bad", ["compute"] + zoey + ["--policy", bad], 1,
         err=['unknown key "min_day"'])
    # Zoey's target 1, 2, 3, 3 (BUL-2332.7 Att. A) is 3 under the policy's
    # consistent_recent n 2: min(3, 3).
    case("explain_policy", ["explain", "ZOEY", "3.OA.A.1", "-i", "data/zoey/evidence.csv",
                            "-c", "data/zoey/catalogue.csv", "--policy", "lausd-bul-2332.7"], 0,
         has=["policy lausd-bul-2332.7 sha256:" + hashv + "\nstudent ZOEY\n",
              "method consistent_recent"])

    every_output(shown, hashv)

    if FAILS:
        print("%d failed: %s" % (len(FAILS), " ".join(sorted(set(FAILS)))))
        return 1
    print("all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
