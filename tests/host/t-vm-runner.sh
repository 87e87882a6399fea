#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/run and tests/vm/lib.sh on the host, without booting: a copy of
# the runner next to synthetic tests that pass, fail, skip, hang, read
# stdin, and use the assertion and JSON helpers.

# The synthetic tests are written in single quotes on purpose.
# shellcheck disable=SC2016

set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

ok() { echo "ok - $*"; }
not_ok() {
	echo "not ok - $*"
	failures=$((failures + 1))
}
expect() {
	local name=$1
	shift
	if "$@"; then
		ok "$name"
	else
		not_ok "$name"
		sed 's/^/    | /' "$work/out"
	fi
}

d=$work/tests/vm
mkdir -p "$d"
cp "$top/tests/vm/run" "$top/tests/vm/lib.sh" "$d/"

mk() {
	printf '#!/usr/bin/env bash\n. "$(dirname "$0")/lib.sh"\n%s\n' "$2" >"$d/t-$1.sh"
	chmod +x "$d/t-$1.sh"
}
mk pass 'assert_eq 1 1; assert_match "abc" "^a.c$"; assert_status 3 sh -c "echo out; echo err >&2; exit 3"; assert_eq "$OUT:$ERR" "out:err"'
mk fail 'echo some output; assert_eq "$(echo 2)" 3 "two"'
mk skip 'skip "not today"'
mk hang 'sleep 100'
mk stdin 'x=$(cat); assert_eq "$x" ""'
mk json 'j='"'"'{"version": "1.2", "hooks": [{"name": "fork", "hits": 3}], "n": null}'"'"'
json_valid "$j" || fail invalid
assert_eq "$(json_get "$j" .version)" 1.2
assert_eq "$(json_get "$j" ".hooks[0].name")" fork
assert_eq "$(json_len "$j" .hooks)" 1
assert_eq "$(json_type "$j" .n)" null
json_has "$j" .hooks || fail "has hooks"
! json_has "$j" .nope || fail "has nope"
json_assert "$j" .hooks "all(h[\"hits\"] > 0 for h in d)"
! json_valid "{" || fail "{ is valid?"'
printf '#!/bin/sh\nexit 1\n' >"$d/t-notexec.sh" # not executable: not run

rc=0
KNMT_TEST_TIMEOUT=3 "$d/run" </dev/null >"$work/out" 2>&1 || rc=$?
expect "runner: exits non-zero when a test failed" test "$rc" != 0
expect "runner: ok line for a passing test" grep -qx 'ok - t-pass' "$work/out"
expect "runner: not ok line for a failing test, output indented" \
	grep -q -A3 '^not ok - t-fail' "$work/out"
expect "runner: the failing test's output is shown indented" \
	grep -qx '    some output' "$work/out"
expect "runner: the failing assertion's message is shown" \
	grep -q "two: expected '3', got '2'" "$work/out"
expect "runner: exit 77 is a skip with its reason" \
	grep -qx 'ok - t-skip # SKIP not today' "$work/out"
expect "runner: a hanging test times out" \
	grep -q '^not ok - t-hang (timed out after 3 s)' "$work/out"
expect "runner: tests get stdin /dev/null" grep -qx 'ok - t-stdin' "$work/out"
expect "runner: JSON helpers" grep -qx 'ok - t-json' "$work/out"
expect "runner: non-executable files are not run" \
	sh -c '! grep -q notexec "$1"' sh "$work/out"
expect "runner: last line is the summary" \
	test "$(tail -n 1 "$work/out")" = "3 passed, 2 failed, 1 skipped"

rc=0
"$d/run" pass json </dev/null >"$work/out" 2>&1 || rc=$?
expect "runner: patterns select tests, exit 0 when all pass" \
	test "$rc:$(tail -n 1 "$work/out")" = "0:2 passed, 0 failed"
expect "runner: only the selected tests run" test "$(grep -c '^ok - ' "$work/out")" = 2

rc=0
"$d/run" nosuchtest </dev/null >"$work/out" 2>&1 || rc=$?
expect "runner: no matching test is a failure" test "$rc" != 0

((failures == 0))
