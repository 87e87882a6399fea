/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * knmt CLI: what every subcommand file shares.
 *
 * A subcommand lives in one file and registers itself with CLI_COMMAND():
 * the linker gathers the registrations into the section "knmt_cmds",
 * which main.c walks (the way iw registers its commands), so adding a
 * command touches only its own file.
 */
#ifndef KNMT_CLI_H
#define KNMT_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "knmt.h"

#ifndef KNMT_VERSION
#define KNMT_VERSION "unknown"
#endif

/* Exit codes, documented in `knmt help` and userspace/README.md. */
enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_RUNTIME = 1,	/* runtime or kernel error */
	CLI_EXIT_USAGE = 2,	/* bad command line */
	CLI_EXIT_NOT_LOADED = 3,	/* knmt module not loaded */
	CLI_EXIT_PERM = 4,	/* permission denied */
};

struct cli {
	FILE *out;
	FILE *err;
	bool json;		/* --json given before the command */
	/* How to reach the kernel; tests put a fake kernel here. */
	int (*open)(struct knmt **hp);
	/*
	 * CLOCK_REALTIME - CLOCK_BOOTTIME in ns, to show the module's
	 * boot-time clock as wall-clock time; NULL: read both clocks.
	 */
	int64_t (*clock_offset)(void);
	/*
	 * Where cgroup v2 paths are resolved and cgroup ids looked up
	 * (config); NULL: /sys/fs/cgroup.
	 */
	const char *cgroup_root;
	/*
	 * Where /proc is read (a process's cgroup, the boot id: baseline,
	 * diff, report); NULL: /proc.
	 */
	const char *proc_root;
};

struct cli_command {
	const char *name;
	const char *args;	/* synopsis after the name */
	const char *summary;	/* one line for `knmt help` */
	const char *help;	/* the rest of `knmt help NAME` */
	/*
	 * NULL, or why -j/--json means nothing to the command (what it
	 * writes is JSON already): -j before or after it is then the usage
	 * error "knmt NAME: WHY; -j/--json has no meaning here".
	 */
	const char *no_json;
	/* argv[0] is the command name; returns an exit code */
	int (*run)(struct cli *cli, int argc, char **argv);
};

#define CLI_COMMAND(ident)						\
	static const struct cli_command cli_cmd_##ident;		\
	static const struct cli_command *const cli_cmd_ptr_##ident	\
		__attribute__((used, section("knmt_cmds"),		\
			       aligned(sizeof(void *)))) = &cli_cmd_##ident; \
	static const struct cli_command cli_cmd_##ident

/* main.c */
int cli_main(struct cli *cli, int argc, char **argv);
const struct cli_command *cli_find(const char *name);
void cli_usage_cmd(struct cli *cli, FILE *f, const struct cli_command *cmd);
/* "knmt CMD: message" on stderr, returns CLI_EXIT_USAGE. */
int cli_usage_error(struct cli *cli, const struct cli_command *cmd,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/*
 * The usage error for what getopt_long() returned (c, ':' or '?') on
 * argv[optind - 1]: an option without its value, or an unknown one (-j
 * or --json to a command with no_json: why it has no meaning there).
 */
int cli_option_error(struct cli *cli, const struct cli_command *cmd, int c,
		     char **argv);
/* 0 when argi >= argc, else the usage error "unexpected argument". */
int cli_no_operand(struct cli *cli, const struct cli_command *cmd, int argc,
		   char **argv, int argi);

/*
 * main.c: for a reader of events.  Its own heap growing and shrinking
 * (brk, mmap, munmap) are events that it then reads: the heap is left
 * to grow, and is never given back while it runs.
 */
void cli_steady_heap(void);

/* errors.c: open the handle, or explain why not; returns an exit code. */
int cli_connect(struct cli *cli, struct knmt **hp);
/* Explains a failed library call and returns its exit code. */
int cli_report(struct cli *cli, struct knmt *h, int err);
/*
 * The same for a request about process pid: the kernel's ESRCH is
 * "knmt: no process PID" (exit status 1).
 */
int cli_report_pid(struct cli *cli, struct knmt *h, int err, uint32_t pid);

/*
 * Parses the options every simple command takes (--json / -j); anything
 * else is a usage error.  On return *argi indexes the first operand.
 */
int cli_parse_common(struct cli *cli, const struct cli_command *cmd,
		     int argc, char **argv, int *argi);

struct out_doc;
/*
 * render.c: prints doc as text, or as JSON with --json; on failure says
 * "knmt: cannot print WHAT ..." and returns CLI_EXIT_RUNTIME.
 */
int cli_render(struct cli *cli, const struct out_doc *doc, const char *what);

#endif /* KNMT_CLI_H */
