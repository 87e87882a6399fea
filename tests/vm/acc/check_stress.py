#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The stress suite: storms (tests/workloads/stormer) against knmt.ko while
readers dump everything and events listeners lag, then every limit reached.

Run as root in the VM with the module loaded; KNMT_KO_PATH names the module
file: each phase loads it again with its parameters, and the defaults are
loaded back at the end.  KNMT_STRESS_SECS (default 15) is the length of the
storm phase; each limit phase lasts a quarter of it (at least 4 s).  Each
check prints "ok - ..." or "not ok - ...", figures "# ..."; the exit status
is 1 if any check failed.

Phases (each starts from a fresh load):

  storm    nothing capped (default limits; exits_max=8192 so that every
           exit record can be counted): fork/exec, thread, mmap, socket,
           accept and hoard storms at once, a process OOM-killed in a
           64 MiB cgroup, two dump readers (every listing, and the regions,
           faults and sockets of stormer processes as they come and go),
           and three events listeners: one that never reads (until the
           end), one that reads slowly with a small SO_RCVBUF, and knmt
           watch
  procs    procs_max=64: 70 children alive at once, and a fork storm
  regions  regions_max=1024: processes holding 500 origin records each
  sockets  sockets_max=1024: processes holding 500 sockets each, and the
           socket and accept storms
  threads  threads_max=64: 100 children alive at once (each thread that
           faults takes a record), and a thread storm
  events   events_ring=64 and exits_max=16: mmap, socket, fork storms and
           the slow listener alone; then a fork storm with nothing else
           running, for the exit records

Checked in every phase:
  - the module answers throughout: `knmt status` in a loop, the dump
    readers' every command (exit 0, valid JSON; for a pid: exit 0, or
    "no process" / "not tracked" when it went meanwhile), within 60 s each
  - the overflow and drop counters of `knmt status` grow exactly where a
    limit was exceeded: procs_overflow, regions_overflow, sockets_overflow,
    threads_overflow, events_dropped > 0 in their own phase, 0 in every other one; no stale
    socket record; never more records in use than the limit
  - the fork, exec and exit hooks fired at least once per fork, exec and
    exit (thread included) the storms report
  - at the end, once the workloads are gone: processes, sockets and origin
    records tracked are back to what they were before the phase (no
    record leaked), and the module's memory within 256 KiB of it
Checked in the storm phase:
  - the mmap storm's off-heap buffers: allocated and freed counts equal
    the large maps it made, none live (loss allowed only as probe misses)
  - the socket storm's opened and closed totals equal its counts; the
    accept storm's opened, accepted and closed totals, and its sockets
    left in CLOSE_WAIT (open, close_wait)
  - every kind of listing answered at least once (on a slow kernel the
    storms go on a little longer, until it is)
  - the exit records grew by at least the processes that exited; the OOM
    victim's record is flagged oom_victim, killed by SIGKILL
  - the kernel counted undelivered events (the listeners lost some); each
    listener's gaps are at most that count, and together at least it;
    no ring drops, and no listener reports any
Checked in the limit phases:
  - sockets: the socket and accept storms' opened totals plus their
    untracked totals equal their counts (a socket over the limit is
    counted, never lost)
  - events: the lone listener's ring losses equal the kernel's drops and
    its gaps the kernel's undelivered count; exits: exactly 16 records
    kept, the newest the fork storm and its last 15 children, with their
    exit statuses

KNMT_STRESS_PHASES="storm events" runs only those phases;
KNMT_STRESS_VERBOSE=1 prints their progress.

Helper modes (run by the suite itself as child processes):
  check_stress.py dumps|pids CTL       a dump reader
  check_stress.py listen never|slow CTL    an events listener
each stops when the file CTL/stop appears, pauses while CTL/pause exists
(and says so in CTL/paused.ROLE) and prints its figures as one JSON line.
"""
import errno
import json
import os
import random
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tap  # noqa: E402
from tap import check  # noqa: E402

KO = os.environ.get("KNMT_KO_PATH", "")
TOP = os.environ.get("KNMT_TOP") or os.path.abspath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../.."))
STORMER = os.path.join(os.environ.get("KNMT_WORKLOADS") or
                       os.path.join(TOP, "build/workloads"), "stormer")
OOMER = os.path.join(os.path.dirname(STORMER), "oomer")
SECS = float(os.environ.get("KNMT_STRESS_SECS") or 15)
CAP_SECS = max(4.0, SECS / 4)
CMD_TIMEOUT = 60
MEM_SLACK = 256 << 10
# A pid's process gone (or going: a zombie is not tracked any more), as the
# commands say it: "no process PID" (ESRCH), "process PID is not tracked"
# (sockets), or the kernel's ENOENT as it is (regions, faults, summary).
GONE_RE = re.compile(r"^knmt: (no process \d+|process \d+ is not tracked"
                     r"|kernel rejected the request: the process is not tracked)")
figures = []
phases_begun = []


VERBOSE = os.environ.get("KNMT_STRESS_VERBOSE") == "1"
T0 = time.monotonic()


def step(text):
    """Progress, with KNMT_STRESS_VERBOSE=1."""
    if VERBOSE:
        note(f"[{time.monotonic() - T0:6.1f} s] {text}")


def note(text):
    print(f"# {text}")
    sys.stdout.flush()


def knmt(*args, timeout=CMD_TIMEOUT):
    return subprocess.run(["knmt", *args], capture_output=True, text=True, timeout=timeout)


def knmt_json(*args):
    r = knmt(*args, "--json")
    if r.returncode != 0:
        raise RuntimeError(f"knmt {' '.join(args)}: exit {r.returncode}: {r.stderr.strip()}")
    return json.loads(r.stdout)


def status():
    return knmt_json("status")


def hook(st, name):
    """Firings of a hook: hits, and the ones skipped (missed)."""
    for h in st["hooks"]:
        if h["name"] == name:
            return h["hits"] + h["missed"], h["missed"]
    return 0, 0


# --- helpers: dump readers ---------------------------------------------------

DUMPS = [("summary", "--json"), ("sockets", "--json"), ("exits", "--json"),
         ("status", "--json"), ("summary",), ("sockets",), ("exits",), ("status",)]
PER_PID = [("summary", "-p", None, "--json"), ("regions", "-p", None, "--json"),
           ("faults", "-p", None), ("sockets", "-p", None, "--json"),
           ("regions", "-p", None)]


def stormer_pids():
    pids = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/comm") as f:
                    if f.read().strip() in ("stormer", "oomer"):
                        pids.append(int(d))
            except OSError:
                pass
    return sorted(pids)


def helper_dumps(role, ctl):
    stats = {}
    bad = []

    def one(cmd, per_pid):
        name = " ".join(c for c in cmd if not c.isdigit())
        s = stats.setdefault(name, {"ok": 0, "gone": 0, "bad": 0, "max_s": 0.0})
        t0 = time.monotonic()
        try:
            r = knmt(*cmd)
            rc, out, err = r.returncode, r.stdout, r.stderr
        except subprocess.TimeoutExpired:
            rc, out, err = "timeout", "", f"no answer in {CMD_TIMEOUT} s"
        s["max_s"] = max(s["max_s"], round(time.monotonic() - t0, 2))
        verdict = "bad"
        if rc == 0:
            verdict = "ok"
            if "--json" in cmd:
                try:
                    json.loads(out)
                except ValueError as e:
                    verdict, err = "bad", f"invalid JSON: {e}"
        elif rc == 1 and per_pid and GONE_RE.match(err):
            verdict = "gone"
        s[verdict] += 1
        if verdict == "ok" and s["ok"] == 1:
            with open(f"{ctl}/answered.{role}.tmp", "w") as f:
                f.write("\n".join(c for c, v in stats.items() if v["ok"]))
            os.rename(f"{ctl}/answered.{role}.tmp", f"{ctl}/answered.{role}")
        if verdict == "bad" and len(bad) < 5:
            bad.append({"cmd": " ".join(cmd), "rc": rc, "stderr": err.strip()[-300:]})

    rng = random.Random(os.getpid())
    k = 0
    open(f"{ctl}/started.{role}", "w").close()
    while not os.path.exists(f"{ctl}/stop"):
        if os.path.exists(f"{ctl}/pause"):
            open(f"{ctl}/paused.{role}", "w").close()
            while os.path.exists(f"{ctl}/pause") and not os.path.exists(f"{ctl}/stop"):
                time.sleep(0.05)
            try:
                os.unlink(f"{ctl}/paused.{role}")
            except OSError:
                pass
            continue
        if role == "dumps":
            one(DUMPS[k % len(DUMPS)], False)
            k += 1
            continue
        pids = stormer_pids()
        if not pids:
            time.sleep(0.1)
            continue
        # The oldest (a storm), the newest (a hoard child about to exit)
        # and one at random.
        for pid in sorted({pids[0], pids[-1], rng.choice(pids)}):
            for cmd in PER_PID:
                one(tuple(str(pid) if c is None else c for c in cmd), True)
    print(json.dumps({"role": role, "stats": stats, "bad": bad}))


# --- helpers: events listeners ---------------------------------------------------

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP = 1
NETLINK_BROADCAST_ERROR = 4
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_MCAST_GRP_NAME = 1
CTRL_ATTR_MCAST_GRP_ID = 2
KNMT_CMD_EVENTS = 10
EVBATCH_SEQ, EVBATCH_COUNT, EVBATCH_LOST, EVBATCH_EVENT = 2, 3, 4, 5
EV_TYPE, EV_PID = 2, 4
EV_NAMES = ["exec", "exit", "oom_victim", "mmap", "munmap", "mremap", "brk",
            "offheap_alloc", "offheap_free", "faults", "sock_open", "sock_close",
            "sock_state"]


def nl_attrs(buf, off, end):
    while off + 4 <= end:
        alen, atype = struct.unpack_from("=HH", buf, off)
        if alen < 4:
            break
        yield atype & 0x3fff, off + 4, off + alen
        off += (alen + 3) & ~3


def genl_resolve(name, group):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    s.bind((0, 0))
    a = name.encode() + b"\0"
    attr = struct.pack("=HH", 4 + len(a), CTRL_ATTR_FAMILY_NAME) + a
    attr += b"\0" * (-len(attr) % 4)
    msg = struct.pack("=IHHII", 16 + 4 + len(attr), GENL_ID_CTRL, 1, 1, 0)
    msg += struct.pack("=BBH", CTRL_CMD_GETFAMILY, 1, 0) + attr
    s.send(msg)
    buf = s.recv(65536)
    s.close()
    _, mtype = struct.unpack_from("=IH", buf, 0)
    if mtype != GENL_ID_CTRL:
        raise RuntimeError(f"family {name} not found")
    fam = grp = None
    for t, a0, a1 in nl_attrs(buf, 20, len(buf)):
        if t == CTRL_ATTR_FAMILY_ID:
            fam = struct.unpack_from("=H", buf, a0)[0]
        elif t == CTRL_ATTR_MCAST_GROUPS:
            for _, g0, g1 in nl_attrs(buf, a0, a1):
                gname = gid = None
                for gt, v0, v1 in nl_attrs(buf, g0, g1):
                    if gt == CTRL_ATTR_MCAST_GRP_NAME:
                        gname = buf[v0:v1].rstrip(b"\0").decode()
                    elif gt == CTRL_ATTR_MCAST_GRP_ID:
                        gid = struct.unpack_from("=I", buf, v0)[0]
                if gname == group:
                    grp = gid
    return fam, grp


def helper_listen(role, ctl):
    """never: reads until it saw the marker, then nothing until a new one or
    CTL/drain; slow: one message every 50 ms until CTL/drain.  Both have a
    small receive buffer and NETLINK_BROADCAST_ERROR, as the module needs to
    count what they miss.  CTL/marker holds "PID T0": an event of PID received after
    CLOCK_MONOTONIC T0 writes CTL/seen.ROLE.PID."""
    fam, grp = genl_resolve("knmt", "events")
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
    s.setsockopt(SOL_NETLINK, NETLINK_BROADCAST_ERROR, 1)
    s.bind((0, 0))
    s.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, grp)
    s.settimeout(0.2)
    st = {"role": role, "rcvbuf": s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF),
          "batches": 0, "events": 0, "lost_ring": 0, "gaps": 0, "enobufs": 0,
          "restarts": 0, "first_seq": None, "next_seq": None,
          "by_type": {n: 0 for n in EV_NAMES}}
    marker = None
    marker_t = 0.0
    marked = [False]
    recent = {}
    open(f"{ctl}/joined.{role}", "w").close()

    def batch(buf, off, end):
        seq = count = lost = None
        pids = set()
        for t, a0, a1 in nl_attrs(buf, off, end):
            if t == EVBATCH_SEQ:
                seq = struct.unpack_from("=Q", buf, a0)[0]
            elif t == EVBATCH_COUNT:
                count = struct.unpack_from("=I", buf, a0)[0]
            elif t == EVBATCH_LOST:
                lost = struct.unpack_from("=Q", buf, a0)[0]
            elif t == EVBATCH_EVENT:
                for et, e0, _ in nl_attrs(buf, a0, a1):
                    if et == EV_TYPE:
                        ty = buf[e0]
                        name = EV_NAMES[ty] if ty < len(EV_NAMES) else str(ty)
                        st["by_type"][name] = st["by_type"].get(name, 0) + 1
                    elif et == EV_PID:
                        pids.add(struct.unpack_from("=I", buf, e0)[0])
        if seq is None or count is None:
            return set()
        exp = st["next_seq"]
        if exp is None:
            st["first_seq"] = seq
        elif seq > exp:
            st["gaps"] += seq - exp
        elif seq < exp:
            st["restarts"] += 1
        st["next_seq"] = seq + count
        st["batches"] += 1
        st["events"] += count
        st["lost_ring"] += lost or 0
        return pids

    def receive():
        try:
            buf = s.recv(1 << 17)
        except socket.timeout:
            return False
        except OSError as e:
            if e.errno == errno.ENOBUFS:
                st["enobufs"] += 1
                return True
            raise
        off = 0
        pids = set()
        while off + 16 <= len(buf):
            mlen, mtype = struct.unpack_from("=IH", buf, off)
            if mlen < 16:
                break
            if mtype == fam and buf[off + 16] == KNMT_CMD_EVENTS:
                pids |= batch(buf, off + 20, off + mlen)
            off += (mlen + 3) & ~3
        # Every pid is kept with when it came, not only the marker's: the
        # marker's events may come before this reads CTL/marker (written
        # once the process runs) and would otherwise never count as seen.
        # The time tells them from those of an earlier process that had
        # the same pid.
        if len(recent) + len(pids) > 1 << 20:
            recent.clear()
        now = time.monotonic()
        recent.update((p, now) for p in pids)
        look()
        return True

    def look():
        if marker is not None and not marked[0] and recent.get(marker[0], -1) >= marker[1]:
            open(f"{ctl}/seen.{role}.{marker[0]}", "w").close()
            marked[0] = True

    while True:
        fast = os.path.exists(f"{ctl}/drain")
        if os.path.exists(f"{ctl}/stop") and fast:
            break
        if time.monotonic() - marker_t > 0.1:
            marker_t = time.monotonic()
            try:
                with open(f"{ctl}/marker") as f:
                    pid, t0 = f.read().split()
                    m = (int(pid), float(t0))
                if m != marker:
                    marker = m
                    marked[0] = False
                    look()
            except (OSError, ValueError):
                pass
        if fast:
            receive()
        elif role == "never":
            if not marked[0]:
                receive()
            else:
                time.sleep(0.1)
        else:
            receive()
            time.sleep(0.05)
    s.close()
    print(json.dumps(st))


# --- the suite: processes it drives ----------------------------------------------


class Helper:
    """This script in a helper mode, as a child process."""

    def __init__(self, ctl, kind, role):
        self.role = role
        self.p = subprocess.Popen([sys.executable, os.path.abspath(__file__), kind, role, ctl],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def result(self, timeout=120):
        try:
            out, err = self.p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            out, err = self.p.communicate()
        lines = [x for x in out.splitlines() if x.startswith("{")]
        if self.p.returncode != 0 or not lines:
            raise RuntimeError(f"helper {self.role} exited {self.p.returncode}: {err.strip()[-500:]}")
        return json.loads(lines[-1])


class Storm:
    """A stormer run: its JSON line once done; -H ones wait for stop()."""

    def __init__(self, mode, *args, hold=False, secs=None):
        self.mode = mode
        argv = [STORMER, mode, "-t", str(secs if secs is not None else SECS), *map(str, args)]
        if hold:
            argv.append("-H")
        self.hold = hold
        self.err = tempfile.TemporaryFile()
        # Niced: the readers, which must be answered, get the CPU they ask
        # for; the storms take the rest.
        self.p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=self.err,
                                  preexec_fn=lambda: os.nice(10))
        self.pid = self.p.pid
        self.res = None
        self.fd = self.p.stdout.fileno()
        os.set_blocking(self.fd, False)
        self.buf = b""

    def done(self):
        """True once its JSON line is out (held ones keep running)."""
        while self.res is None:
            try:
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:
                chunk = None
            if chunk:
                self.buf += chunk
            if b"\n" in self.buf:
                self.res = json.loads(self.buf.split(b"\n")[0])
            elif chunk == b"":
                self.p.wait()
                self.err.seek(0)
                raise RuntimeError(f"stormer {self.mode} exited {self.p.returncode} "
                                   f"without its counts: {self.err.read()[-300:]!r}")
            else:
                break
        return self.res is not None

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
        try:
            self.p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        self.p.stdout.close()
        return self.p.returncode


def reload(**params):
    """rmmod (retried while a reader holds the module) and insmod."""
    for _ in range(100):
        r = subprocess.run(["rmmod", "knmt"], capture_output=True, text=True)
        if r.returncode == 0 or not os.path.isdir("/sys/module/knmt"):
            break
        time.sleep(0.1)
    else:
        raise RuntimeError(f"rmmod knmt: {r.stderr.strip()}")
    args = [f"{k}={v}" for k, v in params.items()]
    r = subprocess.run(["insmod", KO, *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"insmod {' '.join(args)}: {r.stderr.strip()}")


def tracked(st):
    return {"procs": st["procs_tracked"], "sockets": st["sockets_tracked"],
            "regions": st["regions_tracked"], "threads": st["threads_tracked"]}


class Phase:
    COUNTERS = ("procs_overflow", "regions_overflow", "sockets_overflow", "threads_overflow",
                "events_dropped", "sockets_stale")

    def __init__(self, name, params, limits=(), listeners=(), watch=False):
        self.name = name
        self.t0 = time.monotonic()
        self.ctl = None
        self.storms = []
        self.listeners = []
        self.readers = []
        self.watch = None
        phases_begun.append(self)
        step(f"{name}: load {params}")
        reload(**params)
        self.params = params
        self.limits = limits            # counters that must grow
        self.ctl = tempfile.mkdtemp(prefix=f"knmt-stress-{name}.")
        self.base = status()
        for _ in range(30):         # what the load picked up, settled
            time.sleep(0.3)
            st = status()
            if tracked(st) == tracked(self.base):
                break
            self.base = st
        self.s0 = self.base
        self.polls = 0
        self.poll_errors = []
        self.max_latency = 0.0
        self.peak = tracked(self.base)
        self.extra = {}
        self.listeners = [Helper(self.ctl, "listen", r) for r in listeners]
        self.watch_pos = 0
        self.watch_pids = set()
        if watch:
            self.watch_out = open(f"{self.ctl}/watch.jsonl", "w+")
            # Line-buffered, so that what it got shows at once.
            self.watch = subprocess.Popen(["stdbuf", "-oL", "knmt", "watch", "--json"],
                                          stdout=self.watch_out, stderr=subprocess.PIPE,
                                          text=True)
        step(f"{name}: base {tracked(self.base)}")
        if self.listeners or self.watch:
            self.wait_joined()
            step(f"{name}: listeners joined")
        self.readers = [Helper(self.ctl, "dumps", "dumps"), Helper(self.ctl, "pids", "pids")]
        # Reading before the storms start: on a loaded host a reader that
        # started late was paused before its first request (0 answers).
        end = time.monotonic() + 120
        while time.monotonic() < end and not all(
                os.path.exists(f"{self.ctl}/started.{h.role}") for h in self.readers):
            time.sleep(0.1)

    # -- listeners
    def marker(self, who, timeout=300, stall=60, most=1800):
        """Events of a new process until every listener in who saw one.
        A listener only counts the latest marker's events, so each try
        waits longer than the last (3 s, then twice as long): on the
        debug kernel after a storm, with a loaded host, events took more
        than 3 s to arrive, every try, for two minutes.  knmt watch may
        still be printing its backlog (4 MiB of socket buffer, on the
        debug kernel for more than 300 s): while its output grows within
        stall seconds, the wait goes on, up to most.  self.missing names
        who saw none of the last try."""
        start = time.monotonic()
        wait = 3.0
        self.missing = list(who)
        grew = [start, self._watch_size()]

        def going_on():
            now = time.monotonic()
            size = self._watch_size()
            if size != grew[1]:
                grew[:] = [now, size]
            if now - start >= most:
                return False
            return now - start < timeout or ("watch" in self.missing and
                                             now - grew[0] < stall)

        while going_on():
            t0 = time.monotonic()
            if self.watch:          # what watch printed so far is older
                self.saw("watch", 0)
                self.watch_pids.clear()
            p = subprocess.Popen(["/bin/true"])
            with open(f"{self.ctl}/marker.tmp", "w") as f:
                f.write(f"{p.pid} {t0}")
            os.rename(f"{self.ctl}/marker.tmp", f"{self.ctl}/marker")
            p.wait()
            t = time.monotonic() + wait
            wait *= 2
            while True:
                self.missing = [w for w in who if not self.saw(w, p.pid)]
                if not self.missing:
                    return True
                if time.monotonic() >= t or not going_on():
                    break
                time.sleep(0.1)
        return False

    def _watch_size(self):
        try:
            return os.path.getsize(self.watch_out.name) if self.watch else 0
        except OSError:
            return 0

    def saw(self, who, pid):
        if who != "watch":
            return os.path.exists(f"{self.ctl}/seen.{who}.{pid}")
        with open(self.watch_out.name, "rb") as f:
            f.seek(self.watch_pos)
            data = f.read()
        cut = data.rfind(b"\n") + 1
        self.watch_pos += cut
        self.watch_pids |= {int(m) for m in re.findall(rb'"pid": ?(\d+)', data[:cut])}
        return pid in self.watch_pids

    def who(self):
        return [h.role for h in self.listeners] + (["watch"] if self.watch else [])

    def wait_joined(self):
        end = time.monotonic() + 30
        while time.monotonic() < end and not all(
                os.path.exists(f"{self.ctl}/joined.{h.role}") for h in self.listeners):
            time.sleep(0.1)
        if not self.marker(self.who()):
            # What to look at: listeners that never joined, a dead watch.
            why = [f"not joined: {h.role}" for h in self.listeners
                   if not os.path.exists(f"{self.ctl}/joined.{h.role}")]
            if self.watch and self.watch.poll() is not None:
                why.append(f"knmt watch exited {self.watch.returncode}: "
                           + self.watch.stderr.read()[:500])
            raise RuntimeError(f"{self.name}: the listeners got no event "
                               f"({'; '.join(why) or 'all joined'})")

    def stop_listeners(self):
        """Drain, make sure the last batch reached everyone, stop."""
        open(f"{self.ctl}/drain", "w").close()
        time.sleep(0.5)
        t0 = time.monotonic()
        got_last = self.marker(self.who())
        self.marker_secs = time.monotonic() - t0
        open(f"{self.ctl}/stop", "w").close()
        res = {h.role: h.result() for h in self.listeners}
        if self.watch:
            self.watch.send_signal(signal.SIGINT)
            try:
                _, err = self.watch.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                self.watch.kill()
                _, err = self.watch.communicate()
            self.watch_out.seek(0)
            summ = [json.loads(x) for x in self.watch_out if '"type": "summary"' in x
                    or '"type":"summary"' in x]
            if not summ:
                raise RuntimeError(f"knmt watch printed no summary: {err.strip()[-300:]}")
            s = summ[-1]
            res["watch"] = {"role": "watch", "events": s.get("events"),
                            "lost_ring": s.get("lost_ring"), "gaps": s.get("lost_gaps"),
                            "enobufs": s.get("enobufs")}
            self.watch_out.close()
        time.sleep(0.5)      # no listener: the hooks stop recording events
        step(f"{self.name}: listeners stopped")
        return res, got_last

    # -- storms
    def storm(self, mode, *args, **kw):
        s = Storm(mode, *args, **kw)
        n = sum(x.mode == mode for x in self.storms)
        s.name = mode + ("" if n == 0 else f" #{n + 1}")
        self.storms.append(s)
        return s

    def answered(self, role):
        try:
            with open(f"{self.ctl}/answered.{role}") as f:
                return set(f.read().split("\n"))
        except OSError:
            return set()

    def poll(self):
        t0 = time.monotonic()
        try:
            st = status()
        except Exception as e:  # noqa: BLE001 - any failure is the finding
            self.poll_errors.append(repr(e)[:300])
            return None
        self.polls += 1
        self.max_latency = max(self.max_latency, time.monotonic() - t0)
        for k, v in tracked(st).items():
            self.peak[k] = max(self.peak[k], v)
        return st

    def run(self, extra=None, timeout=None):
        """Poll status every second until every storm printed its counts."""
        end = time.monotonic() + (timeout or (max(SECS, CAP_SECS) + 300))
        last = 0.0
        while time.monotonic() < end:
            if all(s.done() for s in self.storms):
                break
            if time.monotonic() - last >= 1.0:
                last = time.monotonic()
                self.poll()
                if extra:
                    extra()
            time.sleep(0.2)
        else:
            raise RuntimeError(f"{self.name}: the storms did not end in time")
        self.poll()
        step(f"{self.name}: storms done")

    def pause_readers(self):
        open(f"{self.ctl}/pause", "w").close()
        end = time.monotonic() + CMD_TIMEOUT * len(PER_PID) + 10
        while time.monotonic() < end and not all(
                os.path.exists(f"{self.ctl}/paused.{h.role}") for h in self.readers):
            time.sleep(0.1)
        step(f"{self.name}: readers paused")

    def stop_readers(self):
        open(f"{self.ctl}/stop", "w").close()
        return {h.role: h.result(timeout=CMD_TIMEOUT * len(PER_PID) + 30) for h in self.readers}

    # -- the common checks
    def finish(self, readers, s1, fired):
        n = self.name
        for s in self.storms:
            if s.p.poll() is None:
                s.stop()
        check(not self.poll_errors and self.polls > 0,
              f"{n}: knmt status answered throughout ({self.polls} times, slowest "
              f"{self.max_latency:.1f} s)", "; ".join(self.poll_errors[:3]))
        for role, r in readers.items():
            total = {k: sum(v[k] for v in r["stats"].values()) for k in ("ok", "gone", "bad")}
            slow = max([v["max_s"] for v in r["stats"].values()] or [0])
            kinds = DUMPS if role == "dumps" else PER_PID
            answered = [c for c, v in r["stats"].items() if v["ok"] > 0]
            note(f"{n}: reader {role}: {total['ok']} answers, {total['gone']} for processes gone, "
                 f"{total['bad']} wrong; slowest {slow} s")
            check(total["bad"] == 0, f"{n}: reader {role}: every request answered right",
                  json.dumps(r["bad"]))
            if n == "storm" and role == "dumps":
                check(len(answered) == len(kinds),
                      f"{n}: reader {role}: every kind of request answered at least once",
                      f"answered: {answered}")
            else:
                check(total["ok"] > 0, f"{n}: reader {role}: requests answered",
                      f"{total}")
        delta = {k: (s1[k] or 0) - (self.s0[k] or 0) for k in self.COUNTERS}
        for k in self.COUNTERS:
            if k in self.limits:
                check(delta[k] > 0, f"{n}: {k} grew (the limit was exceeded)", f"{delta[k]}")
            else:
                check(delta[k] == 0, f"{n}: {k} did not grow", f"grew by {delta[k]}")
        for what, key in (("procs", "procs_max"), ("sockets", "sockets_max"),
                          ("regions", "regions_max"), ("threads", "threads_max")):
            check(self.peak[what] <= s1[key], f"{n}: at most {key} {what} tracked",
                  f"{self.peak[what]} > {s1[key]}")
        for hk, want in fired.items():
            got = hook(s1, hk)[0] - hook(self.s0, hk)[0]
            check(got >= want, f"{n}: the {hk} hook fired at least {want} times", f"{got}")
        misses = {h["name"]: h["missed"] - h0["missed"]
                  for h, h0 in zip(s1["hooks"], self.s0["hooks"]) if h["missed"] != h0["missed"]}
        self.fig = {"secs": round(time.monotonic() - self.t0, 1), "delta": delta,
                    "undelivered": s1["events_undelivered"] - self.s0["events_undelivered"],
                    "emitted": s1["events_emitted"] - self.s0["events_emitted"],
                    "recursion": s1["recursion"] - self.s0["recursion"], "missed": misses,
                    "peak": self.peak,
                    "storms": {**{s.name: s.res for s in self.storms}, **self.extra},
                    "drops_by_type": {k: v for k, v in (s1.get("event_drops") or {}).items()
                                      if v}}
        self.settle()

    def settle(self):
        """Tracked records and memory back to the phase's start."""
        n = self.name
        step(f"{n}: settling")
        want = tracked(self.base)
        end = time.monotonic() + 30
        while True:
            st = status()
            now = tracked(st)
            if now == want or time.monotonic() > end:
                break
            time.sleep(0.3)
        for k in want:
            check(now[k] == want[k], f"{n}: {k} tracked back to {want[k]} once the storms ended",
                  f"{now[k]} after 30 s")
        grew = st["mem_bytes"] - self.base["mem_bytes"]
        check(grew <= MEM_SLACK, f"{n}: module memory back within 256 KiB of its start",
              f"{self.base['mem_bytes']} -> {st['mem_bytes']}")
        self.fig["mem_grew"] = grew
        self.fig["secs"] = round(time.monotonic() - self.t0, 1)
        figures.append((n, self.fig))
        step(f"{n}: settled")
        shutil.rmtree(self.ctl, ignore_errors=True)

    def abort(self):
        """After a failure: whatever of the phase still runs goes."""
        if self.ctl and os.path.isdir(self.ctl):
            for f in ("stop", "drain"):
                open(f"{self.ctl}/{f}", "w").close()
        procs = [h.p for h in self.readers + self.listeners] + [s.p for s in self.storms]
        procs += [self.watch] if self.watch else []
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        if self.ctl:
            shutil.rmtree(self.ctl, ignore_errors=True)


def storm_ops(res):
    """The counts of a storm, as a figure line."""
    keys = ("forks", "execs", "threads", "maps", "maps_large", "bursts", "unmaps", "mprotects",
            "mremaps", "opened", "closed", "accepted", "close_wait_held", "children",
            "regions", "sockets", "errors")
    return " ".join(f"{k}={res[k]}" for k in keys if res and k in res)


def proc_of(pid):
    return knmt_json("summary", "-p", str(pid))["processes"][0]


def wait_for(pred, timeout=10.0):
    end = time.monotonic() + timeout
    while True:
        v = pred()
        if v or time.monotonic() > end:
            return v
        time.sleep(0.5)


# --- phases ------------------------------------------------------------------------


class OomKill:
    """oomer in a 64 MiB memory cgroup."""

    def __init__(self):
        root = "/sys/fs/cgroup"
        self.p = None
        with open(f"{root}/cgroup.controllers") as f:
            if "memory" not in f.read().split():
                return
        with open(f"{root}/cgroup.subtree_control") as f:
            if "memory" not in f.read().split():
                with open(f"{root}/cgroup.subtree_control", "w") as w:
                    w.write("+memory")
        self.cg = f"{root}/knmt-stress-oom.{os.getpid()}"
        os.makedirs(self.cg)
        with open(f"{self.cg}/memory.max", "w") as f:
            f.write("64M")
        if os.path.exists(f"{self.cg}/memory.swap.max"):
            with open(f"{self.cg}/memory.swap.max", "w") as f:
                f.write("0")

        def enter():
            with open(f"{self.cg}/cgroup.procs", "w") as f:
                f.write(str(os.getpid()))

        self.p = subprocess.Popen([OOMER, "5"], preexec_fn=enter, stdout=subprocess.DEVNULL)
        self.record = None

    def look(self):
        """While the storm runs: catch its exit record early."""
        if self.p is None or self.record is not None or self.p.poll() is None:
            return
        ex = knmt_json("exits")["exits"]
        self.record = next((e for e in ex if e["pid"] == self.p.pid), False)

    def finish(self, n):
        if self.p is None:
            note(f"{n}: no memory controller: no OOM kill")
            return
        try:
            rc = self.p.wait(timeout=120)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = self.p.wait()
        self.look()
        with open(f"{self.cg}/memory.events") as f:
            kills = int(dict(x.split() for x in f)["oom_kill"])
        os.rmdir(self.cg)
        check(rc == -9 and kills == 1, f"{n}: the OOM killer took oomer in its cgroup",
              f"returncode {rc}, oom_kill {kills}")
        e = self.record
        check(bool(e) and e.get("oom_victim") is True and e.get("exit_code") == 9,
              f"{n}: its exit record: oom_victim, killed by SIGKILL",
              str(e and {k: e.get(k) for k in ("pid", "comm", "flags", "exit_code")}))


def phase_storm():
    n = "storm"
    ph = Phase(n, {"exits_max": 8192}, listeners=("never", "slow"), watch=True)
    fork = ph.storm("fork", "-j", 2)
    threads = ph.storm("threads", "-j", 1)
    mm = ph.storm("mmap", "-j", 2, hold=True)
    so = ph.storm("sockets", "-j", 1, hold=True)
    acc = ph.storm("accept", "-j", 1, hold=True)
    hoard = ph.storm("hoard", "-j", 2, "-r", 256, "-s", 32)
    time.sleep(1.0)
    oom = OomKill()
    ph.run(extra=oom.look)
    # A slow kernel (KASAN, PREEMPT_RT under TCG): more storm until the dump
    # reader got through every kind of request.
    for _ in range(3):
        if len(ph.answered("dumps")) >= len(DUMPS):
            break
        step(f"{n}: more storm, the dump reader answered {sorted(ph.answered('dumps'))}")
        ph.storm("hoard", "-j", 2, "-r", 256, "-s", 32, secs=5)
        ph.storm("fork", "-j", 2, secs=5)
        ph.run(extra=oom.look)
    ph.pause_readers()

    # The held storms: knmt's view of them against their counts.
    missed_mmap = hook(status(), "mmap")[1] - hook(ph.s0, "mmap")[1]
    r = mm.res
    o = proc_of(mm.pid)["offheap"]
    if missed_mmap == 0:
        ok = (o["allocated_count"] == r["maps_large"] and o["freed_count"] == r["maps_large"]
              and o["live_count"] == 0)
    else:
        ok = (r["maps_large"] - missed_mmap <= o["allocated_count"] <= r["maps_large"] and
              o["freed_count"] == o["allocated_count"] and o["live_count"] == 0)
    check(ok, f"{n}: mmap storm: {r['maps_large']} off-heap buffers allocated and freed, none "
          f"live ({missed_mmap} mmap probe misses)",
          f"allocated {o['allocated_count']}, freed {o['freed_count']}, live {o['live_count']}")

    def socks_ok(pid, want):
        got = proc_of(pid)["sockets"] or {}
        got = {k: got.get(k) for k in want}
        return got if got == want else None

    r = so.res
    want = {"opened_total": r["opened"], "closed_total": r["closed"], "accepted_total": 0,
            "open": 0, "untracked_total": 0}
    got = wait_for(lambda: socks_ok(so.pid, want), 5.0)
    check(bool(got), f"{n}: socket storm: opened and closed totals are its counts",
          f"want {want}, got {(proc_of(so.pid)['sockets'] or {})}")
    r = acc.res
    want = {"opened_total": r["opened"] + r["accepted"], "accepted_total": r["accepted"],
            "closed_total": r["closed"], "open": r["close_wait_held"],
            "close_wait": r["close_wait_held"], "untracked_total": 0}
    got = wait_for(lambda: socks_ok(acc.pid, want), 5.0)
    check(bool(got), f"{n}: accept storm: opened, accepted, closed totals and the sockets "
          f"held in CLOSE_WAIT are its counts",
          f"want {want}, got {json.dumps(proc_of(acc.pid)['sockets'])}")
    for s in (mm, so, acc):
        s.stop()
    oom.finish(n)

    lis, got_last = ph.stop_listeners()
    readers = ph.stop_readers()
    s1 = status()
    nproc = len(ph.storms) + (1 if oom.p else 0)
    forks = fork.res["forks"] + hoard.res["children"] + (1 if oom.p else 0)
    ph.finish(readers, s1, {"fork": forks + threads.res["threads"],
                            "exec": fork.res["execs"] + nproc,
                            "exit": forks + threads.res["threads"]})
    kept = s1["exits_kept"] - ph.s0["exits_kept"]
    if s1["exits_kept"] < ph.params["exits_max"]:
        check(kept >= forks + len(ph.storms),
              f"{n}: exit records grew by at least the {forks + len(ph.storms)} processes "
              f"that exited", f"grew by {kept}")
    else:
        check(s1["exits_kept"] == ph.params["exits_max"], f"{n}: exit records: the ring is full")

    # The listeners.
    check(got_last, f"{n}: every listener got a last batch after the storm",
          f"none in {ph.marker_secs:.0f} s for {', '.join(ph.missing)}")
    u = ph.fig["undelivered"]
    dropped = ph.fig["delta"]["events_dropped"]
    for role, x in lis.items():
        note(f"{n}: listener {role}: {x['events']} events, gaps {x['gaps']}, ring losses "
             f"told {x['lost_ring']}, ENOBUFS {x['enobufs']}" +
             (f", SO_RCVBUF {x['rcvbuf']}" if "rcvbuf" in x else ""))
    check(u > 0, f"{n}: the kernel counted undelivered events ({u})")
    check(lis["never"]["gaps"] > 0, f"{n}: the listener that never reads missed events",
          f"gaps {lis['never']['gaps']}")
    for role, x in lis.items():
        check(x["gaps"] <= u, f"{n}: listener {role}: its gaps ({x['gaps']}) are at most the "
              f"kernel's undelivered count ({u})")
    tot = sum(x["gaps"] for x in lis.values())
    check(u <= tot, f"{n}: the kernel's undelivered count ({u}) is at most the listeners' "
          f"gaps together ({tot})")
    check(all(x["lost_ring"] == dropped for x in lis.values()) if dropped == 0 else True,
          f"{n}: no ring drops, and no listener reports any",
          str({r: x["lost_ring"] for r, x in lis.items()}))
    ph.fig["listeners"] = lis


def phase_limit(n, params, limit, storms, extra_checks=None):
    ph = Phase(n, params, limits=(limit,))
    # On a slow kernel (KASAN under TCG: a fork took seconds) one round
    # of storms may stay under the limit: up to three more, each four
    # times longer, with hoarded children living for 3/4 of it (with
    # 2 s, no more than 9 of the 70 were ever alive at once).
    for rnd in range(4):
        secs = CAP_SECS * 4 ** rnd
        for mode, args, kw in storms:
            args = list(args)
            if rnd and "-w" in args:
                i = args.index("-w") + 1
                args[i] = max(int(args[i]), int(secs * 750))
            ph.storm(mode, *args, secs=secs, **kw)
        ph.run(timeout=2 * secs + 300)
        if status()[limit] > ph.s0[limit]:
            break
        step(f"{n}: {limit} did not grow in round {rnd + 1}; the storms again")
    ph.pause_readers()
    if extra_checks:
        extra_checks(ph)
    for s in ph.storms:
        s.stop()
    readers = ph.stop_readers()
    s1 = status()
    forks = sum(s.res.get("forks", 0) + s.res.get("children", 0) + s.res.get("threads", 0)
                for s in ph.storms)
    ph.finish(readers, s1, {"fork": forks, "exit": forks})


def sockets_untracked(ph):
    for s in ph.storms:
        if not s.hold:
            continue
        r = s.res
        want = r["opened"] + r.get("accepted", 0)
        so = proc_of(s.pid)["sockets"] or {}
        got = (so.get("opened_total") or 0) + (so.get("untracked_total") or 0)
        check(got == want, f"sockets: {s.mode} storm: opened + untracked totals are the "
              f"{want} sockets it opened", f"opened_total {so.get('opened_total')}, "
              f"untracked_total {so.get('untracked_total')}")


def phase_events():
    n = "events"
    ph = Phase(n, {"events_ring": 64, "exits_max": 16}, limits=("events_dropped",),
               listeners=("slow",))
    for mode, args in (("mmap", ("-j", 2)), ("sockets", ("-j", 1)), ("fork", ("-j", 1)),
                       ("threads", ("-j", 1))):
        ph.storm(mode, *args, secs=CAP_SECS)
    ph.run()
    ph.pause_readers()
    lis, got_last = ph.stop_listeners()
    sl = lis["slow"]
    s1 = status()
    dropped = s1["events_dropped"] - ph.s0["events_dropped"]
    u = s1["events_undelivered"] - ph.s0["events_undelivered"]
    note(f"{n}: listener slow: {sl['events']} events, gaps {sl['gaps']}, ring losses told "
         f"{sl['lost_ring']}, ENOBUFS {sl['enobufs']}, SO_RCVBUF {sl['rcvbuf']}")
    check(got_last, f"{n}: the listener got a last batch after the storm",
          f"none in {ph.marker_secs:.0f} s for {', '.join(ph.missing)}")
    check(sl["lost_ring"] == dropped, f"{n}: the ring losses the batches told == the kernel's "
          f"drops", f"listener {sl['lost_ring']}, kernel {dropped}")
    check(sl["gaps"] == u, f"{n}: the listener's gaps == the kernel's undelivered count",
          f"listener {sl['gaps']}, kernel {u}")

    # Exit records: nothing else runs; the newest 16 are a fork storm's.
    r = subprocess.run([STORMER, "fork", "-t", "2", "-j", "1"], capture_output=True, text=True,
                       timeout=120)
    res = json.loads(r.stdout.splitlines()[0])
    ex = knmt_json("exits")["exits"]
    st = status()
    want = [(res["pid"], 0)] + [(p, w) for p, w in reversed(res["last"])][:15]
    got = [(e["pid"], e["exit_code"]) for e in ex[:len(want)]]
    check(st["exits_kept"] == 16 and len(ex) == 16,
          f"{n}: exactly exits_max=16 exit records kept", f"{st['exits_kept']}, listed {len(ex)}")
    check(got == want, f"{n}: the newest are the fork storm and its last children, with their "
          f"exit statuses", f"want {want}, got {got}")
    readers = ph.stop_readers()
    ph.extra["fork (exits)"] = res
    forks = res["forks"] + sum(s.res.get("forks", 0) for s in ph.storms)
    threads = sum(s.res.get("threads", 0) for s in ph.storms)
    ph.finish(readers, status(), {"fork": forks + threads, "exit": forks + threads})
    ph.fig["listeners"] = lis


def report():
    print("#")
    print(f"# figures (KNMT_STRESS_SECS={SECS:g}, limit phases {CAP_SECS:g} s):")
    for n, f in figures:
        d = f["delta"]
        print(f"# {n}: {f['secs']} s; overflow procs {d['procs_overflow']} regions "
              f"{d['regions_overflow']} sockets {d['sockets_overflow']} threads "
              f"{d['threads_overflow']}; events dropped "
              f"{d['events_dropped']} {f['drops_by_type'] or ''} undelivered {f['undelivered']} "
              f"emitted {f['emitted']}; stale {d['sockets_stale']}; missed {f['missed'] or 0}; "
              f"recursion {f['recursion']}; peak tracked {f['peak']}; memory {f['mem_grew']:+d} B")
        for mode, res in f["storms"].items():
            if res:
                print(f"#   {mode:8} {res.get('secs', '-')} s: {storm_ops(res)}")
    sys.stdout.flush()


def main():
    if len(sys.argv) == 4 and sys.argv[1] in ("dumps", "pids"):
        helper_dumps(sys.argv[1], sys.argv[3])
        return 0
    if len(sys.argv) == 4 and sys.argv[1] == "listen":
        helper_listen(sys.argv[2], sys.argv[3])
        return 0
    if not os.access(STORMER, os.X_OK):
        print(f"not ok - {STORMER} is missing: make workloads (on the host)")
        return 1
    phases = [
        ("storm", phase_storm),
        ("procs", lambda: phase_limit("procs", {"procs_max": 64}, "procs_overflow",
                                      [("hoard", ("-j", 70, "-r", 0, "-s", 0, "-w", 2000),
                                        {}),
                                       ("fork", ("-j", 4), {}),
                                       ("threads", ("-j", 1), {})])),
        ("regions", lambda: phase_limit("regions", {"regions_max": 1024}, "regions_overflow",
                                        [("hoard", ("-j", 3, "-r", 500, "-s", 0, "-w", 500), {}),
                                         ("mmap", ("-j", 1), {})])),
        ("sockets", lambda: phase_limit("sockets", {"sockets_max": 1024}, "sockets_overflow",
                                        [("hoard", ("-j", 3, "-r", 0, "-s", 500, "-w", 500), {}),
                                         ("sockets", ("-j", 1), {"hold": True}),
                                         ("accept", ("-j", 1), {"hold": True})],
                                        sockets_untracked)),
        ("threads", lambda: phase_limit("threads", {"threads_max": 64}, "threads_overflow",
                                        [("hoard", ("-j", 100, "-r", 0, "-s", 0, "-w", 2000),
                                          {}),
                                         ("threads", ("-j", 1), {})])),
        ("events", phase_events),
    ]
    only = os.environ.get("KNMT_STRESS_PHASES", "").split()
    try:
        for name, fn in phases:
            if only and name not in only:
                continue
            try:
                fn()
            except Exception as e:  # noqa: BLE001 - a broken phase fails, the rest go on
                import traceback
                traceback.print_exc()
                check(False, f"{name}: ran to the end", repr(e))
                for ph in phases_begun:
                    ph.abort()
                phases_begun.clear()
                if not os.path.isdir("/sys/module/knmt"):
                    subprocess.run(["insmod", KO])
    finally:
        report()
        reload()
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
