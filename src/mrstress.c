// SPDX-License-Identifier: GPL-2.0-or-later
/* mrstress: stress RDMA memory registration against the kernel. */
#include <errno.h>
#include <stdlib.h>

#include "exit_status.h"
#include "list.h"
#include "options.h"
#include "probe.h"

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
	default:
		fprintf(stderr,
			"mrstress: nothing to do: give --probe or --list (running scenarios is not built yet)\nTry 'mrstress --help'.\n");
		return MRS_EXIT_USAGE;
	}
}
