# SPDX-License-Identifier: GPL-2.0
"""The "ok - ..." / "not ok - ..." lines of the VM checkers, and their
count of failures (tap.failed)."""
import sys

failed = 0


def check(cond, what, detail=""):
    """Print one result line; returns cond."""
    global failed
    if cond:
        print(f"ok - {what}")
    else:
        failed += 1
        print(f"not ok - {what}" + (f": {detail}" if detail else ""))
    sys.stdout.flush()
    return cond
