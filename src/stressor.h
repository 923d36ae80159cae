/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_STRESSOR_H
#define MRS_STRESSOR_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "device.h"
#include "error.h"
#include "finding.h"
#include "target.h"

/*
 * A stressor races one kind of kernel activity (fsync, truncate, reclaim...)
 * against DMA. Each is one file in stress/ exporting one descriptor;
 * stress/registry.c lists them. The engine never names a concrete one: it
 * runs step() from each of the stressor's threads at its interval, times
 * every call and keeps it in a timeline, so that a finding can name the
 * steps that overlapped it.
 *
 * The engine handles the keys every stressor has: interval= or rate=,
 * range= (the part of the MR it works on, page aligned, in c->off/c->len),
 * threads=, mr= and name=. A stressor lists only its own keys.
 *
 * A stressor that makes bytes of the file zero (truncate, punch) tells the
 * shadow state with shadow_zero_range() before it starts and again once it
 * has returned, so that zeros are legal for every generation posted before
 * the operation ended, and holds the target's view_lock for writing while
 * the CPU mapping of a range would fault (file shorter than its mapping,
 * range unmapped or PROT_NONE).
 */
#define STRESS_MAX_OPTS 8

struct stress_opt {
	char key[32];
	char val[96];
};

struct stress_ctx {
	struct target *t;
	struct rdma_dev *dev; /* to register MRs or bind windows of its own */
	const struct stress_opt *opts;
	unsigned n_opts;
	uint64_t off, len; /* the range within the MR, page aligned */
	unsigned n_threads;
	/*
	 * writes_blocks stressors own every block first + k * stride (k >= 0,
	 * plus their thread index) of the MR, as DMA threads own theirs: only
	 * they post writes to those blocks, through the shadow state.
	 */
	unsigned first, stride;
	const atomic_bool *stop; /* a long step returns early once set */
	/*
	 * The run's findings, for what a stressor sees itself: a block it
	 * wrote and checked (check_views), an operation that never returned.
	 */
	struct finding_list *fl;
	uint64_t seed;
	void *priv; /* the stressor's own state, shared by its threads */
};

/* What a stressor's standalone form is written from (repro_step). */
struct stress_repro {
	const struct stress_opt *opts;
	unsigned n_opts;
	size_t mr_size;
};

/* The value of key in a's options, or NULL. */
const char *stress_repro_opt(const struct stress_repro *a, const char *key);

/* One call of step(): which thread, its random state, what it did. */
struct stress_step {
	unsigned thread;
	uint64_t rng;
	char what[48]; /* for the timeline: "ftruncate 8M -> 4M" */
};

struct stressor {
	const char *name;
	const char *help;
	const char *const *keys; /* its own option keys, NULL-terminated */
	bool needs_file; /* works on the file behind the memory */
	bool writes_blocks; /* owns blocks of the MR, see stress_ctx */
	/* Validate one option before anything runs: -EINVAL with e set. */
	int (*check_opt)(const char *key, const char *val, size_t mr_size,
			 struct mrs_err *e);
	/*
	 * Validate options that depend on each other (truncate's mode and
	 * to), once each checked alone: -EINVAL with e set and *key the key
	 * at fault. Optional.
	 */
	int (*check_opts)(const struct stress_opt *opts, unsigned n,
			  size_t mr_size, const char **key, struct mrs_err *e);
	/* -EOPNOTSUPP: skipped here, e->msg says why. */
	int (*setup)(struct stress_ctx *c, struct mrs_err *e);
	/*
	 * 0: done. -EAGAIN: the kernel refused this operation in a way the
	 * stressor expects (EBUSY from a freeze...): counted, e->msg kept, the
	 * run goes on. -EOPNOTSUPP: cannot go on here, skipped from now on
	 * with e->msg. Anything else: a harness error, the stressor stops.
	 */
	int (*step)(struct stress_ctx *c, struct stress_step *st,
		    struct mrs_err *e);
	void (*teardown)(struct stress_ctx *c);
	/*
	 * Optional: write the standalone form of step() for a reproducer
	 * (repro.h): C statements, the body of
	 *   static int NAME(struct racer *r, struct step *st)
	 * using what src/repro_prelude.c.in gives (r->m, rand_range(),
	 * rnd(), what(), step_fail()...), with the options of a
	 * substituted: the same system calls and the same choices from the
	 * seed as step(). Returns 0 or -errno with e set. NULL: a run
	 * using this stressor has no reproducer.
	 */
	int (*repro_step)(FILE *f, const struct stress_repro *a,
			  struct mrs_err *e);
};

extern const struct stressor *const stressors[];

#define for_each_stressor(s, i) \
	for ((i) = 0; ((s) = stressors[(i)]) != NULL; (i)++)

const struct stressor *stressor_find(const char *name);
/* The value of key in c's options, or NULL. */
const char *stress_opt(const struct stress_ctx *c, const char *key);

/* The next random number of this thread (rng.h). */
uint64_t stress_rand(struct stress_step *st);
/* A random page-aligned [*off, *off + *len) inside c's range. */
void stress_rand_range(const struct stress_ctx *c, struct stress_step *st,
		       uint64_t *off, uint64_t *len);

#endif
