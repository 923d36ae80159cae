/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_STATUS_H
#define MRS_STATUS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include "report.h"

/*
 * The live status line of a run: scenario, elapsed/remaining, DMA MB/s,
 * steps/s per stressor, findings so far. On a terminal one line updated
 * in place; elsewhere a plain line every interval, so that a CI log shows
 * that a long run is alive. It goes where the report stream is, with that
 * stream's line prefix ("# " in KTAP), or to stderr when stdout carries a
 * document (JSON).
 */
struct status_line {
	const struct scenario *sc;
	struct run_result *res;
	struct run_live *live;
	FILE *f;
	const char *prefix;
	bool tty;
	double interval;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop, started;
	/* The counters at the last line, for rates over the interval. */
	double last_t;
	uint64_t last_bytes, last_steps[RUN_MAX_STRESS];
};

/* interval < 0: the default (1 s on a terminal, else 10 s); 0: none. */
void status_line_start(struct status_line *s, double interval,
		       const struct reporter *out, const struct scenario *sc,
		       struct run_result *res, struct run_live *live);
void status_line_stop(struct status_line *s);

/* One status line for res at time now into buf (pure: unit tested). */
void status_line_format(struct status_line *s, double now, char *buf,
			size_t len);

#endif
