// SPDX-License-Identifier: GPL-2.0
/*
 * knmt - the tracking filter (SET_CONFIG): which processes get an entry.
 *
 * Unset, every user process is tracked.  Set, a process is tracked when
 * it matches any criterion given: it or one of its ancestors has the pid,
 * its command name is the name, or it lives in the cgroup (v2) or below.
 * The filter is published with RCU; setting it re-examines the processes
 * already known, in process context.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "knmt.h"
#include "knmt_proc.h"

static struct knmt_filter __rcu *knmt_filter;
static DEFINE_MUTEX(knmt_filter_mutex);

static bool knmt_in_cgroup(struct task_struct *t, u64 id)
{
#ifdef CONFIG_CGROUPS
	struct cgroup *c;

	for (c = task_dfl_cgroup(t); c; c = cgroup_parent(c)) {
		if (cgroup_id(c) == id)
			return true;
	}
#endif
	return false;
}

static bool knmt_has_ancestor(struct task_struct *t, pid_t tgid)
{
	for (;;) {
		if (t->tgid == tgid)
			return true;
		/* init and the idle task end the chain (filter_pid=1 works) */
		if (t->pid <= 1)
			return false;
		t = rcu_dereference(t->real_parent);
	}
}

/* Any context.  Is @t to be tracked under the current filter? */
bool knmt_filter_match(struct task_struct *t)
{
	const struct knmt_filter *f;
	bool match;

	rcu_read_lock();
	f = rcu_dereference(knmt_filter);
	match = !f ||
		(f->pid && knmt_has_ancestor(t, f->pid)) ||
		(f->comm[0] && !strncmp(t->comm, f->comm, TASK_COMM_LEN)) ||
		(f->cgroup && knmt_in_cgroup(t, f->cgroup));
	rcu_read_unlock();
	return match;
}

/* A copy of the filter in force; all zero when there is none. */
void knmt_filter_get(struct knmt_filter *out)
{
	const struct knmt_filter *f;

	rcu_read_lock();
	f = rcu_dereference(knmt_filter);
	if (f)
		*out = *f;
	else
		memset(out, 0, sizeof(*out));
	rcu_read_unlock();
}

/* Process context: install @nf (copied) and re-examine every process. */
int knmt_filter_set(const struct knmt_filter *nf)
{
	struct knmt_filter *f = NULL, *old;

	if (nf->pid || nf->comm[0] || nf->cgroup) {
		f = kmemdup(nf, sizeof(*nf), GFP_KERNEL);
		if (!f)
			return -ENOMEM;
	}
	mutex_lock(&knmt_filter_mutex);
	old = rcu_replace_pointer(knmt_filter, f,
				  lockdep_is_held(&knmt_filter_mutex));
	synchronize_rcu();
	kfree(old);
	knmt_procs_refilter();
	mutex_unlock(&knmt_filter_mutex);
	return 0;
}

void knmt_filter_exit(void)
{
	struct knmt_filter *f = rcu_replace_pointer(knmt_filter, NULL, true);

	synchronize_rcu();
	kfree(f);
}
