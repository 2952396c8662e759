#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The man pages in docs/man: one for mlg and one per command that
# `mlg --help` lists, each rendering with man --warnings and no diagnostic.
#   man_pages.sh MANDIR MLG
set -euo pipefail
mandir=$1
mlg=$2
fail() { echo "man_pages: $*" >&2; exit 1; }
command -v man >/dev/null || fail "no man command (Debian: apt-get install man-db)"
# The commands are the indented lowercase words under "commands:".
cmds=$("$mlg" --help | awk '/^commands:/ {on = 1; next}
                             on && /^  [a-z]+ / {print $1; next}
                             on && !/^  [a-z]+ / {on = 0}')
[ -n "$cmds" ] || fail "no commands found in mlg --help"
n=0
for page in mlg $(printf 'mlg-%s\n' $cmds); do
  f=$mandir/$page.1
  [ -f "$f" ] || fail "no man page $page.1 (a command without one?)"
  grep -q '^\.TH ' "$f" || fail "$f has no .TH line"
  err=$(MANWIDTH=80 man --warnings -l "$f" 2>&1 >/dev/null)
  [ -z "$err" ] || fail "$f: $err"
  out=$(MANWIDTH=80 man -l "$f" 2>/dev/null)
  grep -q '^NAME' <<<"$out" || fail "$f renders without a NAME section"
  n=$((n + 1))
done
echo "man_pages: $n pages render without warnings: mlg $cmds" | tr '\n' ' '; echo
