// SPDX-License-Identifier: GPL-2.0-or-later
/* The reductions --minimize tries: pure functions of a run_spec. */
#include <string.h>

#include "minimize.h"

/* Memory is not halved below this, nor below a huge page. */
#define MIN_MR_SIZE (64u << 10)
/* Nor the duration below this many seconds. */
#define MIN_DURATION 1.0

static bool mr_used(const struct run_spec *s, const char *name)
{
	for (unsigned i = 0; i < s->n_dmas; i++)
		if (!strcmp(s->dmas[i].mr, name))
			return true;
	for (unsigned i = 0; i < s->n_stress; i++)
		if (!strcmp(s->stress[i].mr, name))
			return true;
	return false;
}

/* Remove element k of an array of *n elements of size bytes each. */
static void drop(void *arr, unsigned *n, unsigned k, size_t size)
{
	char *p = arr;

	memmove(p + k * size, p + (k + 1) * size, (*n - k - 1) * size);
	(*n)--;
}

static int drop_stress(struct run_spec *o, unsigned k, char *what, size_t len)
{
	if (k >= o->n_stress)
		return -1;
	snprintf(what, len, "without stressor %s (%s)", o->stress[k].name,
		 o->stress[k].s->name);
	drop(o->stress, &o->n_stress, k, sizeof(o->stress[0]));
	return 1;
}

static int drop_dma(struct run_spec *o, unsigned k, char *what, size_t len)
{
	if (k >= o->n_dmas)
		return -1;
	if (o->n_dmas == 1)
		return 0;
	snprintf(what, len, "without dma %s", o->dmas[k].name);
	drop(o->dmas, &o->n_dmas, k, sizeof(o->dmas[0]));
	return 1;
}

static int drop_mr(struct run_spec *o, const struct minimize_target *tg,
		   unsigned k, char *what, size_t len)
{
	if (k >= o->n_mrs)
		return -1;
	if (o->n_mrs == 1 || !strcmp(o->mrs[k].name, tg->mr) ||
	    mr_used(o, o->mrs[k].name))
		return 0;
	snprintf(what, len, "without mr %s", o->mrs[k].name);
	drop(o->mrs, &o->n_mrs, k, sizeof(o->mrs[0]));
	return 1;
}

static int one_thread(struct run_spec *o, char *what, size_t len)
{
	bool any = false;

	for (unsigned i = 0; i < o->n_dmas; i++) {
		any |= o->dmas[i].threads > 1;
		o->dmas[i].threads = 1;
	}
	for (unsigned i = 0; i < o->n_stress; i++) {
		any |= o->stress[i].threads > 1;
		o->stress[i].threads = 1;
	}
	snprintf(what, len, "one thread per DMA and stressor");
	return any;
}

static int halve_size(struct run_spec *o, char *what, size_t len)
{
	bool any = false;

	for (unsigned i = 0; i < o->n_mrs; i++) {
		struct mr_spec *m = &o->mrs[i];
		size_t floor = m->hugepage_size > MIN_MR_SIZE ?
				       m->hugepage_size :
				       MIN_MR_SIZE;

		if (m->size / 2 < floor || m->size % 2)
			continue;
		m->size /= 2;
		any = true;
	}
	snprintf(what, len, "memory halved (mr %s: %zuK)", o->mrs[0].name,
		 o->mrs[0].size >> 10);
	return any;
}

static int halve_duration(struct run_spec *o, char *what, size_t len)
{
	if (o->duration / 2 < MIN_DURATION)
		return 0;
	o->duration /= 2;
	snprintf(what, len, "duration halved (%.3g s)", o->duration);
	return 1;
}

static int make(struct run_spec *o, const struct minimize_target *tg,
		enum minimize_stage st, unsigned k, char *what, size_t len)
{
	switch (st) {
	case MIN_DROP_STRESS:
		return drop_stress(o, k, what, len);
	case MIN_DROP_DMA:
		return drop_dma(o, k, what, len);
	case MIN_DROP_MR:
		return drop_mr(o, tg, k, what, len);
	case MIN_ONE_THREAD:
		return k ? -1 : one_thread(o, what, len);
	case MIN_HALVE_SIZE:
		return k ? -1 : halve_size(o, what, len);
	case MIN_HALVE_DURATION:
		return k ? -1 : halve_duration(o, what, len);
	default:
		return -1;
	}
}

int minimize_candidate(const struct run_spec *s,
		       const struct minimize_target *tg, enum minimize_stage st,
		       unsigned k, struct run_spec *out, char *what, size_t len)
{
	struct mrs_err e = { 0 };
	int ret;

	*out = *s;
	ret = make(out, tg, st, k, what, len);
	if (ret != 1)
		return ret;
	/* A reduction the spec cannot take (a range past the end) is none. */
	return run_spec_finish(out, NULL, &e) ? 0 : 1;
}

bool minimize_reproduced(const struct run_result *res,
			 const struct minimize_target *tg)
{
	for (size_t k = 0; k < res->findings.n; k++) {
		const struct finding *f = &res->findings.v[k];

		if (f->cls == tg->cls && (!tg->mr[0] || !strcmp(f->mr, tg->mr)))
			return true;
	}
	return false;
}
