// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * thp: collapse the range into transparent huge pages (MADV_COLLAPSE,
 * Linux 6.1+) and split them again (debugfs split_huge_pages), while DMA
 * goes on. Collapse copies base pages into a new huge page and remaps it:
 * done to pages the MR pinned, the CPU would see the copy while the MR
 * keeps writing the originals ("detached"), so the kernel must refuse
 * pinned pages (EAGAIN: their reference count is not what it expects).
 * Split keeps the data in place but must not split a pinned folio either.
 * Each step reports how much of the region is mapped huge afterwards.
 *
 * Meaningful on the 'thp' backing (private anon, PMD aligned,
 * MADV_HUGEPAGE). 'anon' is MADV_NOHUGEPAGE (collapse: EINVAL, skipped);
 * shmem and files collapse only where the mapping is PMD aligned and the
 * kernel allows huge pages for them; hugetlb is not THP (skipped).
 */
#include <errno.h>
#include <mntent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <unistd.h>

#include "knob.h"
#include "smaps.h"
#include "stressor.h"
#include "units.h"
#include "what.h"

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

#define DEBUGFS "/sys/kernel/debug"
#define SPLIT_FILE DEBUGFS "/split_huge_pages"
#define PMD (2u << 20)

static const char *const thp_keys[] = { "op", NULL };

struct thp_state {
	bool collapse, split;
	bool mounted; /* we mounted debugfs */
};

static int thp_check_opt(const char *key, const char *val, size_t mr_size,
			 struct mrs_err *e)
{
	(void)mr_size;
	if (!strcmp(key, "op") && strcmp(val, "collapse") &&
	    strcmp(val, "split") && strcmp(val, "both"))
		return mrs_err_set(e, EINVAL,
				   "op=%s: want collapse, split or both", val);
	return 0;
}

/* Does this kernel know MADV_COLLAPSE? Tried on memory of our own. */
static int probe_collapse(struct mrs_err *e)
{
	char *raw = mmap(NULL, 2 * PMD, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *huge;
	int ret = 0;

	if (raw == MAP_FAILED)
		return mrs_err_sys(e, "mmap(probe for MADV_COLLAPSE)");
	huge = (char *)(((uintptr_t)raw + PMD - 1) & ~(uintptr_t)(PMD - 1));
	huge[0] = 1;
	/* EAGAIN or ENOMEM (no free huge page now) still mean it exists. */
	if (madvise(huge, PMD, MADV_COLLAPSE) && errno == EINVAL)
		ret = mrs_err_set(
			e, EOPNOTSUPP,
			"MADV_COLLAPSE: EINVAL on fresh anonymous memory (kernel before 6.1 or without THP)");
	munmap(raw, 2 * PMD);
	return ret;
}

static bool debugfs_mounted(void)
{
	FILE *f = setmntent("/proc/self/mounts", "re");
	struct mntent *m;
	bool found = false;

	while (f && !found && (m = getmntent(f)))
		found = !strcmp(m->mnt_dir, DEBUGFS) &&
			!strcmp(m->mnt_type, "debugfs");
	if (f)
		endmntent(f);
	return found;
}

static int setup_split(struct thp_state *s, struct mrs_err *e)
{
	if (geteuid())
		return mrs_err_set(e, EOPNOTSUPP,
				   "thp split needs root (debugfs)");
	if (access(SPLIT_FILE, F_OK) && !debugfs_mounted()) {
		if (mount("debugfs", DEBUGFS, "debugfs", 0, NULL))
			return mrs_err_set(e, EOPNOTSUPP,
					   "mount debugfs at %s: %s", DEBUGFS,
					   strerror(errno));
		s->mounted = true;
	}
	if (access(SPLIT_FILE, W_OK))
		return mrs_err_set(
			e, EOPNOTSUPP,
			"%s absent (kernel without CONFIG_DEBUG_FS or THP)",
			SPLIT_FILE);
	return 0;
}

static void thp_teardown(struct stress_ctx *c)
{
	struct thp_state *s = c->priv;

	if (!s)
		return;
	if (s->mounted && umount(DEBUGFS))
		fprintf(stderr, "mrstress: umount %s: %m\n", DEBUGFS);
	free(s);
	c->priv = NULL;
}

static int setup_checks(struct stress_ctx *c, struct thp_state *s,
			struct mrs_err *e)
{
	const struct region *r = &c->t->region;
	int ret = 0;

	if (!strncmp(r->backing->name, "hugetlb", 7))
		return mrs_err_set(e, EOPNOTSUPP,
				   "%s: hugetlb pages are not THP", r->desc);
	if (s->collapse && !strcmp(r->backing->name, "anon"))
		return mrs_err_set(
			e, EOPNOTSUPP,
			"%s is MADV_NOHUGEPAGE: MADV_COLLAPSE refuses it (EINVAL); use the thp backing",
			r->desc);
	if (s->collapse)
		ret = probe_collapse(e);
	if (!ret && s->split)
		ret = setup_split(s, e);
	return ret;
}

static int thp_setup(struct stress_ctx *c, struct mrs_err *e)
{
	const char *op = stress_opt(c, "op");
	struct thp_state *s = calloc(1, sizeof(*s));
	int ret;

	if (!s)
		return mrs_err_set(e, ENOMEM, "thp: out of memory");
	c->priv = s;
	if (!op)
		op = "both";
	s->collapse = strcmp(op, "split") != 0;
	s->split = strcmp(op, "collapse") != 0;
	ret = setup_checks(c, s, e);
	if (ret)
		thp_teardown(c);
	return ret;
}

/* A random run of whole PMDs inside c's range, or all of it if none. */
static void pmd_range(const struct stress_ctx *c, struct stress_step *st,
		      uintptr_t *start, size_t *len)
{
	uintptr_t base = (uintptr_t)c->t->region.addr + c->off;
	uintptr_t end = base + c->len;
	uintptr_t hs = (base + PMD - 1) & ~(uintptr_t)(PMD - 1);
	uintptr_t he = end & ~(uintptr_t)(PMD - 1);
	uint64_t n, first;

	if (hs >= he) {
		*start = base;
		*len = c->len;
		return;
	}
	n = (he - hs) / PMD;
	first = stress_rand(st) % n;
	*start = hs + first * PMD;
	*len = (1 + stress_rand(st) % (n - first)) * PMD;
}

static int do_collapse(struct target *t, uintptr_t start, size_t len,
		       struct mrs_err *e)
{
	if (!madvise((void *)start, len, MADV_COLLAPSE))
		return 0;
	mrs_err_sys(e, "madvise(%s, 0x%zx+%zu, MADV_COLLAPSE)", t->region.desc,
		    (size_t)(start - (uintptr_t)t->region.addr), len);
	/* Pinned or busy pages (EAGAIN), no free huge page (ENOMEM). */
	if (e->code == EAGAIN || e->code == ENOMEM || e->code == EBUSY)
		return -EAGAIN;
	return e->code == EINVAL ? -EOPNOTSUPP : -e->code;
}

static int do_split(uintptr_t start, size_t len, struct mrs_err *e)
{
	char buf[96];

	snprintf(buf, sizeof(buf), "%d,0x%lx,0x%lx", (int)getpid(),
		 (unsigned long)start, (unsigned long)(start + len));
	return knob_write(SPLIT_FILE, buf, e);
}

/* Bytes of the region mapped by huge pages, per smaps. */
static size_t huge_bytes(const struct region *r)
{
	const char *field = !r->shared && r->fd < 0 ? "AnonHugePages" :
			    r->fd >= 0 && strcmp(r->fs, "tmpfs") ?
						      "FilePmdMapped" :
						      "ShmemPmdMapped";
	struct mrs_err e;
	size_t v = 0;

	smaps_self_field((uintptr_t)r->addr, field, &v, &e);
	return v > r->len ? r->len : v;
}

static int thp_step(struct stress_ctx *c, struct stress_step *st,
		    struct mrs_err *e)
{
	struct thp_state *s = c->priv;
	struct target *t = c->t;
	bool split = s->split && (!s->collapse || stress_rand(st) & 1);
	uintptr_t start;
	size_t len;
	char l[16], h[16];
	int ret;

	pmd_range(c, st, &start, &len);
	ret = split ? do_split(start, len, e) : do_collapse(t, start, len, e);
	step_what(st, "%s %s@0x%lx: huge %s%s", split ? "split" : "collapse",
		  format_size(len, l, sizeof(l)),
		  (unsigned long)(start - (uintptr_t)t->region.addr),
		  format_size(huge_bytes(&t->region), h, sizeof(h)),
		  ret ? " (refused)" : "");
	return ret;
}

const struct stressor stressor_thp = {
	.name = "thp",
	.help = "'op' collapse (MADV_COLLAPSE), split (debugfs split_huge_pages) or both (default) on PMD ranges; reports huge pages mapped",
	.keys = thp_keys,
	.check_opt = thp_check_opt,
	.setup = thp_setup,
	.step = thp_step,
	.teardown = thp_teardown,
};
