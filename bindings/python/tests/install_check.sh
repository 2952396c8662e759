#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The offline install of docs/python.md, done for real in a temporary
# directory: a venv that sees Debian's packages, pip install
# --no-build-isolation of bindings/python, import from outside the checkout;
# then the two wheels: pure (py3-none-any, finds the library at run time)
# and bundling libmlg (platform-tagged), which imports with no MLG_LIBRARY.
# usage: install_check.sh PYTHON LIBMLG
set -euo pipefail
PY=${1:?python}; LIB=${2:?libmlg.so.N}
SRC=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
unset PYTHONPATH
fail() { echo "install_check: FAIL: $*" >&2; exit 1; }

# A copy, so the build leaves nothing in the checkout.
mkdir "$T/src"
cp -r "$SRC/pyproject.toml" "$SRC/setup.py" "$SRC/README.md" "$SRC/mlg" "$T/src/"
rm -rf "$T/src/mlg/__pycache__" "$T"/src/mlg/libmlg.so*
cd "$T"

# 1. venv + pip install --no-build-isolation (offline: --no-index).
"$PY" -m venv --system-site-packages --without-pip "$T/env"
"$T/env/bin/python" -m pip install -q --no-build-isolation --no-deps --no-index "$T/src"
out=$(MLG_LIBRARY="$LIB" "$T/env/bin/python" -c '
import mlg, sys
assert mlg.__file__.startswith(sys.prefix), mlg.__file__
print(mlg.proficiency([1, 2, 3, 3], method="most_recent"))')
# BUL-2332.7 Att. A: Zoey 1, 2, 3, 3 -> most recent 3.
[ "$out" = "3.0" ] || fail "venv import printed '$out', expected 3.0"
echo "install_check: venv install ok"

# 2. The pure wheel: py3-none-any.
"$T/env/bin/python" -m pip wheel -q --no-build-isolation --no-deps --no-index -w "$T/pure" "$T/src"
ls "$T/pure"/mlg-*-py3-none-any.whl >/dev/null 2>&1 || fail "pure wheel: $(ls "$T/pure")"
# Listings go through a variable, not a pipe into grep -q: grep stops at its
# first match, and under pipefail the writer's SIGPIPE would fail the check
# at random.
listing=$(unzip -l "$T"/pure/*.whl)
if grep -q 'libmlg\.so' <<<"$listing"; then fail "pure wheel holds a library"; fi
echo "install_check: pure wheel $(basename "$T"/pure/*.whl)"

# 3. The bundling wheel: platform-tagged, never py3-none-any.
MLG_BUNDLE_LIBRARY="$LIB" "$T/env/bin/python" -m pip wheel -q --no-build-isolation --no-deps \
    --no-index -w "$T/bundle" "$T/src"
whl=$(ls "$T"/bundle/*.whl)
case "$(basename "$whl")" in
  mlg-*-py3-none-linux_*.whl) ;;
  *) fail "bundling wheel is $(basename "$whl"), expected py3-none-linux_<arch>" ;;
esac
listing=$(unzip -l "$whl")
grep -q ' mlg/libmlg\.so\.[0-9]*$' <<<"$listing" || fail "bundling wheel lacks mlg/libmlg.so.N"
wheel_meta=$(unzip -p "$whl" '*.dist-info/WHEEL')
grep -q '^Root-Is-Purelib: false' <<<"$wheel_meta" \
    || fail "bundling wheel claims to be pure"
"$T/env/bin/python" -m pip install -q --no-deps --no-index --target "$T/site" "$whl"
out=$(env -u MLG_LIBRARY PYTHONPATH="$T/site" "$T/env/bin/python" -c '
import mlg, sys
print(mlg.library_path())
print(mlg.proficiency([1, 2, 3, 3], method="most_recent"))')
[ "$(printf '%s\n' "$out" | sed -n 1p)" = "$T/site/mlg/libmlg.so.0" ] \
    || fail "bundled wheel loaded $(printf '%s\n' "$out" | sed -n 1p)"
[ "$(printf '%s\n' "$out" | sed -n 2p)" = "3.0" ] || fail "bundled wheel computed '$out'"
echo "install_check: bundling wheel $(basename "$whl") loads its own library"
