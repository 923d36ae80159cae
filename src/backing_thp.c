// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * thp: private anonymous memory that asks for transparent huge pages
 * (MADV_HUGEPAGE), aligned so that every PMD-sized piece can be one. What
 * the kernel really gave is measured in /proc/self/smaps after touching the
 * memory: THP may be off ("never"), not built, or memory too fragmented.
 * None of that is an error; the region says what it got.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backing.h"
#include "hugepage.h"
#include "smaps.h"
#include "units.h"

#define THP_SYSFS "/sys/kernel/mm/transparent_hugepage"

static int thp_create(struct region *r, const struct backing_args *a,
		      struct mrs_err *e);

const struct backing backing_thp = {
	.name = "thp",
	.help = "private anonymous memory, PMD-aligned, MADV_HUGEPAGE; huge pages obtained measured in smaps",
	.create = thp_create,
	.repro_build =
		"\t/* A THP maps an aligned PMD: map one more and trim the ends. */\n"
		"\tconst size_t pmd = 2UL << 20;\n"
		"\tchar *raw;\n"
		"\tsize_t head;\n\n"
		"\tm->len = (m->len + pmd - 1) & ~(pmd - 1);\n"
		"\traw = mmap(NULL, m->len + pmd, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);\n"
		"\tif (raw == MAP_FAILED)\n"
		"\t\treturn step_fail(st, \"mmap(%zu bytes)\", m->len + pmd);\n"
		"\tm->addr = (char *)(((uintptr_t)raw + pmd - 1) & ~(uintptr_t)(pmd - 1));\n"
		"\thead = (size_t)(m->addr - raw);\n"
		"\tif (head)\n"
		"\t\tmunmap(raw, head);\n"
		"\tif (pmd - head)\n"
		"\t\tmunmap(m->addr + m->len, pmd - head);\n"
		"\tm->map_prot = PROT_READ | PROT_WRITE;\n"
		"\tm->map_flags = MAP_PRIVATE | MAP_ANONYMOUS;\n"
		"\tmadvise(m->addr, m->len, MADV_HUGEPAGE);\n"
		"\t/* A huge page is chosen at the first fault: fault it all in now. */\n"
		"\tfor (size_t off = 0; off < m->len; off += 4096)\n"
		"\t\t((volatile char *)m->addr)[off] = 0;\n"
		"\treturn 0;\n",
};

/* The PMD size a THP maps; 2M when the kernel does not say (x86-64). */
static size_t thp_pmd_size(void)
{
	FILE *f = fopen(THP_SYSFS "/hpage_pmd_size", "re");
	unsigned long v = 0;

	if (f) {
		if (fscanf(f, "%lu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v ? v : 2u << 20;
}

/* The bracketed word of THP_SYSFS/enabled: always, madvise or never. */
static void thp_mode(char *buf, size_t len)
{
	char line[128], *lb, *rb;
	FILE *f = fopen(THP_SYSFS "/enabled", "re");

	snprintf(buf, len, "not-built");
	if (!f)
		return;
	if (fgets(line, sizeof(line), f)) {
		lb = strchr(line, '[');
		rb = lb ? strchr(lb, ']') : NULL;
		if (rb)
			snprintf(buf, len, "%.*s", (int)(rb - lb - 1), lb + 1);
	}
	fclose(f);
}

/*
 * Map len bytes starting on a pmd boundary: a THP can only map an aligned
 * PMD range, and mmap promises nothing about alignment, so take one pmd
 * more and give back the ends.
 */
static int map_aligned(struct region *r, size_t pmd, struct mrs_err *e)
{
	uint8_t *raw, *start;
	size_t head;

	raw = mmap(NULL, r->len + pmd, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		return mrs_err_sys(e, "mmap(%s)", r->desc);
	start = (uint8_t *)round_up_to((uintptr_t)raw, pmd);
	head = (size_t)(start - raw);
	if (head)
		munmap(raw, head);
	if (pmd - head)
		munmap(start + r->len, pmd - head);
	r->addr = start;
	r->map_prot = PROT_READ | PROT_WRITE;
	r->map_flags = MAP_PRIVATE | MAP_ANONYMOUS;
	return 0;
}

static int thp_create(struct region *r, const struct backing_args *a,
		      struct mrs_err *e)
{
	size_t pmd = thp_pmd_size(), huge = 0, base;
	char mode[16], what[96], got[16], all[16];
	const char *advice = "";
	int ret;

	region_init(r, &backing_thp, round_up_to(a->size, pmd));
	base = r->page_size;
	thp_mode(mode, sizeof(mode));
	region_describe(r, "private");
	ret = map_aligned(r, pmd, e);
	if (ret)
		return ret;
	/* EINVAL without CONFIG_TRANSPARENT_HUGEPAGE: base pages, not a failure. */
	if (madvise(r->addr, r->len, MADV_HUGEPAGE))
		advice = " madvise-failed";
	/* Fault it all in now: a huge page is only chosen at the first fault. */
	for (size_t off = 0; off < r->len; off += base)
		((volatile uint8_t *)r->addr)[off] = 0;
	ret = smaps_self_field((uintptr_t)r->addr, "AnonHugePages", &huge, e);
	if (ret && ret != -ENODATA)
		return ret;
	/* A VMA merged with a neighbour counts the neighbour's too. */
	if (huge > r->len)
		huge = r->len;
	r->huge = huge > 0;
	r->page_size = huge == r->len ? pmd : base;
	snprintf(what, sizeof(what), "private huge=%s/%s thp=%s%s",
		 huge ? format_size(huge, got, sizeof(got)) : "0",
		 format_size(r->len, all, sizeof(all)), mode, advice);
	region_describe(r, what);
	return 0;
}
