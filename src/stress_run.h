/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_STRESS_RUN_H
#define MRS_STRESS_RUN_H

#include <pthread.h>
#include <stdatomic.h>

#include "finding.h"
#include "latency.h"
#include "stressor.h"
#include "timeline.h"
#include "watchdog.h"

struct stress_spec {
	char name[32];
	const struct stressor *s;
	char mr[32];
	double interval; /* seconds between steps of one thread */
	unsigned threads;
	char range[64]; /* "START-END" as given; "" is the whole MR */
	unsigned n_opts;
	struct stress_opt opts[STRESS_MAX_OPTS];
};

/*
 * "START-END", each a size or a percentage of the MR ("0-50%", "1M-3M",
 * "25%-75%"): the byte range, rounded out to whole pages of page bytes.
 */
int stress_range_parse(const char *v, size_t mr_size, size_t page,
		       uint64_t *off, uint64_t *len);

struct stress_stats {
	uint64_t steps, errors;
	uint64_t refused; /* operations the kernel refused as expected */
	double busy, max; /* seconds in step(), longest step */
	uint64_t dma_overlap; /* DMA ops on the MR in flight during steps */
	struct latency latency; /* of every step */
	bool skipped;
	char reason[256]; /* why it was skipped or stopped */
	char refusal[256]; /* the first refusal */
};

struct stress_thread {
	struct stress_run *r;
	struct stress_step st;
	struct timeline tl;
	pthread_t thread;
	struct stress_stats stats;
	struct watch *watch; /* set by the thread */
	bool stuck; /* not joined: blocked in the kernel */
};

/* One stressor: its threads step at its interval until *stop. */
struct stress_run {
	const struct stress_spec *spec;
	struct stress_ctx ctx;
	struct finding_list *fl;
	double t0;
	double slowdown; /* multiplies the interval; 0 is 1 */
	const atomic_bool *stop;
	atomic_uint_fast64_t *live_steps; /* steps so far, NULL: not counted */
	struct watchdog *wd; /* NULL: steps are not watched */
	double deadline; /* seconds a step may take before it is a hang */
	atomic_bool halt; /* a thread failed: the others stop too */
	pthread_mutex_t lock; /* stats.reason, stats.refusal; the caller
				 initialises it */
	struct stress_thread *threads;
	unsigned n_started;
	atomic_uint n_running; /* threads that reached their loop */
	bool set_up; /* setup() ran: teardown() is owed */
	unsigned n_stuck; /* threads still blocked at the join */
	struct stress_stats stats; /* summed by stress_run_join() */
};

/* Set up and start; a stressor that cannot run here is marked skipped. */
int stress_run_start(struct stress_run *r, struct mrs_err *e);
/*
 * Have all its threads reached their loop? The run's duration counts from
 * then: a thread the scheduler starts late must not lose its whole run.
 */
bool stress_run_running(struct stress_run *r);
/*
 * Join the threads, tear down, sum the stats (timelines are kept). A
 * thread whose step hangs is left blocked where it is: then nothing it
 * may touch is torn down or freed. Returns how many were left.
 */
unsigned stress_run_join(struct stress_run *r);
/* Free the timelines (unless a thread is stuck). */
void stress_run_free(struct stress_run *r);

#endif
