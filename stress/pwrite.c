// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pwrite: an ordinary writer into the file behind an MR, beside the DMA.
 * It owns blocks of the MR as a DMA thread does (first + thread + k *
 * stride), writes new generations of them through the page cache (pwrite,
 * or a store through the shared mapping with io=mmap) and reads each back
 * through the CPU's views. With a block size below the page size, DMA and
 * this writer share pages: the page cache page a write dirties is the one
 * the device writes behind the filesystem's back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fault.h"
#include "check.h"
#include "clock.h"
#include "stressor.h"
#include "what.h"

static const char *const pwrite_keys[] = { "io", NULL };

struct pwrite_thread {
	void *buf;
	struct check_buf cb;
	uint64_t k_min, k_max; /* owned blocks first + thread + k * stride */
};

struct pwrite_state {
	bool mmap_io;
	unsigned n;
	struct pwrite_thread th[];
};

static int pwrite_check_opt(const char *key, const char *val, size_t mr_size,
			    struct mrs_err *e)
{
	(void)mr_size;
	if (!strcmp(key, "io") && strcmp(val, "pwrite") && strcmp(val, "mmap"))
		return mrs_err_set(e, EINVAL, "io=%s: want pwrite or mmap",
				   val);
	return 0;
}

/* The k of thread i's owned blocks that lie inside the stressor's range. */
static void owned_range(const struct stress_ctx *c, unsigned i,
			struct pwrite_thread *th)
{
	uint64_t bs = c->t->block_size, b0 = c->first + i;
	uint64_t lo = c->off / bs, hi = (c->off + c->len) / bs;

	th->k_min = lo > b0 ? (lo - b0 + c->stride - 1) / c->stride : 0;
	th->k_max = hi > b0 ? (hi - 1 - b0) / c->stride + 1 : 0;
}

static void pwrite_teardown(struct stress_ctx *c)
{
	struct pwrite_state *s = c->priv;

	for (unsigned i = 0; s && i < s->n; i++) {
		free(s->th[i].buf);
		check_buf_free(&s->th[i].cb);
	}
	free(s);
	c->priv = NULL;
}

static int pwrite_setup(struct stress_ctx *c, struct mrs_err *e)
{
	const char *io = stress_opt(c, "io");
	struct pwrite_state *s;

	/* A private mapping or no file: the CPU view is not the file's. */
	if (!target_has_file(c->t))
		return mrs_err_set(e, EOPNOTSUPP,
				   "%s is not a shared file mapping",
				   c->t->region.desc);
	s = calloc(1, sizeof(*s) + c->n_threads * sizeof(s->th[0]));
	if (!s)
		return mrs_err_set(e, ENOMEM, "pwrite: out of memory");
	c->priv = s;
	s->mmap_io = io && !strcmp(io, "mmap");
	s->n = c->n_threads;
	for (unsigned i = 0; i < s->n; i++) {
		struct pwrite_thread *th = &s->th[i];

		owned_range(c, i, th);
		th->buf = malloc(c->t->block_size);
		if (!th->buf || check_buf_init(&th->cb, c->t->block_size)) {
			pwrite_teardown(c);
			return mrs_err_set(e, ENOMEM, "pwrite: out of memory");
		}
		if (th->k_min >= th->k_max) {
			pwrite_teardown(c);
			return mrs_err_set(
				e, EOPNOTSUPP,
				"thread %u owns no block in its range (more writers than blocks)",
				i);
		}
	}
	return 0;
}

static int write_block(const struct stress_ctx *c, const struct pwrite_state *s,
		       const void *buf, size_t blk, struct mrs_err *e)
{
	const struct target *t = c->t;
	size_t off = blk * t->block_size;
	ssize_t n;

	if (s->mmap_io) {
		memcpy((char *)t->region.addr + off, buf, t->block_size);
		return 0;
	}
	n = fault_fire(FAULT_FILE_PWRITE) ?
		    -1 :
		    pwrite(t->region.fd, buf, t->block_size, (off_t)off);
	if (n == (ssize_t)t->block_size)
		return 0;
	if (n >= 0)
		errno = EIO;
	return mrs_err_sys(e, "pwrite(%s) of %zu bytes at 0x%zx",
			   t->region.desc, t->block_size, off);
}

/* Read the block back through the CPU's views: damage is a finding. */
static int check_block(struct stress_ctx *c, struct pwrite_thread *th,
		       size_t blk, struct mrs_err *e)
{
	struct target *t = c->t;
	struct view v[2];
	int n = check_cpu_views(t, blk, &th->cb, v, e);

	if (n < 0)
		return n;
	check_views(t, blk, v, (unsigned)n, &th->cb, c->fl, mono_now() - t->t0);
	return 0;
}

/*
 * The whole step holds view_lock for reading: a write that lands while a
 * collapse/insert pair has shifted the file would land in another block's
 * place, and a store through the mapping of a shrunk file faults.
 */
static int pwrite_step(struct stress_ctx *c, struct stress_step *st,
		       struct mrs_err *e)
{
	struct pwrite_state *s = c->priv;
	struct pwrite_thread *th = &s->th[st->thread];
	struct target *t = c->t;
	uint64_t k = th->k_min + stress_rand(st) % (th->k_max - th->k_min);
	size_t blk = c->first + st->thread + k * c->stride;
	struct block_key key = { t->mr_id, (uint32_t)t->block_size,
				 (uint64_t)blk * t->block_size, t->seed };
	uint64_t gen;
	int ret;

	pthread_rwlock_rdlock(&t->view_lock);
	gen = shadow_post_write(&t->shadow, blk);
	step_what(st, "%s 0x%llx gen %llu", s->mmap_io ? "store" : "pwrite",
		  (unsigned long long)key.offset, (unsigned long long)gen);
	block_fill(th->buf, &key, gen);
	ret = write_block(c, s, th->buf, blk, e);
	shadow_complete_write(&t->shadow, blk, gen, !ret);
	if (!ret)
		ret = check_block(c, th, blk, e);
	pthread_rwlock_unlock(&t->view_lock);
	return ret;
}

static const char repro_pwrite[] =
	"\tuint64_t nblk = r->len / BLOCK_SIZE ? r->len / BLOCK_SIZE : 1;\n"
	"\tuint64_t off = (r->off / BLOCK_SIZE + rnd(st) % nblk) * BLOCK_SIZE;\n"
	"\tuint64_t gen = cur_gen;\n"
	"\tchar *buf;\n"
	"\tint ret = 0;\n"
	"\n"
	"\t/* As mrstress: through the page cache of a shared file mapping. */\n"
	"\tif (r->m->fd < 0 || !r->m->shared) {\n"
	"\t\terrno = EOPNOTSUPP;\n"
	"\t\treturn step_fail(st, \"pwrite: the memory is not a shared file mapping\");\n"
	"\t}\n"
	"\tbuf = malloc(BLOCK_SIZE);\n"
	"\tif (!buf)\n"
	"\t\treturn step_fail(st, \"malloc(%d)\", BLOCK_SIZE);\n"
	"\t/*\n"
	"\t * The round's current data, so that it is legal whichever lands\n"
	"\t * last; the round's checks see what became of it.\n"
	"\t */\n"
	"\tblock_fill(buf, off, gen);\n"
	"\twhat(st, \"%s 0x%\" PRIx64 \" gen %\" PRIu64, mmap_io ? \"store\" : \"pwrite\",\n"
	"\t     off, gen);\n"
	"\tif (mmap_io)\n"
	"\t\tmemcpy(r->m->addr + off, buf, BLOCK_SIZE);\n"
	"\telse if (pwrite(r->m->fd, buf, BLOCK_SIZE, (off_t)off) != BLOCK_SIZE)\n"
	"\t\tret = step_fail(st, \"pwrite(%s, 0x%\" PRIx64 \")\", r->m->path, off);\n"
	"\tfree(buf);\n"
	"\treturn ret;\n";

/* The standalone form of a step, for a reproducer (repro.h). */
static int pwrite_repro(FILE *f, const struct stress_repro *a,
			struct mrs_err *e)
{
	const char *io = stress_repro_opt(a, "io");

	(void)e;
	fprintf(f, "\tconst bool mmap_io = %s; /* io=%s */\n",
		io && !strcmp(io, "mmap") ? "true" : "false",
		io ? io : "pwrite");
	fputs(repro_pwrite, f);
	return 0;
}

const struct stressor stressor_pwrite = {
	.name = "pwrite",
	.help = "write blocks of its own through the page cache and read them back; io=pwrite|mmap",
	.keys = pwrite_keys,
	.needs_file = true,
	.writes_blocks = true,
	.check_opt = pwrite_check_opt,
	.setup = pwrite_setup,
	.step = pwrite_step,
	.teardown = pwrite_teardown,
	.repro_step = pwrite_repro,
};
