// SPDX-License-Identifier: GPL-2.0-or-later
/* Text an XML 1.0 document may carry, from bytes that may be anything. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xml_text.h"

/* The Char production of XML 1.0 (fifth edition), section 2.2. */
static bool xml_char_allowed(uint32_t c)
{
	return c == 0x9 || c == 0xa || c == 0xd || (c >= 0x20 && c <= 0xd7ff) ||
	       (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

/*
 * The length of the well-formed UTF-8 sequence at s (1-4), its code point
 * in *cp; 0 when s does not start one (overlong forms included).
 */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
	static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t n;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, c = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, c = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0; /* also stops at the terminating NUL */
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min[n])
		return 0;
	*cp = c;
	return n;
}

char *xml_text_clean(const char *s)
{
	static const char digits[] = "0123456789abcdef";
	/* At worst every byte becomes four. */
	char *out = malloc(4 * strlen(s) + 1), *p = out;
	const unsigned char *u = (const unsigned char *)s;

	if (!out)
		return NULL;
	while (*u) {
		uint32_t cp;
		size_t n = utf8_decode(u, &cp);

		if (n && xml_char_allowed(cp)) {
			memcpy(p, u, n);
			p += n;
			u += n;
			continue;
		}
		*p++ = '\\';
		*p++ = 'x';
		*p++ = digits[*u >> 4];
		*p++ = digits[*u & 15];
		u++;
	}
	*p = '\0';
	return out;
}
