/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * knmt CLI: the chart of knmt timeline, an SVG written by hand: the
 * resident bytes of one process by category, its kernel-side memory
 * stacked on top, over time, with its open sockets in a panel below.
 * Standalone (fonts: the viewer's sans-serif), no script, no network.
 */
#ifndef KNMT_CLI_CHART_H
#define KNMT_CLI_CHART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "recording.h"

/* The stacked series: the categories in enum order, then the kernel's. */
#define CHART_KERNEL	KNMT_CAT_NR
#define CHART_NSERIES	(KNMT_CAT_NR + 1)

struct chart_series {
	const char *name;	/* "heap" ... "file", "kernel" */
	const char *color;	/* "#4e79a7": fixed, documented in the README */
};

extern const struct chart_series chart_series[CHART_NSERIES];
#define CHART_SOCKETS_COLOR	"#ff9da7"	/* open sockets (area) */
#define CHART_CLOSE_WAIT_COLOR	"#5b2a86"	/* in CLOSE-WAIT (line) */

/* A series' value in a sample: resident bytes, or page tables + kernel
 * stacks + socket buffers; what was not recorded counts 0. */
uint64_t chart_value(const struct rec_sample *s, unsigned int series);
/* True when the sample has a breakdown (some category recorded). */
bool chart_has_breakdown(const struct rec_sample *s);

/* What a chart shows: one process of a recording. */
struct chart_input {
	const struct recording *rec;
	const struct rec_sample *const *samples;	/* in time order */
	size_t n;
	uint32_t pid;
	const char *comm;
	/* it went away at gone_ns (elapsed), for gone_reason */
	bool gone;
	uint64_t gone_ns;
	const char *gone_reason;
};

/* 0, or -1 when writing failed. */
int chart_svg(FILE *f, const struct chart_input *in);
/* The SVG in a standalone HTML page, with a table of the changes. */
int chart_html(FILE *f, const struct chart_input *in);

#endif /* KNMT_CLI_CHART_H */
