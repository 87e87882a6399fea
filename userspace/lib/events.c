// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libknmt: subscription to the "events" multicast group.
 *
 * Events arrive on a socket of their own so that requests on the main
 * handle never see them.  Sequence numbers of multicast messages are 0:
 * no sequence check here; loss is told by the kernel (ENOBUFS) and by the
 * events' own sequence numbers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include "internal.h"

/* Large enough for a burst of events between two reads. */
#define KNMT_EVENTS_RCVBUF	(4 << 20)

struct knmt_events {
	struct knmt *h;
	struct nl_sock *sk;
};

struct ev_read {
	struct knmt_events *ev;
	knmt_msg_fn fn;
	void *arg;
	int count;
	int err;
};

int knmt_events_open(struct knmt *h, struct knmt_events **evp)
{
	struct knmt_events *ev;
	int ret;

	*evp = NULL;
	if (!h || h->family < 0)
		return -KNMT_E_INVAL;
	knmt_clear_error(h);
	if (!h->events_grp)
		return knmt_fail(h, KNMT_E_NO_GROUP,
				 "the module has no \"%s\" multicast group",
				 KNMT_GENL_MCGRP_EVENTS);

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

	ret = nl_socket_add_membership(ev->sk, (int)h->events_grp);
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
	return 0;
}

static int ev_valid(struct nl_msg *msg, void *arg)
{
	struct ev_read *r = arg;
	struct knmt *h = r->ev->h;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	char why[KNMT_DETAIL_MAX];
	int ret;

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

void knmt_events_close(struct knmt_events *ev)
{
	if (!ev)
		return;
	if (ev->sk)
		nl_socket_free(ev->sk);
	free(ev);
}
