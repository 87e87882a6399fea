// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libknmt: KNMT_CMD_DUMP_SOCKETS, one message per open socket with its
 * owner, its attributes at the top level; and the names of socket
 * families and TCP states.
 */
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "internal.h"

#define A(attr, t, req) [attr] = { #attr, t, req }

static const struct knmt_attr_desc sock_desc[KNMT_A_SOCK_MAX + 1] = {
	A(KNMT_A_SOCK_PAD,	   NLA_UNSPEC, false),
	A(KNMT_A_SOCK_PID,	   NLA_U32,    true),
	A(KNMT_A_SOCK_COMM,	   NLA_STRING, false),
	A(KNMT_A_SOCK_INODE,	   NLA_U64,    false),
	A(KNMT_A_SOCK_FAMILY,	   NLA_U16,    false),
	A(KNMT_A_SOCK_TYPE,	   NLA_U16,    false),
	A(KNMT_A_SOCK_PROTOCOL,	   NLA_U16,    false),
	A(KNMT_A_SOCK_STATE,	   NLA_U8,     false),
	A(KNMT_A_SOCK_FLAGS,	   NLA_U32,    false),
	A(KNMT_A_SOCK_AGE_NS,	   NLA_U64,    false),
	A(KNMT_A_SOCK_STATE_AGE_NS, NLA_U64,   false),
	A(KNMT_A_SOCK_RECV_Q,	   NLA_U32,    false),
	A(KNMT_A_SOCK_SEND_Q,	   NLA_U32,    false),
	A(KNMT_A_SOCK_RMEM_ALLOC,  NLA_U32,    false),
	A(KNMT_A_SOCK_RCVBUF,	   NLA_U32,    false),
	A(KNMT_A_SOCK_WMEM_ALLOC,  NLA_U32,    false),
	A(KNMT_A_SOCK_SNDBUF,	   NLA_U32,    false),
	A(KNMT_A_SOCK_FWD_ALLOC,   NLA_U32,    false),
	A(KNMT_A_SOCK_WMEM_QUEUED, NLA_U32,    false),
	A(KNMT_A_SOCK_RX_BYTES,	   NLA_U32,    false),
	A(KNMT_A_SOCK_TX_BYTES,	   NLA_U32,    false),
	A(KNMT_A_SOCK_MEM,	   NLA_U32,    false),
	/* binary: 4 or 16 bytes, checked by the decoder */
	A(KNMT_A_SOCK_LOCAL_ADDR,  NLA_UNSPEC, false),
	A(KNMT_A_SOCK_LOCAL_PORT,  NLA_U16,    false),
	A(KNMT_A_SOCK_REMOTE_ADDR, NLA_UNSPEC, false),
	A(KNMT_A_SOCK_REMOTE_PORT, NLA_U16,    false),
};

#undef A

_Static_assert(KNMT_A_SOCK_MAX < 64, "present bitmask holds 64 attributes");

static const struct knmt_attr_set sock_set = {
	.name = "socket", .maxtype = KNMT_A_SOCK_MAX, .desc = sock_desc,
};

/* ---- names ----------------------------------------------------------- */

const char *knmt_sock_family_name(unsigned int fam)
{
	switch (fam) {
	case KNMT_SOCK_FAM_INET:	return "inet";
	case KNMT_SOCK_FAM_INET6:	return "inet6";
	case KNMT_SOCK_FAM_UNIX:	return "unix";
	case KNMT_SOCK_FAM_OTHER:	return "other";
	}
	return NULL;
}

/* By the kernel's numbers (include/net/tcp_states.h). */
static const char *const tcp_state_names[KNMT_TCP_STATES + 1] = {
	[1]  = "established",
	[2]  = "syn_sent",
	[3]  = "syn_recv",
	[4]  = "fin_wait_1",
	[5]  = "fin_wait_2",
	[6]  = "time_wait",
	[7]  = "closed",
	[8]  = "close_wait",
	[9]  = "last_ack",
	[10] = "listen",
	[11] = "closing",
	[12] = "new_syn_recv",
};

const char *knmt_tcp_state_name(unsigned int state)
{
	return state <= KNMT_TCP_STATES ? tcp_state_names[state] : NULL;
}

/* ---- decoding -------------------------------------------------------- */

/* An address attribute: 4 or 16 bytes into addr, its length into *len. */
static int addr_decode(const struct nlattr *nla, const char *name,
		       uint8_t *addr, uint8_t *len, char *why, size_t whylen)
{
	int n;

	if (!nla)
		return 0;
	n = nla_len(nla);
	if (n != 4 && n != 16) {
		snprintf(why, whylen,
			 "socket attribute %s has %d bytes, expected 4 or 16",
			 name, n);
		return -KNMT_E_PROTO;
	}
	memcpy(addr, nla_data(nla), (size_t)n);
	*len = (uint8_t)n;
	return 0;
}

static uint16_t nla_u16_or_0(const struct nlattr *nla)
{
	return nla ? nla_get_u16((struct nlattr *)nla) : 0;
}

int knmt_socket_decode(const struct nlmsghdr *nlh, struct knmt_socket *s,
		       char *why, size_t whylen)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	struct nlattr *tb[KNMT_A_SOCK_MAX + 1];
	int ret;

	memset(s, 0, sizeof(*s));
	ret = knmt_genl_check(nlh, why, whylen);
	if (ret < 0)
		return ret;
	if (knmt_attrs_parse(&sock_set, tb, genlmsg_attrdata(g, 0),
			     genlmsg_attrlen(g, 0), why, whylen))
		return -KNMT_E_PROTO;

	s->present = knmt_present_bits(tb, KNMT_A_SOCK_MAX);
	s->pid = knmt_nla_u32(tb[KNMT_A_SOCK_PID]);
	/* validated NUL-terminated; a longer name than the buffer is cut */
	if (tb[KNMT_A_SOCK_COMM])
		snprintf(s->comm, sizeof(s->comm), "%s",
			 (const char *)nla_data(tb[KNMT_A_SOCK_COMM]));
	s->inode = knmt_nla_u64(tb[KNMT_A_SOCK_INODE]);
	s->family = nla_u16_or_0(tb[KNMT_A_SOCK_FAMILY]);
	s->type = nla_u16_or_0(tb[KNMT_A_SOCK_TYPE]);
	s->protocol = nla_u16_or_0(tb[KNMT_A_SOCK_PROTOCOL]);
	s->state = knmt_nla_u8(tb[KNMT_A_SOCK_STATE]);
	s->flags = knmt_nla_u32(tb[KNMT_A_SOCK_FLAGS]);
	s->age_ns = knmt_nla_u64(tb[KNMT_A_SOCK_AGE_NS]);
	s->state_age_ns = knmt_nla_u64(tb[KNMT_A_SOCK_STATE_AGE_NS]);
	s->recv_q = knmt_nla_u32(tb[KNMT_A_SOCK_RECV_Q]);
	s->send_q = knmt_nla_u32(tb[KNMT_A_SOCK_SEND_Q]);
	s->rmem_alloc = knmt_nla_u32(tb[KNMT_A_SOCK_RMEM_ALLOC]);
	s->rcvbuf = knmt_nla_u32(tb[KNMT_A_SOCK_RCVBUF]);
	s->wmem_alloc = knmt_nla_u32(tb[KNMT_A_SOCK_WMEM_ALLOC]);
	s->sndbuf = knmt_nla_u32(tb[KNMT_A_SOCK_SNDBUF]);
	s->fwd_alloc = knmt_nla_u32(tb[KNMT_A_SOCK_FWD_ALLOC]);
	s->wmem_queued = knmt_nla_u32(tb[KNMT_A_SOCK_WMEM_QUEUED]);
	s->rx_bytes = knmt_nla_u32(tb[KNMT_A_SOCK_RX_BYTES]);
	s->tx_bytes = knmt_nla_u32(tb[KNMT_A_SOCK_TX_BYTES]);
	s->mem = knmt_nla_u32(tb[KNMT_A_SOCK_MEM]);
	s->local_port = nla_u16_or_0(tb[KNMT_A_SOCK_LOCAL_PORT]);
	s->remote_port = nla_u16_or_0(tb[KNMT_A_SOCK_REMOTE_PORT]);
	ret = addr_decode(tb[KNMT_A_SOCK_LOCAL_ADDR], "KNMT_A_SOCK_LOCAL_ADDR",
			  s->local_addr, &s->local_addr_len, why, whylen);
	if (!ret)
		ret = addr_decode(tb[KNMT_A_SOCK_REMOTE_ADDR],
				  "KNMT_A_SOCK_REMOTE_ADDR", s->remote_addr,
				  &s->remote_addr_len, why, whylen);
	if (ret < 0)
		memset(s, 0, sizeof(*s));
	return ret;
}

/* ---- DUMP_SOCKETS ------------------------------------------------------ */

struct socket_dump {
	struct knmt *h;
	knmt_socket_fn fn;
	void *arg;
};

static int socket_msg(const struct nlmsghdr *nlh, void *arg)
{
	struct socket_dump *d = arg;
	struct knmt_socket s;
	char why[KNMT_DETAIL_MAX];
	int ret;

	ret = knmt_socket_decode(nlh, &s, why, sizeof(why));
	if (ret < 0)
		return knmt_fail(d->h, -ret, "DUMP_SOCKETS reply: %s", why);
	return knmt_caller_stop(d->h, d->fn(&s, d->arg));
}

int knmt_dump_sockets(struct knmt *h, uint32_t pid, knmt_socket_fn fn,
		      void *arg)
{
	struct socket_dump d = { .h = h, .fn = fn, .arg = arg };

	if (!h || !fn)
		return -KNMT_E_INVAL;
	/* pid 0: every process, the request carries no pid */
	return knmt_dump_run(h, KNMT_CMD_DUMP_SOCKETS, pid ? &pid : NULL,
			     socket_msg, &d);
}

static int socket_vec_add(const struct knmt_socket *s, void *arg)
{
	return knmt_vec_push(arg, s) ? 0 : -KNMT_E_NOMEM;
}

int knmt_dump_sockets_array(struct knmt *h, uint32_t pid,
			    struct knmt_socket **out, size_t *n)
{
	struct knmt_vec vec = { .size = sizeof(struct knmt_socket),
				.first_cap = 256, .what = "sockets" };
	struct socket_dump d = { .h = h, .fn = socket_vec_add, .arg = &vec };
	int ret;

	if (!out || !n)
		return -KNMT_E_INVAL;
	ret = knmt_collect(h, &vec, KNMT_CMD_DUMP_SOCKETS, pid ? &pid : NULL,
			   socket_msg, &d);
	*out = vec.v;
	*n = vec.n;
	return ret;
}
