// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libknmt: attribute validation shared by every decoder.
 *
 * Each attribute set is described once (struct knmt_attr_set); one pass
 * over the attributes checks each against it, names the one that is
 * wrong (which nla_parse() cannot tell) and fills the table.
 */
#include <stdio.h>
#include <string.h>

#include <linux/genetlink.h>
#include <netlink/attr.h>

#include "internal.h"

#define KNMT_MAX_ATTRS	64

static int fixed_len(int type)
{
	switch (type) {
	case NLA_U8:	return 1;
	case NLA_U16:	return 2;
	case NLA_U32:	return 4;
	case NLA_U64:	return 8;
	case NLA_S64:	return 8;
	default:	return -1;
	}
}

/* Attribute nla, of type t and payload len, against its description. */
static int check_one(const struct knmt_attr_set *set, const struct nlattr *nla,
		     int t, int len, char *why, size_t whylen)
{
	const struct knmt_attr_desc *d;
	int want;

	if (t <= 0 || t > set->maxtype || !set->desc[t].name)
		return 0;	/* newer attribute: ignored */
	d = &set->desc[t];
	want = fixed_len(d->type);
	if (want > 0 && len != want) {
		snprintf(why, whylen, "%s attribute %s (%d) has %d bytes, expected %d",
			 set->name, d->name, t, len, want);
		return -1;
	}
	if (d->type == NLA_FLAG && len != 0) {
		snprintf(why, whylen, "%s attribute %s (%d) is a flag with %d bytes",
			 set->name, d->name, t, len);
		return -1;
	}
	if (d->type == NLA_STRING) {
		const char *s = (const char *)nla + NLA_HDRLEN;

		if (len < 1 || s[len - 1] != '\0') {
			snprintf(why, whylen,
				 "%s attribute %s (%d) is not a NUL-terminated string",
				 set->name, d->name, t);
			return -1;
		}
	}
	return 0;
}

int knmt_attrs_parse(const struct knmt_attr_set *set, struct nlattr **tb,
		     struct nlattr *head, int len, char *why, size_t whylen)
{
	const char *pos = (const char *)head;
	int rem = len;
	int t;

	if (set->maxtype >= KNMT_MAX_ATTRS) {
		snprintf(why, whylen, "%s: attribute set too large", set->name);
		return -1;
	}
	if (len < 0) {
		snprintf(why, whylen, "%s: negative attribute length", set->name);
		return -1;
	}

	/*
	 * One pass: each attribute checked, then kept (the last of a type
	 * wins, as with nla_parse()); what check_one() checks is all a
	 * policy would, so nla_parse() would only walk them again.
	 */
	memset(tb, 0, sizeof(*tb) * (size_t)(set->maxtype + 1));
	/* nla_for_each_attr(), without a library call per attribute */
	while (rem >= (int)sizeof(struct nlattr)) {
		struct nlattr *nla = (struct nlattr *)pos;
		int alen = nla->nla_len;

		if (alen < (int)sizeof(*nla) || alen > rem)
			break;
		t = nla->nla_type & NLA_TYPE_MASK;
		if (check_one(set, nla, t, alen - NLA_HDRLEN, why, whylen))
			return -1;
		if (t > 0 && t <= set->maxtype)
			tb[t] = nla;
		pos += NLA_ALIGN(alen);
		rem -= NLA_ALIGN(alen);
	}
	/* rem < 0 only when the last attribute lacks its alignment padding,
	 * which is harmless; bytes left over are a cut attribute. */
	if (rem > 0) {
		snprintf(why, whylen,
			 "%s attributes: %d bytes left after the last complete attribute (truncated attribute)",
			 set->name, rem);
		return -1;
	}

	for (t = 1; t <= set->maxtype; t++) {
		if (set->desc[t].name && set->desc[t].required && !tb[t]) {
			snprintf(why, whylen, "%s attribute %s (%d) is missing",
				 set->name, set->desc[t].name, t);
			return -1;
		}
	}
	return 0;
}

int knmt_genl_check(const struct nlmsghdr *nlh, char *why, size_t whylen)
{
	const struct genlmsghdr *g;

	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN) {
		snprintf(why, whylen,
			 "reply of %u bytes is shorter than its headers",
			 nlh->nlmsg_len);
		return -KNMT_E_PROTO;
	}
	g = NLMSG_DATA(nlh);
	if (g->version != KNMT_GENL_VERSION) {
		snprintf(why, whylen,
			 "the module speaks protocol version %u, this library version %d",
			 g->version, KNMT_GENL_VERSION);
		return -KNMT_E_VERSION;
	}
	return 0;
}

uint64_t knmt_present_bits(struct nlattr *const *tb, int maxtype)
{
	uint64_t bits = 0;
	int t;

	for (t = 1; t <= maxtype && t < 64; t++)
		if (tb[t])
			bits |= KNMT_BIT(t);
	return bits;
}

char *knmt_attr_strdup(const struct nlattr *nla)
{
	return nla ? strdup(nla_data(nla)) : NULL;
}

uint64_t knmt_nla_u64(const struct nlattr *nla)
{
	return nla ? nla_get_u64((struct nlattr *)nla) : 0;
}

int64_t knmt_nla_s64(const struct nlattr *nla)
{
	return nla ? nla_get_s64((struct nlattr *)nla) : 0;
}

uint32_t knmt_nla_u32(const struct nlattr *nla)
{
	return nla ? nla_get_u32((struct nlattr *)nla) : 0;
}

uint8_t knmt_nla_u8(const struct nlattr *nla)
{
	return nla ? nla_get_u8((struct nlattr *)nla) : 0;
}
