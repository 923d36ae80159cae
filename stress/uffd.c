// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * uffd: on the uffd backing (shmem whose faults a userfaultfd handler
 * answers), make the next CPU access of a random range fault again.
 * fill=copy|zeropage punches the range out of the shmem file: the handler
 * supplies fresh zero pages (UFFDIO_COPY or UFFDIO_ZEROPAGE) while the MR
 * keeps the pages it pinned, which the file no longer has (a real
 * "detached"). fill=continue only zaps the range's page table entries
 * (MADV_DONTNEED): the pages stay in the file, the access is a minor fault
 * and the handler maps the same page again with UFFDIO_CONTINUE, so
 * nothing may change.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>

#include "backing_uffd.h"
#include "stressor.h"
#include "what.h"

static const char *const uffd_keys[] = { "fill", NULL };
static const char *const fill_names[] = { "copy", "zeropage", "continue" };
static const enum uffd_fill fills[] = { UFFD_FILL_COPY, UFFD_FILL_ZEROPAGE,
					UFFD_FILL_CONTINUE };

static int fill_parse(const char *v)
{
	for (int i = 0; i <= UFFD_FILL_CONTINUE; i++)
		if (!strcmp(v, fill_names[i]))
			return i;
	return -1;
}

static int uffd_check_opt(const char *key, const char *val, size_t mr_size,
			  struct mrs_err *e)
{
	(void)mr_size;
	if (strcmp(key, "fill") || fill_parse(val) >= 0)
		return 0;
	return mrs_err_set(e, EINVAL,
			   "fill=%s: want copy, zeropage or continue", val);
}

static int uffd_setup(struct stress_ctx *c, struct mrs_err *e)
{
	const char *v = stress_opt(c, "fill");
	int fill = fill_parse(v ? v : "copy");
	struct target *t = c->t;
	int ret;

	if (t->region.backing != &backing_uffd)
		return mrs_err_set(e, EOPNOTSUPP,
				   "mr %s is %s, not the uffd backing", t->name,
				   t->region.desc);
	ret = uffd_region_set_fill(&t->region, fills[fill], e);
	if (ret)
		return ret;
	c->priv = (void *)&fills[fill];
	return 0;
}

/* Out of the file: zeros are legal from now until a later write. */
static int punch(struct target *t, uint64_t off, uint64_t len,
		 const char *range, struct mrs_err *e)
{
	int ret = 0;

	shadow_zero_range(&t->shadow, off, len);
	if (fallocate(t->region.fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		      (off_t)off, (off_t)len))
		ret = mrs_err_sys(e, "fallocate(%s, PUNCH_HOLE, %s)",
				  t->region.desc, range);
	shadow_zero_range(&t->shadow, off, len);
	return ret;
}

static int uffd_step(struct stress_ctx *c, struct stress_step *st,
		     struct mrs_err *e)
{
	enum uffd_fill fill = *(const enum uffd_fill *)c->priv;
	struct target *t = c->t;
	uint64_t off, len;
	char range[40];

	stress_rand_range(c, st, &off, &len);
	range_str(off, len, range, sizeof(range));
	if (fill != UFFD_FILL_CONTINUE) {
		step_what(st, "punch %s, refill %s", range, fill_names[fill]);
		return punch(t, off, len, range, e);
	}
	step_what(st, "zap %s, refill continue", range);
	if (madvise((char *)t->region.addr + off, len, MADV_DONTNEED))
		return mrs_err_sys(e, "madvise(%s, %s, DONTNEED)",
				   t->region.desc, range);
	return 0;
}

static void uffd_teardown(struct stress_ctx *c)
{
	struct mrs_err e = { 0 };

	uffd_region_set_fill(&c->t->region, UFFD_FILL_COPY, &e);
	c->priv = NULL;
}

const struct stressor stressor_uffd = {
	.name = "uffd",
	.help = "uffd backing: punch a random range (fill=copy|zeropage) or zap its ptes (fill=continue) so the handler fills it again",
	.keys = uffd_keys,
	.check_opt = uffd_check_opt,
	.setup = uffd_setup,
	.step = uffd_step,
	.teardown = uffd_teardown,
};
