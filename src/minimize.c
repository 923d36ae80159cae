// SPDX-License-Identifier: GPL-2.0-or-later
/* --minimize: the reduction loop over a bundle's scenario. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "bundle_files.h"
#include "clock.h"
#include "exit_status.h"
#include "minimize.h"
#include "scenario.h"

/* Runs of a candidate before it is said not to reproduce: races flake. */
#define MIN_TRIES 2

struct minimize {
	const struct run_env *env;
	struct minimize_target tg;
	struct run_spec best;
	FILE *out, *log;
	unsigned trial;
	bool stop; /* interrupted, or a thread is stuck */
	bool failed; /* a harness failure */
};

static void say(struct minimize *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(struct minimize *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(m->out, fmt, ap);
	va_end(ap);
	fflush(m->out);
	va_start(ap, fmt);
	vfprintf(m->log, fmt, ap);
	va_end(ap);
}

/* One run of spec: 1 reproduced, 0 not, -1 the minimization must stop. */
static int run_once(struct minimize *m, const struct run_spec *spec)
{
	struct run_result *res = calloc(1, sizeof(*res));
	struct mrs_err e = { 0 };
	int ret;

	if (!res)
		return -1;
	ret = run_execute(spec, m->env, res, &e);
	if (ret) {
		say(m, "    run failed: %s\n", e.msg);
		m->failed = true;
		run_result_free(res);
		free(res);
		return -1;
	}
	ret = minimize_reproduced(res, &m->tg);
	if (res->interrupted || res->n_stuck) {
		say(m, "    %s: stopping here\n",
		    res->n_stuck ? "a thread is blocked in the kernel" :
				   "interrupted");
		m->stop = true;
		ret = -1;
	}
	if (!res->n_stuck) {
		run_result_free(res);
		free(res);
	}
	return ret;
}

/* Up to MIN_TRIES runs of spec: whether the target came back. */
static bool try_spec(struct minimize *m, const struct run_spec *spec,
		     const char *what)
{
	double t = mono_now();

	m->trial++;
	for (unsigned n = 1; n <= MIN_TRIES && !m->stop && !m->failed; n++) {
		int r = run_once(m, spec);

		if (r < 0)
			return false;
		if (r) {
			say(m, "%3u. %s: reproduced (run %u, %.1f s)\n",
			    m->trial, what, n, mono_now() - t);
			return true;
		}
	}
	if (!m->stop && !m->failed)
		say(m, "%3u. %s: not reproduced in %u runs (%.1f s)\n",
		    m->trial, what, MIN_TRIES, mono_now() - t);
	return false;
}

/* One stage: keep every candidate that reproduces. */
static void reduce(struct minimize *m, enum minimize_stage st)
{
	struct run_spec *cand = malloc(sizeof(*cand));
	char what[160];
	unsigned k = 0;
	int r;

	if (!cand) {
		m->failed = true;
		return;
	}
	while (!m->stop && !m->failed &&
	       (r = minimize_candidate(&m->best, &m->tg, st, k, cand, what,
				       sizeof(what))) >= 0) {
		if (r && try_spec(m, cand, what)) {
			m->best = *cand;
			/* Drops shift the rest down; halvings go again. */
			continue;
		}
		k++;
	}
	free(cand);
}

static int fill_scenario(FILE *f, void *arg)
{
	fprintf(f,
		"; minimized by mrstress --minimize: the smallest run found\n"
		"; that still reproduces the bundle's first unexpected finding\n");
	return scenario_print(f, arg);
}

static int fill_log(FILE *f, void *arg)
{
	fputs(arg, f);
	return ferror(f) ? -EIO : 0;
}

/* The bundle's scenario and the finding to keep: its first unexpected. */
static int load(const char *dir, struct scenario *sc,
		struct minimize_target *tg, FILE *f)
{
	struct bundle_in *b = calloc(1, sizeof(*b));
	struct mrs_err e = { 0 };
	int ret = -EINVAL;

	if (!b)
		return -ENOMEM;
	if (bundle_read(dir, b, &e))
		goto out;
	if (b->n != 1) {
		mrs_err_set(
			&e, EINVAL,
			"%s holds %u scenarios: give the directory of one (%s)",
			dir, b->n, b->v[0].dir);
		goto out;
	}
	for (unsigned k = 0; k < b->v[0].n_keys && ret; k++)
		if (!b->v[0].keys[k].expected) {
			tg->cls = b->v[0].keys[k].cls;
			str_copy(tg->mr, sizeof(tg->mr), b->v[0].keys[k].mr);
			ret = 0;
		}
	if (ret) {
		mrs_err_set(&e, EINVAL,
			    "%s: no unexpected finding: nothing to minimize",
			    dir);
		goto out;
	}
	ret = scenario_load(sc, b->v[0].scenario, &e);
out:
	if (ret)
		fprintf(f, "mrstress: --minimize: %s\n", e.msg);
	free(b);
	return ret;
}

static void run_stages(struct minimize *m)
{
	for (int st = 0; st < MIN_STAGES && !m->stop && !m->failed; st++)
		reduce(m, (enum minimize_stage)st);
}

static int write_results(struct minimize *m, const char *dir, const char *log)
{
	char path[PATH_MAX];
	struct mrs_err e = { 0 };
	int bad = 0;

	snprintf(path, sizeof(path), "%s/minimized.scn", dir);
	if (atomic_file_write(path, fill_scenario, &m->best, &e)) {
		fprintf(stderr, "mrstress: %s\n", e.msg);
		bad = 1;
	}
	bad |= bundle_repro_spec(dir, &m->best, m->tg.cls, m->tg.mr, m->out);
	snprintf(path, sizeof(path), "%s/minimize.txt", dir);
	if (atomic_file_write(path, fill_log, (void *)log, &e)) {
		fprintf(stderr, "mrstress: %s\n", e.msg);
		bad = 1;
	}
	return bad;
}

int minimize_bundle(const char *dir, const struct run_env *env,
		    const struct run_spec *overrides, FILE *f)
{
	struct minimize m = { .env = env, .out = f };
	struct scenario *sc = calloc(1, sizeof(*sc));
	size_t log_len;
	char *log = NULL;
	int status = MRS_EXIT_OK;

	if (!sc)
		return MRS_EXIT_HARNESS;
	if (load(dir, sc, &m.tg, stderr)) {
		free(sc);
		return MRS_EXIT_USAGE;
	}
	if (overrides->slowdown)
		sc->spec.slowdown = overrides->slowdown;
	if (overrides->hang_timeout)
		sc->spec.hang_timeout = overrides->hang_timeout;
	m.best = sc->spec;
	m.log = open_memstream(&log, &log_len);
	if (!m.log) {
		free(sc);
		return MRS_EXIT_HARNESS;
	}
	say(&m, "minimize %s: keep %s%s%s (seed %llu)\n", dir,
	    finding_class_name(m.tg.cls), m.tg.mr[0] ? " on " : "", m.tg.mr,
	    (unsigned long long)m.best.seed);
	if (!try_spec(&m, &m.best, "as recorded")) {
		say(&m, "the finding did not come back: nothing to minimize\n");
		status = m.failed ? MRS_EXIT_HARNESS : MRS_EXIT_FINDINGS;
		goto out;
	}
	run_stages(&m);
	say(&m,
	    "minimized: %u MR, %u DMA, %u stressors, %zuK, %.3g s -> %s/minimized.scn\n",
	    m.best.n_mrs, m.best.n_dmas, m.best.n_stress,
	    m.best.mrs[0].size >> 10, m.best.duration, dir);
out:
	fclose(m.log);
	if (status == MRS_EXIT_OK && write_results(&m, dir, log))
		status = MRS_EXIT_HARNESS;
	if (status == MRS_EXIT_OK && m.failed)
		status = MRS_EXIT_HARNESS;
	free(log);
	free(sc);
	return status;
}
