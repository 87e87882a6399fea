// SPDX-License-Identifier: GPL-2.0
/* genl_multicast_group.cap_sys_admin bit (6.1.y before the flags backport). */
#include <net/genetlink.h>

static const struct genl_multicast_group knmt_probe_grp = {
	.name = "probe",
	.cap_sys_admin = 1,
};

const void *knmt_probe(void);
const void *knmt_probe(void)
{
	return &knmt_probe_grp;
}
