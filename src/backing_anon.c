// SPDX-License-Identifier: GPL-2.0-or-later
/* Private anonymous memory in base pages: what malloc gives an application. */
#include <sys/mman.h>

#include "backing.h"

static int anon_create(struct region *r, const struct backing_args *a,
		       struct mrs_err *e);

const struct backing backing_anon = {
	.name = "anon",
	.help = "private anonymous memory, base pages (MADV_NOHUGEPAGE)",
	.create = anon_create,
	.repro_build =
		"\t/* Base pages on every kernel: keep THP out. */\n"
		"\tif (mem_map(m, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, st))\n"
		"\t\treturn -1;\n"
		"\tmadvise(m->addr, m->len, MADV_NOHUGEPAGE);\n"
		"\treturn 0;\n",
};

static int anon_create(struct region *r, const struct backing_args *a,
		       struct mrs_err *e)
{
	int ret;

	region_init(r, &backing_anon, a->size);
	region_describe(r, "private");
	ret = region_map(r, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 e);
	if (ret)
		return ret;
	/* Keep THP out so that "anon" means base pages on every kernel. */
	madvise(r->addr, r->len, MADV_NOHUGEPAGE);
	return 0;
}
