// SPDX-License-Identifier: GPL-2.0-or-later
#include <string.h>

#include "latency.h"
#include "unit.h"

/* Every bucket holds the values that map to it, and they tile the line. */
static void buckets_tile_and_hold_their_values(void **state)
{
	uint64_t lo, hi, prev_hi = 0;

	(void)state;
	for (unsigned b = 0; b < LATENCY_BUCKETS; b++) {
		latency_bucket_range(b, &lo, &hi);
		assert_int_equal(lo, prev_hi);
		assert_true(hi > lo);
		assert_int_equal(latency_bucket(lo), b);
		assert_int_equal(latency_bucket(hi - 1), b);
		/* A bucket is at most 1/8 of its lower bound wide. */
		if (b > 0)
			assert_true((hi - lo) * LATENCY_SUB <= lo);
		prev_hi = hi;
	}
	assert_int_equal(latency_bucket(0), 0);
	assert_int_equal(latency_bucket(999), 0);
	assert_int_equal(latency_bucket(1000), 1);
	assert_int_equal(latency_bucket(UINT64_MAX), LATENCY_BUCKETS - 1);
}

/* The percentile is within 12.5% of the true one, over six decades. */
static void percentiles_within_an_eighth(void **state)
{
	struct latency l;
	uint64_t v = 1500;

	(void)state;
	memset(&l, 0, sizeof(l));
	/* 1000 distinct values, geometric from 1.5 us to about 15 s */
	for (int i = 0; i < 1000; i++, v = v * 1017 / 1000 + 1)
		latency_add(&l, v);
	assert_int_equal(l.count, 1000);
	assert_int_equal(l.min_ns, 1500);
	for (int k = 1; k <= 100; k++) {
		double p = k / 100.0;
		uint64_t truth = 1500, got = latency_percentile_ns(&l, p);

		for (int i = 1; i < k * 10; i++)
			truth = truth * 1017 / 1000 + 1;
		assert_true(got * 8 >= truth * 7 && got * 8 <= truth * 9);
	}
	assert_int_equal(latency_percentile_ns(&l, 1.0), l.max_ns);
}

static void summary_of_known_samples(void **state)
{
	struct latency a, b;
	struct latency_summary s;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	latency_summarise(&a, &s);
	assert_int_equal(s.count, 0);
	assert_true(s.p99 == 0 && s.max == 0 && s.mean == 0);
	/* 90 fast steps in one thread, 10 slow ones in another */
	for (int i = 0; i < 90; i++)
		latency_add(&a, 10000); /* 10 us */
	for (int i = 0; i < 10; i++)
		latency_add(&b, 2000000000); /* 2 s */
	latency_merge(&a, &b);
	latency_summarise(&a, &s);
	assert_int_equal(s.count, 100);
	assert_true(s.mean > 0.2000089 && s.mean < 0.2000091);
	assert_true(s.p50 >= 10e-6 * 7 / 8 && s.p50 <= 10e-6 * 9 / 8);
	assert_true(s.p90 >= 10e-6 * 7 / 8 && s.p90 <= 10e-6 * 9 / 8);
	assert_true(s.p99 >= 2.0 * 7 / 8 && s.p99 <= 2.0);
	assert_true(s.max == 2.0);
	assert_int_equal(a.min_ns, 10000);
}

/* A single sample is every percentile exactly: clamped to min and max. */
static void one_sample_is_exact(void **state)
{
	struct latency l;

	(void)state;
	memset(&l, 0, sizeof(l));
	latency_add(&l, 123456789);
	assert_int_equal(latency_percentile_ns(&l, 0.5), 123456789);
	assert_int_equal(latency_percentile_ns(&l, 0.99), 123456789);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buckets_tile_and_hold_their_values),
		cmocka_unit_test(percentiles_within_an_eighth),
		cmocka_unit_test(summary_of_known_samples),
		cmocka_unit_test(one_sample_is_exact),
	};

	return cmocka_run_group_tests_name("latency", tests, NULL, NULL);
}
