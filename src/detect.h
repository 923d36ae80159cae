/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_DETECT_H
#define MRS_DETECT_H

#include <stdbool.h>
#include <stdint.h>

#include "kmsg.h"
#include "knob.h"
#include "watchdog.h"

struct run_result;

/*
 * What a run watches besides its data: the kernel log, the taint flags
 * and hangs. Started before the first registration, finished after the
 * last thread was joined (or found stuck).
 */
struct run_detectors {
	struct kmsg_monitor kmsg;
	struct watchdog wd;
	struct knob hung_timeout, hung_warnings;
	uint64_t taint_before;
	bool taint_ok;
	double hang_timeout; /* seconds, slowdown applied */
};

/* Each detector that cannot work here leaves a note in res. */
void detect_start(struct run_detectors *d, double hang_timeout,
		  struct run_result *res);
/* Call when the run's clock starts. */
void detect_set_t0(struct run_detectors *d, double t0);
/*
 * Stop watching and add the findings: kernel reports, hangs, new taint.
 * When a thread is still stuck, first give the kernel the time to report
 * the hung task itself.
 */
void detect_finish(struct run_detectors *d, double t0, bool stuck,
		   struct run_result *res);

#endif
