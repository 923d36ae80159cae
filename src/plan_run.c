// SPDX-License-Identifier: GPL-2.0-or-later
/* The scenarios of a plan, one after another, each reported as it ends. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fault.h"
#include "bundle.h"
#include "exit_status.h"
#include "plan_run.h"
#include "status.h"

/* What a failed run's error means for the exit status. */
static int run_failure_status(int ret, const struct mrs_err *e)
{
	if (e->injected)
		return MRS_EXIT_HARNESS; /* not the machine's lack: --fault's */
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

/*
 * An error of the tool itself that no expectation covers: the run did not
 * do all it was asked, so its other results cannot be taken as a pass.
 */
static bool harness_failed(const struct finding_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].cls == FC_HARNESS_ERROR && !l->v[i].covered)
			return true;
	return false;
}

/* What a finished run's findings and expectations mean for its status. */
static int run_status(struct scenario_outcome *o, int ret,
		      const struct mrs_err *e)
{
	const struct run_result *res = o->res;
	int status = finding_list_unexpected(&res->findings) || res->unmet ?
			     MRS_EXIT_FINDINGS :
			     MRS_EXIT_OK;

	if (harness_failed(&res->findings))
		status = MRS_EXIT_HARNESS;
	if (ret) {
		status = run_failure_status(ret, e);
		str_copy(o->error, sizeof(o->error), e->msg);
		/* The reports' findings say it too, with what the run found. */
		if (status == MRS_EXIT_HARNESS)
			finding_add_error(&o->res->findings, "", res->elapsed,
					  e, "the run stopped");
		fprintf(stderr, "mrstress: %s%s\n",
			status == MRS_EXIT_SKIP ? "skip: " : "", e->msg);
	} else if (run_result_all_skipped(res)) {
		status = MRS_EXIT_SKIP;
		snprintf(o->error, sizeof(o->error),
			 "%s: every MR needs a filesystem this machine lacks",
			 res->name);
		fprintf(stderr, "mrstress: skip: %s\n", o->error);
	}
	return status;
}

static void run_one(struct plan_run *pr, unsigned i)
{
	struct scenario_outcome *o = &pr->v[i];
	struct status_line sl;
	struct mrs_err e = { 0 };
	int ret;

	o->ran = true;
	o->res = mrs_calloc(1, sizeof(*o->res));
	if (!o->res) {
		o->status = MRS_EXIT_HARNESS;
		mrs_err_set(&e, ENOMEM, "%s: out of memory for its results",
			    o->sc->spec.name);
		str_copy(o->error, sizeof(o->error), e.msg);
		fprintf(stderr, "mrstress: %s\n", e.msg);
		return;
	}
	pr->env->scenario_file = o->sc->path[0] ? o->sc->path : NULL;
	pr->env->live = &pr->live;
	status_line_start(&sl, pr->status_interval, pr->reports->out.r, o->sc,
			  o->res, &pr->live);
	ret = run_execute(&o->sc->spec, pr->env, o->res, &e);
	status_line_stop(&sl);
	o->status = run_status(o, ret, &e);
	if (o->res->n_stuck)
		/* Nothing can end a thread blocked in the kernel. */
		fprintf(stderr,
			"mrstress: %s still blocked in the kernel: no more scenarios run, and the process exits only once %s\n",
			o->res->stuck,
			o->res->n_stuck > 1 ? "they return" : "it returns");
}

static int statuses(const struct plan_run *pr)
{
	int st[pr->plan->n ? pr->plan->n : 1];

	for (unsigned i = 0; i < pr->in.n_done; i++)
		st[i] = pr->v[i].status;
	return plan_exit_status(st, pr->in.n_done);
}

/* Why the scenarios after the last one run did not. */
static void mark_not_run(struct plan_run *pr)
{
	char why[128];

	if (pr->in.stuck)
		str_copy(why, sizeof(why), "a thread is blocked in the kernel");
	else if (pr->in.signal)
		snprintf(why, sizeof(why), "interrupted by SIG%s",
			 sigabbrev_np(pr->in.signal));
	else
		str_copy(why, sizeof(why), "not reached");
	for (unsigned i = pr->in.n_done; i < pr->plan->n; i++)
		str_copy(pr->v[i].not_run, sizeof(pr->v[i].not_run), why);
}

/* Every report after scenario i; a report that cannot be written fails. */
static bool report_one(struct plan_run *pr, unsigned i)
{
	bool bad = false;

	pr->in.n_done = i + 1;
	pr->in.status = statuses(pr);
	pr->in.stuck = pr->v[i].res && pr->v[i].res->n_stuck;
	pr->in.signal = run_stop_signal();
	mark_not_run(pr);
	if (pr->bundle)
		bad |= bundle_write_scenario(pr->bundle, &pr->in, i) != 0;
	bad |= report_set_scenario(pr->reports, &pr->in) != 0;
	return bad;
}

/* A config that cannot be read is said, and the reports say it too. */
static void read_kernel(struct plan_run *pr)
{
	struct mrs_err e = { 0 };

	if (kconfig_read(&pr->kernel, NULL, &e))
		fprintf(stderr, "mrstress: %s\n", e.msg);
	pr->in.kernel = &pr->kernel;
}

int plan_run_all(struct plan_run *pr)
{
	const struct plan *p = pr->plan;
	struct mrs_err e = { 0 };
	bool bad = false;

	pr->v = mrs_calloc(p->n, sizeof(*pr->v));
	if (!pr->v) {
		/* Nothing to report with: say it here, with the fault if any. */
		mrs_err_set(&e, ENOMEM, "out of memory for %u scenarios", p->n);
		fprintf(stderr, "mrstress: %s\n", e.msg);
		return MRS_EXIT_HARNESS;
	}
	for (unsigned i = 0; i < p->n; i++)
		pr->v[i].sc = p->runs[i];
	pr->in.plan = p;
	pr->in.v = pr->v;
	pr->in.bundle = pr->bundle;
	pr->in.command_line = pr->env->command_line;
	pr->in.started = time(NULL);
	read_kernel(pr);
	mark_not_run(pr);
	report_set_begin(pr->reports, &pr->in);
	for (unsigned i = 0; i < p->n && !pr->in.signal && !pr->in.stuck; i++) {
		run_one(pr, i);
		if (pr->judge && pr->v[i].res)
			pr->judge(pr, i, pr->judge_arg);
		bad |= report_one(pr, i);
	}
	pr->in.final = true;
	if (pr->bundle)
		bad |= bundle_write_plan(pr->bundle, &pr->in) != 0;
	bad |= report_set_end(pr->reports, &pr->in) != 0;
	/* The text report's last line gave the findings' status: correct it. */
	if (bad)
		fprintf(stderr,
			"mrstress: reports not written (see above): exit status %d, not the findings' %d; what was found is on stdout\n",
			MRS_EXIT_HARNESS, pr->in.status);
	return bad ? MRS_EXIT_HARNESS : pr->in.status;
}

void plan_run_free(struct plan_run *pr)
{
	for (unsigned i = 0; pr->v && i < pr->in.n_done; i++) {
		struct run_result *res = pr->v[i].res;

		/* A stuck thread may still write into its run's result. */
		if (res && !res->n_stuck) {
			run_result_free(res);
			free(res);
		}
	}
	free(pr->v);
	pr->v = NULL;
}
