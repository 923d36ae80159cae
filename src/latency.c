// SPDX-License-Identifier: GPL-2.0-or-later
/* Log-linear latency histograms (latency.h). */
#include <stdio.h>

#include "latency.h"

/* Units of 1/LATENCY_SUB us: a bucket's bounds are whole numbers of them. */
#define UNIT_NS (1000 / LATENCY_SUB)

unsigned latency_bucket(uint64_t ns)
{
	uint64_t q = ns / UNIT_NS; /* >= LATENCY_SUB from 1 us up */
	unsigned octave, sub;

	if (q < LATENCY_SUB)
		return 0;
	/* q in [SUB << octave, 2 * SUB << octave); LATENCY_SUB is 2^3 */
	octave = (unsigned)(63 - __builtin_clzll(q)) - 3;
	if (octave >= LATENCY_OCTAVES)
		return LATENCY_BUCKETS - 1;
	sub = (unsigned)(q >> octave) & (LATENCY_SUB - 1);
	return 1 + octave * LATENCY_SUB + sub;
}

void latency_bucket_range(unsigned b, uint64_t *lo, uint64_t *hi)
{
	unsigned octave, sub;

	if (b == 0) {
		*lo = 0;
		*hi = LATENCY_SUB * UNIT_NS;
		return;
	}
	octave = (b - 1) / LATENCY_SUB;
	sub = (b - 1) % LATENCY_SUB;
	*lo = ((uint64_t)(LATENCY_SUB + sub) << octave) * UNIT_NS;
	*hi = ((uint64_t)(LATENCY_SUB + sub + 1) << octave) * UNIT_NS;
}

void latency_add(struct latency *l, uint64_t ns)
{
	if (!l->count || ns < l->min_ns)
		l->min_ns = ns;
	if (ns > l->max_ns)
		l->max_ns = ns;
	l->count++;
	l->sum_ns += ns;
	l->bucket[latency_bucket(ns)]++;
}

void latency_merge(struct latency *into, const struct latency *from)
{
	if (!from->count)
		return;
	if (!into->count || from->min_ns < into->min_ns)
		into->min_ns = from->min_ns;
	if (from->max_ns > into->max_ns)
		into->max_ns = from->max_ns;
	into->count += from->count;
	into->sum_ns += from->sum_ns;
	for (unsigned b = 0; b < LATENCY_BUCKETS; b++)
		into->bucket[b] += from->bucket[b];
}

uint64_t latency_percentile_ns(const struct latency *l, double p)
{
	/* The rank of the sample wanted, 1-based: p50 of 4 is the 2nd. */
	double want = p * (double)l->count;
	uint64_t rank = (uint64_t)want, seen = 0, lo, hi, mid;

	if (!l->count)
		return 0;
	if ((double)rank < want || rank < 1)
		rank++;
	if (rank >= l->count)
		return l->max_ns; /* the last sample is known exactly */
	for (unsigned b = 0; b < LATENCY_BUCKETS; b++) {
		seen += l->bucket[b];
		if (seen < rank)
			continue;
		latency_bucket_range(b, &lo, &hi);
		mid = lo + (hi - lo) / 2;
		if (mid < l->min_ns)
			return l->min_ns;
		return mid > l->max_ns ? l->max_ns : mid;
	}
	return l->max_ns;
}

void latency_summarise(const struct latency *l, struct latency_summary *s)
{
	*s = (struct latency_summary){ .count = l->count };
	if (!l->count)
		return;
	s->mean = (double)l->sum_ns / (double)l->count / 1e9;
	s->p50 = (double)latency_percentile_ns(l, 0.50) / 1e9;
	s->p90 = (double)latency_percentile_ns(l, 0.90) / 1e9;
	s->p99 = (double)latency_percentile_ns(l, 0.99) / 1e9;
	s->max = (double)l->max_ns / 1e9;
}

const char *latency_format(double secs, char *buf, unsigned len)
{
	if (secs < 1e-3)
		snprintf(buf, len, "%.0fus", secs * 1e6);
	else if (secs < 1)
		snprintf(buf, len, "%.3gms", secs * 1e3);
	else
		snprintf(buf, len, "%.3gs", secs);
	return buf;
}
