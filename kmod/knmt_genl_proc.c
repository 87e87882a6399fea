// SPDX-License-Identifier: GPL-2.0
/*
 * knmt - per-process requests: GET_PROC, DUMP_PROCS, DUMP_REGIONS,
 * DUMP_FAULT_SITES, DUMP_EXITS, DUMP_SOCKETS.
 *
 * Pids are read and reported in the requester's pid namespace; a process
 * the requester cannot see does not exist for it.  Exit records keep only
 * the initial namespace's pid, so they are shown to requesters in the
 * initial namespace only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "knmt.h"
#include "knmt_exits.h"
#include "knmt_genl.h"
#include "knmt_proc.h"
#include "wrapper/genl.h"

/* Everything one process message says, from a live process or a record. */
struct knmt_view {
	pid_t pid;
	u32 flags;
	u64 start_ns;
	char comm[TASK_COMM_LEN];
	struct knmt_sample s;
	u64 peak_mapped[KNMT_CAT_NR];
	u64 faults[KNMT_CAT_NR][2];
	struct knmt_offheap_stats offheap;
	bool tracked;
	u64 exit_ns;
	u32 exit_code;
	struct knmt_socks_view socks;	/* when tracked and alive */
	bool has_socks;
};

static int knmt_put_u64(struct sk_buff *skb, int type, u64 v, int pad)
{
	return nla_put_u64_64bit(skb, type, v, pad);
}

static int knmt_put_cat(struct sk_buff *skb, const struct knmt_view *v,
			unsigned int cat)
{
	const struct knmt_cat_sample *cs = &v->s.cat[cat];
	struct nlattr *nest = nla_nest_start(skb, KNMT_A_PROC_CATEGORY);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, KNMT_A_CAT_ID, cat) ||
	    knmt_put_u64(skb, KNMT_A_CAT_MAPPED, cs->mapped, KNMT_A_CAT_PAD) ||
	    knmt_put_u64(skb, KNMT_A_CAT_RESIDENT, cs->resident,
			 KNMT_A_CAT_PAD) ||
	    nla_put_u32(skb, KNMT_A_CAT_REGIONS, cs->regions) ||
	    knmt_put_u64(skb, KNMT_A_CAT_FAULTS_MINOR, v->faults[cat][0],
			 KNMT_A_CAT_PAD) ||
	    knmt_put_u64(skb, KNMT_A_CAT_FAULTS_MAJOR, v->faults[cat][1],
			 KNMT_A_CAT_PAD) ||
	    knmt_put_u64(skb, KNMT_A_CAT_PEAK_MAPPED,
			 max(v->peak_mapped[cat], cs->mapped),
			 KNMT_A_CAT_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int knmt_put_offheap(struct sk_buff *skb,
			    const struct knmt_offheap_stats *o)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, KNMT_A_PROC_OFFHEAP);
	if (!nest)
		return -EMSGSIZE;
	if (knmt_put_u64(skb, KNMT_A_OFFHEAP_LIVE_COUNT, o->live_count,
			 KNMT_A_OFFHEAP_PAD) ||
	    knmt_put_u64(skb, KNMT_A_OFFHEAP_LIVE_BYTES, o->live_bytes,
			 KNMT_A_OFFHEAP_PAD) ||
	    knmt_put_u64(skb, KNMT_A_OFFHEAP_ALLOC_COUNT, o->alloc_count,
			 KNMT_A_OFFHEAP_PAD) ||
	    knmt_put_u64(skb, KNMT_A_OFFHEAP_ALLOC_BYTES, o->alloc_bytes,
			 KNMT_A_OFFHEAP_PAD) ||
	    knmt_put_u64(skb, KNMT_A_OFFHEAP_FREED_COUNT, o->freed_count,
			 KNMT_A_OFFHEAP_PAD) ||
	    knmt_put_u64(skb, KNMT_A_OFFHEAP_FREED_BYTES, o->freed_bytes,
			 KNMT_A_OFFHEAP_PAD))
		goto cancel;
	if (knmt_put_u64_counts(skb, KNMT_A_OFFHEAP_LIFETIME, o->lifetime,
				KNMT_LIFETIME_BUCKETS))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* A nest of counters numbered from 1; pad attributes are of type 0. */
static int knmt_put_counts32(struct sk_buff *skb, int type, const u32 *c,
			     unsigned int n, unsigned int first)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	unsigned int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = first; i < n; i++) {
		if (nla_put_u32(skb, i + 1 - first, c[i])) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int knmt_put_socks(struct sk_buff *skb, const struct knmt_socks_view *sv)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, KNMT_A_PROC_SOCKETS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, KNMT_A_SOCKS_OPEN, sv->open) ||
	    knmt_put_counts32(skb, KNMT_A_SOCKS_FAMILY, sv->family,
			      KNMT_SOCK_FAM_NR, 0) ||
	    /* TCP states start at 1 (TCP_ESTABLISHED): type = state. */
	    knmt_put_counts32(skb, KNMT_A_SOCKS_TCP_STATE, sv->tcp_state,
			      KNMT_TCP_STATES, 1) ||
	    (sv->tcp_state[TCP_CLOSE_WAIT] && sv->close_wait_age_ns &&
	     knmt_put_u64(skb, KNMT_A_SOCKS_CLOSE_WAIT_AGE_NS,
			  sv->close_wait_age_ns, KNMT_A_SOCKS_PAD)) ||
	    (sv->open &&
	     knmt_put_u64(skb, KNMT_A_SOCKS_OLDEST_AGE_NS, sv->oldest_age_ns,
			  KNMT_A_SOCKS_PAD)) ||
	    knmt_put_u64(skb, KNMT_A_SOCKS_RX_QUEUED, sv->rx, KNMT_A_SOCKS_PAD) ||
	    knmt_put_u64(skb, KNMT_A_SOCKS_TX_QUEUED, sv->tx, KNMT_A_SOCKS_PAD) ||
	    knmt_put_u64(skb, KNMT_A_SOCKS_MEM, sv->mem, KNMT_A_SOCKS_PAD) ||
	    knmt_put_u64(skb, KNMT_A_SOCKS_OPENED, sv->opened,
			 KNMT_A_SOCKS_PAD) ||
	    knmt_put_u64(skb, KNMT_A_SOCKS_ACCEPTED, sv->accepted,
			 KNMT_A_SOCKS_PAD) ||
	    knmt_put_u64(skb, KNMT_A_SOCKS_CLOSED, sv->closed,
			 KNMT_A_SOCKS_PAD) ||
	    nla_put_u32(skb, KNMT_A_SOCKS_ORPHANS, sv->orphans) ||
	    knmt_put_u64(skb, KNMT_A_SOCKS_DESTROYED, sv->destroyed,
			 KNMT_A_SOCKS_PAD) ||
	    knmt_put_u64(skb, KNMT_A_SOCKS_UNTRACKED, sv->untracked,
			 KNMT_A_SOCKS_PAD) ||
	    nla_put_u32(skb, KNMT_A_SOCKS_OPEN_RATE, sv->open_rate) ||
	    nla_put_u32(skb, KNMT_A_SOCKS_CLOSE_RATE, sv->close_rate))
		goto cancel;
	if (knmt_put_u64_counts(skb, KNMT_A_SOCKS_LIFETIME, sv->lifetime,
				KNMT_LIFETIME_BUCKETS))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int knmt_put_view(struct sk_buff *skb, const struct knmt_view *v)
{
	const struct knmt_sample *s = &v->s;
	u64 resident = 0, rss;
	unsigned int i;

	for (i = 0; i < KNMT_CAT_NR; i++)
		resident += s->cat[i].resident;
	rss = s->rss[0] + s->rss[1] + s->rss[2];

	if (nla_put_u32(skb, KNMT_A_PROC_PID, v->pid) ||
	    nla_put_string(skb, KNMT_A_PROC_COMM, v->comm) ||
	    nla_put_u32(skb, KNMT_A_PROC_FLAGS, v->flags) ||
	    knmt_put_u64(skb, KNMT_A_PROC_START_NS, v->start_ns,
			 KNMT_A_PROC_PAD))
		return -EMSGSIZE;
	if (s->when_ns) {
		for (i = 0; i < KNMT_CAT_NR; i++) {
			if (knmt_put_cat(skb, v, i))
				return -EMSGSIZE;
		}
		if (knmt_put_u64(skb, KNMT_A_PROC_RSS_ANON, s->rss[0],
				 KNMT_A_PROC_PAD) ||
		    knmt_put_u64(skb, KNMT_A_PROC_RSS_FILE, s->rss[1],
				 KNMT_A_PROC_PAD) ||
		    knmt_put_u64(skb, KNMT_A_PROC_RSS_SHMEM, s->rss[2],
				 KNMT_A_PROC_PAD) ||
		    knmt_put_u64(skb, KNMT_A_PROC_RSS_SWAP, s->rss[3],
				 KNMT_A_PROC_PAD) ||
		    nla_put_u32(skb, KNMT_A_PROC_THREADS, s->threads) ||
		    knmt_put_u64(skb, KNMT_A_PROC_PAGETABLES, s->pagetables,
				 KNMT_A_PROC_PAD) ||
		    knmt_put_u64(skb, KNMT_A_PROC_KSTACKS, s->kstacks,
				 KNMT_A_PROC_PAD) ||
		    nla_put_s64(skb, KNMT_A_PROC_UNACCOUNTED,
				(s64)(rss - resident), KNMT_A_PROC_PAD) ||
		    knmt_put_u64(skb, KNMT_A_PROC_SAMPLED_NS, s->when_ns,
				 KNMT_A_PROC_PAD))
			return -EMSGSIZE;
	}
	if (s->peak_rss &&
	    knmt_put_u64(skb, KNMT_A_PROC_PEAK_RSS, s->peak_rss,
			 KNMT_A_PROC_PAD))
		return -EMSGSIZE;
	if (v->tracked && knmt_put_offheap(skb, &v->offheap))
		return -EMSGSIZE;
	if (v->has_socks && knmt_put_socks(skb, &v->socks))
		return -EMSGSIZE;
	if ((v->flags & KNMT_PROC_F_EXITED) &&
	    (knmt_put_u64(skb, KNMT_A_PROC_EXIT_NS, v->exit_ns,
			  KNMT_A_PROC_PAD) ||
	     nla_put_u32(skb, KNMT_A_PROC_EXIT_CODE, v->exit_code)))
		return -EMSGSIZE;
	return 0;
}

/* Copy the counters of a tracked process into @v. */
static void knmt_view_counters(struct knmt_view *v, struct knmt_proc *p)
{
	v->tracked = true;
	v->flags |= p->flags & KNMT_PROC_F_APPROX;
	knmt_proc_faults(p, v->faults);
	raw_spin_lock(&p->lock);
	memcpy(v->peak_mapped, p->peak_mapped, sizeof(v->peak_mapped));
	v->offheap = p->offheap;
	raw_spin_unlock(&p->lock);
	/* Without its socket figures (no memory) the view says nothing. */
	v->has_socks = !knmt_socks_view(p, &v->socks);
}

/*
 * Take a live view of @t (a thread group leader).  @p, its entry, may be
 * NULL: the process is not tracked (the table was full), and its view has
 * no origins, counters or off-heap statistics.
 */
static int knmt_view_live(struct knmt_view *v, struct task_struct *t,
			  struct knmt_proc *p, pid_t vpid)
{
	struct mm_struct *mm;
	int err = 0;

	memset(v, 0, sizeof(*v));
	v->pid = vpid;
	v->start_ns = t->start_boottime;
	get_task_comm(v->comm, t);
	mm = get_task_mm(t);
	if (mm) {
		err = knmt_sample_take(t, mm, p, &v->s);
		mmput(mm);
	} else {
		v->flags |= KNMT_PROC_F_NO_MM;
	}
	if (p)
		knmt_view_counters(v, p);
	return err;
}

static struct task_struct *knmt_task_get_tgid_init(pid_t tgid)
{
	struct task_struct *t;

	rcu_read_lock();
	t = pid_task(find_pid_ns(tgid, &init_pid_ns), PIDTYPE_TGID);
	if (t)
		get_task_struct(t);
	rcu_read_unlock();
	return t;
}

/* The thread group of a pid of the requester's namespace, referenced. */
static struct task_struct *knmt_task_from_attr(struct nlattr **attrs,
					       struct netlink_ext_ack *extack)
{
	struct nlattr *a = attrs[KNMT_A_PROC_PID];
	struct task_struct *t;

	if (!a) {
		NL_SET_ERR_MSG(extack, "a pid (KNMT_A_PROC_PID) is required");
		return ERR_PTR(-EINVAL);
	}
	rcu_read_lock();
	t = pid_task(find_vpid(nla_get_u32(a)), PIDTYPE_PID);
	if (t) {
		t = t->group_leader;
		get_task_struct(t);
	}
	rcu_read_unlock();
	if (!t) {
		NL_SET_ERR_MSG_ATTR(extack, a, "no such process");
		return ERR_PTR(-ESRCH);
	}
	if (t->flags & PF_KTHREAD) {
		put_task_struct(t);
		NL_SET_ERR_MSG_ATTR(extack, a, "a kernel thread has no memory to show");
		return ERR_PTR(-EINVAL);
	}
	return t;
}

int knmt_cmd_get_proc(struct sk_buff *skb, struct genl_info *info)
{
	struct task_struct *t;
	struct knmt_proc *p;
	struct knmt_view *v;
	struct sk_buff *msg;
	void *hdr;
	int err;

	t = knmt_task_from_attr(info->attrs, info->extack);
	if (IS_ERR(t))
		return PTR_ERR(t);
	v = kmalloc(sizeof(*v), GFP_KERNEL);
	if (!v) {
		err = -ENOMEM;
		goto out_task;
	}
	p = knmt_proc_get_tgid(task_tgid_nr(t));
	err = knmt_view_live(v, t, p, task_tgid_vnr(t));
	if (p)
		knmt_proc_put(p);
	if (err)
		goto out_view;

	err = -ENOMEM;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		goto out_view;
	hdr = genlmsg_put_reply(msg, info, &knmt_genl_family, 0,
				KNMT_CMD_GET_PROC);
	if (!hdr || knmt_put_view(msg, v)) {
		nlmsg_free(msg);
		err = -EMSGSIZE;
		goto out_view;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out_view:
	kfree(v);
out_task:
	put_task_struct(t);
	return err;
}

/* Dump state, kept in cb->ctx between passes. */
struct knmt_dump_ctx {
	pid_t tgid;		/* init namespace */
	u32 pos;		/* DUMP_PROCS: next table slot */
	u64 start_ns;		/* the process the dump started on */
	u64 next;		/* DUMP_REGIONS: next address; EXITS: seq;
				 * SOCKETS: last socket id sent
				 */
	bool done;
	bool started;		/* DUMP_SOCKETS: request read */
	char *path;		/* DUMP_REGIONS: d_path buffer */
};

static struct knmt_dump_ctx *knmt_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct knmt_dump_ctx) > sizeof(cb->ctx));
	return (struct knmt_dump_ctx *)cb->ctx;
}

static void *knmt_dump_put(struct sk_buff *skb, struct netlink_callback *cb,
			   u8 cmd)
{
	return genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
			   cb->nlh->nlmsg_seq, &knmt_genl_family, NLM_F_MULTI,
			   cmd);
}

int knmt_dump_procs(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct knmt_dump_ctx *ctx = knmt_ctx(cb);
	struct pid_namespace *ns = task_active_pid_ns(current);
	struct knmt_view *v;
	struct knmt_proc *p;
	int err = 0;

	v = kmalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	for (;;) {
		u32 pos = ctx->pos;
		struct task_struct *t;
		pid_t vpid;
		void *hdr;

		p = knmt_proc_get_next(&ctx->pos);
		if (!p)
			break;
		t = knmt_task_get_tgid_init(p->tgid);
		vpid = t ? task_tgid_nr_ns(t, ns) : 0;

		if (vpid && !knmt_view_live(v, t, p, vpid)) {
			hdr = knmt_dump_put(skb, cb, KNMT_CMD_DUMP_PROCS);
			if (!hdr || knmt_put_view(skb, v)) {
				if (hdr)
					genlmsg_cancel(skb, hdr);
				ctx->pos = pos;	/* again, in the next skb */
				err = -EMSGSIZE;
			} else {
				genlmsg_end(skb, hdr);
			}
		}
		if (t)
			put_task_struct(t);
		knmt_proc_put(p);
		if (err)
			break;
	}
	kfree(v);
	if (err == -EMSGSIZE && !skb->len)
		return err;
	return skb->len;
}

/*
 * The first pass of a dump about one process: which one, from its pid.
 * Done here rather than in .start, whose extack 6.1 does not report.
 * Returns 0 when the dump has its process, 1 when it is over.
 */
static int knmt_dump_pid_first(struct netlink_callback *cb)
{
	struct knmt_dump_ctx *ctx = knmt_ctx(cb);
	struct task_struct *t;

	if (ctx->done)
		return 1;
	if (ctx->tgid)
		return 0;
	t = knmt_task_from_attr(knmt_dump_attrs(cb), cb->extack);
	if (IS_ERR(t))
		return PTR_ERR(t);
	ctx->tgid = task_tgid_nr(t);
	ctx->start_ns = t->start_boottime;
	put_task_struct(t);
	return 0;
}

int knmt_dump_regions_done(struct netlink_callback *cb)
{
	kfree(knmt_ctx(cb)->path);
	return 0;
}

struct knmt_region_arg {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	struct pid_namespace *ns;
	char *path;
	u64 now;
};

static int knmt_put_region(const struct knmt_piece *pc, void *data)
{
	struct knmt_region_arg *a = data;
	struct sk_buff *skb = a->skb;
	struct vm_area_struct *vma = pc->vma;
	void *hdr;
	pid_t tid = 0;

	hdr = knmt_dump_put(skb, a->cb, KNMT_CMD_DUMP_REGIONS);
	if (!hdr)
		return -EMSGSIZE;
	if (pc->tid) {
		rcu_read_lock();
		tid = pid_nr_ns(find_pid_ns(pc->tid, &init_pid_ns), a->ns);
		rcu_read_unlock();
	}
	if (knmt_put_u64(skb, KNMT_A_REGION_START, pc->start,
			 KNMT_A_REGION_PAD) ||
	    knmt_put_u64(skb, KNMT_A_REGION_END, pc->end, KNMT_A_REGION_PAD) ||
	    nla_put_u8(skb, KNMT_A_REGION_CATEGORY, pc->cat) ||
	    nla_put_u8(skb, KNMT_A_REGION_ORIGIN, pc->origin) ||
	    nla_put_u32(skb, KNMT_A_REGION_PROT, knmt_vm_prot(pc->vm_flags)) ||
	    knmt_put_u64(skb, KNMT_A_REGION_RESIDENT, pc->resident,
			 KNMT_A_REGION_PAD))
		goto cancel;
	if (pc->birth_ns &&
	    (knmt_put_u64(skb, KNMT_A_REGION_AGE_NS, knmt_age(a->now, pc->birth_ns),
			  KNMT_A_REGION_PAD) ||
	     knmt_put_u64(skb, KNMT_A_REGION_FAULTS, pc->faults,
			  KNMT_A_REGION_PAD)))
		goto cancel;
	if (tid && nla_put_u32(skb, KNMT_A_REGION_TID, tid))
		goto cancel;
	if (vma->vm_file) {
		char *name = d_path(&vma->vm_file->f_path, a->path, PATH_MAX);

		if (!IS_ERR(name)) {
			size_t len = strlen(name);

			/* Keep the end, which names the file. */
			if (len >= KNMT_REGION_FILE_MAX) {
				name += len - (KNMT_REGION_FILE_MAX - 1);
				memcpy(name, "...", 3);
			}
			if (nla_put_string(skb, KNMT_A_REGION_FILE, name))
				goto cancel;
		}
		if (knmt_put_u64(skb, KNMT_A_REGION_PGOFF,
				 ((u64)vma->vm_pgoff << PAGE_SHIFT) +
				 (pc->start - vma->vm_start),
				 KNMT_A_REGION_PAD))
			goto cancel;
	}
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

int knmt_dump_regions(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct knmt_dump_ctx *ctx = knmt_ctx(cb);
	struct knmt_region_arg a = {
		.skb = skb,
		.cb = cb,
		.ns = task_active_pid_ns(current),
		.now = ktime_get_boottime_ns(),
	};
	unsigned long next;
	struct task_struct *t;
	struct knmt_proc *p;
	struct mm_struct *mm;
	int err;

	err = knmt_dump_pid_first(cb);
	if (err)
		return err < 0 ? err : 0;
	if (!ctx->path) {
		ctx->path = kmalloc(PATH_MAX, GFP_KERNEL);
		if (!ctx->path)
			return -ENOMEM;
	}
	a.path = ctx->path;
	next = ctx->next;
	t = knmt_task_get_tgid_init(ctx->tgid);
	if (!t || t->start_boottime != ctx->start_ns) {
		/* The process exited during the dump: it ends here. */
		if (t)
			put_task_struct(t);
		return 0;
	}
	mm = get_task_mm(t);
	put_task_struct(t);
	if (!mm)
		return 0;
	p = knmt_proc_get_tgid(ctx->tgid);
	err = knmt_walk(mm, p, ctx->next, knmt_put_region, &a, &next);
	if (p)
		knmt_proc_put(p);
	mmput(mm);

	if (!err) {
		ctx->done = true;
		return skb->len;
	}
	if (err == -EMSGSIZE && skb->len) {
		ctx->next = next;
		return skb->len;
	}
	if (err == -EMSGSIZE)	/* cannot happen: a region is bounded */
		NL_SET_ERR_MSG(cb->extack, "a region does not fit in a message");
	return err;
}

static int knmt_put_site(struct sk_buff *skb, struct netlink_callback *cb,
			 unsigned long ip, u64 faults, u8 cat, bool other)
{
	void *hdr = knmt_dump_put(skb, cb, KNMT_CMD_DUMP_FAULT_SITES);

	if (!hdr)
		return -EMSGSIZE;
	if ((!other &&
	     (knmt_put_u64(skb, KNMT_A_SITE_IP, ip, KNMT_A_SITE_PAD) ||
	      knmt_put_u64(skb, KNMT_A_SITE_BYTES, faults << PAGE_SHIFT,
			   KNMT_A_SITE_PAD) ||
	      nla_put_u8(skb, KNMT_A_SITE_CATEGORY, cat))) ||
	    (other && nla_put_flag(skb, KNMT_A_SITE_OTHER)) ||
	    knmt_put_u64(skb, KNMT_A_SITE_FAULTS, faults, KNMT_A_SITE_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

struct knmt_site_copy {
	unsigned long ip[KNMT_SITES];
	u64 faults[KNMT_SITES];
	u8 cat[KNMT_SITES];
	u64 other;
};

/* A thread's faults not yet settled: at their site, or in "other". */
static void knmt_site_pending(void *arg, unsigned long ip, unsigned int cat,
			      u64 faults)
{
	struct knmt_site_copy *c = arg;
	unsigned int i;

	for (i = 0; ip && i < KNMT_SITES; i++) {
		if (c->ip[i] == ip) {
			c->faults[i] += faults;
			c->cat[i] = cat;	/* the latest, as the table keeps */
			return;
		}
	}
	c->other += faults;
}

/* At most KNMT_SITES + 1 small messages: one pass always holds them. */
int knmt_dump_sites(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct knmt_dump_ctx *ctx = knmt_ctx(cb);
	struct knmt_site_copy *c;
	struct knmt_proc *p;
	unsigned int i;
	int err;

	err = knmt_dump_pid_first(cb);
	if (err)
		return err < 0 ? err : 0;
	ctx->done = true;
	p = knmt_proc_get_tgid(ctx->tgid);
	if (!p) {
		NL_SET_ERR_MSG(cb->extack, "the process is not tracked");
		return -ENOENT;
	}
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c) {
		knmt_proc_put(p);
		return -ENOMEM;
	}
	for (i = 0; i < KNMT_SITES; i++) {
		const struct knmt_site *s = &p->sites[i];

		c->ip[i] = atomic_long_read(&s->ip);
		c->faults[i] = atomic_long_read(&s->faults);
		c->cat[i] = READ_ONCE(s->cat);
	}
	c->other = atomic_long_read(&p->sites_other);
	knmt_proc_faults_pending(p, knmt_site_pending, c);
	knmt_proc_put(p);
	for (i = 0; i < KNMT_SITES && !err; i++) {
		if (c->ip[i])
			err = knmt_put_site(skb, cb, c->ip[i], c->faults[i],
					    c->cat[i], false);
	}
	if (!err)
		err = knmt_put_site(skb, cb, 0, c->other, 0, true);
	kfree(c);
	return err ?: skb->len;
}

static void knmt_view_exit(struct knmt_view *v, const struct knmt_exit *e)
{
	memset(v, 0, sizeof(*v));
	v->pid = e->tgid;
	v->flags = e->flags;
	v->start_ns = e->start_ns;
	memcpy(v->comm, e->comm, sizeof(v->comm));
	v->s = e->sample;
	memcpy(v->peak_mapped, e->peak_mapped, sizeof(v->peak_mapped));
	memcpy(v->faults, e->faults, sizeof(v->faults));
	v->offheap = e->offheap;
	v->tracked = true;
	v->exit_ns = e->exit_ns;
	v->exit_code = e->exit_code;
}

/* An exit record as a nest of process attributes (exit events). */
int knmt_put_exit_nest(struct sk_buff *skb, int type,
		       const struct knmt_exit *e)
{
	struct knmt_view *v = kmalloc(sizeof(*v), GFP_KERNEL);
	struct nlattr *nest;
	int err = -EMSGSIZE;

	if (!v)
		return -ENOMEM;
	knmt_view_exit(v, e);
	nest = nla_nest_start(skb, type);
	if (nest && !knmt_put_view(skb, v)) {
		nla_nest_end(skb, nest);
		err = 0;
	} else if (nest) {
		nla_nest_cancel(skb, nest);
	}
	kfree(v);
	return err;
}

int knmt_dump_exits(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct knmt_dump_ctx *ctx = knmt_ctx(cb);
	struct knmt_exit *e;
	struct knmt_view *v;
	int err = 0;

	if (task_active_pid_ns(current) != &init_pid_ns)
		return 0;
	e = kmalloc(sizeof(*e), GFP_KERNEL);
	v = kmalloc(sizeof(*v), GFP_KERNEL);
	if (!e || !v) {
		err = -ENOMEM;
		goto out;
	}
	while (knmt_exit_get(ctx->next, e)) {
		void *hdr;

		knmt_view_exit(v, e);

		hdr = knmt_dump_put(skb, cb, KNMT_CMD_DUMP_EXITS);
		if (!hdr || knmt_put_view(skb, v)) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			err = -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
		ctx->next = e->seq + 1;
	}
out:
	kfree(v);
	kfree(e);
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

struct knmt_sock_arg {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	struct knmt_proc *p;
	pid_t vpid;
	u64 now;
};

static int knmt_put_sock(const struct knmt_sock_info *si, void *data)
{
	struct knmt_sock_arg *a = data;
	struct sk_buff *skb = a->skb;
	void *hdr;

	hdr = knmt_dump_put(skb, a->cb, KNMT_CMD_DUMP_SOCKETS);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, KNMT_A_SOCK_PID, a->vpid) ||
	    nla_put_string(skb, KNMT_A_SOCK_COMM, a->p->comm) ||
	    knmt_put_u64(skb, KNMT_A_SOCK_INODE, si->ino, KNMT_A_SOCK_PAD) ||
	    nla_put_u16(skb, KNMT_A_SOCK_FAMILY, si->family) ||
	    nla_put_u16(skb, KNMT_A_SOCK_TYPE, si->type) ||
	    nla_put_u16(skb, KNMT_A_SOCK_PROTOCOL, si->protocol) ||
	    nla_put_u8(skb, KNMT_A_SOCK_STATE, si->state) ||
	    nla_put_u32(skb, KNMT_A_SOCK_FLAGS, si->flags) ||
	    knmt_put_u64(skb, KNMT_A_SOCK_AGE_NS, knmt_age(a->now, si->birth_ns),
			 KNMT_A_SOCK_PAD) ||
	    (si->state_ns &&
	     knmt_put_u64(skb, KNMT_A_SOCK_STATE_AGE_NS, knmt_age(a->now, si->state_ns),
			  KNMT_A_SOCK_PAD)) ||
	    nla_put_u32(skb, KNMT_A_SOCK_RECV_Q, si->recv_q) ||
	    nla_put_u32(skb, KNMT_A_SOCK_SEND_Q, si->send_q) ||
	    nla_put_u32(skb, KNMT_A_SOCK_RMEM_ALLOC, si->rmem_alloc) ||
	    nla_put_u32(skb, KNMT_A_SOCK_RCVBUF, si->rcvbuf) ||
	    nla_put_u32(skb, KNMT_A_SOCK_WMEM_ALLOC, si->wmem_alloc) ||
	    nla_put_u32(skb, KNMT_A_SOCK_SNDBUF, si->sndbuf) ||
	    nla_put_u32(skb, KNMT_A_SOCK_FWD_ALLOC, si->fwd_alloc) ||
	    nla_put_u32(skb, KNMT_A_SOCK_WMEM_QUEUED, si->wmem_queued) ||
	    nla_put_u32(skb, KNMT_A_SOCK_RX_BYTES, si->rx) ||
	    nla_put_u32(skb, KNMT_A_SOCK_TX_BYTES, si->tx) ||
	    nla_put_u32(skb, KNMT_A_SOCK_MEM, si->mem))
		goto cancel;
	if (si->addr_len &&
	    (nla_put(skb, KNMT_A_SOCK_LOCAL_ADDR, si->addr_len, si->laddr) ||
	     nla_put_u16(skb, KNMT_A_SOCK_LOCAL_PORT, si->lport) ||
	     nla_put(skb, KNMT_A_SOCK_REMOTE_ADDR, si->addr_len, si->raddr) ||
	     nla_put_u16(skb, KNMT_A_SOCK_REMOTE_PORT, si->rport)))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* The sockets of @p after ctx->next; -EMSGSIZE when the skb is full. */
static int knmt_dump_proc_sockets(struct sk_buff *skb,
				  struct netlink_callback *cb,
				  struct knmt_proc *p, pid_t vpid)
{
	struct knmt_sock_arg a = {
		.skb = skb,
		.cb = cb,
		.p = p,
		.vpid = vpid,
		.now = ktime_get_boottime_ns(),
	};

	return knmt_socks_each(p, &knmt_ctx(cb)->next, knmt_put_sock, &a);
}

/*
 * DUMP_SOCKETS: with a pid, that process's sockets; without, those of
 * every tracked process the requester's pid namespace can see.  Resumes
 * at a process (ctx->pos) and a socket id (ctx->next).
 */
int knmt_dump_sockets(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct knmt_dump_ctx *ctx = knmt_ctx(cb);
	struct pid_namespace *ns = task_active_pid_ns(current);
	struct knmt_proc *p;
	int err = 0;

	if (ctx->done)
		return 0;
	if (!ctx->started) {
		struct nlattr **attrs = knmt_dump_attrs(cb);

		ctx->started = true;
		if (attrs[KNMT_A_PROC_PID]) {
			struct task_struct *t;

			t = knmt_task_from_attr(attrs, cb->extack);
			if (IS_ERR(t))
				return PTR_ERR(t);
			ctx->tgid = task_tgid_nr(t);
			ctx->start_ns = t->start_boottime;
			put_task_struct(t);
		}
	}

	if (ctx->tgid) {
		struct task_struct *t = knmt_task_get_tgid_init(ctx->tgid);
		pid_t vpid = 0;

		if (t && t->start_boottime == ctx->start_ns)
			vpid = task_tgid_nr_ns(t, ns);
		if (t)
			put_task_struct(t);
		p = vpid ? knmt_proc_get_tgid(ctx->tgid) : NULL;
		if (!p) {
			ctx->done = true;
			if (vpid && !skb->len) {
				NL_SET_ERR_MSG(cb->extack,
					       "the process is not tracked");
				return -ENOENT;
			}
			return skb->len;
		}
		err = knmt_dump_proc_sockets(skb, cb, p, vpid);
		knmt_proc_put(p);
		if (!err)
			ctx->done = true;
		goto out;
	}

	for (;;) {
		u32 pos = ctx->pos;
		struct task_struct *t;
		pid_t vpid;

		p = knmt_proc_get_next(&ctx->pos);
		if (!p)
			break;
		t = knmt_task_get_tgid_init(p->tgid);
		vpid = t ? task_tgid_nr_ns(t, ns) : 0;
		if (t)
			put_task_struct(t);
		if (vpid)
			err = knmt_dump_proc_sockets(skb, cb, p, vpid);
		knmt_proc_put(p);
		if (err) {
			ctx->pos = pos;	/* this process again, after next */
			break;
		}
		ctx->next = 0;
	}
	if (!err)
		ctx->done = true;
out:
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}
