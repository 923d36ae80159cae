// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Files written whole or not at all: temporary file, fsync, rename.
 *
 * The temporary file of PATH is DIR/.BASE.PID.XXXXXX: hidden from globs
 * such as *.json, and naming the process that writes it. A writer killed
 * between creating it and the rename (SIGKILL from a CI timeout or the OOM
 * killer) leaves it behind, as big as the report; the next write of PATH
 * removes those of writers no longer alive, and never one a live process
 * is still writing, nor a file of the user's that merely looks alike.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fault.h"
#include "atomic_file.h"

/* Reading the umask means setting it: put it back at once. */
static mode_t umask_get(void)
{
	mode_t m = umask(0);

	umask(m);
	return m;
}

/* Flush f to disk and close it; 0 or a negative errno. */
static int finish(FILE *f)
{
	int ret = 0;

	if (fflush(f) || ferror(f) || fault_fire(FAULT_REPORT_WRITE) ||
	    fsync(fileno(f)))
		ret = -errno ?: -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
	return ret;
}

/* The PID in name when it is ".BASE.PID.XXXXXX" of base, else 0. */
static pid_t temp_owner(const char *name, const char *base)
{
	size_t n = strlen(base);
	const char *p;
	char *end;
	long pid;

	if (name[0] != '.' || strncmp(name + 1, base, n) || name[n + 1] != '.')
		return 0;
	p = name + n + 2;
	if (*p < '1' || *p > '9')
		return 0;
	pid = strtol(p, &end, 10);
	if (*end != '.' || strlen(end + 1) != 6 || pid > INT_MAX)
		return 0;
	return (pid_t)pid;
}

/* Remove the temporary files of path that dead writers left. */
static void remove_stale_temps(const char *dir, const char *base)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	/* Best effort: a directory we cannot list fails at mkstemp. */
	if (!d)
		return;
	while ((de = readdir(d))) {
		pid_t pid = temp_owner(de->d_name, base);

		if (pid && pid != getpid() && kill(pid, 0) && errno == ESRCH)
			unlinkat(dirfd(d), de->d_name, 0);
	}
	closedir(d);
}

/* DIR/.BASE.PID.XXXXXX for path, after removing stale ones. */
static int temp_name(const char *path, char *tmp, size_t len, struct mrs_err *e)
{
	char d[PATH_MAX], b[PATH_MAX];
	const char *dir, *base;

	if (strlen(path) >= sizeof(d) || !*path)
		return mrs_err_set(e, ENAMETOOLONG, "%s: bad name", path);
	strcpy(d, path);
	strcpy(b, path);
	dir = dirname(d);
	base = basename(b);
	remove_stale_temps(dir, base);
	if (snprintf(tmp, len, "%s/.%s.%d.XXXXXX", dir, base, (int)getpid()) >=
	    (int)len)
		return mrs_err_set(e, ENAMETOOLONG, "%s: name too long", path);
	return 0;
}

int atomic_file_write(const char *path, int (*fill)(FILE *f, void *arg),
		      void *arg, struct mrs_err *e)
{
	char tmp[PATH_MAX];
	FILE *f;
	int fd, ret;

	ret = temp_name(path, tmp, sizeof(tmp), e);
	if (ret)
		return ret;
	fd = fault_fire(FAULT_REPORT_OPEN) ? -1 : mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return mrs_err_sys(e, "%s: creating a temporary file", path);
	/* mkstemp makes it 0600; a report is as readable as any file. */
	fchmod(fd, 0644 & ~umask_get());
	f = fdopen(fd, "w");
	if (!f) {
		ret = mrs_err_sys(e, "%s", tmp);
		close(fd);
		goto out_unlink;
	}
	ret = fill(f, arg);
	if (ret) {
		fclose(f);
		mrs_err_set(e, -ret, "%s: writing: %s", path, strerror(-ret));
		goto out_unlink;
	}
	ret = finish(f);
	if (ret) {
		mrs_err_set(e, -ret, "%s: writing: %s", path, strerror(-ret));
		goto out_unlink;
	}
	if (rename(tmp, path)) {
		ret = mrs_err_sys(e, "%s: renaming %s over it", path, tmp);
		goto out_unlink;
	}
	return 0;
out_unlink:
	unlink(tmp);
	return ret;
}
