// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt CLI: the one place that turns a library error into a message
 * naming the cause and the fix, and into an exit code.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_report(struct cli *cli, struct knmt *h, int err)
{
	FILE *f = cli->err;
	int code = err < 0 ? -err : err;
	const char *extack = knmt_extack(h);
	int kerrno = knmt_kernel_errno(h);

	if (h && knmt_last_error(h))
		code = knmt_last_error(h);

	switch (code) {
	case KNMT_E_NOT_LOADED:
		fprintf(f, "knmt: the knmt kernel module is not loaded "
			"(generic netlink family \"%s\" not found). "
			"Load it with: modprobe knmt (or insmod knmt.ko); "
			"it answers in the host's network namespace only\n",
			KNMT_GENL_NAME);
		return CLI_EXIT_NOT_LOADED;
	case KNMT_E_PERM:
		fprintf(f, "knmt: permission denied: knmt commands need "
			"CAP_NET_ADMIN (watching events needs CAP_SYS_ADMIN); "
			"run as root, e.g. with sudo");
		if (extack[0])
			fprintf(f, " (kernel: %s)", extack);
		fputc('\n', f);
		return CLI_EXIT_PERM;
	case KNMT_E_KERNEL:
		if (extack[0])
			fprintf(f, "knmt: kernel rejected the request: %s (%s)\n",
				extack, strerror(kerrno));
		else
			fprintf(f, "knmt: kernel rejected the request: %s\n",
				strerror(kerrno));
		return CLI_EXIT_RUNTIME;
	case KNMT_E_VERSION:
		fprintf(f, "knmt: %s. Use a knmt CLI from the same release as "
			"the loaded module.\n", knmt_strerror(h));
		return CLI_EXIT_RUNTIME;
	case KNMT_E_PROTO:
		fprintf(f, "knmt: %s. The module and this knmt may come from "
			"different releases; if they do not, please report it.\n",
			knmt_strerror(h));
		return CLI_EXIT_RUNTIME;
	case KNMT_E_NOMEM:
		fprintf(f, "knmt: out of memory\n");
		return CLI_EXIT_RUNTIME;
	default:
		fprintf(f, "knmt: %s\n", h ? knmt_strerror(h) : knmt_error_str(code));
		return CLI_EXIT_RUNTIME;
	}
}

int cli_report_pid(struct cli *cli, struct knmt *h, int err, uint32_t pid)
{
	if (h && knmt_last_error(h) == KNMT_E_KERNEL &&
	    knmt_kernel_errno(h) == ESRCH) {
		fprintf(cli->err, "knmt: no process %" PRIu32 "\n", pid);
		return CLI_EXIT_RUNTIME;
	}
	return cli_report(cli, h, err);
}

int cli_connect(struct cli *cli, struct knmt **hp)
{
	int err = cli->open(hp);

	if (err) {
		int ret = cli_report(cli, *hp, err);

		knmt_close(*hp);
		*hp = NULL;
		return ret;
	}
	return CLI_EXIT_OK;
}
