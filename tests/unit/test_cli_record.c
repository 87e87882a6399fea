// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt record against the fake kernel: the file it writes read back
 * (header, samples with the module's values, gone records, trailer),
 * -p until the process exits or its pid is reused, --all with a process
 * that goes away, --duration, SIGTERM, an error in the middle, stdout,
 * usage errors and exit codes.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>

#include "cli_harness.h"
#include "recording.h"

/* Boot-time 0 is 2025-01-01T00:00:00Z for these tests. */
#define BOOT_EPOCH_NS	(INT64_C(1735689600) * 1000000000)
#define BOOT_ID		"7c1d6a52-3f0e-4d8b-9a61-2b5e8f0c4d19"

static char dir[64], file[128], proc_root[128];

static int64_t fixed_offset(void)
{
	return BOOT_EPOCH_NS;
}

static void mkdirs(const char *path)
{
	char p[256], *s;

	snprintf(p, sizeof(p), "%s", path);
	for (s = p + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0755);
			*s = '/';
		}
	mkdir(p, 0755);
}

static int setup(void **state)
{
	char path[256];
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/knmt-test-record.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/rec.jsonl", dir);
	snprintf(proc_root, sizeof(proc_root), "%s/proc", dir);
	snprintf(path, sizeof(path), "%s/sys/kernel/random", proc_root);
	mkdirs(path);
	snprintf(path, sizeof(path), "%s/sys/kernel/random/boot_id", proc_root);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(BOOT_ID "\n", f);
	fclose(f);
	knmt_cli.clock_offset = fixed_offset;
	knmt_cli.proc_root = proc_root;
	return 0;
}

static int teardown(void **state)
{
	char cmd[160];

	(void)state;
	cli_run_free();
	fake_reset(NULL);
	knmt_cli.clock_offset = NULL;
	knmt_cli.proc_root = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static uint8_t req_cmd(const struct nlmsghdr *req)
{
	return ((const struct genlmsghdr *)NLMSG_DATA(req))->cmd;
}

static uint32_t req_pid(const struct nlmsghdr *req)
{
	struct nlattr *tb[KNMT_A_PROC_MAX + 1];

	assert_int_equal(genlmsg_parse((struct nlmsghdr *)req, 0, tb,
				       KNMT_A_PROC_MAX, NULL), 0);
	assert_non_null(tb[KNMT_A_PROC_PID]);
	return nla_get_u32(tb[KNMT_A_PROC_PID]);
}

/* ---- the scripted kernel -------------------------------------------------- */

/* GET_PROC calls so far (the check before the file is made is the first). */
static int get_procs;
/* GET_PROC of 4242: rounds answered before it is gone (ESRCH) */
static int rounds_alive;
/* the round at which its pid names a newer process (0: never) */
static int reused_at;
/* the round that raises SIGTERM (0: none) */
static int sigterm_at;
/* the round the kernel fails with EINVAL (0: none) */
static int fail_at;
/* DUMP_PROCS calls; the second process is listed in the first two only */
static int dumps;
/* the round after whose answer events come (0: none), with lost */
static int events_at;
static uint64_t events_lost;

static void answer_status(void)
{
	fake_push(fake_status_msg(0));
	fake_push_ack();
}

/* A batch of one mmap event of pid. */
static struct nl_msg *other_mmap(uint64_t seq, uint32_t pid)
{
	struct nl_msg *msg = fake_evbatch(seq, 1, 0);
	struct nlattr *nest = fake_ev_start(msg, KNMT_EV_MMAP, FAKE_EV_NS, pid,
					    pid, NULL);

	fake_ev_u64(msg, KNMT_A_EV_START, UINT64_C(0x7f0000000000));
	fake_ev_u64(msg, KNMT_A_EV_LEN, 4096);
	fake_ev_u8(msg, KNMT_A_EV_CATEGORY, KNMT_CAT_ANON);
	fake_ev_u8(msg, KNMT_A_EV_ORIGIN, 0);
	nla_nest_end(msg, nest);
	return msg;
}

/* 4242 grows: scale k = the round (GET_PROC number) */
static void answer(const struct nlmsghdr *req)
{
	struct fake_proc fp = {
		.pid = 4242, .comm = "grower", .sockets = true,
	};

	switch (req_cmd(req)) {
	case KNMT_CMD_GET_STATUS:
		answer_status();
		return;
	case KNMT_CMD_GET_PROC:
		get_procs++;
		if (sigterm_at && get_procs == sigterm_at + 1)
			raise(SIGTERM);
		if (fail_at && get_procs == fail_at + 1) {
			fake_push_error(-EINVAL, "the module is confused", -1, false);
			return;
		}
		if (req_pid(req) != 4242 || get_procs > rounds_alive + 1) {
			fake_push_error(-ESRCH, "no such process", 20, false);
			return;
		}
		fp.k = (uint64_t)(get_procs > 1 ? get_procs - 1 : 1);
		if (reused_at && get_procs >= reused_at + 1)
			fp.start_ns = FAKE_START_NS + 1000;
		fake_push(fake_proc_msg(KNMT_CMD_GET_PROC, &fp));
		fake_push_ack();
		if (events_at && get_procs == events_at + 1) {
			/* after the answer: the request does not read them */
			fake_push_event(fake_ev_all(500, events_lost));
			fake_push_event(other_mmap(513, 777));
		}
		return;
	case KNMT_CMD_DUMP_PROCS: {
		struct fake_proc a = { .pid = 100, .comm = "alpha", .k = 1 };
		struct fake_proc b = { .pid = 200, .comm = "bravo", .k = 2,
				       .sockets = true };
		struct nl_msg *msgs[2];

		dumps++;
		a.k = (uint64_t)dumps;
		msgs[0] = fake_proc_msg(KNMT_CMD_DUMP_PROCS, &a);
		if (dumps <= 2) {
			msgs[1] = fake_proc_msg(KNMT_CMD_DUMP_PROCS, &b);
			fake_push_many(msgs, 2);
		} else {
			fake_push_many(msgs, 1);
		}
		fake_push_done(0, NULL);
		return;
	}
	default:
		fail_msg("unexpected command %u", req_cmd(req));
	}
}

static void reset(int alive)
{
	fake_reset(answer);
	get_procs = 0;
	rounds_alive = alive;
	reused_at = 0;
	sigterm_at = 0;
	fail_at = 0;
	dumps = 0;
	events_at = 0;
	events_lost = 0;
}

static void read_rec(struct recording *r)
{
	char why[256];
	FILE *f = fopen(file, "r");

	assert_non_null(f);
	if (rec_read(f, r, why, sizeof(why)))
		fail_msg("%s", why);
	fclose(f);
}

/* What fake_proc_msg() sends for scale k, as recorded. */
static void check_values(const struct rec_sample *s, uint64_t k, bool sockets)
{
	unsigned int c;

	for (c = 0; c < KNMT_CAT_NR; c++) {
		assert_int_equal(s->vals[REC_RESIDENT + c], k * (c + 1) * FAKE_MIB);
		assert_int_equal(s->vals[REC_MAPPED + c], 2 * k * (c + 1) * FAKE_MIB + FAKE_MIB);
	}
	assert_int_equal(s->vals[REC_PAGETABLES], k * 64 * 1024);
	assert_int_equal(s->vals[REC_KSTACKS], k * 32 * 1024);
	assert_int_equal(s->vals[REC_RSS], 15 * k * FAKE_MIB);
	assert_int_equal(s->vals[REC_SWAP], k * 512 * 1024);
	assert_int_equal(s->vals[REC_THREADS], 3 * k);
	assert_int_equal(s->vals[REC_OH_LIVE_BYTES], 2 * k * FAKE_MIB);
	assert_int_equal(s->vals[REC_OH_LIVE_COUNT], 2 * k);
	if (sockets) {
		assert_int_equal(s->present, (UINT64_C(1) << REC_NVALS) - 1);
		assert_int_equal(s->vals[REC_SOCKBUFS], FAKE_SOCKS_MEM(k));
		assert_int_equal(s->vals[REC_SOCK_OPEN], 6 * k);
		assert_int_equal(s->vals[REC_SOCK_CLOSE_WAIT], 1);
	} else {
		assert_int_equal(s->present, ((UINT64_C(1) << REC_NVALS) - 1) &
				 ~(UINT64_C(1) << REC_SOCKBUFS) &
				 ~(UINT64_C(1) << REC_SOCK_OPEN) &
				 ~(UINT64_C(1) << REC_SOCK_CLOSE_WAIT));
	}
	/* FAKE_START_NS after 2025-01-01T00:00:00Z */
	assert_string_equal(s->start_time, "2025-01-01T00:00:05.000Z");
	assert_int_equal(strlen(s->time), 24);
}

/* ---- -p ----------------------------------------------------------------- */

static void test_pid_until_exit(void **state)
{
	struct recording r;
	size_t i;

	(void)state;
	reset(3);
	assert_int_equal(knmt("record", "-o", file, "-p", "4242", "--interval", "10ms"),
			 CLI_EXIT_OK);
	assert_string_equal(last.out, "");
	assert_string_equal(last.err, "");
	read_rec(&r);
	/* the header */
	assert_int_equal(r.version, REC_VERSION);
	assert_non_null(r.host);
	assert_string_equal(r.boot_id, BOOT_ID);
	assert_string_equal(r.kernel, "6.1.0-56-amd64");
	assert_int_equal(r.interval_ns, 10000000);
	assert_false(r.all);
	assert_int_equal(r.npids, 1);
	assert_int_equal(r.pids[0], 4242);
	assert_true(r.events_recorded);
	assert_null(r.events_note);
	assert_int_equal(fake.joined, FAKE_GROUP);
	assert_int_equal(r.nevents, 0);
	/* three rounds of samples, growing, in time order */
	assert_int_equal(r.nsamples, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(r.samples[i].pid, 4242);
		assert_string_equal(r.samples[i].comm, "grower");
		check_values(&r.samples[i], i + 1, true);
		/* round i on the grid of 10 ms from the start */
		assert_true(r.samples[i].elapsed_ns >= i * 10000000);
	}
	/* the first round right away */
	assert_true(r.samples[0].elapsed_ns < 1000000000);
	/* then it was gone */
	assert_int_equal(r.ngone, 1);
	assert_int_equal(r.gone[0].pid, 4242);
	assert_string_equal(r.gone[0].reason, "exited");
	assert_string_equal(r.gone[0].comm, "grower");
	assert_string_equal(r.gone[0].start_time, "2025-01-01T00:00:05.000Z");
	assert_true(r.stopped);
	assert_string_equal(r.stop_reason, "exited");
	assert_false(r.truncated);
	rec_free(&r);
}

static void test_pid_reused(void **state)
{
	struct recording r;

	(void)state;
	reset(100);
	reused_at = 3;
	assert_int_equal(knmt("record", "-o", file, "-p", "4242", "-i", "10ms"), CLI_EXIT_OK);
	read_rec(&r);
	assert_int_equal(r.nsamples, 2);
	assert_int_equal(r.ngone, 1);
	assert_string_equal(r.gone[0].reason, "pid reused");
	assert_string_equal(r.stop_reason, "exited");
	rec_free(&r);
}

static void test_pid_missing(void **state)
{
	(void)state;
	reset(0);
	assert_int_equal(knmt("record", "-o", file, "-p", "999"), CLI_EXIT_RUNTIME);
	assert_string_equal(last.err, "knmt: no process 999\n");
	assert_int_equal(access(file, F_OK), -1);
	/* the module not loaded */
	assert_int_equal(knmt_with(fake_knmt_open_not_loaded, "record", "-o", file,
				   "--all", (char *)NULL), CLI_EXIT_NOT_LOADED);
	assert_int_equal(access(file, F_OK), -1);
}

static void test_sigterm(void **state)
{
	struct recording r;

	(void)state;
	reset(1000);
	sigterm_at = 3;
	assert_int_equal(knmt("record", "-o", file, "-p", "4242", "-i", "10ms"), CLI_EXIT_OK);
	read_rec(&r);
	assert_int_equal(r.nsamples, 3);
	assert_true(r.stopped);
	assert_string_equal(r.stop_reason, "signal");
	assert_string_equal(r.stop_detail, "SIGTERM");
	assert_int_equal(r.ngone, 0);
	rec_free(&r);
	/* the handler is put back */
	{
		struct sigaction sa;

		assert_int_equal(sigaction(SIGTERM, NULL, &sa), 0);
		assert_true(sa.sa_handler == SIG_DFL);
	}
}

/* A failing request ends the recording with a trailer saying so. */
static void test_error_midway(void **state)
{
	struct recording r;

	(void)state;
	reset(1000);
	fail_at = 2;
	assert_int_equal(knmt("record", "-o", file, "-p", "4242", "-i", "10ms"),
			 CLI_EXIT_RUNTIME);
	assert_non_null(strstr(last.err, "knmt: kernel rejected the request: the module is confused"));
	read_rec(&r);
	assert_int_equal(r.nsamples, 1);
	assert_string_equal(r.stop_reason, "error");
	assert_non_null(strstr(r.stop_detail, "the module is confused"));
	rec_free(&r);
}

/* ---- events --------------------------------------------------------------- */

/* The lines of text that start with prefix, one string. */
static char *lines_with(const char *text, const char *prefix)
{
	char *out = calloc(1, strlen(text) + 1);
	const char *p = text;

	assert_non_null(out);
	while (*p) {
		size_t n = strcspn(p, "\n");

		if (strncmp(p, prefix, strlen(prefix)) == 0)
			strncat(out, p, n + (p[n] == '\n'));
		p += n + (p[n] == '\n');
	}
	return out;
}

/* Events of the followed process go in as knmt watch --json prints them. */
static void test_events_as_watch(void **state)
{
	struct recording r;
	char *rec_text, *rec_events, *watch_events;

	(void)state;
	reset(3);
	events_at = 2;
	assert_int_equal(knmt("record", "-o", file, "-p", "4242", "-i", "10ms"), CLI_EXIT_OK);
	assert_string_equal(last.err, "");
	read_rec(&r);
	assert_true(r.events_recorded);
	assert_int_equal(r.nsamples, 3);
	assert_int_equal(r.nevents, FAKE_EV_ALL);	/* not 777's */
	assert_string_equal(r.stop_reason, "exited");
	rec_free(&r);
	{
		FILE *f = fopen(file, "r");
		long n;

		assert_non_null(f);
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		rewind(f);
		rec_text = calloc(1, (size_t)n + 1);
		assert_non_null(rec_text);
		assert_int_equal(fread(rec_text, 1, (size_t)n, f), (size_t)n);
		fclose(f);
	}
	/* after the second sample, before the third */
	{
		const char *ev = strstr(rec_text, "{\"seq\":500,");
		const char *s2 = strstr(rec_text, "{\"record\":\"sample\"");
		const char *s3;

		assert_non_null(ev);
		assert_non_null(s2);
		s2 = strstr(s2 + 1, "{\"record\":\"sample\"");
		assert_non_null(s2);
		s3 = strstr(s2 + 1, "{\"record\":\"sample\"");
		assert_non_null(s3);
		assert_true(s2 < ev && ev < s3);
		assert_true(strstr(rec_text, "{\"seq\":512,") < s3);
	}
	assert_non_null(strstr(rec_text, "\"trailer\""));
	assert_non_null(strstr(rec_text, "\"events\":13,\"events_lost\":0,\"events_note\":null}\n"));
	assert_null(strstr(rec_text, "\"pid\":777"));
	rec_events = lines_with(rec_text, "{\"seq\":");

	/* the same batch through knmt watch --json */
	fake_reset(NULL);
	fake_push_event(fake_ev_all(500, 0));
	assert_int_equal(knmt("watch", "--json", "--count", "13"), CLI_EXIT_OK);
	watch_events = lines_with(last.out, "{\"seq\":");
	assert_int_equal(strlen(watch_events) > 1000, 1);
	assert_string_equal(rec_events, watch_events);
	free(rec_text);
	free(rec_events);
	free(watch_events);
}

/* Events lost: the "lost" line of knmt watch, and the count in the trailer. */
static void test_events_lost(void **state)
{
	(void)state;
	reset(2);
	events_at = 1;
	events_lost = 4;
	assert_int_equal(knmt("record", "-o", "-", "-p", "4242", "-i", "10ms"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "\n{\"type\":\"lost\",\"seq\":500,\"ring_dropped\":4,"
			       "\"undelivered\":0}\n{\"seq\":500,"));
	assert_non_null(strstr(last.out, "\"events\":13,\"events_lost\":4,"));
}

/* Without CAP_SYS_ADMIN: the samples all the same, the header says why. */
static void test_events_refused(void **state)
{
	struct recording r;

	(void)state;
	reset(2);
	fake.join_error = -NLE_PERM;
	events_at = 1;
	assert_int_equal(knmt("record", "-o", file, "-p", "4242", "-i", "10ms"), CLI_EXIT_OK);
	assert_string_equal(last.err, "");
	read_rec(&r);
	assert_false(r.events_recorded);
	assert_non_null(r.events_note);
	assert_non_null(strstr(r.events_note, "not recorded: "));
	assert_non_null(strstr(r.events_note, "CAP_SYS_ADMIN"));
	assert_int_equal(r.nsamples, 2);
	assert_int_equal(r.nevents, 0);
	assert_string_equal(r.stop_reason, "exited");
	rec_free(&r);

	/* --no-events: not even tried */
	reset(2);
	assert_int_equal(knmt("record", "-o", file, "-p", "4242", "-i", "10ms", "--no-events"),
			 CLI_EXIT_OK);
	assert_int_equal(fake.joined, 0);
	read_rec(&r);
	assert_false(r.events_recorded);
	assert_string_equal(r.events_note, "not recorded: --no-events");
	assert_int_equal(r.nsamples, 2);
	rec_free(&r);
}

/* ---- --all ---------------------------------------------------------------- */

static void test_all_duration(void **state)
{
	struct recording r;
	size_t i, n100 = 0, n200 = 0;

	(void)state;
	reset(0);
	assert_int_equal(knmt("record", "-o", file, "--interval", "20ms",
			      "--duration", "150ms"), CLI_EXIT_OK);
	assert_string_equal(last.err, "");
	read_rec(&r);
	assert_true(r.all);
	assert_int_equal(r.npids, 0);
	assert_true(r.stopped);
	assert_string_equal(r.stop_reason, "duration");
	assert_true(r.stop_elapsed_ns >= 150000000);
	/* rounds at 0, 20, ... 140 ms: some may be skipped on a busy machine */
	assert_true(dumps >= 3 && dumps <= 8);
	for (i = 0; i < r.nsamples; i++) {
		const struct rec_sample *s = &r.samples[i];

		assert_true(s->elapsed_ns <= 150000000);
		if (s->pid == 100) {
			check_values(s, ++n100, false);
			assert_string_equal(s->comm, "alpha");
		} else {
			assert_int_equal(s->pid, 200);
			check_values(s, 2, true);
			n200++;
		}
	}
	assert_int_equal(n100, (size_t)dumps);
	assert_int_equal(n200, 2);
	/* bravo left the list after the second round */
	assert_int_equal(r.ngone, 1);
	assert_int_equal(r.gone[0].pid, 200);
	assert_string_equal(r.gone[0].comm, "bravo");
	assert_string_equal(r.gone[0].reason, "not listed");
	rec_free(&r);

	/* the same with --all said */
	reset(0);
	assert_int_equal(knmt("record", "-o", file, "--all", "-i", "10ms", "-d", "10ms"),
			 CLI_EXIT_OK);
	read_rec(&r);
	assert_true(r.all);
	assert_string_equal(r.stop_reason, "duration");
	rec_free(&r);
}

/* -o -: the recording on stdout, readable by timeline. */
static void test_stdout(void **state)
{
	FILE *f;

	(void)state;
	reset(2);
	assert_int_equal(knmt("record", "-o", "-", "-p", "4242", "-i", "10ms"), CLI_EXIT_OK);
	{
		static const char head[] =
			"{\"record\":\"header\",\"format\":\"knmt-record\",\"version\":1,";

		assert_true(strncmp(last.out, head, strlen(head)) == 0);
	}
	assert_non_null(strstr(last.out, "\"boot_id\":\"" BOOT_ID "\""));
	assert_non_null(strstr(last.out, "\"selection\":{\"all\":false,\"pids\":[4242]}"));
	assert_non_null(strstr(last.out, "{\"record\":\"sample\",\"time\":\""));
	assert_non_null(strstr(last.out, "\"pid\":4242,\"start_time\":\"2025-01-01T00:00:05.000Z\","
			       "\"comm\":\"grower\",\"flags\":[],\"categories\":{\"heap\":"
			       "{\"mapped_bytes\":3145728,\"resident_bytes\":1048576},"));
	assert_non_null(strstr(last.out, "\"kernel\":{\"pagetables_bytes\":65536,"
			       "\"kstacks_bytes\":32768,\"sockbufs_bytes\":65536},"
			       "\"rss_bytes\":15728640,\"swap_bytes\":524288,\"threads\":3,"
			       "\"offheap\":{\"live_bytes\":2097152,\"live_count\":2},"
			       "\"sockets\":{\"open\":6,\"close_wait\":1}}\n"));
	assert_non_null(strstr(last.out, "{\"record\":\"gone\","));
	assert_non_null(strstr(last.out, "{\"record\":\"trailer\","));
	assert_int_equal(last.out[strlen(last.out) - 1], '\n');
	/* every line ends with "\n" and timeline reads it */
	f = fopen(file, "w");
	assert_non_null(f);
	fputs(last.out, f);
	fclose(f);
	assert_int_equal(knmt("timeline", file, "-f", "csv"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, ",4242,2025-01-01T00:00:05.000Z,grower,1048576,2097152,"));
}

/* ---- usage ------------------------------------------------------------------ */

static void test_usage(void **state)
{
	(void)state;
	reset(10);
	assert_int_equal(knmt("record"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "knmt record: where to? -o FILE is required (- for stdout)\n"
			       "Usage: knmt record -o FILE [--interval DURATION] [-p PID... | --all] "
			       "[--duration DURATION]"));
	assert_int_equal(knmt("record", "-o", file, "-p", "4242", "--all"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "-p and --all exclude each other"));
	assert_int_equal(knmt("record", "-o", file, "--interval", "5ms"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "--interval: '5ms' is out of range (10ms .. 1h)"));
	assert_int_equal(knmt("record", "-o", file, "--interval", "2h"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("record", "-o", file, "--interval", "1.5s"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "--interval: '1.5s' is not a duration"));
	assert_int_equal(knmt("record", "-o", file, "--duration", "0"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("record", "-o", file, "--duration", "-3s"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("record", "-o", file, "-p", "0"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("record", "-o", file, "-p", "abc"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("record", "-o", file, "extra"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "unexpected argument 'extra'"));
	assert_int_equal(knmt("record", "-o", file, "-o", file), CLI_EXIT_USAGE);
	assert_int_equal(knmt("record", "-o", ""), CLI_EXIT_USAGE);
	assert_int_equal(knmt("record", "-o"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "option '-o' needs a value"));
	/* the file is JSON already: -j before or after record is refused */
	assert_int_equal(knmt("record", "-o", file, "--json"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "knmt record: writes JSON lines already ('knmt "
			       "timeline --json' reads them); -j/--json has no meaning here\n"
			       "Usage: knmt record -o FILE"));
	assert_int_equal(knmt("record", "-j", "-o", file), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "; -j/--json has no meaning here\n"));
	assert_int_equal(knmt("record", "-o", file, "-aj"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "; -j/--json has no meaning here\n"));
	assert_int_equal(knmt("-j", "record", "-o", file, "-p", "4242"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "knmt record: writes JSON lines already"));
	assert_int_equal(knmt("--json", "record", "-o", "-", "--duration", "1s"),
			 CLI_EXIT_USAGE);
	assert_string_equal(last.out, "");
	assert_non_null(strstr(last.err, "; -j/--json has no meaning here\n"));
	/* another unknown option is still one */
	assert_int_equal(knmt("record", "-o", file, "--jsonl"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "unknown option '--jsonl'"));
	assert_int_equal(fake.nrequests, 0);
	assert_int_equal(access(file, F_OK), -1);
	/* a file that cannot be made: nothing recorded */
	assert_int_equal(knmt("record", "-o", "/nonexistent/rec.jsonl", "-p", "4242"),
			 CLI_EXIT_RUNTIME);
	assert_non_null(strstr(last.err, "knmt: cannot create /nonexistent/rec.jsonl: "));
	assert_int_equal(knmt("record", "--help"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "Usage: knmt record -o FILE"));
	assert_int_equal(knmt("-j", "record", "--help"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "Usage: knmt record -o FILE"));
	assert_int_equal(knmt("help"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "  record "));
	assert_non_null(strstr(last.out, "  timeline "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pid_until_exit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pid_reused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pid_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sigterm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_midway, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events_as_watch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_duration, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stdout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usage, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
