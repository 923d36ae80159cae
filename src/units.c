// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

static int suffix_shift(const char *end, unsigned *shift)
{
	static const char units[] = "KMGT";
	const char *u;

	if (!*end) {
		*shift = 0;
		return 0;
	}
	u = strchr(units, *end & ~0x20);
	if (!u)
		return -EINVAL;
	*shift = 10 * (unsigned)(u - units + 1);
	end++;
	if (!strcmp(end, "") || !strcmp(end, "iB") || !strcmp(end, "B"))
		return 0;
	return -EINVAL;
}

int parse_size(const char *s, size_t *out)
{
	unsigned long long v;
	unsigned shift;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -ERANGE;
	if (suffix_shift(end, &shift))
		return -EINVAL;
	if (shift && v > (SIZE_MAX >> shift))
		return -ERANGE;
	*out = (size_t)(v << shift);
	return 0;
}

const char *format_size(size_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGT";
	int i = -1;

	while (bytes && !(bytes & 1023) && i < 3) {
		bytes >>= 10;
		i++;
	}
	if (i < 0)
		snprintf(buf, len, "%zu", bytes);
	else
		snprintf(buf, len, "%zu%c", bytes, units[i]);
	return buf;
}

int parse_duration(const char *s, double *out)
{
	static const struct {
		const char *suffix;
		double scale;
	} units[] = { { "", 1 },      { "s", 1 },  { "ms", 1e-3 },
		      { "us", 1e-6 }, { "m", 60 }, { "min", 60 },
		      { "h", 3600 } };
	double v;
	char *end;

	/* strtod() would also take hex ("0x10"), which no one means here */
	if (!s || ((*s < '0' || *s > '9') && *s != '.') || strpbrk(s, "xX"))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || v < 0 || v > 1e9)
		return -ERANGE;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (!strcmp(end, units[i].suffix)) {
			*out = v * units[i].scale;
			return 0;
		}
	}
	return -EINVAL;
}

int parse_size_or_percent(const char *s, size_t total, size_t *out)
{
	size_t len = s ? strlen(s) : 0;
	char *end;
	double pct;

	if (!len || s[len - 1] != '%')
		return parse_size(s, out);
	if (*s < '0' || *s > '9')
		return -EINVAL;
	pct = strtod(s, &end);
	if (end != s + len - 1 || pct > 100)
		return -EINVAL;
	*out = (size_t)((double)total * pct / 100);
	return 0;
}

int name_index(const char *const *names, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], name))
			return i;
	return -1;
}

int parse_flag_words(const char *s, const struct flag_word *words, size_t n,
		     unsigned *out)
{
	char buf[96], *tok, *save = NULL;
	unsigned bits = 0;

	/* "rw+" or "rw++mw": an empty word is a typo, not nothing */
	if (strlen(s) >= sizeof(buf) || !*s || *s == '+' ||
	    s[strlen(s) - 1] == '+' || strstr(s, "++"))
		return -EINVAL;
	strcpy(buf, s);
	for (tok = strtok_r(buf, "+", &save); tok;
	     tok = strtok_r(NULL, "+", &save)) {
		size_t i;

		for (i = 0; i < n; i++)
			if (!strcmp(tok, words[i].name))
				break;
		if (i == n)
			return -EINVAL;
		bits |= words[i].bits;
	}
	if (!bits)
		return -EINVAL;
	*out = bits;
	return 0;
}
