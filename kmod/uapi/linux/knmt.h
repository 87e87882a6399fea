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
	KNMT_CMD_DUMP_SOCKETS,	/* dump: open sockets, of one process
				 * (KNMT_A_PROC_PID) or of all
				 */
	KNMT_CMD_EVENTS,	/* multicast on "events" only: a batch of
				 * events (enum knmt_a_evbatch)
				 */

	__KNMT_CMD_MAX,
	KNMT_CMD_MAX = __KNMT_CMD_MAX - 1
};

/* How a hook reaches the kernel. */
enum knmt_hook_kind {
	KNMT_HOOK_KIND_TRACEPOINT,
	KNMT_HOOK_KIND_KPROBE,
	KNMT_HOOK_KIND_KRETPROBE,
	KNMT_HOOK_KIND_FTRACE,		/* a function entry, knmt's own ftrace_ops */
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
	KNMT_A_STATUS_SOCKETS_TRACKED,	/* u32: socket records in use */
	KNMT_A_STATUS_SOCKETS_MAX,	/* u32: limit (module parameter) */
	KNMT_A_STATUS_SOCKETS_OVERFLOW,	/* u64: sockets not tracked (limit) */
	KNMT_A_STATUS_SOCKETS_STALE,	/* u64: records of sockets whose
					 * destruction knmt did not see
					 */
	KNMT_A_STATUS_EVENT_DROPS,	/* nest: u64 per enum knmt_event_type,
					 * type = event type + 1: events lost
					 * because a ring was full
					 */
	KNMT_A_STATUS_EVENTS_UNDELIVERED, /* u64: events in batches netlink
					   * could not deliver to a listener
					   * (its receive buffer was full),
					   * or no batch could be allocated
					   * for: gaps in the numbers
					   */
	KNMT_A_STATUS_EVENT_LISTENERS,	/* u8: 1 if "events" has listeners */
	KNMT_A_STATUS_PIDNS_LEVEL,	/* u32: depth of the requester's pid
					 * namespace (0: the initial one, the
					 * only one exits and events are for)
					 */
	KNMT_A_STATUS_MEM,		/* nest (repeated): enum knmt_a_mem,
					 * the memory of KNMT_A_STATUS_MEM_BYTES
					 * by kind
					 */
	KNMT_A_STATUS_COST_SAMPLE,	/* u32: one guarded hook run in this
					 * many per CPU is timed (0: none)
					 */
	KNMT_A_STATUS_SAMPLER_ROUND_MS,	/* u32: how long the sampler's last
					 * complete round took, from its first
					 * visit to its last, ms; absent: none
					 * complete yet, or the sampler is off
					 */
	KNMT_A_STATUS_THREADS_TRACKED,	/* u32: thread records in use (the
					 * fault accounting of a thread)
					 */
	KNMT_A_STATUS_THREADS_MAX,	/* u32: limit (module parameter) */
	KNMT_A_STATUS_THREADS_OVERFLOW,	/* u64: faults of threads that found
					 * no record (limit), counted when they
					 * start, retried and failed ones
					 * included, all as minor
					 */

	__KNMT_A_STATUS_MAX,
	KNMT_A_STATUS_MAX = __KNMT_A_STATUS_MAX - 1
};

/* One kind of the module's memory, nested in KNMT_A_STATUS_MEM. */
enum knmt_a_mem {
	KNMT_A_MEM_UNSPEC,
	KNMT_A_MEM_PAD,
	KNMT_A_MEM_NAME,	/* string: "processes", "threads", "regions",
				 * "sockets", "exits", "events", "hooks"
				 */
	KNMT_A_MEM_BYTES,	/* u64: held: its records, in use and kept
				 * in reserve, and its tables
				 */
	KNMT_A_MEM_RECORDS,	/* u32: records in use (kinds with records) */
	KNMT_A_MEM_RECORD_SIZE,	/* u32: bytes of one record */

	__KNMT_A_MEM_MAX,
	KNMT_A_MEM_MAX = __KNMT_A_MEM_MAX - 1
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
	KNMT_A_HOOK_COST_NS,	/* u64: nanoseconds in the handler, summed
				 * over the runs timed (sampled)
				 */
	KNMT_A_HOOK_COST_RUNS,	/* u64: handler runs timed */

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
	KNMT_A_CONFIG_SOCKETS_MAX,		/* u32, read-only (parameter) */
	KNMT_A_CONFIG_EVENTS_RING,		/* u32, read-only (parameter):
						 * event records per CPU
						 */
	KNMT_A_CONFIG_EVENTS_FAULT_MS,		/* u32, writable: period of
						 * the fault summary events,
						 * 100..3600000, 0 = none
						 */

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
	KNMT_A_PROC_SOCKETS,		/* nest: enum knmt_a_socks */

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

/*
 * Size limit of KNMT_A_REGION_FILE, with its NUL: one region always fits
 * in the smallest dump message.
 */
#define KNMT_REGION_FILE_MAX	1024

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
	KNMT_A_REGION_FILE,		/* string: backing file path, at most
					 * KNMT_REGION_FILE_MAX bytes with the
					 * NUL: a longer one keeps its end,
					 * after "..."
					 */
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

/*
 * Sockets.  A socket belongs to the process that created it (socket(2),
 * socketpair(2)) or accepted it (accept(2), accept4(2)), from then until
 * its last descriptor is closed: a child that inherits it or a process
 * that receives it over a unix socket does not become its owner.  When
 * the owner exits and the socket is still open elsewhere, the first
 * tracked process found holding it adopts it.
 */
enum knmt_sock_family {
	KNMT_SOCK_FAM_INET,	/* AF_INET */
	KNMT_SOCK_FAM_INET6,	/* AF_INET6 */
	KNMT_SOCK_FAM_UNIX,	/* AF_UNIX */
	KNMT_SOCK_FAM_OTHER,	/* any other family */

	KNMT_SOCK_FAM_NR
};

/* KNMT_A_SOCK_FLAGS */
#define KNMT_SOCK_F_APPROX	_BITUL(0)	/* open before knmt loaded */
#define KNMT_SOCK_F_ACCEPTED	_BITUL(1)	/* from accept() */
#define KNMT_SOCK_F_ADOPTED	_BITUL(2)	/* its creator exited */

/*
 * The sockets of one process, nested in KNMT_A_PROC_SOCKETS.  Counts and
 * bytes are of its open sockets, read when the reply is made; totals are
 * since the process was tracked.  The lifetime histogram counts sockets
 * closed after a lifetime (creation or accept to the last close) below
 * 4^i milliseconds in bucket i, as KNMT_A_OFFHEAP_LIFETIME does.
 */
enum knmt_a_socks {
	KNMT_A_SOCKS_UNSPEC,
	KNMT_A_SOCKS_PAD,
	KNMT_A_SOCKS_OPEN,		/* u32: open sockets owned */
	KNMT_A_SOCKS_FAMILY,		/* nest: u32 per enum knmt_sock_family,
					 * type = family + 1
					 */
	KNMT_A_SOCKS_TCP_STATE,		/* nest: u32 per TCP state, type =
					 * state (TCP_ESTABLISHED = 1, ...)
					 */
	KNMT_A_SOCKS_CLOSE_WAIT_AGE_NS,	/* u64: longest time a socket has
					 * been in CLOSE_WAIT (if any is)
					 */
	KNMT_A_SOCKS_OLDEST_AGE_NS,	/* u64: age of the oldest open one */
	KNMT_A_SOCKS_RX_QUEUED,		/* u64: bytes, sum of KNMT_A_SOCK_RX_BYTES */
	KNMT_A_SOCKS_TX_QUEUED,		/* u64: bytes, sum of KNMT_A_SOCK_TX_BYTES */
	KNMT_A_SOCKS_MEM,		/* u64: bytes, sum of KNMT_A_SOCK_MEM */
	KNMT_A_SOCKS_OPENED,		/* u64: created or accepted */
	KNMT_A_SOCKS_ACCEPTED,		/* u64: of which accepted */
	KNMT_A_SOCKS_CLOSED,		/* u64: last descriptor closed */
	KNMT_A_SOCKS_ORPHANS,		/* u32: closed, not yet destroyed by
					 * the kernel (e.g. TCP FIN_WAIT)
					 */
	KNMT_A_SOCKS_DESTROYED,		/* u64: closed and destroyed */
	KNMT_A_SOCKS_UNTRACKED,		/* u64: opened but not tracked (limit) */
	KNMT_A_SOCKS_LIFETIME,		/* nest: u64 per bucket, type = i + 1 */
	KNMT_A_SOCKS_OPEN_RATE,		/* u32: opens per second x 1000, over
					 * the last sampling period
					 */
	KNMT_A_SOCKS_CLOSE_RATE,	/* u32: closes per second x 1000 */

	__KNMT_A_SOCKS_MAX,
	KNMT_A_SOCKS_MAX = __KNMT_A_SOCKS_MAX - 1
};

/*
 * One open socket: DUMP_SOCKETS entries.  Queues and buffers are read
 * when the entry is made, with the meaning ss(8) gives them.
 */
enum knmt_a_sock {
	KNMT_A_SOCK_UNSPEC,
	KNMT_A_SOCK_PAD,
	KNMT_A_SOCK_PID,		/* u32: owner, requester's namespace */
	KNMT_A_SOCK_COMM,		/* string: owner's command name */
	KNMT_A_SOCK_INODE,		/* u64: socket inode (ss "ino") */
	KNMT_A_SOCK_FAMILY,		/* u16: AF_* */
	KNMT_A_SOCK_TYPE,		/* u16: SOCK_* */
	KNMT_A_SOCK_PROTOCOL,		/* u16: IPPROTO_* (inet), else 0 */
	KNMT_A_SOCK_STATE,		/* u8: TCP_* state, as ss shows it */
	KNMT_A_SOCK_FLAGS,		/* u32: KNMT_SOCK_F_* */
	KNMT_A_SOCK_AGE_NS,		/* u64: since created or accepted (or
					 * since the load, with F_APPROX)
					 */
	KNMT_A_SOCK_STATE_AGE_NS,	/* u64: time in STATE, if known: kept
					 * for LISTEN, SYN_SENT, ESTABLISHED,
					 * CLOSE_WAIT
					 */
	KNMT_A_SOCK_RECV_Q,		/* u32: ss Recv-Q */
	KNMT_A_SOCK_SEND_Q,		/* u32: ss Send-Q */
	KNMT_A_SOCK_RMEM_ALLOC,		/* u32: ss -m "r" */
	KNMT_A_SOCK_RCVBUF,		/* u32: ss -m "rb" */
	KNMT_A_SOCK_WMEM_ALLOC,		/* u32: ss -m "t" */
	KNMT_A_SOCK_SNDBUF,		/* u32: ss -m "tb" */
	KNMT_A_SOCK_FWD_ALLOC,		/* u32: ss -m "f" */
	KNMT_A_SOCK_WMEM_QUEUED,	/* u32: ss -m "w" */
	KNMT_A_SOCK_RX_BYTES,		/* u32: received, unread: "r" (inet),
					 * Recv-Q (unix, whose "r" is 0)
					 */
	KNMT_A_SOCK_TX_BYTES,		/* u32: sent, not released: "w"
					 * (TCP), else "t"
					 */
	KNMT_A_SOCK_MEM,		/* u32: charged to it: r + w or t + f */
	KNMT_A_SOCK_LOCAL_ADDR,		/* binary: 4 or 16 bytes (inet) */
	KNMT_A_SOCK_LOCAL_PORT,		/* u16: host order (inet) */
	KNMT_A_SOCK_REMOTE_ADDR,	/* binary: 4 or 16 bytes (inet) */
	KNMT_A_SOCK_REMOTE_PORT,	/* u16: host order (inet) */

	__KNMT_A_SOCK_MAX,
	KNMT_A_SOCK_MAX = __KNMT_A_SOCK_MAX - 1
};

/*
 * Events, multicast on the "events" group while it has listeners.  Hooks
 * write fixed-size records to per-CPU rings, never waiting: a full ring
 * drops the event and counts it (KNMT_A_STATUS_EVENT_DROPS).  A work item
 * drains the rings into batches (KNMT_CMD_EVENTS) in which events are
 * numbered consecutively: KNMT_A_EVBATCH_SEQ is the number of the first
 * one.  KNMT_A_EVBATCH_LOST counts the events the rings dropped since the
 * previous batch; a batch netlink could not deliver shows as a gap in the
 * numbers (and in KNMT_A_STATUS_EVENTS_UNDELIVERED).  Pids are those of
 * the initial pid namespace.  Page faults are not events one by one: a
 * KNMT_EV_FAULTS summary per process comes every events_fault_ms.
 */
enum knmt_event_type {
	KNMT_EV_EXEC,		/* pid, tid, comm */
	KNMT_EV_EXIT,		/* pid, comm, exit code, flags, the final
				 * breakdown (KNMT_A_EV_PROC) if kept
				 */
	KNMT_EV_OOM_VICTIM,	/* pid, comm: chosen by the OOM killer */
	KNMT_EV_MMAP,		/* pid, tid, start, len, category, origin */
	KNMT_EV_MUNMAP,		/* pid, tid, start, len */
	KNMT_EV_MREMAP,		/* pid, tid, old start and len, start, len */
	KNMT_EV_BRK,		/* pid, tid, old start (old brk), start (new) */
	KNMT_EV_OFFHEAP_ALLOC,	/* pid, tid, start, len */
	KNMT_EV_OFFHEAP_FREE,	/* pid, tid, start, len, lifetime */
	KNMT_EV_FAULTS,		/* pid, interval, faults per category */
	KNMT_EV_SOCK_OPEN,	/* pid, inode, family, type, protocol, flags */
	KNMT_EV_SOCK_CLOSE,	/* pid, inode, lifetime */
	KNMT_EV_SOCK_STATE,	/* pid, inode, old state, state */

	KNMT_EV_NR
};

/* A batch of events: KNMT_CMD_EVENTS. */
enum knmt_a_evbatch {
	KNMT_A_EVBATCH_UNSPEC,
	KNMT_A_EVBATCH_PAD,
	KNMT_A_EVBATCH_SEQ,		/* u64: number of the first event */
	KNMT_A_EVBATCH_COUNT,		/* u32: events in this batch */
	KNMT_A_EVBATCH_LOST,		/* u64: dropped since the last batch */
	KNMT_A_EVBATCH_EVENT,		/* nest (repeated): enum knmt_a_ev */

	__KNMT_A_EVBATCH_MAX,
	KNMT_A_EVBATCH_MAX = __KNMT_A_EVBATCH_MAX - 1
};

/* One event, nested in KNMT_A_EVBATCH_EVENT; what each type carries is
 * listed at enum knmt_event_type.
 */
enum knmt_a_ev {
	KNMT_A_EV_UNSPEC,
	KNMT_A_EV_PAD,
	KNMT_A_EV_TYPE,			/* u8: enum knmt_event_type */
	KNMT_A_EV_TIME_NS,		/* u64: boot-time clock */
	KNMT_A_EV_PID,			/* u32: initial pid namespace */
	KNMT_A_EV_TID,			/* u32 */
	KNMT_A_EV_COMM,			/* string */
	KNMT_A_EV_START,		/* u64: address */
	KNMT_A_EV_LEN,			/* u64: bytes */
	KNMT_A_EV_OLD_START,		/* u64: address */
	KNMT_A_EV_OLD_LEN,		/* u64: bytes */
	KNMT_A_EV_CATEGORY,		/* u8: enum knmt_category */
	KNMT_A_EV_ORIGIN,		/* u8: enum knmt_origin */
	KNMT_A_EV_LIFETIME_NS,		/* u64 */
	KNMT_A_EV_EXIT_CODE,		/* u32: as wait(2) reports it */
	KNMT_A_EV_FLAGS,		/* u32: exit: process flags,
					 * KNMT_PROC_F_; socket open:
					 * socket flags, KNMT_SOCK_F_
					 */
	KNMT_A_EV_PROC,			/* nest: enum knmt_a_proc (exit) */
	KNMT_A_EV_INTERVAL_NS,		/* u64: what a fault summary covers */
	KNMT_A_EV_FAULTS,		/* nest (repeated): enum knmt_a_cat,
					 * with ID, FAULTS_MINOR, FAULTS_MAJOR
					 */
	KNMT_A_EV_SOCK_INODE,		/* u64 */
	KNMT_A_EV_SOCK_FAMILY,		/* u16: AF_* */
	KNMT_A_EV_SOCK_TYPE,		/* u16: SOCK_* */
	KNMT_A_EV_SOCK_PROTOCOL,	/* u16: IPPROTO_* (inet) */
	KNMT_A_EV_SOCK_STATE,		/* u8: TCP_* */
	KNMT_A_EV_SOCK_OLD_STATE,	/* u8: TCP_* */

	__KNMT_A_EV_MAX,
	KNMT_A_EV_MAX = __KNMT_A_EV_MAX - 1
};

#define KNMT_EVENTS_FAULT_MS_DEFAULT	1000

#define KNMT_OFFHEAP_MIN_BYTES_DEFAULT	131072ULL	/* 128 KiB */
#define KNMT_OFFHEAP_MIN_BYTES_LOW	4096ULL
#define KNMT_OFFHEAP_MIN_BYTES_HIGH	1073741824ULL	/* 1 GiB */

#endif /* _UAPI_LINUX_KNMT_H */
