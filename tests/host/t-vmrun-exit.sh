#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/vm-run's command contract, on the host: exit statuses, output
# streaming, stdout/stderr separation, arguments and KNMT_* passed
# through, stdin, working directory, timeouts and usage errors.
#
# One boot uses the real build (make kmod/userspace, knmt.ko); the others
# use the stand-in module from tests/kmod.  KNMT_HOST_TEST_KERNEL picks
# the kernel series (default 6.1).

# Single quotes below keep $ signs for the guest on purpose.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR source=lib-vmrun.sh
. "$(dirname "$0")/lib-vmrun.sh"

series=${KNMT_HOST_TEST_KERNEL:-6.1}
rel=$(release "$series") || true
if [[ -z $rel ]]; then
	not_ok "vm-run: kernel $series installed (run scripts/deps)"
	exit 1
fi
if ! kdir=$(test_kmods "$rel"); then
	not_ok "vm-run: build tests/kmod for $rel"
	exit 1
fi
DUMMY_KO=$kdir/knmt_dummy_test.ko

# --- the real build: vm-run -- true ------------------------------------------
rc=0
"$vmrun" --kernel "$series" -- true </dev/null >"$work/out" 2>"$work/err" || rc=$?
check "vm-run -- true exits 0 (knmt.ko and the CLI built, loaded, unloaded)" \
	test "$rc" = 0

# --- exit statuses -------------------------------------------------------------
vm_run --kernel "$series" -- false
check "vm-run -- false exits 1" test "$rc" = 1

vm_run --kernel "$series" -- sh -c 'kill -9 $$'
check "vm-run: a command killed by SIGKILL gives 137" test "$rc" = 137

# --- one boot, many checks: exit 7, streaming, stderr, args, env, stdin, cwd ---
probe='pwd
printf "%s|" "$@"; echo
printf "%s\n" "$KNMT_HOSTTEST_VAR"
echo to-stderr >&2
cat
echo first
sleep 6
echo second
exit 7'
(
	cd "$top/tests" || exit 1
	# stdin is an endless stream: the command must get /dev/null instead.
	yes | KNMT_HOSTTEST_VAR='a b$c "d"' KNMT_VM_NOBUILD=1 KNMT_KO=$DUMMY_KO \
		"$vmrun" --kernel "$series" -- sh -c "$probe" sh 'a b' "c'd" '$HOME' '' 2>"$work/err"
	echo "${PIPESTATUS[1]}" >"$work/rc"
) | while IFS= read -r line; do
	printf '%s %s\n' "$EPOCHREALTIME" "$line"
done >"$work/stamped"
rc=$(cat "$work/rc")
sed 's/^[0-9.]* //' "$work/stamped" >"$work/out"

check "vm-run -- sh -c '... exit 7' exits 7" test "$rc" = 7

expected="$top/tests
a b|c'd|\$HOME||
a b\$c \"d\"
first
second"
check "vm-run: stdout is exactly the command's stdout (no boot noise)" \
	test "$(cat "$work/out")" = "$expected"
check "vm-run: the command's stderr goes to stderr" \
	grep -qx 'to-stderr' "$work/err"
check "vm-run: stderr has nothing but the command's stderr on success" \
	test "$(grep -cvx 'to-stderr' "$work/err")" = 0
t_first=$(awk '$2 == "first" { print $1 }' "$work/stamped")
t_second=$(awk '$2 == "second" { print $1 }' "$work/stamped")
check "vm-run: output is streamed while the command runs" \
	awk -v a="${t_first:-0}" -v b="${t_second:-0}" 'BEGIN { exit !(a > 0 && b - a >= 4) }'

# --- working directories -------------------------------------------------------
# Under /tmp: the guest has its own /tmp, and vm-run carries the directory in.
mkdir -p "$work/here"
rc=0
(cd "$work/here" && KNMT_VM_NOBUILD=1 KNMT_KO=$DUMMY_KO "$vmrun" --kernel "$series" -- pwd) \
	</dev/null >"$work/out" 2>"$work/err" || rc=$?
check "vm-run: a working directory under the host's /tmp is the command's" \
	test "$rc:$(cat "$work/out")" = "0:$work/here"
# Under /dev/shm: a tmpfs of the guest's own, so the directory is missing.
elsewhere=$(mktemp -d /dev/shm/knmt-vmrun.XXXXXX)
rc=0
(cd "$elsewhere" && KNMT_VM_NOBUILD=1 KNMT_KO=$DUMMY_KO "$vmrun" --kernel "$series" -- pwd) \
	</dev/null >"$work/out" 2>"$work/err" || rc=$?
rmdir "$elsewhere"
check "vm-run: a working directory missing in the guest falls back to /" \
	test "$rc:$(cat "$work/out")" = "0:/"

# --- timeouts -------------------------------------------------------------------
start=$SECONDS
vm_run --kernel "$series" --timeout 30 -- sh -c 'echo started; exec sleep 1000'
took=$((SECONDS - start))
check "vm-run --timeout 30 -- sleep 1000 exits 124 in time ($took s)" \
	test "$rc" = 124 -a "$took" -lt 60
check "vm-run: the timeout is reported" grep -q 'timeout' "$work/err"
check "vm-run: output before a timeout is kept" grep -qx 'started' "$work/out"

start=$SECONDS
vm_run --kernel "$series" --timeout 3 -- true
took=$((SECONDS - start))
check "vm-run --timeout 3 kills a guest that cannot even boot (124, $took s)" \
	test "$rc" = 124 -a "$took" -lt 20

# --- usage errors (no boot) ---------------------------------------------------
status_and_message() { test "$rc" = "$1" && grep -q "$2" "$work/err"; }
vm_run --kernel 9.9 -- true
check "vm-run --kernel 9.9: exit 125 and says to run scripts/deps" \
	status_and_message 125 'scripts/deps'
vm_run
check "vm-run without a command: exit 125" test "$rc" = 125
vm_run --timeout soon -- true
check "vm-run --timeout soon: exit 125" test "$rc" = 125

finish
