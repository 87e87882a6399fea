// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Events: the batches of KNMT_CMD_EVENTS decoded (every type, what each
 * carries, the exit's process, fault summaries, attributes and types of
 * a newer module), the loss accountant (gaps in the numbering against
 * the batches' LOST, ENOBUFS, a module loaded again), reading (as many
 * batches as are queued or one, a function stopping or failing),
 * malformed batches, the socket asking for broadcast errors, and joining
 * the group without the capability.
 */
#include <errno.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cmocka.h>

#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>

#include "fake_kernel.h"

/* What the function of knmt_events_read() was handed. */
#define MAX_SEEN 64
static struct {
	struct knmt_event ev[MAX_SEEN];
	struct knmt_event_batch b[MAX_SEEN];
	bool null[MAX_SEEN];		/* a batch of losses only */
	size_t n;
	size_t stop_after;		/* KNMT_EVENTS_STOP after that many */
	int fail_with;			/* returned at the first event */
} seen;

static int collect(const struct knmt_event *e, const struct knmt_event_batch *b,
		   void *arg)
{
	(void)arg;
	assert_true(seen.n < MAX_SEEN);
	seen.null[seen.n] = !e;
	if (e)
		seen.ev[seen.n] = *e;
	seen.b[seen.n] = *b;
	seen.n++;
	if (seen.fail_with)
		return seen.fail_with;
	if (seen.stop_after && seen.n == seen.stop_after)
		return KNMT_EVENTS_STOP;
	return 0;
}

struct sub {
	struct knmt *h;
	struct knmt_events *ev;
	struct knmt_event_loss loss;
};

static struct sub sub;

static int setup(void **state)
{
	(void)state;
	memset(&seen, 0, sizeof(seen));
	fake_reset(NULL);
	sub.h = fake_open();
	assert_int_equal(knmt_events_open(sub.h, &sub.ev), 0);
	assert_int_equal(fake.joined, FAKE_GROUP);
	assert_int_equal(knmt_events_nonblock(sub.ev, true), 0);
	knmt_event_loss_init(&sub.loss);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	knmt_events_close(sub.ev);
	knmt_close(sub.h);
	memset(&sub, 0, sizeof(sub));
	fake_reset(NULL);
	return 0;
}

static int read_all(void)
{
	return knmt_events_read(sub.ev, &sub.loss, collect, NULL);
}

/* A batch of n exec events of pid 100 + i. */
static struct nl_msg *execs(uint64_t seq, uint32_t n, uint64_t lost)
{
	struct nl_msg *msg = fake_evbatch(seq, n, lost);
	uint32_t i;

	for (i = 0; i < n; i++)
		nla_nest_end(msg, fake_ev_start(msg, KNMT_EV_EXEC,
						FAKE_EV_NS + i, 100 + i, 100 + i,
						"sh"));
	return msg;
}

/* ---- names ------------------------------------------------------------- */

static void test_type_names(void **state)
{
	static const char *const names[KNMT_EV_NR] = {
		"exec", "exit", "oom_victim", "mmap", "munmap", "mremap", "brk",
		"offheap_alloc", "offheap_free", "faults", "sock_open",
		"sock_close", "sock_state",
	};
	unsigned int t;

	(void)state;
	for (t = 0; t < KNMT_EV_NR; t++) {
		assert_string_equal(knmt_event_type_name(t), names[t]);
		assert_int_equal(knmt_event_type_from_name(names[t]), (int)t);
	}
	assert_null(knmt_event_type_name(KNMT_EV_NR));
	assert_null(knmt_event_type_name(255));
	assert_int_equal(knmt_event_type_from_name("Exec"), -1);
	assert_int_equal(knmt_event_type_from_name("oom-victim"), -1);
	assert_int_equal(knmt_event_type_from_name(""), -1);
	assert_int_equal(knmt_event_type_from_name(NULL), -1);
}

/* ---- decoding ----------------------------------------------------------- */

static void test_decode_every_type(void **state)
{
	const struct knmt_event *e = seen.ev;
	uint64_t common = KNMT_BIT(KNMT_A_EV_TYPE) | KNMT_BIT(KNMT_A_EV_TIME_NS) |
			  KNMT_BIT(KNMT_A_EV_PID);
	size_t i;

	(void)state;
	fake_push_event(fake_ev_all(500, 0));
	assert_int_equal(read_all(), FAKE_EV_ALL);
	assert_int_equal(seen.n, FAKE_EV_ALL);
	for (i = 0; i < FAKE_EV_ALL; i++) {
		assert_false(seen.null[i]);
		assert_int_equal(e[i].seq, 500 + i);
		assert_int_equal(e[i].pid, FAKE_EV_PID);
		assert_true(e[i].time_ns == FAKE_EV_NS + i * FAKE_EV_STEP);
		assert_int_equal(seen.b[i].seq, 500);
		assert_int_equal(seen.b[i].count, FAKE_EV_ALL);
		assert_int_equal(seen.b[i].index, i);
		assert_int_equal(seen.b[i].lost, 0);
		assert_int_equal(seen.b[i].gap, 0);
	}

	assert_int_equal(e[0].type, KNMT_EV_EXEC);
	assert_int_equal(e[0].tid, FAKE_EV_PID);
	assert_string_equal(e[0].comm, "java");
	assert_true(e[0].present == (common | KNMT_BIT(KNMT_A_EV_TID) |
				     KNMT_BIT(KNMT_A_EV_COMM)));

	assert_int_equal(e[1].type, KNMT_EV_MMAP);
	assert_int_equal(e[1].tid, FAKE_EV_PID + 1);
	assert_string_equal(e[1].comm, "");
	assert_false(KNMT_HAS(&e[1], KNMT_A_EV_COMM));
	assert_true(e[1].start == UINT64_C(0x7f0000000000));
	assert_int_equal(e[1].len, 1 << 20);
	assert_int_equal(e[1].category, KNMT_CAT_OFFHEAP);
	assert_int_equal(e[1].origin, KNMT_ORIGIN_OFFHEAP);
	assert_true(KNMT_HAS(&e[1], KNMT_A_EV_CATEGORY));
	assert_true(KNMT_HAS(&e[1], KNMT_A_EV_ORIGIN));

	assert_int_equal(e[2].type, KNMT_EV_MUNMAP);
	assert_true(e[2].start == UINT64_C(0x7f0000100000));
	assert_int_equal(e[2].len, 64 << 10);
	assert_false(KNMT_HAS(&e[2], KNMT_A_EV_CATEGORY));

	assert_int_equal(e[3].type, KNMT_EV_MREMAP);
	assert_true(e[3].old_start == UINT64_C(0x7f0000200000));
	assert_int_equal(e[3].old_len, 4096);
	assert_true(e[3].start == UINT64_C(0x7f0000300000));
	assert_int_equal(e[3].len, 8192);

	assert_int_equal(e[4].type, KNMT_EV_BRK);
	assert_true(e[4].old_start == UINT64_C(0x5555a000));
	assert_true(e[4].start == UINT64_C(0x5557b000));
	assert_false(KNMT_HAS(&e[4], KNMT_A_EV_LEN));

	assert_int_equal(e[5].type, KNMT_EV_OFFHEAP_ALLOC);
	assert_int_equal(e[5].tid, FAKE_EV_PID + 2);
	assert_int_equal(e[5].len, 2 << 20);
	assert_int_equal(e[6].type, KNMT_EV_OFFHEAP_FREE);
	assert_true(e[6].lifetime_ns == UINT64_C(2500000000));

	assert_int_equal(e[7].type, KNMT_EV_FAULTS);
	assert_false(KNMT_HAS(&e[7], KNMT_A_EV_TID));
	assert_true(e[7].interval_ns == UINT64_C(1000000000));
	/* the newer category is left out */
	assert_int_equal(e[7].faults_present,
			 (1U << KNMT_CAT_HEAP) | (1U << KNMT_CAT_OFFHEAP));
	assert_int_equal(e[7].faults_minor[KNMT_CAT_OFFHEAP], 512);
	assert_int_equal(e[7].faults_major[KNMT_CAT_OFFHEAP], 3);
	assert_int_equal(e[7].faults_minor[KNMT_CAT_HEAP], 120);
	assert_int_equal(e[7].faults_major[KNMT_CAT_HEAP], 0);
	assert_int_equal(e[7].faults_minor[KNMT_CAT_FILE], 0);

	assert_int_equal(e[8].type, KNMT_EV_SOCK_OPEN);
	assert_int_equal(e[8].sock_inode, 12345);
	assert_int_equal(e[8].sock_family, AF_INET);
	assert_int_equal(e[8].sock_type, SOCK_STREAM);
	assert_int_equal(e[8].sock_protocol, IPPROTO_TCP);
	assert_int_equal(e[8].flags, KNMT_SOCK_F_ACCEPTED);

	assert_int_equal(e[9].type, KNMT_EV_SOCK_STATE);
	assert_int_equal(e[9].sock_old_state, 1);
	assert_int_equal(e[9].sock_state, 8);
	assert_int_equal(e[10].type, KNMT_EV_SOCK_CLOSE);
	assert_true(e[10].lifetime_ns == UINT64_C(90000000000));

	assert_int_equal(e[11].type, KNMT_EV_OOM_VICTIM);
	assert_string_equal(e[11].comm, "java");

	assert_int_equal(e[12].type, KNMT_EV_EXIT);
	assert_string_equal(e[12].comm, "java");
	assert_int_equal(e[12].exit_code, 9);
	assert_int_equal(e[12].flags, KNMT_PROC_F_EXITED | KNMT_PROC_F_OOM_VICTIM);
	/* the process, as a GET_PROC reply */
	assert_true(KNMT_HAS(&e[12], KNMT_A_EV_PROC));
	assert_int_equal(e[12].proc.pid, FAKE_EV_PID);
	assert_string_equal(e[12].proc.comm, "java");
	assert_true(e[12].proc.categories[KNMT_CAT_OFFHEAP].resident ==
		    fake_resident(&fake_ev_exit_proc, KNMT_CAT_OFFHEAP));
	assert_true(e[12].proc.exit_ns == fake_ev_exit_proc.exit_ns);
	assert_int_equal(e[12].proc.offheap.lifetime_present,
			 (1U << KNMT_LIFETIME_BUCKETS) - 1);
	/* nothing else has one */
	for (i = 0; i < 12; i++)
		assert_int_equal(e[i].proc.present, 0);

	assert_int_equal(sub.loss.events, FAKE_EV_ALL);
	assert_int_equal(sub.loss.batches, 1);
	assert_true(sub.loss.next_seq == 500 + FAKE_EV_ALL);
	assert_int_equal(knmt_event_loss_total(&sub.loss), 0);
}

static void test_decode_newer_module(void **state)
{
	struct nl_msg *msg = fake_evbatch(7, 2, 0);
	struct nlattr *ev;

	(void)state;
	/* a type this library does not know, with an attribute it does not
	 * know either; then a known one */
	ev = fake_ev_start(msg, KNMT_EV_NR + 5, FAKE_EV_NS, 1, 0, NULL);
	fake_ev_u64(msg, KNMT_A_EV_MAX + 3, 42);
	nla_nest_end(msg, ev);
	nla_nest_end(msg, fake_ev_start(msg, KNMT_EV_EXEC, FAKE_EV_NS, 2, 2, "x"));
	/* and an attribute of the batch */
	assert_int_equal(nla_put_u32(msg, KNMT_A_EVBATCH_MAX + 1, 5), 0);
	fake_push_event(msg);
	/* a message of another command on the group is not a batch */
	fake_push_event(fake_status_msg(0));
	assert_int_equal(read_all(), 2);
	assert_int_equal(seen.ev[0].type, KNMT_EV_NR + 5);
	assert_int_equal(seen.ev[0].seq, 7);
	assert_int_equal(seen.ev[1].type, KNMT_EV_EXEC);
	assert_int_equal(seen.ev[1].seq, 8);
	assert_int_equal(sub.loss.batches, 1);
}

/* ---- losses ------------------------------------------------------------- */

static void test_accountant(void **state)
{
	struct knmt_event_loss l;

	(void)state;
	knmt_event_loss_init(&l);
	assert_false(l.started);
	/* the first batch: what came before was not ours to see */
	assert_int_equal(knmt_event_loss_batch(&l, 1000, 5, 0), 0);
	assert_true(l.started);
	assert_int_equal(l.next_seq, 1005);
	assert_int_equal(knmt_event_loss_batch(&l, 1005, 3, 2), 0);
	/* 1008 .. 1019 never came: 12 not delivered, 7 dropped by the rings */
	assert_int_equal(knmt_event_loss_batch(&l, 1020, 2, 7), 12);
	/* a batch with no event, only losses */
	assert_int_equal(knmt_event_loss_batch(&l, 1022, 0, 4), 0);
	assert_int_equal(knmt_event_loss_batch(&l, 1025, 1, 0), 3);
	assert_int_equal(l.batches, 5);
	assert_int_equal(l.events, 11);
	assert_int_equal(l.lost_ring, 13);
	assert_int_equal(l.lost_gaps, 15);
	assert_int_equal(knmt_event_loss_total(&l), 28);
	assert_int_equal(l.restarts, 0);
	/* numbered from the start again: the module was loaded again */
	assert_int_equal(knmt_event_loss_batch(&l, 0, 4, 0), 0);
	assert_int_equal(l.restarts, 1);
	assert_int_equal(l.next_seq, 4);
	assert_int_equal(knmt_event_loss_batch(&l, 6, 1, 0), 2);
	assert_int_equal(l.lost_gaps, 17);
	assert_int_equal(l.enobufs, 0);
}

static void test_read_gaps_enobufs_lost(void **state)
{
	(void)state;
	fake_push_event(execs(0, 3, 0));
	/* the batch 3 .. 9 was not delivered: the socket said ENOBUFS */
	fake_push_enobufs();
	fake_push_event(execs(10, 2, 4));	/* 4 dropped by the rings */
	fake_push_event(fake_evbatch(12, 0, 5));	/* losses only */
	fake_push_event(fake_evbatch(12, 0, 0));	/* nothing at all */
	fake_push_event(execs(12, 1, 0));
	assert_int_equal(read_all(), 6);
	/* 3 + 2 events, one batch of losses, 1 event */
	assert_int_equal(seen.n, 7);
	assert_int_equal(seen.b[2].gap, 0);
	assert_int_equal(seen.ev[3].seq, 10);
	assert_int_equal(seen.b[3].gap, 7);
	assert_int_equal(seen.b[3].lost, 4);
	assert_int_equal(seen.b[3].index, 0);
	assert_int_equal(seen.b[4].gap, 7);	/* the batch's, for each event */
	assert_int_equal(seen.b[4].index, 1);
	assert_true(seen.null[5]);
	assert_int_equal(seen.b[5].lost, 5);
	assert_int_equal(seen.b[5].gap, 0);
	assert_int_equal(seen.b[5].count, 0);
	assert_false(seen.null[6]);
	assert_int_equal(seen.ev[6].seq, 12);

	assert_int_equal(sub.loss.events, 6);
	assert_int_equal(sub.loss.batches, 5);
	assert_int_equal(sub.loss.lost_ring, 9);
	assert_int_equal(sub.loss.lost_gaps, 7);
	assert_int_equal(sub.loss.enobufs, 1);
	assert_int_equal(knmt_event_loss_total(&sub.loss), 16);
	assert_int_equal(knmt_last_error(sub.h), KNMT_OK);

	/* nothing queued */
	assert_int_equal(read_all(), 0);
	assert_int_equal(seen.n, 7);
}

/* A controller message of the family going: rmmod under a reader. */
static struct nl_msg *ctrl_delfamily(uint16_t family)
{
	struct nl_msg *msg = nlmsg_alloc();

	assert_non_null(genlmsg_put(msg, 0, 0, GENL_ID_CTRL, 0, 0,
				    CTRL_CMD_DELFAMILY, 2));
	assert_int_equal(nla_put_u16(msg, CTRL_ATTR_FAMILY_ID, family), 0);
	assert_int_equal(nla_put_string(msg, CTRL_ATTR_FAMILY_NAME,
					family == FAKE_FAMILY ? "knmt" : "other"),
			 0);
	return msg;
}

static void test_module_unloaded(void **state)
{
	(void)state;
	/* another family going is none of the reader's business */
	fake_push_event(execs(0, 2, 0));
	fake_push_event(ctrl_delfamily(FAKE_FAMILY + 1));
	assert_int_equal(read_all(), 2);
	assert_int_equal(knmt_last_error(sub.h), KNMT_OK);
	/* knmt going ends the stream: the module is not loaded */
	fake_push_event(ctrl_delfamily(FAKE_FAMILY));
	assert_int_equal(read_all(), -KNMT_E_NOT_LOADED);
	assert_non_null(strstr(knmt_strerror(sub.h), "unloaded"));
}

/* Without non-blocking, one batch per read (the next would wait). */
static void test_read_blocking_one_batch(void **state)
{
	(void)state;
	assert_int_equal(knmt_events_nonblock(sub.ev, false), 0);
	fake_push_event(execs(0, 2, 0));
	fake_push_event(execs(2, 3, 0));
	assert_int_equal(read_all(), 2);
	assert_int_equal(read_all(), 3);
	/* an ENOBUFS first: the read goes on to the batch after it */
	fake_push_enobufs();
	fake_push_event(execs(9, 1, 0));
	assert_int_equal(read_all(), 1);
	assert_int_equal(sub.loss.enobufs, 1);
	assert_int_equal(sub.loss.lost_gaps, 4);
}

static void test_read_stop_and_fail(void **state)
{
	(void)state;
	fake_push_event(execs(0, 4, 0));
	fake_push_event(execs(4, 1, 0));
	seen.stop_after = 2;
	assert_int_equal(read_all(), 2);
	/* the rest of that batch is not handed over, but was counted */
	assert_int_equal(sub.loss.events, 4);
	seen.stop_after = 0;
	assert_int_equal(read_all(), 1);
	assert_int_equal(seen.ev[2].seq, 4);
	assert_int_equal(sub.loss.lost_gaps, 0);

	fake_push_event(execs(5, 2, 0));
	seen.fail_with = -KNMT_E_NOMEM;
	assert_int_equal(read_all(), -KNMT_E_NOMEM);
	assert_int_equal(knmt_last_error(sub.h), KNMT_E_NOMEM);

	/* a value that is not a KNMT_E_* is made one */
	fake_push_event(execs(7, 1, 0));
	seen.fail_with = -1000;
	assert_int_equal(read_all(), -KNMT_E_INVAL);

	assert_int_equal(knmt_events_read(sub.ev, NULL, collect, NULL),
			 -KNMT_E_INVAL);
	assert_int_equal(knmt_events_read(sub.ev, &sub.loss, NULL, NULL),
			 -KNMT_E_INVAL);
}

/* ---- malformed batches --------------------------------------------------- */

static void expect_proto(struct nl_msg *msg, const char *what)
{
	fake_push_event(msg);
	assert_int_equal(read_all(), -KNMT_E_PROTO);
	assert_int_equal(knmt_last_error(sub.h), KNMT_E_PROTO);
	if (!strstr(knmt_strerror(sub.h), what))
		fail_msg("\"%s\" does not name %s", knmt_strerror(sub.h), what);
}

static void test_malformed(void **state)
{
	struct nl_msg *msg;
	struct nlattr *ev;

	(void)state;
	/* COUNT says 3, 2 come: refused, its numbers still count */
	msg = fake_evbatch(100, 3, 0);
	nla_nest_end(msg, fake_ev_start(msg, KNMT_EV_EXEC, 1, 1, 1, NULL));
	nla_nest_end(msg, fake_ev_start(msg, KNMT_EV_EXEC, 2, 1, 1, NULL));
	expect_proto(msg, "batch 100: KNMT_A_EVBATCH_COUNT is 3, the batch carries 2 events");
	assert_int_equal(seen.n, 0);
	assert_int_equal(sub.loss.batches, 1);
	assert_int_equal(sub.loss.next_seq, 103);
	/* and the other way round */
	msg = fake_evbatch(103, 0, 0);
	nla_nest_end(msg, fake_ev_start(msg, KNMT_EV_EXEC, 1, 1, 1, NULL));
	expect_proto(msg, "KNMT_A_EVBATCH_COUNT is 0, the batch carries 1 events");
	/* the stream goes on */
	fake_push_event(execs(103, 1, 0));
	assert_int_equal(read_all(), 1);
	assert_int_equal(sub.loss.lost_gaps, 0);

	/* no SEQ */
	msg = fake_reply(KNMT_CMD_EVENTS);
	fake_ev_u32(msg, KNMT_A_EVBATCH_COUNT, 0);
	expect_proto(msg, "KNMT_A_EVBATCH_SEQ");

	/* COUNT of the wrong size */
	msg = fake_reply(KNMT_CMD_EVENTS);
	fake_ev_u64(msg, KNMT_A_EVBATCH_SEQ, 1);
	fake_ev_u64(msg, KNMT_A_EVBATCH_COUNT, 0);
	expect_proto(msg, "KNMT_A_EVBATCH_COUNT");

	/* an event without its type */
	msg = fake_evbatch(200, 1, 0);
	ev = nla_nest_start(msg, KNMT_A_EVBATCH_EVENT);
	fake_ev_u32(msg, KNMT_A_EV_PID, 5);
	nla_nest_end(msg, ev);
	expect_proto(msg, "KNMT_A_EV_TYPE");
	assert_non_null(strstr(knmt_strerror(sub.h), "event 200"));

	/* a pid of 8 bytes */
	msg = fake_evbatch(300, 1, 0);
	ev = nla_nest_start(msg, KNMT_A_EVBATCH_EVENT);
	fake_ev_u8(msg, KNMT_A_EV_TYPE, KNMT_EV_EXEC);
	fake_ev_u64(msg, KNMT_A_EV_PID, 5);
	nla_nest_end(msg, ev);
	expect_proto(msg, "KNMT_A_EV_PID");

	/* a comm without its NUL */
	msg = fake_evbatch(400, 1, 0);
	ev = nla_nest_start(msg, KNMT_A_EVBATCH_EVENT);
	fake_ev_u8(msg, KNMT_A_EV_TYPE, KNMT_EV_EXEC);
	assert_int_equal(nla_put(msg, KNMT_A_EV_COMM, 4, "java"), 0);
	nla_nest_end(msg, ev);
	expect_proto(msg, "KNMT_A_EV_COMM");

	/* an exit whose process has no pid */
	msg = fake_evbatch(500, 1, 0);
	ev = fake_ev_start(msg, KNMT_EV_EXIT, 1, 5, 0, "x");
	{
		struct nlattr *p = nla_nest_start(msg, KNMT_A_EV_PROC);

		assert_int_equal(nla_put_string(msg, KNMT_A_PROC_COMM, "x"), 0);
		nla_nest_end(msg, p);
	}
	nla_nest_end(msg, ev);
	expect_proto(msg, "KNMT_A_EV_PROC");
	assert_non_null(strstr(knmt_strerror(sub.h), "KNMT_A_PROC_PID"));

	/* a fault summary without its category */
	msg = fake_evbatch(600, 1, 0);
	ev = fake_ev_start(msg, KNMT_EV_FAULTS, 1, 5, 0, NULL);
	{
		struct nlattr *f = nla_nest_start(msg, KNMT_A_EV_FAULTS);

		fake_put_u64(msg, KNMT_A_CAT_FAULTS_MINOR, KNMT_A_CAT_PAD, 1);
		nla_nest_end(msg, f);
	}
	nla_nest_end(msg, ev);
	expect_proto(msg, "KNMT_A_CAT_ID");

	/* another protocol version */
	msg = fake_reply_version(KNMT_CMD_EVENTS, KNMT_GENL_VERSION + 1);
	fake_push_event(msg);
	assert_int_equal(read_all(), -KNMT_E_VERSION);
}

/* ---- the subscription ------------------------------------------------------ */

/* The module learns of undelivered batches only from such listeners. */
static void test_broadcast_error(void **state)
{
	int v = 0;
	socklen_t len = sizeof(v);

	(void)state;
	assert_int_equal(getsockopt(knmt_events_fd(sub.ev), SOL_NETLINK,
				    NETLINK_BROADCAST_ERROR, &v, &len), 0);
	assert_int_equal(v, 1);
}

static void test_open_without_capability(void **state)
{
	struct knmt_events *ev = NULL;

	(void)state;
	fake.join_error = -NLE_PERM;
	assert_int_equal(knmt_events_open(sub.h, &ev), -KNMT_E_PERM);
	assert_null(ev);
	assert_int_equal(knmt_last_error(sub.h), KNMT_E_PERM);
	assert_int_equal(knmt_kernel_errno(sub.h), EPERM);
	assert_non_null(strstr(knmt_strerror(sub.h), "CAP_SYS_ADMIN"));

	fake.join_error = -NLE_NOACCESS;
	assert_int_equal(knmt_events_open(sub.h, &ev), -KNMT_E_PERM);
	assert_int_equal(knmt_kernel_errno(sub.h), EACCES);

	fake.join_error = -NLE_INVAL;
	assert_int_equal(knmt_events_open(sub.h, &ev), -KNMT_E_SOCKET);
	assert_non_null(strstr(knmt_strerror(sub.h), "cannot join the events group"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_accountant),
		cmocka_unit_test_setup_teardown(test_decode_every_type, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decode_newer_module, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_gaps_enobufs_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_blocking_one_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_module_unloaded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_stop_and_fail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_broadcast_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_without_capability, setup, teardown),
	};

	return cmocka_run_group_tests_name("events", tests, NULL, NULL);
}
