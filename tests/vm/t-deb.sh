#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# knmt-timeout: 3600
#
# The Debian packages of build/deb/ (make deb; tests/host/t-deb.sh builds
# them) installed in the throwaway guest:
#
#  - dpkg -i knmt-dkms and knmt: the postinst runs DKMS, which builds and
#    installs knmt.ko for the running kernel (dkms status: installed,
#    /lib/modules/REL/updates/dkms/knmt.ko with REL's vermagic);
#  - /etc/modprobe.d/knmt.conf comes with every line commented out; an
#    options line added to it takes effect on modprobe knmt
#    (/sys/module/knmt/parameters/, knmt status --json);
#  - /usr/bin/knmt status works against the DKMS-built module;
#  - knmt-report.service is installed, runs /usr/bin/knmt, is not enabled;
#  - a kernel installed later: /etc/kernel/postinst.d/dkms (what the
#    kernel package's postinst runs) for the other installed Debian kernel
#    builds and installs knmt for it;
#  - dpkg -r removes the modules of every kernel and DKMS's state, dpkg
#    --purge the configuration files.
#
# knmt.ko from build/ (the bench's) is loaded again at the end, whatever
# happens.  Each DKMS build takes minutes under TCG: hence the timeout.
# Skipped when build/deb/ has no packages, or without headers for the
# running kernel (the debug kernel), and unless KNMT_TEST_DEB=1: the
# builds would double the time of make check's VM suite.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
[[ ${KNMT_TEST_DEB:-0} == 1 ]] || skip "builds knmt.ko twice under TCG: KNMT_TEST_DEB=1 runs it"
[[ ${KNMT_VM:-0} == 1 ]] || skip "installs packages: only in the bench's throwaway guest (KNMT_VM=1)"
[[ -n ${KNMT_KO_PATH:-} ]] || skip "KNMT_KO_PATH not set (run through scripts/vm-run)"
[[ $KNMT_MODULE == knmt ]] || skip "the bench loaded $KNMT_MODULE, not knmt"

rel=$(uname -r)
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$KNMT_TOP/dkms.conf")
arch=$(dpkg --print-architecture)
knmt_deb=$KNMT_TOP/build/deb/knmt_${ver}_$arch.deb
dkms_deb=$KNMT_TOP/build/deb/knmt-dkms_${ver}_all.deb

[[ -f $knmt_deb && -f $dkms_deb ]] ||
	skip "no build/deb/knmt_${ver}_$arch.deb and knmt-dkms_${ver}_all.deb (make deb)"
require_cmd dkms
[[ -e /lib/modules/$rel/build/include ]] ||
	skip "no headers for the running kernel $rel in /lib/modules: DKMS cannot build for it"
module_loaded || fail "knmt is not loaded at the start"

# The other installed Debian kernel with headers, for the autoinstall check.
other=
for d in /lib/modules/6.1.*-amd64 /lib/modules/6.12.*-amd64; do
	k=${d#/lib/modules/}
	[[ $k == *-rt-amd64 || $k == "$rel" || ! -e $d/build/include ]] && continue
	other=$k
	break
done

# pkg_state PKG: dpkg's abbreviated state ("ii ", "rc ", ...), or nothing.
pkg_state() { dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null || true; }
installed() { [[ $(pkg_state "$1") == ii* ]]; }
# present PKG: installed, or its configuration files left.
present() {
	local s
	s=$(pkg_state "$1")
	[[ -n $s && ${s:1:1} != n ]]
}
dkms_ko() { find "/lib/modules/$1/updates/dkms" -name 'knmt.ko*' -print -quit 2>/dev/null || true; }
dkms_state() { dkms status -m knmt -v "$ver" -k "$1" 2>/dev/null || true; }
# dkms_installed REL WHEN: DKMS says installed for REL, and its knmt.ko
# there has REL's vermagic.
dkms_installed() {
	local ko
	assert_ok dkms status -m knmt -v "$ver" -k "$1"
	assert_match "$OUT" ": installed" "dkms status -k $1 $2"
	ko=$(dkms_ko "$1")
	[[ -n $ko ]] || fail "no knmt.ko in /lib/modules/$1/updates/dkms $2: $(tail -n 30 "$log")"
	assert_ok modinfo -F vermagic "$ko"
	assert_eq "${OUT%% *}" "$1" "vermagic of $ko"
}

# dkms's common.postinst builds for the running kernel and for the newest
# kernel of /boot (here a PREEMPT_RT one): a build more, of minutes under
# TCG, that tests nothing of knmt's.  So that it builds for the running
# kernel only, the other kernels' configs are set aside (in the guest's
# overlay) while the packages are installed.
hidden=$(mktemp -d)
log=$(mktemp)
dkms_loaded=0

cleanup() {
	set +e
	if ((dkms_loaded)) && module_loaded; then
		rmmod knmt
	fi
	mv "$hidden"/config-* /boot/ 2>/dev/null
	if present knmt || present knmt-dkms; then
		dpkg --purge knmt knmt-dkms >/dev/null 2>&1
	fi
	rm -rf "$hidden" "$log"
	reload_module
}
trap cleanup EXIT

# A knmt that scripts/dkms-install registered on the host would be in
# the way: the guest's copy of it goes.
if [[ -d /var/lib/dkms/knmt ]]; then
	"$KNMT_TOP/scripts/dkms-install" --remove >"$log" 2>&1 ||
		fail "scripts/dkms-install --remove: $(tail -n 20 "$log")"
fi
if present knmt || present knmt-dkms; then
	dpkg --purge knmt knmt-dkms >"$log" 2>&1 || fail "dpkg --purge of the host's knmt: $(tail -n 20 "$log")"
fi
# So would the configuration files of a manual install (README.md): dpkg
# would ask what to do with them.
rm -f /etc/modprobe.d/knmt.conf /etc/knmt/knmt-report.conf

for c in /boot/config-*; do
	[[ -e $c && $c != "/boot/config-$rel" ]] && mv "$c" "$hidden/"
done

# The bench's module goes; the package's takes its place.
module_unload

# --- install ----------------------------------------------------------------

start=$SECONDS
DEBIAN_FRONTEND=noninteractive dpkg -i "$dkms_deb" "$knmt_deb" >"$log" 2>&1 ||
	fail "dpkg -i knmt-dkms knmt failed: $(tail -n 60 "$log")"
echo "# dpkg -i took $((SECONDS - start)) s"
mv "$hidden"/config-* /boot/ 2>/dev/null || true

installed knmt-dkms || fail "knmt-dkms is not installed after dpkg -i"
installed knmt || fail "knmt is not installed after dpkg -i"

dkms_installed "$rel" "after dpkg -i"
assert_ok modinfo -n knmt
[[ $OUT == "/lib/modules/$rel/updates/dkms/knmt.ko"* ]] ||
	fail "modprobe would load $OUT, not the DKMS module of /lib/modules/$rel/updates/dkms"

# --- /etc/modprobe.d/knmt.conf and modprobe ----------------------------------

conf=/etc/modprobe.d/knmt.conf
assert_file "$conf"
active=$(grep -vE '^[[:space:]]*(#|$)' "$conf" || true)
assert_eq "$active" "" "uncommented lines in the packaged $conf"
echo "options knmt procs_max=4096 sample_ms=500" >>"$conf"

assert_ok modprobe knmt
dkms_loaded=1
module_loaded || fail "knmt is not loaded after modprobe knmt"
assert_eq "$(cat /sys/module/knmt/parameters/procs_max)" 4096 "procs_max from $conf"
assert_eq "$(cat /sys/module/knmt/parameters/sample_ms)" 500 "sample_ms from $conf"

# --- the packaged CLI --------------------------------------------------------

assert_file /usr/bin/knmt
assert_ok /usr/bin/knmt status
[[ -n $OUT ]] || fail "/usr/bin/knmt status printed nothing"
assert_ok /usr/bin/knmt status --json
j=$OUT
assert_eq "$(json_get "$j" .version)" "$ver" "knmt status --json: version"
assert_eq "$(json_get "$j" .release_running)" "$rel" "knmt status --json: release_running"
assert_eq "$(json_get "$j" .release_built)" "$rel" "knmt status --json: release_built"
assert_eq "$(json_get "$j" .procs_max)" 4096 "knmt status --json: procs_max"
json_assert "$j" .hooks 'isinstance(d, list) and len(d) > 0' "knmt status --json: hooks"

# --- the unit, without systemd -------------------------------------------------

unit=/lib/systemd/system/knmt-report.service
assert_file "$unit"
grep -qx 'ExecStart=/usr/bin/knmt report --config /etc/knmt/knmt-report.conf' "$unit" ||
	fail "$unit: ExecStart is not /usr/bin/knmt report: $(grep -n ExecStart "$unit")"
for w in /etc/systemd/system/*.wants/knmt-report.service; do
	if [[ -e $w || -L $w ]]; then
		fail "knmt-report.service is enabled: $w"
	fi
done
assert_file /etc/knmt/knmt-report.conf
assert_file /usr/share/man/man8/knmt.8.gz
assert_file /usr/share/man/man4/knmt.4.gz
assert_file /usr/share/bash-completion/completions/knmt

# --- a kernel installed later ------------------------------------------------

if [[ -n $other ]]; then
	# Not built for it yet (the install above built for $rel only).
	st=$(dkms_state "$other")
	if [[ $st == *": installed"* || $st == *": built"* ]]; then
		dkms remove -m knmt -v "$ver" -k "$other" >"$log" 2>&1 ||
			fail "dkms remove -k $other: $(tail -n 20 "$log")"
	fi
	start=$SECONDS
	/etc/kernel/postinst.d/dkms "$other" >"$log" 2>&1 ||
		fail "/etc/kernel/postinst.d/dkms $other failed: $(tail -n 40 "$log")"
	echo "# /etc/kernel/postinst.d/dkms $other took $((SECONDS - start)) s"
	dkms_installed "$other" "after its postinst.d hook"
else
	echo "# no other Debian kernel with headers: the autoinstall check did not run"
fi

# --- removal -----------------------------------------------------------------

assert_ok rmmod knmt
dkms_loaded=0
DEBIAN_FRONTEND=noninteractive dpkg -r knmt knmt-dkms >"$log" 2>&1 ||
	fail "dpkg -r knmt knmt-dkms failed: $(tail -n 40 "$log")"
for p in knmt knmt-dkms; do
	assert_eq "$(pkg_state "$p")" "rc " "dpkg's state of $p after dpkg -r"
done
kernels=("$rel")
[[ -z $other ]] || kernels+=("$other")
for k in "${kernels[@]}"; do
	ko=$(dkms_ko "$k")
	[[ -z $ko ]] || fail "dpkg -r left $ko"
done
assert_ok dkms status -m knmt
assert_eq "$OUT" "" "dkms status -m knmt after dpkg -r"
assert_no_dir "/var/lib/dkms/knmt/$ver"
assert_no_dir "/usr/src/knmt-$ver"
assert_no_dir /usr/bin/knmt
assert_no_dir "$unit"
run modinfo -n knmt
[[ $STATUS != 0 ]] || fail "modinfo still finds knmt after dpkg -r: $OUT"
# Removed, not purged: the configuration files stay, until --purge.
assert_file "$conf"
DEBIAN_FRONTEND=noninteractive dpkg --purge knmt knmt-dkms >"$log" 2>&1 ||
	fail "dpkg --purge knmt knmt-dkms failed: $(tail -n 40 "$log")"
assert_no_dir "$conf"
assert_no_dir /etc/knmt/knmt-report.conf
for p in knmt knmt-dkms; do
	! present "$p" || fail "$p is still known to dpkg after --purge: $(pkg_state "$p")"
done

# --- the bench's module again ------------------------------------------------

assert_ok insmod "$KNMT_KO_PATH"
module_loaded || fail "knmt is not loaded after insmod $KNMT_KO_PATH"
