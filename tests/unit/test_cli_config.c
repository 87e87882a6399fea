// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt config against the fake kernel: sample_ms and the tracking filter
 * shown (text, JSON keys and types, the cgroup id resolved to its
 * directory), and set (filter_pid, filter_comm, filter_cgroup as a path
 * or an id, their clear forms, clear-filter; events_fault_ms as ms or
 * a duration) down to the attributes sent; usage errors, among them a
 * cgroup path that is not on cgroup2 (a temporary directory) and a fault
 * period out of range, and a pid that names no process.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cmocka.h>
#include <json.h>

#include <linux/magic.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "cgroup.h"
#include "cli_harness.h"

/* a temporary directory (not cgroup2): tmp, tmp/sub, tmp/file */
static char tmp[64];
static char tmp_sub[96];
static char tmp_file[96];

static int setup(void **state)
{
	FILE *f;

	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/knmt-unit-XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	snprintf(tmp_sub, sizeof(tmp_sub), "%s/sub", tmp);
	snprintf(tmp_file, sizeof(tmp_file), "%s/file", tmp);
	if (mkdir(tmp_sub, 0700) < 0)
		return -1;
	f = fopen(tmp_file, "w");
	if (!f)
		return -1;
	fclose(f);
	return 0;
}

static int cleanup(void **state)
{
	(void)state;
	unlink(tmp_file);
	rmdir(tmp_sub);
	rmdir(tmp);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cli_run_free();
	fake_reset(NULL);
	knmt_cli.cgroup_root = NULL;
	return 0;
}

static uint64_t inode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return (uint64_t)st.st_ino;
}

/*
 * The mount point of a cgroup2 file system, "" when this host has none
 * (the tests that need one are skipped).  Mount points with characters
 * that mountinfo escapes are not used.
 */
static const char *cgroup2_mount(void)
{
	static char mnt[PATH_MAX];
	char line[4096];
	FILE *f = fopen("/proc/self/mountinfo", "r");

	mnt[0] = '\0';
	while (f && fgets(line, sizeof(line), f)) {
		char point[PATH_MAX], *sep = strstr(line, " - ");

		if (!sep || strncmp(sep, " - cgroup2 ", 11) != 0)
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %4095s", point) == 1 &&
		    !strchr(point, '\\')) {
			snprintf(mnt, sizeof(mnt), "%s", point);
			break;
		}
	}
	if (f)
		fclose(f);
	return mnt;
}

/* ---- the fake module ------------------------------------------------ */

/* What GET_CONFIG answers; filter false: a module without the filter. */
static struct {
	bool filter;
	uint32_t pid;
	const char *comm;
	uint64_t cgroup;
	int set_error;		/* SET_CONFIG's answer: 0 or -errno */
} module;

static void answer(const struct nlmsghdr *req)
{
	const struct genlmsghdr *g = NLMSG_DATA(req);
	struct nl_msg *msg;

	if (g->cmd == KNMT_CMD_SET_CONFIG) {
		if (module.set_error)
			fake_push_error(module.set_error, "no such process", 20,
					false);
		else
			fake_push_ack();
		return;
	}
	msg = fake_reply(KNMT_CMD_GET_CONFIG);
	if (module.filter) {
		assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_FILTER_PID,
					     module.pid), 0);
		assert_int_equal(nla_put_string(msg, KNMT_A_CONFIG_FILTER_COMM,
						module.comm), 0);
		fake_put_u64(msg, KNMT_A_CONFIG_FILTER_CGROUP, KNMT_A_CONFIG_PAD,
			     module.cgroup);
		assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_SAMPLE_MS, 100), 0);
		assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_SOCKETS_MAX,
					     131072), 0);
		assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_EVENTS_RING,
					     4096), 0);
		assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_EVENTS_FAULT_MS,
					     1000), 0);
	}
	fake_put_u64(msg, KNMT_A_CONFIG_OFFHEAP_MIN_BYTES, KNMT_A_CONFIG_PAD, 131072);
	assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_PROCS_MAX, 4096), 0);
	assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_REGIONS_MAX, 65536), 0);
	assert_int_equal(nla_put_u32(msg, KNMT_A_CONFIG_EXITS_MAX, 256), 0);
	fake_push(msg);
	fake_push_ack();
}

static void module_filter(uint32_t pid, const char *comm, uint64_t cgroup)
{
	memset(&module, 0, sizeof(module));
	module.filter = true;
	module.pid = pid;
	module.comm = comm;
	module.cgroup = cgroup;
	fake_reset(answer);
}

/* The attributes of the last request, a SET_CONFIG. */
static void sent(struct nlattr **tb)
{
	const struct genlmsghdr *g = NLMSG_DATA((struct nlmsghdr *)fake.req);

	assert_int_equal(g->cmd, KNMT_CMD_SET_CONFIG);
	assert_int_equal(genlmsg_parse((struct nlmsghdr *)fake.req, 0, tb,
				       KNMT_A_CONFIG_MAX, NULL), 0);
}

/* ---- show ----------------------------------------------------------- */

static void test_show_no_filter(void **state)
{
	struct json_object *root, *filter;

	(void)state;
	module_filter(0, "", 0);
	assert_int_equal(knmt("config"), CLI_EXIT_OK);
	assert_string_equal(last.err, "");
	assert_non_null(strstr(last.out,
		"exits_max              256  read-only  set at load: modprobe knmt exits_max=N\n"
		"sample_ms              100  read-only  set at load: modprobe knmt sample_ms=N\n"
		"sockets_max         131072  read-only  set at load: modprobe knmt sockets_max=N\n"
		"events_ring           4096  read-only  set at load: modprobe knmt events_ring=N\n"
		"events_fault_ms       1000  writable   0 (none) or 100 .. 3600000 ms\n"
		"\n"
		"tracking filter:\n"
		"filter_pid:    (none)\n"
		"filter_comm:   (none)\n"
		"filter_cgroup: (none)\n"
		"all processes are tracked\n"));
	assert_null(strstr(last.out, " \n"));

	assert_int_equal(knmt("config", "--json"), CLI_EXIT_OK);
	root = parse_out();
	/* the keys of before, unchanged, and the new ones; sockets_max
	 * and events_ring are text only, as regions_max and exits_max */
	assert_int_equal(nkeys(root), 5);
	assert_false(json_object_object_get_ex(root, "sockets_max", NULL));
	assert_false(json_object_object_get_ex(root, "events_ring", NULL));
	assert_int_equal(int_at(root, "events_fault_ms"), 1000);
	check_type(root, "offheap_min_bytes", json_type_int);
	check_type(root, "procs_max", json_type_int);
	check_type(root, "sample_ms", json_type_int);
	assert_int_equal(json_object_get_int(at(root, "sample_ms")), 100);
	check_type(root, "filter", json_type_object);
	filter = at(root, "filter");
	assert_int_equal(nkeys(filter), 4);
	check_type(filter, "pid", json_type_null);
	check_type(filter, "comm", json_type_null);
	check_type(filter, "cgroup_id", json_type_null);
	check_type(filter, "cgroup_path", json_type_null);
	json_object_put(root);
}

static void test_show_filter(void **state)
{
	struct json_object *root;
	uint64_t id = inode_of(tmp_sub);
	char want[512];

	(void)state;
	/* a directory of that inode, but not on cgroup2: not the cgroup */
	knmt_cli.cgroup_root = tmp;
	module_filter(4242, "java", id);
	assert_int_equal(knmt("config"), CLI_EXIT_OK);
	snprintf(want, sizeof(want),
		 "tracking filter:\n"
		 "filter_pid:    4242 and its descendants born later\n"
		 "filter_comm:   java\n"
		 "filter_cgroup: %" PRIu64 " (no cgroup2 directory of this id under %s) and its descendants\n"
		 "a process is tracked when it matches any criterion set\n",
		 id, tmp);
	assert_non_null(strstr(last.out, want));

	assert_int_equal(knmt("config", "-j"), CLI_EXIT_OK);
	root = parse_out();
	check_type(root, "filter.pid", json_type_int);
	assert_int_equal(json_object_get_int(at(root, "filter.pid")), 4242);
	check_type(root, "filter.comm", json_type_string);
	assert_string_equal(json_object_get_string(at(root, "filter.comm")), "java");
	check_type(root, "filter.cgroup_id", json_type_int);
	assert_true(json_object_get_uint64(at(root, "filter.cgroup_id")) == id);
	check_type(root, "filter.cgroup_path", json_type_null);
	json_object_put(root);

	/* one criterion: the others null */
	module_filter(0, "postgres", 0);
	assert_int_equal(knmt("config", "-j"), CLI_EXIT_OK);
	root = parse_out();
	check_type(root, "filter.pid", json_type_null);
	assert_string_equal(json_object_get_string(at(root, "filter.comm")), "postgres");
	check_type(root, "filter.cgroup_id", json_type_null);
	check_type(root, "filter.cgroup_path", json_type_null);
	json_object_put(root);
	assert_int_equal(knmt("config"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "filter_pid:    (none)\n"
				       "filter_comm:   postgres\n"
				       "filter_cgroup: (none)\n"
				       "a process is tracked when it matches any"));
}

/* What a cgroup_path shown must be: a cgroup2 directory of inode id. */
static void check_cgroup_dir(const char *path, uint64_t id)
{
	struct statfs sfs;

	assert_true(inode_of(path) == id);
	assert_int_equal(statfs(path, &sfs), 0);
	assert_true((uint64_t)sfs.f_type == CGROUP2_SUPER_MAGIC);
}

static void test_show_cgroup_path(void **state)
{
	const char *mnt = cgroup2_mount();
	struct json_object *root;
	const char *path;
	char want[PATH_MAX + 64];
	uint64_t id;

	(void)state;
	if (!mnt[0])
		skip();		/* no cgroup2 mounted here */
	id = inode_of(mnt);
	/* looked up from the cgroup2 mount itself */
	knmt_cli.cgroup_root = mnt;
	module_filter(0, "", id);
	assert_int_equal(knmt("config", "--json"), CLI_EXIT_OK);
	root = parse_out();
	check_type(root, "filter.cgroup_path", json_type_string);
	assert_string_equal(json_object_get_string(at(root, "filter.cgroup_path")), mnt);
	json_object_put(root);
	assert_int_equal(knmt("config"), CLI_EXIT_OK);
	snprintf(want, sizeof(want), "filter_cgroup: %" PRIu64 " (%s) and its descendants\n",
		 id, mnt);
	assert_non_null(strstr(last.out, want));

	/* and from /sys/fs/cgroup, where a hybrid setup has cgroup v1
	 * hierarchies whose root directories have the same inode number */
	if (strncmp(mnt, CGROUP_ROOT, strlen(CGROUP_ROOT)) != 0)
		return;
	knmt_cli.cgroup_root = NULL;
	assert_int_equal(knmt("config", "--json"), CLI_EXIT_OK);
	root = parse_out();
	check_type(root, "filter.cgroup_path", json_type_string);
	path = json_object_get_string(at(root, "filter.cgroup_path"));
	check_cgroup_dir(path, id);
	json_object_put(root);
}

static void test_cgroup_lookup(void **state)
{
	const char *mnt = cgroup2_mount();
	char *path = NULL;

	(void)state;
	/* nothing on cgroup2 under a temporary directory */
	assert_int_equal(cgroup_id_path(tmp, inode_of(tmp), &path), -ENOENT);
	assert_int_equal(cgroup_id_path(tmp, inode_of(tmp_sub), &path), -ENOENT);
	assert_null(path);
	assert_int_equal(cgroup_id_path(tmp_file, 1, &path), -ENOTDIR);
	assert_int_equal(cgroup_id_path("/nonexistent-knmt", 1, &path), -ENOENT);
	if (!mnt[0])
		skip();
	assert_int_equal(cgroup_id_path(mnt, inode_of(mnt), &path), 0);
	assert_string_equal(path, mnt);
	free(path);
	/* an id no cgroup has */
	assert_int_equal(cgroup_id_path(mnt, UINT64_MAX, &path), -ENOENT);
}

static void test_show_old_module(void **state)
{
	struct json_object *root;

	(void)state;
	memset(&module, 0, sizeof(module));
	fake_reset(answer);
	assert_int_equal(knmt("config"), CLI_EXIT_OK);
	assert_null(strstr(last.out, "filter"));
	assert_non_null(strstr(last.out, "sample_ms                -  read-only"));
	assert_non_null(strstr(last.out, "sockets_max              -  read-only"));
	assert_non_null(strstr(last.out, "events_ring              -  read-only"));
	assert_non_null(strstr(last.out, "events_fault_ms          -  writable"));
	assert_int_equal(knmt("config", "--json"), CLI_EXIT_OK);
	root = parse_out();
	assert_int_equal(nkeys(root), 5);
	check_type(root, "sample_ms", json_type_null);
	check_type(root, "events_fault_ms", json_type_null);
	check_type(root, "filter.pid", json_type_null);
	check_type(root, "filter.comm", json_type_null);
	check_type(root, "filter.cgroup_id", json_type_null);
	check_type(root, "filter.cgroup_path", json_type_null);
	json_object_put(root);
}

/* ---- set ------------------------------------------------------------ */

static void test_set_filter(void **state)
{
	struct nlattr *tb[KNMT_A_CONFIG_MAX + 1];

	(void)state;
	module_filter(0, "", 0);
	/* several at once: one request */
	assert_int_equal(knmt("config", "set", "filter_pid=4242",
			      "filter_comm=java", "filter_cgroup=12345"),
			 CLI_EXIT_OK);
	assert_string_equal(last.out, "");
	assert_string_equal(last.err, "");
	assert_int_equal(fake.nrequests, 1);
	sent(tb);
	assert_int_equal(nla_get_u32(tb[KNMT_A_CONFIG_FILTER_PID]), 4242);
	assert_string_equal(nla_data(tb[KNMT_A_CONFIG_FILTER_COMM]), "java");
	assert_true(nla_get_u64(tb[KNMT_A_CONFIG_FILTER_CGROUP]) == 12345);
	assert_null(tb[KNMT_A_CONFIG_OFFHEAP_MIN_BYTES]);

	/* one criterion alone, with offheap_min_bytes */
	assert_int_equal(knmt("config", "set", "offheap_min_bytes=1M",
			      "filter_comm=abcdefghijklmno"), CLI_EXIT_OK);
	sent(tb);
	assert_string_equal(nla_data(tb[KNMT_A_CONFIG_FILTER_COMM]), "abcdefghijklmno");
	assert_true(nla_get_u64(tb[KNMT_A_CONFIG_OFFHEAP_MIN_BYTES]) == 1048576);
	assert_null(tb[KNMT_A_CONFIG_FILTER_PID]);
	assert_null(tb[KNMT_A_CONFIG_FILTER_CGROUP]);

	/* the largest pid and a 64-bit id */
	assert_int_equal(knmt("config", "set", "filter_pid=4194304",
			      "filter_cgroup=18446744073709551615"), CLI_EXIT_OK);
	sent(tb);
	assert_int_equal(nla_get_u32(tb[KNMT_A_CONFIG_FILTER_PID]), 4194304);
	assert_true(nla_get_u64(tb[KNMT_A_CONFIG_FILTER_CGROUP]) == UINT64_MAX);
}

static void check_cleared(int pid, int comm, int cgroup)
{
	struct nlattr *tb[KNMT_A_CONFIG_MAX + 1];

	sent(tb);
	if (pid) {
		assert_non_null(tb[KNMT_A_CONFIG_FILTER_PID]);
		assert_int_equal(nla_get_u32(tb[KNMT_A_CONFIG_FILTER_PID]), 0);
	} else {
		assert_null(tb[KNMT_A_CONFIG_FILTER_PID]);
	}
	if (comm) {
		assert_non_null(tb[KNMT_A_CONFIG_FILTER_COMM]);
		assert_int_equal(nla_len(tb[KNMT_A_CONFIG_FILTER_COMM]), 1);
	} else {
		assert_null(tb[KNMT_A_CONFIG_FILTER_COMM]);
	}
	if (cgroup) {
		assert_non_null(tb[KNMT_A_CONFIG_FILTER_CGROUP]);
		assert_true(nla_get_u64(tb[KNMT_A_CONFIG_FILTER_CGROUP]) == 0);
	} else {
		assert_null(tb[KNMT_A_CONFIG_FILTER_CGROUP]);
	}
	assert_null(tb[KNMT_A_CONFIG_OFFHEAP_MIN_BYTES]);
}

static void test_set_filter_clear(void **state)
{
	(void)state;
	module_filter(0, "", 0);
	assert_int_equal(knmt("config", "set", "filter_pid=0"), CLI_EXIT_OK);
	check_cleared(1, 0, 0);
	assert_int_equal(knmt("config", "set", "filter_pid=none"), CLI_EXIT_OK);
	check_cleared(1, 0, 0);
	assert_int_equal(knmt("config", "set", "filter_comm="), CLI_EXIT_OK);
	check_cleared(0, 1, 0);
	assert_int_equal(knmt("config", "set", "filter_comm=none"), CLI_EXIT_OK);
	check_cleared(0, 1, 0);
	assert_int_equal(knmt("config", "set", "filter_cgroup=0"), CLI_EXIT_OK);
	check_cleared(0, 0, 1);
	assert_int_equal(knmt("config", "set", "filter_cgroup=none"), CLI_EXIT_OK);
	check_cleared(0, 0, 1);
	assert_int_equal(knmt("config", "clear-filter"), CLI_EXIT_OK);
	assert_string_equal(last.out, "");
	check_cleared(1, 1, 1);
	assert_int_equal(fake.nrequests, 7);
}

static void test_set_filter_cgroup_path(void **state)
{
	struct nlattr *tb[KNMT_A_CONFIG_MAX + 1];
	const char *mnt = cgroup2_mount();
	char arg[PATH_MAX + 32];

	(void)state;
	if (!mnt[0])
		skip();
	module_filter(0, "", 0);
	/* absolute */
	snprintf(arg, sizeof(arg), "filter_cgroup=%s", mnt);
	assert_int_equal(knmt("config", "set", arg), CLI_EXIT_OK);
	sent(tb);
	assert_true(nla_get_u64(tb[KNMT_A_CONFIG_FILTER_CGROUP]) == inode_of(mnt));
	/* relative to the cgroup root */
	knmt_cli.cgroup_root = mnt;
	assert_int_equal(knmt("config", "set", "filter_cgroup=."), CLI_EXIT_OK);
	sent(tb);
	assert_true(nla_get_u64(tb[KNMT_A_CONFIG_FILTER_CGROUP]) == inode_of(mnt));
}

static void test_set_filter_usage(void **state)
{
	char arg[128], want[256];

	(void)state;
	module_filter(0, "", 0);
	knmt_cli.cgroup_root = tmp;

	/* 16 characters: more than the kernel's command names hold */
	assert_int_equal(knmt("config", "set", "filter_comm=abcdefghijklmnop"),
			 CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "knmt config: filter_comm: 'abcdefghijklmnop' has 16 characters"));
	assert_non_null(strstr(last.err, "the kernel's command names are at most 15 characters"));

	assert_int_equal(knmt("config", "set", "filter_pid=abc"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "filter_pid: 'abc' is not a pid"));
	assert_int_equal(knmt("config", "set", "filter_pid=-1"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("config", "set", "filter_pid=4194305"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("config", "set", "filter_pid="), CLI_EXIT_USAGE);
	assert_int_equal(knmt("config", "set", "filter_pid=12x"), CLI_EXIT_USAGE);

	/* a directory, but not on cgroup2 */
	snprintf(arg, sizeof(arg), "filter_cgroup=%s", tmp);
	assert_int_equal(knmt("config", "set", arg), CLI_EXIT_USAGE);
	snprintf(want, sizeof(want), "knmt config: filter_cgroup: %s is not on a cgroup v2 file system", tmp);
	assert_non_null(strstr(last.err, want));
	assert_non_null(strstr(last.err, "cgroup2 is 0x63677270"));
	assert_non_null(strstr(last.err, "\nUsage: knmt config"));
	/* relative: to the cgroup root */
	assert_int_equal(knmt("config", "set", "filter_cgroup=sub"), CLI_EXIT_USAGE);
	snprintf(want, sizeof(want), "filter_cgroup: %s is not on a cgroup v2 file system", tmp_sub);
	assert_non_null(strstr(last.err, want));
	/* no such directory, not a directory */
	assert_int_equal(knmt("config", "set", "filter_cgroup=nope"), CLI_EXIT_USAGE);
	snprintf(want, sizeof(want), "filter_cgroup: cannot use %s/nope: %s",
		 tmp, strerror(ENOENT));
	assert_non_null(strstr(last.err, want));
	snprintf(arg, sizeof(arg), "filter_cgroup=%s", tmp_file);
	assert_int_equal(knmt("config", "set", arg), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "is not a directory"));
	/* ids */
	assert_int_equal(knmt("config", "set", "filter_cgroup=18446744073709551616"),
			 CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "too large"));
	assert_int_equal(knmt("config", "set", "filter_cgroup="), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "expected a cgroup directory, a cgroup id or none"));

	/* read-only, unknown, clear-filter with an argument */
	assert_int_equal(knmt("config", "set", "sample_ms=10"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "sample_ms is read-only"));
	assert_non_null(strstr(last.err, "modprobe knmt sample_ms=N"));
	assert_int_equal(knmt("config", "set", "sockets_max=10"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "sockets_max is read-only"));
	assert_non_null(strstr(last.err, "modprobe knmt sockets_max=N"));
	assert_int_equal(knmt("config", "set", "filter=1"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "(writable: offheap_min_bytes, events_fault_ms, filter_pid, filter_comm, filter_cgroup)"));
	assert_int_equal(knmt("config", "set", "events_ring=10"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "events_ring is read-only"));
	assert_int_equal(knmt("config", "clear-filter", "now"), CLI_EXIT_USAGE);
	/* one bad assignment among good ones: nothing is sent */
	assert_int_equal(knmt("config", "set", "filter_pid=1", "filter_comm=abcdefghijklmnopqrstu"),
			 CLI_EXIT_USAGE);
	assert_int_equal(fake.nrequests, 0);
}

static void test_set_filter_no_process(void **state)
{
	(void)state;
	module_filter(0, "", 0);
	module.set_error = -ESRCH;
	assert_int_equal(knmt("config", "set", "filter_pid=4000000"), CLI_EXIT_RUNTIME);
	assert_string_equal(last.err, "knmt: no process 4000000\n");
	assert_int_equal(fake.nrequests, 1);
}

/* events_fault_ms=N: ms, or a duration of whole ms; 0 or 100 .. 3600000 */
static void test_set_fault_ms(void **state)
{
	static const struct { const char *arg; uint32_t ms; } good[] = {
		{ "events_fault_ms=0", 0 },
		{ "events_fault_ms=100", 100 },
		{ "events_fault_ms=2500", 2500 },
		{ "events_fault_ms=3600000", 3600000 },
		{ "events_fault_ms=2s", 2000 },
		{ "events_fault_ms=500ms", 500 },
		{ "events_fault_ms=1m30s", 90000 },
		{ "events_fault_ms=1h", 3600000 },
		{ "events_fault_ms=0s", 0 },
	};
	static const char *const range[] = {
		"events_fault_ms=1", "events_fault_ms=99", "events_fault_ms=99ms",
		"events_fault_ms=3600001", "events_fault_ms=1h1ms",
		"events_fault_ms=99999999999999999999999",
		"events_fault_ms=99999999999999999999s",
	};
	static const char *const bad[] = {
		"events_fault_ms=", "events_fault_ms=-1", "events_fault_ms=1.5s",
		"events_fault_ms=1500us", "events_fault_ms=2 s", "events_fault_ms=fast",
		"events_fault_ms=1000ns",
	};
	struct nlattr *tb[KNMT_A_CONFIG_MAX + 1];
	size_t i;

	(void)state;
	module_filter(0, "", 0);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(knmt("config", "set", good[i].arg), CLI_EXIT_OK);
		assert_string_equal(last.err, "");
		sent(tb);
		assert_non_null(tb[KNMT_A_CONFIG_EVENTS_FAULT_MS]);
		assert_int_equal(nla_len(tb[KNMT_A_CONFIG_EVENTS_FAULT_MS]), 4);
		assert_int_equal(nla_get_u32(tb[KNMT_A_CONFIG_EVENTS_FAULT_MS]),
				 good[i].ms);
		assert_null(tb[KNMT_A_CONFIG_OFFHEAP_MIN_BYTES]);
		assert_null(tb[KNMT_A_CONFIG_EVENTS_RING]);
	}
	/* with another setting, in one request */
	assert_int_equal(knmt("config", "set", "offheap_min_bytes=256K",
			      "events_fault_ms=5s"), CLI_EXIT_OK);
	assert_int_equal(fake.nrequests, 10);
	sent(tb);
	assert_int_equal(nla_get_u32(tb[KNMT_A_CONFIG_EVENTS_FAULT_MS]), 5000);
	assert_true(nla_get_u64(tb[KNMT_A_CONFIG_OFFHEAP_MIN_BYTES]) == 262144);

	fake_reset(answer);
	for (i = 0; i < sizeof(range) / sizeof(range[0]); i++) {
		assert_int_equal(knmt("config", "set", range[i]), CLI_EXIT_USAGE);
		assert_non_null(strstr(last.err, "is out of range: 0 (no fault "
					       "summaries) or 100 .. 3600000 ms"));
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(knmt("config", "set", bad[i]), CLI_EXIT_USAGE);
		assert_non_null(strstr(last.err, "is not a period"));
		assert_non_null(strstr(last.err, "Usage: knmt config"));
	}
	assert_int_equal(fake.nrequests, 0);

	/* the kernel's refusal is reported */
	module_filter(0, "", 0);
	module.set_error = -ERANGE;
	assert_int_equal(knmt("config", "set", "events_fault_ms=100"),
			 CLI_EXIT_RUNTIME);
	assert_non_null(strstr(last.err, "knmt: kernel rejected the request"));
}

static void test_help(void **state)
{
	(void)state;
	assert_int_equal(knmt("help", "config"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "clear-filter"));
	assert_non_null(strstr(last.out, "filter_pid=PID"));
	assert_non_null(strstr(last.out, "filter_comm=NAME"));
	assert_non_null(strstr(last.out, "filter_cgroup=CG"));
	assert_non_null(strstr(last.out, "sample_ms"));
	assert_non_null(strstr(last.out, "events_fault_ms"));
	assert_non_null(strstr(last.out, "events_ring"));
	assert_int_equal(knmt("config", "bogus"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "(show, set or clear-filter)"));
	assert_int_equal(fake.nrequests, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_show_no_filter, teardown),
		cmocka_unit_test_teardown(test_show_filter, teardown),
		cmocka_unit_test_teardown(test_show_cgroup_path, teardown),
		cmocka_unit_test_teardown(test_cgroup_lookup, teardown),
		cmocka_unit_test_teardown(test_show_old_module, teardown),
		cmocka_unit_test_teardown(test_set_filter, teardown),
		cmocka_unit_test_teardown(test_set_filter_clear, teardown),
		cmocka_unit_test_teardown(test_set_filter_cgroup_path, teardown),
		cmocka_unit_test_teardown(test_set_filter_usage, teardown),
		cmocka_unit_test_teardown(test_set_filter_no_process, teardown),
		cmocka_unit_test_teardown(test_set_fault_ms, teardown),
		cmocka_unit_test_teardown(test_help, teardown),
	};

	return cmocka_run_group_tests_name("cli_config", tests, setup, cleanup);
}
