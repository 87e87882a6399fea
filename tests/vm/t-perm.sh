#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# t-perm: without privileges nothing of knmt is reachable.  Every knmt
# command needs CAP_NET_ADMIN and the "events" group CAP_SYS_ADMIN; an
# unprivileged user (nobody, no capabilities) must get EPERM for each,
# the CLI must exit 4 and say how to fix it, and nothing may change.
#
# Runs as root in a guest with knmt.ko loaded; drops to nobody with
# setpriv.  Uses build/bin/knmt and build/bin/knmt-nltest.
#
# Order of the kernel's checks (genl_family_rcv_msg() on 6.1 and 6.12):
# header length, reserved header bytes and flags, command lookup, then
# the permission, then attribute validation.  So a malformed header or an
# unknown command is refused before the permission is looked at, and
# malformed attributes on a real command get EPERM: unprivileged users
# learn nothing from the attribute policy.
set -u

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
knmt=$top/build/bin/knmt
tool=$top/build/bin/knmt-nltest
fails=0
errf=$(mktemp) || exit 1
chmod 666 "$errf"
trap 'rm -f "$errf"' EXIT

for f in "$knmt" "$tool"; do
	if [ ! -x "$f" ]; then
		echo "t-perm: $f is missing: build it with 'make userspace nltest'"
		exit 1
	fi
done
if [ "$(id -u)" != 0 ]; then
	echo "t-perm: must run as root (it drops to nobody itself)"
	exit 1
fi

nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"
}

bad() {
	echo "t-perm: FAIL: $*"
	sed 's/^/    stderr: /' "$errf"
	fails=$((fails + 1))
}

# Sanity: the drop really drops (a test that passes as root proves nothing).
if [ "$(nobody id -u)" != 65534 ]; then
	echo "t-perm: setpriv did not switch to uid 65534"
	exit 1
fi
capeff=$(nobody grep '^CapEff:' /proc/self/status)
case $capeff in
*0000000000000000) ;;
*) echo "t-perm: nobody still has capabilities: $capeff"; exit 1 ;;
esac

EPERM=1
EINVAL=22
EOPNOTSUPP=95

# expect_nl TEST ERRNO: knmt-nltest TEST as nobody answers with ERRNO
expect_nl() {
	local test=$1 want=$2 out rc errno

	out=$(nobody "$tool" "$test" 2>"$errf")
	rc=$?
	echo "t-perm: nobody $test: $out"
	if [ $rc -ne 0 ]; then
		bad "$test: knmt-nltest exited $rc"
		return
	fi
	errno=${out#errno=}
	errno=${errno%% *}
	if [ "$errno" != "$want" ]; then
		bad "$test: errno $errno, expected $want"
	fi
}

# expect_cli EXIT ARGS...: knmt ARGS as nobody exits EXIT
expect_cli() {
	local want=$1 rc
	shift
	nobody "$knmt" "$@" >/dev/null 2>"$errf"
	rc=$?
	echo "t-perm: nobody knmt $*: exit $rc"
	if [ $rc -ne "$want" ]; then
		bad "knmt $*: exit $rc, expected $want"
	fi
}

before=$("$knmt" config --json 2>"$errf") || bad "knmt config as root failed"

# the CLI: exit 4 with the cause and the fix
expect_cli 4 status
if ! grep -q 'CAP_NET_ADMIN' "$errf" || ! grep -q 'run as root' "$errf"; then
	bad "knmt status: the message does not name CAP_NET_ADMIN and 'run as root'"
fi
expect_cli 4 status --json
expect_cli 4 config
expect_cli 4 config set offheap_min_bytes=8K
expect_cli 4 summary
expect_cli 4 summary -p 1
expect_cli 4 regions -p 1
expect_cli 4 faults -p 1
expect_cli 4 exits
expect_cli 4 sockets
expect_cli 4 sockets -p 1
# --version still works, and says why the module is not reachable
out=$(nobody "$knmt" --version 2>"$errf")
rc=$?
echo "t-perm: nobody knmt --version: exit $rc"
if [ $rc -ne 0 ] || [[ $out != *"module:"*"permission denied"* ]]; then
	bad "knmt --version: exit $rc, output: $out"
fi

# every command gets EPERM, whatever its attributes
expect_nl status $EPERM
expect_nl get-config $EPERM
expect_nl set-config $EPERM
expect_nl proc-self $EPERM
expect_nl dump-procs $EPERM
expect_nl dump-exits $EPERM
expect_nl regions-no-pid $EPERM
expect_nl dump-sockets $EPERM
expect_nl sockets-self $EPERM
expect_nl unknown-attr $EPERM
expect_nl bad-type $EPERM
expect_nl out-of-range $EPERM
expect_nl readonly $EPERM
expect_nl bad-attr-len $EPERM
expect_nl bad-version $EPERM
# refused by the core before the permission check
expect_nl unknown-cmd $EOPNOTSUPP
# a dump of a do-only command: 6.1 finds the command, checks the
# permission, then finds no dumpit; since 6.2 (split ops) the lookup of
# a "dump" command fails first
if printf '%s\n' 6.2 "$(uname -r)" | sort -V -C; then
	expect_nl dump-status $EOPNOTSUPP
else
	expect_nl dump-status $EPERM
fi
expect_nl reserved $EINVAL
expect_nl truncated $EINVAL
# the events group needs CAP_SYS_ADMIN
expect_nl join-events $EPERM

# nothing changed
after=$("$knmt" config --json 2>"$errf") || bad "knmt config as root failed"
if [ "$before" != "$after" ]; then
	bad "the settings changed: before $before, after $after"
fi

if [ $fails -ne 0 ]; then
	echo "t-perm: $fails check(s) failed"
	exit 1
fi
echo "t-perm: all checks passed"
exit 0
