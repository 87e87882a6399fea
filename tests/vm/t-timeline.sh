#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# knmt-timeout: 300
#
# knmt record and knmt timeline on a process that grows: python maps and
# touches 16 MiB more of anonymous memory (offheap: read-write, over
# offheap_min_bytes) every second for 5 s.  knmt record -p follows it
# until it exits; then
#   - the recording: header, samples in time order, offheap growth, the
#     gone record and the trailer; the events of the process, among them
#     the five mmap of 16 MiB;
#   - knmt timeline --format csv: every sample a row, values exactly as
#     recorded (both parsed);
#   - --format text: the table of the process;
#   - --format svg: well-formed, with the series, legend, axes, title;
#   - --format html rendered by headless chromium (Debian's chromium):
#     the screenshot (a PNG decoded with zlib and struct) shows the colors
#     of the series that hold the memory over a meaningful area.
# The checks are tests/vm/acc/check_timeline.py's.  Without chromium the
# rendering is skipped, with the reason, and the rest still runs.
#
# KNMT_CHROMIUM_WINDOW=WxH sets the window of the screenshot (default
# 1000x700).  Chromium takes 30 to 70 s under TCG (its start, mostly; the
# window size matters little): the whole test about a minute.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_knmt
require_cmd python3

check=$KNMT_TOP/tests/vm/acc/check_timeline.py
tmp=$(mktemp -d /tmp/knmt-timeline.XXXXXX)
grower=
cleanup() {
	[[ -z $grower ]] || kill "$grower" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

# 0.6 s quiet, then 5 x (16 MiB mapped and touched, 1 s), then 0.8 s.
python3 -c '
import mmap, time
keep = []
time.sleep(0.6)
for i in range(5):
    m = mmap.mmap(-1, 16 << 20, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    for off in range(0, 16 << 20, 4096):
        m[off] = 1
    keep.append(m)
    time.sleep(1)
time.sleep(0.8)
' &
grower=$!
pid=$grower

t0=$SECONDS
assert_ok knmt record -o "$tmp/rec.jsonl" -p "$grower" --interval 500ms --duration 60s
wait "$grower" || fail "the growing process failed (status $?)"
grower=
echo "recorded for $((SECONDS - t0)) s"
python3 "$check" recording "$tmp/rec.jsonl" "$pid" $((64 << 20)) ||
	fail "the recording (above)"

assert_ok knmt timeline "$tmp/rec.jsonl" --format csv -o "$tmp/rec.csv"
assert_eq "$OUT" "" "stdout of timeline -o"
python3 "$check" csv "$tmp/rec.jsonl" "$tmp/rec.csv" || fail "the CSV (above)"

assert_ok knmt timeline "$tmp/rec.jsonl"
assert_match "$OUT" "pid [0-9]+ \(python3\): [0-9]+ samples from " "the text timeline"
assert_match "$OUT" $'\nTIME +HEAP .*OFFHEAP .* TOTAL +SOCK +GROWTH\n' "the text timeline's table"
assert_match "$OUT" "; exited at " "the text timeline"

assert_ok knmt timeline "$tmp/rec.jsonl" --format svg -o "$tmp/rec.svg"
python3 "$check" svg "$tmp/rec.jsonl" "$tmp/rec.svg" || fail "the SVG (above)"

assert_ok knmt timeline "$tmp/rec.jsonl" --format html -o "$tmp/rec.html"

# Usage errors and a recording cut short.
assert_status 2 knmt timeline "$tmp/rec.jsonl" --format pdf
assert_status 2 knmt record --interval 1s
head -c -40 "$tmp/rec.jsonl" >"$tmp/cut.jsonl"
assert_ok knmt timeline "$tmp/cut.jsonl" --format csv
assert_eq "$(wc -l <<<"$OUT")" "$(wc -l <"$tmp/rec.csv")" "CSV lines of a recording cut in its trailer"

chromium=$(command -v chromium || command -v chromium-browser || true)
[[ -n $chromium ]] || skip "chromium is not installed (apt-get install chromium; scripts/deps installs it): the chart was not rendered"
win=${KNMT_CHROMIUM_WINDOW:-1000x700}
t1=$SECONDS
# A home and a profile of its own; no sandbox (root), no GPU, no network,
# no JIT: under TCG, JIT code is slow to translate (40 s instead of 60 s
# for a page).
# KNMT_CHROMIUM_SECS: its time limit (the debug kernel needs minutes).
csecs=${KNMT_CHROMIUM_SECS:-80}
HOME=$tmp timeout -k 5 "$csecs" "$chromium" --headless --no-sandbox --disable-gpu \
	--disable-gpu-compositing --disable-software-rasterizer --js-flags=--jitless \
	--no-first-run --no-default-browser-check --disable-extensions \
	--disable-background-networking --disable-component-update --disable-sync \
	--disable-default-apps --disable-breakpad --hide-scrollbars --mute-audio \
	--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication \
	--user-data-dir="$tmp/profile" --window-size="${win/x/,}" \
	--screenshot="$tmp/rec.png" "file://$tmp/rec.html" >"$tmp/chromium.log" 2>&1 ||
	fail "chromium failed or took over $csecs s (status $?): $(tail -n 5 "$tmp/chromium.log")"
echo "chromium rendered the page in $((SECONDS - t1)) s"
assert_file "$tmp/rec.png"
python3 "$check" png "$tmp/rec.jsonl" "$tmp/rec.png" || fail "the screenshot (above)"
exit 0
