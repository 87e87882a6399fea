// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt report: a daemon of periodic native-memory summary reports.
 * Every interval it takes the view of `knmt summary --json` (GET_STATUS
 * and DUMP_PROCS) with each process's cgroup, sums it per cgroup,
 * appends a JSON line and a text report to rotating files in a
 * directory and serves the Prometheus metrics of the last view over
 * HTTP (report_http.c).  SIGTERM and SIGINT stop it, SIGHUP reads the
 * configuration file again and reopens the files.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "cli.h"
#include "output.h"
#include "procs.h"
#include "report.h"
#include "snap.h"
#include "summary.h"
#include "units.h"

#define JSON_NAME	"knmt-report.jsonl"
#define TEXT_NAME	"knmt-report.txt"

static const struct cli_command cli_cmd_report;

static uint64_t clock_now(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000U + (uint64_t)ts.tv_nsec;
}

/* ---- the view ------------------------------------------------------------ */

static int cgroup_cmp(const void *a, const void *b)
{
	const struct report_cgroup *x = a, *y = b;

	if (!x->cgroup || !y->cgroup)
		return !y->cgroup - !x->cgroup;
	return strcmp(x->cgroup, y->cgroup);
}

int report_view_cgroups(struct report_view *v)
{
	struct report_cgroup *g;
	size_t i, j, n = 0;
	unsigned int c;

	free(v->cgs);
	v->cgs = calloc(v->n + 1, sizeof(*v->cgs));
	v->ncgs = 0;
	if (!v->cgs)
		return -1;
	for (i = 0; i < v->n; i++) {
		const struct knmt_proc_info *p = &v->procs[i];
		const char *cg = v->cgroups[i];

		for (j = 0; j < n; j++)
			if (cg ? v->cgs[j].cgroup && strcmp(v->cgs[j].cgroup, cg) == 0
			       : !v->cgs[j].cgroup)
				break;
		g = &v->cgs[j];
		if (j == n) {
			g->cgroup = cg;
			n++;
		}
		g->procs++;
		for (c = 0; c < KNMT_CAT_NR; c++) {
			g->mapped[c] += p->categories[c].mapped;
			g->resident[c] += p->categories[c].resident;
		}
		g->pagetables += p->pagetables;
		g->kstacks += p->kstacks;
		g->sockbufs += p->sockets.mem;
		g->rss += procs_rss(p);
		g->offheap_live += p->offheap.live_bytes;
		g->sockets_open += p->sockets.open;
		g->close_wait += p->sockets.tcp_state[8];	/* TCP_CLOSE_WAIT */
		g->native_total += procs_native_total(p);
	}
	v->ncgs = n;
	if (n)
		qsort(v->cgs, n, sizeof(*v->cgs), cgroup_cmp);
	return 0;
}

void report_view_free(struct report_view *v)
{
	size_t i;

	for (i = 0; v->cgroups && i < v->n; i++)
		free(v->cgroups[i]);
	free(v->cgroups);
	free(v->procs);
	free(v->cgs);
	free(v->error);
	knmt_status_free(&v->st);
	memset(v, 0, sizeof(*v));
}

/* ---- the daemon's state ----------------------------------------------------- */

struct report {
	struct cli *cli;
	struct report_cfg cmdline;	/* what the command line set */
	const char *config;		/* the configuration file, or NULL */
	struct report_cfg cfg;		/* in force */
	struct knmt *h;			/* kept between collections */
	struct report_http *http;
	struct report_file json, text;
	bool files;			/* json and text are open */
	bool down;			/* the last collection failed */
	bool write_failed;		/* the last write failed */
	struct snap_host host;
};

static void say(struct report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(struct report *r, const char *fmt, ...)
{
	va_list ap;

	fputs("knmt report: ", r->cli->err);
	va_start(ap, fmt);
	vfprintf(r->cli->err, fmt, ap);
	va_end(ap);
	fputc('\n', r->cli->err);
	fflush(r->cli->err);
}

/*
 * cli_report()'s message for err on h, without "knmt: " and the newline,
 * in *why (malloc'ed); returns its exit code.
 */
static int explain(struct report *r, struct knmt *h, int err, char **why)
{
	struct cli quiet = *r->cli;
	size_t len = 0;
	char *msg = NULL;
	int code;

	quiet.err = open_memstream(&msg, &len);
	if (!quiet.err) {
		*why = strdup(knmt_error_str(err));
		return CLI_EXIT_RUNTIME;
	}
	code = cli_report(&quiet, h, err);
	fclose(quiet.err);
	if (msg) {
		len = strlen(msg);
		while (len && msg[len - 1] == '\n')
			msg[--len] = '\0';
		if (strncmp(msg, "knmt: ", 6) == 0)
			memmove(msg, msg + 6, len - 5);
	}
	*why = msg;
	return code;
}

/*
 * Takes the view: the module's status, every tracked process (sorted
 * as knmt summary), their cgroups and the sums per cgroup.  Returns an
 * exit code: 0, or why the module did not answer (v->error).
 */
static int collect(struct report *r, struct report_view *v)
{
	uint64_t t0 = clock_now(CLOCK_MONOTONIC);
	int err = 0, code = CLI_EXIT_OK;
	size_t i;

	memset(v, 0, sizeof(*v));
	v->time_ns = clock_now(CLOCK_REALTIME);
	if (!r->h) {
		err = r->cli->open(&r->h);
		if (err) {
			code = explain(r, r->h, err, &v->error);
			knmt_close(r->h);
			r->h = NULL;
		}
	}
	if (r->h) {
		err = knmt_get_status(r->h, &v->st);
		if (!err)
			err = knmt_dump_procs_array(r->h, &v->procs, &v->n);
		if (err) {
			code = explain(r, r->h, err, &v->error);
			/* a handle of an unloaded module is stale: start over */
			knmt_close(r->h);
			r->h = NULL;
		}
	}
	if (!err) {
		v->up = true;
		summary_sort(v->procs, v->n);
		v->cgroups = calloc(v->n + 1, sizeof(*v->cgroups));
		for (i = 0; v->cgroups && i < v->n; i++)
			if (cgroup_of_pid(r->cli->proc_root, v->procs[i].pid,
					  &v->cgroups[i]) < 0)
				v->cgroups[i] = NULL;
		if (!v->cgroups || report_view_cgroups(v) < 0) {
			report_view_free(v);
			v->time_ns = clock_now(CLOCK_REALTIME);
			v->error = strdup("out of memory");
			code = CLI_EXIT_RUNTIME;
		}
	} else {
		free(v->procs);
		v->procs = NULL;
		v->n = 0;
	}
	v->duration_s = (double)(clock_now(CLOCK_MONOTONIC) - t0) / 1e9;
	return code;
}

/* ---- the report: one JSON line, one text block ---------------------------- */

enum { GC_CGROUP, GC_PROCS, GC_RSS, GC_MAPPED,
       GC_RES = GC_MAPPED + KNMT_CAT_NR, GC_PGTBL = GC_RES + KNMT_CAT_NR,
       GC_KSTK, GC_SOCKBUF, GC_OFFHEAP, GC_TOTAL, GC_SOCK, GC_CLOSE_WAIT,
       GC_COUNT };

#define CG_CAT(name)							\
	{ "categories." name ".mapped_bytes", name, OUT_JSON }
#define CG_RES(name)							\
	{ "categories." name ".resident_bytes", name, OUT_BOTH }

/* JSON keys are a contract (userspace/README.md): change none. */
static const struct out_col cgroup_cols[GC_COUNT] = {
	[GC_CGROUP] = { "cgroup", "cgroup", OUT_BOTH },
	[GC_PROCS]  = { "processes", "procs", OUT_BOTH },
	[GC_RSS]    = { "rss_bytes", "rss", OUT_BOTH },
	CG_CAT("heap"), CG_CAT("stack"), CG_CAT("arena"), CG_CAT("offheap"),
	CG_CAT("anon"), CG_CAT("shmem"), CG_CAT("file"),
	CG_RES("heap"), CG_RES("stack"), CG_RES("arena"), CG_RES("offheap"),
	CG_RES("anon"), CG_RES("shmem"), CG_RES("file"),
	[GC_PGTBL]	= { "kernel.pagetables_bytes", "pgtbl", OUT_BOTH },
	[GC_KSTK]	= { "kernel.kstacks_bytes", "kstk", OUT_BOTH },
	[GC_SOCKBUF]	= { "kernel.sockbufs_bytes", "sockbuf", OUT_BOTH },
	[GC_OFFHEAP]	= { "offheap.live_bytes", "offheap live", OUT_JSON },
	[GC_TOTAL]	= { "native_total_bytes", "total", OUT_BOTH },
	[GC_SOCK]	= { "sockets.open", "sock", OUT_BOTH },
	[GC_CLOSE_WAIT]	= { "sockets.close_wait", "close-wait", OUT_JSON },
};

static void cgroups_table(struct out_doc *doc, const struct report_view *v)
{
	struct out_table *t = out_table(doc, "cgroups", "cgroups", cgroup_cols,
					GC_COUNT, v->ncgs);
	unsigned int c;
	size_t i;

	for (i = 0; t && i < v->ncgs; i++) {
		const struct report_cgroup *g = &v->cgs[i];

		out_cell(t, i, GC_CGROUP, out_str(g->cgroup));
		out_cell(t, i, GC_PROCS, out_count(g->procs));
		out_cell(t, i, GC_RSS, out_bytes(g->rss));
		for (c = 0; c < KNMT_CAT_NR; c++) {
			out_cell(t, i, GC_MAPPED + c, out_bytes(g->mapped[c]));
			out_cell(t, i, GC_RES + c, out_bytes(g->resident[c]));
		}
		out_cell(t, i, GC_PGTBL, out_bytes(g->pagetables));
		out_cell(t, i, GC_KSTK, out_bytes(g->kstacks));
		out_cell(t, i, GC_SOCKBUF, out_bytes(g->sockbufs));
		out_cell(t, i, GC_OFFHEAP, out_bytes(g->offheap_live));
		out_cell(t, i, GC_TOTAL, out_bytes(g->native_total));
		out_cell(t, i, GC_SOCK, out_count(g->sockets_open));
		out_cell(t, i, GC_CLOSE_WAIT, out_count(g->close_wait));
	}
}

static void report_doc(struct report *r, struct out_doc *doc,
		       const struct report_view *v)
{
	char when[64], dur[32], tot[32];
	uint64_t native = 0;
	size_t i;

	units_format_time(v->time_ns, false, when, sizeof(when));
	units_format_ns((uint64_t)(v->duration_s * 1e9), dur, sizeof(dur));
	for (i = 0; i < v->n; i++)
		native += procs_native_total(&v->procs[i]);
	if (v->up)
		out_text(doc, "==== %s, host %s: %zu process%s, native total %s "
			 "(collected in %s)", when, r->host.host, v->n,
			 v->n == 1 ? "" : "es",
			 units_format_bytes(native, tot, sizeof(tot)), dur);
	else
		out_text(doc, "==== %s, host %s: no view: %s", when, r->host.host,
			 v->error ? v->error : "the module did not answer");
	out_field(doc, "time", "time", OUT_JSON, out_time(v->time_ns));
	out_field(doc, "host", "host", OUT_JSON, out_str(r->host.host));
	out_field(doc, "boot_id", "boot id", OUT_JSON,
		  out_str(r->host.boot_id[0] ? r->host.boot_id : NULL));
	out_field(doc, "interval_s", "interval", OUT_JSON,
		  out_real((double)r->cfg.interval_ns / 1e9));
	/* microseconds: no digits of noise */
	out_field(doc, "duration_s", "duration", OUT_JSON,
		  out_real((double)(uint64_t)(v->duration_s * 1e6 + 0.5) / 1e6));
	out_field(doc, "up", "up", OUT_JSON, out_bool(v->up));
	out_field(doc, "error", "error", OUT_JSON, out_str(v->up ? NULL : v->error));
	out_field(doc, "module.procs_tracked", "", OUT_JSON, v->up ?
		  out_count(v->st.procs_tracked) : out_null(OUT_COUNT));
	out_field(doc, "module.events_dropped", "", OUT_JSON, v->up ?
		  out_count(v->st.events_dropped) : out_null(OUT_COUNT));
	out_field(doc, "module.mem_bytes", "", OUT_JSON, v->up ?
		  out_bytes(v->st.mem_bytes) : out_null(OUT_BYTES));
	if (v->up) {
		summary_add_list(r->cli, doc, v->procs, v->n, v->n, v->cgroups);
		cgroups_table(doc, v);
	} else {
		out_field(doc, "processes", "", OUT_JSON, out_list(doc, NULL, 0));
		out_field(doc, "totals", "", OUT_JSON, out_null(OUT_STR));
		out_field(doc, "cgroups", "", OUT_JSON, out_list(doc, NULL, 0));
	}
	out_text(doc, "%s", "");
}

/* The report of v, appended to the files. */
static void write_report(struct report *r, const struct report_view *v)
{
	char *json = NULL, *text = NULL;
	size_t jlen = 0, tlen = 0;
	struct out_doc doc;
	FILE *jf, *tf;
	int err = 0;

	if (!r->files)
		return;
	out_init(&doc);
	report_doc(r, &doc, v);
	jf = open_memstream(&json, &jlen);
	tf = open_memstream(&text, &tlen);
	if (!jf || !tf || out_render_json_line(jf, &doc) < 0 ||
	    out_render_text(tf, &doc) < 0)
		err = -ENOMEM;
	if (jf)
		fclose(jf);
	if (tf)
		fclose(tf);
	out_free(&doc);
	if (!err)
		err = report_file_write(&r->json, json, jlen, r->cfg.max_bytes,
					r->cfg.keep);
	if (!err)
		err = report_file_write(&r->text, text, tlen, r->cfg.max_bytes,
					r->cfg.keep);
	free(json);
	free(text);
	if (err && !r->write_failed)
		say(r, "cannot write the reports in %s: %s", r->cfg.dir,
		    strerror(-err));
	else if (!err && r->write_failed)
		say(r, "writing the reports in %s again", r->cfg.dir);
	r->write_failed = err != 0;
}

/* The metrics of v in both formats: 0, or -1 (out of memory). */
static int render_metrics(const struct report_view *v, char **text, char **om)
{
	size_t len = 0;
	FILE *f;
	int ret = 0;

	*text = *om = NULL;
	f = open_memstream(text, &len);
	if (!f || report_metrics(f, v, false) < 0)
		ret = -1;
	if (f)
		fclose(f);
	f = open_memstream(om, &len);
	if (!f || report_metrics(f, v, true) < 0)
		ret = -1;
	if (f)
		fclose(f);
	if (ret) {
		free(*text);
		free(*om);
		*text = *om = NULL;
	}
	return ret;
}

/* ---- files and listening ---------------------------------------------- */

static void close_files(struct report *r)
{
	if (!r->files)
		return;
	report_file_close(&r->json);
	report_file_close(&r->text);
	r->files = false;
}

static int open_files(struct report *r)
{
	int err;

	close_files(r);
	if (!r->cfg.dir)
		return 0;
	if (mkdir(r->cfg.dir, 0750) < 0 && errno != EEXIST) {
		say(r, "cannot make the directory %s: %s", r->cfg.dir,
		    strerror(errno));
		return -1;
	}
	err = report_file_open(&r->json, r->cfg.dir, JSON_NAME);
	if (!err)
		err = report_file_open(&r->text, r->cfg.dir, TEXT_NAME);
	if (err) {
		say(r, "cannot open the reports in %s: %s", r->cfg.dir,
		    strerror(-err));
		report_file_close(&r->json);
		report_file_close(&r->text);
		return -1;
	}
	r->files = true;
	return 0;
}

static int start_http(struct report *r)
{
	char why[256];

	report_http_stop(r->http);
	r->http = NULL;
	if (!r->cfg.listen)
		return 0;
	if (report_http_start(&r->http, (const struct sockaddr *)&r->cfg.addr,
			      r->cfg.addrlen, why, sizeof(why)) < 0) {
		say(r, "cannot listen on %s: %s", r->cfg.listen, why);
		return -1;
	}
	return 0;
}

/*
 * The settings: the defaults, the configuration file's, the command
 * line's.  0, or an exit code with the reason said.
 */
static int load_cfg(struct report *r, struct report_cfg *out)
{
	char why[512];

	report_cfg_init(out);
	if (r->config && report_cfg_read(out, r->config, why, sizeof(why)) < 0) {
		fprintf(r->cli->err, "knmt report: %s\n", why);
		report_cfg_free(out);
		return access(r->config, R_OK) == 0 ? CLI_EXIT_USAGE
						    : CLI_EXIT_RUNTIME;
	}
	if (!report_cfg_merge(out, &r->cmdline)) {
		fprintf(r->cli->err, "knmt: out of memory\n");
		report_cfg_free(out);
		return CLI_EXIT_RUNTIME;
	}
	return 0;
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* SIGHUP: the configuration file again, the files reopened. */
static int reload(struct report *r)
{
	struct report_cfg next, old;
	bool new_dir, new_listen;

	if (load_cfg(r, &next)) {
		say(r, "reload: keeping the settings in force");
		if (r->files && (report_file_reopen(&r->json) < 0 ||
				 report_file_reopen(&r->text) < 0))
			say(r, "cannot reopen the reports in %s", r->cfg.dir);
		return 0;
	}
	new_dir = !same_str(next.dir, r->cfg.dir);
	new_listen = !same_str(next.listen, r->cfg.listen);
	old = r->cfg;
	r->cfg = next;
	if (new_dir || !r->files) {
		if (open_files(r) < 0)
			say(r, "no reports written until the next reload");
	} else if (report_file_reopen(&r->json) < 0 ||
		   report_file_reopen(&r->text) < 0) {
		say(r, "cannot reopen the reports in %s", r->cfg.dir);
	}
	if (new_listen && start_http(r) < 0) {
		/* back to the old address, or stop */
		report_cfg_free(&r->cfg);
		r->cfg = old;
		if (start_http(r) < 0)
			return CLI_EXIT_RUNTIME;
		say(r, "reload: still listening on %s", r->cfg.listen);
		return 0;
	}
	report_cfg_free(&old);
	say(r, "reloaded%s%s", r->config ? " " : "", r->config ? r->config : "");
	return 0;
}

static void say_started(struct report *r)
{
	char iv[32];

	units_format_ns(r->cfg.interval_ns, iv, sizeof(iv));
	if (r->http)
		say(r, "every %s; metrics on http://%s/metrics (port %u); %s%s",
		    iv, r->cfg.listen, report_http_port(r->http),
		    r->cfg.dir ? "reports in " : "no report files",
		    r->cfg.dir ? r->cfg.dir : "");
	else
		say(r, "every %s; no metrics served; reports in %s", iv,
		    r->cfg.dir);
}

/* One collection: the view taken, published, written.  An exit code. */
static int round_once(struct report *r, bool once)
{
	struct report_view v;
	char *text = NULL, *om = NULL;
	int code;

	code = collect(r, &v);
	if (code && (once || !r->down))
		say(r, "%s", v.error ? v.error : "the module did not answer");
	else if (!code && r->down)
		say(r, "the module answers again");
	r->down = code != 0;
	write_report(r, &v);
	if (render_metrics(&v, &text, &om) < 0) {
		say(r, "out of memory");
	} else if (once) {
		fputs(text, r->cli->out);
		free(text);
		free(om);
	} else if (r->http) {
		report_http_publish(r->http, text, om);
	} else {
		free(text);
		free(om);
	}
	report_view_free(&v);
	return code;
}

static int serve(struct report *r)
{
	uint64_t next;
	sigset_t mask, old;
	int sfd, ret = 0;
	bool stop = false;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	/* before libmicrohttpd's thread starts: it inherits the mask */
	if (sigprocmask(SIG_BLOCK, &mask, &old) < 0 ||
	    (sfd = signalfd(-1, &mask, SFD_CLOEXEC)) < 0) {
		say(r, "cannot take the signals: %s", strerror(errno));
		return CLI_EXIT_RUNTIME;
	}
	if ((r->cfg.dir && open_files(r) < 0) || start_http(r) < 0) {
		ret = CLI_EXIT_RUNTIME;
		goto out;
	}
	say_started(r);
	next = clock_now(CLOCK_MONOTONIC);
	while (!stop) {
		struct signalfd_siginfo si;
		struct pollfd pfd = { .fd = sfd, .events = POLLIN };
		uint64_t now = clock_now(CLOCK_MONOTONIC);
		int n;

		if (now >= next) {
			if (round_once(r, false) == CLI_EXIT_PERM) {
				ret = CLI_EXIT_PERM;
				break;
			}
			next += r->cfg.interval_ns;
			now = clock_now(CLOCK_MONOTONIC);
			if (next <= now)	/* late: no burst to catch up */
				next = now + r->cfg.interval_ns;
			continue;
		}
		n = poll(&pfd, 1, (int)((next - now + 999999) / 1000000));
		if (n < 0 && errno != EINTR) {
			say(r, "poll: %s", strerror(errno));
			ret = CLI_EXIT_RUNTIME;
			break;
		}
		if (n <= 0 || read(sfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
			continue;
		switch (si.ssi_signo) {
		case SIGHUP:
			ret = reload(r);
			if (ret)
				stop = true;
			break;
		default:
			say(r, "stopping (signal %u)", si.ssi_signo);
			stop = true;
			break;
		}
	}
out:
	report_http_stop(r->http);
	r->http = NULL;
	close_files(r);
	close(sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}

/* ---- the command ---------------------------------------------------------- */

static int report_run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "dir", required_argument, NULL, 'd' },
		{ "listen", required_argument, NULL, 'l' },
		{ "config", required_argument, NULL, 'c' },
		{ "keep", required_argument, NULL, 'k' },
		{ "max-bytes", required_argument, NULL, 'm' },
		{ "once", no_argument, NULL, '1' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const keys[] = {
		['i'] = "interval", ['d'] = "dir", ['l'] = "listen",
		['k'] = "keep", ['m'] = "max_bytes",
	};
	const struct cli_command *cmd = &cli_cmd_report;
	struct report r = { .cli = cli };
	bool once = false;
	char why[512];
	int c, ret = 0;

	report_cfg_init(&r.cmdline);
	r.cmdline.set = 0;
	optind = 0;
	opterr = 0;
	while (!ret && (c = getopt_long(argc, argv, ":i:d:l:c:k:m:", opts,
					NULL)) != -1) {
		switch (c) {
		case 'i':
		case 'd':
		case 'l':
		case 'k':
		case 'm':
			if (report_cfg_set(&r.cmdline, keys[c], optarg, why,
					   sizeof(why)) < 0)
				ret = cli_usage_error(cli, cmd, "%s", why);
			break;
		case 'c':
			r.config = optarg;
			break;
		case '1':
			once = true;
			break;
		default:
			ret = cli_option_error(cli, cmd, c, argv);
			break;
		}
	}
	if (!ret)
		ret = cli_no_operand(cli, cmd, argc, argv, optind);
	if (!ret)
		ret = load_cfg(&r, &r.cfg);
	if (ret) {
		report_cfg_free(&r.cmdline);
		return ret;
	}
	if (!once && !r.cfg.dir && !r.cfg.listen) {
		report_cfg_free(&r.cmdline);
		report_cfg_free(&r.cfg);
		return cli_usage_error(cli, cmd, "nothing to do: no --dir and "
				       "--listen none");
	}
	snap_host(cli, &r.host);
	if (once) {
		if (r.cfg.dir && open_files(&r) < 0)
			ret = CLI_EXIT_RUNTIME;
		else
			ret = round_once(&r, true);
		close_files(&r);
	} else {
		ret = serve(&r);
	}
	knmt_close(r.h);
	report_cfg_free(&r.cmdline);
	report_cfg_free(&r.cfg);
	return ret;
}

CLI_COMMAND(report) = {
	.name = "report",
	.args = "[--interval DURATION] [--dir DIR] [--listen ADDR:PORT] "
		"[--config FILE] [--keep N] [--max-bytes SIZE] [--once]",
	.summary = "periodic native-memory reports: files and Prometheus metrics",
	.help =
	"Every interval: the view of 'knmt summary --json' with each process's\n"
	"cgroup, and its sums per cgroup.  It appends a JSON line to\n"
	"DIR/" JSON_NAME " and a text report to DIR/" TEXT_NAME ", and serves\n"
	"its Prometheus metrics at http://ADDR:PORT/metrics (OpenMetrics when\n"
	"asked).  SIGTERM or SIGINT stop it; SIGHUP reads FILE again and reopens\n"
	"the report files.\n"
	"\n"
	"  --interval DURATION  how often (default 60s; 100ms .. 1d: 30s, 1m)\n"
	"  --dir DIR            where the reports go (default: no files; made\n"
	"                       if missing)\n"
	"  --listen ADDR:PORT   where the metrics are served (default\n"
	"                       " REPORT_DEFAULT_LISTEN "; [::1]:9464; 0.0.0.0:9464\n"
	"                       for every address; none: not served)\n"
	"  --config FILE        settings as 'key = value' lines: interval, dir,\n"
	"                       listen, keep, max_bytes; the command line wins\n"
	"  --keep N             rotated files kept per report (default 5; 0:\n"
	"                       none)\n"
	"  --max-bytes SIZE     a report file past SIZE is rotated (default\n"
	"                       10M): FILE.1 is the newest rotated one\n"
	"  --once               one report (the files, the metrics on stdout),\n"
	"                       then exit\n"
	"\n"
	"While the module does not answer (not loaded), knmt_up is 0 and the\n"
	"reports say why; it goes on.  Without CAP_NET_ADMIN it stops (exit 4).\n"
	"Its formats are fixed (JSON lines, text, the metrics): -j/--json,\n"
	"before or after report, is a usage error ('knmt summary --json' is\n"
	"the view as JSON).\n",
	.no_json = "writes JSON lines and Prometheus metrics already",
	.run = report_run,
};
