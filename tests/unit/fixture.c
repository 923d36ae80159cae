// SPDX-License-Identifier: GPL-2.0-or-later
/* Real kernel and tool output the unit tests read: tests/fixtures/. */
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"

char *fixture_read(const char *dir, const char *name, size_t *len)
{
	const char *src = getenv("MRSTRESS_SRCDIR");
	char path[1024];
	char *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/tests/fixtures/%s/%s", src ? src : ".",
		 dir, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("%s: cannot open", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}
