/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_PLAN_RUN_H
#define MRS_PLAN_RUN_H

#include "report.h"

/*
 * Run a plan's scenarios one after another, writing every report after
 * each: stdout's stream, the files, the bundle. A signal ends the run it
 * came in and the plan; a thread blocked in the kernel ends the plan.
 */
struct plan_run {
	const struct plan *plan;
	struct run_env *env;
	const struct report_set *reports;
	const char *bundle; /* -o DIR, NULL none */
	double status_interval; /* seconds, 0 none, < 0 by the terminal */
	/* Called after each scenario ran, before it is reported; may be NULL. */
	void (*judge)(struct plan_run *pr, unsigned i, void *arg);
	void *judge_arg;
	/* Filled by plan_run_all(): */
	struct scenario_outcome *v;
	struct report_input in;
	struct run_live live;
	struct kconfig kernel; /* read once: one invocation, one kernel */
};

/* Returns the plan's exit status; the outcomes stay until plan_run_free(). */
int plan_run_all(struct plan_run *pr);
void plan_run_free(struct plan_run *pr);

#endif
