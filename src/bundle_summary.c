// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * summary.txt: the page a user pastes into a bug report. What ran, on
 * which kernel, what was found, and the one command that reproduces it.
 */
#include <errno.h>
#include <string.h>

#include "bundle_files.h"
#include "scenario.h"
#include "taint.h"

/* Findings listed; a run can have hundreds, each has its own file. */
#define SUMMARY_FINDINGS 8

static void print_headline(FILE *f, const struct bundle_scenario *b)
{
	const struct scenario_outcome *o = &b->in->v[b->i];
	const struct finding *x =
		b->res ? finding_list_first_unexpected(&b->res->findings) :
			 NULL;

	if (!o->ran)
		fprintf(f, "NOT RUN: %s\n", o->not_run);
	else if (x)
		fprintf(f, "%s\n", x->title);
	else if (o->error[0])
		fprintf(f, "NO RESULT: %s\n", o->error);
	else
		fprintf(f, "No unexpected findings\n");
	fprintf(f, "\n");
}

static void print_what_ran(FILE *f, const struct bundle_scenario *b)
{
	const struct run_result *res = b->res;
	const struct scenario *sc = b->in->v[b->i].sc;

	fprintf(f, "scenario:  %s%s%s%s\n", sc->spec.name,
		sc->path[0] ? " (" : "", sc->path, sc->path[0] ? ")" : "");
	if (sc->spec.description[0])
		fprintf(f, "           %s\n", sc->spec.description);
	fprintf(f, "seed:      %llu\n", (unsigned long long)sc->spec.seed);
	if (!res || !res->n_mrs)
		return;
	fprintf(f, "kernel:    %s\n", res->kernel_release);
	fprintf(f, "device:    %s port %u (%s)\n", res->dev.name, res->dev.port,
		res->dev.gid_type ? res->dev.gid_type : "?");
	fprintf(f, "ran:       %.1f s of %.1f s%s\n", res->elapsed,
		res->duration, res->interrupted ? " (interrupted)" : "");
	for (unsigned i = 0; i < res->n_mrs; i++)
		fprintf(f, "memory:    %s: %s, %s: %s\n", res->mrs[i].name,
			res->mrs[i].desc, res->mrs[i].access,
			res->mrs[i].registered ? "registered" :
			res->mrs[i].skipped    ? "skipped" :
						 res->mrs[i].error);
	for (unsigned i = 0; i < res->n_dmas; i++)
		fprintf(f, "dma:       %s %s on %s, %llu bytes\n",
			res->dmas[i].spec.name,
			dma_op_name(res->dmas[i].spec.op), res->dmas[i].spec.mr,
			(unsigned long long)res->dmas[i].stats.bytes);
	for (unsigned i = 0; i < res->n_stress; i++)
		fprintf(f, "stressor:  %s (%s) on %s, %llu steps%s%s\n",
			res->stress[i].spec.name, res->stress[i].spec.s->name,
			res->stress[i].spec.mr,
			(unsigned long long)res->stress[i].stats.steps,
			res->stress[i].stats.skipped ? ", skipped: " : "",
			res->stress[i].stats.skipped ?
				res->stress[i].stats.reason :
				"");
}

static void print_findings(FILE *f, const struct bundle_scenario *b)
{
	const struct finding_list *fl = &b->res->findings;
	char name[64];

	fprintf(f, "\nfindings: %zu, %zu unexpected%s\n", fl->n,
		finding_list_unexpected(fl),
		fl->n ? " (each in findings/)" : "");
	for (size_t k = 0; k < fl->n && k < SUMMARY_FINDINGS; k++) {
		bundle_finding_name(&fl->v[k], k, name, sizeof(name));
		fprintf(f, "  %-10s %s\n             findings/%s\n",
			fl->v[k].covered ? "expected" : "UNEXPECTED",
			fl->v[k].title, name);
	}
	if (fl->n > SUMMARY_FINDINGS)
		fprintf(f, "  ... %zu more in findings/ and report.json\n",
			fl->n - SUMMARY_FINDINGS);
	if (b->res->taint_read && b->res->taint_after & ~b->res->taint_before) {
		char now[TAINT_LETTERS_LEN];

		taint_letters(b->res->taint_after, now, sizeof(now));
		fprintf(f, "taint:    %s after the run (taint.txt)\n", now);
	}
}

static void print_reproduce(FILE *f, const struct bundle_scenario *b)
{
	fprintf(f, "\nreproduce:\n");
	fprintf(f,
		"  mrstress --replay %s\n"
		"      runs this scenario again with the same seed and says whether the\n"
		"      same findings came back\n",
		b->dir);
	if (b->repro_note[0])
		fprintf(f, "  repro.c: %s\n", b->repro_note);
	else
		fprintf(f,
			"  repro.c\n"
			"      standalone, libibverbs only: its first lines say how to build\n"
			"      and run it\n");
	fprintf(f,
		"  mrstress --minimize %s\n"
		"      shrinks the scenario while the finding comes back, rewrites repro.c\n",
		b->dir);
}

static void print_files(FILE *f)
{
	fprintf(f,
		"\nfiles: scenario.scn (resolved, with its seed), cmdline, kernel.txt\n"
		"(release and config), taint.txt, report.txt, report.json,\n"
		"timeline.txt (every stressor step), findings/, repro.c\n");
}

int bundle_fill_summary(FILE *f, void *arg)
{
	const struct bundle_scenario *b = arg;

	print_headline(f, b);
	print_what_ran(f, b);
	fprintf(f, "status:    %d%s\n", b->in->v[b->i].status,
		b->in->v[b->i].ran ? "" : " (not run)");
	if (b->res)
		print_findings(f, b);
	print_reproduce(f, b);
	fprintf(f, "\ncommand line:\n  %s\n",
		b->in->command_line ? b->in->command_line : "(unknown)");
	print_files(f);
	return ferror(f) ? -EIO : 0;
}

int bundle_fill_plan_summary(FILE *f, void *arg)
{
	const struct bundle_scenario *b = arg;

	report_summary(f, b->in);
	fprintf(f, "\neach scenario's bundle is in its own directory:\n");
	for (unsigned i = 0; i < b->in->plan->n; i++) {
		char sdir[PATH_MAX];

		bundle_scenario_dir(NULL, b->in, i, sdir, sizeof(sdir));
		fprintf(f, "  %s/summary.txt\n", sdir);
	}
	fprintf(f, "\ncommand line:\n  %s\n",
		b->in->command_line ? b->in->command_line : "(unknown)");
	return ferror(f) ? -EIO : 0;
}
