// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>

#include "unit.h"
#include "smaps.h"

/* Three mappings as a 6.1 kernel prints them, the middle one a THP area. */
static const char smaps_text[] =
	"55d0c0a00000-55d0c0a21000 rw-p 00000000 00:00 0                          [heap]\n"
	"Size:                132 kB\n"
	"Rss:                   8 kB\n"
	"AnonHugePages:         0 kB\n"
	"VmFlags: rd wr mr mw me ac sd\n"
	"7f3a40000000-7f3a40800000 rw-p 00000000 00:00 0 \n"
	"Size:               8192 kB\n"
	"KernelPageSize:        4 kB\n"
	"Rss:                8192 kB\n"
	"Anonymous:          8192 kB\n"
	"AnonHugePages:      6144 kB\n"
	"ShmemPmdMapped:        0 kB\n"
	"FilePmdMapped:         0 kB\n"
	"THPeligible:    1\n"
	"VmFlags: rd wr mr mw me ac sd hg\n"
	"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n"
	"Size:                  4 kB\n"
	"VmFlags: ex\n";

static void finds_the_mapping_holding_the_address(void **state)
{
	size_t v = 1;

	(void)state;
	assert_int_equal(smaps_field(smaps_text, 0x7f3a40000000,
				     "AnonHugePages", &v),
			 0);
	assert_int_equal(v, 6144u * 1024);
	/* Any address inside counts; the end is outside. */
	assert_int_equal(smaps_field(smaps_text, 0x7f3a407fffff,
				     "AnonHugePages", &v),
			 0);
	assert_int_equal(v, 6144u * 1024);
	assert_int_equal(smaps_field(smaps_text, 0x55d0c0a00100,
				     "AnonHugePages", &v),
			 0);
	assert_int_equal(v, 0);
}

static void reads_unitless_fields_and_prefixes_exactly(void **state)
{
	size_t v = 0;

	(void)state;
	assert_int_equal(
		smaps_field(smaps_text, 0x7f3a40001000, "THPeligible", &v), 0);
	assert_int_equal(v, 1);
	/* "Anon" is a prefix of two fields but not a field itself. */
	assert_int_equal(smaps_field(smaps_text, 0x7f3a40001000, "Anon", &v),
			 -ENODATA);
	assert_int_equal(
		smaps_field(smaps_text, 0x7f3a40001000, "Anonymous", &v), 0);
	assert_int_equal(v, 8192u * 1024);
}

static void says_when_nothing_matches(void **state)
{
	size_t v = 7;

	(void)state;
	assert_int_equal(smaps_field(smaps_text, 0x7f3a40800000,
				     "AnonHugePages", &v),
			 -ENOENT);
	assert_int_equal(smaps_field(smaps_text, 0x1000, "Rss", &v), -ENOENT);
	/* The vsyscall mapping has no AnonHugePages line. */
	assert_int_equal(smaps_field(smaps_text, 0xffffffffff600000,
				     "AnonHugePages", &v),
			 -ENODATA);
	/* The field of the next mapping is not taken for this one's. */
	assert_int_equal(smaps_field(smaps_text, 0xffffffffff600000, "Rss", &v),
			 -ENODATA);
	assert_int_equal(smaps_field("", 0x1000, "Rss", &v), -ENOENT);
	assert_int_equal(v, 7);
}

static void reads_this_process(void **state)
{
	static int here;
	struct mrs_err e = { 0 };
	size_t v = 0;

	(void)state;
	assert_int_equal(smaps_self_field((uintptr_t)&here, "Size", &v, &e), 0);
	assert_true(v >= 4096);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_the_mapping_holding_the_address),
		cmocka_unit_test(reads_unitless_fields_and_prefixes_exactly),
		cmocka_unit_test(says_when_nothing_matches),
		cmocka_unit_test(reads_this_process),
	};

	return cmocka_run_group_tests_name("smaps", tests, NULL, NULL);
}
