// SPDX-License-Identifier: GPL-2.0
/* genl_multicast_group.flags with GENL_MCAST_CAP_SYS_ADMIN (6.7, backported). */
#include <net/genetlink.h>

static const struct genl_multicast_group knmt_probe_grp = {
	.name = "probe",
	.flags = GENL_MCAST_CAP_SYS_ADMIN,
};

const void *knmt_probe(void);
const void *knmt_probe(void)
{
	return &knmt_probe_grp;
}
