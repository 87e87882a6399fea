// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt CLI: building output documents (see output.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

void out_init(struct out_doc *doc)
{
	memset(doc, 0, sizeof(*doc));
}

void out_free(struct out_doc *doc)
{
	size_t i;

	for (i = 0; i < doc->ntables; i++) {
		free(doc->tables[i]->cells);
		free(doc->tables[i]);
	}
	for (i = 0; i < doc->nstrs; i++)
		free(doc->strs[i]);
	for (i = 0; i < doc->nblocks; i++)
		free(doc->blocks[i]);
	free(doc->tables);
	free(doc->fields);
	free(doc->strs);
	free(doc->blocks);
	free(doc->items);
	memset(doc, 0, sizeof(*doc));
}

/*
 * Returns arr grown to hold element n (at least n + 1 elements), or NULL
 * if out of memory, arr being then left as it was.
 */
static void *grow(void *arr, size_t *cap, size_t n, size_t size)
{
	void *p;
	size_t ncap;

	if (n < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 8;
	p = realloc(arr, ncap * size);
	if (p)
		*cap = ncap;
	return p;
}

struct out_val out_str(const char *s)
{
	return (struct out_val){ .type = OUT_STR, .null = !s, .s = s };
}

struct out_val out_count(uint64_t v)
{
	return (struct out_val){ .type = OUT_COUNT, .u = v };
}

struct out_val out_int(int64_t v)
{
	return (struct out_val){ .type = OUT_INT, .i = v };
}

struct out_val out_bytes(uint64_t v)
{
	return (struct out_val){ .type = OUT_BYTES, .u = v };
}

struct out_val out_nsec(uint64_t v)
{
	return (struct out_val){ .type = OUT_NSEC, .u = v };
}

struct out_val out_null(enum out_type type)
{
	return (struct out_val){ .type = type, .null = true };
}

struct out_val out_sbytes(int64_t v)
{
	return (struct out_val){ .type = OUT_SBYTES, .i = v };
}

struct out_val out_delta_bytes(int64_t v)
{
	return (struct out_val){ .type = OUT_SBYTES, .i = v, .plus = true };
}

struct out_val out_delta(int64_t v)
{
	return (struct out_val){ .type = OUT_INT, .i = v, .plus = true };
}

struct out_val out_bool(bool v)
{
	return (struct out_val){ .type = OUT_BOOL, .u = v };
}

struct out_val out_real(double v)
{
	return (struct out_val){ .type = OUT_REAL, .d = v };
}

struct out_val out_hex(uint64_t v)
{
	return (struct out_val){ .type = OUT_HEX, .u = v };
}

struct out_val out_time(uint64_t ns_since_epoch)
{
	return (struct out_val){ .type = OUT_TIME, .u = ns_since_epoch };
}

struct out_val out_marked(struct out_val v, const char *mark)
{
	v.mark = mark;
	return v;
}

struct out_val out_omit(void)
{
	return (struct out_val){ .type = OUT_STR, .null = true, .omit = true };
}

/* Keeps p (malloc'ed) until out_free(); false if out of memory. */
static bool own(struct out_doc *doc, void *p)
{
	void **blocks = grow(doc->blocks, &doc->bcap, doc->nblocks,
			     sizeof(*blocks));

	if (!blocks) {
		doc->oom = true;
		return false;
	}
	doc->blocks = blocks;
	doc->blocks[doc->nblocks++] = p;
	return true;
}

struct out_val out_list(struct out_doc *doc, const struct out_val *vals,
			size_t n)
{
	struct out_val v = { .type = OUT_LIST };
	struct out_val *copy;

	if (n) {
		copy = malloc(n * sizeof(*copy));
		if (!copy) {
			doc->oom = true;
			return out_null(OUT_LIST);
		}
		memcpy(copy, vals, n * sizeof(*copy));
		if (!own(doc, copy)) {
			free(copy);
			return out_null(OUT_LIST);
		}
		v.list = copy;
		v.n = n;
	}
	return v;
}

static void add_item(struct out_doc *doc, enum out_item_kind kind, size_t idx)
{
	struct out_item *items = grow(doc->items, &doc->icap, doc->nitems,
				      sizeof(*items));

	if (!items) {
		doc->oom = true;
		return;
	}
	doc->items = items;
	doc->items[doc->nitems++] = (struct out_item){ .kind = kind, .idx = idx };
}

const char *out_printf(struct out_doc *doc, const char *fmt, ...)
{
	va_list ap;
	char **strs;
	char *s;
	int n;

	strs = grow(doc->strs, &doc->scap, doc->nstrs, sizeof(*strs));
	if (!strs) {
		doc->oom = true;
		return NULL;
	}
	doc->strs = strs;
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		doc->oom = true;
		return NULL;
	}
	doc->strs[doc->nstrs++] = s;
	return s;
}

void out_field(struct out_doc *doc, const char *key, const char *label,
	       unsigned int where, struct out_val v)
{
	struct out_field *fields;

	fields = grow(doc->fields, &doc->fcap, doc->nfields, sizeof(*fields));
	if (!fields) {
		doc->oom = true;
		return;
	}
	doc->fields = fields;
	doc->fields[doc->nfields] = (struct out_field){
		.key = key, .label = label, .where = where, .v = v,
	};
	add_item(doc, OUT_ITEM_FIELD, doc->nfields++);
}

void out_text(struct out_doc *doc, const char *fmt, ...)
{
	va_list ap;
	char **strs;
	char *s;
	int n;

	strs = grow(doc->strs, &doc->scap, doc->nstrs, sizeof(*strs));
	if (!strs) {
		doc->oom = true;
		return;
	}
	doc->strs = strs;
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		doc->oom = true;
		return;
	}
	doc->strs[doc->nstrs] = s;
	add_item(doc, OUT_ITEM_TEXT, doc->nstrs++);
}

struct out_table *out_table(struct out_doc *doc, const char *key,
			    const char *title, const struct out_col *cols,
			    size_t ncols, size_t nrows)
{
	struct out_table **tables, *t;

	if (doc->only) {
		size_t c;

		for (c = 0; c < ncols && !(cols[c].where & doc->only); c++)
			;
		if (c == ncols)
			return NULL;
	}
	tables = grow(doc->tables, &doc->tcap, doc->ntables, sizeof(*tables));
	if (!tables) {
		doc->oom = true;
		return NULL;
	}
	doc->tables = tables;
	t = calloc(1, sizeof(*t));
	if (!t) {
		doc->oom = true;
		return NULL;
	}
	*t = (struct out_table){
		.key = key, .title = title, .cols = cols,
		.ncols = ncols, .nrows = nrows,
	};
	if (nrows && ncols) {
		size_t i;

		t->cells = calloc(nrows * ncols, sizeof(*t->cells));
		if (!t->cells) {
			free(t);
			doc->oom = true;
			return NULL;
		}
		for (i = 0; i < nrows * ncols; i++)
			t->cells[i] = out_null(OUT_STR);
	}
	doc->tables[doc->ntables] = t;
	add_item(doc, OUT_ITEM_TABLE, doc->ntables++);
	return t;
}

void out_cell(struct out_table *t, size_t row, size_t col, struct out_val v)
{
	if (t && row < t->nrows && col < t->ncols)
		t->cells[row * t->ncols + col] = v;
}
