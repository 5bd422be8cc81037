#!/bin/sh
# Prints the home of a JDK >= 25 (javac included), or explains what to install and exits 1
# (exit 2 when CTXPROBE_JAVA_HOME names something that is not one).
# One script for the Makefile and the ./ctxprobe launcher. A candidate is judged by its
# `release` file (JAVA_VERSION=), never by its directory name: /usr/lib/jvm/openjdk-17 holds only src.zip.
want=25

major_of() { # $1 = JDK home; prints the feature version from its release file, or nothing
  [ -r "$1/release" ] || return 0
  v=$(sed -n 's/^JAVA_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$1/release" | head -n 1)
  case "$v" in 1.*) v=${v#1.} ;; esac
  echo "${v%%[!0-9]*}"
}

usable() { # $1 = candidate home: a JDK (java and javac) of at least $want
  [ -n "$1" ] && [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  m=$(major_of "$1")
  [ -n "$m" ] && [ "$m" -ge "$want" ]
}

# A JDK named on purpose is used or refused, never silently replaced by another one.
if [ -n "${CTXPROBE_JAVA_HOME:-}" ]; then
  if usable "$CTXPROBE_JAVA_HOME"; then echo "$CTXPROBE_JAVA_HOME"; exit 0; fi
  echo "ctxprobe: CTXPROBE_JAVA_HOME=$CTXPROBE_JAVA_HOME is not a JDK >= $want (needs bin/java, bin/javac and a release file saying JAVA_VERSION >= $want); unset it to let ctxprobe find one" >&2
  exit 2
fi
for c in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
  if usable "$c"; then echo "$c"; exit 0; fi
done
javac_path=$(command -v javac 2>/dev/null) && {
  h=$(dirname "$(dirname "$(readlink -f "$javac_path")")")
  if usable "$h"; then echo "$h"; exit 0; fi
}
echo "ctxprobe needs a JDK >= $want and found none (looked at \$CTXPROBE_JAVA_HOME, \$JAVA_HOME, /usr/lib/jvm/*, /opt, javac on PATH)." >&2
echo "Install one, e.g. 'apt-get install temurin-25-jdk' (Adoptium repository) or 'apt-get install openjdk-25-jdk', or set JAVA_HOME." >&2
exit 1
