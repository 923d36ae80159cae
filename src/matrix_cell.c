// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One cell of the matrix: what a kernel's report says its run of one
 * scenario observed. The state comes from the run's own verdict (status,
 * unexpected findings, unmet must-expectations); the text lists the
 * finding classes seen with their counts, so that a cell shows what the
 * kernel did, not what the scenario expected of it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "exit_status.h"
#include "matrix.h"

/* Titles shown on hover before "... N more". */
#define HOVER_TITLES 12

struct class_count {
	const char *cls;
	unsigned n, unexpected;
	char errnos[64];
};

struct class_tally {
	unsigned n;
	struct class_count v[32];
};

const char *matrix_state_name(enum matrix_state s)
{
	static const char *const names[MATRIX_STATES] = {
		[MATRIX_PASS] = "pass",
		[MATRIX_EXPECTED] = "expected",
		[MATRIX_UNEXPECTED] = "unexpected",
		[MATRIX_SKIP] = "skip",
		[MATRIX_ERROR] = "error",
		[MATRIX_NOT_RUN] = "not run",
	};

	return s < MATRIX_STATES ? names[s] : "?";
}

static const char *str_of(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

bool matrix_has(const struct matrix *m, const char *rel)
{
	struct stat st;
	char *path;
	bool there;

	if (asprintf(&path, "%s/%s", m->dir, rel) < 0)
		abort();
	there = !stat(path, &st);
	free(path);
	return there;
}

char *matrix_cell_link(const struct matrix *m, const struct matrix_kernel *k,
		       unsigned i)
{
	char *dir, *file;

	/* mrstress -o: one scenario is the bundle, several are NN-NAME/. */
	if (m->n_scenarios == 1) {
		if (asprintf(&dir, "%s/bundle", k->dir) < 0)
			abort();
	} else if (asprintf(&dir, "%s/bundle/%02u-%s", k->dir, i + 1,
			    m->scenarios[i].name) < 0) {
		abort();
	}
	if (asprintf(&file, "%s/summary.txt", dir) < 0)
		abort();
	if (matrix_has(m, file)) {
		free(dir);
		return file;
	}
	free(file);
	if (matrix_has(m, dir))
		return dir;
	free(dir);
	return NULL;
}

static void tally(struct class_tally *t, json_t *f)
{
	const char *cls = str_of(f, "class"), *err = str_of(f, "errno");
	struct class_count *c = NULL;

	for (unsigned i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].cls, cls))
			c = &t->v[i];
	if (!c) {
		if (t->n == sizeof(t->v) / sizeof(t->v[0]))
			return;
		c = &t->v[t->n++];
		memset(c, 0, sizeof(*c));
		c->cls = cls;
	}
	c->n++;
	c->unexpected += !json_is_true(json_object_get(f, "expected"));
	if (err[0] && !strstr(c->errnos, err))
		snprintf(c->errnos + strlen(c->errnos),
			 sizeof(c->errnos) - strlen(c->errnos), "%s%s",
			 c->errnos[0] ? "/" : "", err);
}

/* "detached ×12, policy-refused ×3 EFAULT; not met: hang" */
static void observed(FILE *o, const struct class_tally *t, json_t *expects)
{
	const char *sep = "";
	size_t i;
	json_t *x;

	for (unsigned k = 0; k < t->n; k++, sep = ", ") {
		const struct class_count *c = &t->v[k];

		fprintf(o, "%s%s \u00d7%u%s%s", sep, c->cls, c->n,
			c->errnos[0] ? " " : "", c->errnos);
		if (c->unexpected == c->n)
			fprintf(o, " (unexpected)");
		else if (c->unexpected)
			fprintf(o, " (%u unexpected)", c->unexpected);
	}
	sep = t->n ? "; not met: " : "not met: ";
	json_array_foreach(expects, i, x)
	{
		if (json_is_false(json_object_get(x, "met"))) {
			fprintf(o, "%s%s", sep, str_of(x, "class"));
			sep = ", ";
		}
	}
}

/* The hover: every finding's title (up to a point), unmet expectations. */
static void hover(FILE *o, json_t *findings, json_t *expects)
{
	size_t i, n = json_array_size(findings);
	json_t *x;

	json_array_foreach(findings, i, x)
	{
		if (i == HOVER_TITLES) {
			fprintf(o, "... %zu more\n", n - i);
			break;
		}
		fprintf(o, "%s %s\n",
			json_is_true(json_object_get(x, "expected")) ?
				"expected" :
				"UNEXPECTED",
			str_of(x, "title"));
	}
	json_array_foreach(expects, i, x)
	{
		if (json_is_false(json_object_get(x, "met")))
			fprintf(o, "NOT MET %s (line %lld: %s %s)\n",
				str_of(x, "class"),
				json_integer_value(json_object_get(x, "line")),
				str_of(x, "need"), str_of(x, "condition"));
	}
}

static double dma_rate(json_t *run)
{
	double sum = 0;
	size_t i;
	json_t *d;

	json_array_foreach(json_object_get(run, "dma"), i, d)
	{
		if (json_is_true(json_object_get(d, "ran")))
			sum += json_number_value(
				json_object_get(d, "mb_per_s"));
	}
	return sum;
}

/* Why a run was skipped: its error, then each MR's reason. */
static char *skip_reason(json_t *run)
{
	char *why = NULL;
	size_t i, len = 0;
	json_t *mr;
	FILE *f = open_memstream(&why, &len);

	if (!f)
		abort();
	fprintf(f, "%s\n",
		str_of(run, "error")[0] ? str_of(run, "error") :
					  "skipped (no reason given)");
	json_array_foreach(json_object_get(run, "mrs"), i, mr)
	{
		if (str_of(mr, "reason")[0])
			fprintf(f, "mr %s: %s\n", str_of(mr, "name"),
				str_of(mr, "reason"));
	}
	if (fclose(f))
		abort();
	return why;
}

static enum matrix_state verdict(json_t *run, const struct class_tally *t)
{
	json_t *sum = json_object_get(run, "summary");
	json_int_t status = json_integer_value(json_object_get(run, "status"));

	for (unsigned k = 0; k < t->n; k++)
		if (!strcmp(t->v[k].cls, "harness-error"))
			return MATRIX_ERROR;
	if (status == MRS_EXIT_USAGE || status == MRS_EXIT_HARNESS)
		return MATRIX_ERROR;
	if (status == MRS_EXIT_SKIP)
		return MATRIX_SKIP;
	if (status == MRS_EXIT_FINDINGS ||
	    json_integer_value(json_object_get(sum, "unexpected")) ||
	    json_integer_value(json_object_get(sum, "unmet")))
		return MATRIX_UNEXPECTED;
	return t->n ? MATRIX_EXPECTED : MATRIX_PASS;
}

/* A run that ran: its findings counted, titled, and judged. */
static void judge_run(struct matrix_cell *c, json_t *run)
{
	json_t *findings = json_object_get(run, "findings"),
	       *expects = json_object_get(run, "expectations"), *f;
	struct class_tally t = { 0 };
	size_t i, olen = 0, dlen = 0;
	FILE *o = open_memstream(&c->observed, &olen),
	     *d = open_memstream(&c->detail, &dlen);

	if (!o || !d)
		abort();
	json_array_foreach(findings, i, f)
	{
		tally(&t, f);
	}
	c->state = verdict(run, &t);
	c->mb_per_s = dma_rate(run);
	observed(o, &t, expects);
	if (c->state == MATRIX_ERROR && str_of(run, "error")[0])
		fprintf(d, "%s\n", str_of(run, "error"));
	hover(d, findings, expects);
	if (fclose(o) || fclose(d))
		abort();
}

static void set_texts(struct matrix_cell *c, enum matrix_state s,
		      const char *detail)
{
	c->state = s;
	c->observed = strdup("");
	c->detail = strdup(detail);
}

void matrix_cell_judge(const struct matrix *m, struct matrix_kernel *k,
		       unsigned i)
{
	struct matrix_cell *c = &k->cells[i];
	json_t *run =
		json_array_get(json_object_get(k->report, "scenarios"), i);
	const char *name = str_of(json_object_get(run, "scenario"), "name");
	char *why = NULL;

	if (!run && k->failure) {
		if (asprintf(&why, "not run: %s", k->failure) < 0)
			abort();
		set_texts(c, MATRIX_NOT_RUN, why);
	} else if (!run && !k->report) {
		if (asprintf(&why,
			     "no usable report.json (mrstress-vm exit %d)",
			     k->vm_status) < 0)
			abort();
		set_texts(c, MATRIX_ERROR, why);
	} else if (!run) {
		set_texts(c, MATRIX_NOT_RUN, "not in the report");
	} else if (strcmp(name, m->scenarios[i].name)) {
		if (asprintf(&why, "the report's scenario %u is '%s', not '%s'",
			     i + 1, name, m->scenarios[i].name) < 0)
			abort();
		set_texts(c, MATRIX_ERROR, why);
	} else if (!json_is_true(json_object_get(run, "ran"))) {
		set_texts(c, MATRIX_NOT_RUN, str_of(run, "not_run"));
	} else if (json_integer_value(json_object_get(run, "status")) ==
		   MRS_EXIT_SKIP) {
		why = skip_reason(run);
		set_texts(c, MATRIX_SKIP, why);
	} else {
		judge_run(c, run);
	}
	/* a run's bundle; one that never ran has none worth a link */
	if (c->state != MATRIX_NOT_RUN)
		c->link = matrix_cell_link(m, k, i);
	c->run = run;
	free(why);
}

unsigned matrix_count(const struct matrix *m, enum matrix_state s)
{
	unsigned n = 0;

	for (unsigned k = 0; k < m->n_kernels; k++)
		for (unsigned i = 0; i < m->n_scenarios; i++)
			n += m->kernels[k].cells[i].state == s;
	return n;
}

unsigned matrix_failed_kernels(const struct matrix *m)
{
	unsigned n = 0;

	for (unsigned k = 0; k < m->n_kernels; k++)
		n += m->kernels[k].failure != NULL;
	return n;
}

bool matrix_good(const struct matrix *m)
{
	return !matrix_failed_kernels(m) &&
	       !matrix_count(m, MATRIX_UNEXPECTED) &&
	       !matrix_count(m, MATRIX_ERROR) &&
	       !matrix_count(m, MATRIX_NOT_RUN);
}
