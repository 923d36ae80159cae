// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "unit.h"
#include "finding.h"
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

static void mr_makes_a_run(void **state)
{
	struct mrs_options o;
	struct mrs_err e;

	(void)state;
	assert_int_equal(PARSE(&o, &e, "--mr", "anon:8M"), 0);
	assert_int_equal(o.action, ACTION_RUN);
	assert_int_equal(o.spec.n_mrs, 1);
	assert_int_equal(o.spec.mrs[0].size, 8u << 20);
	/* run_spec_finish ran: the default write DMA is there. */
	assert_int_equal(o.spec.n_dmas, 1);
	assert_string_equal(o.spec.dmas[0].mr, "mr0");
	assert_false(o.json);
	assert_null(o.json_file);
	assert_false(o.spec.seed_given);

	assert_int_equal(PARSE(&o, &e, "--mr", "file:ext4:1M", "--dma",
			       "read,bs=8K", "--stress", "truncate,to=25%",
			       "--expect", "detached", "-d", "rxe0"),
			 0);
	assert_int_equal(o.action, ACTION_RUN);
	assert_int_equal(o.spec.n_dmas, 1);
	assert_int_equal(o.spec.dmas[0].block_size, 8192);
	assert_int_equal(o.spec.n_stress, 1);
	assert_int_equal(o.spec.expects.n, 1);
	assert_int_equal(o.spec.expects.v[0].cls, FC_DETACHED);
	assert_int_equal(o.spec.expects.v[0].need, EXPECT_MAY);
	assert_int_equal(o.spec.expects.v[0].n_terms, 0);
	assert_string_equal(o.device, "rxe0");
}

static void run_options_alone_need_an_mr(void **state)
{
	struct mrs_options o;
	struct mrs_err e;

	(void)state;
	/* Each is a run, and a run without memory is refused. */
	assert_int_equal(PARSE(&o, &e, "--dma", "write"), -EINVAL);
	assert_non_null(strstr(e.msg, "nothing to register"));
	assert_int_equal(PARSE(&o, &e, "--seed", "1"), -EINVAL);
	assert_non_null(strstr(e.msg, "nothing to register"));
	assert_int_equal(PARSE(&o, &e, "--duration", "1s"), -EINVAL);
	assert_non_null(strstr(e.msg, "nothing to register"));
}

static void one_action_with_run(void **state)
{
	struct mrs_options o;
	struct mrs_err e;

	(void)state;
	assert_int_equal(PARSE(&o, &e, "--probe", "--mr", "anon:8M"), -EINVAL);
	assert_non_null(strstr(e.msg, "--mr: only one action"));
	assert_int_equal(PARSE(&o, &e, "--mr", "anon:8M", "--probe"), -EINVAL);
	assert_non_null(strstr(e.msg, "--probe: only one action"));
	assert_int_equal(PARSE(&o, &e, "--list", "--seed", "3"), -EINVAL);
	assert_non_null(strstr(e.msg, "--seed: only one action"));
	assert_int_equal(PARSE(&o, &e, "--version", "--expect", "torn"),
			 -EINVAL);
	assert_non_null(strstr(e.msg, "only one action"));
	assert_int_equal(PARSE(&o, &e, "--help", "--duration", "1s"), -EINVAL);
	assert_non_null(strstr(e.msg, "only one action"));
}

static void run_errors_name_the_option(void **state)
{
	struct mrs_options o;
	struct mrs_err e;

	(void)state;
	/* The option, its argument, then what run_spec said. */
	assert_int_equal(PARSE(&o, &e, "--mr", "floppy"), -EINVAL);
	assert_non_null(strstr(e.msg, "--mr 'floppy': unknown backing"));
	assert_int_equal(PARSE(&o, &e, "--mr", "anon", "--dma", "write,qd=0"),
			 -EINVAL);
	assert_non_null(strstr(e.msg, "--dma 'write,qd=0': qd=0"));
	assert_int_equal(PARSE(&o, &e, "--mr", "anon", "--stress", "quake"),
			 -EINVAL);
	assert_non_null(strstr(e.msg, "--stress 'quake': unknown stressor"));
	assert_int_equal(PARSE(&o, &e, "--mr", "anon", "--expect", "fine"),
			 -EINVAL);
	assert_non_null(strstr(e.msg, "--expect 'fine': unknown finding"));
	assert_int_equal(PARSE(&o, &e, "--mr"), -EINVAL);
	assert_non_null(strstr(e.msg, "'--mr' needs a value"));
	/* run_spec_finish's verdict comes out of options_parse. */
	assert_int_equal(PARSE(&o, &e, "--mr", "anon", "--dma", "write,mr=b"),
			 -EINVAL);
	assert_non_null(strstr(e.msg, "no mr named 'b'"));
}

static void json_forms(void **state)
{
	struct mrs_options o;
	struct mrs_err e;

	(void)state;
	assert_int_equal(PARSE(&o, &e, "--mr", "anon", "--json"), 0);
	assert_true(o.json);
	assert_null(o.json_file);
	assert_int_equal(PARSE(&o, &e, "--mr", "anon", "--json=/tmp/r.json"),
			 0);
	assert_true(o.json);
	assert_non_null(o.json_file);
	assert_string_equal(o.json_file, "/tmp/r.json");
	assert_int_equal(PARSE(&o, &e, "--json=out.json", "--probe"), 0);
	assert_int_equal(o.action, ACTION_PROBE);
	assert_string_equal(o.json_file, "out.json");
	/* An optional argument is only taken with '='. */
	assert_int_equal(PARSE(&o, &e, "--probe", "--json", "out.json"),
			 -EINVAL);
	assert_non_null(strstr(e.msg, "out.json"));
	/* With a scenario file, the mistake is named and the fix given. */
	assert_int_equal(PARSE(&o, &e, "--json", "r.json", "a.scn"), -EINVAL);
	assert_non_null(strstr(e.msg, "--json=r.json"));
	assert_int_equal(PARSE(&o, &e, "--fault", "mrstress/mem/alloc",
			       "--list"),
			 -EINVAL);
	assert_non_null(strstr(e.msg, "--fault mrstress/mem/alloc goes with"));
	assert_int_equal(PARSE(&o, &e, "--fault", "list"), 0);
	assert_int_equal(o.action, ACTION_LIST_FAULTS);

	assert_int_equal(PARSE(&o, &e, "--json"), -EINVAL);
	assert_non_null(strstr(e.msg, "--json goes with --probe or a run"));
	assert_int_equal(PARSE(&o, &e, "--json=x", "--version"), -EINVAL);
	assert_non_null(strstr(e.msg, "--json goes with"));
}

static void duration_forms(void **state)
{
	struct mrs_options o;
	struct mrs_err e;

	(void)state;
	assert_int_equal(PARSE(&o, &e, "--mr", "anon"), 0);
	assert_true(o.spec.duration > 9.999 && o.spec.duration < 10.001);
	assert_int_equal(PARSE(&o, &e, "--mr", "anon", "--duration", "500ms"),
			 0);
	assert_true(o.spec.duration > 0.4999 && o.spec.duration < 0.5001);
	assert_int_equal(PARSE(&o, &e, "--duration", "2m", "--mr", "anon"), 0);
	assert_true(o.spec.duration > 119.999 && o.spec.duration < 120.001);
	assert_int_equal(o.action, ACTION_RUN);

	assert_int_equal(PARSE(&o, &e, "--mr", "anon", "--duration", "0"),
			 -EINVAL);
	assert_non_null(
		strstr(e.msg, "--duration '0': duration=0: want a time"));
	assert_int_equal(PARSE(&o, &e, "--mr", "anon", "--duration", "abc"),
			 -EINVAL);
	assert_non_null(strstr(e.msg, "--duration 'abc'"));
	assert_int_equal(PARSE(&o, &e, "--mr", "anon", "--duration", "0ms"),
			 -EINVAL);
	assert_int_equal(PARSE(&o, &e, "--mr", "anon", "--duration", "-1s"),
			 -EINVAL);
}

static void seed_forms(void **state)
{
	struct mrs_options o;
	struct mrs_err e;

	(void)state;
	assert_int_equal(PARSE(&o, &e, "--mr", "anon", "--seed", "0x10"), 0);
	assert_true(o.spec.seed_given);
	assert_int_equal(o.spec.seed, 16);
	assert_int_equal(PARSE(&o, &e, "--mr", "anon", "--seed", "0"), 0);
	assert_true(o.spec.seed_given);
	assert_int_equal(o.spec.seed, 0);
	assert_int_equal(PARSE(&o, &e, "--mr", "anon", "--seed",
			       "9223372036854775807"),
			 0);
	assert_int_equal(o.spec.seed, INT64_MAX);

	assert_int_equal(PARSE(&o, &e, "--mr", "anon", "--seed", "-1"),
			 -EINVAL);
	assert_non_null(strstr(e.msg, "--seed '-1': seed=-1: want a number"));
	assert_int_equal(PARSE(&o, &e, "--mr", "anon", "--seed",
			       "9223372036854775808"),
			 -EINVAL);
	/* strtoull() would wrap these round into range. */
	assert_int_equal(PARSE(&o, &e, "--mr", "anon", "--seed",
			       "-9223372036854775809"),
			 -EINVAL);
	assert_int_equal(PARSE(&o, &e, "--mr", "anon", "--seed", "-0"),
			 -EINVAL);
	assert_int_equal(PARSE(&o, &e, "--mr", "anon", "--seed", ""), -EINVAL);
	assert_int_equal(PARSE(&o, &e, "--mr", "anon", "--seed", "12z"),
			 -EINVAL);
	assert_non_null(strstr(e.msg, "--seed '12z'"));
}

static void listen_and_connect(void **state)
{
	struct mrs_options o;
	struct mrs_err e;

	(void)state;
	assert_int_equal(PARSE(&o, &e, "--listen", "10.0.0.1", "--mr", "anon"),
			 0);
	assert_int_equal(o.action, ACTION_RUN);
	assert_true(o.listen_given);
	assert_string_equal(o.listen.addr, "10.0.0.1");
	assert_int_equal(o.listen.port, ENDPOINT_DEFAULT_PORT);
	assert_int_equal(PARSE(&o, &e, "--connect", "[fe80::1]:9000",
			       "--json=i.json"),
			 0);
	assert_int_equal(o.action, ACTION_CONNECT);
	assert_string_equal(o.connect.addr, "fe80::1");
	assert_int_equal(o.connect.port, 9000);
	assert_string_equal(o.json_file, "i.json");
	assert_int_equal(PARSE(&o, &e, "--connect", "fe80::2"), 0);
	assert_string_equal(o.connect.addr, "fe80::2");
	assert_int_equal(o.connect.port, ENDPOINT_DEFAULT_PORT);
}

static void listen_and_connect_errors(void **state)
{
	struct mrs_options o;
	struct mrs_err e;

	(void)state;
	assert_int_equal(PARSE(&o, &e, "--listen", "host.example", "--mr",
			       "anon"),
			 -EINVAL);
	assert_non_null(strstr(e.msg, "--listen 'host.example': bad address"));
	assert_int_equal(PARSE(&o, &e, "--connect", "10.0.0.1:0"), -EINVAL);
	assert_non_null(strstr(e.msg, "--connect '10.0.0.1:0': bad port '0'"));
	assert_int_equal(PARSE(&o, &e, "--connect", "10.0.0.1:65536"), -EINVAL);
	assert_non_null(strstr(e.msg, "bad port '65536'"));
	assert_int_equal(PARSE(&o, &e, "--connect", "10.0.0.1:"), -EINVAL);
	assert_non_null(strstr(e.msg, "bad port ''"));
	assert_int_equal(PARSE(&o, &e, "--connect", ":7000"), -EINVAL);
	assert_non_null(strstr(e.msg, "no address"));
	assert_int_equal(PARSE(&o, &e, "--connect", "[fe80::1"), -EINVAL);
	assert_non_null(strstr(e.msg, "want [IPv6]:PORT"));
	assert_int_equal(PARSE(&o, &e, "--listen", "10.0.0.1"), -EINVAL);
	assert_non_null(strstr(e.msg, "--listen goes with a run"));
	assert_int_equal(PARSE(&o, &e, "--connect", "10.0.0.1", "--mr", "anon"),
			 -EINVAL);
	assert_int_equal(PARSE(&o, &e, "--connect", "10.0.0.1", "-d", "rxe0"),
			 -EINVAL);
	assert_non_null(
		strstr(e.msg, "--connect takes its run from the target"));
	assert_int_equal(PARSE(&o, &e, "--listen", "10.0.0.1", "--connect",
			       "10.0.0.2"),
			 -EINVAL);
	assert_non_null(
		strstr(e.msg, "--connect takes its run from the target"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(probe_with_everything),
		cmocka_unit_test(listen_and_connect),
		cmocka_unit_test(listen_and_connect_errors),
		cmocka_unit_test(defaults),
		cmocka_unit_test(errors_name_the_option),
		cmocka_unit_test(env_scratch_only_without_option),
		cmocka_unit_test(parses_twice),
		cmocka_unit_test(mr_makes_a_run),
		cmocka_unit_test(run_options_alone_need_an_mr),
		cmocka_unit_test(one_action_with_run),
		cmocka_unit_test(run_errors_name_the_option),
		cmocka_unit_test(json_forms),
		cmocka_unit_test(duration_forms),
		cmocka_unit_test(seed_forms),
	};

	return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
