/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_TARGET_H
#define MRS_TARGET_H

#include <infiniband/verbs.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "backing.h"
#include "shadow.h"

/*
 * One registered MR with everything that DMA, stressors and checks share
 * about it: the memory, its shadow state and the lock that keeps CPU reads
 * of the mapping out of windows where they would fault (a file shrunk
 * under its mapping raises SIGBUS, which is not what is being tested).
 */
struct target {
	char name[32];
	uint32_t mr_id;
	uint64_t seed;
	struct region region;
	struct ibv_mr *mr; /* NULL when registration was refused */
	unsigned access;
	bool odp; /* the MR follows the page tables instead of pinning */
	size_t block_size;
	struct shadow shadow;
	pthread_rwlock_t view_lock; /* held for writing by size changes */
	uint32_t *reported; /* per block: classes already reported */
	double t0; /* run start, monotonic: finding times are relative to it */
	/*
	 * DMA operations posted to and finished on this MR so far (failed
	 * ones too). posted at the end of a stressor step minus done at its
	 * start is the number of operations in flight at some time during
	 * the step: the race density scripts/bench reports.
	 */
	atomic_uint_fast64_t dma_posted;
	atomic_uint_fast64_t dma_done;
};

/* Do CPU and pread views of this target reach the file's pages? */
static inline bool target_has_file(const struct target *t)
{
	return t->region.fd >= 0 && t->region.shared;
}

#endif
