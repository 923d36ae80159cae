// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fork: each step forks a child that touches every page of a random range
 * and exits. A private mapping is copy-on-write: the kernel must give the
 * child copies of the pinned pages (the COW-with-pins problem), so the
 * child's writes never reach the parent or the MR. A shared mapping is the
 * same memory in both: the child only reads it, since its writes would be
 * real writes into the MR behind the shadow state's back.
 */
#include <errno.h>
#include <infiniband/verbs.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "child_pids.h"
#include "stressor.h"
#include "units.h"
#include "what.h"

#define FORK_TIMEOUT 60.0 /* seconds: a child that takes longer is stuck */
#define CHILD_MARK 0xee /* what a child writes: garbage to the parent */

enum child_act { CHILD_WRITE, CHILD_READ, CHILD_EXIT };

static const char *const fork_keys[] = { "child", NULL };
static const char *const act_names[] = { "write", "read", "exit" };

static int act_parse(const char *v)
{
	for (int i = 0; i <= CHILD_EXIT; i++)
		if (!strcmp(v, act_names[i]))
			return i;
	return -1;
}

static int fork_check_opt(const char *key, const char *val, size_t mr_size,
			  struct mrs_err *e)
{
	(void)mr_size;
	if (strcmp(key, "child") || act_parse(val) >= 0)
		return 0;
	return mrs_err_set(e, EINVAL, "child=%s: want write, read or exit",
			   val);
}

static const char *fork_status_name(enum ibv_fork_status s)
{
	switch (s) {
	case IBV_FORK_UNNEEDED:
		return "unneeded";
	case IBV_FORK_ENABLED:
		return "enabled";
	default:
		return "disabled";
	}
}

static int fork_setup(struct stress_ctx *c, struct mrs_err *e)
{
	const char *v = stress_opt(c, "child");
	int act = act_parse(v ? v : "write");
	static const int acts[] = { CHILD_WRITE, CHILD_READ, CHILD_EXIT };

	/*
	 * ibv_fork_init() (or RDMAV_FORK_SAFE) marks MRs MADV_DONTFORK: the
	 * child would not have the range at all and fault on it.
	 */
	if (act != CHILD_EXIT && ibv_is_fork_initialized() == IBV_FORK_ENABLED)
		return mrs_err_set(
			e, EOPNOTSUPP,
			"ibv_fork_init is active (RDMAV_FORK_SAFE?): MRs are MADV_DONTFORK, a child has no such range");
	/* Writing into shared memory would be writes into the MR itself. */
	if (act == CHILD_WRITE && c->t->region.shared)
		act = CHILD_READ;
	c->priv = (void *)&acts[act];
	return 0;
}

/* In the child: async-signal-safe only, then _exit. */
static void __attribute__((noreturn))
child_main(char *addr, size_t len, size_t page, enum child_act act)
{
	volatile unsigned sum = 0;

	for (size_t off = 0; act != CHILD_EXIT && off < len; off += page) {
		if (act == CHILD_WRITE)
			memset(addr + off, CHILD_MARK, 64);
		else
			sum += ((volatile unsigned char *)addr)[off];
	}
	(void)sum;
	_exit(0);
}

static int fork_step(struct stress_ctx *c, struct stress_step *st,
		     struct mrs_err *e)
{
	enum child_act act = *(const int *)c->priv;
	struct target *t = c->t;
	uint64_t off, len;
	char sz[16], how[24];
	int status, ret;
	pid_t pid;

	stress_rand_range(c, st, &off, &len);
	step_what(st, "fork child %s%s %s (fork %s)", act_names[act],
		  act == CHILD_READ && t->region.shared ? " (shared)" : "",
		  format_size(len, sz, sizeof(sz)),
		  fork_status_name(ibv_is_fork_initialized()));
	/* The child's copy of the range must be whole: no move in progress. */
	pthread_rwlock_rdlock(&t->view_lock);
	pid = fork();
	if (pid != 0)
		pthread_rwlock_unlock(&t->view_lock);
	if (pid < 0) {
		ret = mrs_err_sys(e, "fork with %s registered", t->region.desc);
		/* No memory for the copies of pinned pages: the kernel's say. */
		return e->code == ENOMEM || e->code == EAGAIN ? -EAGAIN : ret;
	}
	if (pid > 0)
		child_pids_add(pid);
	if (pid == 0)
		child_main((char *)t->region.addr + off, len,
			   t->region.page_size, act);
	ret = child_wait(pid, FORK_TIMEOUT, &status, e);
	if (ret)
		return ret;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return mrs_err_set(e, EIO, "fork child (%s of %s): %s",
				   act_names[act], t->region.desc,
				   child_status_str(status, how, sizeof(how)));
	return 0;
}

static const char repro_fork[] =
	"\tstatic const char *const acts[] = { \"write\", \"read\", \"exit\" };\n"
	"\tuint64_t off, len;\n"
	"\tint status;\n"
	"\tpid_t pid;\n"
	"\n"
	"\t/* A child's store into shared memory would be a store into the MR. */\n"
	"\tif (act == 0 && r->m->shared)\n"
	"\t\tact = 1;\n"
	"\trand_range(r, st, &off, &len);\n"
	"\twhat(st, \"fork child %s 0x%\" PRIx64 \"+0x%\" PRIx64, acts[act], off, len);\n"
	"\tpid = fork();\n"
	"\tif (pid < 0)\n"
	"\t\treturn step_fail(st, \"fork\");\n"
	"\tif (pid == 0) {\n"
	"\t\tvolatile unsigned sum = 0;\n"
	"\n"
	"\t\tfor (uint64_t o = 0; act != 2 && o < len; o += MEM_PAGE_SIZE) {\n"
	"\t\t\tif (act == 0)\n"
	"\t\t\t\tmemset(r->m->addr + off + o, 0xee, 64);\n"
	"\t\t\telse\n"
	"\t\t\t\tsum += ((volatile unsigned char *)r->m->addr)[off + o];\n"
	"\t\t}\n"
	"\t\t(void)sum;\n"
	"\t\t_exit(0);\n"
	"\t}\n"
	"\tif (waitpid(pid, &status, 0) != pid)\n"
	"\t\treturn step_fail(st, \"waitpid(%d)\", (int)pid);\n"
	"\tif (!WIFEXITED(status) || WEXITSTATUS(status)) {\n"
	"\t\terrno = EIO;\n"
	"\t\treturn step_fail(st, \"fork child: status 0x%x\", status);\n"
	"\t}\n"
	"\treturn 0;\n";

/* The standalone form of a step, for a reproducer (repro.h). */
static int fork_repro(FILE *f, const struct stress_repro *a, struct mrs_err *e)
{
	const char *v = stress_repro_opt(a, "child");

	(void)e;
	fprintf(f, "\tint act = %d; /* child=%s: 0 write, 1 read, 2 exit */\n",
		act_parse(v ? v : "write"), v ? v : "write");
	fputs(repro_fork, f);
	return 0;
}

const struct stressor stressor_fork = {
	.name = "fork",
	.help = "fork a child that writes (child=write|read|exit; reads on shared memory) every page of a random range",
	.keys = fork_keys,
	.check_opt = fork_check_opt,
	.setup = fork_setup,
	.step = fork_step,
	.repro_step = fork_repro,
};
