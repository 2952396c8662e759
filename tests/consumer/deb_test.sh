#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Build the Debian packages of a configured and built libmlg tree with cpack,
# install them with apt-get, build and run tests/consumer against them
# (run_consumer.sh --system) and remove them again (apt-get purge), also on
# failure, so the machine is left as it was.
#   deb_test.sh BUILD_DIR WORKDIR LIBPKG     (LIBPKG: libmlg<SOVERSION>)
# Needs root and a build configured with -DCMAKE_INSTALL_PREFIX=/usr.
set -euo pipefail
# grep reads every line (no -q) where a pipe feeds it: under pipefail, grep -q
# stopping early would fail the writer with SIGPIPE at random.
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
work=$2
libpkg=$3
fail() { echo "deb_test: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "needs root (it runs apt-get install)"
for p in "$libpkg" libmlg-dev mlg; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep 'ok installed' >/dev/null; then
    fail "$p is already installed; remove it first (this test removes it after)"
  fi
done

rm -rf "$build/packages" "$work"
mkdir -p "$work"
(cd "$build" && cpack -G DEB) >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; fail "cpack failed"; }
debs=("$build"/packages/*.deb)
[ "${#debs[@]}" -eq 3 ] || fail "expected 3 packages, got: ${debs[*]}"

# Each package holds what its name says and depends on what it needs.
show() { dpkg-deb -f "$build/packages/$1"_*.deb "$2"; }
files() { dpkg-deb -c "$build/packages/$1"_*.deb | awk '{print $6}'; }
for p in "$libpkg" libmlg-dev mlg; do
  echo "-- $p $(show "$p" Version): Depends: $(show "$p" Depends)"
done
files "$libpkg" | grep "/libmlg\.so\.[0-9]*$" >/dev/null || fail "$libpkg has no libmlg.so.N"
files "$libpkg" | grep -E '\.h$|\.a$|bin/mlg$' >/dev/null && fail "$libpkg holds development files or the tool"
for f in include/mlg.h 'libmlg\.a$' 'libmlg\.so$' pkgconfig/libmlg.pc cmake/mlg/mlgConfig.cmake; do
  files libmlg-dev | grep "$f" >/dev/null || fail "libmlg-dev lacks $f"
done
files mlg | grep '/usr/bin/mlg$' >/dev/null || fail "mlg lacks /usr/bin/mlg"
files mlg | grep 'man1/mlg-score\.1\.gz$' >/dev/null || fail "mlg lacks its (gzipped) man pages"
show "$libpkg" Depends | grep libgsl >/dev/null || fail "$libpkg does not depend on GSL"
show libmlg-dev Depends | grep "$libpkg (= " >/dev/null || fail "libmlg-dev does not pin $libpkg"
show mlg Depends | grep "$libpkg (= " >/dev/null || fail "mlg does not pin $libpkg"
show mlg Depends | grep libjansson >/dev/null || fail "mlg does not depend on jansson"

cleanup() {
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=120 "$libpkg" libmlg-dev mlg \
    >"$work/remove.log" 2>&1 || { cat "$work/remove.log"; echo "deb_test: purge failed" >&2; }
}
trap cleanup EXIT
DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=120 --no-install-recommends \
  "${debs[@]}" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log"; fail "apt-get install failed"; }

env -u PKG_CONFIG_PATH bash "$here/run_consumer.sh" --system "$work/consumer"

cleanup
trap - EXIT
for p in "$libpkg" libmlg-dev mlg; do
  if dpkg-query -W "$p" >/dev/null 2>&1; then
    fail "$p is still known to dpkg after apt-get purge"
  fi
done
echo "deb_test: packages built, installed, used and removed"
