// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "verify.h"

#define MIB (1u << 20)

static struct block_key key_of(uint32_t block_size)
{
	return (struct block_key){
		.mr_id = 7,
		.block_size = block_size,
		.offset = 3ull * block_size,
		.seed = 0x1234abcd,
	};
}

static struct block_expect exact(uint64_t lo, uint64_t hi)
{
	return (struct block_expect){ .gen_lo = lo, .gen_hi = hi };
}

static uint8_t *fill_new(const struct block_key *k, uint64_t gen)
{
	uint8_t *p = malloc(k->block_size);

	assert_non_null(p);
	block_fill(p, k, gen);
	return p;
}

/* Naive first_bad/bad_len: byte by byte against gen_hi with counter fixed. */
static void naive_diff(const uint8_t *buf, const struct block_key *k,
		       const struct block_expect *x, uint32_t *first,
		       uint32_t *len)
{
	uint8_t *want = fill_new(k, x->gen_hi);
	size_t a = SIZE_MAX, b = 0;

	if (x->gen_hi) {
		uint64_t c;

		if (x->check_counter)
			c = x->counter;
		else
			memcpy(&c, buf + offsetof(struct block_header, counter),
			       sizeof(c));
		memcpy(want + offsetof(struct block_header, counter), &c,
		       sizeof(c));
	}
	for (size_t i = 0; i < k->block_size; i++) {
		if (buf[i] == want[i])
			continue;
		if (a == SIZE_MAX)
			a = i;
		b = i;
	}
	*first = a == SIZE_MAX ? 0 : (uint32_t)a;
	*len = a == SIZE_MAX ? 0 : (uint32_t)(b - a + 1);
	free(want);
}

static struct block_verdict verify(const uint8_t *buf,
				   const struct block_key *k,
				   const struct block_expect *x)
{
	struct block_verdict v;
	uint32_t first, len;

	memset(&v, 0x5a, sizeof(v));
	block_verify(buf, k, x, &v);
	naive_diff(buf, k, x, &first, &len);
	assert_int_equal(v.first_bad, first);
	assert_int_equal(v.bad_len, len);
	assert_true(strlen(v.detail) > 0);
	assert_true(strlen(v.detail) < sizeof(v.detail));
	return v;
}

static void header_round_trip(void **state)
{
	struct block_key k = key_of(4096);
	uint8_t *p = fill_new(&k, 3);
	struct block_header h;

	(void)state;
	memcpy(&h, p, sizeof(h));
	assert_true(h.magic == BLOCK_MAGIC);
	assert_memory_equal(p, "MRSMBLK", 7);
	assert_int_equal(h.mr_id, 7);
	assert_int_equal(h.block_size, 4096);
	assert_int_equal(h.offset, 3 * 4096);
	assert_int_equal(h.generation, 3);
	assert_int_equal(h.seed, 0x1234abcd);
	assert_int_equal(h.counter, 0);
	assert_int_equal(h.reserved, 0);
	assert_true(h.checksum == block_header_checksum(&h));
	/* The counter and the checksum field itself are not checksummed. */
	h.counter = 99;
	h.checksum ^= 1;
	assert_true((h.checksum ^ 1) == block_header_checksum(&h));
	free(p);
}

static void header_bit_flips_invalidate(void **state)
{
	struct block_key k = key_of(4096);
	struct block_expect x = exact(3, 3);
	uint8_t *p = fill_new(&k, 3);
	const size_t c0 = offsetof(struct block_header, counter);
	struct block_verdict v;

	(void)state;
	for (size_t bit = 0; bit < BLOCK_HEADER_SIZE * 8; bit++) {
		size_t byte = bit / 8;
		bool in_counter = byte >= c0 && byte < c0 + 8;

		p[byte] ^= (uint8_t)(1u << (bit % 8));
		block_verify(p, &k, &x, &v);
		assert_int_equal(v.header_valid, in_counter);
		if (in_counter) {
			assert_int_equal(v.state, BLOCK_OK);
		} else {
			assert_int_equal(v.state, BLOCK_GARBAGE);
			assert_int_equal(v.first_bad, byte);
			assert_int_equal(v.bad_len, 1);
		}
		p[byte] ^= (uint8_t)(1u << (bit % 8));
	}
	block_verify(p, &k, &x, &v);
	assert_int_equal(v.state, BLOCK_OK);
	free(p);
}

static void payload_depends_on_every_input(void **state)
{
	struct block_key k = key_of(4096), o;
	uint8_t *a = fill_new(&k, 5), *b = fill_new(&k, 5);
	const size_t plen = 4096 - BLOCK_HEADER_SIZE;

	(void)state;
	assert_memory_equal(a, b, 4096);
	block_fill(b, &k, 6);
	assert_memory_not_equal(a + 64, b + 64, plen);
	o = k;
	o.seed++;
	block_fill(b, &o, 5);
	assert_memory_not_equal(a + 64, b + 64, plen);
	o = k;
	o.mr_id++;
	block_fill(b, &o, 5);
	assert_memory_not_equal(a + 64, b + 64, plen);
	o = k;
	o.offset += 4096;
	block_fill(b, &o, 5);
	assert_memory_not_equal(a + 64, b + 64, plen);
	/*
	 * No two chunks of one block alike: the stream does not repeat.
	 * Payload chunk 1 against chunks 2..63, the last of the 4096 bytes.
	 */
	for (size_t j = 2; j < 64; j++)
		assert_memory_not_equal(a + 64, a + 64 * j, 64);
	/* Generation 0 is the initial content: zeros. */
	block_fill(b, &k, 0);
	memset(a, 0, 4096);
	assert_memory_equal(a, b, 4096);
	free(a);
	free(b);
}

/* A larger block starts with the same bytes as a smaller one. */
static void payload_is_a_stream(void **state)
{
	struct block_key k = key_of(4096), big = key_of(8192);
	uint8_t *a, *b;

	(void)state;
	big.offset = k.offset;
	a = fill_new(&k, 2);
	b = fill_new(&big, 2);
	assert_memory_equal(a + 64, b + 64, 4096 - 64);
	free(a);
	free(b);
}

static void names_are_stable(void **state)
{
	(void)state;
	assert_string_equal(block_state_name(BLOCK_OK), "ok");
	assert_string_equal(block_state_name(BLOCK_ZEROED), "zeroed");
	assert_string_equal(block_state_name(BLOCK_STALE), "stale");
	assert_string_equal(block_state_name(BLOCK_MISPLACED), "misplaced");
	assert_string_equal(block_state_name(BLOCK_TORN), "torn");
	assert_string_equal(block_state_name(BLOCK_GARBAGE), "garbage");
}

static const uint32_t sizes[] = { 128, 4096, MIB };
#define N_SIZES (sizeof(sizes) / sizeof(sizes[0]))

static void ok_in_every_size(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_SIZES; i++) {
		struct block_key k = key_of(sizes[i]);
		struct block_expect x = exact(5, 5);
		uint8_t *p = fill_new(&k, 5);
		struct block_verdict v = verify(p, &k, &x);

		assert_int_equal(v.state, BLOCK_OK);
		assert_true(v.header_valid);
		assert_int_equal(v.found_gen, 5);
		assert_int_equal(v.found_mr_id, 7);
		assert_int_equal(v.found_offset, k.offset);
		assert_int_equal(v.found_counter, 0);
		assert_int_equal(v.bad_len, 0);
		/* Any legal generation: the range 4-5 after a failed write. */
		block_fill(p, &k, 4);
		x = exact(4, 5);
		v = verify(p, &k, &x);
		assert_int_equal(v.state, BLOCK_OK);
		assert_int_equal(v.found_gen, 4);
		assert_true(v.bad_len > 0);
		free(p);
	}
}

static void zeros(void **state)
{
	struct block_key k = key_of(4096);
	struct block_expect x = exact(5, 5);
	uint8_t *p = fill_new(&k, 0);
	struct block_verdict v;

	(void)state;
	v = verify(p, &k, &x);
	assert_int_equal(v.state, BLOCK_ZEROED);
	assert_false(v.header_valid);
	assert_int_equal(v.first_bad, 0);
	assert_true(v.bad_len > 4000);
	assert_string_equal(v.detail, "all zero");
	x.zero_ok = true;
	assert_int_equal(verify(p, &k, &x).state, BLOCK_OK);
	/* Never written: generation 0 is legal and zeros are its content. */
	x = exact(0, 0);
	x.zero_ok = true;
	v = verify(p, &k, &x);
	assert_int_equal(v.state, BLOCK_OK);
	assert_int_equal(v.bad_len, 0);
	free(p);
}

static void stale(void **state)
{
	struct block_key k = key_of(4096);
	struct block_expect x = exact(5, 6);
	uint8_t *p = fill_new(&k, 3);
	struct block_verdict v;

	(void)state;
	v = verify(p, &k, &x);
	assert_int_equal(v.state, BLOCK_STALE);
	assert_int_equal(v.found_gen, 3);
	/* Stale even far older than the chunk candidates reach. */
	x = exact(50, 50);
	assert_int_equal(verify(p, &k, &x).state, BLOCK_STALE);
	/* A stale block where zeros are legal is still stale. */
	x.zero_ok = true;
	assert_int_equal(verify(p, &k, &x).state, BLOCK_STALE);
	free(p);
}

static void misplaced(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_SIZES; i++) {
		struct block_key k = key_of(sizes[i]), o = k;
		struct block_expect x = exact(2, 2);
		uint8_t *p;
		struct block_verdict v;

		o.offset += o.block_size;
		p = fill_new(&o, 2);
		v = verify(p, &k, &x);
		assert_int_equal(v.state, BLOCK_MISPLACED);
		assert_true(v.header_valid);
		assert_int_equal(v.found_offset, o.offset);
		assert_non_null(strstr(v.detail, "offset"));
		o = k;
		o.mr_id = 9;
		block_fill(p, &o, 8);
		v = verify(p, &k, &x);
		assert_int_equal(v.state, BLOCK_MISPLACED);
		assert_int_equal(v.found_mr_id, 9);
		assert_int_equal(v.found_gen, 8);
		/* A header for elsewhere over a payload of nothing known. */
		p[k.block_size - 1] ^= 1;
		assert_int_equal(verify(p, &k, &x).state, BLOCK_GARBAGE);
		free(p);
	}
}

static void misplaced_needs_the_same_block_size(void **state)
{
	struct block_key k = key_of(4096), o = key_of(128);
	struct block_expect x = exact(1, 1);
	uint8_t *p = fill_new(&k, 0);

	(void)state;
	block_fill(p, &o, 1);
	assert_int_equal(verify(p, &k, &x).state, BLOCK_GARBAGE);
	free(p);
}

/* Bytes [from, to) of p replaced by the same bytes of generation gen. */
static void splice(uint8_t *p, const struct block_key *k, uint64_t gen,
		   size_t from, size_t to)
{
	uint8_t *src = fill_new(k, gen);

	memcpy(p + from, src + from, to - from);
	free(src);
}

static void torn_halves(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_SIZES; i++) {
		struct block_key k = key_of(sizes[i]);
		struct block_expect x = exact(5, 5);
		size_t half = k.block_size / 2;
		uint8_t *p = fill_new(&k, 5);
		struct block_verdict v;

		splice(p, &k, 4, half, k.block_size);
		v = verify(p, &k, &x);
		assert_int_equal(v.state, BLOCK_TORN);
		assert_int_equal(v.found_gen, 5);
		assert_int_equal(v.first_bad, half);
		assert_non_null(strstr(v.detail, "gen 4"));
		/* Two legal generations mixed are torn too. */
		x = exact(4, 5);
		assert_int_equal(verify(p, &k, &x).state, BLOCK_TORN);
		x.zero_ok = true;
		assert_int_equal(verify(p, &k, &x).state, BLOCK_TORN);
		free(p);
	}
}

static void torn_detail_names_bytes(void **state)
{
	struct block_key k = key_of(4096);
	struct block_expect x = exact(5, 5);
	uint8_t *p = fill_new(&k, 5);
	struct block_verdict v;

	(void)state;
	splice(p, &k, 4, 2048, 4096);
	v = verify(p, &k, &x);
	assert_string_equal(v.detail,
			    "header gen 5, bytes 2048-4095 hold gen 4");
	free(p);
}

static void torn_header_zeroed(void **state)
{
	struct block_key k = key_of(4096);
	struct block_expect x = exact(5, 5);
	uint8_t *p = fill_new(&k, 5);
	struct block_verdict v;

	(void)state;
	memset(p, 0, BLOCK_HEADER_SIZE);
	v = verify(p, &k, &x);
	assert_int_equal(v.state, BLOCK_TORN);
	assert_false(v.header_valid);
	assert_int_equal(v.first_bad, 0);
	assert_non_null(strstr(v.detail, "header zero"));
	/* A punch of the first page of a big block may do exactly this. */
	x.zero_ok = true;
	assert_int_equal(verify(p, &k, &x).state, BLOCK_OK);
	free(p);
}

static void torn_zero_tail(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_SIZES; i++) {
		struct block_key k = key_of(sizes[i]);
		struct block_expect x = exact(5, 5);
		size_t cut = k.block_size - BLOCK_CHUNK;
		uint8_t *p = fill_new(&k, 5);
		struct block_verdict v;

		if (k.block_size > 4096)
			cut = 4096;
		memset(p + cut, 0, k.block_size - cut);
		v = verify(p, &k, &x);
		assert_int_equal(v.state, BLOCK_TORN);
		assert_int_equal(v.first_bad, cut);
		x.zero_ok = true;
		v = verify(p, &k, &x);
		assert_int_equal(v.state, BLOCK_OK);
		assert_int_equal(v.found_gen, 5);
		/* Zeros are legal, an older generation beside them is not. */
		x = exact(6, 6);
		x.zero_ok = true;
		assert_int_equal(verify(p, &k, &x).state, BLOCK_TORN);
		free(p);
	}
}

static void torn_reaches_older_generations(void **state)
{
	struct block_key k = key_of(4096);
	struct block_expect x = exact(10, 10);
	uint8_t *p = fill_new(&k, 10);

	(void)state;
	splice(p, &k, 10 - BLOCK_OLDER_GENS, 1024, 2048);
	assert_int_equal(verify(p, &k, &x).state, BLOCK_TORN);
	/* One generation further back is out of reach: unknown bytes. */
	splice(p, &k, 10 - BLOCK_OLDER_GENS - 1, 1024, 2048);
	assert_int_equal(verify(p, &k, &x).state, BLOCK_GARBAGE);
	free(p);
}

static void garbage_random(void **state)
{
	(void)state;
	srand(1);
	for (size_t i = 0; i < N_SIZES; i++) {
		struct block_key k = key_of(sizes[i]);
		struct block_expect x = exact(3, 3);
		uint8_t *p = fill_new(&k, 0);
		struct block_verdict v;

		for (size_t b = 0; b < k.block_size; b++)
			p[b] = (uint8_t)rand();
		v = verify(p, &k, &x);
		assert_int_equal(v.state, BLOCK_GARBAGE);
		assert_false(v.header_valid);
		x.zero_ok = true;
		assert_int_equal(verify(p, &k, &x).state, BLOCK_GARBAGE);
		free(p);
	}
}

static void garbage_one_chunk(void **state)
{
	struct block_key k = key_of(4096);
	struct block_expect x = exact(5, 5);
	uint8_t *p = fill_new(&k, 5);
	struct block_verdict v;

	(void)state;
	memset(p + 3 * 64, 0xaa, 64);
	v = verify(p, &k, &x);
	assert_int_equal(v.state, BLOCK_GARBAGE);
	assert_true(v.header_valid);
	assert_non_null(strstr(v.detail, "1 of 63"));
	x.zero_ok = true;
	assert_int_equal(verify(p, &k, &x).state, BLOCK_GARBAGE);
	free(p);
}

static void garbage_bad_checksum(void **state)
{
	struct block_key k = key_of(4096);
	struct block_expect x = exact(5, 5);
	uint8_t *p = fill_new(&k, 5);
	struct block_header h;
	struct block_verdict v;

	(void)state;
	memcpy(&h, p, sizeof(h));
	h.checksum++;
	memcpy(p, &h, sizeof(h));
	v = verify(p, &k, &x);
	assert_int_equal(v.state, BLOCK_GARBAGE);
	assert_false(v.header_valid);
	assert_int_equal(v.found_gen, 0);
	assert_non_null(strstr(v.detail, "checksum"));
	assert_int_equal(v.first_bad, offsetof(struct block_header, checksum));
	free(p);
}

static void garbage_newer_than_posted(void **state)
{
	struct block_key k = key_of(4096);
	struct block_expect x = exact(5, 7);
	uint8_t *p = fill_new(&k, 9);
	struct block_verdict v;

	(void)state;
	v = verify(p, &k, &x);
	assert_int_equal(v.state, BLOCK_GARBAGE);
	assert_true(v.header_valid);
	assert_int_equal(v.found_gen, 9);
	assert_string_equal(v.detail, "generation 9 newer than any posted (7)");
	/* Mixed with a legal one it is no better. */
	splice(p, &k, 7, 1024, 4096);
	v = verify(p, &k, &x);
	assert_int_equal(v.state, BLOCK_GARBAGE);
	assert_non_null(strstr(v.detail, "newer"));
	free(p);
}

static void header_generation_zero_is_garbage(void **state)
{
	struct block_key k = key_of(128);
	struct block_expect x = exact(0, 0);
	uint8_t *p = fill_new(&k, 0);
	struct block_header h = {
		.magic = BLOCK_MAGIC,
		.mr_id = k.mr_id,
		.block_size = k.block_size,
		.offset = k.offset,
		.seed = k.seed,
	};

	(void)state;
	x.zero_ok = true;
	h.checksum = block_header_checksum(&h);
	memcpy(p, &h, sizeof(h));
	assert_int_equal(verify(p, &k, &x).state, BLOCK_GARBAGE);
	free(p);
}

static void set_counter(uint8_t *p, uint64_t c)
{
	memcpy(p + offsetof(struct block_header, counter), &c, sizeof(c));
}

static void counter_checks(void **state)
{
	struct block_key k = key_of(4096);
	struct block_expect x = exact(5, 5);
	uint8_t *p = fill_new(&k, 5);
	struct block_verdict v;

	(void)state;
	set_counter(p, 3);
	v = verify(p, &k, &x);
	assert_int_equal(v.state, BLOCK_OK);
	assert_int_equal(v.found_counter, 3);
	assert_int_equal(v.bad_len, 0);
	x.check_counter = true;
	x.counter = 3;
	v = verify(p, &k, &x);
	assert_int_equal(v.state, BLOCK_OK);
	assert_int_equal(v.bad_len, 0);
	x.counter = 4;
	v = verify(p, &k, &x);
	assert_int_equal(v.state, BLOCK_STALE);
	assert_non_null(strstr(v.detail, "counter"));
	assert_int_equal(v.first_bad, offsetof(struct block_header, counter));
	x.counter = 2;
	v = verify(p, &k, &x);
	assert_int_equal(v.state, BLOCK_GARBAGE);
	assert_non_null(strstr(v.detail, "counter"));
	/* A truncated block keeps its header: the counter still counts. */
	x.zero_ok = true;
	memset(p + 2048, 0, 2048);
	assert_int_equal(verify(p, &k, &x).state, BLOCK_GARBAGE);
	x.counter = 3;
	assert_int_equal(verify(p, &k, &x).state, BLOCK_OK);
	free(p);
}

static void first_bad_is_exact(void **state)
{
	struct block_key k = key_of(MIB);
	struct block_expect x = exact(5, 5);
	uint8_t *p = fill_new(&k, 5);
	struct block_verdict v;

	(void)state;
	p[1000] ^= 0xff;
	v = verify(p, &k, &x);
	assert_int_equal(v.state, BLOCK_GARBAGE);
	assert_int_equal(v.first_bad, 1000);
	assert_int_equal(v.bad_len, 1);
	p[300000] ^= 0x01;
	p[300007] ^= 0x80;
	v = verify(p, &k, &x);
	assert_int_equal(v.first_bad, 1000);
	assert_int_equal(v.bad_len, 300007 - 1000 + 1);
	p[1000] ^= 0xff;
	v = verify(p, &k, &x);
	assert_int_equal(v.first_bad, 300000);
	assert_int_equal(v.bad_len, 8);
	assert_non_null(strstr(v.detail, "first at byte 299968"));
	free(p);
}

static void detached_truth_table(void **state)
{
	struct block_verdict mr, file;

	(void)state;
	memset(&mr, 0, sizeof(mr));
	memset(&file, 0, sizeof(file));
	for (int a = BLOCK_OK; a <= BLOCK_GARBAGE; a++) {
		for (int b = BLOCK_OK; b <= BLOCK_GARBAGE; b++) {
			bool want = a == BLOCK_OK &&
				    (b == BLOCK_ZEROED || b == BLOCK_STALE);

			mr.state = (enum block_state)a;
			file.state = (enum block_state)b;
			assert_int_equal(block_detached(&mr, &file), want);
		}
	}
}

/*
 * The one-pass check of a block holding the newest generation (the common
 * case) reports what the full classification does, and any one flipped
 * bit, in any word of the block, sends it to the full classification.
 */
static void newest_fast_path(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_SIZES; i++) {
		struct block_key k = key_of(sizes[i]);
		struct block_expect x = exact(3, 6);
		uint8_t *p = fill_new(&k, 6);
		struct block_verdict v = verify(p, &k, &x);

		assert_int_equal(v.state, BLOCK_OK);
		assert_true(v.header_valid);
		assert_int_equal(v.found_gen, 6);
		assert_int_equal(v.found_mr_id, k.mr_id);
		assert_int_equal(v.found_offset, k.offset);
		assert_int_equal(v.bad_len, 0);
		assert_string_equal(v.detail, "gen 6");
		for (size_t w = 0, n = k.block_size / 8; w < n; w++) {
			size_t at = w * 8 + (w % 8);

			/* Header, first chunks, last chunk and a sample. */
			if (w >= 24 && w % 1021 && w + 8 < n)
				continue;
			if (at >= offsetof(struct block_header, counter) &&
			    at < offsetof(struct block_header, reserved))
				continue; /* the counter: unchecked here */
			p[at] ^= 0x10;
			v = verify(p, &k, &x);
			assert_int_not_equal(v.state, BLOCK_OK);
			assert_int_equal(v.first_bad, at);
			p[at] ^= 0x10;
		}
		free(p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_round_trip),
		cmocka_unit_test(header_bit_flips_invalidate),
		cmocka_unit_test(payload_depends_on_every_input),
		cmocka_unit_test(payload_is_a_stream),
		cmocka_unit_test(names_are_stable),
		cmocka_unit_test(ok_in_every_size),
		cmocka_unit_test(zeros),
		cmocka_unit_test(stale),
		cmocka_unit_test(misplaced),
		cmocka_unit_test(misplaced_needs_the_same_block_size),
		cmocka_unit_test(torn_halves),
		cmocka_unit_test(torn_detail_names_bytes),
		cmocka_unit_test(torn_header_zeroed),
		cmocka_unit_test(torn_zero_tail),
		cmocka_unit_test(torn_reaches_older_generations),
		cmocka_unit_test(garbage_random),
		cmocka_unit_test(garbage_one_chunk),
		cmocka_unit_test(garbage_bad_checksum),
		cmocka_unit_test(garbage_newer_than_posted),
		cmocka_unit_test(header_generation_zero_is_garbage),
		cmocka_unit_test(counter_checks),
		cmocka_unit_test(first_bad_is_exact),
		cmocka_unit_test(detached_truth_table),
		cmocka_unit_test(newest_fast_path),
	};

	return cmocka_run_group_tests_name("verify", tests, NULL, NULL);
}
