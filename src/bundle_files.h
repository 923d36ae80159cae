/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_BUNDLE_FILES_H
#define MRS_BUNDLE_FILES_H

#include "bundle.h"
#include "run_events.h"

/* What the files of one scenario's bundle are written from. */
struct bundle_scenario {
	const struct report_input *in;
	unsigned i; /* the scenario's index in the plan */
	const struct run_result *res; /* NULL: it did not run */
	const char *dir;
	char repro_note[512]; /* why there is no repro.c, or "" */
};

struct bundle_finding {
	const struct bundle_scenario *b;
	const struct finding *f;
};

int bundle_file(const char *dir, const char *name,
		int (*fill)(FILE *f, void *arg), void *arg);
void bundle_finding_name(const struct finding *f, size_t k, char *buf,
			 size_t len);

/* The fill functions of atomic_file_write(), one per file; arg is a
 * struct bundle_scenario, or a struct bundle_finding for a finding. */
int bundle_fill_scenario(FILE *f, void *arg);
int bundle_fill_cmdline(FILE *f, void *arg);
int bundle_fill_kernel(FILE *f, void *arg);
int bundle_fill_taint(FILE *f, void *arg);
int bundle_fill_report(FILE *f, void *arg);
int bundle_fill_timeline(FILE *f, void *arg);
int bundle_fill_finding(FILE *f, void *arg);
int bundle_fill_json(FILE *f, void *arg);
int bundle_fill_summary(FILE *f, void *arg);
int bundle_fill_plan_json(FILE *f, void *arg);
int bundle_fill_plan_summary(FILE *f, void *arg);
/* Stressor steps res->events[from, to), a line each. */
void bundle_print_events(FILE *f, const struct run_result *res, size_t from,
			 size_t to);
/*
 * repro.c in dir for spec, reproducing class cls on MR mr; a line on f
 * says what became of it. Returns 0, or 1 when it could not be written.
 */
int bundle_repro_spec(const char *dir, const struct run_spec *spec,
		      enum finding_class cls, const char *mr, FILE *f);
/* repro.c for the first unexpected finding, or a note why none. */
int bundle_write_repro(const char *dir, struct bundle_scenario *b);

#endif
