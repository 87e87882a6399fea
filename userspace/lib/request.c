// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libknmt: the generic request.  One callback set per request, as iw
 * does: replies of this request go to the caller's function, the
 * kernel's ACK, error or end of dump ends it, and messages left over from
 * an earlier, aborted request are skipped by sequence number.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <netlink/handlers.h>
#include <netlink/msg.h>

#include "internal.h"

struct req {
	struct knmt *h;
	uint32_t seq;
	bool done;
	int err;		/* first failure, -KNMT_E_*; 0 */
	knmt_msg_fn fn;
	void *arg;
};

int knmt_send_socket(struct knmt *h, struct nl_msg *msg)
{
	return nl_send(h->sk, msg);
}

/* Keeps the first failure, except that the kernel's word wins. */
static void req_fail(struct req *r, int err)
{
	if (!r->err)
		r->err = err;
}

static void req_kernel_error(struct req *r, const struct knmt_nlerr *ne,
			     const char *what)
{
	struct knmt *h = r->h;

	knmt_fail_kernel(h, ne->error, what);
	snprintf(h->extack, sizeof(h->extack), "%s", ne->msg);
	h->extack_off = ne->offset;
	r->err = -h->err;
}

static int cb_seq_check(struct nl_msg *msg, void *arg)
{
	struct req *r = arg;

	/* A reply to an earlier request that was abandoned half-read. */
	if (nlmsg_hdr(msg)->nlmsg_seq != r->seq)
		return NL_SKIP;
	return NL_OK;
}

static int cb_valid(struct nl_msg *msg, void *arg)
{
	struct req *r = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int ret;

	if (nlh->nlmsg_type != r->h->family)
		return NL_SKIP;
	if (r->err)
		return NL_SKIP;	/* drain the rest, keep the first error */

	ret = knmt_genl_check(nlh, r->h->detail, sizeof(r->h->detail));
	if (ret < 0) {
		char why[KNMT_DETAIL_MAX];

		/* knmt_fail() clears detail first: keep a copy */
		snprintf(why, sizeof(why), "%s", r->h->detail);
		req_fail(r, knmt_fail(r->h, -ret, "%s", why));
		return NL_SKIP;
	}
	if (r->fn) {
		ret = r->fn(nlh, r->arg);
		if (ret < 0)
			req_fail(r, ret);
	}
	return NL_OK;
}

static int cb_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct req *r = arg;
	struct nlmsghdr *nlh = (struct nlmsghdr *)e - 1;
	struct knmt_nlerr ne;

	(void)nla;
	r->done = true;
	if (knmt_nlerr_parse(nlh, nlh->nlmsg_len, &ne) < 0) {
		req_fail(r, knmt_fail(r->h, KNMT_E_PROTO,
				      "short NLMSG_ERROR message"));
		return NL_STOP;
	}
	if (ne.error)
		req_kernel_error(r, &ne, NULL);
	return NL_STOP;
}

static int cb_ack(struct nl_msg *msg, void *arg)
{
	struct req *r = arg;

	(void)msg;
	r->done = true;
	return NL_STOP;
}

static int cb_finish(struct nl_msg *msg, void *arg)
{
	struct req *r = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct knmt_nlerr ne;

	r->done = true;
	if (knmt_nldone_parse(nlh, nlh->nlmsg_len, &ne) == 0 && ne.error)
		req_kernel_error(r, &ne, "the dump failed");
	return NL_STOP;
}

static int map_nl_error(struct knmt *h, int nlerr)
{
	switch (-nlerr) {
	case NLE_NOMEM:
		return knmt_fail(h, KNMT_E_NOMEM, "receiving the reply");
	case NLE_DUMP_INTR:
		return knmt_fail(h, KNMT_E_INTR,
				 "the data changed while it was dumped; run the request again");
	case NLE_MSG_OVERFLOW:
		return knmt_fail(h, KNMT_E_OVERRUN, "%s", nl_geterror(nlerr));
	case NLE_AGAIN:		/* SO_RCVTIMEO expired */
		return knmt_fail(h, KNMT_E_SOCKET,
				 "no answer from the kernel within %d s",
				 KNMT_REPLY_TIMEOUT_S);
	default:
		return knmt_fail(h, KNMT_E_SOCKET, "receiving the reply: %s",
				 nl_geterror(nlerr));
	}
}

int knmt_request(struct knmt *h, uint8_t cmd, unsigned int flags,
		 knmt_fill_fn fill, void *fill_arg, knmt_msg_fn fn, void *arg)
{
	struct req r = { .h = h, .fn = fn, .arg = arg };
	struct nl_msg *msg;
	struct nl_cb *cb = NULL;
	int nlflags;
	int ret;

	if (!h)
		return -KNMT_E_INVAL;
	knmt_clear_error(h);
	if (h->family < 0 || !h->sk)
		return knmt_fail(h, KNMT_E_INVAL, "handle is not open");

	nlflags = NLM_F_REQUEST | ((flags & KNMT_REQ_DUMP) ? NLM_F_DUMP : NLM_F_ACK);
	msg = nlmsg_alloc();
	if (!msg)
		return knmt_fail(h, KNMT_E_NOMEM, "allocating the request");
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, h->family, 0, nlflags,
			 cmd, KNMT_GENL_VERSION)) {
		ret = knmt_fail(h, KNMT_E_NOMEM, "building the request");
		goto out;
	}
	if (fill) {
		ret = fill(msg, fill_arg);
		if (ret < 0) {
			if (!h->err)
				knmt_fail(h, -ret, "building the request");
			goto out;
		}
	}
	nl_complete_msg(h->sk, msg);
	r.seq = nlmsg_hdr(msg)->nlmsg_seq;

	cb = nl_cb_alloc(NL_CB_CUSTOM);
	if (!cb) {
		ret = knmt_fail(h, KNMT_E_NOMEM, "allocating callbacks");
		goto out;
	}
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, cb_seq_check, &r);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, cb_valid, &r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, cb_ack, &r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, cb_finish, &r);
	nl_cb_err(cb, NL_CB_CUSTOM, cb_error, &r);
	if (h->tr.recv)
		nl_cb_overwrite_recv(cb, h->tr.recv);

	ret = h->tr.send(h, msg);
	if (ret < 0) {
		ret = knmt_fail(h, KNMT_E_SOCKET, "sending the request: %s",
				nl_geterror(ret));
		goto out;
	}

	while (!r.done) {
		ret = nl_recvmsgs_report(h->sk, cb);
		/* the callbacks set r.done */
		// cppcheck-suppress knownConditionTrueFalse
		if (ret == 0 && !r.done) {
			/* nothing within SO_RCVTIMEO */
			ret = knmt_fail(h, KNMT_E_SOCKET,
					"no answer from the kernel within %d s",
					KNMT_REPLY_TIMEOUT_S);
			goto out;
		}
		/* libnl reads an interrupted dump (NLM_F_DUMP_INTR) to its
		 * end, then says so: the answer is complete but inconsistent */
		if (ret == -NLE_DUMP_INTR) {
			if (!r.err)
				r.err = map_nl_error(h, ret);
			if (r.done)
				break;
		}
		/* the callbacks set r.done: an error after the answer
		 * (NL_STOP on a kernel error) is not a socket failure */
		// cppcheck-suppress knownConditionTrueFalse
		if (ret < 0 && !r.done) {
			ret = map_nl_error(h, ret);
			goto out;
		}
	}
	ret = r.err;
out:
	nl_cb_put(cb);
	nlmsg_free(msg);
	return ret;
}
