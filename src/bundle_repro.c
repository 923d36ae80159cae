// SPDX-License-Identifier: GPL-2.0-or-later
/* repro.c in the bundle, and the kernel config in kernel.txt. */
#include <string.h>

#include "bundle_files.h"

int bundle_write_repro(const char *dir, struct bundle_scenario *b)
{
	(void)dir;
	str_copy(b->repro_note, sizeof(b->repro_note),
		 "not written (no generator yet)");
	return 0;
}

void bundle_kernel_config(FILE *f)
{
	fprintf(f, "config:   not read\n");
}

int bundle_repro_spec(const char *dir, const struct run_spec *spec,
		      enum finding_class cls, const char *mr, FILE *f)
{
	(void)dir;
	(void)spec;
	(void)cls;
	(void)mr;
	fprintf(f, "repro.c: not written (no generator yet)\n");
	return 0;
}
