// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The matrix as one JUnit file (tests/junit/jenkins-junit.xsd): a
 * testsuite per kernel, a testcase per scenario (failure for unexpected,
 * error for error, skipped for skip), and for a kernel whose VM did not
 * finish an errored "vm" testcase carrying mrstress-vm's reason and the
 * console's last lines; its scenarios that never ran are skipped with why.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "matrix.h"
#include "xml_writer.h"

/* A problem element: failure or error with its message and text. */
static void problem(struct xml_writer *j, const char *el, const char *type,
		    const char *msg, const char *body)
{
	xml_start(j, el);
	xml_attr(j, "message", msg);
	xml_attr(j, "type", type);
	xml_text(j, body);
	xml_end(j);
}

struct tally {
	unsigned tests, failures, errors, skipped;
};

static struct tally kernel_tally(const struct matrix *m,
				 const struct matrix_kernel *k)
{
	struct tally t = { .tests = m->n_scenarios + (k->failure != NULL),
			   .errors = k->failure != NULL };

	for (unsigned i = 0; i < m->n_scenarios; i++) {
		enum matrix_state s = k->cells[i].state;

		t.failures += s == MATRIX_UNEXPECTED;
		t.errors += s == MATRIX_ERROR ||
			    (s == MATRIX_NOT_RUN && !k->failure);
		t.skipped += s == MATRIX_SKIP ||
			     (s == MATRIX_NOT_RUN && k->failure);
	}
	return t;
}

static void counts(struct xml_writer *j, const struct tally *t)
{
	xml_attrf(j, "tests", "%u", t->tests);
	xml_attrf(j, "failures", "%u", t->failures);
	xml_attrf(j, "errors", "%u", t->errors);
	xml_attrf(j, "skipped", "%u", t->skipped);
}

/* "matrix.6_12": Jenkins reads a dot as a package separator. */
static void classname(struct xml_writer *j, const char *kernel)
{
	char name[256];

	snprintf(name, sizeof(name), "matrix.%s", kernel);
	for (char *c = name + strlen("matrix."); *c; c++)
		if (*c == '.' || *c == '/')
			*c = '_';
	xml_attr(j, "classname", name);
}

static void testcase(struct xml_writer *j, const struct matrix *m,
		     const struct matrix_kernel *k, unsigned i)
{
	const struct matrix_cell *c = &k->cells[i];
	char time[32];

	xml_start(j, "testcase");
	xml_attr(j, "name", m->scenarios[i].name);
	classname(j, k->name);
	snprintf(time, sizeof(time), "%.3f",
		 json_number_value(json_object_get(c->run, "elapsed")));
	xml_attr(j, "time", time);
	switch (c->state) {
	case MATRIX_UNEXPECTED:
		problem(j, "failure", "unexpected", c->observed, c->detail);
		break;
	case MATRIX_ERROR:
		problem(j, "error", "error", c->detail, c->detail);
		break;
	case MATRIX_NOT_RUN:
		if (!k->failure) {
			problem(j, "error", "not-run", c->detail, c->detail);
			break;
		}
		/* the kernel's own testcase is the error: skipped here */
		__attribute__((fallthrough));
	case MATRIX_SKIP:
		xml_start(j, "skipped");
		xml_attr(j, "message", c->detail);
		xml_end(j);
		break;
	default:
		break;
	}
	xml_end(j);
}

static void vm_testcase(struct xml_writer *j, const struct matrix_kernel *k)
{
	xml_start(j, "testcase");
	xml_attr(j, "name", "vm");
	classname(j, k->name);
	problem(j, "error", "vm-failed", k->failure, k->console_tail);
	xml_end(j);
}

static void suite(struct xml_writer *j, const struct matrix *m,
		  const struct matrix_kernel *k)
{
	struct tally t = kernel_tally(m, k);
	char name[512], time[32];

	snprintf(name, sizeof(name), "%s (%s)", k->name,
		 k->release[0] ? k->release : "release unknown");
	snprintf(time, sizeof(time), "%ld", k->wall_s > 0 ? k->wall_s : 0);
	xml_start(j, "testsuite");
	xml_attr(j, "name", name);
	counts(j, &t);
	xml_attr(j, "time", time);
	if (k->failure)
		vm_testcase(j, k);
	for (unsigned i = 0; i < m->n_scenarios; i++)
		testcase(j, m, k, i);
	xml_end(j);
}

int matrix_junit(const char *path, const struct matrix *m, struct mrs_err *e)
{
	struct xml_writer j = { .w = xmlNewTextWriterFilename(path, 0) };
	struct tally all = { 0 };

	if (!j.w)
		return mrs_err_set(e, EIO, "%s: cannot create", path);
	for (unsigned k = 0; k < m->n_kernels; k++) {
		struct tally t = kernel_tally(m, &m->kernels[k]);

		all.tests += t.tests;
		all.failures += t.failures;
		all.errors += t.errors;
		all.skipped += t.skipped;
	}
	xmlTextWriterSetIndent(j.w, 1);
	j.bad |= xmlTextWriterStartDocument(j.w, NULL, "UTF-8", NULL) < 0;
	xml_start(&j, "testsuites");
	xml_attr(&j, "name", "mrstress kernel matrix");
	counts(&j, &all);
	for (unsigned k = 0; k < m->n_kernels; k++)
		suite(&j, m, &m->kernels[k]);
	xml_end(&j);
	j.bad |= xmlTextWriterEndDocument(j.w) < 0;
	xmlFreeTextWriter(j.w);
	return j.bad ? mrs_err_set(e, EIO, "%s: writing failed", path) : 0;
}
