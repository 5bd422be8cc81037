#!/bin/sh
# The ctxprobe image's entry point: runs `ctxprobe run ARGS...` with a deadline and prints the report
# to standard output as ONE JSON line, everything else (the table, progress) to standard error.
# Collect it with `kubectl logs POD | grep '^{'` (fleet/k8s/collect.sh does that for every pod).
#   CTXPROBE_DEADLINE_S  seconds before the run gets SIGTERM and writes a partial report (default 1800)
#   CTXPROBE_THEN        "exit" (a Job's pod: default) or "sleep" (a DaemonSet's pod: stay, so the
#                        log stays and the pod is not restarted)
# Exit: 0 when a report was printed (complete, or partial at the deadline); ctxprobe's code otherwise.
set -u
work=${TMPDIR:-/tmp}/ctxprobe-pod
mkdir -p "$work/native" "$work/tmp" && chmod 0700 "$work" "$work/native" "$work/tmp" || exit 1
export CTXPROBE_NATIVE_DIR="$work/native"
# The run lock lives with the pod (its /run/lock is the container's own, often read-only): one pod
# per node is what the Job's anti-affinity and the DaemonSet guarantee instead.
export CTXPROBE_JAVA_OPTS="-Djava.io.tmpdir=$work/tmp -Dctxprobe.lock.file=$work/ctxprobe.lock ${CTXPROBE_JAVA_OPTS:-}"
report="$work/report.json"
rm -f "$report"

timeout --signal=TERM --kill-after=30 "${CTXPROBE_DEADLINE_S:-1800}" ctxprobe run "$@" --json "$report" >&2 &
pid=$!
# The kubelet stops a pod with SIGTERM: pass it on (timeout forwards it to ctxprobe, whose shutdown
# hook then writes a partial report). SIGINT would not do: a background job of sh ignores it.
trap 'kill -TERM "$pid" 2>/dev/null' TERM INT
wait "$pid"; rc=$?
while kill -0 "$pid" 2>/dev/null; do wait "$pid"; rc=$?; done   # a trapped signal ends the first wait early

printed=1
if [ -s "$report" ]; then
  # Pretty-printed JSON has line breaks only between tokens (never inside a string): drop them.
  tr -d '\n' < "$report"; echo
  printed=0
fi
rm -rf "$work"
if [ "${CTXPROBE_THEN:-exit}" = sleep ]; then
  echo "ctxprobe-entrypoint: done (exit $rc); sleeping so the log stays: delete the DaemonSet when collected" >&2
  exec sleep infinity
fi
[ "$printed" = 0 ] && exit 0
exit "$rc"
