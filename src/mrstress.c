// SPDX-License-Identifier: GPL-2.0-or-later
/* mrstress: stress RDMA memory registration against the kernel. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fault.h"
#include "initiator.h"
#include "exit_status.h"
#include "list.h"
#include "options.h"
#include "bundle.h"
#include "minimize.h"
#include "plan.h"
#include "plan_run.h"
#include "preflight.h"
#include "probe.h"
#include "replay.h"
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
	if (scratch_verify(&a.scratch, &e) || preflight_device(o->device, &e)) {
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
	run_request_stop(sig);
}

/* The reports the options ask for: a stream on stdout and files. */
static int reports_from_options(const struct mrs_options *o,
				struct report_set *rs, struct mrs_err *e)
{
	memset(rs, 0, sizeof(*rs));
	if (report_set_add(rs, "text", NULL, e))
		return -EINVAL;
	if (o->json && report_set_add(rs, "json", o->json_file, e))
		return -EINVAL;
	if (o->ktap && report_set_add(rs, "ktap", NULL, e))
		return -EINVAL;
	if (o->junit_file && report_set_add(rs, "junit", o->junit_file, e))
		return -EINVAL;
	return 0;
}

/* The command line as a shell would take it back: for the bundle. */
static char *quote_command_line(int argc, char **argv)
{
	size_t len = 1;
	char *s, *p;

	for (int i = 0; i < argc; i++)
		len += 4 * strlen(argv[i]) + 3;
	s = malloc(len);
	if (!s)
		return NULL;
	p = s;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		bool plain = *a &&
			     strspn(a, "abcdefghijklmnopqrstuvwxyz"
				       "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				       "0123456789-_=.,:/+%@") == strlen(a);

		if (i)
			*p++ = ' ';
		if (plain) {
			p = stpcpy(p, a);
			continue;
		}
		*p++ = '\'';
		for (; *a; a++)
			p = *a == '\'' ? stpcpy(p, "'\\''") : (*p++ = *a, p);
		*p++ = '\'';
	}
	*p = '\0';
	return s;
}

/*
 * A run: of the command line, of scenario files, or (rp not NULL) of a
 * bundle's scenarios, judged against what the bundle recorded.
 */
static int run_main(const struct mrs_options *o, const char *command_line,
		    struct replay *rp)
{
	struct run_env env = { .device = o->device,
			       .scratch = o->scratch,
			       .command_line = command_line,
			       .listen = o->listen_given ? &o->listen : NULL };
	struct sigaction sa = { .sa_handler = on_signal };
	struct plan_run pr = { .env = &env,
			       .bundle = o->bundle_dir,
			       .status_interval = o->status_given ?
							  o->status_interval :
							  -1 };
	struct mrs_err e = { 0 };
	struct report_set rs;
	struct plan p;
	int status;

	pr.judge = rp ? replay_judge : NULL;
	pr.judge_arg = rp;
	if (reports_from_options(o, &rs, &e) || plan_load(&p, o, &e)) {
		fprintf(stderr, "mrstress: %s\n", e.msg);
		return MRS_EXIT_USAGE;
	}
	if (scratch_verify(&env.scratch, &e) || preflight_options(o, &e) ||
	    preflight_mr_dirs(&p, &e) ||
	    (o->bundle_dir && bundle_prepare(o->bundle_dir, &e))) {
		fprintf(stderr, "mrstress: %s\n", e.msg);
		plan_free(&p);
		return MRS_EXIT_USAGE;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	pr.plan = &p;
	pr.reports = &rs;
	status = plan_run_all(&pr);
	plan_run_free(&pr);
	plan_free(&p);
	return status;
}

/* --replay DIR: the bundle's scenario files are the plan. */
static int replay_main(const struct mrs_options *o, const char *command_line)
{
	struct replay *rp = calloc(1, sizeof(*rp));
	struct mrs_options ro = *o;
	struct mrs_err e = { 0 };
	int status;

	if (!rp) {
		fprintf(stderr, "mrstress: out of memory\n");
		return MRS_EXIT_HARNESS;
	}
	if (replay_load(rp, o->bundle_in, &e)) {
		fprintf(stderr, "mrstress: --replay: %s\n", e.msg);
		free(rp);
		return MRS_EXIT_USAGE;
	}
	ro.action = ACTION_RUN;
	ro.files = rp->paths;
	ro.n_files = rp->bundle.n;
	status = run_main(&ro, command_line, rp);
	free(rp);
	return status;
}

/* --minimize DIR: shrink the bundle's scenario; a line per trial. */
static int minimize_main(const struct mrs_options *o)
{
	struct run_env env = { .device = o->device, .scratch = o->scratch };
	struct sigaction sa = { .sa_handler = on_signal };
	struct run_spec over = { 0 };
	struct mrs_err e = { 0 };

	if (scratch_verify(&env.scratch, &e) ||
	    preflight_device(o->device, &e)) {
		fprintf(stderr, "mrstress: %s\n", e.msg);
		return MRS_EXIT_USAGE;
	}
	if (o->slowdown_given)
		over.slowdown = o->spec.slowdown;
	if (o->hang_timeout_given)
		over.hang_timeout = o->spec.hang_timeout;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	return minimize_bundle(o->bundle_in, &env, &over, stdout);
}

/* --print-scenario: the resolved run, seed included, as a scenario file. */
static int print_main(const struct mrs_options *o)
{
	FILE *f = o->print_file ? fopen(o->print_file, "we") : stdout;
	struct mrs_err e = { 0 };
	struct plan p;
	int bad;

	if (!f) {
		fprintf(stderr, "mrstress: --print-scenario %s: %s\n",
			o->print_file, strerror(errno));
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
		fprintf(stderr, "mrstress: --print-repro %s: %s\n", name,
			strerror(errno));
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

/* --fault list: the fault points, and whether this build has them. */
static int list_faults(void)
{
	for (int p = 0; p < FAULT_COUNT; p++)
		printf("%-26s %s (errno %s)\n", fault_points[p].name,
		       fault_points[p].where, errno_name(fault_points[p].err));
	if (!fault_available())
		printf("(not compiled in: build with ./configure --with-libfiu)\n");
	return MRS_EXIT_OK;
}

/* Every --fault, enabled before anything else runs. */
static int enable_faults(const struct mrs_options *o, struct mrs_err *e)
{
	int ret;

	fault_init();
	for (unsigned i = 0; i < o->n_faults; i++) {
		ret = fault_enable(o->faults[i], e);
		if (ret)
			return ret;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct mrs_options o;
	struct mrs_err e = { 0 };
	char *command_line;
	int status;

	if (options_parse(argc, argv, &o, &e) ||
	    options_apply_env(&o, getenv("MRSTRESS_SCRATCH"), &e) ||
	    enable_faults(&o, &e)) {
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
	case ACTION_LIST_FAULTS:
		return list_faults();
	case ACTION_PROBE:
		return run_probe(&o);
	case ACTION_RUN:
	case ACTION_REPLAY:
		command_line = quote_command_line(argc, argv);
		status = o.action == ACTION_RUN ?
				 run_main(&o, command_line, NULL) :
				 replay_main(&o, command_line);
		free(command_line);
		return status;
	case ACTION_CONNECT:
		return initiator_main(&o.connect, o.json_file, o.json);
	case ACTION_PRINT:
		return print_main(&o);
	case ACTION_MINIMIZE:
		return minimize_main(&o);
	case ACTION_PRINT_REPRO:
		return print_repro_main(&o);
	default:
		fprintf(stderr,
			"mrstress: nothing to do: give a scenario file, --mr (a run), --probe or --list\nTry 'mrstress --help'.\n");
		return MRS_EXIT_USAGE;
	}
}
