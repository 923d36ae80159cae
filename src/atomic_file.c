// SPDX-License-Identifier: GPL-2.0-or-later
/* Files written whole or not at all: temporary file, fsync, rename. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

	if (fflush(f) || ferror(f) || fsync(fileno(f)))
		ret = -errno ?: -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
	return ret;
}

int atomic_file_write(const char *path, int (*fill)(FILE *f, void *arg),
		      void *arg, struct mrs_err *e)
{
	char tmp[PATH_MAX];
	FILE *f;
	int fd, ret;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return mrs_err_set(e, ENAMETOOLONG, "%s: name too long", path);
	fd = mkostemp(tmp, O_CLOEXEC);
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
