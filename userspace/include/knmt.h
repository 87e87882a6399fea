/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libknmt - client library for the knmt generic netlink family.
 *
 * The library talks to knmt.ko over generic netlink, decodes the replies
 * into plain C structures and never prints anything: every failure is a
 * negative KNMT_E_* code, with the details (kernel errno, the kernel's
 * extended ACK message, what was malformed) kept in the handle for
 * knmt_strerror() and the accessors below.
 *
 * Layers, from the top:
 *  - one function per command (knmt_get_status, knmt_get_config,
 *    knmt_set_config, knmt_get_proc, knmt_dump_procs, knmt_dump_regions,
 *    knmt_dump_fault_sites, knmt_dump_exits, knmt_dump_sockets)
 *    returning decoded structures;
 *  - a generic request helper (knmt_request) for "do" requests and
 *    NLM_F_DUMP requests with multi-part replies, which every command,
 *    present and future, is built on;
 *  - a multicast subscription (knmt_events_*) to the "events" group,
 *    with the batches decoded (knmt_events_read) and their losses
 *    accounted (struct knmt_event_loss).
 *
 * A handle is not thread-safe: use one per thread.
 */
#ifndef KNMT_H
#define KNMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>
#include <linux/knmt.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KNMT_LIB_VERSION "0.1.0"

/* Library errors; functions return 0 or the negative value. */
enum knmt_error {
	KNMT_OK = 0,
	KNMT_E_NOMEM,		/* out of memory */
	KNMT_E_NOT_LOADED,	/* family "knmt" not registered: module not loaded */
	KNMT_E_PERM,		/* the kernel refused: capability missing */
	KNMT_E_VERSION,		/* the module speaks another protocol version */
	KNMT_E_PROTO,		/* malformed or unexpected reply */
	KNMT_E_KERNEL,		/* the kernel rejected the request (errno, extack) */
	KNMT_E_SOCKET,		/* netlink socket or libnl failure */
	KNMT_E_NO_GROUP,	/* the module offers no such multicast group */
	KNMT_E_OVERRUN,		/* events lost: socket receive buffer overrun */
	KNMT_E_INTR,		/* dump interrupted by a concurrent change: retry */
	KNMT_E_INVAL,		/* invalid argument passed to the library */
	KNMT_E_PIDNS,		/* events: not offered in the caller's pid ns */
	__KNMT_E_COUNT
};

struct knmt;

/*
 * Opens a generic netlink socket, resolves the family "knmt" and its
 * "events" group.  Returns 0 or a negative KNMT_E_* code.  On failure *hp
 * is still a handle holding the error details (for knmt_strerror() and
 * knmt_kernel_errno()) that must be closed, except for KNMT_E_NOMEM where
 * it may be NULL.  knmt_close(NULL) and knmt_strerror(NULL) are allowed.
 */
int knmt_open(struct knmt **hp);
void knmt_close(struct knmt *h);

/* The last error: enum knmt_error (positive), 0 if none. */
int knmt_last_error(const struct knmt *h);
/*
 * A sentence describing the last error, with its details; valid until the
 * next call on h.
 */
const char *knmt_strerror(struct knmt *h);
/* A short fixed description of an error code (positive or negative). */
const char *knmt_error_str(int err);
/* errno the kernel answered with (positive), 0 if the error was not one. */
int knmt_kernel_errno(const struct knmt *h);
/* The kernel's extended ACK message of the last error, "" if none. */
const char *knmt_extack(const struct knmt *h);
/* Offset of the attribute the kernel pointed at in the request, or -1. */
long knmt_extack_offset(const struct knmt *h);

/* The resolved generic netlink family id and "events" group id (0: none). */
int knmt_family_id(const struct knmt *h);
uint32_t knmt_events_group(const struct knmt *h);

/* ---- decoded replies ---------------------------------------------- */

/*
 * Every decoded structure has a bitmask "present" with bit N set when
 * attribute N of its attribute set was in the reply (or, for a request,
 * is to be sent).  Attributes of newer modules that this library does
 * not know are ignored.
 */
#define KNMT_BIT(attr)		(UINT64_C(1) << (attr))
#define KNMT_HAS(obj, attr)	(((obj)->present & KNMT_BIT(attr)) != 0)

struct knmt_hook {
	uint64_t present;	/* KNMT_BIT(KNMT_A_HOOK_*) */
	char *name;
	uint8_t kind;		/* enum knmt_hook_kind */
	uint8_t state;		/* enum knmt_hook_state */
	char *preferred;	/* NULL if absent */
	char *target;		/* NULL when nothing is attached */
	uint32_t error;		/* errno of the last failed attach, 0 */
	char *reason;		/* NULL if absent */
	uint64_t hits;
	uint64_t missed;
	uint64_t cost_ns;	/* in the handler, over the runs timed */
	uint64_t cost_runs;	/* runs timed (1 in cost_sample per CPU) */
};

/* One kind of the module's memory (KNMT_A_STATUS_MEM). */
struct knmt_mem_kind {
	uint64_t present;	/* KNMT_BIT(KNMT_A_MEM_*) */
	char *name;		/* "processes", "threads", "regions", ... */
	uint64_t bytes;		/* records in use and in reserve, tables */
	uint32_t records;	/* in use */
	uint32_t record_size;	/* bytes of one record */
};

struct knmt_status {
	uint64_t present;	/* KNMT_BIT(KNMT_A_STATUS_*) */
	char *version;
	char *release_built;
	char *release_running;
	uint32_t procs_tracked;
	uint32_t procs_max;
	uint64_t procs_overflow;
	uint64_t events_emitted;
	uint64_t events_dropped;
	uint64_t mem_bytes;
	uint64_t recursion;
	uint64_t uptime_ns;
	uint32_t regions_tracked;
	uint32_t regions_max;
	uint64_t regions_overflow;
	uint32_t exits_kept;
	uint32_t sockets_tracked;	/* socket records in use */
	uint32_t sockets_max;		/* limit (module parameter) */
	uint64_t sockets_overflow;	/* sockets not tracked (limit) */
	uint64_t sockets_stale;		/* records whose socket's end was missed */
	/*
	 * Events lost because a ring was full, by enum knmt_event_type
	 * (KNMT_A_STATUS_EVENT_DROPS); bit t of event_drops_present: sent.
	 */
	uint32_t event_drops_present;
	uint64_t event_drops[KNMT_EV_NR];
	uint64_t events_undelivered;	/* in batches no listener received */
	uint8_t event_listeners;	/* 1: the events group has listeners */
	/*
	 * Depth of the caller's pid namespace, 0 for the initial one: exit
	 * records and events carry the initial namespace's pids and are
	 * offered there only.
	 */
	uint32_t pidns_level;
	uint32_t cost_sample;	/* 1 hook run in N timed per CPU, 0: off */
	/* The sampler's last complete round, ms (absent: none yet, or off). */
	uint32_t sampler_round_ms;
	uint32_t threads_tracked;	/* thread records in use */
	uint32_t threads_max;		/* limit (module parameter) */
	/* threads with no record (limit): faults counted as they start */
	uint64_t threads_overflow;
	size_t n_hooks;
	struct knmt_hook *hooks;
	size_t n_mem;
	struct knmt_mem_kind *mem;
};

#define KNMT_COMM_MAX	64	/* longer names are cut */
/* The bounds of events_fault_ms other than 0 (knmt.h has the default). */
#define KNMT_EVENTS_FAULT_MS_MIN	100U
#define KNMT_EVENTS_FAULT_MS_MAX	3600000U
/* The kernel's command names: at most 15 characters (TASK_COMM_LEN - 1). */
#define KNMT_FILTER_COMM_MAX	15

/*
 * GET_CONFIG / SET_CONFIG.  The tracking filter: with no criterion set
 * (filter_pid 0, filter_comm "", filter_cgroup 0) every user process is
 * tracked; with some set, a process is tracked when it matches any.
 * It has no pointer: copy it freely.
 */
struct knmt_config {
	uint64_t present;	/* KNMT_BIT(KNMT_A_CONFIG_*) */
	uint64_t offheap_min_bytes;
	uint32_t procs_max;
	uint32_t regions_max;
	uint32_t exits_max;
	uint32_t sample_ms;	/* read-only: the sampler's period */
	uint32_t sockets_max;	/* read-only: socket records at most */
	uint32_t events_ring;	/* read-only: event records per CPU */
	/* period of the fault summary events in ms: 0 (none) or
	 * 100 .. 3600000 (KNMT_EVENTS_FAULT_MS_MIN, _MAX) */
	uint32_t events_fault_ms;
	/*
	 * A pid of the caller's pid namespace: the process and its
	 * descendants born later.  0: none, or (GET_CONFIG) the process is
	 * not visible in the caller's pid namespace.
	 */
	uint32_t filter_pid;
	/* A command name, matched exactly; "" none. */
	char filter_comm[KNMT_COMM_MAX];
	/*
	 * A cgroup v2 id (the inode number of its directory): the cgroup
	 * and its descendants.  0: none.
	 */
	uint64_t filter_cgroup;
};

/* One memory category of one process (KNMT_A_PROC_CATEGORY). */
struct knmt_cat_info {
	uint64_t present;	/* KNMT_BIT(KNMT_A_CAT_*); 0: not sent */
	uint64_t mapped;	/* bytes */
	uint64_t resident;	/* bytes */
	uint32_t regions;
	uint64_t faults_minor;
	uint64_t faults_major;
	uint64_t peak_mapped;	/* bytes */
};

/* Off-heap buffers of one process (KNMT_A_PROC_OFFHEAP). */
struct knmt_offheap_info {
	uint64_t present;	/* KNMT_BIT(KNMT_A_OFFHEAP_*); 0: not sent */
	uint64_t live_count, live_bytes;
	uint64_t alloc_count, alloc_bytes;
	uint64_t freed_count, freed_bytes;
	/* bit i set: lifetime[i] was sent (bucket i: lifetimes < 4^i ms,
	 * the last one everything longer) */
	uint32_t lifetime_present;
	uint64_t lifetime[KNMT_LIFETIME_BUCKETS];
};

/*
 * TCP states as the kernel numbers them (TCP_ESTABLISHED = 1 ...
 * TCP_NEW_SYN_RECV = 12); arrays indexed by state have one more slot.
 */
#define KNMT_TCP_STATES		12

/*
 * The sockets of one process (KNMT_A_PROC_SOCKETS): counts and bytes of
 * its open sockets when the reply was made, totals since it is tracked.
 * Counters of a nest (by_family, tcp_state) that the module left out are
 * 0; their *_present bits tell which were sent.
 */
struct knmt_socks_info {
	uint64_t present;	/* KNMT_BIT(KNMT_A_SOCKS_*); 0: not sent */
	uint32_t open;		/* open sockets owned */
	/* by enum knmt_sock_family; bit f of family_present: sent */
	uint32_t family_present;
	uint32_t by_family[KNMT_SOCK_FAM_NR];
	/* by TCP state, index = state (1 .. KNMT_TCP_STATES), 0 unused;
	 * bit s of tcp_state_present: tcp_state[s] was sent */
	uint32_t tcp_state_present;
	uint32_t tcp_state[KNMT_TCP_STATES + 1];
	uint64_t close_wait_age_ns;	/* longest time one is in CLOSE_WAIT */
	uint64_t oldest_age_ns;		/* age of the oldest open one */
	uint64_t rx_queued;		/* bytes received, not read */
	uint64_t tx_queued;		/* bytes sent, not released */
	uint64_t mem;			/* bytes charged to its sockets */
	uint64_t opened;		/* created or accepted */
	uint64_t accepted;		/* of which accepted */
	uint64_t closed;		/* last descriptor closed */
	uint32_t orphans;		/* closed, not destroyed yet */
	uint64_t destroyed;		/* closed and destroyed */
	uint64_t untracked;		/* opened, not tracked (limit) */
	/* closed sockets by lifetime, as knmt_offheap_info.lifetime */
	uint32_t lifetime_present;
	uint64_t lifetime[KNMT_LIFETIME_BUCKETS];
	uint32_t open_rate;		/* opens per second x 1000 */
	uint32_t close_rate;		/* closes per second x 1000 */
};

/*
 * A process: a GET_PROC reply, a DUMP_PROCS part or a DUMP_EXITS record.
 * Times are CLOCK_BOOTTIME nanoseconds.  A process whose breakdown was
 * never taken has no category, RSS, threads, ... (present tells).
 */
struct knmt_proc_info {
	uint64_t present;	/* KNMT_BIT(KNMT_A_PROC_*) */
	uint32_t pid;
	char comm[KNMT_COMM_MAX];
	uint32_t flags;		/* KNMT_PROC_F_* */
	uint64_t start_ns;
	struct knmt_cat_info categories[KNMT_CAT_NR];	/* by enum knmt_category */
	uint64_t rss_anon, rss_file, rss_shmem, rss_swap;	/* bytes */
	uint64_t peak_rss;	/* bytes */
	uint32_t threads;
	uint64_t pagetables;	/* bytes */
	uint64_t kstacks;	/* bytes */
	int64_t unaccounted;	/* bytes: RSS - sum of resident, may be < 0 */
	struct knmt_offheap_info offheap;
	/* its sockets; sockets.present is 0 when the module sent none
	 * (exit records, older modules) */
	struct knmt_socks_info sockets;
	uint64_t sampled_ns;	/* when the breakdown was taken */
	uint64_t exit_ns;	/* exit records */
	uint32_t exit_code;	/* as wait(2) reports it */
};

/* One region of a process (DUMP_REGIONS). */
struct knmt_region {
	uint64_t present;	/* KNMT_BIT(KNMT_A_REGION_*) */
	uint64_t start, end;	/* [start, end) */
	uint8_t category;	/* enum knmt_category */
	uint8_t origin;		/* enum knmt_origin */
	uint32_t prot;		/* KNMT_PROT_* */
	uint64_t resident;	/* bytes */
	uint64_t faults;
	uint64_t age_ns;
	uint32_t tid;
	/*
	 * Backing file path, NULL if none.  Handed to a knmt_region_fn it
	 * points into the reply and is valid until the function returns;
	 * in an array of knmt_dump_regions_array() it belongs to the array.
	 */
	char *file;
	uint64_t pgoff;		/* file offset in bytes */
};

/* One fault site of a process (DUMP_FAULT_SITES). */
struct knmt_fault_site {
	uint64_t present;	/* KNMT_BIT(KNMT_A_SITE_*) */
	bool other;		/* the faults of the sites not kept: no ip */
	uint64_t ip;		/* user instruction pointer */
	uint64_t faults;
	uint64_t bytes;		/* made resident */
	uint8_t category;	/* of the last faulting address */
};

/*
 * One open socket (DUMP_SOCKETS), with the meaning ss(8) gives its
 * queues and buffers.  Addresses are raw, in network byte order: 4
 * bytes (AF_INET) or 16 (AF_INET6), *_addr_len 0 when not sent.  It has
 * no pointer: copy it freely.
 */
struct knmt_socket {
	uint64_t present;	/* KNMT_BIT(KNMT_A_SOCK_*) */
	uint32_t pid;		/* owner, in the caller's pid namespace */
	char comm[KNMT_COMM_MAX];
	uint64_t inode;		/* ss "ino" */
	uint16_t family;	/* AF_* */
	uint16_t type;		/* SOCK_* */
	uint16_t protocol;	/* IPPROTO_* (inet), else 0 */
	uint8_t state;		/* TCP_* state, as ss shows it */
	uint32_t flags;		/* KNMT_SOCK_F_* */
	uint64_t age_ns;	/* since created or accepted (F_APPROX: since
				 * knmt was loaded) */
	uint64_t state_age_ns;	/* time in state, if known */
	uint32_t recv_q, send_q;	/* ss Recv-Q, Send-Q */
	uint32_t rmem_alloc;	/* ss -m r */
	uint32_t rcvbuf;	/* rb */
	uint32_t wmem_alloc;	/* t */
	uint32_t sndbuf;	/* tb */
	uint32_t fwd_alloc;	/* f */
	uint32_t wmem_queued;	/* w */
	uint32_t rx_bytes;	/* received, unread */
	uint32_t tx_bytes;	/* sent, not released */
	uint32_t mem;		/* charged to it */
	uint8_t local_addr[16];
	uint8_t local_addr_len;		/* 0, 4 or 16 */
	uint16_t local_port;		/* host byte order */
	uint8_t remote_addr[16];
	uint8_t remote_addr_len;	/* 0, 4 or 16 */
	uint16_t remote_port;		/* host byte order */
};

/* Names users see: "tracepoint", "attached", ...; "unknown" otherwise. */
const char *knmt_hook_kind_str(unsigned int kind);
const char *knmt_hook_state_str(unsigned int state);
/* "heap", "stack", "arena", "offheap", "anon", "shmem", "file"; NULL otherwise. */
const char *knmt_category_name(unsigned int cat);
/* The enum knmt_category of a name above, or -1. */
int knmt_category_from_name(const char *name);
/* "none", "reserved", "stack", "offheap", "brk", "growsdown", "guessed"; NULL otherwise. */
const char *knmt_origin_name(unsigned int origin);
/* enum knmt_sock_family: "inet", "inet6", "unix", "other"; NULL otherwise. */
const char *knmt_sock_family_name(unsigned int fam);
/*
 * A TCP state (1 .. KNMT_TCP_STATES): "established", "syn_sent",
 * "syn_recv", "fin_wait_1", "fin_wait_2", "time_wait", "closed",
 * "close_wait", "last_ack", "listen", "closing", "new_syn_recv"; NULL
 * otherwise.
 */
const char *knmt_tcp_state_name(unsigned int state);

/* ---- commands ------------------------------------------------------ */

/* GET_STATUS.  Free with knmt_status_free() (also after a failure). */
int knmt_get_status(struct knmt *h, struct knmt_status *out);
void knmt_status_free(struct knmt_status *st);

/* GET_CONFIG. */
int knmt_get_config(struct knmt *h, struct knmt_config *out);
/* SET_CONFIG: sends the attributes marked in cfg->present. */
int knmt_set_config(struct knmt *h, const struct knmt_config *cfg);
/*
 * Mark one setting for knmt_set_config().  Several may be marked: they
 * go in one request.  A filter criterion of 0 or "" clears it.
 */
void knmt_config_set_offheap_min_bytes(struct knmt_config *cfg, uint64_t v);
/* 0 stops the fault summaries; the kernel refuses 1 .. 99 and more than
 * 3600000 (ERANGE). */
void knmt_config_set_events_fault_ms(struct knmt_config *cfg, uint32_t ms);
void knmt_config_set_filter_pid(struct knmt_config *cfg, uint32_t pid);
/* 0, or -KNMT_E_INVAL (cfg unchanged) for NULL or a name longer than
 * KNMT_FILTER_COMM_MAX. */
int knmt_config_set_filter_comm(struct knmt_config *cfg, const char *comm);
void knmt_config_set_filter_cgroup(struct knmt_config *cfg, uint64_t id);
/* Marks the three filter criteria cleared: every process is tracked. */
void knmt_config_clear_filter(struct knmt_config *cfg);

/*
 * Per-process requests.  Pids are in the caller's pid namespace; a pid
 * that names no process is the kernel's ESRCH (KNMT_E_KERNEL with
 * knmt_kernel_errno() == ESRCH).
 *
 * The dumps hand every decoded message to a function, which returns 0 or
 * a negative KNMT_E_* code to stop (the rest of the answer is read and
 * dropped, the code is returned).  The structure handed over is valid
 * until the function returns.  KNMT_E_INTR: the data changed during the
 * dump and what was handed over may be inconsistent; the *_array forms
 * run the dump again (three times at most) before returning it.
 */
typedef int (*knmt_proc_fn)(const struct knmt_proc_info *p, void *arg);
typedef int (*knmt_region_fn)(const struct knmt_region *r, void *arg);
typedef int (*knmt_site_fn)(const struct knmt_fault_site *s, void *arg);
typedef int (*knmt_socket_fn)(const struct knmt_socket *s, void *arg);

/* GET_PROC: one process. */
int knmt_get_proc(struct knmt *h, uint32_t pid, struct knmt_proc_info *out);
/* DUMP_PROCS: every tracked process. */
int knmt_dump_procs(struct knmt *h, knmt_proc_fn fn, void *arg);
/* DUMP_EXITS: the exit records kept, oldest first. */
int knmt_dump_exits(struct knmt *h, knmt_proc_fn fn, void *arg);
/* DUMP_REGIONS: the regions of one process, by address. */
int knmt_dump_regions(struct knmt *h, uint32_t pid, knmt_region_fn fn,
		      void *arg);
/* DUMP_FAULT_SITES: the fault sites of one process, then the "other" one. */
int knmt_dump_fault_sites(struct knmt *h, uint32_t pid, knmt_site_fn fn,
			  void *arg);
/*
 * DUMP_SOCKETS: the open sockets of process pid, or with pid 0 of every
 * tracked process (the request then carries no pid).
 */
int knmt_dump_sockets(struct knmt *h, uint32_t pid, knmt_socket_fn fn,
		      void *arg);

/*
 * The same dumps collected into arrays (in the kernel's order): *out is
 * NULL when *n is 0 and is freed with free(), regions with
 * knmt_regions_free().  On failure *out is NULL and *n 0.
 */
int knmt_dump_procs_array(struct knmt *h, struct knmt_proc_info **out,
			  size_t *n);
int knmt_dump_exits_array(struct knmt *h, struct knmt_proc_info **out,
			  size_t *n);
int knmt_dump_regions_array(struct knmt *h, uint32_t pid,
			    struct knmt_region **out, size_t *n);
void knmt_regions_free(struct knmt_region *regions, size_t n);
int knmt_dump_fault_sites_array(struct knmt *h, uint32_t pid,
				struct knmt_fault_site **out, size_t *n);
int knmt_dump_sockets_array(struct knmt *h, uint32_t pid,
			    struct knmt_socket **out, size_t *n);

/* ---- generic requests ---------------------------------------------- */

struct nl_msg;

/* Adds the request's attributes to msg; returns 0 or a negative KNMT_E_*. */
typedef int (*knmt_fill_fn)(struct nl_msg *msg, void *arg);
/*
 * Called for each reply message of the family (each part of a dump, each
 * multicast event), already checked to carry a generic netlink header of
 * the expected protocol version.  Returns 0 or a negative KNMT_E_* code;
 * a failure is kept as the request's result, the remaining replies are
 * still read (so the socket stays in sync) but no longer handed over.
 */
typedef int (*knmt_msg_fn)(const struct nlmsghdr *nlh, void *arg);

#define KNMT_REQ_DUMP	0x1	/* NLM_F_DUMP: multi-part reply until DONE */

/*
 * Sends command cmd (attributes from fill, may be NULL) and reads the
 * answer: every reply message goes to fn (may be NULL), the request ends
 * with the kernel's ACK, its error, or the end of the dump.
 */
int knmt_request(struct knmt *h, uint8_t cmd, unsigned int flags,
		 knmt_fill_fn fill, void *fill_arg, knmt_msg_fn fn, void *arg);

/* ---- multicast events ---------------------------------------------- */

struct knmt_events;

/*
 * One event (KNMT_A_EVBATCH_EVENT), decoded; what each type carries is
 * listed at enum knmt_event_type in <linux/knmt.h>, present tells what
 * was sent.  It has no pointer: copy it freely.
 */
struct knmt_event {
	uint64_t present;	/* KNMT_BIT(KNMT_A_EV_*) */
	uint64_t seq;		/* its number: the batch's seq + its index */
	uint8_t type;		/* enum knmt_event_type (a newer one: >= KNMT_EV_NR) */
	uint64_t time_ns;	/* boot-time clock */
	uint32_t pid;		/* initial pid namespace */
	uint32_t tid;
	char comm[KNMT_COMM_MAX];
	uint64_t start, len;		/* address, bytes */
	uint64_t old_start, old_len;	/* mremap: before; brk: old_start the old brk */
	uint8_t category;	/* enum knmt_category */
	uint8_t origin;		/* enum knmt_origin */
	uint64_t lifetime_ns;	/* offheap_free, sock_close */
	uint32_t exit_code;	/* as wait(2) reports it */
	uint32_t flags;		/* KNMT_PROC_F_* (exit), KNMT_SOCK_F_* (sock_open) */
	/* exit: the final breakdown (KNMT_A_EV_PROC); proc.present 0 if not sent */
	struct knmt_proc_info proc;
	uint64_t interval_ns;	/* faults: what the summary covers */
	/* faults: by enum knmt_category, bit c of faults_present: sent */
	uint32_t faults_present;
	uint64_t faults_minor[KNMT_CAT_NR];
	uint64_t faults_major[KNMT_CAT_NR];
	uint64_t sock_inode;
	uint16_t sock_family;	/* AF_* */
	uint16_t sock_type;	/* SOCK_* */
	uint16_t sock_protocol;	/* IPPROTO_* (inet) */
	uint8_t sock_state, sock_old_state;	/* TCP_* */
};

/*
 * The batch (KNMT_CMD_EVENTS message) an event came in, as the loss
 * accountant saw it.
 */
struct knmt_event_batch {
	uint64_t present;	/* KNMT_BIT(KNMT_A_EVBATCH_*) */
	uint64_t seq;		/* number of its first event */
	uint32_t count;		/* events in it */
	uint32_t index;		/* of the event handed over, 0 .. count - 1 */
	uint64_t lost;		/* KNMT_A_EVBATCH_LOST: events the kernel's
				 * rings dropped since the previous batch */
	uint64_t gap;		/* numbers missing just before it: events of
				 * batches not delivered to this socket */
};

/*
 * The loss accountant: what was received and lost since it was zeroed
 * (or knmt_event_loss_init()).  Events are numbered consecutively across
 * batches; a batch whose first number is past the next one expected
 * follows a gap of events that were not delivered (the socket's buffer
 * was full: recv fails with ENOBUFS once for those).  LOST counts the
 * events the kernel dropped before numbering them (its rings were full).
 */
struct knmt_event_loss {
	bool started;		/* a batch was seen: next_seq is expected */
	uint64_t next_seq;	/* the number expected next */
	uint64_t batches;	/* batches received */
	uint64_t events;	/* events received */
	uint64_t lost_ring;	/* sum of the batches' LOST */
	uint64_t lost_gaps;	/* numbers skipped: events not delivered */
	uint64_t enobufs;	/* times recv reported ENOBUFS */
	uint64_t restarts;	/* batches numbered below the next expected
				 * (the module was loaded again): counting
				 * restarted from them */
};

void knmt_event_loss_init(struct knmt_event_loss *loss);
/*
 * Accounts a batch of count events numbered from seq with lost: returns
 * the gap before it (0 for the first batch seen, and for a restart).
 */
uint64_t knmt_event_loss_batch(struct knmt_event_loss *loss, uint64_t seq,
			       uint32_t count, uint64_t lost);
/* lost_ring + lost_gaps. */
uint64_t knmt_event_loss_total(const struct knmt_event_loss *loss);

/*
 * "exec", "exit", "oom_victim", "mmap", "munmap", "mremap", "brk",
 * "offheap_alloc", "offheap_free", "faults", "sock_open", "sock_close",
 * "sock_state"; NULL for a type not below KNMT_EV_NR.
 */
const char *knmt_event_type_name(unsigned int type);
/* The enum knmt_event_type of a name above, or -1. */
int knmt_event_type_from_name(const char *name);

/*
 * Called for every event of a batch, in order, with its batch (index
 * set); a batch without events that reports losses (lost or gap) is
 * handed over once with e NULL, so that every loss is seen.  Returns 0
 * to go on, KNMT_EVENTS_STOP to stop reading (the rest of the batch is
 * not handed over, the read returns normally), or a negative KNMT_E_*
 * to stop with that error.
 */
typedef int (*knmt_event_fn)(const struct knmt_event *e,
			     const struct knmt_event_batch *b, void *arg);
#define KNMT_EVENTS_STOP	1

/*
 * Opens a second socket joined to the "events" group (needs
 * CAP_SYS_ADMIN: KNMT_E_PERM otherwise; events carry the initial pid
 * namespace's pids, and are refused in any other: KNMT_E_PIDNS).
 * Errors of this call and of the
 * knmt_events_*() calls below are reported through h, which must stay
 * open as long as the subscription.
 */
int knmt_events_open(struct knmt *h, struct knmt_events **evp);
/* File descriptor to poll for POLLIN. */
int knmt_events_fd(const struct knmt_events *ev);
/*
 * Reads what is queued (blocking if nothing is, unless the socket was
 * made non-blocking with nonblock) and hands each message to fn.
 * Returns the number of messages handed over or a negative KNMT_E_*;
 * KNMT_E_OVERRUN means the kernel dropped messages for this socket: the
 * stream goes on, and the events' own sequence numbers tell how many.
 */
int knmt_events_recv(struct knmt_events *ev, knmt_msg_fn fn, void *arg);
int knmt_events_nonblock(struct knmt_events *ev, bool nonblock);
/*
 * Reads batches and hands their events to fn (see knmt_event_fn),
 * accounting each batch in loss (which must not be NULL): one batch
 * when the subscription blocks (waiting for it), every batch queued
 * when it does not (knmt_events_nonblock()).  The kernel's ENOBUFS is
 * counted in loss->enobufs and reading goes on: the events lost show as
 * a gap before the next batch.  Returns the number of events handed
 * over (0: nothing was queued) or a negative KNMT_E_* (KNMT_E_PROTO for
 * a malformed batch, which is accounted if its numbers were readable).
 */
int knmt_events_read(struct knmt_events *ev, struct knmt_event_loss *loss,
		     knmt_event_fn fn, void *arg);
void knmt_events_close(struct knmt_events *ev);

#ifdef __cplusplus
}
#endif

#endif /* KNMT_H */
