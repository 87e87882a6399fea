// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt CLI: the text renderer.  Fields become aligned "label: value"
 * lines; tables get a heading, upper-case column headers, numbers
 * right-aligned, and no trailing blanks (like ss).
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "units.h"

#define CELL_MAX 256

static const char *list_text(const struct out_val *v, char *buf, size_t len)
{
	char one[CELL_MAX];
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < v->n && n + 1 < len; i++) {
		int r = snprintf(buf + n, len - n, "%s%s", i ? ", " : "",
				 out_val_text(&v->list[i], one, sizeof(one)));

		if (r < 0)
			break;
		n += (size_t)r;
	}
	return buf;
}

static const char *val_text(const struct out_val *v, char *buf, size_t len)
{
	if (v->null)
		return "-";
	switch (v->type) {
	case OUT_STR:
		return v->s;
	case OUT_COUNT:
		snprintf(buf, len, "%" PRIu64, v->u);
		return buf;
	case OUT_INT:
		snprintf(buf, len, "%s%" PRId64, v->plus && v->i >= 0 ? "+" : "",
			 v->i);
		return buf;
	case OUT_BYTES:
		return units_format_bytes(v->u, buf, len);
	case OUT_NSEC:
		return units_format_ns(v->u, buf, len);
	case OUT_SBYTES:
		if (v->i < 0 && len > 1) {
			buf[0] = '-';
			units_format_bytes(-(uint64_t)v->i, buf + 1, len - 1);
			return buf;
		}
		if (v->plus && len > 1) {
			buf[0] = '+';
			units_format_bytes((uint64_t)v->i, buf + 1, len - 1);
			return buf;
		}
		return units_format_bytes((uint64_t)v->i, buf, len);
	case OUT_BOOL:
		return v->u ? "yes" : "no";
	case OUT_REAL:
		snprintf(buf, len, "%.3f", v->d);
		return buf;
	case OUT_HEX:
		snprintf(buf, len, "0x%" PRIx64, v->u);
		return buf;
	case OUT_TIME:
		return units_format_time(v->u, false, buf, len);
	case OUT_LIST:
		return list_text(v, buf, len);
	}
	return "?";
}

const char *out_val_text(const struct out_val *v, char *buf, size_t len)
{
	const char *s = val_text(v, buf, len);
	char tmp[CELL_MAX];

	if (!v->mark || v->null)
		return s;
	snprintf(tmp, sizeof(tmp), "%s%s", s, v->mark);
	snprintf(buf, len, "%s", tmp);
	return buf;
}

static bool right_aligned(enum out_type type)
{
	switch (type) {
	case OUT_COUNT:
	case OUT_INT:
	case OUT_BYTES:
	case OUT_NSEC:
	case OUT_SBYTES:
	case OUT_REAL:
	case OUT_HEX:
		return true;
	case OUT_STR:
	case OUT_BOOL:
	case OUT_TIME:
	case OUT_LIST:
		return false;
	}
	return false;
}

/* The fields of items [from, to), aligned together. */
static void render_fields(FILE *f, const struct out_doc *doc, size_t from,
			  size_t to)
{
	char buf[CELL_MAX];
	size_t width = 0;
	size_t i;

	for (i = from; i < to; i++) {
		const struct out_field *fl = &doc->fields[doc->items[i].idx];

		if ((fl->where & OUT_TEXT) && strlen(fl->label) > width)
			width = strlen(fl->label);
	}
	for (i = from; i < to; i++) {
		const struct out_field *fl = &doc->fields[doc->items[i].idx];

		if (!(fl->where & OUT_TEXT))
			continue;
		fprintf(f, "%s:%*s %s\n", fl->label,
			(int)(width - strlen(fl->label)), "",
			out_val_text(&fl->v, buf, sizeof(buf)));
	}
}

static void put_header(FILE *f, const char *label, int width, bool right,
		       bool last)
{
	int pad = width - (int)strlen(label);

	if (right)
		fprintf(f, "%*s", pad, "");
	for (; *label; label++)
		fputc(toupper((unsigned char)*label), f);
	if (!right && !last)
		fprintf(f, "%*s", pad, "");
	if (!last)
		fputs("  ", f);
}

/*
 * Each cell of a text column is formatted once, into one buffer that
 * keeps every cell's text (offset and length per cell): the widths come
 * from it, then the lines.
 */
struct cell_texts {
	char *buf;
	size_t len, cap;
	size_t *off, *n;	/* per cell */
};

static int cell_keep(struct cell_texts *ct, size_t i, const char *s)
{
	size_t n = strlen(s);

	if (ct->len + n > ct->cap) {
		size_t cap = ct->cap ? ct->cap : 4096;
		char *nb;

		while (cap < ct->len + n)
			cap *= 2;
		nb = realloc(ct->buf, cap);
		if (!nb)
			return -1;
		ct->buf = nb;
		ct->cap = cap;
	}
	memcpy(ct->buf + ct->len, s, n);
	ct->off[i] = ct->len;
	ct->n[i] = n;
	ct->len += n;
	return 0;
}

static int render_table(FILE *f, const struct out_table *t)
{
	struct cell_texts ct = { 0 };
	size_t ncells = t->nrows * t->ncols, linecap = 1;
	char *line = NULL;
	char buf[CELL_MAX];
	size_t *width;
	size_t c, r, lastc = 0;
	bool any = false;
	int ret = -1;

	width = calloc(t->ncols ? t->ncols : 1, sizeof(*width));
	ct.off = calloc(ncells ? ncells : 1, sizeof(*ct.off));
	ct.n = calloc(ncells ? ncells : 1, sizeof(*ct.n));
	if (!width || !ct.off || !ct.n)
		goto out;
	for (c = 0; c < t->ncols; c++) {
		if (!(t->cols[c].where & OUT_TEXT))
			continue;
		width[c] = strlen(t->cols[c].label);
		for (r = 0; r < t->nrows; r++) {
			size_t i = r * t->ncols + c;

			if (cell_keep(&ct, i, out_val_text(&t->cells[i], buf,
							   sizeof(buf))) < 0)
				goto out;
			if (ct.n[i] > width[c])
				width[c] = ct.n[i];
		}
		lastc = c;
		any = true;
	}
	ret = 0;
	if (!any)
		goto out;

	if (t->title)
		fprintf(f, "\n%s:\n", t->title);
	/* a column of numbers has its header over the numbers' right edge */
	for (c = 0; c < t->ncols; c++)
		if (t->cols[c].where & OUT_TEXT)
			put_header(f, t->cols[c].label, (int)width[c],
				   t->nrows && right_aligned(t->cells[c].type),
				   c == lastc);
	fputc('\n', f);

	/* a line is made whole, then written */
	for (c = 0; c < t->ncols; c++)
		linecap += width[c] + 2;
	line = malloc(linecap + 1);
	if (!line) {
		ret = -1;
		goto out;
	}
	for (r = 0; r < t->nrows; r++) {
		size_t n = 0;

		for (c = 0; c < t->ncols; c++) {
			size_t i = r * t->ncols + c;
			size_t pad = width[c] - ct.n[i];
			bool right = right_aligned(t->cells[i].type);

			if (!(t->cols[c].where & OUT_TEXT))
				continue;
			if (right) {
				memset(line + n, ' ', pad);
				n += pad;
			}
			memcpy(line + n, ct.buf + ct.off[i], ct.n[i]);
			n += ct.n[i];
			if (c == lastc)
				break;
			if (!right) {
				memset(line + n, ' ', pad);
				n += pad;
			}
			memcpy(line + n, "  ", 2);
			n += 2;
		}
		line[n++] = '\n';
		fwrite(line, 1, n, f);
	}
	if (t->nrows == 0)
		fputs("(none)\n", f);
out:
	free(line);
	free(ct.buf);
	free(ct.off);
	free(ct.n);
	free(width);
	return ret;
}

int out_render_text(FILE *f, const struct out_doc *doc)
{
	size_t i = 0, j;

	if (doc->oom)
		return -1;
	while (i < doc->nitems) {
		const struct out_item *it = &doc->items[i];

		switch (it->kind) {
		case OUT_ITEM_FIELD:
			for (j = i; j < doc->nitems &&
				    doc->items[j].kind == OUT_ITEM_FIELD; j++)
				;
			render_fields(f, doc, i, j);
			i = j;
			continue;
		case OUT_ITEM_TABLE:
			if (render_table(f, doc->tables[it->idx]) < 0)
				return -1;
			break;
		case OUT_ITEM_TEXT:
			fprintf(f, "%s\n", doc->strs[it->idx]);
			break;
		}
		i++;
	}
	return ferror(f) ? -1 : 0;
}
