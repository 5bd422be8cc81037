#!/usr/bin/env bash
# ctxprobe's tlb_flush counts against `perf stat -e tlb:tlb_flush` on the same plain-C ping-pong
# (io.ctxprobe.bench.CompareTlbFlushWithPerf). Needs root: tracefs is mounted only inside private
# mount namespaces of short-lived children, never on the host. Installs Debian's linux-perf when
# `perf` is missing. Runs in the foreground and is bounded; paste its output into bench/RESULTS.md.
#   bench/tlb-flush-vs-perf.sh [round_trips]     (default 20000; needs `make build` and `make -C bench/c`)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
    echo "skipped: tracepoints and tracefs need root (this is uid $(id -u))"; exit 0
fi
if ! command -v perf >/dev/null 2>&1; then
    echo "perf not found: installing Debian's linux-perf" >&2
    apt-get install -y linux-perf >&2
fi
make -C bench/c >/dev/null
JAVA_HOME=$(scripts/find-jdk.sh)
echo "## tlb.flush vs perf stat ($(date -u +%Y-%m-%dT%H:%MZ), $(uname -r), $(nproc) CPUs, $(perf version 2>/dev/null | head -1))"
echo
exec timeout 600 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp bench/target/ctxprobe-bench.jar \
    io.ctxprobe.bench.CompareTlbFlushWithPerf "${1:-20000}"
