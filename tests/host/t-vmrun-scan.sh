#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/vm-run's kernel log check, without booting: it must flag the
# first line of every kind of kernel problem report (as the 6.1 and 6.12
# kernels print them) and none of the ordinary lines of a clean run.
# Uses scripts/vm-run --scan-log FILE.

set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
vmrun=$top/scripts/vm-run
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

ok() { echo "ok - $*"; }
not_ok() {
	echo "not ok - $*"
	failures=$((failures + 1))
}

# Report lines, each of which must fail a run on its own.
reports=(
	'[    7.029956] WARNING: CPU: 0 PID: 133 at lib/foo.c:16 foo_init+0x11/0x1000 [foo]'
	'[    7.029956] WARNING: possible circular locking dependency detected'
	'[    7.029956] WARNING: possible recursive locking detected'
	'[    7.029956] WARNING: suspicious RCU usage'
	'[    7.029956] WARNING: inconsistent lock state'
	'[    7.029956] WARNING: bad unlock balance detected!'
	'[    7.029956] BUG: kernel NULL pointer dereference, address: 0000000000000008'
	'[    7.029956] BUG: unable to handle page fault for address: ffffc90000a3f000'
	'[    7.029956] BUG: KASAN: slab-out-of-bounds in foo+0x1c/0x40 [foo]'
	'[    7.029956] BUG: KFENCE: use-after-free read in foo+0x1c/0x40 [foo]'
	'[    7.029956] BUG: sleeping function called from invalid context at mm/slab.h:742'
	'[    7.029956] BUG: scheduling while atomic: insmod/133/0x00000002'
	'[    7.029956] BUG: using smp_processor_id() in preemptible [00000000] code: sh/1'
	'[    7.029956] BUG: workqueue lockup - pool cpus=0 node=0 flags=0x0 nice=0 stuck for 31s!'
	'[    7.029956] BUG: Bad page state in process sh  pfn:04a3f'
	'[   52.100000] watchdog: BUG: soft lockup - CPU#1 stuck for 26s! [sh:140]'
	'[    7.029956] BUG kmalloc-64 (Tainted: G    B   OE     ): Redzone overwritten'
	'[    7.029956] BUG kmalloc-128 (Not tainted): Object already free'
	'[    7.029956] kernel BUG at lib/list_debug.c:56!'
	'[    7.029956] list_del corruption. prev->next should be ffff888006ac0990, but was 0000000000000000'
	'[    7.029956] Oops: 0002 [#1] PREEMPT SMP NOPTI'
	'[    7.029956] Oops: general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] PREEMPT SMP NOPTI'
	'[    7.029956] general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] PREEMPT SMP NOPTI'
	'[    7.029956] invalid opcode: 0000 [#1] PREEMPT SMP NOPTI'
	'[    7.029956] Oops: invalid opcode: 0000 [#1] PREEMPT SMP NOPTI'
	'[    7.029956] Kernel panic - not syncing: Fatal exception'
	'[    7.029956] UBSAN: array-index-out-of-bounds in foo.c:12:3'
	'[  123.456789] INFO: task sh:140 blocked for more than 30 seconds.'
	'[   40.000000] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:'
	'[   40.000000] rcu: INFO: rcu_preempt self-detected stall on CPU'
	'[   40.000000] NMI watchdog: Watchdog detected hard LOCKUP on cpu 1'
	'[   40.000000] kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)'
	'[   40.000000] unreferenced object 0xffff888006ac0990 (size 64):'
	'[   40.000000] insmod: page allocation failure: order:10, mode:0xcc0(GFP_KERNEL), nodemask=(null)'
	'[   40.000000] VFS: Busy inodes after unmount of tmpfs (tmpfs)'
)

# Ordinary lines of clean 6.1 and 6.12 boots and runs: none may be flagged.
clean='[    0.000000] Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2
[    0.000000] Command line: console=ttyS0 quiet panic=-1 rdinit=/init log_buf_len=4M printk.devkmsg=on slub_debug=FZPU kfence.sample_interval=1
[    0.100000] kfence: initialized - using 2097152 bytes for 255 objects at 0x(____ptrval____)-0x(____ptrval____)
[    0.200000] [Firmware Bug]: TSC_DEADLINE disabled due to Errata; please update microcode to version: 0x3a (or later)
[    0.300000] ACPI BIOS Error (bug): Could not resolve symbol [\_SB.PCI0.XHC.RHUB.HS11], AE_NOT_FOUND (20220331/dswload2-162)
[    0.400000] Spectre V2 : WARNING: Unprivileged eBPF is enabled with eIBRS on, data leaks possible via Spectre v2 BHB attacks!
[    4.111713] Unstable clock detected, switching default tracing clock to "global"
[    4.500000] x86/mm: Checked W+X mappings: passed, no W+X pages found.
[    5.291384] knmt_dummy_test: loading out-of-tree module taints kernel.
[    5.291867] knmt_dummy_test: module verification failed: signature and/or required key missing - tainting kernel
[    5.400000] overlayfs: "xino" feature enabled using 2 upper inode bits.
[    6.000000] sh[140]: segfault at 0 ip 000055d1c3a1b2c0 sp 00007ffd2a1b2c30 error 6 in sh[55d1c3a1b000+1000]
[    6.100000] traps: python3[141] trap invalid opcode ip:7f1e2c3d4e5f sp:7ffd2a1b2c30 error:0 in libc.so.6[7f1e2c300000+155000]
[    6.200000] Out of memory: Killed process 142 (python3) total-vm:2097152kB, anon-rss:1048576kB
[    6.300000] knmt: the word BUG: appears here only after a prefix with spaces in it
[    6.400000] knmt-vm: phase command
[    6.500000] sysrq: Show Blocked State
[    6.600000] task:sh              state:D stack:0     pid:140   ppid:1      flags:0x00004002'

n=0
for line in "${reports[@]}"; do
	n=$((n + 1))
	printf '%s\n%s\n' "$clean" "$line" >"$work/log"
	rc=0
	"$vmrun" --scan-log "$work/log" >"$work/out" 2>&1 || rc=$?
	msg=${line#\[*\] }
	if [[ $rc == 120 ]] && grep -qF "$msg" "$work/out" && [[ $(grep -c '^vm-run:   \[' "$work/out") == 1 ]]; then
		ok "scan flags: ${msg:0:70}"
	else
		not_ok "scan flags: ${msg:0:70} (exit $rc)"
		sed 's/^/    /' "$work/out"
	fi
done

printf '%s\n' "$clean" >"$work/log"
rc=0
"$vmrun" --scan-log "$work/log" >"$work/out" 2>&1 || rc=$?
if [[ $rc == 0 && ! -s $work/out ]]; then
	ok "scan: the ordinary lines of a clean run are not flagged"
else
	not_ok "scan: the ordinary lines of a clean run are not flagged (exit $rc)"
	sed 's/^/    /' "$work/out"
fi

# Phase markers name the phase a report came in.
printf '%s\n' '[    5.0] knmt-vm: phase load' '[    6.0] knmt-vm: phase unload' \
	'[    7.0] WARNING: CPU: 1 PID: 140 at foo.c:28 foo_exit+0x15/0x1000 [foo]' >"$work/log"
rc=0
"$vmrun" --scan-log "$work/log" >"$work/out" 2>&1 || rc=$?
if [[ $rc == 120 ]] && grep -q '^vm-run:   \[unload\] ' "$work/out"; then
	ok "scan: a report after the unload marker is labelled [unload]"
else
	not_ok "scan: a report after the unload marker is labelled [unload] (exit $rc)"
	sed 's/^/    /' "$work/out"
fi

((failures == 0))
