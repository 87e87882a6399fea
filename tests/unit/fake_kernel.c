// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The scripted kernel of the unit tests (see fake_kernel.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

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
	if (!fake.q[i]) {
		/* what nl_recv() makes of recvmsg()'s ENOBUFS */
		errno = ENOBUFS;
		return -NLE_NOMEM;
	}
	*buf = fake.q[i];
	fake.q[i] = NULL;
	return (int)fake.qlen[i];
}

static int fake_join(struct nl_sock *sk, uint32_t group)
{
	(void)sk;
	fake.joined = group;
	return fake.join_error;
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
	h->tr.join = fake_join;
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

void fake_push_enobufs(void)
{
	enqueue(NULL, 0);
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
	struct nlattr *nest;
	size_t i;

	if (nla_put_string(msg, KNMT_A_STATUS_VERSION, "0.1.0") < 0 ||
	    nla_put_string(msg, KNMT_A_STATUS_RELEASE_BUILT, "6.1.0-56-amd64") < 0 ||
	    nla_put_string(msg, KNMT_A_STATUS_RELEASE_RUNNING, "6.1.0-56-amd64") < 0)
		die("cannot build the status");
	for (i = 0; i < nhooks; i++) {
		char name[32];

		nest = nla_nest_start(msg, KNMT_A_STATUS_HOOK);

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
		/* hook i: runs of 100 * (i + 1) ns; an unavailable one none */
		if (i % 3 != KNMT_HOOK_STATE_UNAVAILABLE) {
			fake_put_u64(msg, KNMT_A_HOOK_COST_NS, KNMT_A_HOOK_PAD,
				     (10 + i) * 100 * (i + 1));
			fake_put_u64(msg, KNMT_A_HOOK_COST_RUNS, KNMT_A_HOOK_PAD,
				     10 + i);
		} else {
			fake_put_u64(msg, KNMT_A_HOOK_COST_NS, KNMT_A_HOOK_PAD, 0);
			fake_put_u64(msg, KNMT_A_HOOK_COST_RUNS, KNMT_A_HOOK_PAD, 0);
		}
		nla_nest_end(msg, nest);
	}
	for (i = 0; i < FAKE_MEM_KINDS; i++) {
		static const struct {
			const char *name;
			uint64_t bytes;
			uint32_t records, size;
		} mem[FAKE_MEM_KINDS] = {
			{ "processes", 24576, 12, 1800 },
			{ "threads", 16384, 32, 320 },
			{ "regions", 8192, 40, 104 },
			{ "sockets", 4096, 0, 120 },
			{ "events", 65536, 0, 0 },
		};

		nest = nla_nest_start(msg, KNMT_A_STATUS_MEM);
		if (!nest || nla_put_string(msg, KNMT_A_MEM_NAME, mem[i].name) < 0)
			die("cannot build a memory kind");
		fake_put_u64(msg, KNMT_A_MEM_BYTES, KNMT_A_MEM_PAD, mem[i].bytes);
		if (mem[i].size &&
		    (nla_put_u32(msg, KNMT_A_MEM_RECORDS, mem[i].records) < 0 ||
		     nla_put_u32(msg, KNMT_A_MEM_RECORD_SIZE, mem[i].size) < 0))
			die("cannot build a memory kind");
		nla_nest_end(msg, nest);
	}
	if (nla_put_u32(msg, KNMT_A_STATUS_COST_SAMPLE, 64) < 0 ||
	    nla_put_u32(msg, KNMT_A_STATUS_SAMPLER_ROUND_MS, 37) < 0)
		die("cannot build the status");
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
	if (nla_put_u32(msg, KNMT_A_STATUS_EXITS_KEPT, 9) < 0 ||
	    nla_put_u32(msg, KNMT_A_STATUS_SOCKETS_TRACKED, 321) < 0 ||
	    nla_put_u32(msg, KNMT_A_STATUS_SOCKETS_MAX, 131072) < 0)
		die("cannot build the status");
	fake_put_u64(msg, KNMT_A_STATUS_SOCKETS_OVERFLOW, KNMT_A_STATUS_PAD, 4);
	fake_put_u64(msg, KNMT_A_STATUS_SOCKETS_STALE, KNMT_A_STATUS_PAD, 6);
	if (nla_put_u32(msg, KNMT_A_STATUS_THREADS_TRACKED, 57) < 0 ||
	    nla_put_u32(msg, KNMT_A_STATUS_THREADS_MAX, 262144) < 0)
		die("cannot build the status");
	fake_put_u64(msg, KNMT_A_STATUS_THREADS_OVERFLOW, KNMT_A_STATUS_PAD, 8);
	nest = nla_nest_start(msg, KNMT_A_STATUS_EVENT_DROPS);
	if (!nest)
		die("cannot build the event drops");
	/* as the module: pads of type 0 where needed */
	fake_put_u64(msg, KNMT_EV_EXEC + 1, 0, 0);
	fake_put_u64(msg, KNMT_EV_MMAP + 1, 0, FAKE_DROPS_MMAP);
	fake_put_u64(msg, KNMT_EV_FAULTS + 1, 0, FAKE_DROPS_FAULTS);
	fake_put_u64(msg, KNMT_EV_NR + 1, 0, 99);	/* a newer type */
	nla_nest_end(msg, nest);
	fake_put_u64(msg, KNMT_A_STATUS_EVENTS_UNDELIVERED, KNMT_A_STATUS_PAD,
		     FAKE_UNDELIVERED);
	if (nla_put_u8(msg, KNMT_A_STATUS_EVENT_LISTENERS, 1) < 0 ||
	    nla_put_u32(msg, KNMT_A_STATUS_PIDNS_LEVEL, 2) < 0)
		die("cannot build the status");
	return msg;
}

uint64_t fake_resident(const struct fake_proc *fp, unsigned int c)
{
	if (fp->resident)
		return fp->resident[c];
	return fp->k * (c + 1) * FAKE_MIB;
}

uint64_t fake_mapped(const struct fake_proc *fp, unsigned int c)
{
	return 2 * fake_resident(fp, c) + FAKE_MIB;
}

static void put_cat(struct nl_msg *msg, const struct fake_proc *fp,
		    unsigned int c)
{
	struct nlattr *nest = nla_nest_start(msg, KNMT_A_PROC_CATEGORY);

	if (!nest || nla_put_u8(msg, KNMT_A_CAT_ID, (uint8_t)c) < 0)
		die("cannot build a category");
	fake_put_u64(msg, KNMT_A_CAT_MAPPED, KNMT_A_CAT_PAD, fake_mapped(fp, c));
	fake_put_u64(msg, KNMT_A_CAT_RESIDENT, KNMT_A_CAT_PAD,
		     fake_resident(fp, c));
	if (nla_put_u32(msg, KNMT_A_CAT_REGIONS, (uint32_t)(c + 1)) < 0)
		die("cannot build a category");
	fake_put_u64(msg, KNMT_A_CAT_FAULTS_MINOR, KNMT_A_CAT_PAD,
		     100 * fp->k * (c + 1));
	fake_put_u64(msg, KNMT_A_CAT_FAULTS_MAJOR, KNMT_A_CAT_PAD, c);
	fake_put_u64(msg, KNMT_A_CAT_PEAK_MAPPED, KNMT_A_CAT_PAD,
		     3 * fake_mapped(fp, c));
	nla_nest_end(msg, nest);
}

static void put_u32(struct nl_msg *msg, int type, uint32_t v)
{
	if (nla_put_u32(msg, type, v) < 0)
		die("cannot put a u32");
}

static void put_socks(struct nl_msg *msg, uint64_t k)
{
	struct nlattr *nest, *sub;
	unsigned int i;

	nest = nla_nest_start(msg, KNMT_A_PROC_SOCKETS);
	if (!nest)
		die("cannot build the sockets nest");
	put_u32(msg, KNMT_A_SOCKS_OPEN, (uint32_t)(6 * k));
	sub = nla_nest_start(msg, KNMT_A_SOCKS_FAMILY);
	if (!sub)
		die("cannot build the family nest");
	put_u32(msg, KNMT_SOCK_FAM_INET + 1, (uint32_t)k);
	put_u32(msg, KNMT_SOCK_FAM_INET6 + 1, (uint32_t)(2 * k));
	put_u32(msg, KNMT_SOCK_FAM_UNIX + 1, (uint32_t)(3 * k));
	put_u32(msg, KNMT_SOCK_FAM_OTHER + 1, 0);
	put_u32(msg, KNMT_SOCK_FAM_NR + 1, 99);		/* a newer family */
	nla_nest_end(msg, sub);
	sub = nla_nest_start(msg, KNMT_A_SOCKS_TCP_STATE);
	if (!sub)
		die("cannot build the TCP state nest");
	put_u32(msg, 1, (uint32_t)k);			/* TCP_ESTABLISHED */
	put_u32(msg, 8, 1);				/* TCP_CLOSE_WAIT */
	put_u32(msg, 10, 1);				/* TCP_LISTEN */
	put_u32(msg, 13, 7);				/* a newer state */
	nla_nest_end(msg, sub);
	fake_put_u64(msg, KNMT_A_SOCKS_CLOSE_WAIT_AGE_NS, KNMT_A_SOCKS_PAD,
		     UINT64_C(300000000000));
	fake_put_u64(msg, KNMT_A_SOCKS_OLDEST_AGE_NS, KNMT_A_SOCKS_PAD,
		     k * UINT64_C(3723000000000));
	fake_put_u64(msg, KNMT_A_SOCKS_RX_QUEUED, KNMT_A_SOCKS_PAD, k * 1024);
	fake_put_u64(msg, KNMT_A_SOCKS_TX_QUEUED, KNMT_A_SOCKS_PAD, k * 2048);
	fake_put_u64(msg, KNMT_A_SOCKS_MEM, KNMT_A_SOCKS_PAD, FAKE_SOCKS_MEM(k));
	fake_put_u64(msg, KNMT_A_SOCKS_OPENED, KNMT_A_SOCKS_PAD, 100 * k);
	fake_put_u64(msg, KNMT_A_SOCKS_ACCEPTED, KNMT_A_SOCKS_PAD, 40 * k);
	fake_put_u64(msg, KNMT_A_SOCKS_CLOSED, KNMT_A_SOCKS_PAD, 94 * k);
	put_u32(msg, KNMT_A_SOCKS_ORPHANS, 1);
	fake_put_u64(msg, KNMT_A_SOCKS_DESTROYED, KNMT_A_SOCKS_PAD, 93 * k);
	fake_put_u64(msg, KNMT_A_SOCKS_UNTRACKED, KNMT_A_SOCKS_PAD, 2);
	sub = nla_nest_start(msg, KNMT_A_SOCKS_LIFETIME);
	if (!sub)
		die("cannot build the socket lifetime nest");
	/* as the module: pads of type 0 where needed */
	for (i = 0; i < KNMT_LIFETIME_BUCKETS; i++)
		fake_put_u64(msg, (int)i + 1, 0, 10 * i + k);
	fake_put_u64(msg, KNMT_LIFETIME_BUCKETS + 1, 0, 55);	/* newer */
	nla_nest_end(msg, sub);
	put_u32(msg, KNMT_A_SOCKS_OPEN_RATE, (uint32_t)(1500 * k));
	put_u32(msg, KNMT_A_SOCKS_CLOSE_RATE, (uint32_t)(1250 * k));
	put_u32(msg, KNMT_A_SOCKS_MAX + 1, 1);		/* a newer attribute */
	nla_nest_end(msg, nest);
}

struct nl_msg *fake_proc_msg(uint8_t cmd, const struct fake_proc *fp)
{
	struct nl_msg *msg = fake_reply(cmd);

	fake_put_proc(msg, fp);
	return msg;
}

void fake_put_proc(struct nl_msg *msg, const struct fake_proc *fp)
{
	struct nlattr *nest, *hist;
	uint64_t k = fp->k;
	unsigned int c, i;

	if (nla_put_u32(msg, KNMT_A_PROC_PID, fp->pid) < 0 ||
	    (fp->comm && nla_put_string(msg, KNMT_A_PROC_COMM, fp->comm) < 0) ||
	    nla_put_u32(msg, KNMT_A_PROC_FLAGS, fp->flags) < 0)
		die("cannot build a process");
	fake_put_u64(msg, KNMT_A_PROC_START_NS, KNMT_A_PROC_PAD,
		     fp->start_ns ? fp->start_ns : FAKE_START_NS);
	if (!fp->no_sample) {
		for (c = KNMT_CAT_NR; c-- > 0;)
			put_cat(msg, fp, c);
		/* a category of a newer module */
		nest = nla_nest_start(msg, KNMT_A_PROC_CATEGORY);
		if (!nest || nla_put_u8(msg, KNMT_A_CAT_ID, KNMT_CAT_NR + 3) < 0)
			die("cannot build a category");
		fake_put_u64(msg, KNMT_A_CAT_RESIDENT, KNMT_A_CAT_PAD, 999);
		nla_nest_end(msg, nest);

		fake_put_u64(msg, KNMT_A_PROC_RSS_ANON, KNMT_A_PROC_PAD, 10 * k * FAKE_MIB);
		fake_put_u64(msg, KNMT_A_PROC_RSS_FILE, KNMT_A_PROC_PAD, 4 * k * FAKE_MIB);
		fake_put_u64(msg, KNMT_A_PROC_RSS_SHMEM, KNMT_A_PROC_PAD, k * FAKE_MIB);
		fake_put_u64(msg, KNMT_A_PROC_RSS_SWAP, KNMT_A_PROC_PAD, k * 512 * 1024);
		if (nla_put_u32(msg, KNMT_A_PROC_THREADS, (uint32_t)(3 * k)) < 0)
			die("cannot build a process");
		fake_put_u64(msg, KNMT_A_PROC_PAGETABLES, KNMT_A_PROC_PAD, k * 64 * 1024);
		fake_put_u64(msg, KNMT_A_PROC_KSTACKS, KNMT_A_PROC_PAD, k * 32 * 1024);
		if (nla_put_s64(msg, KNMT_A_PROC_UNACCOUNTED,
				-(int64_t)(k * 4096)) < 0)
			die("cannot build a process");
		fake_put_u64(msg, KNMT_A_PROC_SAMPLED_NS, KNMT_A_PROC_PAD,
			     FAKE_SAMPLED_NS);
	}
	fake_put_u64(msg, KNMT_A_PROC_PEAK_RSS, KNMT_A_PROC_PAD, 20 * k * FAKE_MIB);
	if (!fp->no_offheap) {
		nest = nla_nest_start(msg, KNMT_A_PROC_OFFHEAP);
		if (!nest)
			die("cannot build the offheap nest");
		fake_put_u64(msg, KNMT_A_OFFHEAP_LIVE_COUNT, KNMT_A_OFFHEAP_PAD, 2 * k);
		fake_put_u64(msg, KNMT_A_OFFHEAP_LIVE_BYTES, KNMT_A_OFFHEAP_PAD, 2 * k * FAKE_MIB);
		fake_put_u64(msg, KNMT_A_OFFHEAP_ALLOC_COUNT, KNMT_A_OFFHEAP_PAD, 5 * k);
		fake_put_u64(msg, KNMT_A_OFFHEAP_ALLOC_BYTES, KNMT_A_OFFHEAP_PAD, 5 * k * FAKE_MIB);
		fake_put_u64(msg, KNMT_A_OFFHEAP_FREED_COUNT, KNMT_A_OFFHEAP_PAD, 3 * k);
		fake_put_u64(msg, KNMT_A_OFFHEAP_FREED_BYTES, KNMT_A_OFFHEAP_PAD, 3 * k * FAKE_MIB);
		hist = nla_nest_start(msg, KNMT_A_OFFHEAP_LIFETIME);
		if (!hist)
			die("cannot build the lifetime nest");
		/* as the module: pads of type 0 where needed */
		for (i = 0; i < KNMT_LIFETIME_BUCKETS; i++)
			fake_put_u64(msg, (int)i + 1, 0, i * k + 1);
		/* a bucket of a newer module */
		fake_put_u64(msg, KNMT_LIFETIME_BUCKETS + 1, 0, 77);
		nla_nest_end(msg, hist);
		nla_nest_end(msg, nest);
	}
	if (fp->sockets)
		put_socks(msg, k);
	if (fp->exit_ns) {
		fake_put_u64(msg, KNMT_A_PROC_EXIT_NS, KNMT_A_PROC_PAD, fp->exit_ns);
		if (nla_put_u32(msg, KNMT_A_PROC_EXIT_CODE, fp->exit_code) < 0)
			die("cannot build an exit");
	}
}

struct nl_msg *fake_region_msg(uint64_t start, uint64_t end, uint8_t cat,
			       uint8_t origin, uint32_t prot, uint64_t resident,
			       uint64_t age_ns, uint64_t faults, uint32_t tid,
			       const char *file, uint64_t pgoff)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_DUMP_REGIONS);

	fake_put_u64(msg, KNMT_A_REGION_START, KNMT_A_REGION_PAD, start);
	fake_put_u64(msg, KNMT_A_REGION_END, KNMT_A_REGION_PAD, end);
	if (nla_put_u8(msg, KNMT_A_REGION_CATEGORY, cat) < 0 ||
	    nla_put_u8(msg, KNMT_A_REGION_ORIGIN, origin) < 0 ||
	    nla_put_u32(msg, KNMT_A_REGION_PROT, prot) < 0)
		die("cannot build a region");
	fake_put_u64(msg, KNMT_A_REGION_RESIDENT, KNMT_A_REGION_PAD, resident);
	if (age_ns) {
		fake_put_u64(msg, KNMT_A_REGION_AGE_NS, KNMT_A_REGION_PAD, age_ns);
		fake_put_u64(msg, KNMT_A_REGION_FAULTS, KNMT_A_REGION_PAD, faults);
	}
	if (tid && nla_put_u32(msg, KNMT_A_REGION_TID, tid) < 0)
		die("cannot build a region");
	if (file) {
		if (nla_put_string(msg, KNMT_A_REGION_FILE, file) < 0)
			die("cannot build a region");
		fake_put_u64(msg, KNMT_A_REGION_PGOFF, KNMT_A_REGION_PAD, pgoff);
	}
	return msg;
}

struct nl_msg *fake_site_msg(uint64_t ip, uint64_t faults, uint8_t cat,
			     bool other)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_DUMP_FAULT_SITES);

	if (other) {
		if (nla_put_flag(msg, KNMT_A_SITE_OTHER) < 0)
			die("cannot build a site");
	} else {
		fake_put_u64(msg, KNMT_A_SITE_IP, KNMT_A_SITE_PAD, ip);
		fake_put_u64(msg, KNMT_A_SITE_BYTES, KNMT_A_SITE_PAD, faults * 4096);
		if (nla_put_u8(msg, KNMT_A_SITE_CATEGORY, cat) < 0)
			die("cannot build a site");
	}
	fake_put_u64(msg, KNMT_A_SITE_FAULTS, KNMT_A_SITE_PAD, faults);
	return msg;
}

static void put_addr(struct nl_msg *msg, int type, int port_type,
		     uint16_t family, const char *text, uint16_t port)
{
	unsigned char a[16];
	int len = family == AF_INET ? 4 : 16;

	if (!text)
		return;
	if (inet_pton(family == AF_INET ? AF_INET : AF_INET6, text, a) != 1)
		die("not an address");
	if (nla_put(msg, type, len, a) < 0 || nla_put_u16(msg, port_type, port) < 0)
		die("cannot put an address");
}

struct nl_msg *fake_sock_msg(const struct fake_sock *fs)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_DUMP_SOCKETS);
	uint32_t k = fs->k;

	put_u32(msg, KNMT_A_SOCK_PID, fs->pid);
	if (fs->comm && nla_put_string(msg, KNMT_A_SOCK_COMM, fs->comm) < 0)
		die("cannot build a socket");
	if (fs->inode)
		fake_put_u64(msg, KNMT_A_SOCK_INODE, KNMT_A_SOCK_PAD, fs->inode);
	if (fs->family && (nla_put_u16(msg, KNMT_A_SOCK_FAMILY, fs->family) < 0 ||
			   nla_put_u16(msg, KNMT_A_SOCK_TYPE, fs->type) < 0 ||
			   nla_put_u16(msg, KNMT_A_SOCK_PROTOCOL, fs->protocol) < 0))
		die("cannot build a socket");
	if (fs->state && nla_put_u8(msg, KNMT_A_SOCK_STATE, fs->state) < 0)
		die("cannot build a socket");
	put_u32(msg, KNMT_A_SOCK_FLAGS, fs->flags);
	if (fs->age_ns)
		fake_put_u64(msg, KNMT_A_SOCK_AGE_NS, KNMT_A_SOCK_PAD, fs->age_ns);
	if (fs->state_age_ns)
		fake_put_u64(msg, KNMT_A_SOCK_STATE_AGE_NS, KNMT_A_SOCK_PAD,
			     fs->state_age_ns);
	put_u32(msg, KNMT_A_SOCK_RECV_Q, fs->recv_q);
	put_u32(msg, KNMT_A_SOCK_SEND_Q, fs->send_q);
	if (k) {
		put_u32(msg, KNMT_A_SOCK_RMEM_ALLOC, 100 * k);
		put_u32(msg, KNMT_A_SOCK_RCVBUF, 1000 * k);
		put_u32(msg, KNMT_A_SOCK_WMEM_ALLOC, 200 * k);
		put_u32(msg, KNMT_A_SOCK_SNDBUF, 2000 * k);
		put_u32(msg, KNMT_A_SOCK_FWD_ALLOC, 300 * k);
		put_u32(msg, KNMT_A_SOCK_WMEM_QUEUED, 400 * k);
		put_u32(msg, KNMT_A_SOCK_RX_BYTES, 10 * k);
		put_u32(msg, KNMT_A_SOCK_TX_BYTES, 20 * k);
		put_u32(msg, KNMT_A_SOCK_MEM, 4096 * k);
	}
	put_addr(msg, KNMT_A_SOCK_LOCAL_ADDR, KNMT_A_SOCK_LOCAL_PORT, fs->family,
		 fs->local, fs->lport);
	put_addr(msg, KNMT_A_SOCK_REMOTE_ADDR, KNMT_A_SOCK_REMOTE_PORT, fs->family,
		 fs->remote, fs->rport);
	put_u32(msg, KNMT_A_SOCK_MAX + 1, 5);		/* a newer attribute */
	return msg;
}

/* ---- events ------------------------------------------------------------ */

struct nl_msg *fake_evbatch(uint64_t seq, uint32_t count, uint64_t lost)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_EVENTS);

	fake_put_u64(msg, KNMT_A_EVBATCH_SEQ, KNMT_A_EVBATCH_PAD, seq);
	put_u32(msg, KNMT_A_EVBATCH_COUNT, count);
	fake_put_u64(msg, KNMT_A_EVBATCH_LOST, KNMT_A_EVBATCH_PAD, lost);
	return msg;
}

struct nlattr *fake_ev_start(struct nl_msg *msg, uint8_t type,
			     uint64_t time_ns, uint32_t pid, uint32_t tid,
			     const char *comm)
{
	struct nlattr *nest = nla_nest_start(msg, KNMT_A_EVBATCH_EVENT);

	if (!nest || nla_put_u8(msg, KNMT_A_EV_TYPE, type) < 0)
		die("cannot build an event");
	fake_put_u64(msg, KNMT_A_EV_TIME_NS, KNMT_A_EV_PAD, time_ns);
	put_u32(msg, KNMT_A_EV_PID, pid);
	if (tid)
		put_u32(msg, KNMT_A_EV_TID, tid);
	if (comm && nla_put_string(msg, KNMT_A_EV_COMM, comm) < 0)
		die("cannot build an event");
	return nest;
}

void fake_ev_u8(struct nl_msg *msg, int type, uint8_t v)
{
	if (nla_put_u8(msg, type, v) < 0)
		die("cannot put a u8");
}

void fake_ev_u16(struct nl_msg *msg, int type, uint16_t v)
{
	if (nla_put_u16(msg, type, v) < 0)
		die("cannot put a u16");
}

void fake_ev_u32(struct nl_msg *msg, int type, uint32_t v)
{
	put_u32(msg, type, v);
}

void fake_ev_u64(struct nl_msg *msg, int type, uint64_t v)
{
	fake_put_u64(msg, type, KNMT_A_EV_PAD, v);
}

void fake_ev_faults(struct nl_msg *msg, uint8_t cat, uint64_t minor,
		    uint64_t major)
{
	struct nlattr *nest = nla_nest_start(msg, KNMT_A_EV_FAULTS);

	if (!nest || nla_put_u8(msg, KNMT_A_CAT_ID, cat) < 0)
		die("cannot build a fault summary");
	fake_put_u64(msg, KNMT_A_CAT_FAULTS_MINOR, KNMT_A_CAT_PAD, minor);
	fake_put_u64(msg, KNMT_A_CAT_FAULTS_MAJOR, KNMT_A_CAT_PAD, major);
	nla_nest_end(msg, nest);
}

void fake_ev_proc(struct nl_msg *msg, const struct fake_proc *fp)
{
	struct nlattr *nest = nla_nest_start(msg, KNMT_A_EV_PROC);

	if (!nest)
		die("cannot build an exit's process");
	fake_put_proc(msg, fp);
	nla_nest_end(msg, nest);
}

void fake_push_event(struct nl_msg *msg)
{
	struct nl_msg *one[1] = { msg };

	/* multicast: no sequence number, from the kernel (port 0) */
	nlmsg_hdr(msg)->nlmsg_seq = 0;
	nlmsg_hdr(msg)->nlmsg_pid = 0;
	fake_push_many(one, 0);		/* 0: as it is */
	nlmsg_free(msg);
}

const struct fake_proc fake_ev_exit_proc = {
	.pid = FAKE_EV_PID, .comm = "java", .k = 2,
	.flags = KNMT_PROC_F_EXITED | KNMT_PROC_F_OOM_VICTIM,
	.exit_ns = FAKE_EV_NS + 12 * FAKE_EV_STEP, .exit_code = 9,
};

struct nl_msg *fake_ev_all(uint64_t seq, uint64_t lost)
{
	struct nl_msg *msg = fake_evbatch(seq, FAKE_EV_ALL, lost);
	uint64_t t = FAKE_EV_NS;
	struct nlattr *ev;

	ev = fake_ev_start(msg, KNMT_EV_EXEC, t, FAKE_EV_PID, FAKE_EV_PID, "java");
	nla_nest_end(msg, ev);

	t += FAKE_EV_STEP;
	ev = fake_ev_start(msg, KNMT_EV_MMAP, t, FAKE_EV_PID, FAKE_EV_PID + 1, NULL);
	fake_ev_u64(msg, KNMT_A_EV_START, UINT64_C(0x7f0000000000));
	fake_ev_u64(msg, KNMT_A_EV_LEN, 1 << 20);
	fake_ev_u8(msg, KNMT_A_EV_CATEGORY, KNMT_CAT_OFFHEAP);
	fake_ev_u8(msg, KNMT_A_EV_ORIGIN, KNMT_ORIGIN_OFFHEAP);
	nla_nest_end(msg, ev);

	t += FAKE_EV_STEP;
	ev = fake_ev_start(msg, KNMT_EV_MUNMAP, t, FAKE_EV_PID, FAKE_EV_PID + 1, NULL);
	fake_ev_u64(msg, KNMT_A_EV_START, UINT64_C(0x7f0000100000));
	fake_ev_u64(msg, KNMT_A_EV_LEN, 64 << 10);
	nla_nest_end(msg, ev);

	t += FAKE_EV_STEP;
	ev = fake_ev_start(msg, KNMT_EV_MREMAP, t, FAKE_EV_PID, FAKE_EV_PID + 1, NULL);
	fake_ev_u64(msg, KNMT_A_EV_OLD_START, UINT64_C(0x7f0000200000));
	fake_ev_u64(msg, KNMT_A_EV_OLD_LEN, 4096);
	fake_ev_u64(msg, KNMT_A_EV_START, UINT64_C(0x7f0000300000));
	fake_ev_u64(msg, KNMT_A_EV_LEN, 8192);
	nla_nest_end(msg, ev);

	t += FAKE_EV_STEP;
	ev = fake_ev_start(msg, KNMT_EV_BRK, t, FAKE_EV_PID, FAKE_EV_PID, NULL);
	fake_ev_u64(msg, KNMT_A_EV_OLD_START, UINT64_C(0x5555a000));
	fake_ev_u64(msg, KNMT_A_EV_START, UINT64_C(0x5557b000));
	nla_nest_end(msg, ev);

	t += FAKE_EV_STEP;
	ev = fake_ev_start(msg, KNMT_EV_OFFHEAP_ALLOC, t, FAKE_EV_PID, FAKE_EV_PID + 2, NULL);
	fake_ev_u64(msg, KNMT_A_EV_START, UINT64_C(0x7f1000000000));
	fake_ev_u64(msg, KNMT_A_EV_LEN, 2 << 20);
	nla_nest_end(msg, ev);

	t += FAKE_EV_STEP;
	ev = fake_ev_start(msg, KNMT_EV_OFFHEAP_FREE, t, FAKE_EV_PID, FAKE_EV_PID + 2, NULL);
	fake_ev_u64(msg, KNMT_A_EV_START, UINT64_C(0x7f1000000000));
	fake_ev_u64(msg, KNMT_A_EV_LEN, 2 << 20);
	fake_ev_u64(msg, KNMT_A_EV_LIFETIME_NS, UINT64_C(2500000000));
	nla_nest_end(msg, ev);

	t += FAKE_EV_STEP;
	ev = fake_ev_start(msg, KNMT_EV_FAULTS, t, FAKE_EV_PID, 0, NULL);
	fake_ev_u64(msg, KNMT_A_EV_INTERVAL_NS, UINT64_C(1000000000));
	fake_ev_faults(msg, KNMT_CAT_OFFHEAP, 512, 3);
	fake_ev_faults(msg, KNMT_CAT_HEAP, 120, 0);
	fake_ev_faults(msg, KNMT_CAT_NR + 3, 77, 7);	/* a newer category */
	nla_nest_end(msg, ev);

	t += FAKE_EV_STEP;
	ev = fake_ev_start(msg, KNMT_EV_SOCK_OPEN, t, FAKE_EV_PID, 0, NULL);
	fake_ev_u64(msg, KNMT_A_EV_SOCK_INODE, 12345);
	fake_ev_u16(msg, KNMT_A_EV_SOCK_FAMILY, AF_INET);
	fake_ev_u16(msg, KNMT_A_EV_SOCK_TYPE, SOCK_STREAM);
	fake_ev_u16(msg, KNMT_A_EV_SOCK_PROTOCOL, IPPROTO_TCP);
	fake_ev_u32(msg, KNMT_A_EV_FLAGS, KNMT_SOCK_F_ACCEPTED);
	nla_nest_end(msg, ev);

	t += FAKE_EV_STEP;
	ev = fake_ev_start(msg, KNMT_EV_SOCK_STATE, t, FAKE_EV_PID, 0, NULL);
	fake_ev_u64(msg, KNMT_A_EV_SOCK_INODE, 12345);
	fake_ev_u8(msg, KNMT_A_EV_SOCK_OLD_STATE, 1);	/* TCP_ESTABLISHED */
	fake_ev_u8(msg, KNMT_A_EV_SOCK_STATE, 8);	/* TCP_CLOSE_WAIT */
	nla_nest_end(msg, ev);

	t += FAKE_EV_STEP;
	ev = fake_ev_start(msg, KNMT_EV_SOCK_CLOSE, t, FAKE_EV_PID, 0, NULL);
	fake_ev_u64(msg, KNMT_A_EV_SOCK_INODE, 12345);
	fake_ev_u64(msg, KNMT_A_EV_LIFETIME_NS, UINT64_C(90000000000));
	nla_nest_end(msg, ev);

	t += FAKE_EV_STEP;
	ev = fake_ev_start(msg, KNMT_EV_OOM_VICTIM, t, FAKE_EV_PID, 0, "java");
	nla_nest_end(msg, ev);

	t += FAKE_EV_STEP;
	ev = fake_ev_start(msg, KNMT_EV_EXIT, t, FAKE_EV_PID, 0, "java");
	fake_ev_u32(msg, KNMT_A_EV_EXIT_CODE, 9);	/* killed by SIGKILL */
	fake_ev_u32(msg, KNMT_A_EV_FLAGS,
		    KNMT_PROC_F_EXITED | KNMT_PROC_F_OOM_VICTIM);
	fake_ev_proc(msg, &fake_ev_exit_proc);
	fake_ev_u32(msg, KNMT_A_EV_MAX + 1, 1);		/* a newer attribute */
	nla_nest_end(msg, ev);
	return msg;
}
