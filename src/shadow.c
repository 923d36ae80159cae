// SPDX-License-Identifier: GPL-2.0-or-later
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fault.h"
#include "clock.h"
#include "shadow.h"

int shadow_init(struct shadow *s, size_t len, size_t block_size)
{
	int err;

	memset(s, 0, sizeof(*s));
	if (block_size < BLOCK_MIN_SIZE || block_size % BLOCK_CHUNK ||
	    block_size > UINT32_MAX || !len || len % block_size)
		return -EINVAL;
	s->b = mrs_calloc(len / block_size, sizeof(*s->b));
	if (!s->b)
		return -ENOMEM;
	err = pthread_mutex_init(&s->lock, NULL);
	if (err) {
		free(s->b);
		s->b = NULL;
		return -err;
	}
	s->len = len;
	s->block_size = block_size;
	s->n_blocks = len / block_size;
	for (size_t i = 0; i < s->n_blocks; i++)
		s->b[i].counter_known = true;
	return 0;
}

void shadow_free(struct shadow *s)
{
	if (!s->b)
		return;
	pthread_mutex_destroy(&s->lock);
	free(s->b);
	memset(s, 0, sizeof(*s));
}

static struct shadow_block *lock_block(struct shadow *s, size_t blk)
{
	assert(blk < s->n_blocks);
	pthread_mutex_lock(&s->lock);
	return &s->b[blk];
}

uint64_t shadow_post_write(struct shadow *s, size_t blk)
{
	struct shadow_block *b = lock_block(s, blk);
	uint64_t gen = ++b->gen_hi;

	b->in_flight = true;
	b->t_posted = mono_now();
	pthread_mutex_unlock(&s->lock);
	return gen;
}

void shadow_complete_write(struct shadow *s, size_t blk, uint64_t gen, bool ok)
{
	struct shadow_block *b = lock_block(s, blk);

	b->in_flight = false;
	if (ok) {
		/* Generations only move forward, whatever completes last. */
		if (gen > b->gen_lo) {
			b->gen_lo = gen;
			if (gen == b->gen_hi)
				b->t_lo = b->t_posted;
		}
		if (gen > b->gen_hi)
			b->gen_hi = gen;
		b->counter = 0;
		b->counter_known = true;
	} else {
		/* The header, counter 0, may or may not have landed. */
		b->counter_known = false;
	}
	pthread_mutex_unlock(&s->lock);
}

void shadow_post_atomic(struct shadow *s, size_t blk)
{
	struct shadow_block *b = lock_block(s, blk);

	b->in_flight = true;
	pthread_mutex_unlock(&s->lock);
}

void shadow_complete_atomic(struct shadow *s, size_t blk, bool ok)
{
	struct shadow_block *b = lock_block(s, blk);

	b->in_flight = false;
	if (ok)
		b->counter++;
	else
		b->counter_known = false;
	pthread_mutex_unlock(&s->lock);
}

void shadow_zero_range(struct shadow *s, uint64_t off, uint64_t len)
{
	uint64_t end, first, last;

	if (!len || !s->block_size || off >= s->len)
		return;
	/* Clamped: a truncate may pass "everything from off". */
	end = len > s->len - off ? s->len : off + len;
	first = off / s->block_size;
	last = (end - 1) / s->block_size;
	pthread_mutex_lock(&s->lock);
	for (uint64_t i = first; i <= last; i++)
		s->b[i].zero_gen = s->b[i].gen_hi;
	pthread_mutex_unlock(&s->lock);
}

void shadow_expect(struct shadow *s, size_t blk, bool file_view,
		   struct block_expect *x)
{
	const struct shadow_block *b = lock_block(s, blk);

	*x = (struct block_expect){
		.gen_lo = b->gen_lo,
		.gen_hi = b->gen_hi,
		/* gen_lo 0: never written for sure, the initial zeros. */
		.zero_ok = !b->gen_lo ||
			   (file_view && b->zero_gen >= b->gen_lo),
		/* An atomic in flight may or may not have added one. */
		.check_counter = b->counter_known && !b->in_flight,
		.counter = b->counter,
		.t_since = b->t_lo,
	};
	pthread_mutex_unlock(&s->lock);
}
