/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_CHECK_H
#define MRS_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "finding.h"
#include "target.h"

/* One way of looking at a block's bytes. */
struct view {
	const char *name; /* "rdma-read", "cpu", "pread", "after-dereg" */
	const void *buf; /* the block's bytes through this view */
	bool file_view; /* reaches the file's pages: truncate zeros apply */
	bool reaches_mr; /* reaches the pages the MR holds */
};

/* Scratch space for one checker: two blocks. */
struct check_buf {
	void *expected, *tmp;
	size_t size;
};

int check_buf_init(struct check_buf *cb, size_t block_size);
void check_buf_free(struct check_buf *cb);

/*
 * Check blk of t through views[0..n), against the shadow state, and add a
 * finding for each damaged view. When the MR's view is intact and a file
 * view holds a valid older state, that is one "detached" finding. A class
 * is reported once per block. Returns the number of findings added.
 */
unsigned check_views(struct target *t, size_t blk, const struct view *views,
		     unsigned n, struct check_buf *cb, struct finding_list *fl,
		     double now);

/*
 * Views the CPU has of blk: the mapping and, when the memory is a shared
 * file, pread of it (read into cb->tmp). Fills up to 2 views, returns how
 * many, or a negative errno when pread failed (e set).
 */
int check_cpu_views(struct target *t, size_t blk, struct check_buf *cb,
		    struct view *views, struct mrs_err *e);

#endif
