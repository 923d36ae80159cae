// SPDX-License-Identifier: GPL-2.0-or-later
#include <string.h>

#include "unit.h"
#include "mr.h"

static void names_the_common_sets(void **state)
{
	char buf[96];

	(void)state;
	assert_string_equal(mr_access_name(MR_ACCESS_RW, buf, sizeof(buf)),
			    "rw");
	assert_string_equal(mr_access_name(MR_ACCESS_RO, buf, sizeof(buf)),
			    "ro");
	assert_string_equal(mr_access_name(MR_ACCESS_ODP, buf, sizeof(buf)),
			    "odp");
}

static void spells_out_other_sets(void **state)
{
	char buf[96];

	(void)state;
	assert_string_equal(mr_access_name(0, buf, sizeof(buf)), "LOCAL_READ");
	assert_string_equal(mr_access_name(IBV_ACCESS_LOCAL_WRITE |
						   IBV_ACCESS_REMOTE_ATOMIC,
					   buf, sizeof(buf)),
			    "LOCAL_WRITE|REMOTE_ATOMIC");
	/* A short buffer truncates, never overflows. */
	memset(buf, 'x', sizeof(buf));
	mr_access_name(IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE |
			       IBV_ACCESS_MW_BIND,
		       buf, 8);
	assert_int_equal(strlen(buf), 7);
	assert_int_equal(buf[8], 'x');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_the_common_sets),
		cmocka_unit_test(spells_out_other_sets),
	};

	return cmocka_run_group_tests_name("mr_access", tests, NULL, NULL);
}
