#!/usr/bin/env bash
# Collects the reports of the Job (default) or the DaemonSet from `kubectl logs` into
# fleet-reports/<host key>.json — the one JSON line each pod printed — and writes a failure record
# (failed-<pod>.json) for each pod that printed none, then makes the fleet view with ctxprobe fleet.
# usage: fleet/k8s/collect.sh [job|daemonset] [OUT_DIR]   (kubectl's current context and namespace;
#        CTXPROBE names the ctxprobe that makes the view: default this repository's ./ctxprobe)
set -euo pipefail
kind=${1:-job}
out=${2:-.}
here=$(cd "$(dirname "$0")" && pwd)
ctxprobe=${CTXPROBE:-$here/../../ctxprobe}
case $kind in
  job) selector=ctxprobe.io/run=fleet-job ;;
  daemonset) selector=ctxprobe.io/run=fleet-daemonset ;;
  *) echo "collect: the first argument is job or daemonset, not '$kind'" >&2; exit 2 ;;
esac
reports="$out/fleet-reports"
mkdir -p "$reports"
n=0 failed=0
while read -r pod node phase; do
  [ -n "$pod" ] || continue
  line=$(kubectl logs "$pod" 2>/dev/null | grep '^{' | tail -n 1 || true)
  key=$(printf '%s' "$line" | grep -o '"hostKey" *: *"[0-9a-f]*"' | head -n 1 | grep -o '[0-9a-f]\{16\}' || true)
  if [ -n "$key" ]; then
    printf '%s\n' "$line" > "$reports/$key.json"
    n=$((n + 1))
  else
    reason=$(kubectl logs "$pod" 2>&1 | tail -n 1 | sed 's/\\/\\\\/g; s/"/\\"/g' || true)
    printf '{"schema": "ctxprobe-fleet-failure/1", "host": "%s", "address": "%s", "stage": "run", "reason": "pod %s: %s"}\n' \
        "$node" "$pod" "$phase" "${reason:-no report in the log}" > "$reports/failed-$pod.json"
    failed=$((failed + 1))
  fi
done < <(kubectl get pods -l "$selector" -o jsonpath='{range .items[*]}{.metadata.name} {.spec.nodeName} {.status.phase}{"\n"}{end}')
echo "collect: $n reports, $failed pods without one, in $reports"
"$ctxprobe" fleet "$reports" --html "$out/fleet.html" --md "$out/fleet.md" --csv "$out/fleet.csv"
