/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_SHADOW_H
#define MRS_SHADOW_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "verify.h"

/*
 * What each block of an MR may legally hold right now. A write is posted
 * (its generation becomes possible), then completes (it becomes the only
 * legal one) or fails (both stay possible: the data may or may not have
 * landed). A truncate or hole punch makes zeros legal for every generation
 * posted before it began; a write posted after it makes them illegal again.
 *
 * Each block has one owner thread that posts its writes and completions;
 * zero_range() may come from any thread, so every update and every
 * expectation takes the per-shadow lock (held only for a few stores).
 */
struct shadow_block {
	uint64_t gen_lo; /* oldest generation that may be there */
	uint64_t gen_hi; /* newest generation posted */
	uint64_t zero_gen; /* zeros legal while gen_lo <= zero_gen */
	uint64_t counter; /* header counter after completed atomics */
	bool counter_known;
	bool in_flight; /* an operation is posted and not completed */
	double t_posted; /* when gen_hi was posted (monotonic seconds) */
	double t_lo; /* when gen_lo was posted: damage came after this */
};

struct shadow {
	size_t len, block_size, n_blocks;
	struct shadow_block *b;
	pthread_mutex_t lock;
};

int shadow_init(struct shadow *s, size_t len, size_t block_size);
void shadow_free(struct shadow *s);

/* A write of the next generation is posted to blk: returns that generation. */
uint64_t shadow_post_write(struct shadow *s, size_t blk);
/* It completed (ok) or failed (!ok: its data may or may not be there). */
void shadow_complete_write(struct shadow *s, size_t blk, uint64_t gen, bool ok);

/* An atomic on blk's counter is posted / completed. */
void shadow_post_atomic(struct shadow *s, size_t blk);
void shadow_complete_atomic(struct shadow *s, size_t blk, bool ok);

/*
 * Bytes [off, off+len) of the file may become zero from now on (truncate,
 * punch, zero range). Called before the operation starts.
 */
void shadow_zero_range(struct shadow *s, uint64_t off, uint64_t len);

/*
 * What blk may hold through a view. file_view: the view reaches the file's
 * pages (CPU mapping, pread, disk) rather than the pages the MR pinned, so
 * truncate and punch zeros apply to it. An MR that follows the page tables
 * (ODP) is a file view too. The counter is checked only when it is known
 * and no operation on the block is in flight.
 */
void shadow_expect(struct shadow *s, size_t blk, bool file_view,
		   struct block_expect *x);

#endif
