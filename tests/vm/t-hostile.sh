#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# t-hostile: malformed requests to the knmt generic netlink family are
# refused with an errno and, wherever the kernel core or the module
# explains itself, an extended ACK message; the module keeps answering
# well-formed requests afterwards.
#
# Runs as root in a guest with knmt.ko loaded.  Uses build/bin/knmt-nltest
# (make nltest), which prints "errno=<n> extack=<text>" per request.
#
# What is expected was measured on Debian 12's 6.1.0-56 and 6.12.117
# kernels, which answer identically:
#   - the kernel core gives no extack text for an unknown command
#     (EOPNOTSUPP, also for a dump of a command that has only "do"), nor
#     for a message too short to hold the generic netlink header (EINVAL);
#   - a message whose nlmsg_len claims more bytes than were sent is
#     dropped by netlink_rcv_skb() without any answer;
#   - genlmsghdr.version is not checked by the core: version 99 succeeds;
#   - everything else is refused with a message (policy, reserved header
#     bytes and flags checks of the core, the module's own reject text).
set -u

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tool=$top/build/bin/knmt-nltest
fails=0
errf=$(mktemp) || exit 1
trap 'rm -f "$errf"' EXIT

if [ ! -x "$tool" ]; then
	echo "t-hostile: $tool is missing: build it with 'make nltest'"
	exit 1
fi
if [ "$(id -u)" != 0 ]; then
	echo "t-hostile: must run as root"
	exit 1
fi

bad() {
	echo "t-hostile: FAIL: $*"
	sed 's/^/    stderr: /' "$errf"
	fails=$((fails + 1))
}

# expect TEST ERRNO EXTACK
#   ERRNO   the errno expected (a number, 0 for success)
#   EXTACK  "" for no text, or a glob the text must match ("?*": any text)
expect() {
	local test=$1 want_errno=$2 want_extack=$3 out rc errno extack

	out=$("$tool" "$test" 2>"$errf")
	rc=$?
	echo "t-hostile: $test: $out"
	if [ $rc -ne 0 ]; then
		bad "$test: knmt-nltest exited $rc (no answer from the kernel?)"
		return
	fi
	case $out in
	errno=*" extack="*) ;;
	*) bad "$test: unexpected output '$out'"; return ;;
	esac
	errno=${out#errno=}
	errno=${errno%% *}
	extack=${out#* extack=}
	if [ "$errno" != "$want_errno" ]; then
		bad "$test: errno $errno, expected $want_errno"
	fi
	# shellcheck disable=SC2053 # want_extack is a glob
	if [ -z "$want_extack" ]; then
		if [ -n "$extack" ]; then
			echo "t-hostile: note: $test now has an extack text: '$extack'"
		fi
	elif [ -z "$extack" ]; then
		bad "$test: no extack message (expected one matching '$want_extack')"
	elif [[ $extack != $want_extack ]]; then
		bad "$test: extack '$extack' does not match '$want_extack'"
	fi
}

EINVAL=22
ERANGE=34
EOPNOTSUPP=95
ESRCH=3

expect status 0 ""
expect get-config 0 ""

# refused by the module's attribute policy (kernel core texts)
expect unknown-attr $EINVAL "*ttribute*"
expect bad-type $EINVAL "*length*"
expect out-of-range $ERANGE "*range*"
expect bad-attr-len $EINVAL "*leftover*"
# refused by the module's reject message
expect readonly $EINVAL "*procs_max*"
# refused by the core's header checks (resv_start_op = 0)
expect reserved $EINVAL "*reserved*"
expect bad-flags $EINVAL "*flags*"
# refused by the core without a text
# the per-process commands
expect proc-self 0 ""
expect dump-procs 0 ""
expect dump-exits 0 ""
expect proc-no-pid $EINVAL "*pid*required*"
expect proc-zero-pid $ERANGE "*range*"
expect proc-short-pid $EINVAL "*length*"
expect proc-missing $ESRCH "*no such process*"
expect regions-no-pid $EINVAL "*pid*required*"
expect procs-with-attr $EINVAL "*ttribute*"
# the socket listing: all, one, and malformed
expect dump-sockets 0 ""
expect sockets-self 0 ""
expect sockets-zero-pid $ERANGE "*range*"
expect sockets-missing $ESRCH "*no such process*"
expect sockets-bad-attr $EINVAL "*ttribute*"

expect unknown-cmd $EOPNOTSUPP ""
expect dump-status $EOPNOTSUPP ""
expect truncated $EINVAL ""

# dropped without an answer
out=$("$tool" --timeout 1000 truncated-len 2>"$errf")
rc=$?
echo "t-hostile: truncated-len: $out (exit $rc)"
if [ $rc -ne 1 ] || [ "$out" != "errno=none extack=" ]; then
	bad "truncated-len: expected no answer (exit 1, errno=none), got exit $rc '$out'"
fi

# only reported: the core does not look at the version field
out=$("$tool" bad-version 2>"$errf")
echo "t-hostile: bad-version (reported only): $out"

# root may join the events group
expect join-events 0 ""

# the module still answers after all of this
expect status 0 ""
if ! "$top/build/bin/knmt" status >/dev/null 2>"$errf"; then
	bad "knmt status fails after the hostile requests"
fi

if [ $fails -ne 0 ]; then
	echo "t-hostile: $fails check(s) failed"
	exit 1
fi
echo "t-hostile: all checks passed"
exit 0
