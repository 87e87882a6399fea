/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * knmt - kernel native memory tracking: generic netlink protocol.
 *
 * This header is shared by knmt.ko and its userspace readers (libknmt).
 * The protocol is described in knmt.yaml (YNL spec) next to this file.
 *
 * Rules kept by every version of the family:
 *  - enums only grow at their end; a value once published keeps its meaning;
 *  - every u64 attribute is sent with a pad attribute (KNMT_A_*_PAD);
 *  - every command needs CAP_NET_ADMIN, the "events" group CAP_SYS_ADMIN.
 */
#ifndef _UAPI_LINUX_KNMT_H
#define _UAPI_LINUX_KNMT_H

#include <linux/const.h>

#define KNMT_GENL_NAME		"knmt"
#define KNMT_GENL_VERSION	1
#define KNMT_GENL_MCGRP_EVENTS	"events"

enum knmt_cmd {
	KNMT_CMD_UNSPEC,
	KNMT_CMD_GET_STATUS,	/* do: module, kernel, hooks, counters */
	KNMT_CMD_GET_CONFIG,	/* do: run-time settings and limits */
	KNMT_CMD_SET_CONFIG,	/* do: change run-time settings */
	KNMT_CMD_GET_PROC,	/* do: one process (KNMT_A_PROC_PID) */
	KNMT_CMD_DUMP_PROCS,	/* dump: every tracked process */
	KNMT_CMD_DUMP_REGIONS,	/* dump: one process's regions */
	KNMT_CMD_DUMP_FAULT_SITES, /* dump: one process's top fault sites */
	KNMT_CMD_DUMP_EXITS,	/* dump: recent exits, oldest first */

	__KNMT_CMD_MAX,
	KNMT_CMD_MAX = __KNMT_CMD_MAX - 1
};

/* How a hook reaches the kernel. */
enum knmt_hook_kind {
	KNMT_HOOK_KIND_TRACEPOINT,
	KNMT_HOOK_KIND_KPROBE,
	KNMT_HOOK_KIND_KRETPROBE,
};

/* What became of a hook at load time. */
enum knmt_hook_state {
	KNMT_HOOK_STATE_ATTACHED,	/* the preferred target is live */
	KNMT_HOOK_STATE_FALLBACK,	/* a fallback target is live */
	KNMT_HOOK_STATE_UNAVAILABLE,	/* nothing could be attached */
};

/* Attributes of a GET_STATUS reply. */
enum knmt_a_status {
	KNMT_A_STATUS_UNSPEC,
	KNMT_A_STATUS_PAD,
	KNMT_A_STATUS_VERSION,		/* string: module version */
	KNMT_A_STATUS_RELEASE_BUILT,	/* string: kernel release built for */
	KNMT_A_STATUS_RELEASE_RUNNING,	/* string: kernel release running */
	KNMT_A_STATUS_HOOK,		/* nest (repeated): enum knmt_a_hook */
	KNMT_A_STATUS_PROCS_TRACKED,	/* u32: processes tracked now */
	KNMT_A_STATUS_PROCS_MAX,	/* u32: limit (module parameter) */
	KNMT_A_STATUS_PROCS_OVERFLOW,	/* u64: processes not tracked (limit) */
	KNMT_A_STATUS_EVENTS_EMITTED,	/* u64: event records delivered */
	KNMT_A_STATUS_EVENTS_DROPPED,	/* u64: event records lost */
	KNMT_A_STATUS_MEM_BYTES,	/* u64: memory held by the module */
	KNMT_A_STATUS_RECURSION,	/* u64: probe hits skipped (re-entry) */
	KNMT_A_STATUS_UPTIME_NS,	/* u64: time since the module loaded */
	KNMT_A_STATUS_REGIONS_TRACKED,	/* u32: origin records in use */
	KNMT_A_STATUS_REGIONS_MAX,	/* u32: limit (module parameter) */
	KNMT_A_STATUS_REGIONS_OVERFLOW,	/* u64: origin records not kept */
	KNMT_A_STATUS_EXITS_KEPT,	/* u32: exit records held */

	__KNMT_A_STATUS_MAX,
	KNMT_A_STATUS_MAX = __KNMT_A_STATUS_MAX - 1
};

/* One hook, nested in KNMT_A_STATUS_HOOK. */
enum knmt_a_hook {
	KNMT_A_HOOK_UNSPEC,
	KNMT_A_HOOK_PAD,
	KNMT_A_HOOK_NAME,	/* string: what the hook is for, e.g. "fault" */
	KNMT_A_HOOK_KIND,	/* u8: enum knmt_hook_kind */
	KNMT_A_HOOK_STATE,	/* u8: enum knmt_hook_state */
	KNMT_A_HOOK_PREFERRED,	/* string: the preferred kernel target */
	KNMT_A_HOOK_TARGET,	/* string: the target attached, if any */
	KNMT_A_HOOK_ERROR,	/* u32: errno of the last failed attach */
	KNMT_A_HOOK_REASON,	/* string: why not preferred / unavailable */
	KNMT_A_HOOK_HITS,	/* u64: times the handler ran */
	KNMT_A_HOOK_MISSED,	/* u64: hits the kernel or knmt skipped */

	__KNMT_A_HOOK_MAX,
	KNMT_A_HOOK_MAX = __KNMT_A_HOOK_MAX - 1
};

/*
 * Run-time settings: GET_CONFIG replies with all of them, SET_CONFIG takes
 * any subset of the writable ones.
 */
enum knmt_a_config {
	KNMT_A_CONFIG_UNSPEC,
	KNMT_A_CONFIG_PAD,
	KNMT_A_CONFIG_OFFHEAP_MIN_BYTES,	/* u64, writable: 4 KiB .. 1 GiB */
	KNMT_A_CONFIG_PROCS_MAX,		/* u32, read-only (parameter) */
	KNMT_A_CONFIG_REGIONS_MAX,		/* u32, read-only (parameter) */
	KNMT_A_CONFIG_EXITS_MAX,		/* u32, read-only (parameter) */
	KNMT_A_CONFIG_SAMPLE_MS,		/* u32, read-only (parameter) */
	/*
	 * The tracking filter.  With none set every user process is tracked;
	 * with some set, a process is tracked when it matches any: its pid
	 * (or an ancestor's, for processes born later), its command name,
	 * or its cgroup (v2, given by id: the inode number of the cgroup's
	 * directory) or a descendant of it.  0 / "" clears a criterion.
	 */
	KNMT_A_CONFIG_FILTER_PID,		/* u32, writable */
	KNMT_A_CONFIG_FILTER_COMM,		/* string, writable */
	KNMT_A_CONFIG_FILTER_CGROUP,		/* u64, writable */

	__KNMT_A_CONFIG_MAX,
	KNMT_A_CONFIG_MAX = __KNMT_A_CONFIG_MAX - 1
};

/*
 * Memory categories: every user mapping falls in exactly one.  The rules
 * are in the README ("Categories").
 */
enum knmt_category {
	KNMT_CAT_HEAP,		/* the brk heap */
	KNMT_CAT_STACK,		/* main and thread stacks */
	KNMT_CAT_ARENA,		/* reserve-then-commit anonymous memory */
	KNMT_CAT_OFFHEAP,	/* large read-write anonymous buffers */
	KNMT_CAT_ANON,		/* other private anonymous and special */
	KNMT_CAT_SHMEM,		/* shared anonymous, memfd, SysV, tmpfs */
	KNMT_CAT_FILE,		/* other file-backed mappings */

	KNMT_CAT_NR
};

/* Why knmt put a region where it is. */
enum knmt_origin {
	KNMT_ORIGIN_NONE,	/* decided from the mapping alone */
	KNMT_ORIGIN_RESERVED,	/* created PROT_NONE or MAP_NORESERVE */
	KNMT_ORIGIN_STACK,	/* created with MAP_STACK, or a thread's SP */
	KNMT_ORIGIN_OFFHEAP,	/* created read-write, >= offheap_min_bytes */
	KNMT_ORIGIN_BRK,	/* inside [start_brk, brk] */
	KNMT_ORIGIN_GROWSDOWN,	/* VM_GROWSDOWN */
	KNMT_ORIGIN_GUESSED,	/* existed before knmt loaded: inferred */
};

/* KNMT_A_PROC_FLAGS */
#define KNMT_PROC_F_APPROX	_BITUL(0)	/* alive before knmt loaded */
#define KNMT_PROC_F_EXITED	_BITUL(1)	/* an exit record */
#define KNMT_PROC_F_OOM_VICTIM	_BITUL(2)	/* chosen by the OOM killer */
#define KNMT_PROC_F_NO_MM	_BITUL(3)	/* address space already gone */

/* KNMT_A_REGION_PROT: the region's access rights */
#define KNMT_PROT_READ		_BITUL(0)
#define KNMT_PROT_WRITE		_BITUL(1)
#define KNMT_PROT_EXEC		_BITUL(2)
#define KNMT_PROT_SHARED	_BITUL(3)

/*
 * A process: GET_PROC and DUMP_PROCS replies, DUMP_EXITS entries.  Requests
 * carry KNMT_A_PROC_PID (GET_PROC, DUMP_REGIONS, DUMP_FAULT_SITES).  Pids
 * are in the requester's pid namespace.
 */
enum knmt_a_proc {
	KNMT_A_PROC_UNSPEC,
	KNMT_A_PROC_PAD,
	KNMT_A_PROC_PID,		/* u32 */
	KNMT_A_PROC_COMM,		/* string */
	KNMT_A_PROC_FLAGS,		/* u32: KNMT_PROC_F_* */
	KNMT_A_PROC_START_NS,		/* u64: start, boot-time clock */
	KNMT_A_PROC_CATEGORY,		/* nest (repeated): enum knmt_a_cat */
	KNMT_A_PROC_RSS_ANON,		/* u64: bytes, kernel's counters */
	KNMT_A_PROC_RSS_FILE,		/* u64 */
	KNMT_A_PROC_RSS_SHMEM,		/* u64 */
	KNMT_A_PROC_RSS_SWAP,		/* u64 */
	KNMT_A_PROC_PEAK_RSS,		/* u64: hiwater */
	KNMT_A_PROC_THREADS,		/* u32 */
	KNMT_A_PROC_PAGETABLES,		/* u64: bytes */
	KNMT_A_PROC_KSTACKS,		/* u64: bytes */
	KNMT_A_PROC_UNACCOUNTED,	/* s64: RSS - sum of resident */
	KNMT_A_PROC_OFFHEAP,		/* nest: enum knmt_a_offheap */
	KNMT_A_PROC_SAMPLED_NS,		/* u64: when the breakdown was taken */
	KNMT_A_PROC_EXIT_NS,		/* u64: exit time, boot-time clock */
	KNMT_A_PROC_EXIT_CODE,		/* u32: as wait(2) reports it */

	__KNMT_A_PROC_MAX,
	KNMT_A_PROC_MAX = __KNMT_A_PROC_MAX - 1
};

/* One category of one process, nested in KNMT_A_PROC_CATEGORY. */
enum knmt_a_cat {
	KNMT_A_CAT_UNSPEC,
	KNMT_A_CAT_PAD,
	KNMT_A_CAT_ID,			/* u8: enum knmt_category */
	KNMT_A_CAT_MAPPED,		/* u64: bytes */
	KNMT_A_CAT_RESIDENT,		/* u64: bytes */
	KNMT_A_CAT_REGIONS,		/* u32 */
	KNMT_A_CAT_FAULTS_MINOR,	/* u64 */
	KNMT_A_CAT_FAULTS_MAJOR,	/* u64 */
	KNMT_A_CAT_PEAK_MAPPED,		/* u64: bytes */

	__KNMT_A_CAT_MAX,
	KNMT_A_CAT_MAX = __KNMT_A_CAT_MAX - 1
};

/*
 * Off-heap buffers of one process, nested in KNMT_A_PROC_OFFHEAP.  The
 * lifetime histogram has KNMT_LIFETIME_BUCKETS buckets: bucket i counts
 * buffers freed after a lifetime below 4^i milliseconds (bucket 0: < 1 ms),
 * the last bucket everything longer.
 */
#define KNMT_LIFETIME_BUCKETS	12

enum knmt_a_offheap {
	KNMT_A_OFFHEAP_UNSPEC,
	KNMT_A_OFFHEAP_PAD,
	KNMT_A_OFFHEAP_LIVE_COUNT,	/* u64 */
	KNMT_A_OFFHEAP_LIVE_BYTES,	/* u64 */
	KNMT_A_OFFHEAP_ALLOC_COUNT,	/* u64: since tracked */
	KNMT_A_OFFHEAP_ALLOC_BYTES,	/* u64 */
	KNMT_A_OFFHEAP_FREED_COUNT,	/* u64 */
	KNMT_A_OFFHEAP_FREED_BYTES,	/* u64 */
	KNMT_A_OFFHEAP_LIFETIME,	/* nest: u64 per bucket, type = i + 1 */

	__KNMT_A_OFFHEAP_MAX,
	KNMT_A_OFFHEAP_MAX = __KNMT_A_OFFHEAP_MAX - 1
};

/* One region (a mapping, or the part of one with a single category). */
enum knmt_a_region {
	KNMT_A_REGION_UNSPEC,
	KNMT_A_REGION_PAD,
	KNMT_A_REGION_START,		/* u64: address */
	KNMT_A_REGION_END,		/* u64: address, exclusive */
	KNMT_A_REGION_CATEGORY,		/* u8: enum knmt_category */
	KNMT_A_REGION_ORIGIN,		/* u8: enum knmt_origin */
	KNMT_A_REGION_PROT,		/* u32: KNMT_PROT_* */
	KNMT_A_REGION_RESIDENT,		/* u64: bytes */
	KNMT_A_REGION_FAULTS,		/* u64: faults since birth, if known */
	KNMT_A_REGION_AGE_NS,		/* u64: if born while tracked */
	KNMT_A_REGION_TID,		/* u32: creating thread, if known */
	KNMT_A_REGION_FILE,		/* string: backing file path */
	KNMT_A_REGION_PGOFF,		/* u64: file offset in bytes */

	__KNMT_A_REGION_MAX,
	KNMT_A_REGION_MAX = __KNMT_A_REGION_MAX - 1
};

/* A user code address that faulted, aggregated per process. */
enum knmt_a_site {
	KNMT_A_SITE_UNSPEC,
	KNMT_A_SITE_PAD,
	KNMT_A_SITE_IP,			/* u64: user instruction pointer */
	KNMT_A_SITE_FAULTS,		/* u64 */
	KNMT_A_SITE_BYTES,		/* u64: faults x 4 KiB (a THP fault maps more) */
	KNMT_A_SITE_CATEGORY,		/* u8: of the last faulting address */
	KNMT_A_SITE_OTHER,		/* flag: faults of sites not kept */

	__KNMT_A_SITE_MAX,
	KNMT_A_SITE_MAX = __KNMT_A_SITE_MAX - 1
};

#define KNMT_OFFHEAP_MIN_BYTES_DEFAULT	131072ULL	/* 128 KiB */
#define KNMT_OFFHEAP_MIN_BYTES_LOW	4096ULL
#define KNMT_OFFHEAP_MIN_BYTES_HIGH	1073741824ULL	/* 1 GiB */

#endif /* _UAPI_LINUX_KNMT_H */
