/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KNMT_GENL_H
#define _KNMT_GENL_H

#include <net/genetlink.h>

extern struct genl_family knmt_genl_family;

/* knmt_genl_proc.c */
int knmt_cmd_get_proc(struct sk_buff *skb, struct genl_info *info);
int knmt_dump_procs(struct sk_buff *skb, struct netlink_callback *cb);
int knmt_dump_regions(struct sk_buff *skb, struct netlink_callback *cb);
int knmt_dump_regions_done(struct netlink_callback *cb);
int knmt_dump_sites(struct sk_buff *skb, struct netlink_callback *cb);
int knmt_dump_exits(struct sk_buff *skb, struct netlink_callback *cb);
int knmt_dump_sockets(struct sk_buff *skb, struct netlink_callback *cb);

int knmt_put_u64_counts(struct sk_buff *skb, int type, const u64 *c,
			unsigned int n);

struct knmt_exit;
int knmt_put_exit_nest(struct sk_buff *skb, int type,
		       const struct knmt_exit *e);

#endif /* _KNMT_GENL_H */
