# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for the in-guest tests (tests/vm/t-*.sh), sourced as
#
#   . "$(dirname "$0")/lib.sh"
#
# A test exits 0 on success, non-zero on failure (fail() does that with a
# message), 77 to be skipped (skip()).  Tests run as root in the guest
# that scripts/vm-run boots, with the module under test loaded; vm-run
# sets KNMT_MODULE (its name), KNMT_KO_PATH (its .ko) and
# KNMT_VM_KERNEL.  JSON helpers use python3 (the host's, seen through
# the guest's root).

set -euo pipefail

# shellcheck disable=SC2034 # used by the tests
KNMT_TOP=${KNMT_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
KNMT_MODULE=${KNMT_MODULE:-knmt}

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "SKIP: $*"
	exit 77
}

# assert_eq ACTUAL EXPECTED [WHAT]
assert_eq() {
	[[ $1 == "$2" ]] || fail "${3:-value}: expected '$2', got '$1'"
}

# assert_ne ACTUAL UNEXPECTED [WHAT]
assert_ne() {
	[[ $1 != "$2" ]] || fail "${3:-value}: got '$1', expected anything else"
}

# assert_match TEXT ERE [WHAT]
assert_match() {
	[[ $1 =~ $2 ]] || fail "${3:-text} does not match /$2/: '$1'"
}

# assert_no_match TEXT ERE [WHAT]
assert_no_match() {
	! [[ $1 =~ $2 ]] || fail "${3:-text} matches /$2/: '$1'"
}

# assert_file PATH / assert_dir PATH / assert_no_dir PATH
assert_file() { [[ -f $1 ]] || fail "no file $1"; }
assert_dir() { [[ -d $1 ]] || fail "no directory $1"; }
assert_no_dir() { [[ ! -e $1 ]] || fail "$1 exists"; }

# run CMD [ARGS...]: runs CMD without stopping the test on failure and
# sets OUT (stdout), ERR (stderr) and STATUS (exit status).
OUT=''
ERR=''
STATUS=0
run() {
	local e
	e=$(mktemp)
	STATUS=0
	OUT=$("$@" 2>"$e") || STATUS=$?
	ERR=$(<"$e")
	rm -f "$e"
}

# assert_status EXPECTED CMD [ARGS...]: run CMD, check its exit status.
assert_status() {
	local want=$1
	shift
	run "$@"
	[[ $STATUS == "$want" ]] ||
		fail "'$*' exited $STATUS, expected $want; stdout: ${OUT:0:2000}; stderr: ${ERR:0:2000}"
}

# assert_ok CMD [ARGS...]: run CMD, it must exit 0.
assert_ok() { assert_status 0 "$@"; }

have() { command -v "$1" >/dev/null 2>&1; }

require_root() { ((EUID == 0)) || skip "needs root"; }
require_cmd() { have "$1" || skip "needs $1"; }

# The bench may run a stand-in module (KNMT_KO); knmt tests need knmt.
require_knmt() {
	[[ $KNMT_MODULE == knmt ]] || skip "the bench loaded $KNMT_MODULE, not knmt"
	have knmt || fail "knmt CLI not on PATH ($PATH); build it with make userspace"
}

# module_loaded: the module under test is loaded.
module_loaded() { [[ -d /sys/module/$KNMT_MODULE ]]; }

# reload_module: insmod the module under test again if it is not loaded.
reload_module() {
	module_loaded && return 0
	[[ -n ${KNMT_KO_PATH:-} ]] || fail "KNMT_KO_PATH not set: cannot reload $KNMT_MODULE"
	insmod "$KNMT_KO_PATH" || fail "insmod $KNMT_KO_PATH failed"
}

# module_unload: rmmod the module under test if it is loaded, retried for
# up to 10 s while a reader in the middle of a request holds it.
module_unload() {
	local i
	for ((i = 0; i < 100; i++)); do
		module_loaded || return 0
		rmmod "$KNMT_MODULE" 2>/dev/null && return 0
		sleep 0.1
	done
	fail "rmmod $KNMT_MODULE did not succeed within 10 s"
}

# module_reload_with [NAME=VALUE...]: unload the module under test (retried
# for up to 10 s while a reader in the middle of a request holds it) and
# load it again with these parameters (none: its defaults).
module_reload_with() {
	[[ -n ${KNMT_KO_PATH:-} ]] || fail "KNMT_KO_PATH not set: cannot reload $KNMT_MODULE"
	module_unload
	insmod "$KNMT_KO_PATH" "$@" || fail "insmod $KNMT_KO_PATH $* failed"
}

# --- JSON (python3) --------------------------------------------------------

_json_py='
import json, re, sys

def walk(doc, path):
    for key, idx in re.findall(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(-?[0-9]+)\]", path):
        doc = doc[key] if key else doc[int(idx)]
    return doc

def show(v):
    if isinstance(v, str):
        return v
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    return json.dumps(v, sort_keys=True)

op, path = sys.argv[1], sys.argv[2]
try:
    doc = json.load(sys.stdin)
except ValueError as e:
    print("invalid JSON: %s" % e, file=sys.stderr)
    sys.exit(2)
try:
    v = walk(doc, path)
except (KeyError, IndexError, TypeError):
    if op == "has":
        sys.exit(1)
    print("no %s in the JSON" % path, file=sys.stderr)
    sys.exit(3)
if op == "get":
    print(show(v))
elif op == "len":
    print(len(v))
elif op == "type":
    print({dict: "object", list: "array", str: "string", bool: "boolean",
           int: "number", float: "number", type(None): "null"}[type(v)])
elif op == "keys":
    print("\n".join(sorted(v)))
elif op == "has":
    sys.exit(0)
elif op == "check":
    sys.exit(0)
elif op == "eval":
    ok = eval(sys.argv[3], {"d": v, "re": re})
    sys.exit(0 if ok else 1)
'

# json_valid JSON: exit 0 when JSON parses.
json_valid() { python3 -S -c 'import json,sys; json.loads(sys.stdin.read())' <<<"$1" 2>/dev/null; }

# json_get JSON PATH: print the value at PATH (".a.b[0].c"; "" is the
# whole document); strings raw, null/true/false as such, containers as
# JSON.  Fails the test when JSON is invalid or PATH missing.
json_get() { python3 -S -c "$_json_py" get "$2" <<<"$1" || fail "json_get $2 failed"; }

# json_len JSON PATH: number of elements of the array/object at PATH.
json_len() { python3 -S -c "$_json_py" len "$2" <<<"$1" || fail "json_len $2 failed"; }

# json_type JSON PATH: object, array, string, number, boolean or null.
json_type() { python3 -S -c "$_json_py" type "$2" <<<"$1" || fail "json_type $2 failed"; }

# json_keys JSON PATH: the keys of the object at PATH, one a line, sorted.
json_keys() { python3 -S -c "$_json_py" keys "$2" <<<"$1" || fail "json_keys $2 failed"; }

# json_has JSON PATH: exit 0 when PATH exists (no failure otherwise).
json_has() { python3 -S -c "$_json_py" has "$2" <<<"$1" 2>/dev/null; }

# json_assert JSON PATH PYEXPR [WHAT]: PYEXPR, with d bound to the value
# at PATH, must be true, e.g. json_assert "$j" .hooks 'len(d) > 0'.
json_assert() {
	python3 -S -c "$_json_py" eval "$2" "$3" <<<"$1" ||
		fail "${4:-JSON check} failed: $2: $3"
}
