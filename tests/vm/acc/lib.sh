# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers of the accuracy tests (tests/vm/t-acc-*.sh), sourced after
# tests/vm/lib.sh:
#
#   . "$(dirname "$0")/lib.sh"
#   . "$(dirname "$0")/acc/lib.sh"
#
# A workload runs in the background with its stdin on a FIFO the test
# holds open (acc_send writes a line to it) and its stdout and stderr in
# files of ACC_DIR; acc_wait_line waits for a line of its stdout.  Every
# workload is started after knmt.ko was loaded (vm-run loads it before the
# test runs), so knmt tracks it from its exec.  acc_cleanup (an EXIT trap)
# kills what is left and restores the THP setting.

ACC_DIR=$(mktemp -d /tmp/knmt-acc.XXXXXX)
ACC_WORKLOADS=${KNMT_WORKLOADS:-$KNMT_TOP/build/workloads}
# shellcheck disable=SC2034 # used by the tests
ACC_CHECK=$KNMT_TOP/tests/vm/acc/check_accuracy.py
ACC_PIDS=()
ACC_THP_SAVED=''
ACC_CLEANUPS=()

acc_cleanup() {
	local p c
	for c in "${ACC_CLEANUPS[@]}"; do
		eval "$c" || true
	done
	for p in "${ACC_PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null || true
	done
	if [[ -n $ACC_THP_SAVED ]]; then
		echo "$ACC_THP_SAVED" >/sys/kernel/mm/transparent_hugepage/enabled || true
	fi
	rm -rf "$ACC_DIR"
}
trap acc_cleanup EXIT

# acc_on_exit CMD: run CMD (a string) when the test ends.
acc_on_exit() { ACC_CLEANUPS+=("$1"); }

# acc_need FILE: the workload FILE must be built.
acc_need() {
	[[ -e $ACC_WORKLOADS/$1 ]] ||
		fail "$ACC_WORKLOADS/$1 is missing: make -C tests/workloads O=$ACC_WORKLOADS (on the host)"
}

# acc_thp_set MODE: transparent_hugepage/enabled for the test's duration.
acc_thp_set() {
	local f=/sys/kernel/mm/transparent_hugepage/enabled cur
	[[ -w $f ]] || return 0
	cur=$(<"$f")
	cur=${cur#*[}
	ACC_THP_SAVED=${cur%%]*}
	echo "$1" >"$f"
}

# acc_start NAME CMD [ARGS...]: start a workload; sets ACC_PID.  Its
# stdin is the FIFO $ACC_DIR/NAME.ctl, its output NAME.out and NAME.err.
ACC_PID=''
acc_start() {
	local name=$1 fd
	shift
	mkfifo "$ACC_DIR/$name.ctl"
	exec {fd}<>"$ACC_DIR/$name.ctl"
	eval "ACC_FD_$name=$fd"
	"$@" <"$ACC_DIR/$name.ctl" >"$ACC_DIR/$name.out" 2>"$ACC_DIR/$name.err" &
	ACC_PID=$!
	ACC_PIDS+=("$ACC_PID")
}

# acc_send NAME [LINE]: write LINE (default "go") to the workload's stdin.
acc_send() {
	local v="ACC_FD_$1"
	echo "${2:-go}" >&"${!v}"
}

# acc_wait_line NAME ERE [SECONDS]: wait until a line of NAME's stdout
# matches ERE; prints the last such line.  Fails the test on timeout or if
# the workload died.
acc_wait_line() {
	local name=$1 re=$2 t=${3:-60} i line
	for ((i = 0; i < t * 10; i++)); do
		line=$(grep -E -- "$re" "$ACC_DIR/$name.out" 2>/dev/null | tail -n 1) || true
		if [[ -n $line ]]; then
			printf '%s\n' "$line"
			return 0
		fi
		if ! kill -0 "$ACC_PID" 2>/dev/null && ! grep -qE -- "$re" "$ACC_DIR/$name.out"; then
			fail "$name died before printing /$re/: $(tail -c 2000 "$ACC_DIR/$name.err")"
		fi
		sleep 0.1
	done
	fail "$name printed no /$re/ in $t s; stdout: $(tail -c 1000 "$ACC_DIR/$name.out"); stderr: $(tail -c 1000 "$ACC_DIR/$name.err")"
}

# acc_wait_exit PID [SECONDS]: wait for a background workload to end;
# sets ACC_STATUS to its exit status.
# shellcheck disable=SC2034 # read by the tests
ACC_STATUS=''
acc_wait_exit() {
	local pid=$1 t=${2:-30} i
	for ((i = 0; i < t * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$pid" 2>/dev/null && fail "pid $pid did not exit in $t s"
	ACC_STATUS=0
	# shellcheck disable=SC2034 # read by the tests
	wait "$pid" || ACC_STATUS=$?
}
