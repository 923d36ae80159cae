// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * JUnit XML as Jenkins' and GitLab's JUnit parsers ingest it (the shape of
 * tests/junit/jenkins-junit.xsd): one testsuite per invocation, a testcase
 * per scenario, the unexpected findings as its failure, usage and harness
 * errors as its error, skips with their reason, and the scenario's text
 * report as its system-out. libxml2's writer escapes; xml_text_clean()
 * takes out what XML cannot carry at all.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/xmlwriter.h>

#include "exit_status.h"
#include "report.h"
#include "xml_writer.h"

/* What fn writes into a FILE, as the element's text. */
static void text_of(struct xml_writer *j, void (*fn)(FILE *, const void *),
		    const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m) {
		j->bad = true;
		return;
	}
	fn(m, arg);
	if (fclose(m))
		j->bad = true;
	else
		xml_text(j, buf);
	free(buf);
}

static void property(struct xml_writer *j, const char *name, const char *value)
{
	xml_start(j, "property");
	xml_attr(j, "name", name);
	xml_attr(j, "value", value);
	xml_end(j);
}

/* The scenarios a document shows: those done, and all of them at the end. */
static unsigned shown(const struct report_input *in)
{
	return in->final ? in->plan->n : in->n_done;
}

static bool is_skip(const struct report_input *in, unsigned i)
{
	return i >= in->n_done || in->v[i].status == MRS_EXIT_SKIP;
}

static bool is_error(const struct report_input *in, unsigned i)
{
	return i < in->n_done && (in->v[i].status == MRS_EXIT_USAGE ||
				  in->v[i].status == MRS_EXIT_HARNESS);
}

static double elapsed(const struct scenario_outcome *o)
{
	return o->res ? o->res->elapsed : 0;
}

/* The first run that reached the device says what kernel and device. */
static const struct run_result *first_run(const struct report_input *in)
{
	for (unsigned i = 0; i < in->n_done; i++)
		if (in->v[i].res && in->v[i].res->kernel_release[0])
			return in->v[i].res;
	return NULL;
}

static void properties(struct xml_writer *j, const struct report_input *in)
{
	const struct run_result *res = first_run(in);
	char v[192];

	xml_start(j, "properties");
	property(j, "tool", PACKAGE_NAME " " PACKAGE_VERSION);
	property(j, "command_line", in->command_line ? in->command_line : "");
	if (res) {
		property(j, "kernel.release", res->kernel_release);
	}
	if (res && res->dev.name[0]) {
		snprintf(v, sizeof(v), "%s port %u", res->dev.name,
			 res->dev.port);
		property(j, "device", v);
	}
	for (unsigned i = 0; i < in->n_done; i++) {
		char name[96];

		if (!in->v[i].res)
			continue;
		snprintf(name, sizeof(name), "seed.%s", in->v[i].sc->spec.name);
		snprintf(v, sizeof(v), "%llu",
			 (unsigned long long)in->v[i].res->seed);
		property(j, name, v);
	}
	snprintf(v, sizeof(v), "%d", in->status);
	property(j, "exit_status", v);
	property(j, "complete", in->final ? "true" : "false");
	if (in->signal) {
		snprintf(v, sizeof(v), "SIG%s", sigabbrev_np(in->signal));
		property(j, "signal", v);
	}
	if (in->bundle)
		property(j, "bundle", in->bundle);
	xml_end(j);
}

/* "mrstress.FILE" without its ".scn", or "mrstress.command-line". */
static void classname(struct xml_writer *j, const struct scenario *sc)
{
	const char *base = strrchr(sc->path, '/');
	char name[128];
	size_t n;

	if (!sc->path[0]) {
		xml_attr(j, "classname", "mrstress.command-line");
		return;
	}
	base = base ? base + 1 : sc->path;
	n = strlen(base);
	if (n > 4 && !strcmp(base + n - 4, ".scn"))
		n -= 4;
	/* A dot would make Jenkins read a package name into it. */
	snprintf(name, sizeof(name), "mrstress.%.*s", (int)n, base);
	for (char *c = name + strlen("mrstress."); *c; c++)
		if (*c == '.')
			*c = '_';
	xml_attr(j, "classname", name);
}

/* One finding as the failure text shows it, in full. */
static void finding_text(FILE *f, const struct finding *x)
{
	fprintf(f, "%s %s: %s\n  at %.3f s: %s\n",
		x->covered ? "expected" : "UNEXPECTED",
		finding_class_name(x->cls), x->title, x->t, x->detail);
	if (x->overlap[0])
		fprintf(f, "  overlapping: %s\n", x->overlap);
	if (x->text)
		fprintf(f, "%s%s", x->text,
			x->text[0] && x->text[strlen(x->text) - 1] == '\n' ?
				"" :
				"\n");
	if (!finding_class_is_data(x->cls) || !x->dump_len)
		return;
	fprintf(f, "  expected (block offset 0x%x):\n", x->dump_offset);
	hexdump(f, "    ", x->expected, x->dump_len, x->dump_offset);
	fprintf(f, "  found:\n");
	hexdump(f, "    ", x->found, x->dump_len, x->dump_offset);
}

/* The unexpected findings first, then the expected ones for context. */
static void failure_text(FILE *f, const void *arg)
{
	const struct run_result *res = arg;
	const struct finding_list *fl = &res->findings;

	for (int pass = 0; pass < 2; pass++)
		for (size_t k = 0; k < fl->n; k++)
			if (fl->v[k].covered == (pass == 1))
				finding_text(f, &fl->v[k]);
	if (fl->dropped)
		fprintf(f, "%zu more findings not stored\n", fl->dropped);
	if (res->unmet)
		fprintf(f, "%u expectation%s not met (see system-out)\n",
			res->unmet, res->unmet == 1 ? "" : "s");
}

static void failure(struct xml_writer *j, const struct run_result *res)
{
	size_t unexpected = finding_list_unexpected(&res->findings);
	const char *type = "unmet-expectation";
	char msg[128];

	for (size_t k = 0; k < res->findings.n; k++)
		if (!res->findings.v[k].covered) {
			type = finding_class_name(res->findings.v[k].cls);
			break;
		}
	if (unexpected && res->unmet)
		snprintf(msg, sizeof(msg),
			 "%zu unexpected findings, %u expectations not met",
			 unexpected, res->unmet);
	else if (unexpected)
		snprintf(msg, sizeof(msg), "%zu unexpected finding%s",
			 unexpected, unexpected == 1 ? "" : "s");
	else
		snprintf(msg, sizeof(msg), "%u expectation%s not met",
			 res->unmet, res->unmet == 1 ? "" : "s");
	xml_start(j, "failure");
	xml_attr(j, "message", msg);
	xml_attr(j, "type", type);
	text_of(j, failure_text, res);
	xml_end(j);
}

static void error(struct xml_writer *j, const struct scenario_outcome *o)
{
	xml_start(j, "error");
	xml_attr(j, "message", o->error[0] ? o->error : "failed");
	xml_attr(j, "type",
		 o->status == MRS_EXIT_USAGE ? "usage-error" : "harness-error");
	xml_text(j, o->error);
	xml_end(j);
}

static void skipped(struct xml_writer *j, const char *why)
{
	xml_start(j, "skipped");
	xml_attr(j, "message", why);
	xml_end(j);
}

static void text_of_run(FILE *f, const void *res)
{
	report_text(f, res);
}

static void testcase(struct xml_writer *j, const struct report_input *in,
		     unsigned i)
{
	const struct scenario_outcome *o = &in->v[i];
	char why[160];

	xml_start(j, "testcase");
	xml_attr(j, "name", o->sc->spec.name);
	classname(j, o->sc);
	xml_attrf(j, "time", "%.3f", elapsed(o));
	if (i >= in->n_done) {
		snprintf(why, sizeof(why), "not run: %s", o->not_run);
		skipped(j, why);
	} else if (is_error(in, i)) {
		error(j, o);
	} else if (o->status == MRS_EXIT_SKIP) {
		skipped(j, o->error[0] ? o->error : "skipped");
	} else if (o->status == MRS_EXIT_FINDINGS && o->res) {
		failure(j, o->res);
	}
	if (o->res && o->res->n_mrs) {
		xml_start(j, "system-out");
		text_of(j, text_of_run, o->res);
		xml_end(j);
	}
	xml_end(j);
}

/* The counts and times of the testsuite, as attributes. */
static void suite_attrs(struct xml_writer *j, const struct report_input *in)
{
	unsigned failures = 0, errors = 0, skips = 0;
	double time = 0;
	char stamp[32], host[256];
	struct tm tm;

	for (unsigned i = 0; i < shown(in); i++) {
		failures += i < in->n_done &&
			    in->v[i].status == MRS_EXIT_FINDINGS;
		errors += is_error(in, i);
		skips += is_skip(in, i);
		time += elapsed(&in->v[i]);
	}
	xml_attr(j, "name", PACKAGE_NAME);
	xml_attrf(j, "tests", "%u", shown(in));
	xml_attrf(j, "failures", "%u", failures);
	xml_attrf(j, "errors", "%u", errors);
	xml_attrf(j, "skipped", "%u", skips);
	xml_attrf(j, "time", "%.3f", time);
	/* xs:dateTime in local time without a zone, as Ant writes it. */
	localtime_r(&in->started, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	xml_attr(j, "timestamp", stamp);
	if (gethostname(host, sizeof(host)))
		str_copy(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	xml_attr(j, "hostname", host);
	xml_attr(j, "id", "0");
	xml_attr(j, "package", PACKAGE_NAME);
}

static int junit_document(FILE *f, const struct report_input *in)
{
	xmlOutputBufferPtr out = xmlOutputBufferCreateFile(f, NULL);
	struct xml_writer j = { 0 };

	if (!out)
		return -ENOMEM;
	j.w = xmlNewTextWriter(out);
	if (!j.w) {
		xmlOutputBufferClose(out);
		return -ENOMEM;
	}
	xmlTextWriterSetIndent(j.w, 1);
	j.bad |= xmlTextWriterStartDocument(j.w, NULL, "UTF-8", NULL) < 0;
	xml_start(&j, "testsuites");
	xml_start(&j, "testsuite");
	suite_attrs(&j, in);
	properties(&j, in);
	for (unsigned i = 0; i < shown(in); i++)
		testcase(&j, in, i);
	xml_end(&j);
	xml_end(&j);
	j.bad |= xmlTextWriterEndDocument(j.w) < 0;
	/* Flushes into f, which stays open: atomic_file_write closes it. */
	xmlFreeTextWriter(j.w);
	return j.bad || ferror(f) ? -EIO : 0;
}

const struct reporter reporter_junit = {
	.name = "junit",
	.document = junit_document,
};
