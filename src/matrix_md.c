// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The matrix as Markdown, for a mail or a CI job summary: the grid with a
 * word and the observed classes per cell, then every cell and kernel that
 * went wrong, each on one line with where to look.
 */
#include <errno.h>
#include <string.h>

#include "matrix.h"

/* A table cell's text: '|' would end the cell, a newline the row. */
static void md_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else
			fputc(*s == '\n' ? ' ' : *s, f);
	}
}

static bool is_failure(enum matrix_state s)
{
	return s == MATRIX_UNEXPECTED || s == MATRIX_ERROR ||
	       s == MATRIX_NOT_RUN;
}

static void md_cell(FILE *f, const struct matrix_cell *c)
{
	fputs(" ", f);
	if (is_failure(c->state))
		fprintf(f, "**%s**", matrix_state_name(c->state));
	else
		fputs(matrix_state_name(c->state), f);
	if (c->observed[0]) {
		fputs(": ", f);
		md_text(f, c->observed);
	}
	fputs(" |", f);
}

static void md_grid(FILE *f, const struct matrix *m)
{
	fputs("| kernel | release |", f);
	for (unsigned i = 0; i < m->n_scenarios; i++) {
		fputs(" ", f);
		md_text(f, m->scenarios[i].name);
		fputs(" |", f);
	}
	fputs("\n|---|---|", f);
	for (unsigned i = 0; i < m->n_scenarios; i++)
		fputs("---|", f);
	fputs("\n", f);
	for (unsigned k = 0; k < m->n_kernels; k++) {
		const struct matrix_kernel *x = &m->kernels[k];

		fputs("| ", f);
		md_text(f, x->name);
		fputs(x->failure ? " **VM FAILED** | " : " | ", f);
		md_text(f, x->release[0] ? x->release : "?");
		fputs(" |", f);
		for (unsigned i = 0; i < m->n_scenarios; i++)
			md_cell(f, &x->cells[i]);
		fputs("\n", f);
	}
}

static void md_failures(FILE *f, const struct matrix *m)
{
	unsigned n = 0;

	fputs("\n## Failures\n\n", f);
	for (unsigned k = 0; k < m->n_kernels; k++) {
		const struct matrix_kernel *x = &m->kernels[k];

		if (x->failure) {
			fprintf(f, "- %s: VM failed: ", x->name);
			md_text(f, x->failure);
			fprintf(f, " (%s/console.log)\n", x->dir);
			n++;
		}
		for (unsigned i = 0; i < m->n_scenarios; i++) {
			const struct matrix_cell *c = &x->cells[i];

			if (!is_failure(c->state) ||
			    (x->failure && c->state == MATRIX_NOT_RUN))
				continue;
			fprintf(f, "- %s / %s: %s", x->name,
				m->scenarios[i].name,
				matrix_state_name(c->state));
			if (c->observed[0] || c->detail[0]) {
				fputs(": ", f);
				md_text(f, c->observed[0] ? c->observed :
							    c->detail);
			}
			if (c->link)
				fprintf(f, " (%s)", c->link);
			fputs("\n", f);
			n++;
		}
	}
	if (!n)
		fputs("None: every cell passed, had only expected findings or "
		      "was skipped.\n",
		      f);
}

int matrix_md(FILE *f, const struct matrix *m)
{
	char origin[512];

	matrix_origin(origin, sizeof(origin));
	fprintf(f,
		"# mrstress kernel matrix\n\nMade %s by %s.  \nCommand: `%s`\n\n",
		m->started[0] ? m->started : "(start time unknown)", origin,
		m->command);
	md_grid(f, m);
	md_failures(f, m);
	return ferror(f) ? -EIO : 0;
}
