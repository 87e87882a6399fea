// SPDX-License-Identifier: GPL-2.0
/*
 * knmt - socket hooks: creation, accept, destruction, TCP state changes.
 */
#include <linux/kprobes.h>
#include <net/sock.h>
#include <trace/events/sock.h>

#include "knmt.h"

static void knmt_tp_sock_state(void *data, const struct sock *sk,
			       const int oldstate, const int newstate)
{
	if (!knmt_enter(KNMT_HOOK_SOCK_STATE))
		return;
	knmt_leave();
}

static const struct knmt_hook_target knmt_sock_alloc_targets[] = {
	KNMT_KRP("sock_alloc_file", knmt_krp_count),
	{ }
};

static const struct knmt_hook_target knmt_accept_targets[] = {
	KNMT_KRP("do_accept", knmt_krp_count),
	KNMT_KRP("__sys_accept4_file", knmt_krp_count),
	{ }
};

static const struct knmt_hook_target knmt_sk_destruct_targets[] = {
	KNMT_KP("sk_destruct", knmt_kp_count),
	KNMT_KP("__sk_destruct", knmt_kp_count),
	{ }
};

static const struct knmt_hook_target knmt_sock_state_targets[] = {
	KNMT_TP("inet_sock_set_state", knmt_tp_sock_state),
	{ }
};

void knmt_probes_net_setup(void)
{
	check_trace_callback_type_inet_sock_set_state(knmt_tp_sock_state);

	knmt_hook_describe(KNMT_HOOK_SOCK_ALLOC, "sock_alloc",
			   knmt_sock_alloc_targets);
	knmt_hook_describe(KNMT_HOOK_ACCEPT, "accept", knmt_accept_targets);
	knmt_hook_describe(KNMT_HOOK_SK_DESTRUCT, "sk_destruct",
			   knmt_sk_destruct_targets);
	knmt_hook_describe(KNMT_HOOK_SOCK_STATE, "sock_state",
			   knmt_sock_state_targets);
}
