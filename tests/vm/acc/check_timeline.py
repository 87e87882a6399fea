#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""What knmt record wrote and knmt timeline made of it (tests/vm/t-timeline.sh).

    check_timeline.py recording REC PID MIN_GROWTH
    check_timeline.py csv REC CSV
    check_timeline.py svg REC SVG
    check_timeline.py png REC PNG

recording  REC is a knmt recording of PID: a header, samples of PID only,
           in time order, a "gone" record and a trailer "exited"; PID's
           offheap resident bytes grew by MIN_GROWTH bytes at least; its
           events as knmt watch --json prints them, of PID only, among
           them the mmap of each 16 MiB it mapped (MIN_GROWTH / 16 MiB)
csv        every sample of REC is one row of CSV, in the same order, with
           the values exactly as recorded (null: an empty field)
svg        SVG is well-formed XML with the series of every category PID
           had memory in, the legend, the axes and a title naming PID
png        PNG is a screenshot of the chart (knmt timeline --format html
           rendered by chromium): the colors of the series that hold a
           meaningful share of the memory cover a meaningful area, about
           what their share of the plot is (decoded with zlib and struct
           only)

Exits 0 when every check holds, 1 with the reasons otherwise.
"""
import csv
import json
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

CATS = ["heap", "stack", "arena", "offheap", "anon", "shmem", "file"]
# knmt's colors (userspace/cli/chart.c, userspace/README.md)
COLORS = {"heap": "4e79a7", "stack": "f28e2b", "arena": "59a14f",
          "offheap": "e15759", "anon": "76b7b2", "shmem": "edc948",
          "file": "b07aa1", "kernel": "9c755f"}
# the chart's memory panel in SVG units (chart.c): 642 x 334 of 960 wide
PLOT_W, PLOT_H, SVG_W = 730 - 88, 410 - 76, 960

errors = []


def err(msg):
    errors.append(msg)


def read_rec(path):
    lines = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.endswith("\n"):
                err("%s: line %d has no newline" % (path, n))
            lines.append(json.loads(line))
    return lines


def samples(lines):
    return [l for l in lines if l.get("record") == "sample"]


def get(d, path):
    for k in path.split("."):
        if d is None:
            return None
        d = d.get(k)
    return d


def series(s, name):
    if name == "kernel":
        return sum(get(s, "kernel." + k) or 0
                   for k in ("pagetables_bytes", "kstacks_bytes", "sockbufs_bytes"))
    return get(s, "categories.%s.resident_bytes" % name) or 0


def check_recording(rec, pid, min_growth):
    lines = read_rec(rec)
    head = lines[0]
    if head.get("record") != "header" or head.get("format") != "knmt-record" \
            or head.get("version") != 1:
        err("the first line is no header: %r" % head)
    if head.get("selection") != {"all": False, "pids": [pid]}:
        err("selection: %r" % head.get("selection"))
    if not head.get("boot_id") or not head.get("host") or not head.get("start_time"):
        err("header without host, boot_id or start_time: %r" % head)
    if head.get("interval_ns") != 500000000:
        err("interval_ns %r, not 500 ms" % head.get("interval_ns"))
    ss = samples(lines)
    if len(ss) < 8:
        err("%d samples, expected 8 or more (6 s every 500 ms)" % len(ss))
    if any(s["pid"] != pid for s in ss):
        err("samples of another pid than %d" % pid)
    el = [s["elapsed_ns"] for s in ss]
    if el != sorted(el):
        err("samples not in time order: %r" % el)
    oh = [series(s, "offheap") for s in ss]
    if not oh or max(oh) - oh[0] < min_growth:
        err("offheap resident grew by %d bytes, expected %d at least: %r"
            % ((max(oh) - oh[0]) if oh else 0, min_growth, oh))
    gone = [l for l in lines if l.get("record") == "gone"]
    if len(gone) != 1 or gone[0]["pid"] != pid or gone[0]["reason"] != "exited":
        err("expected one gone record of %d, exited: %r" % (pid, gone))
    tr = lines[-1]
    if tr.get("record") != "trailer" or tr.get("reason") != "exited" \
            or tr.get("samples") != len(ss):
        err("the last line is not the trailer of an exit with %d samples: %r"
            % (len(ss), tr))
    # events: those of PID, in watch --json's form
    evs = [l for l in lines if "record" not in l and l.get("type") != "lost"]
    if not (head.get("events") or {}).get("recorded"):
        err("no events recorded: %r" % head.get("events"))
    for e in evs:
        if e.get("pid") != pid or not isinstance(e.get("seq"), int) \
                or not isinstance(e.get("time"), str):
            err("an event not of %d or without seq and time: %r" % (pid, e))
            break
    maps = [e for e in evs if e.get("type") == "mmap" and e.get("len") == 16 << 20]
    if len(maps) < min_growth // (16 << 20):
        err("%d mmap events of 16 MiB, expected %d: %r"
            % (len(maps), min_growth // (16 << 20), [e.get("type") for e in evs][:50]))
    elif any(e.get("category") != "offheap" or not e.get("start", "").startswith("0x")
             for e in maps):
        err("mmap events of 16 MiB not offheap or without their address: %r" % maps)
    if tr.get("events") != len(evs):
        err("the trailer counts %r events, the file has %d" % (tr.get("events"), len(evs)))
    print("recording: %d samples over %.1f s, offheap %d -> %d MiB, %d events"
          % (len(ss), (el[-1] - el[0]) / 1e9 if el else 0, oh[0] >> 20 if oh else 0,
             max(oh) >> 20 if oh else 0, len(evs)))


def check_csv(rec, path):
    ss = samples(read_rec(rec))
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    want_head = (["time", "elapsed_ns", "pid", "start_time", "comm"]
                 + ["%s_bytes" % c for c in CATS]
                 + ["pagetables_bytes", "kstacks_bytes", "sockbufs_bytes",
                    "rss_bytes", "sockets_open", "sockets_close_wait"])
    if rows[0] != want_head:
        err("CSV header %r" % rows[0])
    rows = rows[1:]
    if len(rows) != len(ss):
        err("%d CSV rows for %d samples" % (len(rows), len(ss)))

    def field(v):
        return "" if v is None else str(v)
    for n, (s, row) in enumerate(zip(ss, rows), 1):
        want = [field(s["time"]), field(s["elapsed_ns"]), field(s["pid"]),
                field(s["start_time"]), field(s["comm"])]
        want += [field(get(s, "categories.%s.resident_bytes" % c)) for c in CATS]
        want += [field(get(s, p)) for p in (
            "kernel.pagetables_bytes", "kernel.kstacks_bytes",
            "kernel.sockbufs_bytes", "rss_bytes", "sockets.open",
            "sockets.close_wait")]
        if row != want:
            err("row %d differs from the sample:\n  csv    %r\n  sample %r"
                % (n, row, want))
    print("csv: %d rows equal the samples" % len(rows))


def check_svg(rec, path):
    lines = read_rec(rec)
    ss = samples(lines)
    ns = "{http://www.w3.org/2000/svg}"
    root = ET.parse(path).getroot()
    if root.tag != ns + "svg":
        err("the root is %s, not svg" % root.tag)
    ids = {e.get("id"): e for e in root.iter() if e.get("id")}
    for name in CATS + ["kernel"]:
        has = any(series(s, name) for s in ss)
        path_el = ids.get("series-" + name)
        if has and (path_el is None or path_el.get("fill") != "#" + COLORS[name]):
            err("no path series-%s of color #%s" % (name, COLORS[name]))
        if "legend-" + name not in ids:
            err("no legend entry for %s" % name)
    title = root.find(ns + "title")
    want = "knmt timeline: pid %d (%s)" % (ss[0]["pid"], ss[-1]["comm"])
    if title is None or title.text != want:
        err("title %r, expected %r" % (title.text if title is not None else None, want))
    texts = [t.text or "" for t in root.iter(ns + "text")]
    if not any(t.endswith(" MiB") for t in texts):
        err("no MiB label on the memory axis: %r" % texts)
    if not any(t.endswith(" s") for t in texts):
        err("no label in seconds on the time axis: %r" % texts)
    if "time since the recording started" not in texts:
        err("no time axis title")
    print("svg: well-formed, %d elements with an id" % len(ids))


def decode_png(path):
    """(width, height, rows of RGB bytes); 8-bit RGB or RGBA, not interlaced."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat = 8, []
    while pos < len(data):
        ln, typ = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + ln]
        pos += 12 + ln
        if typ == b"IHDR":
            w, h, depth, ctype, _, _, inter = struct.unpack(">IIBBBBB", body)
        elif typ == b"IDAT":
            idat.append(body)
        elif typ == b"IEND":
            break
    if depth != 8 or ctype not in (2, 6) or inter:
        raise ValueError("PNG of depth %d, color type %d, interlace %d"
                         % (depth, ctype, inter))
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    n = w * bpp
    # byte-wise addition of whole rows at once: big integers, carries masked
    lo = int.from_bytes(b"\x7f" * n, "big")
    hi = int.from_bytes(b"\x80" * n, "big")

    def add(a, b):
        return ((a & lo) + (b & lo)) ^ ((a ^ b) & hi)
    rows, prev, prevb = [], 0, bytes(n)
    for y in range(h):
        f = raw[y * (n + 1)]
        line = raw[y * (n + 1) + 1:(y + 1) * (n + 1)]
        if f == 0:
            cur = line
        elif f == 2:        # up
            cur = add(int.from_bytes(line, "big"), prev).to_bytes(n, "big")
        elif f == 1:        # sub: a prefix sum per channel, doubling
            x, s = int.from_bytes(line, "big"), bpp * 8
            while s < 8 * n:
                x = add(x, x >> s)
                s *= 2
            cur = x.to_bytes(n, "big")
        else:               # average, paeth: byte by byte
            out = bytearray(n)
            for i in range(n):
                a = out[i - bpp] if i >= bpp else 0
                b = prevb[i]
                c = prevb[i - bpp] if i >= bpp else 0
                if f == 3:
                    p = (a + b) >> 1
                else:
                    pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                    p = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                out[i] = (line[i] + p) & 255
            cur = bytes(out)
        prevb, prev = cur, int.from_bytes(cur, "big")
        if bpp == 4:
            cur = bytes(b for i, b in enumerate(cur) if i % 4 != 3)
        rows.append(cur)
    return w, h, rows


def count_color(rows, rgb):
    """Pixels of exactly that color (a run of one color is counted exactly;
    a match across two pixels is possible but does not matter here)."""
    return sum(r.count(rgb) for r in rows)


def check_png(rec, path):
    ss = [s for s in samples(read_rec(rec))
          if any(get(s, "categories.%s.resident_bytes" % c) is not None for c in CATS)]
    w, h, rows = decode_png(path)
    totals = [sum(series(s, k) for k in COLORS) for s in ss]
    top = max(totals)
    # the chart is at most 960 wide, scaled down to the window (margins,
    # a scroll bar); the axis tops out at up to 1.5 x the largest total
    scale = min(1.0, (w - 40) / SVG_W)
    plot = PLOT_W * PLOT_H * scale * scale
    report = []
    for name, color in COLORS.items():
        share = sum(series(s, name) for s in ss) / len(ss) / top
        got = count_color(rows, bytes.fromhex(color))
        want = 0.5 * plot * share / 1.5
        report.append("%s %.1f%% %d px" % (name, 100 * share, got))
        if share >= 0.03 and got < max(500, want):
            err("%s holds %.1f%% of the memory but covers %d pixels of #%s, "
                "expected %d at least" % (name, 100 * share, got, color, max(500, want)))
    white = count_color(rows, b"\xff\xff\xff")
    if white > 0.97 * w * h:
        err("the screenshot is almost all white (%d of %d pixels)" % (white, w * h))
    print("png %dx%d: %s" % (w, h, ", ".join(report)))


def main():
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    try:
        if what == "recording" and len(sys.argv) == 5:
            check_recording(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
        elif what == "csv" and len(sys.argv) == 4:
            check_csv(sys.argv[2], sys.argv[3])
        elif what == "svg" and len(sys.argv) == 4:
            check_svg(sys.argv[2], sys.argv[3])
        elif what == "png" and len(sys.argv) == 4:
            check_png(sys.argv[2], sys.argv[3])
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except (OSError, ValueError, KeyError, IndexError, ET.ParseError) as e:
        err("%s: %s" % (type(e).__name__, e))
    for e in errors:
        print("FAIL: %s" % e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
