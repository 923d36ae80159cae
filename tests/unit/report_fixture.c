// SPDX-License-Identifier: GPL-2.0-or-later
/* Report inputs for the format tests: see report_fixture.h. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "exit_status.h"
#include "report_fixture.h"
#include "unit.h"

static struct run_result *new_result(const struct scenario *sc)
{
	struct run_result *res = calloc(1, sizeof(*res));
	struct mr_result *m;

	assert_non_null(res);
	finding_list_init(&res->findings);
	str_copy(res->name, sizeof(res->name), sc->spec.name);
	str_copy(res->scenario_file, sizeof(res->scenario_file), sc->path);
	str_copy(res->kernel_release, sizeof(res->kernel_release),
		 "6.1.0-37-amd64");
	str_copy(res->dev.name, sizeof(res->dev.name), "rxe0");
	res->dev.port = 1;
	res->seed = 42;
	res->duration = 4;
	res->elapsed = 4.25;
	res->slowdown = 1;
	res->n_mrs = 1;
	m = &res->mrs[0];
	str_copy(m->name, sizeof(m->name), "f");
	str_copy(m->desc, sizeof(m->desc), "file tmpfs 4M shared");
	str_copy(m->access, sizeof(m->access), "rw");
	m->registered = true;
	return res;
}

static void add_scenario(struct report_fixture *f, const char *name,
			 const char *path, int status)
{
	unsigned i = f->plan.n++;
	struct scenario *sc = calloc(1, sizeof(*sc));

	assert_non_null(sc);
	str_copy(sc->spec.name, sizeof(sc->spec.name), name);
	str_copy(sc->path, sizeof(sc->path), path);
	f->runs[i] = sc;
	f->v[i].sc = sc;
	f->v[i].ran = true;
	f->v[i].status = status;
	f->in.n_done = i + 1;
}

/* An unexpected detached range with a dump, and an expected refusal. */
static void add_findings(struct run_result *res)
{
	struct finding d = { .cls = FC_DETACHED, .t = 2.5, .t_from = 2.0 };
	struct finding p = { .cls = FC_POLICY_REFUSED, .t = 0.1 };
	struct mrs_err e = { 0 };

	str_copy(d.title, sizeof(d.title), "detached: file tmpfs 4M <&>");
	str_copy(d.detail, sizeof(d.detail), "blocks 0x200000-0x3fffff");
	str_copy(d.mr, sizeof(d.mr), "f");
	str_copy(d.overlap, sizeof(d.overlap), "truncate: 3 steps");
	d.offset = 0x200000;
	d.length = d.block_size = 4096;
	d.blocks = 1;
	d.dump_len = 16;
	memset(d.expected, 0xab, sizeof(d.expected));
	memcpy(d.found,
	       "]]><&\"\x01\x02"
	       "abcdefgh",
	       16);
	d.text = (char *)NASTY_TEXT; /* finding_add() copies it */
	finding_add(&res->findings, &d);
	str_copy(p.title, sizeof(p.title), "policy-refused: reg_mr EFAULT");
	str_copy(p.detail, sizeof(p.detail), "long-term pin refused");
	finding_add(&res->findings, &p);
	assert_int_equal(expect_parse(&res->expects.v[0], "policy-refused",
				      "may kernel >= 6.5", &e),
			 0);
	res->expects.v[0].line = 12;
	res->expects.n = 1;
	res->marks[0].applied = true;
	res->marks[0].matched = 1;
	res->findings.v[1].covered = true;
	res->findings.v[1].covered_by = 0;
	res->findings.v[0].covered_by = -1;
}

static void build(struct report_fixture *f, enum report_case c)
{
	switch (c) {
	case RC_PASSED:
		add_scenario(f, "clean", "scenarios/clean.scn", MRS_EXIT_OK);
		break;
	case RC_FINDINGS:
		add_scenario(f, "clean", "scenarios/clean.scn", MRS_EXIT_OK);
		/* A name KTAP cannot carry as it is. */
		add_scenario(f, "trunc # ate\nnow", "dir/unexpected.v2.scn",
			     MRS_EXIT_FINDINGS);
		break;
	case RC_SKIP:
		add_scenario(f, "command-line", "", MRS_EXIT_SKIP);
		str_copy(f->v[0].error, sizeof(f->v[0].error),
			 "no RDMA device found");
		break;
	case RC_ERRORS:
		add_scenario(f, "harness", "h.scn", MRS_EXIT_HARNESS);
		str_copy(f->v[0].error, sizeof(f->v[0].error),
			 "ibv_create_cq: Cannot allocate memory\x01");
		add_scenario(f, "usage", "u.scn", MRS_EXIT_USAGE);
		str_copy(f->v[1].error, sizeof(f->v[1].error),
			 "u.scn: bs must divide the size");
		break;
	default:
		add_scenario(f, "one", "one.scn", MRS_EXIT_OK);
		add_scenario(f, "two", "two.scn", MRS_EXIT_OK);
		add_scenario(f, "three", "three.scn", MRS_EXIT_OK);
		f->in.n_done = 1;
		f->in.signal = SIGTERM;
		for (unsigned i = 1; i < 3; i++) {
			f->v[i].ran = false;
			str_copy(f->v[i].not_run, sizeof(f->v[i].not_run),
				 "interrupted by SIGTERM");
		}
		break;
	}
}

struct report_fixture *report_fixture_new(enum report_case c)
{
	struct report_fixture *f = calloc(1, sizeof(*f));
	int st[REPORT_CASE_MAX];

	assert_non_null(f);
	f->plan.runs = f->runs;
	build(f, c);
	for (unsigned i = 0; i < f->in.n_done; i++) {
		if (f->v[i].status == MRS_EXIT_OK ||
		    f->v[i].status == MRS_EXIT_FINDINGS)
			f->v[i].res = new_result(f->runs[i]);
		st[i] = f->v[i].status;
	}
	if (c == RC_FINDINGS)
		add_findings(f->v[1].res);
	if (c == RC_INTERRUPTED)
		f->v[0].res->interrupted = true;
	f->in.plan = &f->plan;
	f->in.v = f->v;
	f->in.final = true;
	f->in.status = plan_exit_status(st, f->in.n_done);
	f->in.started = 1700000000;
	f->in.command_line = "mrstress --ktap 'a b.scn'";
	return f;
}

void report_fixture_free(struct report_fixture *f)
{
	for (unsigned i = 0; i < f->plan.n; i++) {
		if (f->v[i].res) {
			run_result_free(f->v[i].res);
			free(f->v[i].res);
		}
		free(f->runs[i]);
	}
	free(f);
}

const char *report_case_name(enum report_case c)
{
	static const char *const names[RC_COUNT] = { "passed", "findings",
						     "skip", "errors",
						     "interrupted" };

	return names[c];
}

char *report_stream(const struct reporter *r, const struct report_input *in)
{
	struct report_input step = *in;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	assert_non_null(m);
	step.final = false;
	if (r->begin)
		r->begin(m, &step);
	for (unsigned i = 0; i < in->n_done; i++) {
		step.n_done = i + 1;
		if (r->scenario)
			r->scenario(m, &step, i);
	}
	if (r->end)
		r->end(m, in);
	assert_int_equal(fclose(m), 0);
	return buf;
}
