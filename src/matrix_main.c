// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mrstress-matrix DIR: render what scripts/matrix left in DIR as
 * DIR/index.html, DIR/summary.md and DIR/junit.xml, and print a summary.
 * Exit status: 0 every cell pass, expected or skip; 1 anything else (an
 * unexpected or error cell, a kernel that did not finish); 2 bad input
 * (the pages are still written when the plan could be read).
 */
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "matrix.h"

static int fill_html(FILE *f, void *arg)
{
	return matrix_html(f, arg);
}

static int fill_md(FILE *f, void *arg)
{
	return matrix_md(f, arg);
}

static int write_outputs(struct matrix *m)
{
	char path[4096];
	struct mrs_err e = { 0 };
	int bad = 0;

	snprintf(path, sizeof(path), "%s/index.html", m->dir);
	if (atomic_file_write(path, fill_html, m, &e))
		bad = fprintf(stderr, "mrstress-matrix: %s\n", e.msg);
	printf("page:    %s\n", path);
	snprintf(path, sizeof(path), "%s/summary.md", m->dir);
	if (atomic_file_write(path, fill_md, m, &e))
		bad = fprintf(stderr, "mrstress-matrix: %s\n", e.msg);
	printf("summary: %s\n", path);
	snprintf(path, sizeof(path), "%s/junit.xml", m->dir);
	if (matrix_junit(path, m, &e))
		bad = fprintf(stderr, "mrstress-matrix: %s\n", e.msg);
	printf("junit:   %s\n", path);
	return bad;
}

static void usage(FILE *f)
{
	fputs("Usage: mrstress-matrix DIR\n"
	      "Render DIR (made by scripts/matrix) as DIR/index.html, "
	      "DIR/summary.md and DIR/junit.xml.\n"
	      "Exit status: 0 all cells pass/expected/skip, 1 otherwise, "
	      "2 bad input.\n",
	      f);
}

/* What is wrong with the command line, in one line. */
static const char *usage_error(int argc, char **argv)
{
	static char msg[128];

	if (argc < 2)
		return "no DIR given: give the directory scripts/matrix wrote (--out DIR)";
	if (argc > 2)
		return "one DIR only: give the directory scripts/matrix wrote (--out DIR)";
	if (!argv[1][0])
		return "an empty DIR: give the directory scripts/matrix wrote (--out DIR)";
	snprintf(msg, sizeof(msg), "unknown option '%.60s'", argv[1]);
	return msg;
}

int main(int argc, char **argv)
{
	struct matrix m;
	struct mrs_err e = { 0 };
	int status;

	if (argc == 2 && !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	if (argc != 2 || argv[1][0] == '-' || !argv[1][0]) {
		fprintf(stderr,
			"mrstress-matrix: %s\nTry 'mrstress-matrix --help'.\n",
			usage_error(argc, argv));
		return 2;
	}
	if (matrix_read(argv[1], &m, &e)) {
		fprintf(stderr, "mrstress-matrix: %s\n", e.msg);
		matrix_free(&m);
		return 2;
	}
	status = matrix_good(&m) ? 0 : 1;
	if (write_outputs(&m))
		status = 2;
	matrix_text(stdout, &m);
	if (m.problems[0]) {
		char *save = NULL;

		for (char *l = strtok_r(m.problems, "\n", &save); l;
		     l = strtok_r(NULL, "\n", &save))
			fprintf(stderr, "mrstress-matrix: %s\n", l);
		status = 2;
	}
	matrix_free(&m);
	return status;
}
