// SPDX-License-Identifier: GPL-2.0
/*
 * knmt - the "knmt" generic netlink family.
 *
 * Every command needs CAP_NET_ADMIN (GENL_ADMIN_PERM) and the events group
 * CAP_SYS_ADMIN: replies describe process memory layouts, which defeat ASLR.
 * The family lives in the initial network namespace only.  Validation is
 * strict for every command (resv_start_op = 0): unknown attributes, wrong
 * lengths and non-zero reserved header fields are rejected by the core with
 * an extack message, and commands with no policy accept no attribute.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/ktime.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/utsname.h>
#include <generated/utsrelease.h>
#include <net/genetlink.h>

#include "knmt.h"
#include "knmt_events.h"
#include "knmt_exits.h"
#include "knmt_genl.h"
#include "knmt_proc.h"
#include "wrapper/genl.h"

static size_t knmt_hook_msg_size(const struct knmt_hook *h)
{
	return nla_total_size(0) +				/* nest */
	       nla_total_size(strlen(h->name) + 1) +
	       nla_total_size(sizeof(u8)) * 2 +			/* kind, state */
	       nla_total_size(strlen(h->targets[0].symbol) + 1) +
	       (h->live ? nla_total_size(strlen(h->live->symbol) + 1) : 0) +
	       nla_total_size(sizeof(u32)) +			/* error */
	       nla_total_size(strnlen(h->reason, sizeof(h->reason)) + 1) +
	       nla_total_size_64bit(sizeof(u64)) * 4;	/* hits, missed, cost */
}

static size_t knmt_status_msg_size(void)
{
	size_t size = nla_total_size(sizeof(KNMT_VERSION)) +
		      nla_total_size(sizeof(UTS_RELEASE)) +
		      nla_total_size(__NEW_UTS_LEN + 1) +
		      nla_total_size(sizeof(u32)) * 12 +
		      nla_total_size_64bit(sizeof(u64)) * 11 +
		      nla_total_size(sizeof(u8)) +
		      nla_total_size(0) +			/* drops nest */
		      nla_total_size_64bit(sizeof(u64)) * KNMT_EV_NR;
	struct knmt_mem m[KNMT_MEM_NR];
	unsigned int i;

	knmt_mem_read(m);
	for (i = 0; i < KNMT_MEM_NR; i++)
		size += nla_total_size(0) +
			nla_total_size(strlen(m[i].name) + 1) +
			nla_total_size_64bit(sizeof(u64)) +
			nla_total_size(sizeof(u32)) * 2;
	for (i = 0; i < KNMT_NR_HOOKS; i++)
		size += knmt_hook_msg_size(&knmt_hooks[i]);
	return size;
}

static int knmt_put_hook(struct sk_buff *skb, const struct knmt_hook *h,
			 const struct knmt_stats *st, unsigned int id)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, KNMT_A_STATUS_HOOK);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, KNMT_A_HOOK_NAME, h->name) ||
	    nla_put_u8(skb, KNMT_A_HOOK_KIND, knmt_hook_kind(h)) ||
	    nla_put_u8(skb, KNMT_A_HOOK_STATE, h->state) ||
	    nla_put_string(skb, KNMT_A_HOOK_PREFERRED, h->targets[0].symbol) ||
	    (h->live &&
	     nla_put_string(skb, KNMT_A_HOOK_TARGET, h->live->symbol)) ||
	    nla_put_u32(skb, KNMT_A_HOOK_ERROR, h->err) ||
	    (h->reason[0] &&
	     nla_put_string(skb, KNMT_A_HOOK_REASON, h->reason)) ||
	    nla_put_u64_64bit(skb, KNMT_A_HOOK_HITS, st->hook_hits[id],
			      KNMT_A_HOOK_PAD) ||
	    nla_put_u64_64bit(skb, KNMT_A_HOOK_MISSED, st->hook_missed[id],
			      KNMT_A_HOOK_PAD) ||
	    nla_put_u64_64bit(skb, KNMT_A_HOOK_COST_NS, st->hook_cost_ns[id],
			      KNMT_A_HOOK_PAD) ||
	    nla_put_u64_64bit(skb, KNMT_A_HOOK_COST_RUNS,
			      st->hook_cost_runs[id], KNMT_A_HOOK_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * A nest of @n u64 counters of attribute types 1..@n (histogram buckets,
 * drops per event type).  Where a counter needs padding it gets a
 * zero-length attribute of type 0, which no counter uses.
 */
int knmt_put_u64_counts(struct sk_buff *skb, int type, const u64 *c,
			unsigned int n)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	unsigned int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++) {
		if (nla_put_u64_64bit(skb, i + 1, c[i], 0)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The kinds and their sum in *@total: one reading, so that they agree. */
static int knmt_put_mem(struct sk_buff *skb, u64 *total)
{
	struct knmt_mem m[KNMT_MEM_NR];
	unsigned int i;

	knmt_mem_read(m);
	*total = 0;
	for (i = 0; i < KNMT_MEM_NR; i++) {
		struct nlattr *nest = nla_nest_start(skb, KNMT_A_STATUS_MEM);

		if (!nest)
			return -EMSGSIZE;
		*total += m[i].bytes;
		if (nla_put_string(skb, KNMT_A_MEM_NAME, m[i].name) ||
		    nla_put_u64_64bit(skb, KNMT_A_MEM_BYTES, m[i].bytes,
				      KNMT_A_MEM_PAD) ||
		    (m[i].record_size &&
		     (nla_put_u32(skb, KNMT_A_MEM_RECORDS, m[i].records) ||
		      nla_put_u32(skb, KNMT_A_MEM_RECORD_SIZE,
				  m[i].record_size)))) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
		nla_nest_end(skb, nest);
	}
	return 0;
}

static int knmt_fill_status(struct sk_buff *skb)
{
	u64 drops[KNMT_EV_NR], drops_total = 0, mem = 0;
	u32 round_ms = knmt_sampler_last_round_ms();
	struct knmt_stats *st;
	unsigned int i;
	int err = -EMSGSIZE;

	/* Too large for the stack of a netlink handler. */
	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	knmt_stats_read(st);
	knmt_events_drops(drops);
	for (i = 0; i < KNMT_EV_NR; i++)
		drops_total += drops[i];

	if (nla_put_string(skb, KNMT_A_STATUS_VERSION, KNMT_VERSION) ||
	    nla_put_string(skb, KNMT_A_STATUS_RELEASE_BUILT, UTS_RELEASE) ||
	    nla_put_string(skb, KNMT_A_STATUS_RELEASE_RUNNING,
			   init_utsname()->release))
		goto out;
	for (i = 0; i < KNMT_NR_HOOKS; i++) {
		if (knmt_put_hook(skb, &knmt_hooks[i], st, i))
			goto out;
	}
	if (knmt_put_mem(skb, &mem))
		goto out;
	if (nla_put_u32(skb, KNMT_A_STATUS_PROCS_TRACKED,
			knmt_procs_tracked()) ||
	    nla_put_u32(skb, KNMT_A_STATUS_PROCS_MAX, knmt_procs_max) ||
	    nla_put_u64_64bit(skb, KNMT_A_STATUS_PROCS_OVERFLOW,
			      knmt_procs_overflow(),
			      KNMT_A_STATUS_PAD) ||
	    nla_put_u32(skb, KNMT_A_STATUS_REGIONS_TRACKED,
			knmt_regions_tracked()) ||
	    nla_put_u32(skb, KNMT_A_STATUS_REGIONS_MAX, knmt_regions_max) ||
	    nla_put_u64_64bit(skb, KNMT_A_STATUS_REGIONS_OVERFLOW,
			      knmt_regions_overflow(),
			      KNMT_A_STATUS_PAD) ||
	    nla_put_u32(skb, KNMT_A_STATUS_EXITS_KEPT, knmt_exits_kept()) ||
	    nla_put_u32(skb, KNMT_A_STATUS_THREADS_TRACKED,
			knmt_threads_tracked()) ||
	    nla_put_u32(skb, KNMT_A_STATUS_THREADS_MAX, knmt_threads_max) ||
	    nla_put_u64_64bit(skb, KNMT_A_STATUS_THREADS_OVERFLOW,
			      knmt_threads_overflow(), KNMT_A_STATUS_PAD) ||
	    nla_put_u32(skb, KNMT_A_STATUS_SOCKETS_TRACKED,
			knmt_socks_tracked()) ||
	    nla_put_u32(skb, KNMT_A_STATUS_SOCKETS_MAX, knmt_sockets_max) ||
	    nla_put_u64_64bit(skb, KNMT_A_STATUS_SOCKETS_OVERFLOW,
			      knmt_socks_overflow(), KNMT_A_STATUS_PAD) ||
	    nla_put_u64_64bit(skb, KNMT_A_STATUS_SOCKETS_STALE,
			      knmt_socks_stale(), KNMT_A_STATUS_PAD) ||
	    nla_put_u64_64bit(skb, KNMT_A_STATUS_EVENTS_EMITTED,
			      knmt_events_emitted(), KNMT_A_STATUS_PAD) ||
	    nla_put_u64_64bit(skb, KNMT_A_STATUS_EVENTS_DROPPED, drops_total,
			      KNMT_A_STATUS_PAD) ||
	    nla_put_u64_64bit(skb, KNMT_A_STATUS_EVENTS_UNDELIVERED,
			      knmt_events_undelivered(), KNMT_A_STATUS_PAD) ||
	    nla_put_u8(skb, KNMT_A_STATUS_EVENT_LISTENERS,
		       knmt_events_wanted()) ||
	    nla_put_u32(skb, KNMT_A_STATUS_PIDNS_LEVEL,
			task_active_pid_ns(current)->level) ||
	    knmt_put_u64_counts(skb, KNMT_A_STATUS_EVENT_DROPS, drops,
				KNMT_EV_NR) ||
	    nla_put_u64_64bit(skb, KNMT_A_STATUS_MEM_BYTES,
			      mem, KNMT_A_STATUS_PAD) ||
	    nla_put_u64_64bit(skb, KNMT_A_STATUS_RECURSION, st->recursion,
			      KNMT_A_STATUS_PAD) ||
	    nla_put_u32(skb, KNMT_A_STATUS_COST_SAMPLE, knmt_cost_sample) ||
	    (round_ms &&
	     nla_put_u32(skb, KNMT_A_STATUS_SAMPLER_ROUND_MS, round_ms)) ||
	    nla_put_u64_64bit(skb, KNMT_A_STATUS_UPTIME_NS,
			      ktime_get_ns() - knmt_load_time_ns,
			      KNMT_A_STATUS_PAD))
		goto out;
	err = 0;
out:
	kfree(st);
	return err;
}

/* Send a reply sized before it is built; a size error is a knmt bug. */
static int knmt_reply(struct genl_info *info, size_t size,
		      int (*fill)(struct sk_buff *skb))
{
	struct sk_buff *skb;
	void *hdr;
	int err;

	skb = genlmsg_new(size, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put_reply(skb, info, &knmt_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_free;
	}
	err = fill(skb);
	if (err) {
		WARN_ON_ONCE(err == -EMSGSIZE);
		GENL_SET_ERR_MSG(info, "reply did not fit its computed size");
		goto err_free;
	}
	genlmsg_end(skb, hdr);
	return genlmsg_reply(skb, info);

err_free:
	nlmsg_free(skb);
	return err;
}

static int knmt_cmd_get_status(struct sk_buff *skb, struct genl_info *info)
{
	return knmt_reply(info, knmt_status_msg_size(), knmt_fill_status);
}

static int knmt_fill_config(struct sk_buff *skb)
{
	struct knmt_filter f;
	pid_t vpid = 0;

	knmt_filter_get(&f);
	if (f.pid) {
		rcu_read_lock();
		vpid = pid_vnr(find_pid_ns(f.pid, &init_pid_ns));
		rcu_read_unlock();
	}
	if (nla_put_u32(skb, KNMT_A_CONFIG_FILTER_PID, vpid) ||
	    nla_put_string(skb, KNMT_A_CONFIG_FILTER_COMM, f.comm) ||
	    nla_put_u64_64bit(skb, KNMT_A_CONFIG_FILTER_CGROUP, f.cgroup,
			      KNMT_A_CONFIG_PAD) ||
	    nla_put_u32(skb, KNMT_A_CONFIG_SAMPLE_MS, knmt_sample_ms))
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, KNMT_A_CONFIG_OFFHEAP_MIN_BYTES,
			      READ_ONCE(knmt_offheap_min_bytes),
			      KNMT_A_CONFIG_PAD) ||
	    nla_put_u32(skb, KNMT_A_CONFIG_PROCS_MAX, knmt_procs_max) ||
	    nla_put_u32(skb, KNMT_A_CONFIG_REGIONS_MAX, knmt_regions_max) ||
	    nla_put_u32(skb, KNMT_A_CONFIG_EXITS_MAX, knmt_exits_max) ||
	    nla_put_u32(skb, KNMT_A_CONFIG_SOCKETS_MAX, knmt_sockets_max) ||
	    nla_put_u32(skb, KNMT_A_CONFIG_EVENTS_RING, knmt_events_ring) ||
	    nla_put_u32(skb, KNMT_A_CONFIG_EVENTS_FAULT_MS,
			READ_ONCE(knmt_events_fault_ms)))
		return -EMSGSIZE;
	return 0;
}

static int knmt_cmd_get_config(struct sk_buff *skb, struct genl_info *info)
{
	return knmt_reply(info, nla_total_size_64bit(sizeof(u64)) * 2 +
				nla_total_size(sizeof(u32)) * 8 +
				nla_total_size(TASK_COMM_LEN),
			  knmt_fill_config);
}

/* 0 (no fault summaries) or 100 ms .. 1 h. */
static int knmt_config_fault_ms(struct genl_info *info, u32 *ms)
{
	struct nlattr *a = info->attrs[KNMT_A_CONFIG_EVENTS_FAULT_MS];

	*ms = nla_get_u32(a);
	if (*ms && (*ms < 100 || *ms > 3600000)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "events_fault_ms is 0 or 100..3600000");
		return -ERANGE;
	}
	return 0;
}

static bool knmt_config_has_filter(struct nlattr **attrs)
{
	return attrs[KNMT_A_CONFIG_FILTER_PID] ||
	       attrs[KNMT_A_CONFIG_FILTER_COMM] ||
	       attrs[KNMT_A_CONFIG_FILTER_CGROUP];
}

/* The filter as it will be: the one in force, with what the request sets. */
static int knmt_config_filter(struct genl_info *info, struct knmt_filter *f)
{
	struct nlattr **attrs = info->attrs;
	struct nlattr *a;

	knmt_filter_get(f);
	a = attrs[KNMT_A_CONFIG_FILTER_PID];
	if (a) {
		f->pid = 0;
		if (nla_get_u32(a)) {
			rcu_read_lock();
			f->pid = pid_nr(find_vpid(nla_get_u32(a)));
			rcu_read_unlock();
			if (!f->pid) {
				NL_SET_ERR_MSG_ATTR(info->extack, a,
						    "no such process");
				return -ESRCH;
			}
		}
	}
	a = attrs[KNMT_A_CONFIG_FILTER_COMM];
	if (a)
		nla_strscpy(f->comm, a, sizeof(f->comm));
	a = attrs[KNMT_A_CONFIG_FILTER_CGROUP];
	if (a)
		f->cgroup = nla_get_u64(a);
	return 0;
}

static int knmt_cmd_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *a = info->attrs[KNMT_A_CONFIG_OFFHEAP_MIN_BYTES];
	bool fault_ms_set = info->attrs[KNMT_A_CONFIG_EVENTS_FAULT_MS];
	struct knmt_filter f;
	u32 fault_ms = 0;
	int err;

	if (!a && !fault_ms_set && !knmt_config_has_filter(info->attrs)) {
		GENL_SET_ERR_MSG(info, "no writable setting given");
		return -EINVAL;
	}
	if (fault_ms_set) {
		err = knmt_config_fault_ms(info, &fault_ms);
		if (err)
			return err;
	}
	if (knmt_config_has_filter(info->attrs)) {
		err = knmt_config_filter(info, &f);
		if (err)
			return err;
		err = knmt_filter_set(&f);
		if (err)
			return err;
	}
	if (a)
		WRITE_ONCE(knmt_offheap_min_bytes, nla_get_u64(a));
	if (fault_ms_set)
		WRITE_ONCE(knmt_events_fault_ms, fault_ms);
	return 0;
}

static struct netlink_range_validation knmt_offheap_min_range __ro_after_init = {
	.min = KNMT_OFFHEAP_MIN_BYTES_LOW,
	.max = KNMT_OFFHEAP_MIN_BYTES_HIGH,
};

static const struct nla_policy knmt_set_config_policy[KNMT_A_CONFIG_MAX + 1] = {
	[KNMT_A_CONFIG_OFFHEAP_MIN_BYTES] =
		NLA_POLICY_FULL_RANGE(NLA_U64, &knmt_offheap_min_range),
	[KNMT_A_CONFIG_PROCS_MAX] = {
		.type = NLA_REJECT,
		.reject_message = "procs_max is a module parameter, set at load",
	},
	[KNMT_A_CONFIG_REGIONS_MAX] = {
		.type = NLA_REJECT,
		.reject_message = "regions_max is a module parameter, set at load",
	},
	[KNMT_A_CONFIG_EXITS_MAX] = {
		.type = NLA_REJECT,
		.reject_message = "exits_max is a module parameter, set at load",
	},
	[KNMT_A_CONFIG_SAMPLE_MS] = {
		.type = NLA_REJECT,
		.reject_message = "sample_ms is a module parameter, set at load",
	},
	[KNMT_A_CONFIG_FILTER_PID] = { .type = NLA_U32 },
	[KNMT_A_CONFIG_FILTER_COMM] = {
		.type = NLA_NUL_STRING,
		.len = TASK_COMM_LEN - 1,
	},
	[KNMT_A_CONFIG_FILTER_CGROUP] = { .type = NLA_U64 },
	[KNMT_A_CONFIG_SOCKETS_MAX] = {
		.type = NLA_REJECT,
		.reject_message = "sockets_max is a module parameter, set at load",
	},
	[KNMT_A_CONFIG_EVENTS_RING] = {
		.type = NLA_REJECT,
		.reject_message = "events_ring is a module parameter, set at load",
	},
	[KNMT_A_CONFIG_EVENTS_FAULT_MS] = { .type = NLA_U32 },
};

static const struct nla_policy knmt_pid_policy[KNMT_A_PROC_PID + 1] = {
	[KNMT_A_PROC_PID] = NLA_POLICY_MIN(NLA_U32, 1),
};

static const struct genl_ops knmt_genl_ops[] = {
	{
		.cmd	= KNMT_CMD_GET_STATUS,
		.doit	= knmt_cmd_get_status,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= KNMT_CMD_GET_CONFIG,
		.doit	= knmt_cmd_get_config,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= KNMT_CMD_SET_CONFIG,
		.doit	= knmt_cmd_set_config,
		.policy	= knmt_set_config_policy,
		.maxattr = KNMT_A_CONFIG_MAX,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= KNMT_CMD_GET_PROC,
		.doit	= knmt_cmd_get_proc,
		.policy	= knmt_pid_policy,
		.maxattr = KNMT_A_PROC_PID,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= KNMT_CMD_DUMP_PROCS,
		.dumpit	= knmt_dump_procs,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= KNMT_CMD_DUMP_REGIONS,
		.dumpit	= knmt_dump_regions,
		.done	= knmt_dump_regions_done,
		.policy	= knmt_pid_policy,
		.maxattr = KNMT_A_PROC_PID,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= KNMT_CMD_DUMP_FAULT_SITES,
		.dumpit	= knmt_dump_sites,
		.policy	= knmt_pid_policy,
		.maxattr = KNMT_A_PROC_PID,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= KNMT_CMD_DUMP_EXITS,
		.dumpit	= knmt_dump_exits,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= KNMT_CMD_DUMP_SOCKETS,
		.dumpit	= knmt_dump_sockets,
		.policy	= knmt_pid_policy,
		.maxattr = KNMT_A_PROC_PID,
		.flags	= GENL_ADMIN_PERM,
	},
};

static const struct genl_multicast_group knmt_genl_mcgrps[] = {
	{ .name = KNMT_GENL_MCGRP_EVENTS, KNMT_MCGRP_ADMIN },
};

struct genl_family knmt_genl_family __ro_after_init = {
	.name		= KNMT_GENL_NAME,
	.version	= KNMT_GENL_VERSION,
	.module		= THIS_MODULE,
	.netnsok	= false,
	.parallel_ops	= true,
	.resv_start_op	= 0,
	.ops		= knmt_genl_ops,
	.n_ops		= ARRAY_SIZE(knmt_genl_ops),
	.mcgrps		= knmt_genl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(knmt_genl_mcgrps),
};

int knmt_genl_init(void)
{
	return genl_register_family(&knmt_genl_family);
}

void knmt_genl_exit(void)
{
	genl_unregister_family(&knmt_genl_family);
}
