// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "finding.h"

#define BS 4096

static void class_names_round_trip(void **state)
{
	unsigned seen = 0;

	(void)state;
	for (int i = 0; i < FC_COUNT; i++) {
		const char *name = finding_class_name((enum finding_class)i);
		enum finding_class c = FC_COUNT;

		assert_non_null(name);
		assert_true(strlen(name) > 0);
		assert_string_not_equal(name, "unknown");
		assert_int_equal(finding_class_parse(name, &c), 0);
		assert_int_equal(c, i);
		seen |= 1u << c;
	}
	assert_int_equal(seen, (1u << FC_COUNT) - 1);
	/* Names are unique: a later class would otherwise parse as an earlier. */
	for (int i = 0; i < FC_COUNT; i++)
		for (int j = 0; j < i; j++)
			assert_string_not_equal(
				finding_class_name((enum finding_class)i),
				finding_class_name((enum finding_class)j));
	assert_string_equal(finding_class_name(FC_DETACHED), "detached");
	assert_string_equal(finding_class_name(FC_POLICY_REFUSED),
			    "policy-refused");
	assert_string_equal(finding_class_name(FC_COUNT), "unknown");
}

static void unknown_class_names(void **state)
{
	static const char *const bad[] = {
		"", "unknown", "Detached", "detached ", "detach", "torn,stale"
	};
	enum finding_class c = FC_TORN;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(finding_class_parse(bad[i], &c), -EINVAL);
	assert_int_equal(c, FC_TORN);
}

static void data_classes(void **state)
{
	static const enum finding_class data[] = {
		FC_DETACHED,  FC_ZEROED, FC_STALE,
		FC_MISPLACED, FC_TORN,	 FC_GARBAGE,
	};
	unsigned mask = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(data) / sizeof(data[0]); i++)
		mask |= 1u << data[i];
	for (int i = 0; i < FC_COUNT; i++)
		assert_int_equal(finding_class_is_data((enum finding_class)i),
				 !!(mask & (1u << i)));
}

static struct finding data_finding(enum finding_class cls, const char *mr,
				   const char *view, uint64_t blk, double t)
{
	struct finding f = { .cls = cls, .t = t };

	snprintf(f.mr, sizeof(f.mr), "%s", mr);
	snprintf(f.view, sizeof(f.view), "%s", view);
	snprintf(f.title, sizeof(f.title), "%s block %llu",
		 finding_class_name(cls), (unsigned long long)blk);
	f.offset = blk * BS;
	f.length = f.block_size = BS;
	return f;
}

static void add_marks_expected(void **state)
{
	struct finding_list l;
	struct finding f = data_finding(FC_DETACHED, "mr0", "cpu", 0, 1.0);
	struct finding g = { .cls = FC_COMPLETION_ERROR, .t = 2.0 };
	struct finding h = data_finding(FC_TORN, "mr0", "cpu", 1, 3.0);

	(void)state;
	finding_list_init(&l);
	finding_add(&l, &f);
	finding_add(&l, &g);
	h.blocks = 5;
	finding_add(&l, &h);
	assert_int_equal(l.n, 3);
	/* Nothing is expected until expect_match() judges the run. */
	for (unsigned i = 0; i < 3; i++) {
		assert_false(l.v[i].covered);
		assert_int_equal(l.v[i].covered_by, -1);
	}
	/* A data finding counts one block unless it says otherwise. */
	assert_int_equal(l.v[0].blocks, 1);
	assert_int_equal(l.v[1].blocks, 0);
	assert_int_equal(l.v[2].blocks, 5);
	/* A copy: the caller's struct is not the list's. */
	assert_int_equal(f.blocks, 0);
	assert_string_equal(l.v[0].title, "detached block 0");
	assert_int_equal(finding_list_unexpected(&l), 3);
	finding_list_free(&l);

	/* A mark set in the input does not survive. */
	finding_list_init(&l);
	f.covered = true;
	f.covered_by = 2;
	finding_add(&l, &f);
	assert_false(l.v[0].covered);
	assert_int_equal(l.v[0].covered_by, -1);
	finding_list_free(&l);
}

static void add_grows(void **state)
{
	struct finding_list l;

	(void)state;
	finding_list_init(&l);
	for (unsigned i = 0; i < 1000; i++) {
		struct finding f = data_finding(FC_ZEROED, "mr0", "cpu", i, i);

		finding_add(&l, &f);
	}
	assert_int_equal(l.n, 1000);
	assert_int_equal(l.dropped, 0);
	for (unsigned i = 0; i < 1000; i++)
		assert_int_equal(l.v[i].offset, (uint64_t)i * BS);
	finding_list_free(&l);
}

static void coalesce_merges_adjacent(void **state)
{
	/* Out of order, as threads would add them. */
	static const uint64_t blks[] = { 5, 3, 4 };
	static const double ts[] = { 1.5, 2.0, 0.5 };
	struct finding_list l;

	(void)state;
	finding_list_init(&l);
	for (int i = 0; i < 3; i++) {
		struct finding f =
			data_finding(FC_DETACHED, "mr0", "cpu", blks[i], ts[i]);

		finding_add(&l, &f);
	}
	finding_list_coalesce(&l);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].cls, FC_DETACHED);
	assert_int_equal(l.v[0].offset, 3 * BS);
	assert_int_equal(l.v[0].length, 3 * BS);
	assert_int_equal(l.v[0].blocks, 3);
	assert_int_equal(l.v[0].block_size, BS);
	/* The earliest time of the range. */
	assert_true(l.v[0].t == 0.5);
	assert_string_equal(l.v[0].title,
			    "detached: 3 blocks of mr0 at 0x3000-0x6000 (cpu)");
	finding_list_free(&l);
}

static void coalesce_sums_merged_blocks(void **state)
{
	struct finding_list l;
	struct finding a = data_finding(FC_TORN, "mr0", "pread", 0, 1);
	struct finding b = data_finding(FC_TORN, "mr0", "pread", 2, 1);

	(void)state;
	/* Already merged ranges are merged again by their lengths. */
	a.length = 2 * BS;
	a.blocks = 2;
	b.length = 3 * BS;
	b.blocks = 3;
	finding_list_init(&l);
	finding_add(&l, &b);
	finding_add(&l, &a);
	finding_list_coalesce(&l);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].offset, 0);
	assert_int_equal(l.v[0].length, 5 * BS);
	assert_int_equal(l.v[0].blocks, 5);
	assert_string_equal(l.v[0].title,
			    "torn: 5 blocks of mr0 at 0x0-0x5000 (pread)");
	finding_list_free(&l);
}

static void coalesce_keeps_apart(void **state)
{
	/* Pairs that sort next to each other and must stay two findings. */
	const struct finding pairs[][2] = {
		/* A gap: blocks 0 and 2. */
		{ data_finding(FC_ZEROED, "mr0", "cpu", 0, 1),
		  data_finding(FC_ZEROED, "mr0", "cpu", 2, 1) },
		/* Blocks 0 and 1, other views. */
		{ data_finding(FC_ZEROED, "mr0", "cpu", 0, 1),
		  data_finding(FC_ZEROED, "mr0", "pread", 1, 1) },
		/* Blocks 0 and 1, other classes. */
		{ data_finding(FC_ZEROED, "mr0", "cpu", 0, 1),
		  data_finding(FC_STALE, "mr0", "cpu", 1, 1) },
		/* Blocks 0 and 1, other MRs. */
		{ data_finding(FC_ZEROED, "mr0", "cpu", 0, 1),
		  data_finding(FC_ZEROED, "mr1", "cpu", 1, 1) },
		/* The same block twice is not a range. */
		{ data_finding(FC_TORN, "mr0", "cpu", 1, 1),
		  data_finding(FC_TORN, "mr0", "cpu", 1, 2) },
	};
	struct finding_list l;

	(void)state;
	for (size_t p = 0; p < sizeof(pairs) / sizeof(pairs[0]); p++) {
		finding_list_init(&l);
		finding_add(&l, &pairs[p][1]);
		finding_add(&l, &pairs[p][0]);
		finding_list_coalesce(&l);
		if (l.n != 2)
			fail_msg("pair %zu: %zu findings after coalescing", p,
				 l.n);
		for (size_t i = 0; i < l.n; i++) {
			assert_int_equal(l.v[i].blocks, 1);
			assert_int_equal(l.v[i].length, BS);
			/* A single block keeps the title it came with. */
			assert_non_null(strstr(l.v[i].title, " block "));
		}
		/* Sorted by place: the lower offset first. */
		assert_true(l.v[0].offset <= l.v[1].offset);
		finding_list_free(&l);
	}
}

static void coalesce_never_merges_non_data(void **state)
{
	struct finding_list l;
	struct finding f = { .cls = FC_COMPLETION_ERROR, .length = BS };

	(void)state;
	finding_list_init(&l);
	snprintf(f.mr, sizeof(f.mr), "mr0");
	snprintf(f.title, sizeof(f.title), "completion error");
	/* Laid out as if adjacent: 0x0+0x1000, 0x1000+0x1000. */
	for (unsigned i = 0; i < 3; i++) {
		f.offset = (uint64_t)i * BS;
		f.t = i;
		finding_add(&l, &f);
	}
	f.cls = FC_POLICY_REFUSED;
	f.offset = 0;
	f.length = 0;
	finding_add(&l, &f);
	finding_add(&l, &f);
	finding_list_coalesce(&l);
	assert_int_equal(l.n, 5);
	for (size_t i = 0; i < l.n; i++) {
		assert_int_equal(l.v[i].blocks, 0);
		assert_string_equal(l.v[i].title, "completion error");
	}
	finding_list_free(&l);
}

static void coalesce_orders(void **state)
{
	struct finding_list l;
	struct finding d = data_finding(FC_GARBAGE, "mr0", "rdma-read", 7, 0.1);
	struct finding z = data_finding(FC_DETACHED, "mr0", "cpu", 9, 0.2);
	struct finding h = { .cls = FC_HANG, .t = 5 };
	struct finding p = { .cls = FC_POLICY_REFUSED, .t = 9 };

	(void)state;
	finding_list_init(&l);
	finding_add(&l, &d);
	finding_add(&l, &h);
	finding_add(&l, &z);
	finding_add(&l, &p);
	finding_list_coalesce(&l);
	assert_int_equal(l.n, 4);
	/* Findings that are not about data first, then by class. */
	assert_int_equal(l.v[0].cls, FC_POLICY_REFUSED);
	assert_int_equal(l.v[1].cls, FC_HANG);
	assert_int_equal(l.v[2].cls, FC_DETACHED);
	assert_int_equal(l.v[3].cls, FC_GARBAGE);
	finding_list_free(&l);

	/* An empty list stays empty. */
	finding_list_init(&l);
	finding_list_coalesce(&l);
	assert_int_equal(l.n, 0);
	finding_list_free(&l);
}

static void coalesce_counts_unexpected(void **state)
{
	struct finding_list l;

	(void)state;
	finding_list_init(&l);
	for (unsigned i = 0; i < 4; i++) {
		struct finding f =
			data_finding(FC_DETACHED, "mr0", "cpu", i, 1);
		struct finding g = data_finding(FC_ZEROED, "mr0", "cpu", i, 1);

		finding_add(&l, &f);
		finding_add(&l, &g);
	}
	assert_int_equal(finding_list_unexpected(&l), 8);
	finding_list_coalesce(&l);
	assert_int_equal(l.n, 2);
	assert_int_equal(finding_list_unexpected(&l), 2);
	finding_list_free(&l);
}

static void unexpected_counts(void **state)
{
	struct finding_list l;
	struct finding f = { .cls = FC_KERNEL_WARNING };

	(void)state;
	finding_list_init(&l);
	assert_int_equal(finding_list_unexpected(&l), 0);
	finding_add(&l, &f);
	f.cls = FC_TAINT;
	finding_add(&l, &f);
	assert_int_equal(finding_list_unexpected(&l), 2);
	/* As expect_match() marks them. */
	l.v[0].covered = l.v[1].covered = true;
	assert_int_equal(finding_list_unexpected(&l), 0);
	f.cls = FC_KERNEL_BUG;
	finding_add(&l, &f);
	assert_int_equal(finding_list_unexpected(&l), 1);
	f.cls = FC_HARNESS_ERROR;
	finding_add(&l, &f);
	assert_int_equal(finding_list_unexpected(&l), 2);
	/* What could not be stored still counts against the run. */
	l.dropped = 3;
	assert_int_equal(finding_list_unexpected(&l), 5);
	finding_list_free(&l);
}

static char *dump_of(const char *indent, const uint8_t *buf, size_t len,
		     uint64_t base)
{
	char *out = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);

	assert_non_null(f);
	hexdump(f, indent, buf, len, base);
	assert_int_equal(fclose(f), 0);
	assert_non_null(out);
	return out;
}

static void hexdump_format(void **state)
{
	static const uint8_t buf[20] = { 'M', 'R',  's',  't',	'r', 'e', 's',
					 's', ' ',  'b',  'l',	'o', 'c', 'k',
					 '!', '\n', 0x00, 0x7f, 'x', 0xff };
	char *out;

	(void)state;
	out = dump_of("  ", buf, sizeof(buf), 0x40);
	assert_string_equal(
		out,
		"  00000040  4d 52 73 74 72 65 73 73 20 62 6c 6f 63 6b 21 0a  |MRstress block!.|\n"
		"  00000050  00 7f 78 ff                                      |..x.|\n");
	free(out);

	/* No indent, a base past 32 bits, exactly one line. */
	out = dump_of("", buf, 16, 0x123456780ull);
	assert_string_equal(
		out,
		"123456780  4d 52 73 74 72 65 73 73 20 62 6c 6f 63 6b 21 0a  |MRstress block!.|\n");
	free(out);

	/* Nothing to dump: no output. */
	out = dump_of("  ", buf, 0, 0);
	assert_string_equal(out, "");
	free(out);
}

static void hexdump_to_fmemopen(void **state)
{
	static const uint8_t buf[3] = { 0x01, 'A', 0x80 };
	char out[128];
	FILE *f;

	(void)state;
	memset(out, 0, sizeof(out));
	f = fmemopen(out, sizeof(out) - 1, "w");
	assert_non_null(f);
	hexdump(f, "> ", buf, sizeof(buf), 0);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(
		out,
		"> 00000000  01 41 80                                         |.A.|\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(class_names_round_trip),
		cmocka_unit_test(unknown_class_names),
		cmocka_unit_test(data_classes),
		cmocka_unit_test(add_marks_expected),
		cmocka_unit_test(add_grows),
		cmocka_unit_test(coalesce_merges_adjacent),
		cmocka_unit_test(coalesce_sums_merged_blocks),
		cmocka_unit_test(coalesce_keeps_apart),
		cmocka_unit_test(coalesce_never_merges_non_data),
		cmocka_unit_test(coalesce_orders),
		cmocka_unit_test(coalesce_counts_unexpected),
		cmocka_unit_test(unexpected_counts),
		cmocka_unit_test(hexdump_format),
		cmocka_unit_test(hexdump_to_fmemopen),
	};

	return cmocka_run_group_tests_name("finding", tests, NULL, NULL);
}
