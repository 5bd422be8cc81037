#!/usr/bin/env bash
# make bench: JMH benchmarks, then ctxprobe against the plain C programs in bench/c (interleaved
# pairs). Runs in the foreground and is bounded; paste its output into bench/RESULTS.md with the host.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=$(scripts/find-jdk.sh)
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED)
jar=bench/target/ctxprobe-bench.jar

# Repeatability, measured (never asserted in a test): the quick suite twice, back to back, compared
# case by case (ratio of medians second/first with its bootstrap 95% interval). REPEAT=0 skips it.
if [ "${REPEAT:-1}" != 0 ]; then
    out=$(mktemp -d "${TMPDIR:-/tmp}/ctxprobe-repeat.XXXXXX")
    echo "## Repeatability: ./ctxprobe run --quick, twice back to back ($(date -u +%Y-%m-%dT%H:%MZ), $(uname -r), $(nproc) CPUs)"
    echo
    for i in 1 2; do
        start=$(date +%s)
        ./ctxprobe run --quick --json "$out/run$i.json" > "$out/run$i.txt" 2>&1 \
            || { echo "run $i failed:"; tail -20 "$out/run$i.txt"; exit 1; }
        echo "run $i: $(( $(date +%s) - start )) s; $(grep '^interference:' "$out/run$i.txt")"
    done
    echo
    "${java[@]}" -cp "$jar" io.ctxprobe.bench.Repeatability "$out/run1.json" "$out/run2.json"
    echo
    echo "(reports and tables kept in $out)"
    echo
fi

echo "## ctxprobe vs plain C ($(date -u +%Y-%m-%dT%H:%MZ), $(uname -r), $(nproc) CPUs)"
echo
"${java[@]}" -cp "$jar" io.ctxprobe.bench.CompareWithC "${PAIRS:-5}"
"${java[@]}" -cp "$jar" io.ctxprobe.bench.TlbReachVsC "${PAIRS:-5}"

bench/cyclictest-compare.sh "${PAIRS:-3}"

echo "## JMH"
echo
"$JAVA_HOME/bin/java" -jar "$jar" -foe true ${JMH_ARGS:-"B0"}
