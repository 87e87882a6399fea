// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt faults: the code addresses of a process that fault its memory in
 * the most (DUMP_FAULT_SITES), with the function and the file each one
 * belongs to (symbolize.c).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "procs.h"
#include "symbolize.h"

static const struct cli_command cli_cmd_faults;

enum { FC_FAULTS, FC_BYTES, FC_CAT, FC_IP, FC_WHERE, FC_FUNC, FC_OFF,
       FC_OBJECT, FC_OBJECT_TEXT, FC_COUNT };

/* JSON keys are a contract (userspace/README.md): change none. */
static const struct out_col site_cols[FC_COUNT] = {
	[FC_FAULTS] = { "faults",   "faults",	    OUT_BOTH },
	[FC_BYTES]  = { "bytes",    "bytes",	    OUT_BOTH },
	[FC_CAT]    = { "category", "category",	    OUT_BOTH },
	[FC_IP]     = { "ip",	    "ip",	    OUT_BOTH },
	[FC_WHERE]  = { "where",    "function+off", OUT_TEXT },
	[FC_FUNC]   = { "function", "function",	    OUT_JSON },
	[FC_OFF]    = { "offset",   "offset",	    OUT_JSON },
	[FC_OBJECT] = { "object",   "object",	    OUT_JSON },
	[FC_OBJECT_TEXT] = { "object", "object",    OUT_TEXT },
};

/* Most faults first, then by address. */
static int site_cmp(const void *a, const void *b)
{
	const struct knmt_fault_site *x = a, *y = b;

	if (x->faults != y->faults)
		return x->faults > y->faults ? -1 : 1;
	return x->ip < y->ip ? -1 : x->ip > y->ip;
}

static void site_row(struct out_doc *doc, struct out_table *t, size_t row,
		     const struct knmt_fault_site *s, struct sym_ctx *sym)
{
	const char *cat = knmt_category_name(s->category);
	struct sym_info si;

	out_cell(t, row, FC_FAULTS, out_count(s->faults));
	out_cell(t, row, FC_BYTES, KNMT_HAS(s, KNMT_A_SITE_BYTES) ?
		 out_bytes(s->bytes) : out_null(OUT_BYTES));
	out_cell(t, row, FC_CAT, !KNMT_HAS(s, KNMT_A_SITE_CATEGORY) ? out_null(OUT_STR) :
		 out_str(cat ? cat : out_printf(doc, "%u", s->category)));
	out_cell(t, row, FC_IP, out_hex(s->ip));
	if (sym_lookup(sym, s->ip, &si)) {
		out_cell(t, row, FC_WHERE, out_str(out_printf(doc, "%s+0x%" PRIx64,
							      si.function, si.offset)));
		out_cell(t, row, FC_FUNC, out_str(out_printf(doc, "%s", si.function)));
		out_cell(t, row, FC_OFF, out_count(si.offset));
	} else {
		out_cell(t, row, FC_WHERE, out_str("?"));
		out_cell(t, row, FC_FUNC, out_null(OUT_STR));
		out_cell(t, row, FC_OFF, out_null(OUT_COUNT));
	}
	out_cell(t, row, FC_OBJECT, si.object ?
		 out_str(out_printf(doc, "%s", si.object)) : out_null(OUT_STR));
	/* text: "?" for what could not be resolved */
	out_cell(t, row, FC_OBJECT_TEXT, out_str(si.object ?
		 out_printf(doc, "%s", si.object) : "?"));
}

static int faults_show(struct cli *cli, uint32_t pid, size_t top)
{
	struct knmt_fault_site *sites = NULL;
	struct sym_ctx *sym;
	struct out_table *t;
	struct out_doc doc;
	struct knmt *h;
	size_t n = 0, nsites = 0, shown, i;
	uint64_t other = 0;
	bool has_other = false;
	int ret, err;

	ret = cli_connect(cli, &h);
	if (ret)
		return ret;
	err = knmt_dump_fault_sites_array(h, pid, &sites, &n);
	if (err) {
		ret = cli_report_pid(cli, h, err, pid);
		knmt_close(h);
		return ret;
	}
	knmt_close(h);

	/* the "other" message out, the sites packed at the front */
	for (i = 0; i < n; i++) {
		if (sites[i].other) {
			other += sites[i].faults;
			has_other = true;
		} else {
			sites[nsites++] = sites[i];
		}
	}
	if (nsites)
		qsort(sites, nsites, sizeof(*sites), site_cmp);
	shown = top && top < nsites ? top : nsites;

	/* the process may be gone: then addresses stay raw */
	sym = shown ? sym_open(pid) : NULL;
	out_init(&doc);
	out_field(&doc, "pid", "pid", OUT_JSON, out_count(pid));
	t = out_table(&doc, "sites", NULL, site_cols, FC_COUNT, shown);
	for (i = 0; t && i < shown; i++)
		site_row(&doc, t, i, &sites[i], sym);
	out_field(&doc, "other_faults", "other", OUT_JSON,
		  has_other ? out_count(other) : out_null(OUT_COUNT));
	if (has_other)
		out_text(&doc, "other: %" PRIu64 " fault%s at sites not kept", other,
			 other == 1 ? "" : "s");
	if (shown < nsites)
		out_text(&doc, "(%zu more sites: -n %zu shows them)",
			 nsites - shown, nsites);
	ret = cli_render(cli, &doc, "the fault sites");
	out_free(&doc);
	sym_close(sym);
	free(sites);
	return ret;
}

static int faults_run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pid", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	uint32_t pid = 0;
	size_t top = 0;
	int c, ret = 0;

	optind = 0;
	opterr = 0;
	while (!ret && (c = getopt_long(argc, argv, ":jp:n:", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			cli->json = true;
			break;
		case 'p':
			ret = procs_parse_one_pid(cli, &cli_cmd_faults, optarg, &pid);
			break;
		case 'n':
			ret = procs_parse_count(cli, &cli_cmd_faults, "-n", optarg, &top);
			break;
		default:	/* ':' or '?' */
			ret = cli_option_error(cli, &cli_cmd_faults, c, argv);
			break;
		}
	}
	if (!ret)
		ret = cli_no_operand(cli, &cli_cmd_faults, argc, argv, optind);
	if (ret)
		return ret;
	if (!pid)
		return cli_usage_error(cli, &cli_cmd_faults, "-p PID is required");
	return faults_show(cli, pid, top);
}

CLI_COMMAND(faults) = {
	.name = "faults",
	.args = "-p PID [-n N] [--json]",
	.summary = "the code of a process that faults its memory in the most",
	.help =
	"The fault sites knmt keeps for the process (the user instruction\n"
	"pointers of its page faults), most faults first: how many faults,\n"
	"the bytes they made resident, the category of the last address\n"
	"faulted, and where the code is: function+offset and the executable\n"
	"or library, read from the process's mappings (/proc/PID/maps) and\n"
	"the files' symbol tables (separate debug files under /usr/lib/debug\n"
	"are used when installed).  An address that cannot be resolved (the\n"
	"process is gone, JIT code, no symbols) shows \"?\".  The last line\n"
	"counts the faults of the sites that were not kept.\n"
	"\n"
	"  -p, --pid PID  the process (required)\n"
	"  -n N           the N sites with the most faults only\n"
	"  -j, --json     {\"pid\": N, \"sites\": [{\"ip\", \"faults\", \"bytes\",\n"
	"                 \"category\", \"function\", \"offset\", \"object\"}],\n"
	"                 \"other_faults\": N}; what is unknown is null\n"
	"\n"
	"A pid that names no process: \"knmt: no process PID\", exit status 1.\n",
	.run = faults_run,
};
