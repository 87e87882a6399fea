#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Structured fuzzing of the knmt generic netlink family (tests/vm/t-fuzz.sh).

The family is read from its YNL spec, kmod/uapi/linux/knmt.yaml: commands
and their do and dump forms, attribute sets, types, checks and nesting.
Requests are built from it, valid ones and mutated ones, and sent on raw
NETLINK_GENERIC sockets that ask for extended ACKs.  Each answer is judged
by a model that reads the bytes actually sent and says what the kernel must
answer, in the order the kernel looks:

  - netlink_rcv_skb(): a message whose nlmsg_len is below 16 or beyond the
    bytes sent is dropped without an answer, and so is what follows it; a
    message without NLM_F_REQUEST is acknowledged if it asks, nothing more;
  - the generic netlink core, as measured on 6.1 and 6.12 (see
    tests/vm/t-hostile.sh): a message too short for the generic header gets
    EINVAL and an unknown command, or a form (do, dump) the command does not
    have, EOPNOTSUPP, both without an extack text, as does a dump asked for
    while another runs on the socket (EBUSY); genlmsghdr.version is not
    checked; a non-zero reserved field and flags other than REQUEST, ACK,
    ECHO and DUMP are refused with a text;
  - strict validation of the attributes the spec lists for the request:
    any other attribute, a wrong length, a missing NUL, a nest flag on a
    scalar, a value outside the spec's checks, bytes left over;
  - the module's handlers (what the spec says in prose only, see HANDLERS).

Every error past the command lookup must carry an extack message; a valid
request must succeed and its replies parse as the spec's reply attributes.
Meanwhile threads dump concurrently, abandon dumps half way, dump with a
tiny receive buffer and listen to the events group, while a child process
churns processes, mappings and sockets, so that requests race with exits;
it also maps a file from a path of nearly PATH_MAX bytes.

  fuzz_nl.py [--summary FILE]
        fuzz for KNMT_FUZZ_SECS seconds (default 20) or KNMT_FUZZ_COUNT
        requests, whichever ends first, from request KNMT_FUZZ_FROM (0),
        with seed KNMT_FUZZ_SEED (default: from the clock, printed).
        Request i is a function of the seed and i alone (the pids in it
        are picked among the processes running).  The last line, also
        written to FILE, sums the run up.
  fuzz_nl.py --perm
        as an unprivileged user: every command, valid or not, gets EPERM
        and the events group cannot be joined.
  fuzz_nl.py --churn
        the background workload (started by the fuzzer).

Run as root in the VM with the module loaded.  Exit status 1 when an answer
broke the model: each violation is printed with the request in hex and the
variables that replay it.
"""
import collections
import ctypes
import errno
import mmap
import os
import random
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback

import yaml

TOP = os.environ.get("KNMT_TOP") or os.path.abspath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
SPEC = os.path.join(TOP, "kmod", "uapi", "linux", "knmt.yaml")

# <linux/netlink.h>, <linux/genetlink.h>
NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP, NETLINK_DROP_MEMBERSHIP = 1, 2
NETLINK_CAP_ACK, NETLINK_EXT_ACK = 10, 11
NLMSG_HDR = struct.Struct("=IHHII")        # len, type, flags, seq, pid
GENL_HDR = struct.Struct("=BBH")           # cmd, version, reserved
NLA_HDR = struct.Struct("=HH")             # len, type
HDRS = NLMSG_HDR.size + GENL_HDR.size      # where attributes start
NLMSG_ERROR, NLMSG_DONE = 2, 3
F_REQUEST, F_MULTI, F_ACK, F_ECHO = 0x1, 0x2, 0x4, 0x8
F_DUMP_INTR, F_DUMP_FILTERED = 0x10, 0x20
F_ROOT, F_MATCH, F_ATOMIC, F_APPEND = 0x100, 0x200, 0x400, 0x800
F_DUMP = F_ROOT | F_MATCH
F_CAPPED, F_ACK_TLVS = 0x100, 0x200        # in NLMSG_ERROR answers
NLA_F_NESTED, NLA_F_NET_BYTEORDER = 0x8000, 0x4000
NLA_TYPE_MASK = 0x3fff
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS = 1, 2
GENL_ID_CTRL, CTRL_CMD_GETFAMILY, CTRL_VERSION = 0x10, 3, 2
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_VERSION = 1, 2, 3
CTRL_ATTR_HDRSIZE, CTRL_ATTR_OPS, CTRL_ATTR_MCAST_GROUPS = 4, 6, 7
CTRL_ATTR_OP_ID, CTRL_ATTR_OP_FLAGS = 1, 2
CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 1, 2
GENL_ADMIN_PERM, GENL_CMD_CAP_DO, GENL_CMD_CAP_DUMP = 0x1, 0x2, 0x4
PF_KTHREAD = 0x00200000

SIZES = {"u8": 1, "u16": 2, "u32": 4, "u64": 8, "s8": 1, "s16": 2, "s32": 4, "s64": 8}
FORMATS = {"u8": "=B", "u16": "=H", "u32": "=I", "u64": "=Q",
           "s8": "=b", "s16": "=h", "s32": "=i", "s64": "=q"}

# What the spec says in prose only (its header, "What YNL cannot say"):
# these dumps take the pid attribute of the proc set in their request.
REQUEST_ELSEWHERE = {"dump-regions": ("proc", ["pid"]),
                     "dump-fault-sites": ("proc", ["pid"]),
                     "dump-sockets": ("proc", ["pid"])}

# HANDLERS: the module's own rules past the policy (knmt_genl.c,
# knmt_genl_proc.c), which the spec states in prose.  A pid names a live
# user process of the requester's namespace (else ESRCH, EINVAL for a
# kernel thread); these commands need one; these need it tracked (ENOENT);
# set-config needs a writable setting, and events-fault-ms is 0 or
# 100..3600000 (ERANGE), checked before the filter's pid (ESRCH).
PID_REQUIRED = {"get-proc", "dump-regions", "dump-fault-sites"}
PID_TRACKED = {"dump-fault-sites", "dump-sockets"}
PID_ATTRS = {"pid", "filter-pid"}


def fault_ms_ok(v):
    return v == 0 or 100 <= v <= 3600000


TIMEOUT = 20.0          # seconds for the kernel's answer (TCG, a loaded host)
RECV_SIZE = 1 << 20
TINY_RCVBUF = 1         # the kernel rounds it up to its minimum
OK = {0: ("any", None)}
NO_ANSWER = {None: ("any", None)}


def align4(n):
    return (n + 3) & ~3


def nla(atype, payload=b""):
    """One attribute, padded to 4 bytes (the padding not in nla_len)."""
    n = NLA_HDR.size + len(payload)
    return NLA_HDR.pack(n, atype) + payload + bytes(align4(n) - n)


def nla_parse(buf, start=0, end=None):
    """[(type with flags, payload, offset)] and the bytes left over, the
    way the kernel walks attributes (nla_for_each_attr)."""
    end = len(buf) if end is None else end
    pos, out = start, []
    while end - pos >= NLA_HDR.size:
        n, t = NLA_HDR.unpack_from(buf, pos)
        if n < NLA_HDR.size or n > end - pos:
            break
        out.append((t, bytes(buf[pos + NLA_HDR.size:pos + n]), pos))
        pos += align4(n)
    return out, max(0, end - pos)


def errname(e):
    if e is None:
        return "no answer"
    if e == errno.EOPNOTSUPP:
        return "EOPNOTSUPP"                 # errorcode has ENOTSUP, its alias
    return "ok" if e == 0 else errno.errorcode.get(e, str(e))


def hexdump(data, limit=768):
    lines = [f"        {i:5d}: {data[i:i + 16].hex(' ')}"
             for i in range(0, min(len(data), limit), 16)]
    if len(data) > limit:
        lines.append(f"        ... {len(data)} bytes in all")
    return "\n".join(lines) if lines else "        (no bytes)"


class ModelError(Exception):
    """The model meets something it has no rule for: fix the model."""


# ---- the spec --------------------------------------------------------------

class Attr:
    def __init__(self, d, value, spec):
        self.name = d["name"]
        self.value = value
        self.type = d["type"]
        self.nested = d.get("nested-attributes")
        self.sub_type = d.get("sub-type")
        self.multi = bool(d.get("multi-attr"))
        self.enum = d.get("enum")
        checks = d.get("checks", {})
        self.min = spec.const(checks.get("min"))
        self.max = spec.const(checks.get("max"))
        self.max_len = spec.const(checks.get("max-len"))


class AttrSet:
    def __init__(self, d, spec):
        self.name = d["name"]
        self.attrs, value = [], 0
        for a in d["attributes"]:
            value = a.get("value", value + 1)     # YNL: the first one is 1
            self.attrs.append(Attr(a, value, spec))
        self.by_name = {a.name: a for a in self.attrs}
        self.by_value = {a.value: a for a in self.attrs}


class Form:
    """The do or dump form of an operation: request and reply attributes."""
    def __init__(self, request, reply):
        self.request = request      # names in Op.request_set
        self.reply = reply          # names in Op.set, None: no reply message


class Op:
    def __init__(self, d, value, spec):
        self.name = d["name"]
        self.value = value
        self.flags = d.get("flags", [])
        self.set = spec.sets.get(d.get("attribute-set"))
        self.request_set = self.set
        self.forms = {}
        for form in ("do", "dump"):
            if form not in d:
                continue
            f = d[form] or {}
            request = (f.get("request") or {}).get("attributes", [])
            reply = f.get("reply")
            self.forms[form] = Form(list(request), None if reply is None
                                    else list(reply.get("attributes", [])))
        self.event = (d.get("event") or {}).get("attributes")
        self.mcgrp = d.get("mcgrp")
        if self.name in REQUEST_ELSEWHERE:
            set_name, names = REQUEST_ELSEWHERE[self.name]
            self.request_set = spec.sets[set_name]
            for f in self.forms.values():
                f.request = list(names)


class Spec:
    def __init__(self, path):
        with open(path) as f:
            doc = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        self.name = doc["name"]
        self.version = doc["version"]
        self.consts, self.enums = {}, {}
        for d in doc.get("definitions", []):
            if d["type"] == "const":
                self.consts[d["name"]] = d["value"]
            elif d["type"] in ("enum", "flags"):
                start = d.get("value-start", 0)
                names = [e if isinstance(e, str) else e["name"] for e in d["entries"]]
                if d["type"] == "enum":
                    self.enums[d["name"]] = ("enum", {start + i for i in range(len(names))})
                else:
                    self.enums[d["name"]] = ("flags", sum(1 << (start + i)
                                                          for i in range(len(names))))
        self.sets = {}
        for d in doc["attribute-sets"]:
            self.sets[d["name"]] = AttrSet(d, self)
        self.ops, value = [], 0
        for d in doc["operations"]["list"]:
            value = d.get("value", value + 1)
            self.ops.append(Op(d, value, self))
        self.ops_by_value = {op.value: op for op in self.ops}
        self.groups = [g["name"] for g in doc.get("mcast-groups", {}).get("list", [])]
        self.event_op = next(op for op in self.ops if op.event)

    def const(self, v):
        return self.consts[v] if isinstance(v, str) else v

    def encode(self, a, v):
        if a.type in FORMATS:
            return struct.pack(FORMATS[a.type], v)
        if a.type == "string":
            return v.encode() + b"\0"
        raise ModelError(f"no encoding for {a.type} attributes")

    def decode(self, aset, buf, names=None, where=""):
        """Attributes of aset in buf, checked against the spec: ({name:
        value}, [problems]).  names: the attributes allowed (a reply's)."""
        out, problems = {}, []
        attrs, rest = nla_parse(buf)
        where = where or aset.name
        if rest:
            problems.append(f"{where}: {rest} bytes left after the attributes")
        for t, data, _ in attrs:
            a = aset.by_value.get(t & NLA_TYPE_MASK)
            if a is None or a.type == "unused":
                problems.append(f"{where}: attribute type {t & NLA_TYPE_MASK} is not in the set")
                continue
            at = f"{where}.{a.name}"
            if names is not None and a.name not in names and a.type != "pad":
                problems.append(f"{at}: not among the operation's reply attributes")
            if t & NLA_F_NESTED and a.type not in ("nest", "indexed-array"):
                problems.append(f"{at}: NLA_F_NESTED on a {a.type}")
            value = self.value(a, data, at, problems)
            if a.multi:
                out.setdefault(a.name, []).append(value)
            elif a.name in out and a.type != "pad":
                problems.append(f"{at}: repeated, and not a multi-attr")
            else:
                out[a.name] = value
        return out, problems

    def value(self, a, data, at, problems, typ=None):
        typ = typ or a.type
        if typ in SIZES:
            if len(data) != SIZES[typ]:
                problems.append(f"{at}: {len(data)} bytes for a {typ}")
                return None
            v = struct.unpack(FORMATS[typ], data)[0]
            if a.enum and typ == a.type:
                kind, valid = self.enums[a.enum]
                if (v not in valid) if kind == "enum" else (v & ~valid):
                    problems.append(f"{at}: {v} is not a value of {a.enum}")
            return v
        if typ == "string":
            if not data or data[-1] != 0 or 0 in data[:-1]:
                problems.append(f"{at}: not one NUL-terminated string: {data[:40]!r}")
            return data.split(b"\0")[0].decode(errors="replace")
        if typ in ("flag", "pad"):
            if data:
                problems.append(f"{at}: {len(data)} bytes in a {typ}")
            return True
        if typ == "binary":
            return data
        if typ == "nest":
            v, p = self.decode(self.sets[a.nested], data, None, at)
            problems.extend(p)
            return v
        if typ == "indexed-array":
            # entries of the sub-type numbered from 1; type 0, empty, pads
            entries, rest = nla_parse(data)
            if rest:
                problems.append(f"{at}: {rest} bytes left after the entries")
            values = []
            for t, d, _ in entries:
                if t & NLA_TYPE_MASK == 0 and not d:
                    continue
                values.append(self.value(a, d, f"{at}[{t & NLA_TYPE_MASK}]", problems,
                                         a.sub_type))
            return values
        problems.append(f"{at}: the spec's type {typ} is unknown here")
        return None


# ---- processes the requests name -------------------------------------------

class World:
    """The pids requests carry, and what the kernel may make of each."""

    def __init__(self):
        self.lock = threading.Lock()
        self.stable = {os.getpid(): os.getpid(), os.getppid(): os.getppid(), 1: 1}
        self.threads = {}                   # tid -> tgid, our own threads
        self.kthreads, self.users, self.seen = set(), [], set()
        self.children = collections.deque(maxlen=64)
        self.child_set = set()
        with open("/proc/sys/kernel/pid_max") as f:
            self.pid_max = int(f.read())
        self.root_cgroup = 1
        with open("/proc/self/mountinfo") as f:
            for line in f:
                fields = line.split()
                fs = fields[fields.index("-") + 1]
                if fs == "cgroup2" and fields[3] == "/":
                    self.root_cgroup = os.stat(fields[4]).st_ino
                    break
        self.add_thread()
        self.refresh()

    def add_thread(self):
        with self.lock:
            self.threads[threading.get_native_id()] = os.getpid()

    def add_stable(self, pid):
        with self.lock:
            self.stable[pid] = pid

    def add_child(self, pid):
        with self.lock:
            self.children.append(pid)
            self.child_set.add(pid)

    def refresh(self):
        users, kthreads = [], set()
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            pid = int(name)
            if pid not in self.seen:
                try:
                    with open(f"/proc/{pid}/stat") as f:
                        stat = f.read()
                except OSError:
                    continue
                self.seen.add(pid)
                if int(stat.rsplit(")", 1)[1].split()[6]) & PF_KTHREAD:
                    kthreads.add(pid)
            if pid not in self.kthreads and pid not in kthreads:
                users.append(pid)
        with self.lock:
            self.users = sorted(users)
            self.kthreads |= kthreads

    def pick(self, rng, kind):
        """A pid: stable (alive all along), thread (one of ours), racy (a
        process that may exit any moment), kthread, none (cannot exist).
        Always two draws, so that what follows in a request does not
        depend on the processes running."""
        u, v = rng.random(), rng.random()
        with self.lock:
            if kind == "none":
                return (self.pid_max + int(u * (1 << 20)), 0x7fffffff, 0x80000000,
                        0xffffffff)[int(v * 4)]
            pids = {"stable": sorted(self.stable), "thread": sorted(self.threads),
                    "kthread": sorted(self.kthreads) or [2]}.get(kind)
            if pids is None:
                pids = list(self.children) if self.children and u < 0.7 else self.users
            return pids[int(v * len(pids))]

    def kind(self, pid):
        with self.lock:
            if pid in self.stable or pid in self.threads:
                return "stable"
            if pid in self.kthreads:
                return "kthread"
            if pid >= self.pid_max:
                return "none"
            if pid in self.child_set or pid in self.users:
                return "user"
            return "unknown"

    def tgid(self, pid):
        """The process a pid names, when we know it."""
        with self.lock:
            if pid in self.threads:
                return self.threads[pid]
            if pid in self.stable or pid in self.child_set or pid in self.users:
                return pid
            return None

    def pid_outcomes(self, pid, off, tracked, kthread_ok=False):
        kind = self.kind(pid)
        esrch = {errno.ESRCH: ("yes", off)}
        kthread = OK if kthread_ok else {errno.EINVAL: ("yes", off)}
        if kind == "stable":
            return dict(OK)
        if kind == "none":
            return esrch
        if kind == "kthread":
            return {**kthread, **esrch}          # kworkers come and go
        racy = {**OK, **esrch}
        if tracked:
            racy[errno.ENOENT] = ("yes", None)   # a zombie is not tracked
        if kind == "unknown":
            racy.update(kthread)                 # a kthread born since
        return racy


# ---- what the kernel must answer -------------------------------------------

class Expect:
    """What one message must get.  outcomes[errno] = (text, offset): errno 0
    success, None no answer at all; text "yes" (an extack message required),
    "no" (a documented answer of the core, without one) or "any"; offset:
    where NLMSGERR_ATTR_OFFS must point, if it is given."""

    def __init__(self, seq, msg):
        self.seq = seq
        self.msg = msg
        self.outcomes = {}
        self.op = None
        self.dump = False
        self.ack = False            # NLM_F_ACK on a do
        self.reply = False          # a do that has a reply message
        self.attrs = {}             # request attributes: name -> (value, offset)
        self.tgid = None            # the process the request names, if known

    def silent_success(self):
        """A do without reply and without NLM_F_ACK: success says nothing."""
        return not self.dump and not self.reply and not self.ack


class Model:
    def __init__(self, spec, family, world):
        self.spec, self.family, self.world = spec, family, world

    def predict(self, data):
        """One Expect per message of a datagram, as netlink_rcv_skb() sees them."""
        out, pos = [], 0
        while len(data) - pos >= NLMSG_HDR.size:
            n, typ, flags, seq, _ = NLMSG_HDR.unpack_from(data, pos)
            e = Expect(seq, data[pos:pos + n])
            out.append(e)
            if n < NLMSG_HDR.size or n > len(data) - pos:
                e.outcomes = dict(NO_ANSWER)       # dropped, and what follows
                break
            self.message(e, typ, flags)
            pos += min(align4(n), len(data) - pos)
        return out

    def message(self, e, typ, flags):
        msg = e.msg
        if not flags & F_REQUEST:
            e.ack = bool(flags & F_ACK)
            e.outcomes = dict(OK if e.ack else NO_ANSWER)
            return
        if typ != self.family:
            raise ModelError(f"a message of type {typ} in a request")
        if len(msg) < HDRS:
            e.outcomes = {errno.EINVAL: ("no", None)}
            return
        cmd, _, reserved = GENL_HDR.unpack_from(msg, NLMSG_HDR.size)
        if reserved:
            e.outcomes = {errno.EINVAL: ("yes", None)}
            return
        rest = flags & ~F_DUMP if flags & F_DUMP == F_DUMP else flags
        if rest & ~(F_REQUEST | F_ACK | F_ECHO):
            e.outcomes = {errno.EINVAL: ("yes", None)}
            return
        e.dump = flags & F_DUMP == F_DUMP
        op = self.spec.ops_by_value.get(cmd)
        form = "dump" if e.dump else "do"
        if op is None or form not in op.forms:
            e.outcomes = {errno.EOPNOTSUPP: ("no", None)}
            return
        e.op = op
        e.ack = not e.dump and bool(flags & F_ACK)
        e.reply = not e.dump and op.forms[form].reply is not None
        err = self.validate(e, op, op.forms[form], msg)
        e.outcomes = {err[0]: ("yes", err[1])} if err else self.handle(e, op)

    def validate(self, e, op, form, msg):
        """Strict validation of the request's attributes: (errno, offset) of
        the first failure, or None with e.attrs filled (the last one wins)."""
        aset = op.request_set
        attrs, rest = nla_parse(msg, HDRS)
        for t, data, off in attrs:
            a = aset.by_value.get(t & NLA_TYPE_MASK)
            if a is None or a.name not in form.request:
                return errno.EINVAL, off
            err, value = self.check(a, t, data)
            if err:
                return err, off
            e.attrs[a.name] = (value, off)
        if rest:
            return errno.EINVAL, None
        return None

    @staticmethod
    def check(a, t, data):
        if a.type in SIZES:
            if len(data) != SIZES[a.type] or t & NLA_F_NESTED:
                return errno.EINVAL, None
            v = struct.unpack(FORMATS[a.type], data)[0]
            if (a.min is not None and v < a.min) or (a.max is not None and v > a.max):
                return errno.ERANGE, None
            return None, v
        if a.type == "string":
            # NLA_NUL_STRING: a NUL within max-len + 1 bytes (EINVAL), at
            # most max-len bytes before a final NUL (ERANGE, validate_nla()'s
            # default error)
            n = len(data)
            head = data[:min(n, a.max_len + 1)] if a.max_len else data
            if t & NLA_F_NESTED or not head or 0 not in head:
                return errno.EINVAL, None
            if a.max_len and n - (data[-1] == 0) > a.max_len:
                return errno.ERANGE, None
            return None, data.split(b"\0")[0].decode(errors="replace")
        raise ModelError(f"no rule for request attributes of type {a.type}")

    def handle(self, e, op):
        """HANDLERS (see the top of this file)."""
        attrs = e.attrs
        if op.name == "set-config":
            if not attrs:
                return {errno.EINVAL: ("yes", None)}
            if "events-fault-ms" in attrs and not fault_ms_ok(attrs["events-fault-ms"][0]):
                return {errno.ERANGE: ("yes", attrs["events-fault-ms"][1])}
            if attrs.get("filter-pid", (0,))[0]:
                pid, off = attrs["filter-pid"]
                return self.world.pid_outcomes(pid, off, False, kthread_ok=True)
            return dict(OK)
        if "pid" in attrs:
            pid, off = attrs["pid"]
            e.tgid = self.world.tgid(pid)
            return self.world.pid_outcomes(pid, off, op.name in PID_TRACKED)
        if op.name in PID_REQUIRED:
            return {errno.EINVAL: ("yes", None)}
        return dict(OK)


# ---- requests --------------------------------------------------------------

class Req:
    """One request message, field by field, so that mutations reach any."""

    def __init__(self, family, flags, op, form, version):
        self.type, self.flags = family, flags
        self.op, self.form = op, form
        self.cmd, self.version, self.reserved = op.value, version, 0
        self.attrs = []             # [(Attr or None, encoded bytes)]
        self.nlmsg_len = None       # when not the real length
        self.send = None            # bytes of the message sent, when cut

    def encode(self, seq):
        body = GENL_HDR.pack(self.cmd, self.version, self.reserved) + \
            b"".join(b for _, b in self.attrs)
        n = NLMSG_HDR.size + len(body)
        data = NLMSG_HDR.pack(n if self.nlmsg_len is None else self.nlmsg_len,
                              self.type, self.flags, seq, 0) + body
        return data if self.send is None else data[:self.send]


class Case:
    """Messages sent in one datagram, on a socket of some kind: "capped"
    or "uncapped" (errors echo the request), "tiny" (a fresh socket with
    the smallest receive buffer), "abandon" (closed after the first read)."""

    def __init__(self, reqs, sock="capped"):
        self.reqs, self.sock = reqs, sock
        self.tail = b""             # bytes after the last message
        self.busy = set()           # messages that may find a dump running

    def datagram(self, conn):
        data = b""
        for r in self.reqs:
            data += bytes(align4(len(data)) - len(data)) + r.encode(conn.next_seq())
        return data + self.tail


COMM_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-_./:"
INT_TYPES = set(SIZES)


class Gen:
    """Requests from the spec: valid ones, and the mutation classes."""

    def __init__(self, spec, family, world):
        self.spec, self.family, self.world = spec, family, world
        self.pairs = [(op, f) for op in spec.ops for f in op.forms]
        self.needs = {need: self.pairs_where(need) for need in
                      ("any", "attrs", "int", "string", "required", "one-form", "dump", "do")}
        self.known = {op.value for op in spec.ops if op.forms}
        self.classes = [
            # name, weight, builder
            ("valid", 14, lambda r: self.single(r, "stable")),
            ("valid:racy", 8, lambda r: self.single(r, "racy")),
            ("valid:thread", 3, lambda r: self.single(r, "thread")),
            ("cmd:unknown", 3, self.mutating("any", self.mut_cmd_unknown)),
            ("cmd:wrong-form", 3, self.m_wrong_form),
            ("genl:reserved", 2, self.mutating("any", self.mut_reserved)),
            ("genl:version", 2, self.mutating("any", self.mut_version)),
            ("flags:reserved-bits", 3, self.mutating("any", self.mut_flag_bits)),
            ("flags:half-dump", 2, self.m_half_dump),
            ("flags:no-request", 2, self.mutating("any", self.mut_no_request)),
            ("flags:echo", 2, self.mutating("any", self.mut_echo)),
            ("attr:unknown-type", 4, self.mutating("any", self.mut_unknown_attr)),
            ("attr:not-in-request", 4, self.mutating("any", self.mut_foreign_attr)),
            ("attr:bad-length", 4, self.mutating("int", self.mut_bad_length)),
            ("attr:wrong-type", 4, self.mutating("attrs", self.mut_wrong_type)),
            ("attr:string", 3, self.mutating("string", self.mut_string)),
            ("attr:nest-for-scalar", 3, self.mutating("attrs", self.mut_nest_for_scalar)),
            ("attr:deep-nest", 2, self.mutating("any", self.mut_deep_nest)),
            ("attr:byteorder-flag", 2, self.mutating("attrs", self.mut_byteorder)),
            ("attr:bad-header", 3, self.mutating("any", self.mut_bad_header)),
            ("attr:garbage", 3, self.mutating("any", self.mut_garbage)),
            ("attr:bitflip", 4, self.mutating("attrs", self.mut_bitflip)),
            ("attr:repeated", 3, self.mutating("attrs", self.mut_repeated)),
            ("attr:oversized", 2, self.mutating("any", self.mut_oversized)),
            ("value:out-of-range", 5, self.mutating("int", self.mut_out_of_range)),
            ("value:missing", 3, self.mutating("required", self.mut_missing)),
            ("msg:len-beyond", 2, self.mutating("any", self.mut_len_beyond)),
            ("msg:len-below-header", 1, self.mutating("any", self.mut_len_below)),
            ("msg:short-genl", 2, self.mutating("any", self.mut_short_genl)),
            ("msg:cut", 3, self.mutating("attrs", self.mut_cut)),
            ("msg:trailer", 2, self.m_trailer),
            ("msg:tiny-datagram", 1, self.m_tiny_datagram),
            ("sock:uncapped", 3, self.m_uncapped),
            ("sock:tiny-rcvbuf", 2, self.m_tiny_rcvbuf),
            ("sock:abandon", 2, self.m_abandon),
            ("batch", 3, self.m_batch),
            ("batch:dump-busy", 2, self.m_dump_busy),
            ("batch:interleave", 2, self.m_interleave),
            ("stacked", 5, self.m_stacked),
        ]
        self.names = [c[0] for c in self.classes]
        self.weights = [c[1] for c in self.classes]
        self.builders = {c[0]: c[2] for c in self.classes}

    def case(self, rng):
        cls = rng.choices(self.names, self.weights)[0]
        return self.builders[cls](rng), cls

    # -- valid requests --

    def pairs_where(self, need):
        def ok(op, f):
            req = [op.request_set.by_name[n] for n in f.request]
            return {"any": True,
                    "attrs": bool(req),
                    "int": any(a.type in INT_TYPES for a in req),
                    "string": any(a.type == "string" for a in req),
                    "required": op.name in PID_REQUIRED or op.name == "set-config",
                    "one-form": len(op.forms) == 1,
                    "dump": f == op.forms.get("dump"),
                    "do": f == op.forms.get("do")}[need]
        return [(op, name) for op in self.spec.ops for name, f in op.forms.items()
                if ok(op, f)]

    def value(self, rng, a, kind):
        if a.name in PID_ATTRS:
            if a.name == "filter-pid" and rng.random() < 0.2:
                return 0
            return self.world.pick(rng, kind)
        if a.name == "filter-cgroup":
            # the filter never leaves a process out: every one is in the root
            return self.world.root_cgroup
        if a.name == "events-fault-ms":
            return rng.choice((0, 100, 3600000, rng.randint(100, 3600000)))
        if a.type == "string":
            return "".join(rng.choice(COMM_CHARS)
                           for _ in range(rng.randint(0, a.max_len or 32)))
        bits = 8 * SIZES[a.type]
        signed = a.type.startswith("s")
        lo = a.min if a.min is not None else -(1 << bits - 1) if signed else 0
        hi = a.max if a.max is not None else (1 << bits - signed) - 1
        return rng.choice((lo, hi, rng.randint(lo, hi)))

    def attr(self, rng, a, kind="stable"):
        return (a, nla(a.value, self.spec.encode(a, self.value(rng, a, kind))))

    def valid(self, rng, kind="stable", need="any", pair=None):
        """A valid request of an (operation, form) meeting need."""
        op, form = pair or rng.choice(self.needs[need])
        flags = F_REQUEST | (F_DUMP if form == "dump" else 0)
        if rng.random() < 0.7:
            flags |= F_ACK
        r = Req(self.family, flags, op, form, self.spec.version)
        names = op.forms[form].request
        if op.name == "set-config":
            chosen = rng.sample(names, rng.randint(1, len(names)))
        else:
            chosen = [n for n in names if op.name in PID_REQUIRED or rng.random() < 0.5]
            if need == "attrs" and not chosen:
                chosen = [rng.choice(names)]
        r.attrs = [self.attr(rng, op.request_set.by_name[n], kind) for n in chosen]
        return r

    def request_attr(self, rng, r, types=None):
        """One of the attributes r's request takes (of one of types)."""
        names = r.op.forms[r.form].request
        cands = [r.op.request_set.by_name[n] for n in names]
        cands = [a for a in cands if types is None or a.type in types]
        return rng.choice(cands)

    @staticmethod
    def put(rng, r, a, data):
        """Replace a's attribute in r with data, or insert data anywhere."""
        for i, (b, _) in enumerate(r.attrs):
            if a is not None and b is a:
                r.attrs[i] = (a, data)
                return
        r.attrs.insert(rng.randint(0, len(r.attrs)), (a, data))

    def single(self, rng, kind):
        return Case([self.valid(rng, kind)])

    # -- mutations of one request (each returns the request) --

    def mut_cmd_unknown(self, rng, r):
        spare = [op.value for op in self.spec.ops if not op.forms]   # unspec, events
        r.cmd = rng.choice(spare) if rng.random() < 0.4 else \
            rng.choice([c for c in range(256) if c not in self.known])
        return r

    def mut_reserved(self, rng, r):
        r.reserved = rng.randint(1, 0xffff)
        return r

    def mut_version(self, rng, r):
        r.version = rng.choice([v for v in range(256) if v != self.spec.version])
        return r

    def mut_flag_bits(self, rng, r):
        bits = [F_MULTI, F_DUMP_INTR, F_DUMP_FILTERED, F_ATOMIC, F_APPEND,
                0x1000, 0x2000, 0x4000, 0x8000]
        if r.flags & F_DUMP != F_DUMP:
            bits += [F_ROOT, F_MATCH]
        r.flags |= rng.choice(bits)
        return r

    def mut_no_request(self, rng, r):
        r.flags &= ~F_REQUEST
        if rng.random() < 0.5:
            r.flags ^= F_ACK
        return r

    def mut_echo(self, rng, r):
        r.flags |= F_ECHO
        return r

    def mut_unknown_attr(self, rng, r):
        taken = {a.value for a in r.op.request_set.attrs if a.type != "unused"}
        t = rng.choice([t for t in (0, rng.randint(1, 64), rng.randint(1, NLA_TYPE_MASK))
                        if t not in taken] or [0])
        self.put(rng, r, None, nla(t | rng.choice((0, NLA_F_NESTED)),
                                   rng.randbytes(rng.choice((0, 1, 4, 8, 13)))))
        return r

    def mut_foreign_attr(self, rng, r):
        """An attribute of the request's set that the request does not take."""
        names = r.op.forms[r.form].request
        cands = [a for a in r.op.request_set.attrs if a.name not in names]
        a = rng.choice(cands)
        if a.type in FORMATS or a.type == "string":
            payload = self.spec.encode(a, self.value(rng, a, "stable"))
        elif a.type == "nest":
            payload = nla(1, struct.pack("=I", 1))
        else:
            payload = rng.randbytes(rng.choice((0, 4, 8)))
        flag = NLA_F_NESTED if a.type in ("nest", "indexed-array") else 0
        self.put(rng, r, None, nla(a.value | flag, payload))
        return r

    def mut_bad_length(self, rng, r):
        a = self.request_attr(rng, r, INT_TYPES)
        size = SIZES[a.type]
        n = rng.choice((rng.randrange(size), size + rng.randint(1, 12),
                        rng.choice([k for k in (1, 3, 5, 7) if k != size])))
        self.put(rng, r, a, nla(a.value, rng.randbytes(n)))
        return r

    def mut_wrong_type(self, rng, r):
        a = self.request_attr(rng, r)
        v = self.value(rng, a, "stable") if a.type in FORMATS else rng.randrange(1 << 32)
        payload = rng.choice((
            lambda: struct.pack("=B", v & 0xff), lambda: struct.pack("=H", v & 0xffff),
            lambda: struct.pack("=I", v & 0xffffffff), lambda: struct.pack("=Q", v),
            lambda: str(v).encode() + b"\0", lambda: b"",
            lambda: rng.randbytes(rng.randint(1, 24))))()
        self.put(rng, r, a, nla(a.value, payload))
        return r

    def mut_string(self, rng, r):
        a = self.request_attr(rng, r, {"string"})
        text = "".join(rng.choice(COMM_CHARS) for _ in range(rng.randint(1, 40))).encode()
        payload = rng.choice((text, text + b"\0", b"", b"\0", text[:3] + b"\0" + text,
                              b"\0" + text, bytes(rng.randint(1, 20))))
        self.put(rng, r, a, nla(a.value, payload))
        return r

    def mut_nest_for_scalar(self, rng, r):
        a = self.request_attr(rng, r)
        inner = b"".join(nla(rng.randint(0, 20), rng.randbytes(rng.choice((0, 4, 8))))
                         for _ in range(rng.randint(0, 3)))
        self.put(rng, r, a, nla(a.value | rng.choice((0, NLA_F_NESTED)), inner))
        return r

    def mut_deep_nest(self, rng, r):
        data = nla(rng.randint(1, 30), rng.randbytes(rng.choice((0, 4, 8))))
        for _ in range(rng.randint(2, 3000)):
            data = nla(rng.randint(0, NLA_TYPE_MASK) | rng.choice((0, NLA_F_NESTED)), data)
        names = r.op.forms[r.form].request
        if names and rng.random() < 0.5:
            a = r.op.request_set.by_name[rng.choice(names)]
            data = nla(a.value | rng.choice((0, NLA_F_NESTED)), data[NLA_HDR.size:])
        self.put(rng, r, None, data)
        return r

    def mut_byteorder(self, rng, r):
        a, data = self.attr(rng, self.request_attr(rng, r))
        n, t = NLA_HDR.unpack_from(data)
        self.put(rng, r, a, NLA_HDR.pack(n, t | NLA_F_NET_BYTEORDER) + data[NLA_HDR.size:])
        return r

    def mut_bad_header(self, rng, r):
        payload = rng.randbytes(rng.randint(0, 12))
        n = rng.choice((0, 1, 2, 3, NLA_HDR.size + len(payload) + rng.randint(1, 200),
                        0xffff))
        tail = rng.choice((NLA_HDR.pack(n, rng.randint(0, 20)) + payload,
                           rng.randbytes(rng.randint(1, 3))))
        r.attrs.append((None, tail))
        return r

    def mut_garbage(self, rng, r):
        r.attrs = [(None, rng.randbytes(rng.randint(1, 300)))]
        return r

    def mut_bitflip(self, rng, r):
        data = bytearray(b"".join(b for _, b in r.attrs))
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        r.attrs = [(None, bytes(data))]
        return r

    def mut_repeated(self, rng, r):
        a = self.request_attr(rng, r)
        kind = rng.choice(("stable", "stable", "racy", "none"))
        r.attrs += [self.attr(rng, a, kind) for _ in range(rng.randint(2, 200))]
        return r

    def mut_oversized(self, rng, r):
        """Tens of KiB of attributes: one attribute many times, many unknown
        ones, or one huge one."""
        size = rng.randint(16 << 10, 60 << 10)
        how = rng.randrange(3)
        if how == 0 and r.op.forms[r.form].request:
            a = self.request_attr(rng, r)
            one = self.attr(rng, a)
            r.attrs += [one] * (size // len(one[1]))
        elif how == 1:
            one = nla(rng.randint(0, NLA_TYPE_MASK), rng.randbytes(4))
            r.attrs.append((None, one * (size // len(one))))
        else:
            names = r.op.forms[r.form].request
            t = r.op.request_set.by_name[rng.choice(names)].value if names and \
                rng.random() < 0.5 else rng.randint(0, NLA_TYPE_MASK)
            r.attrs.append((None, nla(t, rng.randbytes(size))))
        return r

    def mut_out_of_range(self, rng, r):
        """A value outside what the attribute takes (pid 0, a pid that cannot
        exist, a kernel thread's, a value beyond the spec's checks)."""
        names = r.op.forms[r.form].request
        a = rng.choice([a for a in map(r.op.request_set.by_name.get, names)
                        if a.name in PID_ATTRS or a.name == "events-fault-ms" or
                        a.min is not None or a.max is not None])
        if a.name in PID_ATTRS:
            v = rng.choice((0, self.world.pick(rng, "none"), self.world.pick(rng, "kthread")))
        elif a.name == "events-fault-ms":
            v = rng.choice((1, 99, 3600001, 0xffffffff))
        else:
            top = (1 << 8 * SIZES[a.type]) - 1
            v = rng.choice([x for x in (0, top, (a.min or 0) - 1, (a.max or top) + 1)
                            if 0 <= x <= top])
        self.put(rng, r, a, nla(a.value, self.spec.encode(a, v)))
        return r

    def mut_missing(self, rng, r):
        r.attrs = []
        return r

    def mut_len_beyond(self, rng, r):
        r.nlmsg_len = len(r.encode(0)) + rng.randint(1, 4096)
        return r

    def mut_len_below(self, rng, r):
        r.nlmsg_len = rng.randrange(NLMSG_HDR.size)
        return r

    def mut_short_genl(self, rng, r):
        r.nlmsg_len = r.send = rng.randrange(NLMSG_HDR.size, HDRS)
        return r

    def mut_cut(self, rng, r):
        r.nlmsg_len = r.send = rng.randrange(HDRS, len(r.encode(0)))
        return r

    # -- the classes --

    def mutating(self, need, mut):
        """The class of a valid request (of a pair meeting need) mutated by mut."""
        return lambda rng: Case([mut(rng, self.valid(rng, "stable", need))])

    def m_wrong_form(self, rng):
        r = self.valid(rng, need="one-form")
        r.flags ^= F_DUMP
        return Case([r])

    def m_half_dump(self, rng):
        r = self.valid(rng, need="dump")
        r.flags &= ~rng.choice((F_ROOT, F_MATCH))
        return Case([r])

    def m_trailer(self, rng):
        c = self.single(rng, "stable")
        c.tail = rng.randbytes(rng.randint(1, NLMSG_HDR.size - 1))
        return c

    def m_tiny_datagram(self, rng):
        """Fewer bytes than a header (not none: sendmsg() refuses that)."""
        c = Case([])
        c.tail = rng.randbytes(rng.randint(1, NLMSG_HDR.size - 1))
        return c

    def m_uncapped(self, rng):
        """Errors echo the whole request: any request, often a bad one."""
        cls = rng.choice([n for n in self.names if n.startswith(("attr:", "value:"))])
        c = self.builders[cls](rng)
        c.sock = "uncapped"
        return c

    def m_tiny_rcvbuf(self, rng):
        r = self.valid(rng, rng.choice(("stable", "racy")), "dump")
        r.flags &= ~F_ACK
        return Case([r], "tiny")

    def m_abandon(self, rng):
        return Case([self.valid(rng, rng.choice(("stable", "racy")), "dump")], "abandon")

    HEADER_MUTS = ("mut_cmd_unknown", "mut_reserved", "mut_version", "mut_flag_bits",
                   "mut_no_request", "mut_echo")
    ATTR_MUTS = ("mut_unknown_attr", "mut_foreign_attr", "mut_deep_nest",
                 "mut_bad_header", "mut_garbage")
    ATTR_MUTS_WITH = ("mut_wrong_type", "mut_nest_for_scalar", "mut_byteorder",
                      "mut_bitflip", "mut_repeated")

    def some_mutation(self, rng, r):
        muts = self.HEADER_MUTS + self.ATTR_MUTS
        if r.op.forms[r.form].request:
            muts += self.ATTR_MUTS_WITH
        return getattr(self, rng.choice(muts))(rng, r)

    def m_batch(self, rng):
        """2 to 4 do requests, valid or mutated, and perhaps one dump."""
        reqs = []
        for _ in range(rng.randint(2, 4)):
            r = self.valid(rng, rng.choice(("stable", "racy")), "do")
            reqs.append(self.some_mutation(rng, r) if rng.random() < 0.5 else r)
        if rng.random() < 0.5:
            reqs.insert(rng.randint(0, len(reqs)), self.valid(rng, "stable", "dump"))
        return Case(reqs)

    def m_dump_busy(self, rng):
        """A dump sent while another is running on the socket: EBUSY from
        the core, without a text (or it runs, if the first was done)."""
        c = Case([self.valid(rng, "stable", "dump"), self.valid(rng, "stable", "dump")])
        c.busy = {1}
        return c

    def m_interleave(self, rng):
        """Do requests behind a dump that is still running."""
        return Case([self.valid(rng, "stable", "dump")] +
                    [self.valid(rng, rng.choice(("stable", "racy")), "do")
                     for _ in range(rng.randint(1, 3))])

    def m_stacked(self, rng):
        r = self.valid(rng, rng.choice(("stable", "racy")), "attrs")
        for _ in range(rng.randint(2, 3)):
            r = self.some_mutation(rng, r)
        return Case([r])


# ---- sockets ---------------------------------------------------------------

class Violation(Exception):
    pass


class Overrun(Violation):
    """ENOBUFS: the socket's receive buffer overran and messages were lost."""


class Conn:
    """A NETLINK_GENERIC socket asking for extended ACKs; capped: errors
    echo only the request's header."""

    def __init__(self, capped=True, rcvbuf=None):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        if capped:
            self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        if rcvbuf is not None:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.bind((0, 0))
        self.portid = self.sock.getsockname()[0]
        self.capped = capped
        self.seq = 0
        self.buf = bytearray(RECV_SIZE)

    def next_seq(self):
        self.seq += 1
        return self.seq

    def close(self):
        self.sock.close()

    def recv(self, deadline):
        """The messages of one datagram: [(header tuple, bytes)]."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise socket.timeout
        self.sock.settimeout(left)
        try:
            n, _, flags, _ = self.sock.recvmsg_into([self.buf])
        except OSError as e:
            if e.errno == errno.ENOBUFS:
                raise Overrun("ENOBUFS: the socket overran, answers were lost")
            raise
        if flags & socket.MSG_TRUNC:
            raise Violation(f"a datagram larger than the {len(self.buf)} bytes read")
        out, pos = [], 0
        while n - pos >= NLMSG_HDR.size:
            hdr = NLMSG_HDR.unpack_from(self.buf, pos)
            if hdr[0] < NLMSG_HDR.size or hdr[0] > n - pos:
                break
            out.append((hdr, bytes(self.buf[pos:pos + hdr[0]])))
            pos += align4(hdr[0])
        if pos < n:
            raise Violation(f"{n - pos} bytes of a datagram are not a message")
        return out

    def ask(self, data, deadline=None):
        """Send one request, return (replies, errno) of its answer."""
        self.sock.send(data)
        seq = NLMSG_HDR.unpack_from(data)[3]
        deadline = deadline or time.monotonic() + TIMEOUT
        replies = []
        while True:
            for hdr, msg in self.recv(deadline):
                if hdr[3] != seq:
                    continue
                if hdr[1] in (NLMSG_ERROR, NLMSG_DONE):
                    return replies, -struct.unpack_from("=i", msg, NLMSG_HDR.size)[0]
                replies.append(msg)


def extack(msg, start):
    """NLMSGERR_ATTR_MSG and NLMSGERR_ATTR_OFFS from the TLVs at start."""
    text, offs = None, None
    for t, data, _ in nla_parse(msg, start)[0]:
        if t == NLMSGERR_ATTR_MSG:
            text = data.rstrip(b"\0").decode(errors="replace")
        elif t == NLMSGERR_ATTR_OFFS and len(data) == 4:
            offs = struct.unpack("=I", data)[0]
    return text, offs


class Answer:
    """Everything that came for one message."""

    def __init__(self):
        self.replies = []           # (header, bytes)
        # NLMSG_ERROR or NLMSG_DONE: (type, errno, text, offs, flags, echo)
        self.end = None
        self.after = []             # anything after the end
        self.odd = []               # NOOP, OVERRUN...

    def take(self, hdr, msg):
        if self.end is not None:
            self.after.append(hdr)
        elif hdr[1] == NLMSG_ERROR:
            err = -struct.unpack_from("=i", msg, NLMSG_HDR.size)[0]
            echo_len = NLMSG_HDR.unpack_from(msg, NLMSG_HDR.size + 4)[0]
            start = NLMSG_HDR.size + 4 + NLMSG_HDR.size
            if not hdr[2] & F_CAPPED:
                start += align4(echo_len - NLMSG_HDR.size)
            echo = msg[NLMSG_HDR.size + 4:start]
            text, offs = extack(msg, start) if hdr[2] & F_ACK_TLVS else (None, None)
            self.end = (NLMSG_ERROR, err, text, offs, hdr[2], echo)
        elif hdr[1] == NLMSG_DONE:
            err = -struct.unpack_from("=i", msg, NLMSG_HDR.size)[0] \
                if len(msg) >= NLMSG_HDR.size + 4 else 0
            text, offs = extack(msg, NLMSG_HDR.size + 4) if hdr[2] & F_ACK_TLVS \
                else (None, None)
            self.end = (NLMSG_DONE, err, text, offs, hdr[2], b"")
        elif hdr[1] < 0x10:
            self.odd.append(hdr)
        else:
            self.replies.append((hdr, msg))


# ---- the fuzzer ------------------------------------------------------------

class Fuzzer:
    def __init__(self, spec, fam, seed):
        self.spec, self.fam, self.seed = spec, fam, seed
        self.family = fam["id"]
        self.world = World()
        self.model = Model(spec, self.family, self.world)
        self.gen = Gen(spec, self.family, self.world)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.sent = collections.Counter()         # per class
        self.by_class = collections.defaultdict(collections.Counter)
        self.errnos = collections.Counter()
        self.text = collections.Counter()         # errors with / without an extack text
        self.conc = collections.Counter()         # concurrent work
        self.violations = 0
        self.notes = set()

    # -- reporting --

    def violation(self, where, what, data=b"", answer=None):
        with self.lock:
            self.violations += 1
            if self.violations > 25:
                return
            print(f"FAIL: {where}: {what}")
            if data:
                print(f"    request ({len(data)} bytes):\n{hexdump(data)}")
            if answer is not None and answer.end is not None:
                typ, err, text, offs, flags, _ = answer.end
                print(f"    answer: {'NLMSG_ERROR' if typ == NLMSG_ERROR else 'NLMSG_DONE'} "
                      f"{errname(err)}, flags {flags:#x}, extack {text!r}, offset {offs}, "
                      f"{len(answer.replies)} replies before it")
            sys.stdout.flush()

    def note(self, what):
        with self.lock:
            if what not in self.notes:
                self.notes.add(what)
                print(f"note: {what}")

    # -- the family as the controller shows it, against the spec --

    def check_family(self):
        fam, spec, where = self.fam, self.spec, "the family (CTRL_CMD_GETFAMILY)"
        if fam["version"] != spec.version:
            self.violation(where, f"version {fam['version']}, the spec says {spec.version}")
        if fam["hdrsize"]:
            self.violation(where, f"a fixed header of {fam['hdrsize']} bytes, the spec has none")
        want = {}
        for op in spec.ops:
            if op.forms:
                want[op.value] = ((GENL_CMD_CAP_DO if "do" in op.forms else 0) |
                                  (GENL_CMD_CAP_DUMP if "dump" in op.forms else 0) |
                                  (GENL_ADMIN_PERM if "admin-perm" in op.flags else 0))
        mask = GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP | GENL_ADMIN_PERM
        got = {cmd: flags & mask for cmd, flags in fam["ops"].items()}
        if got != want:
            self.violation(where, f"operations (cmd: flags) {got}, the spec says {want}")
        if sorted(fam["groups"]) != sorted(spec.groups):
            self.violation(where, f"groups {sorted(fam['groups'])}, the spec says {spec.groups}")

    # -- one exchange --

    def exchange(self, conn, data, expects, where, barrier=True, first_only=False,
                 decode=None):
        """Send data, collect the answers of expects and judge them: what
        each got (an errno, 0, None: nothing, "partial": abandoned).  With
        a barrier (a message without NLM_F_REQUEST that asks for an ACK),
        whatever the requests get is in before the barrier's ACK, except
        the rest of dumps: so "no answer" is known without waiting.  decode:
        how many replies of each to check against the spec (all: None)."""
        answers = {e.seq: Answer() for e in expects}
        conn.sock.send(data)
        bseq = None
        if barrier:
            bseq = conn.next_seq()
            conn.sock.send(NLMSG_HDR.pack(NLMSG_HDR.size, self.family, F_ACK, bseq, 0))
        deadline = time.monotonic() + TIMEOUT
        barrier_seen = not barrier

        def running():
            return [e for e in expects if e.dump and answers[e.seq].end is None and
                    (answers[e.seq].replies or not barrier)]

        try:
            while not barrier_seen or running() or (
                    not barrier and any(answers[e.seq].end is None and None not in e.outcomes
                                        for e in expects)):
                for hdr, msg in conn.recv(deadline):
                    if hdr[4] != conn.portid:
                        self.violation(where, f"an answer for port {hdr[4]}, ours is {conn.portid}",
                                       data)
                    if hdr[3] == bseq and hdr[1] == NLMSG_ERROR:
                        barrier_seen = True
                    elif hdr[3] in answers:
                        answers[hdr[3]].take(hdr, msg)
                    else:
                        self.violation(where, f"a message (type {hdr[1]}, seq {hdr[3]}) "
                                       "that answers nothing we sent", data)
                if first_only:
                    break
        except socket.timeout:
            self.violation(where, f"no complete answer within {TIMEOUT:.0f} s", data)
            return []
        except Violation as v:
            self.violation(where, str(v), data)
            return []
        return [self.judge(e, answers[e.seq], where, data, conn, first_only, decode)
                for e in expects]

    def judge(self, e, a, where, data, conn, partial, decode):
        def bad(what):
            self.violation(f"{where}, seq {e.seq}" +
                           (f", {e.op.name} {'dump' if e.dump else 'do'}" if e.op else ""),
                           what, data, a)

        if partial and a.end is None:
            obs = "partial"
        elif a.end is not None:
            obs = a.end[1]
        else:
            obs = 0 if a.replies else None
            if obs is None and 0 in e.outcomes and e.silent_success():
                obs = 0
        with self.lock:
            self.errnos[errname(obs) if obs != "partial" else "abandoned half way"] += 1
            if obs not in (0, None, "partial"):
                documented = e.outcomes.get(obs, ("yes",))[0] == "no"
                self.text["with" if a.end[2] else
                          "documented" if documented else "without"] += 1
        if obs != "partial" and obs not in e.outcomes:
            want = " or ".join(f"{errname(k)}" + (" with an extack message" if v[0] == "yes"
                                                    else "") for k, v in e.outcomes.items())
            without = obs not in (0, None) and not a.end[2]
            bad(f"expected {want}, got {errname(obs)}" +
                (" without an extack message" if without else ""))
            return obs
        if a.after:
            bad(f"{len(a.after)} messages after the end of the answer")
        if a.odd:
            bad(f"control messages {[h[1] for h in a.odd]} in the answer")
        if a.end is not None:
            self.judge_end(e, a, obs, conn, bad)
        if obs == 0 or obs == "partial":
            self.judge_replies(e, a, bad, decode)
        elif a.replies:
            bad(f"{len(a.replies)} replies before an error")
        return obs

    def judge_end(self, e, a, obs, conn, bad):
        typ, err, text, offs, flags, echo = a.end
        if echo and echo[:NLMSG_HDR.size] != e.msg[:NLMSG_HDR.size]:
            bad("the error does not echo the request's header")
        if typ == NLMSG_ERROR and not conn.capped and err:
            n = NLMSG_HDR.unpack_from(echo)[0]
            if echo[:n] != e.msg[:n]:
                bad("the uncapped error does not echo the request")
        if obs == 0:
            if e.dump and typ != NLMSG_DONE:
                bad("a dump answered by an ACK, not NLMSG_DONE")
            if not e.dump and not e.ack:
                bad("an ACK that was not asked for")
            return
        need, want_offs = e.outcomes[obs]
        if need == "yes" and not text:
            bad(f"{errname(obs)} without an extack message")
        if need == "no" and text:
            self.note(f"the core now explains {errname(obs)}: {text!r} (was without a text)")
        if offs is not None:
            if want_offs is not None and offs != want_offs:
                bad(f"NLMSGERR_ATTR_OFFS {offs}, the offending attribute is at {want_offs}")
            elif want_offs is None and not HDRS <= offs < len(e.msg):
                bad(f"NLMSGERR_ATTR_OFFS {offs} outside the request's attributes")

    def judge_replies(self, e, a, bad, decode):
        if e.op is None:
            if a.replies:
                bad(f"{len(a.replies)} replies to a message that is not a request")
            return
        if not e.dump and len(a.replies) != (1 if e.reply else 0):
            bad(f"{len(a.replies)} reply messages to a do, expected {1 if e.reply else 0}")
        form = e.op.forms["dump" if e.dump else "do"]
        decoded = []
        for hdr, msg in a.replies:
            if hdr[1] != self.family:
                bad(f"a reply of type {hdr[1]}")
                continue
            if bool(hdr[2] & F_MULTI) != e.dump:
                bad(f"reply flags {hdr[2]:#x}: NLM_F_MULTI is for dumps only")
            if len(msg) < HDRS:
                bad("a reply without a generic netlink header")
                continue
            cmd, version, reserved = GENL_HDR.unpack_from(msg, NLMSG_HDR.size)
            if cmd != e.op.value or version != self.spec.version or reserved:
                bad(f"reply header cmd {cmd} version {version} reserved {reserved}")
            if decode is not None and len(decoded) >= decode:
                continue
            attrs, problems = self.spec.decode(e.op.set, msg[HDRS:], form.reply)
            for p in problems[:5]:
                bad(f"reply does not follow the spec: {p}")
            decoded.append(attrs)
        complete = a.end is not None and len(decoded) == len(a.replies)
        for p in self.semantics(e, decoded, complete):
            bad(p)
        with self.lock:
            self.conc["replies parsed"] += len(decoded)

    @staticmethod
    def semantics(e, replies, complete):
        """What a reply must say of the request (beyond the spec's types)."""
        name = e.op.name
        if name == "get-proc" and e.tgid and replies and replies[0].get("pid") != e.tgid:
            yield f"get-proc of {e.tgid} answered for pid {replies[0].get('pid')}"
        if name == "dump-sockets" and e.tgid:
            pids = {r.get("pid") for r in replies} - {e.tgid}
            if pids:
                yield f"dump-sockets of {e.tgid} lists sockets of {sorted(pids)}"
        if name == "dump-regions":
            for r in replies:
                if not r.get("start", 0) < r.get("end", 0):
                    yield f"a region from {r.get('start')} to {r.get('end')}"
        if name == "dump-fault-sites" and complete:
            other = [r for r in replies if r.get("other")]
            if len(other) != 1:
                yield f"{len(other)} entries for the faults of sites not kept, expected 1"

    # -- the main loop --

    def run_case(self, i, conns):
        rng = random.Random(f"{self.seed}/{i}")
        for _ in range(50):
            case, cls = self.gen.case(rng)
            conn = conns[case.sock] if case.sock in conns else \
                Conn(rcvbuf=TINY_RCVBUF if case.sock == "tiny" else None)
            data = case.datagram(conn)
            expects = self.model.predict(data)
            if self.harmless(expects):
                break
            if case.sock not in conns:
                conn.close()
        else:
            raise ModelError(f"case {i}: no harmless request in 50 tries")
        for k in case.busy:
            expects[k].outcomes[errno.EBUSY] = ("no", None)
        where = (f"[{cls}] request {i} (replay: KNMT_FUZZ_SEED={self.seed} "
                 f"KNMT_FUZZ_FROM={i} KNMT_FUZZ_COUNT=1)")
        with self.lock:
            self.sent[cls] += 1
        try:
            got = self.exchange(conn, data, expects, where, barrier=case.sock in conns,
                                first_only=case.sock == "abandon")
        finally:
            if case.sock not in conns:
                conn.close()
        with self.lock:
            for obs in got:
                self.by_class[cls]["abandoned" if obs == "partial" else errname(obs)] += 1
            if not expects:
                self.by_class[cls]["no message in it"] += 1

    def long_path(self, pid):
        """Always once: the regions of the workload, whose first is a file
        mapped from a long path, dumped on a new socket (a first pass in
        the smallest skb)."""
        op = next(o for o in self.spec.ops if o.name == "dump-regions")
        r = Req(self.family, F_REQUEST | F_DUMP, op, "dump", self.spec.version)
        a = op.request_set.by_name["pid"]
        r.attrs = [(a, nla(a.value, self.spec.encode(a, pid)))]
        conn = Conn()
        try:
            data = r.encode(conn.next_seq())
            got = self.exchange(conn, data, self.model.predict(data),
                                "[fixed:long-path] dump-regions of the workload on a new socket",
                                barrier=False)
        finally:
            conn.close()
        with self.lock:
            self.sent["fixed:long-path"] += 1
            for obs in got:
                self.by_class["fixed:long-path"][errname(obs)] += 1

    def harmless(self, expects):
        """No request may narrow the tracking filter: a set-config that can
        succeed sets the filter's cgroup to the root or leaves it."""
        for e in expects:
            if e.op is not None and e.op.name == "set-config" and 0 in e.outcomes and \
                    e.attrs.get("filter-cgroup", (self.world.root_cgroup,))[0] != \
                    self.world.root_cgroup:
                return False
        return True

    def config(self, conn, values=None):
        """get-config (values None) or set-config with values: the reply's
        attributes, or the errno of a refusal."""
        name = "get-config" if values is None else "set-config"
        op = next(o for o in self.spec.ops if o.name == name)
        r = Req(self.family, F_REQUEST | F_ACK, op, "do", self.spec.version)
        for k, v in (values or {}).items():
            a = op.set.by_name[k]
            r.attrs.append((a, nla(a.value, self.spec.encode(a, v))))
        replies, err = conn.ask(r.encode(conn.next_seq()))
        if err:
            return err
        if values is None:
            attrs, problems = self.spec.decode(op.set, replies[0][HDRS:])
            for p in problems:
                self.violation(name, p)
            return attrs
        return 0


def resolve(conn, name):
    """The family's id, version, header size, operations and groups, from
    the generic netlink controller."""
    seq = conn.next_seq()
    body = GENL_HDR.pack(CTRL_CMD_GETFAMILY, CTRL_VERSION, 0) + \
        nla(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0")
    replies, err = conn.ask(NLMSG_HDR.pack(NLMSG_HDR.size + len(body), GENL_ID_CTRL,
                                           F_REQUEST | F_ACK, seq, 0) + body)
    if err:
        sys.exit(f"fuzz: the family \"{name}\" cannot be resolved: {errname(err)}")
    fam = {"hdrsize": 0, "ops": {}, "groups": {}}
    for t, data, _ in nla_parse(replies[0], HDRS)[0]:
        t &= NLA_TYPE_MASK
        if t == CTRL_ATTR_FAMILY_ID:
            fam["id"] = struct.unpack("=H", data)[0]
        elif t == CTRL_ATTR_VERSION:
            fam["version"] = struct.unpack("=I", data)[0]
        elif t == CTRL_ATTR_HDRSIZE:
            fam["hdrsize"] = struct.unpack("=I", data)[0]
        elif t in (CTRL_ATTR_OPS, CTRL_ATTR_MCAST_GROUPS):
            for _, item, _ in nla_parse(data)[0]:
                f = {a & NLA_TYPE_MASK: d for a, d, _ in nla_parse(item)[0]}
                if t == CTRL_ATTR_OPS:
                    fam["ops"][struct.unpack("=I", f[CTRL_ATTR_OP_ID])[0]] = \
                        struct.unpack("=I", f.get(CTRL_ATTR_OP_FLAGS, bytes(4)))[0]
                else:
                    fam["groups"][f[CTRL_ATTR_MCAST_GRP_NAME].rstrip(b"\0").decode()] = \
                        struct.unpack("=I", f[CTRL_ATTR_MCAST_GRP_ID])[0]
    return fam


# ---- concurrent work -------------------------------------------------------

def dumper(fz, k):
    """Requests racing the main loop, the churn and each other: dumps read to
    the end (with a large buffer, or 4 KiB at a time), abandoned after the
    first read or at once, or read through the smallest receive buffer;
    get-proc of processes about to exit.  The first replies of each are
    checked against the spec."""
    rng = random.Random(f"{fz.seed}/dumper/{k}")
    fz.world.add_thread()
    pairs = fz.gen.needs["dump"] + [p for p in fz.gen.needs["do"] if p[0].name in PID_REQUIRED]
    while not fz.stop.is_set():
        mode = rng.choice(("full", "small-reads", "abandon", "drop", "tiny"))
        pair = rng.choice(pairs)
        r = fz.gen.valid(rng, rng.choice(("racy", "racy", "stable")), pair=pair)
        r.flags |= F_ACK if pair[1] == "do" else 0
        if mode == "tiny" and pair[1] == "do":
            mode = "full"
        conn = Conn(rcvbuf=TINY_RCVBUF if mode == "tiny" else None)
        if mode == "small-reads":
            conn.buf = bytearray(4096)
        try:
            data = r.encode(conn.next_seq())
            expects = fz.model.predict(data)
            where = f"[concurrent {mode}]"
            if mode == "drop":
                conn.sock.send(data)
            else:
                fz.exchange(conn, data, expects, where, barrier=False,
                            first_only=mode == "abandon", decode=8)
            with fz.lock:
                fz.conc[f"{pair[1]} {mode}"] += 1
        except Exception:
            fz.violation(f"[concurrent {mode}]", traceback.format_exc())
        finally:
            conn.close()
        time.sleep(rng.uniform(0.05, 0.25))


def listener(fz):
    """A member of the events group, leaving and joining again, whose
    batches must follow the spec's event attributes (some of them: decoding
    all would starve the rest)."""
    rng = random.Random(f"{fz.seed}/listener")
    op = fz.spec.event_op
    group = fz.fam["groups"][op.mcgrp]
    last_decode = 0.0
    conn = Conn()
    joined_at = None
    try:
        while not fz.stop.is_set():
            if joined_at is None:
                conn.sock.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group)
                joined_at = time.monotonic()
                with fz.lock:
                    fz.conc["events joins"] += 1
            try:
                msgs = conn.recv(time.monotonic() + 0.5)
            except socket.timeout:
                msgs = []
            except Overrun:                         # allowed to a listener
                with fz.lock:
                    fz.conc["events overruns"] += 1
                msgs = []
            for hdr, msg in msgs:
                cmd = GENL_HDR.unpack_from(msg, NLMSG_HDR.size)[0] if len(msg) >= HDRS else None
                if hdr[1] != fz.family or cmd != op.value:
                    fz.violation("[events]", f"a multicast message of type {hdr[1]}, cmd {cmd}")
                    continue
                with fz.lock:
                    fz.conc["events batches"] += 1
                if time.monotonic() - last_decode < 0.2:
                    continue
                last_decode = time.monotonic()
                attrs, problems = fz.spec.decode(op.set, msg[HDRS:], op.event)
                n = len(attrs.get("event", []))
                if attrs.get("count") != n:
                    problems.append(f"count {attrs.get('count')} for {n} events")
                for p in problems[:5]:
                    fz.violation("[events]", f"a batch does not follow the spec: {p}", msg)
                with fz.lock:
                    fz.conc["events decoded"] += n
            if time.monotonic() - joined_at > rng.uniform(1, 4):
                conn.sock.setsockopt(SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, group)
                joined_at = None
    except Exception:
        fz.violation("[events]", traceback.format_exc())
    finally:
        conn.close()


def long_path_mapping():
    """A file mapped from a path of nearly PATH_MAX bytes, placed first in
    the address space if the kernel takes the hint: its region's entry is
    larger than the smallest dump skb (NLMSG_GOODSIZE), the size of a
    dump's first pass on a new socket."""
    top = tempfile.mkdtemp(prefix="knmt-fuzz-")
    d = top
    while len(d) < 3800:
        d = os.path.join(d, "d" * 200)
    os.makedirs(d)
    path = os.path.join(d, "f" * (4000 - len(d)))
    with open(path, "wb") as f:
        f.write(bytes(4096))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                          ctypes.c_int, ctypes.c_long]
    fd = os.open(path, os.O_RDONLY)
    if libc.mmap(0x10000, 4096, mmap.PROT_READ, mmap.MAP_SHARED, fd, 0) in (None, 2**64 - 1):
        raise OSError(ctypes.get_errno(), "mmap of the long path")
    os.close(fd)
    return top


def churn():
    """The background workload: children that map memory, open sockets and
    exit (some through exec), while this process maps and unmaps and accepts
    their connections, with a file mapped from a long path.  Prints each
    child's pid."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    rng = random.Random(os.getpid())
    top = long_path_mapping()
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.setblocking(False)
    keep = socket.socketpair()
    bufs, children = collections.deque(), set()
    try:
        while True:
            while children:
                pid, _ = os.waitpid(-1, os.WNOHANG)
                if not pid:
                    break
                children.discard(pid)
            if len(children) < 6:
                seed = rng.randrange(1 << 32)
                pid = os.fork()
                if pid == 0:
                    churn_child(seed, server.getsockname())
                children.add(pid)
                print(pid, flush=True)
            try:
                while True:
                    server.accept()[0].close()
            except BlockingIOError:
                pass
            m = mmap.mmap(-1, rng.choice((64 << 10, 256 << 10, 1 << 20)))
            m[::4096] = b"x" * len(range(0, len(m), 4096))
            bufs.append(m)
            if len(bufs) > 6:
                bufs.popleft().close()
            time.sleep(rng.uniform(0.01, 0.05))
    finally:
        keep[0].close()
        for pid in children:
            os.waitpid(pid, 0)
        shutil.rmtree(top)


def churn_child(seed, addr):
    try:
        rng = random.Random(seed)
        bufs = [mmap.mmap(-1, rng.choice((8 << 10, 256 << 10, 2 << 20)))
                for _ in range(rng.randint(1, 3))]
        for b in bufs:
            b[::4096] = b"y" * len(range(0, len(b), 4096))
        if rng.random() < 0.5:
            s = socket.create_connection(addr)
        else:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        time.sleep(rng.uniform(0.005, 0.15))
        bufs.pop().close()
        s.close()
        if rng.random() < 0.1:
            os.execv("/bin/true", ["true"])
    finally:
        os._exit(0)


# ---- the modes -------------------------------------------------------------

def fuzz(spec, summary_path):
    seed = int(os.environ.get("KNMT_FUZZ_SEED") or time.time_ns() % 1000000007)
    secs = float(os.environ.get("KNMT_FUZZ_SECS") or 20)
    first = int(os.environ.get("KNMT_FUZZ_FROM") or 0)
    count = os.environ.get("KNMT_FUZZ_COUNT")
    last = first + int(count) if count else None
    print(f"fuzz: seed {seed}, {secs:g} s" + (f", requests {first}..{last - 1}" if last else "") +
          f"; replay with KNMT_FUZZ_SEED={seed}")
    sys.stdout.flush()

    conn = Conn()
    fam = resolve(conn, spec.name)
    fz = Fuzzer(spec, fam, seed)
    print(f"fuzz: family {spec.name} id {fam['id']}, {len(fam['ops'])} commands, "
          f"groups {fam['groups']}; spec {len(spec.ops)} operations, "
          f"{len(spec.sets)} attribute sets")
    fz.check_family()
    saved = fz.config(conn)
    if not isinstance(saved, dict):
        sys.exit(f"fuzz: get-config: {errname(saved)}")
    writable = next(o for o in spec.ops if o.name == "set-config").forms["do"].request
    err = fz.config(conn, {"filter-cgroup": fz.world.root_cgroup})
    if err:
        sys.exit(f"fuzz: set-config filter-cgroup={fz.world.root_cgroup}: {errname(err)}")

    workload = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--churn"],
                                stdout=subprocess.PIPE, text=True)
    fz.world.add_stable(workload.pid)

    def children():
        for line in workload.stdout:
            fz.world.add_child(int(line))

    threads = [threading.Thread(target=children, daemon=True),
               threading.Thread(target=listener, args=(fz,))]
    threads += [threading.Thread(target=dumper, args=(fz, k)) for k in range(3)]
    for t in threads:
        t.start()

    # a timeout's SIGTERM still restores the settings (finally, below)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("fuzz: terminated"))
    conns = {"capped": Conn(), "uncapped": Conn(capped=False)}
    t0 = time.monotonic()
    i = first
    refreshed = t0
    try:
        while time.monotonic() - t0 < secs and (last is None or i < last):
            fz.run_case(i, conns)
            i += 1
            if time.monotonic() - refreshed > 1.0:
                fz.world.refresh()
                refreshed = time.monotonic()
        fz.long_path(workload.pid)
    except Exception:
        fz.violation(f"request {i} (KNMT_FUZZ_SEED={seed} KNMT_FUZZ_FROM={i} "
                     "KNMT_FUZZ_COUNT=1)", traceback.format_exc())
    finally:
        elapsed = time.monotonic() - t0
        fz.stop.set()
        err = fz.config(conn, {k: saved[k] for k in writable})
        if err:
            fz.violation("restoring the settings", f"set-config: {errname(err)}")
        for t in threads[1:]:
            t.join(TIMEOUT * 2)
        workload.terminate()
        workload.wait(TIMEOUT)

    # the module still answers, well
    status = next(o for o in spec.ops if o.name == "get-status")
    r = Req(fz.family, F_REQUEST | F_ACK, status, "do", spec.version)
    data = r.encode(conn.next_seq())
    fz.exchange(conn, data, fz.model.predict(data), "get-status after the fuzz")

    print("fuzz: class                      sent  answers")
    for cls in fz.gen.names + ["fixed:long-path"]:
        if fz.sent[cls]:
            outs = ", ".join(f"{k} {v}" for k, v in fz.by_class[cls].most_common(4))
            print(f"fuzz:   {cls:24s} {fz.sent[cls]:6d}  {outs}")
    errs = ", ".join(f"{k} {v}" for k, v in fz.errnos.most_common())
    print(f"fuzz: answers: {errs}")
    print(f"fuzz: errors: {fz.text['with']} with an extack message, "
          f"{fz.text['documented']} without as documented (answers of the core), "
          f"{fz.text['without']} without where one was due")
    print("fuzz: concurrent: " + ", ".join(f"{k} {v}" for k, v in sorted(fz.conc.items())))
    total = sum(fz.sent.values())
    summary = (f"{total} requests, {len(fz.sent)} classes, {elapsed:.1f} s, seed {seed}: "
               f"{errs}; extack on {fz.text['with']} errors, missing on {fz.text['without']}; "
               f"{fz.violations} violations")
    print(f"fuzz: {summary}")
    if summary_path:
        with open(summary_path, "w") as f:
            f.write(summary + "\n")
    return 1 if fz.violations else 0


def perm(spec):
    """Without CAP_NET_ADMIN every command, valid or not, gets EPERM; without
    CAP_SYS_ADMIN the events group cannot be joined."""
    conn = Conn()
    fam = resolve(conn, spec.name)
    world = World()
    gen = Gen(spec, fam["id"], world)
    rng = random.Random(0)
    failed = asked = 0
    for op, form in gen.pairs:
        for mutate in (None, gen.mut_unknown_attr, gen.mut_foreign_attr):
            r = gen.valid(rng, "stable", pair=(op, form))
            r.flags |= F_ACK
            if mutate:
                r = mutate(rng, r)
            data = r.encode(conn.next_seq())
            replies, err = conn.ask(data)
            asked += 1
            if err != errno.EPERM or replies or "admin-perm" not in op.flags:
                failed += 1
                print(f"FAIL: perm: {op.name} {form}"
                      f"{' (' + mutate.__name__ + ')' if mutate else ''}: {errname(err)} "
                      f"and {len(replies)} replies, expected EPERM (admin-perm in the spec)")
                print(hexdump(data))
    for name, group in fam["groups"].items():
        asked += 1
        try:
            conn.sock.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group)
            failed += 1
            print(f"FAIL: perm: joined the {name} group without CAP_SYS_ADMIN")
        except PermissionError:
            pass
    print(f"perm: {asked} requests and joins without privileges, {failed} not refused")
    return 1 if failed else 0


def main():
    if sys.argv[1:] == ["--churn"]:
        churn()
        return 0
    spec = Spec(SPEC)
    if sys.argv[1:] == ["--perm"]:
        return perm(spec)
    summary = None
    if sys.argv[1:2] == ["--summary"] and len(sys.argv) == 3:
        summary = sys.argv[2]
    elif sys.argv[1:]:
        sys.exit(__doc__)
    return fuzz(spec, summary)


if __name__ == "__main__":
    sys.exit(main())
