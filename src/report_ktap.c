// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * KTAP version 1 on stdout (Documentation/dev-tools/ktap.rst), one test
 * per scenario, so that kselftest's runner and the kernel's
 * tools/testing/kunit/kunit_parser.py take a run as it is: the plan first,
 * each scenario's text report and findings as "# " diagnostic lines, then
 * its result line. The exit status stays kselftest's (0 pass, 1 fail,
 * 4 skip).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "exit_status.h"
#include "report.h"

#define KTAP_PREFIX "# "

/*
 * n bytes of s on the current line: a control character (a kernel log can
 * carry them) would break the line-oriented format, and so would bad, a
 * character with a meaning there: each becomes repl.
 */
static void put_clean(FILE *f, const char *s, size_t n, char bad, char repl)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		bool control = (c < 0x20 && c != '\t') || c == 0x7f;

		fputc(control || (bad && c == bad) ? repl : c, f);
	}
}

/* A directive's reason: the rest of the line. */
static void put_reason(FILE *f, const char *s)
{
	put_clean(f, s, strlen(s), 0, ' ');
}

static void diag_line(FILE *f, const char *s, size_t n)
{
	fputs(n ? KTAP_PREFIX : "#", f);
	put_clean(f, s, n, 0, '?');
	fputc('\n', f);
}

/* Every line of text as a diagnostic line. */
static void diag_text(FILE *f, const char *text)
{
	for (const char *l = text; *l;) {
		size_t n = strcspn(l, "\n");

		diag_line(f, l, n);
		l += n + (l[n] == '\n');
	}
}

/* What a report function writes, as diagnostic lines. */
static void diag_of(FILE *f, void (*fn)(FILE *, const void *), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m) {
		fprintf(f, KTAP_PREFIX "(report not shown: %s)\n",
			strerror(errno));
		return;
	}
	fn(m, arg);
	if (fclose(m))
		fprintf(f, KTAP_PREFIX "(report not shown: %s)\n",
			strerror(errno));
	else
		diag_text(f, buf);
	free(buf);
}

static void text_of_run(FILE *f, const void *res)
{
	report_text(f, res);
}

static void summary_of_plan(FILE *f, const void *in)
{
	report_summary(f, in);
}

/*
 * A test name: '#' would start a directive and a newline would end the
 * line, so both (and every other control character) become '_'.
 */
static void put_name(FILE *f, const char *name)
{
	if (*name)
		put_clean(f, name, strlen(name), '#', '_');
	else
		fputs("unnamed", f);
}

static void result_line(FILE *f, bool passed, unsigned n, const char *name)
{
	fprintf(f, "%sok %u ", passed ? "" : "not ", n);
	put_name(f, name);
}

static void ktap_begin(FILE *f, const struct report_input *in)
{
	fprintf(f, "KTAP version 1\n1..%u\n", in->plan->n);
}

/* One line per finding, for a reader that skips the report above. */
static void diag_findings(FILE *f, const struct run_result *res)
{
	const struct finding_list *fl = &res->findings;
	char line[512];

	for (size_t k = 0; k < fl->n; k++) {
		const struct finding *x = &fl->v[k];
		int n = snprintf(line, sizeof(line), "finding: %s %s: %s",
				 finding_class_name(x->cls),
				 x->covered ? "expected" : "UNEXPECTED",
				 x->title);

		diag_line(f, line,
			  n < (int)sizeof(line) ? (size_t)n : sizeof(line) - 1);
	}
	if (fl->dropped)
		fprintf(f, KTAP_PREFIX "finding: %zu more not stored\n",
			fl->dropped);
}

static void diag_error(FILE *f, const struct scenario_outcome *o)
{
	char line[600];
	int n;

	/* A skip's reason is on its result line. */
	if (!o->error[0] || o->status == MRS_EXIT_SKIP)
		return;
	n = snprintf(line, sizeof(line), "error: %s", o->error);
	diag_line(f, line,
		  n < (int)sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

static void ktap_scenario(FILE *f, const struct report_input *in, unsigned i)
{
	const struct scenario_outcome *o = &in->v[i];

	if (o->res && o->res->n_mrs) {
		diag_of(f, text_of_run, o->res);
		diag_findings(f, o->res);
	}
	diag_error(f, o);
	result_line(f, o->status == MRS_EXIT_OK || o->status == MRS_EXIT_SKIP,
		    i + 1, o->sc->spec.name);
	if (o->status == MRS_EXIT_SKIP) {
		fputs(" # SKIP ", f);
		put_reason(f, o->error[0] ? o->error : "skipped");
	}
	fputc('\n', f);
}

/* kselftest's closing line, which its runner and people look for. */
static void totals(FILE *f, const struct report_input *in)
{
	unsigned pass = 0, fail = 0, skip = 0, error = 0;

	for (unsigned i = 0; i < in->plan->n; i++) {
		int st = i < in->n_done ? in->v[i].status : MRS_EXIT_SKIP;

		if (st == MRS_EXIT_OK)
			pass++;
		else if (st == MRS_EXIT_FINDINGS)
			fail++;
		else if (st == MRS_EXIT_SKIP)
			skip++;
		else
			error++;
	}
	fprintf(f,
		KTAP_PREFIX
		"Totals: pass:%u fail:%u xfail:0 xpass:0 skip:%u error:%u\n",
		pass, fail, skip, error);
}

/* The scenarios that never ran are skipped, with the reason; then totals. */
static void ktap_end(FILE *f, const struct report_input *in)
{
	for (unsigned i = in->n_done; i < in->plan->n; i++) {
		const struct scenario_outcome *o = &in->v[i];

		result_line(f, true, i + 1, o->sc->spec.name);
		fputs(" # SKIP not run: ", f);
		put_reason(f, o->not_run[0] ? o->not_run : "not reached");
		fputc('\n', f);
	}
	diag_of(f, summary_of_plan, in);
	totals(f, in);
}

const struct reporter reporter_ktap = {
	.name = "ktap",
	.begin = ktap_begin,
	.scenario = ktap_scenario,
	.end = ktap_end,
	.line_prefix = KTAP_PREFIX,
};
