#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""knmt against a language runtime's own numbers.

    check_runtime.py java PID OUTFILE
    check_runtime.py go PID OUTFILE

OUTFILE is the workload's stdout: tests/workloads/DirectHold.java's or
goheap.go's "ready" JSON line (and for the JVM the lines of -Xlog:pagesize and
-Xlog:os+thread: the heap and code cache ranges, the threads).  knmt and /proc are read as
check_accuracy.py reads them, and its checks that need no manifest run
too (every VMA's size, rss == /proc/PID/status, unaccounted, threads,
kernel stacks, page tables).

java:
  j1  the JVM's direct pool (BufferPoolMXBean "direct") holds the buffers
  j2  at least as many off-heap regions of 1 MiB + 4 KiB as buffers: each
      1 MiB buffer is one glibc mmap'ed chunk (glibc's mmap threshold did
      not move them into a malloc heap)
  j3  knmt offheap live_bytes within 5 % of the pool's MemoryUsed (and not
      below it)
  j4  the Java heap and the code cache (their ranges from -Xlog:pagesize)
      are all arena in knmt's regions; arena mapped_bytes >= the heap size
      and >= NMT's "Java Heap" reserved; no off-heap region of 32 MiB+
  j5  thread stacks in stack: stack regions >= the JVM's threads
      (/proc/PID/status Threads); every live thread -Xlog:os+thread
      reports has its stack in stack (a glibc pthread id is the address of
      the thread descriptor, at the top of its stack mapping), and so is
      the whole mapping (stack size + guard size, as logged) of each thread
      the JVM started; the main Java thread's logged stack range is all
      stack; knmt's stack
      mapped_bytes within 2 % of
      NMT's thread stacks reserved (NMT counts each thread's stack as its
      pthread stack size; knmt the mappings)
go:
  g1  arena resident_bytes >= 90 % of HeapInuse
  g2  offheap resident_bytes <= the runtime's memory outside heap and
      stacks (Sys - HeapSys - StackSys: GC metadata, spans, caches,
      profiling buckets, other): off-heap is small
  g3  every parked goroutine's stack address is in an arena region
  g4  the main thread's stack ([stack]) is the stack category: stack
      mapped_bytes == the [stack] VMA's size (Go without cgo maps no
      other thread stacks; its threads run on stacks from its heap)
"""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_accuracy as ca  # noqa: E402
from check_accuracy import ok, info, mib  # noqa: E402

MIB = 1 << 20


def ready_line(path):
    for line in open(path):
        line = line.strip()
        if line.startswith("{") and '"stage":"ready"' in line.replace(" ", ""):
            return json.loads(line)
    sys.exit("check_runtime: no ready line in " + path)


def region_at(regs, addr):
    for r in regs:
        if r["s"] <= addr < r["e"]:
            return r
    return None


def covered_by(regs, start, end, cat):
    """Problems with [start, end) being all category cat."""
    bad, pos = [], start
    for r in sorted((r for r in regs if r["e"] > start and r["s"] < end), key=lambda r: r["s"]):
        if r["s"] > pos:
            bad.append("hole %x-%x" % (pos, r["s"]))
        if r["category"] != cat:
            bad.append("%x-%x is %s" % (max(r["s"], start), min(r["e"], end), r["category"]))
        pos = max(pos, r["e"])
    if pos < end:
        bad.append("hole %x-%x" % (pos, end))
    return bad


def nmt_kb(text, pattern):
    m = re.search(pattern, text)
    return int(m.group(1)) * 1024 if m else None


def check_java(pid, out, proc, regs, st):
    j = ready_line(out)
    cats = proc["categories"]
    n = j["buffers"]
    ok(j["direct_count"] == n and j["direct_memory_used"] == n * MIB,
       "j1: the direct pool holds %d buffers of 1 MiB" % n,
       "Count %d, MemoryUsed %d" % (j["direct_count"], j["direct_memory_used"]))
    chunk = MIB + 4096
    nchunks = sum(1 for r in regs if r["category"] == "offheap" and r["e"] - r["s"] == chunk)
    ok(nchunks >= n, "j2: %d off-heap regions of 1 MiB + 4 KiB (>= %d buffers)" % (nchunks, n))
    info("offheap regions: %d, summary says %d" %
         (sum(1 for r in regs if r["category"] == "offheap"), cats["offheap"]["regions"]))
    live, used = proc["offheap"]["live_bytes"], j["direct_memory_used"]
    info("offheap live_bytes %s, live_count %d; direct MemoryUsed %s (%+.2f %%)" %
         (mib(live), proc["offheap"]["live_count"], mib(used), 100.0 * (live - used) / used))
    ok(used <= live <= used * 1.05,
       "j3: offheap live_bytes within 5 % of the direct pool's MemoryUsed",
       "live %d, MemoryUsed %d" % (live, used))

    nmt = j.get("nmt", "")
    text = open(out).read()
    # -Xlog:pagesize: "Heap:  min=.. max=.. base=0x... page_size=4K size=256M"
    for what, pat in (("Java heap", r"\] Heap: .*base=(0x[0-9a-f]+) .*size=(\d+)([KMG])"),
                      ("code cache", r"\] CodeCache: .*base=(0x[0-9a-f]+) .*size=(\d+)([KMG])")):
        m = re.search(pat, text)
        if not ok(m is not None, "j4: the JVM logged its %s range (-Xlog:pagesize)" % what):
            continue
        hs = int(m.group(1), 16)
        hl = int(m.group(2)) << {"K": 10, "M": 20, "G": 30}[m.group(3)]
        bad = covered_by(regs, hs, hs + hl, "arena")
        ok(not bad, "j4: the %s %x-%x (%d MiB) is all arena" % (what, hs, hs + hl, hl // MIB),
           "; ".join(bad))
        if what == "Java heap":
            ok(cats["arena"]["mapped_bytes"] >= hl, "j4: arena mapped_bytes >= the Java heap",
               "arena %d, heap %d" % (cats["arena"]["mapped_bytes"], hl))
    nheap = nmt_kb(nmt, r"Java Heap \(reserved=(\d+)KB")
    info("NMT Java Heap reserved %s; knmt arena mapped %s, resident %s" %
         (nheap, cats["arena"]["mapped_bytes"], cats["arena"]["resident_bytes"]))
    if ok(nheap is not None, "j4: NMT reports the Java heap (-XX:NativeMemoryTracking=summary)",
          nmt[:300]):
        ok(cats["arena"]["mapped_bytes"] >= nheap, "j4: arena mapped_bytes >= NMT's Java Heap reserved")
    big_oh = [r for r in regs if r["category"] == "offheap" and r["e"] - r["s"] >= 32 * MIB]
    ok(not big_oh, "j4: no off-heap region of 32 MiB or more (the heap is not off-heap)",
       ", ".join("%x-%x" % (r["s"], r["e"]) for r in big_oh))

    nstack = cats["stack"]["regions"]
    ok(nstack >= st["Threads"], "j5: stack regions (%d) >= the JVM's threads (%d)" %
       (nstack, st["Threads"]))
    # -Xlog:os+thread: a glibc pthread id is the address of the thread's
    # descriptor, at the top of its stack mapping.
    alive = {}
    for line in text.splitlines():
        m = re.search(r"Thread (is alive|attached) \(tid: (\d+), pthread id: (\d+)", line)
        if m:
            alive[int(m.group(2))] = int(m.group(3))
            continue
        m = re.search(r"(finished|detaching|exiting).*\(tid: (\d+)", line)
        if m:
            alive.pop(int(m.group(2)), None)
    bad = []
    for tid, ptid in sorted(alive.items()):
        r = region_at(regs, ptid)
        if r is None or r["category"] != "stack":
            bad.append("tid %d: %x in %s" % (tid, ptid, r and r["category"]))
    ok(alive and not bad, "j5: the stacks of the JVM's %d logged threads are stack (-Xlog:os+thread)"
       % len(alive), "; ".join(bad))
    # The whole mapping of each thread the JVM started: glibc maps guard +
    # stack size as one block whose top holds the descriptor.
    sizes = {}
    for m in re.finditer(r"started \(pthread id: (\d+), attributes: stacksize: (\d+)k, "
                         r"guardsize: (\d+)k", text):
        sizes[int(m.group(1))] = (int(m.group(2)) + int(m.group(3))) * 1024
    bad, n = [], 0
    for tid, ptid in sorted(alive.items()):
        r = region_at(regs, ptid)
        if ptid not in sizes or r is None or r["category"] != "stack":
            continue
        n += 1
        lo, hi = r["e"] - sizes[ptid], r["e"]
        b = covered_by(regs, lo, hi, "stack")
        if b:
            bad.append("tid %d %x-%x: %s" % (tid, lo, hi, ", ".join(b)))
    ok(n and not bad, "j5: the whole stack mapping of each of the %d threads the JVM started "
       "is stack" % n, "%d not: %s" % (len(bad), "; ".join(bad)))
    m = re.search(r"Thread attached \(tid: \d+, pthread id: \d+, stack: (0x[0-9a-f]+) - (0x[0-9a-f]+)", text)
    if m:
        hi, lo = int(m.group(1), 16), int(m.group(2), 16)
        bad = covered_by(regs, lo, hi, "stack")
        ok(not bad, "j5: the main Java thread's stack %x-%x is all stack" % (lo, hi), "; ".join(bad))
    nst = nmt_kb(nmt, r"\(stack: reserved=(\d+)KB")
    km = cats["stack"]["mapped_bytes"]
    info("NMT thread stacks reserved %s, threads %s; knmt stack mapped %d, resident %d" %
         (nst, nmt_kb(nmt, r"\(thread #(\d+)\)") and nmt_kb(nmt, r"\(thread #(\d+)\)") // 1024,
          km, cats["stack"]["resident_bytes"]))
    if nst is not None:
        ok(abs(km - nst) <= nst // 50, "j5: stack mapped_bytes within 2 % of NMT's thread stacks",
           "knmt %d, NMT %d, diff %+d" % (km, nst, km - nst))


def check_go(pid, out, proc, regs, vmas):
    j = ready_line(out)
    cats = proc["categories"]
    info("HeapSys %d HeapInuse %d StackSys %d Sys %d GCSys %d OtherSys %d" %
         (j["HeapSys"], j["HeapInuse"], j["StackSys"], j["Sys"], j["GCSys"], j["OtherSys"]))
    for c in ca.CATS:
        info("%-8s mapped %12d resident %12d regions %4d" %
             (c, cats[c]["mapped_bytes"], cats[c]["resident_bytes"], cats[c]["regions"]))
    ar = cats["arena"]["resident_bytes"]
    ok(ar >= 0.9 * j["HeapInuse"], "g1: arena resident >= 90 % of HeapInuse",
       "arena resident %s, HeapInuse %s" % (mib(ar), mib(j["HeapInuse"])))
    other = j["Sys"] - j["HeapSys"] - j["StackSys"]
    ohr = cats["offheap"]["resident_bytes"]
    ok(ohr <= other, "g2: offheap resident (%s) <= the runtime's non-heap memory (%s)" %
       (mib(ohr), mib(other)))
    bad = []
    for a in j["goroutine_stacks"]:
        r = region_at(regs, int(a, 16))
        if r is None or r["category"] != "arena":
            bad.append("%s in %s" % (a, r and r["category"]))
    ok(not bad, "g3: the %d goroutine stacks are in arena" % len(j["goroutine_stacks"]),
       "; ".join(bad))
    main_stack = [v for v in vmas if v["name"] == "[stack]"]
    if ok(len(main_stack) == 1, "g4: one [stack] VMA"):
        v = main_stack[0]
        ok(not covered_by(regs, v["start"], v["end"], "stack") and
           cats["stack"]["mapped_bytes"] == v["end"] - v["start"],
           "g4: the main thread's stack is the stack category, and all of it",
           "stack mapped %d, [stack] %d" % (cats["stack"]["mapped_bytes"], v["end"] - v["start"]))


def main(argv):
    if len(argv) != 3 or argv[0] not in ("java", "go"):
        print(__doc__, file=sys.stderr)
        return 2
    kind, pid, out = argv[0], int(argv[1]), argv[2]
    try:
        summ, regs, vmas, st, _ = ca.snapshot(pid)
        proc = summ["processes"][0]
        kregs = [dict(r, s=int(r["start"], 16), e=int(r["end"], 16)) for r in regs["regions"]]
        ok("approx" not in proc.get("flags", []), "the process is tracked exactly (not approx)")
        ca.common_checks(proc, regs["regions"], vmas, st, 0)
        if kind == "java":
            check_java(pid, out, proc, kregs, st)
        else:
            check_go(pid, out, proc, kregs, vmas)
    except (OSError, ValueError, KeyError) as e:
        print("check_runtime: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        return 2
    print("%d failed" % ca.failures if ca.failures else "all checks passed")
    return 1 if ca.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
