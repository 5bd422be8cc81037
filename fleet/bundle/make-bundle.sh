#!/usr/bin/env bash
# make bundle: one tarball that runs ctxprobe on a Linux x86-64 host with nothing installed but glibc.
#   runtime/   a Java runtime made by jlink with only the modules jdeps finds in the CLI jar
#   lib/ctxprobe.jar          the shaded CLI jar (core, probes, cli and their libraries)
#   lib/native/               libctxprobe.so and ctxprobe-helper, the very bytes packed in the jar
#                             (the run loads the jar's copies through its verified private directory;
#                             these are here to inspect, e.g. ldd or sha256sum)
#   bin/ctxprobe              the launcher; MODULES, VERSION and SHA256SUMS beside it
# x86-64 only: jlink links the runtime of the JDK it runs from, and this machine's JDK is x86-64.
# usage: fleet/bundle/make-bundle.sh [OUT_DIR]   (default fleet/target); prints the tarball's path last.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-fleet/target}
jar=cli/target/ctxprobe.jar
[ -f "$jar" ] || { echo "make-bundle: $jar is missing; run 'make build' first" >&2; exit 2; }
[ "$(uname -m)" = x86_64 ] || { echo "make-bundle: builds the x86-64 bundle only; this host is $(uname -m)" >&2; exit 2; }
jdk=$(scripts/find-jdk.sh) || exit 2
for tool in jdeps jlink; do [ -x "$jdk/bin/$tool" ] || { echo "make-bundle: $jdk has no bin/$tool" >&2; exit 2; }; done

version=$(unzip -p "$jar" META-INF/maven/io.ctxprobe/ctxprobe-cli/pom.properties | sed -n 's/^version=//p' | tr -d '\r')
[ -n "$version" ] || { echo "make-bundle: no version in $jar" >&2; exit 2; }
name="ctxprobe-$version-linux-x86_64"
mkdir -p "$out"
stage=$(mktemp -d "$out/.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
root="$stage/$name"
mkdir -p "$root/bin" "$root/lib/native"

# The modules: what jdeps reads off the jar's classes (every library inside it included), nothing more.
modules=$("$jdk/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 25 "$jar")
[ -n "$modules" ] || { echo "make-bundle: jdeps found no modules in $jar" >&2; exit 1; }
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=zip-6 \
    --output "$root/runtime"
# No class-data-sharing archive (java -Xshare:dump): it saves about 0.15 s per JVM start here and
# costs 14 MiB, which would take the unpacked bundle past 80 MiB.

cp "$jar" "$root/lib/ctxprobe.jar"
for f in libctxprobe.so ctxprobe-helper; do
  unzip -p "$jar" "io/ctxprobe/native/linux-x86_64/$f" > "$root/lib/native/$f"
  [ -s "$root/lib/native/$f" ] || { echo "make-bundle: $jar packs no linux-x86_64/$f" >&2; exit 1; }
done
chmod 0755 "$root/lib/native/ctxprobe-helper"
chmod 0644 "$root/lib/native/libctxprobe.so"
install -m 0755 fleet/bundle/ctxprobe.sh "$root/bin/ctxprobe"
echo "$modules" | tr ',' '\n' > "$root/MODULES"
{ echo "ctxprobe $version"; echo "commit $(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)";
  "$root/runtime/bin/java" -version 2>&1 | head -n 1 | sed 's/^/runtime /'; } > "$root/VERSION"
(cd "$root" && find bin lib MODULES VERSION -type f -print0 | sort -z | xargs -0 sha256sum > SHA256SUMS)

tarball="$out/$name.tar.gz"
# Same inputs, same bytes: sorted names, root-owned, one timestamp (the commit's).
stamp=$(git log -1 --format=%ct 2>/dev/null || echo 0)
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$stamp" -C "$stage" -cf - "$name" | gzip -n -6 > "$tarball.part"
mv "$tarball.part" "$tarball"
unpacked=$(du -sk "$root" | cut -f1)
echo "make-bundle: modules $modules"
echo "make-bundle: $(( $(stat -c %s "$tarball") / 1024 / 1024 )) MiB packed ($(stat -c %s "$tarball") bytes), $(( unpacked / 1024 )) MiB unpacked"
echo "$tarball"
