/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * knmt CLI: what a command shows, described once and rendered twice.
 *
 * A command fills a document of typed values (strings, counts, bytes,
 * durations) and hands it to output_table.c, which renders text with
 * human units, or to output_json.c, which renders exact values with
 * json-c.  Neither renderer knows any command; no command prints.
 */
#ifndef KNMT_OUTPUT_H
#define KNMT_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum out_type {
	OUT_STR,	/* text; NULL renders "-" / null */
	OUT_COUNT,	/* unsigned count */
	OUT_INT,	/* signed number, e.g. an errno */
	OUT_BYTES,	/* bytes: KiB/MiB/GiB in text, exact in JSON */
	OUT_NSEC,	/* duration in ns: human in text, exact in JSON */
	OUT_SBYTES,	/* signed bytes: "-1.5 MiB" in text, exact in JSON */
	OUT_BOOL,	/* "yes"/"no" in text, true/false in JSON */
	OUT_REAL,	/* a number with a fraction, e.g. seconds */
	OUT_HEX,	/* an address: "0x7f00..." in text and as a JSON string */
	OUT_TIME,	/* wall clock, ns since the epoch: local time in text,
			 * ISO-8601 UTC with milliseconds in JSON */
	OUT_LIST,	/* values: "a, b" in text, an array in JSON */
};

/* Where a value appears. */
#define OUT_TEXT	0x1
#define OUT_JSON	0x2
#define OUT_BOTH	(OUT_TEXT | OUT_JSON)

struct out_val {
	enum out_type type;
	bool null;		/* absent: "-" in text, null in JSON */
	uint64_t u;		/* COUNT, BYTES, NSEC, HEX, TIME, BOOL */
	int64_t i;		/* INT, SBYTES */
	double d;		/* REAL */
	const char *s;		/* STR */
	const struct out_val *list;	/* LIST: n values the document owns */
	size_t n;
	/* text only: appended to the value, e.g. a footnote's "*" */
	const char *mark;
	/* JSON only: no key at all (a parent object that is null instead) */
	bool omit;
	/* text only: a change, "+" before a value >= 0 (INT, SBYTES) */
	bool plus;
};

/*
 * JSON keys may be paths: "rss.anon_bytes" puts anon_bytes in the object
 * rss (made when first needed), in the document and in table rows alike.
 */
struct out_field {
	const char *key;	/* JSON key */
	const char *label;	/* text label */
	unsigned int where;
	struct out_val v;
};

struct out_col {
	const char *key;	/* JSON key */
	const char *label;	/* text column header */
	unsigned int where;
};

struct out_table {
	const char *key;	/* JSON key of the array of objects */
	const char *title;	/* text heading, NULL for none */
	size_t ncols, nrows;
	const struct out_col *cols;
	struct out_val *cells;	/* nrows * ncols, row-major */
};

/* What the text renderer shows, in the order it was added. */
enum out_item_kind { OUT_ITEM_FIELD, OUT_ITEM_TABLE, OUT_ITEM_TEXT };

struct out_item {
	enum out_item_kind kind;
	size_t idx;		/* into fields, tables or strs */
};

struct out_doc {
	struct out_field *fields;
	size_t nfields, fcap;
	struct out_table **tables;	/* stable: out_table() returns them */
	size_t ntables, tcap;
	char **strs;		/* strings the document owns */
	size_t nstrs, scap;
	void **blocks;		/* other memory the document owns (lists) */
	size_t nblocks, bcap;
	struct out_item *items;
	size_t nitems, icap;
	bool oom;		/* an allocation failed: render refuses */
	/*
	 * 0, or the one format (OUT_TEXT, OUT_JSON) the document will be
	 * printed in: out_table() then makes no table that has no column
	 * for it, and returns NULL, which out_cell() ignores.
	 */
	unsigned int only;
};

void out_init(struct out_doc *doc);
void out_free(struct out_doc *doc);

struct out_val out_str(const char *s);
struct out_val out_count(uint64_t v);
struct out_val out_int(int64_t v);
struct out_val out_bytes(uint64_t v);
struct out_val out_nsec(uint64_t v);
struct out_val out_null(enum out_type type);
struct out_val out_sbytes(int64_t v);
/* A change: "+1.5 MiB", "-512 B", "+0 B" / "+3", "-1" in text, exact in JSON. */
struct out_val out_delta_bytes(int64_t v);
struct out_val out_delta(int64_t v);
struct out_val out_bool(bool v);
struct out_val out_real(double v);
struct out_val out_hex(uint64_t v);
struct out_val out_time(uint64_t ns_since_epoch);
/* v with mark appended in text (JSON ignores it); a null v keeps none. */
struct out_val out_marked(struct out_val v, const char *mark);
/* Leaves its key out of JSON; "-" in text. */
struct out_val out_omit(void);
/* A list of n values, copied into the document. */
struct out_val out_list(struct out_doc *doc, const struct out_val *vals,
			size_t n);

/* A document-owned copy of a formatted string (NULL if out of memory). */
const char *out_printf(struct out_doc *doc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void out_field(struct out_doc *doc, const char *key, const char *label,
	       unsigned int where, struct out_val v);
/* A line of text (text output only), shown where it was added. */
void out_text(struct out_doc *doc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * A table of nrows rows; cells start null, set them with out_cell().
 * NULL when out of memory, or when no column is for doc->only.
 */
struct out_table *out_table(struct out_doc *doc, const char *key,
			    const char *title, const struct out_col *cols,
			    size_t ncols, size_t nrows);
void out_cell(struct out_table *t, size_t row, size_t col, struct out_val v);

/*
 * output_table.c: fields, tables and lines of text in the order they were
 * added; consecutive fields are "label: value" lines aligned together.
 */
int out_render_text(FILE *f, const struct out_doc *doc);
/* output_json.c: one JSON object with every field and table. */
int out_render_json(FILE *f, const struct out_doc *doc);
/* The same on one line (JSON lines), without the spaces. */
int out_render_json_line(FILE *f, const struct out_doc *doc);
/*
 * A JSON document of any shape, written to f as it goes in the same layout
 * (pretty): for what a struct out_doc cannot hold, such as an array of
 * objects in every row.  Buffered; out_jstream_close() writes the rest and
 * says whether all of it was written (0) or not (-1).
 */
struct out_jstream;
struct json_object;
struct out_jstream *out_jstream_open(FILE *f);
/* "{" or "[" */
void out_jstream_open_seq(struct out_jstream *s, char open);
/* Before an item of an object or array at level: "," if not first, a new line, the indent. */
void out_jstream_item(struct out_jstream *s, bool first, int level);
/* out_jstream_item() and '"key": ' */
void out_jstream_key(struct out_jstream *s, bool first, int level, const char *key);
/* The end of an object or array whose items are at level + 1. */
void out_jstream_end(struct out_jstream *s, int level, char close);
/* o (NULL: null) as json-c prints it, its lines indented to level; takes o. */
void out_jstream_json(struct out_jstream *s, struct json_object *o, int level);
/* The keys of object o at level, after first; takes o (NULL: out of memory). */
void out_jstream_keys(struct out_jstream *s, struct json_object *o, bool first,
		      int level);
int out_jstream_close(struct out_jstream *s);

/* The text form of one value (human units), as the table renderer shows it. */
const char *out_val_text(const struct out_val *v, char *buf, size_t len);

#endif /* KNMT_OUTPUT_H */
