/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_FSINFO_H
#define MRS_FSINFO_H

#include "error.h"

/* What statfs says a path or file descriptor lives on. */
struct fs_info {
	char type[16]; /* "ext4", "xfs", "btrfs", "tmpfs", ... or "0x..." */
	unsigned long block_size;
};

/* The name of a filesystem magic number; NULL when not one we know. */
const char *fs_name_of_magic(unsigned long magic);

int fs_info_of_path(const char *path, struct fs_info *fi, struct mrs_err *e);
int fs_info_of_fd(int fd, struct fs_info *fi, struct mrs_err *e);

#endif
