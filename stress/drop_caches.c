// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * drop-caches: write 1 (page cache), 2 (dentries and inodes) or 3 (both)
 * to /proc/sys/vm/drop_caches while DMA goes on. Only clean, unmapped,
 * unpinned page-cache pages can go: a pinned page has references the
 * kernel did not expect and is skipped (since ~6.5 its buffers are kept
 * too; older kernels could strip them: the ext4 "page without buffers"
 * problem). What stays in the cache is the measure: Cached before and
 * after goes into the timeline.
 *
 * No sync first, on purpose: a sync is writeback, a stressor of its own
 * (dirty, fsync). Without it, dirty pages stay and only what writeback had
 * already cleaned is dropped, which is the state the old bug needed: a
 * pinned page that writeback cleaned while the device keeps writing it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "knob.h"
#include "memstat.h"
#include "stressor.h"
#include "units.h"
#include "what.h"

#define DROP_CACHES "/proc/sys/vm/drop_caches"

static const char *const drop_keys[] = { "what", NULL };

static int drop_check_opt(const char *key, const char *val, size_t mr_size,
			  struct mrs_err *e)
{
	(void)mr_size;
	if (!strcmp(key, "what") && strcmp(val, "1") && strcmp(val, "2") &&
	    strcmp(val, "3"))
		return mrs_err_set(
			e, EINVAL,
			"what=%s: want 1 (page cache), 2 (dentries, inodes) or 3 (both)",
			val);
	return 0;
}

static int drop_setup(struct stress_ctx *c, struct mrs_err *e)
{
	(void)c;
	if (geteuid())
		return mrs_err_set(e, EOPNOTSUPP, "drop-caches needs root");
	if (access(DROP_CACHES, W_OK))
		return mrs_err_set(e, EOPNOTSUPP, "%s: not writable here",
				   DROP_CACHES);
	return 0;
}

static int drop_step(struct stress_ctx *c, struct stress_step *st,
		     struct mrs_err *e)
{
	const char *what = stress_opt(c, "what");
	uint64_t before = 0, after = 0;
	char b[16], a[16];
	int ret;

	if (!what)
		what = "1";
	memstat_read("/proc/meminfo", "Cached", &before, e);
	ret = knob_write(DROP_CACHES, what, e);
	if (ret)
		return ret;
	memstat_read("/proc/meminfo", "Cached", &after, e);
	e->code = 0;
	step_what(st, "drop_caches %s: Cached %s -> %s", what,
		  format_size(before, b, sizeof(b)),
		  format_size(after, a, sizeof(a)));
	return 0;
}

/* The standalone form of a step, for a reproducer (repro.h). */
static int drop_repro(FILE *f, const struct stress_repro *a, struct mrs_err *e)
{
	const char *what = stress_repro_opt(a, "what");

	(void)e;
	if (!what)
		what = "1";
	fprintf(f,
		"\t(void)r;\n\twhat(st, \"drop_caches %s\");\n"
		"\treturn write_knob(st, \"" DROP_CACHES "\", \"%s\");\n",
		what, what);
	return 0;
}

const struct stressor stressor_drop_caches = {
	.name = "drop-caches",
	.help = "write 'what' (1 page cache, 2 dentries+inodes, 3 both; default 1) to /proc/sys/vm/drop_caches; root",
	.keys = drop_keys,
	.check_opt = drop_check_opt,
	.setup = drop_setup,
	.step = drop_step,
	.repro_step = drop_repro,
};
