#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Unload under load: rmmod while a reader listens and a storm of mappings
# fills the event rings; the module goes, the reader is told and exits
# non-zero, a new load works and a new reader gets events
# (tests/vm/acc/check_events.py unload).  The bench reads the kernel log.
#
# Under qemu, this runs with every vCPU in one host thread (vm-run
# --one-thread, as scripts/check does).  Multi-threaded TCG mishandles
# the kernel's code patching while another vCPU runs the code patched:
# at rmmod the storm's vCPU executes an int3 whose bytes were already
# restored, seen as an int3 Oops on 6.12 (at remove_vma+0x5 and
# mmap_region+0x5, ftrace sites being switched off) and as a soft lockup
# on 6.1 (the kprobes int3 handler re-executes the instruction, which
# traps again).  With two vCPUs in one thread it is exact.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_knmt
require_cmd python3
[[ -n ${KNMT_KO_PATH:-} ]] || skip "KNMT_KO_PATH not set (run through scripts/vm-run)"
if [[ ${KNMT_VM:-0} == 1 && ${KNMT_VM_ONE_THREAD:-0} != 1 ]] && (($(nproc) > 1)); then
	skip "unload under load needs vm-run --one-thread with several vCPUs"
fi
trap reload_module EXIT

python3 "$(dirname "$0")/acc/check_events.py" unload || fail "unload under load (above)"
