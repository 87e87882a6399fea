#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# knmt-timeout: 300
#
# knmt's socket tracking against ss(8) and /proc, on the scenarios of
# tests/workloads/sockzoo.c (a server process and a client process it
# forks and execs, so that ss shows every socket under one process):
#
#   zoo        TCP v4/v6 listeners and accepted connections, connected and
#              unconnected UDP v4/v6, unix stream and dgram pairs, an
#              abstract unix listener and its connection, netlink
#   closewait  N connections in CLOSE_WAIT on the server, their age growing
#   unread     200 KiB unread on a TCP socket, its send queue full, 64 KiB
#              unread on a unix pair: the queue bytes against ss -m
#   orphans    M sockets closed with their FIN stuck behind unsent data
#              (FIN_WAIT_1 orphans), then destroyed when the peer drains
#   churn      C TCP connections, U UDP sockets, P unix pairs opened and
#              closed: the totals and the lifetime histogram
#   inherit    a child that inherits its parent's sockets does not own
#              them; once the parent exits, the child adopts them
#
# Each step's checks are tests/vm/acc/check_sockets.py's (its docstring
# lists them); they print "ok"/"not ok" lines, and any "not ok" fails the
# test.  Last, once the workloads are gone, knmt lists none of their pids.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/acc/lib.sh"

require_root
require_knmt
require_cmd ss
acc_need sockzoo
assert_ok knmt sockets --help
# Stale records (destructions knmt missed) must not grow during the test.
assert_ok knmt status --json
KNMT_SOCKETS_STALE0=$(json_get "$OUT" .sockets_stale)
assert_match "$KNMT_SOCKETS_STALE0" '^[0-9]+$' "knmt status sockets_stale"
export KNMT_SOCKETS_STALE0

chk=$KNMT_TOP/tests/vm/acc/check_sockets.py
zoo=$ACC_WORKLOADS/sockzoo
failed=()
pids=()

# check WHAT ARGS...: run check_sockets.py ARGS, note a failure as WHAT.
check() {
	local what=$1 rc=0
	shift
	echo "=== $what: check_sockets.py $*"
	python3 "$chk" "$@" || rc=$?
	((rc == 0)) || failed+=("$what (status $rc)")
}

# scenario NAME ARGS...: start sockzoo NAME ARGS, wait for its manifest
# in $ACC_DIR/NAME.json.
scenario() {
	local name=$1
	acc_start "$name" "$zoo" "$@"
	acc_wait_line "$name" '"stage":"manifest"' 90 >"$ACC_DIR/$name.json"
	pids+=("$ACC_PID" "$(json_get "$(<"$ACC_DIR/$name.json")" .client.pid)")
}

# finish NAME: tell sockzoo NAME to exit; it must exit 0.
finish() {
	acc_send "$1" exit
	acc_wait_exit "$ACC_PID"
	assert_eq "$ACC_STATUS" 0 "sockzoo $1's exit status ($(tail -c 500 "$ACC_DIR/$1.err"))"
}

scenario zoo -n 3
check zoo check "$ACC_DIR/zoo.json"
finish zoo

scenario closewait -n 5
check closewait check "$ACC_DIR/closewait.json" --interval 3
finish closewait

scenario unread -b 204800
check unread check "$ACC_DIR/unread.json"
finish unread

scenario orphans -n 4
check orphans check "$ACC_DIR/orphans.json"
acc_send orphans close
acc_wait_line orphans '"stage":"closed"' 30 >/dev/null
check "orphans after close" orphans-closed "$ACC_DIR/orphans.json"
acc_send orphans drain
acc_wait_line orphans '"stage":"drained"' 60 >"$ACC_DIR/drained.json"
cat "$ACC_DIR/drained.json"
assert_match "$(<"$ACC_DIR/drained.json")" '"errors":0' "the client's drain (no reset: the orphans were not aborted)"
check "orphans after drain" orphans-drained "$ACC_DIR/orphans.json"
finish orphans

scenario churn -n 200 -u 100 -x 50
check churn check "$ACC_DIR/churn.json"
m=$(<"$ACC_DIR/churn.json")
python3 "$chk" snapshot "$(json_get "$m" .server.pid)" "$(json_get "$m" .client.pid)" \
	>"$ACC_DIR/churn.base" || fail "snapshot before the churn failed"
acc_send churn go
acc_wait_line churn '"stage":"churned"' 120 >"$ACC_DIR/churned.json"
check churned churned "$ACC_DIR/churn.json" "$ACC_DIR/churned.json" --baseline "$ACC_DIR/churn.base"
finish churn

scenario inherit
holder=$(json_get "$(<"$ACC_DIR/inherit.json")" .expect.holder)
pids+=("$holder")
check inherit inherit "$ACC_DIR/inherit.json"
acc_send inherit creator-exit
acc_wait_line inherit '"stage":"creator_exited"' 30 >/dev/null
check "inherit after the creator exited" inherit-adopted "$ACC_DIR/inherit.json"
finish inherit
# The holder goes when the server closes its stdin (it may stay a zombie).
for ((i = 0; i < 100; i++)); do
	if [[ ! -d /proc/$holder ]] || grep -q '^State:.*Z' "/proc/$holder/status" 2>/dev/null; then
		break
	fi
	sleep 0.1
done
((i < 100)) || fail "the holder $holder did not exit"

# The workloads are gone: none of their sockets is listed any more.
assert_ok knmt sockets --json
left=$(python3 -c '
import json, sys
pids = {int(p) for p in sys.argv[1:]}
d = json.loads(sys.stdin.read())
print(" ".join("%d:%d" % (s["pid"], s["inode"]) for s in d["sockets"] if s["pid"] in pids))
' "${pids[@]}" <<<"$OUT")
assert_eq "$left" "" "sockets still listed under the exited workloads (pid:inode)"

((${#failed[@]} == 0)) || fail "check_sockets found disagreements in: $(IFS=,; echo "${failed[*]}") (above)"
exit 0
