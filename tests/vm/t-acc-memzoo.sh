#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# knmt against the kernel's own numbers, on a process that has one of
# every kind of mapping (tests/workloads/memzoo.c): categories per range,
# mapped and resident bytes per category (smaps, pagemap), the rss
# counters (/proc/PID/status), unaccounted bytes, off-heap buffers,
# threads, kernel stacks, page tables, and the fault counters
# (/proc/PID/stat).  The checks are tests/vm/acc/check_accuracy.py's.
#
# Transparent huge pages are set to "madvise" for the test: with
# "always", a first touch in any 2 MiB-aligned stretch of anonymous
# memory may bring in a whole huge page, and the bytes memzoo wrote would
# no longer say what is resident.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/acc/lib.sh"

require_root
require_knmt
acc_need memzoo
acc_need memzoo.dat

acc_thp_set madvise
acc_start memzoo "$ACC_WORKLOADS/memzoo"
start=$(acc_wait_line memzoo '"stage":"start"')
pid=$ACC_PID
assert_match "$start" "\"pid\":${pid}[,}]" "memzoo's start line"

# The fault counters before memzoo does anything of its own.
python3 "$ACC_CHECK" snapshot "$pid" >"$ACC_DIR/base.json" ||
	fail "snapshot of the fault counters failed"

acc_send memzoo
acc_wait_line memzoo '"stage":"manifest"' 90 >"$ACC_DIR/manifest.json"

rc=0
python3 "$ACC_CHECK" check "$pid" "$ACC_DIR/manifest.json" \
	--baseline "$ACC_DIR/base.json" || rc=$?

acc_send memzoo exit
acc_wait_exit "$pid"
assert_eq "$ACC_STATUS" 0 "memzoo's exit status"
[[ -e /dev/shm/memzoo.$pid ]] && fail "memzoo left /dev/shm/memzoo.$pid"
((rc == 0)) || fail "check_accuracy found disagreements (above)"
exit 0
