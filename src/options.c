// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "options.h"
#include "units.h"

#define DEFAULT_SIZE (2u << 20)

enum { OPT_PROBE = 0x100, OPT_LIST, OPT_JSON, OPT_SCRATCH, OPT_SIZE };

static const struct option long_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "probe", no_argument, NULL, OPT_PROBE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "device", required_argument, NULL, 'd' },
	{ "scratch", required_argument, NULL, OPT_SCRATCH },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ NULL, 0, NULL, 0 },
};

void options_usage(FILE *f)
{
	fputs("Usage: mrstress [OPTION]...\n"
	      "Stress RDMA memory registration against the kernel's memory and filesystem paths.\n"
	      "\n"
	      "Actions:\n"
	      "  --probe            say what this kernel and RDMA device support, by trying:\n"
	      "                     device and port, GID, ODP, and whether rw, ro and odp MRs\n"
	      "                     register on each memory backing (with errno when refused)\n"
	      "  --list             list memory backings, stressors and scenario files\n"
	      "  -h, --help         this text\n"
	      "  -V, --version      version\n"
	      "\n"
	      "Options:\n"
	      "  -d, --device NAME  RDMA device (default: the first with an ACTIVE port)\n"
	      "  --scratch [FS=]DIR directory for file-backed memory (repeatable); FS is\n"
	      "                     checked against statfs. Default: $MRSTRESS_SCRATCH, a\n"
	      "                     colon-separated list (mrstress-vm sets it)\n"
	      "  --size SIZE        memory per registration (default 2M; K, M, G suffixes)\n"
	      "  --json             machine-readable output (with --probe)\n"
	      "\n"
	      "Exit status: 0 nothing unexpected, 1 unexpected findings, 2 usage error,\n"
	      "3 harness failure, 4 skipped (no RDMA device, feature or privilege).\n",
	      f);
}

static int set_action(struct mrs_options *o, enum mrs_action a,
		      const char *name, struct mrs_err *e)
{
	if (o->action != ACTION_NONE && o->action != a)
		return mrs_err_set(e, EINVAL, "%s: only one action at a time",
				   name);
	o->action = a;
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
		return 0;
	case 'd':
		if (!*optarg)
			return mrs_err_set(e, EINVAL, "--device: empty name");
		o->device = optarg;
		return 0;
	case OPT_SCRATCH:
		o->scratch_given = true;
		return scratch_add(&o->scratch, optarg, "--scratch", e);
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

int options_parse(int argc, char **argv, struct mrs_options *o,
		  struct mrs_err *e)
{
	int c, ret;

	memset(o, 0, sizeof(*o));
	o->size = DEFAULT_SIZE;
	optind = 0; /* a fresh scan, also when called more than once */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hVd:", long_options, NULL)) !=
	       -1) {
		if (c == '?')
			return mrs_err_set(e, EINVAL, "unknown option '%s'",
					   argv[optind - 1]);
		if (c == ':')
			return mrs_err_set(e, EINVAL,
					   "option '%s' needs a value",
					   argv[optind - 1]);
		ret = parse_one(c, o, e);
		if (ret)
			return ret;
	}
	if (optind < argc)
		return mrs_err_set(
			e, EINVAL,
			"unexpected argument '%s' (scenario files are not supported yet)",
			argv[optind]);
	if (o->json && o->action != ACTION_PROBE)
		return mrs_err_set(e, EINVAL, "--json goes with --probe");
	return 0;
}

int options_apply_env(struct mrs_options *o, const char *scratch_env,
		      struct mrs_err *e)
{
	if (o->scratch_given || !scratch_env || !*scratch_env)
		return 0;
	return scratch_add_list(&o->scratch, scratch_env, "MRSTRESS_SCRATCH",
				e);
}
