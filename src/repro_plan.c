// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What goes into a reproducer: one MR of the run, the DMA on it and the
 * stressors racing it, each checked for a standalone form before anything
 * is written.
 */
#include <ctype.h>
#include <errno.h>
#include <infiniband/verbs.h>
#include <stdio.h>
#include <string.h>

#include "repro_plan.h"
#include "hugepage.h"
#include "units.h"

#define DEFAULT_HUGEPAGE (2u << 20)
#define BASE_PAGE 4096u
#define MIN_ROUND_MS 500

/* Classes the program can see for itself; the others need mrstress. */
static const enum finding_class reproducible[] = {
	FC_POLICY_REFUSED, FC_DETACHED,
	FC_ZEROED,	   FC_STALE,
	FC_MISPLACED,	   FC_TORN,
	FC_GARBAGE,	   FC_COMPLETION_ERROR,
	FC_HANG,	   FC_KERNEL_WARNING,
	FC_KERNEL_BUG,	   FC_KERNEL_OOPS,
	FC_LOCKDEP,	   FC_HUNG_TASK,
	FC_SOFT_LOCKUP,	   FC_RCU_STALL,
	FC_KASAN,	   FC_TAINT,
	FC_COUNT,
};

static int target_of(const struct repro_target *tg, const char **name,
		     struct mrs_err *e)
{
	for (size_t i = 0; i < sizeof(reproducible) / sizeof(reproducible[0]);
	     i++)
		if (reproducible[i] == tg->cls) {
			*name = tg->cls == FC_COUNT ?
					"any-data" :
					finding_class_name(tg->cls);
			return 0;
		}
	return mrs_err_set(
		e, EOPNOTSUPP,
		"class %s has no standalone form: only mrstress itself can see it",
		finding_class_name(tg->cls));
}

/* tg->mr, or the first MR a DMA works on, or the first MR. */
static int choose_mr(struct repro_plan *p, const struct repro_target *tg,
		     struct mrs_err *e)
{
	const struct run_spec *s = p->spec;
	int m = 0;

	if (!s->n_mrs)
		return mrs_err_set(e, EINVAL, "the run has no MR");
	if (tg->mr[0]) {
		m = mr_spec_find(s, tg->mr);
		if (m < 0)
			return mrs_err_set(e, EINVAL, "the run has no MR '%s'",
					   tg->mr);
	} else if (s->n_dmas) {
		m = mr_spec_find(s, s->dmas[0].mr);
		m = m < 0 ? 0 : m;
	}
	p->mr = &s->mrs[m];
	p->backing = p->mr->backing;
	if (!p->backing->repro_build)
		return mrs_err_set(
			e, EOPNOTSUPP,
			"memory backing %s (mr %s) has no standalone form",
			p->backing->name, p->mr->name);
	return 0;
}

static void describe_memory(struct repro_plan *p)
{
	char sz[16];

	format_size(p->size, sz, sizeof(sz));
	if (p->backing->needs_dir)
		snprintf(p->memory, sizeof(p->memory), "%s on %.40s, %s",
			 p->backing->name, p->mr->where, sz);
	else
		snprintf(p->memory, sizeof(p->memory), "%s, %s",
			 p->backing->name, sz);
}

static void choose_sizes(struct repro_plan *p)
{
	p->hugepage = p->mr->hugepage_size;
	p->page = BASE_PAGE;
	if (p->backing->page_sizes)
		p->page = p->hugepage ? p->hugepage : DEFAULT_HUGEPAGE;
	p->size = round_up_to(p->mr->size, p->page);
	describe_memory(p);
}

/* The first DMA on the MR: its op, block size and queue depth. */
static int choose_dma(struct repro_plan *p, struct mrs_err *e)
{
	const struct run_spec *s = p->spec;

	p->block_size = BASE_PAGE;
	p->qd = 8;
	for (unsigned i = 0; i < s->n_dmas; i++) {
		const struct dma_spec *d = &s->dmas[i];

		if (strcmp(d->mr, p->mr->name))
			continue;
		if (d->op != DMA_OP_WRITE && d->op != DMA_OP_READ)
			return mrs_err_set(
				e, EOPNOTSUPP,
				"dma op %s (dma %s) has no standalone form: write and read have",
				dma_op_name(d->op), d->name);
		p->reads = d->op == DMA_OP_READ;
		p->block_size = d->block_size;
		p->qd = d->qd ? d->qd : p->qd;
		break;
	}
	if ((p->mr->access &
	     (IBV_ACCESS_REMOTE_WRITE | IBV_ACCESS_REMOTE_READ)) !=
	    (IBV_ACCESS_REMOTE_WRITE | IBV_ACCESS_REMOTE_READ))
		return mrs_err_set(
			e, EOPNOTSUPP,
			"mr %s is not remotely writable and readable: the reproducer writes and reads it by RDMA",
			p->mr->name);
	return 0;
}

static double slowdown(const struct run_spec *s)
{
	return s->slowdown > 0 ? s->slowdown : 1;
}

/* A C identifier for racer i: "step0_sync_file_range". */
static void racer_fn(struct repro_racer *r, unsigned i)
{
	snprintf(r->fn, sizeof(r->fn), "step%u_%s", i, r->spec->s->name);
	for (char *c = r->fn; *c; c++)
		if (!isalnum((unsigned char)*c))
			*c = '_';
}

static int add_racer(struct repro_plan *p, unsigned i, struct mrs_err *e)
{
	const struct stress_spec *st = &p->spec->stress[i];
	struct repro_racer *r = &p->racer[p->n_racers];
	int ret;

	if (!st->s->repro_step)
		return mrs_err_set(e, EOPNOTSUPP,
				   "stressor %s (%s) has no standalone form",
				   st->s->name, st->name);
	r->spec = st;
	r->threads = st->threads ? st->threads : 1;
	r->interval_ms = (long)(st->interval * slowdown(p->spec) * 1000 + 0.5);
	r->seed = p->spec->seed ^ (0xa5a5ULL + i);
	r->len = p->size;
	if (st->range[0]) {
		ret = stress_range_parse(st->range, p->size, p->page, &r->off,
					 &r->len);
		if (ret)
			return mrs_err_set(
				e, EINVAL,
				"stressor %s: range=%s does not fit mr %s",
				st->name, st->range, p->mr->name);
	}
	racer_fn(r, p->n_racers++);
	return 0;
}

/* "truncate (2 threads, every 100 ms), fsync (every 1000 ms) run" */
static void say_racers(struct repro_plan *p)
{
	size_t n = 0, len = sizeof(p->racers_said);

	for (unsigned i = 0; i < p->n_racers && n < len; i++) {
		const struct repro_racer *r = &p->racer[i];

		n += (size_t)snprintf(p->racers_said + n, len - n,
				      "%s%s (%u thread%s, every %ld ms)",
				      i ? ", " : "", r->spec->s->name,
				      r->threads, r->threads > 1 ? "s" : "",
				      r->interval_ms);
	}
	if (n < len)
		snprintf(p->racers_said + n, len - n, " run%s",
			 p->n_racers > 1 ? "" : "s");
}

/* The stressors on the MR; one that needs a file it lacks is left out. */
static int choose_racers(struct repro_plan *p, struct mrs_err *e)
{
	const struct run_spec *s = p->spec;
	long longest = 0;
	int ret;

	for (unsigned i = 0; i < s->n_stress; i++) {
		const struct stress_spec *st = &s->stress[i];

		if (strcmp(st->mr, p->mr->name))
			continue;
		if (st->s->needs_file && !p->backing->has_file) {
			snprintf(
				p->left_out[p->n_left_out++],
				sizeof(p->left_out[0]),
				"stressor %.32s needs a file, %.32s has none (mrstress skips it too)",
				st->name, p->backing->name);
			continue;
		}
		ret = add_racer(p, i, e);
		if (ret)
			return ret;
		if (p->racer[p->n_racers - 1].interval_ms > longest)
			longest = p->racer[p->n_racers - 1].interval_ms;
	}
	/* Every racer steps a few times in a round before the check. */
	p->round_ms = 3 * longest > MIN_ROUND_MS ? 3 * longest : MIN_ROUND_MS;
	say_racers(p);
	return 0;
}

int repro_plan_make(struct repro_plan *p, const struct run_spec *spec,
		    const struct repro_target *tg, struct mrs_err *e)
{
	int ret;

	memset(p, 0, sizeof(*p));
	p->spec = spec;
	p->hang_timeout = spec->hang_timeout * slowdown(spec);
	ret = target_of(tg, &p->target, e);
	if (!ret)
		ret = choose_mr(p, tg, e);
	if (ret)
		return ret;
	choose_sizes(p);
	ret = choose_dma(p, e);
	if (!ret)
		ret = choose_racers(p, e);
	return ret;
}

uint64_t repro_thread_seed(const struct repro_racer *r, unsigned t)
{
	return (r->seed ^ (0x9e3779b97f4a7c15ULL * (t + 1))) | 1;
}

int repro_target_parse(const char *arg, struct repro_target *tg,
		       struct mrs_err *e)
{
	const char *colon = strchr(arg, ':');
	char cls[64];

	memset(tg, 0, sizeof(*tg));
	snprintf(cls, sizeof(cls), "%.*s",
		 (int)(colon ? (size_t)(colon - arg) : strlen(arg)), arg);
	if (!strcmp(cls, "any"))
		tg->cls = FC_COUNT;
	else if (finding_class_parse(cls, &tg->cls))
		return mrs_err_set(
			e, EINVAL,
			"'%s': want a finding class (detached, zeroed, policy-refused, hang, ...) or 'any' (any data damage)",
			cls);
	if (colon && (!colon[1] || strlen(colon + 1) >= sizeof(tg->mr)))
		return mrs_err_set(e, EINVAL, "'%s': want CLASS[:MR]", arg);
	if (colon)
		str_copy(tg->mr, sizeof(tg->mr), colon + 1);
	return 0;
}
