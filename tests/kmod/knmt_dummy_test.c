// SPDX-License-Identifier: GPL-2.0
/*
 * knmt_dummy_test - test-only stand-in for knmt.ko in VM bench self-tests.
 *
 * It loads and unloads cleanly.  Writing 1 to
 * /sys/module/knmt_dummy_test/parameters/warn_on_unload makes its exit
 * handler WARN, so the bench's "splat during unload" detection can be
 * tested.  Never load this on a real machine.
 */
#include <linux/bug.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>

static bool warn_on_unload;
module_param(warn_on_unload, bool, 0644);
MODULE_PARM_DESC(warn_on_unload, "WARN in the module exit handler (test only)");

static int __init knmt_dummy_test_init(void)
{
	pr_info("knmt_dummy_test: loaded\n");
	return 0;
}

static void __exit knmt_dummy_test_exit(void)
{
	WARN(warn_on_unload, "knmt_dummy_test: deliberate warning on unload\n");
	pr_info("knmt_dummy_test: unloaded\n");
}

module_init(knmt_dummy_test_init);
module_exit(knmt_dummy_test_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("knmt VM bench: clean stand-in module (test only)");
