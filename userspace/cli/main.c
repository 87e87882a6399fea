// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt CLI: global options, the command table and dispatch, help and
 * version.  Subcommands register themselves (CLI_COMMAND in cli.h); this
 * file walks the section the linker builds from those registrations.
 */
#include <getopt.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output.h"

/* Bounds of the "knmt_cmds" section, provided by the linker. */
extern const struct cli_command *const __start_knmt_cmds[];
extern const struct cli_command *const __stop_knmt_cmds[];

#define MAX_COMMANDS 64

static const char exit_codes_help[] =
	"Exit status:\n"
	"  0  success\n"
	"  1  runtime or kernel error (the kernel's explanation is printed),\n"
	"     or no process with the pid given\n"
	"  2  usage error (unknown command, option or value)\n"
	"  3  the knmt kernel module is not loaded\n"
	"  4  permission denied (commands need CAP_NET_ADMIN: run as root)\n";

void cli_steady_heap(void)
{
	/* Chunks up to 32 MiB from the heap, whose top is never trimmed. */
	(void)mallopt(M_MMAP_THRESHOLD, 32 << 20);
	(void)mallopt(M_TRIM_THRESHOLD, -1);
	(void)mallopt(M_TOP_PAD, 1 << 20);
}

static int cmd_cmp(const void *a, const void *b)
{
	const struct cli_command *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/* How many registrations the section holds (by address arithmetic, as
 * the two bounds are distinct symbols to the compiler). */
static size_t table_size(void)
{
	return ((uintptr_t)__stop_knmt_cmds - (uintptr_t)__start_knmt_cmds) /
	       sizeof(__start_knmt_cmds[0]);	/* NOLINT(bugprone-sizeof-expression): entries are pointers */
}

/* The registered commands sorted by name; returns how many. */
static size_t commands(const struct cli_command **list, size_t max)
{
	size_t i, n = 0, total = table_size();

	for (i = 0; i < total && n < max; i++)
		if (__start_knmt_cmds[i])
			list[n++] = __start_knmt_cmds[i];
	qsort(list, n, sizeof(*list), cmd_cmp);	/* NOLINT(bugprone-sizeof-expression): sorting pointers */
	return n;
}

const struct cli_command *cli_find(const char *name)
{
	size_t i, total = table_size();

	for (i = 0; i < total; i++)
		if (__start_knmt_cmds[i] &&
		    strcmp(__start_knmt_cmds[i]->name, name) == 0)
			return __start_knmt_cmds[i];
	return NULL;
}

static void usage(FILE *f)
{
	const struct cli_command *list[MAX_COMMANDS] = { NULL };
	size_t n = commands(list, MAX_COMMANDS);
	size_t i, w = 0;

	fprintf(f,
		"Usage: knmt [-j|--json] COMMAND [ARGS]\n"
		"       knmt -h|--help | -V|--version\n"
		"\n"
		"knmt shows what the knmt kernel module (kernel native memory\n"
		"tracking) sees and changes its settings.  summary, regions,\n"
		"faults and exits show the native memory of processes by\n"
		"category: heap, stack, arena, offheap, anon, shmem, file;\n"
		"sockets lists the sockets they own, as ss does, with their\n"
		"age and the memory their buffers hold.\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < n; i++)
		if (strlen(list[i]->name) > w)
			w = strlen(list[i]->name);
	for (i = 0; i < n; i++)
		fprintf(f, "  %-*s  %s\n", (int)w, list[i]->name,
			list[i]->summary);
	fprintf(f,
		"\n"
		"Options:\n"
		"  -j, --json     print JSON (exact values: bytes, nanoseconds;\n"
		"                 times in ISO-8601 UTC)\n"
		"  -h, --help     print this help\n"
		"  -V, --version  print the versions of knmt and of the module\n"
		"\n"
		"'knmt help COMMAND' or 'knmt COMMAND --help' describes a command.\n"
		"\n%s", exit_codes_help);
}

void cli_usage_cmd(struct cli *cli, FILE *f, const struct cli_command *cmd)
{
	(void)cli;
	fprintf(f, "Usage: knmt %s%s%s\n\n%s\n", cmd->name,
		cmd->args[0] ? " " : "", cmd->args, cmd->summary);
	if (cmd->help && cmd->help[0])
		fprintf(f, "\n%s", cmd->help);
}

int cli_usage_error(struct cli *cli, const struct cli_command *cmd,
		    const char *fmt, ...)
{
	va_list ap;

	fprintf(cli->err, "knmt%s%s: ", cmd ? " " : "", cmd ? cmd->name : "");
	va_start(ap, fmt);
	vfprintf(cli->err, fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(cli->err, "\nUsage: knmt %s%s%s (see 'knmt help %s')\n",
			cmd->name, cmd->args[0] ? " " : "", cmd->args,
			cmd->name);
	else
		fprintf(cli->err, "\nRun 'knmt help' for the commands.\n");
	return CLI_EXIT_USAGE;
}

/* -j or --json given to a command whose output is JSON already */
static int no_json_error(struct cli *cli, const struct cli_command *cmd)
{
	return cli_usage_error(cli, cmd, "%s; -j/--json has no meaning here",
			       cmd->no_json);
}

int cli_option_error(struct cli *cli, const struct cli_command *cmd, int c,
		     char **argv)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		return cli_usage_error(cli, cmd, "option '%s' needs a value", arg);
	/* optopt: the unknown short option, 0 for a long one */
	if (cmd && cmd->no_json &&
	    (optopt == 'j' || strcmp(arg, "--json") == 0 ||
	     strncmp(arg, "--json=", 7) == 0))
		return no_json_error(cli, cmd);
	return cli_usage_error(cli, cmd, "unknown option '%s'", arg);
}

int cli_no_operand(struct cli *cli, const struct cli_command *cmd, int argc,
		   char **argv, int argi)
{
	if (argi >= argc)
		return 0;
	return cli_usage_error(cli, cmd, "unexpected argument '%s'", argv[argi]);
}

int cli_parse_common(struct cli *cli, const struct cli_command *cmd,
		     int argc, char **argv, int *argi)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;	/* full reset: commands parse after the global pass */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "j", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			cli->json = true;
			break;
		default:
			return cli_option_error(cli, cmd, c, argv);
		}
	}
	*argi = optind;
	return 0;
}

/* True when -h or --help comes before any "--". */
static bool wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return true;
	}
	return false;
}

/* ---- help ---------------------------------------------------------- */

static int help_run(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *cmd;

	if (argc < 2) {
		usage(cli->out);
		return CLI_EXIT_OK;
	}
	if (argc > 2)
		return cli_usage_error(cli, cli_find("help"),
				       "too many arguments");
	cmd = cli_find(argv[1]);
	if (!cmd)
		return cli_usage_error(cli, NULL, "unknown command '%s'",
				       argv[1]);
	cli_usage_cmd(cli, cli->out, cmd);
	return CLI_EXIT_OK;
}

CLI_COMMAND(help) = {
	.name = "help",
	.args = "[COMMAND]",
	.summary = "describe knmt or one of its commands",
	.help = "Without COMMAND: the commands, the options and the exit status.\n",
	.run = help_run,
};

/* ---- version ------------------------------------------------------- */

static int version_run(struct cli *cli, int argc, char **argv)
{
	struct knmt_status st = { 0 };
	struct knmt *h = NULL;
	struct out_doc doc;
	const char *why = NULL;
	int argi = 0, ret, err;

	ret = cli_parse_common(cli, cli_find("version"), argc, argv, &argi);
	if (!ret)
		ret = cli_no_operand(cli, cli_find("version"), argc, argv, argi);
	if (ret)
		return ret;

	/* The module's version is a bonus: no failure to reach it is one. */
	err = cli->open(&h);
	if (!err)
		err = knmt_get_status(h, &st);
	if (err)
		why = knmt_error_str(err);

	out_init(&doc);
	out_field(&doc, "cli_version", "knmt", OUT_BOTH, out_str(KNMT_VERSION));
	out_field(&doc, "lib_version", "libknmt", OUT_BOTH,
		  out_str(KNMT_LIB_VERSION));
	out_field(&doc, "protocol_version", "protocol", OUT_BOTH,
		  out_count(KNMT_GENL_VERSION));
	out_field(&doc, "module_version", "module", OUT_JSON, out_str(st.version));
	out_field(&doc, "module", "module", OUT_TEXT,
		  out_str(st.version ? st.version :
			  out_printf(&doc, "not reachable (%s)", why ? why : "no version")));
	ret = cli->json ? out_render_json(cli->out, &doc)
			: out_render_text(cli->out, &doc);
	out_free(&doc);
	knmt_status_free(&st);
	knmt_close(h);
	return ret < 0 ? CLI_EXIT_RUNTIME : CLI_EXIT_OK;
}

CLI_COMMAND(version) = {
	.name = "version",
	.args = "[--json]",
	.summary = "print the versions of knmt, libknmt and the loaded module",
	.help = "The module's version is read with GET_STATUS; when the module\n"
		"cannot be reached, the reason is printed instead and the exit\n"
		"status is still 0.\n",
	.run = version_run,
};

/* ---- dispatch ------------------------------------------------------ */

int cli_main(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const struct cli_command *cmd;
	bool version = false;
	int c;

	optind = 0;
	opterr = 0;
	/* "+": stop at the command name, its options are its own */
	while ((c = getopt_long(argc, argv, "+hVj", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(cli->out);
			return CLI_EXIT_OK;
		case 'V':
			version = true;
			break;
		case 'j':
			cli->json = true;
			break;
		default:
			return cli_option_error(cli, NULL, c, argv);
		}
	}
	if (version) {
		char *vargv[] = { (char *)"version", NULL };

		return version_run(cli, 1, vargv);
	}
	if (optind >= argc) {
		fprintf(cli->err, "knmt: no command given\n\n");
		usage(cli->err);
		return CLI_EXIT_USAGE;
	}

	cmd = cli_find(argv[optind]);
	if (!cmd)
		return cli_usage_error(cli, NULL, "unknown command '%s'",
				       argv[optind]);
	argc -= optind;
	argv += optind;
	if (wants_help(argc, argv)) {
		cli_usage_cmd(cli, cli->out, cmd);
		return CLI_EXIT_OK;
	}
	if (cli->json && cmd->no_json)
		return no_json_error(cli, cmd);
	return cmd->run(cli, argc, argv);
}

#ifndef KNMT_CLI_NO_MAIN
int main(int argc, char **argv)
{
	struct cli cli = {
		.out = stdout,
		.err = stderr,
		.open = knmt_open,
	};
	int ret = cli_main(&cli, argc, argv);

	if (fflush(stdout) != 0 && ret == CLI_EXIT_OK) {
		perror("knmt: writing the output");
		ret = CLI_EXIT_RUNTIME;
	}
	return ret;
}
#endif
