# SPDX-License-Identifier: GPL-3.0-or-later
# mlg_abi_since(<out> <soversion> <version> <history>): the first release of
# SONAME <soversion>, looked up in <history>, a list of "<SOVERSION>:<version>"
# entries.  <out> is that release, or empty with <out>_ERROR set to the
# reason when <history> has no entry for <soversion> or the entry is later
# than <version> (the release being configured).
function(mlg_abi_since out soversion version history)
  set(_since "")
  foreach(_e IN LISTS history)
    if(_e MATCHES "^([0-9]+):([0-9]+(\\.[0-9]+)*)$" AND CMAKE_MATCH_1 EQUAL soversion)
      set(_since "${CMAKE_MATCH_2}")
    endif()
  endforeach()
  set(_err "")
  if(_since STREQUAL "")
    set(_err "MLG_SOVERSION ${soversion} has no entry in MLG_SOVERSION_HISTORY "
             "(cmake/mlgInstall.cmake): add \"${soversion}:${version}\"")
  elseif(_since VERSION_GREATER version)
    set(_err "MLG_SOVERSION_HISTORY says SONAME ${soversion} starts at "
             "${_since}, after this version ${version}")
    set(_since "")
  endif()
  string(CONCAT _err ${_err})
  set(${out} "${_since}" PARENT_SCOPE)
  set(${out}_ERROR "${_err}" PARENT_SCOPE)
endfunction()
