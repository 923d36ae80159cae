/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_STRESS_WHAT_H
#define MRS_STRESS_WHAT_H

#include <stddef.h>
#include <stdint.h>

#include "stressor.h"

/* What a step did, for the timeline, cut to fit st->what. */
__attribute__((format(printf, 2, 3))) void step_what(struct stress_step *st,
						     const char *fmt, ...);

/* "1M@0x200000": a range of the MR, for messages. */
const char *range_str(uint64_t off, uint64_t len, char *buf, size_t n);

#endif
