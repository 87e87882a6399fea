// SPDX-License-Identifier: GPL-2.0
/*
 * knmt - the event path.
 *
 * Hooks copy a fixed-size record into a ring of their CPU with interrupts
 * off (an interrupt's hook on the same CPU waits its turn, it never sees
 * a half-written slot), and never wait: a full ring drops the event and
 * counts it, per event type.  Each ring has one writer, its CPU, and one
 * reader, the drain work: head and tail are published with release and
 * read with acquire, as any single-producer single-consumer ring.
 *
 * The drain work runs every KNMT_EVENTS_FLUSH_MS, or at once when a ring
 * is half full (an irq_work: hooks may run where waking a worker is not
 * allowed).  It packs the events into KNMT_CMD_EVENTS batches, numbers
 * them, adds the drops since the previous batch and the exit breakdowns,
 * and every events_fault_ms a fault summary per process, then multicasts
 * each batch.  Nothing is recorded while the group has no listener: the
 * drain work looks, and switches the hooks on and off.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/irq_work.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>

#include "knmt.h"
#include "knmt_events.h"
#include "knmt_exits.h"
#include "knmt_genl.h"
#include "knmt_proc.h"

unsigned int knmt_events_ring = 1024;
module_param_named(events_ring, knmt_events_ring, uint, 0444);
MODULE_PARM_DESC(events_ring,
		 "Event records per CPU ring, rounded up to a power of two, 64..65536 (default 1024)");

unsigned int knmt_events_fault_ms = KNMT_EVENTS_FAULT_MS_DEFAULT;
bool knmt_events_on;

#define KNMT_EVENTS_FLUSH_MS	100
#define KNMT_EVENTS_BATCH_BYTES	(16 * 1024)

struct knmt_ring {
	struct knmt_ev *ev;
	unsigned int head;		/* written by this CPU */
	unsigned int tail;		/* written by the drain work */
	u64 dropped[KNMT_EV_NR];
	struct irq_work kick;
};

static struct knmt_ring __percpu *knmt_rings;
static unsigned int knmt_ring_mask;
static struct delayed_work knmt_events_work;
static bool knmt_events_stopping;

/* The drain work's own state. */
static u64 knmt_ev_seq;			/* number of the next event sent */
static u64 knmt_ev_lost_reported;
static u64 knmt_ev_faults_ns;		/* last fault summary */
static atomic64_t knmt_ev_emitted = ATOMIC64_INIT(0);
static atomic64_t knmt_ev_undelivered = ATOMIC64_INIT(0);
static struct knmt_exit *knmt_ev_exit;	/* scratch for exit breakdowns */

static void knmt_events_drain(struct work_struct *work);

static void knmt_events_kick(struct irq_work *work)
{
	if (!READ_ONCE(knmt_events_stopping))
		mod_delayed_work(system_unbound_wq, &knmt_events_work, 0);
}

int knmt_events_init(void)
{
	unsigned int cpu;

	if (knmt_events_ring < 64 || knmt_events_ring > 65536) {
		pr_err("events_ring=%u is outside 64..65536\n",
		       knmt_events_ring);
		return -EINVAL;
	}
	knmt_events_ring = roundup_pow_of_two(knmt_events_ring);
	knmt_ring_mask = knmt_events_ring - 1;
	knmt_ev_exit = kmalloc(sizeof(*knmt_ev_exit), GFP_KERNEL);
	knmt_rings = alloc_percpu(struct knmt_ring);
	if (!knmt_rings || !knmt_ev_exit)
		goto nomem;
	for_each_possible_cpu(cpu) {
		struct knmt_ring *r = per_cpu_ptr(knmt_rings, cpu);

		r->ev = vcalloc(knmt_events_ring, sizeof(*r->ev));
		if (!r->ev)
			goto nomem;
		init_irq_work(&r->kick, knmt_events_kick);
	}
	INIT_DELAYED_WORK(&knmt_events_work, knmt_events_drain);
	return 0;
nomem:
	knmt_events_exit();
	return -ENOMEM;
}

size_t knmt_events_mem_bytes(void)
{
	return num_possible_cpus() *
	       (sizeof(struct knmt_ring) +
		(size_t)knmt_events_ring * sizeof(struct knmt_ev)) +
	       sizeof(struct knmt_exit);
}

void __knmt_ev_emit(struct knmt_ev *e)
{
	struct knmt_ring *r;
	unsigned long flags;
	unsigned int head, used;

	e->time_ns = ktime_get_boottime_ns();
	local_irq_save(flags);
	r = this_cpu_ptr(knmt_rings);
	head = r->head;
	/* Pairs with the drain's release: the slots up to tail are free. */
	used = head - smp_load_acquire(&r->tail);
	if (used > knmt_ring_mask) {
		r->dropped[e->type]++;
	} else {
		r->ev[head & knmt_ring_mask] = *e;
		/* The slot's content before the head that shows it. */
		smp_store_release(&r->head, head + 1);
		if (used + 1 == knmt_events_ring / 2)
			irq_work_queue(&r->kick);
	}
	local_irq_restore(flags);
}

void knmt_events_drops(u64 *per_type)
{
	unsigned int cpu, i;

	memset(per_type, 0, sizeof(u64) * KNMT_EV_NR);
	for_each_possible_cpu(cpu) {
		struct knmt_ring *r = per_cpu_ptr(knmt_rings, cpu);

		for (i = 0; i < KNMT_EV_NR; i++)
			per_type[i] += READ_ONCE(r->dropped[i]);
	}
}

static u64 knmt_events_dropped_total(void)
{
	u64 d[KNMT_EV_NR], sum = 0;
	unsigned int i;

	knmt_events_drops(d);
	for (i = 0; i < KNMT_EV_NR; i++)
		sum += d[i];
	return sum;
}

u64 knmt_events_emitted(void)
{
	return atomic64_read(&knmt_ev_emitted);
}

u64 knmt_events_undelivered(void)
{
	return atomic64_read(&knmt_ev_undelivered);
}

/* A batch being filled. */
struct knmt_batch {
	struct sk_buff *skb;
	void *hdr;
	struct nlattr *count_attr;	/* reserved at the start: always fits */
	u32 count;
	u64 lost;			/* the drops it tells */
};

static int knmt_batch_begin(struct knmt_batch *b)
{
	u64 dropped = knmt_events_dropped_total();

	b->count = 0;
	b->skb = genlmsg_new(KNMT_EVENTS_BATCH_BYTES, GFP_KERNEL);
	if (!b->skb)
		return -ENOMEM;
	b->hdr = genlmsg_put(b->skb, 0, 0, &knmt_genl_family, 0,
			     KNMT_CMD_EVENTS);
	if (!b->hdr ||
	    nla_put_u64_64bit(b->skb, KNMT_A_EVBATCH_SEQ, knmt_ev_seq,
			      KNMT_A_EVBATCH_PAD) ||
	    nla_put_u64_64bit(b->skb, KNMT_A_EVBATCH_LOST,
			      dropped - knmt_ev_lost_reported,
			      KNMT_A_EVBATCH_PAD))
		goto toosmall;
	/*
	 * The count is known at the end, when an event that did not fit may
	 * have left less room than the count needs: its room is taken now.
	 */
	b->count_attr = nla_reserve(b->skb, KNMT_A_EVBATCH_COUNT, sizeof(u32));
	if (!b->count_attr)
		goto toosmall;
	b->lost = dropped - knmt_ev_lost_reported;
	knmt_ev_lost_reported = dropped;
	return 0;
toosmall:
	nlmsg_free(b->skb);
	b->skb = NULL;
	return -EMSGSIZE;
}

/*
 * Send @b.  A batch netlink could not deliver leaves a gap in the numbers,
 * and the drops it told are told again by the next one.  netlink knows of
 * a failed delivery only to listeners that set NETLINK_BROADCAST_ERROR,
 * as libknmt does.
 */
static void knmt_batch_send(struct knmt_batch *b)
{
	int err;

	if (!b->skb)
		return;
	*(u32 *)nla_data(b->count_attr) = b->count;
	genlmsg_end(b->skb, b->hdr);
	err = genlmsg_multicast(&knmt_genl_family, b->skb, 0, 0, GFP_KERNEL);
	b->skb = NULL;
	if (!err) {
		atomic64_add(b->count, &knmt_ev_emitted);
	} else {
		if (err == -ENOBUFS)
			atomic64_add(b->count, &knmt_ev_undelivered);
		knmt_ev_lost_reported -= b->lost;
	}
	knmt_ev_seq += b->count;
}

static int knmt_put_ev(struct sk_buff *skb, const struct knmt_ev *e)
{
	struct nlattr *nest = nla_nest_start(skb, KNMT_A_EVBATCH_EVENT);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, KNMT_A_EV_TYPE, e->type) ||
	    nla_put_u64_64bit(skb, KNMT_A_EV_TIME_NS, e->time_ns,
			      KNMT_A_EV_PAD) ||
	    nla_put_u32(skb, KNMT_A_EV_PID, e->pid) ||
	    (e->tid && nla_put_u32(skb, KNMT_A_EV_TID, e->tid)))
		goto cancel;

	switch (e->type) {
	case KNMT_EV_EXEC:
	case KNMT_EV_OOM_VICTIM:
		if (nla_put_string(skb, KNMT_A_EV_COMM, e->comm))
			goto cancel;
		break;
	case KNMT_EV_EXIT:
		if (nla_put_string(skb, KNMT_A_EV_COMM, e->comm) ||
		    nla_put_u32(skb, KNMT_A_EV_EXIT_CODE, e->code) ||
		    nla_put_u32(skb, KNMT_A_EV_FLAGS, e->flags))
			goto cancel;
		/* The breakdown, if its exit record is still kept. */
		if (knmt_exit_get(e->start, knmt_ev_exit) &&
		    knmt_ev_exit->seq == e->start &&
		    knmt_put_exit_nest(skb, KNMT_A_EV_PROC, knmt_ev_exit))
			goto cancel;
		break;
	case KNMT_EV_MMAP:
		if (nla_put_u8(skb, KNMT_A_EV_CATEGORY, e->cat) ||
		    nla_put_u8(skb, KNMT_A_EV_ORIGIN, e->origin))
			goto cancel;
		fallthrough;
	case KNMT_EV_MUNMAP:
	case KNMT_EV_OFFHEAP_ALLOC:
		if (nla_put_u64_64bit(skb, KNMT_A_EV_START, e->start,
				      KNMT_A_EV_PAD) ||
		    nla_put_u64_64bit(skb, KNMT_A_EV_LEN, e->len,
				      KNMT_A_EV_PAD))
			goto cancel;
		break;
	case KNMT_EV_OFFHEAP_FREE:
		if (nla_put_u64_64bit(skb, KNMT_A_EV_START, e->start,
				      KNMT_A_EV_PAD) ||
		    nla_put_u64_64bit(skb, KNMT_A_EV_LEN, e->len,
				      KNMT_A_EV_PAD) ||
		    nla_put_u64_64bit(skb, KNMT_A_EV_LIFETIME_NS,
				      e->lifetime_ns, KNMT_A_EV_PAD))
			goto cancel;
		break;
	case KNMT_EV_MREMAP:
	case KNMT_EV_BRK:
		if (nla_put_u64_64bit(skb, KNMT_A_EV_OLD_START, e->old_start,
				      KNMT_A_EV_PAD) ||
		    nla_put_u64_64bit(skb, KNMT_A_EV_START, e->start,
				      KNMT_A_EV_PAD))
			goto cancel;
		if (e->type == KNMT_EV_MREMAP &&
		    (nla_put_u64_64bit(skb, KNMT_A_EV_OLD_LEN, e->old_len,
				       KNMT_A_EV_PAD) ||
		     nla_put_u64_64bit(skb, KNMT_A_EV_LEN, e->len,
				       KNMT_A_EV_PAD)))
			goto cancel;
		break;
	case KNMT_EV_SOCK_OPEN:
		if (nla_put_u16(skb, KNMT_A_EV_SOCK_FAMILY, e->family) ||
		    nla_put_u16(skb, KNMT_A_EV_SOCK_TYPE, e->stype) ||
		    nla_put_u16(skb, KNMT_A_EV_SOCK_PROTOCOL, e->protocol) ||
		    nla_put_u32(skb, KNMT_A_EV_FLAGS, e->flags))
			goto cancel;
		fallthrough;
	case KNMT_EV_SOCK_CLOSE:
	case KNMT_EV_SOCK_STATE:
		if (nla_put_u64_64bit(skb, KNMT_A_EV_SOCK_INODE, e->old_start,
				      KNMT_A_EV_PAD))
			goto cancel;
		if (e->type == KNMT_EV_SOCK_CLOSE &&
		    nla_put_u64_64bit(skb, KNMT_A_EV_LIFETIME_NS,
				      e->lifetime_ns, KNMT_A_EV_PAD))
			goto cancel;
		if (e->type == KNMT_EV_SOCK_STATE &&
		    (nla_put_u8(skb, KNMT_A_EV_SOCK_OLD_STATE, e->old_state) ||
		     nla_put_u8(skb, KNMT_A_EV_SOCK_STATE, e->state)))
			goto cancel;
		break;
	default:
		break;
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/*
 * An event no batch could carry (no memory for one, or larger than an empty
 * one): it takes a number all the same, so that readers see the gap, and
 * is counted as undelivered.  @b holds no event; a batch begun is dropped
 * and begun again after the number, its drops told by the next one.
 */
static void knmt_batch_skip(struct knmt_batch *b)
{
	if (b->skb) {
		nlmsg_free(b->skb);
		b->skb = NULL;
		knmt_ev_lost_reported -= b->lost;
	}
	knmt_ev_seq++;
	atomic64_inc(&knmt_ev_undelivered);
}

/*
 * Put @e in the batch, sending the batch and starting another when it is
 * full (an empty batch holds any event: an exit's is about 2 KiB).
 */
static void knmt_batch_add(struct knmt_batch *b, const struct knmt_ev *e)
{
	if (b->skb && !knmt_put_ev(b->skb, e)) {
		b->count++;
		return;
	}
	knmt_batch_send(b);
	if (knmt_batch_begin(b) || knmt_put_ev(b->skb, e)) {
		knmt_batch_skip(b);
		return;
	}
	b->count++;
}

static void knmt_events_drain_ring(struct knmt_ring *r, struct knmt_batch *b,
				   bool send)
{
	unsigned int tail = r->tail;
	/* Pairs with the writer's release: slots before head are written. */
	unsigned int head = smp_load_acquire(&r->head);

	while (tail != head) {
		if (send)
			knmt_batch_add(b, &r->ev[tail & knmt_ring_mask]);
		tail++;
		/*
		 * The slot read before it is handed back: pairs with the
		 * writer's acquire of tail.
		 */
		smp_store_release(&r->tail, tail);
		if (send && !(tail & 63))
			cond_resched();
	}
}

/*
 * A fault summary of @p since the last one, or since its record began when
 * it was born while a listener was there.
 */
static int knmt_put_faults(struct sk_buff *skb, struct knmt_proc *p,
			   const u64 delta[][2], u64 interval)
{
	struct nlattr *nest = nla_nest_start(skb, KNMT_A_EVBATCH_EVENT);
	unsigned int i;

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, KNMT_A_EV_TYPE, KNMT_EV_FAULTS) ||
	    nla_put_u64_64bit(skb, KNMT_A_EV_TIME_NS, ktime_get_boottime_ns(),
			      KNMT_A_EV_PAD) ||
	    nla_put_u32(skb, KNMT_A_EV_PID, p->tgid) ||
	    nla_put_u64_64bit(skb, KNMT_A_EV_INTERVAL_NS, interval,
			      KNMT_A_EV_PAD))
		goto cancel;
	for (i = 0; i < KNMT_CAT_NR; i++) {
		struct nlattr *cat;

		if (!delta[i][0] && !delta[i][1])
			continue;
		cat = nla_nest_start(skb, KNMT_A_EV_FAULTS);
		if (!cat ||
		    nla_put_u8(skb, KNMT_A_CAT_ID, i) ||
		    nla_put_u64_64bit(skb, KNMT_A_CAT_FAULTS_MINOR,
				      delta[i][0], KNMT_A_CAT_PAD) ||
		    nla_put_u64_64bit(skb, KNMT_A_CAT_FAULTS_MAJOR,
				      delta[i][1], KNMT_A_CAT_PAD))
			goto cancel;
		nla_nest_end(skb, cat);
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static void knmt_events_faults(struct knmt_batch *b, u64 now, bool send)
{
	u64 delta[KNMT_CAT_NR][2], cur[KNMT_CAT_NR][2];
	struct knmt_proc *p;
	u32 pos = 0;

	while ((p = knmt_proc_get_next(&pos))) {
		/*
		 * No summary yet: the baseline taken when the first listener
		 * came did not see it, so its counts started at zero when its
		 * record did (birth, exec, or pickup at load).
		 */
		u64 since = p->ev_faults_ns ?: min(p->start_ns, now);
		u64 interval = now - since;
		bool any = false;
		unsigned int i, k;

		knmt_proc_faults(p, cur);
		for (i = 0; i < KNMT_CAT_NR; i++) {
			for (k = 0; k < 2; k++) {
				u64 prev = p->ev_faults[i][k];

				/* exec starts the counts again */
				delta[i][k] = cur[i][k] >= prev ?
					      cur[i][k] - prev : cur[i][k];
				p->ev_faults[i][k] = cur[i][k];
				any |= delta[i][k] != 0;
			}
		}
		if (!send || !any)
			goto next;
		if (!b->skb || knmt_put_faults(b->skb, p, delta, interval)) {
			knmt_batch_send(b);
			if (knmt_batch_begin(b) ||
			    knmt_put_faults(b->skb, p, delta, interval)) {
				knmt_batch_skip(b);
				goto next;
			}
		}
		b->count++;
next:
		p->ev_faults_ns = now;
		knmt_proc_put(p);
		cond_resched();
	}
}

static void knmt_events_drain(struct work_struct *work)
{
	bool on = genl_has_listeners(&knmt_genl_family, &init_net, 0);
	u32 fault_ms = READ_ONCE(knmt_events_fault_ms);
	u64 now = ktime_get_boottime_ns();
	struct knmt_batch b = { };
	unsigned int cpu;

	if (on && !READ_ONCE(knmt_events_on)) {
		/* A first listener: counts start here. */
		knmt_ev_lost_reported = knmt_events_dropped_total();
		knmt_events_faults(&b, now, false);
		knmt_ev_faults_ns = now;
	}
	WRITE_ONCE(knmt_events_on, on);

	for_each_possible_cpu(cpu)
		knmt_events_drain_ring(per_cpu_ptr(knmt_rings, cpu), &b, on);
	if (on && fault_ms &&
	    now - knmt_ev_faults_ns >= (u64)fault_ms * NSEC_PER_MSEC) {
		knmt_events_faults(&b, now, true);
		knmt_ev_faults_ns = now;
	}
	/* Drops are told even when no event follows them. */
	if (on && !b.skb && knmt_events_dropped_total() != knmt_ev_lost_reported)
		knmt_batch_begin(&b);
	knmt_batch_send(&b);

	if (!READ_ONCE(knmt_events_stopping))
		queue_delayed_work(system_unbound_wq, &knmt_events_work,
				   msecs_to_jiffies(KNMT_EVENTS_FLUSH_MS));
}

/* The family is registered: start looking for listeners. */
void knmt_events_start(void)
{
	queue_delayed_work(system_unbound_wq, &knmt_events_work,
			   msecs_to_jiffies(KNMT_EVENTS_FLUSH_MS));
}

/* Before the family goes: no batch is sent any more. */
void knmt_events_stop(void)
{
	unsigned int cpu;

	WRITE_ONCE(knmt_events_stopping, true);
	cancel_delayed_work_sync(&knmt_events_work);
	WRITE_ONCE(knmt_events_on, false);
	for_each_possible_cpu(cpu)
		irq_work_sync(&per_cpu_ptr(knmt_rings, cpu)->kick);
	cancel_delayed_work_sync(&knmt_events_work);
}

/* Once no hook runs. */
void knmt_events_exit(void)
{
	unsigned int cpu;

	if (knmt_rings) {
		for_each_possible_cpu(cpu) {
			struct knmt_ring *r = per_cpu_ptr(knmt_rings, cpu);

			if (r->ev)
				irq_work_sync(&r->kick);
			vfree(r->ev);
		}
		free_percpu(knmt_rings);
		knmt_rings = NULL;
	}
	kfree(knmt_ev_exit);
	knmt_ev_exit = NULL;
}
