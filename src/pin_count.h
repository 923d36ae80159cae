/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_PIN_COUNT_H
#define MRS_PIN_COUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/*
 * Pages pinned with FOLL_PIN (what ib_umem_get() does for every MR that
 * is not on-demand) and not yet unpinned, from the kernel's own counters
 * in /proc/vmstat. Global to the machine: meaningful when nothing else
 * pins meanwhile, as in the VM a run owns.
 */
struct pin_count {
	uint64_t acquired, released;
};

/*
 * -EOPNOTSUPP when the kernel has no such counters (before 5.10) or they
 * cannot be read exactly (stat_refresh needs root).
 */
int pin_count_read(struct pin_count *p, struct mrs_err *e);
/* Parse the counters out of vmstat text: 0, or -ENOENT if absent. */
int pin_count_parse(const char *vmstat, struct pin_count *p);
/*
 * Another process with an RDMA device open (/dev/infiniband/uverbs*) may
 * hold pins of its own: the counters cannot tell them from ours. Returns
 * the number of such processes and names the first in who ("pid 123
 * (mrstress)"). Seeing other processes' fds needs root, as the counters do.
 */
unsigned pin_count_other_users(char *who, size_t len);
/* Pins taken since before and not given back. */
int64_t pin_count_held_since(const struct pin_count *before,
			     const struct pin_count *after);

#endif
