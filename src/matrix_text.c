// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The one-screen text summary scripts/matrix prints at the end: a line
 * per kernel with its cells as short words, then the totals.
 */
#include "matrix.h"

void matrix_text(FILE *f, const struct matrix *m)
{
	for (unsigned k = 0; k < m->n_kernels; k++) {
		const struct matrix_kernel *x = &m->kernels[k];

		fprintf(f, "%-12s %-26s", x->name,
			x->release[0] ? x->release : "?");
		for (unsigned i = 0; i < m->n_scenarios; i++)
			fprintf(f, " %s=%s", m->scenarios[i].name,
				matrix_state_name(x->cells[i].state));
		fprintf(f, "\n");
		if (x->failure)
			fprintf(f, "%-12s VM FAILED: %s\n", "", x->failure);
	}
	fprintf(f,
		"cells: %u pass, %u expected, %u unexpected, %u skip, %u error, "
		"%u not run; kernels not finished: %u\n",
		matrix_count(m, MATRIX_PASS), matrix_count(m, MATRIX_EXPECTED),
		matrix_count(m, MATRIX_UNEXPECTED),
		matrix_count(m, MATRIX_SKIP), matrix_count(m, MATRIX_ERROR),
		matrix_count(m, MATRIX_NOT_RUN), matrix_failed_kernels(m));
}
