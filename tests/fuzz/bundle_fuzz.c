// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the --replay / --minimize bundle loader: one input
 * is a whole bundle directory, written to a temporary directory and read
 * back the way --replay reads it (replay_load(): bundle_read() over
 * DIR/scenario.scn and DIR/report.json, or over DIR/NN-NAME/ for several
 * scenarios; then plan_load() on the scenario files). It must end in a
 * bundle or an error message, never a crash, an out-of-bounds read or a
 * leak; the findings read must match themselves (finding_keys_same()).
 *
 * The input is text: a line "=== PATH" starts the file PATH of the bundle
 * and the lines up to the next such line are its content; whatever comes
 * before the first one, if anything, is scenario.scn. PATH is one or two
 * names of [A-Za-z0-9._-] not starting with '.' ("report.json",
 * "01-one/scenario.scn"); a part with any other PATH is left out.
 * tests/fuzz/pack-bundle.sh packs a real bundle this way (the seeds in
 * tests/fixtures/fuzz/bundle-seeds).
 *
 * The unit test test_fuzz_bundle runs this same function on every file of
 * tests/fixtures/fuzz/bundle/.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "plan.h"
#include "replay.h"

#define HEADER "=== "

char fuzz_error[512];

static char root[64];
static char bundle[sizeof(root) + 8];

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (remove(path)) {
		perror(path);
		abort();
	}
	return 0;
}

static void remove_tree(const char *dir)
{
	if (!access(dir, F_OK) &&
	    nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS)) {
		perror(dir);
		abort();
	}
}

static void remove_root(void)
{
	remove_tree(root);
}

/* The temporary directory every input's bundle is written in, made once. */
static void make_root(void)
{
	const char *tmp = getenv("TMPDIR");

	if (root[0])
		return;
	snprintf(root, sizeof(root), "%.40s/mrs-bundle-fuzz.XXXXXX",
		 tmp && strlen(tmp) <= 40 ? tmp : "/tmp");
	if (!mkdtemp(root)) {
		perror(root);
		abort();
	}
	snprintf(bundle, sizeof(bundle), "%s/b", root);
	atexit(remove_root);
}

/* n bytes of [A-Za-z0-9._-], not starting with '.' (nor "." or ".."). */
static bool name_ok(const char *p, size_t n)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";

	if (!n || p[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!p[i] || !strchr(chars, p[i]))
			return false;
	return true;
}

/* NAME or DIR/NAME: a file of the bundle or of one of its scenarios. */
static bool path_ok(const char *p, size_t len)
{
	const char *slash = memchr(p, '/', len);
	size_t first = slash ? (size_t)(slash - p) : len;

	return len <= 100 && name_ok(p, first) &&
	       (!slash || name_ok(slash + 1, len - first - 1));
}

/*
 * Write len bytes as the bundle's file path (path_len bytes, not
 * terminated). A path the directory cannot take (a file where a directory
 * must be) is left out like a bad one: the loader then sees no such file.
 */
static void write_part(const char *path, size_t path_len, const char *text,
		       size_t len)
{
	char name[sizeof(bundle) + 128];
	char *slash;
	int fd;

	if (!path_ok(path, path_len))
		return;
	snprintf(name, sizeof(name), "%s/%.*s", bundle, (int)path_len, path);
	slash = strrchr(name + strlen(bundle) + 1, '/');
	if (slash) {
		*slash = '\0';
		if (mkdir(name, 0700) && errno != EEXIST)
			return;
		*slash = '/';
	}
	fd = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	if (write(fd, text, len) != (ssize_t)len) {
		perror(name);
		abort();
	}
	close(fd);
}

/* The input's parts, each to its file. */
static void write_bundle(const char *data, size_t size)
{
	const char *path = "scenario.scn", *text = data, *end = data + size;
	size_t path_len = strlen(path);

	if (mkdir(bundle, 0700)) {
		perror(bundle);
		abort();
	}
	for (const char *line = data; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *next = nl ? nl + 1 : end;

		if ((size_t)(end - line) > strlen(HEADER) &&
		    !memcmp(line, HEADER, strlen(HEADER))) {
			if (line > data)
				write_part(path, path_len, text,
					   (size_t)(line - text));
			path = line + strlen(HEADER);
			path_len = (size_t)((nl ? nl : end) - path);
			text = next;
		}
		line = next;
	}
	write_part(path, path_len, text, (size_t)(end - text));
}

static void check_error(const struct mrs_err *e)
{
	if (!e->msg[0] || !e->code)
		abort();
	str_copy(fuzz_error, sizeof(fuzz_error), e->msg);
}

/* What --replay does with a bundle it read: load its scenario files. */
static void load_plan(struct replay *r)
{
	struct mrs_options o = { .action = ACTION_RUN,
				 .files = r->paths,
				 .n_files = r->bundle.n };
	struct mrs_err e = { 0 };
	struct plan p;

	if (plan_load(&p, &o, &e))
		check_error(&e);
	else
		plan_free(&p);
}

/* A bundle's findings are the same as themselves, whatever they are. */
static void check_keys(const struct bundle_in *b)
{
	char missing[200], new_keys[200];

	for (unsigned i = 0; i < b->n; i++) {
		const struct bundle_scenario_in *s = &b->v[i];

		if (!finding_keys_same(s, s->keys, s->n_keys, missing,
				       sizeof(missing), new_keys,
				       sizeof(new_keys)) ||
		    missing[0] || new_keys[0])
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct replay *r = calloc(1, sizeof(*r));
	struct mrs_err e = { 0 };

	if (!r)
		abort();
	fuzz_error[0] = '\0';
	make_root();
	write_bundle((const char *)data, size);
	if (replay_load(r, bundle, &e)) {
		check_error(&e);
	} else {
		if (!r->bundle.n)
			abort();
		check_keys(&r->bundle);
		load_plan(r);
	}
	remove_tree(bundle);
	free(r);
	return 0;
}
