/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoint prototypes that changed between the kernels knmt supports.
 * Each KNMT_TP_* macro expands to the probe's parameter list for the kernel
 * being built; the probe files check it against the kernel's own
 * declaration with check_trace_callback_type_*() so a change fails the build.
 */
#ifndef _KNMT_WRAPPER_TRACE_H
#define _KNMT_WRAPPER_TRACE_H

/* sched:sched_process_exit gained group_dead after 6.15. */
#ifdef KNMT_HAS_SCHED_EXIT_GROUP_DEAD
#define KNMT_TP_SCHED_EXIT_ARGS \
	void *data, struct task_struct *p, bool group_dead
#else
#define KNMT_TP_SCHED_EXIT_ARGS \
	void *data, struct task_struct *p
#endif

/*
 * Argument @n of the function an ftrace callback runs at.  Where the
 * kernel has no ftrace_regs_get_argument() (6.1), x86's ftrace_regs is a
 * pt_regs in which the trampoline saved the argument registers.
 */
#ifdef KNMT_HAS_FTRACE_REGS_GET_ARGUMENT
#define knmt_ftrace_arg(fregs, n)	ftrace_regs_get_argument(fregs, n)
#else
#define knmt_ftrace_arg(fregs, n)	regs_get_kernel_argument(&(fregs)->regs, n)
#endif

#endif /* _KNMT_WRAPPER_TRACE_H */
