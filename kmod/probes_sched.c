// SPDX-License-Identifier: GPL-2.0
/*
 * knmt - process lifecycle hooks: fork, exec, exit, free.
 */
#include <linux/mm_types.h>
#include <linux/sched.h>
#include <trace/events/sched.h>

#include "knmt.h"
#include "knmt_proc.h"
#include "wrapper/trace.h"

static void knmt_tp_fork(void *data, struct task_struct *parent,
			 struct task_struct *child)
{
	if (!knmt_enter(KNMT_HOOK_FORK))
		return;
	knmt_proc_fork(parent, child);
	knmt_leave();
}

static void knmt_tp_exec(void *data, struct task_struct *p, pid_t old_pid,
			 struct linux_binprm *bprm)
{
	if (!knmt_enter(KNMT_HOOK_EXEC))
		return;
	knmt_thread_exec(p);
	knmt_proc_exec(p);
	knmt_leave();
}

static void knmt_tp_exit(KNMT_TP_SCHED_EXIT_ARGS)
{
	if (!knmt_enter(KNMT_HOOK_EXIT))
		return;
	knmt_thread_exit(p);
	knmt_proc_exit(p);
	knmt_leave();
}

static void knmt_tp_free(void *data, struct task_struct *p)
{
	if (!knmt_enter(KNMT_HOOK_FREE))
		return;
	knmt_leave();
}

static const struct knmt_hook_target knmt_fork_targets[] = {
	KNMT_TP("sched_process_fork", knmt_tp_fork),
	{ }
};

static const struct knmt_hook_target knmt_exec_targets[] = {
	KNMT_TP("sched_process_exec", knmt_tp_exec),
	{ }
};

static const struct knmt_hook_target knmt_exit_targets[] = {
	KNMT_TP("sched_process_exit", knmt_tp_exit),
	{ }
};

static const struct knmt_hook_target knmt_free_targets[] = {
	KNMT_TP("sched_process_free", knmt_tp_free),
	{ }
};

void knmt_probes_sched_setup(void)
{
	/* A tracepoint whose prototype changed fails the build here. */
	check_trace_callback_type_sched_process_fork(knmt_tp_fork);
	check_trace_callback_type_sched_process_exec(knmt_tp_exec);
	check_trace_callback_type_sched_process_exit(knmt_tp_exit);
	check_trace_callback_type_sched_process_free(knmt_tp_free);

	knmt_hook_describe(KNMT_HOOK_FORK, "fork", knmt_fork_targets);
	knmt_hook_describe(KNMT_HOOK_EXEC, "exec", knmt_exec_targets);
	knmt_hook_describe(KNMT_HOOK_EXIT, "exit", knmt_exit_targets);
	knmt_hook_describe(KNMT_HOOK_FREE, "free", knmt_free_targets);
}
