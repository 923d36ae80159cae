// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mr-churn: more MRs over the pages the target MR holds, while DMA uses the
 * target (which is never deregistered). mode=reg-dereg registers a random
 * range and deregisters it in the same step; mode=second keeps up to n
 * extra MRs alive and replaces one per step; mode=rereg re-registers one
 * extra MR with ibv_rereg_mr, changing its access and its range
 * (IBV_REREG_MR_CHANGE_ACCESS | IBV_REREG_MR_CHANGE_TRANSLATION), or only
 * its access where the device refuses the translation change.
 *
 * A registration waits for stressors that change the mapping (view_lock),
 * unless race=1: then it runs into munmap, mremap and fork of the same
 * range, the GUP-fast race; a registration that finds the range gone for
 * a moment (EFAULT) is the kernel's say, a refusal.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stressor.h"
#include "units.h"
#include "what.h"

#define CHURN_MAX_MRS 64

enum churn_mode { CHURN_REG_DEREG, CHURN_SECOND, CHURN_REREG };

static const char *const churn_keys[] = { "mode", "n", "race", NULL };
static const char *const mode_names[] = { "reg-dereg", "second", "rereg" };

struct churn_state {
	enum churn_mode mode;
	unsigned n; /* mode=second: MRs kept */
	pthread_mutex_t lock; /* mrs[], rereg_flags */
	struct ibv_mr *mrs[CHURN_MAX_MRS];
	int rereg_flags; /* what this device accepts, narrowed on EOPNOTSUPP */
	bool alt; /* rereg: the access it has now is the alternative one */
	bool race; /* register without view_lock */
};

static int mode_parse(const char *v)
{
	for (int i = 0; i <= CHURN_REREG; i++)
		if (!strcmp(v, mode_names[i]))
			return i;
	return -1;
}

static int churn_check_opt(const char *key, const char *val, size_t mr_size,
			   struct mrs_err *e)
{
	char *end;
	unsigned long n;

	(void)mr_size;
	if (!strcmp(key, "mode") && mode_parse(val) < 0)
		return mrs_err_set(e, EINVAL,
				   "mode=%s: want reg-dereg, second or rereg",
				   val);
	if (!strcmp(key, "race") && strcmp(val, "0") && strcmp(val, "1"))
		return mrs_err_set(e, EINVAL, "race=%s: want 0 or 1", val);
	if (strcmp(key, "n"))
		return 0;
	n = strtoul(val, &end, 10);
	if (*end || !n || n > CHURN_MAX_MRS)
		return mrs_err_set(e, EINVAL, "n=%s: want 1 to %d extra MRs",
				   val, CHURN_MAX_MRS);
	return 0;
}

/* A refused registration is the kernel's say (policy, limits): -EAGAIN. */
static int reg(const struct stress_ctx *c, uint64_t off, uint64_t len,
	       struct ibv_mr **mr, struct mrs_err *e)
{
	const struct churn_state *s = c->priv;
	struct target *t = c->t;
	char range[40];

	/* The pin walks the mapping: not while a stressor moves it. */
	if (!s->race)
		pthread_rwlock_rdlock(&t->view_lock);
	*mr = ibv_reg_mr(c->dev->pd, (char *)t->region.addr + off, len,
			 (int)t->access);
	if (!s->race)
		pthread_rwlock_unlock(&t->view_lock);
	if (*mr)
		return 0;
	mrs_err_sys(e, "second reg_mr(%s, %s)", t->region.desc,
		    range_str(off, len, range, sizeof(range)));
	return -EAGAIN;
}

static int dereg(struct ibv_mr *mr, const struct target *t, struct mrs_err *e)
{
	int ret = ibv_dereg_mr(mr);

	if (ret) {
		errno = ret;
		return mrs_err_sys(e, "dereg_mr(second MR over %s)",
				   t->region.desc);
	}
	return 0;
}

static int churn_setup(struct stress_ctx *c, struct mrs_err *e)
{
	const char *m = stress_opt(c, "mode"), *n = stress_opt(c, "n"),
		   *race = stress_opt(c, "race");
	struct churn_state *s = calloc(1, sizeof(*s));

	if (!s)
		return mrs_err_set(e, ENOMEM, "mr-churn: out of memory");
	s->mode = (enum churn_mode)(m ? mode_parse(m) : CHURN_REG_DEREG);
	s->n = n ? (unsigned)strtoul(n, NULL, 10) : 4;
	s->race = race && !strcmp(race, "1");
	s->rereg_flags = IBV_REREG_MR_CHANGE_ACCESS |
			 IBV_REREG_MR_CHANGE_TRANSLATION;
	pthread_mutex_init(&s->lock, NULL);
	c->priv = s;
	return 0;
}

static int step_reg_dereg(struct stress_ctx *c, struct stress_step *st,
			  struct mrs_err *e)
{
	struct ibv_mr *mr;
	uint64_t off, len;
	char range[40];
	int ret;

	stress_rand_range(c, st, &off, &len);
	step_what(st, "reg+dereg %s",
		  range_str(off, len, range, sizeof(range)));
	ret = reg(c, off, len, &mr, e);
	return ret ? ret : dereg(mr, c->t, e);
}

static int step_second(struct stress_ctx *c, struct stress_step *st,
		       struct mrs_err *e)
{
	struct churn_state *s = c->priv;
	unsigned slot = (unsigned)(stress_rand(st) % s->n);
	struct ibv_mr *mr, *old;
	uint64_t off, len;
	char range[40];
	int ret;

	stress_rand_range(c, st, &off, &len);
	step_what(st, "second MR %u -> %s", slot,
		  range_str(off, len, range, sizeof(range)));
	ret = reg(c, off, len, &mr, e);
	if (ret)
		return ret;
	pthread_mutex_lock(&s->lock);
	old = s->mrs[slot];
	s->mrs[slot] = mr;
	pthread_mutex_unlock(&s->lock);
	return old ? dereg(old, c->t, e) : 0;
}

/* The access a rereg switches to and back: remote write off and on. */
static unsigned alt_access(unsigned access)
{
	return access & IBV_ACCESS_LOCAL_WRITE ?
		       access ^ IBV_ACCESS_REMOTE_WRITE :
		       access;
}

static int rereg_once(struct stress_ctx *c, struct churn_state *s, uint64_t off,
		      uint64_t len, struct mrs_err *e)
{
	struct target *t = c->t;
	unsigned access = s->alt ? t->access : alt_access(t->access);
	char range[40];
	int ret;

	range_str(off, len, range, sizeof(range));
	for (;;) {
		pthread_rwlock_rdlock(&t->view_lock);
		ret = ibv_rereg_mr(s->mrs[0], s->rereg_flags, NULL,
				   (char *)t->region.addr + off, len,
				   (int)access);
		pthread_rwlock_unlock(&t->view_lock);
		if (!ret) {
			s->alt = !s->alt;
			return 0;
		}
		/* rxe may not change the translation: try access alone. */
		if (errno != EOPNOTSUPP ||
		    !(s->rereg_flags & IBV_REREG_MR_CHANGE_TRANSLATION))
			break;
		s->rereg_flags = IBV_REREG_MR_CHANGE_ACCESS;
	}
	if (errno == EOPNOTSUPP)
		return mrs_err_set(
			e, EOPNOTSUPP,
			"ibv_rereg_mr refused by %s (EOPNOTSUPP) for a change of translation and for a change of access alone",
			c->dev->info.name);
	mrs_err_sys(e, "ibv_rereg_mr(%s, %s, %s) = %d", t->region.desc,
		    s->rereg_flags & IBV_REREG_MR_CHANGE_TRANSLATION ?
			    "access+translation" :
			    "access",
		    range, ret);
	/* IBV_REREG_MR_ERR_CMD: the kernel said no, the old MR stands. */
	return ret == IBV_REREG_MR_ERR_CMD ? -EAGAIN : -e->code;
}

static int step_rereg(struct stress_ctx *c, struct stress_step *st,
		      struct mrs_err *e)
{
	struct churn_state *s = c->priv;
	uint64_t off, len;
	char range[40];
	int ret;

	stress_rand_range(c, st, &off, &len);
	pthread_mutex_lock(&s->lock);
	if (!s->mrs[0]) {
		step_what(st, "reg for rereg %s",
			  range_str(off, len, range, sizeof(range)));
		ret = reg(c, off, len, &s->mrs[0], e);
	} else {
		ret = rereg_once(c, s, off, len, e);
		step_what(st, "rereg %s %s",
			  s->rereg_flags & IBV_REREG_MR_CHANGE_TRANSLATION ?
				  "acc+xlat" :
				  "access",
			  range_str(off, len, range, sizeof(range)));
	}
	pthread_mutex_unlock(&s->lock);
	return ret;
}

static int churn_step(struct stress_ctx *c, struct stress_step *st,
		      struct mrs_err *e)
{
	const struct churn_state *s = c->priv;

	switch (s->mode) {
	case CHURN_SECOND:
		return step_second(c, st, e);
	case CHURN_REREG:
		return step_rereg(c, st, e);
	default:
		return step_reg_dereg(c, st, e);
	}
}

static void churn_teardown(struct stress_ctx *c)
{
	struct churn_state *s = c->priv;

	if (!s)
		return;
	for (unsigned i = 0; i < CHURN_MAX_MRS; i++)
		if (s->mrs[i])
			ibv_dereg_mr(s->mrs[i]);
	pthread_mutex_destroy(&s->lock);
	free(s);
	c->priv = NULL;
}

const struct stressor stressor_mr_churn = {
	.name = "mr-churn",
	.help = "more MRs over the same pages: mode=reg-dereg|second (n= kept, default 4)|rereg; race=1: without waiting for stressors that change the mapping",
	.keys = churn_keys,
	.check_opt = churn_check_opt,
	.setup = churn_setup,
	.step = churn_step,
	.teardown = churn_teardown,
};
