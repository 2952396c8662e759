#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every source file of the project names its licence in its first three
# lines (SPDX-License-Identifier: GPL-3.0-or-later), as LICENSE and README
# state.  Source files: C, Python, shell, SQL, awk, CMake and build files,
# the CI scripts; data, golden outputs and fuzz corpora are not sources.
#   tests/check_spdx.sh SOURCE_DIR
set -euo pipefail
src="${1:-$(dirname "$0")/..}"
cd "$src"
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "check_spdx: $src is not a git checkout; nothing to list" >&2
  exit 1
fi
missing=0
while IFS= read -r f; do
  case "$f" in
    tests/cli/golden/*|tests/cli/inputs/*|tests/fuzz/corpus/*|tests/fuzz/pending/*|bench/results/*) continue ;;
    data/*.py) ;;
    data/*) continue ;;
    *.c|*.h|*.py|*.sh|*.sql|*.awk|*.cmake|*.in|*.toml|*.js|*.mjs|*/CMakeLists.txt|CMakeLists.txt|*/Makefile|.ci/*) ;;
    *) continue ;;
  esac
  [ -f "$f" ] || continue
  if ! head -n 3 "$f" | grep 'SPDX-License-Identifier: GPL-3.0-or-later' >/dev/null; then
    echo "check_spdx: $f: no SPDX-License-Identifier: GPL-3.0-or-later in its first 3 lines"
    missing=$((missing + 1))
  fi
done < <(git ls-files)
if [ "$missing" -ne 0 ]; then
  echo "check_spdx: $missing file(s) without the licence line" >&2
  exit 1
fi
echo "check_spdx: every source file names GPL-3.0-or-later"
