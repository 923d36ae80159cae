/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_STRESSOR_H
#define MRS_STRESSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "target.h"

/*
 * A stressor races one kind of kernel activity (fsync, truncate, reclaim...)
 * against DMA. Each is one file in stress/ exporting one descriptor;
 * stress/registry.c lists them. The engine never names a concrete one: it
 * calls step() at the stressor's interval and times every call.
 *
 * A stressor that makes bytes of the file zero (truncate, punch) tells the
 * shadow state with shadow_zero_range() before it starts and again once it
 * has returned, so that zeros are legal for every generation posted before
 * the operation ended, and holds the target's view_lock for writing while
 * the file is shorter than its mapping.
 */
#define STRESS_MAX_OPTS 8

struct stress_opt {
	char key[32];
	char val[96];
};

struct stress_ctx {
	struct target *t;
	const struct stress_opt *opts;
	unsigned n_opts;
	uint64_t rng;
	void *priv; /* the stressor's own state */
};

struct stressor {
	const char *name;
	const char *help;
	const char *const *keys; /* option keys it takes, NULL-terminated */
	bool needs_file; /* works on the file behind the memory */
	/* Validate one option before anything runs: -EINVAL with e set. */
	int (*check_opt)(const char *key, const char *val, size_t mr_size,
			 struct mrs_err *e);
	/* -EOPNOTSUPP: skipped here, e->msg says why. */
	int (*setup)(struct stress_ctx *c, struct mrs_err *e);
	int (*step)(struct stress_ctx *c, struct mrs_err *e);
	void (*teardown)(struct stress_ctx *c);
};

extern const struct stressor *const stressors[];

#define for_each_stressor(s, i) \
	for ((i) = 0; ((s) = stressors[(i)]) != NULL; (i)++)

const struct stressor *stressor_find(const char *name);
/* The value of key in c's options, or NULL. */
const char *stress_opt(const struct stress_ctx *c, const char *key);

#endif
