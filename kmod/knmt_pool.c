// SPDX-License-Identifier: GPL-2.0
/*
 * knmt - bounded object pools for atomic context (see knmt_pool.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/log2.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "knmt_pool.h"

/* Allocate one object if the limit allows; process context only. */
static void *knmt_pool_alloc(struct knmt_pool *pool)
{
	void *obj;

	if (atomic_inc_return(&pool->allocated) > pool->max) {
		atomic_dec(&pool->allocated);
		return NULL;
	}
	obj = kmem_cache_zalloc(pool->cache, GFP_KERNEL | __GFP_NOWARN);
	if (!obj)
		atomic_dec(&pool->allocated);
	return obj;
}

static void knmt_pool_release(struct knmt_pool *pool, void *obj)
{
	kmem_cache_free(pool->cache, obj);
	atomic_dec(&pool->allocated);
}

/* Top the shared reserve up; process context (it allocates, may sleep). */
void knmt_pool_fill(struct knmt_pool *pool)
{
	unsigned long flags;
	void *obj;

	while (READ_ONCE(pool->nr_free) < pool->reserve) {
		obj = knmt_pool_alloc(pool);
		if (!obj)
			return;
		raw_spin_lock_irqsave(&pool->lock, flags);
		if (pool->nr_free < pool->reserve) {
			pool->free[pool->nr_free++] = obj;
			obj = NULL;
		}
		raw_spin_unlock_irqrestore(&pool->lock, flags);
		if (obj) {
			knmt_pool_release(pool, obj);
			return;
		}
	}
}

static void knmt_pool_refill_work(struct work_struct *work)
{
	knmt_pool_fill(container_of(work, struct knmt_pool, refill));
}

int knmt_pool_init(struct knmt_pool *pool, const char *name, size_t size,
		   unsigned int max, unsigned int reserve)
{
	memset(pool, 0, sizeof(*pool));
	pool->name = name;
	pool->size = size;
	pool->max = max;
	pool->reserve = min(reserve, max);
	raw_spin_lock_init(&pool->lock);
	INIT_WORK(&pool->refill, knmt_pool_refill_work);
	pool->free = kcalloc(pool->reserve, sizeof(void *), GFP_KERNEL);
	pool->cpu = alloc_percpu(struct knmt_pool_cpu);
	pool->cache = kmem_cache_create(name, size, 0, 0, NULL);
	if (!pool->free || !pool->cpu || !pool->cache) {
		kmem_cache_destroy(pool->cache);
		free_percpu(pool->cpu);
		kfree(pool->free);
		pool->cache = NULL;
		return -ENOMEM;
	}
	knmt_pool_fill(pool);
	return 0;
}

/* Every object has been put back, and no get can happen any more. */
void knmt_pool_destroy(struct knmt_pool *pool)
{
	unsigned int cpu;

	if (!pool->cache)
		return;
	cancel_work_sync(&pool->refill);
	for_each_possible_cpu(cpu) {
		struct knmt_pool_cpu *c = per_cpu_ptr(pool->cpu, cpu);

		while (c->nr)
			knmt_pool_release(pool, c->obj[--c->nr]);
	}
	free_percpu(pool->cpu);
	while (pool->nr_free)
		knmt_pool_release(pool, pool->free[--pool->nr_free]);
	WARN_ON(atomic_read(&pool->allocated));
	kmem_cache_destroy(pool->cache);
	kfree(pool->free);
	pool->cache = NULL;
}

unsigned int knmt_pool_in_use(struct knmt_pool *pool)
{
	unsigned int cpu, cached = READ_ONCE(pool->nr_free);

	for_each_possible_cpu(cpu)
		cached += READ_ONCE(per_cpu_ptr(pool->cpu, cpu)->nr);
	return atomic_read(&pool->allocated) - cached;
}

/* Move up to a batch from the shared reserve to this CPU; irqs off. */
static void knmt_pool_take_batch(struct knmt_pool *pool,
				 struct knmt_pool_cpu *c)
{
	bool low;

	raw_spin_lock(&pool->lock);
	while (pool->nr_free && c->nr < KNMT_POOL_BATCH)
		c->obj[c->nr++] = pool->free[--pool->nr_free];
	low = pool->nr_free < pool->reserve / 2;
	raw_spin_unlock(&pool->lock);
	if (low)
		queue_work(system_unbound_wq, &pool->refill);
}

/* Any context.  The object is zeroed. */
void *knmt_pool_get(struct knmt_pool *pool)
{
	struct knmt_pool_cpu *c;
	unsigned long flags;
	void *obj = NULL;

	local_irq_save(flags);
	c = this_cpu_ptr(pool->cpu);
	if (!c->nr)
		knmt_pool_take_batch(pool, c);
	if (c->nr)
		obj = c->obj[--c->nr];
	local_irq_restore(flags);

	if (!obj)
		atomic64_inc(&pool->overflow);
	return obj;
}

/*
 * Any context that may free slab memory: knmt puts objects back from RCU
 * callbacks.  This CPU keeps it when it has room; else a batch goes back
 * to the shared reserve, and what the reserve cannot hold to the slab.
 */
void knmt_pool_put(struct knmt_pool *pool, void *obj)
{
	void *spill[KNMT_POOL_BATCH];
	struct knmt_pool_cpu *c;
	unsigned int n = 0, i;
	unsigned long flags;

	memset(obj, 0, pool->size);
	local_irq_save(flags);
	c = this_cpu_ptr(pool->cpu);
	if (c->nr == KNMT_POOL_CPU_OBJS) {
		raw_spin_lock(&pool->lock);
		while (c->nr > KNMT_POOL_CPU_OBJS - KNMT_POOL_BATCH) {
			void *o = c->obj[--c->nr];

			if (pool->nr_free < pool->reserve)
				pool->free[pool->nr_free++] = o;
			else
				spill[n++] = o;
		}
		raw_spin_unlock(&pool->lock);
	}
	c->obj[c->nr++] = obj;
	local_irq_restore(flags);

	for (i = 0; i < n; i++)
		knmt_pool_release(pool, spill[i]);
}

static unsigned int knmt_pool_kind_hashes(const struct knmt_pool_kind *kind)
{
	unsigned int n = 0;

	while (n < ARRAY_SIZE(kind->hash) && kind->hash[n])
		n++;
	return n;
}

static void knmt_pool_kind_free_hashes(const struct knmt_pool_kind *kind)
{
	unsigned int i;

	for (i = 0; i < knmt_pool_kind_hashes(kind); i++) {
		vfree(*kind->hash[i]);
		*kind->hash[i] = NULL;
	}
}

/* Load: -EINVAL for a limit out of its range, -ENOMEM. */
int knmt_pool_kind_init(const struct knmt_pool_kind *kind)
{
	unsigned int i, limit = *kind->limit;
	int err = -ENOMEM;

	if (limit < kind->lo || limit > kind->hi) {
		pr_err("%s=%u is outside %u..%u\n", kind->param, limit,
		       kind->lo, kind->hi);
		return -EINVAL;
	}
	*kind->bits = ilog2(roundup_pow_of_two(max(limit / 4,
						   kind->min_buckets)));
	for (i = 0; i < knmt_pool_kind_hashes(kind); i++) {
		*kind->hash[i] = vcalloc(1U << *kind->bits,
					 sizeof(struct hlist_head));
		if (!*kind->hash[i])
			goto err_free;
	}
	err = knmt_pool_init(kind->pool, kind->name, kind->size, limit,
			     kind->reserve);
	if (!err)
		return 0;
err_free:
	knmt_pool_kind_free_hashes(kind);
	return err;
}

/* As knmt_pool_destroy(): every record is back in the pool. */
void knmt_pool_kind_destroy(const struct knmt_pool_kind *kind)
{
	knmt_pool_destroy(kind->pool);
	knmt_pool_kind_free_hashes(kind);
}

size_t knmt_pool_kind_bytes(const struct knmt_pool_kind *kind)
{
	return knmt_pool_bytes(kind->pool) + knmt_pool_kind_hashes(kind) *
	       (sizeof(struct hlist_head) << *kind->bits);
}
