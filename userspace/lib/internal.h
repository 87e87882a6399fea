/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libknmt internals, shared by the library's files and its unit tests
 * (which drive the decoders and the request machinery without a kernel).
 */
#ifndef KNMT_INTERNAL_H
#define KNMT_INTERNAL_H

#include <stdarg.h>
#include <sys/socket.h>

#include <netlink/netlink.h>
#include <netlink/attr.h>

#include "knmt.h"

#define KNMT_EXTACK_MAX	256
#define KNMT_DETAIL_MAX	256
/* Longest wait for the next message of an answer. */
#define KNMT_REPLY_TIMEOUT_S	10

/* How requests reach the kernel; tests replace both to play the kernel. */
struct knmt_transport {
	/* Sends a completed request (seq and port already set). */
	int (*send)(struct knmt *h, struct nl_msg *msg);
	/* libnl's recv override (nl_cb_overwrite_recv), NULL for the socket. */
	int (*recv)(struct nl_sock *sk, struct sockaddr_nl *nla,
		    unsigned char **buf, struct ucred **creds);
	/*
	 * Joins the connected event socket sk to group: 0 or a negative
	 * libnl error (-NLE_PERM without CAP_SYS_ADMIN); NULL for
	 * nl_socket_add_membership().
	 */
	int (*join)(struct nl_sock *sk, uint32_t group);
};

struct knmt {
	struct nl_sock *sk;
	int family;
	uint32_t events_grp;
	struct knmt_transport tr;

	/* last error */
	int err;			/* enum knmt_error */
	int kerrno;			/* kernel errno, positive */
	long extack_off;		/* NLMSGERR_ATTR_OFFS or -1 */
	char extack[KNMT_EXTACK_MAX];
	char detail[KNMT_DETAIL_MAX];	/* what went wrong, in words */
	char msg[KNMT_EXTACK_MAX + KNMT_DETAIL_MAX + 128];
};

/* ---- handle / errors (handle.c) ------------------------------------ */

/* A handle with no socket; the caller sets sk/family/transport. */
struct knmt *knmt_alloc(void);
void knmt_clear_error(struct knmt *h);
/* Records an error with a printf-style detail; returns -err. */
int knmt_fail(struct knmt *h, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Records a kernel answer (negative or positive errno) plus extack. */
int knmt_fail_kernel(struct knmt *h, int kerrno, const char *what);

/* ---- extended ACK (extack.c) --------------------------------------- */

struct knmt_nlerr {
	int error;			/* errno, positive; 0 for an ACK */
	long offset;			/* NLMSGERR_ATTR_OFFS or -1 */
	char msg[KNMT_EXTACK_MAX];	/* NLMSGERR_ATTR_MSG or "" */
};

/*
 * Decodes an NLMSG_ERROR message (error or ACK) and, when the kernel
 * sent them (NLM_F_ACK_TLVS), its TLVs; works with and without
 * NLM_F_CAPPED.  len is how many bytes of the message were received.
 * Returns 0, or -1 if the message is too short to be an NLMSG_ERROR.
 */
int knmt_nlerr_parse(const struct nlmsghdr *nlh, size_t len,
		     struct knmt_nlerr *out);
/*
 * Same for an NLMSG_DONE message ending a dump: its payload is an int
 * (0 or a negative errno) followed by TLVs when NLM_F_ACK_TLVS is set.
 */
int knmt_nldone_parse(const struct nlmsghdr *nlh, size_t len,
		      struct knmt_nlerr *out);

/* ---- attribute decoding (attr.c) ----------------------------------- */

/* The expected type of an attribute, by attribute number. */
struct knmt_attr_desc {
	const char *name;	/* "KNMT_A_STATUS_MEM_BYTES"; NULL: unused slot */
	int type;		/* NLA_U8, U16, U32, U64, STRING, NESTED or UNSPEC */
	bool required;		/* a reply without it is malformed */
};

struct knmt_attr_set {
	const char *name;			/* "status" */
	int maxtype;
	const struct knmt_attr_desc *desc;	/* maxtype + 1 entries */
	struct nla_policy *policy;		/* maxtype + 1 entries */
};

/*
 * Parses a stream of attributes into tb (maxtype + 1 slots) with the
 * set's policy.  Attributes past maxtype (newer modules) are ignored;
 * wrongly sized ones, strings without their NUL and bytes left over after
 * the last attribute are errors, described in why.  Returns 0 or -1.
 */
int knmt_attrs_parse(const struct knmt_attr_set *set, struct nlattr **tb,
		     struct nlattr *head, int len, char *why, size_t whylen);

/*
 * Checks a reply's netlink and generic netlink headers: length and
 * protocol version.  Returns 0, -KNMT_E_PROTO or -KNMT_E_VERSION with why.
 */
int knmt_genl_check(const struct nlmsghdr *nlh, char *why, size_t whylen);

/* KNMT_BIT(t) for every tb[t] set. */
uint64_t knmt_present_bits(struct nlattr *const *tb, int maxtype);
/* strdup of a validated string attribute; NULL for a NULL nla. */
char *knmt_attr_strdup(const struct nlattr *nla);
/* The value of a validated attribute, 0 for a NULL nla. */
uint64_t knmt_nla_u64(const struct nlattr *nla);
int64_t knmt_nla_s64(const struct nlattr *nla);
uint32_t knmt_nla_u32(const struct nlattr *nla);
uint8_t knmt_nla_u8(const struct nlattr *nla);

/* ---- decoders (status.c, config.c) --------------------------------- */

/*
 * Decode one reply message into out (which the decoder fills from zero).
 * Return 0 or a negative KNMT_E_* code with why filled in.
 */
int knmt_status_decode(const struct nlmsghdr *nlh, struct knmt_status *out,
		       char *why, size_t whylen);
int knmt_config_decode(const struct nlmsghdr *nlh, struct knmt_config *out,
		       char *why, size_t whylen);
/* Encoder of SET_CONFIG attributes (a knmt_fill_fn). */
int knmt_config_fill(struct nl_msg *msg, void *cfg);

/* ---- per-process decoders (proc.c, region.c, site.c, socket.c) ------- */

/*
 * A process message (GET_PROC, DUMP_PROCS, DUMP_EXITS).  Category nests
 * may come in any order; unknown category ids, lifetime buckets past
 * KNMT_LIFETIME_BUCKETS, socket families past KNMT_SOCK_FAM_NR and TCP
 * states past KNMT_TCP_STATES are ignored.
 */
int knmt_proc_decode(const struct nlmsghdr *nlh, struct knmt_proc_info *out,
		     char *why, size_t whylen);
/*
 * The same from the process attributes alone (head, len): the body of a
 * process message, or a nest of them (KNMT_A_EV_PROC).
 */
int knmt_proc_decode_attrs(struct nlattr *head, int len,
			   struct knmt_proc_info *out, char *why, size_t whylen);
/* A DUMP_REGIONS message; out->file points into the message. */
int knmt_region_decode(const struct nlmsghdr *nlh, struct knmt_region *out,
		       char *why, size_t whylen);
/* A DUMP_FAULT_SITES message. */
int knmt_site_decode(const struct nlmsghdr *nlh, struct knmt_fault_site *out,
		     char *why, size_t whylen);
/* A DUMP_SOCKETS message (socket.c); addresses of 4 or 16 bytes only. */
int knmt_socket_decode(const struct nlmsghdr *nlh, struct knmt_socket *out,
		       char *why, size_t whylen);
/* Encoder of KNMT_A_PROC_PID (a knmt_fill_fn; arg is a uint32_t *). */
int knmt_pid_fill(struct nl_msg *msg, void *pid);
/* Runs a dump (with KNMT_A_PROC_PID if pid), each message to fn. */
int knmt_dump_run(struct knmt *h, uint8_t cmd, const uint32_t *pid,
		  knmt_msg_fn fn, void *arg);
/*
 * What a caller's function returned (0 or a negative KNMT_E_*); when it
 * says stop and left no error in h, records one.
 */
int knmt_caller_stop(struct knmt *h, int ret);
/* How many times the *_array dumps run when interrupted (KNMT_E_INTR). */
#define KNMT_DUMP_TRIES	3

/* ---- the *_array dumps (collect.c) ---------------------------------- */

/* A growing array of items of one type, for a dump's items. */
struct knmt_vec {
	struct knmt *h;			/* set by knmt_collect() */
	void *v;
	size_t n, cap;
	size_t size;			/* of an item */
	size_t first_cap;		/* items of the first allocation */
	const char *what;		/* "processes", for the error */
	void (*release)(void *item);	/* frees what an item owns, or NULL */
};

/*
 * Appends a copy of item; returns where it went, or NULL with
 * KNMT_E_NOMEM recorded in vec->h.
 */
void *knmt_vec_push(struct knmt_vec *vec, const void *item);
/*
 * Runs the dump (knmt_dump_run()) into vec, emptied first, up to
 * KNMT_DUMP_TRIES times while interrupted; fn is to push each item.
 * Returns 0 with the items in vec, or a negative KNMT_E_* code with vec
 * freed; vec->v is NULL and vec->n 0 when nothing was collected.
 */
int knmt_collect(struct knmt *h, struct knmt_vec *vec, uint8_t cmd,
		 const uint32_t *pid, knmt_msg_fn fn, void *arg);

/* ---- events (events.c) ---------------------------------------------- */

/*
 * One event nest (KNMT_A_EVBATCH_EVENT) into out (filled from zero, its
 * seq left 0): TYPE is required, a process nest is decoded as a process
 * message, fault nests of unknown categories are ignored.
 */
int knmt_event_decode(struct nlattr *nest, struct knmt_event *out,
		      char *why, size_t whylen);
/*
 * The numbers of a KNMT_CMD_EVENTS message into b (index and gap 0):
 * SEQ and COUNT are required, COUNT must be the number of event nests
 * (which are decoded one by one with knmt_event_decode()).  Returns 0
 * or a negative KNMT_E_* with why.
 */
int knmt_evbatch_decode(const struct nlmsghdr *nlh,
			struct knmt_event_batch *b, char *why, size_t whylen);

/* ---- request machinery (request.c) --------------------------------- */

/* Default transport: nl_send_auto on h->sk. */
int knmt_send_socket(struct knmt *h, struct nl_msg *msg);

#endif /* KNMT_INTERNAL_H */
