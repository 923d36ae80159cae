// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mprotect: change the protection of a random range of the MR's mapping and
 * put it back, in one step. The VMA is split and merged again and its page
 * table entries rewritten; a pinned MR must not notice (DMA goes to the
 * pinned pages whatever the CPU may do), an on-demand-paging MR follows the
 * page tables and is invalidated by the change.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "stressor.h"
#include "units.h"
#include "what.h"

#define MPROTECT_MAX_PROTS 4

static const char *const mprotect_keys[] = { "prot", NULL };

struct mprotect_plan {
	int prot[MPROTECT_MAX_PROTS];
	unsigned n;
	char name[32];
};

static int prot_of(const char *w, size_t len)
{
	if (len == 2 && !strncmp(w, "rw", 2))
		return PROT_READ | PROT_WRITE;
	if (len == 2 && !strncmp(w, "ro", 2))
		return PROT_READ;
	if (len == 4 && !strncmp(w, "none", 4))
		return PROT_NONE;
	return -1;
}

/*
 * "ro", "none", "rw-ro": the protections a step passes through, in order,
 * before the mapping's own is put back.
 */
static int plan_parse(const char *v, struct mprotect_plan *p)
{
	const char *w = v;

	memset(p, 0, sizeof(*p));
	str_copy(p->name, sizeof(p->name), v);
	while (*w) {
		size_t len = strcspn(w, "-");
		int prot = prot_of(w, len);

		if (prot < 0 || p->n == MPROTECT_MAX_PROTS)
			return -EINVAL;
		p->prot[p->n++] = prot;
		w += len;
		if (*w == '-' && *++w == '\0')
			return -EINVAL;
	}
	return p->n ? 0 : -EINVAL;
}

static int mprotect_check_opt(const char *key, const char *val, size_t mr_size,
			      struct mrs_err *e)
{
	struct mprotect_plan p;

	(void)mr_size;
	if (strcmp(key, "prot") || !plan_parse(val, &p))
		return 0;
	return mrs_err_set(
		e, EINVAL,
		"prot=%s: want ro, none or rw-ro (up to %d of rw, ro, none joined by '-')",
		val, MPROTECT_MAX_PROTS);
}

static int mprotect_setup(struct stress_ctx *c, struct mrs_err *e)
{
	const char *v = stress_opt(c, "prot");
	struct mprotect_plan *p = calloc(1, sizeof(*p));

	if (!p)
		return mrs_err_set(e, ENOMEM, "mprotect: out of memory");
	plan_parse(v ? v : "ro", p);
	c->priv = p;
	return 0;
}

static int mprotect_step(struct stress_ctx *c, struct stress_step *st,
			 struct mrs_err *e)
{
	const struct mprotect_plan *p = c->priv;
	struct target *t = c->t;
	uint64_t off, len;
	char *addr;
	char range[40];
	int ret = 0;

	stress_rand_range(c, st, &off, &len);
	addr = (char *)t->region.addr + off;
	range_str(off, len, range, sizeof(range));
	step_what(st, "mprotect %s %s", p->name, range);
	/*
	 * Always for writing: even without PROT_NONE, a concurrent mremap or
	 * remap of the same range would leave part of it unprotected.
	 */
	pthread_rwlock_wrlock(&t->view_lock);
	for (unsigned i = 0; i < p->n && !ret; i++)
		if (mprotect(addr, len, p->prot[i]))
			ret = mrs_err_sys(e, "mprotect(%s, %s, %s)",
					  t->region.desc, range, p->name);
	/* Put back even after a failure: the checker reads this mapping. */
	if (mprotect(addr, len, t->region.map_prot) && !ret)
		ret = mrs_err_sys(e, "mprotect(%s, %s) back", t->region.desc,
				  range);
	pthread_rwlock_unlock(&t->view_lock);
	return ret;
}

static void mprotect_teardown(struct stress_ctx *c)
{
	free(c->priv);
	c->priv = NULL;
}

static const char repro_mprotect[] =
	"\tuint64_t off, len;\n"
	"\tint ret = 0;\n"
	"\n"
	"\trand_range(r, st, &off, &len);\n"
	"\twhat(st, \"mprotect %s 0x%\" PRIx64 \"+0x%\" PRIx64, name, off, len);\n"
	"\tfor (size_t i = 0; i < sizeof(prots) / sizeof(prots[0]) && !ret; i++)\n"
	"\t\tif (mprotect(r->m->addr + off, len, prots[i]))\n"
	"\t\t\tret = step_fail(st, \"mprotect(0x%\" PRIx64 \"+0x%\" PRIx64 \", %s)\",\n"
	"\t\t\t\t\toff, len, name);\n"
	"\t/* Put back even after a failure: the checks read this mapping. */\n"
	"\tif (mprotect(r->m->addr + off, len, r->m->map_prot) && !ret)\n"
	"\t\tret = step_fail(st, \"mprotect(0x%\" PRIx64 \"+0x%\" PRIx64 \") back\", off,\n"
	"\t\t\t\tlen);\n"
	"\treturn ret;\n";

static const char *prot_name(int prot)
{
	if (prot == (PROT_READ | PROT_WRITE))
		return "PROT_READ | PROT_WRITE";
	return prot == PROT_READ ? "PROT_READ" : "PROT_NONE";
}

/* The standalone form of a step, for a reproducer (repro.h). */
static int mprotect_repro(FILE *f, const struct stress_repro *a,
			  struct mrs_err *e)
{
	const char *v = stress_repro_opt(a, "prot");
	struct mprotect_plan p;

	(void)e;
	plan_parse(v ? v : "ro", &p);
	fputs("\tstatic const int prots[] = { ", f);
	for (unsigned i = 0; i < p.n; i++)
		fprintf(f, "%s%s", i ? ", " : "", prot_name(p.prot[i]));
	fprintf(f, " };\n\tconst char *name = \"%s\";\n", p.name);
	fputs(repro_mprotect, f);
	return 0;
}

const struct stressor stressor_mprotect = {
	.name = "mprotect",
	.help = "mprotect a random range (prot=ro|none|rw-ro, default ro) and back",
	.keys = mprotect_keys,
	.check_opt = mprotect_check_opt,
	.setup = mprotect_setup,
	.step = mprotect_step,
	.teardown = mprotect_teardown,
	.repro_step = mprotect_repro,
};
