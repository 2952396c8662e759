# SPDX-License-Identifier: GPL-3.0-or-later
"""Parameter keys come from the library (mlg_method_param_count /
mlg_method_param_info, include/mlg.h): the binding keeps no list of its own,
and a bad key or value raises an error naming the key and what is valid."""
import locale

import pytest

import mlg
from mlg import errors


def test_param_info_lists_the_library_keys_with_bounds_and_defaults():
    """mlg.h, mlg_param_info: weight is a number in (0, 1], default 0.65,
    read by weighted_average; n_mastery's n defaults to 5 (Canvas)."""
    info = {d["key"]: d for d in mlg.param_info("weighted_average")}
    assert list(info)[:3] == ["n", "tie", "missing"]
    w = info["weight"]
    assert w["kind"] == "real" and w["used"] is True
    assert (w["min"], w["max"], w["min_open"], w["max_open"]) == \
        (0.0, 1.0, True, False)
    assert w["default"] == "0.65"
    assert info["tie"]["words"] == ("recent", "highest", "lowest")
    assert info["tie"]["used"] is False
    assert {d["key"]: d for d in mlg.param_info("n_mastery")}["n"][
        "default"] == "5"


def test_unknown_key_names_the_key_and_the_valid_keys():
    with pytest.raises(errors.NotFoundError) as e:
        mlg.params("mean", wieght=0.5)
    msg = str(e.value)
    assert "'wieght'" in msg
    assert "weight" in msg and "log_shift" in msg and "arith" in msg


def test_out_of_range_value_names_the_key_and_its_bounds():
    with pytest.raises(errors.InvalidError) as e:
        mlg.params("decaying_average", weight=5)
    msg = str(e.value)
    assert "weight" in msg and "(0.0, 1.0]" in msg
    with pytest.raises(errors.InvalidError) as e:
        mlg.params("recent_mean", n=0)
    assert "n = 0" in str(e.value) and "1..2147483647" in str(e.value)
    with pytest.raises(errors.NotFoundError) as e:
        mlg.params("mode", tie="newest")
    assert "recent, highest, lowest" in str(e.value)


def test_values_parse_the_same_under_a_comma_locale():
    """A float goes to the library as Python's repr ("0.75"), and the
    library reads it in the "C" locale whatever LC_NUMERIC says."""
    old = locale.setlocale(locale.LC_NUMERIC)
    for name in ("de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8"):
        try:
            locale.setlocale(locale.LC_NUMERIC, name)
            break
        except locale.Error:
            continue
    try:
        p = mlg.params("decaying_average", weight=0.75)
        assert p.weight == 0.75
    finally:
        locale.setlocale(locale.LC_NUMERIC, old)
