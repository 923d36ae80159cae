/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_MR_H
#define MRS_MR_H

#include <infiniband/verbs.h>

#include "backing.h"
#include "error.h"

/* Access sets mrstress names in reports and on the command line. */
#define MR_ACCESS_RW                                        \
	(IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE | \
	 IBV_ACCESS_REMOTE_READ)
#define MR_ACCESS_RO (IBV_ACCESS_REMOTE_READ)
#define MR_ACCESS_ODP (MR_ACCESS_RW | IBV_ACCESS_ON_DEMAND)

/* "rw", "ro", "odp" for those sets, else "LOCAL_WRITE|REMOTE_READ|...". */
const char *mr_access_name(unsigned access, char *buf, size_t len);

/*
 * Register a region. On failure returns NULL with e set, e->code the errno
 * the kernel gave: "reg_mr(file ext4 2M shared, rw): Bad address".
 */
struct ibv_mr *mr_register(struct ibv_pd *pd, const struct region *r,
			   unsigned access, struct mrs_err *e);

#endif
