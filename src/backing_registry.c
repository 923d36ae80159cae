// SPDX-License-Identifier: GPL-2.0-or-later
/* The memory backings mrstress knows; adding one is a file and a line here. */
#include <stddef.h>

#include "backing.h"

extern const struct backing backing_anon, backing_anon_shared, backing_memfd,
	backing_hugetlb, backing_hugetlb_map, backing_thp, backing_uffd,
	backing_file, backing_file_private;

const struct backing *const backings[] = {
	&backing_anon,	       &backing_anon_shared,
	&backing_memfd,	       &backing_hugetlb,
	&backing_hugetlb_map,  &backing_thp,
	&backing_uffd,	       &backing_file,
	&backing_file_private, NULL,
};
