#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare what knmt says of one process with the kernel's own numbers.

    check_accuracy.py snapshot PID            > base.json
    check_accuracy.py check PID MANIFEST [--baseline base.json]

"snapshot" prints the fault counters of PID, knmt's (summed over the
categories) and the kernel's (/proc/PID/stat minflt, majflt), read while
the process waits; "check" compares everything else, and the fault
counters again against the baseline.  Both run `knmt` themselves
(KNMT, default "knmt" on PATH) so that knmt and /proc are read at the same
moment, while the process is idle: the reads are repeated (up to 3 times)
until the rss counters, VmPTE, VmSize and Threads of /proc/PID/status and
the Rss of smaps_rollup are the same before and after.

MANIFEST is the JSON line tests/workloads/memzoo printed (stage
"manifest"): the ranges the process created, the category each must be
in, the bytes it wrote there, and its off-heap buffers.

The oracle.  Every VMA of /proc/PID/smaps gets a category: manifest ranges
first (they may cut a VMA in pieces, and cover several VMAs), the rest by
its name as /proc/PID/maps shows it: [heap] heap, [stack] stack,
/memfd:..., /SYSV..., /dev/shm/..., /dev/zero (shared anonymous) shmem,
any other path file, [vdso], [vvar], [vvar_vclock] and nameless anon.
[vsyscall] is not a VMA of the process (the gate area): left out.  The
resident bytes of a VMA in one piece are its smaps Rss; a VMA cut in pieces
is counted page by page from /proc/PID/pagemap: a page counts when present
and not the shared zero page (or the huge zero page), which
/proc/kpageflags tells (KPF_ZERO_PAGE, root only), as smaps leaves them out
of Rss too.  The sum of the pieces must equal the VMA's Rss (checked).

Checks (each printed "ok - ..." or "not ok - ..." with the numbers):
 a  every manifest range is covered by knmt regions of its category
 b  per category: knmt mapped_bytes == sum of its regions == the oracle,
    and regions == the regions listed; the listed regions are in address
    order, do not overlap, and add up to the size of every VMA
 c  per category: knmt resident within max(1 %, 256 KiB) of the oracle;
    per exact manifest range: knmt resident == bytes written == pagemap
 d  rss.{anon,file,shmem,swap}_bytes == /proc/PID/status RssAnon, RssFile,
    RssShmem, VmSwap (tolerance: --rss-tolerance, default 0: knmt reads the
    same counters as /proc/PID/status on 6.1, and their exact sum on 6.12,
    whose /proc/PID/status sums them too)
 e  |unaccounted_bytes - kernel lag| <= 1 % of RSS, where the kernel lag
    is RSS (the counters) minus the smaps Rss of every VMA: on 6.1 the
    counters lag the page tables by up to 64 events per thread (each
    thread caches its updates and folds them in every 64 faults, or at
    exit), which knmt cannot see either; on 6.12 the lag is 0
 f  offheap live_count, live_bytes, allocated_count and freed_count ==
    the manifest's; allocated_count - freed_count == live_count and
    allocated_bytes - freed_bytes == live_bytes (every buffer and byte
    allocated is live or freed; an mremap growth allocates the bytes it
    adds)
 g  threads == /proc/PID/status Threads; kstacks_bytes == threads *
    THREAD_SIZE, measured as KernelStack in /proc/meminfo over the tasks
    in /proc (16 KiB on x86-64, 32 KiB with KASAN); pagetables_bytes ==
    VmPTE * 1024
 h  faults (with --baseline): knmt's minor and major faults summed over
    the categories grew exactly as /proc/PID/stat minflt and majflt did
    since the baseline.  The kernel counts (mm_account_fault) the faults
    a thread of the process takes; knmt those handle_mm_fault completes
    for the process's address space: the same while only the process
    touches its memory.  The difference at the baseline (faults of
    execve before the exec event, and of the forked shell before execve,
    which knmt does not count: it starts at exec) must be 0..256 (58-61
    measured).
 i  the process is not marked approx

Exit status: 0 all checks passed, 1 a check failed, 2 usage or I/O error.
"""

import json
import os
import re
import struct
import subprocess
import sys

CATS = ["heap", "stack", "arena", "offheap", "anon", "shmem", "file"]
KNMT = os.environ.get("KNMT", "knmt")
KPF_ZERO_PAGE = 24


def thread_size():
    """The kernel stack of a task, from the kernel's own figures: the
    power of two nearest to KernelStack (/proc/meminfo) over the tasks
    /proc lists (the idle tasks of the other CPUs count in KernelStack
    and not in /proc: a few percent over)."""
    tasks = 0
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                tasks += len(os.listdir("/proc/%s/task" % pid))
            except OSError:
                pass
    with open("/proc/meminfo") as f:
        kb = next(int(l.split()[1]) for l in f if l.startswith("KernelStack:"))
    per_task = kb * 1024 / max(tasks, 1)
    return min((8192 << i for i in range(5)), key=lambda s: abs(s - per_task))


THREAD_SIZE = thread_size()
# Minor faults the kernel counts and knmt cannot: those of the forked
# shell before execve and of execve itself before the exec event, when knmt
# starts counting (58-59 measured on 6.1 and 6.12 for memzoo started from
# bash).
EXEC_GAP_MAX = 256
# What must not change while knmt and /proc are read.
STABLE = ("RssAnon", "RssFile", "RssShmem", "VmSwap", "VmPTE", "Threads", "VmSize")

failures = 0


def ok(cond, what, detail=""):
    global failures
    if cond:
        print("ok - " + what)
    else:
        failures += 1
        print("not ok - " + what + (": " + detail if detail else ""))
    return cond


def info(msg):
    print("# " + msg)


def mib(n):
    return "%d (%.2f MiB)" % (n, n / 1048576.0)


def knmt_json(*args):
    r = subprocess.run([KNMT] + list(args) + ["--json"], capture_output=True,
                       text=True)
    if r.returncode != 0:
        sys.exit("check_accuracy: knmt %s failed (%d): %s" %
                 (" ".join(args), r.returncode, r.stderr.strip()))
    return json.loads(r.stdout)


def read(path):
    with open(path) as f:
        return f.read()


def status(pid):
    d = {}
    for line in read("/proc/%d/status" % pid).splitlines():
        k, _, v = line.partition(":")
        v = v.strip()
        if v.endswith(" kB"):
            d[k] = int(v[:-3]) * 1024
        elif re.fullmatch(r"-?\d+", v):
            d[k] = int(v)
        else:
            d[k] = v
    return d


def stat_faults(pid):
    s = read("/proc/%d/stat" % pid)
    f = s[s.rindex(")") + 2:].split()
    # f[0] is field 3: minflt is field 10, majflt field 12.
    return int(f[10 - 3]), int(f[12 - 3])


HDR = re.compile(r"^([0-9a-f]+)-([0-9a-f]+) (\S{4}) ([0-9a-f]+) (\S+) (\d+)\s*(.*)$")


def smaps(pid):
    vmas = []
    cur = None
    for line in read("/proc/%d/smaps" % pid).splitlines():
        m = HDR.match(line)
        if m:
            cur = {"start": int(m.group(1), 16), "end": int(m.group(2), 16),
                   "perms": m.group(3), "name": m.group(7)}
            vmas.append(cur)
            continue
        k, _, v = line.partition(":")
        v = v.strip()
        if cur is not None and v.endswith(" kB"):
            cur[k] = int(v[:-3]) * 1024
        elif cur is not None and k == "VmFlags":
            cur[k] = v.split()
    return vmas


def fault_sums(proc):
    cats = proc["categories"]
    return (sum(cats[c]["faults_minor"] or 0 for c in CATS),
            sum(cats[c]["faults_major"] or 0 for c in CATS))


def name_category(v):
    """The category of a VMA from its name alone (no manifest range)."""
    name = v["name"]
    shared = v["perms"][3] == "s"
    if name == "[heap]":
        return "heap"
    if name == "[stack]":
        return "stack"
    if name in ("[vdso]", "[vvar]", "[vvar_vclock]"):
        return "anon"
    if name.startswith("/dev/zero") and shared:
        return "shmem"
    if name.startswith(("/memfd:", "/SYSV", "/dev/shm/")):
        return "shmem"
    if name.startswith("/"):
        return "file"
    if name == "" or name.startswith("[anon"):
        return "shmem" if shared else "anon"
    return None


class Pagemap:
    def __init__(self, pid):
        self.pm = os.open("/proc/%d/pagemap" % pid, os.O_RDONLY)
        try:
            self.kpf = os.open("/proc/kpageflags", os.O_RDONLY)
        except OSError:
            self.kpf = None
        self.flags = {}

    def entries(self, start, end):
        n = (end - start) // 4096
        buf = os.pread(self.pm, 8 * n, (start // 4096) * 8)
        return struct.unpack("<%dQ" % (len(buf) // 8), buf)

    def _load_flags(self, pfns):
        todo = sorted(p for p in set(pfns) if p not in self.flags)
        i = 0
        while i < len(todo):
            j = i
            while j + 1 < len(todo) and todo[j + 1] == todo[j] + 1 and j - i < 4095:
                j += 1
            first, n = todo[i], j - i + 1
            buf = os.pread(self.kpf, 8 * n, first * 8)
            vals = struct.unpack("<%dQ" % (len(buf) // 8), buf)
            for k, val in enumerate(vals):
                self.flags[first + k] = val
            i = j + 1

    def resident(self, start, end):
        """Present pages that are not the (huge) zero page, in bytes."""
        ents = self.entries(start, end)
        present = [e for e in ents if e >> 63 & 1]
        if self.kpf is None:
            return len(present) * 4096, False
        pfns = [e & ((1 << 55) - 1) for e in present]
        if any(p == 0 for p in pfns):
            return len(present) * 4096, False   # PFNs hidden: not root
        self._load_flags(pfns)
        n = sum(1 for p in pfns if not self.flags.get(p, 0) >> KPF_ZERO_PAGE & 1)
        return n * 4096, True


def rollup(pid):
    d = {}
    for line in read("/proc/%d/smaps_rollup" % pid).splitlines()[1:]:
        k, _, v = line.partition(":")
        d[k] = v.strip()
    return d


def snapshot(pid):
    """Everything read at one moment; retried until /proc is stable."""
    def stable(st, ro):
        return [st.get(k) for k in STABLE] + [ro.get("Rss")]
    for attempt in range(3):
        st0, ro0 = status(pid), rollup(pid)
        summ = knmt_json("summary", "-p", str(pid))
        regs = knmt_json("regions", "-p", str(pid))
        sm = smaps(pid)
        flt = stat_faults(pid)
        st1, ro1 = status(pid), rollup(pid)
        if stable(st0, ro0) == stable(st1, ro1):
            return summ, regs, sm, st1, flt
        info("attempt %d: /proc/%d changed while reading, again" % (attempt + 1, pid))
    return summ, regs, sm, st1, flt


def cmd_snapshot(pid):
    summ = knmt_json("summary", "-p", str(pid))
    proc = summ["processes"][0]
    minor, major = fault_sums(proc)
    smin, smaj = stat_faults(pid)
    json.dump({"pid": pid, "knmt_minor": minor, "knmt_major": major,
               "minflt": smin, "majflt": smaj}, sys.stdout)
    print()
    return 0


def common_checks(proc, regions, vmas, st, rss_tol, threads=None):
    """d, e, g, and the totals over every VMA; returns the smaps Rss sum."""
    cats = proc["categories"]
    smaps_rss = sum(v.get("Rss", 0) for v in vmas if v["name"] != "[vsyscall]")
    smaps_size = sum(v["end"] - v["start"] for v in vmas if v["name"] != "[vsyscall]")
    k_size = sum(cats[c]["mapped_bytes"] for c in CATS)
    # The dump lists each address once, in order.
    spans = [(int(r["start"], 16), int(r["end"], 16)) for r in regions]
    over = ["%x-%x after %x-%x" % (b[0], b[1], a[0], a[1])
            for a, b in zip(spans, spans[1:]) if b[0] < a[1]]
    ok(not over, "b: knmt regions are in address order and do not overlap (%d regions)" % len(spans),
       "%d overlaps, first: %s" % (len(over), "; ".join(over[:5])))
    for c in CATS:
        rs = [r for r in regions if r["category"] == c]
        rsize = sum(int(r["end"], 16) - int(r["start"], 16) for r in rs)
        ok(cats[c]["mapped_bytes"] == rsize and cats[c]["regions"] == len(rs),
           "b: %s mapped_bytes and regions == the regions listed" % c,
           "summary %d in %d, listed %d in %d" % (cats[c]["mapped_bytes"], cats[c]["regions"],
                                                  rsize, len(rs)))
    ok(k_size == smaps_size, "b: mapped_bytes over the categories == the size of every VMA",
       "knmt %d, smaps %d, diff %+d" % (k_size, smaps_size, k_size - smaps_size))

    # --- d: rss counters --------------------------------------------------
    rss = proc["rss"]
    for key, skey in (("anon_bytes", "RssAnon"), ("file_bytes", "RssFile"),
                      ("shmem_bytes", "RssShmem"), ("swap_bytes", "VmSwap")):
        ok(abs(rss[key] - st[skey]) <= rss_tol,
           "d: rss.%s == /proc/PID/status %s (tolerance %d)" % (key, skey, rss_tol),
           "knmt %d, status %d, diff %+d" % (rss[key], st[skey], rss[key] - st[skey]))

    # --- e: unaccounted -----------------------------------------------------
    total_rss = rss["anon_bytes"] + rss["file_bytes"] + rss["shmem_bytes"]
    sum_res = sum(cats[c]["resident_bytes"] for c in CATS)
    lag = total_rss - smaps_rss
    ok(proc["unaccounted_bytes"] == total_rss - sum_res,
       "e: unaccounted_bytes == RSS - sum of resident",
       "%d vs %d" % (proc["unaccounted_bytes"], total_rss - sum_res))
    info("RSS %d, sum of smaps Rss %d: kernel counter lag %+d bytes" % (total_rss, smaps_rss, lag))
    ok(abs(proc["unaccounted_bytes"] - lag) <= total_rss // 100,
       "e: |unaccounted_bytes - kernel lag| <= 1 %% of RSS (unaccounted %+d, lag %+d)" %
       (proc["unaccounted_bytes"], lag),
       "RSS %d, limit %d" % (total_rss, total_rss // 100))

    # --- g: threads, kernel stacks, page tables -------------------------------
    ok(proc["threads"] == st["Threads"] and threads in (None, st["Threads"]),
       "g: threads == /proc/PID/status Threads%s" % ("" if threads is None else " == %d" % threads),
       "knmt %s, status %s" % (proc["threads"], st["Threads"]))
    ok(proc["kernel"]["kstacks_bytes"] == st["Threads"] * THREAD_SIZE,
       "g: kstacks_bytes == threads * %d KiB" % (THREAD_SIZE // 1024),
       "knmt %d, expected %d" % (proc["kernel"]["kstacks_bytes"], st["Threads"] * THREAD_SIZE))
    ok(proc["kernel"]["pagetables_bytes"] == st["VmPTE"],
       "g: pagetables_bytes == VmPTE * 1024",
       "knmt %d, VmPTE %d" % (proc["kernel"]["pagetables_bytes"], st["VmPTE"]))

    return smaps_rss


def pieces_of(v, ranges):
    """Cut VMA v by the manifest ranges: [(start, end, category, range)]."""
    out = []
    pos = v["start"]
    for r in ranges:
        if r["end"] <= v["start"] or r["start"] >= v["end"]:
            continue
        s, e = max(r["start"], v["start"]), min(r["end"], v["end"])
        if s > pos:
            out.append((pos, s, None, None))
        out.append((s, e, r["category"], r))
        pos = e
    if pos < v["end"]:
        out.append((pos, v["end"], None, None))
    return out


def cmd_check(pid, manifest_path, baseline_path, rss_tol):
    with open(manifest_path) as f:
        lines = [json.loads(x) for x in f if x.strip().startswith("{")]
    man = [x for x in lines if x.get("stage") == "manifest"]
    if not man:
        sys.exit("check_accuracy: no manifest line in " + manifest_path)
    man = man[-1]
    if man["pid"] != pid:
        sys.exit("check_accuracy: the manifest is of pid %d" % man["pid"])
    ranges = sorted(({"name": r["name"], "start": int(r["start"], 16),
                      "end": int(r["end"], 16), "category": r["category"],
                      "touched": r["touched_bytes"], "exact": r["exact"]}
                     for r in man["ranges"]), key=lambda r: r["start"])
    for a, b in zip(ranges, ranges[1:]):
        if a["end"] > b["start"]:
            sys.exit("check_accuracy: manifest ranges %s and %s overlap" %
                     (a["name"], b["name"]))

    if "merged_pair_in_one_vma" in man:
        ok(man["merged_pair_in_one_vma"],
           "workload: the kernel merged the two adjacent off-heap buffers into one VMA")
    summ, regs, vmas, st, (minflt, majflt) = snapshot(pid)
    procs = summ["processes"]
    ok(len(procs) == 1 and procs[0]["pid"] == pid,
       "knmt summary -p %d describes that process" % pid)
    proc = procs[0]
    cats = proc["categories"]
    kregs = [dict(r, s=int(r["start"], 16), e=int(r["end"], 16))
             for r in regs["regions"]]
    ok("approx" not in proc.get("flags", []),
       "i: the process is tracked exactly (not approx)", str(proc.get("flags")))

    # --- the oracle ---------------------------------------------------
    pm = Pagemap(pid)
    o_mapped = dict.fromkeys(CATS, 0)
    o_res = dict.fromkeys(CATS, 0)
    range_res = {}
    smaps_rss = 0
    pm_exact = True
    unknown = []
    for v in vmas:
        if v["name"] == "[vsyscall]":
            continue
        smaps_rss += v.get("Rss", 0)
        pcs = pieces_of(v, ranges)
        dflt = name_category(v)
        if dflt is None:
            unknown.append(v)
            dflt = "anon"
        if len(pcs) == 1:
            s, e, c, r = pcs[0]
            c = c or dflt
            o_mapped[c] += e - s
            o_res[c] += v.get("Rss", 0)
            if r is not None:
                range_res[r["name"], r["start"]] = range_res.get((r["name"], r["start"]), 0) + v.get("Rss", 0)
            continue
        tot = 0
        for s, e, c, r in pcs:
            res, exact = pm.resident(s, e)
            pm_exact = pm_exact and exact
            tot += res
            c = c or dflt
            o_mapped[c] += e - s
            o_res[c] += res
            if r is not None:
                range_res[r["name"], r["start"]] = range_res.get((r["name"], r["start"]), 0) + res
        ok(tot == v.get("Rss", 0),
           "oracle: pagemap of %x-%x (%d pieces) sums to its smaps Rss" %
           (v["start"], v["end"], len(pcs)),
           "pagemap %d, smaps Rss %d" % (tot, v.get("Rss", 0)))
    if not pm_exact:
        info("pagemap without /proc/kpageflags: zero pages may count as resident")
    for v in unknown:
        info("VMA of unknown kind %x-%x %r: counted as anon" % (v["start"], v["end"], v["name"]))

    # --- a: coverage ---------------------------------------------------
    for r in ranges:
        cover = [k for k in kregs if k["e"] > r["start"] and k["s"] < r["end"]]
        pos, bad = r["start"], []
        for k in sorted(cover, key=lambda k: k["s"]):
            if k["s"] > pos:
                bad.append("hole %x-%x" % (pos, k["s"]))
            if k["category"] != r["category"]:
                bad.append("%x-%x is %s (origin %s)" % (max(k["s"], r["start"]),
                           min(k["e"], r["end"]), k["category"], k["origin"]))
            pos = max(pos, k["e"])
        if pos < r["end"]:
            bad.append("hole %x-%x" % (pos, r["end"]))
        ok(not bad, "a: %s %x-%x is %s in knmt's regions" %
           (r["name"], r["start"], r["end"], r["category"]), "; ".join(bad))

    # --- b: mapped -----------------------------------------------------
    k_mapped = dict.fromkeys(CATS, 0)
    k_res = dict.fromkeys(CATS, 0)
    k_count = dict.fromkeys(CATS, 0)
    badsize = ["%x-%x: %d" % (k["s"], k["e"], k["size_bytes"]) for k in kregs
               if k["size_bytes"] != k["e"] - k["s"]]
    ok(not badsize, "b: every region's size_bytes == end - start", "; ".join(badsize))
    for k in kregs:
        k_mapped[k["category"]] += k["e"] - k["s"]
        k_res[k["category"]] += k["resident_bytes"]
        k_count[k["category"]] += 1
    info("%-8s %14s %14s %14s %14s %14s %7s" % ("category", "knmt mapped", "oracle mapped",
         "knmt resident", "oracle res.", "diff", "regions"))
    for c in CATS:
        info("%-8s %14d %14d %14d %14d %14d %7s" % (c, cats[c]["mapped_bytes"], o_mapped[c],
             cats[c]["resident_bytes"], o_res[c], cats[c]["resident_bytes"] - o_res[c],
             cats[c]["regions"]))
    for c in CATS:
        km = cats[c]["mapped_bytes"]
        ok(km == k_mapped[c] == o_mapped[c],
           "b: %s mapped_bytes == its regions == the oracle" % c,
           "summary %s, regions %s, oracle %s (diff %+d)" %
           (mib(km), mib(k_mapped[c]), mib(o_mapped[c]), km - o_mapped[c]))
        ok(cats[c]["regions"] == k_count[c],
           "b: %s regions == the regions listed" % c,
           "summary %d, listed %d" % (cats[c]["regions"], k_count[c]))

    # --- c: resident ---------------------------------------------------
    for c in CATS:
        kr = cats[c]["resident_bytes"]
        tol = max(o_res[c] // 100, 256 * 1024)
        ok(kr == k_res[c], "c: %s resident_bytes == the sum over its regions" % c,
           "summary %d, regions %d" % (kr, k_res[c]))
        ok(abs(kr - o_res[c]) <= tol,
           "c: %s resident within %d of the oracle (diff %+d)" % (c, tol, kr - o_res[c]),
           "knmt %s, oracle (smaps/pagemap) %s" % (mib(kr), mib(o_res[c])))
    for r in ranges:
        inside = [k for k in kregs if k["e"] > r["start"] and k["s"] < r["end"]]
        if not all(k["s"] >= r["start"] and k["e"] <= r["end"] for k in inside):
            info("%s: a knmt region reaches past the range; resident not compared per range" % r["name"])
            continue
        kres = sum(k["resident_bytes"] for k in inside)
        ores = range_res.get((r["name"], r["start"]), 0)
        if r["exact"]:
            ok(kres == r["touched"] == ores,
               "c: %s resident == bytes written" % r["name"],
               "knmt %d, written %d, oracle %d" % (kres, r["touched"], ores))
        else:
            ok(kres == ores and ores >= r["touched"],
               "c: %s resident == the oracle's, >= bytes written" % r["name"],
               "knmt %d, oracle %d, written %d" % (kres, ores, r["touched"]))

    smaps_rss = common_checks(proc, regs["regions"], vmas, st, rss_tol, man["threads"])

    # --- f: off-heap ---------------------------------------------------------
    koh, moh = proc["offheap"], man["offheap"]
    for key in ("live_count", "live_bytes"):
        ok(koh[key] == moh[key], "f: offheap.%s == the workload's (%d)" % (key, moh[key]),
           "knmt %d, workload %d, diff %+d" % (koh[key], moh[key], koh[key] - moh[key]))
    for key in ("allocated_count", "freed_count"):
        ok(koh[key] == moh[key], "f: offheap.%s == the workload's (%d)" % (key, moh[key]),
           "knmt %d, workload %d, diff %+d" % (koh[key], moh[key], koh[key] - moh[key]))
    # Bytes allocated and freed depend on what counts as a free (a partial
    # unmap, a MAP_FIXED mapping over part of a buffer): printed, and
    # checked for conservation below.
    info("offheap allocated_bytes %d (workload %d), freed_bytes %d (workload %d)" %
         (koh["allocated_bytes"], moh["allocated_bytes"], koh["freed_bytes"], moh["freed_bytes"]))
    ok(koh["allocated_count"] - koh["freed_count"] == koh["live_count"],
       "f: offheap allocated_count - freed_count == live_count",
       "%d - %d = %d, live %d" % (koh["allocated_count"], koh["freed_count"],
                                  koh["allocated_count"] - koh["freed_count"], koh["live_count"]))
    # Every byte that is live was allocated and not freed: an mremap that
    # grows a buffer allocates what it adds.
    ok(koh["allocated_bytes"] - koh["freed_bytes"] == koh["live_bytes"],
       "f: offheap allocated_bytes - freed_bytes == live_bytes",
       "allocated %d - freed %d = %d, live %d (diff %+d); the workload allocated %d" %
       (koh["allocated_bytes"], koh["freed_bytes"], koh["allocated_bytes"] - koh["freed_bytes"],
        koh["live_bytes"], koh["allocated_bytes"] - koh["freed_bytes"] - koh["live_bytes"],
        moh["allocated_bytes"]))

    # --- h: faults -------------------------------------------------------------
    minor, major = fault_sums(proc)
    info("faults: knmt minor %d major %d; /proc/PID/stat minflt %d majflt %d" %
         (minor, major, minflt, majflt))
    for c in CATS:
        info("faults %-8s minor %8d major %6d" % (c, cats[c]["faults_minor"], cats[c]["faults_major"]))
    if baseline_path:
        with open(baseline_path) as f:
            b = json.load(f)
        info("at the baseline: knmt minor %d major %d; minflt %d majflt %d "
             "(not counted by knmt: %d minor, %d major)" %
             (b["knmt_minor"], b["knmt_major"], b["minflt"], b["majflt"],
              b["minflt"] - b["knmt_minor"], b["majflt"] - b["knmt_major"]))
        dk, ds = minor - b["knmt_minor"], minflt - b["minflt"]
        ok(dk == ds, "h: minor faults since the baseline: knmt %d == kernel %d" % (dk, ds),
           "diff %+d" % (dk - ds))
        gap = b["minflt"] - b["knmt_minor"]
        ok(0 <= gap <= EXEC_GAP_MAX,
           "h: at the baseline the kernel counted %d minor faults more than knmt (0..%d: "
           "faults before the exec event)" % (gap, EXEC_GAP_MAX))
        dk, ds = major - b["knmt_major"], majflt - b["majflt"]
        ok(dk == ds, "h: major faults since the baseline: knmt %d == kernel %d" % (dk, ds),
           "diff %+d" % (dk - ds))

    thp = sum(v.get("AnonHugePages", 0) for v in vmas)
    info("AnonHugePages %d; thp %s, use_zero_page %s; merged pair in one VMA: %s" %
         (thp, man.get("thp_enabled"), man.get("thp_use_zero_page"),
          man.get("merged_pair_in_one_vma")))
    print("%d failed" % failures if failures else "all checks passed")
    return 1 if failures else 0


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description="knmt against the kernel's numbers")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("snapshot")
    s.add_argument("pid", type=int)
    c = sub.add_parser("check")
    c.add_argument("pid", type=int)
    c.add_argument("manifest")
    c.add_argument("--baseline")
    c.add_argument("--rss-tolerance", type=int, default=0,
                   help="bytes allowed between knmt's rss and /proc/PID/status")
    a = ap.parse_args(argv)
    try:
        if a.cmd == "snapshot":
            return cmd_snapshot(a.pid)
        return cmd_check(a.pid, a.manifest, a.baseline, a.rss_tolerance)
    except (OSError, ValueError, KeyError) as e:
        print("check_accuracy: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
