#!/usr/bin/env bash
# The bundle test: unpack the tarball into an empty directory and run it as a bare host would —
# no java on PATH, no JAVA_HOME, a fresh HOME — then check the report it wrote.
# usage: fleet/bundle/test-bundle.sh [TARBALL]   (default: the one make-bundle.sh made in fleet/target)
set -euo pipefail
cd "$(dirname "$0")/../.."
tarball=${1:-$(ls -t fleet/target/ctxprobe-*-linux-x86_64.tar.gz 2>/dev/null | head -n 1)}
[ -n "$tarball" ] && [ -f "$tarball" ] || { echo "test-bundle: no bundle; run 'make bundle' first" >&2; exit 2; }
tarball=$(realpath "$tarball")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "test-bundle: FAILED: $*" >&2; exit 1; }
pass=0
ok() { pass=$((pass + 1)); echo "test-bundle: ok: $*"; }

mkdir "$work/unpacked"
tar -xzf "$tarball" -C "$work/unpacked"
[ "$(ls "$work/unpacked" | wc -l)" = 1 ] || fail "the tarball should hold one top directory"
home=$(echo "$work"/unpacked/*)
(cd "$home" && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not match the unpacked files"
ok "unpacked $(basename "$tarball") ($(du -sm "$tarball" | cut -f1) MiB packed, $(du -sm "$home" | cut -f1) MiB unpacked); SHA256SUMS match"

# The loose native files are the very ones the jar packs (and the run extracts and verifies).
for f in libctxprobe.so ctxprobe-helper; do
  a=$(sha256sum < "$home/lib/native/$f" | cut -d' ' -f1)
  b=$(unzip -p "$home/lib/ctxprobe.jar" "io/ctxprobe/native/linux-x86_64/$f" | sha256sum | cut -d' ' -f1)
  [ "$a" = "$b" ] || fail "lib/native/$f differs from the copy in lib/ctxprobe.jar"
done
ok "lib/native/{libctxprobe.so,ctxprobe-helper} equal the jar's copies"

# Every ELF file needs only glibc or the bundle's own libraries — except AWT's X11/ALSA front ends,
# which the JVM loads only to open a window or play a sound (java.desktop is in the runtime because
# Jackson, JNA and OSHI reference it; ctxprobe runs headless).
glibc='^(libc|libm|libdl|libpthread|librt|ld-linux-x86-64)\.so\.[0-9]+$'
gui='^(libawt_xawt|libsplashscreen|libjawt|libjsound)\.so$'
while IFS= read -r -d '' f; do
  head -c 4 "$f" | grep -q ELF || continue
  base=$(basename "$f")
  [[ $base =~ $gui ]] && continue
  while read -r lib; do
    [[ $lib =~ $glibc ]] && continue
    [ -n "$(find "$home" -name "$lib" -print -quit)" ] && continue
    fail "$f needs $lib, which is neither glibc nor in the bundle"
  done < <(readelf -d "$f" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p')
done < <(find "$home" -type f -print0)
ok "every ELF file needs only glibc and the bundle's own libraries (AWT's window/sound libraries aside)"

# A PATH with no java: only the two tools the launcher calls. JAVA_HOME unset (env -i).
mkdir -p "$work/path" "$work/home" "$work/native" "$work/tmp"
chmod 0700 "$work/native"
for t in uname readlink; do ln -s "$(command -v "$t")" "$work/path/$t"; done
ln -s "$home/bin/ctxprobe" "$work/path/ctxprobe"   # and reached through a symlink, as from /usr/local/bin
bare=(env -i "PATH=$work/path" "HOME=$work/home" "CTXPROBE_NATIVE_DIR=$work/native"
      "CTXPROBE_JAVA_OPTS=-Djava.io.tmpdir=$work/tmp")
if "${bare[@]}" /bin/sh -c 'command -v java' >/dev/null; then fail "the test PATH has a java"; fi
ok "the test PATH has no java and JAVA_HOME is unset"

# A short probe set that uses the parts a run needs: libctxprobe.so (syscall.null's C loop,
# fiber.switch's assembly), a child JVM of the bundle's own runtime with JFR (blocking's
# virtual-thread cases), the run lock and the report writer. (ctxprobe-helper runs only in
# process.create's helper cases; its bytes are checked above.)
started=$(date +%s)
"${bare[@]}" ctxprobe run syscall.null fiber.switch blocking --quick --json "$work/report.json" \
    > "$work/run.out" 2>&1 || { tail -n 30 "$work/run.out" >&2; fail "ctxprobe run exited $?"; }
ok "ctxprobe run from the bundle: exit 0 in $(( $(date +%s) - started )) s"
python3 - "$work/report.json" <<'PY' || fail "the report does not hold what the run measured"
import json, re, sys
r = json.load(open(sys.argv[1]))
assert r["schema"].startswith("ctxprobe-report/"), r["schema"]
assert re.fullmatch(r"[0-9a-f]{16}", r["host"]["hostKey"]), r["host"]["hostKey"]
assert r["run"]["jvm"]["version"].startswith("25"), r["run"]["jvm"]
by = {c["probe"] + "/" + c["case"]: c for c in r["results"]}
for probe in ("syscall.null", "fiber.switch", "blocking"):
    assert any(k.startswith(probe + "/") for k in by), "no case of " + probe
loop = by["syscall.null/c-loop"]
assert loop["status"] in ("ok", "flagged"), loop["status"]
assert loop["stats"]["median"] > 0 and loop["stats"]["n"] >= 3, loop["stats"]
child = [c for k, c in by.items() if k.startswith("blocking/vthreads/")]
assert child and all(c["status"] != "failed" for c in child), [(c["case"], c["status"], c.get("reason")) for c in child]
print("test-bundle: report: %d cases, host key %s, syscall.null/c-loop median %.1f %s"
      % (len(by), r["host"]["hostKey"], loop["stats"]["median"], loop["unit"]))
PY
ok "the report holds every probe asked for, a measured C loop and the child JVM's cases"
"${bare[@]}" ctxprobe report "$work/report.json" --html "$work/report.html" --csv "$work/report.csv" > /dev/null
grep -q '<svg' "$work/report.html" && [ "$(wc -l < "$work/report.csv")" -gt 3 ] || fail "ctxprobe report wrote no HTML/CSV"
ok "ctxprobe report from the bundle writes HTML and CSV"
[ -z "$(ls -A "$work/tmp")" ] || fail "the run left files in its temporary directory: $(ls -A "$work/tmp")"
ok "nothing left in the run's temporary directory"
echo "$pass passed, 0 failed"
