// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "unit.h"
#include "check.h"

#define BS 4096u
#define N_BLOCKS 4u
#define LEN (BS * N_BLOCKS)

/*
 * One MR of four blocks, checked without a device: a malloc'd buffer is the
 * CPU mapping (or a real shared file mapping), another is what RDMA READ of
 * the MR's pages would return.
 */
struct fix {
	struct target t;
	uint8_t *mr; /* the MR's pages as RDMA READ sees them, LEN bytes */
	struct check_buf cb;
	struct finding_list fl;
	char path[64]; /* a temporary file, "" when none */
	bool mapped;
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->t.name, sizeof(f->t.name), "mr0");
	f->t.mr_id = 3;
	f->t.seed = 0xfeedULL;
	f->t.block_size = BS;
	f->t.region.addr = calloc(1, LEN);
	f->t.region.len = LEN;
	f->t.region.fd = -1;
	snprintf(f->t.region.desc, sizeof(f->t.region.desc), "test memory");
	f->t.reported = calloc(N_BLOCKS, sizeof(*f->t.reported));
	f->mr = calloc(1, LEN);
	if (!f->t.region.addr || !f->t.reported || !f->mr ||
	    shadow_init(&f->t.shadow, LEN, BS) || check_buf_init(&f->cb, BS))
		return -1;
	finding_list_init(&f->fl);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	finding_list_free(&f->fl);
	check_buf_free(&f->cb);
	shadow_free(&f->t.shadow);
	if (f->mapped)
		munmap(f->t.region.addr, LEN);
	else
		free(f->t.region.addr);
	if (f->t.region.fd >= 0)
		close(f->t.region.fd);
	if (f->path[0])
		unlink(f->path);
	free(f->t.reported);
	free(f->mr);
	free(f);
	return 0;
}

static struct block_key key_of(const struct fix *f, size_t blk)
{
	return (struct block_key){ .mr_id = f->t.mr_id,
				   .block_size = BS,
				   .offset = (uint64_t)blk * BS,
				   .seed = f->t.seed };
}

/* Generation gen of blk, as block_fill() makes it, into buf. */
static void fill(const struct fix *f, void *buf, size_t blk, uint64_t gen)
{
	struct block_key k = key_of(f, blk);

	block_fill(buf, &k, gen);
}

static uint8_t *cpu_of(const struct fix *f, size_t blk)
{
	return (uint8_t *)f->t.region.addr + blk * BS;
}

static uint8_t *mr_of(const struct fix *f, size_t blk)
{
	return f->mr + blk * BS;
}

/*
 * A write DMA that completes: the next generation lands in the MR; the CPU
 * mapping sees it too when cpu is set (the two still share pages).
 */
static uint64_t dma_write(struct fix *f, size_t blk, bool cpu)
{
	uint64_t gen = shadow_post_write(&f->t.shadow, blk);

	fill(f, mr_of(f, blk), blk, gen);
	if (cpu)
		fill(f, cpu_of(f, blk), blk, gen);
	shadow_complete_write(&f->t.shadow, blk, gen, true);
	return gen;
}

static struct view mr_view(const struct fix *f, size_t blk)
{
	return (struct view){ .name = "rdma-read",
			      .buf = mr_of(f, blk),
			      .reaches_mr = true };
}

static struct view file_view(const char *name, const void *buf)
{
	return (struct view){ .name = name, .buf = buf, .file_view = true };
}

static unsigned check2(struct fix *f, size_t blk)
{
	const struct view v[] = { mr_view(f, blk),
				  file_view("cpu", cpu_of(f, blk)) };

	return check_views(&f->t, blk, v, 2, &f->cb, &f->fl, 1.5);
}

static void intact_blocks(void **state)
{
	struct fix *f = *state;

	/* Never written: the initial zeros are legal everywhere. */
	for (size_t blk = 0; blk < N_BLOCKS; blk++)
		assert_int_equal(check2(f, blk), 0);
	dma_write(f, 1, true);
	dma_write(f, 1, true);
	dma_write(f, 3, true);
	for (size_t blk = 0; blk < N_BLOCKS; blk++)
		assert_int_equal(check2(f, blk), 0);
	assert_int_equal(f->fl.n, 0);
	for (size_t blk = 0; blk < N_BLOCKS; blk++)
		assert_int_equal(f->t.reported[blk], 0);
}

static void detached_after_zero_range(void **state)
{
	struct fix *f = *state;
	uint8_t want[BS];
	const struct finding *x;

	dma_write(f, 2, true);
	/* A truncate to 2 blocks and back: the file loses blocks 2 and 3. */
	shadow_zero_range(&f->t.shadow, 2 * BS, LEN - 2 * BS);
	memset(cpu_of(f, 2), 0, 2 * BS);
	shadow_zero_range(&f->t.shadow, 2 * BS, LEN - 2 * BS);
	/* Posted after: lands in the pinned page, not in the file's. */
	assert_int_equal(dma_write(f, 2, false), 2);

	assert_int_equal(check2(f, 2), 1);
	assert_int_equal(f->fl.n, 1);
	x = &f->fl.v[0];
	assert_int_equal(x->cls, FC_DETACHED);
	assert_string_equal(x->view, "cpu");
	assert_string_equal(x->mr, "mr0");
	assert_int_equal(x->offset, 2 * BS);
	assert_int_equal(x->length, BS);
	assert_int_equal(x->block_size, BS);
	assert_int_equal(x->blocks, 1);
	assert_int_equal(x->expected_gen, 2);
	assert_false(x->found_gen_valid);
	assert_true(x->t == 1.5);
	assert_false(x->covered);
	assert_non_null(strstr(x->title, "detached: mr0 block at 0x2000 (cpu"));
	assert_non_null(strstr(x->detail, "the MR holds gen 2"));
	/* The dump starts at the header: gen 2 expected, zeros found. */
	fill(f, want, 2, 2);
	assert_int_equal(x->dump_offset, 0);
	assert_int_equal(x->dump_len, FINDING_DUMP);
	assert_memory_equal(x->expected, want, FINDING_DUMP);
	for (unsigned i = 0; i < FINDING_DUMP; i++)
		assert_int_equal(x->found[i], 0);
	assert_true(f->t.reported[2] & (1u << FC_DETACHED));
	/* Block 3 was never written: its zeros are fine. */
	assert_int_equal(check2(f, 3), 0);
	assert_int_equal(f->fl.n, 1);
}

static void detached_through_two_file_views(void **state)
{
	struct fix *f = *state;
	uint8_t *pread_buf = calloc(1, BS);
	struct view v[3];

	assert_non_null(pread_buf);
	dma_write(f, 0, true);
	shadow_zero_range(&f->t.shadow, 0, LEN);
	memset(cpu_of(f, 0), 0, BS);
	dma_write(f, 0, false);

	v[0] = file_view("cpu", cpu_of(f, 0));
	v[1] = file_view("pread", pread_buf);
	v[2] = mr_view(f, 0);
	assert_int_equal(check_views(&f->t, 0, v, 3, &f->cb, &f->fl, 0), 1);
	assert_int_equal(f->fl.n, 1);
	assert_int_equal(f->fl.v[0].cls, FC_DETACHED);
	assert_string_equal(f->fl.v[0].view, "cpu+pread");
	assert_int_equal(f->fl.v[0].offset, 0);
	assert_int_equal(f->fl.v[0].expected_gen, 2);
	assert_non_null(strstr(f->fl.v[0].title, "(cpu+pread"));

	/* Only pread lost it: the finding names pread alone. */
	dma_write(f, 1, true);
	shadow_zero_range(&f->t.shadow, BS, BS);
	dma_write(f, 1, true);
	memset(pread_buf, 0, BS);
	v[0] = file_view("cpu", cpu_of(f, 1));
	v[2] = mr_view(f, 1);
	assert_int_equal(check_views(&f->t, 1, v, 3, &f->cb, &f->fl, 0), 1);
	assert_int_equal(f->fl.n, 2);
	assert_string_equal(f->fl.v[1].view, "pread");
	assert_int_equal(f->fl.v[1].offset, BS);
	free(pread_buf);
}

static void zeros_legal_before_zero_range(void **state)
{
	struct fix *f = *state;

	/* Written and completed, then truncated away: zeros are legal. */
	dma_write(f, 1, true);
	shadow_zero_range(&f->t.shadow, BS, BS);
	memset(cpu_of(f, 1), 0, BS);
	assert_int_equal(check2(f, 1), 0);

	/* Posted before the truncate, completed after: still legal. */
	{
		uint64_t gen = shadow_post_write(&f->t.shadow, 2);

		fill(f, mr_of(f, 2), 2, gen);
		shadow_zero_range(&f->t.shadow, 2 * BS, BS);
		shadow_complete_write(&f->t.shadow, 2, gen, true);
	}
	assert_int_equal(check2(f, 2), 0);
	assert_int_equal(f->fl.n, 0);

	/* Zeros apply to file views only: the MR's pinned page is zeroed. */
	memset(mr_of(f, 1), 0, BS);
	assert_int_equal(check2(f, 1), 1);
	assert_int_equal(f->fl.n, 1);
	assert_int_equal(f->fl.v[0].cls, FC_ZEROED);
	assert_string_equal(f->fl.v[0].view, "rdma-read");
	assert_int_equal(f->fl.v[0].offset, BS);
	assert_int_equal(f->fl.v[0].expected_gen, 1);
}

static void garbage_in_mr_view(void **state)
{
	struct fix *f = *state;
	uint8_t want[BS];
	const struct finding *x;

	dma_write(f, 1, true);
	fill(f, want, 1, 1);
	for (unsigned i = 1000; i < 1004; i++)
		mr_of(f, 1)[i] ^= 0xa5;

	assert_int_equal(check2(f, 1), 1);
	assert_int_equal(f->fl.n, 1);
	x = &f->fl.v[0];
	assert_int_equal(x->cls, FC_GARBAGE);
	assert_string_equal(x->view, "rdma-read");
	assert_int_equal(x->offset, BS);
	assert_int_equal(x->expected_gen, 1);
	/* The header is intact. */
	assert_true(x->found_gen_valid);
	assert_int_equal(x->found_gen, 1);
	/* From the 16-byte line holding byte 1000. */
	assert_int_equal(x->dump_offset, 992);
	assert_int_equal(x->dump_len, FINDING_DUMP);
	assert_memory_equal(x->expected, want + 992, FINDING_DUMP);
	assert_memory_equal(x->found, mr_of(f, 1) + 992, FINDING_DUMP);
	for (unsigned i = 0; i < FINDING_DUMP; i++) {
		if (i >= 8 && i < 12)
			assert_int_equal(x->found[i], x->expected[i] ^ 0xa5);
		else
			assert_int_equal(x->found[i], x->expected[i]);
	}
}

static void garbage_at_block_end(void **state)
{
	struct fix *f = *state;
	const struct finding *x;

	dma_write(f, 3, true);
	cpu_of(f, 3)[BS - 1] ^= 1;
	assert_int_equal(check2(f, 3), 1);
	x = &f->fl.v[0];
	assert_int_equal(x->cls, FC_GARBAGE);
	assert_string_equal(x->view, "cpu");
	/* The dump is cut at the end of the block. */
	assert_int_equal(x->dump_offset, BS - 16);
	assert_int_equal(x->dump_len, 16);
	assert_int_equal(x->found[15], x->expected[15] ^ 1);
	assert_memory_equal(x->found, x->expected, 15);
}

static void reported_once_per_class(void **state)
{
	struct fix *f = *state;

	dma_write(f, 0, true);
	dma_write(f, 1, true);
	shadow_zero_range(&f->t.shadow, 0, LEN);
	memset(cpu_of(f, 0), 0, 2 * BS);
	dma_write(f, 0, false);
	dma_write(f, 1, false);

	assert_int_equal(check2(f, 0), 1);
	assert_int_equal(f->fl.n, 1);
	/* Again: nothing new, and it says so. */
	assert_int_equal(check2(f, 0), 0);
	assert_int_equal(f->fl.n, 1);
	assert_int_equal(f->t.reported[0], 1u << FC_DETACHED);

	/*
	 * Other classes on the same block are news: with the MR's view
	 * damaged, the file view's zeros no longer read as detached.
	 */
	mr_of(f, 0)[200] ^= 0xff;
	assert_int_equal(check2(f, 0), 2);
	assert_int_equal(f->fl.n, 3);
	assert_int_equal(f->fl.v[1].cls, FC_GARBAGE);
	assert_string_equal(f->fl.v[1].view, "rdma-read");
	assert_int_equal(f->fl.v[2].cls, FC_ZEROED);
	assert_string_equal(f->fl.v[2].view, "cpu");
	assert_int_equal(check2(f, 0), 0);
	assert_int_equal(f->fl.n, 3);
	assert_int_equal(f->t.reported[0], (1u << FC_DETACHED) |
						   (1u << FC_GARBAGE) |
						   (1u << FC_ZEROED));

	/* The same class on another block is too. */
	assert_int_equal(check2(f, 1), 1);
	assert_int_equal(f->fl.n, 4);
	assert_int_equal(f->fl.v[3].cls, FC_DETACHED);
	assert_int_equal(f->fl.v[3].offset, BS);
	assert_int_equal(check2(f, 1), 0);
	assert_int_equal(f->fl.n, 4);
}

static void stale_file_view(void **state)
{
	struct fix *f = *state;
	const struct finding *x;

	dma_write(f, 2, true);
	/* gen 2 reaches the MR; the file's page still holds gen 1. */
	assert_int_equal(dma_write(f, 2, false), 2);
	assert_int_equal(check2(f, 2), 1);
	assert_int_equal(f->fl.n, 1);
	x = &f->fl.v[0];
	assert_int_equal(x->cls, FC_DETACHED);
	assert_string_equal(x->view, "cpu");
	assert_int_equal(x->offset, 2 * BS);
	assert_int_equal(x->expected_gen, 2);
	assert_true(x->found_gen_valid);
	assert_int_equal(x->found_gen, 1);
	assert_non_null(strstr(x->detail, "cpu shows stale"));
}

static void verdicts_stand_alone_without_good_mr_view(void **state)
{
	struct fix *f = *state;
	const struct view cpu = file_view("cpu", cpu_of(f, 2));

	dma_write(f, 2, true);
	dma_write(f, 2, false);
	/* The file view alone: stale is just stale. */
	assert_int_equal(check_views(&f->t, 2, &cpu, 1, &f->cb, &f->fl, 0), 1);
	assert_int_equal(f->fl.n, 1);
	assert_int_equal(f->fl.v[0].cls, FC_STALE);
	assert_string_equal(f->fl.v[0].view, "cpu");

	/* MR view stale and file view zero: two findings, no detached. */
	dma_write(f, 1, true);
	dma_write(f, 1, true);
	fill(f, mr_of(f, 1), 1, 1);
	memset(cpu_of(f, 1), 0, BS);
	assert_int_equal(check2(f, 1), 2);
	assert_int_equal(f->fl.n, 3);
	assert_int_equal(f->fl.v[1].cls, FC_STALE);
	assert_string_equal(f->fl.v[1].view, "rdma-read");
	assert_int_equal(f->fl.v[2].cls, FC_ZEROED);
	assert_string_equal(f->fl.v[2].view, "cpu");
	assert_false(f->t.reported[1] & (1u << FC_DETACHED));
}

static void in_flight_write_widens_the_range(void **state)
{
	struct fix *f = *state;
	const struct finding *x;

	dma_write(f, 1, true);
	/* gen 2 is posted and not completed: gen 1 or 2 may be there. */
	assert_int_equal(shadow_post_write(&f->t.shadow, 1), 2);
	assert_int_equal(check2(f, 1), 0);
	fill(f, mr_of(f, 1), 1, 2);
	assert_int_equal(check2(f, 1), 0);

	memset(mr_of(f, 1), 0x5a, BS);
	assert_int_equal(check2(f, 1), 1);
	x = &f->fl.v[0];
	assert_int_equal(x->cls, FC_GARBAGE);
	/* Judged against the newest generation posted. */
	assert_int_equal(x->expected_gen, 2);
	assert_false(x->found_gen_valid);
	assert_non_null(strstr(x->detail, "expected gen 1..2: "));
}

static void cpu_views_without_file(void **state)
{
	struct fix *f = *state;
	struct view v[2] = { 0 };
	struct mrs_err e;

	assert_false(target_has_file(&f->t));
	assert_int_equal(check_cpu_views(&f->t, 3, &f->cb, v, &e), 1);
	assert_string_equal(v[0].name, "cpu");
	assert_ptr_equal(v[0].buf, cpu_of(f, 3));
	assert_false(v[0].file_view);
	assert_false(v[0].reaches_mr);
	assert_null(v[1].name);
}

/* A temporary file of len bytes holding gen 1 of every block it covers. */
static int make_file(struct fix *f, size_t len)
{
	uint8_t blk_buf[BS];
	int fd;

	snprintf(f->path, sizeof(f->path), "/tmp/mrstress-check-XXXXXX");
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	for (size_t off = 0; off < len; off += BS) {
		size_t n = len - off < BS ? len - off : BS;

		fill(f, blk_buf, off / BS, 1);
		assert_int_equal(pwrite(fd, blk_buf, n, (off_t)off),
				 (ssize_t)n);
	}
	return fd;
}

/* Map the file shared in place of the malloc'd CPU mapping. */
static void map_file(struct fix *f, int fd)
{
	void *p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	assert_true(p != MAP_FAILED);
	free(f->t.region.addr);
	f->t.region.addr = p;
	f->mapped = true;
	f->t.region.fd = fd;
	f->t.region.shared = true;
}

static void cpu_views_of_shared_file(void **state)
{
	struct fix *f = *state;
	uint8_t want[BS];
	struct view v[3];
	struct mrs_err e;
	int n;

	map_file(f, make_file(f, LEN));
	for (size_t blk = 0; blk < N_BLOCKS; blk++) {
		uint64_t gen = shadow_post_write(&f->t.shadow, blk);

		fill(f, mr_of(f, blk), blk, gen);
		shadow_complete_write(&f->t.shadow, blk, gen, true);
	}
	assert_true(target_has_file(&f->t));

	memset(f->cb.tmp, 0xaa, BS);
	n = check_cpu_views(&f->t, 2, &f->cb, v + 1, &e);
	assert_int_equal(n, 2);
	assert_string_equal(v[1].name, "cpu");
	assert_ptr_equal(v[1].buf, cpu_of(f, 2));
	assert_true(v[1].file_view);
	assert_false(v[1].reaches_mr);
	assert_string_equal(v[2].name, "pread");
	assert_ptr_equal(v[2].buf, f->cb.tmp);
	assert_true(v[2].file_view);
	assert_false(v[2].reaches_mr);
	fill(f, want, 2, 1);
	assert_memory_equal(f->cb.tmp, want, BS);
	assert_memory_equal(v[1].buf, want, BS);
	v[0] = mr_view(f, 2);
	assert_int_equal(check_views(&f->t, 2, v, 3, &f->cb, &f->fl, 0), 0);

	/* Truncate to 2 blocks and back, then write gen 2 into the MR only. */
	shadow_zero_range(&f->t.shadow, 2 * BS, LEN - 2 * BS);
	assert_int_equal(ftruncate(f->t.region.fd, 2 * BS), 0);
	assert_int_equal(ftruncate(f->t.region.fd, LEN), 0);
	shadow_zero_range(&f->t.shadow, 2 * BS, LEN - 2 * BS);
	dma_write(f, 2, false);

	n = check_cpu_views(&f->t, 2, &f->cb, v + 1, &e);
	assert_int_equal(n, 2);
	assert_int_equal(check_views(&f->t, 2, v, 3, &f->cb, &f->fl, 0), 1);
	assert_int_equal(f->fl.n, 1);
	assert_int_equal(f->fl.v[0].cls, FC_DETACHED);
	assert_string_equal(f->fl.v[0].view, "cpu+pread");
	assert_int_equal(f->fl.v[0].expected_gen, 2);
	/* Block 1 kept its pages: still intact through all three views. */
	v[0] = mr_view(f, 1);
	assert_int_equal(check_cpu_views(&f->t, 1, &f->cb, v + 1, &e), 2);
	assert_int_equal(check_views(&f->t, 1, v, 3, &f->cb, &f->fl, 0), 0);
}

static void short_file_reads_zeros(void **state)
{
	struct fix *f = *state;
	uint8_t want[BS];
	struct view v[2];
	struct mrs_err e;

	/* One block and 1000 bytes of the next. */
	map_file(f, make_file(f, BS + 1000));
	memset(f->cb.tmp, 0xaa, BS);
	assert_int_equal(check_cpu_views(&f->t, 1, &f->cb, v, &e), 2);
	assert_string_equal(v[1].name, "pread");
	fill(f, want, 1, 1);
	assert_memory_equal(f->cb.tmp, want, 1000);
	for (size_t i = 1000; i < BS; i++)
		if (((uint8_t *)f->cb.tmp)[i])
			fail_msg("byte %zu past the end of the file is 0x%x", i,
				 ((uint8_t *)f->cb.tmp)[i]);

	/* Wholly past the end: all zero. */
	memset(f->cb.tmp, 0xaa, BS);
	assert_int_equal(check_cpu_views(&f->t, 3, &f->cb, v, &e), 2);
	for (size_t i = 0; i < BS; i++)
		if (((uint8_t *)f->cb.tmp)[i])
			fail_msg("byte %zu of block 3 is 0x%x", i,
				 ((uint8_t *)f->cb.tmp)[i]);
}

static void private_file_is_not_a_file_view(void **state)
{
	struct fix *f = *state;
	struct view v[2];
	struct mrs_err e;

	f->t.region.fd = make_file(f, LEN);
	f->t.region.shared = false;
	assert_false(target_has_file(&f->t));
	assert_int_equal(check_cpu_views(&f->t, 0, &f->cb, v, &e), 1);
	assert_false(v[0].file_view);
}

static void pread_failure(void **state)
{
	struct fix *f = *state;
	struct view v[2];
	struct mrs_err e = { 0 };
	int fd = make_file(f, LEN);

	close(fd);
	/* Write-only: pread fails with EBADF. */
	f->t.region.fd = open(f->path, O_WRONLY);
	assert_true(f->t.region.fd >= 0);
	f->t.region.shared = true;
	assert_int_equal(check_cpu_views(&f->t, 1, &f->cb, v, &e), -EBADF);
	assert_int_equal(e.code, EBADF);
	assert_non_null(strstr(e.msg, "pread(test memory) at 0x1000"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(intact_blocks),
		T(detached_after_zero_range),
		T(detached_through_two_file_views),
		T(zeros_legal_before_zero_range),
		T(garbage_in_mr_view),
		T(garbage_at_block_end),
		T(reported_once_per_class),
		T(stale_file_view),
		T(verdicts_stand_alone_without_good_mr_view),
		T(in_flight_write_widens_the_range),
		T(cpu_views_without_file),
		T(cpu_views_of_shared_file),
		T(short_file_reads_zeros),
		T(private_file_is_not_a_file_view),
		T(pread_failure),
	};

	return cmocka_run_group_tests_name("check", tests, NULL, NULL);
}
