// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt CLI: the JSON renderer.  Exact values: bytes and nanoseconds as
 * integers, absent values as null.
 *
 * A summary of a thousand processes is some 140,000 values: building a
 * json-c tree of them, printing and freeing it cost several times what
 * fetching them did.  The document is written out as it is walked
 * instead, in the layout json-c prints (JSON_C_TO_STRING_PRETTY |
 * JSON_C_TO_STRING_SPACED, or _PLAIN for one line), and json-c prints
 * the numbers with a fraction.  The keys of a table are planned once (a
 * tree of their path segments), then every row is written from it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "output.h"
#include "units.h"

/* The document as it is written: printed once complete. */
struct jw {
	char *buf;
	size_t len, cap;
	bool pretty;
	bool err;
};

/*
 * A key path "a.b.c" is c in the object b in the object a.  Siblings are
 * kept in the order their key first came, as json-c keeps an object's
 * keys.  A key can be both a value (leaf: its index) and an object (its
 * children): a row whose value is left out (omit) and whose "a.x" is not
 * has an object "a", one with both has what was added last, as adding
 * them to json-c objects in order would give.
 */
struct jnode {
	const char *name;	/* the segment, not NUL-terminated */
	size_t len;
	size_t key, keylen;	/* '"name": ' as printed, in jtree.keys */
	long leaf;		/* -1: none */
	bool leaf_last;		/* the value was added after the children */
	int shows_all;		/* node_shows() when no value is left out */
	long child, last, next;	/* node indices, -1: none */
};

struct jtree {
	struct jnode *n;
	size_t nn, cap;
	struct jw keys;		/* the keys as printed, made once */
};


static long jtree_add(struct jtree *t, const char *name, size_t len, long leaf)
{
	if (t->nn == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		struct jnode *n = realloc(t->n, cap * sizeof(*n));

		if (!n)
			return -1;
		t->n = n;
		t->cap = cap;
	}
	t->n[t->nn] = (struct jnode){ .name = name, .len = len, .leaf = leaf,
				      .leaf_last = leaf >= 0,
				      .child = -1, .last = -1, .next = -1 };
	return (long)t->nn++;
}

/* The child of parent named name[0..len), made (at the end) if absent. */
static long jtree_child(struct jtree *t, long parent, const char *name,
			size_t len, bool *made)
{
	long c, n;

	for (c = t->n[parent].child; c >= 0; c = t->n[c].next)
		if (t->n[c].len == len && !memcmp(t->n[c].name, name, len)) {
			*made = false;
			return c;
		}
	n = jtree_add(t, name, len, -1);
	if (n < 0)
		return -1;
	if (t->n[parent].last >= 0)
		t->n[t->n[parent].last].next = n;
	else
		t->n[parent].child = n;
	t->n[parent].last = n;
	*made = true;
	return n;
}

/* Value idx under the path key, below node 0; a key keeps its place. */
static int jtree_insert(struct jtree *t, const char *key, long idx)
{
	long node = 0;
	const char *dot;
	bool made;

	while ((dot = strchr(key, '.')) != NULL) {
		node = jtree_child(t, node, key, (size_t)(dot - key), &made);
		if (node < 0)
			return -1;
		t->n[node].leaf_last = false;
		key = dot + 1;
	}
	node = jtree_child(t, node, key, strlen(key), &made);
	if (node < 0)
		return -1;
	t->n[node].leaf = idx;
	t->n[node].leaf_last = true;
	return 0;
}

static bool grow(struct jw *w, size_t n)
{
	size_t cap = w->cap ? w->cap : 65536;
	char *nb;

	while (cap < w->len + n)
		cap *= 2;
	nb = w->err ? NULL : realloc(w->buf, cap);
	if (!nb) {
		w->err = true;
		return false;
	}
	w->buf = nb;
	w->cap = cap;
	return true;
}

static inline void put(struct jw *w, const char *s, size_t n)
{
	if (w->len + n > w->cap && !grow(w, n))
		return;
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}
#define PUTS(w, lit) put((w), (lit), sizeof(lit) - 1)

/* Before an item of an object or array: ",", a new line and its indent. */
static void item_sep(struct jw *w, bool first, int level)
{
	static const char sep[] = ",\n"
		"                                                                ";
	size_t n = (size_t)level * 2;

	if (!w->pretty) {
		if (!first)
			PUTS(w, ",");
		return;
	}
	if (n + 2 < sizeof(sep)) {
		put(w, first ? sep + 1 : sep, n + (first ? 1 : 2));
		return;
	}
	put(w, first ? sep + 1 : sep, first ? 1 : 2);
	while (n) {
		size_t k = n < sizeof(sep) - 3 ? n : sizeof(sep) - 3;

		put(w, sep + 2, k);
		n -= k;
	}
}

static void indent(struct jw *w, int level)
{
	static const char blanks[] = "                                ";
	size_t n = (size_t)level * 2;

	if (!w->pretty)
		return;
	while (n) {
		size_t k = n < sizeof(blanks) - 1 ? n : sizeof(blanks) - 1;

		put(w, blanks, k);
		n -= k;
	}
}

/*
 * The end of an object or array: as json-c prints it, a new line and the
 * indent of its key first, whether it holds anything or not.
 */
static void seq_end(struct jw *w, int level, char close)
{
	if (w->pretty) {
		PUTS(w, "\n");
		indent(w, level);
	}
	put(w, &close, 1);
}

/* A string as json-c escapes it (with JSON_C_TO_STRING_NOSLASHESCAPE). */
static void put_str(struct jw *w, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, from = 0;

	PUTS(w, "\"");
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[6] = { '\\', 0 };
		size_t n = 2;

		switch (c) {
		case '\b': esc[1] = 'b'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		case '\f': esc[1] = 'f'; break;
		case '"':  esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		default:
			if (c >= ' ')
				continue;
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xf];
			n = 6;
			break;
		}
		put(w, s + from, i - from);
		put(w, esc, n);
		from = i + 1;
	}
	put(w, s + from, len - from);
	PUTS(w, "\"");
}

/* Every node's '"name": ' (or '"name":'), once for all the rows. */
static bool jtree_keys(struct jtree *t, bool pretty)
{
	size_t i;

	t->keys.pretty = pretty;
	for (i = 1; i < t->nn; i++) {
		t->n[i].key = t->keys.len;
		put_str(&t->keys, t->n[i].name, t->n[i].len);
		if (pretty)
			PUTS(&t->keys, ": ");
		else
			PUTS(&t->keys, ":");
		t->n[i].keylen = t->keys.len - t->n[i].key;
	}
	return !t->keys.err;
}

static void put_u64(struct jw *w, uint64_t v, bool minus)
{
	char buf[24];
	char *p = buf + sizeof(buf);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (minus)
		*--p = '-';
	put(w, p, (size_t)(buf + sizeof(buf) - p));
}

static void put_i64(struct jw *w, int64_t v)
{
	put_u64(w, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0);
}

/* A number with a fraction, printed by json-c as it always was. */
static void put_real(struct jw *w, double d)
{
	struct json_object *o = json_object_new_double(d);
	const char *s = o ? json_object_to_json_string_ext(o,
				JSON_C_TO_STRING_PLAIN) : NULL;

	if (s)
		put(w, s, strlen(s));
	else
		w->err = true;
	json_object_put(o);
}

static void put_val(struct jw *w, const struct out_val *v, int level);

static void put_list(struct jw *w, const struct out_val *v, int level)
{
	size_t i;

	PUTS(w, "[");
	for (i = 0; i < v->n; i++) {
		item_sep(w, i == 0, level + 1);
		put_val(w, &v->list[i], level + 1);
	}
	seq_end(w, level, ']');
}

static void put_val(struct jw *w, const struct out_val *v, int level)
{
	char buf[64];
	const char *s;

	if (v->null || (v->type == OUT_STR && !v->s)) {
		PUTS(w, "null");
		return;
	}
	switch (v->type) {
	case OUT_STR:
		put_str(w, v->s, strlen(v->s));
		break;
	case OUT_INT:
	case OUT_SBYTES:
		put_i64(w, v->i);
		break;
	case OUT_BOOL:
		if (v->u)
			PUTS(w, "true");
		else
			PUTS(w, "false");
		break;
	case OUT_REAL:
		put_real(w, v->d);
		break;
	case OUT_HEX:
		snprintf(buf, sizeof(buf), "0x%" PRIx64, v->u);
		put_str(w, buf, strlen(buf));
		break;
	case OUT_TIME:
		s = units_format_time(v->u, true, buf, sizeof(buf));
		put_str(w, s, strlen(s));
		break;
	case OUT_LIST:
		put_list(w, v, level);
		break;
	case OUT_COUNT:
	case OUT_BYTES:
	case OUT_NSEC:
	default:
		put_u64(w, v->u, false);
		break;
	}
}

/* What a row of a table or the document gives for value idx. */
struct jsrc {
	struct jw *w;
	const struct out_doc *doc;		/* the document's own values */
	const struct out_table *t;		/* or a table's row */
	size_t row;
	bool all;	/* nothing left out: the nodes' shows_all hold */
};

static void put_table(struct jw *w, const struct out_table *t, int level);

static bool leaf_present(const struct jnode *n, const struct jsrc *src)
{
	return n->leaf >= 0 &&
	       (src->all || !src->t ||
		!src->t->cells[src->row * src->t->ncols + (size_t)n->leaf].omit);
}

static bool children_present(const struct jtree *tr, long node,
			     const struct jsrc *src);

/* What node is in this row: 1 its value, 2 an object, 0 nothing. */
static int node_shows(const struct jtree *tr, long node, const struct jsrc *src)
{
	const struct jnode *n = &tr->n[node];
	bool leaf = leaf_present(n, src);

	if (leaf && (n->leaf_last || n->child < 0))
		return 1;
	if (n->child >= 0 && children_present(tr, node, src))
		return 2;
	return leaf ? 1 : 0;
}

static bool children_present(const struct jtree *tr, long node,
			     const struct jsrc *src)
{
	long c;

	for (c = tr->n[node].child; c >= 0; c = tr->n[c].next)
		if (node_shows(tr, c, src))
			return true;
	return false;
}

static void jtree_shows_all(struct jtree *tr, const struct jsrc *src)
{
	size_t i;

	for (i = 1; i < tr->nn; i++)
		tr->n[i].shows_all = node_shows(tr, (long)i, src);
}

static void put_leaf(const struct jsrc *src, long idx, int level)
{
	const struct out_doc *doc = src->doc;

	if (src->t) {
		put_val(src->w, &src->t->cells[src->row * src->t->ncols + (size_t)idx],
			level);
	} else if (idx % 2 == 0) {	/* document items: fields even */
		put_val(src->w, &doc->fields[idx / 2].v, level);
	} else {			/* and tables odd */
		put_table(src->w, doc->tables[idx / 2], level);
	}
}

/* The object of node: its keys in order, those with nothing left out. */
static void put_obj(const struct jtree *tr, long node, const struct jsrc *src,
		    int level)
{
	struct jw *w = src->w;
	bool any = false;
	long c;

	PUTS(w, "{");
	for (c = tr->n[node].child; c >= 0; c = tr->n[c].next) {
		const struct jnode *n = &tr->n[c];
		int shows = src->all ? n->shows_all : node_shows(tr, c, src);

		if (!shows)
			continue;
		item_sep(w, !any, level + 1);
		any = true;
		put(w, tr->keys.buf + n->key, n->keylen);
		if (shows == 1)
			put_leaf(src, n->leaf, level + 1);
		else
			put_obj(tr, c, src, level + 1);
	}
	seq_end(w, level, '}');
}

static void put_table(struct jw *w, const struct out_table *t, int level)
{
	struct jtree tr = { 0 };
	struct jsrc src = { .w = w, .t = t };
	size_t c;

	if (jtree_add(&tr, "", 0, -1) < 0)
		goto oom;
	for (c = 0; c < t->ncols; c++)
		if ((t->cols[c].where & OUT_JSON) &&
		    jtree_insert(&tr, t->cols[c].key, (long)c) < 0)
			goto oom;
	if (!jtree_keys(&tr, w->pretty))
		goto oom;
	/* no value left out: what each key shows is the same in every row */
	src.all = true;
	for (c = 0; c < t->nrows * t->ncols && src.all; c++)
		src.all = !t->cells[c].omit;
	if (src.all)
		jtree_shows_all(&tr, &src);
	PUTS(w, "[");
	for (src.row = 0; src.row < t->nrows; src.row++) {
		item_sep(w, src.row == 0, level + 1);
		put_obj(&tr, 0, &src, level + 1);
	}
	seq_end(w, level, ']');
	free(tr.keys.buf);
	free(tr.n);
	return;
oom:
	w->err = true;
	free(tr.keys.buf);
	free(tr.n);
}

static int render_json(FILE *f, const struct out_doc *doc, bool pretty)
{
	struct jtree tr = { 0 };
	struct jw w = { .pretty = pretty };
	struct jsrc src = { .w = &w, .doc = doc };
	size_t i;
	int ret = -1;

	if (doc->oom)
		return -1;
	/* in the order they were added, as the text */
	if (jtree_add(&tr, "", 0, -1) < 0)
		return -1;
	for (i = 0; i < doc->nitems; i++) {
		const struct out_item *it = &doc->items[i];
		const struct out_field *fl;
		const struct out_table *t;

		switch (it->kind) {
		case OUT_ITEM_FIELD:
			fl = &doc->fields[it->idx];
			if ((fl->where & OUT_JSON) && !fl->v.omit &&
			    jtree_insert(&tr, fl->key, (long)it->idx * 2) < 0)
				goto out;
			break;
		case OUT_ITEM_TABLE:
			t = doc->tables[it->idx];
			if (t->key &&
			    jtree_insert(&tr, t->key, (long)it->idx * 2 + 1) < 0)
				goto out;
			break;
		case OUT_ITEM_TEXT:
			break;
		}
	}
	if (!jtree_keys(&tr, pretty))
		goto out;
	/* the document's values left out were never put in the tree */
	src.all = true;
	jtree_shows_all(&tr, &src);
	/* all or nothing: a failure prints no half document */
	put_obj(&tr, 0, &src, 0);
	PUTS(&w, "\n");
	if (!w.err && fwrite(w.buf, 1, w.len, f) == w.len && !ferror(f))
		ret = 0;
out:
	free(w.buf);
	free(tr.keys.buf);
	free(tr.n);
	return ret;
}

/* ---- a document of any shape, streamed ----------------------------------- */

struct out_jstream {
	FILE *f;
	struct jw w;
	bool err;
};

#define JSTREAM_FLUSH	65536

static void jstream_flush(struct out_jstream *s)
{
	if (s->w.err || (s->w.len && fwrite(s->w.buf, 1, s->w.len, s->f) != s->w.len))
		s->err = true;
	s->w.len = 0;
	s->w.err = false;
}

static void jstream_maybe_flush(struct out_jstream *s)
{
	if (s->w.len >= JSTREAM_FLUSH || s->w.err)
		jstream_flush(s);
}

struct out_jstream *out_jstream_open(FILE *f)
{
	struct out_jstream *s = calloc(1, sizeof(*s));

	if (s) {
		s->f = f;
		s->w.pretty = true;
	}
	return s;
}

void out_jstream_open_seq(struct out_jstream *s, char open)
{
	put(&s->w, &open, 1);
}

void out_jstream_item(struct out_jstream *s, bool first, int level)
{
	item_sep(&s->w, first, level);
}

void out_jstream_key(struct out_jstream *s, bool first, int level, const char *key)
{
	item_sep(&s->w, first, level);
	put_str(&s->w, key, strlen(key));
	PUTS(&s->w, ": ");
}

void out_jstream_end(struct out_jstream *s, int level, char close)
{
	seq_end(&s->w, level, close);
	jstream_maybe_flush(s);
}

void out_jstream_json(struct out_jstream *s, struct json_object *o, int level)
{
	const char *t = json_object_to_json_string_ext(o,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			JSON_C_TO_STRING_NOSLASHESCAPE);
	const char *nl;

	if (!t) {
		s->err = true;
	} else {
		/* strings are escaped: a new line is json-c's own */
		while ((nl = strchr(t, '\n')) != NULL) {
			put(&s->w, t, (size_t)(nl - t) + 1);
			indent(&s->w, level);
			t = nl + 1;
		}
		put(&s->w, t, strlen(t));
	}
	json_object_put(o);
	jstream_maybe_flush(s);
}

void out_jstream_keys(struct out_jstream *s, struct json_object *o, bool first,
		      int level)
{
	if (!o) {
		s->err = true;
		return;
	}
	json_object_object_foreach(o, key, val) {
		out_jstream_key(s, first, level, key);
		out_jstream_json(s, json_object_get(val), level);
		first = false;
	}
	json_object_put(o);
}

int out_jstream_close(struct out_jstream *s)
{
	int ret;

	if (!s)
		return -1;
	jstream_flush(s);
	ret = s->err || ferror(s->f) ? -1 : 0;
	free(s->w.buf);
	free(s);
	return ret;
}

int out_render_json(FILE *f, const struct out_doc *doc)
{
	return render_json(f, doc, true);
}

int out_render_json_line(FILE *f, const struct out_doc *doc)
{
	return render_json(f, doc, false);
}
