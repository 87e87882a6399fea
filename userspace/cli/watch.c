// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt watch: the events of the module as they come (the "events"
 * multicast group), one line each, in text or JSON lines, with what was
 * lost on the way: events the kernel's rings dropped (the batches' LOST)
 * and batches this socket did not receive (gaps in the events' numbers,
 * ENOBUFS from recv).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "cli.h"
#include "output.h"
#include "procs.h"
#include "units.h"
#include "watch.h"

static const struct cli_command cli_cmd_watch;

#define NS_PER_S	UINT64_C(1000000000)
#define NS_PER_MS	UINT64_C(1000000)

/* ---- pid -> comm ------------------------------------------------------------ */

/*
 * The command names of the pids seen: from the events that carry one
 * (exec, exit, oom_victim), else read once from /proc/PID/comm.  A
 * direct-mapped table: a pid takes the slot of another one.
 */
#define COMM_SLOTS	1024

struct comm_slot {
	uint32_t pid;		/* 0: empty */
	bool known;		/* comm holds the name; else none was found */
	char comm[KNMT_COMM_MAX];
};

struct watch {
	struct cli *cli;
	uint32_t pid;			/* -p: only its events; 0 all */
	uint32_t types;			/* bit t: type t shown */
	bool all_types;			/* no --events: newer types too */
	uint64_t count;			/* --count: stop after; 0 never */
	uint64_t duration_ns;		/* --duration; 0 none */
	uint64_t deadline;		/* CLOCK_MONOTONIC, with duration */
	uint64_t shown;
	bool done;			/* --count reached */
	bool write_err;
	struct knmt_event_loss loss;
	struct comm_slot comms[COMM_SLOTS];
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/*
 * SIGINT or SIGTERM waiting: they are blocked but while waiting for
 * events, and a stream that never runs dry would never wait.
 */
static bool stop_pending(void)
{
	sigset_t set;

	if (sigpending(&set) < 0)
		return false;
	return sigismember(&set, SIGINT) == 1 || sigismember(&set, SIGTERM) == 1;
}

static uint64_t mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

static struct comm_slot *comm_slot(struct watch *w, uint32_t pid)
{
	return &w->comms[pid % COMM_SLOTS];
}

static void comm_set(struct watch *w, uint32_t pid, const char *comm)
{
	struct comm_slot *s = comm_slot(w, pid);

	s->pid = pid;
	s->known = true;
	snprintf(s->comm, sizeof(s->comm), "%s", comm);
}

static void comm_forget(struct watch *w, uint32_t pid)
{
	struct comm_slot *s = comm_slot(w, pid);

	if (s->pid == pid)
		s->pid = 0;
}

/* The name of pid, or NULL when it has none to be found. */
static const char *comm_of(struct watch *w, uint32_t pid)
{
	struct comm_slot *s = comm_slot(w, pid);
	char path[64], buf[KNMT_COMM_MAX];
	FILE *f;

	if (s->pid == pid)
		return s->known ? s->comm : NULL;
	s->pid = pid;
	s->known = false;
	snprintf(path, sizeof(path), "%s/%u/comm",
		 w->cli->proc_root ? w->cli->proc_root : "/proc", pid);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	if (fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\n")] = '\0';
		snprintf(s->comm, sizeof(s->comm), "%s", buf);
		s->known = true;
	}
	fclose(f);
	return s->known ? s->comm : NULL;
}

/* ---- one event ------------------------------------------------------------ */

static bool has(const struct knmt_event *e, int attr)
{
	return KNMT_HAS(e, attr);
}

/* A value of e when it carries attr, else null. */
static struct out_val opt(const struct knmt_event *e, int attr, struct out_val v)
{
	return has(e, attr) ? v : out_null(v.type);
}

/* "0x7f00..." or "?" */
static const char *hex_text(struct out_doc *doc, const struct knmt_event *e,
			    int attr, uint64_t v)
{
	return has(e, attr) ? out_printf(doc, "0x%" PRIx64, v) : "?";
}

/* "1 MiB" or "?" */
static const char *bytes_text(struct out_doc *doc, const struct knmt_event *e,
			      int attr, uint64_t v)
{
	char b[32];

	return has(e, attr) ? out_printf(doc, "%s", units_format_bytes(v, b, sizeof(b)))
			    : "?";
}

/* "2.5 s", "1m 30s" or "?" */
static const char *ns_text(struct out_doc *doc, const struct knmt_event *e,
			   int attr, uint64_t v)
{
	char b[32];

	return has(e, attr) ? out_printf(doc, "%s", units_format_ns(v, b, sizeof(b)))
			    : "?";
}

static const char *type_name(struct out_doc *doc, unsigned int type)
{
	const char *name = knmt_event_type_name(type);

	return name ? name : out_printf(doc, "%u", type);
}

static const char *category_name(struct out_doc *doc, unsigned int cat)
{
	const char *name = knmt_category_name(cat);

	return name ? name : out_printf(doc, "%u", cat);
}

static const char *origin_name(struct out_doc *doc, unsigned int origin)
{
	const char *name = knmt_origin_name(origin);

	return name ? name : out_printf(doc, "%u", origin);
}

/* A TCP state: its JSON name, else its number. */
static const char *state_name(struct out_doc *doc, unsigned int state)
{
	const char *name = knmt_tcp_state_name(state);

	return name ? name : out_printf(doc, "%u", state);
}

/* As ss shows it, else its number. */
static const char *state_label(struct out_doc *doc, const struct knmt_event *e,
			       int attr, unsigned int state)
{
	const char *label = procs_tcp_state_label(state);

	if (!has(e, attr))
		return "?";
	return label ? label : out_printf(doc, "%u", state);
}

static struct out_val sock_flags(struct out_doc *doc, uint32_t flags)
{
	static const struct { uint32_t bit; const char *name; } names[] = {
		{ KNMT_SOCK_F_APPROX, "approx" },
		{ KNMT_SOCK_F_ACCEPTED, "accepted" },
		{ KNMT_SOCK_F_ADOPTED, "adopted" },
	};
	struct out_val v[sizeof(names) / sizeof(names[0])];
	size_t i, n = 0;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (flags & names[i].bit)
			v[n++] = out_str(names[i].name);
	return out_list(doc, v, n);
}

/* "heap 120 minor, offheap 512 minor 3 major" */
static const char *faults_text(struct out_doc *doc, const struct knmt_event *e)
{
	char buf[512] = "";
	size_t n = 0;
	unsigned int c;

	for (c = 0; c < KNMT_CAT_NR && n < sizeof(buf); c++) {
		if (!(e->faults_present & (1U << c)))
			continue;
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s %" PRIu64 " minor",
				      n ? ", " : "", knmt_category_name(c),
				      e->faults_minor[c]);
		if (e->faults_major[c] && n < sizeof(buf))
			n += (size_t)snprintf(buf + n, sizeof(buf) - n,
					      " %" PRIu64 " major",
					      e->faults_major[c]);
	}
	return n ? out_printf(doc, "%s", buf) : "none";
}

/* The JSON object "process" of an exit, as in summary -p. */
static void process_json(struct cli *cli, struct out_doc *doc,
			 const struct knmt_event *e)
{
	size_t ncols = procs_json_ncols(false), c;
	struct out_table *t;

	if (!has(e, KNMT_A_EV_PROC)) {
		out_field(doc, "process", "", OUT_JSON, out_null(OUT_STR));
		return;
	}
	/* a table of no key shows in neither form: its row becomes fields */
	t = out_table(doc, NULL, NULL, procs_json_cols, ncols, 1);
	if (!t)
		return;
	procs_json_row(cli, doc, t, 0, &e->proc);
	for (c = 0; c < ncols; c++) {
		const struct out_val *v = &t->cells[c];

		if (v->omit)
			continue;
		out_field(doc, out_printf(doc, "process.%s", procs_json_cols[c].key),
			  "", OUT_JSON, *v);
	}
}

/*
 * The JSON keys and text details of each type; JSON has every key of
 * its type, null for what the module did not send.
 */
static const char *event_details(struct cli *cli, struct out_doc *doc,
				 const struct knmt_event *e)
{
	char b[32];

	switch (e->type) {
	case KNMT_EV_EXEC:
	case KNMT_EV_OOM_VICTIM:
		return e->type == KNMT_EV_OOM_VICTIM ? "chosen by the OOM killer"
						      : "";
	case KNMT_EV_EXIT: {
		const char *st = procs_exit_status(doc, has(e, KNMT_A_EV_EXIT_CODE),
						   e->exit_code, e->flags);
		const char *top;

		out_field(doc, "exit_code", "", OUT_JSON,
			  opt(e, KNMT_A_EV_EXIT_CODE, out_count(e->exit_code)));
		out_field(doc, "flags", "", OUT_JSON, procs_flags(doc, e->flags));
		process_json(cli, doc, e);
		if (!st)
			st = "exited";
		if (!e->proc.present || !procs_sampled(&e->proc))
			return st;
		top = procs_top_categories(doc, &e->proc, 3);
		return out_printf(doc, "%s; rss %s%s%s", st,
				  units_format_bytes(procs_rss(&e->proc), b, sizeof(b)),
				  top ? ", " : "", top ? top : "");
	}
	case KNMT_EV_MMAP:
		out_field(doc, "start", "", OUT_JSON,
			  opt(e, KNMT_A_EV_START, out_hex(e->start)));
		out_field(doc, "len", "", OUT_JSON, opt(e, KNMT_A_EV_LEN, out_bytes(e->len)));
		out_field(doc, "category", "", OUT_JSON,
			  has(e, KNMT_A_EV_CATEGORY) ?
			  out_str(category_name(doc, e->category)) : out_null(OUT_STR));
		out_field(doc, "origin", "", OUT_JSON,
			  has(e, KNMT_A_EV_ORIGIN) ?
			  out_str(origin_name(doc, e->origin)) : out_null(OUT_STR));
		return out_printf(doc, "%s %s %s, origin %s",
				  hex_text(doc, e, KNMT_A_EV_START, e->start),
				  bytes_text(doc, e, KNMT_A_EV_LEN, e->len),
				  has(e, KNMT_A_EV_CATEGORY) ?
				  category_name(doc, e->category) : "?",
				  has(e, KNMT_A_EV_ORIGIN) ?
				  origin_name(doc, e->origin) : "?");
	case KNMT_EV_MUNMAP:
	case KNMT_EV_OFFHEAP_ALLOC:
	case KNMT_EV_OFFHEAP_FREE:
		out_field(doc, "start", "", OUT_JSON,
			  opt(e, KNMT_A_EV_START, out_hex(e->start)));
		out_field(doc, "len", "", OUT_JSON, opt(e, KNMT_A_EV_LEN, out_bytes(e->len)));
		if (e->type != KNMT_EV_OFFHEAP_FREE)
			return out_printf(doc, "%s %s",
					  hex_text(doc, e, KNMT_A_EV_START, e->start),
					  bytes_text(doc, e, KNMT_A_EV_LEN, e->len));
		out_field(doc, "lifetime_s", "", OUT_JSON,
			  opt(e, KNMT_A_EV_LIFETIME_NS,
			      out_real((double)e->lifetime_ns / 1e9)));
		return out_printf(doc, "%s %s after %s",
				  hex_text(doc, e, KNMT_A_EV_START, e->start),
				  bytes_text(doc, e, KNMT_A_EV_LEN, e->len),
				  ns_text(doc, e, KNMT_A_EV_LIFETIME_NS, e->lifetime_ns));
	case KNMT_EV_MREMAP:
		out_field(doc, "old_start", "", OUT_JSON,
			  opt(e, KNMT_A_EV_OLD_START, out_hex(e->old_start)));
		out_field(doc, "old_len", "", OUT_JSON,
			  opt(e, KNMT_A_EV_OLD_LEN, out_bytes(e->old_len)));
		out_field(doc, "start", "", OUT_JSON,
			  opt(e, KNMT_A_EV_START, out_hex(e->start)));
		out_field(doc, "len", "", OUT_JSON, opt(e, KNMT_A_EV_LEN, out_bytes(e->len)));
		return out_printf(doc, "%s %s -> %s %s",
				  hex_text(doc, e, KNMT_A_EV_OLD_START, e->old_start),
				  bytes_text(doc, e, KNMT_A_EV_OLD_LEN, e->old_len),
				  hex_text(doc, e, KNMT_A_EV_START, e->start),
				  bytes_text(doc, e, KNMT_A_EV_LEN, e->len));
	case KNMT_EV_BRK: {
		bool both = has(e, KNMT_A_EV_OLD_START) && has(e, KNMT_A_EV_START);
		bool down = e->start < e->old_start;
		uint64_t d = down ? e->old_start - e->start : e->start - e->old_start;

		out_field(doc, "old_start", "", OUT_JSON,
			  opt(e, KNMT_A_EV_OLD_START, out_hex(e->old_start)));
		out_field(doc, "start", "", OUT_JSON,
			  opt(e, KNMT_A_EV_START, out_hex(e->start)));
		return out_printf(doc, "%s -> %s%s%s%s%s",
				  hex_text(doc, e, KNMT_A_EV_OLD_START, e->old_start),
				  hex_text(doc, e, KNMT_A_EV_START, e->start),
				  both ? " (" : "", both ? (down ? "-" : "+") : "",
				  both ? units_format_bytes(d, b, sizeof(b)) : "",
				  both ? ")" : "");
	}
	case KNMT_EV_FAULTS: {
		unsigned int c;

		out_field(doc, "interval_s", "", OUT_JSON,
			  opt(e, KNMT_A_EV_INTERVAL_NS,
			      out_real((double)e->interval_ns / 1e9)));
		if (!e->faults_present)
			out_field(doc, "faults", "", OUT_JSON, out_null(OUT_STR));
		for (c = 0; c < KNMT_CAT_NR; c++) {
			if (!(e->faults_present & (1U << c)))
				continue;
			out_field(doc, out_printf(doc, "faults.%s.minor",
						  knmt_category_name(c)),
				  "", OUT_JSON, out_count(e->faults_minor[c]));
			out_field(doc, out_printf(doc, "faults.%s.major",
						  knmt_category_name(c)),
				  "", OUT_JSON, out_count(e->faults_major[c]));
		}
		return out_printf(doc, "in %s: %s",
				  ns_text(doc, e, KNMT_A_EV_INTERVAL_NS, e->interval_ns),
				  faults_text(doc, e));
	}
	case KNMT_EV_SOCK_OPEN: {
		bool inet = e->sock_family == AF_INET || e->sock_family == AF_INET6;
		bool ft = has(e, KNMT_A_EV_SOCK_FAMILY) && has(e, KNMT_A_EV_SOCK_TYPE);
		const char *id = ft ? sockets_netid(doc, e->sock_family,
						    e->sock_type, e->sock_protocol)
				    : NULL;
		struct out_val fl = sock_flags(doc, e->flags);
		char flags[128];

		out_field(doc, "inode", "", OUT_JSON,
			  opt(e, KNMT_A_EV_SOCK_INODE, out_count(e->sock_inode)));
		out_field(doc, "family", "", OUT_JSON,
			  has(e, KNMT_A_EV_SOCK_FAMILY) ?
			  out_str(sockets_family_name(doc, e->sock_family)) :
			  out_null(OUT_STR));
		out_field(doc, "socket_type", "", OUT_JSON,
			  has(e, KNMT_A_EV_SOCK_TYPE) ?
			  out_str(sockets_type_name(doc, e->sock_type)) :
			  out_null(OUT_STR));
		out_field(doc, "protocol", "", OUT_JSON,
			  has(e, KNMT_A_EV_SOCK_PROTOCOL) && inet ?
			  out_str(sockets_protocol_name(doc, e->sock_protocol)) :
			  out_null(OUT_STR));
		out_field(doc, "netid", "", OUT_JSON, out_str(id));
		out_field(doc, "flags", "", OUT_JSON, fl);
		out_val_text(&fl, flags, sizeof(flags));
		return out_printf(doc, "%s inode %s%s%s", id ? id : "?",
				  has(e, KNMT_A_EV_SOCK_INODE) ?
				  out_printf(doc, "%" PRIu64, e->sock_inode) : "?",
				  fl.n ? ", " : "", fl.n ? flags : "");
	}
	case KNMT_EV_SOCK_CLOSE:
		out_field(doc, "inode", "", OUT_JSON,
			  opt(e, KNMT_A_EV_SOCK_INODE, out_count(e->sock_inode)));
		out_field(doc, "lifetime_s", "", OUT_JSON,
			  opt(e, KNMT_A_EV_LIFETIME_NS,
			      out_real((double)e->lifetime_ns / 1e9)));
		return out_printf(doc, "inode %s after %s",
				  has(e, KNMT_A_EV_SOCK_INODE) ?
				  out_printf(doc, "%" PRIu64, e->sock_inode) : "?",
				  ns_text(doc, e, KNMT_A_EV_LIFETIME_NS, e->lifetime_ns));
	case KNMT_EV_SOCK_STATE:
		out_field(doc, "inode", "", OUT_JSON,
			  opt(e, KNMT_A_EV_SOCK_INODE, out_count(e->sock_inode)));
		out_field(doc, "old_state", "", OUT_JSON,
			  has(e, KNMT_A_EV_SOCK_OLD_STATE) ?
			  out_str(state_name(doc, e->sock_old_state)) :
			  out_null(OUT_STR));
		out_field(doc, "state", "", OUT_JSON,
			  has(e, KNMT_A_EV_SOCK_STATE) ?
			  out_str(state_name(doc, e->sock_state)) :
			  out_null(OUT_STR));
		return out_printf(doc, "inode %s %s -> %s",
				  has(e, KNMT_A_EV_SOCK_INODE) ?
				  out_printf(doc, "%" PRIu64, e->sock_inode) : "?",
				  state_label(doc, e, KNMT_A_EV_SOCK_OLD_STATE,
					      e->sock_old_state),
				  state_label(doc, e, KNMT_A_EV_SOCK_STATE,
					      e->sock_state));
	case KNMT_EV_NR:
	default:
		return "";	/* a type of a newer module */
	}
}

/* "14:02:03.123", local time; "--:--:--.---" when unknown. */
static const char *clock_text(struct cli *cli, struct out_doc *doc,
			      const struct knmt_event *e)
{
	struct out_val t = procs_time(cli, e->time_ns, has(e, KNMT_A_EV_TIME_NS));
	time_t secs;
	struct tm tm;
	char hms[16];

	if (t.null)
		return "--:--:--.---";
	secs = (time_t)(t.u / NS_PER_S);
	if (!localtime_r(&secs, &tm) || !strftime(hms, sizeof(hms), "%H:%M:%S", &tm))
		return "--:--:--.---";
	return out_printf(doc, "%s.%03u", hms,
			  (unsigned int)(t.u % NS_PER_S / NS_PER_MS));
}

static int put(struct watch *w, struct out_doc *doc)
{
	int ret = w->cli->json ? out_render_json_line(w->cli->out, doc)
			       : out_render_text(w->cli->out, doc);

	if (ret < 0 || fflush(w->cli->out) != 0)
		w->write_err = true;
	return w->write_err ? -1 : 0;
}

void watch_event_doc(struct cli *cli, struct out_doc *doc,
		     const struct knmt_event *e, const char *comm)
{
	const char *details, *line;
	char pid[16];
	size_t n;

	out_field(doc, "seq", "", OUT_JSON, out_count(e->seq));
	out_field(doc, "time", "", OUT_JSON,
		  procs_time(cli, e->time_ns, has(e, KNMT_A_EV_TIME_NS)));
	out_field(doc, "type", "", OUT_JSON, out_str(type_name(doc, e->type)));
	out_field(doc, "pid", "", OUT_JSON, opt(e, KNMT_A_EV_PID, out_count(e->pid)));
	out_field(doc, "tid", "", OUT_JSON, opt(e, KNMT_A_EV_TID, out_count(e->tid)));
	out_field(doc, "comm", "", OUT_JSON, out_str(comm));
	details = event_details(cli, doc, e);

	if (!details)
		details = "";
	/* the thread, when not the main one */
	if (has(e, KNMT_A_EV_TID) && e->tid != e->pid)
		details = out_printf(doc, "%s%s(tid %u)", details,
				     details[0] ? " " : "", e->tid);
	if (has(e, KNMT_A_EV_PID))
		snprintf(pid, sizeof(pid), "%u", e->pid);
	else
		snprintf(pid, sizeof(pid), "-");
	line = out_printf(doc, "%s %7s %-15s %-13s %s", clock_text(cli, doc, e),
			  pid, comm ? comm : "-", type_name(doc, e->type),
			  details ? details : "");
	if (line) {
		/* no trailing blanks */
		for (n = strlen(line); n && line[n - 1] == ' '; n--)
			;
		out_text(doc, "%.*s", (int)n, line);
	}
}

static int show_event(struct watch *w, const struct knmt_event *e,
		      const char *comm)
{
	struct out_doc doc;
	int ret;

	out_init(&doc);
	watch_event_doc(w->cli, &doc, e, comm);
	ret = put(w, &doc);
	out_free(&doc);
	return ret;
}

void watch_loss_doc(struct out_doc *doc, const struct knmt_event_batch *b)
{
	uint64_t total = b->lost + b->gap;

	out_field(doc, "type", "", OUT_JSON, out_str("lost"));
	out_field(doc, "seq", "", OUT_JSON, out_count(b->seq));
	out_field(doc, "ring_dropped", "", OUT_JSON, out_count(b->lost));
	out_field(doc, "undelivered", "", OUT_JSON, out_count(b->gap));
	out_text(doc, "-- %" PRIu64 " event%s lost (kernel rings: %" PRIu64
		 ", not delivered: %" PRIu64 ") --", total, total == 1 ? "" : "s",
		 b->lost, b->gap);
}

/* Before the events of a batch: what was lost just before it. */
static int show_loss(struct watch *w, const struct knmt_event_batch *b)
{
	struct out_doc doc;
	int ret;

	out_init(&doc);
	watch_loss_doc(&doc, b);
	ret = put(w, &doc);
	out_free(&doc);
	return ret;
}

static bool wanted(const struct watch *w, const struct knmt_event *e)
{
	if (w->pid && (!has(e, KNMT_A_EV_PID) || e->pid != w->pid))
		return false;
	if (e->type >= KNMT_EV_NR)
		return w->all_types;
	return (w->types & (1U << e->type)) != 0;
}

static int on_event(const struct knmt_event *e, const struct knmt_event_batch *b,
		    void *arg)
{
	struct watch *w = arg;
	const char *comm = NULL;

	if (stop_signal || w->done || w->write_err)
		return KNMT_EVENTS_STOP;
	/* once a batch: the rest of it is not left half shown */
	if (b->index == 0 && stop_pending())
		return KNMT_EVENTS_STOP;
	if (b->index == 0 && (b->lost || b->gap) && show_loss(w, b) < 0)
		return KNMT_EVENTS_STOP;
	if (!e)
		return 0;
	if (has(e, KNMT_A_EV_COMM) && has(e, KNMT_A_EV_PID))
		comm_set(w, e->pid, e->comm);
	if (wanted(w, e)) {
		if (has(e, KNMT_A_EV_COMM))
			comm = e->comm;
		else if (has(e, KNMT_A_EV_PID))
			comm = comm_of(w, e->pid);
		if (show_event(w, e, comm) < 0)
			return KNMT_EVENTS_STOP;
		w->shown++;
	}
	/* the pid may be reused */
	if (e->type == KNMT_EV_EXIT && has(e, KNMT_A_EV_PID))
		comm_forget(w, e->pid);
	if (w->count && w->shown >= w->count) {
		w->done = true;
		return KNMT_EVENTS_STOP;
	}
	if (w->duration_ns && mono_now() >= w->deadline)
		return KNMT_EVENTS_STOP;
	return 0;
}

/* At the end: on stderr, and with --json a last line on stdout. */
static void summary(struct watch *w)
{
	const struct knmt_event_loss *l = &w->loss;
	struct out_doc doc;

	fprintf(w->cli->err,
		"knmt watch: %" PRIu64 " events received, %" PRIu64 " shown; "
		"lost: %" PRIu64 " in the kernel's rings, %" PRIu64
		" not delivered (gaps); ENOBUFS %" PRIu64 " time%s\n",
		l->events, w->shown, l->lost_ring, l->lost_gaps, l->enobufs,
		l->enobufs == 1 ? "" : "s");
	if (!w->cli->json || w->write_err)
		return;
	out_init(&doc);
	out_field(&doc, "type", "", OUT_JSON, out_str("summary"));
	out_field(&doc, "events", "", OUT_JSON, out_count(l->events));
	out_field(&doc, "shown", "", OUT_JSON, out_count(w->shown));
	out_field(&doc, "lost_ring", "", OUT_JSON, out_count(l->lost_ring));
	out_field(&doc, "lost_gaps", "", OUT_JSON, out_count(l->lost_gaps));
	out_field(&doc, "enobufs", "", OUT_JSON, out_count(l->enobufs));
	(void)put(w, &doc);
	out_free(&doc);
}

/* ---- the stream ------------------------------------------------------------ */

static int watch(struct watch *w)
{
	struct cli *cli = w->cli;
	struct sigaction sa = { 0 }, old_int, old_term;
	sigset_t block, old_mask, wait_mask;
	struct knmt_events *ev = NULL;
	struct knmt *h;
	int ret, err = 0;

	ret = cli_connect(cli, &h);
	if (ret)
		return ret;
	cli_steady_heap();
	err = knmt_events_open(h, &ev);
	if (!err)
		err = knmt_events_nonblock(ev, true);
	if (err) {
		ret = cli_report(cli, h, err);
		knmt_events_close(ev);
		knmt_close(h);
		return ret;
	}

	stop_signal = 0;
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	/* blocked but while waiting: a signal is never missed */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old_mask);
	wait_mask = old_mask;
	sigdelset(&wait_mask, SIGINT);
	sigdelset(&wait_mask, SIGTERM);

	knmt_event_loss_init(&w->loss);
	w->deadline = mono_now() + w->duration_ns;
	for (;;) {
		struct pollfd pfd = { .fd = knmt_events_fd(ev), .events = POLLIN };
		struct timespec ts, *tmo = NULL;
		uint64_t now;

		err = knmt_events_read(ev, &w->loss, on_event, w);
		if (err < 0 || w->done || w->write_err)
			break;
		err = 0;
		if (w->duration_ns) {
			now = mono_now();
			if (now >= w->deadline)
				break;
			ts.tv_sec = (time_t)((w->deadline - now) / NS_PER_S);
			ts.tv_nsec = (long)((w->deadline - now) % NS_PER_S);
			tmo = &ts;
		}
		/* the signals blocked are delivered here, pending ones at once */
		if (ppoll(&pfd, 1, tmo, &wait_mask) < 0 && errno != EINTR) {
			fprintf(cli->err, "knmt: waiting for events: %s\n",
				strerror(errno));
			ret = CLI_EXIT_RUNTIME;
			break;
		}
		if (stop_signal)
			break;
	}

	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);

	if (err < 0)
		ret = cli_report(cli, h, err);
	summary(w);
	if (w->write_err) {
		fprintf(cli->err, "knmt: writing the events: %s\n",
			strerror(errno ? errno : EIO));
		ret = CLI_EXIT_RUNTIME;
	}
	knmt_events_close(ev);
	knmt_close(h);
	return ret;
}

/* ---- the command ------------------------------------------------------------ */

/* "exec, exit, ..., sock_state" */
static const char *type_list(char *buf, size_t len)
{
	size_t n = 0;
	unsigned int t;

	buf[0] = '\0';
	for (t = 0; t < KNMT_EV_NR && n < len; t++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", t ? ", " : "",
				      knmt_event_type_name(t));
	return buf;
}

static int parse_events(struct cli *cli, const char *s, uint32_t *types)
{
	const char *p = s;
	char name[32], list[256];

	if (!*s)
		return cli_usage_error(cli, &cli_cmd_watch,
				       "--events: expected a list of event types "
				       "(%s)", type_list(list, sizeof(list)));
	for (;;) {
		size_t n = strcspn(p, ",");
		int t = -1;

		if (n && n < sizeof(name)) {
			memcpy(name, p, n);
			name[n] = '\0';
			t = knmt_event_type_from_name(name);
		}
		if (t < 0)
			return cli_usage_error(cli, &cli_cmd_watch,
					       "--events: unknown event type '%.*s' "
					       "(one of %s)", (int)n, p,
					       type_list(list, sizeof(list)));
		*types |= 1U << t;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

static int parse_duration(struct cli *cli, const char *s, uint64_t *ns)
{
	int err = units_parse_duration(s, ns);

	if (err == -ERANGE)
		return cli_usage_error(cli, &cli_cmd_watch,
				       "--duration: '%s' is too long", s);
	if (err || !*ns)
		return cli_usage_error(cli, &cli_cmd_watch,
				       "--duration: '%s' is not a duration of more "
				       "than 0 (500ms, 30s, 5m, 1h30m)", s);
	return 0;
}

static int watch_run(struct cli *cli, int argc, char **argv)
{
	enum { OPT_EVENTS = 256, OPT_COUNT, OPT_DURATION };
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pid", required_argument, NULL, 'p' },
		{ "events", required_argument, NULL, OPT_EVENTS },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ NULL, 0, NULL, 0 },
	};
	struct watch *w;
	size_t count;
	int c, ret = 0;

	w = calloc(1, sizeof(*w));
	if (!w) {
		fprintf(cli->err, "knmt: out of memory\n");
		return CLI_EXIT_RUNTIME;
	}
	w->cli = cli;
	optind = 0;
	opterr = 0;
	while (!ret && (c = getopt_long(argc, argv, ":jp:", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			cli->json = true;
			break;
		case 'p':
			ret = procs_parse_one_pid(cli, &cli_cmd_watch, optarg, &w->pid);
			break;
		case OPT_EVENTS:
			ret = parse_events(cli, optarg, &w->types);
			break;
		case OPT_COUNT:
			ret = procs_parse_count(cli, &cli_cmd_watch, "--count",
						optarg, &count);
			w->count = count;
			break;
		case OPT_DURATION:
			ret = parse_duration(cli, optarg, &w->duration_ns);
			break;
		default:	/* ':' or '?' */
			ret = cli_option_error(cli, &cli_cmd_watch, c, argv);
			break;
		}
	}
	if (!ret)
		ret = cli_no_operand(cli, &cli_cmd_watch, argc, argv, optind);
	if (!ret) {
		w->all_types = !w->types;
		if (!w->types)
			w->types = (1U << KNMT_EV_NR) - 1;
		ret = watch(w);
	}
	free(w);
	return ret;
}

CLI_COMMAND(watch) = {
	.name = "watch",
	.args = "[-p PID] [--events LIST] [--json] [--count N] [--duration DURATION]",
	.summary = "the module's events as they happen: maps, off-heap buffers, faults, sockets, exits",
	.help =
	"One line per event, as the module sends them (a batch every few\n"
	"milliseconds), until interrupted (Ctrl-C, SIGTERM), N events were\n"
	"shown or the duration is over: the local time, the pid, its command\n"
	"name (from exec and exit events, else /proc/PID/comm), the type and\n"
	"what it carries:\n"
	"  exec, exit (how it ended; rss and the largest categories of the\n"
	"  last breakdown), oom_victim, mmap (address, size, category,\n"
	"  origin), munmap, mremap, brk, offheap_alloc, offheap_free (with\n"
	"  the buffer's lifetime), faults (minor and major faults per category\n"
	"  over events_fault_ms, see 'knmt config'), sock_open, sock_close\n"
	"  (with its lifetime), sock_state (TCP states as ss names them).\n"
	"Pids are those of the initial pid namespace.\n"
	"\n"
	"  -p, --pid PID    the events of process PID only\n"
	"  --events LIST    these types only, a comma-separated list:\n"
	"                   exec,exit,oom_victim,mmap,munmap,mremap,brk,\n"
	"                   offheap_alloc,offheap_free,faults,sock_open,\n"
	"                   sock_close,sock_state\n"
	"  --count N        stop after N events shown\n"
	"  --duration D     stop after D (500ms, 30s, 5m, 1h30m)\n"
	"  -j, --json       JSON lines: one object per event (seq, time, type,\n"
	"                   pid, tid, comm and the type's keys; see the README)\n"
	"\n"
	"Lost events are reported where they were lost: \"-- N events lost\n"
	"(kernel rings: R, not delivered: U) --\" (in JSON {\"type\": \"lost\",\n"
	"\"seq\", \"ring_dropped\", \"undelivered\"}): R events dropped by the\n"
	"module because its per-CPU rings were full (events_ring), U events\n"
	"in batches this socket did not receive because its buffer was full\n"
	"(knmt reads too slowly: its output is blocked).  At the end, on\n"
	"stderr: the events received and shown, both losses and how often\n"
	"the socket reported ENOBUFS; with --json also a last line\n"
	"{\"type\": \"summary\", \"events\", \"shown\", \"lost_ring\",\n"
	"\"lost_gaps\", \"enobufs\"}.\n"
	"\n"
	"Joining the events needs CAP_SYS_ADMIN (exit status 4 without).\n",
	.run = watch_run,
};
