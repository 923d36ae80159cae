// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * verify-bench: bytes per second that block_verify() (the classification
 * every view of every block goes through) checks, against memcpy() of the
 * same buffers. Host-side: no RDMA, no VM.
 *
 *   verify-bench BLOCK_SIZE TOTAL SECONDS
 *
 * TOTAL bytes of blocks are filled once with block_fill(); each pass then
 * verifies all of them, or copies all of them to a second buffer. The two
 * alternate pass by pass for SECONDS each, so that a noisy neighbour hits
 * both alike. Prints one JSON object.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "clock.h"
#include "units.h"
#include "verify.h"

struct buffers {
	uint8_t *src, *dst;
	size_t bs, n;
};

static const struct block_expect expect_gen1 = { .gen_lo = 1, .gen_hi = 1 };

static struct block_key key_of(const struct buffers *b, size_t i)
{
	return (struct block_key){ 1, (uint32_t)b->bs, (uint64_t)i * b->bs,
				   0x5eed };
}

/* One pass of block_verify() over every block: seconds, or -1 on a bad one. */
static double verify_pass(const struct buffers *b)
{
	double t0 = mono_now();

	for (size_t i = 0; i < b->n; i++) {
		struct block_key k = key_of(b, i);
		struct block_verdict v;

		block_verify(b->src + i * b->bs, &k, &expect_gen1, &v);
		if (v.state != BLOCK_OK) {
			fprintf(stderr, "verify-bench: block %zu: %s: %s\n", i,
				block_state_name(v.state), v.detail);
			return -1;
		}
	}
	return mono_now() - t0;
}

static double memcpy_pass(const struct buffers *b)
{
	double t0 = mono_now();

	memcpy(b->dst, b->src, b->n * b->bs);
	/* Keep the copy from being optimised away. */
	__asm__ volatile("" : : "r"(b->dst) : "memory");
	return mono_now() - t0;
}

static void *map_bytes(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("verify-bench: mmap");
		return NULL;
	}
	memset(p, 0, len); /* fault it in before any pass is timed */
	return p;
}

static int bench(struct buffers *b, double secs)
{
	double v_time = 0, c_time = 0, dt;
	uint64_t v_passes = 0, c_passes = 0;
	double bytes = (double)(b->n * b->bs);

	for (size_t i = 0; i < b->n; i++) {
		struct block_key k = key_of(b, i);

		block_fill(b->src + i * b->bs, &k, 1);
	}
	memcpy_pass(b); /* warm both buffers and caches alike */
	while (v_time < secs || c_time < secs) {
		dt = verify_pass(b);
		if (dt < 0)
			return -1;
		v_time += dt;
		v_passes++;
		c_time += memcpy_pass(b);
		c_passes++;
	}
	printf("{\"block_size\": %zu, \"bytes\": %.0f, \"verify_passes\": %llu, \"verify_s\": %.6f, \"verify_bytes_per_s\": %.0f, \"memcpy_passes\": %llu, \"memcpy_s\": %.6f, \"memcpy_bytes_per_s\": %.0f, \"ratio\": %.4f}\n",
	       b->bs, bytes, (unsigned long long)v_passes, v_time,
	       bytes * (double)v_passes / v_time, (unsigned long long)c_passes,
	       c_time, bytes * (double)c_passes / c_time,
	       (bytes * (double)v_passes / v_time) /
		       (bytes * (double)c_passes / c_time));
	return 0;
}

int main(int argc, char **argv)
{
	struct buffers b = { 0 };
	size_t total;
	double secs;
	int ret = 1;

	if (argc != 4 || parse_size(argv[1], &b.bs) ||
	    parse_size(argv[2], &total) || parse_duration(argv[3], &secs) ||
	    b.bs < BLOCK_MIN_SIZE || b.bs % BLOCK_CHUNK || total < b.bs) {
		fprintf(stderr,
			"usage: verify-bench BLOCK_SIZE TOTAL SECONDS (BLOCK_SIZE a multiple of %d, >= %d)\n",
			BLOCK_CHUNK, BLOCK_MIN_SIZE);
		return 2;
	}
	b.n = total / b.bs;
	b.src = map_bytes(b.n * b.bs);
	b.dst = map_bytes(b.n * b.bs);
	if (b.src && b.dst)
		ret = bench(&b, secs) ? 1 : 0;
	if (b.src)
		munmap(b.src, b.n * b.bs);
	if (b.dst)
		munmap(b.dst, b.n * b.bs);
	return ret;
}
