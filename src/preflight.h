/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_PREFLIGHT_H
#define MRS_PREFLIGHT_H

#include "error.h"
#include "options.h"
#include "plan.h"

/*
 * What the input names outside the program, checked before an RDMA device
 * is opened, so that a wrong name is a usage error (exit 2) with the fix,
 * not a failure halfway through a run: each returns 0 or -EINVAL with e
 * naming the option or FILE:LINE.
 */

/* A report file (--json=FILE, --junit FILE...): not a directory, and in a
 * directory that exists and can be written. */
int preflight_out_file(const char *opt, const char *path, struct mrs_err *e);

/* --device NAME: one of the RDMA devices here, when there are any (none at
 * all is a skip, said when the device is opened). */
int preflight_device(const char *name, struct mrs_err *e);

/* What the options name: the device and the report files. */
int preflight_options(const struct mrs_options *o, struct mrs_err *e);

/* Every dir = PATH of every MR of the plan: an existing directory. */
int preflight_mr_dirs(const struct plan *p, struct mrs_err *e);

#endif
