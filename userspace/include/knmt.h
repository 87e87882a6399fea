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
 *    knmt_set_config) returning decoded structures;
 *  - a generic request helper (knmt_request) for "do" requests and
 *    NLM_F_DUMP requests with multi-part replies, which every command,
 *    present and future, is built on;
 *  - a multicast subscription (knmt_events_*) to the "events" group.
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
	size_t n_hooks;
	struct knmt_hook *hooks;
};

struct knmt_config {
	uint64_t present;	/* KNMT_BIT(KNMT_A_CONFIG_*) */
	uint64_t offheap_min_bytes;
	uint32_t procs_max;
};

/* Names users see: "tracepoint", "attached", ...; "unknown" otherwise. */
const char *knmt_hook_kind_str(unsigned int kind);
const char *knmt_hook_state_str(unsigned int state);

/* ---- commands ------------------------------------------------------ */

/* GET_STATUS.  Free with knmt_status_free() (also after a failure). */
int knmt_get_status(struct knmt *h, struct knmt_status *out);
void knmt_status_free(struct knmt_status *st);

/* GET_CONFIG. */
int knmt_get_config(struct knmt *h, struct knmt_config *out);
/* SET_CONFIG: sends the attributes marked in cfg->present. */
int knmt_set_config(struct knmt *h, const struct knmt_config *cfg);
/* Mark one setting for knmt_set_config(). */
void knmt_config_set_offheap_min_bytes(struct knmt_config *cfg, uint64_t v);

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
 * Opens a second socket joined to the "events" group (needs
 * CAP_SYS_ADMIN: KNMT_E_PERM otherwise).  Errors of this call and of the
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
void knmt_events_close(struct knmt_events *ev);

#ifdef __cplusplus
}
#endif

#endif /* KNMT_H */
