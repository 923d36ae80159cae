// SPDX-License-Identifier: GPL-2.0-or-later
/* mrstress: stress RDMA memory registration against the kernel. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exit_status.h"
#include "list.h"
#include "options.h"
#include "plan.h"
#include "probe.h"
#include "repro.h"
#include "run.h"

static int run_probe(const struct mrs_options *o)
{
	struct probe_args a = { .device = o->device,
				.size = o->size,
				.scratch = o->scratch };
	struct probe_result *res = calloc(1, sizeof(*res));
	struct mrs_err e = { 0 };
	int ret, status = MRS_EXIT_OK;

	if (!res) {
		fprintf(stderr, "mrstress: out of memory\n");
		return MRS_EXIT_HARNESS;
	}
	if (scratch_verify(&a.scratch, &e)) {
		fprintf(stderr, "mrstress: %s\n", e.msg);
		status = MRS_EXIT_USAGE;
		goto out;
	}
	ret = probe_run(&a, res, &e);
	if (ret) {
		fprintf(stderr, "mrstress: %s%s\n",
			ret == -ENODEV ? "skip: " : "", e.msg);
		status = ret == -ENODEV ? MRS_EXIT_SKIP : MRS_EXIT_HARNESS;
		goto out;
	}
	if (o->json) {
		json_t *j = probe_to_json(res);

		json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(j);
	} else {
		probe_print_text(stdout, res);
	}
	if (fflush(stdout) || ferror(stdout)) {
		perror("mrstress: writing the probe");
		status = MRS_EXIT_HARNESS;
	}
out:
	free(res);
	return status;
}

static void on_signal(int sig)
{
	(void)sig;
	run_request_stop();
}

/* What a failed run's errno means for the exit status. */
static int run_failure_status(int ret)
{
	switch (ret) {
	case -ENODEV:
	case -EOPNOTSUPP:
	case -ENOMEM:
	case -EPERM:
	case -EACCES:
		return MRS_EXIT_SKIP;
	case -EINVAL:
		return MRS_EXIT_USAGE;
	default:
		return MRS_EXIT_HARNESS;
	}
}

/* --json=FILE, or stdout: one run's object, or {"scenarios": [...]}. */
static int write_json(const struct mrs_options *o, json_t *j)
{
	FILE *f = o->json_file ? fopen(o->json_file, "we") : stdout;
	int bad;

	if (!f) {
		fprintf(stderr, "mrstress: %s: %s\n", o->json_file,
			strerror(errno));
		return -1;
	}
	bad = json_dumpf(j, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', f);
	bad |= fflush(f) || ferror(f);
	if (f != stdout)
		bad |= fclose(f);
	if (bad)
		fprintf(stderr, "mrstress: writing %s failed\n",
			o->json_file ? o->json_file : "the JSON report");
	return bad ? -1 : 0;
}

/* Text reports printed so far: a blank line goes between two. */
static unsigned text_reports;
/* A run left a thread blocked in the kernel: the plan stops there. */
static bool stuck;

/* A run's object in the JSON report, also when it never got going. */
static json_t *run_json(const struct scenario *sc, const struct run_result *res,
			int status, const char *error)
{
	json_t *j;

	if (res->n_mrs)
		j = report_json(res);
	else if (sc->path[0])
		j = json_pack("{s:{s:s, s:s, s:s}}", "scenario", "name",
			      sc->spec.name, "file", sc->path, "description",
			      sc->spec.description);
	else
		j = json_pack("{s:n}", "scenario");
	json_object_set_new(j, "status", json_integer(status));
	if (error)
		json_object_set_new(j, "error", json_string(error));
	return j;
}

/* What a finished run's findings and expectations mean for its status. */
static int run_status(const struct run_result *res, int ret,
		      const struct mrs_err *e)
{
	int status = finding_list_unexpected(&res->findings) || res->unmet ?
			     MRS_EXIT_FINDINGS :
			     MRS_EXIT_OK;

	if (ret) {
		status = run_failure_status(ret);
		fprintf(stderr, "mrstress: %s%s\n",
			status == MRS_EXIT_SKIP ? "skip: " : "", e->msg);
	} else if (run_result_all_skipped(res)) {
		status = MRS_EXIT_SKIP;
		fprintf(stderr,
			"mrstress: skip: %s: every MR needs a filesystem this machine lacks\n",
			res->name);
	}
	return status;
}

/*
 * One run: its text report on stdout (unless JSON goes there), its JSON
 * object appended to runs when JSON is wanted. Returns its exit status;
 * *interrupted says that a signal stopped it, and so the whole plan.
 */
static int run_one(const struct mrs_options *o, struct run_env *env,
		   const struct scenario *sc, json_t *runs, bool *interrupted)
{
	struct run_result *res = calloc(1, sizeof(*res));
	struct mrs_err e = { 0 };
	int ret, status;

	if (!res) {
		fprintf(stderr, "mrstress: out of memory\n");
		return MRS_EXIT_HARNESS;
	}
	env->scenario_file = sc->path[0] ? sc->path : NULL;
	ret = run_execute(&sc->spec, env, res, &e);
	status = run_status(res, ret, &e);
	if (res->n_mrs && (!o->json || o->json_file)) {
		if (text_reports++)
			putchar('\n');
		report_text(stdout, res);
	}
	if (runs)
		json_array_append_new(runs, run_json(sc, res, status,
						     ret ? e.msg : NULL));
	if (fflush(stdout) || ferror(stdout))
		status = MRS_EXIT_HARNESS;
	*interrupted = res->interrupted;
	if (res->n_stuck) {
		/* Nothing can end a thread blocked in the kernel. */
		fprintf(stderr,
			"mrstress: %s still blocked in the kernel: no more scenarios run, and the process exits only once %s\n",
			res->stuck,
			res->n_stuck > 1 ? "they return" : "it returns");
		stuck = true;
	}
	run_result_free(res);
	free(res);
	return status;
}

/* Several scenarios: a line each, after their reports. */
static void print_summary(const struct plan *p, const int *status, unsigned ran,
			  int all)
{
	static const char *const what[] = { "passed", "FAILED", "usage error",
					    "HARNESS FAILURE", "skipped" };

	printf("%ssummary: %u scenarios, exit status %d\n",
	       text_reports ? "\n" : "", p->n, all);
	for (unsigned i = 0; i < p->n; i++)
		if (i < ran)
			printf("  %-24s %s (%d)  %s\n", p->runs[i]->spec.name,
			       what[status[i]], status[i], p->runs[i]->path);
		else
			printf("  %-24s not run (%s)  %s\n",
			       p->runs[i]->spec.name,
			       stuck ? "a thread is blocked in the kernel" :
				       "interrupted",
			       p->runs[i]->path);
}

/* The JSON report: one run's object, or every scenario's in order. */
static int report_all(const struct mrs_options *o, const struct plan *p,
		      json_t *runs, int status)
{
	json_t *j;
	int ret;

	if (!json_array_size(runs))
		return 0;
	if (p->n == 1 && !o->n_files)
		return write_json(o, json_array_get(runs, 0));
	j = json_pack("{s:i, s:O, s:i}", "schema", 1, "scenarios", runs,
		      "status", status);
	ret = write_json(o, j);
	json_decref(j);
	return ret;
}

static int run_plan(const struct mrs_options *o, struct run_env *env,
		    const struct plan *p)
{
	json_t *runs = o->json ? json_array() : NULL;
	int *status = calloc(p->n, sizeof(*status)), all;
	bool interrupted = false;
	unsigned ran = 0;

	if (!status) {
		fprintf(stderr, "mrstress: out of memory\n");
		json_decref(runs);
		return MRS_EXIT_HARNESS;
	}
	/* A signal ends the run it came in and the plan: nothing more starts. */
	while (ran < p->n && !interrupted && !stuck) {
		status[ran] = run_one(o, env, p->runs[ran], runs, &interrupted);
		ran++;
	}
	all = plan_exit_status(status, ran);
	if (p->n > 1 && (!o->json || o->json_file))
		print_summary(p, status, ran, all);
	if (runs && report_all(o, p, runs, all))
		all = MRS_EXIT_HARNESS;
	json_decref(runs);
	free(status);
	return all;
}

static int run_main(const struct mrs_options *o)
{
	struct run_env env = { .device = o->device, .scratch = o->scratch };
	struct sigaction sa = { .sa_handler = on_signal };
	struct mrs_err e = { 0 };
	struct plan p;
	int status;

	if (plan_load(&p, o, &e)) {
		fprintf(stderr, "mrstress: %s\n", e.msg);
		return MRS_EXIT_USAGE;
	}
	if (scratch_verify(&env.scratch, &e)) {
		fprintf(stderr, "mrstress: %s\n", e.msg);
		plan_free(&p);
		return MRS_EXIT_USAGE;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	status = run_plan(o, &env, &p);
	plan_free(&p);
	return status;
}

/* --print-scenario: the resolved run, seed included, as a scenario file. */
static int print_main(const struct mrs_options *o)
{
	FILE *f = o->print_file ? fopen(o->print_file, "we") : stdout;
	struct mrs_err e = { 0 };
	struct plan p;
	int bad;

	if (!f) {
		fprintf(stderr, "mrstress: %s: %s\n", o->print_file,
			strerror(errno));
		return MRS_EXIT_USAGE;
	}
	if (plan_load(&p, o, &e)) {
		fprintf(stderr, "mrstress: %s\n", e.msg);
		if (f != stdout)
			fclose(f);
		return MRS_EXIT_USAGE;
	}
	bad = scenario_print(f, &p.runs[0]->spec);
	if (f != stdout)
		bad |= fclose(f);
	plan_free(&p);
	if (bad) {
		fprintf(stderr, "mrstress: writing %s failed\n",
			o->print_file ? o->print_file : "the scenario");
		return MRS_EXIT_HARNESS;
	}
	return MRS_EXIT_OK;
}

/*
 * --print-repro: the run as a standalone C reproducer. A run with a part
 * that has no standalone form is a usage error: nothing is written.
 */
static int print_repro_main(const struct mrs_options *o)
{
	FILE *f = o->repro_file ? fopen(o->repro_file, "we") : stdout;
	const char *name = o->repro_file ? o->repro_file : "the reproducer";
	struct mrs_err e = { 0 };
	int ret, status = MRS_EXIT_OK;
	struct plan p;

	if (!f) {
		fprintf(stderr, "mrstress: %s: %s\n", name, strerror(errno));
		return MRS_EXIT_USAGE;
	}
	ret = plan_load(&p, o, &e);
	if (!ret) {
		ret = repro_write(f, &p.runs[0]->spec, &o->repro, NULL, &e);
		plan_free(&p);
	}
	if (ret) {
		fprintf(stderr, "mrstress: %s%s\n",
			ret == -EOPNOTSUPP ? "no standalone reproducer: " : "",
			e.msg);
		status = ret == -EOPNOTSUPP || ret == -EINVAL ?
				 MRS_EXIT_USAGE :
				 MRS_EXIT_HARNESS;
	}
	if (f != stdout && fclose(f) && !status) {
		fprintf(stderr, "mrstress: writing %s failed\n", name);
		status = MRS_EXIT_HARNESS;
	}
	if (status && o->repro_file)
		unlink(o->repro_file);
	return status;
}

int main(int argc, char **argv)
{
	struct mrs_options o;
	struct mrs_err e = { 0 };

	if (options_parse(argc, argv, &o, &e) ||
	    options_apply_env(&o, getenv("MRSTRESS_SCRATCH"), &e)) {
		fprintf(stderr, "mrstress: %s\nTry 'mrstress --help'.\n",
			e.msg);
		return MRS_EXIT_USAGE;
	}
	switch (o.action) {
	case ACTION_HELP:
		options_usage(stdout);
		return MRS_EXIT_OK;
	case ACTION_VERSION:
		printf("mrstress %s\n", PACKAGE_VERSION);
		return MRS_EXIT_OK;
	case ACTION_LIST:
		list_print(stdout);
		return MRS_EXIT_OK;
	case ACTION_PROBE:
		return run_probe(&o);
	case ACTION_RUN:
		return run_main(&o);
	case ACTION_PRINT:
		return print_main(&o);
	case ACTION_PRINT_REPRO:
		return print_repro_main(&o);
	default:
		fprintf(stderr,
			"mrstress: nothing to do: give a scenario file, --mr (a run), --probe or --list\nTry 'mrstress --help'.\n");
		return MRS_EXIT_USAGE;
	}
}
