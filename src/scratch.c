// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "fsinfo.h"
#include "scratch.h"

static bool valid_fs_label(const char *s, size_t n)
{
	if (!n || n >= sizeof(((struct scratch_dir *)0)->expect))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

int scratch_add(struct scratch_list *l, const char *spec, const char *where,
		struct mrs_err *e)
{
	const char *eq = strchr(spec, '=');
	const char *path = spec;
	struct scratch_dir *d;

	if (l->n >= MRS_MAX_SCRATCH)
		return mrs_err_set(e, E2BIG,
				   "%s: more than %d scratch directories",
				   where, MRS_MAX_SCRATCH);
	d = &l->dirs[l->n];
	memset(d, 0, sizeof(*d));
	if (eq && eq[1] == '/') {
		if (!valid_fs_label(spec, (size_t)(eq - spec)))
			return mrs_err_set(
				e, EINVAL,
				"%s: '%s': want FS=PATH with FS a filesystem name such as ext4",
				where, spec);
		memcpy(d->expect, spec, (size_t)(eq - spec));
		path = eq + 1;
	}
	if (path[0] != '/')
		return mrs_err_set(
			e, EINVAL,
			"%s: '%s': want an absolute directory path, optionally FS=PATH",
			where, spec);
	if (strlen(path) >= sizeof(d->path))
		return mrs_err_set(e, ENAMETOOLONG, "%s: path too long", where);
	strcpy(d->path, path);
	l->n++;
	return 0;
}

int scratch_add_list(struct scratch_list *l, const char *list,
		     const char *where, struct mrs_err *e)
{
	char buf[MRS_MAX_SCRATCH * 128];
	char *save = NULL;
	int ret;

	if (strlen(list) >= sizeof(buf))
		return mrs_err_set(e, E2BIG, "%s: list too long", where);
	strcpy(buf, list);
	for (char *s = strtok_r(buf, ":", &save); s;
	     s = strtok_r(NULL, ":", &save)) {
		ret = scratch_add(l, s, where, e);
		if (ret)
			return ret;
	}
	return 0;
}

int scratch_verify(struct scratch_list *l, struct mrs_err *e)
{
	struct fs_info fi;
	struct stat st;
	int ret;

	for (unsigned i = 0; i < l->n; i++) {
		struct scratch_dir *d = &l->dirs[i];

		if (stat(d->path, &st))
			return mrs_err_set(
				e, errno,
				"scratch directory %s: %s (give an existing directory: --scratch [FS=]DIR)",
				d->path, strerror(errno));
		if (!S_ISDIR(st.st_mode))
			return mrs_err_set(
				e, ENOTDIR,
				"scratch directory %s: not a directory (give a directory: --scratch [FS=]DIR)",
				d->path);
		ret = fs_info_of_path(d->path, &fi, e);
		if (ret)
			return ret;
		if (d->expect[0] && strcmp(d->expect, fi.type))
			return mrs_err_set(
				e, EINVAL,
				"scratch directory %s is on %s, not %s as given (give --scratch %s=%s, or a directory on %s)",
				d->path, fi.type, d->expect, fi.type, d->path,
				d->expect);
		snprintf(d->fs, sizeof(d->fs), "%s", fi.type);
	}
	return 0;
}
