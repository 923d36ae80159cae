/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_MEMCG_H
#define MRS_MEMCG_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "error.h"

/*
 * A child cgroup v2 with the memory controller that this process moves
 * into for the run and leaves at the end: the parent is the cgroup the
 * process was in, the child is removed again.
 */
struct memcg {
	char parent[PATH_MAX]; /* /sys/fs/cgroup/... */
	char child[PATH_MAX];
	bool enabled_memory; /* we added +memory to parent's subtree_control */
	bool made, entered;
};

/*
 * Make the child and move this process into it. -EOPNOTSUPP (e says why)
 * when cgroup v2 or its memory controller is not there or not ours.
 */
int memcg_enter(struct memcg *m, struct mrs_err *e);
/* Move back, remove the child, undo the controller change. */
void memcg_leave(struct memcg *m);

/* FILE of the child ("memory.current"): its number, 0 when unreadable. */
uint64_t memcg_read(const struct memcg *m, const char *file);
/* The count KEY in FILE ("memory.events", "high"). */
uint64_t memcg_read_key(const struct memcg *m, const char *file,
			const char *key);
int memcg_write(const struct memcg *m, const char *file, const char *val,
		struct mrs_err *e);

#endif
