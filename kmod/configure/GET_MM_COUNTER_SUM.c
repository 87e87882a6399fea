// SPDX-License-Identifier: GPL-2.0
/* get_mm_counter_sum(): an exact read of the per-CPU rss counters (6.2). */
#include <linux/mm.h>

unsigned long knmt_probe(struct mm_struct *mm);
unsigned long knmt_probe(struct mm_struct *mm)
{
	return get_mm_counter_sum(mm, MM_ANONPAGES);
}
