#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# knmt against the JVM's own numbers (tests/workloads/DirectHold.java):
# 64 direct ByteBuffers of 1 MiB are off-heap, the Java heap is arena,
# the thread stacks are stack; compared with the JVM's BufferPoolMXBean,
# the ranges of its heap, code cache and thread stacks (-Xlog:pagesize,
# -Xlog:os+thread) and its Native Memory Tracking summary.  The checks are tests/vm/acc/check_runtime.py's.
#
# A small JVM (-Xmx256m -Xms256m, serial GC, C1 only): the guest runs
# under TCG, where it starts in 5-20 s.  No MALLOC_MMAP_THRESHOLD_: glibc
# raises its mmap threshold when a mmap'ed chunk is freed, which would move
# 1 MiB mallocs into a malloc heap, but JDK 17 with these options frees
# none before the buffers are allocated (measured: the same 64 chunks of
# 1 MiB + 4 KiB with and without MALLOC_MMAP_THRESHOLD_=131072);
# check_runtime.py asserts the 64 chunks (j2), so a JVM that does will
# fail loudly instead of passing on other memory.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/acc/lib.sh"

require_root
require_knmt
require_cmd java
acc_need DirectHold.class

acc_start java java -Xmx256m -Xms256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
	-XX:NativeMemoryTracking=summary -Xlog:pagesize=info:stdout -Xlog:os+thread=info:stdout \
	-cp "$ACC_WORKLOADS" DirectHold 64
pid=$ACC_PID
acc_wait_line java '"stage":"ready"' 90 >/dev/null

rc=0
python3 "$KNMT_TOP/tests/vm/acc/check_runtime.py" java "$pid" "$ACC_DIR/java.out" || rc=$?

acc_send java
acc_wait_exit "$pid" 30
assert_eq "$ACC_STATUS" 0 "the JVM's exit status"
((rc == 0)) || fail "check_runtime found disagreements (above)"
exit 0
