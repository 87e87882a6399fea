#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/test-host.sh: the overhead benchmark's workloads, on the host,
# without knmt: builds them (make -C bench, into O, default
# <top>/build/bench), runs each with small sizes and checks its result
# line: exit status 0, exactly one line on stdout, valid JSON, the
# workload's name, ops as asked, ns > 0.  Then failures that must be
# reported as such (usage errors, a child that fails), sleepers (bench/run's
# idle processes: its children live until SIGTERM, then are gone), and, when
# bpftrace is installed and tracefs mounted, that bench/knmt.bt compiles
# (--emit-elf: a dry run that attaches nothing) against the running
# kernel's BTF and against the BTF of every guest kernel vm-run has
# extracted (build/vm/*/vmlinux); the tracepoints' formats are the running
# kernel's.
#
# Prints "ok - ..." / "not ok - ..." lines and a summary; exits 1 when
# anything failed.

set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
O=${O:-$top/build/bench}
failures=0
passed=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ok() {
	echo "ok - $*"
	passed=$((passed + 1))
}
not_ok() {
	echo "not ok - $*"
	failures=$((failures + 1))
}
show() {
	sed 's/^/    stdout: /' "$work/out" | head -n 10
	sed 's/^/    stderr: /' "$work/err" | head -n 20
}

# check_result NAME WORKLOAD OPS [CONDITION] -- CMD...: run CMD, which must
# exit 0 and print one JSON line for WORKLOAD with ops == OPS and ns > 0;
# CONDITION, a Python expression on the result r, must hold too.
check_result() {
	local name=$1 workload=$2 ops=$3 cond=True rc=0 why
	shift 3
	if [ "$1" != -- ]; then
		cond=$1
		shift
	fi
	shift
	"$@" >"$work/out" 2>"$work/err" </dev/null || rc=$?
	if [ "$rc" -ne 0 ]; then
		not_ok "$name: exit status $rc"
		show
		return
	fi
	if why=$(python3 - "$work/out" "$workload" "$ops" "$cond" <<'EOF'
import json, sys

def fail(why):
    print(why)
    sys.exit(1)

path, workload, ops, cond = sys.argv[1:]
lines = open(path).read().splitlines()
if len(lines) != 1:
    fail(f"{len(lines)} lines on stdout, not 1")
try:
    r = json.loads(lines[0])
except ValueError as e:
    fail(f"not JSON: {e}")
if not isinstance(r, dict):
    fail("not a JSON object")
def count(key):
    v = r.get(key)
    if not isinstance(v, int) or isinstance(v, bool):
        fail(f"{key} is not an integer: {v!r}")
    return v
if r.get("workload") != workload:
    fail(f"workload is {r.get('workload')!r}, not {workload!r}")
if count("ops") != int(ops):
    fail(f"ops is {r['ops']}, not {ops}")
if count("ns") <= 0:
    fail(f"ns is {r['ns']}, not > 0")
if not eval(cond, {}, {"r": r}):
    fail(f"{cond} does not hold")
EOF
	); then
		ok "$name ($(cat "$work/out"))"
	else
		not_ok "$name: $why"
		show
	fi
}

# check_fails NAME STATUS -- CMD...: CMD must exit STATUS with a message on
# stderr and nothing on stdout.
check_fails() {
	local name=$1 want=$2 rc=0
	shift 3
	"$@" >"$work/out" 2>"$work/err" </dev/null || rc=$?
	if [ "$rc" -eq "$want" ] && [ ! -s "$work/out" ] && [ -s "$work/err" ]; then
		ok "$name (exit $rc: $(head -n 1 "$work/err"))"
	else
		not_ok "$name: exit status $rc (want $want), or output on stdout, or no message"
		show
	fi
}

if make -s -C "$top/bench" O="$O" >"$work/make.log" 2>&1; then
	ok "build (make -C bench O=$O)"
else
	not_ok "build (make -C bench O=$O)"
	sed 's/^/    /' "$work/make.log"
	echo "# $passed passed, $((failures)) failed"
	exit 1
fi

check_result "faultstorm -s 64M" faultstorm 16384 \
	'r["size"] == 64 << 20 and r["minflt"] >= r["ops"]' -- \
	"$O/faultstorm" -s 64M
check_result "faultstorm -s 16M -r 3" faultstorm 12288 \
	'r["repeat"] == 3 and r["minflt"] >= r["ops"]' -- \
	"$O/faultstorm" -s 16M -r 3
check_result "mmapstorm -n 20000" mmapstorm 20000 \
	'r["threads"] == 4 and r["size"] == 65536 and r["touch"] is False' -- \
	"$O/mmapstorm" -n 20000
check_result "mmapstorm -n 20001 -t 3 -s 128K -T" mmapstorm 20001 \
	'r["threads"] == 3 and r["size"] == 131072 and r["touch"] is True' -- \
	"$O/mmapstorm" -n 20001 -t 3 -s 128K -T
check_result "forkexec -n 50" forkexec 50 \
	'r["workers"] == 1 and r["target"].endswith("/forkexec")' -- \
	"$O/forkexec" -n 50
check_result "forkexec -n 50 -j 3 -e /bin/true" forkexec 50 \
	'r["workers"] == 3 and r["target"] == "/bin/true"' -- \
	"$O/forkexec" -n 50 -j 3 -e /bin/true
check_result "tcpstorm -n 500" tcpstorm 500 \
	'r["clients"] == 4 and r["port"] > 0' -- \
	"$O/tcpstorm" -n 500
check_result "tcpstorm -n 500 -c 7" tcpstorm 500 'r["clients"] == 7' -- \
	"$O/tcpstorm" -n 500 -c 7

check_fails "faultstorm -s 64X is a usage error" 2 -- "$O/faultstorm" -s 64X
check_fails "forkexec -e /bin/false fails" 1 -- "$O/forkexec" -n 3 -e /bin/false
check_fails "sleepers -n 0 is a usage error" 2 -- "$O/sleepers" -n 0

# sleepers keeps running after its result line: N children until SIGTERM,
# then none.
check_sleepers() {
	local n=20 pid line kids=-1 rc=0 i
	"$O/sleepers" -n "$n" -m 256K -S >"$work/out" 2>"$work/err" </dev/null &
	pid=$!
	for ((i = 0; i < 100; i++)); do
		line=$(head -n 1 "$work/out")
		[ -n "$line" ] && break
		sleep 0.1
	done
	[ -n "$line" ] && kids=$(pgrep -c -P "$pid")
	kill -TERM "$pid"
	wait "$pid" || rc=$?
	if [ -n "$line" ] &&
	   python3 -c 'import json, sys; r = json.loads(sys.argv[1]); sys.exit(not (r["workload"] == "sleepers" and r["ops"] == int(sys.argv[2]) and r["socket"] is True))' "$line" "$n" &&
	   [ "$kids" -eq "$n" ] && [ "$rc" -eq 0 ] && ! pgrep -P "$pid" >/dev/null; then
		ok "sleepers -n $n -m 256K -S: $n children until SIGTERM, then none ($line)"
	else
		not_ok "sleepers -n $n -m 256K -S: line '$line', $kids children, exit $rc"
		show
	fi
}
check_sleepers

# knmt.bt: compiled, not attached (the host kernel may have no kprobes).
if ! command -v bpftrace >/dev/null; then
	echo "ok - knmt.bt compiles # skip: no bpftrace (apt-get install bpftrace)"
elif [ "$(id -u)" -ne 0 ]; then
	echo "ok - knmt.bt compiles # skip: bpftrace needs root"
elif [ ! -d /sys/kernel/tracing/events ] && [ ! -d /sys/kernel/debug/tracing/events ]; then
	# bpftrace reads the tracepoints' formats there.
	echo "ok - knmt.bt compiles # skip: tracefs not mounted (mount -t tracefs tracefs /sys/kernel/tracing)"
else
	btfs=()
	[ -r /sys/kernel/btf/vmlinux ] && btfs+=("running kernel $(uname -r)=")
	for v in "$top"/build/vm/*/vmlinux; do
		[ -r "$v" ] || continue
		rel=$(basename "$(dirname "$v")")
		if objcopy -O binary --only-section=.BTF "$v" "$work/btf-$rel" 2>/dev/null &&
		   [ -s "$work/btf-$rel" ]; then
			btfs+=("$rel=$work/btf-$rel")
		fi
	done
	[ ${#btfs[@]} -gt 0 ] || echo "ok - knmt.bt compiles # skip: no BTF found"
	for b in "${btfs[@]}"; do
		what=${b%%=*}
		btf=${b#*=}
		if env ${btf:+BPFTRACE_BTF="$btf"} bpftrace --emit-elf "$work/knmt.o" \
			"$top/bench/knmt.bt" >"$work/out" 2>"$work/err"; then
			ok "knmt.bt compiles against the BTF of $what"
		else
			not_ok "knmt.bt compiles against the BTF of $what"
			grep -v -e RLIMIT_MEMLOCK -e 'is not traceable' "$work/err" |
				sed 's/^/    /' | head -n 20
		fi
	done
fi

echo "# $passed passed, $failures failed"
[ "$failures" -eq 0 ]
