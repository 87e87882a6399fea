// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt CLI: the chart of knmt timeline, SVG written by hand (chart.h).
 *
 *   title: pid, comm; below it the host, the time span, the native total
 *   memory panel: stacked areas, heap at the bottom, kernel on top
 *   legend (right): the series top to bottom as stacked, last values
 *   sockets panel: open sockets (area), CLOSE-WAIT (line)
 *   time axis: seconds, minutes or hours since the recording started
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "units.h"

/* Fixed colors (userspace/README.md lists them): Tableau 10. */
const struct chart_series chart_series[CHART_NSERIES] = {
	[KNMT_CAT_HEAP]    = { "heap",    "#4e79a7" },
	[KNMT_CAT_STACK]   = { "stack",   "#f28e2b" },
	[KNMT_CAT_ARENA]   = { "arena",   "#59a14f" },
	[KNMT_CAT_OFFHEAP] = { "offheap", "#e15759" },
	[KNMT_CAT_ANON]    = { "anon",    "#76b7b2" },
	[KNMT_CAT_SHMEM]   = { "shmem",   "#edc948" },
	[KNMT_CAT_FILE]    = { "file",    "#b07aa1" },
	[CHART_KERNEL]     = { "kernel",  "#9c755f" },
};

/* Geometry, in SVG user units (pixels at 100 %). */
#define W	960
#define H	600
#define PX0	88.0	/* the plot's left edge */
#define PX1	730.0	/* its right edge */
#define PY0	76.0	/* the memory panel's top */
#define PY1	410.0	/* its bottom */
#define SY0	446.0	/* the sockets panel's top */
#define SY1	516.0	/* its bottom */
#define LX	752.0	/* the legend's left edge */

uint64_t chart_value(const struct rec_sample *s, unsigned int series)
{
	uint64_t v = 0;

	if (series < KNMT_CAT_NR)
		return REC_HAS(s, REC_RESIDENT + series) ?
		       s->vals[REC_RESIDENT + series] : 0;
	if (REC_HAS(s, REC_PAGETABLES))
		v += s->vals[REC_PAGETABLES];
	if (REC_HAS(s, REC_KSTACKS))
		v += s->vals[REC_KSTACKS];
	if (REC_HAS(s, REC_SOCKBUFS))
		v += s->vals[REC_SOCKBUFS];
	return v;
}

bool chart_has_breakdown(const struct rec_sample *s)
{
	unsigned int c;

	for (c = 0; c < KNMT_CAT_NR; c++)
		if (REC_HAS(s, REC_RESIDENT + c))
			return true;
	return false;
}

static uint64_t total_of(const struct rec_sample *s)
{
	uint64_t t = 0;
	unsigned int k;

	for (k = 0; k < CHART_NSERIES; k++)
		t += chart_value(s, k);
	return t;
}

/* Text for XML: & < > " escaped. */
static void put_esc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':  fputs("&amp;", f); break;
		case '<':  fputs("&lt;", f); break;
		case '>':  fputs("&gt;", f); break;
		case '"':  fputs("&quot;", f); break;
		default:
			/* control characters have no place in XML 1.0 */
			fputc((unsigned char)*s < 0x20 ? ' ' : *s, f);
		}
	}
}

/* "2026-11-26T17:30:01.123Z" as "2026-11-26 17:30:01 UTC". */
static const char *show_time(const char *iso, char *buf, size_t len)
{
	if (strlen(iso) < 19) {
		snprintf(buf, len, "%s", iso);
		return buf;
	}
	snprintf(buf, len, "%.10s %.8s UTC", iso, iso + 11);
	return buf;
}

/*
 * The little arithmetic of axes, without libm: values are positive and
 * far below 2^53.
 */
static double floor_pos(double x)
{
	double f = (double)(long long)x;

	return f > x ? f - 1 : f;
}

static double ceil_pos(double x)
{
	double f = (double)(long long)x;

	return f < x ? f + 1 : f;
}

static double absd(double x)
{
	return x < 0 ? -x : x;
}

/* 1, 2 or 5 times a power of ten, at least raw (> 0). */
static double nice_step(double raw)
{
	double p = 1;

	while (p > raw)
		p /= 10;
	while (p * 10 <= raw)
		p *= 10;
	/* p <= raw < 10 p */
	if (raw <= p * (1 + 1e-9))
		return p;
	if (raw <= 2 * p * (1 + 1e-9))
		return 2 * p;
	if (raw <= 5 * p * (1 + 1e-9))
		return 5 * p;
	return 10 * p;
}

/* Digits after the point that multiples of step need. */
static int decimals(double step)
{
	double m = step;
	int d = 0;

	while (d < 6 && absd(m - floor_pos(m + 0.5)) > 1e-6 * (m > 1 ? m : 1)) {
		m *= 10;
		d++;
	}
	return d;
}

struct axis {
	double max;		/* top of the axis, in bytes */
	double step;		/* between ticks, in bytes */
	double unit;		/* bytes of the label unit */
	const char *uname;	/* "MiB" */
	int dec;
};

/* Ticks for 0 .. max bytes: about 5, at round values of KiB, MiB, GiB. */
static void bytes_axis(double max, struct axis *a)
{
	static const struct { double size; const char *name; } units[] = {
		{ 1099511627776.0, "TiB" }, { 1073741824.0, "GiB" },
		{ 1048576.0, "MiB" }, { 1024.0, "KiB" }, { 1.0, "B" },
	};
	size_t i;

	if (max < 1024.0)
		max = 1024.0;
	for (i = 0; i + 1 < sizeof(units) / sizeof(units[0]) &&
		    max < units[i].size; i++)
		;
	a->unit = units[i].size;
	a->uname = units[i].name;
	a->step = nice_step(max / a->unit / 5.0);
	if (a->unit == 1.0 && a->step < 1.0)
		a->step = 1.0;
	a->dec = decimals(a->step);
	a->max = ceil_pos(max / a->unit / a->step - 1e-9) * a->step * a->unit;
	a->step *= a->unit;
}

/* A time step that gives at most 8 ticks over span seconds. */
static double time_step(double span)
{
	static const double steps[] = {
		0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30,
		60, 120, 300, 600, 900, 1800,
		3600, 7200, 10800, 21600, 43200, 86400,
	};
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (span / steps[i] <= 8.0)
			return steps[i];
	return nice_step(span / 8.0 / 86400.0) * 86400.0;
}

/* "30 s", "1.5 min", "2 h" for t seconds, in the unit of step. */
static void time_label(double t, double step, char *buf, size_t len)
{
	if (step < 60.0)
		snprintf(buf, len, "%.*f s", decimals(step), t);
	else if (step < 3600.0)
		snprintf(buf, len, "%.*f min", decimals(step / 60.0), t / 60.0);
	else if (step < 86400.0)
		snprintf(buf, len, "%.*f h", decimals(step / 3600.0), t / 3600.0);
	else
		snprintf(buf, len, "%.*f d", decimals(step / 86400.0), t / 86400.0);
}

struct plot {
	double t_lo, t_hi;	/* seconds since the recording started */
	size_t np;		/* points */
	double *t;		/* np */
	double *cum;		/* np x (CHART_NSERIES + 1): cum[i][k] below series k */
	const struct rec_sample **s;	/* np: the sample of each point */
	struct axis y;
	/* sockets */
	size_t nk;
	double *kt;		/* nk */
	const struct rec_sample **ks;
	double kmax;
	bool close_wait;	/* some sample has one */
};

static double px(const struct plot *p, double t)
{
	return PX0 + (t - p->t_lo) / (p->t_hi - p->t_lo) * (PX1 - PX0);
}

static double py(const struct plot *p, double bytes)
{
	return PY1 - bytes / p->y.max * (PY1 - PY0);
}

static double sy(const struct plot *p, double n)
{
	return SY1 - n / p->kmax * (SY1 - SY0);
}

#define CUM(p, i, k)	((p)->cum[(i) * (CHART_NSERIES + 1) + (k)])

static void plot_free(struct plot *p)
{
	free(p->t);
	free(p->cum);
	free(p->s);
	free(p->kt);
	free(p->ks);
}

static int plot_make(struct plot *p, const struct chart_input *in)
{
	uint64_t interval = in->rec->interval_ns ? in->rec->interval_ns
						 : UINT64_C(1000000000);
	double ymax = 0;
	size_t i, n = in->n;
	unsigned int k;

	memset(p, 0, sizeof(*p));
	/* one point more: a lone sample is drawn over one interval */
	p->t = calloc(n + 1, sizeof(*p->t));
	p->cum = calloc((n + 1) * (CHART_NSERIES + 1), sizeof(*p->cum));
	p->s = calloc(n + 1, sizeof(*p->s));
	p->kt = calloc(n + 1, sizeof(*p->kt));
	p->ks = calloc(n + 1, sizeof(*p->ks));
	if (!p->t || !p->cum || !p->s || !p->kt || !p->ks)
		return -1;

	if (n) {
		p->t_lo = rec_seconds(in->samples[0]->elapsed_ns);
		p->t_hi = rec_seconds(in->samples[n - 1]->elapsed_ns);
	}
	/* a process sampled from the first round: the axis starts at 0 */
	if (p->t_lo < rec_seconds(interval))
		p->t_lo = 0;
	if (in->gone && rec_seconds(in->gone_ns) > p->t_hi)
		p->t_hi = rec_seconds(in->gone_ns);
	if (p->t_hi <= p->t_lo)
		p->t_hi = p->t_lo + rec_seconds(interval);

	for (i = 0; i < n; i++) {
		const struct rec_sample *s = in->samples[i];

		if (chart_has_breakdown(s)) {
			size_t j = p->np++;

			p->t[j] = rec_seconds(s->elapsed_ns);
			p->s[j] = s;
			for (k = 0; k < CHART_NSERIES; k++)
				CUM(p, j, k + 1) = CUM(p, j, k) +
						   (double)chart_value(s, k);
			if (CUM(p, j, CHART_NSERIES) > ymax)
				ymax = CUM(p, j, CHART_NSERIES);
		}
		if (REC_HAS(s, REC_SOCK_OPEN)) {
			size_t j = p->nk++;

			p->kt[j] = rec_seconds(s->elapsed_ns);
			p->ks[j] = s;
			if ((double)s->vals[REC_SOCK_OPEN] > p->kmax)
				p->kmax = (double)s->vals[REC_SOCK_OPEN];
			if (REC_HAS(s, REC_SOCK_CLOSE_WAIT) &&
			    s->vals[REC_SOCK_CLOSE_WAIT])
				p->close_wait = true;
		}
	}
	if (p->np == 1) {
		p->t[1] = p->t_hi > p->t[0] ? p->t_hi : p->t[0];
		p->s[1] = p->s[0];
		for (k = 0; k <= CHART_NSERIES; k++)
			CUM(p, 1, k) = CUM(p, 0, k);
		p->np = 2;
	}
	if (p->nk == 1) {
		p->kt[1] = p->t_hi > p->kt[0] ? p->t_hi : p->kt[0];
		p->ks[1] = p->ks[0];
		p->nk = 2;
	}
	bytes_axis(ymax, &p->y);
	/* sockets: a round top, 5 at least */
	p->kmax = p->kmax <= 5 ? 5 : nice_step(p->kmax / 2.0) *
		  ceil_pos(p->kmax / nice_step(p->kmax / 2.0) - 1e-9);
	return 0;
}

static void put_header(FILE *f, const struct chart_input *in,
		       const struct plot *p)
{
	const struct rec_sample *first = p->np ? p->s[0] : NULL;
	const struct rec_sample *last = p->np ? p->s[p->np - 1] : NULL;
	char a[32], b[32], c[32], when[48], span[32], every[32];
	uint64_t t0, t1;

	fprintf(f, "<text id=\"title\" x=\"24\" y=\"32\" font-size=\"19\" font-weight=\"bold\" fill=\"#222222\">"
		"pid %" PRIu32 " (", in->pid);
	put_esc(f, in->comm);
	fputs("): native memory over time</text>\n", f);

	fputs("<text id=\"subtitle\" x=\"24\" y=\"55\" font-size=\"13\" fill=\"#555555\">", f);
	if (in->rec->host) {
		fputs("on ", f);
		put_esc(f, in->rec->host);
		fputs(", ", f);
	}
	if (in->n && in->samples[0]->time[0]) {
		fputs("from ", f);
		put_esc(f, show_time(in->samples[0]->time, when, sizeof(when)));
		fputc(' ', f);
	}
	units_format_ns((uint64_t)((p->t_hi - p->t_lo) * 1e9 + 0.5), span, sizeof(span));
	units_format_ns(in->rec->interval_ns, every, sizeof(every));
	fprintf(f, "for %s, a sample every %s", span, every);
	if (first && last) {
		t0 = total_of(first);
		t1 = total_of(last);
		units_format_bytes(t0, a, sizeof(a));
		units_format_bytes(t1, b, sizeof(b));
		units_format_bytes(t1 >= t0 ? t1 - t0 : t0 - t1, c, sizeof(c));
		fprintf(f, "; native total %s \u2192 %s (%s%s)", a, b,
			t1 >= t0 ? "+" : "-", c);
	}
	fputs("</text>\n", f);
}

static void put_grid(FILE *f, const struct plot *p, double tstep)
{
	char label[32];
	double v, t;

	fputs("<g id=\"grid\" stroke=\"#e3e3e3\" stroke-width=\"1\">\n", f);
	for (v = p->y.step; v < p->y.max + p->y.step / 2; v += p->y.step)
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
			PX0, py(p, v), PX1, py(p, v));
	for (t = ceil_pos(p->t_lo / tstep - 1e-9) * tstep; t <= p->t_hi + 1e-9; t += tstep) {
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
			px(p, t), PY0, px(p, t), PY1);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
			px(p, t), SY0, px(p, t), SY1);
	}
	fputs("</g>\n", f);

	/* the memory axis */
	fputs("<g id=\"y-axis\" font-size=\"12\" fill=\"#444444\" text-anchor=\"end\">\n", f);
	for (v = 0; v < p->y.max + p->y.step / 2; v += p->y.step) {
		snprintf(label, sizeof(label), "%.*f %s", p->y.dec, v / p->y.unit,
			 p->y.uname);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", PX0 - 8,
			py(p, v) + 4, v == 0 ? "0" : label);
	}
	fprintf(f, "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 18 %.1f)\">"
		"resident memory (%s)</text>\n", (PY0 + PY1) / 2, (PY0 + PY1) / 2,
		p->y.uname);
	fputs("</g>\n", f);

	/* the time axis, under the sockets panel */
	fputs("<g id=\"x-axis\" font-size=\"12\" fill=\"#444444\" text-anchor=\"middle\">\n", f);
	for (t = ceil_pos(p->t_lo / tstep - 1e-9) * tstep; t <= p->t_hi + 1e-9; t += tstep) {
		time_label(absd(t) < 1e-9 ? 0 : t, tstep, label, sizeof(label));
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", px(p, t),
			SY1 + 18, label);
	}
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">time since the recording started</text>\n",
		(PX0 + PX1) / 2, SY1 + 42);
	fputs("</g>\n", f);
}

static void put_series(FILE *f, const struct plot *p)
{
	unsigned int k;
	size_t i;

	fputs("<g id=\"series\" stroke=\"none\">\n", f);
	for (k = 0; k < CHART_NSERIES; k++) {
		bool any = false;

		for (i = 0; i < p->np; i++)
			if (CUM(p, i, k + 1) > CUM(p, i, k))
				any = true;
		if (!any)
			continue;
		fprintf(f, "<path id=\"series-%s\" fill=\"%s\" d=\"",
			chart_series[k].name, chart_series[k].color);
		for (i = 0; i < p->np; i++)
			fprintf(f, "%s%.1f,%.1f", i ? " L" : "M", px(p, p->t[i]),
				py(p, CUM(p, i, k + 1)));
		for (i = p->np; i-- > 0; )
			fprintf(f, " L%.1f,%.1f", px(p, p->t[i]), py(p, CUM(p, i, k)));
		fputs(" Z\"/>\n", f);
	}
	fputs("</g>\n", f);
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#888888\"/>\n",
		PX0, PY0, PX1 - PX0, PY1 - PY0);
	if (!p->np)
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"14\" fill=\"#888888\">"
			"no breakdown of this process was recorded</text>\n",
			(PX0 + PX1) / 2, (PY0 + PY1) / 2);
}

static void put_sockets(FILE *f, const struct plot *p)
{
	size_t i;

	fputs("<g id=\"sockets\">\n", f);
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"#444444\">open sockets</text>\n",
		PX0, SY0 - 8);
	if (p->nk) {
		fprintf(f, "<path id=\"series-sockets\" fill=\"%s\" stroke=\"none\" d=\"M%.1f,%.1f",
			CHART_SOCKETS_COLOR, px(p, p->kt[0]), SY1);
		for (i = 0; i < p->nk; i++) {
			double y = sy(p, (double)p->ks[i]->vals[REC_SOCK_OPEN]);

			fprintf(f, " L%.1f,%.1f", px(p, p->kt[i]), y);
			if (i + 1 < p->nk)
				fprintf(f, " L%.1f,%.1f", px(p, p->kt[i + 1]), y);
		}
		fprintf(f, " L%.1f,%.1f Z\"/>\n", px(p, p->kt[p->nk - 1]), SY1);
	}
	if (p->close_wait) {
		fprintf(f, "<path id=\"series-close-wait\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" d=\"",
			CHART_CLOSE_WAIT_COLOR);
		for (i = 0; i < p->nk; i++) {
			const struct rec_sample *s = p->ks[i];
			double y = sy(p, REC_HAS(s, REC_SOCK_CLOSE_WAIT) ?
				      (double)s->vals[REC_SOCK_CLOSE_WAIT] : 0);

			fprintf(f, "%s%.1f,%.1f", i ? " L" : "M", px(p, p->kt[i]), y);
			if (i + 1 < p->nk)
				fprintf(f, " L%.1f,%.1f", px(p, p->kt[i + 1]), y);
		}
		fputs("\"/>\n", f);
	}
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#888888\"/>\n",
		PX0, SY0, PX1 - PX0, SY1 - SY0);
	fprintf(f, "<g font-size=\"12\" fill=\"#444444\" text-anchor=\"end\">"
		"<text x=\"%.1f\" y=\"%.1f\">0</text><text x=\"%.1f\" y=\"%.1f\">%.0f</text></g>\n",
		PX0 - 8, SY1 + 4, PX0 - 8, SY0 + 10, p->kmax);
	if (!p->nk)
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\" fill=\"#888888\">"
			"sockets not tracked</text>\n", (PX0 + PX1) / 2, (SY0 + SY1) / 2 + 4);
	fputs("</g>\n", f);
}

static void legend_entry(FILE *f, double y, const char *id, const char *color,
			 bool line, const char *label, const char *value)
{
	fprintf(f, "<g id=\"legend-%s\">", id);
	if (line)
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"3\"/>",
			LX, y - 4, LX + 14, y - 4, color);
	else
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"14\" fill=\"%s\"/>",
			LX, y - 11, color);
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">%s</text>", LX + 22, y, label);
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text></g>\n",
		(double)W - 16, y, value);
}

static void put_legend(FILE *f, const struct plot *p)
{
	const struct rec_sample *last = p->np ? p->s[p->np - 1] : NULL;
	char v[32];
	double y = PY0 + 12;
	unsigned int k;

	fputs("<g id=\"legend\" font-size=\"13\" fill=\"#222222\">\n", f);
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#666666\">resident at the end</text>\n",
		LX, PY0 - 6);
	/* top to bottom as stacked: kernel first */
	for (k = CHART_NSERIES; k-- > 0; y += 22) {
		if (last)
			units_format_bytes(chart_value(last, k), v, sizeof(v));
		else
			snprintf(v, sizeof(v), "-");
		legend_entry(f, y, chart_series[k].name, chart_series[k].color,
			     false, chart_series[k].name, v);
	}
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#666666\">"
		"kernel: page tables, kernel stacks</text>\n"
		"<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#666666\">"
		"and socket buffers</text>\n", LX, y, LX, y + 14);
	y = SY0 + 12;
	if (p->nk)
		snprintf(v, sizeof(v), "%" PRIu64, p->ks[p->nk - 1]->vals[REC_SOCK_OPEN]);
	else
		snprintf(v, sizeof(v), "-");
	legend_entry(f, y, "sockets", CHART_SOCKETS_COLOR, false, "open sockets", v);
	if (p->close_wait) {
		const struct rec_sample *s = p->ks[p->nk - 1];

		snprintf(v, sizeof(v), "%" PRIu64, REC_HAS(s, REC_SOCK_CLOSE_WAIT) ?
			 s->vals[REC_SOCK_CLOSE_WAIT] : 0);
		legend_entry(f, y + 22, "close-wait", CHART_CLOSE_WAIT_COLOR, true,
			     "in CLOSE-WAIT", v);
	}
	fputs("</g>\n", f);
}

static void put_gone(FILE *f, const struct chart_input *in,
		     const struct plot *p)
{
	double x;

	if (!in->gone)
		return;
	x = px(p, rec_seconds(in->gone_ns));
	fprintf(f, "<g id=\"gone\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		"stroke=\"#333333\" stroke-width=\"1.5\" stroke-dasharray=\"5,4\"/>"
		"<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"#333333\" text-anchor=\"end\">",
		x, PY0, x, SY1, x - 4, PY0 + 14);
	put_esc(f, in->gone_reason && in->gone_reason[0] ? in->gone_reason : "gone");
	fputs("</text></g>\n", f);
}

static void put_svg(FILE *f, const struct chart_input *in, const struct plot *p,
		    const char *extra_attrs)
{
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Liberation Sans, Arial, sans-serif\"%s>\n",
		W, H, W, H, extra_attrs);
	fprintf(f, "<title>knmt timeline: pid %" PRIu32 " (", in->pid);
	put_esc(f, in->comm);
	fputs(")</title>\n", f);
	fprintf(f, "<rect id=\"background\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
		W, H);
	put_header(f, in, p);
	put_grid(f, p, time_step(p->t_hi - p->t_lo));
	put_series(f, p);
	put_sockets(f, p);
	put_legend(f, p);
	put_gone(f, in, p);
	fputs("</svg>\n", f);
}

int chart_svg(FILE *f, const struct chart_input *in)
{
	struct plot p;
	int ret = -1;

	if (plot_make(&p, in) == 0) {
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
		put_svg(f, in, &p, "");
		ret = ferror(f) ? -1 : 0;
	}
	plot_free(&p);
	return ret;
}

/* The changes of the series from the first to the last breakdown. */
static void put_table(FILE *f, const struct plot *p)
{
	const struct rec_sample *a = p->s[0], *b = p->s[p->np - 1];
	char x[32], y[32], d[32];
	unsigned int k;

	fputs("<table>\n<tr><th></th><th>series</th><th>first</th><th>last</th><th>change</th></tr>\n", f);
	for (k = CHART_NSERIES; k-- > 0; ) {
		uint64_t u = chart_value(a, k), v = chart_value(b, k);

		units_format_bytes(u, x, sizeof(x));
		units_format_bytes(v, y, sizeof(y));
		units_format_bytes(v >= u ? v - u : u - v, d, sizeof(d));
		fprintf(f, "<tr><td><span class=\"sw\" style=\"background:%s\"></span></td>"
			"<td>%s</td><td>%s</td><td>%s</td><td>%s%s</td></tr>\n",
			chart_series[k].color, chart_series[k].name, x, y,
			v == u ? "" : v > u ? "+" : "-", v == u ? "0" : d);
	}
	fputs("</table>\n", f);
}

int chart_html(FILE *f, const struct chart_input *in)
{
	struct plot p;
	int ret = -1;

	if (plot_make(&p, in) == 0) {
		fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", f);
		fprintf(f, "<title>knmt timeline: pid %" PRIu32 " (", in->pid);
		put_esc(f, in->comm);
		fputs(")</title>\n<style>\n"
		      "body { margin: 8px; background: #ffffff; color: #222222;"
		      " font-family: \"DejaVu Sans\", \"Liberation Sans\", Arial, sans-serif; }\n"
		      "svg { display: block; width: 100%; max-width: 960px; height: auto; }\n"
		      "table { border-collapse: collapse; margin: 12px 0 0 24px; font-size: 13px; }\n"
		      "th, td { padding: 2px 10px; text-align: right; }\n"
		      "th:nth-child(2), td:nth-child(2) { text-align: left; }\n"
		      ".sw { display: inline-block; width: 12px; height: 12px; }\n"
		      "p { font-size: 12px; color: #666666; margin: 8px 0 0 24px; }\n"
		      "</style>\n</head>\n<body>\n", f);
		put_svg(f, in, &p, " role=\"img\"");
		if (p.np)
			put_table(f, &p);
		fputs("<p>Resident bytes by category, stacked (heap at the bottom), "
		      "with the kernel-side memory (page tables, kernel stacks, socket "
		      "buffers) on top; below, the open sockets. Made by knmt timeline.</p>\n"
		      "</body>\n</html>\n", f);
		ret = ferror(f) ? -1 : 0;
	}
	plot_free(&p);
	return ret;
}
