// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /proc/PID/smaps is the one place the kernel says, per mapping, what it
 * really gave: AnonHugePages tells whether THP happened, not whether it
 * was asked for.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "smaps.h"

/* A header line: "7f12c0000000-7f12c0800000 rw-p 00000000 00:00 0 ...". */
static bool vma_header(const char *line, uintptr_t *start, uintptr_t *end)
{
	char *p;

	*start = (uintptr_t)strtoull(line, &p, 16);
	if (p == line || *p != '-')
		return false;
	line = p + 1;
	*end = (uintptr_t)strtoull(line, &p, 16);
	return p != line && *p == ' ';
}

static const char *next_line(const char *line)
{
	const char *nl = strchr(line, '\n');

	return nl ? nl + 1 : NULL;
}

int smaps_field(const char *text, uintptr_t addr, const char *field,
		size_t *bytes)
{
	size_t flen = strlen(field);
	bool inside = false, found_vma = false;
	uintptr_t start, end;
	const char *line;

	for (line = text; line && *line; line = next_line(line)) {
		if (vma_header(line, &start, &end)) {
			if (inside)
				break;
			inside = addr >= start && addr < end;
			found_vma |= inside;
			continue;
		}
		if (inside && !strncmp(line, field, flen) &&
		    line[flen] == ':') {
			char *p;
			unsigned long long v =
				strtoull(line + flen + 1, &p, 10);

			if (p == line + flen + 1)
				return -ENODATA;
			while (*p == ' ')
				p++;
			/* Sizes are in kB; counts (none asked for yet) bare. */
			*bytes = (size_t)(strncmp(p, "kB", 2) ? v : v * 1024);
			return 0;
		}
	}
	return found_vma ? -ENODATA : -ENOENT;
}

/* The whole file: smaps cannot be read in pieces and parsed per line. */
static char *read_all(const char *path, struct mrs_err *e)
{
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap), *bigger;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0 || !buf) {
		mrs_err_sys(e, "open %s", path);
		goto fail;
	}
	for (;;) {
		if (cap - len < 4096) {
			bigger = realloc(buf, cap * 2);
			if (!bigger) {
				mrs_err_set(e, ENOMEM, "reading %s", path);
				goto fail;
			}
			buf = bigger;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			mrs_err_sys(e, "read %s", path);
			goto fail;
		}
		if (!n)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	close(fd);
	return buf;
fail:
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

int smaps_self_field(uintptr_t addr, const char *field, size_t *bytes,
		     struct mrs_err *e)
{
	char *text = read_all("/proc/self/smaps", e);
	int ret;

	if (!text)
		return -e->code;
	ret = smaps_field(text, addr, field, bytes);
	free(text);
	if (ret == -ENOENT)
		return mrs_err_set(e, ENOENT,
				   "/proc/self/smaps: no mapping holds %#lx",
				   (unsigned long)addr);
	if (ret)
		return mrs_err_set(e, ENODATA,
				   "/proc/self/smaps: no %s for %#lx", field,
				   (unsigned long)addr);
	return 0;
}
