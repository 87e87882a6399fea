// SPDX-License-Identifier: GPL-2.0
/*
 * knmt - sockets: who owns them, how long they live, what they hold.
 *
 * A record follows a socket from socket()/socketpair()/accept() to its
 * destruction, in two phases:
 *
 *  open     from creation to the close of its last descriptor.  The record
 *           is on its owner's list and holds a reference on the struct sock
 *           and on the owner's entry, so a reader that finds it on the list
 *           (under knmt_socks_lock) may read the socket: its queues, state
 *           and addresses are read there, never copied ahead of time.
 *  orphan   TCP only: closed by the process, not yet destroyed by the
 *           kernel (winding down in FIN_WAIT or LAST_ACK).  The record only
 *           stays in the hash, keyed by the socket's address, without any
 *           reference, and is never dereferenced through it again:
 *           destruction, which may run in softirq, finds it there and
 *           accounts it to the owner by tgid, without current.  Other
 *           sockets end at their last close: the kernel frees them there or
 *           a grace period later, holding nothing that a process could
 *           still be charged for but data in flight.
 *
 * The close of the last descriptor is seen by a kprobe on sock_close; the
 * sweep (every KNMT_SOCK_SWEEP_MS, process context) catches a close that
 * hook did not see from SOCK_DEAD, which the kernel sets at release.  A
 * destruction knmt did not see leaves an orphan record behind; it is found
 * and counted as stale when the kernel hands the same address to a new
 * socket.  Nothing is ever read through a record that holds no reference.
 *
 * Ownership: the creating or accepting thread group.  A child that
 * inherits a descriptor, or a process that receives one over a unix
 * socket, does not become the owner.  When the owner stops being tracked
 * (exit, or the filter) with sockets still open elsewhere, its entry goes
 * on the zombie list; the sweep looks through the descriptors of the
 * tracked processes and the first one found holding such a socket adopts
 * it.  Sockets nobody tracked holds are let go.  The same look through
 * descriptors picks up, as approximate, the sockets of processes that were
 * running before the load.
 *
 * Records come from a pool of at most sockets_max; a socket that finds the
 * pool empty is counted in its owner's untracked and in the status.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/moduleparam.h>
#include <linux/net.h>
#include <linux/pid.h>
#include <linux/rculist.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/af_unix.h>
#include <net/inet_sock.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "knmt.h"
#include "knmt_events.h"
#include "knmt_pool.h"
#include "knmt_proc.h"

unsigned int knmt_sockets_max = 65536;
module_param_named(sockets_max, knmt_sockets_max, uint, 0444);
MODULE_PARM_DESC(sockets_max,
		 "Most sockets tracked at once over all processes, 1024..16777216 (default 65536)");

enum knmt_sock_phase {
	KNMT_SOCK_OPEN = 1,
	KNMT_SOCK_ORPHAN,
	KNMT_SOCK_DEAD,
};

struct knmt_sock {
	struct hlist_node hash;		/* knmt_sock_hash, by @sk */
	struct list_head node;		/* owner's open list (open phase) */
	struct sock *sk;		/* identity; referenced while open */
	struct knmt_proc *owner;	/* referenced while open */
	u64 id;				/* order on the owner's list */
	u64 birth_ns;			/* boot-time clock */
	u64 state_ns;			/* when @state was entered */
	u64 owner_start;		/* owner's start time, with @tgid */
	unsigned long ino;
	pid_t tgid;			/* owner, init pid namespace */
	u8 phase;			/* enum knmt_sock_phase */
	u8 state;			/* last TCP state the tracepoint saw */
	u8 flags;			/* KNMT_SOCK_F_* */
	bool tcp;			/* has an orphan phase */
	bool destroyed;			/* seen destroyed while still open */
	struct rcu_head rcu;
};

#define KNMT_SOCK_RESERVE	512
#define KNMT_SOCK_LOCKS		64
#define KNMT_SOCK_SWEEP_MS	1000
#define KNMT_SOCK_BATCH		16

static struct knmt_pool knmt_sock_pool;
static struct hlist_head *knmt_sock_hash;
static unsigned int knmt_sock_hash_bits;
static raw_spinlock_t knmt_sock_locks[KNMT_SOCK_LOCKS];
static atomic64_t knmt_sock_stale_count;

/* Owners' lists, phase changes to and from open, the zombie list. */
static DEFINE_RAW_SPINLOCK(knmt_socks_lock);
static LIST_HEAD(knmt_socks_zombies);
static u64 knmt_sock_next_id;
static bool knmt_socks_pickup;		/* newly tracked processes */

static struct delayed_work knmt_socks_work;

static const struct knmt_pool_kind knmt_sock_kind = {
	.param = "sockets_max",
	.limit = &knmt_sockets_max,
	.lo = 1024,
	.hi = 1U << 24,
	.name = "knmt_sock",
	.size = sizeof(struct knmt_sock),
	.reserve = KNMT_SOCK_RESERVE,
	.min_buckets = 256,
	.pool = &knmt_sock_pool,
	.bits = &knmt_sock_hash_bits,
	.hash = { &knmt_sock_hash },
};

int knmt_socks_init(void)
{
	unsigned int i;

	for (i = 0; i < KNMT_SOCK_LOCKS; i++)
		raw_spin_lock_init(&knmt_sock_locks[i]);
	return knmt_pool_kind_init(&knmt_sock_kind);
}

size_t knmt_socks_mem_bytes(void)
{
	return knmt_pool_kind_bytes(&knmt_sock_kind);
}

size_t knmt_sock_record_size(void)
{
	return sizeof(struct knmt_sock);
}

unsigned int knmt_socks_tracked(void)
{
	return knmt_pool_in_use(&knmt_sock_pool);
}

u64 knmt_socks_overflow(void)
{
	return atomic64_read(&knmt_sock_pool.overflow);
}

u64 knmt_socks_stale(void)
{
	return atomic64_read(&knmt_sock_stale_count);
}

void knmt_proc_socks_init(struct knmt_proc *p)
{
	INIT_LIST_HEAD(&p->socks.open);
	INIT_LIST_HEAD(&p->socks.zombie);
}

static unsigned int knmt_sock_bucket(const struct sock *sk)
{
	return hash_ptr(sk, knmt_sock_hash_bits);
}

static raw_spinlock_t *knmt_sock_lock_of(unsigned int bucket)
{
	return &knmt_sock_locks[bucket % KNMT_SOCK_LOCKS];
}

/* RCU (or preemption off): the record stays valid until the section ends. */
static struct knmt_sock *knmt_sock_lookup(const struct sock *sk)
{
	struct knmt_sock *rec;

	hlist_for_each_entry_rcu(rec, &knmt_sock_hash[knmt_sock_bucket(sk)],
				 hash) {
		if (READ_ONCE(rec->sk) == sk)
			return rec;
	}
	return NULL;
}

static void knmt_sock_free_rcu(struct rcu_head *head)
{
	knmt_pool_put(&knmt_sock_pool,
		      container_of(head, struct knmt_sock, rcu));
}

/* The owner of an orphan, by tgid: its entry may be gone or reused. */
static void knmt_sock_orphan_gone(struct knmt_sock *rec, bool destroyed)
{
	struct knmt_proc *p;

	rcu_read_lock();
	p = knmt_proc_by_tgid(rec->tgid);
	if (p && p->start_ns == rec->owner_start) {
		atomic_dec(&p->socks.orphans);
		if (destroyed)
			atomic64_inc(&p->socks.destroyed);
	}
	rcu_read_unlock();
}

/*
 * Put @rec in the hash.  An orphan record already there for the same
 * address is stale: its socket's destruction was not seen and the kernel
 * reused the memory.  An open one means the socket is tracked already.
 */
static bool knmt_sock_hash_add(struct knmt_sock *rec)
{
	unsigned int b = knmt_sock_bucket(rec->sk);
	raw_spinlock_t *lock = knmt_sock_lock_of(b);
	struct knmt_sock *old, *stale = NULL;
	unsigned long irqflags;

	raw_spin_lock_irqsave(lock, irqflags);
	hlist_for_each_entry(old, &knmt_sock_hash[b], hash) {
		if (old->sk != rec->sk)
			continue;
		if (old->phase != KNMT_SOCK_ORPHAN) {
			raw_spin_unlock_irqrestore(lock, irqflags);
			return false;
		}
		hlist_del_init_rcu(&old->hash);
		WRITE_ONCE(old->phase, KNMT_SOCK_DEAD);
		stale = old;
		break;
	}
	hlist_add_head_rcu(&rec->hash, &knmt_sock_hash[b]);
	raw_spin_unlock_irqrestore(lock, irqflags);

	if (stale) {
		/* Destroyed for sure, when is not known. */
		atomic64_inc(&knmt_sock_stale_count);
		knmt_sock_orphan_gone(stale, true);
		call_rcu(&stale->rcu, knmt_sock_free_rcu);
	}
	return true;
}

static void knmt_sock_hash_del(struct knmt_sock *rec)
{
	raw_spinlock_t *lock = knmt_sock_lock_of(knmt_sock_bucket(rec->sk));
	unsigned long irqflags;

	raw_spin_lock_irqsave(lock, irqflags);
	hlist_del_init_rcu(&rec->hash);
	raw_spin_unlock_irqrestore(lock, irqflags);
}

/*
 * Start tracking @sk for @p.  Callers hold a reference on the socket's
 * file (which holds the socket) and on @p, or are in an RCU section in
 * which @p is hashed.  Any context.  False when the pool is empty.
 */
static bool knmt_sock_track(struct knmt_proc *p, struct sock *sk,
			    unsigned long ino, u8 flags)
{
	struct knmt_sock *rec;
	u64 now = ktime_get_boottime_ns();

	rec = knmt_pool_get(&knmt_sock_pool);
	if (!rec) {
		if (!(flags & KNMT_SOCK_F_APPROX))
			atomic64_inc(&p->socks.untracked);
		return false;
	}
	if (!refcount_inc_not_zero(&p->ref)) {
		knmt_pool_put(&knmt_sock_pool, rec);
		return true;
	}
	rec->sk = sk;
	rec->owner = p;
	rec->tgid = p->tgid;
	rec->owner_start = p->start_ns;
	rec->ino = ino;
	rec->birth_ns = now;
	rec->state = READ_ONCE(sk->sk_state);
	rec->state_ns = now;
	rec->flags = flags;
	rec->phase = KNMT_SOCK_OPEN;
	rec->tcp = (sk->sk_family == AF_INET || sk->sk_family == AF_INET6) &&
		   sk->sk_type == SOCK_STREAM && sk->sk_protocol == IPPROTO_TCP;
	sock_hold(sk);

	raw_spin_lock(&knmt_socks_lock);
	if (!knmt_sock_hash_add(rec)) {
		raw_spin_unlock(&knmt_socks_lock);
		sock_put(sk);		/* not the last: the file holds one */
		knmt_proc_put(p);
		knmt_pool_put(&knmt_sock_pool, rec);
		return true;
	}
	rec->id = ++knmt_sock_next_id;
	list_add_tail(&rec->node, &p->socks.open);
	if (!(flags & KNMT_SOCK_F_APPROX)) {
		p->socks.opened++;
		if (flags & KNMT_SOCK_F_ACCEPTED)
			p->socks.accepted++;
	}
	raw_spin_unlock(&knmt_socks_lock);
	if (!(flags & KNMT_SOCK_F_APPROX) && knmt_events_wanted()) {
		struct knmt_ev e = {
			.tid = task_pid_nr(current),
			.old_start = ino,
			.family = sk->sk_family,
			.stype = sk->sk_type,
			.protocol = sk->sk_family == AF_INET ||
				    sk->sk_family == AF_INET6 ?
				    sk->sk_protocol : 0,
			.flags = flags,
		};

		knmt_ev_emit(&e, KNMT_EV_SOCK_OPEN, p->tgid);
	}
	return true;
}

/* A user thread, or an io_uring worker of a process (its accepts). */
static bool knmt_task_is_user(struct task_struct *t)
{
	return (t->flags & PF_IO_WORKER) || (!(t->flags & PF_KTHREAD) && t->mm);
}

/*
 * sock_alloc_file or do_accept returned @file, in the creating task.  Its
 * descriptor is not installed yet: nobody else can close it meanwhile.
 * accept()'s new socket has no sock at sock_alloc_file; do_accept's return
 * sees it.
 */
void knmt_sock_opened(struct file *file, bool accepted)
{
	struct socket *sock = sock_from_file(file);
	struct sock *sk = sock ? READ_ONCE(sock->sk) : NULL;
	struct knmt_proc *p;

	if (!sk || !knmt_task_is_user(current))
		return;
	rcu_read_lock();
	p = knmt_proc_by_tgid(task_tgid_nr(current));
	if (p)
		knmt_sock_track(p, sk, file_inode(file)->i_ino,
				accepted ? KNMT_SOCK_F_ACCEPTED : 0);
	rcu_read_unlock();
}

/*
 * fd_install: @file, a socket's, gets a descriptor in the current task.
 * Tracked already (socket(), socketpair(), a descriptor duplicated or
 * passed on): nothing to do.  Else it was accepted, or received from a
 * process knmt does not track: the installer owns it from now.  An
 * orphan record at its address is a stale one (a destruction not seen),
 * which tracking it replaces.
 */
void knmt_sock_installed(struct file *file, bool accepted)
{
	struct socket *sock = sock_from_file(file);
	struct sock *sk = sock ? READ_ONCE(sock->sk) : NULL;
	struct knmt_sock *rec;
	bool known;

	if (!sk)
		return;
	rcu_read_lock();
	rec = knmt_sock_lookup(sk);
	known = rec && READ_ONCE(rec->phase) != KNMT_SOCK_ORPHAN;
	rcu_read_unlock();
	if (!known)
		knmt_sock_opened(file, accepted);
}

/*
 * The accept hook runs on a fallback that returns a descriptor, not the
 * file: the sweep will look at the process's descriptors instead.
 */
void knmt_sock_accept_missed(void)
{
	struct knmt_proc *p;

	if (!knmt_task_is_user(current))
		return;
	rcu_read_lock();
	p = knmt_proc_by_tgid(task_tgid_nr(current));
	if (p)
		WRITE_ONCE(p->socks.scan, true);
	rcu_read_unlock();
}

/*
 * Under knmt_socks_lock: the open record @rec is closed.  A TCP socket
 * not yet destroyed becomes an orphan; any other socket ends here (its
 * phase is dead, the caller takes it out of the hash).  The caller drops
 * the references the record held (the socket's, the owner's) once the
 * lock is released, and returns the record if it ended.
 */
static struct knmt_proc *knmt_sock_close_locked(struct knmt_sock *rec,
						u64 now, bool *end)
{
	struct knmt_proc *p = rec->owner;

	list_del(&rec->node);
	p->socks.closed++;
	p->socks.lifetime[knmt_lifetime_bucket(now - rec->birth_ns)]++;
	if (knmt_events_wanted()) {
		struct knmt_ev e = {
			.old_start = rec->ino,
			.lifetime_ns = now - rec->birth_ns,
		};

		knmt_ev_emit(&e, KNMT_EV_SOCK_CLOSE, p->tgid);
	}
	rec->owner = NULL;
	*end = !rec->tcp || READ_ONCE(rec->destroyed);
	if (*end) {
		atomic64_inc(&p->socks.destroyed);
		WRITE_ONCE(rec->phase, KNMT_SOCK_DEAD);
	} else {
		atomic_inc(&p->socks.orphans);
		WRITE_ONCE(rec->phase, KNMT_SOCK_ORPHAN);
	}
	return p;
}

/*
 * After knmt_sock_close_locked, without the lock: a record that ended
 * leaves the hash (before the reference on the socket goes, so that no
 * new socket can have its address meanwhile), then the references go.
 * An orphan (@end false) is not touched: its destruction may free it.
 */
static void knmt_sock_closed(struct knmt_sock *rec, struct sock *sk,
			     struct knmt_proc *owner, bool end)
{
	if (end)
		knmt_sock_hash_del(rec);
	sock_put(sk);
	knmt_proc_put(owner);
	if (end)
		call_rcu(&rec->rcu, knmt_sock_free_rcu);
}

/*
 * sock_close: the last descriptor of @sk's socket goes.  The socket still
 * holds @sk, so dropping knmt's reference here never frees it.
 */
void knmt_sock_closing(struct sock *sk)
{
	struct knmt_proc *owner = NULL;
	struct knmt_sock *rec;
	bool end = false;

	rcu_read_lock();
	rec = knmt_sock_lookup(sk);
	if (rec && READ_ONCE(rec->phase) == KNMT_SOCK_OPEN) {
		raw_spin_lock(&knmt_socks_lock);
		if (rec->sk == sk && rec->phase == KNMT_SOCK_OPEN)
			owner = knmt_sock_close_locked(rec,
						       ktime_get_boottime_ns(),
						       &end);
		raw_spin_unlock(&knmt_socks_lock);
	}
	rcu_read_unlock();
	if (owner)
		knmt_sock_closed(rec, sk, owner, end);
}

/*
 * tcp_destroy_sock or sk_destruct, any context (often softirq): an
 * orphan's end.  A record still open means its close was not seen yet:
 * marked, the sweep ends it (the reference it holds must not be dropped
 * here, where the kernel may be in the middle of freeing the socket).
 */
void knmt_sock_destroyed(struct sock *sk)
{
	raw_spinlock_t *lock;
	struct knmt_sock *rec;
	unsigned long irqflags;
	bool mine = false;

	rcu_read_lock();
	rec = knmt_sock_lookup(sk);
	if (rec && READ_ONCE(rec->phase) == KNMT_SOCK_OPEN) {
		WRITE_ONCE(rec->destroyed, true);
	} else if (rec) {
		lock = knmt_sock_lock_of(knmt_sock_bucket(sk));
		raw_spin_lock_irqsave(lock, irqflags);
		if (rec->sk == sk && rec->phase == KNMT_SOCK_ORPHAN &&
		    !hlist_unhashed(&rec->hash)) {
			hlist_del_init_rcu(&rec->hash);
			WRITE_ONCE(rec->phase, KNMT_SOCK_DEAD);
			mine = true;
		}
		raw_spin_unlock_irqrestore(lock, irqflags);
	}
	if (mine) {
		knmt_sock_orphan_gone(rec, true);
		call_rcu(&rec->rcu, knmt_sock_free_rcu);
	}
	rcu_read_unlock();
}

/*
 * The states a socket stays in, whose age is kept: listening, connecting,
 * connected, and closed by the peer but not by its owner (the leak).  In
 * the others (a few round trips of a close) the age is not known.
 */
static bool knmt_state_timed(int state)
{
	return state == TCP_LISTEN || state == TCP_SYN_SENT ||
	       state == TCP_ESTABLISHED || state == TCP_CLOSE_WAIT;
}

/*
 * inet_sock_set_state, any context: remember when the state was entered.
 * A connection changes state ten times on its two ends; without a
 * listener the states not timed cost no lookup.
 */
void knmt_sock_state(const struct sock *sk, int oldstate, int newstate)
{
	bool timed = knmt_state_timed(newstate);
	struct knmt_sock *rec;

	/*
	 * Nor does a socket without a file, a connection's server end before
	 * accept(): it has no record yet, its state is read when it gets one.
	 */
	if (!knmt_events_wanted() && (!timed || !READ_ONCE(sk->sk_socket)))
		return;
	rcu_read_lock();
	rec = knmt_sock_lookup(sk);
	if (rec) {
		/*
		 * The tick's clock, as an age is told in seconds; not before
		 * the birth, taken with the precise one.  Left alone for a
		 * state not timed: the state kept no longer being the
		 * socket's, its age is unknown.
		 */
		if (timed) {
			WRITE_ONCE(rec->state_ns,
				   max(ktime_get_coarse_boottime_ns(),
				       rec->birth_ns));
			WRITE_ONCE(rec->state, newstate);
		}
		if (knmt_events_wanted()) {
			struct knmt_ev e = {
				.old_start = rec->ino,
				.old_state = oldstate,
				.state = newstate,
			};

			knmt_ev_emit(&e, KNMT_EV_SOCK_STATE,
				     READ_ONCE(rec->tgid));
		}
	}
	rcu_read_unlock();
}

/*
 * Read a socket the caller holds a reference on, with the meaning ss(8)
 * gives each figure (inet_diag, tcp_diag, udp_diag and unix_diag).
 */
static void knmt_sock_read(struct sock *sk, struct knmt_sock_info *si)
{
	int fwd = sk_forward_alloc_get(sk);
	bool inet = sk->sk_family == AF_INET || sk->sk_family == AF_INET6;
	bool tcp = inet && sk->sk_type == SOCK_STREAM &&
		   sk->sk_protocol == IPPROTO_TCP;

	si->family = sk->sk_family;
	si->type = sk->sk_type;
	si->protocol = inet ? sk->sk_protocol : 0;
	si->state = READ_ONCE(sk->sk_state);
	si->rmem_alloc = sk_rmem_alloc_get(sk);
	si->wmem_alloc = sk_wmem_alloc_get(sk);
	si->wmem_queued = READ_ONCE(sk->sk_wmem_queued);
	si->fwd_alloc = max(fwd, 0);
	si->rcvbuf = READ_ONCE(sk->sk_rcvbuf);
	si->sndbuf = READ_ONCE(sk->sk_sndbuf);

	if (tcp && si->state == TCP_LISTEN) {
		si->recv_q = READ_ONCE(sk->sk_ack_backlog);
		si->send_q = READ_ONCE(sk->sk_max_ack_backlog);
	} else if (tcp) {
		const struct tcp_sock *tp = tcp_sk(sk);

		si->recv_q = max_t(int, READ_ONCE(tp->rcv_nxt) -
					READ_ONCE(tp->copied_seq), 0);
		si->send_q = READ_ONCE(tp->write_seq) - READ_ONCE(tp->snd_una);
	} else if (sk->sk_family == AF_UNIX && si->state == TCP_LISTEN) {
		si->recv_q = skb_queue_len_lockless(&sk->sk_receive_queue);
		si->send_q = READ_ONCE(sk->sk_max_ack_backlog);
	} else if (sk->sk_family == AF_UNIX) {
		si->recv_q = unix_inq_len(sk);
		si->send_q = unix_outq_len(sk);
	} else {
		si->recv_q = si->rmem_alloc;
		si->send_q = si->wmem_alloc;
	}

	if (sk->sk_family == AF_UNIX)
		si->rx = si->state == TCP_LISTEN ? 0 : si->recv_q;
	else
		si->rx = si->rmem_alloc;
	si->tx = tcp ? si->wmem_queued : si->wmem_alloc;
	si->mem = si->rmem_alloc + si->tx + si->fwd_alloc;

	si->addr_len = 0;
	if (sk->sk_family == AF_INET) {
		si->addr_len = 4;
		memcpy(si->laddr, &sk->sk_rcv_saddr, 4);
		memcpy(si->raddr, &sk->sk_daddr, 4);
	}
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		si->addr_len = 16;
		memcpy(si->laddr, &sk->sk_v6_rcv_saddr, 16);
		memcpy(si->raddr, &sk->sk_v6_daddr, 16);
	}
#endif
	if (si->addr_len) {
		si->lport = ntohs(inet_sk(sk)->inet_sport);
		si->rport = ntohs(sk->sk_dport);
	}
}

struct knmt_sock_ref {
	struct sock *sk;
	u64 id, ino, birth_ns, state_ns;
	u8 state, flags;
};

/*
 * Call @fn for each open socket of @p whose record id is above *@after,
 * in order, moving *@after past each one @fn accepts.  Sockets are taken
 * in batches: a reference on each under the lock, read after it (unix
 * queues take a spinlock of their own), released in process context.
 * Returns 0 or the first error of @fn.
 */
int knmt_socks_each(struct knmt_proc *p, u64 *after, knmt_sock_fn fn,
		    void *arg)
{
	/*
	 * On the stack (under 1 KiB): a summary asks this of every process,
	 * and an allocation, zeroed where init_on_alloc is on, cost more
	 * than reading a process's few sockets.
	 */
	struct knmt_sock_ref batch[KNMT_SOCK_BATCH];
	struct knmt_sock_info si_buf, *si = &si_buf;
	int err = 0;

	for (;;) {
		struct knmt_sock *rec;
		unsigned int n = 0, i;

		raw_spin_lock(&knmt_socks_lock);
		list_for_each_entry(rec, &p->socks.open, node) {
			struct knmt_sock_ref *r = &batch[n];

			if (rec->id <= *after)
				continue;
			sock_hold(rec->sk);
			r->sk = rec->sk;
			r->id = rec->id;
			r->ino = rec->ino;
			r->birth_ns = rec->birth_ns;
			r->state = READ_ONCE(rec->state);
			r->state_ns = READ_ONCE(rec->state_ns);
			r->flags = rec->flags;
			if (++n == KNMT_SOCK_BATCH)
				break;
		}
		raw_spin_unlock(&knmt_socks_lock);
		if (!n)
			break;

		for (i = 0; i < n; i++) {
			struct knmt_sock_ref *r = &batch[i];

			if (!err) {
				memset(si, 0, sizeof(*si));
				knmt_sock_read(r->sk, si);
				si->id = r->id;
				si->ino = r->ino;
				si->birth_ns = r->birth_ns;
				si->flags = r->flags;
				/* A state the tracepoint did not see: unknown. */
				if (r->state == si->state)
					si->state_ns = r->state_ns;
				err = fn(si, arg);
				if (!err)
					*after = r->id;
			}
			sock_put(r->sk);
		}
		if (err || n < KNMT_SOCK_BATCH)
			break;
		cond_resched();
	}
	return err;
}

struct knmt_view_arg {
	struct knmt_socks_view *v;
	u64 now;
};

static int knmt_socks_view_one(const struct knmt_sock_info *si, void *data)
{
	struct knmt_view_arg *a = data;
	struct knmt_socks_view *v = a->v;
	unsigned int fam;

	v->open++;
	switch (si->family) {
	case AF_INET:
		fam = KNMT_SOCK_FAM_INET;
		break;
	case AF_INET6:
		fam = KNMT_SOCK_FAM_INET6;
		break;
	case AF_UNIX:
		fam = KNMT_SOCK_FAM_UNIX;
		break;
	default:
		fam = KNMT_SOCK_FAM_OTHER;
		break;
	}
	v->family[fam]++;
	if (si->addr_len && si->type == SOCK_STREAM &&
	    si->protocol == IPPROTO_TCP && si->state < KNMT_TCP_STATES) {
		v->tcp_state[si->state]++;
		if (si->state == TCP_CLOSE_WAIT && si->state_ns)
			v->close_wait_age_ns = max(v->close_wait_age_ns,
						   knmt_age(a->now, si->state_ns));
	}
	v->oldest_age_ns = max(v->oldest_age_ns, knmt_age(a->now, si->birth_ns));
	v->rx += si->rx;
	v->tx += si->tx;
	v->mem += si->mem;
	return 0;
}

/*
 * The socket figures of @p, for a process message.  Process context.
 * Returns 0 (the figures are complete), or an error of the reading.
 */
int knmt_socks_view(struct knmt_proc *p, struct knmt_socks_view *v)
{
	struct knmt_view_arg a = { .v = v, .now = ktime_get_boottime_ns() };
	u64 after = 0;

	memset(v, 0, sizeof(*v));
	raw_spin_lock(&knmt_socks_lock);
	v->opened = p->socks.opened;
	v->accepted = p->socks.accepted;
	v->closed = p->socks.closed;
	memcpy(v->lifetime, p->socks.lifetime, sizeof(v->lifetime));
	v->open_rate = p->socks.open_rate;
	v->close_rate = p->socks.close_rate;
	raw_spin_unlock(&knmt_socks_lock);
	v->orphans = max(atomic_read(&p->socks.orphans), 0);
	v->destroyed = atomic64_read(&p->socks.destroyed);
	v->untracked = atomic64_read(&p->socks.untracked);
	return knmt_socks_each(p, &after, knmt_socks_view_one, &a);
}

/*
 * @p is no longer tracked (exit, filter).  Its sockets that are still
 * open are held elsewhere, or will be closed in a moment by exit_files():
 * the sweep sorts them out.  Any context.
 */
void knmt_proc_socks_gone(struct knmt_proc *p)
{
	raw_spin_lock(&knmt_socks_lock);
	if (!list_empty(&p->socks.open) && list_empty(&p->socks.zombie)) {
		refcount_inc(&p->ref);
		list_add_tail(&p->socks.zombie, &knmt_socks_zombies);
	}
	raw_spin_unlock(&knmt_socks_lock);
}

/* Looking through one process's descriptors. */
struct knmt_scan_arg {
	struct knmt_proc *p;
	bool pickup;		/* track sockets that have no record */
	unsigned int adopted, added, failed;
};

static int knmt_scan_fd(const void *data, struct file *file, unsigned int fd)
{
	struct knmt_scan_arg *a = (struct knmt_scan_arg *)data;
	struct socket *sock = sock_from_file(file);
	struct knmt_proc *old = NULL;
	struct knmt_sock *rec;
	struct sock *sk;

	sk = sock ? READ_ONCE(sock->sk) : NULL;
	if (!sk)
		return 0;
	rcu_read_lock();
	rec = knmt_sock_lookup(sk);
	if (rec && READ_ONCE(rec->phase) == KNMT_SOCK_OPEN) {
		raw_spin_lock(&knmt_socks_lock);
		if (rec->sk == sk && rec->phase == KNMT_SOCK_OPEN &&
		    !list_empty(&rec->owner->socks.zombie) &&
		    refcount_inc_not_zero(&a->p->ref)) {
			old = rec->owner;
			list_del(&rec->node);
			rec->owner = a->p;
			rec->tgid = a->p->tgid;
			rec->owner_start = a->p->start_ns;
			rec->flags |= KNMT_SOCK_F_ADOPTED;
			rec->id = ++knmt_sock_next_id;
			list_add_tail(&rec->node, &a->p->socks.open);
			a->adopted++;
		}
		raw_spin_unlock(&knmt_socks_lock);
	} else if ((!rec || READ_ONCE(rec->phase) == KNMT_SOCK_ORPHAN) &&
		   a->pickup) {
		/* An orphan record for a live socket is stale: replaced. */
		if (knmt_sock_track(a->p, sk, file_inode(file)->i_ino,
				    KNMT_SOCK_F_APPROX))
			a->added++;
		else
			a->failed++;
	}
	rcu_read_unlock();
	/* The zombie list holds @old too: this is never the last put. */
	if (old)
		knmt_proc_put(old);
	return 0;
}

/* Look through the descriptors of @p's thread group.  Process context. */
static void knmt_scan_proc(struct knmt_proc *p, bool pickup)
{
	struct knmt_scan_arg a = { .p = p, .pickup = pickup };
	struct task_struct *t;

	rcu_read_lock();
	t = pid_task(find_pid_ns(p->tgid, &init_pid_ns), PIDTYPE_TGID);
	if (t)
		get_task_struct(t);
	rcu_read_unlock();
	if (!t)
		return;
	/* A process with more sockets than the reserve: top up, go again. */
	do {
		knmt_pool_fill(&knmt_sock_pool);
		a.added = 0;
		a.failed = 0;
		task_lock(t);
		if (t->files)
			iterate_fd(t->files, 0, knmt_scan_fd, &a);
		task_unlock(t);
		cond_resched();
	} while (a.failed && a.added);
	put_task_struct(t);
}

/*
 * Let the sockets of zombie owners go: those no tracked process was found
 * holding.  The records leave the hash at once; their sockets live on,
 * untracked.
 */
static void knmt_socks_bury(void)
{
	LIST_HEAD(gone);
	struct knmt_sock *rec, *tmp;
	struct knmt_proc *p, *ptmp;
	LIST_HEAD(owners);

	raw_spin_lock(&knmt_socks_lock);
	list_for_each_entry_safe(p, ptmp, &knmt_socks_zombies, socks.zombie) {
		list_for_each_entry_safe(rec, tmp, &p->socks.open, node) {
			list_move_tail(&rec->node, &gone);
			WRITE_ONCE(rec->phase, KNMT_SOCK_DEAD);
		}
		list_move_tail(&p->socks.zombie, &owners);
	}
	raw_spin_unlock(&knmt_socks_lock);

	list_for_each_entry_safe(rec, tmp, &gone, node) {
		list_del(&rec->node);
		knmt_sock_hash_del(rec);
		sock_put(rec->sk);
		knmt_proc_put(rec->owner);
		call_rcu(&rec->rcu, knmt_sock_free_rcu);
	}
	list_for_each_entry_safe(p, ptmp, &owners, socks.zombie) {
		list_del_init(&p->socks.zombie);
		knmt_proc_put(p);
	}
}

/*
 * Closes the sock_close hook did not see: the kernel marks a released
 * socket SOCK_DEAD.  At most a batch per process and pass.
 */
static void knmt_socks_reap(struct knmt_proc *p, u64 now)
{
	struct knmt_proc *owners[16];
	struct knmt_sock *recs[16];
	struct sock *sks[16];
	bool ends[16];
	struct knmt_sock *rec, *tmp;
	unsigned int n = 0, i;

	raw_spin_lock(&knmt_socks_lock);
	list_for_each_entry_safe(rec, tmp, &p->socks.open, node) {
		if (!sock_flag(rec->sk, SOCK_DEAD))
			continue;
		recs[n] = rec;
		sks[n] = rec->sk;
		owners[n] = knmt_sock_close_locked(rec, now, &ends[n]);
		if (++n == ARRAY_SIZE(sks))
			break;
	}
	raw_spin_unlock(&knmt_socks_lock);
	for (i = 0; i < n; i++)
		knmt_sock_closed(recs[i], sks[i], owners[i], ends[i]);
}

/* Per-second rates of opens and closes over the last period. */
static void knmt_socks_rates(struct knmt_proc *p, u64 now)
{
	struct knmt_proc_socks *s = &p->socks;
	u64 dt;

	raw_spin_lock(&knmt_socks_lock);
	dt = now - s->rate_ns;
	if (s->rate_ns && dt) {
		/* Per second, times 1000. */
		s->open_rate = min_t(u64, U32_MAX,
				     mul_u64_u64_div_u64(s->opened - s->rate_opened,
							 NSEC_PER_SEC * 1000ULL,
							 dt));
		s->close_rate = min_t(u64, U32_MAX,
				      mul_u64_u64_div_u64(s->closed - s->rate_closed,
							  NSEC_PER_SEC * 1000ULL,
							  dt));
	}
	s->rate_opened = s->opened;
	s->rate_closed = s->closed;
	s->rate_ns = now;
	raw_spin_unlock(&knmt_socks_lock);
}

/*
 * Owners gone whose sockets all closed meanwhile (exit_files() closes
 * them right after the exit hook) need no search: drop them.  True if
 * some still have sockets open, held by someone else.
 */
static bool knmt_socks_prune(void)
{
	struct knmt_proc *p, *tmp;
	LIST_HEAD(done);
	bool left;

	raw_spin_lock(&knmt_socks_lock);
	list_for_each_entry_safe(p, tmp, &knmt_socks_zombies, socks.zombie) {
		if (list_empty(&p->socks.open))
			list_move_tail(&p->socks.zombie, &done);
	}
	left = !list_empty(&knmt_socks_zombies);
	raw_spin_unlock(&knmt_socks_lock);

	list_for_each_entry_safe(p, tmp, &done, socks.zombie) {
		list_del_init(&p->socks.zombie);
		knmt_proc_put(p);
	}
	return left;
}

static void knmt_socks_sweep(bool pickup_all)
{
	u64 now = ktime_get_boottime_ns();
	struct knmt_proc *p;
	bool scan_all;
	u32 pos = 0;

	scan_all = knmt_socks_prune();
	while ((p = knmt_proc_get_next(&pos))) {
		knmt_socks_reap(p, now);
		knmt_socks_rates(p, now);
		if (pickup_all || scan_all || READ_ONCE(p->socks.scan)) {
			bool pickup = pickup_all || READ_ONCE(p->socks.scan);

			WRITE_ONCE(p->socks.scan, false);
			knmt_scan_proc(p, pickup);
		}
		knmt_proc_put(p);
		cond_resched();
	}
	if (scan_all)
		knmt_socks_bury();
}

/* The filter changed: the processes it now selects bring their sockets. */
void knmt_socks_rescan(void)
{
	WRITE_ONCE(knmt_socks_pickup, true);
}

static void knmt_socks_work_fn(struct work_struct *work)
{
	knmt_socks_sweep(xchg(&knmt_socks_pickup, false));
	queue_delayed_work(system_unbound_wq, &knmt_socks_work,
			   msecs_to_jiffies(KNMT_SOCK_SWEEP_MS));
}

/* After the hooks and the process pickup: sockets open before the load. */
void knmt_socks_start(void)
{
	knmt_socks_sweep(true);
	INIT_DELAYED_WORK(&knmt_socks_work, knmt_socks_work_fn);
	queue_delayed_work(system_unbound_wq, &knmt_socks_work,
			   msecs_to_jiffies(KNMT_SOCK_SWEEP_MS));
}

void knmt_socks_stop(void)
{
	cancel_delayed_work_sync(&knmt_socks_work);
}

/*
 * Unload: no hook runs and no request is served any more.  Give every
 * reference back, then every record to the pool once RCU callbacks ran.
 */
void knmt_socks_exit(void)
{
	struct knmt_proc *p, *ptmp;
	struct knmt_sock *rec;
	struct hlist_node *tmp;
	unsigned int b;

	for (b = 0; knmt_sock_hash && b < (1U << knmt_sock_hash_bits); b++) {
		hlist_for_each_entry_safe(rec, tmp, &knmt_sock_hash[b], hash) {
			hlist_del_init(&rec->hash);
			if (rec->phase == KNMT_SOCK_OPEN) {
				raw_spin_lock(&knmt_socks_lock);
				list_del(&rec->node);
				raw_spin_unlock(&knmt_socks_lock);
				sock_put(rec->sk);
				knmt_proc_put(rec->owner);
			}
			knmt_pool_put(&knmt_sock_pool, rec);
		}
		cond_resched();
	}
	list_for_each_entry_safe(p, ptmp, &knmt_socks_zombies, socks.zombie) {
		list_del_init(&p->socks.zombie);
		knmt_proc_put(p);
	}
	rcu_barrier();
	knmt_pool_kind_destroy(&knmt_sock_kind);
}
