// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The CLI's output documents: value types in text and JSON, JSON key
 * paths, marked and omitted values, and the text order of fields,
 * tables and lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json.h>

#include "output.h"
#include "units.h"

static char *render(const struct out_doc *doc, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(json ? out_render_json(f, doc) : out_render_text(f, doc), 0);
	fclose(f);
	return buf;
}

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("key \"%s\" missing", key);
	return v;
}

static size_t nkeys_of(struct json_object *o)
{
	size_t n = 0;

	json_object_object_foreach(o, key, val) {
		(void)key;
		(void)val;
		n++;
	}
	return n;
}

static void test_json_types_and_paths(void **state)
{
	const struct out_val flags[] = { out_str("approx"), out_str("exited") };
	const struct out_val hist[] = { out_count(1), out_null(OUT_COUNT), out_count(3) };
	static const struct out_col cols[] = {
		{ "start", "start", OUT_BOTH },
		{ "rss.anon_bytes", "anon", OUT_BOTH },
		{ "rss.file_bytes", "file", OUT_JSON },
		{ "text_only", "t", OUT_TEXT },
	};
	struct json_object *root, *v, *row;
	struct out_table *t;
	struct out_doc doc;
	char *s;

	(void)state;
	out_init(&doc);
	out_field(&doc, "a.b.c", "abc", OUT_BOTH, out_count(7));
	out_field(&doc, "a.b.d", "abd", OUT_BOTH, out_null(OUT_BYTES));
	out_field(&doc, "a.e", "ae", OUT_BOTH, out_bool(true));
	out_field(&doc, "neg", "neg", OUT_BOTH, out_sbytes(-4096));
	out_field(&doc, "age_s", "age", OUT_BOTH, out_real(1.5));
	out_field(&doc, "ip", "ip", OUT_BOTH, out_hex(0x7f00deadbeef));
	out_field(&doc, "when", "when", OUT_BOTH,
		  out_time(UINT64_C(1700000000123456789)));
	out_field(&doc, "flags", "flags", OUT_BOTH, out_list(&doc, flags, 2));
	out_field(&doc, "hist", "hist", OUT_BOTH, out_list(&doc, hist, 3));
	out_field(&doc, "none", "none", OUT_BOTH, out_list(&doc, NULL, 0));
	t = out_table(&doc, "rows", NULL, cols, 4, 1);
	out_cell(t, 0, 0, out_hex(0x1000));
	out_cell(t, 0, 1, out_bytes(8192));
	out_cell(t, 0, 2, out_bytes(4096));
	out_cell(t, 0, 3, out_str("x"));
	s = render(&doc, true);
	root = json_tokener_parse(s);
	assert_non_null(root);

	v = get(get(get(root, "a"), "b"), "c");
	assert_int_equal(json_object_get_int(v), 7);
	assert_null(get(get(get(root, "a"), "b"), "d"));
	assert_true(json_object_is_type(get(get(root, "a"), "e"), json_type_boolean));
	assert_true(json_object_get_boolean(get(get(root, "a"), "e")));
	assert_int_equal(json_object_get_int64(get(root, "neg")), -4096);
	assert_true(json_object_is_type(get(root, "age_s"), json_type_double));
	assert_true(json_object_get_double(get(root, "age_s")) == 1.5);
	assert_string_equal(json_object_get_string(get(root, "ip")), "0x7f00deadbeef");
	assert_string_equal(json_object_get_string(get(root, "when")),
			    "2023-11-14T22:13:20.123Z");
	v = get(root, "flags");
	assert_true(json_object_is_type(v, json_type_array));
	assert_int_equal(json_object_array_length(v), 2);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(v, 1)),
			    "exited");
	v = get(root, "hist");
	assert_int_equal(json_object_array_length(v), 3);
	assert_null(json_object_array_get_idx(v, 1));
	assert_int_equal(json_object_get_int(json_object_array_get_idx(v, 2)), 3);
	v = get(root, "none");
	assert_true(json_object_is_type(v, json_type_array));
	assert_int_equal(json_object_array_length(v), 0);

	row = json_object_array_get_idx(get(root, "rows"), 0);
	assert_string_equal(json_object_get_string(get(row, "start")), "0x1000");
	assert_int_equal(json_object_get_int(get(get(row, "rss"), "anon_bytes")), 8192);
	assert_int_equal(json_object_get_int(get(get(row, "rss"), "file_bytes")), 4096);
	assert_false(json_object_object_get_ex(row, "text_only", NULL));
	json_object_put(root);
	free(s);
	out_free(&doc);
}

static void test_text_order_and_values(void **state)
{
	const struct out_val flags[] = { out_str("approx"), out_str("exited") };
	static const struct out_col cols[] = {
		{ "n", "name", OUT_BOTH },
		{ "v", "value", OUT_BOTH },
	};
	struct out_table *t;
	struct out_doc doc;
	char *s;

	(void)state;
	setenv("TZ", "UTC", 1);
	out_init(&doc);
	out_text(&doc, "Heading %d", 1);
	out_field(&doc, "x", "short", OUT_BOTH, out_sbytes(-1536));
	out_field(&doc, "y", "longer label", OUT_BOTH, out_list(&doc, flags, 2));
	t = out_table(&doc, "t", "things", cols, 2, 1);
	out_cell(t, 0, 0, out_str("a"));
	out_cell(t, 0, 1, out_hex(0xff));
	out_text(&doc, "\nsection:");
	out_field(&doc, "z", "z", OUT_BOTH, out_time(UINT64_C(1700000000123456789)));
	out_field(&doc, "b", "flag", OUT_BOTH, out_bool(false));
	s = render(&doc, false);
	assert_string_equal(s,
		"Heading 1\n"
		"short:        -1.5 KiB\n"
		"longer label: approx, exited\n"
		"\n"
		"things:\n"
		"NAME  VALUE\n"
		"a      0xff\n"
		"\n"
		"section:\n"
		"z:    2023-11-14 22:13:20\n"
		"flag: no\n");
	free(s);
	out_free(&doc);
}

/* A marked value: right-aligned with its mark in text, bare in JSON;
 * an omitted one: no key in JSON. */
static void test_marks_and_omitted(void **state)
{
	static const struct out_col cols[] = {
		{ "age", "age", OUT_BOTH },
		{ "sub", "sub", OUT_JSON },
		{ "sub.x", "x", OUT_JSON },
		{ "n", "n", OUT_BOTH },
	};
	struct json_object *root, *row;
	struct out_table *t;
	struct out_doc doc;
	char *s;

	(void)state;
	out_init(&doc);
	t = out_table(&doc, "rows", NULL, cols, 4, 3);
	out_cell(t, 0, 0, out_marked(out_nsec(UINT64_C(3723000000000)), "*"));
	out_cell(t, 0, 1, out_omit());
	out_cell(t, 0, 2, out_count(5));
	out_cell(t, 0, 3, out_count(1));
	out_cell(t, 1, 0, out_nsec(UINT64_C(42000000000)));
	out_cell(t, 1, 1, out_null(OUT_STR));
	out_cell(t, 1, 2, out_omit());
	out_cell(t, 1, 3, out_count(2));
	out_cell(t, 2, 0, out_marked(out_null(OUT_NSEC), "*"));
	out_cell(t, 2, 1, out_omit());
	out_cell(t, 2, 2, out_omit());
	out_cell(t, 2, 3, out_count(3));
	out_field(&doc, "gone", "gone", OUT_BOTH, out_omit());
	s = render(&doc, false);
	assert_string_equal(s,
		"        AGE  N\n"
		"1h 02m 03s*  1\n"
		"     42.0 s  2\n"
		"          -  3\n"
		"gone: -\n");
	free(s);

	s = render(&doc, true);
	root = json_tokener_parse(s);
	assert_non_null(root);
	assert_false(json_object_object_get_ex(root, "gone", NULL));
	row = json_object_array_get_idx(get(root, "rows"), 0);
	assert_true(json_object_get_uint64(get(row, "age")) == UINT64_C(3723000000000));
	assert_int_equal(json_object_get_int(get(get(row, "sub"), "x")), 5);
	assert_int_equal(nkeys_of(row), 3);
	row = json_object_array_get_idx(get(root, "rows"), 1);
	assert_null(get(row, "sub"));		/* null, not an object */
	assert_int_equal(nkeys_of(row), 3);
	row = json_object_array_get_idx(get(root, "rows"), 2);
	assert_false(json_object_object_get_ex(row, "sub", NULL));
	assert_null(get(row, "age"));
	assert_int_equal(nkeys_of(row), 2);
	json_object_put(root);
	free(s);
	out_free(&doc);
}

static void test_many_tables_stay_valid(void **state)
{
	static const struct out_col cols[] = { { "n", "n", OUT_BOTH } };
	struct out_table *first, *t;
	struct out_doc doc;
	char *s;
	int i;

	(void)state;
	out_init(&doc);
	first = out_table(&doc, "first", NULL, cols, 1, 1);
	for (i = 0; i < 40; i++) {
		t = out_table(&doc, NULL, NULL, cols, 1, 1);
		out_cell(t, 0, 0, out_count((uint64_t)i));
	}
	/* tables are not moved by the ones added after them */
	out_cell(first, 0, 0, out_count(12345));
	s = render(&doc, true);
	assert_non_null(strstr(s, "12345"));
	free(s);
	out_free(&doc);
}

static void test_time_format(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(units_format_time(0, true, buf, sizeof(buf)),
			    "1970-01-01T00:00:00.000Z");
	assert_string_equal(units_format_time(UINT64_C(1999999999), true, buf,
					      sizeof(buf)),
			    "1970-01-01T00:00:01.999Z");
	setenv("TZ", "UTC", 1);
	assert_string_equal(units_format_time(UINT64_C(86400000000000), false,
					      buf, sizeof(buf)),
			    "1970-01-02 00:00:00");
	/* realtime - boottime: positive on any machine booted after 1970 */
	assert_true(units_boot_to_real_offset() > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_types_and_paths),
		cmocka_unit_test(test_text_order_and_values),
		cmocka_unit_test(test_marks_and_omitted),
		cmocka_unit_test(test_many_tables_stay_valid),
		cmocka_unit_test(test_time_format),
	};

	return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
