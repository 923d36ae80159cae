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
