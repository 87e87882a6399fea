#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# knmt is loaded by the bench and `knmt status` describes it: exit 0, and
# --json is an object with the documented keys and a non-empty hooks
# array.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_knmt

assert_dir /sys/module/knmt

assert_ok knmt status
[[ -n $OUT ]] || fail "knmt status printed nothing"

assert_ok knmt status --json
j=$OUT
json_valid "$j" || fail "knmt status --json is not JSON: ${j:0:2000}"

# One python3 run for the whole contract (python3 starts slowly under TCG).
contract=$(
	cat <<'PY'
import json, re, sys
d = json.load(sys.stdin)
release = sys.argv[1]
errors = []
def check(ok, what):
    if not ok:
        errors.append(what)
check(isinstance(d, dict), "the document is an object")
keys = ["version", "release_built", "release_running", "hooks", "procs_tracked",
        "procs_max", "procs_overflow", "events_emitted", "events_dropped",
        "mem_bytes", "recursion", "uptime_ns"]
for k in keys:
    check(k in d, 'has "%s"' % k)
check(re.match(r"^[0-9]+\.[0-9]+", str(d.get("version", ""))), '"version" looks like N.N')
check(d.get("release_running") == release, '"release_running" is ' + release)
check(d.get("release_built") == release, '"release_built" is ' + release)
for k in keys[4:]:
    check(type(d.get(k)) is int and d.get(k) >= 0, '"%s" is a non-negative integer' % k)
hooks = d.get("hooks")
check(isinstance(hooks, list) and len(hooks) > 0, '"hooks" is a non-empty array')
hk = {"name", "kind", "state", "preferred", "target", "error", "reason", "hits", "missed"}
for h in hooks if isinstance(hooks, list) else []:
    check(isinstance(h, dict) and hk <= set(h), "hook %r has %s" % (h, sorted(hk)))
    if isinstance(h, dict):
        check(isinstance(h.get("name"), str) and h.get("name"), "hook %r has a name" % h)
for e in errors:
    print("FAIL: " + e, file=sys.stderr)
sys.exit(1 if errors else 0)
PY
)
python3 -S -c "$contract" "$(uname -r)" <<<"$j" ||
	fail "knmt status --json does not follow the contract: ${j:0:3000}"
