#!/usr/bin/env bash
# Scaling guard: the audit's cost must grow no faster than the repository,
# whatever its shape.
#
# For each input shape of examples/gen-monorepo.rs (`--shape`: one workflow
# job with N build steps, a build matrix of N, a Compose file with N
# services, a GitLab pipeline with N jobs and extends/include chains, one
# Kubernetes file with 3N documents, Helm charts, deep source trees, many
# Dockerfile stages, N workflows, N Dockerfiles with glob COPY sources
# that nothing builds, and the classic tree), it counts the
# instructions (valgrind's callgrind: deterministic, unlike wall time on a
# shared CI machine) of `kubeready audit` over a SMALL and a LARGE tree
# (default 100 and 400 services) and fails when LARGE/SMALL exceeds the
# shape's limit (MAX_RATIO, default 4.2). Linear cost gives at most
# LARGE/SMALL = 4 (fixed costs make it less); a rule or parser that
# compares every pair of steps, services or documents pushes it above
# (KR301, pairwise over a job's steps, measured 9.8 on `steps` before it
# was fixed; the COPY-source judgement, Dockerfiles x files when no build
# names the context, 12.7 on `no-context`). See docs/benchmark.md.
#
# Usage: bench/guard.sh            (builds the release binary if needed)
#        KUBEREADY=path/to/kubeready SMALL=100 LARGE=400 bench/guard.sh
#        SHAPES="steps compose" bench/guard.sh        (some shapes only)
#        SHAPES=classic SMALL=250 LARGE=1000 NODE_MODULES=200 bench/guard.sh
#                                   (the single guard of earlier releases)
# A shape's own limit: MAX_RATIO_<shape> with `-` as `_` (MAX_RATIO_deep_src=4.5).
set -euo pipefail
cd "$(dirname "$0")/.."
SMALL=${SMALL:-100}
LARGE=${LARGE:-400}
MAX_RATIO=${MAX_RATIO:-4.2}
NODE_MODULES=${NODE_MODULES:-0}
SHAPES=${SHAPES:-classic steps matrix compose gitlab k8s-docs helm deep-src stages workflows no-context}
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
  local shape=$1 n=$2 tree="$WORK/$1-$2"
  rm -rf "$tree"
  target/release/examples/gen-monorepo --services "$n" --out "$tree" \
    --shape "$shape" --node-modules "$NODE_MODULES" >/dev/null
  valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    "$KUBEREADY" audit "$tree" --format json --fail-on never 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
  rm -rf "$tree"
}
failed=""
printf 'guard: %-10s %15s %15s %6s %5s\n' shape "$SMALL services" "$LARGE services" ratio max
for shape in $SHAPES; do
  var="MAX_RATIO_${shape//-/_}"
  max=${!var:-$MAX_RATIO}
  small=$(instructions "$shape" "$SMALL")
  large=$(instructions "$shape" "$LARGE")
  ratio=$(awk -v a="$large" -v b="$small" 'BEGIN { printf "%.2f", a / b }')
  verdict=ok
  if awk -v r="$ratio" -v m="$max" 'BEGIN { exit !(r > m) }'; then
    verdict=FAIL
    failed="$failed $shape"
  fi
  printf 'guard: %-10s %15s %15s %6s %5s %s\n' "$shape" "$small" "$large" "$ratio" "$max" "$verdict"
done
if [ -n "$failed" ]; then
  echo "guard: the audit grows faster than the repository on:$failed; look for a pairwise scan (KUBEREADY_TIMINGS=1 names the slow stage and rule)" >&2
  exit 1
fi
