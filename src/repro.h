/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_REPRO_H
#define MRS_REPRO_H

#include <stdio.h>

#include "error.h"
#include "finding.h"
#include "run_spec.h"

/*
 * A standalone reproducer: one C file that needs only libibverbs and libc,
 * builds the memory of one MR of a run as its backing does, registers it,
 * and loops: DMA into it while the run's stressors race it in threads of
 * their own, then every block checked through every view. It prints what
 * it sees and exits 1 when the target class came back. The generic part
 * of the program is src/repro_prelude.c.in and src/repro_body.c.in;
 * backings and stressors give their own parts (repro_build, repro_step).
 */
struct repro_target {
	enum finding_class
		cls; /* the class to reproduce; FC_COUNT: any data damage */
	char mr[32]; /* the MR it was seen on, "" any */
	char title[256]; /* the finding's title, for the header comment */
};

/*
 * Write a standalone C reproducer of spec (a resolved run: seed set) for
 * tg. kernel_release is the kernel the finding was seen on, NULL when the
 * run has not been run. Nothing is written on failure. Returns 0, or
 * -EOPNOTSUPP with e naming what has no standalone form (a stressor, a
 * backing, a DMA op), or another -errno with context.
 */
int repro_write(FILE *f, const struct run_spec *spec,
		const struct repro_target *tg, const char *kernel_release,
		struct mrs_err *e);

/*
 * "CLASS[:MR]" (--repro-class): the class, or "any" for any data damage,
 * and the MR. Returns 0 or -EINVAL with e saying why.
 */
int repro_target_parse(const char *arg, struct repro_target *tg,
		       struct mrs_err *e);

#endif
