// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The request machinery of libknmt against the fake kernel: replies,
 * ACKs, kernel errors with extack, dumps, stale messages, bad replies.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "fake_kernel.h"

static struct knmt *h;

static int setup(void **state)
{
	(void)state;
	fake_reset(NULL);
	h = fake_open();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	knmt_close(h);
	fake_reset(NULL);
	return 0;
}

static const struct genlmsghdr *req_genl(void)
{
	return NLMSG_DATA((struct nlmsghdr *)fake.req);
}

/* ---- GET_STATUS ---------------------------------------------------- */

static void answer_status(const struct nlmsghdr *req)
{
	(void)req;
	fake_push(fake_status_msg(4));
	fake_push_ack();
}

static void test_get_status(void **state)
{
	struct knmt_status st;
	const struct nlmsghdr *req;

	(void)state;
	fake_reset(answer_status);
	assert_int_equal(knmt_get_status(h, &st), 0);
	assert_int_equal(knmt_last_error(h), KNMT_OK);
	assert_int_equal(st.n_hooks, 4);
	assert_string_equal(st.version, "0.1.0");

	req = (const struct nlmsghdr *)fake.req;
	assert_int_equal(req->nlmsg_type, FAKE_FAMILY);
	assert_int_equal(req->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(req_genl()->cmd, KNMT_CMD_GET_STATUS);
	assert_int_equal(req_genl()->version, KNMT_GENL_VERSION);
	assert_int_equal(req_genl()->reserved, 0);
	assert_int_equal(req->nlmsg_len, NLMSG_HDRLEN + GENL_HDRLEN);
	knmt_status_free(&st);

	/* the handle is reusable: a second request with a new seq */
	assert_int_equal(knmt_get_status(h, &st), 0);
	assert_int_equal(fake.nrequests, 2);
	knmt_status_free(&st);
}

static void answer_eperm(const struct nlmsghdr *req)
{
	(void)req;
	fake_push_error(-EPERM, NULL, -1, false);
}

static void test_eperm(void **state)
{
	struct knmt_status st;

	(void)state;
	fake_reset(answer_eperm);
	assert_int_equal(knmt_get_status(h, &st), -KNMT_E_PERM);
	assert_int_equal(knmt_last_error(h), KNMT_E_PERM);
	assert_int_equal(knmt_kernel_errno(h), EPERM);
	assert_string_equal(knmt_extack(h), "");
	assert_null(st.version);
	assert_non_null(strstr(knmt_strerror(h), "permission denied"));
}

static void answer_einval_extack(const struct nlmsghdr *req)
{
	(void)req;
	fake_push_error(-ERANGE, "integer out of range", 20, false);
}

static void test_kernel_error_extack(void **state)
{
	struct knmt_config cfg = { 0 };

	(void)state;
	fake_reset(answer_einval_extack);
	knmt_config_set_offheap_min_bytes(&cfg, 1);
	assert_int_equal(knmt_set_config(h, &cfg), -KNMT_E_KERNEL);
	assert_int_equal(knmt_kernel_errno(h), ERANGE);
	assert_string_equal(knmt_extack(h), "integer out of range");
	assert_int_equal(knmt_extack_offset(h), 20);
	assert_non_null(strstr(knmt_strerror(h), "integer out of range"));
	assert_non_null(strstr(knmt_strerror(h), strerror(ERANGE)));
}

static void answer_stale_first(const struct nlmsghdr *req)
{
	(void)req;
	/* leftovers of an earlier request: a reply and an error */
	fake_push_seq(fake_status_msg(1), fake.seq - 1);
	fake_push(fake_status_msg(2));
	fake_push_ack();
}

static void test_stale_messages_skipped(void **state)
{
	struct knmt_status st;

	(void)state;
	fake_reset(answer_stale_first);
	assert_int_equal(knmt_get_status(h, &st), 0);
	assert_int_equal(st.n_hooks, 2);
	knmt_status_free(&st);
}

static void answer_bad_reply(const struct nlmsghdr *req)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_STATUS);

	(void)req;
	assert_int_equal(nla_put_string(msg, KNMT_A_STATUS_VERSION, "1"), 0);
	assert_int_equal(nla_put_u16(msg, KNMT_A_STATUS_UPTIME_NS, 1), 0);
	fake_push(msg);
	fake_push_ack();
}

static void test_bad_reply_then_recovers(void **state)
{
	struct knmt_status st;

	(void)state;
	fake_reset(answer_bad_reply);
	assert_int_equal(knmt_get_status(h, &st), -KNMT_E_PROTO);
	assert_non_null(strstr(knmt_strerror(h), "KNMT_A_STATUS_UPTIME_NS"));
	/* the ACK was read: nothing is left for the next request */
	assert_int_equal(fake.qhead, fake.qtail);

	fake.respond = answer_status;
	assert_int_equal(knmt_get_status(h, &st), 0);
	assert_int_equal(knmt_last_error(h), KNMT_OK);
	knmt_status_free(&st);
}

static void answer_version2(const struct nlmsghdr *req)
{
	struct nl_msg *msg = fake_reply_version(KNMT_CMD_GET_STATUS, 2);

	(void)req;
	assert_int_equal(nla_put_string(msg, KNMT_A_STATUS_VERSION, "2.0"), 0);
	fake_push(msg);
	fake_push_ack();
}

static void test_version_mismatch(void **state)
{
	struct knmt_status st;

	(void)state;
	fake_reset(answer_version2);
	assert_int_equal(knmt_get_status(h, &st), -KNMT_E_VERSION);
	assert_non_null(strstr(knmt_strerror(h), "protocol version 2"));
}

static void answer_ack_only(const struct nlmsghdr *req)
{
	(void)req;
	fake_push_ack();
}

static void test_ack_without_reply(void **state)
{
	struct knmt_status st;

	(void)state;
	fake_reset(answer_ack_only);
	assert_int_equal(knmt_get_status(h, &st), -KNMT_E_PROTO);
	assert_non_null(strstr(knmt_strerror(h), "without a reply"));
}

static void answer_twice(const struct nlmsghdr *req)
{
	(void)req;
	fake_push(fake_status_msg(1));
	fake_push(fake_status_msg(1));
	fake_push_ack();
}

static void test_two_replies(void **state)
{
	struct knmt_status st;

	(void)state;
	fake_reset(answer_twice);
	assert_int_equal(knmt_get_status(h, &st), -KNMT_E_PROTO);
	assert_null(st.hooks);	/* freed */
}

static void test_no_answer(void **state)
{
	struct knmt_status st;

	(void)state;
	fake_reset(NULL);
	assert_int_equal(knmt_get_status(h, &st), -KNMT_E_SOCKET);
	assert_non_null(strstr(knmt_strerror(h), "no answer from the kernel"));
}

/* ---- SET_CONFIG / GET_CONFIG --------------------------------------- */

static void test_set_config_request(void **state)
{
	struct knmt_config cfg = { 0 };
	struct nlattr *tb[KNMT_A_CONFIG_MAX + 1];

	(void)state;
	fake_reset(answer_ack_only);
	knmt_config_set_offheap_min_bytes(&cfg, 262144);
	assert_int_equal(knmt_set_config(h, &cfg), 0);
	assert_int_equal(req_genl()->cmd, KNMT_CMD_SET_CONFIG);
	assert_int_equal(genlmsg_parse((struct nlmsghdr *)fake.req, 0, tb,
				       KNMT_A_CONFIG_MAX, NULL), 0);
	assert_non_null(tb[KNMT_A_CONFIG_OFFHEAP_MIN_BYTES]);
	assert_int_equal(nla_get_u64(tb[KNMT_A_CONFIG_OFFHEAP_MIN_BYTES]), 262144);
	assert_null(tb[KNMT_A_CONFIG_PROCS_MAX]);

	/* nothing to set: refused before anything is sent */
	memset(&cfg, 0, sizeof(cfg));
	assert_int_equal(knmt_set_config(h, &cfg), -KNMT_E_INVAL);
	assert_int_equal(fake.nrequests, 1);
}

static void answer_config(const struct nlmsghdr *req)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_CONFIG);

	(void)req;
	fake_put_u64(msg, KNMT_A_CONFIG_OFFHEAP_MIN_BYTES, KNMT_A_CONFIG_PAD, 131072);
	assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_PROCS_MAX, 4096), 0);
	fake_push(msg);
	fake_push_ack();
}

static void test_get_config(void **state)
{
	struct knmt_config cfg;

	(void)state;
	fake_reset(answer_config);
	assert_int_equal(knmt_get_config(h, &cfg), 0);
	assert_int_equal(cfg.offheap_min_bytes, 131072);
	assert_int_equal(cfg.procs_max, 4096);
	assert_int_equal(req_genl()->cmd, KNMT_CMD_GET_CONFIG);
}

static void answer_config_filter(const struct nlmsghdr *req)
{
	const struct genlmsghdr *g = NLMSG_DATA(req);
	struct nlattr *tb[KNMT_A_CONFIG_MAX + 1];
	struct nl_msg *msg;

	if (g->cmd == KNMT_CMD_SET_CONFIG) {
		/* as the module: a pid that names no process */
		assert_int_equal(genlmsg_parse((struct nlmsghdr *)req, 0, tb,
					       KNMT_A_CONFIG_MAX, NULL), 0);
		if (tb[KNMT_A_CONFIG_FILTER_PID] &&
		    nla_get_u32(tb[KNMT_A_CONFIG_FILTER_PID]) == 999999)
			fake_push_error(-ESRCH, "no such process", 20, false);
		else
			fake_push_ack();
		return;
	}
	msg = fake_reply(KNMT_CMD_GET_CONFIG);
	assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_FILTER_PID, 77), 0);
	assert_int_equal(nla_put_string(msg, KNMT_A_CONFIG_FILTER_COMM, "nginx"), 0);
	fake_put_u64(msg, KNMT_A_CONFIG_FILTER_CGROUP, KNMT_A_CONFIG_PAD, 9876);
	assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_SAMPLE_MS, 1000), 0);
	fake_push(msg);
	fake_push_ack();
}

static void test_config_filter(void **state)
{
	struct knmt_config cfg;

	(void)state;
	fake_reset(answer_config_filter);
	assert_int_equal(knmt_get_config(h, &cfg), 0);
	assert_int_equal(cfg.filter_pid, 77);
	assert_string_equal(cfg.filter_comm, "nginx");
	assert_true(cfg.filter_cgroup == 9876);
	assert_int_equal(cfg.sample_ms, 1000);

	memset(&cfg, 0, sizeof(cfg));
	knmt_config_set_filter_pid(&cfg, 4242);
	assert_int_equal(knmt_set_config(h, &cfg), 0);
	knmt_config_set_filter_pid(&cfg, 999999);
	assert_int_equal(knmt_set_config(h, &cfg), -KNMT_E_KERNEL);
	assert_int_equal(knmt_kernel_errno(h), ESRCH);
	assert_string_equal(knmt_extack(h), "no such process");
	assert_int_equal(fake.nrequests, 3);
}

/* ---- dumps --------------------------------------------------------- */

struct dump_count {
	int parts;
	size_t hooks;
};

static int count_part(const struct nlmsghdr *nlh, void *arg)
{
	struct dump_count *c = arg;
	struct knmt_status st;
	char why[KNMT_DETAIL_MAX];

	if (knmt_status_decode(nlh, &st, why, sizeof(why)) < 0)
		return -KNMT_E_PROTO;
	c->parts++;
	c->hooks += st.n_hooks;
	knmt_status_free(&st);
	return 0;
}

static void answer_dump(const struct nlmsghdr *req)
{
	struct nl_msg *two[2];

	(void)req;
	/* a first datagram of two parts, a second of one, then DONE */
	two[0] = fake_status_msg(1);
	two[1] = fake_status_msg(2);
	fake_push_many(two, 2);
	two[0] = fake_status_msg(3);
	fake_push_many(two, 1);
	fake_push_done(0, NULL);
}

static void test_dump(void **state)
{
	struct dump_count c = { 0 };
	const struct nlmsghdr *req;

	(void)state;
	fake_reset(answer_dump);
	assert_int_equal(knmt_request(h, KNMT_CMD_GET_STATUS, KNMT_REQ_DUMP,
				      NULL, NULL, count_part, &c), 0);
	assert_int_equal(c.parts, 3);
	assert_int_equal(c.hooks, 6);
	req = (const struct nlmsghdr *)fake.req;
	assert_int_equal(req->nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
}

static void answer_dump_error(const struct nlmsghdr *req)
{
	struct nl_msg *one[1];

	(void)req;
	one[0] = fake_status_msg(1);
	fake_push_many(one, 1);
	fake_push_done(-ENOBUFS, "dump state lost");
}

static void test_dump_error_in_done(void **state)
{
	struct dump_count c = { 0 };

	(void)state;
	fake_reset(answer_dump_error);
	assert_int_equal(knmt_request(h, KNMT_CMD_GET_STATUS, KNMT_REQ_DUMP,
				      NULL, NULL, count_part, &c), -KNMT_E_KERNEL);
	assert_int_equal(c.parts, 1);
	assert_int_equal(knmt_kernel_errno(h), ENOBUFS);
	assert_string_equal(knmt_extack(h), "dump state lost");
}

static void answer_dump_eopnotsupp(const struct nlmsghdr *req)
{
	(void)req;
	fake_push_error(-EOPNOTSUPP, NULL, -1, false);
}

static void test_dump_refused(void **state)
{
	struct dump_count c = { 0 };

	(void)state;
	fake_reset(answer_dump_eopnotsupp);
	assert_int_equal(knmt_request(h, KNMT_CMD_GET_STATUS, KNMT_REQ_DUMP,
				      NULL, NULL, count_part, &c), -KNMT_E_KERNEL);
	assert_int_equal(knmt_kernel_errno(h), EOPNOTSUPP);
	assert_int_equal(c.parts, 0);
}

static int fail_fill(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return -KNMT_E_NOMEM;
}

static void test_fill_failure(void **state)
{
	(void)state;
	fake_reset(answer_ack_only);
	assert_int_equal(knmt_request(h, KNMT_CMD_SET_CONFIG, 0, fail_fill,
				      NULL, NULL, NULL), -KNMT_E_NOMEM);
	assert_int_equal(fake.nrequests, 0);
}

/* ---- handle and errors --------------------------------------------- */

static void test_events_without_group(void **state)
{
	struct knmt_events *ev = (struct knmt_events *)&ev;

	(void)state;
	h->events_grp = 0;
	assert_int_equal(knmt_events_open(h, &ev), -KNMT_E_NO_GROUP);
	assert_null(ev);
	assert_non_null(strstr(knmt_strerror(h), "events"));
}

static void test_error_strings(void **state)
{
	int e;

	(void)state;
	for (e = 0; e < __KNMT_E_COUNT; e++) {
		assert_non_null(knmt_error_str(e));
		assert_non_null(knmt_error_str(-e));
		assert_string_not_equal(knmt_error_str(e), "unknown error");
	}
	assert_string_equal(knmt_error_str(__KNMT_E_COUNT), "unknown error");
	assert_string_equal(knmt_strerror(NULL), "out of memory");
	assert_string_equal(knmt_extack(NULL), "");
	knmt_close(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_get_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eperm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kernel_error_extack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_messages_skipped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_reply_then_recovers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ack_without_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_replies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_config_request, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_error_in_done, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fill_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events_without_group, setup, teardown),
		cmocka_unit_test(test_error_strings),
	};

	return cmocka_run_group_tests_name("request", tests, NULL, NULL);
}
