// SPDX-License-Identifier: GPL-2.0
/*
 * knmt - memory management hooks: faults, mappings, unmaps, mremap, and
 * the end of an address space.
 *
 * The mapping hooks keep the origin map (knmt_origin.c): they run with the
 * address space's mmap_lock held by the task that changes it, in atomic
 * context.  The fault hook only reads it, without a lock.
 */
#include <linux/err.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/slab.h>
#include <trace/events/mmap.h>

#include "knmt.h"
#include "knmt_events.h"
#include "knmt_proc.h"
#include "wrapper/syscall.h"
#include "wrapper/trace.h"

static void knmt_tp_exit_mmap(void *data, struct mm_struct *mm)
{
	if (!knmt_enter(KNMT_HOOK_EXIT_MMAP))
		return;
	knmt_proc_mm_gone(mm);
	knmt_leave();
}

static int knmt_kp_exit_mmap(struct kprobe *kp, struct pt_regs *regs)
{
	if (!knmt_enter(KNMT_HOOK_EXIT_MMAP))
		return 0;
	knmt_proc_mm_gone((struct mm_struct *)regs_get_kernel_argument(regs, 0));
	knmt_leave();
	return 0;
}

/*
 * do_mmap(file, addr, len, prot, flags, ...) returns the address mapped.
 * The origin of an anonymous private mapping is decided from how it was
 * asked for.  A MAP_FIXED mapping inside a recorded range changes that
 * range rather than making a new one: it commits a reservation (arena),
 * or puts guard pages in a thread stack (the JVM does), and keeps the
 * range's kind and birth.  The unmap hook removes the old record in
 * between, so the decision is taken on entry.
 */
struct knmt_mmap_data {
	unsigned long len;
	unsigned long prot;
	unsigned long flags;
	u64 birth_ns;			/* of the record mapped over */
	pid_t tid;
	u8 inherit;			/* its kind, or KNMT_ORIGIN_NONE */
	u8 origin;			/* decided on entry */
};

/* The origin of a new anonymous private mapping asked for so. */
static __always_inline u8 knmt_mmap_asked(unsigned long len,
					  unsigned long prot,
					  unsigned long flags)
{
	if (flags & MAP_STACK)
		return KNMT_ORIGIN_STACK;
	if (prot == PROT_NONE || (flags & MAP_NORESERVE))
		return KNMT_ORIGIN_RESERVED;
	if ((prot & (PROT_READ | PROT_WRITE)) == (PROT_READ | PROT_WRITE) &&
	    len >= READ_ONCE(knmt_offheap_min_bytes))
		return KNMT_ORIGIN_OFFHEAP;
	return KNMT_ORIGIN_NONE;
}

static u8 knmt_mmap_origin(const struct knmt_mmap_data *d)
{
	if (d->inherit != KNMT_ORIGIN_NONE)
		return d->inherit;
	return knmt_mmap_asked(d->len, d->prot, d->flags);
}

static __always_inline bool knmt_mmap_fixed(unsigned long flags)
{
	return flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
}

/*
 * A request that needs nothing more, seen from its arguments alone: no
 * origin (a file, a shared mapping, a small read-write one), nothing it
 * maps over to look at (not MAP_FIXED), and no reader of events.
 */
static __always_inline bool knmt_mmap_plain(struct file *file,
					    unsigned long len,
					    unsigned long prot,
					    unsigned long flags)
{
	if (knmt_events_wanted())
		return false;
	if (file || (flags & MAP_TYPE) != MAP_PRIVATE)
		return true;
	return !knmt_mmap_fixed(flags) &&
	       knmt_mmap_asked(PAGE_ALIGN(len), prot, flags) ==
	       KNMT_ORIGIN_NONE;
}

/*
 * The request of do_mmap(): @d's len, prot and flags set.  Decides its
 * origin and what it inherits; false when it needs nothing from the rest
 * of the call (no origin, and no reader wants events).
 */
static bool knmt_mmap_decide(struct knmt_proc *p, struct knmt_mmap_data *d,
			     bool anon_private, unsigned long addr)
{
	struct knmt_orec *o;

	d->inherit = KNMT_ORIGIN_NONE;
	if (anon_private && knmt_mmap_fixed(d->flags)) {
		o = knmt_origin_find(p, addr);
		if (o) {
			d->inherit = o->kind;
			d->birth_ns = o->birth_ns;
			d->tid = o->tid;
		}
	}
	/* Only an anonymous private mapping has an origin. */
	d->origin = anon_private ? knmt_mmap_origin(d) : KNMT_ORIGIN_NONE;
	/*
	 * Events want every mapping; a mapping without an origin (a small
	 * read-write one, a file) needs nothing more otherwise.
	 */
	return d->origin != KNMT_ORIGIN_NONE || knmt_events_wanted();
}

/*
 * An mmap event: the range and its category, decided as a walk would.
 * do_mmap's caller holds mmap_lock, so @vma (the one holding @addr, or
 * NULL to look it up) stays.
 */
static void knmt_ev_mmap(struct knmt_proc *p, struct vm_area_struct *vma,
			 unsigned long addr, unsigned long len, u8 origin)
{
	struct knmt_ev e = {
		.tid = task_pid_nr(current),
		.start = addr,
		.len = len,
		.origin = origin,
	};

	if (!vma)
		vma = find_vma(current->mm, addr);
	if (!vma || vma->vm_start > addr)
		return;
	e.cat = knmt_addr_category(p, vma, addr);
	if (origin == KNMT_ORIGIN_NONE)
		knmt_vma_category(vma, &e.origin);
	knmt_ev_emit(&e, KNMT_EV_MMAP, p->tgid);
}

/* [addr, addr + len) was mapped as @d decided: its origin record. */
static void knmt_mmap_record(struct knmt_proc *p, unsigned long addr,
			     unsigned long len, u8 origin, bool inherit,
			     u64 birth_ns, pid_t tid)
{
	raw_spin_lock(&p->lock);
	if (inherit)
		knmt_origin_insert(p, addr, addr + len, origin, birth_ns, tid,
				   KNMT_ORIGIN_F_PART);
	else
		knmt_origin_insert(p, addr, addr + len, origin,
				   ktime_get_boottime_ns(),
				   task_pid_nr(current), 0);
	raw_spin_unlock(&p->lock);
}

/*
 * The ftrace way, without a return probe: do_mmap()'s entry decides, and
 * the thread's record (knmt_thread.c) keeps what it decided while the
 * kernel goes on.  mmap_region() is where the address is known, and
 * vma_set_page_prot(), its last step and only on success, where the
 * kernel's own unmap of a MAP_FIXED range has removed the record mapped
 * over.  A mapping that fails never gets there: its state is dropped by
 * the thread's next do_mmap(), brk() or mprotect() (whose own
 * vma_set_page_prot() must not take it), or with its record.  A mapping
 * that needs nothing (most: no origin, no reader of events) costs the
 * other steps a read of knmt_mmaps_in_flight.
 */
static noinline void knmt_mmap_ask(struct knmt_mmap_data *d,
				   bool anon_private, unsigned long addr)
{
	struct knmt_proc *p = knmt_proc_by_mm(current->mm);
	struct knmt_thr *r;

	if (!p || !knmt_mmap_decide(p, d, anon_private, addr))
		return;
	r = knmt_thread_get();
	if (!r) {
		/* No record (threads_max): the mapping is not followed. */
		this_cpu_inc(knmt_cpu.missed[KNMT_HOOK_MMAP]);
		return;
	}
	r->m_origin = d->origin;
	r->m_flags = knmt_events_wanted() ? KNMT_MMAP_F_EVENT : 0;
	if (d->inherit != KNMT_ORIGIN_NONE) {
		r->m_flags |= KNMT_MMAP_F_INHERIT;
		r->m_birth_ns = d->birth_ns;
		r->m_tid = d->tid;
	}
	r->m_addr = 0;
	r->m_len = 0;
	knmt_thr_mmap_state(r, KNMT_MMAP_ASKED);
}

/* A mapping of current's that never reached its end is over. */
static noinline void knmt_mmap_forget(void)
{
	struct knmt_thr *r = knmt_thread_find();

	if (r && r->m_state != KNMT_MMAP_IDLE)
		knmt_thr_mmap_state(r, KNMT_MMAP_IDLE);
}

static noinline void knmt_mmap_entry(struct file *file,
				     unsigned long addr, unsigned long len,
				     unsigned long prot, unsigned long flags)
{
	struct knmt_mmap_data d = {
		.len = PAGE_ALIGN(len),
		.prot = prot,
		.flags = flags,
		.inherit = KNMT_ORIGIN_NONE,
	};

	if (atomic_read(&knmt_mmaps_in_flight))
		knmt_mmap_forget();
	if (!current->mm || knmt_mmap_plain(file, len, prot, flags))
		return;
	knmt_mmap_ask(&d, !file && (flags & MAP_TYPE) == MAP_PRIVATE, addr);
}

/*
 * Most mappings need nothing (knmt_mmap_plain()) while no other is in
 * flight: counted as a hit, without the guard, and never timed.
 */
static void knmt_ft_mmap(unsigned long ip, unsigned long parent_ip,
			 struct ftrace_ops *ops, struct ftrace_regs *fregs)
{
	struct file *file = (struct file *)knmt_ftrace_arg(fregs, 0);
	unsigned long len = knmt_ftrace_arg(fregs, 2);
	unsigned long prot = knmt_ftrace_arg(fregs, 3);
	unsigned long flags = knmt_ftrace_arg(fregs, 4);

	if (likely(!atomic_read(&knmt_mmaps_in_flight)) &&
	    knmt_mmap_plain(file, len, prot, flags)) {
		knmt_hit(KNMT_HOOK_MMAP);
		return;
	}
	knmt_ft_begin();
	if (knmt_enter(KNMT_HOOK_MMAP)) {
		knmt_mmap_entry(file, knmt_ftrace_arg(fregs, 1), len, prot,
				flags);
		knmt_leave();
	}
	knmt_ft_end();
}

/* The mapping's place: mmap_region(file, addr, len, vm_flags, ...). */
static noinline void knmt_mmap_placed(unsigned long addr, unsigned long len)
{
	struct knmt_thr *r = knmt_thread_find();

	if (r && r->m_state == KNMT_MMAP_ASKED) {
		r->m_addr = addr;
		r->m_len = len;
		knmt_thr_mmap_state(r, KNMT_MMAP_PLACED);
	}
}

static void knmt_step_placed(struct ftrace_regs *fregs)
{
	knmt_mmap_placed(knmt_ftrace_arg(fregs, 1), knmt_ftrace_arg(fregs, 2));
}

/*
 * A step of the mmap path: nothing while no mapping is in flight, else
 * @step in the hook's guard.  Inlined with @step into each callback.
 */
static __always_inline void knmt_mmap_step(void (*step)(struct ftrace_regs *),
					   struct ftrace_regs *fregs)
{
	if (likely(!atomic_read(&knmt_mmaps_in_flight)))
		return;
	knmt_ft_begin();
	if (knmt_enter_more(KNMT_HOOK_MMAP)) {
		step(fregs);
		knmt_leave();
	}
	knmt_ft_end();
}

static void knmt_ft_mmap_region(unsigned long ip, unsigned long parent_ip,
				struct ftrace_ops *ops,
				struct ftrace_regs *fregs)
{
	knmt_mmap_step(knmt_step_placed, fregs);
}

static bool knmt_mmap_holds(const struct knmt_thr *r,
			    const struct vm_area_struct *vma)
{
	return vma->vm_mm == current->mm && vma->vm_start <= r->m_addr &&
	       r->m_addr + r->m_len <= vma->vm_end;
}

/*
 * vma_set_page_prot(vma): mmap_region()'s last step on success alone,
 * after the old range of a MAP_FIXED mapping is gone, with the VMA that
 * holds the new range (merged or not).  mprotect() calls it too, after
 * its mprotect_fixup() hook ended what a failed mapping left.
 */
static noinline void knmt_mmap_done(struct vm_area_struct *vma)
{
	struct knmt_thr *r = knmt_thread_find();
	struct knmt_proc *p;

	if (!r || r->m_state != KNMT_MMAP_PLACED)
		return;
	p = knmt_mmap_holds(r, vma) ? knmt_proc_by_mm(current->mm) : NULL;
	if (p && r->m_origin != KNMT_ORIGIN_NONE)
		knmt_mmap_record(p, r->m_addr, r->m_len, r->m_origin,
				 r->m_flags & KNMT_MMAP_F_INHERIT,
				 r->m_birth_ns, r->m_tid);
	if (p && (r->m_flags & KNMT_MMAP_F_EVENT) && knmt_events_wanted())
		knmt_ev_mmap(p, vma, r->m_addr, r->m_len, r->m_origin);
	knmt_thr_mmap_state(r, KNMT_MMAP_IDLE);
}

static void knmt_step_done(struct ftrace_regs *fregs)
{
	knmt_mmap_done((struct vm_area_struct *)knmt_ftrace_arg(fregs, 0));
}

static void knmt_ft_mmap_done(unsigned long ip, unsigned long parent_ip,
			      struct ftrace_ops *ops,
			      struct ftrace_regs *fregs)
{
	knmt_mmap_step(knmt_step_done, fregs);
}

/*
 * The fallback where those steps cannot be followed: a return probe on
 * do_mmap(), whose entry decides and takes the return only when needed.
 */
static int knmt_mmap_krp_entry(struct kretprobe_instance *ri,
			       struct pt_regs *regs)
{
	struct knmt_mmap_data *d = (void *)ri->data;
	struct mm_struct *mm = current->mm;
	struct knmt_proc *p;
	bool wanted;

	if (!mm || !knmt_enter(KNMT_HOOK_MMAP))
		return 1;
	p = knmt_proc_by_mm(mm);
	if (!p) {
		knmt_leave();
		return 1;
	}
	d->len = PAGE_ALIGN(regs_get_kernel_argument(regs, 2));
	d->prot = regs_get_kernel_argument(regs, 3);
	d->flags = regs_get_kernel_argument(regs, 4);
	wanted = knmt_mmap_decide(p, d, !regs_get_kernel_argument(regs, 0) &&
				  (d->flags & MAP_TYPE) == MAP_PRIVATE,
				  regs_get_kernel_argument(regs, 1));
	knmt_leave();
	return wanted ? 0 : 1;
}

static int knmt_mmap_krp_return(struct kretprobe_instance *ri,
				struct pt_regs *regs)
{
	struct knmt_mmap_data *d = (void *)ri->data;
	unsigned long addr = regs_return_value(regs);
	struct knmt_proc *p;
	u8 origin;

	if (IS_ERR_VALUE(addr) || !current->mm)
		return 0;
	origin = d->origin;
	if (origin == KNMT_ORIGIN_NONE && !knmt_events_wanted())
		return 0;
	if (!knmt_enter(KNMT_HOOK_MMAP))
		return 0;
	p = knmt_proc_by_mm(current->mm);
	if (p && origin != KNMT_ORIGIN_NONE)
		knmt_mmap_record(p, addr, d->len, origin,
				 d->inherit != KNMT_ORIGIN_NONE, d->birth_ns,
				 d->tid);
	if (p && knmt_events_wanted())
		knmt_ev_mmap(p, NULL, addr, d->len, origin);
	knmt_leave();
	return 0;
}

/* Forget [start, end) of @mm's process; a free unless mremap moves it. */
static void knmt_unmapped(struct mm_struct *mm, unsigned long start,
			  unsigned long end)
{
	struct knmt_proc *p = knmt_proc_by_mm(mm);
	bool moving = knmt_in_mremap();

	if (!p || start >= end)
		return;
	/*
	 * Most unmaps remove no origin record: the VMAs changed, which the
	 * threads' classifications must see, and no more.  The lock would
	 * not order a record that comes in meanwhile any better: records
	 * are added once their VMA is made, and removed as it goes.
	 */
	if (!knmt_origin_overlaps(p, start, end)) {
		knmt_origin_changed(p);
	} else {
		raw_spin_lock(&p->lock);
		knmt_origin_remove(p, start, end,
				   moving ? 0 : KNMT_ORIGIN_F_DEATH);
		raw_spin_unlock(&p->lock);
	}
	/* Inside mremap the mremap event tells where the range went. */
	if (knmt_events_wanted() && !moving) {
		struct knmt_ev e = {
			.tid = task_pid_nr(current),
			.start = start,
			.len = end - start,
		};

		knmt_ev_emit(&e, KNMT_EV_MUNMAP, p->tgid);
	}
}

/*
 * remove_vma() sees every VMA that goes away, where it is not inlined
 * (6.12; 6.1 built without Debian's options).  Its arguments after the
 * VMA differ between releases (none on 6.1; "unreachable" on 6.12, then
 * "closed"), so only the VMA is read: a VMA of an mm that nobody uses any
 * more is exit_mmap() tearing the whole map down, which the exit_mmap
 * hook accounts at once.
 */
static void knmt_remove_vma(struct vm_area_struct *vma)
{
	if (!knmt_enter(KNMT_HOOK_UNMAP))
		return;
	if (atomic_read(&vma->vm_mm->mm_users))
		knmt_unmapped(vma->vm_mm, vma->vm_start, vma->vm_end);
	knmt_leave();
}

static void knmt_ft_remove_vma(unsigned long ip, unsigned long parent_ip,
			       struct ftrace_ops *ops, struct ftrace_regs *fregs)
{
	knmt_ft_begin();
	knmt_remove_vma((struct vm_area_struct *)knmt_ftrace_arg(fregs, 0));
	knmt_ft_end();
}

static int knmt_kp_remove_vma(struct kprobe *kp, struct pt_regs *regs)
{
	knmt_remove_vma((struct vm_area_struct *)regs_get_kernel_argument(regs, 0));
	return 0;
}

/*
 * 6.1: do_mas_align_munmap(mas, vma, mm, start, end, uf, downgrade);
 * do_vmi_align_munmap(vmi, vma, mm, start, end, uf, unlock) has the same
 * arguments where knmt reads them.
 */
static void knmt_align_munmap(struct mm_struct *mm, unsigned long start,
			      unsigned long end)
{
	if (!knmt_enter(KNMT_HOOK_UNMAP))
		return;
	knmt_unmapped(mm, start, end);
	knmt_leave();
}

static void knmt_ft_align_munmap(unsigned long ip, unsigned long parent_ip,
				 struct ftrace_ops *ops,
				 struct ftrace_regs *fregs)
{
	knmt_ft_begin();
	knmt_align_munmap((struct mm_struct *)knmt_ftrace_arg(fregs, 2),
			  knmt_ftrace_arg(fregs, 3), knmt_ftrace_arg(fregs, 4));
	knmt_ft_end();
}

static int knmt_kp_align_munmap(struct kprobe *kp, struct pt_regs *regs)
{
	knmt_align_munmap((struct mm_struct *)regs_get_kernel_argument(regs, 2),
			  regs_get_kernel_argument(regs, 3),
			  regs_get_kernel_argument(regs, 4));
	return 0;
}

/*
 * mremap(addr, old_len, new_len, flags, new_addr): the origin record of
 * the old range continues at the new one, with its birth.
 */
struct knmt_mremap_data {
	unsigned long old_addr;
	unsigned long old_len;
	unsigned long new_len;
	u64 birth_ns;
	pid_t tid;
	u8 kind;			/* KNMT_ORIGIN_NONE: no record */
};

static int knmt_mremap_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct knmt_mremap_data *d = (void *)ri->data;
	struct mm_struct *mm = current->mm;
	struct knmt_orec *o;
	struct knmt_proc *p;
	int skip = 1;

	if (!mm || !knmt_enter(KNMT_HOOK_MREMAP))
		return 1;
	p = knmt_proc_by_mm(mm);
	o = p ? knmt_origin_find(p, knmt_syscall_arg(regs, 0)) : NULL;
	if (o || (p && knmt_events_wanted())) {
		d->old_addr = knmt_syscall_arg(regs, 0);
		d->old_len = PAGE_ALIGN(knmt_syscall_arg(regs, 1));
		d->new_len = PAGE_ALIGN(knmt_syscall_arg(regs, 2));
		d->kind = o ? o->kind : KNMT_ORIGIN_NONE;
		if (o) {
			d->birth_ns = o->birth_ns;
			d->tid = o->tid;
		}
		skip = 0;
	}
	knmt_leave();
	return skip;
}

static int knmt_mremap_return(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	struct knmt_mremap_data *d = (void *)ri->data;
	unsigned long addr = regs_return_value(regs);
	struct knmt_proc *p;

	if (IS_ERR_VALUE(addr) || !current->mm || !d->new_len)
		return 0;
	if (!knmt_enter(KNMT_HOOK_MREMAP))
		return 0;
	p = knmt_proc_by_mm(current->mm);
	if (p && knmt_events_wanted()) {
		struct knmt_ev e = {
			.tid = task_pid_nr(current),
			.old_start = d->old_addr,
			.old_len = d->old_len,
			.start = addr,
			.len = d->new_len,
		};

		knmt_ev_emit(&e, KNMT_EV_MREMAP, p->tgid);
	}
	if (p && d->kind != KNMT_ORIGIN_NONE) {
		raw_spin_lock(&p->lock);
		knmt_origin_insert(p, addr, addr + d->new_len, d->kind,
				   d->birth_ns, d->tid, KNMT_ORIGIN_F_MOVED);
		/* A buffer that grew allocated more; one that shrank freed. */
		if (d->kind == KNMT_ORIGIN_OFFHEAP) {
			if (d->new_len > d->old_len)
				p->offheap.alloc_bytes += d->new_len - d->old_len;
			else
				p->offheap.freed_bytes += d->old_len - d->new_len;
		}
		raw_spin_unlock(&p->lock);
	}
	knmt_leave();
	return 0;
}

/* brk(2): where the break was, for the event of where it went. */
struct knmt_brk_data {
	unsigned long old;
};

static int knmt_brk_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct knmt_brk_data *d = (void *)ri->data;
	struct mm_struct *mm = current->mm;

	if (!mm || !knmt_enter(KNMT_HOOK_BRK))
		return 1;
	/* A mapping of the thread's that failed is over. */
	if (unlikely(atomic_read(&knmt_mmaps_in_flight)))
		knmt_mmap_forget();
	d->old = READ_ONCE(mm->brk);
	knmt_leave();
	return knmt_events_wanted() ? 0 : 1;
}

static int knmt_brk_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct knmt_brk_data *d = (void *)ri->data;
	unsigned long brk = regs_return_value(regs);
	struct knmt_proc *p;

	if (brk == d->old || !current->mm || !knmt_enter(KNMT_HOOK_BRK))
		return 0;
	p = knmt_proc_by_mm(current->mm);
	if (p) {
		struct knmt_ev e = {
			.tid = task_pid_nr(current),
			.old_start = d->old,
			.start = brk,
		};

		knmt_ev_emit(&e, KNMT_EV_BRK, p->tgid);
	}
	knmt_leave();
	return 0;
}

static const struct knmt_hook_target knmt_exit_mmap_targets[] = {
	KNMT_TP("exit_mmap", knmt_tp_exit_mmap),
	KNMT_KP("exit_mmap", knmt_kp_exit_mmap),
	{ }
};

static const struct knmt_hook_target knmt_fault_targets[] = {
	KNMT_FT("handle_mm_fault", knmt_ft_fault),
	KNMT_KP("handle_mm_fault", knmt_kp_fault),
	{ }
};

static const struct knmt_ft_more knmt_mmap_steps[] = {
	{ "mmap_region", knmt_ft_mmap_region },
	{ "vma_set_page_prot", knmt_ft_mmap_done },
	{ }
};

static const struct knmt_hook_target knmt_mmap_targets[] = {
	KNMT_FT_MORE("do_mmap", knmt_ft_mmap, knmt_mmap_steps),
	KNMT_KRP_DATA("do_mmap", knmt_mmap_krp_entry, knmt_mmap_krp_return,
		      struct knmt_mmap_data),
	{ }
};

/*
 * remove_vma sees every unmap where it is a function (Debian's 6.1 inlines
 * it); each by an ftrace callback first, a kprobe second.
 */
static const struct knmt_hook_target knmt_unmap_targets[] = {
	KNMT_FT("remove_vma", knmt_ft_remove_vma),
	KNMT_KP("remove_vma", knmt_kp_remove_vma),
	KNMT_FT("do_vmi_align_munmap", knmt_ft_align_munmap),
	KNMT_KP("do_vmi_align_munmap", knmt_kp_align_munmap),
	KNMT_FT("do_mas_align_munmap", knmt_ft_align_munmap),
	KNMT_KP("do_mas_align_munmap", knmt_kp_align_munmap),
	{ }
};

static const struct knmt_hook_target knmt_brk_targets[] = {
	KNMT_KRP_DATA("__x64_sys_brk", knmt_brk_entry, knmt_brk_return,
		      struct knmt_brk_data),
	KNMT_KP("do_brk_flags", knmt_kp_count),
	{ }
};

static const struct knmt_hook_target knmt_mremap_targets[] = {
	KNMT_KRP_DATA("__x64_sys_mremap", knmt_mremap_entry,
		      knmt_mremap_return, struct knmt_mremap_data),
	{ }
};

static const struct knmt_hook_target knmt_stack_grow_targets[] = {
	KNMT_FT("expand_downwards", knmt_ft_count),
	KNMT_KP("expand_downwards", knmt_kp_count),
	{ }
};

/*
 * mprotect_fixup(): counted; and it ends a failed mapping's state before
 * mprotect's own vma_set_page_prot() (knmt_mmap_done()).
 */
static void knmt_mprotect(void)
{
	if (!knmt_enter(KNMT_HOOK_MPROTECT))
		return;
	if (unlikely(atomic_read(&knmt_mmaps_in_flight)))
		knmt_mmap_forget();
	knmt_leave();
}

static void knmt_ft_mprotect(unsigned long ip, unsigned long parent_ip,
			     struct ftrace_ops *ops, struct ftrace_regs *fregs)
{
	knmt_ft_begin();
	knmt_mprotect();
	knmt_ft_end();
}

static int knmt_kp_mprotect(struct kprobe *kp, struct pt_regs *regs)
{
	knmt_mprotect();
	return 0;
}

static const struct knmt_hook_target knmt_mprotect_targets[] = {
	KNMT_FT("mprotect_fixup", knmt_ft_mprotect),
	KNMT_KP("mprotect_fixup", knmt_kp_mprotect),
	{ }
};

void knmt_probes_mm_setup(void)
{
	check_trace_callback_type_exit_mmap(knmt_tp_exit_mmap);

	knmt_hook_describe(KNMT_HOOK_EXIT_MMAP, "exit_mmap",
			   knmt_exit_mmap_targets);
	knmt_hook_describe(KNMT_HOOK_FAULT, "fault", knmt_fault_targets);
	knmt_hook_describe(KNMT_HOOK_MMAP, "mmap", knmt_mmap_targets);
	knmt_hook_describe(KNMT_HOOK_UNMAP, "unmap", knmt_unmap_targets);
	knmt_hook_describe(KNMT_HOOK_BRK, "brk", knmt_brk_targets);
	knmt_hook_describe(KNMT_HOOK_MREMAP, "mremap", knmt_mremap_targets);
	knmt_hook_describe(KNMT_HOOK_STACK_GROW, "stack_grow",
			   knmt_stack_grow_targets);
	knmt_hook_describe(KNMT_HOOK_MPROTECT, "mprotect",
			   knmt_mprotect_targets);
}
