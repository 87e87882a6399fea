/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * knmt CLI: cgroup v2 directories and ids.  The id of a cgroup v2 (the
 * kernel's cgroup_id(), what knmt's filter_cgroup holds) is the inode
 * number of its directory on the cgroup2 file system.
 */
#ifndef KNMT_CLI_CGROUP_H
#define KNMT_CLI_CGROUP_H

#include <stdint.h>

#define CGROUP_ROOT	"/sys/fs/cgroup"

/*
 * The id of the cgroup at path: absolute, or relative to root (NULL:
 * CGROUP_ROOT).  0 and *id; -errno of stat() or statfs(), -ENOTDIR when
 * it is not a directory, -EMEDIUMTYPE when it is not on a cgroup2 file
 * system (*fstype is then its statfs f_type).
 */
int cgroup_path_id(const char *root, const char *path, uint64_t *id,
		   uint64_t *fstype);

/*
 * The directory of cgroup id: the first directory on a cgroup2 file
 * system found under root (NULL: CGROUP_ROOT, itself included) whose
 * inode number is id.  Other file systems (cgroup v1 hierarchies of a
 * hybrid setup) are not entered.  0 and *path (free() it), -ENOENT when
 * none, -errno when root cannot be read.
 */
int cgroup_id_path(const char *root, uint64_t id, char **path);

/*
 * The cgroup v2 of process pid as proc_root/PID/cgroup (NULL: /proc)
 * names it: the path of its "0::" line, relative to the reader's cgroup
 * namespace ("/system.slice/foo.service").  0 and *path (free() it),
 * -ENODATA when the file has no such line (cgroup v1 only), -errno when
 * it cannot be read (-ENOENT: the process is gone).
 */
int cgroup_of_pid(const char *proc_root, uint32_t pid, char **path);

#endif /* KNMT_CLI_CGROUP_H */
