/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_PLAN_H
#define MRS_PLAN_H

#include "error.h"
#include "options.h"
#include "scenario.h"

/*
 * The runs one invocation makes, in order: the command line's one run, or
 * one per scenario file (every *.scn of a directory, sorted). All of them
 * are parsed and resolved (seed chosen, --slowdown applied) before any
 * runs, so that a mistake in the last file costs no time.
 */
struct plan {
	unsigned n;
	struct scenario **runs; /* path "" for the command line's */
};

/* -EINVAL (a usage error) with e naming the file and line at fault. */
int plan_load(struct plan *p, const struct mrs_options *o, struct mrs_err *e);
void plan_free(struct plan *p);

/*
 * The exit status of several runs: a usage error (2) before a harness
 * failure (3) before findings (1); skipped (4) only when every run was,
 * else 0.
 */
int plan_exit_status(const int *status, unsigned n);

#endif
