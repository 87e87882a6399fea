// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt report: report files appended to, rotated by size and count
 * (PATH, PATH.1 ... PATH.keep, the highest number the oldest).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"

static int open_fd(struct report_file *f)
{
	struct stat st;

	f->fd = open(f->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (f->fd < 0)
		return -errno;
	if (fstat(f->fd, &st) < 0) {
		int err = -errno;

		close(f->fd);
		f->fd = -1;
		return err;
	}
	f->size = (uint64_t)st.st_size;
	return 0;
}

int report_file_open(struct report_file *f, const char *dir, const char *name)
{
	f->fd = -1;
	f->size = 0;
	if (asprintf(&f->path, "%s/%s", dir, name) < 0) {
		f->path = NULL;
		return -ENOMEM;
	}
	return open_fd(f);
}

void report_file_close(struct report_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	free(f->path);
	f->path = NULL;
}

int report_file_reopen(struct report_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	return f->path ? open_fd(f) : -EBADF;
}

/* PATH.n (n > 0) or PATH (n 0) into buf. */
static const char *numbered(char *buf, size_t len, const char *path,
			    unsigned int n)
{
	if (n)
		snprintf(buf, len, "%s.%u", path, n);
	else
		snprintf(buf, len, "%s", path);
	return buf;
}

static int rotate(struct report_file *f, unsigned int keep)
{
	size_t len = strlen(f->path) + 16;
	char *from = malloc(len), *to = malloc(len);
	unsigned int i;
	int err = 0;

	if (!from || !to) {
		free(from);
		free(to);
		return -ENOMEM;
	}
	close(f->fd);
	f->fd = -1;
	if (keep == 0) {
		if (unlink(f->path) < 0 && errno != ENOENT)
			err = -errno;
	} else {
		/* the oldest goes; the others move up by one */
		for (i = keep; i > 0 && !err; i--) {
			if (rename(numbered(from, len, f->path, i - 1),
				   numbered(to, len, f->path, i)) < 0 &&
			    errno != ENOENT)
				err = -errno;
		}
	}
	free(from);
	free(to);
	if (!err)
		err = open_fd(f);
	else
		open_fd(f);	/* go on appending to the old one */
	return err;
}

int report_file_write(struct report_file *f, const char *buf, size_t len,
		      uint64_t max_bytes, unsigned int keep)
{
	int err = 0;

	if (f->fd < 0 && (err = report_file_reopen(f)) < 0)
		return err;
	if (f->size && f->size + len > max_bytes)
		err = rotate(f, keep);
	if (f->fd < 0)
		return err ? err : -EBADF;
	while (len) {
		ssize_t n = write(f->fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
		f->size += (uint64_t)n;
	}
	return err;
}
