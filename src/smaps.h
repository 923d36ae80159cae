/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_SMAPS_H
#define MRS_SMAPS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/*
 * In TEXT (the contents of /proc/PID/smaps), the value of FIELD (such as
 * "AnonHugePages") in bytes for the mapping that contains ADDR. Pure, so
 * that tests can feed it text. Returns 0 with *bytes set, -ENOENT when no
 * mapping contains ADDR, -ENODATA when that mapping has no such field.
 */
int smaps_field(const char *text, uintptr_t addr, const char *field,
		size_t *bytes);

/* The same for this process, reading /proc/self/smaps. */
int smaps_self_field(uintptr_t addr, const char *field, size_t *bytes,
		     struct mrs_err *e);

#endif
