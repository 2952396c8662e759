# SPDX-License-Identifier: GPL-3.0-or-later
"""Status codes become exceptions (STYLE.md section 11, docs/errors.md)."""
import math
import pickle

import pytest

import mlg
from mlg import errors

# (status, class, built-in it must also be)
MAPPING = [
    (1, errors.NullError, ValueError),
    (2, errors.InvalidError, ValueError),
    (3, errors.NanError, ValueError),
    (4, errors.ScaleError, ValueError),
    (5, errors.OrderError, ValueError),
    (6, errors.EmptyError, ValueError),
    (7, errors.OverflowError_, OverflowError),
    (8, errors.OutOfMemoryError, MemoryError),
    (9, errors.NumericError, ArithmeticError),
    (10, errors.FormatError, ValueError),
    (11, errors.NotFoundError, LookupError),
    (12, errors.PolicyError, ValueError),
    (13, errors.WeightError, ValueError),
    (14, errors.DomainError, ValueError),
    (15, errors.SizeError, mlg.MlgError),
    (16, errors.DuplicateError, ValueError),
    (17, errors.CycleError, ValueError),
    (18, errors.StatusError, ValueError),
]


@pytest.mark.parametrize("status,cls,builtin", MAPPING)
def test_check_raises_the_class_of_each_status(status, cls, builtin):
    with pytest.raises(cls) as e:
        errors.check(status)
    assert isinstance(e.value, mlg.MlgError)
    assert isinstance(e.value, builtin)
    assert e.value.status == status
    assert e.value.name == errors.errname(status)
    assert e.value.name.startswith("MLG_E")
    assert errors.BY_NAME[e.value.name] is cls
    # Without detail the message is the library's mlg_strerror() phrase.
    assert e.value.message == errors.strerror(status)
    assert e.value.group is None and e.value.row is None
    assert e.value.name in str(e.value)


def test_every_status_code_has_a_class():
    """MLG_STATUS_COUNT is 19 in mlg.h: codes 1..18 are all mapped."""
    assert sorted(errors.BY_STATUS) == list(range(1, 19))
    assert errors.errname(19) == "MLG_UNKNOWN"


def test_ok_does_not_raise():
    assert errors.check(0) == 0


def test_unknown_code_is_plain_mlgerror():
    with pytest.raises(mlg.MlgError) as e:
        errors.check(77)
    assert type(e.value) is mlg.MlgError
    assert e.value.name == "MLG_UNKNOWN"
    assert e.value.message == "unknown status code"


def test_not_found_is_also_a_value_error_but_not_a_key_error():
    with pytest.raises(ValueError):
        mlg.proficiency([1, 2], method="no_such_method")
    e = errors.error_for(11)
    assert not isinstance(e, KeyError)


def test_errors_pickle_with_their_detail():
    e = errors.OrderError(5, "day went back", group=3, row=17)
    e.context = "student_id='zoey'"
    f = pickle.loads(pickle.dumps(e))
    assert type(f) is errors.OrderError
    assert (f.status, f.message, f.group, f.row, f.context) == \
        (5, "day went back", 3, 17, "student_id='zoey'")


# Real calls: each error path of the scalar API, with the offending row.
BAD_CALLS = [
    ("score above the CCS scale", dict(scores=[1, 2, 9]), errors.ScaleError,
     2),
    ("NaN score", dict(scores=[1, math.nan]), errors.NanError, 1),
    ("infinite score", dict(scores=[math.inf, 1]), errors.NanError, 0),
    ("day earlier than the one before", dict(scores=[1, 2, 3],
                                             days=[5, 9, 8]),
     errors.OrderError, 2),
    ("negative weight", dict(scores=[1, 2], weights=[1, -0.5]),
     errors.WeightError, 1),
    ("status code 9", dict(scores=[1, 2], status=[0, 9]),
     errors.StatusError, 1),
    ("unknown method", dict(scores=[1], method="avg"), errors.NotFoundError,
     None),
    ("unknown parameter", dict(scores=[1], colour=1),
     errors.NotFoundError, None),
    ("parameter not a number", dict(scores=[1], method="recent_mean",
                                    n="three"),
     errors.FormatError, None),
    ("n below 1", dict(scores=[1], method="recent_mean", n=0),
     errors.InvalidError, None),
    ("weight above 1", dict(scores=[1], weight=1.5), errors.InvalidError,
     None),
    ("NaN weight parameter", dict(scores=[1], weight=math.nan),
     errors.NanError, None),
    ("unknown tie word", dict(scores=[1], method="mode", tie="middle"),
     errors.NotFoundError, None),
    ("unknown scale", dict(scores=[1], scale="ccs7"), errors.NotFoundError,
     None),
    ("unknown preset", dict(scores=[1], preset="gradebook9"),
     errors.NotFoundError, None),
]


@pytest.mark.parametrize("what,kw,cls,row", BAD_CALLS,
                         ids=[b[0] for b in BAD_CALLS])
def test_scalar_error_paths(what, kw, cls, row):
    kw = dict(kw)
    scores = kw.pop("scores")
    with pytest.raises(cls) as e:
        mlg.proficiency(scores, **kw)
    assert e.value.row == row
    assert e.value.message


def test_power_law_of_a_zero_score_is_a_domain_error():
    """mlg.h: every score + log_shift must be > 0 for the power law, else
    MLG_EDOMAIN; a 0..4 scale admits a score of 0."""
    s = mlg.scale([0, 1, 2, 3, 4])
    with pytest.raises(errors.DomainError) as e:
        mlg.proficiency([2, 0, 3], "power_law", scale=s)
    assert e.value.row == 1
    # log_shift 1 makes it valid: ln(score + 1).
    assert mlg.proficiency([2, 0, 3], "power_law", scale=s,
                           log_shift=1) is not None


def test_null_pointer_from_a_raw_call_is_a_null_error():
    from mlg import _native
    with pytest.raises(errors.NullError):
        errors.check(_native.function("mlg_method_params_init")(None, 0))


def test_custom_scale_errors():
    with pytest.raises(errors.InvalidError):
        mlg.scale([3, 2, 1])            # not ascending (mlg_scale_init)
    with pytest.raises(errors.NanError):
        mlg.scale([1, math.inf])
    with pytest.raises(ValueError):
        mlg.scale([1, 2], labels=["a"])  # binding-side length check


def test_preset_and_method_together_is_a_type_error():
    with pytest.raises(TypeError):
        mlg.proficiency([1, 2], method="mean", preset="schoology")


def test_bool_parameter_is_a_type_error():
    with pytest.raises(TypeError):
        mlg.proficiency([1, 2], method="recent_mean", n=True)
