// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The knmt CLI run in the test program (see cli_harness.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli_harness.h"

struct cli_run last;
struct cli knmt_cli;

void cli_run_free(void)
{
	free(last.out);
	free(last.err);
	memset(&last, 0, sizeof(last));
}

/*
 * A document printed with --json is laid out as json-c lays it out: read
 * back and printed again by json-c, it is the same text.
 */
static void check_json_layout(const char *out)
{
	struct json_object *o;
	const char *again;

	if (strncmp(out, "{\n", 2) != 0)
		return;
	o = json_tokener_parse(out);
	if (!o)
		fail_msg("not JSON: %s", out);
	again = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					       JSON_C_TO_STRING_SPACED |
					       JSON_C_TO_STRING_NOSLASHESCAPE);
	if (strncmp(again, out, strlen(again)) != 0 ||
	    strcmp(out + strlen(again), "\n") != 0)
		fail_msg("the JSON is not laid out as json-c does:\n%s\njson-c:\n%s\n",
			 out, again);
	json_object_put(o);
}

int knmt_with(int (*open_fn)(struct knmt **), ...)
{
	char *argv[32];
	size_t olen, elen;
	struct cli cli;
	va_list ap;
	int argc = 0;

	cli_run_free();
	argv[argc++] = (char *)"knmt";
	va_start(ap, open_fn);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	argv[argc] = NULL;

	cli = knmt_cli;
	cli.open = open_fn;
	cli.out = open_memstream(&last.out, &olen);
	cli.err = open_memstream(&last.err, &elen);
	assert_non_null(cli.out);
	assert_non_null(cli.err);
	last.rc = cli_main(&cli, argc, argv);
	fclose(cli.out);
	fclose(cli.err);
	if (getenv("KNMT_TEST_SHOW"))
		fprintf(stderr, "---- knmt %s ... -> %d\n%s%s",
			argc > 1 ? argv[1] : "", last.rc, last.out, last.err);
	check_json_layout(last.out);
	return last.rc;
}

struct json_object *parse_out(void)
{
	struct json_object *root = json_tokener_parse(last.out);

	if (!root)
		fail_msg("not JSON: %s", last.out);
	return root;
}

struct json_object *at(struct json_object *o, const char *path)
{
	char key[128];
	const char *p = path;

	while (*p) {
		size_t n = strcspn(p, ".");

		assert_true(n < sizeof(key));
		memcpy(key, p, n);
		key[n] = '\0';
		if (!o || !json_object_is_type(o, json_type_object))
			fail_msg("\"%s\": \"%s\" is not in an object", path, key);
		if (!json_object_object_get_ex(o, key, &o))
			fail_msg("key \"%s\" missing (at \"%s\")", path, key);
		p += n;
		if (*p == '.')
			p++;
	}
	return o;
}

void check_type(struct json_object *o, const char *path, json_type t)
{
	struct json_object *v = at(o, path);

	if (json_object_get_type(v) != t)
		fail_msg("\"%s\" has type %s, expected %s", path,
			 json_type_to_name(json_object_get_type(v)),
			 json_type_to_name(t));
}

int64_t int_at(struct json_object *o, const char *path)
{
	check_type(o, path, json_type_int);
	return json_object_get_int64(at(o, path));
}

const char *str_at(struct json_object *o, const char *path)
{
	check_type(o, path, json_type_string);
	return json_object_get_string(at(o, path));
}

size_t nkeys(struct json_object *o)
{
	size_t n = 0;

	json_object_object_foreach(o, key, val) {
		(void)key;
		(void)val;
		n++;
	}
	return n;
}
