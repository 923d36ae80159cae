// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * atomic-writer PATH SIZE: rewrite PATH with atomic_file_write(), version
 * after version (atomic_writer.h), until killed. test_atomic_file kills it
 * at random moments and looks at what is left.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "atomic_file.h"
#include "atomic_writer.h"

struct version {
	const char *buf;
	size_t size;
};

static int fill(FILE *f, void *arg)
{
	const struct version *v = arg;

	return fwrite(v->buf, 1, v->size, f) == v->size ? 0 : -EIO;
}

int main(int argc, char **argv)
{
	struct mrs_err e = { 0 };
	struct version v;
	size_t size;
	char *buf;

	if (argc != 3 || (size = strtoul(argv[2], NULL, 0)) < 64) {
		fprintf(stderr, "usage: atomic-writer PATH SIZE (>= 64)\n");
		return 2;
	}
	buf = malloc(size);
	if (!buf) {
		perror("atomic-writer");
		return 1;
	}
	v = (struct version){ buf, size };
	/* The test starts its kill timer when this arrives. */
	if (putchar('.') == EOF || fflush(stdout)) {
		perror("atomic-writer: stdout");
		free(buf);
		return 1;
	}
	for (unsigned long n = 0;; n++) {
		atomic_writer_content(buf, size, n);
		if (atomic_file_write(argv[1], fill, &v, &e)) {
			fprintf(stderr, "atomic-writer: %s\n", e.msg);
			free(buf);
			return 1;
		}
	}
}
