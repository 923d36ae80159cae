// SPDX-License-Identifier: GPL-2.0-or-later
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "hugepage.h"
#include "units.h"

size_t hugepage_default_size(void)
{
	FILE *f = fopen("/proc/meminfo", "re");
	unsigned long kb = 0;
	char line[128];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Hugepagesize: %lu kB", &kb) == 1)
			break;
	fclose(f);
	return (size_t)kb * 1024;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

unsigned hugepage_sizes_in(const char *dir, size_t *sizes, unsigned max)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	unsigned long kb;
	unsigned n = 0;
	char end;

	if (!d)
		return 0;
	while (n < max && (de = readdir(d)))
		if (sscanf(de->d_name, "hugepages-%lukB%c", &kb, &end) == 1 &&
		    kb)
			sizes[n++] = (size_t)kb * 1024;
	closedir(d);
	qsort(sizes, n, sizeof(*sizes), cmp_size);
	return n;
}

long hugepage_free_in(const char *dir, size_t size)
{
	char path[512];
	long n = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/hugepages-%zukB/free_hugepages", dir,
		 size / 1024);
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &n) != 1)
		n = -1;
	fclose(f);
	return n;
}

static bool pool_exists(size_t size)
{
	size_t sizes[HUGEPAGE_MAX_SIZES];
	unsigned n =
		hugepage_sizes_in(HUGEPAGE_SYSFS, sizes, HUGEPAGE_MAX_SIZES);

	for (unsigned i = 0; i < n; i++)
		if (sizes[i] == size)
			return true;
	return false;
}

int hugepage_resolve(size_t want, size_t *size, const char *who,
		     struct mrs_err *e)
{
	char sz[32];

	if (!want) {
		*size = hugepage_default_size();
		if (!*size)
			return mrs_err_set(
				e, EOPNOTSUPP,
				"%s: the kernel reports no huge page size (no Hugepagesize in /proc/meminfo)",
				who);
		return 0;
	}
	format_size(want, sz, sizeof(sz));
	if (want & (want - 1) || want < 8192)
		return mrs_err_set(
			e, EINVAL,
			"%s: huge page size %s is not a power of two above the base page",
			who, sz);
	/* 1G pages need the CPU's gbpages: the pool exists only then. */
	if (!pool_exists(want))
		return mrs_err_set(
			e, EOPNOTSUPP,
			"%s: no %s huge pages on this kernel/CPU (no %s/hugepages-%zukB)",
			who, sz, HUGEPAGE_SYSFS, want / 1024);
	*size = want;
	return 0;
}

unsigned hugepage_size_flags(size_t size)
{
	unsigned log2 = 0;

	while (size > 1) {
		size >>= 1;
		log2++;
	}
	return log2 << MAP_HUGE_SHIFT;
}

int hugepage_enomem(struct mrs_err *e, const char *desc, size_t size)
{
	long free_pages = hugepage_free_in(HUGEPAGE_SYSFS, size);
	char sz[32], n[32] = "?";

	format_size(size, sz, sizeof(sz));
	if (free_pages >= 0)
		snprintf(n, sizeof(n), "%ld", free_pages);
	/* vm.nr_hugepages only sizes the default pool. */
	if (size == hugepage_default_size())
		return mrs_err_set(
			e, ENOMEM,
			"mmap(%s): not enough free %s huge pages (%s free; reserve them with vm.nr_hugepages)",
			desc, sz, n);
	return mrs_err_set(
		e, ENOMEM,
		"mmap(%s): not enough free %s huge pages (%s free; reserve them with hugepagesz=%s hugepages=N on the kernel command line or %s/hugepages-%zukB/nr_hugepages)",
		desc, sz, n, sz, HUGEPAGE_SYSFS, size / 1024);
}
