// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --fault NAME[:P]: which names and probabilities are taken, and what a
 * fault that fires does to errno, the counters and the error message. Both
 * builds are covered: with fault points (--with-libfiu) and without.
 */
#include <errno.h>
#include <string.h>

#include "error.h"
#include "fault.h"
#include "unit.h"

static void every_point_is_named_by_area_and_op(void **state)
{
	(void)state;
	for (int p = 0; p < FAULT_COUNT; p++) {
		const char *n = fault_points[p].name;

		assert_non_null(n);
		assert_int_equal(strncmp(n, "mrstress/", 9), 0);
		assert_non_null(strchr(n + 9, '/'));
		assert_true(fault_points[p].err > 0);
		for (int q = 0; q < p; q++)
			assert_string_not_equal(n, fault_points[q].name);
	}
}

static void an_error_names_the_fault_that_caused_it(void **state)
{
	struct mrs_err e = { 0 };

	(void)state;
	mrs_err_injected("mrstress/rdma/reg_mr");
	errno = ENOMEM;
	mrs_err_sys(&e, "reg_mr(anon 1M, rw)");
	assert_true(e.injected);
	assert_string_equal(
		e.msg,
		"reg_mr(anon 1M, rw): Cannot allocate memory [injected fault mrstress/rdma/reg_mr]");
	/* Once said, the next error on this thread is its own. */
	mrs_err_set(&e, EIO, "pread");
	assert_false(e.injected);
	assert_string_equal(e.msg, "pread");
}

#ifdef FIU_ENABLE
static void bad_fault_arguments_are_refused(void **state)
{
	static const char *const bad[] = { "mrstress/rdma/nope",
					   "nope",
					   "mrstress/rdma/reg_mr:0",
					   "mrstress/rdma/reg_mr:1.5",
					   "mrstress/rdma/reg_mr:",
					   "mrstress/rdma/reg_mr:x",
					   "mrstress/rdma/reg_mr:0.5x",
					   "mrstress/rdma/reg_mr:nan",
					   ":0.5",
					   "" };
	struct mrs_err e = { 0 };

	(void)state;
	fault_init();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&e, 0, sizeof(e));
		assert_int_equal(fault_enable(bad[i], &e), -EINVAL);
		assert_non_null(strstr(e.msg, "--fault"));
	}
}

static void an_enabled_point_fires_sets_errno_and_counts(void **state)
{
	struct mrs_err e = { 0 };

	(void)state;
	fault_init();
	assert_false(fault_fire(FAULT_FILE_PREAD));
	assert_int_equal(fault_enable("mrstress/file/pread", &e), 0);
	errno = 0;
	assert_true(fault_fire(FAULT_FILE_PREAD));
	assert_int_equal(errno, EIO);
	assert_true(fault_fire(FAULT_FILE_PREAD));
	assert_int_equal(fault_fired(FAULT_FILE_PREAD), 2);
	assert_false(fault_fire(FAULT_FILE_PWRITE));
	mrs_err_sys(&e, "pread(file ext4 1M)");
	assert_non_null(strstr(e.msg, "[injected fault mrstress/file/pread]"));
}

static void a_wildcard_and_a_probability_are_taken(void **state)
{
	struct mrs_err e = { 0 };
	int fired = 0;

	(void)state;
	fault_init();
	assert_int_equal(fault_enable("mrstress/report/*:0.5", &e), 0);
	fault_seed(42);
	for (int i = 0; i < 1000; i++)
		fired += fault_fire(FAULT_REPORT_WRITE);
	/* 500 expected; 1000 draws stay within 400..600 but for 1 in 10^9. */
	assert_in_range(fired, 400, 600);
}
#else
static void without_libfiu_fault_says_how_to_get_it(void **state)
{
	struct mrs_err e = { 0 };

	(void)state;
	assert_false(fault_available());
	assert_false(fault_fire(FAULT_RDMA_REG_MR));
	assert_int_equal(fault_enable("mrstress/rdma/reg_mr", &e), -EINVAL);
	assert_non_null(strstr(e.msg, "--with-libfiu"));
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_point_is_named_by_area_and_op),
		cmocka_unit_test(an_error_names_the_fault_that_caused_it),
#ifdef FIU_ENABLE
		cmocka_unit_test(bad_fault_arguments_are_refused),
		cmocka_unit_test(an_enabled_point_fires_sets_errno_and_counts),
		cmocka_unit_test(a_wildcard_and_a_probability_are_taken),
#else
		cmocka_unit_test(without_libfiu_fault_says_how_to_get_it),
#endif
	};

	return cmocka_run_group_tests_name("fault", tests, NULL, NULL);
}
