// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The regression fixtures of one fuzz target (FUZZ_TARGET, set by
 * Makefile.am: test_fuzz_scenario, test_fuzz_bundle): every file of
 * tests/fixtures/fuzz/FUZZ_TARGET/ but README and *.expect, one test case
 * each, fed through the target's own LLVMFuzzerTestOneInput() as the unit
 * tests build it. The target aborts on anything but a clean error or a
 * clean load; a file NAME.expect says what the error must contain (its
 * first line; an empty line: it must load). Under --enable-sanitizers the
 * same run catches the out-of-bounds reads and leaks the fuzzer found.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "unit.h"

#define MAX_FIXTURES 256

static bool is_input(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && strcmp(name, "README") &&
	       !(n > 7 && !strcmp(name + n - 7, ".expect"));
}

/* The first line of NAME.expect, or NULL when there is none. */
static char *expectation(const char *name)
{
	const char *src = getenv("MRSTRESS_SRCDIR");
	char path[1024], *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/fixtures/fuzz/%s/%s.expect",
		 src ? src : ".", FUZZ_TARGET, name);
	f = fopen(path, "re");
	if (!f)
		return NULL;
	n = getline(&line, &cap, f);
	fclose(f);
	assert_true(n >= 0);
	line[strcspn(line, "\n")] = '\0';
	return line;
}

static void one_fixture(void **state)
{
	const char *name = *state;
	char rel[300], *want;
	size_t len;
	char *buf;

	snprintf(rel, sizeof(rel), "%s/%s", FUZZ_TARGET, name);
	buf = fixture_read("fuzz", rel, &len);
	assert_int_equal(LLVMFuzzerTestOneInput((const uint8_t *)buf, len), 0);
	free(buf);
	print_message("# %s: %s\n", name,
		      fuzz_error[0] ? fuzz_error : "loaded");
	want = expectation(name);
	if (want && !want[0])
		assert_string_equal(fuzz_error, "");
	else if (want && !strstr(fuzz_error, want))
		fail_msg("%s: error '%s' does not say '%s'", name, fuzz_error,
			 want);
	free(want);
}

int main(void)
{
	const char *src = getenv("MRSTRESS_SRCDIR");
	static struct CMUnitTest tests[MAX_FIXTURES];
	struct dirent **names;
	char dir[1024];
	size_t n = 0;
	int count, ret;

	snprintf(dir, sizeof(dir), "%s/tests/fixtures/fuzz/%s", src ? src : ".",
		 FUZZ_TARGET);
	count = scandir(dir, &names, NULL, alphasort);
	if (count < 0) {
		perror(dir);
		return 1;
	}
	for (int i = 0; i < count; i++) {
		if (is_input(names[i]->d_name) && n < MAX_FIXTURES) {
			tests[n].name = names[i]->d_name;
			tests[n].test_func = one_fixture;
			tests[n].initial_state = names[i]->d_name;
			n++;
		}
	}
	if (!n) {
		fprintf(stderr, "%s: no fixture in it\n", dir);
		ret = 1;
	} else {
		/* The names stay until the tests ran: they are named by them. */
		ret = _cmocka_run_group_tests("fuzz_" FUZZ_TARGET, tests, n,
					      NULL, NULL);
	}
	for (int i = 0; i < count; i++)
		free(names[i]);
	free(names);
	return ret;
}
