# SPDX-License-Identifier: GPL-3.0-or-later
# Debian packages with CPack, one per install component (cmake/mlgInstall.cmake):
#   libmlg<SOVERSION>  the shared library (runtime)
#   libmlg-dev         headers, libmlg.so, libmlg.a, libmlg.pc, CMake package (dev)
#   mlg                the command-line tool and its man pages (cli)
# Configure with -DCMAKE_INSTALL_PREFIX=/usr so the library lands in the
# multiarch directory (/usr/lib/<triplet>), then run `cpack -G DEB` in the
# build directory.  docs/install.md has the whole recipe.
set(MLG_PACKAGE_CONTACT "libmlg developers" CACHE STRING
    "Maintainer field of the Debian packages")

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_PACKAGE_NAME "libmlg")
set(CPACK_PACKAGE_VENDOR "libmlg")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "mastery-learning proficiency for standards-based grading")
set(CPACK_PACKAGE_CONTACT "${MLG_PACKAGE_CONTACT}")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGE_DIRECTORY "${PROJECT_BINARY_DIR}/packages")

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev)
if(MLG_BUILD_CLI)
  list(APPEND CPACK_COMPONENTS_ALL cli)
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(_mlg_exact "(= ${PROJECT_VERSION}-1)")

# The shared library: its dependencies (libc6, libgsl27, ...) come from
# dpkg-shlibdeps, and it ships a shlibs file so others can depend on it.
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME "libmlg${MLG_SOVERSION}")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION
    "mastery-learning proficiency for standards-based grading (library)
 libmlg computes the current proficiency level of a time-ordered evidence
 series under every method the big gradebooks offer, and rolls learning
 targets up to domains and composites.  This package holds the shared
 library.")

# Development files: the static library and the pkg-config file need GSL's
# and jansson's development files (libmlg.pc says Requires.private: gsl
# jansson).
set(CPACK_DEBIAN_DEV_PACKAGE_NAME "libmlg-dev")
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "libmlg${MLG_SOVERSION} ${_mlg_exact}, libgsl-dev, libjansson-dev")
set(CPACK_COMPONENT_DEV_DESCRIPTION
    "mastery-learning proficiency for standards-based grading (development)
 Headers, the static library, the pkg-config file (libmlg.pc) and the
 CMake package (find_package(mlg CONFIG), target mlg::mlg) of libmlg.")

# The command: libmlg from the package above, the rest (libjansson4,
# libgsl27, libc6) from dpkg-shlibdeps, which is pointed at the staged
# libmlg so it can read its SONAME.
set(CPACK_DEBIAN_CLI_PACKAGE_NAME "mlg")
set(CPACK_DEBIAN_CLI_PACKAGE_SECTION science)
set(CPACK_DEBIAN_CLI_PACKAGE_DEPENDS "libmlg${MLG_SOVERSION} ${_mlg_exact}")
set(CPACK_DEBIAN_CLI_PACKAGE_SHLIBDEPS ON)
# dpkg-shlibdeps runs in the component's staging directory; the runtime
# component is staged beside it (CPack's layout since 3.x).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS
    "../runtime${CPACK_PACKAGING_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}")
set(CPACK_COMPONENT_CLI_DESCRIPTION
    "mastery-learning proficiency for standards-based grading (command)
 The mlg command scores evidence series, computes progress reports from
 gradebook exports, checks the grading policy, explains a mark and
 generates synthetic districts.")

include(CPack)

# Tests of what gets installed (tests/consumer/).  Not in the sanitizer or
# coverage builds: a consumer built outside the tree cannot link an
# instrumented library without the instrumentation's runtime.
if(MLG_BUILD_TESTS AND MLG_BUILD_CLI AND NOT MLG_SANITIZE AND NOT MLG_COVERAGE)
  # `cmake --install` into a scratch prefix; build and run the consumer
  # there through pkg-config (shared and static) and find_package.
  add_test(NAME install_consumer
    COMMAND bash -c "rm -rf \"$0\" && \"$1\" --install \"$2\" --prefix \"$0\" >/dev/null && bash \"$3\" \"$0\" \"$4\""
            "${PROJECT_BINARY_DIR}/install_test/prefix" "${CMAKE_COMMAND}"
            "${PROJECT_BINARY_DIR}"
            "${PROJECT_SOURCE_DIR}/tests/consumer/run_consumer.sh"
            "${PROJECT_BINARY_DIR}/install_test/work")
  set_tests_properties(install_consumer PROPERTIES
    ENVIRONMENT "CC=${CMAKE_C_COMPILER}" TIMEOUT 300)
endif()

# The MLG_SOVERSION_HISTORY lookup behind the CMake version file.
if(MLG_BUILD_TESTS)
  add_test(NAME abi_since
    COMMAND ${CMAKE_COMMAND} -P "${PROJECT_SOURCE_DIR}/tests/abi_since.cmake")
endif()

# Embedding: a project that includes libmlg with add_subdirectory(), built
# with cmocka hidden from pkg-config (a library-only build must not need it).
if(MLG_BUILD_TESTS AND NOT MLG_SANITIZE AND NOT MLG_COVERAGE)
  add_test(NAME embed_consumer
    COMMAND bash "${PROJECT_SOURCE_DIR}/tests/consumer/run_embed.sh"
            "${PROJECT_SOURCE_DIR}" "${PROJECT_BINARY_DIR}/embed_test")
  set_tests_properties(embed_consumer PROPERTIES
    ENVIRONMENT "CC=${CMAKE_C_COMPILER}" TIMEOUT 300)
endif()

# The man pages (docs/man): one per command `mlg --help` lists, each
# rendered by man --warnings without a diagnostic.
if(MLG_BUILD_TESTS AND MLG_BUILD_CLI)
  add_test(NAME man_pages
    COMMAND bash "${PROJECT_SOURCE_DIR}/tests/man_pages.sh"
            "${PROJECT_SOURCE_DIR}/docs/man" $<TARGET_FILE:mlg_cli>)
endif()

# The Debian packages, installed for real: builds them with cpack, runs
# `apt-get install` on them, builds and runs the consumer against them and
# removes them again.  It changes the machine (root only), so it is off
# unless asked for; .ci/test turns it on in a build of its own.
option(MLG_TEST_PACKAGES "Register the test that installs the .deb packages (root)" OFF)
if(MLG_TEST_PACKAGES)
  enable_testing()
  add_test(NAME deb_packages
    COMMAND bash "${PROJECT_SOURCE_DIR}/tests/consumer/deb_test.sh"
            "${PROJECT_BINARY_DIR}" "${PROJECT_BINARY_DIR}/deb_test"
            "libmlg${MLG_SOVERSION}")
  set_tests_properties(deb_packages PROPERTIES
    ENVIRONMENT "CC=${CMAKE_C_COMPILER}" TIMEOUT 600 RUN_SERIAL ON)
endif()
