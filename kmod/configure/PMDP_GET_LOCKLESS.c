// SPDX-License-Identifier: GPL-2.0
/* pmdp_get_lockless() for reading a pmd without the page table lock (6.5). */
#include <linux/pgtable.h>

pmd_t knmt_probe(pmd_t *pmdp);
pmd_t knmt_probe(pmd_t *pmdp)
{
	return pmdp_get_lockless(pmdp);
}
