/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_REPORT_H
#define MRS_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "kconfig.h"
#include "plan.h"
#include "run.h"

/* One scenario of the plan and what became of it. */
struct scenario_outcome {
	const struct scenario *sc;
	struct run_result *res; /* NULL: it did not run (not_run says why) */
	bool ran;
	int status; /* its exit status (exit_status.h) */
	char error[512]; /* the usage or harness error that ended it, or "" */
	char not_run[128]; /* "interrupted by SIGTERM", ... */
	/* --replay: whether the findings the bundle recorded came back. */
	bool replayed, replay_same;
	char replay[512];
};

/*
 * What every report is written from: the plan, the outcome of each of its
 * scenarios so far, and the invocation. Reports are written after each
 * scenario (final false) and once more when the plan is over (final true),
 * so that a run that never ends loses nothing already gathered.
 */
struct report_input {
	const struct plan *plan;
	const struct scenario_outcome *v; /* plan->n entries */
	unsigned n_done; /* v[0 .. n_done) ran, or tried to */
	bool final;
	int status; /* the plan's exit status so far */
	int signal; /* the signal that stopped the plan, 0 none */
	bool stuck; /* a thread is still blocked in the kernel */
	const char *command_line;
	const char *bundle; /* -o DIR, NULL none */
	time_t started; /* wall clock when the plan began */
	const struct kconfig *kernel; /* the kernel and its config options */
};

/*
 * A report format. Streams (stdout) get begin() before the first scenario,
 * scenario() after each and end() at the end; documents (files) are written
 * whole by document() after each scenario and at the end, each time into a
 * temporary file renamed over the last. A format may be both.
 */
struct reporter {
	const char *name; /* "text", "json"... as --FORMAT names it */
	void (*begin)(FILE *f, const struct report_input *in);
	void (*scenario)(FILE *f, const struct report_input *in, unsigned i);
	void (*end)(FILE *f, const struct report_input *in);
	int (*document)(FILE *f, const struct report_input *in);
	/* Lines this stream adds in between (live status) start with this. */
	const char *line_prefix;
};

/* NULL-terminated, in src/report_registry.c. */
extern const struct reporter *const reporters[];
const struct reporter *reporter_find(const char *name);

/* Where the reports of one invocation go: stdout's stream and files. */
#define REPORT_MAX_FILES 8

struct report_sink {
	const struct reporter *r;
	const char *path; /* NULL: stdout */
};

struct report_set {
	struct report_sink out; /* stdout, a stream */
	unsigned n_files;
	struct report_sink files[REPORT_MAX_FILES];
};

/* Add a format by name; path NULL is stdout. -EINVAL: unknown, or stdout is taken. */
int report_set_add(struct report_set *s, const char *format, const char *path,
		   struct mrs_err *e);
void report_set_begin(const struct report_set *s,
		      const struct report_input *in);
/* After scenario in->n_done - 1; documents are rewritten. */
int report_set_scenario(const struct report_set *s,
			const struct report_input *in);
int report_set_end(const struct report_set *s, const struct report_input *in);

/* The closing summary of the text report (report_summary.c). */
void report_summary(FILE *f, const struct report_input *in);

/* The JSON document (report_json.c) and one run's object within it. */
json_t *report_json_document(const struct report_input *in);

#endif
