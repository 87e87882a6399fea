// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libknmt: processes.  KNMT_CMD_GET_PROC, KNMT_CMD_DUMP_PROCS and
 * KNMT_CMD_DUMP_EXITS, the decoding of their process messages (with
 * their sockets' aggregates), the names of categories and origins, and
 * what every per-process dump
 * shares (the pid request attribute, a caller stopping it); the arrays
 * are collected by collect.c.
 */
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "internal.h"

#define A(attr, t, req) [attr] = { #attr, t, req }

static const struct knmt_attr_desc proc_desc[KNMT_A_PROC_MAX + 1] = {
	A(KNMT_A_PROC_PAD,	   NLA_UNSPEC, false),
	A(KNMT_A_PROC_PID,	   NLA_U32,    true),
	A(KNMT_A_PROC_COMM,	   NLA_STRING, false),
	A(KNMT_A_PROC_FLAGS,	   NLA_U32,    false),
	A(KNMT_A_PROC_START_NS,	   NLA_U64,    false),
	A(KNMT_A_PROC_CATEGORY,	   NLA_NESTED, false),
	A(KNMT_A_PROC_RSS_ANON,	   NLA_U64,    false),
	A(KNMT_A_PROC_RSS_FILE,	   NLA_U64,    false),
	A(KNMT_A_PROC_RSS_SHMEM,   NLA_U64,    false),
	A(KNMT_A_PROC_RSS_SWAP,	   NLA_U64,    false),
	A(KNMT_A_PROC_PEAK_RSS,	   NLA_U64,    false),
	A(KNMT_A_PROC_THREADS,	   NLA_U32,    false),
	A(KNMT_A_PROC_PAGETABLES,  NLA_U64,    false),
	A(KNMT_A_PROC_KSTACKS,	   NLA_U64,    false),
	A(KNMT_A_PROC_UNACCOUNTED, NLA_S64,    false),
	A(KNMT_A_PROC_OFFHEAP,	   NLA_NESTED, false),
	A(KNMT_A_PROC_SAMPLED_NS,  NLA_U64,    false),
	A(KNMT_A_PROC_EXIT_NS,	   NLA_U64,    false),
	A(KNMT_A_PROC_EXIT_CODE,   NLA_U32,    false),
	A(KNMT_A_PROC_SOCKETS,	   NLA_NESTED, false),
};

static const struct knmt_attr_desc cat_desc[KNMT_A_CAT_MAX + 1] = {
	A(KNMT_A_CAT_PAD,	   NLA_UNSPEC, false),
	A(KNMT_A_CAT_ID,	   NLA_U8,     true),
	A(KNMT_A_CAT_MAPPED,	   NLA_U64,    false),
	A(KNMT_A_CAT_RESIDENT,	   NLA_U64,    false),
	A(KNMT_A_CAT_REGIONS,	   NLA_U32,    false),
	A(KNMT_A_CAT_FAULTS_MINOR, NLA_U64,    false),
	A(KNMT_A_CAT_FAULTS_MAJOR, NLA_U64,    false),
	A(KNMT_A_CAT_PEAK_MAPPED,  NLA_U64,    false),
};

static const struct knmt_attr_desc offheap_desc[KNMT_A_OFFHEAP_MAX + 1] = {
	A(KNMT_A_OFFHEAP_PAD,	      NLA_UNSPEC, false),
	A(KNMT_A_OFFHEAP_LIVE_COUNT,  NLA_U64,    false),
	A(KNMT_A_OFFHEAP_LIVE_BYTES,  NLA_U64,    false),
	A(KNMT_A_OFFHEAP_ALLOC_COUNT, NLA_U64,    false),
	A(KNMT_A_OFFHEAP_ALLOC_BYTES, NLA_U64,    false),
	A(KNMT_A_OFFHEAP_FREED_COUNT, NLA_U64,    false),
	A(KNMT_A_OFFHEAP_FREED_BYTES, NLA_U64,    false),
	A(KNMT_A_OFFHEAP_LIFETIME,    NLA_NESTED, false),
};

static const struct knmt_attr_desc socks_desc[KNMT_A_SOCKS_MAX + 1] = {
	A(KNMT_A_SOCKS_PAD,		NLA_UNSPEC, false),
	A(KNMT_A_SOCKS_OPEN,		NLA_U32,    false),
	A(KNMT_A_SOCKS_FAMILY,		NLA_NESTED, false),
	A(KNMT_A_SOCKS_TCP_STATE,	NLA_NESTED, false),
	A(KNMT_A_SOCKS_CLOSE_WAIT_AGE_NS, NLA_U64,  false),
	A(KNMT_A_SOCKS_OLDEST_AGE_NS,	NLA_U64,    false),
	A(KNMT_A_SOCKS_RX_QUEUED,	NLA_U64,    false),
	A(KNMT_A_SOCKS_TX_QUEUED,	NLA_U64,    false),
	A(KNMT_A_SOCKS_MEM,		NLA_U64,    false),
	A(KNMT_A_SOCKS_OPENED,		NLA_U64,    false),
	A(KNMT_A_SOCKS_ACCEPTED,	NLA_U64,    false),
	A(KNMT_A_SOCKS_CLOSED,		NLA_U64,    false),
	A(KNMT_A_SOCKS_ORPHANS,		NLA_U32,    false),
	A(KNMT_A_SOCKS_DESTROYED,	NLA_U64,    false),
	A(KNMT_A_SOCKS_UNTRACKED,	NLA_U64,    false),
	A(KNMT_A_SOCKS_LIFETIME,	NLA_NESTED, false),
	A(KNMT_A_SOCKS_OPEN_RATE,	NLA_U32,    false),
	A(KNMT_A_SOCKS_CLOSE_RATE,	NLA_U32,    false),
};

#undef A

/* The lifetime nests: bucket i is attribute i + 1 (0, unused, pads). */
#define B(i) [(i) + 1] = { "KNMT_A_OFFHEAP_LIFETIME bucket " #i, NLA_U64, false }
static const struct knmt_attr_desc lifetime_desc[KNMT_LIFETIME_BUCKETS + 1] = {
	B(0), B(1), B(2), B(3), B(4), B(5), B(6), B(7), B(8), B(9), B(10), B(11),
};
#undef B

#define B(i) [(i) + 1] = { "KNMT_A_SOCKS_LIFETIME bucket " #i, NLA_U64, false }
static const struct knmt_attr_desc socks_lifetime_desc[KNMT_LIFETIME_BUCKETS + 1] = {
	B(0), B(1), B(2), B(3), B(4), B(5), B(6), B(7), B(8), B(9), B(10), B(11),
};
#undef B

/* The family nest: family f is attribute f + 1. */
static const struct knmt_attr_desc socks_family_desc[KNMT_SOCK_FAM_NR + 1] = {
	[KNMT_SOCK_FAM_INET + 1]  = { "KNMT_A_SOCKS_FAMILY inet", NLA_U32, false },
	[KNMT_SOCK_FAM_INET6 + 1] = { "KNMT_A_SOCKS_FAMILY inet6", NLA_U32, false },
	[KNMT_SOCK_FAM_UNIX + 1]  = { "KNMT_A_SOCKS_FAMILY unix", NLA_U32, false },
	[KNMT_SOCK_FAM_OTHER + 1] = { "KNMT_A_SOCKS_FAMILY other", NLA_U32, false },
};

/* The TCP state nest: state s (TCP_ESTABLISHED = 1 ...) is attribute s. */
#define S(s) [s] = { "KNMT_A_SOCKS_TCP_STATE " #s, NLA_U32, false }
static const struct knmt_attr_desc socks_state_desc[KNMT_TCP_STATES + 1] = {
	S(1), S(2), S(3), S(4), S(5), S(6), S(7), S(8), S(9), S(10), S(11), S(12),
};
#undef S

_Static_assert(KNMT_LIFETIME_BUCKETS == 12,
	       "the lifetime descriptions name one attribute per bucket");
_Static_assert(KNMT_SOCK_FAM_NR == 4,
	       "socks_family_desc names one attribute per family");
_Static_assert(KNMT_TCP_STATES == 12,
	       "socks_state_desc names one attribute per TCP state");
_Static_assert(KNMT_A_PROC_MAX < 64 && KNMT_A_CAT_MAX < 64 &&
	       KNMT_A_OFFHEAP_MAX < 64 && KNMT_A_SOCKS_MAX < 64,
	       "present bitmasks hold 64 attributes");

static const struct knmt_attr_set proc_set = {
	.name = "proc", .maxtype = KNMT_A_PROC_MAX, .desc = proc_desc,
};

static const struct knmt_attr_set cat_set = {
	.name = "category", .maxtype = KNMT_A_CAT_MAX, .desc = cat_desc,
};

static const struct knmt_attr_set offheap_set = {
	.name = "offheap", .maxtype = KNMT_A_OFFHEAP_MAX, .desc = offheap_desc,
};

static const struct knmt_attr_set lifetime_set = {
	.name = "lifetime", .maxtype = KNMT_LIFETIME_BUCKETS,
	.desc = lifetime_desc,
};

static const struct knmt_attr_set socks_set = {
	.name = "sockets", .maxtype = KNMT_A_SOCKS_MAX, .desc = socks_desc,
};

static const struct knmt_attr_set socks_lifetime_set = {
	.name = "socket lifetime", .maxtype = KNMT_LIFETIME_BUCKETS,
	.desc = socks_lifetime_desc,
};

static const struct knmt_attr_set socks_family_set = {
	.name = "socket family", .maxtype = KNMT_SOCK_FAM_NR,
	.desc = socks_family_desc,
};

static const struct knmt_attr_set socks_state_set = {
	.name = "TCP state", .maxtype = KNMT_TCP_STATES,
	.desc = socks_state_desc,
};

/* ---- names ----------------------------------------------------------- */

static const char *const category_names[KNMT_CAT_NR] = {
	[KNMT_CAT_HEAP]    = "heap",
	[KNMT_CAT_STACK]   = "stack",
	[KNMT_CAT_ARENA]   = "arena",
	[KNMT_CAT_OFFHEAP] = "offheap",
	[KNMT_CAT_ANON]    = "anon",
	[KNMT_CAT_SHMEM]   = "shmem",
	[KNMT_CAT_FILE]    = "file",
};

const char *knmt_category_name(unsigned int cat)
{
	return cat < KNMT_CAT_NR ? category_names[cat] : NULL;
}

int knmt_category_from_name(const char *name)
{
	int c;

	for (c = 0; name && c < KNMT_CAT_NR; c++)
		if (strcmp(category_names[c], name) == 0)
			return c;
	return -1;
}

const char *knmt_origin_name(unsigned int origin)
{
	switch (origin) {
	case KNMT_ORIGIN_NONE:		return "none";
	case KNMT_ORIGIN_RESERVED:	return "reserved";
	case KNMT_ORIGIN_STACK:		return "stack";
	case KNMT_ORIGIN_OFFHEAP:	return "offheap";
	case KNMT_ORIGIN_BRK:		return "brk";
	case KNMT_ORIGIN_GROWSDOWN:	return "growsdown";
	case KNMT_ORIGIN_GUESSED:	return "guessed";
	}
	return NULL;
}

/* ---- decoding -------------------------------------------------------- */

static int cat_decode(struct nlattr *nest, struct knmt_proc_info *p,
		      size_t idx, char *why, size_t whylen)
{
	struct nlattr *tb[KNMT_A_CAT_MAX + 1];
	char inner[KNMT_DETAIL_MAX - 32];
	struct knmt_cat_info *c;
	unsigned int id;

	if (knmt_attrs_parse(&cat_set, tb, nla_data(nest), nla_len(nest),
			     inner, sizeof(inner))) {
		snprintf(why, whylen, "category #%zu: %s", idx, inner);
		return -KNMT_E_PROTO;
	}
	id = knmt_nla_u8(tb[KNMT_A_CAT_ID]);
	if (id >= KNMT_CAT_NR)
		return 0;	/* a category newer than this library */
	c = &p->categories[id];
	c->present = knmt_present_bits(tb, KNMT_A_CAT_MAX);
	c->mapped = knmt_nla_u64(tb[KNMT_A_CAT_MAPPED]);
	c->resident = knmt_nla_u64(tb[KNMT_A_CAT_RESIDENT]);
	c->regions = knmt_nla_u32(tb[KNMT_A_CAT_REGIONS]);
	c->faults_minor = knmt_nla_u64(tb[KNMT_A_CAT_FAULTS_MINOR]);
	c->faults_major = knmt_nla_u64(tb[KNMT_A_CAT_FAULTS_MAJOR]);
	c->peak_mapped = knmt_nla_u64(tb[KNMT_A_CAT_PEAK_MAPPED]);
	return 0;
}

/*
 * A nest of counters numbered from 1 (lifetime buckets, families, TCP
 * states): entry i + 1 into v[i] (u32 or u64 as the set says), bit i of
 * *bits set.  Entries past the set's last are ignored, pads (type 0) too.
 */
static int counters_decode(struct nlattr *nest, const struct knmt_attr_set *set,
			   const char *what, uint64_t *v64, uint32_t *v32,
			   uint32_t *bits, char *why, size_t whylen)
{
	struct nlattr *tb[KNMT_TCP_STATES + 1];
	char inner[KNMT_DETAIL_MAX - 32];
	int i;

	if (knmt_attrs_parse(set, tb, nla_data(nest), nla_len(nest),
			     inner, sizeof(inner))) {
		snprintf(why, whylen, "%s: %s", what, inner);
		return -KNMT_E_PROTO;
	}
	for (i = 0; i < set->maxtype; i++) {
		if (!tb[i + 1])
			continue;
		if (v64)
			v64[i] = nla_get_u64(tb[i + 1]);
		else
			v32[i] = nla_get_u32(tb[i + 1]);
		*bits |= 1U << i;
	}
	return 0;
}

_Static_assert(KNMT_TCP_STATES >= KNMT_LIFETIME_BUCKETS &&
	       KNMT_TCP_STATES >= KNMT_SOCK_FAM_NR,
	       "counters_decode's table holds every counter nest");

static int offheap_decode(struct nlattr *nest, struct knmt_offheap_info *o,
			  char *why, size_t whylen)
{
	struct nlattr *tb[KNMT_A_OFFHEAP_MAX + 1];
	char inner[KNMT_DETAIL_MAX - 32];

	if (knmt_attrs_parse(&offheap_set, tb, nla_data(nest), nla_len(nest),
			     inner, sizeof(inner))) {
		snprintf(why, whylen, "KNMT_A_PROC_OFFHEAP: %s", inner);
		return -KNMT_E_PROTO;
	}
	o->present = knmt_present_bits(tb, KNMT_A_OFFHEAP_MAX);
	o->live_count = knmt_nla_u64(tb[KNMT_A_OFFHEAP_LIVE_COUNT]);
	o->live_bytes = knmt_nla_u64(tb[KNMT_A_OFFHEAP_LIVE_BYTES]);
	o->alloc_count = knmt_nla_u64(tb[KNMT_A_OFFHEAP_ALLOC_COUNT]);
	o->alloc_bytes = knmt_nla_u64(tb[KNMT_A_OFFHEAP_ALLOC_BYTES]);
	o->freed_count = knmt_nla_u64(tb[KNMT_A_OFFHEAP_FREED_COUNT]);
	o->freed_bytes = knmt_nla_u64(tb[KNMT_A_OFFHEAP_FREED_BYTES]);

	if (!tb[KNMT_A_OFFHEAP_LIFETIME])
		return 0;
	return counters_decode(tb[KNMT_A_OFFHEAP_LIFETIME], &lifetime_set,
			       "KNMT_A_OFFHEAP_LIFETIME", o->lifetime, NULL,
			       &o->lifetime_present, why, whylen);
}

static int socks_decode(struct nlattr *nest, struct knmt_socks_info *k,
			char *why, size_t whylen)
{
	struct nlattr *tb[KNMT_A_SOCKS_MAX + 1];
	char inner[KNMT_DETAIL_MAX - 32];
	uint32_t bits = 0;
	int ret;

	if (knmt_attrs_parse(&socks_set, tb, nla_data(nest), nla_len(nest),
			     inner, sizeof(inner))) {
		snprintf(why, whylen, "KNMT_A_PROC_SOCKETS: %s", inner);
		return -KNMT_E_PROTO;
	}
	k->present = knmt_present_bits(tb, KNMT_A_SOCKS_MAX);
	k->open = knmt_nla_u32(tb[KNMT_A_SOCKS_OPEN]);
	k->close_wait_age_ns = knmt_nla_u64(tb[KNMT_A_SOCKS_CLOSE_WAIT_AGE_NS]);
	k->oldest_age_ns = knmt_nla_u64(tb[KNMT_A_SOCKS_OLDEST_AGE_NS]);
	k->rx_queued = knmt_nla_u64(tb[KNMT_A_SOCKS_RX_QUEUED]);
	k->tx_queued = knmt_nla_u64(tb[KNMT_A_SOCKS_TX_QUEUED]);
	k->mem = knmt_nla_u64(tb[KNMT_A_SOCKS_MEM]);
	k->opened = knmt_nla_u64(tb[KNMT_A_SOCKS_OPENED]);
	k->accepted = knmt_nla_u64(tb[KNMT_A_SOCKS_ACCEPTED]);
	k->closed = knmt_nla_u64(tb[KNMT_A_SOCKS_CLOSED]);
	k->orphans = knmt_nla_u32(tb[KNMT_A_SOCKS_ORPHANS]);
	k->destroyed = knmt_nla_u64(tb[KNMT_A_SOCKS_DESTROYED]);
	k->untracked = knmt_nla_u64(tb[KNMT_A_SOCKS_UNTRACKED]);
	k->open_rate = knmt_nla_u32(tb[KNMT_A_SOCKS_OPEN_RATE]);
	k->close_rate = knmt_nla_u32(tb[KNMT_A_SOCKS_CLOSE_RATE]);

	if (tb[KNMT_A_SOCKS_FAMILY]) {
		ret = counters_decode(tb[KNMT_A_SOCKS_FAMILY], &socks_family_set,
				      "KNMT_A_SOCKS_FAMILY", NULL, k->by_family,
				      &k->family_present, why, whylen);
		if (ret < 0)
			return ret;
	}
	if (tb[KNMT_A_SOCKS_TCP_STATE]) {
		/* state s is entry s - 1 of the nest: slot s of tcp_state */
		ret = counters_decode(tb[KNMT_A_SOCKS_TCP_STATE], &socks_state_set,
				      "KNMT_A_SOCKS_TCP_STATE", NULL,
				      k->tcp_state + 1, &bits, why, whylen);
		if (ret < 0)
			return ret;
		k->tcp_state_present = bits << 1;
	}
	if (tb[KNMT_A_SOCKS_LIFETIME]) {
		ret = counters_decode(tb[KNMT_A_SOCKS_LIFETIME], &socks_lifetime_set,
				      "KNMT_A_SOCKS_LIFETIME", k->lifetime, NULL,
				      &k->lifetime_present, why, whylen);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int knmt_proc_decode(const struct nlmsghdr *nlh, struct knmt_proc_info *p,
		     char *why, size_t whylen)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	int ret;

	memset(p, 0, sizeof(*p));
	ret = knmt_genl_check(nlh, why, whylen);
	if (ret < 0)
		return ret;
	return knmt_proc_decode_attrs(genlmsg_attrdata(g, 0),
				      genlmsg_attrlen(g, 0), p, why, whylen);
}

int knmt_proc_decode_attrs(struct nlattr *head, int len,
			   struct knmt_proc_info *p, char *why, size_t whylen)
{
	struct nlattr *tb[KNMT_A_PROC_MAX + 1];
	struct nlattr *nla;
	size_t ncat = 0;
	int rem;
	int ret;

	memset(p, 0, sizeof(*p));
	if (knmt_attrs_parse(&proc_set, tb, head, len, why, whylen))
		return -KNMT_E_PROTO;

	p->present = knmt_present_bits(tb, KNMT_A_PROC_MAX);
	p->pid = knmt_nla_u32(tb[KNMT_A_PROC_PID]);
	if (tb[KNMT_A_PROC_COMM])
		snprintf(p->comm, sizeof(p->comm), "%s",
			 (const char *)nla_data(tb[KNMT_A_PROC_COMM]));
	p->flags = knmt_nla_u32(tb[KNMT_A_PROC_FLAGS]);
	p->start_ns = knmt_nla_u64(tb[KNMT_A_PROC_START_NS]);
	p->rss_anon = knmt_nla_u64(tb[KNMT_A_PROC_RSS_ANON]);
	p->rss_file = knmt_nla_u64(tb[KNMT_A_PROC_RSS_FILE]);
	p->rss_shmem = knmt_nla_u64(tb[KNMT_A_PROC_RSS_SHMEM]);
	p->rss_swap = knmt_nla_u64(tb[KNMT_A_PROC_RSS_SWAP]);
	p->peak_rss = knmt_nla_u64(tb[KNMT_A_PROC_PEAK_RSS]);
	p->threads = knmt_nla_u32(tb[KNMT_A_PROC_THREADS]);
	p->pagetables = knmt_nla_u64(tb[KNMT_A_PROC_PAGETABLES]);
	p->kstacks = knmt_nla_u64(tb[KNMT_A_PROC_KSTACKS]);
	p->unaccounted = knmt_nla_s64(tb[KNMT_A_PROC_UNACCOUNTED]);
	p->sampled_ns = knmt_nla_u64(tb[KNMT_A_PROC_SAMPLED_NS]);
	p->exit_ns = knmt_nla_u64(tb[KNMT_A_PROC_EXIT_NS]);
	p->exit_code = knmt_nla_u32(tb[KNMT_A_PROC_EXIT_CODE]);

	if (tb[KNMT_A_PROC_OFFHEAP]) {
		ret = offheap_decode(tb[KNMT_A_PROC_OFFHEAP], &p->offheap,
				     why, whylen);
		if (ret < 0)
			goto fail;
	}
	if (tb[KNMT_A_PROC_SOCKETS]) {
		ret = socks_decode(tb[KNMT_A_PROC_SOCKETS], &p->sockets,
				   why, whylen);
		if (ret < 0)
			goto fail;
	}
	/* KNMT_A_PROC_CATEGORY repeats: tb[] kept only the last one. */
	nla_for_each_attr(nla, head, len, rem) {
		if (nla_type(nla) != KNMT_A_PROC_CATEGORY)
			continue;
		ret = cat_decode(nla, p, ncat++, why, whylen);
		if (ret < 0)
			goto fail;
	}
	return 0;
fail:
	memset(p, 0, sizeof(*p));
	return ret;
}

/* ---- what the per-process dumps share ---------------------------------- */

int knmt_pid_fill(struct nl_msg *msg, void *arg)
{
	const uint32_t *pid = arg;

	return nla_put_u32(msg, KNMT_A_PROC_PID, *pid) < 0 ? -KNMT_E_NOMEM : 0;
}

int knmt_dump_run(struct knmt *h, uint8_t cmd, const uint32_t *pid,
		  knmt_msg_fn fn, void *arg)
{
	return knmt_request(h, cmd, KNMT_REQ_DUMP, pid ? knmt_pid_fill : NULL,
			    (void *)pid, fn, arg);
}

int knmt_caller_stop(struct knmt *h, int ret)
{
	if (ret >= 0)
		return 0;
	if (ret <= -__KNMT_E_COUNT)
		ret = -KNMT_E_INVAL;
	if (h->err == KNMT_OK)
		knmt_fail(h, -ret, "the caller's function stopped the dump");
	return ret;
}

/* ---- GET_PROC ---------------------------------------------------------- */

struct proc_req {
	struct knmt *h;
	struct knmt_proc_info *p;
	bool got;
};

static int get_proc_reply(const struct nlmsghdr *nlh, void *arg)
{
	struct proc_req *r = arg;
	char why[KNMT_DETAIL_MAX];
	int ret;

	if (r->got)
		return knmt_fail(r->h, KNMT_E_PROTO,
				 "more than one reply to GET_PROC");
	ret = knmt_proc_decode(nlh, r->p, why, sizeof(why));
	if (ret < 0)
		return knmt_fail(r->h, -ret, "GET_PROC reply: %s", why);
	r->got = true;
	return 0;
}

int knmt_get_proc(struct knmt *h, uint32_t pid, struct knmt_proc_info *out)
{
	struct proc_req r = { .h = h, .p = out };
	int ret;

	if (!out)
		return -KNMT_E_INVAL;
	memset(out, 0, sizeof(*out));
	ret = knmt_request(h, KNMT_CMD_GET_PROC, 0, knmt_pid_fill, &pid,
			   get_proc_reply, &r);
	if (ret == 0 && !r.got)
		ret = knmt_fail(h, KNMT_E_PROTO,
				"GET_PROC was acknowledged without a reply");
	if (ret < 0)
		memset(out, 0, sizeof(*out));
	return ret;
}

/* ---- DUMP_PROCS, DUMP_EXITS -------------------------------------------- */

struct proc_dump {
	struct knmt *h;
	const char *what;	/* "DUMP_PROCS" */
	knmt_proc_fn fn;
	void *arg;
};

static int proc_dump_msg(const struct nlmsghdr *nlh, void *arg)
{
	struct proc_dump *d = arg;
	struct knmt_proc_info p;
	char why[KNMT_DETAIL_MAX];
	int ret;

	ret = knmt_proc_decode(nlh, &p, why, sizeof(why));
	if (ret < 0)
		return knmt_fail(d->h, -ret, "%s reply: %s", d->what, why);
	return knmt_caller_stop(d->h, d->fn(&p, d->arg));
}

static int proc_dump(struct knmt *h, uint8_t cmd, const char *what,
		     knmt_proc_fn fn, void *arg)
{
	struct proc_dump d = { .h = h, .what = what, .fn = fn, .arg = arg };

	if (!h || !fn)
		return -KNMT_E_INVAL;
	return knmt_dump_run(h, cmd, NULL, proc_dump_msg, &d);
}

int knmt_dump_procs(struct knmt *h, knmt_proc_fn fn, void *arg)
{
	return proc_dump(h, KNMT_CMD_DUMP_PROCS, "DUMP_PROCS", fn, arg);
}

int knmt_dump_exits(struct knmt *h, knmt_proc_fn fn, void *arg)
{
	return proc_dump(h, KNMT_CMD_DUMP_EXITS, "DUMP_EXITS", fn, arg);
}

/* The arrays (collect.c). */
static int proc_vec_add(const struct knmt_proc_info *p, void *arg)
{
	return knmt_vec_push(arg, p) ? 0 : -KNMT_E_NOMEM;
}

static int proc_dump_array(struct knmt *h, uint8_t cmd, const char *what,
			   struct knmt_proc_info **out, size_t *n)
{
	struct knmt_vec vec = { .size = sizeof(struct knmt_proc_info),
				.first_cap = 64, .what = "processes" };
	struct proc_dump d = { .h = h, .what = what, .fn = proc_vec_add,
			       .arg = &vec };
	int ret;

	if (!out || !n)
		return -KNMT_E_INVAL;
	ret = knmt_collect(h, &vec, cmd, NULL, proc_dump_msg, &d);
	*out = vec.v;
	*n = vec.n;
	return ret;
}

int knmt_dump_procs_array(struct knmt *h, struct knmt_proc_info **out,
			  size_t *n)
{
	return proc_dump_array(h, KNMT_CMD_DUMP_PROCS, "DUMP_PROCS", out, n);
}

int knmt_dump_exits_array(struct knmt *h, struct knmt_proc_info **out,
			  size_t *n)
{
	return proc_dump_array(h, KNMT_CMD_DUMP_EXITS, "DUMP_EXITS", out, n);
}
