#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare knmt's socket tracking with ss(8) and /proc.

    check_sockets.py snapshot PID...                 > base.json
    check_sockets.py check MANIFEST [--interval S]
    check_sockets.py orphans-closed MANIFEST
    check_sockets.py orphans-drained MANIFEST
    check_sockets.py churned MANIFEST CHURNED
    check_sockets.py inherit MANIFEST
    check_sockets.py inherit-adopted MANIFEST
    check_sockets.py redis PID BASE TOTAL_CONNECTIONS MIN_CONNECTIONS
    check_sockets.py ss [PID...]                     (the ss half alone)

MANIFEST is the JSON line tests/workloads/sockzoo printed (stage
"manifest"): the scenario, the pids of its server and client processes and
every socket each holds (inode, netid, expected state, accepted or not).
CHURNED is its "churned" line.  BASE is what "snapshot" printed.  Every
command runs knmt itself (KNMT, default "knmt" on PATH) and ss (SS,
default "ss"), while the processes wait.

The oracle, per process:
  - ss -HOanpem -t -u -x: every TCP, UDP and unix socket with its users
    (("comm",pid=N,fd=M)), inode (ino: for inet, the local "port" for
    unix), state, Recv-Q, Send-Q, addresses and skmem.  The workloads never
    share a socket between processes, so the pid ss shows is the owner.
  - /proc/PID/fd: the inode of every socket the process holds, of any
    family (netlink too).
The three readings (knmt, ss, /proc) are repeated, up to 3 times, until
knmt's listing is the same before and after.

Checks of the listing ("L", every command):
  L1 the inodes knmt lists under the pid == /proc/PID/fd's == the
     manifest's (when given); those of tcp/udp/unix == ss's for the pid;
     knmt sockets -p PID == the pid's entries of knmt sockets (all)
  L2 per (netid, state): knmt's count == ss's, exactly
  L3 per socket, against ss: netid, state, local and remote address,
     recv_q, send_q exactly; rx_queued_bytes (inet: skmem r, unix:
     Recv-Q), tx_queued_bytes (TCP: skmem w, else t), skmem r, t, w, rb,
     tb within 5 %, mem_bytes (r + (w or t) + f) within 5 %
  L4 per socket: family, type and protocol agree with the netid (and the
     manifest's family), comm == /proc/PID/comm, "approx" and "adopted"
     not set (every socket was made after the load), "accepted" exactly
     on the accepted ones (manifest), 0 <= state_age_s <= age_s <= the
     process's age, the manifest's state when it gives one
  L5 knmt summary -p PID: sockets.open, by_family, by_state (TCP sockets
     only, 12 states), close_wait, rx/tx_queued_bytes, mem_bytes (5 %)
     == the listing; oldest_open_age_s within 2 s of the oldest age_s;
     oldest_age_s == the longest state_age_s in CLOSE_WAIT (null if
     none); opened_total - closed_total == open; closed_total -
     destroyed_total == orphans; the lifetime histogram (12 buckets) sums
     to closed_total and has nothing in buckets longer than the process
  L6 knmt status: sockets_overflow 0, sockets_stale what it was when the
     test started (KNMT_SOCKETS_STALE0, default 0), sockets_tracked >= the
     sockets listed
Scenario checks (sockzoo's manifest):
  zoo        per process: opened_total == the manifest's count, accepted_total
             == the accepted ones, closed_total 0
  closewait  N sockets in close_wait (knmt, ss), summary close_wait N;
             two readings --interval S apart: every state_age_s and
             oldest_age_s grew by S (-10 %, +5 s); the client: open 0,
             opened == closed == destroyed == N, orphans 0 (once the
             kernel destroyed them: polled)
  unread     the TCP socket with unread data: recv_q == the bytes sent ==
             ss Recv-Q, rx_queued_bytes within 5 % of skmem r, and its
             tx_queued_bytes within 5 % of skmem w (> 0); the unix end with
             unread data: rx_queued_bytes == 65536 == Recv-Q
  orphans    after "close": orphans == M, closed_total M, destroyed 0,
             ss shows M FIN-WAIT-1 sockets on the port with no process;
             after "drain": orphans back to 0 and destroyed_total M (polled)
  churned    server: opened, accepted, closed, destroyed all grew by C;
             client: opened, closed and destroyed grew by C + UDP + 2 PAIRS,
             accepted by 0; the histograms grew by as many
  inherit    the holder (a fork of the creator) holds the creator's four
             sockets (/proc, ss shows both pids) but knmt lists them under
             the creator only, with the creator's totals; after the
             creator exits, within 15 s knmt lists them under the holder
             with the "adopted" flag (and nothing under the creator), and
             the listing checks hold for the holder
redis: accepted_total and closed_total grew by TOTAL_CONNECTIONS (redis's
INFO total_connections_received delta, >= MIN_CONNECTIONS), destroyed too,
the lifetime histogram too, and the listing is only redis's listeners,
the same as ss -tanp's for the pid.

Exit status: 0 all checks passed, 1 a check failed, 2 usage or I/O error.
"""

import json
import os
import re
import subprocess
import sys
import time

KNMT = os.environ.get("KNMT", "knmt")
SS = os.environ.get("SS", "ss")
BUCKETS = 12
TOL = 0.05
STATES = ["established", "syn_sent", "syn_recv", "fin_wait_1", "fin_wait_2", "time_wait",
          "closed", "close_wait", "last_ack", "listen", "closing", "new_syn_recv"]
SS_STATE = {"ESTAB": "established", "SYN-SENT": "syn_sent", "SYN-RECV": "syn_recv",
            "FIN-WAIT-1": "fin_wait_1", "FIN-WAIT-2": "fin_wait_2",
            "TIME-WAIT": "time_wait", "UNCONN": "closed", "CLOSE-WAIT": "close_wait",
            "LAST-ACK": "last_ack", "LISTEN": "listen", "CLOSING": "closing",
            "NEW-SYN-RECV": "new_syn_recv"}
SS_NETIDS = ("tcp", "udp", "u_str", "u_dgr", "u_seq")
NETID_KIND = {"tcp": (("inet", "inet6"), "stream", "tcp"),
              "udp": (("inet", "inet6"), "dgram", "udp"),
              "u_str": (("unix",), "stream", None),
              "u_dgr": (("unix",), "dgram", None),
              "u_seq": (("unix",), "seqpacket", None)}

failures = 0


class Error(Exception):
    pass


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


def close_to(a, b, tol=TOL):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= tol * max(abs(b), abs(a))


# --- knmt ------------------------------------------------------------------

def knmt_json(*args):
    cmd = [KNMT] + list(args) + ["--json"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise Error("%s exited %d: %s" % (" ".join(cmd), r.returncode, r.stderr.strip()))
    try:
        return json.loads(r.stdout)
    except ValueError as e:
        raise Error("%s: invalid JSON (%s): %s" % (" ".join(cmd), e, r.stdout[:2000]))


def knmt_sockets(pid=None):
    d = knmt_json("sockets", *(["-p", str(pid)] if pid is not None else []))
    return d["sockets"]


def knmt_summary(pid):
    d = knmt_json("summary", "-p", str(pid))
    procs = [p for p in d["processes"] if p["pid"] == pid]
    if len(procs) != 1:
        raise Error("knmt summary -p %d: %d entries for the pid" % (pid, len(procs)))
    return procs[0]


def knmt_socks(pid):
    """The sockets object of knmt summary -p PID, None when there is none."""
    proc = knmt_summary(pid)
    sk = proc.get("sockets")
    if isinstance(sk, dict):
        sk = dict(sk, _sockbufs=(proc.get("kernel") or {}).get("sockbufs_bytes"))
    return sk


def knmt_status():
    return knmt_json("status")


# --- ss and /proc ---------------------------------------------------------

USER_RE = re.compile(r'\("((?:[^"\\]|\\.)*)",pid=(\d+),fd=(\d+)\)')
SKMEM_RE = re.compile(r"skmem:\(([^)]*)\)")


def parse_skmem(text):
    m = SKMEM_RE.search(text)
    if not m:
        return None
    d = {}
    for f in m.group(1).split(","):
        mm = re.fullmatch(r"([a-z]+)(\d+)", f)
        if mm:
            d[mm.group(1)] = int(mm.group(2))
    return d


def norm_addr(a):
    """ss's inet address to knmt's: None for a wildcard peer."""
    if a.endswith(":*"):
        return None
    host, _, port = a.rpartition(":")
    host = re.sub(r"%[^\]]*$", "", host)  # 127.0.0.1%lo
    if host.startswith("[") and host.endswith("]"):
        h = host[1:-1]
        h = re.sub(r"%.*$", "", h)
        return "[%s]:%s" % (h, port)
    if host == "*":
        host = "0.0.0.0"
    return "%s:%s" % (host, port)


def parse_ss_line(line):
    """One line of ss -HOanpem -t -u -x: a dict, or None."""
    tok = line.split()
    if len(tok) < 6 or tok[0] not in SS_NETIDS:
        return None
    e = {"netid": tok[0], "ss_state": tok[1], "state": SS_STATE.get(tok[1], tok[1]),
         "recv_q": int(tok[2]), "send_q": int(tok[3]), "line": line.rstrip()}
    if tok[0].startswith("u_"):
        # Local "path inode", peer "path inode".
        e["local"], e["inode"] = tok[4], int(tok[5])
        e["peer_path"], e["peer_inode"] = tok[6], tok[7]
        e["local"] = e["remote"] = None
    else:
        e["local"], e["remote"] = norm_addr(tok[4]), norm_addr(tok[5])
        m = re.search(r"\bino:(\d+)", line)
        e["inode"] = int(m.group(1)) if m else 0
    e["users"] = [(c, int(p), int(f)) for c, p, f in USER_RE.findall(line)]
    e["skmem"] = parse_skmem(line)
    return e


def ss_all():
    cmd = [SS, "-HOanpem", "-t", "-u", "-x"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise Error("%s exited %d: %s" % (" ".join(cmd), r.returncode, r.stderr.strip()))
    out = []
    for line in r.stdout.splitlines():
        e = parse_ss_line(line)
        if e:
            out.append(e)
    return out


def ss_by_pid(entries, pids):
    """{pid: {inode: entry}} for the sockets ss shows under each pid."""
    res = {p: {} for p in pids}
    for e in entries:
        for c, p, f in e["users"]:
            if p in res and e["inode"]:
                res[p][e["inode"]] = dict(e, comm=c, fd=f)
    return res


def proc_socket_inodes(pid):
    res = {}
    d = "/proc/%d/fd" % pid
    for fd in os.listdir(d):
        try:
            t = os.readlink(os.path.join(d, fd))
        except OSError:
            continue
        m = re.fullmatch(r"socket:\[(\d+)\]", t)
        if m:
            res[int(m.group(1))] = int(fd)
    return res


def proc_comm(pid):
    with open("/proc/%d/comm" % pid) as f:
        return f.read().rstrip("\n")


def proc_age(pid):
    """Seconds since the process started."""
    with open("/proc/%d/stat" % pid) as f:
        s = f.read()
    start = int(s[s.rindex(")") + 2:].split()[22 - 3])
    with open("/proc/uptime") as f:
        up = float(f.read().split()[0])
    return up - start / os.sysconf("SC_CLK_TCK")


# --- one reading of everything --------------------------------------------

def key(s):
    return (s["inode"], s["state"], s["recv_q"], s["send_q"])


def reading(pids):
    """knmt's listing (all and per pid), ss, /proc, summaries: until knmt's
    listing of the pids is the same before and after (3 tries)."""
    for attempt in range(3):
        t0 = time.time()
        all1 = knmt_sockets()
        per = {p: knmt_sockets(p) for p in pids}
        ss = ss_all()
        procfd = {p: proc_socket_inodes(p) for p in pids}
        sums = {p: knmt_socks(p) for p in pids}
        all2 = knmt_sockets()
        a = sorted(key(s) for s in all1 if s["pid"] in pids)
        b = sorted(key(s) for s in all2 if s["pid"] in pids)
        if a == b:
            info("reading: %.2f s for knmt, ss, /proc and knmt again" % (time.time() - t0))
            break
        info("knmt's listing changed during the reading (attempt %d), again" % (attempt + 1))
        time.sleep(0.5)
    return {"all": all2, "per": per, "ss": ss, "ss_pid": ss_by_pid(ss, pids),
            "procfd": procfd, "sums": sums, "t0": t0}


def show_knmt(s):
    return json.dumps({k: s.get(k) for k in ("pid", "inode", "netid", "state", "flags",
                                              "recv_q", "send_q", "rx_queued_bytes",
                                              "tx_queued_bytes", "mem_bytes", "skmem",
                                              "local", "remote", "age_s", "state_age_s")})


# --- L: the listing against ss and /proc ------------------------------------

def manifest_socks(manifest):
    """{pid: {inode: the manifest's socket}}"""
    return {manifest[role]["pid"]: {s["inode"]: s for s in manifest[role]["sockets"]}
            for role in ("server", "client")}


def check_listing(r, pids, manifest=None, socks=None, adopted=False):
    """Checks L1-L6 for pids; returns {pid: {inode: knmt entry}}.  The
    expected sockets: those of manifest, or socks ({pid: {inode: sock}});
    adopted: every socket must have the adopted flag (else none may)."""
    mine = {}
    man_socks = socks if socks is not None else manifest_socks(manifest) if manifest else {}
    for pid in pids:
        comm = proc_comm(pid)
        age = proc_age(pid)
        lst = r["per"][pid]
        k = {s["inode"]: s for s in lst}
        mine[pid] = k
        tag = "pid %d (%s)" % (pid, comm)
        ok(len(k) == len(lst), "L1 %s: no inode listed twice" % tag,
           "%d entries, %d inodes" % (len(lst), len(k)))
        ok(all(s["pid"] == pid for s in lst), "L1 %s: knmt sockets -p lists only the pid" % tag,
           str(sorted({s["pid"] for s in lst})))
        from_all = {s["inode"] for s in r["all"] if s["pid"] == pid}
        ok(from_all == set(k), "L1 %s: knmt sockets -p == the pid's entries of knmt sockets" % tag,
           "only in -p: %s, only in all: %s" % (sorted(set(k) - from_all),
                                               sorted(from_all - set(k))))
        pf = r["procfd"][pid]
        ok(set(k) == set(pf), "L1 %s: the inodes knmt lists == /proc/%d/fd's sockets (%d)" %
           (tag, pid, len(pf)),
           "knmt only: %s; /proc only: %s" %
           ([show_knmt(k[i]) for i in sorted(set(k) - set(pf))], sorted(set(pf) - set(k))))
        if pid in man_socks:
            ms = man_socks[pid]
            ok(set(k) == set(ms), "L1 %s: the inodes knmt lists == the manifest's (%d)" %
               (tag, len(ms)),
               "knmt only: %s; manifest only: %s" %
               ([show_knmt(k[i]) for i in sorted(set(k) - set(ms))],
                [ms[i] for i in sorted(set(ms) - set(k))]))
        sp = r["ss_pid"][pid]
        kss = {i for i, s in k.items() if s.get("netid") in SS_NETIDS}
        ok(kss == set(sp), "L1 %s: the tcp/udp/unix inodes knmt lists == ss's (%d)" %
           (tag, len(sp)),
           "knmt only: %s; ss only: %s" %
           ([show_knmt(k[i]) for i in sorted(kss - set(sp))],
            [sp[i]["line"] for i in sorted(set(sp) - kss)]))

        # L2 counts per (netid, state).
        kc, sc = {}, {}
        for s in k.values():
            if s.get("netid") in SS_NETIDS:
                kc[(s["netid"], s["state"])] = kc.get((s["netid"], s["state"]), 0) + 1
        for s in sp.values():
            sc[(s["netid"], s["state"])] = sc.get((s["netid"], s["state"]), 0) + 1
        info("%s: per (netid, state): knmt %s" %
             (tag, ", ".join("%s/%s %d" % (a, b, n) for (a, b), n in sorted(kc.items()))))
        for ns in sorted(set(kc) | set(sc)):
            ok(kc.get(ns, 0) == sc.get(ns, 0),
               "L2 %s: %s %s: knmt %d == ss %d" % (tag, ns[0], ns[1], kc.get(ns, 0), sc.get(ns, 0)),
               "knmt: %s; ss: %s" %
               ([show_knmt(s) for s in k.values() if (s.get("netid"), s["state"]) == ns],
                [s["line"] for s in sp.values() if (s["netid"], s["state"]) == ns]))

        # L3 each socket against ss.
        for ino in sorted(set(k) & set(sp)):
            s, e = k[ino], sp[ino]
            what = "L3 %s inode %d (%s %s)" % (tag, ino, e["netid"], e["state"])
            bad = []
            for f in ("netid", "state", "recv_q", "send_q"):
                if s.get(f) != e[f]:
                    bad.append("%s knmt %r ss %r" % (f, s.get(f), e[f]))
            if e["netid"] in ("tcp", "udp"):
                if s.get("local") != e["local"]:
                    bad.append("local knmt %r ss %r" % (s.get("local"), e["local"]))
                rem = s.get("remote")
                if e["remote"] is None:
                    if rem not in (None, "0.0.0.0:0", "[::]:0"):
                        bad.append("remote knmt %r ss none" % rem)
                elif rem != e["remote"]:
                    bad.append("remote knmt %r ss %r" % (rem, e["remote"]))
            elif s.get("local") is not None or s.get("remote") is not None:
                bad.append("local/remote %r/%r for a unix socket" % (s.get("local"), s.get("remote")))
            m = e["skmem"]
            ks = s.get("skmem") or {}
            if m is None:
                bad.append("ss printed no skmem")
            else:
                for f in ("r", "t", "w", "rb", "tb"):
                    if not close_to(ks.get(f), m.get(f)):
                        bad.append("skmem.%s knmt %r ss %r" % (f, ks.get(f), m.get(f)))
                rx = e["recv_q"] if e["netid"].startswith("u_") else m.get("r")
                tx = m.get("w") if e["netid"] == "tcp" else m.get("t")
                if not close_to(s.get("rx_queued_bytes"), rx):
                    bad.append("rx_queued_bytes knmt %r ss %r" % (s.get("rx_queued_bytes"), rx))
                if not close_to(s.get("tx_queued_bytes"), tx):
                    bad.append("tx_queued_bytes knmt %r ss %r" % (s.get("tx_queued_bytes"), tx))
                mem = m.get("r", 0) + (tx or 0) + m.get("f", 0)
                if not close_to(s.get("mem_bytes"), mem):
                    bad.append("mem_bytes knmt %r ss r+%s+f %r" %
                               (s.get("mem_bytes"), "w" if e["netid"] == "tcp" else "t", mem))
            ok(not bad, what + ": as ss shows it",
               "%s\n    knmt: %s\n    ss:   %s" % ("; ".join(bad), show_knmt(s), e["line"]))

        # L4 each socket on its own.
        ms = man_socks.get(pid, {})
        for ino in sorted(k):
            s = k[ino]
            bad = []
            netid = s.get("netid")
            if netid in NETID_KIND:
                fams, typ, proto = NETID_KIND[netid]
                if s.get("family") not in fams:
                    bad.append("family %r for %s" % (s.get("family"), netid))
                if s.get("type") != typ:
                    bad.append("type %r for %s" % (s.get("type"), netid))
                if s.get("protocol") != proto:
                    bad.append("protocol %r for %s" % (s.get("protocol"), netid))
            if s.get("comm") != comm:
                bad.append("comm %r, /proc says %r" % (s.get("comm"), comm))
            flags = s.get("flags") or []
            for f in ("approx", "adopted"):
                if f in flags and not (f == "adopted" and adopted):
                    bad.append("flag %s" % f)
            if adopted and "adopted" not in flags:
                bad.append("no adopted flag: its creator exited, this process holds it")
            a, sa = s.get("age_s"), s.get("state_age_s")
            if not isinstance(a, (int, float)) or not 0 <= a <= age + 1:
                bad.append("age_s %r, the process is %.2f s old" % (a, age))
            if sa is not None and (not isinstance(sa, (int, float)) or
                                   not 0 <= sa <= (a or 0) + 0.01):
                bad.append("state_age_s %r > age_s %r" % (sa, a))
            if ino in ms:
                m = ms[ino]
                if m["accepted"] != ("accepted" in flags):
                    bad.append("accepted flag %s, the workload %s it" %
                               ("accepted" in flags, "accepted" if m["accepted"] else "did not accept"))
                fam = m["family"] if m["family"] != "other" else None
                if fam and s.get("family") != fam:
                    bad.append("family %r, the workload made %r" % (s.get("family"), fam))
                if m["family"] == "other" and s.get("family") in ("inet", "inet6", "unix"):
                    bad.append("family %r for a %s socket" % (s.get("family"), m["what"]))
                if m["state"] and s["state"] != m["state"]:
                    bad.append("state %r, the workload expects %r" % (s["state"], m["state"]))
            ok(not bad, "L4 %s inode %d (%s %s%s)" %
               (tag, ino, netid, s.get("state"), ", " + ms[ino]["what"] if ino in ms else ""),
               "%s\n    knmt: %s" % ("; ".join(bad), show_knmt(s)))

        # L5 the summary against the listing.
        check_summary(tag, r["sums"][pid], k.values(), age,
                      [s for s in r["all"] if s["pid"] == pid], adopted)

    # L6 status.
    st = knmt_status()
    listed = sum(len(v) for v in mine.values())
    ok(st.get("sockets_overflow") == 0, "L6 status sockets_overflow == 0",
       "%r" % st.get("sockets_overflow"))
    stale0 = int(os.environ.get("KNMT_SOCKETS_STALE0", "0"))
    ok(st.get("sockets_stale") == stale0,
       "L6 status sockets_stale == %d (when the test started): no destruction missed" % stale0,
       "%r; hooks: %s" % (st.get("sockets_stale"),
                          ", ".join("%s missed %r" % (n, h["missed"])
                                    for n, h in sorted(hooks(st).items()) if h["missed"])))
    t = st.get("sockets_tracked")
    ok(isinstance(t, int) and t >= listed and t <= (st.get("sockets_max") or 0),
       "L6 status sockets_tracked %r >= %d listed for the pids, <= sockets_max %r" %
       (t, listed, st.get("sockets_max")))
    return mine


def check_summary(tag, sk, lst, age, after, adopted=False):
    """lst: the listing read before the summary, after: the one read after."""
    if not ok(isinstance(sk, dict), "L5 %s: knmt summary -p PID --json has a sockets object" % tag):
        return
    lst = list(lst)
    info("%s summary: %s" % (tag, json.dumps(sk, sort_keys=True)))
    bad = []

    def eq(name, got, want):
        if got != want:
            bad.append("%s: summary %r, listing %r" % (name, got, want))

    eq("open", sk.get("open"), len(lst))
    eq("kernel.sockbufs_bytes (== sockets.mem_bytes)", sk.get("_sockbufs"), sk.get("mem_bytes"))
    fam = {"inet": 0, "inet6": 0, "unix": 0, "other": 0}
    for s in lst:
        f = s.get("family")
        fam[f if f in ("inet", "inet6", "unix") else "other"] += 1
    eq("by_family", sk.get("by_family"), fam)
    bs = sk.get("by_state") or {}
    for st in STATES:
        if st == "new_syn_recv" and st not in bs:
            continue
        if st not in bs:
            bad.append("by_state has no %s" % st)
    tcp = {}
    for s in lst:
        if s.get("protocol") == "tcp":
            tcp[s["state"]] = tcp.get(s["state"], 0) + 1
    eq("by_state (TCP sockets)", {k: v for k, v in bs.items() if v}, tcp)
    eq("close_wait", sk.get("close_wait"), tcp.get("close_wait", 0))
    eq("rx_queued_bytes", sk.get("rx_queued_bytes"), sum(s.get("rx_queued_bytes") or 0 for s in lst))
    eq("tx_queued_bytes", sk.get("tx_queued_bytes"), sum(s.get("tx_queued_bytes") or 0 for s in lst))
    mem = sum(s.get("mem_bytes") or 0 for s in lst)
    if not close_to(sk.get("mem_bytes"), mem):
        bad.append("mem_bytes: summary %r, listing %r" % (sk.get("mem_bytes"), mem))
    # Ages: between what the listing said before the summary and after it.
    def oldest(lst, f, cond):
        v = [s[f] for s in lst if cond(s) and isinstance(s.get(f), (int, float))]
        return max(v) if v else None

    def between(name, got, lo, hi):
        if lo is None or hi is None:
            if got is not None:
                bad.append("%s %r, none in the listing" % (name, got))
        elif not isinstance(got, (int, float)) or not lo - 0.05 <= got <= hi + 0.05:
            bad.append("%s %r, the listing read before %.3f, after %.3f" % (name, got, lo, hi))

    def every(s):
        return True

    def cw(s):
        return s.get("protocol") == "tcp" and s["state"] == "close_wait"
    between("oldest_open_age_s", sk.get("oldest_open_age_s"), oldest(lst, "age_s", every),
            oldest(after, "age_s", every))
    between("oldest_age_s (close_wait)", sk.get("oldest_age_s"), oldest(lst, "state_age_s", cw),
            oldest(after, "state_age_s", cw))
    ok(not bad, "L5 %s: the summary's sockets aggregates == the listing" % tag, "; ".join(bad))

    bad = []
    o, c, d = sk.get("opened_total"), sk.get("closed_total"), sk.get("destroyed_total")
    if adopted:
        info("%s: adopted sockets: opened_total %r, closed_total %r, open %r" %
             (tag, o, c, sk.get("open")))
    elif o is None or c is None or o - c != sk.get("open"):
        bad.append("opened_total %r - closed_total %r != open %r" % (o, c, sk.get("open")))
    if c is None or d is None or c - d != sk.get("orphans"):
        bad.append("closed_total %r - destroyed_total %r != orphans %r" % (c, d, sk.get("orphans")))
    h = sk.get("lifetime_histogram")
    if not isinstance(h, list) or len(h) != BUCKETS:
        bad.append("lifetime_histogram %r: not %d buckets" % (h, BUCKETS))
    else:
        if sum(h) != c:
            bad.append("the lifetime histogram sums to %d, closed_total %r" % (sum(h), c))
        # Bucket i (i >= 1) counts lifetimes of 4^(i-1) ms and more.
        for i in range(1, BUCKETS):
            if h[i] and 4 ** (i - 1) / 1000.0 > age + 1:
                bad.append("bucket %d (>= %g s) counts %d, the process is %.1f s old" %
                           (i, 4 ** (i - 1) / 1000.0, h[i], age))
    if (sk.get("accepted_total") or 0) < sum(1 for s in lst if "accepted" in (s.get("flags") or [])):
        bad.append("accepted_total %r < the accepted sockets listed" % sk.get("accepted_total"))
    if sk.get("untracked_total") != 0:
        bad.append("untracked_total %r" % sk.get("untracked_total"))
    ok(not bad, "L5 %s: totals add up (opened - closed == open, closed - destroyed == orphans, "
       "histogram == closed)" % tag, "; ".join(bad))


# --- waiting for the kernel ---------------------------------------------------

def poll_summary(pid, cond, timeout=20.0):
    """knmt summary of pid until cond(sockets) or timeout; the last one."""
    end = time.time() + timeout
    while True:
        sk = knmt_socks(pid)
        if sk is None or cond(sk) or time.time() > end:
            return sk
        time.sleep(0.2)


def full_fin_wait2(port):
    """The client's closed ends still full sockets, by /proc/net/tcp: in
    FIN_WAIT2 (st 05) with the keepalive timer (tr 2), not a timewait
    socket (tr 3).  An orphan whose last ACK came while close() still held
    its lock waits there for tcp_fin_time (60 s) before it is destroyed,
    where the others become timewait sockets at once."""
    n = 0
    with open("/proc/net/tcp") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            if (len(fields) > 5 and int(fields[2].split(":")[1], 16) == port and
                    fields[3] == "05" and fields[5].split(":")[0] == "02"):
                n += 1
    return n


def load(path):
    with open(path) as f:
        return json.loads(f.readline())


def pids_of(man):
    return [man["server"]["pid"], man["client"]["pid"]]


def totals(sk):
    if sk is None:
        return None
    return {k: sk.get(k) for k in ("open", "opened_total", "accepted_total", "closed_total",
                                     "destroyed_total", "orphans")}


# --- commands -------------------------------------------------------------------

def cmd_snapshot(pids):
    st = knmt_status()
    print(json.dumps({"time": time.time(),
                      "status": {k: st.get(k) for k in ("sockets_tracked", "sockets_max",
                                                        "sockets_overflow", "sockets_stale")},
                      "hooks": hooks(st),
                      "pids": {str(p): knmt_socks(p) for p in pids}}))
    return 0


def hooks(st):
    return {h.get("name"): {"hits": h.get("hits"), "missed": h.get("missed")}
            for h in st.get("hooks") or []}


def hook_deltas(base):
    """The hooks' hits and misses since base (a snapshot), as a string."""
    st = knmt_status()
    now, was = hooks(st), base.get("hooks") or {}
    out = []
    for name, h in sorted(now.items()):
        b = was.get(name) or {}
        dh = (h["hits"] or 0) - (b.get("hits") or 0)
        dm = (h["missed"] or 0) - (b.get("missed") or 0)
        if dh or dm or h["missed"]:
            out.append("%s +%d hits, +%d missed (missed %r in all)" % (name, dh, dm, h["missed"]))
    return "%s; status sockets_tracked %r, overflow %r, stale %r" % (
        ", ".join(out), st.get("sockets_tracked"), st.get("sockets_overflow"),
        st.get("sockets_stale"))


def cmd_ss(pids):
    ent = ss_all()
    for e in ent:
        if not pids or any(p in pids for _, p, _ in e["users"]):
            print(json.dumps({k: e[k] for k in ("netid", "state", "inode", "recv_q", "send_q",
                                                 "local", "remote", "users", "skmem")}))
    return 0


def expect_totals(tag, sk, want):
    if not ok(sk is not None, "%s: knmt summary has a sockets object" % tag):
        return
    bad = ["%s %r, expected %r" % (k, sk.get(k), v) for k, v in want.items() if sk.get(k) != v]
    ok(not bad, "%s: %s" % (tag, ", ".join("%s %s" % kv for kv in want.items())), "; ".join(bad))


def cmd_check(path, interval):
    man = load(path)
    sc = man["scenario"]
    srv, cli = man["server"], man["client"]
    info("scenario %s: server pid %d (%d sockets), client pid %d (%d sockets), expect %s" %
         (sc, srv["pid"], len(srv["sockets"]), cli["pid"], len(cli["sockets"]),
          json.dumps(man["expect"])))
    if sc == "closewait":
        # The client's closed sockets must be gone before the listing, but
        # for those the kernel keeps as full sockets in FIN_WAIT2.
        n, port = man["expect"]["n"], man["expect"]["port"]
        held = [0]

        def settled(s):
            held[0] = full_fin_wait2(port)
            return s.get("orphans") == held[0] and s.get("destroyed_total") == n - held[0]
        sk = poll_summary(cli["pid"], settled)
        if held[0]:
            info("closewait: %d of the client's ends are full sockets in FIN_WAIT2 "
                 "(/proc/net/tcp), orphans until tcp_fin_time" % held[0])
        expect_totals("closewait client pid %d" % cli["pid"], sk,
                      {"open": 0, "opened_total": n, "accepted_total": 0, "closed_total": n,
                       "destroyed_total": n - held[0], "orphans": held[0]})
    r = reading(pids_of(man))
    k = check_listing(r, pids_of(man), man)
    for role in ("server", "client"):
        p = man[role]
        if sc == "closewait" and role == "client":
            continue
        sk = r["sums"][p["pid"]]
        expect_totals("%s %s pid %d" % (sc, role, p["pid"]), sk,
                      {"open": len(p["sockets"]), "opened_total": len(p["sockets"]),
                       "accepted_total": sum(1 for s in p["sockets"] if s["accepted"]),
                       "closed_total": 0, "orphans": 0})

    if sc == "closewait":
        check_closewait(man, r, k, interval)
    elif sc == "unread":
        check_unread(man, r, k)
    print("%d failed" % failures if failures else "all checks passed")
    return 1 if failures else 0


def check_closewait(man, r, k, interval):
    n, spid = man["expect"]["n"], man["server"]["pid"]
    port = man["expect"]["port"]
    cw1 = {i: s for i, s in k[spid].items() if s["state"] == "close_wait"}
    ss_cw = [e for e in r["ss_pid"][spid].values() if e["state"] == "close_wait"]
    ok(len(cw1) == n, "closewait: knmt lists %d sockets in close_wait under pid %d" % (n, spid),
       "%d: %s" % (len(cw1), [show_knmt(s) for s in k[spid].values()]))
    ok(len(ss_cw) == n, "closewait: ss shows %d CLOSE-WAIT sockets for pid %d" % (n, spid),
       "%d" % len(ss_cw))
    sk1 = r["sums"][spid] or {}
    ok(sk1.get("close_wait") == n and (sk1.get("by_state") or {}).get("close_wait") == n,
       "closewait: summary close_wait == by_state.close_wait == %d" % n,
       "close_wait %r, by_state %r" % (sk1.get("close_wait"), sk1.get("by_state")))
    # The client's ends went FIN_WAIT_2 -> timewait: ss shows them, no process.
    fw = [e for e in r["ss"] if e["netid"] == "tcp" and e["remote"] == "127.0.0.1:%d" % port
          and e["state"] in ("fin_wait_2", "time_wait")]
    info("the client's ends in ss: %s" % sorted(e["ss_state"] for e in fw))
    ok(all(not e["users"] for e in fw) and len(fw) == n,
       "closewait: ss shows the client's %d closed ends without a process" % n, str(fw))
    t0 = time.time()
    time.sleep(interval)
    l2 = {s["inode"]: s for s in knmt_sockets(spid)}
    sk2 = knmt_socks(spid) or {}
    # The ages can grow by up to the time since the first reading began
    # (under KASAN and TCG it took 35 s), not only by the sleep.
    dt = time.time() - r["t0"]
    info("second reading %.2f s after the sleep began, %.2f s after the first reading began"
         % (time.time() - t0, dt))
    for i, s in sorted(cw1.items()):
        s2 = l2.get(i)
        if not ok(s2 is not None and s2["state"] == "close_wait",
                  "closewait: inode %d still in close_wait" % i, show_knmt(s2 or {})):
            continue
        a1, a2 = s.get("state_age_s"), s2.get("state_age_s")
        ok(isinstance(a1, (int, float)) and isinstance(a2, (int, float)) and
           interval * 0.9 <= a2 - a1 <= dt + 5,
           "closewait: inode %d state_age_s grew by %s (slept %.2f s)" %
           (i, "%.3f" % (a2 - a1) if isinstance(a1, (int, float)) and isinstance(a2, (int, float))
            else "?", interval), "%r -> %r" % (a1, a2))
        ok(isinstance(a2, (int, float)) and a2 <= s2["age_s"],
           "closewait: inode %d state_age_s %r <= age_s %r" % (i, a2, s2.get("age_s")))
    o1, o2 = sk1.get("oldest_age_s"), sk2.get("oldest_age_s")
    ok(isinstance(o1, (int, float)) and isinstance(o2, (int, float)) and
       interval * 0.9 <= o2 - o1 <= dt + 5,
       "closewait: summary oldest_age_s grew by the interval", "%r -> %r" % (o1, o2))
    ok(sk2.get("close_wait") == n, "closewait: close_wait still %d" % n, str(sk2.get("close_wait")))


def check_unread(man, r, k):
    e = man["expect"]
    srv = man["server"]
    spid = srv["pid"]
    by_what = {s["what"]: s["inode"] for s in srv["sockets"]}
    ino = by_what["unread_tcp"]
    s = k[spid].get(ino)
    ss_e = r["ss_pid"][spid].get(ino)
    if not ok(s is not None and ss_e is not None, "unread: the TCP socket %d is in knmt and ss" % ino):
        return
    m = ss_e["skmem"] or {}
    info("unread tcp: knmt %s" % show_knmt(s))
    info("unread tcp: ss   %s" % ss_e["line"])
    ok(s["recv_q"] == e["tcp_unread"] == ss_e["recv_q"],
       "unread: recv_q %d == %d bytes sent == ss Recv-Q %d" %
       (s["recv_q"], e["tcp_unread"], ss_e["recv_q"]))
    ok(close_to(s["rx_queued_bytes"], m.get("r")) and m.get("r", 0) >= e["tcp_unread"],
       "unread: rx_queued_bytes %r within 5%% of skmem r %r (>= %d)" %
       (s["rx_queued_bytes"], m.get("r"), e["tcp_unread"]))
    ok(m.get("w", 0) > 0 and close_to(s["tx_queued_bytes"], m.get("w")),
       "unread: tx_queued_bytes %r within 5%% of skmem w %r (> 0)" % (s["tx_queued_bytes"], m.get("w")))
    ok(s["send_q"] == ss_e["send_q"] and s["send_q"] > 0,
       "unread: send_q %r == ss Send-Q %r (> 0; the server wrote %d)" %
       (s["send_q"], ss_e["send_q"], e["server_tx_written"]))
    ino = by_what["unix_unread"]
    s, ss_e = k[spid].get(ino), r["ss_pid"][spid].get(ino)
    if ok(s is not None and ss_e is not None, "unread: the unix socket %d is in knmt and ss" % ino):
        ok(s["rx_queued_bytes"] == e["unix_unread"] == ss_e["recv_q"] == s["recv_q"],
           "unread: unix rx_queued_bytes %r == recv_q %r == %d written == ss Recv-Q %r" %
           (s["rx_queued_bytes"], s["recv_q"], e["unix_unread"], ss_e["recv_q"]))
    ino = by_what["unix_writer"]
    s, ss_e = k[spid].get(ino), r["ss_pid"][spid].get(ino)
    if ok(s is not None and ss_e is not None, "unread: the unix writer %d is in knmt and ss" % ino):
        t = (ss_e["skmem"] or {}).get("t")
        ok(close_to(s["tx_queued_bytes"], t) and t >= e["unix_unread"],
           "unread: unix writer tx_queued_bytes %r within 5%% of skmem t %r (>= %d)" %
           (s["tx_queued_bytes"], t, e["unix_unread"]))


def cmd_orphans(path, phase):
    man = load(path)
    e = man["expect"]
    m, port = e["m"], e["port"]
    spid, cpid = pids_of(man)
    listener = man["server"]["sockets"][0]
    if phase == "closed":
        # The FINs wait behind the unsent data: nothing can destroy them.
        sk = knmt_socks(spid)
        info("server after close: %s" % json.dumps(totals(sk)))
        expect_totals("orphans closed: server pid %d" % spid, sk,
                      {"open": 1, "opened_total": m + 1, "accepted_total": m, "closed_total": m,
                       "orphans": m, "destroyed_total": 0})
        ss = ss_all()
        fw = [x for x in ss if x["netid"] == "tcp" and x["local"] == "127.0.0.1:%d" % port
              and x["state"] != "listen"]
        info("ss on port %d: %s" % (port, [x["line"] for x in fw]))
        ok(len([x for x in fw if x["state"] == "fin_wait_1" and not x["users"]]) == m,
           "orphans closed: ss shows %d FIN-WAIT-1 sockets on port %d without a process" % (m, port),
           str([(x["ss_state"], x["users"]) for x in fw]))
        r = reading([spid, cpid])
        k = check_listing(r, [spid, cpid])
        ok(list(k[spid]) == [listener["inode"]],
           "orphans closed: knmt lists only the listener under the server", str(list(k[spid])))
    else:
        sk = poll_summary(spid, lambda s: s.get("orphans") == 0)
        info("server after drain: %s" % json.dumps(totals(sk)))
        expect_totals("orphans drained: server pid %d" % spid, sk,
                      {"open": 1, "opened_total": m + 1, "accepted_total": m, "closed_total": m,
                       "orphans": 0, "destroyed_total": m})
        sk = poll_summary(cpid, lambda s: s.get("orphans") == 0)
        info("client after drain: %s" % json.dumps(totals(sk)))
        expect_totals("orphans drained: client pid %d" % cpid, sk,
                      {"open": 0, "opened_total": m, "accepted_total": 0, "closed_total": m,
                       "orphans": 0, "destroyed_total": m})
        r = reading([spid, cpid])
        check_listing(r, [spid, cpid])
    print("%d failed" % failures if failures else "all checks passed")
    return 1 if failures else 0


def cmd_inherit(path, phase):
    man = load(path)
    creator = man["client"]["pid"]
    holder = man["expect"]["holder"]
    inherited = {s["inode"]: s for s in man["client"]["sockets"]}
    info("inherit: creator pid %d, holder pid %d, inodes %s" % (creator, holder, sorted(inherited)))
    if phase == "manifest":
        pf = proc_socket_inodes(holder)
        ok(set(inherited) <= set(pf), "inherit: the holder %d holds the creator's sockets (/proc)" %
           holder, "holder's: %s" % sorted(pf))
        r = reading([creator])
        ss_h = r["ss_pid"].get(creator, {})
        both = [i for i, e in ss_h.items() if {p for _, p, _ in e["users"]} >= {creator, holder}]
        ok(sorted(both) == sorted(i for i, s in inherited.items() if s["netid"] in SS_NETIDS),
           "inherit: ss shows the creator and the holder on every inherited socket",
           str([e["line"] for e in ss_h.values()]))
        k = check_listing(r, [creator], man)
        under_h = [show_knmt(s) for s in r["all"] if s["pid"] == holder]
        ok(not under_h, "inherit: knmt lists nothing under the holder %d (it inherited, it does "
           "not own)" % holder, str(under_h))
        expect_totals("inherit creator pid %d" % creator, r["sums"][creator],
                      {"open": len(inherited), "opened_total": len(inherited),
                       "accepted_total": 0, "closed_total": 0, "orphans": 0})
        ok(set(k[creator]) == set(inherited), "inherit: the creator owns the %d sockets" %
           len(inherited))
    else:
        end = time.time() + 15
        while True:
            lst = knmt_sockets()
            under = {s["inode"] for s in lst if s["pid"] == holder}
            if set(inherited) <= under or time.time() > end:
                break
            time.sleep(0.25)
        info("adoption seen %.1f s before the deadline" % (end - time.time()))
        ok(set(inherited) <= under, "adopted: knmt lists the %d sockets under the holder %d" %
           (len(inherited), holder),
           "under the holder: %s; the inherited ones listed: %s" %
           (sorted(under), [show_knmt(s) for s in lst if s["inode"] in inherited]))
        left = [show_knmt(s) for s in lst if s["pid"] == creator]
        ok(not left, "adopted: nothing listed under the exited creator %d" % creator, str(left))
        r = reading([holder])
        check_listing(r, [holder], socks={holder: inherited}, adopted=True)
    print("%d failed" % failures if failures else "all checks passed")
    return 1 if failures else 0


def cmd_churned(path, churned_path, base_path):
    man = load(path)
    ch = load(churned_path)
    spid, cpid = pids_of(man)
    snap = load(base_path)
    base = snap["pids"]
    c = ch["server"]["accepted"]
    n = ch["client"]["opened"]
    info("churned: %s" % json.dumps(ch))
    want = {spid: {"opened_total": c, "accepted_total": c, "closed_total": c,
                   "destroyed_total": c, "hist": c},
            cpid: {"opened_total": n, "accepted_total": 0, "closed_total": n,
                   "destroyed_total": n, "hist": n}}
    for pid, role in ((spid, "server"), (cpid, "client")):
        b = base[str(pid)]
        sk = poll_summary(pid, lambda s: s.get("orphans") == 0 and
                          s.get("destroyed_total", 0) - b["destroyed_total"] >=
                          want[pid]["destroyed_total"])
        got = {k: sk.get(k, 0) - b.get(k, 0) for k in want[pid] if k != "hist"}
        got["hist"] = sum(sk["lifetime_histogram"]) - sum(b["lifetime_histogram"])
        info("%s pid %d: grew by %s; histogram %s -> %s" %
             (role, pid, json.dumps(got), b["lifetime_histogram"], sk["lifetime_histogram"]))
        bad = ["%s +%r, expected +%r" % (k, got[k], v) for k, v in want[pid].items() if got[k] != v]
        ok(not bad, "churned %s pid %d: opened, accepted, closed, destroyed and the lifetime "
           "histogram grew by %s" % (role, pid, json.dumps(want[pid])), "; ".join(bad))
        ok(sk.get("open") == b.get("open") and sk.get("orphans") == 0,
           "churned %s pid %d: open back to %r, no orphans" % (role, pid, b.get("open")),
           "open %r, orphans %r" % (sk.get("open"), sk.get("orphans")))
        info("%s pid %d: opens_per_s %r closes_per_s %r" %
             (role, pid, sk.get("opens_per_s"), sk.get("closes_per_s")))
    port = man["expect"]["port"]
    left = [e["line"] for e in ss_all() if e["netid"] == "tcp" and e["state"] != "time_wait" and
            port in (addr_port(e["local"]), addr_port(e["remote"]))]
    info("ss on port %d, but TIME-WAIT: %s" % (port, left))
    info("/proc/net/sockstat: %s" % sockstat())
    info("hooks since the baseline: %s" % hook_deltas(snap))
    r = reading([spid, cpid])
    check_listing(r, [spid, cpid])
    print("%d failed" % failures if failures else "all checks passed")
    return 1 if failures else 0


def addr_port(a):
    return int(a.rpartition(":")[2]) if a else None


def sockstat():
    with open("/proc/net/sockstat") as f:
        return "; ".join(l.strip() for l in f if l.startswith(("TCP", "UDP", "sockets")))


def cmd_redis(pid, base_path, conns, minimum):
    snap = load(base_path)
    base = snap["pids"][str(pid)]
    info("redis pid %d: %d connections received (INFO stats), at least %d" % (pid, conns, minimum))
    ok(conns >= minimum, "redis: total_connections_received grew by %d >= %d clients" %
       (conns, minimum))
    sk = poll_summary(pid, lambda s: s.get("orphans") == 0 and
                      s.get("closed_total", 0) - base["closed_total"] >= conns and
                      s.get("destroyed_total", 0) - base["destroyed_total"] >= conns, 30)
    d = {k: sk.get(k, 0) - base.get(k, 0) for k in ("opened_total", "accepted_total",
                                                     "closed_total", "destroyed_total")}
    d["hist"] = sum(sk["lifetime_histogram"]) - sum(base["lifetime_histogram"])
    info("knmt grew by %s; histogram %s -> %s" %
         (json.dumps(d), base["lifetime_histogram"], sk["lifetime_histogram"]))
    info("hooks since the baseline: %s" % hook_deltas(snap))
    ok(d["accepted_total"] == conns, "redis: accepted_total grew by %d == redis's %d" %
       (d["accepted_total"], conns))
    ok(d["opened_total"] == conns, "redis: opened_total grew by %d == %d (no other socket)" %
       (d["opened_total"], conns))
    ok(d["closed_total"] == conns, "redis: closed_total grew by %d == %d" % (d["closed_total"], conns))
    ok(d["destroyed_total"] == conns, "redis: destroyed_total grew by %d == %d" %
       (d["destroyed_total"], conns))
    ok(d["hist"] == conns, "redis: the lifetime histogram counts %d more == %d" % (d["hist"], conns))
    ok(sk.get("open") == base.get("open") and sk.get("orphans") == 0,
       "redis: open back to %r, no orphans" % base.get("open"),
       "open %r orphans %r" % (sk.get("open"), sk.get("orphans")))
    r = reading([pid])
    k = check_listing(r, [pid])
    lst = k[pid]
    ok(lst and all(s["state"] == "listen" for s in lst.values()),
       "redis: knmt sockets -p %d lists only listening sockets" % pid,
       str([show_knmt(s) for s in lst.values()]))
    ssl = {i for i, e in r["ss_pid"][pid].items() if e["netid"] == "tcp" and e["state"] == "listen"}
    ok(set(lst) == ssl, "redis: the listeners == ss -tanp's for pid %d (%d)" % (pid, len(ssl)),
       "knmt %s ss %s" % (sorted(lst), sorted(ssl)))
    print("%d failed" % failures if failures else "all checks passed")
    return 1 if failures else 0


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description="knmt's sockets against ss and /proc")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("snapshot")
    s.add_argument("pids", type=int, nargs="+")
    s = sub.add_parser("ss")
    s.add_argument("pids", type=int, nargs="*")
    c = sub.add_parser("check")
    c.add_argument("manifest")
    c.add_argument("--interval", type=float, default=3.0)
    for ph in ("orphans-closed", "orphans-drained", "inherit", "inherit-adopted"):
        c = sub.add_parser(ph)
        c.add_argument("manifest")
    c = sub.add_parser("churned")
    c.add_argument("manifest")
    c.add_argument("churned")
    c.add_argument("--baseline", required=True)
    c = sub.add_parser("redis")
    c.add_argument("pid", type=int)
    c.add_argument("baseline")
    c.add_argument("connections", type=int)
    c.add_argument("minimum", type=int)
    a = ap.parse_args(argv)
    try:
        if a.cmd == "snapshot":
            return cmd_snapshot(a.pids)
        if a.cmd == "ss":
            return cmd_ss(a.pids)
        if a.cmd == "check":
            return cmd_check(a.manifest, a.interval)
        if a.cmd.startswith("inherit"):
            return cmd_inherit(a.manifest, "adopted" if a.cmd.endswith("adopted") else "manifest")
        if a.cmd.startswith("orphans-"):
            return cmd_orphans(a.manifest, a.cmd[len("orphans-"):])
        if a.cmd == "churned":
            return cmd_churned(a.manifest, a.churned, a.baseline)
        return cmd_redis(a.pid, a.baseline, a.connections, a.minimum)
    except (Error, OSError, ValueError, KeyError, TypeError) as e:
        print("check_sockets: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        print("not ok - check_sockets could not finish (%s)" % e)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
