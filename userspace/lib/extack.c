// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libknmt: decoding of the kernel's answers that are not replies:
 * NLMSG_ERROR (errors and ACKs) and NLMSG_DONE, with their extended ACK
 * TLVs (NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS).
 */
#include <string.h>

#include <linux/netlink.h>

#include "internal.h"

static void parse_tlvs(const struct nlmsghdr *nlh, size_t len, size_t off,
		       struct knmt_nlerr *out)
{
	const struct nlattr *nla;
	size_t rem;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off >= len)
		return;

	nla = (const struct nlattr *)((const char *)nlh + off);
	rem = len - off;
	/* Walked by hand rather than with nla_parse(): a malformed message
	 * attribute must not hide a valid offset, nor the reverse. */
	while (rem >= sizeof(*nla) && nla->nla_len >= sizeof(*nla) &&
	       nla->nla_len <= rem) {
		const char *data = (const char *)nla + NLA_HDRLEN;
		size_t dlen = nla->nla_len - NLA_HDRLEN;
		size_t step = NLA_ALIGN(nla->nla_len);

		switch (nla->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG: {
			size_t n = strnlen(data, dlen);

			if (n >= sizeof(out->msg))
				n = sizeof(out->msg) - 1;
			memcpy(out->msg, data, n);
			out->msg[n] = '\0';
			/* the kernel ends its messages without a newline,
			 * but be tolerant of one */
			while (n && (out->msg[n - 1] == '\n'))
				out->msg[--n] = '\0';
			break;
		}
		case NLMSGERR_ATTR_OFFS:
			if (dlen == sizeof(uint32_t)) {
				uint32_t v;

				memcpy(&v, data, sizeof(v));
				out->offset = (long)v;
			}
			break;
		default:
			break;
		}
		if (step >= rem)
			break;
		rem -= step;
		nla = (const struct nlattr *)((const char *)nla + step);
	}
}

static void nlerr_init(struct knmt_nlerr *out)
{
	out->error = 0;
	out->offset = -1;
	out->msg[0] = '\0';
}

int knmt_nlerr_parse(const struct nlmsghdr *nlh, size_t len,
		     struct knmt_nlerr *out)
{
	const struct nlmsgerr *e;
	size_t off;

	nlerr_init(out);
	if (len < NLMSG_HDRLEN)
		return -1;
	if (nlh->nlmsg_len < len)
		len = nlh->nlmsg_len;
	if (len < NLMSG_HDRLEN + sizeof(*e))
		return -1;

	e = NLMSG_DATA(nlh);
	out->error = e->error < 0 ? -e->error : e->error;

	/* The TLVs follow the echoed request: its header only when the
	 * kernel capped it (always for an ACK), the whole of it otherwise. */
	off = NLMSG_HDRLEN + sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < NLMSG_HDRLEN)
			return 0;
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	}
	parse_tlvs(nlh, len, NLMSG_ALIGN(off), out);
	return 0;
}

int knmt_nldone_parse(const struct nlmsghdr *nlh, size_t len,
		      struct knmt_nlerr *out)
{
	int err;

	nlerr_init(out);
	if (len < NLMSG_HDRLEN)
		return -1;
	if (nlh->nlmsg_len < len)
		len = nlh->nlmsg_len;
	/* Old kernels may end a dump with an empty DONE. */
	if (len < NLMSG_HDRLEN + sizeof(int))
		return 0;

	memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
	out->error = err < 0 ? -err : err;
	parse_tlvs(nlh, len, NLMSG_ALIGN(NLMSG_HDRLEN + sizeof(int)), out);
	return 0;
}
