// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libknmt: the handle, opening the family, and error reporting.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "internal.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static const char *const error_str[__KNMT_E_COUNT] = {
	[KNMT_OK]		= "success",
	[KNMT_E_NOMEM]		= "out of memory",
	[KNMT_E_NOT_LOADED]	= "the knmt kernel module is not loaded",
	[KNMT_E_PERM]		= "permission denied",
	[KNMT_E_VERSION]	= "protocol version mismatch with the knmt module",
	[KNMT_E_PROTO]		= "malformed reply from the knmt module",
	[KNMT_E_KERNEL]		= "the kernel rejected the request",
	[KNMT_E_SOCKET]		= "netlink socket error",
	[KNMT_E_NO_GROUP]	= "the knmt module offers no such multicast group",
	[KNMT_E_OVERRUN]	= "events were lost (receive buffer overrun)",
	[KNMT_E_INTR]		= "dump interrupted by a concurrent change",
	[KNMT_E_INVAL]		= "invalid argument",
	[KNMT_E_PIDNS]		= "events are offered in the initial pid namespace only",
};

const char *knmt_error_str(int err)
{
	if (err < 0)
		err = -err;
	if (err >= __KNMT_E_COUNT)
		return "unknown error";
	return error_str[err];
}

struct knmt *knmt_alloc(void)
{
	struct knmt *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->family = -1;
	h->extack_off = -1;
	h->tr.send = knmt_send_socket;
	return h;
}

void knmt_clear_error(struct knmt *h)
{
	h->err = KNMT_OK;
	h->kerrno = 0;
	h->extack_off = -1;
	h->extack[0] = '\0';
	h->detail[0] = '\0';
}

int knmt_fail(struct knmt *h, int err, const char *fmt, ...)
{
	va_list ap;

	knmt_clear_error(h);
	h->err = err;
	va_start(ap, fmt);
	vsnprintf(h->detail, sizeof(h->detail), fmt, ap);
	va_end(ap);
	return -err;
}

int knmt_fail_kernel(struct knmt *h, int kerrno, const char *what)
{
	if (kerrno < 0)
		kerrno = -kerrno;
	h->err = (kerrno == EPERM || kerrno == EACCES) ? KNMT_E_PERM
							: KNMT_E_KERNEL;
	h->kerrno = kerrno;
	snprintf(h->detail, sizeof(h->detail), "%s", what ? what : "");
	return -h->err;
}

int knmt_open(struct knmt **hp)
{
	struct timeval tmo = { .tv_sec = KNMT_REPLY_TIMEOUT_S };
	struct knmt *h;
	int one = 1;
	int ret;

	*hp = h = knmt_alloc();
	if (!h)
		return -KNMT_E_NOMEM;

	h->sk = nl_socket_alloc();
	if (!h->sk)
		return knmt_fail(h, KNMT_E_NOMEM, "cannot allocate a netlink socket");
	ret = genl_connect(h->sk);
	if (ret < 0)
		return knmt_fail(h, KNMT_E_SOCKET,
				 "cannot open a generic netlink socket: %s",
				 nl_geterror(ret));
	/* Our requests carry explicit flags; sequence numbers are checked
	 * per request (request.c), so libnl's automatic ACK is not wanted. */
	nl_socket_disable_auto_ack(h->sk);
	/* Replies larger than a page (dumps) are read whole. */
	nl_socket_enable_msg_peek(h->sk);
	/* Extended ACK: the kernel explains its errors.  Kernels before 4.12
	 * do not know the option; errors then simply come without text. */
	(void)setsockopt(nl_socket_get_fd(h->sk), SOL_NETLINK, NETLINK_EXT_ACK,
			 &one, sizeof(one));
	/* The kernel always answers (ACK, error or end of dump); a silent
	 * socket is a module bug, reported instead of waited on forever. */
	(void)setsockopt(nl_socket_get_fd(h->sk), SOL_SOCKET, SO_RCVTIMEO,
			 &tmo, sizeof(tmo));

	ret = genl_ctrl_resolve(h->sk, KNMT_GENL_NAME);
	if (ret == -NLE_OBJ_NOTFOUND)
		return knmt_fail(h, KNMT_E_NOT_LOADED,
				 "generic netlink family \"%s\" not found",
				 KNMT_GENL_NAME);
	if (ret < 0)
		return knmt_fail(h, KNMT_E_SOCKET,
				 "cannot resolve generic netlink family \"%s\": %s",
				 KNMT_GENL_NAME, nl_geterror(ret));
	h->family = ret;

	/* A module without the group still answers requests; only
	 * knmt_events_open() needs it and reports its absence. */
	ret = genl_ctrl_resolve_grp(h->sk, KNMT_GENL_NAME,
				    KNMT_GENL_MCGRP_EVENTS);
	h->events_grp = ret > 0 ? (uint32_t)ret : 0;

	knmt_clear_error(h);
	return 0;
}

void knmt_close(struct knmt *h)
{
	if (!h)
		return;
	if (h->sk)
		nl_socket_free(h->sk);
	free(h);
}

int knmt_last_error(const struct knmt *h)
{
	return h ? h->err : KNMT_E_NOMEM;
}

int knmt_kernel_errno(const struct knmt *h)
{
	return h ? h->kerrno : 0;
}

const char *knmt_extack(const struct knmt *h)
{
	return h ? h->extack : "";
}

long knmt_extack_offset(const struct knmt *h)
{
	return h ? h->extack_off : -1;
}

int knmt_family_id(const struct knmt *h)
{
	return h->family;
}

uint32_t knmt_events_group(const struct knmt *h)
{
	return h->events_grp;
}

const char *knmt_strerror(struct knmt *h)
{
	struct knmt *m = h;
	size_t n;

	if (!h)
		return error_str[KNMT_E_NOMEM];
	if (h->err == KNMT_OK)
		return error_str[KNMT_OK];

	n = (size_t)snprintf(m->msg, sizeof(m->msg), "%s", knmt_error_str(h->err));
	if (h->detail[0] && n < sizeof(m->msg))
		n += (size_t)snprintf(m->msg + n, sizeof(m->msg) - n, ": %s",
				      h->detail);
	if (h->extack[0] && n < sizeof(m->msg))
		n += (size_t)snprintf(m->msg + n, sizeof(m->msg) - n, ": %s",
				      h->extack);
	if (h->kerrno && n < sizeof(m->msg))
		snprintf(m->msg + n, sizeof(m->msg) - n, " (%s)",
			 strerror(h->kerrno));
	return m->msg;
}

const char *knmt_hook_kind_str(unsigned int kind)
{
	switch (kind) {
	case KNMT_HOOK_KIND_TRACEPOINT:	return "tracepoint";
	case KNMT_HOOK_KIND_KPROBE:	return "kprobe";
	case KNMT_HOOK_KIND_KRETPROBE:	return "kretprobe";
	case KNMT_HOOK_KIND_FTRACE:	return "ftrace";
	}
	return "unknown";
}

const char *knmt_hook_state_str(unsigned int state)
{
	switch (state) {
	case KNMT_HOOK_STATE_ATTACHED:		return "attached";
	case KNMT_HOOK_STATE_FALLBACK:		return "fallback";
	case KNMT_HOOK_STATE_UNAVAILABLE:	return "unavailable";
	}
	return "unknown";
}
