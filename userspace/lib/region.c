// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libknmt: KNMT_CMD_DUMP_REGIONS, one message per region of a process,
 * its attributes at the top level.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "internal.h"

#define A(attr, t, req) [attr] = { #attr, t, req }

static const struct knmt_attr_desc region_desc[KNMT_A_REGION_MAX + 1] = {
	A(KNMT_A_REGION_PAD,	  NLA_UNSPEC, false),
	A(KNMT_A_REGION_START,	  NLA_U64,    true),
	A(KNMT_A_REGION_END,	  NLA_U64,    true),
	A(KNMT_A_REGION_CATEGORY, NLA_U8,     false),
	A(KNMT_A_REGION_ORIGIN,	  NLA_U8,     false),
	A(KNMT_A_REGION_PROT,	  NLA_U32,    false),
	A(KNMT_A_REGION_RESIDENT, NLA_U64,    false),
	A(KNMT_A_REGION_FAULTS,	  NLA_U64,    false),
	A(KNMT_A_REGION_AGE_NS,	  NLA_U64,    false),
	A(KNMT_A_REGION_TID,	  NLA_U32,    false),
	A(KNMT_A_REGION_FILE,	  NLA_STRING, false),
	A(KNMT_A_REGION_PGOFF,	  NLA_U64,    false),
};

#undef A

_Static_assert(KNMT_A_REGION_MAX < 64, "present bitmask holds 64 attributes");

static const struct knmt_attr_set region_set = {
	.name = "region", .maxtype = KNMT_A_REGION_MAX, .desc = region_desc,
};

int knmt_region_decode(const struct nlmsghdr *nlh, struct knmt_region *r,
		       char *why, size_t whylen)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	struct nlattr *tb[KNMT_A_REGION_MAX + 1];
	int ret;

	memset(r, 0, sizeof(*r));
	ret = knmt_genl_check(nlh, why, whylen);
	if (ret < 0)
		return ret;
	if (knmt_attrs_parse(&region_set, tb, genlmsg_attrdata(g, 0),
			     genlmsg_attrlen(g, 0), why, whylen))
		return -KNMT_E_PROTO;

	r->present = knmt_present_bits(tb, KNMT_A_REGION_MAX);
	r->start = knmt_nla_u64(tb[KNMT_A_REGION_START]);
	r->end = knmt_nla_u64(tb[KNMT_A_REGION_END]);
	r->category = knmt_nla_u8(tb[KNMT_A_REGION_CATEGORY]);
	r->origin = knmt_nla_u8(tb[KNMT_A_REGION_ORIGIN]);
	r->prot = knmt_nla_u32(tb[KNMT_A_REGION_PROT]);
	r->resident = knmt_nla_u64(tb[KNMT_A_REGION_RESIDENT]);
	r->faults = knmt_nla_u64(tb[KNMT_A_REGION_FAULTS]);
	r->age_ns = knmt_nla_u64(tb[KNMT_A_REGION_AGE_NS]);
	r->tid = knmt_nla_u32(tb[KNMT_A_REGION_TID]);
	r->file = tb[KNMT_A_REGION_FILE] ? nla_data(tb[KNMT_A_REGION_FILE]) : NULL;
	r->pgoff = knmt_nla_u64(tb[KNMT_A_REGION_PGOFF]);
	if (r->end < r->start) {
		snprintf(why, whylen,
			 "region ends (0x%llx) before it starts (0x%llx)",
			 (unsigned long long)r->end,
			 (unsigned long long)r->start);
		memset(r, 0, sizeof(*r));
		return -KNMT_E_PROTO;
	}
	return 0;
}

struct region_dump {
	struct knmt *h;
	knmt_region_fn fn;
	void *arg;
};

static int region_msg(const struct nlmsghdr *nlh, void *arg)
{
	struct region_dump *d = arg;
	struct knmt_region r;
	char why[KNMT_DETAIL_MAX];
	int ret;

	ret = knmt_region_decode(nlh, &r, why, sizeof(why));
	if (ret < 0)
		return knmt_fail(d->h, -ret, "DUMP_REGIONS reply: %s", why);
	return knmt_caller_stop(d->h, d->fn(&r, d->arg));
}

int knmt_dump_regions(struct knmt *h, uint32_t pid, knmt_region_fn fn,
		      void *arg)
{
	struct region_dump d = { .h = h, .fn = fn, .arg = arg };

	if (!h || !fn)
		return -KNMT_E_INVAL;
	return knmt_dump_run(h, KNMT_CMD_DUMP_REGIONS, &pid, region_msg, &d);
}

void knmt_regions_free(struct knmt_region *regions, size_t n)
{
	size_t i;

	for (i = 0; regions && i < n; i++)
		free(regions[i].file);
	free(regions);
}

static void region_release(void *item)
{
	struct knmt_region *r = item;

	free(r->file);
}

static int region_vec_add(const struct knmt_region *r, void *arg)
{
	struct knmt_vec *vec = arg;
	struct knmt_region *dst = knmt_vec_push(vec, r);

	if (!dst)
		return -KNMT_E_NOMEM;
	if (r->file) {
		dst->file = strdup(r->file);
		if (!dst->file)
			return knmt_fail(vec->h, KNMT_E_NOMEM,
					 "copying the path of region %zu",
					 vec->n - 1);
	}
	return 0;
}

int knmt_dump_regions_array(struct knmt *h, uint32_t pid,
			    struct knmt_region **out, size_t *n)
{
	struct knmt_vec vec = { .size = sizeof(struct knmt_region),
				.first_cap = 256, .what = "regions",
				.release = region_release };
	struct region_dump d = { .h = h, .fn = region_vec_add, .arg = &vec };
	int ret;

	if (!out || !n)
		return -KNMT_E_INVAL;
	ret = knmt_collect(h, &vec, KNMT_CMD_DUMP_REGIONS, &pid, region_msg,
			   &d);
	*out = vec.v;
	*n = vec.n;
	return ret;
}

