// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Loading a matrix directory: the plan scripts/matrix wrote, then each
 * kernel's cell directory. A kernel whose VM did not finish keeps the
 * scenarios its report had (mrstress rewrites it after each one); a
 * broken report is noted and its cells become errors, so that one bad file
 * does not cost the page.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "matrix.h"

#define VM_FAILED 125
#define CONSOLE_LINES 12

/* The whole of DIR/name as a string, or NULL (errno set). */
static char *slurp(const char *dir, const char *name)
{
	char *path = NULL, *buf = NULL;
	size_t len = 0;
	FILE *f, *m;
	int c;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return NULL;
	f = fopen(path, "r");
	free(path);
	if (!f)
		return NULL;
	m = open_memstream(&buf, &len);
	if (!m)
		goto out;
	while ((c = getc(f)) != EOF)
		putc(c, m);
	if (fclose(m)) {
		free(buf);
		buf = NULL;
	}
out:
	fclose(f);
	return buf;
}

/* The first line of DIR/name without its newline, or dflt. */
static char *first_line(const char *dir, const char *name, const char *dflt)
{
	char *s = slurp(dir, name);

	if (!s)
		return strdup(dflt);
	s[strcspn(s, "\n")] = '\0';
	return s;
}

static long number_in(const char *dir, const char *name)
{
	char *s = slurp(dir, name), *end;
	long v;

	if (!s)
		return -1;
	v = strtol(s, &end, 10);
	if (end == s)
		v = -1;
	free(s);
	return v;
}

static int read_scenarios(struct matrix *m, struct mrs_err *e)
{
	char *text = slurp(m->dir, "scenarios"), *line, *save = NULL;

	if (!text)
		return mrs_err_sys(e, "%s/scenarios: cannot read the plan",
				   m->dir);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *tab = strchr(line, '\t');
		struct matrix_scenario *s;

		if (!tab) {
			free(text);
			return mrs_err_set(
				e, EINVAL,
				"%s/scenarios:%u: want NAME<TAB>FILE, got '%s'",
				m->dir, m->n_scenarios + 1, line);
		}
		*tab = '\0';
		s = reallocarray(m->scenarios, m->n_scenarios + 1, sizeof(*s));
		if (!s)
			abort();
		m->scenarios = s;
		s += m->n_scenarios++;
		s->name = strdup(line);
		s->file = strdup(tab + 1);
		s->description = strdup("");
	}
	free(text);
	if (!m->n_scenarios)
		return mrs_err_set(e, EINVAL, "%s/scenarios: no scenario",
				   m->dir);
	return 0;
}

/* The release a console log names ("Linux version 6.1.0-56-amd64 ..."). */
static char *console_release(const char *dir)
{
	char *log = slurp(dir, "console.log"), *p, rel[128] = "";

	if (log && (p = strstr(log, "Linux version ")))
		sscanf(p + strlen("Linux version "), "%127s", rel);
	free(log);
	return strdup(rel);
}

#define TAIL_MARK "--- last console lines ---\n"

/* The last non-empty lines of console.log. */
static char *log_tail(const char *dir)
{
	char *log = slurp(dir, "console.log"), *p;
	unsigned n = 0;

	if (!log)
		return strdup("(no console log)");
	p = log + strlen(log);
	while (p > log && (p[-1] == '\n' || p[-1] == '\r'))
		*--p = '\0';
	while (p > log && n < CONSOLE_LINES)
		if (*--p == '\n')
			n++;
	p = strdup(p + (*p == '\n'));
	free(log);
	return p;
}

/* Where mrstress-vm's last console excerpt starts in err, or NULL. */
static char *last_mark(char *err)
{
	char *p, *last = NULL;

	for (p = err; p && (p = strstr(p, TAIL_MARK)); p++)
		if (p == err || p[-1] == '\n')
			last = p;
	return last;
}

/*
 * mrstress-vm's verdict: its last "mrstress-vm: " line before the console
 * excerpt it printed (the excerpt holds the guest's own such lines), and
 * that excerpt; the console log's tail where it printed none.
 */
static void vm_verdict(struct matrix_kernel *k, const char *dir)
{
	char *err = slurp(dir, "vm-stderr"), *mark = last_mark(err), *p,
	     *line = NULL;

	if (mark)
		*mark = '\0';
	for (p = err; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : "")
		if (!strncmp(p, "mrstress-vm: ", 13))
			line = p + 13;
	if (line)
		k->failure = strndup(line, strcspn(line, "\n"));
	else if (asprintf(&k->failure, "mrstress-vm exit status %d%s",
			  k->vm_status, err ? "" : " (no vm-stderr)") < 0)
		abort();
	k->console_tail = mark ? strdup(mark + strlen(TAIL_MARK)) :
				 log_tail(dir);
	free(err);
}

/* One line of m->problems: FILE:LINE: what is wrong. */
static void problem(struct matrix *m, const char *path, int line,
		    const char *what)
{
	char *p;

	if (asprintf(&p, "%s%s:%d: %s\n", m->problems, path, line, what) < 0)
		abort();
	free(m->problems);
	m->problems = p;
}

/* The report, or NULL: a broken one is a problem worth a line. */
static json_t *load_report(struct matrix *m, const char *dir)
{
	char *path;
	json_error_t err;
	json_t *doc;

	if (asprintf(&path, "%s/report.json", dir) < 0)
		abort();
	if (access(path, F_OK)) {
		free(path);
		return NULL;
	}
	doc = json_load_file(path, 0, &err);
	if (!doc)
		problem(m, path, err.line, err.text);
	else if (!json_is_array(json_object_get(doc, "scenarios"))) {
		problem(m, path, 1,
			"no scenarios[]: not an mrstress report (schema 2)");
		json_decref(doc);
		doc = NULL;
	}
	free(path);
	return doc;
}

/* Whether the VM stopped short: its status says so, or the report does. */
static void judge_vm(struct matrix_kernel *k, const char *dir)
{
	json_t *complete = json_object_get(k->report, "complete");

	if (k->vm_status < 0) {
		k->failure = strdup("no vm-status: the VM did not finish");
	} else if (k->vm_status == VM_FAILED) {
		vm_verdict(k, dir);
	} else if (k->report && !json_is_true(complete)) {
		if (asprintf(
			    &k->failure,
			    "mrstress stopped before the end (exit %d): report incomplete",
			    k->vm_status) < 0)
			abort();
	}
	if (k->failure && !k->console_tail)
		k->console_tail = log_tail(dir);
	if (k->console_tail && !k->console_tail[0]) {
		free(k->console_tail);
		k->console_tail = strdup("(the console log is empty)");
	}
}

static void read_kernel(struct matrix *m, struct matrix_kernel *k,
			const char *cell)
{
	char *dir;
	const char *rel;

	if (asprintf(&k->dir, "cells/%s", cell) < 0 ||
	    asprintf(&dir, "%s/%s", m->dir, k->dir) < 0)
		abort();
	k->name = first_line(dir, "kernel", cell);
	k->vm_status = (int)number_in(dir, "vm-status");
	k->wall_s = number_in(dir, "wall-seconds");
	k->report = load_report(m, dir);
	rel = json_string_value(json_object_get(
		json_object_get(k->report, "kernel"), "release"));
	k->release = rel ? strdup(rel) : console_release(dir);
	judge_vm(k, dir);
	k->cells = calloc(m->n_scenarios, sizeof(*k->cells));
	if (!k->cells)
		abort();
	for (unsigned i = 0; i < m->n_scenarios; i++) {
		matrix_cell_judge(m, k, i);
		k->mb_per_s += k->cells[i].mb_per_s;
	}
	free(dir);
}

static int read_kernels(struct matrix *m, struct mrs_err *e)
{
	char *text = slurp(m->dir, "kernels"), *line, *save = NULL;

	if (!text)
		return mrs_err_sys(e, "%s/kernels: cannot read the plan",
				   m->dir);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct matrix_kernel *k;

		k = reallocarray(m->kernels, m->n_kernels + 1, sizeof(*k));
		if (!k)
			abort();
		m->kernels = k;
		k += m->n_kernels++;
		memset(k, 0, sizeof(*k));
		read_kernel(m, k, line);
	}
	free(text);
	if (!m->n_kernels)
		return mrs_err_set(e, EINVAL, "%s/kernels: no kernel", m->dir);
	return 0;
}

/* A scenario's description, from the first report that ran it. */
static void describe_scenarios(struct matrix *m)
{
	for (unsigned i = 0; i < m->n_scenarios; i++)
		for (unsigned k = 0; k < m->n_kernels; k++) {
			json_t *sc = json_object_get(m->kernels[k].cells[i].run,
						     "scenario");
			const char *d = json_string_value(
				json_object_get(sc, "description"));

			if (d) {
				free(m->scenarios[i].description);
				m->scenarios[i].description = strdup(d);
				break;
			}
		}
}

int matrix_read(const char *dir, struct matrix *m, struct mrs_err *e)
{
	int rc;

	memset(m, 0, sizeof(*m));
	m->dir = strdup(dir);
	m->problems = strdup("");
	if (access(dir, R_OK | X_OK))
		return mrs_err_sys(e, "%s: cannot read the matrix directory",
				   dir);
	rc = read_scenarios(m, e);
	if (!rc)
		rc = read_kernels(m, e);
	if (rc)
		return rc;
	m->command = first_line(dir, "command", "");
	m->started = first_line(dir, "started", "");
	describe_scenarios(m);
	return 0;
}

void matrix_free(struct matrix *m)
{
	for (unsigned k = 0; k < m->n_kernels; k++) {
		struct matrix_kernel *x = &m->kernels[k];

		for (unsigned i = 0; x->cells && i < m->n_scenarios; i++) {
			free(x->cells[i].observed);
			free(x->cells[i].detail);
			free(x->cells[i].link);
		}
		free(x->cells);
		free(x->dir);
		free(x->name);
		free(x->release);
		free(x->failure);
		free(x->console_tail);
		json_decref(x->report);
	}
	for (unsigned i = 0; i < m->n_scenarios; i++) {
		free(m->scenarios[i].name);
		free(m->scenarios[i].file);
		free(m->scenarios[i].description);
	}
	free(m->kernels);
	free(m->scenarios);
	free(m->dir);
	free(m->command);
	free(m->started);
	free(m->problems);
	memset(m, 0, sizeof(*m));
}
