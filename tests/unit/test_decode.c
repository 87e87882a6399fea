// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Decoding of GET_STATUS and GET_CONFIG replies built by hand, and the
 * encoding of SET_CONFIG.
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

static int decode_status(struct nl_msg *msg, struct knmt_status *st)
{
	int ret;

	why[0] = '\0';
	ret = knmt_status_decode(nlmsg_hdr(msg), st, why, sizeof(why));
	nlmsg_free(msg);
	return ret;
}

static void test_status_complete(void **state)
{
	struct knmt_status st;
	size_t i;

	(void)state;
	assert_int_equal(decode_status(fake_status_msg(3), &st), 0);
	assert_string_equal(st.version, "0.1.0");
	assert_string_equal(st.release_built, "6.1.0-56-amd64");
	assert_string_equal(st.release_running, "6.1.0-56-amd64");
	assert_int_equal(st.procs_tracked, 12);
	assert_int_equal(st.procs_max, 4096);
	assert_int_equal(st.procs_overflow, 3);
	assert_int_equal(st.events_emitted, 123456);
	assert_int_equal(st.events_dropped, 7);
	assert_int_equal(st.mem_bytes, 1572864);
	assert_int_equal(st.recursion, 2);
	assert_true(st.uptime_ns == UINT64_C(3723000000000));
	assert_int_equal(st.regions_tracked, 40);
	assert_int_equal(st.regions_max, 65536);
	assert_int_equal(st.regions_overflow, 5);
	assert_int_equal(st.exits_kept, 9);
	assert_int_equal(st.sockets_tracked, 321);
	assert_int_equal(st.sockets_max, 131072);
	assert_int_equal(st.sockets_overflow, 4);
	assert_int_equal(st.sockets_stale, 6);
	assert_true(KNMT_HAS(&st, KNMT_A_STATUS_SOCKETS_STALE));
	assert_int_equal(st.threads_tracked, 57);
	assert_int_equal(st.threads_max, 262144);
	assert_int_equal(st.threads_overflow, 8);
	assert_true(KNMT_HAS(&st, KNMT_A_STATUS_THREADS_TRACKED));
	assert_true(KNMT_HAS(&st, KNMT_A_STATUS_THREADS_MAX));
	assert_true(KNMT_HAS(&st, KNMT_A_STATUS_THREADS_OVERFLOW));
	assert_true(KNMT_HAS(&st, KNMT_A_STATUS_UPTIME_NS));
	assert_true(KNMT_HAS(&st, KNMT_A_STATUS_HOOK));

	assert_int_equal(st.n_hooks, 3);
	for (i = 0; i < 3; i++) {
		const struct knmt_hook *hk = &st.hooks[i];
		char name[32];

		snprintf(name, sizeof(name), "hook%zu", i);
		assert_string_equal(hk->name, name);
		assert_int_equal(hk->kind, i % 3);
		assert_int_equal(hk->state, i % 3);
		assert_string_equal(hk->preferred, "mmap_region");
		assert_int_equal(hk->hits, 1000 + i);
		assert_int_equal(hk->missed, i);
		assert_true(KNMT_HAS(hk, KNMT_A_HOOK_COST_NS));
		assert_true(KNMT_HAS(hk, KNMT_A_HOOK_COST_RUNS));
	}
	assert_int_equal(st.hooks[0].cost_runs, 10);
	assert_int_equal(st.hooks[0].cost_ns, 1000);
	assert_int_equal(st.hooks[1].cost_runs, 11);
	assert_int_equal(st.hooks[1].cost_ns, 2200);
	assert_int_equal(st.hooks[2].cost_runs, 0);
	assert_int_equal(st.cost_sample, 64);
	assert_true(KNMT_HAS(&st, KNMT_A_STATUS_SAMPLER_ROUND_MS));
	assert_int_equal(st.sampler_round_ms, 37);
	assert_int_equal(st.n_mem, FAKE_MEM_KINDS);
	assert_string_equal(st.mem[0].name, "processes");
	assert_int_equal(st.mem[0].bytes, 24576);
	assert_int_equal(st.mem[0].records, 12);
	assert_int_equal(st.mem[0].record_size, 1800);
	assert_string_equal(st.mem[1].name, "threads");
	assert_int_equal(st.mem[1].bytes, 16384);
	assert_int_equal(st.mem[1].records, 32);
	assert_int_equal(st.mem[1].record_size, 320);
	assert_string_equal(st.mem[2].name, "regions");
	assert_int_equal(st.mem[2].record_size, 104);
	assert_string_equal(st.mem[4].name, "events");
	assert_int_equal(st.mem[4].bytes, 65536);
	assert_false(KNMT_HAS(&st.mem[4], KNMT_A_MEM_RECORDS));
	assert_false(KNMT_HAS(&st.mem[4], KNMT_A_MEM_RECORD_SIZE));
	assert_string_equal(st.hooks[0].target, "mmap_region");
	assert_null(st.hooks[0].reason);
	assert_int_equal(st.hooks[0].error, 0);
	assert_string_equal(st.hooks[1].target, "do_mmap");
	assert_int_equal(st.hooks[1].error, ENOENT);
	assert_null(st.hooks[2].target);
	assert_string_equal(st.hooks[2].reason, "symbol not found");
	assert_false(KNMT_HAS(&st.hooks[2], KNMT_A_HOOK_TARGET));
	knmt_status_free(&st);
}

/* Event drops by type (a nest numbered from 1), undelivered, listeners. */
static void test_status_events(void **state)
{
	struct nl_msg *msg;
	struct knmt_status st;
	struct nlattr *nest;
	unsigned int t;

	(void)state;
	assert_int_equal(decode_status(fake_status_msg(0), &st), 0);
	assert_true(KNMT_HAS(&st, KNMT_A_STATUS_EVENT_DROPS));
	/* sent: exec (0), mmap, faults; the newer type is ignored */
	assert_int_equal(st.event_drops_present,
			 (1U << KNMT_EV_EXEC) | (1U << KNMT_EV_MMAP) |
			 (1U << KNMT_EV_FAULTS));
	for (t = 0; t < KNMT_EV_NR; t++)
		assert_int_equal(st.event_drops[t],
				 t == KNMT_EV_MMAP ? FAKE_DROPS_MMAP :
				 t == KNMT_EV_FAULTS ? FAKE_DROPS_FAULTS : 0);
	assert_int_equal(st.events_undelivered, FAKE_UNDELIVERED);
	assert_true(KNMT_HAS(&st, KNMT_A_STATUS_EVENTS_UNDELIVERED));
	assert_int_equal(st.event_listeners, 1);
	assert_true(KNMT_HAS(&st, KNMT_A_STATUS_EVENT_LISTENERS));
	knmt_status_free(&st);

	/* the last type of the enum */
	msg = fake_reply(KNMT_CMD_GET_STATUS);
	assert_int_equal(nla_put_string(msg, KNMT_A_STATUS_VERSION, "1"), 0);
	nest = nla_nest_start(msg, KNMT_A_STATUS_EVENT_DROPS);
	fake_put_u64(msg, KNMT_EV_SOCK_STATE + 1, 0, 5);
	nla_nest_end(msg, nest);
	assert_int_equal(nla_put_u8(msg, KNMT_A_STATUS_EVENT_LISTENERS, 0), 0);
	assert_int_equal(decode_status(msg, &st), 0);
	assert_int_equal(st.event_drops_present, 1U << KNMT_EV_SOCK_STATE);
	assert_int_equal(st.event_drops[KNMT_EV_SOCK_STATE], 5);
	assert_int_equal(st.event_listeners, 0);
	assert_true(KNMT_HAS(&st, KNMT_A_STATUS_EVENT_LISTENERS));
	assert_false(KNMT_HAS(&st, KNMT_A_STATUS_EVENTS_UNDELIVERED));
	knmt_status_free(&st);

	/* a module without events */
	msg = fake_reply(KNMT_CMD_GET_STATUS);
	assert_int_equal(nla_put_string(msg, KNMT_A_STATUS_VERSION, "1"), 0);
	assert_int_equal(decode_status(msg, &st), 0);
	assert_int_equal(st.event_drops_present, 0);
	assert_false(KNMT_HAS(&st, KNMT_A_STATUS_EVENT_DROPS));
	knmt_status_free(&st);
}

static void test_status_events_malformed(void **state)
{
	struct nl_msg *msg;
	struct knmt_status st;
	struct nlattr *nest;

	(void)state;
	/* a counter of 4 bytes in the drops nest */
	msg = fake_reply(KNMT_CMD_GET_STATUS);
	assert_int_equal(nla_put_string(msg, KNMT_A_STATUS_VERSION, "1"), 0);
	nest = nla_nest_start(msg, KNMT_A_STATUS_EVENT_DROPS);
	assert_int_equal(nla_put_u32(msg, KNMT_EV_BRK + 1, 5), 0);
	nla_nest_end(msg, nest);
	assert_int_equal(decode_status(msg, &st), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "KNMT_A_STATUS_EVENT_DROPS"));
	assert_non_null(strstr(why, "has 4 bytes, expected 8"));
	assert_null(st.version);
	assert_int_equal(st.event_drops_present, 0);

	/* listeners as a u32 */
	msg = fake_reply(KNMT_CMD_GET_STATUS);
	assert_int_equal(nla_put_string(msg, KNMT_A_STATUS_VERSION, "1"), 0);
	assert_int_equal(nla_put_u32(msg, KNMT_A_STATUS_EVENT_LISTENERS, 1), 0);
	assert_int_equal(decode_status(msg, &st), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "KNMT_A_STATUS_EVENT_LISTENERS"));
}

static void test_status_missing_optional(void **state)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_STATUS);
	struct knmt_status st;

	(void)state;
	assert_int_equal(nla_put_string(msg, KNMT_A_STATUS_VERSION, "9.9"), 0);
	assert_int_equal(decode_status(msg, &st), 0);
	assert_string_equal(st.version, "9.9");
	assert_null(st.release_built);
	assert_null(st.release_running);
	assert_int_equal(st.n_hooks, 0);
	assert_null(st.hooks);
	assert_true(st.present == KNMT_BIT(KNMT_A_STATUS_VERSION));
	assert_false(KNMT_HAS(&st, KNMT_A_STATUS_MEM_BYTES));
	assert_false(KNMT_HAS(&st, KNMT_A_STATUS_SOCKETS_MAX));
	assert_int_equal(st.sockets_max, 0);
	assert_false(KNMT_HAS(&st, KNMT_A_STATUS_THREADS_OVERFLOW));
	assert_int_equal(st.threads_overflow, 0);
	knmt_status_free(&st);
}

static void test_status_missing_required(void **state)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_STATUS);
	struct knmt_status st;

	(void)state;
	assert_int_equal(nla_put_u32(msg, KNMT_A_STATUS_PROCS_MAX, 1), 0);
	assert_int_equal(decode_status(msg, &st), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "KNMT_A_STATUS_VERSION"));
	assert_non_null(strstr(why, "missing"));
	assert_null(st.version);
}

static void test_status_unknown_attrs_ignored(void **state)
{
	struct nl_msg *msg = fake_status_msg(1);
	struct knmt_status st;
	struct nlattr *nest;

	(void)state;
	/* a newer module: a top-level attribute and a hook attribute we do
	 * not know, of sizes we cannot predict */
	assert_int_equal(nla_put_u32(msg, KNMT_A_STATUS_MAX + 1, 42), 0);
	assert_int_equal(nla_put(msg, KNMT_A_STATUS_MAX + 7, 3, "abc"), 0);
	nest = nla_nest_start(msg, KNMT_A_STATUS_HOOK);
	assert_non_null(nest);
	assert_int_equal(nla_put_string(msg, KNMT_A_HOOK_NAME, "newer"), 0);
	assert_int_equal(nla_put_u8(msg, KNMT_A_HOOK_KIND, 1), 0);
	assert_int_equal(nla_put_u8(msg, KNMT_A_HOOK_STATE, 0), 0);
	assert_int_equal(nla_put_u16(msg, KNMT_A_HOOK_MAX + 1, 7), 0);
	nla_nest_end(msg, nest);

	assert_int_equal(decode_status(msg, &st), 0);
	assert_int_equal(st.n_hooks, 2);
	assert_string_equal(st.hooks[1].name, "newer");
	assert_int_equal(st.hooks[1].kind, KNMT_HOOK_KIND_KPROBE);
	assert_int_equal(st.mem_bytes, 1572864);
	knmt_status_free(&st);
}

static void test_status_wrong_length_u64(void **state)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_STATUS);
	struct knmt_status st;

	(void)state;
	assert_int_equal(nla_put_string(msg, KNMT_A_STATUS_VERSION, "1"), 0);
	assert_int_equal(nla_put_u32(msg, KNMT_A_STATUS_MEM_BYTES, 5), 0);
	assert_int_equal(decode_status(msg, &st), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "KNMT_A_STATUS_MEM_BYTES"));
	assert_non_null(strstr(why, "has 4 bytes, expected 8"));
	assert_null(st.version);
}

static void test_status_wrong_length_u32_long(void **state)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_STATUS);
	struct knmt_status st;

	(void)state;
	assert_int_equal(nla_put_string(msg, KNMT_A_STATUS_VERSION, "1"), 0);
	/* longer than expected is as wrong as shorter */
	assert_int_equal(nla_put_u64(msg, KNMT_A_STATUS_PROCS_MAX, 5), 0);
	assert_int_equal(decode_status(msg, &st), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "KNMT_A_STATUS_PROCS_MAX"));
}

static void test_hook_wrong_length_u8(void **state)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_STATUS);
	struct knmt_status st;
	struct nlattr *nest;

	(void)state;
	assert_int_equal(nla_put_string(msg, KNMT_A_STATUS_VERSION, "1"), 0);
	nest = nla_nest_start(msg, KNMT_A_STATUS_HOOK);
	assert_int_equal(nla_put_string(msg, KNMT_A_HOOK_NAME, "fault"), 0);
	assert_int_equal(nla_put_u32(msg, KNMT_A_HOOK_KIND, 1), 0);
	assert_int_equal(nla_put_u8(msg, KNMT_A_HOOK_STATE, 0), 0);
	nla_nest_end(msg, nest);
	assert_int_equal(decode_status(msg, &st), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "hook #0"));
	assert_non_null(strstr(why, "KNMT_A_HOOK_KIND"));
	assert_int_equal(st.n_hooks, 0);
	assert_null(st.hooks);
}

static void test_hook_missing_name(void **state)
{
	struct nl_msg *msg = fake_status_msg(1);
	struct knmt_status st;
	struct nlattr *nest;

	(void)state;
	nest = nla_nest_start(msg, KNMT_A_STATUS_HOOK);
	assert_int_equal(nla_put_u8(msg, KNMT_A_HOOK_KIND, 1), 0);
	assert_int_equal(nla_put_u8(msg, KNMT_A_HOOK_STATE, 0), 0);
	nla_nest_end(msg, nest);
	assert_int_equal(decode_status(msg, &st), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "hook #1"));
	assert_non_null(strstr(why, "KNMT_A_HOOK_NAME"));
}

static void test_status_string_without_nul(void **state)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_STATUS);
	struct knmt_status st;

	(void)state;
	assert_int_equal(nla_put(msg, KNMT_A_STATUS_VERSION, 4, "1.00"), 0);
	assert_int_equal(decode_status(msg, &st), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "NUL"));
}

static void test_status_truncated_attr(void **state)
{
	struct nl_msg *msg = fake_status_msg(2);
	struct knmt_status st;

	(void)state;
	/* the last attribute (UPTIME_NS: 12 bytes) loses its last 4 bytes:
	 * its header now claims more than the message holds */
	nlmsg_hdr(msg)->nlmsg_len -= 4;
	assert_int_equal(decode_status(msg, &st), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "truncated"));
	assert_null(st.version);
}

static void test_status_short_header(void **state)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_STATUS);
	struct knmt_status st;

	(void)state;
	nlmsg_hdr(msg)->nlmsg_len = NLMSG_HDRLEN + 2;
	assert_int_equal(decode_status(msg, &st), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "shorter than its headers"));
}

static void test_status_version_mismatch(void **state)
{
	struct nl_msg *msg = fake_reply_version(KNMT_CMD_GET_STATUS, 2);
	struct knmt_status st;

	(void)state;
	assert_int_equal(nla_put_string(msg, KNMT_A_STATUS_VERSION, "2.0"), 0);
	assert_int_equal(decode_status(msg, &st), -KNMT_E_VERSION);
	assert_non_null(strstr(why, "version 2"));
}

static void test_status_many_hooks(void **state)
{
	struct knmt_status st;
	size_t i;

	(void)state;
	/* more than fits in one page: the message grows as the kernel's
	 * would for a module with many hooks */
	assert_int_equal(decode_status(fake_status_msg(150), &st), 0);
	assert_int_equal(st.n_hooks, 150);
	for (i = 0; i < st.n_hooks; i++) {
		char name[32];

		snprintf(name, sizeof(name), "hook%zu", i);
		assert_string_equal(st.hooks[i].name, name);
		assert_int_equal(st.hooks[i].hits, 1000 + i);
	}
	knmt_status_free(&st);
}

static void test_status_free_twice(void **state)
{
	struct knmt_status st;

	(void)state;
	assert_int_equal(decode_status(fake_status_msg(2), &st), 0);
	knmt_status_free(&st);
	knmt_status_free(&st);	/* zeroed: harmless */
	knmt_status_free(NULL);
}

static int decode_config(struct nl_msg *msg, struct knmt_config *cfg)
{
	int ret;

	why[0] = '\0';
	ret = knmt_config_decode(nlmsg_hdr(msg), cfg, why, sizeof(why));
	nlmsg_free(msg);
	return ret;
}

static void test_config_complete(void **state)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_CONFIG);
	struct knmt_config cfg;

	(void)state;
	fake_put_u64(msg, KNMT_A_CONFIG_OFFHEAP_MIN_BYTES, KNMT_A_CONFIG_PAD,
		     131072);
	assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_PROCS_MAX, 4096), 0);
	assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_MAX + 1, 1), 0);
	assert_int_equal(decode_config(msg, &cfg), 0);
	assert_int_equal(cfg.offheap_min_bytes, 131072);
	assert_int_equal(cfg.procs_max, 4096);
	assert_true(KNMT_HAS(&cfg, KNMT_A_CONFIG_OFFHEAP_MIN_BYTES));
	assert_true(KNMT_HAS(&cfg, KNMT_A_CONFIG_PROCS_MAX));
}

static void test_config_sockets_max(void **state)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_CONFIG);
	struct knmt_config cfg;

	(void)state;
	assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_SOCKETS_MAX, 131072), 0);
	assert_int_equal(decode_config(msg, &cfg), 0);
	assert_int_equal(cfg.sockets_max, 131072);
	assert_true(cfg.present == KNMT_BIT(KNMT_A_CONFIG_SOCKETS_MAX));

	msg = fake_reply(KNMT_CMD_GET_CONFIG);
	fake_put_u64(msg, KNMT_A_CONFIG_SOCKETS_MAX, KNMT_A_CONFIG_PAD, 1);
	assert_int_equal(decode_config(msg, &cfg), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "KNMT_A_CONFIG_SOCKETS_MAX"));
}

static void test_config_partial(void **state)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_CONFIG);
	struct knmt_config cfg;

	(void)state;
	assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_PROCS_MAX, 8), 0);
	assert_int_equal(decode_config(msg, &cfg), 0);
	assert_false(KNMT_HAS(&cfg, KNMT_A_CONFIG_OFFHEAP_MIN_BYTES));
	assert_int_equal(cfg.procs_max, 8);
}

static void test_config_wrong_length(void **state)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_CONFIG);
	struct knmt_config cfg;

	(void)state;
	assert_int_equal(nla_put_u16(msg, KNMT_A_CONFIG_OFFHEAP_MIN_BYTES, 1), 0);
	assert_int_equal(decode_config(msg, &cfg), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "KNMT_A_CONFIG_OFFHEAP_MIN_BYTES"));
	assert_int_equal(cfg.present, 0);
}

static void test_config_fill(void **state)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct knmt_config cfg = { 0 };
	struct nlattr *tb[KNMT_A_CONFIG_MAX + 1];
	struct nlmsghdr *nlh;

	(void)state;
	assert_non_null(genlmsg_put(msg, 0, 0, FAKE_FAMILY, 0, 0,
				    KNMT_CMD_SET_CONFIG, 1));
	knmt_config_set_offheap_min_bytes(&cfg, 262144);
	assert_int_equal(knmt_config_fill(msg, &cfg), 0);
	nlh = nlmsg_hdr(msg);
	assert_int_equal(genlmsg_parse(nlh, 0, tb, KNMT_A_CONFIG_MAX, NULL), 0);
	assert_non_null(tb[KNMT_A_CONFIG_OFFHEAP_MIN_BYTES]);
	assert_int_equal(nla_len(tb[KNMT_A_CONFIG_OFFHEAP_MIN_BYTES]), 8);
	assert_int_equal(nla_get_u64(tb[KNMT_A_CONFIG_OFFHEAP_MIN_BYTES]), 262144);
	assert_null(tb[KNMT_A_CONFIG_PROCS_MAX]);

	cfg.present |= KNMT_BIT(KNMT_A_CONFIG_MAX + 1);
	assert_int_equal(knmt_config_fill(msg, &cfg), -KNMT_E_INVAL);
	nlmsg_free(msg);
}

/* GET_CONFIG of a module with the sampler and the tracking filter. */
static struct nl_msg *config_filter_msg(uint32_t pid, const char *comm,
					uint64_t cgroup)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_CONFIG);

	/* in the module's order: the filter first */
	assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_FILTER_PID, pid), 0);
	assert_int_equal(nla_put_string(msg, KNMT_A_CONFIG_FILTER_COMM, comm), 0);
	fake_put_u64(msg, KNMT_A_CONFIG_FILTER_CGROUP, KNMT_A_CONFIG_PAD, cgroup);
	assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_SAMPLE_MS, 250), 0);
	fake_put_u64(msg, KNMT_A_CONFIG_OFFHEAP_MIN_BYTES, KNMT_A_CONFIG_PAD,
		     131072);
	assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_PROCS_MAX, 4096), 0);
	assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_REGIONS_MAX, 65536), 0);
	assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_EXITS_MAX, 256), 0);
	return msg;
}

static void test_config_filter(void **state)
{
	struct knmt_config cfg;

	(void)state;
	assert_int_equal(decode_config(config_filter_msg(4242, "java",
							 UINT64_C(0x100000007)),
				       &cfg), 0);
	assert_int_equal(cfg.sample_ms, 250);
	assert_int_equal(cfg.filter_pid, 4242);
	assert_string_equal(cfg.filter_comm, "java");
	assert_true(cfg.filter_cgroup == UINT64_C(0x100000007));
	assert_int_equal(cfg.offheap_min_bytes, 131072);
	assert_int_equal(cfg.exits_max, 256);
	assert_true(KNMT_HAS(&cfg, KNMT_A_CONFIG_SAMPLE_MS));
	assert_true(KNMT_HAS(&cfg, KNMT_A_CONFIG_FILTER_PID));
	assert_true(KNMT_HAS(&cfg, KNMT_A_CONFIG_FILTER_COMM));
	assert_true(KNMT_HAS(&cfg, KNMT_A_CONFIG_FILTER_CGROUP));
}

static void test_config_filter_none(void **state)
{
	struct knmt_config cfg;

	(void)state;
	/* no criterion: sent as 0, "" and 0, still present */
	assert_int_equal(decode_config(config_filter_msg(0, "", 0), &cfg), 0);
	assert_int_equal(cfg.filter_pid, 0);
	assert_string_equal(cfg.filter_comm, "");
	assert_true(cfg.filter_cgroup == 0);
	assert_true(KNMT_HAS(&cfg, KNMT_A_CONFIG_FILTER_PID));
	assert_true(KNMT_HAS(&cfg, KNMT_A_CONFIG_FILTER_COMM));
	assert_true(KNMT_HAS(&cfg, KNMT_A_CONFIG_FILTER_CGROUP));

	/* an older module: none of them */
	assert_int_equal(decode_config(fake_reply(KNMT_CMD_GET_CONFIG), &cfg), 0);
	assert_int_equal(cfg.present, 0);
	assert_string_equal(cfg.filter_comm, "");
}

static void test_config_filter_long_comm(void **state)
{
	char name[100];
	struct knmt_config cfg;

	(void)state;
	/* longer than the buffer (a kernel with longer command names): cut */
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(decode_config(config_filter_msg(0, name, 0), &cfg), 0);
	assert_int_equal(strlen(cfg.filter_comm), KNMT_COMM_MAX - 1);
}

static void test_config_filter_malformed(void **state)
{
	struct nl_msg *msg;
	struct knmt_config cfg;

	(void)state;
	msg = fake_reply(KNMT_CMD_GET_CONFIG);
	assert_int_equal(nla_put(msg, KNMT_A_CONFIG_FILTER_COMM, 4, "java"), 0);
	assert_int_equal(decode_config(msg, &cfg), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "KNMT_A_CONFIG_FILTER_COMM"));
	assert_non_null(strstr(why, "NUL"));
	assert_int_equal(cfg.present, 0);

	msg = fake_reply(KNMT_CMD_GET_CONFIG);
	assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_FILTER_CGROUP, 7), 0);
	assert_int_equal(decode_config(msg, &cfg), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "KNMT_A_CONFIG_FILTER_CGROUP"));

	msg = fake_reply(KNMT_CMD_GET_CONFIG);
	fake_put_u64(msg, KNMT_A_CONFIG_FILTER_PID, KNMT_A_CONFIG_PAD, 7);
	assert_int_equal(decode_config(msg, &cfg), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "KNMT_A_CONFIG_FILTER_PID"));

	msg = fake_reply(KNMT_CMD_GET_CONFIG);
	assert_int_equal(nla_put_u8(msg, KNMT_A_CONFIG_SAMPLE_MS, 7), 0);
	assert_int_equal(decode_config(msg, &cfg), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "KNMT_A_CONFIG_SAMPLE_MS"));
}

/* Encodes cfg as a SET_CONFIG request into tb; returns the message. */
static struct nl_msg *fill(const struct knmt_config *cfg, struct nlattr **tb)
{
	struct nl_msg *msg = nlmsg_alloc();

	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, 0, 0, FAKE_FAMILY, 0, 0,
				    KNMT_CMD_SET_CONFIG, 1));
	assert_int_equal(knmt_config_fill(msg, (void *)cfg), 0);
	assert_int_equal(genlmsg_parse(nlmsg_hdr(msg), 0, tb, KNMT_A_CONFIG_MAX,
				       NULL), 0);
	return msg;
}

static void test_config_fill_filter(void **state)
{
	struct nlattr *tb[KNMT_A_CONFIG_MAX + 1];
	struct knmt_config cfg = { 0 };
	struct nl_msg *msg;

	(void)state;
	knmt_config_set_filter_pid(&cfg, 4242);
	assert_int_equal(knmt_config_set_filter_comm(&cfg, "java"), 0);
	knmt_config_set_filter_cgroup(&cfg, UINT64_C(0x100000007));
	msg = fill(&cfg, tb);
	assert_int_equal(nla_len(tb[KNMT_A_CONFIG_FILTER_PID]), 4);
	assert_int_equal(nla_get_u32(tb[KNMT_A_CONFIG_FILTER_PID]), 4242);
	/* NUL-terminated, as NLA_NUL_STRING wants */
	assert_int_equal(nla_len(tb[KNMT_A_CONFIG_FILTER_COMM]), 5);
	assert_memory_equal(nla_data(tb[KNMT_A_CONFIG_FILTER_COMM]), "java", 5);
	assert_int_equal(nla_len(tb[KNMT_A_CONFIG_FILTER_CGROUP]), 8);
	assert_true(nla_get_u64(tb[KNMT_A_CONFIG_FILTER_CGROUP]) ==
		    UINT64_C(0x100000007));
	/* nothing else */
	assert_null(tb[KNMT_A_CONFIG_OFFHEAP_MIN_BYTES]);
	assert_null(tb[KNMT_A_CONFIG_SAMPLE_MS]);
	assert_null(tb[KNMT_A_CONFIG_PROCS_MAX]);
	nlmsg_free(msg);
}

static void test_config_fill_clear_filter(void **state)
{
	struct nlattr *tb[KNMT_A_CONFIG_MAX + 1];
	struct knmt_config cfg = { 0 };
	struct nl_msg *msg;

	(void)state;
	assert_int_equal(knmt_config_set_filter_comm(&cfg, "java"), 0);
	knmt_config_clear_filter(&cfg);
	assert_true(cfg.present == (KNMT_BIT(KNMT_A_CONFIG_FILTER_PID) |
				    KNMT_BIT(KNMT_A_CONFIG_FILTER_COMM) |
				    KNMT_BIT(KNMT_A_CONFIG_FILTER_CGROUP)));
	msg = fill(&cfg, tb);
	assert_int_equal(nla_get_u32(tb[KNMT_A_CONFIG_FILTER_PID]), 0);
	assert_int_equal(nla_len(tb[KNMT_A_CONFIG_FILTER_COMM]), 1);
	assert_string_equal(nla_data(tb[KNMT_A_CONFIG_FILTER_COMM]), "");
	assert_true(nla_get_u64(tb[KNMT_A_CONFIG_FILTER_CGROUP]) == 0);
	nlmsg_free(msg);

	/* one criterion alone, with offheap_min_bytes */
	memset(&cfg, 0, sizeof(cfg));
	knmt_config_set_filter_cgroup(&cfg, 0);
	knmt_config_set_offheap_min_bytes(&cfg, 262144);
	msg = fill(&cfg, tb);
	assert_non_null(tb[KNMT_A_CONFIG_FILTER_CGROUP]);
	assert_non_null(tb[KNMT_A_CONFIG_OFFHEAP_MIN_BYTES]);
	assert_null(tb[KNMT_A_CONFIG_FILTER_PID]);
	assert_null(tb[KNMT_A_CONFIG_FILTER_COMM]);
	nlmsg_free(msg);
}

static void test_config_filter_comm_limits(void **state)
{
	struct knmt_config cfg = { 0 };
	struct nl_msg *msg;

	(void)state;
	/* 15 characters: the kernel's longest command name */
	assert_int_equal(knmt_config_set_filter_comm(&cfg, "abcdefghijklmno"), 0);
	assert_string_equal(cfg.filter_comm, "abcdefghijklmno");
	/* 16: refused, cfg unchanged */
	memset(&cfg, 0, sizeof(cfg));
	assert_int_equal(knmt_config_set_filter_comm(&cfg, "abcdefghijklmnop"),
			 -KNMT_E_INVAL);
	assert_int_equal(cfg.present, 0);
	assert_string_equal(cfg.filter_comm, "");
	assert_int_equal(knmt_config_set_filter_comm(&cfg, NULL), -KNMT_E_INVAL);
	assert_int_equal(cfg.present, 0);

	/* a hand-filled name without its NUL is not sent */
	msg = nlmsg_alloc();
	assert_non_null(genlmsg_put(msg, 0, 0, FAKE_FAMILY, 0, 0,
				    KNMT_CMD_SET_CONFIG, 1));
	memset(cfg.filter_comm, 'x', sizeof(cfg.filter_comm));
	cfg.present = KNMT_BIT(KNMT_A_CONFIG_FILTER_COMM);
	assert_int_equal(knmt_config_fill(msg, &cfg), -KNMT_E_INVAL);
	nlmsg_free(msg);
}

static void test_config_events(void **state)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_CONFIG);
	struct nlattr *tb[KNMT_A_CONFIG_MAX + 1];
	struct knmt_config cfg;

	(void)state;
	assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_EVENTS_RING, 4096), 0);
	assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_EVENTS_FAULT_MS, 1000), 0);
	assert_int_equal(decode_config(msg, &cfg), 0);
	assert_int_equal(cfg.events_ring, 4096);
	assert_int_equal(cfg.events_fault_ms, 1000);
	assert_true(cfg.present == (KNMT_BIT(KNMT_A_CONFIG_EVENTS_RING) |
				    KNMT_BIT(KNMT_A_CONFIG_EVENTS_FAULT_MS)));

	/* 0: no fault summaries, still sent */
	msg = fake_reply(KNMT_CMD_GET_CONFIG);
	assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_EVENTS_FAULT_MS, 0), 0);
	assert_int_equal(decode_config(msg, &cfg), 0);
	assert_true(KNMT_HAS(&cfg, KNMT_A_CONFIG_EVENTS_FAULT_MS));
	assert_false(KNMT_HAS(&cfg, KNMT_A_CONFIG_EVENTS_RING));

	msg = fake_reply(KNMT_CMD_GET_CONFIG);
	fake_put_u64(msg, KNMT_A_CONFIG_EVENTS_FAULT_MS, KNMT_A_CONFIG_PAD, 1);
	assert_int_equal(decode_config(msg, &cfg), -KNMT_E_PROTO);
	assert_non_null(strstr(why, "KNMT_A_CONFIG_EVENTS_FAULT_MS"));

	/* SET_CONFIG: the period as a u32, the ring sent when asked (the
	 * kernel refuses it) */
	memset(&cfg, 0, sizeof(cfg));
	knmt_config_set_events_fault_ms(&cfg, 250);
	msg = fill(&cfg, tb);
	assert_int_equal(nla_len(tb[KNMT_A_CONFIG_EVENTS_FAULT_MS]), 4);
	assert_int_equal(nla_get_u32(tb[KNMT_A_CONFIG_EVENTS_FAULT_MS]), 250);
	assert_null(tb[KNMT_A_CONFIG_EVENTS_RING]);
	assert_null(tb[KNMT_A_CONFIG_OFFHEAP_MIN_BYTES]);
	nlmsg_free(msg);
	cfg.events_ring = 8;
	cfg.present |= KNMT_BIT(KNMT_A_CONFIG_EVENTS_RING);
	msg = fill(&cfg, tb);
	assert_int_equal(nla_get_u32(tb[KNMT_A_CONFIG_EVENTS_RING]), 8);
	nlmsg_free(msg);
}

static void test_config_fill_read_only(void **state)
{
	struct nlattr *tb[KNMT_A_CONFIG_MAX + 1];
	struct knmt_config cfg = { 0 };
	struct nl_msg *msg;

	(void)state;
	/* read-only settings are sent when marked: the kernel says no */
	cfg.sample_ms = 10;
	cfg.exits_max = 11;
	cfg.regions_max = 12;
	cfg.sockets_max = 13;
	cfg.present = KNMT_BIT(KNMT_A_CONFIG_SAMPLE_MS) |
		      KNMT_BIT(KNMT_A_CONFIG_EXITS_MAX) |
		      KNMT_BIT(KNMT_A_CONFIG_REGIONS_MAX) |
		      KNMT_BIT(KNMT_A_CONFIG_SOCKETS_MAX);
	msg = fill(&cfg, tb);
	assert_int_equal(nla_get_u32(tb[KNMT_A_CONFIG_SAMPLE_MS]), 10);
	assert_int_equal(nla_get_u32(tb[KNMT_A_CONFIG_EXITS_MAX]), 11);
	assert_int_equal(nla_get_u32(tb[KNMT_A_CONFIG_REGIONS_MAX]), 12);
	assert_int_equal(nla_len(tb[KNMT_A_CONFIG_SOCKETS_MAX]), 4);
	assert_int_equal(nla_get_u32(tb[KNMT_A_CONFIG_SOCKETS_MAX]), 13);
	nlmsg_free(msg);
}

static void test_enum_names(void **state)
{
	(void)state;
	assert_string_equal(knmt_hook_kind_str(KNMT_HOOK_KIND_TRACEPOINT), "tracepoint");
	assert_string_equal(knmt_hook_kind_str(KNMT_HOOK_KIND_KPROBE), "kprobe");
	assert_string_equal(knmt_hook_kind_str(KNMT_HOOK_KIND_KRETPROBE), "kretprobe");
	assert_string_equal(knmt_hook_kind_str(KNMT_HOOK_KIND_FTRACE), "ftrace");
	assert_string_equal(knmt_hook_kind_str(77), "unknown");
	assert_string_equal(knmt_hook_state_str(KNMT_HOOK_STATE_ATTACHED), "attached");
	assert_string_equal(knmt_hook_state_str(KNMT_HOOK_STATE_FALLBACK), "fallback");
	assert_string_equal(knmt_hook_state_str(KNMT_HOOK_STATE_UNAVAILABLE), "unavailable");
	assert_string_equal(knmt_hook_state_str(9), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_complete),
		cmocka_unit_test(test_status_events),
		cmocka_unit_test(test_status_events_malformed),
		cmocka_unit_test(test_status_missing_optional),
		cmocka_unit_test(test_status_missing_required),
		cmocka_unit_test(test_status_unknown_attrs_ignored),
		cmocka_unit_test(test_status_wrong_length_u64),
		cmocka_unit_test(test_status_wrong_length_u32_long),
		cmocka_unit_test(test_hook_wrong_length_u8),
		cmocka_unit_test(test_hook_missing_name),
		cmocka_unit_test(test_status_string_without_nul),
		cmocka_unit_test(test_status_truncated_attr),
		cmocka_unit_test(test_status_short_header),
		cmocka_unit_test(test_status_version_mismatch),
		cmocka_unit_test(test_status_many_hooks),
		cmocka_unit_test(test_status_free_twice),
		cmocka_unit_test(test_config_complete),
		cmocka_unit_test(test_config_sockets_max),
		cmocka_unit_test(test_config_events),
		cmocka_unit_test(test_config_partial),
		cmocka_unit_test(test_config_wrong_length),
		cmocka_unit_test(test_config_fill),
		cmocka_unit_test(test_config_filter),
		cmocka_unit_test(test_config_filter_none),
		cmocka_unit_test(test_config_filter_long_comm),
		cmocka_unit_test(test_config_filter_malformed),
		cmocka_unit_test(test_config_fill_filter),
		cmocka_unit_test(test_config_fill_clear_filter),
		cmocka_unit_test(test_config_filter_comm_limits),
		cmocka_unit_test(test_config_fill_read_only),
		cmocka_unit_test(test_enum_names),
	};

	return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
