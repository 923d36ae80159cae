/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_SCENARIO_H
#define MRS_SCENARIO_H

#include <limits.h>
#include <stdio.h>

#include "error.h"
#include "run_spec.h"

/*
 * A scenario file: INI (libinih) with the sections
 *
 *   [scenario]      name, description, duration, seed, slowdown
 *   [mr NAME]       backing, fs or dir, size, access, hugepage
 *   [dma NAME]      mr, op, bs, qd, threads, check
 *   [stress NAME]   type, mr, interval and the stressor's own keys
 *   [expect]        CLASS = [must|may] [CONDITION], one line each
 *
 * parsed into the same struct run_spec as the command line builds. Every
 * key is checked; an error reads "FILE:LINE: message (hint)". The line of
 * every section and key is kept so that errors found once the whole file
 * is known (a reference to a missing MR, a block size) name it as well.
 */
#define SCENARIO_MAX_KEYS 512

struct scenario_key {
	enum spec_part part;
	unsigned index;
	char key[32];
	unsigned line;
};

struct scenario {
	char path[PATH_MAX];
	struct run_spec spec;
	unsigned mr_line[RUN_MAX_MRS];
	unsigned dma_line[RUN_MAX_DMAS];
	unsigned stress_line[RUN_MAX_STRESS];
	unsigned n_keys;
	struct scenario_key keys[SCENARIO_MAX_KEYS];
};

/*
 * Parse and finish (run_spec_finish()) one file. -EINVAL with e->msg
 * "FILE:LINE: ..." for anything wrong in it, another -errno when it cannot
 * be read.
 */
int scenario_load(struct scenario *sc, const char *path, struct mrs_err *e);

/* The same from f, called name in messages. */
int scenario_load_file(struct scenario *sc, FILE *f, const char *name,
		       struct mrs_err *e);

/* The line of w's key, else of its section; 0 when unknown. */
unsigned scenario_line(const struct scenario *sc, const struct spec_where *w);

/*
 * Write s as a scenario file that reproduces it: every section with every
 * key, the seed, the expectations. Loading what it writes gives s back.
 * Returns 0, or -EIO when f could not be written.
 */
int scenario_print(FILE *f, const struct run_spec *s);

#endif
