#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/vm-run fails when the guest kernel complains, on the host:
#   - a command that makes the kernel WARN (insmod tests/kmod's
#     knmt_warn_test.ko) makes vm-run exit 120 and print the WARNING line,
#     on every kernel series in KNMT_HOST_TEST_KERNELS (default "6.1 6.12");
#   - on the first series also: a WARNING during the final unload (120),
#     a kernel panic (120), a module the command unloaded (121), a module
#     that cannot be loaded (122), and a clean control run (0).
# The module under test is the clean stand-in knmt_dummy_test.ko.

# shellcheck source-path=SCRIPTDIR source=lib-vmrun.sh
. "$(dirname "$0")/lib-vmrun.sh"

read -r -a series_list <<<"${KNMT_HOST_TEST_KERNELS:-6.1 6.12}"

has_line() { grep -Eq "$1" "$work/err"; }
load_failed_cmd_not_run() { has_line 'insmod .* failed' && ! grep -q ran "$work/out"; }

first=1
for series in "${series_list[@]}"; do
	rel=$(release "$series") || true
	if [[ -z $rel ]]; then
		not_ok "vm-run: kernel $series installed (run scripts/deps)"
		continue
	fi
	if ! kdir=$(test_kmods "$rel"); then
		not_ok "vm-run: build tests/kmod for $rel"
		continue
	fi
	DUMMY_KO=$kdir/knmt_dummy_test.ko

	vm_run --kernel "$series" -- insmod "$kdir/knmt_warn_test.ko"
	check "vm-run ($rel): a WARN in the guest kernel fails the run (exit 120)" \
		test "$rc" = 120
	check "vm-run ($rel): the WARNING line is printed" \
		has_line '^vm-run: .*WARNING: CPU: [0-9]+ PID: [0-9]+ at .*knmt_warn_test'
	check "vm-run ($rel): the warning's message is printed" \
		has_line 'knmt_warn_test: deliberate warning'
	check "vm-run ($rel): the W taint is reported" \
		has_line 'taint flag\(s\) W'

	((first)) || continue
	first=0

	vm_run --kernel "$series" -- true
	check "vm-run ($rel): the stand-in module loads and unloads cleanly (exit 0)" \
		test "$rc" = 0

	vm_run --kernel "$series" -- sh -c \
		'echo 1 >/sys/module/knmt_dummy_test/parameters/warn_on_unload'
	check "vm-run ($rel): a WARNING during the final unload fails the run (exit 120)" \
		test "$rc" = 120
	check "vm-run ($rel): the unload WARNING is reported as such" \
		has_line '^vm-run: +\[unload\] .*WARNING: CPU:'

	vm_run --kernel "$series" -- sh -c 'echo c >/proc/sysrq-trigger'
	check "vm-run ($rel): a guest kernel panic fails the run (exit 120)" \
		test "$rc" = 120
	check "vm-run ($rel): the panic line is printed" \
		has_line '^vm-run: .*Kernel panic - not syncing'

	vm_run --kernel "$series" -- rmmod knmt_dummy_test
	check "vm-run ($rel): a module left unloaded by the command fails the run (exit 121)" \
		test "$rc" = 121

	# overlay is already loaded by the initramfs: insmod fails (EEXIST).
	overlay=$(find "/lib/modules/$rel/kernel/fs/overlayfs" -name 'overlay.ko*' | head -n 1)
	if [[ -n $overlay ]]; then
		rc=0
		KNMT_VM_NOBUILD=1 KNMT_KO=$overlay "$vmrun" --kernel "$series" -- echo ran \
			</dev/null >"$work/out" 2>"$work/err" || rc=$?
		check "vm-run ($rel): a module that cannot be loaded fails the run (exit 122)" \
			test "$rc" = 122
		check "vm-run ($rel): the insmod error is printed, the command is not run" \
			load_failed_cmd_not_run
	fi
done

finish
