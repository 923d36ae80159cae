// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "fsinfo.h"
#include "scratch.h"

static void names_the_filesystems_that_matter(void **state)
{
	(void)state;
	assert_string_equal(fs_name_of_magic(EXT4_SUPER_MAGIC), "ext4");
	assert_string_equal(fs_name_of_magic(0x58465342), "xfs");
	assert_string_equal(fs_name_of_magic(0x9123683E), "btrfs");
	assert_string_equal(fs_name_of_magic(TMPFS_MAGIC), "tmpfs");
	assert_string_equal(fs_name_of_magic(HUGETLBFS_MAGIC), "hugetlbfs");
	assert_null(fs_name_of_magic(0x12345678));
}

static void verify_fills_the_measured_fs(void **state)
{
	struct scratch_list l = { 0 };
	struct fs_info fi;
	struct mrs_err e;
	char spec[64];

	(void)state;
	assert_int_equal(fs_info_of_path("/", &fi, &e), 0);
	assert_int_equal(scratch_add(&l, "/", "test", &e), 0);
	assert_int_equal(scratch_verify(&l, &e), 0);
	assert_string_equal(l.dirs[0].fs, fi.type);

	/* Naming the right filesystem passes, the wrong one is refused. */
	memset(&l, 0, sizeof(l));
	snprintf(spec, sizeof(spec), "%s=/", fi.type);
	if (fi.type[0] != '0') {
		assert_int_equal(scratch_add(&l, spec, "test", &e), 0);
		assert_int_equal(scratch_verify(&l, &e), 0);
	}
	memset(&l, 0, sizeof(l));
	assert_int_equal(scratch_add(&l, "nosuchfs=/", "test", &e), 0);
	assert_int_equal(scratch_verify(&l, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "not nosuchfs"));
}

static void verify_rejects_missing_and_non_dirs(void **state)
{
	struct scratch_list l = { 0 };
	struct mrs_err e;

	(void)state;
	assert_int_equal(scratch_add(&l, "/nonexistent/mrstress/dir", "t", &e),
			 0);
	assert_int_equal(scratch_verify(&l, &e), -ENOENT);
	assert_non_null(strstr(e.msg, "/nonexistent/mrstress/dir"));
	memset(&l, 0, sizeof(l));
	assert_int_equal(scratch_add(&l, "/proc/self/status", "t", &e), 0);
	assert_int_equal(scratch_verify(&l, &e), -ENOTDIR);
}

static void list_limits(void **state)
{
	struct scratch_list l = { 0 };
	struct mrs_err e;

	(void)state;
	for (int i = 0; i < MRS_MAX_SCRATCH; i++)
		assert_int_equal(scratch_add(&l, "/tmp", "t", &e), 0);
	assert_int_equal(scratch_add(&l, "/tmp", "t", &e), -E2BIG);
	memset(&l, 0, sizeof(l));
	assert_int_equal(scratch_add_list(&l, "::/a::/b:", "env", &e), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(scratch_add(&l, "=/x", "t", &e), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_the_filesystems_that_matter),
		cmocka_unit_test(verify_fills_the_measured_fs),
		cmocka_unit_test(verify_rejects_missing_and_non_dirs),
		cmocka_unit_test(list_limits),
	};

	return cmocka_run_group_tests_name("scratch", tests, NULL, NULL);
}
