// SPDX-License-Identifier: GPL-2.0-or-later
/* KTAP version 1, checked line by line (ktap_check.h says what holds). */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktap_check.h"

struct ktap_state {
	struct ktap_result *r;
	unsigned line;
	bool have_version, have_plan, bailed;
	char *err;
	size_t len;
};

__attribute__((format(printf, 2, 3))) static int bad(struct ktap_state *s,
						     const char *fmt, ...)
{
	int n = snprintf(s->err, s->len, "line %u: ", s->line);
	va_list ap;

	va_start(ap, fmt);
	if (n > 0 && (size_t)n < s->len)
		vsnprintf(s->err + n, s->len - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* A decimal number at *p, no sign, no leading zero; advances *p. */
static bool number(const char **p, unsigned *n)
{
	const char *d = *p;
	unsigned long v = 0;

	if (*d < '0' || *d > '9' || (*d == '0' && d[1] >= '0' && d[1] <= '9'))
		return false;
	for (; *d >= '0' && *d <= '9'; d++) {
		v = v * 10 + (unsigned long)(*d - '0');
		if (v > 1000000)
			return false;
	}
	*n = (unsigned)v;
	*p = d;
	return true;
}

static bool known_directive(const char *d)
{
	static const char *const names[] = { "SKIP", "TODO", "XFAIL", "TIMEOUT",
					     "ERROR" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t n = strlen(names[i]);

		if (!strncmp(d, names[i], n) && (!d[n] || d[n] == ' '))
			return true;
	}
	return false;
}

/* What follows "ok N": " name", " # DIRECTIVE...", or nothing. */
static int test_rest(struct ktap_state *s, const char *p, bool *skip)
{
	const char *hash = strchr(p, '#');

	*skip = false;
	if (*p && *p != ' ')
		return bad(s, "the test number must end the word: '%s'", p);
	if (!hash)
		return 0;
	if (hash[-1] != ' ' || hash[1] != ' ')
		return bad(s, "'#' outside a directive ' # DIRECTIVE'");
	if (strchr(hash + 1, '#') && !known_directive(hash + 2))
		return bad(s, "more than one '#' on a test line");
	if (!known_directive(hash + 2))
		return bad(s, "unknown directive '%s'", hash + 2);
	*skip = !strncmp(hash + 2, "SKIP", 4);
	return 0;
}

static int test_line(struct ktap_state *s, const char *p, bool passed)
{
	unsigned n;
	bool skip;

	if (!s->have_plan)
		return bad(s, "a test line before the plan");
	if (!number(&p, &n))
		return bad(s, "no test number");
	if (n != s->r->tests + 1)
		return bad(s, "test %u where %u was due", n, s->r->tests + 1);
	if (n > s->r->planned)
		return bad(s, "test %u beyond the plan 1..%u", n,
			   s->r->planned);
	if (test_rest(s, p, &skip))
		return -1;
	s->r->tests++;
	if (passed)
		s->r->ok++;
	else
		s->r->not_ok++;
	s->r->skipped += skip;
	return 0;
}

static int plan_line(struct ktap_state *s, const char *p)
{
	unsigned n;

	if (s->have_plan)
		return bad(s, "a second plan");
	if (!number(&p, &n) || *p)
		return bad(s, "the plan is not 1..N");
	s->r->planned = n;
	s->have_plan = true;
	return 0;
}

static int one_line(struct ktap_state *s, const char *l)
{
	for (const char *c = l; *c; c++)
		if ((unsigned char)*c < 0x20 && *c != '\t')
			return bad(s, "control character 0x%02x",
				   (unsigned char)*c);
	if (!s->have_version) {
		if (strcmp(l, "KTAP version 1"))
			return bad(s, "'KTAP version 1' must come first");
		s->have_version = true;
		return 0;
	}
	if (!strcmp(l, "#") || !strncmp(l, "# ", 2)) {
		s->r->diagnostics++;
		return 0;
	}
	if (l[0] == ' ' || l[0] == '\t')
		return 0; /* a subtest's line */
	if (!strncmp(l, "1..", 3))
		return plan_line(s, l + 3);
	if (!strncmp(l, "ok ", 3))
		return test_line(s, l + 3, true);
	if (!strncmp(l, "not ok ", 7))
		return test_line(s, l + 7, false);
	if (!strncmp(l, "Bail out!", 9)) {
		s->bailed = true;
		return 0;
	}
	return bad(s, "not a KTAP line: '%.60s'", l);
}

int ktap_check(const char *text, struct ktap_result *r, char *err, size_t len)
{
	struct ktap_state s = { .r = r, .err = err, .len = len };
	char *copy = strdup(text), *l = copy;
	int ret = 0;

	memset(r, 0, sizeof(*r));
	if (!copy)
		return bad(&s, "out of memory");
	if (*text && text[strlen(text) - 1] != '\n')
		ret = bad(&s, "the output does not end in a newline");
	/* strtok_r would pass over empty lines: they are errors here. */
	while (!ret && !s.bailed && *l) {
		char *nl = strchr(l, '\n');

		if (nl)
			*nl = '\0';
		s.line++;
		ret = *l ? one_line(&s, l) : bad(&s, "an empty line");
		l = nl ? nl + 1 : l + strlen(l);
	}
	free(copy);
	if (ret)
		return ret;
	if (!s.have_version)
		return bad(&s, "no 'KTAP version 1' line");
	if (!s.have_plan)
		return bad(&s, "no plan");
	if (!s.bailed && r->tests != r->planned)
		return bad(&s, "%u tests where the plan said %u", r->tests,
			   r->planned);
	return 0;
}
