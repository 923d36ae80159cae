// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdint.h>

#include "unit.h"
#include "units.h"

static void parses_plain_and_suffixed_sizes(void **state)
{
	size_t v;

	(void)state;
	assert_int_equal(parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(parse_size("64K", &v), 0);
	assert_int_equal(v, 65536);
	assert_int_equal(parse_size("8m", &v), 0);
	assert_int_equal(v, 8u << 20);
	assert_int_equal(parse_size("1GiB", &v), 0);
	assert_int_equal(v, 1u << 30);
	assert_int_equal(parse_size("2MB", &v), 0);
	assert_int_equal(v, 2u << 20);
}

static void rejects_bad_sizes(void **state)
{
	size_t v = 7;

	(void)state;
	assert_int_equal(parse_size("", &v), -EINVAL);
	assert_int_equal(parse_size(NULL, &v), -EINVAL);
	assert_int_equal(parse_size("-1", &v), -EINVAL);
	assert_int_equal(parse_size("12Q", &v), -EINVAL);
	assert_int_equal(parse_size("4KX", &v), -EINVAL);
	assert_int_equal(parse_size(" 4K", &v), -EINVAL);
	assert_int_equal(parse_size("99999999999999999999999", &v), -ERANGE);
	assert_int_equal(parse_size("17179869184G", &v), -ERANGE);
	assert_int_equal(v, 7);
}

static void formats_round_trip(void **state)
{
	const size_t values[] = { 0,	 1,	   1000,     4096,
				  65536, 2u << 20, 3u << 30, 4097 };
	char buf[32];
	size_t back;

	(void)state;
	assert_string_equal(format_size(8u << 20, buf, sizeof(buf)), "8M");
	assert_string_equal(format_size(4097, buf, sizeof(buf)), "4097");
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		format_size(values[i], buf, sizeof(buf));
		assert_int_equal(parse_size(buf, &back), 0);
		assert_int_equal(back, values[i]);
	}
}

static void flag_words(void **state)
{
	static const struct flag_word w[] = { { "a", 1 },
					      { "b", 2 },
					      { "ab", 3 } };
	unsigned out = 99;

	(void)state;
	assert_int_equal(parse_flag_words("a", w, 3, &out), 0);
	assert_int_equal(out, 1);
	assert_int_equal(parse_flag_words("b+a", w, 3, &out), 0);
	assert_int_equal(out, 3);
	assert_int_equal(parse_flag_words("ab+b", w, 3, &out), 0);
	assert_int_equal(out, 3);
	out = 99;
	assert_int_equal(parse_flag_words("a+c", w, 3, &out), -EINVAL);
	assert_int_equal(parse_flag_words("", w, 3, &out), -EINVAL);
	assert_int_equal(parse_flag_words("+", w, 3, &out), -EINVAL);
	assert_int_equal(out, 99); /* untouched on error */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_plain_and_suffixed_sizes),
		cmocka_unit_test(rejects_bad_sizes),
		cmocka_unit_test(formats_round_trip),
		cmocka_unit_test(flag_words),
	};

	return cmocka_run_group_tests_name("units", tests, NULL, NULL);
}
