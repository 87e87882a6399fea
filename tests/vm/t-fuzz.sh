#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# knmt-timeout: 180
#
# Structured fuzzing of the knmt generic netlink family
# (tests/vm/acc/fuzz_nl.py), for a fixed budget: requests built from the
# YNL spec (kmod/uapi/linux/knmt.yaml), valid and mutated (unknown
# commands and attributes, wrong lengths and types, strings without NUL,
# nests, truncated and oversized messages, bogus headers and flags,
# out-of-range and missing values, batches), while threads dump
# concurrently, abandon dumps and listen to the events group and a child
# churns processes, mappings and sockets.  Every answer must be the one the
# kernel owes: an error past the command lookup carries an extack message,
# a valid request succeeds with replies that follow the spec.  Then the
# module still answers knmt status, the settings are as they were, and a
# process without privileges still gets EPERM for everything.
#
# KNMT_FUZZ_SECS (default 20) and KNMT_FUZZ_COUNT bound the run,
# KNMT_FUZZ_SEED replays one (the seed is printed; so is, for a failure,
# the request to replay with KNMT_FUZZ_FROM and KNMT_FUZZ_COUNT=1).  A
# long run needs a longer timeout, e.g. KNMT_FUZZ_SECS=120
# KNMT_TEST_TIMEOUT=300.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_knmt
require_cmd python3
require_cmd setpriv
python3 -c 'import yaml' 2>/dev/null || skip "needs python3-yaml"

fuzz=$(dirname "$0")/acc/fuzz_nl.py
summary=$(mktemp)
trap 'rm -f "$summary"' EXIT

before=$(knmt config --json) || fail "knmt config failed before the fuzz"
# what follows is checked whatever the fuzz found
fuzzed=0
python3 "$fuzz" --summary "$summary" || fuzzed=$?

assert_ok knmt status
after=$(knmt config --json) || fail "knmt config failed after the fuzz"
assert_eq "$after" "$before" "the settings after the fuzz"

run setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	python3 "$fuzz" --perm
echo "$OUT"
[[ $STATUS == 0 ]] || fail "without privileges: $ERR"

[[ -s $summary ]] && echo "t-fuzz: $(<"$summary")"
((fuzzed == 0)) || fail "the fuzz exited $fuzzed (FAIL lines above)"
