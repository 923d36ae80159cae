// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memstat.h"

int memstat_parse(const char *text, const char *name, uint64_t *val)
{
	size_t n = strlen(name);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p += !!p) {
		const char *q = p + n;
		char *end;

		if (strncmp(p, name, n) || (*q != ':' && *q != ' '))
			continue;
		q += *q == ':';
		*val = strtoull(q, &end, 10);
		while (*end == ' ')
			end++;
		if (!strncmp(end, "kB", 2))
			*val *= 1024;
		return 0;
	}
	return -ENOENT;
}

int memstat_read(const char *path, const char *name, uint64_t *val,
		 struct mrs_err *e)
{
	char buf[8192];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got;

	if (fd < 0)
		return mrs_err_sys(e, "open(%s)", path);
	/* Both files fit: meminfo is ~1.5K, vmstat ~5K. */
	got = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (got < 0)
		return mrs_err_sys(e, "read(%s)", path);
	buf[got] = '\0';
	if (memstat_parse(buf, name, val))
		return mrs_err_set(e, ENOENT, "%s: no %s", path, name);
	return 0;
}

uint64_t memstat_available(void)
{
	struct mrs_err e;
	uint64_t v = 0;

	if (memstat_read("/proc/meminfo", "MemAvailable", &v, &e))
		return 0;
	return v;
}

uint64_t memstat_file_u64(const char *path)
{
	FILE *f = fopen(path, "re");
	uint64_t v = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%" SCNu64, &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

unsigned memstat_count_list(const char *list)
{
	unsigned n = 0;
	const char *p = list;

	while (*p) {
		char *end;
		unsigned long a = strtoul(p, &end, 10), b = a;

		if (end == p)
			break;
		if (*end == '-')
			b = strtoul(end + 1, &end, 10);
		if (b >= a)
			n += (unsigned)(b - a + 1);
		p = end + (*end == ',');
		if (*end != ',')
			break;
	}
	return n;
}
