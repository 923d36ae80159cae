/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_REPRO_PLAN_H
#define MRS_REPRO_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "repro.h"

/* One stressor of the run as the reproducer runs it. */
struct repro_racer {
	const struct stress_spec *spec;
	char fn[48]; /* its step function in the program */
	unsigned threads;
	long interval_ms; /* with the run's slowdown */
	uint64_t off, len; /* its range */
	uint64_t seed; /* the stressor's, as the engine gives it */
};

/* What a reproducer is made of: one MR of the run and what acts on it. */
struct repro_plan {
	const struct run_spec *spec;
	const struct mr_spec *mr;
	const struct backing *backing;
	const char *target; /* a class name, or "any-data" */
	char memory[96]; /* "file ext4 2M shared" */
	size_t size, page, hugepage, block_size;
	unsigned qd;
	bool reads; /* dma op read: READ and check while racing */
	long round_ms;
	double hang_timeout; /* with the slowdown */
	struct repro_racer racer[RUN_MAX_STRESS];
	unsigned n_racers;
	char racers_said[256]; /* "truncate (2 threads, every 100 ms) run" */
	char left_out[RUN_MAX_STRESS][128]; /* stressors that do not apply */
	unsigned n_left_out;
};

/*
 * Choose the MR (tg->mr, or the first with a DMA), its DMA and the
 * stressors on it. -EOPNOTSUPP with e naming what has no standalone form.
 */
int repro_plan_make(struct repro_plan *p, const struct run_spec *spec,
		    const struct repro_target *tg, struct mrs_err *e);

/* The random state of thread t of a racer, as stress_run.c seeds it. */
uint64_t repro_thread_seed(const struct repro_racer *r, unsigned t);

#endif
