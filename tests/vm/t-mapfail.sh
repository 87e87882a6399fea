#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Mappings the kernel refuses after placing them (a commit charge above
# RAM and swap, inside mmap_region()): nothing of them shows in knmt's
# regions or events, and the thread's next mprotect and mappings come out
# as /proc/PID/maps and their requests say
# (tests/vm/acc/check_mapfail.py).

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_knmt
require_cmd python3

python3 "$(dirname "$0")/acc/check_mapfail.py" || fail "refused mappings (above)"
