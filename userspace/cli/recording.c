// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt CLI: the recording file, written by `knmt record` and read by
 * `knmt timeline` (see recording.h and userspace/README.md).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "procs.h"
#include "recording.h"
#include "units.h"

#define CAT_PATHS(field)						\
	"categories.heap." field, "categories.stack." field,		\
	"categories.arena." field, "categories.offheap." field,	\
	"categories.anon." field, "categories.shmem." field,		\
	"categories.file." field

/* The file format is a contract (userspace/README.md): change none. */
static const char *const val_paths[REC_NVALS] = {
	CAT_PATHS("mapped_bytes"),
	CAT_PATHS("resident_bytes"),
	[REC_PAGETABLES] = "kernel.pagetables_bytes",
	[REC_KSTACKS] = "kernel.kstacks_bytes",
	[REC_SOCKBUFS] = "kernel.sockbufs_bytes",
	[REC_RSS] = "rss_bytes",
	[REC_SWAP] = "swap_bytes",
	[REC_THREADS] = "threads",
	[REC_OH_LIVE_BYTES] = "offheap.live_bytes",
	[REC_OH_LIVE_COUNT] = "offheap.live_count",
	[REC_SOCK_OPEN] = "sockets.open",
	[REC_SOCK_CLOSE_WAIT] = "sockets.close_wait",
};

_Static_assert(KNMT_CAT_HEAP == 0 && KNMT_CAT_STACK == 1 &&
	       KNMT_CAT_ARENA == 2 && KNMT_CAT_OFFHEAP == 3 &&
	       KNMT_CAT_ANON == 4 && KNMT_CAT_SHMEM == 5 &&
	       KNMT_CAT_FILE == 6 && KNMT_CAT_NR == 7,
	       "val_paths lists the categories in enum order");
_Static_assert(REC_NVALS <= 64, "present is one 64-bit mask");

const char *rec_val_path(unsigned int v)
{
	return v < REC_NVALS ? val_paths[v] : NULL;
}

/* ---- writing ------------------------------------------------------- */

static void set(struct rec_sample *s, unsigned int v, bool present,
		uint64_t value)
{
	if (!present)
		return;
	s->present |= UINT64_C(1) << v;
	s->vals[v] = value;
}

void rec_sample_from_proc(struct rec_sample *s, const struct knmt_proc_info *p,
			  int64_t boot_to_real)
{
	const struct knmt_socks_info *k = &p->sockets;
	const struct knmt_offheap_info *o = &p->offheap;
	unsigned int c;

	/* elapsed_ns and time are the round's: the caller's */
	s->pid = p->pid;
	snprintf(s->comm, sizeof(s->comm), "%s", p->comm);
	s->start_time[0] = '\0';
	if (KNMT_HAS(p, KNMT_A_PROC_START_NS) && p->start_ns &&
	    (int64_t)p->start_ns + boot_to_real > 0)
		units_format_time((uint64_t)((int64_t)p->start_ns + boot_to_real),
				  true, s->start_time, sizeof(s->start_time));
	s->approx = (p->flags & KNMT_PROC_F_APPROX) != 0;
	s->present = 0;
	memset(s->vals, 0, sizeof(s->vals));
	for (c = 0; c < KNMT_CAT_NR; c++) {
		const struct knmt_cat_info *ci = &p->categories[c];

		set(s, REC_MAPPED + c, KNMT_HAS(ci, KNMT_A_CAT_MAPPED), ci->mapped);
		set(s, REC_RESIDENT + c, KNMT_HAS(ci, KNMT_A_CAT_RESIDENT),
		    ci->resident);
	}
	set(s, REC_PAGETABLES, KNMT_HAS(p, KNMT_A_PROC_PAGETABLES), p->pagetables);
	set(s, REC_KSTACKS, KNMT_HAS(p, KNMT_A_PROC_KSTACKS), p->kstacks);
	set(s, REC_SOCKBUFS, KNMT_HAS(k, KNMT_A_SOCKS_MEM), k->mem);
	set(s, REC_RSS, KNMT_HAS(p, KNMT_A_PROC_RSS_ANON), procs_rss(p));
	set(s, REC_SWAP, KNMT_HAS(p, KNMT_A_PROC_RSS_SWAP), p->rss_swap);
	set(s, REC_THREADS, KNMT_HAS(p, KNMT_A_PROC_THREADS), p->threads);
	set(s, REC_OH_LIVE_BYTES, KNMT_HAS(o, KNMT_A_OFFHEAP_LIVE_BYTES),
	    o->live_bytes);
	set(s, REC_OH_LIVE_COUNT, KNMT_HAS(o, KNMT_A_OFFHEAP_LIVE_COUNT),
	    o->live_count);
	set(s, REC_SOCK_OPEN, KNMT_HAS(k, KNMT_A_SOCKS_OPEN), k->open);
	/* TCP_CLOSE_WAIT is 8; a state the nest left out is 0 */
	set(s, REC_SOCK_CLOSE_WAIT, KNMT_HAS(k, KNMT_A_SOCKS_TCP_STATE),
	    k->tcp_state[8]);
}

/* The object at the path's parent (made when missing); *leaf its last key. */
static struct json_object *parent_of(struct json_object *root, const char *path,
				     const char **leaf)
{
	struct json_object *o = root, *next;
	char key[64];
	const char *dot;

	while ((dot = strchr(path, '.')) != NULL) {
		size_t n = (size_t)(dot - path);

		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		if (!json_object_object_get_ex(o, key, &next)) {
			next = json_object_new_object();
			if (!next || json_object_object_add(o, key, next) < 0) {
				json_object_put(next);
				return NULL;
			}
		}
		o = next;
		path = dot + 1;
	}
	*leaf = path;
	return o;
}

static struct json_object *str_or_null(const char *s)
{
	return s && s[0] ? json_object_new_string(s) : NULL;
}

struct json_object *rec_sample_json(const struct rec_sample *s)
{
	struct json_object *o = json_object_new_object(), *flags;
	unsigned int v;

	if (!o)
		return NULL;
	flags = json_object_new_array();
	if (s->approx && flags)
		json_object_array_add(flags, json_object_new_string("approx"));
	if (json_object_object_add(o, "record", json_object_new_string("sample")) < 0 ||
	    json_object_object_add(o, "time", str_or_null(s->time)) < 0 ||
	    json_object_object_add(o, "elapsed_ns",
				   json_object_new_uint64(s->elapsed_ns)) < 0 ||
	    json_object_object_add(o, "pid", json_object_new_uint64(s->pid)) < 0 ||
	    json_object_object_add(o, "start_time", str_or_null(s->start_time)) < 0 ||
	    json_object_object_add(o, "comm", json_object_new_string(s->comm)) < 0 ||
	    json_object_object_add(o, "flags", flags) < 0)
		goto fail;
	for (v = 0; v < REC_NVALS; v++) {
		const char *leaf;
		struct json_object *parent = parent_of(o, val_paths[v], &leaf);

		if (!parent ||
		    json_object_object_add(parent, leaf, REC_HAS(s, v) ?
					   json_object_new_uint64(s->vals[v]) :
					   NULL) < 0)
			goto fail;
	}
	return o;
fail:
	json_object_put(o);
	return NULL;
}

/* ---- reading ------------------------------------------------------- */

static void why_set(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void why_set(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

/* The value at a dotted path, NULL when missing or null. */
static struct json_object *get_path(struct json_object *o, const char *path)
{
	char key[64];

	while (o && *path) {
		size_t n = strcspn(path, ".");

		if (n >= sizeof(key) || !json_object_is_type(o, json_type_object))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		if (!json_object_object_get_ex(o, key, &o))
			return NULL;
		path += n;
		if (*path == '.')
			path++;
	}
	return o;
}

/* An unsigned integer at path: 1 (and *out), 0 when missing or null, -1 else. */
static int get_u64(struct json_object *o, const char *path, uint64_t *out)
{
	struct json_object *v = get_path(o, path);

	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_int))
		return -1;
	/* json-c keeps integers above INT64_MAX unsigned: read them so */
	if (json_object_get_int64(v) < 0)
		return -1;
	*out = json_object_get_uint64(v);
	return 1;
}

/* A string at path copied into buf ("" when missing or null); -1: not a string. */
static int get_str(struct json_object *o, const char *path, char *buf,
		   size_t len)
{
	struct json_object *v = get_path(o, path);

	buf[0] = '\0';
	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return -1;
	snprintf(buf, len, "%s", json_object_get_string(v));
	return 1;
}

static char *dup_str(struct json_object *o, const char *path)
{
	struct json_object *v = get_path(o, path);

	if (!v || !json_object_is_type(v, json_type_string))
		return NULL;
	return strdup(json_object_get_string(v));
}

static int read_header(struct json_object *o, struct recording *r, char *why,
		       size_t len)
{
	struct json_object *v, *pids;
	uint64_t u;
	size_t i, n;

	v = get_path(o, "format");
	if (!v || !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), REC_FORMAT) != 0) {
		why_set(why, len, "line 1: not a knmt recording (no \"format\": \"%s\")",
			REC_FORMAT);
		return -1;
	}
	if (get_u64(o, "version", &u) != 1 || u == 0) {
		why_set(why, len, "line 1: no format version");
		return -1;
	}
	if (u > REC_VERSION) {
		why_set(why, len, "recorded in format version %" PRIu64
			", newer than this knmt reads (%d)", u, REC_VERSION);
		return -1;
	}
	r->version = (unsigned int)u;
	r->host = dup_str(o, "host");
	r->boot_id = dup_str(o, "boot_id");
	r->start_time = dup_str(o, "start_time");
	r->kernel = dup_str(o, "kernel");
	if (get_u64(o, "interval_ns", &r->interval_ns) < 0) {
		why_set(why, len, "line 1: \"interval_ns\" is not an integer");
		return -1;
	}
	v = get_path(o, "selection.all");
	r->all = v && json_object_get_boolean(v);
	pids = get_path(o, "selection.pids");
	if (pids && json_object_is_type(pids, json_type_array) &&
	    (n = json_object_array_length(pids)) > 0) {
		r->pids = calloc(n, sizeof(*r->pids));
		if (!r->pids) {
			why_set(why, len, "out of memory");
			return -1;
		}
		for (i = 0; i < n; i++)
			r->pids[r->npids++] = (uint32_t)json_object_get_uint64(
				json_object_array_get_idx(pids, i));
	}
	v = get_path(o, "events.recorded");
	r->events_recorded = v && json_object_get_boolean(v);
	r->events_note = dup_str(o, "events.note");
	return 0;
}

static int read_sample(struct json_object *o, struct recording *r,
		       size_t line, char *why, size_t len)
{
	struct rec_sample *s;
	struct json_object *flags;
	uint64_t pid;
	unsigned int v;

	if (r->nsamples == r->scap) {
		size_t cap = r->scap ? 2 * r->scap : 256;
		struct rec_sample *n = realloc(r->samples, cap * sizeof(*n));

		if (!n) {
			why_set(why, len, "out of memory");
			return -1;
		}
		r->samples = n;
		r->scap = cap;
	}
	s = &r->samples[r->nsamples];
	memset(s, 0, sizeof(*s));
	if (get_u64(o, "pid", &pid) != 1 || pid == 0 || pid > UINT32_MAX ||
	    get_u64(o, "elapsed_ns", &s->elapsed_ns) != 1) {
		why_set(why, len, "line %zu: a sample without its pid or elapsed_ns",
			line);
		return -1;
	}
	if (r->only_pid == REC_FIRST_PID)
		r->only_pid = (uint32_t)pid;
	if (r->only_pid && pid != r->only_pid)
		return 0;	/* not kept */
	s->pid = (uint32_t)pid;
	s->line = line;
	if (get_str(o, "time", s->time, sizeof(s->time)) < 0 ||
	    get_str(o, "start_time", s->start_time, sizeof(s->start_time)) < 0 ||
	    get_str(o, "comm", s->comm, sizeof(s->comm)) < 0) {
		why_set(why, len, "line %zu: time, start_time or comm is not a string",
			line);
		return -1;
	}
	flags = get_path(o, "flags");
	if (flags && json_object_is_type(flags, json_type_array)) {
		size_t i;

		for (i = 0; i < json_object_array_length(flags); i++) {
			const char *f = json_object_get_string(
				json_object_array_get_idx(flags, i));

			if (f && strcmp(f, "approx") == 0)
				s->approx = true;
		}
	}
	for (v = 0; v < REC_NVALS; v++) {
		int got = get_u64(o, val_paths[v], &s->vals[v]);

		if (got < 0) {
			why_set(why, len, "line %zu: \"%s\" is not a byte count or a count",
				line, val_paths[v]);
			return -1;
		}
		if (got)
			s->present |= UINT64_C(1) << v;
	}
	r->nsamples++;
	return 0;
}

static int read_gone(struct json_object *o, struct recording *r, size_t line,
		     char *why, size_t len)
{
	struct rec_gone *g;
	uint64_t pid;

	if (r->ngone == r->gcap) {
		size_t cap = r->gcap ? 2 * r->gcap : 16;
		struct rec_gone *n = realloc(r->gone, cap * sizeof(*n));

		if (!n) {
			why_set(why, len, "out of memory");
			return -1;
		}
		r->gone = n;
		r->gcap = cap;
	}
	g = &r->gone[r->ngone];
	memset(g, 0, sizeof(*g));
	if (get_u64(o, "pid", &pid) != 1 || pid == 0 || pid > UINT32_MAX ||
	    get_u64(o, "elapsed_ns", &g->elapsed_ns) != 1) {
		why_set(why, len, "line %zu: a \"gone\" record without its pid or elapsed_ns",
			line);
		return -1;
	}
	if (r->only_pid && pid != r->only_pid)
		return 0;	/* not kept (not even the first pid's yet) */
	g->pid = (uint32_t)pid;
	g->line = line;
	(void)get_str(o, "time", g->time, sizeof(g->time));
	(void)get_str(o, "start_time", g->start_time, sizeof(g->start_time));
	(void)get_str(o, "comm", g->comm, sizeof(g->comm));
	(void)get_str(o, "reason", g->reason, sizeof(g->reason));
	r->ngone++;
	return 0;
}

static int read_line(struct json_object *o, struct recording *r, size_t line,
		     char *why, size_t len)
{
	struct json_object *kind;
	const char *k;

	if (!json_object_is_type(o, json_type_object)) {
		why_set(why, len, "line %zu: not a JSON object", line);
		return -1;
	}
	if (line == 1)
		return read_header(o, r, why, len);
	if (!json_object_object_get_ex(o, "record", &kind)) {
		/* an event, as `knmt watch --json` prints it (not its losses) */
		if (json_object_object_get_ex(o, "type", &kind) &&
		    (k = json_object_get_string(kind)) != NULL &&
		    strcmp(k, "lost") != 0 && strcmp(k, "summary") != 0)
			r->nevents++;
		return 0;
	}
	k = json_object_get_string(kind);
	if (!k)
		return 0;
	if (strcmp(k, "sample") == 0)
		return read_sample(o, r, line, why, len);
	if (strcmp(k, "gone") == 0)
		return read_gone(o, r, line, why, len);
	if (strcmp(k, "trailer") == 0) {
		r->stopped = true;
		free(r->stop_reason);
		free(r->stop_detail);
		r->stop_reason = dup_str(o, "reason");
		r->stop_detail = dup_str(o, "detail");
		(void)get_u64(o, "elapsed_ns", &r->stop_elapsed_ns);
		(void)get_str(o, "time", r->stop_time, sizeof(r->stop_time));
		return 0;
	}
	return 0;	/* a record of a newer knmt: ignored */
}

int rec_read(FILE *f, struct recording *r, char *why, size_t len)
{
	return rec_read_pid(f, r, 0, why, len);
}

int rec_read_pid(FILE *f, struct recording *r, uint32_t pid, char *why,
		 size_t len)
{
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	int ret = 0;

	memset(r, 0, sizeof(*r));
	r->only_pid = pid;
	why[0] = '\0';
	while ((n = getline(&buf, &cap, f)) >= 0) {
		bool complete = n > 0 && buf[n - 1] == '\n';
		struct json_tokener *tok;
		struct json_object *o;
		enum json_tokener_error jerr;
		size_t i;

		r->lines++;
		for (i = 0; i < (size_t)n && (buf[i] == ' ' || buf[i] == '\t' ||
					      buf[i] == '\r' || buf[i] == '\n'); i++)
			;
		if (i == (size_t)n) {
			if (r->lines == 1) {
				why_set(why, len, "line 1: empty, not a knmt recording");
				ret = -1;
				break;
			}
			continue;
		}
		tok = json_tokener_new();
		if (!tok) {
			why_set(why, len, "out of memory");
			ret = -1;
			break;
		}
		o = json_tokener_parse_ex(tok, buf, (int)n);
		jerr = json_tokener_get_error(tok);
		/* nothing but blanks may follow the object */
		if (o && jerr == json_tokener_success) {
			for (i = json_tokener_get_parse_end(tok); i < (size_t)n; i++)
				if (buf[i] != ' ' && buf[i] != '\t' &&
				    buf[i] != '\r' && buf[i] != '\n')
					break;
			if (i < (size_t)n) {
				json_object_put(o);
				o = NULL;
			}
		} else if (o) {
			json_object_put(o);
			o = NULL;
		}
		json_tokener_free(tok);
		if (!o) {
			/* only the last line may be cut short by a crash */
			int c = complete ? EOF : fgetc(f);

			if (!complete && c == EOF && r->lines > 1) {
				r->truncated = true;
				break;
			}
			why_set(why, len, "line %zu: not JSON", r->lines);
			ret = -1;
			break;
		}
		ret = read_line(o, r, r->lines, why, len);
		json_object_put(o);
		if (ret)
			break;
	}
	if (!ret && ferror(f)) {
		why_set(why, len, "%s", strerror(errno));
		ret = -1;
	}
	if (!ret && r->lines == 0) {
		why_set(why, len, "empty file, not a knmt recording");
		ret = -1;
	}
	free(buf);
	return ret;
}

void rec_free(struct recording *r)
{
	free(r->host);
	free(r->boot_id);
	free(r->start_time);
	free(r->kernel);
	free(r->pids);
	free(r->events_note);
	free(r->samples);
	free(r->gone);
	free(r->stop_reason);
	free(r->stop_detail);
	memset(r, 0, sizeof(*r));
}
