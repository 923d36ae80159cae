// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "knob.h"

int knob_read(const char *path, char *buf, size_t len, struct mrs_err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return mrs_err_sys(e, "open(%s)", path);
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return mrs_err_sys(e, "read(%s)", path);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int knob_write(const char *path, const char *val, struct mrs_err *e)
{
	int fd =
		open(path, O_WRONLY | O_TRUNC | O_CLOEXEC); /* as a shell's > */
	int ret = 0;

	if (fd < 0)
		return mrs_err_sys(e, "open(%s)", path);
	if (write(fd, val, strlen(val)) < 0)
		ret = mrs_err_sys(e, "write(%s, \"%s\")", path, val);
	close(fd);
	return ret;
}

int knob_set(struct knob *k, const char *path, const char *val,
	     struct mrs_err *e)
{
	int ret;

	k->changed = false;
	str_copy(k->path, sizeof(k->path), path);
	if (access(path, F_OK))
		return mrs_err_set(e, EOPNOTSUPP, "%s: not in this kernel",
				   path);
	ret = knob_read(path, k->saved, sizeof(k->saved), e);
	if (!ret)
		ret = knob_write(path, val, e);
	k->changed = !ret;
	return ret;
}

void knob_restore(struct knob *k)
{
	struct mrs_err e = { 0 };

	if (k->changed && knob_write(k->path, k->saved, &e))
		fprintf(stderr, "mrstress: restoring %s: %s\n", k->path, e.msg);
	k->changed = false;
}
