// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "fault.h"
#include "clock.h"
#include "stacks.h"
#include "watchdog.h"

#define POLL_NS 100000000ULL /* how often the watches are looked at */

static double ns_to_run(const struct watchdog *wd, uint64_t ns)
{
	return (double)ns / 1e9 - wd->t0;
}

/* Start (now) or end (0) an operation; an op that hung has returned. */
static void watch_set(struct watch *w, uint64_t now)
{
	uint64_t old;

	if (!w)
		return;
	old = atomic_exchange(&w->since, now);
	if (old && old == atomic_load(&w->fired))
		atomic_store(&w->returned, now ? now : mono_ns());
}

void watch_begin(struct watch *w)
{
	watch_set(w, mono_ns());
}

void watch_end(struct watch *w)
{
	watch_set(w, 0);
}

bool watch_busy(const struct watch *w)
{
	return w && atomic_load(&w->since);
}

bool watch_hung(const struct watch *w)
{
	uint64_t since = w ? atomic_load(&w->since) : 0;

	return since && since == atomic_load(&w->fired);
}

int watch_join(pthread_t t, struct watch *const *w, double grace)
{
	for (;;) {
		const struct watch *x;
		uint64_t since;

		if (!join_until(t, mono_now() + 0.1))
			return 0;
		x = __atomic_load_n(w, __ATOMIC_ACQUIRE);
		since = x ? atomic_load(&x->since) : 0;
		if (watch_hung(x) && since < mono_ns() &&
		    (double)(mono_ns() - since) / 1e9 > x->deadline + grace)
			return ETIMEDOUT;
	}
}

struct watch *watchdog_add(struct watchdog *wd, const char *who, unsigned index,
			   const char *mr, const char *what, double deadline)
{
	unsigned i;
	struct watch *w;

	if (!wd || !wd->running)
		return NULL;
	i = atomic_fetch_add(&wd->n, 1);
	if (i >= WATCH_MAX)
		return NULL;
	w = &wd->watches[i];
	str_copy(w->who, sizeof(w->who), who);
	str_copy(w->mr, sizeof(w->mr), mr ? mr : "");
	w->index = index;
	w->what = what;
	w->deadline = deadline;
	w->tid = (pid_t)syscall(SYS_gettid);
	atomic_store_explicit(&w->ready, true, memory_order_release);
	return w;
}

/* Ask the kernel to log every task in uninterruptible sleep. */
static void sysrq_blocked(void)
{
	int fd = open("/proc/sysrq-trigger", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, "w", 1) != 1) {
		/* The kernel's dump is extra: the stacks are captured. */
	}
	close(fd);
}

const char *watchdog_who(pid_t tid, void *arg)
{
	static __thread char name[80];
	struct watchdog *wd = arg;
	unsigned n = atomic_load(&wd->n);

	for (unsigned i = 0; i < n && i < WATCH_MAX; i++) {
		const struct watch *w = &wd->watches[i];

		if (atomic_load(&w->ready) && w->tid == tid) {
			snprintf(name, sizeof(name), "%s thread %u", w->who,
				 w->index);
			return name;
		}
	}
	return NULL;
}

static void fire(struct watchdog *wd, struct watch *w, uint64_t since,
		 uint64_t now)
{
	struct hang *h;

	atomic_store(&w->fired, since);
	pthread_mutex_lock(&wd->lock);
	if (wd->n_hangs == WATCH_HANGS) {
		wd->more++;
		pthread_mutex_unlock(&wd->lock);
		return;
	}
	h = &wd->hangs[wd->n_hangs];
	pthread_mutex_unlock(&wd->lock);
	*h = (struct hang){ .w = w, .since = since, .at = now };
	str_copy(h->what, sizeof(h->what), w->what && *w->what ? w->what : "");
	h->text = stacks_capture(watchdog_who, wd, w->tid, h->frame,
				 sizeof(h->frame));
	if (!wd->n_hangs)
		sysrq_blocked();
	pthread_mutex_lock(&wd->lock);
	wd->n_hangs++;
	pthread_mutex_unlock(&wd->lock);
}

static void look(struct watchdog *wd)
{
	unsigned n = atomic_load(&wd->n);
	uint64_t now = mono_ns();

	for (unsigned i = 0; i < n && i < WATCH_MAX; i++) {
		struct watch *w = &wd->watches[i];
		uint64_t since =
			atomic_load_explicit(&w->since, memory_order_acquire);

		if (!atomic_load_explicit(&w->ready, memory_order_acquire) ||
		    !since || since == atomic_load(&w->fired))
			continue;
		/* Begun after now was read: not late (and no underflow). */
		if (since < now && (double)(now - since) / 1e9 > w->deadline)
			fire(wd, w, since, now);
	}
}

static void *watchdog_main(void *arg)
{
	struct watchdog *wd = arg;
	struct timespec nap = { 0, (long)POLL_NS };

	while (!atomic_load(&wd->stop)) {
		look(wd);
		nanosleep(&nap, NULL);
	}
	return NULL;
}

int watchdog_start(struct watchdog *wd, double t0, struct mrs_err *e)
{
	int ret;

	memset(wd, 0, sizeof(*wd));
	wd->t0 = t0;
	pthread_mutex_init(&wd->lock, NULL);
	ret = mrs_thread_create(&wd->thread, watchdog_main, wd);
	if (ret)
		return mrs_err_set(e, ret, "watchdog: pthread_create: %s",
				   strerror(ret));
	wd->running = true;
	return 0;
}

void watchdog_stop(struct watchdog *wd)
{
	if (!wd->running)
		return;
	atomic_store(&wd->stop, true);
	pthread_join(wd->thread, NULL);
	wd->running = false;
}

unsigned watchdog_hangs(struct watchdog *wd)
{
	unsigned n;

	pthread_mutex_lock(&wd->lock);
	n = wd->n_hangs;
	pthread_mutex_unlock(&wd->lock);
	return n;
}

/* "returned after 12.3 s" or "still blocked at the end of the run". */
static void hang_outcome(const struct hang *h, char *buf, size_t len)
{
	uint64_t since = atomic_load(&h->w->since);
	uint64_t back = atomic_load(&h->w->returned);

	if (since == h->since)
		snprintf(
			buf, len,
			"still blocked %.1f s after it began, at the end of the run",
			(double)(mono_ns() - h->since) / 1e9);
	else if (back > h->since)
		snprintf(buf, len, "it returned after %.1f s",
			 (double)(back - h->since) / 1e9);
	else
		snprintf(buf, len, "it returned later");
}

static void hang_finding(struct watchdog *wd, const struct hang *h,
			 const char *context, struct finding_list *fl)
{
	const struct watch *w = h->w;
	struct finding f = { .cls = FC_HANG, .t = ns_to_run(wd, h->at) };
	char outcome[96], *text = NULL;
	const char *what = h->what[0] ? h->what : w->who;

	f.t_from = ns_to_run(wd, h->since);
	str_copy(f.mr, sizeof(f.mr), w->mr);
	if (h->frame[0])
		snprintf(f.title, sizeof(f.title), "hang: %s blocked in %s",
			 w->who, h->frame);
	else
		snprintf(f.title, sizeof(f.title),
			 "hang: %s blocked for more than %.0f s", w->who,
			 w->deadline);
	hang_outcome(h, outcome, sizeof(outcome));
	snprintf(f.detail, sizeof(f.detail),
		 "%s thread %u (tid %d): '%s' did not return within %.0f s; %s",
		 w->who, w->index, (int)w->tid, what, w->deadline, outcome);
	if (context && asprintf(&text, "%s\nkernel's blocked-task dump:\n%s",
				h->text ? h->text : "", context) < 0)
		text = NULL;
	f.text = text ? text : h->text;
	finding_add(fl, &f);
	free(text);
}

void watchdog_findings(struct watchdog *wd, const char *context,
		       struct finding_list *fl)
{
	for (unsigned i = 0; i < wd->n_hangs; i++)
		hang_finding(wd, &wd->hangs[i], i ? NULL : context, fl);
	if (wd->more) {
		struct finding f = { .cls = FC_HANG,
				     .t = ns_to_run(wd, mono_ns()) };

		snprintf(f.title, sizeof(f.title),
			 "hang: %u more operations blocked (not captured)",
			 wd->more);
		snprintf(f.detail, sizeof(f.detail),
			 "only the first %d hangs of a run are captured",
			 WATCH_HANGS);
		finding_add(fl, &f);
	}
}

void watchdog_free(struct watchdog *wd)
{
	watchdog_stop(wd);
	for (unsigned i = 0; i < wd->n_hangs; i++)
		free(wd->hangs[i].text);
	wd->n_hangs = 0;
	pthread_mutex_destroy(&wd->lock);
}
