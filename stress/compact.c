// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * compact: write 1 to /proc/sys/vm/compact_memory, which migrates movable
 * pages of every zone to make free huge-page-sized blocks. Long-term
 * pinned pages are not movable (they were moved out of ZONE_MOVABLE and
 * CMA when pinned, and migration refuses a page with extra references):
 * compaction must go around them. A page of the MR that did move would
 * leave the MR on the old page: "detached" through the CPU view.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "knob.h"
#include "memstat.h"
#include "stressor.h"
#include "what.h"

#define COMPACT_MEMORY "/proc/sys/vm/compact_memory"

static int compact_setup(struct stress_ctx *c, struct mrs_err *e)
{
	(void)c;
	if (geteuid())
		return mrs_err_set(e, EOPNOTSUPP, "compact needs root");
	if (access(COMPACT_MEMORY, F_OK))
		return mrs_err_set(
			e, EOPNOTSUPP,
			"%s absent: kernel without CONFIG_COMPACTION",
			COMPACT_MEMORY);
	return 0;
}

static int compact_step(struct stress_ctx *c, struct stress_step *st,
			struct mrs_err *e)
{
	uint64_t moved0 = 0, moved1 = 0, failed0 = 0, failed1 = 0;
	int ret;

	(void)c;
	memstat_read("/proc/vmstat", "compact_migrate_scanned", &moved0, e);
	memstat_read("/proc/vmstat", "pgmigrate_fail", &failed0, e);
	ret = knob_write(COMPACT_MEMORY, "1", e);
	if (ret)
		return ret;
	memstat_read("/proc/vmstat", "compact_migrate_scanned", &moved1, e);
	memstat_read("/proc/vmstat", "pgmigrate_fail", &failed1, e);
	e->code = 0;
	step_what(st, "compact: scanned %llu, migrate failed %llu",
		  (unsigned long long)(moved1 - moved0),
		  (unsigned long long)(failed1 - failed0));
	return 0;
}

/* The standalone form of a step, for a reproducer (repro.h). */
static int compact_repro(FILE *f, const struct stress_repro *a,
			 struct mrs_err *e)
{
	(void)a;
	(void)e;
	fputs("\t(void)r;\n\twhat(st, \"compact_memory\");\n"
	      "\treturn write_knob(st, \"" COMPACT_MEMORY "\", \"1\");\n",
	      f);
	return 0;
}

const struct stressor stressor_compact = {
	.name = "compact",
	.help = "write 1 to /proc/sys/vm/compact_memory (compact every zone); root, CONFIG_COMPACTION",
	.setup = compact_setup,
	.step = compact_step,
	.repro_step = compact_repro,
};
