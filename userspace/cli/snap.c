// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt CLI: what baseline keeps of a process (see snap.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "procs.h"
#include "snap.h"

#define CAT_VALS(name, field, label)					\
	{ "categories." name "." field, label, true }

/* JSON keys are a contract (userspace/README.md): change none. */
const struct snap_val_info snap_vals[SV_COUNT] = {
	CAT_VALS("heap", "mapped_bytes", "heap"),
	CAT_VALS("stack", "mapped_bytes", "stack"),
	CAT_VALS("arena", "mapped_bytes", "arena"),
	CAT_VALS("offheap", "mapped_bytes", "offheap"),
	CAT_VALS("anon", "mapped_bytes", "anon"),
	CAT_VALS("shmem", "mapped_bytes", "shmem"),
	CAT_VALS("file", "mapped_bytes", "file"),
	CAT_VALS("heap", "resident_bytes", "heap"),
	CAT_VALS("stack", "resident_bytes", "stack"),
	CAT_VALS("arena", "resident_bytes", "arena"),
	CAT_VALS("offheap", "resident_bytes", "offheap"),
	CAT_VALS("anon", "resident_bytes", "anon"),
	CAT_VALS("shmem", "resident_bytes", "shmem"),
	CAT_VALS("file", "resident_bytes", "file"),
	[SV_PAGETABLES] = { "kernel.pagetables_bytes", "page tables", true },
	[SV_KSTACKS] = { "kernel.kstacks_bytes", "kernel stacks", true },
	[SV_SOCKBUFS] = { "kernel.sockbufs_bytes", "socket buffers", true },
	[SV_RSS] = { "rss_bytes", "rss", true },
	[SV_OFFHEAP_LIVE] = { "offheap.live_bytes", "offheap live", true },
	[SV_SOCKETS_OPEN] = { "sockets.open", "sockets open", false },
	[SV_NATIVE_TOTAL] = { "native_total_bytes", "native total", true },
};

_Static_assert(KNMT_CAT_HEAP == 0 && KNMT_CAT_FILE == 6 && KNMT_CAT_NR == 7,
	       "snap_vals lists the categories in enum order");
_Static_assert(SV_COUNT <= 32, "present has a bit per value");

static void set(struct snap_proc *s, unsigned int i, bool ok, uint64_t v)
{
	if (!ok)
		return;
	s->present |= 1U << i;
	s->val[i] = v;
}

void snap_from_proc(struct snap_proc *s, const struct knmt_proc_info *p)
{
	const struct knmt_socks_info *k = &p->sockets;
	unsigned int c;

	memset(s, 0, sizeof(*s));
	s->pid = p->pid;
	s->has_start = KNMT_HAS(p, KNMT_A_PROC_START_NS);
	s->start_ns = p->start_ns;
	snprintf(s->comm, sizeof(s->comm), "%s", p->comm);
	for (c = 0; c < KNMT_CAT_NR; c++) {
		const struct knmt_cat_info *ci = &p->categories[c];

		set(s, SV_MAPPED + c, KNMT_HAS(ci, KNMT_A_CAT_MAPPED), ci->mapped);
		set(s, SV_RESIDENT + c, KNMT_HAS(ci, KNMT_A_CAT_RESIDENT),
		    ci->resident);
	}
	set(s, SV_PAGETABLES, KNMT_HAS(p, KNMT_A_PROC_PAGETABLES), p->pagetables);
	set(s, SV_KSTACKS, KNMT_HAS(p, KNMT_A_PROC_KSTACKS), p->kstacks);
	set(s, SV_SOCKBUFS, KNMT_HAS(k, KNMT_A_SOCKS_MEM), k->mem);
	set(s, SV_RSS, KNMT_HAS(p, KNMT_A_PROC_RSS_ANON), procs_rss(p));
	set(s, SV_OFFHEAP_LIVE, KNMT_HAS(&p->offheap, KNMT_A_OFFHEAP_LIVE_BYTES),
	    p->offheap.live_bytes);
	set(s, SV_SOCKETS_OPEN, KNMT_HAS(k, KNMT_A_SOCKS_OPEN), k->open);
	set(s, SV_NATIVE_TOTAL, procs_sampled(p), procs_native_total(p));
}

void snap_lookup_cgroup(struct cli *cli, struct snap_proc *s)
{
	free(s->cgroup);
	if (cgroup_of_pid(cli->proc_root, s->pid, &s->cgroup) < 0)
		s->cgroup = NULL;
}

void snap_procs_free(struct snap_proc *procs, size_t n)
{
	size_t i;

	for (i = 0; procs && i < n; i++)
		free(procs[i].cgroup);
	free(procs);
}

void snap_host(struct cli *cli, struct snap_host *h)
{
	char path[512];
	struct timespec ts;
	FILE *f;

	memset(h, 0, sizeof(*h));
	if (gethostname(h->host, sizeof(h->host) - 1) < 0)
		snprintf(h->host, sizeof(h->host), "unknown");
	snprintf(path, sizeof(path), "%s/sys/kernel/random/boot_id",
		 cli->proc_root ? cli->proc_root : "/proc");
	f = fopen(path, "re");
	if (f) {
		if (!fgets(h->boot_id, sizeof(h->boot_id), f))
			h->boot_id[0] = '\0';
		h->boot_id[strcspn(h->boot_id, "\n")] = '\0';
		fclose(f);
	}
	if (clock_gettime(CLOCK_REALTIME, &ts) == 0)
		h->time_ns = (uint64_t)ts.tv_sec * 1000000000U +
			     (uint64_t)ts.tv_nsec;
}

int snap_parse_time(const char *s, uint64_t *ns)
{
	unsigned int y, mo, d, h, mi, sec, ms = 0;
	struct tm tm = { 0 };
	int n = 0, m = 0;
	time_t t;

	if (sscanf(s, "%4u-%2u-%2uT%2u:%2u:%2u%n", &y, &mo, &d, &h, &mi, &sec,
		   &n) != 6 || n != 19)
		return -EINVAL;
	s += n;
	if (*s == '.') {
		if (sscanf(s, ".%3u%n", &ms, &m) != 1 || m != 4)
			return -EINVAL;
		s += m;
	}
	if (strcmp(s, "Z") != 0 || y < 1970 || mo < 1 || mo > 12 || d < 1 ||
	    d > 31 || h > 23 || mi > 59 || sec > 60)
		return -EINVAL;
	tm.tm_year = (int)y - 1900;
	tm.tm_mon = (int)mo - 1;
	tm.tm_mday = (int)d;
	tm.tm_hour = (int)h;
	tm.tm_min = (int)mi;
	tm.tm_sec = (int)sec;
	t = timegm(&tm);
	if (t < 0)
		return -EINVAL;
	*ns = (uint64_t)t * 1000000000U + (uint64_t)ms * 1000000U;
	return 0;
}
