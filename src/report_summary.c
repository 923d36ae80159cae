// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The end of the text report: what became of each scenario, the findings
 * of all of them grouped by class with their titles, and where the bundle
 * is. What a user reads first, and pastes into a bug report.
 */
#include <string.h>

#include "report.h"

/* Titles listed per class before "... and N more". */
#define SUMMARY_TITLES 4

static const char *status_word(int status)
{
	static const char *const what[] = { "passed", "FAILED", "usage error",
					    "HARNESS FAILURE", "skipped" };

	return status >= 0 && status <= 4 ? what[status] : "?";
}

static void print_scenarios(FILE *f, const struct report_input *in)
{
	for (unsigned i = 0; i < in->plan->n; i++) {
		const struct scenario_outcome *o = &in->v[i];
		const char *path = o->sc->path[0] ? o->sc->path :
						    "(command line)";

		if (i >= in->n_done) {
			fprintf(f, "  %-24s not run (%s)  %s\n",
				o->sc->spec.name, o->not_run, path);
			continue;
		}
		fprintf(f, "  %-24s %-15s %s\n", o->sc->spec.name,
			status_word(o->status), path);
		if (o->replayed)
			fprintf(f, "  %-24s replay: %s\n", "", o->replay);
	}
}

struct class_sum {
	size_t unexpected, expected;
	unsigned n_titles, more;
	const char *titles[SUMMARY_TITLES];
};

static void add_title(struct class_sum *c, const char *title)
{
	for (unsigned k = 0; k < c->n_titles; k++)
		if (!strcmp(c->titles[k], title))
			return;
	if (c->n_titles < SUMMARY_TITLES)
		c->titles[c->n_titles++] = title;
	else
		c->more++;
}

static void sum_classes(const struct report_input *in, struct class_sum *sum)
{
	for (unsigned i = 0; i < in->n_done; i++) {
		const struct run_result *res = in->v[i].res;

		for (size_t k = 0; res && k < res->findings.n; k++) {
			const struct finding *fd = &res->findings.v[k];
			struct class_sum *c = &sum[fd->cls];

			if (fd->covered)
				c->expected++;
			else
				c->unexpected++;
			add_title(c, fd->title);
		}
	}
}

static void print_classes(FILE *f, const struct report_input *in)
{
	struct class_sum sum[FC_COUNT] = { 0 };

	sum_classes(in, sum);
	for (int cls = 0; cls < FC_COUNT; cls++) {
		const struct class_sum *c = &sum[cls];

		if (!c->expected && !c->unexpected)
			continue;
		fprintf(f, "  %-16s %zu unexpected, %zu expected\n",
			finding_class_name((enum finding_class)cls),
			c->unexpected, c->expected);
		for (unsigned k = 0; k < c->n_titles; k++)
			fprintf(f, "    %s\n", c->titles[k]);
		if (c->more)
			fprintf(f, "    ... and %u more\n", c->more);
	}
}

void report_summary(FILE *f, const struct report_input *in)
{
	size_t n = 0, unexpected = 0;

	for (unsigned i = 0; i < in->n_done; i++)
		if (in->v[i].res) {
			n += in->v[i].res->findings.n;
			unexpected += finding_list_unexpected(
				&in->v[i].res->findings);
		}
	fprintf(f, "summary: %u scenario%s, exit status %d%s\n", in->plan->n,
		in->plan->n == 1 ? "" : "s", in->status,
		in->signal ? " (interrupted)" : "");
	print_scenarios(f, in);
	fprintf(f, "findings: %zu, %zu unexpected\n", n, unexpected);
	print_classes(f, in);
	if (in->bundle)
		fprintf(f, "bundle: %s (start with summary.txt)\n", in->bundle);
}
