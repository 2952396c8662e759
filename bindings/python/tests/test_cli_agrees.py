# SPDX-License-Identifier: GPL-3.0-or-later
"""The mlg command and the Python binding read the same status words (the
library's mlg_evidence_status_from_name) and so give the same marks.
Skipped when the command was not built next to the library."""
import csv
import io
import os
import subprocess

import pytest

pd = pytest.importorskip("pandas")

from conftest import subprocess_env  # noqa: E402
import mlg  # noqa: E402

CLI = os.path.join(os.path.dirname(os.path.abspath(mlg.library_path())),
                   "cli", "mlg")

# t1: 1 counted ("" = counted), the rest excused (E, exempt, Excused):
#     mean 1.  t2: M is missing, counted as the scale's lowest (1) under
#     missing=lowest, then 4 and 3 ("counted", "fully graded"):
#     (1 + 4 + 3) / 3 = 2.666667.
EVIDENCE = """student_id,target_id,assessed_at,score,status
z,t1,2024-09-01,1,
z,t1,2024-09-02,2,E
z,t1,2024-09-03,3,exempt
z,t1,2024-09-04,4,Excused
z,t2,2024-09-01,2,M
z,t2,2024-09-02,4,counted
z,t2,2024-09-03,3,fully graded
"""


@pytest.mark.skipif(not os.path.exists(CLI), reason="no mlg command built")
def test_cli_and_python_read_status_words_alike(tmp_path):
    path = tmp_path / "evidence.csv"
    path.write_text(EVIDENCE)
    p = subprocess.run([CLI, "compute", str(path), "-m", "mean",
                        "--missing", "lowest"], env=subprocess_env(),
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    cli = {(r["student_id"], r["id"]): (float(r["value"]), int(r["n"]))
           for r in csv.DictReader(io.StringIO(p.stdout))}
    df = pd.read_csv(path, keep_default_na=False)
    out = mlg.compute(df, method="mean", missing="lowest")
    py = {(s, t): (v, n) for s, t, v, n in zip(
        out.student_id, out.target_id, out.value, out.n_evidence)}
    assert cli == {("z", "t1"): (1.0, 1), ("z", "t2"): (2.666667, 3)}
    assert {k: (round(v, 6), n) for k, (v, n) in py.items()} == cli
