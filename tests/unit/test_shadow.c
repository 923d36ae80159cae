// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "shadow.h"
#include "verify.h"

#define BS 4096

static struct block_expect expect(struct shadow *s, size_t blk, bool file)
{
	struct block_expect x;

	memset(&x, 0x5a, sizeof(x));
	shadow_expect(s, blk, file, &x);
	return x;
}

static void assert_range(struct shadow *s, size_t blk, uint64_t lo, uint64_t hi)
{
	struct block_expect x = expect(s, blk, false);

	assert_int_equal(x.gen_lo, lo);
	assert_int_equal(x.gen_hi, hi);
	x = expect(s, blk, true);
	assert_int_equal(x.gen_lo, lo);
	assert_int_equal(x.gen_hi, hi);
}

static bool zero_ok(struct shadow *s, size_t blk, bool file)
{
	return expect(s, blk, file).zero_ok;
}

static void write_ok(struct shadow *s, size_t blk)
{
	shadow_complete_write(s, blk, shadow_post_write(s, blk), true);
}

static void init_rejects_bad_geometry(void **state)
{
	struct shadow s;

	(void)state;
	assert_int_equal(shadow_init(&s, 4096, 64), -EINVAL);
	assert_int_equal(shadow_init(&s, 4096, 0), -EINVAL);
	assert_int_equal(shadow_init(&s, 4000, 100), -EINVAL);
	assert_int_equal(shadow_init(&s, 4096 + 128, 4096), -EINVAL);
	assert_int_equal(shadow_init(&s, 0, 4096), -EINVAL);
	assert_int_equal(shadow_init(&s, 1ull << 34, 1ull << 33), -EINVAL);
	assert_null(s.b);
	/* Multiples of the chunk that are not powers of two are fine. */
	assert_int_equal(shadow_init(&s, 192 * 5, 192), 0);
	assert_int_equal(s.n_blocks, 5);
	shadow_free(&s);
	assert_null(s.b);
	shadow_free(&s);
}

static void fresh_blocks_hold_zeros(void **state)
{
	struct shadow s;
	struct block_expect x;

	(void)state;
	assert_int_equal(shadow_init(&s, 4 * BS, BS), 0);
	assert_int_equal(s.n_blocks, 4);
	assert_int_equal(s.len, 4 * BS);
	assert_int_equal(s.block_size, BS);
	for (size_t i = 0; i < 4; i++) {
		for (int file = 0; file < 2; file++) {
			x = expect(&s, i, file);
			assert_int_equal(x.gen_lo, 0);
			assert_int_equal(x.gen_hi, 0);
			assert_true(x.zero_ok);
			assert_true(x.check_counter);
			assert_int_equal(x.counter, 0);
		}
	}
	shadow_free(&s);
}

static void writes_complete_and_fail(void **state)
{
	struct shadow s;
	uint64_t g;

	(void)state;
	assert_int_equal(shadow_init(&s, 4 * BS, BS), 0);
	g = shadow_post_write(&s, 1);
	assert_int_equal(g, 1);
	/* In flight: zeros or generation 1, in either view. */
	assert_range(&s, 1, 0, 1);
	assert_true(zero_ok(&s, 1, false));
	assert_true(zero_ok(&s, 1, true));
	assert_false(expect(&s, 1, false).check_counter);
	shadow_complete_write(&s, 1, g, true);
	assert_range(&s, 1, 1, 1);
	assert_false(zero_ok(&s, 1, false));
	assert_false(zero_ok(&s, 1, true));
	assert_true(expect(&s, 1, false).check_counter);
	/* Other blocks untouched. */
	assert_range(&s, 0, 0, 0);
	assert_range(&s, 2, 0, 0);

	/* A failed write leaves both generations possible. */
	g = shadow_post_write(&s, 1);
	assert_int_equal(g, 2);
	shadow_complete_write(&s, 1, g, false);
	assert_range(&s, 1, 1, 2);
	assert_false(expect(&s, 1, false).check_counter);
	g = shadow_post_write(&s, 1);
	assert_int_equal(g, 3);
	shadow_complete_write(&s, 1, g, false);
	assert_range(&s, 1, 1, 3);
	g = shadow_post_write(&s, 1);
	shadow_complete_write(&s, 1, g, true);
	assert_range(&s, 1, 4, 4);
	assert_true(expect(&s, 1, false).check_counter);
	assert_int_equal(expect(&s, 1, false).counter, 0);

	/* A failed first write: the initial zeros stay legal. */
	g = shadow_post_write(&s, 3);
	shadow_complete_write(&s, 3, g, false);
	assert_range(&s, 3, 0, 1);
	assert_true(zero_ok(&s, 3, false));
	shadow_free(&s);
}

static void zeros_legal_only_for_earlier_writes(void **state)
{
	struct shadow s;
	uint64_t g;

	(void)state;
	assert_int_equal(shadow_init(&s, 4 * BS, BS), 0);
	write_ok(&s, 0);
	assert_false(zero_ok(&s, 0, true));
	shadow_zero_range(&s, 0, BS);
	assert_true(zero_ok(&s, 0, true));
	/* The MR's own pages are not punched. */
	assert_false(zero_ok(&s, 0, false));

	/* A write posted after the punch: zeros legal until it completes. */
	g = shadow_post_write(&s, 0);
	assert_true(zero_ok(&s, 0, true));
	shadow_complete_write(&s, 0, g, false);
	assert_true(zero_ok(&s, 0, true));
	g = shadow_post_write(&s, 0);
	shadow_complete_write(&s, 0, g, true);
	assert_false(zero_ok(&s, 0, true));
	assert_false(zero_ok(&s, 0, false));

	/* A write in flight across the punch may land before it. */
	g = shadow_post_write(&s, 0);
	shadow_zero_range(&s, 0, 1);
	shadow_complete_write(&s, 0, g, true);
	assert_true(zero_ok(&s, 0, true));
	assert_false(zero_ok(&s, 0, false));
	write_ok(&s, 0);
	assert_false(zero_ok(&s, 0, true));
	shadow_free(&s);
}

static void zero_range_partial_overlap(void **state)
{
	struct shadow s;

	(void)state;
	assert_int_equal(shadow_init(&s, 4 * BS, BS), 0);
	for (size_t i = 0; i < 4; i++)
		write_ok(&s, i);

	/* One byte into block 1 through one byte into block 2. */
	shadow_zero_range(&s, 2 * BS - 1, 2);
	assert_false(zero_ok(&s, 0, true));
	assert_true(zero_ok(&s, 1, true));
	assert_true(zero_ok(&s, 2, true));
	assert_false(zero_ok(&s, 3, true));
	/* Nothing, and past the end: no effect. */
	shadow_zero_range(&s, 0, 0);
	shadow_zero_range(&s, 4 * BS, BS);
	assert_false(zero_ok(&s, 0, true));
	assert_false(zero_ok(&s, 3, true));
	/* A truncate: everything from an offset, clamped to the region. */
	shadow_zero_range(&s, 3 * BS + 100, UINT64_MAX);
	assert_false(zero_ok(&s, 0, true));
	assert_true(zero_ok(&s, 3, true));
	/* The block ends are exclusive: [BS, 2 BS) is block 1 only. */
	for (size_t i = 0; i < 4; i++)
		write_ok(&s, i);
	shadow_zero_range(&s, BS, BS);
	assert_false(zero_ok(&s, 0, true));
	assert_true(zero_ok(&s, 1, true));
	assert_false(zero_ok(&s, 2, true));
	shadow_free(&s);
}

static void atomics_track_the_counter(void **state)
{
	struct shadow s;
	struct block_expect x;

	(void)state;
	assert_int_equal(shadow_init(&s, 2 * BS, BS), 0);
	write_ok(&s, 0);
	shadow_post_atomic(&s, 0);
	x = expect(&s, 0, false);
	assert_false(x.check_counter);
	assert_range(&s, 0, 1, 1);
	shadow_complete_atomic(&s, 0, true);
	x = expect(&s, 0, false);
	assert_true(x.check_counter);
	assert_int_equal(x.counter, 1);
	shadow_post_atomic(&s, 0);
	shadow_complete_atomic(&s, 0, true);
	assert_int_equal(expect(&s, 0, true).counter, 2);
	/* A failed atomic may or may not have added one. */
	shadow_post_atomic(&s, 0);
	shadow_complete_atomic(&s, 0, false);
	assert_false(expect(&s, 0, false).check_counter);
	shadow_post_atomic(&s, 0);
	shadow_complete_atomic(&s, 0, true);
	assert_false(expect(&s, 0, false).check_counter);
	/* A completed write rewrites the header: counter 0, known again. */
	write_ok(&s, 0);
	x = expect(&s, 0, false);
	assert_true(x.check_counter);
	assert_int_equal(x.counter, 0);
	assert_range(&s, 0, 2, 2);
	/* Atomics do not move generations, and block 1 saw none. */
	assert_int_equal(expect(&s, 1, false).counter, 0);
	assert_true(expect(&s, 1, false).check_counter);
	shadow_free(&s);
}

/* Shadow and verifier together: a block read through each view. */
static void views_with_and_without_a_punch(void **state)
{
	struct block_key k = { .mr_id = 1, .block_size = BS, .seed = 5 };
	uint8_t *data = malloc(BS), *zeros = calloc(1, BS);
	struct block_verdict mr, file;
	struct block_expect x;
	struct shadow s;
	uint64_t g;

	(void)state;
	assert_non_null(data);
	assert_non_null(zeros);
	assert_int_equal(shadow_init(&s, 2 * BS, BS), 0);
	g = shadow_post_write(&s, 0);
	block_fill(data, &k, g);
	shadow_complete_write(&s, 0, g, true);
	x = expect(&s, 0, false);
	block_verify(data, &k, &x, &mr);
	assert_int_equal(mr.state, BLOCK_OK);
	/* No punch: a file that reads zeros lost the MR's write. */
	x = expect(&s, 0, true);
	block_verify(zeros, &k, &x, &file);
	assert_int_equal(file.state, BLOCK_ZEROED);
	assert_true(block_detached(&mr, &file));

	/* Punched: zeros are legal in the file, never in the MR's pages. */
	shadow_zero_range(&s, 0, 2 * BS);
	x = expect(&s, 0, true);
	block_verify(zeros, &k, &x, &file);
	assert_int_equal(file.state, BLOCK_OK);
	assert_false(block_detached(&mr, &file));
	x = expect(&s, 0, false);
	block_verify(zeros, &k, &x, &mr);
	assert_int_equal(mr.state, BLOCK_ZEROED);

	/* Written again after the punch: zeros are lost data in any view. */
	g = shadow_post_write(&s, 0);
	shadow_complete_write(&s, 0, g, true);
	x = expect(&s, 0, true);
	block_verify(zeros, &k, &x, &file);
	assert_int_equal(file.state, BLOCK_ZEROED);
	/* And the old generation is stale there. */
	block_verify(data, &k, &x, &file);
	assert_int_equal(file.state, BLOCK_STALE);
	shadow_free(&s);
	free(data);
	free(zeros);
}

struct writer {
	struct shadow *s;
	size_t blk;
};

static void *writer_thread(void *arg)
{
	struct writer *w = arg;

	for (int i = 0; i < 1000; i++)
		write_ok(w->s, w->blk);
	return NULL;
}

static void concurrent_owners_and_punches(void **state)
{
	struct shadow s;
	struct writer w[3];
	pthread_t t[3];

	(void)state;
	assert_int_equal(shadow_init(&s, 3 * BS, BS), 0);
	for (size_t i = 0; i < 3; i++) {
		w[i] = (struct writer){ .s = &s, .blk = i };
		assert_int_equal(
			pthread_create(&t[i], NULL, writer_thread, &w[i]), 0);
	}
	for (int i = 0; i < 1000; i++)
		shadow_zero_range(&s, 0, 3 * BS);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	for (size_t i = 0; i < 3; i++) {
		assert_range(&s, i, 1000, 1000);
		assert_true(s.b[i].zero_gen <= 1000);
	}
	shadow_zero_range(&s, 0, 3 * BS);
	assert_true(zero_ok(&s, 2, true));
	shadow_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(init_rejects_bad_geometry),
		cmocka_unit_test(fresh_blocks_hold_zeros),
		cmocka_unit_test(writes_complete_and_fail),
		cmocka_unit_test(zeros_legal_only_for_earlier_writes),
		cmocka_unit_test(zero_range_partial_overlap),
		cmocka_unit_test(atomics_track_the_counter),
		cmocka_unit_test(views_with_and_without_a_punch),
		cmocka_unit_test(concurrent_owners_and_punches),
	};

	return cmocka_run_group_tests_name("shadow", tests, NULL, NULL);
}
