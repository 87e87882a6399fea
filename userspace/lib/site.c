// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libknmt: KNMT_CMD_DUMP_FAULT_SITES, one message per fault site of a
 * process and one more, flagged KNMT_A_SITE_OTHER, with the faults of
 * the sites that were not kept.
 */
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "internal.h"

#define A(attr, t, req) [attr] = { #attr, t, req }

static const struct knmt_attr_desc site_desc[KNMT_A_SITE_MAX + 1] = {
	A(KNMT_A_SITE_PAD,	NLA_UNSPEC, false),
	A(KNMT_A_SITE_IP,	NLA_U64,    false),	/* required unless OTHER */
	A(KNMT_A_SITE_FAULTS,	NLA_U64,    false),
	A(KNMT_A_SITE_BYTES,	NLA_U64,    false),
	A(KNMT_A_SITE_CATEGORY,	NLA_U8,     false),
	A(KNMT_A_SITE_OTHER,	NLA_FLAG,   false),
};

#undef A

_Static_assert(KNMT_A_SITE_MAX < 64, "present bitmask holds 64 attributes");

static const struct knmt_attr_set site_set = {
	.name = "site", .maxtype = KNMT_A_SITE_MAX, .desc = site_desc,
};

int knmt_site_decode(const struct nlmsghdr *nlh, struct knmt_fault_site *s,
		     char *why, size_t whylen)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	struct nlattr *tb[KNMT_A_SITE_MAX + 1];
	int ret;

	memset(s, 0, sizeof(*s));
	ret = knmt_genl_check(nlh, why, whylen);
	if (ret < 0)
		return ret;
	if (knmt_attrs_parse(&site_set, tb, genlmsg_attrdata(g, 0),
			     genlmsg_attrlen(g, 0), why, whylen))
		return -KNMT_E_PROTO;
	if (!tb[KNMT_A_SITE_OTHER] && !tb[KNMT_A_SITE_IP]) {
		snprintf(why, whylen,
			 "site attribute KNMT_A_SITE_IP (%d) is missing "
			 "(and KNMT_A_SITE_OTHER is not set)", KNMT_A_SITE_IP);
		return -KNMT_E_PROTO;
	}
	s->present = knmt_present_bits(tb, KNMT_A_SITE_MAX);
	s->other = tb[KNMT_A_SITE_OTHER] != NULL;
	s->ip = knmt_nla_u64(tb[KNMT_A_SITE_IP]);
	s->faults = knmt_nla_u64(tb[KNMT_A_SITE_FAULTS]);
	s->bytes = knmt_nla_u64(tb[KNMT_A_SITE_BYTES]);
	s->category = knmt_nla_u8(tb[KNMT_A_SITE_CATEGORY]);
	return 0;
}

struct site_dump {
	struct knmt *h;
	knmt_site_fn fn;
	void *arg;
};

static int site_msg(const struct nlmsghdr *nlh, void *arg)
{
	struct site_dump *d = arg;
	struct knmt_fault_site s;
	char why[KNMT_DETAIL_MAX];
	int ret;

	ret = knmt_site_decode(nlh, &s, why, sizeof(why));
	if (ret < 0)
		return knmt_fail(d->h, -ret, "DUMP_FAULT_SITES reply: %s", why);
	return knmt_caller_stop(d->h, d->fn(&s, d->arg));
}

int knmt_dump_fault_sites(struct knmt *h, uint32_t pid, knmt_site_fn fn,
			  void *arg)
{
	struct site_dump d = { .h = h, .fn = fn, .arg = arg };

	if (!h || !fn)
		return -KNMT_E_INVAL;
	return knmt_dump_run(h, KNMT_CMD_DUMP_FAULT_SITES, &pid, site_msg, &d);
}

static int site_vec_add(const struct knmt_fault_site *s, void *arg)
{
	return knmt_vec_push(arg, s) ? 0 : -KNMT_E_NOMEM;
}

int knmt_dump_fault_sites_array(struct knmt *h, uint32_t pid,
				struct knmt_fault_site **out, size_t *n)
{
	struct knmt_vec vec = { .size = sizeof(struct knmt_fault_site),
				.first_cap = 64, .what = "fault sites" };
	struct site_dump d = { .h = h, .fn = site_vec_add, .arg = &vec };
	int ret;

	if (!out || !n)
		return -KNMT_E_INVAL;
	ret = knmt_collect(h, &vec, KNMT_CMD_DUMP_FAULT_SITES, &pid, site_msg,
			   &d);
	*out = vec.v;
	*n = vec.n;
	return ret;
}
