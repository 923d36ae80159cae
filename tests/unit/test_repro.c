// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The reproducer generator: what it writes for a few runs, that each
 * program compiles on its own (the compiler is run, CC or cc), and that a
 * run with a part that has no standalone form gets nothing but an error
 * naming that part.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "options.h"
#include "repro.h"
#include "run_spec.h"

#define BUILD_LINE " * Build:  cc -O2 -Wall -o repro repro.c -libverbs\n"

struct fixture {
	struct run_spec spec;
	char *text; /* what repro_write() wrote */
	size_t len;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	run_spec_init(&fx->spec);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	free(fx->text);
	free(fx);
	return 0;
}

/* A run from command-line words: one --mr, one --dma, --stress each. */
static void make_spec(struct fixture *fx, const char *mr, const char *dma,
		      const char *const *stress)
{
	struct mrs_err e = { 0 };

	if (run_spec_add_mr(&fx->spec, mr, &e) ||
	    run_spec_add_dma(&fx->spec, dma, &e) ||
	    run_spec_set(&fx->spec, "seed", "1", &e))
		fail_msg("%s", e.msg);
	for (; stress && *stress; stress++)
		if (run_spec_add_stress(&fx->spec, *stress, &e))
			fail_msg("%s: %s", *stress, e.msg);
	if (run_spec_finish(&fx->spec, NULL, &e))
		fail_msg("%s", e.msg);
}

/* repro_write() into fx->text; its return value. */
static int generate(struct fixture *fx, const char *target, const char *title,
		    struct mrs_err *e)
{
	struct repro_target tg;
	FILE *f;
	int ret;

	assert_int_equal(repro_target_parse(target, &tg, e), 0);
	snprintf(tg.title, sizeof(tg.title), "%s", title);
	free(fx->text);
	fx->text = NULL;
	f = open_memstream(&fx->text, &fx->len);
	assert_non_null(f);
	ret = repro_write(f, &fx->spec, &tg, "6.1.0-test-amd64", e);
	assert_int_equal(fclose(f), 0);
	return ret;
}

/* The program compiles with warnings as errors, alone. */
static void assert_compiles(const struct fixture *fx)
{
	char path[] = "/tmp/test_repro-XXXXXX.c", cmd[512];
	const char *cc = getenv("CC");
	int fd = mkstemps(path, 2), status;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, fx->text, fx->len), (ssize_t)fx->len);
	close(fd);
	snprintf(cmd, sizeof(cmd),
		 "%s -std=gnu11 -Wall -Wextra -Werror -fsyntax-only %s",
		 cc && *cc ? cc : "cc", path);
	status = system(cmd);
	unlink(path);
	if (status)
		fail_msg("'%s' failed (status %d)", cmd, status);
}

static void assert_has(const struct fixture *fx, const char *want)
{
	if (!fx->text || !strstr(fx->text, want))
		fail_msg("the reproducer lacks '%s'", want);
}

static void truncate_on_ext4(void **state)
{
	static const char *const stress[] = {
		"truncate,to=50%,interval=100ms,threads=2", NULL
	};
	struct fixture *fx = *state;
	struct mrs_err e = { 0 };

	make_spec(fx, "file:ext4:2M", "write", stress);
	assert_int_equal(
		generate(fx, "detached", "detached in file ext4 */ 2M", &e), 0);
	assert_has(fx, BUILD_LINE);
	assert_has(fx, " * Seen on:     6.1.0-test-amd64\n");
	/* A title cannot end the header comment early. */
	assert_has(fx, "detached in file ext4 * / 2M");
	assert_has(fx, "#define TARGET_CLASS \"detached\"\n");
	assert_has(fx, "./repro DIR   (DIR: a directory on ext4");
	assert_has(fx, "#define NEEDS_DIR 1\n");
	assert_has(fx, "return mem_file(m, dir, MAP_SHARED, st);");
	assert_has(fx, "const size_t to = 1048576; /* mode=shrink-extend */");
	assert_has(fx, "ftruncate(r->m->fd, (off_t)to)");
	/* Both threads, seeded as stress_run.c seeds them for seed 1. */
	assert_has(fx,
		   ".thread = 0, .step = step0_truncate, .interval_ms = 100");
	assert_has(fx,
		   ".thread = 1, .step = step0_truncate, .interval_ms = 100");
	assert_has(fx, ".seed = 0x9e3779b97f4ad9b1ULL");
	assert_compiles(fx);
}

static void madvise_on_anon(void **state)
{
	static const char *const stress[] = { "madvise,advice=dontneed", NULL };
	struct fixture *fx = *state;
	struct mrs_err e = { 0 };

	make_spec(fx, "anon:2M", "write,bs=8K", stress);
	assert_int_equal(generate(fx, "detached:mr0", "", &e), 0);
	assert_has(fx, BUILD_LINE);
	assert_has(fx, " *         ./repro\n");
	assert_has(fx, "#define NEEDS_DIR 0\n");
	assert_has(fx, "#define BLOCK_SIZE 8192\n");
	assert_has(fx, "MAP_PRIVATE | MAP_ANONYMOUS");
	assert_has(fx, "MADV_NOHUGEPAGE");
	assert_has(fx, "const int advice = MADV_DONTNEED;");
	assert_compiles(fx);
}

static void punch_on_memfd(void **state)
{
	static const char *const stress[] = { "fallocate,mode=punch", "fsync",
					      NULL };
	struct fixture *fx = *state;
	struct mrs_err e = { 0 };

	make_spec(fx, "memfd:4M", "read", stress);
	assert_int_equal(generate(fx, "any", "", &e), 0);
	assert_has(fx, BUILD_LINE);
	assert_has(fx, "#define TARGET_CLASS \"any-data\"\n");
	assert_has(fx, "#define DMA_READS 1");
	assert_has(fx, "return mem_memfd(m, 0, st);");
	assert_has(
		fx,
		"const int first = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, second = 0;");
	assert_has(fx, "int (*sync_fn)(int) = fsync;");
	assert_compiles(fx);
}

/* A stressor that needs a file is left out on anonymous memory, said so. */
static void file_stressor_left_out(void **state)
{
	static const char *const stress[] = { "fsync", NULL };
	struct fixture *fx = *state;
	struct mrs_err e = { 0 };

	make_spec(fx, "anon-shared:1M", "write", stress);
	assert_int_equal(generate(fx, "zeroed", "", &e), 0);
	assert_has(fx, "/* Left out: stressor fsync needs a file");
	assert_compiles(fx);
}

/* -EOPNOTSUPP naming the part, and not a byte written. */
static void assert_no_form(struct fixture *fx, const char *target,
			   const char *want)
{
	struct mrs_err e = { 0 };

	assert_int_equal(generate(fx, target, "", &e), -EOPNOTSUPP);
	if (!strstr(e.msg, want))
		fail_msg("'%s' lacks '%s'", e.msg, want);
	assert_int_equal(fx->len, 0);
}

static void stressor_without_form(void **state)
{
	static const char *const stress[] = { "truncate", "ksm", NULL };
	struct fixture *fx = *state;

	make_spec(fx, "file:ext4:2M", "write", stress);
	assert_no_form(fx, "detached",
		       "stressor ksm (ksm) has no standalone form");
}

static void backing_without_form(void **state)
{
	struct fixture *fx = *state;

	make_spec(fx, "uffd:2M", "write", NULL);
	assert_no_form(fx, "any", "memory backing uffd");
}

static void dma_op_without_form(void **state)
{
	struct fixture *fx = *state;

	make_spec(fx, "anon:2M", "atomic", NULL);
	assert_no_form(fx, "any", "dma op atomic");
}

static void class_without_form(void **state)
{
	struct fixture *fx = *state;

	make_spec(fx, "anon:2M", "write", NULL);
	assert_no_form(fx, "pin-leak", "class pin-leak");
}

static void target_parse(void **state)
{
	struct repro_target tg;
	struct mrs_err e = { 0 };

	(void)state;
	assert_int_equal(repro_target_parse("detached:file-ext4", &tg, &e), 0);
	assert_int_equal(tg.cls, FC_DETACHED);
	assert_string_equal(tg.mr, "file-ext4");
	assert_int_equal(repro_target_parse("any", &tg, &e), 0);
	assert_int_equal(tg.cls, FC_COUNT);
	assert_string_equal(tg.mr, "");
	assert_int_equal(repro_target_parse("detach", &tg, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "'detach': want a finding class"));
	assert_int_equal(repro_target_parse("zeroed:", &tg, &e), -EINVAL);
}

static void options(void **state)
{
	char *ok[] = { "mrstress",	"--print-repro=r.c", "--mr", "anon:2M",
		       "--repro-class", "torn:mr0",	     NULL };
	char *alone[] = { "mrstress",	   "--mr", "anon:2M",
			  "--repro-class", "torn", NULL };
	struct mrs_options *o = malloc(sizeof(*o));
	struct mrs_err e = { 0 };

	(void)state;
	assert_non_null(o);
	assert_int_equal(options_parse(6, ok, o, &e), 0);
	assert_int_equal(o->action, ACTION_PRINT_REPRO);
	assert_string_equal(o->repro_file, "r.c");
	assert_int_equal(o->repro.cls, FC_TORN);
	assert_string_equal(o->repro.mr, "mr0");
	assert_int_equal(options_parse(5, alone, o, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "--repro-class goes with --print-repro"));
	free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(truncate_on_ext4, setup,
						teardown),
		cmocka_unit_test_setup_teardown(madvise_on_anon, setup,
						teardown),
		cmocka_unit_test_setup_teardown(punch_on_memfd, setup,
						teardown),
		cmocka_unit_test_setup_teardown(file_stressor_left_out, setup,
						teardown),
		cmocka_unit_test_setup_teardown(stressor_without_form, setup,
						teardown),
		cmocka_unit_test_setup_teardown(backing_without_form, setup,
						teardown),
		cmocka_unit_test_setup_teardown(dma_op_without_form, setup,
						teardown),
		cmocka_unit_test_setup_teardown(class_without_form, setup,
						teardown),
		cmocka_unit_test(target_parse),
		cmocka_unit_test(options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
