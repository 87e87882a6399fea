/* SPDX-License-Identifier: GPL-2.0 */
/*
 * knmt - the event path: per-CPU rings written by the hooks, drained into
 * multicast batches by a work item.
 */
#ifndef _KNMT_EVENTS_H
#define _KNMT_EVENTS_H

#include <linux/sched.h>
#include <linux/types.h>
#include <linux/knmt.h>

/*
 * One event as a hook writes it: fixed size, copied into a ring slot.
 * Which fields mean what depends on @type (enum knmt_event_type).
 */
struct knmt_ev {
	u64 time_ns;			/* boot-time clock */
	u64 start, len;			/* a range; exit: the record's seq */
	u64 old_start, old_len;		/* mremap, brk; socket: inode */
	u64 lifetime_ns;
	pid_t pid, tid;			/* initial pid namespace */
	u32 code;			/* exit code */
	u32 flags;
	u16 family, stype, protocol;	/* sockets */
	u8 type;			/* enum knmt_event_type */
	u8 cat, origin;
	u8 state, old_state;		/* sockets */
	char comm[TASK_COMM_LEN];
};

extern unsigned int knmt_events_ring;
extern unsigned int knmt_events_fault_ms;
extern bool knmt_events_on;

int knmt_events_init(void);
void knmt_events_start(void);
void knmt_events_stop(void);
void knmt_events_exit(void);
size_t knmt_events_mem_bytes(void);
void knmt_events_drops(u64 *per_type);
u64 knmt_events_emitted(void);
u64 knmt_events_undelivered(void);

void __knmt_ev_emit(struct knmt_ev *e);

/* True while the "events" group has listeners: worth filling an event. */
static __always_inline bool knmt_events_wanted(void)
{
	return READ_ONCE(knmt_events_on);
}

/* Fill the common fields and queue @e; any context, never waits. */
static __always_inline void knmt_ev_emit(struct knmt_ev *e, u8 type,
					 pid_t pid)
{
	e->type = type;
	e->pid = pid;
	__knmt_ev_emit(e);
}

#endif /* _KNMT_EVENTS_H */
