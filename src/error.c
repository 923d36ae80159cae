// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

static __thread const char *injected;

void mrs_err_injected(const char *name)
{
	injected = name;
}

/*
 * A message is one line however it was made: a value quoted from the
 * command line or a file may hold a newline, a tab or other control bytes,
 * which are written as \n, \t or \xNN instead.
 */
static void copy_escaped(char *dst, size_t len, const char *src)
{
	size_t n = 0;

	for (; *src && n + 1 < len; src++) {
		unsigned char c = (unsigned char)*src;
		int w;

		if (c >= 0x20 && c != 0x7f) {
			dst[n++] = (char)c;
			continue;
		}
		if (c == '\n')
			w = snprintf(dst + n, len - n, "\\n");
		else if (c == '\t')
			w = snprintf(dst + n, len - n, "\\t");
		else
			w = snprintf(dst + n, len - n, "\\x%02x", c);
		if ((size_t)w >= len - n)
			break;
		n += (size_t)w;
	}
	dst[n] = '\0';
}

static int err_vset(struct mrs_err *e, int code, const char *fmt, va_list ap,
		    bool with_errno)
{
	char raw[sizeof(e->msg)];
	size_t n;

	e->code = code;
	vsnprintf(raw, sizeof(raw), fmt, ap);
	copy_escaped(e->msg, sizeof(e->msg), raw);
	if (with_errno) {
		n = strlen(e->msg);
		snprintf(e->msg + n, sizeof(e->msg) - n, ": %s",
			 strerror(code));
	}
	e->injected = injected != NULL;
	if (injected) {
		n = strlen(e->msg);
		snprintf(e->msg + n, sizeof(e->msg) - n, " [injected fault %s]",
			 injected);
		injected = NULL;
	}
	return -code;
}

int mrs_err_set(struct mrs_err *e, int code, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = err_vset(e, code, fmt, ap, false);
	va_end(ap);
	return ret;
}

int mrs_err_sys(struct mrs_err *e, const char *fmt, ...)
{
	int code = errno ? errno : EIO;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = err_vset(e, code, fmt, ap, true);
	va_end(ap);
	return ret;
}

const char *errno_name(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "E?";
}

void str_copy(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (!len)
		return;
	if (n >= len)
		n = len - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

char *str_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}
