/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_LATENCY_H
#define MRS_LATENCY_H

#include <stdint.h>

/*
 * A latency histogram with log-linear buckets: below 1 us one bucket, then
 * LATENCY_SUB buckets per power of two from 1 us up, so that any value is
 * known to within 1/LATENCY_SUB (12.5%) of itself in a fixed 2 KiB, cheap
 * enough to keep per thread and add at the join. Count, sum, min and max
 * are exact.
 */
#define LATENCY_SUB 8
#define LATENCY_OCTAVES 32 /* 1 us .. 2^32 us (71 min); longer: the last */
#define LATENCY_BUCKETS (1 + LATENCY_OCTAVES * LATENCY_SUB)

struct latency {
	uint64_t count, sum_ns, min_ns, max_ns;
	uint64_t bucket[LATENCY_BUCKETS];
};

/* In seconds, for reports; all 0 when count is 0. */
struct latency_summary {
	uint64_t count;
	double mean, p50, p90, p99, max;
};

void latency_add(struct latency *l, uint64_t ns);
void latency_merge(struct latency *into, const struct latency *from);
/* Bucket of a value, and the range [*lo, *hi) of ns a bucket holds. */
unsigned latency_bucket(uint64_t ns);
void latency_bucket_range(unsigned b, uint64_t *lo, uint64_t *hi);
/*
 * The value below which a fraction p (0..1] of the samples lie: the middle
 * of its bucket, kept within [min, max]. 0 when empty.
 */
uint64_t latency_percentile_ns(const struct latency *l, double p);
void latency_summarise(const struct latency *l, struct latency_summary *s);
/* "850us", "12.3ms", "1.25s": seconds as a person reads them. */
const char *latency_format(double secs, char *buf, unsigned len);

#endif
