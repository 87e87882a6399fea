/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * knmt CLI: code addresses of a live process turned into function+offset
 * and the file they belong to, with elfutils (libdwfl) on the mappings
 * of /proc/PID/maps.  Nothing is attached to the process: the files are
 * read from disk (through /proc/PID/map_files when allowed, so deleted
 * files and other mount namespaces work too).
 */
#ifndef KNMT_SYMBOLIZE_H
#define KNMT_SYMBOLIZE_H

#include <stdbool.h>
#include <stdint.h>

struct sym_ctx;

struct sym_info {
	const char *object;	/* path (or "[vdso]"...) of the mapping, NULL if none */
	const char *function;	/* symbol containing the address, NULL if unknown */
	uint64_t offset;	/* of the address from the symbol's start */
};

/*
 * Reads the mappings of pid.  NULL when the process is gone or its maps
 * cannot be read (sym_lookup() then finds nothing) or out of memory.
 */
struct sym_ctx *sym_open(uint32_t pid);
/*
 * Fills out (strings valid until sym_close); returns true when the
 * function was found.  ctx may be NULL.
 */
bool sym_lookup(struct sym_ctx *ctx, uint64_t addr, struct sym_info *out);
void sym_close(struct sym_ctx *ctx);

#endif /* KNMT_SYMBOLIZE_H */
