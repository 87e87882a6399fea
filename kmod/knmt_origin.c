// SPDX-License-Identifier: GPL-2.0
/*
 * knmt - the origin map: per-process address ranges and where they came
 * from, kept from the mmap, munmap and mremap hooks.
 *
 * Records come from a pool (knmt_pool.h) of at most regions_max: hooks
 * run in atomic context, where PREEMPT_RT allows no allocation at all.
 * An empty reserve is counted, never waited on.
 *
 * Each process's records are a latched rb-tree: the fault path looks an
 * address up without a lock; writers (the mapping hooks, which the kernel
 * already serialises per address space with mmap_lock) take the process's
 * lock and walk tree[0] directly for range operations.  A removed record
 * goes back to the pool after an RCU grace period, when no lockless reader
 * can still see it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>

#include "knmt.h"
#include "knmt_events.h"
#include "knmt_pool.h"
#include "knmt_proc.h"

unsigned int knmt_regions_max = 65536;
module_param_named(regions_max, knmt_regions_max, uint, 0444);
MODULE_PARM_DESC(regions_max,
		 "Most origin records (reservations, stacks, off-heap buffers) over all processes, 1024..16777216 (default 65536)");

static struct knmt_pool knmt_orec_pool;

/* Free records kept ready for the hooks. */
#define KNMT_OREC_RESERVE	1024

int knmt_origins_init(void)
{
	if (knmt_regions_max < 1024 || knmt_regions_max > (1U << 24)) {
		pr_err("regions_max=%u is outside 1024..16777216\n",
		       knmt_regions_max);
		return -EINVAL;
	}
	return knmt_pool_init(&knmt_orec_pool, "knmt_origin",
			      sizeof(struct knmt_orec), knmt_regions_max,
			      KNMT_OREC_RESERVE);
}

/* Called once no hook can run and every RCU callback has completed. */
void knmt_origins_exit(void)
{
	knmt_pool_destroy(&knmt_orec_pool);
}

size_t knmt_origins_mem_bytes(void)
{
	return knmt_pool_bytes(&knmt_orec_pool);
}

unsigned int knmt_regions_tracked(void)
{
	return knmt_pool_in_use(&knmt_orec_pool);
}

u64 knmt_regions_overflow(void)
{
	return atomic64_read(&knmt_orec_pool.overflow);
}

/* Process context: make sure the reserve is full before a burst. */
void knmt_origins_refill(void)
{
	knmt_pool_fill(&knmt_orec_pool);
}

static struct knmt_orec *knmt_origin_alloc(void)
{
	return knmt_pool_get(&knmt_orec_pool);
}

static void knmt_origin_free_rcu(struct rcu_head *head)
{
	knmt_pool_put(&knmt_orec_pool,
		      container_of(head, struct knmt_orec, rcu));
}

static __always_inline struct knmt_orec *
knmt_ltn_origin(struct latch_tree_node *n)
{
	return container_of(n, struct knmt_orec, ltn);
}

static __always_inline bool knmt_origin_less(struct latch_tree_node *a,
					     struct latch_tree_node *b)
{
	return knmt_ltn_origin(a)->start < knmt_ltn_origin(b)->start;
}

static __always_inline int knmt_origin_comp(void *key,
					    struct latch_tree_node *n)
{
	unsigned long addr = (unsigned long)key;
	struct knmt_orec *o = knmt_ltn_origin(n);

	if (addr < o->start)
		return -1;
	if (addr >= o->end)
		return 1;
	return 0;
}

static const struct latch_tree_ops knmt_origin_ops = {
	.less = knmt_origin_less,
	.comp = knmt_origin_comp,
};

void knmt_origin_tree_init(struct knmt_proc *p)
{
	seqcount_latch_init(&p->origins.seq);
	p->origins.tree[0] = RB_ROOT;
	p->origins.tree[1] = RB_ROOT;
	p->nr_origins = 0;
}

/* A record overlapping the range *@key, [start, end). */
static __always_inline int knmt_origin_comp_range(void *key,
						  struct latch_tree_node *n)
{
	const unsigned long *range = key;
	struct knmt_orec *o = knmt_ltn_origin(n);

	if (range[1] <= o->start)
		return -1;
	if (range[0] >= o->end)
		return 1;
	return 0;
}

static const struct latch_tree_ops knmt_origin_range_ops = {
	.less = knmt_origin_less,
	.comp = knmt_origin_comp_range,
};

/*
 * Lockless, RCU: does a record overlap [start, end)?  Records do not
 * overlap each other, so a search by range is a search by address.
 */
bool knmt_origin_overlaps(struct knmt_proc *p, unsigned long start,
			  unsigned long end)
{
	unsigned long range[2] = { start, end };

	return latch_tree_find(range, &p->origins, &knmt_origin_range_ops);
}

/* Lockless: the caller is in an RCU read-side section. */
struct knmt_orec *knmt_origin_find(struct knmt_proc *p, unsigned long addr)
{
	struct latch_tree_node *n;

	n = latch_tree_find((void *)addr, &p->origins, &knmt_origin_ops);
	return n ? knmt_ltn_origin(n) : NULL;
}

/* Writer side (p->lock held): the first record ending above @addr. */
struct knmt_orec *knmt_origin_next(struct knmt_proc *p, unsigned long addr)
{
	struct rb_node *rb = p->origins.tree[0].rb_node;
	struct knmt_orec *best = NULL;

	while (rb) {
		struct latch_tree_node *ltn =
			container_of(rb, struct latch_tree_node, node[0]);
		struct knmt_orec *o = knmt_ltn_origin(ltn);

		if (o->end > addr) {
			best = o;
			rb = rb->rb_left;
		} else {
			rb = rb->rb_right;
		}
	}
	return best;
}

static struct knmt_orec *knmt_origin_after(struct knmt_orec *o)
{
	struct rb_node *rb = rb_next(&o->ltn.node[0]);

	if (!rb)
		return NULL;
	return knmt_ltn_origin(container_of(rb, struct latch_tree_node,
					    node[0]));
}

/*
 * The map changed: what a thread cached of it (knmt_thread.c) is stale.
 * Before a removed record's grace period starts, so a fault path that
 * still sees the old generation sees its record alive.
 */
/*
 * The origins or the VMAs of @p changed: with @p->lock held, or, for an
 * unmap that changed no origin, without (unmaps of one process may run at
 * once, under mmap_lock for reading): a lost change could leave a thread
 * a classification that names a record gone.
 */
void knmt_origin_changed(struct knmt_proc *p)
{
	/* Pairs with knmt_thr_category(): the tree changed first. */
	atomic_long_inc_return_release(&p->map_gen);
}

static void knmt_origin_link(struct knmt_proc *p, struct knmt_orec *o)
{
	latch_tree_insert(&o->ltn, &p->origins, &knmt_origin_ops);
	p->nr_origins++;
	knmt_origin_changed(p);
}

static void knmt_origin_unlink(struct knmt_proc *p, struct knmt_orec *o)
{
	latch_tree_erase(&o->ltn, &p->origins, &knmt_origin_ops);
	p->nr_origins--;
	knmt_origin_changed(p);
	call_rcu(&o->rcu, knmt_origin_free_rcu);
}

/* Bucket i: lifetimes below 4^i ms; the last bucket takes the rest. */
unsigned int knmt_lifetime_bucket(u64 ns)
{
	u64 ms = div_u64(ns, NSEC_PER_MSEC);
	unsigned int b;

	if (!ms)
		return 0;
	b = ilog2(ms) / 2 + 1;
	return min_t(unsigned int, b, KNMT_LIFETIME_BUCKETS - 1);
}

/*
 * Off-heap accounting keeps allocated - freed == live.  A range that moves
 * (mremap) is neither; a MAP_FIXED remap of part of a buffer frees the
 * part (the unmap hook counts it) and allocates it again, in the same
 * buffer.
 */
static void knmt_ev_offheap(struct knmt_proc *p, u8 type,
			    unsigned long start, u64 len, u64 lifetime)
{
	struct knmt_ev e = {
		.tid = task_pid_nr(current),
		.start = start,
		.len = len,
		.lifetime_ns = lifetime,
	};

	knmt_ev_emit(&e, type, p->tgid);
}

static void knmt_offheap_born(struct knmt_proc *p, u64 len,
			      unsigned int flags)
{
	p->offheap.live_bytes += len;
	if (flags & KNMT_ORIGIN_F_PART) {
		p->offheap.alloc_bytes += len;
		return;
	}
	p->offheap.live_count++;
	if (!(flags & KNMT_ORIGIN_F_MOVED)) {
		p->offheap.alloc_count++;
		p->offheap.alloc_bytes += len;
	}
}

static void knmt_offheap_died(struct knmt_proc *p, struct knmt_orec *o,
			      u64 len, bool whole, unsigned int flags)
{
	p->offheap.live_bytes -= min(len, p->offheap.live_bytes);
	if (whole && p->offheap.live_count)
		p->offheap.live_count--;
	if (!(flags & KNMT_ORIGIN_F_DEATH))
		return;
	p->offheap.freed_bytes += len;
	if (whole) {
		u64 lifetime = ktime_get_boottime_ns() - o->birth_ns;

		p->offheap.freed_count++;
		p->offheap.lifetime[knmt_lifetime_bucket(lifetime)]++;
		if (knmt_events_wanted())
			knmt_ev_offheap(p, KNMT_EV_OFFHEAP_FREE, o->start, len,
					lifetime);
	}
}

/*
 * Re-create the part of @o outside [start, end) as a new record with the
 * same birth; @o itself is unlinked by the caller.
 */
static int knmt_origin_keep_part(struct knmt_proc *p, struct knmt_orec *o,
				 unsigned long start, unsigned long end)
{
	struct knmt_orec *n = knmt_origin_alloc();

	if (!n)
		return -ENOSPC;
	n->start = start;
	n->end = end;
	n->birth_ns = o->birth_ns;
	n->tid = o->tid;
	n->kind = o->kind;
	n->guessed = o->guessed;
	atomic_set(&n->faults, atomic_read(&o->faults));
	knmt_origin_link(p, n);
	return 0;
}

/*
 * Writer side: forget [start, end), trimming records that straddle it.
 * The range is unmapped: what a VMA decided there is stale too.
 */
void knmt_origin_remove(struct knmt_proc *p, unsigned long start,
			unsigned long end, unsigned int flags)
{
	struct knmt_orec *o = knmt_origin_next(p, start);

	knmt_origin_changed(p);

	while (o && o->start < end) {
		struct knmt_orec *next = knmt_origin_after(o);
		unsigned long cut_start = max(o->start, start);
		unsigned long cut_end = min(o->end, end);
		bool whole = cut_start == o->start && cut_end == o->end;

		if (o->kind == KNMT_ORIGIN_OFFHEAP)
			knmt_offheap_died(p, o, cut_end - cut_start, whole,
					  flags);
		/*
		 * A record losing its middle becomes two.  With the pool
		 * empty the kept parts are dropped: counted as overflow,
		 * their addresses fall back to what the VMA says.
		 */
		if (o->start < cut_start)
			knmt_origin_keep_part(p, o, o->start, cut_start);
		if (cut_end < o->end)
			knmt_origin_keep_part(p, o, cut_end, o->end);
		knmt_origin_unlink(p, o);
		o = next;
	}
}

/* Writer side: record [start, end) as @kind, replacing what was there. */
int knmt_origin_insert(struct knmt_proc *p, unsigned long start,
		       unsigned long end, u8 kind, u64 birth_ns, pid_t tid,
		       unsigned int flags)
{
	struct knmt_orec *o;

	knmt_origin_remove(p, start, end, flags & KNMT_ORIGIN_F_DEATH);
	o = knmt_origin_alloc();
	if (!o)
		return -ENOSPC;
	o->start = start;
	o->end = end;
	o->birth_ns = birth_ns;
	o->tid = tid;
	o->kind = kind;
	o->guessed = flags & KNMT_ORIGIN_F_GUESSED;
	knmt_origin_link(p, o);
	if (kind == KNMT_ORIGIN_OFFHEAP) {
		knmt_offheap_born(p, end - start, flags);
		if (knmt_events_wanted() &&
		    !(flags & (KNMT_ORIGIN_F_MOVED | KNMT_ORIGIN_F_PART |
			       KNMT_ORIGIN_F_GUESSED)))
			knmt_ev_offheap(p, KNMT_EV_OFFHEAP_ALLOC, start,
					end - start, 0);
	}
	return 0;
}

/* Writer side: forget everything (address space torn down or replaced). */
void knmt_origin_clear(struct knmt_proc *p)
{
	struct rb_node *rb;

	while ((rb = p->origins.tree[0].rb_node)) {
		struct latch_tree_node *ltn =
			container_of(rb, struct latch_tree_node, node[0]);

		knmt_origin_unlink(p, knmt_ltn_origin(ltn));
	}
	/*
	 * The live off-heap figures stay: an exit record, written after the
	 * address space is gone, shows what was live at the end.
	 */
}

/*
 * The entry's last reference is gone, a grace period after it left the
 * table (its RCU callback): nothing reaches its records any more.  A
 * record inserted after the clear at its exit, by a hook or the guess at
 * load that had found the entry before, is still in the tree: every one
 * left goes back to the pool here, none is lost.
 */
void knmt_origin_drop_all(struct knmt_proc *p)
{
	struct knmt_orec *o, *tmp;

	rbtree_postorder_for_each_entry_safe(o, tmp, &p->origins.tree[0],
					     ltn.node[0])
		knmt_pool_put(&knmt_orec_pool, o);
	p->origins.tree[0] = RB_ROOT;
	p->origins.tree[1] = RB_ROOT;
	p->nr_origins = 0;
}

/* fork: the child's address space is a copy, and so are its origins. */
int knmt_origin_copy(struct knmt_proc *dst, struct knmt_proc *src)
{
	struct knmt_orec *o;
	int err = 0;

	for (o = knmt_origin_next(src, 0); o; o = knmt_origin_after(o)) {
		struct knmt_orec *n = knmt_origin_alloc();

		if (!n) {
			err = -ENOSPC;
			break;
		}
		n->start = o->start;
		n->end = o->end;
		n->birth_ns = o->birth_ns;
		n->tid = o->tid;
		n->kind = o->kind;
		n->guessed = o->guessed;
		knmt_origin_link(dst, n);
		if (n->kind == KNMT_ORIGIN_OFFHEAP) {
			dst->offheap.live_count++;
			dst->offheap.live_bytes += n->end - n->start;
		}
	}
	return err;
}
