// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ksm: marks the range MADV_MERGEABLE and runs KSM fast for the run (run=1,
 * 'pages' pages per scan, 'sleep' between scans), restored after. Each
 * step takes a random subrange out of KSM (MADV_UNMERGEABLE, which breaks
 * any merged page back into a private copy) and puts it back, and reports
 * pages_shared / pages_sharing.
 *
 * KSM merges only private anonymous pages (anon, thp, the written pages
 * of file-private); it ignores shared memory, so those are skipped. It
 * must not merge a page with extra references: a pinned page would leave
 * the MR writing the old page while the CPU reads the merged one
 * ("detached"). An MR pins all its pages, so nothing of it should merge,
 * whatever its data; our blocks are unique anyway, and only zero pages or
 * identical unwritten blocks could have merged without the pin.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "knob.h"
#include "memstat.h"
#include "stressor.h"
#include "units.h"
#include "what.h"

#define KSM "/sys/kernel/mm/ksm/"

static const char *const ksm_keys[] = { "pages", "sleep", NULL };

struct ksm_state {
	struct knob run, pages, sleep;
	bool advised;
};

static int ksm_check_opt(const char *key, const char *val, size_t mr_size,
			 struct mrs_err *e)
{
	size_t n;
	double d;

	(void)mr_size;
	if (!strcmp(key, "pages") && (parse_size(val, &n) || !n))
		return mrs_err_set(e, EINVAL,
				   "pages=%s: want pages per scan (1000)", val);
	if (!strcmp(key, "sleep") && (parse_duration(val, &d) || d > 10))
		return mrs_err_set(e, EINVAL,
				   "sleep=%s: want a duration such as 10ms",
				   val);
	return 0;
}

static int advise(struct stress_ctx *c, uint64_t off, uint64_t len, int adv,
		  struct mrs_err *e)
{
	const struct region *r = &c->t->region;
	char o[16], l[16];

	if (!madvise((char *)r->addr + off, len, adv))
		return 0;
	return mrs_err_sys(
		e, "madvise(%s, %s+%s, %s)", r->desc,
		format_size(off, o, sizeof(o)), format_size(len, l, sizeof(l)),
		adv == MADV_MERGEABLE ? "MADV_MERGEABLE" : "MADV_UNMERGEABLE");
}

static void ksm_teardown(struct stress_ctx *c)
{
	struct ksm_state *s = c->priv;
	struct mrs_err e;

	if (!s)
		return;
	/* Unmerge first, while ksmd still runs as we set it. */
	if (s->advised && advise(c, c->off, c->len, MADV_UNMERGEABLE, &e))
		fprintf(stderr, "mrstress: %s\n", e.msg);
	knob_restore(&s->sleep);
	knob_restore(&s->pages);
	knob_restore(&s->run);
	free(s);
	c->priv = NULL;
}

static int set_knobs(struct stress_ctx *c, struct ksm_state *s,
		     struct mrs_err *e)
{
	const char *pages = stress_opt(c, "pages");
	const char *sleep = stress_opt(c, "sleep");
	double ms = 0.01;
	size_t n = 1000;
	char buf[32];
	int ret;

	if (pages)
		parse_size(pages, &n);
	if (sleep)
		parse_duration(sleep, &ms);
	snprintf(buf, sizeof(buf), "%zu", n);
	ret = knob_set(&s->pages, KSM "pages_to_scan", buf, e);
	snprintf(buf, sizeof(buf), "%u", (unsigned)(ms * 1000 + 0.5));
	if (!ret)
		ret = knob_set(&s->sleep, KSM "sleep_millisecs", buf, e);
	if (!ret)
		ret = knob_set(&s->run, KSM "run", "1", e);
	return ret;
}

static int ksm_setup(struct stress_ctx *c, struct mrs_err *e)
{
	const struct region *r = &c->t->region;
	struct ksm_state *s;
	int ret;

	if (access(KSM "run", F_OK))
		return mrs_err_set(e, EOPNOTSUPP,
				   "no " KSM " (kernel without CONFIG_KSM)");
	if (geteuid())
		return mrs_err_set(e, EOPNOTSUPP, "ksm needs root (sysfs)");
	if (r->shared)
		return mrs_err_set(
			e, EOPNOTSUPP,
			"KSM merges only private anonymous pages; %s is shared (MADV_MERGEABLE is a no-op there)",
			r->desc);
	s = calloc(1, sizeof(*s));
	if (!s)
		return mrs_err_set(e, ENOMEM, "ksm: out of memory");
	c->priv = s;
	ret = set_knobs(c, s, e);
	if (!ret)
		ret = advise(c, c->off, c->len, MADV_MERGEABLE, e);
	s->advised = !ret;
	/* hugetlb and other VMAs KSM cannot take: EINVAL. */
	if (ret == -EINVAL)
		ret = -EOPNOTSUPP;
	if (ret)
		ksm_teardown(c);
	return ret;
}

static int ksm_step(struct stress_ctx *c, struct stress_step *st,
		    struct mrs_err *e)
{
	uint64_t off, len;
	int ret;

	stress_rand_range(c, st, &off, &len);
	ret = advise(c, off, len, MADV_UNMERGEABLE, e);
	if (!ret)
		ret = advise(c, off, len, MADV_MERGEABLE, e);
	/* EAGAIN: unmerging met a page it could not copy now. */
	if (ret == -EAGAIN || ret == -ENOMEM)
		return -EAGAIN;
	if (ret)
		return ret;
	step_what(st, "ksm shared %llu sharing %llu scans %llu",
		  (unsigned long long)memstat_file_u64(KSM "pages_shared"),
		  (unsigned long long)memstat_file_u64(KSM "pages_sharing"),
		  (unsigned long long)memstat_file_u64(KSM "full_scans"));
	return 0;
}

const struct stressor stressor_ksm = {
	.name = "ksm",
	.help = "MADV_MERGEABLE on the range with KSM running fast ('pages' 1000 per scan, 'sleep' 10ms), a random subrange unmerged and re-merged per step; private memory; root",
	.keys = ksm_keys,
	.check_opt = ksm_check_opt,
	.setup = ksm_setup,
	.step = ksm_step,
	.teardown = ksm_teardown,
};
