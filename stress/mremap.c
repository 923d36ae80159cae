// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mremap: move a random range of the MR's mapping to another address and
 * back (MREMAP_MAYMOVE|MREMAP_FIXED). The page tables move, the pages do
 * not: a pinned MR keeps its pages and the CPU must find them again at the
 * old address; an on-demand-paging MR is invalidated by the move.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>

#include "stressor.h"
#include "units.h"
#include "what.h"

/* An address range of len bytes nobody uses: the move's destination. */
static void *reserve(size_t len, size_t align)
{
	char *raw = mmap(NULL, len + align, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uintptr_t start;

	if (raw == MAP_FAILED)
		return MAP_FAILED;
	/* hugetlb ranges must land on a huge page boundary. */
	start = ((uintptr_t)raw + align - 1) & ~(uintptr_t)(align - 1);
	if (start > (uintptr_t)raw)
		munmap(raw, start - (uintptr_t)raw);
	munmap((char *)start + len, (uintptr_t)raw + align - start);
	return (void *)start;
}

static int move(void *from, size_t len, void *to, const struct target *t,
		const char *range, struct mrs_err *e)
{
	void *got = mremap(from, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, to);

	if (got != MAP_FAILED)
		return 0;
	if (errno == EINVAL && t->region.huge)
		return mrs_err_set(
			e, EOPNOTSUPP,
			"mremap of %s refused (EINVAL): this kernel does not move hugetlb mappings",
			t->region.desc);
	return mrs_err_sys(e, "mremap(%s, %s, %p -> %p)", t->region.desc, range,
			   from, to);
}

static int mremap_step(struct stress_ctx *c, struct stress_step *st,
		       struct mrs_err *e)
{
	struct target *t = c->t;
	uint64_t off, len;
	char *addr, *tmp;
	char range[40];
	int ret;

	stress_rand_range(c, st, &off, &len);
	addr = (char *)t->region.addr + off;
	range_str(off, len, range, sizeof(range));
	step_what(st, "mremap %s away and back", range);
	tmp = reserve(len, t->region.page_size);
	if (tmp == MAP_FAILED)
		return mrs_err_sys(e, "mmap(%s of address space)", range);
	pthread_rwlock_wrlock(&t->view_lock);
	ret = move(addr, len, tmp, t, range, e);
	if (ret)
		munmap(tmp, len); /* nothing moved: only the reservation */
	else
		ret = move(tmp, len, addr, t, range, e);
	pthread_rwlock_unlock(&t->view_lock);
	return ret;
}

const struct stressor stressor_mremap = {
	.name = "mremap",
	.help = "move a random range of the mapping elsewhere and back (mremap FIXED)",
	.step = mremap_step,
};
