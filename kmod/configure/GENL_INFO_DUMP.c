// SPDX-License-Identifier: GPL-2.0
/* genl_info_dump(): the request's genl_info from a dump callback (6.6). */
#include <net/genetlink.h>

const struct genl_info *knmt_probe(struct netlink_callback *cb);
const struct genl_info *knmt_probe(struct netlink_callback *cb)
{
	return genl_info_dump(cb);
}
