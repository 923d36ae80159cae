/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_REPLAY_H
#define MRS_REPLAY_H

#include "bundle_read.h"
#include "plan_run.h"

/*
 * --replay DIR: the scenarios of a bundle run again with their seeds, and
 * after each, whether the findings it recorded came back (its outcome's
 * replay fields, which every report shows).
 */
struct replay {
	struct bundle_in bundle;
	char *paths[BUNDLE_MAX_SCENARIOS]; /* scenario files, for plan_load */
};

int replay_load(struct replay *r, const char *dir, struct mrs_err *e);
/* plan_run's judge: compare scenario i's findings with the bundle's. */
void replay_judge(struct plan_run *pr, unsigned i, void *arg);

#endif
