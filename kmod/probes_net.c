// SPDX-License-Identifier: GPL-2.0
/*
 * knmt - socket hooks: creation, accept, last close, destruction, TCP
 * state changes.  What they do with a socket is in knmt_sock.c.
 */
#include <linux/file.h>
#include <linux/kprobes.h>
#include <linux/net.h>
#include <net/sock.h>
#include <trace/events/sock.h>
#include <trace/events/tcp.h>

#include "knmt.h"
#include "knmt_proc.h"
#include "wrapper/syscall.h"
#include "wrapper/trace.h"

/*
 * sock_alloc_file: socket(), socketpair(); accept's file has no sock yet.
 * The fallback of fd_install for them, with do_accept for accept().
 */
static int knmt_krp_sock_alloc(struct kretprobe_instance *ri,
			       struct pt_regs *regs)
{
	struct file *file = (struct file *)regs_return_value(regs);

	if (!knmt_enter(KNMT_HOOK_SOCK_ALLOC))
		return 0;
	if (!IS_ERR_OR_NULL(file))
		knmt_sock_opened(file, false);
	knmt_leave();
	return 0;
}

/*
 * fd_install(fd, file): a descriptor is published.  A socket file with no
 * record yet comes from socket(), socketpair() or accept() (the "accept"
 * hook, whose probe "sock_alloc" shares), or was received (SCM_RIGHTS)
 * from a process knmt does not track.  One entry probe sees them all: no
 * return probe on sock_alloc_file, run twice per TCP connection, and,
 * unlike a return probe on do_accept, nothing held while a thread sleeps
 * in accept(): a thousand blocked acceptors cost nothing.
 */
static void knmt_fd_install(struct file *file)
{
	bool accepted;

	if (!S_ISSOCK(file_inode(file)->i_mode))
		return;
	accepted = knmt_in_accept();
	if (!knmt_enter(accepted ? KNMT_HOOK_ACCEPT : KNMT_HOOK_SOCK_ALLOC))
		return;
	knmt_sock_installed(file, accepted);
	knmt_leave();
}

static void knmt_ft_fd_install(unsigned long ip, unsigned long parent_ip,
			       struct ftrace_ops *ops, struct ftrace_regs *fregs)
{
	knmt_ft_begin();
	knmt_fd_install((struct file *)knmt_ftrace_arg(fregs, 1));
	knmt_ft_end();
}

static int knmt_kp_fd_install(struct kprobe *kp, struct pt_regs *regs)
{
	knmt_fd_install((struct file *)regs_get_kernel_argument(regs, 1));
	return 0;
}

/* do_accept: the new socket's file, before its descriptor is installed. */
static int knmt_krp_do_accept(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	struct file *file = (struct file *)regs_return_value(regs);

	if (!knmt_enter(KNMT_HOOK_ACCEPT))
		return 0;
	if (!IS_ERR_OR_NULL(file))
		knmt_sock_opened(file, true);
	knmt_leave();
	return 0;
}

/* __sys_accept4_file returns a descriptor: the sweep looks it up. */
static int knmt_krp_accept_fd(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	if (!knmt_enter(KNMT_HOOK_ACCEPT))
		return 0;
	if ((long)regs_return_value(regs) >= 0)
		knmt_sock_accept_missed();
	knmt_leave();
	return 0;
}

/* sock_close(inode, file) and __sock_release(sock, inode): the last close. */
static void knmt_sock_close(struct inode *inode)
{
	struct sock *sk = SOCKET_I(inode)->sk;

	if (!knmt_enter(KNMT_HOOK_SOCK_CLOSE))
		return;
	if (sk)
		knmt_sock_closing(sk);
	knmt_leave();
}

static void knmt_ft_sock_close(unsigned long ip, unsigned long parent_ip,
			       struct ftrace_ops *ops, struct ftrace_regs *fregs)
{
	knmt_ft_begin();
	knmt_sock_close((struct inode *)knmt_ftrace_arg(fregs, 0));
	knmt_ft_end();
}

static int knmt_kp_sock_close(struct kprobe *kp, struct pt_regs *regs)
{
	knmt_sock_close((struct inode *)regs_get_kernel_argument(regs, 0));
	return 0;
}

static int knmt_kp_sock_release(struct kprobe *kp, struct pt_regs *regs)
{
	struct socket *sock = (struct socket *)regs_get_kernel_argument(regs, 0);
	struct sock *sk = sock->sk;

	/* Called with a NULL inode for kernel sockets, never tracked. */
	if (!regs_get_kernel_argument(regs, 1) ||
	    !knmt_enter(KNMT_HOOK_SOCK_CLOSE))
		return 0;
	if (sk)
		knmt_sock_closing(sk);
	knmt_leave();
	return 0;
}

/*
 * The end of a closed TCP socket (other sockets end at their last close),
 * often in softirq.  Not behind the re-entry guard: it may interrupt
 * another knmt handler on this CPU (a softirq run at the end of an
 * interrupt), and a destruction skipped would leave a record behind.
 * What it touches is safe there: a hash bucket whose lock every holder
 * takes with interrupts off, and atomic counters.
 *
 * The tcp_destroy_sock tracepoint (tcp_v4_destroy_sock, for v6 too, runs
 * before the memory goes) is preferred to a kprobe on sk_destruct: the
 * kprobes core skips a kprobe that fires while a probe handler runs on
 * the CPU, which a softirq on top of any of knmt's own handlers does.
 */
static void knmt_tp_tcp_destroy(void *data, struct sock *sk)
{
	knmt_hit(KNMT_HOOK_SK_DESTRUCT);
	knmt_sock_destroyed(sk);
}

static int knmt_kp_sk_destruct(struct kprobe *kp, struct pt_regs *regs)
{
	knmt_hit(KNMT_HOOK_SK_DESTRUCT);
	knmt_sock_destroyed((struct sock *)regs_get_kernel_argument(regs, 0));
	return 0;
}

/* TCP (also DCCP, SCTP, MPTCP) state changes; softirq as often as not. */
static void knmt_tp_sock_state(void *data, const struct sock *sk,
			       const int oldstate, const int newstate)
{
	knmt_hit(KNMT_HOOK_SOCK_STATE);
	knmt_sock_state(sk, oldstate, newstate);
}

static const struct knmt_hook_target knmt_accept_targets[] = {
	KNMT_FT("fd_install", knmt_ft_fd_install),
	KNMT_KP("fd_install", knmt_kp_fd_install),
	KNMT_KRP("do_accept", knmt_krp_do_accept),
	KNMT_KRP("__sys_accept4_file", knmt_krp_accept_fd),
	{ }
};

static const struct knmt_hook_target knmt_sock_alloc_targets[] = {
	KNMT_SHARED("fd_install", KNMT_HOOK_ACCEPT),
	KNMT_KRP("sock_alloc_file", knmt_krp_sock_alloc),
	{ }
};

static const struct knmt_hook_target knmt_sk_destruct_targets[] = {
	KNMT_TP("tcp_destroy_sock", knmt_tp_tcp_destroy),
	KNMT_KP("sk_destruct", knmt_kp_sk_destruct),
	KNMT_KP("__sk_destruct", knmt_kp_sk_destruct),
	{ }
};

static const struct knmt_hook_target knmt_sock_state_targets[] = {
	KNMT_TP("inet_sock_set_state", knmt_tp_sock_state),
	{ }
};

static const struct knmt_hook_target knmt_sock_close_targets[] = {
	KNMT_FT("sock_close", knmt_ft_sock_close),
	KNMT_KP("sock_close", knmt_kp_sock_close),
	KNMT_KP("__sock_release", knmt_kp_sock_release),
	{ }
};

void knmt_probes_net_setup(void)
{
	check_trace_callback_type_inet_sock_set_state(knmt_tp_sock_state);
	check_trace_callback_type_tcp_destroy_sock(knmt_tp_tcp_destroy);

	knmt_hook_describe(KNMT_HOOK_ACCEPT, "accept", knmt_accept_targets);
	knmt_hook_describe(KNMT_HOOK_SOCK_ALLOC, "sock_alloc",
			   knmt_sock_alloc_targets);
	knmt_hook_describe(KNMT_HOOK_SK_DESTRUCT, "sock_destroy",
			   knmt_sk_destruct_targets);
	knmt_hook_describe(KNMT_HOOK_SOCK_STATE, "sock_state",
			   knmt_sock_state_targets);
	knmt_hook_describe(KNMT_HOOK_SOCK_CLOSE, "sock_close",
			   knmt_sock_close_targets);
}
