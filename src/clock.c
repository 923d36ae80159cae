// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <time.h>

#include "clock.h"

uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

double mono_now(void)
{
	return (double)mono_ns() / 1e9;
}

void sleep_until(double when, const atomic_bool *stop)
{
	while (!atomic_load(stop)) {
		double left = when - mono_now();
		struct timespec ts;

		if (left <= 0)
			return;
		/* Short naps so that a stop is seen within 50 ms. */
		if (left > 0.05)
			left = 0.05;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(left * 1e9);
		nanosleep(&ts, NULL);
	}
}

int join_until(pthread_t t, double when)
{
	struct timespec ts;
	double left = when - mono_now(), at;

	/* pthread_timedjoin_np() takes CLOCK_REALTIME. */
	clock_gettime(CLOCK_REALTIME, &ts);
	at = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9 +
	     (left > 0 ? left : 0);
	ts.tv_sec = (time_t)at;
	ts.tv_nsec = (long)((at - (double)ts.tv_sec) * 1e9);
	return pthread_timedjoin_np(t, NULL, &ts);
}
