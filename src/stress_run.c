// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Runs one stressor: its threads step at its interval, every step timed
 * and kept in the thread's timeline, errors turned into findings, a
 * stressor that does not apply here reported as skipped with its reason.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fault.h"
#include "clock.h"
#include "rng.h"
#include "stress_run.h"
#include "units.h"

#define TIMELINE_EVENTS 16384

int stress_range_parse(const char *v, size_t mr_size, size_t page,
		       uint64_t *off, uint64_t *len)
{
	char buf[64];
	char *dash;
	size_t a, b;

	if (strlen(v) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, v);
	dash = strchr(buf, '-');
	if (!dash)
		return -EINVAL;
	*dash = '\0';
	if (parse_size_or_percent(buf, mr_size, &a) ||
	    parse_size_or_percent(dash + 1, mr_size, &b) || a >= b ||
	    b > mr_size)
		return -EINVAL;
	a -= a % page;
	b = b % page ? b + page - b % page : b;
	*off = a;
	*len = (b > mr_size ? mr_size : b) - a;
	return 0;
}

/* The first message of a kind is the one kept. */
static void keep_msg(struct stress_run *r, char *dst, size_t len,
		     const char *msg)
{
	pthread_mutex_lock(&r->lock);
	if (!dst[0])
		str_copy(dst, len, msg);
	pthread_mutex_unlock(&r->lock);
}

/* Returns true when the thread must stop. */
static bool step_result(struct stress_thread *th, int ret,
			const struct mrs_err *e)
{
	struct stress_run *r = th->r;

	switch (ret) {
	case 0:
		return false;
	case -EAGAIN:
		th->stats.refused++;
		keep_msg(r, r->stats.refusal, sizeof(r->stats.refusal), e->msg);
		return false;
	case -EOPNOTSUPP:
		th->stats.skipped = true;
		keep_msg(r, r->stats.reason, sizeof(r->stats.reason), e->msg);
		return true;
	default:
		th->stats.errors++;
		finding_add_error(r->fl, r->ctx.t->name, mono_now() - r->t0, e,
				  "stressor %s: %s", r->spec->name,
				  errno_name(e->code));
		keep_msg(r, r->stats.reason, sizeof(r->stats.reason), e->msg);
		atomic_store(&r->halt, true);
		return true;
	}
}

/* A fraction of the interval in [0, 1), from the seed and the thread. */
static double start_phase(uint64_t seed, unsigned thread)
{
	uint64_t x = seed ^ (0xd6e8feb86659fd93ULL * (thread + 1));

	return (double)(rng_next(&x) >> 11) / (double)(1ULL << 53);
}

static void *stress_main(void *arg)
{
	struct stress_thread *th = arg;
	struct stress_run *r = th->r;
	double interval =
		r->spec->interval * (r->slowdown > 0 ? r->slowdown : 1);
	double next = mono_now();
	struct watch *w;
	char who[48];

	snprintf(who, sizeof(who), "stressor %s", r->spec->name);
	w = watchdog_add(r->wd, who, th->st.thread, r->ctx.t->name, th->st.what,
			 r->deadline);
	__atomic_store_n(&th->watch, w, __ATOMIC_RELEASE);
	atomic_fetch_add(&r->n_running, 1);
	/*
	 * The seed sets when each thread first acts within its interval, so
	 * that a replay runs the stressors in the same order, not in the
	 * order their threads happened to start.
	 */
	next += interval *
		start_phase(r->ctx.seed, (unsigned)(th - r->threads));
	sleep_until(next, r->stop);

	while (!atomic_load(r->stop) && !atomic_load(&r->halt)) {
		struct mrs_err e = { 0 };
		uint64_t dma0;
		double t, dt;
		int ret;

		next += interval;
		th->st.what[0] = '\0';
		dma0 = atomic_load_explicit(&r->ctx.t->dma_done,
					    memory_order_relaxed);
		t = mono_now();
		watch_begin(w);
		ret = r->spec->s->step(&r->ctx, &th->st, &e);
		watch_end(w);
		dt = mono_now() - t;
		th->stats.dma_overlap +=
			atomic_load_explicit(&r->ctx.t->dma_posted,
					     memory_order_relaxed) -
			dma0;
		timeline_add(&th->tl, t - r->t0, t + dt - r->t0,
			     th->st.what[0] ? th->st.what : r->spec->s->name);
		th->stats.steps++;
		if (r->live_steps)
			atomic_fetch_add_explicit(r->live_steps, 1,
						  memory_order_relaxed);
		th->stats.busy += dt;
		latency_add(&th->stats.latency, (uint64_t)(dt * 1e9));
		if (dt > th->stats.max)
			th->stats.max = dt;
		if (step_result(th, ret, &e))
			break;
		if (next < mono_now())
			next = mono_now(); /* a slow step does not queue more */
		sleep_until(next, r->stop);
	}
	return NULL;
}

/* A stressor that cannot run here: skipped, with the reason. */
static int skip(struct stress_run *r, const char *why)
{
	r->stats.skipped = true;
	str_copy(r->stats.reason, sizeof(r->stats.reason), why);
	return 0;
}

static int start_threads(struct stress_run *r, struct mrs_err *e)
{
	unsigned n = r->ctx.n_threads;

	r->threads = mrs_calloc(n, sizeof(*r->threads));
	if (!r->threads)
		return mrs_err_set(e, ENOMEM, "stressor %s: out of memory",
				   r->spec->name);
	for (unsigned i = 0; i < n; i++) {
		struct stress_thread *th = &r->threads[i];
		int ret;

		th->r = r;
		th->st.thread = i;
		th->st.rng = (r->ctx.seed ^ (0x9e3779b97f4a7c15ULL * (i + 1))) |
			     1;
		if (timeline_init(&th->tl, TIMELINE_EVENTS))
			return mrs_err_set(e, ENOMEM,
					   "stressor %s: out of memory",
					   r->spec->name);
		ret = -mrs_thread_create(&th->thread, stress_main, th);
		if (ret)
			return mrs_err_set(e, -ret,
					   "stressor %s: pthread_create",
					   r->spec->name);
		r->n_started++;
	}
	return 0;
}

int stress_run_start(struct stress_run *r, struct mrs_err *e)
{
	const struct stressor *s = r->spec->s;
	int ret;

	r->ctx.opts = r->spec->opts;
	r->ctx.n_opts = r->spec->n_opts;
	r->ctx.n_threads = r->spec->threads ? r->spec->threads : 1;
	r->ctx.stop = r->stop;
	r->ctx.fl = r->fl;
	if (s->needs_file && r->ctx.t->region.fd < 0) {
		char why[160];

		snprintf(why, sizeof(why), "%s has no file behind it",
			 r->ctx.t->region.desc);
		return skip(r, why);
	}
	ret = s->setup ? s->setup(&r->ctx, e) : 0;
	if (ret == -EOPNOTSUPP)
		return skip(r, e->msg);
	if (ret)
		return ret;
	r->set_up = true;
	ret = start_threads(r, e);
	if (ret)
		atomic_store(&r->halt, true); /* stress_run_join() cleans up */
	return ret;
}

bool stress_run_running(struct stress_run *r)
{
	return !r->set_up || atomic_load(&r->n_running) >= r->n_started;
}

static void add_stats(struct stress_stats *sum, const struct stress_stats *s)
{
	sum->steps += s->steps;
	sum->errors += s->errors;
	sum->refused += s->refused;
	sum->busy += s->busy;
	sum->dma_overlap += s->dma_overlap;
	if (s->max > sum->max)
		sum->max = s->max;
	latency_merge(&sum->latency, &s->latency);
}

unsigned stress_run_join(struct stress_run *r)
{
	bool all_skipped = r->n_started > 0;

	if (!r->set_up)
		return 0;
	for (unsigned i = 0; i < r->n_started; i++) {
		struct stress_thread *th = &r->threads[i];

		if (watch_join(th->thread, &th->watch, 0)) {
			th->stuck = true;
			r->n_stuck++;
			continue;
		}
		add_stats(&r->stats, &th->stats);
		all_skipped &= th->stats.skipped;
	}
	if (r->n_stuck) {
		snprintf(
			r->stats.reason, sizeof(r->stats.reason),
			"%u thread%s still blocked in the kernel at the end: not torn down",
			r->n_stuck, r->n_stuck > 1 ? "s" : "");
		return r->n_stuck;
	}
	/* Skipped once the kernel said it cannot: it may have run a while. */
	if (all_skipped)
		r->stats.skipped = true;
	if (r->spec->s->teardown)
		r->spec->s->teardown(&r->ctx);
	r->set_up = false;
	return 0;
}

void stress_run_free(struct stress_run *r)
{
	if (r->n_stuck)
		return; /* its threads may still write into their timelines */
	if (r->threads)
		for (unsigned i = 0; i < r->ctx.n_threads; i++)
			timeline_free(&r->threads[i].tl);
	free(r->threads);
	r->threads = NULL;
}
