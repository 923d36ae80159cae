/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_RUN_SPEC_H
#define MRS_RUN_SPEC_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backing.h"
#include "dma.h"
#include "error.h"
#include "stress_run.h"

#define RUN_MAX_MRS 8
#define RUN_MAX_DMAS 8
#define RUN_MAX_STRESS 16

struct mr_spec {
	char name[32];
	const struct backing *backing;
	char where[PATH_MAX]; /* a scratch filesystem name or a directory */
	size_t size;
	unsigned access; /* IBV_ACCESS_* */
	size_t hugepage_size;
};

/*
 * What a run does: memory, DMA and stressors, as the command line (--mr,
 * --dma, --stress) or a scenario file says it. Pure data; run.c acts on it.
 */
struct run_spec {
	double duration; /* seconds */
	uint64_t seed;
	bool seed_given;
	unsigned expect_mask; /* finding classes that are expected */
	unsigned n_mrs, n_dmas, n_stress;
	struct mr_spec mrs[RUN_MAX_MRS];
	struct dma_spec dmas[RUN_MAX_DMAS];
	struct stress_spec stress[RUN_MAX_STRESS];
};

void run_spec_init(struct run_spec *s);

/* Command-line forms; each returns 0 or -EINVAL with e naming the fault. */
int run_spec_add_mr(struct run_spec *s, const char *arg, struct mrs_err *e);
int run_spec_add_dma(struct run_spec *s, const char *arg, struct mrs_err *e);
int run_spec_add_stress(struct run_spec *s, const char *arg, struct mrs_err *e);
int run_spec_add_expect(struct run_spec *s, const char *arg, struct mrs_err *e);

/*
 * Fill in defaults (a write DMA when none was given) and check references
 * between sections (a DMA's mr exists, block sizes divide MR sizes...).
 */
int run_spec_finish(struct run_spec *s, struct mrs_err *e);

/* One key of a section, as a scenario file or the command line gives it. */
int mr_spec_set(struct mr_spec *m, const char *key, const char *val,
		struct mrs_err *e);
int dma_spec_set(struct dma_spec *d, const char *key, const char *val,
		 struct mrs_err *e);
int stress_spec_set(struct stress_spec *st, const char *key, const char *val,
		    struct mrs_err *e);

int mr_spec_find(const struct run_spec *s, const char *name);

#endif
