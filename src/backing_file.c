// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A regular file on a scratch filesystem, mapped MAP_SHARED ("file") or
 * MAP_PRIVATE ("file-private"). The file is written in full before it is
 * mapped so that every page has blocks behind it, as an application's data
 * file would; the filesystem is measured with fstatfs, never assumed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fault.h"
#include "backing.h"

static int file_shared_create(struct region *r, const struct backing_args *a,
			      struct mrs_err *e);
static int file_private_create(struct region *r, const struct backing_args *a,
			       struct mrs_err *e);

const struct backing backing_file = {
	.name = "file",
	.help = "regular file on a scratch filesystem, MAP_SHARED",
	.needs_dir = true,
	.create = file_shared_create,
	.repro_build = "\treturn mem_file(m, dir, MAP_SHARED, st);\n",
	.has_file = true,
};

const struct backing backing_file_private = {
	.name = "file-private",
	.help = "regular file on a scratch filesystem, MAP_PRIVATE",
	.needs_dir = true,
	.create = file_private_create,
	.repro_build = "\treturn mem_file(m, dir, MAP_PRIVATE, st);\n",
	.has_file = true,
};

static int write_zeros(int fd, size_t len, const char *desc, struct mrs_err *e)
{
	static const char zeros[65536];
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		size_t chunk = len - done < sizeof(zeros) ? len - done :
							    sizeof(zeros);

		n = fault_fire(FAULT_FILE_PWRITE) ?
			    -1 :
			    pwrite(fd, zeros, chunk, (off_t)done);
		if (n <= 0)
			return mrs_err_sys(e, "pwrite(%s) at %zu", desc, done);
		done += (size_t)n;
	}
	return 0;
}

static int open_scratch_file(struct region *r, const char *dir,
			     struct mrs_err *e)
{
	int n = snprintf(r->path, sizeof(r->path), "%s/mrstress-%d-XXXXXX", dir,
			 (int)getpid());

	if (n < 0 || (size_t)n >= sizeof(r->path))
		return mrs_err_set(e, ENAMETOOLONG,
				   "scratch path in %s too long", dir);
	r->fd = fault_fire(FAULT_FILE_OPEN) ? -1 : mkostemp(r->path, O_CLOEXEC);
	if (r->fd < 0)
		return mrs_err_sys(e, "create a file in %s", dir);
	r->unlink_path = true;
	return 0;
}

static int file_create(struct region *r, const struct backing *b,
		       const struct backing_args *a, int map_flags,
		       struct mrs_err *e)
{
	int ret;

	region_init(r, b, a->size);
	ret = open_scratch_file(r, a->dir, e);
	if (ret)
		return ret;
	ret = region_measure_fs(r, e);
	if (ret)
		return ret;
	region_describe(r, map_flags == MAP_SHARED ? "shared" : "private");
	ret = write_zeros(r->fd, r->len, r->desc, e);
	if (ret)
		return ret;
	return region_map(r, PROT_READ | PROT_WRITE, map_flags, e);
}

static int file_shared_create(struct region *r, const struct backing_args *a,
			      struct mrs_err *e)
{
	return file_create(r, &backing_file, a, MAP_SHARED, e);
}

static int file_private_create(struct region *r, const struct backing_args *a,
			       struct mrs_err *e)
{
	return file_create(r, &backing_file_private, a, MAP_PRIVATE, e);
}
