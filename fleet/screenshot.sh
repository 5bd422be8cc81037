#!/usr/bin/env bash
# The README's picture of the fleet page: a fleet.html made by `ctxprobe fleet` (make fleet-test
# leaves the namespace fleet's in fleet/target/fleet-test/), photographed by headless chromium.
# usage: fleet/screenshot.sh [FLEET.html] [OUT.png]   (defaults: fleet/target/fleet-test/fleet.html, docs/fleet.png)
set -euo pipefail
cd "$(dirname "$0")/.."
page=${1:-fleet/target/fleet-test/fleet.html}
out=${2:-docs/fleet.png}
[ -f "$page" ] || { echo "fleet-screenshot: no $page; run 'make fleet-test' (or ctxprobe fleet ... --html) first" >&2; exit 2; }
command -v chromium >/dev/null || { echo "fleet-screenshot: needs chromium (apt-get install chromium)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$page" "$tmp/fleet.html"
# Headless, offline, as root too: no sandbox, no background connections, a fresh profile.
chromium --headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --hide-scrollbars --user-data-dir="$tmp/profile" --window-size=1280,1150 \
    --screenshot="$(realpath -m "$out")" "file://$tmp/fleet.html" 2>/dev/null
echo "fleet-screenshot: $out"
