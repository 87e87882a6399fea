// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * knmt CLI: cgroup v2 directories and ids (see cgroup.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/types.h>
#include <unistd.h>

#include <linux/magic.h>

#include "cgroup.h"

/* Deeper cgroups are not looked for (each level holds a directory open). */
#define SCAN_DEPTH_MAX	64
#define DIR_FLAGS	(O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

static bool is_cgroup2(const struct statfs *sfs)
{
	return (uint64_t)sfs->f_type == CGROUP2_SUPER_MAGIC;
}

int cgroup_path_id(const char *root, const char *path, uint64_t *id,
		   uint64_t *fstype)
{
	struct statfs sfs;
	struct stat st;
	char *full = NULL;
	int ret = 0;

	if (!root)
		root = CGROUP_ROOT;
	if (path[0] == '/')
		full = strdup(path);
	else if (asprintf(&full, "%s/%s", root, path) < 0)
		full = NULL;
	if (!full)
		return -ENOMEM;
	if (stat(full, &st) < 0)
		ret = -errno;
	else if (!S_ISDIR(st.st_mode))
		ret = -ENOTDIR;
	else if (statfs(full, &sfs) < 0)
		ret = -errno;
	else if (!is_cgroup2(&sfs)) {
		*fstype = (uint64_t)sfs.f_type;
		ret = -EMEDIUMTYPE;
	} else {
		*id = (uint64_t)st.st_ino;
	}
	free(full);
	return ret;
}

struct scan {
	uint64_t id;
	char path[PATH_MAX];
};

/*
 * Looks under the directory open as fd (its path in s->path, of length
 * len, on device dev, cgroup2 or not) for the directory of s->id; takes
 * fd.  1 when found (s->path is its path), 0 when not.
 */
static int scan_dir(struct scan *s, int fd, size_t len, dev_t dev, bool cg2,
		    int depth)
{
	struct dirent *de;
	DIR *d = fdopendir(fd);
	int found = 0;

	if (!d) {
		close(fd);
		return 0;
	}
	while (!found && (de = readdir(d)) != NULL) {
		bool child_cg2 = cg2;
		size_t n = strlen(de->d_name);
		struct stat st;
		int cfd;

		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (len + 1 + n >= sizeof(s->path))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode))
			continue;
		cfd = -1;
		if (st.st_dev != dev) {
			struct statfs sfs;

			/* another mount: entered only if it is cgroup2 */
			cfd = openat(dirfd(d), de->d_name, DIR_FLAGS);
			if (cfd < 0)
				continue;
			child_cg2 = fstatfs(cfd, &sfs) == 0 && is_cgroup2(&sfs);
			if (!child_cg2) {
				close(cfd);
				continue;
			}
		}
		s->path[len] = '/';
		memcpy(s->path + len + 1, de->d_name, n + 1);
		if (child_cg2 && (uint64_t)st.st_ino == s->id) {
			found = 1;
		} else if (depth < SCAN_DEPTH_MAX) {
			if (cfd < 0)
				cfd = openat(dirfd(d), de->d_name, DIR_FLAGS);
			if (cfd >= 0)
				found = scan_dir(s, cfd, len + 1 + n, st.st_dev,
						 child_cg2, depth + 1);
			cfd = -1;	/* taken */
		}
		if (cfd >= 0)
			close(cfd);
		if (!found)
			s->path[len] = '\0';
	}
	closedir(d);
	return found;
}

int cgroup_id_path(const char *root, uint64_t id, char **path)
{
	struct statfs sfs;
	struct stat st;
	struct scan *s;
	bool cg2;
	size_t len;
	int fd, ret;

	*path = NULL;
	if (!root)
		root = CGROUP_ROOT;
	len = strlen(root);
	while (len > 1 && root[len - 1] == '/')
		len--;
	fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || fstatfs(fd, &sfs) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	s = malloc(sizeof(*s));
	if (!s || len >= sizeof(s->path)) {
		free(s);
		close(fd);
		return s ? -ENAMETOOLONG : -ENOMEM;
	}
	s->id = id;
	memcpy(s->path, root, len);
	s->path[len] = '\0';
	if (len == 1)		/* "/": children are "/name" */
		len = 0;
	cg2 = is_cgroup2(&sfs);
	if (cg2 && (uint64_t)st.st_ino == id) {
		close(fd);
		ret = 1;
	} else {
		ret = scan_dir(s, fd, len, st.st_dev, cg2, 1);
	}
	if (ret) {
		*path = strdup(s->path[0] ? s->path : "/");
		ret = *path ? 0 : -ENOMEM;
	} else {
		ret = -ENOENT;
	}
	free(s);
	return ret;
}

int cgroup_of_pid(const char *proc_root, uint32_t pid, char **path)
{
	char file[PATH_MAX], *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	int ret = -ENODATA;

	*path = NULL;
	snprintf(file, sizeof(file), "%s/%u/cgroup",
		 proc_root ? proc_root : "/proc", (unsigned int)pid);
	f = fopen(file, "re");
	if (!f)
		return -errno;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (strncmp(line, "0::", 3) != 0)
			continue;
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		*path = strdup(line + 3);
		ret = *path ? 0 : -ENOMEM;
		break;
	}
	free(line);
	fclose(f);
	return ret;
}
