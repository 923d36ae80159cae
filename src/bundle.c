// SPDX-License-Identifier: GPL-2.0-or-later
/* The report bundle: see bundle.h for what is in it. */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "atomic_file.h"
#include "bundle.h"
#include "bundle_files.h"
#include "scenario.h"

/* Finding files written per scenario; the rest are in report.json. */
#define BUNDLE_FINDINGS 200

int bundle_prepare(const char *dir, struct mrs_err *e)
{
	struct stat st;

	if (!mkdir(dir, 0755))
		return 0;
	if (errno != EEXIST)
		return mrs_err_sys(e, "-o %s: creating the bundle directory",
				   dir);
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return mrs_err_set(e, EINVAL, "-o %s: not a directory", dir);
	return 0;
}

void bundle_scenario_dir(const char *dir, const struct report_input *in,
			 unsigned i, char *buf, size_t len)
{
	if (in->plan->n == 1)
		snprintf(buf, len, "%s", dir ? dir : ".");
	else
		snprintf(buf, len, "%s%s%02u-%s", dir ? dir : "",
			 dir ? "/" : "", i + 1, in->v[i].sc->spec.name);
}

/* One file of the bundle, whole or not at all; complains on failure. */
int bundle_file(const char *dir, const char *name,
		int (*fill)(FILE *f, void *arg), void *arg)
{
	char path[PATH_MAX];
	struct mrs_err e = { 0 };

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    (int)sizeof(path)) {
		fprintf(stderr, "mrstress: bundle: %s/%s: name too long\n", dir,
			name);
		return -ENAMETOOLONG;
	}
	if (!atomic_file_write(path, fill, arg, &e))
		return 0;
	fprintf(stderr, "mrstress: bundle: %s\n", e.msg);
	return -EIO;
}

static int mkdir_in(const char *dir, const char *name, char *path, size_t len)
{
	if (snprintf(path, len, "%s/%s", dir, name) >= (int)len) {
		fprintf(stderr, "mrstress: bundle: %s/%s: name too long\n", dir,
			name);
		return -ENAMETOOLONG;
	}
	if (mkdir(path, 0755) && errno != EEXIST) {
		fprintf(stderr, "mrstress: bundle: %s: %s\n", path,
			strerror(errno));
		return -errno;
	}
	return 0;
}

/* One file per finding, findings/NN-CLASS.txt, in the report's order. */
static int write_findings(const char *sdir, const struct bundle_scenario *b)
{
	const struct finding_list *fl = &b->res->findings;
	char fdir[PATH_MAX], name[64];
	int bad = 0;

	if (!fl->n)
		return 0;
	if (mkdir_in(sdir, "findings", fdir, sizeof(fdir)))
		return -EIO;
	for (size_t k = 0; k < fl->n && k < BUNDLE_FINDINGS; k++) {
		struct bundle_finding bf = { b, &fl->v[k] };

		bundle_finding_name(&fl->v[k], k, name, sizeof(name));
		bad |= bundle_file(fdir, name, bundle_fill_finding, &bf);
	}
	return bad;
}

int bundle_write_scenario(const char *dir, const struct report_input *in,
			  unsigned i)
{
	struct bundle_scenario b = { .in = in, .i = i, .res = in->v[i].res };
	char sdir[PATH_MAX];
	int bad = 0;

	bundle_scenario_dir(dir, in, i, sdir, sizeof(sdir));
	if (in->plan->n > 1 && bundle_prepare(sdir, &(struct mrs_err){ 0 }))
		return -EIO;
	b.dir = sdir;
	bad |= bundle_file(sdir, "scenario.scn", bundle_fill_scenario, &b);
	bad |= bundle_file(sdir, "cmdline", bundle_fill_cmdline, &b);
	bad |= bundle_file(sdir, "kernel.txt", bundle_fill_kernel, &b);
	if (b.res) {
		bad |= bundle_file(sdir, "taint.txt", bundle_fill_taint, &b);
		bad |= bundle_file(sdir, "report.txt", bundle_fill_report, &b);
		bad |= bundle_file(sdir, "timeline.txt", bundle_fill_timeline,
				   &b);
		bad |= write_findings(sdir, &b);
	}
	bad |= bundle_write_repro(sdir, &b);
	bad |= bundle_file(sdir, "report.json", bundle_fill_json, &b);
	/* Last: summary.txt names the other files, which now exist. */
	bad |= bundle_file(sdir, "summary.txt", bundle_fill_summary, &b);
	return bad ? -EIO : 0;
}

int bundle_write_plan(const char *dir, const struct report_input *in)
{
	struct bundle_scenario b = { .in = in, .i = 0, .dir = dir };
	int bad = 0;

	/*
	 * One scenario: its bundle was written when it ended; all the end
	 * changes is the document's "complete".
	 */
	if (in->plan->n == 1)
		return in->n_done ? bundle_file(dir, "report.json",
						bundle_fill_json, &b) :
				    0;
	bad |= bundle_file(dir, "cmdline", bundle_fill_cmdline, &b);
	bad |= bundle_file(dir, "report.json", bundle_fill_plan_json, &b);
	bad |= bundle_file(dir, "summary.txt", bundle_fill_plan_summary, &b);
	return bad ? -EIO : 0;
}
