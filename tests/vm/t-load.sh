#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# knmt is loaded by the bench and `knmt status` describes it: exit 0, and
# --json is an object with the documented keys and a non-empty hooks
# array.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_knmt

assert_dir /sys/module/knmt

assert_ok knmt status
[[ -n $OUT ]] || fail "knmt status printed nothing"

assert_ok knmt status --json
j=$OUT
json_valid "$j" || fail "knmt status --json is not JSON: ${j:0:2000}"

# One python3 run for the whole contract (python3 starts slowly under TCG).
contract=$(
	cat <<'PY'
import json, re, sys
d = json.load(sys.stdin)
release = sys.argv[1]
errors = []
def check(ok, what):
    if not ok:
        errors.append(what)
check(isinstance(d, dict), "the document is an object")
keys = ["version", "release_built", "release_running", "hooks", "procs_tracked",
        "procs_max", "procs_overflow", "events_emitted", "events_dropped",
        "mem_bytes", "recursion", "uptime_ns", "threads_tracked", "threads_max",
        "threads_overflow"]
for k in keys:
    check(k in d, 'has "%s"' % k)
check(re.match(r"^[0-9]+\.[0-9]+", str(d.get("version", ""))), '"version" looks like N.N')
check(d.get("release_running") == release, '"release_running" is ' + release)
check(d.get("release_built") == release, '"release_built" is ' + release)
for k in keys[4:]:
    check(type(d.get(k)) is int and d.get(k) >= 0, '"%s" is a non-negative integer' % k)
hooks = d.get("hooks")
check(isinstance(hooks, list) and len(hooks) > 0, '"hooks" is a non-empty array')
hk = {"name", "kind", "state", "preferred", "target", "error", "reason", "hits", "missed"}
for h in hooks if isinstance(hooks, list) else []:
    check(isinstance(h, dict) and hk <= set(h), "hook %r has %s" % (h, sorted(hk)))
    if isinstance(h, dict):
        check(isinstance(h.get("name"), str) and h.get("name"), "hook %r has a name" % h)
# fault, mmap, accept and sock_close use knmt's own ftrace callbacks on these
# kernels (a kprobe or a return probe is their fallback; mmap also needs its
# two further steps); sock_alloc shares accept's probe on
# fd_install, of the same kind; where accept fell back to another
# target, sock_alloc has a return probe of its own.
byname = {h.get("name"): h for h in hooks if isinstance(h, dict)} if isinstance(hooks, list) else {}
acc, sal = byname.get("accept") or {}, byname.get("sock_alloc") or {}
for name, sym in (("fault", "handle_mm_fault"), ("mmap", "do_mmap"),
                  ("accept", "fd_install"),
                  ("sock_close", "sock_close")):
    h = byname.get(name) or {}
    check(h.get("state") == "attached" and h.get("kind") == "ftrace" and
          h.get("target") == sym,
          "%s is an ftrace callback on %s: %r" % (name, sym, h))
if acc.get("target") == "fd_install":
    check(sal.get("state") == "attached" and sal.get("target") == "fd_install" and
          sal.get("kind") == acc.get("kind"),
          "sock_alloc shares accept's probe on fd_install: %r" % sal)
else:
    check(sal.get("target") == "sock_alloc_file",
          "accept is not on fd_install: sock_alloc has its own probe: %r" % sal)
# The sampled cost: one guarded run in cost_sample per CPU is timed, so no
# more than hits / N (+ one per CPU) over all hooks, and some once the
# hooks have run N times per CPU; the mean of a run is above 0, under 50
# ms: a sanity bound, far above a real run (about a microsecond), because
# under TCG a loaded host may take the vCPU away in the middle of a timed
# run (fork's mean was 1.007 ms over 6 runs on 6.12 with other VMs on the
# host, 2.5 ms over 4 on the debug kernel).
ncpu, every = int(sys.argv[2]), d.get("cost_sample")
per_max = 50000000
hooks = hooks if isinstance(hooks, list) else []
check(type(every) is int and every > 0, '"cost_sample" is a positive integer')
if type(every) is int and every > 0:
    hits = sum(h.get("hits") or 0 for h in hooks)
    runs = sum(h.get("cost_runs") or 0 for h in hooks)
    check(runs <= hits // every + ncpu, "timed runs %d <= hits %d / %d + %d CPUs"
          % (runs, hits, every, ncpu))
    check(hits < 4 * every * ncpu or runs > 0, "hook runs were timed (%d hits)" % hits)
# A short handler may read the same clock at both ends under TCG (a few
# runs of 0 ns); the clock must move for the hooks taken together.
timed_ns = 0
for h in hooks:
    r, ns, per = h.get("cost_runs"), h.get("cost_ns"), h.get("ns_per_run")
    if type(r) is int and r > 0:
        check(type(ns) is int and per == ns // r and 0 <= per < per_max,
              "hook %s: %r ns over %d runs, %r per run (< %d)" %
              (h.get("name"), ns, r, per, per_max))
        timed_ns += ns if type(ns) is int else 0
    else:
        check(per is None, "hook %s: no ns_per_run without timed runs" % h.get("name"))
check(timed_ns > 0 or not any((h.get("cost_runs") or 0) > 0 for h in hooks),
      "the timed runs took some time: %d ns in all" % timed_ns)
# Memory by kind: adds up to mem_bytes exactly (one reading);
# a kind made of records holds at least those in use.
mem = d.get("memory")
check(isinstance(mem, list) and [m.get("name") for m in mem] ==
      ["processes", "threads", "regions", "sockets", "exits", "events", "hooks"],
      '"memory" lists the seven kinds')
if isinstance(mem, list) and type(d.get("mem_bytes")) is int:
    total = sum(m.get("bytes") or 0 for m in mem)
    check(total == d["mem_bytes"],
          "memory by kind %d adds up to mem_bytes %d" % (total, d["mem_bytes"]))
    for m in mem:
        n, size = m.get("records"), m.get("record_size")
        if type(size) is int:
            check(type(n) is int and m["bytes"] >= n * size,
                  "%s: %r bytes hold %r records of %d" % (m["name"], m["bytes"], n, size))
    by = {m.get("name"): m for m in mem}
    check(abs((by.get("processes") or {}).get("records", -1) - d.get("procs_tracked", 0)) <= 5,
          "processes records ~ procs_tracked")
    check(abs((by.get("threads") or {}).get("records", -1) - d.get("threads_tracked", 0)) <= 5,
          "threads records ~ threads_tracked")
# Thread records: this test's own processes have faulted, none went
# without a record, and the limit is the module parameter's.
tmax = open("/sys/module/knmt/parameters/threads_max").read().strip()
check(str(d.get("threads_max")) == tmax,
      '"threads_max" %r is the parameter %s' % (d.get("threads_max"), tmax))
check(type(d.get("threads_tracked")) is int and 1 <= d["threads_tracked"] <= int(tmax),
      '"threads_tracked" %r is 1..threads_max' % d.get("threads_tracked"))
check(d.get("threads_overflow") == 0, '"threads_overflow" %r is 0' % d.get("threads_overflow"))
# The sampler's last complete round: none before the first, then at
# least 1 ms and no longer than the module has been loaded; a small guest
# has completed one well within ten periods.
sample_ms, up_ms = int(sys.argv[3]), (d.get("uptime_ns") or 0) // 1000000
rnd = d.get("sampler_round_ms")
check(rnd is None or (type(rnd) is int and 1 <= rnd <= up_ms),
      '"sampler_round_ms" %r is null or 1..%d (the uptime)' % (rnd, up_ms))
if sample_ms and up_ms > 10 * sample_ms:
    check(rnd is not None, '"sampler_round_ms" is set after %d ms with sample_ms %d'
          % (up_ms, sample_ms))
for e in errors:
    print("FAIL: " + e, file=sys.stderr)
sys.exit(1 if errors else 0)
PY
)
python3 -S -c "$contract" "$(uname -r)" "$(nproc)" \
	"$(cat "/sys/module/$KNMT_MODULE/parameters/sample_ms" 2>/dev/null || echo 0)" <<<"$j" ||
	fail "knmt status --json does not follow the contract: ${j:0:3000}"
