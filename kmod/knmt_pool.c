// SPDX-License-Identifier: GPL-2.0
/*
 * knmt - bounded object pools for atomic context (see knmt_pool.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/string.h>

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

static void knmt_pool_fill(struct knmt_pool *pool)
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
	if (!pool->free)
		return -ENOMEM;
	pool->cache = kmem_cache_create(name, size, 0, 0, NULL);
	if (!pool->cache) {
		kfree(pool->free);
		return -ENOMEM;
	}
	knmt_pool_fill(pool);
	return 0;
}

/* Every object has been put back, and no get can happen any more. */
void knmt_pool_destroy(struct knmt_pool *pool)
{
	if (!pool->cache)
		return;
	cancel_work_sync(&pool->refill);
	while (pool->nr_free)
		knmt_pool_release(pool, pool->free[--pool->nr_free]);
	WARN_ON(atomic_read(&pool->allocated));
	kmem_cache_destroy(pool->cache);
	kfree(pool->free);
	pool->cache = NULL;
}

/* Any context.  The object is zeroed. */
void *knmt_pool_get(struct knmt_pool *pool)
{
	unsigned long flags;
	void *obj = NULL;
	bool low;

	raw_spin_lock_irqsave(&pool->lock, flags);
	if (pool->nr_free)
		obj = pool->free[--pool->nr_free];
	low = pool->nr_free < pool->reserve / 2;
	raw_spin_unlock_irqrestore(&pool->lock, flags);

	if (low)
		queue_work(system_unbound_wq, &pool->refill);
	if (!obj)
		atomic64_inc(&pool->overflow);
	return obj;
}

/*
 * Any context that may free slab memory: knmt puts objects back from RCU
 * callbacks.  A full reserve hands the object back to the slab.
 */
void knmt_pool_put(struct knmt_pool *pool, void *obj)
{
	unsigned long flags;

	memset(obj, 0, pool->size);
	raw_spin_lock_irqsave(&pool->lock, flags);
	if (pool->nr_free < pool->reserve) {
		pool->free[pool->nr_free++] = obj;
		obj = NULL;
	}
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	if (obj)
		knmt_pool_release(pool, obj);
}
