#!/usr/bin/env bash
# Same findings before and after a change: runs two kubeready binaries
# over every tree given and compares their `audit --format json
# --fail-on never` output byte for byte (and their exit codes).
#
# Usage: bench/same-output.sh OLD_BINARY NEW_BINARY TREE...
#   bench/same-output.sh /tmp/kubeready-before target/release/kubeready \
#     fixtures/*/ /work/real/*/ /tmp/shapes/*/
# Prints one line per tree that differs and a total; exits 1 when any does.
set -uo pipefail
if [ $# -lt 3 ]; then
  echo "usage: bench/same-output.sh OLD_BINARY NEW_BINARY TREE..." >&2
  exit 2
fi
old=$1 new=$2
shift 2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
same=0 differ=0
for tree in "$@"; do
  "$old" audit "$tree" --format json --fail-on never >"$out/old" 2>/dev/null
  old_rc=$?
  "$new" audit "$tree" --format json --fail-on never >"$out/new" 2>/dev/null
  new_rc=$?
  if [ "$old_rc" = "$new_rc" ] && cmp -s "$out/old" "$out/new"; then
    same=$((same + 1))
  else
    differ=$((differ + 1))
    echo "differs: $tree (exit $old_rc -> $new_rc)"
  fi
done
echo "same-output: $same identical, $differ different"
[ "$differ" = 0 ]
