// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * findings/NN-CLASS.txt: one finding, whole: every field, the kernel's own
 * text (its log excerpt, or the stacks of a hang), the data expected and
 * found, and the stressor steps around it.
 */
#include <errno.h>
#include <string.h>

#include "bundle_files.h"

/* Seconds of steps shown before the damage could start and after. */
#define STEPS_BEFORE 1.0
#define STEPS_AFTER 0.5
#define STEPS_MAX 200

void bundle_finding_name(const struct finding *f, size_t k, char *buf,
			 size_t len)
{
	snprintf(buf, len, "%02zu-%s.txt", k + 1, finding_class_name(f->cls));
}

static const struct mr_result *mr_of(const struct run_result *res,
				     const char *name)
{
	for (unsigned i = 0; name[0] && i < res->n_mrs; i++)
		if (!strcmp(res->mrs[i].name, name))
			return &res->mrs[i];
	return NULL;
}

static void print_fields(FILE *f, const struct run_result *res,
			 const struct finding *x)
{
	const struct mr_result *m = mr_of(res, x->mr);

	fprintf(f, "%s %s\n\n", x->covered ? "expected" : "UNEXPECTED",
		x->title);
	fprintf(f, "class:       %s\n", finding_class_name(x->cls));
	if (x->covered)
		fprintf(f, "expected:    yes, by expectation %d (line %u)\n",
			x->covered_by, res->expects.v[x->covered_by].line);
	else
		fprintf(f, "expected:    no\n");
	if (m)
		fprintf(f, "mr:          %s (%s, %s)\n", m->name, m->desc,
			m->access);
	if (x->view[0])
		fprintf(f, "seen in:     %s\n", x->view);
	fprintf(f, "time:        %.6f s after the run started\n", x->t);
	if (x->t_from > 0)
		fprintf(f,
			"since:       %.6f s (the oldest write that may legally be there)\n",
			x->t_from);
	if (x->length)
		fprintf(f,
			"range:       offset 0x%llx, length 0x%llx (%llu blocks of %llu)\n",
			(unsigned long long)x->offset,
			(unsigned long long)x->length,
			(unsigned long long)x->blocks,
			(unsigned long long)x->block_size);
	if (finding_class_is_data(x->cls))
		fprintf(f, "generation:  expected %llu, found %s%llu\n",
			(unsigned long long)x->expected_gen,
			x->found_gen_valid ? "" : "none valid, ",
			(unsigned long long)x->found_gen);
	if (x->err)
		fprintf(f, "errno:       %s (%s)\n", errno_name(x->err),
			strerror(x->err));
	if (x->count > 1)
		fprintf(f, "reported:    %u times\n", x->count);
	fprintf(f, "detail:      %s\n", x->detail);
	if (x->overlap[0])
		fprintf(f, "overlapping: %s\n", x->overlap);
}

static void print_steps(FILE *f, const struct run_result *res,
			const struct finding *x)
{
	double from = (x->t_from > 0 ? x->t_from : x->t) - STEPS_BEFORE;
	double to = x->t + STEPS_AFTER;
	size_t first = run_events_from(res, from), last = first, shown;

	/* A long step that started earlier still overlaps: look back. */
	while (first > 0 && res->events[first - 1].end >= from &&
	       last - first < STEPS_MAX)
		first--;
	while (last < res->n_events && res->events[last].start <= to)
		last++;
	fprintf(f, "\nstressor steps from %.3f s to %.3f s:\n", from, to);
	if (first == last) {
		fprintf(f, "  none\n");
		return;
	}
	/* The steps nearest the finding matter most: keep the last ones. */
	shown = last - first > STEPS_MAX ? STEPS_MAX : last - first;
	if (shown < last - first)
		fprintf(f, "  ... %zu earlier steps\n", last - first - shown);
	bundle_print_events(f, res, last - shown, last);
}

int bundle_fill_finding(FILE *f, void *arg)
{
	const struct bundle_finding *bf = arg;
	const struct run_result *res = bf->b->res;
	const struct finding *x = bf->f;

	print_fields(f, res, x);
	if (x->text && x->text[0])
		fprintf(f, "\n%s%s", x->text,
			x->text[strlen(x->text) - 1] == '\n' ? "" : "\n");
	if (finding_class_is_data(x->cls) && x->dump_len)
		fputc('\n', f);
	finding_print_dumps(f, "", "  ", x);
	print_steps(f, res, x);
	return ferror(f) ? -EIO : 0;
}
