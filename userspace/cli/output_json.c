// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt CLI: the JSON renderer (json-c).  Exact values: bytes and
 * nanoseconds as integers, absent values as null.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json.h>

#include "output.h"
#include "units.h"

static struct json_object *json_val(const struct out_val *v, bool *oom)
{
	struct json_object *o;
	char buf[64];
	size_t i;

	if (v->null)
		return NULL;
	switch (v->type) {
	case OUT_STR:
		o = json_object_new_string(v->s);
		break;
	case OUT_INT:
	case OUT_SBYTES:
		o = json_object_new_int64(v->i);
		break;
	case OUT_BOOL:
		o = json_object_new_boolean(v->u != 0);
		break;
	case OUT_REAL:
		o = json_object_new_double(v->d);
		break;
	case OUT_HEX:
		snprintf(buf, sizeof(buf), "0x%" PRIx64, v->u);
		o = json_object_new_string(buf);
		break;
	case OUT_TIME:
		o = json_object_new_string(units_format_time(v->u, true, buf,
							     sizeof(buf)));
		break;
	case OUT_LIST:
		o = json_object_new_array();
		for (i = 0; o && i < v->n; i++) {
			struct json_object *e = json_val(&v->list[i], oom);

			if (json_object_array_add(o, e) < 0) {
				json_object_put(e);
				*oom = true;
			}
		}
		break;
	case OUT_COUNT:
	case OUT_BYTES:
	case OUT_NSEC:
	default:
		o = json_object_new_uint64(v->u);
		break;
	}
	if (!o)
		*oom = true;
	return o;
}

/*
 * Adds v under key, a path: "a.b.c" is c in the object b in the object
 * a, made as needed.  v is released on failure.
 */
static int add(struct json_object *obj, const char *key, struct json_object *v)
{
	const char *dot;

	while ((dot = strchr(key, '.')) != NULL) {
		struct json_object *sub;
		char part[128];
		size_t n = (size_t)(dot - key);

		if (n >= sizeof(part))
			goto fail;
		memcpy(part, key, n);
		part[n] = '\0';
		if (!json_object_object_get_ex(obj, part, &sub) ||
		    !json_object_is_type(sub, json_type_object)) {
			sub = json_object_new_object();
			if (!sub)
				goto fail;
			if (json_object_object_add(obj, part, sub) < 0) {
				json_object_put(sub);
				goto fail;
			}
		}
		obj = sub;
		key = dot + 1;
	}
	if (json_object_object_add(obj, key, v) < 0)
		goto fail;
	return 0;
fail:
	json_object_put(v);
	return -1;
}

static struct json_object *json_table(const struct out_table *t, bool *oom)
{
	struct json_object *arr = json_object_new_array();
	size_t r, c;

	if (!arr) {
		*oom = true;
		return NULL;
	}
	for (r = 0; r < t->nrows; r++) {
		struct json_object *row = json_object_new_object();

		if (!row || json_object_array_add(arr, row) < 0) {
			json_object_put(row);
			*oom = true;
			break;
		}
		for (c = 0; c < t->ncols; c++) {
			if (!(t->cols[c].where & OUT_JSON) ||
			    t->cells[r * t->ncols + c].omit)
				continue;
			if (add(row, t->cols[c].key,
				json_val(&t->cells[r * t->ncols + c], oom)) < 0)
				*oom = true;
		}
	}
	return arr;
}

static int render_json(FILE *f, const struct out_doc *doc, int flags)
{
	struct json_object *root;
	bool oom = doc->oom;
	size_t i;
	int ret = -1;

	root = json_object_new_object();
	if (!root)
		return -1;
	/* in the order they were added, as the text */
	for (i = 0; i < doc->nitems; i++) {
		const struct out_item *it = &doc->items[i];
		const struct out_field *fl;
		const struct out_table *t;

		switch (it->kind) {
		case OUT_ITEM_FIELD:
			fl = &doc->fields[it->idx];
			if ((fl->where & OUT_JSON) && !fl->v.omit &&
			    add(root, fl->key, json_val(&fl->v, &oom)) < 0)
				oom = true;
			break;
		case OUT_ITEM_TABLE:
			t = doc->tables[it->idx];
			if (t->key && add(root, t->key, json_table(t, &oom)) < 0)
				oom = true;
			break;
		case OUT_ITEM_TEXT:
			break;
		}
	}
	if (!oom) {
		const char *s = json_object_to_json_string_ext(root,
				flags | JSON_C_TO_STRING_NOSLASHESCAPE);

		if (s && fprintf(f, "%s\n", s) >= 0 && !ferror(f))
			ret = 0;
	}
	json_object_put(root);
	return ret;
}

int out_render_json(FILE *f, const struct out_doc *doc)
{
	return render_json(f, doc, JSON_C_TO_STRING_PRETTY |
			   JSON_C_TO_STRING_SPACED);
}

int out_render_json_line(FILE *f, const struct out_doc *doc)
{
	return render_json(f, doc, JSON_C_TO_STRING_PLAIN);
}
