// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The knmt CLI end to end against the fake kernel: dispatch, usage
 * errors, help, exit codes, error messages, text and JSON output.
 */
#include <errno.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "cli_harness.h"

static int teardown(void **state)
{
	(void)state;
	cli_run_free();
	fake_reset(NULL);
	return 0;
}

/* ---- dispatch and usage -------------------------------------------- */

static void test_no_command(void **state)
{
	(void)state;
	assert_int_equal(knmt_with(fake_knmt_open, (char *)NULL), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "no command given"));
	assert_non_null(strstr(last.err, "Usage: knmt"));
	assert_string_equal(last.out, "");
}

static void test_unknown_command(void **state)
{
	(void)state;
	assert_int_equal(knmt("frobnicate"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "unknown command 'frobnicate'"));
	assert_int_equal(fake.nrequests, 0);
}

static void test_unknown_option(void **state)
{
	(void)state;
	assert_int_equal(knmt("--frob"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "unknown option '--frob'"));
	assert_int_equal(knmt("status", "-x"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "knmt status: unknown option '-x'"));
	assert_int_equal(knmt("status", "extra"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "unexpected argument 'extra'"));
	assert_int_equal(fake.nrequests, 0);
}

static void test_help(void **state)
{
	(void)state;
	assert_int_equal(knmt("help"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "Commands:"));
	assert_non_null(strstr(last.out, "  status "));
	assert_non_null(strstr(last.out, "  config "));
	assert_non_null(strstr(last.out, "  sockets "));
	assert_non_null(strstr(last.out, "sockets lists the sockets they own, as ss does"));
	assert_non_null(strstr(last.out, "Exit status:"));
	assert_non_null(strstr(last.out, "3  the knmt kernel module is not loaded"));
	assert_non_null(strstr(last.out, "4  permission denied"));
	assert_int_equal(knmt("-h"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "Exit status:"));
	assert_int_equal(knmt("--help"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "Commands:"));
}

static void test_command_help(void **state)
{
	(void)state;
	assert_int_equal(knmt("help", "status"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "Usage: knmt status [--json]"));
	assert_int_equal(knmt("status", "--help"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "Usage: knmt status [--json]"));
	assert_int_equal(knmt("config", "-h"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "offheap_min_bytes"));
	assert_int_equal(knmt("help", "nope"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "unknown command 'nope'"));
	assert_int_equal(fake.nrequests, 0);
}

/* ---- status ---------------------------------------------------------- */

static void answer_status(const struct nlmsghdr *req)
{
	(void)req;
	fake_push(fake_status_msg(3));
	fake_push_ack();
}

static void test_status_text(void **state)
{
	(void)state;
	fake_reset(answer_status);
	assert_int_equal(knmt("status"), CLI_EXIT_OK);
	assert_string_equal(last.err, "");
	assert_non_null(strstr(last.out, "module version:"));
	assert_non_null(strstr(last.out, "0.1.0"));
	assert_non_null(strstr(last.out, "kernel running:"));
	assert_non_null(strstr(last.out, "1.5 MiB"));		/* mem_bytes */
	assert_non_null(strstr(last.out, "1h 02m 03s"));	/* uptime */
	assert_non_null(strstr(last.out, "123456"));
	assert_non_null(strstr(last.out, "regions over limit:"));
	assert_non_null(strstr(last.out, "exit records kept:"));
	assert_non_null(strstr(last.out, "\nsockets tracked:      321\n"
					 "sockets max:          131072\n"
					 "sockets over limit:   4\n"
					 "stale socket records: 6\n"
					 "threads tracked:      57\n"
					 "threads max:          262144\n"
					 "threads over limit:   8\n"));
	assert_non_null(strstr(last.out, "\nevents emitted:       123456\n"
					 "events dropped:       7\n"
					 "events undelivered:   250\n"
					 "drops by event type:  mmap 30, faults 9\n"
					 "event listeners:      yes\n"));
	assert_non_null(strstr(last.out, "\nhooks:\n"));
	assert_non_null(strstr(last.out, "HOOK "));
	assert_non_null(strstr(last.out, "REASON\n"));
	assert_non_null(strstr(last.out, "hook0  tracepoint  attached"));
	assert_non_null(strstr(last.out, "fallback"));
	assert_non_null(strstr(last.out, "unavailable"));
	assert_non_null(strstr(last.out, "symbol not found (preferred mmap_region) [ENOENT]"));
	assert_non_null(strstr(last.out, "NS/RUN"));
	assert_non_null(strstr(last.out, "\nmemory by kind:\n"));
	assert_non_null(strstr(last.out, "PER RECORD"));
	/* 24576 bytes over 12 records */
	assert_non_null(strstr(last.out, "processes  24 KiB       12      1.8 KiB       2 KiB\n"
					 "threads    16 KiB       32        320 B       512 B\n"));
	/* no trailing blanks */
	assert_null(strstr(last.out, " \n"));
}

static void test_status_json(void **state)
{
	static const char *const counters[] = {
		"procs_tracked", "procs_max", "procs_overflow", "events_emitted",
		"events_dropped", "mem_bytes", "recursion", "uptime_ns",
	};
	static const char *const pool_keys[] = {	/* added later */
		"regions_tracked", "regions_max", "regions_overflow",
		"exits_kept", "sockets_tracked", "sockets_max",
		"sockets_overflow", "sockets_stale", "threads_tracked",
		"threads_max", "threads_overflow",
	};
	static const char *const event_keys[] = {	/* added later */
		"events_undelivered", "event_drops", "event_listeners",
		"pidns_level", "cost_sample", "memory", "sampler_round_ms",
	};
	static const char *const event_types[] = {
		"exec", "exit", "oom_victim", "mmap", "munmap", "mremap", "brk",
		"offheap_alloc", "offheap_free", "faults", "sock_open",
		"sock_close", "sock_state",
	};
	static const char *const hook_keys[] = {
		"name", "kind", "state", "preferred", "target", "error",
		"reason", "hits", "missed", "cost_ns", "cost_runs", "ns_per_run",
	};
	struct json_object *root, *hooks, *hk, *v, *mem;
	size_t i;

	(void)state;
	fake_reset(answer_status);
	assert_int_equal(knmt("status", "--json"), CLI_EXIT_OK);
	root = json_tokener_parse(last.out);
	assert_non_null(root);
	assert_int_equal(json_object_get_type(root), json_type_object);

	check_type(root, "version", json_type_string);
	check_type(root, "release_built", json_type_string);
	check_type(root, "release_running", json_type_string);
	check_type(root, "hooks", json_type_array);
	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++)
		check_type(root, counters[i], json_type_int);
	for (i = 0; i < sizeof(pool_keys) / sizeof(pool_keys[0]); i++)
		assert_true(json_object_object_get_ex(root, pool_keys[i], NULL));
	for (i = 0; i < sizeof(event_keys) / sizeof(event_keys[0]); i++)
		assert_true(json_object_object_get_ex(root, event_keys[i], NULL));
	assert_int_equal(nkeys(root), 4 + sizeof(counters) / sizeof(counters[0]) +
				      sizeof(pool_keys) / sizeof(pool_keys[0]) +
				      sizeof(event_keys) / sizeof(event_keys[0]));
	assert_int_equal(int_at(root, "events_undelivered"), 250);
	check_type(root, "event_listeners", json_type_boolean);
	assert_true(json_object_get_boolean(at(root, "event_listeners")));
	/* every type, null for those the module left out */
	check_type(root, "event_drops", json_type_object);
	assert_int_equal(nkeys(at(root, "event_drops")),
			 sizeof(event_types) / sizeof(event_types[0]));
	for (i = 0; i < sizeof(event_types) / sizeof(event_types[0]); i++) {
		char path[64];

		snprintf(path, sizeof(path), "event_drops.%s", event_types[i]);
		if (strcmp(event_types[i], "mmap") == 0)
			assert_int_equal(int_at(root, path), 30);
		else if (strcmp(event_types[i], "faults") == 0)
			assert_int_equal(int_at(root, path), 9);
		else if (strcmp(event_types[i], "exec") == 0)
			assert_int_equal(int_at(root, path), 0);
		else
			check_type(root, path, json_type_null);
	}

	json_object_object_get_ex(root, "mem_bytes", &v);
	assert_true(json_object_get_uint64(v) == 1572864);	/* exact bytes */
	json_object_object_get_ex(root, "uptime_ns", &v);
	assert_true(json_object_get_uint64(v) == UINT64_C(3723000000000));
	assert_int_equal(int_at(root, "sockets_tracked"), 321);
	assert_int_equal(int_at(root, "sockets_max"), 131072);
	assert_int_equal(int_at(root, "sockets_overflow"), 4);
	assert_int_equal(int_at(root, "sockets_stale"), 6);
	assert_int_equal(int_at(root, "threads_tracked"), 57);
	assert_int_equal(int_at(root, "threads_max"), 262144);
	assert_int_equal(int_at(root, "threads_overflow"), 8);
	assert_int_equal(int_at(root, "pidns_level"), 2);
	assert_int_equal(int_at(root, "cost_sample"), 64);
	assert_int_equal(int_at(root, "sampler_round_ms"), 37);

	/* memory by kind: per record only where records are in use */
	json_object_object_get_ex(root, "memory", &mem);
	assert_int_equal(json_object_array_length(mem), FAKE_MEM_KINDS);
	v = json_object_array_get_idx(mem, 0);
	assert_int_equal(nkeys(v), 5);
	assert_string_equal(json_object_get_string(at(v, "name")), "processes");
	assert_int_equal(int_at(v, "bytes"), 24576);
	assert_int_equal(int_at(v, "records"), 12);
	assert_int_equal(int_at(v, "record_size"), 1800);
	assert_int_equal(int_at(v, "bytes_per_record"), 2048);
	v = json_object_array_get_idx(mem, 1);
	assert_string_equal(json_object_get_string(at(v, "name")), "threads");
	assert_int_equal(int_at(v, "bytes"), 16384);
	assert_int_equal(int_at(v, "records"), 32);
	assert_int_equal(int_at(v, "record_size"), 320);
	assert_int_equal(int_at(v, "bytes_per_record"), 512);
	v = json_object_array_get_idx(mem, 3);		/* sockets, none */
	assert_int_equal(int_at(v, "records"), 0);
	check_type(v, "bytes_per_record", json_type_null);
	v = json_object_array_get_idx(mem, 4);		/* events */
	check_type(v, "records", json_type_null);
	check_type(v, "record_size", json_type_null);
	check_type(v, "bytes_per_record", json_type_null);

	json_object_object_get_ex(root, "hooks", &hooks);
	assert_int_equal(json_object_array_length(hooks), 3);
	for (i = 0; i < 3; i++) {
		size_t k;

		hk = json_object_array_get_idx(hooks, i);
		for (k = 0; k < sizeof(hook_keys) / sizeof(hook_keys[0]); k++)
			assert_true(json_object_object_get_ex(hk, hook_keys[k], NULL));
		assert_int_equal(nkeys(hk), sizeof(hook_keys) / sizeof(hook_keys[0]));
		check_type(hk, "name", json_type_string);
		check_type(hk, "kind", json_type_string);
		check_type(hk, "state", json_type_string);
		check_type(hk, "error", json_type_int);
		check_type(hk, "hits", json_type_int);
		check_type(hk, "missed", json_type_int);
	}
	hk = json_object_array_get_idx(hooks, 0);
	json_object_object_get_ex(hk, "kind", &v);
	assert_string_equal(json_object_get_string(v), "tracepoint");
	json_object_object_get_ex(hk, "state", &v);
	assert_string_equal(json_object_get_string(v), "attached");
	check_type(hk, "reason", json_type_null);
	json_object_object_get_ex(hk, "error", &v);
	assert_int_equal(json_object_get_int(v), 0);
	assert_int_equal(int_at(hk, "cost_ns"), 1000);
	assert_int_equal(int_at(hk, "cost_runs"), 10);
	assert_int_equal(int_at(hk, "ns_per_run"), 100);

	hk = json_object_array_get_idx(hooks, 1);
	assert_int_equal(int_at(hk, "ns_per_run"), 200);
	json_object_object_get_ex(hk, "kind", &v);
	assert_string_equal(json_object_get_string(v), "kprobe");
	json_object_object_get_ex(hk, "state", &v);
	assert_string_equal(json_object_get_string(v), "fallback");
	json_object_object_get_ex(hk, "error", &v);
	assert_int_equal(json_object_get_int(v), ENOENT);
	json_object_object_get_ex(hk, "target", &v);
	assert_string_equal(json_object_get_string(v), "do_mmap");

	hk = json_object_array_get_idx(hooks, 2);
	json_object_object_get_ex(hk, "kind", &v);
	assert_string_equal(json_object_get_string(v), "kretprobe");
	json_object_object_get_ex(hk, "state", &v);
	assert_string_equal(json_object_get_string(v), "unavailable");
	check_type(hk, "target", json_type_null);	/* none attached */
	check_type(hk, "reason", json_type_string);
	assert_int_equal(int_at(hk, "cost_runs"), 0);
	check_type(hk, "ns_per_run", json_type_null);	/* nothing timed */
	json_object_put(root);
}

static void answer_status_minimal(const struct nlmsghdr *req)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_STATUS);

	(void)req;
	assert_int_equal(nla_put_string(msg, KNMT_A_STATUS_VERSION, "0.0.1"), 0);
	fake_push(msg);
	fake_push_ack();
}

static void test_status_json_absent_values(void **state)
{
	struct json_object *root, *hooks;

	(void)state;
	fake_reset(answer_status_minimal);
	/* --json given before the command works too */
	assert_int_equal(knmt("--json", "status"), CLI_EXIT_OK);
	root = json_tokener_parse(last.out);
	assert_non_null(root);
	check_type(root, "version", json_type_string);
	check_type(root, "release_built", json_type_null);
	check_type(root, "mem_bytes", json_type_null);
	check_type(root, "uptime_ns", json_type_null);
	check_type(root, "sockets_tracked", json_type_null);
	check_type(root, "sockets_stale", json_type_null);
	check_type(root, "threads_tracked", json_type_null);
	check_type(root, "threads_max", json_type_null);
	check_type(root, "threads_overflow", json_type_null);
	check_type(root, "event_drops", json_type_null);
	check_type(root, "events_undelivered", json_type_null);
	check_type(root, "event_listeners", json_type_null);
	check_type(root, "pidns_level", json_type_null);
	check_type(root, "cost_sample", json_type_null);
	check_type(root, "sampler_round_ms", json_type_null);
	json_object_object_get_ex(root, "hooks", &hooks);
	assert_int_equal(json_object_array_length(hooks), 0);
	json_object_object_get_ex(root, "memory", &hooks);
	assert_int_equal(json_object_array_length(hooks), 0);
	json_object_put(root);

	assert_int_equal(knmt("status"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "(none)"));
}

/* ---- errors and exit codes ------------------------------------------ */

static void test_not_loaded(void **state)
{
	(void)state;
	assert_int_equal(knmt_with(fake_knmt_open_not_loaded, "status", (char *)NULL),
			 CLI_EXIT_NOT_LOADED);
	assert_string_equal(last.err,
		"knmt: the knmt kernel module is not loaded (generic netlink "
		"family \"knmt\" not found). Load it with: modprobe knmt (or "
		"insmod knmt.ko); it answers in the host's network namespace "
		"only\n");
	assert_string_equal(last.out, "");
	assert_int_equal(knmt_with(fake_knmt_open_not_loaded, "config", (char *)NULL),
			 CLI_EXIT_NOT_LOADED);
}

static void answer_eperm(const struct nlmsghdr *req)
{
	(void)req;
	fake_push_error(-EPERM, NULL, -1, false);
}

static void test_permission_denied(void **state)
{
	(void)state;
	fake_reset(answer_eperm);
	assert_int_equal(knmt("status"), CLI_EXIT_PERM);
	assert_non_null(strstr(last.err, "permission denied"));
	assert_non_null(strstr(last.err, "CAP_NET_ADMIN"));
	assert_non_null(strstr(last.err, "run as root"));
	assert_int_equal(knmt("config"), CLI_EXIT_PERM);
	assert_int_equal(knmt("config", "set", "offheap_min_bytes=1M"), CLI_EXIT_PERM);
}

static void answer_range(const struct nlmsghdr *req)
{
	(void)req;
	fake_push_error(-ERANGE, "integer out of range", 20, false);
}

static void test_kernel_rejects(void **state)
{
	char want[256];

	(void)state;
	fake_reset(answer_range);
	assert_int_equal(knmt("config", "set", "offheap_min_bytes=1"),
			 CLI_EXIT_RUNTIME);
	snprintf(want, sizeof(want),
		 "knmt: kernel rejected the request: integer out of range (%s)\n",
		 strerror(ERANGE));
	assert_string_equal(last.err, want);
}

static void answer_einval_plain(const struct nlmsghdr *req)
{
	(void)req;
	fake_push_error(-EINVAL, NULL, -1, true);
}

static void test_kernel_rejects_without_extack(void **state)
{
	char want[256];

	(void)state;
	fake_reset(answer_einval_plain);
	assert_int_equal(knmt("status"), CLI_EXIT_RUNTIME);
	snprintf(want, sizeof(want), "knmt: kernel rejected the request: %s\n",
		 strerror(EINVAL));
	assert_string_equal(last.err, want);
}

static void answer_bad_reply(const struct nlmsghdr *req)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_STATUS);

	(void)req;
	assert_int_equal(nla_put_u8(msg, KNMT_A_STATUS_PROCS_MAX, 1), 0);
	fake_push(msg);
	fake_push_ack();
}

static void test_malformed_reply(void **state)
{
	(void)state;
	fake_reset(answer_bad_reply);
	assert_int_equal(knmt("status"), CLI_EXIT_RUNTIME);
	assert_non_null(strstr(last.err, "malformed reply"));
	assert_non_null(strstr(last.err, "KNMT_A_STATUS_PROCS_MAX"));
	assert_string_equal(last.out, "");
}

/* ---- config ---------------------------------------------------------- */

static void answer_config(const struct nlmsghdr *req)
{
	const struct genlmsghdr *g = NLMSG_DATA(req);
	struct nl_msg *msg;

	if (g->cmd == KNMT_CMD_SET_CONFIG) {
		fake_push_ack();
		return;
	}
	msg = fake_reply(KNMT_CMD_GET_CONFIG);
	fake_put_u64(msg, KNMT_A_CONFIG_OFFHEAP_MIN_BYTES, KNMT_A_CONFIG_PAD, 131072);
	assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_PROCS_MAX, 4096), 0);
	fake_push(msg);
	fake_push_ack();
}

static void test_config_show(void **state)
{
	struct json_object *root, *v;

	(void)state;
	fake_reset(answer_config);
	assert_int_equal(knmt("config"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "offheap_min_bytes  128 KiB"));
	assert_non_null(strstr(last.out, "writable"));
	assert_non_null(strstr(last.out, "4 KiB .. 1 GiB"));
	assert_non_null(strstr(last.out, "read-only"));

	assert_int_equal(knmt("config", "show", "--json"), CLI_EXIT_OK);
	root = json_tokener_parse(last.out);
	assert_non_null(root);
	/* offheap_min_bytes, procs_max, sample_ms, events_fault_ms, filter */
	assert_int_equal(nkeys(root), 5);
	assert_true(json_object_object_get_ex(root, "offheap_min_bytes", &v));
	assert_true(json_object_get_uint64(v) == 131072);
	assert_true(json_object_object_get_ex(root, "procs_max", &v));
	assert_int_equal(json_object_get_int(v), 4096);
	json_object_put(root);
}

static uint64_t sent_offheap(void)
{
	struct nlattr *tb[KNMT_A_CONFIG_MAX + 1];
	const struct genlmsghdr *g = NLMSG_DATA((struct nlmsghdr *)fake.req);

	assert_int_equal(g->cmd, KNMT_CMD_SET_CONFIG);
	assert_int_equal(genlmsg_parse((struct nlmsghdr *)fake.req, 0, tb,
				       KNMT_A_CONFIG_MAX, NULL), 0);
	assert_non_null(tb[KNMT_A_CONFIG_OFFHEAP_MIN_BYTES]);
	assert_null(tb[KNMT_A_CONFIG_PROCS_MAX]);
	return nla_get_u64(tb[KNMT_A_CONFIG_OFFHEAP_MIN_BYTES]);
}

static void test_config_set(void **state)
{
	(void)state;
	fake_reset(answer_config);
	assert_int_equal(knmt("config", "set", "offheap_min_bytes=256K"), CLI_EXIT_OK);
	assert_int_equal(sent_offheap(), 262144);
	assert_string_equal(last.out, "");
	assert_int_equal(knmt("config", "set", "offheap_min_bytes=131072"), CLI_EXIT_OK);
	assert_int_equal(sent_offheap(), 131072);
	assert_int_equal(knmt("config", "set", "offheap_min_bytes=1MiB"), CLI_EXIT_OK);
	assert_int_equal(sent_offheap(), 1048576);
	assert_int_equal(fake.nrequests, 3);
}

static void test_config_set_usage(void **state)
{
	(void)state;
	fake_reset(answer_config);
	assert_int_equal(knmt("config", "set"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("config", "set", "offheap_min_bytes=12x"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "'12x' is not a size"));
	assert_int_equal(knmt("config", "set", "offheap_min_bytes=99999999999999999999"),
			 CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "too large"));
	assert_int_equal(knmt("config", "set", "procs_max=10"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "read-only"));
	assert_int_equal(knmt("config", "set", "bogus=1"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "unknown setting 'bogus'"));
	assert_int_equal(knmt("config", "set", "offheap_min_bytes"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("config", "frob"), CLI_EXIT_USAGE);
	assert_int_equal(fake.nrequests, 0);
}

/* ---- version --------------------------------------------------------- */

static void test_version(void **state)
{
	struct json_object *root, *v;

	(void)state;
	fake_reset(answer_status);
	assert_int_equal(knmt("--version"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "knmt:"));
	assert_non_null(strstr(last.out, KNMT_VERSION));
	assert_non_null(strstr(last.out, "module:   0.1.0"));

	assert_int_equal(knmt_with(fake_knmt_open_not_loaded, "-V", (char *)NULL), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "not reachable (the knmt kernel module is not loaded)"));

	assert_int_equal(knmt("version", "--json"), CLI_EXIT_OK);
	root = json_tokener_parse(last.out);
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "module_version", &v));
	assert_string_equal(json_object_get_string(v), "0.1.0");
	json_object_put(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_no_command, teardown),
		cmocka_unit_test_teardown(test_unknown_command, teardown),
		cmocka_unit_test_teardown(test_unknown_option, teardown),
		cmocka_unit_test_teardown(test_help, teardown),
		cmocka_unit_test_teardown(test_command_help, teardown),
		cmocka_unit_test_teardown(test_status_text, teardown),
		cmocka_unit_test_teardown(test_status_json, teardown),
		cmocka_unit_test_teardown(test_status_json_absent_values, teardown),
		cmocka_unit_test_teardown(test_not_loaded, teardown),
		cmocka_unit_test_teardown(test_permission_denied, teardown),
		cmocka_unit_test_teardown(test_kernel_rejects, teardown),
		cmocka_unit_test_teardown(test_kernel_rejects_without_extack, teardown),
		cmocka_unit_test_teardown(test_malformed_reply, teardown),
		cmocka_unit_test_teardown(test_config_show, teardown),
		cmocka_unit_test_teardown(test_config_set, teardown),
		cmocka_unit_test_teardown(test_config_set_usage, teardown),
		cmocka_unit_test_teardown(test_version, teardown),
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
