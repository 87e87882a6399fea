// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt status: the module, the kernel, the counters and every hook.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"

enum {
	HC_NAME, HC_KIND, HC_STATE, HC_PREFERRED, HC_TARGET, HC_HITS,
	HC_MISSED, HC_COST_NS, HC_COST_RUNS, HC_NS_PER_RUN, HC_ERROR,
	HC_REASON, HC_REASON_TEXT, HC_COUNT
};

enum { MC_NAME, MC_BYTES, MC_RECORDS, MC_RECORD_SIZE, MC_PER_RECORD, MC_COUNT };

/* JSON keys are a contract used by other tests: change none. */
static const struct out_col hook_cols[HC_COUNT] = {
	[HC_NAME]	 = { "name",	  "hook",      OUT_BOTH },
	[HC_KIND]	 = { "kind",	  "kind",      OUT_BOTH },
	[HC_STATE]	 = { "state",	  "state",     OUT_BOTH },
	[HC_PREFERRED]	 = { "preferred", "preferred", OUT_JSON },
	[HC_TARGET]	 = { "target",	  "target",    OUT_BOTH },
	[HC_HITS]	 = { "hits",	  "hits",      OUT_BOTH },
	[HC_MISSED]	 = { "missed",	  "missed",    OUT_BOTH },
	[HC_COST_NS]	 = { "cost_ns",	  "cost ns",   OUT_JSON },
	[HC_COST_RUNS]	 = { "cost_runs", "timed",     OUT_JSON },
	[HC_NS_PER_RUN]	 = { "ns_per_run", "ns/run",   OUT_BOTH },
	[HC_ERROR]	 = { "error",	  "error",     OUT_JSON },
	[HC_REASON]	 = { "reason",	  "reason",    OUT_JSON },
	[HC_REASON_TEXT] = { "reason",	  "reason",    OUT_TEXT },
};

static const struct out_col mem_cols[MC_COUNT] = {
	[MC_NAME]	 = { "name",		 "memory",	OUT_BOTH },
	[MC_BYTES]	 = { "bytes",		 "held",	OUT_BOTH },
	[MC_RECORDS]	 = { "records",		 "records",	OUT_BOTH },
	[MC_RECORD_SIZE] = { "record_size",	 "record size", OUT_BOTH },
	[MC_PER_RECORD]	 = { "bytes_per_record", "per record",	OUT_BOTH },
};

static struct out_val opt_u64(const struct knmt_status *st, int attr,
			      struct out_val v)
{
	return KNMT_HAS(st, attr) ? v : out_null(v.type);
}

static struct out_val hook_u64(const struct knmt_hook *hk, int attr,
			       uint64_t v)
{
	return KNMT_HAS(hk, attr) ? out_count(v) : out_null(OUT_COUNT);
}

/* Appends to buf (of size len, holding *n characters) what fits. */
static void append(char *buf, size_t len, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (*n >= len - 1)
		return;
	va_start(ap, fmt);
	r = vsnprintf(buf + *n, len - *n, fmt, ap);
	va_end(ap);
	if (r > 0)
		*n = (*n + (size_t)r < len) ? *n + (size_t)r : len - 1;
}

/* The text table's reason: "why (preferred X) [ENOENT]". */
static const char *reason_text(struct out_doc *doc, const struct knmt_hook *hk)
{
	char buf[512] = "";
	size_t n = 0;

	if (hk->reason && hk->reason[0])
		append(buf, sizeof(buf), &n, "%s", hk->reason);
	if (hk->state == KNMT_HOOK_STATE_FALLBACK && hk->preferred)
		append(buf, sizeof(buf), &n, "%s(preferred %s)", n ? " " : "",
		       hk->preferred);
	if (hk->error) {
		const char *name = strerrorname_np((int)hk->error);

		if (name)
			append(buf, sizeof(buf), &n, "%s[%s]", n ? " " : "", name);
		else
			append(buf, sizeof(buf), &n, "%s[errno %u]", n ? " " : "",
			       hk->error);
	}
	return n ? out_printf(doc, "%s", buf) : NULL;
}

/*
 * What became of events: undelivered, drops by type, listeners.  JSON:
 * event_drops is an object of every event type (null for a type the
 * module left out), or null when the module sent no drops.
 */
static void event_fields(struct out_doc *doc, const struct knmt_status *st)
{
	bool drops = KNMT_HAS(st, KNMT_A_STATUS_EVENT_DROPS);
	char buf[512] = "";
	size_t n = 0;
	unsigned int t;

	out_field(doc, "events_undelivered", "events undelivered", OUT_BOTH,
		  opt_u64(st, KNMT_A_STATUS_EVENTS_UNDELIVERED,
			  out_count(st->events_undelivered)));
	if (!drops)
		out_field(doc, "event_drops", "drops by event type", OUT_BOTH,
			  out_null(OUT_STR));
	for (t = 0; drops && t < KNMT_EV_NR; t++) {
		bool sent = st->event_drops_present & (1U << t);

		out_field(doc, out_printf(doc, "event_drops.%s",
					  knmt_event_type_name(t)),
			  "", OUT_JSON, sent ? out_count(st->event_drops[t])
					     : out_null(OUT_COUNT));
		if (sent && st->event_drops[t])
			append(buf, sizeof(buf), &n, "%s%s %llu", n ? ", " : "",
			       knmt_event_type_name(t),
			       (unsigned long long)st->event_drops[t]);
	}
	if (drops)
		out_field(doc, "event_drops", "drops by event type", OUT_TEXT,
			  out_str(n ? out_printf(doc, "%s", buf) : "none"));
	out_field(doc, "event_listeners", "event listeners", OUT_BOTH,
		  KNMT_HAS(st, KNMT_A_STATUS_EVENT_LISTENERS) ?
		  out_bool(st->event_listeners != 0) : out_null(OUT_BOOL));
}

static void status_doc(struct out_doc *doc, const struct knmt_status *st)
{
	struct out_table *t;
	size_t i;

	out_field(doc, "version", "module version", OUT_BOTH, out_str(st->version));
	out_field(doc, "release_built", "kernel built for", OUT_BOTH,
		  out_str(st->release_built));
	out_field(doc, "release_running", "kernel running", OUT_BOTH,
		  out_str(st->release_running));
	out_field(doc, "uptime_ns", "uptime", OUT_BOTH,
		  opt_u64(st, KNMT_A_STATUS_UPTIME_NS, out_nsec(st->uptime_ns)));
	out_field(doc, "procs_tracked", "processes tracked", OUT_BOTH,
		  opt_u64(st, KNMT_A_STATUS_PROCS_TRACKED, out_count(st->procs_tracked)));
	out_field(doc, "procs_max", "processes max", OUT_BOTH,
		  opt_u64(st, KNMT_A_STATUS_PROCS_MAX, out_count(st->procs_max)));
	out_field(doc, "procs_overflow", "processes over limit", OUT_BOTH,
		  opt_u64(st, KNMT_A_STATUS_PROCS_OVERFLOW, out_count(st->procs_overflow)));
	out_field(doc, "events_emitted", "events emitted", OUT_BOTH,
		  opt_u64(st, KNMT_A_STATUS_EVENTS_EMITTED, out_count(st->events_emitted)));
	out_field(doc, "events_dropped", "events dropped", OUT_BOTH,
		  opt_u64(st, KNMT_A_STATUS_EVENTS_DROPPED, out_count(st->events_dropped)));
	event_fields(doc, st);
	out_field(doc, "mem_bytes", "memory held", OUT_BOTH,
		  opt_u64(st, KNMT_A_STATUS_MEM_BYTES, out_bytes(st->mem_bytes)));
	out_field(doc, "recursion", "recursion skips", OUT_BOTH,
		  opt_u64(st, KNMT_A_STATUS_RECURSION, out_count(st->recursion)));
	/* Added to the contract, which only ever grows. */
	out_field(doc, "regions_tracked", "regions tracked", OUT_BOTH,
		  opt_u64(st, KNMT_A_STATUS_REGIONS_TRACKED, out_count(st->regions_tracked)));
	out_field(doc, "regions_max", "regions max", OUT_BOTH,
		  opt_u64(st, KNMT_A_STATUS_REGIONS_MAX, out_count(st->regions_max)));
	out_field(doc, "regions_overflow", "regions over limit", OUT_BOTH,
		  opt_u64(st, KNMT_A_STATUS_REGIONS_OVERFLOW, out_count(st->regions_overflow)));
	out_field(doc, "exits_kept", "exit records kept", OUT_BOTH,
		  opt_u64(st, KNMT_A_STATUS_EXITS_KEPT, out_count(st->exits_kept)));
	out_field(doc, "sockets_tracked", "sockets tracked", OUT_BOTH,
		  opt_u64(st, KNMT_A_STATUS_SOCKETS_TRACKED, out_count(st->sockets_tracked)));
	out_field(doc, "sockets_max", "sockets max", OUT_BOTH,
		  opt_u64(st, KNMT_A_STATUS_SOCKETS_MAX, out_count(st->sockets_max)));
	out_field(doc, "sockets_overflow", "sockets over limit", OUT_BOTH,
		  opt_u64(st, KNMT_A_STATUS_SOCKETS_OVERFLOW, out_count(st->sockets_overflow)));
	out_field(doc, "sockets_stale", "stale socket records", OUT_BOTH,
		  opt_u64(st, KNMT_A_STATUS_SOCKETS_STALE, out_count(st->sockets_stale)));
	out_field(doc, "threads_tracked", "threads tracked", OUT_BOTH,
		  opt_u64(st, KNMT_A_STATUS_THREADS_TRACKED, out_count(st->threads_tracked)));
	out_field(doc, "threads_max", "threads max", OUT_BOTH,
		  opt_u64(st, KNMT_A_STATUS_THREADS_MAX, out_count(st->threads_max)));
	out_field(doc, "threads_overflow", "threads over limit", OUT_BOTH,
		  opt_u64(st, KNMT_A_STATUS_THREADS_OVERFLOW, out_count(st->threads_overflow)));
	out_field(doc, "pidns_level", "pid namespace depth", OUT_BOTH,
		  opt_u64(st, KNMT_A_STATUS_PIDNS_LEVEL, out_count(st->pidns_level)));

	out_field(doc, "cost_sample", "hooks timed: 1 in", OUT_BOTH,
		  opt_u64(st, KNMT_A_STATUS_COST_SAMPLE, out_count(st->cost_sample)));
	out_field(doc, "sampler_round_ms", "sampler round (ms)", OUT_BOTH,
		  opt_u64(st, KNMT_A_STATUS_SAMPLER_ROUND_MS,
			  out_count(st->sampler_round_ms)));

	t = out_table(doc, "memory", "memory by kind", mem_cols, MC_COUNT, st->n_mem);
	for (i = 0; t && i < st->n_mem; i++) {
		const struct knmt_mem_kind *m = &st->mem[i];
		bool recs = KNMT_HAS(m, KNMT_A_MEM_RECORD_SIZE);

		out_cell(t, i, MC_NAME, out_str(m->name));
		out_cell(t, i, MC_BYTES, out_bytes(m->bytes));
		out_cell(t, i, MC_RECORDS, recs ? out_count(m->records)
						: out_null(OUT_COUNT));
		out_cell(t, i, MC_RECORD_SIZE, recs ? out_bytes(m->record_size)
						    : out_null(OUT_BYTES));
		out_cell(t, i, MC_PER_RECORD, recs && m->records ?
			 out_bytes(m->bytes / m->records) : out_null(OUT_BYTES));
	}

	t = out_table(doc, "hooks", "hooks", hook_cols, HC_COUNT, st->n_hooks);
	for (i = 0; t && i < st->n_hooks; i++) {
		const struct knmt_hook *hk = &st->hooks[i];

		out_cell(t, i, HC_NAME, out_str(hk->name));
		out_cell(t, i, HC_KIND, out_str(knmt_hook_kind_str(hk->kind)));
		out_cell(t, i, HC_STATE, out_str(knmt_hook_state_str(hk->state)));
		out_cell(t, i, HC_PREFERRED, out_str(hk->preferred));
		out_cell(t, i, HC_TARGET, out_str(hk->target));
		out_cell(t, i, HC_HITS, hook_u64(hk, KNMT_A_HOOK_HITS, hk->hits));
		out_cell(t, i, HC_MISSED, hook_u64(hk, KNMT_A_HOOK_MISSED, hk->missed));
		out_cell(t, i, HC_COST_NS, hook_u64(hk, KNMT_A_HOOK_COST_NS, hk->cost_ns));
		out_cell(t, i, HC_COST_RUNS,
			 hook_u64(hk, KNMT_A_HOOK_COST_RUNS, hk->cost_runs));
		out_cell(t, i, HC_NS_PER_RUN, hk->cost_runs ?
			 out_count(hk->cost_ns / hk->cost_runs) : out_null(OUT_COUNT));
		out_cell(t, i, HC_ERROR, out_int(hk->error));
		out_cell(t, i, HC_REASON, out_str(hk->reason));
		out_cell(t, i, HC_REASON_TEXT, out_str(reason_text(doc, hk)));
	}
}

static const struct cli_command cli_cmd_status;

static int status_run(struct cli *cli, int argc, char **argv)
{
	struct knmt_status st;
	struct out_doc doc;
	struct knmt *h;
	int argi = 0, ret, err;

	ret = cli_parse_common(cli, &cli_cmd_status, argc, argv, &argi);
	if (!ret)
		ret = cli_no_operand(cli, &cli_cmd_status, argc, argv, argi);
	if (ret)
		return ret;
	ret = cli_connect(cli, &h);
	if (ret)
		return ret;

	err = knmt_get_status(h, &st);
	if (err) {
		ret = cli_report(cli, h, err);
		knmt_close(h);
		return ret;
	}

	out_init(&doc);
	status_doc(&doc, &st);
	ret = cli_render(cli, &doc, "the status");
	out_free(&doc);
	knmt_status_free(&st);
	knmt_close(h);
	return ret;
}

CLI_COMMAND(status) = {
	.name = "status",
	.args = "[--json]",
	.summary = "show the module, its counters and the state of every hook",
	.help =
	"Shows the module and kernel versions, the counters (processes\n"
	"tracked, events emitted and dropped, memory held by the module,\n"
	"probe hits skipped on re-entry, uptime, region and exit records,\n"
	"socket records: in use, the limit, sockets not tracked for it, and\n"
	"stale records, of sockets whose end knmt did not see; thread\n"
	"records, of the fault accounting: in use, the limit, threads with\n"
	"none for it, whose faults are counted as they start, retried and\n"
	"failed ones too, all as minor; events not delivered because a\n"
	"listener's buffer was full, events dropped because a ring was\n"
	"full, by type, and whether 'knmt watch' or another listener is\n"
	"subscribed), the depth of the caller's pid namespace (0: the\n"
	"host's; exit records and events are offered there only), then one\n"
	"line per hook:\n"
	"its kind (tracepoint, kprobe, kretprobe, ftrace: a function entry\n"
	"seen by knmt's own ftrace callback), its state (attached: the\n"
	"preferred target is live; fallback: a fallback target is live;\n"
	"unavailable: nothing could be attached), the target, hits, misses,\n"
	"the handler's mean time per run (ns/run: one run in cost_sample per\n"
	"CPU is timed, from the handler's entry to its exit; the probe's own\n"
	"trap or call is not in it) and why it is not on its preferred\n"
	"target.  Before the hooks, the memory the module holds by kind\n"
	"(processes, threads, regions, sockets, exit records, event rings,\n"
	"hooks): held (records in use and in reserve, and tables), the\n"
	"records in use, the size of one, and what is held per record in\n"
	"use.\n"
	"\n"
	"  -j, --json  one JSON object with exact values: version,\n"
	"              release_built, release_running, hooks[] (name, kind,\n"
	"              state, preferred, target, error, reason, hits,\n"
	"              missed, cost_ns, cost_runs, ns_per_run),\n"
	"              memory[] (name, bytes, records, record_size,\n"
	"              bytes_per_record), cost_sample, procs_tracked,\n"
	"              procs_max, procs_overflow,\n"
	"              events_emitted, events_dropped, mem_bytes, recursion,\n"
	"              uptime_ns, regions_tracked, regions_max,\n"
	"              regions_overflow, exits_kept, sockets_tracked,\n"
	"              sockets_max, sockets_overflow, sockets_stale,\n"
	"              threads_tracked, threads_max, threads_overflow,\n"
	"              events_undelivered, event_drops {TYPE: N} (one key\n"
	"              per event type of 'knmt watch'), event_listeners\n"
	"              (boolean), pidns_level, sampler_round_ms (how long\n"
	"              the sampler's last complete round of every process\n"
	"              took: a breakdown, an exit record's too, is at most\n"
	"              sample_ms plus that old; null before the first).\n"
	"              Values the module did not send are null.\n",
	.run = status_run,
};
