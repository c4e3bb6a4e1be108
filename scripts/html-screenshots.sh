#!/usr/bin/env bash
# Renders kubeready's HTML reports (several fixtures, and the fixtures as a
# fleet) in headless Chromium, saves screenshots (desktop 1200 px and phone
# 390 px wide) and checks that the checklist, the pipeline graph, the fleet
# funnel and the repository table are drawn and visible, not merely present
# in the source (scripts/html-check.py reads the PNGs and layout probes).
#
#   scripts/html-screenshots.sh [OUT_DIR]     (default target/html-screenshots)
#
# KUBEREADY=path/to/binary picks the binary (default: target/debug, built if
# missing); CHROMIUM=path picks the browser. Without Chromium it prints a
# notice and exits 0, so CI without a browser skips it.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [ -z "$CHROMIUM" ]; then
  echo "html-screenshots: chromium not found; skipping (apt-get install chromium)"
  exit 0
fi
BIN=${KUBEREADY:-target/debug/kubeready}
if [ ! -x "$BIN" ]; then
  cargo build --quiet
fi
OUT=${1:-target/html-screenshots}
rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
PROFILES=$(mktemp -d)
trap 'rm -rf "$PROFILES"' EXIT

chrome() {
  # A fresh profile per run; no network, no first-run work.
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --hide-scrollbars --user-data-dir="$(mktemp -d -p "$PROFILES")" "$@" 2>/dev/null
}

for f in full-pipeline monorepo hostile no-dockerfile; do
  "$BIN" audit "fixtures/$f" --format html --fail-on never >"$OUT/$f.html"
done
"$BIN" fleet fixtures --quiet --output "html=$OUT/fleet.html" >/dev/null

for page in "$OUT"/*.html; do
  name=$(basename "$page" .html)
  # Layout probe: a copy of the page with a measuring script appended.
  { sed 's#</body>##; s#</html>##' "$page"; printf '<script>\n'; cat scripts/probe.js; printf '</script>\n</body>\n</html>\n'; } >"$OUT/$name.probe.html"
  for size in 1200 390; do
    chrome --dump-dom --window-size=$size,2000 "file://$OUT/$name.probe.html" >"$OUT/$name.dom.html"
    python3 - "$OUT/$name.dom.html" "$OUT/$name.probe-$size.json" <<'PY'
import html, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<pre id="kubeready-probe">(.*?)</pre>', dom, re.S)
if not m:
    sys.exit(f"no layout probe in {sys.argv[1]}")
open(sys.argv[2], "w").write(html.unescape(m.group(1)))
PY
  done
  mv "$OUT/$name.probe-1200.json" "$OUT/$name.probe.json"
  mv "$OUT/$name.probe-390.json" "$OUT/$name.phone.json"
  height=$(python3 -c 'import json,sys; print(min(8000, max(2000, int(json.load(open(sys.argv[1]))["height"]))))' "$OUT/$name.probe.json")
  rm "$OUT/$name.probe.html" "$OUT/$name.dom.html"
  chrome --screenshot="$OUT/$name.png" --window-size=1200,2000 "file://$page" >/dev/null
  chrome --screenshot="$OUT/$name-phone.png" --window-size=390,2000 "file://$page" >/dev/null
  chrome --screenshot="$OUT/$name.check.png" --window-size="1200,$height" "file://$page" >/dev/null
done
python3 scripts/html-check.py "$OUT"
echo "html-screenshots: screenshots in $OUT"
