// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the scenario file parser (src/scenario.c with
 * libinih, run_spec, expectations, units, the stressors' keys): any bytes,
 * read as a scenario file's text, must give either a spec or an error
 * "NAME:LINE: ..." and never crash, read out of bounds or leak. A spec
 * that loads must survive scenario_print(): what it writes loads again and
 * prints the same (the reproducer of a bundle is such a file).
 *
 * The unit test test_fuzz_scenario runs this same function on every file of
 * tests/fixtures/fuzz/scenario/.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "scenario.h"

#define NAME "fuzz.scn"

char fuzz_error[512];

/*
 * Load size bytes of text as a scenario. A copy of its own, so that ASan
 * sees a read past the end; the empty file through /dev/null, since
 * fmemopen() takes no empty buffer.
 */
static int load_text(struct scenario *sc, const char *text, size_t size,
		     struct mrs_err *e)
{
	char *copy = malloc(size ? size : 1);
	FILE *f;
	int ret;

	if (!copy)
		abort();
	memcpy(copy, text, size);
	f = size ? fmemopen(copy, size, "r") : fopen("/dev/null", "re");
	if (!f)
		abort();
	ret = scenario_load_file(sc, f, NAME, e);
	fclose(f);
	free(copy);
	return ret;
}

/* An error is one message that names the file. */
static void check_error(const struct mrs_err *e)
{
	if (strncmp(e->msg, NAME ":", strlen(NAME ":")) || !e->code)
		abort();
	str_copy(fuzz_error, sizeof(fuzz_error), e->msg);
}

/* s written as a scenario file; malloc'd, its length in *len. */
static char *print_text(const struct run_spec *s, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (!f || scenario_print(f, s) || fclose(f))
		abort();
	return text;
}

/* Print, load what was printed, print again: the same text. */
static void check_round_trip(struct scenario *sc)
{
	struct mrs_err e = { 0 };
	char *first, *second;
	size_t n1, n2;

	/* plan_load() chooses a seed at random where none was given. */
	if (!sc->spec.seed_given) {
		sc->spec.seed = 1;
		sc->spec.seed_given = true;
	}
	first = print_text(&sc->spec, &n1);
	if (load_text(sc, first, n1, &e)) {
		fprintf(stderr, "printed scenario does not load: %s\n%s", e.msg,
			first);
		abort();
	}
	second = print_text(&sc->spec, &n2);
	if (n1 != n2 || memcmp(first, second, n1)) {
		fprintf(stderr, "printed twice, not the same:\n%s---\n%s",
			first, second);
		abort();
	}
	free(first);
	free(second);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario *sc = calloc(1, sizeof(*sc));
	struct mrs_err e = { 0 };

	if (!sc)
		abort();
	fuzz_error[0] = '\0';
	if (load_text(sc, (const char *)data, size, &e))
		check_error(&e);
	else
		check_round_trip(sc);
	free(sc);
	return 0;
}
