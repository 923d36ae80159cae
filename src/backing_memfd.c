// SPDX-License-Identifier: GPL-2.0-or-later
/* memfd: a shmem file with a descriptor, mapped shared. */
#include "backing.h"

static int memfd_backing_create(struct region *r, const struct backing_args *a,
				struct mrs_err *e);

const struct backing backing_memfd = {
	.name = "memfd",
	.help = "memfd_create() shmem file, MAP_SHARED",
	.create = memfd_backing_create,
	.repro_build = "\treturn mem_memfd(m, 0, st);\n",
	.has_file = true,
};

static int memfd_backing_create(struct region *r, const struct backing_args *a,
				struct mrs_err *e)
{
	region_init(r, &backing_memfd, a->size);
	return region_memfd_map(r, 0, "shared", e);
}
