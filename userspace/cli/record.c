// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt record: samples processes every interval (GET_PROC for -p,
 * DUMP_PROCS for --all, as knmt summary asks) into a file of JSON lines
 * that knmt timeline shows (the format: recording.h, userspace/README.md).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "output.h"
#include "procs.h"
#include "recording.h"
#include "snap.h"
#include "units.h"
#include "watch.h"

static const struct cli_command cli_cmd_record;

#define NS_PER_S	UINT64_C(1000000000)
#define NS_PER_MS	UINT64_C(1000000)
#define INTERVAL_MIN	(10 * NS_PER_MS)
#define INTERVAL_MAX	(3600 * NS_PER_S)
/* At most this often the file is synced to disk (it is flushed every round). */
#define SYNC_EVERY	NS_PER_S

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static uint64_t boot_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_BOOTTIME, &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

/* The names of the pids of events (as knmt watch keeps them). */
#define COMM_SLOTS	256

struct comm_slot {
	uint32_t pid;		/* 0: empty */
	bool known;		/* comm holds the name; else none was found */
	char comm[KNMT_COMM_MAX];
};

/* A followed process (-p). */
struct followed {
	uint32_t pid;
	bool alive;
	bool seen;		/* sampled once: start_ns is its identity */
	uint64_t start_ns;
	char comm[KNMT_COMM_MAX];
	char start_time[REC_TIME_MAX];
};

/* A process of the last round (--all), to tell which went away. */
struct listed {
	uint32_t pid;
	uint64_t start_ns;
	char comm[KNMT_COMM_MAX];
	char start_time[REC_TIME_MAX];
};

struct recorder {
	struct cli *cli;
	struct knmt *h;
	FILE *f;
	const char *path;
	bool regular;		/* a file that fdatasync() applies to */
	uint64_t t0;		/* CLOCK_BOOTTIME at the start */
	int64_t boot_to_real;
	uint64_t last_sync;
	/* this round */
	uint64_t elapsed;
	char time[REC_TIME_MAX];
	/* -p */
	struct followed *fol;
	size_t nfol;
	/* --all */
	struct listed *prev, *cur;
	size_t nprev, ncur;
	/* counts for the trailer */
	uint64_t rounds, samples;
	/* events */
	bool no_events;		/* --no-events */
	struct knmt_events *ev;	/* NULL: not (or no longer) subscribed */
	struct knmt_event_loss loss;
	bool events_on;		/* subscribed at the start */
	char events_note[256];
	uint64_t events;	/* event lines written */
	struct comm_slot comms[COMM_SLOTS];
	/* a write failed: errno */
	int write_err;
};

static void put_line(struct recorder *r, struct json_object *o)
{
	const char *s;

	if (!o) {
		if (!r->write_err)
			r->write_err = ENOMEM;
		return;
	}
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
					   JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!s) {
		if (!r->write_err)
			r->write_err = ENOMEM;
	} else if (fputs(s, r->f) == EOF || fputc('\n', r->f) == EOF) {
		if (!r->write_err)
			r->write_err = errno ? errno : EIO;
	}
	json_object_put(o);
}

/* Every round ends here: what was written reaches the file. */
static void flush(struct recorder *r)
{
	uint64_t now;

	if (fflush(r->f) == EOF && !r->write_err)
		r->write_err = errno ? errno : EIO;
	if (!r->regular || r->write_err)
		return;
	now = boot_now();
	if (now - r->last_sync >= SYNC_EVERY) {
		(void)fdatasync(fileno(r->f));
		r->last_sync = now;
	}
}

static struct json_object *str_or_null(const char *s)
{
	return s && s[0] ? json_object_new_string(s) : NULL;
}

static void wall_time(struct recorder *r, uint64_t boot_ns, char *buf,
		      size_t len)
{
	int64_t wall = (int64_t)boot_ns + r->boot_to_real;

	buf[0] = '\0';
	if (wall > 0)
		units_format_time((uint64_t)wall, true, buf, len);
}

/* ---- header and trailer --------------------------------------------- */

static void put_header(struct recorder *r, uint64_t interval,
		       uint64_t duration, const struct knmt_status *st)
{
	struct json_object *o = json_object_new_object();
	struct json_object *sel = json_object_new_object();
	struct json_object *ev = json_object_new_object();
	struct json_object *pids = json_object_new_array();
	char start[REC_TIME_MAX];
	struct snap_host host;
	size_t i;

	if (!o || !sel || !ev || !pids) {
		json_object_put(o);
		json_object_put(sel);
		json_object_put(ev);
		json_object_put(pids);
		put_line(r, NULL);
		return;
	}
	snap_host(r->cli, &host);
	wall_time(r, r->t0, start, sizeof(start));
	for (i = 0; i < r->nfol; i++)
		json_object_array_add(pids, json_object_new_uint64(r->fol[i].pid));
	json_object_object_add(sel, "all", json_object_new_boolean(r->nfol == 0));
	json_object_object_add(sel, "pids", pids);
	json_object_object_add(ev, "recorded", json_object_new_boolean(r->events_on));
	json_object_object_add(ev, "note", str_or_null(r->events_note));

	json_object_object_add(o, "record", json_object_new_string("header"));
	json_object_object_add(o, "format", json_object_new_string(REC_FORMAT));
	json_object_object_add(o, "version", json_object_new_int(REC_VERSION));
	json_object_object_add(o, "host", str_or_null(host.host));
	json_object_object_add(o, "boot_id", str_or_null(host.boot_id));
	json_object_object_add(o, "start_time", str_or_null(start));
	json_object_object_add(o, "start_boot_ns", json_object_new_uint64(r->t0));
	json_object_object_add(o, "interval_ns", json_object_new_uint64(interval));
	json_object_object_add(o, "duration_ns", duration ?
			       json_object_new_uint64(duration) : NULL);
	json_object_object_add(o, "selection", sel);
	json_object_object_add(o, "events", ev);
	json_object_object_add(o, "knmt_version", json_object_new_string(KNMT_VERSION));
	json_object_object_add(o, "module_version", str_or_null(st->version));
	json_object_object_add(o, "kernel", str_or_null(st->release_running));
	put_line(r, o);
}

static void put_trailer(struct recorder *r, const char *reason,
			const char *detail)
{
	struct json_object *o = json_object_new_object();
	uint64_t now = boot_now();
	char t[REC_TIME_MAX];

	if (!o) {
		put_line(r, NULL);
		return;
	}
	wall_time(r, now, t, sizeof(t));
	json_object_object_add(o, "record", json_object_new_string("trailer"));
	json_object_object_add(o, "time", str_or_null(t));
	json_object_object_add(o, "elapsed_ns", json_object_new_uint64(now - r->t0));
	json_object_object_add(o, "reason", json_object_new_string(reason));
	json_object_object_add(o, "detail", str_or_null(detail));
	json_object_object_add(o, "rounds", json_object_new_uint64(r->rounds));
	json_object_object_add(o, "samples", json_object_new_uint64(r->samples));
	json_object_object_add(o, "events", r->events_on ?
			       json_object_new_uint64(r->events) : NULL);
	json_object_object_add(o, "events_lost", r->events_on ?
			       json_object_new_uint64(knmt_event_loss_total(&r->loss)) :
			       NULL);
	json_object_object_add(o, "events_note", str_or_null(r->events_note));
	put_line(r, o);
}

/* ---- events ------------------------------------------------------------ */

/*
 * The events of the "events" group go into the file between the samples,
 * each line as `knmt watch --json` prints it (watch.c makes it), with the
 * "lost" lines where events were lost.  With -p, the events of those
 * processes only.  Without the group (no CAP_SYS_ADMIN, an older module)
 * the samples are recorded all the same and the header says why not.
 */
static void events_start(struct recorder *r)
{
	int err;

	knmt_event_loss_init(&r->loss);
	if (r->no_events) {
		snprintf(r->events_note, sizeof(r->events_note),
			 "not recorded: --no-events");
		return;
	}
	cli_steady_heap();
	err = knmt_events_open(r->h, &r->ev);
	if (!err)
		err = knmt_events_nonblock(r->ev, true);
	if (err) {
		snprintf(r->events_note, sizeof(r->events_note),
			 "not recorded: %s", knmt_strerror(r->h));
		knmt_events_close(r->ev);
		r->ev = NULL;
		return;
	}
	r->events_on = true;
}

/*
 * The name of an event's process, found as knmt watch finds it: its own,
 * else the last one an event of that pid carried (exec, exit,
 * oom_victim), else /proc/PID/comm read once; forgotten at its exit.
 */
static struct comm_slot *comm_slot(struct recorder *r, uint32_t pid)
{
	return &r->comms[pid % COMM_SLOTS];
}

static const char *event_comm(struct recorder *r, const struct knmt_event *e)
{
	struct comm_slot *s;
	char path[64], buf[KNMT_COMM_MAX];
	FILE *f;

	if (KNMT_HAS(e, KNMT_A_EV_COMM))
		return e->comm;
	if (!KNMT_HAS(e, KNMT_A_EV_PID))
		return NULL;
	s = comm_slot(r, e->pid);
	if (s->pid == e->pid)
		return s->known ? s->comm : NULL;
	s->pid = e->pid;
	s->known = false;
	snprintf(path, sizeof(path), "%s/%u/comm",
		 r->cli->proc_root ? r->cli->proc_root : "/proc", e->pid);
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

/* Every event with a name teaches it; an exit ends it. */
static void comm_learn(struct recorder *r, const struct knmt_event *e)
{
	struct comm_slot *s;

	if (!KNMT_HAS(e, KNMT_A_EV_PID))
		return;
	s = comm_slot(r, e->pid);
	if (KNMT_HAS(e, KNMT_A_EV_COMM)) {
		s->pid = e->pid;
		s->known = true;
		snprintf(s->comm, sizeof(s->comm), "%s", e->comm);
	}
}

static void comm_forget(struct recorder *r, const struct knmt_event *e)
{
	struct comm_slot *s;

	if (e->type != KNMT_EV_EXIT || !KNMT_HAS(e, KNMT_A_EV_PID))
		return;
	s = comm_slot(r, e->pid);
	if (s->pid == e->pid)
		s->pid = 0;
}

static bool event_wanted(const struct recorder *r, const struct knmt_event *e)
{
	size_t i;

	if (!r->nfol)
		return true;
	if (!KNMT_HAS(e, KNMT_A_EV_PID))
		return false;
	for (i = 0; i < r->nfol; i++)
		if (r->fol[i].pid == e->pid)
			return true;
	return false;
}

static void put_doc(struct recorder *r, const struct out_doc *doc)
{
	if (out_render_json_line(r->f, doc) < 0 && !r->write_err)
		r->write_err = errno ? errno : EIO;
}

static int on_event(const struct knmt_event *e,
		    const struct knmt_event_batch *b, void *arg)
{
	struct recorder *r = arg;
	struct out_doc doc;

	if (r->write_err)
		return KNMT_EVENTS_STOP;
	if (b->index == 0 && (b->lost || b->gap)) {
		out_init(&doc);
		watch_loss_doc(&doc, b);
		put_doc(r, &doc);
		out_free(&doc);
	}
	if (!e)
		return 0;
	comm_learn(r, e);
	if (event_wanted(r, e)) {
		out_init(&doc);
		watch_event_doc(r->cli, &doc, e, event_comm(r, e));
		put_doc(r, &doc);
		out_free(&doc);
		r->events++;
	}
	comm_forget(r, e);
	return 0;
}

/* What is queued; a failure ends the events, not the recording. */
static void events_read(struct recorder *r)
{
	if (!r->ev)
		return;
	if (knmt_events_read(r->ev, &r->loss, on_event, r) >= 0)
		return;
	snprintf(r->events_note, sizeof(r->events_note),
		 "stopped after %" PRIu64 " events: %s", r->events,
		 knmt_strerror(r->h));
	knmt_events_close(r->ev);
	r->ev = NULL;
}

static void events_stop(struct recorder *r)
{
	events_read(r);
	knmt_events_close(r->ev);
	r->ev = NULL;
}

/* ---- one round ----------------------------------------------------------- */

static void put_sample(struct recorder *r, const struct knmt_proc_info *p)
{
	struct rec_sample s;

	rec_sample_from_proc(&s, p, r->boot_to_real);
	s.elapsed_ns = r->elapsed;
	snprintf(s.time, sizeof(s.time), "%s", r->time);
	put_line(r, rec_sample_json(&s));
	r->samples++;
}

static void put_gone(struct recorder *r, uint32_t pid, const char *comm,
		     const char *start_time, const char *reason)
{
	struct json_object *o = json_object_new_object();

	if (!o) {
		put_line(r, NULL);
		return;
	}
	json_object_object_add(o, "record", json_object_new_string("gone"));
	json_object_object_add(o, "time", str_or_null(r->time));
	json_object_object_add(o, "elapsed_ns", json_object_new_uint64(r->elapsed));
	json_object_object_add(o, "pid", json_object_new_uint64(pid));
	json_object_object_add(o, "start_time", str_or_null(start_time));
	json_object_object_add(o, "comm", json_object_new_string(comm));
	json_object_object_add(o, "reason", json_object_new_string(reason));
	put_line(r, o);
}

/* -p: GET_PROC of every process still followed; 0 or a library error. */
static int round_pids(struct recorder *r, bool *any_alive)
{
	size_t i;

	*any_alive = false;
	for (i = 0; i < r->nfol; i++) {
		struct followed *fo = &r->fol[i];
		struct knmt_proc_info p;
		int err;

		if (!fo->alive)
			continue;
		err = knmt_get_proc(r->h, fo->pid, &p);
		if (err) {
			if (knmt_last_error(r->h) != KNMT_E_KERNEL ||
			    knmt_kernel_errno(r->h) != ESRCH)
				return err;
			fo->alive = false;
			put_gone(r, fo->pid, fo->comm, fo->start_time, "exited");
			continue;
		}
		if (fo->seen && p.start_ns != fo->start_ns) {
			/* the pid names another process now */
			fo->alive = false;
			put_gone(r, fo->pid, fo->comm, fo->start_time, "pid reused");
			continue;
		}
		if (p.flags & KNMT_PROC_F_NO_MM) {
			/* a zombie: its memory is gone, it exited */
			fo->alive = false;
			put_gone(r, fo->pid, p.comm, fo->start_time, "exited");
			continue;
		}
		if (!fo->seen) {
			struct rec_sample s;

			rec_sample_from_proc(&s, &p, r->boot_to_real);
			fo->seen = true;
			fo->start_ns = p.start_ns;
			snprintf(fo->start_time, sizeof(fo->start_time), "%s",
				 s.start_time);
		}
		snprintf(fo->comm, sizeof(fo->comm), "%s", p.comm);
		put_sample(r, &p);
		*any_alive = true;
	}
	return 0;
}

/* --all: DUMP_PROCS; 0 or a library error. */
static int round_all(struct recorder *r)
{
	struct knmt_proc_info *procs = NULL;
	struct listed *tmp;
	size_t n = 0, i, j;
	int err;

	err = knmt_dump_procs_array(r->h, &procs, &n);
	if (err == -KNMT_E_INTR)
		return 0;	/* changing too fast: the next round */
	if (err)
		return err;
	free(r->cur);
	r->cur = n ? calloc(n, sizeof(*r->cur)) : NULL;
	r->ncur = 0;
	if (n && !r->cur) {
		free(procs);
		return -KNMT_E_NOMEM;
	}
	for (i = 0; i < n; i++) {
		struct listed *l = &r->cur[r->ncur++];
		struct rec_sample s;

		put_sample(r, &procs[i]);
		rec_sample_from_proc(&s, &procs[i], r->boot_to_real);
		l->pid = procs[i].pid;
		l->start_ns = procs[i].start_ns;
		snprintf(l->comm, sizeof(l->comm), "%s", procs[i].comm);
		snprintf(l->start_time, sizeof(l->start_time), "%s", s.start_time);
	}
	free(procs);
	for (i = 0; i < r->nprev; i++) {
		const struct listed *p = &r->prev[i];

		for (j = 0; j < r->ncur; j++)
			if (r->cur[j].pid == p->pid &&
			    r->cur[j].start_ns == p->start_ns)
				break;
		if (j == r->ncur)
			put_gone(r, p->pid, p->comm, p->start_time, "not listed");
	}
	tmp = r->prev;
	r->prev = r->cur;
	r->nprev = r->ncur;
	r->cur = tmp;
	r->ncur = 0;
	return 0;
}

/*
 * Until boot-time deadline, unless a signal comes: the events as they
 * arrive.  SIGINT and SIGTERM are blocked but in ppoll().
 */
static void wait_until(struct recorder *r, uint64_t deadline,
		       const sigset_t *unblocked)
{
	uint64_t now;

	for (;;) {
		struct pollfd pfd = { .fd = -1, .events = POLLIN };
		struct timespec ts;
		uint64_t left;

		events_read(r);
		if (stop_signal || r->write_err || (now = boot_now()) >= deadline)
			break;
		left = deadline - now;
		ts.tv_sec = (time_t)(left / NS_PER_S);
		ts.tv_nsec = (long)(left % NS_PER_S);
		if (r->ev)
			pfd.fd = knmt_events_fd(r->ev);
		if (ppoll(&pfd, 1, &ts, unblocked) < 0 && errno != EINTR)
			break;
	}
}

/* ---- the command ------------------------------------------------------------ */

static int parse_duration(struct cli *cli, const char *opt, const char *s,
			  uint64_t min, uint64_t max, uint64_t *ns)
{
	int err = units_parse_duration(s, ns);

	if (err == -ERANGE || (!err && (*ns < min || *ns > max)))
		return cli_usage_error(cli, &cli_cmd_record,
				       "%s: '%s' is out of range (%s)", opt, s,
				       min == INTERVAL_MIN ? "10ms .. 1h" :
				       "more than 0");
	if (err)
		return cli_usage_error(cli, &cli_cmd_record,
				       "%s: '%s' is not a duration (e.g. 500ms, 2s, 5m, 1h30m)",
				       opt, s);
	return 0;
}

static int add_pid(struct cli *cli, struct recorder *r, const char *s)
{
	uint32_t pid;
	size_t i;
	int ret = procs_parse_pid(cli, &cli_cmd_record, s, &pid);

	if (ret)
		return ret;
	for (i = 0; i < r->nfol; i++)
		if (r->fol[i].pid == pid)
			return 0;
	r->fol[r->nfol].pid = pid;
	r->fol[r->nfol].alive = true;
	r->nfol++;
	return 0;
}

static int record(struct recorder *r, uint64_t interval, uint64_t duration)
{
	struct cli *cli = r->cli;
	struct knmt_status st = { 0 };
	struct sigaction sa = { 0 }, old_int, old_term;
	sigset_t block, old_mask;
	const char *reason = "signal";
	char detail[256] = "";
	uint64_t k;
	size_t i;
	int ret, err = 0, err_ret = CLI_EXIT_OK;

	ret = cli_connect(cli, &r->h);
	if (ret)
		return ret;
	/* the processes must exist before the file is made */
	for (i = 0; i < r->nfol; i++) {
		struct knmt_proc_info p;

		err = knmt_get_proc(r->h, r->fol[i].pid, &p);
		if (err) {
			ret = cli_report_pid(cli, r->h, err, r->fol[i].pid);
			knmt_close(r->h);
			return ret;
		}
	}
	/* the module's version and kernel for the header: a bonus */
	(void)knmt_get_status(r->h, &st);

	if (strcmp(r->path, "-") == 0) {
		r->f = cli->out;
	} else {
		r->f = fopen(r->path, "w");
		if (!r->f) {
			fprintf(cli->err, "knmt: cannot create %s: %s\n", r->path,
				strerror(errno));
			knmt_status_free(&st);
			knmt_close(r->h);
			return CLI_EXIT_RUNTIME;
		}
		r->regular = true;
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

	r->boot_to_real = cli->clock_offset ? cli->clock_offset()
					    : units_boot_to_real_offset();
	r->t0 = boot_now();
	r->last_sync = r->t0;
	events_start(r);
	put_header(r, interval, duration, &st);
	knmt_status_free(&st);
	flush(r);

	for (k = 0; !r->write_err; ) {
		uint64_t now = boot_now(), next;
		bool alive = true;

		r->elapsed = now - r->t0;
		wall_time(r, now, r->time, sizeof(r->time));
		err = r->nfol ? round_pids(r, &alive) : round_all(r);
		r->rounds++;
		flush(r);
		if (err) {
			reason = "error";
			snprintf(detail, sizeof(detail), "%s", knmt_strerror(r->h));
			/* now: reading the events clears the handle's error */
			err_ret = cli_report(cli, r->h, err);
			break;
		}
		if (stop_signal)
			break;
		if (!alive) {
			reason = "exited";
			break;
		}
		/* the next tick on the grid; late rounds skip ticks */
		k = (boot_now() - r->t0) / interval + 1;
		next = r->t0 + k * interval;
		if (duration && next - r->t0 > duration) {
			wait_until(r, r->t0 + duration, &old_mask);
			if (!stop_signal)
				reason = "duration";
			break;
		}
		wait_until(r, next, &old_mask);
		if (stop_signal)
			break;
	}
	if (!strcmp(reason, "signal") && stop_signal)
		snprintf(detail, sizeof(detail), "%s",
			 stop_signal == SIGINT ? "SIGINT" :
			 stop_signal == SIGTERM ? "SIGTERM" : "signal");
	events_stop(r);
	if (!r->write_err) {
		put_trailer(r, reason, detail);
		flush(r);
	}

	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);

	ret = CLI_EXIT_OK;
	if (r->write_err) {
		fprintf(cli->err, "knmt: writing %s: %s\n",
			strcmp(r->path, "-") ? r->path : "the output",
			strerror(r->write_err));
		ret = CLI_EXIT_RUNTIME;
	} else if (err) {
		ret = err_ret;
	}
	if (r->f != cli->out && fclose(r->f) == EOF && ret == CLI_EXIT_OK) {
		fprintf(cli->err, "knmt: writing %s: %s\n", r->path, strerror(errno));
		ret = CLI_EXIT_RUNTIME;
	}
	knmt_close(r->h);
	return ret;
}

static int record_run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "interval", required_argument, NULL, 'i' },
		{ "pid", required_argument, NULL, 'p' },
		{ "all", no_argument, NULL, 'a' },
		{ "duration", required_argument, NULL, 'd' },
		{ "no-events", no_argument, NULL, 'E' },
		{ NULL, 0, NULL, 0 },
	};
	struct recorder r = { .cli = cli };
	uint64_t interval = NS_PER_S, duration = 0;
	bool all = false;
	int c, ret = 0;

	r.fol = calloc((size_t)argc, sizeof(*r.fol));
	if (!r.fol) {
		fprintf(cli->err, "knmt: out of memory\n");
		return CLI_EXIT_RUNTIME;
	}
	optind = 0;
	opterr = 0;
	while (!ret && (c = getopt_long(argc, argv, ":o:i:p:ad:", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (r.path)
				ret = cli_usage_error(cli, &cli_cmd_record,
						      "one -o FILE only");
			else if (!optarg[0])
				ret = cli_usage_error(cli, &cli_cmd_record,
						      "-o: an empty file name");
			r.path = optarg;
			break;
		case 'i':
			ret = parse_duration(cli, "--interval", optarg,
					     INTERVAL_MIN, INTERVAL_MAX, &interval);
			break;
		case 'd':
			ret = parse_duration(cli, "--duration", optarg, 1,
					     UINT64_MAX / 2, &duration);
			break;
		case 'p':
			ret = add_pid(cli, &r, optarg);
			break;
		case 'a':
			all = true;
			break;
		case 'E':
			r.no_events = true;
			break;
		default:	/* ':' or '?' */
			ret = cli_option_error(cli, &cli_cmd_record, c, argv);
			break;
		}
	}
	if (!ret)
		ret = cli_no_operand(cli, &cli_cmd_record, argc, argv, optind);
	if (!ret && !r.path)
		ret = cli_usage_error(cli, &cli_cmd_record,
				      "where to? -o FILE is required (- for stdout)");
	if (!ret && all && r.nfol)
		ret = cli_usage_error(cli, &cli_cmd_record,
				      "-p and --all exclude each other");
	if (!ret)
		ret = record(&r, interval, duration);
	free(r.fol);
	free(r.prev);
	free(r.cur);
	return ret;
}

CLI_COMMAND(record) = {
	.name = "record",
	.args = "-o FILE [--interval DURATION] [-p PID... | --all] [--duration DURATION] "
		"[--no-events]",
	.summary = "sample processes' native memory over time into a file",
	.help =
	"Every interval, one sample per process: per category the mapped and\n"
	"resident bytes, page tables, kernel stacks, socket buffers, RSS, swap,\n"
	"threads, live off-heap buffers, open sockets and those in CLOSE-WAIT;\n"
	"between them the module's events (of those processes, with -p) as\n"
	"'knmt watch --json' prints them.  The file is JSON lines: a header,\n"
	"the samples and events, and a trailer when the recording stops (the\n"
	"format is in the README).  It is flushed after every round: a\n"
	"recording cut short loses at most its last round.  'knmt timeline\n"
	"FILE' shows it as a table, CSV, or a chart.\n"
	"\n"
	"  -o, --output FILE     the file to write (replaced); - for stdout\n"
	"  -i, --interval DURATION\n"
	"                        time between two rounds, 10ms .. 1h (default 1s)\n"
	"  -p, --pid PID         follow PID until it exits (repeat for more);\n"
	"                        the recording stops when all have exited\n"
	"  -a, --all             every tracked process (the default)\n"
	"  -d, --duration DURATION\n"
	"                        stop after DURATION (default: at SIGINT or\n"
	"                        SIGTERM, e.g. Ctrl-C)\n"
	"  --no-events           no events, samples only.  Events need\n"
	"                        CAP_SYS_ADMIN: without it, or without the\n"
	"                        module's events group, the samples are recorded\n"
	"                        all the same and the header says why no event\n"
	"\n"
	"Durations: 500ms, 2s, 5m, 1h30m (a number alone is seconds).\n"
	"A pid that names no process: \"knmt: no process PID\", exit status 1,\n"
	"and no file is made.  The file is JSON already: -j/--json, before or\n"
	"after record, is a usage error ('knmt timeline --json FILE' prints a\n"
	"recording as one JSON document).\n",
	.no_json = "writes JSON lines already ('knmt timeline --json' reads them)",
	.run = record_run,
};
