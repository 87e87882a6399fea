// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libknmt: subscription to the "events" multicast group, the decoding of
 * its batches (KNMT_CMD_EVENTS) and the accounting of what was lost.
 *
 * Events arrive on a socket of their own so that requests on the main
 * handle never see them.  Sequence numbers of multicast messages are 0:
 * no sequence check here; loss is told by the kernel (ENOBUFS), by the
 * events' own sequence numbers (gaps) and by the batches (LOST).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include "internal.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Large enough for a burst of events between two reads. */
#define KNMT_EVENTS_RCVBUF	(4 << 20)

struct knmt_events {
	struct knmt *h;
	struct nl_sock *sk;
	bool nonblock;		/* knmt_events_nonblock(ev, true) */
};

struct ev_read {
	struct knmt_events *ev;
	knmt_msg_fn fn;
	void *arg;
	int count;
	int err;
};

/*
 * Events carry the pids of the initial pid namespace, which name other
 * processes, or none, in a container's: the module says how deep the
 * caller's namespace is (an older module, or a failed request, says
 * nothing: not foreign).  Real kernels only; the unit tests' transport
 * has no namespaces.
 */
static bool pidns_foreign(struct knmt *h)
{
	struct knmt_status st;
	bool foreign;

	if (knmt_get_status(h, &st))
		return false;
	foreign = KNMT_HAS(&st, KNMT_A_STATUS_PIDNS_LEVEL) && st.pidns_level;
	knmt_status_free(&st);
	knmt_clear_error(h);
	return foreign;
}

int knmt_events_open(struct knmt *h, struct knmt_events **evp)
{
	struct knmt_events *ev;
	int one = 1;
	int ret;

	*evp = NULL;
	if (!h || h->family < 0)
		return -KNMT_E_INVAL;
	knmt_clear_error(h);
	if (!h->events_grp)
		return knmt_fail(h, KNMT_E_NO_GROUP,
				 "the module has no \"%s\" multicast group",
				 KNMT_GENL_MCGRP_EVENTS);
	if (!h->tr.join && pidns_foreign(h))
		return knmt_fail(h, KNMT_E_PIDNS,
				 "events carry the pids of the initial pid "
				 "namespace and are offered there only: "
				 "watch from the host, not from a container");

	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return knmt_fail(h, KNMT_E_NOMEM, "allocating the subscription");
	ev->h = h;
	ev->sk = nl_socket_alloc();
	if (!ev->sk) {
		free(ev);
		return knmt_fail(h, KNMT_E_NOMEM, "allocating the event socket");
	}
	nl_socket_disable_seq_check(ev->sk);
	nl_socket_disable_auto_ack(ev->sk);
	nl_socket_enable_msg_peek(ev->sk);
	ret = genl_connect(ev->sk);
	if (ret < 0) {
		knmt_events_close(ev);
		return knmt_fail(h, KNMT_E_SOCKET,
				 "cannot open the event socket: %s",
				 nl_geterror(ret));
	}
	(void)nl_socket_set_buffer_size(ev->sk, KNMT_EVENTS_RCVBUF, 0);
	/* The module counts the events of batches it could not deliver
	 * (KNMT_A_STATUS_EVENTS_UNDELIVERED) and tells their ring drops
	 * again in the next batch: netlink tells it only for listeners
	 * asking for it.  Kernels before 2.6.30 do not know the option. */
	(void)setsockopt(nl_socket_get_fd(ev->sk), SOL_NETLINK,
			 NETLINK_BROADCAST_ERROR, &one, sizeof(one));

	ret = h->tr.join ? h->tr.join(ev->sk, h->events_grp)
			 : nl_socket_add_membership(ev->sk, (int)h->events_grp);
	if (ret < 0) {
		knmt_events_close(ev);
		if (ret == -NLE_PERM || ret == -NLE_NOACCESS) {
			knmt_fail_kernel(h, ret == -NLE_PERM ? EPERM : EACCES,
					 "joining the events group needs CAP_SYS_ADMIN");
			return -KNMT_E_PERM;
		}
		return knmt_fail(h, KNMT_E_SOCKET,
				 "cannot join the events group: %s",
				 nl_geterror(ret));
	}
	/* The controller's notifications tell when the module goes: its
	 * group is GENL_ID_CTRL.  Only on a real kernel; a failure leaves
	 * the reader without that news, nothing else. */
	if (!h->tr.join)
		(void)nl_socket_add_membership(ev->sk, GENL_ID_CTRL);
	*evp = ev;
	return 0;
}

int knmt_events_fd(const struct knmt_events *ev)
{
	return nl_socket_get_fd(ev->sk);
}

int knmt_events_nonblock(struct knmt_events *ev, bool nonblock)
{
	int fd = nl_socket_get_fd(ev->sk);
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return knmt_fail(ev->h, KNMT_E_SOCKET, "fcntl: %s", strerror(errno));
	fl = nonblock ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
	if (fcntl(fd, F_SETFL, fl) < 0)
		return knmt_fail(ev->h, KNMT_E_SOCKET, "fcntl: %s", strerror(errno));
	ev->nonblock = nonblock;
	return 0;
}

/* A controller notification: is it our family going away (rmmod)? */
static bool ev_family_gone(const struct nlmsghdr *nlh, int family)
{
	const struct genlmsghdr *g;
	struct nlattr *nla;
	int rem;

	if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return false;
	g = NLMSG_DATA(nlh);
	if (g->cmd != CTRL_CMD_DELFAMILY)
		return false;
	nla_for_each_attr(nla, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0),
			  rem) {
		if (nla_type(nla) == CTRL_ATTR_FAMILY_ID &&
		    nla_len(nla) >= (int)sizeof(uint16_t) &&
		    nla_get_u16(nla) == family)
			return true;
	}
	return false;
}

static int ev_valid(struct nl_msg *msg, void *arg)
{
	struct ev_read *r = arg;
	struct knmt *h = r->ev->h;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	char why[KNMT_DETAIL_MAX];
	int ret;

	if (nlh->nlmsg_type == GENL_ID_CTRL && !r->err &&
	    ev_family_gone(nlh, h->family)) {
		r->err = knmt_fail(h, KNMT_E_NOT_LOADED,
				   "the knmt module was unloaded");
		return NL_SKIP;
	}
	if (nlh->nlmsg_type != h->family || r->err)
		return NL_SKIP;
	ret = knmt_genl_check(nlh, why, sizeof(why));
	if (ret < 0) {
		r->err = knmt_fail(h, -ret, "event: %s", why);
		return NL_SKIP;
	}
	r->count++;
	if (r->fn) {
		ret = r->fn(nlh, r->arg);
		if (ret < 0)
			r->err = ret;
	}
	return NL_OK;
}

int knmt_events_recv(struct knmt_events *ev, knmt_msg_fn fn, void *arg)
{
	struct ev_read r = { .ev = ev, .fn = fn, .arg = arg };
	struct nl_cb *cb;
	bool overrun;
	int ret;

	knmt_clear_error(ev->h);
	cb = nl_cb_alloc(NL_CB_CUSTOM);
	if (!cb)
		return knmt_fail(ev->h, KNMT_E_NOMEM, "allocating callbacks");
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, ev_valid, &r);
	if (ev->h->tr.recv)
		nl_cb_overwrite_recv(cb, ev->h->tr.recv);
	errno = 0;
	ret = nl_recvmsgs(ev->sk, cb);
	/* libnl turns the kernel's ENOBUFS (messages dropped for this
	 * socket) into NLE_NOMEM: errno tells them apart. */
	overrun = (ret == -NLE_NOMEM && errno == ENOBUFS) ||
		  ret == -NLE_MSG_OVERFLOW;
	nl_cb_put(cb);

	if (r.err)
		return r.err;
	if (overrun)
		return knmt_fail(ev->h, KNMT_E_OVERRUN,
				 "the kernel dropped events for this socket");
	if (ret == -NLE_NOMEM)
		return knmt_fail(ev->h, KNMT_E_NOMEM, "receiving events");
	if (ret == -NLE_AGAIN)
		return r.count;
	if (ret < 0)
		return knmt_fail(ev->h, KNMT_E_SOCKET, "receiving events: %s",
				 nl_geterror(ret));
	return r.count;
}

/* ---- decoding -------------------------------------------------------- */

#define A(attr, t, req) [attr] = { #attr, t, req }

static const struct knmt_attr_desc evbatch_desc[KNMT_A_EVBATCH_MAX + 1] = {
	A(KNMT_A_EVBATCH_PAD,	 NLA_UNSPEC, false),
	A(KNMT_A_EVBATCH_SEQ,	 NLA_U64,    true),
	A(KNMT_A_EVBATCH_COUNT,	 NLA_U32,    true),
	A(KNMT_A_EVBATCH_LOST,	 NLA_U64,    false),
	A(KNMT_A_EVBATCH_EVENT,	 NLA_NESTED, false),
};

static const struct knmt_attr_desc ev_desc[KNMT_A_EV_MAX + 1] = {
	A(KNMT_A_EV_PAD,	   NLA_UNSPEC, false),
	A(KNMT_A_EV_TYPE,	   NLA_U8,     true),
	A(KNMT_A_EV_TIME_NS,	   NLA_U64,    false),
	A(KNMT_A_EV_PID,	   NLA_U32,    false),
	A(KNMT_A_EV_TID,	   NLA_U32,    false),
	A(KNMT_A_EV_COMM,	   NLA_STRING, false),
	A(KNMT_A_EV_START,	   NLA_U64,    false),
	A(KNMT_A_EV_LEN,	   NLA_U64,    false),
	A(KNMT_A_EV_OLD_START,	   NLA_U64,    false),
	A(KNMT_A_EV_OLD_LEN,	   NLA_U64,    false),
	A(KNMT_A_EV_CATEGORY,	   NLA_U8,     false),
	A(KNMT_A_EV_ORIGIN,	   NLA_U8,     false),
	A(KNMT_A_EV_LIFETIME_NS,   NLA_U64,    false),
	A(KNMT_A_EV_EXIT_CODE,	   NLA_U32,    false),
	A(KNMT_A_EV_FLAGS,	   NLA_U32,    false),
	A(KNMT_A_EV_PROC,	   NLA_NESTED, false),
	A(KNMT_A_EV_INTERVAL_NS,   NLA_U64,    false),
	A(KNMT_A_EV_FAULTS,	   NLA_NESTED, false),
	A(KNMT_A_EV_SOCK_INODE,	   NLA_U64,    false),
	A(KNMT_A_EV_SOCK_FAMILY,   NLA_U16,    false),
	A(KNMT_A_EV_SOCK_TYPE,	   NLA_U16,    false),
	A(KNMT_A_EV_SOCK_PROTOCOL, NLA_U16,    false),
	A(KNMT_A_EV_SOCK_STATE,	   NLA_U8,     false),
	A(KNMT_A_EV_SOCK_OLD_STATE, NLA_U8,    false),
};

/* A KNMT_A_EV_FAULTS nest: the attributes of a process's category. */
static const struct knmt_attr_desc ev_cat_desc[KNMT_A_CAT_MAX + 1] = {
	A(KNMT_A_CAT_PAD,	   NLA_UNSPEC, false),
	A(KNMT_A_CAT_ID,	   NLA_U8,     true),
	A(KNMT_A_CAT_MAPPED,	   NLA_U64,    false),
	A(KNMT_A_CAT_RESIDENT,	   NLA_U64,    false),
	A(KNMT_A_CAT_REGIONS,	   NLA_U32,    false),
	A(KNMT_A_CAT_FAULTS_MINOR, NLA_U64,    false),
	A(KNMT_A_CAT_FAULTS_MAJOR, NLA_U64,    false),
	A(KNMT_A_CAT_PEAK_MAPPED,  NLA_U64,    false),
};

#undef A

_Static_assert(KNMT_A_EVBATCH_MAX < 64 && KNMT_A_EV_MAX < 64,
	       "present bitmasks hold 64 attributes");

static const struct knmt_attr_set evbatch_set = {
	.name = "event batch", .maxtype = KNMT_A_EVBATCH_MAX,
	.desc = evbatch_desc,
};

static const struct knmt_attr_set ev_set = {
	.name = "event", .maxtype = KNMT_A_EV_MAX, .desc = ev_desc,
};

static const struct knmt_attr_set ev_cat_set = {
	.name = "fault category", .maxtype = KNMT_A_CAT_MAX,
	.desc = ev_cat_desc,
};

static const char *const event_type_names[KNMT_EV_NR] = {
	[KNMT_EV_EXEC]		= "exec",
	[KNMT_EV_EXIT]		= "exit",
	[KNMT_EV_OOM_VICTIM]	= "oom_victim",
	[KNMT_EV_MMAP]		= "mmap",
	[KNMT_EV_MUNMAP]	= "munmap",
	[KNMT_EV_MREMAP]	= "mremap",
	[KNMT_EV_BRK]		= "brk",
	[KNMT_EV_OFFHEAP_ALLOC]	= "offheap_alloc",
	[KNMT_EV_OFFHEAP_FREE]	= "offheap_free",
	[KNMT_EV_FAULTS]	= "faults",
	[KNMT_EV_SOCK_OPEN]	= "sock_open",
	[KNMT_EV_SOCK_CLOSE]	= "sock_close",
	[KNMT_EV_SOCK_STATE]	= "sock_state",
};

_Static_assert(KNMT_EV_NR == 13, "event_type_names names every event type");

const char *knmt_event_type_name(unsigned int type)
{
	return type < KNMT_EV_NR ? event_type_names[type] : NULL;
}

int knmt_event_type_from_name(const char *name)
{
	int t;

	for (t = 0; name && t < KNMT_EV_NR; t++)
		if (strcmp(event_type_names[t], name) == 0)
			return t;
	return -1;
}

static int ev_faults_decode(struct nlattr *nest, struct knmt_event *e,
			    size_t idx, char *why, size_t whylen)
{
	struct nlattr *tb[KNMT_A_CAT_MAX + 1];
	char inner[KNMT_DETAIL_MAX - 32];
	unsigned int id;

	if (knmt_attrs_parse(&ev_cat_set, tb, nla_data(nest), nla_len(nest),
			     inner, sizeof(inner))) {
		snprintf(why, whylen, "KNMT_A_EV_FAULTS #%zu: %s", idx, inner);
		return -KNMT_E_PROTO;
	}
	id = knmt_nla_u8(tb[KNMT_A_CAT_ID]);
	if (id >= KNMT_CAT_NR)
		return 0;	/* a category newer than this library */
	e->faults_present |= 1U << id;
	e->faults_minor[id] = knmt_nla_u64(tb[KNMT_A_CAT_FAULTS_MINOR]);
	e->faults_major[id] = knmt_nla_u64(tb[KNMT_A_CAT_FAULTS_MAJOR]);
	return 0;
}

int knmt_event_decode(struct nlattr *nest, struct knmt_event *e,
		      char *why, size_t whylen)
{
	struct nlattr *tb[KNMT_A_EV_MAX + 1];
	char inner[KNMT_DETAIL_MAX - 32];
	struct nlattr *nla;
	size_t nfaults = 0;
	int rem, ret;

	memset(e, 0, sizeof(*e));
	if (knmt_attrs_parse(&ev_set, tb, nla_data(nest), nla_len(nest),
			     why, whylen))
		return -KNMT_E_PROTO;
	e->present = knmt_present_bits(tb, KNMT_A_EV_MAX);
	e->type = knmt_nla_u8(tb[KNMT_A_EV_TYPE]);
	e->time_ns = knmt_nla_u64(tb[KNMT_A_EV_TIME_NS]);
	e->pid = knmt_nla_u32(tb[KNMT_A_EV_PID]);
	e->tid = knmt_nla_u32(tb[KNMT_A_EV_TID]);
	/* validated NUL-terminated; a longer name than the buffer is cut */
	if (tb[KNMT_A_EV_COMM])
		snprintf(e->comm, sizeof(e->comm), "%s",
			 (const char *)nla_data(tb[KNMT_A_EV_COMM]));
	e->start = knmt_nla_u64(tb[KNMT_A_EV_START]);
	e->len = knmt_nla_u64(tb[KNMT_A_EV_LEN]);
	e->old_start = knmt_nla_u64(tb[KNMT_A_EV_OLD_START]);
	e->old_len = knmt_nla_u64(tb[KNMT_A_EV_OLD_LEN]);
	e->category = knmt_nla_u8(tb[KNMT_A_EV_CATEGORY]);
	e->origin = knmt_nla_u8(tb[KNMT_A_EV_ORIGIN]);
	e->lifetime_ns = knmt_nla_u64(tb[KNMT_A_EV_LIFETIME_NS]);
	e->exit_code = knmt_nla_u32(tb[KNMT_A_EV_EXIT_CODE]);
	e->flags = knmt_nla_u32(tb[KNMT_A_EV_FLAGS]);
	e->interval_ns = knmt_nla_u64(tb[KNMT_A_EV_INTERVAL_NS]);
	e->sock_inode = knmt_nla_u64(tb[KNMT_A_EV_SOCK_INODE]);
	if (tb[KNMT_A_EV_SOCK_FAMILY])
		e->sock_family = nla_get_u16(tb[KNMT_A_EV_SOCK_FAMILY]);
	if (tb[KNMT_A_EV_SOCK_TYPE])
		e->sock_type = nla_get_u16(tb[KNMT_A_EV_SOCK_TYPE]);
	if (tb[KNMT_A_EV_SOCK_PROTOCOL])
		e->sock_protocol = nla_get_u16(tb[KNMT_A_EV_SOCK_PROTOCOL]);
	e->sock_state = knmt_nla_u8(tb[KNMT_A_EV_SOCK_STATE]);
	e->sock_old_state = knmt_nla_u8(tb[KNMT_A_EV_SOCK_OLD_STATE]);

	if (tb[KNMT_A_EV_PROC]) {
		ret = knmt_proc_decode_attrs(nla_data(tb[KNMT_A_EV_PROC]),
					     nla_len(tb[KNMT_A_EV_PROC]),
					     &e->proc, inner, sizeof(inner));
		if (ret < 0) {
			snprintf(why, whylen, "KNMT_A_EV_PROC: %s", inner);
			goto fail;
		}
	}
	/* KNMT_A_EV_FAULTS repeats: tb[] kept only the last one. */
	nla_for_each_attr(nla, nla_data(nest), nla_len(nest), rem) {
		if (nla_type(nla) != KNMT_A_EV_FAULTS)
			continue;
		ret = ev_faults_decode(nla, e, nfaults++, why, whylen);
		if (ret < 0)
			goto fail;
	}
	return 0;
fail:
	memset(e, 0, sizeof(*e));
	return ret;
}

int knmt_evbatch_decode(const struct nlmsghdr *nlh, struct knmt_event_batch *b,
			char *why, size_t whylen)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	struct nlattr *tb[KNMT_A_EVBATCH_MAX + 1];
	struct nlattr *head, *nla;
	uint32_t n = 0;
	int len, rem, ret;

	memset(b, 0, sizeof(*b));
	ret = knmt_genl_check(nlh, why, whylen);
	if (ret < 0)
		return ret;
	head = genlmsg_attrdata(g, 0);
	len = genlmsg_attrlen(g, 0);
	if (knmt_attrs_parse(&evbatch_set, tb, head, len, why, whylen))
		return -KNMT_E_PROTO;
	b->present = knmt_present_bits(tb, KNMT_A_EVBATCH_MAX);
	b->seq = knmt_nla_u64(tb[KNMT_A_EVBATCH_SEQ]);
	b->count = knmt_nla_u32(tb[KNMT_A_EVBATCH_COUNT]);
	b->lost = knmt_nla_u64(tb[KNMT_A_EVBATCH_LOST]);
	nla_for_each_attr(nla, head, len, rem)
		if (nla_type(nla) == KNMT_A_EVBATCH_EVENT)
			n++;
	if (n != b->count) {
		snprintf(why, whylen,
			 "batch %llu: KNMT_A_EVBATCH_COUNT is %u, the batch carries %u events",
			 (unsigned long long)b->seq, b->count, n);
		return -KNMT_E_PROTO;
	}
	return 0;
}

/* ---- the loss accountant ------------------------------------------------ */

void knmt_event_loss_init(struct knmt_event_loss *loss)
{
	memset(loss, 0, sizeof(*loss));
}

uint64_t knmt_event_loss_batch(struct knmt_event_loss *loss, uint64_t seq,
			       uint32_t count, uint64_t lost)
{
	uint64_t gap = 0;

	if (loss->started && seq > loss->next_seq)
		gap = seq - loss->next_seq;
	else if (loss->started && seq < loss->next_seq)
		loss->restarts++;	/* numbered again from the start */
	loss->started = true;
	loss->next_seq = seq + count;
	loss->batches++;
	loss->events += count;
	loss->lost_ring += lost;
	loss->lost_gaps += gap;
	return gap;
}

uint64_t knmt_event_loss_total(const struct knmt_event_loss *loss)
{
	return loss->lost_ring + loss->lost_gaps;
}

/* ---- reading batches ---------------------------------------------------- */

struct batch_read {
	struct knmt *h;
	struct knmt_event_loss *loss;
	knmt_event_fn fn;
	void *arg;
	int handed;		/* events handed over */
	bool stop;		/* fn said KNMT_EVENTS_STOP */
};

/* The events of one batch to the caller's function. */
static int batch_events(struct batch_read *r, const struct nlmsghdr *nlh,
			struct knmt_event_batch *b)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	char why[KNMT_DETAIL_MAX];
	struct knmt_event e;
	struct nlattr *nla;
	int rem, ret;

	nla_for_each_attr(nla, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0),
			  rem) {
		if (nla_type(nla) != KNMT_A_EVBATCH_EVENT)
			continue;
		ret = knmt_event_decode(nla, &e, why, sizeof(why));
		if (ret < 0)
			return knmt_fail(r->h, -ret, "event %llu: %s",
					 (unsigned long long)(b->seq + b->index),
					 why);
		e.seq = b->seq + b->index;
		ret = r->fn(&e, b, r->arg);
		r->handed++;
		b->index++;
		if (ret == KNMT_EVENTS_STOP) {
			r->stop = true;
			return 0;
		}
		if (ret < 0)
			return knmt_caller_stop(r->h, ret);
	}
	return 0;
}

static int batch_msg(const struct nlmsghdr *nlh, void *arg)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	struct batch_read *r = arg;
	struct knmt_event_batch b;
	char why[KNMT_DETAIL_MAX];
	int ret;

	/* after a stop, the rest of what was read is dropped */
	if (r->stop || g->cmd != KNMT_CMD_EVENTS)
		return 0;
	ret = knmt_evbatch_decode(nlh, &b, why, sizeof(why));
	if (ret < 0) {
		/* what can be told of its numbers is still accounted */
		if (KNMT_HAS(&b, KNMT_A_EVBATCH_SEQ) &&
		    KNMT_HAS(&b, KNMT_A_EVBATCH_COUNT))
			knmt_event_loss_batch(r->loss, b.seq, b.count, b.lost);
		return knmt_fail(r->h, -ret, "events: %s", why);
	}
	b.gap = knmt_event_loss_batch(r->loss, b.seq, b.count, b.lost);
	if (!b.count) {
		if (!b.lost && !b.gap)
			return 0;
		ret = r->fn(NULL, &b, r->arg);
		if (ret == KNMT_EVENTS_STOP)
			r->stop = true;
		return ret < 0 ? knmt_caller_stop(r->h, ret) : 0;
	}
	return batch_events(r, nlh, &b);
}

int knmt_events_read(struct knmt_events *ev, struct knmt_event_loss *loss,
		     knmt_event_fn fn, void *arg)
{
	struct batch_read r = { .loss = loss, .fn = fn, .arg = arg };
	int ret;

	if (!ev || !loss || !fn)
		return -KNMT_E_INVAL;
	r.h = ev->h;
	for (;;) {
		ret = knmt_events_recv(ev, batch_msg, &r);
		if (ret == -KNMT_E_OVERRUN) {
			/* the gap shows at the next batch */
			loss->enobufs++;
			knmt_clear_error(ev->h);
			continue;
		}
		if (ret < 0)
			return ret;
		if (ret == 0 || r.stop || !ev->nonblock)
			break;
	}
	return r.handed;
}

void knmt_events_close(struct knmt_events *ev)
{
	if (!ev)
		return;
	if (ev->sk)
		nl_socket_free(ev->sk);
	free(ev);
}
