/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_HUGEPAGE_H
#define MRS_HUGEPAGE_H

#include <stddef.h>

#include "error.h"

/*
 * Huge page sizes as this kernel offers them. The hugetlb pools live under
 * /sys/kernel/mm/hugepages/hugepages-<kB>kB, one directory per size the CPU
 * and kernel support (2M everywhere on x86-64, 1G with gbpages).
 */
#define HUGEPAGE_SYSFS "/sys/kernel/mm/hugepages"
#define HUGEPAGE_MAX_SIZES 8

/* The default huge page size per /proc/meminfo; 0 when there is none. */
size_t hugepage_default_size(void);

/* The sizes that have a pool under DIR (HUGEPAGE_SYSFS), ascending. */
unsigned hugepage_sizes_in(const char *dir, size_t *sizes, unsigned max);

/* Free pages in the pool of SIZE under DIR, -1 when there is no such pool. */
long hugepage_free_in(const char *dir, size_t size);

/*
 * The size a hugetlb backing uses for WANT (0: the default size): 0 with
 * *size set, -EINVAL for a size that is not a power of two, -EOPNOTSUPP
 * when this kernel has no pool of that size. WHO names the backing.
 */
int hugepage_resolve(size_t want, size_t *size, const char *who,
		     struct mrs_err *e);

/*
 * The MAP_HUGE_* / MFD_HUGE_* bits selecting SIZE: log2(size) shifted by
 * MAP_HUGE_SHIFT (== MFD_HUGE_SHIFT), the same encoding for both calls.
 */
unsigned hugepage_size_flags(size_t size);

/* ENOMEM from a hugetlb reservation, said with the knob that fixes it. */
int hugepage_enomem(struct mrs_err *e, const char *desc, size_t size);

static inline size_t round_up_to(size_t len, size_t align)
{
	return (len + align - 1) / align * align;
}

#endif
