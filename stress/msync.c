// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * msync: MS_SYNC / MS_ASYNC (optionally with MS_INVALIDATE) on a random
 * page-aligned range of the MR's mapping. On a shared file mapping it
 * writes back through the mapping (write-protecting the pages, so the next
 * CPU write faults into page_mkwrite while DMA goes on regardless); on
 * anonymous memory it is legal and does next to nothing, which is itself
 * worth racing.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "stressor.h"
#include "units.h"
#include "what.h"

static const char *const msync_keys[] = { "flags", NULL };

static int msync_parse(const char *val, int *flags)
{
	static const struct {
		const char *name;
		int flags;
	} v[] = {
		{ "sync", MS_SYNC },
		{ "async", MS_ASYNC },
		{ "invalidate", MS_INVALIDATE },
		{ "sync+invalidate", MS_SYNC | MS_INVALIDATE },
		{ "async+invalidate", MS_ASYNC | MS_INVALIDATE },
		{ "invalidate+sync", MS_SYNC | MS_INVALIDATE },
		{ "invalidate+async", MS_ASYNC | MS_INVALIDATE },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (!strcmp(val, v[i].name)) {
			*flags = v[i].flags;
			return 0;
		}
	return -EINVAL;
}

static int msync_check_opt(const char *key, const char *val, size_t mr_size,
			   struct mrs_err *e)
{
	int flags;

	(void)mr_size;
	if (!strcmp(key, "flags") && msync_parse(val, &flags))
		return mrs_err_set(
			e, EINVAL,
			"flags=%s: want sync, async or invalidate (invalidate may be joined to sync or async with +)",
			val);
	return 0;
}

static int msync_setup(struct stress_ctx *c, struct mrs_err *e)
{
	const char *v = stress_opt(c, "flags");
	int flags = MS_SYNC;

	(void)e;
	if (v)
		msync_parse(v, &flags);
	/* The flags are all the state there is: kept in the pointer. */
	c->priv = (void *)(uintptr_t)flags;
	return 0;
}

static const char *msync_name(int flags)
{
	if (flags & MS_SYNC)
		return flags & MS_INVALIDATE ? "sync+inval" : "sync";
	if (flags & MS_ASYNC)
		return flags & MS_INVALIDATE ? "async+inval" : "async";
	return "inval";
}

static int msync_step(struct stress_ctx *c, struct stress_step *st,
		      struct mrs_err *e)
{
	int flags = (int)(uintptr_t)c->priv;
	const struct target *t = c->t;
	char a[12], b[12];
	uint64_t off, len;

	stress_rand_range(c, st, &off, &len);
	format_size(off, a, sizeof(a));
	format_size(len, b, sizeof(b));
	step_what(st, "msync %.11s %s+%s", msync_name(flags), a, b);
	if (msync((char *)t->region.addr + off, len, flags))
		return mrs_err_sys(e, "msync(%s, %s+%s, %s)", t->region.desc, a,
				   b, msync_name(flags));
	return 0;
}

static const char repro_msync[] =
	"\tuint64_t off, len;\n"
	"\n"
	"\trand_range(r, st, &off, &len);\n"
	"\twhat(st, \"msync %s 0x%\" PRIx64 \"+0x%\" PRIx64, name, off, len);\n"
	"\tif (msync(r->m->addr + off, len, flags))\n"
	"\t\treturn step_fail(st, \"msync(0x%\" PRIx64 \"+0x%\" PRIx64 \", %s)\", off,\n"
	"\t\t\t\t len, name);\n"
	"\treturn 0;\n";

/* The standalone form of a step, for a reproducer (repro.h). */
static int msync_repro(FILE *f, const struct stress_repro *a, struct mrs_err *e)
{
	const char *v = stress_repro_opt(a, "flags");
	int flags = MS_SYNC;

	(void)e;
	if (v)
		msync_parse(v, &flags);
	fprintf(f,
		"\tconst int flags = %s%s%s;\n\tconst char *name = \"%s\";\n\n",
		flags & MS_SYNC	 ? "MS_SYNC" :
		flags & MS_ASYNC ? "MS_ASYNC" :
				   "",
		(flags & (MS_SYNC | MS_ASYNC)) && (flags & MS_INVALIDATE) ?
			" | " :
			"",
		flags & MS_INVALIDATE ? "MS_INVALIDATE" : "",
		msync_name(flags));
	fputs(repro_msync, f);
	return 0;
}

const struct stressor stressor_msync = {
	.name = "msync",
	.help = "msync a random range of the mapping; flags=sync|async|invalidate (+invalidate)",
	.keys = msync_keys,
	.check_opt = msync_check_opt,
	.setup = msync_setup,
	.step = msync_step,
	.repro_step = msync_repro,
};
