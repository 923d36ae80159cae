// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Runs one stressor: every step timed, errors turned into findings, a
 * stressor that does not apply here reported as skipped with its reason.
 */
#include <errno.h>
#include <string.h>

#include "clock.h"
#include "stress_run.h"

static void step_failed(struct stress_run *r, const struct mrs_err *e)
{
	finding_add_error(r->fl, r->ctx.t->name, mono_now() - r->t0, e,
			  "stressor %s: %s", r->spec->name,
			  errno_name(e->code));
	str_copy(r->stats.reason, sizeof(r->stats.reason), e->msg);
}

static void *stress_main(void *arg)
{
	struct stress_run *r = arg;
	const struct stressor *s = r->spec->s;
	double next = mono_now();

	while (!atomic_load(r->stop)) {
		struct mrs_err e = { 0 };
		double t, dt;
		int ret;

		next += r->spec->interval * r->slowdown;
		t = mono_now();
		ret = s->step(&r->ctx, &e);
		dt = mono_now() - t;
		r->stats.steps++;
		r->stats.busy += dt;
		if (dt > r->stats.max)
			r->stats.max = dt;
		if (ret) {
			r->stats.errors++;
			step_failed(r, &e);
			break;
		}
		if (next < mono_now())
			next = mono_now(); /* a slow step does not queue more */
		sleep_until(next, r->stop);
	}
	return NULL;
}

int stress_run_start(struct stress_run *r, struct mrs_err *e)
{
	const struct stressor *s = r->spec->s;
	int ret;

	r->ctx.opts = r->spec->opts;
	r->ctx.n_opts = r->spec->n_opts;
	if (s->needs_file && r->ctx.t->region.fd < 0) {
		r->stats.skipped = true;
		snprintf(r->stats.reason, sizeof(r->stats.reason),
			 "%s has no file behind it", r->ctx.t->region.desc);
		return 0;
	}
	ret = s->setup ? s->setup(&r->ctx, e) : 0;
	if (ret == -EOPNOTSUPP) {
		r->stats.skipped = true;
		str_copy(r->stats.reason, sizeof(r->stats.reason), e->msg);
		return 0;
	}
	if (ret)
		return ret;
	ret = -pthread_create(&r->thread, NULL, stress_main, r);
	if (ret) {
		if (s->teardown)
			s->teardown(&r->ctx);
		return mrs_err_set(e, -ret, "stressor %s: pthread_create",
				   r->spec->name);
	}
	r->started = true;
	return 0;
}

void stress_run_join(struct stress_run *r)
{
	if (!r->started)
		return;
	pthread_join(r->thread, NULL);
	if (r->spec->s->teardown)
		r->spec->s->teardown(&r->ctx);
	r->started = false;
}
