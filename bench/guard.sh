#!/usr/bin/env bash
# Scaling guard: the audit's cost must grow no faster than the repository.
#
# Counts the instructions (valgrind's callgrind: deterministic, unlike wall
# time on a shared CI machine) of `kubeready audit` over two generated
# monorepos, SMALL and LARGE services (default 250 and 1000), and fails when
# the ratio exceeds MAX_RATIO (default 4.2). Linear cost gives at most
# LARGE/SMALL = 4 (fixed costs make it less: 3.6 at the time of writing);
# a rule or join that compares every pair of services pushes it above
# (the build before the indexing work measured 4.4, and 8 s instead of
# 0.2 s at 1000 services). See docs/benchmark.md.
#
# Usage: bench/guard.sh            (builds the release binary if needed)
#        KUBEREADY=path/to/kubeready SMALL=250 LARGE=1000 bench/guard.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SMALL=${SMALL:-250}
LARGE=${LARGE:-1000}
MAX_RATIO=${MAX_RATIO:-4.2}
WORK=${WORK:-$(mktemp -d)}
if ! command -v valgrind >/dev/null 2>&1; then
  echo "guard: valgrind is not installed (apt-get install valgrind)" >&2
  exit 2
fi
if [ -z "${KUBEREADY:-}" ]; then
  cargo build --release --quiet
  KUBEREADY=target/release/kubeready
fi
cargo build --release --quiet --example gen-monorepo
instructions() {
  local n=$1 tree="$WORK/mono$1"
  rm -rf "$tree"
  target/release/examples/gen-monorepo --services "$n" --out "$tree" --node-modules 200 >/dev/null
  valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    "$KUBEREADY" audit "$tree" --format json --fail-on never 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
small=$(instructions "$SMALL")
large=$(instructions "$LARGE")
ratio=$(awk -v a="$large" -v b="$small" 'BEGIN { printf "%.2f", a / b }')
echo "guard: $SMALL services: $small instructions; $LARGE services: $large instructions; ratio $ratio (max $MAX_RATIO)"
if awk -v r="$ratio" -v m="$MAX_RATIO" 'BEGIN { exit !(r > m) }'; then
  echo "guard: the audit grows faster than the repository; look for a pairwise scan (KUBEREADY_TIMINGS=1 names the slow stage and rule)" >&2
  exit 1
fi
