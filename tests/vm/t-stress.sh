#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# knmt-timeout: 420
#
# The stress suite (tests/vm/acc/check_stress.py, with the storms of
# tests/workloads/stormer): fork/exec, thread, mmap/mprotect/mremap,
# socket and accept storms, processes that hoard regions and sockets and
# exit, and an OOM kill, all at once, while readers dump every listing
# (processes exit in the middle of them) and events listeners read
# slowly or never; then the module reloaded with each limit small
# (procs_max, regions_max, sockets_max, threads_max, events_ring with
# exits_max) and storms that exceed it.  Checks: the module answers throughout; the
# overflow and drop counters of knmt status grow exactly in the phase
# whose limit was exceeded; the hooks, exit records, off-heap and socket
# totals agree with what the storms report; the events listeners' losses
# are the kernel's; once the storms end, tracked processes, sockets,
# regions and the module's memory are back to where they were.  The
# figures (operations per storm, overflows, drops) are printed at the end.
#
# KNMT_STRESS_SECS: the storm phase's length (default 15 s; the whole test
# takes about 90 s of guest time on 6.1 under TCG); the limit phases last
# a quarter of it, at least 4 s.  make stress runs the long form,
# KNMT_STRESS_SECS=300: about 12 minutes on 6.1, more than this
# timeout (make stress sets KNMT_TEST_TIMEOUT).  KNMT_STRESS_VERBOSE=1
# shows the progress of the phases.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_knmt
require_cmd python3
[[ -n ${KNMT_KO_PATH:-} ]] || skip "KNMT_KO_PATH not set (run through scripts/vm-run)"
stormer=${KNMT_WORKLOADS:-$KNMT_TOP/build/workloads}/stormer
[[ -x $stormer ]] || fail "$stormer is missing: make workloads (on the host)"
# Whatever happens, the next tests get the module with its defaults.
trap module_reload_with EXIT

# The checker compares the origin records in use before and after each
# phase: its own allocations must not make any (no mmap'ed malloc chunks,
# no pymalloc arenas).
PYTHONMALLOC=malloc GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432 \
	python3 "$(dirname "$0")/acc/check_stress.py" || fail "stress (above)"
