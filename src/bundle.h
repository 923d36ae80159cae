/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_BUNDLE_H
#define MRS_BUNDLE_H

#include "report.h"

/*
 * The report bundle (-o DIR): everything a kernel bug report needs, in
 * files a person reads and attaches. With one scenario DIR is its bundle;
 * with several, DIR/NAME is each one's and DIR/summary.txt sums them up.
 *
 *   summary.txt     what ran, what was found, how to reproduce
 *   scenario.scn    the resolved scenario, seed included (--replay reads it)
 *   cmdline         the exact command line
 *   kernel.txt      release, version and the config options that matter
 *   taint.txt       taint before and after, with the meaning of each bit
 *   report.txt      the text report; report.json the JSON document
 *   timeline.txt    every stressor step kept, in time order
 *   findings/NN-CLASS.txt  each finding: its fields, kernel log excerpt,
 *                   stacks, hexdumps, the steps around it
 *   repro.c         a standalone reproducer of the first unexpected finding
 *
 * Every file is written whole or not at all (atomic_file.h).
 */
/* Create dir (or take an empty or earlier bundle): -EINVAL with e saying why not. */
int bundle_prepare(const char *dir, struct mrs_err *e);
int bundle_write_scenario(const char *dir, const struct report_input *in,
			  unsigned i);
/* Once the plan is over: the plan's files (several scenarios). */
int bundle_write_plan(const char *dir, const struct report_input *in);

/* The directory of scenario i's bundle within dir (NULL: relative to it). */
void bundle_scenario_dir(const char *dir, const struct report_input *in,
			 unsigned i, char *buf, size_t len);

#endif
