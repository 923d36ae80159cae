/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_TIMELINE_H
#define MRS_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

/*
 * When each stressor step ran and what it did, so that a finding can name
 * the operations that overlapped the window in which its block was damaged.
 * One timeline per stressor thread: only that thread appends, readers come
 * after it was joined. A ring: a long run keeps its most recent steps.
 */
#define TIMELINE_WHAT 48

struct timeline_event {
	double start, end; /* seconds since the run started */
	char what[TIMELINE_WHAT]; /* "ftruncate 8M -> 4M" */
};

struct timeline {
	struct timeline_event *ev;
	size_t cap, n; /* n counts every event ever added */
};

int timeline_init(struct timeline *tl, size_t cap);
void timeline_free(struct timeline *tl);
void timeline_add(struct timeline *tl, double start, double end,
		  const char *what);
/* Events still held: the oldest one's index, and how many. */
size_t timeline_first(const struct timeline *tl);
const struct timeline_event *timeline_at(const struct timeline *tl, size_t i);

/*
 * The events that overlapped [from, to]: how many, and the last of them;
 * and the last one that ended before from (the cause of a state that
 * persists, such as pages detached by an earlier truncate).
 */
struct timeline_overlap {
	uint64_t n;
	const struct timeline_event *last, *before;
};

void timeline_overlap(const struct timeline *tl, double from, double to,
		      struct timeline_overlap *o);

#endif
