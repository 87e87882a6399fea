// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The scripted kernel of the unit tests (see fake_kernel.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include "fake_kernel.h"

struct fake_kernel fake;

static void die(const char *what)
{
	fprintf(stderr, "fake kernel: %s\n", what);
	abort();
}

void fake_reset(void (*respond)(const struct nlmsghdr *req))
{
	while (fake.qhead != fake.qtail) {
		free(fake.q[fake.qhead % FAKE_QUEUE]);
		fake.qhead++;
	}
	free(fake.req);
	memset(&fake, 0, sizeof(fake));
	fake.respond = respond;
}

static int fake_send(struct knmt *h, struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	(void)h;
	free(fake.req);
	fake.req = malloc(nlh->nlmsg_len);
	if (!fake.req)
		die("out of memory");
	memcpy(fake.req, nlh, nlh->nlmsg_len);
	fake.req_len = nlh->nlmsg_len;
	fake.seq = nlh->nlmsg_seq;
	fake.port = nlh->nlmsg_pid;
	fake.nrequests++;
	if (fake.respond)
		fake.respond((const struct nlmsghdr *)fake.req);
	return (int)nlh->nlmsg_len;
}

static int fake_recv(struct nl_sock *sk, struct sockaddr_nl *nla,
		     unsigned char **buf, struct ucred **creds)
{
	size_t i;

	(void)sk;
	if (creds)
		*creds = NULL;
	if (nla) {
		memset(nla, 0, sizeof(*nla));
		nla->nl_family = AF_NETLINK;
	}
	if (fake.qhead == fake.qtail)
		return -NLE_AGAIN;	/* a real socket would block */
	i = fake.qhead++ % FAKE_QUEUE;
	*buf = fake.q[i];
	fake.q[i] = NULL;
	return (int)fake.qlen[i];
}

struct knmt *fake_open(void)
{
	struct knmt *h = knmt_alloc();

	if (!h)
		die("out of memory");
	h->sk = nl_socket_alloc();
	if (!h->sk)
		die("out of memory");
	/* as knmt_open() does on a real socket */
	nl_socket_disable_auto_ack(h->sk);
	h->family = FAKE_FAMILY;
	h->events_grp = FAKE_GROUP;
	h->tr.send = fake_send;
	h->tr.recv = fake_recv;
	return h;
}

int fake_knmt_open(struct knmt **hp)
{
	*hp = fake_open();
	return 0;
}

int fake_knmt_open_not_loaded(struct knmt **hp)
{
	*hp = knmt_alloc();
	if (!*hp)
		die("out of memory");
	return knmt_fail(*hp, KNMT_E_NOT_LOADED,
			 "generic netlink family \"knmt\" not found");
}

struct nl_msg *fake_reply_version(uint8_t cmd, uint8_t version)
{
	/* room for many hooks, as a kernel reply of NLMSG_GOODSIZE or more */
	struct nl_msg *msg = nlmsg_alloc_size(64 * 1024);

	if (!msg || !genlmsg_put(msg, 0, 0, FAKE_FAMILY, 0, 0, cmd, version))
		die("cannot build a reply");
	return msg;
}

struct nl_msg *fake_reply(uint8_t cmd)
{
	return fake_reply_version(cmd, KNMT_GENL_VERSION);
}

void fake_put_u64(struct nl_msg *msg, int type, int padtype, uint64_t v)
{
	/* nla_put_u64_64bit: a zero-length pad attribute aligns the payload
	 * on 8 bytes */
	uintptr_t tail = (uintptr_t)((char *)nlmsg_hdr(msg) +
				     NLMSG_ALIGN(nlmsg_hdr(msg)->nlmsg_len));

	if ((tail + NLA_HDRLEN) % 8 && nla_put(msg, padtype, 0, NULL) < 0)
		die("cannot put a pad");
	if (nla_put_u64(msg, type, v) < 0)
		die("cannot put a u64");
}

static void enqueue(unsigned char *buf, size_t len)
{
	if (fake.qtail - fake.qhead >= FAKE_QUEUE)
		die("queue full");
	fake.q[fake.qtail % FAKE_QUEUE] = buf;
	fake.qlen[fake.qtail % FAKE_QUEUE] = len;
	fake.qtail++;
}

void fake_push_seq(struct nl_msg *msg, uint32_t seq)
{
	struct nl_msg *one[1] = { msg };

	nlmsg_hdr(msg)->nlmsg_seq = seq;
	nlmsg_hdr(msg)->nlmsg_pid = fake.port;
	fake_push_many(one, 0);		/* 0: keep the given seq */
	nlmsg_free(msg);
}

void fake_push(struct nl_msg *msg)
{
	fake_push_seq(msg, fake.seq);
}

void fake_push_many(struct nl_msg **msgs, size_t n)
{
	size_t total = 0, off = 0, i, count = n ? n : 1;
	unsigned char *buf;

	for (i = 0; i < count; i++)
		total += NLMSG_ALIGN(nlmsg_hdr(msgs[i])->nlmsg_len);
	buf = calloc(1, total);
	if (!buf)
		die("out of memory");
	for (i = 0; i < count; i++) {
		struct nlmsghdr *nlh = nlmsg_hdr(msgs[i]);

		if (n) {	/* a dump: each part is multi-part */
			nlh->nlmsg_seq = fake.seq;
			nlh->nlmsg_pid = fake.port;
			nlh->nlmsg_flags |= NLM_F_MULTI;
		}
		memcpy(buf + off, nlh, nlh->nlmsg_len);
		off += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	enqueue(buf, total);
	if (n)
		for (i = 0; i < n; i++)
			nlmsg_free(msgs[i]);
}

static size_t put_tlv(unsigned char *buf, size_t size, size_t off, int type,
		      const void *data, size_t len)
{
	struct nlattr nla = { .nla_len = (uint16_t)(NLA_HDRLEN + len),
			      .nla_type = (uint16_t)type };

	if (off + NLA_ALIGN(NLA_HDRLEN + len) > size)
		die("error message too large");
	memcpy(buf + off, &nla, sizeof(nla));
	memcpy(buf + off + NLA_HDRLEN, data, len);
	return off + NLA_ALIGN(NLA_HDRLEN + len);
}

size_t fake_build_error(unsigned char *buf, size_t size,
			const struct nlmsghdr *req, int error,
			const char *extack, long offs, bool capped)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nlmsgerr *e;
	size_t payload = sizeof(*e);
	size_t off;

	if (error == 0)
		capped = true;	/* netlink_ack(): an ACK never echoes */
	if (!capped)
		payload += req->nlmsg_len - NLMSG_HDRLEN;
	off = NLMSG_ALIGN(NLMSG_HDRLEN + payload);
	if (off > size)
		die("error message too large");
	memset(buf, 0, size);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = capped ? NLM_F_CAPPED : 0;
	nlh->nlmsg_seq = req->nlmsg_seq;
	nlh->nlmsg_pid = req->nlmsg_pid;
	e = NLMSG_DATA(nlh);
	e->error = error;
	memcpy(&e->msg, req, capped ? sizeof(*req) : req->nlmsg_len);
	if (extack || offs >= 0)
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	if (extack)
		off = put_tlv(buf, size, off, NLMSGERR_ATTR_MSG, extack,
			      strlen(extack) + 1);
	if (offs >= 0) {
		uint32_t o = (uint32_t)offs;

		off = put_tlv(buf, size, off, NLMSGERR_ATTR_OFFS, &o, sizeof(o));
	}
	nlh->nlmsg_len = (uint32_t)off;
	return off;
}

void fake_push_error(int error, const char *extack, long offs, bool capped)
{
	size_t size = 1024 + fake.req_len;
	unsigned char *buf = malloc(size);
	size_t len;

	if (!buf || !fake.req)
		die("no request to answer");
	len = fake_build_error(buf, size, (const struct nlmsghdr *)fake.req,
			       error, extack, offs, capped);
	enqueue(buf, len);
}

void fake_push_ack(void)
{
	fake_push_error(0, NULL, -1, true);
}

void fake_push_done(int error, const char *extack)
{
	unsigned char *buf = calloc(1, 512);
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	size_t off = NLMSG_ALIGN(NLMSG_HDRLEN + sizeof(int));

	if (!buf)
		die("out of memory");
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = fake.seq;
	nlh->nlmsg_pid = fake.port;
	memcpy(NLMSG_DATA(nlh), &error, sizeof(error));
	if (extack) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		off = put_tlv(buf, 512, off, NLMSGERR_ATTR_MSG, extack,
			      strlen(extack) + 1);
	}
	nlh->nlmsg_len = (uint32_t)off;
	enqueue(buf, off);
}

struct nl_msg *fake_status_msg(size_t nhooks)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_STATUS);
	size_t i;

	if (nla_put_string(msg, KNMT_A_STATUS_VERSION, "0.1.0") < 0 ||
	    nla_put_string(msg, KNMT_A_STATUS_RELEASE_BUILT, "6.1.0-56-amd64") < 0 ||
	    nla_put_string(msg, KNMT_A_STATUS_RELEASE_RUNNING, "6.1.0-56-amd64") < 0)
		die("cannot build the status");
	for (i = 0; i < nhooks; i++) {
		struct nlattr *nest = nla_nest_start(msg, KNMT_A_STATUS_HOOK);
		char name[32];

		snprintf(name, sizeof(name), "hook%zu", i);
		if (!nest || nla_put_string(msg, KNMT_A_HOOK_NAME, name) < 0 ||
		    nla_put_u8(msg, KNMT_A_HOOK_KIND, (uint8_t)(i % 3)) < 0 ||
		    nla_put_u8(msg, KNMT_A_HOOK_STATE, (uint8_t)(i % 3)) < 0 ||
		    nla_put_string(msg, KNMT_A_HOOK_PREFERRED, "mmap_region") < 0)
			die("cannot build a hook");
		/* attached and fallback hooks have a target */
		if (i % 3 != KNMT_HOOK_STATE_UNAVAILABLE &&
		    nla_put_string(msg, KNMT_A_HOOK_TARGET,
				   i % 3 == KNMT_HOOK_STATE_ATTACHED ?
				   "mmap_region" : "do_mmap") < 0)
			die("cannot build a hook");
		if (nla_put_u32(msg, KNMT_A_HOOK_ERROR,
				i % 3 == KNMT_HOOK_STATE_ATTACHED ? 0 : ENOENT) < 0)
			die("cannot build a hook");
		if (i % 3 != KNMT_HOOK_STATE_ATTACHED &&
		    nla_put_string(msg, KNMT_A_HOOK_REASON, "symbol not found") < 0)
			die("cannot build a hook");
		fake_put_u64(msg, KNMT_A_HOOK_HITS, KNMT_A_HOOK_PAD, 1000 + i);
		fake_put_u64(msg, KNMT_A_HOOK_MISSED, KNMT_A_HOOK_PAD, i);
		nla_nest_end(msg, nest);
	}
	if (nla_put_u32(msg, KNMT_A_STATUS_PROCS_TRACKED, 12) < 0 ||
	    nla_put_u32(msg, KNMT_A_STATUS_PROCS_MAX, 4096) < 0)
		die("cannot build the status");
	fake_put_u64(msg, KNMT_A_STATUS_PROCS_OVERFLOW, KNMT_A_STATUS_PAD, 3);
	fake_put_u64(msg, KNMT_A_STATUS_EVENTS_EMITTED, KNMT_A_STATUS_PAD, 123456);
	fake_put_u64(msg, KNMT_A_STATUS_EVENTS_DROPPED, KNMT_A_STATUS_PAD, 7);
	fake_put_u64(msg, KNMT_A_STATUS_MEM_BYTES, KNMT_A_STATUS_PAD, 1572864);
	fake_put_u64(msg, KNMT_A_STATUS_RECURSION, KNMT_A_STATUS_PAD, 2);
	fake_put_u64(msg, KNMT_A_STATUS_UPTIME_NS, KNMT_A_STATUS_PAD,
		     UINT64_C(3723000000000));
	if (nla_put_u32(msg, KNMT_A_STATUS_REGIONS_TRACKED, 40) < 0 ||
	    nla_put_u32(msg, KNMT_A_STATUS_REGIONS_MAX, 65536) < 0)
		die("cannot build the status");
	fake_put_u64(msg, KNMT_A_STATUS_REGIONS_OVERFLOW, KNMT_A_STATUS_PAD, 5);
	if (nla_put_u32(msg, KNMT_A_STATUS_EXITS_KEPT, 9) < 0)
		die("cannot build the status");
	return msg;
}
