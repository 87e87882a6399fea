// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt CLI: symbolization of a live process's code addresses (see
 * symbolize.h).  Each file mapped by the process is reported to libdwfl
 * as one module covering its consecutive mappings, as
 * dwfl_linux_proc_report() does, but from one read of /proc/PID/maps
 * and with our own find_elf, which never attaches to the process and
 * never asks a debuginfod server: separate debug files are looked up by
 * build ID under /usr/lib/debug only.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <elfutils/libdwfl.h>

#include "symbolize.h"

struct sym_map {
	uint64_t start, end;
	unsigned int maj, min;
	uint64_t ino;
	char *path;		/* "" for anonymous memory */
};

struct sym_module {
	const struct sym_ctx *ctx;
	size_t map;		/* its first mapping */
};

struct sym_ctx {
	uint32_t pid;
	struct sym_map *maps;
	size_t nmaps;
	struct sym_module *mods;
	size_t nmods;
	Dwfl *dwfl;
};

/* Opens path if it is the regular file the mapping shows (dev, inode). */
static int open_same(const char *path, const struct sym_map *m, bool check)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (check && (st.st_ino != m->ino || major(st.st_dev) != m->maj ||
		       minor(st.st_dev) != m->min))) {
		close(fd);
		return -1;
	}
	return fd;
}

static int find_elf(Dwfl_Module *mod, void **userdata, const char *modname,
		    Dwarf_Addr base, char **file_name, Elf **elfp)
{
	const struct sym_module *sm = *userdata;
	const struct sym_map *m = &sm->ctx->maps[sm->map];
	char path[PATH_MAX + 64];
	int fd;

	(void)mod;
	(void)modname;
	(void)base;
	(void)elfp;
	/* the very file mapped (needs CAP_SYS_ADMIN) */
	snprintf(path, sizeof(path), "/proc/%" PRIu32 "/map_files/%" PRIx64 "-%" PRIx64,
		 sm->ctx->pid, m->start, m->end);
	fd = open_same(path, m, false);
	/* the path as we see it, then as the process sees it */
	if (fd < 0)
		fd = open_same(m->path, m, true);
	if (fd < 0) {
		snprintf(path, sizeof(path), "/proc/%" PRIu32 "/root%s",
			 sm->ctx->pid, m->path);
		fd = open_same(path, m, true);
	}
	if (fd < 0)
		return -1;
	*file_name = strdup(m->path);
	return fd;
}

static char *debuginfo_path;

static const Dwfl_Callbacks callbacks = {
	.find_elf = find_elf,
	.find_debuginfo = dwfl_build_id_find_debuginfo,
	.debuginfo_path = &debuginfo_path,
};

static bool parse_line(char *line, struct sym_map *m)
{
	uint64_t start, end, off, ino;
	unsigned int maj, min;
	char perms[8];
	char *path;
	int n = -1;

	if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %x:%x %" SCNu64 " %n",
		   &start, &end, perms, &off, &maj, &min, &ino, &n) < 7 || n < 0)
		return false;
	path = line + n;
	path[strcspn(path, "\n")] = '\0';
	*m = (struct sym_map){
		.start = start, .end = end, .maj = maj, .min = min, .ino = ino,
		.path = strdup(path),
	};
	return m->path != NULL;
}

static int read_maps(struct sym_ctx *ctx)
{
	char name[64];
	char *line = NULL;
	size_t cap = 0, mcap = 0;
	FILE *f;
	int ret = 0;

	snprintf(name, sizeof(name), "/proc/%" PRIu32 "/maps", ctx->pid);
	f = fopen(name, "re");
	if (!f)
		return -1;
	while (getline(&line, &cap, f) > 0) {
		if (ctx->nmaps == mcap) {
			size_t ncap = mcap ? 2 * mcap : 64;
			struct sym_map *nm = realloc(ctx->maps, ncap * sizeof(*nm));

			if (!nm) {
				ret = -1;
				break;
			}
			ctx->maps = nm;
			mcap = ncap;
		}
		if (parse_line(line, &ctx->maps[ctx->nmaps]))
			ctx->nmaps++;
	}
	free(line);
	fclose(f);
	return ret;
}

static bool is_file(const struct sym_map *m)
{
	return m->path[0] == '/' && m->ino != 0;
}

/* One module per run of consecutive mappings of the same file. */
static void report_modules(struct sym_ctx *ctx)
{
	size_t i = 0, j;

	ctx->mods = calloc(ctx->nmaps ? ctx->nmaps : 1, sizeof(*ctx->mods));
	if (!ctx->mods)
		return;
	dwfl_report_begin(ctx->dwfl);
	while (i < ctx->nmaps) {
		const struct sym_map *m = &ctx->maps[i];
		Dwfl_Module *mod;
		void **ud;

		if (!is_file(m)) {
			i++;
			continue;
		}
		for (j = i + 1; j < ctx->nmaps; j++) {
			const struct sym_map *n = &ctx->maps[j];

			if (!is_file(n) || n->ino != m->ino || n->maj != m->maj ||
			    n->min != m->min || strcmp(n->path, m->path) != 0)
				break;
		}
		mod = dwfl_report_module(ctx->dwfl, m->path, m->start,
					 ctx->maps[j - 1].end);
		if (mod && dwfl_module_info(mod, &ud, NULL, NULL, NULL, NULL,
					    NULL, NULL)) {
			ctx->mods[ctx->nmods] = (struct sym_module){
				.ctx = ctx, .map = i,
			};
			*ud = &ctx->mods[ctx->nmods++];
		}
		i = j;
	}
	dwfl_report_end(ctx->dwfl, NULL, NULL);
}

struct sym_ctx *sym_open(uint32_t pid)
{
	struct sym_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		return NULL;
	ctx->pid = pid;
	if (read_maps(ctx) < 0) {
		sym_close(ctx);
		return NULL;
	}
	ctx->dwfl = dwfl_begin(&callbacks);
	if (ctx->dwfl)
		report_modules(ctx);
	return ctx;
}

static const struct sym_map *find_map(const struct sym_ctx *ctx, uint64_t addr)
{
	size_t lo = 0, hi = ctx->nmaps;

	/* /proc/PID/maps is sorted by address */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct sym_map *m = &ctx->maps[mid];

		if (addr < m->start)
			hi = mid;
		else if (addr >= m->end)
			lo = mid + 1;
		else
			return m;
	}
	return NULL;
}

bool sym_lookup(struct sym_ctx *ctx, uint64_t addr, struct sym_info *out)
{
	const struct sym_map *m;
	Dwfl_Module *mod;
	GElf_Off off = 0;
	GElf_Sym sym;
	const char *name;

	*out = (struct sym_info){ 0 };
	if (!ctx)
		return false;
	m = find_map(ctx, addr);
	if (!m)
		return false;
	out->object = m->path[0] ? m->path : NULL;
	if (!ctx->dwfl || !is_file(m))
		return false;
	mod = dwfl_addrmodule(ctx->dwfl, addr);
	if (!mod)
		return false;
	name = dwfl_module_addrinfo(mod, addr, &off, &sym, NULL, NULL, NULL);
	if (!name || !name[0])
		return false;
	out->function = name;
	out->offset = off;
	return true;
}

void sym_close(struct sym_ctx *ctx)
{
	size_t i;

	if (!ctx)
		return;
	if (ctx->dwfl)
		dwfl_end(ctx->dwfl);
	for (i = 0; i < ctx->nmaps; i++)
		free(ctx->maps[i].path);
	free(ctx->maps);
	free(ctx->mods);
	free(ctx);
}
