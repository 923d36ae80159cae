/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_MINIMIZE_H
#define MRS_MINIMIZE_H

#include <stdbool.h>
#include <stdio.h>

#include "bundle_read.h"
#include "run.h"

/*
 * --minimize DIR: make a bundle's scenario as small as it can be while its
 * first unexpected finding (class and MR) still comes back, the way
 * syzkaller reduces a crash to its reproducer: drop each stressor, each
 * other DMA and MR, take threads down to one, halve the memory and the
 * duration, keeping each step that still reproduces.
 */

/* What must come back. */
struct minimize_target {
	enum finding_class cls;
	char mr[32]; /* "" any */
};

/* Stages of the reduction, tried in order (minimize_candidate()). */
enum minimize_stage {
	MIN_DROP_STRESS,
	MIN_DROP_DMA,
	MIN_DROP_MR,
	MIN_ONE_THREAD,
	MIN_HALVE_SIZE,
	MIN_HALVE_DURATION,
	MIN_STAGES
};

/*
 * The candidate of stage st, item k (a stressor, DMA or MR index; the
 * halvings ignore k) made from s into out, described in what. Returns 1
 * for a candidate, 0 when this one does not apply, -1 past the stage's
 * last item. out is finished (run_spec_finish) when 1 is returned.
 */
int minimize_candidate(const struct run_spec *s,
		       const struct minimize_target *tg, enum minimize_stage st,
		       unsigned k, struct run_spec *out, char *what,
		       size_t len);

/* Whether res holds a finding of the target. */
bool minimize_reproduced(const struct run_result *res,
			 const struct minimize_target *tg);

/*
 * The whole reduction of the bundle at dir, with a line per trial on f.
 * Writes DIR/minimized.scn, DIR/minimize.txt and a new DIR/repro.c.
 * Returns an exit status: 0 minimized, 1 the finding did not come back at
 * all, 2 not a bundle, 3 harness failure.
 */
int minimize_bundle(const char *dir, const struct run_env *env,
		    const struct run_spec *overrides, FILE *f);

#endif
