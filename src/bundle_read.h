/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_BUNDLE_READ_H
#define MRS_BUNDLE_READ_H

#include <limits.h>
#include <stdbool.h>

#include "error.h"
#include "finding.h"

/*
 * What --replay and --minimize take from a bundle: the scenario files of
 * its scenarios and, for each, the findings it recorded, reduced to what
 * must come back for the same bug: class and MR.
 */
#define BUNDLE_MAX_SCENARIOS 64
#define BUNDLE_MAX_KEYS 64

struct finding_key {
	enum finding_class cls;
	char mr[32];
	bool expected;
};

struct bundle_scenario_in {
	char dir[PATH_MAX];
	char scenario[PATH_MAX]; /* DIR/scenario.scn */
	unsigned n_keys;
	struct finding_key keys[BUNDLE_MAX_KEYS];
	bool any_unexpected;
};

struct bundle_in {
	unsigned n;
	struct bundle_scenario_in v[BUNDLE_MAX_SCENARIOS];
};

/* Read the bundle at dir; -EINVAL with e naming the file and what is wrong. */
int bundle_read(const char *dir, struct bundle_in *b, struct mrs_err *e);

/* Add the key of f to keys (once per class and MR). */
void finding_keys_add(struct finding_key *keys, unsigned *n, unsigned cap,
		      enum finding_class cls, const char *mr, bool expected);

/*
 * Whether got brings back what want recorded: every unexpected key of want
 * (or every key, when none was unexpected) is in got. The keys missing and
 * the unexpected keys new in got are written to missing and new ("" none).
 */
bool finding_keys_same(const struct bundle_scenario_in *want,
		       const struct finding_key *got, unsigned n_got,
		       char *missing, size_t missing_len, char *new_keys,
		       size_t new_len);

#endif
