// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "options.h"

#define ARGV(...) ((char *[]){ "mrstress", __VA_ARGS__, NULL })
#define ARGC(...) \
	((int)(sizeof((char *[]){ "mrstress", __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(o, e, ...) \
	options_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), (o), (e))

static void probe_with_everything(void **state)
{
	struct mrs_options o;
	struct mrs_err e;

	(void)state;
	assert_int_equal(PARSE(&o, &e, "--probe", "--json", "-d", "rxe0",
			       "--scratch", "ext4=/mnt/a", "--scratch",
			       "/mnt/b", "--size", "8M"),
			 0);
	assert_int_equal(o.action, ACTION_PROBE);
	assert_true(o.json);
	assert_string_equal(o.device, "rxe0");
	assert_int_equal(o.size, 8u << 20);
	assert_int_equal(o.scratch.n, 2);
	assert_string_equal(o.scratch.dirs[0].expect, "ext4");
	assert_string_equal(o.scratch.dirs[0].path, "/mnt/a");
	assert_string_equal(o.scratch.dirs[1].expect, "");
	assert_string_equal(o.scratch.dirs[1].path, "/mnt/b");
}

static void defaults(void **state)
{
	struct mrs_options o;
	struct mrs_err e;

	(void)state;
	assert_int_equal(PARSE(&o, &e, "--list"), 0);
	assert_int_equal(o.action, ACTION_LIST);
	assert_null(o.device);
	assert_false(o.json);
	assert_int_equal(o.size, 2u << 20);
	assert_int_equal(o.scratch.n, 0);
}

static void errors_name_the_option(void **state)
{
	struct mrs_options o;
	struct mrs_err e;

	(void)state;
	assert_int_equal(PARSE(&o, &e, "--bogus"), -EINVAL);
	assert_non_null(strstr(e.msg, "--bogus"));
	assert_int_equal(PARSE(&o, &e, "--probe", "--size", "lots"), -EINVAL);
	assert_non_null(strstr(e.msg, "--size 'lots'"));
	assert_int_equal(PARSE(&o, &e, "--probe", "--size", "0"), -EINVAL);
	assert_int_equal(PARSE(&o, &e, "--probe", "--scratch", "relative/dir"),
			 -EINVAL);
	assert_non_null(strstr(e.msg, "absolute"));
	assert_int_equal(PARSE(&o, &e, "--probe", "--scratch", "EXT4=/x"),
			 -EINVAL);
	assert_int_equal(PARSE(&o, &e, "--probe", "--device"), -EINVAL);
	assert_non_null(strstr(e.msg, "--device"));
	assert_int_equal(PARSE(&o, &e, "--probe", "-d", ""), -EINVAL);
	assert_int_equal(PARSE(&o, &e, "--probe", "--list"), -EINVAL);
	assert_non_null(strstr(e.msg, "one action"));
	assert_int_equal(PARSE(&o, &e, "--list", "--json"), -EINVAL);
	assert_int_equal(PARSE(&o, &e, "--probe", "stray"), -EINVAL);
	assert_non_null(strstr(e.msg, "stray"));
}

static void env_scratch_only_without_option(void **state)
{
	struct mrs_options o;
	struct mrs_err e;

	(void)state;
	assert_int_equal(PARSE(&o, &e, "--probe"), 0);
	assert_int_equal(options_apply_env(&o, "/mnt/x/ext4:/mnt/x/xfs", &e),
			 0);
	assert_int_equal(o.scratch.n, 2);
	assert_string_equal(o.scratch.dirs[1].path, "/mnt/x/xfs");

	assert_int_equal(PARSE(&o, &e, "--probe", "--scratch", "/only"), 0);
	assert_int_equal(options_apply_env(&o, "/mnt/x/ext4", &e), 0);
	assert_int_equal(o.scratch.n, 1);
	assert_string_equal(o.scratch.dirs[0].path, "/only");

	assert_int_equal(PARSE(&o, &e, "--probe"), 0);
	assert_int_equal(options_apply_env(&o, "not/absolute", &e), -EINVAL);
	assert_non_null(strstr(e.msg, "MRSTRESS_SCRATCH"));
}

static void parses_twice(void **state)
{
	struct mrs_options o;
	struct mrs_err e;

	(void)state;
	assert_int_equal(PARSE(&o, &e, "--version"), 0);
	assert_int_equal(o.action, ACTION_VERSION);
	assert_int_equal(PARSE(&o, &e, "-h"), 0);
	assert_int_equal(o.action, ACTION_HELP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(probe_with_everything),
		cmocka_unit_test(defaults),
		cmocka_unit_test(errors_name_the_option),
		cmocka_unit_test(env_scratch_only_without_option),
		cmocka_unit_test(parses_twice),
	};

	return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
