#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# knmt's socket counters of a real server: Debian's redis-server (its own
# instance, started here on port 6390 with no persistence, never the
# system service) under redis-benchmark with K clients.  The oracle is
# redis's own INFO stats total_connections_received: between two quiet
# moments (no connection of redis open or orphaned, ss says) knmt's
# accepted_total, opened_total, closed_total, destroyed_total and the sum
# of the lifetime histogram must all grow by exactly redis's count, which
# is at least K (redis-benchmark opens K connections per test plus one for
# CONFIG GET; the second INFO's connection is counted by both).  At the
# end knmt lists only redis's listening sockets, the same ones ss -tanp
# shows for the pid, and the listing checks of check_sockets.py hold.
# KNMT_REDIS_REQUESTS: redis-benchmark -n (default 5000 per test).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/acc/lib.sh"

require_root
require_knmt
require_cmd ss
have redis-server || skip "redis-server is not installed (Debian package redis-server; scripts/deps installs it)"
have redis-benchmark || skip "redis-benchmark is not installed (Debian package redis-tools)"
have redis-cli || skip "redis-cli is not installed (Debian package redis-tools)"
assert_ok knmt sockets --help
# Stale records (destructions knmt missed) must not grow during the test.
assert_ok knmt status --json
KNMT_SOCKETS_STALE0=$(json_get "$OUT" .sockets_stale)
assert_match "$KNMT_SOCKETS_STALE0" '^[0-9]+$' "knmt status sockets_stale"
export KNMT_SOCKETS_STALE0

chk=$KNMT_TOP/tests/vm/acc/check_sockets.py
port=6390
clients=20
requests=${KNMT_REDIS_REQUESTS:-5000}

acc_start redis redis-server --port "$port" --bind 127.0.0.1 ::1 --save '' --appendonly no \
	--daemonize no --dir "$ACC_DIR" --logfile ''
pid=$ACC_PID
for ((i = 0; i < 300; i++)); do
	[[ $(redis-cli -p "$port" ping 2>/dev/null) == PONG ]] && break
	kill -0 "$pid" 2>/dev/null || fail "redis-server died: $(tail -c 2000 "$ACC_DIR/redis.out")"
	sleep 0.1
done
((i < 300)) || fail "redis-server did not answer PING in 30 s: $(tail -c 2000 "$ACC_DIR/redis.out")"

# quiet: wait until redis has no connection left, open or orphaned: on
# its port ss shows only the listeners (and the clients' TIME-WAITs).
quiet() {
	local i busy
	for ((i = 0; i < 200; i++)); do
		busy=$(ss -Htan "sport = :$port" | awk '$1 != "LISTEN" && $1 != "TIME-WAIT"')
		[[ -z $busy ]] && return 0
		sleep 0.1
	done
	fail "redis still has connections after 20 s: $busy"
}

# conns: redis's total_connections_received (this query's connection
# included).
conns() {
	local v
	v=$(redis-cli -p "$port" INFO stats | tr -d '\r' | sed -n 's/^total_connections_received://p')
	assert_match "$v" '^[0-9]+$' "INFO stats total_connections_received"
	echo "$v"
}

t0=$(conns)
quiet
python3 "$chk" snapshot "$pid" >"$ACC_DIR/base.json" || fail "snapshot of redis's sockets failed"
cat "$ACC_DIR/base.json"

assert_ok redis-benchmark -p "$port" -c "$clients" -n "$requests" -t ping,set,get -q
printf '%s\n' "$OUT" | tr '\r' '\n' | grep -E 'requests per second' || true

t1=$(conns)
quiet
echo "redis: total_connections_received $t0 -> $t1"

rc=0
python3 "$chk" redis "$pid" "$ACC_DIR/base.json" "$((t1 - t0))" "$clients" || rc=$?

kill -TERM "$pid"
acc_wait_exit "$pid" 30
assert_eq "$ACC_STATUS" 0 "redis-server's exit status after SIGTERM"
((rc == 0)) || fail "check_sockets found disagreements (above)"
exit 0
