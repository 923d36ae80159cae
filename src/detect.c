// SPDX-License-Identifier: GPL-2.0-or-later
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "detect.h"
#include "run.h"
#include "taint.h"

#define HUNG_TIMEOUT_FILE "/proc/sys/kernel/hung_task_timeout_secs"
#define HUNG_WARNINGS_FILE "/proc/sys/kernel/hung_task_warnings"

/*
 * The kernel's own hung-task report comes after hung_task_timeout_secs
 * (120 by default): lowered to the run's hang timeout, it comes while the
 * run can still wait for it. An exhausted warning budget (an earlier run
 * in this boot) would silence it: give it a fresh one.
 */
static void lower_hung_task_timeout(struct run_detectors *d,
				    struct run_result *res)
{
	struct mrs_err e = { 0 };
	char val[32];

	snprintf(val, sizeof(val), "%.0f", ceil(d->hang_timeout));
	if (knob_set(&d->hung_timeout, HUNG_TIMEOUT_FILE, val, &e)) {
		snprintf(res->hung_task_note, sizeof(res->hung_task_note),
			 "kernel hung-task timeout not lowered: %.100s", e.msg);
		return;
	}
	knob_set(&d->hung_warnings, HUNG_WARNINGS_FILE, "10", &e);
	snprintf(res->hung_task_note, sizeof(res->hung_task_note),
		 "kernel.hung_task_timeout_secs %s for the run (was %.32s)",
		 val, d->hung_timeout.saved);
}

void detect_start(struct run_detectors *d, double hang_timeout,
		  struct run_result *res)
{
	struct mrs_err e = { 0 };

	memset(d, 0, sizeof(*d));
	d->hang_timeout = hang_timeout;
	res->hang_timeout = hang_timeout;
	d->taint_ok = !taint_read(&d->taint_before, &e);
	if (!d->taint_ok)
		str_copy(res->taint_note, sizeof(res->taint_note), e.msg);
	kmsg_monitor_start(&d->kmsg);
	/* Said now, not only in the report: the run is blind to the kernel. */
	if (!d->kmsg.started)
		fprintf(stderr, "mrstress: warning: %s; the run goes on\n",
			d->kmsg.note);
	if (watchdog_start(&d->wd, mono_now(), &e))
		str_copy(res->hang_note, sizeof(res->hang_note), e.msg);
	lower_hung_task_timeout(d, res);
}

void detect_set_t0(struct run_detectors *d, double t0)
{
	d->wd.t0 = t0;
}

/* A stuck thread: wait a bounded time for the kernel's report of it. */
static void wait_hung_task(struct run_detectors *d, struct run_result *res)
{
	/* khungtaskd looks every timeout: a task is reported within two. */
	double wait = 2 * ceil(d->hang_timeout) + 2, end = mono_now() + wait;

	if (!kmsg_monitor_reading(&d->kmsg) || !d->hung_timeout.changed)
		return;
	while (!kmsg_monitor_seen(&d->kmsg, FC_HUNG_TASK) && mono_now() < end)
		usleep(200 * 1000);
	if (!kmsg_monitor_seen(&d->kmsg, FC_HUNG_TASK))
		snprintf(
			res->hang_note, sizeof(res->hang_note),
			"a thread is still blocked, but the kernel logged no hung task within %.0f s",
			wait);
}

static void kmsg_results(struct run_detectors *d, double t0,
			 struct run_result *res)
{
	const struct kmsg_report *context = NULL;

	res->kmsg_read = d->kmsg.started;
	res->kmsg_records = d->kmsg.records;
	res->kmsg_lost = d->kmsg.lost;
	str_copy(res->kmsg_note, sizeof(res->kmsg_note), d->kmsg.note);
	if (d->kmsg.started)
		kmsg_monitor_findings(&d->kmsg, t0, watchdog_who, &d->wd,
				      &res->findings, &context);
	watchdog_findings(&d->wd, context ? context->text : NULL,
			  &res->findings);
}

static void taint_results(struct run_detectors *d, double t0,
			  struct run_result *res)
{
	struct finding f = { .t = mono_now() - t0 };
	struct mrs_err e = { 0 };
	uint64_t after;

	if (!d->taint_ok)
		return;
	if (taint_read(&after, &e)) {
		str_copy(res->taint_note, sizeof(res->taint_note), e.msg);
		return;
	}
	res->taint_read = true;
	res->taint_before = d->taint_before;
	res->taint_after = after;
	if (taint_new_bits(d->taint_before, after, &f))
		finding_add(&res->findings, &f);
}

void detect_finish(struct run_detectors *d, double t0, bool stuck,
		   struct run_result *res)
{
	watchdog_stop(&d->wd);
	if (stuck)
		wait_hung_task(d, res);
	kmsg_monitor_stop(&d->kmsg);
	kmsg_results(d, t0, res);
	taint_results(d, t0, res);
	knob_restore(&d->hung_timeout);
	knob_restore(&d->hung_warnings);
	kmsg_monitor_free(&d->kmsg);
	watchdog_free(&d->wd);
}
