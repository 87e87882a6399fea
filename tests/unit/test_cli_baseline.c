// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt baseline and knmt diff against the fake kernel, with a fake /proc
 * (cgroups and the boot id) in a temporary directory: the baseline file
 * (every key, the pids of -p, nothing written when a pid is gone), the
 * diff's arithmetic (alive, new, exited, a pid reused by another
 * process, the totals), its text (totals, list, the breakdown with -p),
 * a baseline of another boot refused unless --force, unreadable and
 * foreign files, usage errors.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <json.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "cli_harness.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define KIB	UINT64_C(1024)

/* Boot-time 0 is 2025-01-01T00:00:00Z for these tests. */
static int64_t fixed_offset(void)
{
	return INT64_C(1735689600) * 1000000000;
}

static char tmp[64], proc_root[96], base_file[128], base_pids[128],
	    junk_file[128];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void mkdirs(const char *path)
{
	char p[256], *s;

	snprintf(p, sizeof(p), "%s", path);
	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(p, 0700);
		*s = '/';
	}
	mkdir(p, 0700);
}

static void set_boot_id(const char *id)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/sys/kernel/random/boot_id", proc_root);
	write_file(path, id);
}

static void set_cgroup(uint32_t pid, const char *text)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%u", proc_root, (unsigned int)pid);
	mkdirs(path);
	snprintf(path, sizeof(path), "%s/%u/cgroup", proc_root, (unsigned int)pid);
	write_file(path, text);
}

static int setup(void **state)
{
	char path[256];

	(void)state;
	setenv("TZ", "UTC", 1);
	snprintf(tmp, sizeof(tmp), "/tmp/knmt-unit-XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	snprintf(proc_root, sizeof(proc_root), "%s/proc", tmp);
	snprintf(base_file, sizeof(base_file), "%s/base.json", tmp);
	snprintf(base_pids, sizeof(base_pids), "%s/pids.json", tmp);
	snprintf(junk_file, sizeof(junk_file), "%s/junk.json", tmp);
	snprintf(path, sizeof(path), "%s/sys/kernel/random", proc_root);
	mkdirs(path);
	set_boot_id("5a7b0c3e-0000-4000-8000-000000000001\n");
	set_cgroup(100, "0::/system.slice/alpha.service\n");
	/* a hybrid setup: v1 lines, then the v2 one */
	set_cgroup(200, "12:memory:/bravo\n1:name=systemd:/bravo\n0::/user.slice\n");
	/* 300: no file (the cgroup is not known); 400: v1 only */
	set_cgroup(400, "3:cpu:/delta\n");
	knmt_cli.clock_offset = fixed_offset;
	knmt_cli.proc_root = proc_root;
	return 0;
}

static int cleanup(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	cli_run_free();
	fake_reset(NULL);
	set_boot_id("5a7b0c3e-0000-4000-8000-000000000001\n");
	return 0;
}

/* ---- the fake processes ------------------------------------------------ */

static const struct fake_proc then_procs[] = {
	{ .pid = 100, .comm = "alpha", .k = 1 },
	{ .pid = 200, .comm = "bravo", .k = 3, .sockets = true },
	{ .pid = 300, .comm = "charlie", .k = 2 },
};

/* alpha grew, bravo exited, pid 300 is another charlie, delta is new */
static const struct fake_proc now_procs[] = {
	{ .pid = 100, .comm = "alpha", .k = 2 },
	{ .pid = 300, .comm = "charlie", .k = 1,
	  .start_ns = FAKE_START_NS + 1000000000 },
	{ .pid = 400, .comm = "delta", .k = 1 },
};

static const struct fake_proc *procs_now = then_procs;
static size_t nprocs_now = N(then_procs);

static void use(const struct fake_proc *p, size_t n)
{
	procs_now = p;
	nprocs_now = n;
}

static uint32_t req_pid(const struct nlmsghdr *req)
{
	struct nlattr *tb[KNMT_A_PROC_MAX + 1];

	assert_int_equal(genlmsg_parse((struct nlmsghdr *)req, 0, tb,
				       KNMT_A_PROC_MAX, NULL), 0);
	assert_non_null(tb[KNMT_A_PROC_PID]);
	return nla_get_u32(tb[KNMT_A_PROC_PID]);
}

static void answer(const struct nlmsghdr *req)
{
	const struct genlmsghdr *g = NLMSG_DATA(req);
	struct nl_msg *msgs[8];
	size_t i;

	if (g->cmd == KNMT_CMD_DUMP_PROCS) {
		for (i = 0; i < nprocs_now; i++)
			msgs[i] = fake_proc_msg(KNMT_CMD_DUMP_PROCS, &procs_now[i]);
		if (nprocs_now)
			fake_push_many(msgs, nprocs_now);
		fake_push_done(0, NULL);
		return;
	}
	assert_int_equal(g->cmd, KNMT_CMD_GET_PROC);
	for (i = 0; i < nprocs_now; i++) {
		if (procs_now[i].pid == req_pid(req)) {
			fake_push(fake_proc_msg(KNMT_CMD_GET_PROC, &procs_now[i]));
			fake_push_ack();
			return;
		}
	}
	fake_push_error(-ESRCH, "no such process", 20, false);
}

/* What fake_proc_msg() makes the values of a process of scale k. */
static uint64_t resident(uint64_t k, unsigned int c)
{
	return k * (c + 1) * FAKE_MIB;
}

static uint64_t native(uint64_t k, bool sockets)
{
	return 28 * k * FAKE_MIB + k * 96 * KIB + (sockets ? FAKE_SOCKS_MEM(k) : 0);
}

static struct json_object *read_json(const char *path)
{
	struct json_object *o = json_object_from_file(path);

	if (!o)
		fail_msg("%s is not JSON", path);
	return o;
}

static void take_baseline(void)
{
	use(then_procs, N(then_procs));
	fake_reset(answer);
	assert_int_equal(knmt("baseline", "-o", base_file), CLI_EXIT_OK);
	fake_reset(answer);
}

/* ---- knmt baseline ---------------------------------------------------- */

static const char *const cat_names[KNMT_CAT_NR] = {
	"heap", "stack", "arena", "offheap", "anon", "shmem", "file",
};

static void test_baseline_file(void **state)
{
	struct json_object *root, *procs, *p;
	char path[96];
	unsigned int c;

	(void)state;
	use(then_procs, N(then_procs));
	fake_reset(answer);
	assert_int_equal(knmt("baseline", "-o", base_file), CLI_EXIT_OK);
	assert_string_equal(last.err, "");
	assert_non_null(strstr(last.out, "baseline of 3 processes written to "));
	assert_int_equal(fake.nrequests, 1);

	root = read_json(base_file);
	assert_string_equal(str_at(root, "format"), "knmt-baseline");
	assert_int_equal(int_at(root, "version"), 1);
	check_type(root, "host", json_type_string);
	assert_string_equal(str_at(root, "boot_id"),
			    "5a7b0c3e-0000-4000-8000-000000000001");
	check_type(root, "time", json_type_string);
	check_type(root, "pids", json_type_null);
	procs = at(root, "processes");
	assert_int_equal(json_object_array_length(procs), 3);

	p = json_object_array_get_idx(procs, 0);
	assert_int_equal(nkeys(p), 11);
	assert_int_equal(int_at(p, "pid"), 100);
	assert_string_equal(str_at(p, "comm"), "alpha");
	assert_string_equal(str_at(p, "start_time"), "2025-01-01T00:00:05.000Z");
	assert_int_equal(int_at(p, "start_boottime_ns"), FAKE_START_NS);
	assert_string_equal(str_at(p, "cgroup"), "/system.slice/alpha.service");
	assert_int_equal(nkeys(at(p, "categories")), KNMT_CAT_NR);
	for (c = 0; c < KNMT_CAT_NR; c++) {
		snprintf(path, sizeof(path), "categories.%s", cat_names[c]);
		assert_int_equal(nkeys(at(p, path)), 2);
		snprintf(path, sizeof(path), "categories.%s.resident_bytes",
			 cat_names[c]);
		assert_true((uint64_t)int_at(p, path) == resident(1, c));
		snprintf(path, sizeof(path), "categories.%s.mapped_bytes",
			 cat_names[c]);
		assert_true((uint64_t)int_at(p, path) == 2 * resident(1, c) + FAKE_MIB);
	}
	assert_int_equal(nkeys(at(p, "kernel")), 3);
	assert_int_equal(int_at(p, "kernel.pagetables_bytes"), 64 * KIB);
	assert_int_equal(int_at(p, "kernel.kstacks_bytes"), 32 * KIB);
	check_type(p, "kernel.sockbufs_bytes", json_type_null);
	assert_true((uint64_t)int_at(p, "rss_bytes") == 15 * FAKE_MIB);
	assert_true((uint64_t)int_at(p, "offheap.live_bytes") == 2 * FAKE_MIB);
	check_type(p, "sockets.open", json_type_null);
	assert_true((uint64_t)int_at(p, "native_total_bytes") == native(1, false));

	/* bravo: its sockets; the cgroup from the 0:: line */
	p = json_object_array_get_idx(procs, 1);
	assert_string_equal(str_at(p, "cgroup"), "/user.slice");
	assert_int_equal(int_at(p, "sockets.open"), 18);
	assert_true((uint64_t)int_at(p, "kernel.sockbufs_bytes") == FAKE_SOCKS_MEM(3));
	assert_true((uint64_t)int_at(p, "native_total_bytes") == native(3, true));
	/* charlie: no cgroup known */
	check_type(json_object_array_get_idx(procs, 2), "cgroup", json_type_null);
	json_object_put(root);

	/* "-": the same JSON on stdout */
	assert_int_equal(knmt("baseline", "-o", "-"), CLI_EXIT_OK);
	root = parse_out();
	assert_string_equal(str_at(root, "format"), "knmt-baseline");
	assert_int_equal(json_object_array_length(at(root, "processes")), 3);
	json_object_put(root);
}

static void test_baseline_pids(void **state)
{
	struct json_object *root, *pids;

	(void)state;
	use(then_procs, N(then_procs));
	fake_reset(answer);
	assert_int_equal(knmt("baseline", "-p", "300", "--pid", "100", "--output",
			      base_pids), CLI_EXIT_OK);
	assert_int_equal(fake.nrequests, 2);
	assert_non_null(strstr(last.out, "baseline of 2 processes"));
	root = read_json(base_pids);
	pids = at(root, "pids");
	assert_int_equal(json_object_array_length(pids), 2);
	assert_int_equal(json_object_get_int(json_object_array_get_idx(pids, 0)), 300);
	assert_int_equal(json_object_get_int(json_object_array_get_idx(pids, 1)), 100);
	assert_int_equal(int_at(json_object_array_get_idx(at(root, "processes"), 0),
				"pid"), 300);
	json_object_put(root);

	/* a pid that names no process: nothing written */
	unlink(junk_file);
	assert_int_equal(knmt("baseline", "-p", "100", "-p", "999", "-o", junk_file),
			 CLI_EXIT_RUNTIME);
	assert_string_equal(last.err, "knmt: no process 999\n");
	assert_int_equal(access(junk_file, F_OK), -1);
}

static void test_baseline_errors(void **state)
{
	(void)state;
	fake_reset(answer);
	assert_int_equal(knmt("baseline"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "knmt baseline: where to write it: -o FILE"));
	assert_non_null(strstr(last.err, "Usage: knmt baseline [-p PID...] -o FILE"));
	assert_int_equal(knmt("baseline", "-o", base_file, "-o", junk_file), CLI_EXIT_USAGE);
	assert_int_equal(knmt("baseline", "-o", ""), CLI_EXIT_USAGE);
	assert_int_equal(knmt("baseline", "-o"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "option '-o' needs a value"));
	assert_int_equal(knmt("baseline", "-p", "0", "-o", base_file), CLI_EXIT_USAGE);
	assert_int_equal(knmt("baseline", "-p", "12x", "-o", base_file), CLI_EXIT_USAGE);
	assert_int_equal(knmt("baseline", "-o", base_file, "extra"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "unexpected argument 'extra'"));
	assert_int_equal(knmt("baseline", "--sort", "x", "-o", base_file), CLI_EXIT_USAGE);
	/* the file is JSON already: -j before or after baseline is refused */
	unlink(junk_file);
	assert_int_equal(knmt("-j", "baseline", "-o", junk_file), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "knmt baseline: writes JSON already (-o - prints it); "
			       "-j/--json has no meaning here\n"
			       "Usage: knmt baseline [-p PID...] -o FILE"));
	assert_int_equal(knmt("--json", "baseline", "-o", "-"), CLI_EXIT_USAGE);
	assert_string_equal(last.out, "");
	assert_int_equal(knmt("baseline", "-o", junk_file, "--json"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "knmt baseline: writes JSON already"));
	assert_int_equal(knmt("baseline", "-j", "-p", "100", "-o", junk_file), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "; -j/--json has no meaning here\n"));
	assert_int_equal(access(junk_file, F_OK), -1);
	assert_int_equal(fake.nrequests, 0);
	assert_int_equal(knmt_with(fake_knmt_open_not_loaded, "baseline", "-o",
				   junk_file, (char *)NULL), CLI_EXIT_NOT_LOADED);
	/* a directory that does not exist */
	assert_int_equal(knmt("baseline", "-o", "/nonexistent/dir/base.json"),
			 CLI_EXIT_RUNTIME);
	assert_non_null(strstr(last.err, "knmt baseline: cannot write /nonexistent/dir/base.json.tmp"));
}

/* ---- knmt diff: the arithmetic ---------------------------------------- */

static struct json_object *proc_at(struct json_object *root, size_t i)
{
	return json_object_array_get_idx(at(root, "processes"), i);
}

static void test_diff_json(void **state)
{
	struct json_object *root, *p;
	char path[128];
	unsigned int c;

	(void)state;
	take_baseline();
	use(now_procs, N(now_procs));
	assert_int_equal(knmt("diff", base_file, "--json"), CLI_EXIT_OK);
	assert_string_equal(last.err, "");
	assert_int_equal(fake.nrequests, 1);
	root = parse_out();
	assert_string_equal(str_at(root, "baseline.file"), base_file);
	assert_int_equal(int_at(root, "baseline.processes"), 3);
	assert_string_equal(str_at(root, "baseline.boot_id"),
			    "5a7b0c3e-0000-4000-8000-000000000001");
	check_type(root, "baseline.time", json_type_string);
	check_type(root, "time", json_type_string);
	check_type(root, "host", json_type_string);
	assert_false(json_object_get_boolean(at(root, "other_boot")));
	assert_int_equal(json_object_array_length(at(root, "processes")), 5);

	/* largest growth first: alpha (+1x), pid 300 and 400 new (+1x,
	 * by pid), the old charlie (-2x), bravo (-3x) */
	p = proc_at(root, 0);
	assert_int_equal(int_at(p, "pid"), 100);
	assert_string_equal(str_at(p, "status"), "alive");
	assert_string_equal(str_at(p, "cgroup"), "/system.slice/alpha.service");
	assert_string_equal(str_at(p, "start_time"), "2025-01-01T00:00:05.000Z");
	for (c = 0; c < KNMT_CAT_NR; c++) {
		snprintf(path, sizeof(path), "categories.%s.resident_bytes", cat_names[c]);
		assert_true((uint64_t)int_at(p, path) == resident(2, c));
		snprintf(path, sizeof(path), "baseline.categories.%s.resident_bytes",
			 cat_names[c]);
		assert_true((uint64_t)int_at(p, path) == resident(1, c));
		snprintf(path, sizeof(path), "delta.categories.%s.resident_bytes",
			 cat_names[c]);
		assert_true((uint64_t)int_at(p, path) == resident(1, c));
		snprintf(path, sizeof(path), "delta.categories.%s.mapped_bytes",
			 cat_names[c]);
		assert_true((uint64_t)int_at(p, path) == 2 * resident(1, c));
	}
	assert_int_equal(int_at(p, "delta.kernel.pagetables_bytes"), 64 * KIB);
	assert_int_equal(int_at(p, "delta.kernel.kstacks_bytes"), 32 * KIB);
	check_type(p, "delta.kernel.sockbufs_bytes", json_type_null);
	assert_true((uint64_t)int_at(p, "delta.rss_bytes") == 15 * FAKE_MIB);
	assert_true((uint64_t)int_at(p, "delta.offheap.live_bytes") == 2 * FAKE_MIB);
	check_type(p, "delta.sockets.open", json_type_null);
	assert_true((uint64_t)int_at(p, "native_total_bytes") == native(2, false));
	assert_true((uint64_t)int_at(p, "delta.native_total_bytes") == native(1, false));

	/* pid 300 reused: a new process from 0 ... */
	p = proc_at(root, 1);
	assert_int_equal(int_at(p, "pid"), 300);
	assert_string_equal(str_at(p, "status"), "new");
	assert_string_equal(str_at(p, "start_time"), "2025-01-01T00:00:06.000Z");
	check_type(p, "cgroup", json_type_null);
	check_type(p, "baseline.native_total_bytes", json_type_null);
	assert_true((uint64_t)int_at(p, "delta.native_total_bytes") == native(1, false));
	p = proc_at(root, 2);
	assert_int_equal(int_at(p, "pid"), 400);
	assert_string_equal(str_at(p, "status"), "new");
	check_type(p, "cgroup", json_type_null);	/* cgroup v1 only */
	/* ... and the old one exited, down to 0 */
	p = proc_at(root, 3);
	assert_int_equal(int_at(p, "pid"), 300);
	assert_string_equal(str_at(p, "status"), "exited");
	assert_string_equal(str_at(p, "start_time"), "2025-01-01T00:00:05.000Z");
	check_type(p, "native_total_bytes", json_type_null);
	check_type(p, "categories.heap.resident_bytes", json_type_null);
	assert_true((uint64_t)int_at(p, "baseline.native_total_bytes") == native(2, false));
	assert_true(int_at(p, "delta.native_total_bytes") == -(int64_t)native(2, false));
	assert_true(int_at(p, "delta.categories.offheap.resident_bytes") ==
		    -(int64_t)resident(2, KNMT_CAT_OFFHEAP));
	p = proc_at(root, 4);
	assert_int_equal(int_at(p, "pid"), 200);
	assert_string_equal(str_at(p, "status"), "exited");
	assert_string_equal(str_at(p, "cgroup"), "/user.slice");
	assert_int_equal(int_at(p, "delta.sockets.open"), -18);
	assert_true(int_at(p, "delta.kernel.sockbufs_bytes") ==
		    -(int64_t)FAKE_SOCKS_MEM(3));

	/* totals: scale 2 + 1 + 1 now, 1 + 3 + 2 then */
	assert_int_equal(int_at(root, "totals.processes.alive"), 1);
	assert_int_equal(int_at(root, "totals.processes.new"), 2);
	assert_int_equal(int_at(root, "totals.processes.exited"), 2);
	for (c = 0; c < KNMT_CAT_NR; c++) {
		snprintf(path, sizeof(path), "totals.categories.%s.resident_bytes",
			 cat_names[c]);
		assert_true((uint64_t)int_at(root, path) == resident(4, c));
		snprintf(path, sizeof(path), "totals.baseline.categories.%s.resident_bytes",
			 cat_names[c]);
		assert_true((uint64_t)int_at(root, path) == resident(6, c));
		snprintf(path, sizeof(path), "totals.delta.categories.%s.resident_bytes",
			 cat_names[c]);
		assert_true(int_at(root, path) == -(int64_t)resident(2, c));
	}
	assert_true(int_at(root, "totals.delta.native_total_bytes") ==
		    (int64_t)native(4, false) - (int64_t)native(6, false) -
		    (int64_t)FAKE_SOCKS_MEM(3));
	assert_int_equal(int_at(root, "totals.delta.sockets.open"), -18);
	json_object_put(root);

	/* -n: the first processes; the totals still count all */
	assert_int_equal(knmt("diff", base_file, "-n", "2", "-j"), CLI_EXIT_OK);
	root = parse_out();
	assert_int_equal(json_object_array_length(at(root, "processes")), 2);
	assert_int_equal(int_at(root, "totals.processes.exited"), 2);
	json_object_put(root);
}

static void test_diff_unchanged(void **state)
{
	struct json_object *root, *p;

	(void)state;
	take_baseline();
	assert_int_equal(knmt("diff", base_file, "--json"), CLI_EXIT_OK);
	root = parse_out();
	assert_int_equal(json_object_array_length(at(root, "processes")), 3);
	p = proc_at(root, 0);
	assert_string_equal(str_at(p, "status"), "alive");
	assert_int_equal(int_at(p, "delta.native_total_bytes"), 0);
	assert_int_equal(int_at(root, "totals.processes.alive"), 3);
	assert_int_equal(int_at(root, "totals.delta.native_total_bytes"), 0);
	json_object_put(root);
}

/* ---- knmt diff: pids ----------------------------------------------------- */

static void test_diff_pids(void **state)
{
	struct json_object *root, *p;

	(void)state;
	use(then_procs, N(then_procs));
	fake_reset(answer);
	assert_int_equal(knmt("baseline", "-p", "100", "-p", "200", "-o", base_pids),
			 CLI_EXIT_OK);
	/* the baseline's pids: 100 grew, 200 is gone; 400 is not looked at */
	use(now_procs, N(now_procs));
	fake_reset(answer);
	assert_int_equal(knmt("diff", base_pids, "--json"), CLI_EXIT_OK);
	assert_int_equal(fake.nrequests, 2);	/* GET_PROC 100, 200 */
	root = parse_out();
	assert_int_equal(json_object_array_length(at(root, "processes")), 2);
	p = proc_at(root, 0);
	assert_int_equal(int_at(p, "pid"), 100);
	assert_string_equal(str_at(p, "status"), "alive");
	p = proc_at(root, 1);
	assert_int_equal(int_at(p, "pid"), 200);
	assert_string_equal(str_at(p, "status"), "exited");
	json_object_put(root);

	/* -p of the diff wins: 400 is new, not in that baseline */
	fake_reset(answer);
	assert_int_equal(knmt("diff", base_pids, "-p", "400", "--json"), CLI_EXIT_OK);
	root = parse_out();
	assert_int_equal(json_object_array_length(at(root, "processes")), 1);
	assert_string_equal(str_at(proc_at(root, 0), "status"), "new");
	json_object_put(root);

	/* a pid that names nothing, then or now */
	fake_reset(answer);
	assert_int_equal(knmt("diff", base_file, "-p", "100", "-p", "999"),
			 CLI_EXIT_RUNTIME);
	assert_non_null(strstr(last.out, "100 (alpha): alive"));
	assert_string_equal(last.err, "knmt: no process 999, then or now\n");
}

/* ---- knmt diff: text -------------------------------------------------- */

static void test_diff_text(void **state)
{
	(void)state;
	take_baseline();
	use(now_procs, N(now_procs));
	assert_int_equal(knmt("diff", base_file), CLI_EXIT_OK);
	assert_string_equal(last.err, "");
	assert_true(strncmp(last.out, "Native memory since the baseline ", 33) == 0);
	assert_non_null(strstr(last.out, "taken:     2"));
	assert_non_null(strstr(last.out,
		"processes: 5: 1 alive, 2 new, 2 exited\n"));
	/* the totals: every category, then the other values */
	assert_non_null(strstr(last.out, "\nTotal:\n"
		"CATEGORY        MAPPED   CHANGE   RESIDENT     CHANGE\n"
		"heap            11 MiB   -4 MiB      4 MiB     -2 MiB\n"));
	assert_non_null(strstr(last.out,
		"file            59 MiB  -28 MiB     28 MiB    -14 MiB\n"
		"page tables                        256 KiB   -128 KiB\n"
		"kernel stacks                      128 KiB    -64 KiB\n"
		"socket buffers                         0 B   -192 KiB\n"
		"rss                                 60 MiB    -30 MiB\n"
		"offheap live                         8 MiB     -4 MiB\n"
		"sockets open                             0        -18\n"
		"native total                     112.4 MiB  -56.4 MiB\n"));
	/* one line per process, largest growth first */
	assert_non_null(strstr(last.out,
		"PID  COMM     STATUS     RSS   CHANGE  RESIDENT   CHANGE"
		"     TOTAL     CHANGE  LARGEST CHANGES\n"
		"100  alpha    alive   30 MiB  +15 MiB    56 MiB  +28 MiB"
		"  56.2 MiB  +28.1 MiB  file +7 MiB, shmem +6 MiB\n"
		"300  charlie  new     15 MiB  +15 MiB    28 MiB  +28 MiB"
		"  28.1 MiB  +28.1 MiB  file +7 MiB, shmem +6 MiB\n"));
	assert_non_null(strstr(last.out,
		"300  charlie  exited       -  -30 MiB         -  -56 MiB"
		"         -  -56.2 MiB  file -14 MiB, shmem -12 MiB\n"
		"200  bravo    exited       -  -45 MiB         -  -84 MiB"
		"         -  -84.5 MiB  file -21 MiB, shmem -18 MiB\n"));
	assert_null(strstr(last.out, " \n"));
}

static void test_diff_text_detail(void **state)
{
	(void)state;
	take_baseline();
	use(now_procs, N(now_procs));
	assert_int_equal(knmt("diff", base_file, "-p", "100", "-p", "200"),
			 CLI_EXIT_OK);
	assert_non_null(strstr(last.out,
		"\n100 (alpha): alive, cgroup /system.slice/alpha.service\n"
		"CATEGORY        MAPPED   CHANGE  RESIDENT     CHANGE\n"
		"heap             5 MiB   +2 MiB     2 MiB     +1 MiB\n"
		"stack            9 MiB   +4 MiB     4 MiB     +2 MiB\n"));
	assert_non_null(strstr(last.out,
		"offheap live                        4 MiB     +2 MiB\n"
		"sockets open                            -          -\n"
		"native total                     56.2 MiB  +28.1 MiB\n"));
	assert_non_null(strstr(last.out,
		"\n200 (bravo): exited, cgroup /user.slice\n"));
	assert_non_null(strstr(last.out,
		"heap                 -   -7 MiB         -     -3 MiB\n"));
	assert_non_null(strstr(last.out,
		"sockets open                            -        -18\n"
		"native total                            -  -84.5 MiB\n"));
}

/* ---- knmt diff: another boot, foreign files, usage ------------------------ */

static void test_diff_other_boot(void **state)
{
	struct json_object *root, *p;

	(void)state;
	take_baseline();
	set_boot_id("11111111-2222-4333-8444-555555555555\n");
	use(now_procs, N(now_procs));
	assert_int_equal(knmt("diff", base_file), CLI_EXIT_RUNTIME);
	assert_non_null(strstr(last.err, "was taken in another boot"));
	assert_non_null(strstr(last.err, "boot id 5a7b0c3e-0000-4000-8000-000000000001"));
	assert_non_null(strstr(last.err, "--force"));
	assert_string_equal(last.out, "");
	assert_int_equal(fake.nrequests, 0);

	/* --force: by pid and comm, so pid 300 is charlie still */
	assert_int_equal(knmt("diff", "--force", base_file, "--json"), CLI_EXIT_OK);
	root = parse_out();
	assert_true(json_object_get_boolean(at(root, "other_boot")));
	assert_int_equal(int_at(root, "totals.processes.alive"), 2);
	assert_int_equal(int_at(root, "totals.processes.new"), 1);
	assert_int_equal(int_at(root, "totals.processes.exited"), 1);
	p = proc_at(root, 0);
	assert_int_equal(int_at(p, "pid"), 100);
	json_object_put(root);
	assert_int_equal(knmt("diff", "--force", base_file), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "another boot (--force)"));
}

static void test_diff_bad_files(void **state)
{
	static const struct { const char *text, *why; } bad[] = {
		{ "not json", "not JSON" },
		{ "[]", "no \"format\": \"knmt-baseline\"" },
		{ "{\"format\": \"other\", \"version\": 1}", "no \"format\"" },
		{ "{\"format\": \"knmt-baseline\"}", "no format version" },
		{ "{\"format\": \"knmt-baseline\", \"version\": 2}",
		  "format version 2; this knmt reads version 1" },
		{ "{\"format\": \"knmt-baseline\", \"version\": 1, "
		  "\"time\": \"yesterday\", \"processes\": []}", "ISO-8601" },
		{ "{\"format\": \"knmt-baseline\", \"version\": 1, "
		  "\"time\": \"2025-01-01T00:00:00Z\"}", "no array \"processes\"" },
		{ "{\"format\": \"knmt-baseline\", \"version\": 1, "
		  "\"time\": \"2025-01-01T00:00:00.000Z\", \"processes\": [{\"pid\": -1}]}",
		  "a process without a valid pid" },
		{ "{\"format\": \"knmt-baseline\", \"version\": 1, "
		  "\"time\": \"2025-01-01T00:00:00.000Z\", \"processes\": "
		  "[{\"pid\": 5, \"rss_bytes\": \"12\"}]}",
		  "rss_bytes of process 5 is not a count of bytes" },
		{ "{\"format\": \"knmt-baseline\", \"version\": 1, "
		  "\"time\": \"2025-01-01T00:00:00.000Z\", \"pids\": [0], "
		  "\"processes\": []}", "pids holds" },
	};
	size_t i;

	(void)state;
	fake_reset(answer);
	for (i = 0; i < N(bad); i++) {
		write_file(junk_file, bad[i].text);
		assert_int_equal(knmt("diff", junk_file), CLI_EXIT_RUNTIME);
		if (!strstr(last.err, bad[i].why))
			fail_msg("%s: expected \"%s\" in: %s", bad[i].text,
				 bad[i].why, last.err);
	}
	assert_int_equal(knmt("diff", "/nonexistent.json"), CLI_EXIT_RUNTIME);
	assert_string_equal(last.err, "knmt diff: cannot read /nonexistent.json: "
			    "No such file or directory\n");
	assert_int_equal(knmt("diff", tmp), CLI_EXIT_RUNTIME);
	assert_non_null(strstr(last.err, "not a file"));
	assert_int_equal(fake.nrequests, 0);

	/* a minimal baseline of no process, with no host nor boot id */
	write_file(junk_file, "{\"format\": \"knmt-baseline\", \"version\": 1, "
		   "\"time\": \"2025-01-01T00:00:00Z\", \"processes\": []}");
	use(now_procs, 1);
	assert_int_equal(knmt("diff", junk_file, "--json"), CLI_EXIT_OK);
	assert_int_equal(fake.nrequests, 1);
}

static void test_diff_usage(void **state)
{
	(void)state;
	fake_reset(answer);
	assert_int_equal(knmt("diff"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "knmt diff: which baseline"));
	assert_non_null(strstr(last.err, "Usage: knmt diff FILE"));
	assert_int_equal(knmt("diff", "a.json", "b.json"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "unexpected argument 'b.json'"));
	assert_int_equal(knmt("diff", "a.json", "-p", "4194305"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("diff", "a.json", "-n", "0"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("diff", "a.json", "--bogus"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("diff", "a.json", "-p"), CLI_EXIT_USAGE);
	assert_int_equal(fake.nrequests, 0);
	assert_int_equal(knmt("diff", "--help"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "summary.diff"));
	assert_int_equal(knmt("help", "baseline"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "Usage: knmt baseline [-p PID...] -o FILE"));
	/* not loaded: after the file is read */
	take_baseline();
	assert_int_equal(knmt_with(fake_knmt_open_not_loaded, "diff", base_file,
				   (char *)NULL), CLI_EXIT_NOT_LOADED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_baseline_file, teardown),
		cmocka_unit_test_teardown(test_baseline_pids, teardown),
		cmocka_unit_test_teardown(test_baseline_errors, teardown),
		cmocka_unit_test_teardown(test_diff_json, teardown),
		cmocka_unit_test_teardown(test_diff_unchanged, teardown),
		cmocka_unit_test_teardown(test_diff_pids, teardown),
		cmocka_unit_test_teardown(test_diff_text, teardown),
		cmocka_unit_test_teardown(test_diff_text_detail, teardown),
		cmocka_unit_test_teardown(test_diff_other_boot, teardown),
		cmocka_unit_test_teardown(test_diff_bad_files, teardown),
		cmocka_unit_test_teardown(test_diff_usage, teardown),
	};

	return cmocka_run_group_tests_name("cli_baseline", tests, setup, cleanup);
}
