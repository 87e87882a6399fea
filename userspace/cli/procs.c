// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt CLI: what the per-process commands share (see procs.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "procs.h"
#include "units.h"

int procs_parse_pid(struct cli *cli, const struct cli_command *cmd,
		    const char *s, uint32_t *pid)
{
	unsigned long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		goto bad;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v == 0 || v > PID_MAX_LIMIT)
		goto bad;
	*pid = (uint32_t)v;
	return 0;
bad:
	return cli_usage_error(cli, cmd, "'%s' is not a pid (1 .. %u)",
			       s ? s : "", PID_MAX_LIMIT);
}

int procs_parse_one_pid(struct cli *cli, const struct cli_command *cmd,
			const char *s, uint32_t *pid)
{
	if (*pid)
		return cli_usage_error(cli, cmd, "one -p PID only");
	return procs_parse_pid(cli, cmd, s, pid);
}

int procs_parse_count(struct cli *cli, const struct cli_command *cmd,
		      const char *opt, const char *s, size_t *n)
{
	unsigned long long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		goto bad;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v == 0 || v > SIZE_MAX)
		goto bad;
	*n = (size_t)v;
	return 0;
bad:
	return cli_usage_error(cli, cmd, "%s: '%s' is not a count (1 or more)",
			       opt, s ? s : "");
}

int procs_fetch(struct cli *cli,
		int (*dump)(struct knmt *h, struct knmt_proc_info **out,
			    size_t *n),
		struct knmt_proc_info **procs, size_t *n)
{
	struct knmt *h;
	int ret, err;

	ret = cli_connect(cli, &h);
	if (ret)
		return ret;
	err = dump(h, procs, n);
	ret = err ? cli_report(cli, h, err) : CLI_EXIT_OK;
	knmt_close(h);
	return ret;
}

uint64_t procs_resident(const struct knmt_proc_info *p)
{
	uint64_t sum = 0;
	unsigned int c;

	for (c = 0; c < KNMT_CAT_NR; c++)
		sum += p->categories[c].resident;
	return sum;
}

uint64_t procs_native_total(const struct knmt_proc_info *p)
{
	return procs_resident(p) + p->pagetables + p->kstacks + p->sockets.mem;
}

uint64_t procs_rss(const struct knmt_proc_info *p)
{
	return p->rss_anon + p->rss_file + p->rss_shmem;
}

bool procs_sampled(const struct knmt_proc_info *p)
{
	unsigned int c;

	for (c = 0; c < KNMT_CAT_NR; c++)
		if (p->categories[c].present)
			return true;
	return false;
}

struct out_val procs_time(struct cli *cli, uint64_t boot_ns, bool present)
{
	int64_t off, wall;

	if (!present || !boot_ns)
		return out_null(OUT_TIME);
	off = cli->clock_offset ? cli->clock_offset()
				: units_boot_to_real_offset();
	wall = (int64_t)boot_ns + off;
	return wall > 0 ? out_time((uint64_t)wall) : out_null(OUT_TIME);
}

struct out_val procs_flags(struct out_doc *doc, uint32_t flags)
{
	static const struct { uint32_t bit; const char *name; } names[] = {
		{ KNMT_PROC_F_APPROX, "approx" },
		{ KNMT_PROC_F_EXITED, "exited" },
		{ KNMT_PROC_F_OOM_VICTIM, "oom_victim" },
		{ KNMT_PROC_F_NO_MM, "no_mm" },
	};
	struct out_val v[sizeof(names) / sizeof(names[0])];
	size_t i, n = 0;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (flags & names[i].bit)
			v[n++] = out_str(names[i].name);
	return out_list(doc, v, n);
}

const char *procs_exit_status(struct out_doc *doc, bool has_code,
			      uint32_t code, uint32_t flags)
{
	int st = (int)code;
	bool oom = (flags & KNMT_PROC_F_OOM_VICTIM) != 0;

	if (!has_code)
		return oom ? "OOM-killed" : NULL;
	if (WIFSIGNALED(st)) {
		const char *sig;

		if (oom && WTERMSIG(st) == SIGKILL)
			return "OOM-killed";
		sig = sigabbrev_np(WTERMSIG(st));
		if (sig)
			return out_printf(doc, "%skilled by SIG%s%s",
					  oom ? "OOM victim, " : "", sig,
					  WCOREDUMP(st) ? " (core dumped)" : "");
		return out_printf(doc, "%skilled by signal %d%s",
				  oom ? "OOM victim, " : "", WTERMSIG(st),
				  WCOREDUMP(st) ? " (core dumped)" : "");
	}
	return out_printf(doc, "%sexited %d", oom ? "OOM victim, " : "",
			  WEXITSTATUS(st));
}

const char *procs_top_categories(struct out_doc *doc,
				 const struct knmt_proc_info *p, unsigned int n)
{
	bool used[KNMT_CAT_NR] = { false };
	char buf[256] = "";
	size_t len = 0;
	unsigned int k, c;

	for (k = 0; k < n && k < KNMT_CAT_NR; k++) {
		int best = -1;
		char b[32];

		for (c = 0; c < KNMT_CAT_NR; c++)
			if (!used[c] && p->categories[c].resident &&
			    (best < 0 || p->categories[c].resident >
					 p->categories[best].resident))
				best = (int)c;
		if (best < 0)
			break;
		used[best] = true;
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s %s",
					k ? ", " : "",
					knmt_category_name((unsigned int)best),
					units_format_bytes(p->categories[best].resident,
							   b, sizeof(b)));
		if (len >= sizeof(buf))
			break;
	}
	return buf[0] ? out_printf(doc, "%s", buf) : NULL;
}

/* ss's names, by the kernel's numbers (include/net/tcp_states.h). */
static const char *const tcp_state_labels[KNMT_TCP_STATES + 1] = {
	[1]  = "ESTAB",
	[2]  = "SYN-SENT",
	[3]  = "SYN-RECV",
	[4]  = "FIN-WAIT-1",
	[5]  = "FIN-WAIT-2",
	[6]  = "TIME-WAIT",
	[7]  = "UNCONN",
	[8]  = "CLOSE-WAIT",
	[9]  = "LAST-ACK",
	[10] = "LISTEN",
	[11] = "CLOSING",
	[12] = "NEW-SYN-RECV",
};

const char *procs_tcp_state_label(unsigned int state)
{
	return state <= KNMT_TCP_STATES ? tcp_state_labels[state] : NULL;
}

/* 4^i ms compactly: "1ms", "256ms", "1.0s", "1m05s", "17m28s". */
static const char *lifetime_bound(char *buf, size_t len, unsigned int i)
{
	uint64_t ms = UINT64_C(1) << (2 * i);
	char human[32];
	size_t r, w = 0;

	if (ms < 1000) {
		snprintf(buf, len, "%" PRIu64 "ms", ms);
		return buf;
	}
	units_format_ns(ms * 1000000, human, sizeof(human));
	for (r = 0; human[r] && w + 1 < len; r++)
		if (human[r] != ' ')
			buf[w++] = human[r];
	buf[w] = '\0';
	return buf;
}

/* Bucket i: lifetimes < 4^i ms, the last one >= 4^(i-1) ms. */
const char *procs_lifetime_label(struct out_doc *doc, unsigned int i)
{
	char b[32];

	if (i + 1 == KNMT_LIFETIME_BUCKETS)
		return out_printf(doc, ">=%s", lifetime_bound(b, sizeof(b), i - 1));
	return out_printf(doc, "<%s", lifetime_bound(b, sizeof(b), i));
}

/* ---- the JSON object of a process ------------------------------------- */

enum {
	PJ_PID, PJ_COMM, PJ_FLAGS, PJ_START, PJ_SAMPLED,
	PJ_CAT,
	PJ_PAGETABLES = PJ_CAT + KNMT_CAT_NR * 6, PJ_KSTACKS, PJ_SOCKBUFS,
	PJ_RSS_ANON, PJ_RSS_FILE, PJ_RSS_SHMEM, PJ_RSS_SWAP, PJ_PEAK_RSS,
	PJ_THREADS,
	PJ_OH_LIVE_COUNT, PJ_OH_LIVE_BYTES, PJ_OH_ALLOC_COUNT,
	PJ_OH_ALLOC_BYTES, PJ_OH_FREED_COUNT, PJ_OH_FREED_BYTES,
	PJ_OH_LIFETIME,
	/* "sockets": null, or left out for the object of the keys below */
	PJ_SK, PJ_SK_OPEN,
	PJ_SK_FAMILY,
	PJ_SK_STATE = PJ_SK_FAMILY + KNMT_SOCK_FAM_NR,	/* states 1 .. 12 */
	PJ_SK_CLOSE_WAIT = PJ_SK_STATE + KNMT_TCP_STATES,
	PJ_SK_CW_AGE, PJ_SK_OLDEST, PJ_SK_RX, PJ_SK_TX, PJ_SK_MEM,
	PJ_SK_OPENED, PJ_SK_ACCEPTED, PJ_SK_CLOSED, PJ_SK_ORPHANS,
	PJ_SK_DESTROYED, PJ_SK_UNTRACKED, PJ_SK_LIFETIME, PJ_SK_OPEN_RATE,
	PJ_SK_CLOSE_RATE,
	PJ_UNACCOUNTED, PJ_NATIVE_TOTAL,
	PJ_COUNT,
	PJ_EXIT_TIME = PJ_COUNT, PJ_EXIT_CODE, PJ_OOM_VICTIM,
	PJ_EXIT_COUNT
};

#define CAT_COLS(name)							  \
	{ "categories." name ".mapped_bytes", "", OUT_JSON },		  \
	{ "categories." name ".resident_bytes", "", OUT_JSON },		  \
	{ "categories." name ".regions", "", OUT_JSON },		  \
	{ "categories." name ".faults_minor", "", OUT_JSON },		  \
	{ "categories." name ".faults_major", "", OUT_JSON },		  \
	{ "categories." name ".peak_mapped_bytes", "", OUT_JSON }

#define SK(key)	{ "sockets." key, "", OUT_JSON }

/* JSON keys are a contract (userspace/README.md): change none. */
const struct out_col procs_json_cols[PJ_EXIT_COUNT] = {
	{ "pid", "", OUT_JSON },
	{ "comm", "", OUT_JSON },
	{ "flags", "", OUT_JSON },
	{ "start_time", "", OUT_JSON },
	{ "sampled_time", "", OUT_JSON },
	/* in enum knmt_category order */
	CAT_COLS("heap"), CAT_COLS("stack"), CAT_COLS("arena"),
	CAT_COLS("offheap"), CAT_COLS("anon"), CAT_COLS("shmem"),
	CAT_COLS("file"),
	[PJ_PAGETABLES] = { "kernel.pagetables_bytes", "", OUT_JSON },
	{ "kernel.kstacks_bytes", "", OUT_JSON },
	{ "kernel.sockbufs_bytes", "", OUT_JSON },
	{ "rss.anon_bytes", "", OUT_JSON },
	{ "rss.file_bytes", "", OUT_JSON },
	{ "rss.shmem_bytes", "", OUT_JSON },
	{ "rss.swap_bytes", "", OUT_JSON },
	{ "peak_rss_bytes", "", OUT_JSON },
	{ "threads", "", OUT_JSON },
	{ "offheap.live_count", "", OUT_JSON },
	{ "offheap.live_bytes", "", OUT_JSON },
	{ "offheap.allocated_count", "", OUT_JSON },
	{ "offheap.allocated_bytes", "", OUT_JSON },
	{ "offheap.freed_count", "", OUT_JSON },
	{ "offheap.freed_bytes", "", OUT_JSON },
	{ "offheap.lifetime_histogram", "", OUT_JSON },
	[PJ_SK] = { "sockets", "", OUT_JSON },
	SK("open"),
	/* in enum knmt_sock_family order */
	SK("by_family.inet"), SK("by_family.inet6"), SK("by_family.unix"),
	SK("by_family.other"),
	/* TCP states 1 .. 12, as knmt_tcp_state_name() */
	SK("by_state.established"), SK("by_state.syn_sent"),
	SK("by_state.syn_recv"), SK("by_state.fin_wait_1"),
	SK("by_state.fin_wait_2"), SK("by_state.time_wait"),
	SK("by_state.closed"), SK("by_state.close_wait"),
	SK("by_state.last_ack"), SK("by_state.listen"),
	SK("by_state.closing"), SK("by_state.new_syn_recv"),
	[PJ_SK_CLOSE_WAIT] = SK("close_wait"),
	SK("oldest_age_s"),
	SK("oldest_open_age_s"),
	SK("rx_queued_bytes"),
	SK("tx_queued_bytes"),
	SK("mem_bytes"),
	SK("opened_total"),
	SK("accepted_total"),
	SK("closed_total"),
	SK("orphans"),
	SK("destroyed_total"),
	SK("untracked_total"),
	SK("lifetime_histogram"),
	SK("opens_per_s"),
	SK("closes_per_s"),
	[PJ_UNACCOUNTED] = { "unaccounted_bytes", "", OUT_JSON },
	{ "native_total_bytes", "", OUT_JSON },
	{ "exit_time", "", OUT_JSON },
	{ "exit_code", "", OUT_JSON },
	{ "oom_victim", "", OUT_JSON },
};

#undef SK

_Static_assert(KNMT_SOCK_FAM_INET == 0 && KNMT_SOCK_FAM_INET6 == 1 &&
	       KNMT_SOCK_FAM_UNIX == 2 && KNMT_SOCK_FAM_OTHER == 3 &&
	       KNMT_SOCK_FAM_NR == 4 && KNMT_TCP_STATES == 12,
	       "procs_json_cols lists the families and TCP states in order");
_Static_assert(PJ_SK_CLOSE_RATE + 1 == PJ_UNACCOUNTED,
	       "procs_json_cols names every socket key");

_Static_assert(KNMT_CAT_HEAP == 0 && KNMT_CAT_STACK == 1 &&
	       KNMT_CAT_ARENA == 2 && KNMT_CAT_OFFHEAP == 3 &&
	       KNMT_CAT_ANON == 4 && KNMT_CAT_SHMEM == 5 &&
	       KNMT_CAT_FILE == 6 && KNMT_CAT_NR == 7,
	       "procs_json_cols lists the categories in enum order");

/* v when attr is in present, else null. */
static struct out_val opt(uint64_t present, int attr, struct out_val v)
{
	return (present & KNMT_BIT(attr)) ? v : out_null(v.type);
}

/* A histogram of KNMT_LIFETIME_BUCKETS, null buckets for those not sent. */
static struct out_val histogram(struct out_doc *doc, uint32_t present,
				const uint64_t *v)
{
	struct out_val h[KNMT_LIFETIME_BUCKETS];
	unsigned int i;

	for (i = 0; i < KNMT_LIFETIME_BUCKETS; i++)
		h[i] = (present & (1U << i)) ? out_count(v[i]) : out_null(OUT_COUNT);
	return out_list(doc, h, KNMT_LIFETIME_BUCKETS);
}

/*
 * The object "sockets" of a process: null when the module sent none,
 * else every key, null for what the nest left out; a counter of the
 * family or TCP state nests that was left out is 0.
 */
static void sockets_json(struct out_doc *doc, struct out_table *t, size_t row,
			 const struct knmt_socks_info *k)
{
	const uint64_t pr = k->present;
	bool fam = KNMT_HAS(k, KNMT_A_SOCKS_FAMILY);
	bool st = KNMT_HAS(k, KNMT_A_SOCKS_TCP_STATE);
	size_t c;

	if (!pr) {
		out_cell(t, row, PJ_SK, out_null(OUT_STR));
		for (c = PJ_SK_OPEN; c <= PJ_SK_CLOSE_RATE; c++)
			out_cell(t, row, c, out_omit());
		return;
	}
	out_cell(t, row, PJ_SK, out_omit());
	out_cell(t, row, PJ_SK_OPEN, opt(pr, KNMT_A_SOCKS_OPEN, out_count(k->open)));
	for (c = 0; c < KNMT_SOCK_FAM_NR; c++)
		out_cell(t, row, PJ_SK_FAMILY + c, fam ? out_count(k->by_family[c])
						       : out_null(OUT_COUNT));
	for (c = 1; c <= KNMT_TCP_STATES; c++)
		out_cell(t, row, PJ_SK_STATE + c - 1, st ? out_count(k->tcp_state[c])
							 : out_null(OUT_COUNT));
	/* TCP_CLOSE_WAIT is 8 */
	out_cell(t, row, PJ_SK_CLOSE_WAIT, st ? out_count(k->tcp_state[8])
					      : out_null(OUT_COUNT));
	out_cell(t, row, PJ_SK_CW_AGE, opt(pr, KNMT_A_SOCKS_CLOSE_WAIT_AGE_NS,
			out_real((double)k->close_wait_age_ns / 1e9)));
	out_cell(t, row, PJ_SK_OLDEST, opt(pr, KNMT_A_SOCKS_OLDEST_AGE_NS,
			out_real((double)k->oldest_age_ns / 1e9)));
	out_cell(t, row, PJ_SK_RX, opt(pr, KNMT_A_SOCKS_RX_QUEUED,
					   out_bytes(k->rx_queued)));
	out_cell(t, row, PJ_SK_TX, opt(pr, KNMT_A_SOCKS_TX_QUEUED,
					   out_bytes(k->tx_queued)));
	out_cell(t, row, PJ_SK_MEM, opt(pr, KNMT_A_SOCKS_MEM, out_bytes(k->mem)));
	out_cell(t, row, PJ_SK_OPENED, opt(pr, KNMT_A_SOCKS_OPENED,
					       out_count(k->opened)));
	out_cell(t, row, PJ_SK_ACCEPTED, opt(pr, KNMT_A_SOCKS_ACCEPTED,
						 out_count(k->accepted)));
	out_cell(t, row, PJ_SK_CLOSED, opt(pr, KNMT_A_SOCKS_CLOSED,
					       out_count(k->closed)));
	out_cell(t, row, PJ_SK_ORPHANS, opt(pr, KNMT_A_SOCKS_ORPHANS,
						out_count(k->orphans)));
	out_cell(t, row, PJ_SK_DESTROYED, opt(pr, KNMT_A_SOCKS_DESTROYED,
						  out_count(k->destroyed)));
	out_cell(t, row, PJ_SK_UNTRACKED, opt(pr, KNMT_A_SOCKS_UNTRACKED,
						  out_count(k->untracked)));
	out_cell(t, row, PJ_SK_LIFETIME, KNMT_HAS(k, KNMT_A_SOCKS_LIFETIME) ?
		 histogram(doc, k->lifetime_present, k->lifetime) :
		 out_null(OUT_LIST));
	out_cell(t, row, PJ_SK_OPEN_RATE, opt(pr, KNMT_A_SOCKS_OPEN_RATE,
			out_real((double)k->open_rate / 1000.0)));
	out_cell(t, row, PJ_SK_CLOSE_RATE, opt(pr, KNMT_A_SOCKS_CLOSE_RATE,
			out_real((double)k->close_rate / 1000.0)));
}

size_t procs_json_ncols(bool exits)
{
	return exits ? PJ_EXIT_COUNT : PJ_COUNT;
}



void procs_json_row(struct cli *cli, struct out_doc *doc, struct out_table *t,
		    size_t row, const struct knmt_proc_info *p)
{
	const uint64_t pr = p->present;
	const struct knmt_offheap_info *o = &p->offheap;
	unsigned int c;

	if (!t)
		return;
	out_cell(t, row, PJ_PID, out_count(p->pid));
	out_cell(t, row, PJ_COMM, opt(pr, KNMT_A_PROC_COMM, out_str(p->comm)));
	/* always an array: empty when none is set (or none was sent) */
	out_cell(t, row, PJ_FLAGS, procs_flags(doc, p->flags));
	out_cell(t, row, PJ_START, procs_time(cli, p->start_ns,
					      KNMT_HAS(p, KNMT_A_PROC_START_NS)));
	out_cell(t, row, PJ_SAMPLED, procs_time(cli, p->sampled_ns,
						KNMT_HAS(p, KNMT_A_PROC_SAMPLED_NS)));
	for (c = 0; c < KNMT_CAT_NR; c++) {
		const struct knmt_cat_info *ci = &p->categories[c];
		size_t col = PJ_CAT + c * 6;

		out_cell(t, row, col, opt(ci->present, KNMT_A_CAT_MAPPED,
					  out_bytes(ci->mapped)));
		out_cell(t, row, col + 1, opt(ci->present, KNMT_A_CAT_RESIDENT,
					      out_bytes(ci->resident)));
		out_cell(t, row, col + 2, opt(ci->present, KNMT_A_CAT_REGIONS,
					      out_count(ci->regions)));
		out_cell(t, row, col + 3, opt(ci->present, KNMT_A_CAT_FAULTS_MINOR,
					      out_count(ci->faults_minor)));
		out_cell(t, row, col + 4, opt(ci->present, KNMT_A_CAT_FAULTS_MAJOR,
					      out_count(ci->faults_major)));
		out_cell(t, row, col + 5, opt(ci->present, KNMT_A_CAT_PEAK_MAPPED,
					      out_bytes(ci->peak_mapped)));
	}
	out_cell(t, row, PJ_PAGETABLES, opt(pr, KNMT_A_PROC_PAGETABLES,
					    out_bytes(p->pagetables)));
	out_cell(t, row, PJ_KSTACKS, opt(pr, KNMT_A_PROC_KSTACKS,
					 out_bytes(p->kstacks)));
	out_cell(t, row, PJ_RSS_ANON, opt(pr, KNMT_A_PROC_RSS_ANON,
					  out_bytes(p->rss_anon)));
	out_cell(t, row, PJ_RSS_FILE, opt(pr, KNMT_A_PROC_RSS_FILE,
					  out_bytes(p->rss_file)));
	out_cell(t, row, PJ_RSS_SHMEM, opt(pr, KNMT_A_PROC_RSS_SHMEM,
					   out_bytes(p->rss_shmem)));
	out_cell(t, row, PJ_RSS_SWAP, opt(pr, KNMT_A_PROC_RSS_SWAP,
					  out_bytes(p->rss_swap)));
	out_cell(t, row, PJ_PEAK_RSS, opt(pr, KNMT_A_PROC_PEAK_RSS,
					  out_bytes(p->peak_rss)));
	out_cell(t, row, PJ_THREADS, opt(pr, KNMT_A_PROC_THREADS,
					 out_count(p->threads)));
	out_cell(t, row, PJ_OH_LIVE_COUNT, opt(o->present, KNMT_A_OFFHEAP_LIVE_COUNT,
					       out_count(o->live_count)));
	out_cell(t, row, PJ_OH_LIVE_BYTES, opt(o->present, KNMT_A_OFFHEAP_LIVE_BYTES,
					       out_bytes(o->live_bytes)));
	out_cell(t, row, PJ_OH_ALLOC_COUNT, opt(o->present, KNMT_A_OFFHEAP_ALLOC_COUNT,
						out_count(o->alloc_count)));
	out_cell(t, row, PJ_OH_ALLOC_BYTES, opt(o->present, KNMT_A_OFFHEAP_ALLOC_BYTES,
						out_bytes(o->alloc_bytes)));
	out_cell(t, row, PJ_OH_FREED_COUNT, opt(o->present, KNMT_A_OFFHEAP_FREED_COUNT,
						out_count(o->freed_count)));
	out_cell(t, row, PJ_OH_FREED_BYTES, opt(o->present, KNMT_A_OFFHEAP_FREED_BYTES,
						out_bytes(o->freed_bytes)));
	out_cell(t, row, PJ_OH_LIFETIME, KNMT_HAS(o, KNMT_A_OFFHEAP_LIFETIME) ?
		 histogram(doc, o->lifetime_present, o->lifetime) :
		 out_null(OUT_LIST));
	out_cell(t, row, PJ_SOCKBUFS, opt(p->sockets.present, KNMT_A_SOCKS_MEM,
					  out_bytes(p->sockets.mem)));
	sockets_json(doc, t, row, &p->sockets);
	out_cell(t, row, PJ_UNACCOUNTED, opt(pr, KNMT_A_PROC_UNACCOUNTED,
					     out_sbytes(p->unaccounted)));
	out_cell(t, row, PJ_NATIVE_TOTAL,
		 procs_sampled(p) ? out_bytes(procs_native_total(p))
				  : out_null(OUT_BYTES));
	if (t->ncols < PJ_EXIT_COUNT)
		return;
	out_cell(t, row, PJ_EXIT_TIME, procs_time(cli, p->exit_ns,
						  KNMT_HAS(p, KNMT_A_PROC_EXIT_NS)));
	out_cell(t, row, PJ_EXIT_CODE, opt(pr, KNMT_A_PROC_EXIT_CODE,
					   out_count(p->exit_code)));
	out_cell(t, row, PJ_OOM_VICTIM,
		 out_bool((p->flags & KNMT_PROC_F_OOM_VICTIM) != 0));
}
