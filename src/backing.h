/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_BACKING_H
#define MRS_BACKING_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/*
 * A memory backing builds one kind of memory the kernel treats differently
 * when it is pinned (anonymous, shmem, hugetlb, file pages...). Each backing
 * is one file exporting one descriptor; backing_registry.c lists them.
 */
struct region;

struct backing_args {
	size_t size;
	const char *dir; /* scratch directory, for backings with needs_dir */
	size_t hugepage_size; /* hugetlb page size, 0 for the default */
};

struct backing {
	const char *name;
	const char *help;
	bool needs_dir; /* built as a file in a scratch directory */
	bool page_sizes; /* honours backing_args.hugepage_size */
	int (*create)(struct region *r, const struct backing_args *a,
		      struct mrs_err *e);
	/* Optional: release what create() added beyond mapping, fd and file. */
	void (*destroy)(struct region *r);
	/*
	 * Optional: pages the backing's own fault handler has supplied so
	 * far (uffd), so that a report can show who filled the memory.
	 */
	size_t (*pages_supplied)(const struct region *r);
	/*
	 * Optional: the standalone form of create() for a reproducer
	 * (repro.h): C statements, the body of
	 *   static int memory_build(struct mem *m, const char *dir,
	 *                           struct step *st)
	 * of src/repro_prelude.c.in, building MR_SIZE bytes (HUGEPAGE_SHIFT:
	 * log2 of the page size asked for, 0 the default) as create() does. NULL:
	 * no reproducer can be written for a run on this memory.
	 */
	const char *repro_build;
	bool has_file; /* built on a descriptor: file stressors apply */
};

/* Memory as built: what it really is, measured after the mapping exists. */
struct region {
	const struct backing *backing;
	void *addr;
	size_t len;
	int fd; /* -1 for anonymous memory */
	bool unlink_path; /* the file was made by us and goes at destroy */
	char path[PATH_MAX];
	char fs[16]; /* filesystem of fd per fstatfs, "" for none */
	size_t page_size; /* page size of the mapping */
	bool huge; /* huge pages obtained */
	bool shared; /* MAP_SHARED: the mapping's pages are the file's */
	/*
	 * The prot and flags given to mmap (fd offset 0), so that a stressor
	 * can map a range again the way the backing did (remap).
	 */
	int map_prot, map_flags;
	char desc[128]; /* "file ext4 2M shared", for messages */
	void *priv; /* the backing's own state (uffd handler thread...) */
};

extern const struct backing *const backings[];

#define for_each_backing(b, i) \
	for ((i) = 0; ((b) = backings[(i)]) != NULL; (i)++)

const struct backing *backing_find(const char *name);

/* Build a region; on failure nothing is left mapped, open or on disk. */
int region_create(struct region *r, const struct backing *b,
		  const struct backing_args *a, struct mrs_err *e);
void region_destroy(struct region *r);

/*
 * Map [addr, addr + len) of r again the way its backing did, over what is
 * there now (MAP_FIXED unmaps it in the same call, leaving no hole): fd at
 * offset off (the region's own or another descriptor of its file), fresh
 * memory when fd < 0. Returns mmap()'s result.
 */
void *region_map_again(const struct region *r, int fd, void *addr, size_t len,
		       uint64_t off);
/* Fresh private anonymous memory over the range: no hole for the checks. */
void region_plug(void *addr, size_t len);

/* Helpers for backings. */
void region_init(struct region *r, const struct backing *b, size_t len);
int region_map(struct region *r, int prot_flags, int map_flags,
	       struct mrs_err *e);
int region_measure_fs(struct region *r, struct mrs_err *e);
void region_describe(struct region *r, const char *what);
int region_memfd_map(struct region *r, unsigned mfd_flags, const char *what,
		     struct mrs_err *e);

#endif
