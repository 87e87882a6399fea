#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The tracking filter: by command name, by pid (and the descendants born
# later), by cgroup; clearing it tracks every process again.  What is
# tracked is checked against the processes knmt summary lists.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_knmt

cleanup() {
	knmt config clear-filter >/dev/null 2>&1 || true
	kill "${pids[@]}" 2>/dev/null || true
	wait 2>/dev/null || true
	[[ -z ${cg:-} ]] || rmdir "$cg" 2>/dev/null || true
}
trap cleanup EXIT
pids=()

# tracked PID: is PID in `knmt summary --json`?
tracked() {
	knmt summary --json | python3 -c '
import json, sys
pids = {p["pid"] for p in json.load(sys.stdin)["processes"]}
sys.exit(0 if int(sys.argv[1]) in pids else 1)' "$1"
}

# A command name of our own, so that nothing else in the guest matches.
# The sleepers outlive the test (killed at its end): on the debug kernel,
# under a loaded host, the test took 360 s, and a sleep of 300 s had
# exited by the last check.
cp /bin/sleep /tmp/knmtfiltsleep
/tmp/knmtfiltsleep 3600 &
a=$!
pids+=("$a")
sleep 3600 &
b=$!
pids+=("$b")

tracked "$a" || fail "before any filter, $a is not tracked"
tracked "$b" || fail "before any filter, $b is not tracked"

# By name: the processes already running are re-examined at once.
assert_ok knmt config set filter_comm=knmtfiltsleep
tracked "$a" || fail "filter_comm=knmtfiltsleep: $a (knmtfiltsleep) is not tracked"
! tracked "$b" || fail "filter_comm=knmtfiltsleep: $b (sleep) is still tracked"
n=$(knmt status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["procs_tracked"])')
assert_eq "$n" 1 "processes tracked under filter_comm"

# By pid: the process and its descendants, those running and those born
# after the filter was set; not the others (init is no descendant).
assert_ok knmt config set filter_comm=none filter_pid=$$
tracked $$ || fail "filter_pid=$$: the shell itself is not tracked"
tracked "$a" || fail "filter_pid=$$: its child $a is not tracked"
! tracked 1 || fail "filter_pid=$$: init, not a descendant, is tracked"
sleep 3600 &
c=$!
pids+=("$c")
sleep 0.5
tracked "$c" || fail "filter_pid=$$: the child $c born after the filter is not tracked"
assert_ok knmt config --json
python3 -c '
import json, sys
f = json.loads(sys.argv[1])["filter"]
assert f["pid"] == int(sys.argv[2]), f
assert f["comm"] is None, f' "$OUT" $$ || fail "knmt config --json does not show the pid filter: $OUT"

# By cgroup (v2): a child cgroup with one process in it.
assert_ok knmt config clear-filter
if [[ -f /sys/fs/cgroup/cgroup.procs ]]; then
	cg=/sys/fs/cgroup/knmt-filter-test
	mkdir -p "$cg"
	sh -c "echo \$\$ > $cg/cgroup.procs; exec sleep 3600" &
	d=$!
	pids+=("$d")
	sleep 0.5
	assert_ok knmt config set filter_cgroup="$cg"
	tracked "$d" || fail "filter_cgroup: $d in $cg is not tracked"
	! tracked "$b" || fail "filter_cgroup: $b outside $cg is tracked"
fi

# Cleared: everything again, including processes that were left out.
assert_ok knmt config clear-filter
tracked "$b" || fail "after clear-filter, $b is not tracked again"
tracked "$a" || fail "after clear-filter, $a is not tracked again"

# A pid that does not exist is refused by the kernel, with its reason.
assert_status 1 knmt config set filter_pid=4000000
[[ $ERR == *"no process"* ]] || fail "filter_pid of a missing pid: no reason given: $ERR"
