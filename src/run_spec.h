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
#include "expect.h"
#include "stress_run.h"

#define RUN_MAX_MRS 32
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
	char name[64]; /* a scenario's, "" from the command line */
	char description[256];
	double duration; /* seconds */
	uint64_t seed;
	bool seed_given; /* false until given or run_spec_choose_seed() */
	double slowdown; /* scales intervals and deadlines, not the duration */
	/* An operation that takes longer (times slowdown) is a hang. */
	double hang_timeout;
	/* Without one of these the scenario is skipped (status 4). */
	bool requires[CAP_COUNT];
	unsigned n_mrs, n_dmas, n_stress;
	struct mr_spec mrs[RUN_MAX_MRS];
	struct dma_spec dmas[RUN_MAX_DMAS];
	struct stress_spec stress[RUN_MAX_STRESS];
	struct expect_list expects;
};

/* Which part of a spec an error of run_spec_finish() is about. */
enum spec_part {
	PART_NONE,
	PART_MR,
	PART_DMA,
	PART_STRESS,
	PART_EXPECT,
};

struct spec_where {
	enum spec_part part;
	unsigned index;
	char key[32]; /* the key at fault, "" for the section as a whole */
};

void run_spec_init(struct run_spec *s);

/*
 * [scenario] keys: name, description, duration, seed, slowdown,
 * hang_timeout, requires.
 */
int run_spec_set(struct run_spec *s, const char *key, const char *val,
		 struct mrs_err *e);

/*
 * A new MR, DMA or stressor with its defaults, appended to s: the command
 * line and scenario files start each one the same way.
 */
struct mr_spec *run_spec_new_mr(struct run_spec *s, struct mrs_err *e);
struct dma_spec *run_spec_new_dma(struct run_spec *s, struct mrs_err *e);
struct stress_spec *run_spec_new_stress(struct run_spec *s,
					const struct stressor *type,
					struct mrs_err *e);

/* A seed from the clock when none was given, so that it can be printed. */
void run_spec_choose_seed(struct run_spec *s);

/* "rw+atomic": access bits in the words --mr's access= reads back. */
const char *mr_access_format(unsigned access, char *buf, size_t len);
/* w is an access word: rw, ro, odp, atomic, mw, local, ondemand. */
bool mr_access_word(const char *w);

/* Command-line forms; each returns 0 or -EINVAL with e naming the fault. */
int run_spec_add_mr(struct run_spec *s, const char *arg, struct mrs_err *e);
int run_spec_add_dma(struct run_spec *s, const char *arg, struct mrs_err *e);
int run_spec_add_stress(struct run_spec *s, const char *arg, struct mrs_err *e);
int run_spec_add_expect(struct run_spec *s, const char *arg, struct mrs_err *e);

/*
 * Fill in defaults (a write DMA when none was given) and check references
 * between sections (a DMA's mr exists, block sizes divide MR sizes...).
 * Idempotent. On an error, *where (when not NULL) says which section and
 * key it is about, so that a scenario file can name its line.
 */
int run_spec_finish(struct run_spec *s, struct spec_where *where,
		    struct mrs_err *e);

/* One key of a section, as a scenario file or the command line gives it. */
int mr_spec_set(struct mr_spec *m, const char *key, const char *val,
		struct mrs_err *e);
int dma_spec_set(struct dma_spec *d, const char *key, const char *val,
		 struct mrs_err *e);
int stress_spec_set(struct stress_spec *st, const char *key, const char *val,
		    struct mrs_err *e);

/* The same behind one type, for code that handles any section. */
typedef int spec_setter(void *obj, const char *key, const char *val,
			struct mrs_err *e);
spec_setter mr_spec_setter, dma_spec_setter, stress_spec_setter;

int mr_spec_find(const struct run_spec *s, const char *name);

#endif
