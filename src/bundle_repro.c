// SPDX-License-Identifier: GPL-2.0-or-later
/* repro.c in a bundle: the standalone reproducer of its first finding. */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "atomic_file.h"
#include "bundle_files.h"
#include "repro.h"

struct repro_arg {
	const struct run_spec *spec;
	const struct repro_target *tg;
	const char *release;
	struct mrs_err *e;
};

static int fill_repro(FILE *f, void *arg)
{
	const struct repro_arg *a = arg;

	return repro_write(f, a->spec, a->tg, a->release, a->e);
}

/*
 * Write DIR/repro.c; 0, or a negative errno with note saying why there
 * is none (an older repro.c would not match the bundle: it goes).
 */
static int write_repro(const char *dir, const struct repro_arg *a, char *note,
		       size_t len)
{
	char path[PATH_MAX];
	struct mrs_err fe = { 0 };
	int ret;

	snprintf(path, sizeof(path), "%.*s/repro.c", PATH_MAX - 16, dir);
	ret = atomic_file_write(path, fill_repro, (void *)a, &fe);
	if (!ret)
		return 0;
	unlink(path);
	snprintf(note, len, "not written: %s",
		 a->e->msg[0] ? a->e->msg : fe.msg);
	return ret;
}

int bundle_write_repro(const char *dir, struct bundle_scenario *b)
{
	const struct finding *x =
		b->res ? finding_list_first_unexpected(&b->res->findings) :
			 NULL;
	struct repro_target tg = { 0 };
	struct mrs_err e = { 0 };
	struct repro_arg a = { &b->in->v[b->i].sc->spec, &tg,
			       b->res ? b->res->kernel_release : NULL, &e };
	int ret;

	if (!x) {
		str_copy(b->repro_note, sizeof(b->repro_note),
			 "none: nothing unexpected to reproduce");
		return 0;
	}
	tg.cls = x->cls;
	str_copy(tg.mr, sizeof(tg.mr), x->mr);
	str_copy(tg.title, sizeof(tg.title), x->title);
	ret = write_repro(dir, &a, b->repro_note, sizeof(b->repro_note));
	/* No standalone form for this run is a fact, not a failure. */
	return ret && ret != -EOPNOTSUPP && ret != -EINVAL;
}

int bundle_repro_spec(const char *dir, const struct run_spec *spec,
		      enum finding_class cls, const char *mr, FILE *f)
{
	struct repro_target tg = { .cls = cls };
	struct mrs_err e = { 0 };
	struct repro_arg a = { spec, &tg, NULL, &e };
	struct utsname u;
	char note[600];
	int ret;

	/* The minimized run reproduced on this kernel. */
	if (!uname(&u))
		a.release = u.release;
	str_copy(tg.mr, sizeof(tg.mr), mr);
	snprintf(tg.title, sizeof(tg.title), "%s on %s (minimized)",
		 finding_class_name(cls), mr[0] ? mr : "any MR");
	ret = write_repro(dir, &a, note, sizeof(note));
	if (!ret)
		fprintf(f, "repro.c: rewritten for the minimized scenario\n");
	else
		fprintf(f, "repro.c: %s\n", note);
	return ret && ret != -EOPNOTSUPP && ret != -EINVAL;
}
