/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A scripted stand-in for knmt.ko, for unit tests: libknmt's transport
 * is replaced so that every request is recorded and answered by the
 * test's responder with messages built by hand (nlmsg_alloc +
 * genlmsg_put + nla_put_*), exactly as the kernel would lay them out.
 */
#ifndef KNMT_FAKE_KERNEL_H
#define KNMT_FAKE_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netlink/msg.h>

#include "internal.h"

#define FAKE_FAMILY	0x1c
#define FAKE_GROUP	7
#define FAKE_QUEUE	64

struct fake_kernel {
	/* the last request, as sent */
	unsigned char *req;
	size_t req_len;
	uint32_t seq;
	uint32_t port;
	int nrequests;
	/* called for each request: queue the answer with fake_push*() */
	void (*respond)(const struct nlmsghdr *req);
	/* datagrams waiting to be received */
	unsigned char *q[FAKE_QUEUE];
	size_t qlen[FAKE_QUEUE];
	size_t qhead, qtail;
};

extern struct fake_kernel fake;

/* Empties the queue, forgets the last request, sets the responder. */
void fake_reset(void (*respond)(const struct nlmsghdr *req));
/* A handle wired to the fake kernel. */
struct knmt *fake_open(void);
/* knmt_open() replacement for the CLI's struct cli. */
int fake_knmt_open(struct knmt **hp);
/* knmt_open() replacement that fails as without the module. */
int fake_knmt_open_not_loaded(struct knmt **hp);

/* A reply of the family: netlink + genetlink headers, no attribute yet. */
struct nl_msg *fake_reply(uint8_t cmd);
struct nl_msg *fake_reply_version(uint8_t cmd, uint8_t version);
/* u64 the way the kernel puts it (nla_put_u64_64bit): pad first if needed. */
void fake_put_u64(struct nl_msg *msg, int type, int padtype, uint64_t v);

/* Queues msg (freed) as one datagram, seq and port of the last request. */
void fake_push(struct nl_msg *msg);
/* Same with a chosen sequence number. */
void fake_push_seq(struct nl_msg *msg, uint32_t seq);
/* Queues several messages in one datagram (a multi-part dump). */
void fake_push_many(struct nl_msg **msgs, size_t n);
/*
 * Queues an NLMSG_ERROR answering the last request: error is a negative
 * errno or 0 (ACK); extack may be NULL; offs < 0 for none; capped as the
 * kernel does with NETLINK_CAP_ACK (always for an ACK).
 */
void fake_push_error(int error, const char *extack, long offs, bool capped);
void fake_push_ack(void);
/* NLMSG_DONE ending a dump, with an error and extack text. */
void fake_push_done(int error, const char *extack);

/*
 * Builds an NLMSG_ERROR into buf (for the extack parser's tests) the way
 * netlink_ack() does.  Returns its length.
 */
size_t fake_build_error(unsigned char *buf, size_t size,
			const struct nlmsghdr *req, int error,
			const char *extack, long offs, bool capped);

/* The standard status reply of these tests: every attribute, nhooks hooks. */
struct nl_msg *fake_status_msg(size_t nhooks);

/*
 * A process message as the module lays it out.  Values derive from k so
 * that tests can predict them (see fake_kernel.c); categories come in
 * reverse order, followed by one of an id this library does not know.
 */
struct fake_proc {
	uint32_t pid;
	const char *comm;
	uint32_t flags;
	uint64_t k;			/* scale of every value, >= 1 */
	const uint64_t *resident;	/* KNMT_CAT_NR values, or NULL */
	bool no_sample;			/* no categories, RSS, threads, ... */
	bool no_offheap;		/* not tracked: no KNMT_A_PROC_OFFHEAP */
	uint64_t exit_ns;		/* an exit record when not 0 */
	uint32_t exit_code;
};

#define FAKE_MIB		(UINT64_C(1) << 20)
#define FAKE_START_NS		UINT64_C(5000000000)	/* 5 s after boot */
#define FAKE_SAMPLED_NS		UINT64_C(1000000000000)	/* 1000 s after boot */

/* What fake_proc_msg() sends for category c of a process of scale k. */
uint64_t fake_resident(const struct fake_proc *fp, unsigned int c);
uint64_t fake_mapped(const struct fake_proc *fp, unsigned int c);

struct nl_msg *fake_proc_msg(uint8_t cmd, const struct fake_proc *fp);

/* A DUMP_REGIONS message; file may be NULL, age_ns 0 for none, tid 0 too. */
struct nl_msg *fake_region_msg(uint64_t start, uint64_t end, uint8_t cat,
			       uint8_t origin, uint32_t prot, uint64_t resident,
			       uint64_t age_ns, uint64_t faults, uint32_t tid,
			       const char *file, uint64_t pgoff);

/* A DUMP_FAULT_SITES message; other: the "other" one (ip, bytes, cat unused). */
struct nl_msg *fake_site_msg(uint64_t ip, uint64_t faults, uint8_t cat,
			     bool other);

#endif /* KNMT_FAKE_KERNEL_H */
