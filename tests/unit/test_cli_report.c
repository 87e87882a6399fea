// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt report against the fake kernel, with a fake /proc for the
 * cgroups: the metrics text (every family once with HELP and TYPE, the
 * values per process and per cgroup, label values escaped, OpenMetrics,
 * and `promtool check metrics` when it is installed), the JSON-lines and
 * text reports, their rotation by size and count, the configuration
 * file and the command line over it, the module not loaded, usage
 * errors, and the HTTP server (libmicrohttpd) on a free port.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <json.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "cli_harness.h"
#include "report.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define KIB	UINT64_C(1024)

static char tmp[64], proc_root[96], dir[128], conf[128];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* The whole file (NULL when it does not exist); free() it. */
static char *read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, n;
	char chunk[4096];
	FILE *m;

	if (!f)
		return NULL;
	m = open_memstream(&buf, &len);
	assert_non_null(m);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, m);
	fclose(f);
	fclose(m);
	return buf;
}

static void contains(const char *text, const char *want)
{
	if (!text || !strstr(text, want))
		fail_msg("no \"%s\" in:\n%s", want, text ? text : "(nothing)");
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

static void set_cgroup(uint32_t pid, const char *text)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%u", proc_root, (unsigned int)pid);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/%u/cgroup", proc_root, (unsigned int)pid);
	write_file(path, text);
}

static int setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	snprintf(tmp, sizeof(tmp), "/tmp/knmt-unit-XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	snprintf(proc_root, sizeof(proc_root), "%s/proc", tmp);
	snprintf(dir, sizeof(dir), "%s/reports", tmp);
	snprintf(conf, sizeof(conf), "%s/report.conf", tmp);
	mkdir(proc_root, 0700);
	snprintf(dir, sizeof(dir), "%s/sys", proc_root);
	mkdir(dir, 0700);
	snprintf(dir, sizeof(dir), "%s/sys/kernel", proc_root);
	mkdir(dir, 0700);
	snprintf(dir, sizeof(dir), "%s/sys/kernel/random", proc_root);
	mkdir(dir, 0700);
	{
		char boot_id[192];

		snprintf(boot_id, sizeof(boot_id), "%s/boot_id", dir);
		write_file(boot_id, "5a7b0c3e-0000-4000-8000-000000000001\n");
	}
	snprintf(dir, sizeof(dir), "%s/reports", tmp);
	snprintf(conf, sizeof(conf), "%s/report.conf", tmp);
	set_cgroup(100, "0::/system.slice/alpha.service\n");
	set_cgroup(200, "0::/user.slice\n");
	set_cgroup(300, "0::/user.slice\n");
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
	char cmd[256];

	(void)state;
	cli_run_free();
	fake_reset(NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* ---- the fake kernel ---------------------------------------------------- */

#define WEIRD_COMM	"we\"ird\\na\nme\t\xff"

static const struct fake_proc procs[] = {
	{ .pid = 100, .comm = "alpha", .k = 1 },
	{ .pid = 200, .comm = "bravo", .k = 3, .sockets = true },
	{ .pid = 300, .comm = "charlie", .k = 2 },
	{ .pid = 500, .comm = WEIRD_COMM, .k = 1, .no_sample = true },
};

static void answer(const struct nlmsghdr *req)
{
	const struct genlmsghdr *g = NLMSG_DATA(req);
	struct nl_msg *msgs[N(procs)];
	size_t i;

	if (g->cmd == KNMT_CMD_GET_STATUS) {
		fake_push(fake_status_msg(2));
		fake_push_ack();
		return;
	}
	assert_int_equal(g->cmd, KNMT_CMD_DUMP_PROCS);
	for (i = 0; i < N(procs); i++)
		msgs[i] = fake_proc_msg(KNMT_CMD_DUMP_PROCS, &procs[i]);
	fake_push_many(msgs, N(procs));
	fake_push_done(0, NULL);
}

static uint64_t resident(uint64_t k, unsigned int c)
{
	return k * (c + 1) * FAKE_MIB;
}

static void has_line(const char *text, const char *line)
{
	char *want;

	assert_true(asprintf(&want, "\n%s\n", line) > 0);
	if (!strstr(text, want) && strncmp(text, want + 1, strlen(want + 1)) != 0)
		fail_msg("no line \"%s\" in:\n%s", line, text);
	free(want);
}

static void has_linef(const char *text, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void has_linef(const char *text, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	has_line(text, line);
}

/*
 * The exposition's structure: each family's HELP then TYPE once, its
 * samples right after them, nothing else; returns the families seen.
 */
static size_t check_structure(const char *text, bool om)
{
	char seen[64][80], family[80] = "", type[16] = "";
	const char *p = text, *nl;
	size_t nseen = 0, i;
	bool eof = false;

	while (*p) {
		char line[1024];
		size_t n;

		nl = strchr(p, '\n');
		assert_non_null(nl);
		n = (size_t)(nl - p);
		assert_true(n < sizeof(line));
		memcpy(line, p, n);
		line[n] = '\0';
		p = nl + 1;
		assert_false(eof);
		if (strcmp(line, "# EOF") == 0) {
			assert_true(om);
			eof = true;
		} else if (strncmp(line, "# HELP ", 7) == 0) {
			char name[80];

			assert_int_equal(sscanf(line + 7, "%79s", name), 1);
			for (i = 0; i < nseen; i++)
				if (strcmp(seen[i], name) == 0)
					fail_msg("family %s twice", name);
			assert_true(nseen < N(seen));
			snprintf(seen[nseen++], sizeof(seen[0]), "%s", name);
			snprintf(family, sizeof(family), "%s", name);
			type[0] = '\0';
		} else if (strncmp(line, "# TYPE ", 7) == 0) {
			char name[80];

			assert_int_equal(sscanf(line + 7, "%79s %15s", name, type), 2);
			assert_string_equal(name, family);
			assert_true(strcmp(type, "gauge") == 0 ||
				    strcmp(type, "counter") == 0);
		} else {
			size_t nlen = strcspn(line, "{ ");
			char want[96];

			assert_true(type[0] != '\0');
			snprintf(want, sizeof(want), "%s%s", family,
				 strcmp(type, "counter") == 0 && om ? "_total" : "");
			if (strlen(want) != nlen || strncmp(line, want, nlen) != 0)
				fail_msg("sample \"%s\" outside its family %s", line,
					 family);
		}
	}
	assert_true(eof == om);
	return nseen;
}

/* ---- metrics ------------------------------------------------------------ */

static void test_metrics(void **state)
{
	static const char *const cats[] = {
		"heap", "stack", "arena", "offheap", "anon", "shmem", "file",
	};
	const char *m;
	unsigned int c;

	(void)state;
	fake_reset(answer);
	assert_int_equal(knmt("report", "--once"), CLI_EXIT_OK);
	assert_string_equal(last.err, "");
	assert_int_equal(fake.nrequests, 2);	/* GET_STATUS, DUMP_PROCS */
	m = last.out;
	assert_int_equal(check_structure(m, false), 17);
	has_line(m, "# HELP knmt_up 1 when the knmt module answered the last "
		 "collection, else 0");
	has_line(m, "# TYPE knmt_up gauge");
	has_line(m, "knmt_up 1");
	has_line(m, "# TYPE knmt_module_events_dropped_total counter");
	has_line(m, "knmt_module_events_dropped_total 7");
	has_line(m, "knmt_module_procs_tracked 12");
	has_line(m, "knmt_module_mem_bytes 1572864");
	assert_non_null(strstr(m, "\nknmt_scrape_duration_seconds 0."));
	assert_non_null(strstr(m, "\nknmt_report_timestamp_seconds 1"));
	for (c = 0; c < KNMT_CAT_NR; c++) {
		has_linef(m, "knmt_process_resident_bytes{pid=\"100\",comm=\"alpha\","
			  "cgroup=\"/system.slice/alpha.service\",category=\"%s\"} %" PRIu64,
			  cats[c], resident(1, c));
		has_linef(m, "knmt_process_mapped_bytes{pid=\"200\",comm=\"bravo\","
			  "cgroup=\"/user.slice\",category=\"%s\"} %" PRIu64,
			  cats[c], 2 * resident(3, c) + FAKE_MIB);
		/* the sums of bravo (3) and charlie (2) */
		has_linef(m, "knmt_cgroup_resident_bytes{cgroup=\"/user.slice\","
			  "category=\"%s\"} %" PRIu64, cats[c], resident(5, c));
	}
	has_line(m, "knmt_process_rss_bytes{pid=\"300\",comm=\"charlie\","
		 "cgroup=\"/user.slice\"} 31457280");
	has_line(m, "knmt_process_kernel_bytes{pid=\"200\",comm=\"bravo\","
		 "cgroup=\"/user.slice\",kind=\"pagetables\"} 196608");
	has_line(m, "knmt_process_kernel_bytes{pid=\"200\",comm=\"bravo\","
		 "cgroup=\"/user.slice\",kind=\"kstacks\"} 98304");
	has_line(m, "knmt_process_kernel_bytes{pid=\"200\",comm=\"bravo\","
		 "cgroup=\"/user.slice\",kind=\"sockbufs\"} 196608");
	/* alpha sent no socket nest: no sockbufs, no sockets */
	assert_null(strstr(m, "comm=\"alpha\",cgroup=\"/system.slice/alpha.service\","
			   "kind=\"sockbufs\""));
	assert_null(strstr(m, "knmt_process_sockets_open{pid=\"100\""));
	has_line(m, "knmt_process_offheap_live_bytes{pid=\"100\",comm=\"alpha\","
		 "cgroup=\"/system.slice/alpha.service\"} 2097152");
	has_line(m, "knmt_process_sockets_open{pid=\"200\",comm=\"bravo\","
		 "cgroup=\"/user.slice\"} 18");
	has_line(m, "knmt_process_sockets_close_wait{pid=\"200\",comm=\"bravo\","
		 "cgroup=\"/user.slice\"} 1");
	has_linef(m, "knmt_process_native_total_bytes{pid=\"200\",comm=\"bravo\","
		  "cgroup=\"/user.slice\"} %" PRIu64,
		  84 * FAKE_MIB + 3 * 96 * KIB + FAKE_SOCKS_MEM(3));
	has_line(m, "knmt_cgroup_processes{cgroup=\"/user.slice\"} 2");
	has_line(m, "knmt_cgroup_processes{cgroup=\"/system.slice/alpha.service\"} 1");
	has_linef(m, "knmt_cgroup_native_total_bytes{cgroup=\"/user.slice\"} %" PRIu64,
		  140 * FAKE_MIB + 5 * 96 * KIB + FAKE_SOCKS_MEM(3));
	/* the weird name escaped; without a breakdown, no categories */
	assert_non_null(strstr(m, "comm=\"we\\\"ird\\\\na\\nme??\",cgroup=\"\""));
	assert_null(strstr(m, "knmt_process_resident_bytes{pid=\"500\""));
	assert_null(strstr(m, "knmt_process_native_total_bytes{pid=\"500\""));
	has_line(m, "knmt_cgroup_processes{cgroup=\"\"} 1");
	assert_null(strstr(m, "# EOF"));
}

static void test_metrics_promtool(void **state)
{
	char path[160], cmd[320];
	int rc;

	(void)state;
	if (system("command -v promtool >/dev/null 2>&1") != 0) {
		skip();	/* promtool: Debian's prometheus package */
		return;
	}
	fake_reset(answer);
	assert_int_equal(knmt("report", "--once"), CLI_EXIT_OK);
	snprintf(path, sizeof(path), "%s/metrics.txt", tmp);
	write_file(path, last.out);
	snprintf(cmd, sizeof(cmd), "promtool check metrics < '%s' >&2", path);
	rc = system(cmd);
	if (rc != 0)
		fail_msg("promtool check metrics refused:\n%s", last.out);
}

static void test_metrics_openmetrics(void **state)
{
	struct knmt_proc_info p = { 0 };
	char *cg[1] = { (char *)"/a\"b" };
	struct report_view v = {
		.up = true, .procs = &p, .cgroups = cg, .n = 1,
		.time_ns = UINT64_C(1735689600123456789), .duration_s = 0.25,
	};
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	p.pid = 7;
	snprintf(p.comm, sizeof(p.comm), "x");
	p.present = KNMT_BIT(KNMT_A_PROC_RSS_ANON);
	p.rss_anon = 4096;
	v.st.events_dropped = 3;
	assert_int_equal(report_view_cgroups(&v), 0);
	f = open_memstream(&text, &len);
	assert_int_equal(report_metrics(f, &v, true), 0);
	fclose(f);
	check_structure(text, true);
	has_line(text, "# TYPE knmt_module_events_dropped counter");
	has_line(text, "# HELP knmt_module_events_dropped Events the knmt module "
		 "could not deliver");
	has_line(text, "knmt_module_events_dropped_total 3");
	has_line(text, "knmt_scrape_duration_seconds 0.250000");
	has_line(text, "knmt_report_timestamp_seconds 1735689600.123");
	has_line(text, "knmt_process_rss_bytes{pid=\"7\",comm=\"x\",cgroup=\"/a\\\"b\"} 4096");
	has_line(text, "knmt_cgroup_processes{cgroup=\"/a\\\"b\"} 1");
	assert_true(len > 6 && strcmp(text + len - 6, "# EOF\n") == 0);
	free(text);
	free(v.cgs);

	/* down: knmt_up 0 and nothing of the module */
	v = (struct report_view){ .up = false };
	text = NULL;
	f = open_memstream(&text, &len);
	assert_int_equal(report_metrics(f, &v, false), 0);
	fclose(f);
	assert_int_equal(check_structure(text, false), 3);
	has_line(text, "knmt_up 0");
	assert_null(strstr(text, "knmt_module"));
	free(text);
}

static void test_label_values(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "plain", "plain" },
		{ "a\"b", "a\\\"b" },
		{ "back\\slash", "back\\\\slash" },
		{ "new\nline", "new\\nline" },
		{ "tab\there\r\x7f", "tab?here??" },
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
		{ "bad\xff\xfe", "bad??" },
		{ "overlong\xc0\xaf", "overlong??" },
		{ "cut\xe2\x82", "cut??" },
		{ "surrogate\xed\xa0\x80", "surrogate???" },
		{ "", "" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		report_label_value(f, cases[i].in);
		fclose(f);
		if (strcmp(buf, cases[i].out) != 0)
			fail_msg("\"%s\": got \"%s\", want \"%s\"", cases[i].in, buf,
				 cases[i].out);
		free(buf);
	}
}

/* ---- report files ----------------------------------------------------------- */

static void test_report_files(void **state)
{
	struct json_object *root, *p, *g;
	char path[192];
	char *text;

	(void)state;
	fake_reset(answer);
	assert_int_equal(knmt("report", "--once", "--dir", dir), CLI_EXIT_OK);
	assert_int_equal(knmt("report", "--once", "--dir", dir, "--interval", "5s"),
			 CLI_EXIT_OK);
	snprintf(path, sizeof(path), "%s/knmt-report.jsonl", dir);
	text = read_all(path);
	assert_non_null(text);
	assert_int_equal(count_lines(text), 2);
	/* the second line */
	root = json_tokener_parse(strchr(text, '\n') + 1);
	assert_non_null(root);
	check_type(root, "time", json_type_string);
	check_type(root, "host", json_type_string);
	check_type(root, "boot_id", json_type_string);
	assert_true(json_object_get_double(at(root, "interval_s")) == 5.0);
	check_type(root, "duration_s", json_type_double);
	assert_true(json_object_get_boolean(at(root, "up")));
	check_type(root, "error", json_type_null);
	assert_int_equal(int_at(root, "module.procs_tracked"), 12);
	assert_int_equal(int_at(root, "module.events_dropped"), 7);
	assert_int_equal(int_at(root, "module.mem_bytes"), 1572864);
	/* the processes of knmt summary --json, largest first, with cgroup */
	assert_int_equal(json_object_array_length(at(root, "processes")), 4);
	p = json_object_array_get_idx(at(root, "processes"), 0);
	assert_int_equal(int_at(p, "pid"), 200);
	assert_int_equal(nkeys(p), 15);
	assert_string_equal(str_at(p, "cgroup"), "/user.slice");
	assert_int_equal(int_at(p, "sockets.open"), 18);
	assert_true((uint64_t)int_at(p, "categories.offheap.resident_bytes") ==
		    resident(3, KNMT_CAT_OFFHEAP));
	p = json_object_array_get_idx(at(root, "processes"), 3);
	assert_int_equal(int_at(p, "pid"), 500);
	check_type(p, "cgroup", json_type_null);
	assert_string_equal(str_at(p, "comm"), WEIRD_COMM);
	assert_int_equal(int_at(root, "totals.processes"), 4);
	/* per cgroup, by path (unknown first) */
	assert_int_equal(json_object_array_length(at(root, "cgroups")), 3);
	g = json_object_array_get_idx(at(root, "cgroups"), 0);
	check_type(g, "cgroup", json_type_null);
	g = json_object_array_get_idx(at(root, "cgroups"), 2);
	assert_string_equal(str_at(g, "cgroup"), "/user.slice");
	assert_int_equal(int_at(g, "processes"), 2);
	assert_true((uint64_t)int_at(g, "categories.heap.resident_bytes") ==
		    resident(5, KNMT_CAT_HEAP));
	assert_true((uint64_t)int_at(g, "categories.heap.mapped_bytes") ==
		    2 * resident(5, KNMT_CAT_HEAP) + 2 * FAKE_MIB);
	assert_true((uint64_t)int_at(g, "kernel.sockbufs_bytes") == FAKE_SOCKS_MEM(3));
	assert_int_equal(int_at(g, "sockets.open"), 18);
	assert_int_equal(int_at(g, "sockets.close_wait"), 1);
	assert_true((uint64_t)int_at(g, "native_total_bytes") ==
		    140 * FAKE_MIB + 5 * 96 * KIB + FAKE_SOCKS_MEM(3));
	json_object_put(root);
	free(text);

	snprintf(path, sizeof(path), "%s/knmt-report.txt", dir);
	text = read_all(path);
	assert_non_null(text);
	assert_true(strncmp(text, "==== ", 5) == 0);
	contains(text, ": 4 processes, native total ");
	contains(text, "\nPID  COMM");
	contains(text, "total of 4");
	contains(text, "\ncgroups:\nCGROUP                       PROCS     RSS   HEAP");
	contains(text, "\n/user.slice                      2  75 MiB  5 MiB");
	/* two reports */
	assert_non_null(strstr(strstr(text, "\n==== ") , "cgroups:"));
	free(text);
}

static void test_report_rotation(void **state)
{
	char path[192], *text;
	int i;

	(void)state;
	fake_reset(answer);
	/* each JSON line is larger than 1K: every report rotates */
	for (i = 0; i < 5; i++)
		assert_int_equal(knmt("report", "--once", "--dir", dir, "--keep", "2",
				      "--max-bytes", "1K"), CLI_EXIT_OK);
	for (i = 0; i <= 3; i++) {
		snprintf(path, sizeof(path), "%s/knmt-report.jsonl%s%.0d", dir,
			 i ? "." : "", i);
		text = read_all(path);
		if (i == 3) {
			assert_null(text);
			continue;
		}
		assert_non_null(text);
		assert_int_equal(count_lines(text), 1);
		free(text);
		snprintf(path, sizeof(path), "%s/knmt-report.txt%s%.0d", dir,
			 i ? "." : "", i);
		assert_int_equal(access(path, F_OK), 0);
	}
	/* large enough: appended */
	assert_int_equal(knmt("report", "--once", "--dir", dir, "--keep", "2",
			      "--max-bytes", "10M"), CLI_EXIT_OK);
	snprintf(path, sizeof(path), "%s/knmt-report.jsonl", dir);
	text = read_all(path);
	assert_int_equal(count_lines(text), 2);
	free(text);
}

static void test_report_file_rotate(void **state)
{
	struct report_file f;
	char path[192], *text;
	int i;

	(void)state;
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(report_file_open(&f, dir, "r.log"), 0);
	/* 4 bytes a record, at most 10 a file: two records each */
	for (i = 0; i < 9; i++) {
		char rec[8];

		snprintf(rec, sizeof(rec), "%03d\n", i);
		assert_int_equal(report_file_write(&f, rec, 4, 10, 3), 0);
	}
	report_file_close(&f);
	/* r.log: 8; .1: 6 7; .2: 4 5; .3: 2 3; 0 1 are gone */
	snprintf(path, sizeof(path), "%s/r.log", dir);
	text = read_all(path);
	assert_string_equal(text, "008\n");
	free(text);
	for (i = 1; i <= 3; i++) {
		char want[16];

		snprintf(path, sizeof(path), "%s/r.log.%d", dir, i);
		text = read_all(path);
		snprintf(want, sizeof(want), "%03d\n%03d\n", 8 - 2 * i, 9 - 2 * i);
		assert_non_null(text);
		assert_string_equal(text, want);
		free(text);
	}
	snprintf(path, sizeof(path), "%s/r.log.4", dir);
	assert_int_equal(access(path, F_OK), -1);

	/* keep 0: the file starts over */
	assert_int_equal(report_file_open(&f, dir, "z.log"), 0);
	assert_int_equal(report_file_write(&f, "aaaaaaaa\n", 9, 10, 0), 0);
	assert_int_equal(report_file_write(&f, "bbbbbbbb\n", 9, 10, 0), 0);
	/* a record larger than the limit is still written whole */
	assert_int_equal(report_file_write(&f, "ccccccccccccccc\n", 16, 10, 0), 0);
	report_file_close(&f);
	snprintf(path, sizeof(path), "%s/z.log", dir);
	text = read_all(path);
	assert_string_equal(text, "ccccccccccccccc\n");
	free(text);
	snprintf(path, sizeof(path), "%s/z.log.1", dir);
	assert_int_equal(access(path, F_OK), -1);

	/* reopened after an outside rotation */
	assert_int_equal(report_file_open(&f, dir, "y.log"), 0);
	assert_int_equal(report_file_write(&f, "one\n", 4, 100, 1), 0);
	snprintf(path, sizeof(path), "%s/y.log", dir);
	{
		char moved[200];

		snprintf(moved, sizeof(moved), "%s/y.log.old", dir);
		assert_int_equal(rename(path, moved), 0);
	}
	assert_int_equal(report_file_reopen(&f), 0);
	assert_int_equal(report_file_write(&f, "two\n", 4, 100, 1), 0);
	report_file_close(&f);
	text = read_all(path);
	assert_string_equal(text, "two\n");
	free(text);
}

/* ---- settings ---------------------------------------------------------- */

static void test_config_file(void **state)
{
	struct report_cfg c;
	char why[512];
	size_t i;
	static const struct { const char *text, *why; } bad[] = {
		{ "interval = soon\n", ":1: interval: 'soon' is not a duration" },
		{ "# ok\n\ninterval = 50ms\n", ":3: interval: '50ms'" },
		{ "listen = 9464\n", ":1: '9464' is not ADDR:PORT" },
		{ "listen = 127.0.0.1:65536\n", "is not ADDR:PORT" },
		{ "listen = [::1]9464\n", "is not ADDR:PORT" },
		{ "keep = -1\n", ":1: keep: '-1' is not a count" },
		{ "keep = 1001\n", "keep: '1001'" },
		{ "max_bytes = 100\n", "max_bytes: '100' is not a size of at least 1K" },
		{ "colour = blue\n", ":1: unknown setting 'colour'" },
		{ "[report]\ninterval 5s\n", ":2: not 'key = value': interval 5s" },
		{ "[other]\n", ":1: unknown section [other]" },
	};

	(void)state;
	write_file(conf,
		   "# knmt report settings\n"
		   "; another comment\n"
		   "\n"
		   "[report]\n"
		   "  interval = 1m30s  \n"
		   "dir=\"/var/log/knmt reports\"\n"
		   "listen = [::1]:9100\n"
		   "keep = 0\n"
		   "max-bytes = 64KiB\n");
	report_cfg_init(&c);
	assert_int_equal(report_cfg_read(&c, conf, why, sizeof(why)), 0);
	assert_true(c.interval_ns == UINT64_C(90000000000));
	assert_string_equal(c.dir, "/var/log/knmt reports");
	assert_string_equal(c.listen, "[::1]:9100");
	assert_int_equal(c.addr.ss_family, AF_INET6);
	assert_int_equal(ntohs(((struct sockaddr_in6 *)&c.addr)->sin6_port), 9100);
	assert_int_equal(c.keep, 0);
	assert_int_equal(c.max_bytes, 64 * 1024);
	assert_int_equal(c.set, RS_INTERVAL | RS_DIR | RS_LISTEN | RS_KEEP |
			 RS_MAX_BYTES);
	report_cfg_free(&c);

	/* the defaults; none and off */
	report_cfg_init(&c);
	assert_true(c.interval_ns == REPORT_DEFAULT_INTERVAL_NS);
	assert_null(c.dir);
	assert_string_equal(c.listen, "127.0.0.1:9464");
	assert_int_equal(c.addr.ss_family, AF_INET);
	assert_int_equal(c.keep, 5);
	assert_int_equal(c.max_bytes, 10 << 20);
	write_file(conf, "listen = none\ndir = off\n");
	assert_int_equal(report_cfg_read(&c, conf, why, sizeof(why)), 0);
	assert_null(c.listen);
	assert_null(c.dir);
	assert_int_equal(report_cfg_set(&c, "listen", "localhost:0", why, sizeof(why)), 0);
	assert_int_equal(ntohl(((struct sockaddr_in *)&c.addr)->sin_addr.s_addr),
			 INADDR_LOOPBACK);
	report_cfg_free(&c);

	for (i = 0; i < N(bad); i++) {
		report_cfg_init(&c);
		write_file(conf, bad[i].text);
		assert_int_equal(report_cfg_read(&c, conf, why, sizeof(why)), -1);
		if (!strstr(why, bad[i].why))
			fail_msg("%s: expected \"%s\" in \"%s\"", bad[i].text,
				 bad[i].why, why);
		assert_true(strncmp(why, conf, strlen(conf)) == 0);
		report_cfg_free(&c);
	}
	report_cfg_init(&c);
	assert_int_equal(report_cfg_read(&c, "/nonexistent.conf", why, sizeof(why)), -1);
	assert_string_equal(why, "/nonexistent.conf: No such file or directory");
	report_cfg_free(&c);
}

/* packaging/knmt-report.conf: valid, the defaults but dir */
static void test_packaged_config(void **state)
{
	struct report_cfg c;
	char path[512], why[512];
	const char *slash = strrchr(__FILE__, '/');

	(void)state;
	snprintf(path, sizeof(path), "%.*s/../../packaging/knmt-report.conf",
		 slash ? (int)(slash - __FILE__) : 1, slash ? __FILE__ : ".");
	report_cfg_init(&c);
	if (report_cfg_read(&c, path, why, sizeof(why)) < 0)
		fail_msg("%s", why);
	assert_int_equal(c.set, RS_DIR);
	assert_string_equal(c.dir, "/var/log/knmt");
	assert_string_equal(c.listen, REPORT_DEFAULT_LISTEN);
	report_cfg_free(&c);
}

static void test_config_command_line(void **state)
{
	char other[192], path[256];

	(void)state;
	fake_reset(answer);
	snprintf(other, sizeof(other), "%s/elsewhere", tmp);
	/* the file says where; the command line wins */
	snprintf(path, sizeof(path), "dir = %s\nkeep = 1\nmax_bytes = 1K\n", other);
	write_file(conf, path);
	assert_int_equal(knmt("report", "--once", "--config", conf, "--dir", dir),
			 CLI_EXIT_OK);
	snprintf(path, sizeof(path), "%s/knmt-report.jsonl", dir);
	assert_int_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/knmt-report.jsonl", other);
	assert_int_equal(access(path, F_OK), -1);
	/* and what it does not say comes from the file: keep 1, 1K */
	assert_int_equal(knmt("report", "--once", "--config", conf, "--dir", dir),
			 CLI_EXIT_OK);
	assert_int_equal(knmt("report", "--once", "--config", conf, "--dir", dir),
			 CLI_EXIT_OK);
	snprintf(path, sizeof(path), "%s/knmt-report.jsonl.1", dir);
	assert_int_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/knmt-report.jsonl.2", dir);
	assert_int_equal(access(path, F_OK), -1);
	/* without --dir: the file's */
	assert_int_equal(knmt("report", "--once", "--config", conf), CLI_EXIT_OK);
	snprintf(path, sizeof(path), "%s/knmt-report.jsonl", other);
	assert_int_equal(access(path, F_OK), 0);

	/* a bad file is a usage error; a missing one a runtime error */
	write_file(conf, "interval = forever\n");
	assert_int_equal(knmt("report", "--once", "--config", conf), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "report.conf:1: interval: 'forever'"));
	assert_int_equal(knmt("report", "--once", "--config", "/nonexistent.conf"),
			 CLI_EXIT_RUNTIME);
	assert_string_equal(last.err, "knmt report: /nonexistent.conf: No such file "
			    "or directory\n");
}

static void test_report_usage(void **state)
{
	static const char *const bad[][3] = {
		{ "--interval", "0s", NULL },
		{ "--interval", "50ms", NULL },
		{ "--interval", "2d", NULL },
		{ "--interval", "1.5s", NULL },
		{ "--interval", NULL, NULL },
		{ "--listen", "9464", NULL },
		{ "--listen", "127.0.0.1:99999", NULL },
		{ "--listen", "example.org:80", NULL },
		{ "--listen", ":9464", NULL },
		{ "--keep", "-1", NULL },
		{ "--keep", "x", NULL },
		{ "--max-bytes", "10", NULL },
		{ "--max-bytes", "1Q", NULL },
		{ "--bogus", NULL, NULL },
		{ "--once", "extra", NULL },
	};
	size_t i;

	(void)state;
	fake_reset(answer);
	for (i = 0; i < N(bad); i++) {
		int rc = knmt_with(fake_knmt_open, "report", bad[i][0], bad[i][1],
				   bad[i][2]);

		if (rc != CLI_EXIT_USAGE)
			fail_msg("knmt report %s %s: exit %d, not 2", bad[i][0],
				 bad[i][1] ? bad[i][1] : "", rc);
		assert_non_null(strstr(last.err, "Usage: knmt report [--interval DURATION]"));
	}
	assert_int_equal(knmt("report", "--interval", "soon"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "knmt report: interval: 'soon' is not a "
			       "duration from 100ms to 1d"));
	/* a daemon with nowhere to put anything */
	assert_int_equal(knmt("report", "--listen", "none"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "nothing to do"));
	/* its formats are fixed: -j before or after report is refused */
	assert_int_equal(knmt("-j", "report", "--once"), CLI_EXIT_USAGE);
	assert_string_equal(last.out, "");
	assert_non_null(strstr(last.err, "knmt report: writes JSON lines and Prometheus "
			       "metrics already; -j/--json has no meaning here\n"
			       "Usage: knmt report [--interval DURATION]"));
	assert_int_equal(knmt("report", "--once", "--json"), CLI_EXIT_USAGE);
	assert_string_equal(last.out, "");
	assert_non_null(strstr(last.err, "; -j/--json has no meaning here\n"));
	assert_int_equal(knmt("report", "-j", "--dir", dir), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "; -j/--json has no meaning here\n"));
	assert_int_equal(access(dir, F_OK), -1);
	assert_int_equal(fake.nrequests, 0);
	assert_int_equal(knmt("report", "--help"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "Usage: knmt report [--interval DURATION] "
			       "[--dir DIR] [--listen ADDR:PORT]"));
}

static void test_report_not_loaded(void **state)
{
	struct json_object *root;
	char path[192], *text;

	(void)state;
	assert_int_equal(knmt_with(fake_knmt_open_not_loaded, "report", "--once",
				   "--dir", dir, (char *)NULL), CLI_EXIT_NOT_LOADED);
	assert_non_null(strstr(last.err, "knmt report: the knmt kernel module is "
			       "not loaded"));
	has_line(last.out, "knmt_up 0");
	assert_null(strstr(last.out, "knmt_process"));
	snprintf(path, sizeof(path), "%s/knmt-report.jsonl", dir);
	text = read_all(path);
	assert_non_null(text);
	root = json_tokener_parse(text);
	assert_false(json_object_get_boolean(at(root, "up")));
	assert_non_null(strstr(str_at(root, "error"), "not loaded"));
	assert_int_equal(json_object_array_length(at(root, "processes")), 0);
	check_type(root, "totals", json_type_null);
	check_type(root, "module.procs_tracked", json_type_null);
	json_object_put(root);
	free(text);
	snprintf(path, sizeof(path), "%s/knmt-report.txt", dir);
	text = read_all(path);
	assert_non_null(strstr(text, ": no view: the knmt kernel module is not loaded"));
	free(text);
}

/* ---- HTTP ------------------------------------------------------------------- */

/* "GET PATH" with extra headers; the whole answer (free() it). */
static char *http_get(unsigned int port, const char *method, const char *path,
		      const char *headers)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons((uint16_t)port) };
	char req[512], buf[4096];
	char *out = NULL;
	size_t len = 0;
	ssize_t n;
	FILE *m;
	int fd;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	snprintf(req, sizeof(req), "%s %s HTTP/1.1\r\nHost: localhost\r\n"
		 "Connection: close\r\n%s\r\n", method, path, headers);
	assert_int_equal(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	m = open_memstream(&out, &len);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, m);
	fclose(m);
	close(fd);
	return out;
}

static void test_http(void **state)
{
	struct report_http *h, *h2;
	struct sockaddr_storage sa;
	socklen_t sl;
	char why[256], *r;
	unsigned int port;

	(void)state;
	assert_int_equal(report_parse_listen("127.0.0.1:0", &sa, &sl, why,
					     sizeof(why)), 0);
	assert_int_equal(report_http_start(&h, (struct sockaddr *)&sa, sl, why,
					   sizeof(why)), 0);
	port = report_http_port(h);
	assert_true(port > 0);

	r = http_get(port, "GET", "/metrics", "");
	assert_true(strncmp(r, "HTTP/1.1 503", 12) == 0);
	free(r);
	report_http_publish(h, strdup("knmt_up 1\n"),
			    strdup("knmt_up 1\n# EOF\n"));
	r = http_get(port, "GET", "/metrics", "");
	assert_true(strncmp(r, "HTTP/1.1 200 OK\r\n", 17) == 0);
	assert_non_null(strstr(r, "Content-Type: text/plain; version=0.0.4; "
			       "charset=utf-8\r\n"));
	assert_non_null(strstr(r, "\r\n\r\nknmt_up 1\n"));
	assert_null(strstr(r, "# EOF"));
	free(r);
	r = http_get(port, "GET", "/metrics", "Accept: application/openmetrics-"
		     "text;version=1.0.0,text/plain;version=0.0.4;q=0.5\r\n");
	assert_non_null(strstr(r, "Content-Type: application/openmetrics-text; "
			       "version=1.0.0; charset=utf-8\r\n"));
	assert_non_null(strstr(r, "\r\n\r\nknmt_up 1\n# EOF\n"));
	free(r);
	r = http_get(port, "HEAD", "/metrics", "");
	assert_true(strncmp(r, "HTTP/1.1 200 OK\r\n", 17) == 0);
	assert_null(strstr(r, "knmt_up"));
	free(r);
	r = http_get(port, "GET", "/", "");
	assert_non_null(strstr(r, "the metrics are at /metrics"));
	free(r);
	r = http_get(port, "GET", "/other", "");
	assert_true(strncmp(r, "HTTP/1.1 404", 12) == 0);
	free(r);
	r = http_get(port, "POST", "/metrics", "Content-Length: 0\r\n");
	assert_true(strncmp(r, "HTTP/1.1 405", 12) == 0);
	assert_non_null(strstr(r, "Allow: GET, HEAD\r\n"));
	free(r);

	/* the port is taken: a second server cannot have it */
	((struct sockaddr_in *)&sa)->sin_port = htons((uint16_t)port);
	assert_int_equal(report_http_start(&h2, (struct sockaddr *)&sa, sl, why,
					   sizeof(why)), -1);
	assert_null(h2);
	assert_non_null(strstr(why, "in use"));
	report_http_stop(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_metrics, teardown),
		cmocka_unit_test_teardown(test_metrics_promtool, teardown),
		cmocka_unit_test_teardown(test_metrics_openmetrics, teardown),
		cmocka_unit_test_teardown(test_label_values, teardown),
		cmocka_unit_test_teardown(test_report_files, teardown),
		cmocka_unit_test_teardown(test_report_rotation, teardown),
		cmocka_unit_test_teardown(test_report_file_rotate, teardown),
		cmocka_unit_test_teardown(test_config_file, teardown),
		cmocka_unit_test_teardown(test_packaged_config, teardown),
		cmocka_unit_test_teardown(test_config_command_line, teardown),
		cmocka_unit_test_teardown(test_report_usage, teardown),
		cmocka_unit_test_teardown(test_report_not_loaded, teardown),
		cmocka_unit_test_teardown(test_http, teardown),
	};

	return cmocka_run_group_tests_name("cli_report", tests, setup, cleanup);
}
