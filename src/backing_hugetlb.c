// SPDX-License-Identifier: GPL-2.0-or-later
/* hugetlb: a memfd of huge pages (the default size or the one asked). */
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>

#include "backing.h"
#include "hugepage.h"
#include "units.h"

static int hugetlb_create(struct region *r, const struct backing_args *a,
			  struct mrs_err *e);

const struct backing backing_hugetlb = {
	.name = "hugetlb",
	.help = "memfd_create(MFD_HUGETLB), MAP_SHARED, default or given huge page size; needs reserved huge pages",
	.page_sizes = true,
	.create = hugetlb_create,
	.repro_build =
		"\t/* An explicit size is encoded: the default may change at boot. */\n"
		"\tunsigned flags = MFD_HUGETLB;\n\n"
		"\tif (HUGEPAGE_SHIFT)\n"
		"\t\tflags |= HUGEPAGE_SHIFT << MFD_HUGE_SHIFT;\n"
		"\treturn mem_memfd(m, flags, st);\n",
	.has_file = true,
};

static int hugetlb_create(struct region *r, const struct backing_args *a,
			  struct mrs_err *e)
{
	unsigned flags = MFD_HUGETLB;
	char what[32], sz[16];
	size_t hp;
	int ret;

	ret = hugepage_resolve(a->hugepage_size, &hp, backing_hugetlb.name, e);
	if (ret)
		return ret;
	/* An explicit size is always encoded: the default may change at boot. */
	if (a->hugepage_size)
		flags |= hugepage_size_flags(hp);
	region_init(r, &backing_hugetlb, round_up_to(a->size, hp));
	r->page_size = hp;
	r->huge = true;
	/* The reservation is taken at mmap: ENOMEM there means too few pages. */
	snprintf(what, sizeof(what), "shared pages=%s",
		 format_size(hp, sz, sizeof(sz)));
	ret = region_memfd_map(r, flags, what, e);
	if (ret == -ENOMEM)
		return hugepage_enomem(e, r->desc, hp);
	return ret;
}
