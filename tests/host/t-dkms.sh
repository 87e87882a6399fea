#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DKMS end to end on the host: add, build for every installed Debian kernel
# (6.1 and 6.12), check each built module's vermagic, remove.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
failed=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; failed=1; }

mapfile -t kernels < <(cd /lib/modules && for k in 6.1.*-amd64 6.12.*-amd64; do
	[ -e "$k/build/Makefile" ] && echo "$k"; done)
if [ ${#kernels[@]} -lt 2 ]; then
	notok "dkms: need headers for 6.1 and 6.12 (found: ${kernels[*]:-none}); run scripts/deps"
	exit 1
fi

args=()
for k in "${kernels[@]}"; do args+=(-k "$k"); done
log=$(mktemp)
trap 'rm -f "$log"; "$top/scripts/dkms-install" --remove >/dev/null 2>&1' EXIT

if "$top/scripts/dkms-install" --build-only "${args[@]}" >"$log" 2>&1; then
	ok "dkms add + build for ${kernels[*]}"
else
	notok "dkms add + build for ${kernels[*]}"
	sed 's/^/    /' "$log"
	exit 1
fi

ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
for k in "${kernels[@]}"; do
	if ! dkms status -m knmt -v "$ver" -k "$k" | grep -q ': built'; then
		notok "dkms status shows knmt/$ver built for $k"
		continue
	fi
	ko=$(find "/var/lib/dkms/knmt/$ver/$k" -name 'knmt.ko*' | head -n 1)
	magic=$(modinfo -F vermagic "$ko" 2>/dev/null | awk '{print $1}')
	if [ "$magic" = "$k" ]; then
		ok "dkms built knmt.ko for $k (vermagic $magic)"
	else
		notok "dkms module for $k has vermagic '$magic' ($ko)"
	fi
done

if "$top/scripts/dkms-install" --remove >"$log" 2>&1 &&
   ! dkms status -m knmt | grep -q . && ! ls -d /usr/src/knmt-* >/dev/null 2>&1; then
	ok "dkms remove leaves nothing behind"
else
	notok "dkms remove"
	sed 's/^/    /' "$log"
fi
exit $failed
