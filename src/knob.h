/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_KNOB_H
#define MRS_KNOB_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/*
 * A kernel tunable in /proc/sys or /sys that a stressor changes for the
 * run (vm.dirty_*, ksm/run...) and must put back as it found it.
 */
struct knob {
	char path[PATH_MAX];
	char saved[256];
	bool changed;
};

/* The first line of path, without its newline. */
int knob_read(const char *path, char *buf, size_t len, struct mrs_err *e);
int knob_write(const char *path, const char *val, struct mrs_err *e);
/* Remember path's value and write val: -EOPNOTSUPP when it is absent. */
int knob_set(struct knob *k, const char *path, const char *val,
	     struct mrs_err *e);
/* Write the remembered value back (once; a knob never set is left). */
void knob_restore(struct knob *k);

#endif
