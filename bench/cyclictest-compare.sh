#!/usr/bin/env bash
# sched.wakeup's timer cases against cyclictest (Debian rt-tests), as interleaved pairs; see
# bench/src/main/java/io/ctxprobe/bench/CompareWithCyclictest.java. Installs rt-tests when missing
# (root: apt-get; otherwise it says what to install). Bounded: 4 cases x pairs x 2 runs of 2 s.
#   bench/cyclictest-compare.sh [pairs]      (after make build)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v cyclictest >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get install -y -q rt-tests >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q rt-tests >/dev/null; }
    else
        echo "cyclictest comparison: skipped: cyclictest not installed (apt-get install rt-tests, as root)"
        exit 0
    fi
fi
JAVA_HOME=$(scripts/find-jdk.sh)
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dctxprobe.bench.cyclictest="$(command -v cyclictest)" \
    -cp bench/target/ctxprobe-bench.jar io.ctxprobe.bench.CompareWithCyclictest "${1:-3}"
