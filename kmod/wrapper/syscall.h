/* SPDX-License-Identifier: GPL-2.0 */
/*
 * System call details the mapping and socket hooks need.  x86-64 only: the probed
 * syscall wrappers (__x64_sys_*) take the user's pt_regs.
 */
#ifndef _KNMT_WRAPPER_SYSCALL_H
#define _KNMT_WRAPPER_SYSCALL_H

#include <linux/compat.h>
#include <linux/ptrace.h>
#include <linux/sched/task_stack.h>
#include <asm/syscall.h>
#include <asm/unistd.h>

#ifndef CONFIG_X86_64
#error "knmt supports x86-64 only"
#endif

/* Argument @n (0-based) of a syscall entered through a __x64_sys_ wrapper. */
static inline unsigned long knmt_syscall_arg(struct pt_regs *wrapper_regs,
					     unsigned int n)
{
	struct pt_regs *u = (struct pt_regs *)wrapper_regs->di;

	switch (n) {
	case 0: return u->di;
	case 1: return u->si;
	case 2: return u->dx;
	case 3: return u->r10;
	case 4: return u->r8;
	default: return u->r9;
	}
}

/* The current task's system call number, -1 for a 32-bit (compat) one. */
static inline int knmt_syscall_nr(void)
{
	if (in_compat_syscall())
		return -1;
	return syscall_get_nr(current, task_pt_regs(current));
}

/*
 * Is the current task inside mremap(2)?  An unmap there moves memory
 * rather than freeing it.  (32-bit tasks are not told apart: their moves
 * count as a free and an allocation.)
 */
static inline bool knmt_in_mremap(void)
{
	return knmt_syscall_nr() == __NR_mremap;
}

/* Is the current task inside accept(2) or accept4(2)?  (Not for 32-bit.) */
static inline bool knmt_in_accept(void)
{
	int nr = knmt_syscall_nr();

	return nr == __NR_accept || nr == __NR_accept4;
}

/* The user instruction pointer of the current task's last kernel entry. */
static inline unsigned long knmt_user_ip(void)
{
	return instruction_pointer(task_pt_regs(current));
}

#endif /* _KNMT_WRAPPER_SYSCALL_H */
