// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt config: show the run-time settings, or change the writable ones.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "units.h"

struct setting {
	const char *name;	/* as typed in "config set" and JSON key */
	int attr;		/* KNMT_A_CONFIG_* */
	enum out_type type;	/* OUT_BYTES or OUT_COUNT */
	bool writable;
	bool json;		/* in the JSON object (a fixed set of keys) */
};

static const struct setting settings[] = {
	{ "offheap_min_bytes", KNMT_A_CONFIG_OFFHEAP_MIN_BYTES, OUT_BYTES, true, true },
	{ "procs_max", KNMT_A_CONFIG_PROCS_MAX, OUT_COUNT, false, true },
	/* text only: the JSON object keeps exactly the keys above */
	{ "regions_max", KNMT_A_CONFIG_REGIONS_MAX, OUT_COUNT, false, false },
	{ "exits_max", KNMT_A_CONFIG_EXITS_MAX, OUT_COUNT, false, false },
};

#define N_SETTINGS (sizeof(settings) / sizeof(settings[0]))

enum { SC_NAME, SC_VALUE, SC_ACCESS, SC_ALLOWED, SC_COUNT };

static const struct out_col setting_cols[SC_COUNT] = {
	[SC_NAME]    = { "name",    "setting", OUT_TEXT },
	[SC_VALUE]   = { "value",   "value",   OUT_TEXT },
	[SC_ACCESS]  = { "access",  "access",  OUT_TEXT },
	[SC_ALLOWED] = { "allowed", "allowed", OUT_TEXT },
};

static const struct cli_command cli_cmd_config;

static uint64_t setting_value(const struct knmt_config *cfg,
			      const struct setting *s)
{
	switch (s->attr) {
	case KNMT_A_CONFIG_OFFHEAP_MIN_BYTES:
		return cfg->offheap_min_bytes;
	case KNMT_A_CONFIG_PROCS_MAX:
		return cfg->procs_max;
	case KNMT_A_CONFIG_REGIONS_MAX:
		return cfg->regions_max;
	case KNMT_A_CONFIG_EXITS_MAX:
		return cfg->exits_max;
	default:
		return 0;
	}
}

static const char *allowed(struct out_doc *doc, const struct setting *s)
{
	if (s->attr == KNMT_A_CONFIG_OFFHEAP_MIN_BYTES) {
		char lo[32], hi[32];

		return out_printf(doc, "%s .. %s",
				  units_format_bytes(KNMT_OFFHEAP_MIN_BYTES_LOW, lo, sizeof(lo)),
				  units_format_bytes(KNMT_OFFHEAP_MIN_BYTES_HIGH, hi, sizeof(hi)));
	}
	if (!s->writable)
		return out_printf(doc, "set at load: modprobe knmt %s=N", s->name);
	return NULL;
}

static void config_doc(struct out_doc *doc, const struct knmt_config *cfg)
{
	struct out_table *t;
	size_t i;

	/* JSON: one exact value per setting, null if the module sent none */
	for (i = 0; i < N_SETTINGS; i++) {
		const struct setting *s = &settings[i];
		struct out_val v = { .type = s->type, .u = setting_value(cfg, s) };

		v.null = !KNMT_HAS(cfg, s->attr);
		if (s->json)
			out_field(doc, s->name, s->name, OUT_JSON, v);
	}
	/* text: a table */
	t = out_table(doc, NULL, NULL, setting_cols, SC_COUNT, N_SETTINGS);
	for (i = 0; t && i < N_SETTINGS; i++) {
		const struct setting *s = &settings[i];
		struct out_val v = { .type = s->type, .u = setting_value(cfg, s) };

		v.null = !KNMT_HAS(cfg, s->attr);
		out_cell(t, i, SC_NAME, out_str(s->name));
		out_cell(t, i, SC_VALUE, v);
		out_cell(t, i, SC_ACCESS, out_str(s->writable ? "writable" : "read-only"));
		out_cell(t, i, SC_ALLOWED, out_str(allowed(doc, s)));
	}
}

static int config_show(struct cli *cli)
{
	struct knmt_config cfg;
	struct out_doc doc;
	struct knmt *h;
	int ret, err;

	ret = cli_connect(cli, &h);
	if (ret)
		return ret;
	err = knmt_get_config(h, &cfg);
	if (err) {
		ret = cli_report(cli, h, err);
		knmt_close(h);
		return ret;
	}
	out_init(&doc);
	config_doc(&doc, &cfg);
	ret = cli->json ? out_render_json(cli->out, &doc)
			: out_render_text(cli->out, &doc);
	if (ret < 0) {
		fprintf(cli->err, "knmt: cannot print the settings (out of memory or output error)\n");
		ret = CLI_EXIT_RUNTIME;
	}
	out_free(&doc);
	knmt_close(h);
	return ret;
}

static const struct setting *find_setting(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < N_SETTINGS; i++)
		if (strlen(settings[i].name) == len &&
		    strncmp(settings[i].name, name, len) == 0)
			return &settings[i];
	return NULL;
}

/* Parses "name=value" into cfg; returns 0 or an exit code. */
static int parse_assignment(struct cli *cli, const char *arg,
			    struct knmt_config *cfg)
{
	const char *eq = strchr(arg, '=');
	const struct setting *s;
	uint64_t v;
	int ret;

	if (!eq || eq == arg)
		return cli_usage_error(cli, &cli_cmd_config,
				       "expected NAME=VALUE, got '%s'", arg);
	s = find_setting(arg, (size_t)(eq - arg));
	if (!s)
		return cli_usage_error(cli, &cli_cmd_config,
				       "unknown setting '%.*s' (writable: offheap_min_bytes)",
				       (int)(eq - arg), arg);
	if (!s->writable)
		return cli_usage_error(cli, &cli_cmd_config,
				       "%s is read-only: it is a module parameter, "
				       "set when the module is loaded (modprobe knmt %s=N)",
				       s->name, s->name);

	ret = units_parse_size(eq + 1, &v);
	if (ret == -ERANGE)
		return cli_usage_error(cli, &cli_cmd_config,
				       "%s: '%s' is too large", s->name, eq + 1);
	if (ret < 0)
		return cli_usage_error(cli, &cli_cmd_config,
				       "%s: '%s' is not a size: use bytes with an "
				       "optional K, M or G suffix (131072, 128K, 128KiB, 1M)",
				       s->name, eq + 1);
	if (s->attr == KNMT_A_CONFIG_OFFHEAP_MIN_BYTES)
		knmt_config_set_offheap_min_bytes(cfg, v);
	return 0;
}

static int config_set(struct cli *cli, int argc, char **argv)
{
	struct knmt_config cfg = { 0 };
	struct knmt *h;
	int i, ret, err;

	if (argc < 1)
		return cli_usage_error(cli, &cli_cmd_config,
				       "set: expected NAME=VALUE");
	for (i = 0; i < argc; i++) {
		ret = parse_assignment(cli, argv[i], &cfg);
		if (ret)
			return ret;
	}
	ret = cli_connect(cli, &h);
	if (ret)
		return ret;
	err = knmt_set_config(h, &cfg);
	ret = err ? cli_report(cli, h, err) : CLI_EXIT_OK;
	knmt_close(h);
	return ret;
}

static int config_run(struct cli *cli, int argc, char **argv)
{
	int argi = 0, ret;

	ret = cli_parse_common(cli, &cli_cmd_config, argc, argv, &argi);
	if (ret)
		return ret;
	if (argi >= argc || strcmp(argv[argi], "show") == 0) {
		if (argi + 1 < argc)
			return cli_usage_error(cli, &cli_cmd_config,
					       "unexpected argument '%s'",
					       argv[argi + 1]);
		return config_show(cli);
	}
	if (strcmp(argv[argi], "set") == 0)
		return config_set(cli, argc - argi - 1, argv + argi + 1);
	return cli_usage_error(cli, &cli_cmd_config,
			       "unknown action '%s' (show or set)", argv[argi]);
}

CLI_COMMAND(config) = {
	.name = "config",
	.args = "[show] [--json] | set NAME=VALUE...",
	.summary = "show the run-time settings or change them",
	.help =
	"Settings:\n"
	"  offheap_min_bytes  writable, 4 KiB .. 1 GiB (default 128 KiB):\n"
	"                     anonymous read-write private mappings created\n"
	"                     at least this large are counted as offheap\n"
	"  procs_max          read-only: processes tracked at most, a module\n"
	"                     parameter (modprobe knmt procs_max=N)\n"
	"  regions_max        read-only: region origin records at most\n"
	"                     (modprobe knmt regions_max=N)\n"
	"  exits_max          read-only: exit records kept (modprobe knmt\n"
	"                     exits_max=N)\n"
	"\n"
	"Sizes are bytes with an optional binary suffix: 131072, 128K,\n"
	"128KiB, 1M, 1GiB (K = KiB = 1024).\n"
	"\n"
	"  -j, --json  offheap_min_bytes and procs_max as one JSON object of\n"
	"              exact values\n"
	"\n"
	"Example: knmt config set offheap_min_bytes=256K\n",
	.run = config_run,
};
