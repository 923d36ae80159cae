// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fsync, fdatasync, syncfs: write back the file behind an MR while DMA
 * writes into its pinned pages. Writeback cleans pages a device keeps
 * dirtying behind the filesystem's back (objective O1 of the seed
 * discussions): the kernel may block, skip or error here; each step is
 * timed, so a sync that blocks shows up as a long step or a hang.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fault.h"
#include "stressor.h"
#include "what.h"

static const char *const sync_keys[] = { NULL };

static int sync_step(struct stress_ctx *c, struct stress_step *st,
		     struct mrs_err *e, const char *name,
		     int (*sync_fn)(int fd))
{
	const struct target *t = c->t;

	step_what(st, "%s", name);
	if (fault_fire(FAULT_FILE_FSYNC) || sync_fn(t->region.fd))
		return mrs_err_sys(e, "%s(%s)", name, t->region.desc);
	return 0;
}

static int fsync_step(struct stress_ctx *c, struct stress_step *st,
		      struct mrs_err *e)
{
	return sync_step(c, st, e, "fsync", fsync);
}

static int fdatasync_step(struct stress_ctx *c, struct stress_step *st,
			  struct mrs_err *e)
{
	return sync_step(c, st, e, "fdatasync", fdatasync);
}

static int syncfs_step(struct stress_ctx *c, struct stress_step *st,
		       struct mrs_err *e)
{
	return sync_step(c, st, e, "syncfs", syncfs);
}

static const char repro_sync[] = "\twhat(st, \"%s\", name);\n"
				 "\tif (sync_fn(r->m->fd))\n"
				 "\t\treturn step_fail(st, \"%s\", name);\n"
				 "\treturn 0;\n";

/* The standalone form of a step, for a reproducer (repro.h). */
static int sync_repro(FILE *f, const char *name)
{
	fprintf(f,
		"\tconst char *name = \"%s\";\n\tint (*sync_fn)(int) = %s;\n\n",
		name, name);
	fputs(repro_sync, f);
	return 0;
}

static int fsync_repro(FILE *f, const struct stress_repro *a, struct mrs_err *e)
{
	(void)a;
	(void)e;
	return sync_repro(f, "fsync");
}

static int fdatasync_repro(FILE *f, const struct stress_repro *a,
			   struct mrs_err *e)
{
	(void)a;
	(void)e;
	return sync_repro(f, "fdatasync");
}

static int syncfs_repro(FILE *f, const struct stress_repro *a,
			struct mrs_err *e)
{
	(void)a;
	(void)e;
	return sync_repro(f, "syncfs");
}

const struct stressor stressor_fsync = {
	.name = "fsync",
	.help = "fsync the file behind the MR",
	.keys = sync_keys,
	.needs_file = true,
	.step = fsync_step,
	.repro_step = fsync_repro,
};

const struct stressor stressor_fdatasync = {
	.name = "fdatasync",
	.help = "fdatasync the file behind the MR",
	.keys = sync_keys,
	.needs_file = true,
	.step = fdatasync_step,
	.repro_step = fdatasync_repro,
};

const struct stressor stressor_syncfs = {
	.name = "syncfs",
	.help = "syncfs the filesystem of the file behind the MR",
	.keys = sync_keys,
	.needs_file = true,
	.step = syncfs_step,
	.repro_step = syncfs_repro,
};
