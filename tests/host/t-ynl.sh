#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The YNL spec kmod/uapi/linux/knmt.yaml against the kernel's
# genetlink-legacy schema (a copy in tests/host/ynl), and against its C
# form kmod/uapi/linux/knmt.h: every enum constant and define of the header
# must be a name the spec gives YNL's C generator, with the same value, and
# every name the spec gives must be in the header.
#
# Needs gcc and the Debian packages python3-yaml and python3-jsonschema,
# used through /usr/bin/python3.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
failed=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; failed=1; }

py=/usr/bin/python3
ynl=$top/tests/host/ynl
spec=$top/kmod/uapi/linux/knmt.yaml
hdr=$top/kmod/uapi/linux/knmt.h

if ! "$py" -c 'import yaml, jsonschema' 2>/dev/null; then
	notok "ynl: $py lacks yaml or jsonschema (apt-get install python3-yaml python3-jsonschema)"
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# (a) The spec against the schema.
"$py" "$ynl/check_spec.py" validate "$spec" "$ynl/genetlink-legacy.yaml" || failed=1

# (b) The names of the header: its macros (what -dM lists beyond the
# compiler's own) and the constants of its enums; their values as C sees
# them, printed by dump_enums.
if ! { gcc -dM -E -x c /dev/null | sort >"$tmp/builtin.dM" &&
       gcc -dM -E -I "$top/kmod/uapi" -x c "$hdr" | sort >"$tmp/all.dM" &&
       comm -13 "$tmp/builtin.dM" "$tmp/all.dM" >"$tmp/knmt.dM" &&
       gcc -E -P -I "$top/kmod/uapi" -x c "$hdr" >"$tmp/knmt.i"; } 2>"$tmp/err"; then
	notok "ynl: preprocess knmt.h"
	sed 's/^/    /' "$tmp/err"
	exit 1
fi
if ! "$py" "$ynl/check_spec.py" names "$tmp/knmt.dM" "$tmp/knmt.i" \
		>"$tmp/knmt-names.h" 2>"$tmp/err"; then
	notok "ynl: list the names of knmt.h"
	sed 's/^/    /' "$tmp/err"
	exit 1
fi
if gcc -std=c11 -Wall -Wextra -Werror -I "$tmp" -I "$top/kmod/uapi" \
		-o "$tmp/dump_enums" "$ynl/dump_enums.c" 2>"$tmp/err" &&
   "$tmp/dump_enums" >"$tmp/values" 2>>"$tmp/err" && [ -s "$tmp/values" ]; then
	ok "ynl: dump_enums prints $(wc -l <"$tmp/values") names of knmt.h"
else
	notok "ynl: build and run dump_enums"
	sed 's/^/    /' "$tmp/err"
	exit 1
fi

"$py" "$ynl/check_spec.py" compare "$spec" "$tmp/values" "$hdr" || failed=1
exit $failed
