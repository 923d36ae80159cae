/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_RUN_EVENTS_H
#define MRS_RUN_EVENTS_H

#include "run.h"
#include "stress_run.h"

/* Merge the timelines of n stressors into res->events; -1: no memory. */
int run_events_collect(struct run_result *res, const struct stress_run *sr,
		       unsigned n);
/* The index of the first event that starts at t or later. */
size_t run_events_from(const struct run_result *res, double t);

#endif
