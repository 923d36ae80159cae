// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "exit_status.h"
#include "mr.h"
#include "options.h"
#include "plan.h"
#include "scenario.h"

#define MIB (1u << 20)

#define assert_near(a, b) assert_true((a) > (b)-1e-9 && (a) < (b) + 1e-9)

/* tests/fixtures/scenarios/NAME in the source tree. */
static const char *fixture(const char *name)
{
	static char path[4096];
	const char *src = getenv("MRSTRESS_SRCDIR");

	snprintf(path, sizeof(path), "%s/tests/fixtures/scenarios/%s",
		 src ? src : ".", name);
	return path;
}

/* A scenario of ~100K per test, off the stack. */
static int setup(void **state)
{
	*state = calloc(1, sizeof(struct scenario));
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static int load_text(struct scenario *sc, const char *text, struct mrs_err *e)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	assert_non_null(f);
	ret = scenario_load_file(sc, f, "t.scn", e);
	fclose(f);
	return ret;
}

static unsigned key_line(const struct scenario *sc, enum spec_part part,
			 unsigned index, const char *key)
{
	struct spec_where w = { .part = part, .index = index };

	snprintf(w.key, sizeof(w.key), "%s", key);
	return scenario_line(sc, &w);
}

static void valid_scenario_keys(void **state)
{
	struct scenario *sc = *state;
	const struct run_spec *s = &sc->spec;
	struct mrs_err e = { 0 };

	if (scenario_load(sc, fixture("valid.scn"), &e))
		fail_msg("%s", e.msg);
	assert_string_equal(sc->path, fixture("valid.scn"));
	assert_string_equal(s->name, "every-key");
	assert_string_equal(s->description,
			    "every section and key, keys in any order");
	assert_near(s->duration, 120);
	assert_true(s->seed_given);
	assert_int_equal(s->seed, 42);
	assert_near(s->slowdown, 2.5);
	assert_true(s->requires[CAP_ROOT] && s->requires[CAP_NUMA]);
	assert_false(s->requires[CAP_ODP] || s->requires[CAP_THP] ||
		     s->requires[CAP_HUGETLB]);
}

static void valid_mrs(void **state)
{
	struct scenario *sc = *state;
	const struct run_spec *s = &sc->spec;
	struct mrs_err e = { 0 };

	assert_int_equal(scenario_load(sc, fixture("valid.scn"), &e), 0);
	assert_int_equal(s->n_mrs, 4);
	assert_string_equal(s->mrs[0].name, "data");
	assert_string_equal(s->mrs[0].backing->name, "file");
	assert_string_equal(s->mrs[0].where, "ext4");
	assert_int_equal(s->mrs[0].size, 16 * MIB);
	assert_int_equal(s->mrs[0].access,
			 MR_ACCESS_RW | IBV_ACCESS_REMOTE_ATOMIC);
	/* An indented line is a key of its own, not a continuation. */
	assert_string_equal(s->mrs[1].name, "anon");
	assert_int_equal(s->mrs[1].access, MR_ACCESS_RO);
	assert_int_equal(s->mrs[1].size, 64 * 1024);
	assert_string_equal(s->mrs[2].backing->name, "hugetlb");
	assert_int_equal(s->mrs[2].hugepage_size, 2 * MIB);
	assert_string_equal(s->mrs[3].backing->name, "file-private");
	assert_string_equal(s->mrs[3].where, "/var/tmp/mrstress");
	/* Defaults where the file says nothing. */
	assert_int_equal(s->mrs[3].size, 8 * MIB);
	assert_int_equal(s->mrs[3].access, MR_ACCESS_RW);
	assert_int_equal(sc->mr_line[0], 12);
	assert_int_equal(sc->mr_line[3], 29);
	assert_int_equal(key_line(sc, PART_MR, 0, "fs"), 15);
	assert_int_equal(key_line(sc, PART_MR, 1, "access"), 22);
	/* A key the section does not have: the section's line. */
	assert_int_equal(key_line(sc, PART_MR, 3, "size"), 29);
}

static void valid_dma_and_stress(void **state)
{
	struct scenario *sc = *state;
	const struct run_spec *s = &sc->spec;
	const struct stress_spec *st = &s->stress[0];
	struct mrs_err e = { 0 };

	assert_int_equal(scenario_load(sc, fixture("valid.scn"), &e), 0);
	assert_int_equal(s->n_dmas, 3);
	assert_string_equal(s->dmas[0].name, "writer");
	assert_string_equal(s->dmas[0].mr, "data");
	assert_int_equal(s->dmas[0].op, DMA_OP_WRITE);
	assert_int_equal(s->dmas[0].block_size, 8192);
	assert_int_equal(s->dmas[0].qd, 16);
	assert_int_equal(s->dmas[0].threads, 2);
	assert_int_equal(s->dmas[0].check_every, 4);
	assert_int_equal(s->dmas[1].op, DMA_OP_READ);
	assert_string_equal(s->dmas[1].mr, "anon");
	/* Only "mr =": a write of 4K blocks, queue depth 8. */
	assert_string_equal(s->dmas[2].mr, "pool");
	assert_int_equal(s->dmas[2].op, DMA_OP_WRITE);
	assert_int_equal(s->dmas[2].qd, 8);
	assert_int_equal(sc->dma_line[2], 46);

	assert_int_equal(s->n_stress, 1);
	assert_string_equal(st->name, "shrink");
	assert_string_equal(st->s->name, "truncate");
	assert_string_equal(st->mr, "data");
	assert_near(st->interval, 0.25);
	assert_int_equal(st->n_opts, 1);
	assert_string_equal(st->opts[0].key, "to");
	assert_string_equal(st->opts[0].val, "25%");
	assert_int_equal(key_line(sc, PART_STRESS, 0, "to"), 51);
	assert_int_equal(key_line(sc, PART_STRESS, 0, "type"), 54);
}

static void valid_expectations(void **state)
{
	struct scenario *sc = *state;
	const struct expect_list *l = &sc->spec.expects;
	struct mrs_err e = { 0 };
	char buf[512];

	assert_int_equal(scenario_load(sc, fixture("valid.scn"), &e), 0);
	assert_int_equal(l->n, 6);
	/* Two lines of one class are two expectations, each with its line. */
	assert_int_equal(l->v[0].cls, FC_DETACHED);
	assert_int_equal(l->v[0].line, 57);
	assert_int_equal(l->v[1].cls, FC_DETACHED);
	assert_int_equal(l->v[1].need, EXPECT_MAY);
	assert_int_equal(l->v[1].n_terms, 0);
	assert_int_equal(l->v[1].line, 58);
	assert_string_equal(
		expect_format(&l->v[2], buf, sizeof(buf)),
		"must kernel >= 6.5 && backing == file && fs != tmpfs");
	assert_string_equal(expect_format(&l->v[4], buf, sizeof(buf)),
			    "may !odp && numa");
	assert_string_equal(expect_format(&l->v[5], buf, sizeof(buf)),
			    "must mr == data && root");
	assert_int_equal(l->v[5].line, 62);
}

static void empty_sections_count(void **state)
{
	struct scenario *sc = *state;
	struct mrs_err e = { 0 };

	/* No [scenario], a [dma] without keys: defaults, named by the file. */
	if (load_text(sc, "[mr m]\nbacking = memfd\n[dma d]\n", &e))
		fail_msg("%s", e.msg);
	assert_string_equal(sc->spec.name, "t");
	assert_int_equal(sc->spec.n_dmas, 1);
	assert_string_equal(sc->spec.dmas[0].name, "d");
	assert_string_equal(sc->spec.dmas[0].mr, "m");
	assert_int_equal(sc->spec.dmas[0].op, DMA_OP_WRITE);
	assert_false(sc->spec.seed_given);
	assert_near(sc->spec.duration, 10);
	assert_near(sc->spec.slowdown, 1);
	assert_int_equal(sc->spec.expects.n, 0);
}

/* Loading path fails, and the message starts with "path:line: ". */
static void assert_error_at(struct scenario *sc, const char *name,
			    unsigned line, const char *want)
{
	char prefix[4200];
	struct mrs_err e = { 0 };
	const char *path = fixture(name);

	assert_int_equal(scenario_load(sc, path, &e), -EINVAL);
	snprintf(prefix, sizeof(prefix), "%s:%u: ", path, line);
	if (strncmp(e.msg, prefix, strlen(prefix)))
		fail_msg("%s: '%s' does not start with '%s'", name, e.msg,
			 prefix);
	if (!strstr(e.msg, want))
		fail_msg("%s: '%s' lacks '%s'", name, e.msg, want);
}

static void file_errors_name_their_line(void **state)
{
	static const struct {
		const char *file;
		unsigned line;
		const char *want;
	} cases[] = {
		{ "unknown-section.scn", 7,
		  "unknown section [memory b] (sections: [scenario]" },
		{ "unknown-key.scn", 4,
		  "[mr a] unknown key 'colour' (mr keys:" },
		{ "bad-value.scn", 10, "[dma d] qd=0: want 1-4096" },
		{ "duplicate-name.scn", 7,
		  "duplicate section [mr a] (first at line 1)" },
		{ "missing-mr.scn", 6, "dma d: no mr named 'nope'" },
		{ "stress-type.scn", 7,
		  "[stress s] unknown stressor 'earthquake' (see mrstress --list)" },
		{ "expect-syntax.scn", 6,
		  "[expect] zeroed = must kernel ~ 6.5: 'kernel ~ 6.5': want an operator" },
		{ "kernel-version.scn", 5,
		  "bad kernel version '6.x' in 'kernel >= 6.x' (want a release such as 6.5" },
		{ "bs-divides.scn", 8,
		  "dma d: bs 8192 does not divide the size of mr a (12288)" },
		{ "stress-key.scn", 8, "to=100%: want a size below the MR's" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_error_at(*state, cases[i].file, cases[i].line,
				cases[i].want);
}

static void text_errors_name_their_line(void **state)
{
	static const struct {
		const char *text;
		const char *want; /* the message, from the line number on */
	} cases[] = {
		{ "[mr a]\nbacking = anon\nsize\n",
		  "3: not a [section] or a KEY = VALUE line" },
		{ "[mr a\nbacking = anon\n", "1: not a [section]" },
		{ "backing = anon\n[mr a]\n",
		  "1: 'backing' outside a section" },
		{ "[mr a]\nbacking = anon\nsize = 1M\nsize = 2M\n",
		  "4: [mr a] duplicate key 'size' (first at line 3)" },
		{ "[mr a]\nbacking = anon\n[stress s]\nmr = a\n",
		  "3: [stress s] has no type (type = truncate" },
		{ "[scenario x]\n",
		  "1: [scenario x]: [scenario] takes no name" },
		{ "[scenario]\n[scenario]\n",
		  "2: duplicate section [scenario] (first at line 1)" },
		{ "[expect]\n[mr a]\nbacking=anon\n[expect]\n",
		  "4: duplicate section [expect] (first at line 1)" },
		{ "[mr]\n", "1: [mr] needs a name: [mr NAME]" },
		{ "[scenario]\nrequires = odp,gpu\n",
		  "2: [scenario] requires=odp,gpu: unknown capability 'gpu'" },
		{ "[mr a,b]\nbacking = anon\n", "1: [mr a,b]: mr name 'a,b'" },
		{ "[mr a]\nbacking = anon\nname = b\n",
		  "3: [mr a] name: the name is the header's" },
		{ "[mr a]\nbacking = floppy\n", "2: [mr a] backing=floppy" },
		{ "[mr a]\nbacking = file\n",
		  "2: mr a: backing file needs fs = NAME" },
		{ "[mr a]\nbacking = anon\nfs = ext4\n",
		  "3: mr a: backing anon is not a file" },
		{ "[mr a]\nbacking = file\nfs = /mnt\n",
		  "3: [mr a] fs=/mnt: want a filesystem name" },
		{ "[mr a]\nbacking = file\ndir = scratch\n",
		  "3: [mr a] dir=scratch: want a path" },
		{ "[scenario]\nduration = soon\n[mr a]\nbacking=anon\n",
		  "2: [scenario] duration=soon: want a time" },
		{ "[scenario]\nslowdown = 0\n[mr a]\nbacking=anon\n",
		  "2: [scenario] slowdown=0: want a number from 0.001" },
		{ "[scenario]\nseed = -1\n[mr a]\nbacking=anon\n",
		  "2: [scenario] seed=-1: want a number" },
		{ "[scenario]\nflavour = mild\n",
		  "2: [scenario] unknown key 'flavour' (scenario keys:" },
		{ "[mr a]\nbacking = anon\n[expect]\nmelted = may\n",
		  "4: [expect] melted = may: unknown finding class 'melted'" },
		{ "[mr a]\nbacking = anon\n[expect]\nhang = must mr == b\n",
		  "4: hang: no mr named 'b' in 'mr == b'" },
		{ "[mr a]\nbacking = anon\n[expect]\nhang = must gpu\n",
		  "4: [expect] hang = must gpu: unknown capability 'gpu'" },
		{ "[mr a]\nbacking = anon\n[mr b]\nbacking = anon\n"
		  "[stress t]\ntype = truncate\nmr = b\n[stress u]\n"
		  "type = truncate\nmr = c\n",
		  "10: stress u: no mr named 'c'" },
		{ "[mr a]\nbacking = file\nfs = ext4\n[stress t]\n"
		  "type = truncate\nshake = 3\n",
		  "6: [stress t] unknown key 'shake' for stressor truncate" },
		{ "[scenario]\nname = x\n", "no [mr NAME] section" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mrs_err e = { 0 };
		char want[600];

		snprintf(want, sizeof(want), "t.scn:%s", cases[i].want);
		if (cases[i].want[0] < '0' || cases[i].want[0] > '9')
			snprintf(want, sizeof(want), "t.scn: %s",
				 cases[i].want);
		assert_int_equal(load_text(*state, cases[i].text, &e), -EINVAL);
		if (strncmp(e.msg, want, strlen(want)))
			fail_msg("case %zu: '%s', want '%s...'", i, e.msg,
				 want);
	}
}

static void long_line_is_an_error(void **state)
{
	char text[600];
	struct mrs_err e = { 0 };

	snprintf(text, sizeof(text), "[scenario]\ndescription = %0300d\n", 0);
	assert_int_equal(load_text(*state, text, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "t.scn:2: line longer than"));
}

static void unreadable_file(void **state)
{
	struct mrs_err e = { 0 };

	assert_int_equal(scenario_load(*state, "/nonexistent/x.scn", &e),
			 -ENOENT);
	assert_non_null(strstr(e.msg, "/nonexistent/x.scn"));
}

/*
 * Equal as data, byte for byte, apart from the lines expectations were
 * read from (a printed file has its own).
 */
static void assert_same_spec(const struct run_spec *a, const struct run_spec *b)
{
	static struct run_spec x, y;

	x = *a;
	y = *b;
	for (unsigned i = 0; i < x.expects.n; i++)
		x.expects.v[i].line = 0;
	for (unsigned i = 0; i < y.expects.n; i++)
		y.expects.v[i].line = 0;
	for (size_t i = 0; i < sizeof(x); i++)
		if (((unsigned char *)&x)[i] != ((unsigned char *)&y)[i])
			fail_msg("specs differ at byte %zu of %zu", i,
				 sizeof(x));
}

/* print(spec), loaded back: the same spec, and printed the same. */
static void round_trip(struct scenario *back, const struct run_spec *spec)
{
	char *text = NULL, *again = NULL;
	size_t len = 0, len2 = 0;
	struct mrs_err e = { 0 };
	FILE *f = open_memstream(&text, &len);

	assert_int_equal(scenario_print(f, spec), 0);
	fclose(f);
	if (load_text(back, text, &e))
		fail_msg("%s\n%s", e.msg, text);
	assert_same_spec(spec, &back->spec);
	f = open_memstream(&again, &len2);
	assert_int_equal(scenario_print(f, &back->spec), 0);
	fclose(f);
	assert_string_equal(text, again);
	free(text);
	free(again);
}

static void print_round_trip_file(void **state)
{
	struct scenario *sc = *state, *back = calloc(1, sizeof(*back));
	struct mrs_err e = { 0 };

	assert_non_null(back);
	assert_int_equal(scenario_load(sc, fixture("valid.scn"), &e), 0);
	round_trip(back, &sc->spec);
	free(back);
}

static void print_round_trip_command_line(void **state)
{
	static const char *const mrs[] = {
		"file:ext4:8M,name=f",	  "anon:12K,access=ro+mw",
		"memfd:2M,access=odp",	  "file:/var/tmp/x:64K",
		"hugetlb:4M,hugepage=1G", "anon-shared:1M,access=rw+local",
	};
	struct scenario *back = *state;
	struct run_spec *s = calloc(1, sizeof(*s));
	struct mrs_err e = { 0 };

	assert_non_null(s);
	run_spec_init(s);
	for (size_t i = 0; i < sizeof(mrs) / sizeof(mrs[0]); i++)
		assert_int_equal(run_spec_add_mr(s, mrs[i], &e), 0);
	assert_int_equal(run_spec_add_dma(s, "mixed,bs=4K,qd=3,check=7", &e),
			 0);
	assert_int_equal(run_spec_add_dma(s, "read,mr=mr1,bs=1K", &e), 0);
	assert_int_equal(
		run_spec_add_stress(s, "truncate,to=3M,interval=0.3", &e), 0);
	assert_int_equal(
		run_spec_add_stress(
			s, "truncate,mr=f,threads=3,range=1M-50%,rate=7", &e),
		0);
	assert_int_equal(run_spec_add_expect(s, "detached,hang", &e), 0);
	assert_int_equal(run_spec_set(s, "duration", "1.7s", &e), 0);
	assert_int_equal(run_spec_set(s, "slowdown", "0.3", &e), 0);
	assert_int_equal(run_spec_set(s, "name", "command-line", &e), 0);
	assert_int_equal(run_spec_finish(s, NULL, &e), 0);
	run_spec_choose_seed(s);
	assert_true(s->seed_given);
	/* Two stressors of one type get names of their own. */
	assert_string_equal(s->stress[0].name, "truncate");
	assert_string_equal(s->stress[1].name, "truncate1");
	round_trip(back, s);
	free(s);
}

static void print_writes_every_key(void **state)
{
	struct scenario *sc = *state;
	struct mrs_err e = { 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_int_equal(load_text(sc, "[mr a]\nbacking = anon\n", &e), 0);
	run_spec_choose_seed(&sc->spec);
	assert_int_equal(scenario_print(f, &sc->spec), 0);
	fclose(f);
	for (const char *const *k =
		     (const char *const[]){
			     "\nname = t\n", "\nduration = 10s\n",
			     "\nseed = ", "\nslowdown = 1\n",
			     "\nhang_timeout = 10s\n", "\nrequires = none\n",
			     "\n[mr a]\nbacking = anon\nsize = 8M\naccess = rw\nhugepage = 0\n",
			     "\n[dma dma0]\nmr = a\nop = write\nbs = 4K\nqd = 8\nthreads = 1\ncheck = 16\n",
			     NULL };
	     *k; k++)
		if (!strstr(text, *k))
			fail_msg("no '%s' in:\n%s", *k, text);
	free(text);
}

static void exit_status_of_several(void **state)
{
	static const struct {
		int status[4];
		unsigned n;
		int want;
	} cases[] = {
		{ { 0, 0, 0 }, 3, MRS_EXIT_OK },
		{ { 0, 4, 0 }, 3, MRS_EXIT_OK },
		{ { 4, 4 }, 2, MRS_EXIT_SKIP },
		{ { 4 }, 1, MRS_EXIT_SKIP },
		{ { 0, 1, 4 }, 3, MRS_EXIT_FINDINGS },
		{ { 1, 3, 0 }, 3, MRS_EXIT_HARNESS },
		{ { 3, 1, 2 }, 3, MRS_EXIT_USAGE },
		{ { 0 }, 0, MRS_EXIT_OK },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(plan_exit_status(cases[i].status, cases[i].n),
				 cases[i].want);
}

#define ARGV(...) ((char *[]){ "mrstress", __VA_ARGS__, NULL })
#define ARGC(...) \
	((int)(sizeof((char *[]){ "mrstress", __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(o, e, ...) \
	options_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), (o), (e))

static void plan_of_a_directory(void **state)
{
	struct mrs_options *o = calloc(1, sizeof(*o));
	char dir[4200];
	struct mrs_err e = { 0 };
	struct plan p;

	(void)state;
	assert_non_null(o);
	snprintf(dir, sizeof(dir), "%s", fixture("dir"));
	assert_int_equal(PARSE(o, &e, dir, "--slowdown", "3", "--duration",
			       "1500ms"),
			 0);
	assert_int_equal(o->action, ACTION_RUN);
	if (plan_load(&p, o, &e))
		fail_msg("%s", e.msg);
	/* Every *.scn, sorted; README is not one. */
	assert_int_equal(p.n, 2);
	assert_string_equal(p.runs[0]->spec.name, "first");
	assert_string_equal(p.runs[1]->spec.name, "second");
	for (unsigned i = 0; i < 2; i++) {
		/* --slowdown and --duration replace each file's. */
		assert_near(p.runs[i]->spec.slowdown, 3);
		assert_near(p.runs[i]->spec.duration, 1.5);
		/* A seed is chosen. */
		assert_true(p.runs[i]->spec.seed_given);
	}
	assert_int_equal(p.runs[1]->spec.seed, 7);
	plan_free(&p);
	free(o);
}

static void plan_fails_on_any_file(void **state)
{
	struct mrs_options *o = calloc(1, sizeof(*o));
	char dir[4200], bad[4200];
	struct mrs_err e = { 0 };
	struct plan p;

	(void)state;
	assert_non_null(o);
	snprintf(dir, sizeof(dir), "%s", fixture("dir"));
	snprintf(bad, sizeof(bad), "%s", fixture("unknown-key.scn"));
	assert_int_equal(PARSE(o, &e, dir, bad), 0);
	assert_int_equal(plan_load(&p, o, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "unknown-key.scn:4: "));
	assert_int_equal(p.n, 0);

	assert_int_equal(PARSE(o, &e, "/nonexistent.scn"), 0);
	assert_int_equal(plan_load(&p, o, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "/nonexistent.scn: No such file"));
	free(o);
}

static void options_with_files(void **state)
{
	struct mrs_options *o = calloc(1, sizeof(*o));
	struct mrs_err e = { 0 };

	(void)state;
	assert_non_null(o);
	assert_int_equal(PARSE(o, &e, "a.scn", "b.scn", "--json=r.json"), 0);
	assert_int_equal(o->action, ACTION_RUN);
	assert_int_equal(o->n_files, 2);
	assert_string_equal(o->files[1], "b.scn");
	assert_int_equal(PARSE(o, &e, "--print-scenario", "a.scn"), 0);
	assert_int_equal(o->action, ACTION_PRINT);
	assert_null(o->print_file);
	assert_int_equal(PARSE(o, &e, "--mr", "anon", "--print-scenario=x"), 0);
	assert_int_equal(o->action, ACTION_PRINT);
	assert_string_equal(o->print_file, "x");
	assert_string_equal(o->spec.name, "command-line");

	assert_int_equal(PARSE(o, &e, "a.scn", "--mr", "anon"), -EINVAL);
	assert_non_null(strstr(e.msg, "scenario files do not go with --mr"));
	assert_int_equal(PARSE(o, &e, "a.scn", "--seed", "1"), -EINVAL);
	assert_int_equal(PARSE(o, &e, "a.scn", "--duration", "0"), -EINVAL);
	assert_non_null(strstr(e.msg, "--duration '0'"));
	/* A replay runs the bundle's duration, the one that found it. */
	assert_int_equal(PARSE(o, &e, "--replay", "b", "--duration", "2s"),
			 -EINVAL);
	assert_non_null(
		strstr(e.msg, "--replay and --minimize run the bundle"));
	assert_int_equal(PARSE(o, &e, "--print-scenario", "a.scn", "b.scn"),
			 -EINVAL);
	assert_non_null(strstr(e.msg, "prints one run"));
	assert_int_equal(PARSE(o, &e, "--list", "a.scn"), -EINVAL);
	assert_non_null(strstr(e.msg, "unexpected argument 'a.scn'"));
	assert_int_equal(PARSE(o, &e, "--print-scenario", "--json"), -EINVAL);
	assert_int_equal(PARSE(o, &e, "--mr", "anon", "--slowdown", "0"),
			 -EINVAL);
	assert_non_null(strstr(e.msg, "--slowdown '0': slowdown=0"));
	assert_int_equal(PARSE(o, &e, "--mr", "anon", "--slowdown", "4"), 0);
	assert_near(o->spec.slowdown, 4);
	free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(valid_scenario_keys, setup,
						teardown),
		cmocka_unit_test_setup_teardown(valid_mrs, setup, teardown),
		cmocka_unit_test_setup_teardown(valid_dma_and_stress, setup,
						teardown),
		cmocka_unit_test_setup_teardown(valid_expectations, setup,
						teardown),
		cmocka_unit_test_setup_teardown(empty_sections_count, setup,
						teardown),
		cmocka_unit_test_setup_teardown(file_errors_name_their_line,
						setup, teardown),
		cmocka_unit_test_setup_teardown(text_errors_name_their_line,
						setup, teardown),
		cmocka_unit_test_setup_teardown(long_line_is_an_error, setup,
						teardown),
		cmocka_unit_test_setup_teardown(unreadable_file, setup,
						teardown),
		cmocka_unit_test_setup_teardown(print_round_trip_file, setup,
						teardown),
		cmocka_unit_test_setup_teardown(print_round_trip_command_line,
						setup, teardown),
		cmocka_unit_test_setup_teardown(print_writes_every_key, setup,
						teardown),
		cmocka_unit_test(exit_status_of_several),
		cmocka_unit_test(plan_of_a_directory),
		cmocka_unit_test(plan_fails_on_any_file),
		cmocka_unit_test(options_with_files),
	};

	return cmocka_run_group_tests_name("scenario", tests, NULL, NULL);
}
