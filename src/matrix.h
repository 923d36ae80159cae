/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_MATRIX_H
#define MRS_MATRIX_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "error.h"

/*
 * A kernel x scenario matrix as scripts/matrix leaves it in DIR: the plan
 * (DIR/scenarios: NAME<TAB>FILE a line; DIR/kernels: one cell directory
 * name a line, in the order asked) and, per kernel, DIR/cells/K/ with
 * kernel (the name asked), vm-status, vm-stderr, wall-seconds,
 * console.log, report.json, junit.xml and bundle/. What each cell shows
 * is what the kernel's report observed, never what was expected of it.
 */
enum matrix_state {
	MATRIX_PASS, /* no findings */
	MATRIX_EXPECTED, /* findings, every one covered by [expect] */
	MATRIX_UNEXPECTED, /* an unexpected finding or an unmet must */
	MATRIX_SKIP, /* status 4 */
	MATRIX_ERROR, /* status 2 or 3, a harness error, a broken report */
	MATRIX_NOT_RUN, /* the VM died (or mrstress stopped) before it */
	MATRIX_STATES
};

struct matrix_cell {
	enum matrix_state state;
	char *observed; /* "detached ×12, policy-refused ×3 EFAULT" or "" */
	char *detail; /* the hover: titles, unmet expectations, or why */
	double mb_per_s; /* sum of dma[].mb_per_s */
	char *link; /* relative to DIR; NULL when there is nothing to show */
	json_t *run; /* the scenario's object in the report (borrowed) */
};

struct matrix_kernel {
	char *dir; /* "cells/NAME" */
	char *name; /* as asked: 6.12, default, a path */
	char *release; /* from the report or the console; "" unknown */
	int vm_status; /* mrstress-vm's exit status, -1 when unknown */
	long wall_s; /* -1 when unknown */
	char *failure; /* why the VM did not finish, NULL when it did */
	char *console_tail; /* the last console lines, for a failure */
	double mb_per_s;
	json_t *report;
	struct matrix_cell *cells; /* one per scenario */
};

struct matrix_scenario {
	char *name;
	char *file;
	char *description; /* from a report, "" when none ran */
};

struct matrix {
	char *dir;
	char *command; /* DIR/command, "" when absent */
	char *started; /* DIR/started */
	unsigned n_scenarios, n_kernels;
	struct matrix_scenario *scenarios;
	struct matrix_kernel *kernels;
	/* broken inputs met on the way, one line each ("" when none) */
	char *problems;
};

/*
 * Read DIR. A missing or unreadable plan is -EINVAL with e naming the
 * file; a broken report.json is an error cell and a line in problems.
 */
int matrix_read(const char *dir, struct matrix *m, struct mrs_err *e);
void matrix_free(struct matrix *m);

/* Judge scenario index i of kernel k from its report (matrix_cell.c). */
void matrix_cell_judge(const struct matrix *m, struct matrix_kernel *k,
		       unsigned i);
const char *matrix_state_name(enum matrix_state s);
/* The bundle file a cell links to, relative to DIR, or NULL. */
char *matrix_cell_link(const struct matrix *m, const struct matrix_kernel *k,
		       unsigned i);

/* Whether DIR/rel exists. */
bool matrix_has(const struct matrix *m, const char *rel);

/* Whether the whole matrix is good: every cell pass, expected or skip. */
bool matrix_good(const struct matrix *m);
unsigned matrix_count(const struct matrix *m, enum matrix_state s);
unsigned matrix_failed_kernels(const struct matrix *m);

/* The outputs: 0, or -errno with e saying what failed. */
int matrix_html(FILE *f, const struct matrix *m);
int matrix_md(FILE *f, const struct matrix *m);
int matrix_junit(const char *path, const struct matrix *m, struct mrs_err *e);
/* The one-screen text summary scripts/matrix prints. */
void matrix_text(FILE *f, const struct matrix *m);

/* Host and tool line for the headers: "mrstress 0.1.0 on Linux host ...". */
void matrix_origin(char *buf, size_t len);

#endif
