/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_ATOMIC_WRITER_H
#define MRS_ATOMIC_WRITER_H

#include <stdio.h>
#include <string.h>

/*
 * Version v of the report atomic-writer rewrites, exactly size bytes:
 * "version V\n", numbered filler lines, "end of version V\n". A reader
 * that finds the file can tell a whole version from any part of one.
 */
static inline void atomic_writer_content(char *buf, size_t size,
					 unsigned long v)
{
	char trailer[48];
	size_t at, tlen;

	tlen = (size_t)snprintf(trailer, sizeof(trailer),
				"end of version %lu\n", v);
	at = (size_t)snprintf(buf, size, "version %lu\n", v);
	for (unsigned long line = 0; at < size - tlen; line++) {
		char l[64];
		size_t n = (size_t)snprintf(l, sizeof(l), "%lu.%lu filler\n", v,
					    line);

		if (n > size - tlen - at)
			n = size - tlen - at;
		memcpy(buf + at, l, n);
		at += n;
	}
	memcpy(buf + at, trailer, tlen);
}

#endif
