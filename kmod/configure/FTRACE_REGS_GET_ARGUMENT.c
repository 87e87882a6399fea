// SPDX-License-Identifier: GPL-2.0
/* ftrace_regs_get_argument(): an ftrace callback's arguments (not in 6.1). */
#include <linux/ftrace.h>

unsigned long knmt_probe(struct ftrace_regs *fregs);
unsigned long knmt_probe(struct ftrace_regs *fregs)
{
	return ftrace_regs_get_argument(fregs, 0);
}
