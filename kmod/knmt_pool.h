/* SPDX-License-Identifier: GPL-2.0 */
/*
 * knmt - bounded object pools for atomic context.
 *
 * Hooks run where no allocator may be called (PREEMPT_RT forbids even
 * GFP_ATOMIC with preemption off).  A pool keeps a small reserve of free
 * objects that hooks take without waiting; a work item refills it in
 * process context.  The number of objects in existence never exceeds the
 * pool's limit (a module parameter); a hook that finds the reserve empty
 * counts an overflow and does without.
 *
 * Each CPU keeps a few free objects of its own, so that a hook takes the
 * shared lock only once per KNMT_POOL_BATCH objects.
 *
 * A kind of record (processes, threads, sockets) has a pool and RCU hash
 * tables that find its records, all sized at load from the kind's limit:
 * struct knmt_pool_kind describes them, knmt_pool_kind_init() checks the
 * limit and sets them up.
 */
#ifndef _KNMT_POOL_H
#define _KNMT_POOL_H

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#define KNMT_POOL_CPU_OBJS	16
#define KNMT_POOL_BATCH		8

struct knmt_pool_cpu {
	unsigned int nr;
	void *obj[KNMT_POOL_CPU_OBJS];
};

struct knmt_pool {
	const char *name;
	size_t size;			/* object size */
	unsigned int max;		/* objects in existence, at most */
	unsigned int reserve;		/* free objects kept ready */

	struct kmem_cache *cache;
	struct knmt_pool_cpu __percpu *cpu;
	raw_spinlock_t lock;
	void **free;			/* stack of @reserve slots */
	unsigned int nr_free;
	atomic_t allocated;		/* in use + in the reserve */
	atomic64_t overflow;		/* gets that found no object */
	struct work_struct refill;
};

int knmt_pool_init(struct knmt_pool *pool, const char *name, size_t size,
		   unsigned int max, unsigned int reserve);
void knmt_pool_destroy(struct knmt_pool *pool);
void knmt_pool_fill(struct knmt_pool *pool);
void *knmt_pool_get(struct knmt_pool *pool);
void knmt_pool_put(struct knmt_pool *pool, void *obj);

unsigned int knmt_pool_in_use(struct knmt_pool *pool);

static inline size_t knmt_pool_bytes(struct knmt_pool *pool)
{
	return (size_t)atomic_read(&pool->allocated) * pool->size +
	       pool->reserve * sizeof(void *) +
	       sizeof(struct knmt_pool_cpu) * num_possible_cpus();
}

/*
 * At most *@limit records (the module parameter @param, lo..hi) from
 * @pool, with @reserve kept ready, found through up to two hash tables
 * (@hash, in order) of 2^*@bits buckets: a quarter of the limit, rounded
 * up to a power of two, and at least @min_buckets.
 */
struct knmt_pool_kind {
	const char *param;
	const unsigned int *limit;
	unsigned int lo, hi;
	const char *name;		/* the pool's slab cache */
	size_t size;			/* a record */
	unsigned int reserve;
	unsigned int min_buckets;
	struct knmt_pool *pool;
	unsigned int *bits;
	struct hlist_head **hash[2];
};

int knmt_pool_kind_init(const struct knmt_pool_kind *kind);
void knmt_pool_kind_destroy(const struct knmt_pool_kind *kind);
size_t knmt_pool_kind_bytes(const struct knmt_pool_kind *kind);

#endif /* _KNMT_POOL_H */
