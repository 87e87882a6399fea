// SPDX-License-Identifier: GPL-2.0
/*
 * knmt_warn_test - test-only module for the knmt VM bench.
 *
 * Loading it triggers a deliberate kernel WARNING and then succeeds.
 * The bench (scripts/vm-run) must notice the "WARNING: CPU:" report in
 * the guest kernel log and fail the run.  Never load this on a real
 * machine.
 */
#include <linux/bug.h>
#include <linux/init.h>
#include <linux/module.h>

static int __init knmt_warn_test_init(void)
{
	WARN(1, "knmt_warn_test: deliberate warning\n");
	return 0;
}

static void __exit knmt_warn_test_exit(void)
{
}

module_init(knmt_warn_test_init);
module_exit(knmt_warn_test_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("knmt VM bench: module that WARNs on load (test only)");
