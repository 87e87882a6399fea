// SPDX-License-Identifier: GPL-2.0
/*
 * knmt - where a process's memory is: classification and page-table walks.
 *
 * Exact views are taken in process context, under mmap_read_lock: every
 * VMA is cut into pieces of one category (by the origin map for anonymous
 * private memory, by the VMA itself otherwise) and the resident bytes of
 * each piece are counted from the page tables.
 *
 * walk_page_range() is not exported, so the walk reads the tables with the
 * inline helpers only: each pmd once (a THP counts whole), then the ptes
 * under rcu_read_lock(), which keeps a page table that khugepaged retracts
 * concurrently from being freed under us.  A pte counts when it is present
 * and maps a normal page, as smaps counts Rss: special mappings and the
 * shared zero page do not count.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hugetlb.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/pgtable.h>
#include <linux/pid.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>

#include "knmt.h"
#include "knmt_proc.h"
#include "wrapper/mm.h"

static const u8 knmt_origin_cat[] = {
	[KNMT_ORIGIN_RESERVED]	= KNMT_CAT_ARENA,
	[KNMT_ORIGIN_STACK]	= KNMT_CAT_STACK,
	[KNMT_ORIGIN_OFFHEAP]	= KNMT_CAT_OFFHEAP,
};

/*
 * The category a VMA gives on its own.  KNMT_CAT_ANON means "private
 * anonymous, not heap, not a growsdown stack": the origin map decides.
 */
unsigned int knmt_vma_category(struct vm_area_struct *vma, u8 *origin)
{
	struct mm_struct *mm = vma->vm_mm;

	*origin = KNMT_ORIGIN_NONE;
	/* A private /dev/zero mapping has a file but is anonymous memory. */
	if (vma->vm_file && !vma_is_anonymous(vma))
		return knmt_vma_is_shmem(vma) ? KNMT_CAT_SHMEM : KNMT_CAT_FILE;
	if (vma->vm_flags & VM_SHARED)
		return KNMT_CAT_SHMEM;
	if (vma->vm_flags & VM_GROWSDOWN) {
		*origin = KNMT_ORIGIN_GROWSDOWN;
		return KNMT_CAT_STACK;
	}
	/* As /proc/PID/maps names [heap]. */
	if (vma->vm_start <= READ_ONCE(mm->brk) &&
	    vma->vm_end >= READ_ONCE(mm->start_brk)) {
		*origin = KNMT_ORIGIN_BRK;
		return KNMT_CAT_HEAP;
	}
	return KNMT_CAT_ANON;
}

/*
 * Fault path: knmt_addr_category(), and the range around @addr where the
 * answer holds until the process's map generation changes: the VMA, for
 * a category the VMA decides; the VMA's part of the origin record (*@o)
 * for one the record decides; none (*@end == *@start) otherwise.
 */
unsigned int knmt_addr_category_range(struct knmt_proc *p,
				      struct vm_area_struct *vma,
				      unsigned long addr, unsigned long *start,
				      unsigned long *end, struct knmt_orec **o)
{
	unsigned int cat;
	u8 origin;

	*o = NULL;
	*start = vma->vm_start;
	*end = vma->vm_end;
	cat = knmt_vma_category(vma, &origin);
	if (cat != KNMT_CAT_ANON)
		return cat;
	*o = knmt_origin_find(p, addr);
	if (!*o || (*o)->kind >= ARRAY_SIZE(knmt_origin_cat) ||
	    !knmt_origin_cat[(*o)->kind]) {
		*o = NULL;
		*end = *start;
		return KNMT_CAT_ANON;
	}
	atomic_inc(&(*o)->faults);
	*start = max(*start, (*o)->start);
	*end = min(*end, (*o)->end);
	return knmt_origin_cat[(*o)->kind];
}

/* Fault path: lockless, in an RCU read-side section. */
unsigned int knmt_addr_category(struct knmt_proc *p,
				struct vm_area_struct *vma, unsigned long addr)
{
	struct knmt_orec *o;
	unsigned int cat;
	u8 origin;

	cat = knmt_vma_category(vma, &origin);
	if (cat != KNMT_CAT_ANON)
		return cat;
	o = knmt_origin_find(p, addr);
	if (!o || o->kind >= ARRAY_SIZE(knmt_origin_cat) ||
	    !knmt_origin_cat[o->kind])
		return KNMT_CAT_ANON;
	atomic_inc(&o->faults);
	return knmt_origin_cat[o->kind];
}

static unsigned long knmt_resident_ptes(pmd_t pmd, unsigned long addr,
					unsigned long end)
{
	unsigned long pages = 0;
	pte_t *pte;

	rcu_read_lock();
	pte = pte_offset_kernel(&pmd, addr);
	for (; addr < end; addr += PAGE_SIZE, pte++) {
		pte_t v = ptep_get(pte);

		/*
		 * smaps counts no special page; the zero page is one where
		 * the architecture has the bit (x86), so its check is
		 * needed only elsewhere.
		 */
		if (pte_present(v) && !pte_special(v) &&
		    (IS_ENABLED(CONFIG_ARCH_HAS_PTE_SPECIAL) ||
		     !is_zero_pfn(pte_pfn(v))))
			pages++;
	}
	rcu_read_unlock();
	return pages << PAGE_SHIFT;
}

/*
 * A huge pmd in anonymous memory that maps no anonymous folio is the
 * huge zero page (a read fault on a THP-eligible range), which smaps does
 * not count; the kernel does not export the helpers that recognise it.
 */
static bool knmt_huge_pmd_counts(pmd_t pmd, bool anon)
{
	return !anon || pmd_devmap(pmd) || PageAnon(pmd_page(pmd));
}

static u64 knmt_resident_pmds(pud_t *pud, unsigned long addr,
			      unsigned long end, bool anon)
{
	pmd_t *pmdp = pmd_offset(pud, addr);
	u64 bytes = 0;

	for (; addr < end; pmdp++) {
		unsigned long next = pmd_addr_end(addr, end);
		pmd_t pmd = knmt_pmd_read(pmdp);

		/* Skipped: empty, a THP being migrated, or bad. */
		if (!pmd_present(pmd))
			;
		else if (pmd_trans_huge(pmd) || pmd_devmap(pmd))
			bytes += knmt_huge_pmd_counts(pmd, anon) ? next - addr : 0;
		else if (!pmd_bad(pmd))
			bytes += knmt_resident_ptes(pmd, addr, next);
		addr = next;
		/* Long ranges: let others run, and stop for a fatal signal. */
		if (!(addr & (PUD_SIZE - 1))) {
			cond_resched();
			if (fatal_signal_pending(current))
				break;
		}
	}
	return bytes;
}

/*
 * Resident bytes of [addr, end) in @mm, all in one VMA (@anon: an
 * anonymous one); mmap_read_lock held.
 */
static u64 knmt_resident(struct mm_struct *mm, unsigned long addr,
			 unsigned long end, bool anon)
{
	u64 bytes = 0;

	while (addr < end) {
		pgd_t *pgd = pgd_offset(mm, addr);
		unsigned long next = pgd_addr_end(addr, end);
		p4d_t *p4d;

		if (pgd_none(*pgd) || pgd_bad(*pgd)) {
			addr = next;
			continue;
		}
		p4d = p4d_offset(pgd, addr);
		for (; addr < next; p4d++) {
			unsigned long p4d_next = p4d_addr_end(addr, next);
			pud_t *pud;

			if (p4d_none(*p4d) || p4d_bad(*p4d)) {
				addr = p4d_next;
				continue;
			}
			pud = pud_offset(p4d, addr);
			for (; addr < p4d_next; pud++) {
				unsigned long pud_next =
					pud_addr_end(addr, p4d_next);
				pud_t v = READ_ONCE(*pud);

				if (pud_none(v) || !pud_present(v)) {
					/* nothing mapped */
				} else if (pud_leaf(v)) {
					bytes += pud_next - addr;
				} else if (!pud_bad(v)) {
					bytes += knmt_resident_pmds(pud, addr,
								    pud_next,
								    anon);
				}
				addr = pud_next;
			}
		}
	}
	return bytes;
}

/* A region's access rights as the protocol spells them. */
u32 knmt_vm_prot(unsigned long vm_flags)
{
	return (vm_flags & VM_READ ? KNMT_PROT_READ : 0) |
	       (vm_flags & VM_WRITE ? KNMT_PROT_WRITE : 0) |
	       (vm_flags & VM_EXEC ? KNMT_PROT_EXEC : 0) |
	       (vm_flags & VM_SHARED ? KNMT_PROT_SHARED : 0);
}

static int knmt_emit(struct mm_struct *mm, struct knmt_piece *pc,
		     knmt_piece_fn fn, void *arg)
{
	if (is_vm_hugetlb_page(pc->vma))
		pc->resident = 0;	/* hugetlb is not part of RSS */
	else
		pc->resident = knmt_resident(mm, pc->start, pc->end,
					     vma_is_anonymous(pc->vma));
	return fn(pc, arg);
}

/*
 * Cut one VMA into pieces of one category each and hand them to @fn.
 * Anonymous private memory is cut along the origin map; records are read
 * under the process's lock, one at a time.
 */
static int knmt_walk_vma(struct mm_struct *mm, struct knmt_proc *p,
			 struct vm_area_struct *vma, unsigned long from,
			 knmt_piece_fn fn, void *arg, unsigned long *failed)
{
	struct knmt_piece pc = {
		.vma = vma,
		.vm_flags = vma->vm_flags,
		.start = max(from, vma->vm_start),
		.end = vma->vm_end,
	};
	unsigned long addr = pc.start;
	int err;

	*failed = pc.start;
	pc.cat = knmt_vma_category(vma, &pc.origin);
	if (pc.cat != KNMT_CAT_ANON || !p)
		return knmt_emit(mm, &pc, fn, arg);

	while (addr < vma->vm_end) {
		struct knmt_orec *o;

		pc.start = addr;
		pc.cat = KNMT_CAT_ANON;
		pc.origin = KNMT_ORIGIN_NONE;
		pc.birth_ns = 0;
		pc.tid = 0;
		pc.faults = 0;

		raw_spin_lock(&p->lock);
		o = knmt_origin_next(p, addr);
		if (!o || o->start >= vma->vm_end) {
			pc.end = vma->vm_end;
		} else if (o->start > addr) {
			pc.end = o->start;
		} else {
			pc.end = min(o->end, vma->vm_end);
			if (o->kind < ARRAY_SIZE(knmt_origin_cat) &&
			    knmt_origin_cat[o->kind]) {
				pc.cat = knmt_origin_cat[o->kind];
				pc.origin = o->guessed ? KNMT_ORIGIN_GUESSED :
							 o->kind;
			}
			pc.birth_ns = o->guessed ? 0 : o->birth_ns;
			pc.tid = o->tid;
			pc.faults = atomic_read(&o->faults);
		}
		raw_spin_unlock(&p->lock);

		*failed = pc.start;
		err = knmt_emit(mm, &pc, fn, arg);
		if (err)
			return err;
		addr = pc.end;
	}
	return 0;
}

/*
 * Visit the pieces of @mm from address @from on.  Returns 0 when done, or
 * @fn's error with *@next set to the start of the piece that failed, so a
 * dump can resume there.
 */
int knmt_walk(struct mm_struct *mm, struct knmt_proc *p, unsigned long from,
	      knmt_piece_fn fn, void *arg, unsigned long *next)
{
	VMA_ITERATOR(vmi, mm, from);
	struct vm_area_struct *vma;
	int err = 0;

	if (mmap_read_lock_killable(mm))
		return -EINTR;
	for_each_vma(vmi, vma) {
		unsigned long failed;

		err = knmt_walk_vma(mm, p, vma, max(from, vma->vm_start), fn,
				    arg, &failed);
		if (err) {
			if (next)
				*next = failed;
			break;
		}
		from = vma->vm_end;
		cond_resched();
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
	}
	mmap_read_unlock(mm);
	return err;
}

static int knmt_sample_piece(const struct knmt_piece *pc, void *arg)
{
	struct knmt_cat_sample *cs = &((struct knmt_sample *)arg)->cat[pc->cat];

	cs->mapped += pc->end - pc->start;
	cs->resident += pc->resident;
	cs->regions++;
	return 0;
}

/* A full breakdown of @t's address space @mm; @p may be NULL. */
int knmt_sample_take(struct task_struct *t, struct mm_struct *mm,
		     struct knmt_proc *p, struct knmt_sample *s)
{
	unsigned long rss;
	unsigned int i;
	int err;

	memset(s, 0, sizeof(*s));
	err = knmt_walk(mm, p, 0, knmt_sample_piece, s, NULL);
	if (err)
		return err;

	s->rss[0] = (u64)knmt_mm_counter(mm, MM_ANONPAGES) << PAGE_SHIFT;
	s->rss[1] = (u64)knmt_mm_counter(mm, MM_FILEPAGES) << PAGE_SHIFT;
	s->rss[2] = (u64)knmt_mm_counter(mm, MM_SHMEMPAGES) << PAGE_SHIFT;
	s->rss[3] = (u64)knmt_mm_counter(mm, MM_SWAPENTS) << PAGE_SHIFT;
	rss = get_mm_rss(mm);
	s->peak_rss = (u64)max(rss, get_mm_hiwater_rss(mm)) << PAGE_SHIFT;
	s->pagetables = mm_pgtables_bytes(mm);
	s->threads = get_nr_threads(t);
	s->kstacks = (u64)s->threads * THREAD_SIZE;
	s->when_ns = ktime_get_boottime_ns();

	if (p) {
		raw_spin_lock(&p->lock);
		for (i = 0; i < KNMT_CAT_NR; i++)
			p->peak_mapped[i] = max(p->peak_mapped[i],
						s->cat[i].mapped);
		p->sample = *s;
		raw_spin_unlock(&p->lock);
	}
	return 0;
}

#define KNMT_GUESS_SPS	64

static bool knmt_vma_prot_none(const struct vm_area_struct *vma)
{
	return vma && !vma->vm_file &&
	       !(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC));
}

/*
 * A process that was running before the load: its mapping history is
 * unknown, so origins are inferred from what its VMAs show, and marked
 * guessed.  A thread's stack pointer makes a stack; PROT_NONE,
 * MAP_NORESERVE or a PROT_NONE neighbour makes a reservation; a large
 * read-write mapping makes an off-heap buffer.
 */
static void knmt_guess_one(struct knmt_proc *p, struct task_struct *leader,
			   struct mm_struct *mm)
{
	VMA_ITERATOR(vmi, mm, 0);
	unsigned long sp[KNMT_GUESS_SPS];
	struct vm_area_struct *vma, *prev = NULL;
	struct task_struct *t;
	unsigned int nsp = 0, i;

	rcu_read_lock();
	for_each_thread(leader, t) {
		if (nsp == KNMT_GUESS_SPS)
			break;
		sp[nsp++] = user_stack_pointer(task_pt_regs(t));
	}
	rcu_read_unlock();

	if (mmap_read_lock_killable(mm))
		return;
	for_each_vma(vmi, vma) {
		struct vm_area_struct *next = find_vma(mm, vma->vm_end);
		u8 origin = KNMT_ORIGIN_NONE, dummy;

		if (knmt_vma_category(vma, &dummy) != KNMT_CAT_ANON)
			goto next;
		for (i = 0; i < nsp; i++) {
			if (sp[i] >= vma->vm_start && sp[i] < vma->vm_end)
				origin = KNMT_ORIGIN_STACK;
		}
		if (origin == KNMT_ORIGIN_NONE &&
		    (knmt_vma_prot_none(vma) || (vma->vm_flags & VM_NORESERVE) ||
		     (prev && prev->vm_end == vma->vm_start &&
		      knmt_vma_prot_none(prev)) ||
		     (next && next->vm_start == vma->vm_end &&
		      knmt_vma_prot_none(next))))
			origin = KNMT_ORIGIN_RESERVED;
		if (origin == KNMT_ORIGIN_NONE &&
		    (vma->vm_flags & (VM_READ | VM_WRITE)) ==
		    (VM_READ | VM_WRITE) &&
		    vma->vm_end - vma->vm_start >=
		    READ_ONCE(knmt_offheap_min_bytes))
			origin = KNMT_ORIGIN_OFFHEAP;
		if (origin != KNMT_ORIGIN_NONE) {
			/* A large process may need more than the reserve. */
			knmt_origins_refill();
			/*
			 * Not once the entry has left this address space (an
			 * exec, the exit): its origins were cleared after it
			 * did, under this lock.
			 */
			raw_spin_lock(&p->lock);
			if (READ_ONCE(p->mm) == mm)
				knmt_origin_insert(p, vma->vm_start, vma->vm_end,
						   origin, 0, 0,
						   KNMT_ORIGIN_F_MOVED |
						   KNMT_ORIGIN_F_GUESSED);
			raw_spin_unlock(&p->lock);
		}
next:
		prev = vma;
	}
	mmap_read_unlock(mm);
}

void knmt_procs_guess(void)
{
	struct knmt_proc *p;
	u32 pos = 0;

	while ((p = knmt_proc_get_next(&pos))) {
		struct task_struct *t;
		struct mm_struct *mm = NULL;

		if (p->flags & KNMT_PROC_F_APPROX) {
			rcu_read_lock();
			t = pid_task(find_pid_ns(p->tgid, &init_pid_ns),
				     PIDTYPE_TGID);
			if (t)
				get_task_struct(t);
			rcu_read_unlock();
			if (t) {
				mm = get_task_mm(t);
				if (mm && mm == READ_ONCE(p->mm))
					knmt_guess_one(p, t, mm);
				if (mm)
					mmput(mm);
				put_task_struct(t);
			}
		}
		knmt_proc_put(p);
		cond_resched();
	}
}
