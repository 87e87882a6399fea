// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt CLI: a command's document printed, as text or with --json as JSON.
 */
#include <stdio.h>

#include "cli.h"
#include "output.h"

int cli_render(struct cli *cli, const struct out_doc *doc, const char *what)
{
	int ret = cli->json ? out_render_json(cli->out, doc)
			    : out_render_text(cli->out, doc);

	if (ret < 0) {
		fprintf(cli->err, "knmt: cannot print %s (out of memory or output error)\n",
			what);
		return CLI_EXIT_RUNTIME;
	}
	return CLI_EXIT_OK;
}
