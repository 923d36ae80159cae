// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Backings that need no RDMA device to check: what they build and that
 * they undo it. Run on the host by 'make check', and inside a guest by the
 * backings VM test, so that a real kernel of each series answers.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "unit.h"
#include "backing.h"

static void thp_mode(char *buf, size_t len)
{
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "re");
	char line[128], *lb, *rb;

	snprintf(buf, len, "not-built");
	if (f && fgets(line, sizeof(line), f) && (lb = strchr(line, '[')) &&
	    (rb = strchr(lb, ']')))
		snprintf(buf, len, "%.*s", (int)(rb - lb - 1), lb + 1);
	if (f)
		fclose(f);
}

static void thp_is_aligned_and_says_what_it_got(void **state)
{
	const struct backing *b = backing_find("thp");
	struct backing_args a = { .size = 3u << 20 };
	size_t base = (size_t)sysconf(_SC_PAGESIZE);
	struct mrs_err e = { 0 };
	char mode[32], want[48];
	struct region r;

	(void)state;
	assert_non_null(b);
	assert_int_equal(region_create(&r, b, &a, &e), 0);
	/* Whole PMDs, starting on a PMD boundary. */
	assert_int_equal(r.len % (2u << 20), 0);
	assert_true(r.len >= a.size);
	assert_int_equal((uintptr_t)r.addr % (2u << 20), 0);
	thp_mode(mode, sizeof(mode));
	snprintf(want, sizeof(want), "thp=%s", mode);
	assert_non_null(strstr(r.desc, want));
	if (!strcmp(mode, "never") || !strcmp(mode, "not-built")) {
		/* Off is not a failure: the region says it got base pages. */
		assert_false(r.huge);
		assert_int_equal(r.page_size, base);
		assert_non_null(strstr(r.desc, "huge=0/"));
	} else {
		assert_true(r.page_size == base || r.page_size == 2u << 20);
		assert_true(r.page_size == base || r.huge);
	}
	printf("# thp (%s): %s\n", mode, r.desc);
	region_destroy(&r);
	assert_true(r.addr == MAP_FAILED);
}

static void uffd_handler_supplies_every_page(void **state)
{
	const struct backing *b = backing_find("uffd");
	struct backing_args a = { .size = 1u << 20 };
	struct mrs_err e = { 0 };
	struct region r;
	int ret;

	(void)state;
	assert_non_null(b);
	assert_non_null(b->pages_supplied);
	ret = region_create(&r, b, &a, &e);
	if (ret == -EPERM || ret == -ENOSYS) {
		printf("# %s\n", e.msg);
		skip();
	}
	assert_int_equal(ret, 0);
	assert_int_equal(b->pages_supplied(&r), 0);
	/* Reads fault too: a shmem hole is "missing" until supplied. */
	for (size_t off = 0; off < r.len; off += r.page_size)
		assert_int_equal(((volatile uint8_t *)r.addr)[off], 0);
	assert_int_equal(b->pages_supplied(&r), r.len / r.page_size);
	memset(r.addr, 0x5a, r.len);
	assert_int_equal(b->pages_supplied(&r), r.len / r.page_size);
	printf("# uffd: %zu pages supplied for %s\n", b->pages_supplied(&r),
	       r.desc);
	region_destroy(&r);
	assert_null(r.priv);
}

static void uffd_stops_a_handler_that_never_worked(void **state)
{
	const struct backing *b = backing_find("uffd");
	struct backing_args a = { .size = 64u << 10 };
	struct mrs_err e = { 0 };
	struct region r;
	int ret;

	(void)state;
	ret = region_create(&r, b, &a, &e);
	if (ret == -EPERM || ret == -ENOSYS)
		skip();
	assert_int_equal(ret, 0);
	/* Returns only if the handler thread saw the stop and was joined. */
	region_destroy(&r);
	assert_null(r.priv);
	assert_int_equal(r.fd, -1);
}

static void failed_create_leaves_nothing(void **state)
{
	struct backing_args a = { .size = 4096, .hugepage_size = 1ul << 40 };
	const char *names[] = { "hugetlb", "hugetlb-map" };
	struct mrs_err e = { 0 };
	struct region r;

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(region_create(&r, backing_find(names[i]), &a,
					       &e),
				 -EOPNOTSUPP);
		assert_non_null(strstr(e.msg, "no 1T huge pages"));
		assert_true(r.addr == MAP_FAILED);
		assert_int_equal(r.fd, -1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(thp_is_aligned_and_says_what_it_got),
		cmocka_unit_test(uffd_handler_supplies_every_page),
		cmocka_unit_test(uffd_stops_a_handler_that_never_worked),
		cmocka_unit_test(failed_create_leaves_nothing),
	};

	return cmocka_run_group_tests_name("backings", tests, NULL, NULL);
}
