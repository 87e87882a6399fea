#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# knmt-timeout: 240
#
# knmt report as the fleet view: the daemon runs every second, writing
# its reports into a directory and serving its metrics on loopback;
# tests/workloads/grow.py holds 64 MiB off-heap.  `promtool check
# metrics` must accept a scrape, and the scrape must give the workload's
# offheap resident bytes within 1 % of what `knmt summary -p PID --json`
# says.  Then a real Prometheus server (Debian's) scrapes it every second
# into a temporary directory, and its HTTP API, asked with PromQL, must
# return the series knmt_process_resident_bytes{pid=PID,
# category="offheap"} with that value (1 %), knmt_up 1, the workload's
# cgroup in the per-cgroup aggregates and the module's health.  The
# JSON-lines and text reports must hold a report a second, the
# workload's among them; SIGHUP keeps it running (reloaded), SIGTERM
# stops it with status 0.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/acc/lib.sh"
SECONDS=0

require_root
require_knmt
require_cmd python3
require_cmd curl
have promtool || skip "promtool is not installed (Debian package prometheus; scripts/deps installs it)"
have prometheus || skip "prometheus is not installed (Debian package prometheus; scripts/deps installs it)"

grow=$KNMT_TOP/tests/workloads/grow.py
port=19464
prom_port=19090
mib=64
want=$((mib << 20))
dir=$ACC_DIR/reports

# get URL [CURL ARGS...]: the body, or status 1
get() { curl -sf --max-time 5 "$@"; }

# promql QUERY: the JSON answer of Prometheus's instant query API
promql() { get -G --data-urlencode "query=$1" "http://127.0.0.1:$prom_port/api/v1/query"; }

# the value of the only series of a query's answer, or nothing
first_value() {
	sed -n 's/^{"status":"success".*"value":\[[0-9.e+]*,"\([^"]*\)"\]}\]}}$/\1/p' <<<"$1"
}

# within 1 %: VALUE EXPECTED WHAT
near() {
	awk -v v="$1" -v w="$2" 'BEGIN { d = v - w; if (d < 0) d = -d; exit !(d <= w / 100) }' ||
		fail "$3: $1, not within 1 % of $2"
}

# phase WHAT: how long the test has run
phase() { echo "[$SECONDS s] $*"; }

# No huge page may make more of the process resident than it touched
# (a fault or khugepaged filling a 2 MiB range of merged mappings), and
# small objects go to the brk heap, not to 1 MiB pymalloc arenas: the
# offheap category holds the buffer and little else.
acc_thp_set madvise
acc_start grow env PYTHONMALLOC=malloc python3 "$grow"
pid=$ACC_PID
acc_wait_line grow '"stage": "ready"' 30 >/dev/null
acc_send grow "grow $mib"
acc_wait_line grow '"stage": "grown"' 60 >/dev/null
phase "workload ready"

knmt report --interval 1s --dir "$dir" --listen "127.0.0.1:$port" \
	>"$ACC_DIR/report.out" 2>"$ACC_DIR/report.err" &
rpid=$!
ACC_PIDS+=("$rpid")

# the first scrape with the workload in it
line=''
for ((i = 0; i < 150; i++)); do
	if scrape=$(get "http://127.0.0.1:$port/metrics" 2>/dev/null); then
		line=$(grep -E "^knmt_process_resident_bytes\{pid=\"$pid\",.*category=\"offheap\"\} " <<<"$scrape" || true)
		[[ -n $line ]] && break
	fi
	kill -0 "$rpid" 2>/dev/null || fail "knmt report died: $(<"$ACC_DIR/report.err")"
	sleep 0.2
done
[[ -n $line ]] || fail "no offheap series of pid $pid in 30 s: $(head -c 2000 <<<"${scrape:-}"); $(<"$ACC_DIR/report.err")"
echo "$line"
grep -q '^knmt_up 1$' <<<"$scrape" || fail "knmt_up is not 1"
printf '%s\n' "$scrape" >"$ACC_DIR/scrape.txt"
run promtool check metrics <"$ACC_DIR/scrape.txt"
((STATUS == 0)) || fail "promtool check metrics refused the scrape (status $STATUS): $OUT $ERR"
for m in knmt_process_mapped_bytes knmt_process_rss_bytes knmt_process_kernel_bytes \
	knmt_process_offheap_live_bytes knmt_process_native_total_bytes \
	knmt_cgroup_resident_bytes knmt_cgroup_native_total_bytes \
	knmt_module_procs_tracked knmt_module_events_dropped_total \
	knmt_module_mem_bytes knmt_scrape_duration_seconds; do
	grep -q "^# TYPE $m " <<<"$scrape" || fail "no TYPE line for $m"
	grep -qE "^$m(\\{| )" <<<"$scrape" || fail "no sample of $m"
done
grep -q "^knmt_process_kernel_bytes{pid=\"$pid\",.*kind=\"pagetables\"} " <<<"$scrape" ||
	fail "no page tables of pid $pid"
# OpenMetrics when asked
om=$(get -i -H 'Accept: application/openmetrics-text;version=1.0.0' "http://127.0.0.1:$port/metrics") ||
	fail "no OpenMetrics scrape"
assert_match "$om" $'\r\nContent-Type: application/openmetrics-text; version=1.0.0' "OpenMetrics content type"
assert_match "$om" $'\n# EOF\n?$' "OpenMetrics end"
phase "scraped and checked"

# the value, against knmt summary -p
assert_ok knmt summary -p "$pid" --json
summary=$(json_get "$OUT" '.processes[0].categories.offheap.resident_bytes')
value=${line##* }
near "$value" "$summary" "the scraped offheap bytes against knmt summary"
# the workload's buffer, and the interpreter's own (pymalloc arenas)
((value >= want && value <= want + (8 << 20))) ||
	fail "the scraped offheap bytes ($value) do not hold the workload's $mib MiB"
cgroup=$(sed -n 's/^0:://p' "/proc/$pid/cgroup")

# a real Prometheus, scraping every second
mkdir -p "$ACC_DIR/prom"
cat >"$ACC_DIR/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: knmt
    static_configs:
      - targets: ['127.0.0.1:$port']
EOF
prometheus --config.file="$ACC_DIR/prometheus.yml" --storage.tsdb.path="$ACC_DIR/prom" \
	--web.listen-address="127.0.0.1:$prom_port" --log.level=warn \
	>"$ACC_DIR/prom.out" 2>"$ACC_DIR/prom.err" &
ppid_=$!
ACC_PIDS+=("$ppid_")

phase "prometheus started"
q="knmt_process_resident_bytes{pid=\"$pid\",category=\"offheap\"}"
got=''
for ((i = 0; i < 240; i++)); do
	if a=$(promql "$q" 2>/dev/null); then
		got=$(first_value "$a")
		[[ -n $got ]] && break
	fi
	kill -0 "$ppid_" 2>/dev/null || fail "prometheus died: $(tail -c 2000 "$ACC_DIR/prom.err")"
	sleep 0.25
done
[[ -n $got ]] || fail "Prometheus returned no $q in 60 s: ${a:-}; $(tail -c 1000 "$ACC_DIR/prom.err")"
phase "prometheus: $q = $got (knmt summary: $summary)"
json_assert "$a" .data.result "len(d) == 1 and d[0]['metric']['__name__'] == 'knmt_process_resident_bytes' and d[0]['metric']['comm'] == 'python3' and d[0]['metric']['job'] == 'knmt'" "the series Prometheus returned"
near "$got" "$summary" "Prometheus's offheap bytes against knmt summary"

a=$(promql 'knmt_up') || fail "query knmt_up"
assert_eq "$(first_value "$a")" 1 "knmt_up in Prometheus"
a=$(promql "knmt_cgroup_resident_bytes{cgroup=\"$cgroup\",category=\"offheap\"}") || fail "query the cgroup"
v=$(first_value "$a")
[[ -n $v ]] || fail "no knmt_cgroup_resident_bytes of the workload's cgroup $cgroup: $a"
awk -v v="$v" -v w="$want" 'BEGIN { exit !(v >= w * 0.99) }' ||
	fail "the offheap bytes of cgroup $cgroup ($v) do not hold the workload's"
a=$(promql 'sum(knmt_process_native_total_bytes) > 0') || fail "query the sum"
[[ -n $(first_value "$a") ]] || fail "no sum of the native totals: $a"
a=$(promql 'knmt_module_procs_tracked') || fail "query the module"
[[ $(first_value "$a") -ge 1 ]] || fail "knmt_module_procs_tracked: $a"
kill -TERM "$ppid_"	# its shutdown is not waited for: the cleanup kills it

phase "queried"

# the report files: a report a second
[[ -s $dir/knmt-report.jsonl && -s $dir/knmt-report.txt ]] || fail "no report files in $dir: $(ls -la "$dir")"
python3 - "$dir/knmt-report.jsonl" "$pid" <<'EOF' || fail "the JSON-lines report"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) >= 3, "%d reports" % len(lines)
for l in lines:
    d = json.loads(l)
    assert d["up"] is True and d["error"] is None, d.get("error")
    assert d["interval_s"] == 1.0
mine = [p for p in d["processes"] if p["pid"] == int(sys.argv[2])]
assert mine and mine[0]["categories"]["offheap"]["resident_bytes"] >= 64 << 20, mine
assert mine[0]["cgroup"], mine
assert any(g["cgroup"] == mine[0]["cgroup"] for g in d["cgroups"])
print("%d reports" % len(lines))
EOF
grep -q "^==== .*: [0-9]* process" "$dir/knmt-report.txt" || fail "the text report: $(head -c 1000 "$dir/knmt-report.txt")"
grep -q "^cgroups:" "$dir/knmt-report.txt" || fail "no cgroups in the text report"

# SIGHUP: reloaded, still running; SIGTERM: stops, status 0
kill -HUP "$rpid"
sleep 1.5
kill -0 "$rpid" || fail "knmt report died on SIGHUP: $(<"$ACC_DIR/report.err")"
grep -q 'reloaded' "$ACC_DIR/report.err" || fail "no 'reloaded' after SIGHUP: $(<"$ACC_DIR/report.err")"
get "http://127.0.0.1:$port/metrics" >/dev/null || fail "no metrics after SIGHUP"
kill -TERM "$rpid"
acc_wait_exit "$rpid" 10
assert_eq "$ACC_STATUS" 0 "knmt report's exit status after SIGTERM"
cat "$ACC_DIR/report.err"
phase "done"
exit 0
