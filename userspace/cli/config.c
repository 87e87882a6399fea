// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt config: show the run-time settings, or change the writable ones:
 * offheap_min_bytes, events_fault_ms and the tracking filter (filter_pid,
 * filter_comm, filter_cgroup).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/magic.h>

#include "cgroup.h"
#include "cli.h"
#include "output.h"
#include "procs.h"
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
	/* text only: the JSON keys are a contract, these came later */
	{ "regions_max", KNMT_A_CONFIG_REGIONS_MAX, OUT_COUNT, false, false },
	{ "exits_max", KNMT_A_CONFIG_EXITS_MAX, OUT_COUNT, false, false },
	{ "sample_ms", KNMT_A_CONFIG_SAMPLE_MS, OUT_COUNT, false, true },
	{ "sockets_max", KNMT_A_CONFIG_SOCKETS_MAX, OUT_COUNT, false, false },
	{ "events_ring", KNMT_A_CONFIG_EVENTS_RING, OUT_COUNT, false, false },
	{ "events_fault_ms", KNMT_A_CONFIG_EVENTS_FAULT_MS, OUT_COUNT, true, true },
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
	case KNMT_A_CONFIG_SAMPLE_MS:
		return cfg->sample_ms;
	case KNMT_A_CONFIG_SOCKETS_MAX:
		return cfg->sockets_max;
	case KNMT_A_CONFIG_EVENTS_RING:
		return cfg->events_ring;
	case KNMT_A_CONFIG_EVENTS_FAULT_MS:
		return cfg->events_fault_ms;
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
	if (s->attr == KNMT_A_CONFIG_EVENTS_FAULT_MS)
		return out_printf(doc, "0 (none) or %u .. %u ms",
				  KNMT_EVENTS_FAULT_MS_MIN, KNMT_EVENTS_FAULT_MS_MAX);
	if (!s->writable)
		return out_printf(doc, "set at load: modprobe knmt %s=N", s->name);
	return NULL;
}

/*
 * The tracking filter: JSON "filter": {pid, comm, cgroup_id, cgroup_path},
 * null for a criterion not set; text: one line per criterion after the
 * table (none when the module sent no filter).
 */
static void filter_doc(struct cli *cli, struct out_doc *doc,
		       const struct knmt_config *cfg)
{
	const char *root = cli->cgroup_root ? cli->cgroup_root : CGROUP_ROOT;
	bool has_pid = KNMT_HAS(cfg, KNMT_A_CONFIG_FILTER_PID);
	bool has_comm = KNMT_HAS(cfg, KNMT_A_CONFIG_FILTER_COMM);
	bool has_cg = KNMT_HAS(cfg, KNMT_A_CONFIG_FILTER_CGROUP);
	bool pid = has_pid && cfg->filter_pid;
	bool comm = has_comm && cfg->filter_comm[0];
	bool cg = has_cg && cfg->filter_cgroup;
	const char *path = NULL;
	struct out_val v;

	if (cg) {
		char *p;

		if (cgroup_id_path(root, cfg->filter_cgroup, &p) == 0) {
			path = out_printf(doc, "%s", p);
			free(p);
		}
	}
	out_field(doc, "filter.pid", "filter.pid", OUT_JSON,
		  pid ? out_count(cfg->filter_pid) : out_null(OUT_COUNT));
	out_field(doc, "filter.comm", "filter.comm", OUT_JSON,
		  comm ? out_str(cfg->filter_comm) : out_null(OUT_STR));
	out_field(doc, "filter.cgroup_id", "filter.cgroup_id", OUT_JSON,
		  cg ? out_count(cfg->filter_cgroup) : out_null(OUT_COUNT));
	out_field(doc, "filter.cgroup_path", "filter.cgroup_path", OUT_JSON,
		  path ? out_str(path) : out_null(OUT_STR));

	if (!has_pid && !has_comm && !has_cg)
		return;		/* a module without the filter */
	out_text(doc, "%s", "");
	out_text(doc, "tracking filter:");
	v = !has_pid ? out_null(OUT_STR) : out_str(pid ?
		out_printf(doc, "%u and its descendants born later",
			   cfg->filter_pid) : "(none)");
	out_field(doc, "filter_pid", "filter_pid", OUT_TEXT, v);
	v = !has_comm ? out_null(OUT_STR) :
		out_str(comm ? cfg->filter_comm : "(none)");
	out_field(doc, "filter_comm", "filter_comm", OUT_TEXT, v);
	if (!has_cg)
		v = out_null(OUT_STR);
	else if (!cg)
		v = out_str("(none)");
	else if (path)
		v = out_str(out_printf(doc, "%llu (%s) and its descendants",
				       (unsigned long long)cfg->filter_cgroup,
				       path));
	else
		v = out_str(out_printf(doc, "%llu (no cgroup2 directory of this "
				       "id under %s) and its descendants",
				       (unsigned long long)cfg->filter_cgroup,
				       root));
	out_field(doc, "filter_cgroup", "filter_cgroup", OUT_TEXT, v);
	if (pid || comm || cg)
		out_text(doc, "a process is tracked when it matches any criterion set");
	else
		out_text(doc, "all processes are tracked");
}

static void config_doc(struct cli *cli, struct out_doc *doc,
		       const struct knmt_config *cfg)
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
	filter_doc(cli, doc, cfg);
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
	config_doc(cli, &doc, &cfg);
	ret = cli_render(cli, &doc, "the settings");
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

/* filter_pid=PID: 0 or "none" clears. */
static int parse_filter_pid(struct cli *cli, const char *val,
			    struct knmt_config *cfg)
{
	unsigned long v;
	char *end;

	if (strcmp(val, "none") == 0) {
		knmt_config_set_filter_pid(cfg, 0);
		return 0;
	}
	if (*val < '0' || *val > '9')
		goto bad;
	errno = 0;
	v = strtoul(val, &end, 10);
	if (errno || *end || v > PID_MAX_LIMIT)
		goto bad;
	knmt_config_set_filter_pid(cfg, (uint32_t)v);
	return 0;
bad:
	return cli_usage_error(cli, &cli_cmd_config,
			       "filter_pid: '%s' is not a pid (1 .. %u; 0 or none clears)",
			       val, PID_MAX_LIMIT);
}

/* filter_comm=NAME: "" or "none" clears. */
static int parse_filter_comm(struct cli *cli, const char *val,
			     struct knmt_config *cfg)
{
	size_t len = strlen(val);

	if (strcmp(val, "none") == 0)
		val = "";
	if (len > KNMT_FILTER_COMM_MAX ||
	    knmt_config_set_filter_comm(cfg, val) < 0)
		return cli_usage_error(cli, &cli_cmd_config,
				       "filter_comm: '%s' has %zu characters: the "
				       "kernel's command names are at most %d "
				       "characters (as in /proc/PID/comm)",
				       val, len, KNMT_FILTER_COMM_MAX);
	return 0;
}

/* filter_cgroup=PATH|ID: a directory of the cgroup2 file system, or an id;
 * 0 or "none" clears. */
static int parse_filter_cgroup(struct cli *cli, const char *val,
			       struct knmt_config *cfg)
{
	const char *root = cli->cgroup_root ? cli->cgroup_root : CGROUP_ROOT;
	const char *sep = val[0] == '/' ? "" : "/";
	uint64_t id = 0, fstype = 0;
	unsigned long long v;
	char *end;
	int ret;

	if (strcmp(val, "none") == 0) {
		knmt_config_set_filter_cgroup(cfg, 0);
		return 0;
	}
	if (!val[0])
		return cli_usage_error(cli, &cli_cmd_config,
				       "filter_cgroup: expected a cgroup directory, "
				       "a cgroup id or none");
	if (strspn(val, "0123456789") == strlen(val)) {
		errno = 0;
		v = strtoull(val, &end, 10);
		if (errno || *end)
			return cli_usage_error(cli, &cli_cmd_config,
					       "filter_cgroup: '%s' is too large "
					       "for a cgroup id", val);
		knmt_config_set_filter_cgroup(cfg, v);
		return 0;
	}
	if (val[0] == '/')
		root = "";
	ret = cgroup_path_id(cli->cgroup_root, val, &id, &fstype);
	switch (ret) {
	case 0:
		knmt_config_set_filter_cgroup(cfg, id);
		return 0;
	case -ENOMEM:
		fprintf(cli->err, "knmt: out of memory\n");
		return CLI_EXIT_RUNTIME;
	case -ENOTDIR:
		return cli_usage_error(cli, &cli_cmd_config,
				       "filter_cgroup: %s%s%s is not a directory: "
				       "a cgroup is a directory of the cgroup2 "
				       "file system", root, sep, val);
	case -EMEDIUMTYPE:
		return cli_usage_error(cli, &cli_cmd_config,
				       "filter_cgroup: %s%s%s is not on a cgroup v2 "
				       "file system (%s%#llx, cgroup2 is %#x): give "
				       "a directory under the cgroup2 mount "
				       "(findmnt -t cgroup2) or a cgroup id",
				       root, sep, val,
				       fstype == CGROUP_SUPER_MAGIC ?
				       "cgroup v1, statfs type " : "statfs type ",
				       (unsigned long long)fstype,
				       CGROUP2_SUPER_MAGIC);
	default:
		return cli_usage_error(cli, &cli_cmd_config,
				       "filter_cgroup: cannot use %s%s%s: %s",
				       root, sep, val, strerror(-ret));
	}
}

struct filter_setting {
	const char *name;
	int (*parse)(struct cli *cli, const char *val, struct knmt_config *cfg);
};

static const struct filter_setting filter_settings[] = {
	{ "filter_pid", parse_filter_pid },
	{ "filter_comm", parse_filter_comm },
	{ "filter_cgroup", parse_filter_cgroup },
};

#define N_FILTER_SETTINGS (sizeof(filter_settings) / sizeof(filter_settings[0]))

/*
 * events_fault_ms=N: milliseconds, or a duration with units ("2s",
 * "1m30s") of whole milliseconds; 0 or 100 .. 3600000 ms.
 */
static int parse_fault_ms(struct cli *cli, const char *val,
			  struct knmt_config *cfg)
{
	uint64_t ms = 0, ns;
	size_t i;
	int ret = 0;

	if (val[0] && strspn(val, "0123456789") == strlen(val)) {
		for (i = 0; val[i] && ms <= KNMT_EVENTS_FAULT_MS_MAX; i++)
			ms = ms * 10 + (uint64_t)(val[i] - '0');
	} else {
		ret = units_parse_duration(val, &ns);
		if (ret == 0 && ns % 1000000)
			ret = -EINVAL;
		ms = ret == 0 ? ns / 1000000 : 0;
		if (ret == -ERANGE) {
			ms = UINT64_MAX;
			ret = 0;
		}
	}
	if (ret < 0)
		return cli_usage_error(cli, &cli_cmd_config,
				       "events_fault_ms: '%s' is not a period: use "
				       "milliseconds (1000) or a duration of whole "
				       "milliseconds (500ms, 2s, 1m)", val);
	if (ms && (ms < KNMT_EVENTS_FAULT_MS_MIN || ms > KNMT_EVENTS_FAULT_MS_MAX))
		return cli_usage_error(cli, &cli_cmd_config,
				       "events_fault_ms: '%s' is out of range: 0 (no "
				       "fault summaries) or %u .. %u ms", val,
				       KNMT_EVENTS_FAULT_MS_MIN,
				       KNMT_EVENTS_FAULT_MS_MAX);
	knmt_config_set_events_fault_ms(cfg, (uint32_t)ms);
	return 0;
}

/* Parses "name=value" into cfg; returns 0 or an exit code. */
static int parse_assignment(struct cli *cli, const char *arg,
			    struct knmt_config *cfg)
{
	const char *eq = strchr(arg, '=');
	const struct setting *s;
	size_t i, len;
	uint64_t v;
	int ret;

	if (!eq || eq == arg)
		return cli_usage_error(cli, &cli_cmd_config,
				       "expected NAME=VALUE, got '%s'", arg);
	len = (size_t)(eq - arg);
	for (i = 0; i < N_FILTER_SETTINGS; i++)
		if (strlen(filter_settings[i].name) == len &&
		    strncmp(filter_settings[i].name, arg, len) == 0)
			return filter_settings[i].parse(cli, eq + 1, cfg);
	s = find_setting(arg, len);
	if (!s)
		return cli_usage_error(cli, &cli_cmd_config,
				       "unknown setting '%.*s' (writable: "
				       "offheap_min_bytes, events_fault_ms, "
				       "filter_pid, filter_comm, filter_cgroup)",
				       (int)len, arg);
	if (!s->writable)
		return cli_usage_error(cli, &cli_cmd_config,
				       "%s is read-only: it is a module parameter, "
				       "set when the module is loaded (modprobe knmt %s=N)",
				       s->name, s->name);
	if (s->attr == KNMT_A_CONFIG_EVENTS_FAULT_MS)
		return parse_fault_ms(cli, eq + 1, cfg);

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

/* Sends cfg; a filter_pid naming no process is "knmt: no process PID". */
static int config_send(struct cli *cli, const struct knmt_config *cfg)
{
	struct knmt *h;
	int ret, err;

	ret = cli_connect(cli, &h);
	if (ret)
		return ret;
	err = knmt_set_config(h, cfg);
	if (!err)
		ret = CLI_EXIT_OK;
	else if (KNMT_HAS(cfg, KNMT_A_CONFIG_FILTER_PID) && cfg->filter_pid)
		ret = cli_report_pid(cli, h, err, cfg->filter_pid);
	else
		ret = cli_report(cli, h, err);
	knmt_close(h);
	return ret;
}

static int config_set(struct cli *cli, int argc, char **argv)
{
	struct knmt_config cfg = { 0 };
	int i, ret;

	if (argc < 1)
		return cli_usage_error(cli, &cli_cmd_config,
				       "set: expected NAME=VALUE");
	for (i = 0; i < argc; i++) {
		ret = parse_assignment(cli, argv[i], &cfg);
		if (ret)
			return ret;
	}
	return config_send(cli, &cfg);
}

static int config_clear_filter(struct cli *cli, int argc, char **argv)
{
	struct knmt_config cfg = { 0 };

	if (argc > 0)
		return cli_usage_error(cli, &cli_cmd_config,
				       "clear-filter: unexpected argument '%s'",
				       argv[0]);
	knmt_config_clear_filter(&cfg);
	return config_send(cli, &cfg);
}

static int config_run(struct cli *cli, int argc, char **argv)
{
	int argi = 0, ret;

	ret = cli_parse_common(cli, &cli_cmd_config, argc, argv, &argi);
	if (ret)
		return ret;
	if (argi >= argc || strcmp(argv[argi], "show") == 0) {
		ret = cli_no_operand(cli, &cli_cmd_config, argc, argv, argi + 1);
		return ret ? ret : config_show(cli);
	}
	if (strcmp(argv[argi], "set") == 0)
		return config_set(cli, argc - argi - 1, argv + argi + 1);
	if (strcmp(argv[argi], "clear-filter") == 0)
		return config_clear_filter(cli, argc - argi - 1, argv + argi + 1);
	return cli_usage_error(cli, &cli_cmd_config,
			       "unknown action '%s' (show, set or clear-filter)",
			       argv[argi]);
}

CLI_COMMAND(config) = {
	.name = "config",
	.args = "[show] [--json] | set NAME=VALUE... | clear-filter",
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
	"  sample_ms          read-only: how old a process's breakdown may\n"
	"                     be, in ms (modprobe knmt sample_ms=N)\n"
	"  sockets_max        read-only: socket records at most (modprobe\n"
	"                     knmt sockets_max=N); sockets opened beyond it\n"
	"                     are counted, not listed\n"
	"  events_ring        read-only: event records per CPU waiting to\n"
	"                     be sent to 'knmt watch' (modprobe knmt\n"
	"                     events_ring=N); a full ring drops events\n"
	"  events_fault_ms    writable: how often 'knmt watch' gets a\n"
	"                     summary of each process's page faults, in ms\n"
	"                     (a number) or as a duration of whole ms (2s);\n"
	"                     100 .. 3600000, 0 for none (default 1000)\n"
	"\n"
	"The tracking filter (writable): with no criterion set every user\n"
	"process is tracked; with some set, a process is tracked when it\n"
	"matches any of them.\n"
	"  filter_pid=PID     the process PID (of your pid namespace) and its\n"
	"                     descendants born later; 0 or none clears.\n"
	"                     Shown as (none) also when that process is not\n"
	"                     visible in your pid namespace\n"
	"  filter_comm=NAME   processes whose command name (/proc/PID/comm,\n"
	"                     at most 15 characters) is exactly NAME; \"\" or\n"
	"                     none clears\n"
	"  filter_cgroup=CG   the processes of a cgroup v2 and of its\n"
	"                     descendants: CG is its directory (absolute, or\n"
	"                     relative to /sys/fs/cgroup) on the cgroup2 file\n"
	"                     system, or its id (the inode number of that\n"
	"                     directory; a CG of digits only is an id); 0 or\n"
	"                     none clears.  Shown as the id and the\n"
	"                     directory found under /sys/fs/cgroup\n"
	"  clear-filter       clears the three: every process is tracked\n"
	"\n"
	"Several NAME=VALUE go in one request.  Sizes are bytes with an\n"
	"optional binary suffix: 131072, 128K, 128KiB, 1M, 1GiB (K = KiB =\n"
	"1024).\n"
	"\n"
	"  -j, --json  one JSON object of exact values: offheap_min_bytes,\n"
	"              procs_max, sample_ms, events_fault_ms and filter\n"
	"              {pid, comm, cgroup_id, cgroup_path}, null when not set\n"
	"\n"
	"Examples: knmt config set offheap_min_bytes=256K\n"
	"          knmt config set events_fault_ms=5s\n"
	"          knmt config set filter_comm=java filter_pid=4242\n"
	"          knmt config set filter_cgroup=system.slice/app.service\n"
	"          knmt config clear-filter\n",
	.run = config_run,
};
