// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/memfd.h>
#include <linux/mman.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "hugepage.h"

static void encodes_sizes_as_mmap_and_memfd_want(void **state)
{
	(void)state;
	assert_int_equal(hugepage_size_flags(2u << 20), MAP_HUGE_2MB);
	assert_int_equal(hugepage_size_flags(1u << 30), MAP_HUGE_1GB);
	assert_int_equal(hugepage_size_flags(1u << 30), MFD_HUGE_1GB);
	assert_int_equal(hugepage_size_flags(64u << 10), MAP_HUGE_64KB);
}

static void rounds_up_to_whole_pages(void **state)
{
	(void)state;
	assert_int_equal(round_up_to(1, 2u << 20), 2u << 20);
	assert_int_equal(round_up_to(2u << 20, 2u << 20), 2u << 20);
	assert_int_equal(round_up_to((2u << 20) + 1, 2u << 20), 4u << 20);
	assert_int_equal(round_up_to(2u << 20, 1u << 30), 1u << 30);
}

/* A sysfs tree made by hand: the pools and what they hold. */
static void make_pool(const char *root, const char *name, const char *free)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, name);
	assert_int_equal(mkdir(path, 0700), 0);
	if (!free)
		return;
	snprintf(path, sizeof(path), "%s/%s/free_hugepages", root, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(free, f);
	fclose(f);
}

static void lists_pools_and_their_free_pages(void **state)
{
	char root[] = "/tmp/mrstress-hp-XXXXXX", cmd[64];
	size_t sizes[HUGEPAGE_MAX_SIZES];

	(void)state;
	assert_non_null(mkdtemp(root));
	make_pool(root, "hugepages-1048576kB", "1\n");
	make_pool(root, "hugepages-2048kB", "4\n");
	make_pool(root, "hugepages-oddkB", NULL);
	make_pool(root, "hugepages-64kBx", NULL);
	assert_int_equal(hugepage_sizes_in(root, sizes, HUGEPAGE_MAX_SIZES), 2);
	assert_int_equal(sizes[0], 2u << 20);
	assert_int_equal(sizes[1], 1u << 30);
	assert_int_equal(hugepage_free_in(root, 2u << 20), 4);
	assert_int_equal(hugepage_free_in(root, 1u << 30), 1);
	assert_int_equal(hugepage_free_in(root, 16u << 30), -1);
	assert_int_equal(hugepage_sizes_in("/nonexistent", sizes, 8), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	assert_int_equal(system(cmd), 0);
}

static void refuses_sizes_that_cannot_be(void **state)
{
	struct mrs_err e = { 0 };
	size_t got = 0;

	(void)state;
	assert_int_equal(hugepage_resolve(3u << 20, &got, "hugetlb", &e),
			 -EINVAL);
	assert_non_null(strstr(e.msg, "hugetlb: huge page size 3M"));
	/* No CPU has 1T pages: said as EOPNOTSUPP. */
	assert_int_equal(hugepage_resolve(1ul << 40, &got, "hugetlb", &e),
			 -EOPNOTSUPP);
	assert_non_null(strstr(e.msg, "no 1T huge pages on this kernel/CPU"));
	assert_int_equal(got, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(encodes_sizes_as_mmap_and_memfd_want),
		cmocka_unit_test(rounds_up_to_whole_pages),
		cmocka_unit_test(lists_pools_and_their_free_pages),
		cmocka_unit_test(refuses_sizes_that_cannot_be),
	};

	return cmocka_run_group_tests_name("hugepage", tests, NULL, NULL);
}
