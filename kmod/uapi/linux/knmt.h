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

#define KNMT_GENL_NAME		"knmt"
#define KNMT_GENL_VERSION	1
#define KNMT_GENL_MCGRP_EVENTS	"events"

enum knmt_cmd {
	KNMT_CMD_UNSPEC,
	KNMT_CMD_GET_STATUS,	/* do: module, kernel, hooks, counters */
	KNMT_CMD_GET_CONFIG,	/* do: run-time settings and limits */
	KNMT_CMD_SET_CONFIG,	/* do: change run-time settings */

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

	__KNMT_A_CONFIG_MAX,
	KNMT_A_CONFIG_MAX = __KNMT_A_CONFIG_MAX - 1
};

#define KNMT_OFFHEAP_MIN_BYTES_DEFAULT	131072ULL	/* 128 KiB */
#define KNMT_OFFHEAP_MIN_BYTES_LOW	4096ULL
#define KNMT_OFFHEAP_MIN_BYTES_HIGH	1073741824ULL	/* 1 GiB */

#endif /* _UAPI_LINUX_KNMT_H */
