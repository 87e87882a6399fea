/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * knmt CLI: knmt report, the daemon of periodic native-memory reports:
 * its settings (command line and configuration file), the view it takes
 * every interval, the Prometheus metrics it serves and the rotating
 * report files it writes.
 */
#ifndef KNMT_CLI_REPORT_H
#define KNMT_CLI_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "cli.h"

/* ---- settings (report_config.c) ------------------------------------- */

#define REPORT_DEFAULT_INTERVAL_NS	(UINT64_C(60) * 1000000000)
#define REPORT_DEFAULT_LISTEN		"127.0.0.1:9464"
#define REPORT_DEFAULT_KEEP		5U
#define REPORT_DEFAULT_MAX_BYTES	(UINT64_C(10) << 20)
#define REPORT_MIN_INTERVAL_NS		(UINT64_C(100) * 1000000)
#define REPORT_MAX_INTERVAL_NS		(UINT64_C(86400) * 1000000000)
#define REPORT_MAX_KEEP			1000U
#define REPORT_MIN_MAX_BYTES		UINT64_C(1024)

/* The settings, by bit in report_cfg.set. */
enum {
	RS_INTERVAL = 1U << 0,
	RS_DIR = 1U << 1,
	RS_LISTEN = 1U << 2,
	RS_KEEP = 1U << 3,
	RS_MAX_BYTES = 1U << 4,
};

struct report_cfg {
	unsigned int set;		/* RS_* given (command line, file) */
	uint64_t interval_ns;
	char *dir;			/* NULL: no report files */
	char *listen;			/* "ADDR:PORT" as given; NULL: none */
	struct sockaddr_storage addr;	/* listen, parsed */
	socklen_t addrlen;
	unsigned int keep;		/* rotated files kept per report */
	uint64_t max_bytes;		/* a file is rotated past this */
};

/* The defaults (nothing set). */
void report_cfg_init(struct report_cfg *c);
void report_cfg_free(struct report_cfg *c);
/* dst = src (deep copy); false when out of memory. */
bool report_cfg_copy(struct report_cfg *dst, const struct report_cfg *src);
/* Settings of src that were set override those of dst. */
bool report_cfg_merge(struct report_cfg *dst, const struct report_cfg *src);

/*
 * Setting key (interval, dir, listen, keep, max_bytes; "-" may stand
 * for "_") to value.  0, or -1 with a sentence in why.
 */
int report_cfg_set(struct report_cfg *c, const char *key, const char *value,
		   char *why, size_t len);

/*
 * Reads the configuration file path (key = value lines, '#' and ';'
 * comments, an optional [report] section; see the README) into c.
 * 0, or -1 with "PATH:LINE: what" in why.
 */
int report_cfg_read(struct report_cfg *c, const char *path, char *why,
		    size_t len);

/*
 * "127.0.0.1:9464", "[::1]:9464", "localhost:9464" into *sa; port 0
 * asks for any free port.  0, or -1 with a sentence in why.
 */
int report_parse_listen(const char *s, struct sockaddr_storage *sa,
			socklen_t *len, char *why, size_t whylen);

/* ---- the view of one interval (report.c) --------------------------- */

/* The processes of one cgroup, summed. */
struct report_cgroup {
	const char *cgroup;		/* NULL: not known */
	size_t procs;
	uint64_t mapped[KNMT_CAT_NR], resident[KNMT_CAT_NR];
	uint64_t pagetables, kstacks, sockbufs;
	uint64_t rss, offheap_live;
	uint64_t sockets_open, close_wait;
	uint64_t native_total;
};

struct report_view {
	uint64_t time_ns;		/* CLOCK_REALTIME, when taken */
	double duration_s;		/* how long taking it took */
	bool up;			/* the module answered */
	char *error;			/* when not: why */
	struct knmt_status st;		/* when up */
	struct knmt_proc_info *procs;	/* by native total, largest first */
	char **cgroups;			/* of each process; NULL: not known */
	size_t n;
	struct report_cgroup *cgs;	/* by cgroup path */
	size_t ncgs;
};

/* Sums the processes of v by cgroup into v->cgs (0, or -1: no memory). */
int report_view_cgroups(struct report_view *v);
void report_view_free(struct report_view *v);

/* ---- metrics (report_metrics.c) ------------------------------------- */

/*
 * The Prometheus text exposition (version 0.0.4) of v, or with
 * openmetrics OpenMetrics 1.0.0 (counters' families without "_total",
 * "# EOF" last).  0, or -1 when f fails.
 */
int report_metrics(FILE *f, const struct report_view *v, bool openmetrics);

/* A label value as the exposition formats want it: \\, \" and \n
 * escaped, invalid UTF-8 and other control bytes as '?'. */
void report_label_value(FILE *f, const char *s);

/* ---- report files (report_files.c) ---------------------------------- */

struct report_file {
	char *path;
	int fd;				/* -1: closed */
	uint64_t size;
};

/* DIR/NAME, opened for appending (created 0640).  0, or -errno. */
int report_file_open(struct report_file *f, const char *dir,
		     const char *name);
/*
 * Appends len bytes as one record; first rotates the file when it is not
 * empty and would grow past max_bytes: PATH.(keep-1) to PATH.keep ...,
 * PATH to PATH.1 (keep 0: PATH removed), then a new PATH.  0 or -errno.
 */
int report_file_write(struct report_file *f, const char *buf, size_t len,
		      uint64_t max_bytes, unsigned int keep);
/* Closes and opens the file again (SIGHUP: after an outside rotation). */
int report_file_reopen(struct report_file *f);
void report_file_close(struct report_file *f);

/* ---- HTTP (report_http.c, libmicrohttpd) ----------------------------- */

struct report_http;

/*
 * Serves GET /metrics on the address sa (a thread of its own).  0, or
 * -1 with a sentence in why.
 */
int report_http_start(struct report_http **hp, const struct sockaddr *sa,
		      socklen_t len, char *why, size_t whylen);
/* The port it listens on (the one chosen for port 0). */
unsigned int report_http_port(const struct report_http *h);
/*
 * What a scrape gets from now on: the text exposition and the
 * OpenMetrics one (for an Accept of application/openmetrics-text);
 * takes both (malloc'ed).
 */
void report_http_publish(struct report_http *h, char *text, char *openmetrics);
void report_http_stop(struct report_http *h);

#endif /* KNMT_CLI_REPORT_H */
