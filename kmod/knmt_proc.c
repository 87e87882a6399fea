// SPDX-License-Identifier: GPL-2.0
/*
 * knmt - the process table.
 *
 * One entry per user thread group, from fork (or from the load, for
 * processes already running) to the exit of its last thread.  Entries come
 * from a pool of at most procs_max (knmt_pool.h), because the lifecycle
 * hooks run in atomic context; a process that finds no entry is counted in
 * procs_overflow and simply not tracked.
 *
 * Two RCU hash tables find an entry: by tgid for requests, by mm for hooks
 * that see an address space.  knmt_procs_lock orders insertions and
 * removals.  An entry holds a reference for the table; requests that sleep
 * take their own, and the entry returns to the pool when the last one goes,
 * after an RCU grace period.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/oom.h>
#include <linux/pid.h>
#include <linux/rculist.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

#include "knmt.h"
#include "knmt_events.h"
#include "knmt_pool.h"
#include "knmt_proc.h"

static struct knmt_pool knmt_proc_pool;
static struct hlist_head *knmt_pid_hash, *knmt_mm_hash;
static unsigned int knmt_hash_bits;
static DEFINE_RAW_SPINLOCK(knmt_procs_lock);

/* Free entries kept ready for fork storms. */
#define KNMT_PROC_RESERVE	128

static const struct knmt_pool_kind knmt_proc_kind = {
	.param = "procs_max",
	.limit = &knmt_procs_max,
	.lo = 64,
	.hi = 1U << 20,
	.name = "knmt_proc",
	.size = sizeof(struct knmt_proc),
	.reserve = KNMT_PROC_RESERVE,
	.min_buckets = 64,
	.pool = &knmt_proc_pool,
	.bits = &knmt_hash_bits,
	.hash = { &knmt_pid_hash, &knmt_mm_hash },
};

int knmt_procs_init(void)
{
	int err;

	err = knmt_threads_init();
	if (err)
		return err;
	err = knmt_pool_kind_init(&knmt_proc_kind);
	if (err)
		knmt_threads_exit();
	return err;
}

size_t knmt_procs_mem_bytes(void)
{
	return knmt_pool_kind_bytes(&knmt_proc_kind);
}

unsigned int knmt_procs_tracked(void)
{
	return knmt_pool_in_use(&knmt_proc_pool);
}

u64 knmt_procs_overflow(void)
{
	return atomic64_read(&knmt_proc_pool.overflow);
}

static struct hlist_head *knmt_pid_bucket(pid_t tgid)
{
	return &knmt_pid_hash[hash_32(tgid, knmt_hash_bits)];
}

static struct hlist_head *knmt_mm_bucket(const struct mm_struct *mm)
{
	return &knmt_mm_hash[hash_ptr(mm, knmt_hash_bits)];
}

/* RCU (or preemption off): the entry is valid until the section ends. */
struct knmt_proc *knmt_proc_by_mm(const struct mm_struct *mm)
{
	struct knmt_proc *p;

	hlist_for_each_entry_rcu(p, knmt_mm_bucket(mm), by_mm) {
		if (READ_ONCE(p->mm) == mm)
			return p;
	}
	return NULL;
}

struct knmt_proc *knmt_proc_by_tgid(pid_t tgid)
{
	struct knmt_proc *p;

	hlist_for_each_entry_rcu(p, knmt_pid_bucket(tgid), by_pid) {
		if (READ_ONCE(p->tgid) == tgid)
			return p;
	}
	return NULL;
}

/* A reference that may be held across sleeps; drop with knmt_proc_put(). */
struct knmt_proc *knmt_proc_get_tgid(pid_t tgid)
{
	struct knmt_proc *p;

	rcu_read_lock();
	p = knmt_proc_by_tgid(tgid);
	if (p && !refcount_inc_not_zero(&p->ref))
		p = NULL;
	rcu_read_unlock();
	return p;
}

/*
 * Iterate the table for dumps: the next entry at or after *pos, referenced,
 * and *pos moved past it.  A position is a bucket and how many entries of
 * it were already seen; entries that come and go meanwhile may be missed
 * or seen twice, as in any netlink dump of a changing table.
 */
#define KNMT_POS_SKIP_BITS	12

struct knmt_proc *knmt_proc_get_next(u32 *pos)
{
	unsigned int bucket = *pos >> KNMT_POS_SKIP_BITS;
	unsigned int skip = *pos & ((1U << KNMT_POS_SKIP_BITS) - 1);
	struct knmt_proc *p;

	rcu_read_lock();
	for (; bucket < (1U << knmt_hash_bits); bucket++, skip = 0) {
		unsigned int i = 0;

		hlist_for_each_entry_rcu(p, &knmt_pid_hash[bucket], by_pid) {
			if (i++ < skip || !refcount_inc_not_zero(&p->ref))
				continue;
			rcu_read_unlock();
			*pos = (bucket << KNMT_POS_SKIP_BITS) | i;
			return p;
		}
	}
	rcu_read_unlock();
	*pos = bucket << KNMT_POS_SKIP_BITS;
	return NULL;
}

static void knmt_proc_free_rcu(struct rcu_head *head)
{
	struct knmt_proc *p = container_of(head, struct knmt_proc, rcu);

	knmt_origin_drop_all(p);
	knmt_pool_put(&knmt_proc_pool, p);
}

void knmt_proc_put(struct knmt_proc *p)
{
	if (refcount_dec_and_test(&p->ref))
		call_rcu(&p->rcu, knmt_proc_free_rcu);
}

/* Reset what describes a program image: at birth and at exec. */
static void knmt_proc_reset(struct knmt_proc *p)
{
	unsigned int i;

	memset(&p->offheap, 0, sizeof(p->offheap));
	memset(&p->sample, 0, sizeof(p->sample));
	memset(p->peak_mapped, 0, sizeof(p->peak_mapped));
	for (i = 0; i < KNMT_CAT_NR; i++) {
		atomic_long_set(&p->faults[i][0], 0);
		atomic_long_set(&p->faults[i][1], 0);
	}
	for (i = 0; i < KNMT_SITES; i++) {
		atomic_long_set(&p->sites[i].ip, 0);
		atomic_long_set(&p->sites[i].faults, 0);
	}
	atomic_long_set(&p->sites_other, 0);
}

/*
 * Create the entry of @leader's thread group.  @mm is the address space it
 * owns, or NULL when it shares its parent's (vfork) until exec.
 */
static struct knmt_proc *knmt_proc_add(struct task_struct *leader,
				       struct mm_struct *mm, u32 flags,
				       struct knmt_proc *copy_from)
{
	pid_t tgid = task_tgid_nr(leader);
	struct knmt_proc *p;
	unsigned long irqflags;

	if (knmt_proc_by_tgid(tgid))
		return NULL;
	p = knmt_pool_get(&knmt_proc_pool);
	if (!p)
		return NULL;

	refcount_set(&p->ref, 1);
	raw_spin_lock_init(&p->lock);
	INIT_LIST_HEAD(&p->threads);
	seqcount_raw_spinlock_init(&p->thr_seq, &p->lock);
	knmt_origin_tree_init(p);
	knmt_proc_socks_init(p);
	p->mm = mm;
	p->flags = flags;
	p->start_ns = leader->start_boottime;
	knmt_copy_comm(p->comm, leader);
	if (copy_from) {
		raw_spin_lock(&copy_from->lock);
		knmt_origin_copy(p, copy_from);
		raw_spin_unlock(&copy_from->lock);
	}
	p->tgid = tgid;

	/* Published complete; a racing add of the same group loses. */
	raw_spin_lock_irqsave(&knmt_procs_lock, irqflags);
	if (knmt_proc_by_tgid(tgid)) {
		raw_spin_unlock_irqrestore(&knmt_procs_lock, irqflags);
		knmt_origin_clear(p);
		knmt_proc_put(p);
		return NULL;
	}
	hlist_add_head_rcu(&p->by_pid, knmt_pid_bucket(tgid));
	if (mm)
		hlist_add_head_rcu(&p->by_mm, knmt_mm_bucket(mm));
	raw_spin_unlock_irqrestore(&knmt_procs_lock, irqflags);
	return p;
}

/*
 * get_task_comm() takes task_lock(), a sleeping lock on PREEMPT_RT; hooks
 * copy the name without it, as the kernel's own tracepoints do.
 */
void knmt_copy_comm(char *dst, struct task_struct *t)
{
	memcpy(dst, t->comm, TASK_COMM_LEN);
	dst[TASK_COMM_LEN - 1] = '\0';
}

static void knmt_proc_unbind_mm(struct knmt_proc *p)
{
	unsigned long irqflags;

	raw_spin_lock_irqsave(&knmt_procs_lock, irqflags);
	if (p->mm) {
		hlist_del_init_rcu(&p->by_mm);
		WRITE_ONCE(p->mm, NULL);
	}
	raw_spin_unlock_irqrestore(&knmt_procs_lock, irqflags);
}

static void knmt_proc_bind_mm(struct knmt_proc *p, struct mm_struct *mm)
{
	unsigned long irqflags;

	raw_spin_lock_irqsave(&knmt_procs_lock, irqflags);
	if (!p->mm && !knmt_proc_by_mm(mm)) {
		WRITE_ONCE(p->mm, mm);
		hlist_add_head_rcu(&p->by_mm, knmt_mm_bucket(mm));
	}
	raw_spin_unlock_irqrestore(&knmt_procs_lock, irqflags);
}

static bool knmt_task_is_user(struct task_struct *t)
{
	return !(t->flags & (PF_KTHREAD | PF_IO_WORKER)) && t->mm;
}

/* sched_process_fork: a new thread group gets an entry. */
void knmt_proc_fork(struct task_struct *parent, struct task_struct *child)
{
	struct knmt_proc *from = NULL;
	struct mm_struct *mm = child->mm;

	if (!thread_group_leader(child) || !knmt_task_is_user(child) ||
	    !knmt_filter_match(child))
		return;
	if (mm == parent->mm)
		mm = NULL;	/* vfork/CLONE_VM: bound at exec */
	else
		from = knmt_proc_by_mm(parent->mm);
	knmt_proc_add(child, mm, 0, from);
}

/*
 * Take @p out of the table.  Two threads exiting together may both try:
 * the one that unhashes the entry returns true and owns what follows.
 */
static bool knmt_proc_unhash(struct knmt_proc *p)
{
	unsigned long irqflags;

	raw_spin_lock_irqsave(&knmt_procs_lock, irqflags);
	if (hlist_unhashed(&p->by_pid)) {
		raw_spin_unlock_irqrestore(&knmt_procs_lock, irqflags);
		return false;
	}
	if (p->mm) {
		hlist_del_init_rcu(&p->by_mm);
		WRITE_ONCE(p->mm, NULL);
	}
	hlist_del_init_rcu(&p->by_pid);
	raw_spin_unlock_irqrestore(&knmt_procs_lock, irqflags);
	return true;
}

/*
 * Drop the table's reference of an unhashed entry, with its origins; its
 * sockets still open wait for the socket sweep.
 */
static void knmt_proc_release(struct knmt_proc *p)
{
	knmt_proc_threads_drop(p);
	raw_spin_lock(&p->lock);
	knmt_origin_clear(p);
	raw_spin_unlock(&p->lock);
	knmt_proc_socks_gone(p);
	knmt_proc_put(p);
}

/* Stop tracking @p: the filter no longer selects it. */
static void knmt_proc_forget(struct knmt_proc *p)
{
	if (knmt_proc_unhash(p))
		knmt_proc_release(p);
}

static void knmt_ev_proc(u8 type, struct task_struct *t, u32 code,
			 u32 flags, u64 exit_seq)
{
	struct knmt_ev e = {
		.tid = task_pid_nr(t),
		.code = code,
		.flags = flags,
		.start = exit_seq,
	};

	knmt_copy_comm(e.comm, t);
	knmt_ev_emit(&e, type, task_tgid_nr(t));
}

/* sched_process_exec: a new program in a new address space. */
void knmt_proc_exec(struct task_struct *t)
{
	struct knmt_proc *p = knmt_proc_by_tgid(task_tgid_nr(t));

	if (!knmt_filter_match(t)) {
		if (p)
			knmt_proc_forget(p);
		return;
	}
	if (knmt_events_wanted())
		knmt_ev_proc(KNMT_EV_EXEC, t, 0, 0, 0);
	if (!p) {
		knmt_proc_add(t->group_leader, t->mm, 0, NULL);
		return;
	}
	knmt_proc_unbind_mm(p);
	raw_spin_lock(&p->lock);
	knmt_origin_clear(p);
	knmt_proc_reset(p);
	knmt_copy_comm(p->comm, t);
	p->flags &= ~KNMT_PROC_F_APPROX;
	raw_spin_unlock(&p->lock);
	knmt_proc_bind_mm(p, t->mm);
}

/* exit_mmap: the address space goes; its pointer may soon be reused. */
void knmt_proc_mm_gone(struct mm_struct *mm)
{
	struct knmt_proc *p = knmt_proc_by_mm(mm);

	if (!p)
		return;
	raw_spin_lock(&p->lock);
	knmt_origin_clear(p);
	raw_spin_unlock(&p->lock);
	knmt_proc_unbind_mm(p);
}

/* sched_process_exit: the last thread of the group takes the entry. */
void knmt_proc_exit(struct task_struct *t)
{
	struct knmt_proc *p;
	u64 seq;

	if (atomic_read(&t->signal->live))
		return;
	p = knmt_proc_by_tgid(task_tgid_nr(t));
	if (!p || !knmt_proc_unhash(p))
		return;
	seq = knmt_exit_record(p, t);
	if (knmt_events_wanted()) {
		u32 flags = (p->flags & KNMT_PROC_F_APPROX) | KNMT_PROC_F_EXITED;

		if (tsk_is_oom_victim(t)) {
			flags |= KNMT_PROC_F_OOM_VICTIM;
			knmt_ev_proc(KNMT_EV_OOM_VICTIM, t, 0, flags, 0);
		}
		knmt_ev_proc(KNMT_EV_EXIT, t, t->exit_code, flags, seq);
	}
	knmt_proc_release(p);
}

/*
 * Count @n faults at user code address @ip.  Four slots are probed; when
 * none holds @ip or is free, the least-counted of them is taken over and
 * its count moves to "other": sites that fault often stay, one-off sites
 * churn.  Lock-free: a race may misplace a count, never lose the table.
 */
void knmt_site_add(struct knmt_proc *p, unsigned long ip, unsigned int cat,
		   unsigned long n)
{
	unsigned int h = hash_long(ip, ilog2(KNMT_SITES)), i;
	struct knmt_site *victim = NULL;
	long least = LONG_MAX;

	for (i = 0; i < KNMT_SITE_PROBES; i++) {
		struct knmt_site *s = &p->sites[(h + i) % KNMT_SITES];
		unsigned long cur = atomic_long_read(&s->ip);
		long count;

		if (!cur)
			cur = atomic_long_cmpxchg(&s->ip, 0, ip) ?: ip;
		if (cur == ip) {
			atomic_long_add(n, &s->faults);
			WRITE_ONCE(s->cat, cat);
			return;
		}
		count = atomic_long_read(&s->faults);
		if (count < least) {
			least = count;
			victim = s;
		}
	}
	if (victim) {
		unsigned long old = atomic_long_read(&victim->ip);

		if (atomic_long_cmpxchg(&victim->ip, old, ip) == old) {
			atomic_long_add(atomic_long_xchg(&victim->faults, n),
					&p->sites_other);
			WRITE_ONCE(victim->cat, cat);
			return;
		}
	}
	atomic_long_add(n, &p->sites_other);
}

/*
 * One pass over the running processes: entries, marked approximate, for at
 * most @budget of those that have none.  RCU only: the pool's reserve is
 * what it can take.
 */
static unsigned int knmt_pickup_pass(unsigned int budget)
{
	struct task_struct *t;
	unsigned int added = 0;

	rcu_read_lock();
	for_each_process(t) {
		struct mm_struct *mm;

		if (!knmt_task_is_user(t) || (t->flags & PF_EXITING) ||
		    knmt_proc_by_tgid(task_tgid_nr(t)) ||
		    !knmt_filter_match(t))
			continue;
		if (added == budget)
			break;
		mm = READ_ONCE(t->mm);
		if (mm && knmt_proc_add(t, mm, KNMT_PROC_F_APPROX, NULL))
			added++;
	}
	rcu_read_unlock();
	return added;
}

/*
 * Processes running before the load (or newly selected by the filter),
 * in passes of half the reserve with the reserve topped up in between,
 * so that a host with thousands of processes gets them all, up to
 * procs_max; knmt_walk guesses their origins from their VMAs.
 */
void knmt_procs_pickup(void)
{
	const unsigned int budget = KNMT_PROC_RESERVE / 2;
	unsigned int added;

	do {
		knmt_pool_fill(&knmt_proc_pool);
		added = knmt_pickup_pass(budget);
		cond_resched();
	} while (added == budget);
}

/*
 * The filter changed (knmt_filter_set, process context): forget the
 * entries it no longer selects, and pick up the processes it now does.
 */
void knmt_procs_refilter(void)
{
	struct knmt_proc *p;
	u32 pos = 0;

	while ((p = knmt_proc_get_next(&pos))) {
		struct task_struct *t;
		bool keep;

		rcu_read_lock();
		t = pid_task(find_pid_ns(p->tgid, &init_pid_ns), PIDTYPE_TGID);
		keep = t && knmt_filter_match(t);
		rcu_read_unlock();
		if (!keep)
			knmt_proc_forget(p);
		knmt_proc_put(p);
		cond_resched();
	}
	knmt_procs_pickup();
	knmt_procs_guess();
	knmt_socks_rescan();
}

/*
 * Unload: no hook runs any more.  Drop the table's references, wait for
 * every RCU callback, then free the pool.
 */
void knmt_procs_exit(void)
{
	unsigned int bucket;
	struct knmt_proc *p;
	struct hlist_node *tmp;

	for (bucket = 0; knmt_pid_hash && bucket < (1U << knmt_hash_bits);
	     bucket++) {
		hlist_for_each_entry_safe(p, tmp, &knmt_pid_hash[bucket],
					  by_pid) {
			raw_spin_lock_irq(&knmt_procs_lock);
			if (p->mm)
				hlist_del_init_rcu(&p->by_mm);
			hlist_del_init_rcu(&p->by_pid);
			raw_spin_unlock_irq(&knmt_procs_lock);
			knmt_proc_threads_drop(p);
			raw_spin_lock(&p->lock);
			knmt_origin_clear(p);
			raw_spin_unlock(&p->lock);
			knmt_proc_put(p);
		}
	}
	/* Every entry and origin record back in its pool. */
	rcu_barrier();
	knmt_pool_kind_destroy(&knmt_proc_kind);
	knmt_threads_exit();
}
