# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for the host-side tests of scripts/vm-run (tests/host/t-vmrun-*.sh).
# They test the bench itself, so most runs load the clean stand-in module
# tests/kmod/knmt_dummy_test.ko (KNMT_KO) instead of knmt.ko and skip the
# knmt build (KNMT_VM_NOBUILD=1); a knmt bug then cannot fail them.

set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
vmrun=$top/scripts/vm-run
failures=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ok() { echo "ok - $*"; }
not_ok() {
	echo "not ok - $*"
	failures=$((failures + 1))
}

# check NAME COMMAND...: "ok - NAME" when COMMAND succeeds.
check() {
	local name=$1
	shift
	if "$@"; then
		ok "$name"
	else
		not_ok "$name"
		show_last
	fi
}

# The output of the last vm_run, indented, for a failure report.
show_last() {
	echo "    vm-run exit status: ${rc:-?}"
	sed 's/^/    stdout: /' "$work/out" 2>/dev/null | head -n 40
	sed 's/^/    stderr: /' "$work/err" 2>/dev/null | head -n 60
}

# release SERIES: the release vm-run boots for a series, or "".
release() { "$vmrun" --resolve-kernel "$1" 2>/dev/null; }

# test_kmods REL: build tests/kmod for REL (as make test-kmods does) and
# print the output directory.
test_kmods() {
	local out=$top/build/kmod/$1/tests
	make -s -C "$top/tests/kmod" KVER="$1" O="$out" >"$work/kmod-build.log" 2>&1 || {
		sed 's/^/    /' "$work/kmod-build.log" >&2
		return 1
	}
	echo "$out"
}

# vm_run ARGS...: run vm-run with the stand-in module; sets rc, and
# leaves stdout in $work/out and stderr in $work/err.  Set DUMMY_KO first.
vm_run() {
	rc=0
	KNMT_VM_NOBUILD=1 KNMT_KO=$DUMMY_KO "$vmrun" "$@" </dev/null >"$work/out" 2>"$work/err" || rc=$?
}

finish() {
	((failures == 0))
}
