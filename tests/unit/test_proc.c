// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The per-process part of libknmt: decoding of process, region and fault
 * site messages built by hand, and GET_PROC and the dumps against the
 * fake kernel (requests sent, multi-part answers, errors, retries).
 */
#include <errno.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
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
	};

	return cmocka_run_group_tests_name("proc", tests, NULL, NULL);
}
