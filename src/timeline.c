// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fault.h"
#include "error.h"
#include "timeline.h"

int timeline_init(struct timeline *tl, size_t cap)
{
	tl->n = 0;
	tl->cap = cap;
	tl->ev = mrs_malloc(cap * sizeof(*tl->ev));
	if (!tl->ev)
		return -ENOMEM;
	/*
	 * Touched now, not page by page as steps come: a long run's resident
	 * set is then flat from its start, and no stressor step takes a page
	 * fault of ours in the middle of the race. Not memset: the compiler
	 * makes malloc and memset a calloc, whose pages stay untouched.
	 */
	explicit_bzero(tl->ev, cap * sizeof(*tl->ev));
	return 0;
}

void timeline_free(struct timeline *tl)
{
	free(tl->ev);
	tl->ev = NULL;
	tl->cap = tl->n = 0;
}

void timeline_add(struct timeline *tl, double start, double end,
		  const char *what)
{
	struct timeline_event *e;

	if (!tl->cap)
		return;
	e = &tl->ev[tl->n++ % tl->cap];
	e->start = start;
	e->end = end;
	str_copy(e->what, sizeof(e->what), what);
}

size_t timeline_first(const struct timeline *tl)
{
	return tl->n > tl->cap ? tl->n - tl->cap : 0;
}

const struct timeline_event *timeline_at(const struct timeline *tl, size_t i)
{
	return &tl->ev[i % tl->cap];
}

void timeline_overlap(const struct timeline *tl, double from, double to,
		      struct timeline_overlap *o)
{
	memset(o, 0, sizeof(*o));
	for (size_t i = timeline_first(tl); i < tl->n; i++) {
		const struct timeline_event *e = timeline_at(tl, i);

		if (e->end < from)
			o->before = e;
		if (e->end < from || e->start > to)
			continue;
		o->n++;
		o->last = e;
	}
}
