#!/usr/bin/env bash
# make bench: JMH benchmarks, then ctxprobe against the plain C programs in bench/c (interleaved
# pairs). Runs in the foreground and is bounded; paste its output into bench/RESULTS.md with the host.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=$(scripts/find-jdk.sh)
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED)
jar=bench/target/ctxprobe-bench.jar

echo "## ctxprobe vs plain C ($(date -u +%Y-%m-%dT%H:%MZ), $(uname -r), $(nproc) CPUs)"
echo
"${java[@]}" -cp "$jar" io.ctxprobe.bench.CompareWithC "${PAIRS:-5}"

bench/cyclictest-compare.sh "${PAIRS:-3}"

echo "## JMH"
echo
"$JAVA_HOME/bin/java" -jar "$jar" -foe true ${JMH_ARGS:-"B0"}
