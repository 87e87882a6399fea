// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libknmt: KNMT_CMD_GET_STATUS and the decoding of its reply.
 */
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "internal.h"

#define A(attr, t, req) [attr] = { #attr, t, req }

static const struct knmt_attr_desc status_desc[KNMT_A_STATUS_MAX + 1] = {
	A(KNMT_A_STATUS_PAD,		 NLA_UNSPEC, false),
	A(KNMT_A_STATUS_VERSION,	 NLA_STRING, true),
	A(KNMT_A_STATUS_RELEASE_BUILT,	 NLA_STRING, false),
	A(KNMT_A_STATUS_RELEASE_RUNNING, NLA_STRING, false),
	A(KNMT_A_STATUS_HOOK,		 NLA_NESTED, false),
	A(KNMT_A_STATUS_PROCS_TRACKED,	 NLA_U32,    false),
	A(KNMT_A_STATUS_PROCS_MAX,	 NLA_U32,    false),
	A(KNMT_A_STATUS_PROCS_OVERFLOW,	 NLA_U64,    false),
	A(KNMT_A_STATUS_EVENTS_EMITTED,	 NLA_U64,    false),
	A(KNMT_A_STATUS_EVENTS_DROPPED,	 NLA_U64,    false),
	A(KNMT_A_STATUS_MEM_BYTES,	 NLA_U64,    false),
	A(KNMT_A_STATUS_RECURSION,	 NLA_U64,    false),
	A(KNMT_A_STATUS_UPTIME_NS,	 NLA_U64,    false),
	A(KNMT_A_STATUS_REGIONS_TRACKED, NLA_U32,    false),
	A(KNMT_A_STATUS_REGIONS_MAX,	 NLA_U32,    false),
	A(KNMT_A_STATUS_REGIONS_OVERFLOW, NLA_U64,   false),
	A(KNMT_A_STATUS_EXITS_KEPT,	 NLA_U32,    false),
	A(KNMT_A_STATUS_SOCKETS_TRACKED, NLA_U32,    false),
	A(KNMT_A_STATUS_SOCKETS_MAX,	 NLA_U32,    false),
	A(KNMT_A_STATUS_SOCKETS_OVERFLOW, NLA_U64,   false),
	A(KNMT_A_STATUS_SOCKETS_STALE,	 NLA_U64,    false),
	A(KNMT_A_STATUS_EVENT_DROPS,	 NLA_NESTED, false),
	A(KNMT_A_STATUS_EVENTS_UNDELIVERED, NLA_U64, false),
	A(KNMT_A_STATUS_EVENT_LISTENERS, NLA_U8,     false),
	A(KNMT_A_STATUS_PIDNS_LEVEL,     NLA_U32,    false),
	A(KNMT_A_STATUS_MEM,		 NLA_NESTED, false),
	A(KNMT_A_STATUS_COST_SAMPLE,	 NLA_U32,    false),
	A(KNMT_A_STATUS_SAMPLER_ROUND_MS, NLA_U32,   false),
	A(KNMT_A_STATUS_THREADS_TRACKED, NLA_U32,    false),
	A(KNMT_A_STATUS_THREADS_MAX,	 NLA_U32,    false),
	A(KNMT_A_STATUS_THREADS_OVERFLOW, NLA_U64,   false),
};

static const struct knmt_attr_desc hook_desc[KNMT_A_HOOK_MAX + 1] = {
	A(KNMT_A_HOOK_PAD,	 NLA_UNSPEC, false),
	A(KNMT_A_HOOK_NAME,	 NLA_STRING, true),
	A(KNMT_A_HOOK_KIND,	 NLA_U8,     true),
	A(KNMT_A_HOOK_STATE,	 NLA_U8,     true),
	A(KNMT_A_HOOK_PREFERRED, NLA_STRING, false),
	A(KNMT_A_HOOK_TARGET,	 NLA_STRING, false),
	A(KNMT_A_HOOK_ERROR,	 NLA_U32,    false),
	A(KNMT_A_HOOK_REASON,	 NLA_STRING, false),
	A(KNMT_A_HOOK_HITS,	 NLA_U64,    false),
	A(KNMT_A_HOOK_MISSED,	 NLA_U64,    false),
	A(KNMT_A_HOOK_COST_NS,	 NLA_U64,    false),
	A(KNMT_A_HOOK_COST_RUNS, NLA_U64,    false),
};

static const struct knmt_attr_desc mem_desc[KNMT_A_MEM_MAX + 1] = {
	A(KNMT_A_MEM_PAD,	  NLA_UNSPEC, false),
	A(KNMT_A_MEM_NAME,	  NLA_STRING, true),
	A(KNMT_A_MEM_BYTES,	  NLA_U64,    true),
	A(KNMT_A_MEM_RECORDS,	  NLA_U32,    false),
	A(KNMT_A_MEM_RECORD_SIZE, NLA_U32,    false),
};

#undef A

/* The event drops nest: event type t is attribute t + 1. */
#define D(t) [(t) + 1] = { "KNMT_A_STATUS_EVENT_DROPS " #t, NLA_U64, false }
static const struct knmt_attr_desc drops_desc[KNMT_EV_NR + 1] = {
	D(KNMT_EV_EXEC), D(KNMT_EV_EXIT), D(KNMT_EV_OOM_VICTIM),
	D(KNMT_EV_MMAP), D(KNMT_EV_MUNMAP), D(KNMT_EV_MREMAP), D(KNMT_EV_BRK),
	D(KNMT_EV_OFFHEAP_ALLOC), D(KNMT_EV_OFFHEAP_FREE), D(KNMT_EV_FAULTS),
	D(KNMT_EV_SOCK_OPEN), D(KNMT_EV_SOCK_CLOSE), D(KNMT_EV_SOCK_STATE),
};
#undef D

_Static_assert(KNMT_EV_NR == 13, "drops_desc names one attribute per event type");

static const struct knmt_attr_set drops_set = {
	.name = "event drops", .maxtype = KNMT_EV_NR, .desc = drops_desc,
};

static const struct knmt_attr_set status_set = {
	.name = "status", .maxtype = KNMT_A_STATUS_MAX, .desc = status_desc,
};

static const struct knmt_attr_set hook_set = {
	.name = "hook", .maxtype = KNMT_A_HOOK_MAX, .desc = hook_desc,
};

static const struct knmt_attr_set mem_set = {
	.name = "mem", .maxtype = KNMT_A_MEM_MAX, .desc = mem_desc,
};

_Static_assert(KNMT_A_STATUS_MAX < 64 && KNMT_A_HOOK_MAX < 64 &&
	       KNMT_A_MEM_MAX < 64,
	       "present bitmasks hold 64 attributes");

static uint64_t get_u64(struct nlattr *nla)
{
	return nla ? nla_get_u64(nla) : 0;
}

static uint32_t get_u32(struct nlattr *nla)
{
	return nla ? nla_get_u32(nla) : 0;
}

/* Duplicates an optional string; false only when out of memory. */
static bool dup_opt(char **dst, struct nlattr *nla)
{
	*dst = NULL;
	if (!nla)
		return true;
	*dst = strdup(nla_data(nla));
	return *dst != NULL;
}

static void hook_free(struct knmt_hook *hk)
{
	free(hk->name);
	free(hk->preferred);
	free(hk->target);
	free(hk->reason);
}

void knmt_status_free(struct knmt_status *st)
{
	size_t i;

	if (!st)
		return;
	for (i = 0; i < st->n_hooks; i++)
		hook_free(&st->hooks[i]);
	free(st->hooks);
	for (i = 0; i < st->n_mem; i++)
		free(st->mem[i].name);
	free(st->mem);
	free(st->version);
	free(st->release_built);
	free(st->release_running);
	memset(st, 0, sizeof(*st));
}

static int hook_decode(struct nlattr *nest, void *obj, size_t idx,
		       char *why, size_t whylen)
{
	struct knmt_hook *hk = obj;
	struct nlattr *tb[KNMT_A_HOOK_MAX + 1];
	char inner[KNMT_DETAIL_MAX - 32];

	if (knmt_attrs_parse(&hook_set, tb, nla_data(nest), nla_len(nest),
			     inner, sizeof(inner))) {
		snprintf(why, whylen, "hook #%zu: %s", idx, inner);
		return -KNMT_E_PROTO;
	}
	hk->present = knmt_present_bits(tb, KNMT_A_HOOK_MAX);
	hk->kind = nla_get_u8(tb[KNMT_A_HOOK_KIND]);
	hk->state = nla_get_u8(tb[KNMT_A_HOOK_STATE]);
	hk->error = get_u32(tb[KNMT_A_HOOK_ERROR]);
	hk->hits = get_u64(tb[KNMT_A_HOOK_HITS]);
	hk->missed = get_u64(tb[KNMT_A_HOOK_MISSED]);
	hk->cost_ns = get_u64(tb[KNMT_A_HOOK_COST_NS]);
	hk->cost_runs = get_u64(tb[KNMT_A_HOOK_COST_RUNS]);
	if (!dup_opt(&hk->name, tb[KNMT_A_HOOK_NAME]) ||
	    !dup_opt(&hk->preferred, tb[KNMT_A_HOOK_PREFERRED]) ||
	    !dup_opt(&hk->target, tb[KNMT_A_HOOK_TARGET]) ||
	    !dup_opt(&hk->reason, tb[KNMT_A_HOOK_REASON])) {
		snprintf(why, whylen, "copying hook #%zu", idx);
		return -KNMT_E_NOMEM;
	}
	return 0;
}

static int mem_decode(struct nlattr *nest, void *obj, size_t idx,
		      char *why, size_t whylen)
{
	struct knmt_mem_kind *m = obj;
	struct nlattr *tb[KNMT_A_MEM_MAX + 1];
	char inner[KNMT_DETAIL_MAX - 32];

	if (knmt_attrs_parse(&mem_set, tb, nla_data(nest), nla_len(nest),
			     inner, sizeof(inner))) {
		snprintf(why, whylen, "memory kind #%zu: %s", idx, inner);
		return -KNMT_E_PROTO;
	}
	m->present = knmt_present_bits(tb, KNMT_A_MEM_MAX);
	m->bytes = get_u64(tb[KNMT_A_MEM_BYTES]);
	m->records = get_u32(tb[KNMT_A_MEM_RECORDS]);
	m->record_size = get_u32(tb[KNMT_A_MEM_RECORD_SIZE]);
	if (!dup_opt(&m->name, tb[KNMT_A_MEM_NAME])) {
		snprintf(why, whylen, "copying memory kind #%zu", idx);
		return -KNMT_E_NOMEM;
	}
	return 0;
}

/* Decodes every nest of a repeated status attribute into an array. */
static int repeated_decode(struct nlattr *head, int len, int type,
			   void **arr, size_t *n, size_t elem,
			   int (*decode)(struct nlattr *, void *, size_t,
					 char *, size_t),
			   char *why, size_t whylen)
{
	struct nlattr *nla;
	size_t count = 0;
	int rem, ret;

	nla_for_each_attr(nla, head, len, rem)
		if (nla_type(nla) == type)
			count++;
	if (!count)
		return 0;
	*arr = calloc(count, elem);
	if (!*arr) {
		snprintf(why, whylen, "allocating %zu entries", count);
		return -KNMT_E_NOMEM;
	}
	nla_for_each_attr(nla, head, len, rem) {
		if (nla_type(nla) != type)
			continue;
		/* counted before decoding so that a failure frees it */
		ret = decode(nla, (char *)*arr + *n * elem, *n, why, whylen);
		(*n)++;
		if (ret < 0)
			return ret;
	}
	return 0;
}

/*
 * KNMT_A_STATUS_EVENT_DROPS: entry t + 1 is event_drops[t]; pads (type 0)
 * and the entries of types newer than this library are ignored.
 */
static int drops_decode(struct nlattr *nest, struct knmt_status *st,
			char *why, size_t whylen)
{
	struct nlattr *tb[KNMT_EV_NR + 1];
	char inner[KNMT_DETAIL_MAX - 32];
	unsigned int t;

	if (knmt_attrs_parse(&drops_set, tb, nla_data(nest), nla_len(nest),
			     inner, sizeof(inner))) {
		snprintf(why, whylen, "KNMT_A_STATUS_EVENT_DROPS: %s", inner);
		return -1;
	}
	for (t = 0; t < KNMT_EV_NR; t++) {
		if (!tb[t + 1])
			continue;
		st->event_drops[t] = nla_get_u64(tb[t + 1]);
		st->event_drops_present |= 1U << t;
	}
	return 0;
}

int knmt_status_decode(const struct nlmsghdr *nlh, struct knmt_status *st,
		       char *why, size_t whylen)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	struct nlattr *tb[KNMT_A_STATUS_MAX + 1];
	struct nlattr *head;
	int len;
	int ret;

	memset(st, 0, sizeof(*st));
	ret = knmt_genl_check(nlh, why, whylen);
	if (ret < 0)
		return ret;

	head = genlmsg_attrdata(g, 0);
	len = genlmsg_attrlen(g, 0);
	if (knmt_attrs_parse(&status_set, tb, head, len, why, whylen))
		return -KNMT_E_PROTO;

	st->present = knmt_present_bits(tb, KNMT_A_STATUS_MAX);
	st->procs_tracked = get_u32(tb[KNMT_A_STATUS_PROCS_TRACKED]);
	st->procs_max = get_u32(tb[KNMT_A_STATUS_PROCS_MAX]);
	st->procs_overflow = get_u64(tb[KNMT_A_STATUS_PROCS_OVERFLOW]);
	st->events_emitted = get_u64(tb[KNMT_A_STATUS_EVENTS_EMITTED]);
	st->events_dropped = get_u64(tb[KNMT_A_STATUS_EVENTS_DROPPED]);
	st->mem_bytes = get_u64(tb[KNMT_A_STATUS_MEM_BYTES]);
	st->recursion = get_u64(tb[KNMT_A_STATUS_RECURSION]);
	st->uptime_ns = get_u64(tb[KNMT_A_STATUS_UPTIME_NS]);
	st->regions_tracked = get_u32(tb[KNMT_A_STATUS_REGIONS_TRACKED]);
	st->regions_max = get_u32(tb[KNMT_A_STATUS_REGIONS_MAX]);
	st->regions_overflow = get_u64(tb[KNMT_A_STATUS_REGIONS_OVERFLOW]);
	st->exits_kept = get_u32(tb[KNMT_A_STATUS_EXITS_KEPT]);
	st->sockets_tracked = get_u32(tb[KNMT_A_STATUS_SOCKETS_TRACKED]);
	st->sockets_max = get_u32(tb[KNMT_A_STATUS_SOCKETS_MAX]);
	st->sockets_overflow = get_u64(tb[KNMT_A_STATUS_SOCKETS_OVERFLOW]);
	st->sockets_stale = get_u64(tb[KNMT_A_STATUS_SOCKETS_STALE]);
	st->events_undelivered = get_u64(tb[KNMT_A_STATUS_EVENTS_UNDELIVERED]);
	st->event_listeners = knmt_nla_u8(tb[KNMT_A_STATUS_EVENT_LISTENERS]);
	st->pidns_level = get_u32(tb[KNMT_A_STATUS_PIDNS_LEVEL]);
	st->cost_sample = get_u32(tb[KNMT_A_STATUS_COST_SAMPLE]);
	st->sampler_round_ms = get_u32(tb[KNMT_A_STATUS_SAMPLER_ROUND_MS]);
	st->threads_tracked = get_u32(tb[KNMT_A_STATUS_THREADS_TRACKED]);
	st->threads_max = get_u32(tb[KNMT_A_STATUS_THREADS_MAX]);
	st->threads_overflow = get_u64(tb[KNMT_A_STATUS_THREADS_OVERFLOW]);
	if (tb[KNMT_A_STATUS_EVENT_DROPS] &&
	    drops_decode(tb[KNMT_A_STATUS_EVENT_DROPS], st, why, whylen))
		return -KNMT_E_PROTO;
	if (!dup_opt(&st->version, tb[KNMT_A_STATUS_VERSION]) ||
	    !dup_opt(&st->release_built, tb[KNMT_A_STATUS_RELEASE_BUILT]) ||
	    !dup_opt(&st->release_running, tb[KNMT_A_STATUS_RELEASE_RUNNING])) {
		snprintf(why, whylen, "copying the status strings");
		ret = -KNMT_E_NOMEM;
		goto fail;
	}

	/* KNMT_A_STATUS_HOOK and _MEM repeat: tb[] kept only the last. */
	ret = repeated_decode(head, len, KNMT_A_STATUS_HOOK,
			      (void **)&st->hooks, &st->n_hooks,
			      sizeof(*st->hooks), hook_decode, why, whylen);
	if (!ret)
		ret = repeated_decode(head, len, KNMT_A_STATUS_MEM,
				      (void **)&st->mem, &st->n_mem,
				      sizeof(*st->mem), mem_decode,
				      why, whylen);
	if (ret < 0)
		goto fail;
	return 0;
fail:
	knmt_status_free(st);
	return ret;
}

struct status_req {
	struct knmt *h;
	struct knmt_status *st;
	bool got;
};

static int status_reply(const struct nlmsghdr *nlh, void *arg)
{
	struct status_req *r = arg;
	char why[KNMT_DETAIL_MAX];
	int ret;

	if (r->got)
		return knmt_fail(r->h, KNMT_E_PROTO,
				 "more than one reply to GET_STATUS");
	ret = knmt_status_decode(nlh, r->st, why, sizeof(why));
	if (ret < 0)
		return knmt_fail(r->h, -ret, "GET_STATUS reply: %s", why);
	r->got = true;
	return 0;
}

int knmt_get_status(struct knmt *h, struct knmt_status *out)
{
	struct status_req r = { .h = h, .st = out };
	int ret;

	memset(out, 0, sizeof(*out));
	ret = knmt_request(h, KNMT_CMD_GET_STATUS, 0, NULL, NULL,
			   status_reply, &r);
	if (ret == 0 && !r.got)
		ret = knmt_fail(h, KNMT_E_PROTO, "GET_STATUS was acknowledged without a reply");
	if (ret < 0)
		knmt_status_free(out);
	return ret;
}
