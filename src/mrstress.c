// SPDX-License-Identifier: GPL-2.0-or-later
/* mrstress: stress RDMA memory registration against the kernel. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "exit_status.h"
#include "list.h"
#include "options.h"
#include "probe.h"
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

static int write_json(const struct mrs_options *o, const struct run_result *res)
{
	json_t *j = report_json(res);
	FILE *f = o->json_file ? fopen(o->json_file, "we") : stdout;
	int bad;

	if (!f) {
		fprintf(stderr, "mrstress: %s: %s\n", o->json_file,
			strerror(errno));
		json_decref(j);
		return -1;
	}
	bad = json_dumpf(j, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', f);
	bad |= fflush(f) || ferror(f);
	if (f != stdout)
		bad |= fclose(f);
	json_decref(j);
	if (bad)
		fprintf(stderr, "mrstress: writing %s failed\n",
			o->json_file ? o->json_file : "the JSON report");
	return bad ? -1 : 0;
}

static int report_run(const struct mrs_options *o, const struct run_result *res)
{
	int bad = 0;

	if (!o->json || o->json_file)
		report_text(stdout, res);
	if (o->json)
		bad = write_json(o, res);
	if (fflush(stdout) || ferror(stdout))
		bad = -1;
	return bad;
}

static int run_main(struct mrs_options *o)
{
	struct run_env env = { .device = o->device, .scratch = o->scratch };
	struct run_result *res = calloc(1, sizeof(*res));
	struct sigaction sa = { .sa_handler = on_signal };
	struct mrs_err e = { 0 };
	int ret, status;

	if (!res) {
		fprintf(stderr, "mrstress: out of memory\n");
		return MRS_EXIT_HARNESS;
	}
	if (scratch_verify(&env.scratch, &e)) {
		fprintf(stderr, "mrstress: %s\n", e.msg);
		free(res);
		return MRS_EXIT_USAGE;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ret = run_execute(&o->spec, &env, res, &e);
	status = finding_list_unexpected(&res->findings) ? MRS_EXIT_FINDINGS :
							   MRS_EXIT_OK;
	if (ret) {
		status = run_failure_status(ret);
		fprintf(stderr, "mrstress: %s%s\n",
			status == MRS_EXIT_SKIP ? "skip: " : "", e.msg);
	}
	if (res->n_mrs && report_run(o, res))
		status = MRS_EXIT_HARNESS;
	run_result_free(res);
	free(res);
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
	default:
		fprintf(stderr,
			"mrstress: nothing to do: give --mr (a run), --probe or --list\nTry 'mrstress --help'.\n");
		return MRS_EXIT_USAGE;
	}
}
