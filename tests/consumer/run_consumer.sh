#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Build tests/consumer/consumer.c against an installed libmlg and run it:
# through pkg-config (shared, then --static into a fully static program) and
# through find_package(mlg CONFIG) (mlg::mlg and mlg::mlg_static); check the
# CMake version file's SONAME rule; run the installed
# `mlg score decaying_average 1 2 3 3`
# and render the installed man pages.
#   run_consumer.sh PREFIX WORKDIR   libmlg installed under PREFIX
#   run_consumer.sh --system WORKDIR libmlg installed from the .deb packages
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
prefix=$1
work=$2
CC=${CC:-cc}
rm -rf "$work"
mkdir -p "$work"

if [ "$prefix" = "--system" ]; then
  mlg=/usr/bin/mlg
  mandir=/usr/share/man/man1
  cmake_prefix=()
else
  prefix=$(cd "$prefix" && pwd)
  # Wherever GNUInstallDirs put the library (lib, lib64, lib/<triplet>).
  pcdir=$(dirname "$(find "$prefix" -name libmlg.pc -print -quit)")
  export PKG_CONFIG_PATH="$pcdir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
  mlg=$prefix/bin/mlg
  mandir=$prefix/share/man/man1
  cmake_prefix=("-DCMAKE_PREFIX_PATH=$prefix")
fi
fail() { echo "run_consumer: $*" >&2; exit 1; }
command -v man >/dev/null || fail "no man command (Debian: apt-get install man-db)"

echo "-- pkg-config libmlg $(pkg-config --modversion libmlg)"
grep -qx 'License: GPL-3.0-or-later' "$(pkg-config --path libmlg)" ||
  fail "$(pkg-config --path libmlg) does not state License: GPL-3.0-or-later"
libdir=$(pkg-config --variable=libdir libmlg)
# shellcheck disable=SC2046
$CC -Wall -Wextra -Werror -o "$work/consumer_pc" "$here/consumer.c" \
    $(pkg-config --cflags --libs libmlg) -Wl,-rpath,"$libdir" -lm
"$work/consumer_pc"

echo "-- pkg-config --static: a fully static program"
# shellcheck disable=SC2046
$CC -Wall -Wextra -Werror -static -o "$work/consumer_static" "$here/consumer.c" \
    $(pkg-config --static --cflags --libs libmlg)
if readelf -d "$work/consumer_static" | grep NEEDED >/dev/null; then
  fail "consumer_static still needs shared libraries"
fi
"$work/consumer_static"

for kind in OFF ON; do
  echo "-- find_package(mlg 0.1 CONFIG), static=$kind"
  { cmake -S "$here" -B "$work/cmake_$kind" "${cmake_prefix[@]}" \
          -DMLG_WANT_VERSION=0.1 -DMLG_STATIC=$kind &&
    cmake --build "$work/cmake_$kind"; } >"$work/cmake_$kind.log" 2>&1 ||
    { cat "$work/cmake_$kind.log"; fail "find_package build failed"; }
  "$work/cmake_$kind/consumer"
done
if readelf -d "$work/cmake_ON/consumer" | grep 'libmlg\.so' >/dev/null; then
  fail "mlg::mlg_static linked the shared library"
fi

# The version file: a range containing the installed version is accepted.
{ cmake -S "$here" -B "$work/cmake_range" "${cmake_prefix[@]}" \
        -DMLG_WANT_VERSION=0.1...99.0 && cmake --build "$work/cmake_range"; } \
  >"$work/cmake_range.log" 2>&1 ||
  { cat "$work/cmake_range.log"; fail "find_package(mlg 0.1...99.0) failed"; }
# 0.0 predates SONAME 0's first release (0.1.0), 99.0 is newer than anything
# installed, and the range 99.0...100.0 does not contain the installed
# version, so all three must be refused.
for v in 0.0 99.0 99.0...100.0; do
  if cmake -S "$here" -B "$work/cmake_v$v" "${cmake_prefix[@]}" \
           -DMLG_WANT_VERSION=$v >"$work/cmake_v$v.log" 2>&1; then
    fail "find_package(mlg $v) accepted version $(pkg-config --modversion libmlg)"
  fi
  grep -q 'not compatible\|considered but not accepted' "$work/cmake_v$v.log" ||
    fail "find_package(mlg $v) failed for another reason: $(cat "$work/cmake_v$v.log")"
done
echo "-- find_package(mlg 0.1...99.0) accepted; (mlg 0.0), (mlg 99.0), (mlg 99.0...100.0) refused"

echo "-- installed $mlg (RUNPATH: $(readelf -d "$mlg" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p'))"
# The library the installed mlg loads is the one installed beside it.
want=$(cd "$libdir" && pwd -P)/libmlg.so.
got=$(env -u LD_LIBRARY_PATH ldd "$mlg" | awk '$1 ~ /^libmlg\.so/ {print $3}')
case "$(readlink -f "$got")" in
  "$want"*) ;;
  *) fail "$mlg loads libmlg from '$got', not from $libdir" ;;
esac
out=$(env -u LD_LIBRARY_PATH "$mlg" score decaying_average 1 2 3 3)
echo "$out"
# Decaying average (weight 0.65) of 1,2,3,3 is 2.834625, level 3 (consumer.c).
[ "$out" = "$(printf "2.834625\t3")" ] || fail "mlg score decaying_average 1 2 3 3 printed: $out"

echo "-- man pages"
n=0
for page in mlg mlg-score mlg-compute mlg-check mlg-explain mlg-generate; do
  f=$mandir/$page.1
  [ -f "$f" ] || f=$f.gz
  [ -f "$f" ] || fail "no man page $page.1 in $mandir"
  err=$(MANWIDTH=80 man --warnings -l "$f" 2>&1 >/dev/null)
  [ -z "$err" ] || fail "$f: $err"
  n=$((n + 1))
done
echo "-- $n man pages render without warnings"
echo "run_consumer: all checks passed"
