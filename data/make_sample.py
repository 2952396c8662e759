#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the sample data under data/ (deterministic; standard library only).

data/school/  a synthetic grade-3 school: 3 classes x 20 students, evidence on
              a catalogue modelled on LAUSD BUL-2332.7's grade 3 progress
              report (ELA domains, Math domains + Mathematical Practices, ELA
              and Math composites; standard codes only), as
                evidence.csv        long CSV (the input of `mlg compute`)
                catalogue.csv       id,parent,label,rule,weight,na_allowed
                catalogue.json      the same catalogue as a CASE 1.1 CFPackage
                oneroster/          the same evidence as a OneRoster 1.2 CSV
                                    gradebook (results, lineItems, objectives)
                attendance.csv      days enrolled (for `mlg check`)
data/zoey/    Zoey's class (BUL-2332.7 Attachment A): her Operations and
              Algebraic Thinking targets LT1 = 1,2,3,3; LT2 -> 2; LT3 -> 3;
              LT4 -> 3, and a few classmates.

All student ids are synthetic.  Run: /usr/bin/python3 data/make_sample.py
"""
import csv
import datetime
import json
import os
import random
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
DOMAIN_RULE = "capped_median gap=1"   # BUL-2332.7 Att. A reading (docs/rollups.md)
COMPOSITE_RULE = "mean"                          # sec. II.B "simple averages"

# (id, parent, label, rule, na_allowed) -- BUL-2332.7 sec. II.A: N/A is not an
# option for ELA (domains and composite) nor the Math composite; Math domains
# and Mathematical Practices may be N/A.
NODES = [
    ("ELA", "", "English Language Arts", COMPOSITE_RULE, 0),
    ("ELA.RF", "ELA", "Foundational Reading Skills", DOMAIN_RULE, 0),
    ("RF.3.3", "ELA.RF", "RF learning target 1", "", 1),
    ("RF.3.4", "ELA.RF", "RF learning target 2", "", 1),
    ("ELA.MM", "ELA", "Making Meaning from Text", DOMAIN_RULE, 0),
    ("RL.3.1", "ELA.MM", "MM learning target 1", "", 1),
    ("RL.3.2", "ELA.MM", "MM learning target 2", "", 1),
    ("RI.3.1", "ELA.MM", "MM learning target 3", "", 1),
    ("ELA.LV", "ELA", "Language Conventions/Effective Use of Vocabulary", DOMAIN_RULE, 0),
    ("L.3.1", "ELA.LV", "LV learning target 1", "", 1),
    ("L.3.4", "ELA.LV", "LV learning target 2", "", 1),
    ("ELA.WR", "ELA", "Effective Expression Through Writing", DOMAIN_RULE, 0),
    ("W.3.1", "ELA.WR", "WR learning target 1", "", 1),
    ("W.3.2", "ELA.WR", "WR learning target 2", "", 1),
    ("ELA.SL", "ELA", "Effective Expression Through Speaking and Listening", DOMAIN_RULE, 0),
    ("SL.3.1", "ELA.SL", "SL learning target 1", "", 1),
    ("MATH", "", "Mathematics", COMPOSITE_RULE, 0),
    ("3.OA", "MATH", "Operations and Algebraic Thinking", DOMAIN_RULE, 1),
    ("3.OA.A.1", "3.OA", "OA learning target 1", "", 1),
    ("3.OA.A.3", "3.OA", "OA learning target 2", "", 1),
    ("3.OA.B.5", "3.OA", "OA learning target 3", "", 1),
    ("3.OA.D.8", "3.OA", "OA learning target 4", "", 1),
    ("3.NBT", "MATH", "Number and Operations in Base Ten", DOMAIN_RULE, 1),
    ("3.NBT.A.1", "3.NBT", "NBT learning target 1", "", 1),
    ("3.NBT.A.2", "3.NBT", "NBT learning target 2", "", 1),
    ("3.NF", "MATH", "Number and Operations - Fractions", DOMAIN_RULE, 1),
    ("3.NF.A.1", "3.NF", "NF learning target 1", "", 1),
    ("3.NF.A.3", "3.NF", "NF learning target 2", "", 1),
    ("3.MD", "MATH", "Measurement and Data", DOMAIN_RULE, 1),
    ("3.MD.A.1", "3.MD", "MD learning target 1", "", 1),
    ("3.MD.C.7", "3.MD", "MD learning target 2", "", 1),
    ("3.G", "MATH", "Geometry", DOMAIN_RULE, 1),
    ("3.G.A.1", "3.G", "G learning target 1", "", 1),
    ("MATH.MP", "MATH", "Mathematical Practices", DOMAIN_RULE, 1),
    ("MP.1", "MATH.MP", "MP learning target 1", "", 1),
    ("MP.3", "MATH.MP", "MP learning target 2", "", 1),
]
# Reporting period 1 (synthetic dates): start, midpoint, end.
START = datetime.date(2024, 8, 14)
MID = datetime.date(2024, 9, 16)
END = datetime.date(2024, 10, 18)
# Not yet taught in period 1 at some schools: fractions and geometry get
# evidence for class C only, so classes A and B show N/A (allowed, II.A).
LATE = {"3.NF", "3.G"}


def targets():
    parents = {n[1] for n in NODES}
    return [n for n in NODES if n[0] not in parents]


def write_catalogue_csv(path, nodes):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "parent", "label", "rule", "weight", "na_allowed"])
        for nid, parent, label, rule, na in nodes:
            w.writerow([nid, parent, label, rule, 1, na])


def write_case(path, nodes):
    ns = uuid.UUID("6f1f6f0e-0000-4000-8000-000000000003")
    doc_id = str(uuid.uuid5(ns, "document"))
    ident = {n[0]: str(uuid.uuid5(ns, n[0])) for n in nodes}
    parents = {n[1] for n in nodes}
    items, assocs = [], []
    for nid, parent, label, rule, na in nodes:
        kind = "Learning Target" if nid not in parents else (
            "Domain" if parent else "Subject")
        it = {"identifier": ident[nid], "uri": "urn:mlg:sample:" + nid,
              "humanCodingScheme": nid, "fullStatement": label,
              "CFItemType": kind, "lastChangeDateTime": "2024-08-01T00:00:00+00:00",
              "mlgNaAllowed": bool(na)}
        if rule:
            it["mlgRule"] = rule
        items.append(it)
        dest = ident[parent] if parent else doc_id
        dest_title = parent if parent else "Grade 3 progress report (sample)"
        assocs.append({
            "identifier": str(uuid.uuid5(ns, "assoc:" + nid)),
            "uri": "urn:mlg:sample:assoc:" + nid,
            "associationType": "isChildOf",
            "originNodeURI": {"title": nid, "identifier": ident[nid],
                              "uri": "urn:mlg:sample:" + nid},
            "destinationNodeURI": {"title": dest_title, "identifier": dest,
                                   "uri": "urn:mlg:sample:" + (parent or "document")},
            "lastChangeDateTime": "2024-08-01T00:00:00+00:00"})
    pkg = {"CFDocument": {"identifier": doc_id, "uri": "urn:mlg:sample:document",
                          "creator": "libmlg sample data",
                          "title": "Grade 3 progress report (sample, codes only)",
                          "lastChangeDateTime": "2024-08-01T00:00:00+00:00"},
           "CFItems": items, "CFAssociations": assocs}
    with open(path, "w") as f:
        json.dump(pkg, f, indent=1)
        f.write("\n")


def school_evidence(rng):
    rows = []
    span = (END - START).days
    for cls in "ABC":
        for k in range(1, 21):
            sid = "S3%s%02d" % (cls, k)
            ability = rng.gauss(0.0, 0.7)
            for nid, parent, _, _, _ in targets():
                if parent in LATE and cls != "C":
                    continue
                if parent == "MATH.MP" and rng.random() < 0.3:
                    continue  # Math Practices not yet assessed (N/A allowed)
                n = rng.randint(2, 5)
                days = sorted(rng.sample(range(0, span + 1), n))
                for j, d in enumerate(days):
                    growth = 1.2 * (d / span)
                    s = round(1.6 + ability + growth + rng.gauss(0, 0.5))
                    s = max(1, min(4, s))
                    status = "excused" if rng.random() < 0.02 else "counted"
                    rows.append([sid, nid, (START + datetime.timedelta(days=d)).isoformat(),
                                 s if status == "counted" else "", status])
    return rows


def write_evidence(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["student_id", "target_id", "assessed_at", "score", "status"])
        w.writerows(rows)


def write_oneroster(dirpath, rows):
    """One line item per (target, date) assessment; results per evidence row."""
    os.makedirs(dirpath, exist_ok=True)
    items = {}
    for sid, tid, date, score, status in rows:
        key = (tid, date)
        if key not in items:
            items[key] = "LI-%04d" % (len(items) + 1)
    ts = "2024-10-18T00:00:00Z"
    with open(os.path.join(dirpath, "lineItems.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["sourcedId", "status", "dateLastModified", "title", "description",
                    "assignDate", "dueDate", "classSourcedId", "categorySourcedId",
                    "gradingPeriodSourcedId", "resultValueMin", "resultValueMax"])
        for (tid, date), li in sorted(items.items(), key=lambda kv: kv[1]):
            w.writerow([li, "active", ts, "%s check %s" % (tid, date), "", date, date,
                        "CLASS-3", "CAT-1", "RP1-2024", 1, 4])
    with open(os.path.join(dirpath, "lineItemLearningObjectiveIds.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["lineItemSourcedId", "source", "learningObjectiveId"])
        for (tid, date), li in sorted(items.items(), key=lambda kv: kv[1]):
            w.writerow([li, "case", tid])
    with open(os.path.join(dirpath, "results.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["sourcedId", "status", "dateLastModified", "lineItemSourcedId",
                    "studentSourcedId", "scoreStatus", "score", "textScore", "scoreDate",
                    "comment"])
        # ordered by line item (as gradebooks export), not by student
        order = sorted(range(len(rows)), key=lambda i: items[(rows[i][1], rows[i][2])])
        for n, i in enumerate(order):
            sid, tid, date, score, status = rows[i]
            w.writerow(["R-%05d" % (n + 1), "active", ts, items[(tid, date)], sid,
                        "exempt" if status == "excused" else "fully graded", score, "",
                        date, ""])


def main():
    rng = random.Random(20180803)  # BUL-2332.7's date
    school = os.path.join(HERE, "school")
    os.makedirs(school, exist_ok=True)
    write_catalogue_csv(os.path.join(school, "catalogue.csv"), NODES)
    write_case(os.path.join(school, "catalogue.json"), NODES)
    rows = school_evidence(rng)
    write_evidence(os.path.join(school, "evidence.csv"), rows)
    write_oneroster(os.path.join(school, "oneroster"), rows)
    with open(os.path.join(school, "attendance.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["student_id", "days_enrolled", "override"])
        for cls in "ABC":
            for k in range(1, 21):
                sid = "S3%s%02d" % (cls, k)
                days = 12 if sid in ("S3A07", "S3C15") else 46
                w.writerow([sid, days, 1 if sid == "S3C15" else 0])

    # Zoey's class: Operations and Algebraic Thinking only (Att. A).
    zoey = os.path.join(HERE, "zoey")
    os.makedirs(zoey, exist_ok=True)
    oa = [n for n in NODES if n[0] == "3.OA" or n[1] == "3.OA"]
    oa = [("3.OA", "", n[2], n[3], n[4]) if n[0] == "3.OA" else n for n in oa]
    write_catalogue_csv(os.path.join(zoey, "catalogue.csv"), oa)
    lt = ["3.OA.A.1", "3.OA.A.3", "3.OA.B.5", "3.OA.D.8"]
    dates = ["2024-08-28", "2024-09-11", "2024-09-25", "2024-10-09"]
    zrows = []
    # BUL-2332.7 Att. A: LT1 evidence 1, 2, 3, 3 (current level 3, mean 2.25);
    # current levels LT2 2, LT3 3, LT4 3; domain grade 3.
    for d, s in zip(dates, [1, 2, 3, 3]):
        zrows.append(["ZOEY", lt[0], d, s])
    for d, s in zip(dates[1:3], [2, 2]):
        zrows.append(["ZOEY", lt[1], d, s])
    for d, s in zip(dates[1:], [2, 3, 3]):
        zrows.append(["ZOEY", lt[2], d, s])
    for d, s in zip(dates[2:], [3, 3]):
        zrows.append(["ZOEY", lt[3], d, s])
    zrng = random.Random(2332)
    for k in range(1, 6):
        sid = "C3Z%02d" % k
        for t in lt:
            for d in dates[: zrng.randint(2, 4)]:
                zrows.append([sid, t, d, zrng.randint(1, 4)])
    zrows.sort(key=lambda r: (r[0] != "ZOEY", r[0]))  # stable: Zoey first
    with open(os.path.join(zoey, "evidence.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["student_id", "target_id", "assessed_at", "score"])
        w.writerows(zrows)


if __name__ == "__main__":
    main()
