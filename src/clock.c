// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

/* Field 22 of /proc/self/stat: start time in clock ticks after boot. */
static double process_start_boottime(void)
{
	unsigned long long ticks;
	char buf[1024], *p;
	size_t n;
	FILE *f = fopen("/proc/self/stat", "r");

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The command name may hold spaces and parentheses: skip past it. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1,
			 " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u"
			 " %*d %*d %*d %*d %*d %*d %llu",
			 &ticks) != 1)
		return -1;
	return (double)ticks / (double)sysconf(_SC_CLK_TCK);
}

double clock_process_age(void)
{
	double start = process_start_boottime();
	struct timespec ts;

	if (start < 0 || clock_gettime(CLOCK_BOOTTIME, &ts))
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9 - start;
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
