# SPDX-License-Identifier: GPL-3.0-or-later
# cmake -P tests/abi_since.cmake: the MLG_SOVERSION_HISTORY lookup behind the
# CMake version file (cmake/mlgAbi.cmake, docs/install.md "ABI policy").
cmake_minimum_required(VERSION 3.18)
include("${CMAKE_CURRENT_LIST_DIR}/../cmake/mlgAbi.cmake")
set(_fails 0)
# name|SOVERSION|version|history (comma-separated)|expected first release
# (empty = refused)
set(_cases
  "today|0|0.1.0|0:0.1.0|0.1.0"
  "later release, same SONAME|0|0.4.2|0:0.1.0|0.1.0"
  "bumped SONAME listed|1|0.5.0|0:0.1.0,1:0.5.0|0.5.0"
  "bumped SONAME, older entry kept|0|0.4.0|0:0.1.0,1:0.5.0|0.1.0"
  "bumped SONAME not listed|1|0.5.0|0:0.1.0|"
  "entry after this release|1|0.4.0|0:0.1.0,1:0.5.0|"
  "malformed entry|0|0.1.0|0-0.1.0|")
foreach(_c IN LISTS _cases)
  string(REPLACE "|" ";" _f "${_c}")
  list(GET _f 0 _name)
  list(GET _f 1 _so)
  list(GET _f 2 _ver)
  list(GET _f 3 _hist)
  string(REPLACE "," ";" _hist "${_hist}")
  list(LENGTH _f _n)
  set(_want "")
  if(_n GREATER 4)
    list(GET _f 4 _want)
  endif()
  mlg_abi_since(_got "${_so}" "${_ver}" "${_hist}")
  if(NOT "${_got}" STREQUAL "${_want}")
    message(SEND_ERROR "${_name}: got '${_got}', want '${_want}'")
    math(EXPR _fails "${_fails} + 1")
  elseif(_want STREQUAL "" AND _got_ERROR STREQUAL "")
    message(SEND_ERROR "${_name}: refused without a reason")
    math(EXPR _fails "${_fails} + 1")
  endif()
endforeach()
if(_fails)
  message(FATAL_ERROR "${_fails} abi_since case(s) failed")
endif()
message(STATUS "abi_since: all cases passed")
