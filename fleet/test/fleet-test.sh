#!/usr/bin/env bash
# make fleet-test: the Ansible playbook run for real against three hosts made on this machine, plus
# one address where nothing listens. Each host is a network + mount + UTS namespace with its own
# hostname, its own /etc/machine-id (bind-mounted in its mount namespace, so its own host key), a
# private /tmp (tmpfs), and its own sshd (Debian's openssh-server) on its own address, 10.200.N.2,
# reached over a veth pair from 10.200.N.1. Traffic goes only to those addresses. Debian's
# ansible-core drives them one after another; the fleet page must list three distinct host keys and
# one unreachable host. Everything made here — namespaces, sshd processes, keys, mounts, veths —
# is removed on exit, on failure too.
#
# The run lock: /run/lock is NOT made private. The namespace hosts share this machine's CPUs, so a
# run on one of them must wait for a run on another (or on the machine itself): one lock file for
# all of them is the truth here. Their private /tmp holds what each run writes.
#
# Needs root. Bounded: each ctxprobe run has a 90 s deadline, the playbook 300 s.
# usage: fleet/test/fleet-test.sh [BUNDLE.tar.gz]   (results also copied to fleet/target/fleet-test/)
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
say() { echo "fleet-test: $*"; }
die() { echo "fleet-test: FAILED: $*" >&2; exit 1; }
passed=0
ok() { passed=$((passed + 1)); say "ok: $*"; }

if [ "$(id -u)" -ne 0 ]; then
  echo "fleet-test: needs root: it makes network and mount namespaces, veth pairs and bind mounts, and runs sshd; run it as root (sudo make fleet-test)" >&2
  exit 2
fi
bundle=${1:-$(ls fleet/target/ctxprobe-*-linux-x86_64.tar.gz 2>/dev/null | sort | tail -n 1)}
[ -n "$bundle" ] && [ -f "$bundle" ] || { echo "fleet-test: no bundle; run 'make bundle' first" >&2; exit 2; }
bundle=$(realpath "$bundle")
started=$(date +%s)

# Debian's packages, installed when missing. No service may start while installing (openssh-server
# would otherwise start a system sshd on every address): a policy-rc.d says no, only for the install.
need=()
command -v ansible-playbook >/dev/null || need+=(ansible-core)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh >/dev/null || need+=(openssh-client)
command -v ip >/dev/null || need+=(iproute2)
command -v unshare >/dev/null && command -v nsenter >/dev/null || need+=(util-linux)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  made_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  [ -z "$made_policy" ] || rm -f /usr/sbin/policy-rc.d
fi

net=${CTXPROBE_FLEET_NET:-10.200}
if ip -4 addr show | grep -q "inet $net\." || ip -4 route show | grep -q "^$net\."; then
  die "$net.0.0/16 is already in use on this machine; set CTXPROBE_FLEET_NET to another private /16 prefix (e.g. 10.201)"
fi

tag=$$
work=$(mktemp -d /run/ctxprobe-fleet-test.XXXXXX)   # not under /tmp: each host's /tmp is replaced
hosts=(1 2 3)
dead=4                       # a namespace with an address and nothing listening on it
created_run_sshd= created_machine_id=
ns_name() { echo "ctxfleet-$tag-$1"; }

cleanup() {
  local rc=$? n pids left=()
  set +e
  for n in "${hosts[@]}" "$dead"; do
    ip netns list 2>/dev/null | grep -qw "$(ns_name "$n")" || continue
    pids=$(ip netns pids "$(ns_name "$n")" 2>/dev/null)   # sshd and its sessions: only this namespace's processes
    [ -n "$pids" ] && kill $pids 2>/dev/null
    for _ in $(seq 25); do [ -z "$(ip netns pids "$(ns_name "$n")" 2>/dev/null)" ] && break; sleep 0.2; done
    pids=$(ip netns pids "$(ns_name "$n")" 2>/dev/null); [ -n "$pids" ] && kill -9 $pids 2>/dev/null && sleep 0.2
    ip netns del "$(ns_name "$n")" 2>/dev/null          # its veth pair goes with it
    ip link del "cxf$n-$tag" 2>/dev/null
  done
  # The mounts (machine-id, /tmp) lived in the sshd processes' own mount namespaces: gone with them.
  [ -n "$created_run_sshd" ] && rmdir /run/sshd 2>/dev/null
  [ -n "$created_machine_id" ] && rm -f /etc/machine-id
  for n in "${hosts[@]}"; do
    [ -f "$work/h$n/pid" ] && kill -0 "$(cat "$work/h$n/pid")" 2>/dev/null && left+=("sshd of fleet-h$n")
  done
  ip netns list 2>/dev/null | grep -q "ctxfleet-$tag-" && left+=("namespaces")
  ip -br link 2>/dev/null | grep -q -- "-$tag" && left+=("veth pairs")
  rm -rf "$work"
  [ -e "$work" ] && left+=("$work")
  if [ ${#left[@]} -eq 0 ]; then
    ok "removed the namespaces, sshd processes, keys, mounts and veth pairs it made"
  else
    echo "fleet-test: FAILED: left behind: ${left[*]}" >&2; rc=1
  fi
  echo "fleet-test: $passed passed, $([ "$rc" = 0 ] && echo 0 || echo 1) failed"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# sshd needs its privilege-separation directory; the machine-id bind mount needs a file to cover.
[ -d /run/sshd ] || { mkdir -m 0755 /run/sshd; created_run_sshd=1; }
[ -e /etc/machine-id ] || { : > /etc/machine-id; created_machine_id=1; }

ssh-keygen -q -t ed25519 -N '' -C "ctxprobe-fleet-test-$tag" -f "$work/id_ed25519"
cp "$work/id_ed25519.pub" "$work/authorized_keys"
: > "$work/known_hosts"
chmod 0600 "$work/authorized_keys"

make_ns() { # $1 = N: namespace, veth pair, 10.200.N.1 here and 10.200.N.2 there
  local n=$1 ns; ns=$(ns_name "$n")
  ip netns add "$ns"
  ip link add "cxf$n-$tag" type veth peer name "cxp$n-$tag"
  ip link set "cxp$n-$tag" netns "$ns"
  ip addr add "$net.$n.1/24" dev "cxf$n-$tag"
  ip link set "cxf$n-$tag" up
  ip -n "$ns" link set lo up
  ip -n "$ns" link set "cxp$n-$tag" name eth0
  ip -n "$ns" addr add "$net.$n.2/24" dev eth0
  ip -n "$ns" link set eth0 up
}

start_host() { # $1 = N: hostname, machine-id, private /tmp and sshd inside namespace N
  local n=$1 d="$work/h$1"
  mkdir -p "$d"
  ssh-keygen -q -t ed25519 -N '' -C "fleet-h$n" -f "$d/ssh_host_ed25519_key"
  od -An -N16 -tx1 /dev/urandom | tr -d ' \n' > "$d/machine-id"; echo >> "$d/machine-id"
  echo "$net.$n.2 $(cut -d' ' -f1,2 "$d/ssh_host_ed25519_key.pub")" >> "$work/known_hosts"
  cat > "$d/sshd_config" <<CFG
ListenAddress $net.$n.2:22
HostKey $d/ssh_host_ed25519_key
PidFile none
AuthorizedKeysFile $work/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
# The keys live in a root-only directory under /run, whose parents StrictModes would not look at
# the way it looks at a home directory; the test's own key is the only one.
StrictModes no
X11Forwarding no
PrintMotd no
Subsystem sftp internal-sftp
CFG
  # ip netns exec enters the network namespace; unshare adds the mount and UTS ones (mounts
  # private: nothing propagates back), then the shell sets them up and becomes sshd.
  ip netns exec "$(ns_name "$n")" unshare --mount --uts --propagation private -- /bin/sh -c "
      hostname fleet-h$n &&
      mount --bind '$d/machine-id' /etc/machine-id &&
      mount -t tmpfs -o mode=1777,size=512m fleet-tmp /tmp &&
      exec /usr/sbin/sshd -D -e -f '$d/sshd_config'" > "$d/sshd.log" 2>&1 &
  echo $! > "$d/pid"
}

for n in "${hosts[@]}" "$dead"; do make_ns "$n"; done
for n in "${hosts[@]}"; do start_host "$n"; done
for n in "${hosts[@]}"; do  # each sshd answers within 10 s, or the test stops here
  for i in $(seq 50); do
    timeout 1 bash -c "exec 3<>/dev/tcp/$net.$n.2/22" 2>/dev/null && break
    [ "$i" = 50 ] && { cat "$work/h$n/sshd.log" >&2; die "sshd in namespace $n did not listen on $net.$n.2:22"; }
    sleep 0.2
  done
done
ok "3 namespace hosts listening on $net.{1,2,3}.2:22, nothing on $net.$dead.2 ($(( $(date +%s) - started )) s)"

cat > "$work/inventory.ini" <<INV
[ctxprobe_fleet]
fleet-h1 ansible_host=$net.1.2
fleet-h2 ansible_host=$net.2.2
fleet-h3 ansible_host=$net.3.2
fleet-h4 ansible_host=$net.$dead.2

[ctxprobe_fleet:vars]
ansible_user=root
ansible_python_interpreter=/usr/bin/python3
INV
cat > "$work/ansible.cfg" <<CFG
[defaults]
inventory = $work/inventory.ini
private_key_file = $work/id_ed25519
host_key_checking = True
local_tmp = $work/ansible-local
remote_tmp = /tmp/.ansible-remote
retry_files_enabled = False
interpreter_python = /usr/bin/python3
stdout_callback = default
[ssh_connection]
ssh_args = -o UserKnownHostsFile=$work/known_hosts -o GlobalKnownHostsFile=/dev/null -o IdentitiesOnly=yes -o ConnectTimeout=5 -o ControlMaster=auto -o ControlPersist=30s -o BatchMode=yes
control_path_dir = $work/cp
CFG

out="$work/out"
mkdir -p "$out"
# A short probe set per host: the switch ladder's futex rungs, the null system call, fiber switches.
extra=$(cat <<JSON
{"ctxprobe_bundle": "$bundle", "ctxprobe_remote_dir": "/tmp/ctxprobe-fleet",
 "ctxprobe_probes": ["syscall.null", "fiber.switch", "thread.switch", "process.switch"],
 "ctxprobe_args": ["--quick", "--mechanism", "futex", "--placement", "same-core,cross-core", "--lock-wait", "60"],
 "ctxprobe_deadline_s": 90, "ctxprobe_reports_dir": "$out/fleet-reports", "ctxprobe_local": "$repo/ctxprobe",
 "ctxprobe_fleet_html": "$out/fleet.html", "ctxprobe_fleet_md": "$out/fleet.md", "ctxprobe_fleet_csv": "$out/fleet.csv"}
JSON
)
say "ansible-playbook fleet/ansible/playbook.yml (hosts one after another)"
set +e
ANSIBLE_CONFIG="$work/ansible.cfg" ANSIBLE_NOCOLOR=1 timeout 300 ansible-playbook fleet/ansible/playbook.yml -e "$extra" \
    > "$work/ansible.log" 2>&1
play_rc=$?
set -e
grep -E '^(PLAY RECAP|fleet-h|localhost)|"msg": "fleet-h|fleet:|HTML:' "$work/ansible.log" | sed 's/^/  /' || true
# ansible-playbook exits 4 when a host was unreachable, even when the play handled it; anything else but 0 is a failure.
if [ "$play_rc" != 0 ] && [ "$play_rc" != 4 ]; then tail -n 60 "$work/ansible.log" >&2; die "ansible-playbook exited $play_rc"; fi
ok "ansible-playbook exit $play_rc in $(( $(date +%s) - started )) s since the start"

# What each host kept: nothing of the run (the role removed its directory) in its private /tmp.
for n in "${hosts[@]}"; do
  left=$(nsenter -t "$(cat "$work/h$n/pid")" -m ls -A /tmp/ctxprobe-fleet 2>/dev/null || true)
  [ -z "$left" ] || die "fleet-h$n still has /tmp/ctxprobe-fleet: $left"
done
ok "the role left nothing in the hosts' /tmp/ctxprobe-fleet"

python3 - "$out" "$net.$dead.2" <<'PY' || { tail -n 60 "$work/ansible.log" >&2; die "the fleet view is not what three hosts and one dead address give"; }
import csv, glob, json, os, re, sys
out, dead = sys.argv[1], sys.argv[2]
reports = sorted(glob.glob(os.path.join(out, "fleet-reports", "[0-9a-f]" * 16 + ".json")))
failures = sorted(glob.glob(os.path.join(out, "fleet-reports", "failed-*.json")))
keys = {}
for p in reports:
    r = json.load(open(p))
    key = r["host"]["hostKey"]
    assert os.path.basename(p) == key + ".json", (p, key)
    keys[key] = r["host"]["hostname"]
    assert any(c["probe"] == "syscall.null" and c.get("stats") for c in r["results"]), p + ": no measured syscall.null"
assert sorted(keys.values()) == ["fleet-h1", "fleet-h2", "fleet-h3"], keys
assert len(keys) == 3, "three distinct host keys: %s" % keys
assert len(failures) == 1, failures
f = json.load(open(failures[0]))
assert f["schema"] == "ctxprobe-fleet-failure/1" and f["host"] == "fleet-h4" and f["stage"] == "unreachable", f
assert f["address"] == dead, f
html = open(os.path.join(out, "fleet.html")).read()
for k in keys: assert k in html, "host key %s on the page" % k
assert "fleet-h4" in html and "unreachable" in html and dead in html, "the unreachable host on the page"
assert "3 hosts measured (3 host keys" in html and "1 not measured" in html
rows = list(csv.DictReader(open(os.path.join(out, "fleet.csv"))))
assert {r["host_key"] for r in rows if r["host_key"]} == set(keys)
assert [r["hostname"] for r in rows if r["status"] == "unreachable"] == ["fleet-h4"]
md = open(os.path.join(out, "fleet.md")).read()
assert "## ctxprobe fleet" in md and "fleet-h4" in md
print("fleet-test: fleet view: host keys %s; unreachable: fleet-h4 (%s): %s"
      % (", ".join("%s=%s" % (v, k) for k, v in sorted(keys.items(), key=lambda kv: kv[1])), dead, f["reason"]))
PY
ok "the fleet page, Markdown and CSV list three distinct host keys and one unreachable host"

mkdir -p fleet/target/fleet-test
rm -rf fleet/target/fleet-test/*
cp -r "$out"/. fleet/target/fleet-test/
cp "$work/ansible.log" fleet/target/fleet-test/
say "fleet page, Markdown, CSV, reports and the Ansible log in fleet/target/fleet-test/"
say "$(( $(date +%s) - started )) s in all"
