#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Processes running before the load are all picked up, far more of them
# than the pool keeps ready, and marked approximate: with N sleepers
# started while knmt is unloaded, the load tracks every one.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_knmt
require_cmd python3
[[ -n ${KNMT_KO_PATH:-} ]] || skip "KNMT_KO_PATH not set (run through scripts/vm-run)"
n=${KNMT_TEST_PROCS:-300}

pids=()
cleanup() {
	kill "${pids[@]}" 2>/dev/null || true
	wait 2>/dev/null || true
	reload_module
}
trap cleanup EXIT

assert_ok rmmod "$KNMT_MODULE"
# An hour: they must outlive the test (killed at its end), which took
# 764 s on the debug kernel with other VMs on the host.
for ((i = 0; i < n; i++)); do
	sleep 3600 &
	pids+=($!)
done
assert_ok insmod "$KNMT_KO_PATH"

summary=$(mktemp)
knmt summary --json >"$summary" || fail "knmt summary --json failed"
python3 - "$summary" "${pids[@]}" <<'PY' || fail "not every process running at load is tracked (above)"
import json, sys
with open(sys.argv[1]) as f:
    procs = {p["pid"]: p for p in json.load(f)["processes"]}
want = [int(x) for x in sys.argv[2:]]
missing = [p for p in want if p not in procs]
not_approx = [p for p in want if p in procs and "approx" not in procs[p]["flags"]]
if missing:
    print(f"not ok - {len(missing)} of {len(want)} not tracked, e.g. {missing[:5]}")
if not_approx:
    print(f"not ok - {len(not_approx)} not marked approx, e.g. {not_approx[:5]}")
sys.exit(1 if missing or not_approx else 0)
PY
rm -f "$summary"
assert_ok knmt status --json
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["procs_overflow"] == 0, d["procs_overflow"]' "$OUT" ||
	fail "processes over limit at load: $OUT"
