// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "expect.h"
#include "machine.h"

static void kernel_releases(void **state)
{
	static const struct {
		const char *release;
		unsigned n, part[3];
	} cases[] = {
		{ "6.12.117+deb13-amd64", 3, { 6, 12, 117 } },
		{ "6.1.0-56-amd64", 3, { 6, 1, 0 } },
		{ "7.3.4+deb13-amd64", 3, { 7, 3, 4 } },
		{ "6.15-rc2", 2, { 6, 15, 0 } },
		{ "6.5", 2, { 6, 5, 0 } },
		{ "6", 1, { 6, 0, 0 } },
		{ "5.10.0.1", 3, { 5, 10, 0 } },
		{ "6.9.", 2, { 6, 9, 0 } },
	};
	struct kernel_version v;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(kernel_version_parse(cases[i].release, &v), 0);
		assert_int_equal(v.n, cases[i].n);
		for (unsigned k = 0; k < 3; k++)
			assert_int_equal(v.part[k], cases[i].part[k]);
	}
	assert_int_equal(kernel_version_parse("linux-6.1", &v), -EINVAL);
	assert_int_equal(kernel_version_parse("", &v), -EINVAL);
}

/* parse, format, parse again: the same text and the same data. */
static void canonical(const char *cls, const char *text, const char *want)
{
	struct expectation x, y;
	struct mrs_err e = { 0 };
	char buf[512];

	if (expect_parse(&x, cls, text, &e))
		fail_msg("'%s': %s", text, e.msg);
	expect_format(&x, buf, sizeof(buf));
	if (strcmp(buf, want))
		fail_msg("'%s' formats as '%s', want '%s'", text, buf, want);
	assert_int_equal(expect_parse(&y, cls, buf, &e), 0);
	assert_memory_equal(&x, &y, sizeof(x));
}

static void valid_forms(void **state)
{
	(void)state;
	canonical("detached", "", "must always");
	canonical("detached", "must", "must always");
	canonical("detached", "may", "may always");
	canonical("detached", "always", "must always");
	canonical("detached", "  may   always ", "may always");
	canonical("detached", "kernel<6.5", "must kernel < 6.5");
	canonical("detached", "must kernel <= 6.12.3", "must kernel <= 6.12.3");
	canonical("zeroed", "may kernel>6 && kernel!=7.3",
		  "may kernel > 6 && kernel != 7.3");
	canonical("policy-refused", "kernel >= 6.5&&backing==file&&fs!=tmpfs",
		  "must kernel >= 6.5 && backing == file && fs != tmpfs");
	canonical("hang", "odp && !numa && ! root && thp && !hugetlb",
		  "must odp && !numa && !root && thp && !hugetlb");
	canonical("torn", "may mr == file-ext4 && kernel == 6.1",
		  "may mr == file-ext4 && kernel == 6.1");
	canonical("policy-refused", "access==odp&&errno!=EOPNOTSUPP",
		  "must access == odp && errno != EOPNOTSUPP");
}

static void parse_error(const char *cls, const char *text, const char *want)
{
	struct expectation x;
	struct mrs_err e = { 0 };

	if (expect_parse(&x, cls, text, &e) != -EINVAL)
		fail_msg("'%s = %s' was taken", cls, text);
	if (!strstr(e.msg, want))
		fail_msg("'%s = %s': '%s' lacks '%s'", cls, text, e.msg, want);
}

static void bad_forms(void **state)
{
	(void)state;
	parse_error("melted", "may", "unknown finding class 'melted'");
	parse_error("detached", "kernel ~ 6.5", "want an operator");
	parse_error("detached", "kernel 6.5", "want an operator");
	parse_error("detached", "kernel >= 6.x",
		    "bad kernel version '6.x' in 'kernel >= 6.x'");
	parse_error("detached", "kernel >= 6.5.1.2", "bad kernel version");
	parse_error("detached", "kernel >= ", "bad kernel version ''");
	parse_error("detached", "kernel >= -6", "bad kernel version");
	parse_error("detached", "kernel >= 6..5", "bad kernel version");
	parse_error("detached", "kernel >= 999999", "bad kernel version");
	parse_error("detached", "gpu", "unknown capability 'gpu'");
	parse_error("detached", "!always", "unknown capability 'always'");
	parse_error("detached", "fs < ext4", "fs compares with == or != only");
	parse_error("detached", "fs == ", "want a name");
	parse_error("detached", "fs == a b", "want a name");
	parse_error("detached", "backing == floppy",
		    "unknown backing 'floppy'");
	parse_error("detached", "colour == red",
		    "unknown term 'colour == red'");
	parse_error("detached", "access == rx", "unknown access 'rx'");
	parse_error("detached", "access >= rw", "access compares with ==");
	parse_error("policy-refused", "errno == EFALT",
		    "unknown errno name 'EFALT'");
	parse_error("policy-refused", "errno == efault", "unknown errno name");
	parse_error("detached", "must && odp", "an empty term");
	parse_error("detached", "odp &&", "an empty term");
	parse_error("detached", "always && odp", "'always' among others");
	parse_error("detached", "must must", "unknown capability 'must'");
	parse_error("detached", "maybe", "unknown capability 'maybe'");
	parse_error(
		"detached",
		"odp && odp && odp && odp && odp && odp && odp && odp && odp",
		"more than 8 terms");
}

static struct expectation x_of(const char *cls, const char *text)
{
	struct expectation x;
	struct mrs_err e = { 0 };

	if (expect_parse(&x, cls, text, &e))
		fail_msg("%s", e.msg);
	return x;
}

/* A list from "class = text" pairs, lines numbered from 10. */
static void list_of(struct expect_list *l, const char *const *pairs)
{
	memset(l, 0, sizeof(*l));
	for (; pairs[0]; pairs += 2) {
		l->v[l->n] = x_of(pairs[0], pairs[1]);
		l->v[l->n].line = 10 + l->n;
		l->n++;
	}
}

static struct expect_env env_of(const char *release)
{
	struct expect_env env = { 0 };

	assert_int_equal(kernel_version_parse(release, &env.kernel), 0);
	return env;
}

static struct finding finding_of(enum finding_class c, const char *mr)
{
	struct finding f = { .cls = c, .covered = true, .covered_by = 7 };

	snprintf(f.mr, sizeof(f.mr), "%s", mr);
	return f;
}

static const struct expect_mr run_mrs[] = {
	{ .name = "anon", .fs = "", .backing = "anon", .access = "rw" },
	{ .name = "file-ext4",
	  .fs = "ext4",
	  .backing = "file",
	  .access = "rw+atomic" },
	{ .name = "file-tmpfs",
	  .fs = "tmpfs",
	  .backing = "file",
	  .access = "odp" },
};

#define N_RUN_MRS 3

static void kernel_version_terms(void **state)
{
	static const struct {
		const char *cond, *release;
		bool holds;
	} cases[] = {
		{ "kernel < 6.5", "6.1.0-56-amd64", true },
		{ "kernel < 6.5", "6.5.0", false },
		{ "kernel < 6.5", "6.12.117+deb13-amd64", false },
		{ "kernel >= 6.5", "6.12.117+deb13-amd64", true },
		{ "kernel >= 6.5", "6.5.7", true },
		{ "kernel >= 6.12.3", "6.12.117+deb13-amd64", true },
		{ "kernel >= 6.12.200", "6.12.117+deb13-amd64", false },
		/* Over the parts the expectation gives. */
		{ "kernel == 6.12", "6.12.117+deb13-amd64", true },
		{ "kernel != 6.12", "6.12.117+deb13-amd64", false },
		{ "kernel > 6.5", "6.5.7", false },
		{ "kernel > 6.5", "6.6.1", true },
		{ "kernel <= 6.5", "6.5.7", true },
		{ "kernel == 7", "7.3.4+deb13-amd64", true },
		{ "kernel >= 6.15", "7.3.4+deb13-amd64", true },
		{ "kernel < 6.15", "6.9", true },
		/* Numbers, not text: 6.9 < 6.12. */
		{ "kernel < 6.12", "6.9.1", true },
		{ "kernel >= 6.5 && kernel < 6.12", "6.9.1", true },
		{ "kernel >= 6.5 && kernel < 6.12", "6.12.0", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct expect_list l;
		struct expect_env env = env_of(cases[i].release);
		struct expect_mark marks[EXPECT_MAX];
		const char *const pairs[] = { "detached", cases[i].cond, NULL };

		list_of(&l, pairs);
		expect_match(&l, &env, run_mrs, N_RUN_MRS, NULL, 0, marks);
		if (marks[0].applied != cases[i].holds)
			fail_msg("'%s' on %s: %d, want %d", cases[i].cond,
				 cases[i].release, marks[0].applied,
				 cases[i].holds);
	}
}

static void capability_terms(void **state)
{
	const char *const pairs[] = { "hang", "odp",	      "hang", "!odp",
				      "hang", "numa && root", "hang", "!thp",
				      "hang", "hugetlb",      NULL };
	struct expect_env env = env_of("6.12.1");
	struct expect_mark marks[EXPECT_MAX];
	struct expect_list l;

	(void)state;
	list_of(&l, pairs);
	env.cap[CAP_NUMA] = env.cap[CAP_ROOT] = env.cap[CAP_THP] = true;
	expect_match(&l, &env, run_mrs, N_RUN_MRS, NULL, 0, marks);
	assert_false(marks[0].applied);
	assert_true(marks[1].applied);
	assert_true(marks[2].applied);
	assert_false(marks[3].applied);
	assert_false(marks[4].applied);
	env.cap[CAP_ODP] = env.cap[CAP_HUGETLB] = true;
	env.cap[CAP_ROOT] = env.cap[CAP_THP] = false;
	expect_match(&l, &env, run_mrs, N_RUN_MRS, NULL, 0, marks);
	assert_true(marks[0].applied);
	assert_false(marks[1].applied);
	assert_false(marks[2].applied);
	assert_true(marks[3].applied);
	assert_true(marks[4].applied);
	for (int c = 0; c < CAP_COUNT; c++)
		assert_string_not_equal(expect_cap_name((enum expect_cap)c),
					"unknown");
}

static void per_finding_terms(void **state)
{
	const char *const pairs[] = {
		"policy-refused",
		"must kernel >= 6.5 && backing == file && fs != tmpfs",
		"detached",
		"may fs == tmpfs",
		"detached",
		"may mr == anon",
		"zeroed",
		"must fs == btrfs",
		NULL,
	};
	struct finding f[] = {
		finding_of(FC_POLICY_REFUSED, "file-ext4"),
		finding_of(FC_POLICY_REFUSED, "file-tmpfs"),
		finding_of(FC_DETACHED, "file-tmpfs"),
		finding_of(FC_DETACHED, "file-ext4"),
		finding_of(FC_DETACHED, "anon"),
		finding_of(FC_DETACHED, ""), /* about no MR */
	};
	struct expect_env env = env_of("6.12.117+deb13-amd64");
	struct expect_mark marks[EXPECT_MAX];
	struct expect_list l;
	unsigned unmet;

	(void)state;
	list_of(&l, pairs);
	unmet = expect_match(&l, &env, run_mrs, N_RUN_MRS, f, 6, marks);
	/* fs == btrfs: no MR of the run is on btrfs, so it does not apply. */
	assert_false(marks[3].applied);
	assert_int_equal(unmet, 0);
	assert_true(marks[0].applied);
	assert_int_equal(marks[0].matched, 1);
	assert_true(f[0].covered);
	assert_int_equal(f[0].covered_by, 0);
	assert_false(f[1].covered); /* tmpfs is not refused */
	assert_int_equal(f[1].covered_by, -1);
	/* Lines of one class are ORed: each covers its own. */
	assert_true(f[2].covered);
	assert_int_equal(f[2].covered_by, 1);
	assert_false(f[3].covered);
	assert_true(f[4].covered);
	assert_int_equal(f[4].covered_by, 2);
	/* A finding about no MR meets no per-finding term. */
	assert_false(f[5].covered);
	assert_int_equal(marks[1].matched, 1);
	assert_int_equal(marks[2].matched, 1);
}

static struct finding refusal(const char *mr, int err)
{
	struct finding f = finding_of(FC_POLICY_REFUSED, mr);

	f.err = err;
	return f;
}

static void access_and_errno_terms(void **state)
{
	const char *const pairs[] = {
		"policy-refused",
		"must access == rw && errno == EFAULT",
		"policy-refused",
		"may access == odp && errno != EFAULT",
		"policy-refused",
		"must access == ro",
		"detached",
		"may access != odp && errno == EFAULT",
		NULL,
	};
	struct finding f[] = {
		refusal("file-ext4", EFAULT), /* rw+atomic: rw is one word */
		refusal("file-tmpfs", EOPNOTSUPP),
		refusal("file-tmpfs", EFAULT), /* odp, but EFAULT */
		refusal("anon", EINVAL), /* rw, but not EFAULT */
		finding_of(FC_DETACHED, "anon"), /* no errno: "" */
	};
	struct expect_env env = env_of("6.12.1");
	struct expect_mark marks[EXPECT_MAX];
	struct expect_list l;

	(void)state;
	list_of(&l, pairs);
	/* No MR is ro, so the must on ro does not apply. */
	assert_int_equal(
		expect_match(&l, &env, run_mrs, N_RUN_MRS, f, 5, marks), 0);
	assert_false(marks[2].applied);
	assert_int_equal(f[0].covered_by, 0);
	assert_int_equal(f[1].covered_by, 1);
	assert_false(f[2].covered);
	assert_false(f[3].covered);
	assert_false(f[4].covered);
	assert_int_equal(marks[0].matched, 1);
	assert_int_equal(marks[1].matched, 1);
	/* errno terms do not decide whether a must applies; findings do. */
	assert_int_equal(
		expect_match(&l, &env, run_mrs, N_RUN_MRS, f + 1, 3, marks), 1);
	assert_true(expect_unmet(&l.v[0], &marks[0]));
}

static void each_mr(void **state)
{
	const char *const pairs[] = {
		"policy-refused",
		"each backing == file && errno == EFAULT",
		"detached",
		"each access == odp",
		"zeroed",
		"each fs == btrfs",
		NULL,
	};
	struct finding f[] = {
		refusal("file-ext4", EFAULT),
		refusal("file-tmpfs", EOPNOTSUPP), /* not EFAULT */
		finding_of(FC_DETACHED, "file-tmpfs"),
	};
	struct expect_env env = env_of("6.12.1");
	struct expect_mark marks[EXPECT_MAX];
	struct expect_list l;
	struct expectation x;
	struct mrs_err e = { 0 };

	(void)state;
	list_of(&l, pairs);
	/* file-tmpfs has a refusal, but not with EFAULT: one MR missing. */
	assert_int_equal(
		expect_match(&l, &env, run_mrs, N_RUN_MRS, f, 3, marks), 1);
	assert_true(expect_unmet(&l.v[0], &marks[0]));
	assert_int_equal(marks[0].n_missing, 1);
	assert_string_equal(marks[0].missing[0], "file-tmpfs");
	assert_int_equal(marks[0].matched, 1);
	assert_false(f[1].covered);
	/* The one odp MR has its finding; no MR on btrfs: does not apply. */
	assert_false(expect_unmet(&l.v[1], &marks[1]));
	assert_false(marks[2].applied);
	assert_false(expect_unmet(&l.v[2], &marks[2]));
	/* Both file MRs refused with EFAULT: met. */
	f[1].err = EFAULT;
	assert_int_equal(
		expect_match(&l, &env, run_mrs, N_RUN_MRS, f, 3, marks), 0);
	assert_int_equal(marks[0].n_missing, 0);
	canonical("policy-refused", "each  mr==a", "each mr == a");
	assert_int_equal(expect_parse(&x, "hang", "each kernel > 6", &e),
			 -EINVAL);
	assert_non_null(strstr(e.msg, "'each' is about MRs"));
}

static void must_and_may(void **state)
{
	const char *const pairs[] = {
		"detached",
		"must kernel < 6.5",
		"policy-refused",
		"must kernel >= 6.5 && mr == file-ext4",
		"zeroed",
		"may always",
		"torn",
		"must mr == file-tmpfs",
		NULL,
	};
	struct finding f[] = {
		finding_of(FC_POLICY_REFUSED, "file-ext4"),
		finding_of(FC_TORN, "file-tmpfs"),
		finding_of(FC_TORN, "file-tmpfs"),
		finding_of(FC_GARBAGE, "anon"),
	};
	struct expect_env env = env_of("6.12.117");
	struct expect_mark marks[EXPECT_MAX];
	struct expect_list l;

	(void)state;
	list_of(&l, pairs);
	/* 6.12: detached does not apply; every must that applies is met. */
	assert_int_equal(
		expect_match(&l, &env, run_mrs, N_RUN_MRS, f, 4, marks), 0);
	assert_false(marks[0].applied);
	assert_false(expect_unmet(&l.v[0], &marks[0]));
	assert_int_equal(marks[1].matched, 1);
	assert_int_equal(marks[3].matched, 2);
	/* may: applies, matched nothing, still met. */
	assert_true(marks[2].applied);
	assert_int_equal(marks[2].matched, 0);
	assert_false(expect_unmet(&l.v[2], &marks[2]));
	/* garbage is covered by nothing. */
	assert_false(f[3].covered);

	/* 6.1: detached applies and is not seen; policy-refused neither. */
	env = env_of("6.1.0-56-amd64");
	assert_int_equal(
		expect_match(&l, &env, run_mrs, N_RUN_MRS, f, 4, marks), 1);
	assert_true(expect_unmet(&l.v[0], &marks[0]));
	assert_false(marks[1].applied);
	/* Not applying, it covers nothing: the refusal is unexpected. */
	assert_false(f[0].covered);
	assert_true(f[1].covered);

	/* Without the MR it names, a must does not apply. */
	assert_int_equal(expect_match(&l, &env, run_mrs, 1, f, 0, marks), 1);
	assert_false(marks[3].applied);
}

static void first_covering_line_wins(void **state)
{
	const char *const pairs[] = { "stale", "may kernel < 6",
				      "stale", "must fs == ext4",
				      "stale", "may",
				      NULL };
	struct finding f[] = { finding_of(FC_STALE, "file-ext4"),
			       finding_of(FC_STALE, "anon") };
	struct expect_env env = env_of("6.1.0");
	struct expect_mark marks[EXPECT_MAX];
	struct expect_list l;

	(void)state;
	list_of(&l, pairs);
	assert_int_equal(
		expect_match(&l, &env, run_mrs, N_RUN_MRS, f, 2, marks), 0);
	assert_int_equal(f[0].covered_by, 1);
	assert_int_equal(f[1].covered_by, 2);
	/* Every line that covers a finding counts it. */
	assert_int_equal(marks[0].matched, 0);
	assert_int_equal(marks[1].matched, 1);
	assert_int_equal(marks[2].matched, 2);
	assert_int_equal(l.v[1].line, 11);
}

static void add_may(void **state)
{
	struct expect_list l = { 0 };
	struct mrs_err e = { 0 };
	char buf[64];

	(void)state;
	assert_int_equal(expect_add_may(&l, FC_HANG, &e), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(expect_format(&l.v[0], buf, sizeof(buf)),
			    "may always");
	assert_int_equal(l.v[0].line, 0);
	for (unsigned i = 1; i < EXPECT_MAX; i++)
		assert_int_equal(expect_add_may(&l, FC_HANG, &e), 0);
	assert_int_equal(expect_add_may(&l, FC_HANG, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "at most 32"));
}

static void required_capabilities(void **state)
{
	bool caps[CAP_COUNT];
	struct mrs_err e = { 0 };
	char buf[64];

	(void)state;
	assert_int_equal(expect_caps_parse("none", caps, &e), 0);
	assert_string_equal(expect_caps_format(caps, buf, sizeof(buf)), "none");
	assert_int_equal(expect_caps_parse("hugetlb, odp+numa", caps, &e), 0);
	assert_string_equal(expect_caps_format(caps, buf, sizeof(buf)),
			    "odp,numa,hugetlb");
	assert_int_equal(expect_caps_parse("odp,", caps, &e), 0);
	assert_true(caps[CAP_ODP]);
	assert_int_equal(expect_caps_parse("odp,kvm", caps, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "unknown capability 'kvm'"));
	for (int c = 0; c < CAP_COUNT; c++)
		assert_string_not_equal(expect_cap_lack((enum expect_cap)c),
					"unknown");
}

static void machine_parsers(void **state)
{
	(void)state;
	assert_int_equal(node_list_count("0"), 1);
	assert_int_equal(node_list_count("0-1"), 2);
	assert_int_equal(node_list_count("0-1,3"), 3);
	assert_int_equal(node_list_count("0,2-5"), 5);
	assert_int_equal(node_list_count(""), 0);
	assert_true(thp_mode_enabled("always [madvise] never"));
	assert_true(thp_mode_enabled("[always] madvise never"));
	assert_false(thp_mode_enabled("always madvise [never]"));
	assert_false(thp_mode_enabled(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kernel_releases),
		cmocka_unit_test(valid_forms),
		cmocka_unit_test(bad_forms),
		cmocka_unit_test(kernel_version_terms),
		cmocka_unit_test(capability_terms),
		cmocka_unit_test(per_finding_terms),
		cmocka_unit_test(access_and_errno_terms),
		cmocka_unit_test(each_mr),
		cmocka_unit_test(must_and_may),
		cmocka_unit_test(first_covering_line_wins),
		cmocka_unit_test(add_may),
		cmocka_unit_test(required_capabilities),
		cmocka_unit_test(machine_parsers),
	};

	return cmocka_run_group_tests_name("expect", tests, NULL, NULL);
}
