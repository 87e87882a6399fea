/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * knmt CLI: the list of `knmt summary`, for the commands that show the
 * same view (report).
 */
#ifndef KNMT_CLI_SUMMARY_H
#define KNMT_CLI_SUMMARY_H

#include <stddef.h>

#include "cli.h"
#include "output.h"

/* Sorts procs as `knmt summary` does: largest native total first. */
void summary_sort(struct knmt_proc_info *procs, size_t n);

/*
 * Adds what `knmt summary` shows of the n processes procs, in their
 * order, the first shown of them listed: in JSON "processes" (with
 * cgroups[i], NULL for unknown, as the key "cgroup" of process i when
 * cgroups is not NULL) and "totals" of all n; in text the table with
 * its totals line.
 */
void summary_add_list(struct cli *cli, struct out_doc *doc,
		      const struct knmt_proc_info *procs, size_t n, size_t shown,
		      char *const *cgroups);

#endif /* KNMT_CLI_SUMMARY_H */
