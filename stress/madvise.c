// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * madvise: one advice on a random page-aligned range of the MR's mapping
 * at every step. What each does to pinned memory:
 *
 * - dontneed: zaps the page tables. Shared memory (shmem, file) faults the
 *   same pages back; private memory (anon, thp, file-private) faults fresh
 *   zero pages (or the file's) while the MR keeps the old ones: a real
 *   "detached", the classic RDMA footgun, and reported as such.
 * - free: lazy free of private anonymous pages. Reclaim may drop a clean
 *   lazyfree page, but not one with extra references (a pin), so nothing
 *   should be found; EINVAL on anything else.
 * - remove: punches the range out of shmem or a shared file (zeros become
 *   legal in the file's views); the MR keeps the pages: "detached" where
 *   the file is seen. EINVAL on private anon, EACCES on private files.
 * - pageout, cold: reclaim the range now / put it on the inactive list.
 *   Pinned pages cannot be unmapped for swap nor freed: nothing moves.
 * - willneed: read-ahead or swap-in; harmless.
 *
 * A refusal the kernel gives for a memory type is known before the run
 * and the stressor is skipped with the reason. hugetlb takes none of the
 * reclaim advices (EINVAL), so those are skipped there too.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "stressor.h"
#include "units.h"
#include "what.h"

#ifndef MADV_COLD
#define MADV_COLD 20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

enum advice_kind { ADV_ANY, ADV_PRIVATE_ANON, ADV_SHARED, ADV_LRU };

struct advice {
	const char *name;
	int advice;
	enum advice_kind kind;
	bool changes_view; /* the CPU may see other bytes after it */
};

static const struct advice advices[] = {
	{ "pageout", MADV_PAGEOUT, ADV_LRU, false },
	{ "cold", MADV_COLD, ADV_LRU, false },
	{ "dontneed", MADV_DONTNEED, ADV_ANY, true },
	{ "free", MADV_FREE, ADV_PRIVATE_ANON, true },
	{ "willneed", MADV_WILLNEED, ADV_ANY, false },
	{ "remove", MADV_REMOVE, ADV_SHARED, true },
};

#define N_ADVICES (int)(sizeof(advices) / sizeof(advices[0]))

static const char *const madvise_keys[] = { "advice", NULL };

static const struct advice *advice_find(const char *name)
{
	for (int i = 0; i < N_ADVICES; i++)
		if (!strcmp(advices[i].name, name))
			return &advices[i];
	return NULL;
}

static const struct advice *advice_of(const struct stress_ctx *c)
{
	const char *v = stress_opt(c, "advice");

	return advice_find(v ? v : "dontneed");
}

static int madvise_check_opt(const char *key, const char *val, size_t mr_size,
			     struct mrs_err *e)
{
	(void)mr_size;
	if (!strcmp(key, "advice") && !advice_find(val))
		return mrs_err_set(
			e, EINVAL,
			"advice=%s: want pageout, cold, dontneed, free, willneed or remove",
			val);
	return 0;
}

static bool is_hugetlb(const struct region *r)
{
	return !strncmp(r->backing->name, "hugetlb", 7);
}

/* The refusal the kernel gives for this memory, known before trying. */
static int madvise_setup(struct stress_ctx *c, struct mrs_err *e)
{
	const struct advice *a = advice_of(c);
	const struct region *r = &c->t->region;
	bool private_anon = !r->shared && r->fd < 0;

	switch (a->kind) {
	case ADV_PRIVATE_ANON:
		if (!private_anon)
			return mrs_err_set(
				e, EOPNOTSUPP,
				"MADV_FREE works only on private anonymous memory, not %s (EINVAL)",
				r->desc);
		break;
	case ADV_SHARED:
		if (!r->shared)
			return mrs_err_set(
				e, EOPNOTSUPP,
				"MADV_REMOVE needs shmem or a shared file mapping, not %s (%s)",
				r->desc, r->fd < 0 ? "EINVAL" : "EACCES");
		break;
	case ADV_LRU:
		if (is_hugetlb(r))
			return mrs_err_set(
				e, EOPNOTSUPP,
				"MADV_%s: hugetlb pages are not on the LRU (EINVAL)",
				a->advice == MADV_COLD ? "COLD" : "PAGEOUT");
		break;
	default:
		break;
	}
	return 0;
}

static int madvise_step(struct stress_ctx *c, struct stress_step *st,
			struct mrs_err *e)
{
	const struct advice *a = advice_of(c);
	struct target *t = c->t;
	uint64_t off, len;
	char o[16], l[16];
	int ret = 0;

	stress_rand_range(c, st, &off, &len);
	step_what(st, "%s %s+%s", a->name, format_size(off, o, sizeof(o)),
		  format_size(len, l, sizeof(l)));
	if (a->advice == MADV_REMOVE)
		shadow_zero_range(&t->shadow, off, len);
	/*
	 * No CPU check may read the range half-changed: it would see a block
	 * torn between old bytes and new zeros instead of the whole story.
	 */
	if (a->changes_view)
		pthread_rwlock_wrlock(&t->view_lock);
	if (madvise((char *)t->region.addr + off, len, a->advice)) {
		ret = mrs_err_sys(e, "madvise(%s, %s+%s, %s)", t->region.desc,
				  o, l, a->name);
		/* A type refusal setup did not foresee: skipped, not an error. */
		if (ret == -EINVAL || ret == -EACCES)
			ret = -EOPNOTSUPP;
	}
	if (a->advice == MADV_REMOVE)
		shadow_zero_range(&t->shadow, off, len);
	if (a->changes_view)
		pthread_rwlock_unlock(&t->view_lock);
	return ret;
}

static const char repro_madvise[] =
	"\tuint64_t off, len;\n"
	"\n"
	"\trand_range(r, st, &off, &len);\n"
	"\twhat(st, \"madvise %s 0x%\" PRIx64 \"+0x%\" PRIx64, name, off, len);\n"
	"\tif (madvise(r->m->addr + off, len, advice))\n"
	"\t\treturn step_fail(st, \"madvise(0x%\" PRIx64 \"+0x%\" PRIx64 \", %s)\", off,\n"
	"\t\t\t\t len, name);\n"
	"\treturn 0;\n";

/* The standalone form of a step, for a reproducer (repro.h). */
static int madvise_repro(FILE *f, const struct stress_repro *a,
			 struct mrs_err *e)
{
	const char *v = stress_repro_opt(a, "advice");
	const struct advice *adv = advice_find(v ? v : "dontneed");
	char upper[16];
	size_t i;

	(void)e;
	for (i = 0; i < sizeof(upper) - 1 && adv->name[i]; i++)
		upper[i] = (char)(adv->name[i] - 'a' + 'A');
	upper[i] = '\0';
	fprintf(f,
		"\tconst int advice = MADV_%s;\n\tconst char *name = \"%s\";\n",
		upper, adv->name);
	fputs(repro_madvise, f);
	return 0;
}

const struct stressor stressor_madvise = {
	.name = "madvise",
	.help = "madvise 'advice' (pageout, cold, dontneed, free, willneed, remove; default dontneed) on random ranges of the mapping",
	.keys = madvise_keys,
	.check_opt = madvise_check_opt,
	.setup = madvise_setup,
	.step = madvise_step,
	.repro_step = madvise_repro,
};
