// SPDX-License-Identifier: GPL-2.0-or-later
#include <time.h>

#include "clock.h"
#include "unit.h"

/*
 * The age of this process from /proc/self/stat: positive, no older than
 * the test run itself (make check starts each test afresh), and it grows
 * with the monotonic clock to within the clock tick it is read at.
 */
static void process_age_is_since_this_process_started(void **state)
{
	struct timespec nap = { 0, 200 * 1000 * 1000 };
	double a, b, t0;

	(void)state;
	a = clock_process_age();
	assert_true(a > 0);
	assert_true(a < 600);
	t0 = mono_now();
	nanosleep(&nap, NULL);
	b = clock_process_age();
	assert_true(b - a > mono_now() - t0 - 0.05);
	assert_true(b - a < mono_now() - t0 + 0.05);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(process_age_is_since_this_process_started),
	};

	return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
