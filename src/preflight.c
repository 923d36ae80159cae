// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <infiniband/verbs.h>
#include <libgen.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "preflight.h"
#include "scenario.h"

int preflight_out_file(const char *opt, const char *path, struct mrs_err *e)
{
	char buf[PATH_MAX];
	struct stat st;
	const char *dir;

	if (!stat(path, &st) && S_ISDIR(st.st_mode))
		return mrs_err_set(
			e, EINVAL,
			"%s %s: a directory: give the name of a file to write in it",
			opt, path);
	str_copy(buf, sizeof(buf), path);
	dir = dirname(buf);
	if (stat(dir, &st))
		return mrs_err_sys(e, "%s %s: directory %s", opt, path, dir);
	if (!S_ISDIR(st.st_mode))
		return mrs_err_set(e, ENOTDIR, "%s %s: %s is not a directory",
				   opt, path, dir);
	if (access(dir, W_OK))
		return mrs_err_sys(e, "%s %s: directory %s", opt, path, dir);
	return 0;
}

/* "rxe0, rxe1": the devices here, for the message. */
static void device_names(struct ibv_device **list, int n, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < n && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s",
				       i ? ", " : "",
				       ibv_get_device_name(list[i]));
}

int preflight_device(const char *name, struct mrs_err *e)
{
	struct ibv_device **list;
	char names[256];
	int n = 0, found = 0;

	if (!name)
		return 0;
	list = ibv_get_device_list(&n);
	if (!list)
		return 0; /* no verbs at all: the skip says why */
	for (int i = 0; i < n; i++)
		found |= !strcmp(ibv_get_device_name(list[i]), name);
	device_names(list, n, names, sizeof(names));
	ibv_free_device_list(list);
	if (!n || found)
		return 0;
	return mrs_err_set(
		e, EINVAL,
		"--device %s: no such RDMA device; the devices here: %s (or leave --device out: the first with an ACTIVE port)",
		name, names);
}

/* "FILE:LINE: " of the MR's dir key, or "" for a command-line run. */
static void mr_place(const struct scenario *sc, unsigned i, char *buf,
		     size_t len)
{
	struct spec_where w = { .part = PART_MR, .index = i };

	buf[0] = '\0';
	if (!sc->path[0])
		return;
	str_copy(w.key, sizeof(w.key), "dir");
	snprintf(buf, len, "%s:%u: ", sc->path, scenario_line(sc, &w));
}

int preflight_mr_dirs(const struct plan *p, struct mrs_err *e)
{
	char where[PATH_MAX + 16];
	const char *why;
	struct stat st;

	for (unsigned r = 0; r < p->n; r++) {
		const struct scenario *sc = p->runs[r];

		for (unsigned i = 0; i < sc->spec.n_mrs; i++) {
			const struct mr_spec *m = &sc->spec.mrs[i];

			if (!m->backing->needs_dir || !strchr(m->where, '/'))
				continue;
			if (stat(m->where, &st))
				why = strerror(errno);
			else if (!S_ISDIR(st.st_mode))
				why = "not a directory";
			else
				continue;
			mr_place(sc, i, where, sizeof(where));
			return mrs_err_set(
				e, EINVAL,
				"%smr %s: dir=%s: %s (give an existing directory)",
				where, m->name, m->where, why);
		}
	}
	return 0;
}

int preflight_options(const struct mrs_options *o, struct mrs_err *e)
{
	if (preflight_device(o->device, e))
		return -EINVAL;
	if (o->json_file && preflight_out_file("--json", o->json_file, e))
		return -EINVAL;
	if (o->junit_file && preflight_out_file("--junit", o->junit_file, e))
		return -EINVAL;
	return 0;
}
