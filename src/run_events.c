// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The steps of every stressor thread, merged in time order into the run's
 * result: the stressors' timelines go when the run ends, the bundle writes
 * them after (timeline.txt, and the steps around each finding).
 */
#include <stdlib.h>
#include <string.h>

#include "fault.h"
#include "run_events.h"

static int by_start(const void *a, const void *b)
{
	const struct run_event *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

static size_t held(const struct stress_run *sr)
{
	size_t n = 0;

	for (unsigned k = 0; sr->threads && k < sr->ctx.n_threads; k++)
		n += sr->threads[k].tl.n - timeline_first(&sr->threads[k].tl);
	return n;
}

static void copy_thread(struct run_result *res, unsigned i, unsigned k,
			const struct timeline *tl)
{
	for (size_t j = timeline_first(tl); j < tl->n; j++) {
		const struct timeline_event *e = timeline_at(tl, j);
		struct run_event *ev = &res->events[res->n_events++];

		ev->start = e->start;
		ev->end = e->end;
		ev->stress = i;
		ev->thread = k;
		memcpy(ev->what, e->what, sizeof(ev->what));
	}
	res->events_dropped += timeline_first(tl);
}

int run_events_collect(struct run_result *res, const struct stress_run *sr,
		       unsigned n)
{
	size_t total = 0;

	for (unsigned i = 0; i < n; i++)
		total += held(&sr[i]);
	res->events = total ? mrs_calloc(total, sizeof(*res->events)) : NULL;
	if (total && !res->events)
		return -1;
	for (unsigned i = 0; i < n; i++)
		for (unsigned k = 0; sr[i].threads && k < sr[i].ctx.n_threads;
		     k++)
			copy_thread(res, i, k, &sr[i].threads[k].tl);
	qsort(res->events, res->n_events, sizeof(*res->events), by_start);
	return 0;
}

size_t run_events_from(const struct run_result *res, double t)
{
	size_t lo = 0, hi = res->n_events;

	/* Events start in order but end in any: look back for long ones. */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (res->events[mid].start < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
