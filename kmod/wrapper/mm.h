/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory-management helpers that differ between the kernels knmt supports.
 */
#ifndef _KNMT_WRAPPER_MM_H
#define _KNMT_WRAPPER_MM_H

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/shmem_fs.h>

/*
 * Is this mapping backed by shmem (tmpfs, memfd, SysV shm, shared
 * anonymous)?  shmem_mapping() is exported from 6.3 on; before, shmem_aops
 * is, and shmem_mapping() compares against it.
 */
static inline bool knmt_vma_is_shmem(const struct vm_area_struct *vma)
{
	struct address_space *mapping;

	if (!vma->vm_file)
		return false;
	mapping = vma->vm_file->f_mapping;
#if defined(KNMT_HAS_EXPORT_shmem_mapping)
	return shmem_mapping(mapping);
#elif defined(KNMT_HAS_EXPORT_shmem_aops)
	return mapping && mapping->a_ops == &shmem_aops;
#else
#error "knmt needs shmem_mapping or shmem_aops exported"
#endif
}

/* A pmd read once, without the page table lock. */
static inline pmd_t knmt_pmd_read(pmd_t *pmdp)
{
#ifdef KNMT_HAS_PMDP_GET_LOCKLESS
	return pmdp_get_lockless(pmdp);
#else
	return READ_ONCE(*pmdp);
#endif
}

/*
 * An rss counter of @mm in pages.  From 6.2 on they are per-CPU counters
 * and the cheap read is approximate: sum them, as /proc/PID/status does
 * not, but smaps_rollup and exact accounting need.  On 6.1 the counters are
 * atomics with per-thread caches synced every 64 events, read as
 * /proc/PID/status reads them.
 */
static inline unsigned long knmt_mm_counter(struct mm_struct *mm, int member)
{
#ifdef KNMT_HAS_GET_MM_COUNTER_SUM
	return get_mm_counter_sum(mm, member);
#else
	return get_mm_counter(mm, member);
#endif
}

#endif /* _KNMT_WRAPPER_MM_H */
