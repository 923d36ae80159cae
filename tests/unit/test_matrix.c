// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The matrix page rendered from tests/fixtures/matrix: real reports of
 * 6.1 and 6.12 guests, a 7.3 guest stopped by its timeout after three
 * scenarios, and a "kernel" that is not one. The page is read back with
 * libxml2's HTML parser: every cell there in the right state, links
 * relative and to files that exist, the failed rows red with their
 * reasons, nothing loaded from elsewhere. summary.md and the JUnit file
 * (against tests/junit/jenkins-junit.xsd) too, and the exit status and
 * one-line errors of mrstress-matrix on bad input.
 */
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "matrix.h"
#include "unit.h"

#define BROKEN "not-a-kernel"

static const char *const kernels[] = { "6.1", "6.12", "7.3", BROKEN };
static const char *const scenarios[] = { "pass", "absent-fs", "must-not-seen",
					 "unexpected", "default" };
#define NK (sizeof(kernels) / sizeof(kernels[0]))
#define NS (sizeof(scenarios) / sizeof(scenarios[0]))

/* What each kernel really did with each scenario (see the reports). */
static const char *const want[NK][NS] = {
	{ "pass", "skip", "unexpected", "unexpected", "expected" },
	{ "pass", "skip", "unexpected", "unexpected", "expected" },
	{ "pass", "skip", "unexpected", "not run", "not run" },
	{ "not run", "not run", "not run", "not run", "not run" },
};

static char dir[512];
static struct matrix m;
static char *html;
static size_t html_len;
static htmlDocPtr doc;
static xmlXPathContextPtr xp;

static int run(const char *cmd)
{
	int st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A copy of the fixture in the group's directory: rendering writes there. */
static void copy_fixture(const char *to)
{
	const char *src = getenv("MRSTRESS_SRCDIR");
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), "cp -r '%s/tests/fixtures/matrix' '%s'",
		 src ? src : ".", to);
	assert_int_equal(run(cmd), 0);
}

static int setup(void **state)
{
	struct mrs_err e = { 0 };
	FILE *f;

	if (unit_dir_setup(state))
		return -1;
	snprintf(dir, sizeof(dir), "%s/matrix", unit_dir);
	copy_fixture(dir);
	if (matrix_read(dir, &m, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return -1;
	}
	f = open_memstream(&html, &html_len);
	if (!f || matrix_html(f, &m) || fclose(f))
		return -1;
	doc = htmlReadMemory(html, (int)html_len, "index.html", "UTF-8",
			     HTML_PARSE_NONET);
	xp = doc ? xmlXPathNewContext(doc) : NULL;
	return xp ? 0 : -1;
}

static int teardown(void **state)
{
	xmlXPathFreeContext(xp);
	xmlFreeDoc(doc);
	free(html);
	matrix_free(&m);
	return unit_dir_teardown(state);
}

static xmlXPathObjectPtr query(const char *expr)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, xp);

	if (!o)
		fail_msg("XPath %s does not evaluate", expr);
	return o;
}

static int count(const char *expr)
{
	xmlXPathObjectPtr o = query(expr);
	int n = o->nodesetval ? o->nodesetval->nodeNr : 0;

	xmlXPathFreeObject(o);
	return n;
}

/* The string value of an XPath expression (free it). */
static char *string_of(const char *expr)
{
	char q[1024];
	xmlXPathObjectPtr o;
	char *s;

	snprintf(q, sizeof(q), "string(%s)", expr);
	o = query(q);
	s = strdup((const char *)o->stringval);
	xmlXPathFreeObject(o);
	return s;
}

static void cell_xpath(char *buf, size_t len, const char *k, const char *s)
{
	snprintf(buf, len, "//td[@data-kernel='%s' and @data-scenario='%s']", k,
		 s);
}

static void test_every_cell(void **state)
{
	char q[512];

	(void)state;
	assert_int_equal(count("//td[contains(@class,'cell')]"), NK * NS);
	for (size_t k = 0; k < NK; k++)
		for (size_t s = 0; s < NS; s++) {
			cell_xpath(q, sizeof(q), kernels[k], scenarios[s]);
			assert_int_equal(count(q), 1);
		}
	/* kernels as rows in the order asked, scenarios as columns */
	for (size_t k = 0; k < NK; k++) {
		char *name;

		snprintf(
			q, sizeof(q),
			"//table[@class='grid']/tbody/tr[%zu]/th//span[@class='kname']",
			k + 1);
		name = string_of(q);
		assert_string_equal(name, kernels[k]);
		free(name);
	}
}

static void test_cell_states(void **state)
{
	char q[512], *word;

	(void)state;
	for (size_t k = 0; k < NK; k++)
		for (size_t s = 0; s < NS; s++) {
			char cls[32];

			snprintf(cls, sizeof(cls), "%s", want[k][s]);
			if (!strcmp(cls, "not run"))
				strcpy(cls, "not-run");
			cell_xpath(q, sizeof(q), kernels[k], scenarios[s]);
			snprintf(q + strlen(q), sizeof(q) - strlen(q),
				 "[contains(concat(' ',@class,' '),' %s ')]",
				 cls);
			if (count(q) != 1)
				fail_msg("%s x %s: not %s", kernels[k],
					 scenarios[s], want[k][s]);
			strcat(q, "//span[@class='state']");
			word = string_of(q);
			assert_string_equal(word, want[k][s]);
			free(word);
		}
}

/* Observed outcomes, not expectations: classes, errnos, unmet, hover. */
static void test_cell_text(void **state)
{
	char q[512], *s;

	(void)state;
	cell_xpath(q, sizeof(q), "6.12", "default");
	strcat(q, "//span[@class='obs']");
	s = string_of(q);
	assert_non_null(strstr(s, "policy-refused \u00d73 EFAULT"));
	assert_non_null(strstr(s, "detached \u00d7"));
	free(s);
	cell_xpath(q, sizeof(q), "6.1", "default");
	strcat(q, "//span[@class='obs']");
	s = string_of(q);
	assert_null(strstr(s, "policy-refused"));
	free(s);
	cell_xpath(q, sizeof(q), "6.1", "must-not-seen");
	strcat(q, "//span[@class='obs']");
	s = string_of(q);
	assert_string_equal(s, "not met: policy-refused");
	free(s);
	cell_xpath(q, sizeof(q), "6.1", "unexpected");
	strcat(q, "/@title");
	s = string_of(q);
	assert_non_null(strstr(s, "UNEXPECTED detached: "));
	free(s);
	cell_xpath(q, sizeof(q), "6.12", "absent-fs");
	strcat(q, "/@title");
	s = string_of(q);
	assert_non_null(strstr(s, "ext2"));
	free(s);
	cell_xpath(q, sizeof(q), "6.12", "pass");
	strcat(q, "//span[@class='meta']");
	s = string_of(q);
	assert_non_null(strstr(s, " MB/s"));
	assert_true(atof(s) > 0);
	free(s);
}

static void test_links(void **state)
{
	xmlXPathObjectPtr o;

	(void)state;
	o = query("//@href");
	assert_true(o->nodesetval && o->nodesetval->nodeNr > (int)NK * 2);
	for (int i = 0; i < o->nodesetval->nodeNr; i++) {
		xmlChar *v = xmlNodeGetContent(o->nodesetval->nodeTab[i]);
		const char *href = (const char *)v;
		char path[1024];
		struct stat st;

		assert_null(strstr(href, "://"));
		assert_true(href[0] != '/');
		if (href[0] != '#') {
			snprintf(path, sizeof(path), "%s/%s", dir, href);
			if (stat(path, &st))
				fail_msg("link %s: no such file in the fixture",
					 href);
		}
		xmlFree(v);
	}
	xmlXPathFreeObject(o);
	/* a run's cell links to its bundle's summary */
	assert_int_equal(
		count("//td[@data-kernel='6.12' and @data-scenario='default']"
		      "/a[@href='cells/6.12/bundle/05-default/summary.txt']"),
		1);
}

static void test_self_contained(void **state)
{
	(void)state;
	assert_int_equal(count("//script"), 0);
	assert_int_equal(count("//link"), 0);
	assert_int_equal(count("//@src"), 0);
	assert_int_equal(count("//iframe|//object|//embed|//img"), 0);
	assert_int_equal(count("//style"), 1);
	assert_null(strstr(html, "url("));
	assert_null(strstr(html, "@import"));
}

static void test_failed_rows(void **state)
{
	char *s;

	(void)state;
	assert_int_equal(count("//tr[contains(@class,'failed')]"), 2);
	s = string_of(
		"//tr[contains(@class,'failed')][th//span[@class='kname']='" BROKEN
		"']//p[@class='reason']");
	assert_non_null(strstr(s, "VM FAILED: qemu failed"));
	free(s);
	s = string_of(
		"//tr[contains(@class,'failed')][th//span[@class='kname']='7.3']"
		"//p[@class='reason']");
	assert_non_null(strstr(s, "timeout"));
	free(s);
	assert_int_equal(
		count("//tr[contains(@class,'failed')]//a[text()='console log']"),
		2);
	assert_int_equal(count("//tr[not(contains(@class,'failed'))]"
			       "/td[contains(@class,'not-run')]"),
			 0);
}

/* The gup_longterm matrix through RDMA: per MR, per kernel. */
static void test_mr_table(void **state)
{
	char *s;

	(void)state;
	s = string_of("//h3[@id='s-default']/following-sibling::table[1]"
		      "//tr[th[starts-with(.,'file-ext4 ')]]/td[2]");
	assert_string_equal(s, "refused EFAULT");
	free(s);
	s = string_of("//h3[@id='s-default']/following-sibling::table[1]"
		      "//tr[th[starts-with(.,'file-ext4 ')]]/td[1]");
	assert_string_equal(s, "registered");
	free(s);
	s = string_of("//h3[@id='s-absent-fs']/following-sibling::table[1]"
		      "//tr[th[starts-with(.,'f ')]]/td[1]");
	assert_string_equal(s, "skipped");
	free(s);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

static void test_summary_md(void **state)
{
	char *md = NULL, *p;
	size_t len = 0;
	FILE *f = open_memstream(&md, &len);
	unsigned rows = 0;

	(void)state;
	assert_int_equal(matrix_md(f, &m), 0);
	fclose(f);
	for (p = md; (p = strstr(p, "\n| ")); p++)
		rows++;
	assert_int_equal(rows, 1 + NK);
	assert_non_null(strstr(md, "| pass | absent-fs | must-not-seen |"));
	assert_non_null(strstr(md, "| 6.12 | 6.12."));
	assert_non_null(strstr(md, "expected: policy-refused \u00d73 EFAULT"));
	assert_non_null(strstr(md, "| " BROKEN " **VM FAILED** |"));
	assert_non_null(strstr(md, "\n## Failures\n"));
	assert_non_null(strstr(md, "- 7.3: VM failed: timeout"));
	assert_non_null(strstr(md, "- 6.1 / unexpected: unexpected: detached"));
	free(md);
}

static void test_junit(void **state)
{
	const char *src = getenv("MRSTRESS_SRCDIR");
	struct mrs_err e = { 0 };
	char path[600], cmd[2048], *x;

	(void)state;
	snprintf(path, sizeof(path), "%s/junit.xml", dir);
	assert_int_equal(matrix_junit(path, &m, &e), 0);
	snprintf(
		cmd, sizeof(cmd),
		"xmllint --noout --schema '%s/tests/junit/jenkins-junit.xsd' '%s' 2>/dev/null",
		src ? src : ".", path);
	assert_int_equal(run(cmd), 0);
	x = read_file(path);
	assert_non_null(strstr(x, "<testsuite name=\"6.12 (6.12."));
	assert_non_null(strstr(
		x, "<testcase name=\"vm\" classname=\"matrix.not-a-kernel\""));
	assert_non_null(
		strstr(x, "<failure message=\"not met: policy-refused\""));
	assert_non_null(strstr(
		x, "tests=\"22\" failures=\"5\" errors=\"2\" skipped=\"10\""));
	free(x);
}

/* mrstress-matrix: the pages, the summary and its exit status. */
static void test_program(void **state)
{
	const char *b = getenv("MRSTRESS_BUILDDIR");
	char cmd[2048], path[600];
	struct stat st;

	(void)state;
	snprintf(cmd, sizeof(cmd), "'%s/src/mrstress-matrix' '%s' >'%s.out'",
		 b ? b : ".", dir, dir);
	assert_int_equal(run(cmd), 1);
	snprintf(path, sizeof(path), "%s/index.html", dir);
	assert_int_equal(stat(path, &st), 0);
	snprintf(path, sizeof(path), "%s/summary.md", dir);
	assert_int_equal(stat(path, &st), 0);
}

/* A broken report: one line naming file and line, exit 2, page written. */
static void test_broken_report(void **state)
{
	const char *b = getenv("MRSTRESS_BUILDDIR");
	char bad[600], cmd[2048], *err, *page;

	(void)state;
	snprintf(bad, sizeof(bad), "%s/broken", unit_dir);
	copy_fixture(bad);
	snprintf(
		cmd, sizeof(cmd),
		"printf '{\\n  \"schema\": 2,\\n  oops\\n' >'%s/cells/6.1/report.json'",
		bad);
	assert_int_equal(run(cmd), 0);
	snprintf(cmd, sizeof(cmd),
		 "'%s/src/mrstress-matrix' '%s' >/dev/null 2>'%s.err'",
		 b ? b : ".", bad, bad);
	assert_int_equal(run(cmd), 2);
	snprintf(cmd, sizeof(cmd), "%s.err", bad);
	err = read_file(cmd);
	assert_non_null(strstr(err, "cells/6.1/report.json:3: "));
	/* one line */
	assert_non_null(strchr(err, '\n'));
	assert_int_equal(strchr(err, '\n')[1], '\0');
	snprintf(cmd, sizeof(cmd), "%s/index.html", bad);
	page = read_file(cmd);
	assert_non_null(
		strstr(page, "<td class=\"cell error\" data-kernel=\"6.1\""));
	free(page);
	free(err);
	snprintf(cmd, sizeof(cmd),
		 "'%s/src/mrstress-matrix' '%s/nowhere' 2>'%s.err2'",
		 b ? b : ".", unit_dir, bad);
	assert_int_equal(run(cmd), 2);
	snprintf(cmd, sizeof(cmd), "%s.err2", bad);
	err = read_file(cmd);
	assert_non_null(
		strstr(err, "/nowhere: cannot read the matrix directory"));
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_cell),
		cmocka_unit_test(test_cell_states),
		cmocka_unit_test(test_cell_text),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_self_contained),
		cmocka_unit_test(test_failed_rows),
		cmocka_unit_test(test_mr_table),
		cmocka_unit_test(test_summary_md),
		cmocka_unit_test(test_junit),
		cmocka_unit_test(test_program),
		cmocka_unit_test(test_broken_report),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
