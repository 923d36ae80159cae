// SPDX-License-Identifier: GPL-2.0-or-later
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "knob.h"
#include "pin_count.h"

static int field(const char *text, const char *name, uint64_t *out)
{
	size_t len = strlen(name);
	const char *p = text;

	while (p) {
		char *end;

		if (!strncmp(p, name, len) && p[len] == ' ') {
			*out = strtoull(p + len + 1, &end, 10);
			return end == p + len + 1 ? -ENOENT : 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -ENOENT;
}

int pin_count_parse(const char *vmstat, struct pin_count *p)
{
	if (field(vmstat, "nr_foll_pin_acquired", &p->acquired) ||
	    field(vmstat, "nr_foll_pin_released", &p->released))
		return -ENOENT;
	return 0;
}

/*
 * The counters are kept per CPU and folded into /proc/vmstat lazily (up to
 * the per-CPU threshold, about once a second): writing stat_refresh folds
 * them now, so the two reads of a run compare exact numbers.
 */
static int refresh(struct mrs_err *e)
{
	int fd = open("/proc/sys/vm/stat_refresh", O_WRONLY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0 || write(fd, "1", 1) != 1)
		ret = mrs_err_sys(e, "writing /proc/sys/vm/stat_refresh");
	if (fd >= 0)
		close(fd);
	return ret;
}

int pin_count_read(struct pin_count *p, struct mrs_err *e)
{
	char buf[16384]; /* vmstat is about 8K */
	int fd;
	ssize_t n;

	if (refresh(e))
		return -EOPNOTSUPP; /* not root: only approximate numbers */
	fd = open("/proc/vmstat", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mrs_err_sys(e, "open(/proc/vmstat)");
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return mrs_err_sys(e, "read(/proc/vmstat)");
	buf[n] = '\0';
	if (pin_count_parse(buf, p))
		return mrs_err_set(
			e, EOPNOTSUPP,
			"/proc/vmstat has no nr_foll_pin_acquired/released (kernel before 5.10?)");
	return 0;
}

int64_t pin_count_held_since(const struct pin_count *before,
			     const struct pin_count *after)
{
	return (int64_t)(after->acquired - before->acquired) -
	       (int64_t)(after->released - before->released);
}

/* Does process pid have an RDMA device's uverbs file open? */
static bool uses_verbs(const char *pid)
{
	char dir[300], link[600], target[128];
	struct dirent *d;
	bool found = false;
	DIR *fds;

	snprintf(dir, sizeof(dir), "/proc/%s/fd", pid);
	fds = opendir(dir);
	if (!fds)
		return false; /* gone, or not ours to see */
	while (!found && (d = readdir(fds))) {
		ssize_t n;

		snprintf(link, sizeof(link), "%s/%s", dir, d->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		found = !strncmp(target, "/dev/infiniband/uverbs", 22);
	}
	closedir(fds);
	return found;
}

unsigned pin_count_other_users(char *who, size_t len)
{
	char self[24], comm[64] = "?", path[300];
	struct dirent *d;
	unsigned n = 0;
	DIR *proc = opendir("/proc");

	if (!proc)
		return 0;
	snprintf(self, sizeof(self), "%d", (int)getpid());
	while ((d = readdir(proc))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9' ||
		    !strcmp(d->d_name, self) || !uses_verbs(d->d_name))
			continue;
		if (!n++) {
			struct mrs_err e = { 0 };

			snprintf(path, sizeof(path), "/proc/%s/comm",
				 d->d_name);
			knob_read(path, comm, sizeof(comm), &e);
			snprintf(who, len, "pid %s (%s)", d->d_name, comm);
		}
	}
	closedir(proc);
	return n;
}
