// SPDX-License-Identifier: GPL-2.0-or-later
/* --minimize's reductions and --replay's comparison: pure logic. */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "bundle_read.h"
#include "minimize.h"

struct pair {
	struct run_spec in, out;
};

static int setup(void **state)
{
	struct pair *p = calloc(1, sizeof(*p));
	struct mrs_err e = { 0 };

	if (!p)
		return -1;
	run_spec_init(&p->in);
	if (run_spec_add_mr(&p->in, "file:ext4:1M", &e) ||
	    run_spec_add_mr(&p->in, "anon:2M,name=spare", &e) ||
	    run_spec_add_dma(&p->in, "write,threads=2", &e) ||
	    run_spec_add_stress(&p->in, "truncate", &e) ||
	    run_spec_add_stress(&p->in, "fsync", &e) ||
	    run_spec_set(&p->in, "duration", "3s", &e) ||
	    run_spec_finish(&p->in, NULL, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		free(p);
		return -1;
	}
	*state = p;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static const struct minimize_target target = { FC_DETACHED, "mr0" };

static void drops_each_stressor(void **state)
{
	struct pair *p = *state;
	char what[160];

	assert_int_equal(minimize_candidate(&p->in, &target, MIN_DROP_STRESS, 0,
					    &p->out, what, sizeof(what)),
			 1);
	assert_int_equal(p->out.n_stress, 1);
	assert_string_equal(p->out.stress[0].name, "fsync");
	assert_non_null(strstr(what, "without stressor truncate"));
	assert_int_equal(minimize_candidate(&p->in, &target, MIN_DROP_STRESS, 1,
					    &p->out, what, sizeof(what)),
			 1);
	assert_string_equal(p->out.stress[0].name, "truncate");
	assert_int_equal(minimize_candidate(&p->in, &target, MIN_DROP_STRESS, 2,
					    &p->out, what, sizeof(what)),
			 -1);
	/* The input is left as it was. */
	assert_int_equal(p->in.n_stress, 2);
}

static void keeps_the_last_dma_and_the_target_mr(void **state)
{
	struct pair *p = *state;
	char what[160];

	assert_int_equal(minimize_candidate(&p->in, &target, MIN_DROP_DMA, 0,
					    &p->out, what, sizeof(what)),
			 0);
	/* mr0 is the target; spare is used by nothing and goes. */
	assert_int_equal(minimize_candidate(&p->in, &target, MIN_DROP_MR, 0,
					    &p->out, what, sizeof(what)),
			 0);
	assert_int_equal(minimize_candidate(&p->in, &target, MIN_DROP_MR, 1,
					    &p->out, what, sizeof(what)),
			 1);
	assert_int_equal(p->out.n_mrs, 1);
	assert_string_equal(p->out.mrs[0].name, "mr0");
}

static void halves_down_to_a_floor(void **state)
{
	struct pair *p = *state;
	struct run_spec *cur = malloc(sizeof(*cur));
	char what[160];
	unsigned halvings = 0;

	assert_non_null(cur);
	*cur = p->in;
	while (minimize_candidate(cur, &target, MIN_HALVE_SIZE, 0, &p->out,
				  what, sizeof(what)) == 1) {
		*cur = p->out;
		halvings++;
	}
	/* 1M -> 64K is four halvings; spare (2M) goes on to 64K too. */
	assert_int_equal(cur->mrs[0].size, 64u << 10);
	assert_int_equal(cur->mrs[1].size, 64u << 10);
	assert_int_equal(halvings, 5);
	*cur = p->in;
	halvings = 0;
	while (minimize_candidate(cur, &target, MIN_HALVE_DURATION, 0, &p->out,
				  what, sizeof(what)) == 1) {
		*cur = p->out;
		halvings++;
	}
	assert_true(cur->duration >= 1.0 && cur->duration < 2.0);
	assert_int_equal(halvings, 1);
	free(cur);
}

static void one_thread_only_when_more(void **state)
{
	struct pair *p = *state;
	char what[160];

	assert_int_equal(minimize_candidate(&p->in, &target, MIN_ONE_THREAD, 0,
					    &p->out, what, sizeof(what)),
			 1);
	assert_int_equal(p->out.dmas[0].threads, 1);
	assert_int_equal(minimize_candidate(&p->out, &target, MIN_ONE_THREAD, 0,
					    &p->in, what, sizeof(what)),
			 0);
}

static void keys(struct bundle_scenario_in *w, enum finding_class c,
		 const char *mr, bool expected)
{
	finding_keys_add(w->keys, &w->n_keys, BUNDLE_MAX_KEYS, c, mr, expected);
	w->any_unexpected |= !expected;
}

static void replay_comparison(void **state)
{
	struct bundle_scenario_in want = { 0 };
	struct finding_key got[4];
	unsigned n = 0;
	char missing[128], new_keys[128];

	(void)state;
	keys(&want, FC_DETACHED, "mr0", false);
	keys(&want, FC_POLICY_REFUSED, "mr1", true);
	keys(&want, FC_DETACHED, "mr0", false); /* once per class and MR */
	assert_int_equal(want.n_keys, 2);
	/* The unexpected one back is the same, an expected one not needed. */
	finding_keys_add(got, &n, 4, FC_DETACHED, "mr0", false);
	assert_true(finding_keys_same(&want, got, n, missing, sizeof(missing),
				      new_keys, sizeof(new_keys)));
	/* A new kind besides: still the same bug, and said. */
	finding_keys_add(got, &n, 4, FC_KERNEL_WARNING, "", false);
	assert_true(finding_keys_same(&want, got, n, missing, sizeof(missing),
				      new_keys, sizeof(new_keys)));
	assert_string_equal(new_keys, "kernel-warning");
	/* On another MR: not the same. */
	n = 0;
	finding_keys_add(got, &n, 4, FC_DETACHED, "mr1", false);
	assert_false(finding_keys_same(&want, got, n, missing, sizeof(missing),
				       new_keys, sizeof(new_keys)));
	assert_string_equal(missing, "detached on mr0");
}

static void replay_of_a_clean_run(void **state)
{
	struct bundle_scenario_in want = { 0 };
	struct finding_key got[4];
	unsigned n = 0;
	char missing[128], new_keys[128];

	(void)state;
	keys(&want, FC_DETACHED, "mr0", true);
	finding_keys_add(got, &n, 4, FC_DETACHED, "mr0", true);
	assert_true(finding_keys_same(&want, got, n, missing, sizeof(missing),
				      new_keys, sizeof(new_keys)));
	finding_keys_add(got, &n, 4, FC_TORN, "mr0", false);
	assert_false(finding_keys_same(&want, got, n, missing, sizeof(missing),
				       new_keys, sizeof(new_keys)));
	assert_string_equal(new_keys, "torn on mr0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(drops_each_stressor, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			keeps_the_last_dma_and_the_target_mr, setup, teardown),
		cmocka_unit_test_setup_teardown(halves_down_to_a_floor, setup,
						teardown),
		cmocka_unit_test_setup_teardown(one_thread_only_when_more,
						setup, teardown),
		cmocka_unit_test(replay_comparison),
		cmocka_unit_test(replay_of_a_clean_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
