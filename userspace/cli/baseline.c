// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt baseline and knmt diff: as Java's VM.native_memory baseline and
 * summary.diff, for any process.  baseline writes what knmt sees of
 * processes now (snap.h: per category mapped and resident bytes, the
 * kernel-side memory, RSS, live off-heap bytes, open sockets) to a JSON
 * file with the host, boot id and time; diff reads it back, takes a
 * fresh view and shows per process and per category the value now and
 * its change since: processes still alive (same pid and start time),
 * new ones and those that exited.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json.h>

#include "cli.h"
#include "output.h"
#include "procs.h"
#include "snap.h"
#include "units.h"

#define BASELINE_FORMAT		"knmt-baseline"
#define BASELINE_VERSION	1
/* a baseline larger than this is not one */
#define BASELINE_MAX_BYTES	(256U << 20)

static const struct cli_command cli_cmd_baseline;
static const struct cli_command cli_cmd_diff;

static int oom(struct cli *cli)
{
	fprintf(cli->err, "knmt: out of memory\n");
	return CLI_EXIT_RUNTIME;
}

static uint64_t wall_of(struct cli *cli, uint64_t boot_ns)
{
	int64_t off = cli->clock_offset ? cli->clock_offset()
					: units_boot_to_real_offset();
	int64_t wall = (int64_t)boot_ns + off;

	return wall > 0 ? (uint64_t)wall : 0;
}

/*
 * The processes of pids (GET_PROC each; one that is gone is left out,
 * or with strict is "no process PID", exit 1), or with npids 0 every
 * tracked process (DUMP_PROCS), as snapshots with their cgroup.
 * *missing (may be NULL) gets the count of pids that named no process.
 */
static int take_view(struct cli *cli, const uint32_t *pids, size_t npids,
		     bool strict, struct snap_proc **out, size_t *n,
		     size_t *missing)
{
	struct knmt_proc_info *procs = NULL;
	struct snap_proc *snaps;
	struct knmt *h;
	size_t nprocs = 0, i;
	int ret, err = 0;

	*out = NULL;
	*n = 0;
	if (missing)
		*missing = 0;
	ret = cli_connect(cli, &h);
	if (ret)
		return ret;
	if (!npids) {
		err = knmt_dump_procs_array(h, &procs, &nprocs);
		if (err) {
			ret = cli_report(cli, h, err);
			knmt_close(h);
			return ret;
		}
	} else {
		procs = calloc(npids, sizeof(*procs));
		if (!procs) {
			knmt_close(h);
			return oom(cli);
		}
		for (i = 0; i < npids; i++) {
			err = knmt_get_proc(h, pids[i], &procs[nprocs]);
			if (!err) {
				nprocs++;
				continue;
			}
			if (knmt_last_error(h) == KNMT_E_KERNEL &&
			    knmt_kernel_errno(h) == ESRCH && !strict) {
				if (missing)
					(*missing)++;
				continue;
			}
			ret = cli_report_pid(cli, h, err, pids[i]);
			knmt_close(h);
			free(procs);
			return ret;
		}
	}
	knmt_close(h);

	snaps = calloc(nprocs ? nprocs : 1, sizeof(*snaps));
	if (!snaps) {
		free(procs);
		return oom(cli);
	}
	for (i = 0; i < nprocs; i++) {
		snap_from_proc(&snaps[i], &procs[i]);
		snap_lookup_cgroup(cli, &snaps[i]);
	}
	free(procs);
	*out = snaps;
	*n = nprocs;
	return CLI_EXIT_OK;
}

/* The values of s into row r of t, from column col on; null if s is NULL. */
static void put_vals(struct out_table *t, size_t r, size_t col,
		     const struct snap_proc *s)
{
	unsigned int i;

	for (i = 0; i < SV_COUNT; i++) {
		struct out_val v;

		if (!s || !SNAP_HAS(s, i))
			v = out_null(snap_vals[i].bytes ? OUT_BYTES : OUT_COUNT);
		else
			v = snap_vals[i].bytes ? out_bytes(s->val[i])
					       : out_count(s->val[i]);
		out_cell(t, r, col + i, v);
	}
}

/* ---- knmt baseline ----------------------------------------------------- */

enum { BC_PID, BC_COMM, BC_START, BC_START_NS, BC_CGROUP, BC_VALS,
       BC_COUNT = BC_VALS + SV_COUNT };

static struct out_col baseline_cols[BC_COUNT] = {
	[BC_PID]      = { "pid", "pid", OUT_JSON },
	[BC_COMM]     = { "comm", "comm", OUT_JSON },
	[BC_START]    = { "start_time", "start", OUT_JSON },
	[BC_START_NS] = { "start_boottime_ns", "start", OUT_JSON },
	[BC_CGROUP]   = { "cgroup", "cgroup", OUT_JSON },
};

static void init_cols(struct out_col *cols, size_t from, const char *prefix,
		      char keys[][96])
{
	unsigned int i;

	for (i = 0; i < SV_COUNT; i++) {
		const char *key = snap_vals[i].key;

		if (prefix) {
			snprintf(keys[i], 96, "%s.%s", prefix, key);
			key = keys[i];
		}
		cols[from + i] = (struct out_col){ key, snap_vals[i].label,
						   OUT_JSON };
	}
}

static void baseline_doc(struct cli *cli, struct out_doc *doc,
			 const struct snap_host *host, const uint32_t *pids,
			 size_t npids, const struct snap_proc *procs, size_t n)
{
	struct out_val *pv = NULL;
	struct out_table *t;
	size_t i;

	init_cols(baseline_cols, BC_VALS, NULL, NULL);
	out_field(doc, "format", "format", OUT_JSON, out_str(BASELINE_FORMAT));
	out_field(doc, "version", "version", OUT_JSON, out_count(BASELINE_VERSION));
	out_field(doc, "host", "host", OUT_JSON, out_str(host->host));
	out_field(doc, "boot_id", "boot id", OUT_JSON,
		  out_str(host->boot_id[0] ? host->boot_id : NULL));
	out_field(doc, "time", "time", OUT_JSON, out_time(host->time_ns));
	if (npids) {
		pv = calloc(npids, sizeof(*pv));
		for (i = 0; pv && i < npids; i++)
			pv[i] = out_count(pids[i]);
		out_field(doc, "pids", "pids", OUT_JSON,
			  pv ? out_list(doc, pv, npids) : out_null(OUT_LIST));
		if (!pv)
			doc->oom = true;
		free(pv);
	} else {
		out_field(doc, "pids", "pids", OUT_JSON, out_null(OUT_LIST));
	}
	t = out_table(doc, "processes", NULL, baseline_cols, BC_COUNT, n);
	for (i = 0; t && i < n; i++) {
		const struct snap_proc *s = &procs[i];
		uint64_t wall = s->has_start ? wall_of(cli, s->start_ns) : 0;

		out_cell(t, i, BC_PID, out_count(s->pid));
		out_cell(t, i, BC_COMM, out_str(s->comm));
		out_cell(t, i, BC_START, wall ? out_time(wall) : out_null(OUT_TIME));
		out_cell(t, i, BC_START_NS, s->has_start ? out_count(s->start_ns)
							 : out_null(OUT_COUNT));
		out_cell(t, i, BC_CGROUP, out_str(s->cgroup));
		put_vals(t, i, BC_VALS, s);
	}
}

/* Writes doc as JSON to path, through path.tmp renamed over it. */
static int write_file(struct cli *cli, const char *path,
		      const struct out_doc *doc)
{
	char *tmp = NULL;
	FILE *f;
	int ret = 0;

	if (strcmp(path, "-") == 0) {
		if (out_render_json(cli->out, doc) < 0) {
			fprintf(cli->err, "knmt baseline: cannot print the baseline\n");
			return CLI_EXIT_RUNTIME;
		}
		return CLI_EXIT_OK;
	}
	if (asprintf(&tmp, "%s.tmp", path) < 0)
		return oom(cli);
	f = fopen(tmp, "we");
	if (!f) {
		fprintf(cli->err, "knmt baseline: cannot write %s: %s\n", tmp,
			strerror(errno));
		free(tmp);
		return CLI_EXIT_RUNTIME;
	}
	if (out_render_json(f, doc) < 0 || fflush(f) != 0 || fsync(fileno(f)) < 0)
		ret = -1;
	if (fclose(f) != 0)
		ret = -1;
	if (!ret && rename(tmp, path) < 0)
		ret = -1;
	if (ret) {
		fprintf(cli->err, "knmt baseline: cannot write %s: %s\n", path,
			strerror(errno ? errno : EIO));
		unlink(tmp);
	}
	free(tmp);
	return ret ? CLI_EXIT_RUNTIME : CLI_EXIT_OK;
}

static int baseline_run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const struct cli_command *cmd = &cli_cmd_baseline;
	struct snap_proc *procs = NULL;
	struct snap_host host;
	const char *file = NULL;
	struct out_doc doc;
	uint32_t *pids;
	size_t npids = 0, n = 0;
	int c, ret = 0;

	pids = calloc((size_t)argc, sizeof(*pids));
	if (!pids)
		return oom(cli);
	optind = 0;
	opterr = 0;
	while (!ret && (c = getopt_long(argc, argv, ":p:o:", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			ret = procs_parse_pid(cli, cmd, optarg, &pids[npids]);
			npids++;
			break;
		case 'o':
			if (file)
				ret = cli_usage_error(cli, cmd, "one -o FILE only");
			else if (!optarg[0])
				ret = cli_usage_error(cli, cmd, "-o: an empty file name");
			file = optarg;
			break;
		default:
			ret = cli_option_error(cli, cmd, c, argv);
			break;
		}
	}
	if (!ret)
		ret = cli_no_operand(cli, cmd, argc, argv, optind);
	if (!ret && !file)
		ret = cli_usage_error(cli, cmd, "where to write it: -o FILE");
	if (!ret)
		ret = take_view(cli, pids, npids, true, &procs, &n, NULL);
	if (ret) {
		free(pids);
		return ret;
	}
	snap_host(cli, &host);
	out_init(&doc);
	baseline_doc(cli, &doc, &host, pids, npids, procs, n);
	if (doc.oom)
		ret = oom(cli);
	else
		ret = write_file(cli, file, &doc);
	out_free(&doc);
	if (!ret && strcmp(file, "-") != 0)
		fprintf(cli->out, "baseline of %zu process%s written to %s\n", n,
			n == 1 ? "" : "es", file);
	snap_procs_free(procs, n);
	free(pids);
	return ret;
}

CLI_COMMAND(baseline) = {
	.name = "baseline",
	.args = "[-p PID...] -o FILE",
	.summary = "save what knmt sees of processes now, for knmt diff",
	.help =
	"Writes to FILE (JSON, '-' for stdout) the host, the boot id, the time\n"
	"and per process (pid, start time, comm, cgroup) its mapped and\n"
	"resident bytes per category, page tables, kernel stacks, socket\n"
	"buffers, RSS, live off-heap bytes, open sockets and native total.\n"
	"'knmt diff FILE' shows later what changed since, as Java's\n"
	"VM.native_memory baseline and summary.diff.\n"
	"\n"
	"  -p, --pid PID  these processes only (repeat -p); diff then looks at\n"
	"                 these pids only, unless given its own -p.  A pid\n"
	"                 that names no process: nothing is written, exit 1.\n"
	"  -o, --output FILE\n"
	"                 where to write it (written as FILE.tmp, renamed)\n"
	"\n"
	"Without -p: every tracked process.  The format is in the README.\n"
	"FILE is JSON already: -j/--json, before or after baseline, is a usage\n"
	"error.\n",
	.no_json = "writes JSON already (-o - prints it)",
	.run = baseline_run,
};

/* ---- reading a baseline ---------------------------------------------------- */

struct baseline {
	char *host;
	char *boot_id;			/* NULL: not known */
	uint64_t time_ns;
	bool has_pids;
	uint32_t *pids;
	size_t npids;
	struct snap_proc *procs;
	size_t n;
};

static void baseline_free(struct baseline *b)
{
	free(b->host);
	free(b->boot_id);
	free(b->pids);
	snap_procs_free(b->procs, b->n);
	memset(b, 0, sizeof(*b));
}

/* The value at path "a.b.c" of o, or NULL when a part is missing. */
static struct json_object *get_path(struct json_object *o, const char *path)
{
	char part[96];

	while (o && *path) {
		size_t n = strcspn(path, ".");

		if (n >= sizeof(part) || !json_object_is_type(o, json_type_object))
			return NULL;
		memcpy(part, path, n);
		part[n] = '\0';
		if (!json_object_object_get_ex(o, part, &o))
			return NULL;
		path += n;
		if (*path == '.')
			path++;
	}
	return o;
}

/* A string or null (*out NULL) at key; -1 when of another type. */
static int get_str(struct json_object *o, const char *key, char **out)
{
	struct json_object *v = get_path(o, key);

	*out = NULL;
	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return -1;
	*out = strdup(json_object_get_string(v));
	return *out ? 0 : -1;
}

/* A non-negative integer at key: 1 (*out), 0 when null or missing, -1 else. */
static int get_u64(struct json_object *o, const char *key, uint64_t *out)
{
	struct json_object *v = get_path(o, key);

	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_int))
		return -1;
	errno = 0;
	*out = json_object_get_uint64(v);
	if (errno || json_object_get_int64(v) < 0)
		return -1;
	return 1;
}

static int read_proc(struct json_object *o, struct snap_proc *s, char *why,
		     size_t len)
{
	uint64_t v;
	char *comm = NULL;
	unsigned int i;
	int r;

	if (!json_object_is_type(o, json_type_object)) {
		snprintf(why, len, "a process is not an object");
		return -1;
	}
	if (get_u64(o, "pid", &v) != 1 || v == 0 || v > UINT32_MAX) {
		snprintf(why, len, "a process without a valid pid");
		return -1;
	}
	s->pid = (uint32_t)v;
	if (get_str(o, "comm", &comm) < 0) {
		snprintf(why, len, "comm of process %u", (unsigned int)s->pid);
		return -1;
	}
	snprintf(s->comm, sizeof(s->comm), "%s", comm ? comm : "");
	free(comm);
	if (get_str(o, "cgroup", &s->cgroup) < 0) {
		snprintf(why, len, "cgroup of process %u", (unsigned int)s->pid);
		return -1;
	}
	r = get_u64(o, "start_boottime_ns", &s->start_ns);
	if (r < 0) {
		snprintf(why, len, "start_boottime_ns of process %u",
			 (unsigned int)s->pid);
		return -1;
	}
	s->has_start = r == 1;
	for (i = 0; i < SV_COUNT; i++) {
		r = get_u64(o, snap_vals[i].key, &s->val[i]);
		if (r < 0) {
			snprintf(why, len, "%s of process %u is not a count of bytes",
				 snap_vals[i].key, (unsigned int)s->pid);
			return -1;
		}
		if (r == 1)
			s->present |= 1U << i;
	}
	return 0;
}

static int parse_baseline(struct json_object *root, struct baseline *b,
			  char *why, size_t len)
{
	struct json_object *v, *arr;
	char *s = NULL;
	uint64_t u;
	size_t i;

	if (!json_object_is_type(root, json_type_object) ||
	    get_str(root, "format", &s) < 0 || !s ||
	    strcmp(s, BASELINE_FORMAT) != 0) {
		free(s);
		snprintf(why, len, "no \"format\": \"%s\"", BASELINE_FORMAT);
		return -1;
	}
	free(s);
	if (get_u64(root, "version", &u) != 1) {
		snprintf(why, len, "no format version");
		return -1;
	}
	if (u != BASELINE_VERSION) {
		snprintf(why, len, "format version %" PRIu64 "; this knmt reads "
			 "version %d", u, BASELINE_VERSION);
		return -1;
	}
	if (get_str(root, "host", &b->host) < 0 ||
	    get_str(root, "boot_id", &b->boot_id) < 0) {
		snprintf(why, len, "host or boot_id is not a string");
		return -1;
	}
	if (get_str(root, "time", &s) < 0 || !s ||
	    snap_parse_time(s, &b->time_ns) < 0) {
		free(s);
		snprintf(why, len, "no time, or not an ISO-8601 UTC time");
		return -1;
	}
	free(s);
	v = get_path(root, "pids");
	if (v && json_object_is_type(v, json_type_array)) {
		size_t n = json_object_array_length(v);

		b->has_pids = true;
		b->pids = calloc(n ? n : 1, sizeof(*b->pids));
		if (!b->pids) {
			snprintf(why, len, "out of memory");
			return -1;
		}
		for (i = 0; i < n; i++) {
			struct json_object *e = json_object_array_get_idx(v, i);
			int64_t p = json_object_get_int64(e);

			if (!json_object_is_type(e, json_type_int) || p < 1 ||
			    p > PID_MAX_LIMIT) {
				snprintf(why, len, "pids holds something else than pids");
				return -1;
			}
			b->pids[b->npids++] = (uint32_t)p;
		}
	} else if (v && !json_object_is_type(v, json_type_null)) {
		snprintf(why, len, "pids is not an array");
		return -1;
	}
	arr = get_path(root, "processes");
	if (!arr || !json_object_is_type(arr, json_type_array)) {
		snprintf(why, len, "no array \"processes\"");
		return -1;
	}
	b->procs = calloc(json_object_array_length(arr) + 1, sizeof(*b->procs));
	if (!b->procs) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	for (i = 0; i < json_object_array_length(arr); i++) {
		b->n++;
		if (read_proc(json_object_array_get_idx(arr, i),
			      &b->procs[b->n - 1], why, len) < 0)
			return -1;
	}
	return 0;
}

static int baseline_read(struct cli *cli, const char *path, struct baseline *b)
{
	enum json_tokener_error jerr;
	struct json_object *root;
	char why[256] = "";
	struct stat st;
	char *buf;
	size_t got = 0;
	FILE *f;
	int ret;

	memset(b, 0, sizeof(*b));
	f = fopen(path, "re");
	if (!f || fstat(fileno(f), &st) < 0) {
		fprintf(cli->err, "knmt diff: cannot read %s: %s\n", path,
			strerror(errno));
		if (f)
			fclose(f);
		return CLI_EXIT_RUNTIME;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > BASELINE_MAX_BYTES) {
		fprintf(cli->err, "knmt diff: %s is not a knmt baseline (%s)\n",
			path, S_ISREG(st.st_mode) ? "too large" : "not a file");
		fclose(f);
		return CLI_EXIT_RUNTIME;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		fclose(f);
		return oom(cli);
	}
	got = fread(buf, 1, (size_t)st.st_size, f);
	buf[got] = '\0';
	fclose(f);
	root = json_tokener_parse_verbose(buf, &jerr);
	free(buf);
	if (!root) {
		fprintf(cli->err, "knmt diff: %s is not a knmt baseline (not JSON: %s)\n",
			path, json_tokener_error_desc(jerr));
		return CLI_EXIT_RUNTIME;
	}
	ret = parse_baseline(root, b, why, sizeof(why));
	json_object_put(root);
	if (ret < 0) {
		fprintf(cli->err, "knmt diff: %s is not a knmt baseline knmt can read (%s)\n",
			path, why);
		baseline_free(b);
		return CLI_EXIT_RUNTIME;
	}
	return CLI_EXIT_OK;
}

/* ---- knmt diff --------------------------------------------------------------- */

enum diff_status { DS_ALIVE, DS_NEW, DS_EXITED };

static const char *const status_names[] = {
	[DS_ALIVE] = "alive", [DS_NEW] = "new", [DS_EXITED] = "exited",
};

struct diff_ent {
	enum diff_status status;
	const struct snap_proc *base;	/* NULL: new */
	const struct snap_proc *cur;	/* NULL: exited */
};

/* Value i changed from base to cur, a missing side counting as 0. */
static bool delta(const struct diff_ent *e, unsigned int i, int64_t *d)
{
	bool hb = e->base && SNAP_HAS(e->base, i);
	bool hc = e->cur && SNAP_HAS(e->cur, i);

	if ((e->base && !hb) || (e->cur && !hc))
		return false;	/* not sent on a side that exists */
	*d = (int64_t)((hc ? e->cur->val[i] : 0) - (hb ? e->base->val[i] : 0));
	return true;
}

static int64_t native_delta(const struct diff_ent *e)
{
	int64_t d = 0;

	return delta(e, SV_NATIVE_TOTAL, &d) ? d : 0;
}

/* Largest growth first, then by pid. */
static int ent_cmp(const void *a, const void *b)
{
	const struct diff_ent *x = a, *y = b;
	int64_t dx = native_delta(x), dy = native_delta(y);
	uint32_t px = x->cur ? x->cur->pid : x->base->pid;
	uint32_t py = y->cur ? y->cur->pid : y->base->pid;

	if (dx != dy)
		return dx > dy ? -1 : 1;
	if (px != py)
		return px < py ? -1 : 1;
	return (int)x->status - (int)y->status;
}

static bool in_scope(const uint32_t *pids, size_t npids, uint32_t pid)
{
	size_t i;

	if (!npids)
		return true;
	for (i = 0; i < npids; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

/*
 * The same process: same pid and start time; across boots (--force), or
 * when a start time is not known, same pid and comm.
 */
static bool same_proc(const struct snap_proc *b, const struct snap_proc *c,
		      bool other_boot)
{
	if (b->pid != c->pid)
		return false;
	if (!other_boot && b->has_start && c->has_start)
		return b->start_ns == c->start_ns;
	return strcmp(b->comm, c->comm) == 0;
}

/* Pairs the baseline's processes in scope with the view's; *n entries. */
static struct diff_ent *match(const struct baseline *b,
			      const struct snap_proc *cur, size_t ncur,
			      const uint32_t *pids, size_t npids,
			      bool other_boot, size_t *n)
{
	struct diff_ent *ents = calloc(b->n + ncur + 1, sizeof(*ents));
	bool *used = calloc(b->n + 1, sizeof(*used));
	size_t i, j, k = 0;

	if (!ents || !used) {
		free(ents);
		free(used);
		return NULL;
	}
	for (i = 0; i < ncur; i++) {
		if (!in_scope(pids, npids, cur[i].pid))
			continue;
		ents[k] = (struct diff_ent){ DS_NEW, NULL, &cur[i] };
		for (j = 0; j < b->n; j++) {
			if (!used[j] && same_proc(&b->procs[j], &cur[i], other_boot)) {
				used[j] = true;
				ents[k].status = DS_ALIVE;
				ents[k].base = &b->procs[j];
				break;
			}
		}
		k++;
	}
	for (j = 0; j < b->n; j++)
		if (!used[j] && in_scope(pids, npids, b->procs[j].pid))
			ents[k++] = (struct diff_ent){ DS_EXITED, &b->procs[j], NULL };
	free(used);
	qsort(ents, k, sizeof(*ents), ent_cmp);
	*n = k;
	return ents;
}

/* Sums over the entries: now, at the baseline, how many of each. */
struct diff_totals {
	size_t count[3];
	uint64_t cur[SV_COUNT], base[SV_COUNT];
};

static void sum(struct diff_totals *t, const struct diff_ent *ents, size_t n)
{
	unsigned int i;
	size_t k;

	memset(t, 0, sizeof(*t));
	for (k = 0; k < n; k++) {
		t->count[ents[k].status]++;
		for (i = 0; i < SV_COUNT; i++) {
			if (ents[k].cur && SNAP_HAS(ents[k].cur, i))
				t->cur[i] += ents[k].cur->val[i];
			if (ents[k].base && SNAP_HAS(ents[k].base, i))
				t->base[i] += ents[k].base->val[i];
		}
	}
}

static struct out_val val_of(unsigned int i, bool ok, uint64_t v)
{
	if (!ok)
		return out_null(snap_vals[i].bytes ? OUT_BYTES : OUT_COUNT);
	return snap_vals[i].bytes ? out_bytes(v) : out_count(v);
}

static struct out_val delta_of(unsigned int i, bool ok, int64_t d)
{
	if (!ok)
		return out_null(snap_vals[i].bytes ? OUT_SBYTES : OUT_INT);
	return snap_vals[i].bytes ? out_delta_bytes(d) : out_delta(d);
}

/* -- JSON -- */

enum { DJ_PID, DJ_COMM, DJ_STATUS, DJ_START, DJ_CGROUP,
       DJ_CUR, DJ_BASE = DJ_CUR + SV_COUNT, DJ_DELTA = DJ_BASE + SV_COUNT,
       DJ_COUNT = DJ_DELTA + SV_COUNT };

static struct out_col diff_json_cols[DJ_COUNT] = {
	[DJ_PID]    = { "pid", "pid", OUT_JSON },
	[DJ_COMM]   = { "comm", "comm", OUT_JSON },
	[DJ_STATUS] = { "status", "status", OUT_JSON },
	[DJ_START]  = { "start_time", "start", OUT_JSON },
	[DJ_CGROUP] = { "cgroup", "cgroup", OUT_JSON },
};
static char base_keys[SV_COUNT][96], delta_keys[SV_COUNT][96];
static char tot_keys[SV_COUNT][96], tot_base_keys[SV_COUNT][96],
	    tot_delta_keys[SV_COUNT][96];

static void diff_json(struct cli *cli, struct out_doc *doc,
		      const struct diff_ent *ents, size_t n, size_t shown,
		      const struct diff_totals *tot)
{
	struct out_table *t;
	unsigned int i;
	size_t k;

	init_cols(diff_json_cols, DJ_CUR, NULL, NULL);
	init_cols(diff_json_cols, DJ_BASE, "baseline", base_keys);
	init_cols(diff_json_cols, DJ_DELTA, "delta", delta_keys);
	t = out_table(doc, "processes", NULL, diff_json_cols, DJ_COUNT, shown);
	for (k = 0; t && k < shown; k++) {
		const struct diff_ent *e = &ents[k];
		const struct snap_proc *s = e->cur ? e->cur : e->base;
		uint64_t wall = 0;

		if (e->cur && e->cur->has_start)
			wall = wall_of(cli, e->cur->start_ns);
		else if (!e->cur && e->base->has_start)
			wall = wall_of(cli, e->base->start_ns);
		out_cell(t, k, DJ_PID, out_count(s->pid));
		out_cell(t, k, DJ_COMM, out_str(s->comm));
		out_cell(t, k, DJ_STATUS, out_str(status_names[e->status]));
		out_cell(t, k, DJ_START, wall ? out_time(wall) : out_null(OUT_TIME));
		out_cell(t, k, DJ_CGROUP, out_str(s->cgroup));
		for (i = 0; i < SV_COUNT; i++) {
			int64_t d = 0;
			bool ok = delta(e, i, &d);

			out_cell(t, k, DJ_CUR + i, e->cur ?
				 val_of(i, SNAP_HAS(e->cur, i), e->cur->val[i]) :
				 val_of(i, false, 0));
			out_cell(t, k, DJ_BASE + i, e->base ?
				 val_of(i, SNAP_HAS(e->base, i), e->base->val[i]) :
				 val_of(i, false, 0));
			out_cell(t, k, DJ_DELTA + i, delta_of(i, ok, d));
		}
	}
	(void)n;
	out_field(doc, "totals.processes.alive", "", OUT_JSON,
		  out_count(tot->count[DS_ALIVE]));
	out_field(doc, "totals.processes.new", "", OUT_JSON,
		  out_count(tot->count[DS_NEW]));
	out_field(doc, "totals.processes.exited", "", OUT_JSON,
		  out_count(tot->count[DS_EXITED]));
	for (i = 0; i < SV_COUNT; i++) {
		snprintf(tot_keys[i], sizeof(tot_keys[i]), "totals.%s",
			 snap_vals[i].key);
		snprintf(tot_base_keys[i], sizeof(tot_base_keys[i]),
			 "totals.baseline.%s", snap_vals[i].key);
		snprintf(tot_delta_keys[i], sizeof(tot_delta_keys[i]),
			 "totals.delta.%s", snap_vals[i].key);
		out_field(doc, tot_keys[i], "", OUT_JSON, val_of(i, true, tot->cur[i]));
		out_field(doc, tot_base_keys[i], "", OUT_JSON,
			  val_of(i, true, tot->base[i]));
		out_field(doc, tot_delta_keys[i], "", OUT_JSON,
			  delta_of(i, true, (int64_t)(tot->cur[i] - tot->base[i])));
	}
}

/* -- text -- */

enum { DT_WHAT, DT_MAPPED, DT_MAPPED_D, DT_RES, DT_RES_D, DT_COUNT };

static const struct out_col detail_cols[DT_COUNT] = {
	[DT_WHAT]     = { "what", "category", OUT_TEXT },
	[DT_MAPPED]   = { "mapped", "mapped", OUT_TEXT },
	[DT_MAPPED_D] = { "mapped_delta", "change", OUT_TEXT },
	[DT_RES]      = { "resident", "resident", OUT_TEXT },
	[DT_RES_D]    = { "resident_delta", "change", OUT_TEXT },
};

/* Rows after the categories: the values of SV_PAGETABLES on. */
#define DETAIL_ROWS	(KNMT_CAT_NR + SV_COUNT - SV_PAGETABLES)

/* Value i and its change into columns col, col + 1 of row r. */
static void detail_cells(struct out_table *t, size_t r, size_t col,
			 unsigned int i, const struct diff_ent *e,
			 const struct diff_totals *tot)
{
	int64_t d = 0;
	bool ok;

	if (tot) {
		out_cell(t, r, col, val_of(i, true, tot->cur[i]));
		out_cell(t, r, col + 1, delta_of(i, true,
			 (int64_t)(tot->cur[i] - tot->base[i])));
		return;
	}
	ok = delta(e, i, &d);
	out_cell(t, r, col, e->cur ? val_of(i, SNAP_HAS(e->cur, i), e->cur->val[i])
				   : val_of(i, false, 0));
	out_cell(t, r, col + 1, delta_of(i, ok, d));
}

/*
 * The NMT-like block of one process (e) or of the totals (tot): per
 * category mapped and resident bytes with their changes, then the
 * kernel-side memory, RSS, live off-heap bytes, open sockets and the
 * native total with theirs.
 */
static void detail_table(struct out_doc *doc, const struct diff_ent *e,
			 const struct diff_totals *tot)
{
	struct out_table *t = out_table(doc, NULL, NULL, detail_cols, DT_COUNT,
					DETAIL_ROWS);
	unsigned int r, i;

	for (r = 0; t && r < DETAIL_ROWS; r++) {
		if (r < KNMT_CAT_NR) {
			out_cell(t, r, DT_WHAT, out_str(knmt_category_name(r)));
			detail_cells(t, r, DT_MAPPED, SV_MAPPED + r, e, tot);
			detail_cells(t, r, DT_RES, SV_RESIDENT + r, e, tot);
			continue;
		}
		i = SV_PAGETABLES + r - KNMT_CAT_NR;
		out_cell(t, r, DT_WHAT, out_str(snap_vals[i].label));
		out_cell(t, r, DT_MAPPED, out_str(""));
		out_cell(t, r, DT_MAPPED_D, out_str(""));
		detail_cells(t, r, DT_RES, i, e, tot);
	}
}

enum { DL_PID, DL_COMM, DL_STATUS, DL_RSS, DL_RSS_D, DL_RES, DL_RES_D,
       DL_TOTAL, DL_TOTAL_D, DL_TOP, DL_COUNT };

static const struct out_col list_cols[DL_COUNT] = {
	[DL_PID]     = { "pid", "pid", OUT_TEXT },
	[DL_COMM]    = { "comm", "comm", OUT_TEXT },
	[DL_STATUS]  = { "status", "status", OUT_TEXT },
	[DL_RSS]     = { "rss", "rss", OUT_TEXT },
	[DL_RSS_D]   = { "rss_delta", "change", OUT_TEXT },
	[DL_RES]     = { "resident", "resident", OUT_TEXT },
	[DL_RES_D]   = { "resident_delta", "change", OUT_TEXT },
	[DL_TOTAL]   = { "total", "total", OUT_TEXT },
	[DL_TOTAL_D] = { "total_delta", "change", OUT_TEXT },
	[DL_TOP]     = { "top", "largest changes", OUT_TEXT },
};

/* Resident bytes of every category, and whether all were sent. */
static bool resident_sum(const struct snap_proc *s, uint64_t *v)
{
	unsigned int c;

	*v = 0;
	for (c = 0; c < KNMT_CAT_NR; c++) {
		if (!SNAP_HAS(s, SV_RESIDENT + c))
			return false;
		*v += s->val[SV_RESIDENT + c];
	}
	return true;
}

static uint64_t magnitude(int64_t d)
{
	return d < 0 ? -(uint64_t)d : (uint64_t)d;
}

/* "offheap +64 MiB, heap +1.2 MiB": the two largest resident changes. */
static const char *top_changes(struct out_doc *doc, const struct diff_ent *e)
{
	int64_t dv[KNMT_CAT_NR] = { 0 };
	int best[2] = { -1, -1 };
	char a[32], b[32];
	unsigned int c;

	for (c = 0; c < KNMT_CAT_NR; c++) {
		if (!delta(e, SV_RESIDENT + c, &dv[c]) || dv[c] == 0)
			continue;
		if (best[0] < 0 || magnitude(dv[c]) > magnitude(dv[best[0]])) {
			best[1] = best[0];
			best[0] = (int)c;
		} else if (best[1] < 0 || magnitude(dv[c]) > magnitude(dv[best[1]])) {
			best[1] = (int)c;
		}
	}
	if (best[0] < 0)
		return NULL;
	out_val_text(&(struct out_val){ .type = OUT_SBYTES, .i = dv[best[0]],
					.plus = true }, a, sizeof(a));
	if (best[1] < 0)
		return out_printf(doc, "%s %s",
				  knmt_category_name((unsigned int)best[0]), a);
	out_val_text(&(struct out_val){ .type = OUT_SBYTES, .i = dv[best[1]],
					.plus = true }, b, sizeof(b));
	return out_printf(doc, "%s %s, %s %s",
			  knmt_category_name((unsigned int)best[0]), a,
			  knmt_category_name((unsigned int)best[1]), b);
}

static void list_table(struct out_doc *doc, const struct diff_ent *ents,
		       size_t shown)
{
	struct out_table *t = out_table(doc, NULL, NULL, list_cols, DL_COUNT,
					shown);
	size_t k;

	for (k = 0; t && k < shown; k++) {
		const struct diff_ent *e = &ents[k];
		const struct snap_proc *s = e->cur ? e->cur : e->base;
		uint64_t rc = 0, rb = 0;
		bool okc, okb, ok;
		int64_t d = 0;

		out_cell(t, k, DL_PID, out_count(s->pid));
		out_cell(t, k, DL_COMM, out_str(s->comm));
		out_cell(t, k, DL_STATUS, out_str(status_names[e->status]));
		out_cell(t, k, DL_RSS, e->cur ? val_of(SV_RSS, SNAP_HAS(e->cur, SV_RSS),
						      e->cur->val[SV_RSS])
					 : val_of(SV_RSS, false, 0));
		ok = delta(e, SV_RSS, &d);
		out_cell(t, k, DL_RSS_D, delta_of(SV_RSS, ok, d));
		okc = !e->cur || resident_sum(e->cur, &rc);
		okb = !e->base || resident_sum(e->base, &rb);
		out_cell(t, k, DL_RES, e->cur && okc ? out_bytes(rc) : out_null(OUT_BYTES));
		out_cell(t, k, DL_RES_D, okc && okb ? out_delta_bytes((int64_t)(rc - rb))
						    : out_null(OUT_SBYTES));
		out_cell(t, k, DL_TOTAL, e->cur ?
			 val_of(SV_NATIVE_TOTAL, SNAP_HAS(e->cur, SV_NATIVE_TOTAL),
				e->cur->val[SV_NATIVE_TOTAL]) :
			 val_of(SV_NATIVE_TOTAL, false, 0));
		ok = delta(e, SV_NATIVE_TOTAL, &d);
		out_cell(t, k, DL_TOTAL_D, delta_of(SV_NATIVE_TOTAL, ok, d));
		out_cell(t, k, DL_TOP, out_str(top_changes(doc, e)));
	}
}

static void diff_text(struct cli *cli, struct out_doc *doc, const char *file,
		      const struct baseline *b, const struct snap_host *now,
		      const struct diff_ent *ents, size_t n, size_t shown,
		      const struct diff_totals *tot, bool detail)
{
	char ago[32];
	size_t k;

	(void)cli;
	out_text(doc, "Native memory since the baseline %s", file);
	out_field(doc, "taken", "taken", OUT_TEXT, out_time(b->time_ns));
	out_field(doc, "ago", "ago", OUT_TEXT, out_str(out_printf(doc, "%s",
		  now->time_ns > b->time_ns ?
		  units_format_ns(now->time_ns - b->time_ns, ago, sizeof(ago)) : "0 s")));
	out_field(doc, "host", "host", OUT_TEXT, out_str(b->host));
	out_field(doc, "processes", "processes", OUT_TEXT,
		  out_str(out_printf(doc, "%zu: %zu alive, %zu new, %zu exited", n,
				     tot->count[DS_ALIVE], tot->count[DS_NEW],
				     tot->count[DS_EXITED])));
	if (b->boot_id && now->boot_id[0] && strcmp(b->boot_id, now->boot_id) != 0)
		out_text(doc, "another boot (--force): processes matched by pid and comm");

	out_text(doc, "\nTotal:");
	detail_table(doc, NULL, tot);
	if (!detail) {
		if (n) {
			out_text(doc, "%s", "");
			list_table(doc, ents, shown);
		}
		return;
	}
	for (k = 0; k < shown; k++) {
		const struct diff_ent *e = &ents[k];
		const struct snap_proc *s = e->cur ? e->cur : e->base;

		out_text(doc, "\n%u (%s): %s%s%s", (unsigned int)s->pid, s->comm,
			 status_names[e->status], s->cgroup ? ", cgroup " : "",
			 s->cgroup ? s->cgroup : "");
		detail_table(doc, e, NULL);
	}
}

static int diff_run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const struct cli_command *cmd = &cli_cmd_diff;
	struct snap_proc *cur = NULL;
	struct diff_ent *ents = NULL;
	struct diff_totals tot;
	struct baseline b;
	struct snap_host now;
	struct out_doc doc;
	const uint32_t *scope;
	uint32_t *pids;
	size_t npids = 0, nscope, ncur = 0, n = 0, top = 0, missing = 0, k;
	bool force = false, other_boot;
	const char *file;
	int c, ret = 0;

	pids = calloc((size_t)argc, sizeof(*pids));
	if (!pids)
		return oom(cli);
	optind = 0;
	opterr = 0;
	while (!ret && (c = getopt_long(argc, argv, ":p:jfn:", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			ret = procs_parse_pid(cli, cmd, optarg, &pids[npids]);
			npids++;
			break;
		case 'j':
			cli->json = true;
			break;
		case 'f':
			force = true;
			break;
		case 'n':
			ret = procs_parse_count(cli, cmd, "-n", optarg, &top);
			break;
		default:
			ret = cli_option_error(cli, cmd, c, argv);
			break;
		}
	}
	if (!ret && optind >= argc)
		ret = cli_usage_error(cli, cmd, "which baseline: a FILE written by knmt baseline");
	if (!ret)
		ret = cli_no_operand(cli, cmd, argc, argv, optind + 1);
	if (ret) {
		free(pids);
		return ret;
	}
	file = argv[optind];

	ret = baseline_read(cli, file, &b);
	if (ret) {
		free(pids);
		return ret;
	}
	snap_host(cli, &now);
	other_boot = b.boot_id && now.boot_id[0] &&
		     strcmp(b.boot_id, now.boot_id) != 0;
	if (other_boot && !force) {
		fprintf(cli->err,
			"knmt diff: %s was taken in another boot (host %s, boot id %s; "
			"now host %s, boot id %s): its pids and start times name other "
			"processes now.  --force compares processes by pid and comm.\n",
			file, b.host ? b.host : "?", b.boot_id, now.host, now.boot_id);
		baseline_free(&b);
		free(pids);
		return CLI_EXIT_RUNTIME;
	}
	scope = npids ? pids : b.pids;
	nscope = npids ? npids : b.npids;
	ret = take_view(cli, scope, nscope, false, &cur, &ncur, &missing);
	if (!ret) {
		ents = match(&b, cur, ncur, scope, nscope, other_boot, &n);
		if (!ents)
			ret = oom(cli);
	}
	if (ret) {
		snap_procs_free(cur, ncur);
		baseline_free(&b);
		free(pids);
		return ret;
	}
	sum(&tot, ents, n);

	out_init(&doc);
	if (cli->json) {
		out_field(&doc, "baseline.file", "", OUT_JSON, out_str(file));
		out_field(&doc, "baseline.host", "", OUT_JSON, out_str(b.host));
		out_field(&doc, "baseline.boot_id", "", OUT_JSON, out_str(b.boot_id));
		out_field(&doc, "baseline.time", "", OUT_JSON, out_time(b.time_ns));
		out_field(&doc, "baseline.processes", "", OUT_JSON, out_count(b.n));
		out_field(&doc, "host", "", OUT_JSON, out_str(now.host));
		out_field(&doc, "boot_id", "", OUT_JSON,
			  out_str(now.boot_id[0] ? now.boot_id : NULL));
		out_field(&doc, "time", "", OUT_JSON, out_time(now.time_ns));
		out_field(&doc, "other_boot", "", OUT_JSON, out_bool(other_boot));
		diff_json(cli, &doc, ents, n, top && top < n ? top : n, &tot);
	} else {
		diff_text(cli, &doc, file, &b, &now, ents, n,
			  top && top < n ? top : n, &tot, nscope != 0);
	}
	ret = cli_render(cli, &doc, "the diff");
	out_free(&doc);

	/* a -p that names nothing, then and now */
	for (k = 0; !ret && missing && k < npids; k++) {
		size_t j;
		bool seen = false;

		for (j = 0; j < n; j++)
			if ((ents[j].cur ? ents[j].cur : ents[j].base)->pid == pids[k])
				seen = true;
		if (!seen) {
			fprintf(cli->err, "knmt: no process %u, then or now\n",
				(unsigned int)pids[k]);
			ret = CLI_EXIT_RUNTIME;
		}
	}
	free(ents);
	snap_procs_free(cur, ncur);
	baseline_free(&b);
	free(pids);
	return ret;
}

CLI_COMMAND(diff) = {
	.name = "diff",
	.args = "FILE [-p PID...] [-n N] [--force] [--json]",
	.summary = "what changed since a baseline, per process and category",
	.help =
	"Reads FILE (written by 'knmt baseline'), takes a fresh view and shows,\n"
	"as Java's VM.native_memory summary.diff, the values now and their\n"
	"change since the baseline (\"+64 MiB\"): first the totals per category,\n"
	"then per process, largest growth first: alive (the same pid and\n"
	"start time as in the baseline), new (not in the baseline; a pid\n"
	"reused by another process is its exited one and a new one), exited\n"
	"(in the baseline, gone now).  A new process counts from 0, an exited\n"
	"one down to 0.  With -p, or a baseline taken with -p, each process\n"
	"gets the whole breakdown; otherwise one line each.\n"
	"\n"
	"  -p, --pid PID  these pids only (repeat -p); default: those of the\n"
	"                 baseline's -p, else every process\n"
	"  -n N           the first N processes only (the totals count all)\n"
	"  -f, --force    compare a baseline of another boot (refused else,\n"
	"                 exit 1): processes are then matched by pid and comm\n"
	"  -j, --json     {\"baseline\": {...}, \"processes\": [...],\n"
	"                 \"totals\": {...}}: each value now, at the baseline\n"
	"                 and its change, exact; the keys are in the README.\n",
	.run = diff_run,
};
