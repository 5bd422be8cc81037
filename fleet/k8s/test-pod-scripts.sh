#!/usr/bin/env bash
# The image's entry point, run here as the container would run it (the unpacked bundle's ctxprobe on
# PATH, no java): its stdout must be exactly one JSON line holding the report — for a run that ends,
# for one stopped by its deadline, and for one stopped by SIGTERM (the kubelet deleting the pod).
# Then collect.sh against a stand-in kubectl that serves those logs: one pod with a report, one without.
# usage: fleet/k8s/test-pod-scripts.sh [BUNDLE.tar.gz]
set -euo pipefail
cd "$(dirname "$0")/../.."
tarball=${1:-$(ls fleet/target/ctxprobe-*-linux-x86_64.tar.gz 2>/dev/null | sort | tail -n 1)}
[ -n "$tarball" ] && [ -f "$tarball" ] || { echo "test-pod-scripts: no bundle; run 'make bundle' first" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "test-pod-scripts: FAILED: $*" >&2; exit 1; }
pass=0
tar -xzf "$tarball" -C "$work"
mkdir -p "$work/path" "$work/pod-tmp"
ln -s "$(echo "$work"/ctxprobe-*/bin/ctxprobe)" "$work/path/ctxprobe"
for t in uname readlink timeout tr sleep mkdir chmod rm; do ln -s "$(command -v "$t")" "$work/path/$t"; done
pod=(env -i "PATH=$work/path" "HOME=$work" "TMPDIR=$work/pod-tmp")

one_line_report() { # $1 = stdout file, $2 = what; checks it and prints the case count
  python3 - "$1" "$2" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, "%s: stdout has %d lines, not one" % (sys.argv[2], len(lines))
r = json.loads(lines[0])
assert r["schema"].startswith("ctxprobe-report/") and len(r["host"]["hostKey"]) == 16, sys.argv[2]
print("%d cases, interrupted=%s" % (len(r["results"]), r["run"]["interrupted"]))
PY
}

rc=0; "${pod[@]}" fleet/k8s/entrypoint.sh syscall.null --quick > "$work/out1" 2> "$work/err1" || rc=$?
[ "$rc" = 0 ] || { tail "$work/err1" >&2; fail "a run that ends: exit $rc"; }
n=$(one_line_report "$work/out1" "a run that ends") || fail "a run that ends: $n"
grep -q 'syscall.null' "$work/err1" || fail "the table should go to stderr"
pass=$((pass + 1)); echo "test-pod-scripts: ok: a run that ends: one JSON line on stdout ($n), the table on stderr"

# The full (not --quick) thread and process suites take minutes: 20 s is their deadline, well past
# the JVM's start and the host facts (a signal before the run begins leaves nothing to report).
rc=0; "${pod[@]}" CTXPROBE_DEADLINE_S=20 fleet/k8s/entrypoint.sh 'thread.*' 'process.*' \
    > "$work/out2" 2> "$work/err2" || rc=$?
[ "$rc" = 0 ] || { tail "$work/err2" >&2; fail "a run past its deadline: exit $rc"; }
n=$(one_line_report "$work/out2" "a run past its deadline") || fail "$n"
case $n in *interrupted=True) ;; *) fail "a run past its deadline should give a partial report: $n" ;; esac
pass=$((pass + 1)); echo "test-pod-scripts: ok: a run past its deadline: its partial report, one line ($n)"

"${pod[@]}" fleet/k8s/entrypoint.sh 'thread.*' 'process.*' --quick > "$work/out3" 2> "$work/err3" &
sh_pid=$!
# SIGTERM once the run is measuring: its runner thread ("ctxprobe-runner") exists only after the
# signal handling is set up. (Its start line is printed only to a terminal, so the console says nothing.)
measuring() {
  local comm pid
  for comm in /proc/[0-9]*/task/*/comm; do
    [ "$(cat "$comm" 2>/dev/null)" = ctxprobe-runner ] || continue
    pid=${comm#/proc/}; pid=${pid%%/*}
    tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$work" && return 0
  done
  return 1
}
for _ in $(seq 600); do measuring && break; sleep 0.2; done
measuring || fail "a pod deleted (SIGTERM): the run never started measuring"
sleep 2
kill -TERM "$sh_pid"
rc=0; wait "$sh_pid" || rc=$?
[ "$rc" = 0 ] || { tail "$work/err3" >&2; fail "a pod deleted (SIGTERM): exit $rc"; }
n=$(one_line_report "$work/out3" "a pod deleted (SIGTERM)") || fail "$n"
pass=$((pass + 1)); echo "test-pod-scripts: ok: a pod deleted (SIGTERM): its partial report, one line ($n)"
[ -z "$(ls -A "$work/pod-tmp")" ] || fail "the entry point left files in TMPDIR: $(ls -A "$work/pod-tmp")"
pass=$((pass + 1)); echo "test-pod-scripts: ok: nothing left in the pod's TMPDIR"
# collect.sh: kubectl stands in, answering 'get pods' with two pods and 'logs' with what the entry
# point printed (stderr and the JSON line, as kubectl logs merges them) or a crash.
mkdir -p "$work/kubectl-bin" "$work/collected"
cat "$work/err1" "$work/out1" > "$work/pod-a.log"
cat > "$work/kubectl-bin/kubectl" <<KUBECTL
#!/bin/sh
case "\$1" in
  get) printf 'ctxprobe-fleet-0-aaaaa node-a Succeeded\nctxprobe-fleet-1-bbbbb node-b Failed\n' ;;
  logs) if [ "\$2" = ctxprobe-fleet-0-aaaaa ]; then cat "$work/pod-a.log"; else echo 'Error: OOMKilled "exit 137"'; fi ;;
esac
KUBECTL
chmod +x "$work/kubectl-bin/kubectl"
PATH="$work/kubectl-bin:$PATH" CTXPROBE="$work/path/ctxprobe" fleet/k8s/collect.sh job "$work/collected" > "$work/collect.out" 2>&1 \
    || { cat "$work/collect.out" >&2; fail "collect.sh exited non-zero"; }
python3 - "$work/collected" <<'PY' || fail "collect.sh did not file one report and one failure"
import csv, glob, json, os, sys
d = sys.argv[1]
reports = glob.glob(os.path.join(d, "fleet-reports", "[0-9a-f]" * 16 + ".json"))
failures = glob.glob(os.path.join(d, "fleet-reports", "failed-*.json"))
assert len(reports) == 1 and len(failures) == 1, (reports, failures)
f = json.load(open(failures[0]))
assert f["host"] == "node-b" and "OOMKilled" in f["reason"], f
rows = list(csv.DictReader(open(os.path.join(d, "fleet.csv"))))
assert [r["hostname"] for r in rows if r["status"] == "run"] == ["node-b"], rows[-1]
assert "node-b" in open(os.path.join(d, "fleet.html")).read()
PY
pass=$((pass + 1)); echo "test-pod-scripts: ok: collect.sh files each pod's JSON line as <host key>.json, a pod without one as a failure, and makes the fleet view"
echo "$pass passed, 0 failed"
