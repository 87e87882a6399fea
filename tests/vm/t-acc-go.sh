#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# knmt against the Go runtime's own numbers (tests/workloads/goheap.go):
# a ~200 MiB live heap is arena (the runtime reserves its heap arenas
# PROT_NONE and maps them in with MAP_FIXED), goroutine stacks come from
# that heap (arena too), off-heap is only the runtime's own metadata, and
# the main thread's stack is stack.  Compared with runtime.MemStats.  The
# checks are tests/vm/acc/check_runtime.py's.  Transparent huge pages are
# left as the kernel has them.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/acc/lib.sh"

require_root
require_knmt
[[ -e $ACC_WORKLOADS/goheap ]] || skip "goheap is not built (no go on the build host)"

acc_start goheap "$ACC_WORKLOADS/goheap" 200
pid=$ACC_PID
acc_wait_line goheap '"stage":"ready"' 90 >/dev/null

rc=0
python3 "$KNMT_TOP/tests/vm/acc/check_runtime.py" go "$pid" "$ACC_DIR/goheap.out" || rc=$?

acc_send goheap
acc_wait_exit "$pid" 30
assert_eq "$ACC_STATUS" 0 "goheap's exit status"
((rc == 0)) || fail "check_runtime found disagreements (above)"
exit 0
