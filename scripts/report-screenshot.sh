#!/usr/bin/env bash
# The README's picture: the HTML report of a saved run, made by ctxprobe itself (ctxprobe report
# --html), then photographed by headless chromium (Debian's package; .ci/run installs it).
# usage: scripts/report-screenshot.sh REPORT.json [OUT.png]   (default OUT: docs/report.png)
set -euo pipefail
cd "$(dirname "$0")/.."
report=${1:?usage: scripts/report-screenshot.sh REPORT.json [OUT.png]}
out=${2:-docs/report.png}
command -v chromium >/dev/null || { echo "report-screenshot: needs chromium (apt-get install chromium)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
./ctxprobe report "$report" --html "$tmp/report.html" >/dev/null
# Headless, offline, as root too: no sandbox, no background connections, a fresh profile.
chromium --headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --hide-scrollbars --user-data-dir="$tmp/profile" --window-size=1280,1000 \
    --screenshot="$(realpath -m "$out")" "file://$tmp/report.html" 2>/dev/null
echo "report-screenshot: $out"
