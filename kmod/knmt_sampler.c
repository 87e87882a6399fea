// SPDX-License-Identifier: GPL-2.0
/*
 * knmt - the sampler: a work item that takes every tracked process's
 * breakdown in turn, so peaks and exit records stay fresh even when nobody
 * asks.  Each run stops after a budget of 1 % of the period and the next
 * run, a period later, continues where it stopped: a round of every
 * process takes one run on a small host, several on a large or slow one.
 * A process's breakdown is then at most a period plus a round old; the
 * last complete round's length is in knmt status.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/pid.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/workqueue.h>

#include "knmt.h"
#include "knmt_proc.h"

unsigned int knmt_sample_ms = 1000;
module_param_named(sample_ms, knmt_sample_ms, uint, 0444);
MODULE_PARM_DESC(sample_ms,
		 "Period of the background breakdown of every process, ms; 0 turns it off, else 100..3600000 (default 1000)");

static struct delayed_work knmt_sampler_work;
static struct knmt_sample knmt_sampler_buf;	/* only the work uses it */
static u32 knmt_sampler_pos;
static u64 knmt_sampler_round_start;	/* ns: the first run of this round */
static u32 knmt_sampler_round_ms;	/* the last complete round, 0: none */

u32 knmt_sampler_last_round_ms(void)
{
	return READ_ONCE(knmt_sampler_round_ms);
}

static void knmt_sample_proc(struct knmt_proc *p)
{
	struct task_struct *t;
	struct mm_struct *mm;

	rcu_read_lock();
	t = pid_task(find_pid_ns(p->tgid, &init_pid_ns), PIDTYPE_TGID);
	if (t)
		get_task_struct(t);
	rcu_read_unlock();
	if (!t)
		return;
	mm = get_task_mm(t);
	if (mm) {
		if (mm == READ_ONCE(p->mm))
			knmt_sample_take(t, mm, p, &knmt_sampler_buf);
		mmput(mm);
	}
	put_task_struct(t);
}

static void knmt_sampler_fn(struct work_struct *work)
{
	u64 budget = (u64)knmt_sample_ms * NSEC_PER_MSEC / 100;
	u64 start = ktime_get_ns();
	struct knmt_proc *p;

	if (!knmt_sampler_pos)
		knmt_sampler_round_start = start;
	while ((p = knmt_proc_get_next(&knmt_sampler_pos))) {
		knmt_sample_proc(p);
		knmt_proc_put(p);
		if (ktime_get_ns() - start > budget)
			break;
		cond_resched();
	}
	if (!p) {
		/* A round is complete; at least 1 ms, 0 says none is. */
		knmt_sampler_pos = 0;
		WRITE_ONCE(knmt_sampler_round_ms,
			   max_t(u64, 1, div_u64(ktime_get_ns() -
						 knmt_sampler_round_start,
						 NSEC_PER_MSEC)));
	}
	queue_delayed_work(system_unbound_wq, &knmt_sampler_work,
			   msecs_to_jiffies(knmt_sample_ms));
}

int knmt_sampler_init(void)
{
	if (knmt_sample_ms && (knmt_sample_ms < 100 ||
			       knmt_sample_ms > 3600000)) {
		pr_err("sample_ms=%u is outside 100..3600000 (0: off)\n",
		       knmt_sample_ms);
		return -EINVAL;
	}
	INIT_DELAYED_WORK(&knmt_sampler_work, knmt_sampler_fn);
	if (knmt_sample_ms)
		queue_delayed_work(system_unbound_wq, &knmt_sampler_work,
				   msecs_to_jiffies(knmt_sample_ms));
	return 0;
}

void knmt_sampler_exit(void)
{
	cancel_delayed_work_sync(&knmt_sampler_work);
}
