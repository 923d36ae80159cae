// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>

#include "taint.h"

/* Bit n of the mask is letters[n] (kernel/panic.c, taint_flags[]). */
static const char letters[TAINT_BITS] = {
	'P', /* 0: proprietary module (G when clear) */
	'F', /* 1: module force loaded */
	'S', /* 2: out of spec system */
	'R', /* 3: module force unloaded */
	'M', /* 4: machine check */
	'B', /* 5: bad page referenced */
	'U', /* 6: taint requested by userspace */
	'D', /* 7: kernel died (oops or BUG) */
	'A', /* 8: ACPI table overridden */
	'W', /* 9: a warning */
	'C', /* 10: staging driver */
	'I', /* 11: firmware bug workaround */
	'O', /* 12: out-of-tree module */
	'E', /* 13: unsigned module */
	'L', /* 14: soft lockup */
	'K', /* 15: live patched */
	'X', /* 16: auxiliary (distributions) */
	'T', /* 17: struct randomization plugin */
	'N', /* 18: in-kernel test */
};

char taint_letter(unsigned bit)
{
	return bit < TAINT_BITS ? letters[bit] : '?';
}

void taint_letters(uint64_t mask, char *buf, size_t len)
{
	size_t n = 0;

	if (!len)
		return;
	for (unsigned bit = 0; bit < TAINT_BITS && n + 1 < len; bit++)
		if (mask & (UINT64_C(1) << bit))
			buf[n++] = letters[bit];
	buf[n] = '\0';
}

int taint_parse(const char *text, uint64_t *mask)
{
	uint64_t v = 0;
	const char *p = text;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	while (*p == '\n' || *p == ' ')
		p++;
	if (*p)
		return -EINVAL;
	*mask = v;
	return 0;
}
