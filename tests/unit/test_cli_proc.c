// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The per-process commands of the knmt CLI end to end against the fake
 * kernel: summary (list, sorting, totals, -p), regions, faults (with the
 * sites symbolized in this very program) and exits; text, the JSON
 * contract parsed back with json-c, usage errors and exit codes.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <json.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "cli_harness.h"

/* Boot-time 0 is 2025-01-01T00:00:00Z for these tests. */
#define BOOT_EPOCH_NS	(INT64_C(1735689600) * 1000000000)

static int64_t fixed_offset(void)
{
	return BOOT_EPOCH_NS;
}

static int setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	knmt_cli.clock_offset = fixed_offset;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cli_run_free();
	fake_reset(NULL);
	return 0;
}

static const char *const cat_names[KNMT_CAT_NR] = {
	"heap", "stack", "arena", "offheap", "anon", "shmem", "file",
};

static const char *const cat_fields[] = {
	"mapped_bytes", "resident_bytes", "regions", "faults_minor",
	"faults_major", "peak_mapped_bytes",
};

static const char *const top_keys[] = {
	"pid", "comm", "flags", "start_time", "sampled_time", "categories",
	"kernel", "rss", "peak_rss_bytes", "threads", "offheap", "sockets",
	"unaccounted_bytes", "native_total_bytes",
};

static const char *const sockets_keys[] = {
	"open", "by_family", "by_state", "close_wait", "oldest_age_s",
	"oldest_open_age_s", "rx_queued_bytes", "tx_queued_bytes", "mem_bytes",
	"opened_total", "accepted_total", "closed_total", "orphans",
	"destroyed_total", "untracked_total", "lifetime_histogram",
	"opens_per_s", "closes_per_s",
};

static const char *const state_keys[] = {
	"established", "syn_sent", "syn_recv", "fin_wait_1", "fin_wait_2",
	"time_wait", "closed", "close_wait", "last_ack", "listen", "closing",
	"new_syn_recv",
};

static const char *const offheap_keys[] = {
	"live_count", "live_bytes", "allocated_count", "allocated_bytes",
	"freed_count", "freed_bytes", "lifetime_histogram",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static double double_at(struct json_object *o, const char *path)
{
	check_type(o, path, json_type_double);
	return json_object_get_double(at(o, path));
}

/* The object "sockets" of a process of scale k (fake_kernel.h). */
static void check_sockets_object(struct json_object *p, uint64_t k)
{
	struct json_object *v;
	char path[64];
	size_t i;

	check_type(p, "sockets", json_type_object);
	v = at(p, "sockets");
	assert_int_equal(nkeys(v), N(sockets_keys));
	for (i = 0; i < N(sockets_keys); i++)
		if (!json_object_object_get_ex(v, sockets_keys[i], NULL))
			fail_msg("sockets.%s missing", sockets_keys[i]);
	assert_int_equal(int_at(p, "sockets.open"), 6 * k);
	assert_int_equal(nkeys(at(p, "sockets.by_family")), 4);
	assert_int_equal(int_at(p, "sockets.by_family.inet"), k);
	assert_int_equal(int_at(p, "sockets.by_family.inet6"), 2 * k);
	assert_int_equal(int_at(p, "sockets.by_family.unix"), 3 * k);
	assert_int_equal(int_at(p, "sockets.by_family.other"), 0);
	/* every state, 0 for those the module left out */
	assert_int_equal(nkeys(at(p, "sockets.by_state")), N(state_keys));
	for (i = 0; i < N(state_keys); i++) {
		int64_t want = i == 0 ? (int64_t)k : (i == 7 || i == 9) ? 1 : 0;

		snprintf(path, sizeof(path), "sockets.by_state.%s", state_keys[i]);
		assert_int_equal(int_at(p, path), want);
	}
	assert_int_equal(int_at(p, "sockets.close_wait"), 1);
	assert_true(double_at(p, "sockets.oldest_age_s") == 300.0);
	assert_true(double_at(p, "sockets.oldest_open_age_s") == 3723.0 * (double)k);
	assert_int_equal(int_at(p, "sockets.rx_queued_bytes"), k * 1024);
	assert_int_equal(int_at(p, "sockets.tx_queued_bytes"), k * 2048);
	assert_int_equal(int_at(p, "sockets.mem_bytes"), FAKE_SOCKS_MEM(k));
	assert_int_equal(int_at(p, "sockets.opened_total"), 100 * k);
	assert_int_equal(int_at(p, "sockets.accepted_total"), 40 * k);
	assert_int_equal(int_at(p, "sockets.closed_total"), 94 * k);
	assert_int_equal(int_at(p, "sockets.orphans"), 1);
	assert_int_equal(int_at(p, "sockets.destroyed_total"), 93 * k);
	assert_int_equal(int_at(p, "sockets.untracked_total"), 2);
	v = at(p, "sockets.lifetime_histogram");
	assert_int_equal(json_object_array_length(v), KNMT_LIFETIME_BUCKETS);
	for (i = 0; i < KNMT_LIFETIME_BUCKETS; i++) {
		struct json_object *b = json_object_array_get_idx(v, i);

		assert_true(json_object_is_type(b, json_type_int));
		assert_int_equal(json_object_get_int64(b), 10 * i + k);
	}
	assert_true(double_at(p, "sockets.opens_per_s") == 1.5 * (double)k);
	assert_true(double_at(p, "sockets.closes_per_s") == 1.25 * (double)k);
	assert_int_equal(int_at(p, "kernel.sockbufs_bytes"), FAKE_SOCKS_MEM(k));
}

/* Every key of the contract, with its type (t: a full fake_proc). */
static void check_proc_object(struct json_object *p, const struct fake_proc *fp,
			      bool exits)
{
	char path[128];
	size_t c, f;
	struct json_object *v;

	assert_int_equal(nkeys(p), N(top_keys) + (exits ? 3 : 0));
	for (c = 0; c < N(top_keys); c++)
		assert_true(json_object_object_get_ex(p, top_keys[c], NULL));
	assert_int_equal(int_at(p, "pid"), fp->pid);
	assert_string_equal(str_at(p, "comm"), fp->comm);
	check_type(p, "flags", json_type_array);
	assert_string_equal(str_at(p, "start_time"), "2025-01-01T00:00:05.000Z");
	assert_int_equal(nkeys(at(p, "categories")), KNMT_CAT_NR);
	for (c = 0; c < KNMT_CAT_NR; c++) {
		snprintf(path, sizeof(path), "categories.%s", cat_names[c]);
		assert_int_equal(nkeys(at(p, path)), N(cat_fields));
		for (f = 0; f < N(cat_fields); f++) {
			snprintf(path, sizeof(path), "categories.%s.%s",
				 cat_names[c], cat_fields[f]);
			if (fp->no_sample)
				check_type(p, path, json_type_null);
			else
				check_type(p, path, json_type_int);
		}
		if (!fp->no_sample) {
			snprintf(path, sizeof(path), "categories.%s.resident_bytes",
				 cat_names[c]);
			assert_true((uint64_t)int_at(p, path) == fake_resident(fp, (unsigned int)c));
			snprintf(path, sizeof(path), "categories.%s.peak_mapped_bytes",
				 cat_names[c]);
			assert_true((uint64_t)int_at(p, path) == 3 * fake_mapped(fp, (unsigned int)c));
		}
	}
	assert_int_equal(nkeys(at(p, "kernel")), 3);
	if (fp->sockets) {
		check_sockets_object(p, fp->k);
	} else {
		check_type(p, "sockets", json_type_null);
		check_type(p, "kernel.sockbufs_bytes", json_type_null);
	}
	assert_int_equal(nkeys(at(p, "rss")), 4);
	assert_int_equal(nkeys(at(p, "offheap")), N(offheap_keys));
	if (fp->no_sample) {
		check_type(p, "kernel.pagetables_bytes", json_type_null);
		check_type(p, "rss.anon_bytes", json_type_null);
		check_type(p, "threads", json_type_null);
		check_type(p, "sampled_time", json_type_null);
		check_type(p, "unaccounted_bytes", json_type_null);
		check_type(p, "native_total_bytes", json_type_null);
	} else {
		assert_true((uint64_t)int_at(p, "kernel.pagetables_bytes") == fp->k * 64 * 1024);
		assert_true((uint64_t)int_at(p, "kernel.kstacks_bytes") == fp->k * 32 * 1024);
		assert_true((uint64_t)int_at(p, "rss.anon_bytes") == 10 * fp->k * FAKE_MIB);
		assert_true((uint64_t)int_at(p, "rss.file_bytes") == 4 * fp->k * FAKE_MIB);
		assert_true((uint64_t)int_at(p, "rss.shmem_bytes") == fp->k * FAKE_MIB);
		assert_true((uint64_t)int_at(p, "rss.swap_bytes") == fp->k * 512 * 1024);
		assert_int_equal(int_at(p, "threads"), 3 * fp->k);
		assert_string_equal(str_at(p, "sampled_time"), "2025-01-01T00:16:40.000Z");
		assert_int_equal(int_at(p, "unaccounted_bytes"), -(int64_t)(fp->k * 4096));
	}
	assert_true((uint64_t)int_at(p, "peak_rss_bytes") == 20 * fp->k * FAKE_MIB);
	for (f = 0; f < N(offheap_keys); f++) {
		snprintf(path, sizeof(path), "offheap.%s", offheap_keys[f]);
		if (fp->no_offheap)
			check_type(p, path, json_type_null);
		else if (f + 1 == N(offheap_keys))
			check_type(p, path, json_type_array);
		else
			check_type(p, path, json_type_int);
	}
	if (!fp->no_offheap) {
		assert_true((uint64_t)int_at(p, "offheap.live_bytes") == 2 * fp->k * FAKE_MIB);
		assert_true((uint64_t)int_at(p, "offheap.allocated_count") == 5 * fp->k);
		assert_true((uint64_t)int_at(p, "offheap.freed_bytes") == 3 * fp->k * FAKE_MIB);
		v = at(p, "offheap.lifetime_histogram");
		assert_int_equal(json_object_array_length(v), KNMT_LIFETIME_BUCKETS);
		for (f = 0; f < KNMT_LIFETIME_BUCKETS; f++) {
			struct json_object *b = json_object_array_get_idx(v, f);

			assert_true(json_object_is_type(b, json_type_int));
			assert_true((uint64_t)json_object_get_int64(b) == f * fp->k + 1);
		}
	}
}

/* ---- the fake processes ---------------------------------------------- */

/* charlie: everything in offheap; bravo: 3x alpha in every category */
static const uint64_t charlie_resident[KNMT_CAT_NR] = {
	[KNMT_CAT_OFFHEAP] = 100 * FAKE_MIB,
};

static const struct fake_proc fake_procs[] = {
	{ .pid = 100, .comm = "alpha", .k = 1 },
	{ .pid = 200, .comm = "bravo", .k = 3, .sockets = true },
	{ .pid = 300, .comm = "charlie", .k = 2, .resident = charlie_resident,
	  .flags = KNMT_PROC_F_APPROX },
};

static void answer_procs(const struct nlmsghdr *req)
{
	const struct genlmsghdr *g = NLMSG_DATA(req);
	struct nl_msg *msgs[N(fake_procs)];
	size_t i;

	assert_int_equal(g->cmd, KNMT_CMD_DUMP_PROCS);
	for (i = 0; i < N(fake_procs); i++)
		msgs[i] = fake_proc_msg(KNMT_CMD_DUMP_PROCS, &fake_procs[i]);
	fake_push_many(msgs, N(fake_procs));
	fake_push_done(0, NULL);
}

/* Where name appears in the output, to check the order of lines. */
static long pos(const char *name)
{
	const char *p = strstr(last.out, name);

	if (!p)
		fail_msg("\"%s\" not in:\n%s", name, last.out);
	return p - last.out;
}

static void assert_order(const char *a, const char *b, const char *c)
{
	if (!(pos(a) < pos(b) && pos(b) < pos(c)))
		fail_msg("expected %s, %s, %s in that order:\n%s", a, b, c, last.out);
}

/* ---- summary: the list -------------------------------------------------- */

static void test_summary_text(void **state)
{
	(void)state;
	fake_reset(answer_procs);
	assert_int_equal(knmt("summary"), CLI_EXIT_OK);
	assert_string_equal(last.err, "");
	assert_true(strncmp(last.out,
		"PID  COMM           RSS   HEAP  STACK   ARENA  OFFHEAP    ANON   "
		"SHMEM    FILE    PGTBL     KSTK      TOTAL  SOCK\n",
		strlen("PID  COMM           RSS   HEAP  STACK   ARENA  OFFHEAP    ANON   "
		       "SHMEM    FILE    PGTBL     KSTK      TOTAL  SOCK\n")) == 0);
	/* by native total: charlie (100 MiB), bravo (84 MiB), alpha */
	assert_order("charlie*", "bravo", "alpha");
	/* charlie's line: resident per category, offheap only; no sockets sent */
	assert_non_null(strstr(last.out,
		"300  charlie*    30 MiB    0 B    0 B     0 B  100 MiB     0 B"
		"     0 B     0 B  128 KiB   64 KiB  100.2 MiB     -\n"));
	/* bravo: heap 3 MiB ... file 21 MiB, total 84 MiB + 288 KiB + its
	 * socket buffers, 192 KiB; 18 open sockets */
	assert_non_null(strstr(last.out,
		"200  bravo       45 MiB  3 MiB  6 MiB   9 MiB   12 MiB  15 MiB"
		"  18 MiB  21 MiB  192 KiB   96 KiB   84.5 MiB    18\n"));
	/* the totals of every process, last */
	assert_non_null(strstr(last.out,
		"  -  total of 3  90 MiB  4 MiB  8 MiB  12 MiB  116 MiB  20 MiB"
		"  24 MiB  28 MiB  384 KiB  192 KiB  212.8 MiB    18\n"));
	assert_true(pos("total of 3") > pos("alpha"));
	/* the note ends the output */
	assert_non_null(strstr(last.out,
		"212.8 MiB    18\n* started before knmt was loaded: categories inferred\n"));
	assert_null(strstr(last.out, " \n"));
	assert_int_equal(fake.nrequests, 1);
}

static void test_summary_sort(void **state)
{
	(void)state;
	fake_reset(answer_procs);
	assert_int_equal(knmt("summary", "--sort", "heap"), CLI_EXIT_OK);
	assert_order("bravo", "alpha", "charlie");
	assert_int_equal(knmt("summary", "--sort", "offheap"), CLI_EXIT_OK);
	assert_order("charlie", "bravo", "alpha");
	assert_int_equal(knmt("summary", "-s", "pid"), CLI_EXIT_OK);
	assert_order("alpha", "bravo", "charlie");
	assert_int_equal(knmt("summary", "--sort", "comm"), CLI_EXIT_OK);
	assert_order("alpha", "bravo", "charlie");
	assert_int_equal(knmt("summary", "--sort", "threads"), CLI_EXIT_OK);
	assert_order("bravo", "charlie", "alpha");
	/* rss: bravo 45 MiB, charlie 30, alpha 15 */
	assert_int_equal(knmt("summary", "--sort", "rss"), CLI_EXIT_OK);
	assert_order("bravo", "charlie", "alpha");
	assert_int_equal(knmt("summary", "--sort", "resident"), CLI_EXIT_OK);
	assert_order("charlie", "bravo", "alpha");
	assert_int_equal(knmt("summary", "--sort", "file"), CLI_EXIT_OK);
	assert_order("bravo", "alpha", "charlie");
	assert_int_equal(knmt("summary", "--sort", "pagetables"), CLI_EXIT_OK);
	assert_order("bravo", "charlie", "alpha");
	/* sockets: bravo 18, the others none (ties by pid) */
	assert_int_equal(knmt("summary", "--sort", "sockets"), CLI_EXIT_OK);
	assert_order("bravo", "alpha", "charlie");
}

static void test_summary_top(void **state)
{
	struct json_object *root, *procs;

	(void)state;
	fake_reset(answer_procs);
	assert_int_equal(knmt("summary", "-n", "1"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "charlie"));
	assert_null(strstr(last.out, "bravo"));
	assert_null(strstr(last.out, "alpha"));
	assert_non_null(strstr(last.out, "total of 3"));	/* totals count all */

	assert_int_equal(knmt("summary", "-n", "2", "--sort", "pid", "--json"), CLI_EXIT_OK);
	root = parse_out();
	procs = at(root, "processes");
	assert_int_equal(json_object_array_length(procs), 2);
	assert_int_equal(int_at(json_object_array_get_idx(procs, 0), "pid"), 100);
	assert_int_equal(int_at(json_object_array_get_idx(procs, 1), "pid"), 200);
	assert_int_equal(int_at(root, "totals.processes"), 3);
	json_object_put(root);
}

static void test_summary_json(void **state)
{
	struct json_object *root, *procs, *p, *flags;
	uint64_t sum;
	size_t i, c;

	(void)state;
	fake_reset(answer_procs);
	assert_int_equal(knmt("summary", "--json"), CLI_EXIT_OK);
	root = parse_out();
	assert_int_equal(nkeys(root), 2);
	procs = at(root, "processes");
	assert_int_equal(json_object_array_length(procs), 3);
	/* sorted as the text: charlie, bravo, alpha */
	check_proc_object(json_object_array_get_idx(procs, 0), &fake_procs[2], false);
	check_proc_object(json_object_array_get_idx(procs, 1), &fake_procs[1], false);
	check_proc_object(json_object_array_get_idx(procs, 2), &fake_procs[0], false);
	p = json_object_array_get_idx(procs, 0);
	flags = at(p, "flags");
	assert_int_equal(json_object_array_length(flags), 1);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(flags, 0)),
			    "approx");
	assert_int_equal(json_object_array_length(at(json_object_array_get_idx(procs, 1),
						     "flags")), 0);
	/* native total: resident + page tables + kernel stacks */
	assert_true((uint64_t)int_at(p, "native_total_bytes") ==
		    100 * FAKE_MIB + 2 * 96 * 1024);
	/* + socket buffers */
	assert_true((uint64_t)int_at(json_object_array_get_idx(procs, 1),
				     "native_total_bytes") ==
		    84 * FAKE_MIB + 3 * 96 * 1024 + FAKE_SOCKS_MEM(3));

	/* totals */
	assert_int_equal(int_at(root, "totals.processes"), 3);
	assert_int_equal(int_at(root, "totals.threads"), 3 + 9 + 6);
	for (c = 0; c < KNMT_CAT_NR; c++) {
		char path[96];

		sum = 0;
		for (i = 0; i < N(fake_procs); i++)
			sum += fake_resident(&fake_procs[i], (unsigned int)c);
		snprintf(path, sizeof(path), "totals.categories.%s.resident_bytes",
			 cat_names[c]);
		assert_true((uint64_t)int_at(root, path) == sum);
		snprintf(path, sizeof(path), "totals.categories.%s.mapped_bytes",
			 cat_names[c]);
		check_type(root, path, json_type_int);
		snprintf(path, sizeof(path), "totals.categories.%s.regions", cat_names[c]);
		assert_int_equal(int_at(root, path), 3 * (c + 1));
	}
	assert_true((uint64_t)int_at(root, "totals.rss.anon_bytes") == 60 * FAKE_MIB);
	assert_true((uint64_t)int_at(root, "totals.kernel.pagetables_bytes") == 6 * 64 * 1024);
	assert_true((uint64_t)int_at(root, "totals.kernel.kstacks_bytes") == 6 * 32 * 1024);
	assert_true((uint64_t)int_at(root, "totals.kernel.sockbufs_bytes") == FAKE_SOCKS_MEM(3));
	assert_int_equal(int_at(root, "totals.sockets.open"), 18);
	assert_true((uint64_t)int_at(root, "totals.offheap.live_bytes") == 12 * FAKE_MIB);
	assert_int_equal(int_at(root, "totals.unaccounted_bytes"), -6 * 4096);
	assert_true((uint64_t)int_at(root, "totals.native_total_bytes") ==
		    (4 + 8 + 12 + 116 + 20 + 24 + 28) * FAKE_MIB + 6 * 96 * 1024 +
		    FAKE_SOCKS_MEM(3));
	json_object_put(root);
}

static void answer_no_procs(const struct nlmsghdr *req)
{
	(void)req;
	fake_push_done(0, NULL);
}

static void test_summary_empty(void **state)
{
	struct json_object *root;

	(void)state;
	fake_reset(answer_no_procs);
	assert_int_equal(knmt("summary"), CLI_EXIT_OK);
	assert_string_equal(last.out, "no process is tracked\n");
	assert_int_equal(knmt("-j", "summary"), CLI_EXIT_OK);
	root = parse_out();
	assert_int_equal(json_object_array_length(at(root, "processes")), 0);
	assert_int_equal(int_at(root, "totals.processes"), 0);
	assert_int_equal(int_at(root, "totals.native_total_bytes"), 0);
	assert_int_equal(int_at(root, "totals.sockets.open"), 0);
	assert_int_equal(int_at(root, "totals.kernel.sockbufs_bytes"), 0);
	json_object_put(root);
}

static void test_summary_usage(void **state)
{
	(void)state;
	fake_reset(answer_procs);
	assert_int_equal(knmt("summary", "--sort", "size"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "unknown key 'size'"));
	assert_int_equal(knmt("summary", "-n", "0"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "-n: '0' is not a count"));
	assert_int_equal(knmt("summary", "-n", "x"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("summary", "-n"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "option '-n' needs a value"));
	assert_int_equal(knmt("summary", "-p", "abc"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "knmt summary: 'abc' is not a pid"));
	assert_non_null(strstr(last.err, "Usage: knmt summary"));
	assert_int_equal(knmt("summary", "-p", "0"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("summary", "-p", "-5"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("summary", "-p", "12x"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("summary", "-p", "99999999999"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("summary", "-p", "1", "-n", "3"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("summary", "-p", "1", "--sort", "pid"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("summary", "extra"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("summary", "--bogus"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "unknown option '--bogus'"));
	assert_int_equal(fake.nrequests, 0);
}

/* ---- summary -p ----------------------------------------------------------- */

static uint32_t req_pid(const struct nlmsghdr *req)
{
	struct nlattr *tb[KNMT_A_PROC_MAX + 1];

	assert_int_equal(genlmsg_parse((struct nlmsghdr *)req, 0, tb,
				       KNMT_A_PROC_MAX, NULL), 0);
	assert_non_null(tb[KNMT_A_PROC_PID]);
	return nla_get_u32(tb[KNMT_A_PROC_PID]);
}

static const struct fake_proc java = {
	.pid = 4242, .comm = "java", .k = 3, .flags = KNMT_PROC_F_APPROX,
	.sockets = true,
};

static const struct fake_proc untracked = {
	.pid = 77, .comm = "sleepy", .k = 1, .no_sample = true,
	.no_offheap = true,
};

static void answer_get_proc(const struct nlmsghdr *req)
{
	const struct genlmsghdr *g = NLMSG_DATA(req);
	uint32_t pid = req_pid(req);

	assert_int_equal(g->cmd, KNMT_CMD_GET_PROC);
	if (pid == java.pid) {
		fake_push(fake_proc_msg(KNMT_CMD_GET_PROC, &java));
	} else if (pid == untracked.pid) {
		fake_push(fake_proc_msg(KNMT_CMD_GET_PROC, &untracked));
	} else {
		fake_push_error(-ESRCH, "no such process", 20, false);
		return;
	}
	fake_push_ack();
}

static void test_summary_pid_text(void **state)
{
	(void)state;
	fake_reset(answer_get_proc);
	assert_int_equal(knmt("summary", "-p", "4242"), CLI_EXIT_OK);
	assert_string_equal(last.err, "");
	assert_true(strncmp(last.out, "Native memory of 4242 (java)\n"
			    "approximate: started before knmt was loaded: categories inferred\n",
			    strlen("Native memory of 4242 (java)\n")) == 0);
	assert_non_null(strstr(last.out,
		"approximate: started before knmt was loaded: categories inferred\n"));
	/* 3 * (1 + ... + 7) MiB + 192 KiB + 96 KiB + 192 KiB */
	assert_non_null(strstr(last.out,
		"inferred\n"
		"total:    84.5 MiB\n"
		"rss:      45 MiB (anon 30 MiB, file 12 MiB, shmem 3 MiB, swap 1.5 MiB)\n"
		"peak rss: 60 MiB\n"
		"threads:  9\n"
		"started:  2025-01-01 00:00:05\n"
		"sampled:  2025-01-01 00:16:40\n"));
	assert_non_null(strstr(last.out,
		"\ncategories:\n"
		"CATEGORY  MAPPED  RESIDENT  REGIONS  MINOR FAULTS  MAJOR FAULTS  PEAK MAPPED\n"
		"heap       7 MiB     3 MiB        1           300             0       21 MiB\n"));
	assert_non_null(strstr(last.out,
		"file      43 MiB    21 MiB        7          2100             6      129 MiB\n"));
	assert_non_null(strstr(last.out,
		"\nkernel:\npage tables:    192 KiB\nkernel stacks:  96 KiB\n"
		"socket buffers: 192 KiB\n"));
	assert_non_null(strstr(last.out,
		"\noffheap:\n"
		"live:      6 buffers, 6 MiB\n"
		"allocated: 15 buffers, 15 MiB\n"
		"freed:     9 buffers, 9 MiB\n"));
	assert_non_null(strstr(last.out,
		"\noffheap lifetimes (freed buffers):\n"
		"LIFETIME  BUFFERS\n"
		"<1ms            1\n"
		"<4ms            4\n"
		"<16ms           7\n"
		"<64ms          10\n"
		"<256ms         13\n"
		"<1.0s          16\n"
		"<4.1s          19\n"
		"<16.4s         22\n"
		"<1m05s         25\n"
		"<4m22s         28\n"
		"<17m28s        31\n"
		">=17m28s       34\n"));
	/* k = 3: see fake_kernel.h */
	assert_non_null(strstr(last.out,
		"\nsockets:\n"
		"open:        18 (inet 3, inet6 6, unix 9)\n"
		"tcp states:  ESTAB 3, CLOSE-WAIT 1, LISTEN 1\n"
		"close-wait:  1, the oldest for 5m 00s\n"
		"oldest open: 3h 06m 09s\n"
		"queued:      rx 3 KiB, tx 6 KiB\n"
		"memory:      192 KiB\n"
		"opened:      300 (120 accepted)\n"
		"closed:      282\n"
		"destroyed:   279\n"
		"orphans:     1\n"
		"untracked:   2\n"
		"per second:  4.5 opened, 3.75 closed\n"
		"\n"
		"socket lifetimes (closed sockets):\n"
		"LIFETIME  SOCKETS\n"
		"<1ms            3\n"
		"<4ms           13\n"));
	assert_non_null(strstr(last.out,
		"<17m28s       103\n"
		">=17m28s      113\n"
		"\n"
		"unaccounted: -12 KiB\n"));
	assert_true(pos("offheap lifetimes") < pos("\nsockets:\n"));
	assert_null(strstr(last.out, " \n"));
}

static void test_summary_pid_untracked(void **state)
{
	(void)state;
	fake_reset(answer_get_proc);
	assert_int_equal(knmt("summary", "-p", "77"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "Native memory of 77 (sleepy)\n"
					 "no breakdown taken yet\n"));
	assert_null(strstr(last.out, "approximate"));
	assert_non_null(strstr(last.out, "total:    -\n"));
	assert_non_null(strstr(last.out, "peak rss: 20 MiB\n"));
	assert_non_null(strstr(last.out, "heap           -         -        -"));
	assert_non_null(strstr(last.out, "\noffheap: not tracked\n"));
	assert_non_null(strstr(last.out, "\nsockets: not tracked\n"));
	assert_non_null(strstr(last.out, "\nsocket buffers: -\n"));
	assert_null(strstr(last.out, "lifetimes"));
	assert_non_null(strstr(last.out, "unaccounted: -\n"));
}

static void answer_bare_proc(const struct nlmsghdr *req)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_PROC);

	(void)req;
	assert_int_equal(nla_put_u32(msg, KNMT_A_PROC_PID, 5), 0);
	fake_push(msg);
	fake_push_ack();
}

/* A process message with its pid only: every key still there, null. */
static void test_summary_pid_json_bare(void **state)
{
	struct json_object *root, *p;

	(void)state;
	fake_reset(answer_bare_proc);
	assert_int_equal(knmt("summary", "-p", "5", "--json"), CLI_EXIT_OK);
	root = parse_out();
	p = json_object_array_get_idx(at(root, "processes"), 0);
	assert_int_equal(nkeys(p), N(top_keys));
	assert_int_equal(int_at(p, "pid"), 5);
	check_type(p, "comm", json_type_null);
	check_type(p, "flags", json_type_array);
	assert_int_equal(json_object_array_length(at(p, "flags")), 0);
	check_type(p, "start_time", json_type_null);
	check_type(p, "categories.file.mapped_bytes", json_type_null);
	check_type(p, "peak_rss_bytes", json_type_null);
	check_type(p, "offheap.lifetime_histogram", json_type_null);
	check_type(p, "native_total_bytes", json_type_null);
	check_type(p, "sockets", json_type_null);
	check_type(p, "kernel.sockbufs_bytes", json_type_null);
	json_object_put(root);
}

/* A sockets nest with a few attributes: the others null, the counters 0. */
static void answer_sparse_sockets(const struct nlmsghdr *req)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_PROC);
	struct nlattr *nest, *sub;

	(void)req;
	assert_int_equal(nla_put_u32(msg, KNMT_A_PROC_PID, 6), 0);
	nest = nla_nest_start(msg, KNMT_A_PROC_SOCKETS);
	assert_int_equal(nla_put_u32(msg, KNMT_A_SOCKS_OPEN, 2), 0);
	sub = nla_nest_start(msg, KNMT_A_SOCKS_TCP_STATE);
	assert_int_equal(nla_put_u32(msg, 10, 2), 0);		/* LISTEN */
	nla_nest_end(msg, sub);
	nla_nest_end(msg, nest);
	fake_push(msg);
	fake_push_ack();
}

static void test_summary_pid_sockets_sparse(void **state)
{
	struct json_object *root, *p;

	(void)state;
	fake_reset(answer_sparse_sockets);
	assert_int_equal(knmt("summary", "-p", "6", "--json"), CLI_EXIT_OK);
	root = parse_out();
	p = json_object_array_get_idx(at(root, "processes"), 0);
	assert_int_equal(nkeys(at(p, "sockets")), N(sockets_keys));
	assert_int_equal(int_at(p, "sockets.open"), 2);
	assert_int_equal(int_at(p, "sockets.by_state.listen"), 2);
	assert_int_equal(int_at(p, "sockets.by_state.established"), 0);
	assert_int_equal(int_at(p, "sockets.close_wait"), 0);
	check_type(p, "sockets.by_family.inet", json_type_null);
	check_type(p, "sockets.oldest_age_s", json_type_null);
	check_type(p, "sockets.mem_bytes", json_type_null);
	check_type(p, "sockets.lifetime_histogram", json_type_null);
	check_type(p, "sockets.opens_per_s", json_type_null);
	check_type(p, "kernel.sockbufs_bytes", json_type_null);
	json_object_put(root);

	assert_int_equal(knmt("summary", "-p", "6"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out,
		"\nsockets:\n"
		"open:        2\n"
		"tcp states:  LISTEN 2\n"
		"close-wait:  0\n"
		"oldest open: -\n"
		"queued:      -\n"
		"memory:      -\n"
		"opened:      -\n"));
	assert_non_null(strstr(last.out, "per second:  -\n\nunaccounted: -\n"));
	assert_null(strstr(last.out, "socket lifetimes"));
}

static void test_summary_pid_json(void **state)
{
	struct json_object *root, *procs;

	(void)state;
	fake_reset(answer_get_proc);
	assert_int_equal(knmt("summary", "-p", "4242", "--json", "-p", "77"), CLI_EXIT_OK);
	assert_int_equal(fake.nrequests, 2);
	root = parse_out();
	assert_int_equal(nkeys(root), 1);
	procs = at(root, "processes");
	assert_int_equal(json_object_array_length(procs), 2);
	check_proc_object(json_object_array_get_idx(procs, 0), &java, false);
	check_proc_object(json_object_array_get_idx(procs, 1), &untracked, false);
	json_object_put(root);
}

static void test_summary_pid_missing(void **state)
{
	(void)state;
	fake_reset(answer_get_proc);
	assert_int_equal(knmt("summary", "-p", "999"), CLI_EXIT_RUNTIME);
	assert_string_equal(last.err, "knmt: no process 999\n");
	assert_string_equal(last.out, "");

	/* the others are still shown */
	assert_int_equal(knmt("summary", "-p", "999", "-p", "4242"), CLI_EXIT_RUNTIME);
	assert_string_equal(last.err, "knmt: no process 999\n");
	assert_non_null(strstr(last.out, "Native memory of 4242 (java)"));
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
	assert_int_equal(knmt("summary"), CLI_EXIT_PERM);
	assert_non_null(strstr(last.err, "CAP_NET_ADMIN"));
	assert_int_equal(knmt("summary", "-p", "1", "-p", "2"), CLI_EXIT_PERM);
	assert_int_equal(fake.nrequests, 2);	/* stopped at the first */
	assert_int_equal(knmt("regions", "-p", "1"), CLI_EXIT_PERM);
	assert_int_equal(knmt("faults", "-p", "1"), CLI_EXIT_PERM);
	assert_int_equal(knmt("exits"), CLI_EXIT_PERM);
}

/* ---- regions ---------------------------------------------------------------- */

static void answer_regions(const struct nlmsghdr *req)
{
	const struct genlmsghdr *g = NLMSG_DATA(req);
	struct nl_msg *msgs[4];

	assert_int_equal(g->cmd, KNMT_CMD_DUMP_REGIONS);
	if (req_pid(req) != 4242) {
		fake_push_error(-ESRCH, "no such process", 20, true);
		return;
	}
	msgs[0] = fake_region_msg(0x555500000000, 0x555500021000, KNMT_CAT_HEAP,
				  KNMT_ORIGIN_BRK, KNMT_PROT_READ | KNMT_PROT_WRITE,
				  0x21000, 1500000000, 33, 4243, NULL, 0);
	msgs[1] = fake_region_msg(0x7f0000000000, 0x7f0008000000, KNMT_CAT_OFFHEAP,
				  KNMT_ORIGIN_OFFHEAP, KNMT_PROT_READ | KNMT_PROT_WRITE,
				  64 << 20, 250000000, 16384, 4242, NULL, 0);
	msgs[2] = fake_region_msg(0x7f1000000000, 0x7f1000028000, KNMT_CAT_FILE,
				  KNMT_ORIGIN_NONE, KNMT_PROT_READ | KNMT_PROT_EXEC |
				  KNMT_PROT_SHARED, 4096, 0, 0, 0,
				  "/usr/lib/x86_64-linux-gnu/libc.so.6", 0x28000);
	msgs[3] = fake_region_msg(0x7ffd00000000, 0x7ffd00021000, KNMT_CAT_HEAP,
				  KNMT_ORIGIN_GUESSED, KNMT_PROT_READ, 0, 0, 0, 0,
				  NULL, 0);
	fake_push_many(msgs, 4);
	fake_push_done(0, NULL);
}

static void test_regions_text(void **state)
{
	(void)state;
	fake_reset(answer_regions);
	assert_int_equal(knmt("regions", "-p", "4242"), CLI_EXIT_OK);
	assert_string_equal(last.err, "");
	assert_non_null(strstr(last.out,
		"START-END                     SIZE      RSS  PROT  CATEGORY  "
		"ORIGIN        AGE   TID  FAULTS  FILE\n"
		"555500000000-555500021000  132 KiB  132 KiB  rw-p  heap      "
		"brk         1.5 s  4243      33  -\n"
		"7f0000000000-7f0008000000  128 MiB   64 MiB  rw-p  offheap   "
		"offheap  250.0 ms  4242   16384  -\n"
		"7f1000000000-7f1000028000  160 KiB    4 KiB  r-xs  file      "
		"none            -     -       -  /usr/lib/x86_64-linux-gnu/libc.so.6\n"
		"7ffd00000000-7ffd00021000  132 KiB      0 B  r--p  heap      "
		"guessed         -     -       -  -\n"
		"total: 4 regions, 128.4 MiB mapped, 64.1 MiB resident\n"));
	assert_null(strstr(last.out, " \n"));
}

static void test_regions_category(void **state)
{
	struct json_object *root, *regions;

	(void)state;
	fake_reset(answer_regions);
	assert_int_equal(knmt("regions", "-p", "4242", "--category", "heap"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "555500000000-555500021000"));
	assert_non_null(strstr(last.out, "7ffd00000000-7ffd00021000"));
	assert_null(strstr(last.out, "offheap"));
	assert_null(strstr(last.out, "libc"));
	assert_non_null(strstr(last.out, "total: 2 regions, 264 KiB mapped, 132 KiB resident\n"));

	assert_int_equal(knmt("regions", "-p", "4242", "-c", "offheap", "--json"), CLI_EXIT_OK);
	root = parse_out();
	regions = at(root, "regions");
	assert_int_equal(json_object_array_length(regions), 1);
	assert_string_equal(str_at(json_object_array_get_idx(regions, 0), "category"),
			    "offheap");
	json_object_put(root);

	assert_int_equal(knmt("regions", "-p", "4242", "-c", "shmem"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "(none)\n"));
	assert_non_null(strstr(last.out, "total: 0 regions, 0 B mapped, 0 B resident\n"));
}

static void test_regions_json(void **state)
{
	static const char *const keys[] = {
		"start", "end", "size_bytes", "resident_bytes", "prot", "category",
		"origin", "age_s", "tid", "faults", "file", "file_offset",
	};
	struct json_object *root, *regions, *r;
	size_t i, k;

	(void)state;
	fake_reset(answer_regions);
	assert_int_equal(knmt("regions", "--json", "-p", "4242"), CLI_EXIT_OK);
	root = parse_out();
	assert_int_equal(nkeys(root), 2);
	assert_int_equal(int_at(root, "pid"), 4242);
	regions = at(root, "regions");
	assert_int_equal(json_object_array_length(regions), 4);
	for (i = 0; i < 4; i++) {
		r = json_object_array_get_idx(regions, i);
		assert_int_equal(nkeys(r), N(keys));
		for (k = 0; k < N(keys); k++)
			assert_true(json_object_object_get_ex(r, keys[k], NULL));
		check_type(r, "start", json_type_string);
		check_type(r, "end", json_type_string);
		check_type(r, "size_bytes", json_type_int);
		check_type(r, "resident_bytes", json_type_int);
		check_type(r, "prot", json_type_string);
		check_type(r, "category", json_type_string);
		check_type(r, "origin", json_type_string);
	}
	r = json_object_array_get_idx(regions, 0);
	assert_string_equal(str_at(r, "start"), "0x555500000000");
	assert_string_equal(str_at(r, "end"), "0x555500021000");
	assert_int_equal(int_at(r, "size_bytes"), 0x21000);
	assert_string_equal(str_at(r, "prot"), "rw-p");
	assert_string_equal(str_at(r, "origin"), "brk");
	check_type(r, "age_s", json_type_double);
	assert_true(json_object_get_double(at(r, "age_s")) == 1.5);
	assert_int_equal(int_at(r, "tid"), 4243);
	assert_int_equal(int_at(r, "faults"), 33);
	check_type(r, "file", json_type_null);
	check_type(r, "file_offset", json_type_null);

	r = json_object_array_get_idx(regions, 2);
	assert_string_equal(str_at(r, "prot"), "r-xs");
	check_type(r, "age_s", json_type_null);
	check_type(r, "tid", json_type_null);
	check_type(r, "faults", json_type_null);
	assert_string_equal(str_at(r, "file"), "/usr/lib/x86_64-linux-gnu/libc.so.6");
	assert_int_equal(int_at(r, "file_offset"), 0x28000);
	json_object_put(root);
}

static void test_regions_errors(void **state)
{
	(void)state;
	fake_reset(answer_regions);
	assert_int_equal(knmt("regions", "-p", "31337"), CLI_EXIT_RUNTIME);
	assert_string_equal(last.err, "knmt: no process 31337\n");
	assert_string_equal(last.out, "");
	assert_int_equal(fake.nrequests, 1);

	fake_reset(answer_regions);
	assert_int_equal(knmt("regions"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "-p PID is required"));
	assert_int_equal(knmt("regions", "-p", "x1"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("regions", "-p", "1", "-p", "2"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("regions", "-p", "1", "--category", "heaps"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "unknown category 'heaps'"));
	assert_int_equal(knmt("regions", "-p", "1", "--category"), CLI_EXIT_USAGE);
	assert_int_equal(fake.nrequests, 0);
}

/* ---- faults --------------------------------------------------------------- */

/* Code of this program the fake sites point at. */
__attribute__((noinline, used)) int knmt_test_fault_site(int n);

__attribute__((noinline, used)) int knmt_test_fault_site(int n)
{
	volatile int acc = 0;
	int i;

	for (i = 0; i < n; i++)
		acc += i ^ n;
	return acc;
}

static uint64_t site_ip(void)
{
	return (uint64_t)(uintptr_t)&knmt_test_fault_site + 4;
}

static uint32_t faults_pid;

static void answer_sites(const struct nlmsghdr *req)
{
	const struct genlmsghdr *g = NLMSG_DATA(req);
	struct nl_msg *msgs[4];

	assert_int_equal(g->cmd, KNMT_CMD_DUMP_FAULT_SITES);
	assert_int_equal(req_pid(req), faults_pid);
	msgs[0] = fake_site_msg(0x10, 7, KNMT_CAT_ANON, false);	/* unmapped */
	msgs[1] = fake_site_msg(site_ip(), 900, KNMT_CAT_OFFHEAP, false);
	msgs[2] = fake_site_msg(0, 5, 0, true);
	msgs[3] = fake_site_msg(site_ip() + 8, 40, KNMT_CAT_HEAP, false);
	fake_push_many(msgs, 4);
	fake_push_done(0, NULL);
}

static char exe[PATH_MAX];

/* The line starting with start holds the words of want ("a|b|c"). */
static void assert_line_words(const char *start, const char *want)
{
	char line[512], words[512] = "";
	const char *p = strstr(last.out, start);
	char *tok, *save = NULL;
	size_t n;

	if (!p)
		fail_msg("no line starting with \"%s\" in:\n%s", start, last.out);
	n = strcspn(p, "\n");
	assert_true(n < sizeof(line));
	memcpy(line, p, n);
	line[n] = '\0';
	for (tok = strtok_r(line, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (words[0])
			strcat(words, "|");
		strncat(words, tok, sizeof(words) - strlen(words) - 2);
	}
	assert_string_equal(words, want);
}

static void self_exe(void)
{
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	assert_true(n > 0);
	exe[n] = '\0';
}

static void test_faults_text(void **state)
{
	char want[PATH_MAX + 256];

	(void)state;
	self_exe();
	faults_pid = (uint32_t)getpid();
	fake_reset(answer_sites);
	assert_int_equal(knmt("faults", "-p", "0"), CLI_EXIT_USAGE);
	{
		char pid[16];

		snprintf(pid, sizeof(pid), "%u", faults_pid);
		assert_int_equal(knmt("faults", "-p", pid), CLI_EXIT_OK);
	}
	assert_string_equal(last.err, "");
	assert_true(strncmp(last.out, "FAULTS    BYTES  CATEGORY", 25) == 0);
	assert_non_null(strstr(last.out, "  FUNCTION+OFF              OBJECT\n"));
	/* most faults first */
	snprintf(want, sizeof(want), "   900  3.5 MiB  offheap   0x%" PRIx64
		 "  knmt_test_fault_site+0x4  %s\n", site_ip(), exe);
	assert_non_null(strstr(last.out, want));
	snprintf(want, sizeof(want), "    40  160 KiB  heap      0x%" PRIx64
		 "  knmt_test_fault_site+0xc  %s\n", site_ip() + 8, exe);
	assert_non_null(strstr(last.out, want));
	/* the unmapped address stays raw (widths depend on the addresses) */
	assert_line_words("     7 ", "7|28|KiB|anon|0x10|?|?");
	assert_true(pos("knmt_test_fault_site+0x4") < pos("knmt_test_fault_site+0xc"));
	assert_true(pos("knmt_test_fault_site+0xc") < pos("0x10 "));
	assert_non_null(strstr(last.out, "\nother: 5 faults at sites not kept\n"));
	assert_null(strstr(last.out, " \n"));
	assert_int_equal(knmt_test_fault_site(2), 5);
}

static void test_faults_json(void **state)
{
	struct json_object *root, *sites, *s;
	char pid[16], ip[32];

	(void)state;
	self_exe();
	faults_pid = (uint32_t)getpid();
	fake_reset(answer_sites);
	snprintf(pid, sizeof(pid), "%u", faults_pid);
	assert_int_equal(knmt("faults", "-p", pid, "-n", "2", "--json"), CLI_EXIT_OK);
	root = parse_out();
	assert_int_equal(nkeys(root), 3);
	assert_int_equal(int_at(root, "pid"), faults_pid);
	assert_int_equal(int_at(root, "other_faults"), 5);
	sites = at(root, "sites");
	assert_int_equal(json_object_array_length(sites), 2);
	s = json_object_array_get_idx(sites, 0);
	assert_int_equal(nkeys(s), 7);
	snprintf(ip, sizeof(ip), "0x%" PRIx64, site_ip());
	assert_string_equal(str_at(s, "ip"), ip);
	assert_int_equal(int_at(s, "faults"), 900);
	assert_int_equal(int_at(s, "bytes"), 900 * 4096);
	assert_string_equal(str_at(s, "category"), "offheap");
	assert_string_equal(str_at(s, "function"), "knmt_test_fault_site");
	assert_int_equal(int_at(s, "offset"), 4);
	assert_string_equal(str_at(s, "object"), exe);
	json_object_put(root);

	/* all of them: the unresolved one has nulls */
	assert_int_equal(knmt("faults", "-p", pid, "--json"), CLI_EXIT_OK);
	root = parse_out();
	sites = at(root, "sites");
	assert_int_equal(json_object_array_length(sites), 3);
	s = json_object_array_get_idx(sites, 2);
	assert_string_equal(str_at(s, "ip"), "0x10");
	check_type(s, "function", json_type_null);
	check_type(s, "offset", json_type_null);
	check_type(s, "object", json_type_null);
	json_object_put(root);
}

static void test_faults_process_gone(void **state)
{
	(void)state;
	/* the module still has the sites; /proc has no such process */
	faults_pid = 4194304;
	fake_reset(answer_sites);
	assert_int_equal(knmt("faults", "-p", "4194304"), CLI_EXIT_OK);
	assert_null(strstr(last.out, "knmt_test_fault_site"));
	assert_non_null(strstr(last.out, "   900  3.5 MiB  offheap   0x"));
	assert_non_null(strstr(last.out, "  ?             ?\n"));
	assert_null(strstr(last.out, "test_cli_proc"));
	assert_non_null(strstr(last.out, "other: 5 faults"));
}

static void answer_sites_errors(const struct nlmsghdr *req)
{
	if (req_pid(req) == 5)
		fake_push_done(-ENOENT, "the process is not tracked");
	else
		fake_push_error(-ESRCH, "no such process", 20, true);
}

static void test_faults_errors(void **state)
{
	char want[256];

	(void)state;
	fake_reset(answer_sites_errors);
	assert_int_equal(knmt("faults", "-p", "6"), CLI_EXIT_RUNTIME);
	assert_string_equal(last.err, "knmt: no process 6\n");
	assert_int_equal(knmt("faults", "-p", "5"), CLI_EXIT_RUNTIME);
	snprintf(want, sizeof(want),
		 "knmt: kernel rejected the request: the process is not tracked (%s)\n",
		 strerror(ENOENT));
	assert_string_equal(last.err, want);
	assert_int_equal(knmt("faults"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("faults", "-p", "5", "-n", "-1"), CLI_EXIT_USAGE);
}

/* ---- exits ---------------------------------------------------------------- */

#define SEC	UINT64_C(1000000000)

static void answer_exits(const struct nlmsghdr *req)
{
	const struct genlmsghdr *g = NLMSG_DATA(req);
	/* oldest first, as the module sends them */
	const struct fake_proc exits[] = {
		{ .pid = 10, .comm = "make", .k = 1, .flags = KNMT_PROC_F_EXITED,
		  .exit_ns = 100 * SEC, .exit_code = 3 << 8 },
		{ .pid = 11, .comm = "crashy", .k = 1, .flags = KNMT_PROC_F_EXITED,
		  .exit_ns = 200 * SEC + 5000000, .exit_code = SIGSEGV | 0x80 },
		{ .pid = 12, .comm = "hog", .k = 2, .resident = charlie_resident,
		  .flags = KNMT_PROC_F_EXITED | KNMT_PROC_F_OOM_VICTIM,
		  .exit_ns = 300 * SEC, .exit_code = SIGKILL },
		{ .pid = 13, .comm = "quiet", .k = 1, .no_sample = true,
		  .flags = KNMT_PROC_F_EXITED, .exit_ns = 250 * SEC, .exit_code = 0 },
	};
	struct nl_msg *msgs[N(exits)];
	size_t i;

	assert_int_equal(g->cmd, KNMT_CMD_DUMP_EXITS);
	for (i = 0; i < N(exits); i++)
		msgs[i] = fake_proc_msg(KNMT_CMD_DUMP_EXITS, &exits[i]);
	fake_push_many(msgs, N(exits));
	fake_push_done(0, NULL);
}

static void test_exits_text(void **state)
{
	(void)state;
	fake_reset(answer_exits);
	assert_int_equal(knmt("exits"), CLI_EXIT_OK);
	assert_string_equal(last.err, "");
	assert_non_null(strstr(last.out,
		"PID  COMM    EXIT TIME            STATUS                           "
		"RSS PEAK  TOP CATEGORIES\n"));
	/* newest first, by exit time */
	assert_order("hog", "quiet", "crashy");
	assert_true(pos("crashy") < pos("make"));
	assert_non_null(strstr(last.out,
		" 12  hog     2025-01-01 00:05:00  OOM-killed                         "
		"40 MiB  offheap 100 MiB\n"));
	assert_non_null(strstr(last.out,
		" 13  quiet   2025-01-01 00:04:10  exited 0                           "
		"20 MiB  -\n"));
	assert_non_null(strstr(last.out,
		" 11  crashy  2025-01-01 00:03:20  killed by SIGSEGV (core dumped)    "
		"20 MiB  file 7 MiB, shmem 6 MiB, anon 5 MiB\n"));
	assert_non_null(strstr(last.out, " 10  make    2025-01-01 00:01:40  exited 3  "));

	assert_int_equal(knmt("exits", "-n", "2"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "hog"));
	assert_non_null(strstr(last.out, "quiet"));
	assert_null(strstr(last.out, "crashy"));
	assert_null(strstr(last.out, "make"));
}

static void test_exits_json(void **state)
{
	const struct fake_proc hog = {
		.pid = 12, .comm = "hog", .k = 2, .resident = charlie_resident,
		.flags = KNMT_PROC_F_EXITED | KNMT_PROC_F_OOM_VICTIM,
		.exit_ns = 300 * SEC, .exit_code = SIGKILL,
	};
	struct json_object *root, *exits, *e, *flags;

	(void)state;
	fake_reset(answer_exits);
	assert_int_equal(knmt("exits", "--json"), CLI_EXIT_OK);
	root = parse_out();
	assert_int_equal(nkeys(root), 1);
	exits = at(root, "exits");
	assert_int_equal(json_object_array_length(exits), 4);
	e = json_object_array_get_idx(exits, 0);
	check_proc_object(e, &hog, true);
	assert_string_equal(str_at(e, "exit_time"), "2025-01-01T00:05:00.000Z");
	assert_int_equal(int_at(e, "exit_code"), SIGKILL);
	check_type(e, "oom_victim", json_type_boolean);
	assert_true(json_object_get_boolean(at(e, "oom_victim")));
	flags = at(e, "flags");
	assert_int_equal(json_object_array_length(flags), 2);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(flags, 0)),
			    "exited");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(flags, 1)),
			    "oom_victim");

	e = json_object_array_get_idx(exits, 2);
	assert_int_equal(int_at(e, "pid"), 11);
	assert_string_equal(str_at(e, "exit_time"), "2025-01-01T00:03:20.005Z");
	assert_int_equal(int_at(e, "exit_code"), SIGSEGV | 0x80);
	assert_false(json_object_get_boolean(at(e, "oom_victim")));
	json_object_put(root);
}

static void test_exits_empty(void **state)
{
	struct json_object *root;

	(void)state;
	fake_reset(answer_no_procs);
	assert_int_equal(knmt("exits"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "(none)\n"));
	assert_int_equal(knmt("exits", "-j"), CLI_EXIT_OK);
	root = parse_out();
	assert_int_equal(json_object_array_length(at(root, "exits")), 0);
	json_object_put(root);
	assert_int_equal(knmt("exits", "now"), CLI_EXIT_USAGE);
}

/* ---- help and config --------------------------------------------------------- */

static void test_help_lists_commands(void **state)
{
	(void)state;
	assert_int_equal(knmt("help"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "  summary "));
	assert_non_null(strstr(last.out, "  regions "));
	assert_non_null(strstr(last.out, "  faults "));
	assert_non_null(strstr(last.out, "  exits "));
	assert_int_equal(knmt("summary", "--help"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "Usage: knmt summary [-n N] [--sort KEY]"));
	assert_non_null(strstr(last.out, "pagetables, threads"));
	assert_int_equal(knmt("help", "regions"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "Usage: knmt regions -p PID"));
	assert_int_equal(knmt("faults", "-h"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "function+offset"));
	assert_int_equal(knmt("help", "exits"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "OOM-killed"));
	assert_int_equal(fake.nrequests, 0);
}

static void answer_config(const struct nlmsghdr *req)
{
	struct nl_msg *msg = fake_reply(KNMT_CMD_GET_CONFIG);

	(void)req;
	fake_put_u64(msg, KNMT_A_CONFIG_OFFHEAP_MIN_BYTES, KNMT_A_CONFIG_PAD, 131072);
	assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_PROCS_MAX, 4096), 0);
	assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_REGIONS_MAX, 65536), 0);
	assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_EXITS_MAX, 256), 0);
	fake_push(msg);
	fake_push_ack();
}

static void test_config_new_limits(void **state)
{
	struct json_object *root;

	(void)state;
	fake_reset(answer_config);
	assert_int_equal(knmt("config"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out,
		"regions_max          65536  read-only  set at load: modprobe knmt regions_max=N\n"
		"exits_max              256  read-only  set at load: modprobe knmt exits_max=N\n"));
	/* regions_max and exits_max are not JSON keys: offheap_min_bytes,
	 * procs_max, sample_ms, events_fault_ms and filter are */
	assert_int_equal(knmt("config", "--json"), CLI_EXIT_OK);
	root = parse_out();
	assert_int_equal(nkeys(root), 5);
	assert_false(json_object_object_get_ex(root, "regions_max", NULL));
	assert_false(json_object_object_get_ex(root, "exits_max", NULL));
	json_object_put(root);
	assert_int_equal(knmt("config", "set", "exits_max=10"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "read-only"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_summary_text, teardown),
		cmocka_unit_test_teardown(test_summary_sort, teardown),
		cmocka_unit_test_teardown(test_summary_top, teardown),
		cmocka_unit_test_teardown(test_summary_json, teardown),
		cmocka_unit_test_teardown(test_summary_empty, teardown),
		cmocka_unit_test_teardown(test_summary_usage, teardown),
		cmocka_unit_test_teardown(test_summary_pid_text, teardown),
		cmocka_unit_test_teardown(test_summary_pid_untracked, teardown),
		cmocka_unit_test_teardown(test_summary_pid_json, teardown),
		cmocka_unit_test_teardown(test_summary_pid_json_bare, teardown),
		cmocka_unit_test_teardown(test_summary_pid_sockets_sparse, teardown),
		cmocka_unit_test_teardown(test_summary_pid_missing, teardown),
		cmocka_unit_test_teardown(test_permission_denied, teardown),
		cmocka_unit_test_teardown(test_regions_text, teardown),
		cmocka_unit_test_teardown(test_regions_category, teardown),
		cmocka_unit_test_teardown(test_regions_json, teardown),
		cmocka_unit_test_teardown(test_regions_errors, teardown),
		cmocka_unit_test_teardown(test_faults_text, teardown),
		cmocka_unit_test_teardown(test_faults_json, teardown),
		cmocka_unit_test_teardown(test_faults_process_gone, teardown),
		cmocka_unit_test_teardown(test_faults_errors, teardown),
		cmocka_unit_test_teardown(test_exits_text, teardown),
		cmocka_unit_test_teardown(test_exits_json, teardown),
		cmocka_unit_test_teardown(test_exits_empty, teardown),
		cmocka_unit_test_teardown(test_help_lists_commands, teardown),
		cmocka_unit_test_teardown(test_config_new_limits, teardown),
	};

	return cmocka_run_group_tests_name("cli_proc", tests, setup, NULL);
}
