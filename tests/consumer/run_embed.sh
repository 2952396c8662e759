#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Embed libmlg in tests/consumer/embed with add_subdirectory(), with cmocka
# hidden from pkg-config (a copy of the .pc directories without cmocka.pc),
# build it and run the consumer; then check that nothing got installed and
# that asking for the tests without cmocka fails with a clear message.
#   run_embed.sh LIBMLG_SOURCE_DIR WORKDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$1
work=$2
fail() { echo "run_embed: $*" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work/pc"
IFS=: read -r -a pcdirs <<<"$(pkg-config --variable pc_path pkg-config)"
for d in "${pcdirs[@]}"; do
  [ -d "$d" ] && find "$d" -maxdepth 1 -name '*.pc' ! -name cmocka.pc -exec cp -n {} "$work/pc/" \;
done
export PKG_CONFIG_LIBDIR=$work/pc
unset PKG_CONFIG_PATH
if pkg-config --exists cmocka; then fail "cmocka is still visible"; fi
pkg-config --exists gsl || fail "gsl is not visible in $work/pc"

cmake -S "$here/embed" -B "$work/build" -DMLG_SOURCE_DIR="$src" \
      -DCMAKE_INSTALL_PREFIX="$work/prefix" >"$work/configure.log" 2>&1 ||
  { cat "$work/configure.log"; fail "configure failed"; }
cmake --build "$work/build" -j2 >"$work/build.log" 2>&1 ||
  { cat "$work/build.log"; fail "build failed"; }
"$work/build/consumer"
cmake --install "$work/build" >/dev/null
if [ -e "$work/prefix" ]; then
  fail "embedded libmlg installed files: $(find "$work/prefix" -type f | head -3)"
fi
# Asking for the tests without cmocka stops at configure time, naming the
# package and the option that avoids it.
if cmake -S "$here/embed" -B "$work/build_tests" -DMLG_SOURCE_DIR="$src" \
         -DMLG_BUILD_TESTS=ON >"$work/configure_tests.log" 2>&1; then
  fail "MLG_BUILD_TESTS=ON configured without cmocka"
fi
grep -q 'libcmocka-dev' "$work/configure_tests.log" &&
  grep -q 'MLG_BUILD_TESTS=OFF' "$work/configure_tests.log" ||
  { cat "$work/configure_tests.log"; fail "no clear message about cmocka"; }
echo "run_embed: add_subdirectory build without cmocka passed"
