#!/usr/bin/env bash
# Per-shape benchmark: for each shape of examples/gen-monorepo.rs, the
# audit against `rg --files --hidden` (hyperfine medians), its peak RSS
# and CPU time (GNU time: user + sys of one run, steadier than wall time
# on a shared machine), and hadolint over the Dockerfiles of the `classic`
# tree (wall and CPU). With COLD=1 (root, `/proc/sys/vm/drop_caches`
# writable) it also times one run of each after dropping the page cache.
#
# Usage: bench/shapes.sh                     (1,000 services, 10 runs)
#        N=1000 RUNS=10 SHAPES="steps compose" bench/shapes.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000}
RUNS=${RUNS:-10}
SHAPES=${SHAPES:-classic steps matrix compose gitlab k8s-docs helm deep-src stages workflows go-main no-context mixed}
WORK=${WORK:-/tmp/kubeready-shapes}
KUBEREADY=${KUBEREADY:-target/release/kubeready}
mkdir -p "$WORK"
[ -n "${NO_BUILD:-}" ] || cargo build --release --quiet --bin kubeready --example gen-monorepo
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
cold() { # one run right after dropping the page cache: seconds of wall time
  sync && echo 3 >/proc/sys/vm/drop_caches || return 1
  /usr/bin/time -f %e "$@" 2>&1 >/dev/null | tail -1
}
printf '| shape | files | kubeready audit | rg --files --hidden | audit / rg | audit CPU | rg CPU | peak RSS |%s\n|---|---:|---:|---:|---:|---:|---:|---:|%s\n' \
  "${COLD:+ cold audit | cold rg |}" "${COLD:+---:|---:|}"
for shape in $SHAPES; do
  tree="$WORK/$shape-$N"
  target/release/examples/gen-monorepo --services "$N" --out "$tree" --shape "$shape" >/dev/null
  [ -d "$tree/.git" ] || git -C "$tree" init -q
  files=$(find "$tree" -type f -not -path '*/.git/*' | wc -l)
  hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$WORK/$shape.json" \
    "$KUBEREADY audit $tree --format json --fail-on never" "rg --files --hidden $tree" >/dev/null 2>&1
  read -r a r < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["results"]; print(d[0]["median"], d[1]["median"])' "$WORK/$shape.json")
  read -r rss cpu < <( { /usr/bin/time -f '%M %U %S' "$KUBEREADY" audit "$tree" --format json --fail-on never >/dev/null; } 2>&1 | tail -1 | awk '{ print $1, $2 + $3 }')
  rgcpu=$( { /usr/bin/time -f '%U %S' rg --files --hidden "$tree" >/dev/null; } 2>&1 | tail -1 | awk '{ print $1 + $2 }')
  extra=""
  if [ -n "${COLD:-}" ]; then
    ca=$(cold "$KUBEREADY" audit "$tree" --format json --fail-on never) && cr=$(cold rg --files --hidden "$tree") &&
      extra=$(awk -v a="$ca" -v r="$cr" 'BEGIN { printf " %.0f ms | %.0f ms |", a*1000, r*1000 }') ||
      extra=" not permitted | |"
  fi
  awk -v s="$shape" -v f="$files" -v a="$a" -v r="$r" -v m="$rss" -v c="$cpu" -v rc="$rgcpu" -v x="$extra" \
    'BEGIN { printf "| %s | %d | %.0f ms | %.0f ms | %.2f× | %.0f ms | %.0f ms | %.1f MB |%s\n", s, f, a*1000, r*1000, a/r, c*1000, rc*1000, m/1024, x }'
done
if command -v hadolint >/dev/null 2>&1; then
  tree="$WORK/classic-$N"
  [ -d "$tree" ] || target/release/examples/gen-monorepo --services "$N" --out "$tree" --shape classic >/dev/null
  mapfile -t dfs < <(find "$tree" -name Dockerfile -not -path '*/node_modules/*' | sort)
  hyperfine -N --warmup 1 --runs 3 --export-json "$WORK/hadolint.json" \
    "$KUBEREADY audit $tree --format json --fail-on never" "hadolint --no-fail ${dfs[*]}" >/dev/null 2>&1
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["results"]; a, h = d[0]["median"], d[1]["median"]; print("hadolint over %s Dockerfiles: %.0f ms, audit %.0f ms: %.0fx" % (sys.argv[2], h * 1000, a * 1000, h / a))' "$WORK/hadolint.json" "${#dfs[@]}"
  hcpu=$( { /usr/bin/time -f '%U %S' hadolint --no-fail "${dfs[@]}" >/dev/null; } 2>&1 | tail -1 | awk '{ print $1 + $2 }')
  acpu=$( { /usr/bin/time -f '%U %S' "$KUBEREADY" audit "$tree" --format json --fail-on never >/dev/null; } 2>&1 | tail -1 | awk '{ print $1 + $2 }')
  awk -v h="$hcpu" -v a="$acpu" 'BEGIN { printf "CPU time (user + sys, one run): hadolint %.2f s, audit %.2f s: %.0fx\n", h, a, h/a }'
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
