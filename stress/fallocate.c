// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fallocate: change the blocks behind a random range of the file under an
 * MR while DMA goes on.
 *
 *   mode=punch            FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE
 *   mode=zero             FALLOC_FL_ZERO_RANGE
 *   mode=collapse-insert  FALLOC_FL_COLLAPSE_RANGE then FALLOC_FL_INSERT_RANGE
 *   mode=insert-collapse  the same pair the other way round
 *
 * Each drops the range's pages from the page cache; a long-term pin keeps
 * them in the MR, so later DMA lands in pages the file no longer has. The
 * collapse/insert pairs net to a hole at the offset but shift every later
 * extent twice, and drop the page cache from the offset to the end of the
 * file: every pinned page from there on leaves the file.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "stressor.h"
#include "units.h"
#include "what.h"

static const char *const fallocate_keys[] = { "mode", NULL };

enum fa_mode {
	FA_PUNCH,
	FA_ZERO,
	FA_COLLAPSE_INSERT,
	FA_INSERT_COLLAPSE,
	FA_MODES
};

static const char *const fa_modes[] = { "punch", "zero", "collapse-insert",
					"insert-collapse" };

struct fa_state {
	enum fa_mode mode;
	size_t unit; /* the filesystem's allocation unit, at least a page */
};

static int fallocate_check_opt(const char *key, const char *val, size_t mr_size,
			       struct mrs_err *e)
{
	(void)mr_size;
	if (!strcmp(key, "mode") && name_index(fa_modes, FA_MODES, val) < 0)
		return mrs_err_set(
			e, EINVAL,
			"mode=%s: want punch, zero, collapse-insert or insert-collapse",
			val);
	return 0;
}

static const char *flag_name(int flags)
{
	if (flags & FALLOC_FL_PUNCH_HOLE)
		return "FALLOC_FL_PUNCH_HOLE";
	if (flags & FALLOC_FL_ZERO_RANGE)
		return "FALLOC_FL_ZERO_RANGE";
	if (flags & FALLOC_FL_COLLAPSE_RANGE)
		return "FALLOC_FL_COLLAPSE_RANGE";
	return "FALLOC_FL_INSERT_RANGE";
}

/* -EOPNOTSUPP when the filesystem has no such mode, e says so. */
static int do_fallocate(const struct target *t, int fd, int flags, uint64_t off,
			uint64_t len, struct mrs_err *e)
{
	char a[16], b[16];

	if (!fallocate(fd, flags, (off_t)off, (off_t)len))
		return 0;
	if (errno == EOPNOTSUPP)
		return mrs_err_set(e, EOPNOTSUPP, "%s has no %s",
				   t->region.fs[0] ? t->region.fs :
						     t->region.desc,
				   flag_name(flags));
	return mrs_err_sys(e, "fallocate(%s, %s, %s+%s)", t->region.desc,
			   flag_name(flags), format_size(off, a, sizeof(a)),
			   format_size(len, b, sizeof(b)));
}

/* The pair of a shifting mode, in order; for the others only first. */
static void mode_flags(enum fa_mode m, int *first, int *second)
{
	static const int f[FA_MODES][2] = {
		{ FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0 },
		{ FALLOC_FL_ZERO_RANGE, 0 },
		{ FALLOC_FL_COLLAPSE_RANGE, FALLOC_FL_INSERT_RANGE },
		{ FALLOC_FL_INSERT_RANGE, FALLOC_FL_COLLAPSE_RANGE },
	};

	*first = f[m][0];
	*second = f[m][1];
}

static int fill_file(int fd, size_t len)
{
	static const char zeros[4096];

	for (size_t done = 0; done < len; done += sizeof(zeros))
		if (pwrite(fd, zeros, sizeof(zeros), (off_t)done) !=
		    (ssize_t)sizeof(zeros))
			return -1;
	return 0;
}

/*
 * Try the mode once on a scratch file of our own beside the MR's, so that
 * a filesystem without it is skipped up front with the reason.
 */
static int probe_mode(const struct target *t, const struct fa_state *s,
		      struct mrs_err *e)
{
	char path[PATH_MAX + 32], dir[PATH_MAX];
	int first, second, fd, ret;

	if (!t->region.path[0])
		return 0; /* no directory to probe in: the first step tells */
	str_copy(dir, sizeof(dir), t->region.path);
	snprintf(path, sizeof(path), "%s/mrstress-probe-%d-XXXXXX",
		 dirname(dir), (int)getpid());
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return mrs_err_sys(e, "create a probe file beside %s",
				   t->region.desc);
	unlink(path);
	mode_flags(s->mode, &first, &second);
	if (fill_file(fd, 4 * s->unit))
		ret = mrs_err_sys(e, "write a probe file beside %s",
				  t->region.desc);
	else
		ret = do_fallocate(t, fd, first, s->unit, s->unit, e);
	if (!ret && second)
		ret = do_fallocate(t, fd, second, s->unit, s->unit, e);
	close(fd);
	return ret;
}

static int fallocate_setup(struct stress_ctx *c, struct mrs_err *e)
{
	const char *m = stress_opt(c, "mode");
	struct fa_state *s = calloc(1, sizeof(*s));
	struct statfs sf;
	int ret;

	if (!s)
		return mrs_err_set(e, ENOMEM, "fallocate: out of memory");
	s->mode = m ? (enum fa_mode)name_index(fa_modes, FA_MODES, m) :
		      FA_PUNCH;
	s->unit = c->t->region.page_size;
	if (fstatfs(c->t->region.fd, &sf) == 0 && (size_t)sf.f_bsize > s->unit)
		s->unit = (size_t)sf.f_bsize;
	ret = probe_mode(c->t, s, e);
	if (ret) {
		free(s);
		return ret;
	}
	c->priv = s;
	return 0;
}

/* A random range of whole allocation units inside the stressor's range. */
static void unit_range(const struct stress_ctx *c, const struct fa_state *s,
		       struct stress_step *st, uint64_t *off, uint64_t *len)
{
	uint64_t end, size = c->t->region.len;

	stress_rand_range(c, st, off, len);
	end = *off + *len;
	*off -= *off % s->unit;
	end += end % s->unit ? s->unit - end % s->unit : 0;
	if (end > size)
		end = size;
	/* A collapse must end before the end of the file. */
	if (s->mode >= FA_COLLAPSE_INSERT && end == size)
		end -= s->unit;
	if (end <= *off)
		*off = end - s->unit;
	*len = end - *off;
}

static int zero_step(struct stress_ctx *c, const struct fa_state *s,
		     uint64_t off, uint64_t len, struct mrs_err *e)
{
	struct target *t = c->t;
	int flags, unused, ret;

	mode_flags(s->mode, &flags, &unused);
	shadow_zero_range(&t->shadow, off, len);
	/*
	 * Not for faults (the size stays): a write posted after the first
	 * zero_range may be zeroed before the second one makes that legal,
	 * so no check may look in between.
	 */
	pthread_rwlock_wrlock(&t->view_lock);
	ret = do_fallocate(t, t->region.fd, flags, off, len, e);
	shadow_zero_range(&t->shadow, off, len);
	pthread_rwlock_unlock(&t->view_lock);
	return ret;
}

/*
 * While the pair runs, every byte from off to the end of the file is
 * somewhere else, and after a collapse the file is shorter than its
 * mapping: no CPU read may look until both are done.
 */
static int shift_step(struct stress_ctx *c, const struct fa_state *s,
		      uint64_t off, uint64_t len, struct mrs_err *e)
{
	struct target *t = c->t;
	int first, second, ret;

	mode_flags(s->mode, &first, &second);
	shadow_zero_range(&t->shadow, off, len);
	pthread_rwlock_wrlock(&t->view_lock);
	ret = do_fallocate(t, t->region.fd, first, off, len, e);
	if (!ret) {
		ret = do_fallocate(t, t->region.fd, second, off, len, e);
		/* Half a pair: at least give the file its size back. */
		if (ret && ftruncate(t->region.fd, (off_t)t->region.len) == 0)
			shadow_zero_range(&t->shadow, off, t->region.len - off);
		if (ret == -EOPNOTSUPP)
			ret = -EIO; /* one half worked: not a missing mode */
	}
	shadow_zero_range(&t->shadow, off, len);
	pthread_rwlock_unlock(&t->view_lock);
	return ret;
}

static int fallocate_step(struct stress_ctx *c, struct stress_step *st,
			  struct mrs_err *e)
{
	const struct fa_state *s = c->priv;
	uint64_t off, len;
	char a[12], b[12];

	unit_range(c, s, st, &off, &len);
	step_what(st, "%s %s+%s", fa_modes[s->mode],
		  format_size(off, a, sizeof(a)),
		  format_size(len, b, sizeof(b)));
	if (s->mode >= FA_COLLAPSE_INSERT)
		return shift_step(c, s, off, len, e);
	return zero_step(c, s, off, len, e);
}

static void fallocate_teardown(struct stress_ctx *c)
{
	free(c->priv);
	c->priv = NULL;
}

static const char repro_fallocate[] =
	"\tuint64_t off, len, end, unit = MEM_PAGE_SIZE;\n"
	"\tstruct statfs sf;\n"
	"\n"
	"\t/* Whole allocation units of the filesystem, as mrstress picks them. */\n"
	"\tif (!fstatfs(r->m->fd, &sf) && (uint64_t)sf.f_bsize > unit)\n"
	"\t\tunit = (uint64_t)sf.f_bsize;\n"
	"\trand_range(r, st, &off, &len);\n"
	"\tend = off + len;\n"
	"\toff -= off % unit;\n"
	"\tend += end % unit ? unit - end % unit : 0;\n"
	"\tif (end > r->m->len)\n"
	"\t\tend = r->m->len;\n"
	"\tif (shifts && end == r->m->len)\n"
	"\t\tend -= unit; /* a collapse must end before the end of the file */\n"
	"\tif (end <= off)\n"
	"\t\toff = end - unit;\n"
	"\tlen = end - off;\n"
	"\twhat(st, \"fallocate 0x%x, 0x%x: 0x%\" PRIx64 \"+0x%\" PRIx64, first,\n"
	"\t     second, off, len);\n"
	"\tif (fallocate(r->m->fd, first, (off_t)off, (off_t)len))\n"
	"\t\treturn step_fail(st, \"fallocate(0x%x, 0x%\" PRIx64 \"+0x%\" PRIx64 \")\",\n"
	"\t\t\t\t first, off, len);\n"
	"\tif (second && fallocate(r->m->fd, second, (off_t)off, (off_t)len)) {\n"
	"\t\tint ret = step_fail(st, \"fallocate(0x%x, 0x%\" PRIx64 \"+0x%\" PRIx64 \")\",\n"
	"\t\t\t\t    second, off, len);\n"
	"\n"
	"\t\t/* Half a pair: at least give the file its size back. */\n"
	"\t\tif (ftruncate(r->m->fd, (off_t)r->m->len))\n"
	"\t\t\treturn step_fail(st, \"ftruncate(%zu)\", r->m->len);\n"
	"\t\treturn ret;\n"
	"\t}\n"
	"\treturn 0;\n";

/* The standalone form of a step, for a reproducer (repro.h). */
static int fallocate_repro(FILE *f, const struct stress_repro *a,
			   struct mrs_err *e)
{
	static const char *const flags[FA_MODES][2] = {
		{ "FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE", "0" },
		{ "FALLOC_FL_ZERO_RANGE", "0" },
		{ "FALLOC_FL_COLLAPSE_RANGE", "FALLOC_FL_INSERT_RANGE" },
		{ "FALLOC_FL_INSERT_RANGE", "FALLOC_FL_COLLAPSE_RANGE" },
	};
	const char *m = stress_repro_opt(a, "mode");
	enum fa_mode mode = FA_PUNCH;

	(void)e;
	if (m)
		mode = (enum fa_mode)name_index(fa_modes, FA_MODES, m);
	fprintf(f,
		"\t/* mode=%s */\n\tconst int first = %s, second = %s;\n"
		"\tconst bool shifts = %s;\n",
		fa_modes[mode], flags[mode][0], flags[mode][1],
		mode >= FA_COLLAPSE_INSERT ? "true" : "false");
	fputs(repro_fallocate, f);
	return 0;
}

const struct stressor stressor_fallocate = {
	.name = "fallocate",
	.help = "fallocate a random range; mode=punch|zero|collapse-insert|insert-collapse",
	.keys = fallocate_keys,
	.needs_file = true,
	.check_opt = fallocate_check_opt,
	.setup = fallocate_setup,
	.step = fallocate_step,
	.teardown = fallocate_teardown,
	.repro_step = fallocate_repro,
};
