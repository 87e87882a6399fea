/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * knmt CLI: what baseline keeps of a process and diff compares: per
 * category mapped and resident bytes, the kernel-side memory, RSS,
 * live off-heap bytes, open sockets and the native total; who the
 * process is (pid, start time, comm, cgroup); and the host, boot and
 * time of a view.
 */
#ifndef KNMT_CLI_SNAP_H
#define KNMT_CLI_SNAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"

/* The values of a process, by index. */
enum {
	SV_MAPPED,				/* + category */
	SV_RESIDENT = SV_MAPPED + KNMT_CAT_NR,	/* + category */
	SV_PAGETABLES = SV_RESIDENT + KNMT_CAT_NR,
	SV_KSTACKS,
	SV_SOCKBUFS,
	SV_RSS,
	SV_OFFHEAP_LIVE,
	SV_SOCKETS_OPEN,
	SV_NATIVE_TOTAL,
	SV_COUNT
};

struct snap_val_info {
	const char *key;	/* JSON path in a process object */
	const char *label;	/* text */
	bool bytes;		/* bytes, else a count */
};

extern const struct snap_val_info snap_vals[SV_COUNT];

struct snap_proc {
	uint32_t pid;
	bool has_start;
	uint64_t start_ns;		/* start, boot-time clock */
	char comm[KNMT_COMM_MAX];
	char *cgroup;			/* cgroup v2 path; NULL: not known */
	uint32_t present;		/* bit i: val[i] known */
	uint64_t val[SV_COUNT];
};

#define SNAP_HAS(s, i)	((((s)->present >> (i)) & 1U) != 0)

/*
 * The values of p into s (cgroup NULL).  A value the module did not send
 * is not present; the native total is present when a breakdown was taken.
 */
void snap_from_proc(struct snap_proc *s, const struct knmt_proc_info *p);

/* Looks up s->cgroup in cli->proc_root (left NULL when not known). */
void snap_lookup_cgroup(struct cli *cli, struct snap_proc *s);

void snap_procs_free(struct snap_proc *procs, size_t n);

/* The host, boot and wall-clock time of a view. */
struct snap_host {
	char host[256];
	char boot_id[64];	/* "" when not known */
	uint64_t time_ns;	/* CLOCK_REALTIME */
};

void snap_host(struct cli *cli, struct snap_host *h);

/*
 * An ISO-8601 UTC time as JSON shows it ("2025-03-01T14:02:03.123Z",
 * milliseconds optional) to ns since the epoch: 0 and *ns, or -EINVAL.
 */
int snap_parse_time(const char *s, uint64_t *ns);

#endif /* KNMT_CLI_SNAP_H */
