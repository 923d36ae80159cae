/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_KTAP_CHECK_H
#define MRS_KTAP_CHECK_H

#include <stddef.h>

/*
 * A checker of KTAP version 1 (the kernel's
 * Documentation/dev-tools/ktap.rst) at the top level, the way
 * tools/testing/kunit/kunit_parser.py and kselftest's runner read it: the
 * version line first, then the plan "1..N" before any test, test lines
 * "ok N [name] [# DIRECTIVE [reason]]" / "not ok N ..." numbered 1..N in
 * order, with SKIP, TODO, XFAIL, TIMEOUT or ERROR as the directive and no
 * other '#' on the line, diagnostic lines "# ..." (or a bare "#"), and
 * nothing else unindented; indented lines (subtests) are passed over.
 * "Bail out!" ends the output early.
 */
struct ktap_result {
	unsigned planned, tests; /* N of the plan; test lines seen */
	unsigned ok, not_ok, skipped; /* skipped: with # SKIP, ok or not */
	unsigned diagnostics;
};

/*
 * Check text. Returns 0 with r filled, or -1 with err saying what is wrong
 * and on which line.
 */
int ktap_check(const char *text, struct ktap_result *r, char *err, size_t len);

#endif
