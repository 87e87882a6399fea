#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# knmt-timeout: 480
#
# Events through knmt watch (tests/vm/acc/check_events.py): a known
# workload's events, and under a flood with small rings and a reader that
# stops reading, the losses the reader counts against the kernel's own
# counters; an OOM kill's events.  Its unload under a storm is
# t-unload-busy's.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_knmt
require_cmd python3
[[ -n ${KNMT_KO_PATH:-} ]] || skip "KNMT_KO_PATH not set (run through scripts/vm-run)"
knmt watch --help >/dev/null 2>&1 || fail "knmt watch is missing"
trap reload_module EXIT

python3 "$(dirname "$0")/acc/check_events.py" stream flood oom || fail "events (above)"
