// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the engine does for every stressor without running one: its common
 * keys (rate, threads, range), the range arithmetic, the timeline that
 * names the steps around a finding, and tunables put back as they were.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "knob.h"
#include "run_spec.h"
#include "stress_run.h"
#include "timeline.h"

#define KIB 1024u
#define MIB (1024u * KIB)

static void range_sizes_and_percentages(void **state)
{
	uint64_t off, len;

	(void)state;
	assert_int_equal(stress_range_parse("0-50%", 8 * MIB, 4096, &off, &len),
			 0);
	assert_int_equal(off, 0);
	assert_int_equal(len, 4 * MIB);
	assert_int_equal(stress_range_parse("1M-3M", 8 * MIB, 4096, &off, &len),
			 0);
	assert_int_equal(off, MIB);
	assert_int_equal(len, 2 * MIB);
	assert_int_equal(
		stress_range_parse("25%-100%", 8 * MIB, 4096, &off, &len), 0);
	assert_int_equal(off, 2 * MIB);
	assert_int_equal(len, 6 * MIB);
}

static void range_rounds_out_to_pages(void **state)
{
	uint64_t off, len;

	(void)state;
	/* 5000-9000 touches the pages 4096-8191 and 8192-12287. */
	assert_int_equal(
		stress_range_parse("5000-9000", 64 * KIB, 4096, &off, &len), 0);
	assert_int_equal(off, 4096);
	assert_int_equal(len, 8192);
	/* With 2M huge pages a 1M-3M range is the first two huge pages. */
	assert_int_equal(
		stress_range_parse("1M-3M", 8 * MIB, 2 * MIB, &off, &len), 0);
	assert_int_equal(off, 0);
	assert_int_equal(len, 4 * MIB);
	/* Never past the MR. */
	assert_int_equal(stress_range_parse("0-5000", 5000, 4096, &off, &len),
			 0);
	assert_int_equal(len, 5000);
}

static void range_errors(void **state)
{
	static const char *const bad[] = { "",	   "50%",    "3M-1M",  "1M-1M",
					   "0-9M", "x-1M",   "0-150%", "-1M",
					   "1M-",  "0-1M-2M" };
	uint64_t off, len;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!stress_range_parse(bad[i], 8 * MIB, 4096, &off, &len))
			fail_msg("range '%s' accepted", bad[i]);
}

static void common_keys(void **state)
{
	struct run_spec *s = malloc(sizeof(*s));
	struct mrs_err e = { 0 };

	(void)state;
	assert_non_null(s);
	run_spec_init(s);
	assert_int_equal(run_spec_add_mr(s, "anon:8M", &e), 0);
	assert_int_equal(
		run_spec_add_stress(s, "truncate,rate=20,threads=3,range=0-50%",
				    &e),
		0);
	assert_true(s->stress[0].interval > 0.0499 &&
		    s->stress[0].interval < 0.0501);
	assert_int_equal(s->stress[0].threads, 3);
	assert_string_equal(s->stress[0].range, "0-50%");
	assert_int_equal(s->stress[0].n_opts, 0);
	/* Defaults: one thread, the whole MR. */
	assert_int_equal(run_spec_add_stress(s, "truncate,name=t2", &e), 0);
	assert_int_equal(s->stress[1].threads, 1);
	assert_string_equal(s->stress[1].range, "");
	assert_int_equal(run_spec_finish(s, NULL, &e), 0);
	free(s);
}

static void common_key_errors(void **state)
{
	static const char *const bad[][2] = {
		{ "truncate,rate=0", "rate=0" },
		{ "truncate,rate=fast", "rate=fast" },
		{ "truncate,threads=0", "threads=0: want 1-64" },
		{ "truncate,threads=65", "threads=65" },
		{ "truncate,range=half", "range=half: want START-END" },
	};
	struct run_spec *s = malloc(sizeof(*s));
	struct mrs_err e = { 0 };

	(void)state;
	assert_non_null(s);
	run_spec_init(s);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(e.msg, 0, sizeof(e.msg));
		assert_int_equal(run_spec_add_stress(s, bad[i][0], &e),
				 -EINVAL);
		if (!strstr(e.msg, bad[i][1]))
			fail_msg("'%s': '%s' lacks '%s'", bad[i][0], e.msg,
				 bad[i][1]);
	}
	/* A range is checked against its MR once both are known. */
	assert_int_equal(run_spec_add_mr(s, "anon:1M", &e), 0);
	assert_int_equal(run_spec_add_stress(s, "truncate,range=0-2M", &e), 0);
	assert_int_equal(run_spec_finish(s, NULL, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "range=0-2M is not inside mr mr0"));
	free(s);
}

static void timeline_overlap_window(void **state)
{
	struct timeline tl;
	struct timeline_overlap o;

	(void)state;
	assert_int_equal(timeline_init(&tl, 8), 0);
	timeline_add(&tl, 1.0, 1.1, "a");
	timeline_add(&tl, 2.0, 2.5, "b");
	timeline_add(&tl, 3.0, 3.1, "c");
	/* A step overlapping either edge counts. */
	timeline_overlap(&tl, 2.4, 3.05, &o);
	assert_int_equal(o.n, 2);
	assert_string_equal(o.last->what, "c");
	assert_string_equal(o.before->what, "a");
	/* None inside: the last one before still names the cause. */
	timeline_overlap(&tl, 3.5, 4.0, &o);
	assert_int_equal(o.n, 0);
	assert_null(o.last);
	assert_string_equal(o.before->what, "c");
	timeline_overlap(&tl, 0.0, 0.5, &o);
	assert_int_equal(o.n, 0);
	assert_null(o.before);
	timeline_free(&tl);
}

static void timeline_keeps_the_newest(void **state)
{
	struct timeline tl;
	struct timeline_overlap o;
	char what[8];

	(void)state;
	assert_int_equal(timeline_init(&tl, 4), 0);
	for (int i = 0; i < 10; i++) {
		snprintf(what, sizeof(what), "s%d", i);
		timeline_add(&tl, i, i + 0.5, what);
	}
	assert_int_equal(tl.n, 10);
	assert_int_equal(timeline_first(&tl), 6);
	assert_string_equal(timeline_at(&tl, 6)->what, "s6");
	timeline_overlap(&tl, 0, 100, &o);
	assert_int_equal(o.n, 4);
	assert_string_equal(o.last->what, "s9");
	timeline_free(&tl);
}

static void knob_set_and_restore(void **state)
{
	char path[] = "/tmp/mrstress-knob-XXXXXX", buf[64];
	struct knob k;
	struct mrs_err e = { 0 };
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "3000\n", 5), 5);
	close(fd);
	assert_int_equal(knob_set(&k, path, "10", &e), 0);
	assert_int_equal(knob_read(path, buf, sizeof(buf), &e), 0);
	assert_string_equal(buf, "10");
	knob_restore(&k);
	assert_int_equal(knob_read(path, buf, sizeof(buf), &e), 0);
	assert_string_equal(buf, "3000");
	/* Once: a second restore does not write the old value again. */
	assert_int_equal(knob_write(path, "7", &e), 0);
	knob_restore(&k);
	assert_int_equal(knob_read(path, buf, sizeof(buf), &e), 0);
	assert_string_equal(buf, "7");
	unlink(path);
	assert_int_equal(knob_set(&k, path, "1", &e), -EOPNOTSUPP);
	assert_non_null(strstr(e.msg, "not in this kernel"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(range_sizes_and_percentages),
		cmocka_unit_test(range_rounds_out_to_pages),
		cmocka_unit_test(range_errors),
		cmocka_unit_test(common_keys),
		cmocka_unit_test(common_key_errors),
		cmocka_unit_test(timeline_overlap_window),
		cmocka_unit_test(timeline_keeps_the_newest),
		cmocka_unit_test(knob_set_and_restore),
	};

	return cmocka_run_group_tests_name("stress_engine", tests, NULL, NULL);
}
