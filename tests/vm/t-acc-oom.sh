#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# A process the OOM killer takes is in `knmt exits --json` with
# oom_victim true, killed by SIGKILL, and the breakdown of its last
# sample: off-heap resident (oomer mallocs 1 MiB at a time: glibc maps
# each on its own) and at most sample_ms plus a sampler round old when it
# died (the longer of the rounds knmt status reported before and after;
# on a small host a round is one run of the sampler).  The kill
# happens in a child cgroup (cgroup v2) with memory.max=64M and no swap;
# the kernel's own report must agree: memory.events oom_kill, and the
# peak RSS is at least the RSS the OOM killer logged for the victim.  The
# off-heap counters of the record must still add up (allocated - freed ==
# live).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/acc/lib.sh"

require_root
require_knmt
acc_need oomer

cg=/sys/fs/cgroup
[[ -f $cg/cgroup.controllers ]] || skip "no cgroup v2 at $cg"
grep -qw memory "$cg/cgroup.controllers" || skip "no memory controller in $cg"
grep -qw memory "$cg/cgroup.subtree_control" || echo +memory >"$cg/cgroup.subtree_control"
oomcg=$cg/knmt-acc-oom.$$
mkdir "$oomcg"
acc_on_exit "rmdir $oomcg"
echo 64M >"$oomcg/memory.max"
[[ -f $oomcg/memory.swap.max ]] && echo 0 >"$oomcg/memory.swap.max"

sample_ms=$(cat /sys/module/knmt/parameters/sample_ms 2>/dev/null || echo 1000)
# sampler_round_ms: the last complete round, 0 before the first.
round_ms() {
	assert_ok knmt status --json
	python3 -c 'import json, sys; print(json.loads(sys.argv[1]).get("sampler_round_ms") or 0)' "$OUT"
}
round_before=$(round_ms)

# A shell moves itself into the cgroup, then becomes oomer: 1 MiB every
# 20 ms, so that it lives a few samples long even on a fast machine.
out=$ACC_DIR/oomer.out
rc=0
# shellcheck disable=SC2016 # expanded by the inner shell
timeout 60 bash -c 'echo $$ >"$1/cgroup.procs" && exec "$2" 20' _ "$oomcg" \
	"$ACC_WORKLOADS/oomer" >"$out" 2>"$ACC_DIR/oomer.err" || rc=$?
pid=$(head -n 1 "$out")
assert_match "$pid" '^[0-9]+$' "oomer's pid"
assert_eq "$rc" 137 "oomer's exit status (killed by SIGKILL)"
kills=$(awk '$1 == "oom_kill" { print $2 }' "$oomcg/memory.events")
assert_eq "$kills" 1 "oom_kill in $oomcg/memory.events"

# The kernel's own report of the kill: the victim's RSS when it was chosen.
killed=$(dmesg | grep -E "Killed process $pid \(oomer\)" | tail -n 1)
assert_match "$killed" "anon-rss:[0-9]+kB, file-rss:[0-9]+kB, shmem-rss:[0-9]+kB" "the kernel's OOM report"

round_after=$(round_ms)
round=$((round_before > round_after ? round_before : round_after))
echo "# sampler rounds: ${round_before} ms before, ${round_after} ms after"

assert_ok knmt exits --json
printf '%s\n' "$OUT" >"$ACC_DIR/exits.json"
python3 - "$pid" "$sample_ms" "$ACC_DIR/exits.json" "$killed" "$round" <<'PY' || fail "knmt exits disagrees (above)"
import json, sys
from datetime import datetime
pid, sample_ms, round_ms = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[5])
d = json.load(open(sys.argv[3]))
recs = [e for e in d["exits"] if e["pid"] == pid]
bad = []
def check(cond, what):
    print(("ok - " if cond else "not ok - ") + what)
    if not cond:
        bad.append(what)
check(len(recs) == 1, "one exit record for pid %d" % pid)
if recs:
    e = recs[0]
    print("# " + json.dumps({k: e[k] for k in ("comm", "flags", "exit_code", "oom_victim",
                                               "sampled_time", "exit_time", "rss",
                                               "peak_rss_bytes", "offheap")}))
    for c, v in e["categories"].items():
        print("# %-8s mapped %s resident %s" % (c, v["mapped_bytes"], v["resident_bytes"]))
    check(e["comm"] == "oomer", "comm is oomer")
    check(e["oom_victim"] is True and "oom_victim" in e["flags"], "oom_victim is true")
    check(e["exit_code"] == 9, "exit_code is 9 (SIGKILL), got %r" % e["exit_code"])
    check(e["sampled_time"] is not None, "the record has a breakdown (sampled_time)")
    oh = e["categories"]["offheap"]["resident_bytes"] or 0
    hp = e["categories"]["heap"]["resident_bytes"] or 0
    check(oh > 0 or hp > 0, "offheap or heap resident > 0 (offheap %d, heap %d)" % (oh, hp))
    check(oh >= 1 << 20, "offheap resident >= 1 MiB (%d)" % oh)
    if e["sampled_time"] and e["exit_time"]:
        t = lambda s: datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ")
        age = (t(e["exit_time"]) - t(e["sampled_time"])).total_seconds() * 1000
        # A process is visited once a round, and a round starts a period
        # after the last; allow half as much again under TCG.
        limit = (sample_ms + round_ms) * 1.5
        check(0 <= age <= limit, "the breakdown was %.0f ms old at exit (<= %d: sample_ms %d, "
              "round %d ms)" % (age, limit, sample_ms, round_ms))
    import re
    k = {m.group(1): int(m.group(2)) * 1024
         for m in re.finditer(r"(anon|file|shmem)-rss:(\d+)kB", sys.argv[4])}
    at_kill = sum(k.values())
    print("# the kernel's OOM report: rss at the kill %d (%s)" % (at_kill, k))
    check(e["peak_rss_bytes"] >= at_kill,
          "peak_rss_bytes %d >= the RSS the OOM killer reported %d" % (e["peak_rss_bytes"], at_kill))
    o = e["offheap"]
    # Every buffer allocated is live or freed, in an exit record too.
    check(o["allocated_count"] - o["freed_count"] == o["live_count"],
          "offheap allocated_count - freed_count == live_count (%d - %d vs %d)" %
          (o["allocated_count"], o["freed_count"], o["live_count"]))
    check(o["allocated_bytes"] - o["freed_bytes"] == o["live_bytes"],
          "offheap allocated_bytes - freed_bytes == live_bytes (%d - %d vs %d)" %
          (o["allocated_bytes"], o["freed_bytes"], o["live_bytes"]))
sys.exit(1 if bad else 0)
PY
exit 0
