// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt exits: the processes that exited recently (DUMP_EXITS), newest
 * first, with how they ended and their memory at the last breakdown.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "procs.h"
#include "units.h"

static const struct cli_command cli_cmd_exits;

enum { EC_PID, EC_COMM, EC_TIME, EC_STATUS, EC_PEAK, EC_TOP, EC_COUNT };

static const struct out_col exit_cols[EC_COUNT] = {
	[EC_PID]    = { "pid",	  "pid",	    OUT_TEXT },
	[EC_COMM]   = { "comm",	  "comm",	    OUT_TEXT },
	[EC_TIME]   = { "time",	  "exit time",	    OUT_TEXT },
	[EC_STATUS] = { "status", "status",	    OUT_TEXT },
	[EC_PEAK]   = { "peak",	  "rss peak",	    OUT_TEXT },
	[EC_TOP]    = { "top",	  "top categories", OUT_TEXT },
};

/*
 * Newest first: indexes into the records by exit time, the later record
 * first on ties (the kernel sends the oldest first).
 */
static int exit_cmp(const void *a, const void *b, void *arg)
{
	const struct knmt_proc_info *procs = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	if (procs[i].exit_ns != procs[j].exit_ns)
		return procs[i].exit_ns > procs[j].exit_ns ? -1 : 1;
	return i < j ? 1 : i > j ? -1 : 0;
}

static int exits_show(struct cli *cli, size_t top)
{
	struct knmt_proc_info *procs = NULL;
	struct out_table *t, *j;
	struct out_doc doc;
	size_t *order = NULL;
	size_t n = 0, shown, i;
	int ret;

	ret = procs_fetch(cli, knmt_dump_exits_array, &procs, &n);
	if (ret)
		return ret;
	if (n) {
		order = malloc(n * sizeof(*order));
		if (!order) {
			free(procs);
			fprintf(cli->err, "knmt: out of memory\n");
			return CLI_EXIT_RUNTIME;
		}
		for (i = 0; i < n; i++)
			order[i] = i;
		qsort_r(order, n, sizeof(*order), exit_cmp, procs);
	}
	shown = top && top < n ? top : n;

	out_init(&doc);
	j = out_table(&doc, "exits", NULL, procs_json_cols,
		      procs_json_ncols(true), shown);
	for (i = 0; i < shown; i++)
		procs_json_row(cli, &doc, j, i, &procs[order[i]]);
	t = out_table(&doc, NULL, NULL, exit_cols, EC_COUNT, shown);
	for (i = 0; t && i < shown; i++) {
		const struct knmt_proc_info *p = &procs[order[i]];

		out_cell(t, i, EC_PID, out_count(p->pid));
		out_cell(t, i, EC_COMM, out_str(p->comm));
		out_cell(t, i, EC_TIME, procs_time(cli, p->exit_ns,
						   KNMT_HAS(p, KNMT_A_PROC_EXIT_NS)));
		out_cell(t, i, EC_STATUS, out_str(procs_exit_status(&doc,
				KNMT_HAS(p, KNMT_A_PROC_EXIT_CODE), p->exit_code,
				p->flags)));
		out_cell(t, i, EC_PEAK, KNMT_HAS(p, KNMT_A_PROC_PEAK_RSS) ?
			 out_bytes(p->peak_rss) : out_null(OUT_BYTES));
		out_cell(t, i, EC_TOP, out_str(procs_top_categories(&doc, p, 3)));
	}
	ret = cli_render(cli, &doc, "the exits");
	out_free(&doc);
	free(order);
	free(procs);
	return ret;
}

static int exits_run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	size_t top = 0;
	int c, ret = 0;

	optind = 0;
	opterr = 0;
	while (!ret && (c = getopt_long(argc, argv, ":jn:", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			cli->json = true;
			break;
		case 'n':
			ret = procs_parse_count(cli, &cli_cmd_exits, "-n", optarg, &top);
			break;
		default:	/* ':' or '?' */
			ret = cli_option_error(cli, &cli_cmd_exits, c, argv);
			break;
		}
	}
	if (!ret)
		ret = cli_no_operand(cli, &cli_cmd_exits, argc, argv, optind);
	if (ret)
		return ret;
	return exits_show(cli, top);
}

CLI_COMMAND(exits) = {
	.name = "exits",
	.args = "[-n N] [--json]",
	.summary = "recent process exits, newest first, OOM kills marked",
	.help =
	"One line per exit record the module keeps (exits_max, 256 by\n"
	"default), newest first: the process, when it exited, how (exited N,\n"
	"killed by SIGNAL, OOM-killed for the OOM killer's victims), its peak\n"
	"RSS and its three largest categories at the last breakdown.\n"
	"\n"
	"  -n N        the N newest only\n"
	"  -j, --json  {\"exits\": [...]}: the keys of a process in\n"
	"              'knmt summary --json', and exit_time (ISO-8601 UTC),\n"
	"              exit_code (as wait(2) reports it), oom_victim\n"
	"\n"
	"Exit records are kept for pids of the initial pid namespace: from\n"
	"inside a container the list is empty.\n",
	.run = exits_run,
};
