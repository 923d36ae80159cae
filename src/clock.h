/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_CLOCK_H
#define MRS_CLOCK_H

#include <stdatomic.h>

/* Seconds on the monotonic clock: what every run-relative time is from. */
double mono_now(void);

/* Sleep until mono_now() >= when, returning within 50 ms of *stop. */
void sleep_until(double when, const atomic_bool *stop);

#endif
