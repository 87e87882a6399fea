/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multicast group permissions.  The events group carries process memory
 * layouts (ASLR-sensitive), so only CAP_SYS_ADMIN may join it.  Kernels
 * express that as a flag (6.7, backported to 6.1.y) or as a bitfield (6.1.y
 * before the backport).  A kernel with neither cannot keep unprivileged
 * readers out of the group: knmt refuses to build for it.
 */
#ifndef _KNMT_WRAPPER_GENL_H
#define _KNMT_WRAPPER_GENL_H

#include <net/genetlink.h>

#if defined(KNMT_HAS_GENL_MCAST_FLAGS)
#define KNMT_MCGRP_ADMIN	.flags = GENL_MCAST_CAP_SYS_ADMIN
#elif defined(KNMT_HAS_GENL_MCAST_CAP_BIT)
#define KNMT_MCGRP_ADMIN	.cap_sys_admin = 1
#else
#error "knmt needs multicast group permissions (GENL_MCAST_CAP_SYS_ADMIN)"
#endif

/* The genetlink header of the request behind a dump. */
static inline const struct genlmsghdr *
knmt_dump_genlhdr(struct netlink_callback *cb)
{
#ifdef KNMT_HAS_GENL_INFO_DUMP
	return genl_info_dump(cb)->genlhdr;
#else
	return nlmsg_data(cb->nlh);
#endif
}

/* The request's parsed attributes, from a dump callback. */
static inline struct nlattr **knmt_dump_attrs(struct netlink_callback *cb)
{
#ifdef KNMT_HAS_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

#endif /* _KNMT_WRAPPER_GENL_H */
