// SPDX-License-Identifier: GPL-2.0-or-later
/* hugetlb: a memfd of default-size huge pages, mapped shared. */
#include <errno.h>
#include <sys/mman.h>

#include "backing.h"

static int hugetlb_create(struct region *r, const struct backing_args *a,
			  struct mrs_err *e);

const struct backing backing_hugetlb = {
	.name = "hugetlb",
	.help = "memfd_create(MFD_HUGETLB), default huge page size, MAP_SHARED; needs vm.nr_hugepages",
	.create = hugetlb_create,
};

static int hugetlb_create(struct region *r, const struct backing_args *a,
			  struct mrs_err *e)
{
	size_t hp = default_hugepage_size();
	size_t len;
	int ret;

	if (!hp)
		return mrs_err_set(
			e, EOPNOTSUPP,
			"hugetlb: the kernel reports no huge page size");
	len = (a->size + hp - 1) / hp * hp;
	region_init(r, &backing_hugetlb, len);
	r->page_size = hp;
	r->huge = true;
	/* The reservation is taken at mmap: ENOMEM there means too few pages. */
	ret = region_memfd_map(r, MFD_HUGETLB, e);
	if (ret == -ENOMEM)
		mrs_err_set(
			e, ENOMEM,
			"mmap(%s): not enough free huge pages (reserve them with vm.nr_hugepages)",
			r->desc);
	return ret;
}
