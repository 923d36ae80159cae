/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_CLOCK_H
#define MRS_CLOCK_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

/* Seconds on the monotonic clock: what every run-relative time is from. */
double mono_now(void);
/* The same in nanoseconds, for times kept in atomics. */
uint64_t mono_ns(void);

/*
 * Seconds since this process started (its start time in /proc/self/stat,
 * against CLOCK_BOOTTIME: clock-tick resolution); 0 when unreadable.
 */
double clock_process_age(void);

/* Sleep until mono_now() >= when, returning within 50 ms of *stop. */
void sleep_until(double when, const atomic_bool *stop);

/*
 * Join t if it ends by mono_now() == when: 0, or ETIMEDOUT for a thread
 * still blocked (in the kernel, where nothing can stop it).
 */
int join_until(pthread_t t, double when);

#endif
