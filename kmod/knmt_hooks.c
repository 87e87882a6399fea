// SPDX-License-Identifier: GPL-2.0
/*
 * knmt - attaching to the kernel.
 *
 * Every hook is resolved at load time.  A hook lists its targets in order of
 * preference (a tracepoint, a probed symbol, a fallback symbol when the
 * preferred one is inlined or renamed on this kernel); the first one that
 * attaches is used and the outcome of each hook is kept for `knmt status`.
 * A hook that cannot attach at all leaves knmt running without it: what it
 * would have measured is reported as unavailable, never silently wrong.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "knmt.h"

DEFINE_PER_CPU(struct knmt_cpu, knmt_cpu);
struct knmt_hook knmt_hooks[KNMT_NR_HOOKS];

unsigned int knmt_kretprobe_maxactive;

unsigned int knmt_cost_sample = 64;
module_param_named(cost_sample, knmt_cost_sample, uint, 0444);
MODULE_PARM_DESC(cost_sample,
		 "Time one hook run in this many per CPU for knmt status, 0 = off (default 64)");

/* Sampling off: the countdown is only reset, never timed. */
#define KNMT_COST_OFF_RECHECK	65536U

/* knmt_enter() of the run to time: preemption is off, nest is 1. */
void knmt_cost_start(enum knmt_hook_id id)
{
	unsigned int every = READ_ONCE(knmt_cost_sample);

	if (!every) {
		this_cpu_write(knmt_cpu.cost_left, KNMT_COST_OFF_RECHECK);
		return;
	}
	this_cpu_write(knmt_cpu.cost_left, every);
	this_cpu_write(knmt_cpu.cost_hook, id + 1);
	this_cpu_write(knmt_cpu.cost_t0, local_clock());
}

/* knmt_leave() of the run timed: still the same CPU, nest still 1. */
void knmt_cost_stop(void)
{
	u64 ns = local_clock() - this_cpu_read(knmt_cpu.cost_t0);
	unsigned int id = this_cpu_read(knmt_cpu.cost_hook) - 1;

	this_cpu_write(knmt_cpu.cost_hook, 0);
	if (WARN_ON_ONCE(id >= KNMT_NR_HOOKS))
		return;
	this_cpu_add(knmt_cpu.cost_ns[id], ns);
	this_cpu_inc(knmt_cpu.cost_runs[id]);
}

struct knmt_tp_lookup {
	const char *name;
	struct tracepoint *tp;
};

static void knmt_tp_match(struct tracepoint *tp, void *priv)
{
	struct knmt_tp_lookup *l = priv;

	if (!l->tp && !strcmp(tp->name, l->name))
		l->tp = tp;
}

static const char *knmt_attach_error(int err)
{
	switch (err) {
	case -ENOENT:
		return "not found (inlined, renamed or not built)";
	case -EINVAL:
		return "not probeable (blacklisted or not a function entry)";
	case -EILSEQ:
		return "not at an instruction boundary";
	case -EOPNOTSUPP:
		return "not supported by this kernel";
	case -EBUSY:
		return "busy";
	case -ENOMEM:
		return "out of memory";
	case -ENOLINK:
		return "the hook whose probe it shares is not there";
	case -EEXIST:
		return "already attached";
	default:
		return "attach failed";
	}
}

/*
 * An ftrace_ops on the entry of @symbol alone.  Not traceable, or not
 * there: -EINVAL from the filter (every function of that name is taken,
 * as a kprobe by name takes the first).
 */
static int knmt_ftrace_on(struct ftrace_ops *ops, const char *symbol,
			  ftrace_func_t fn)
{
	char name[64];
	int err;

	if (strscpy(name, symbol, sizeof(name)) < 0)
		return -EINVAL;
	memset(ops, 0, sizeof(*ops));
	ops->func = fn;
	err = ftrace_set_filter(ops, name, strlen(name), 1);
	if (!err)
		err = register_ftrace_function(ops);
	if (err)
		ftrace_free_filter(ops);
	return err;
}

/* Returns once no CPU can be in the callback. */
static void knmt_ftrace_off(struct ftrace_ops *ops)
{
	unregister_ftrace_function(ops);
	ftrace_free_filter(ops);
}

/*
 * The further steps first, so that the entry, which starts what they
 * follow, never runs without them.  One that cannot attach names itself
 * in the reason.
 */
static int knmt_attach_ftrace(struct knmt_hook *h,
			      const struct knmt_hook_target *t)
{
	unsigned int n = 0, i;
	int err;

	while (t->more && t->more[n].symbol)
		n++;
	if (n) {
		h->more_ops = kcalloc(n, sizeof(*h->more_ops), GFP_KERNEL);
		if (!h->more_ops)
			return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		err = knmt_ftrace_on(&h->more_ops[i], t->more[i].symbol,
				     t->more[i].ft);
		if (err) {
			snprintf(h->more_failed, sizeof(h->more_failed),
				 "%s", t->more[i].symbol);
			goto undo;
		}
	}
	err = knmt_ftrace_on(&h->ops, t->symbol, t->ft);
	if (!err) {
		h->nr_more = n;
		return 0;
	}
undo:
	while (i--)
		knmt_ftrace_off(&h->more_ops[i]);
	kfree(h->more_ops);
	h->more_ops = NULL;
	return err;
}

static int knmt_attach_target(struct knmt_hook *h,
			      const struct knmt_hook_target *t)
{
	struct knmt_tp_lookup l = { .name = t->symbol };
	const struct knmt_hook *owner;
	int err;

	if (t->shared) {
		owner = &knmt_hooks[t->owner];
		if (WARN_ON_ONCE(owner >= h) || !owner->live ||
		    owner->live->shared ||
		    strcmp(owner->live->symbol, t->symbol))
			return -ENOLINK;
		return 0;
	}
	switch (t->kind) {
	case KNMT_HOOK_KIND_TRACEPOINT:
		for_each_kernel_tracepoint(knmt_tp_match, &l);
		if (!l.tp)
			return -ENOENT;
		err = tracepoint_probe_register(l.tp, t->tp_probe, NULL);
		if (!err)
			h->tp = l.tp;
		return err;
	case KNMT_HOOK_KIND_KPROBE:
		memset(&h->kp, 0, sizeof(h->kp));
		h->kp.symbol_name = t->symbol;
		h->kp.pre_handler = t->pre;
		return register_kprobe(&h->kp);
	case KNMT_HOOK_KIND_KRETPROBE:
		memset(&h->krp, 0, sizeof(h->krp));
		h->krp.kp.symbol_name = t->symbol;
		h->krp.entry_handler = t->entry;
		h->krp.handler = t->ret;
		h->krp.data_size = t->data_size;
		h->krp.maxactive = knmt_kretprobe_maxactive;
		return register_kretprobe(&h->krp);
	case KNMT_HOOK_KIND_FTRACE:
		return knmt_attach_ftrace(h, t);
	}
	return -EINVAL;
}

static void knmt_detach(struct knmt_hook *h)
{
	const struct knmt_hook_target *t = h->live;

	if (!t)
		return;
	if (t->shared) {
		h->live = NULL;
		return;
	}
	switch (t->kind) {
	case KNMT_HOOK_KIND_TRACEPOINT:
		tracepoint_probe_unregister(h->tp, t->tp_probe, NULL);
		break;
	case KNMT_HOOK_KIND_KPROBE:
		unregister_kprobe(&h->kp);
		break;
	case KNMT_HOOK_KIND_KRETPROBE:
		unregister_kretprobe(&h->krp);
		break;
	case KNMT_HOOK_KIND_FTRACE:
		knmt_ftrace_off(&h->ops);
		while (h->nr_more)
			knmt_ftrace_off(&h->more_ops[--h->nr_more]);
		kfree(h->more_ops);
		h->more_ops = NULL;
		break;
	}
	h->live = NULL;
}

static void knmt_attach(struct knmt_hook *h)
{
	const struct knmt_hook_target *first = &h->targets[0];
	unsigned int i;
	int err = -ENOENT;

	for (i = 0; i < h->nr_targets; i++) {
		const struct knmt_hook_target *t = &h->targets[i];

		err = knmt_attach_target(h, t);
		if (!err) {
			h->live = t;
			break;
		}
		/* Keep the reason the preferred target failed. */
		if (i == 0) {
			h->err = -err;
			if (h->more_failed[0])
				snprintf(h->reason, sizeof(h->reason),
					 "its step %s: %s", h->more_failed,
					 knmt_attach_error(err));
			else
				strscpy(h->reason, knmt_attach_error(err),
					sizeof(h->reason));
		}
	}

	if (!h->live) {
		h->state = KNMT_HOOK_STATE_UNAVAILABLE;
		if (h->nr_targets > 1)
			snprintf(h->reason, sizeof(h->reason),
				 "%s; no fallback attached either (last: %s)",
				 knmt_attach_error(-h->err),
				 knmt_attach_error(err));
		pr_warn("hook %s unavailable: %s: %s\n", h->name,
			first->symbol, h->reason);
	} else if (h->live != first) {
		h->state = KNMT_HOOK_STATE_FALLBACK;
		pr_info("hook %s uses fallback %s: %s %s\n", h->name,
			h->live->symbol, first->symbol, h->reason);
	} else {
		h->state = KNMT_HOOK_STATE_ATTACHED;
	}
}

/* How @h reaches the kernel: a shared target, as its owner does. */
enum knmt_hook_kind knmt_hook_kind(const struct knmt_hook *h)
{
	const struct knmt_hook_target *t = h->live ?: &h->targets[0];

	if (t->shared) {
		h = &knmt_hooks[t->owner];
		t = h->live ?: &h->targets[0];
	}
	return t->kind;
}

void knmt_hook_describe(enum knmt_hook_id id, const char *name,
			const struct knmt_hook_target *targets)
{
	unsigned int n = 0;

	while (targets[n].symbol)
		n++;
	knmt_hooks[id].name = name;
	knmt_hooks[id].targets = targets;
	knmt_hooks[id].nr_targets = n;
}

/*
 * Handlers for hooks that only count for now; the hook is found from the
 * probe itself, so one handler serves them all.
 */
int knmt_kp_count(struct kprobe *p, struct pt_regs *regs)
{
	struct knmt_hook *h = container_of(p, struct knmt_hook, kp);

	if (knmt_enter(h - knmt_hooks))
		knmt_leave();
	return 0;
}

void knmt_ft_count(unsigned long ip, unsigned long parent_ip,
		   struct ftrace_ops *ops, struct ftrace_regs *fregs)
{
	struct knmt_hook *h = container_of(ops, struct knmt_hook, ops);

	knmt_ft_begin();
	if (knmt_enter(h - knmt_hooks))
		knmt_leave();
	knmt_ft_end();
}

int knmt_krp_count(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct kretprobe *rp = get_kretprobe(ri);
	struct knmt_hook *h;

	if (!rp)
		return 0;
	h = container_of(rp, struct knmt_hook, krp);
	if (knmt_enter(h - knmt_hooks))
		knmt_leave();
	return 0;
}

/*
 * Attaching never fails the load: a kernel without one of the hooks still
 * gets every measurement that does not depend on it.
 */
int knmt_hooks_init(void)
{
	unsigned int cpu, i;

	knmt_probes_sched_setup();
	knmt_probes_mm_setup();
	knmt_probes_net_setup();

	for (i = 0; i < KNMT_NR_HOOKS; i++) {
		if (WARN_ON_ONCE(!knmt_hooks[i].nr_targets))
			return -EINVAL;
	}
	/* Before any hook runs: the first guarded run of each CPU is timed. */
	for_each_possible_cpu(cpu)
		per_cpu_ptr(&knmt_cpu, cpu)->cost_left = 1;
	for (i = 0; i < KNMT_NR_HOOKS; i++)
		knmt_attach(&knmt_hooks[i]);
	return 0;
}

/*
 * Mirror of knmt_hooks_init(): detach in reverse order, then wait until no
 * CPU can still be inside a tracepoint probe.  unregister_k(ret)probe()
 * waits for its own handlers; pending kretprobe returns never call back.
 */
void knmt_hooks_exit(void)
{
	unsigned int i = KNMT_NR_HOOKS;

	while (i--)
		knmt_detach(&knmt_hooks[i]);
	tracepoint_synchronize_unregister();
}

static unsigned long knmt_hook_nmissed(const struct knmt_hook *h)
{
	/* A shared probe's misses are its owner's. */
	if (!h->live || h->live->shared)
		return 0;
	switch (h->live->kind) {
	case KNMT_HOOK_KIND_KPROBE:
		return h->kp.nmissed;
	case KNMT_HOOK_KIND_KRETPROBE:
		return h->krp.nmissed + h->krp.kp.nmissed;
	default:
		return 0;
	}
}

void knmt_stats_read(struct knmt_stats *st)
{
	unsigned int cpu, i;

	memset(st, 0, sizeof(*st));
	for_each_possible_cpu(cpu) {
		const struct knmt_cpu *c = per_cpu_ptr(&knmt_cpu, cpu);

		for (i = 0; i < KNMT_NR_HOOKS; i++) {
			st->hook_hits[i] += READ_ONCE(c->hits[i]);
			st->hook_missed[i] += READ_ONCE(c->missed[i]);
			st->hook_cost_ns[i] += READ_ONCE(c->cost_ns[i]);
			st->hook_cost_runs[i] += READ_ONCE(c->cost_runs[i]);
		}
		st->recursion += READ_ONCE(c->recursion);
	}
	for (i = 0; i < KNMT_NR_HOOKS; i++)
		st->hook_missed[i] += knmt_hook_nmissed(&knmt_hooks[i]);
}

/* Memory reserved by the hooks: per-CPU counters, kretprobe instances. */
size_t knmt_hooks_mem_bytes(void)
{
	size_t bytes = sizeof(knmt_hooks) +
		       sizeof(struct knmt_cpu) * num_possible_cpus();
	unsigned int i;

	for (i = 0; i < KNMT_NR_HOOKS; i++) {
		const struct knmt_hook *h = &knmt_hooks[i];

		bytes += h->nr_more * sizeof(*h->more_ops);
		if (h->live && !h->live->shared &&
		    h->live->kind == KNMT_HOOK_KIND_KRETPROBE)
			bytes += (size_t)h->krp.maxactive *
				 (sizeof(struct kretprobe_instance) +
				  h->krp.data_size);
	}
	return bytes;
}
