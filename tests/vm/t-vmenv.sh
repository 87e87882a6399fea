#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest environment scripts/vm-run promises (scripts/README-vm.md):
# root, loopback up, hostname, PATH, HOME, TMPDIR on tmpfs, stdin
# /dev/null, the KNMT_* variables, the host tree read-only under a
# writable overlay, debugfs and cgroup2 mounted, module autoloading.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

[[ ${KNMT_VM:-} == 1 ]] || skip "not in the bench guest (KNMT_VM unset)"

assert_eq "$(id -u)" 0 uid
assert_eq "$(hostname)" knmt-vm hostname
assert_eq "$(uname -r)" "$KNMT_VM_KERNEL" KNMT_VM_KERNEL
assert_eq "$HOME" /root HOME
assert_eq "$TMPDIR" /tmp TMPDIR
assert_eq "$(stat -f -c %T /tmp)" tmpfs "/tmp file system"
assert_match "$PATH" "^$KNMT_TOP/build/bin:" PATH
assert_match "$(readlink /proc/self/fd/0 </dev/null)" '^/dev/null$' stdin
assert_match "$(ip -o link show lo)" 'UP' 'lo state'
assert_match "$(ip -o addr show lo)" '127\.0\.0\.1' 'lo address'
assert_file "$KNMT_KO_PATH"
module_loaded || fail "$KNMT_MODULE is not loaded"
assert_match "$(stat -f -c %T /sys/kernel/debug)" 'debugfs' debugfs
assert_match "$(stat -f -c %T /sys/fs/cgroup)" 'cgroup2' cgroup2

# Kernel module autoloading works (request_module runs the host's
# modprobe), and on-demand device nodes exist.
# modinfo knows veth as a module or a built-in; a kernel without it (the
# debug kernel's defconfig) cannot show autoloading with it.
if modinfo veth >/dev/null 2>&1; then
	ip link add knmt-v0 type veth peer name knmt-v1 || fail "ip link add type veth (module autoload) failed"
	ip link del knmt-v0
else
	echo "# $(uname -r) has no veth driver: module autoload not checked"
fi
[[ -c /dev/loop-control ]] || fail "no /dev/loop-control"

# Writes to the host tree land in the guest's overlay only.
f=$KNMT_TOP/build/.vmenv-probe.$$
echo x >"$f" || fail "cannot write $f through the overlay"
rm -f "$f"

# Loopback sockets work.
python3 - <<'PY' || fail "loopback TCP connect failed"
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
c = socket.create_connection(s.getsockname())
a, _ = s.accept()
c.sendall(b"ping")
assert a.recv(4) == b"ping"
PY
