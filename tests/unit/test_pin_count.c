// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>

#include "unit.h"
#include "pin_count.h"

static const char vmstat[] = "nr_free_pages 5000\n"
			     "nr_foll_pin_acquired_x 9\n"
			     "nr_foll_pin_acquired 4096\n"
			     "nr_foll_pin_released 4000\n"
			     "pgfault 1\n";

static void parses_the_two_counters(void **state)
{
	struct pin_count p;

	(void)state;
	assert_int_equal(pin_count_parse(vmstat, &p), 0);
	assert_int_equal(p.acquired, 4096);
	assert_int_equal(p.released, 4000);
}

static void absent_or_malformed(void **state)
{
	struct pin_count p;

	(void)state;
	assert_int_equal(pin_count_parse("nr_free_pages 5\n", &p), -ENOENT);
	assert_int_equal(pin_count_parse("", &p), -ENOENT);
	assert_int_equal(pin_count_parse("nr_foll_pin_acquired x\n"
					 "nr_foll_pin_released 1\n",
					 &p),
			 -ENOENT);
	assert_int_equal(pin_count_parse("nr_foll_pin_acquired 1", &p),
			 -ENOENT);
}

static void held_since(void **state)
{
	struct pin_count a = { 100, 90 }, b = { 2148, 2138 },
			 c = { 2148, 2100 };

	(void)state;
	/* 2048 taken, 2048 given back: nothing held. */
	assert_int_equal(pin_count_held_since(&a, &b), 0);
	assert_int_equal(pin_count_held_since(&a, &c), 38);
	/* Pins from before the run given back during it are no leak. */
	assert_true(pin_count_held_since(&b, &(struct pin_count){ 2148,
								  2200 }) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_the_two_counters),
		cmocka_unit_test(absent_or_malformed),
		cmocka_unit_test(held_since),
	};

	return cmocka_run_group_tests_name("pin_count", tests, NULL, NULL);
}
