/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * knmt CLI: what the per-process commands (summary, regions, faults,
 * exits) share: arguments, sums, times and the JSON object of a process.
 */
#ifndef KNMT_CLI_PROCS_H
#define KNMT_CLI_PROCS_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "output.h"

/* The largest pid Linux hands out (PID_MAX_LIMIT on 64-bit). */
#define PID_MAX_LIMIT	4194304U

/* A pid: decimal, 1 .. PID_MAX_LIMIT; 0 or a usage error. */
int procs_parse_pid(struct cli *cli, const struct cli_command *cmd,
		    const char *s, uint32_t *pid);
/* The same for a -p that may be given once (*pid 0 until it is). */
int procs_parse_one_pid(struct cli *cli, const struct cli_command *cmd,
			const char *s, uint32_t *pid);
/* A count for -n: decimal, >= 1; 0 or a usage error. */
int procs_parse_count(struct cli *cli, const struct cli_command *cmd,
		      const char *opt, const char *s, size_t *n);

/*
 * Connects and runs dump (knmt_dump_procs_array, knmt_dump_exits_array)
 * into *procs (the caller frees it) and *n; returns an exit code, the
 * failure explained.
 */
int procs_fetch(struct cli *cli,
		int (*dump)(struct knmt *h, struct knmt_proc_info **out,
			    size_t *n),
		struct knmt_proc_info **procs, size_t *n);

/* Sum of the categories' resident bytes. */
uint64_t procs_resident(const struct knmt_proc_info *p);
/*
 * Native total: resident in the categories + page tables + kernel stacks
 * + socket buffers (KNMT_A_SOCKS_MEM, when sent).
 */
uint64_t procs_native_total(const struct knmt_proc_info *p);
/* The kernel's RSS: anon + file + shmem. */
uint64_t procs_rss(const struct knmt_proc_info *p);
/* True when the process has a breakdown (any category was sent). */
bool procs_sampled(const struct knmt_proc_info *p);

/* A boot-time clock value as a wall-clock time; null when !present or 0. */
struct out_val procs_time(struct cli *cli, uint64_t boot_ns, bool present);

/* "approx", "exited", "oom_victim", "no_mm" for the flags set. */
struct out_val procs_flags(struct out_doc *doc, uint32_t flags);

/*
 * How a process ended, from its exit code (as wait(2) reports it) and
 * KNMT_PROC_F_* flags: "exited 0", "killed by SIGSEGV (core dumped)",
 * "OOM-killed" (a victim of the OOM killer killed by SIGKILL), "OOM
 * victim, exited 1"; without the code "OOM-killed" for a victim, else
 * NULL.
 */
const char *procs_exit_status(struct out_doc *doc, bool has_code,
			      uint32_t code, uint32_t flags);

/* The n largest categories: "offheap 1.2 GiB, heap 300 MiB"; NULL if none. */
const char *procs_top_categories(struct out_doc *doc,
				 const struct knmt_proc_info *p, unsigned int n);

/*
 * sockets.c: a socket's family ("inet", "inet6", "unix", else
 * "af<N>"), type ("stream", "dgram", "seqpacket", "raw", "rdm", else
 * "type<N>"), inet protocol ("tcp", "udp", ..., else its number) and
 * netid as ss names it ("tcp", "u_str", "nl", ..., else
 * "family/type").
 */
const char *sockets_family_name(struct out_doc *doc, unsigned int family);
const char *sockets_type_name(struct out_doc *doc, unsigned int type);
const char *sockets_protocol_name(struct out_doc *doc, unsigned int proto);
const char *sockets_netid(struct out_doc *doc, unsigned int family,
			  unsigned int type, unsigned int protocol);

/*
 * A TCP state as ss shows it: "ESTAB", "SYN-SENT", "SYN-RECV",
 * "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT", "UNCONN" (TCP_CLOSE),
 * "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING", "NEW-SYN-RECV"; NULL
 * for a state not in 1 .. KNMT_TCP_STATES.
 */
const char *procs_tcp_state_label(unsigned int state);

/* 4^i ms as a bucket's label: "<1ms", "<4ms" ... "<17m28s", ">=17m28s". */
const char *procs_lifetime_label(struct out_doc *doc, unsigned int i);

/*
 * The columns of a process object in JSON: every key of the contract in
 * userspace/README.md, and with exits the keys of an exit record
 * (exit_time, exit_code, oom_victim) too.
 */
extern const struct out_col procs_json_cols[];
size_t procs_json_ncols(bool exits);

/* Fills row of t (made with procs_json_cols) with p. */
void procs_json_row(struct cli *cli, struct out_doc *doc, struct out_table *t,
		    size_t row, const struct knmt_proc_info *p);

#endif /* KNMT_CLI_PROCS_H */
