// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt summary: one line per tracked process (DUMP_PROCS), or with -p
 * the breakdown of one or more processes (GET_PROC), as Java's native
 * memory tracking prints it.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "procs.h"
#include "summary.h"
#include "units.h"

static const struct cli_command cli_cmd_summary;

/* ---- sorting --------------------------------------------------------- */

enum sort_kind { SK_TOTAL, SK_RESIDENT, SK_RSS, SK_CAT, SK_PAGETABLES,
		 SK_THREADS, SK_SOCKETS, SK_PID, SK_COMM };

struct sort_key {
	const char *name;
	enum sort_kind kind;
	unsigned int cat;	/* SK_CAT */
};

static const struct sort_key sort_keys[] = {
	{ "total", SK_TOTAL, 0 },
	{ "resident", SK_RESIDENT, 0 },
	{ "rss", SK_RSS, 0 },
	{ "offheap", SK_CAT, KNMT_CAT_OFFHEAP },
	{ "stack", SK_CAT, KNMT_CAT_STACK },
	{ "arena", SK_CAT, KNMT_CAT_ARENA },
	{ "heap", SK_CAT, KNMT_CAT_HEAP },
	{ "anon", SK_CAT, KNMT_CAT_ANON },
	{ "shmem", SK_CAT, KNMT_CAT_SHMEM },
	{ "file", SK_CAT, KNMT_CAT_FILE },
	{ "pagetables", SK_PAGETABLES, 0 },
	{ "threads", SK_THREADS, 0 },
	{ "sockets", SK_SOCKETS, 0 },
	{ "pid", SK_PID, 0 },
	{ "comm", SK_COMM, 0 },
};

#define N_SORT_KEYS (sizeof(sort_keys) / sizeof(sort_keys[0]))

static uint64_t sort_value(const struct knmt_proc_info *p,
			   const struct sort_key *k)
{
	switch (k->kind) {
	case SK_TOTAL:		return procs_native_total(p);
	case SK_RESIDENT:	return procs_resident(p);
	case SK_RSS:		return procs_rss(p);
	case SK_CAT:		return p->categories[k->cat].resident;
	case SK_PAGETABLES:	return p->pagetables;
	case SK_THREADS:	return p->threads;
	case SK_SOCKETS:	return p->sockets.open;
	case SK_PID:
	case SK_COMM:
		break;
	}
	return 0;
}

/* Largest first; pids and names in ascending order; ties by pid. */
static int proc_cmp(const void *a, const void *b, void *arg)
{
	const struct knmt_proc_info *x = a, *y = b;
	const struct sort_key *k = arg;
	int r = 0;

	if (k->kind == SK_COMM) {
		r = strcmp(x->comm, y->comm);
	} else if (k->kind != SK_PID) {
		uint64_t vx = sort_value(x, k), vy = sort_value(y, k);

		r = vx > vy ? -1 : vx < vy;
	}
	if (r)
		return r;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static const struct sort_key *find_sort_key(const char *name)
{
	size_t i;

	for (i = 0; i < N_SORT_KEYS; i++)
		if (strcmp(sort_keys[i].name, name) == 0)
			return &sort_keys[i];
	return NULL;
}

/* ---- the list of processes ------------------------------------------------ */

enum {
	SC_PID, SC_COMM, SC_RSS,
	SC_CAT,			/* one column per category, in enum order */
	SC_PGTBL = SC_CAT + KNMT_CAT_NR, SC_KSTK, SC_TOTAL, SC_SOCK, SC_COUNT
};

static const struct out_col summary_cols[SC_COUNT] = {
	[SC_PID]		   = { "pid",	  "pid",     OUT_TEXT },
	[SC_COMM]		   = { "comm",	  "comm",    OUT_TEXT },
	[SC_RSS]		   = { "rss",	  "rss",     OUT_TEXT },
	[SC_CAT + KNMT_CAT_HEAP]   = { "heap",	  "heap",    OUT_TEXT },
	[SC_CAT + KNMT_CAT_STACK]  = { "stack",	  "stack",   OUT_TEXT },
	[SC_CAT + KNMT_CAT_ARENA]  = { "arena",	  "arena",   OUT_TEXT },
	[SC_CAT + KNMT_CAT_OFFHEAP] = { "offheap", "offheap", OUT_TEXT },
	[SC_CAT + KNMT_CAT_ANON]   = { "anon",	  "anon",    OUT_TEXT },
	[SC_CAT + KNMT_CAT_SHMEM]  = { "shmem",	  "shmem",   OUT_TEXT },
	[SC_CAT + KNMT_CAT_FILE]   = { "file",	  "file",    OUT_TEXT },
	[SC_PGTBL]		   = { "pgtbl",	  "pgtbl",   OUT_TEXT },
	[SC_KSTK]		   = { "kstk",	  "kstk",    OUT_TEXT },
	[SC_TOTAL]		   = { "total",	  "total",   OUT_TEXT },
	[SC_SOCK]		   = { "sock",	  "sock",    OUT_TEXT },
};

/* Sums over every process, shown as the last line and as "totals". */
struct totals {
	uint64_t procs, threads;
	uint64_t rss[4];		/* anon, file, shmem, swap */
	uint64_t mapped[KNMT_CAT_NR], resident[KNMT_CAT_NR];
	uint64_t regions[KNMT_CAT_NR];
	uint64_t minor[KNMT_CAT_NR], major[KNMT_CAT_NR];
	uint64_t pagetables, kstacks;
	uint64_t oh_live_count, oh_live_bytes;
	uint64_t sock_open, sockbufs;
	int64_t unaccounted;
	uint64_t native;
};

static void add_totals(struct totals *t, const struct knmt_proc_info *p)
{
	unsigned int c;

	t->procs++;
	t->threads += p->threads;
	t->rss[0] += p->rss_anon;
	t->rss[1] += p->rss_file;
	t->rss[2] += p->rss_shmem;
	t->rss[3] += p->rss_swap;
	for (c = 0; c < KNMT_CAT_NR; c++) {
		const struct knmt_cat_info *ci = &p->categories[c];

		t->mapped[c] += ci->mapped;
		t->resident[c] += ci->resident;
		t->regions[c] += ci->regions;
		t->minor[c] += ci->faults_minor;
		t->major[c] += ci->faults_major;
	}
	t->pagetables += p->pagetables;
	t->kstacks += p->kstacks;
	t->oh_live_count += p->offheap.live_count;
	t->oh_live_bytes += p->offheap.live_bytes;
	t->sock_open += p->sockets.open;
	t->sockbufs += p->sockets.mem;
	t->unaccounted += p->unaccounted;
	t->native += procs_native_total(p);
}

#define TOTAL_CAT_KEYS(name) {						\
	"totals.categories." name ".mapped_bytes",			\
	"totals.categories." name ".resident_bytes",			\
	"totals.categories." name ".regions",				\
	"totals.categories." name ".faults_minor",			\
	"totals.categories." name ".faults_major" }

/* JSON keys are a contract (userspace/README.md): change none. */
static const char *const total_cat_keys[KNMT_CAT_NR][5] = {
	TOTAL_CAT_KEYS("heap"), TOTAL_CAT_KEYS("stack"),
	TOTAL_CAT_KEYS("arena"), TOTAL_CAT_KEYS("offheap"),
	TOTAL_CAT_KEYS("anon"), TOTAL_CAT_KEYS("shmem"),
	TOTAL_CAT_KEYS("file"),
};

static void totals_json(struct out_doc *doc, const struct totals *t)
{
	unsigned int c;

	out_field(doc, "totals.processes", "", OUT_JSON, out_count(t->procs));
	out_field(doc, "totals.threads", "", OUT_JSON, out_count(t->threads));
	out_field(doc, "totals.rss.anon_bytes", "", OUT_JSON, out_bytes(t->rss[0]));
	out_field(doc, "totals.rss.file_bytes", "", OUT_JSON, out_bytes(t->rss[1]));
	out_field(doc, "totals.rss.shmem_bytes", "", OUT_JSON, out_bytes(t->rss[2]));
	out_field(doc, "totals.rss.swap_bytes", "", OUT_JSON, out_bytes(t->rss[3]));
	for (c = 0; c < KNMT_CAT_NR; c++) {
		out_field(doc, total_cat_keys[c][0], "", OUT_JSON, out_bytes(t->mapped[c]));
		out_field(doc, total_cat_keys[c][1], "", OUT_JSON, out_bytes(t->resident[c]));
		out_field(doc, total_cat_keys[c][2], "", OUT_JSON, out_count(t->regions[c]));
		out_field(doc, total_cat_keys[c][3], "", OUT_JSON, out_count(t->minor[c]));
		out_field(doc, total_cat_keys[c][4], "", OUT_JSON, out_count(t->major[c]));
	}
	out_field(doc, "totals.kernel.pagetables_bytes", "", OUT_JSON,
		  out_bytes(t->pagetables));
	out_field(doc, "totals.kernel.kstacks_bytes", "", OUT_JSON,
		  out_bytes(t->kstacks));
	out_field(doc, "totals.kernel.sockbufs_bytes", "", OUT_JSON,
		  out_bytes(t->sockbufs));
	out_field(doc, "totals.offheap.live_count", "", OUT_JSON,
		  out_count(t->oh_live_count));
	out_field(doc, "totals.offheap.live_bytes", "", OUT_JSON,
		  out_bytes(t->oh_live_bytes));
	out_field(doc, "totals.sockets.open", "", OUT_JSON,
		  out_count(t->sock_open));
	out_field(doc, "totals.unaccounted_bytes", "", OUT_JSON,
		  out_sbytes(t->unaccounted));
	out_field(doc, "totals.native_total_bytes", "", OUT_JSON,
		  out_bytes(t->native));
}

static struct out_val has_bytes(const struct knmt_proc_info *p, int attr,
				uint64_t v)
{
	return KNMT_HAS(p, attr) ? out_bytes(v) : out_null(OUT_BYTES);
}

static void list_row(struct out_doc *doc, struct out_table *t, size_t r,
		     const struct knmt_proc_info *p)
{
	unsigned int c;

	out_cell(t, r, SC_PID, out_count(p->pid));
	/* approximate breakdowns are marked; the note says why */
	out_cell(t, r, SC_COMM, out_str((p->flags & KNMT_PROC_F_APPROX) ?
					out_printf(doc, "%s*", p->comm) : p->comm));
	out_cell(t, r, SC_RSS, has_bytes(p, KNMT_A_PROC_RSS_ANON, procs_rss(p)));
	for (c = 0; c < KNMT_CAT_NR; c++) {
		const struct knmt_cat_info *ci = &p->categories[c];

		out_cell(t, r, SC_CAT + c, KNMT_HAS(ci, KNMT_A_CAT_RESIDENT) ?
			 out_bytes(ci->resident) : out_null(OUT_BYTES));
	}
	out_cell(t, r, SC_PGTBL, has_bytes(p, KNMT_A_PROC_PAGETABLES, p->pagetables));
	out_cell(t, r, SC_KSTK, has_bytes(p, KNMT_A_PROC_KSTACKS, p->kstacks));
	out_cell(t, r, SC_TOTAL, procs_sampled(p) ? out_bytes(procs_native_total(p))
						  : out_null(OUT_BYTES));
	out_cell(t, r, SC_SOCK, KNMT_HAS(&p->sockets, KNMT_A_SOCKS_OPEN) ?
		 out_count(p->sockets.open) : out_null(OUT_COUNT));
}

static void totals_row(struct out_doc *doc, struct out_table *t, size_t r,
		       const struct totals *tot)
{
	unsigned int c;

	out_cell(t, r, SC_PID, out_null(OUT_COUNT));
	out_cell(t, r, SC_COMM, out_str(out_printf(doc, "total of %" PRIu64,
						   tot->procs)));
	out_cell(t, r, SC_RSS, out_bytes(tot->rss[0] + tot->rss[1] + tot->rss[2]));
	for (c = 0; c < KNMT_CAT_NR; c++)
		out_cell(t, r, SC_CAT + c, out_bytes(tot->resident[c]));
	out_cell(t, r, SC_PGTBL, out_bytes(tot->pagetables));
	out_cell(t, r, SC_KSTK, out_bytes(tot->kstacks));
	out_cell(t, r, SC_TOTAL, out_bytes(tot->native));
	out_cell(t, r, SC_SOCK, out_count(tot->sock_open));
}

/* JSON: the process objects with the key "cgroup" added (report) */
#define CGROUP_COLS_MAX	256
static struct out_col cgroup_cols[CGROUP_COLS_MAX];

void summary_add_list(struct cli *cli, struct out_doc *doc,
		      const struct knmt_proc_info *procs, size_t n, size_t shown,
		      char *const *cgroups)
{
	size_t ncols = procs_json_ncols(false);
	struct totals tot = { 0 };
	struct out_table *j;
	size_t i;

	for (i = 0; i < n; i++)
		add_totals(&tot, &procs[i]);
	if (shown > n)
		shown = n;
	/* JSON: the processes shown, then the totals of every process */
	if (cgroups && ncols < CGROUP_COLS_MAX) {
		memcpy(cgroup_cols, procs_json_cols, ncols * sizeof(cgroup_cols[0]));
		cgroup_cols[ncols] = (struct out_col){ "cgroup", "cgroup", OUT_JSON };
		j = out_table(doc, "processes", NULL, cgroup_cols, ncols + 1, shown);
		for (i = 0; j && i < shown; i++) {
			procs_json_row(cli, doc, j, i, &procs[i]);
			out_cell(j, i, ncols, out_str(cgroups[i]));
		}
	} else {
		j = out_table(doc, "processes", NULL, procs_json_cols, ncols, shown);
		for (i = 0; i < shown; i++)
			procs_json_row(cli, doc, j, i, &procs[i]);
	}
	totals_json(doc, &tot);
	/* text: a table, the totals as its last line */
	if (n) {
		struct out_table *t = out_table(doc, NULL, NULL, summary_cols,
						SC_COUNT, shown + 1);
		bool approx = false;

		for (i = 0; t && i < shown; i++) {
			list_row(doc, t, i, &procs[i]);
			approx |= (procs[i].flags & KNMT_PROC_F_APPROX) != 0;
		}
		if (t)
			totals_row(doc, t, shown, &tot);
		if (approx)
			out_text(doc, "* started before knmt was loaded: categories inferred");
	} else {
		out_text(doc, "no process is tracked");
	}
}

void summary_sort(struct knmt_proc_info *procs, size_t n)
{
	if (n)
		qsort_r(procs, n, sizeof(*procs), proc_cmp, (void *)&sort_keys[0]);
}

static int summary_list(struct cli *cli, const struct sort_key *key,
			size_t top)
{
	struct knmt_proc_info *procs = NULL;
	struct out_doc doc;
	size_t n = 0;
	int ret;

	ret = procs_fetch(cli, knmt_dump_procs_array, &procs, &n);
	if (ret)
		return ret;

	if (n)
		qsort_r(procs, n, sizeof(*procs), proc_cmp, (void *)key);
	out_init(&doc);
	/* a thousand processes: build only what will be printed */
	doc.only = cli->json ? OUT_JSON : OUT_TEXT;
	summary_add_list(cli, &doc, procs, n, top && top < n ? top : n, NULL);
	ret = cli_render(cli, &doc, "the summary");
	out_free(&doc);
	free(procs);
	return ret;
}

/* ---- one process in detail --------------------------------------------------- */

enum { CC_NAME, CC_MAPPED, CC_RESIDENT, CC_REGIONS, CC_MINOR, CC_MAJOR,
       CC_PEAK, CC_COUNT };

static const struct out_col cat_cols[CC_COUNT] = {
	[CC_NAME]     = { "category", "category",     OUT_TEXT },
	[CC_MAPPED]   = { "mapped",   "mapped",       OUT_TEXT },
	[CC_RESIDENT] = { "resident", "resident",     OUT_TEXT },
	[CC_REGIONS]  = { "regions",  "regions",      OUT_TEXT },
	[CC_MINOR]    = { "minor",    "minor faults", OUT_TEXT },
	[CC_MAJOR]    = { "major",    "major faults", OUT_TEXT },
	[CC_PEAK]     = { "peak",     "peak mapped",  OUT_TEXT },
};

enum { LC_LIFETIME, LC_FREED, LC_COUNT };

static const struct out_col lifetime_cols[LC_COUNT] = {
	[LC_LIFETIME] = { "lifetime", "lifetime", OUT_TEXT },
	[LC_FREED]    = { "freed",    "buffers",  OUT_TEXT },
};

static struct out_val buffers(struct out_doc *doc,
			      const struct knmt_offheap_info *o,
			      int count_attr, uint64_t count,
			      int bytes_attr, uint64_t bytes)
{
	char c[32] = "-", b[32] = "-";

	if (!KNMT_HAS(o, count_attr) && !KNMT_HAS(o, bytes_attr))
		return out_null(OUT_STR);
	if (KNMT_HAS(o, count_attr))
		snprintf(c, sizeof(c), "%" PRIu64, count);
	if (KNMT_HAS(o, bytes_attr))
		units_format_bytes(bytes, b, sizeof(b));
	return out_str(out_printf(doc, "%s buffer%s, %s", c,
				  count == 1 ? "" : "s", b));
}

/* opens or closes per second x 1000: "1.5", "0.001", "12" */
static const char *rate_text(char *buf, size_t len, uint32_t milli)
{
	size_t n;

	snprintf(buf, len, "%u.%03u", milli / 1000, milli % 1000);
	n = strlen(buf);
	while (n && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n && buf[n - 1] == '.')
		buf[--n] = '\0';
	return buf;
}

enum { SLC_LIFETIME, SLC_CLOSED, SLC_COUNT };

static const struct out_col sock_lifetime_cols[SLC_COUNT] = {
	[SLC_LIFETIME] = { "lifetime", "lifetime", OUT_TEXT },
	[SLC_CLOSED]   = { "closed",   "sockets",  OUT_TEXT },
};

/* "6 (inet 1, inet6 2, unix 3)": the open ones, by family when sent. */
static const char *socks_open_text(struct out_doc *doc,
				   const struct knmt_socks_info *k)
{
	char buf[160] = "";
	size_t n = 0;
	unsigned int f;

	for (f = 0; f < KNMT_SOCK_FAM_NR && n < sizeof(buf); f++)
		if ((k->family_present & (1U << f)) && k->by_family[f])
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s %u",
					      n ? ", " : "", knmt_sock_family_name(f),
					      k->by_family[f]);
	if (!KNMT_HAS(k, KNMT_A_SOCKS_OPEN))
		return buf[0] ? out_printf(doc, "- (%s)", buf) : NULL;
	if (!buf[0])
		return out_printf(doc, "%u", k->open);
	return out_printf(doc, "%u (%s)", k->open, buf);
}

/* "ESTAB 3, CLOSE-WAIT 1, LISTEN 2": the TCP states with sockets in them. */
static const char *socks_states_text(struct out_doc *doc,
				     const struct knmt_socks_info *k)
{
	char buf[256] = "";
	size_t n = 0;
	unsigned int st;

	if (!KNMT_HAS(k, KNMT_A_SOCKS_TCP_STATE))
		return NULL;
	for (st = 1; st <= KNMT_TCP_STATES && n < sizeof(buf); st++)
		if (k->tcp_state[st])
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s %u",
					      n ? ", " : "", procs_tcp_state_label(st),
					      k->tcp_state[st]);
	return out_printf(doc, "%s", buf[0] ? buf : "none");
}

/* "1, the oldest for 5m 00s": TCP_CLOSE_WAIT (8) sockets. */
static const char *socks_close_wait_text(struct out_doc *doc,
					 const struct knmt_socks_info *k)
{
	char age[32];

	if (!KNMT_HAS(k, KNMT_A_SOCKS_TCP_STATE))
		return NULL;
	if (!k->tcp_state[8] || !KNMT_HAS(k, KNMT_A_SOCKS_CLOSE_WAIT_AGE_NS))
		return out_printf(doc, "%u", k->tcp_state[8]);
	return out_printf(doc, "%u, the oldest for %s", k->tcp_state[8],
			  units_format_ns(k->close_wait_age_ns, age, sizeof(age)));
}

static struct out_val socks_val(const struct knmt_socks_info *k, int attr,
				struct out_val v)
{
	return KNMT_HAS(k, attr) ? v : out_null(v.type);
}

/* The sockets of a process: what is open, what it holds, what came and went. */
static void socks_text(struct out_doc *doc, const struct knmt_socks_info *k)
{
	char a[32], b[32];
	struct out_table *t;
	unsigned int i;

	if (!k->present) {
		out_text(doc, "\nsockets: not tracked");
		return;
	}
	out_text(doc, "\nsockets:");
	out_field(doc, "open", "open", OUT_TEXT, out_str(socks_open_text(doc, k)));
	out_field(doc, "tcp", "tcp states", OUT_TEXT,
		  out_str(socks_states_text(doc, k)));
	out_field(doc, "close_wait", "close-wait", OUT_TEXT,
		  out_str(socks_close_wait_text(doc, k)));
	out_field(doc, "oldest", "oldest open", OUT_TEXT,
		  socks_val(k, KNMT_A_SOCKS_OLDEST_AGE_NS, out_nsec(k->oldest_age_ns)));
	out_field(doc, "queued", "queued", OUT_TEXT,
		  out_str(KNMT_HAS(k, KNMT_A_SOCKS_RX_QUEUED) &&
			  KNMT_HAS(k, KNMT_A_SOCKS_TX_QUEUED) ?
			  out_printf(doc, "rx %s, tx %s",
				     units_format_bytes(k->rx_queued, a, sizeof(a)),
				     units_format_bytes(k->tx_queued, b, sizeof(b)))
			  : NULL));
	out_field(doc, "memory", "memory", OUT_TEXT,
		  socks_val(k, KNMT_A_SOCKS_MEM, out_bytes(k->mem)));
	out_field(doc, "opened", "opened", OUT_TEXT,
		  out_str(!KNMT_HAS(k, KNMT_A_SOCKS_OPENED) ? NULL :
			  !KNMT_HAS(k, KNMT_A_SOCKS_ACCEPTED) ?
			  out_printf(doc, "%" PRIu64, k->opened) :
			  out_printf(doc, "%" PRIu64 " (%" PRIu64 " accepted)",
				     k->opened, k->accepted)));
	out_field(doc, "closed", "closed", OUT_TEXT,
		  socks_val(k, KNMT_A_SOCKS_CLOSED, out_count(k->closed)));
	out_field(doc, "destroyed", "destroyed", OUT_TEXT,
		  socks_val(k, KNMT_A_SOCKS_DESTROYED, out_count(k->destroyed)));
	out_field(doc, "orphans", "orphans", OUT_TEXT,
		  socks_val(k, KNMT_A_SOCKS_ORPHANS, out_count(k->orphans)));
	out_field(doc, "untracked", "untracked", OUT_TEXT,
		  socks_val(k, KNMT_A_SOCKS_UNTRACKED, out_count(k->untracked)));
	out_field(doc, "rate", "per second", OUT_TEXT,
		  out_str(KNMT_HAS(k, KNMT_A_SOCKS_OPEN_RATE) &&
			  KNMT_HAS(k, KNMT_A_SOCKS_CLOSE_RATE) ?
			  out_printf(doc, "%s opened, %s closed",
				     rate_text(a, sizeof(a), k->open_rate),
				     rate_text(b, sizeof(b), k->close_rate))
			  : NULL));
	if (!KNMT_HAS(k, KNMT_A_SOCKS_LIFETIME))
		return;
	t = out_table(doc, NULL, "socket lifetimes (closed sockets)",
		      sock_lifetime_cols, SLC_COUNT, KNMT_LIFETIME_BUCKETS);
	for (i = 0; t && i < KNMT_LIFETIME_BUCKETS; i++) {
		out_cell(t, i, SLC_LIFETIME, out_str(procs_lifetime_label(doc, i)));
		out_cell(t, i, SLC_CLOSED, (k->lifetime_present & (1U << i)) ?
			 out_count(k->lifetime[i]) : out_null(OUT_COUNT));
	}
}

static const char *rss_text(struct out_doc *doc, const struct knmt_proc_info *p)
{
	char t[32], a[32], f[32], s[32], w[32];

	if (!KNMT_HAS(p, KNMT_A_PROC_RSS_ANON))
		return NULL;
	return out_printf(doc, "%s (anon %s, file %s, shmem %s, swap %s)",
			  units_format_bytes(procs_rss(p), t, sizeof(t)),
			  units_format_bytes(p->rss_anon, a, sizeof(a)),
			  units_format_bytes(p->rss_file, f, sizeof(f)),
			  units_format_bytes(p->rss_shmem, s, sizeof(s)),
			  KNMT_HAS(p, KNMT_A_PROC_RSS_SWAP) ?
			  units_format_bytes(p->rss_swap, w, sizeof(w)) : "-");
}

static struct out_val cat_val(const struct knmt_cat_info *ci, int attr,
			      struct out_val v)
{
	return KNMT_HAS(ci, attr) ? v : out_null(v.type);
}

static void proc_text(struct cli *cli, struct out_doc *doc,
		      const struct knmt_proc_info *p)
{
	const struct knmt_offheap_info *o = &p->offheap;
	struct out_table *t;
	unsigned int c;

	out_text(doc, "Native memory of %" PRIu32 " (%s)", p->pid, p->comm);
	if (p->flags & KNMT_PROC_F_APPROX)
		out_text(doc, "approximate: started before knmt was loaded: categories inferred");
	if (p->flags & KNMT_PROC_F_NO_MM)
		out_text(doc, "the address space is already gone");
	if (!procs_sampled(p))
		out_text(doc, "no breakdown taken yet");
	out_field(doc, "total", "total", OUT_TEXT,
		  procs_sampled(p) ? out_bytes(procs_native_total(p))
				   : out_null(OUT_BYTES));
	out_field(doc, "rss", "rss", OUT_TEXT, out_str(rss_text(doc, p)));
	out_field(doc, "peak_rss", "peak rss", OUT_TEXT,
		  has_bytes(p, KNMT_A_PROC_PEAK_RSS, p->peak_rss));
	out_field(doc, "threads", "threads", OUT_TEXT,
		  KNMT_HAS(p, KNMT_A_PROC_THREADS) ? out_count(p->threads)
						   : out_null(OUT_COUNT));
	out_field(doc, "started", "started", OUT_TEXT,
		  procs_time(cli, p->start_ns, KNMT_HAS(p, KNMT_A_PROC_START_NS)));
	out_field(doc, "sampled", "sampled", OUT_TEXT,
		  procs_time(cli, p->sampled_ns, KNMT_HAS(p, KNMT_A_PROC_SAMPLED_NS)));

	t = out_table(doc, NULL, "categories", cat_cols, CC_COUNT, KNMT_CAT_NR);
	for (c = 0; t && c < KNMT_CAT_NR; c++) {
		const struct knmt_cat_info *ci = &p->categories[c];

		out_cell(t, c, CC_NAME, out_str(knmt_category_name(c)));
		out_cell(t, c, CC_MAPPED, cat_val(ci, KNMT_A_CAT_MAPPED,
						  out_bytes(ci->mapped)));
		out_cell(t, c, CC_RESIDENT, cat_val(ci, KNMT_A_CAT_RESIDENT,
						    out_bytes(ci->resident)));
		out_cell(t, c, CC_REGIONS, cat_val(ci, KNMT_A_CAT_REGIONS,
						   out_count(ci->regions)));
		out_cell(t, c, CC_MINOR, cat_val(ci, KNMT_A_CAT_FAULTS_MINOR,
						 out_count(ci->faults_minor)));
		out_cell(t, c, CC_MAJOR, cat_val(ci, KNMT_A_CAT_FAULTS_MAJOR,
						 out_count(ci->faults_major)));
		out_cell(t, c, CC_PEAK, cat_val(ci, KNMT_A_CAT_PEAK_MAPPED,
						out_bytes(ci->peak_mapped)));
	}

	out_text(doc, "\nkernel:");
	out_field(doc, "pagetables", "page tables", OUT_TEXT,
		  has_bytes(p, KNMT_A_PROC_PAGETABLES, p->pagetables));
	out_field(doc, "kstacks", "kernel stacks", OUT_TEXT,
		  has_bytes(p, KNMT_A_PROC_KSTACKS, p->kstacks));
	out_field(doc, "sockbufs", "socket buffers", OUT_TEXT,
		  socks_val(&p->sockets, KNMT_A_SOCKS_MEM, out_bytes(p->sockets.mem)));

	if (!o->present) {
		out_text(doc, "\noffheap: not tracked");
	} else {
		out_text(doc, "\noffheap:");
		out_field(doc, "live", "live", OUT_TEXT,
			  buffers(doc, o, KNMT_A_OFFHEAP_LIVE_COUNT, o->live_count,
				  KNMT_A_OFFHEAP_LIVE_BYTES, o->live_bytes));
		out_field(doc, "allocated", "allocated", OUT_TEXT,
			  buffers(doc, o, KNMT_A_OFFHEAP_ALLOC_COUNT, o->alloc_count,
				  KNMT_A_OFFHEAP_ALLOC_BYTES, o->alloc_bytes));
		out_field(doc, "freed", "freed", OUT_TEXT,
			  buffers(doc, o, KNMT_A_OFFHEAP_FREED_COUNT, o->freed_count,
				  KNMT_A_OFFHEAP_FREED_BYTES, o->freed_bytes));
	}
	if (KNMT_HAS(o, KNMT_A_OFFHEAP_LIFETIME)) {
		unsigned int i;

		t = out_table(doc, NULL, "offheap lifetimes (freed buffers)",
			      lifetime_cols, LC_COUNT, KNMT_LIFETIME_BUCKETS);
		for (i = 0; t && i < KNMT_LIFETIME_BUCKETS; i++) {
			out_cell(t, i, LC_LIFETIME, out_str(procs_lifetime_label(doc, i)));
			out_cell(t, i, LC_FREED, (o->lifetime_present & (1U << i)) ?
				 out_count(o->lifetime[i]) : out_null(OUT_COUNT));
		}
	}
	socks_text(doc, &p->sockets);
	out_text(doc, "%s", "");
	out_field(doc, "unaccounted", "unaccounted", OUT_TEXT,
		  KNMT_HAS(p, KNMT_A_PROC_UNACCOUNTED) ? out_sbytes(p->unaccounted)
						       : out_null(OUT_SBYTES));
}

static int summary_pids(struct cli *cli, const uint32_t *pids, size_t npids)
{
	struct knmt_proc_info *procs;
	struct out_doc doc;
	struct knmt *h;
	size_t n = 0, i;
	int ret, failed = CLI_EXIT_OK;

	procs = calloc(npids, sizeof(*procs));
	if (!procs) {
		fprintf(cli->err, "knmt: out of memory\n");
		return CLI_EXIT_RUNTIME;
	}
	ret = cli_connect(cli, &h);
	if (ret) {
		free(procs);
		return ret;
	}
	for (i = 0; i < npids; i++) {
		int err = knmt_get_proc(h, pids[i], &procs[n]);

		if (!err) {
			n++;
			continue;
		}
		failed = cli_report_pid(cli, h, err, pids[i]);
		/* a process that is gone does not hide the others */
		if (knmt_kernel_errno(h) != ESRCH)
			break;
	}
	knmt_close(h);
	if (failed && (i < npids)) {
		free(procs);
		return failed;
	}

	ret = CLI_EXIT_OK;
	if (cli->json) {
		struct out_table *j;

		out_init(&doc);
		j = out_table(&doc, "processes", NULL, procs_json_cols,
			      procs_json_ncols(false), n);
		for (i = 0; i < n; i++)
			procs_json_row(cli, &doc, j, i, &procs[i]);
		ret = cli_render(cli, &doc, "the summary");
		out_free(&doc);
	} else {
		for (i = 0; i < n && ret == CLI_EXIT_OK; i++) {
			if (i)
				fputc('\n', cli->out);
			out_init(&doc);
			proc_text(cli, &doc, &procs[i]);
			ret = cli_render(cli, &doc, "the summary");
			out_free(&doc);
		}
	}
	free(procs);
	return ret ? ret : failed;
}

/* ---- the command ---------------------------------------------------------- */

static int summary_run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "sort", required_argument, NULL, 's' },
		{ "pid", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const struct sort_key *key = &sort_keys[0];
	uint32_t *pids;
	size_t npids = 0, top = 0;
	bool sort_given = false;
	int c, ret = 0;

	pids = calloc((size_t)argc, sizeof(*pids));
	if (!pids) {
		fprintf(cli->err, "knmt: out of memory\n");
		return CLI_EXIT_RUNTIME;
	}
	optind = 0;
	opterr = 0;
	while (!ret && (c = getopt_long(argc, argv, ":jn:s:p:", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			cli->json = true;
			break;
		case 'n':
			ret = procs_parse_count(cli, &cli_cmd_summary, "-n",
						optarg, &top);
			break;
		case 's':
			key = find_sort_key(optarg);
			sort_given = true;
			if (!key)
				ret = cli_usage_error(cli, &cli_cmd_summary,
						      "--sort: unknown key '%s' (total, resident, rss, "
						      "offheap, stack, arena, heap, anon, shmem, file, "
						      "pagetables, threads, sockets, pid, comm)", optarg);
			break;
		case 'p':
			ret = procs_parse_pid(cli, &cli_cmd_summary, optarg,
					      &pids[npids]);
			npids++;
			break;
		default:	/* ':' or '?' */
			ret = cli_option_error(cli, &cli_cmd_summary, c, argv);
			break;
		}
	}
	if (!ret)
		ret = cli_no_operand(cli, &cli_cmd_summary, argc, argv, optind);
	if (!ret && npids && (top || sort_given))
		ret = cli_usage_error(cli, &cli_cmd_summary,
				      "-n and --sort apply to the list, not to -p");
	if (!ret)
		ret = npids ? summary_pids(cli, pids, npids)
			    : summary_list(cli, key, top);
	free(pids);
	return ret;
}

CLI_COMMAND(summary) = {
	.name = "summary",
	.args = "[-n N] [--sort KEY] [--json] | -p PID [-p PID...] [--json]",
	.summary = "native memory of every tracked process, or of some in detail",
	.help =
	"Without -p: one line per tracked process with its RSS and what is\n"
	"resident in each category, its page tables and kernel stacks, the\n"
	"native total (resident in the categories + page tables + kernel\n"
	"stacks + socket buffers) and SOCK, its open sockets (see 'knmt\n"
	"sockets'), largest total first; the last line sums every process.\n"
	"A '*' after the name: the process started before knmt was loaded,\n"
	"its categories are inferred.\n"
	"\n"
	"  -n N        the first N processes only (the totals still count all)\n"
	"  -s, --sort KEY\n"
	"              total (default), resident, rss, heap, stack, arena,\n"
	"              offheap, anon, shmem, file, pagetables, threads,\n"
	"              sockets (largest first), pid, comm (ascending)\n"
	"  -p, --pid PID\n"
	"              the breakdown of PID, as Java's native memory tracking\n"
	"              shows it: totals, RSS, then per category what is mapped\n"
	"              and resident, its regions, faults and peak; page tables,\n"
	"              kernel stacks and socket buffers; off-heap buffers (live,\n"
	"              allocated, freed, how long the freed ones lived); its\n"
	"              sockets (open by family, TCP states, CLOSE-WAIT and how\n"
	"              long, queued bytes, memory, opened, accepted, closed,\n"
	"              orphans, destroyed, untracked, per second, how long the\n"
	"              closed ones lived); what RSS has that no category\n"
	"              accounts for.  Repeat -p for more processes.\n"
	"  -j, --json  {\"processes\": [...], \"totals\": {...}}, or with -p\n"
	"              {\"processes\": [...]}: exact bytes, times in ISO-8601;\n"
	"              the keys are listed in the README.\n"
	"\n"
	"Categories: heap (brk), stack (main and thread stacks), arena\n"
	"(reserve-then-commit anonymous memory), offheap (large read-write\n"
	"anonymous buffers), anon (other private anonymous), shmem (shared\n"
	"anonymous, memfd, SysV, tmpfs), file (other file mappings).\n"
	"\n"
	"A pid that names no process: \"knmt: no process PID\", exit status 1.\n",
	.run = summary_run,
};
