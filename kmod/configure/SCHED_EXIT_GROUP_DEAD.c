// SPDX-License-Identifier: GPL-2.0
/* sched:sched_process_exit passes group_dead (after 6.15). */
#include <linux/sched.h>
#include <trace/events/sched.h>

static void knmt_probe_exit(void *data, struct task_struct *p, bool group_dead)
{
}

void knmt_probe(void);
void knmt_probe(void)
{
	check_trace_callback_type_sched_process_exit(knmt_probe_exit);
}
