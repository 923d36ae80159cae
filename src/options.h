/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_OPTIONS_H
#define MRS_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

#include "endpoint.h"
#include "error.h"
#include "repro.h"
#include "run_spec.h"
#include "scratch.h"

#define MRS_MAX_FAULTS 32

enum mrs_action {
	ACTION_NONE,
	ACTION_HELP,
	ACTION_VERSION,
	ACTION_LIST,
	ACTION_PROBE,
	ACTION_RUN, /* --mr, --dma, --stress, or scenario files */
	ACTION_PRINT, /* --print-scenario: the run as a scenario file */
	ACTION_REPLAY, /* --replay DIR: run a bundle again and compare */
	ACTION_MINIMIZE, /* --minimize DIR: shrink a bundle's scenario */
	ACTION_PRINT_REPRO, /* --print-repro: the run as a C reproducer */
	ACTION_LIST_FAULTS, /* --fault list: the fault points */
	ACTION_CONNECT, /* --connect ADDR: the initiator of two-host mode */
};

struct mrs_options {
	enum mrs_action action;
	const char *device; /* -d NAME */
	bool json;
	const char *json_file; /* --json=FILE; NULL: stdout */
	bool ktap; /* --ktap: KTAP on stdout */
	const char *junit_file; /* --junit FILE */
	const char *bundle_dir; /* -o DIR: the report bundle */
	const char *bundle_in; /* --replay DIR, --minimize DIR */
	double status_interval; /* seconds; 0: no status line */
	bool status_given; /* --status-interval, else by the terminal */
	struct run_spec spec; /* a run from --mr, --dma, --stress... */
	bool spec_given; /* one of those was given */
	char **files; /* scenario files or directories (argv's own) */
	unsigned n_files;
	bool slowdown_given; /* --slowdown: also replaces a scenario's */
	bool duration_given; /* the same for --duration */
	bool hang_timeout_given; /* the same for --hang-timeout */
	const char *print_file; /* --print-scenario=FILE; NULL: stdout */
	const char *repro_file; /* --print-repro=FILE; NULL: stdout */
	struct repro_target repro; /* --repro-class; default any data damage */
	bool repro_given; /* --repro-class was given */
	size_t size; /* memory per probe registration */
	struct scratch_list scratch;
	bool scratch_given; /* --scratch on the command line */
	const char *faults[MRS_MAX_FAULTS]; /* --fault NAME[:P] (argv's own) */
	unsigned n_faults;
	struct endpoint listen; /* --listen ADDR[:PORT]: two-host target */
	bool listen_given;
	struct endpoint connect; /* --connect ADDR[:PORT]: the initiator */
};

/*
 * Parse argv into o. Pure apart from getopt's state: the environment is
 * read by options_apply_env() and scenario files by plan_load(). Returns 0
 * or -EINVAL with e saying which option and why.
 */
int options_parse(int argc, char **argv, struct mrs_options *o,
		  struct mrs_err *e);

/* MRSTRESS_SCRATCH (set by mrstress-vm) when no --scratch was given. */
int options_apply_env(struct mrs_options *o, const char *scratch_env,
		      struct mrs_err *e);

void options_usage(FILE *f);

#endif
