#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""grow - a process whose anonymous memory grows by known amounts on
command, for tests/vm/t-diff.sh and t-report.sh.  Nothing to build.

    grow.py

Protocol, JSON lines on stdout, commands on stdin (one a line):

    {"stage": "ready", "pid": N}            printed first
    grow MIB   maps MIB MiB private anonymous read-write in one mmap()
               (an off-heap buffer to knmt: at least offheap_min_bytes,
               created read-write in one step) and writes a byte in every
               page of it:
               {"stage": "grown", "bytes": B, "total_bytes": T}
    free       unmaps the last buffer grown: {"stage": "freed", ...}
    exit, EOF  exits 0

Everything the interpreter needs to run a command is allocated at start
(one grow and free of a small buffer), so a command adds nothing but the
buffer itself.
"""
import json
import mmap
import os
import sys

PAGE = mmap.PAGESIZE
MIB = 1 << 20
bufs = []


def say(**kw):
    sys.stdout.write(json.dumps(kw, sort_keys=True) + "\n")
    sys.stdout.flush()


def grow(mib):
    size = mib * MIB
    m = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS,
                  prot=mmap.PROT_READ | mmap.PROT_WRITE)
    for off in range(0, size, PAGE):
        m[off] = 1
    bufs.append(m)
    return size


def total():
    return sum(len(m) for m in bufs)


def main():
    # warm up: the interpreter's own allocations for a command happen now
    grow(1)
    bufs.pop().close()
    line = ""
    say(stage="ready", pid=os.getpid())
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "grow" and len(words) == 2 and words[1].isdigit():
            size = grow(int(words[1]))
            say(stage="grown", bytes=size, total_bytes=total())
        elif words[0] == "free" and bufs:
            m = bufs.pop()
            size = len(m)
            m.close()
            say(stage="freed", bytes=size, total_bytes=total())
        elif words[0] == "exit":
            break
        else:
            say(stage="error", line=line.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
