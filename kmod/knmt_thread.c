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

#include "knmt.h"
#include "knmt_pool.h"
#include "knmt_proc.h"
#include "wrapper/syscall.h"
#include "wrapper/trace.h"

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

atomic_t knmt_mmaps_in_flight = ATOMIC_INIT(0);

static const struct knmt_pool_kind knmt_thr_kind = {
	.param = "threads_max",
	.limit = &knmt_threads_max,
	.lo = 64,
	.hi = 1U << 22,
	.name = "knmt_thread",
	.size = sizeof(struct knmt_thr),
	.reserve = KNMT_THR_RESERVE,
	.min_buckets = 64,
	.pool = &knmt_thr_pool,
	.bits = &knmt_thr_bits,
	.hash = { &knmt_thr_hash },
};

int knmt_threads_init(void)
{
	return knmt_pool_kind_init(&knmt_thr_kind);
}

static void knmt_thr_free_rcu(struct rcu_head *head)
{
	struct knmt_thr *r = container_of(head, struct knmt_thr, rcu);

	/* No hook can reach @r any more: a mapping it followed is over. */
	knmt_thr_mmap_state(r, KNMT_MMAP_IDLE);
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
	knmt_pool_kind_destroy(&knmt_thr_kind);
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
	return knmt_pool_kind_bytes(&knmt_thr_kind);
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
 * A fault on another address space than the process's (get_user_pages on
 * it, or a vfork child's): what the VMA says, without the origin map.
 * Out of line, as is a fault without a record: the common path keeps no
 * local whose address is taken (no stack canary).
 */
static noinline unsigned int knmt_vma_only_category(struct vm_area_struct *vma)
{
	u8 origin;

	return knmt_vma_category(vma, &origin);
}

static noinline void knmt_fault_no_record(struct knmt_proc *p,
					  struct vm_area_struct *vma,
					  unsigned long addr, unsigned long ip)
{
	unsigned int cat = vma->vm_mm == READ_ONCE(p->mm) ?
			   knmt_addr_category(p, vma, addr) :
			   knmt_vma_only_category(vma);

	atomic_long_inc(&p->faults[cat][0]);
	knmt_site_add(p, ip, cat, 1);
}

/*
 * A record for @t (current) in @p, its process: NULL when @p is being
 * released, or when the limit is reached (then @full, if given, is set).
 * Only @t adds its own record, so there is never a second one.
 */
static noinline struct knmt_thr *knmt_thr_add(struct task_struct *t,
					      struct knmt_proc *p, bool *full)
{
	struct knmt_thr *r = knmt_pool_get(&knmt_thr_pool);

	if (full)
		*full = !r;
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
 * The first fault of @t (current) seen: a record, if its process is
 * tracked and the limit allows; a fault without one is counted here.
 */
static noinline struct knmt_thr *knmt_thr_new(struct task_struct *t,
					      struct vm_area_struct *vma,
					      unsigned long addr,
					      unsigned long ip)
{
	struct knmt_proc *p = knmt_proc_by_tgid(task_tgid_nr(t));
	struct knmt_thr *r;
	bool full;

	if (!p)
		return NULL;
	r = knmt_thr_add(t, p, &full);
	/* No record (threads_max): counted as it starts. */
	if (full)
		knmt_fault_no_record(p, vma, addr, ip);
	return r;
}

/* current's record, if it has one.  Preemption off. */
struct knmt_thr *knmt_thread_find(void)
{
	return knmt_thr_find(current);
}

/*
 * current's record, made if it has none yet (a thread that maps before it
 * faults): NULL for a kernel thread, a process not tracked, or the limit.
 * Preemption off.
 */
struct knmt_thr *knmt_thread_get(void)
{
	struct task_struct *t = current;
	struct knmt_thr *r = knmt_thr_find(t);
	struct knmt_proc *p;

	if (r || (t->flags & PF_KTHREAD))
		return r;
	p = knmt_proc_by_tgid(task_tgid_nr(t));
	return p ? knmt_thr_add(t, p, NULL) : NULL;
}

/*
 * A record's counts half way to their limit move to the process's, for
 * readers at once: both sequence counts change.  @r's thread.
 */
static void knmt_thr_fold(struct knmt_thr *r, struct knmt_proc *p)
{
	unsigned int i;

	raw_spin_lock(&p->lock);
	write_seqcount_begin(&p->thr_seq);
	raw_write_seqcount_begin(&r->seq);
	for (i = 0; i < KNMT_CAT_NR; i++) {
		atomic_long_add(r->faults[i][0], &p->faults[i][0]);
		atomic_long_add(r->faults[i][1], &p->faults[i][1]);
		r->faults[i][0] = 0;
		r->faults[i][1] = 0;
	}
	raw_write_seqcount_end(&r->seq);
	write_seqcount_end(&p->thr_seq);
	raw_spin_unlock(&p->lock);
}

/*
 * The category of @addr in @vma for @r's thread: the last one while the
 * address is in the range it holds for and the map has not changed since,
 * else looked up.  A removed origin record changes the generation before
 * its grace period starts, so one that matches is still there.
 */
static __always_inline unsigned int knmt_thr_category(struct knmt_thr *r,
						      struct knmt_proc *p,
						      struct vm_area_struct *vma,
						      unsigned long addr)
{
	/* Pairs with knmt_origin_changed(): the record is read after. */
	unsigned long gen = atomic_long_read_acquire(&p->map_gen);
	unsigned int cat;

	if (vma == r->c_vma && addr - r->c_start < r->c_end - r->c_start &&
	    gen == r->c_gen) {
		if (r->c_orec)
			atomic_inc(&r->c_orec->faults);
		return r->c_cat;
	}
	cat = knmt_addr_category_range(p, vma, addr, &r->c_start, &r->c_end,
				       &r->c_orec);
	r->c_vma = vma;
	r->c_gen = gen;
	r->c_cat = cat;
	return cat;
}

/*
 * handle_mm_fault(@vma, @addr, ...) entered by current, in the hook's
 * guard; @uregs is the user context of the fault, NULL for one taken on
 * behalf of a system call (get_user_pages).  A kernel thread working on a
 * user mm (kthread_use_mm) has its own counters, which no process shows.
 *
 * The settled faults of one site gather in the record and go to the
 * process's table when the thread faults at another site (a loop touching
 * pages faults at the same place again and again).
 */
static __always_inline void knmt_thread_fault(struct vm_area_struct *vma,
					      unsigned long addr,
					      struct pt_regs *uregs)
{
	unsigned long ip, flush_ip = 0, flush_n = 0;
	struct task_struct *t = current;
	unsigned int cat, flush_cat = 0;
	struct knmt_proc *p;
	struct knmt_thr *r;
	u32 mn, mj, dmin, dmaj;

	if (t->flags & PF_KTHREAD)
		return;
	ip = uregs && user_mode(uregs) ? instruction_pointer(uregs) :
					 knmt_user_ip();
	r = knmt_thr_find(t);
	if (unlikely(!r)) {
		r = knmt_thr_new(t, vma, addr, ip);
		if (!r)
			return;
	}
	p = r->proc;
	if (likely(vma->vm_mm == READ_ONCE(p->mm)))
		cat = knmt_thr_category(r, p, vma, addr);
	else
		cat = knmt_vma_only_category(vma);

	mn = READ_ONCE(t->min_flt);
	mj = READ_ONCE(t->maj_flt);
	dmin = mn - r->snap[0];
	dmaj = mj - r->snap[1];
	raw_write_seqcount_begin(&r->seq);
	if (dmin | dmaj) {
		r->faults[r->cat][0] += dmin;
		r->faults[r->cat][1] += dmaj;
		r->snap[0] = mn;
		r->snap[1] = mj;
		if (r->ip == r->site_ip && r->cat == r->site_cat) {
			r->site_n += dmin + dmaj;
		} else {
			flush_ip = r->site_ip;
			flush_n = r->site_n;
			flush_cat = r->site_cat;
			r->site_ip = r->ip;
			r->site_cat = r->cat;
			r->site_n = dmin + dmaj;
		}
	}
	r->cat = cat;
	r->ip = ip;
	raw_write_seqcount_end(&r->seq);
	if (flush_n)
		knmt_site_add(p, flush_ip, flush_cat, flush_n);
	if (unlikely((r->faults[r->site_cat][0] | r->faults[r->site_cat][1]) &
		     BIT(31)))
		knmt_thr_fold(r, p);
}

/*
 * The fault hook: handle_mm_fault(vma, address, flags, regs), on entry
 * alone.  The settling is inlined in both of its handlers.
 */
static __always_inline void knmt_fault(struct vm_area_struct *vma,
				       unsigned long addr,
				       struct pt_regs *uregs)
{
	if (!knmt_enter(KNMT_HOOK_FAULT))
		return;
	knmt_thread_fault(vma, addr, uregs);
	knmt_leave();
}

void notrace knmt_ft_fault(unsigned long ip, unsigned long parent_ip,
			   struct ftrace_ops *ops, struct ftrace_regs *fregs)
{
	knmt_ft_begin();
	knmt_fault((struct vm_area_struct *)knmt_ftrace_arg(fregs, 0),
		   knmt_ftrace_arg(fregs, 1),
		   (struct pt_regs *)knmt_ftrace_arg(fregs, 3));
	knmt_ft_end();
}

int knmt_kp_fault(struct kprobe *kp, struct pt_regs *regs)
{
	knmt_fault((struct vm_area_struct *)regs_get_kernel_argument(regs, 0),
		   regs_get_kernel_argument(regs, 1),
		   (struct pt_regs *)regs_get_kernel_argument(regs, 3));
	return 0;
}

/*
 * What @r settled, and what its task's counters moved since its last
 * entry, under its sequence count.  RCU.
 */
struct knmt_thr_view {
	u32 faults[KNMT_CAT_NR][2];
	unsigned int cat;		/* of the pending faults */
	unsigned long ip;
	u32 pend[2];			/* minor, major, not settled */
	unsigned int site_cat;		/* of the site's gathered faults */
	unsigned long site_ip;
	unsigned long site_n;
};

static void knmt_thr_read(struct knmt_thr *r, struct knmt_thr_view *v)
{
	unsigned int seq;

	do {
		seq = read_seqcount_begin(&r->seq);
		memcpy(v->faults, r->faults, sizeof(r->faults));
		v->cat = r->cat;
		v->ip = r->ip;
		v->pend[0] = (u32)READ_ONCE(r->task->min_flt) - r->snap[0];
		v->pend[1] = (u32)READ_ONCE(r->task->maj_flt) - r->snap[1];
		v->site_cat = r->site_cat;
		v->site_ip = r->site_ip;
		v->site_n = r->site_n;
	} while (read_seqcount_retry(&r->seq, seq));
}

/*
 * sched_process_exit of @t (current): its counters are final.  Its
 * record's counts move to the process's, its faults to their sites.
 */
void knmt_thread_exit(struct task_struct *t)
{
	struct knmt_thr_view v;
	struct knmt_proc *p;
	struct knmt_thr *r;
	bool fold = false;
	unsigned int i;

	r = knmt_thr_find(t);
	if (!r)
		return;
	p = r->proc;
	raw_spin_lock(&p->lock);
	/* Not dropped meanwhile with its process. */
	if (knmt_thr_find(t) == r) {
		knmt_thr_read(r, &v);
		write_seqcount_begin(&p->thr_seq);
		for (i = 0; i < KNMT_CAT_NR; i++) {
			atomic_long_add(v.faults[i][0], &p->faults[i][0]);
			atomic_long_add(v.faults[i][1], &p->faults[i][1]);
		}
		atomic_long_add(v.pend[0], &p->faults[v.cat][0]);
		atomic_long_add(v.pend[1], &p->faults[v.cat][1]);
		knmt_thr_unlink(r);
		write_seqcount_end(&p->thr_seq);
		fold = true;
	}
	raw_spin_unlock(&p->lock);
	if (!fold)
		return;
	if (v.site_n)
		knmt_site_add(p, v.site_ip, v.site_cat, v.site_n);
	if (v.pend[0] | v.pend[1])
		knmt_site_add(p, v.ip, v.cat, v.pend[0] + v.pend[1]);
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
	struct knmt_thr_view v;
	unsigned int seq, i;
	struct knmt_thr *r;

	rcu_read_lock();
	do {
		seq = read_seqcount_begin(&p->thr_seq);
		for (i = 0; i < KNMT_CAT_NR; i++) {
			out[i][0] = atomic_long_read(&p->faults[i][0]);
			out[i][1] = atomic_long_read(&p->faults[i][1]);
		}
		list_for_each_entry_rcu(r, &p->threads, node) {
			knmt_thr_read(r, &v);
			for (i = 0; i < KNMT_CAT_NR; i++) {
				out[i][0] += v.faults[i][0];
				out[i][1] += v.faults[i][1];
			}
			out[v.cat][0] += v.pend[0];
			out[v.cat][1] += v.pend[1];
		}
	} while (read_seqcount_retry(&p->thr_seq, seq));
	rcu_read_unlock();
}

/*
 * The faults of @p's live threads not yet in its site table, by user code
 * address: @fn(@arg, ip, category, faults) for each.  Process context.
 */
void knmt_proc_faults_pending(struct knmt_proc *p,
			      void (*fn)(void *arg, unsigned long ip,
					 unsigned int cat, u64 faults),
			      void *arg)
{
	struct knmt_thr_view v;
	struct knmt_thr *r;

	rcu_read_lock();
	list_for_each_entry_rcu(r, &p->threads, node) {
		knmt_thr_read(r, &v);
		if (v.site_n)
			fn(arg, v.site_ip, v.site_cat, v.site_n);
		if (v.pend[0] | v.pend[1])
			fn(arg, v.ip, v.cat, (u64)v.pend[0] + v.pend[1]);
	}
	rcu_read_unlock();
}
