// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Extended ACK parsing of NLMSG_ERROR and NLMSG_DONE messages laid out
 * as net/netlink/af_netlink.c netlink_ack() and netlink_dump_done() do.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "fake_kernel.h"

/* A request as a client sends it: headers plus a u64 attribute. */
static size_t build_request(unsigned char *buf, size_t extra)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct genlmsghdr *g;
	struct nlattr *nla;
	uint64_t v = 1;

	memset(buf, 0, 256);
	nlh->nlmsg_type = FAKE_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = 42;
	nlh->nlmsg_pid = 1234;
	g = NLMSG_DATA(nlh);
	g->cmd = KNMT_CMD_SET_CONFIG;
	g->version = 1;
	nla = (struct nlattr *)((char *)g + GENL_HDRLEN);
	nla->nla_type = KNMT_A_CONFIG_OFFHEAP_MIN_BYTES;
	nla->nla_len = NLA_HDRLEN + sizeof(v);
	memcpy((char *)nla + NLA_HDRLEN, &v, sizeof(v));
	/* extra: trailing bytes making the length unaligned */
	nlh->nlmsg_len = (uint32_t)(NLMSG_HDRLEN + GENL_HDRLEN + nla->nla_len + extra);
	return nlh->nlmsg_len;
}

static void check_error(bool capped, size_t extra)
{
	unsigned char req[256], buf[1024];
	struct knmt_nlerr ne;
	size_t len;

	build_request(req, extra);
	len = fake_build_error(buf, sizeof(buf), (struct nlmsghdr *)req, -ERANGE,
			       "integer out of range", 20, capped);
	assert_int_equal(knmt_nlerr_parse((struct nlmsghdr *)buf, len, &ne), 0);
	assert_int_equal(ne.error, ERANGE);
	assert_string_equal(ne.msg, "integer out of range");
	assert_int_equal(ne.offset, 20);
}

static void test_error_uncapped(void **state)
{
	(void)state;
	check_error(false, 0);
}

static void test_error_capped(void **state)
{
	(void)state;
	check_error(true, 0);
}

static void test_error_unaligned_request(void **state)
{
	(void)state;
	/* a hostile request of odd length is echoed as is: the TLVs start
	 * at the next aligned offset */
	check_error(false, 3);
}

static void test_error_without_tlvs(void **state)
{
	unsigned char req[256], buf[1024];
	struct knmt_nlerr ne;
	size_t len;

	(void)state;
	build_request(req, 0);
	len = fake_build_error(buf, sizeof(buf), (struct nlmsghdr *)req, -EPERM,
			       NULL, -1, false);
	assert_false(((struct nlmsghdr *)buf)->nlmsg_flags & NLM_F_ACK_TLVS);
	assert_int_equal(knmt_nlerr_parse((struct nlmsghdr *)buf, len, &ne), 0);
	assert_int_equal(ne.error, EPERM);
	assert_string_equal(ne.msg, "");
	assert_int_equal(ne.offset, -1);
}

static void test_ack(void **state)
{
	unsigned char req[256], buf[1024];
	struct knmt_nlerr ne;
	size_t len;

	(void)state;
	build_request(req, 0);
	len = fake_build_error(buf, sizeof(buf), (struct nlmsghdr *)req, 0,
			       NULL, -1, false);
	assert_true(((struct nlmsghdr *)buf)->nlmsg_flags & NLM_F_CAPPED);
	assert_int_equal(knmt_nlerr_parse((struct nlmsghdr *)buf, len, &ne), 0);
	assert_int_equal(ne.error, 0);
	assert_string_equal(ne.msg, "");
}

static void test_message_without_nul(void **state)
{
	unsigned char req[256], buf[1024];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nlattr *nla;
	struct knmt_nlerr ne;
	size_t len;

	(void)state;
	build_request(req, 0);
	len = fake_build_error(buf, sizeof(buf), (struct nlmsghdr *)req, -EINVAL,
			       "abcd", -1, true);
	/* drop the NUL: "abcd" without terminator, 4 bytes */
	nla = (struct nlattr *)(buf + len - NLA_ALIGN(NLA_HDRLEN + 5));
	assert_int_equal(nla->nla_type, NLMSGERR_ATTR_MSG);
	nla->nla_len = NLA_HDRLEN + 4;
	nlh->nlmsg_len = (uint32_t)(len - 4);
	assert_int_equal(knmt_nlerr_parse(nlh, nlh->nlmsg_len, &ne), 0);
	assert_string_equal(ne.msg, "abcd");
}

static void test_long_message_bounded(void **state)
{
	unsigned char req[256], buf[2048];
	char text[600];
	struct knmt_nlerr ne;
	size_t len;

	(void)state;
	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	build_request(req, 0);
	len = fake_build_error(buf, sizeof(buf), (struct nlmsghdr *)req, -EINVAL,
			       text, -1, true);
	assert_int_equal(knmt_nlerr_parse((struct nlmsghdr *)buf, len, &ne), 0);
	assert_int_equal(strlen(ne.msg), sizeof(ne.msg) - 1);
}

static void test_truncated_tlv_ignored(void **state)
{
	unsigned char req[256], buf[1024];
	struct knmt_nlerr ne;
	size_t len;

	(void)state;
	build_request(req, 0);
	len = fake_build_error(buf, sizeof(buf), (struct nlmsghdr *)req, -EINVAL,
			       "a message", 16, true);
	/* only part of the TLVs arrived: what is complete is used, the
	 * rest is ignored, nothing is read past the end */
	assert_int_equal(knmt_nlerr_parse((struct nlmsghdr *)buf, len - 6, &ne), 0);
	assert_int_equal(ne.error, EINVAL);
	assert_string_equal(ne.msg, "a message");
	assert_int_equal(ne.offset, -1);
}

static void test_too_short(void **state)
{
	unsigned char buf[64] = { 0 };
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct knmt_nlerr ne;

	(void)state;
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_len = NLMSG_HDRLEN + 4;
	assert_int_equal(knmt_nlerr_parse(nlh, nlh->nlmsg_len, &ne), -1);
	assert_int_equal(knmt_nlerr_parse(nlh, 8, &ne), -1);
}

static void test_done_with_error(void **state)
{
	unsigned char buf[256] = { 0 };
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nlattr *nla;
	struct knmt_nlerr ne;
	int err = -ENOBUFS;
	const char msg[] = "dump failed";

	(void)state;
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI | NLM_F_ACK_TLVS;
	memcpy(NLMSG_DATA(nlh), &err, sizeof(err));
	nla = (struct nlattr *)(buf + NLMSG_ALIGN(NLMSG_HDRLEN + sizeof(int)));
	nla->nla_type = NLMSGERR_ATTR_MSG;
	nla->nla_len = NLA_HDRLEN + sizeof(msg);
	memcpy((char *)nla + NLA_HDRLEN, msg, sizeof(msg));
	nlh->nlmsg_len = (uint32_t)((char *)nla - (char *)buf +
				    NLA_ALIGN(nla->nla_len));
	assert_int_equal(knmt_nldone_parse(nlh, nlh->nlmsg_len, &ne), 0);
	assert_int_equal(ne.error, ENOBUFS);
	assert_string_equal(ne.msg, "dump failed");

	/* an old kernel's empty DONE */
	nlh->nlmsg_len = NLMSG_HDRLEN;
	assert_int_equal(knmt_nldone_parse(nlh, nlh->nlmsg_len, &ne), 0);
	assert_int_equal(ne.error, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_uncapped),
		cmocka_unit_test(test_error_capped),
		cmocka_unit_test(test_error_unaligned_request),
		cmocka_unit_test(test_error_without_tlvs),
		cmocka_unit_test(test_ack),
		cmocka_unit_test(test_message_without_nul),
		cmocka_unit_test(test_long_message_bounded),
		cmocka_unit_test(test_truncated_tlv_ignored),
		cmocka_unit_test(test_too_short),
		cmocka_unit_test(test_done_with_error),
	};

	return cmocka_run_group_tests_name("extack", tests, NULL, NULL);
}
