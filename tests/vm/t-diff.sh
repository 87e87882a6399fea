#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# knmt baseline and knmt diff on a real process: tests/workloads/grow.py
# is baselined, then maps and touches 64 MiB off-heap (one private
# anonymous read-write mmap, every page written); knmt diff must report
# the growth of its offheap category (resident and mapped), of its live
# off-heap bytes and of its native total within 1 % of 64 MiB, alive;
# a process that exited since the baseline is "exited", one started
# after it "new"; a baseline of another boot is refused (exit 1) unless
# --force; a start time that differs (pid reuse) makes the pid exited
# and new; a baseline pid that is gone is "exited"; the text shows the
# growth as "+64 MiB".

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/acc/lib.sh"
SECONDS=0

require_root
require_knmt
require_cmd python3

grow=$KNMT_TOP/tests/workloads/grow.py
mib=64
want=$((mib << 20))

# within 1 % of want: VALUE WHAT
near() {
	assert_match "$1" '^-?[0-9]+$' "$2"
	(($1 >= want - want / 100 && $1 <= want + want / 100)) ||
		fail "$2: $1, not within 1 % of $want"
}

# No huge page may make more of the process resident than it touched
# (a fault or khugepaged filling a 2 MiB range of merged mappings), and
# small objects go to the brk heap, not to 1 MiB pymalloc arenas: the
# offheap category holds the buffer and little else.
acc_thp_set madvise
acc_start grow env PYTHONMALLOC=malloc python3 "$grow"
pid=$ACC_PID
acc_wait_line grow '"stage": "ready"' 30 >/dev/null
sleep 600 &
gone=$!
ACC_PIDS+=("$gone")

assert_ok knmt baseline -p "$pid" -o "$ACC_DIR/one.json"
assert_match "$OUT" "^baseline of 1 process written to $ACC_DIR/one.json\$"
assert_ok knmt baseline -o "$ACC_DIR/all.json"
assert_ok python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["format"] == "knmt-baseline" and d["version"] == 1; assert any(p["pid"] == int(sys.argv[2]) for p in d["processes"])' "$ACC_DIR/all.json" "$pid"
boot_id=$(</proc/sys/kernel/random/boot_id)
json_assert "$(<"$ACC_DIR/one.json")" .boot_id "d == '$boot_id'" "the baseline's boot id"
json_assert "$(<"$ACC_DIR/one.json")" .pids "d == [$pid]" "the baseline's pids"

kill "$gone"
wait "$gone" 2>/dev/null || true
sleep 600 &
new=$!
ACC_PIDS+=("$new")

acc_send grow "grow $mib"
acc_wait_line grow '"stage": "grown"' 60 >/dev/null

# the baseline of one process: only it
assert_ok knmt diff "$ACC_DIR/one.json" --json
j=$OUT
json_assert "$j" .processes 'len(d) == 1' "processes of the diff of one.json"
assert_eq "$(json_get "$j" '.processes[0].pid')" "$pid" "pid"
assert_eq "$(json_get "$j" '.processes[0].status')" alive "status"
near "$(json_get "$j" '.processes[0].delta.categories.offheap.resident_bytes')" "offheap resident growth"
near "$(json_get "$j" '.processes[0].delta.categories.offheap.mapped_bytes')" "offheap mapped growth"
near "$(json_get "$j" '.processes[0].delta.offheap.live_bytes')" "live off-heap growth"
near "$(json_get "$j" '.processes[0].delta.native_total_bytes')" "native total growth"
near "$(json_get "$j" '.totals.delta.categories.offheap.resident_bytes')" "total offheap growth"
# now = baseline + delta
json_assert "$j" '.processes[0]' "d['categories']['offheap']['resident_bytes'] == d['baseline']['categories']['offheap']['resident_bytes'] + d['delta']['categories']['offheap']['resident_bytes']" "now = baseline + change"
# the other categories barely moved (the interpreter is idle)
json_assert "$j" '.processes[0].delta.categories' "all(abs(v['resident_bytes']) < (1 << 20) for k, v in d.items() if k != 'offheap')" "the other categories"

# in text: the breakdown of the process, the growth as +64 MiB
assert_ok knmt diff "$ACC_DIR/one.json"
echo "$OUT"
assert_match "$OUT" "$pid \\(python3\\): alive"
assert_match "$OUT" $'\noffheap +[0-9.]+ [KMG]iB +\\+6[34](\\.[0-9])? MiB +[0-9.]+ [KMG]iB +\\+6[34](\\.[0-9])? MiB\n'

# every process: the sleep that ended is exited, the new one new
assert_ok knmt diff "$ACC_DIR/all.json" --json
j=$OUT
status_of() { python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); print(",".join(p["status"] for p in d["processes"] if p["pid"] == int(sys.argv[1])))' "$1" <<<"$j"; }
assert_eq "$(status_of "$pid")" alive "status of the workload"
assert_eq "$(status_of "$gone")" exited "status of the sleep that ended"
assert_eq "$(status_of "$new")" new "status of the sleep started after the baseline"
json_assert "$j" . "[p for p in d['processes'] if p['pid'] == $pid][0]['delta']['categories']['offheap']['resident_bytes'] > $((want - want / 100))" "the workload's growth in the diff of every process"
json_assert "$j" . "d['processes'][0]['pid'] == $pid" "the largest growth first"
assert_ok knmt diff "$ACC_DIR/all.json" -n 3
assert_match "$OUT" "PID +COMM +STATUS"

# another boot: refused, unless --force
python3 - "$ACC_DIR/all.json" "$ACC_DIR/other.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["boot_id"] = "00000000-0000-4000-8000-000000000000"
json.dump(d, open(sys.argv[2], "w"))
EOF
assert_status 1 knmt diff "$ACC_DIR/other.json"
assert_match "$ERR" "was taken in another boot"
assert_ok knmt diff --force "$ACC_DIR/other.json" -p "$pid" --json
assert_eq "$(json_get "$OUT" '.processes[0].status')" alive "status across boots (pid and comm)"

# another start time for the pid: not the same process
python3 - "$ACC_DIR/one.json" "$ACC_DIR/reused.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["processes"][0]["start_boottime_ns"] += 1
json.dump(d, open(sys.argv[2], "w"))
EOF
assert_ok knmt diff "$ACC_DIR/reused.json" --json
json_assert "$OUT" .processes "sorted(p['status'] for p in d) == ['exited', 'new']" "a reused pid"

# the workload frees it: back to the baseline; then it exits
acc_send grow free
acc_wait_line grow '"stage": "freed"' 30 >/dev/null
assert_ok knmt diff "$ACC_DIR/one.json" --json
json_assert "$OUT" '.processes[0].delta.categories.offheap.resident_bytes' "abs(d) < (1 << 20)" "offheap after the free"
acc_send grow exit
acc_wait_exit "$pid" 30
assert_ok knmt diff "$ACC_DIR/one.json" --json
assert_eq "$(json_get "$OUT" '.processes[0].status')" exited "status after the exit"
json_assert "$OUT" '.processes[0]' "d['delta']['native_total_bytes'] == -d['baseline']['native_total_bytes'] and d['native_total_bytes'] is None" "an exited process counts down to 0"
echo "t-diff: $SECONDS s"
exit 0
