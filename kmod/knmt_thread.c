// SPDX-License-Identifier: GPL-2.0
/*
 * knmt - fault accounting per thread.
 *
 * The kernel counts a fault (mm_account_fault()) as handle_mm_fault()
 * returns: not when it is retried or fails, and as major when it did I/O
 * or a retry came before it.  Seeing that outcome takes a return probe,
 * which costs more than the rest of knmt's work on a fault put together.
 * knmt hooks the entry alone and reads the outcome from the kernel's own
 * counters: between two entries of handle_mm_fault() by one thread, its
 * min_flt and maj_flt move by what the first of the two counted, and by
 * nothing else.  So each entry settles the thread's previous one: what the
 * counters moved since is added to the category that entry found, and the
 * new entry keeps its own category and the counters for the next.  An
 * entry knmt misses (re-entry) only moves its fault to the category of the
 * one before: the totals stay the kernel's.
 *
 * A thread's record holds that state and what it settled.  Only the thread
 * writes it (its faults, its exec, its exit), with preemption off, inside
 * a sequence count.  Readers add what the thread's counters moved since its
 * last entry, so a read is exact at any moment and never goes back.  An
 * exiting thread folds its record into the process's counters under the
 * process's sequence count.  A record holds a reference to its task, whose
 * counters readers read.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/rculist.h>
#include <linux/sched/task.h>
#include <linux/vmalloc.h>

#include "knmt.h"
#include "knmt_pool.h"
#include "knmt_proc.h"
#include "wrapper/syscall.h"

unsigned int knmt_threads_max = 131072;
module_param_named(threads_max, knmt_threads_max, uint, 0444);
MODULE_PARM_DESC(threads_max,
		 "Most threads with a fault record at once, 64..4194304 (default 131072)");

/* Free records kept ready for thread storms. */
#define KNMT_THR_RESERVE	128

static struct knmt_pool knmt_thr_pool;
static struct hlist_head *knmt_thr_hash;
static unsigned int knmt_thr_bits;
static DEFINE_RAW_SPINLOCK(knmt_thr_lock);	/* hash insertions, removals */

int knmt_threads_init(void)
{
	int err;

	if (knmt_threads_max < 64 || knmt_threads_max > (1U << 22)) {
		pr_err("threads_max=%u is outside 64..4194304\n",
		       knmt_threads_max);
		return -EINVAL;
	}
	knmt_thr_bits = ilog2(roundup_pow_of_two(max(knmt_threads_max / 4,
						     64U)));
	knmt_thr_hash = vcalloc(1U << knmt_thr_bits, sizeof(*knmt_thr_hash));
	if (!knmt_thr_hash)
		return -ENOMEM;
	err = knmt_pool_init(&knmt_thr_pool, "knmt_thread",
			     sizeof(struct knmt_thr), knmt_threads_max,
			     KNMT_THR_RESERVE);
	if (err) {
		vfree(knmt_thr_hash);
		knmt_thr_hash = NULL;
	}
	return err;
}

static void knmt_thr_free_rcu(struct rcu_head *head)
{
	struct knmt_thr *r = container_of(head, struct knmt_thr, rcu);

	put_task_struct(r->task);
	knmt_pool_put(&knmt_thr_pool, r);
}

/* Out of both lists; freed after a grace period.  @r->proc->lock held. */
static void knmt_thr_unlink(struct knmt_thr *r)
{
	list_del_rcu(&r->node);
	raw_spin_lock(&knmt_thr_lock);
	hlist_del_rcu(&r->by_task);
	raw_spin_unlock(&knmt_thr_lock);
	call_rcu(&r->rcu, knmt_thr_free_rcu);
}

/* The process goes (exit, filter, unload): its records go with it. */
void knmt_proc_threads_drop(struct knmt_proc *p)
{
	struct knmt_thr *r, *tmp;

	raw_spin_lock(&p->lock);
	list_for_each_entry_safe(r, tmp, &p->threads, node)
		knmt_thr_unlink(r);
	raw_spin_unlock(&p->lock);
}

/* Unload, after knmt_procs_exit() has dropped every process's records. */
void knmt_threads_exit(void)
{
	if (!knmt_thr_hash)
		return;
	rcu_barrier();
	knmt_pool_destroy(&knmt_thr_pool);
	vfree(knmt_thr_hash);
	knmt_thr_hash = NULL;
}

unsigned int knmt_threads_tracked(void)
{
	return knmt_pool_in_use(&knmt_thr_pool);
}

u64 knmt_threads_overflow(void)
{
	return atomic64_read(&knmt_thr_pool.overflow);
}

size_t knmt_threads_mem_bytes(void)
{
	return knmt_pool_bytes(&knmt_thr_pool) +
	       (sizeof(struct hlist_head) << knmt_thr_bits);
}

static struct hlist_head *knmt_thr_bucket(const struct task_struct *t)
{
	return &knmt_thr_hash[hash_ptr(t, knmt_thr_bits)];
}

/* RCU or preemption off. */
static struct knmt_thr *knmt_thr_find(const struct task_struct *t)
{
	struct knmt_thr *r;

	hlist_for_each_entry_rcu(r, knmt_thr_bucket(t), by_task) {
		if (r->task == t)
			return r;
	}
	return NULL;
}

/*
 * The first fault of @t (current) seen: a record, if its process is
 * tracked (*pp) and the limit allows.  Only @t adds its own record, so
 * there is never a second one.
 */
static struct knmt_thr *knmt_thr_new(struct task_struct *t,
				     struct knmt_proc **pp)
{
	struct knmt_proc *p = knmt_proc_by_tgid(task_tgid_nr(t));
	struct knmt_thr *r;

	*pp = p;
	if (!p)
		return NULL;
	r = knmt_pool_get(&knmt_thr_pool);
	if (!r)
		return NULL;
	get_task_struct(t);
	r->task = t;
	r->proc = p;
	seqcount_init(&r->seq);
	r->snap[0] = READ_ONCE(t->min_flt);
	r->snap[1] = READ_ONCE(t->maj_flt);

	/* A process being released has its records dropped after this. */
	raw_spin_lock(&p->lock);
	if (hlist_unhashed(&p->by_pid)) {
		raw_spin_unlock(&p->lock);
		put_task_struct(t);	/* not the last: @t runs this */
		knmt_pool_put(&knmt_thr_pool, r);
		return NULL;
	}
	list_add_tail_rcu(&r->node, &p->threads);
	raw_spin_lock(&knmt_thr_lock);
	hlist_add_head_rcu(&r->by_task, knmt_thr_bucket(t));
	raw_spin_unlock(&knmt_thr_lock);
	raw_spin_unlock(&p->lock);
	return r;
}

/*
 * handle_mm_fault(@vma, @addr, ...) entered by current, in the hook's
 * guard; @uregs is the user context of the fault, NULL for one taken on
 * behalf of a system call (get_user_pages).  A kernel thread working on a
 * user mm (kthread_use_mm) has its own counters, which no process shows.
 */
void knmt_thread_fault(struct vm_area_struct *vma, unsigned long addr,
		       struct pt_regs *uregs)
{
	struct task_struct *t = current;
	unsigned int cat, prev_cat;
	unsigned long ip, prev_ip;
	struct knmt_proc *p;
	struct knmt_thr *r;
	u32 mn, mj, dmin, dmaj;
	u8 origin;

	if (t->flags & PF_KTHREAD)
		return;
	r = knmt_thr_find(t);
	if (likely(r))
		p = r->proc;
	else
		r = knmt_thr_new(t, &p);
	if (!p)
		return;
	/* Another address space: get_user_pages on it, or a vfork child. */
	if (likely(vma->vm_mm == READ_ONCE(p->mm)))
		cat = knmt_addr_category(p, vma, addr);
	else
		cat = knmt_vma_category(vma, &origin);
	ip = uregs && user_mode(uregs) ? instruction_pointer(uregs) :
					 knmt_user_ip();
	if (unlikely(!r)) {
		/* No record (threads_max): counted as it starts. */
		atomic_long_inc(&p->faults[cat][0]);
		knmt_site_add(p, ip, cat, 1);
		return;
	}

	mn = READ_ONCE(t->min_flt);
	mj = READ_ONCE(t->maj_flt);
	dmin = mn - r->snap[0];
	dmaj = mj - r->snap[1];
	prev_cat = r->cat;
	prev_ip = r->ip;
	raw_write_seqcount_begin(&r->seq);
	if (dmin | dmaj) {
		r->faults[prev_cat][0] += dmin;
		r->faults[prev_cat][1] += dmaj;
		r->snap[0] = mn;
		r->snap[1] = mj;
	}
	r->cat = cat;
	r->ip = ip;
	raw_write_seqcount_end(&r->seq);
	if ((dmin | dmaj) && prev_ip)
		knmt_site_add(p, prev_ip, prev_cat, dmin + dmaj);
}

/*
 * What @r settled, and what its task's counters moved since its last
 * entry, under its sequence count.  RCU.
 */
static void knmt_thr_read(struct knmt_thr *r,
			  unsigned long faults[KNMT_CAT_NR][2],
			  unsigned int *cat, unsigned long *ip, u32 pend[2])
{
	unsigned int seq;

	do {
		seq = read_seqcount_begin(&r->seq);
		memcpy(faults, r->faults, sizeof(r->faults));
		*cat = r->cat;
		*ip = r->ip;
		pend[0] = (u32)READ_ONCE(r->task->min_flt) - r->snap[0];
		pend[1] = (u32)READ_ONCE(r->task->maj_flt) - r->snap[1];
	} while (read_seqcount_retry(&r->seq, seq));
}

/*
 * sched_process_exit of @t (current): its counters are final.  Its
 * record's counts move to the process's.
 */
void knmt_thread_exit(struct task_struct *t)
{
	unsigned long faults[KNMT_CAT_NR][2], ip = 0;
	unsigned int cat = 0, i;
	struct knmt_proc *p;
	struct knmt_thr *r;
	u32 pend[2] = { };
	bool fold = false;

	r = knmt_thr_find(t);
	if (!r)
		return;
	p = r->proc;
	raw_spin_lock(&p->lock);
	/* Not dropped meanwhile with its process. */
	if (knmt_thr_find(t) == r) {
		knmt_thr_read(r, faults, &cat, &ip, pend);
		write_seqcount_begin(&p->thr_seq);
		for (i = 0; i < KNMT_CAT_NR; i++) {
			atomic_long_add(faults[i][0], &p->faults[i][0]);
			atomic_long_add(faults[i][1], &p->faults[i][1]);
		}
		atomic_long_add(pend[0], &p->faults[cat][0]);
		atomic_long_add(pend[1], &p->faults[cat][1]);
		knmt_thr_unlink(r);
		write_seqcount_end(&p->thr_seq);
		fold = true;
	}
	raw_spin_unlock(&p->lock);
	if (fold && (pend[0] | pend[1]) && ip)
		knmt_site_add(p, ip, cat, pend[0] + pend[1]);
}

/*
 * sched_process_exec of @t (current), before the process's counts start
 * again: its record goes, and its next fault makes a new one.
 */
void knmt_thread_exec(struct task_struct *t)
{
	struct knmt_thr *r = knmt_thr_find(t);
	struct knmt_proc *p;

	if (!r)
		return;
	p = r->proc;
	raw_spin_lock(&p->lock);
	if (knmt_thr_find(t) == r)
		knmt_thr_unlink(r);
	raw_spin_unlock(&p->lock);
}

/*
 * The fault counts of @p to this moment: its exited threads' and each
 * live thread's, settled or not.  Any context; RCU inside.
 */
void knmt_proc_faults(struct knmt_proc *p, u64 out[KNMT_CAT_NR][2])
{
	unsigned long faults[KNMT_CAT_NR][2], ip;
	unsigned int seq, cat, i;
	struct knmt_thr *r;
	u32 pend[2];

	rcu_read_lock();
	do {
		seq = read_seqcount_begin(&p->thr_seq);
		for (i = 0; i < KNMT_CAT_NR; i++) {
			out[i][0] = atomic_long_read(&p->faults[i][0]);
			out[i][1] = atomic_long_read(&p->faults[i][1]);
		}
		list_for_each_entry_rcu(r, &p->threads, node) {
			knmt_thr_read(r, faults, &cat, &ip, pend);
			for (i = 0; i < KNMT_CAT_NR; i++) {
				out[i][0] += faults[i][0];
				out[i][1] += faults[i][1];
			}
			out[cat][0] += pend[0];
			out[cat][1] += pend[1];
		}
	} while (read_seqcount_retry(&p->thr_seq, seq));
	rcu_read_unlock();
}

/*
 * The faults of @p's live threads not yet settled, by user code address:
 * @fn(@arg, ip, category, faults) for each.  Process context.
 */
void knmt_proc_faults_pending(struct knmt_proc *p,
			      void (*fn)(void *arg, unsigned long ip,
					 unsigned int cat, u64 faults),
			      void *arg)
{
	unsigned long faults[KNMT_CAT_NR][2], ip;
	unsigned int cat;
	struct knmt_thr *r;
	u32 pend[2];

	rcu_read_lock();
	list_for_each_entry_rcu(r, &p->threads, node) {
		knmt_thr_read(r, faults, &cat, &ip, pend);
		if (pend[0] | pend[1])
			fn(arg, ip, cat, (u64)pend[0] + pend[1]);
	}
	rcu_read_unlock();
}
