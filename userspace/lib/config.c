// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libknmt: KNMT_CMD_GET_CONFIG / KNMT_CMD_SET_CONFIG.
 */
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "internal.h"

#define A(attr, t, req) [attr] = { #attr, t, req }

static const struct knmt_attr_desc config_desc[KNMT_A_CONFIG_MAX + 1] = {
	A(KNMT_A_CONFIG_PAD,		   NLA_UNSPEC, false),
	A(KNMT_A_CONFIG_OFFHEAP_MIN_BYTES, NLA_U64,    false),
	A(KNMT_A_CONFIG_PROCS_MAX,	   NLA_U32,    false),
	A(KNMT_A_CONFIG_REGIONS_MAX,	   NLA_U32,    false),
	A(KNMT_A_CONFIG_EXITS_MAX,	   NLA_U32,    false),
	A(KNMT_A_CONFIG_SAMPLE_MS,	   NLA_U32,    false),
	A(KNMT_A_CONFIG_FILTER_PID,	   NLA_U32,    false),
	A(KNMT_A_CONFIG_FILTER_COMM,	   NLA_STRING, false),
	A(KNMT_A_CONFIG_FILTER_CGROUP,	   NLA_U64,    false),
	A(KNMT_A_CONFIG_SOCKETS_MAX,	   NLA_U32,    false),
	A(KNMT_A_CONFIG_EVENTS_RING,	   NLA_U32,    false),
	A(KNMT_A_CONFIG_EVENTS_FAULT_MS,   NLA_U32,    false),
};

#undef A

static const struct knmt_attr_set config_set = {
	.name = "config", .maxtype = KNMT_A_CONFIG_MAX, .desc = config_desc,
};

_Static_assert(KNMT_A_CONFIG_MAX < 64, "present bitmask holds 64 attributes");

int knmt_config_decode(const struct nlmsghdr *nlh, struct knmt_config *cfg,
		       char *why, size_t whylen)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	struct nlattr *tb[KNMT_A_CONFIG_MAX + 1];
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	ret = knmt_genl_check(nlh, why, whylen);
	if (ret < 0)
		return ret;
	if (knmt_attrs_parse(&config_set, tb, genlmsg_attrdata(g, 0),
			     genlmsg_attrlen(g, 0), why, whylen))
		return -KNMT_E_PROTO;

	cfg->present = knmt_present_bits(tb, KNMT_A_CONFIG_MAX);
	if (tb[KNMT_A_CONFIG_OFFHEAP_MIN_BYTES])
		cfg->offheap_min_bytes =
			nla_get_u64(tb[KNMT_A_CONFIG_OFFHEAP_MIN_BYTES]);
	if (tb[KNMT_A_CONFIG_PROCS_MAX])
		cfg->procs_max = nla_get_u32(tb[KNMT_A_CONFIG_PROCS_MAX]);
	cfg->regions_max = knmt_nla_u32(tb[KNMT_A_CONFIG_REGIONS_MAX]);
	cfg->exits_max = knmt_nla_u32(tb[KNMT_A_CONFIG_EXITS_MAX]);
	cfg->sample_ms = knmt_nla_u32(tb[KNMT_A_CONFIG_SAMPLE_MS]);
	cfg->filter_pid = knmt_nla_u32(tb[KNMT_A_CONFIG_FILTER_PID]);
	/* validated NUL-terminated; a longer name than the buffer is cut */
	if (tb[KNMT_A_CONFIG_FILTER_COMM])
		snprintf(cfg->filter_comm, sizeof(cfg->filter_comm), "%s",
			 (const char *)nla_data(tb[KNMT_A_CONFIG_FILTER_COMM]));
	cfg->filter_cgroup = knmt_nla_u64(tb[KNMT_A_CONFIG_FILTER_CGROUP]);
	cfg->sockets_max = knmt_nla_u32(tb[KNMT_A_CONFIG_SOCKETS_MAX]);
	cfg->events_ring = knmt_nla_u32(tb[KNMT_A_CONFIG_EVENTS_RING]);
	cfg->events_fault_ms = knmt_nla_u32(tb[KNMT_A_CONFIG_EVENTS_FAULT_MS]);
	return 0;
}

struct config_req {
	struct knmt *h;
	struct knmt_config *cfg;
	bool got;
};

static int config_reply(const struct nlmsghdr *nlh, void *arg)
{
	struct config_req *r = arg;
	char why[KNMT_DETAIL_MAX];
	int ret;

	if (r->got)
		return knmt_fail(r->h, KNMT_E_PROTO,
				 "more than one reply to GET_CONFIG");
	ret = knmt_config_decode(nlh, r->cfg, why, sizeof(why));
	if (ret < 0)
		return knmt_fail(r->h, -ret, "GET_CONFIG reply: %s", why);
	r->got = true;
	return 0;
}

int knmt_get_config(struct knmt *h, struct knmt_config *out)
{
	struct config_req r = { .h = h, .cfg = out };
	int ret;

	memset(out, 0, sizeof(*out));
	ret = knmt_request(h, KNMT_CMD_GET_CONFIG, 0, NULL, NULL,
			   config_reply, &r);
	if (ret == 0 && !r.got)
		ret = knmt_fail(h, KNMT_E_PROTO,
				"GET_CONFIG was acknowledged without a reply");
	if (ret < 0)
		memset(out, 0, sizeof(*out));
	return ret;
}

int knmt_config_fill(struct nl_msg *msg, void *arg)
{
	const struct knmt_config *cfg = arg;
	const uint64_t known = KNMT_BIT(KNMT_A_CONFIG_OFFHEAP_MIN_BYTES) |
			       KNMT_BIT(KNMT_A_CONFIG_PROCS_MAX) |
			       KNMT_BIT(KNMT_A_CONFIG_REGIONS_MAX) |
			       KNMT_BIT(KNMT_A_CONFIG_EXITS_MAX) |
			       KNMT_BIT(KNMT_A_CONFIG_SAMPLE_MS) |
			       KNMT_BIT(KNMT_A_CONFIG_FILTER_PID) |
			       KNMT_BIT(KNMT_A_CONFIG_FILTER_COMM) |
			       KNMT_BIT(KNMT_A_CONFIG_FILTER_CGROUP) |
			       KNMT_BIT(KNMT_A_CONFIG_SOCKETS_MAX) |
			       KNMT_BIT(KNMT_A_CONFIG_EVENTS_RING) |
			       KNMT_BIT(KNMT_A_CONFIG_EVENTS_FAULT_MS);

	if (cfg->present & ~known)
		return -KNMT_E_INVAL;
	if (KNMT_HAS(cfg, KNMT_A_CONFIG_FILTER_COMM) &&
	    strnlen(cfg->filter_comm, sizeof(cfg->filter_comm)) ==
	    sizeof(cfg->filter_comm))
		return -KNMT_E_INVAL;	/* no NUL */
	if (KNMT_HAS(cfg, KNMT_A_CONFIG_OFFHEAP_MIN_BYTES) &&
	    nla_put_u64(msg, KNMT_A_CONFIG_OFFHEAP_MIN_BYTES,
			cfg->offheap_min_bytes) < 0)
		return -KNMT_E_NOMEM;
	/* Read-only: sent when asked, so that the kernel says so. */
	if (KNMT_HAS(cfg, KNMT_A_CONFIG_PROCS_MAX) &&
	    nla_put_u32(msg, KNMT_A_CONFIG_PROCS_MAX, cfg->procs_max) < 0)
		return -KNMT_E_NOMEM;
	if (KNMT_HAS(cfg, KNMT_A_CONFIG_REGIONS_MAX) &&
	    nla_put_u32(msg, KNMT_A_CONFIG_REGIONS_MAX, cfg->regions_max) < 0)
		return -KNMT_E_NOMEM;
	if (KNMT_HAS(cfg, KNMT_A_CONFIG_EXITS_MAX) &&
	    nla_put_u32(msg, KNMT_A_CONFIG_EXITS_MAX, cfg->exits_max) < 0)
		return -KNMT_E_NOMEM;
	if (KNMT_HAS(cfg, KNMT_A_CONFIG_SAMPLE_MS) &&
	    nla_put_u32(msg, KNMT_A_CONFIG_SAMPLE_MS, cfg->sample_ms) < 0)
		return -KNMT_E_NOMEM;
	if (KNMT_HAS(cfg, KNMT_A_CONFIG_SOCKETS_MAX) &&
	    nla_put_u32(msg, KNMT_A_CONFIG_SOCKETS_MAX, cfg->sockets_max) < 0)
		return -KNMT_E_NOMEM;
	if (KNMT_HAS(cfg, KNMT_A_CONFIG_EVENTS_RING) &&
	    nla_put_u32(msg, KNMT_A_CONFIG_EVENTS_RING, cfg->events_ring) < 0)
		return -KNMT_E_NOMEM;
	if (KNMT_HAS(cfg, KNMT_A_CONFIG_EVENTS_FAULT_MS) &&
	    nla_put_u32(msg, KNMT_A_CONFIG_EVENTS_FAULT_MS,
			cfg->events_fault_ms) < 0)
		return -KNMT_E_NOMEM;
	/* The filter: a criterion sent as 0 or "" is cleared. */
	if (KNMT_HAS(cfg, KNMT_A_CONFIG_FILTER_PID) &&
	    nla_put_u32(msg, KNMT_A_CONFIG_FILTER_PID, cfg->filter_pid) < 0)
		return -KNMT_E_NOMEM;
	if (KNMT_HAS(cfg, KNMT_A_CONFIG_FILTER_COMM) &&
	    nla_put_string(msg, KNMT_A_CONFIG_FILTER_COMM, cfg->filter_comm) < 0)
		return -KNMT_E_NOMEM;
	if (KNMT_HAS(cfg, KNMT_A_CONFIG_FILTER_CGROUP) &&
	    nla_put_u64(msg, KNMT_A_CONFIG_FILTER_CGROUP, cfg->filter_cgroup) < 0)
		return -KNMT_E_NOMEM;
	return 0;
}

int knmt_set_config(struct knmt *h, const struct knmt_config *cfg)
{
	if (!h)
		return -KNMT_E_INVAL;
	if (!cfg || !cfg->present) {
		knmt_clear_error(h);
		return knmt_fail(h, KNMT_E_INVAL, "no setting to change");
	}
	/* A reply, if the module sends one, carries nothing we need. */
	return knmt_request(h, KNMT_CMD_SET_CONFIG, 0, knmt_config_fill,
			    (void *)cfg, NULL, NULL);
}

void knmt_config_set_offheap_min_bytes(struct knmt_config *cfg, uint64_t v)
{
	cfg->offheap_min_bytes = v;
	cfg->present |= KNMT_BIT(KNMT_A_CONFIG_OFFHEAP_MIN_BYTES);
}

void knmt_config_set_events_fault_ms(struct knmt_config *cfg, uint32_t ms)
{
	cfg->events_fault_ms = ms;
	cfg->present |= KNMT_BIT(KNMT_A_CONFIG_EVENTS_FAULT_MS);
}

void knmt_config_set_filter_pid(struct knmt_config *cfg, uint32_t pid)
{
	cfg->filter_pid = pid;
	cfg->present |= KNMT_BIT(KNMT_A_CONFIG_FILTER_PID);
}

int knmt_config_set_filter_comm(struct knmt_config *cfg, const char *comm)
{
	size_t len;

	if (!comm)
		return -KNMT_E_INVAL;
	len = strlen(comm);
	if (len > KNMT_FILTER_COMM_MAX)
		return -KNMT_E_INVAL;
	memcpy(cfg->filter_comm, comm, len + 1);
	cfg->present |= KNMT_BIT(KNMT_A_CONFIG_FILTER_COMM);
	return 0;
}

void knmt_config_set_filter_cgroup(struct knmt_config *cfg, uint64_t id)
{
	cfg->filter_cgroup = id;
	cfg->present |= KNMT_BIT(KNMT_A_CONFIG_FILTER_CGROUP);
}

void knmt_config_clear_filter(struct knmt_config *cfg)
{
	knmt_config_set_filter_pid(cfg, 0);
	(void)knmt_config_set_filter_comm(cfg, "");
	knmt_config_set_filter_cgroup(cfg, 0);
}
