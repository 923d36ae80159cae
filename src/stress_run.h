/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_STRESS_RUN_H
#define MRS_STRESS_RUN_H

#include <pthread.h>
#include <stdatomic.h>

#include "finding.h"
#include "stressor.h"

struct stress_spec {
	char name[32];
	const struct stressor *s;
	char mr[32];
	double interval; /* seconds between steps */
	unsigned n_opts;
	struct stress_opt opts[STRESS_MAX_OPTS];
};

struct stress_stats {
	uint64_t steps, errors;
	double busy, max; /* seconds in step(), longest step */
	bool skipped;
	char reason[256]; /* why it was skipped or stopped */
};

/* One stressor's thread: steps at its interval until *stop. */
struct stress_run {
	const struct stress_spec *spec;
	struct stress_ctx ctx;
	struct finding_list *fl;
	double t0;
	const atomic_bool *stop;
	double slowdown; /* the run's: scales the interval */
	pthread_t thread;
	bool started;
	struct stress_stats stats;
};

/* Set up and start; a stressor that cannot run here is marked skipped. */
int stress_run_start(struct stress_run *r, struct mrs_err *e);
void stress_run_join(struct stress_run *r);

#endif
