// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The KTAP reporter's output for every shape a plan can end in passes a
 * KTAP version 1 checker (ktap_check.c), and says what happened; the
 * checker itself rejects broken KTAP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "ktap_check.h"
#include "report_fixture.h"

static const struct reporter *ktap(void)
{
	const struct reporter *r = reporter_find("ktap");

	assert_non_null(r);
	return r;
}

/* The output of the ktap reporter for case c, checked; r its counts. */
static char *ktap_of(enum report_case c, struct ktap_result *r)
{
	struct report_fixture *f = report_fixture_new(c);
	char *out = report_stream(ktap(), &f->in);
	char err[256];

	report_fixture_free(f);
	if (ktap_check(out, r, err, sizeof(err)))
		fail_msg("%s: %s in:\n%s", report_case_name(c), err, out);
	return out;
}

static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *l = text; l && *l;
	     l = strchr(l, '\n'), l = l ? l + 1 : l)
		if (!strncmp(l, line, n) && (l[n] == '\n' || !l[n]))
			return true;
	return false;
}

#define assert_line(text, line)                                       \
	do {                                                          \
		if (!has_line(text, line))                            \
			fail_msg("no line '%s' in:\n%s", line, text); \
	} while (0)

static void passed(void **state)
{
	struct ktap_result r;
	char *out = ktap_of(RC_PASSED, &r);

	(void)state;
	assert_int_equal(r.planned, 1);
	assert_int_equal(r.ok, 1);
	assert_int_equal(r.not_ok + r.skipped, 0);
	assert_true(!strncmp(out, "KTAP version 1\n1..1\n", 20));
	assert_line(out, "ok 1 clean");
	assert_line(out, "# findings: 0 (0 unexpected)");
	assert_line(out,
		    "# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0");
	free(out);
}

static void findings(void **state)
{
	struct ktap_result r;
	char *out = ktap_of(RC_FINDINGS, &r);

	(void)state;
	assert_int_equal(r.planned, 2);
	assert_int_equal(r.ok, 1);
	assert_int_equal(r.not_ok, 1);
	/* '#' and the newline of the name are gone from the test line. */
	assert_line(out, "not ok 2 trunc _ ate_now");
	assert_line(
		out,
		"# finding: detached UNEXPECTED: detached: file tmpfs 4M <&>");
	assert_line(
		out,
		"# finding: policy-refused expected: policy-refused: reg_mr EFAULT");
	/* The kernel's text is there, its control characters made '?'. */
	assert_non_null(strstr(out, "x]]> <&\"'??[0m? end\n"));
	assert_line(out,
		    "# Totals: pass:1 fail:1 xfail:0 xpass:0 skip:0 error:0");
	free(out);
}

static void skipped(void **state)
{
	struct ktap_result r;
	char *out = ktap_of(RC_SKIP, &r);

	(void)state;
	assert_int_equal(r.skipped, 1);
	assert_int_equal(r.ok, 1);
	assert_line(out, "ok 1 command-line # SKIP no RDMA device found");
	free(out);
}

static void errors(void **state)
{
	struct ktap_result r;
	char *out = ktap_of(RC_ERRORS, &r);

	(void)state;
	assert_int_equal(r.not_ok, 2);
	assert_line(out, "# error: ibv_create_cq: Cannot allocate memory?");
	assert_line(out, "not ok 1 harness");
	assert_line(out, "# error: u.scn: bs must divide the size");
	assert_line(out, "not ok 2 usage");
	assert_line(out,
		    "# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:0 error:2");
	free(out);
}

static void interrupted(void **state)
{
	struct ktap_result r;
	char *out = ktap_of(RC_INTERRUPTED, &r);

	(void)state;
	assert_int_equal(r.planned, 3);
	assert_int_equal(r.tests, 3);
	assert_int_equal(r.skipped, 2);
	assert_line(out, "ok 1 one");
	assert_line(out, "ok 2 two # SKIP not run: interrupted by SIGTERM");
	assert_line(out, "ok 3 three # SKIP not run: interrupted by SIGTERM");
	assert_line(out, "# ran 4.2 s of 4.0 s (interrupted)");
	free(out);
}

/* The checker accepts what the KTAP spec allows... */
static void checker_accepts(void **state)
{
	static const char *const good[] = {
		"KTAP version 1\n1..0\n",
		"KTAP version 1\n# a\n#\n1..2\nok 1\nnot ok 2 b # TODO later\n",
		"KTAP version 1\n1..1\n    KTAP version 1\n    1..1\n    ok 1 sub\nok 1 t\n",
		"KTAP version 1\n1..3\nok 1 a\nBail out! no device\n",
		"KTAP version 1\n1..1\nok 1 a b c # SKIP why # not\n",
	};
	struct ktap_result r;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (ktap_check(good[i], &r, err, sizeof(err)))
			fail_msg("rejected %zu: %s", i, err);
}

/* ... and rejects what it does not, saying where. */
static void checker_rejects(void **state)
{
	static const char *const broken[][2] = {
		{ "1..1\nok 1 a\n",
		  "line 1: 'KTAP version 1' must come first" },
		{ "TAP version 13\n1..1\nok 1 a\n", "line 1:" },
		{ "KTAP version 1\nok 1 a\n1..1\n",
		  "line 2: a test line before the plan" },
		{ "KTAP version 1\n1..2\nok 2 a\nok 1 b\n",
		  "line 3: test 2 where 1 was due" },
		{ "KTAP version 1\n1..2\nok 1 a\n",
		  "1 tests where the plan said 2" },
		{ "KTAP version 1\n1..1\nok 1 a\nok 2 b\n",
		  "line 4: test 2 beyond the plan" },
		{ "KTAP version 1\n1..1\nok 1 a # FOO\n",
		  "line 3: unknown directive 'FOO'" },
		{ "KTAP version 1\n1..1\nok 1 a#b\n",
		  "line 3: '#' outside a directive" },
		{ "KTAP version 1\n1..1\nstatus: x\nok 1 a\n",
		  "line 3: not a KTAP line" },
		{ "KTAP version 1\n1..1\n\nok 1 a\n", "line 3: an empty line" },
		{ "KTAP version 1\n1..1\nok a\n", "line 3: no test number" },
		{ "KTAP version 1\n1..1\nok 01 a\n", "line 3: no test number" },
		{ "KTAP version 1\n1..1\nok 1a\n",
		  "line 3: the test number must end" },
		{ "KTAP version 1\n1..1\n1..1\nok 1\n",
		  "line 3: a second plan" },
		{ "KTAP version 1\n1..x\n", "line 2: the plan is not 1..N" },
		{ "KTAP version 1\n1..1\n#diag\nok 1\n",
		  "line 3: not a KTAP line" },
		{ "KTAP version 1\n1..1\n# \x1b[K\nok 1\n",
		  "line 3: control character 0x1b" },
		{ "KTAP version 1\n1..1\nok 1", "does not end in a newline" },
		{ "KTAP version 1\n", "no plan" },
	};
	struct ktap_result r;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		if (!ktap_check(broken[i][0], &r, err, sizeof(err)))
			fail_msg("accepted broken KTAP %zu:\n%s", i,
				 broken[i][0]);
		if (!strstr(err, broken[i][1]))
			fail_msg("case %zu: '%s' does not say '%s'", i, err,
				 broken[i][1]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(passed),
		cmocka_unit_test(findings),
		cmocka_unit_test(skipped),
		cmocka_unit_test(errors),
		cmocka_unit_test(interrupted),
		cmocka_unit_test(checker_accepts),
		cmocka_unit_test(checker_rejects),
	};

	return cmocka_run_group_tests_name("report_ktap", tests, NULL, NULL);
}
