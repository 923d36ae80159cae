// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hugetlb-map: private anonymous huge pages from mmap(MAP_HUGETLB), the way
 * DPDK-style applications get them, with no hugetlbfs file to name. Unlike
 * the memfd "hugetlb", a private mapping is copy-on-write at fork.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>

#include "backing.h"
#include "hugepage.h"
#include "units.h"

static int hugetlb_map_create(struct region *r, const struct backing_args *a,
			      struct mrs_err *e);

const struct backing backing_hugetlb_map = {
	.name = "hugetlb-map",
	.help = "mmap(MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB), default or given huge page size; needs reserved huge pages",
	.page_sizes = true,
	.create = hugetlb_map_create,
	.repro_build =
		"\tint flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB;\n\n"
		"\tif (HUGEPAGE_SHIFT)\n"
		"\t\tflags |= HUGEPAGE_SHIFT << MAP_HUGE_SHIFT;\n"
		"\treturn mem_map(m, PROT_READ | PROT_WRITE, flags, st);\n",
};

static int hugetlb_map_create(struct region *r, const struct backing_args *a,
			      struct mrs_err *e)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB;
	char what[32], sz[16];
	size_t hp;
	int ret;

	ret = hugepage_resolve(a->hugepage_size, &hp, backing_hugetlb_map.name,
			       e);
	if (ret)
		return ret;
	if (a->hugepage_size)
		flags |= (int)hugepage_size_flags(hp);
	/* MAP_HUGETLB wants a length in whole huge pages. */
	region_init(r, &backing_hugetlb_map, round_up_to(a->size, hp));
	r->page_size = hp;
	r->huge = true;
	snprintf(what, sizeof(what), "private pages=%s",
		 format_size(hp, sz, sizeof(sz)));
	region_describe(r, what);
	/* The pages are reserved at mmap: ENOMEM there means too few free. */
	ret = region_map(r, PROT_READ | PROT_WRITE, flags, e);
	if (ret == -ENOMEM)
		return hugepage_enomem(e, r->desc, hp);
	return ret;
}
