// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * truncate: shrink the file behind an MR and extend it back, while DMA goes
 * on. The pages past the new end leave the file; a long-term pin keeps them
 * in the MR, so later DMA lands in memory the file no longer has (the
 * "detached" case). With on-demand paging the MR follows the file instead.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "stressor.h"
#include "units.h"

static const char *const truncate_keys[] = { "to", NULL };

static int truncate_check_opt(const char *key, const char *val, size_t mr_size,
			      struct mrs_err *e)
{
	size_t to;

	if (strcmp(key, "to"))
		return 0;
	if (parse_size_or_percent(val, mr_size, &to) || to >= mr_size)
		return mrs_err_set(
			e, EINVAL,
			"to=%s: want a size below the MR's (or a percentage, e.g. 50%%)",
			val);
	return 0;
}

static size_t truncate_to(const struct stress_ctx *c)
{
	const char *v = stress_opt(c, "to");
	size_t to = c->t->region.len / 2;

	if (v)
		parse_size_or_percent(v, c->t->region.len, &to);
	return to;
}

static int truncate_step(struct stress_ctx *c, struct stress_step *st,
			 struct mrs_err *e)
{
	struct target *t = c->t;
	size_t to = truncate_to(c), len = t->region.len;
	char a[16], b[16];
	int ret = 0;

	snprintf(st->what, sizeof(st->what), "ftruncate %s -> %s -> %s",
		 format_size(len, a, sizeof(a)), format_size(to, b, sizeof(b)),
		 a);
	shadow_zero_range(&t->shadow, to, len - to);
	pthread_rwlock_wrlock(&t->view_lock);
	if (ftruncate(t->region.fd, (off_t)to))
		ret = mrs_err_sys(e, "ftruncate(%s, %zu)", t->region.desc, to);
	else if (ftruncate(t->region.fd, (off_t)len))
		ret = mrs_err_sys(e, "ftruncate(%s, %zu)", t->region.desc, len);
	shadow_zero_range(&t->shadow, to, len - to);
	pthread_rwlock_unlock(&t->view_lock);
	return ret;
}

const struct stressor stressor_truncate = {
	.name = "truncate",
	.help = "shrink the file to 'to' (default 50%) and extend it back",
	.keys = truncate_keys,
	.needs_file = true,
	.check_opt = truncate_check_opt,
	.step = truncate_step,
};
