// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * truncate: change the size of the file behind an MR while DMA goes on.
 *
 *   mode=shrink-extend  shrink to 'to' and extend back in one step
 *   mode=shrink         shrink to 'to' in one step, extend back in the next:
 *                       the file stays short for a whole interval
 *   mode=extend         grow past the MR to 'to' and cut back to the MR
 *
 * The pages past a new end leave the file; a long-term pin keeps them in
 * the MR, so later DMA lands in memory the file no longer has (the
 * "detached" case). With on-demand paging the MR follows the file instead.
 * Extending never touches the MR's bytes: no zeros become legal.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fault.h"
#include "stressor.h"
#include "units.h"
#include "what.h"

static const char *const truncate_keys[] = { "to", "mode", NULL };

enum truncate_mode { TR_SHRINK_EXTEND, TR_SHRINK, TR_EXTEND, TR_MODES };

static const char *const truncate_modes[] = { "shrink-extend", "shrink",
					      "extend" };

#define TRUNCATE_MAX_PCT 1000

/*
 * mode=shrink keeps view_lock held for writing between two steps, which
 * may run on different threads, and teardown must release it on yet
 * another: a lock is released by the thread that took it, so one holder
 * thread of the stressor's own does every size change on request.
 */
enum holder_req { REQ_NONE, REQ_TOGGLE, REQ_QUIT };

struct truncate_state {
	enum truncate_mode mode;
	size_t to;
	pthread_t holder;
	bool holder_started;
	pthread_mutex_t step_lock; /* one request at a time */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	enum holder_req req;
	bool done, is_short;
	int ret;
	struct mrs_err err;
	struct target *t;
	const atomic_bool *stop;
};

/* A size or a percentage of the MR, which may be above 100% here. */
static int parse_to(const char *v, size_t mr_size, size_t *to)
{
	size_t len = strlen(v);
	char *end;
	double pct;

	if (!len || v[len - 1] != '%')
		return parse_size(v, to);
	pct = strtod(v, &end);
	if (end != v + len - 1 || !(pct >= 0) || pct > TRUNCATE_MAX_PCT)
		return -EINVAL;
	*to = (size_t)((double)mr_size * pct / 100);
	return 0;
}

static int truncate_check_opt(const char *key, const char *val, size_t mr_size,
			      struct mrs_err *e)
{
	size_t to;

	if (!strcmp(key, "mode") &&
	    name_index(truncate_modes, TR_MODES, val) < 0)
		return mrs_err_set(
			e, EINVAL,
			"mode=%s: want shrink-extend, shrink or extend", val);
	/* Whether 'to' is below or above the MR depends on the mode. */
	if (!strcmp(key, "to") &&
	    (parse_to(val, mr_size, &to) || to == mr_size))
		return mrs_err_set(
			e, EINVAL,
			"to=%s: want a size below the MR's, or above it for mode=extend (or a percentage: 50%%, 200%%)",
			val);
	return 0;
}

static int shrink(struct truncate_state *s, struct mrs_err *e)
{
	struct target *t = s->t;

	shadow_zero_range(&t->shadow, s->to, t->region.len - s->to);
	pthread_rwlock_wrlock(&t->view_lock);
	if (fault_fire(FAULT_FILE_FTRUNCATE) ||
	    ftruncate(t->region.fd, (off_t)s->to)) {
		int ret = mrs_err_sys(e, "ftruncate(%s, %zu)", t->region.desc,
				      s->to);

		pthread_rwlock_unlock(&t->view_lock);
		return ret;
	}
	s->is_short = true;
	return 0;
}

static int extend_back(struct truncate_state *s, struct mrs_err *e)
{
	struct target *t = s->t;
	int ret = 0;

	if (ftruncate(t->region.fd, (off_t)t->region.len))
		ret = mrs_err_sys(e, "ftruncate(%s, %zu)", t->region.desc,
				  t->region.len);
	/* Even a failed extend leaves the size as it was: never stay locked. */
	shadow_zero_range(&t->shadow, s->to, t->region.len - s->to);
	pthread_rwlock_unlock(&t->view_lock);
	s->is_short = false;
	return ret;
}

/* Wait for a request, or 50 ms to look at the stop flag again. */
static void wait_a_little(struct truncate_state *s)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 50 * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&s->cond, &s->lock, &ts);
}

static void *holder_main(void *arg)
{
	struct truncate_state *s = arg;

	pthread_mutex_lock(&s->lock);
	for (;;) {
		while (s->req == REQ_NONE) {
			/*
			 * No step comes after the stop, and teardown may be
			 * far off: another stressor blocked on view_lock
			 * would be joined first. So extend back at once.
			 */
			if (s->is_short && atomic_load(s->stop))
				extend_back(s, &s->err);
			wait_a_little(s);
		}
		if (s->req == REQ_QUIT)
			break;
		memset(&s->err, 0, sizeof(s->err));
		s->ret = s->is_short ? extend_back(s, &s->err) :
				       shrink(s, &s->err);
		s->req = REQ_NONE;
		s->done = true;
		pthread_cond_broadcast(&s->cond);
	}
	if (s->is_short)
		extend_back(s, &s->err);
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

static void truncate_teardown(struct stress_ctx *c);

static size_t default_to(enum truncate_mode m, size_t len)
{
	return m == TR_EXTEND ? 2 * len : len / 2;
}

/* The mode and the size to truncate to, from the options. */
static int mode_and_to(const char *m, const char *v, size_t len,
		       enum truncate_mode *mode, size_t *to, struct mrs_err *e)
{
	*mode = TR_SHRINK_EXTEND;
	if (m)
		*mode = (enum truncate_mode)name_index(truncate_modes, TR_MODES,
						       m);
	*to = default_to(*mode, len);
	if (v)
		parse_to(v, len, to);
	/* The default 'to' always fits its mode: v is set here. */
	if ((*mode == TR_EXTEND) != (*to > len))
		return mrs_err_set(
			e, EINVAL,
			"to=%s: mode=%s wants a size %s the MR's (%zu bytes)",
			v, truncate_modes[*mode],
			*mode == TR_EXTEND ? "above" : "below", len);
	return 0;
}

static int truncate_check_opts(const struct stress_opt *opts, unsigned n,
			       size_t mr_size, const char **key,
			       struct mrs_err *e)
{
	const char *m = NULL, *v = NULL;
	enum truncate_mode mode;
	size_t to;

	for (unsigned i = 0; i < n; i++) {
		if (!strcmp(opts[i].key, "mode"))
			m = opts[i].val;
		if (!strcmp(opts[i].key, "to"))
			v = opts[i].val;
	}
	*key = v ? "to" : "mode";
	return mode_and_to(m, v, mr_size, &mode, &to, e);
}

static int truncate_setup(struct stress_ctx *c, struct mrs_err *e)
{
	enum truncate_mode mode;
	size_t len = c->t->region.len, to;
	struct truncate_state *s;
	int ret;

	/* Checked before the run: this cannot fail here. */
	ret = mode_and_to(stress_opt(c, "mode"), stress_opt(c, "to"), len,
			  &mode, &to, e);
	if (ret)
		return ret;
	s = calloc(1, sizeof(*s));
	if (!s)
		return mrs_err_set(e, ENOMEM, "truncate: out of memory");
	s->t = c->t;
	s->stop = c->stop;
	s->mode = mode;
	s->to = to;
	pthread_mutex_init(&s->step_lock, NULL);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	c->priv = s; /* what teardown frees */
	if (mode != TR_SHRINK)
		return 0;
	ret = -mrs_thread_create(&s->holder, holder_main, s);
	if (ret) {
		truncate_teardown(c);
		return mrs_err_set(e, -ret, "truncate: pthread_create");
	}
	s->holder_started = true;
	return 0;
}

/* The step for the timeline: "ftruncate 8M -> 4M[ -> 8M][note]". */
static void describe(struct stress_step *st, size_t from, size_t to, bool back,
		     const char *note)
{
	char a[16], b[16];

	format_size(from, a, sizeof(a));
	format_size(to, b, sizeof(b));
	step_what(st, "ftruncate %s -> %s%s%s%s", a, b, back ? " -> " : "",
		  back ? a : "", note);
}

/* mode=shrink: ask the holder to shrink or to extend back. */
static int toggle_step(struct truncate_state *s, struct stress_step *st,
		       struct mrs_err *e)
{
	size_t len = s->t->region.len;
	int ret;

	pthread_mutex_lock(&s->step_lock);
	pthread_mutex_lock(&s->lock);
	if (s->is_short)
		describe(st, s->to, len, false, "");
	else
		describe(st, len, s->to, false, " (left short)");
	s->done = false;
	s->req = REQ_TOGGLE;
	pthread_cond_broadcast(&s->cond);
	while (!s->done)
		pthread_cond_wait(&s->cond, &s->lock);
	ret = s->ret;
	if (ret)
		*e = s->err;
	pthread_mutex_unlock(&s->lock);
	pthread_mutex_unlock(&s->step_lock);
	return ret;
}

static int shrink_extend_step(struct truncate_state *s, struct stress_step *st,
			      struct mrs_err *e)
{
	int ret;

	describe(st, s->t->region.len, s->to, true, "");
	ret = shrink(s, e);
	if (ret)
		return ret;
	return extend_back(s, e);
}

/* Past the MR and back: the MR's bytes stay as they are, no zeros. */
static int extend_step(struct truncate_state *s, struct stress_step *st,
		       struct mrs_err *e)
{
	const struct target *t = s->t;

	describe(st, t->region.len, s->to, true, "");
	if (ftruncate(t->region.fd, (off_t)s->to))
		return mrs_err_sys(e, "ftruncate(%s, %zu)", t->region.desc,
				   s->to);
	if (ftruncate(t->region.fd, (off_t)t->region.len))
		return mrs_err_sys(e, "ftruncate(%s, %zu)", t->region.desc,
				   t->region.len);
	return 0;
}

static int truncate_step(struct stress_ctx *c, struct stress_step *st,
			 struct mrs_err *e)
{
	struct truncate_state *s = c->priv;

	switch (s->mode) {
	case TR_SHRINK:
		return toggle_step(s, st, e);
	case TR_EXTEND:
		return extend_step(s, st, e);
	default:
		return shrink_extend_step(s, st, e);
	}
}

static void truncate_teardown(struct stress_ctx *c)
{
	struct truncate_state *s = c->priv;

	if (!s)
		return;
	if (s->holder_started) {
		pthread_mutex_lock(&s->lock);
		s->req = REQ_QUIT;
		pthread_cond_broadcast(&s->cond);
		pthread_mutex_unlock(&s->lock);
		pthread_join(s->holder, NULL);
	}
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	pthread_mutex_destroy(&s->step_lock);
	free(s);
	c->priv = NULL;
}

/* Down (or up) to 'to' and back to the MR's size in one step. */
#define REPRO_THERE_AND_BACK                                                       \
	"\twhat(st, \"ftruncate %zu -> %zu -> %zu\", r->m->len, to, r->m->len);\n" \
	"\tif (ftruncate(r->m->fd, (off_t)to))\n"                                  \
	"\t\treturn step_fail(st, \"ftruncate(%zu)\", to);\n"                      \
	"\tif (ftruncate(r->m->fd, (off_t)r->m->len))\n"                           \
	"\t\treturn step_fail(st, \"ftruncate(%zu)\", r->m->len);\n"               \
	"\treturn 0;\n"

static const char repro_shrink_extend[] = REPRO_THERE_AND_BACK;
static const char repro_shrink[] =
	"\t/*\n"
	"\t * mrstress shrinks in one step and extends back in the next, so the\n"
	"\t * file stays short for an interval; here both happen in one step, an\n"
	"\t * interval apart, so that no check ever sees a short file.\n"
	"\t */\n"
	"\twhat(st, \"ftruncate %zu -> %zu, %ld ms, -> %zu\", r->m->len, to,\n"
	"\t     r->interval_ms, r->m->len);\n"
	"\tif (ftruncate(r->m->fd, (off_t)to))\n"
	"\t\treturn step_fail(st, \"ftruncate(%zu)\", to);\n"
	"\tsleep_ms(r->interval_ms);\n"
	"\tif (ftruncate(r->m->fd, (off_t)r->m->len))\n"
	"\t\treturn step_fail(st, \"ftruncate(%zu)\", r->m->len);\n"
	"\treturn 0;\n";
static const char repro_extend[] =
	"\t/* Past the MR and back: the bytes of the MR stay the file's. */\n" REPRO_THERE_AND_BACK;

/* The standalone form of a step, for a reproducer (repro.h). */
static int truncate_repro(FILE *f, const struct stress_repro *a,
			  struct mrs_err *e)
{
	static const char *const text[] = { repro_shrink_extend, repro_shrink,
					    repro_extend };
	enum truncate_mode mode;
	size_t to;
	int ret;

	ret = mode_and_to(stress_repro_opt(a, "mode"),
			  stress_repro_opt(a, "to"), a->mr_size, &mode, &to, e);
	if (ret)
		return ret;
	fprintf(f, "\tconst size_t to = %zu; /* mode=%s */\n\n", to,
		truncate_modes[mode]);
	fputs(text[mode], f);
	return 0;
}

const struct stressor stressor_truncate = {
	.name = "truncate",
	.help = "change the file's size; mode=shrink-extend|shrink|extend, to= (default 50%, 200% for extend)",
	.keys = truncate_keys,
	.needs_file = true,
	.check_opt = truncate_check_opt,
	.check_opts = truncate_check_opts,
	.setup = truncate_setup,
	.step = truncate_step,
	.teardown = truncate_teardown,
	.repro_step = truncate_repro,
};
