#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# knmt-timeout: 3600
#
# DKMS by hand from the tree, in the throwaway guest, as README.md tells a
# host owner without the Debian packages:
#
#  - scripts/dkms-install: a source tree in /usr/src/knmt-VERSION, then
#    dkms add, dkms build and dkms install for the running kernel (dkms
#    status: installed; /lib/modules/REL/updates/dkms/knmt.ko with REL's
#    vermagic; modinfo -n knmt names it);
#  - modprobe knmt loads that module; knmt status talks to it;
#  - dkms uninstall: the module leaves /lib/modules/REL, DKMS keeps it
#    built; modprobe finds no knmt;
#  - scripts/dkms-install --remove: nothing of knmt is left in DKMS nor
#    in /usr/src.
#
# knmt.ko from build/ (the bench's) is loaded again at the end, whatever
# happens.  The build takes minutes under TCG: hence the timeout, and the
# same switch as t-deb (KNMT_TEST_DEB=1; make stress sets it).  Skipped
# without headers for the running kernel (the debug kernel).

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
[[ ${KNMT_TEST_DEB:-0} == 1 ]] || skip "builds knmt.ko under TCG: KNMT_TEST_DEB=1 runs it"
[[ ${KNMT_VM:-0} == 1 ]] || skip "installs a module: only in the bench's throwaway guest (KNMT_VM=1)"
[[ -n ${KNMT_KO_PATH:-} ]] || skip "KNMT_KO_PATH not set (run through scripts/vm-run)"
[[ $KNMT_MODULE == knmt ]] || skip "the bench loaded $KNMT_MODULE, not knmt"
require_cmd dkms
require_knmt

rel=$(uname -r)
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$KNMT_TOP/dkms.conf")
[[ -e /lib/modules/$rel/build/include ]] ||
	skip "no headers for the running kernel $rel in /lib/modules: DKMS cannot build for it"
module_loaded || fail "knmt is not loaded at the start"

log=$(mktemp)
dkms_loaded=0
ko_dir=/lib/modules/$rel/updates/dkms

cleanup() {
	set +e
	if ((dkms_loaded)) && module_loaded; then
		rmmod knmt
	fi
	"$KNMT_TOP/scripts/dkms-install" --remove >/dev/null 2>&1
	rm -f "$log"
	reload_module
}
trap cleanup EXIT

dkms_ko() { find "$ko_dir" -name 'knmt.ko*' -print -quit 2>/dev/null || true; }

# The packages, or an earlier install by hand, would be in the way.
if dpkg-query -W knmt-dkms >/dev/null 2>&1; then
	dpkg --purge knmt knmt-dkms >"$log" 2>&1 || fail "dpkg --purge of the host's knmt: $(tail -n 20 "$log")"
fi
"$KNMT_TOP/scripts/dkms-install" --remove >"$log" 2>&1 ||
	fail "scripts/dkms-install --remove before the test: $(tail -n 20 "$log")"

module_unload

# --- dkms add, build, install ------------------------------------------------

start=$SECONDS
"$KNMT_TOP/scripts/dkms-install" -k "$rel" >"$log" 2>&1 ||
	fail "scripts/dkms-install -k $rel failed: $(tail -n 60 "$log")"
echo "# dkms add, build and install took $((SECONDS - start)) s"
assert_file "/usr/src/knmt-$ver/dkms.conf"
assert_ok dkms status -m knmt -v "$ver" -k "$rel"
assert_match "$OUT" ": installed" "dkms status -k $rel after dkms install"
ko=$(dkms_ko)
[[ -n $ko ]] || fail "no knmt.ko in $ko_dir after dkms install"
assert_ok modinfo -F vermagic "$ko"
assert_eq "${OUT%% *}" "$rel" "vermagic of $ko"
assert_ok modinfo -n knmt
assert_eq "$OUT" "$ko" "the module modprobe would load"

# --- modprobe, knmt status ---------------------------------------------------

assert_ok modprobe knmt
dkms_loaded=1
module_loaded || fail "knmt is not loaded after modprobe knmt"
assert_ok knmt status --json
j=$OUT
assert_eq "$(json_get "$j" .version)" "$ver" "knmt status --json: version"
assert_eq "$(json_get "$j" .release_built)" "$rel" "knmt status --json: release_built"
json_assert "$j" .hooks 'isinstance(d, list) and len(d) > 0' "knmt status --json: hooks"
assert_ok knmt status
[[ -n $OUT ]] || fail "knmt status printed nothing"

# --- dkms uninstall, then remove ---------------------------------------------

assert_ok rmmod knmt
dkms_loaded=0
assert_ok dkms uninstall -m knmt -v "$ver" -k "$rel"
assert_ok dkms status -m knmt -v "$ver" -k "$rel"
assert_match "$OUT" ": built" "dkms status -k $rel after dkms uninstall"
ko=$(dkms_ko)
[[ -z $ko ]] || fail "dkms uninstall left $ko"
run modprobe -n knmt
[[ $STATUS != 0 ]] || fail "modprobe still finds knmt after dkms uninstall: $OUT"

assert_ok "$KNMT_TOP/scripts/dkms-install" --remove
assert_ok dkms status -m knmt
assert_eq "$OUT" "" "dkms status -m knmt after scripts/dkms-install --remove"
assert_no_dir "/var/lib/dkms/knmt"
assert_no_dir "/usr/src/knmt-$ver"

# --- the bench's module again ------------------------------------------------

assert_ok insmod "$KNMT_KO_PATH"
module_loaded || fail "knmt is not loaded after insmod $KNMT_KO_PATH"
