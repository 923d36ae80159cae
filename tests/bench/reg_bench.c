// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * reg-bench: registrations + deregistrations per second of one pinned MR,
 * either through mrstress's own path (the anon backing's region_create()
 * and mr_register(), fault points included when built with libfiu) or
 * through a minimal loop of ibv_reg_mr/ibv_dereg_mr on the same kind of
 * memory. scripts/bench runs both back to back and compares them.
 *
 *   reg-bench DEVICE SIZE SECONDS mrstress|raw
 *
 * Prints one JSON object: {"mode", "size", "iters", "secs", "per_s"}.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "backing.h"
#include "clock.h"
#include "device.h"
#include "mr.h"
#include "units.h"

struct reg_loop {
	struct ibv_pd *pd;
	void *addr;
	size_t len;
	const struct region *r; /* NULL: the raw loop */
};

/* One registration and deregistration; 0 or an errno. */
static int reg_once(const struct reg_loop *l, struct mrs_err *e)
{
	struct ibv_mr *mr;

	if (l->r) {
		mr = mr_register(l->pd, l->r, MR_ACCESS_RW, e);
	} else {
		mr = ibv_reg_mr(l->pd, l->addr, l->len, MR_ACCESS_RW);
		if (!mr)
			mrs_err_sys(e, "ibv_reg_mr(%zu bytes)", l->len);
	}
	if (!mr)
		return e->code ? e->code : EIO;
	errno = ibv_dereg_mr(mr);
	if (errno)
		return mrs_err_sys(e, "ibv_dereg_mr");
	return 0;
}

/* Whole loops until secs have passed; the clock is read every 16. */
static int run_loop(const struct reg_loop *l, double secs, uint64_t *iters,
		    double *took, struct mrs_err *e)
{
	double t0, now;
	uint64_t n = 0;
	int ret;

	/* One untimed round: the first registration pays for page faults. */
	ret = reg_once(l, e);
	t0 = now = mono_now();
	while (!ret && now - t0 < secs) {
		ret = reg_once(l, e);
		if (!ret && (++n & 15) == 0)
			now = mono_now();
	}
	*iters = n;
	*took = mono_now() - t0;
	return ret;
}

static int raw_memory(struct reg_loop *l, size_t len, struct mrs_err *e)
{
	/* What the anon backing maps: private anonymous base pages. */
	l->addr = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (l->addr == MAP_FAILED)
		return mrs_err_sys(e, "mmap(%zu bytes)", len);
	madvise(l->addr, len, MADV_NOHUGEPAGE);
	l->len = len;
	return 0;
}

static int bench(const char *dev_name, size_t len, double secs,
		 const char *mode, struct mrs_err *e)
{
	struct backing_args a = { .size = len };
	struct region r = { .fd = -1 };
	struct reg_loop l = { 0 };
	struct rdma_dev dev = { 0 };
	bool raw = !strcmp(mode, "raw");
	double took = 0;
	uint64_t n = 0;
	int ret;

	ret = rdma_dev_open(dev_name, &dev, e);
	if (ret)
		return ret;
	l.pd = dev.pd;
	if (raw) {
		ret = raw_memory(&l, len, e);
	} else {
		ret = region_create(&r, backing_find("anon"), &a, e);
		l.addr = r.addr;
		l.len = r.len;
		l.r = &r;
	}
	if (ret)
		goto out_dev;
	/* Both loops pin pages that are already there. */
	memset(l.addr, 0x5a, l.len);
	ret = run_loop(&l, secs, &n, &took, e);
	if (!ret)
		printf("{\"mode\": \"%s\", \"size\": %zu, \"iters\": %llu, \"secs\": %.6f, \"per_s\": %.3f}\n",
		       mode, len, (unsigned long long)n, took,
		       took > 0 ? (double)n / took : 0.0);
	if (raw)
		munmap(l.addr, l.len);
	else
		region_destroy(&r);
out_dev:
	rdma_dev_close(&dev);
	return ret;
}

int main(int argc, char **argv)
{
	struct mrs_err e = { 0 };
	size_t len;
	double secs;

	if (argc != 5 || parse_size(argv[2], &len) ||
	    parse_duration(argv[3], &secs) ||
	    (strcmp(argv[4], "raw") && strcmp(argv[4], "mrstress"))) {
		fprintf(stderr,
			"usage: reg-bench DEVICE SIZE SECONDS mrstress|raw\n");
		return 2;
	}
	if (bench(argv[1], len, secs, argv[4], &e)) {
		fprintf(stderr, "reg-bench: %s\n", e.msg);
		return 1;
	}
	return 0;
}
