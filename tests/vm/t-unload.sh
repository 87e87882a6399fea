#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The module under test unloads and loads again; while it is unloaded
# `knmt status` fails with exit status 3 ("module not loaded").  It is
# loaded again at the end, whatever happens, so that the bench's own
# final rmmod finds it.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
[[ -n ${KNMT_KO_PATH:-} ]] || skip "KNMT_KO_PATH not set (run through scripts/vm-run)"
[[ -f $KNMT_KO_PATH ]] || fail "KNMT_KO_PATH=$KNMT_KO_PATH does not exist"
module_loaded || fail "$KNMT_MODULE is not loaded at the start"

trap 'reload_module' EXIT

assert_ok rmmod "$KNMT_MODULE"
assert_no_dir "/sys/module/$KNMT_MODULE"

if [[ $KNMT_MODULE == knmt ]] && have knmt; then
	assert_status 3 knmt status
	assert_match "$ERR" 'not loaded' 'knmt status stderr'
	assert_status 3 knmt status --json
fi

assert_ok insmod "$KNMT_KO_PATH"
assert_dir "/sys/module/$KNMT_MODULE"

if [[ $KNMT_MODULE == knmt ]] && have knmt; then
	assert_ok knmt status
fi

# A second cycle: unload/load must not depend on a first-load-only state.
assert_ok rmmod "$KNMT_MODULE"
assert_ok insmod "$KNMT_KO_PATH"
module_loaded || fail "$KNMT_MODULE not loaded after the second insmod"
