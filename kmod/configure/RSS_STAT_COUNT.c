// SPDX-License-Identifier: GPL-2.0
/* kmem:rss_stat passes the new count as a third argument (before 6.2). */
#include <linux/mm.h>
#include <linux/slab.h>
#include <trace/events/kmem.h>

static void knmt_probe_rss(void *data, struct mm_struct *mm, int member,
			   long count)
{
}

void knmt_probe(void);
void knmt_probe(void)
{
	check_trace_callback_type_rss_stat(knmt_probe_rss);
}
