/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_BACKING_UFFD_H
#define MRS_BACKING_UFFD_H

#include "backing.h"
#include "error.h"

/* How the uffd backing's handler answers a fault. */
enum uffd_fill {
	UFFD_FILL_COPY, /* missing page: UFFDIO_COPY of zeros (the default) */
	UFFD_FILL_ZEROPAGE, /* missing page: UFFDIO_ZEROPAGE */
	/*
	 * Also register minor faults (UFFD_FEATURE_MINOR_SHMEM, 5.14+): a page
	 * still in the file but not mapped is mapped with UFFDIO_CONTINUE.
	 */
	UFFD_FILL_CONTINUE,
};

extern const struct backing backing_uffd;

/* -EOPNOTSUPP with the reason when this kernel cannot answer that way. */
int uffd_region_set_fill(struct region *r, enum uffd_fill fill,
			 struct mrs_err *e);

#endif
