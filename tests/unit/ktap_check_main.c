// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ktap-check [FILE]: check KTAP version 1 output (of mrstress --ktap) on
 * FILE or stdin. Prints "ktap-check: N tests: A ok, B not ok, C skipped"
 * and exits 0, or says what is wrong and where and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktap_check.h"

static char *slurp(FILE *f)
{
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap);

	while (buf) {
		size_t n = fread(buf + len, 1, cap - len - 1, f);
		char *more;

		len += n;
		if (n == 0)
			break;
		if (len + 1 < cap)
			continue;
		cap *= 2;
		more = realloc(buf, cap);
		if (!more)
			free(buf);
		buf = more;
	}
	if (buf)
		buf[len] = '\0';
	return buf;
}

int main(int argc, char **argv)
{
	FILE *f = argc > 1 ? fopen(argv[1], "r") : stdin;
	struct ktap_result r;
	char err[256];
	char *text;
	int bad;

	if (!f) {
		perror(argv[1]);
		return 2;
	}
	text = slurp(f);
	if (!text || ferror(f)) {
		fprintf(stderr, "ktap-check: cannot read %s\n",
			argc > 1 ? argv[1] : "stdin");
		return 2;
	}
	if (strlen(text) == 0) {
		fprintf(stderr, "ktap-check: empty input\n");
		return 1;
	}
	bad = ktap_check(text, &r, err, sizeof(err));
	free(text);
	if (f != stdin)
		fclose(f);
	if (bad) {
		fprintf(stderr, "ktap-check: %s\n", err);
		return 1;
	}
	printf("ktap-check: %u tests: %u ok, %u not ok, %u skipped, %u diagnostic lines\n",
	       r.tests, r.ok, r.not_ok, r.skipped, r.diagnostics);
	return 0;
}
