/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The knmt CLI run in the test program against the fake kernel, what it
 * printed captured, and its JSON read back with json-c.
 */
#ifndef KNMT_CLI_HARNESS_H
#define KNMT_CLI_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include <json.h>

#include "cli.h"
#include "fake_kernel.h"

struct cli_run {
	int rc;		/* exit code */
	char *out;	/* what went to stdout */
	char *err;	/* what went to stderr */
};

/* The last run; freed by the next one or by cli_run_free(). */
extern struct cli_run last;

/*
 * What every run starts from (out, err and open are set per run):
 * clock_offset and cgroup_root are the tests' to set, NULL by default.
 */
extern struct cli knmt_cli;

void cli_run_free(void);

/*
 * Runs "knmt ARGS..." (NULL-terminated, at most 30) with open_fn as
 * cli.open; returns the exit code, also in last.rc.  KNMT_TEST_SHOW=1
 * prints what each command printed.
 */
int knmt_with(int (*open_fn)(struct knmt **), ...);

/* "knmt ARGS..." against the fake kernel. */
#define knmt(...) knmt_with(fake_knmt_open, __VA_ARGS__, (char *)NULL)

/* last.out parsed as JSON (fails the test if it is not). */
struct json_object *parse_out(void);
/* The value at a path "a.b.c" (must exist, may be null). */
struct json_object *at(struct json_object *o, const char *path);
/* Fails the test unless the value at path has type t. */
void check_type(struct json_object *o, const char *path, json_type t);
int64_t int_at(struct json_object *o, const char *path);
const char *str_at(struct json_object *o, const char *path);
/* How many keys object o has. */
size_t nkeys(struct json_object *o);

#endif /* KNMT_CLI_HARNESS_H */
