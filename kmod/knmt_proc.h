/* SPDX-License-Identifier: GPL-2.0 */
/*
 * knmt - per-process state: the process table and the origin map.
 */
#ifndef _KNMT_PROC_H
#define _KNMT_PROC_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/list.h>
#include <linux/rbtree_latch.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <net/tcp_states.h>
#include <linux/knmt.h>

struct file;
struct ftrace_ops;
struct ftrace_regs;
struct kprobe;
struct mm_struct;
struct pt_regs;
struct sock;
struct vm_area_struct;

/*
 * Where an address range came from, recorded when it was mapped.  The
 * kernel merges and splits VMAs; origins keep the ranges as the process
 * asked for them, so a direct buffer stays one buffer next to its
 * neighbours.  Only the ranges a VMA cannot classify on its own have an
 * origin: reservations (arena), MAP_STACK ranges and off-heap buffers.
 */
struct knmt_orec {
	struct latch_tree_node ltn;	/* lockless lookups (fault path) */
	unsigned long start, end;
	u64 birth_ns;			/* boot-time clock */
	atomic_t faults;
	pid_t tid;			/* creating thread, init pid ns */
	u8 kind;			/* enum knmt_origin */
	bool guessed;			/* inferred for a process found at load */
	struct rcu_head rcu;		/* also the free-list link */
};

/* Fault sites: a small open-addressed table of user code addresses. */
#define KNMT_SITES		32
#define KNMT_SITE_PROBES	4

struct knmt_site {
	atomic_long_t ip;
	atomic_long_t faults;
	u8 cat;
};

/* The breakdown a walk produces. */
struct knmt_cat_sample {
	u64 mapped;
	u64 resident;
	u32 regions;
};

struct knmt_sample {
	struct knmt_cat_sample cat[KNMT_CAT_NR];
	u64 rss[4];			/* anon, file, shmem, swap: bytes */
	u64 peak_rss;
	u64 pagetables;
	u64 kstacks;
	u32 threads;
	u64 when_ns;			/* boot-time clock; 0: never taken */
};

struct knmt_offheap_stats {
	u64 live_count, live_bytes;
	u64 alloc_count, alloc_bytes;
	u64 freed_count, freed_bytes;
	u64 lifetime[KNMT_LIFETIME_BUCKETS];
};

/*
 * The sockets of a process (knmt_sock.c).  @open lists the records of the
 * sockets it owns, oldest first; the lists, the counters that are not
 * atomic and the zombie link are under knmt_socks_lock.  Destruction,
 * which may run in softirq, only touches the atomics.
 */
struct knmt_proc_socks {
	struct list_head open;
	struct list_head zombie;	/* on knmt_socks_zombies: owner gone */
	u64 opened, accepted, closed;
	u64 lifetime[KNMT_LIFETIME_BUCKETS];
	atomic_t orphans;
	bool scan;			/* its descriptors need a look */
	atomic64_t destroyed;
	atomic64_t untracked;
	/* The sweep's: rates over its last period. */
	u64 rate_opened, rate_closed, rate_ns;
	u32 open_rate, close_rate;
};

/*
 * A tracked process (thread group).  Found by tgid (netlink) and by mm
 * (hooks that see an address space).  Lookups are RCU; the table lock
 * orders insertions and removals; @lock orders writers of the origin map
 * and of the sample (readers of the origin map are lockless).
 */
struct knmt_proc {
	struct hlist_node by_pid;
	struct hlist_node by_mm;
	struct rcu_head rcu;
	refcount_t ref;
	pid_t tgid;			/* init pid namespace */
	struct mm_struct *mm;		/* identity only, never dereferenced */
	u32 flags;			/* KNMT_PROC_F_* */
	raw_spinlock_t lock;
	u64 start_ns;			/* task start, boot-time clock */
	char comm[TASK_COMM_LEN];

	struct latch_tree_root origins;
	unsigned int nr_origins;
	seqcount_raw_spinlock_t thr_seq;	/* @threads folded into @faults */
	atomic_long_t map_gen;		/* origins or VMAs changed */
	struct knmt_offheap_stats offheap;
	struct knmt_sample sample;
	u64 peak_mapped[KNMT_CAT_NR];

	/*
	 * Faults, minor and major: those of exited threads and of threads
	 * without a record here, the live threads' in @threads (read them
	 * with knmt_proc_faults()).
	 */
	atomic_long_t faults[KNMT_CAT_NR][2];
	struct list_head threads;		/* struct knmt_thr, RCU */
	atomic_long_t sites_other;
	struct knmt_site sites[KNMT_SITES];

	struct knmt_proc_socks socks;

	/* The event drain work's: fault counts at the last summary. */
	u64 ev_faults[KNMT_CAT_NR][2];
	u64 ev_faults_ns;
};

/*
 * A thread's fault accounting (knmt_thread.c): the category and user code
 * address of its last entry of handle_mm_fault(), its counters then, what
 * it settled, and the faults of its current site not yet in the process's
 * table.  Written by the thread alone, under @seq.  The classification it
 * reuses while the map generation holds is the thread's alone.
 */
struct knmt_thr {
	struct hlist_node by_task;
	struct list_head node;		/* in proc->threads, under proc->lock */
	struct task_struct *task;	/* referenced */
	struct knmt_proc *proc;
	unsigned long ip;
	unsigned long site_ip;
	unsigned long site_n;

	/* The last classification: @c_cat over [c_start, c_end) of c_vma. */
	struct vm_area_struct *c_vma;	/* identity only */
	unsigned long c_start, c_end;
	unsigned long c_gen;
	struct knmt_orec *c_orec;

	u32 faults[KNMT_CAT_NR][2];	/* folded into the process's at 2^31 */
	seqcount_t seq;
	u32 snap[2];			/* task's min_flt, maj_flt (low bits) */
	u8 cat;
	u8 site_cat;
	u8 c_cat;

	/*
	 * The thread's mapping in flight (probes_mm.c), from do_mmap() to
	 * its VMA: what the origin map gets once the mapping is made.
	 */
	u8 m_state;			/* enum knmt_mmap_state */
	u8 m_origin;			/* KNMT_ORIGIN_NONE: an event only */
	u8 m_flags;			/* KNMT_MMAP_F_* */
	pid_t m_tid;			/* of the record mapped over */
	unsigned long m_addr, m_len;
	u64 m_birth_ns;			/* of the record mapped over */
	struct rcu_head rcu;
};

/*
 * A mapping in flight, followed by the hooks of the mmap path in the order
 * the kernel calls them: do_mmap() asks, mmap_region() places it, and
 * vma_set_page_prot(), its last step, which only a mapping that succeeded
 * reaches, after the kernel's own unmap of a MAP_FIXED range, ends it.
 */
enum knmt_mmap_state {
	KNMT_MMAP_IDLE,
	KNMT_MMAP_ASKED,
	KNMT_MMAP_PLACED,
};

#define KNMT_MMAP_F_INHERIT	BIT(0)	/* keeps the kind and birth it maps over */
#define KNMT_MMAP_F_EVENT	BIT(1)	/* a reader wanted events when asked */

/*
 * How long ago @then was, at @now: 0 for a time taken after @now (a
 * record changed while a dump, which read the clock first, went on).
 */
static inline u64 knmt_age(u64 now, u64 then)
{
	return now > then ? now - then : 0;
}

/* knmt_proc.c */
unsigned int knmt_procs_tracked(void);
u64 knmt_procs_overflow(void);

int knmt_procs_init(void);
void knmt_procs_pickup(void);
void knmt_procs_exit(void);
struct knmt_proc *knmt_proc_by_mm(const struct mm_struct *mm);
struct knmt_proc *knmt_proc_by_tgid(pid_t tgid);
struct knmt_proc *knmt_proc_get_tgid(pid_t tgid);
struct knmt_proc *knmt_proc_get_next(u32 *pos);
void knmt_proc_put(struct knmt_proc *p);
size_t knmt_procs_mem_bytes(void);

void knmt_copy_comm(char *dst, struct task_struct *t);
void knmt_proc_fork(struct task_struct *parent, struct task_struct *child);
void knmt_proc_exec(struct task_struct *p);
void knmt_proc_exit(struct task_struct *p);
void knmt_proc_mm_gone(struct mm_struct *mm);
void knmt_site_add(struct knmt_proc *p, unsigned long ip, unsigned int cat,
		   unsigned long n);

/* knmt_thread.c */
int knmt_threads_init(void);
void knmt_threads_exit(void);
unsigned int knmt_threads_tracked(void);
u64 knmt_threads_overflow(void);
size_t knmt_threads_mem_bytes(void);
void knmt_ft_fault(unsigned long ip, unsigned long parent_ip,
		   struct ftrace_ops *ops, struct ftrace_regs *fregs);
int knmt_kp_fault(struct kprobe *kp, struct pt_regs *regs);
void knmt_thread_exit(struct task_struct *t);
void knmt_thread_exec(struct task_struct *t);
struct knmt_thr *knmt_thread_find(void);
struct knmt_thr *knmt_thread_get(void);

void knmt_proc_threads_drop(struct knmt_proc *p);
void knmt_proc_faults(struct knmt_proc *p, u64 out[KNMT_CAT_NR][2]);
void knmt_proc_faults_pending(struct knmt_proc *p,
			      void (*fn)(void *arg, unsigned long ip,
					 unsigned int cat, u64 faults),
			      void *arg);

/*
 * Threads whose m_state is not idle.  The mmap path's hooks look no
 * further while it is 0: a mapping that needs nothing costs them a read.
 */
extern atomic_t knmt_mmaps_in_flight;

/* The thread's own, or a drop of its record (the last change). */
static inline void knmt_thr_mmap_state(struct knmt_thr *r,
				       enum knmt_mmap_state state)
{
	u8 was = xchg(&r->m_state, (u8)state);

	if (was == KNMT_MMAP_IDLE && state != KNMT_MMAP_IDLE)
		atomic_inc(&knmt_mmaps_in_flight);
	else if (was != KNMT_MMAP_IDLE && state == KNMT_MMAP_IDLE)
		atomic_dec(&knmt_mmaps_in_flight);
}

/* knmt_exits.c */
int knmt_exits_init(void);
void knmt_exits_exit(void);
size_t knmt_exits_mem_bytes(void);
unsigned int knmt_exits_kept(void);
u64 knmt_exit_record(struct knmt_proc *p, struct task_struct *t);

/* knmt_walk.c */
struct knmt_piece {
	unsigned long start, end;
	unsigned long vm_flags;
	struct vm_area_struct *vma;
	u64 resident;
	u64 birth_ns;			/* 0: unknown */
	u32 faults;
	pid_t tid;
	u8 cat;				/* enum knmt_category */
	u8 origin;			/* enum knmt_origin */
};

typedef int (*knmt_piece_fn)(const struct knmt_piece *pc, void *arg);

int knmt_walk(struct mm_struct *mm, struct knmt_proc *p, unsigned long from,
	      knmt_piece_fn fn, void *arg, unsigned long *next);
int knmt_sample_take(struct task_struct *t, struct mm_struct *mm,
		     struct knmt_proc *p, struct knmt_sample *s);
unsigned int knmt_vma_category(struct vm_area_struct *vma, u8 *origin);
unsigned int knmt_addr_category(struct knmt_proc *p,
				struct vm_area_struct *vma, unsigned long addr);
unsigned int knmt_addr_category_range(struct knmt_proc *p,
				      struct vm_area_struct *vma,
				      unsigned long addr, unsigned long *start,
				      unsigned long *end, struct knmt_orec **o);
void knmt_procs_guess(void);
u32 knmt_vm_prot(unsigned long vm_flags);

/* knmt_filter.c */
struct knmt_filter {
	pid_t pid;			/* init pid namespace; 0: none */
	char comm[TASK_COMM_LEN];	/* "": none */
	u64 cgroup;			/* cgroup v2 id; 0: none */
};

bool knmt_filter_match(struct task_struct *t);
void knmt_filter_get(struct knmt_filter *out);
int knmt_filter_set(const struct knmt_filter *f);
void knmt_filter_exit(void);
void knmt_procs_refilter(void);

/* knmt_sampler.c */
int knmt_sampler_init(void);
void knmt_sampler_exit(void);
u32 knmt_sampler_last_round_ms(void);

/* knmt_origin.c */
#define KNMT_ORIGIN_F_DEATH	BIT(0)	/* a removal frees buffers */
#define KNMT_ORIGIN_F_MOVED	BIT(1)	/* an insert continues one */
#define KNMT_ORIGIN_F_GUESSED	BIT(2)	/* inferred, not seen born */
#define KNMT_ORIGIN_F_PART	BIT(3)	/* remaps part of a live range */

unsigned int knmt_lifetime_bucket(u64 ns);
unsigned int knmt_regions_tracked(void);
u64 knmt_regions_overflow(void);

int knmt_origins_init(void);
void knmt_origins_refill(void);
void knmt_origins_exit(void);
size_t knmt_origins_mem_bytes(void);
void knmt_origin_tree_init(struct knmt_proc *p);
struct knmt_orec *knmt_origin_find(struct knmt_proc *p, unsigned long addr);
bool knmt_origin_overlaps(struct knmt_proc *p, unsigned long start,
			  unsigned long end);
void knmt_origin_changed(struct knmt_proc *p);
int knmt_origin_insert(struct knmt_proc *p, unsigned long start,
		       unsigned long end, u8 kind, u64 birth_ns, pid_t tid,
		       unsigned int flags);
void knmt_origin_remove(struct knmt_proc *p, unsigned long start,
			unsigned long end, unsigned int flags);
void knmt_origin_clear(struct knmt_proc *p);
void knmt_origin_drop_all(struct knmt_proc *p);
int knmt_origin_copy(struct knmt_proc *dst, struct knmt_proc *src);
struct knmt_orec *knmt_origin_next(struct knmt_proc *p, unsigned long addr);

/* knmt_sock.c */

/* TCP_ESTABLISHED (1) .. TCP_NEW_SYN_RECV (12): the same on every kernel. */
#define KNMT_TCP_STATES	(TCP_NEW_SYN_RECV + 1)

struct knmt_socks_view {
	u32 open;
	u32 family[KNMT_SOCK_FAM_NR];
	u32 tcp_state[KNMT_TCP_STATES];
	u64 close_wait_age_ns;		/* 0: none in CLOSE_WAIT */
	u64 oldest_age_ns;
	u64 rx, tx, mem;
	u64 opened, accepted, closed, destroyed, untracked;
	u32 orphans;
	u64 lifetime[KNMT_LIFETIME_BUCKETS];
	u32 open_rate, close_rate;
};

/* One open socket as a dump shows it. */
struct knmt_sock_info {
	u64 id;
	u64 ino;
	u64 birth_ns;
	u64 state_ns;			/* 0: unknown */
	u16 family, type, protocol;
	u8 state, flags;
	u32 recv_q, send_q;
	u32 rmem_alloc, rcvbuf, wmem_alloc, sndbuf, fwd_alloc, wmem_queued;
	u32 rx, tx, mem;
	u8 addr_len;			/* 0: not inet */
	u8 laddr[16], raddr[16];
	u16 lport, rport;
};

typedef int (*knmt_sock_fn)(const struct knmt_sock_info *si, void *arg);

extern unsigned int knmt_sockets_max;
extern unsigned int knmt_threads_max;

int knmt_socks_init(void);
void knmt_socks_start(void);
void knmt_socks_stop(void);
void knmt_socks_rescan(void);
void knmt_socks_exit(void);
size_t knmt_socks_mem_bytes(void);
size_t knmt_sock_record_size(void);
unsigned int knmt_socks_tracked(void);
u64 knmt_socks_overflow(void);
u64 knmt_socks_stale(void);

void knmt_proc_socks_init(struct knmt_proc *p);
void knmt_proc_socks_gone(struct knmt_proc *p);
void knmt_sock_opened(struct file *file, bool accepted);
void knmt_sock_installed(struct file *file, bool accepted);
void knmt_sock_accept_missed(void);
void knmt_sock_closing(struct sock *sk);
void knmt_sock_destroyed(struct sock *sk);
void knmt_sock_state(const struct sock *sk, int oldstate, int newstate);
int knmt_socks_view(struct knmt_proc *p, struct knmt_socks_view *v);
int knmt_socks_each(struct knmt_proc *p, u64 *after, knmt_sock_fn fn,
		    void *arg);

#endif /* _KNMT_PROC_H */
