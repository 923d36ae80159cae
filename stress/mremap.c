// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mremap: move a random range of the MR's mapping to another address and
 * back (MREMAP_MAYMOVE|MREMAP_FIXED). The page tables move, the pages do
 * not: a pinned MR keeps its pages and the CPU must find them again at the
 * old address; an on-demand-paging MR is invalidated by the move.
 *
 * The range moves away with MREMAP_DONTUNMAP (5.7, shared mappings 5.13),
 * which leaves an empty mapping in its place: a plain move would leave a
 * hole where any thread's mmap (malloc, a thread stack) could land, to be
 * unmapped by the move back. Where DONTUNMAP is refused, a PROT_NONE
 * placeholder fills the hole right after the move.
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
		const char *range, bool away, struct mrs_err *e)
{
	int flags = MREMAP_MAYMOVE | MREMAP_FIXED;
	void *got = MAP_FAILED;

	if (away)
		got = mremap(from, len, len, flags | MREMAP_DONTUNMAP, to);
	if (got == MAP_FAILED && (!away || errno == EINVAL)) {
		got = mremap(from, len, len, flags, to);
		if (got != MAP_FAILED && away)
			mmap(from, len, PROT_NONE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
				     MAP_FIXED_NOREPLACE,
			     -1, 0);
	}
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

/*
 * The range could not come back: map it again the way the backing did (the
 * file's pages, or fresh anonymous ones), so that no hole is left for the
 * checker to fault on. The MR keeps the pages it pinned either way.
 */
static void refill(const struct region *r, char *addr, size_t len, uint64_t off)
{
	if (region_map_again(r, r->fd, addr, len, off) == MAP_FAILED)
		region_plug(addr, len);
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
	ret = move(addr, len, tmp, t, range, true, e);
	if (ret) {
		munmap(tmp, len); /* nothing moved: only the reservation */
		/*
		 * mremap moves within one mapping: EFAULT says the range spans
		 * two (earlier moves left it split). The kernel's say: a refusal.
		 */
		if (e->code == EFAULT) {
			mrs_err_set(
				e, EFAULT,
				"mremap(%s, %s): EFAULT, the range spans more than one mapping",
				t->region.desc, range);
			ret = -EAGAIN;
		}
	} else if (move(tmp, len, addr, t, range, false, e)) {
		ret = -EIO;
		munmap(tmp, len);
		refill(&t->region, addr, len, off);
	}
	pthread_rwlock_unlock(&t->view_lock);
	return ret;
}

static const char repro_mremap[] =
	"\tuint64_t off, len;\n"
	"\tchar *addr, *raw, *tmp;\n"
	"\tsize_t head;\n"
	"\n"
	"\trand_range(r, st, &off, &len);\n"
	"\taddr = r->m->addr + off;\n"
	"\twhat(st, \"mremap 0x%\" PRIx64 \"+0x%\" PRIx64 \" away and back\", off, len);\n"
	"\t/* An unused, page-aligned range of len bytes: the destination. */\n"
	"\traw = mmap(NULL, len + MEM_PAGE_SIZE, PROT_NONE,\n"
	"\t\t   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);\n"
	"\tif (raw == MAP_FAILED)\n"
	"\t\treturn step_fail(st, \"mmap(%\" PRIu64 \" bytes of address space)\", len);\n"
	"\ttmp = (char *)(((uintptr_t)raw + MEM_PAGE_SIZE - 1) &\n"
	"\t\t       ~(uintptr_t)(MEM_PAGE_SIZE - 1));\n"
	"\thead = (size_t)(tmp - raw);\n"
	"\tif (head)\n"
	"\t\tmunmap(raw, head);\n"
	"\tmunmap(tmp + len, MEM_PAGE_SIZE - head);\n"
	"\tif (mremap(addr, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, tmp) ==\n"
	"\t    MAP_FAILED) {\n"
	"\t\tint ret = step_fail(st, \"mremap(0x%\" PRIx64 \"+0x%\" PRIx64 \" away)\",\n"
	"\t\t\t\t    off, len);\n"
	"\n"
	"\t\tmunmap(tmp, len);\n"
	"\t\treturn ret;\n"
	"\t}\n"
	"\tif (mremap(tmp, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, addr) ==\n"
	"\t    MAP_FAILED)\n"
	"\t\treturn step_fail(st, \"mremap(0x%\" PRIx64 \"+0x%\" PRIx64 \" back)\", off,\n"
	"\t\t\t\t len);\n"
	"\treturn 0;\n";

/* The standalone form of a step, for a reproducer (repro.h). */
static int mremap_repro(FILE *f, const struct stress_repro *a,
			struct mrs_err *e)
{
	(void)a;
	(void)e;
	fputs(repro_mremap, f);
	return 0;
}

const struct stressor stressor_mremap = {
	.name = "mremap",
	.help = "move a random range of the mapping elsewhere and back (mremap FIXED)",
	.step = mremap_step,
	.repro_step = mremap_repro,
};
