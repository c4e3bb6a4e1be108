#!/bin/sh
# Prints the CHANGELOG.md section of one version (without its heading), for
# the release notes:
#
#   sh scripts/changelog-section.sh v0.2.0 [CHANGELOG.md]
#
# The version may be given with or without the leading `v`. A section starts
# at `## [X.Y.Z]` (Keep a Changelog) and ends at the next `## ` heading or at
# the link references (`[X.Y.Z]: https://...`) at the end of the file.
# Exits 1 when there is no such section or it is empty, 2 on a usage error.
set -eu
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: changelog-section.sh VERSION [CHANGELOG.md]" >&2; exit 2; }
version=${1#v}
file=${2:-CHANGELOG.md}
[ -n "$version" ] || { echo "changelog-section.sh: empty version" >&2; exit 2; }
[ -r "$file" ] || { echo "changelog-section.sh: cannot read $file" >&2; exit 2; }
awk -v v="$version" '
  BEGIN { head = "## [" v "]" }
  /^## / {
    if (on) exit
    if (index($0, head) == 1) { on = 1; found = 1; next }
  }
  on && /^\[[^]]+\]: / { exit }
  on {
    if ($0 ~ /^[[:space:]]*$/) { blank++; next }
    if (printed) for (i = 0; i < blank; i++) print ""
    blank = 0; printed = 1
    print
  }
  END { exit (found && printed) ? 0 : 1 }
' "$file" || { echo "changelog-section.sh: no section for $version in $file" >&2; exit 1; }
