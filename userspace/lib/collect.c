// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libknmt: what the *_array dumps share: the items of a dump collected
 * into a growing array, the dump run again (the array emptied first)
 * when the kernel says it was interrupted.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void *knmt_vec_push(struct knmt_vec *vec, const void *item)
{
	char *slot;

	if (vec->n == vec->cap) {
		size_t ncap = vec->cap ? vec->cap * 2 : vec->first_cap;
		void *nv = realloc(vec->v, ncap * vec->size);

		if (!nv) {
			knmt_fail(vec->h, KNMT_E_NOMEM, "collecting %zu %s",
				  vec->n + 1, vec->what);
			return NULL;
		}
		vec->v = nv;
		vec->cap = ncap;
	}
	slot = (char *)vec->v + vec->n++ * vec->size;
	memcpy(slot, item, vec->size);
	return slot;
}

/* Releases what the items own and forgets them; the array stays. */
static void vec_empty(struct knmt_vec *vec)
{
	size_t i;

	for (i = 0; vec->release && i < vec->n; i++)
		vec->release((char *)vec->v + i * vec->size);
	vec->n = 0;
}

int knmt_collect(struct knmt *h, struct knmt_vec *vec, uint8_t cmd,
		 const uint32_t *pid, knmt_msg_fn fn, void *arg)
{
	int tries = KNMT_DUMP_TRIES;
	int ret;

	if (!h)
		return -KNMT_E_INVAL;
	vec->h = h;
	do {
		vec_empty(vec);
		ret = knmt_dump_run(h, cmd, pid, fn, arg);
	} while (ret == -KNMT_E_INTR && --tries > 0);
	if (ret < 0 || vec->n == 0) {
		vec_empty(vec);
		free(vec->v);
		vec->v = NULL;
		vec->cap = 0;
		return ret;
	}
	return 0;
}
