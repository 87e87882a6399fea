// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt timeline and the recording file: reading it (complete, a last
 * line cut short, a bad line, foreign and newer files), the CSV exactly,
 * the JSON value by value (and against the CSV), the SVG's structure
 * (the series, axes, legend, title), the HTML page, the text, usage
 * errors.  The module is not involved.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "chart.h"
#include "cli_harness.h"
#include "recording.h"

static char dir[64], file[128], out[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/knmt-test-timeline.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/rec.jsonl", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cli_run_free();
	unlink(file);
	unlink(out);
	rmdir(dir);
	return 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

#define HEADER \
	"{\"record\":\"header\",\"format\":\"knmt-record\",\"version\":1," \
	"\"host\":\"knmt-vm\",\"boot_id\":\"0f1e2d3c-0000-4000-8000-123456789abc\"," \
	"\"start_time\":\"2026-11-26T17:30:01.000Z\",\"start_boot_ns\":5000000000," \
	"\"interval_ns\":1000000000,\"duration_ns\":null," \
	"\"selection\":{\"all\":true,\"pids\":[]}," \
	"\"events\":{\"recorded\":true,\"note\":null}," \
	"\"knmt_version\":\"0.1.0\",\"module_version\":\"0.1.0\",\"kernel\":\"6.1.0-56-amd64\"}\n"

/* A sample of pid at second t: category c resident (c + 1) MiB x k, ... */
static void sample(char *buf, size_t len, uint32_t pid, const char *comm,
		   unsigned int t, uint64_t k)
{
	const uint64_t mib = UINT64_C(1) << 20;

	snprintf(buf, len,
		 "{\"record\":\"sample\",\"time\":\"2026-11-26T17:30:%02u.000Z\","
		 "\"elapsed_ns\":%u000000123,\"pid\":%" PRIu32 ","
		 "\"start_time\":\"2026-11-26T17:00:00.000Z\",\"comm\":\"%s\",\"flags\":[],"
		 "\"categories\":{"
		 "\"heap\":{\"mapped_bytes\":%" PRIu64 ",\"resident_bytes\":%" PRIu64 "},"
		 "\"stack\":{\"mapped_bytes\":%" PRIu64 ",\"resident_bytes\":%" PRIu64 "},"
		 "\"arena\":{\"mapped_bytes\":%" PRIu64 ",\"resident_bytes\":%" PRIu64 "},"
		 "\"offheap\":{\"mapped_bytes\":%" PRIu64 ",\"resident_bytes\":%" PRIu64 "},"
		 "\"anon\":{\"mapped_bytes\":%" PRIu64 ",\"resident_bytes\":%" PRIu64 "},"
		 "\"shmem\":{\"mapped_bytes\":0,\"resident_bytes\":0},"
		 "\"file\":{\"mapped_bytes\":%" PRIu64 ",\"resident_bytes\":%" PRIu64 "}},"
		 "\"kernel\":{\"pagetables_bytes\":%" PRIu64 ",\"kstacks_bytes\":%" PRIu64
		 ",\"sockbufs_bytes\":%" PRIu64 "},"
		 "\"rss_bytes\":%" PRIu64 ",\"swap_bytes\":0,\"threads\":%" PRIu64 ","
		 "\"offheap\":{\"live_bytes\":%" PRIu64 ",\"live_count\":%" PRIu64 "},"
		 "\"sockets\":{\"open\":%" PRIu64 ",\"close_wait\":%" PRIu64 "}}\n",
		 1 + t, t, pid, comm,
		 2 * mib * k, 1 * mib * k, 2 * mib * k, 2 * mib * k,
		 6 * mib * k, 3 * mib * k, 8 * mib * k, 4 * mib * k,
		 10 * mib * k, 5 * mib * k, 14 * mib * k, 7 * mib * k,
		 k * 65536, k * 32768, k * 4096,
		 22 * mib * k, 3 * k, 4 * mib * k, 4 * k, 6 * k, k);
}

/* A sample of pid at second t with heap resident only, time null. */
static void small(FILE *f, uint32_t pid, const char *start, const char *comm,
		  unsigned int t, uint64_t heap)
{
	fprintf(f, "{\"record\":\"sample\",\"time\":null,\"elapsed_ns\":%u000000000,"
		"\"pid\":%" PRIu32 ",\"start_time\":\"%s\",\"comm\":\"%s\","
		"\"categories\":{\"heap\":{\"resident_bytes\":%" PRIu64 "}}}\n",
		t, pid, start, comm, heap);
}

/* A recording of pid 4242 growing over 4 rounds and 7 quiet, with a gone
 * line, an event, a trailer; extra is put before the trailer. */
static void write_recording(const char *comm, const char *extra,
			    bool trailer)
{
	char *text = calloc(1, 65536), line[4096];
	unsigned int t;

	assert_non_null(text);
	strcat(text, HEADER);
	for (t = 0; t < 4; t++) {
		sample(line, sizeof(line), 4242, comm, t, t + 1);
		strcat(text, line);
		sample(line, sizeof(line), 7, "quiet", t, 1);
		strcat(text, line);
		if (t == 1)
			strcat(text, "{\"type\":\"lost\",\"seq\":7,\"ring_dropped\":1,\"undelivered\":0}\n"
			       "{\"seq\":7,\"type\":\"mmap\",\"pid\":4242,\"len\":4096}\n");
	}
	strcat(text, "{\"record\":\"gone\",\"time\":\"2026-11-26T17:30:05.000Z\","
	       "\"elapsed_ns\":4000000500,\"pid\":4242,"
	       "\"start_time\":\"2026-11-26T17:00:00.000Z\",\"comm\":\"svc\","
	       "\"reason\":\"exited\"}\n");
	if (extra)
		strcat(text, extra);
	if (trailer)
		strcat(text, "{\"record\":\"trailer\",\"time\":\"2026-11-26T17:30:06.000Z\","
		       "\"elapsed_ns\":5000000000,\"reason\":\"duration\",\"detail\":null,"
		       "\"rounds\":5,\"samples\":8,\"events\":1,\"events_lost\":0,"
		       "\"events_note\":null}\n");
	write_file(file, text);
	free(text);
}

static void read_rec(struct recording *r, int want)
{
	char why[256];
	FILE *f = fopen(file, "r");

	assert_non_null(f);
	assert_int_equal(rec_read(f, r, why, sizeof(why)), want);
	fclose(f);
}

/* ---- reading ----------------------------------------------------------- */

static void test_read_complete(void **state)
{
	const uint64_t mib = UINT64_C(1) << 20;
	struct recording r;
	const struct rec_sample *s;

	(void)state;
	write_recording("svc", NULL, true);
	read_rec(&r, 0);
	assert_int_equal(r.version, 1);
	assert_string_equal(r.host, "knmt-vm");
	assert_string_equal(r.boot_id, "0f1e2d3c-0000-4000-8000-123456789abc");
	assert_string_equal(r.kernel, "6.1.0-56-amd64");
	assert_int_equal(r.interval_ns, 1000000000);
	assert_true(r.all);
	assert_true(r.events_recorded);
	assert_int_equal(r.nsamples, 8);
	assert_int_equal(r.ngone, 1);
	assert_int_equal(r.nevents, 1);
	assert_true(r.stopped);
	assert_string_equal(r.stop_reason, "duration");
	assert_null(r.stop_detail);
	assert_false(r.truncated);
	assert_int_equal(r.lines, 13);

	s = &r.samples[6];	/* pid 4242, t = 3, k = 4 */
	assert_int_equal(s->pid, 4242);
	assert_string_equal(s->comm, "svc");
	assert_string_equal(s->time, "2026-11-26T17:30:04.000Z");
	assert_string_equal(s->start_time, "2026-11-26T17:00:00.000Z");
	assert_int_equal(s->elapsed_ns, 3000000123);
	assert_int_equal(s->vals[REC_RESIDENT + KNMT_CAT_OFFHEAP], 16 * mib);
	assert_int_equal(s->vals[REC_MAPPED + KNMT_CAT_FILE], 56 * mib);
	assert_int_equal(s->vals[REC_PAGETABLES], 4 * 65536);
	assert_int_equal(s->vals[REC_SOCK_OPEN], 24);
	assert_int_equal(s->vals[REC_SOCK_CLOSE_WAIT], 4);
	assert_int_equal(s->present, (UINT64_C(1) << REC_NVALS) - 1);
	assert_int_equal(r.gone[0].pid, 4242);
	assert_string_equal(r.gone[0].reason, "exited");
	assert_int_equal(r.gone[0].elapsed_ns, 4000000500);
	rec_free(&r);
}

/* The recorder killed while writing its last line: the line is dropped. */
static void test_read_truncated(void **state)
{
	struct recording r;
	char line[4096], *text;

	(void)state;
	write_recording("svc", NULL, false);
	text = read_file(file);
	sample(line, sizeof(line), 4242, "svc", 4, 9);
	line[strlen(line) / 2] = '\0';		/* no "\n", half an object */
	text = realloc(text, strlen(text) + strlen(line) + 1);
	assert_non_null(text);
	strcat(text, line);
	write_file(file, text);
	free(text);

	read_rec(&r, 0);
	assert_true(r.truncated);
	assert_int_equal(r.nsamples, 8);
	assert_false(r.stopped);
	rec_free(&r);

	assert_int_equal(knmt("timeline", file), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "the last line was incomplete and is left out\n"));
	assert_non_null(strstr(last.out, "no trailer: the recording is still running, or was cut short\n"));
	assert_int_equal(knmt("timeline", file, "--format", "csv"), CLI_EXIT_OK);
	/* the header and 8 rows */
	{
		size_t n = 0;
		const char *p;

		for (p = last.out; (p = strstr(p, "\r\n")) != NULL; p += 2)
			n++;
		assert_int_equal(n, 9);
	}
}

/* A complete last line without its "\n" is kept. */
static void test_read_last_line_unterminated(void **state)
{
	struct recording r;
	char *text;

	(void)state;
	write_recording("svc", NULL, true);
	text = read_file(file);
	text[strlen(text) - 1] = '\0';
	write_file(file, text);
	free(text);
	read_rec(&r, 0);
	assert_false(r.truncated);
	assert_true(r.stopped);
	rec_free(&r);
}

static void test_read_errors(void **state)
{
	struct recording r;
	char why[256];
	FILE *f;

	(void)state;
	/* a bad line that is not the last one */
	write_recording("svc", "{\"record\":\"sample\",\"pid\":\n", true);
	read_rec(&r, -1);
	rec_free(&r);
	assert_int_equal(knmt("timeline", file), CLI_EXIT_RUNTIME);
	assert_string_equal(last.out, "");
	assert_non_null(strstr(last.err, "rec.jsonl: line 13: not JSON\n"));

	/* not a recording */
	write_file(file, "{\"format\":\"knmt-baseline\",\"version\":1}\n");
	assert_int_equal(knmt("timeline", file), CLI_EXIT_RUNTIME);
	assert_non_null(strstr(last.err, "line 1: not a knmt recording"));
	write_file(file, "hello\n");
	assert_int_equal(knmt("timeline", file), CLI_EXIT_RUNTIME);
	assert_non_null(strstr(last.err, "line 1: not JSON"));
	write_file(file, "");
	assert_int_equal(knmt("timeline", file), CLI_EXIT_RUNTIME);
	assert_non_null(strstr(last.err, "empty file"));
	/* newer */
	write_file(file, "{\"record\":\"header\",\"format\":\"knmt-record\",\"version\":2}\n");
	assert_int_equal(knmt("timeline", file), CLI_EXIT_RUNTIME);
	assert_non_null(strstr(last.err, "format version 2, newer than this knmt reads (1)"));
	/* a sample without its pid */
	write_file(file, HEADER "{\"record\":\"sample\",\"elapsed_ns\":1}\n");
	f = fopen(file, "r");
	assert_non_null(f);
	assert_int_equal(rec_read(f, &r, why, sizeof(why)), -1);
	fclose(f);
	rec_free(&r);
	assert_string_equal(why, "line 2: a sample without its pid or elapsed_ns");
	/* a value of the wrong type */
	write_file(file, HEADER "{\"record\":\"sample\",\"elapsed_ns\":1,\"pid\":3,"
		   "\"kernel\":{\"pagetables_bytes\":\"many\"}}\n");
	assert_int_equal(knmt("timeline", file), CLI_EXIT_RUNTIME);
	assert_non_null(strstr(last.err, "line 2: \"kernel.pagetables_bytes\" is not a byte count or a count"));
	/* no such file */
	assert_int_equal(knmt("timeline", "/nonexistent/rec.jsonl"), CLI_EXIT_RUNTIME);
	assert_string_equal(last.err, "knmt: cannot open /nonexistent/rec.jsonl: No such file or directory\n");
}

/* Lines of newer knmt versions, unknown keys and nulls. */
static void test_read_newer_and_nulls(void **state)
{
	struct recording r;

	(void)state;
	write_file(file, HEADER
		   "{\"record\":\"annotation\",\"text\":\"from the future\"}\n"
		   "{\"record\":\"sample\",\"elapsed_ns\":5,\"pid\":3,\"comm\":\"x\","
		   "\"categories\":{\"heap\":{\"resident_bytes\":null}},\"extra\":[1,2],"
		   "\"kernel\":{\"pagetables_bytes\":18446744073709551615}}\n");
	read_rec(&r, 0);
	assert_int_equal(r.nsamples, 1);
	assert_int_equal(r.samples[0].present, UINT64_C(1) << REC_PAGETABLES);
	assert_true(r.samples[0].vals[REC_PAGETABLES] == UINT64_MAX);
	rec_free(&r);
}

/* ---- csv ------------------------------------------------------------------ */

static void test_csv_exact(void **state)
{
	const char *want =
		"time,elapsed_ns,pid,start_time,comm,heap_bytes,stack_bytes,arena_bytes,"
		"offheap_bytes,anon_bytes,shmem_bytes,file_bytes,pagetables_bytes,"
		"kstacks_bytes,sockbufs_bytes,rss_bytes,sockets_open,sockets_close_wait\r\n"
		"2026-11-26T17:30:01.000Z,123,4242,2026-11-26T17:00:00.000Z,\"a,\"\"b\"\"\","
		"1048576,2097152,3145728,4194304,5242880,0,7340032,65536,32768,4096,23068672,6,1\r\n"
		"2026-11-26T17:30:02.000Z,1000000123,4242,2026-11-26T17:00:00.000Z,\"a,\"\"b\"\"\","
		"2097152,4194304,6291456,8388608,10485760,0,14680064,131072,65536,8192,46137344,12,2\r\n"
		"2026-11-26T17:30:03.000Z,9,3,,x,,,,,,,,18446744073709551615,,,,,\r\n";
	char line[4096], *text = calloc(1, 16384);

	(void)state;
	assert_non_null(text);
	strcat(text, HEADER);
	sample(line, sizeof(line), 4242, "a,\\\"b\\\"", 0, 1);
	strcat(text, line);
	sample(line, sizeof(line), 4242, "a,\\\"b\\\"", 1, 2);
	strcat(text, line);
	/* nothing but a page table size, bigger than 2^63 */
	strcat(text, "{\"record\":\"sample\",\"time\":\"2026-11-26T17:30:03.000Z\","
	       "\"elapsed_ns\":9,\"pid\":3,\"start_time\":null,\"comm\":\"x\","
	       "\"kernel\":{\"pagetables_bytes\":18446744073709551615}}\n");
	write_file(file, text);
	free(text);

	assert_int_equal(knmt("timeline", file, "--format", "csv"), CLI_EXIT_OK);
	assert_string_equal(last.err, "");
	assert_string_equal(last.out, want);
	/* -o writes the same */
	assert_int_equal(knmt("timeline", "-f", "csv", "-o", out, file), CLI_EXIT_OK);
	assert_string_equal(last.out, "");
	text = read_file(out);
	assert_string_equal(text, want);
	free(text);
	/* -p: that process only */
	assert_int_equal(knmt("timeline", file, "-f", "csv", "-p", "3"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "\r\n2026-11-26T17:30:03.000Z,9,3,"));
	assert_null(strstr(last.out, "4242"));
}

/* ---- json ----------------------------------------------------------------- */

static const char *const cat_names[KNMT_CAT_NR] = {
	"heap", "stack", "arena", "offheap", "anon", "shmem", "file",
};

static uint64_t u64_at(struct json_object *o, const char *path)
{
	check_type(o, path, json_type_int);
	return json_object_get_uint64(at(o, path));
}

static void null_at(struct json_object *o, const char *path)
{
	if (at(o, path))
		fail_msg("\"%s\" is %s, not null", path,
			 json_object_to_json_string(at(o, path)));
}

static struct json_object *idx(struct json_object *array, size_t i)
{
	assert_true(json_object_is_type(array, json_type_array));
	assert_true(i < json_object_array_length(array));
	return json_object_array_get_idx(array, i);
}

/* The JSON of a sample() line: every value, its keys and no other. */
static void check_sample(struct json_object *s, uint32_t pid, const char *comm,
			 unsigned int t, uint64_t k)
{
	static const uint64_t mapped[KNMT_CAT_NR] = { 2, 2, 6, 8, 10, 0, 14 };
	static const uint64_t resident[KNMT_CAT_NR] = { 1, 2, 3, 4, 5, 0, 7 };
	const uint64_t mib = UINT64_C(1) << 20;
	char path[64], time[32];
	unsigned int c;

	snprintf(time, sizeof(time), "2026-11-26T17:30:%02u.000Z", 1 + t);
	assert_string_equal(str_at(s, "time"), time);
	assert_true(u64_at(s, "elapsed_ns") == t * UINT64_C(1000000000) + 123);
	assert_true(u64_at(s, "pid") == pid);
	assert_string_equal(str_at(s, "start_time"), "2026-11-26T17:00:00.000Z");
	assert_string_equal(str_at(s, "comm"), comm);
	check_type(s, "flags", json_type_array);
	assert_int_equal(json_object_array_length(at(s, "flags")), 0);
	assert_int_equal(nkeys(at(s, "categories")), KNMT_CAT_NR);
	for (c = 0; c < KNMT_CAT_NR; c++) {
		snprintf(path, sizeof(path), "categories.%s", cat_names[c]);
		assert_int_equal(nkeys(at(s, path)), 2);
		snprintf(path, sizeof(path), "categories.%s.mapped_bytes", cat_names[c]);
		assert_true(u64_at(s, path) == mapped[c] * mib * k);
		snprintf(path, sizeof(path), "categories.%s.resident_bytes", cat_names[c]);
		assert_true(u64_at(s, path) == resident[c] * mib * k);
	}
	assert_int_equal(nkeys(at(s, "kernel")), 3);
	assert_true(u64_at(s, "kernel.pagetables_bytes") == k * 65536);
	assert_true(u64_at(s, "kernel.kstacks_bytes") == k * 32768);
	assert_true(u64_at(s, "kernel.sockbufs_bytes") == k * 4096);
	assert_true(u64_at(s, "rss_bytes") == 22 * mib * k);
	assert_true(u64_at(s, "swap_bytes") == 0);
	assert_true(u64_at(s, "threads") == 3 * k);
	assert_int_equal(nkeys(at(s, "offheap")), 2);
	assert_true(u64_at(s, "offheap.live_bytes") == 4 * mib * k);
	assert_true(u64_at(s, "offheap.live_count") == 4 * k);
	assert_int_equal(nkeys(at(s, "sockets")), 2);
	assert_true(u64_at(s, "sockets.open") == 6 * k);
	assert_true(u64_at(s, "sockets.close_wait") == k);
	/* time elapsed_ns pid start_time comm flags categories kernel
	 * rss_bytes swap_bytes threads offheap sockets: no "record" */
	assert_int_equal(nkeys(s), 13);
}

/* A value of a JSON sample as the CSV writes it: "" for null. */
static const char *csv_text(struct json_object *s, const char *path, char *buf,
			    size_t len)
{
	struct json_object *v = at(s, path);

	if (!v)
		return "";
	if (json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	assert_true(json_object_is_type(v, json_type_int));
	snprintf(buf, len, "%" PRIu64, json_object_get_uint64(v));
	return buf;
}

/*
 * Every row of csv (no field quoted) is one sample of the JSON document
 * root, with the same values; every sample of root is a row.
 */
static void check_same_as_csv(struct json_object *root, const char *csv)
{
	static const char *const paths[] = {
		"time", "elapsed_ns", "pid", "start_time", "comm",
		"categories.heap.resident_bytes", "categories.stack.resident_bytes",
		"categories.arena.resident_bytes", "categories.offheap.resident_bytes",
		"categories.anon.resident_bytes", "categories.shmem.resident_bytes",
		"categories.file.resident_bytes", "kernel.pagetables_bytes",
		"kernel.kstacks_bytes", "kernel.sockbufs_bytes", "rss_bytes",
		"sockets.open", "sockets.close_wait",
	};
	struct json_object *procs = at(root, "processes");
	const char *line = strstr(csv, "\r\n");
	size_t rows = 0, samples = 0, i, j, f;

	assert_non_null(line);
	for (i = 0; i < json_object_array_length(procs); i++)
		samples += json_object_array_length(at(idx(procs, i), "samples"));
	for (line += 2; *line; rows++) {
		const char *end = strstr(line, "\r\n");
		char row[1024], *field[sizeof(paths) / sizeof(paths[0])], *p;
		struct json_object *match = NULL;

		assert_non_null(end);
		assert_true((size_t)(end - line) < sizeof(row));
		memcpy(row, line, (size_t)(end - line));
		row[end - line] = '\0';
		line = end + 2;
		for (f = 0, p = row; f < sizeof(paths) / sizeof(paths[0]); f++) {
			assert_non_null(p);
			field[f] = p;
			p = strchr(p, ',');
			if (p)
				*p++ = '\0';
		}
		assert_null(p);
		/* the sample of that pid, start and time */
		for (i = 0; !match && i < json_object_array_length(procs); i++) {
			struct json_object *ss = at(idx(procs, i), "samples");

			for (j = 0; !match && j < json_object_array_length(ss); j++) {
				struct json_object *s = idx(ss, j);
				char b1[24], b2[24], b3[24];

				if (!strcmp(csv_text(s, "pid", b1, sizeof(b1)), field[2]) &&
				    !strcmp(csv_text(s, "elapsed_ns", b2, sizeof(b2)), field[1]) &&
				    !strcmp(csv_text(s, "start_time", b3, sizeof(b3)), field[3]))
					match = s;
			}
		}
		if (!match)
			fail_msg("no sample in the JSON for the CSV row %s,%s,%s,...",
				 field[0], field[1], field[2]);
		for (f = 0; f < sizeof(paths) / sizeof(paths[0]); f++) {
			char buf[24];
			const char *v = csv_text(match, paths[f], buf, sizeof(buf));

			if (strcmp(v, field[f]) != 0)
				fail_msg("row %zu: %s is \"%s\" in the CSV, \"%s\" in the JSON",
					 rows, paths[f], field[f], v);
		}
	}
	assert_int_equal(rows, samples);
}

static void test_json(void **state)
{
	struct json_object *root, *p, *ss;
	char *first, *text;
	unsigned int t;

	(void)state;
	write_recording("svc", NULL, true);
	assert_int_equal(knmt("timeline", file, "--json"), CLI_EXIT_OK);
	assert_string_equal(last.err, "");
	first = strdup(last.out);
	assert_non_null(first);
	root = parse_out();
	/* the recording */
	assert_string_equal(str_at(root, "file"), file);
	assert_string_equal(str_at(root, "host"), "knmt-vm");
	assert_string_equal(str_at(root, "boot_id"), "0f1e2d3c-0000-4000-8000-123456789abc");
	assert_string_equal(str_at(root, "kernel"), "6.1.0-56-amd64");
	assert_string_equal(str_at(root, "start_time"), "2026-11-26T17:30:01.000Z");
	assert_true(u64_at(root, "interval_ns") == 1000000000);
	assert_true(json_object_get_boolean(at(root, "selection.all")));
	assert_int_equal(json_object_array_length(at(root, "selection.pids")), 0);
	assert_true(json_object_get_boolean(at(root, "events.recorded")));
	null_at(root, "events.note");
	assert_int_equal(int_at(root, "events.count"), 1);
	assert_string_equal(str_at(root, "trailer.time"), "2026-11-26T17:30:06.000Z");
	assert_true(u64_at(root, "trailer.elapsed_ns") == 5000000000);
	assert_string_equal(str_at(root, "trailer.reason"), "duration");
	null_at(root, "trailer.detail");
	check_type(root, "truncated", json_type_boolean);
	assert_false(json_object_get_boolean(at(root, "truncated")));
	assert_int_equal(nkeys(root), 11);
	/* the processes, in the order they first came, each with its samples */
	assert_int_equal(json_object_array_length(at(root, "processes")), 2);
	p = idx(at(root, "processes"), 0);
	assert_int_equal(int_at(p, "pid"), 4242);
	assert_string_equal(str_at(p, "start_time"), "2026-11-26T17:00:00.000Z");
	assert_string_equal(str_at(p, "comm"), "svc");
	assert_string_equal(str_at(p, "gone.time"), "2026-11-26T17:30:05.000Z");
	assert_true(u64_at(p, "gone.elapsed_ns") == 4000000500);
	assert_string_equal(str_at(p, "gone.reason"), "exited");
	assert_int_equal(nkeys(p), 5);
	ss = at(p, "samples");
	assert_int_equal(json_object_array_length(ss), 4);
	for (t = 0; t < 4; t++)
		check_sample(idx(ss, t), 4242, "svc", t, t + 1);
	p = idx(at(root, "processes"), 1);
	assert_int_equal(int_at(p, "pid"), 7);
	assert_string_equal(str_at(p, "comm"), "quiet");
	null_at(p, "gone");
	ss = at(p, "samples");
	assert_int_equal(json_object_array_length(ss), 4);
	for (t = 0; t < 4; t++)
		check_sample(idx(ss, t), 7, "quiet", t, 1);
	/* the same values as the CSV */
	assert_int_equal(knmt("timeline", file, "--format", "csv"), CLI_EXIT_OK);
	check_same_as_csv(root, last.out);
	json_object_put(root);

	/* the same document however asked, to stdout or -o */
	assert_int_equal(knmt("timeline", file, "-j"), CLI_EXIT_OK);
	assert_string_equal(last.out, first);
	assert_int_equal(knmt("-j", "timeline", file), CLI_EXIT_OK);
	assert_string_equal(last.out, first);
	assert_int_equal(knmt("--json", "timeline", "--format", "json", file), CLI_EXIT_OK);
	assert_string_equal(last.out, first);
	assert_int_equal(knmt("timeline", "-f", "json", file), CLI_EXIT_OK);
	assert_string_equal(last.out, first);
	assert_int_equal(knmt("timeline", file, "--json", "-o", out), CLI_EXIT_OK);
	assert_string_equal(last.out, "");
	assert_string_equal(last.err, "");
	text = read_file(out);
	assert_string_equal(text, first);
	free(text);
	free(first);

	/* -p: that process only */
	assert_int_equal(knmt("timeline", file, "--json", "-p", "7"), CLI_EXIT_OK);
	root = parse_out();
	assert_int_equal(json_object_array_length(at(root, "processes")), 1);
	p = idx(at(root, "processes"), 0);
	assert_int_equal(int_at(p, "pid"), 7);
	ss = at(p, "samples");
	assert_int_equal(json_object_array_length(ss), 4);
	for (t = 0; t < 4; t++)
		check_sample(idx(ss, t), 7, "quiet", t, 1);
	assert_null(strstr(last.out, "4242"));
	/* the recording's facts are the same */
	assert_string_equal(str_at(root, "host"), "knmt-vm");
	assert_int_equal(int_at(root, "events.count"), 1);
	json_object_put(root);
	assert_int_equal(knmt("-j", "timeline", file, "-p", "4242", "-o", out), CLI_EXIT_OK);
	text = read_file(out);
	assert_null(strstr(text, "\"quiet\""));
	assert_non_null(strstr(text, "\"comm\": \"svc\""));
	free(text);
	assert_int_equal(knmt("timeline", file, "--json", "-p", "99"), CLI_EXIT_RUNTIME);
	assert_string_equal(last.out, "");
	assert_non_null(strstr(last.err, "has no sample of pid 99\n"));
}

/* Nulls, a value above 2^63, approx, a name to escape, a header of nulls. */
static void test_json_nulls(void **state)
{
	struct json_object *root, *p, *s;
	unsigned int c;
	char path[64];

	(void)state;
	write_file(file,
		   "{\"record\":\"header\",\"format\":\"knmt-record\",\"version\":1,"
		   "\"host\":null,\"selection\":{\"all\":false,\"pids\":[3,9]},"
		   "\"events\":{\"recorded\":false,\"note\":\"not recorded: --no-events\"}}\n"
		   "{\"record\":\"sample\",\"time\":\"2026-11-26T17:30:03.000Z\","
		   "\"elapsed_ns\":9,\"pid\":3,\"start_time\":null,\"comm\":\"x \\\"y\\\"\\\\z\","
		   "\"flags\":[\"approx\"],"
		   "\"categories\":{\"heap\":{\"mapped_bytes\":null,\"resident_bytes\":0}},"
		   "\"kernel\":{\"pagetables_bytes\":18446744073709551615}}\n");
	assert_int_equal(knmt("timeline", file, "--json"), CLI_EXIT_OK);
	root = parse_out();
	null_at(root, "host");
	null_at(root, "boot_id");
	null_at(root, "kernel");
	null_at(root, "start_time");
	assert_true(u64_at(root, "interval_ns") == 0);
	assert_false(json_object_get_boolean(at(root, "selection.all")));
	assert_int_equal(json_object_array_length(at(root, "selection.pids")), 2);
	assert_int_equal(json_object_get_int(idx(at(root, "selection.pids"), 1)), 9);
	assert_false(json_object_get_boolean(at(root, "events.recorded")));
	assert_string_equal(str_at(root, "events.note"), "not recorded: --no-events");
	null_at(root, "events.count");
	/* no trailer: still running, or cut short */
	null_at(root, "trailer");
	assert_int_equal(json_object_array_length(at(root, "processes")), 1);
	p = idx(at(root, "processes"), 0);
	null_at(p, "start_time");
	assert_string_equal(str_at(p, "comm"), "x \"y\"\\z");
	null_at(p, "gone");
	s = idx(at(p, "samples"), 0);
	assert_string_equal(str_at(s, "time"), "2026-11-26T17:30:03.000Z");
	assert_int_equal(int_at(s, "elapsed_ns"), 9);
	null_at(s, "start_time");
	assert_string_equal(json_object_get_string(idx(at(s, "flags"), 0)), "approx");
	assert_true(u64_at(s, "kernel.pagetables_bytes") == UINT64_MAX);
	assert_int_equal(int_at(s, "categories.heap.resident_bytes"), 0);
	null_at(s, "categories.heap.mapped_bytes");
	for (c = 1; c < KNMT_CAT_NR; c++) {
		snprintf(path, sizeof(path), "categories.%s.mapped_bytes", cat_names[c]);
		null_at(s, path);
		snprintf(path, sizeof(path), "categories.%s.resident_bytes", cat_names[c]);
		null_at(s, path);
	}
	null_at(s, "kernel.kstacks_bytes");
	null_at(s, "kernel.sockbufs_bytes");
	null_at(s, "rss_bytes");
	null_at(s, "swap_bytes");
	null_at(s, "threads");
	null_at(s, "offheap.live_bytes");
	null_at(s, "offheap.live_count");
	null_at(s, "sockets.open");
	null_at(s, "sockets.close_wait");
	json_object_put(root);
}

/*
 * A recording where pid 50 runs as "first" (start A) for two samples,
 * exits, and comes back as "second" (start B); the caller adds more.
 */
static FILE *comeback_file(void)
{
	FILE *f = fopen(file, "w");

	assert_non_null(f);
	fputs(HEADER, f);
	small(f, 50, "A", "first", 0, 1 << 20);
	small(f, 50, "A", "first", 1, 2 << 20);
	fputs("{\"record\":\"gone\",\"elapsed_ns\":2000000000,\"pid\":50,"
	      "\"start_time\":\"A\",\"comm\":\"first\",\"reason\":\"exited\"}\n", f);
	small(f, 50, "B", "second", 3, 3 << 20);
	return f;
}

/* A pid that comes back is another process; no sample; a last line cut short. */
static void test_json_processes(void **state)
{
	struct json_object *root, *p;
	char line[4096], *text;
	FILE *f;

	(void)state;
	f = comeback_file();
	small(f, 50, "C", "third", 5, 4 << 20);
	fclose(f);
	assert_int_equal(knmt("timeline", file, "--json", "-p", "50"), CLI_EXIT_OK);
	root = parse_out();
	assert_int_equal(json_object_array_length(at(root, "processes")), 3);
	p = idx(at(root, "processes"), 0);
	assert_string_equal(str_at(p, "start_time"), "A");
	assert_string_equal(str_at(p, "comm"), "first");
	null_at(p, "gone.time");
	assert_true(u64_at(p, "gone.elapsed_ns") == 2000000000);
	assert_string_equal(str_at(p, "gone.reason"), "exited");
	assert_int_equal(json_object_array_length(at(p, "samples")), 2);
	null_at(idx(at(p, "samples"), 1), "time");
	assert_int_equal(int_at(idx(at(p, "samples"), 1), "categories.heap.resident_bytes"),
			 2 << 20);
	p = idx(at(root, "processes"), 1);
	assert_string_equal(str_at(p, "start_time"), "B");
	null_at(p, "gone");
	assert_int_equal(json_object_array_length(at(p, "samples")), 1);
	p = idx(at(root, "processes"), 2);
	assert_string_equal(str_at(p, "start_time"), "C");
	assert_int_equal(int_at(idx(at(p, "samples"), 0), "categories.heap.resident_bytes"),
			 4 << 20);
	assert_int_equal(knmt("timeline", file, "-f", "csv"), CLI_EXIT_OK);
	check_same_as_csv(root, last.out);
	json_object_put(root);

	/* no sample at all: no process */
	write_file(file, HEADER);
	assert_int_equal(knmt("timeline", file, "--json"), CLI_EXIT_OK);
	root = parse_out();
	check_type(root, "processes", json_type_array);
	assert_int_equal(json_object_array_length(at(root, "processes")), 0);
	json_object_put(root);

	/* the last line cut short: left out, and said so */
	write_recording("svc", NULL, false);
	text = read_file(file);
	sample(line, sizeof(line), 4242, "svc", 4, 9);
	line[strlen(line) / 2] = '\0';
	text = realloc(text, strlen(text) + strlen(line) + 1);
	assert_non_null(text);
	strcat(text, line);
	write_file(file, text);
	free(text);
	assert_int_equal(knmt("timeline", file, "--json"), CLI_EXIT_OK);
	root = parse_out();
	assert_true(json_object_get_boolean(at(root, "truncated")));
	null_at(root, "trailer");
	assert_int_equal(json_object_array_length(at(idx(at(root, "processes"), 0),
						     "samples")), 4);
	json_object_put(root);
}

/* ---- svg and html ------------------------------------------------------- */

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay += strlen(needle))
		n++;
	return n;
}

static void check_svg(const char *svg, const char *pid_comm)
{
	unsigned int k;
	char want[128];

	/* the series: every category that has memory, and the kernel's */
	for (k = 0; k < CHART_NSERIES; k++) {
		snprintf(want, sizeof(want), "<path id=\"series-%s\" fill=\"%s\" d=\"M",
			 chart_series[k].name, chart_series[k].color);
		if (k == KNMT_CAT_SHMEM)	/* always 0 here */
			assert_null(strstr(svg, "id=\"series-shmem\""));
		else if (!strstr(svg, want))
			fail_msg("no path %s in\n%s", want, svg);
		snprintf(want, sizeof(want), "<g id=\"legend-%s\">", chart_series[k].name);
		assert_non_null(strstr(svg, want));
	}
	assert_non_null(strstr(svg, "<path id=\"series-sockets\" fill=\"" CHART_SOCKETS_COLOR "\""));
	assert_non_null(strstr(svg, "<path id=\"series-close-wait\" fill=\"none\" stroke=\""
			       CHART_CLOSE_WAIT_COLOR "\""));
	assert_non_null(strstr(svg, "<g id=\"legend-sockets\">"));
	assert_non_null(strstr(svg, "<g id=\"legend-close-wait\">"));
	/* the title names the process */
	snprintf(want, sizeof(want), "<title>knmt timeline: %s</title>", pid_comm);
	assert_non_null(strstr(svg, want));
	snprintf(want, sizeof(want), "font-weight=\"bold\" fill=\"#222222\">%s: native memory over time</text>",
		 pid_comm);
	assert_non_null(strstr(svg, want));
	/* axes with units */
	assert_non_null(strstr(svg, ">resident memory (MiB)</text>"));
	assert_non_null(strstr(svg, ">0 s</text>"));
	assert_non_null(strstr(svg, ">1 s</text>"));
	assert_non_null(strstr(svg, ">4 s</text>"));
	assert_non_null(strstr(svg, ">20 MiB</text>"));
	assert_non_null(strstr(svg, ">100 MiB</text>"));
	assert_non_null(strstr(svg, ">time since the recording started</text>"));
	assert_non_null(strstr(svg, ">open sockets</text>"));
	/* the legend's values are the last sample's: offheap 4 x 4 MiB */
	assert_non_null(strstr(svg, "<g id=\"legend-offheap\"><rect"));
	assert_non_null(strstr(svg, "text-anchor=\"end\">16 MiB</text></g>"));
	/* the span and the end */
	assert_non_null(strstr(svg, "on knmt-vm, from 2026-11-26 17:30:01 UTC for 4.0 s, a sample every 1.0 s"));
	assert_non_null(strstr(svg, "<g id=\"gone\">"));
	assert_non_null(strstr(svg, ">exited</text></g>"));
	/* balanced */
	assert_int_equal(count(svg, "<svg "), 1);
	assert_int_equal(count(svg, "</svg>"), 1);
	assert_int_equal(count(svg, "<g "), count(svg, "</g>"));
	assert_int_equal(count(svg, "<text "), count(svg, "</text>"));
	assert_null(strstr(svg, "<script"));
}

static void test_svg(void **state)
{
	(void)state;
	write_recording("svc", NULL, true);
	assert_int_equal(knmt("timeline", file, "--format", "svg"), CLI_EXIT_OK);
	assert_string_equal(last.err, "");
	assert_true(strncmp(last.out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 44) == 0);
	check_svg(last.out, "pid 4242 (svc)");

	/* the name escaped */
	write_recording("a<b>&amp", NULL, true);
	assert_int_equal(knmt("timeline", file, "-f", "svg"), CLI_EXIT_OK);
	check_svg(last.out, "pid 4242 (a&lt;b&gt;&amp;amp)");

	/* -p: another process; none of that pid */
	assert_int_equal(knmt("timeline", file, "-f", "svg", "-p", "7"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "<title>knmt timeline: pid 7 (quiet)</title>"));
	assert_null(strstr(last.out, "<g id=\"gone\">"));
	assert_int_equal(knmt("timeline", file, "-f", "svg", "-p", "99"), CLI_EXIT_RUNTIME);
	assert_string_equal(last.out, "");
	assert_non_null(strstr(last.err, "has no sample of pid 99\n"));
	/* a file without samples has nothing to chart */
	write_file(file, HEADER);
	assert_int_equal(knmt("timeline", file, "-f", "svg"), CLI_EXIT_RUNTIME);
	assert_non_null(strstr(last.err, "has no sample to chart\n"));
}

static void test_html(void **state)
{
	const char *svg;

	(void)state;
	write_recording("svc", NULL, true);
	assert_int_equal(knmt("timeline", file, "--format", "html", "-o", out), CLI_EXIT_OK);
	assert_string_equal(last.out, "");
	assert_string_equal(last.err, "");
	{
		char *html = read_file(out);

		assert_true(strncmp(html, "<!DOCTYPE html>\n<html lang=\"en\">\n", 33) == 0);
		assert_non_null(strstr(html, "<meta charset=\"utf-8\">"));
		assert_non_null(strstr(html, "<title>knmt timeline: pid 4242 (svc)</title>"));
		svg = strstr(html, "<svg ");
		assert_non_null(svg);
		check_svg(svg, "pid 4242 (svc)");
		/* standalone: nothing fetched, no script */
		assert_null(strstr(html, "<script"));
		assert_null(strstr(html, "src="));
		assert_null(strstr(html, "href"));
		assert_null(strstr(html, "url("));
		assert_int_equal(count(html, "http"), 1);	/* the SVG namespace */
		assert_non_null(strstr(html, "</html>\n"));
		/* the table of changes: offheap 4 MiB -> 16 MiB */
		assert_non_null(strstr(html, "<td>offheap</td><td>4 MiB</td><td>16 MiB</td><td>+12 MiB</td>"));
		free(html);
	}
}

/* One sample only, no sockets: still a chart, over one interval. */
static void test_svg_one_sample(void **state)
{
	(void)state;
	write_file(file, HEADER
		   "{\"record\":\"sample\",\"time\":\"2026-11-26T17:30:01.000Z\",\"elapsed_ns\":0,"
		   "\"pid\":5,\"comm\":\"one\",\"categories\":{\"heap\":{\"resident_bytes\":3000000000}}}\n");
	assert_int_equal(knmt("timeline", file, "-f", "svg"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "<path id=\"series-heap\""));
	assert_null(strstr(last.out, "series-sockets"));
	assert_non_null(strstr(last.out, ">sockets not tracked</text>"));
	assert_non_null(strstr(last.out, " GiB</text>"));
	assert_non_null(strstr(last.out, ">resident memory (GiB)</text>"));
}

/* ---- text ------------------------------------------------------------------ */

static void test_text(void **state)
{
	(void)state;
	write_recording("svc", NULL, true);
	assert_int_equal(knmt("timeline", file), CLI_EXIT_OK);
	assert_string_equal(last.err, "");
	assert_true(strncmp(last.out,
		"recording ", 10) == 0);
	assert_non_null(strstr(last.out,
		": on knmt-vm, from 2026-11-26 17:30:01 UTC, a sample every 1.0 s\n"
		"stopped after 5.0 s: duration\n"
		"events: 1\n"
		"\n"
		"pid 4242 (svc): 4 samples from 0.0 s to 3.0 s; exited at 4.0 s\n"
		"native total 22.1 MiB -> 88.4 MiB (+66.3 MiB); grew most: file +21 MiB, anon +15 MiB\n"
		"rss at the end 88 MiB\n"
		"TIME    HEAP  STACK   ARENA  OFFHEAP    ANON    FILE   KERNEL     TOTAL  SOCK  GROWTH\n"
		"0.0 s  1 MiB  2 MiB   3 MiB    4 MiB   5 MiB   7 MiB  100 KiB  22.1 MiB     6  ####\n"
		"1.0 s  2 MiB  4 MiB   6 MiB    8 MiB  10 MiB  14 MiB  200 KiB  44.2 MiB    12  ########\n"
		"2.0 s  3 MiB  6 MiB   9 MiB   12 MiB  15 MiB  21 MiB  300 KiB  66.3 MiB    18  ############\n"
		"3.0 s  4 MiB  8 MiB  12 MiB   16 MiB  20 MiB  28 MiB  400 KiB  88.4 MiB    24  ################\n"
		"\n"
		"pid 7 (quiet): 4 samples from 0.0 s to 3.0 s\n"
		"native total 22.1 MiB -> 22.1 MiB (0 B)\n"));
	/* shmem, 0 all along, has no column */
	assert_null(strstr(last.out, "SHMEM"));
	/* -p */
	assert_int_equal(knmt("timeline", "-p", "7", file), CLI_EXIT_OK);
	assert_null(strstr(last.out, "pid 4242"));
	assert_non_null(strstr(last.out, "pid 7 (quiet)"));
	assert_int_equal(knmt("timeline", "-p", "8", file), CLI_EXIT_RUNTIME);
}

/* ---- processes --------------------------------------------------------------- */

/* A pid that exits and comes back, or comes back with another start. */
static void test_processes(void **state)
{
	FILE *f;

	(void)state;
	f = comeback_file();
	small(f, 50, "B", "second", 4, 3 << 20);
	small(f, 50, "C", "third", 5, 4 << 20);
	fclose(f);

	assert_int_equal(knmt("timeline", file), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "\npid 50 (first): 2 samples from 0.0 s to 1.0 s; exited at 2.0 s\n"));
	assert_non_null(strstr(last.out, "\npid 50 (second): 2 samples from 3.0 s to 4.0 s\n"));
	assert_non_null(strstr(last.out, "\npid 50 (third): 1 sample from 5.0 s to 5.0 s\n"));
	/* the chart: the first process of the pid */
	assert_int_equal(knmt("timeline", file, "-f", "svg", "-p", "50"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "<title>knmt timeline: pid 50 (first)</title>"));
	assert_non_null(strstr(last.out, ">exited</text></g>"));
	assert_int_equal(knmt("timeline", file, "-f", "svg"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "<title>knmt timeline: pid 50 (first)</title>"));
	/* CSV: every sample, in order */
	assert_int_equal(knmt("timeline", file, "-f", "csv", "-p", "50"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, ",first,1048576,"));
	assert_non_null(strstr(last.out, ",third,4194304,"));
}

/* 200 processes x 500 rounds: linear, and the text thinned. */
static void test_many(void **state)
{
	unsigned int t, p;
	size_t rows = 0;
	const char *c;
	FILE *f;

	(void)state;
	f = fopen(file, "w");
	assert_non_null(f);
	fputs(HEADER, f);
	for (t = 0; t < 500; t++)
		for (p = 1; p <= 200; p++)
			small(f, p, "S", "many", t, (uint64_t)(t + 1) << 12);
	fclose(f);
	assert_int_equal(knmt("timeline", file, "-f", "csv"), CLI_EXIT_OK);
	for (c = last.out; (c = strstr(c, "\r\n")) != NULL; c += 2)
		rows++;
	assert_int_equal(rows, 1 + 500 * 200);
	assert_int_equal(knmt("timeline", file, "-p", "200"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "pid 200 (many): 500 samples from 0.0 s to 8m 19s\n"));
	assert_non_null(strstr(last.out, "(every 18th sample of 500 shown; --format csv has all)\n"));
	assert_non_null(strstr(last.out, "\n8m 19s   2.0 MiB       -   2.0 MiB     -  ################\n"));
	assert_int_equal(knmt("timeline", file, "--json", "-p", "200"), CLI_EXIT_OK);
	{
		struct json_object *root = parse_out();
		struct json_object *ss = at(json_object_array_get_idx(at(root, "processes"), 0),
					    "samples");

		assert_int_equal(json_object_array_length(at(root, "processes")), 1);
		assert_int_equal(json_object_array_length(ss), 500);
		assert_int_equal(int_at(json_object_array_get_idx(ss, 499),
					"categories.heap.resident_bytes"), 500 << 12);
		json_object_put(root);
	}
	assert_int_equal(knmt("timeline", file, "-f", "html"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "<title>knmt timeline: pid 1 (many)</title>"));
	/* the axis in minutes */
	assert_non_null(strstr(last.out, ">8 min</text>"));
}

/* ---- usage ------------------------------------------------------------------ */

static void test_usage(void **state)
{
	(void)state;
	write_recording("svc", NULL, true);
	assert_int_equal(knmt("timeline"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "knmt timeline: which recording? FILE is missing\n"
			       "Usage: knmt timeline FILE [-p PID] [--format text|csv|svg|html|json] "
			       "[-o OUT] [--json]"));
	assert_int_equal(knmt("timeline", file, file), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "unexpected argument"));
	assert_int_equal(knmt("timeline", file, "--format", "pdf"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "--format: unknown format 'pdf' (text, csv, svg, html, json)"));
	/* --json is --format json: another format with it is an error */
	assert_int_equal(knmt("timeline", file, "--format", "svg", "--json"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "knmt timeline: --format svg and -j/--json exclude "
			       "each other (-j is --format json)\nUsage: knmt timeline FILE"));
	assert_int_equal(knmt("timeline", file, "-j", "-f", "csv"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "--format csv and -j/--json exclude each other"));
	assert_int_equal(knmt("-j", "timeline", file, "--format", "text"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "--format text and -j/--json exclude each other"));
	assert_int_equal(knmt("--json", "timeline", "-f", "html", file, "-o", out),
			 CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "--format html and -j/--json exclude each other"));
	assert_int_equal(knmt("timeline", file, "--format"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "option '--format' needs a value"));
	assert_int_equal(knmt("timeline", file, "-p", "x"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("timeline", file, "-p", "0"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("timeline", file, "-p", "1", "-p", "2"), CLI_EXIT_USAGE);
	assert_int_equal(knmt("timeline", file, "-o", ""), CLI_EXIT_USAGE);
	assert_int_equal(knmt("timeline", file, "-o", out, "-o", out), CLI_EXIT_USAGE);
	assert_int_equal(knmt("timeline", file, "--width", "3"), CLI_EXIT_USAGE);
	assert_non_null(strstr(last.err, "unknown option '--width'"));
	assert_string_equal(last.out, "");
	assert_int_equal(access(out, F_OK), -1);
	/* help */
	assert_int_equal(knmt("timeline", "--help"), CLI_EXIT_OK);
	assert_non_null(strstr(last.out, "Usage: knmt timeline FILE"));
	/* an output that cannot be made */
	assert_int_equal(knmt("timeline", file, "-o", "/nonexistent/x.svg", "-f", "svg"),
			 CLI_EXIT_RUNTIME);
	assert_non_null(strstr(last.err, "knmt: cannot create /nonexistent/x.svg"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read_complete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_last_line_unterminated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_newer_and_nulls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_nulls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_processes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_svg, setup, teardown),
		cmocka_unit_test_setup_teardown(test_html, setup, teardown),
		cmocka_unit_test_setup_teardown(test_svg_one_sample, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_processes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usage, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
