// SPDX-License-Identifier: GPL-2.0-or-later
#include <linux/magic.h>
#include <stdio.h>
#include <sys/vfs.h>

#include "fsinfo.h"

#ifndef XFS_SUPER_MAGIC
#define XFS_SUPER_MAGIC 0x58465342
#endif
#ifndef BTRFS_SUPER_MAGIC
#define BTRFS_SUPER_MAGIC 0x9123683E
#endif

/* ext2, ext3 and ext4 share a magic; only ext4 is the one that matters here. */
static const struct {
	unsigned long magic;
	const char *name;
} fs_magics[] = {
	{ EXT4_SUPER_MAGIC, "ext4" },
	{ XFS_SUPER_MAGIC, "xfs" },
	{ BTRFS_SUPER_MAGIC, "btrfs" },
	{ TMPFS_MAGIC, "tmpfs" },
	{ HUGETLBFS_MAGIC, "hugetlbfs" },
	{ V9FS_MAGIC, "9p" },
	{ NFS_SUPER_MAGIC, "nfs" },
	{ OVERLAYFS_SUPER_MAGIC, "overlayfs" },
	{ F2FS_SUPER_MAGIC, "f2fs" },
	{ 0x65735546, "fuse" },
};

const char *fs_name_of_magic(unsigned long magic)
{
	for (size_t i = 0; i < sizeof(fs_magics) / sizeof(fs_magics[0]); i++)
		if (fs_magics[i].magic == magic)
			return fs_magics[i].name;
	return NULL;
}

static void fill(struct fs_info *fi, const struct statfs *st)
{
	const char *name = fs_name_of_magic((unsigned long)st->f_type);

	if (name)
		snprintf(fi->type, sizeof(fi->type), "%s", name);
	else
		snprintf(fi->type, sizeof(fi->type), "0x%lx",
			 (unsigned long)st->f_type);
	fi->block_size = (unsigned long)st->f_bsize;
}

int fs_info_of_path(const char *path, struct fs_info *fi, struct mrs_err *e)
{
	struct statfs st;

	if (statfs(path, &st))
		return mrs_err_sys(e, "statfs(%s)", path);
	fill(fi, &st);
	return 0;
}

int fs_info_of_fd(int fd, struct fs_info *fi, struct mrs_err *e)
{
	struct statfs st;

	if (fstatfs(fd, &st))
		return mrs_err_sys(e, "fstatfs(fd %d)", fd);
	fill(fi, &st);
	return 0;
}
