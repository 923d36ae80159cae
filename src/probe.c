// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --probe: learn what this kernel and device do by trying. Every backing
 * that can be built here is registered with each access set; refusals are
 * recorded with their errno, never inferred from the kernel version.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "backing.h"
#include "hugepage.h"
#include "mr.h"
#include "probe.h"

static const unsigned probe_access_sets[] = { MR_ACCESS_RW, MR_ACCESS_RO,
					      MR_ACCESS_ODP };

const char *probe_outcome_name(enum probe_outcome o)
{
	switch (o) {
	case PROBE_ACCEPTED:
		return "accepted";
	case PROBE_REFUSED:
		return "refused";
	default:
		return "unavailable";
	}
}

static struct probe_reg *new_reg(struct probe_result *res,
				 const struct backing *b,
				 const struct backing_args *ba, unsigned access)
{
	struct probe_reg *p;

	if (res->n_regs >= PROBE_MAX_REGS)
		return NULL;
	p = &res->regs[res->n_regs++];
	memset(p, 0, sizeof(*p));
	snprintf(p->backing, sizeof(p->backing), "%s", b->name);
	snprintf(p->dir, sizeof(p->dir), "%s", ba->dir ? ba->dir : "");
	mr_access_name(access, p->access, sizeof(p->access));
	p->has_page_sizes = b->page_sizes;
	p->hugepage_size = ba->hugepage_size;
	/* Until the memory exists, the page size is the one asked for. */
	p->page_size = ba->hugepage_size;
	p->has_supplied = b->pages_supplied != NULL;
	return p;
}

static void record_region(struct probe_reg *p, const struct region *r)
{
	snprintf(p->fs, sizeof(p->fs), "%s", r->fs);
	snprintf(p->desc, sizeof(p->desc), "%s", r->desc);
	p->size = r->len;
	p->page_size = r->page_size;
	p->huge = r->huge;
}

static void record_error(struct probe_reg *p, enum probe_outcome o,
			 const struct mrs_err *e)
{
	p->outcome = o;
	p->err = e->code;
	snprintf(p->detail, sizeof(p->detail), "%s", e->msg);
}

/* One backing in one place with one access set, on fresh memory each time. */
static void probe_one(struct rdma_dev *d, const struct backing *b,
		      const struct backing_args *ba, const char *dir_fs,
		      unsigned access, struct probe_result *res)
{
	struct probe_reg *p = new_reg(res, b, ba, access);
	struct mrs_err e = { 0 };
	struct ibv_mr *mr;
	struct region r;

	if (!p)
		return;
	if (dir_fs)
		snprintf(p->fs, sizeof(p->fs), "%s", dir_fs);
	if (region_create(&r, b, ba, &e)) {
		record_error(p, PROBE_UNAVAILABLE, &e);
		return;
	}
	record_region(p, &r);
	mr = mr_register(d->pd, &r, access, &e);
	if (mr) {
		p->outcome = PROBE_ACCEPTED;
		ibv_dereg_mr(mr);
	} else {
		record_error(p, PROBE_REFUSED, &e);
	}
	/* The pin faults the pages in: only now has the handler worked. */
	if (b->pages_supplied)
		p->pages_supplied = b->pages_supplied(&r);
	region_destroy(&r);
}

static void probe_size(struct rdma_dev *d, const struct backing *b,
		       const struct probe_args *a, size_t hugepage_size,
		       struct probe_result *res)
{
	const size_t n_acc =
		sizeof(probe_access_sets) / sizeof(probe_access_sets[0]);
	struct backing_args ba = { .size = a->size,
				   .hugepage_size = hugepage_size };

	for (size_t k = 0; k < n_acc; k++) {
		if (!b->needs_dir) {
			probe_one(d, b, &ba, NULL, probe_access_sets[k], res);
			continue;
		}
		for (unsigned i = 0; i < a->scratch.n; i++) {
			ba.dir = a->scratch.dirs[i].path;
			probe_one(d, b, &ba, a->scratch.dirs[i].fs,
				  probe_access_sets[k], res);
		}
	}
}

/*
 * Backings that take a huge page size are tried with their default and
 * again with every other size this kernel has a pool for (1G on x86-64
 * with gbpages), reserved or not: no pages is a result too.
 */
static void probe_backing(struct rdma_dev *d, const struct backing *b,
			  const struct probe_args *a, struct probe_result *res)
{
	size_t sizes[HUGEPAGE_MAX_SIZES], dflt;
	unsigned n;

	probe_size(d, b, a, 0, res);
	if (!b->page_sizes)
		return;
	dflt = hugepage_default_size();
	n = hugepage_sizes_in(HUGEPAGE_SYSFS, sizes, HUGEPAGE_MAX_SIZES);
	for (unsigned i = 0; i < n; i++)
		if (sizes[i] != dflt)
			probe_size(d, b, a, sizes[i], res);
}

int probe_run(const struct probe_args *a, struct probe_result *res,
	      struct mrs_err *e)
{
	const struct backing *b;
	struct rdma_dev d;
	struct utsname u;
	size_t i;
	int ret;

	memset(res, 0, sizeof(*res));
	if (!uname(&u)) {
		snprintf(res->kernel_release, sizeof(res->kernel_release), "%s",
			 u.release);
		snprintf(res->kernel_version, sizeof(res->kernel_version), "%s",
			 u.version);
	}
	ret = rdma_dev_open(a->device, &d, e);
	if (ret)
		return ret;
	res->dev = d.info;
	for_each_backing(b, i)
		probe_backing(&d, b, a, res);
	rdma_dev_close(&d);
	return 0;
}
