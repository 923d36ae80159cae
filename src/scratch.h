/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_SCRATCH_H
#define MRS_SCRATCH_H

#include <limits.h>

#include "error.h"

#define MRS_MAX_SCRATCH 16

/*
 * A scratch directory for file-backed memory, given as "[FS=]PATH". FS, when
 * given, is what the user expects PATH to be on; scratch_verify() checks it
 * against statfs rather than trusting it.
 */
struct scratch_dir {
	char expect[16]; /* "" when the user named no filesystem */
	char path[PATH_MAX];
	char fs[16]; /* filled by scratch_verify() */
};

struct scratch_list {
	unsigned n;
	struct scratch_dir dirs[MRS_MAX_SCRATCH];
};

/* Add one "[FS=]PATH" spec; "where" names its origin for messages. */
int scratch_add(struct scratch_list *l, const char *spec, const char *where,
		struct mrs_err *e);

/* Add every entry of a colon-separated list (the MRSTRESS_SCRATCH form). */
int scratch_add_list(struct scratch_list *l, const char *list,
		     const char *where, struct mrs_err *e);

/* statfs each directory, fill ->fs, fail when it is not what was expected. */
int scratch_verify(struct scratch_list *l, struct mrs_err *e);

#endif
