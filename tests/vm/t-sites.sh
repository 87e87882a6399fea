#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Fault sites and the off-heap threshold, on a process that allocates a
# 64 MiB buffer (one large malloc, hence one mmap) and then sits still
# (THP off, so that a fault is a page):
# - every fault knmt counted for it is at a kept site or in "other";
# - its top site is libc's memset filling the buffer, symbolized, in
#   offheap, with at least the buffer's pages;
# - with offheap_min_bytes above the buffer's size, the same buffer is
#   anon; the setting is read back and restored.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_knmt
require_cmd python3

# One fault per 4 KiB page: no transparent huge pages while this runs.
thp=/sys/kernel/mm/transparent_hugepage/enabled
thp_was=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$thp" 2>/dev/null || true)
[[ -z $thp_was ]] || echo never >"$thp"

pids=()
cleanup() {
	[[ -z $thp_was ]] || echo "$thp_was" >"$thp"
	knmt config set offheap_min_bytes=128K >/dev/null 2>&1 || true
	kill "${pids[@]}" 2>/dev/null || true
	wait 2>/dev/null || true
}
trap cleanup EXIT

# start_holder: a python3 that fills 64 MiB and waits; sets HOLDER.
start_holder() {
	local ready
	ready=$(mktemp -u /tmp/knmt-sites.XXXXXX)
	python3 -c '
import sys, time
b = bytearray(64 << 20)
open(sys.argv[1], "w").close()
time.sleep(300)' "$ready" &
	HOLDER=$!
	pids+=("$HOLDER")
	for _ in $(seq 600); do
		[[ -e $ready ]] && break
		sleep 0.1
	done
	[[ -e $ready ]] || fail "the holder did not get ready"
	rm -f "$ready"
}

start_holder
assert_ok knmt faults -p "$HOLDER" -n 32 --json
sites=$OUT
assert_ok knmt summary -p "$HOLDER" --json
summary=$OUT
python3 - "$sites" "$summary" <<'PY' || fail "fault sites disagree (above)"
import json, sys
sites = json.loads(sys.argv[1])
proc = json.loads(sys.argv[2])["processes"][0]
bad = []
total = sum(c["faults_minor"] + c["faults_major"]
            for c in proc["categories"].values())
at_sites = sum(s["faults"] for s in sites["sites"]) + sites["other_faults"]
if at_sites != total:
    bad.append(f"faults at sites + other = {at_sites}, counted by category = {total}")
top = max(sites["sites"], key=lambda s: s["faults"])
if not (top["function"] or "").startswith("__mem") or \
   "libc.so" not in (top["object"] or ""):
    bad.append(f"top site is not libc's memset/memcpy: {top}")
if top["category"] != "offheap":
    bad.append(f"top site category {top['category']}, expected offheap")
if top["faults"] < (64 << 20) // 4096:
    bad.append(f"top site has {top['faults']} faults, the buffer has {(64 << 20) // 4096} pages")
off = proc["categories"]["offheap"]
if off["resident_bytes"] < 64 << 20:
    bad.append(f"offheap resident {off['resident_bytes']} < 64 MiB")
for b in bad:
    print("not ok -", b)
sys.exit(1 if bad else 0)
PY
kill "$HOLDER"

# The threshold, set at run time, decides for mappings made after it.
assert_ok knmt config set offheap_min_bytes=128M
assert_ok knmt config --json
python3 -c 'import json,sys; assert json.loads(sys.argv[1])["offheap_min_bytes"] == 128 << 20' "$OUT" ||
	fail "offheap_min_bytes did not read back as 128 MiB: $OUT"
start_holder
assert_ok knmt summary -p "$HOLDER" --json
python3 -c '
import json, sys
c = json.loads(sys.argv[1])["processes"][0]["categories"]
assert c["offheap"]["resident_bytes"] < 1 << 20, c["offheap"]
assert c["anon"]["resident_bytes"] >= 64 << 20, c["anon"]' "$OUT" ||
	fail "with offheap_min_bytes=128M a 64 MiB buffer is not anon: $OUT"
assert_status 1 knmt config set offheap_min_bytes=2G
[[ $ERR == *"1073741824"* || $ERR == *"range"* || $ERR == *"rejected"* ]] ||
	fail "offheap_min_bytes=2G: the kernel's reason is not shown: $ERR"
