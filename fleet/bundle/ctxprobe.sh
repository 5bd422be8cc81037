#!/bin/sh
# ctxprobe, self-contained: the Java runtime beside this script (runtime/, jlink'd with only the
# modules ctxprobe needs), the CLI jar (lib/ctxprobe.jar, which packs libctxprobe.so and
# ctxprobe-helper). Needs nothing on the host but glibc: no java on PATH, no JAVA_HOME.
# CTXPROBE_JAVA_OPTS: extra JVM options, split at blanks and never glob-expanded.
self=$0
# Followed through symlinks (/usr/local/bin/ctxprobe -> .../bin/ctxprobe) when readlink is there.
if command -v readlink >/dev/null 2>&1; then self=$(readlink -f -- "$0" 2>/dev/null || echo "$0"); fi
case $self in */*) bin=${self%/*} ;; *) bin=. ;; esac
home=$(cd -P -- "$bin/.." && pwd) || exit 2
os=$(uname -s 2>/dev/null || echo unknown); arch=$(uname -m 2>/dev/null || echo unknown)
if [ "$os" != Linux ] || [ "$arch" != x86_64 ]; then
  echo "ctxprobe: this bundle runs on Linux x86-64 only; this host is $os $arch" >&2
  exit 2
fi
java="$home/runtime/bin/java"
jar="$home/lib/ctxprobe.jar"
if [ ! -x "$java" ] || [ ! -f "$jar" ]; then
  echo "ctxprobe: the bundle at $home is incomplete (needs runtime/bin/java and lib/ctxprobe.jar); unpack it again" >&2
  exit 2
fi
set -f
# shellcheck disable=SC2086
exec "$java" --enable-native-access=ALL-UNNAMED "-XX:ErrorFile=${TMPDIR:-/tmp}/ctxprobe-hs_err_pid%p.log" \
  $CTXPROBE_JAVA_OPTS -jar "$jar" "$@"
