// SPDX-License-Identifier: GPL-2.0-or-later
/* memfd: a shmem file with a descriptor, mapped shared. */
#include <sys/mman.h>
#include <unistd.h>

#include "backing.h"

static int memfd_backing_create(struct region *r, const struct backing_args *a,
				struct mrs_err *e);

const struct backing backing_memfd = {
	.name = "memfd",
	.help = "memfd_create() shmem file, MAP_SHARED",
	.create = memfd_backing_create,
};

static int memfd_backing_create(struct region *r, const struct backing_args *a,
				struct mrs_err *e)
{
	int ret;

	region_init(r, &backing_memfd, a->size);
	r->fd = memfd_create("mrstress", MFD_CLOEXEC);
	if (r->fd < 0)
		return mrs_err_sys(e, "memfd_create(%s)", r->desc);
	if (ftruncate(r->fd, (off_t)r->len))
		return mrs_err_sys(e, "ftruncate(%s)", r->desc);
	ret = region_measure_fs(r, e);
	if (ret)
		return ret;
	region_describe(r, "shared");
	return region_map(r, PROT_READ | PROT_WRITE, MAP_SHARED, e);
}
