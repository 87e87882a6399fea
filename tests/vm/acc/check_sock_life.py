#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The life of a socket record: who owns it and when it goes.

Run as root in the VM with the module loaded; KNMT_KO_PATH names the module
file, for the checks that reload it.  Each check prints "ok - ..." or
"not ok - ..."; the exit status is 1 if any failed.

  pickup      sockets open before the load are tracked, flagged approx
  inherit     a child that inherits a socket does not own it; the owner
              keeps it after closing its own descriptor; when the owner
              exits, the child adopts it
  passed      a socket sent over a unix socket (SCM_RIGHTS) stays with
              its creator
  acceptors   more threads asleep in accept() than kretprobe instances:
              every accepted socket is tracked, flagged accepted
  overflow    sockets_max reached: the rest are counted, never lost
  unload      rmmod with sockets open gives every reference back: the
              kernel frees the sockets once closed (slab counts)
  bigdump     a listing of thousands of sockets spans many netlink
              messages: each socket exactly once, of one process and of all
"""
import array
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tap  # noqa: E402
from tap import check  # noqa: E402

KO = os.environ.get("KNMT_KO_PATH", "")


def run(*argv):
    return subprocess.run(argv, capture_output=True, text=True)


def knmt_json(*args):
    r = run("knmt", *args, "--json")
    if r.returncode != 0:
        raise RuntimeError(f"knmt {' '.join(args)}: {r.returncode}: {r.stderr.strip()}")
    return json.loads(r.stdout)


def sockets_of(pid):
    return knmt_json("sockets", "-p", str(pid))["sockets"]


def all_sockets():
    return knmt_json("sockets")["sockets"]


def summary_of(pid):
    return knmt_json("summary", "-p", str(pid))["processes"][0]


def ino(s):
    return os.fstat(s.fileno()).st_ino


def wait_until(pred, timeout=5.0, step=0.1):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = pred()
        if v:
            return v
        time.sleep(step)
    return pred()


def listener(port=0, backlog=128):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(backlog)
    return s


def module(op, *params):
    if op == "unload":
        r = run("rmmod", "knmt")
    else:
        r = run("insmod", KO, *params)
    if r.returncode != 0:
        raise RuntimeError(f"{op}: {r.stderr.strip()}")


def slab_active(name):
    with open("/proc/slabinfo") as f:
        for line in f:
            fields = line.split()
            if fields and fields[0] == name:
                return int(fields[1])
    return None


def t_pickup():
    module("unload")
    ls = listener()
    c = socket.create_connection(ls.getsockname())
    a, _ = ls.accept()
    want = {ino(ls), ino(c), ino(a)}
    module("load")
    got = {s["inode"]: s for s in sockets_of(os.getpid())}
    check(want <= set(got), "pickup: the sockets open before the load are tracked",
          f"want inodes {sorted(want)}, got {sorted(got)}")
    check(all("approx" in got[i]["flags"] for i in want & set(got)),
          "pickup: they are flagged approx", str([got[i]["flags"] for i in want & set(got)]))
    for s in (ls, c, a):
        s.close()


def child_wait(r):
    os.read(r, 1)


def t_inherit():
    ls = listener()
    me_ino = ino(ls)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(w)
        child_wait(r)          # until the parent is done looking
        time.sleep(30)
        os._exit(0)
    os.close(r)
    time.sleep(0.3)
    mine = {s["inode"] for s in sockets_of(os.getpid())}
    theirs = {s["inode"] for s in sockets_of(pid)}
    check(me_ino in mine and me_ino not in theirs,
          "inherit: the socket stays with its creator, not the child that inherits it",
          f"creator lists {me_ino in mine}, child lists {me_ino in theirs}")
    ls.close()               # the child still holds it: still open
    time.sleep(0.3)
    mine = {s["inode"]: s for s in sockets_of(os.getpid())}
    check(me_ino in mine,
          "inherit: the creator keeps it after closing its own descriptor while the child holds it")
    os.write(w, b"x")
    os.close(w)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)

    # The owner exits first: a holder adopts.
    r, w = os.pipe()
    owner = os.fork()
    if owner == 0:
        l2 = listener()
        os.write(w, str(ino(l2)).encode() + b" ")
        holder = os.fork()
        if holder == 0:
            time.sleep(30)
            os._exit(0)
        os.write(w, str(holder).encode() + b"\n")
        os._exit(0)
    os.close(w)
    data = b""
    while not data.endswith(b"\n"):
        data += os.read(r, 100)
    os.close(r)
    os.waitpid(owner, 0)
    l2_ino, holder = (int(x) for x in data.split())
    got = wait_until(lambda: {s["inode"]: s for s in sockets_of(holder)}.get(l2_ino), 5.0)
    check(bool(got) and "adopted" in got["flags"],
          "inherit: when the owner exits, the child holding the socket adopts it",
          f"holder {holder} lists {got}")
    os.kill(holder, signal.SIGKILL)


def t_passed():
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    pid = os.fork()
    if pid == 0:
        a.close()
        msg, anc, _, _ = b.recvmsg(1, socket.CMSG_SPACE(4))
        fds = array.array("i")
        for level, kind, data in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds.frombytes(data[:4])
        b.send(b"k")
        time.sleep(30)
        os._exit(0)
    b.close()
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u_ino = ino(u)
    a.sendmsg([b"x"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [u.fileno()]))])
    a.recv(1)
    u.close()                 # only the receiver holds it now
    time.sleep(0.3)
    mine = {s["inode"] for s in sockets_of(os.getpid())}
    theirs = {s["inode"] for s in sockets_of(pid)}
    check(u_ino in mine and u_ino not in theirs,
          "passed: a socket sent over a unix socket stays with its creator",
          f"creator lists {u_ino in mine}, receiver lists {u_ino in theirs}")
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    a.close()


def t_acceptors(n=100):
    ls = listener(backlog=n)
    port = ls.getsockname()[1]
    before = summary_of(os.getpid())["sockets"]["accepted_total"]
    got = []
    lock = threading.Lock()

    def acceptor():
        s, _ = ls.accept()
        with lock:
            got.append(s)

    threads = [threading.Thread(target=acceptor) for _ in range(n)]
    for t in threads:
        t.start()
    time.sleep(1.0)           # all asleep in accept()
    clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(n)]
    for t in threads:
        t.join(10)
    inos = {ino(s) for s in got}
    listed = {s["inode"]: s for s in sockets_of(os.getpid())}
    after = summary_of(os.getpid())["sockets"]["accepted_total"]
    missing = inos - set(listed)
    check(len(got) == n and not missing,
          f"acceptors: {n} threads asleep in accept(), every accepted socket tracked",
          f"accepted {len(got)}, {len(missing)} not listed")
    check(all("accepted" in listed[i]["flags"] for i in inos & set(listed)),
          "acceptors: flagged accepted")
    check(after - before == n, f"acceptors: accepted_total grew by {n}", f"grew by {after - before}")
    for s in got + clients + [ls]:
        s.close()


def t_overflow(limit=1024, extra=300):
    import resource
    resource.setrlimit(resource.RLIMIT_NOFILE, (8192, 8192))
    module("unload")
    module("load", f"sockets_max={limit}")
    st0 = knmt_json("status")
    socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(limit + extra)]
    st = knmt_json("status")
    me = summary_of(os.getpid())["sockets"]
    check(st["sockets_tracked"] <= limit, "overflow: never more records than sockets_max",
          f"{st['sockets_tracked']} > {limit}")
    check(st["sockets_overflow"] > st0["sockets_overflow"],
          "overflow: the status counts sockets over the limit",
          f"{st0['sockets_overflow']} -> {st['sockets_overflow']}")
    check(me["open"] + me["untracked_total"] >= len(socks) and me["untracked_total"] > 0,
          "overflow: tracked + untracked covers every socket the process opened",
          f"open {me['open']}, untracked {me['untracked_total']}, opened {len(socks)}")
    for s in socks:
        s.close()
    time.sleep(0.3)
    st = knmt_json("status")
    check(st["sockets_tracked"] < 100, "overflow: records return to the pool when the sockets close",
          f"{st['sockets_tracked']} still in use")
    module("unload")
    module("load")


def t_unload(n=200):
    ls = listener(backlog=n)
    base = slab_active("TCP")
    pairs = []
    for _ in range(n):
        c = socket.create_connection(ls.getsockname())
        a, _ = ls.accept()
        pairs += [c, a]
    time.sleep(0.2)
    module("unload")
    for s in pairs:
        s.close()
    after = wait_until(lambda: (v := slab_active("TCP")) is not None and v <= base + 4 and v, 5.0)
    check(bool(after), f"unload: {2 * n} TCP sockets open at rmmod are freed once closed",
          f"TCP slab objects: {base} before, {slab_active('TCP')} after")
    ls.close()
    module("load")


def t_bigdump(n=3000):
    import resource
    resource.setrlimit(resource.RLIMIT_NOFILE, (8192, 8192))
    socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(n)]
    want = {ino(s) for s in socks}
    mine = sockets_of(os.getpid())
    inos = [s["inode"] for s in mine]
    check(want <= set(inos) and len(inos) == len(set(inos)),
          f"bigdump: -p lists each of {n} sockets once",
          f"{len(want - set(inos))} missing, {len(inos) - len(set(inos))} listed twice")
    everyone = [s for s in all_sockets() if s["pid"] == os.getpid()]
    inos_all = [s["inode"] for s in everyone]
    check(sorted(inos_all) == sorted(inos),
          "bigdump: the listing of all processes has the same sockets for this one",
          f"{len(inos_all)} against {len(inos)}")
    me = summary_of(os.getpid())["sockets"]
    check(me["open"] == len(inos), "bigdump: the summary counts what the listing lists",
          f"open {me['open']}, listed {len(inos)}")
    for s in socks:
        s.close()


def main():
    tests = [t_pickup, t_inherit, t_passed, t_acceptors, t_bigdump, t_overflow,
             t_unload]
    only = sys.argv[1:]
    for t in tests:
        if only and t.__name__[2:] not in only:
            continue
        try:
            t()
        except Exception as e:  # a broken step fails its check, the rest go on
            check(False, f"{t.__name__[2:]}: ran to the end", repr(e))
            if not os.path.isdir("/sys/module/knmt"):
                module("load")
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
