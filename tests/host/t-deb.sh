#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages on the host, never installed here (tests/vm/t-deb.sh
# installs them in a guest): make deb builds knmt and knmt-dkms into
# build/deb/ and leaves the tree clean; lintian reports no error and no
# warning; each package holds what it should; the module source in
# knmt-dkms builds, as DKMS runs dkms.conf, for every installed Debian
# kernel (6.1 and 6.12), each knmt.ko with that kernel's vermagic.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
failed=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; failed=1; }
indent() { sed 's/^/    /'; }

ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo "x86_64-linux-gnu")
debdir=$top/build/deb
knmt_deb=$debdir/knmt_${ver}_$arch.deb
dkms_deb=$debdir/knmt-dkms_${ver}_all.deb
changes=$debdir/knmt_${ver}_$arch.changes

mapfile -t kernels < <(cd /lib/modules && for k in 6.1.*-amd64 6.12.*-amd64; do
	case $k in *-rt-amd64) continue ;; esac
	[ -e "$k/build/Makefile" ] && echo "$k"; done)

tmp=$(mktemp -d)
log=$tmp/log
trap 'rm -rf "$tmp"' EXIT
stamp=$tmp/stamp
touch "$stamp"

# --- build --------------------------------------------------------------

# nocheck: make check runs the unit tests on their own already.
if DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:+$DEB_BUILD_OPTIONS }nocheck" make -C "$top" deb >"$log" 2>&1; then
	ok "make deb builds the packages"
else
	notok "make deb builds the packages"
	tail -n 40 "$log" | indent
	exit 1
fi

missing=()
for f in "$knmt_deb" "$dkms_deb" "$changes"; do
	[ -f "$f" ] || missing+=("${f#"$top"/}")
done
if [ ${#missing[@]} -eq 0 ]; then
	ok "build/deb/ has knmt, knmt-dkms and the .changes"
else
	notok "build/deb/ lacks ${missing[*]}"
	find "$debdir" -maxdepth 1 2>&1 | indent
	exit 1
fi

# dpkg-buildpackage's droppings, in the tree or next to it.
left=()
for d in debian/.debhelper debian/build debian/knmt debian/knmt-dkms debian/tmp \
	debian/files debian/debhelper-build-stamp kmod/knmt_config.h kmod/configure/out; do
	[ -e "$top/$d" ] && [ "$top/$d" -nt "$stamp" ] && left+=("$d")
done
for f in "$top"/../knmt_"$ver"_* "$top"/../knmt-dkms_"$ver"_* "$top"/../knmt-dbgsym_"$ver"_*; do
	[ -e "$f" ] && [ "$f" -nt "$stamp" ] && left+=("$f")
done
if [ ${#left[@]} -eq 0 ]; then
	ok "make deb leaves no build output in the tree or next to it"
else
	notok "make deb left ${left[*]}"
fi

# --- lintian ------------------------------------------------------------

# Errors and warnings fail, and so do the hardening tags lintian only
# shows as information (hardening-no-bindnow, -no-fortify-functions).
if ! command -v lintian >/dev/null; then
	notok "lintian is installed (run scripts/deps)"
elif lintian --fail-on error,warning --display-info "$changes" >"$log" 2>&1 &&
	! grep -qE '^[EW]: |hardening-no-' "$log"; then
	ok "lintian: no error, no warning, no hardening tag in knmt and knmt-dkms"
	grep -E '^[IP]: ' "$log" | sed 's/^/# /'
else
	notok "lintian: no error, no warning, no hardening tag in knmt and knmt-dkms"
	grep -vE '^running with root privileges' "$log" | indent
fi

# --- contents -----------------------------------------------------------

# has_all DEB WHAT PATH...: DEB holds every PATH.
has_all() {
	local deb=$1 what=$2 list p miss=()
	shift 2
	list=$(dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|')
	for p in "$@"; do
		grep -qxF "$p" <<<"$list" || miss+=("$p")
	done
	if [ ${#miss[@]} -eq 0 ]; then
		ok "$(basename "$deb"): $what"
	else
		notok "$(basename "$deb"): $what; missing: ${miss[*]}"
	fi
}

has_all "$knmt_deb" "the CLI, man pages, completion, unit, configuration, library, docs" \
	/usr/bin/knmt \
	/usr/share/man/man8/knmt.8.gz /usr/share/man/man4/knmt.4.gz \
	/usr/share/bash-completion/completions/knmt \
	/lib/systemd/system/knmt-report.service \
	/etc/knmt/knmt-report.conf \
	"/usr/lib/$multiarch/libknmt.a" /usr/include/knmt.h /usr/include/linux/knmt.h \
	/usr/share/doc/knmt/README.md /usr/share/doc/knmt/copyright \
	/usr/share/doc/knmt/docs/design.md /usr/share/doc/knmt/userspace/README.md

# What scripts/dkms-install lays out in /usr/src/knmt-VERSION.
src=/usr/src/knmt-$ver
kfiles=("$src/dkms.conf")
cd "$top/kmod" || exit 1
for f in Makefile Kbuild ./*.c ./*.h wrapper/*.h uapi/linux/* \
	configure/*.c configure/exports configure/README; do
	f=${f#./}
	[ "$f" = knmt_config.h ] || kfiles+=("$src/$f")
done
cd "$top" || exit 1
has_all "$dkms_deb" "dkms.conf and every module source of kmod/ in $src" "${kfiles[@]}"
has_all "$dkms_deb" "/etc/modprobe.d/knmt.conf" /etc/modprobe.d/knmt.conf

gen=$(dpkg-deb -c "$dkms_deb" | awk '{ print $6 }' |
	grep -E '(knmt_config\.h|/configure/out/|\.o|\.ko|\.cmd|\.mod|\.mod\.c|\.symvers|\.order)$')
if [ -z "$gen" ]; then
	ok "knmt-dkms holds no build output"
else
	notok "knmt-dkms holds build output: $gen"
fi

mkdir -p "$tmp/knmt" "$tmp/dkms" "$tmp/knmt-ctl" "$tmp/dkms-ctl"
dpkg-deb -x "$knmt_deb" "$tmp/knmt" && dpkg-deb -e "$knmt_deb" "$tmp/knmt-ctl"
dpkg-deb -x "$dkms_deb" "$tmp/dkms" && dpkg-deb -e "$dkms_deb" "$tmp/dkms-ctl"

unit=$tmp/knmt/lib/systemd/system/knmt-report.service
if grep -qx 'ExecStart=/usr/bin/knmt report --config /etc/knmt/knmt-report.conf' "$unit" &&
	! grep -q '/usr/local/' "$unit"; then
	ok "the packaged unit runs /usr/bin/knmt"
else
	notok "the packaged unit runs /usr/bin/knmt"
	grep -n 'ExecStart\|/usr/local' "$unit" 2>&1 | indent
fi

# Installed, not enabled nor started: the postinst only keeps an earlier
# choice of the administrator (was-enabled) and starts nothing.
pi=$tmp/knmt-ctl/postinst
if [ -f "$pi" ] && ! grep -qE 'deb-systemd-invoke|invoke-rc\.d|systemctl .*(start|enable)' "$pi" &&
	{ ! grep -q 'deb-systemd-helper enable' "$pi" || grep -q 'was-enabled' "$pi"; }; then
	ok "knmt's postinst neither enables nor starts knmt-report.service"
else
	notok "knmt's postinst neither enables nor starts knmt-report.service"
	indent <"$pi"
fi

if grep -qxF /etc/knmt/knmt-report.conf "$tmp/knmt-ctl/conffiles" 2>/dev/null &&
	grep -qxF /etc/modprobe.d/knmt.conf "$tmp/dkms-ctl/conffiles" 2>/dev/null; then
	ok "/etc/knmt/knmt-report.conf and /etc/modprobe.d/knmt.conf are conffiles"
else
	notok "/etc/knmt/knmt-report.conf and /etc/modprobe.d/knmt.conf are conffiles"
fi

active=$(grep -vE '^[[:space:]]*(#|$)' "$tmp/dkms/etc/modprobe.d/knmt.conf" 2>&1)
if [ -f "$tmp/dkms/etc/modprobe.d/knmt.conf" ] && [ -z "$active" ] &&
	grep -q '^#options knmt ' "$tmp/dkms/etc/modprobe.d/knmt.conf"; then
	ok "/etc/modprobe.d/knmt.conf: every options line commented out"
else
	notok "/etc/modprobe.d/knmt.conf: every options line commented out"
	echo "$active" | indent
fi

if cmp -s "$top/dkms.conf" "$tmp/dkms$src/dkms.conf" &&
	grep -q '/usr/lib/dkms/common.postinst' "$tmp/dkms-ctl/postinst" &&
	grep -q 'dkms remove' "$tmp/dkms-ctl/prerm" &&
	dpkg-deb -f "$dkms_deb" Depends | grep -qw dkms; then
	ok "knmt-dkms: dkms.conf as in the tree, depends on dkms, dkms add/build/install on install, remove on removal"
else
	notok "knmt-dkms: dkms.conf, Depends: dkms, postinst and prerm"
fi

# --- the DKMS source builds for every kernel ------------------------------

if [ ${#kernels[@]} -lt 2 ]; then
	notok "need headers for 6.1 and 6.12 (found: ${kernels[*]:-none}); run scripts/deps"
	exit 1
fi

# As dkms build does: a copy of the source tree, CLEAN then MAKE[0] with
# ${kernelver} set, "make" run as "make -jN KERNELRELEASE=<release>".
conf=$tmp/dkms$src/dkms.conf
make_cmd=$(sed -n 's/^MAKE\[0\]="\(.*\)"$/\1/p' "$conf")
clean_cmd=$(sed -n 's/^CLEAN="\(.*\)"$/\1/p' "$conf")
module=$(sed -n 's/^BUILT_MODULE_NAME\[0\]="\(.*\)"$/\1/p' "$conf")
for k in "${kernels[@]}"; do
	b=$tmp/build-$k
	cp -a "$tmp/dkms$src" "$b"
	# shellcheck disable=SC2016 # the literal ${kernelver} of dkms.conf
	mk=${make_cmd//'${kernelver}'/$k}
	# shellcheck disable=SC2016
	cl=${clean_cmd//'${kernelver}'/$k}
	if (cd "$b" && eval "$cl" && eval "${mk/#make/make -j$(nproc) KERNELRELEASE=$k}") >"$log" 2>&1; then
		magic=$(modinfo -F vermagic "$b/$module.ko" 2>/dev/null | awk '{ print $1 }')
		if [ "$magic" = "$k" ]; then
			ok "knmt-dkms source builds $module.ko for $k (vermagic $magic)"
		else
			notok "knmt-dkms module for $k has vermagic '$magic'"
		fi
	else
		notok "knmt-dkms source builds $module.ko for $k"
		tail -n 30 "$log" | indent
	fi
done

exit $failed
