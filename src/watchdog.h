/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_WATCHDOG_H
#define MRS_WATCHDOG_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "finding.h"

/*
 * The hang watchdog. Every thread of a run that calls into the kernel on
 * the run's behalf (a stressor step, a DMA worker waiting for completions)
 * has a watch: it says when its current operation began. An operation
 * older than its deadline is a hang: the watchdog records it, captures the
 * stack, wchan and state of every thread and child process, and asks the
 * kernel to log its blocked tasks (sysrq w). A thread blocked in the
 * kernel cannot be killed; the run still ends and reports.
 */
#define WATCH_MAX 256
#define WATCH_HANGS 8 /* hangs captured per run; later ones are counted */

struct watch {
	_Atomic uint64_t since; /* ns, monotonic; 0: no operation */
	_Atomic uint64_t returned; /* ns: when the op that hung returned */
	_Atomic uint64_t fired; /* since of the op reported as a hang */
	atomic_bool ready; /* the fields below are set */
	char who[40]; /* "stressor fsync", "dma writer" */
	char mr[32];
	unsigned index; /* thread index within who */
	const char *what; /* the operation, read when it hangs; may be "" */
	pid_t tid;
	double deadline; /* seconds */
};

struct hang {
	struct watch *w;
	uint64_t since, at; /* ns: the op began, the hang was seen */
	char what[64];
	char frame[96]; /* where in the kernel, from its stack; "" unknown */
	char *text; /* stacks of every thread and child */
};

struct watchdog {
	struct watch watches[WATCH_MAX];
	atomic_uint n;
	pthread_t thread;
	bool running;
	atomic_bool stop;
	double t0; /* the run's start, monotonic seconds */
	pthread_mutex_t lock; /* hangs */
	struct hang hangs[WATCH_HANGS];
	unsigned n_hangs, more; /* captured, and not captured */
};

/* Starts the watchdog thread (a failure leaves the run unwatched). */
int watchdog_start(struct watchdog *wd, double t0, struct mrs_err *e);
/*
 * A watch for the calling thread, NULL when wd is NULL or full (then the
 * thread is not watched). what points to the thread's own description of
 * its operation.
 */
struct watch *watchdog_add(struct watchdog *wd, const char *who, unsigned index,
			   const char *mr, const char *what, double deadline);
/*
 * Around every operation; both accept NULL. A begin while one is under
 * way starts a new one (progress was made).
 */
void watch_begin(struct watch *w);
void watch_end(struct watch *w);
/* Whether w's operation is under way. */
bool watch_busy(const struct watch *w);
/* Whether it is under way and already reported as a hang. */
bool watch_hung(const struct watch *w);
/*
 * Join thread t, whose watch *w is (or will be) set by t itself: 0, or
 * ETIMEDOUT when its operation hangs and has been under way for grace
 * seconds more than the deadline (the thread is left where it is: blocked
 * in the kernel, nothing can stop it).
 */
int watch_join(pthread_t t, struct watch *const *w, double grace);

/* Stops the thread: hangs seen so far stay. */
void watchdog_stop(struct watchdog *wd);
/* How many hangs it saw. */
unsigned watchdog_hangs(struct watchdog *wd);
/*
 * One hang finding per captured hang; context (the kernel's blocked-task
 * dump, or NULL) is added to the first one's text.
 */
void watchdog_findings(struct watchdog *wd, const char *context,
		       struct finding_list *fl);
/* The name of a watched thread by its tid ("stressor fsync thread 0"). */
const char *watchdog_who(pid_t tid, void *wd);
void watchdog_free(struct watchdog *wd);

#endif
