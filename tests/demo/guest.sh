#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What `make demo` shows inside the VM.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
say() { printf '\n\033[1m%s\033[0m\n' "$*"; }

say "\$ knmt status     # the module, the kernel, and every hook knmt attached"
knmt status

say "A service starts: 20 requests/s; each maps a 1 MiB transfer buffer and"
say "one in four is never unmapped; every 16 requests a thread is left behind."
"$top/build/demo/leaky-service" 30 20 &
svc=$!
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
