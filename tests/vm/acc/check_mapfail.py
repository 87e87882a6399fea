#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Mappings that fail after the kernel has placed them.

knmt follows a mapping from do_mmap() through mmap_region() to its last
step, which only a mapping that succeeded reaches.  A mapping refused
inside mmap_region() (here: the commit charge of a private writable
mapping larger than RAM and swap) leaves the thread's state at "placed";
the thread's next mmap, brk or mprotect must end it, and nothing of it
may show.

A child maps B (read-only: not charged, so it succeeds), then asks for a
writable mapping of B's size anywhere (refused) and over B with MAP_FIXED
(refused; 6.12 puts B back, 6.1 has unmapped it by then).  B, when it is
still there, is then made read-execute: mprotect() reaches the step a
successful mapping ends in, with B covering the refused range.  Then C,
64 KiB read-only at B's address (MAP_FIXED: it inherits the origin of a
record there), and D, 1 MiB read-write-execute anywhere (off-heap by its
request; the protections keep C and D from merging with a neighbour).
Checked, without a reader and with one (every mapping then goes through
all the steps):

  - both refusals were ENOMEM (else the test proves nothing and fails);
  - knmt's regions for B's remainder, C and D are the VMAs of
    /proc/PID/maps with the same bounds, and in B's range knmt has the
    regions /proc/PID/maps has, no more;
  - C is anon with no origin, D is off-heap with the off-heap origin, B
    is neither: a refused mapping gave no origin to the VMA that later
    covered its range, nor a record that C could inherit;
  - with a reader: one mmap event of B's size (B's own), none for the
    refusals; the events of C and D carry their categories.

Run as root in the VM with the module loaded.
"""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tap  # noqa: E402
from tap import check  # noqa: E402
from check_events import joined, knmt_json, stop, watch  # noqa: E402

CHILD = r"""
import ctypes, json, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int,
                      ctypes.c_int, ctypes.c_int, ctypes.c_long]
libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
FAILED = ctypes.c_void_p(-1).value
R, W, X = 1, 2, 4
PRIVATE, FIXED, ANON = 0x02, 0x10, 0x20

def mmap(addr, size, prot, flags):
    ctypes.set_errno(0)
    a = libc.mmap(addr, size, prot, flags, -1, 0)
    if a is None or a == FAILED:
        return None, ctypes.get_errno()
    return a, 0

big = int(sys.argv[1])
small = 64 << 10
out = {"big": big, "small": small}
b, err = mmap(None, big, R, PRIVATE | ANON)
if b is None:
    print(json.dumps({"error": "B: errno %d" % err}), flush=True)
    sys.exit(1)
out["b"] = b
out["free_errno"] = mmap(None, big, R | W, PRIVATE | ANON)[1]
out["fixed_errno"] = mmap(b, big, R | W, PRIVATE | ANON | FIXED)[1]
with open("/proc/self/maps") as f:
    out["b_alive"] = any(l.startswith("%x-" % b) for l in f)
if out["b_alive"]:
    ctypes.set_errno(0)
    out["mprotect"] = libc.mprotect(b, big, R | X)
    out["mprotect_errno"] = ctypes.get_errno()
c, err = mmap(b, small, R, PRIVATE | ANON | FIXED)
out["c"], out["c_errno"] = c, err
d, err = mmap(None, 1 << 20, R | W | X, PRIVATE | ANON)
out["d"], out["d_errno"] = d, err
if d:
    ctypes.memset(d, 1, 1 << 20)
print(json.dumps(out), flush=True)
sys.stdin.readline()
"""


def meminfo(key):
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) << 10
    return 0


def vmas(pid):
    out = []
    with open(f"/proc/{pid}/maps") as f:
        for line in f:
            lo, hi = line.split()[0].split("-")
            out.append((int(lo, 16), int(hi, 16)))
    return out


def one(regions, lo, hi):
    """knmt's region [lo, hi) exactly, or None."""
    for r in regions:
        if int(r["start"], 16) == lo and int(r["end"], 16) == hi:
            return r
    return None


def run(tag, big, reader):
    reader_p = None
    if reader:
        reader_p, out = watch()
        joined(reader_p, out, what=f"{tag}: knmt watch joined")
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(big)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = child.stdout.readline()
    try:
        got = json.loads(line)
    except ValueError:
        got = {"error": f"no report from the child: {line!r}"}
    pid = child.pid
    regions = maps = None
    if "error" not in got:
        regions = knmt_json("regions", "-p", str(pid))["regions"]
        maps = vmas(pid)
    child.stdin.write("\n")
    child.stdin.close()
    child.wait()
    events = []
    if reader_p:
        time.sleep(1.0)
        events, _ = stop(reader_p, out)
    if not check("error" not in got, f"{tag}: the child ran", got.get("error", "")):
        return

    print(f"# {tag}: B {got['b']:#x} + {big >> 20} MiB, still there: {got['b_alive']}")
    check(got["free_errno"] == 12 and got["fixed_errno"] == 12,
          f"{tag}: both writable mappings of {big >> 20} MiB were refused (ENOMEM)",
          f"errno {got['free_errno']} and {got['fixed_errno']}")
    check(got["c"] == got["b"] and got["d"],
          f"{tag}: C (at B's address) and D were mapped",
          f"C {got['c']} errno {got['c_errno']}, D {got['d']} errno {got['d_errno']}")
    if got["b_alive"]:
        check(got.get("mprotect") == 0, f"{tag}: B made read-execute",
              f"errno {got.get('mprotect_errno')}")
    b, small = got["b"], got["small"]
    want = [("C", b, b + small), ("D", got["d"], got["d"] + (1 << 20))]
    if got["b_alive"]:
        want.append(("B", b + small, b + big))
    for name, lo, hi in want:
        check((lo, hi) in maps, f"{tag}: {name} {lo:#x}-{hi:#x} is one VMA in /proc/PID/maps",
              str([m for m in maps if m[0] < hi and lo < m[1]]))
        r = one(regions, lo, hi)
        check(r is not None, f"{tag}: knmt has a region {name} {lo:#x}-{hi:#x}",
              str([(x["start"], x["end"]) for x in regions
                   if int(x["start"], 16) < hi and lo < int(x["end"], 16)]))
        if r is None:
            continue
        if name == "C":
            check(r.get("category") == "anon" and r.get("origin") == "none",
                  f"{tag}: C is anon with no origin", f"{r.get('category')} / {r.get('origin')}")
        elif name == "D":
            check(r.get("category") == "offheap" and r.get("origin") == "offheap",
                  f"{tag}: D is offheap by origin", f"{r.get('category')} / {r.get('origin')}")
        else:
            check(r.get("category") != "offheap" and r.get("origin") == "none",
                  f"{tag}: B got no origin from the refused mapping over it",
                  f"{r.get('category')} / {r.get('origin')}")
    spans = sorted((int(x["start"], 16), int(x["end"], 16)) for x in regions)
    inside = [x for x in spans if x[0] < b + big and b < x[1]]
    there = [m for m in maps if m[0] < b + big and b < m[1]]
    check(inside == there, f"{tag}: in B's range knmt has the regions /proc/PID/maps has",
          f"knmt {[(hex(x), hex(y)) for x, y in inside]}, "
          f"maps {[(hex(x), hex(y)) for x, y in there]}")
    if not reader:
        return
    mine = [e for e in events if e.get("pid") == pid and e.get("type") == "mmap"]
    sized = [e for e in mine if e.get("len") == big]
    check(len(sized) == 1 and int(sized[0].get("start") or "0", 16) == b,
          f"{tag}: one mmap event of {big >> 20} MiB, B's; none for the refusals",
          str([(e.get("start"), e.get("len")) for e in sized]))
    for name, lo, hi, cat in (("C", b, b + small, "anon"),
                              ("D", got["d"], got["d"] + (1 << 20), "offheap")):
        ev = [e for e in mine if e.get("len") == hi - lo and
              int(e.get("start") or "0", 16) == lo]
        check(bool(ev) and ev[-1].get("category") == cat,
              f"{tag}: the mmap event of {name} says {cat}",
              str([(e.get("start"), e.get("category")) for e in ev]))


def main():
    mem = meminfo("MemTotal") + meminfo("SwapTotal")
    big = ((2 * mem) + (2 << 20) - 1) & ~((2 << 20) - 1)
    path = "/proc/sys/vm/overcommit_memory"
    with open(path) as f:
        was = f.read().strip()
    # The heuristic mode refuses a charge above RAM and swap together.
    with open(path, "w") as f:
        f.write("0")
    try:
        run("plain", big, False)
        run("with a reader", big, True)
    finally:
        with open(path, "w") as f:
            f.write(was)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
