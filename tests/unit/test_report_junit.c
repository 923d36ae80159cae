// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The JUnit reporter's document for every shape a plan can end in is
 * valid against tests/junit/jenkins-junit.xsd (xmllint, as CI would check
 * it), counts what happened, and carries a finding's text whatever bytes
 * it holds; the XSD rejects documents that break it.
 */
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "report_fixture.h"

/* xmllint's verdict on path against the XSD: its exit status. */
static int xsd_check(const char *path)
{
	const char *src = getenv("MRSTRESS_SRCDIR");
	char cmd[2048];
	int st;

	snprintf(
		cmd, sizeof(cmd),
		"xmllint --noout --schema '%s/tests/junit/jenkins-junit.xsd' '%s' 2>'%s.log'",
		src ? src : ".", path, path);
	st = system(cmd);
	assert_true(WIFEXITED(st));
	if (WEXITSTATUS(st) == 127)
		fail_msg("xmllint not found: apt-get install libxml2-utils");
	return WEXITSTATUS(st);
}

static void write_document(const struct report_input *in, const char *path)
{
	const struct reporter *r = reporter_find("junit");
	FILE *f = fopen(path, "w");

	assert_non_null(r);
	assert_non_null(f);
	assert_int_equal(r->document(f, in), 0);
	assert_int_equal(fclose(f), 0);
}

/* The document of case c (final, or after its first scenario), validated. */
static xmlDocPtr junit_of(enum report_case c, bool final, char *path,
			  size_t len)
{
	struct report_fixture *f = report_fixture_new(c);
	xmlDocPtr doc;

	snprintf(path, len, "%s/%s%s.xml", unit_dir, report_case_name(c),
		 final ? "" : "-partial");
	if (!final) {
		f->in.final = false;
		f->in.n_done = 1;
	}
	write_document(&f->in, path);
	report_fixture_free(f);
	if (xsd_check(path))
		fail_msg("%s does not validate (see %s.log)", path, path);
	doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	return doc;
}

/* The string value of an XPath expression on doc ("" when none). */
static char *xpath(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o;
	char *s;

	assert_non_null(ctx);
	o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	assert_non_null(o);
	s = (char *)xmlXPathCastToString(o);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return s;
}

static void assert_xpath(xmlDocPtr doc, const char *expr, const char *want)
{
	char *got = xpath(doc, expr);

	if (strcmp(got, want))
		fail_msg("%s: got '%s', want '%s'", expr, got, want);
	xmlFree(got);
}

static void assert_counts(xmlDocPtr doc, const char *want)
{
	char *got = xpath(
		doc,
		"concat(/testsuites/testsuite/@tests, ' ', /testsuites/testsuite/@failures, ' ',"
		" /testsuites/testsuite/@errors, ' ', /testsuites/testsuite/@skipped)");

	if (strcmp(got, want))
		fail_msg("tests failures errors skipped: got '%s', want '%s'",
			 got, want);
	xmlFree(got);
}

static void passed(void **state)
{
	char path[256];
	xmlDocPtr doc = junit_of(RC_PASSED, true, path, sizeof(path));

	(void)state;
	assert_counts(doc, "1 0 0 0");
	assert_xpath(doc, "string(//testcase/@classname)", "mrstress.clean");
	assert_xpath(doc, "string(//testcase/@time)", "4.250");
	assert_xpath(doc, "string(//property[@name='kernel.release']/@value)",
		     "6.1.0-37-amd64");
	assert_xpath(doc, "string(//property[@name='command_line']/@value)",
		     "mrstress --ktap 'a b.scn'");
	assert_xpath(doc, "string(//property[@name='seed.clean']/@value)",
		     "42");
	assert_xpath(doc, "string(count(//testcase/failure))", "0");
	assert_xpath(
		doc,
		"string(contains(//testcase/system-out, 'findings: 0 (0 unexpected)'))",
		"true");
	xmlFreeDoc(doc);
}

static void findings(void **state)
{
	char path[256], *text;
	xmlDocPtr doc = junit_of(RC_FINDINGS, true, path, sizeof(path));

	(void)state;
	assert_counts(doc, "2 1 0 0");
	assert_xpath(doc, "string(//testcase[2]/@classname)",
		     "mrstress.unexpected_v2");
	assert_xpath(doc, "string(//testcase[2]/@name)", "trunc # ate\nnow");
	assert_xpath(doc, "string(//testcase[2]/failure/@type)", "detached");
	assert_xpath(doc, "string(//testcase[2]/failure/@message)",
		     "1 unexpected finding");
	text = xpath(doc, "string(//testcase[2]/failure)");
	/* What XML can carry comes back as it was; the rest as \xNN. */
	assert_non_null(strstr(
		text, "UNEXPECTED detached: detached: file tmpfs 4M <&>"));
	assert_non_null(strstr(text, "x]]> <&\"'\\x01\\x1b[0m\x7f end\n"));
	assert_non_null(strstr(
		text, "invalid UTF-8 \\xc3( and \\xed\\xa0\\x80 surrogate"));
	assert_non_null(strstr(text, "expected policy-refused: "));
	/* The hexdump of what was found, '<' and all. */
	assert_non_null(strstr(text, "5d 5d 3e 3c 26 22 01 02"));
	xmlFree(text);
	xmlFreeDoc(doc);
}

static void skipped(void **state)
{
	char path[256];
	xmlDocPtr doc = junit_of(RC_SKIP, true, path, sizeof(path));

	(void)state;
	assert_counts(doc, "1 0 0 1");
	assert_xpath(doc, "string(//testcase/skipped/@message)",
		     "no RDMA device found");
	assert_xpath(doc, "string(//testcase/@classname)",
		     "mrstress.command-line");
	xmlFreeDoc(doc);
}

static void errors(void **state)
{
	char path[256];
	xmlDocPtr doc = junit_of(RC_ERRORS, true, path, sizeof(path));

	(void)state;
	assert_counts(doc, "2 0 2 0");
	assert_xpath(doc, "string(//testcase[1]/error/@type)", "harness-error");
	assert_xpath(doc, "string(//testcase[1]/error/@message)",
		     "ibv_create_cq: Cannot allocate memory\\x01");
	assert_xpath(doc, "string(//testcase[2]/error/@type)", "usage-error");
	xmlFreeDoc(doc);
}

static void interrupted(void **state)
{
	char path[256];
	xmlDocPtr doc = junit_of(RC_INTERRUPTED, true, path, sizeof(path));

	(void)state;
	assert_counts(doc, "3 0 0 2");
	assert_xpath(doc, "string(//testcase[3]/skipped/@message)",
		     "not run: interrupted by SIGTERM");
	assert_xpath(doc, "string(//property[@name='signal']/@value)",
		     "SIGTERM");
	xmlFreeDoc(doc);
}

/* Written after the first scenario: what is known so far, valid too. */
static void partial(void **state)
{
	char path[256];
	xmlDocPtr doc = junit_of(RC_FINDINGS, false, path, sizeof(path));

	(void)state;
	assert_counts(doc, "1 0 0 0");
	assert_xpath(doc, "string(//property[@name='complete']/@value)",
		     "false");
	xmlFreeDoc(doc);
}

/* A good document with from replaced by to. */
static void write_changed(const char *good, const char *path, const char *from,
			  const char *to)
{
	FILE *in = fopen(good, "r"), *out = fopen(path, "w");
	char buf[1 << 16];
	size_t n;
	char *at;

	assert_non_null(in);
	assert_non_null(out);
	n = fread(buf, 1, sizeof(buf) - 1, in);
	buf[n] = '\0';
	at = strstr(buf, from);
	assert_non_null(at);
	fprintf(out, "%.*s%s%s", (int)(at - buf), buf, to, at + strlen(from));
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

/* The validation is real: the XSD (or XML itself) rejects broken ones. */
static void xsd_rejects(void **state)
{
	static const char *const broken[][2] = {
		{ "tests=\"2\"", "tests=\"two\"" },
		{ "<testcase name=\"clean\"", "<testcase" },
		{ "<testsuite ", "<testsuite><bogus/></testsuite><testsuite " },
		{ "timestamp=\"", "timestamp=\"yesterday" },
		{ "x]]&gt;", "x\x01" },
		{ "<failure ", "<failure><skipped/></failure><failure " },
	};
	char good[256], bad[300];
	xmlDocPtr doc = junit_of(RC_FINDINGS, true, good, sizeof(good));

	(void)state;
	xmlFreeDoc(doc);
	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		snprintf(bad, sizeof(bad), "%s/broken-%zu.xml", unit_dir, i);
		write_changed(good, bad, broken[i][0], broken[i][1]);
		if (!xsd_check(bad))
			fail_msg("the XSD accepted %s ('%s' for '%s')", bad,
				 broken[i][1], broken[i][0]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(passed),      cmocka_unit_test(findings),
		cmocka_unit_test(skipped),     cmocka_unit_test(errors),
		cmocka_unit_test(interrupted), cmocka_unit_test(partial),
		cmocka_unit_test(xsd_rejects),
	};

	return cmocka_run_group_tests_name("report_junit", tests,
					   unit_dir_setup, unit_dir_teardown);
}
