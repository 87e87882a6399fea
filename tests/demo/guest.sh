#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What `make demo` shows inside the VM.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
say() { printf '\n\033[1m%s\033[0m\n' "$*"; }
# The chart goes to the run's results share, which scripts/demo copies
# out to build/demo/timeline/ when the VM has stopped.
out=${KNMT_DEMO_OUT:-/run/knmt-vm/demo}
mkdir -p "$out"

say "\$ knmt status     # the module, the kernel, and every hook knmt attached"
knmt status

say "A service starts: 20 requests/s; each maps a 1 MiB transfer buffer and"
say "one in four is never unmapped; every 16 requests a thread is left behind."
"$top/build/demo/leaky-service" 30 20 &
svc=$!
# its memory every second, until it exits, for the chart at the end
knmt record -o "$out/leaky-service.jsonl" -p "$svc" --interval 1s &
rec=$!
sleep 3

say "\$ knmt summary -p $svc     # after 3 s"
knmt summary -p "$svc"
sleep 8

say "\$ knmt summary -p $svc     # 8 s later: offheap and stack grow, the heap does not"
knmt summary -p "$svc"

say "\$ knmt summary -n 5     # every process, by native memory"
knmt summary -n 5

say "\$ knmt faults -p $svc -n 5     # where the growth comes from"
knmt faults -p "$svc" -n 5

say "\$ knmt regions -p $svc --category offheap | head     # the leaked buffers, with their age"
knmt regions -p "$svc" --category offheap | head -n 12

kill "$svc"
wait "$svc" 2>/dev/null || true
sleep 1.5
say "\$ knmt exits -n 3     # the last view of processes that ended"
knmt exits -n 3

say "A second service leaks connections: it reads each upload's header, never the
body, and never closes; its clients (leaky-client) connect twice a second, send
up to 4 KiB and hang up, so sockets pile up in CLOSE_WAIT with the body unread."
"$top/build/demo/leaky-server" 60 2 &
srv=$!
sleep 3

say "\$ knmt sockets -p $srv --state close-wait     # after 3 s: owner, state, age, queues"
knmt sockets -p "$srv" --state close-wait
sleep 6

say "\$ knmt sockets -p $srv --state close-wait -n 6     # 6 s later: the same six, older, more behind"
knmt sockets -p "$srv" --state close-wait -n 6

say "\$ knmt summary -p $srv | sed -n '/^kernel:/,/^\$/p; /^sockets:/,/^\$/p'     # its sockets in the summary"
knmt summary -p "$srv" | sed -n '/^kernel:/,/^$/p; /^sockets:/,/^$/p'

kill "$srv"
wait "$srv" 2>/dev/null || true

wait "$rec" || echo "(knmt record failed: status $?)"
say "\$ knmt timeline leaky-service.jsonl     # what knmt record -p $svc saw, second by second"
knmt timeline "$out/leaky-service.jsonl"

say "\$ knmt timeline leaky-service.jsonl --format html -o leaky-service.html     # the same as a chart"
knmt timeline "$out/leaky-service.jsonl" --format html -o "$out/leaky-service.html"
knmt timeline "$out/leaky-service.jsonl" --format svg -o "$out/leaky-service.svg"
echo "leaky-service.html, leaky-service.svg and the recording are in the run's output directory"
