// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sync-file-range: start (and optionally wait for) writeback of a random
 * range of the file behind an MR. Unlike fsync it touches only the pages
 * asked for and takes no filesystem-wide journal commit, so it hits pinned
 * pages in writeback far more often per second.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "stressor.h"
#include "units.h"
#include "what.h"

static const char *const sfr_keys[] = { "flags", NULL };

static const struct flag_word sfr_flag_names[] = {
	{ "wait-before", SYNC_FILE_RANGE_WAIT_BEFORE },
	{ "write", SYNC_FILE_RANGE_WRITE },
	{ "wait-after", SYNC_FILE_RANGE_WAIT_AFTER },
};

#define N_SFR_FLAGS (sizeof(sfr_flag_names) / sizeof(sfr_flag_names[0]))

/* "wait-before+write+wait-after" -> flags; -EINVAL for an unknown word. */
static int sfr_parse(const char *val, unsigned *flags)
{
	return parse_flag_words(val, sfr_flag_names, N_SFR_FLAGS, flags);
}

static int sfr_check_opt(const char *key, const char *val, size_t mr_size,
			 struct mrs_err *e)
{
	unsigned flags;

	(void)mr_size;
	if (!strcmp(key, "flags") && sfr_parse(val, &flags))
		return mrs_err_set(
			e, EINVAL,
			"flags=%s: want wait-before, write and/or wait-after joined by + (e.g. wait-before+write)",
			val);
	return 0;
}

static int sfr_setup(struct stress_ctx *c, struct mrs_err *e)
{
	const char *v = stress_opt(c, "flags");
	unsigned f = SYNC_FILE_RANGE_WRITE;

	(void)e;
	if (v)
		sfr_parse(v, &f);
	/* The flags are all the state there is: kept in the pointer. */
	c->priv = (void *)(uintptr_t)f;
	return 0;
}

static int sfr_step(struct stress_ctx *c, struct stress_step *st,
		    struct mrs_err *e)
{
	unsigned flags = (unsigned)(uintptr_t)c->priv;
	const struct target *t = c->t;
	char a[12], b[12];
	uint64_t off, len;

	stress_rand_range(c, st, &off, &len);
	step_what(st, "sync_file_range %s+%s 0x%x",
		  format_size(off, a, sizeof(a)),
		  format_size(len, b, sizeof(b)), flags);
	if (sync_file_range(t->region.fd, (off_t)off, (off_t)len, flags))
		return mrs_err_sys(e, "sync_file_range(%s, %s+%s, 0x%x)",
				   t->region.desc, a, b, flags);
	return 0;
}

static const char repro_sfr[] =
	"\tuint64_t off, len;\n"
	"\n"
	"\trand_range(r, st, &off, &len);\n"
	"\twhat(st, \"sync_file_range 0x%\" PRIx64 \"+0x%\" PRIx64 \" 0x%x\", off, len,\n"
	"\t     flags);\n"
	"\tif (sync_file_range(r->m->fd, (off_t)off, (off_t)len, flags))\n"
	"\t\treturn step_fail(st, \"sync_file_range(0x%\" PRIx64 \"+0x%\" PRIx64 \", 0x%x)\",\n"
	"\t\t\t\t off, len, flags);\n"
	"\treturn 0;\n";

/* The standalone form of a step, for a reproducer (repro.h). */
static int sfr_repro(FILE *f, const struct stress_repro *a, struct mrs_err *e)
{
	static const char *const names[] = { "SYNC_FILE_RANGE_WAIT_BEFORE",
					     "SYNC_FILE_RANGE_WRITE",
					     "SYNC_FILE_RANGE_WAIT_AFTER" };
	const char *v = stress_repro_opt(a, "flags");
	unsigned flags = SYNC_FILE_RANGE_WRITE;
	const char *sep = "";

	(void)e;
	if (v)
		sfr_parse(v, &flags);
	fputs("\tconst unsigned flags = ", f);
	for (size_t i = 0; i < N_SFR_FLAGS; i++)
		if (flags & sfr_flag_names[i].bits) {
			fprintf(f, "%s%s", sep, names[i]);
			sep = " | ";
		}
	fputs(";\n", f);
	fputs(repro_sfr, f);
	return 0;
}

const struct stressor stressor_sync_file_range = {
	.name = "sync-file-range",
	.help = "sync_file_range a random range; flags=wait-before+write+wait-after (default write)",
	.keys = sfr_keys,
	.needs_file = true,
	.check_opt = sfr_check_opt,
	.setup = sfr_setup,
	.step = sfr_step,
	.repro_step = sfr_repro,
};
