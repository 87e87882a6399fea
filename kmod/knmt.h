/* SPDX-License-Identifier: GPL-2.0 */
/*
 * knmt - kernel native memory tracking: state shared by the module's files.
 */
#ifndef _KNMT_H
#define _KNMT_H

#include <linux/atomic.h>
#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/types.h>
#include <linux/knmt.h>

#define KNMT_VERSION "0.1.0"

/*
 * Every hook knmt uses.  The order is the order of attachment and of the
 * status report; the names are what `knmt status` shows.
 */
enum knmt_hook_id {
	KNMT_HOOK_FORK,
	KNMT_HOOK_EXEC,
	KNMT_HOOK_EXIT,
	KNMT_HOOK_FREE,
	KNMT_HOOK_EXIT_MMAP,
	KNMT_HOOK_FAULT,
	KNMT_HOOK_MMAP,
	KNMT_HOOK_UNMAP,
	KNMT_HOOK_BRK,
	KNMT_HOOK_MREMAP,
	KNMT_HOOK_STACK_GROW,
	KNMT_HOOK_MPROTECT,
	KNMT_HOOK_ACCEPT,		/* before sock_alloc, which may share it */
	KNMT_HOOK_SOCK_ALLOC,
	KNMT_HOOK_SK_DESTRUCT,
	KNMT_HOOK_SOCK_STATE,
	KNMT_HOOK_SOCK_CLOSE,
	KNMT_NR_HOOKS
};

/*
 * A further function an ftrace target needs callbacks on (KNMT_FT_MORE):
 * the steps of one kernel operation that its entry starts.
 */
struct knmt_ft_more {
	const char *symbol;
	ftrace_func_t ft;
};

/*
 * One way of reaching a kernel event: a tracepoint or a probed symbol.
 * A hook's targets are listed in an array ended by an empty entry.
 */
struct knmt_hook_target {
	enum knmt_hook_kind kind;
	const char *symbol;
	void *tp_probe;				/* tracepoint probe */
	kprobe_pre_handler_t pre;		/* kprobe */
	kretprobe_handler_t entry;		/* kretprobe, may be NULL */
	kretprobe_handler_t ret;		/* kretprobe */
	size_t data_size;			/* kretprobe per-instance data */
	ftrace_func_t ft;			/* ftrace */
	const struct knmt_ft_more *more;	/* ftrace: its further steps */
	bool shared;				/* registers nothing: see below */
	enum knmt_hook_id owner;		/* shared: whose probe runs */
};

#define KNMT_TP(sym, fn) \
	{ .kind = KNMT_HOOK_KIND_TRACEPOINT, .symbol = sym, .tp_probe = fn }
#define KNMT_KP(sym, fn) \
	{ .kind = KNMT_HOOK_KIND_KPROBE, .symbol = sym, .pre = fn }
#define KNMT_KRP(sym, fn) \
	{ .kind = KNMT_HOOK_KIND_KRETPROBE, .symbol = sym, .ret = fn }
/*
 * An ftrace_ops of knmt's own on @sym's entry: the arguments without the
 * kprobe dispatch (knmt_ftrace_arg()).  Its handler turns preemption off
 * (knmt_ft_begin()) before knmt_enter().
 */
#define KNMT_FT(sym, fn) \
	{ .kind = KNMT_HOOK_KIND_FTRACE, .symbol = sym, .ft = fn }
/*
 * KNMT_FT with callbacks on further functions (@steps, ended by an empty
 * entry): the target attaches only when all of them do, they first.
 */
#define KNMT_FT_MORE(sym, fn, steps) \
	{ .kind = KNMT_HOOK_KIND_FTRACE, .symbol = sym, .ft = fn, \
	  .more = steps }
/*
 * The probe of hook @hook (attached earlier) on @sym serves this hook too:
 * live when that hook is live on @sym, whatever its kind, and its handler
 * reports the events of both.
 */
#define KNMT_SHARED(sym, hook) \
	{ .symbol = sym, .shared = true, .owner = hook }
#define KNMT_KRP_DATA(sym, on_entry, on_return, type) \
	{ .kind = KNMT_HOOK_KIND_KRETPROBE, .symbol = sym, \
	  .entry = on_entry, .ret = on_return, .data_size = sizeof(type) }

/* A hook: what it is for, its targets in order of preference, its fate. */
struct knmt_hook {
	const char *name;
	const struct knmt_hook_target *targets;	/* preferred first */
	unsigned int nr_targets;

	/* Filled at load, read-only afterwards. */
	const struct knmt_hook_target *live;	/* NULL: unavailable */
	enum knmt_hook_state state;
	int err;				/* last attach error */
	char reason[160];
	union {
		struct kprobe kp;
		struct kretprobe krp;
		struct tracepoint *tp;
		struct ftrace_ops ops;
	};
	struct ftrace_ops *more_ops;		/* KNMT_FT_MORE's steps */
	unsigned int nr_more;
	char more_failed[32];			/* the step that did not attach */
};

/* Per-CPU counters: summed when reported, never shared on the hot path. */
struct knmt_cpu {
	unsigned int nest;			/* re-entrancy guard */
	unsigned int cost_left;			/* guarded runs to the next timed */
	unsigned int cost_hook;			/* hook timed now + 1, 0: none */
	u64 cost_t0;				/* local_clock() at its entry */
	u64 recursion;
	u64 hits[KNMT_NR_HOOKS];
	u64 missed[KNMT_NR_HOOKS];
	u64 cost_ns[KNMT_NR_HOOKS];		/* sum over the timed runs */
	u64 cost_runs[KNMT_NR_HOOKS];		/* runs timed */
};

DECLARE_PER_CPU(struct knmt_cpu, knmt_cpu);

/* The cost sampling of knmt_enter()/knmt_leave(), out of line. */
void knmt_cost_start(enum knmt_hook_id id);
void knmt_cost_stop(void);

/*
 * The guard alone, for a hook's further steps (the mmap path's after
 * do_mmap()): a nested run is missed, but a run is not a hit and is not
 * timed.
 */
static __always_inline bool knmt_enter_more(enum knmt_hook_id id)
{
	if (this_cpu_inc_return(knmt_cpu.nest) != 1) {
		this_cpu_dec(knmt_cpu.nest);
		this_cpu_inc(knmt_cpu.recursion);
		this_cpu_inc(knmt_cpu.missed[id]);
		return false;
	}
	return true;
}

/*
 * The guard every handler takes first.  Handlers run with preemption off
 * (tracepoints and kprobes; ftrace callbacks after knmt_ft_begin()), so
 * the per-CPU counter is stable; an
 * interrupt that nests a second handler on the same CPU is counted and
 * skipped rather than allowed to touch half-updated state.
 *
 * One guarded run in cost_sample per CPU is timed from here to
 * knmt_leave(): no other guarded run can start on this CPU meanwhile, so
 * one slot per CPU holds the run being timed.
 */
static __always_inline bool knmt_enter(enum knmt_hook_id id)
{
	if (!knmt_enter_more(id))
		return false;
	this_cpu_inc(knmt_cpu.hits[id]);
	if (unlikely(!this_cpu_dec_return(knmt_cpu.cost_left)))
		knmt_cost_start(id);
	return true;
}

/*
 * The start and the end of an ftrace callback.  knmt's ftrace_ops do not
 * ask ftrace for recursion protection (FTRACE_OPS_FL_RECURSION), nor take
 * its recursion lock: knmt_enter() is the guard, a handler calls nothing
 * knmt traces, and every traced function runs where RCU is watching.  The
 * guard needs preemption off, which ftrace's trampoline leaves on.
 */
static __always_inline void knmt_ft_begin(void)
{
	preempt_disable_notrace();
}

static __always_inline void knmt_ft_end(void)
{
	preempt_enable_notrace();
}

/*
 * For the few handlers that run without the guard (they must not be
 * skipped, and touch only what is safe nested): count the hit alone.
 */
static __always_inline void knmt_hit(enum knmt_hook_id id)
{
	this_cpu_inc(knmt_cpu.hits[id]);
}

static __always_inline void knmt_leave(void)
{
	if (unlikely(this_cpu_read(knmt_cpu.cost_hook)))
		knmt_cost_stop();
	this_cpu_dec(knmt_cpu.nest);
}

/* Module-wide state. */
struct knmt_stats {
	u64 hook_hits[KNMT_NR_HOOKS];
	u64 hook_missed[KNMT_NR_HOOKS];
	u64 hook_cost_ns[KNMT_NR_HOOKS];
	u64 hook_cost_runs[KNMT_NR_HOOKS];
	u64 recursion;
};

/* What the module holds, by kind (`knmt status`). */
enum knmt_mem_id {
	KNMT_MEM_PROCS,
	KNMT_MEM_THREADS,
	KNMT_MEM_REGIONS,
	KNMT_MEM_SOCKETS,
	KNMT_MEM_EXITS,
	KNMT_MEM_EVENTS,
	KNMT_MEM_HOOKS,
	KNMT_MEM_NR
};

struct knmt_mem {
	const char *name;
	u64 bytes;		/* records (in use and in reserve), tables */
	u32 records;		/* in use; 0 for a kind without records */
	u32 record_size;	/* bytes of one record; 0: no records */
};

extern struct knmt_hook knmt_hooks[KNMT_NR_HOOKS];
extern unsigned int knmt_procs_max;
extern unsigned int knmt_regions_max;
extern unsigned int knmt_exits_max;
extern unsigned int knmt_sample_ms;
extern u64 knmt_offheap_min_bytes;
extern unsigned int knmt_cost_sample;
extern u64 knmt_load_time_ns;
extern unsigned int knmt_kretprobe_maxactive;

/* knmt_hooks.c */
int knmt_hooks_init(void);
void knmt_hooks_exit(void);
void knmt_stats_read(struct knmt_stats *st);
size_t knmt_hooks_mem_bytes(void);
enum knmt_hook_kind knmt_hook_kind(const struct knmt_hook *h);
void knmt_hook_describe(enum knmt_hook_id id, const char *name,
			const struct knmt_hook_target *targets);
int knmt_kp_count(struct kprobe *p, struct pt_regs *regs);
void knmt_ft_count(unsigned long ip, unsigned long parent_ip,
		   struct ftrace_ops *ops, struct ftrace_regs *fregs);
int knmt_krp_count(struct kretprobe_instance *ri, struct pt_regs *regs);

/* knmt_main.c */
void knmt_mem_read(struct knmt_mem m[KNMT_MEM_NR]);

/* knmt_genl.c */
int knmt_genl_init(void);
void knmt_genl_exit(void);

/* Probe tables, one file per kernel subsystem. */
void knmt_probes_sched_setup(void);
void knmt_probes_mm_setup(void);
void knmt_probes_net_setup(void);

#endif /* _KNMT_H */
