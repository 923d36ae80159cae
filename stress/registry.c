// SPDX-License-Identifier: GPL-2.0-or-later
/* The stressors mrstress knows; adding one is a file and a line here. */
#include <stddef.h>
#include <string.h>

#include "rng.h"
#include "stressor.h"

extern const struct stressor stressor_truncate;
extern const struct stressor stressor_mprotect;
extern const struct stressor stressor_mremap;
extern const struct stressor stressor_remap;
extern const struct stressor stressor_fork;
extern const struct stressor stressor_exec;
extern const struct stressor stressor_exit_mr;
extern const struct stressor stressor_mr_churn;
extern const struct stressor stressor_mw;
extern const struct stressor stressor_uffd;

extern const struct stressor stressor_fsync;
extern const struct stressor stressor_fdatasync;
extern const struct stressor stressor_syncfs;
extern const struct stressor stressor_sync_file_range;
extern const struct stressor stressor_msync;
extern const struct stressor stressor_fallocate;
extern const struct stressor stressor_pwrite;
extern const struct stressor stressor_pread;
extern const struct stressor stressor_fsfreeze;
extern const struct stressor stressor_fsync_other;

extern const struct stressor stressor_drop_caches;
extern const struct stressor stressor_dirty;
extern const struct stressor stressor_madvise;
extern const struct stressor stressor_pressure;
extern const struct stressor stressor_compact;
extern const struct stressor stressor_thp;
extern const struct stressor stressor_migrate;
extern const struct stressor stressor_ksm;

const struct stressor *const stressors[] = {
	&stressor_truncate,
	&stressor_mprotect,
	&stressor_mremap,
	&stressor_remap,
	&stressor_fork,
	&stressor_exec,
	&stressor_exit_mr,
	&stressor_mr_churn,
	&stressor_mw,
	&stressor_uffd,
	&stressor_fsync,
	&stressor_fdatasync,
	&stressor_syncfs,
	&stressor_sync_file_range,
	&stressor_msync,
	&stressor_fallocate,
	&stressor_pwrite,
	&stressor_pread,
	&stressor_fsfreeze,
	&stressor_fsync_other,
	&stressor_drop_caches,
	&stressor_dirty,
	&stressor_madvise,
	&stressor_pressure,
	&stressor_compact,
	&stressor_thp,
	&stressor_migrate,
	&stressor_ksm,
	NULL,
};

const struct stressor *stressor_find(const char *name)
{
	const struct stressor *s;
	size_t i;

	for_each_stressor(s, i)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

const char *stress_opt(const struct stress_ctx *c, const char *key)
{
	for (unsigned i = 0; i < c->n_opts; i++)
		if (!strcmp(c->opts[i].key, key))
			return c->opts[i].val;
	return NULL;
}

uint64_t stress_rand(struct stress_step *st)
{
	return rng_next(&st->rng);
}

void stress_rand_range(const struct stress_ctx *c, struct stress_step *st,
		       uint64_t *off, uint64_t *len)
{
	uint64_t page = c->t->region.page_size, pages = c->len / page;
	uint64_t first = stress_rand(st) % pages;

	*off = c->off + first * page;
	*len = (1 + stress_rand(st) % (pages - first)) * page;
}

const char *stress_repro_opt(const struct stress_repro *a, const char *key)
{
	for (unsigned i = 0; i < a->n_opts; i++)
		if (!strcmp(a->opts[i].key, key))
			return a->opts[i].val;
	return NULL;
}
