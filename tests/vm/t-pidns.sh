#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Namespaces: what a caller in a container sees.  The policy
# (docs/design.md, "Namespaces"):
#   - pids in requests and replies are those of the caller's pid
#     namespace; processes it cannot see are neither listed nor found
#     (ESRCH), and their sockets are not listed;
#   - exit records and events carry the initial namespace's pids and are
#     offered there only: `knmt exits` is empty in a container, `knmt
#     watch` refuses, `knmt status` tells the depth (pidns_level);
#   - the family lives in the initial network namespace only: from
#     another one the module is not found.
# Checked from a child pid namespace (unshare --pid --fork --mount-proc)
# against the namespace's own /proc and the host's view of the same
# processes.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_knmt
require_cmd unshare
require_cmd python3

work=$(mktemp -d /tmp/knmt-pidns.XXXXXX)
host_pids=()
cleanup() {
	knmt config clear-filter >/dev/null 2>&1 || true
	touch "$work/stop"
	kill "${host_pids[@]}" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

# A host process with a listening socket: the container must not see it.
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
time.sleep(600)' "$work/host.port" &
host_pids+=($!)
host_listener=$!

# The container: a holder with 32 MiB of anonymous memory and a
# listener, then the checks, run from inside.  Results go to $work.
cat >"$work/inside.sh" <<'EOF'
set -u
w=$1
python3 -c '
import mmap, os, socket, sys, time
m = mmap.mmap(-1, 32 << 20)
for i in range(0, 32 << 20, 4096):
    m[i] = 1
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
open(sys.argv[1] + "/holder.port", "w").write(str(s.getsockname()[1]))
open(sys.argv[1] + "/holder.ready", "w").write(str(os.getpid()))
while not os.path.exists(sys.argv[1] + "/stop"):
    time.sleep(0.1)' "$w" &
holder=$!
for _ in $(seq 100); do [ -e "$w/holder.ready" ] && break; sleep 0.1; done
echo "$holder" >"$w/in.holder"
ls /proc | grep -E '^[0-9]+$' | sort -n >"$w/in.procs"
# A short-lived child, so that the container has an exit to (not) see.
sh -c 'exit 7'
knmt status --json >"$w/in.status" 2>"$w/in.status.err"; echo $? >"$w/in.status.rc"
knmt summary --json >"$w/in.summary" 2>"$w/in.summary.err"; echo $? >"$w/in.summary.rc"
knmt summary -p "$holder" --json >"$w/in.proc" 2>"$w/in.proc.err"; echo $? >"$w/in.proc.rc"
knmt regions -p "$holder" --json >"$w/in.regions" 2>"$w/in.regions.err"; echo $? >"$w/in.regions.rc"
knmt sockets --json >"$w/in.sockets" 2>"$w/in.sockets.err"; echo $? >"$w/in.sockets.rc"
knmt exits --json >"$w/in.exits" 2>"$w/in.exits.err"; echo $? >"$w/in.exits.rc"
knmt summary -p "$(cat "$w/outside.pid")" >"$w/in.outside" 2>"$w/in.outside.err"; echo $? >"$w/in.outside.rc"
knmt watch --count 1 --duration 2s >"$w/in.watch" 2>"$w/in.watch.err"; echo $? >"$w/in.watch.rc"
# The host takes its own view now, before the filter below narrows it.
touch "$w/reads.done"
while [ ! -e "$w/host.done" ]; do sleep 0.1; done
knmt config set filter_pid="$holder" >/dev/null 2>"$w/in.config.err"; echo $? >"$w/in.config.rc"
knmt config --json >"$w/in.config" 2>>"$w/in.config.err"
touch "$w/inside.done"
# Stay until the host has looked.
while [ ! -e "$w/stop" ]; do sleep 0.1; done
wait
EOF

# A pid that exists on the host but (almost surely) not in the container,
# whose pids start at 1: the host listener's.
echo "$host_listener" >"$work/outside.pid"
unshare --pid --fork --mount-proc bash "$work/inside.sh" "$work" &
host_pids+=($!)
# wait_for FILE: up to 60 s.
wait_for() {
	local _
	for _ in $(seq 600); do
		[[ -e $1 ]] && return 0
		sleep 0.1
	done
	fail "the container did not get to ${1##*/}"
}
wait_for "$work/reads.done"

# The holder as the host sees it: the python child of the unshare'd bash.
holder_ns=$(<"$work/in.holder")
holder_host=
for p in $(pgrep -f "holder.ready"); do
	ns=$(awk '/^NSpid:/ { print $NF }' "/proc/$p/status")
	[[ $ns == "$holder_ns" ]] && holder_host=$p
done
[[ -n $holder_host ]] || fail "cannot find the holder (container pid $holder_ns) on the host"
[[ $holder_host != "$holder_ns" ]] || fail "the holder has the same pid on the host ($holder_host): the namespace did not take"
knmt summary --json >"$work/host.summary" || fail "knmt summary on the host failed"
knmt exits --json >"$work/host.exits" || fail "knmt exits on the host failed"
touch "$work/host.done"
wait_for "$work/inside.done"
knmt config --json >"$work/host.config" || fail "knmt config on the host failed"

for f in status summary proc regions sockets exits config; do
	[[ $(<"$work/in.$f.rc") == 0 ]] ||
		fail "knmt $f in the container exited $(<"$work/in.$f.rc"): $(<"$work/in.$f.err")"
done

python3 - "$work" "$holder_ns" "$holder_host" <<'PY' || fail "the container's view is wrong (above)"
import json, os, sys

w, holder_ns, holder_host = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
bad = []
def load(name):
    with open(os.path.join(w, name)) as f:
        return json.load(f)

status = load("in.status")
if status.get("pidns_level") != 1:
    bad.append("pidns_level in the container is %r, not 1" % status.get("pidns_level"))

in_procs = {int(x) for x in open(os.path.join(w, "in.procs")).read().split()}
listed = {p["pid"] for p in load("in.summary")["processes"]}
if holder_ns not in listed:
    bad.append("the holder (pid %d) is not in the container's summary" % holder_ns)
# Every pid listed is one the container sees: in its /proc, read before
# the knmt commands, or started since (higher: the knmt CLI itself).
foreign = sorted(p for p in listed if p not in in_procs and p <= max(in_procs))
if foreign:
    bad.append("pids listed that the container does not have: %s" % foreign)
host = load("host.summary")["processes"]
if len(listed) >= len(host):
    bad.append("the container lists %d processes, the host %d: not a subset"
               % (len(listed), len(host)))
if holder_host not in {p["pid"] for p in host}:
    bad.append("the host's summary lacks the holder's host pid %d" % holder_host)

proc = load("in.proc")
procs = proc.get("processes", [proc])
if procs[0].get("pid") != holder_ns:
    bad.append("summary -p %d answered for pid %r" % (holder_ns, procs[0].get("pid")))

regions = load("in.regions")
if not regions.get("regions"):
    bad.append("regions -p %d listed nothing" % holder_ns)

host_port = int(open(os.path.join(w, "host.port")).read())
holder_port = int(open(os.path.join(w, "holder.port")).read())
socks = load("in.sockets")["sockets"]
owners = {s["pid"] for s in socks}
alien = sorted(p for p in owners if p not in in_procs and p <= max(in_procs))
if alien:
    bad.append("sockets owned by pids the container does not have: %s" % alien)
ports = {int(s["local"].rsplit(":", 1)[1]) for s in socks if s.get("local")}
if holder_port not in ports:
    bad.append("the holder's listener (port %d) is not in the container's sockets" % holder_port)
if host_port in ports:
    bad.append("the host's listener (port %d) shows in the container" % host_port)

if load("in.exits")["exits"]:
    bad.append("exit records shown in the container: %s" % load("in.exits")["exits"][:2])
if not load("host.exits")["exits"]:
    bad.append("the host has no exit records at all")

cin, chost = load("in.config"), load("host.config")
fin = cin.get("filter", {}).get("pid")
fhost = chost.get("filter", {}).get("pid")
if fin != holder_ns:
    bad.append("filter.pid read in the container: %r, set %d" % (fin, holder_ns))
if fhost != holder_host:
    bad.append("filter.pid read on the host: %r, expected the host pid %d" % (fhost, holder_host))

for b in bad:
    print("t-pidns: " + b)
print("t-pidns: container lists %d processes (host %d), %d sockets; holder %d is %d on the host"
      % (len(listed), len(host), len(socks), holder_ns, holder_host))
sys.exit(1 if bad else 0)
PY

# A pid the container does not have: "no such process", exit 1.
[[ $(<"$work/in.outside.rc") == 1 ]] ||
	fail "summary -p of a host-only pid exited $(<"$work/in.outside.rc"), expected 1: $(<"$work/in.outside.err")"
assert_match "$(<"$work/in.outside.err")" "no process"

# Events refused in the container, with the reason.
[[ $(<"$work/in.watch.rc") == 1 ]] ||
	fail "knmt watch in the container exited $(<"$work/in.watch.rc"), expected 1: $(<"$work/in.watch.err")"
assert_match "$(<"$work/in.watch.err")" "initial pid namespace"

# Another network namespace: the family is not there.
run unshare --net knmt status
[[ $STATUS == 3 ]] || fail "knmt status in another network namespace exited $STATUS, expected 3: $ERR"
assert_match "$ERR" "network namespace"

echo "t-pidns: ok"
