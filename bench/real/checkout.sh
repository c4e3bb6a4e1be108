#!/usr/bin/env bash
# Checks out every labelled repository at its pinned commit into DEST
# (one subfolder per label file, named like it), for `examples/real-eval.rs`.
# Needs git and the network; trees already present are left as they are.
set -euo pipefail
dest=${1:?usage: bench/real/checkout.sh DEST}
labels="$(cd "$(dirname "$0")" && pwd)/labels"
mkdir -p "$dest"
for f in "$labels"/*.toml; do
  name=$(basename "$f" .toml)
  repo=$(sed -n 's/^repo = "\(.*\)"/\1/p' "$f" | head -1)
  commit=$(sed -n 's/^commit = "\(.*\)"/\1/p' "$f" | head -1)
  if [ -d "$dest/$name" ]; then
    echo "$name: present"
    continue
  fi
  echo "$name: $repo @ $commit"
  tmp=$(mktemp -d)
  git -C "$tmp" init -q
  git -C "$tmp" fetch -q --depth 1 "https://github.com/$repo" "$commit"
  mkdir -p "$dest/$name"
  # A checkout, not `git archive`: archive drops `export-ignore` paths
  # (some repositories mark .github/ or tests/ so).
  git -C "$tmp" --work-tree="$dest/$name" checkout -q FETCH_HEAD -- .
  rm -rf "$tmp"
done
