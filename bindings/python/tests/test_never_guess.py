# SPDX-License-Identifier: GPL-3.0-or-later
"""Inputs researchers have every day that used to give a silently wrong
mark: each case now raises with a helpful message, or is right."""
import datetime
import warnings

import pytest

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")

import mlg  # noqa: E402
from mlg import errors  # noqa: E402


# ------------------------------------------------------------------ dates --
def _two_dates(dates):
    """One target with score 4 on the first date and 1 on the second."""
    return pd.DataFrame({"student_id": ["s", "s"], "target_id": ["t", "t"],
                         "assessed_at": dates, "score": [4.0, 1.0]})


def test_ambiguous_dates_raise_instead_of_being_guessed():
    """12/09/2024 and 10/11/2024: month first, 9 Dec comes after 11 Oct and
    most_recent is 4; day first, 12 Sep comes before 10 Nov and it is 1.
    Without date_format= there is no right answer to guess."""
    df = _two_dates(["12/09/2024", "10/11/2024"])
    with pytest.raises(ValueError) as e:
        mlg.compute(df, method="most_recent")
    msg = str(e.value)
    assert "'12/09/2024'" in msg and "input row 0" in msg
    assert "date_format=" in msg and "ISO 8601" in msg
    assert mlg.compute(df, method="most_recent",
                       date_format="%m/%d/%Y").value.tolist() == [4.0]
    assert mlg.compute(df, method="most_recent",
                       date_format="%d/%m/%Y").value.tolist() == [1.0]


def test_iso_8601_with_time_and_offset_is_the_written_date():
    # 2024-09-03 is day 19969: 2024-01-01 is day 19723 (54 years of 365
    # days plus 13 leap days since 1970) and 3 September is 246 days later.
    df = _two_dates(["2024-09-03T23:30:00Z", " 2024-09-04 08:00+02:00 "])
    prep = mlg.prepare(df)
    assert prep.days.tolist() == [19969, 19970]
    assert mlg.day_number("2024-09-03T10:00") == 19969
    assert mlg.day_number(datetime.datetime(2024, 9, 3, 23, 59)) == 19969


@pytest.mark.parametrize("bad", ["2024-9-3", "20240903", "Sep 3 2024",
                                 "2024-09-03x", "03.09.2024"])
def test_non_iso_text_needs_a_format(bad):
    with pytest.raises(ValueError, match="not an ISO 8601 date"):
        mlg.compute(_two_dates(["2024-09-02", bad]))
    with pytest.raises(ValueError):
        mlg.day_number(bad)


def test_impossible_dates_and_wrong_formats_are_refused():
    with pytest.raises(ValueError, match="'2024-02-30'.*real calendar date"):
        mlg.compute(_two_dates(["2024-02-28", "2024-02-30"]))
    with pytest.raises(ValueError, match=r"date_format='%d/%m/%Y'"):
        mlg.compute(_two_dates(["01/02/2024", "12/31/2024"]),
                    date_format="%d/%m/%Y")
    df = _two_dates([19969, 19970])
    with pytest.raises(TypeError, match="date_format= applies to text"):
        mlg.compute(df, date_format="%Y-%m-%d")
    with pytest.raises(TypeError, match="holds mixed values"):
        mlg.compute(_two_dates(["2024-09-03", 3.5]))


def test_date_format_reaches_compare_and_explain_group():
    df = _two_dates(["12/09/2024", "10/11/2024"])
    c = mlg.compare(df, methods=["most_recent", "highest"],
                    date_format="%d/%m/%Y")
    assert c.table.value_most_recent.tolist() == [1.0]
    e = mlg.explain_group(df, "s", "t", method="most_recent",
                          date_format="%m/%d/%Y")
    assert [r.score for r in e.rows] == [1.0, 4.0]   # 11 Oct, then 9 Dec
    assert e.labels == [1, 0]


# ------------------------------------------------------------- duplicates --
def _zoey_with_copy():
    """BUL-2332.7 Att. A, Zoey's target: 1, 2, 3, 3 (mean 2.25), with the
    third row exported twice (input rows 2 and 4)."""
    df = pd.DataFrame({
        "student_id": ["zoey"] * 4, "target_id": ["3.OA.1"] * 4,
        "assessed_at": ["2024-09-09", "2024-09-16", "2024-09-23",
                        "2024-09-30"],
        "score": [1.0, 2.0, 3.0, 3.0]})
    return pd.concat([df, df.iloc[[2]]], ignore_index=True)


def test_exact_duplicates_warn_and_count_once_by_default():
    df = _zoey_with_copy()
    with pytest.warns(mlg.DuplicateEvidenceWarning) as w:
        out = mlg.compute(df, method="mean")
    assert out.value.tolist() == [2.25]           # Att. A mean, not 2.4
    assert out.n_evidence.tolist() == [4]
    assert out.attrs["duplicates_dropped"] == 1
    msg = str(w[0].message)
    assert msg.startswith("1 exact duplicate evidence row(s)")
    assert "input row 4 repeats input row 2" in msg
    assert "student_id='zoey'" in msg and "target_id='3.OA.1'" in msg
    assert "assessed_at 2024-09-23" in msg
    assert w[0].filename == __file__       # points at the caller's line


def test_duplicates_keep_counts_every_row_and_error_refuses():
    df = _zoey_with_copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = mlg.compute(df, method="mean", duplicates="keep")
    assert out.value.tolist() == [pytest.approx(2.4)]   # 12 / 5
    assert out.attrs["duplicates_dropped"] == 0
    with pytest.raises(errors.DuplicateError) as e:
        mlg.compute(df, method="mean", duplicates="error")
    assert e.value.name == "MLG_EDUPLICATE"
    assert "input row 4 repeats input row 2" in str(e.value)
    with pytest.raises(ValueError, match="'warn', 'error', 'keep'"):
        mlg.compute(df, duplicates="drop")


def test_only_exact_duplicates_are_dropped():
    """Same day and score but another weight or status, or another score
    on the same day: different evidence, all kept.  A copy that is not
    adjacent (another same-day row between) is still found, and rows that
    were unsorted are reported by their input rows."""
    base = dict(student_id="a", target_id="t", assessed_at="2024-09-03")
    rows = [dict(base, score=2.0, weight=1.0, status="counted"),
            dict(base, score=2.0, weight=2.0, status="counted"),
            dict(base, score=2.0, weight=1.0, status="excused"),
            dict(base, score=3.0, weight=1.0, status="counted")]
    df = pd.DataFrame(rows)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = mlg.compute(df, method="mean")
    # excused row ignored: (2*1 + 2*2 + 3*1) / 4 = 2.25
    assert out.value.tolist() == [2.25]
    assert out.n_evidence.tolist() == [3]
    later = dict(base, assessed_at="2024-09-01", score=4.0, weight=1.0,
                 status="counted")
    df2 = pd.DataFrame(rows + [rows[0], later])   # row 4 repeats row 0
    with pytest.warns(mlg.DuplicateEvidenceWarning,
                      match="input row 4 repeats input row 0"):
        out2 = mlg.compute(df2, method="mean")
    # (4 + 2 + 4 + 3) / 5 = 2.6
    assert out2.value.tolist() == [pytest.approx(2.6)]


def test_duplicates_in_compare_and_explain_group():
    df = _zoey_with_copy()
    with pytest.warns(mlg.DuplicateEvidenceWarning):
        c = mlg.compare(df, methods=["mean", "most_recent"])
    assert c.table.value_mean.tolist() == [2.25]
    assert c.table.n_rows.tolist() == [4]
    with pytest.warns(mlg.DuplicateEvidenceWarning):
        e = mlg.explain_group(df, "zoey", "3.OA.1", method="mean")
    assert e.labels == [0, 1, 2, 3]
    assert e.result.value == 2.25


# ----------------------------------------------------------- status words --
def test_status_vocabulary_is_the_librarys():
    assert mlg.status_words() == {
        "counted": 0, "excused": 1, "missing": 2, "": 0, "graded": 0,
        "fully graded": 0, "exempt": 1, "E": 1, "not submitted": 2, "M": 2}
    assert mlg.STATUS_CODES == mlg.status_words()
    assert [mlg.status_name(c) for c in (0, 1, 2, 3)] == [
        "counted", "excused", "missing", None]


def test_empty_exempt_e_and_m_statuses():
    """docs: an empty status means counted; exempt and E are excused, M is
    missing, as the mlg command reads them.  Zoey 1, 2, 3, 3 with the 1
    excused: mean (2+3+3)/3 = 8/3; with the 1 missing and missing=lowest
    (counted as 1): the plain 2.25."""
    for st in (["", "", "", ""], [" counted", "Counted", "graded", None]):
        assert mlg.proficiency([1, 2, 3, 3], "mean", status=st) == 2.25
    for word in ("exempt", "E", "e", "EXCUSED"):
        assert mlg.proficiency([1, 2, 3, 3], "mean",
                               status=[word, "", "", ""]) == \
            pytest.approx(8 / 3)
    assert mlg.proficiency([1, 2, 3, 3], "mean", status=["M", "", "", ""],
                           missing="lowest") == 2.25
    df = pd.DataFrame({"student_id": ["z"] * 4, "target_id": ["t"] * 4,
                       "assessed_at": [19969, 19970, 19971, 19972],
                       "score": [1.0, 2.0, 3.0, 3.0],
                       "status": ["exempt", "", None, "fully graded"]})
    assert mlg.compute(df, method="mean").value.tolist() == [
        pytest.approx(8 / 3)]
    b = mlg.proficiency_batch([0, 4], [1, 2, 3, 3],
                              status=np.array(["E", "", "", ""]),
                              method="mean")
    assert b.tolist() == [pytest.approx(8 / 3)]


def test_unknown_status_lists_the_vocabulary():
    with pytest.raises(errors.NotFoundError) as e:
        mlg.proficiency([1, 2], "mean", status=["late", ""])
    msg = str(e.value)
    assert "unknown evidence status 'late'" in msg
    for w in ("'counted'", "'excused'", "'missing'", "'exempt'", "'E'",
              "'M'"):
        assert w in msg
    df = pd.DataFrame({"student_id": ["z", "z"], "target_id": ["t", "t"],
                       "assessed_at": [1, 2], "score": [1.0, 2.0],
                       "status": ["", "late"]})
    with pytest.raises(errors.NotFoundError, match="input row 1"):
        mlg.compute(df)


# --------------------------------------------------------- errors that help --
def test_unknown_method_names_it_and_lists_the_librarys():
    with pytest.raises(errors.NotFoundError) as e:
        mlg.proficiency([1, 2, 3], "avg")
    msg = str(e.value)
    assert "unknown method 'avg'" in msg
    assert all(repr(m) in msg for m in mlg.methods())
    assert isinstance(e.value, ValueError) and isinstance(e.value,
                                                          LookupError)
    with pytest.raises(errors.NotFoundError,
                       match="'schoology' is a preset: pass "
                             "preset='schoology'"):
        mlg.proficiency([1, 2, 3], "schoology")


def test_unknown_scale_and_preset_list_the_valid_ones():
    with pytest.raises(errors.NotFoundError) as e:
        mlg.proficiency([1, 2, 3], scale="ccs5")
    msg = str(e.value)
    assert "unknown scale 'ccs5'" in msg and "did you mean 'ccs4'" in msg
    assert all(repr(s) in msg for s in mlg.scales())
    assert mlg.scales() == ["ccs4", "tk", "eld4", "tk_eld", "behavior"]
    with pytest.raises(errors.NotFoundError) as e:
        mlg.proficiency([1, 2, 3], preset="canvas")
    msg = str(e.value)
    assert "unknown preset 'canvas'" in msg
    assert all(repr(p) in msg for p in mlg.presets())
    with pytest.raises(errors.NotFoundError, match="'mean' is a method"):
        mlg.proficiency([1, 2, 3], preset="mean")
    with pytest.raises(errors.NotFoundError,
                       match="unknown method or preset 'avg'"):
        mlg.compare(_two_dates(["2024-09-03", "2024-09-04"]),
                    methods=["mean", "avg"])


def test_reasons_and_flags_are_the_librarys_words():
    # recent_mean's window of 3 is the 3 latest rows that count: the
    # excused fourth row leaves the first three in it.
    e = mlg.explain([1, 2, 3, 3], "recent_mean", status=["", "", "", "E"])
    assert [r.reason for r in e.rows] == ["used", "used", "used", "excused"]
    assert mlg.why_name(6) == "below_mastery" and mlg.why_name(99) == 99
    assert mlg.node_flag_names() == {
        "na": 1, "na_not_allowed": 2, "partial": 4, "gap": 8,
        "below_na_not_allowed": 16, "review": 32}


def test_duplicate_finder_agrees_with_hashing_every_row():
    """The row-against-row finder (short same-day runs) and the hashing one
    (long runs) give the same duplicates and the same earliest copies on
    random groups with NaN scores, several weights and statuses."""
    from mlg import _pandas
    rng = np.random.default_rng(12)
    sizes = rng.integers(1, 30, 400)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    n = int(sizes.sum())
    days = np.concatenate([np.sort(rng.integers(0, 4, s)) for s in sizes])
    scores = rng.integers(1, 4, n).astype(float)
    scores[rng.random(n) < 0.1] = np.nan
    weights = rng.integers(1, 3, n).astype(float)
    status = rng.integers(0, 3, n).astype(np.uint8)
    fast = _pandas._duplicate_rows(starts, days, scores, weights, status)
    same = days[1:] == days[:-1]
    same[starts[1:] - 1] = False
    slow = _pandas._duplicate_rows_hashed(same, starts, days,
                                          [scores, weights, status])
    assert fast is not None and fast[0].shape[0] > 100
    np.testing.assert_array_equal(fast[0], slow[0])
    np.testing.assert_array_equal(fast[1], slow[1])


def test_a_long_same_day_run_is_hashed():
    """70 rows of one student-target on one day (longer than the 64 rows
    compared pairwise): scores 1, 2, 1, 2, ...; two distinct rows, so 68
    duplicates, and the mean of what is kept is (1 + 2) / 2 = 1.5."""
    df = pd.DataFrame({"student_id": ["s"] * 70, "target_id": ["t"] * 70,
                       "assessed_at": ["2024-09-03"] * 70,
                       "score": [1.0, 2.0] * 35})
    with pytest.warns(mlg.DuplicateEvidenceWarning,
                      match="^68 exact.*input row 2 repeats input row 0"):
        out = mlg.compute(df, method="mean")
    assert out.value.tolist() == [1.5]
    assert out.attrs["duplicates_dropped"] == 68
