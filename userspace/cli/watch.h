/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * knmt CLI: an event as knmt watch shows it, for the commands that write
 * events too (knmt record puts them in its file as `knmt watch --json`).
 */
#ifndef KNMT_CLI_WATCH_H
#define KNMT_CLI_WATCH_H

#include "cli.h"
#include "output.h"

/*
 * Fills doc with event e: its JSON fields (seq, time, type, pid, tid,
 * comm, then those of its type) and its text line; comm is the name to
 * show (NULL: unknown).  Rendered with out_render_json_line(), it is the
 * line of `knmt watch --json`.
 */
void watch_event_doc(struct cli *cli, struct out_doc *doc,
		     const struct knmt_event *e, const char *comm);

/* The same for the losses reported with batch b ({"type": "lost", ...}). */
void watch_loss_doc(struct out_doc *doc, const struct knmt_event_batch *b);

#endif /* KNMT_CLI_WATCH_H */
