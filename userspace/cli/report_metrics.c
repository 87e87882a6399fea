// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt report: the Prometheus text exposition (0.0.4) and OpenMetrics
 * 1.0.0 of a view: per process (labels pid, comm, cgroup), per cgroup,
 * and the module's health.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "procs.h"
#include "report.h"

/* The length of the UTF-8 sequence at s (1 .. 4), 0 when invalid. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void report_label_value(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	while (*p) {
		size_t n = utf8_len(p);

		if (*p == '\\')
			fputs("\\\\", f);
		else if (*p == '"')
			fputs("\\\"", f);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (n == 0 || *p < 0x20 || *p == 0x7f)
			fputc('?', f);
		else
			fwrite(p, 1, n, f);
		p += n ? n : 1;
	}
}

/* ---- families --------------------------------------------------------- */

struct family {
	const char *name;	/* the samples' name */
	const char *type;	/* "gauge", "counter" */
	const char *help;
};

static void header(FILE *f, const struct family *m, bool om)
{
	size_t n = strlen(m->name);

	/* OpenMetrics: a counter's family has no "_total" */
	if (om && strcmp(m->type, "counter") == 0 && n > 6 &&
	    strcmp(m->name + n - 6, "_total") == 0)
		n -= 6;
	fprintf(f, "# HELP %.*s %s\n", (int)n, m->name, m->help);
	fprintf(f, "# TYPE %.*s %s\n", (int)n, m->name, m->type);
}

static void proc_labels(FILE *f, const struct report_view *v, size_t i)
{
	fprintf(f, "pid=\"%" PRIu32 "\",comm=\"", v->procs[i].pid);
	report_label_value(f, v->procs[i].comm);
	fputs("\",cgroup=\"", f);
	report_label_value(f, v->cgroups[i]);
	fputc('"', f);
}

static void cgroup_label(FILE *f, const struct report_cgroup *g)
{
	fputs("cgroup=\"", f);
	report_label_value(f, g->cgroup);
	fputc('"', f);
}

/* ---- the metrics ------------------------------------------------------ */

static const struct family f_up = {
	"knmt_up", "gauge",
	"1 when the knmt module answered the last collection, else 0",
};
static const struct family f_duration = {
	"knmt_scrape_duration_seconds", "gauge",
	"How long the last collection took (GET_STATUS, DUMP_PROCS, cgroups)",
};
static const struct family f_timestamp = {
	"knmt_report_timestamp_seconds", "gauge",
	"When the last collection was taken (Unix time)",
};
static const struct family f_tracked = {
	"knmt_module_procs_tracked", "gauge",
	"Processes the knmt module tracks",
};
static const struct family f_dropped = {
	"knmt_module_events_dropped_total", "counter",
	"Events the knmt module could not deliver",
};
static const struct family f_mem = {
	"knmt_module_mem_bytes", "gauge",
	"Memory the knmt module holds",
};
static const struct family f_resident = {
	"knmt_process_resident_bytes", "gauge",
	"Resident bytes of a process by knmt category",
};
static const struct family f_mapped = {
	"knmt_process_mapped_bytes", "gauge",
	"Mapped bytes of a process by knmt category",
};
static const struct family f_rss = {
	"knmt_process_rss_bytes", "gauge",
	"Resident set size of a process (anon + file + shmem)",
};
static const struct family f_kernel = {
	"knmt_process_kernel_bytes", "gauge",
	"Kernel memory a process costs: page tables, kernel stacks, socket buffers",
};
static const struct family f_offheap = {
	"knmt_process_offheap_live_bytes", "gauge",
	"Bytes of the live off-heap buffers of a process",
};
static const struct family f_sockets = {
	"knmt_process_sockets_open", "gauge",
	"Open sockets a process owns",
};
static const struct family f_close_wait = {
	"knmt_process_sockets_close_wait", "gauge",
	"TCP sockets of a process in CLOSE_WAIT (the peer closed, the process did not)",
};
static const struct family f_native = {
	"knmt_process_native_total_bytes", "gauge",
	"Native total of a process: resident in every category + page tables + "
	"kernel stacks + socket buffers",
};
static const struct family f_cg_procs = {
	"knmt_cgroup_processes", "gauge",
	"Tracked processes in a cgroup",
};
static const struct family f_cg_resident = {
	"knmt_cgroup_resident_bytes", "gauge",
	"Resident bytes of the processes of a cgroup by knmt category",
};
static const struct family f_cg_native = {
	"knmt_cgroup_native_total_bytes", "gauge",
	"Native total of the processes of a cgroup",
};

static const char *const kernel_kinds[] = { "pagetables", "kstacks", "sockbufs" };

static void process_metrics(FILE *f, const struct report_view *v, bool om)
{
	unsigned int c;
	size_t i, k;

	header(f, &f_resident, om);
	for (i = 0; i < v->n; i++)
		for (c = 0; c < KNMT_CAT_NR; c++) {
			const struct knmt_cat_info *ci = &v->procs[i].categories[c];

			if (!KNMT_HAS(ci, KNMT_A_CAT_RESIDENT))
				continue;
			fprintf(f, "%s{", f_resident.name);
			proc_labels(f, v, i);
			fprintf(f, ",category=\"%s\"} %" PRIu64 "\n",
				knmt_category_name(c), ci->resident);
		}
	header(f, &f_mapped, om);
	for (i = 0; i < v->n; i++)
		for (c = 0; c < KNMT_CAT_NR; c++) {
			const struct knmt_cat_info *ci = &v->procs[i].categories[c];

			if (!KNMT_HAS(ci, KNMT_A_CAT_MAPPED))
				continue;
			fprintf(f, "%s{", f_mapped.name);
			proc_labels(f, v, i);
			fprintf(f, ",category=\"%s\"} %" PRIu64 "\n",
				knmt_category_name(c), ci->mapped);
		}
	header(f, &f_rss, om);
	for (i = 0; i < v->n; i++) {
		if (!KNMT_HAS(&v->procs[i], KNMT_A_PROC_RSS_ANON))
			continue;
		fprintf(f, "%s{", f_rss.name);
		proc_labels(f, v, i);
		fprintf(f, "} %" PRIu64 "\n", procs_rss(&v->procs[i]));
	}
	header(f, &f_kernel, om);
	for (i = 0; i < v->n; i++) {
		const struct knmt_proc_info *p = &v->procs[i];
		bool has[3] = { KNMT_HAS(p, KNMT_A_PROC_PAGETABLES),
				KNMT_HAS(p, KNMT_A_PROC_KSTACKS),
				KNMT_HAS(&p->sockets, KNMT_A_SOCKS_MEM) };
		uint64_t val[3] = { p->pagetables, p->kstacks, p->sockets.mem };

		for (k = 0; k < 3; k++) {
			if (!has[k])
				continue;
			fprintf(f, "%s{", f_kernel.name);
			proc_labels(f, v, i);
			fprintf(f, ",kind=\"%s\"} %" PRIu64 "\n", kernel_kinds[k], val[k]);
		}
	}
	header(f, &f_offheap, om);
	for (i = 0; i < v->n; i++) {
		if (!KNMT_HAS(&v->procs[i].offheap, KNMT_A_OFFHEAP_LIVE_BYTES))
			continue;
		fprintf(f, "%s{", f_offheap.name);
		proc_labels(f, v, i);
		fprintf(f, "} %" PRIu64 "\n", v->procs[i].offheap.live_bytes);
	}
	header(f, &f_sockets, om);
	for (i = 0; i < v->n; i++) {
		if (!KNMT_HAS(&v->procs[i].sockets, KNMT_A_SOCKS_OPEN))
			continue;
		fprintf(f, "%s{", f_sockets.name);
		proc_labels(f, v, i);
		fprintf(f, "} %" PRIu32 "\n", v->procs[i].sockets.open);
	}
	header(f, &f_close_wait, om);
	for (i = 0; i < v->n; i++) {
		if (!KNMT_HAS(&v->procs[i].sockets, KNMT_A_SOCKS_TCP_STATE))
			continue;
		fprintf(f, "%s{", f_close_wait.name);
		proc_labels(f, v, i);
		/* TCP_CLOSE_WAIT is 8 */
		fprintf(f, "} %" PRIu32 "\n", v->procs[i].sockets.tcp_state[8]);
	}
	header(f, &f_native, om);
	for (i = 0; i < v->n; i++) {
		if (!procs_sampled(&v->procs[i]))
			continue;
		fprintf(f, "%s{", f_native.name);
		proc_labels(f, v, i);
		fprintf(f, "} %" PRIu64 "\n", procs_native_total(&v->procs[i]));
	}
}

static void cgroup_metrics(FILE *f, const struct report_view *v, bool om)
{
	unsigned int c;
	size_t i;

	header(f, &f_cg_procs, om);
	for (i = 0; i < v->ncgs; i++) {
		fprintf(f, "%s{", f_cg_procs.name);
		cgroup_label(f, &v->cgs[i]);
		fprintf(f, "} %zu\n", v->cgs[i].procs);
	}
	header(f, &f_cg_resident, om);
	for (i = 0; i < v->ncgs; i++)
		for (c = 0; c < KNMT_CAT_NR; c++) {
			fprintf(f, "%s{", f_cg_resident.name);
			cgroup_label(f, &v->cgs[i]);
			fprintf(f, ",category=\"%s\"} %" PRIu64 "\n",
				knmt_category_name(c), v->cgs[i].resident[c]);
		}
	header(f, &f_cg_native, om);
	for (i = 0; i < v->ncgs; i++) {
		fprintf(f, "%s{", f_cg_native.name);
		cgroup_label(f, &v->cgs[i]);
		fprintf(f, "} %" PRIu64 "\n", v->cgs[i].native_total);
	}
}

int report_metrics(FILE *f, const struct report_view *v, bool om)
{
	header(f, &f_up, om);
	fprintf(f, "%s %d\n", f_up.name, v->up ? 1 : 0);
	header(f, &f_duration, om);
	fprintf(f, "%s %.6f\n", f_duration.name, v->duration_s);
	header(f, &f_timestamp, om);
	fprintf(f, "%s %" PRIu64 ".%03u\n", f_timestamp.name,
		v->time_ns / 1000000000U,
		(unsigned int)(v->time_ns % 1000000000U / 1000000U));
	if (v->up) {
		header(f, &f_tracked, om);
		fprintf(f, "%s %" PRIu32 "\n", f_tracked.name, v->st.procs_tracked);
		header(f, &f_dropped, om);
		fprintf(f, "%s %" PRIu64 "\n", f_dropped.name, v->st.events_dropped);
		header(f, &f_mem, om);
		fprintf(f, "%s %" PRIu64 "\n", f_mem.name, v->st.mem_bytes);
		process_metrics(f, v, om);
		cgroup_metrics(f, v, om);
	}
	if (om)
		fputs("# EOF\n", f);
	return ferror(f) ? -1 : 0;
}
