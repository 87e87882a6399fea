// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The per-process part of libknmt: decoding of process (with their
 * sockets' aggregates), region, fault site and socket messages built by
 * hand, and GET_PROC and the dumps against the fake kernel (requests
 * sent, multi-part answers, errors, retries).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "fake_kernel.h"

static char why[KNMT_DETAIL_MAX];

static int decode_proc(struct nl_msg *msg, struct knmt_proc_info *p)
{
	int ret;

	why[0] = '\0';
	ret = knmt_proc_decode(nlmsg_hdr(msg), p, why, sizeof(why));
	nlmsg_free(msg);
	return ret;
}

/* ---- names ------------------------------------------------------------ */

static void test_names(void **state)
{
	static const char *const cats[KNMT_CAT_NR] = {
		"heap", "stack", "arena", "offheap", "anon", "shmem", "file",
	};
	static const char *const origins[] = {
		"none", "reserved", "stack", "offheap", "brk", "growsdown",
		"guessed",
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < KNMT_CAT_NR; i++) {
		assert_string_equal(knmt_category_name(i), cats[i]);
		assert_int_equal(knmt_category_from_name(cats[i]), i);
	}
	assert_int_equal(KNMT_CAT_OFFHEAP, 3);
	assert_null(knmt_category_name(KNMT_CAT_NR));
	assert_int_equal(knmt_category_from_name("Heap"), -1);
	assert_int_equal(knmt_category_from_name(""), -1);
	assert_int_equal(knmt_category_from_name(NULL), -1);
	for (i = 0; i < sizeof(origins) / sizeof(origins[0]); i++)
		assert_string_equal(knmt_origin_name(i), origins[i]);
	assert_int_equal(KNMT_ORIGIN_GUESSED, 6);
	assert_null(knmt_origin_name(7));
}

static void test_socket_names(void **state)
{
	static const char *const states[KNMT_TCP_STATES + 1] = {
		NULL, "established", "syn_sent", "syn_recv", "fin_wait_1",
		"fin_wait_2", "time_wait", "closed", "close_wait", "last_ack",
		"listen", "closing", "new_syn_recv",
	};
	unsigned int i;

	(void)state;
	assert_string_equal(knmt_sock_family_name(KNMT_SOCK_FAM_INET), "inet");
	assert_string_equal(knmt_sock_family_name(KNMT_SOCK_FAM_INET6), "inet6");
	assert_string_equal(knmt_sock_family_name(KNMT_SOCK_FAM_UNIX), "unix");
	assert_string_equal(knmt_sock_family_name(KNMT_SOCK_FAM_OTHER), "other");
	assert_null(knmt_sock_family_name(KNMT_SOCK_FAM_NR));
	assert_null(knmt_tcp_state_name(0));
	for (i = 1; i <= KNMT_TCP_STATES; i++)
		assert_string_equal(knmt_tcp_state_name(i), states[i]);
	assert_null(knmt_tcp_state_name(KNMT_TCP_STATES + 1));
	assert_null(knmt_tcp_state_name(255));
}

/* ---- process decoding -------------------------------------------------- */

static void check_full_proc(const struct knmt_proc_info *p,
			    const struct fake_proc *fp)
{
	uint64_t k = fp->k;
	unsigned int c, i;

	assert_int_equal(p->pid, fp->pid);
	assert_string_equal(p->comm, fp->comm);
	assert_int_equal(p->flags, fp->flags);
	assert_true(p->start_ns == FAKE_START_NS);
	for (c = 0; c < KNMT_CAT_NR; c++) {
		const struct knmt_cat_info *ci = &p->categories[c];

		assert_true(KNMT_HAS(ci, KNMT_A_CAT_ID));
		assert_true(KNMT_HAS(ci, KNMT_A_CAT_PEAK_MAPPED));
		assert_true(ci->resident == fake_resident(fp, c));
		assert_true(ci->mapped == fake_mapped(fp, c));
		assert_int_equal(ci->regions, c + 1);
		assert_true(ci->faults_minor == 100 * k * (c + 1));
		assert_true(ci->faults_major == c);
		assert_true(ci->peak_mapped == 3 * fake_mapped(fp, c));
	}
	assert_true(p->rss_anon == 10 * k * FAKE_MIB);
	assert_true(p->rss_file == 4 * k * FAKE_MIB);
	assert_true(p->rss_shmem == k * FAKE_MIB);
	assert_true(p->rss_swap == k * 512 * 1024);
	assert_true(p->peak_rss == 20 * k * FAKE_MIB);
	assert_int_equal(p->threads, 3 * k);
	assert_true(p->pagetables == k * 64 * 1024);
	assert_true(p->kstacks == k * 32 * 1024);
	assert_true(p->unaccounted == -(int64_t)(k * 4096));
	assert_true(p->sampled_ns == FAKE_SAMPLED_NS);

	assert_true(KNMT_HAS(&p->offheap, KNMT_A_OFFHEAP_LIFETIME));
	assert_true(p->offheap.live_count == 2 * k);
	assert_true(p->offheap.live_bytes == 2 * k * FAKE_MIB);
	assert_true(p->offheap.alloc_count == 5 * k);
	assert_true(p->offheap.alloc_bytes == 5 * k * FAKE_MIB);
	assert_true(p->offheap.freed_count == 3 * k);
	assert_true(p->offheap.freed_bytes == 3 * k * FAKE_MIB);
	assert_int_equal(p->offheap.lifetime_present,
			 (1U << KNMT_LIFETIME_BUCKETS) - 1);
	for (i = 0; i < KNMT_LIFETIME_BUCKETS; i++)
		assert_true(p->offheap.lifetime[i] == i * k + 1);
}

static void test_proc_complete(void **state)
{
	const struct fake_proc fp = {
		.pid = 4242, .comm = "java", .flags = KNMT_PROC_F_APPROX, .k = 3,
	};
	struct knmt_proc_info p;

	(void)state;
	/* categories arrive in reverse order, then an unknown id (10) */
	assert_int_equal(decode_proc(fake_proc_msg(KNMT_CMD_GET_PROC, &fp), &p), 0);
	check_full_proc(&p, &fp);
	assert_true(KNMT_HAS(&p, KNMT_A_PROC_PID));
	assert_true(KNMT_HAS(&p, KNMT_A_PROC_UNACCOUNTED));
	assert_true(KNMT_HAS(&p, KNMT_A_PROC_OFFHEAP));
	assert_true(KNMT_HAS(&p, KNMT_A_PROC_CATEGORY));
	assert_false(KNMT_HAS(&p, KNMT_A_PROC_EXIT_NS));
	assert_false(KNMT_HAS(&p, KNMT_A_PROC_EXIT_CODE));
	/* without sockets: none sent, none decoded */
	assert_false(KNMT_HAS(&p, KNMT_A_PROC_SOCKETS));
	assert_true(p.sockets.present == 0);
	assert_int_equal(p.sockets.open, 0);
}

/* What fake_kernel.h says put_socks() sends for scale k. */
static void check_socks(const struct knmt_socks_info *k, uint64_t s)
{
	unsigned int i;

	assert_true(KNMT_HAS(k, KNMT_A_SOCKS_OPEN));
	assert_true(KNMT_HAS(k, KNMT_A_SOCKS_FAMILY));
	assert_true(KNMT_HAS(k, KNMT_A_SOCKS_TCP_STATE));
	assert_true(KNMT_HAS(k, KNMT_A_SOCKS_LIFETIME));
	assert_true(KNMT_HAS(k, KNMT_A_SOCKS_CLOSE_RATE));
	assert_int_equal(k->open, 6 * s);
	assert_int_equal(k->family_present, 0xf);
	assert_int_equal(k->by_family[KNMT_SOCK_FAM_INET], s);
	assert_int_equal(k->by_family[KNMT_SOCK_FAM_INET6], 2 * s);
	assert_int_equal(k->by_family[KNMT_SOCK_FAM_UNIX], 3 * s);
	assert_int_equal(k->by_family[KNMT_SOCK_FAM_OTHER], 0);
	/* three states sent, indexed by their number; the 13th ignored */
	assert_int_equal(k->tcp_state_present, 1U << 1 | 1U << 8 | 1U << 10);
	assert_int_equal(k->tcp_state[1], s);
	assert_int_equal(k->tcp_state[8], 1);
	assert_int_equal(k->tcp_state[10], 1);
	assert_int_equal(k->tcp_state[0], 0);
	assert_int_equal(k->tcp_state[6], 0);
	assert_int_equal(k->tcp_state[12], 0);
	assert_true(k->close_wait_age_ns == UINT64_C(300000000000));
	assert_true(k->oldest_age_ns == s * UINT64_C(3723000000000));
	assert_true(k->rx_queued == s * 1024);
	assert_true(k->tx_queued == s * 2048);
	assert_true(k->mem == FAKE_SOCKS_MEM(s));
	assert_true(k->opened == 100 * s);
	assert_true(k->accepted == 40 * s);
	assert_true(k->closed == 94 * s);
	assert_int_equal(k->orphans, 1);
	assert_true(k->destroyed == 93 * s);
	assert_true(k->untracked == 2);
	assert_int_equal(k->lifetime_present, (1U << KNMT_LIFETIME_BUCKETS) - 1);
	for (i = 0; i < KNMT_LIFETIME_BUCKETS; i++)
		assert_true(k->lifetime[i] == 10 * i + s);
	assert_int_equal(k->open_rate, 1500 * s);
	assert_int_equal(k->close_rate, 1250 * s);
}

static void test_proc_sockets(void **state)
{
	const struct fake_proc fp = {
		.pid = 80, .comm = "nginx", .k = 2, .sockets = true,
	};
	struct knmt_proc_info p;

	(void)state;
	assert_int_equal(decode_proc(fake_proc_msg(KNMT_CMD_DUMP_PROCS, &fp), &p), 0);
	check_full_proc(&p, &fp);
	assert_true(KNMT_HAS(&p, KNMT_A_PROC_SOCKETS));
	check_socks(&p.sockets, 2);
}

static void test_proc_sockets_sparse(void **state)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_PROC);
	struct knmt_proc_info p;
	struct nlattr *nest, *sub;

	(void)state;
	assert_int_equal(nla_put_u32(msg, KNMT_A_PROC_PID, 1), 0);
	nest = nla_nest_start(msg, KNMT_A_PROC_SOCKETS);
	assert_int_equal(nla_put_u32(msg, KNMT_A_SOCKS_OPEN, 0), 0);
	sub = nla_nest_start(msg, KNMT_A_SOCKS_TCP_STATE);
	assert_int_equal(nla_put_u32(msg, 12, 4), 0);	/* NEW_SYN_RECV */
	nla_nest_end(msg, sub);
	nla_nest_end(msg, nest);
	assert_int_equal(decode_proc(msg, &p), 0);
	assert_true(p.sockets.present == (KNMT_BIT(KNMT_A_SOCKS_OPEN) |
					  KNMT_BIT(KNMT_A_SOCKS_TCP_STATE)));
	assert_int_equal(p.sockets.open, 0);
	assert_int_equal(p.sockets.tcp_state_present, 1U << 12);
	assert_int_equal(p.sockets.tcp_state[12], 4);
	assert_int_equal(p.sockets.family_present, 0);
	assert_int_equal(p.sockets.lifetime_present, 0);
	assert_false(KNMT_HAS(&p.sockets, KNMT_A_SOCKS_MEM));
}

static void test_proc_sockets_malformed(void **state)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_PROC);
	struct knmt_proc_info p;
	struct nlattr *nest, *sub;

	(void)state;
	/* a TCP state counter of 8 bytes */
	assert_int_equal(nla_put_u32(msg, KNMT_A_PROC_PID, 1), 0);
	nest = nla_nest_start(msg, KNMT_A_PROC_SOCKETS);
	sub = nla_nest_start(msg, KNMT_A_SOCKS_TCP_STATE);
	fake_put_u64(msg, 8, 0, 1);
	nla_nest_end(msg, sub);
	nla_nest_end(msg, nest);
	assert_int_equal(decode_proc(msg, &p), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "KNMT_A_SOCKS_TCP_STATE"));
	assert_non_null(strstr(why, "has 8 bytes, expected 4"));
	assert_int_equal(p.pid, 0);	/* nothing half-decoded */

	/* a lifetime bucket of 4 bytes */
	msg = fake_reply(KNMT_CMD_GET_PROC);
	assert_int_equal(nla_put_u32(msg, KNMT_A_PROC_PID, 1), 0);
	nest = nla_nest_start(msg, KNMT_A_PROC_SOCKETS);
	sub = nla_nest_start(msg, KNMT_A_SOCKS_LIFETIME);
	assert_int_equal(nla_put_u32(msg, 3, 1), 0);
	nla_nest_end(msg, sub);
	nla_nest_end(msg, nest);
	assert_int_equal(decode_proc(msg, &p), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "KNMT_A_SOCKS_LIFETIME bucket 2"));

	/* the memory as a u32 */
	msg = fake_reply(KNMT_CMD_GET_PROC);
	assert_int_equal(nla_put_u32(msg, KNMT_A_PROC_PID, 1), 0);
	nest = nla_nest_start(msg, KNMT_A_PROC_SOCKETS);
	assert_int_equal(nla_put_u32(msg, KNMT_A_SOCKS_MEM, 1), 0);
	nla_nest_end(msg, nest);
	assert_int_equal(decode_proc(msg, &p), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "KNMT_A_PROC_SOCKETS"));
	assert_non_null(strstr(why, "KNMT_A_SOCKS_MEM"));
}

static void test_proc_missing_optional(void **state)
{
	const struct fake_proc fp = {
		.pid = 7, .comm = "sleep", .k = 1, .no_sample = true,
		.no_offheap = true,
	};
	struct knmt_proc_info p;
	unsigned int c;

	(void)state;
	assert_int_equal(decode_proc(fake_proc_msg(KNMT_CMD_GET_PROC, &fp), &p), 0);
	assert_int_equal(p.pid, 7);
	assert_string_equal(p.comm, "sleep");
	for (c = 0; c < KNMT_CAT_NR; c++)
		assert_true(p.categories[c].present == 0);
	assert_true(p.offheap.present == 0);
	assert_int_equal(p.offheap.lifetime_present, 0);
	assert_false(KNMT_HAS(&p, KNMT_A_PROC_RSS_ANON));
	assert_false(KNMT_HAS(&p, KNMT_A_PROC_THREADS));
	assert_false(KNMT_HAS(&p, KNMT_A_PROC_UNACCOUNTED));
	assert_false(KNMT_HAS(&p, KNMT_A_PROC_SAMPLED_NS));
	assert_false(KNMT_HAS(&p, KNMT_A_PROC_OFFHEAP));
	assert_true(KNMT_HAS(&p, KNMT_A_PROC_PEAK_RSS));
	assert_int_equal(p.threads, 0);
}

static void test_proc_only_pid(void **state)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_DUMP_PROCS);
	struct knmt_proc_info p;

	(void)state;
	assert_int_equal(nla_put_u32(msg, KNMT_A_PROC_PID, 1), 0);
	assert_int_equal(decode_proc(msg, &p), 0);
	assert_true(p.present == KNMT_BIT(KNMT_A_PROC_PID));
	assert_string_equal(p.comm, "");
}

static void test_proc_missing_pid(void **state)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_PROC);
	struct knmt_proc_info p;

	(void)state;
	assert_int_equal(nla_put_string(msg, KNMT_A_PROC_COMM, "x"), 0);
	assert_int_equal(decode_proc(msg, &p), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "KNMT_A_PROC_PID"));
	assert_non_null(strstr(why, "missing"));
}

static void test_proc_category_without_id(void **state)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_PROC);
	struct knmt_proc_info p;
	struct nlattr *nest;

	(void)state;
	assert_int_equal(nla_put_u32(msg, KNMT_A_PROC_PID, 1), 0);
	nest = nla_nest_start(msg, KNMT_A_PROC_CATEGORY);
	assert_int_equal(nla_put_u8(msg, KNMT_A_CAT_ID, KNMT_CAT_HEAP), 0);
	nla_nest_end(msg, nest);
	nest = nla_nest_start(msg, KNMT_A_PROC_CATEGORY);
	fake_put_u64(msg, KNMT_A_CAT_RESIDENT, KNMT_A_CAT_PAD, 4096);
	nla_nest_end(msg, nest);
	assert_int_equal(decode_proc(msg, &p), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "category #1"));
	assert_non_null(strstr(why, "KNMT_A_CAT_ID"));
	assert_int_equal(p.pid, 0);	/* nothing half-decoded */
}

static void test_proc_category_wrong_size(void **state)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_PROC);
	struct knmt_proc_info p;
	struct nlattr *nest;

	(void)state;
	assert_int_equal(nla_put_u32(msg, KNMT_A_PROC_PID, 1), 0);
	nest = nla_nest_start(msg, KNMT_A_PROC_CATEGORY);
	assert_int_equal(nla_put_u8(msg, KNMT_A_CAT_ID, KNMT_CAT_STACK), 0);
	assert_int_equal(nla_put_u32(msg, KNMT_A_CAT_RESIDENT, 4096), 0);
	nla_nest_end(msg, nest);
	assert_int_equal(decode_proc(msg, &p), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "KNMT_A_CAT_RESIDENT"));
	assert_non_null(strstr(why, "has 4 bytes, expected 8"));
}

static void test_proc_lifetime_bucket_wrong_size(void **state)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_PROC);
	struct knmt_proc_info p;
	struct nlattr *nest, *hist;

	(void)state;
	assert_int_equal(nla_put_u32(msg, KNMT_A_PROC_PID, 1), 0);
	nest = nla_nest_start(msg, KNMT_A_PROC_OFFHEAP);
	hist = nla_nest_start(msg, KNMT_A_OFFHEAP_LIFETIME);
	fake_put_u64(msg, 1, 0, 5);
	assert_int_equal(nla_put_u32(msg, 4, 5), 0);	/* bucket 3 */
	nla_nest_end(msg, hist);
	nla_nest_end(msg, nest);
	assert_int_equal(decode_proc(msg, &p), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "KNMT_A_OFFHEAP_LIFETIME"));
	assert_non_null(strstr(why, "bucket 3"));
}

static void test_proc_sparse_lifetime(void **state)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_PROC);
	struct knmt_proc_info p;
	struct nlattr *nest, *hist;

	(void)state;
	assert_int_equal(nla_put_u32(msg, KNMT_A_PROC_PID, 1), 0);
	nest = nla_nest_start(msg, KNMT_A_PROC_OFFHEAP);
	fake_put_u64(msg, KNMT_A_OFFHEAP_LIVE_BYTES, KNMT_A_OFFHEAP_PAD, 8192);
	hist = nla_nest_start(msg, KNMT_A_OFFHEAP_LIFETIME);
	/* buckets out of order, some missing */
	fake_put_u64(msg, KNMT_LIFETIME_BUCKETS, 0, 12);	/* bucket 11 */
	fake_put_u64(msg, 1, 0, 100);				/* bucket 0 */
	fake_put_u64(msg, 6, 0, 6);				/* bucket 5 */
	nla_nest_end(msg, hist);
	nla_nest_end(msg, nest);
	assert_int_equal(decode_proc(msg, &p), 0);
	assert_int_equal(p.offheap.lifetime_present,
			 1U << 0 | 1U << 5 | 1U << (KNMT_LIFETIME_BUCKETS - 1));
	assert_int_equal(p.offheap.lifetime[0], 100);
	assert_int_equal(p.offheap.lifetime[5], 6);
	assert_int_equal(p.offheap.lifetime[11], 12);
	assert_int_equal(p.offheap.lifetime[1], 0);
	assert_true(p.offheap.live_bytes == 8192);
	assert_false(KNMT_HAS(&p.offheap, KNMT_A_OFFHEAP_LIVE_COUNT));
}

static void test_proc_long_comm_cut(void **state)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_PROC);
	struct knmt_proc_info p;
	char name[200];

	(void)state;
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(nla_put_u32(msg, KNMT_A_PROC_PID, 1), 0);
	assert_int_equal(nla_put_string(msg, KNMT_A_PROC_COMM, name), 0);
	assert_int_equal(decode_proc(msg, &p), 0);
	assert_int_equal(strlen(p.comm), KNMT_COMM_MAX - 1);
}

static void test_proc_unaccounted_positive(void **state)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_PROC);
	struct knmt_proc_info p;

	(void)state;
	assert_int_equal(nla_put_u32(msg, KNMT_A_PROC_PID, 1), 0);
	assert_int_equal(nla_put_s64(msg, KNMT_A_PROC_UNACCOUNTED,
				     INT64_C(1) << 40), 0);
	assert_int_equal(decode_proc(msg, &p), 0);
	assert_true(p.unaccounted == INT64_C(1) << 40);
}

static void test_exit_record(void **state)
{
	const struct fake_proc fp = {
		.pid = 99, .comm = "victim", .k = 2,
		.flags = KNMT_PROC_F_EXITED | KNMT_PROC_F_OOM_VICTIM,
		.exit_ns = FAKE_SAMPLED_NS + 5, .exit_code = 9,
	};
	struct knmt_proc_info p;

	(void)state;
	assert_int_equal(decode_proc(fake_proc_msg(KNMT_CMD_DUMP_EXITS, &fp), &p), 0);
	check_full_proc(&p, &fp);
	assert_true(KNMT_HAS(&p, KNMT_A_PROC_EXIT_NS));
	assert_true(p.exit_ns == FAKE_SAMPLED_NS + 5);
	assert_int_equal(p.exit_code, 9);
	assert_int_equal(p.flags, KNMT_PROC_F_EXITED | KNMT_PROC_F_OOM_VICTIM);
	/* exit records carry no sockets */
	assert_false(KNMT_HAS(&p, KNMT_A_PROC_SOCKETS));
	assert_true(p.sockets.present == 0);
}

/* ---- socket decoding ------------------------------------------------------ */

static int decode_sock(struct nl_msg *msg, struct knmt_socket *s)
{
	int ret;

	why[0] = '\0';
	ret = knmt_socket_decode(nlmsg_hdr(msg), s, why, sizeof(why));
	nlmsg_free(msg);
	return ret;
}

static void test_socket_inet(void **state)
{
	const struct fake_sock fs = {
		.pid = 4242, .comm = "java", .inode = 123456789012ULL,
		.family = AF_INET, .type = SOCK_STREAM, .protocol = IPPROTO_TCP,
		.state = 8, .flags = KNMT_SOCK_F_ACCEPTED,
		.age_ns = 3723000000000ULL, .state_age_ns = 60000000000ULL,
		.recv_q = 17, .send_q = 3, .k = 2,
		.local = "10.0.0.1", .lport = 8080,
		.remote = "192.168.1.20", .rport = 51234,
	};
	const uint8_t l[4] = { 10, 0, 0, 1 }, r[4] = { 192, 168, 1, 20 };
	struct knmt_socket s;

	(void)state;
	assert_int_equal(decode_sock(fake_sock_msg(&fs), &s), 0);
	assert_int_equal(s.pid, 4242);
	assert_string_equal(s.comm, "java");
	assert_true(s.inode == 123456789012ULL);
	assert_int_equal(s.family, AF_INET);
	assert_int_equal(s.type, SOCK_STREAM);
	assert_int_equal(s.protocol, IPPROTO_TCP);
	assert_int_equal(s.state, 8);
	assert_int_equal(s.flags, KNMT_SOCK_F_ACCEPTED);
	assert_true(s.age_ns == 3723000000000ULL);
	assert_true(s.state_age_ns == 60000000000ULL);
	assert_int_equal(s.recv_q, 17);
	assert_int_equal(s.send_q, 3);
	assert_int_equal(s.rmem_alloc, 200);
	assert_int_equal(s.rcvbuf, 2000);
	assert_int_equal(s.wmem_alloc, 400);
	assert_int_equal(s.sndbuf, 4000);
	assert_int_equal(s.fwd_alloc, 600);
	assert_int_equal(s.wmem_queued, 800);
	assert_int_equal(s.rx_bytes, 20);
	assert_int_equal(s.tx_bytes, 40);
	assert_int_equal(s.mem, 8192);
	assert_int_equal(s.local_addr_len, 4);
	assert_memory_equal(s.local_addr, l, 4);
	assert_int_equal(s.local_port, 8080);
	assert_int_equal(s.remote_addr_len, 4);
	assert_memory_equal(s.remote_addr, r, 4);
	assert_int_equal(s.remote_port, 51234);
	assert_true(KNMT_HAS(&s, KNMT_A_SOCK_STATE_AGE_NS));
	assert_true(KNMT_HAS(&s, KNMT_A_SOCK_REMOTE_PORT));
}

static void test_socket_inet6_and_unix(void **state)
{
	const struct fake_sock v6 = {
		.pid = 1, .family = AF_INET6, .type = SOCK_DGRAM,
		.protocol = IPPROTO_UDP, .state = 7, .local = "fe80::1",
		.lport = 53, .age_ns = 5,
	};
	const struct fake_sock un = {
		.pid = 2, .family = AF_UNIX, .type = SOCK_SEQPACKET, .state = 1,
	};
	struct knmt_socket s;
	struct in6_addr a;

	(void)state;
	assert_int_equal(decode_sock(fake_sock_msg(&v6), &s), 0);
	assert_int_equal(inet_pton(AF_INET6, "fe80::1", &a), 1);
	assert_int_equal(s.local_addr_len, 16);
	assert_memory_equal(s.local_addr, &a, 16);
	assert_int_equal(s.local_port, 53);
	assert_int_equal(s.remote_addr_len, 0);
	assert_false(KNMT_HAS(&s, KNMT_A_SOCK_REMOTE_ADDR));
	assert_false(KNMT_HAS(&s, KNMT_A_SOCK_STATE_AGE_NS));
	assert_false(KNMT_HAS(&s, KNMT_A_SOCK_MEM));
	assert_false(KNMT_HAS(&s, KNMT_A_SOCK_COMM));
	assert_string_equal(s.comm, "");

	assert_int_equal(decode_sock(fake_sock_msg(&un), &s), 0);
	assert_int_equal(s.family, AF_UNIX);
	assert_int_equal(s.type, SOCK_SEQPACKET);
	assert_int_equal(s.protocol, 0);
	assert_true(KNMT_HAS(&s, KNMT_A_SOCK_PROTOCOL));
	assert_int_equal(s.local_addr_len, 0);
	assert_false(KNMT_HAS(&s, KNMT_A_SOCK_LOCAL_ADDR));
	assert_false(KNMT_HAS(&s, KNMT_A_SOCK_INODE));
	assert_false(KNMT_HAS(&s, KNMT_A_SOCK_AGE_NS));
}

static void test_socket_bad(void **state)
{
	unsigned char five[5] = { 1, 2, 3, 4, 5 };
	struct knmt_socket s;
	struct nl_msg *msg;

	(void)state;
	msg = fake_reply(KNMT_CMD_DUMP_SOCKETS);
	assert_int_equal(nla_put_u16(msg, KNMT_A_SOCK_FAMILY, AF_INET), 0);
	assert_int_equal(decode_sock(msg, &s), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "KNMT_A_SOCK_PID"));
	assert_non_null(strstr(why, "missing"));

	msg = fake_reply(KNMT_CMD_DUMP_SOCKETS);
	assert_int_equal(nla_put_u32(msg, KNMT_A_SOCK_PID, 9), 0);
	assert_int_equal(nla_put(msg, KNMT_A_SOCK_REMOTE_ADDR, 5, five), 0);
	assert_int_equal(decode_sock(msg, &s), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "KNMT_A_SOCK_REMOTE_ADDR has 5 bytes, expected 4 or 16"));
	assert_int_equal(s.pid, 0);	/* nothing half-decoded */

	msg = fake_reply(KNMT_CMD_DUMP_SOCKETS);
	assert_int_equal(nla_put_u32(msg, KNMT_A_SOCK_PID, 9), 0);
	assert_int_equal(nla_put_u32(msg, KNMT_A_SOCK_FAMILY, AF_INET), 0);
	assert_int_equal(decode_sock(msg, &s), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "KNMT_A_SOCK_FAMILY"));
	assert_non_null(strstr(why, "has 4 bytes, expected 2"));

	msg = fake_reply(KNMT_CMD_DUMP_SOCKETS);
	assert_int_equal(nla_put_u32(msg, KNMT_A_SOCK_PID, 9), 0);
	assert_int_equal(nla_put_u16(msg, KNMT_A_SOCK_STATE, 1), 0);
	assert_int_equal(decode_sock(msg, &s), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "KNMT_A_SOCK_STATE"));
}

/* ---- regions and sites decoding ------------------------------------------ */

static void test_region_complete(void **state)
{
	struct nl_msg *msg = fake_region_msg(0x7f0000000000, 0x7f0000200000,
					     KNMT_CAT_FILE, KNMT_ORIGIN_NONE,
					     KNMT_PROT_READ | KNMT_PROT_EXEC,
					     1 << 20, 2500000000ULL, 17, 1234,
					     "/usr/lib/libc.so.6", 0x28000);
	struct knmt_region r;

	(void)state;
	assert_int_equal(knmt_region_decode(nlmsg_hdr(msg), &r, why, sizeof(why)), 0);
	assert_true(r.start == 0x7f0000000000);
	assert_true(r.end == 0x7f0000200000);
	assert_int_equal(r.category, KNMT_CAT_FILE);
	assert_int_equal(r.origin, KNMT_ORIGIN_NONE);
	assert_int_equal(r.prot, KNMT_PROT_READ | KNMT_PROT_EXEC);
	assert_int_equal(r.resident, 1 << 20);
	assert_true(r.age_ns == 2500000000ULL);
	assert_int_equal(r.faults, 17);
	assert_int_equal(r.tid, 1234);
	assert_string_equal(r.file, "/usr/lib/libc.so.6");
	assert_int_equal(r.pgoff, 0x28000);
	assert_true(KNMT_HAS(&r, KNMT_A_REGION_AGE_NS));
	assert_true(KNMT_HAS(&r, KNMT_A_REGION_ORIGIN));
	nlmsg_free(msg);
}

static void test_region_minimal(void **state)
{
	struct nl_msg *msg = fake_region_msg(0x1000, 0x3000, KNMT_CAT_ANON,
					     KNMT_ORIGIN_GUESSED,
					     KNMT_PROT_READ | KNMT_PROT_WRITE,
					     0, 0, 0, 0, NULL, 0);
	struct knmt_region r;

	(void)state;
	assert_int_equal(knmt_region_decode(nlmsg_hdr(msg), &r, why, sizeof(why)), 0);
	assert_false(KNMT_HAS(&r, KNMT_A_REGION_AGE_NS));
	assert_false(KNMT_HAS(&r, KNMT_A_REGION_FAULTS));
	assert_false(KNMT_HAS(&r, KNMT_A_REGION_TID));
	assert_false(KNMT_HAS(&r, KNMT_A_REGION_FILE));
	assert_null(r.file);
	assert_true(KNMT_HAS(&r, KNMT_A_REGION_RESIDENT));
	assert_int_equal(r.resident, 0);
	nlmsg_free(msg);
}

static void test_region_bad(void **state)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_DUMP_REGIONS);
	struct knmt_region r;

	(void)state;
	fake_put_u64(msg, KNMT_A_REGION_START, KNMT_A_REGION_PAD, 0x2000);
	assert_int_equal(knmt_region_decode(nlmsg_hdr(msg), &r, why, sizeof(why)),
			 -KNMT_E_PROTO);
	assert_non_null(strstr(why, "KNMT_A_REGION_END"));
	fake_put_u64(msg, KNMT_A_REGION_END, KNMT_A_REGION_PAD, 0x1000);
	assert_int_equal(knmt_region_decode(nlmsg_hdr(msg), &r, why, sizeof(why)),
			 -KNMT_E_PROTO);
	assert_non_null(strstr(why, "before it starts"));
	nlmsg_free(msg);
}

static void test_site_decode(void **state)
{
	struct nl_msg *msg = fake_site_msg(0x401234, 50, KNMT_CAT_HEAP, false);
	struct knmt_fault_site s;

	(void)state;
	assert_int_equal(knmt_site_decode(nlmsg_hdr(msg), &s, why, sizeof(why)), 0);
	assert_false(s.other);
	assert_true(s.ip == 0x401234);
	assert_int_equal(s.faults, 50);
	assert_int_equal(s.bytes, 50 * 4096);
	assert_int_equal(s.category, KNMT_CAT_HEAP);
	nlmsg_free(msg);

	msg = fake_site_msg(0, 321, 0, true);
	assert_int_equal(knmt_site_decode(nlmsg_hdr(msg), &s, why, sizeof(why)), 0);
	assert_true(s.other);
	assert_int_equal(s.faults, 321);
	assert_false(KNMT_HAS(&s, KNMT_A_SITE_IP));
	assert_false(KNMT_HAS(&s, KNMT_A_SITE_BYTES));
	nlmsg_free(msg);
}

static void test_site_bad(void **state)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_DUMP_FAULT_SITES);
	struct knmt_fault_site s;

	(void)state;
	fake_put_u64(msg, KNMT_A_SITE_FAULTS, KNMT_A_SITE_PAD, 3);
	assert_int_equal(knmt_site_decode(nlmsg_hdr(msg), &s, why, sizeof(why)),
			 -KNMT_E_PROTO);
	assert_non_null(strstr(why, "KNMT_A_SITE_IP"));
	nlmsg_free(msg);

	/* a flag with a payload */
	msg = fake_reply(KNMT_CMD_DUMP_FAULT_SITES);
	assert_int_equal(nla_put_u32(msg, KNMT_A_SITE_OTHER, 1), 0);
	assert_int_equal(knmt_site_decode(nlmsg_hdr(msg), &s, why, sizeof(why)),
			 -KNMT_E_PROTO);
	assert_non_null(strstr(why, "KNMT_A_SITE_OTHER"));
	nlmsg_free(msg);
}

static void test_config_new_limits(void **state)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_CONFIG);
	struct knmt_config cfg;

	(void)state;
	assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_REGIONS_MAX, 65536), 0);
	assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_EXITS_MAX, 256), 0);
	assert_int_equal(knmt_config_decode(nlmsg_hdr(msg), &cfg, why, sizeof(why)), 0);
	assert_int_equal(cfg.regions_max, 65536);
	assert_int_equal(cfg.exits_max, 256);
	assert_true(KNMT_HAS(&cfg, KNMT_A_CONFIG_EXITS_MAX));
	assert_false(KNMT_HAS(&cfg, KNMT_A_CONFIG_PROCS_MAX));
	nlmsg_free(msg);
}

/* ---- requests against the fake kernel ------------------------------------ */

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
	h = NULL;
	fake_reset(NULL);
	return 0;
}

/* The last request: its command, flags and KNMT_A_PROC_PID (0 if none). */
static uint32_t sent_pid(uint8_t cmd, uint16_t flags)
{
	struct nlattr *tb[KNMT_A_PROC_MAX + 1];
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)fake.req;
	const struct genlmsghdr *g = NLMSG_DATA(nlh);

	assert_int_equal(g->cmd, cmd);
	assert_int_equal(g->version, KNMT_GENL_VERSION);
	assert_int_equal(nlh->nlmsg_flags, flags);
	assert_int_equal(genlmsg_parse((struct nlmsghdr *)fake.req, 0, tb,
				       KNMT_A_PROC_MAX, NULL), 0);
	if (!tb[KNMT_A_PROC_PID])
		return 0;
	assert_int_equal(nla_len(tb[KNMT_A_PROC_PID]), 4);
	return nla_get_u32(tb[KNMT_A_PROC_PID]);
}

/* True when the last request carries KNMT_A_PROC_PID, whatever its value. */
static bool sent_has_pid(void)
{
	struct nlattr *tb[KNMT_A_PROC_MAX + 1];

	assert_int_equal(genlmsg_parse((struct nlmsghdr *)fake.req, 0, tb,
				       KNMT_A_PROC_MAX, NULL), 0);
	return tb[KNMT_A_PROC_PID] != NULL;
}

static void answer_get_proc(const struct nlmsghdr *req)
{
	const struct fake_proc fp = { .pid = 321, .comm = "db", .k = 2 };

	(void)req;
	fake_push(fake_proc_msg(KNMT_CMD_GET_PROC, &fp));
	fake_push_ack();
}

static void test_get_proc(void **state)
{
	const struct fake_proc fp = { .pid = 321, .comm = "db", .k = 2 };
	struct knmt_proc_info p;

	(void)state;
	fake.respond = answer_get_proc;
	assert_int_equal(knmt_get_proc(h, 321, &p), 0);
	assert_int_equal(sent_pid(KNMT_CMD_GET_PROC, NLM_F_REQUEST | NLM_F_ACK), 321);
	check_full_proc(&p, &fp);
}

static void answer_esrch(const struct nlmsghdr *req)
{
	(void)req;
	fake_push_error(-ESRCH, "no such process", 20, false);
}

static void test_get_proc_no_such_process(void **state)
{
	struct knmt_proc_info p;

	(void)state;
	fake.respond = answer_esrch;
	assert_int_equal(knmt_get_proc(h, 999999, &p), -KNMT_E_KERNEL);
	assert_int_equal(knmt_kernel_errno(h), ESRCH);
	assert_string_equal(knmt_extack(h), "no such process");
	assert_int_equal(p.pid, 0);
}

static void answer_two_procs(const struct nlmsghdr *req)
{
	const struct fake_proc fp = { .pid = 1, .comm = "a", .k = 1 };

	(void)req;
	fake_push(fake_proc_msg(KNMT_CMD_GET_PROC, &fp));
	fake_push(fake_proc_msg(KNMT_CMD_GET_PROC, &fp));
	fake_push_ack();
}

static void test_get_proc_two_replies(void **state)
{
	struct knmt_proc_info p;

	(void)state;
	fake.respond = answer_two_procs;
	assert_int_equal(knmt_get_proc(h, 1, &p), -KNMT_E_PROTO);
	assert_non_null(strstr(knmt_strerror(h), "more than one reply"));
}

/* A dump of n processes (pid 100 + i, k = i + 1) in datagrams of 2. */
static size_t dump_n;
static bool dump_intr_once;

static void answer_dump_procs(const struct nlmsghdr *req)
{
	const struct genlmsghdr *g = NLMSG_DATA(req);
	struct nl_msg *msgs[2];
	size_t i = 0;

	while (i < dump_n) {
		size_t j, m = dump_n - i < 2 ? dump_n - i : 2;

		for (j = 0; j < m; j++, i++) {
			char comm[32];
			struct fake_proc fp = {
				.pid = (uint32_t)(100 + i), .comm = comm,
				.k = i + 1,
			};

			snprintf(comm, sizeof(comm), "proc%zu", i);
			if (g->cmd == KNMT_CMD_DUMP_EXITS) {
				fp.flags = KNMT_PROC_F_EXITED;
				fp.exit_ns = FAKE_SAMPLED_NS + i;
			}
			msgs[j] = fake_proc_msg(g->cmd, &fp);
			if (dump_intr_once && i == 1)
				nlmsg_hdr(msgs[j])->nlmsg_flags |= NLM_F_DUMP_INTR;
		}
		fake_push_many(msgs, m);
	}
	dump_intr_once = false;
	fake_push_done(0, NULL);
}

static void test_dump_procs_array(void **state)
{
	struct knmt_proc_info *procs;
	size_t n, i;

	(void)state;
	fake.respond = answer_dump_procs;
	dump_n = 5;
	assert_int_equal(knmt_dump_procs_array(h, &procs, &n), 0);
	assert_int_equal(sent_pid(KNMT_CMD_DUMP_PROCS, NLM_F_REQUEST | NLM_F_DUMP), 0);
	assert_int_equal(n, 5);
	for (i = 0; i < n; i++) {
		struct fake_proc fp = { .pid = (uint32_t)(100 + i), .k = i + 1 };
		char comm[32];

		snprintf(comm, sizeof(comm), "proc%zu", i);
		fp.comm = comm;
		check_full_proc(&procs[i], &fp);
	}
	free(procs);
	assert_int_equal(fake.nrequests, 1);
}

static void test_dump_procs_empty(void **state)
{
	struct knmt_proc_info *procs = (void *)1;
	size_t n = 7;

	(void)state;
	fake.respond = answer_dump_procs;
	dump_n = 0;
	assert_int_equal(knmt_dump_procs_array(h, &procs, &n), 0);
	assert_null(procs);
	assert_int_equal(n, 0);
}

static void test_dump_exits_array(void **state)
{
	struct knmt_proc_info *procs;
	size_t n;

	(void)state;
	fake.respond = answer_dump_procs;
	dump_n = 3;
	assert_int_equal(knmt_dump_exits_array(h, &procs, &n), 0);
	assert_int_equal(sent_pid(KNMT_CMD_DUMP_EXITS, NLM_F_REQUEST | NLM_F_DUMP), 0);
	assert_int_equal(n, 3);
	assert_int_equal(procs[2].pid, 102);
	assert_true(procs[2].exit_ns == FAKE_SAMPLED_NS + 2);
	assert_int_equal(procs[2].flags, KNMT_PROC_F_EXITED);
	free(procs);
}

static void test_dump_interrupted_retried(void **state)
{
	struct knmt_proc_info *procs;
	size_t n;

	(void)state;
	fake.respond = answer_dump_procs;
	dump_n = 3;
	dump_intr_once = true;
	assert_int_equal(knmt_dump_procs_array(h, &procs, &n), 0);
	assert_int_equal(fake.nrequests, 2);
	assert_int_equal(n, 3);		/* the second dump only */
	assert_int_equal(procs[0].pid, 100);
	free(procs);
}

struct count {
	size_t n;
	size_t stop_at;
};

static int count_proc(const struct knmt_proc_info *p, void *arg)
{
	struct count *c = arg;

	(void)p;
	if (++c->n == c->stop_at)
		return -KNMT_E_INVAL;
	return 0;
}

static int count_sock(const struct knmt_socket *s, void *arg)
{
	struct count *c = arg;

	(void)s;
	if (++c->n == c->stop_at)
		return -KNMT_E_INVAL;
	return 0;
}

static void test_dump_interrupted_reported(void **state)
{
	struct count c = { 0 };

	(void)state;
	fake.respond = answer_dump_procs;
	dump_n = 3;
	dump_intr_once = true;
	/* the callback form hands over what came and says so */
	assert_int_equal(knmt_dump_procs(h, count_proc, &c), -KNMT_E_INTR);
	assert_int_equal(c.n, 3);
	assert_int_equal(fake.nrequests, 1);
	/* and the socket is still usable */
	c.n = 0;
	assert_int_equal(knmt_dump_procs(h, count_proc, &c), 0);
	assert_int_equal(c.n, 3);
}

static void test_dump_callback_stops(void **state)
{
	struct count c = { .stop_at = 2 };

	(void)state;
	fake.respond = answer_dump_procs;
	dump_n = 5;
	assert_int_equal(knmt_dump_procs(h, count_proc, &c), -KNMT_E_INVAL);
	assert_int_equal(c.n, 2);
	assert_non_null(strstr(knmt_strerror(h), "stopped the dump"));
	/* the rest of the answer was read: the next request works */
	c.n = 0;
	c.stop_at = 0;
	assert_int_equal(knmt_dump_procs(h, count_proc, &c), 0);
	assert_int_equal(c.n, 5);
}

static void answer_bad_proc(const struct nlmsghdr *req)
{
	struct nl_msg *msgs[1];

	(void)req;
	msgs[0] = fake_reply(KNMT_CMD_DUMP_PROCS);
	assert_int_equal(nla_put_string(msgs[0], KNMT_A_PROC_COMM, "nopid"), 0);
	fake_push_many(msgs, 1);
	fake_push_done(0, NULL);
}

static void test_dump_procs_malformed(void **state)
{
	struct knmt_proc_info *procs;
	size_t n;

	(void)state;
	fake.respond = answer_bad_proc;
	assert_int_equal(knmt_dump_procs_array(h, &procs, &n), -KNMT_E_PROTO);
	assert_null(procs);
	assert_int_equal(n, 0);
	assert_non_null(strstr(knmt_strerror(h), "DUMP_PROCS reply"));
	assert_non_null(strstr(knmt_strerror(h), "KNMT_A_PROC_PID"));
}

static void answer_regions(const struct nlmsghdr *req)
{
	struct nl_msg *msgs[3];

	(void)req;
	msgs[0] = fake_region_msg(0x555500000000, 0x555500021000, KNMT_CAT_HEAP,
				  KNMT_ORIGIN_BRK, KNMT_PROT_READ | KNMT_PROT_WRITE,
				  0x21000, 1000000, 33, 77, NULL, 0);
	msgs[1] = fake_region_msg(0x7f0000000000, 0x7f0000100000, KNMT_CAT_FILE,
				  KNMT_ORIGIN_NONE, KNMT_PROT_READ, 4096, 0, 0, 0,
				  "/usr/lib/x86_64-linux-gnu/libc.so.6", 0);
	msgs[2] = fake_region_msg(0x7ffc00000000, 0x7ffc00021000, KNMT_CAT_STACK,
				  KNMT_ORIGIN_GROWSDOWN,
				  KNMT_PROT_READ | KNMT_PROT_WRITE, 8192, 0, 0, 0,
				  NULL, 0);
	fake_push_many(msgs, 2);
	fake_push_many(msgs + 2, 1);
	fake_push_done(0, NULL);
}

static void test_dump_regions_array(void **state)
{
	struct knmt_region *r;
	size_t n;

	(void)state;
	fake.respond = answer_regions;
	assert_int_equal(knmt_dump_regions_array(h, 4321, &r, &n), 0);
	assert_int_equal(sent_pid(KNMT_CMD_DUMP_REGIONS, NLM_F_REQUEST | NLM_F_DUMP),
			 4321);
	assert_int_equal(n, 3);
	assert_int_equal(r[0].category, KNMT_CAT_HEAP);
	assert_int_equal(r[0].origin, KNMT_ORIGIN_BRK);
	assert_int_equal(r[0].tid, 77);
	assert_null(r[0].file);
	/* a copy: the replies are gone */
	assert_string_equal(r[1].file, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	assert_true(r[2].start == 0x7ffc00000000);
	knmt_regions_free(r, n);
}

static void answer_regions_esrch(const struct nlmsghdr *req)
{
	(void)req;
	/* a dump's start failing: an NLMSG_ERROR, as netlink_dump_start */
	fake_push_error(-ESRCH, "no such process", 20, true);
}

static void test_dump_regions_no_such_process(void **state)
{
	struct knmt_region *r;
	size_t n;

	(void)state;
	fake.respond = answer_regions_esrch;
	assert_int_equal(knmt_dump_regions_array(h, 1, &r, &n), -KNMT_E_KERNEL);
	assert_int_equal(knmt_kernel_errno(h), ESRCH);
	assert_null(r);
}

static void answer_sites(const struct nlmsghdr *req)
{
	struct nl_msg *msgs[3];

	(void)req;
	msgs[0] = fake_site_msg(0x401000, 10, KNMT_CAT_HEAP, false);
	msgs[1] = fake_site_msg(0x402000, 30, KNMT_CAT_OFFHEAP, false);
	msgs[2] = fake_site_msg(0, 5, 0, true);
	fake_push_many(msgs, 3);
	fake_push_done(0, NULL);
}

static void test_dump_sites_array(void **state)
{
	struct knmt_fault_site *s;
	size_t n;

	(void)state;
	fake.respond = answer_sites;
	assert_int_equal(knmt_dump_fault_sites_array(h, 55, &s, &n), 0);
	assert_int_equal(sent_pid(KNMT_CMD_DUMP_FAULT_SITES,
				  NLM_F_REQUEST | NLM_F_DUMP), 55);
	assert_int_equal(n, 3);
	assert_true(s[1].ip == 0x402000);
	assert_int_equal(s[1].category, KNMT_CAT_OFFHEAP);
	assert_true(s[2].other);
	assert_int_equal(s[2].faults, 5);
	free(s);
}

static void answer_sites_untracked(const struct nlmsghdr *req)
{
	(void)req;
	fake_push_done(-ENOENT, "the process is not tracked");
}

static void test_dump_sites_untracked(void **state)
{
	struct knmt_fault_site *s;
	size_t n;

	(void)state;
	fake.respond = answer_sites_untracked;
	assert_int_equal(knmt_dump_fault_sites_array(h, 55, &s, &n), -KNMT_E_KERNEL);
	assert_int_equal(knmt_kernel_errno(h), ENOENT);
	assert_string_equal(knmt_extack(h), "the process is not tracked");
}

/* ---- DUMP_SOCKETS ---------------------------------------------------------- */

static void answer_sockets(const struct nlmsghdr *req)
{
	const struct fake_sock socks[] = {
		{ .pid = 10, .comm = "a", .inode = 1, .family = AF_INET,
		  .type = SOCK_STREAM, .protocol = IPPROTO_TCP, .state = 10,
		  .local = "0.0.0.0", .lport = 80, .remote = "0.0.0.0", .k = 1 },
		{ .pid = 10, .comm = "a", .inode = 2, .family = AF_UNIX,
		  .type = SOCK_DGRAM, .state = 7, .k = 1 },
		{ .pid = 11, .comm = "b", .inode = 3, .family = AF_INET6,
		  .type = SOCK_STREAM, .protocol = IPPROTO_TCP, .state = 1,
		  .local = "::1", .lport = 5432, .remote = "::1", .rport = 40000,
		  .k = 3, .flags = KNMT_SOCK_F_APPROX },
	};
	struct nl_msg *msgs[3];
	size_t i;

	(void)req;
	for (i = 0; i < 3; i++)
		msgs[i] = fake_sock_msg(&socks[i]);
	fake_push_many(msgs, 2);
	fake_push_many(msgs + 2, 1);
	fake_push_done(0, NULL);
}

static void test_dump_sockets_all(void **state)
{
	struct knmt_socket *s;
	size_t n;

	(void)state;
	fake.respond = answer_sockets;
	assert_int_equal(knmt_dump_sockets_array(h, 0, &s, &n), 0);
	/* every process: the request carries no pid */
	assert_int_equal(sent_pid(KNMT_CMD_DUMP_SOCKETS, NLM_F_REQUEST | NLM_F_DUMP), 0);
	assert_false(sent_has_pid());
	assert_int_equal(n, 3);
	assert_int_equal(s[0].pid, 10);
	assert_int_equal(s[0].state, 10);
	assert_int_equal(s[0].local_port, 80);
	assert_int_equal(s[1].family, AF_UNIX);
	assert_int_equal(s[1].mem, 4096);
	assert_int_equal(s[2].pid, 11);
	assert_string_equal(s[2].comm, "b");
	assert_int_equal(s[2].flags, KNMT_SOCK_F_APPROX);
	assert_int_equal(s[2].remote_addr_len, 16);
	assert_int_equal(s[2].remote_addr[15], 1);
	assert_int_equal(s[2].mem, 3 * 4096);
	free(s);
}

static void test_dump_sockets_pid(void **state)
{
	struct count c = { 0 };
	struct knmt_socket *s;
	size_t n;

	(void)state;
	fake.respond = answer_sockets;
	assert_int_equal(knmt_dump_sockets_array(h, 4242, &s, &n), 0);
	assert_int_equal(sent_pid(KNMT_CMD_DUMP_SOCKETS, NLM_F_REQUEST | NLM_F_DUMP),
			 4242);
	free(s);
	assert_int_equal(knmt_dump_sockets(h, 77, count_sock, &c), 0);
	assert_int_equal(sent_pid(KNMT_CMD_DUMP_SOCKETS, NLM_F_REQUEST | NLM_F_DUMP), 77);
	assert_int_equal(c.n, 3);
	c.n = 0;
	assert_int_equal(knmt_dump_sockets(h, 0, count_sock, &c), 0);
	assert_false(sent_has_pid());
	assert_int_equal(c.n, 3);
	assert_int_equal(knmt_dump_sockets(h, 0, NULL, NULL), -KNMT_E_INVAL);
	assert_int_equal(knmt_dump_sockets_array(h, 0, NULL, &n), -KNMT_E_INVAL);
}

static void test_dump_sockets_errors(void **state)
{
	struct knmt_socket *s = (void *)1;
	size_t n = 5;

	(void)state;
	fake.respond = answer_regions_esrch;
	assert_int_equal(knmt_dump_sockets_array(h, 9, &s, &n), -KNMT_E_KERNEL);
	assert_int_equal(knmt_kernel_errno(h), ESRCH);
	assert_null(s);
	assert_int_equal(n, 0);

	fake.respond = answer_sites_untracked;
	assert_int_equal(knmt_dump_sockets_array(h, 9, &s, &n), -KNMT_E_KERNEL);
	assert_int_equal(knmt_kernel_errno(h), ENOENT);

	fake.respond = answer_dump_procs;	/* no socket at all */
	dump_n = 0;
	assert_int_equal(knmt_dump_sockets_array(h, 0, &s, &n), 0);
	assert_null(s);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_socket_names),
		cmocka_unit_test(test_proc_complete),
		cmocka_unit_test(test_proc_missing_optional),
		cmocka_unit_test(test_proc_only_pid),
		cmocka_unit_test(test_proc_missing_pid),
		cmocka_unit_test(test_proc_category_without_id),
		cmocka_unit_test(test_proc_category_wrong_size),
		cmocka_unit_test(test_proc_lifetime_bucket_wrong_size),
		cmocka_unit_test(test_proc_sparse_lifetime),
		cmocka_unit_test(test_proc_long_comm_cut),
		cmocka_unit_test(test_proc_unaccounted_positive),
		cmocka_unit_test(test_exit_record),
		cmocka_unit_test(test_proc_sockets),
		cmocka_unit_test(test_proc_sockets_sparse),
		cmocka_unit_test(test_proc_sockets_malformed),
		cmocka_unit_test(test_socket_inet),
		cmocka_unit_test(test_socket_inet6_and_unix),
		cmocka_unit_test(test_socket_bad),
		cmocka_unit_test(test_region_complete),
		cmocka_unit_test(test_region_minimal),
		cmocka_unit_test(test_region_bad),
		cmocka_unit_test(test_site_decode),
		cmocka_unit_test(test_site_bad),
		cmocka_unit_test(test_config_new_limits),
		cmocka_unit_test_setup_teardown(test_get_proc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get_proc_no_such_process, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get_proc_two_replies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_procs_array, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_procs_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_exits_array, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_interrupted_retried, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_interrupted_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_callback_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_procs_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_regions_array, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_regions_no_such_process, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_sites_array, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_sites_untracked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_sockets_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_sockets_pid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_sockets_errors, setup, teardown),
	};

	return cmocka_run_group_tests_name("proc", tests, NULL, NULL);
}
