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
	/* the events group: what joining it answers (0, -NLE_PERM), the
	 * group joined */
	int join_error;
	uint32_t joined;
	/* datagrams waiting to be received (NULL: recv fails, ENOBUFS) */
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
/*
 * Queues a failed receive: recvmsg()'s ENOBUFS, the kernel's word that
 * messages were dropped for the socket.
 */
void fake_push_enobufs(void);
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

/*
 * The standard status reply of these tests: every attribute, nhooks
 * hooks; event drops: exec 0, mmap FAKE_DROPS_MMAP, faults
 * FAKE_DROPS_FAULTS, the other types not sent, and a type of a newer
 * module; FAKE_UNDELIVERED events undelivered; listeners 1.  Hook i's
 * runs take 100 * (i + 1) ns, 10 + i of them timed (none for the
 * unavailable ones, i % 3 == 2); one run in 64 is timed.  Memory:
 * processes 24576 bytes for 12 records of 1800, threads 16384 for 32
 * of 320, regions 8192 for 40 of 104, sockets 4096 for 0 of 120, events
 * 65536 without records.
 */
#define FAKE_MEM_KINDS		5
#define FAKE_DROPS_MMAP		30
#define FAKE_DROPS_FAULTS	9
#define FAKE_UNDELIVERED	250
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
	bool sockets;			/* send KNMT_A_PROC_SOCKETS (below) */
	uint64_t start_ns;		/* 0: FAKE_START_NS */
};

#define FAKE_MIB		(UINT64_C(1) << 20)
#define FAKE_START_NS		UINT64_C(5000000000)	/* 5 s after boot */
#define FAKE_SAMPLED_NS		UINT64_C(1000000000000)	/* 1000 s after boot */

/* What fake_proc_msg() sends for category c of a process of scale k. */
uint64_t fake_resident(const struct fake_proc *fp, unsigned int c);
uint64_t fake_mapped(const struct fake_proc *fp, unsigned int c);

/*
 * KNMT_A_PROC_SOCKETS of a process of scale k (fake_proc.sockets), in
 * the module's layout, with entries a newer module would add (ignored):
 *   open 6k; family inet k, inet6 2k, unix 3k, other 0 (+ a 5th family);
 *   TCP states: established k, close_wait 1, listen 1, no other entry
 *   (+ a 13th state); close-wait age 300 s; oldest age k x 3723 s;
 *   rx queued k KiB, tx queued 2k KiB, mem k x 64 KiB; opened 100k,
 *   accepted 40k, closed 94k, orphans 1, destroyed 93k, untracked 2;
 *   lifetime bucket i: 10 i + k (+ a 13th bucket); open rate 1500k,
 *   close rate 1250k (per second x 1000).
 */
#define FAKE_SOCKS_MEM(k)	((uint64_t)(k) * 64 * 1024)

struct nl_msg *fake_proc_msg(uint8_t cmd, const struct fake_proc *fp);
/* Its attributes only, into msg (a nest being built, or a message). */
void fake_put_proc(struct nl_msg *msg, const struct fake_proc *fp);

/* A DUMP_REGIONS message; file may be NULL, age_ns 0 for none, tid 0 too. */
struct nl_msg *fake_region_msg(uint64_t start, uint64_t end, uint8_t cat,
			       uint8_t origin, uint32_t prot, uint64_t resident,
			       uint64_t age_ns, uint64_t faults, uint32_t tid,
			       const char *file, uint64_t pgoff);

/* A DUMP_FAULT_SITES message; other: the "other" one (ip, bytes, cat unused). */
struct nl_msg *fake_site_msg(uint64_t ip, uint64_t faults, uint8_t cat,
			     bool other);

/*
 * A DUMP_SOCKETS message.  Attributes left 0 / NULL are not sent (the
 * pid always is); the buffers derive from k: rmem_alloc 100k, rcvbuf
 * 1000k, wmem_alloc 200k, sndbuf 2000k, fwd_alloc 300k, wmem_queued
 * 400k, rx_bytes 10k, tx_bytes 20k, mem 4096k (none when k is 0).
 * Addresses are text for inet_pton() of family (AF_INET: 4 bytes,
 * else 16); a port is sent with its address.
 */
struct fake_sock {
	uint32_t pid;
	const char *comm;
	uint64_t inode;
	uint16_t family, type, protocol;
	uint8_t state;			/* TCP_*; 0: not sent */
	uint32_t flags;			/* KNMT_SOCK_F_*, always sent */
	uint64_t age_ns;
	uint64_t state_age_ns;
	uint32_t recv_q, send_q;
	uint32_t k;
	const char *local, *remote;
	uint16_t lport, rport;
};

struct nl_msg *fake_sock_msg(const struct fake_sock *fs);

/*
 * Events: a batch (KNMT_CMD_EVENTS) of count events numbered from seq,
 * with LOST; each event is a nest begun with fake_ev_start() (TYPE,
 * TIME_NS and PID, TID unless 0, COMM unless NULL), given its attributes
 * with fake_ev_*() and ended with nla_nest_end().  fake_push_event()
 * queues the batch as a multicast datagram.
 */
struct nl_msg *fake_evbatch(uint64_t seq, uint32_t count, uint64_t lost);
struct nlattr *fake_ev_start(struct nl_msg *msg, uint8_t type,
			     uint64_t time_ns, uint32_t pid, uint32_t tid,
			     const char *comm);
void fake_ev_u8(struct nl_msg *msg, int type, uint8_t v);
void fake_ev_u16(struct nl_msg *msg, int type, uint16_t v);
void fake_ev_u32(struct nl_msg *msg, int type, uint32_t v);
void fake_ev_u64(struct nl_msg *msg, int type, uint64_t v);
/* A KNMT_A_EV_FAULTS nest: category cat (ID, FAULTS_MINOR, FAULTS_MAJOR). */
void fake_ev_faults(struct nl_msg *msg, uint8_t cat, uint64_t minor,
		    uint64_t major);
/* KNMT_A_EV_PROC: the process attributes of fake_proc_msg(). */
void fake_ev_proc(struct nl_msg *msg, const struct fake_proc *fp);
void fake_push_event(struct nl_msg *msg);

/*
 * A batch of FAKE_EV_ALL events, one of each type, of process
 * FAKE_EV_PID ("java"), FAKE_EV_STEP apart from FAKE_EV_NS, in this
 * order:
 *   exec (tid pid, comm java);
 *   mmap (tid pid+1) 0x7f0000000000 1 MiB offheap, origin offheap;
 *   munmap (tid pid+1) 0x7f0000100000 64 KiB;
 *   mremap (tid pid+1) 0x7f0000200000 4 KiB -> 0x7f0000300000 8 KiB;
 *   brk (tid pid) 0x5555a000 -> 0x5557b000;
 *   offheap_alloc (tid pid+2) 0x7f1000000000 2 MiB;
 *   offheap_free (tid pid+2) 0x7f1000000000 2 MiB after 2.5 s;
 *   faults over 1 s: offheap 512 minor 3 major, heap 120 minor 0 major
 *     (and a category of a newer module);
 *   sock_open inode 12345 AF_INET SOCK_STREAM IPPROTO_TCP, accepted;
 *   sock_state inode 12345 TCP_ESTABLISHED -> TCP_CLOSE_WAIT;
 *   sock_close inode 12345 after 90 s;
 *   oom_victim (comm java);
 *   exit (comm java) code 9 (SIGKILL), flags exited + oom_victim, the
 *     process fake_ev_exit_proc (and an attribute of a newer module).
 * No event but these three carries a comm.
 */
#define FAKE_EV_ALL	13
#define FAKE_EV_PID	4242
#define FAKE_EV_NS	UINT64_C(2000000000000)	/* 2000 s after boot */
#define FAKE_EV_STEP	UINT64_C(1500000)	/* 1.5 ms */
extern const struct fake_proc fake_ev_exit_proc;
struct nl_msg *fake_ev_all(uint64_t seq, uint64_t lost);

#endif /* KNMT_FAKE_KERNEL_H */
