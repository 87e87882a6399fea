// SPDX-License-Identifier: GPL-2.0
/*
 * knmt - memory management hooks: faults, mappings, unmaps, brk, mremap,
 * stack growth, protection changes, rss counters, address space teardown.
 */
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <trace/events/kmem.h>
#include <trace/events/mmap.h>

#include "knmt.h"
#include "wrapper/trace.h"

static void knmt_tp_exit_mmap(void *data, struct mm_struct *mm)
{
	if (!knmt_enter(KNMT_HOOK_EXIT_MMAP))
		return;
	knmt_leave();
}

static void knmt_tp_rss_stat(KNMT_TP_RSS_STAT_ARGS)
{
	if (!knmt_enter(KNMT_HOOK_RSS_STAT))
		return;
	knmt_leave();
}

static const struct knmt_hook_target knmt_exit_mmap_targets[] = {
	KNMT_TP("exit_mmap", knmt_tp_exit_mmap),
	KNMT_KP("exit_mmap", knmt_kp_count),
	{ }
};

static const struct knmt_hook_target knmt_rss_stat_targets[] = {
	KNMT_TP("rss_stat", knmt_tp_rss_stat),
	{ }
};

static const struct knmt_hook_target knmt_fault_targets[] = {
	KNMT_KP("handle_mm_fault", knmt_kp_count),
	{ }
};

static const struct knmt_hook_target knmt_mmap_region_targets[] = {
	KNMT_KRP("mmap_region", knmt_krp_count),
	{ }
};

static const struct knmt_hook_target knmt_mmap_flags_targets[] = {
	KNMT_KP("do_mmap", knmt_kp_count),
	KNMT_KP("vm_mmap_pgoff", knmt_kp_count),
	{ }
};

/* remove_vma sees every unmap on 6.12; 6.1 inlines it. */
static const struct knmt_hook_target knmt_unmap_targets[] = {
	KNMT_KP("remove_vma", knmt_kp_count),
	KNMT_KP("do_vmi_align_munmap", knmt_kp_count),
	KNMT_KP("do_mas_align_munmap", knmt_kp_count),
	{ }
};

static const struct knmt_hook_target knmt_brk_targets[] = {
	KNMT_KP("do_brk_flags", knmt_kp_count),
	KNMT_KP("__x64_sys_brk", knmt_kp_count),
	{ }
};

static const struct knmt_hook_target knmt_mremap_targets[] = {
	KNMT_KP("move_vma", knmt_kp_count),
	KNMT_KP("__x64_sys_mremap", knmt_kp_count),
	{ }
};

static const struct knmt_hook_target knmt_stack_grow_targets[] = {
	KNMT_KP("expand_downwards", knmt_kp_count),
	{ }
};

static const struct knmt_hook_target knmt_mprotect_targets[] = {
	KNMT_KP("mprotect_fixup", knmt_kp_count),
	{ }
};

void knmt_probes_mm_setup(void)
{
	check_trace_callback_type_exit_mmap(knmt_tp_exit_mmap);
	check_trace_callback_type_rss_stat(knmt_tp_rss_stat);

	knmt_hook_describe(KNMT_HOOK_EXIT_MMAP, "exit_mmap",
			   knmt_exit_mmap_targets);
	knmt_hook_describe(KNMT_HOOK_RSS_STAT, "rss_stat",
			   knmt_rss_stat_targets);
	knmt_hook_describe(KNMT_HOOK_FAULT, "fault", knmt_fault_targets);
	knmt_hook_describe(KNMT_HOOK_MMAP_REGION, "mmap_region",
			   knmt_mmap_region_targets);
	knmt_hook_describe(KNMT_HOOK_MMAP_FLAGS, "mmap_flags",
			   knmt_mmap_flags_targets);
	knmt_hook_describe(KNMT_HOOK_UNMAP, "unmap", knmt_unmap_targets);
	knmt_hook_describe(KNMT_HOOK_BRK, "brk", knmt_brk_targets);
	knmt_hook_describe(KNMT_HOOK_MREMAP, "mremap", knmt_mremap_targets);
	knmt_hook_describe(KNMT_HOOK_STACK_GROW, "stack_grow",
			   knmt_stack_grow_targets);
	knmt_hook_describe(KNMT_HOOK_MPROTECT, "mprotect",
			   knmt_mprotect_targets);
}
