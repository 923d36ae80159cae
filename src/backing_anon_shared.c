// SPDX-License-Identifier: GPL-2.0-or-later
/* Shared anonymous memory: shmem pages without a name, kept across fork. */
#include <sys/mman.h>

#include "backing.h"

static int anon_shared_create(struct region *r, const struct backing_args *a,
			      struct mrs_err *e);

const struct backing backing_anon_shared = {
	.name = "anon-shared",
	.help = "shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS, shmem)",
	.create = anon_shared_create,
	.repro_build =
		"\treturn mem_map(m, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, st);\n",
};

static int anon_shared_create(struct region *r, const struct backing_args *a,
			      struct mrs_err *e)
{
	region_init(r, &backing_anon_shared, a->size);
	region_describe(r, "shared");
	return region_map(r, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			  e);
}
