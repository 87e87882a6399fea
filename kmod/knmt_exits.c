// SPDX-License-Identifier: GPL-2.0
/*
 * knmt - exit records: the last view of each process that exited, in a
 * ring of exits_max entries allocated at load.  The oldest record makes
 * room for the newest; the sequence number lets a reader see what it
 * missed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/oom.h>
#include <linux/sched/signal.h>
#include <linux/vmalloc.h>

#include "knmt.h"
#include "knmt_proc.h"
#include "knmt_exits.h"

unsigned int knmt_exits_max = 256;
module_param_named(exits_max, knmt_exits_max, uint, 0444);
MODULE_PARM_DESC(exits_max, "Exit records kept, 16..65536 (default 256)");

static struct knmt_exit *knmt_exit_ring;
static u64 knmt_exit_seq;		/* records ever written */
static DEFINE_RAW_SPINLOCK(knmt_exits_lock);

int knmt_exits_init(void)
{
	if (knmt_exits_max < 16 || knmt_exits_max > 65536) {
		pr_err("exits_max=%u is outside 16..65536\n", knmt_exits_max);
		return -EINVAL;
	}
	knmt_exit_ring = vcalloc(knmt_exits_max, sizeof(*knmt_exit_ring));
	return knmt_exit_ring ? 0 : -ENOMEM;
}

void knmt_exits_exit(void)
{
	vfree(knmt_exit_ring);
	knmt_exit_ring = NULL;
}

size_t knmt_exits_mem_bytes(void)
{
	return (size_t)knmt_exits_max * sizeof(struct knmt_exit);
}

unsigned int knmt_exits_kept(void)
{
	return min_t(u64, READ_ONCE(knmt_exit_seq), knmt_exits_max);
}

/*
 * sched_process_exit of the last thread: atomic context, mm gone.
 * Returns the record's sequence number.
 */
u64 knmt_exit_record(struct knmt_proc *p, struct task_struct *t)
{
	struct knmt_exit *e;
	unsigned long flags;
	u64 seq;

	raw_spin_lock_irqsave(&knmt_exits_lock, flags);
	e = &knmt_exit_ring[knmt_exit_seq % knmt_exits_max];
	e->seq = knmt_exit_seq;
	e->tgid = p->tgid;
	e->flags = (p->flags & KNMT_PROC_F_APPROX) | KNMT_PROC_F_EXITED;
	if (tsk_is_oom_victim(t))
		e->flags |= KNMT_PROC_F_OOM_VICTIM;
	e->start_ns = p->start_ns;
	e->exit_ns = ktime_get_boottime_ns();
	e->exit_code = t->exit_code;
	memcpy(e->comm, p->comm, sizeof(e->comm));
	knmt_proc_faults(p, e->faults);
	raw_spin_lock(&p->lock);
	e->sample = p->sample;
	memcpy(e->peak_mapped, p->peak_mapped, sizeof(e->peak_mapped));
	e->offheap = p->offheap;
	raw_spin_unlock(&p->lock);
	/* The kernel's own high-water mark over the group's life. */
	e->sample.peak_rss = max_t(u64, e->sample.peak_rss,
				   (u64)READ_ONCE(t->signal->maxrss) <<
				   PAGE_SHIFT);
	seq = knmt_exit_seq++;
	raw_spin_unlock_irqrestore(&knmt_exits_lock, flags);
	return seq;
}

/*
 * Copy the record with sequence number @seq, or the oldest one after it
 * still kept.  Returns false when there is none.
 */
bool knmt_exit_get(u64 seq, struct knmt_exit *out)
{
	unsigned long flags;
	bool found = false;
	u64 oldest;

	raw_spin_lock_irqsave(&knmt_exits_lock, flags);
	oldest = knmt_exit_seq > knmt_exits_max ?
		 knmt_exit_seq - knmt_exits_max : 0;
	seq = max(seq, oldest);
	if (seq < knmt_exit_seq) {
		*out = knmt_exit_ring[seq % knmt_exits_max];
		found = true;
	}
	raw_spin_unlock_irqrestore(&knmt_exits_lock, flags);
	return found;
}
