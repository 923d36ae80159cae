// SPDX-License-Identifier: GPL-2.0-or-later
/* What a run's expectations may ask of the machine: read from sysfs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "machine.h"

#define NODES_ONLINE "/sys/devices/system/node/online"
#define THP_ENABLED "/sys/kernel/mm/transparent_hugepage/enabled"
#define FREE_2M "/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages"

unsigned node_list_count(const char *list)
{
	unsigned n = 0;
	const char *p = list;

	while (*p >= '0' && *p <= '9') {
		char *end;
		unsigned long a = strtoul(p, &end, 10), b = a;

		if (*end == '-')
			b = strtoul(end + 1, &end, 10);
		if (b >= a)
			n += (unsigned)(b - a + 1);
		if (*end != ',')
			break;
		p = end + 1;
	}
	return n;
}

bool thp_mode_enabled(const char *text)
{
	return *text && !strstr(text, "[never]");
}

/* The first line of a small file, "" when it cannot be read. */
static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

void machine_sample(struct expect_env *env, char *release, size_t len)
{
	struct utsname u;
	char buf[128];

	memset(env, 0, sizeof(*env));
	release[0] = '\0';
	if (!uname(&u)) {
		snprintf(release, len, "%s", u.release);
		kernel_version_parse(u.release, &env->kernel);
	}
	read_line(NODES_ONLINE, buf, sizeof(buf));
	env->cap[CAP_NUMA] = node_list_count(buf) > 1;
	env->cap[CAP_ROOT] = geteuid() == 0;
	read_line(THP_ENABLED, buf, sizeof(buf));
	env->cap[CAP_THP] = thp_mode_enabled(buf);
	read_line(FREE_2M, buf, sizeof(buf));
	env->cap[CAP_HUGETLB] = strtoul(buf, NULL, 10) > 0;
}

void machine_set_device(struct expect_env *env, const struct device_info *d)
{
	env->cap[CAP_ODP] = (d->odp_general_caps & IBV_ODP_SUPPORT) &&
			    d->odp_rc_caps;
}
