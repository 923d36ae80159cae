// SPDX-License-Identifier: GPL-2.0-or-later
/* Short descriptions of steps and ranges, for the timeline and messages. */
#include <stdarg.h>
#include <stdio.h>

#include "units.h"
#include "what.h"

void step_what(struct stress_step *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->what, sizeof(st->what), fmt, ap);
	va_end(ap);
}

const char *range_str(uint64_t off, uint64_t len, char *buf, size_t n)
{
	char sz[16];

	snprintf(buf, n, "%s@0x%llx", format_size(len, sz, sizeof(sz)),
		 (unsigned long long)off);
	return buf;
}
