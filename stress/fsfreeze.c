// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fsfreeze: freeze the filesystem of the file behind an MR (FIFREEZE on
 * its mount root), hold it for 'hold', thaw it (FITHAW). Freezing writes
 * back and cleans every dirty page, pinned ones included, while DMA goes
 * on writing them; while frozen, writers and fsync in other stressors
 * block. The filesystem must never stay frozen: a step thaws before it
 * returns, within 50 ms of the run being stopped, and teardown thaws
 * whatever a step left.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "stressor.h"
#include "units.h"
#include "what.h"

#define FREEZE_HOLD_MAX 5.0

static const char *const fsfreeze_keys[] = { "hold", NULL };

struct fsfreeze_state {
	int fd; /* the mount root */
	char root[PATH_MAX];
	double hold;
	atomic_int frozen; /* freezes of ours not yet thawed */
};

static int fsfreeze_check_opt(const char *key, const char *val, size_t mr_size,
			      struct mrs_err *e)
{
	double hold;

	(void)mr_size;
	if (!strcmp(key, "hold") && (parse_duration(val, &hold) ||
				     !(hold > 0) || hold > FREEZE_HOLD_MAX))
		return mrs_err_set(
			e, EINVAL,
			"hold=%s: want a duration above 0 and at most 5s (e.g. 200ms)",
			val);
	return 0;
}

/* The mount root above path: the last directory on the same device. */
static int mount_root(const char *path, char *root, struct mrs_err *e)
{
	char dir[PATH_MAX], parent[PATH_MAX];
	struct stat st, pst;

	str_copy(dir, sizeof(dir), path);
	if (!realpath(dirname(dir), root) || stat(root, &st))
		return mrs_err_sys(e, "find the directory of %s", path);
	while (strcmp(root, "/")) {
		str_copy(parent, sizeof(parent), root);
		str_copy(parent, sizeof(parent), dirname(parent));
		if (stat(parent, &pst))
			return mrs_err_sys(e, "stat(%s)", parent);
		if (pst.st_dev != st.st_dev)
			break;
		str_copy(root, PATH_MAX, parent);
	}
	return 0;
}

static int thaw(struct fsfreeze_state *s, struct mrs_err *e)
{
	if (ioctl(s->fd, FITHAW, 0))
		return mrs_err_sys(e, "FITHAW(%s)", s->root);
	atomic_fetch_sub(&s->frozen, 1);
	return 0;
}

/* A freeze and an immediate thaw: does this filesystem freeze at all? */
static int probe_freeze(struct fsfreeze_state *s, const char *fs,
			struct mrs_err *e)
{
	if (ioctl(s->fd, FIFREEZE, 0) == 0) {
		atomic_fetch_add(&s->frozen, 1);
		return thaw(s, e);
	}
	if (errno == EOPNOTSUPP || errno == ENOTTY || errno == EINVAL)
		return mrs_err_set(e, EOPNOTSUPP,
				   "%s (%s) does not support FIFREEZE: %s", fs,
				   s->root, strerror(errno));
	if (errno == EBUSY)
		return 0; /* frozen by someone else: steps count refusals */
	return mrs_err_sys(e, "FIFREEZE(%s)", s->root);
}

static void fsfreeze_teardown(struct stress_ctx *c)
{
	struct fsfreeze_state *s = c->priv;
	struct mrs_err e = { 0 };

	if (!s)
		return;
	while (atomic_load(&s->frozen) > 0 && thaw(s, &e) == 0)
		;
	if (atomic_load(&s->frozen) > 0)
		fprintf(stderr, "mrstress: fsfreeze: %s\n", e.msg);
	close(s->fd);
	free(s);
	c->priv = NULL;
}

static int fsfreeze_setup(struct stress_ctx *c, struct mrs_err *e)
{
	const struct target *t = c->t;
	const char *v = stress_opt(c, "hold");
	struct fsfreeze_state *s;
	int ret;

	if (geteuid() != 0)
		return mrs_err_set(e, EOPNOTSUPP, "needs root (FIFREEZE)");
	if (!t->region.path[0])
		return mrs_err_set(e, EOPNOTSUPP,
				   "%s has no path to find its mount by",
				   t->region.desc);
	s = calloc(1, sizeof(*s));
	if (!s)
		return mrs_err_set(e, ENOMEM, "fsfreeze: out of memory");
	s->fd = -1;
	s->hold = 0.2;
	if (v)
		parse_duration(v, &s->hold);
	c->priv = s;
	ret = mount_root(t->region.path, s->root, e);
	if (!ret) {
		s->fd = open(s->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (s->fd < 0)
			ret = mrs_err_sys(e, "open(%s)", s->root);
	}
	if (!ret)
		ret = probe_freeze(s, t->region.fs, e);
	if (ret)
		fsfreeze_teardown(c);
	return ret;
}

static int fsfreeze_step(struct stress_ctx *c, struct stress_step *st,
			 struct mrs_err *e)
{
	struct fsfreeze_state *s = c->priv;
	int ret;

	step_what(st, "freeze %.30s %ums", s->root, (unsigned)(s->hold * 1000));
	if (ioctl(s->fd, FIFREEZE, 0)) {
		if (errno != EBUSY)
			return mrs_err_sys(e, "FIFREEZE(%s)", s->root);
		mrs_err_set(e, EBUSY, "FIFREEZE(%s): already frozen", s->root);
		return -EAGAIN;
	}
	atomic_fetch_add(&s->frozen, 1);
	sleep_until(mono_now() + s->hold, c->stop);
	ret = ioctl(s->fd, FITHAW, 0);
	if (ret && errno != EINVAL)
		return mrs_err_sys(e, "FITHAW(%s)", s->root);
	atomic_fetch_sub(&s->frozen, 1);
	if (!ret)
		return 0;
	/* EINVAL: not frozen any more, someone else (fsfreeze -u) thawed. */
	mrs_err_set(e, EINVAL, "FITHAW(%s): thawed by someone else", s->root);
	return -EAGAIN;
}

const struct stressor stressor_fsfreeze = {
	.name = "fsfreeze",
	.help = "freeze the file's filesystem for 'hold' (default 200ms, at most 5s) and thaw it; root",
	.keys = fsfreeze_keys,
	.needs_file = true,
	.check_opt = fsfreeze_check_opt,
	.setup = fsfreeze_setup,
	.step = fsfreeze_step,
	.teardown = fsfreeze_teardown,
};
