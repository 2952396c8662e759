# SPDX-License-Identifier: GPL-3.0-or-later
"""ctypes mirrors and prototypes for include/mlg_policy.h and
include/mlg_rollup.h; _native merges them into PROTOTYPES and STRUCTS."""

from ctypes import (POINTER, Structure, c_char, c_char_p, c_double, c_int,
                    c_int32, c_int64, c_size_t, c_uint8, c_uint32,
                    c_void_p)

_NAME = 64          # MLG_NAME_SIZE
_SUBJECTS = 4       # MLG_SUBJECT_COUNT


# ------------------------------------------------------------ mlg_policy.h --
class Period(Structure):
    """Mirror of ``mlg_period``."""
    _fields_ = [("start", c_int32), ("midpoint", c_int32), ("end", c_int32),
                ("reserved", c_int32)]


class EntryMinimums(Structure):
    """Mirror of ``mlg_entry_minimums``."""
    _fields_ = [("year", c_int32), ("count_missing", c_int32),
                ("req_midpoint", c_int32 * _SUBJECTS),
                ("req_end", c_int32 * _SUBJECTS),
                ("rec_midpoint", c_int32 * _SUBJECTS),
                ("rec_end", c_int32 * _SUBJECTS)]


class EntrySummary(Structure):
    """Mirror of ``mlg_entry_summary``."""
    _fields_ = [("n_slots", c_int64), ("n_short_midpoint", c_int64),
                ("n_short_end", c_int64), ("n_short_any", c_int64),
                ("n_rec_midpoint", c_int64), ("n_rec_end", c_int64)]


class NoticeArea(Structure):
    """Mirror of ``mlg_notice_area``."""
    _fields_ = [("heading", c_char * _NAME), ("label", c_char * (_NAME * 2)),
                ("behavior", c_int32), ("scale", c_int32),
                ("threshold", c_double)]


class SufficiencySummary(Structure):
    """Mirror of ``mlg_sufficiency_summary``."""
    _fields_ = [("n_groups", c_int64), ("n_empty", c_int64),
                ("n_one", c_int64), ("n_few", c_int64),
                ("n_no_span", c_int64)]


class PolicySettings(Structure):
    """Mirror of ``mlg_policy_settings``."""
    _fields_ = [(n, c_int32) for n in (
        "entry_year", "periods_per_year", "n_periods", "tk_na_allowed",
        "level_supersede", "evidence_min", "evidence_span",
        "attendance_min_days", "attendance_override", "entry_recommended",
        "reserved")]


# ------------------------------------------------------------ mlg_rollup.h --
_MAX = 32           # MLG_TABLE_MAX_ENTRIES
_LABEL = 16         # MLG_LABEL_SIZE


class RollupRule(Structure):
    """Mirror of ``mlg_rollup_rule``."""
    _fields_ = [("rule", c_int32), ("source", c_int32), ("gap", c_int32),
                ("tie", c_int32), ("rounding", c_int32), ("decimals", c_int32),
                ("p", c_double), ("level", c_double), ("cut", c_double),
                ("floor", c_double)]


class NodeInfo(Structure):
    """Mirror of ``mlg_node_info``."""
    _fields_ = [("kind", c_int32), ("na_allowed", c_int32),
                ("target", c_int64), ("n_children", c_int64),
                ("n_parents", c_int64), ("depth", c_int64),
                ("rule", RollupRule)]


class RollupStep(Structure):
    """Mirror of ``mlg_rollup_step``."""
    _fields_ = [("node", c_int64), ("rule", c_int32), ("source", c_int32),
                ("value", c_double), ("level", c_int32), ("flags", c_int32),
                ("reason", c_int32), ("refused_level", c_int32),
                ("n_children", c_int64), ("n_used", c_int64),
                ("statistic", c_double), ("message", c_char * 128)]


class RollupChild(Structure):
    """Mirror of ``mlg_rollup_child``."""
    _fields_ = [("node", c_int64), ("weight", c_double), ("value", c_double),
                ("number", c_double), ("level", c_int32), ("flags", c_int32),
                ("used", c_int32), ("blocking", c_int32)]


class PercentTable(Structure):
    """Mirror of ``mlg_percent_table``."""
    _fields_ = [("n", c_int32), ("decimals", c_int32),
                ("value", c_double * _MAX), ("percent", c_double * _MAX)]


class LetterTable(Structure):
    """Mirror of ``mlg_letter_table``."""
    _fields_ = [("n", c_int32), ("decimals", c_int32),
                ("min", c_double * _MAX),
                ("letter", (c_char * _LABEL) * _MAX)]


STRUCTS = {
    "mlg_period": Period,
    "mlg_entry_minimums": EntryMinimums,
    "mlg_entry_summary": EntrySummary,
    "mlg_notice_area": NoticeArea,
    "mlg_rollup_rule": RollupRule,
    "mlg_node_info": NodeInfo,
    "mlg_rollup_step": RollupStep,
    "mlg_rollup_child": RollupChild,
    "mlg_percent_table": PercentTable,
    "mlg_letter_table": LetterTable,
    "mlg_policy_settings": PolicySettings,
    "mlg_sufficiency_summary": SufficiencySummary,
}

_P = POINTER
_i32p, _i64p, _dblp, _u8p = _P(c_int32), _P(c_int64), _P(c_double), _P(c_uint8)
_sizep = _P(c_size_t)



def _prototypes(ErrInfo, Scale):
    errp = _P(ErrInfo)
    from ._native import MethodParams

    class PolicySubject(Structure):
        """Mirror of ``mlg_policy_subject``."""
        _fields_ = [("na_allowed", c_int32), ("reserved", c_int32),
                    ("scale", Scale)]
    STRUCTS["mlg_policy_subject"] = PolicySubject
    return {
        # mlg_policy.h: the declared district policy (opaque: c_void_p)
        "mlg_policy_parse": (c_int, [c_char_p, c_size_t, _P(c_void_p), errp]),
        "mlg_policy_builtin": (c_int, [c_char_p, _P(c_void_p), errp]),
        "mlg_policy_builtin_text": (c_char_p, [c_char_p]),
        "mlg_policy_free": (None, [c_void_p]),
        "mlg_policy_name": (c_char_p, [c_void_p]),
        "mlg_policy_hash": (c_char_p, [c_void_p]),
        "mlg_policy_canonical": (c_char_p, [c_void_p]),
        "mlg_policy_method": (c_int, [c_void_p, _P(MethodParams)]),
        "mlg_policy_rule": (c_int, [c_void_p, c_int32, _P(RollupRule)]),
        "mlg_policy_subject_find": (c_int, [c_void_p, c_char_p,
                                            _P(PolicySubject)]),
        "mlg_policy_subject_code": (c_char_p, [c_void_p, c_size_t]),
        "mlg_policy_subject_method": (c_int, [c_void_p, c_char_p,
                                              _P(MethodParams)]),
        "mlg_policy_subject_guess": (c_int, [c_char_p, c_char_p, c_char_p,
                                             c_char_p, c_char_p, c_char_p,
                                             c_int32, _P(c_char_p)]),
        "mlg_policy_scale": (c_int, [c_void_p, c_char_p, _P(Scale)]),
        "mlg_policy_settings_get": (c_int, [c_void_p, _P(PolicySettings)]),
        "mlg_policy_period": (c_int, [c_void_p, c_size_t, _P(Period),
                                      _P(c_char)]),
        "mlg_policy_entry_minimums": (c_int, [c_void_p, _P(EntryMinimums)]),
        "mlg_policy_notice_threshold": (c_int, [c_void_p, c_char_p, _dblp]),
        "mlg_policy_notice_inputs": (c_int, [c_void_p, c_void_p, c_size_t,
                                             _i32p, c_int32, _dblp, _dblp,
                                             errp]),
        "mlg_evidence_sufficiency": (c_int, [c_size_t, _i64p, _i32p, _u8p,
                                             _P(Period), c_int32, c_int32,
                                             _P(c_uint32),
                                             _P(SufficiencySummary), errp]),
        "mlg_level_supersede": (c_int, [c_size_t, _i64p, _u8p, _u8p, _u8p,
                                        _i64p, errp]),
        "mlg_coverage_check": (c_int, [c_size_t, c_size_t, c_size_t, _i32p,
                                       _i32p, c_size_t, _P(c_uint32), _i32p,
                                       errp]),
        "mlg_period_validate": (c_int, [_P(Period)]),
        "mlg_entry_minimums_preset": (c_int, [c_int32, _P(EntryMinimums)]),
        "mlg_entry_minimums_from_name": (c_int, [c_char_p,
                                                 _P(EntryMinimums)]),
        "mlg_entry_minimums_validate": (c_int, [_P(EntryMinimums)]),
        "mlg_entry_check": (c_int, [c_size_t, _i64p, _i32p, _u8p, _i64p,
                                    c_size_t, _i32p, _P(Period),
                                    _P(EntryMinimums), _i64p, _i64p,
                                    _P(c_uint32), _P(EntrySummary), errp]),
        "mlg_notice_list": (c_int, [c_size_t, c_size_t, _dblp, _dblp,
                                    c_size_t, _i64p, _i64p, _sizep, errp]),
        "mlg_notice_list_new": (c_int, [c_size_t, c_size_t, _dblp, _dblp,
                                        c_size_t, _i64p, _i64p, c_size_t,
                                        _i64p, _i64p, _sizep, errp]),
        "mlg_notice_inputs_from_rollup": (c_int, [c_void_p, c_size_t, _i32p,
                                                  c_int32, _dblp, _dblp,
                                                  errp]),
        "mlg_notice_area_builtin": (c_int, [c_size_t, _P(NoticeArea)]),
        "mlg_notice_area_grade": (c_int, [c_int32, c_size_t,
                                          _P(NoticeArea)]),
        "mlg_notice_format": (c_int, [c_size_t, _i64p, _P(c_char_p),
                                      c_size_t, _P(c_char), c_size_t,
                                      _sizep]),
        "mlg_attendance_check": (c_int, [c_size_t, _i32p, _u8p, c_int32,
                                         _i32p, _sizep, errp]),
        # mlg_rollup.h: rules
        "mlg_rollup_rule_init": (c_int, [_P(RollupRule), c_int32]),
        "mlg_rollup_rule_validate": (c_int, [_P(RollupRule)]),
        "mlg_rollup_rule_from_name": (c_int, [c_char_p, _i32p]),
        "mlg_rollup_rule_name": (c_char_p, [c_int32]),
        "mlg_rollup_rule_set": (c_int, [_P(RollupRule), c_char_p, c_char_p]),
        "mlg_rollup_rule_parse": (c_int, [c_char_p, _P(RollupRule), errp]),
        # catalogue (opaque handle: c_void_p)
        "mlg_catalogue_create": (c_int, [_P(c_void_p)]),
        "mlg_catalogue_free": (None, [c_void_p]),
        "mlg_catalogue_add": (c_int, [c_void_p, c_char_p, c_char_p, c_int32,
                                      _P(Scale), _P(RollupRule), c_int32,
                                      errp]),
        "mlg_catalogue_link": (c_int, [c_void_p, c_char_p, c_char_p,
                                       c_double, errp]),
        "mlg_catalogue_alias": (c_int, [c_void_p, c_char_p, c_char_p, errp]),
        "mlg_catalogue_finalize": (c_int, [c_void_p, errp]),
        "mlg_catalogue_node_count": (c_size_t, [c_void_p]),
        "mlg_catalogue_target_count": (c_size_t, [c_void_p]),
        "mlg_catalogue_node_id": (c_char_p, [c_void_p, c_size_t]),
        "mlg_catalogue_node_label": (c_char_p, [c_void_p, c_size_t]),
        "mlg_catalogue_node_alias": (c_char_p, [c_void_p, c_size_t, c_size_t]),
        "mlg_catalogue_node_info": (c_int, [c_void_p, c_size_t,
                                            _P(NodeInfo)]),
        "mlg_catalogue_node_scale": (c_int, [c_void_p, c_size_t, _P(Scale)]),
        "mlg_catalogue_node_children": (c_int, [c_void_p, c_size_t, c_size_t,
                                                _i64p, _dblp, _sizep]),
        "mlg_catalogue_node_parents": (c_int, [c_void_p, c_size_t, c_size_t,
                                               _i64p, _sizep]),
        "mlg_catalogue_node_targets": (c_int, [c_void_p, c_size_t, c_size_t,
                                               _i64p, _sizep]),
        "mlg_catalogue_find": (c_int, [c_void_p, c_char_p, _sizep]),
        "mlg_catalogue_find_target": (c_int, [c_void_p, c_char_p, _sizep]),
        "mlg_catalogue_target_node": (c_int, [c_void_p, c_size_t, _sizep]),
        "mlg_id_canonical": (c_int, [c_char_p, _P(c_char), c_size_t]),
        "mlg_id_short": (c_int, [c_char_p, _P(c_char), c_size_t]),
        "mlg_node_kind_from_name": (c_int, [c_char_p, _i32p]),
        "mlg_node_kind_name": (c_char_p, [c_int32]),
        "mlg_node_flag_name": (c_char_p, [c_int32]),
        # the bulletin's subject table and grade-3 skeleton
        "mlg_bulletin_subject_na_allowed": (c_int, [c_char_p, _i32p]),
        "mlg_bulletin_subject_code": (c_char_p, [c_size_t]),
        "mlg_catalogue_add_bulletin_grade3": (c_int, [c_void_p,
                                                      _P(RollupRule),
                                                      _P(RollupRule), errp]),
        # running
        "mlg_rollup_run": (c_int, [c_void_p, c_size_t, _dblp, c_int32, _dblp,
                                   _i32p, _i32p, errp]),
        "mlg_rollup_explain": (c_int, [c_void_p, _dblp, c_size_t,
                                       _P(RollupStep), _P(RollupChild),
                                       c_size_t, errp]),
        "mlg_rollup_refuse_name": (c_char_p, [c_int32]),
        # conversion tables
        "mlg_percent_table_init": (c_int, [_P(PercentTable), c_size_t, _dblp,
                                           _dblp]),
        "mlg_percent_table_builtin": (c_int, [c_char_p, _P(PercentTable)]),
        "mlg_percent_table_validate": (c_int, [_P(PercentTable)]),
        "mlg_percent_lookup": (c_int, [_P(PercentTable), c_double, _dblp]),
        "mlg_letter_table_init": (c_int, [_P(LetterTable), c_size_t, _dblp,
                                          _P(c_char_p)]),
        "mlg_letter_table_builtin": (c_int, [c_char_p, _P(LetterTable)]),
        "mlg_letter_table_validate": (c_int, [_P(LetterTable)]),
        "mlg_letter_lookup": (c_int, [_P(LetterTable), c_double, _i32p]),
    }
