#!/usr/bin/env bash
# Per-shape benchmark: for each shape of examples/gen-monorepo.rs, the
# audit against `rg --files --hidden` (hyperfine medians), its peak RSS
# (GNU time), and hadolint over the Dockerfiles of the `classic` tree.
#
# Usage: bench/shapes.sh                     (1,000 services, 10 runs)
#        N=1000 RUNS=10 SHAPES="steps compose" bench/shapes.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000}
RUNS=${RUNS:-10}
SHAPES=${SHAPES:-classic steps matrix compose gitlab k8s-docs helm deep-src stages workflows mixed}
WORK=${WORK:-/tmp/kubeready-shapes}
KUBEREADY=${KUBEREADY:-target/release/kubeready}
mkdir -p "$WORK"
[ -n "${NO_BUILD:-}" ] || cargo build --release --quiet --bin kubeready --example gen-monorepo
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf '| shape | files | kubeready audit | rg --files --hidden | audit / rg | peak RSS |\n|---|---:|---:|---:|---:|---:|\n'
for shape in $SHAPES; do
  tree="$WORK/$shape-$N"
  target/release/examples/gen-monorepo --services "$N" --out "$tree" --shape "$shape" >/dev/null
  [ -d "$tree/.git" ] || git -C "$tree" init -q
  files=$(find "$tree" -type f -not -path '*/.git/*' | wc -l)
  hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$WORK/$shape.json" \
    "$KUBEREADY audit $tree --format json --fail-on never" "rg --files --hidden $tree" >/dev/null 2>&1
  read -r a r < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["results"]; print(d[0]["median"], d[1]["median"])' "$WORK/$shape.json")
  rss=$( { /usr/bin/time -v "$KUBEREADY" audit "$tree" --format json --fail-on never >/dev/null; } 2>&1 | sed -n 's/.*Maximum resident set size (kbytes): //p')
  awk -v s="$shape" -v f="$files" -v a="$a" -v r="$r" -v m="$rss" \
    'BEGIN { printf "| %s | %d | %.0f ms | %.0f ms | %.2f× | %.1f MB |\n", s, f, a*1000, r*1000, a/r, m/1024 }'
done
if command -v hadolint >/dev/null 2>&1; then
  tree="$WORK/classic-$N"
  [ -d "$tree" ] || target/release/examples/gen-monorepo --services "$N" --out "$tree" --shape classic >/dev/null
  mapfile -t dfs < <(find "$tree" -name Dockerfile -not -path '*/node_modules/*' | sort)
  hyperfine -N --warmup 1 --runs 3 --export-json "$WORK/hadolint.json" \
    "$KUBEREADY audit $tree --format json --fail-on never" "hadolint --no-fail ${dfs[*]}" >/dev/null 2>&1
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["results"]; a, h = d[0]["median"], d[1]["median"]; print("hadolint over %s Dockerfiles: %.0f ms, audit %.0f ms: %.0fx" % (sys.argv[2], h * 1000, a * 1000, h / a))' "$WORK/hadolint.json" "${#dfs[@]}"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
