// SPDX-License-Identifier: GPL-2.0-or-later
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "exit_status.h"
#include "plan.h"

#define PLAN_MAX 256

static struct scenario *plan_add(struct plan *p, struct mrs_err *e)
{
	struct scenario **v;

	if (p->n == PLAN_MAX) {
		mrs_err_set(e, EINVAL, "more than %d scenarios in one run",
			    PLAN_MAX);
		return NULL;
	}
	v = realloc(p->runs, (p->n + 1) * sizeof(*v));
	if (!v) {
		mrs_err_set(e, ENOMEM, "out of memory");
		return NULL;
	}
	p->runs = v;
	v[p->n] = calloc(1, sizeof(**v));
	if (!v[p->n]) {
		mrs_err_set(e, ENOMEM, "out of memory");
		return NULL;
	}
	return v[p->n++];
}

static int add_file(struct plan *p, const char *path, struct mrs_err *e)
{
	struct scenario *sc = plan_add(p, e);
	int ret;

	if (!sc)
		return -EINVAL;
	ret = scenario_load(sc, path, e);
	return ret ? -EINVAL : 0;
}

static int is_scn(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 4 && !strcmp(d->d_name + n - 4, ".scn");
}

/* Every *.scn of dir, sorted by name. */
static int add_dir(struct plan *p, const char *dir, struct mrs_err *e)
{
	struct dirent **names;
	int n = scandir(dir, &names, is_scn, alphasort), ret = 0;

	if (n < 0) {
		mrs_err_sys(e, "%s", dir);
		return -EINVAL;
	}
	if (!n)
		ret = mrs_err_set(e, EINVAL, "%s: no *.scn files in it", dir);
	for (int i = 0; i < n; i++) {
		char path[PATH_MAX];

		if (!ret && (size_t)snprintf(path, sizeof(path), "%s/%s", dir,
					     names[i]->d_name) >= sizeof(path))
			ret = mrs_err_set(e, ENAMETOOLONG, "%s/%s: too long",
					  dir, names[i]->d_name);
		if (!ret)
			ret = add_file(p, path, e);
		free(names[i]);
	}
	free(names);
	return ret ? -EINVAL : 0;
}

static int add_path(struct plan *p, const char *path, struct mrs_err *e)
{
	struct stat st;

	if (stat(path, &st)) {
		mrs_err_sys(e, "%s", path);
		return -EINVAL;
	}
	if (S_ISDIR(st.st_mode))
		return add_dir(p, path, e);
	return add_file(p, path, e);
}

int plan_load(struct plan *p, const struct mrs_options *o, struct mrs_err *e)
{
	struct scenario *sc;

	memset(p, 0, sizeof(*p));
	if (!o->n_files) {
		sc = plan_add(p, e);
		if (!sc)
			goto fail;
		sc->spec = o->spec;
	}
	for (unsigned i = 0; i < o->n_files; i++)
		if (add_path(p, o->files[i], e))
			goto fail;
	for (unsigned i = 0; i < p->n; i++) {
		if (o->slowdown_given)
			p->runs[i]->spec.slowdown = o->spec.slowdown;
		if (o->duration_given)
			p->runs[i]->spec.duration = o->spec.duration;
		if (o->hang_timeout_given)
			p->runs[i]->spec.hang_timeout = o->spec.hang_timeout;
		run_spec_choose_seed(&p->runs[i]->spec);
	}
	return 0;
fail:
	plan_free(p);
	return -EINVAL;
}

void plan_free(struct plan *p)
{
	for (unsigned i = 0; i < p->n; i++)
		free(p->runs[i]);
	free(p->runs);
	memset(p, 0, sizeof(*p));
}

int plan_exit_status(const int *status, unsigned n)
{
	static const int rank[] = { MRS_EXIT_USAGE, MRS_EXIT_HARNESS,
				    MRS_EXIT_FINDINGS };
	unsigned skipped = 0;

	for (size_t r = 0; r < sizeof(rank) / sizeof(rank[0]); r++)
		for (unsigned i = 0; i < n; i++)
			if (status[i] == rank[r])
				return rank[r];
	for (unsigned i = 0; i < n; i++)
		skipped += status[i] == MRS_EXIT_SKIP;
	return n && skipped == n ? MRS_EXIT_SKIP : MRS_EXIT_OK;
}
