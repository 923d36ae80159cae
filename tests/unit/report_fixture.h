/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_REPORT_FIXTURE_H
#define MRS_REPORT_FIXTURE_H

#include "report.h"

/*
 * Synthetic report inputs, the shapes a plan can end in, for the tests of
 * the report formats: what each format makes of them is checked against
 * the format's own rules (a KTAP parser, the JUnit XSD).
 */
enum report_case {
	RC_PASSED, /* one scenario, no finding */
	RC_FINDINGS, /* a passing scenario, then one with findings */
	RC_SKIP, /* no RDMA device */
	RC_ERRORS, /* a harness error, then a usage error */
	RC_INTERRUPTED, /* SIGTERM during the first of three */
	RC_COUNT
};

#define REPORT_CASE_MAX 3

struct report_fixture {
	struct plan plan;
	struct scenario *runs[REPORT_CASE_MAX];
	struct scenario_outcome v[REPORT_CASE_MAX];
	struct report_input in;
};

/* The finding's text: bytes XML and KTAP cannot carry as they are. */
#define NASTY_TEXT                                                             \
	"WARNING: CPU: 0 PID: 1 at mm/gup.c:1 x]]> <&\"'\x01\x1b[0m\x7f end\n" \
	"invalid UTF-8 \xc3\x28 and \xed\xa0\x80 surrogate"

struct report_fixture *report_fixture_new(enum report_case c);
void report_fixture_free(struct report_fixture *f);
const char *report_case_name(enum report_case c);

/*
 * What r writes on stdout for the input, as plan_run.c drives it: begin(),
 * scenario() after each scenario done, end(). Free it.
 */
char *report_stream(const struct reporter *r, const struct report_input *in);

#endif
