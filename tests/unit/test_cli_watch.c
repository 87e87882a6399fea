// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt watch against the fake kernel's event batches: the text line of
 * every type and its JSON object (every key and type), the command
 * names (from exec and exit events, from /proc/PID/comm, forgotten at
 * exit), losses where they happen (LOST, gaps, ENOBUFS) and in the
 * summary, the filters, how it stops (--count, --duration, SIGTERM while
 * waiting or already pending, a malformed batch), usage errors, and no
 * CAP_SYS_ADMIN.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <json.h>

#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>

#include "cli_harness.h"

/* Boot-time 0 is 2025-01-01T00:00:00Z for these tests. */
#define BOOT_EPOCH_NS	(INT64_C(1735689600) * 1000000000)

static int64_t fixed_offset(void)
{
	return BOOT_EPOCH_NS;
}

/* a /proc of the tests: 777/comm is "bash", 4242/comm "java-proc" */
static char proc[64];

static void write_comm(uint32_t pid, const char *comm)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%u", proc, pid);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/%u/comm", proc, pid);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%s\n", comm);
	fclose(f);
}

static void remove_comm(uint32_t pid)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%u/comm", proc, pid);
	unlink(path);
	snprintf(path, sizeof(path), "%s/%u", proc, pid);
	rmdir(path);
}

static int setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	knmt_cli.clock_offset = fixed_offset;
	snprintf(proc, sizeof(proc), "/tmp/knmt-unit-proc-XXXXXX");
	if (!mkdtemp(proc))
		return -1;
	write_comm(777, "bash");
	write_comm(FAKE_EV_PID, "java-proc");
	knmt_cli.proc_root = proc;
	return 0;
}

static int cleanup(void **state)
{
	(void)state;
	remove_comm(777);
	remove_comm(FAKE_EV_PID);
	rmdir(proc);
	knmt_cli.proc_root = NULL;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cli_run_free();
	fake_reset(NULL);
	return 0;
}

/* A batch of one event of type type, pid, tid, comm (NULL: none). */
static struct nl_msg *one(uint64_t seq, uint8_t type, uint32_t pid,
			  const char *comm)
{
	struct nl_msg *msg = fake_evbatch(seq, 1, 0);

	nla_nest_end(msg, fake_ev_start(msg, type, FAKE_EV_NS, pid, pid, comm));
	return msg;
}

/* A batch of an mmap of pid. */
static struct nl_msg *mmap_of(uint64_t seq, uint32_t pid, uint64_t lost)
{
	struct nl_msg *msg = fake_evbatch(seq, 1, lost);
	struct nlattr *ev;

	ev = fake_ev_start(msg, KNMT_EV_MMAP, FAKE_EV_NS, pid, pid, NULL);
	fake_ev_u64(msg, KNMT_A_EV_START, 0x10000);
	fake_ev_u64(msg, KNMT_A_EV_LEN, 4096);
	fake_ev_u8(msg, KNMT_A_EV_CATEGORY, KNMT_CAT_ANON);
	fake_ev_u8(msg, KNMT_A_EV_ORIGIN, KNMT_ORIGIN_NONE);
	nla_nest_end(msg, ev);
	return msg;
}

/* The lines of last.out parsed, each an object; returns how many. */
static size_t json_lines(struct json_object **objs, size_t max)
{
	char *save = NULL, *copy = strdup(last.out), *line;
	size_t n = 0;

	assert_non_null(copy);
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		assert_true(n < max);
		objs[n] = json_tokener_parse(line);
		if (!objs[n])
			fail_msg("not a JSON line: %s", line);
		/* one line, compact */
		assert_null(strchr(line, '\n'));
		n++;
	}
	free(copy);
	return n;
}

static void put_all(struct json_object **objs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		json_object_put(objs[i]);
}

/* Fails unless o has exactly the keys of keys (NULL-terminated). */
static void exact_keys(struct json_object *o, const char *const *keys)
{
	size_t n = 0;

	for (; keys[n]; n++)
		if (!json_object_object_get_ex(o, keys[n], NULL))
			fail_msg("key \"%s\" missing in %s", keys[n],
				 json_object_to_json_string(o));
	if (nkeys(o) != n)
		fail_msg("%zu keys, expected %zu: %s", nkeys(o), n,
			 json_object_to_json_string(o));
}

/* ---- text --------------------------------------------------------------- */

static void test_text(void **state)
{
	(void)state;
	fake_push_event(fake_ev_all(500, 0));
	assert_int_equal(knmt("watch", "--count", "13"), CLI_EXIT_OK);
	assert_string_equal(last.out,
		"00:33:20.000    4242 java            exec\n"
		"00:33:20.001    4242 java            mmap          0x7f0000000000 1 MiB offheap, origin offheap (tid 4243)\n"
		"00:33:20.003    4242 java            munmap        0x7f0000100000 64 KiB (tid 4243)\n"
		"00:33:20.004    4242 java            mremap        0x7f0000200000 4 KiB -> 0x7f0000300000 8 KiB (tid 4243)\n"
		"00:33:20.006    4242 java            brk           0x5555a000 -> 0x5557b000 (+132 KiB)\n"
		"00:33:20.007    4242 java            offheap_alloc 0x7f1000000000 2 MiB (tid 4244)\n"
		"00:33:20.009    4242 java            offheap_free  0x7f1000000000 2 MiB after 2.5 s (tid 4244)\n"
		"00:33:20.010    4242 java            faults        in 1.0 s: heap 120 minor, offheap 512 minor 3 major\n"
		"00:33:20.012    4242 java            sock_open     tcp inode 12345, accepted\n"
		"00:33:20.013    4242 java            sock_state    inode 12345 ESTAB -> CLOSE-WAIT\n"
		"00:33:20.015    4242 java            sock_close    inode 12345 after 1m 30s\n"
		"00:33:20.016    4242 java            oom_victim    chosen by the OOM killer\n"
		"00:33:20.018    4242 java            exit          OOM-killed; rss 30 MiB, file 14 MiB, shmem 12 MiB, anon 10 MiB\n");
	assert_string_equal(last.err,
		"knmt watch: 13 events received, 13 shown; lost: 0 in the "
		"kernel's rings, 0 not delivered (gaps); ENOBUFS 0 times\n");
	assert_int_equal(fake.joined, FAKE_GROUP);
	assert_int_equal(fake.nrequests, 0);	/* a listener only */
}

/* ---- JSON ---------------------------------------------------------------- */

#define COMMON "seq", "time", "type", "pid", "tid", "comm"

static void test_json(void **state)
{
	static const char *const keys[FAKE_EV_ALL][16] = {
		{ COMMON, NULL },
		{ COMMON, "start", "len", "category", "origin", NULL },
		{ COMMON, "start", "len", NULL },
		{ COMMON, "old_start", "old_len", "start", "len", NULL },
		{ COMMON, "old_start", "start", NULL },
		{ COMMON, "start", "len", NULL },
		{ COMMON, "start", "len", "lifetime_s", NULL },
		{ COMMON, "interval_s", "faults", NULL },
		{ COMMON, "inode", "family", "socket_type", "protocol", "netid",
		  "flags", NULL },
		{ COMMON, "inode", "old_state", "state", NULL },
		{ COMMON, "inode", "lifetime_s", NULL },
		{ COMMON, NULL },
		{ COMMON, "exit_code", "flags", "process", NULL },
	};
	static const char *const types[FAKE_EV_ALL] = {
		"exec", "mmap", "munmap", "mremap", "brk", "offheap_alloc",
		"offheap_free", "faults", "sock_open", "sock_state",
		"sock_close", "oom_victim", "exit",
	};
	static const char *const summary_keys[] = {
		"type", "events", "shown", "lost_ring", "lost_gaps", "enobufs", NULL,
	};
	struct json_object *o[FAKE_EV_ALL + 1], *e, *p;
	size_t i;

	(void)state;
	fake_push_event(fake_ev_all(500, 0));
	assert_int_equal(knmt("watch", "--json", "--count", "13"), CLI_EXIT_OK);
	assert_int_equal(json_lines(o, FAKE_EV_ALL + 1), FAKE_EV_ALL + 1);
	for (i = 0; i < FAKE_EV_ALL; i++) {
		char when[32];

		e = o[i];
		exact_keys(e, keys[i]);
		assert_int_equal(int_at(e, "seq"), 500 + i);
		assert_string_equal(str_at(e, "type"), types[i]);
		snprintf(when, sizeof(when), "2025-01-01T00:33:20.%03zuZ",
			 i * 3 / 2);
		assert_string_equal(str_at(e, "time"), when);
		assert_int_equal(int_at(e, "pid"), FAKE_EV_PID);
		/* from the exec, not /proc */
		assert_string_equal(str_at(e, "comm"), "java");
	}
	assert_int_equal(int_at(o[0], "tid"), FAKE_EV_PID);
	assert_int_equal(int_at(o[1], "tid"), FAKE_EV_PID + 1);
	check_type(o[7], "tid", json_type_null);
	assert_string_equal(str_at(o[1], "start"), "0x7f0000000000");
	assert_int_equal(int_at(o[1], "len"), 1 << 20);
	assert_string_equal(str_at(o[1], "category"), "offheap");
	assert_string_equal(str_at(o[1], "origin"), "offheap");
	assert_string_equal(str_at(o[2], "start"), "0x7f0000100000");
	assert_int_equal(int_at(o[2], "len"), 65536);
	assert_string_equal(str_at(o[3], "old_start"), "0x7f0000200000");
	assert_int_equal(int_at(o[3], "old_len"), 4096);
	assert_string_equal(str_at(o[3], "start"), "0x7f0000300000");
	assert_int_equal(int_at(o[3], "len"), 8192);
	assert_string_equal(str_at(o[4], "old_start"), "0x5555a000");
	assert_string_equal(str_at(o[4], "start"), "0x5557b000");
	assert_int_equal(int_at(o[5], "len"), 2 << 20);
	check_type(o[6], "lifetime_s", json_type_double);
	assert_true(json_object_get_double(at(o[6], "lifetime_s")) == 2.5);
	check_type(o[7], "interval_s", json_type_double);
	assert_true(json_object_get_double(at(o[7], "interval_s")) == 1.0);
	/* the categories sent, the newer one left out */
	assert_int_equal(nkeys(at(o[7], "faults")), 2);
	exact_keys(at(o[7], "faults.heap"), (const char *const[]){ "minor", "major", NULL });
	assert_int_equal(int_at(o[7], "faults.heap.minor"), 120);
	assert_int_equal(int_at(o[7], "faults.heap.major"), 0);
	assert_int_equal(int_at(o[7], "faults.offheap.minor"), 512);
	assert_int_equal(int_at(o[7], "faults.offheap.major"), 3);
	assert_int_equal(int_at(o[8], "inode"), 12345);
	assert_string_equal(str_at(o[8], "family"), "inet");
	assert_string_equal(str_at(o[8], "socket_type"), "stream");
	assert_string_equal(str_at(o[8], "protocol"), "tcp");
	assert_string_equal(str_at(o[8], "netid"), "tcp");
	check_type(o[8], "flags", json_type_array);
	assert_int_equal(json_object_array_length(at(o[8], "flags")), 1);
	assert_string_equal(json_object_get_string(
		json_object_array_get_idx(at(o[8], "flags"), 0)), "accepted");
	assert_string_equal(str_at(o[9], "old_state"), "established");
	assert_string_equal(str_at(o[9], "state"), "close_wait");
	assert_true(json_object_get_double(at(o[10], "lifetime_s")) == 90.0);
	assert_int_equal(int_at(o[12], "exit_code"), 9);
	assert_int_equal(json_object_array_length(at(o[12], "flags")), 2);
	assert_string_equal(json_object_get_string(
		json_object_array_get_idx(at(o[12], "flags"), 1)), "oom_victim");
	/* the process object of summary -p */
	p = at(o[12], "process");
	check_type(o[12], "process", json_type_object);
	assert_int_equal(int_at(p, "pid"), FAKE_EV_PID);
	assert_string_equal(str_at(p, "comm"), "java");
	assert_int_equal(int_at(p, "categories.offheap.resident_bytes"),
			 fake_resident(&fake_ev_exit_proc, KNMT_CAT_OFFHEAP));
	assert_int_equal(int_at(p, "rss.anon_bytes"), 20 * FAKE_MIB);
	check_type(p, "sockets", json_type_null);
	check_type(p, "kernel.sockbufs_bytes", json_type_null);
	check_type(p, "native_total_bytes", json_type_int);
	check_type(p, "offheap.lifetime_histogram", json_type_array);
	check_type(p, "start_time", json_type_string);
	assert_false(json_object_object_get_ex(p, "exit_time", NULL));

	exact_keys(o[FAKE_EV_ALL], summary_keys);
	assert_string_equal(str_at(o[FAKE_EV_ALL], "type"), "summary");
	assert_int_equal(int_at(o[FAKE_EV_ALL], "events"), FAKE_EV_ALL);
	assert_int_equal(int_at(o[FAKE_EV_ALL], "shown"), FAKE_EV_ALL);
	assert_int_equal(int_at(o[FAKE_EV_ALL], "lost_ring"), 0);
	assert_int_equal(int_at(o[FAKE_EV_ALL], "lost_gaps"), 0);
	assert_int_equal(int_at(o[FAKE_EV_ALL], "enobufs"), 0);
	put_all(o, FAKE_EV_ALL + 1);
	/* the summary on stderr too */
	assert_non_null(strstr(last.err, "13 events received, 13 shown"));

	/* -j, and --json before the command */
	fake_push_event(fake_ev_all(0, 0));
	assert_int_equal(knmt("watch", "-j", "--count", "1"), CLI_EXIT_OK);
	assert_int_equal(json_lines(o, 2), 2);
	assert_string_equal(str_at(o[0], "type"), "exec");
	put_all(o, 2);
	fake_push_event(fake_ev_all(0, 0));
	assert_int_equal(knmt("--json", "watch", "--count", "1"), CLI_EXIT_OK);
	assert_int_equal(json_lines(o, 2), 2);
	put_all(o, 2);
}

/* What the module did not send is null; a type of a newer module. */
static void test_json_sparse(void **state)
{
	struct nl_msg *msg = fake_evbatch(1, 4, 0);
	struct json_object *o[5];
	struct nlattr *ev;

	(void)state;
	ev = fake_ev_start(msg, KNMT_EV_MMAP, FAKE_EV_NS, 777, 0, NULL);
	fake_ev_u8(msg, KNMT_A_EV_CATEGORY, KNMT_CAT_NR + 1);
	nla_nest_end(msg, ev);
	nla_nest_end(msg, fake_ev_start(msg, KNMT_EV_EXIT, FAKE_EV_NS, 777, 0, NULL));
	nla_nest_end(msg, fake_ev_start(msg, KNMT_EV_FAULTS, FAKE_EV_NS, 777, 0, NULL));
	nla_nest_end(msg, fake_ev_start(msg, KNMT_EV_NR + 7, FAKE_EV_NS, 777, 0, NULL));
	fake_push_event(msg);
	assert_int_equal(knmt("watch", "--json", "--count", "4"), CLI_EXIT_OK);
	assert_int_equal(json_lines(o, 5), 5);
	check_type(o[0], "start", json_type_null);
	check_type(o[0], "len", json_type_null);
	assert_string_equal(str_at(o[0], "category"), "8");	/* a newer one */
	check_type(o[0], "origin", json_type_null);
	check_type(o[0], "tid", json_type_null);
	/* from the test's /proc */
	assert_string_equal(str_at(o[0], "comm"), "bash");
	check_type(o[1], "exit_code", json_type_null);
	check_type(o[1], "process", json_type_null);
	assert_int_equal(json_object_array_length(at(o[1], "flags")), 0);
	check_type(o[2], "interval_s", json_type_null);
	check_type(o[2], "faults", json_type_null);
	exact_keys(o[3], (const char *const[]){ COMMON, NULL });
	assert_string_equal(str_at(o[3], "type"), "20");
	put_all(o, 5);

	/* and in text */
	fake_reset(NULL);
	msg = fake_evbatch(1, 2, 0);
	nla_nest_end(msg, fake_ev_start(msg, KNMT_EV_MUNMAP, FAKE_EV_NS, 777, 0, NULL));
	nla_nest_end(msg, fake_ev_start(msg, KNMT_EV_NR + 7, FAKE_EV_NS, 777, 0, NULL));
	fake_push_event(msg);
	assert_int_equal(knmt("watch", "--count", "2"), CLI_EXIT_OK);
	assert_string_equal(last.out,
		"00:33:20.000     777 bash            munmap        ? ?\n"
		"00:33:20.000     777 bash            20\n");
}

/* ---- command names --------------------------------------------------------- */

static void test_comm(void **state)
{
	(void)state;
	/* 777: /proc; 888: nowhere, then exec'd; after its exit nowhere again */
	fake_push_event(mmap_of(0, 777, 0));
	fake_push_event(mmap_of(1, 888, 0));
	fake_push_event(one(2, KNMT_EV_EXEC, 888, "newname"));
	fake_push_event(mmap_of(3, 888, 0));
	fake_push_event(one(4, KNMT_EV_EXIT, 888, "newname"));
	fake_push_event(mmap_of(5, 888, 0));
	/* a pid's exec renames it */
	fake_push_event(one(6, KNMT_EV_EXEC, 777, "python3"));
	fake_push_event(mmap_of(7, 777, 0));
	assert_int_equal(knmt("watch", "--count", "8"), CLI_EXIT_OK);
	assert_string_equal(last.out,
		"00:33:20.000     777 bash            mmap          0x10000 4 KiB anon, origin none\n"
		"00:33:20.000     888 -               mmap          0x10000 4 KiB anon, origin none\n"
		"00:33:20.000     888 newname         exec\n"
		"00:33:20.000     888 newname         mmap          0x10000 4 KiB anon, origin none\n"
		"00:33:20.000     888 newname         exit          exited\n"
		"00:33:20.000     888 -               mmap          0x10000 4 KiB anon, origin none\n"
		"00:33:20.000     777 python3         exec\n"
		"00:33:20.000     777 python3         mmap          0x10000 4 KiB anon, origin none\n");
}

/* ---- losses ------------------------------------------------------------------ */

static void push_losses(void)
{
	fake_push_event(mmap_of(0, 777, 0));
	fake_push_event(mmap_of(1, 777, 0));
	/* 2 .. 8 not delivered: the socket said ENOBUFS */
	fake_push_enobufs();
	fake_push_event(mmap_of(9, 777, 4));	/* and 4 dropped by the rings */
	fake_push_event(fake_evbatch(10, 0, 5));	/* losses only */
	fake_push_event(mmap_of(10, 777, 0));
	/* a batch lost without a word from the socket */
	fake_push_event(mmap_of(13, 777, 0));
}

static void test_losses_text(void **state)
{
	(void)state;
	push_losses();
	assert_int_equal(knmt("watch", "--count", "5"), CLI_EXIT_OK);
	assert_string_equal(last.out,
		"00:33:20.000     777 bash            mmap          0x10000 4 KiB anon, origin none\n"
		"00:33:20.000     777 bash            mmap          0x10000 4 KiB anon, origin none\n"
		"-- 11 events lost (kernel rings: 4, not delivered: 7) --\n"
		"00:33:20.000     777 bash            mmap          0x10000 4 KiB anon, origin none\n"
		"-- 5 events lost (kernel rings: 5, not delivered: 0) --\n"
		"00:33:20.000     777 bash            mmap          0x10000 4 KiB anon, origin none\n"
		"-- 2 events lost (kernel rings: 0, not delivered: 2) --\n"
		"00:33:20.000     777 bash            mmap          0x10000 4 KiB anon, origin none\n");
	assert_string_equal(last.err,
		"knmt watch: 5 events received, 5 shown; lost: 9 in the "
		"kernel's rings, 9 not delivered (gaps); ENOBUFS 1 time\n");
}

static void test_losses_json(void **state)
{
	static const char *const lost_keys[] = {
		"type", "seq", "ring_dropped", "undelivered", NULL,
	};
	struct json_object *o[16];

	(void)state;
	push_losses();
	/* filtered out, the events still count and losses still show */
	assert_int_equal(knmt("watch", "--json", "-p", "1", "--duration", "10ms"),
			 CLI_EXIT_OK);
	assert_int_equal(json_lines(o, 16), 4);
	exact_keys(o[0], lost_keys);
	assert_string_equal(str_at(o[0], "type"), "lost");
	assert_int_equal(int_at(o[0], "seq"), 9);
	assert_int_equal(int_at(o[0], "ring_dropped"), 4);
	assert_int_equal(int_at(o[0], "undelivered"), 7);
	assert_int_equal(int_at(o[1], "seq"), 10);
	assert_int_equal(int_at(o[1], "ring_dropped"), 5);
	assert_int_equal(int_at(o[1], "undelivered"), 0);
	assert_int_equal(int_at(o[2], "seq"), 13);
	assert_int_equal(int_at(o[2], "ring_dropped"), 0);
	assert_int_equal(int_at(o[2], "undelivered"), 2);
	assert_string_equal(str_at(o[3], "type"), "summary");
	assert_int_equal(int_at(o[3], "events"), 5);
	assert_int_equal(int_at(o[3], "shown"), 0);
	assert_int_equal(int_at(o[3], "lost_ring"), 9);
	assert_int_equal(int_at(o[3], "lost_gaps"), 9);
	assert_int_equal(int_at(o[3], "enobufs"), 1);
	put_all(o, 4);
}

/* ---- filters ------------------------------------------------------------------ */

static void test_filters(void **state)
{
	struct json_object *o[16];
	size_t n;

	(void)state;
	fake_push_event(mmap_of(0, 777, 0));
	fake_push_event(fake_ev_all(1, 0));
	fake_push_event(mmap_of(14, 777, 0));
	assert_int_equal(knmt("watch", "--json", "-p", "4242", "--events",
			      "mmap,exit,sock_state", "--duration", "10ms"),
			 CLI_EXIT_OK);
	n = json_lines(o, 16);
	assert_int_equal(n, 4);
	assert_string_equal(str_at(o[0], "type"), "mmap");
	assert_int_equal(int_at(o[0], "pid"), 4242);
	assert_string_equal(str_at(o[1], "type"), "sock_state");
	assert_string_equal(str_at(o[2], "type"), "exit");
	assert_int_equal(int_at(o[3], "events"), 15);
	assert_int_equal(int_at(o[3], "shown"), 3);
	put_all(o, n);

	/* the comm of a pid filtered out is still learned */
	fake_push_event(one(0, KNMT_EV_EXEC, 777, "perl"));
	fake_push_event(mmap_of(1, 777, 0));
	assert_int_equal(knmt("watch", "--events", "mmap", "--count", "1"),
			 CLI_EXIT_OK);
	assert_non_null(strstr(last.out, " 777 perl "));

	/* --events repeated adds; a type of a newer module only without it */
	fake_push_event(fake_ev_all(0, 0));
	fake_push_event(one(13, KNMT_EV_NR + 1, 777, NULL));
	assert_int_equal(knmt("watch", "--events", "exec", "--events",
			      "brk,faults", "--duration", "10ms"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, " exec\n"));
	assert_non_null(strstr(last.out, " brk "));
	assert_non_null(strstr(last.out, " faults "));
	assert_null(strstr(last.out, " mmap "));
	assert_null(strstr(last.out, " 14\n"));
	assert_non_null(strstr(last.err, "14 events received, 3 shown"));
	fake_push_event(one(0, KNMT_EV_NR + 1, 777, NULL));
	assert_int_equal(knmt("watch", "--count", "1"), CLI_EXIT_OK);
	assert_string_equal(last.out, "00:33:20.000     777 bash            14\n");
}

/* ---- how it stops ------------------------------------------------------------ */

static void test_count(void **state)
{
	(void)state;
	fake_push_event(fake_ev_all(0, 0));
	fake_push_event(mmap_of(13, 777, 0));
	assert_int_equal(knmt("watch", "--count", "2"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, " exec\n"));
	assert_non_null(strstr(last.out, " mmap "));
	assert_null(strstr(last.out, " munmap "));
	/* the batch was received whole, the next one not read */
	assert_non_null(strstr(last.err, "13 events received, 2 shown"));
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void test_duration(void **state)
{
	uint64_t t0;

	(void)state;
	t0 = mono_ms();
	assert_int_equal(knmt("watch", "--duration", "150ms"), CLI_EXIT_OK);
	assert_true(mono_ms() - t0 >= 150);
	assert_string_equal(last.out, "");
	assert_string_equal(last.err,
		"knmt watch: 0 events received, 0 shown; lost: 0 in the "
		"kernel's rings, 0 not delivered (gaps); ENOBUFS 0 times\n");
}

/* A SIGTERM while waiting: the summary, exit status 0, handlers back. */
static void test_signal(void **state)
{
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL,
				.sigev_signo = SIGTERM };
	struct itimerspec its = { .it_value = { .tv_nsec = 100000000 } };
	struct sigaction sa, term0, int0;
	timer_t timer;
	struct json_object *o[4];

	(void)state;
	/* What they were: a background job starts with SIGINT ignored. */
	assert_int_equal(sigaction(SIGTERM, NULL, &term0), 0);
	assert_int_equal(sigaction(SIGINT, NULL, &int0), 0);
	fake_push_event(mmap_of(0, 777, 0));
	assert_int_equal(timer_create(CLOCK_MONOTONIC, &sev, &timer), 0);
	assert_int_equal(timer_settime(timer, 0, &its, NULL), 0);
	assert_int_equal(knmt("watch", "--json"), CLI_EXIT_OK);
	timer_delete(timer);
	assert_int_equal(json_lines(o, 4), 2);
	assert_string_equal(str_at(o[0], "type"), "mmap");
	assert_string_equal(str_at(o[1], "type"), "summary");
	put_all(o, 2);
	assert_int_equal(sigaction(SIGTERM, NULL, &sa), 0);
	assert_true(sa.sa_handler == term0.sa_handler);
	assert_int_equal(sigaction(SIGINT, NULL, &sa), 0);
	assert_true(sa.sa_handler == int0.sa_handler);
}

/*
 * A signal already waiting when events keep coming: no batch is shown
 * after it (the stream is not read until it runs dry).
 */
static void test_signal_pending(void **state)
{
	sigset_t term, old;

	(void)state;
	fake_push_event(mmap_of(0, 777, 0));
	fake_push_event(mmap_of(1, 777, 0));
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	assert_int_equal(sigprocmask(SIG_BLOCK, &term, &old), 0);
	assert_int_equal(raise(SIGTERM), 0);
	assert_int_equal(knmt("watch"), CLI_EXIT_OK);
	/* taken by knmt watch's handler, not left for the default one */
	assert_int_equal(sigprocmask(SIG_SETMASK, &old, NULL), 0);
	assert_string_equal(last.out, "");
	assert_non_null(strstr(last.err, "1 events received, 0 shown"));
	/* the second batch is still queued */
	assert_int_equal(knmt("watch", "--count", "1"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, " mmap "));
}

static void test_malformed(void **state)
{
	struct nl_msg *msg;

	(void)state;
	fake_push_event(mmap_of(0, 777, 0));
	msg = fake_evbatch(1, 2, 0);	/* COUNT 2, one event */
	nla_nest_end(msg, fake_ev_start(msg, KNMT_EV_EXEC, 1, 1, 1, NULL));
	fake_push_event(msg);
	assert_int_equal(knmt("watch"), CLI_EXIT_RUNTIME);
	assert_non_null(strstr(last.out, " mmap "));
	assert_non_null(strstr(last.err, "knmt: malformed reply from the knmt module: "
				       "events: batch 1: KNMT_A_EVBATCH_COUNT is 2"));
	/* the summary still comes, the bad batch counted */
	assert_non_null(strstr(last.err, "knmt watch: 3 events received, 1 shown"));
}

/* ---- errors -------------------------------------------------------------------- */

static void test_no_capability(void **state)
{
	(void)state;
	fake.join_error = -NLE_PERM;
	assert_int_equal(knmt("watch"), CLI_EXIT_PERM);
	assert_non_null(strstr(last.err, "knmt: permission denied"));
	assert_non_null(strstr(last.err, "watching events needs CAP_SYS_ADMIN"));
	assert_string_equal(last.out, "");
	assert_null(strstr(last.err, "knmt watch:"));	/* no summary */

	assert_int_equal(knmt_with(fake_knmt_open_not_loaded, "watch", (char *)NULL),
			 CLI_EXIT_NOT_LOADED);
	assert_non_null(strstr(last.err, "not loaded"));
}

static void test_usage(void **state)
{
	static const char *const types =
		"(one of exec, exit, oom_victim, mmap, munmap, mremap, brk, "
		"offheap_alloc, offheap_free, faults, sock_open, sock_close, "
		"sock_state)";
	static const struct { const char *a, *b, *c; const char *msg; } bad[] = {
		{ "--events", "exec,bogus", NULL, "unknown event type 'bogus'" },
		{ "--events", "Exec", NULL, "unknown event type 'Exec'" },
		{ "--events", "exec,", NULL, "unknown event type ''" },
		{ "--events", ",exec", NULL, "unknown event type ''" },
		{ "--events", "oom-victim", NULL, "unknown event type 'oom-victim'" },
		{ "--events", "", NULL, "--events: expected a list of event types" },
		{ "--count", "0", NULL, "--count: '0' is not a count" },
		{ "--count", "x", NULL, "--count: 'x' is not a count" },
		{ "--count", "-3", NULL, "--count: '-3' is not a count" },
		{ "--duration", "0", NULL, "--duration: '0' is not a duration of more than 0" },
		{ "--duration", "-1s", NULL, "is not a duration" },
		{ "--duration", "1.5s", NULL, "is not a duration" },
		{ "--duration", "99999999999d", NULL, "--duration: '99999999999d' is too long" },
		{ "-p", "0", NULL, "'0' is not a pid" },
		{ "-p", "abc", NULL, "'abc' is not a pid" },
		{ "-p", "1", "-p", "one -p PID only" },
		{ "--frob", NULL, NULL, "unknown option '--frob'" },
		{ "--count", NULL, NULL, "option '--count' needs a value" },
		{ "now", NULL, NULL, "unexpected argument 'now'" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *argv[4] = { (char *)bad[i].a, (char *)bad[i].b,
				  (char *)bad[i].c, bad[i].c ? (char *)"2" : NULL };

		assert_int_equal(knmt("watch", argv[0], argv[1], argv[2], argv[3]),
				 CLI_EXIT_USAGE);
		if (!strstr(last.err, bad[i].msg))
			fail_msg("watch %s %s: \"%s\" lacks \"%s\"", bad[i].a,
				 bad[i].b ? bad[i].b : "", last.err, bad[i].msg);
		assert_non_null(strstr(last.err, "Usage: knmt watch [-p PID] [--events LIST]"));
		if (strstr(bad[i].msg, "unknown event type"))
			assert_non_null(strstr(last.err, types));
	}
	assert_int_equal(fake.nrequests, 0);
	assert_int_equal(fake.joined, 0);
}

static void test_help(void **state)
{
	(void)state;
	assert_int_equal(knmt("help", "watch"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "Usage: knmt watch [-p PID] [--events LIST] "
				       "[--json] [--count N] [--duration DURATION]"));
	assert_non_null(strstr(last.out, "CAP_SYS_ADMIN"));
	assert_non_null(strstr(last.out, "not delivered"));
	assert_int_equal(knmt("help"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "  watch "));
	assert_int_equal(fake.joined, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_text, teardown),
		cmocka_unit_test_teardown(test_json, teardown),
		cmocka_unit_test_teardown(test_json_sparse, teardown),
		cmocka_unit_test_teardown(test_comm, teardown),
		cmocka_unit_test_teardown(test_losses_text, teardown),
		cmocka_unit_test_teardown(test_losses_json, teardown),
		cmocka_unit_test_teardown(test_filters, teardown),
		cmocka_unit_test_teardown(test_count, teardown),
		cmocka_unit_test_teardown(test_duration, teardown),
		cmocka_unit_test_teardown(test_signal, teardown),
		cmocka_unit_test_teardown(test_signal_pending, teardown),
		cmocka_unit_test_teardown(test_malformed, teardown),
		cmocka_unit_test_teardown(test_no_capability, teardown),
		cmocka_unit_test_teardown(test_usage, teardown),
		cmocka_unit_test_teardown(test_help, teardown),
	};

	return cmocka_run_group_tests_name("cli_watch", tests, setup, cleanup);
}
