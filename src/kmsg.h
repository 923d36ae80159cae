/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_KMSG_H
#define MRS_KMSG_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "finding.h"
#include "kmsg_parse.h"

/*
 * The kernel log of a run: a thread reads /dev/kmsg from the moment the
 * run starts (what came before is not the run's) and groups what the
 * kernel reports with the pure parser of kmsg_parse.h.
 */
struct kmsg_monitor {
	int fd, wake[2];
	pthread_t thread;
	bool running;
	bool started; /* the log was read (stays set after the stop) */
	pthread_mutex_t lock; /* parser, reports, counters */
	struct kmsg_parser *parser;
	struct kmsg_report_list reports;
	uint64_t records; /* read, of any facility */
	uint64_t lost; /* overwritten before they were read */
	uint64_t next_seq;
	/* Kernel timestamp minus CLOCK_MONOTONIC, in seconds. */
	double clock_offset;
	bool offset_known;
	char marker[64]; /* the start record written, to find it again */
	double marker_mono;
	char note[192]; /* why the log is not read, or what was lost */
};

/*
 * Starts reading. A log that cannot be read (no root under
 * kernel.dmesg_restrict) is not an error: m->note says why, and the run
 * goes on without it.
 */
void kmsg_monitor_start(struct kmsg_monitor *m);
/* Whether the log is being read. */
bool kmsg_monitor_reading(const struct kmsg_monitor *m);
/* Whether a report of class cls has been seen (also one still open). */
bool kmsg_monitor_seen(struct kmsg_monitor *m, enum finding_class cls);
/* Reads what is left, closes the last report and stops the thread. */
void kmsg_monitor_stop(struct kmsg_monitor *m);
void kmsg_monitor_free(struct kmsg_monitor *m);

/* Names a thread or process of the run by its id, NULL if not ours. */
typedef const char *kmsg_who_fn(pid_t tid, void *arg);

/*
 * One finding per distinct report, with its count, full text and the time
 * it was logged on the run's clock (the monotonic time t0 started it).
 * Context reports (a sysrq blocked-task dump) are not findings: the first
 * is returned in *context (NULL when none), for the hangs it explains.
 */
void kmsg_monitor_findings(const struct kmsg_monitor *m, double t0,
			   kmsg_who_fn *who, void *arg, struct finding_list *fl,
			   const struct kmsg_report **context);

/*
 * Pure part of the above, for a list: ts_to_run is subtracted from a
 * report's kernel timestamp (seconds) to put it on the run's clock.
 */
void kmsg_reports_to_findings(const struct kmsg_report_list *l,
			      double ts_to_run, kmsg_who_fn *who, void *arg,
			      struct finding_list *fl,
			      const struct kmsg_report **context);

/* "INFO: task NAME:PID blocked ...": PID, or 0 when text has none. */
pid_t kmsg_hung_task_pid(const char *text);

#endif
