/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KNMT_EXITS_H
#define _KNMT_EXITS_H

#include "knmt_proc.h"

struct knmt_exit {
	u64 seq;
	pid_t tgid;			/* init pid namespace */
	u32 flags;			/* KNMT_PROC_F_* */
	u64 start_ns, exit_ns;		/* boot-time clock */
	u32 exit_code;
	char comm[TASK_COMM_LEN];
	struct knmt_sample sample;	/* the last breakdown taken */
	u64 peak_mapped[KNMT_CAT_NR];
	u64 faults[KNMT_CAT_NR][2];
	struct knmt_offheap_stats offheap;
};

bool knmt_exit_get(u64 seq, struct knmt_exit *out);

#endif /* _KNMT_EXITS_H */
