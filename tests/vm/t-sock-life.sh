#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The life of socket records (tests/vm/acc/check_sock_life.py): sockets
# open before the load, fork inheritance and adoption, descriptor passing,
# more acceptors asleep than kretprobe instances, the sockets_max limit,
# and an unload with sockets open that must give every reference back.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_knmt
require_cmd python3
[[ -n ${KNMT_KO_PATH:-} ]] || skip "KNMT_KO_PATH not set (run through scripts/vm-run)"
trap reload_module EXIT

python3 "$(dirname "$0")/acc/check_sock_life.py" || fail "socket records (above)"
