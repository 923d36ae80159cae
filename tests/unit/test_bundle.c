// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The report bundle written from a made-up run (no RDMA), read back the
 * way --replay and --minimize read it; atomic files; the status line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "atomic_file.h"
#include "bundle.h"
#include "bundle_read.h"
#include "exit_status.h"
#include "scenario.h"
#include "status.h"

struct fixture {
	char dir[64];
	struct scenario sc;
	struct scenario *runs[1];
	struct plan plan;
	struct run_result res;
	struct scenario_outcome o;
	struct report_input in;
};

static void add_findings(struct run_result *res)
{
	struct finding d = { .cls = FC_DETACHED,
			     .title = "detached: mr0 block at 0x101000",
			     .mr = "mr0",
			     .view = "cpu+pread",
			     .detail = "the MR holds gen 15, cpu shows zeroed",
			     .t = 2.5,
			     .t_from = 2.4,
			     .offset = 0x101000,
			     .length = 4096,
			     .block_size = 4096,
			     .expected_gen = 15,
			     .dump_len = 16 };
	struct finding w = {
		.cls = FC_KERNEL_WARNING,
		.title = "WARNING in ext4_dirty_folio",
		.detail = "kernel log",
		.t = 2.6,
		.text = "WARNING: CPU: 0 PID: 1 at fs/ext4/inode.c\n"
	};

	memcpy(d.expected, "MRSMBLK\0\0\0\0\0\0\0\0", 16);
	finding_add(&res->findings, &d);
	finding_add(&res->findings, &w);
}

static void add_events(struct run_result *res)
{
	static const double at[] = { 0.5, 2.35, 2.45, 2.9 };

	res->events = calloc(4, sizeof(*res->events));
	assert_non_null(res->events);
	for (unsigned i = 0; i < 4; i++) {
		res->events[i].start = at[i];
		res->events[i].end = at[i] + 0.002;
		snprintf(res->events[i].what, sizeof(res->events[i].what),
			 "ftruncate step %u", i);
	}
	res->n_events = 4;
}

static void make_result(struct fixture *fx)
{
	struct run_result *res = &fx->res;

	finding_list_init(&res->findings);
	str_copy(res->name, sizeof(res->name), "command-line");
	str_copy(res->kernel_release, sizeof(res->kernel_release),
		 "6.1.0-test");
	str_copy(res->dev.name, sizeof(res->dev.name), "rxe0");
	res->seed = 7;
	res->duration = res->elapsed = 3;
	res->n_mrs = 1;
	str_copy(res->mrs[0].name, sizeof(res->mrs[0].name), "mr0");
	str_copy(res->mrs[0].desc, sizeof(res->mrs[0].desc),
		 "file ext4 2M shared");
	res->mrs[0].registered = true;
	res->n_stress = 1;
	res->stress[0].spec = fx->sc.spec.stress[0];
	res->taint_read = true;
	res->taint_after = 512;
	add_findings(res);
	add_events(res);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct mrs_err e = { 0 };

	if (!fx)
		return -1;
	strcpy(fx->dir, "/tmp/mrstress-bundle-XXXXXX");
	run_spec_init(&fx->sc.spec);
	if (!mkdtemp(fx->dir) ||
	    run_spec_add_mr(&fx->sc.spec, "file:ext4:2M", &e) ||
	    run_spec_add_stress(&fx->sc.spec, "truncate", &e) ||
	    run_spec_set(&fx->sc.spec, "seed", "7", &e) ||
	    run_spec_finish(&fx->sc.spec, NULL, &e)) {
		free(fx);
		return -1;
	}
	str_copy(fx->sc.spec.name, sizeof(fx->sc.spec.name), "command-line");
	make_result(fx);
	fx->runs[0] = &fx->sc;
	fx->plan = (struct plan){ .n = 1, .runs = fx->runs };
	fx->o = (struct scenario_outcome){ .sc = &fx->sc,
					   .res = &fx->res,
					   .ran = true,
					   .status = MRS_EXIT_FINDINGS };
	fx->in = (struct report_input){ .plan = &fx->plan,
					.v = &fx->o,
					.n_done = 1,
					.final = true,
					.status = MRS_EXIT_FINDINGS,
					.command_line =
						"mrstress --mr file:ext4:2M",
					.bundle = fx->dir };
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	if (unit_dir_remove(fx->dir))
		return -1;
	run_result_free(&fx->res);
	free(fx);
	return 0;
}

static char *read_file(const char *dir, const char *name)
{
	char path[256], *buf = calloc(1, 65536);
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "re");
	if (!f) {
		fail_msg("%s: %s", path, strerror(errno));
		return buf;
	}
	assert_non_null(buf);
	if (fread(buf, 1, 65535, f) == 0)
		fail_msg("%s: empty", path);
	fclose(f);
	return buf;
}

#define assert_contains(hay, needle)                                   \
	do {                                                           \
		if (!strstr((hay), (needle)))                          \
			fail_msg("'%s' not in:\n%s", (needle), (hay)); \
	} while (0)

static void writes_every_file(void **state)
{
	struct fixture *fx = *state;
	char *s;

	assert_int_equal(bundle_write_scenario(fx->dir, &fx->in, 0), 0);
	s = read_file(fx->dir, "summary.txt");
	/* The headline is the first unexpected finding: a subject line. */
	assert_true(!strncmp(s, "detached: mr0 block at 0x101000\n", 32));
	assert_contains(s, "findings/01-detached.txt");
	assert_contains(s, "mrstress --replay ");
	free(s);
	s = read_file(fx->dir, "scenario.scn");
	assert_contains(s, "seed = 7");
	free(s);
	s = read_file(fx->dir, "findings/01-detached.txt");
	assert_contains(s, "UNEXPECTED detached");
	assert_contains(s, "00000000  4d 52 53 4d 42 4c 4b");
	/* The steps around it, not the one long before. */
	assert_contains(s, "ftruncate step 1");
	assert_contains(s, "ftruncate step 3");
	assert_null(strstr(s, "ftruncate step 0"));
	free(s);
	s = read_file(fx->dir, "findings/02-kernel-warning.txt");
	assert_contains(s, "WARNING: CPU: 0 PID: 1 at fs/ext4/inode.c");
	free(s);
	s = read_file(fx->dir, "taint.txt");
	assert_contains(s, "set during the run: W");
	free(s);
	s = read_file(fx->dir, "timeline.txt");
	assert_contains(s, "truncate[0]  ftruncate step 0");
	free(s);
	s = read_file(fx->dir, "cmdline");
	assert_string_equal(s, "mrstress --mr file:ext4:2M\n");
	free(s);
}

static void reads_back_what_replay_needs(void **state)
{
	struct fixture *fx = *state;
	struct bundle_in *b = calloc(1, sizeof(*b));
	struct scenario *sc = calloc(1, sizeof(*sc));
	struct mrs_err e = { 0 };

	assert_non_null(b);
	assert_non_null(sc);
	assert_int_equal(bundle_write_scenario(fx->dir, &fx->in, 0), 0);
	assert_int_equal(bundle_read(fx->dir, b, &e), 0);
	assert_int_equal(b->n, 1);
	assert_int_equal(b->v[0].n_keys, 2);
	assert_int_equal(b->v[0].keys[0].cls, FC_DETACHED);
	assert_string_equal(b->v[0].keys[0].mr, "mr0");
	assert_true(b->v[0].any_unexpected);
	/* The scenario it holds loads, seed and all. */
	assert_int_equal(scenario_load(sc, b->v[0].scenario, &e), 0);
	assert_int_equal(sc->spec.seed, 7);
	assert_int_equal(sc->spec.n_stress, 1);
	free(sc);
	free(b);
}

static void not_a_bundle(void **state)
{
	struct fixture *fx = *state;
	struct bundle_in *b = calloc(1, sizeof(*b));
	struct mrs_err e = { 0 };
	char path[128];
	FILE *f;

	assert_non_null(b);
	assert_int_equal(bundle_read(fx->dir, b, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "not a bundle"));
	assert_int_equal(bundle_write_scenario(fx->dir, &fx->in, 0), 0);
	snprintf(path, sizeof(path), "%s/report.json", fx->dir);
	f = fopen(path, "we");
	assert_non_null(f);
	fputs("{\"schema\": 2,\n \"scenarios\": [ oops ]}\n", f);
	fclose(f);
	assert_int_equal(bundle_read(fx->dir, b, &e), -EINVAL);
	/* The file and the line at fault. */
	assert_non_null(strstr(e.msg, "report.json:2:"));
	free(b);
}

static int fill_text(FILE *f, void *arg)
{
	fputs(arg, f);
	return 0;
}

static int fill_fails(FILE *f, void *arg)
{
	(void)arg;
	fputs("half of it", f);
	return -ENOSPC;
}

static void atomic_file_old_or_new(void **state)
{
	struct fixture *fx = *state;
	struct mrs_err e = { 0 };
	char path[128], *s;
	unsigned n = 0;
	FILE *ls;

	snprintf(path, sizeof(path), "%s/r.txt", fx->dir);
	assert_int_equal(atomic_file_write(path, fill_text, "old\n", &e), 0);
	assert_int_equal(atomic_file_write(path, fill_fails, NULL, &e),
			 -ENOSPC);
	assert_non_null(strstr(e.msg, "r.txt"));
	s = read_file(fx->dir, "r.txt");
	assert_string_equal(s, "old\n");
	free(s);
	/* No temporary file is left behind. */
	snprintf(path, sizeof(path), "ls -A '%s'", fx->dir);
	ls = popen(path, "r");
	assert_non_null(ls);
	while (fgets(path, sizeof(path), ls))
		n++;
	pclose(ls);
	assert_int_equal(n, 1);
}

static void status_line_rates(void **state)
{
	struct fixture *fx = *state;
	struct run_live live = { .t0 = 100 };
	struct status_line s = {
		.sc = &fx->sc, .res = &fx->res, .live = &live, .last_t = 100
	};
	char line[256];

	atomic_store(&live.dma_bytes, 20000000);
	atomic_store(&live.steps[0], 20);
	status_line_format(&s, 102, line, sizeof(line));
	assert_string_equal(line, "command-line 2/10 s  DMA 10.0 MB/s  "
				  "truncate 10/s  findings 2");
	/* Rates are over the last interval, not the whole run. */
	atomic_store(&live.steps[0], 25);
	status_line_format(&s, 103, line, sizeof(line));
	assert_non_null(strstr(line, "DMA 0.0 MB/s  truncate 5/s"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(writes_every_file, setup,
						teardown),
		cmocka_unit_test_setup_teardown(reads_back_what_replay_needs,
						setup, teardown),
		cmocka_unit_test_setup_teardown(not_a_bundle, setup, teardown),
		cmocka_unit_test_setup_teardown(atomic_file_old_or_new, setup,
						teardown),
		cmocka_unit_test_setup_teardown(status_line_rates, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
