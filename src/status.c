// SPDX-License-Identifier: GPL-2.0-or-later
/* The live status line: a thread that samples the run's counters. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "scenario.h"
#include "status.h"

/* Stressors named on one line before "+N more". */
#define STATUS_STRESSORS 4

static size_t add(char *buf, size_t len, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static size_t add(char *buf, size_t len, size_t at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (at >= len)
		return at;
	va_start(ap, fmt);
	n = vsnprintf(buf + at, len - at, fmt, ap);
	va_end(ap);
	return n > 0 ? at + (size_t)n : at;
}

/* Expectations are judged at the end: until then, every finding counts. */
static size_t findings_so_far(struct run_result *res)
{
	size_t n;

	pthread_mutex_lock(&res->findings.lock);
	n = res->findings.n + res->findings.dropped;
	pthread_mutex_unlock(&res->findings.lock);
	return n;
}

void status_line_format(struct status_line *s, double now, char *buf,
			size_t len)
{
	const struct run_spec *spec = &s->sc->spec;
	struct run_live *live = s->live;
	double el = now - live->t0, dt = now - s->last_t;
	uint64_t bytes = atomic_load(&live->dma_bytes);
	size_t at;

	if (dt <= 0)
		dt = 1;
	/* Past the duration the run drains and checks every block. */
	if (el > spec->duration)
		at = add(buf, len, 0, "%s %.0f s, final check", spec->name, el);
	else
		at = add(buf, len, 0, "%s %.0f/%.0f s", spec->name, el,
			 spec->duration);
	if (spec->n_dmas)
		at = add(buf, len, at, "  DMA %.1f MB/s",
			 (double)(bytes - s->last_bytes) / dt / 1e6);
	s->last_bytes = bytes;
	for (unsigned i = 0; i < spec->n_stress; i++) {
		uint64_t steps = atomic_load(&live->steps[i]);

		if (i < STATUS_STRESSORS)
			at = add(buf, len, at, "  %s %.0f/s",
				 spec->stress[i].name,
				 (double)(steps - s->last_steps[i]) / dt);
		s->last_steps[i] = steps;
	}
	if (spec->n_stress > STATUS_STRESSORS)
		at = add(buf, len, at, " +%u more",
			 spec->n_stress - STATUS_STRESSORS);
	add(buf, len, at, "  findings %zu", findings_so_far(s->res));
	s->last_t = now;
}

static void emit(struct status_line *s)
{
	char line[256];

	status_line_format(s, mono_now(), line, sizeof(line));
	if (s->tty)
		/* Cut to the width a terminal surely has: one line, no wrap. */
		fprintf(s->f, "\r\033[K%s%.78s", s->prefix, line);
	else
		fprintf(s->f, "%sstatus: %s\n", s->prefix, line);
	fflush(s->f);
}

/* Wait until the interval is over or the run ends: true to go on. */
static bool wait_interval(struct status_line *s)
{
	struct timespec ts;
	bool go_on;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)s->interval;
	ts.tv_nsec += (long)((s->interval - (double)(time_t)s->interval) * 1e9);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&s->lock);
	while (!s->stop &&
	       pthread_cond_timedwait(&s->cond, &s->lock, &ts) != ETIMEDOUT)
		;
	go_on = !s->stop;
	pthread_mutex_unlock(&s->lock);
	return go_on;
}

static void *status_main(void *arg)
{
	struct status_line *s = arg;

	while (wait_interval(s)) {
		if (!atomic_load(&s->live->running))
			continue;
		if (s->last_t == 0)
			s->last_t = s->live->t0;
		emit(s);
	}
	return NULL;
}

static void init_cond(struct status_line *s)
{
	pthread_condattr_t a;

	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cond, &a);
	pthread_condattr_destroy(&a);
	pthread_mutex_init(&s->lock, NULL);
}

void status_line_start(struct status_line *s, double interval,
		       const struct reporter *out, const struct scenario *sc,
		       struct run_result *res, struct run_live *live)
{
	memset(s, 0, sizeof(*s));
	s->sc = sc;
	s->res = res;
	s->live = live;
	/* A document on stdout (JSON) must stay whole: the line goes aside. */
	s->f = out && out->line_prefix ? stdout : stderr;
	s->prefix = out && out->line_prefix ? out->line_prefix : "";
	/*
	 * A prefixed stream (KTAP) is read by programs line by line, also
	 * when it passes through a terminal (a VM's console): plain lines.
	 */
	s->tty = isatty(fileno(s->f)) && !*s->prefix;
	s->interval = interval >= 0 ? interval : s->tty ? 1 : 10;
	if (!s->interval)
		return;
	init_cond(s);
	s->started = !pthread_create(&s->thread, NULL, status_main, s);
	if (!s->started)
		fprintf(stderr,
			"mrstress: no status line: cannot start its thread\n");
}

void status_line_stop(struct status_line *s)
{
	if (!s->started)
		return;
	pthread_mutex_lock(&s->lock);
	s->stop = true;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	if (s->tty && s->last_t) {
		fputs("\r\033[K", s->f);
		fflush(s->f);
	}
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
}
