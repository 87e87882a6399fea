// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt regions: the regions of one process (DUMP_REGIONS), as pmap
 * shows its mappings, each with the category knmt gave it and why.
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

static const struct cli_command cli_cmd_regions;

enum {
	RC_RANGE, RC_START, RC_END, RC_SIZE, RC_RSS, RC_PROT, RC_CAT,
	RC_ORIGIN, RC_AGE, RC_AGE_S, RC_TID, RC_FAULTS, RC_FILE, RC_PGOFF,
	RC_COUNT
};

/* JSON keys are a contract (userspace/README.md): change none. */
static const struct out_col region_cols[RC_COUNT] = {
	[RC_RANGE]  = { "range",	  "start-end", OUT_TEXT },
	[RC_START]  = { "start",	  "start",     OUT_JSON },
	[RC_END]    = { "end",		  "end",       OUT_JSON },
	[RC_SIZE]   = { "size_bytes",	  "size",      OUT_BOTH },
	[RC_RSS]    = { "resident_bytes", "rss",       OUT_BOTH },
	[RC_PROT]   = { "prot",		  "prot",      OUT_BOTH },
	[RC_CAT]    = { "category",	  "category",  OUT_BOTH },
	[RC_ORIGIN] = { "origin",	  "origin",    OUT_BOTH },
	[RC_AGE]    = { "age",		  "age",       OUT_TEXT },
	[RC_AGE_S]  = { "age_s",	  "age",       OUT_JSON },
	[RC_TID]    = { "tid",		  "tid",       OUT_BOTH },
	[RC_FAULTS] = { "faults",	  "faults",    OUT_BOTH },
	[RC_FILE]   = { "file",		  "file",      OUT_BOTH },
	[RC_PGOFF]  = { "file_offset",	  "offset",    OUT_JSON },
};

/* "rw-p", as /proc/PID/maps */
static const char *prot_text(struct out_doc *doc, uint32_t prot)
{
	return out_printf(doc, "%c%c%c%c",
			  prot & KNMT_PROT_READ ? 'r' : '-',
			  prot & KNMT_PROT_WRITE ? 'w' : '-',
			  prot & KNMT_PROT_EXEC ? 'x' : '-',
			  prot & KNMT_PROT_SHARED ? 's' : 'p');
}

/* The name of a category or origin; a newer module's: its number. */
static struct out_val name_or_number(struct out_doc *doc, const char *name,
				     bool present, unsigned int v)
{
	if (!present)
		return out_null(OUT_STR);
	return out_str(name ? name : out_printf(doc, "%u", v));
}

static void region_row(struct out_doc *doc, struct out_table *t, size_t row,
		       const struct knmt_region *r)
{
#define HAS(a) KNMT_HAS(r, a)
	out_cell(t, row, RC_RANGE, out_str(out_printf(doc, "%012" PRIx64 "-%012" PRIx64,
						      r->start, r->end)));
	out_cell(t, row, RC_START, out_hex(r->start));
	out_cell(t, row, RC_END, out_hex(r->end));
	out_cell(t, row, RC_SIZE, out_bytes(r->end - r->start));
	out_cell(t, row, RC_RSS, HAS(KNMT_A_REGION_RESIDENT) ?
		 out_bytes(r->resident) : out_null(OUT_BYTES));
	out_cell(t, row, RC_PROT, HAS(KNMT_A_REGION_PROT) ?
		 out_str(prot_text(doc, r->prot)) : out_null(OUT_STR));
	out_cell(t, row, RC_CAT, name_or_number(doc, knmt_category_name(r->category),
						HAS(KNMT_A_REGION_CATEGORY),
						r->category));
	out_cell(t, row, RC_ORIGIN, name_or_number(doc, knmt_origin_name(r->origin),
						   HAS(KNMT_A_REGION_ORIGIN),
						   r->origin));
	out_cell(t, row, RC_AGE, HAS(KNMT_A_REGION_AGE_NS) ?
		 out_nsec(r->age_ns) : out_null(OUT_NSEC));
	out_cell(t, row, RC_AGE_S, HAS(KNMT_A_REGION_AGE_NS) ?
		 out_real((double)r->age_ns / 1e9) : out_null(OUT_REAL));
	out_cell(t, row, RC_TID, HAS(KNMT_A_REGION_TID) ?
		 out_count(r->tid) : out_null(OUT_COUNT));
	out_cell(t, row, RC_FAULTS, HAS(KNMT_A_REGION_FAULTS) ?
		 out_count(r->faults) : out_null(OUT_COUNT));
	out_cell(t, row, RC_FILE, out_str(r->file));
	out_cell(t, row, RC_PGOFF, HAS(KNMT_A_REGION_PGOFF) ?
		 out_count(r->pgoff) : out_null(OUT_COUNT));
#undef HAS
}

static int regions_show(struct cli *cli, uint32_t pid, int cat)
{
	struct knmt_region *regions = NULL;
	uint64_t mapped = 0, resident = 0;
	struct out_table *t;
	struct out_doc doc;
	struct knmt *h;
	size_t n = 0, shown = 0, i, row;
	int ret, err;

	ret = cli_connect(cli, &h);
	if (ret)
		return ret;
	err = knmt_dump_regions_array(h, pid, &regions, &n);
	if (err) {
		ret = cli_report_pid(cli, h, err, pid);
		knmt_close(h);
		return ret;
	}
	knmt_close(h);

	for (i = 0; i < n; i++) {
		if (cat >= 0 && (!KNMT_HAS(&regions[i], KNMT_A_REGION_CATEGORY) ||
				 regions[i].category != cat))
			continue;
		shown++;
		mapped += regions[i].end - regions[i].start;
		resident += regions[i].resident;
	}

	out_init(&doc);
	out_field(&doc, "pid", "pid", OUT_JSON, out_count(pid));
	t = out_table(&doc, "regions", NULL, region_cols, RC_COUNT, shown);
	for (i = 0, row = 0; t && i < n; i++) {
		if (cat >= 0 && (!KNMT_HAS(&regions[i], KNMT_A_REGION_CATEGORY) ||
				 regions[i].category != cat))
			continue;
		region_row(&doc, t, row++, &regions[i]);
	}
	if (!cli->json) {
		char m[32], r[32];

		out_text(&doc, "total: %zu region%s, %s mapped, %s resident", shown,
			 shown == 1 ? "" : "s",
			 units_format_bytes(mapped, m, sizeof(m)),
			 units_format_bytes(resident, r, sizeof(r)));
	}
	ret = cli_render(cli, &doc, "the regions");
	out_free(&doc);
	knmt_regions_free(regions, n);
	return ret;
}

static int regions_run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pid", required_argument, NULL, 'p' },
		{ "category", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	uint32_t pid = 0;
	int cat = -1;
	int c, ret = 0;

	optind = 0;
	opterr = 0;
	while (!ret && (c = getopt_long(argc, argv, ":jp:c:", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			cli->json = true;
			break;
		case 'p':
			ret = procs_parse_one_pid(cli, &cli_cmd_regions, optarg, &pid);
			break;
		case 'c':
			cat = knmt_category_from_name(optarg);
			if (cat < 0)
				ret = cli_usage_error(cli, &cli_cmd_regions,
						      "--category: unknown category '%s' (heap, "
						      "stack, arena, offheap, anon, shmem, file)",
						      optarg);
			break;
		default:	/* ':' or '?' */
			ret = cli_option_error(cli, &cli_cmd_regions, c, argv);
			break;
		}
	}
	if (!ret)
		ret = cli_no_operand(cli, &cli_cmd_regions, argc, argv, optind);
	if (ret)
		return ret;
	if (!pid)
		return cli_usage_error(cli, &cli_cmd_regions, "-p PID is required");
	return regions_show(cli, pid, cat);
}

CLI_COMMAND(regions) = {
	.name = "regions",
	.args = "-p PID [--category C] [--json]",
	.summary = "the regions of a process with their category, as pmap",
	.help =
	"One line per region of the process, by address: its range, size,\n"
	"what is resident, access rights (rwx, s shared or p private), the\n"
	"category knmt put it in and why (origin: none, reserved, stack,\n"
	"offheap, brk, growsdown, guessed), its age, the thread that created\n"
	"it and the faults since, when knmt saw it created, and the file\n"
	"behind it.  The last line sums the regions shown.\n"
	"\n"
	"  -p, --pid PID       the process (required)\n"
	"  -c, --category C    only the regions of category C: heap, stack,\n"
	"                      arena, offheap, anon, shmem, file\n"
	"  -j, --json          {\"pid\": N, \"regions\": [...]}: addresses as\n"
	"                      \"0x...\" strings, exact bytes, age in seconds,\n"
	"                      null for what the module did not send\n"
	"\n"
	"A pid that names no process: \"knmt: no process PID\", exit status 1.\n",
	.run = regions_run,
};
