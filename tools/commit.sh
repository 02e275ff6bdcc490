#!/bin/sh
# commit.sh — the commit this tree was built from, for `attnviz --version`:
# the short hash, with "-dirty" when tracked files differ from it; nothing
# at all outside a git checkout of this project (a release tarball, or a
# tree unpacked inside some other repository), so such a build still works.
cd "$(dirname "$0")/.." || exit 0
command -v git > /dev/null 2>&1 || exit 0
top=$(git rev-parse --show-toplevel 2>/dev/null) || exit 0
[ "$(cd "$top" && pwd -P)" = "$(pwd -P)" ] || exit 0
hash=$(git rev-parse --short=12 HEAD 2>/dev/null) || exit 0
git diff --quiet HEAD -- 2>/dev/null || hash="$hash-dirty"
echo "$hash"
