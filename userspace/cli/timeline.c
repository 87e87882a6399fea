// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt timeline: what a recording of knmt record shows: per process a
 * table over time (text), every sample (CSV, or JSON by process), or a
 * chart of one process (SVG, or SVG in a standalone HTML page; chart.c).
 * It reads the file only: the module is not needed.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "chart.h"
#include "cli.h"
#include "output.h"
#include "procs.h"
#include "recording.h"
#include "units.h"

static const struct cli_command cli_cmd_timeline;

enum tl_format { TL_TEXT, TL_CSV, TL_SVG, TL_HTML, TL_JSON };

/* At most this many rows per process in text: more are thinned out. */
#define TEXT_ROWS	30
/* Width of the growth bar in text. */
#define BAR_WIDTH	16

/* One process of the recording: its samples in file order. */
struct tl_proc {
	uint32_t pid;
	const char *start_time;		/* its first sample's */
	const char *comm;		/* its last sample's */
	const struct rec_sample **s;
	size_t n, cap;
	const struct rec_gone *gone;
};

struct tl {
	struct recording rec;
	struct tl_proc *procs;
	size_t nprocs;
};

static void tl_free(struct tl *t)
{
	size_t i;

	for (i = 0; i < t->nprocs; i++)
		free(t->procs[i].s);
	free(t->procs);
	rec_free(&t->rec);
}

/* The same process: the pid and, when both are known, its start. */
static bool same(const char *start, const struct tl_proc *p)
{
	return !start[0] || !p->start_time[0] || strcmp(start, p->start_time) == 0;
}

/* pid -> the index + 1 of its current process, open addressing */
struct pid_map {
	uint32_t *pid;
	size_t *idx;
	size_t mask;
};

static size_t *map_slot(struct pid_map *m, uint32_t pid)
{
	size_t i = (pid * UINT32_C(2654435761)) & m->mask;

	while (m->pid[i] && m->pid[i] != pid)
		i = (i + 1) & m->mask;
	m->pid[i] = pid;
	return &m->idx[i];
}

static int add_sample(struct tl_proc *p, const struct rec_sample *s)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 64;
		const struct rec_sample **n = realloc(p->s, cap * sizeof(*n));

		if (!n)
			return -1;
		p->s = n;
		p->cap = cap;
	}
	p->s[p->n++] = s;
	p->comm = s->comm;
	return 0;
}

/*
 * The samples by process, in the order of the file: a "gone" record
 * ends the process it names, a sample of another start time is another
 * process.  Linear in the lines.
 */
static int group(struct tl *t)
{
	const struct recording *r = &t->rec;
	struct pid_map m = { NULL, NULL, 0 };
	size_t i = 0, j = 0, size = 16;
	int ret = -1;

	t->procs = calloc(r->nsamples + 1, sizeof(*t->procs));
	while (size < 2 * (r->nsamples + 1))
		size *= 2;
	m.pid = calloc(size, sizeof(*m.pid));
	m.idx = calloc(size, sizeof(*m.idx));
	m.mask = size - 1;
	if (!t->procs || !m.pid || !m.idx)
		goto out;
	while (i < r->nsamples || j < r->ngone) {
		if (j < r->ngone && (i == r->nsamples || r->gone[j].line < r->samples[i].line)) {
			const struct rec_gone *g = &r->gone[j++];
			size_t *slot = map_slot(&m, g->pid);

			if (*slot && same(g->start_time, &t->procs[*slot - 1])) {
				t->procs[*slot - 1].gone = g;
				*slot = 0;
			}
		} else {
			const struct rec_sample *s = &r->samples[i++];
			size_t *slot = map_slot(&m, s->pid);
			struct tl_proc *p;

			if (!*slot || !same(s->start_time, &t->procs[*slot - 1])) {
				p = &t->procs[t->nprocs++];
				p->pid = s->pid;
				p->start_time = s->start_time;
				*slot = t->nprocs;
			}
			if (add_sample(&t->procs[*slot - 1], s) < 0)
				goto out;
		}
	}
	ret = 0;
out:
	free(m.pid);
	free(m.idx);
	return ret;
}

/* pid: only its samples are kept (REC_FIRST_PID: the first pid's); 0 all */
static int load(struct cli *cli, const char *path, uint32_t pid, struct tl *t)
{
	char why[256];
	FILE *f;
	int ret;

	f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (!f) {
		fprintf(cli->err, "knmt: cannot open %s: %s\n", path, strerror(errno));
		memset(&t->rec, 0, sizeof(t->rec));
		return CLI_EXIT_RUNTIME;
	}
	ret = rec_read_pid(f, &t->rec, pid, why, sizeof(why));
	if (f != stdin)
		fclose(f);
	if (ret) {
		fprintf(cli->err, "knmt: %s: %s\n", path, why);
		return CLI_EXIT_RUNTIME;
	}
	if (group(t)) {
		fprintf(cli->err, "knmt: out of memory\n");
		return CLI_EXIT_RUNTIME;
	}
	return CLI_EXIT_OK;
}

/* ---- csv ------------------------------------------------------------------ */

static void csv_str(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n") && s[0] != ' ' &&
	    (!s[0] || s[strlen(s) - 1] != ' ')) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void csv_val(FILE *f, const struct rec_sample *s, unsigned int v)
{
	fputc(',', f);
	if (REC_HAS(s, v))
		fprintf(f, "%" PRIu64, s->vals[v]);
}

static int csv(FILE *f, const struct tl *t, uint32_t pid)
{
	unsigned int c;
	size_t i;

	fputs("time,elapsed_ns,pid,start_time,comm", f);
	for (c = 0; c < KNMT_CAT_NR; c++)
		fprintf(f, ",%s_bytes", knmt_category_name(c));
	fputs(",pagetables_bytes,kstacks_bytes,sockbufs_bytes,rss_bytes,"
	      "sockets_open,sockets_close_wait\r\n", f);
	for (i = 0; i < t->rec.nsamples; i++) {
		const struct rec_sample *s = &t->rec.samples[i];

		if (pid && s->pid != pid)
			continue;
		csv_str(f, s->time);
		fprintf(f, ",%" PRIu64 ",%" PRIu32 ",", s->elapsed_ns, s->pid);
		csv_str(f, s->start_time);
		fputc(',', f);
		csv_str(f, s->comm);
		for (c = 0; c < KNMT_CAT_NR; c++)
			csv_val(f, s, REC_RESIDENT + c);
		csv_val(f, s, REC_PAGETABLES);
		csv_val(f, s, REC_KSTACKS);
		csv_val(f, s, REC_SOCKBUFS);
		csv_val(f, s, REC_RSS);
		csv_val(f, s, REC_SOCK_OPEN);
		csv_val(f, s, REC_SOCK_CLOSE_WAIT);
		fputs("\r\n", f);
	}
	return ferror(f) ? -1 : 0;
}

/* ---- json ------------------------------------------------------------------ */

/*
 * One object in the layout of every --json (output.h's streamed writer):
 * a recording of hours is millions of values, and a json-c tree of them
 * all would hold several times the recording.  The small parts (the
 * recording's facts, a process, a sample) are json-c objects; a sample is
 * the recording's own line (rec_sample_json) without its "record".
 */
static struct json_object *j_str(const char *s)
{
	return s && s[0] ? json_object_new_string(s) : NULL;
}

static void j_add(struct json_object *o, const char *key, struct json_object *v,
		  bool *oom)
{
	if (json_object_object_add(o, key, v) < 0) {
		json_object_put(v);
		*oom = true;
	}
}

/* The recording's facts: the keys before "processes". */
static struct json_object *j_recording(const char *path, const struct recording *r)
{
	struct json_object *o = json_object_new_object();
	struct json_object *sel = json_object_new_object();
	struct json_object *pids = json_object_new_array();
	struct json_object *ev = json_object_new_object();
	struct json_object *tr = r->stopped ? json_object_new_object() : NULL;
	bool oom = !o || !sel || !pids || !ev || (r->stopped && !tr);
	size_t i;

	for (i = 0; !oom && i < r->npids; i++)
		if (json_object_array_add(pids, json_object_new_uint64(r->pids[i])) < 0)
			oom = true;
	if (oom) {
		json_object_put(o);
		json_object_put(sel);
		json_object_put(pids);
		json_object_put(ev);
		json_object_put(tr);
		return NULL;
	}
	j_add(sel, "all", json_object_new_boolean(r->all), &oom);
	j_add(sel, "pids", pids, &oom);
	j_add(ev, "recorded", json_object_new_boolean(r->events_recorded), &oom);
	j_add(ev, "note", j_str(r->events_note), &oom);
	j_add(ev, "count", r->events_recorded ? json_object_new_uint64(r->nevents)
					      : NULL, &oom);
	if (tr) {
		j_add(tr, "time", j_str(r->stop_time), &oom);
		j_add(tr, "elapsed_ns", json_object_new_uint64(r->stop_elapsed_ns), &oom);
		j_add(tr, "reason", j_str(r->stop_reason), &oom);
		j_add(tr, "detail", j_str(r->stop_detail), &oom);
	}
	j_add(o, "file", json_object_new_string(path), &oom);
	j_add(o, "host", j_str(r->host), &oom);
	j_add(o, "boot_id", j_str(r->boot_id), &oom);
	j_add(o, "kernel", j_str(r->kernel), &oom);
	j_add(o, "start_time", j_str(r->start_time), &oom);
	j_add(o, "interval_ns", json_object_new_uint64(r->interval_ns), &oom);
	j_add(o, "selection", sel, &oom);
	j_add(o, "events", ev, &oom);
	j_add(o, "trailer", tr, &oom);
	j_add(o, "truncated", json_object_new_boolean(r->truncated), &oom);
	if (oom) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* A process's keys before its "samples". */
static struct json_object *j_proc(const struct tl_proc *p)
{
	struct json_object *o = json_object_new_object(), *g = NULL;
	bool oom = !o;

	if (!oom && p->gone) {
		g = json_object_new_object();
		oom = !g;
		if (g) {
			j_add(g, "time", j_str(p->gone->time), &oom);
			j_add(g, "elapsed_ns", json_object_new_uint64(p->gone->elapsed_ns),
			      &oom);
			j_add(g, "reason", j_str(p->gone->reason), &oom);
		}
	}
	if (!oom) {
		j_add(o, "pid", json_object_new_uint64(p->pid), &oom);
		j_add(o, "start_time", j_str(p->start_time), &oom);
		j_add(o, "comm", json_object_new_string(p->comm), &oom);
		j_add(o, "gone", g, &oom);
		g = NULL;
	}
	if (oom) {
		json_object_put(g);
		json_object_put(o);
		return NULL;
	}
	return o;
}

static int json(FILE *f, const char *path, const struct tl *t, uint32_t pid)
{
	struct out_jstream *j = out_jstream_open(f);
	bool first = true;
	size_t i, k;

	if (!j)
		return -1;
	out_jstream_open_seq(j, '{');
	out_jstream_keys(j, j_recording(path, &t->rec), true, 1);
	out_jstream_key(j, false, 1, "processes");
	out_jstream_open_seq(j, '[');
	for (i = 0; i < t->nprocs; i++) {
		const struct tl_proc *p = &t->procs[i];

		if (pid && p->pid != pid)
			continue;
		out_jstream_item(j, first, 2);
		first = false;
		out_jstream_open_seq(j, '{');
		out_jstream_keys(j, j_proc(p), true, 3);
		out_jstream_key(j, false, 3, "samples");
		out_jstream_open_seq(j, '[');
		for (k = 0; k < p->n; k++) {
			struct json_object *o = rec_sample_json(p->s[k]);

			if (o)
				json_object_object_del(o, "record");
			out_jstream_item(j, k == 0, 4);
			out_jstream_json(j, o, 4);
			if (!o) {
				out_jstream_close(j);
				return -1;
			}
		}
		out_jstream_end(j, 3, ']');
		out_jstream_end(j, 2, '}');
	}
	out_jstream_end(j, 1, ']');
	out_jstream_end(j, 0, '}');
	out_jstream_open_seq(j, '\n');
	return out_jstream_close(j);
}

/* ---- text ------------------------------------------------------------------ */

enum { TC_TIME, TC_CAT, TC_KERNEL = TC_CAT + KNMT_CAT_NR, TC_TOTAL, TC_SOCK,
       TC_GROWTH, TC_COUNT };

static const struct out_col text_cols[TC_COUNT] = {
	[TC_TIME]                  = { "time",    "time",    OUT_TEXT },
	[TC_CAT + KNMT_CAT_HEAP]   = { "heap",    "heap",    OUT_TEXT },
	[TC_CAT + KNMT_CAT_STACK]  = { "stack",   "stack",   OUT_TEXT },
	[TC_CAT + KNMT_CAT_ARENA]  = { "arena",   "arena",   OUT_TEXT },
	[TC_CAT + KNMT_CAT_OFFHEAP] = { "offheap", "offheap", OUT_TEXT },
	[TC_CAT + KNMT_CAT_ANON]   = { "anon",    "anon",    OUT_TEXT },
	[TC_CAT + KNMT_CAT_SHMEM]  = { "shmem",   "shmem",   OUT_TEXT },
	[TC_CAT + KNMT_CAT_FILE]   = { "file",    "file",    OUT_TEXT },
	[TC_KERNEL]                = { "kernel",  "kernel",  OUT_TEXT },
	[TC_TOTAL]                 = { "total",   "total",   OUT_TEXT },
	[TC_SOCK]                  = { "sock",    "sock",    OUT_TEXT },
	[TC_GROWTH]                = { "growth",  "growth",  OUT_TEXT },
};

/* Elapsed time as the table shows it: "0.0 s", "42.5 s", "3m 05s". */
static const char *elapsed_text(uint64_t ns, char *buf, size_t len)
{
	if (ns < UINT64_C(60000000000))
		snprintf(buf, len, "%.1f s", rec_seconds(ns));
	else
		units_format_ns(ns, buf, len);
	return buf;
}

static uint64_t native_total(const struct rec_sample *s)
{
	uint64_t t = 0;
	unsigned int k;

	for (k = 0; k < CHART_NSERIES; k++)
		t += chart_value(s, k);
	return t;
}

static const char *signed_bytes(char *buf, size_t len, uint64_t from,
				uint64_t to)
{
	char b[24];

	units_format_bytes(to >= from ? to - from : from - to, b, sizeof(b));
	snprintf(buf, len, "%s%s", to == from ? "" : to > from ? "+" : "-", b);
	return buf;
}

/* cols: TC_COUNT columns for this process's table, kept until rendered */
static void text_proc(struct out_doc *doc, const struct tl_proc *p,
		      struct out_col *cols)
{
	const struct rec_sample *first = NULL, *last = NULL;
	struct out_table *tab;
	bool shown[KNMT_CAT_NR] = { false };
	uint64_t max = 0;
	size_t i, nb = 0, step, rows, r;
	unsigned int c;
	char a[32], b[32], d[32], e[32], e2[32];

	for (i = 0; i < p->n; i++) {
		const struct rec_sample *s = p->s[i];

		if (!chart_has_breakdown(s))
			continue;
		if (!first)
			first = s;
		last = s;
		nb++;
		if (native_total(s) > max)
			max = native_total(s);
		for (c = 0; c < KNMT_CAT_NR; c++)
			if (chart_value(s, c))
				shown[c] = true;
	}
	out_text(doc, "%s", "");
	elapsed_text(p->s[0]->elapsed_ns, a, sizeof(a));
	elapsed_text(p->s[p->n - 1]->elapsed_ns, b, sizeof(b));
	out_text(doc, "pid %" PRIu32 " (%s): %zu sample%s from %s to %s%s", p->pid,
		 p->comm, p->n, p->n == 1 ? "" : "s", a, b,
		 p->gone ? out_printf(doc, "; %s at %s", p->gone->reason[0] ?
				      p->gone->reason : "gone",
				      elapsed_text(p->gone->elapsed_ns, d, sizeof(d)))
			 : "");
	if (!first) {
		out_text(doc, "no breakdown was recorded (not sampled by the module yet, or no memory)");
		return;
	}
	/* what grew most, at a glance */
	{
		uint64_t t0 = native_total(first), t1 = native_total(last);
		int64_t best1 = 0, best2 = 0;
		int k1 = -1, k2 = -1;
		unsigned int k;

		for (k = 0; k < CHART_NSERIES; k++) {
			int64_t g = (int64_t)chart_value(last, k) -
				    (int64_t)chart_value(first, k);

			if (g > best1) {
				best2 = best1;
				k2 = k1;
				best1 = g;
				k1 = (int)k;
			} else if (g > best2) {
				best2 = g;
				k2 = (int)k;
			}
		}
		units_format_bytes(t0, a, sizeof(a));
		units_format_bytes(t1, b, sizeof(b));
		signed_bytes(d, sizeof(d), t0, t1);
		if (k1 < 0)
			out_text(doc, "native total %s -> %s (%s)", a, b, d);
		else if (k2 < 0)
			out_text(doc, "native total %s -> %s (%s); grew: %s %s", a, b, d,
				 chart_series[k1].name,
				 signed_bytes(e, sizeof(e), 0, (uint64_t)best1));
		else
			out_text(doc, "native total %s -> %s (%s); grew most: %s %s, %s %s",
				 a, b, d, chart_series[k1].name,
				 signed_bytes(e, sizeof(e), 0, (uint64_t)best1),
				 chart_series[k2].name,
				 signed_bytes(e2, sizeof(e2), 0, (uint64_t)best2));
	}
	if (REC_HAS(last, REC_RSS))
		out_text(doc, "rss at the end %s%s", units_format_bytes(last->vals[REC_RSS],
									  a, sizeof(a)),
			 last->approx ? "; * categories inferred (started before knmt was loaded)" : "");

	/* thin out long recordings, keeping the first and last rows */
	step = nb > TEXT_ROWS ? (nb + TEXT_ROWS - 2) / (TEXT_ROWS - 1) : 1;
	rows = 0;
	for (i = 0, r = 0; i < p->n; i++) {
		if (!chart_has_breakdown(p->s[i]))
			continue;
		if (r % step == 0 || p->s[i] == last)
			rows++;
		r++;
	}
	memcpy(cols, text_cols, sizeof(text_cols));
	for (c = 0; c < KNMT_CAT_NR; c++)
		if (!shown[c])
			cols[TC_CAT + c].where = 0;
	tab = out_table(doc, NULL, NULL, cols, TC_COUNT, rows);
	for (i = 0, r = 0, rows = 0; tab && i < p->n; i++) {
		const struct rec_sample *s = p->s[i];
		uint64_t tot;
		size_t w;
		char bar[BAR_WIDTH + 1];

		if (!chart_has_breakdown(s))
			continue;
		if (!(r++ % step == 0 || s == last))
			continue;
		tot = native_total(s);
		out_cell(tab, rows, TC_TIME, out_str(out_printf(doc, "%s%s",
			 elapsed_text(s->elapsed_ns, a, sizeof(a)),
			 s->approx ? "*" : "")));
		for (c = 0; c < KNMT_CAT_NR; c++)
			out_cell(tab, rows, TC_CAT + c, REC_HAS(s, REC_RESIDENT + c) ?
				 out_bytes(s->vals[REC_RESIDENT + c]) : out_null(OUT_BYTES));
		out_cell(tab, rows, TC_KERNEL, REC_HAS(s, REC_PAGETABLES) ||
			 REC_HAS(s, REC_KSTACKS) || REC_HAS(s, REC_SOCKBUFS) ?
			 out_bytes(chart_value(s, CHART_KERNEL)) : out_null(OUT_BYTES));
		out_cell(tab, rows, TC_TOTAL, out_bytes(tot));
		out_cell(tab, rows, TC_SOCK, REC_HAS(s, REC_SOCK_OPEN) ?
			 out_count(s->vals[REC_SOCK_OPEN]) : out_null(OUT_COUNT));
		w = max ? (size_t)((tot * BAR_WIDTH + max / 2) / max) : 0;
		if (!w && tot)
			w = 1;
		memset(bar, '#', w);
		bar[w] = '\0';
		out_cell(tab, rows, TC_GROWTH, out_str(out_printf(doc, "%s", bar)));
		rows++;
	}
	if (step > 1)
		out_text(doc, "(every %zu%s sample of %zu shown; --format csv has all)",
			 step, step == 2 ? "nd" : step == 3 ? "rd" : "th", nb);
}

static int text(struct cli *cli, FILE *f, const char *path, const struct tl *t,
		uint32_t pid)
{
	const struct recording *rec = &t->rec;
	struct out_col *cols;
	struct out_doc doc;
	char a[32], b[48];
	size_t i;
	int ret;

	cols = calloc(t->nprocs + 1, sizeof(text_cols));
	if (!cols) {
		fprintf(cli->err, "knmt: out of memory\n");
		return CLI_EXIT_RUNTIME;
	}
	out_init(&doc);
	out_text(&doc, "recording %s: %s%s%s%s%s, a sample every %s", path,
		 rec->host ? "on " : "", rec->host ? rec->host : "",
		 rec->host ? ", " : "",
		 rec->start_time ? "from " : "",
		 rec->start_time ? out_printf(&doc, "%.10s %.8s UTC", rec->start_time,
					      strlen(rec->start_time) >= 19 ?
					      rec->start_time + 11 : "")
				 : "",
		 units_format_ns(rec->interval_ns, a, sizeof(a)));
	if (rec->stopped)
		out_text(&doc, "stopped after %s: %s%s%s",
			 elapsed_text(rec->stop_elapsed_ns, b, sizeof(b)),
			 rec->stop_reason ? rec->stop_reason : "?",
			 rec->stop_detail ? ", " : "",
			 rec->stop_detail ? rec->stop_detail : "");
	else
		out_text(&doc, "no trailer: the recording is still running, or was cut short");
	if (rec->truncated)
		out_text(&doc, "the last line was incomplete and is left out");
	if (rec->events_recorded)
		out_text(&doc, "events: %zu", rec->nevents);
	else if (rec->events_note)
		out_text(&doc, "events: %s", rec->events_note);
	for (i = 0; i < t->nprocs; i++)
		if (!pid || t->procs[i].pid == pid)
			text_proc(&doc, &t->procs[i], cols + i * TC_COUNT);
	if (!t->nprocs)
		out_text(&doc, "\nno sample was recorded");
	ret = out_render_text(f, &doc);
	out_free(&doc);
	free(cols);
	if (ret < 0) {
		fprintf(cli->err, "knmt: cannot print the timeline (out of memory or output error)\n");
		return CLI_EXIT_RUNTIME;
	}
	return CLI_EXIT_OK;
}

/* ---- the command ----------------------------------------------------------- */

static int chart(struct cli *cli, FILE *f, const struct tl *t, uint32_t pid,
		 const char *path, bool html)
{
	const struct tl_proc *p = NULL;
	struct chart_input in;
	size_t i;

	for (i = 0; i < t->nprocs && !p; i++)
		if (!pid || t->procs[i].pid == pid)
			p = &t->procs[i];
	if (!p) {
		fprintf(cli->err, "knmt: %s has no sample to chart\n", path);
		return CLI_EXIT_RUNTIME;
	}
	memset(&in, 0, sizeof(in));
	in.rec = &t->rec;
	in.samples = p->s;
	in.n = p->n;
	in.pid = p->pid;
	in.comm = p->comm;
	if (p->gone) {
		in.gone = true;
		in.gone_ns = p->gone->elapsed_ns;
		in.gone_reason = p->gone->reason;
	}
	if ((html ? chart_html(f, &in) : chart_svg(f, &in)) < 0) {
		fprintf(cli->err, "knmt: cannot write the chart (out of memory or output error)\n");
		return CLI_EXIT_RUNTIME;
	}
	return CLI_EXIT_OK;
}

static int timeline_run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const formats[] = {
		[TL_TEXT] = "text", [TL_CSV] = "csv", [TL_SVG] = "svg",
		[TL_HTML] = "html", [TL_JSON] = "json",
	};
	enum tl_format fmt = TL_TEXT;
	const char *in_path, *out_path = NULL;
	struct tl t = { 0 };
	uint32_t pid = 0;
	bool fmt_given = false;
	FILE *f;
	int c, ret = 0;
	size_t i;

	optind = 0;
	opterr = 0;
	while (!ret && (c = getopt_long(argc, argv, ":jp:f:o:", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			cli->json = true;
			break;
		case 'p':
			ret = procs_parse_one_pid(cli, &cli_cmd_timeline, optarg, &pid);
			break;
		case 'f':
			for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
				if (strcmp(optarg, formats[i]) == 0)
					break;
			if (i == sizeof(formats) / sizeof(formats[0])) {
				ret = cli_usage_error(cli, &cli_cmd_timeline,
						      "--format: unknown format '%s' (text, csv, svg, html, json)",
						      optarg);
			} else {
				fmt = (enum tl_format)i;
				fmt_given = true;
			}
			break;
		case 'o':
			if (out_path)
				ret = cli_usage_error(cli, &cli_cmd_timeline, "one -o OUT only");
			else if (!optarg[0])
				ret = cli_usage_error(cli, &cli_cmd_timeline,
						      "-o: an empty file name");
			out_path = optarg;
			break;
		default:	/* ':' or '?' */
			ret = cli_option_error(cli, &cli_cmd_timeline, c, argv);
			break;
		}
	}
	/* --json (before timeline or after it) is --format json */
	if (!ret && cli->json && fmt_given && fmt != TL_JSON)
		ret = cli_usage_error(cli, &cli_cmd_timeline,
				      "--format %s and -j/--json exclude each other "
				      "(-j is --format json)", formats[fmt]);
	if (ret)
		return ret;
	if (cli->json)
		fmt = TL_JSON;
	if (optind >= argc)
		return cli_usage_error(cli, &cli_cmd_timeline,
				       "which recording? FILE is missing");
	in_path = argv[optind++];
	ret = cli_no_operand(cli, &cli_cmd_timeline, argc, argv, optind);
	if (ret)
		return ret;

	/* a chart needs one process only: the others are not kept */
	ret = load(cli, in_path, pid ? pid : fmt == TL_SVG || fmt == TL_HTML ?
		   REC_FIRST_PID : 0, &t);
	for (i = 0; !ret && pid && i < t.nprocs; i++)
		if (t.procs[i].pid == pid)
			break;
	if (!ret && pid && i == t.nprocs) {
		fprintf(cli->err, "knmt: %s has no sample of pid %" PRIu32 "\n",
			in_path, pid);
		ret = CLI_EXIT_RUNTIME;
	}
	if (ret) {
		tl_free(&t);
		return ret;
	}
	if (!out_path || strcmp(out_path, "-") == 0) {
		f = cli->out;
	} else {
		f = fopen(out_path, "w");
		if (!f) {
			fprintf(cli->err, "knmt: cannot create %s: %s\n", out_path,
				strerror(errno));
			tl_free(&t);
			return CLI_EXIT_RUNTIME;
		}
	}
	switch (fmt) {
	case TL_TEXT:
		ret = text(cli, f, in_path, &t, pid);
		break;
	case TL_CSV:
		ret = csv(f, &t, pid) < 0 ? CLI_EXIT_RUNTIME : CLI_EXIT_OK;
		if (ret)
			fprintf(cli->err, "knmt: cannot write the CSV (output error)\n");
		break;
	case TL_JSON:
		ret = json(f, in_path, &t, pid) < 0 ? CLI_EXIT_RUNTIME : CLI_EXIT_OK;
		if (ret)
			fprintf(cli->err, "knmt: cannot write the JSON (out of memory or output error)\n");
		break;
	case TL_SVG:
	case TL_HTML:
		ret = chart(cli, f, &t, pid, in_path, fmt == TL_HTML);
		break;
	}
	if (f != cli->out && fclose(f) == EOF && !ret) {
		fprintf(cli->err, "knmt: writing %s: %s\n", out_path, strerror(errno));
		ret = CLI_EXIT_RUNTIME;
	}
	tl_free(&t);
	return ret;
}

CLI_COMMAND(timeline) = {
	.name = "timeline",
	.args = "FILE [-p PID] [--format text|csv|svg|html|json] [-o OUT] [--json]",
	.summary = "show a recording of knmt record: table, CSV, JSON or chart",
	.help =
	"Reads FILE (written by 'knmt record'; - for stdin) and shows it; the\n"
	"module is not needed.  A last line cut short (the recorder was\n"
	"killed while writing it) is left out.\n"
	"\n"
	"  -p, --pid PID   that process only (the chart: the first process\n"
	"                  recorded, without -p)\n"
	"  -f, --format FORMAT\n"
	"      text  per process: resident bytes per category over time, the\n"
	"            kernel-side memory, the native total, open sockets and\n"
	"            a bar of the total (the default)\n"
	"      csv   one row per sample, the values exactly as recorded\n"
	"            (bytes; empty when not recorded)\n"
	"      svg   a chart of one process: resident bytes per category\n"
	"            stacked over time, the kernel-side memory on top, open\n"
	"            sockets below\n"
	"      html  the chart in a standalone page (no script, nothing fetched)\n"
	"      json  {\"file\", \"host\", ..., \"processes\": [{\"pid\", \"start_time\",\n"
	"            \"comm\", \"gone\", \"samples\": [...]}]}: per process every\n"
	"            sample, each the recording's line (without \"record\"):\n"
	"            exact values, null when not recorded; the keys are in\n"
	"            the README\n"
	"  -j, --json      --format json, as is 'knmt -j timeline'; another\n"
	"                  --format with it is a usage error\n"
	"  -o, --output OUT\n"
	"                  write to OUT (replaced) instead of stdout\n",
	.run = timeline_run,
};
