# SPDX-License-Identifier: GPL-3.0-or-later
# Install rules for libmlg, included by the top-level CMakeLists.txt when
# MLG_INSTALL is ON.  Three install components, one per Debian package:
#   runtime  libmlg.so.<SOVERSION>                          -> libmlg<SOVERSION>
#   dev      headers, libmlg.so link, libmlg.a, libmlg.pc,
#            the CMake package (find_package(mlg CONFIG))   -> libmlg-dev
#   cli      bin/mlg and its man pages (cli/CMakeLists.txt) -> mlg
include(CMakePackageConfigHelpers)

# The first release of each SONAME, as "<SOVERSION>:<version>".  The CMake
# version file accepts a request for any version from that release up to the
# installed one: exactly the programs the shared library can run.  Append an
# entry whenever MLG_SOVERSION in include/mlg.h is bumped; configuring fails
# until there is one.
set(MLG_SOVERSION_HISTORY "0:0.1.0")
include("${CMAKE_CURRENT_LIST_DIR}/mlgAbi.cmake")
mlg_abi_since(MLG_ABI_SINCE "${MLG_SOVERSION}" "${PROJECT_VERSION}"
              "${MLG_SOVERSION_HISTORY}")
if(NOT MLG_ABI_SINCE)
  message(FATAL_ERROR "${MLG_ABI_SINCE_ERROR}")
endif()

set(MLG_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/mlg")

install(TARGETS mlg EXPORT mlgTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
          COMPONENT runtime NAMELINK_COMPONENT dev)
install(TARGETS mlg_static EXPORT mlgTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/"
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev
        FILES_MATCHING PATTERN "*.h")

# CMake package: mlg::mlg (shared) and mlg::mlg_static.
install(EXPORT mlgTargets NAMESPACE mlg:: DESTINATION ${MLG_CMAKE_DIR}
        COMPONENT dev)
configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/mlgConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/mlgConfig.cmake"
  INSTALL_DESTINATION ${MLG_CMAKE_DIR})
configure_file("${PROJECT_SOURCE_DIR}/cmake/mlgConfigVersion.cmake.in"
               "${PROJECT_BINARY_DIR}/mlgConfigVersion.cmake" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/mlgConfig.cmake"
              "${PROJECT_BINARY_DIR}/mlgConfigVersion.cmake"
        DESTINATION ${MLG_CMAKE_DIR} COMPONENT dev)

# libmlg.pc.  `cmake --install --prefix P` may install somewhere other than
# the configured CMAKE_INSTALL_PREFIX, so the file is written at install
# time, from the prefix actually used.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(_mlg_pc_libdir "${CMAKE_INSTALL_LIBDIR}")
else()
  set(_mlg_pc_libdir "\${exec_prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(_mlg_pc_includedir "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(_mlg_pc_includedir "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
install(CODE "
  set(MLG_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  set(MLG_PC_LIBDIR [[${_mlg_pc_libdir}]])
  set(MLG_PC_INCLUDEDIR [[${_mlg_pc_includedir}]])
  set(PROJECT_VERSION \"${PROJECT_VERSION}\")
  configure_file(\"${PROJECT_SOURCE_DIR}/cmake/libmlg.pc.in\"
                 \"${PROJECT_BINARY_DIR}/libmlg.pc\" @ONLY)
  " COMPONENT dev)
install(FILES "${PROJECT_BINARY_DIR}/libmlg.pc"
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)

install(FILES "${PROJECT_SOURCE_DIR}/LICENSE"
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)
