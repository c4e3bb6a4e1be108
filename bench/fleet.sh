#!/usr/bin/env bash
# Benchmarks `kubeready fleet` over a folder of 100 small generated
# repositories (examples/gen-monorepo.rs, 3-8 services each, no
# node_modules), with hyperfine when it is installed.
#
#   bench/fleet.sh [FLEET_DIR]     (default /tmp/kubeready-fleet100)
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-/tmp/kubeready-fleet100}
cargo build --release --quiet --bin kubeready --example gen-monorepo
GEN=target/release/examples/gen-monorepo
BIN=target/release/kubeready
mkdir -p "$DIR"
for i in $(seq -w 1 100); do
  n=$((3 + 10#$i % 6))
  "$GEN" --services "$n" --seed "$((10#$i))" --node-modules 0 --shape classic --out "$DIR/repo-$i" >/dev/null
done
echo "fleet: $(ls "$DIR" | wc -l) repositories, $(find "$DIR" -type f | wc -l) files"
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --warmup 2 --runs 10 \
    "$BIN fleet $DIR --quiet --format json" \
    "$BIN fleet $DIR --quiet --format html" \
    "for r in $DIR/*/; do $BIN audit \$r --format json --fail-on never >/dev/null; done"
else
  echo "hyperfine not installed; one timed run:"
  time "$BIN" fleet "$DIR" --quiet --format json >/dev/null
fi
