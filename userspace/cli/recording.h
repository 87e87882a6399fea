/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * knmt CLI: the file `knmt record` writes and `knmt timeline` reads.
 *
 * JSON lines (one JSON object a line, "\n" after each): a header, then
 * per round one "sample" line per process, "gone" lines for processes
 * that went away, event lines as `knmt watch --json` prints them, and a
 * "trailer" when the recording stopped in order.  Every line but the
 * events has the key "record"; the rest is in userspace/README.md.
 */
#ifndef KNMT_CLI_RECORDING_H
#define KNMT_CLI_RECORDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json.h>

#include "knmt.h"

#define REC_FORMAT	"knmt-record"
#define REC_VERSION	1

/* The values of a sample, each at a JSON path of its line. */
enum rec_val {
	REC_MAPPED,				/* + category */
	REC_RESIDENT = REC_MAPPED + KNMT_CAT_NR,	/* + category */
	REC_PAGETABLES = REC_RESIDENT + KNMT_CAT_NR,
	REC_KSTACKS,
	REC_SOCKBUFS,
	REC_RSS,		/* anon + file + shmem, as summary shows it */
	REC_SWAP,
	REC_THREADS,
	REC_OH_LIVE_BYTES,
	REC_OH_LIVE_COUNT,
	REC_SOCK_OPEN,
	REC_SOCK_CLOSE_WAIT,
	REC_NVALS
};

/* "categories.heap.resident_bytes", "kernel.pagetables_bytes", ... */
const char *rec_val_path(unsigned int v);

#define REC_TIME_MAX	40

struct rec_sample {
	size_t line;			/* in the file, from 1 */
	uint64_t elapsed_ns;		/* since the recording started */
	char time[REC_TIME_MAX];	/* ISO-8601 UTC as recorded */
	uint32_t pid;
	char start_time[REC_TIME_MAX];	/* the process's, "" if unknown */
	char comm[KNMT_COMM_MAX];
	bool approx;			/* categories inferred */
	uint64_t present;		/* bit v: vals[v] recorded, not null */
	uint64_t vals[REC_NVALS];
};

#define REC_HAS(s, v)	(((s)->present >> (v)) & 1)

/* A process that went away between two rounds. */
struct rec_gone {
	size_t line;			/* in the file, from 1 */
	uint64_t elapsed_ns;
	char time[REC_TIME_MAX];
	uint32_t pid;
	char start_time[REC_TIME_MAX];
	char comm[KNMT_COMM_MAX];
	char reason[32];		/* "exited", "pid reused", "not listed" */
};

struct recording {
	/* the header */
	unsigned int version;
	char *host, *boot_id, *start_time, *kernel;
	uint64_t interval_ns;
	bool all;			/* --all, else the pids */
	uint32_t *pids;
	size_t npids;
	bool events_recorded;
	char *events_note;		/* why not, or NULL */
	/* the lines that follow */
	struct rec_sample *samples;
	size_t nsamples, scap;
	struct rec_gone *gone;
	size_t ngone, gcap;
	size_t nevents;			/* event lines (not "lost" ones) */
	/* the trailer */
	bool stopped;
	char *stop_reason;		/* "duration", "signal", "exited", "error" */
	char *stop_detail;
	uint64_t stop_elapsed_ns;
	char stop_time[REC_TIME_MAX];
	/* reading */
	bool truncated;			/* the last line was incomplete: dropped */
	size_t lines;			/* lines read, the dropped one included */
	uint32_t only_pid;		/* rec_read_pid()'s pid, 0 all */
};

/* ---- writing ------------------------------------------------------- */

/*
 * A sample of p: its values, present as the module sent them;
 * boot_to_real converts its start time to the wall clock.
 */
void rec_sample_from_proc(struct rec_sample *s, const struct knmt_proc_info *p,
			  int64_t boot_to_real);
/* The line of s (without "\n"), as a json-c object the caller puts. */
struct json_object *rec_sample_json(const struct rec_sample *s);

/* ---- reading ------------------------------------------------------- */

/*
 * Reads a recording: 0, or -1 with why (e.g. "line 3: not JSON").  A
 * last line without its "\n" that is not complete JSON (the recorder
 * was killed while writing it) is dropped and r->truncated set.  r is
 * to be freed with rec_free() in both cases.
 */
int rec_read(FILE *f, struct recording *r, char *why, size_t len);
/*
 * The same keeping the samples and gone records of pid only (of the pid
 * of the first sample with REC_FIRST_PID; 0: all), for long recordings
 * of many processes.
 */
#define REC_FIRST_PID	UINT32_MAX
int rec_read_pid(FILE *f, struct recording *r, uint32_t pid, char *why,
		 size_t len);
void rec_free(struct recording *r);

/* Seconds of a duration in ns, as a double. */
static inline double rec_seconds(uint64_t ns)
{
	return (double)ns / 1e9;
}

#endif /* KNMT_CLI_RECORDING_H */
