// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "units.h"

#define DEFAULT_SIZE (2u << 20)
/* The kernel's IB_DEVICE_NAME_MAX, with its terminating NUL. */
#define MRS_DEVICE_NAME_MAX 64

enum {
	OPT_PROBE = 0x100,
	OPT_LIST,
	OPT_JSON,
	OPT_SCRATCH,
	OPT_SIZE,
	OPT_MR,
	OPT_DMA,
	OPT_STRESS,
	OPT_EXPECT,
	OPT_DURATION,
	OPT_SEED,
	OPT_SLOWDOWN,
	OPT_HANG_TIMEOUT,
	OPT_PRINT,
	OPT_KTAP,
	OPT_JUNIT,
	OPT_STATUS,
	OPT_REPLAY,
	OPT_MINIMIZE,
	OPT_PRINT_REPRO,
	OPT_REPRO_CLASS,
	OPT_FAULT,
	OPT_LISTEN,
	OPT_CONNECT,
};

static const struct option long_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "probe", no_argument, NULL, OPT_PROBE },
	{ "json", optional_argument, NULL, OPT_JSON },
	{ "mr", required_argument, NULL, OPT_MR },
	{ "dma", required_argument, NULL, OPT_DMA },
	{ "stress", required_argument, NULL, OPT_STRESS },
	{ "expect", required_argument, NULL, OPT_EXPECT },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "slowdown", required_argument, NULL, OPT_SLOWDOWN },
	{ "hang-timeout", required_argument, NULL, OPT_HANG_TIMEOUT },
	{ "print-scenario", optional_argument, NULL, OPT_PRINT },
	{ "ktap", no_argument, NULL, OPT_KTAP },
	{ "junit", required_argument, NULL, OPT_JUNIT },
	{ "output", required_argument, NULL, 'o' },
	{ "status-interval", required_argument, NULL, OPT_STATUS },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "minimize", required_argument, NULL, OPT_MINIMIZE },
	{ "print-repro", optional_argument, NULL, OPT_PRINT_REPRO },
	{ "repro-class", required_argument, NULL, OPT_REPRO_CLASS },
	{ "device", required_argument, NULL, 'd' },
	{ "scratch", required_argument, NULL, OPT_SCRATCH },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "fault", required_argument, NULL, OPT_FAULT },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "connect", required_argument, NULL, OPT_CONNECT },
	{ NULL, 0, NULL, 0 },
};

void options_usage(FILE *f)
{
	fputs("Usage: mrstress [OPTION]... [SCENARIO.scn|DIR]...\n"
	      "Stress RDMA memory registration against the kernel's memory and filesystem paths.\n"
	      "\n"
	      "Scenario files (every *.scn of a DIR) are parsed first, then run one after\n"
	      "another, each with its own report. A run can also be given on the command line:\n"
	      "\n"
	      "A run (register memory, race DMA against stressors, check every block):\n"
	      "  --mr BACKING[:FS][:SIZE][,KEY=VAL]...\n"
	      "                     memory to register (repeatable): file:ext4:8M, anon:64M,\n"
	      "                     memfd:16M,access=ro. Keys: access=rw|ro|odp[+atomic|+mw],\n"
	      "                     hugepage=2M|1G, name=NAME (default mr0, mr1...)\n"
	      "  --dma OP[,KEY=VAL]...\n"
	      "                     DMA into an MR: OP write|read|send|atomic|mixed. Keys:\n"
	      "                     bs=4K, qd=8, threads=1, check=16 (a full check every N\n"
	      "                     ops), mr=NAME (default the first). Default: write\n"
	      "  --stress TYPE[,KEY=VAL]...\n"
	      "                     race TYPE against the DMA (see --list). Keys: interval=100ms\n"
	      "                     or rate=N (steps/s), threads=1, range=START-END (sizes or\n"
	      "                     % of the MR), mr=NAME, and the stressor's own (--list)\n"
	      "  --duration TIME    how long DMA and stressors run (default 10s; ms, s, m);\n"
	      "                     replaces every scenario file's duration\n"
	      "  --seed N           seed for data and schedule (default: from the clock)\n"
	      "  --expect CLASS[,CLASS]...\n"
	      "                     finding classes that do not fail the run (detached,\n"
	      "                     policy-refused, zeroed, stale, torn, garbage, ...)\n"
	      "  --slowdown N       scale stressor intervals and deadlines by N (default 1;\n"
	      "                     not the duration); replaces a scenario's slowdown\n"
	      "  --hang-timeout TIME\n"
	      "                     a stressor step or a wait for DMA completions that takes\n"
	      "                     longer (times the slowdown) is a hang (default 10s);\n"
	      "                     kernel.hung_task_timeout_secs is lowered to it for the run\n"
	      "\n"
	      "Actions:\n"
	      "  --probe            say what this kernel and RDMA device support, by trying:\n"
	      "                     device and port, GID, ODP, and whether rw, ro and odp MRs\n"
	      "                     register on each memory backing (with errno when refused)\n"
	      "  --list             list memory backings, stressors and scenario files\n"
	      "  --print-scenario[=FILE]\n"
	      "                     write the run (command line or one scenario file) as a\n"
	      "                     scenario file with its seed, and exit without running\n"
	      "  --replay DIR       run a report bundle (-o) again, same seed and schedule,\n"
	      "                     and say whether the same findings came back\n"
	      "  --minimize DIR     shrink a bundle's scenario (drop stressors, halve sizes\n"
	      "                     and duration) while its finding still comes back; write\n"
	      "                     minimized.scn and a new repro.c into DIR\n"
	      "  --print-repro[=FILE]\n"
	      "                     write the run (command line or one scenario file) as a\n"
	      "                     standalone C reproducer (libibverbs only), and exit\n"
	      "  --repro-class CLASS[:MR]\n"
	      "                     what the reproducer reproduces (default any: any data\n"
	      "                     damage) and on which MR (default the first with DMA)\n"
	      "  --connect ADDR[:PORT]\n"
	      "                     two-host mode: be the initiator of a target that runs\n"
	      "                     with --listen there; carry out its DMA, print counts\n"
	      "  -h, --help         this text\n"
	      "  -V, --version      version\n"
	      "\n"
	      "Options:\n"
	      "  -d, --device NAME  RDMA device (default: the first with an ACTIVE port)\n"
	      "  --listen ADDR[:PORT]\n"
	      "                     two-host mode: own the MRs and verify here, and take\n"
	      "                     the DMA from an initiator (--connect) on another host;\n"
	      "                     ADDR is on the RDMA device to use (port 7471)\n"
	      "  --scratch [FS=]DIR directory for file-backed memory (repeatable); FS is\n"
	      "                     checked against statfs. Default: $MRSTRESS_SCRATCH, a\n"
	      "                     colon-separated list (mrstress-vm sets it)\n"
	      "  --size SIZE        memory per registration (default 2M; K, M, G suffixes)\n"
	      "  --fault NAME[:P]   make fault point NAME (mrstress/AREA/OP, may end in *)\n"
	      "                     fail, always or with probability P (repeatable);\n"
	      "                     '--fault list' names them. Needs ./configure --with-libfiu\n"
	      "\n"
	      "Reports (text on stdout unless --json or --ktap takes it; files are\n"
	      "rewritten whole after every scenario):\n"
	      "  --json[=FILE]      the whole report as one JSON document (schema in\n"
	      "                     docs/report-schema.json) on stdout, or into FILE\n"
	      "  --ktap             KTAP on stdout: a test per scenario, for kselftest\n"
	      "  --junit FILE       JUnit XML: a testcase per scenario\n"
	      "  -o, --output DIR   a report bundle for a bug report: summary.txt, the\n"
	      "                     scenario with its seed, the command line, kernel and\n"
	      "                     config, taint, a file per finding, timeline, repro.c\n"
	      "  --status-interval TIME\n"
	      "                     a status line this often (default: 1s updated in place\n"
	      "                     on a terminal, else 10s; 0: none)\n"
	      "\n"
	      "Exit status: 0 nothing unexpected, 1 unexpected findings or an expectation\n"
	      "not met, 2 usage or scenario error, 3 harness failure, 4 skipped (no RDMA\n"
	      "device, feature or privilege; with several scenarios: all of them skipped).\n",
	      f);
}

/* Actions that print the run the other options describe. */
static bool prints_run(enum mrs_action a)
{
	return a == ACTION_PRINT || a == ACTION_PRINT_REPRO;
}

static int set_action(struct mrs_options *o, enum mrs_action a,
		      const char *name, struct mrs_err *e)
{
	/*
	 * --print-scenario and --print-repro print the run the other options
	 * describe; --replay and --minimize take --slowdown and
	 * --hang-timeout.
	 */
	if (prints_run(a) && o->action == ACTION_RUN)
		o->action = ACTION_NONE;
	if ((a == ACTION_REPLAY || a == ACTION_MINIMIZE) &&
	    o->action == ACTION_RUN && !o->spec_given)
		o->action = ACTION_NONE;
	if (o->action != ACTION_NONE && o->action != a)
		return mrs_err_set(e, EINVAL, "%s: only one action at a time",
				   name);
	o->action = a;
	return 0;
}

/* Options that describe a run make the run the action. */
static int run_opt(struct mrs_options *o, int ret, const char *name,
		   const char *arg, struct mrs_err *e)
{
	char msg[sizeof(e->msg)];

	if (ret) {
		snprintf(msg, sizeof(msg), "%s", e->msg);
		/* The message names the key and value: the option is context. */
		return mrs_err_set(e, EINVAL, "%s '%.60s%s': %s", name, arg,
				   strlen(arg) > 60 ? "..." : "", msg);
	}
	if (o->action == ACTION_NONE)
		o->action = ACTION_RUN;
	if (o->action != ACTION_RUN && !prints_run(o->action) &&
	    o->action != ACTION_REPLAY && o->action != ACTION_MINIMIZE)
		return mrs_err_set(e, EINVAL, "%s: only one action at a time",
				   name);
	return 0;
}

/* --mr and the like: a run said on the command line, not in a file. */
static int spec_opt(struct mrs_options *o, int ret, const char *name,
		    const char *arg, struct mrs_err *e)
{
	o->spec_given = true;
	return run_opt(o, ret, name, arg, e);
}

static int repro_class_opt(struct mrs_options *o, const char *arg,
			   struct mrs_err *e)
{
	char msg[sizeof(e->msg)];

	if (!repro_target_parse(arg, &o->repro, e))
		return 0;
	snprintf(msg, sizeof(msg), "%s", e->msg);
	return mrs_err_set(e, EINVAL, "--repro-class %s", msg);
}

/* --json=FILE and the like: a file to write, named. */
static int file_name_opt(const char *name, const char *arg, struct mrs_err *e)
{
	if (!*arg)
		return mrs_err_set(
			e, EINVAL,
			"%s: empty file name: give a FILE to write, e.g. %s=out",
			name, name);
	return 0;
}

/* An RDMA device's name as the kernel allows it (IB_DEVICE_NAME_MAX). */
static int device_name_opt(const char *arg, struct mrs_err *e)
{
	size_t n = strlen(arg);

	if (!n)
		return mrs_err_set(
			e, EINVAL,
			"--device: empty name: give an RDMA device such as rxe0 (rdma link show lists them)");
	for (size_t i = 0; i < n; i++)
		if (arg[i] == '/' || arg[i] <= ' ' || arg[i] == 0x7f)
			n = MRS_DEVICE_NAME_MAX;
	if (n >= MRS_DEVICE_NAME_MAX)
		return mrs_err_set(
			e, EINVAL,
			"--device '%.60s%s': want an RDMA device name of 1-%d characters without '/' or spaces, such as rxe0",
			arg, strlen(arg) > 60 ? "..." : "",
			MRS_DEVICE_NAME_MAX - 1);
	return 0;
}

static int endpoint_opt(const char *opt, const char *arg, struct endpoint *ep,
			struct mrs_err *e)
{
	struct mrs_err pe = { 0 };

	if (endpoint_parse(arg, ep, &pe))
		return mrs_err_set(e, EINVAL, "%s %s", opt, pe.msg);
	return 0;
}

static int parse_one(int c, struct mrs_options *o, struct mrs_err *e)
{
	switch (c) {
	case 'h':
		return set_action(o, ACTION_HELP, "--help", e);
	case 'V':
		return set_action(o, ACTION_VERSION, "--version", e);
	case OPT_LIST:
		return set_action(o, ACTION_LIST, "--list", e);
	case OPT_PROBE:
		return set_action(o, ACTION_PROBE, "--probe", e);
	case OPT_JSON:
		o->json = true;
		o->json_file = optarg;
		return optarg ? file_name_opt("--json", optarg, e) : 0;
	case OPT_LISTEN:
		o->listen_given = true;
		return endpoint_opt("--listen", optarg, &o->listen, e);
	case OPT_CONNECT:
		if (set_action(o, ACTION_CONNECT, "--connect", e))
			return -EINVAL;
		return endpoint_opt("--connect", optarg, &o->connect, e);
	case OPT_MR:
		return spec_opt(o, run_spec_add_mr(&o->spec, optarg, e), "--mr",
				optarg, e);
	case OPT_DMA:
		return spec_opt(o, run_spec_add_dma(&o->spec, optarg, e),
				"--dma", optarg, e);
	case OPT_STRESS:
		return spec_opt(o, run_spec_add_stress(&o->spec, optarg, e),
				"--stress", optarg, e);
	case OPT_EXPECT:
		return spec_opt(o, run_spec_add_expect(&o->spec, optarg, e),
				"--expect", optarg, e);
	case OPT_DURATION:
		o->duration_given = true;
		return run_opt(o, run_spec_set(&o->spec, "duration", optarg, e),
			       "--duration", optarg, e);
	case OPT_SEED:
		return spec_opt(o, run_spec_set(&o->spec, "seed", optarg, e),
				"--seed", optarg, e);
	case OPT_SLOWDOWN:
		o->slowdown_given = true;
		return run_opt(o, run_spec_set(&o->spec, "slowdown", optarg, e),
			       "--slowdown", optarg, e);
	case OPT_HANG_TIMEOUT:
		o->hang_timeout_given = true;
		return run_opt(
			o, run_spec_set(&o->spec, "hang_timeout", optarg, e),
			"--hang-timeout", optarg, e);
	case OPT_PRINT:
		o->print_file = optarg;
		if (optarg && file_name_opt("--print-scenario", optarg, e))
			return -EINVAL;
		return set_action(o, ACTION_PRINT, "--print-scenario", e);
	case OPT_KTAP:
		o->ktap = true;
		return 0;
	case OPT_JUNIT:
		o->junit_file = optarg;
		return file_name_opt("--junit", optarg, e);
	case 'o':
		o->bundle_dir = optarg;
		if (!*optarg)
			return mrs_err_set(
				e, EINVAL,
				"-o: empty directory name: give the bundle's directory, e.g. -o bug-report");
		return 0;
	case OPT_STATUS:
		o->status_given = true;
		if (parse_duration(optarg, &o->status_interval))
			return mrs_err_set(
				e, EINVAL,
				"--status-interval '%s': want a time such as 0, 500ms or 5s",
				optarg);
		return 0;
	case OPT_REPLAY:
		o->bundle_in = optarg;
		return set_action(o, ACTION_REPLAY, "--replay", e);
	case OPT_MINIMIZE:
		o->bundle_in = optarg;
		return set_action(o, ACTION_MINIMIZE, "--minimize", e);
	case OPT_PRINT_REPRO:
		o->repro_file = optarg;
		if (optarg && file_name_opt("--print-repro", optarg, e))
			return -EINVAL;
		return set_action(o, ACTION_PRINT_REPRO, "--print-repro", e);
	case OPT_REPRO_CLASS:
		o->repro_given = true;
		return repro_class_opt(o, optarg, e);
	case 'd':
		o->device = optarg;
		return device_name_opt(optarg, e);
	case OPT_SCRATCH:
		o->scratch_given = true;
		return scratch_add(&o->scratch, optarg, "--scratch", e);
	case OPT_FAULT:
		if (!strcmp(optarg, "list"))
			return set_action(o, ACTION_LIST_FAULTS, "--fault list",
					  e);
		if (o->n_faults == MRS_MAX_FAULTS)
			return mrs_err_set(e, EINVAL,
					   "--fault %s: at most %d of them",
					   optarg, MRS_MAX_FAULTS);
		o->faults[o->n_faults++] = optarg;
		return 0;
	case OPT_SIZE:
		if (parse_size(optarg, &o->size) || !o->size)
			return mrs_err_set(
				e, EINVAL,
				"--size '%s': want a size such as 4096, 64K or 8M",
				optarg);
		return 0;
	default:
		return mrs_err_set(e, EINVAL,
				   "unknown option or missing value");
	}
}

/* Actions that run scenarios, and so write reports. */
static bool action_runs(enum mrs_action a)
{
	return a == ACTION_RUN || a == ACTION_REPLAY;
}

/*
 * "--json out.json": getopt gives an optional argument only after '=', so
 * out.json became a scenario file. Say so rather than fail to open it.
 */
static const char *json_file_mistaken(const struct mrs_options *o)
{
	size_t n;

	if (!o->json || o->json_file)
		return NULL;
	for (unsigned i = 0; i < o->n_files; i++) {
		n = strlen(o->files[i]);
		if (n > 5 && !strcmp(o->files[i] + n - 5, ".json"))
			return o->files[i];
	}
	return NULL;
}

/*
 * --connect takes everything from the target: no run of its own. --listen
 * is a run whose DMA comes from elsewhere.
 */
static int check_two_host(const struct mrs_options *o, struct mrs_err *e)
{
	if (o->action == ACTION_CONNECT &&
	    (o->n_files || o->spec_given || o->listen_given || o->device))
		return mrs_err_set(
			e, EINVAL,
			"--connect takes its run from the target: no scenario, --mr, --dma, --stress, --listen or --device with it");
	if (o->listen_given && o->action != ACTION_RUN)
		return mrs_err_set(
			e, EINVAL,
			"--listen goes with a run (--mr or a scenario file): the target runs it");
	return 0;
}

/* What goes with what, once every option is known. */
static int check_combination(struct mrs_options *o, struct mrs_err *e)
{
	const char *json_as_file = json_file_mistaken(o);

	if (o->n_files && o->action == ACTION_NONE)
		o->action = ACTION_RUN;
	if (o->n_files && o->action != ACTION_RUN && !prints_run(o->action))
		return mrs_err_set(
			e, EINVAL,
			"unexpected argument '%s' (scenario files go with a run or --print-scenario)",
			o->files[0]);
	if (json_as_file)
		return mrs_err_set(
			e, EINVAL,
			"--json takes its file after '=': --json=%s ('--json %s' asks for JSON on stdout and a scenario file %s)",
			json_as_file, json_as_file, json_as_file);
	if (o->n_files && o->spec_given)
		return mrs_err_set(
			e, EINVAL,
			"scenario files do not go with --mr, --dma, --stress, --expect or --seed: say those in the file");
	if ((o->action == ACTION_REPLAY || o->action == ACTION_MINIMIZE) &&
	    (o->spec_given || o->duration_given))
		return mrs_err_set(
			e, EINVAL,
			"--replay and --minimize run the bundle's scenario: --mr, --dma, --stress, --expect, --duration and --seed do not go with them");
	if (prints_run(o->action) && o->n_files > 1)
		return mrs_err_set(
			e, EINVAL,
			"%s prints one run: give one scenario file, or the run on the command line",
			o->action == ACTION_PRINT ? "--print-scenario" :
						    "--print-repro");
	if (o->repro_given && o->action != ACTION_PRINT_REPRO)
		return mrs_err_set(e, EINVAL,
				   "--repro-class goes with --print-repro");
	if (o->json && o->action != ACTION_PROBE && !action_runs(o->action) &&
	    o->action != ACTION_CONNECT)
		return mrs_err_set(
			e, EINVAL,
			"--json goes with --probe or a run (--mr, scenario files or --replay)");
	if ((o->ktap || o->junit_file || o->bundle_dir) &&
	    !action_runs(o->action))
		return mrs_err_set(
			e, EINVAL,
			"--ktap, --junit and -o go with a run (--mr, scenario files or --replay)");
	if (o->n_faults && !action_runs(o->action) &&
	    o->action != ACTION_MINIMIZE && o->action != ACTION_PROBE)
		return mrs_err_set(
			e, EINVAL,
			"--fault %s goes with a run, --replay, --minimize or --probe",
			o->faults[0]);
	if (o->ktap && o->json && !o->json_file)
		return mrs_err_set(
			e, EINVAL,
			"--ktap and --json both want stdout: give --json a FILE");
	if (check_two_host(o, e))
		return -EINVAL;
	if ((o->action == ACTION_RUN || prints_run(o->action)) && !o->n_files) {
		str_copy(o->spec.name, sizeof(o->spec.name), "command-line");
		return run_spec_finish(&o->spec, NULL, e);
	}
	return 0;
}

/* Longer than any path: said so, rather than cut or echoed whole. */
static int too_long(const char *what, const char *arg, struct mrs_err *e)
{
	return mrs_err_set(
		e, ENAMETOOLONG,
		"%s: a value of %zu characters is too long (at most %d): '%.40s...'",
		what, strlen(arg), PATH_MAX - 1, arg);
}

/* "--mr" or "-d": the option getopt_long() just returned. */
static const char *option_name(int c, int index, char *buf, size_t len)
{
	if (c < 0x100 && index < 0)
		snprintf(buf, len, "-%c", c);
	else
		snprintf(buf, len, "--%s", long_options[index].name);
	return buf;
}

int options_parse(int argc, char **argv, struct mrs_options *o,
		  struct mrs_err *e)
{
	int c, ret, index = -1;
	char name[32];

	memset(o, 0, sizeof(*o));
	o->size = DEFAULT_SIZE;
	o->repro.cls = FC_COUNT;
	run_spec_init(&o->spec);
	optind = 0; /* a fresh scan, also when called more than once */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hVd:o:", long_options, &index)) !=
	       -1) {
		if (c == '?')
			return mrs_err_set(e, EINVAL, "unknown option '%s'",
					   argv[optind - 1]);
		if (c == ':')
			return mrs_err_set(e, EINVAL,
					   "option '%s' needs a value",
					   argv[optind - 1]);
		if (optarg && strlen(optarg) >= PATH_MAX)
			return too_long(option_name(c, index, name,
						    sizeof(name)),
					optarg, e);
		index = -1; /* getopt_long() sets it for long options only */
		ret = parse_one(c, o, e);
		if (ret)
			return ret;
	}
	o->files = argv + optind;
	o->n_files = (unsigned)(argc - optind);
	for (unsigned i = 0; i < o->n_files; i++) {
		if (!*o->files[i])
			return mrs_err_set(
				e, EINVAL,
				"an empty argument: give a scenario file or directory");
		if (strlen(o->files[i]) >= PATH_MAX)
			return too_long("a scenario path", o->files[i], e);
	}
	return check_combination(o, e);
}

int options_apply_env(struct mrs_options *o, const char *scratch_env,
		      struct mrs_err *e)
{
	if (o->scratch_given || !scratch_env || !*scratch_env)
		return 0;
	return scratch_add_list(&o->scratch, scratch_env, "MRSTRESS_SCRATCH",
				e);
}
