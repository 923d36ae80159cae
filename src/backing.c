// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fault.h"
#include "backing.h"
#include "fsinfo.h"
#include "units.h"

const struct backing *backing_find(const char *name)
{
	const struct backing *b;
	size_t i;

	for_each_backing(b, i)
		if (!strcmp(b->name, name))
			return b;
	return NULL;
}

void region_init(struct region *r, const struct backing *b, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->backing = b;
	r->len = len;
	r->fd = -1;
	r->addr = MAP_FAILED;
	r->page_size = (size_t)sysconf(_SC_PAGESIZE);
	snprintf(r->desc, sizeof(r->desc), "%s", b->name);
}

int region_map(struct region *r, int prot_flags, int map_flags,
	       struct mrs_err *e)
{
	r->addr = fault_fire(FAULT_MEM_MMAP) ?
			  MAP_FAILED :
			  mmap(NULL, r->len, prot_flags, map_flags, r->fd, 0);
	if (r->addr == MAP_FAILED)
		return mrs_err_sys(e, "mmap(%s)", r->desc);
	r->shared = (map_flags & MAP_TYPE) == MAP_SHARED;
	r->map_prot = prot_flags;
	r->map_flags = map_flags;
	return 0;
}

void *region_map_again(const struct region *r, int fd, void *addr, size_t len,
		       uint64_t off)
{
	int flags = r->map_flags | MAP_FIXED;

	/* With a descriptor, MAP_ANONYMOUS would ignore it. */
	if (fd >= 0)
		flags &= ~MAP_ANONYMOUS;
	return mmap(addr, len, r->map_prot, flags, fd, fd < 0 ? 0 : (off_t)off);
}

void region_plug(void *addr, size_t len)
{
	mmap(addr, len, PROT_READ | PROT_WRITE,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
}

int region_measure_fs(struct region *r, struct mrs_err *e)
{
	struct fs_info fi;
	int ret = fs_info_of_fd(r->fd, &fi, e);

	if (!ret)
		snprintf(r->fs, sizeof(r->fs), "%s", fi.type);
	return ret;
}

/* "file ext4 2M shared": name, filesystem, size, then what the backing adds. */
void region_describe(struct region *r, const char *what)
{
	char sz[32];

	snprintf(r->desc, sizeof(r->desc), "%s%s%s %s%s%s", r->backing->name,
		 r->fs[0] ? " " : "", r->fs,
		 format_size(r->len, sz, sizeof(sz)), what[0] ? " " : "", what);
}

int region_create(struct region *r, const struct backing *b,
		  const struct backing_args *a, struct mrs_err *e)
{
	int ret;

	/* Initialised first so that a failed create() leaves nothing to undo. */
	region_init(r, b, a->size);
	if (b->needs_dir && !a->dir)
		return mrs_err_set(
			e, EINVAL,
			"backing %s needs a scratch directory (--scratch)",
			b->name);
	if (!a->size)
		return mrs_err_set(e, EINVAL, "backing %s: size 0", b->name);
	ret = b->create(r, a, e);
	if (ret)
		region_destroy(r);
	return ret;
}

void region_destroy(struct region *r)
{
	if (r->backing && r->backing->destroy)
		r->backing->destroy(r);
	if (r->addr != MAP_FAILED && r->addr)
		munmap(r->addr, r->len);
	r->addr = MAP_FAILED;
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	if (r->unlink_path)
		unlink(r->path);
	r->unlink_path = false;
}

/*
 * A memfd of r->len bytes mapped shared: what shmem-like backings share.
 * WHAT ends the description ("shared", "shared pages=1G").
 */
int region_memfd_map(struct region *r, unsigned mfd_flags, const char *what,
		     struct mrs_err *e)
{
	int ret;

	r->fd = fault_fire(FAULT_FILE_OPEN) ?
			-1 :
			memfd_create(r->backing->name, MFD_CLOEXEC | mfd_flags);
	if (r->fd < 0)
		return mrs_err_sys(e, "memfd_create(%s)", r->desc);
	if (fault_fire(FAULT_FILE_FTRUNCATE) || ftruncate(r->fd, (off_t)r->len))
		return mrs_err_sys(e, "ftruncate(%s)", r->desc);
	ret = region_measure_fs(r, e);
	if (ret)
		return ret;
	region_describe(r, what);
	return region_map(r, PROT_READ | PROT_WRITE, MAP_SHARED, e);
}
